"""bptorch._compat and bm.jit on every supported torch: each kind of tracing failure.

Each test here must pass on every torch that setup.cfg allows (see
scripts/test_torch_versions.sh): the assertions are about what bm.jit does, never
about the text of a particular torch version's errors.
"""

import contextlib
import inspect
import threading
import warnings

import pytest
import torch
from torch._dynamo.testing import CompileCounter

import bptorch as bp
import bptorch.math as bm
from bptorch import _compat
from bptorch.errors import JitFallbackWarning


@pytest.fixture(autouse=True)
def _fresh_dynamo():
    torch._dynamo.reset()
    yield
    torch._dynamo.reset()


@contextlib.contextmanager
def _no_fallback_warning():
    with warnings.catch_warnings():
        warnings.simplefilter('error', JitFallbackWarning)
        yield


class Model(bp.Base):
    def __init__(self):
        super().__init__()
        self.w = bm.TrainVar(torch.tensor([[1., 2.], [3., 4.], [5., 6.]]))
        self.h = bm.Variable(torch.zeros(2))
        self.calls = bm.Variable(torch.zeros(()))


def _compile_error(f, *args):
    """The exception torch.compile(fullgraph=True) raises for f (None if it compiles)."""
    try:
        torch.compile(f, fullgraph=True, backend='eager')(*args)
    except Exception as e:      # noqa: BLE001
        return e
    return None


# -- the classification itself ---------------------------------------------------------------

def test_trace_failure_tells_the_kinds_apart_on_this_torch():
    def raises(x):
        raise KeyError('the user said no')

    def bad_shapes(x):
        return x @ torch.ones(5, 2)

    def breaks(x):
        torch._dynamo.graph_break()
        return x + 1

    x = torch.ones(3, 3)
    assert _compat.trace_failure(_compile_error(raises, x)) == _compat.RAISED
    assert _compat.trace_failure(_compile_error(bad_shapes, x)) == _compat.OPERATOR
    assert _compat.trace_failure(_compile_error(breaks, x)) == _compat.UNSUPPORTED
    # an exception the compiled code raises as it runs is not a tracing failure
    assert _compat.trace_failure(IndexError('index 7 is out of bounds')) is None
    assert _compat.trace_failure(ValueError('x')) is None


def test_trace_failure_of_a_backend_that_fails_is_internal():
    def backend(gm, example_inputs):
        raise RuntimeError('the backend broke')

    err = None
    try:
        torch.compile(lambda x: x * 2, fullgraph=True, backend=backend)(torch.ones(2))
    except Exception as e:      # noqa: BLE001
        err = e
    assert _compat.trace_failure(err) == _compat.INTERNAL


def test_error_text_includes_the_causes():
    try:
        try:
            raise ValueError('inner reason')
        except ValueError as inner:
            raise RuntimeError('outer') from inner
    except RuntimeError as e:
        text = _compat.error_text(e)
    assert 'outer' in text and 'inner reason' in text


# -- RAISED: the user's own exception comes out as itself -------------------------------------

@pytest.mark.parametrize('fullgraph', [False, True])
def test_the_users_exception_comes_out_as_itself_with_variables_unchanged(fullgraph):
    m = Model()
    h0, w0 = m.h.value.clone(), m.w.value.clone()

    def step(x, limit=10):
        if x.shape[0] > limit:                  # a check of the input, as users write it
            raise ValueError('input too long')
        m.h.value = m.h.value + x
        m.calls.value = m.calls.value + 1
        return m.h.value.sum()

    def rejects(x):
        m.h.value = m.h.value + x
        raise KeyError('refused')

    with _no_fallback_warning():
        jitted = bm.jit(rejects, fullgraph=fullgraph, backend='eager')
        for _ in range(2):                   # each call raises it again, nothing is cached
            with pytest.raises(KeyError, match='refused') as info:
                jitted(torch.ones(2))
            assert type(info.value) is KeyError
            # raised by the function run as Python, not chained to dynamo's error
            assert not isinstance(info.value.__context__, _compat.dynamo_errors().any or ())
        assert jitted.fell_back is None
        assert torch.equal(m.h.value, h0) and torch.equal(m.w.value, w0)

        counter = CompileCounter()
        ok = bm.jit(step, fullgraph=fullgraph, backend=counter)
        assert torch.equal(ok(torch.ones(2)), torch.tensor(2.))
        assert ok.fell_back is None and torch.equal(m.calls.value, torch.tensor(1.))
        with pytest.raises(ValueError, match='input too long'):
            ok(torch.ones(2), limit=1)
        assert torch.equal(ok(torch.ones(2)), torch.tensor(4.))
        assert ok.fell_back is None and torch.equal(m.calls.value, torch.tensor(2.))


# -- OPERATOR: an operator fails on the fake tensors of the trace -----------------------------

@pytest.mark.parametrize('fullgraph', [False, True])
def test_a_shape_error_comes_out_as_torchs_own_error(fullgraph):
    m = Model()
    before = m.h.value.clone()

    def step(x):
        m.h.value = m.h.value + 1
        return x @ m.w                      # (4, 4) @ (3, 2): the user's mistake

    with _no_fallback_warning():
        jitted = bm.jit(step, fullgraph=fullgraph, backend='eager')
        with pytest.raises(RuntimeError) as info:
            jitted(torch.ones(4, 4))
    with pytest.raises(RuntimeError) as eager:
        torch.ones(4, 4) @ m.w.value
    assert type(info.value) is type(eager.value) and str(info.value) == str(eager.value)
    assert jitted.fell_back is None and torch.equal(m.h.value, before)
    assert torch.equal(jitted(torch.ones(4, 3)), torch.ones(4, 3) @ m.w.value)


class Normed(bp.Base):
    def __init__(self):
        super().__init__()
        self.bn = torch.nn.BatchNorm1d(3)
        self.w = bm.TrainVar(torch.ones(3))
        self.seen = bm.Variable(torch.zeros(()))

    def loss(self, x):
        self.seen.value = self.seen.value + 1
        return (self.bn(x) * self.w).pow(2).mean()


def test_a_tracing_limit_falls_back_with_a_warning_and_is_cached():
    """BatchNorm's running statistics change in place inside a gradient: torch.func
    cannot trace that (an observed RuntimeError since torch 2.14, a TorchRuntimeError
    before); bm.jit says so and runs eagerly, once deciding."""
    eager, compiled = Normed(), Normed()
    x = torch.randn(8, 3)
    expected = bm.grad(eager.loss, grad_vars=eager.w)(x)
    counter = CompileCounter()
    jitted = bm.jit(bm.grad(compiled.loss, grad_vars=compiled.w), backend=counter)
    with pytest.warns(JitFallbackWarning, match='changes a tensor in place inside a gradient') as w:
        got = jitted(x)
    assert w[0].filename == __file__         # points at the caller
    assert torch.allclose(got, expected)
    assert torch.allclose(compiled.bn.running_mean, eager.bn.running_mean)
    assert torch.equal(compiled.seen.value, torch.tensor(1.))
    assert jitted.fell_back is not None and 'in place' in jitted.fell_back
    with _no_fallback_warning():            # decided once: no new trace, no new warning
        jitted(x)
    assert counter.frame_count == 0 and torch.equal(compiled.seen.value, torch.tensor(2.))


def test_a_tracing_limit_under_fullgraph_raises_and_changes_no_variable():
    m = Normed()
    jitted = bm.jit(bm.grad(m.loss, grad_vars=m.w), fullgraph=True, backend='eager')
    with pytest.raises(torch._dynamo.exc.TorchDynamoException):
        jitted(torch.randn(8, 3))
    assert torch.equal(m.seen.value, torch.tensor(0.)) and jitted.fell_back is None


# -- UNSUPPORTED: a graph break -----------------------------------------------------------------

def test_a_graph_break_falls_back_with_a_warning_and_keeps_eager_results():
    m = Model()

    def step(x):
        y = m.h.value + x
        torch._dynamo.graph_break()
        m.h.value = y * 2
        return m.h.value.sum()

    jitted = bm.jit(step, backend='eager')
    with pytest.warns(JitFallbackWarning, match="cannot capture 'step' as one graph"):
        first = jitted(torch.ones(2))
    assert torch.equal(first, torch.tensor(4.)) and torch.equal(m.h.value, torch.full((2,), 2.))
    with _no_fallback_warning():
        for expected in (12., 28.):
            assert torch.equal(jitted(torch.ones(2)), torch.tensor(expected))
    assert jitted.fell_back is not None
    strict = bm.jit(step, fullgraph=True, backend='eager')
    with pytest.raises(torch._dynamo.exc.Unsupported):
        strict(torch.ones(2))
    assert torch.equal(m.h.value, torch.full((2,), 14.))


# -- RECOMPILE_LIMIT and INTERNAL ---------------------------------------------------------------

def test_a_failing_backend_falls_back_eagerly_with_a_warning():
    calls = []

    def backend(gm, example_inputs):
        calls.append(1)
        raise RuntimeError('the backend broke')

    v = bm.Variable(torch.zeros(2))

    def step(x):
        v.value = v.value + x
        return v.value * 2

    jitted = bm.jit(step, backend=backend)
    with pytest.warns(JitFallbackWarning, match='torch.compile failed'):
        assert torch.equal(jitted(torch.ones(2)), torch.full((2,), 2.))
    with _no_fallback_warning():
        assert torch.equal(jitted(torch.ones(2)), torch.full((2,), 4.))
    assert len(calls) == 1 and torch.equal(v.value, torch.full((2,), 2.))
    with pytest.raises(torch._dynamo.exc.TorchDynamoException):
        bm.jit(step, fullgraph=True, backend=backend)(torch.ones(2))
    assert torch.equal(v.value, torch.full((2,), 2.))


def test_recompiling_too_often_falls_back_with_a_warning():
    name = 'recompile_limit' if hasattr(torch._dynamo.config, 'recompile_limit') \
        else 'cache_size_limit'
    # a str argument is a constant of the graph (a number would become dynamic)
    f = bm.jit(lambda x, n: x * len(n), static_argnames='n', backend='eager')
    with torch._dynamo.config.patch(**{name: 2}):
        with _no_fallback_warning():
            f(torch.ones(2), n='a')
            f(torch.ones(2), n='bb')
        with pytest.warns(JitFallbackWarning, match='recompiled too often'):
            assert torch.equal(f(torch.ones(2), n='ccc'), torch.full((2,), 3.))
        with _no_fallback_warning():
            assert torch.equal(f(torch.ones(2), n='dddd'), torch.full((2,), 4.))
    assert 'recompiled too often' in f.fell_back


# -- what bm.jit needs from dynamo, on every version --------------------------------------------

def test_a_training_step_that_lists_the_models_variables_is_one_graph():
    """train_vars() lists each Base's __dict__: dynamo before 2.13 could not (a graph
    break); _compat teaches it, under a guard on the attribute names."""
    m = Model()

    def step(x):
        total = 0.
        for v in m.vars().values():
            total = total + v.value.sum()
        m.calls.value = m.calls.value + 1
        return total + x

    counter = CompileCounter()
    with _no_fallback_warning():
        jitted = bm.jit(step, fullgraph=True, backend=counter)
        assert torch.equal(jitted(torch.zeros(())), torch.tensor(21.))      # w, h, calls
        assert torch.equal(jitted(torch.zeros(())), torch.tensor(22.))
        assert counter.frame_count == 1
        m.extra = bm.Variable(torch.full((3,), 10.))      # a new attribute: recompiled
        assert torch.equal(jitted(torch.zeros(())), torch.tensor(21. + 2. + 30.))
        assert counter.frame_count == 2
    assert jitted.fell_back is None


def test_assignment_through_the_value_descriptor_is_traced():
    v = bm.Variable(torch.zeros(3))
    w = bm.TrainVar(torch.ones(3))

    def step(x):
        v.value = v.value + x
        w.value = w.value * 2
        v[0] = -1.
        return v.value

    counter = CompileCounter()
    jitted = bm.jit(step, fullgraph=True, backend=counter)
    for _ in range(2):
        jitted(torch.ones(3))
    assert torch.equal(v.value, torch.tensor([-1., 2., 2.]))
    assert torch.equal(w.value.detach(), torch.full((3,), 4.)) and counter.frame_count == 1


def test_jit_in_another_thread_sees_that_threads_frames_only():
    v = bm.Variable(torch.zeros(2))
    jitted = bm.jit(lambda x: v.update(v.value + x) or v.value, fullgraph=True, backend='eager')
    errors = []

    def worker():
        try:
            for _ in range(3):
                jitted(torch.ones(2))
        except Exception as e:      # noqa: BLE001
            errors.append(e)

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert not errors and torch.equal(v.value, torch.full((2,), 3.))
    assert _compat.is_dynamo_compiling() is False


def test_a_loop_inside_jit_runs_its_body_compiled_without_a_warning():
    h = bm.Variable(torch.zeros(2))

    def run(xs):
        return bm.for_loop(lambda x: h.update(h.value * .5 + x) or h.value, [h], xs)

    with _no_fallback_warning():
        jitted = bm.jit(run, backend='eager')
        ys = jitted(torch.ones(3, 2))
    assert torch.allclose(ys[:, 0], torch.tensor([1., 1.5, 1.75]))
    assert jitted.loop_driven and jitted.fell_back is None


def test_operator_rules_are_installed():
    assert _compat.install_dynamo_rules(bm.Variable) is True
    a = bm.Variable(torch.tensor([[1., 2.], [3., 4.]]))
    t = torch.tensor([[0., 1.], [1., 0.]])
    with _no_fallback_warning():
        got = bm.jit(lambda: a @ t, fullgraph=True, backend='eager')()
    assert torch.equal(got, a.value @ t)


def test_unary_operators_on_variables_compile_as_one_graph():
    v = bm.Variable(torch.tensor([1., -2.]))
    s = bm.Variable(torch.tensor([True, False]))
    with _no_fallback_warning():
        got = bm.jit(lambda: (-v, +v, abs(v), ~s), fullgraph=True, backend='eager')()
    assert torch.equal(got[0], -v.value) and torch.equal(got[1], v.value)
    assert torch.equal(got[2], v.value.abs()) and torch.equal(got[3], ~s.value)


# -- compile_split: the calling conventions the tape relies on ---------------------------------

def _split_of(f, *args):
    """``f(*args)`` compiled through :func:`_compat.compile_split`: its result, the
    split, and ``args`` in the order of the graph's inputs (dynamo's, not ours)."""
    captured = []
    names = list(inspect.signature(f).parameters)

    def backend(gm, example_inputs):
        call, split = _compat.compile_split(gm, example_inputs)
        order = [names.index(n.target[2:-1]) for n in gm.graph.nodes if n.op == 'placeholder']
        captured.append((split, [args[i] for i in order]))
        return call
    torch._dynamo.reset()
    try:
        out = torch.compile(f, backend=backend, dynamic=False, fullgraph=True)(*args)
    finally:
        torch._dynamo.reset()
    return out, captured[0][0], captured[0][1]


def test_compile_split_forward_and_backward_match_autograd():
    def f(a, b, c):
        return torch.tanh(a @ b) * c, (a * 2).sum()
    a = torch.randn(3, 4, requires_grad=True)
    b = torch.randn(4, 2, requires_grad=True)
    c = torch.randn(3, 2)                        # no gradient wanted
    through_autograd, split, inputs = _split_of(f, a, b, c)
    assert inputs == [a, b, c]
    assert split.usable and split.why is None
    assert split.n_outputs == 2 and split.tangent_outputs == [0, 1]
    with torch.no_grad():
        result = split.forward(inputs)
    outs, saved = result[:split.n_outputs], result[split.n_outputs:]
    assert len(saved) == split.n_saved
    ref = f(a, b, c)
    for got, want, direct in zip(outs, ref, through_autograd):
        torch.testing.assert_close(got, want.detach())
        torch.testing.assert_close(direct.detach(), want.detach())
    g1, g2 = torch.randn(3, 2), torch.tensor(1.5)
    grads = split.backward([*saved, g1, g2])
    want_a, want_b = torch.autograd.grad(ref, [a, b], [g1, g2])
    assert len(grads) == 3 and grads[2] is None
    torch.testing.assert_close(grads[0], want_a)
    torch.testing.assert_close(grads[1], want_b)


def test_compile_split_keeps_an_input_change_that_the_graph_makes_itself():
    """A tensor outside autograd changed in place: the forward graph changes it, so a
    direct call does what the step does."""
    def f(a, b):
        b.add_(1.)
        return a * b
    a = torch.randn(3, requires_grad=True)
    b = torch.zeros(3)
    out, split, inputs = _split_of(f, a, b)
    torch.testing.assert_close(b, torch.ones(3))
    assert split.usable and inputs == [b, a]        # the graph takes b first
    with torch.no_grad():
        again = split.forward(inputs)[0]
    torch.testing.assert_close(b, torch.full((3,), 2.))
    torch.testing.assert_close(again, a.detach() * 2)


def test_compile_split_refuses_an_output_that_is_a_view_of_an_input():
    a = torch.randn(3, 2, requires_grad=True)
    out, split, _ = _split_of(lambda a: (a * 2, a.t()), a)
    assert not split.usable and 'alias' in split.why


def test_compile_split_of_an_inference_graph_is_not_usable():
    out, split, _ = _split_of(lambda a: a.sin(), torch.randn(3))
    assert not split.usable and split.forward is None
