"""The bm namespace against BrainPy 2.1.12's: every public name of ``brainpy.math`` is in
bm, or documented as staying out (with its reason) or as coming from other work; and the
names added for fidelity behave as BrainPy's (array types, default dtypes, aliases).

The list is BrainPy 2.1.12's ``brainpy/math/__init__.py`` read from its source: the
``__all__`` of every module it star-imports (jaxarray, delayvars, activations, compat,
numpy_ops, operators, autograd, controls, jit, setting, function), the names defined
there (get_dint, set_dfloat...), the modules it imports by name (activations, fft,
linalg, random, setting) and the submodules that importing makes package attributes.
"""

import pathlib

import numpy as np
import pytest
import torch

import bptorch
import bptorch.math as bm
from bptorch.math import _porting

# bm.losses imports bptorch.losses; where this checkout has none, an editable install of
# another checkout may still answer the import, so the alias is only checked with a
# bptorch.losses of this checkout.
HAS_LOSSES = (pathlib.Path(bptorch.__file__).parent / 'losses').is_dir()

BRAINPY_2_1_12_MATH = """
    # jaxarray
    JaxArray ndarray Variable TrainVar Parameter
    # delayvars
    AbstractDelay TimeDelay LengthDelay NeuTimeDelay NeuLenDelay
    # activations
    celu elu gelu glu hard_tanh hard_sigmoid hard_silu hard_swish leaky_relu log_sigmoid
    log_softmax one_hot normalize relu relu6 sigmoid soft_sign softmax softplus silu swish selu
    identity tanh
    # compat
    optimizers losses FixedLenDelay
    # numpy_ops
    real imag conj conjugate ndim isreal isscalar add reciprocal negative positive multiply
    divide power subtract true_divide floor_divide float_power fmod mod modf divmod remainder
    abs exp exp2 expm1 log log10 log1p log2 logaddexp logaddexp2 lcm gcd arccos arccosh arcsin
    arcsinh arctan arctan2 arctanh cos cosh sin sinc sinh tan deg2rad hypot rad2deg degrees
    radians round around round_ rint floor ceil trunc fix prod sum diff median nancumprod
    nancumsum nanprod nansum cumprod cumsum ediff1d cross trapz isfinite isinf isnan signbit
    copysign nextafter ldexp frexp convolve sqrt cbrt square absolute fabs sign heaviside
    maximum minimum fmax fmin interp clip angle bitwise_and bitwise_not bitwise_or bitwise_xor
    invert left_shift right_shift equal not_equal greater greater_equal less less_equal
    array_equal isclose allclose logical_and logical_not logical_or logical_xor all any alltrue
    sometrue shape size reshape ravel moveaxis transpose swapaxes concatenate stack vstack
    hstack dstack column_stack split dsplit hsplit vsplit tile repeat unique append flip fliplr
    flipud roll atleast_1d atleast_2d atleast_3d expand_dims squeeze sort argsort argmax argmin
    argwhere nonzero flatnonzero where searchsorted extract count_nonzero max min amax amin
    empty empty_like ones ones_like zeros zeros_like full full_like eye array asarray arange
    linspace logspace meshgrid diag tri tril triu vander fill_diagonal array_split tril_indices
    tril_indices_from triu_indices triu_indices_from take select nanmin nanmax ptp percentile
    nanpercentile quantile nanquantile average mean std var nanmedian nanmean nanstd nanvar
    corrcoef correlate cov histogram bincount digitize bartlett blackman hamming hanning kaiser
    e pi inf dot vdot inner outer kron matmul trace dtype finfo iinfo uint8 uint16 uint32 uint64
    int8 int16 int32 int64 float16 float32 float64 complex64 complex128 product row_stack
    apply_over_axes apply_along_axis array_equiv array_repr array_str block broadcast_arrays
    broadcast_shapes broadcast_to compress cumproduct diag_indices diag_indices_from diagflat
    diagonal einsum einsum_path geomspace gradient histogram2d histogram_bin_edges histogramdd
    i0 in1d indices insert intersect1d iscomplex isin ix_ lexsort load save savez mask_indices
    msort nan_to_num nanargmax setdiff1d nanargmin pad poly polyadd polyder polyfit polyint
    polymul polysub polyval resize rollaxis roots rot90 setxor1d tensordot trim_zeros union1d
    unravel_index unwrap take_along_axis can_cast choose copy frombuffer fromfile fromfunction
    fromiter fromstring get_printoptions iscomplexobj isneginf isposinf isrealobj issubdtype
    issubsctype iterable packbits piecewise printoptions set_printoptions promote_types
    ravel_multi_index result_type sort_complex unpackbits delete add_docstring add_newdoc
    add_newdoc_ufunc array2string asanyarray ascontiguousarray asfarray asscalar common_type
    disp genfromtxt loadtxt info issubclass_ place polydiv put putmask safe_eval savetxt
    savez_compressed show_config typename clip_by_norm as_device_array as_variable as_numpy
    remove_diag
    # operators
    pre2post_sum pre2post_prod pre2post_max pre2post_min pre2post_mean pre2syn syn2post_sum
    syn2post syn2post_prod syn2post_max syn2post_min syn2post_mean syn2post_softmax
    pre2post_event_sum pre2post_event_prod sparse_matmul segment_sum segment_prod segment_max
    segment_min register_op
    # autograd
    grad vector_grad jacobian jacrev jacfwd hessian
    # controls
    make_loop make_while make_cond cond ifelse for_loop while_loop
    # jit
    jit
    # setting
    enable_x64 disable_x64 set_platform set_host_device_count bool_ int_ float_ complex_ set_dt
    get_dt
    # function
    function
    # __init__ (defined there, or modules it imports)
    activations fft linalg random setting get_dint get_dfloat get_dcomplex set_dint set_dfloat
    set_dcomplex
    # submodules (attributes of the package)
    jaxarray delayvars compat numpy_ops operators autograd controls utils
"""
BRAINPY_2_1_12_MATH = [name for line in BRAINPY_2_1_12_MATH.splitlines()
                       if not line.strip().startswith('#') for name in line.split()]


def test_the_list_is_brainpy_2_1_12s():
    assert len(BRAINPY_2_1_12_MATH) == 464 == len(set(BRAINPY_2_1_12_MATH))
    for name in ('JaxArray', 'as_numpy', 'pre2post_event_sum', 'set_dfloat', 'linalg', 'fft',
                 'random', 'make_loop', 'relu', 'set_host_device_count'):
        assert name in BRAINPY_2_1_12_MATH


@pytest.mark.parametrize('name', BRAINPY_2_1_12_MATH)
def test_every_brainpy_name_is_in_bm_or_documented(name):
    if name == 'losses' and not HAS_LOSSES:
        pytest.skip('bptorch.losses is not in this checkout')
    present = hasattr(bm, name)
    if name in _porting.STAYS_OUT:
        assert not present, f'bm.{name} is documented as staying out but exists'
        with pytest.raises(AttributeError, match='not in bptorch: ' + _porting.STAYS_OUT[name][:20]):
            getattr(bm, name)
    elif not present:
        assert name in _porting.NOT_YET, f'bm.{name} is missing and not documented'
        with pytest.raises(AttributeError, match='not in bptorch yet'):
            getattr(bm, name)


def test_counts():
    names = [n for n in BRAINPY_2_1_12_MATH if HAS_LOSSES or n != 'losses']
    present = [n for n in names if hasattr(bm, n)]
    out = [n for n in names if n in _porting.STAYS_OUT]
    # all but the staying-out ones and those other work brings are in bm
    pending = [n for n in names if not hasattr(bm, n) and n in _porting.NOT_YET]
    assert len(present) + len(out) + len(pending) == len(names)
    assert len(present) >= 394 and len(out) == 10


def test_reasons_are_one_line_each():
    for table in (_porting.STAYS_OUT, _porting.NOT_YET):
        for name, reason in table.items():
            assert reason and '\n' not in reason, name


def test_unknown_names_are_plain_attribute_errors():
    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        bm.no_such_name
    assert not hasattr(bm, 'no_such_name')


# ---------------------------------------------------------------------------
# array types
# ---------------------------------------------------------------------------

def test_ndarray_and_jaxarray_are_one_type_test():
    assert bm.ndarray is bm.JaxArray
    v = bm.Variable(bm.zeros(3))
    for x in (bm.zeros(3), v, bm.TrainVar(bm.ones(2)), bm.Parameter(bm.ones(1)), torch.tensor(1.)):
        assert isinstance(x, bm.ndarray) and isinstance(x, bm.JaxArray)
    for x in (np.zeros(3), [1., 2.], 1.0, None):
        assert not isinstance(x, bm.ndarray)
    assert issubclass(torch.Tensor, bm.ndarray) and issubclass(bm.Variable, bm.ndarray)
    assert not issubclass(np.ndarray, bm.ndarray)


def test_calling_ndarray_gives_a_tensor():
    t = torch.ones(2)
    assert bm.ndarray(t) is t
    v = bm.Variable(bm.arange(3))
    r = bm.JaxArray(v)
    assert type(r) is torch.Tensor and torch.equal(r, v.value)
    assert bm.ndarray([1, 2], dtype=bm.float32).dtype == torch.float32
    assert bm.ndarray(np.ones(2)).dtype == torch.float32   # NumPy float64 -> the default float


def test_ndarray_in_annotations():
    def f(x: bm.ndarray) -> bm.JaxArray:
        return x * 2
    assert f.__annotations__['x'] is bm.ndarray


def test_dtype_type():
    assert bm.dtype('float64') is torch.float64 and bm.dtype(np.int32) is torch.int32
    assert bm.dtype(float) is torch.float32 and bm.dtype(int) is torch.int64
    assert bm.dtype(torch.bool) is torch.bool
    assert isinstance(torch.float16, bm.dtype) and not isinstance('float16', bm.dtype)
    with pytest.raises(TypeError, match='dtype'):
        bm.dtype('not a dtype')
    with pytest.raises(TypeError, match='x.dtype'):
        bm.dtype(bm.ones(2))


# ---------------------------------------------------------------------------
# default dtypes, settings, aliases
# ---------------------------------------------------------------------------

def test_default_dtypes_follow_the_settings():
    assert (bm.float_, bm.int_, bm.complex_, bm.bool_) == (
        torch.float32, torch.int64, torch.complex64, torch.bool)
    bm.enable_x64()
    assert bm.float_ is torch.float64 and bm.complex_ is torch.complex128
    from bptorch.math import float_
    assert float_ is torch.float64
    bm.disable_x64()
    assert bm.float_ is torch.float32
    assert bm.get_dfloat() is torch.float32 and bm.get_dint() is torch.int64
    assert bm.get_dcomplex() is torch.complex64


def test_set_dfloat_is_the_default_float():
    bm.set_dfloat(bm.float64)
    assert bm.x64_enabled() and bm.zeros(2).dtype == torch.float64
    assert bm.asarray(0.5).dtype == torch.float64 and bm.random.rand(2).dtype == torch.float64
    bm.set_dfloat(np.float32)
    assert bm.float_ is torch.float32 and bm.zeros(1).dtype == torch.float32
    bm.set_dfloat('float16')
    assert bm.ones(1).dtype == torch.float16
    bm.set_dfloat(torch.float32)
    for bad in (bm.int32, 'int8', 'nonsense', bm.complex64):
        with pytest.raises(TypeError, match=r'set_dfloat\(float_type\)'):
            bm.set_dfloat(bad)


def test_set_dint_and_set_dcomplex():
    bm.set_dint(bm.int32)
    assert bm.int_ is torch.int32 and bm.asarray(3).dtype == torch.int32
    assert bm.zeros(2, dtype=int).dtype == torch.int32
    assert bm.random.randint(0, 5, size=3).dtype == torch.int32
    assert bm.random.poisson(2., size=3).dtype == torch.int32
    bm.set_dint(None)
    assert bm.int_ is torch.int64
    with pytest.raises(TypeError, match=r'set_dint\(int_type\)'):
        bm.set_dint(bm.float32)
    bm.set_dcomplex(bm.complex128)
    assert bm.complex_ is torch.complex128 and bm.asarray(1j).dtype == torch.complex128
    bm.set_dcomplex(None)
    assert bm.complex_ is torch.complex64
    with pytest.raises(TypeError, match=r'set_dcomplex\(complex_type\)'):
        bm.set_dcomplex(bm.float64)


def test_dt():
    assert bm.get_dt() == 0.1
    bm.set_dt(0.05)
    assert bm.get_dt() == 0.05
    bm.set_dt(1)
    assert bm.get_dt() == 1.0 and isinstance(bm.get_dt(), float)
    with pytest.raises(TypeError, match='set_dt'):
        bm.set_dt('0.1')
    with pytest.raises(ValueError, match='positive'):
        bm.set_dt(0.)


def test_optimizers_alias_is_resolved_on_use_and_is_bp_optimizers():
    import bptorch as bp
    assert bm.optimizers is bp.optimizers and bm.optimizers.Adam is bp.optimizers.Adam
    assert 'optimizers' not in vars(bm)


@pytest.mark.skipif(not HAS_LOSSES, reason='bptorch.losses is not in this checkout')
def test_losses_alias_is_bp_losses():
    import bptorch as bp
    import bptorch.losses
    assert bm.losses is bp.losses is bptorch.losses
    assert 'losses' not in vars(bm) or vars(bm)['losses'] is bptorch.losses


def test_unwrap_is_numpys_phase_unwrap():
    p = np.array([0., 3., 6.5, 3., -2.5, 9.])
    assert np.allclose(bm.unwrap(p).numpy(), np.unwrap(p), atol=1e-5)
    assert np.allclose(bm.unwrap(p, discont=4.).numpy(), np.unwrap(p, discont=4.), atol=1e-5)
    assert np.allclose(bm.unwrap(bm.Variable(bm.asarray(p))).numpy(), np.unwrap(p), atol=1e-5)
    from bptorch.math.variables import unwrap
    assert unwrap([bm.Variable(bm.ones(1))])[0].__class__ is torch.Tensor


# ---------------------------------------------------------------------------
# conversions
# ---------------------------------------------------------------------------

def test_as_numpy_as_device_array_as_variable():
    v = bm.Variable(bm.arange(3.))
    a = bm.as_numpy(v)
    assert isinstance(a, np.ndarray) and a.dtype == np.float32 and a.tolist() == [0., 1., 2.]
    assert bm.as_numpy(v, dtype=np.float64).dtype == np.float64
    assert bm.as_numpy([1, 2]).tolist() == [1, 2]
    t = torch.ones(2, requires_grad=True)
    assert bm.as_numpy(t * 2).tolist() == [2., 2.]   # detached
    with pytest.raises(TypeError, match='bfloat16'):
        bm.as_numpy(bm.ones(1, dtype=bm.bfloat16))
    d = bm.as_device_array(v)
    assert type(d) is torch.Tensor and torch.equal(d, v.value)
    assert bm.as_device_array(np.arange(2), dtype=bm.float64).dtype == torch.float64
    w = bm.as_variable([1., 2.])
    assert isinstance(w, bm.Variable) and torch.equal(w.value, torch.tensor([1., 2.]))
    assert bm.as_variable([1, 2], dtype=bm.int32).dtype == torch.int32


def test_small_conversions():
    assert bm.asfarray([1, 2]).dtype == torch.float32
    assert bm.asfarray([1, 2], dtype=bm.int32).dtype == torch.float32   # NumPy: ints -> float
    assert bm.asfarray([1, 2], dtype=bm.float64).dtype == torch.float64
    assert bm.asscalar(bm.asarray([[3]])) == 3
    with pytest.raises(ValueError, match='size 1'):
        bm.asscalar([1, 2])
    x = torch.ones(2, requires_grad=True)
    y = bm.copy(x)
    assert y.data_ptr() != x.data_ptr() and y.requires_grad
    assert bm.ascontiguousarray(torch.ones(3, 2).T).is_contiguous()
    with pytest.raises(NotImplementedError, match="order='F'"):
        bm.copy(x, order='F')


@pytest.mark.parametrize('a, b, casting', [
    ('int32', 'float64', 'safe'), ('float64', 'float32', 'safe'), ('float64', 'float32', 'same_kind'),
    ('int64', 'int8', 'same_kind'), ('float32', 'int32', 'same_kind'), ('uint8', 'int16', 'safe'),
    ('int8', 'uint8', 'safe'), ('complex64', 'float64', 'unsafe'), ('float32', 'float32', 'no'),
    ('bool', 'int8', 'safe'), ('float32', 'complex64', 'safe'), ('int32', 'float32', 'safe'),
])
def test_can_cast_matches_numpy(a, b, casting):
    assert bm.can_cast(a, b, casting) == np.can_cast(a, b, casting)
    assert bm.can_cast(getattr(torch, a), getattr(torch, b), casting) == np.can_cast(a, b, casting)


def test_dtype_functions():
    assert bm.can_cast(bm.ones(2, dtype=bm.int8), bm.int16)
    with pytest.raises(ValueError, match='casting'):
        bm.can_cast(bm.int8, bm.int16, 'sometimes')
    assert bm.promote_types('int8', 'uint8') is torch.int16
    assert bm.promote_types(bm.int64, bm.float32) is torch.float32   # torch's (JAX's) lattice
    assert bm.result_type(bm.ones(2, dtype=bm.int32), 2) is torch.int32
    assert bm.result_type(bm.ones(2, dtype=bm.int32), 2.) is torch.float32
    assert bm.result_type(bm.float16, 1j) is torch.complex64
    assert bm.result_type(bm.float64, 1j) is torch.complex128
    assert bm.result_type(True, 1) is torch.int64 and bm.result_type(bm.bool_, 1) is torch.int64
    assert bm.result_type(1, 2.) is torch.float32
    with pytest.raises(ValueError):
        bm.result_type()
    for dt, kind, expected in [('float32', np.floating, True), ('int32', np.floating, False),
                               ('int32', np.signedinteger, True), ('uint8', np.signedinteger, False),
                               ('complex64', np.inexact, True), ('bool', np.number, False),
                               ('float64', np.float64, True), ('float32', np.float64, False)]:
        assert bm.issubdtype(getattr(torch, dt), kind) == np.issubdtype(dt, kind) == expected
    assert bm.issubdtype(bm.bfloat16, np.floating)
    assert bm.issubsctype(bm.ones(2, dtype=bm.int16), np.integer)
    assert bm.common_type(bm.ones(1, dtype=bm.float64), bm.ones(1, dtype=bm.int8)) is torch.float64
    assert bm.iscomplexobj(bm.complex64) and not bm.isrealobj(bm.asarray([1j]))
    assert bm.iterable(bm.ones(2)) and not bm.iterable(bm.ones(())) and not bm.iterable(3)
    assert bm.typename('f') == np.typename('f')
    assert bm.issubclass_(bm.TrainVar, bm.Variable) and not bm.issubclass_('x', object)


def test_an_alias_of_a_missing_package_is_an_attribute_error(monkeypatch):
    monkeypatch.setitem(bm._ALIASES, 'not_here', 'bptorch.no_such_package')
    with pytest.raises(AttributeError, match=r'bm.not_here: .*bp.no_such_package.*not in bptorch yet'):
        bm.not_here
    assert not hasattr(bm, 'not_here')
