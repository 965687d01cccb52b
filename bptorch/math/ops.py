"""NumPy-named array functions over torch tensors: the ``bm`` array API.

Every function here takes array-like inputs (Python numbers, (nested) lists,
NumPy arrays, ``torch.Tensor`` and :class:`~bptorch.math.Variable`) and returns
plain ``torch.Tensor`` results. Inputs are converted by
:func:`~bptorch.math.variables.as_tensor`, the one conversion of bptorch.

Dtype rules
-----------
bptorch follows JAX's reading of NumPy:

* Python floats and NumPy ``float64`` data become the default float
  (:func:`bptorch.math.settings.float_`: float32, or float64 after
  :func:`~bptorch.math.enable_x64`); where NumPy returns float64 for integer
  input (``mean``, ``sqrt``, ``divide``, ``linspace``, ``float_power``...), bptorch
  returns the default float. Tensors keep their dtype.
* Python ints become int64 (torch's index type, also JAX's under x64); Python
  numbers are *weak*: ``bm.add(float16_tensor, 2.5)`` stays float16.
* ``bm.zeros(3)``, ``bm.ones``, ``bm.eye``, ``bm.linspace``... default to the
  default float; ``bm.arange(5)`` is int64 and ``bm.arange(0., 1., .1)`` is the
  default float. ``dtype=`` accepts torch dtypes, ``bool``/``int``/``float``/``complex``
  (``float`` meaning the default float), NumPy dtypes and dtype names.
* ``bm.reciprocal`` of integers is a float (NumPy would do integer division).

``float0``
----------
torch has no ``float0``; ``bm.float0`` is ``torch.bool``, bptorch's stand-in for
JAX's ``float0``: the gradient of an integer input under ``allow_int=True`` is an
all-False ``bool`` tensor of the input's shape.

Devices and transforms
----------------------
New arrays go on :func:`bptorch.math.settings.default_device`. Non-tensor data
combined with a tensor is put on that tensor's device; Python numbers become
CPU 0-d tensors, which torch treats as scalars on any device (no host-to-device
copy). Every differentiable function here works on the traced tensors of
``torch.func.grad`` / ``vmap`` / ``jacrev``: none reads tensor values in Python.
Functions whose result shape depends on values (``unique``, ``where`` with one
argument, ``repeat`` with array repeats) and those returning Python ``bool``
(``array_equal``, ``allclose``) are eager-only.

Examples
--------
>>> import bptorch.math as bm
>>> x = bm.arange(6).reshape(2, 3)
>>> bm.sum(x, axis=0, keepdims=True)
tensor([[3, 5, 7]])
>>> bm.mean(x, axis=1)
tensor([1., 4.])
>>> bm.dot([1., 2.], [3., 4.])
tensor(11.)
"""

from __future__ import annotations

import builtins
import math as _math
from typing import Any, Callable, Sequence, Union

import numpy as np
import torch
from torch import Tensor

from bptorch.math import settings
from bptorch.math.variables import Variable, as_tensor

__all__ = [
    # dtypes and constants
    'bool_', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64',
    'float16', 'bfloat16', 'float32', 'float64', 'complex64', 'complex128', 'float0',
    'finfo', 'iinfo', 'pi', 'e', 'inf', 'nan', 'newaxis',
    # creation
    'array', 'asarray', 'zeros', 'ones', 'full', 'empty', 'zeros_like', 'ones_like',
    'full_like', 'empty_like', 'arange', 'linspace', 'logspace', 'eye', 'identity', 'diag',
    'diagonal', 'tril', 'triu', 'meshgrid',
    # element-wise, one argument
    'sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'arcsinh',
    'arccosh', 'arctanh', 'exp', 'exp2', 'expm1', 'log', 'log2', 'log10', 'log1p', 'sqrt',
    'cbrt', 'square', 'abs', 'absolute', 'sign', 'floor', 'ceil', 'rint', 'trunc',
    'negative', 'reciprocal', 'real', 'imag', 'conj', 'conjugate', 'isnan', 'isinf',
    'isfinite', 'logical_not', 'bitwise_not', 'invert', 'deg2rad', 'rad2deg', 'degrees',
    'radians', 'round', 'around', 'angle', 'clip', 'nan_to_num',
    # element-wise, two arguments
    'add', 'subtract', 'multiply', 'divide', 'true_divide', 'floor_divide', 'mod',
    'remainder', 'fmod', 'power', 'float_power', 'arctan2', 'hypot', 'maximum', 'minimum',
    'fmax', 'fmin', 'heaviside', 'logaddexp', 'logical_and', 'logical_or', 'logical_xor',
    'bitwise_and', 'bitwise_or', 'bitwise_xor', 'where',
    # comparisons
    'equal', 'not_equal', 'less', 'less_equal', 'greater', 'greater_equal',
    'array_equal', 'allclose', 'isclose',
    # reductions
    'sum', 'mean', 'nansum', 'nanmean', 'max', 'min', 'amax', 'amin', 'prod', 'std', 'var',
    'any', 'all', 'argmax', 'argmin', 'cumsum', 'cumprod', 'median', 'quantile',
    'percentile',
    # linear algebra
    'dot', 'matmul', 'einsum', 'outer', 'inner', 'tensordot', 'kron', 'trace', 'cross',
    # shapes
    'reshape', 'ravel', 'flatten', 'squeeze', 'expand_dims', 'concatenate', 'stack',
    'hstack', 'vstack', 'dstack', 'column_stack', 'split', 'array_split', 'transpose',
    'swapaxes', 'moveaxis', 'broadcast_to', 'broadcast_arrays', 'atleast_1d', 'atleast_2d',
    'atleast_3d', 'tile', 'repeat', 'flip', 'roll', 'take', 'take_along_axis', 'sort',
    'argsort', 'unique', 'size', 'shape', 'ndim',
]

ArrayLike = Union[Tensor, Variable, np.ndarray, Sequence[Any], float, int, bool, complex]
"""What every ``bm`` function accepts as an array."""
DTypeLike = Union[torch.dtype, type, np.dtype, str, None]
Axis = Union[int, Sequence[int], None]
Shape = Union[int, Sequence[int]]

_NUMBERS = (bool, int, float, complex)
_CPU = torch.device('cpu')
_SEQ = (tuple, list)

# ---------------------------------------------------------------------------
# dtypes and constants
# ---------------------------------------------------------------------------
bool_ = torch.bool
int8, int16, int32, int64 = torch.int8, torch.int16, torch.int32, torch.int64
uint8, uint16, uint32, uint64 = torch.uint8, torch.uint16, torch.uint32, torch.uint64
float16, bfloat16, float32, float64 = torch.float16, torch.bfloat16, torch.float32, torch.float64
complex64, complex128 = torch.complex64, torch.complex128
float0 = torch.bool  # stand-in for JAX's float0 (see the module docstring)
pi, e, inf, nan = _math.pi, _math.e, _math.inf, _math.nan
newaxis = None

_NUMPY_TO_TORCH = {
    np.dtype(np.bool_): torch.bool, np.dtype(np.int8): torch.int8,
    np.dtype(np.int16): torch.int16, np.dtype(np.int32): torch.int32,
    np.dtype(np.int64): torch.int64, np.dtype(np.uint8): torch.uint8,
    np.dtype(np.uint16): torch.uint16, np.dtype(np.uint32): torch.uint32,
    np.dtype(np.uint64): torch.uint64, np.dtype(np.float16): torch.float16,
    np.dtype(np.float32): torch.float32, np.dtype(np.float64): torch.float64,
    np.dtype(np.complex64): torch.complex64, np.dtype(np.complex128): torch.complex128,
}


def _dtype_slow(dtype: Any) -> torch.dtype:
    if dtype is float:
        return settings.float_()
    if dtype is int:
        return settings.int_()
    if dtype is builtins.bool:
        return torch.bool
    if dtype is complex:
        return settings.complex_()
    try:
        return _NUMPY_TO_TORCH[np.dtype(dtype)]
    except (TypeError, KeyError):
        raise TypeError(f'dtype: expected a torch dtype (e.g. bm.float32), bool/int/float/complex, '
                        f'or a NumPy dtype, got {dtype!r}') from None


def _dt(dtype: Any) -> torch.dtype | None:
    """A ``dtype=`` argument as a torch dtype (None stays None)."""
    if dtype is None or dtype.__class__ is torch.dtype:
        return dtype
    return _dtype_slow(dtype)


def _dtype_of(x: Any) -> torch.dtype:
    """The dtype named by ``x``, or the dtype of the array ``x``."""
    if isinstance(x, (Tensor, Variable)):
        return x.dtype
    if isinstance(x, (list, tuple, np.ndarray, np.generic) + _NUMBERS):
        return as_tensor(x).dtype
    return _dt(x)


def finfo(dtype: Any) -> torch.finfo:
    """Machine limits of a floating dtype (``numpy.finfo``); accepts arrays too.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.finfo(bm.float32).eps
    1.1920928955078125e-07
    >>> bm.finfo(float).bits == (64 if bm.x64_enabled() else 32)
    True
    """
    return torch.finfo(_dtype_of(dtype))


def iinfo(dtype: Any) -> torch.iinfo:
    """Machine limits of an integer dtype (``numpy.iinfo``); accepts arrays too.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.iinfo(bm.int32).max
    2147483647
    """
    return torch.iinfo(_dtype_of(dtype))


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def _scalar(x: bool | int | float | complex) -> Tensor:
    """A Python number as a CPU 0-d tensor with its weak dtype (as ``as_tensor`` gives it)."""
    c = x.__class__
    if c is float or (c is not bool and isinstance(x, float)):  # np.float64 is a float too
        return torch.scalar_tensor(x)  # the default float; faster than torch.tensor
    if c is bool:
        return torch.scalar_tensor(x, dtype=torch.bool)
    if isinstance(x, int):
        return torch.scalar_tensor(x, dtype=torch.int64)
    return torch.tensor(complex(x), dtype=settings.complex_())


def _like(x: Any, ref: Tensor) -> Tensor:
    """``x`` as a tensor to combine with ``ref``: Python numbers become CPU 0-d
    tensors (torch's scalars, usable with any device), other data goes to ``ref``'s device."""
    if isinstance(x, Variable):
        return x.value
    if isinstance(x, _NUMBERS):
        return _scalar(x)
    if isinstance(x, np.generic):
        return as_tensor(x, device=_CPU)
    return as_tensor(x, device=ref.device)


def _pair(x1: Any, x2: Any) -> tuple[Tensor, Tensor]:
    """Two operands as tensors (see :func:`_like`)."""
    if isinstance(x1, Tensor):
        return x1, (x2 if isinstance(x2, Tensor) else _like(x2, x1))
    if isinstance(x2, Tensor):
        return _like(x1, x2), x2
    t1 = as_tensor(x1)
    return t1, _like(x2, t1)


def _pair_on_device(x1: Any, x2: Any) -> tuple[Tensor, Tensor]:
    """Like :func:`_pair`, but a Python number also goes to the other operand's device
    (for ops that reshape their operands, where torch's CPU-scalar rule does not apply)."""
    a, b = _pair(x1, x2)
    if a.device != b.device:
        if isinstance(x1, _NUMBERS) or isinstance(x1, np.generic):
            a = a.to(b.device)
        elif isinstance(x2, _NUMBERS) or isinstance(x2, np.generic):
            b = b.to(a.device)
    return a, b


def _device_of(items: Sequence[Any]) -> torch.device | None:
    """The device of the first tensor or Variable among ``items`` (None if there is none)."""
    return next((x.device for x in items if isinstance(x, (Tensor, Variable))), None)


def _on_one_device(items: Sequence[Any]) -> list[Tensor]:
    """Several operands as tensors; data that is not yet a tensor (lists, numbers,
    NumPy arrays) goes to the device of the first tensor among them, else the default."""
    device = _device_of(items)
    return [as_tensor(x, device=None if isinstance(x, (Tensor, Variable)) else device)
            for x in items]


def _same_dtype(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """Cast two tensors to their promoted dtype (for torch ops that refuse mixed dtypes)."""
    if a.dtype == b.dtype:
        return a, b
    dt = torch.result_type(a, b)
    return a.to(dt), b.to(dt)


def _to_float(a: Tensor) -> Tensor:
    """Integers and bools as the default float; floats and complex unchanged."""
    if a.is_floating_point() or a.is_complex():
        return a
    return a.to(settings.float_())


def _no_out(name: str, out: Any) -> None:
    if out is not None:
        raise NotImplementedError(f'{name}(out=...): tensors are immutable here; use the result')


def _doc(name: str, summary: str, example: str | None = None, where: str = '') -> str:
    text = (f'{summary}\n\nLike ``numpy.{name}``{where}: inputs may be tensors, Variables, '
            'NumPy arrays, lists or Python numbers; the result is a ``torch.Tensor``.\n')
    if example:
        lines = example.strip('\n').split('\n')
        body = '\n'.join(line if line.startswith('...') or not line.startswith(('bm.', 'x ', 'v ', 'import'))
                         else '>>> ' + line for line in lines)
        text += '\nExamples\n--------\n>>> import bptorch.math as bm\n' + body + '\n'
    return text


def _public(f: Callable, name: str, doc: str) -> Callable:
    f.__name__ = f.__qualname__ = name
    f.__module__ = __name__
    f.__doc__ = doc
    return f


# ---------------------------------------------------------------------------
# creation
# ---------------------------------------------------------------------------

def array(object: ArrayLike, dtype: DTypeLike = None, copy: bool = True, ndmin: int = 0) -> Tensor:
    """An array holding a copy of ``object`` (``numpy.array``).

    Unlike :func:`asarray`, the result never shares memory with a tensor,
    Variable or NumPy array given. It stays differentiable (like ``jnp.array``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.array([1., 2.])
    tensor([1., 2.])
    >>> bm.array([[1, 2]], dtype=bm.float32, ndmin=3).shape
    torch.Size([1, 1, 2])
    """
    t = as_tensor(object, _dt(dtype))
    if copy and isinstance(object, (Tensor, Variable, np.ndarray)):
        t = t.clone()
    if t.ndim < ndmin:
        t = t.reshape((1,) * (ndmin - t.ndim) + tuple(t.shape))
    return t


def asarray(a: ArrayLike, dtype: DTypeLike = None) -> Tensor:
    """``a`` as a tensor, without copying when possible (``numpy.asarray``).

    This is :func:`bptorch.math.as_tensor` (which also accepts ``device=``) with
    ``dtype`` read as in every ``bm`` function. A list of tensors, 0-d ones
    included, is stacked, also inside ``torch.func`` transforms.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.asarray([1., 2.])
    tensor([1., 2.])
    >>> t = torch.ones(2)
    >>> bm.asarray(t) is t
    True
    >>> bm.asarray([torch.tensor(1.), torch.tensor(2.)])
    tensor([1., 2.])

    A Variable gives its value (for a ``bm.Variable``, a copy-on-write copy, as
    ``v.value`` does: it shares the Variable's memory until written).
    """
    if isinstance(a, Variable):
        a = a.value
    return as_tensor(a, _dt(dtype))


def _shape_tuple(shape: Shape) -> tuple:
    return (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)


def _make_filled(name: str, fn: Callable, summary: str, example: str) -> Callable:
    def f(shape: Shape, dtype: DTypeLike = None) -> Tensor:
        return fn(shape, dtype=_dt(dtype) or settings.float_(), device=settings.default_device())
    return _public(f, name, _doc(name, summary, example,
                                 ' (default dtype: the default float; device: the default device)'))


zeros = _make_filled('zeros', torch.zeros, 'A new array of the given shape, filled with zeros.', """
bm.zeros(3)
tensor([0., 0., 0.])
bm.zeros((2, 1), dtype=bm.int32)
tensor([[0],
        [0]], dtype=torch.int32)
bm.zeros(2, dtype=bool)
tensor([False, False])
""")
ones = _make_filled('ones', torch.ones, 'A new array of the given shape, filled with ones.', """
bm.ones((2,))
tensor([1., 1.])
""")
empty = _make_filled('empty', torch.empty, 'A new array of the given shape, uninitialised.', """
bm.empty((2, 3)).shape
torch.Size([2, 3])
""")


def full(shape: Shape, fill_value: ArrayLike, dtype: DTypeLike = None) -> Tensor:
    """A new array of the given shape filled with ``fill_value`` (``numpy.full``).

    The dtype follows ``fill_value`` (a Python float gives the default float).
    ``fill_value`` may be an array (broadcast to ``shape``), traced tensors included.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.full(2, 7)
    tensor([7, 7])
    >>> bm.full((2,), 0.5)
    tensor([0.5000, 0.5000])
    >>> bm.full((2, 2), [1., 2.])
    tensor([[1., 2.],
            [1., 2.]])
    """
    dtype = _dt(dtype)
    if isinstance(fill_value, _NUMBERS):
        return torch.full(_shape_tuple(shape), fill_value, dtype=dtype,
                          device=settings.default_device())
    v = as_tensor(fill_value, dtype)
    return v.expand(_shape_tuple(shape)).clone(memory_format=torch.contiguous_format)


def _make_like(name: str, fn: Callable, creator: Callable, summary: str, example: str) -> Callable:
    def f(a: ArrayLike, dtype: DTypeLike = None, shape: Shape | None = None) -> Tensor:
        a = as_tensor(a)
        if shape is None:
            return fn(a, dtype=_dt(dtype))
        return creator(shape, dtype=_dt(dtype) or a.dtype, device=a.device)
    return _public(f, name, _doc(name, summary, example,
                                 " (dtype and device of ``a`` unless ``dtype``/``shape`` given)"))


zeros_like = _make_like('zeros_like', torch.zeros_like, torch.zeros,
                        'An array of zeros with the shape and dtype of ``a``.', """
bm.zeros_like([1, 2])
tensor([0, 0])
bm.zeros_like(bm.ones(2), dtype=bool)
tensor([False, False])
""")
ones_like = _make_like('ones_like', torch.ones_like, torch.ones,
                       'An array of ones with the shape and dtype of ``a``.', """
bm.ones_like([1., 2.])
tensor([1., 1.])
""")
empty_like = _make_like('empty_like', torch.empty_like, torch.empty,
                        'An uninitialised array with the shape and dtype of ``a``.', """
bm.empty_like(bm.ones((2, 3))).shape
torch.Size([2, 3])
""")


def full_like(a: ArrayLike, fill_value: ArrayLike, dtype: DTypeLike = None,
              shape: Shape | None = None) -> Tensor:
    """An array with the shape and dtype of ``a`` filled with ``fill_value`` (``numpy.full_like``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.full_like([1., 2.], 3)
    tensor([3., 3.])
    >>> bm.full_like([1, 2], 2.7)
    tensor([2, 2])
    """
    a = as_tensor(a)
    dtype = _dt(dtype) or a.dtype
    shape = a.shape if shape is None else _shape_tuple(shape)
    if isinstance(fill_value, _NUMBERS):
        return torch.full(shape, fill_value, dtype=dtype, device=a.device)
    v = as_tensor(fill_value, dtype, device=a.device)
    return v.expand(shape).clone(memory_format=torch.contiguous_format)


def arange(start: Any, stop: Any = None, step: Any = None, dtype: DTypeLike = None) -> Tensor:
    """Evenly spaced values in ``[start, stop)`` (``numpy.arange``).

    Integer arguments give int64; any float argument gives the default float.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.arange(4)
    tensor([0, 1, 2, 3])
    >>> bm.arange(0., 1., .25)
    tensor([0.0000, 0.2500, 0.5000, 0.7500])
    """
    if stop is None:
        start, stop = 0, start
    return torch.arange(start, stop, 1 if step is None else step, dtype=_dt(dtype),
                        device=settings.default_device())


def linspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, retstep: bool = False,
             dtype: DTypeLike = None) -> Tensor | tuple[Tensor, float]:
    """``num`` evenly spaced values from ``start`` to ``stop`` (``numpy.linspace``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.linspace(0, 1, 5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    >>> bm.linspace(0, 1, 4, endpoint=False, retstep=True)
    (tensor([0.0000, 0.2500, 0.5000, 0.7500]), 0.25)
    """
    dt = _dt(dtype)
    work = dt if dt is not None and (dt.is_floating_point or dt.is_complex) else settings.float_()
    dev = settings.default_device()
    if endpoint:
        t = torch.linspace(start, stop, num, dtype=work, device=dev)
    else:
        t = torch.linspace(start, stop, num + 1, dtype=work, device=dev)[:num]
    if dt is not None and dt != work:
        t = t.floor().to(dt)
    if retstep:
        div = (num - 1) if endpoint else num
        return t, ((stop - start) / div if div > 0 else nan)
    return t


def logspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True, base: float = 10.0,
             dtype: DTypeLike = None) -> Tensor:
    """``base ** linspace(start, stop, num)`` (``numpy.logspace``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.logspace(0, 2, 3)
    tensor([  1.,  10., 100.])
    """
    t = torch.pow(base, linspace(start, stop, num, endpoint=endpoint))
    dt = _dt(dtype)
    return t if dt is None else t.to(dt)


def eye(N: int, M: int | None = None, k: int = 0, dtype: DTypeLike = None) -> Tensor:
    """A 2-D array with ones on the ``k``-th diagonal (``numpy.eye``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.eye(2)
    tensor([[1., 0.],
            [0., 1.]])
    >>> bm.eye(2, 3, k=1, dtype=int)
    tensor([[0, 1, 0],
            [0, 0, 1]])
    """
    dt = _dt(dtype) or settings.float_()
    M = N if M is None else M
    if k == 0:
        return torch.eye(N, M, dtype=dt, device=settings.default_device())
    return torch.ones(N, M, dtype=dt, device=settings.default_device()).tril(k).triu(k)


def identity(n: int, dtype: DTypeLike = None) -> Tensor:
    """The ``n`` x ``n`` identity matrix (``numpy.identity``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.identity(2, dtype=bool)
    tensor([[ True, False],
            [False,  True]])
    """
    return eye(n, dtype=dtype)


def diag(v: ArrayLike, k: int = 0) -> Tensor:
    """The ``k``-th diagonal of a 2-D array, or a 2-D array with 1-D ``v`` on it (``numpy.diag``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.diag([1, 2])
    tensor([[1, 0],
            [0, 2]])
    >>> bm.diag(bm.eye(2))
    tensor([1., 1.])
    """
    return torch.diag(as_tensor(v), k)


def diagonal(a: ArrayLike, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """The diagonal of ``a`` over ``axis1``, ``axis2`` (``numpy.diagonal``), as a view.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.diagonal([[1, 2], [3, 4]])
    tensor([1, 4])
    """
    return torch.diagonal(as_tensor(a), offset, axis1, axis2)


def tril(m: ArrayLike, k: int = 0) -> Tensor:
    """``m`` with the elements above the ``k``-th diagonal zeroed (``numpy.tril``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.tril(bm.ones((2, 2)))
    tensor([[1., 0.],
            [1., 1.]])
    """
    return torch.tril(as_tensor(m), k)


def triu(m: ArrayLike, k: int = 0) -> Tensor:
    """``m`` with the elements below the ``k``-th diagonal zeroed (``numpy.triu``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.triu(bm.ones((2, 2)))
    tensor([[1., 1.],
            [0., 1.]])
    """
    return torch.triu(as_tensor(m), k)


def meshgrid(*xi: ArrayLike, copy: bool = True, sparse: bool = False,
             indexing: str = 'xy') -> tuple[Tensor, ...]:
    """Coordinate arrays from coordinate vectors (``numpy.meshgrid``; ``indexing='xy'`` default).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> X, Y = bm.meshgrid([1, 2, 3], [4, 5])
    >>> X.shape
    torch.Size([2, 3])
    >>> Y
    tensor([[4, 4, 4],
            [5, 5, 5]])
    """
    if indexing not in ('xy', 'ij'):
        raise ValueError(f"meshgrid(indexing): expected 'xy' or 'ij', got {indexing!r}")
    ts = [t.reshape(-1) for t in _on_one_device(xi)]
    if sparse:
        n = len(ts)
        out = []
        for i, t in enumerate(ts):
            shape = [1] * n
            shape[i] = -1
            out.append(t.reshape(shape))
        if indexing == 'xy' and n > 1:
            out[0], out[1] = out[0].reshape([1, -1] + [1] * (n - 2)), out[1].reshape([-1] + [1] * (n - 1))
        return tuple(out)
    out = torch.meshgrid(*ts, indexing=indexing)
    return tuple(o.clone() for o in out) if copy else tuple(out)


# ---------------------------------------------------------------------------
# element-wise functions
# ---------------------------------------------------------------------------

def _make_unary(name: str, fn: Callable, summary: str, example: str | None = None) -> Callable:
    def f(x: ArrayLike) -> Tensor:
        return fn(as_tensor(x))
    return _public(f, name, _doc(name, summary, example))


def _imag(t: Tensor) -> Tensor:
    return torch.imag(t) if t.is_complex() else torch.zeros_like(t)


def _sign(t: Tensor) -> Tensor:
    return torch.sgn(t) if t.is_complex() else torch.sign(t)


def _cbrt(t: Tensor) -> Tensor:
    return torch.sign(t) * torch.abs(t).pow(1.0 / 3.0)


sin = _make_unary('sin', torch.sin, 'Trigonometric sine, element-wise.', """
bm.sin([0., 0.5 * bm.pi])
tensor([0., 1.])
""")
cos = _make_unary('cos', torch.cos, 'Cosine, element-wise.', """
bm.cos(0.)
tensor(1.)
""")
tan = _make_unary('tan', torch.tan, 'Tangent, element-wise.', """
bm.tan([0., bm.pi / 4])
tensor([0., 1.])
""")
arcsin = _make_unary('arcsin', torch.asin, 'Inverse sine, element-wise.', """
bm.arcsin([0., 1.])
tensor([0.0000, 1.5708])
""")
arccos = _make_unary('arccos', torch.acos, 'Inverse cosine, element-wise.', """
bm.arccos([1., 0.])
tensor([0.0000, 1.5708])
""")
arctan = _make_unary('arctan', torch.atan, 'Inverse tangent, element-wise.', """
bm.arctan([0., 1.])
tensor([0.0000, 0.7854])
""")
sinh = _make_unary('sinh', torch.sinh, 'Hyperbolic sine, element-wise.', """
bm.sinh([0., 1.])
tensor([0.0000, 1.1752])
""")
cosh = _make_unary('cosh', torch.cosh, 'Hyperbolic cosine, element-wise.', """
bm.cosh([0., 1.])
tensor([1.0000, 1.5431])
""")
tanh = _make_unary('tanh', torch.tanh, 'Hyperbolic tangent, element-wise.', """
bm.tanh([0., 100.])
tensor([0., 1.])
""")
arcsinh = _make_unary('arcsinh', torch.asinh, 'Inverse hyperbolic sine, element-wise.', """
bm.arcsinh([0., 1.])
tensor([0.0000, 0.8814])
""")
arccosh = _make_unary('arccosh', torch.acosh, 'Inverse hyperbolic cosine, element-wise.', """
bm.arccosh([1., 2.])
tensor([0.0000, 1.3170])
""")
arctanh = _make_unary('arctanh', torch.atanh, 'Inverse hyperbolic tangent, element-wise.', """
bm.arctanh([0., 0.5])
tensor([0.0000, 0.5493])
""")
exp = _make_unary('exp', torch.exp, 'Exponential, element-wise (integers give the default float).', """
bm.exp([0, 1])
tensor([1.0000, 2.7183])
""")
exp2 = _make_unary('exp2', torch.exp2, '``2 ** x``, element-wise.', """
bm.exp2([1, 3])
tensor([2., 8.])
""")
expm1 = _make_unary('expm1', torch.expm1, '``exp(x) - 1``, element-wise, accurate near 0.', """
bm.expm1([0., 1e-10])
tensor([0.0000e+00, 1.0000e-10])
""")
log = _make_unary('log', torch.log, 'Natural logarithm, element-wise.', """
bm.log([1., 4.])
tensor([0.0000, 1.3863])
""")
log2 = _make_unary('log2', torch.log2, 'Base-2 logarithm, element-wise.', """
bm.log2([1, 8])
tensor([0., 3.])
""")
log10 = _make_unary('log10', torch.log10, 'Base-10 logarithm, element-wise.', """
bm.log10([1., 100.])
tensor([0., 2.])
""")
log1p = _make_unary('log1p', torch.log1p, '``log(1 + x)``, element-wise, accurate near 0.', """
bm.log1p([0., 1e-10])
tensor([0.0000e+00, 1.0000e-10])
""")
sqrt = _make_unary('sqrt', torch.sqrt, 'Square root, element-wise.', """
bm.sqrt([4, 9])
tensor([2., 3.])
""")
cbrt = _make_unary('cbrt', _cbrt, 'Cube root, element-wise (negative inputs give negative roots).', """
bm.cbrt([8., -27.])
tensor([ 2., -3.])
""")
square = _make_unary('square', torch.square, '``x * x``, element-wise (integers stay integers).', """
bm.square([2, -3])
tensor([4, 9])
""")
abs = _make_unary('abs', torch.abs, 'Absolute value, element-wise.', """
bm.abs([-1, 2])
tensor([1, 2])
""")
absolute = _make_unary('absolute', torch.abs, 'Absolute value, element-wise (same as ``abs``).', """
bm.absolute([-1.5, 2.])
tensor([1.5000, 2.0000])
""")
sign = _make_unary('sign', _sign, 'Sign (-1, 0, 1; ``z/|z|`` for complex), element-wise.', """
bm.sign([-2., 0., 3.])
tensor([-1.,  0.,  1.])
""")
floor = _make_unary('floor', torch.floor, 'Floor, element-wise.', """
bm.floor([-1.5, 1.5])
tensor([-2.,  1.])
""")
ceil = _make_unary('ceil', torch.ceil, 'Ceiling, element-wise.', """
bm.ceil([-1.5, 1.5])
tensor([-1.,  2.])
""")
rint = _make_unary('rint', torch.round, 'Round to the nearest integer (half to even), element-wise.', """
bm.rint([0.5, 1.5, 2.6])
tensor([0., 2., 3.])
""")
trunc = _make_unary('trunc', torch.trunc, 'Round towards zero, element-wise.', """
bm.trunc([-1.7, 1.7])
tensor([-1.,  1.])
""")
negative = _make_unary('negative', torch.neg, '``-x``, element-wise.', """
bm.negative([1, -2])
tensor([-1,  2])
""")
reciprocal = _make_unary('reciprocal', torch.reciprocal,
                         '``1 / x``, element-wise (integers give the default float, unlike NumPy).', """
bm.reciprocal([2, 4])
tensor([0.5000, 0.2500])
""")
real = _make_unary('real', torch.real, 'The real part, element-wise (real input is returned).', """
bm.real(1 + 2j)
tensor(1.)
""")
imag = _make_unary('imag', _imag, 'The imaginary part, element-wise (zeros for real input).', """
bm.imag(1 + 2j)
tensor(2.)
bm.imag([1., 2.])
tensor([0., 0.])
""")
conj = _make_unary('conj', torch.conj_physical, 'Complex conjugate, element-wise.', """
bm.conj(1 + 2j)
tensor(1.-2.j)
""")
conjugate = _make_unary('conjugate', torch.conj_physical, 'Complex conjugate (same as ``conj``).', """
bm.conjugate(1 + 2j)
tensor(1.-2.j)
""")
isnan = _make_unary('isnan', torch.isnan, 'Whether each element is NaN.', """
bm.isnan([1., bm.nan])
tensor([False,  True])
""")
isinf = _make_unary('isinf', torch.isinf, 'Whether each element is +inf or -inf.', """
bm.isinf([1., bm.inf, -bm.inf])
tensor([False,  True,  True])
""")
isfinite = _make_unary('isfinite', torch.isfinite, 'Whether each element is finite.', """
bm.isfinite([1., bm.inf, bm.nan])
tensor([ True, False, False])
""")
logical_not = _make_unary('logical_not', torch.logical_not, 'Logical NOT, element-wise (bool result).', """
bm.logical_not([True, False])
tensor([False,  True])
""")
bitwise_not = _make_unary('bitwise_not', torch.bitwise_not, 'Bitwise NOT (logical NOT for bools).', """
bm.bitwise_not([0, 1])
tensor([-1, -2])
bm.bitwise_not([True, False])
tensor([False,  True])
""")
invert = _make_unary('invert', torch.bitwise_not, 'Bitwise NOT (same as ``bitwise_not``).', """
bm.invert([True, False])
tensor([False,  True])
""")
deg2rad = _make_unary('deg2rad', torch.deg2rad, 'Degrees to radians, element-wise.', """
bm.deg2rad(180.)
tensor(3.1416)
""")
rad2deg = _make_unary('rad2deg', torch.rad2deg, 'Radians to degrees, element-wise.', """
bm.rad2deg(bm.pi)
tensor(180.)
""")
radians = _make_unary('radians', torch.deg2rad, 'Degrees to radians (same as ``deg2rad``).', """
bm.radians(90.)
tensor(1.5708)
""")
degrees = _make_unary('degrees', torch.rad2deg, 'Radians to degrees (same as ``rad2deg``).', """
bm.degrees(bm.pi / 2)
tensor(90.)
""")


def round(a: ArrayLike, decimals: int = 0) -> Tensor:
    """Round to ``decimals`` decimals, halves to even (``numpy.round``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.round([0.5, 1.5, 2.675], 1)
    tensor([0.5000, 1.5000, 2.7000])
    >>> bm.round([0.5, 1.5])
    tensor([0., 2.])
    """
    a = as_tensor(a)
    if a.is_floating_point():
        return torch.round(a, decimals=decimals)
    if a.is_complex():
        return torch.complex(torch.round(a.real, decimals=decimals),
                             torch.round(a.imag, decimals=decimals))
    if decimals >= 0:
        return a.clone()
    f = 10 ** (-decimals)
    return (torch.round(a.to(torch.float64) / f) * f).to(a.dtype)


around = round


def angle(z: ArrayLike, deg: bool = False) -> Tensor:
    """The argument of complex numbers, in radians (degrees if ``deg``) (``numpy.angle``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.angle(1j, deg=True)
    tensor(90.)
    """
    r = torch.angle(as_tensor(z))
    return torch.rad2deg(r) if deg else r


def _bound(b: Any, ref: Tensor) -> Any:
    if b is None or isinstance(b, (Tensor,) + _NUMBERS):
        return b
    return _like(b, ref)


def _bounds(lo: Any, hi: Any, ref: Tensor) -> tuple[Any, Any]:
    """Clip bounds as torch.clamp takes them: both numbers (or None), or both tensors (or None)."""
    lo, hi = _bound(lo, ref), _bound(hi, ref)
    if isinstance(lo, Tensor) and isinstance(hi, _NUMBERS):
        hi = _scalar(hi).to(ref.device)
    elif isinstance(hi, Tensor) and isinstance(lo, _NUMBERS):
        lo = _scalar(lo).to(ref.device)
    return lo, hi


def clip(a: ArrayLike, a_min: ArrayLike | None = None, a_max: ArrayLike | None = None) -> Tensor:
    """Limit the values to ``[a_min, a_max]`` (``numpy.clip``); bounds may be arrays.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.clip([-2., 0.5, 3.], -1, 1)
    tensor([-1.0000,  0.5000,  1.0000])
    >>> bm.clip([1, 5], a_max=[2, 3])
    tensor([1, 3])
    """
    a = as_tensor(a)
    return torch.clamp(a, *_bounds(a_min, a_max, a))


def nan_to_num(x: ArrayLike, copy: bool = True, nan: float = 0.0, posinf: float | None = None,
               neginf: float | None = None) -> Tensor:
    """Replace NaN by ``nan`` and infinities by ``posinf``/``neginf`` (default: the dtype's
    largest/smallest finite values) (``numpy.nan_to_num``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.nan_to_num([bm.nan, 1.], nan=-1.)
    tensor([-1.,  1.])
    """
    return torch.nan_to_num(as_tensor(x), nan, posinf, neginf)


def _make_binary(name: str, fn: Callable, summary: str, example: str | None = None) -> Callable:
    def f(x1: ArrayLike, x2: ArrayLike) -> Tensor:
        a, b = _pair(x1, x2)
        return fn(a, b)
    return _public(f, name, _doc(name, summary, example, ' (broadcasting, weak Python numbers)'))


def _float_power(a: Tensor, b: Tensor) -> Tensor:
    dt = torch.promote_types(torch.result_type(a, b), settings.float_())
    return torch.pow(a.to(dt), b)


def _heaviside(a: Tensor, b: Tensor) -> Tensor:
    dt = torch.promote_types(torch.result_type(a, b), settings.float_())
    return torch.heaviside(a.to(dt), b.to(dt))


add = _make_binary('add', torch.add, '``x1 + x2``, element-wise.', """
bm.add([1, 2], 0.5)
tensor([1.5000, 2.5000])
""")
subtract = _make_binary('subtract', torch.sub, '``x1 - x2``, element-wise.', """
bm.subtract([5, 3], 1)
tensor([4, 2])
""")
multiply = _make_binary('multiply', torch.mul, '``x1 * x2``, element-wise.', """
bm.multiply([1, 2], [3, 4])
tensor([3, 8])
""")
divide = _make_binary('divide', torch.true_divide,
                      '``x1 / x2``, element-wise (integers give the default float).', """
bm.divide(1, 4)
tensor(0.2500)
""")
true_divide = _make_binary('true_divide', torch.true_divide, '``x1 / x2`` (same as ``divide``).', """
bm.true_divide([1, 3], 2)
tensor([0.5000, 1.5000])
""")
floor_divide = _make_binary('floor_divide', torch.floor_divide, '``x1 // x2``, element-wise.', """
bm.floor_divide([-3, 3], 2)
tensor([-2,  1])
""")
mod = _make_binary('mod', torch.remainder, '``x1 % x2`` with the sign of ``x2``, element-wise.', """
bm.mod([-3, 3], 2)
tensor([1, 1])
""")
remainder = _make_binary('remainder', torch.remainder, '``x1 % x2`` (same as ``mod``).', """
bm.remainder([-3, 3], 2)
tensor([1, 1])
""")
fmod = _make_binary('fmod', torch.fmod, 'C-style remainder (sign of ``x1``), element-wise.', """
bm.fmod([-3, 3], 2)
tensor([-1,  1])
""")
power = _make_binary('power', torch.pow, '``x1 ** x2``, element-wise.', """
bm.power([2, 3], 2)
tensor([4, 9])
""")
float_power = _make_binary('float_power', _float_power,
                           '``x1 ** x2`` computed in at least the default float.', """
bm.float_power([2, 3], 2)
tensor([4., 9.])
""")
arctan2 = _make_binary('arctan2', torch.atan2, 'The angle of ``(x2, x1)``, element-wise.', """
bm.arctan2([1., -1.], [0., 0.])
tensor([ 1.5708, -1.5708])
""")
hypot = _make_binary('hypot', torch.hypot, '``sqrt(x1**2 + x2**2)``, element-wise.', """
bm.hypot(3., 4.)
tensor(5.)
""")
maximum = _make_binary('maximum', torch.maximum, 'Element-wise maximum (NaN propagates).', """
bm.maximum([1., -1.], 0.)
tensor([1., 0.])
""")
minimum = _make_binary('minimum', torch.minimum, 'Element-wise minimum (NaN propagates).', """
bm.minimum([1., -1.], 0.)
tensor([ 0., -1.])
""")
fmax = _make_binary('fmax', torch.fmax, 'Element-wise maximum ignoring NaN.', """
bm.fmax([1., bm.nan], [0., 2.])
tensor([1., 2.])
""")
fmin = _make_binary('fmin', torch.fmin, 'Element-wise minimum ignoring NaN.', """
bm.fmin([1., bm.nan], [0., 2.])
tensor([0., 2.])
""")
heaviside = _make_binary('heaviside', _heaviside,
                         'Heaviside step: 0 if ``x1 < 0``, ``x2`` if ``x1 == 0``, 1 if ``x1 > 0`` '
                         '(at least the default float).', """
bm.heaviside([-1., 0., 2.], 0.5)
tensor([0.0000, 0.5000, 1.0000])
""")
logaddexp = _make_binary('logaddexp', torch.logaddexp, '``log(exp(x1) + exp(x2))``, element-wise.', """
bm.logaddexp(0., 0.)
tensor(0.6931)
""")
logical_and = _make_binary('logical_and', torch.logical_and, 'Logical AND, element-wise.', """
bm.logical_and([True, True], [True, False])
tensor([ True, False])
""")
logical_or = _make_binary('logical_or', torch.logical_or, 'Logical OR, element-wise.', """
bm.logical_or([True, False], [False, False])
tensor([ True, False])
""")
logical_xor = _make_binary('logical_xor', torch.logical_xor, 'Logical XOR, element-wise.', """
bm.logical_xor([True, True], [True, False])
tensor([False,  True])
""")
bitwise_and = _make_binary('bitwise_and', torch.bitwise_and, 'Bitwise AND (``&``), element-wise.', """
bm.bitwise_and([12, 10], 6)
tensor([4, 2])
""")
bitwise_or = _make_binary('bitwise_or', torch.bitwise_or, 'Bitwise OR (``|``), element-wise.', """
bm.bitwise_or([12, 10], 1)
tensor([13, 11])
""")
bitwise_xor = _make_binary('bitwise_xor', torch.bitwise_xor, 'Bitwise XOR (``^``), element-wise.', """
bm.bitwise_xor([12, 10], 6)
tensor([10, 12])
""")

equal = _make_binary('equal', torch.eq, '``x1 == x2``, element-wise.', """
bm.equal([1, 2], 2)
tensor([False,  True])
""")
not_equal = _make_binary('not_equal', torch.ne, '``x1 != x2``, element-wise.', """
bm.not_equal([1, 2], 2)
tensor([ True, False])
""")
less = _make_binary('less', torch.lt, '``x1 < x2``, element-wise.', """
bm.less([1, 2], [2, 2])
tensor([ True, False])
""")
less_equal = _make_binary('less_equal', torch.le, '``x1 <= x2``, element-wise.', """
bm.less_equal([1, 2, 3], 2)
tensor([ True,  True, False])
""")
greater = _make_binary('greater', torch.gt, '``x1 > x2``, element-wise.', """
bm.greater([1, 2, 3], 2)
tensor([False, False,  True])
""")
greater_equal = _make_binary('greater_equal', torch.ge, '``x1 >= x2``, element-wise.', """
bm.greater_equal([1, 2, 3], 2)
tensor([False,  True,  True])
""")


def _branch(x: Any, ref: Tensor) -> Any:
    if isinstance(x, Tensor) or isinstance(x, _NUMBERS):
        return x  # torch.where takes Python numbers as weak scalars on any device
    return _like(x, ref)


def where(condition: ArrayLike, x: ArrayLike | None = None,
          y: ArrayLike | None = None) -> Tensor | tuple[Tensor, ...]:
    """Elements of ``x`` where ``condition`` is true, else of ``y`` (``numpy.where``).

    A non-bool ``condition`` is read as ``condition != 0``. With only
    ``condition`` it returns the indices of its non-zero elements (eager only).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.where([True, False], [1., 2.], 0.)
    tensor([1., 0.])
    >>> bm.where([0, 3, 4])
    (tensor([1, 2]),)
    """
    c = _on_one_device([condition, *(v for v in (x, y) if isinstance(v, (Tensor, Variable)))])[0]
    if x is None and y is None:
        return torch.nonzero(c, as_tuple=True)
    if x is None or y is None:
        raise ValueError('where: give both x and y, or neither')
    if c.dtype != torch.bool:
        c = c != 0
    return torch.where(c, _branch(x, c), _branch(y, c))


def isclose(a: ArrayLike, b: ArrayLike, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Tensor:
    """Whether ``|a - b| <= atol + rtol * |b|``, element-wise (``numpy.isclose``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.isclose([1., 2.], [1.000001, 2.1])
    tensor([ True, False])
    """
    x, y = _same_dtype(*_pair(a, b))
    return torch.isclose(x, y, rtol, atol, equal_nan)


def allclose(a: ArrayLike, b: ArrayLike, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    """Whether all elements are close (see :func:`isclose`), as a Python ``bool``
    (``numpy.allclose``; shapes broadcast). Eager only.

    Examples
    --------
    >>> import numpy as np, bptorch.math as bm
    >>> bm.allclose(bm.sin(bm.arange(3.)), np.sin(np.arange(3.)))
    True
    >>> bm.allclose([1., 2.], [1., 2.1])
    False
    """
    return builtins.bool(isclose(a, b, rtol, atol, equal_nan).all())


def array_equal(a1: ArrayLike, a2: ArrayLike, equal_nan: bool = False) -> bool:
    """Whether two arrays have the same shape and elements, as a Python ``bool``
    (``numpy.array_equal``). Eager only.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.array_equal([1, 2], bm.array([1., 2.]))
    True
    >>> bm.array_equal([1, 2], [[1, 2]])
    False
    """
    a, b = _pair(a1, a2)
    if a.shape != b.shape:
        return False
    eq = a == b
    if equal_nan and (a.is_floating_point() or a.is_complex()):
        eq = eq | (torch.isnan(a) & torch.isnan(b))
    return builtins.bool(eq.all())


# ---------------------------------------------------------------------------
# reductions
# ---------------------------------------------------------------------------

def _make_sum_like(name: str, fn: Callable, summary: str, to_float: bool,
                   example: str | None = None) -> Callable:
    def f(a: ArrayLike, axis: Axis = None, dtype: DTypeLike = None, out: None = None,
          keepdims: bool = False) -> Tensor:
        a = as_tensor(a)
        if out is not None:
            _no_out(name, out)
        if dtype is not None:
            dtype = _dt(dtype)
        elif to_float and not (a.is_floating_point() or a.is_complex()):
            dtype = settings.float_()
        if axis.__class__ in _SEQ and not axis:  # NumPy: axis=() reduces nothing
            a, axis, keepdims = a.unsqueeze(-1), -1, False
        return fn(a, dim=axis, keepdim=keepdims, dtype=dtype)
    return _public(f, name, _doc(name, summary, example, ' (``axis`` int, tuple or None)'))


sum = _make_sum_like('sum', torch.sum, 'Sum of array elements over ``axis``.', False, """
x = bm.array([[1, 2], [3, 4]])
bm.sum(x)
tensor(10)
bm.sum(x, axis=1, keepdims=True)
tensor([[3],
        [7]])
bm.sum([True, True, False])
tensor(2)
""")
nansum = _make_sum_like('nansum', torch.nansum, 'Sum over ``axis`` treating NaN as zero.', False, """
bm.nansum([1., bm.nan, 2.])
tensor(3.)
""")
mean = _make_sum_like('mean', torch.mean, 'Arithmetic mean over ``axis`` (integers give the default float).',
                      True, """
bm.mean([1, 2])
tensor(1.5000)
bm.mean([[1., 2.], [3., 4.]], axis=0)
tensor([2., 3.])
""")
nanmean = _make_sum_like('nanmean', torch.nanmean, 'Mean over ``axis`` ignoring NaN.', True, """
bm.nanmean([1., bm.nan, 2.])
tensor(1.5000)
""")


def _make_max_like(name: str, fn: Callable, summary: str, example: str | None = None) -> Callable:
    bool_result = fn in (torch.any, torch.all)

    def f(a: ArrayLike, axis: Axis = None, out: None = None, keepdims: bool = False) -> Tensor:
        a = as_tensor(a)
        if out is not None:
            _no_out(name, out)
        if axis.__class__ in _SEQ and not axis:
            a, axis, keepdims = a.unsqueeze(-1), -1, False
        r = fn(a, dim=axis, keepdim=keepdims)
        return r.bool() if bool_result and r.dtype != torch.bool else r
    return _public(f, name, _doc(name, summary, example, ' (``axis`` int, tuple or None)'))


max = _make_max_like('max', torch.amax, 'Maximum over ``axis``.', """
bm.max([[1, 5], [3, 2]], axis=0)
tensor([3, 5])
""")
amax = _make_max_like('amax', torch.amax, 'Maximum over ``axis`` (same as ``max``).', """
bm.amax([[1, 5], [3, 2]], axis=1)
tensor([5, 3])
""")
min = _make_max_like('min', torch.amin, 'Minimum over ``axis``.', """
bm.min([[1, 5], [3, 2]])
tensor(1)
""")
amin = _make_max_like('amin', torch.amin, 'Minimum over ``axis`` (same as ``min``).', """
bm.amin([[1, 5], [3, 2]], axis=0)
tensor([1, 2])
""")
any = _make_max_like('any', torch.any, 'Whether any element over ``axis`` is true (bool result).', """
bm.any([[0, 1], [0, 0]], axis=1)
tensor([ True, False])
""")
all = _make_max_like('all', torch.all, 'Whether all elements over ``axis`` are true (bool result).', """
bm.all([[1, 1], [0, 1]], axis=1)
tensor([ True, False])
""")


def _make_var_like(name: str, fn: Callable, summary: str, example: str | None = None) -> Callable:
    def f(a: ArrayLike, axis: Axis = None, dtype: DTypeLike = None, out: None = None,
          ddof: int = 0, keepdims: bool = False) -> Tensor:
        a = as_tensor(a)
        if out is not None:
            _no_out(name, out)
        a = _to_float(a) if dtype is None else a.to(_dt(dtype))
        if axis.__class__ in _SEQ and not axis:
            a, axis, keepdims = a.unsqueeze(-1), -1, False
        return fn(a, dim=axis, correction=ddof, keepdim=keepdims)
    return _public(f, name, _doc(name, summary, example, ' (``ddof`` as in NumPy: 0 by default)'))


std = _make_var_like('std', torch.std, 'Standard deviation over ``axis``.', """
bm.std([1., 3.])
tensor(1.)
bm.std([1., 3.], ddof=1)
tensor(1.4142)
""")
var = _make_var_like('var', torch.var, 'Variance over ``axis``.', """
bm.var([[1, 3], [5, 9]], axis=1)
tensor([1., 4.])
""")


def prod(a: ArrayLike, axis: Axis = None, dtype: DTypeLike = None, out: None = None,
         keepdims: bool = False) -> Tensor:
    """Product of array elements over ``axis`` (``numpy.prod``; ``axis`` int, tuple or None).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.prod([[1, 2], [3, 4]])
    tensor(24)
    >>> bm.prod([[1, 2], [3, 4]], axis=(0, 1), keepdims=True)
    tensor([[24]])
    """
    a = as_tensor(a)
    if out is not None:
        _no_out('prod', out)
    dtype = _dt(dtype)
    if axis is None:
        r = torch.prod(a, dtype=dtype)
        return r.reshape((1,) * a.ndim) if keepdims else r
    if not isinstance(axis, (tuple, list)):
        return torch.prod(a, axis, keepdim=keepdims, dtype=dtype)
    if dtype is not None:
        a = a.to(dtype)
    elif not (a.is_floating_point() or a.is_complex()):
        a = a.to(torch.int64)  # as NumPy: bool and small ints accumulate in int64
    for ax in sorted({ax % a.ndim for ax in axis}, reverse=True):
        a = torch.prod(a, ax, keepdim=True)
    return a if keepdims else a.reshape([n for i, n in enumerate(a.shape)
                                         if i not in {ax % a.ndim for ax in axis}])


def _make_arg(name: str, fn: Callable, summary: str, example: str | None = None) -> Callable:
    def f(a: ArrayLike, axis: int | None = None, out: None = None, keepdims: bool = False) -> Tensor:
        if out is not None:
            _no_out(name, out)
        return fn(as_tensor(a), dim=axis, keepdim=keepdims)
    return _public(f, name, _doc(name, summary, example, ' (``axis=None``: index into the flattened array)'))


argmax = _make_arg('argmax', torch.argmax, 'Index of the (first) maximum along ``axis``.', """
bm.argmax([[1, 5], [7, 2]])
tensor(2)
bm.argmax([[1, 5], [7, 2]], axis=1)
tensor([1, 0])
""")
argmin = _make_arg('argmin', torch.argmin, 'Index of the (first) minimum along ``axis``.', """
bm.argmin([[4, 1], [0, 2]])
tensor(2)
bm.argmin([[4, 1], [0, 2]], axis=0)
tensor([1, 0])
""")


def _make_cum(name: str, fn: Callable, summary: str, example: str | None = None) -> Callable:
    def f(a: ArrayLike, axis: int | None = None, dtype: DTypeLike = None, out: None = None) -> Tensor:
        a = as_tensor(a)
        if out is not None:
            _no_out(name, out)
        if axis is None:
            a, axis = a.reshape(-1), 0
        return fn(a, axis, dtype=_dt(dtype))
    return _public(f, name, _doc(name, summary, example, ' (``axis=None``: over the flattened array)'))


cumsum = _make_cum('cumsum', torch.cumsum, 'Cumulative sum along ``axis``.', """
bm.cumsum([[1, 2], [3, 4]])
tensor([ 1,  3,  6, 10])
bm.cumsum([[1, 2], [3, 4]], axis=0)
tensor([[1, 2],
        [4, 6]])
""")
cumprod = _make_cum('cumprod', torch.cumprod, 'Cumulative product along ``axis``.', """
bm.cumprod([1, 2, 3, 4])
tensor([ 1,  2,  6, 24])
""")


def _axes_to_last(a: Tensor, axis: Axis) -> tuple[Tensor, list[int]]:
    """``a`` with the axes in ``axis`` (all if None) merged into one last axis."""
    nd = a.ndim
    if axis is None:
        axes = list(range(nd))
    elif isinstance(axis, (int, np.integer)):
        axes = [int(axis) % nd] if nd else []
    else:
        axes = sorted({int(ax) % nd for ax in axis})
    n = len(axes)
    if n == 0:
        return a.unsqueeze(-1), axes
    return a.movedim(axes, list(range(nd - n, nd))).flatten(nd - n), axes


def _keep_axes(r: Tensor, axes: list[int], offset: int = 0) -> Tensor:
    """Put length-1 axes back where ``axes`` were reduced (``keepdims=True``)."""
    for ax in axes:
        r = r.unsqueeze(ax + offset)
    return r


def median(a: ArrayLike, axis: Axis = None, out: None = None, overwrite_input: bool = False,
           keepdims: bool = False) -> Tensor:
    """Median over ``axis``, averaging the two middle values for even counts (``numpy.median``).

    ``overwrite_input`` is accepted for NumPy compatibility; the input is never modified.

    Integers give the default float; NaN anywhere in a slice gives NaN.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.median([1, 4, 2, 3])
    tensor(2.5000)
    >>> bm.median([[1., 9.], [3., 5.]], axis=0)
    tensor([2., 7.])
    """
    if out is not None:
        _no_out('median', out)
    m, axes = _axes_to_last(_to_float(as_tensor(a)), axis)
    srt = torch.sort(m, dim=-1).values  # NaN sorts last
    n = srt.shape[-1]
    r = (srt[..., (n - 1) // 2] + srt[..., n // 2]) / 2
    r = torch.where(torch.isnan(srt[..., -1]), nan, r)
    return _keep_axes(r, axes) if keepdims else r


def _quantile(a: Tensor, q: Any, axis: Axis, keepdims: bool, method: str) -> Tensor:
    a = _to_float(a)
    if not isinstance(q, (float, int)):
        q = as_tensor(q, a.dtype, a.device)
    m, axes = _axes_to_last(a, axis)
    r = torch.quantile(m, q, dim=-1, interpolation=method)
    if keepdims:
        r = _keep_axes(r, axes, q.ndim if isinstance(q, Tensor) else 0)
    return r


def quantile(a: ArrayLike, q: ArrayLike, axis: Axis = None, out: None = None,
             overwrite_input: bool = False, method: str = 'linear', keepdims: bool = False) -> Tensor:
    """The ``q``-th quantile(s) over ``axis`` (``numpy.quantile``; ``method`` as torch's
    ``interpolation``: linear, lower, higher, midpoint, nearest).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.quantile([1., 2., 3., 4., 5.], [0.25, 0.5])
    tensor([2., 3.])
    """
    if out is not None:
        _no_out('quantile', out)
    return _quantile(as_tensor(a), q, axis, keepdims, method)


def percentile(a: ArrayLike, q: ArrayLike, axis: Axis = None, out: None = None,
               overwrite_input: bool = False, method: str = 'linear', keepdims: bool = False) -> Tensor:
    """The ``q``-th percentile(s) over ``axis`` (``numpy.percentile``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.percentile([1., 2., 3., 4., 5.], 50)
    tensor(3.)
    """
    if out is not None:
        _no_out('percentile', out)
    q = q / 100 if isinstance(q, (float, int, Tensor)) else as_tensor(q, settings.float_()) / 100
    return _quantile(as_tensor(a), q, axis, keepdims, method)


# ---------------------------------------------------------------------------
# linear algebra
# ---------------------------------------------------------------------------

def dot(a: ArrayLike, b: ArrayLike) -> Tensor:
    """Dot product with NumPy's rules (``numpy.dot``).

    0-d operands multiply; 1-D · 1-D is the inner product; 2-D · 2-D is the matrix
    product; N-D · 1-D sums over the last axis of ``a``; N-D · M-D (M >= 2) sums
    over the last axis of ``a`` and the second-to-last of ``b``. Mixed dtypes promote.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.dot([1., 2.], [3., 4.])
    tensor(11.)
    >>> bm.dot([[1, 0], [0, 2]], [1, 1])
    tensor([1, 2])
    >>> bm.dot(2, [1, 2])
    tensor([2, 4])
    >>> bm.dot([True, False], [[True], [True]])        # bool: NumPy's any(a & b)
    tensor([True])
    """
    x, y = _same_dtype(*_pair(a, b))
    if x.dtype == torch.bool:
        return dot(x.to(torch.int32), y.to(torch.int32)) > 0
    if x.ndim == 0 or y.ndim == 0:
        return x * y
    if y.ndim <= 2:
        return torch.matmul(x, y)
    return torch.tensordot(x, y, dims=([x.ndim - 1], [y.ndim - 2]))


def matmul(a: ArrayLike, b: ArrayLike) -> Tensor:
    """Matrix product with broadcasting over leading axes (``numpy.matmul``, ``a @ b``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.matmul([[1., 2.]], [[3.], [4.]])
    tensor([[11.]])
    >>> bm.matmul(bm.ones((5, 2, 3)), bm.ones((3, 4))).shape
    torch.Size([5, 2, 4])
    """
    x, y = _same_dtype(*_pair(a, b))
    if x.dtype == torch.bool:      # NumPy: any(a & b)
        return torch.matmul(x.to(torch.int32), y.to(torch.int32)) > 0
    return torch.matmul(x, y)


def einsum(subscripts: str, *operands: ArrayLike, optimize: Any = None) -> Tensor:
    """Einstein summation (``numpy.einsum``); mixed dtypes promote.

    ``optimize`` is accepted for NumPy compatibility; torch chooses the contraction order.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.einsum('ij,j->i', [[1., 2.], [3., 4.]], [1., 1.])
    tensor([3., 7.])
    """
    ts = _on_one_device(operands)
    dt = ts[0].dtype if ts else None
    for t in ts[1:]:
        if t.dtype != dt:
            dt = torch.promote_types(dt, t.dtype)
    return torch.einsum(subscripts, *[t if t.dtype == dt else t.to(dt) for t in ts])


def outer(a: ArrayLike, b: ArrayLike) -> Tensor:
    """Outer product of two (flattened) arrays (``numpy.outer``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.outer([1, 2], [1, 10])
    tensor([[ 1, 10],
            [ 2, 20]])
    """
    x, y = _pair_on_device(a, b)
    return torch.outer(x.reshape(-1), y.reshape(-1))


def inner(a: ArrayLike, b: ArrayLike) -> Tensor:
    """Sum product over the last axes (``numpy.inner``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.inner([1., 2.], [3., 4.])
    tensor(11.)
    """
    return torch.inner(*_same_dtype(*_pair_on_device(a, b)))


def tensordot(a: ArrayLike, b: ArrayLike, axes: Any = 2) -> Tensor:
    """Sum products over the given axes (``numpy.tensordot``: ``axes`` an int or two sequences).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.tensordot(bm.ones((2, 3)), bm.ones((3, 4)), axes=1).shape
    torch.Size([2, 4])
    >>> bm.tensordot(bm.ones((2, 3)), bm.ones((3, 2)), axes=([0, 1], [1, 0]))
    tensor(6.)
    """
    x, y = _same_dtype(*_pair_on_device(a, b))
    if not isinstance(axes, (int, np.integer)):
        axes = tuple([int(ax)] if isinstance(ax, (int, np.integer)) else [int(i) for i in ax]
                     for ax in axes)
    return torch.tensordot(x, y, dims=axes)


def kron(a: ArrayLike, b: ArrayLike) -> Tensor:
    """Kronecker product (``numpy.kron``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.kron([1, 2], [1, 10])
    tensor([ 1, 10,  2, 20])
    """
    return torch.kron(*_same_dtype(*_pair_on_device(a, b)))


def trace(a: ArrayLike, offset: int = 0, axis1: int = 0, axis2: int = 1,
          dtype: DTypeLike = None, out: None = None) -> Tensor:
    """Sum along a diagonal (``numpy.trace``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.trace(bm.eye(3))
    tensor(3.)
    """
    if out is not None:
        _no_out('trace', out)
    return torch.diagonal(as_tensor(a), offset, axis1, axis2).sum(-1, dtype=_dt(dtype))


def cross(a: ArrayLike, b: ArrayLike, axisa: int = -1, axisb: int = -1, axisc: int = -1,
          axis: int | None = None) -> Tensor:
    """Cross product of 3-vectors (``numpy.cross``; vectors along ``axisa``/``axisb``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.cross([1., 0., 0.], [0., 1., 0.])
    tensor([0., 0., 1.])
    """
    x, y = _same_dtype(*_pair_on_device(a, b))
    if axis is not None:
        axisa = axisb = axisc = axis
    x, y = x.movedim(axisa, -1), y.movedim(axisb, -1)
    if x.shape[-1] != 3 or y.shape[-1] != 3:
        raise ValueError(f'cross: vectors must have 3 components, got shapes {tuple(x.shape)} '
                         f'and {tuple(y.shape)} (vector axis last)')
    x, y = torch.broadcast_tensors(x, y)
    return torch.linalg.cross(x, y, dim=-1).movedim(-1, axisc)


# ---------------------------------------------------------------------------
# shapes
# ---------------------------------------------------------------------------

def _rev(n: int) -> tuple[int, ...]:
    return tuple(range(n - 1, -1, -1))


def reshape(a: ArrayLike, shape: Shape | None = None, order: str = 'C', *,
            newshape: Shape | None = None) -> Tensor:
    """``a`` with a new shape (``numpy.reshape``; one dimension may be -1).

    ``newshape=`` (NumPy < 2.1's name) is accepted; ``order='F'`` fills in
    column-major order.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.reshape(bm.arange(6), (2, 3))
    tensor([[0, 1, 2],
            [3, 4, 5]])
    >>> bm.reshape([[1, 2], [3, 4]], -1, order='F')
    tensor([1, 3, 2, 4])
    """
    a = as_tensor(a)
    if shape is None:
        shape = newshape
    if order == 'F':
        shape = _shape_tuple(shape)
        return a.permute(_rev(a.ndim)).reshape(shape[::-1]).permute(_rev(len(shape)))
    return a.reshape(shape)


def ravel(a: ArrayLike, order: str = 'C') -> Tensor:
    """``a`` flattened to 1-D (``numpy.ravel``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.ravel([[1, 2], [3, 4]])
    tensor([1, 2, 3, 4])
    """
    a = as_tensor(a)
    if order == 'F':
        return a.permute(_rev(a.ndim)).reshape(-1)
    return a.reshape(-1)


flatten = ravel


def squeeze(a: ArrayLike, axis: Axis = None) -> Tensor:
    """``a`` without its length-1 axes (or the ones in ``axis``) (``numpy.squeeze``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.squeeze(bm.ones((1, 2, 1))).shape
    torch.Size([2])
    >>> bm.squeeze(bm.ones((1, 2, 1)), axis=0).shape
    torch.Size([2, 1])
    """
    a = as_tensor(a)
    if axis is None:
        return a.squeeze()
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    for ax in axes:
        if a.shape[ax] != 1:
            raise ValueError(f'squeeze: cannot squeeze axis {ax} of shape {tuple(a.shape)}: '
                             'its length is not 1')
    return a.squeeze(axes)


def expand_dims(a: ArrayLike, axis: Shape) -> Tensor:
    """``a`` with new length-1 axes at ``axis`` (an int or a tuple) (``numpy.expand_dims``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.expand_dims(bm.ones(3), 0).shape
    torch.Size([1, 3])
    >>> bm.expand_dims(bm.ones(3), (0, -1)).shape
    torch.Size([1, 3, 1])
    """
    a = as_tensor(a)
    if isinstance(axis, (int, np.integer)):
        return a.unsqueeze(axis)
    out_ndim = a.ndim + len(axis)
    axes = []
    for ax in axis:
        if not -out_ndim <= ax < out_ndim:
            raise ValueError(f'expand_dims: axis {ax} is out of bounds for an array of '
                             f'dimension {out_ndim}')
        axes.append(ax % out_ndim)
    if len(set(axes)) != len(axes):
        raise ValueError(f'expand_dims: repeated axis in {tuple(axis)}')
    for ax in sorted(axes):
        a = a.unsqueeze(ax)
    return a


def _tensors(name: str, arrays: Any) -> list[Tensor]:
    if isinstance(arrays, (Tensor, Variable, np.ndarray)):
        return list(as_tensor(arrays).unbind(0))
    ts = _on_one_device(list(arrays))
    if not ts:
        raise ValueError(f'{name}: need at least one array')
    return ts


def _join(name: str, fn: Callable, ts: list[Tensor], **kw) -> Tensor:
    try:
        return fn(ts, **kw)
    except (RuntimeError, IndexError) as err:
        shapes = ', '.join(str(tuple(t.shape)) for t in ts)
        raise ValueError(f'{name}: cannot join arrays of shapes {shapes} '
                         f'({", ".join(f"{k}={v}" for k, v in kw.items())}): {err}') from None


def concatenate(arrays: Sequence[ArrayLike], axis: int | None = 0,
                dtype: DTypeLike = None) -> Tensor:
    """Join arrays along an existing axis (``numpy.concatenate``; ``axis=None`` flattens first).

    Dtypes promote. Mismatched shapes raise ``ValueError`` naming the shapes.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.concatenate([bm.zeros(2), [1., 2.]])
    tensor([0., 0., 1., 2.])
    >>> bm.concatenate([bm.ones((1, 2)), bm.zeros((1, 2))], axis=1)
    tensor([[1., 1., 0., 0.]])
    """
    ts = _tensors('concatenate', arrays)
    if axis is None:
        ts, axis = [t.reshape(-1) for t in ts], 0
    r = _join('concatenate', torch.cat, ts, dim=axis)
    dt = _dt(dtype)
    return r if dt is None else r.to(dt)


def stack(arrays: Sequence[ArrayLike], axis: int = 0, dtype: DTypeLike = None) -> Tensor:
    """Join arrays of one shape along a new axis (``numpy.stack``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.stack([[1, 2], [3, 4]], axis=1)
    tensor([[1, 3],
            [2, 4]])
    """
    r = _join('stack', torch.stack, _tensors('stack', arrays), dim=axis)
    dt = _dt(dtype)
    return r if dt is None else r.to(dt)


def _make_stacker(name: str, fn: Callable, summary: str, example: str | None = None) -> Callable:
    def f(tup: Sequence[ArrayLike]) -> Tensor:
        return _join(name, fn, _tensors(name, tup))
    return _public(f, name, _doc(name, summary, example))


hstack = _make_stacker('hstack', torch.hstack, 'Join arrays column-wise (along axis 1; axis 0 for 1-D).', """
bm.hstack([[1, 2], [3]])
tensor([1, 2, 3])
""")
vstack = _make_stacker('vstack', torch.vstack, 'Join arrays row-wise (1-D arrays become rows).', """
bm.vstack([[1, 2], [3, 4]])
tensor([[1, 2],
        [3, 4]])
""")
dstack = _make_stacker('dstack', torch.dstack, 'Join arrays along the third axis.', """
bm.dstack([[1, 2], [3, 4]]).shape
torch.Size([1, 2, 2])
""")
column_stack = _make_stacker('column_stack', torch.column_stack, 'Join 1-D arrays as columns.', """
bm.column_stack([[1, 2], [3, 4]])
tensor([[1, 3],
        [2, 4]])
""")


def split(ary: ArrayLike, indices_or_sections: Any, axis: int = 0) -> list[Tensor]:
    """Split into equal sections (an int) or at the given indices (``numpy.split``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.split(bm.arange(6), 3)
    [tensor([0, 1]), tensor([2, 3]), tensor([4, 5])]
    >>> bm.split(bm.arange(5), [2, 3])
    [tensor([0, 1]), tensor([2]), tensor([3, 4])]
    """
    a = as_tensor(ary)
    if isinstance(indices_or_sections, (int, np.integer)):
        n = a.shape[axis]
        if indices_or_sections <= 0 or n % indices_or_sections:
            raise ValueError(f'split: an axis of length {n} cannot be split into '
                             f'{indices_or_sections} equal sections; use array_split')
    return array_split(a, indices_or_sections, axis)


def array_split(ary: ArrayLike, indices_or_sections: Any, axis: int = 0) -> list[Tensor]:
    """Like :func:`split`, but sections may differ in length (``numpy.array_split``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.array_split(bm.arange(5), 2)
    [tensor([0, 1, 2]), tensor([3, 4])]
    """
    ios = indices_or_sections
    if isinstance(ios, np.integer):
        ios = int(ios)
    elif isinstance(ios, np.ndarray):
        ios = ios.tolist()
    elif isinstance(ios, (Tensor, Variable)):    # torch wants index tensors on the CPU
        ios = as_tensor(ios).tolist()
    return list(torch.tensor_split(as_tensor(ary), ios, dim=axis))


def transpose(a: ArrayLike, axes: Sequence[int] | None = None) -> Tensor:
    """``a`` with its axes permuted (reversed by default) (``numpy.transpose``), as a view.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.transpose(bm.ones((2, 3, 4))).shape
    torch.Size([4, 3, 2])
    >>> bm.transpose(bm.ones((2, 3, 4)), (1, 0, 2)).shape
    torch.Size([3, 2, 4])
    """
    a = as_tensor(a)
    return a.permute(_rev(a.ndim) if axes is None else tuple(axes))


def swapaxes(a: ArrayLike, axis1: int, axis2: int) -> Tensor:
    """``a`` with two axes interchanged (``numpy.swapaxes``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.swapaxes(bm.ones((2, 3)), 0, 1).shape
    torch.Size([3, 2])
    """
    return torch.swapaxes(as_tensor(a), axis1, axis2)


def moveaxis(a: ArrayLike, source: Shape, destination: Shape) -> Tensor:
    """``a`` with axes moved to new positions (``numpy.moveaxis``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.moveaxis(bm.ones((2, 3, 4)), 0, -1).shape
    torch.Size([3, 4, 2])
    """
    return torch.movedim(as_tensor(a), source, destination)


def broadcast_to(array: ArrayLike, shape: Shape) -> Tensor:
    """``array`` broadcast to ``shape``, as a (read-only in spirit) view (``numpy.broadcast_to``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.broadcast_to([1, 2], (2, 2))
    tensor([[1, 2],
            [1, 2]])
    """
    return torch.broadcast_to(as_tensor(array), _shape_tuple(shape))


def broadcast_arrays(*args: ArrayLike) -> list[Tensor]:
    """The arrays broadcast against each other (``numpy.broadcast_arrays``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> [t.shape for t in bm.broadcast_arrays([1, 2], [[1], [2]])]
    [torch.Size([2, 2]), torch.Size([2, 2])]
    """
    return list(torch.broadcast_tensors(*_on_one_device(args)))


def _make_atleast(name: str, fn: Callable, n: int) -> Callable:
    def f(*arys: ArrayLike) -> Tensor | list[Tensor]:
        out = [fn(as_tensor(a)) for a in arys]
        return out[0] if len(out) == 1 else out
    return _public(f, name, _doc(name, f'The arrays viewed with at least {n} dimensions.', f"""
bm.{name}(5.).ndim
{n}
bm.{name}([1., 2.]).ndim >= {n}
True
"""))


atleast_1d = _make_atleast('atleast_1d', torch.atleast_1d, 1)
atleast_2d = _make_atleast('atleast_2d', torch.atleast_2d, 2)
atleast_3d = _make_atleast('atleast_3d', torch.atleast_3d, 3)


def tile(A: ArrayLike, reps: Shape) -> Tensor:
    """``A`` repeated ``reps`` times along each axis (``numpy.tile``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.tile([1, 2], 2)
    tensor([1, 2, 1, 2])
    >>> bm.tile([1, 2], (2, 1))
    tensor([[1, 2],
            [1, 2]])
    """
    return torch.tile(as_tensor(A), _shape_tuple(reps))


def repeat(a: ArrayLike, repeats: Any, axis: int | None = None) -> Tensor:
    """Each element repeated ``repeats`` times (``numpy.repeat``; ``axis=None`` flattens).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.repeat([1, 2], 2)
    tensor([1, 1, 2, 2])
    >>> bm.repeat([[1, 2]], [1, 2], axis=1)
    tensor([[1, 2, 2]])
    """
    a = as_tensor(a)
    if not isinstance(repeats, (int, np.integer)):
        repeats = _like(repeats, a)
    return torch.repeat_interleave(a, repeats, dim=axis)


def flip(m: ArrayLike, axis: Axis = None) -> Tensor:
    """``m`` with the order of elements reversed along ``axis`` (all axes by default) (``numpy.flip``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.flip([[1, 2], [3, 4]])
    tensor([[4, 3],
            [2, 1]])
    >>> bm.flip([[1, 2], [3, 4]], 1)
    tensor([[2, 1],
            [4, 3]])
    """
    a = as_tensor(m)
    if axis is None:
        return torch.flip(a, tuple(range(a.ndim)))
    return torch.flip(a, _shape_tuple(axis))


def roll(a: ArrayLike, shift: Shape, axis: Axis = None) -> Tensor:
    """Elements rolled by ``shift`` along ``axis`` (flattened if None) (``numpy.roll``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.roll([1, 2, 3], 1)
    tensor([3, 1, 2])
    """
    return torch.roll(as_tensor(a), shift, axis)


def take(a: ArrayLike, indices: ArrayLike, axis: int | None = None) -> Tensor:
    """Elements of ``a`` at ``indices`` along ``axis`` (of the flattened array if None)
    (``numpy.take``); the result has the indices' shape in place of that axis.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.take([[1, 2], [3, 4]], [0, 3])
    tensor([1, 4])
    >>> bm.take([[1, 2], [3, 4]], [[1]], axis=1)
    tensor([[[2]],
    <BLANKLINE>
            [[4]]])
    """
    a = as_tensor(a)
    idx = indices if isinstance(indices, (int, np.integer)) else _like(indices, a)
    if axis is None:
        return a.reshape(-1)[idx]
    return a[(slice(None),) * (axis % a.ndim) + (idx,)]


def take_along_axis(arr: ArrayLike, indices: ArrayLike, axis: int | None) -> Tensor:
    """Values of ``arr`` at ``indices`` matched along ``axis`` (``numpy.take_along_axis``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.array([[10, 30, 20]])
    >>> bm.take_along_axis(x, bm.argsort(x, axis=1), axis=1)
    tensor([[10, 20, 30]])
    """
    a = as_tensor(arr)
    return torch.take_along_dim(a, _like(indices, a), dim=axis)


def sort(a: ArrayLike, axis: int | None = -1, kind: str | None = None,
         order: None = None) -> Tensor:
    """Sorted copy of ``a`` along ``axis`` (flattened if None) (``numpy.sort``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.sort([[3, 1], [0, 2]])
    tensor([[1, 3],
            [0, 2]])
    """
    a = as_tensor(a)
    if axis is None:
        a, axis = a.reshape(-1), 0
    return torch.sort(a, dim=axis, stable=True).values


def argsort(a: ArrayLike, axis: int | None = -1, kind: str | None = None,
            order: None = None) -> Tensor:
    """Indices that sort ``a`` along ``axis`` (``numpy.argsort``); the sort is always stable.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.argsort([3, 1, 2, 1])
    tensor([1, 3, 2, 0])
    """
    a = as_tensor(a)
    if axis is None:
        a, axis = a.reshape(-1), 0
    return torch.argsort(a, dim=axis, stable=True)


def unique(ar: ArrayLike, return_index: bool = False, return_inverse: bool = False,
           return_counts: bool = False, axis: int | None = None) -> Tensor | tuple[Tensor, ...]:
    """The sorted unique elements of ``ar`` (``numpy.unique``). Eager only.

    With ``return_index``/``return_inverse``/``return_counts``, also the index of each
    unique value's first occurrence, the indices that rebuild ``ar``, and the counts.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.unique([3, 1, 3, 2])
    tensor([1, 2, 3])
    >>> bm.unique([3, 1, 3, 2], return_index=True, return_counts=True)
    (tensor([1, 2, 3]), tensor([1, 3, 0]), tensor([1, 1, 2]))
    """
    a = as_tensor(ar)
    if axis is None:
        a = a.reshape(-1)
    vals, inverse, counts = torch.unique(a, sorted=True, return_inverse=True,
                                         return_counts=True, dim=axis)
    if not (return_index or return_inverse or return_counts):
        return vals
    out = [vals]
    if return_index:
        n = inverse.shape[0]
        first = torch.full((counts.shape[0],), n, dtype=torch.int64, device=a.device)
        out.append(first.scatter_reduce(0, inverse, torch.arange(n, device=a.device), 'amin'))
    if return_inverse:
        out.append(inverse)
    if return_counts:
        out.append(counts)
    return tuple(out)


def _shape_of(a: Any) -> tuple[int, ...]:
    if isinstance(a, (Tensor, Variable, np.ndarray, np.generic)):
        return tuple(a.shape)
    return tuple(as_tensor(a).shape)


def shape(a: ArrayLike) -> tuple[int, ...]:
    """The shape of ``a`` as a tuple of ints (``numpy.shape``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.shape([[1, 2, 3]])
    (1, 3)
    >>> bm.shape(1.)
    ()
    """
    return _shape_of(a)


def ndim(a: ArrayLike) -> int:
    """The number of dimensions of ``a`` (``numpy.ndim``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.ndim(bm.ones((2, 3)))
    2
    """
    return len(_shape_of(a))


def size(a: ArrayLike, axis: int | None = None) -> int:
    """The number of elements of ``a`` (along ``axis`` if given) (``numpy.size``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.size(bm.ones((2, 3)))
    6
    >>> bm.size(bm.ones((2, 3)), 1)
    3
    """
    s = _shape_of(a)
    return s[axis] if axis is not None else _math.prod(s)


# ---------------------------------------------------------------------------
# more of BrainPy 2.1's NumPy names: element-wise, reductions, creation
# ---------------------------------------------------------------------------

__all__ += [
    'positive', 'fabs', 'fix', 'sinc', 'i0', 'signbit', 'isposinf', 'isneginf', 'isreal',
    'iscomplex', 'isscalar', 'modf', 'frexp', 'round_',
    'divmod', 'logaddexp2', 'lcm', 'gcd', 'copysign', 'nextafter', 'ldexp', 'left_shift',
    'right_shift', 'packbits', 'unpackbits',
    'nanprod', 'nancumsum', 'nancumprod', 'nanmin', 'nanmax', 'nanargmin', 'nanargmax', 'ptp',
    'count_nonzero', 'alltrue', 'sometrue', 'product', 'cumproduct',
    'vdot', 'einsum_path', 'broadcast_shapes', 'array_equiv', 'geomspace',
]


def _float_unary(name: str, fn: Callable, summary: str, example: str) -> Callable:
    def f(x: ArrayLike) -> Tensor:
        return fn(_to_float(as_tensor(x)))
    return _public(f, name, _doc(name, summary, example, ' (integers give the default float)'))


def _positive(t: Tensor) -> Tensor:
    if t.dtype == torch.bool:
        raise TypeError('positive: not defined for bool arrays (as in NumPy)')
    return torch.positive(t)


def _fabs(t: Tensor) -> Tensor:
    if t.is_complex():
        raise TypeError('fabs: not defined for complex arrays (as in NumPy); use abs')
    return torch.abs(t)


def _fix(t: Tensor) -> Tensor:
    return torch.trunc(t) if t.is_floating_point() else t.clone()


def _complex_part_test(name: str, real: builtins.bool) -> Callable:
    def fn(t: Tensor) -> Tensor:
        if not t.is_complex():
            return torch.full(t.shape, real, dtype=torch.bool, device=t.device)
        return (t.imag == 0) if real else (t.imag != 0)
    return fn


positive = _make_unary('positive', _positive, '``+x``, element-wise.', """
bm.positive([1., -2.])
tensor([ 1., -2.])
""")
fabs = _float_unary('fabs', _fabs, 'Absolute value as a float, element-wise.', """
bm.fabs([-1, 2])
tensor([1., 2.])
""")
fix = _make_unary('fix', _fix, 'Round towards zero, element-wise (integers are returned as they are).', """
bm.fix([-1.7, 1.7])
tensor([-1.,  1.])
""")
sinc = _float_unary('sinc', torch.sinc, 'The normalised sinc, ``sin(pi x) / (pi x)`` (1 at 0), element-wise.', """
bm.sinc([0., 0.5])
tensor([1.0000, 0.6366])
""")
i0 = _float_unary('i0', torch.special.i0, 'Modified Bessel function of the first kind, order 0.', """
bm.i0([0., 1.])
tensor([1.0000, 1.2661])
""")
signbit = _make_unary('signbit', torch.signbit, 'Whether the sign bit is set (negative numbers, -0.).', """
bm.signbit([-1., 0., -0., 2.])
tensor([ True, False,  True, False])
""")
isposinf = _make_unary('isposinf', torch.isposinf, 'Whether each element is +inf.', """
bm.isposinf([bm.inf, -bm.inf, 1.])
tensor([ True, False, False])
""")
isneginf = _make_unary('isneginf', torch.isneginf, 'Whether each element is -inf.', """
bm.isneginf([bm.inf, -bm.inf, 1.])
tensor([False,  True, False])
""")
isreal = _make_unary('isreal', _complex_part_test('isreal', True),
                     'Whether each element has a zero imaginary part (True for real arrays).', """
bm.isreal([1 + 0j, 1 + 2j])
tensor([ True, False])
""")
iscomplex = _make_unary('iscomplex', _complex_part_test('iscomplex', False),
                        'Whether each element has a non-zero imaginary part (False for real arrays).', """
bm.iscomplex([1 + 0j, 1 + 2j])
tensor([False,  True])
""")
round_ = round


def isscalar(element: Any) -> builtins.bool:
    """Whether ``element`` is a Python or NumPy scalar (``numpy.isscalar``).

    As in NumPy (and BrainPy 2.1), arrays are not scalars, 0-d tensors and Variables included.

    Examples
    --------
    >>> import numpy as np, bptorch.math as bm
    >>> bm.isscalar(1.), bm.isscalar(np.float32(1.)), bm.isscalar(bm.asarray(1.))
    (True, True, False)
    """
    return builtins.bool(np.isscalar(element))


def modf(x: ArrayLike) -> tuple[Tensor, Tensor]:
    """The fractional and integral parts, both with the sign of ``x`` (``numpy.modf``).

    Integers give the default float; ``modf(inf)`` is ``(0., inf)``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.modf([3.5, -3.5])
    (tensor([ 0.5000, -0.5000]), tensor([ 3., -3.]))
    """
    t = _to_float(as_tensor(x))
    whole = torch.trunc(t)
    frac = torch.where(torch.isinf(t), torch.copysign(torch.zeros_like(t), t), t - whole)
    return frac, whole


def frexp(x: ArrayLike) -> tuple[Tensor, Tensor]:
    """Mantissa in ``[0.5, 1)`` and int32 exponent with ``x == m * 2**e`` (``numpy.frexp``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.frexp([8., 3.])
    (tensor([0.5000, 0.7500]), tensor([4, 2], dtype=torch.int32))
    """
    return tuple(torch.frexp(_to_float(as_tensor(x))))


def _divmod(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    return torch.floor_divide(a, b), torch.remainder(a, b)


def _float_pair(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    dt = torch.promote_types(torch.result_type(a, b), settings.float_())
    return a.to(dt), b.to(dt)


def _nextafter(a: Tensor, b: Tensor) -> Tensor:
    a, b = _float_pair(a, b)
    return torch.nextafter(a, b)


def _ldexp(a: Tensor, b: Tensor) -> Tensor:
    if b.is_floating_point() or b.is_complex():
        raise TypeError('ldexp: the exponents x2 must be integers (as in NumPy)')
    a = _to_float(a)
    return a * torch.pow(2.0, b.to(a.dtype))


divmod = _make_binary('divmod', _divmod, '``(x1 // x2, x1 % x2)``, element-wise.', """
bm.divmod([7, -7], 2)
(tensor([ 3, -4]), tensor([1, 1]))
""")
logaddexp2 = _make_binary('logaddexp2', torch.logaddexp2, '``log2(2**x1 + 2**x2)``, element-wise.', """
bm.logaddexp2(1., 1.)
tensor(2.)
""")
lcm = _make_binary('lcm', torch.lcm, 'Lowest common multiple of integers, element-wise.', """
bm.lcm([4, 6], 10)
tensor([20, 30])
""")
gcd = _make_binary('gcd', torch.gcd, 'Greatest common divisor of integers, element-wise.', """
bm.gcd([4, 6], 10)
tensor([2, 2])
""")
copysign = _make_binary('copysign', torch.copysign, '``x1`` with the sign of ``x2``, element-wise (a float).', """
bm.copysign([1., 2.], [-1., 0.])
tensor([-1.,  2.])
""")
nextafter = _make_binary('nextafter', _nextafter, 'The next float after ``x1`` towards ``x2``, element-wise.', """
bm.nextafter(1., 2.) > 1.
tensor(True)
""")
ldexp = _make_binary('ldexp', _ldexp, '``x1 * 2**x2`` for integer ``x2``, element-wise.', """
bm.ldexp([1., 3.], [2, 1])
tensor([4., 6.])
""")
left_shift = _make_binary('left_shift', torch.bitwise_left_shift, '``x1 << x2``, element-wise.', """
bm.left_shift([1, 3], 2)
tensor([ 4, 12])
""")
right_shift = _make_binary('right_shift', torch.bitwise_right_shift, '``x1 >> x2``, element-wise.', """
bm.right_shift([8, 12], 2)
tensor([2, 3])
""")


def _bitorder(name: str, bitorder: str) -> Tensor:
    if bitorder not in ('big', 'little'):
        raise ValueError(f"{name}: bitorder must be 'big' or 'little', got {bitorder!r}")
    return bitorder == 'big'


def packbits(a: ArrayLike, axis: int | None = None, bitorder: str = 'big') -> Tensor:
    """Pack the elements of a bool or integer array into the bits of uint8 (``numpy.packbits``).

    Non-zero elements are 1 bits; ``axis=None`` packs the flattened array; the axis is
    padded with zeros to a multiple of 8.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.packbits([1, 0, 1, 1, 0, 0, 0, 1, 1])
    tensor([177, 128], dtype=torch.uint8)
    >>> bm.packbits([1, 1, 0], bitorder='little')
    tensor([3], dtype=torch.uint8)
    """
    big = _bitorder('packbits', bitorder)
    t = as_tensor(a)
    if t.is_floating_point() or t.is_complex():
        raise TypeError('packbits: expected an array of integers or booleans')
    if axis is None:
        t, axis = t.reshape(-1), 0
    t = (t != 0).movedim(axis, -1)
    n = t.shape[-1]
    t = torch.nn.functional.pad(t.to(torch.uint8), (0, (-n) % 8))
    t = t.reshape(t.shape[:-1] + (-1, 8))
    shifts = torch.arange(7, -1, -1, device=t.device) if big else torch.arange(8, device=t.device)
    packed = (t.to(torch.int64) << shifts).sum(-1).to(torch.uint8)
    return packed.movedim(-1, axis)


def unpackbits(a: ArrayLike, axis: int | None = None, count: int | None = None,
               bitorder: str = 'big') -> Tensor:
    """Unpack uint8 elements into bits (0/1 as uint8) (``numpy.unpackbits``).

    ``axis=None`` unpacks the flattened array; ``count`` keeps the first ``count`` bits
    (negative: drops bits from the end; more than there are: pads with zeros).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.unpackbits(bm.asarray([177], dtype=bm.uint8))
    tensor([1, 0, 1, 1, 0, 0, 0, 1], dtype=torch.uint8)
    >>> bm.unpackbits(bm.asarray([3], dtype=bm.uint8), count=3, bitorder='little')
    tensor([1, 1, 0], dtype=torch.uint8)
    """
    big = _bitorder('unpackbits', bitorder)
    t = as_tensor(a)
    if t.dtype != torch.uint8:
        raise TypeError(f'unpackbits: expected an input of dtype uint8, got {t.dtype}')
    if axis is None:
        t, axis = t.reshape(-1), 0
    t = t.movedim(axis, -1)
    shifts = torch.arange(7, -1, -1, device=t.device) if big else torch.arange(8, device=t.device)
    bits = ((t.to(torch.int64).unsqueeze(-1) >> shifts) & 1).to(torch.uint8)
    bits = bits.reshape(bits.shape[:-2] + (-1,))
    if count is not None:
        n = bits.shape[-1]
        keep = count if count >= 0 else builtins.max(n + count, 0)
        bits = bits[..., :keep] if keep <= n else torch.nn.functional.pad(bits, (0, keep - n))
    return bits.movedim(-1, axis)


# -- reductions --------------------------------------------------------------

def _nan_filled(a: Tensor, value: float) -> Tensor:
    return torch.where(torch.isnan(a), value, a) if (a.is_floating_point() or a.is_complex()) else a


def nanprod(a: ArrayLike, axis: Axis = None, dtype: DTypeLike = None, out: None = None,
            keepdims: bool = False) -> Tensor:
    """Product over ``axis`` treating NaN as one (``numpy.nanprod``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.nanprod([2., bm.nan, 3.])
    tensor(6.)
    """
    if out is not None:
        _no_out('nanprod', out)
    return prod(_nan_filled(as_tensor(a), 1.), axis, dtype, keepdims=keepdims)


def nancumsum(a: ArrayLike, axis: int | None = None, dtype: DTypeLike = None,
              out: None = None) -> Tensor:
    """Cumulative sum along ``axis`` treating NaN as zero (``numpy.nancumsum``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.nancumsum([1., bm.nan, 2.])
    tensor([1., 1., 3.])
    """
    if out is not None:
        _no_out('nancumsum', out)
    return cumsum(_nan_filled(as_tensor(a), 0.), axis, dtype)


def nancumprod(a: ArrayLike, axis: int | None = None, dtype: DTypeLike = None,
               out: None = None) -> Tensor:
    """Cumulative product along ``axis`` treating NaN as one (``numpy.nancumprod``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.nancumprod([2., bm.nan, 3.])
    tensor([2., 2., 6.])
    """
    if out is not None:
        _no_out('nancumprod', out)
    return cumprod(_nan_filled(as_tensor(a), 1.), axis, dtype)


def _nan_extreme(name: str, a: ArrayLike, axis: Axis, keepdims: bool, fill: float,
                 fn: Callable) -> Tensor:
    a = as_tensor(a)
    if not a.is_floating_point():
        return fn(a, axis, keepdims=keepdims)
    mask = torch.isnan(a)
    r = fn(torch.where(mask, fill, a), axis, keepdims=keepdims)
    return torch.where(all(mask, axis, keepdims=keepdims), nan, r)


def nanmin(a: ArrayLike, axis: Axis = None, out: None = None, keepdims: bool = False) -> Tensor:
    """Minimum over ``axis`` ignoring NaN (``numpy.nanmin``); an all-NaN slice gives NaN.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.nanmin([[1., bm.nan], [bm.nan, bm.nan]], axis=1)
    tensor([1., nan])
    """
    if out is not None:
        _no_out('nanmin', out)
    return _nan_extreme('nanmin', a, axis, keepdims, inf, amin)


def nanmax(a: ArrayLike, axis: Axis = None, out: None = None, keepdims: bool = False) -> Tensor:
    """Maximum over ``axis`` ignoring NaN (``numpy.nanmax``); an all-NaN slice gives NaN.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.nanmax([1., bm.nan, 3.])
    tensor(3.)
    """
    if out is not None:
        _no_out('nanmax', out)
    return _nan_extreme('nanmax', a, axis, keepdims, -inf, amax)


def _nan_arg(a: ArrayLike, axis: int | None, keepdims: bool, fill: float, fn: Callable) -> Tensor:
    a = as_tensor(a)
    if not a.is_floating_point():
        return fn(a, axis, keepdims=keepdims)
    mask = torch.isnan(a)
    r = fn(torch.where(mask, fill, a), axis, keepdims=keepdims)
    return torch.where(all(mask, axis, keepdims=keepdims), -1, r)


def nanargmin(a: ArrayLike, axis: int | None = None, out: None = None,
              keepdims: bool = False) -> Tensor:
    """Index of the minimum along ``axis`` ignoring NaN (``numpy.nanargmin``).

    An all-NaN slice gives -1 (as in JAX; NumPy raises ``ValueError``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.nanargmin([bm.nan, 2., 1.])
    tensor(2)
    """
    if out is not None:
        _no_out('nanargmin', out)
    return _nan_arg(a, axis, keepdims, inf, argmin)


def nanargmax(a: ArrayLike, axis: int | None = None, out: None = None,
              keepdims: bool = False) -> Tensor:
    """Index of the maximum along ``axis`` ignoring NaN (``numpy.nanargmax``).

    An all-NaN slice gives -1 (as in JAX; NumPy raises ``ValueError``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.nanargmax([bm.nan, 2., 1.])
    tensor(1)
    """
    if out is not None:
        _no_out('nanargmax', out)
    return _nan_arg(a, axis, keepdims, -inf, argmax)


def ptp(a: ArrayLike, axis: Axis = None, out: None = None, keepdims: bool = False) -> Tensor:
    """Range of values (maximum - minimum) over ``axis`` (``numpy.ptp``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.ptp([[4, 9], [2, 3]], axis=1)
    tensor([5, 1])
    """
    if out is not None:
        _no_out('ptp', out)
    a = as_tensor(a)
    return amax(a, axis, keepdims=keepdims) - amin(a, axis, keepdims=keepdims)


def count_nonzero(a: ArrayLike, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """The number of non-zero elements over ``axis`` (``numpy.count_nonzero``; int64).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.count_nonzero([[0, 1], [2, 3]])
    tensor(3)
    >>> bm.count_nonzero([[0, 1], [2, 3]], axis=0, keepdims=True)
    tensor([[1, 2]])
    """
    return sum(as_tensor(a) != 0, axis, dtype=torch.int64, keepdims=keepdims)


alltrue = all
sometrue = any
product = prod
cumproduct = cumprod


def vdot(a: ArrayLike, b: ArrayLike) -> Tensor:
    """Dot product of the flattened arrays, conjugating ``a`` (``numpy.vdot``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.vdot([[1., 2.], [3., 4.]], [[1., 1.], [1., 1.]])
    tensor(10.)
    >>> bm.vdot([1j], [1j])
    tensor(1.+0.j)
    """
    x, y = _same_dtype(*_pair_on_device(a, b))
    return torch.vdot(x.reshape(-1), y.reshape(-1)) if x.is_complex() else torch.dot(
        x.reshape(-1), y.reshape(-1))


def einsum_path(subscripts: str, *operands: ArrayLike, optimize: Any = 'greedy') -> tuple[list, str]:
    """The contraction order NumPy would choose for :func:`einsum` (``numpy.einsum_path``).

    Only the operands' shapes are read. torch chooses its own order inside ``einsum``;
    this reports NumPy's, as ``jnp.einsum_path`` does.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> path, text = bm.einsum_path('ij,jk,kl->il', bm.ones((2, 3)), bm.ones((3, 4)), bm.ones((4, 5)))
    >>> path[0]
    'einsum_path'
    """
    shapes = [tuple(_shape_of(x)) for x in operands]
    dummies = [np.broadcast_to(np.zeros((), np.float32), s) for s in shapes]
    return np.einsum_path(subscripts, *dummies, optimize=optimize)


def broadcast_shapes(*shapes: Shape) -> tuple[int, ...]:
    """The shape that arrays of the given shapes broadcast to (``numpy.broadcast_shapes``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.broadcast_shapes((2, 1), (3,))
    (2, 3)
    """
    try:
        return tuple(torch.broadcast_shapes(*[_shape_tuple(s) for s in shapes]))
    except RuntimeError as err:
        raise ValueError(f'broadcast_shapes: shapes {shapes} cannot be broadcast together: '
                         f'{err}') from None


def array_equiv(a1: ArrayLike, a2: ArrayLike) -> builtins.bool:
    """Whether two arrays are equal after broadcasting, as a Python ``bool``
    (``numpy.array_equiv``; False if the shapes do not broadcast). Eager only.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.array_equiv([1, 2], [[1, 2], [1, 2]]), bm.array_equiv([1, 2], [1, 2, 3])
    (True, False)
    """
    a, b = _pair(a1, a2)
    try:
        torch.broadcast_shapes(a.shape, b.shape)
    except RuntimeError:
        return False
    return builtins.bool((a == b).all())


def geomspace(start: Any, stop: Any, num: int = 50, endpoint: bool = True,
              dtype: DTypeLike = None, axis: int = 0) -> Tensor:
    """``num`` numbers spaced evenly on a log scale from ``start`` to ``stop``
    (``numpy.geomspace``; both negative is allowed; the end points are exact).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.geomspace(1, 1000, 4)
    tensor([   1.,   10.,  100., 1000.])
    >>> bm.geomspace(-1, -100, 3)
    tensor([  -1.,  -10., -100.])
    """
    if axis != 0:
        raise NotImplementedError('geomspace(axis=...): only scalar start/stop (axis=0) are supported')
    start_f, stop_f = float(start), float(stop)
    if start_f == 0 or stop_f == 0:
        raise ValueError('geomspace: a geometric sequence cannot include zero')
    if (start_f < 0) != (stop_f < 0):
        raise ValueError('geomspace: start and stop must have the same sign')
    sign = -1.0 if start_f < 0 else 1.0
    dt = _dt(dtype)
    work = dt if dt is not None and dt.is_floating_point else settings.float_()
    t = sign * torch.pow(10.0, linspace(_math.log10(abs(start_f)), _math.log10(abs(stop_f)), num,
                                        endpoint=endpoint, dtype=torch.float64))
    if num > 0:
        t[0] = start_f
        if endpoint and num > 1:
            t[-1] = stop_f
    t = t.to(work)
    if dt is not None and dt != work:
        t = t.round().to(dt)
    return t
