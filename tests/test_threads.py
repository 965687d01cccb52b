"""Thread safety: transforms running at once on the same model, in several threads.

Every thread computes on its own inputs, so a value swapped in by one thread and
seen by another (a leaked overlay, a slot left swapped) changes a result. Each
result is compared with a single-threaded reference computed beforehand; the
model's Variables are checked afterwards.
"""

import sys
import threading
import weakref

import pytest
import torch
from torch import nn

import bptorch as bp
import bptorch.math as bm
from bptorch.math import state
from bptorch import _compat
from bptorch.math.variables import context

N_THREADS = 8
N_CALLS = 200


@pytest.fixture(autouse=True)
def _frequent_switches():
    """Switch threads often, so that calls really interleave."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(old)


def run_threads(target, n=N_THREADS):
    """Run ``target(i)`` in ``n`` threads started together; re-raise the first failure."""
    barrier = threading.Barrier(n)
    errors = []

    def body(i):
        try:
            barrier.wait()
            target(i)
        except BaseException as e:  # noqa: BLE001 - reported in the main thread
            errors.append((i, e))

    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), 'a thread hung'
    if errors:
        i, e = errors[0]
        raise AssertionError(f'thread {i} failed ({len(errors)} failures)') from e


def tree_equal(a, b):
    if isinstance(a, torch.Tensor):
        return isinstance(b, torch.Tensor) and a.shape == b.shape and torch.equal(a, b)
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(map(tree_equal, a, b))
    if isinstance(a, dict):
        return type(a) is type(b) and list(a) == list(b) and all(tree_equal(a[k], b[k]) for k in a)
    return a == b


def assert_clean_thread():
    """No overlay, frame or functorch level is left over in the calling thread."""
    assert context.top is None and state.autograd_depth() == 0
    assert not _compat.functorch_level_active()


class Model(bp.Base):
    """A TrainVar, a read-only Variable and a state Variable that ``loss`` writes."""

    def __init__(self, n=6):
        super().__init__()
        self.w = bm.TrainVar(torch.linspace(-1., 1., n))
        self.c = bm.Variable(torch.linspace(0.5, 1.5, n))
        self.h = bm.Variable(torch.zeros(n))

    def pure_loss(self, x):
        return (torch.tanh(self.w * x + self.c) ** 2).sum()

    def stateful_loss(self, x):
        self.h.value = torch.tanh(self.w * x + self.c)
        # read back: another thread's write must not show up here
        return (self.h.value ** 2).sum() + self.h.value[0]


def inputs(n=6):
    g = torch.Generator().manual_seed(0)
    return [torch.randn(n, generator=g) for _ in range(N_THREADS)]


def snapshot(model):
    return {k: (weakref.ref(v._value), v._value.detach().clone()) for k, v in model.vars().items()
            if isinstance(v, bm.Variable)}


def assert_untouched(model, snap, except_keys=()):
    """Variables not written keep their tensor object and value; written ones (``except_keys``:
    other threads held their old values, so they may hold new tensor objects) hold a plain one."""
    for key, (ref, value) in snap.items():
        var = model.vars()[key]
        assert var._read() is var._value, f'{key}: an overlay is still visible'
        if key.rsplit('.', 1)[-1] in except_keys:
            assert type(var._value) is torch.Tensor and var._value.grad_fn is None, key
            continue
        assert var._value is ref(), f'{key}: the stored tensor object was replaced'
        assert torch.equal(var._value.detach(), value), f'{key} changed'
    assert model.w._value.grad is None


# -- bm.grad -------------------------------------------------------------------

def test_grad_from_many_threads_matches_single_threaded_reference():
    m = Model()
    g = bm.grad(m.pure_loss, grad_vars={'w': m.w, 'c': m.c}, argnums=0, return_value=True)
    xs = inputs()
    refs = [g(x) for x in xs]
    assert not tree_equal(refs[0], refs[1])          # the inputs really differ
    snap = snapshot(m)

    def work(i):
        for _ in range(N_CALLS):
            got = g(xs[i])
            assert tree_equal(got, refs[i]), f'thread {i} got another result'
        assert_clean_thread()

    run_threads(work)
    assert_untouched(m, snap)
    assert_clean_thread()


def test_state_writes_stay_per_thread_and_land_as_one_valid_result():
    m = Model()
    g = bm.grad(m.stateful_loss, grad_vars=m.w, argnums=0, has_aux=False, return_value=True)
    xs = inputs()
    refs, written = [], []
    for x in xs:
        refs.append(g(x))
        written.append(m.h.value.clone())
    assert not torch.equal(written[0], written[1])
    snap = snapshot(m)

    def work(i):
        for _ in range(N_CALLS):
            assert tree_equal(g(xs[i]), refs[i]), f'thread {i} got another result'

    run_threads(work)
    assert_untouched(m, snap, except_keys=('h',))
    h = m.h.value
    assert h.grad_fn is None and not h.requires_grad and type(h) is torch.Tensor
    assert any(torch.equal(h, r) for r in written), 'h holds none of the per-call results'


def test_readers_outside_transforms_never_see_another_threads_swap():
    m = Model()
    g = bm.grad(m.stateful_loss, grad_vars=[m.w, m.c], argnums=0)
    xs = inputs()
    refs = [g(x) for x in xs]
    w_tensor, c_tensor = m.w._value, m.c._value      # h is written: it may get new tensors
    w0, c0 = w_tensor.detach().clone(), c_tensor.detach().clone()
    done = threading.Event()
    seen = {'reads': 0, 'bad': []}

    def reader():
        while not done.is_set():
            w, c, h = m.w._read(), m.c._read(), m.h._read()   # (.value would copy c, h)
            if w is not w_tensor or c is not c_tensor or type(h) is not torch.Tensor:
                seen['bad'].append((type(w), type(c), type(h)))
            elif c.requires_grad or h.requires_grad or w.grad_fn is not None:
                seen['bad'].append('graph')
            elif not (torch.equal(w.detach(), w0) and torch.equal(c, c0)):
                seen['bad'].append('value')
            seen['reads'] += 1

    finished = []
    lock = threading.Lock()

    def work(i):
        if i == 0:
            reader()
            return
        try:
            for _ in range(N_CALLS // 2):
                assert tree_equal(g(xs[i]), refs[i])
        finally:
            with lock:
                finished.append(i)
                if len(finished) == N_THREADS - 1:
                    done.set()

    run_threads(work)
    assert seen['reads'] > 0
    assert not seen['bad'], f'{len(seen["bad"])} reads saw a swapped value, e.g. {seen["bad"][0]}'


def test_nested_grad_from_many_threads():
    m = Model(4)
    inner = bm.grad(m.pure_loss, grad_vars=m.w)
    outer = bm.grad(lambda x: (inner(x) ** 2).sum(), argnums=0)
    xs = inputs(4)
    refs = [outer(x) for x in xs]

    def work(i):
        for _ in range(N_CALLS // 4):
            assert tree_equal(outer(xs[i]), refs[i])

    run_threads(work)
    assert_clean_thread()


# -- nn.Module parameters (swapped in place under a per-module lock) --------------

class LinearModel(bp.Base):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(5, 3)
        self.scale = bm.TrainVar(torch.tensor([0.5, 1., 2.]))
        self.h = bm.Variable(torch.zeros(3))

    def loss(self, x):
        self.h.value = torch.tanh(self.fc(x) * self.scale)
        return (self.h.value ** 2).mean()


def test_module_parameters_swapped_under_the_lock_from_many_threads():
    torch.manual_seed(0)
    m = LinearModel()
    params = m.train_vars()
    assert len(params) == 3      # fc.weight, fc.bias (module slots) and scale (a TrainVar)
    g = bm.grad(m.loss, grad_vars=params, argnums=0, return_value=True)
    xs = inputs(5)
    refs = [g(x) for x in xs]
    written = [torch.tanh(m.fc(x) * m.scale.value).detach() for x in xs]
    weight, bias = m.fc.weight, m.fc.bias
    w0, b0 = weight.detach().clone(), bias.detach().clone()

    def work(i):
        for _ in range(N_CALLS):
            assert tree_equal(g(xs[i]), refs[i]), f'thread {i} got another result'

    run_threads(work)
    assert m.fc.weight is weight and m.fc.bias is bias
    assert m.fc._parameters['weight'] is weight and isinstance(weight, nn.Parameter)
    assert torch.equal(weight.detach(), w0) and torch.equal(bias.detach(), b0)
    assert weight.grad is None and bias.grad is None
    assert any(torch.allclose(m.h.value, r) for r in written)


class Pause:
    """Lets the main thread look at a model while a worker thread is inside a transform."""

    def __init__(self):
        self.inside = threading.Event()
        self.resume = threading.Event()

    def __call__(self):
        if not self.inside.is_set():
            self.inside.set()
            assert self.resume.wait(10), 'the main thread never resumed the worker'

    def look_while_inside(self, call, look):
        errors = []

        def worker():
            try:
                call()
            except BaseException as e:  # noqa: BLE001
                errors.append(e)

        t = threading.Thread(target=worker)
        t.start()
        try:
            assert self.inside.wait(10), 'the worker never entered the transform'
            return look()
        finally:
            self.resume.set()
            t.join(10)
            if errors:
                raise errors[0]


def test_a_variable_swap_in_progress_is_invisible_to_other_threads():
    m = Model()
    pause = Pause()

    def loss(x):
        out = m.stateful_loss(x)
        pause()           # w, c are swapped for leaves and h holds a new value, in this thread
        return out

    g = bm.grad(loss, grad_vars=[m.w, m.c], argnums=0)
    stored = {name: (getattr(m, name)._value, getattr(m, name)._value.detach().clone())
              for name in ('w', 'c', 'h')}

    def look():
        return {name: (getattr(m, name)._read(), getattr(m, name).value.detach().clone())
                for name in stored}

    seen = pause.look_while_inside(lambda: g(torch.ones(6)), look)
    for name, (tensor, value) in stored.items():
        assert seen[name][0] is tensor, f'{name}: another thread saw the swapped-in tensor'
        assert torch.equal(seen[name][1], value), f'{name}: another thread saw a new value'
    assert not torch.equal(m.h.value, stored['h'][1])          # written back once it returned


def test_a_module_parameter_swap_in_progress_is_invisible_to_other_threads():
    class Pausing(LinearModel):
        def paused_loss(self, x):
            out = self.loss(x)
            pause()
            return out

    m = Pausing()
    pause = Pause()
    g = bm.grad(m.paused_loss, grad_vars=m.train_vars())
    weight, bias = m.fc.weight, m.fc.bias
    seen = pause.look_while_inside(lambda: g(torch.ones(5)), lambda: (m.fc.weight, m.fc.bias))
    assert m.fc.weight is weight                                  # restored afterwards
    assert seen[0] is weight and seen[1] is bias, \
        f'another thread saw a {type(seen[0]).__name__} instead of the nn.Parameter'


def test_a_module_swap_in_progress_does_not_break_another_threads_transform():
    class Pausing(LinearModel):
        def pure(self, x):
            return (torch.tanh(self.fc(x) * self.scale) ** 2).mean()

        def paused_pure(self, x):
            out = self.pure(x)
            pause()
            return out

    m = Pausing()
    pause = Pause()
    xs = torch.randn(4, 5)
    per_example = bm.vmap(bm.grad(m.pure, grad_vars=m.scale))
    expected = per_example(xs)
    jac = bm.jacrev(m.paused_pure, grad_vars=m.train_vars())
    seen = pause.look_while_inside(lambda: jac(xs[0]), lambda: per_example(xs))
    assert torch.allclose(seen, expected)


# -- bm.vmap ----------------------------------------------------------------------

def test_vmap_from_many_threads():
    m = Model(4)
    per_example = bm.vmap(bm.grad(m.pure_loss, grad_vars=m.w), axis_name='batch')
    total = bm.vmap(bm.grad(m.pure_loss, grad_vars=m.w, reduce_axes=('batch',)), axis_name='batch')
    normalised = bm.vmap(lambda x: x / bm.psum(x.abs().sum(), 'batch'), axis_name='batch')
    g = torch.Generator().manual_seed(1)
    xs = [torch.randn(3, 4, generator=g) for _ in range(N_THREADS)]
    refs = [(per_example(x), total(x), normalised(x)) for x in xs]
    snap = snapshot(m)

    def work(i):
        for _ in range(N_CALLS // 4):
            got = (per_example(xs[i]), total(xs[i]), normalised(xs[i]))
            assert tree_equal(got, refs[i]), f'thread {i} got another result'
        assert_clean_thread()

    run_threads(work)
    assert_untouched(m, snap)


def test_vmap_batched_vars_from_many_threads():
    s = bm.Variable(torch.zeros(3, 2))

    def step(x):
        s.value = s.value * 0. + torch.sin(x)
        return s.value.sum()

    f = bm.vmap(step, batched_vars=s)
    g = torch.Generator().manual_seed(2)
    xs = [torch.randn(3, 2, generator=g) for _ in range(N_THREADS)]
    refs = [f(x) for x in xs]
    valid = [torch.sin(x) for x in xs]
    def work(i):
        for _ in range(N_CALLS // 4):
            assert tree_equal(f(xs[i]), refs[i])

    run_threads(work)
    assert type(s._value) is torch.Tensor and s.value.grad_fn is None
    assert any(torch.equal(s.value, v) for v in valid)


# -- bm.jit -----------------------------------------------------------------------

@pytest.fixture
def fresh_dynamo():
    """Start from empty torch.compile caches (every bm.jit function shares one, see test_leaks)."""
    torch._dynamo.reset()
    yield
    torch._dynamo.reset()


def test_jit_from_many_threads(fresh_dynamo):
    m = Model(4)

    def train_step(x):
        g, loss = bm.grad(m.stateful_loss, grad_vars=m.w, return_value=True)(x)
        return g, loss, m.pure_loss(x)

    step = bm.jit(train_step, backend='aot_eager')
    xs = inputs(4)
    eager = [train_step(x) for x in xs]
    valid_h = [torch.tanh(m.w.value * x + m.c.value).detach() for x in xs]
    refs = [step(x) for x in xs]                  # compiled before the threads start
    for r, e in zip(refs, eager):
        assert all(torch.allclose(a, b.detach()) for a, b in zip(r, e))
    w_tensor = m.w._value

    def work(i):
        for _ in range(N_CALLS // 4):
            assert tree_equal(step(xs[i]), refs[i]), f'thread {i} got another result'

    run_threads(work)
    assert step.fell_back is None
    assert m.w._value is w_tensor and type(m.h._value) is torch.Tensor
    assert any(torch.allclose(m.h.value, v) for v in valid_h)
    assert m.h.value.grad_fn is None and w_tensor.grad is None


# -- forward mode -----------------------------------------------------------------

def test_forward_mode_from_many_threads():
    m = Model(4)
    jf = bm.jacfwd(lambda x: torch.sin(m.w * x), argnums=0)
    hs = bm.hessian(m.pure_loss, argnums=0)
    xs = inputs(4)
    refs = [(jf(x), hs(x)) for x in xs]

    def work(i):
        for _ in range(N_CALLS // 4):
            assert tree_equal((jf(xs[i]), hs(xs[i])), refs[i])

    run_threads(work, n=4)


def test_different_transforms_at_once_on_one_model():
    m = Model(4)
    xs = inputs(4)
    batch = torch.stack(xs[:3])
    fns = [
        lambda: bm.grad(m.pure_loss, grad_vars=m.w)(xs[0]),
        lambda: bm.vmap(bm.grad(m.pure_loss, grad_vars=m.w))(batch),
        lambda: bm.jacrev(m.pure_loss, grad_vars=m.c)(xs[1]),
        lambda: bm.jacrev(m.pure_loss, grad_vars=m.w)(xs[2]),
        lambda: bm.hessian(m.pure_loss, argnums=0)(xs[3]),        # the only forward-mode user
        lambda: bm.vector_grad(lambda x: torch.sin(m.w * x), argnums=0)(xs[4]),
        lambda: m.pure_loss(xs[5]).detach(),
        lambda: bm.grad(m.stateful_loss, grad_vars=m.w)(xs[6]),
    ]
    refs = [f() for f in fns]
    snap = snapshot(m)

    def work(i):
        for _ in range(N_CALLS // 8):
            assert tree_equal(fns[i](), refs[i]), f'transform {i} got another result'

    run_threads(work, n=len(fns))
    assert_untouched(m, snap, except_keys=('h',))
    assert torch.allclose(m.h.value, torch.tanh(m.w.value * xs[6] + m.c.value).detach())
