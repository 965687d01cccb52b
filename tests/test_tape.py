"""The taped compiled loop (bptorch.math.tape): gradients of ``bm.jit(bm.grad(...))``
of a ``bm.for_loop`` against ``torch.autograd`` of the same Python loop, the steps it
replays, and the loops it must hand back to autograd."""

import pytest
import torch

import bptorch as bp
import bptorch.math as bm
from bptorch.math import tape
from loop_models import Rate, reference_loss, xs_of


@pytest.fixture
def fresh_dynamo():
    torch._dynamo.reset()
    yield
    torch._dynamo.reset()


@pytest.fixture
def spy(monkeypatch):
    """Counts of the tape's forward calls, replayed steps and connected loops."""
    counts = {'record': 0, 'replay': 0, 'connect': 0}

    def counting(name, fn):
        def wrapped(*args, **kwargs):
            counts[name] += 1
            return fn(*args, **kwargs)
        return wrapped
    monkeypatch.setattr(tape.Tape, 'record', counting('record', tape.Tape.record))
    monkeypatch.setattr(tape.Replay, '__call__', counting('replay', tape.Replay.__call__))
    monkeypatch.setattr(tape.Tape, 'connect', counting('connect', tape.Tape.connect))
    return counts


def test_taped_loop_gradients_equal_autograd_of_the_python_loop(fresh_dynamo, spy):
    from torch._dynamo.utils import counters
    m = Rate()
    xs = xs_of(10)
    w, u = m.w.value.clone().requires_grad_(), m.u.value.clone().requires_grad_()
    xs_ref = xs.clone().requires_grad_()
    loss_ref, h_ref = reference_loss(w, u, xs_ref)
    gw, gu, gx = torch.autograd.grad(loss_ref, [w, u, xs_ref])
    step = bm.jit(bm.grad(m.loss_loop, grad_vars=m.train_vars(), argnums=0, return_value=True))
    before = counters['stats']['unique_graphs']
    (g_vars, g_xs), value = step(xs)
    assert step.loop_driven
    # steps 1..9 ran on the tape: 1 and 2 through the compiled frame, 3..9 replayed
    assert spy == {'record': 9, 'replay': 7, 'connect': 1}
    assert counters['stats']['unique_graphs'] - before == 1
    torch.testing.assert_close(value, loss_ref.detach())
    torch.testing.assert_close(g_vars['Rate0.w'] if 'Rate0.w' in g_vars else
                               g_vars[next(k for k in g_vars if k.endswith('.w'))], gw)
    torch.testing.assert_close(g_vars[next(k for k in g_vars if k.endswith('.u'))], gu)
    torch.testing.assert_close(g_xs, gx)
    torch.testing.assert_close(m.h.value, h_ref.detach())
    assert not m.h.value.requires_grad
    # a second call and a longer loop compile nothing new
    step(xs_of(10, seed=2))
    step(xs_of(25, seed=3))
    assert counters['stats']['unique_graphs'] - before == 1


def test_outside_a_gradient_a_compiled_loop_records_no_tape(fresh_dynamo, spy):
    """Outside bm.grad a loop's writes are detached (no graph is kept): nothing to tape."""
    w = bm.TrainVar(torch.randn(4, 4))
    h = bm.Variable(torch.zeros(4))

    def body(x):
        h.value = torch.tanh(h @ w + x)
        return h.value.square().sum()
    bm.for_loop(body, operands=torch.randn(6, 4), jit=True)
    assert spy == {'record': 0, 'replay': 0, 'connect': 0}
    assert h.value.grad_fn is None and not h.value.requires_grad


def test_a_graph_break_in_the_body_goes_through_autograd(fresh_dynamo, spy):
    m = Rate()
    xs = xs_of(6)

    def step(x):
        if float(x.sum()) > 100.:            # data-dependent Python: a graph break
            x = x * 0
        return Rate.step(m, x)
    m.step = step
    g_ref, v_ref = bm.grad(m.loss_loop, grad_vars=m.train_vars(), return_value=True)(xs)
    g, v = bm.jit(bm.grad(m.loss_loop, grad_vars=m.train_vars(), return_value=True))(xs)
    assert spy['connect'] == 0 and spy['replay'] == 0
    torch.testing.assert_close(v, v_ref)
    for k in g_ref:
        torch.testing.assert_close(g[k], g_ref[k])


@pytest.mark.parametrize('view', [False, True])
def test_steps_returning_inputs_and_views(view, fresh_dynamo, spy):
    """An input handed back as it is follows its gradient by identity (taped); an
    output that is a view of another (AOTAutograd's wrappers would rebuild it) sends
    the loop through autograd. The gradients are the same either way."""
    w = bm.TrainVar(torch.randn(3, 3))
    h = bm.Variable(torch.zeros(3))

    def body(x):
        h.value = torch.tanh(h @ w + x)
        return x, (h.value[:2] if view else h.value)

    def loss(xs):
        h.value = torch.zeros(3)
        xs_out, hs = bm.for_loop(body, operands=xs)
        return (hs ** 2).sum() + (xs_out * 3).sum()
    xs = torch.randn(5, 3)
    (g_ref, gx_ref), v_ref = bm.grad(loss, grad_vars=[w], argnums=0, return_value=True)(xs)
    (g, gx), v = bm.jit(bm.grad(loss, grad_vars=[w], argnums=0, return_value=True))(xs)
    assert spy['connect'] == (0 if view else 1)
    torch.testing.assert_close(v, v_ref)
    torch.testing.assert_close(g[0], g_ref[0])
    torch.testing.assert_close(gx, gx_ref)


def test_a_step_that_recompiles_is_not_replayed(fresh_dynamo, spy):
    """A Python number the body changes and reads: dynamo recompiles at the next step,
    so no step is replayed and every step sees its own value."""
    class Counting(bp.Base):
        def __init__(self):
            super().__init__()
            self.w = bm.TrainVar(torch.ones(2))
            self.h = bm.Variable(torch.zeros(2))
            self.k = 0

        def step(self, x):
            self.k += 1
            self.h.value = self.h * 0.5 + x * self.w * self.k
            return self.h.value

        def loss(self, xs):
            self.k = 0
            self.h.value = torch.zeros(2)
            return bm.for_loop(self.step, operands=xs).sum()
    m = Counting()
    xs = torch.ones(4, 2)
    g_ref, v_ref = bm.grad(m.loss, grad_vars=[m.w], return_value=True)(xs)
    g, v = bm.jit(bm.grad(m.loss, grad_vars=[m.w], return_value=True))(xs)
    assert spy['replay'] == 0 and m.k == 4
    torch.testing.assert_close(v, v_ref)
    torch.testing.assert_close(g[0], g_ref[0])


def test_an_error_after_a_taped_loop_changes_nothing(fresh_dynamo):
    m = Rate()
    h_before = m.h.value.clone()

    def loss(xs):
        out = m.loss_loop(xs)
        if out > -1:
            raise ValueError('after the loop')
        return out
    step = bm.jit(bm.grad(loss, grad_vars=m.train_vars()))
    with pytest.raises(ValueError, match='after the loop'):
        step(xs_of(6))
    torch.testing.assert_close(m.h.value, h_before)
    assert not m.h.value.requires_grad


def test_tapes_of_two_threads_stay_apart(fresh_dynamo):
    import threading
    models = [Rate(), Rate()]
    xs = [xs_of(8, seed=4), xs_of(8, seed=5)]
    results = [None, None]

    def run(i):
        step = bm.jit(bm.grad(models[i].loss_loop, grad_vars=models[i].train_vars()))
        results[i] = [step(xs[i]) for _ in range(3)]
    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i, m in enumerate(models):
        w = m.w.value.clone().requires_grad_()
        gw, = torch.autograd.grad(reference_loss(w, m.u.value, xs[i])[0], [w])
        for g in results[i]:
            torch.testing.assert_close(g[next(k for k in g if k.endswith('.w'))], gw)


@pytest.mark.parametrize('unroll,reverse', [(3, False), (2, True)])
def test_taped_chunks_of_steps(unroll, reverse, fresh_dynamo, spy):
    m = Rate()
    xs = xs_of(8)

    def loss(xs):
        m.h.value = torch.zeros_like(m.h.value)
        return (bm.for_loop(m.step, operands=xs, unroll=unroll, reverse=reverse) ** 2).mean()
    g_ref, v_ref = bm.grad(loss, grad_vars=m.train_vars(), return_value=True)(xs)
    h_ref = m.h.value.clone()
    g, v = bm.jit(bm.grad(loss, grad_vars=m.train_vars(), return_value=True))(xs)
    assert spy['connect'] == 1 and spy['record'] == -(-7 // unroll)   # chunks of the 7 steps
    torch.testing.assert_close(v, v_ref)
    torch.testing.assert_close(m.h.value, h_ref)
    for k in g_ref:
        torch.testing.assert_close(g[k], g_ref[k])


def test_a_taped_step_that_draws_random_numbers(fresh_dynamo, spy):
    """torch's random numbers in the body: new ones at every replayed step, and the
    gradient of the noise the steps drew (saved for the backward, not drawn again)."""
    w = bm.TrainVar(torch.ones(3))
    h = bm.Variable(torch.zeros(3))

    def body(x):
        noise = torch.randn(3)
        h.value = h * 0.5 + x * w * noise
        return noise

    def loss(xs):
        h.value = torch.zeros(3)
        noise = bm.for_loop(body, operands=xs)
        return (h.value ** 2).sum(), noise
    xs = torch.ones(6, 3)
    g, value, noise = bm.jit(bm.grad(loss, grad_vars=[w], has_aux=True, return_value=True))(xs)
    assert spy['connect'] == 1 and spy['replay'] == 3
    assert len({tuple(row.tolist()) for row in noise}) == 6
    w_ref = w.value.detach().clone().requires_grad_()
    h_ref = torch.zeros(3)
    for t in range(6):
        h_ref = h_ref * 0.5 + xs[t] * w_ref * noise[t]
    (h_ref ** 2).sum().backward()
    torch.testing.assert_close(g[0], w_ref.grad)
    torch.testing.assert_close(value, (h_ref ** 2).sum().detach())
