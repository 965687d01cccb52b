"""Loops and branches over Variables against hand-written Python loops and torch.autograd."""

import warnings

import pytest
import torch

import bptorch.math as bm
from bptorch.errors import ArgumentTypeError, JitFallbackWarning
from bptorch.math import controls
from loop_models import Rate, reference_loss, xs_of


# -- for_loop: values, state, structures ------------------------------------------------------

def test_for_loop_stacks_outputs_and_carries_state():
    a = bm.Variable(torch.zeros(1))
    b = bm.Variable(torch.ones(1))

    def body(x):
        a.value += x
        b.value *= x
        return a.value

    hist = bm.for_loop(body, [a, b], torch.arange(1., 5.))
    assert hist.tolist() == [[1.], [3.], [6.], [10.]]
    assert a.value.tolist() == [10.] and b.value.tolist() == [24.]


def test_for_loop_brainpy_2_3_forms_and_pytree_outputs():
    a = bm.Variable(torch.zeros(()))

    def body(x, y):                    # two positional args: the operands are unpacked
        a.value = a + x * y
        return {'a': a.value, 'pair': (x, y)}

    out = bm.for_loop(body, (torch.arange(3.), torch.ones(3)), [a])   # 2.3's order
    assert out['a'].tolist() == [0., 1., 3.] and out['pair'][0].tolist() == [0., 1., 2.]
    a.value = torch.zeros(())
    one_arg = bm.for_loop(lambda xy: xy[0] + xy[1], [a], (torch.arange(3.), torch.ones(3)))
    assert one_arg.tolist() == [1., 2., 3.]                      # BrainPy 2.1: one argument
    assert bm.for_loop(lambda x: x * 2, torch.arange(3.)).tolist() == [0., 2., 4.]


def test_for_loop_reverse_keeps_the_order_of_the_operands():
    acc = bm.Variable(torch.zeros(()))

    def body(x):
        acc.value = acc * 10 + x
        return acc.value

    out = bm.for_loop(body, [acc], torch.tensor([1., 2., 3.]), reverse=True)
    assert out.tolist() == [321., 32., 3.] and acc.value.item() == 321.


def test_for_loop_none_outputs_and_out_vars():
    v = bm.Variable(torch.zeros(2))
    assert bm.for_loop(lambda x: v.update(v + x), [v], torch.ones(3, 2)) is None
    assert v.value.tolist() == [3., 3.]
    hist = bm.for_loop(lambda x: v.update(v + x), operands=torch.ones(2, 2), out_vars=v)
    assert hist.tolist() == [[4., 4.], [5., 5.]]


def test_a_body_that_raises_mid_loop_changes_nothing():
    v = bm.Variable(torch.zeros(2))
    w = bm.TrainVar(torch.ones(2))
    steps = []

    def body(x):
        v.value = v + x
        w.value = w * 2
        steps.append(1)
        if len(steps) == 3:
            raise RuntimeError('boom at step 3')
        return v.value

    with pytest.raises(RuntimeError, match='boom at step 3'):
        bm.for_loop(body, [v, w], torch.ones(5, 2))
    assert v.value.tolist() == [0., 0.] and w.value.tolist() == [1., 1.]


def test_loop_argument_errors():
    with pytest.raises(ArgumentTypeError, match='body_fun must be callable'):
        bm.for_loop(3, [], torch.ones(2))
    with pytest.raises(ValueError, match='share their leading axis size'):
        bm.for_loop(lambda x: x, None, (torch.ones(2), torch.ones(3)))
    with pytest.raises(ValueError, match='unroll must be a positive int'):
        bm.for_loop(lambda x: x, None, torch.ones(2), unroll=0)
    with pytest.raises(ArgumentTypeError, match='dyn_vars must hold bm.Variable objects, got a str'):
        bm.for_loop(lambda x: x, ['h'], torch.ones(2))
    with pytest.raises(ValueError, match='leading axis'):
        bm.for_loop(lambda x: x, None, torch.tensor(1.))


# -- make_loop / while / cond / ifelse ----------------------------------------------------------

def test_make_loop_history_and_returns():
    b = bm.Variable(torch.zeros(1))

    def f(x):
        b.value += 1
        return b + 1
    loop = bm.make_loop(f, dyn_vars=[b], out_vars=b, has_return=True)
    hist_b, hist_plus = loop(torch.arange(4))
    assert hist_b.tolist() == [[1.], [2.], [3.], [4.]]
    assert hist_plus.tolist() == [[2.], [3.], [4.], [5.]]
    two = bm.make_loop(lambda x: None, [b], out_vars={'b': b})(torch.arange(2))
    assert list(two) == ['b'] and two['b'].tolist() == [[4.], [4.]]


def test_while_loops():
    n = bm.Variable(torch.zeros(()))
    total = bm.Variable(torch.zeros(()))

    def body(step):
        n.value = n + 1
        total.value = total + step * n

    assert bm.while_loop(body, lambda step: n < 4, [n, total], 2.) is None
    assert n.value.item() == 4. and total.value.item() == 2. * (1 + 2 + 3 + 4)
    a = bm.Variable(torch.zeros(1))
    bm.make_while(lambda x: a[0] < 10, lambda x: a.update(a + x), [a])(3.)
    assert a.value.item() == 12.


def test_cond_with_variables_and_values():
    a, b = bm.Variable(torch.zeros(2)), bm.Variable(torch.ones(2))

    def true_f(_):
        a.value += 1

    def false_f(_):
        b.value -= 1
    bm.cond(True, true_f, false_f, None, dyn_vars=[a, b])
    bm.cond(torch.tensor(False), true_f, false_f, None, dyn_vars=[a, b])
    assert a.value.tolist() == [1., 1.] and b.value.tolist() == [0., 0.]
    assert bm.cond(True, 1., 2., None) == 1. and bm.cond(False, lambda x: x * 2, 0., 3.) == 0.
    branch = bm.make_cond(lambda x: x + 1, lambda x: x - 1)
    assert branch(True, 1.) == 2. and branch(False, 1.) == 0.


def test_cond_under_vmap_selects_per_example():
    """A batched predicate runs both branches and selects, as JAX does under vmap."""
    s = bm.Variable(torch.zeros(3))

    def f(x):
        return bm.cond(x > 0, lambda v: v * 10, lambda v: -v, x)
    assert bm.vmap(f)(torch.tensor([1., -2., 3.])).tolist() == [10., 2., 30.]

    def g(x):
        bm.cond(x.sum() > 0, lambda _: s.update(s + 1), lambda _: s.update(s - 1), None)
        return s.value
    out = bm.vmap(g, batched_vars=[s])(torch.tensor([[1.], [-1.], [2.]]))
    assert s.value.tolist() == [1., -1., 1.]


def test_ifelse_chooses_the_first_true_branch():
    def f(a):
        return bm.ifelse(conditions=[a > 10, a > 5, a > 2, a > 0],
                         branches=[lambda _: 1, lambda _: 2, lambda _: 3, lambda _: 4, lambda _: 5])
    assert [f(x) for x in (11, 6, 3, 1, -1)] == [1, 2, 3, 4, 5]
    with pytest.raises(ValueError, match=r'len\(conditions\) \+ 1 == len\(branches\)'):
        bm.ifelse([True], [1, 2, 3])


def test_ifelse_show_code_prints_the_chain(capsys):
    bm.ifelse([True, False], [1, 2, 3], show_code=True)
    text = capsys.readouterr().out
    assert 'if conditions[0]' in text and 'elif conditions[1]' in text and 'else' in text


# -- gradients: BPTT -----------------------------------------------------------------------------

def test_grad_of_a_loop_equals_autograd_of_the_python_loop():
    m = Rate()
    xs = xs_of()
    g, value = bm.grad(m.loss_loop, grad_vars=m.train_vars(), return_value=True)(xs)
    w, u = (m.w.value.detach().clone().requires_grad_(), m.u.value.detach().clone().requires_grad_())
    ref, h_last = reference_loss(w, u, xs)
    rw, ru = torch.autograd.grad(ref, (w, u))
    assert torch.allclose(value, ref) and torch.allclose(g[f'{m.name}.w'], rw, atol=1e-6)
    assert torch.allclose(g[f'{m.name}.u'], ru, atol=1e-6)
    assert torch.allclose(m.h.value, h_last.detach()) and not m.h.value.requires_grad


def test_remat_gives_the_same_gradients():
    m = Rate()
    xs = xs_of(8)
    plain = bm.grad(m.loss_loop, grad_vars=m.train_vars())(xs)
    remat = bm.grad(lambda xs: m.loss_loop(xs, remat=True), grad_vars=m.train_vars())(xs)
    for k in plain:
        assert torch.allclose(plain[k], remat[k], atol=1e-6), k


def test_vmap_of_a_loop_and_a_loop_inside_a_loop():
    def cumulative(x):
        acc = bm.Variable(torch.zeros(()))
        return bm.for_loop(lambda e: acc.update(acc + e) or acc.value, operands=x)
    xs = torch.arange(6.).reshape(2, 3)
    assert torch.equal(bm.vmap(cumulative)(xs), torch.cumsum(xs, 1))
    total = bm.Variable(torch.zeros(()))

    def outer(row):
        bm.for_loop(lambda e: total.update(total + e), operands=row)
        return total.value
    assert bm.for_loop(outer, operands=xs).tolist() == [3., 15.]


def test_progress_bar(capsys):
    v = bm.Variable(torch.zeros(()))
    bm.for_loop(lambda x: v.update(v + x), operands=torch.ones(4), progress_bar=True)
    assert v.value.item() == 4.
    assert '4/4' in capsys.readouterr().err


# -- compiled: the body is compiled once --------------------------------------------------------

def test_jit_of_grad_of_a_loop_compiles_the_body_once(fresh_dynamo):
    from torch._dynamo.utils import counters
    m = Rate()
    xs = xs_of(12)
    eager = bm.grad(m.loss_loop, grad_vars=m.train_vars(), return_value=True)
    g_ref, v_ref = eager(xs)
    step = bm.jit(bm.grad(m.loss_loop, grad_vars=m.train_vars(), return_value=True),
                  backend='eager')
    before = counters['stats']['unique_graphs']
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        g, v = step(xs)
        g2, _ = step(xs_of(12) * 2)
    assert not [w for w in caught if issubclass(w.category, JitFallbackWarning)]  # no fallback
    assert step.loop_driven and step.fell_back is None
    assert torch.allclose(v, v_ref, atol=1e-6)
    assert all(torch.allclose(g[k], g_ref[k], atol=1e-5) for k in g)
    # one graph for the body (11 of the 12 steps), none per step, none for a second call
    assert counters['stats']['unique_graphs'] - before == 1
    longer = step(xs_of(30))
    assert counters['stats']['unique_graphs'] - before == 1, 'a longer loop recompiled'
    assert longer[1].shape == ()


def test_compiled_loop_matches_eager_with_unroll_and_reverse(fresh_dynamo):
    acc = bm.Variable(torch.zeros(2))

    def body(x):
        acc.value = acc * 0.5 + x
        return acc.value * 2

    xs = torch.randn(7, 2)
    eager = bm.for_loop(body, [acc], xs, reverse=True)
    eager_state = acc.value
    acc.value = torch.zeros(2)
    compiled = bm.for_loop(body, [acc], xs, reverse=True, unroll=3, jit=True)
    assert torch.allclose(compiled, eager) and torch.allclose(acc.value, eager_state)


@pytest.mark.parametrize('mode', ['jit', 'remat'])
def test_steps_find_variables_the_first_step_did_not_use(mode, fresh_dynamo):
    a = bm.Variable(torch.zeros(2))
    b = bm.Variable(torch.full((2,), 2.))
    c = bm.Variable(torch.ones(2))

    def body(x):
        if x.item() > 1:                   # a data-dependent branch: later steps read b, c
            a.value = a + b * x + c
        else:
            a.value = a + x
        return a.value

    kw = {'jit': True} if mode == 'jit' else {'remat': True}
    out = bm.for_loop(body, operands=torch.arange(1., 4.), **kw)
    assert out[:, 0].tolist() == [1., 6., 13.] and a.value.tolist() == [13., 13.]


def test_jit_of_a_loop_that_raises_changes_nothing(fresh_dynamo):
    v = bm.Variable(torch.zeros(()))

    def body(x):
        v.value = v + x
        return torch.where(v > 2, torch.full_like(v, float('nan')), v)

    def run(xs):
        out = bm.for_loop(body, operands=xs)
        if torch.isnan(out).any():
            raise ValueError('nan in the loop')
        return out
    step = bm.jit(run, backend='eager')
    with pytest.raises(ValueError, match='nan in the loop'):
        step(torch.ones(4))
    assert v.value.item() == 0.


@pytest.fixture
def fresh_dynamo():
    torch._dynamo.reset()
    yield
    torch._dynamo.reset()


def test_loop_marker_names_the_graph_break():
    assert 'bptorch loop' in controls.LOOP_MARKER
