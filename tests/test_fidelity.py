"""Behaviour that must equal BrainPy 2.1.12's (the issue "BrainPy fidelity", items 1-7)."""

import warnings
from functools import partial

import pytest
import torch

import bptorch as bp
import bptorch.math as bm
from bptorch.errors import ArgumentTypeError, JitFallbackWarning, MathError


class Quadratic(bp.Base):
    def __init__(self):
        super().__init__()
        self.a = bm.TrainVar(torch.tensor([1., 2.]))
        self.s = bm.Variable(torch.zeros(()))

    def __call__(self, x):
        return (self.a * x ** 2).sum() + (x[0] * x[1]) * 3.


# -- 1. one error class for refused entries: both ValueError (BrainPy) and TypeError (JAX) -----

@pytest.mark.parametrize('make', [
    lambda: bm.grad(lambda x: x.sum(), grad_vars=[1.5]),
    lambda: bm.grad(lambda x: x.sum(), grad_vars={'a': 'str'}),
    lambda: bm.grad(lambda x: x.sum(), grad_vars=[torch.ones(2)]),      # a tensor no module holds
    lambda: bm.grad(lambda x: x.sum(), dyn_vars=[__import__('numpy').ones(2)], argnums=0),
    lambda: bm.grad(3.0),
    lambda: bm.jacrev('not callable'),
    lambda: bm.vmap(None),
    lambda: bm.jit(5),
    lambda: bm.for_loop(lambda x: x, ['h'], torch.ones(2)),
])
def test_refused_entries_raise_one_class_that_is_both(make):
    with pytest.raises(ArgumentTypeError) as info:
        make()
    assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError)
    assert isinstance(info.value, MathError)


# -- 2. nested named axes: out_axes=None batched only at an outer level -------------------------

def test_inner_out_axes_none_of_a_value_batched_at_the_outer_level():
    x = torch.arange(6.).reshape(2, 3)
    got = bm.vmap(lambda r: bm.vmap(lambda e: r.sum(), out_axes=None)(r))(x)
    assert got.tolist() == [3., 12.]                                        # JAX's result
    psum = bm.vmap(lambda r: bm.vmap(lambda e: bm.psum(e, 'b'), axis_name='b', out_axes=None)(r))
    assert psum(x).tolist() == [3., 12.]
    w = bm.TrainVar(torch.ones(3))
    xs = torch.arange(12.).reshape(2, 2, 3)
    total = bm.vmap(lambda r: bm.vmap(bm.grad(lambda e: (w * e).sum(), grad_vars=w,
                                              reduce_axes=('b',)),
                                      axis_name='b', out_axes=None)(r))(xs)
    assert torch.equal(total, xs.sum(1))


def test_still_mapped_outputs_with_out_axes_none_are_an_error_worded_for_bm_vmap():
    x = torch.arange(6.).reshape(2, 3)
    with pytest.raises(MathError, match=r'bm.vmap: out_axes=None for an output that varies'):
        bm.vmap(lambda r: bm.vmap(lambda e: e * 2, out_axes=None)(r))(x)
    a, b = bm.vmap(lambda r: (r * 2, torch.tensor(5.) * 3), out_axes=(1, None))(x)
    assert a.shape == (3, 2) and b.item() == 15.


# -- 3. hessian defaults argnums to 0, also with dyn_vars ----------------------------------------

def test_hessian_with_dyn_vars_differentiates_argument_0():
    model = Quadratic()
    x = torch.tensor([1., 1.])
    h = bm.hessian(model, dyn_vars=model.vars())(x)
    assert torch.allclose(h, torch.tensor([[2., 3.], [3., 4.]]))


# -- 4. extensions of BrainPy's signatures are keyword-only --------------------------------------

def test_vector_grad_takes_brainpys_six_positional_arguments_only():
    f = lambda x: x ** 2                                                        # noqa: E731
    bm.vector_grad(f, None, None, 0, False, None)          # BrainPy's six
    with pytest.raises(TypeError):
        bm.vector_grad(f, None, None, 0, False, None, ('b',))
    assert torch.equal(bm.vector_grad(f, reduce_axes=())(torch.ones(2)), 2 * torch.ones(2))


# -- 5. empty dyn_vars: the pure-function path ---------------------------------------------------

def test_empty_dyn_vars_take_the_pure_path():
    x = torch.tensor([1., 2.])
    assert torch.equal(bm.grad(lambda x: (x ** 2).sum(), dyn_vars=[])(x), 2 * x)
    empty = bp.Base()
    assert torch.equal(bm.grad(lambda x: (x ** 2).sum(), dyn_vars=empty.vars())(x), 2 * x)
    with pytest.raises(MathError, match='dyn_vars is given but grad_vars and argnums are both None'):
        bm.grad(lambda x: x.sum(), dyn_vars=[bm.Variable(torch.ones(1))])


# -- 7. bm.jit of a callable Base that needs a graph break falls back with its warning -----------

def test_jit_of_a_base_with_a_graph_break_warns_and_falls_back():
    class Branchy(bp.Base):
        def __init__(self):
            super().__init__()
            self.v = bm.Variable(torch.ones(2))

        def __call__(self, x):
            if self.v.sum() > 0:              # data-dependent: dynamo must break the graph
                return x * self.v
            return x

    m = Branchy()
    step = bm.jit(m, backend='eager')
    with pytest.warns(JitFallbackWarning, match=r"cannot capture 'Branchy' as one graph"):
        out = step(torch.ones(2))
    assert torch.equal(out, torch.ones(2)) and step.fell_back is not None
    assert step.__name__ == 'Branchy'


# -- a tutorial form: partial(bm.jit, dyn_vars=...) --------------------------------------------

def test_partial_jit_with_dyn_vars_as_in_the_tutorials():
    a = bm.Variable(torch.zeros(1))

    @partial(bm.jit, dyn_vars={'a': a}, backend='eager')
    def add(x):
        a.value += x
        return a.value
    add(torch.ones(1))
    add(torch.ones(1))
    assert a.value.item() == 2.


# -- 6. RandomState is a Variable ----------------------------------------------------------------

def test_random_state_is_a_variable_accepted_everywhere():
    rs = bm.random.RandomState(5)
    assert isinstance(rs, bm.Variable) and rs.value.tolist() == [5]
    first = rs.rand(3)
    rs.value = torch.tensor([5])                  # assigning a key reseeds
    assert torch.equal(rs.rand(3), first)
    m = bp.Base()
    m.w = bm.TrainVar(torch.ones(2))
    m.rng = bm.random.RandomState(9)
    dyn = m.vars() + bm.random.DEFAULT             # as real BrainPy code declares it
    assert any(v is bm.random.DEFAULT for v in dyn.values())
    draws = bm.jit(lambda: bm.random.rand(2), dyn_vars={'a': bm.random.DEFAULT}, backend='eager')
    assert not torch.equal(draws(), draws())       # new numbers at each call
    g = bm.grad(lambda x: (m.w * x * m.rng.rand(2)).sum(), dyn_vars=dyn, grad_vars=m.w)
    assert g(torch.ones(2)).shape == (2,)
    state = m.state_dict()
    assert state['rng'].tolist() == [9]
    m.rng.rand(4)
    m.load_state_dict(state)                       # the key restarts the draws from seed 9
    assert torch.equal(m.rng.rand(4), bm.random.RandomState(9).rand(4))
    out = bm.vmap(lambda x: x * bm.random.rand(()), dyn_vars=bm.random.DEFAULT,
                  randomness='different')(torch.ones(3))
    assert out.shape == (3,) and len(set(out.tolist())) == 3
