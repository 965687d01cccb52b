"""No leaks: memory stays flat over many calls, and no transform leaves anything behind.

Memory is measured over windows after a warm-up: on the CPU with ``tracemalloc``
(Python objects), the resident set size (tensor data) and a count of live tensor
objects; on CUDA with ``torch.cuda.memory_allocated``.
"""

import gc
import os
import tracemalloc
import weakref

import pytest
import torch
from torch import nn
from torch.utils import _pytree as pytree

import bptorch as bp
import bptorch.math as bm
from bptorch.math import batching, state
from bptorch import _compat
from bptorch.math.variables import context

is_wrapped = torch._C._functorch.is_functorch_wrapped_tensor

PY_SLACK = 32 * 1024          # bytes of Python allocations a window may gain
RSS_SLACK = 8 * 1024 * 1024   # bytes of resident memory a window may gain (allocator noise)
CUDA_SLACK = 64 * 1024


# -- helpers ---------------------------------------------------------------------

def _rss() -> int | None:
    try:
        with open('/proc/self/statm') as f:
            return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')
    except (OSError, ValueError, IndexError):
        return None


def _live_tensors() -> int:
    return sum(1 for o in gc.get_objects() if issubclass(type(o), torch.Tensor))


class Meter:
    """Readings of memory at the ends of windows; asserts they stay flat."""

    def __init__(self, device):
        self.device = device
        self.readings = []

    def __enter__(self):
        if self.device.type == 'cpu':
            tracemalloc.start()
        return self

    def __exit__(self, *exc):
        if self.device.type == 'cpu':
            tracemalloc.stop()

    def read(self):
        gc.collect()
        if self.device.type == 'cuda':
            torch.cuda.synchronize(self.device)
            self.readings.append({'cuda': torch.cuda.memory_allocated(self.device)})
        else:
            self.readings.append({'python': tracemalloc.get_traced_memory()[0], 'rss': _rss(),
                                  'tensors': _live_tensors()})

    def assert_flat(self):
        """Each window gains at most the slack. (A leak gains in every window; caches that
        fill up once, or tracemalloc's view of objects created before it started being
        replaced by traced ones, only in the first.)"""
        slack = {'python': PY_SLACK, 'rss': RSS_SLACK, 'tensors': 16, 'cuda': CUDA_SLACK}
        for before, after in zip(self.readings, self.readings[1:]):
            for key, value in after.items():
                if value is None or before[key] is None:
                    continue
                assert value - before[key] <= slack[key], \
                    f'{key} grew from {before[key]} to {value} in one window ({self.readings})'


def run_windows(meter, fn, warmup, windows, per_window):
    for _ in range(warmup):
        fn()
    meter.read()
    for _ in range(windows):
        for _ in range(per_window):
            fn()
        meter.read()
    meter.assert_flat()


def assert_thread_clean():
    assert context.top is None and state.autograd_depth() == 0
    assert not _compat.functorch_level_active()
    assert batching._axes.stack == []


@pytest.fixture
def fresh_dynamo():
    torch._dynamo.reset()
    yield
    torch._dynamo.reset()


class Stateful(bp.Base):
    """A TrainVar, a read-only Variable, two written Variables and an nn.Linear."""

    def __init__(self, n=3, device='cpu'):
        super().__init__()
        self.w = bm.TrainVar(torch.linspace(-1., 1., n, device=device))
        self.c = bm.Variable(torch.linspace(0.5, 1.5, n, device=device))
        self.h = bm.Variable(torch.zeros(n, device=device))
        self.count = bm.Variable(torch.tensor(0, device=device))
        self.fc = nn.Linear(n, 2).to(device)

    def loss(self, x):
        self.h.value = torch.tanh(self.w * self.c)     # does not depend on x: fine under vmap
        self.count += 1
        return (self.fc(torch.sin(self.w * x) + self.h.value) ** 2).sum()


# -- 10,000 gradient calls ---------------------------------------------------------------

class Recurrent(bp.Base):
    def __init__(self, device):
        super().__init__()
        self.w = bm.TrainVar(torch.randn(64, 64, device=device) * 0.1)
        self.h = bm.Variable(torch.zeros(64, device=device))
        self.steps = bm.Variable(torch.tensor(0, device=device))
        self.fc = nn.Linear(64, 4).to(device)

    def loss(self, x):
        self.h.value = torch.tanh(self.w @ x + 0.5 * self.h.value)
        self.steps += 1
        return (self.fc(self.h.value) ** 2).sum()


def test_ten_thousand_grad_calls_leave_memory_flat(device):
    torch.manual_seed(0)
    m = Recurrent(device)
    g = bm.grad(m.loss, grad_vars=m.train_vars(), argnums=0, return_value=True)
    x = torch.randn(64, device=device)
    stored = {k: weakref.ref(v._value) for k, v in m.vars().items() if isinstance(v, bm.Variable)}

    def call():
        g(x)

    with Meter(device) as meter:
        run_windows(meter, call, warmup=1000, windows=2, per_window=4500)
    assert int(m.steps.value) == 10_000
    for key, var in m.vars().items():
        if isinstance(var, bm.Variable):
            _check_stored(var, stored[key](), key)
    assert m.w.value.grad is None and m.h.value.grad_fn is None
    assert_thread_clean()


# -- nothing is left in a Variable after a transform ----------------------------------------

def _transforms(m, x, xs):
    vars_ = m.train_vars() if m is not None else None
    return {
        'grad': lambda: bm.grad(m.loss, grad_vars=vars_, argnums=0, return_value=True)(x),
        'grad_of_grad': lambda: bm.grad(lambda x: bm.grad(m.loss, grad_vars=m.w)(x).sum(),
                                        argnums=0)(x),
        'vector_grad': lambda: bm.vector_grad(m.loss, grad_vars=vars_, argnums=0)(x),
        'jacrev': lambda: bm.jacrev(m.loss, grad_vars=vars_, argnums=0, return_value=True)(x),
        'jacfwd': lambda: bm.jacfwd(m.loss, grad_vars=vars_, argnums=0)(x),
        'hessian': lambda: bm.hessian(m.loss, grad_vars=m.w, argnums=0, return_value=True)(x),
        'vmap': lambda: bm.vmap(m.loss)(xs),
        'vmap_of_grad': lambda: bm.vmap(bm.grad(m.loss, grad_vars=vars_), axis_name='b')(xs),
        'grad_reduce_axes': lambda: bm.vmap(bm.grad(m.loss, grad_vars=m.w, reduce_axes=('b',)),
                                            axis_name='b')(xs),
        'jit': lambda: bm.jit(m.loss, backend='eager')(x),
        'jit_of_grad': lambda: bm.jit(bm.grad(m.loss, grad_vars=m.w, argnums=0),
                                      backend='eager')(x),
    }


TRANSFORMS = list(_transforms(None, None, None))


def _check_stored(var, tensor, name):
    """What a Variable holds after a transform: its own parameter (a TrainVar keeps the
    same one), or a plain tensor (a written Variable holds a new one, as in BrainPy)."""
    t = var._value
    if isinstance(var, bm.TrainVar):
        assert t is tensor, f'{name}: the parameter object was replaced'
    assert var._read() is t, f'{name}: an overlay is still visible'
    assert not is_wrapped(t), f'{name} holds a functorch-wrapped tensor'
    if isinstance(var, bm.TrainVar):
        assert isinstance(t, nn.Parameter) and t.is_leaf and t.requires_grad, name
        assert t.grad is None, f'{name}: a gradient was accumulated into .grad'
    else:
        assert t.grad_fn is None and not t.requires_grad, f'{name} holds a graph'
        assert type(t) is torch.Tensor, name


@pytest.mark.parametrize('transform', TRANSFORMS)
def test_no_variable_holds_transform_tensors_afterwards(transform, fresh_dynamo):
    torch.manual_seed(0)
    m = Stateful()
    x = torch.tensor([0.3, -0.2, 0.9])
    xs = torch.stack([x, 2 * x, -x])
    variables = {k: v for k, v in m.vars().items() if isinstance(v, bm.Variable)}
    stored = {k: weakref.ref(v._value) for k, v in variables.items()}
    params = {name: p for name, p in m.fc.named_parameters()}

    result = _transforms(m, x, xs)[transform]()

    for key, var in variables.items():
        _check_stored(var, stored[key](), key)
    for name, p in params.items():
        assert getattr(m.fc, name) is p and m.fc._parameters[name] is p
        assert isinstance(p, nn.Parameter) and p.grad is None and not is_wrapped(p)
    expected_h = torch.tanh(m.w.value * m.c.value).detach()
    assert torch.allclose(m.h.value, expected_h), 'the write did not land'
    assert int(m.count.value) >= 1
    for leaf in pytree.tree_leaves(result):
        if isinstance(leaf, torch.Tensor):
            assert not is_wrapped(leaf), 'a result is a functorch-wrapped tensor'
    assert_thread_clean()



@pytest.mark.parametrize('transform', [
    'grad', 'vector_grad',
    'jacrev',
    'jacfwd',
    'hessian'])
def test_top_level_results_keep_no_graph_to_parameters_not_differentiated(transform):
    m = Stateful()
    x = torch.tensor([0.3, -0.2, 0.9])
    fn = getattr(bm, transform)
    # m.fc's parameters (requires_grad=True) are used but not differentiated
    results = [fn(m.loss, grad_vars=m.w, return_value=True)(x), fn(m.loss, argnums=0)(x)]
    for leaf in pytree.tree_leaves(results):
        if isinstance(leaf, torch.Tensor):
            assert leaf.grad_fn is None and not leaf.requires_grad, \
                f'a result of bm.{transform} keeps a graph ({leaf.grad_fn})'


@pytest.mark.parametrize('transform', ['grad', 'jacrev', 'jacfwd', 'vmap_of_grad'])
def test_a_failing_transform_leaves_nothing_behind(transform):
    m = Stateful()

    def boom(x):
        m.loss(x)
        raise RuntimeError('boom')

    variables = {k: v for k, v in m.vars().items() if isinstance(v, bm.Variable)}
    stored = {k: (weakref.ref(v._value), v._value.detach().clone()) for k, v in variables.items()}
    weight = m.fc.weight
    fn = {'grad': lambda: bm.grad(boom, grad_vars=m.w)(torch.ones(3)),
          'jacrev': lambda: bm.jacrev(boom, grad_vars=m.w)(torch.ones(3)),
          'jacfwd': lambda: bm.jacfwd(boom, argnums=0)(torch.ones(3)),
          'vmap_of_grad': lambda: bm.vmap(bm.grad(boom, grad_vars=m.w))(torch.ones(2, 3))}[transform]
    with pytest.raises(RuntimeError, match='boom'):
        fn()
    for key, var in variables.items():
        _check_stored(var, stored[key][0](), key)
        assert torch.equal(var._value.detach(), stored[key][1]), f'{key} changed'
    assert m.fc.weight is weight
    assert_thread_clean()


# -- assignment outside transforms ------------------------------------------------------------

def test_assigning_outside_transforms_grows_no_graph(device):
    n = 16384                   # 64 KiB a tensor: one kept per step would show in the RSS
    w = bm.TrainVar(torch.full((n,), 0.99, device=device))
    s = bm.Variable(torch.zeros(n, device=device))
    x = torch.full((n,), 0.01, device=device)
    ref = torch.zeros(n, device=device)

    def step():
        nonlocal ref
        s.value = s.value * w + x
        s.update(s * w)
        box = s
        box += w * x                       # the in-place operator path
        s[:8] = w[:8] * s[:8]
        with torch.no_grad():
            ref = ref * 0.99 + x
            ref = ref * 0.99
            ref = ref + 0.99 * x
            ref[:8] = 0.99 * ref[:8]
        # (the products with w keep views of the old tensor for w's gradient, so
        # it is replaced rather than overwritten: the Meter checks none piles up)
        assert type(s.value) is torch.Tensor and s.value.grad_fn is None
        assert not s.value.requires_grad

    with Meter(device) as meter:
        run_windows(meter, step, warmup=400, windows=2, per_window=300)
    assert torch.allclose(s.value, ref)
    assert w.value.grad is None


# -- dropped objects are freed ---------------------------------------------------------------

def test_dropped_models_and_transforms_are_freed(fresh_dynamo):
    refs = []
    for _ in range(5):
        m = Stateful()
        x = torch.ones(3)
        fns = [bm.grad(m.loss, grad_vars=m.train_vars(), argnums=0),
               bm.vmap(bm.grad(m.loss, grad_vars=m.w)),
               bm.jacrev(m.loss, grad_vars=m.train_vars())]
        fns[0](x), fns[1](torch.ones(2, 3)), fns[2](x)
        refs += [weakref.ref(m), weakref.ref(m.w), weakref.ref(m.fc)] + [weakref.ref(f) for f in fns]
        del m, fns
    jitted = Stateful()
    step = bm.jit(jitted.loss, backend='eager')
    step(torch.ones(3))
    refs += [weakref.ref(jitted), weakref.ref(step)]
    del jitted, step
    gc.collect()
    alive = [r() for r in refs if r() is not None]
    assert not alive, f'{len(alive)} objects outlive every reference, e.g. {type(alive[0])}'


def test_many_jit_functions_in_one_process_all_compile(fresh_dynamo):
    class Net(bp.Base):
        def __init__(self):
            super().__init__()
            self.w = bm.TrainVar(torch.ones(3))

        def step(self, x):
            return (self.w * x).sum()

    x = torch.ones(3)
    for _i in range(12):                    # e.g. a sweep that builds a model per trial
        net = Net()
        assert bm.jit(net.step, backend='eager')(x).item() == 3.
        del net
        gc.collect()
