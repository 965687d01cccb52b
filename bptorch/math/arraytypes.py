"""Array and dtype types, and conversions between tensors, Variables and NumPy.

BrainPy 2.1 wraps JAX arrays in ``bm.JaxArray`` (alias ``bm.ndarray``) and its
``bm.Variable`` is a ``JaxArray``. bptorch's arrays are plain ``torch.Tensor``
and its Variables are boxes around one, so :class:`ndarray` (also spelled
:class:`JaxArray`) is not a container but a *type test*: ``isinstance(x, bm.ndarray)``
is True for tensors and Variables, and ``bm.ndarray(x)`` returns ``x`` as a tensor.
Likewise :class:`dtype` tests for and builds ``torch.dtype`` objects.

The dtype functions (``can_cast``, ``promote_types``, ``result_type``, ``issubdtype``...)
take torch dtypes, NumPy dtypes and types, dtype names, Python types and arrays, and
return torch dtypes. Promotion follows torch (which agrees with JAX's lattice:
``int64`` with ``float32`` gives ``float32``, where NumPy gives ``float64``).

Examples
--------
>>> import torch, bptorch.math as bm
>>> isinstance(bm.zeros(3), bm.ndarray), isinstance(bm.Variable(bm.zeros(3)), bm.JaxArray)
(True, True)
>>> bm.dtype('float32') is torch.float32
True
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np
import torch
from torch import Tensor

from bptorch.math import settings
from bptorch.math.ops import _dt, _dtype_of, _to_float
from bptorch.math.variables import Variable, as_tensor

__all__ = [
    'ndarray', 'JaxArray', 'dtype',
    'as_device_array', 'as_numpy', 'as_variable', 'asanyarray', 'ascontiguousarray',
    'asfarray', 'asscalar', 'copy',
    'can_cast', 'promote_types', 'result_type', 'issubdtype', 'issubsctype', 'common_type',
    'iscomplexobj', 'isrealobj', 'iterable', 'issubclass_', 'typename',
]


# ---------------------------------------------------------------------------
# the array type and the dtype type
# ---------------------------------------------------------------------------

class _ArrayType(type):
    """Metaclass of :class:`ndarray`: instance checks accept tensors and Variables."""

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, (Tensor, Variable))

    def __subclasscheck__(cls, sub: type) -> bool:
        return isinstance(sub, type) and (issubclass(sub, (Tensor, Variable)) or type.__subclasscheck__(cls, sub))

    def __call__(cls, value: Any, dtype: Any = None) -> Tensor:
        return as_tensor(value, _dt(dtype))


class ndarray(metaclass=_ArrayType):
    """The array type of ``bm`` (BrainPy's ``bm.ndarray`` / ``bm.JaxArray``).

    bptorch's arrays are ``torch.Tensor``: ``isinstance(x, bm.ndarray)`` is True for
    tensors and for Variables (which are ``bm.ndarray`` in BrainPy too), and
    ``bm.ndarray(value, dtype=None)`` returns ``value`` as a tensor (no copy when it
    already is one), as ``JaxArray(value)`` wraps a value in BrainPy. Use it in
    annotations and ``isinstance`` checks; there are no ``ndarray`` instances.

    Examples
    --------
    >>> import torch, numpy as np, bptorch.math as bm
    >>> isinstance(bm.ones(2), bm.ndarray), isinstance(bm.Variable(bm.ones(2)), bm.ndarray)
    (True, True)
    >>> isinstance(np.ones(2), bm.ndarray)
    False
    >>> bm.ndarray([1., 2.])
    tensor([1., 2.])
    >>> bm.JaxArray is bm.ndarray
    True
    """


JaxArray = ndarray


class _DTypeType(type):
    """Metaclass of :class:`dtype`: instance checks accept ``torch.dtype`` objects."""

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, torch.dtype)

    def __call__(cls, obj: Any, align: bool = False, copy: bool = False) -> torch.dtype:
        if isinstance(obj, (Tensor, Variable)):
            raise TypeError(f'dtype: expected a dtype, type or dtype name, got an array '
                            f'(use x.dtype)')
        return _dt(obj)


class dtype(metaclass=_DTypeType):
    """The dtype type (``numpy.dtype``): ``bm.dtype(x)`` is the torch dtype named by ``x``.

    ``x`` may be a torch dtype, a NumPy dtype or type, a dtype name, or
    ``bool``/``int``/``float``/``complex`` (``float`` meaning the default float).
    ``isinstance(d, bm.dtype)`` is True for torch dtypes.

    Examples
    --------
    >>> import numpy as np, bptorch.math as bm
    >>> bm.dtype('int32'), bm.dtype(np.float64), bm.dtype(float)
    (torch.int32, torch.float64, torch.float32)
    >>> isinstance(bm.float32, bm.dtype)
    True
    """


# ---------------------------------------------------------------------------
# conversions
# ---------------------------------------------------------------------------

def as_device_array(tensor: Any, dtype: Any = None) -> Tensor:
    """The input as a tensor (BrainPy's ``as_device_array``: bptorch's device arrays are
    tensors). A Variable gives its value; no copy when none is needed.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> v = bm.Variable(bm.ones(2))
    >>> type(bm.as_device_array(v)) is torch.Tensor
    True
    >>> bm.as_device_array([1, 2], dtype=bm.float32)
    tensor([1., 2.])
    """
    return as_tensor(tensor, _dt(dtype))


def _numpy_dtype(dt: Any) -> np.dtype | None:
    if dt is None:
        return None
    if isinstance(dt, torch.dtype):
        if dt == torch.bfloat16:
            raise TypeError('as_numpy: NumPy has no bfloat16; pass dtype=bm.float32')
        return torch.empty((), dtype=dt).numpy().dtype
    return np.dtype(dt)


def as_numpy(tensor: Any, dtype: Any = None) -> np.ndarray:
    """The input as a NumPy array on the host (BrainPy's ``as_numpy``).

    Tensors are detached and copied to the CPU when needed; ``dtype`` may be a torch
    or NumPy dtype. bfloat16 data needs ``dtype=`` (NumPy has no bfloat16).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.as_numpy(bm.Variable(bm.arange(3)))
    array([0, 1, 2])
    >>> bm.as_numpy(bm.ones(2, dtype=bm.bfloat16), dtype=bm.float32)
    array([1., 1.], dtype=float32)
    """
    if isinstance(tensor, (Tensor, Variable)):
        t = as_tensor(tensor).detach().resolve_conj().resolve_neg()
        if isinstance(dtype, torch.dtype):
            t, dtype = t.to(dtype), None
        if t.dtype == torch.bfloat16:
            raise TypeError('as_numpy: NumPy has no bfloat16; pass dtype=bm.float32')
        return np.asarray(t.cpu().numpy(), dtype=_numpy_dtype(dtype))
    return np.asarray(tensor, dtype=_numpy_dtype(dtype))


def as_variable(tensor: Any, dtype: Any = None) -> Variable:
    """A new :class:`~bptorch.math.Variable` holding the input (BrainPy's ``as_variable``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> v = bm.as_variable([1., 2.])
    >>> isinstance(v, bm.Variable), v.value
    (True, tensor([1., 2.]))
    """
    return Variable(as_tensor(tensor, _dt(dtype)))


def asanyarray(a: Any, dtype: Any = None, order: str | None = None) -> Tensor:
    """The input as a tensor (``numpy.asanyarray``; the same as :func:`~bptorch.math.asarray`).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.asanyarray([1, 2])
    tensor([1, 2])
    """
    _order('asanyarray', order)
    return as_tensor(a, _dt(dtype))


def _order(name: str, order: str | None) -> None:
    if order not in (None, 'K', 'A', 'C'):
        raise NotImplementedError(f"{name}(order={order!r}): torch tensors are C-ordered; "
                                  "only order='C' ('K', 'A' or None) is supported")


def ascontiguousarray(a: Any, dtype: Any = None) -> Tensor:
    """The input as a contiguous (C-ordered) tensor (``numpy.ascontiguousarray``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.ascontiguousarray(bm.ones((2, 3)).T).is_contiguous()
    True
    """
    return as_tensor(a, _dt(dtype)).contiguous()


def asfarray(a: Any, dtype: Any = None) -> Tensor:
    """The input as a floating array (``numpy.asfarray``): integers and bools give the
    default float (``dtype`` must be a floating dtype, if given).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.asfarray([1, 2])
    tensor([1., 2.])
    """
    t = as_tensor(a)
    if dtype is None:
        return _to_float(t) if not t.is_complex() else t
    dt = _dt(dtype)
    if not (dt.is_floating_point or dt.is_complex):
        dt = settings.float_()
    return t.to(dt)


def asscalar(a: Any) -> bool | int | float | complex:
    """The single element of a size-1 array as a Python number (``numpy.asscalar``). Eager only.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.asscalar(bm.asarray([2.5]))
    2.5
    """
    t = as_tensor(a)
    if t.numel() != 1:
        raise ValueError(f'asscalar: expected an array of size 1, got shape {tuple(t.shape)}')
    return t.item()


def copy(a: Any, order: str = 'K') -> Tensor:
    """A copy of ``a`` (``numpy.copy``); differentiable, like ``jnp.copy``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.ones(2); y = bm.copy(x)
    >>> y.data_ptr() != x.data_ptr()
    True
    """
    _order('copy', order)
    return as_tensor(a).clone()


# ---------------------------------------------------------------------------
# dtype functions
# ---------------------------------------------------------------------------

def _dtype_arg(x: Any) -> torch.dtype:
    """A dtype argument: a dtype-like, or an array (its dtype)."""
    if isinstance(x, (Tensor, Variable)):
        return x.dtype
    if isinstance(x, (np.ndarray, np.generic)):
        return _dtype_of(np.asarray(x))
    return _dtype_of(x)


_KIND_ORDER = {'b': 0, 'u': 1, 'i': 1, 'f': 2, 'c': 3}


def _kind(dt: torch.dtype) -> str:
    if dt == torch.bool:
        return 'b'
    if dt.is_complex:
        return 'c'
    if dt.is_floating_point:
        return 'f'
    return 'i' if dt.is_signed else 'u'


def can_cast(from_: Any, to: Any, casting: str = 'safe') -> bool:
    """Whether a value of dtype ``from_`` can be cast to ``to`` under ``casting``
    (``numpy.can_cast``): ``'no'``, ``'equiv'``, ``'safe'``, ``'same_kind'`` or ``'unsafe'``.

    ``from_`` may be a dtype-like or an array (its dtype is used).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.can_cast(bm.int32, bm.float64), bm.can_cast(bm.float64, bm.float32)
    (True, False)
    >>> bm.can_cast(bm.float64, bm.float32, casting='same_kind')
    True
    """
    if casting is None:
        casting = 'safe'
    a, b = _dtype_arg(from_), _dt(to)
    if casting in ('no', 'equiv'):
        return a == b
    if casting == 'unsafe':
        return True
    if casting == 'same_kind':
        return _KIND_ORDER[_kind(a)] <= _KIND_ORDER[_kind(b)]
    if casting != 'safe':
        raise ValueError(f"can_cast(casting): expected 'no', 'equiv', 'safe', 'same_kind' or "
                         f"'unsafe', got {casting!r}")
    if torch.bfloat16 in (a, b):
        if a == b:
            return True
        if a == torch.bfloat16:
            return b in (torch.float32, torch.float64, torch.complex64, torch.complex128)
        return a in (torch.bool, torch.uint8, torch.int8)
    return builtins.bool(np.can_cast(_numpy_dtype(a), _numpy_dtype(b), 'safe'))


def promote_types(type1: Any, type2: Any) -> torch.dtype:
    """The dtype both dtypes promote to (``numpy.promote_types``, with torch's (JAX's)
    lattice: integers with a float give that float).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.promote_types(bm.int32, bm.float32), bm.promote_types('int8', 'uint8')
    (torch.float32, torch.int16)
    """
    return torch.promote_types(_dt(type1), _dt(type2))


def result_type(*arrays_and_dtypes: Any) -> torch.dtype:
    """The dtype an operation on all the arguments gives (``numpy.result_type``).

    Arrays and dtypes promote with :func:`promote_types`; Python numbers are weak
    (as in JAX): they only lift the category (an int array with ``1.5`` gives the
    default float; a float32 array with ``1.5`` stays float32).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.result_type(bm.ones(2, dtype=bm.int32), 1.5), bm.result_type(bm.float16, 2.)
    (torch.float32, torch.float16)
    >>> bm.result_type(bm.int8, bm.int64)
    torch.int64
    """
    if not arrays_and_dtypes:
        raise ValueError('result_type: at least one array or dtype is required')
    strong = [x for x in arrays_and_dtypes if not isinstance(x, (bool, int, float, complex))]
    weak = [x for x in arrays_and_dtypes if isinstance(x, (bool, int, float, complex))]
    if not strong:
        dt = as_tensor(weak[0]).dtype
        for w in weak[1:]:
            dt = torch.promote_types(dt, as_tensor(w).dtype)
        return dt
    dt = _dtype_arg(strong[0])
    for x in strong[1:]:
        dt = torch.promote_types(dt, _dtype_arg(x))
    for w in weak:
        kind = _kind(dt)
        if isinstance(w, complex) and kind != 'c':
            dt = torch.complex128 if dt == torch.float64 else settings.complex_()
        elif isinstance(w, float) and kind in 'biu':
            dt = settings.float_()
        elif isinstance(w, int) and not isinstance(w, bool) and kind == 'b':
            dt = settings.int_()
    return dt


_ABSTRACT = {np.generic, np.number, np.integer, np.signedinteger, np.unsignedinteger,
             np.inexact, np.floating, np.complexfloating, np.bool_}


def issubdtype(arg1: Any, arg2: Any) -> bool:
    """Whether dtype ``arg1`` is ``arg2``, or of the kind ``arg2`` names
    (``numpy.issubdtype``; kinds as NumPy's abstract types: ``np.floating``,
    ``np.integer``, ``np.number``...).

    Examples
    --------
    >>> import numpy as np, bptorch.math as bm
    >>> bm.issubdtype(bm.float32, np.floating), bm.issubdtype(bm.int32, np.floating)
    (True, False)
    >>> bm.issubdtype(bm.bfloat16, np.inexact), bm.issubdtype('int64', bm.int64)
    (True, True)
    """
    a = _dtype_arg(arg1)
    if isinstance(arg2, type) and arg2 in _ABSTRACT:
        scalar = np.float16 if a == torch.bfloat16 else _numpy_dtype(a).type
        return builtins.bool(issubclass(scalar, arg2))
    return a == _dtype_arg(arg2)


def issubsctype(arg1: Any, arg2: Any) -> bool:
    """Whether the scalar type of ``arg1`` is a subtype of that of ``arg2`` (``numpy.issubsctype``;
    arrays give their dtype).

    Examples
    --------
    >>> import numpy as np, bptorch.math as bm
    >>> bm.issubsctype(bm.ones(2), np.floating), bm.issubsctype(bm.int32, bm.int64)
    (True, False)
    """
    return issubdtype(arg1, arg2)


def common_type(*arrays: Any) -> torch.dtype:
    """A floating dtype common to the arrays (``numpy.common_type``): integer arrays count
    as the default float (NumPy: float64); complex input gives complex.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.common_type(bm.ones(2, dtype=bm.float16), bm.ones(2, dtype=bm.int32))
    torch.float32
    >>> bm.common_type(bm.ones(2), bm.asarray([1j]))
    torch.complex64
    """
    if not arrays:
        raise ValueError('common_type: at least one array is required')
    dt = None
    for a in arrays:
        d = as_tensor(a).dtype
        if d == torch.bool or not (d.is_floating_point or d.is_complex):
            d = settings.float_()
        dt = d if dt is None else torch.promote_types(dt, d)
    return dt


def iscomplexobj(x: Any) -> bool:
    """Whether ``x`` has a complex dtype, whatever its values (``numpy.iscomplexobj``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.iscomplexobj(bm.asarray([1 + 0j])), bm.iscomplexobj([1., 2.])
    (True, False)
    """
    if isinstance(x, torch.dtype):
        return x.is_complex
    return as_tensor(x).is_complex()


def isrealobj(x: Any) -> bool:
    """Whether ``x`` has a non-complex dtype (``numpy.isrealobj``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.isrealobj([1., 2.]), bm.isrealobj(bm.asarray([1j]))
    (True, False)
    """
    return not iscomplexobj(x)


def iterable(y: Any) -> bool:
    """Whether ``iter(y)`` works (``numpy.iterable``); 0-d tensors are not iterable.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.iterable([1, 2]), bm.iterable(2), bm.iterable(bm.asarray(2))
    (True, False, False)
    """
    if isinstance(y, (Tensor, Variable)):
        return y.ndim > 0
    try:
        iter(y)
    except TypeError:
        return False
    return True


def issubclass_(arg1: Any, arg2: Any) -> bool:
    """``issubclass(arg1, arg2)``, False instead of a ``TypeError`` (``numpy.issubclass_``).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.issubclass_(torch.Tensor, bm.ndarray), bm.issubclass_(1, int)
    (True, False)
    """
    try:
        return issubclass(arg1, arg2)
    except TypeError:
        return False


def typename(char: str) -> str:
    """A description of the NumPy type code ``char`` (``numpy.typename``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.typename('d')
    'double precision'
    """
    return np.typename(char)
