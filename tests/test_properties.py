"""Property tests (hypothesis).

Variables behave exactly like the tensors they hold (operators, in-place operators,
indexing and item assignment, over random shapes and dtypes), and ``bm.grad`` agrees
with ``torch.autograd.grad`` on randomly composed functions of Variables and arguments.
"""

import operator

import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import bptorch.math as bm
from bptorch.errors import MathError

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

DTYPES = [torch.float32, torch.float64, torch.int64]
shapes = st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple)
seeds = st.integers(0, 2 ** 31 - 1)


def make(shape, dtype, seed, positive=False):
    """Random data: normal floats, or small integers (positive: away from zero)."""
    g = torch.Generator().manual_seed(seed)
    if dtype.is_floating_point:
        t = torch.randn(shape, generator=g, dtype=torch.float64)
        if positive:
            t = t.abs() + 0.5
        return t.to(dtype)
    t = torch.randint(-5, 6, shape, generator=g)
    return t.abs() + 1 if positive else t


def same(a, b):
    """Same dtype, shape and values, exactly (NaN where the other has NaN)."""
    if not (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor)
            and a.dtype == b.dtype and a.shape == b.shape):
        return False
    if a.is_floating_point():
        return torch.allclose(a, b, rtol=0, atol=0, equal_nan=True)
    return torch.equal(a, b)


# -- operators ---------------------------------------------------------------------------

# name: (operator, kinds of data it takes, whether the right operand must be positive)
BINARY = {
    'add': (operator.add, 'any', False), 'sub': (operator.sub, 'any', False),
    'mul': (operator.mul, 'any', False), 'truediv': (operator.truediv, 'any', True),
    'floordiv': (operator.floordiv, 'any', True), 'mod': (operator.mod, 'any', True),
    'pow': (operator.pow, 'pow', False),
    'lt': (operator.lt, 'any', False), 'le': (operator.le, 'any', False),
    'gt': (operator.gt, 'any', False), 'ge': (operator.ge, 'any', False),
    'eq': (operator.eq, 'any', False), 'ne': (operator.ne, 'any', False),
    'and': (operator.and_, 'int', False), 'or': (operator.or_, 'int', False),
    'xor': (operator.xor, 'int', False), 'lshift': (operator.lshift, 'shift', False),
    'rshift': (operator.rshift, 'shift', False),
}
INPLACE = {'add': operator.iadd, 'sub': operator.isub, 'mul': operator.imul,
           'truediv': operator.itruediv, 'floordiv': operator.ifloordiv, 'mod': operator.imod,
           'pow': operator.ipow, 'and': operator.iand, 'or': operator.ior, 'xor': operator.ixor,
           'lshift': operator.ilshift, 'rshift': operator.irshift}


@st.composite
def operands(draw, names=tuple(BINARY)):
    """(op name, left tensor, right operand) with data valid for the op."""
    name = draw(st.sampled_from(names))
    _, kind, positive = BINARY[name]
    int_only = kind in ('int', 'shift')
    dtype = torch.int64 if int_only else draw(st.sampled_from(DTYPES))
    shape = draw(shapes)
    left = make(shape, dtype, draw(seeds), positive=(kind == 'pow' and dtype.is_floating_point))
    form = draw(st.sampled_from(['same', 'other_dtype', 'scalar', 'broadcast', 'variable']))
    rdtype = dtype
    if form == 'other_dtype' and not int_only:
        rdtype = draw(st.sampled_from(DTYPES))
    rshape = shape
    if form == 'broadcast':
        rshape = shape[draw(st.integers(0, len(shape))):]
    if kind == 'shift':
        right = make(rshape, torch.int64, draw(seeds)).abs() % 4
        scalar = draw(st.integers(0, 3))
    elif kind == 'pow':
        right = make(rshape, rdtype, draw(seeds)).abs() % 3 if not rdtype.is_floating_point \
            else make(rshape, rdtype, draw(seeds)) / 2
        scalar = draw(st.sampled_from([0, 1, 2, 0.5, -1.5])) if dtype.is_floating_point \
            else draw(st.integers(0, 3))
        if not dtype.is_floating_point and rdtype.is_floating_point:
            left = left.abs() + 1           # int ** float: keep the base positive
    else:
        right = make(rshape, rdtype, draw(seeds), positive=positive)
        scalar = draw(st.integers(1, 4)) if (int_only or positive) else \
            draw(st.sampled_from([-2, 0, 3, 0.5, -1.25]))
    if form == 'scalar':
        return name, left, scalar
    if form == 'variable':
        return name, left, bm.Variable(right)
    return name, left, right


def plain(x):
    return x.value if isinstance(x, bm.Variable) else x


@SETTINGS
@given(operands())
def test_binary_operators_agree_with_tensors(case):
    name, left, right = case
    op = BINARY[name][0]
    try:
        expected = op(left, plain(right))
    except RuntimeError:
        with pytest.raises(RuntimeError):
            op(bm.Variable(left), right)
        return
    got = op(bm.Variable(left), right)
    assert same(got, expected), (name, left, right, got, expected)
    # reflected: the Variable on the right
    try:
        expected_r = op(plain(right), left)
    except RuntimeError:
        return
    got_r = op(right, bm.Variable(left))
    assert same(got_r, expected_r), (name, right, left, got_r, expected_r)


@SETTINGS
@given(operands(tuple(INPLACE)))
def test_inplace_operators_agree_with_tensors(case):
    name, left, right = case
    v = bm.Variable(left)
    before = v.value
    reference = left.clone()
    try:
        INPLACE[name](reference, plain(right))
    except RuntimeError:           # torch refuses (a cast or a broadcast): so does the Variable
        with pytest.raises((MathError, RuntimeError)):
            INPLACE[name](v, right)
        assert same(v.value, left), 'a refused in-place operator changed the Variable'
        return
    result = INPLACE[name](v, right)
    assert result is v and same(before, left), 'a value read before the operator changed'
    assert same(v.value, reference), (name, left, right, v.value, reference)


@SETTINGS
@given(st.sampled_from(DTYPES), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), seeds)
def test_matmul_agrees_with_tensors(dtype, n, k, m, seed):
    a, b = make((n, k), dtype, seed), make((k, m), dtype, seed + 1)
    va, vb = bm.Variable(a), bm.Variable(b)
    expected = a @ b
    for got in (va @ b, a @ vb, va @ vb, va.value @ vb, torch.matmul(va, vb), bm.matmul(va, vb)):
        assert same(got, expected)
    if n == k:
        v = bm.Variable(a)
        v @= a
        assert same(v.value, a @ a)


@SETTINGS
@given(st.sampled_from(DTYPES), shapes, seeds)
def test_unary_operators_and_torch_functions_agree(dtype, shape, seed):
    a = make(shape, dtype, seed)
    v = bm.Variable(a)
    assert same(-v, -a) and same(+v, +a) and same(abs(v), abs(a))
    if not dtype.is_floating_point:
        assert same(~v, ~a)
    assert same(torch.sum(v), torch.sum(a)) and same(bm.sum(v, axis=0) if a.dim() else bm.sum(v),
                                                     bm.sum(a, axis=0) if a.dim() else bm.sum(a))
    if dtype.is_floating_point:
        assert same(torch.tanh(v), torch.tanh(a)) and same(bm.exp(v), torch.exp(a))
    assert v.shape == a.shape and v.dtype == a.dtype and v.ndim == a.dim()
    if a.dim():
        assert len(v) == len(a) and all(same(x, y) for x, y in zip(v, a))


# -- indexing and item assignment -------------------------------------------------------------

@st.composite
def indexed(draw):
    """(tensor, index) with a valid basic, advanced or boolean index."""
    shape = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple))
    dtype = draw(st.sampled_from(DTYPES))
    t = make(shape, dtype, draw(seeds))
    kind = draw(st.sampled_from(['int', 'neg', 'slice', 'tuple', 'list', 'mask', 'ellipsis']))
    n = shape[0]
    if kind == 'int':
        index = draw(st.integers(0, n - 1))
    elif kind == 'neg':
        index = -draw(st.integers(1, n))
    elif kind == 'slice':
        start = draw(st.integers(-n, n))
        stop = draw(st.integers(-n, n))
        step = draw(st.integers(1, 3))
        index = slice(start, stop, step)
    elif kind == 'tuple':
        index = tuple(draw(st.one_of(st.integers(0, s - 1), st.just(slice(None)))) for s in shape)
    elif kind == 'list':
        index = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=4))
    elif kind == 'mask':
        index = make(shape, torch.int64, draw(seeds)) > 0
    else:
        index = (Ellipsis, draw(st.integers(0, shape[-1] - 1)))
    return t, index


@SETTINGS
@given(indexed())
def test_indexing_agrees_with_tensors(case):
    t, index = case
    v = bm.Variable(t)
    assert same(v[index], t[index])
    if isinstance(index, torch.Tensor):
        assert same(v[bm.Variable(index)], t[index])     # a Variable as the index


@SETTINGS
@given(indexed(), seeds, st.sampled_from(['tensor', 'scalar', 'variable']))
def test_item_assignment_agrees_with_tensors(case, seed, form):
    t, index = case
    target_shape = t[index].shape
    item = make(target_shape, t.dtype, seed)
    if form == 'scalar':
        item = 3 if not t.dtype.is_floating_point else -0.5
    elif form == 'variable':
        item = bm.Variable(item)
    v = bm.Variable(t)
    before = v.value
    reference = t.clone()
    reference[index] = plain(item)
    v[index] = item
    assert same(before, t), 'a value read before the item assignment changed'
    assert same(v.value, reference)


@SETTINGS
@given(indexed(), seeds)
def test_item_assignment_inside_a_transform_is_functional(case, seed):
    t, index = case
    assume(t.dtype.is_floating_point)
    item = make(t[index].shape, t.dtype, seed)
    v = bm.Variable(t)
    reference = t.clone()
    reference[index] = item

    def f(x):
        v[index] = item * x
        return v.value.sum() * 0 + x

    bm.grad(f)(torch.tensor(1., dtype=t.dtype))
    assert type(v._value) is torch.Tensor and same(v.value, reference)


# -- bm.grad against torch.autograd.grad on random expressions -----------------------------------

N = 3
UNARY = {
    'sin': torch.sin, 'tanh': torch.tanh, 'neg': torch.neg,
    'exp_small': lambda e: torch.exp(0.1 * e), 'square': lambda e: e * e,
    'softplus': torch.nn.functional.softplus,
}
BINARY_EXPR = {'add': torch.add, 'mul': torch.mul, 'sub': torch.sub}
LEAVES = ['w', 'x', 'c', 'y']          # w: TrainVar, c: Variable, x and y: arguments
REDUCTIONS = ['sum', 'sumsq', 'dot_x', 'mean_tanh']


def expressions():
    leaf = st.sampled_from(LEAVES)
    return st.recursive(
        leaf,
        lambda sub: st.one_of(
            st.tuples(st.sampled_from(sorted(UNARY)), sub),
            st.tuples(st.sampled_from(sorted(BINARY_EXPR)), sub, sub),
            st.tuples(st.just('matmul'), sub),            # M @ e, M a TrainVar matrix
        ),
        max_leaves=8)


def evaluate(tree, env):
    if isinstance(tree, str):
        return env[tree]
    op = tree[0]
    if op in UNARY:
        return UNARY[op](evaluate(tree[1], env))
    if op in BINARY_EXPR:
        return BINARY_EXPR[op](evaluate(tree[1], env), evaluate(tree[2], env))
    return env['M'] @ evaluate(tree[1], env)


def reduce(e, how, env):
    e = e + 0 * env['x']     # a leaf alone (a Variable) becomes a tensor of shape (N,)
    if how == 'sum':
        return e.sum()
    if how == 'sumsq':
        return (e * e).sum()
    if how == 'dot_x':
        return e @ env['x']
    return torch.tanh(e).mean()


@settings(max_examples=200, deadline=None)
@given(expressions(), st.sampled_from(REDUCTIONS), st.sampled_from([torch.float32, torch.float64]),
       seeds, st.booleans())
def test_grad_agrees_with_torch_autograd(tree, how, dtype, seed, as_dict):
    w0, m0 = make((N,), dtype, seed), make((N, N), dtype, seed + 1) / N
    c0, x, y = make((N,), dtype, seed + 2), make((N,), dtype, seed + 3), make((N,), dtype, seed + 4)
    w, M, c = bm.TrainVar(w0), bm.TrainVar(m0), bm.Variable(c0)
    stored = [w._value, M._value, c._value]

    def f(x, y):
        env = {'w': w, 'M': M, 'c': c, 'x': x, 'y': y}
        return reduce(evaluate(tree, env), how, env)

    grad_vars = {'w': w, 'M': M} if as_dict else [w, M]
    (gvars, (gx, gy)), value = bm.grad(f, grad_vars=grad_vars, argnums=(0, 1),
                                       return_value=True)(x, y)
    gw, gm = (gvars['w'], gvars['M']) if as_dict else gvars

    leaves = [t.detach().clone().requires_grad_() for t in (w0, m0, x, y)]

    def ref(w_, m_, x_, y_):
        env = {'w': w_, 'M': m_, 'c': c0, 'x': x_, 'y': y_}
        return reduce(evaluate(tree, env), how, env)

    out = ref(*leaves)
    expected = torch.autograd.grad(out, leaves, allow_unused=True, materialize_grads=True)
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == torch.float32 else dict(rtol=1e-10, atol=1e-12)
    assert torch.allclose(value, out.detach(), **tol)
    for got, exp, name in zip((gw, gm, gx, gy), expected, ('w', 'M', 'x', 'y')):
        assert got.shape == exp.shape and got.dtype == exp.dtype, name
        assert torch.allclose(got, exp, **tol), (name, tree, how, got, exp)
        assert got.grad_fn is None and not got.requires_grad
    # the Variables are untouched
    assert all(a is b for a, b in zip([w._value, M._value, c._value], stored))
    assert torch.equal(w.value.detach(), w0) and torch.equal(M.value.detach(), m0)
    assert w.value.grad is None and M.value.grad is None


@settings(max_examples=60, deadline=None)
@given(expressions(), seeds)
def test_vector_grad_and_jacrev_agree_with_torch(tree, seed):
    dtype = torch.float64
    w0, m0 = make((N,), dtype, seed), make((N, N), dtype, seed + 1) / N
    c0, x = make((N,), dtype, seed + 2), make((N,), dtype, seed + 3)
    w, M, c = bm.TrainVar(w0), bm.TrainVar(m0), bm.Variable(c0)

    def f(x):
        env = {'w': w, 'M': M, 'c': c, 'x': x, 'y': x}
        return evaluate(tree, env) + 0 * x

    def ref(w_, x_):
        env = {'w': w_, 'M': m0, 'c': c0, 'x': x_, 'y': x_}
        return evaluate(tree, env) + 0 * x_

    gw, gx = bm.vector_grad(f, grad_vars=w, argnums=0)(x)
    leaves = [w0.clone().requires_grad_(), x.clone().requires_grad_()]
    out = ref(*leaves)
    ew, ex = torch.autograd.grad(out, leaves, torch.ones_like(out), allow_unused=True,
                                 materialize_grads=True)
    assert torch.allclose(gw, ew) and torch.allclose(gx, ex)
    jw, jx = bm.jacrev(f, grad_vars=w, argnums=0)(x)
    rw, rx = torch.func.jacrev(ref, argnums=(0, 1))(w0, x)
    assert torch.allclose(jw, rw) and torch.allclose(jx, rx)


# -- assignment rules -------------------------------------------------------------------------------

@SETTINGS
@given(st.sampled_from(DTYPES), shapes, st.sampled_from(DTYPES), shapes, seeds)
def test_assignment_accepts_exactly_same_shape_and_dtype(dtype, shape, new_dtype, new_shape, seed):
    v = bm.Variable(make(shape, dtype, seed))
    kept, before = v.value, v._value.clone()
    new = make(new_shape, new_dtype, seed + 1)
    if tuple(new_shape) == tuple(shape) and new_dtype == dtype:
        v.value = new
        assert same(kept, before) and same(v.value, new)
        assert type(v._value) is torch.Tensor and not v._value.requires_grad
    else:
        with pytest.raises(MathError, match='shape' if tuple(new_shape) != tuple(shape) else 'dtype'):
            v.value = new
        assert same(v.value, before)


# -- argnums ------------------------------------------------------------------------------------------

@SETTINGS
@given(st.integers(1, 4), st.data(), seeds)
def test_argnums_select_the_same_arguments_as_torch(nargs, data, seed):
    positions = data.draw(st.lists(st.integers(-nargs, nargs - 1), min_size=1, max_size=nargs,
                                   unique_by=lambda i: i % nargs))
    as_int = len(positions) == 1 and data.draw(st.booleans())
    args = [make((2,), torch.float64, seed + i) for i in range(nargs)]

    def f(*xs):
        out = torch.zeros(())
        for i, x in enumerate(xs):
            out = out + (i + 1) * torch.sin(x).sum() * xs[0].sum()
        return out

    argnums = positions[0] if as_int else tuple(positions)
    got = bm.grad(f, argnums=argnums)(*args)
    leaves = [a.clone().requires_grad_() for a in args]
    expected = torch.autograd.grad(f(*leaves), leaves, allow_unused=True, materialize_grads=True)
    wanted = [expected[p % nargs] for p in positions]
    if as_int:
        assert torch.allclose(got, wanted[0])
    else:
        assert isinstance(got, tuple) and len(got) == len(wanted)
        assert all(torch.allclose(g, e) for g, e in zip(got, wanted))
