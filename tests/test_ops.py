"""The ``bm`` array API against NumPy: values, dtypes, input kinds, transforms."""

import numpy as np
import pytest
import torch
from torch.func import grad, jacrev, vmap

import bptorch.math as bm
from bptorch.math import ops, settings


@pytest.fixture(params=[False, True], ids=['x32', 'x64'])
def x64(request):
    bm.enable_x64(request.param)
    return request.param


# The same data as each kind of input bm accepts.
KINDS = {
    'list': lambda a: a.tolist(),
    'numpy': lambda a: a,
    'tensor': lambda a: torch.as_tensor(a),
    'variable': lambda a: bm.Variable(torch.as_tensor(a)),
}


def expected_dtype(np_result) -> torch.dtype:
    """NumPy's result dtype under bptorch's default-float rule (float64 -> default float)."""
    dt = np.asarray(np_result).dtype
    if dt == np.float64:
        return settings.float_()
    if dt == np.complex128:
        return settings.complex_()
    return ops._NUMPY_TO_TORCH[dt]


def check(result, np_result, rtol=1e-5, atol=1e-6):
    assert isinstance(result, torch.Tensor) and type(result) is torch.Tensor
    assert result.dtype == expected_dtype(np_result), (result.dtype, np.asarray(np_result).dtype)
    assert tuple(result.shape) == np.shape(np_result)
    np.testing.assert_allclose(result.detach().cpu().numpy(), np_result, rtol=rtol, atol=atol,
                               equal_nan=True)


# ---------------------------------------------------------------------------
# public names, dtypes
# ---------------------------------------------------------------------------

def test_all_names_exist_and_are_exported():
    for name in ops.__all__:
        assert hasattr(ops, name), name
        assert getattr(bm, name) is getattr(ops, name), name
    assert len(set(ops.__all__)) == len(ops.__all__)


def test_family_functions_have_names_and_docs():
    for name in ['sin', 'add', 'sum', 'mean', 'max', 'any', 'std', 'argmax', 'cumsum', 'zeros',
                 'zeros_like', 'hstack', 'equal']:
        f = getattr(bm, name)
        assert f.__name__ == name and f.__module__ == 'bptorch.math.ops'
        assert f.__doc__ and f'numpy.{name}' in f.__doc__
    for name in ['zeros', 'array', 'asarray', 'sum', 'mean', 'dot', 'reshape', 'concatenate',
                 'where', 'allclose']:
        assert '>>> ' in getattr(bm, name).__doc__, name


def test_dtype_constants():
    assert bm.float32 is torch.float32 and bm.float64 is torch.float64
    assert bm.bfloat16 is torch.bfloat16 and bm.float16 is torch.float16
    assert (bm.int8, bm.int16, bm.int32, bm.int64, bm.uint8) == (
        torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8)
    assert bm.bool_ is torch.bool and bm.complex64 is torch.complex64
    assert bm.complex128 is torch.complex128
    assert bm.float0 is torch.bool  # the documented stand-in for JAX's float0
    assert 'float0' in ops.__doc__
    assert bm.ndarray is bm.JaxArray  # BrainPy's array type: a type test for tensors and Variables
    assert isinstance(bm.zeros(1), bm.ndarray) and isinstance(bm.Variable(bm.zeros(1)), bm.ndarray)
    assert bm.pi == np.pi and bm.newaxis is None and np.isinf(bm.inf)


def test_finfo_iinfo():
    assert bm.finfo(bm.float32).eps == np.finfo(np.float32).eps
    assert bm.finfo(bm.ones(2, dtype=bm.float64)).max == np.finfo(np.float64).max
    assert bm.finfo(np.float16).bits == 16
    assert bm.iinfo(bm.int32).max == np.iinfo(np.int32).max
    assert bm.iinfo(bm.Variable(bm.zeros(1, dtype=bm.uint8))).max == 255
    with pytest.raises(TypeError, match='dtype'):
        bm.finfo('not a dtype')


def test_dtype_argument_forms(x64):
    assert bm.zeros(2, dtype=float).dtype == settings.float_()
    assert bm.zeros(2, dtype=int).dtype == torch.int64
    assert bm.zeros(2, dtype=bool).dtype == torch.bool
    assert bm.zeros(2, dtype=complex).dtype == settings.complex_()
    assert bm.zeros(2, dtype=np.float32).dtype == torch.float32
    assert bm.zeros(2, dtype=np.dtype('int16')).dtype == torch.int16
    assert bm.zeros(2, dtype='float64').dtype == torch.float64
    assert bm.asarray([1, 2], dtype=bm.float16).dtype == torch.float16
    with pytest.raises(TypeError, match='dtype'):
        bm.zeros(2, dtype=object)


# ---------------------------------------------------------------------------
# creation
# ---------------------------------------------------------------------------

def test_creation_default_dtypes(x64):
    f = torch.float64 if x64 else torch.float32
    assert settings.float_() == f
    for t in [bm.zeros(3), bm.ones((2, 3)), bm.empty(2), bm.eye(2), bm.identity(3),
              bm.linspace(0, 1, 5), bm.logspace(0, 1, 3), bm.arange(0., 1., .1),
              bm.full(2, 1.5), bm.asarray(0.5), bm.array([1., 2.]), bm.asarray(np.ones(2))]:
        assert t.dtype == f
    assert bm.arange(5).dtype == torch.int64
    assert bm.full(2, 3).dtype == torch.int64
    assert bm.full(2, True).dtype == torch.bool
    assert bm.asarray(np.ones(2, np.float32)).dtype == torch.float32
    assert bm.zeros(3).device == settings.default_device()
    assert bm.zeros(3).shape == (3,) and bm.zeros((2, 1)).shape == (2, 1)
    assert bm.zeros(np.int64(3)).shape == (3,)


def test_creation_values():
    check(bm.arange(5), np.arange(5))
    check(bm.arange(2, 10, 3), np.arange(2, 10, 3))
    check(bm.arange(0., 1., .25), np.arange(0., 1., .25))
    check(bm.linspace(-1, 2, 7), np.linspace(-1, 2, 7))
    check(bm.linspace(0, 1, 4, endpoint=False), np.linspace(0, 1, 4, endpoint=False))
    t, step = bm.linspace(0, 1, 5, retstep=True)
    assert step == np.linspace(0, 1, 5, retstep=True)[1]
    check(bm.linspace(0, 10, 4, dtype=int), np.linspace(0, 10, 4, dtype=int))
    check(bm.logspace(0, 3, 4), np.logspace(0, 3, 4), rtol=1e-5)
    check(bm.logspace(0, 3, 3, endpoint=False, base=2.), np.logspace(0, 3, 3, endpoint=False, base=2.))
    for N, M, k in [(3, None, 0), (2, 4, 1), (4, 2, -1), (3, 3, 5)]:
        check(bm.eye(N, M, k), np.eye(N, M, k))
    check(bm.eye(3, dtype=bool), np.eye(3, dtype=bool))
    check(bm.full((2, 3), 7.), np.full((2, 3), 7.))
    check(bm.full((2, 2), [1., 2.]), np.full((2, 2), [1., 2.]))
    check(bm.full(3, np.float32(2)), np.full(3, np.float32(2)))
    a = np.arange(9.).reshape(3, 3)
    check(bm.diag(a), np.diag(a))
    check(bm.diag(a, 1), np.diag(a, 1))
    check(bm.diag([1, 2], -1), np.diag([1, 2], -1))
    check(bm.diagonal(a, 1), np.diagonal(a, 1))
    check(bm.tril(a, -1), np.tril(a, -1))
    check(bm.triu(a, 1), np.triu(a, 1))


@pytest.mark.parametrize('kind', KINDS)
def test_like_functions(kind):
    a = np.arange(6, dtype=np.int32).reshape(2, 3)
    x = KINDS[kind](a)
    # a Python list of ints becomes int64, the other kinds keep int32
    for fn, np_fn in [(bm.zeros_like, np.zeros_like), (bm.ones_like, np.ones_like)]:
        r = fn(x)
        assert r.shape == (2, 3) and r.dtype == (torch.int64 if kind == 'list' else torch.int32)
        np.testing.assert_array_equal(r.numpy(), np_fn(a))
    assert bm.empty_like(x).shape == (2, 3)
    r = bm.full_like(x, 2.7)
    np.testing.assert_array_equal(r.numpy(), np.full_like(a, 2.7))
    assert bm.zeros_like(x, dtype=float).dtype == settings.float_()
    assert bm.ones_like(x, shape=(4,)).shape == (4,)
    assert bm.full_like(x, 1, shape=5).shape == (5,)
    assert bm.full_like(x, bm.asarray([1, 2, 3])).tolist() == [[1, 2, 3], [1, 2, 3]]
    assert bm.zeros_like(3.).dtype == settings.float_()


def test_array_copies_asarray_shares():
    n = np.arange(3.)
    t = torch.arange(3.)
    v = bm.Variable(torch.arange(3.))
    assert bm.asarray(t) is t
    shared_v = bm.asarray(v)                  # v's value, copy-on-write (SPEC 2)
    assert torch.equal(shared_v, v.value)
    shared_v[1] = 50.
    assert v.value[1] == 1.
    shared = bm.asarray(n)
    for src in [n, t, v]:
        c = bm.array(src)
        assert torch.equal(c, torch.arange(3., dtype=c.dtype))
        c[0] = 100.
    assert n[0] == 0. and t[0] == 0. and v.value[0] == 0.
    assert shared.dtype == settings.float_()
    assert bm.array([[1]], ndmin=4).shape == (1, 1, 1, 1)
    assert bm.array(t, dtype=bm.int32).dtype == torch.int32
    # array of a traced tensor stays differentiable
    assert grad(lambda x: (bm.array(x) * 3).sum())(torch.ones(2)).tolist() == [3., 3.]


def test_meshgrid():
    x, y = np.arange(3), np.arange(2)
    for indexing in ['xy', 'ij']:
        for sparse in [False, True]:
            ours = bm.meshgrid(x, y, indexing=indexing, sparse=sparse)
            theirs = np.meshgrid(x, y, indexing=indexing, sparse=sparse)
            assert len(ours) == 2
            for o, t in zip(ours, theirs):
                check(o, t)
    three = bm.meshgrid([1, 2], [3, 4, 5], [6], sparse=True)
    for o, t in zip(three, np.meshgrid([1, 2], [3, 4, 5], [6], sparse=True)):
        check(o, t)
    with pytest.raises(ValueError, match='indexing'):
        bm.meshgrid(x, indexing='yx')


# ---------------------------------------------------------------------------
# element-wise
# ---------------------------------------------------------------------------

POS = np.array([0.2, 0.5, 0.9])  # inside every unary function's domain
UNARY = {
    'sin': POS, 'cos': POS, 'tan': POS, 'arcsin': POS, 'arccos': POS, 'arctan': POS,
    'sinh': POS, 'cosh': POS, 'tanh': POS, 'arcsinh': POS, 'arccosh': POS + 1.5,
    'arctanh': POS, 'exp': POS, 'exp2': POS, 'expm1': POS, 'log': POS, 'log2': POS,
    'log10': POS, 'log1p': POS, 'sqrt': POS, 'cbrt': np.array([-8., 0., 27.]),
    'square': np.array([-2, 3]), 'abs': np.array([-1.5, 2.]), 'absolute': np.array([-1, 2]),
    'sign': np.array([-2., 0., 3.]), 'floor': np.array([-1.5, 1.5]), 'ceil': np.array([-1.5, 1.5]),
    'rint': np.array([0.5, 1.5, 2.5, -0.5]), 'trunc': np.array([-1.7, 1.7]),
    'negative': np.array([1, -2]), 'reciprocal': np.array([2., 4.]),
    'real': np.array([1 + 2j, 3 - 1j]), 'imag': np.array([1 + 2j, 3 - 1j]),
    'conj': np.array([1 + 2j, 3 - 1j]), 'conjugate': np.array([1 + 2j]),
    'isnan': np.array([1., np.nan, np.inf]), 'isinf': np.array([1., np.nan, -np.inf]),
    'isfinite': np.array([1., np.nan, np.inf]), 'logical_not': np.array([True, False]),
    'bitwise_not': np.array([1, 2], np.int32), 'invert': np.array([True, False]),
    'deg2rad': POS, 'rad2deg': POS, 'degrees': POS, 'radians': POS,
}


@pytest.mark.parametrize('name', UNARY)
def test_unary_matches_numpy(name, x64):
    a = UNARY[name]
    check(getattr(bm, name)(a), getattr(np, name)(a))
    if a.dtype == np.float64:  # float32 tensors stay float32, as in NumPy
        a32 = a.astype(np.float32)
        r = getattr(bm, name)(torch.as_tensor(a32))
        assert r.dtype in (torch.float32, torch.bool)
        np.testing.assert_allclose(r.numpy(), getattr(np, name)(a32), rtol=1e-5)


def test_unary_dtype_rules(x64):
    ints = np.array([1, 2, 4])
    for name in ['sin', 'exp', 'sqrt', 'log', 'exp2', 'arctan']:
        check(getattr(bm, name)(ints), getattr(np, name)(ints))
    assert bm.reciprocal([2, 4]).dtype == settings.float_()  # NumPy: integer division
    assert bm.imag([1., 2.]).tolist() == [0., 0.]
    assert bm.real(torch.ones(2, dtype=torch.float32)).dtype == torch.float32
    np.testing.assert_allclose(bm.sign(torch.tensor([3 + 4j])).numpy(), [0.6 + 0.8j], rtol=1e-6)
    assert not bm.conj(torch.tensor([1j])).is_conj()  # safe to call .numpy() on
    assert bm.sin(torch.ones(2, dtype=torch.float16)).dtype == torch.float16


@pytest.mark.parametrize('kind', KINDS)
def test_unary_accepts_every_input_kind(kind):
    a = np.array([[0.1, 0.2], [0.3, 0.4]])
    r = bm.tanh(KINDS[kind](a))
    np.testing.assert_allclose(r.numpy(), np.tanh(a), rtol=1e-6)
    assert r.dtype == (settings.float_() if kind in ('list', 'numpy') else torch.float64)
    assert bm.exp(0.5).shape == () and bm.exp(0.5).dtype == settings.float_()
    assert bm.exp(np.float64(0.5)).dtype == settings.float_()


def test_round_angle_clip_nan_to_num():
    a = np.array([0.5, 1.5, 2.5, -1.25, 2.675])
    check(bm.round(a), np.round(a))
    check(bm.round(a, 1), np.round(a, 1))
    check(bm.around(a, 2), np.round(a, 2))
    check(bm.round(np.array([15, 25, 149]), -1), np.round(np.array([15, 25, 149]), -1))
    check(bm.round(np.array([1, 2])), np.round(np.array([1, 2])))
    check(bm.round(np.array([1.26 + 2.35j]), 1), np.round(np.array([1.26 + 2.35j]), 1))
    z = np.array([1 + 1j, -1j, 2.])
    check(bm.angle(z), np.angle(z))
    check(bm.angle(z, deg=True), np.angle(z, deg=True), rtol=1e-5)
    b = np.array([-2., 0.5, 3.])
    check(bm.clip(b, -1, 1), np.clip(b, -1, 1))
    check(bm.clip(b, None, 1), np.clip(b, None, 1))
    check(bm.clip(b, [0., 0., 0.], 2.), np.clip(b, [0., 0., 0.], 2.))
    check(bm.clip(np.array([1, 5]), 0.5, 3), np.clip(np.array([1, 5]), 0.5, 3))
    check(bm.clip(bm.Variable([1., 5.]), bm.Variable([2., 2.]), 4), np.clip([1., 5.], 2., 4))
    c = np.array([np.nan, np.inf, -np.inf, 1.])
    check(bm.nan_to_num(c.astype(np.float32)), np.nan_to_num(c.astype(np.float32)))
    check(bm.nan_to_num(c, nan=-1., posinf=9., neginf=-9.), np.nan_to_num(c, nan=-1., posinf=9., neginf=-9.))


A_F = np.array([[1.5, -2.0, 3.0], [0.5, 4.0, -1.0]])
B_F = np.array([2.0, 0.5, -3.0])
A_I = np.array([[1, -2, 3], [5, 4, -7]])
B_I = np.array([2, 3, -3])
BINARY = ['add', 'subtract', 'multiply', 'divide', 'true_divide', 'floor_divide', 'mod',
          'remainder', 'fmod', 'power', 'float_power', 'arctan2', 'hypot', 'maximum', 'minimum',
          'fmax', 'fmin', 'heaviside', 'logaddexp', 'equal', 'not_equal', 'less',
          'less_equal', 'greater', 'greater_equal']


@pytest.mark.parametrize('name', BINARY)
def test_binary_matches_numpy(name, x64):
    ours, theirs = getattr(bm, name), getattr(np, name)
    cases = [(A_F, B_F), (A_F, 2.5), (3.0, B_F), (A_F, A_I)]
    if name not in ('arctan2', 'hypot', 'logaddexp', 'float_power'):
        cases += [(A_I, B_I), (A_I, 2)]  # integer inputs
    if name == 'power':
        cases = [c for c in cases if not (np.asarray(c[1]).dtype.kind == 'i' and (np.asarray(c[1]) < 0).any())]
        cases.append((A_I, np.array([2, 0, 1])))
    with np.errstate(invalid='ignore'):  # negative bases to fractional powers: NaN in both
        for a, b in cases:
            check(ours(a, b), theirs(a, b))


@pytest.mark.parametrize('kind', KINDS)
def test_binary_accepts_every_input_kind(kind):
    a = np.array([1., -2., 3.])
    x = KINDS[kind](a)
    np.testing.assert_allclose(bm.maximum(x, 0.).numpy(), np.maximum(a, 0.))
    np.testing.assert_allclose(bm.add(2., x).numpy(), 2. + a)
    np.testing.assert_allclose(bm.multiply(x, x).numpy(), a * a)
    assert bm.less(x, 0).tolist() == [False, True, False]


def test_weak_python_numbers():
    h = torch.ones(2, dtype=torch.float16)
    assert bm.add(h, 2.5).dtype == torch.float16
    assert bm.maximum(h, 0.).dtype == torch.float16
    assert bm.add(torch.ones(2, dtype=torch.int32), 2).dtype == torch.int32
    assert bm.maximum(torch.arange(3), 0.5).dtype == settings.float_()
    assert bm.add(2, 3).dtype == torch.int64
    assert bm.add(2, 3.5).dtype == settings.float_()
    assert bm.add(True, True).dtype == torch.bool
    assert bm.multiply(1j, torch.ones(1)).dtype == torch.complex64


def test_logical_and_bitwise():
    p, q = np.array([True, True, False]), np.array([True, False, False])
    for name in ['logical_and', 'logical_or', 'logical_xor', 'bitwise_and', 'bitwise_or',
                 'bitwise_xor']:
        check(getattr(bm, name)(p, q), getattr(np, name)(p, q))
    check(bm.logical_and([1, 0, 2], 1), np.logical_and([1, 0, 2], 1))
    check(bm.bitwise_and(np.array([6, 3]), np.array([3, 1])), np.bitwise_and([6, 3], [3, 1]))


def test_where():
    c = np.array([True, False, True])
    x, y = np.array([1., 2., 3.]), np.array([10., 20., 30.])
    check(bm.where(c, x, y), np.where(c, x, y))
    check(bm.where(c, x, 0.), np.where(c, x, 0.))
    check(bm.where(c, 1, 0), np.where(c, 1, 0))
    check(bm.where([1, 0, 2], 1., 0.), np.where([1, 0, 2], 1., 0.))
    check(bm.where(c[:, None], x, y), np.where(c[:, None], x, y))
    assert bm.where(c, torch.ones(3, dtype=torch.float16), 0.).dtype == torch.float16
    v = bm.Variable(torch.tensor([-1., 2.]))
    assert bm.where(v > 0, v, bm.Variable(torch.zeros(2))).tolist() == [0., 2.]
    (idx,) = bm.where([0, 3, 0, 4])
    assert idx.tolist() == [1, 3]
    rows, cols = bm.where(np.eye(2))
    assert rows.tolist() == [0, 1] and cols.tolist() == [0, 1]
    with pytest.raises(ValueError, match='both'):
        bm.where(c, x)


def test_comparisons_and_closeness():
    assert bm.array_equal([1, 2], np.array([1., 2.])) is True
    assert bm.array_equal([1, 2], [1, 3]) is False
    assert bm.array_equal([1, 2], [[1, 2]]) is False
    assert bm.array_equal([np.nan], [np.nan]) is False
    assert bm.array_equal([np.nan], [np.nan], equal_nan=True) is True
    assert bm.allclose(torch.tensor([1., 2.]), [1., 2. + 1e-7]) is True
    assert bm.allclose([1., 2.], [1., 2.1]) is False
    assert bm.allclose([1., 2.], 1.) is False
    assert bm.allclose([1., np.nan], [1., np.nan], equal_nan=True) is True
    assert bm.allclose([1, 2], [1, 2]) is True
    assert bm.allclose([1., 2.], [1.05, 2.1], rtol=0.1) is True
    a, b = np.array([1., 2., 3.]), np.array([1. + 1e-6, 2.5, 3.])
    check(bm.isclose(a, b), np.isclose(a, b))
    check(bm.isclose(a, b, atol=1.), np.isclose(a, b, atol=1.))
    check(bm.isclose(np.array([1, 2]), np.array([1., 2.01])), np.isclose([1, 2], [1., 2.01]))


# ---------------------------------------------------------------------------
# reductions
# ---------------------------------------------------------------------------

R3 = np.arange(24.).reshape(2, 3, 4) - 7.5
AXES = [None, 0, 1, -1, (0, 2), (), [1, 2]]


@pytest.mark.parametrize('name', ['sum', 'mean', 'max', 'min', 'amax', 'amin', 'prod', 'std',
                                  'var', 'any', 'all', 'nansum', 'nanmean', 'median'])
@pytest.mark.parametrize('keepdims', [False, True])
def test_reductions_axis_keepdims(name, keepdims):
    data = R3 / 4 if name == 'prod' else R3
    for axis in AXES:
        if name == 'median' and axis == ():
            continue  # NumPy's median rejects axis=()
        ax = tuple(axis) if isinstance(axis, list) else axis
        check(getattr(bm, name)(data, axis=axis, keepdims=keepdims),
              getattr(np, name)(data, axis=ax, keepdims=keepdims), rtol=1e-4)


@pytest.mark.parametrize('kind', KINDS)
def test_reductions_accept_every_input_kind(kind):
    a = np.array([[1, 2], [3, 4]], dtype=np.int32)
    x = KINDS[kind](a)
    assert bm.sum(x).item() == 10 and bm.sum(x).dtype == torch.int64
    assert bm.sum(x, axis=0).tolist() == [4, 6]
    assert bm.mean(x).dtype == settings.float_() and bm.mean(x).item() == 2.5
    assert bm.max(x, axis=1).tolist() == [2, 4]
    assert bm.prod(x).item() == 24
    assert bm.argmax(x).item() == 3
    assert bm.cumsum(x).tolist() == [1, 3, 6, 10]
    assert bm.sum(x, axis=np.int64(1)).tolist() == [3, 7]  # NumPy ints as axes
    assert bm.max(x, axis=np.int32(0)).tolist() == [3, 4]
    assert bm.std(x, axis=np.int64(0)).tolist() == [1., 1.]


def test_reduction_dtypes(x64):
    i32 = np.array([[1, 2], [3, 4]], dtype=np.int32)
    check(bm.sum(i32), np.sum(i32))  # int32 accumulates in int64 in both
    check(bm.sum([True, False, True]), np.sum([True, False, True]))
    check(bm.sum(i32, dtype=bm.float32), np.sum(i32, dtype=np.float32))
    check(bm.mean(i32, axis=0), np.mean(i32, axis=0))
    check(bm.std(i32), np.std(i32))
    check(bm.var(i32, ddof=1), np.var(i32, ddof=1))
    check(bm.std(R3, axis=(0, 1), ddof=1), np.std(R3, axis=(0, 1), ddof=1))
    check(bm.any(np.array([0, 2], np.uint8)), np.any(np.array([0, 2], np.uint8)))
    check(bm.all(np.array([[1, 0], [1, 1]]), axis=1), np.all([[1, 0], [1, 1]], axis=1))
    check(bm.prod(np.array([[True, True]]), axis=(0, 1)), np.prod([[True, True]], axis=(0, 1)))
    check(bm.mean(np.ones(3, np.float32)), np.mean(np.ones(3, np.float32)))
    with pytest.raises(NotImplementedError, match='out'):
        bm.sum([1, 2], out=bm.zeros(1))


def test_arg_and_cumulative_reductions():
    a = np.array([[3., 9., 1.], [7., 2., 9.]])
    for name in ['argmax', 'argmin']:
        for axis in [None, 0, 1, -1]:
            for keepdims in [False, True]:
                check(getattr(bm, name)(a, axis=axis, keepdims=keepdims),
                      getattr(np, name)(a, axis=axis, keepdims=keepdims))
    for name in ['cumsum', 'cumprod']:
        for axis in [None, 0, 1]:
            check(getattr(bm, name)(a, axis=axis), getattr(np, name)(a, axis=axis))
    check(bm.cumsum([True, True]), np.cumsum([True, True]))
    check(bm.cumsum(np.array([1, 2]), dtype=bm.float32), np.cumsum([1, 2], dtype=np.float32))


def test_median_quantile():
    check(bm.median([1, 4, 2, 3]), np.median([1, 4, 2, 3]))
    check(bm.median([5, 1, 3]), np.median([5, 1, 3]))
    check(bm.median([1., np.nan, 3.]), np.median([1., np.nan, 3.]))
    check(bm.median(R3, axis=(0, 2), keepdims=True), np.median(R3, axis=(0, 2), keepdims=True))
    q = [0.1, 0.5, 0.9]
    for axis in [None, 1, (0, 2)]:
        for keepdims in [False, True]:
            check(bm.quantile(R3, q, axis=axis, keepdims=keepdims),
                  np.quantile(R3, q, axis=axis, keepdims=keepdims), rtol=1e-4)
    check(bm.quantile(R3, 0.3, method='nearest'), np.quantile(R3, 0.3, method='nearest'))
    check(bm.percentile(R3, 75, axis=1), np.percentile(R3, 75, axis=1), rtol=1e-4)
    check(bm.percentile(R3, [25, 50]), np.percentile(R3, [25, 50]), rtol=1e-4)


# ---------------------------------------------------------------------------
# linear algebra
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('shapes', [((), (3,)), ((3,), ()), ((3,), (3,)), ((2, 3), (3,)),
                                    ((3,), (3, 2)), ((2, 3), (3, 4)), ((4, 2, 3), (3,)),
                                    ((4, 2, 3), (3, 5)), ((2, 3), (4, 3, 5)),
                                    ((3,), (4, 3, 5)), ((2, 2, 3), (4, 3, 5))])
def test_dot_numpy_semantics(shapes):
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=shapes[0]), rng.normal(size=shapes[1])
    check(bm.dot(a, b), np.dot(a, b), rtol=1e-4, atol=1e-5)


def test_dot_matmul_mixed_dtypes_and_kinds():
    check(bm.dot([1, 2], [0.5, 0.25]), np.dot([1, 2], [0.5, 0.25]))
    check(bm.dot(np.array([[1, 2]]), np.array([3, 4])), np.dot([[1, 2]], [3, 4]))
    v = bm.Variable(torch.ones(3, 2))
    assert bm.dot(v, [1., 2.]).tolist() == [3., 3., 3.]
    assert bm.matmul(torch.ones(2, 3), v).tolist() == [[3., 3.], [3., 3.]]
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(5, 2, 3)), rng.normal(size=(3, 4))
    check(bm.matmul(a, b), np.matmul(a, b), rtol=1e-4, atol=1e-5)
    check(bm.matmul(np.arange(3), np.ones(3)), np.matmul(np.arange(3), np.ones(3)))
    with pytest.raises(RuntimeError):
        bm.matmul(np.ones((2, 3)), np.ones((2, 3)))


def test_other_linalg():
    rng = np.random.default_rng(2)
    a, b = rng.normal(size=(2, 3)), rng.normal(size=(3, 4))
    check(bm.einsum('ij,jk->ik', a, b), np.einsum('ij,jk->ik', a, b), rtol=1e-4, atol=1e-5)
    check(bm.einsum('i,i->', [1, 2], [0.5, 1.]), np.einsum('i,i->', [1, 2], [0.5, 1.]))
    check(bm.einsum('ii', np.eye(3)), np.einsum('ii', np.eye(3)))
    check(bm.outer([1, 2], [[1., 2.], [3., 4.]]), np.outer([1, 2], [[1., 2.], [3., 4.]]))
    check(bm.inner(a, a), np.inner(a, a), rtol=1e-4)
    check(bm.inner([1, 2], [3., 4.]), np.inner([1, 2], [3., 4.]))
    c = rng.normal(size=(3, 2, 4))
    check(bm.tensordot(a, c, axes=1), np.tensordot(a, c, axes=1), rtol=1e-4, atol=1e-5)
    check(bm.tensordot(a, c, axes=([1], [0])), np.tensordot(a, c, axes=([1], [0])),
          rtol=1e-4, atol=1e-5)
    check(bm.tensordot(a, a.T, axes=(0, 1)), np.tensordot(a, a.T, axes=(0, 1)), rtol=1e-4,
          atol=1e-5)
    check(bm.tensordot(a, a, axes=2), np.tensordot(a, a, axes=2), rtol=1e-4)
    check(bm.kron([1, 2], [[1., 10.]]), np.kron([1, 2], [[1., 10.]]))
    m = rng.normal(size=(3, 3, 2))
    check(bm.trace(m), np.trace(m), rtol=1e-5, atol=1e-6)
    check(bm.trace(m, 1, 0, 1), np.trace(m, 1, 0, 1), rtol=1e-5, atol=1e-6)
    check(bm.trace(np.eye(3, dtype=int)), np.trace(np.eye(3, dtype=int)))
    u, w = rng.normal(size=(4, 3)), rng.normal(size=(3,))
    check(bm.cross(u, w), np.cross(u, w), rtol=1e-4, atol=1e-5)
    check(bm.cross(u.T, w, axisa=0), np.cross(u.T, w, axisa=0), rtol=1e-4, atol=1e-5)
    check(bm.cross(u.T, u.T, axis=0), np.cross(u.T, u.T, axis=0), atol=1e-5)
    with pytest.raises(ValueError, match='3 components'):
        bm.cross([1., 2.], [3., 4.])


# ---------------------------------------------------------------------------
# shapes
# ---------------------------------------------------------------------------

def test_reshape_ravel_squeeze_expand_dims():
    a = np.arange(12).reshape(3, 4)
    check(bm.reshape(a, (4, 3)), np.reshape(a, (4, 3)))
    check(bm.reshape(a, -1), np.reshape(a, -1))
    check(bm.reshape(a, (2, -1), order='F'), np.reshape(a, (2, -1), order='F'))
    check(bm.reshape(a, newshape=(6, 2)), a.reshape(6, 2))
    check(bm.ravel(a), np.ravel(a))
    check(bm.ravel(a, order='F'), np.ravel(a, order='F'))
    check(bm.flatten(bm.Variable(torch.as_tensor(a))), a.flatten())
    b = np.ones((1, 3, 1, 2))
    check(bm.squeeze(b), np.squeeze(b))
    check(bm.squeeze(b, 0), np.squeeze(b, 0))
    check(bm.squeeze(b, (0, -2)), np.squeeze(b, (0, -2)))
    with pytest.raises(ValueError, match='length is not 1'):
        bm.squeeze(b, 1)
    c = np.ones((2, 3))
    for axis in [0, -1, (0, 1), (0, -1), (3, 0)]:
        check(bm.expand_dims(c, axis), np.expand_dims(c, axis))
    with pytest.raises(ValueError, match='repeated'):
        bm.expand_dims(c, (0, 0))
    with pytest.raises(ValueError, match='out of bounds'):
        bm.expand_dims(c, (0, 5))
    with pytest.raises(RuntimeError):
        bm.reshape(a, (5, 5))


def test_concatenate_stack():
    a, b = np.ones((2, 3)), np.zeros((1, 3), np.float32)
    check(bm.concatenate([a, b]), np.concatenate([a, b]))
    check(bm.concatenate([a, a], axis=1), np.concatenate([a, a], axis=1))
    check(bm.concatenate([a, b], axis=None), np.concatenate([a, b], axis=None))
    check(bm.concatenate([np.arange(2), [0.5]]), np.concatenate([np.arange(2), [0.5]]))
    check(bm.concatenate(np.arange(6).reshape(2, 3)), np.concatenate(np.arange(6).reshape(2, 3)))
    r = bm.concatenate([bm.Variable(torch.ones(2)), torch.zeros(1), [2.], np.array([3.])])
    assert r.tolist() == [1., 1., 0., 2., 3.]
    assert bm.concatenate([[1], [2]], dtype=bm.float32).dtype == torch.float32
    with pytest.raises(ValueError, match=r'\(2, 3\), \(1, 2\)'):
        bm.concatenate([a, np.ones((1, 2))])
    with pytest.raises(ValueError, match='concatenate'):
        bm.concatenate([1., 2.])  # 0-d arrays cannot be concatenated
    with pytest.raises(ValueError, match='at least one'):
        bm.concatenate([])
    check(bm.stack([a, a], axis=1), np.stack([a, a], axis=1))
    check(bm.stack([[1, 2], [3, 4]], axis=-1), np.stack([[1, 2], [3, 4]], axis=-1))
    with pytest.raises(ValueError, match='stack'):
        bm.stack([a, np.ones((3, 2))])
    for name in ['hstack', 'vstack', 'dstack', 'column_stack']:
        check(getattr(bm, name)([[1, 2], [3, 4]]), getattr(np, name)([[1, 2], [3, 4]]))
        check(getattr(bm, name)([a, a]), getattr(np, name)([a, a]))


def test_split():
    a = np.arange(12).reshape(6, 2)
    for ios in [3, [1, 4], [2], np.array([1, 5])]:
        ours, theirs = bm.split(a, ios), np.split(a, ios)
        assert isinstance(ours, list) and len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            check(o, t)
    for o, t in zip(bm.split(a, 2, axis=1), np.split(a, 2, axis=1)):
        check(o, t)
    with pytest.raises(ValueError, match='equal'):
        bm.split(a, 4)
    for o, t in zip(bm.array_split(a, 4), np.array_split(a, 4)):
        check(o, t)


def test_axes_broadcast_tile_repeat_flip_roll():
    a = np.arange(24).reshape(2, 3, 4)
    check(bm.transpose(a), np.transpose(a))
    check(bm.transpose(a, (1, 0, 2)), np.transpose(a, (1, 0, 2)))
    check(bm.transpose([1, 2]), np.transpose([1, 2]))
    check(bm.swapaxes(a, 0, 2), np.swapaxes(a, 0, 2))
    check(bm.moveaxis(a, 0, -1), np.moveaxis(a, 0, -1))
    check(bm.moveaxis(a, (0, 1), (2, 0)), np.moveaxis(a, (0, 1), (2, 0)))
    check(bm.broadcast_to([1, 2], (3, 2)), np.broadcast_to([1, 2], (3, 2)))
    check(bm.broadcast_to(5., 3), np.broadcast_to(5., 3))
    for o, t in zip(bm.broadcast_arrays([1, 2], [[1], [2], [3]]),
                    np.broadcast_arrays([1, 2], [[1], [2], [3]])):
        check(o, t)
    check(bm.atleast_1d(3.), np.atleast_1d(3.))
    check(bm.atleast_2d([1, 2]), np.atleast_2d([1, 2]))
    check(bm.atleast_3d([1, 2]), np.atleast_3d([1, 2]))
    assert len(bm.atleast_1d(1, [2])) == 2
    check(bm.tile([1, 2], 2), np.tile([1, 2], 2))
    check(bm.tile(a, (2, 1, 1)), np.tile(a, (2, 1, 1)))
    check(bm.tile([1, 2], (2, 2)), np.tile([1, 2], (2, 2)))
    check(bm.repeat(a, 2), np.repeat(a, 2))
    check(bm.repeat(a, 2, axis=1), np.repeat(a, 2, axis=1))
    check(bm.repeat([[1, 2]], [1, 3], axis=1), np.repeat([[1, 2]], [1, 3], axis=1))
    for axis in [None, 0, -1, (0, 2)]:
        check(bm.flip(a, axis), np.flip(a, axis))
    for shift, axis in [(1, None), (-2, 1), ((1, 2), (0, 2))]:
        check(bm.roll(a, shift, axis), np.roll(a, shift, axis))


def test_take_sort_unique():
    a = np.array([[4, 1, 3], [2, 9, 0]])
    check(bm.take(a, [0, 5, 2]), np.take(a, [0, 5, 2]))
    check(bm.take(a, [[1, 0]], axis=1), np.take(a, [[1, 0]], axis=1))
    check(bm.take(a, 1, axis=0), np.take(a, 1, axis=0))
    check(bm.take(a, [-1], axis=-1), np.take(a, [-1], axis=-1))
    idx = np.argsort(a, axis=1)
    check(bm.take_along_axis(a, idx, axis=1), np.take_along_axis(a, idx, axis=1))
    check(bm.take_along_axis(a, np.array([5, 0]), axis=None),
          np.take_along_axis(a, np.array([5, 0]), axis=None))
    for axis in [-1, 0, None]:
        check(bm.sort(a, axis=axis), np.sort(a, axis=axis))
        check(bm.argsort(a, axis=axis), np.argsort(a, axis=axis, kind='stable'))
    check(bm.argsort([1, 0, 1, 0, 1]), np.argsort([1, 0, 1, 0, 1], kind='stable'))
    u = np.array([3, 1, 3, 2, 1, 3])
    check(bm.unique(u), np.unique(u))
    ours = bm.unique(u, return_index=True, return_inverse=True, return_counts=True)
    theirs = np.unique(u, return_index=True, return_inverse=True, return_counts=True)
    for o, t in zip(ours, theirs):
        check(o, t)
    m = np.array([[1, 2], [0, 5], [1, 2]])
    check(bm.unique(m, axis=0), np.unique(m, axis=0))
    check(bm.unique(m), np.unique(m))


def test_shape_size_ndim():
    a = np.ones((2, 3))
    for x in [a, a.tolist(), torch.ones(2, 3), bm.Variable(torch.ones(2, 3))]:
        assert bm.shape(x) == (2, 3) and isinstance(bm.shape(x), tuple)
        assert bm.size(x) == 6 and bm.size(x, 1) == 3 and bm.ndim(x) == 2
    assert bm.shape(1.) == () and bm.size(1.) == 1 and bm.ndim(1.) == 0
    assert bm.size(np.float32(2.)) == 1


# ---------------------------------------------------------------------------
# x64 and transforms
# ---------------------------------------------------------------------------

def test_x64_switch_changes_defaults():
    assert bm.zeros(1).dtype == torch.float32
    bm.enable_x64()
    try:
        assert bm.zeros(1).dtype == torch.float64
        assert bm.asarray([0.5]).dtype == torch.float64
        assert bm.mean([1, 2]).dtype == torch.float64
        assert bm.sqrt(4).dtype == torch.float64
        assert bm.divide(1, 2).dtype == torch.float64
        assert bm.add(torch.ones(1, dtype=torch.float32), 1.5).dtype == torch.float32
    finally:
        bm.disable_x64()
    assert bm.zeros(1).dtype == torch.float32 and bm.mean([1, 2]).dtype == torch.float32


def test_asarray_of_0d_tensors_inside_grad():
    def f(x):
        a = bm.asarray([x[0] * 2., x[1] ** 2, bm.sin(x[0])])
        return bm.sum(a * bm.asarray([1., 1., 3.]))
    x = torch.tensor([0.5, 3.])
    g = grad(f)(x)
    np.testing.assert_allclose(g.numpy(), [2. + 3 * np.cos(0.5), 6.], rtol=1e-6)

    def h(p, q):  # 0-d tensors passed as separate arguments
        return bm.prod(bm.asarray([p, q, 2.]))
    gp, gq = grad(h, argnums=(0, 1))(torch.tensor(3.), torch.tensor(4.))
    assert gp.item() == 8. and gq.item() == 6.


def test_grad_through_ops():
    x = torch.tensor([1., -2., 3.])
    g = grad(lambda x: bm.sum(bm.where(x > 0, x ** 2, 0.)))(x)
    assert g.tolist() == [2., 0., 6.]
    g = grad(lambda x: bm.mean(bm.concatenate([x, x * 2])))(x)
    np.testing.assert_allclose(g.numpy(), [0.5] * 3)
    g = grad(lambda x: bm.dot(x, bm.asarray([1., 2., 3.])))(x)
    assert g.tolist() == [1., 2., 3.]
    g = grad(lambda s: bm.sum(bm.full((3,), s)))(torch.tensor(2.))
    assert g.item() == 3.
    g = grad(lambda x: bm.max(bm.maximum(x, 0.)))(x)
    assert g.tolist() == [0., 0., 1.]
    g = grad(lambda x: bm.median(x))(x)
    assert g.tolist() == [1., 0., 0.]
    g = grad(lambda x: bm.std(bm.reshape(x, (3, 1)), axis=0)[0])(x)
    assert torch.isfinite(g).all()
    j = jacrev(lambda x: bm.tanh(bm.clip(x, -1., 1.)))(torch.tensor([0., 5.]))
    np.testing.assert_allclose(j.numpy(), [[1., 0.], [0., 0.]])


def test_vmap_over_ops():
    xs = torch.arange(12.).reshape(4, 3) - 5.
    out = vmap(lambda x: bm.sum(bm.where(x > 0, x, 0.)))(xs)
    np.testing.assert_allclose(out.numpy(), np.sum(np.maximum(xs.numpy(), 0), axis=1))
    out = vmap(lambda x: bm.dot(x, bm.ones(3)))(xs)
    np.testing.assert_allclose(out.numpy(), xs.numpy().sum(1))
    out = vmap(lambda x: bm.concatenate([x, bm.zeros(2)]))(xs)
    assert out.shape == (4, 5)
    out = vmap(lambda x: bm.mean(bm.reshape(x, (3, 1)), axis=0, keepdims=True))(xs)
    assert out.shape == (4, 1, 1)
    np.testing.assert_allclose(out.numpy().ravel(), xs.numpy().mean(1))
    out = vmap(lambda x: bm.median(x))(xs)
    np.testing.assert_allclose(out.numpy(), np.median(xs.numpy(), axis=1))
    out = vmap(lambda x: bm.stack([x, bm.square(x)], axis=-1))(xs)
    assert out.shape == (4, 3, 2)
    out = vmap(lambda x: bm.asarray([x[0], x[2]]))(xs)
    np.testing.assert_allclose(out.numpy(), xs.numpy()[:, [0, 2]])
    out = vmap(lambda x, y: bm.matmul(x, y), in_dims=(0, None))(xs, torch.ones(3, 2))
    assert out.shape == (4, 2)
    out = vmap(grad(lambda x: bm.sum(bm.exp(x))))(xs)
    np.testing.assert_allclose(out.numpy(), np.exp(xs.numpy()), rtol=1e-6)


# -- devices -----------------------------------------------------------------------------------

MIXED_OPERANDS = {
    'inner with a number': lambda t: [bm.inner(t, 2.)],
    'where with a list condition': lambda t: [bm.where([True, False, True], t, 0.)],
    'einsum with a list': lambda t: [bm.einsum('i,i->', t, [1., 2., 3.])],
    'concatenate with a list': lambda t: [bm.concatenate([t, [1., 2.]])],
    'stack with a list': lambda t: [bm.stack([t, [1., 2., 3.]])],
    'meshgrid with a list': lambda t: list(bm.meshgrid(t, [1., 2.])),
    'broadcast_arrays with a list': lambda t: bm.broadcast_arrays(t, [[1.], [2.]]),
}


@pytest.mark.parametrize('name', list(MIXED_OPERANDS))
def test_list_operands_go_to_the_device_of_the_tensor_operands(name, device):
    """On the CPU run, meta stands in for a second device (it refuses CPU operands, as CUDA does)."""
    target = torch.device('meta') if device.type == 'cpu' else device
    outs = MIXED_OPERANDS[name](torch.ones(3, device=target))
    assert outs and all(o.device.type == target.type for o in outs)


def test_split_at_indices_held_in_a_device_tensor(device):
    parts = bm.split(torch.arange(5., device=device), torch.tensor([2, 3], device=device))
    assert [p.tolist() for p in parts] == [[0., 1.], [2.], [3., 4.]]
    assert all(p.device.type == device.type for p in parts)


# ---------------------------------------------------------------------------
# BrainPy 2.1's further element-wise, reduction and creation names, against NumPy
# ---------------------------------------------------------------------------

_R = np.random.RandomState(3)
_XF = _R.uniform(-3, 3, 12).reshape(3, 4)
_XF[0, 1] = -0.0
_XI = _R.randint(-20, 20, 12).reshape(3, 4)
_XN = _XF.copy()
_XN[1, 2] = _XN[2, 0] = np.nan


def _np_close(x, y, tol=1e-6):
    x = x.numpy() if isinstance(x, torch.Tensor) else np.asarray(x)
    return x.shape == np.shape(y) and np.allclose(x, y, atol=tol, rtol=tol, equal_nan=True)


@pytest.mark.parametrize('name', ['positive', 'fabs', 'fix', 'sinc', 'i0', 'signbit', 'isposinf',
                                  'isneginf', 'isreal', 'iscomplex'])
def test_more_unary_against_numpy(name):
    f, g = getattr(bm, name), getattr(np, name)
    for x in (_XF, np.array([np.inf, -np.inf, 0., 2.5])):
        with np.errstate(invalid='ignore'):
            expected = g(x)
        assert _np_close(f(x), expected), (name, x)
    if name not in ('sinc', 'i0', 'isposinf', 'isneginf', 'signbit'):
        assert _np_close(f(_XI), g(_XI))


def test_more_unary_dtypes():
    assert bm.fabs([-1, 2]).dtype == torch.float32          # NumPy: float64
    assert bm.fix([-1, 2]).dtype == torch.int64 and bm.fix([1.5]).dtype == torch.float32
    assert bm.sinc([0, 1]).dtype == torch.float32
    assert bm.isreal([1., 2.]).dtype == torch.bool
    with pytest.raises(TypeError, match='bool'):
        bm.positive([True])
    with pytest.raises(TypeError, match='complex'):
        bm.fabs([1j])
    assert np.allclose(bm.isreal([1 + 0j, 1j]).numpy(), np.isreal([1 + 0j, 1j]))
    assert np.allclose(bm.iscomplex([1 + 0j, 1j]).numpy(), np.iscomplex([1 + 0j, 1j]))


def test_isscalar_and_round_():
    for x in (1, 1.5, np.float32(2), 'a', [1], np.array(1.), bm.asarray(1.), None):
        assert bm.isscalar(x) == np.isscalar(x)
    assert bm.round_ is bm.round


def test_modf_frexp_divmod():
    for x in (_XF, np.array([np.inf, -np.inf, -0.5])):
        frac, whole = bm.modf(x)
        f2, w2 = np.modf(x)
        assert _np_close(frac, f2) and _np_close(whole, w2)
    m, e = bm.frexp(_XF)
    m2, e2 = np.frexp(_XF)
    assert _np_close(m, m2) and _np_close(e, e2) and e.dtype == torch.int32
    q, r = bm.divmod(_XI, 7)
    q2, r2 = np.divmod(_XI, 7)
    assert _np_close(q, q2) and _np_close(r, r2)
    q, r = bm.divmod(_XF, 1.5)
    q2, r2 = np.divmod(_XF, 1.5)
    assert _np_close(q, q2) and _np_close(r, r2)


@pytest.mark.parametrize('name, a, b', [
    ('logaddexp2', _XF, _XF.T[:3, :3].sum() + _XF), ('lcm', _XI, 6), ('gcd', _XI, np.array([4, 6, 9, 10])),
    ('copysign', _XF, -_XF[::-1]), ('nextafter', _XF, 0.), ('ldexp', _XF, np.array([1, -2, 3, 0])),
    ('left_shift', np.abs(_XI), 2), ('right_shift', np.abs(_XI), np.array([0, 1, 2, 3])),
])
def test_more_binary_against_numpy(name, a, b):
    ours = getattr(bm, name)(a, b)
    theirs = getattr(np, name)(a, b)
    if name == 'nextafter':   # in the default float (float32): one float32 step
        assert _np_close(ours, np.nextafter(a.astype(np.float32), np.float32(0)), 0)
    else:
        assert _np_close(ours, theirs, 1e-5)


def test_ldexp_refuses_float_exponents():
    with pytest.raises(TypeError, match='integers'):
        bm.ldexp([1.], [1.5])


@pytest.mark.parametrize('shape, axis, order', [((10,), None, 'big'), ((3, 11), 1, 'little'),
                                                ((9, 2), 0, 'big'), ((2, 3, 4), None, 'little')])
def test_packbits_unpackbits_against_numpy(shape, axis, order):
    bits = _R.randint(0, 2, shape)
    packed = bm.packbits(bits, axis=axis, bitorder=order)
    theirs = np.packbits(bits, axis=axis, bitorder=order)
    assert packed.dtype == torch.uint8 and _np_close(packed, theirs)
    for count in (None, 3, -2, 40):
        ours = bm.unpackbits(packed, axis=axis, count=count, bitorder=order)
        assert _np_close(ours, np.unpackbits(theirs, axis=axis, count=count, bitorder=order))
    with pytest.raises(ValueError, match='bitorder'):
        bm.packbits(bits, bitorder='middle')
    with pytest.raises(TypeError, match='uint8'):
        bm.unpackbits(bits)


@pytest.mark.parametrize('name', ['nanprod', 'nanmin', 'nanmax', 'ptp', 'count_nonzero'])
@pytest.mark.parametrize('axis', [None, 0, 1, (0, 1)])
def test_nan_reductions_against_numpy(name, axis):
    x = _XF if name in ('ptp', 'count_nonzero') else _XN
    for keepdims in (False, True):
        ours = getattr(bm, name)(x, axis=axis, keepdims=keepdims)
        theirs = getattr(np, name)(x, axis=axis, keepdims=keepdims)
        assert _np_close(ours, theirs, 1e-5), (name, axis, keepdims)


def test_nan_reductions_edge_cases():
    allnan = np.array([[np.nan, np.nan], [1., np.nan]])
    assert _np_close(bm.nanmin(allnan, axis=1), [np.nan, 1.])
    assert _np_close(bm.nanmax(allnan, axis=1), [np.nan, 1.])
    assert _np_close(bm.nanargmax(allnan, axis=1), [-1, 0])   # NumPy raises; JAX gives -1
    for axis in (None, 0, 1):
        assert _np_close(bm.nanargmin(_XN, axis=axis), np.nanargmin(_XN, axis=axis))
        assert _np_close(bm.nanargmax(_XN, axis=axis), np.nanargmax(_XN, axis=axis))
    for axis in (None, 0, 1):
        assert _np_close(bm.nancumsum(_XN, axis=axis), np.nancumsum(_XN, axis=axis), 1e-5)
        assert _np_close(bm.nancumprod(_XN, axis=axis), np.nancumprod(_XN, axis=axis), 1e-5)
    assert _np_close(bm.nanmin(_XI, axis=0), np.nanmin(_XI, axis=0))
    assert bm.count_nonzero(_XI).dtype == torch.int64


def test_aliases():
    assert bm.alltrue is bm.all and bm.sometrue is bm.any
    assert bm.product is bm.prod and bm.cumproduct is bm.cumprod


def test_vdot_einsum_path_broadcast_shapes_array_equiv():
    a, b = _XF + 1j * _XF[::-1], _XF.T.reshape(3, 4) - 0.5j
    assert _np_close(bm.vdot(a, b), np.vdot(a, b), 1e-5)
    assert _np_close(bm.vdot(_XF, _XF), np.vdot(_XF, _XF), 1e-4)
    ops_ = [np.ones((2, 3)), np.ones((3, 4)), np.ones((4, 5))]
    assert bm.einsum_path('ij,jk,kl->il', *ops_)[0] == np.einsum_path('ij,jk,kl->il', *ops_)[0]
    assert bm.broadcast_shapes((2, 1), (1, 3), (3,)) == np.broadcast_shapes((2, 1), (1, 3), (3,))
    with pytest.raises(ValueError, match='broadcast'):
        bm.broadcast_shapes((2,), (3,))
    for x, y in [([1, 2], [[1, 2], [1, 2]]), ([1, 2], [[1, 2], [1, 3]]), ([1, 2], [1, 2, 3])]:
        assert bm.array_equiv(x, y) == np.array_equiv(x, y)


@pytest.mark.parametrize('start, stop, num, endpoint', [(1, 1000, 4, True), (1, 256, 9, False),
                                                        (-1, -1000, 4, True), (0.5, 2., 5, True)])
def test_geomspace_against_numpy(start, stop, num, endpoint):
    ours = bm.geomspace(start, stop, num, endpoint=endpoint)
    assert ours.dtype == torch.float32
    assert _np_close(ours, np.geomspace(start, stop, num, endpoint=endpoint), 1e-5)
    assert _np_close(bm.geomspace(start, stop, num, endpoint=endpoint, dtype=bm.float64),
                     np.geomspace(start, stop, num, endpoint=endpoint), 1e-12)


def test_geomspace_errors():
    with pytest.raises(ValueError, match='zero'):
        bm.geomspace(0, 10)
    with pytest.raises(ValueError, match='sign'):
        bm.geomspace(-1, 10)


def test_more_elementwise_under_grad():
    x = torch.tensor([0.3, 1.7, -2.2], dtype=torch.float64)
    g = bm.grad(lambda v: bm.sinc(v).sum())(x)
    xs = x.clone().requires_grad_()
    (ref,) = torch.autograd.grad(torch.sinc(xs).sum(), xs)
    assert torch.allclose(g, ref)
    g2 = bm.grad(lambda v: bm.nanmax(v))(torch.tensor([1., float('nan'), 3.]))
    assert torch.equal(g2, torch.tensor([0., 0., 1.]))
