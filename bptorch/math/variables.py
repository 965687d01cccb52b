"""Variables: boxes around one tensor each.

A :class:`Variable` holds the state of a model (``v.value`` reads it, ``v.value = x``
replaces it). :class:`TrainVar` marks trainable state; its tensor is an
``nn.Parameter`` so that ``torch.optim`` and ``loss.backward()`` see it.
:class:`Parameter` is BrainPy's non-trainable parameter box.

A Variable works wherever a tensor does: Python operators, indexing and item
assignment, in-place operators, ``torch.*`` and ``torch.nn.functional.*`` (through
``__torch_function__``), NumPy conversion.

Where values live
-----------------
Outside any transform, ``v._value`` is the one tensor the Variable owns.

- A ``Variable`` (or ``Parameter``) has BrainPy's value semantics: ``v.value = x``,
  ``v.update(x)``, ``v[i] = x``, ``v += x`` and ``v.add_(x)`` give it a *new* tensor,
  detached from any autograd graph, so a tensor read before keeps its data (a
  monitor that appends ``v.value`` each step records every step; ``v_old = v.value``
  stays the old value). The old tensor is never written, so readers in other
  threads, and autograd graphs that saved it, see consistent values.
- A ``TrainVar`` keeps torch's semantics: its tensor is an ``nn.Parameter`` updated
  in place (data copied in), so ``torch.optim``, ``parameters()`` and anything else
  holding it stay valid.

While a transform runs, the calling thread has a *frame* (see
:mod:`bptorch.math.state`) through which every read and write of any Variable
goes: reads give the transform's own tensors, writes are recorded there and
handed back when the transform ends. Frames are per thread, so other threads
never see them. This module only knows that a frame may be there (``read``,
``peek`` and ``write``); what frames are is :mod:`bptorch.math.state`'s business.

Examples
--------
>>> import torch, bptorch.math as bm
>>> v = bm.Variable(bm.zeros(3))
>>> old = v.value
>>> v += 1
>>> v, old
(Variable(tensor([1., 1., 1.])), tensor([0., 0., 0.]))
>>> torch.tanh(v * 2).shape
torch.Size([3])
"""

from __future__ import annotations

import functools
import operator
import sys
import threading
from typing import Any

import numpy as np
import torch

from bptorch import _compat
from bptorch.errors import MathError
from bptorch.math import settings

__all__ = ['Variable', 'TrainVar', 'Parameter', 'as_tensor', 'unwrap', 'is_variable']


class _Context(threading.local):
    """The calling thread's innermost transform frame (None outside transforms)."""

    def __init__(self):
        self.top = None       # set per thread (dynamo guards on the instance's own dict)


context = _Context()
"""Per-thread: ``context.top`` is the innermost frame of :mod:`bptorch.math.state`, or None."""

# ---------------------------------------------------------------------------
# conversion of array-like data
# ---------------------------------------------------------------------------

_NUMPY_CANONICAL = {np.dtype('float64'): 'float', np.dtype('complex128'): 'complex'}


def _canonical_numpy_dtype(dtype: np.dtype) -> torch.dtype | None:
    kind = _NUMPY_CANONICAL.get(dtype)
    if kind == 'float':
        return settings.float_()
    if kind == 'complex':
        return settings.complex_()
    return None


def _python_scalar_dtype(x) -> torch.dtype:
    if isinstance(x, bool):
        return torch.bool
    if isinstance(x, int):
        return settings.int_()
    if isinstance(x, float):
        return settings.float_()
    return settings.complex_()


def _tensor_devices(seq, found: set) -> set:
    """The devices of the tensors and Variables in a (nested) list or tuple."""
    for e in seq:
        if isinstance(e, (torch.Tensor, Variable)):
            found.add(e.device)
        elif isinstance(e, (list, tuple)):
            _tensor_devices(e, found)
    return found


def _stack_list(items, dtype, devices: set) -> torch.Tensor:
    """Stack a (nested) list that holds tensors; differentiable, works in transforms."""
    if len(devices) > 1:
        raise ValueError(f'asarray: the list mixes devices {sorted(str(d) for d in devices)}; '
                         'move its elements to one device first')
    device = next(iter(devices))
    parts = [as_tensor(e, device=device) for e in items]
    if dtype is None:
        dtype = parts[0].dtype
        for p in parts[1:]:
            dtype = torch.promote_types(dtype, p.dtype)
    return torch.stack([p.to(dtype) for p in parts])


def as_tensor(x: Any, dtype: torch.dtype | None = None, device=None) -> torch.Tensor:
    """Convert array-like data to a tensor, as ``jnp.asarray`` would.

    Tensors keep their device and share memory when no conversion is needed.
    Variables give their current value. Python numbers and NumPy float64 data get
    the default float dtype (see :mod:`bptorch.math.settings`). Lists holding
    tensors (0-d included) are stacked, which also works inside transforms.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.asarray([torch.tensor(1.), torch.tensor(2.)])
    tensor([1., 2.])
    >>> bm.asarray(3).dtype
    torch.int64
    """
    if isinstance(x, torch.Tensor):
        t = x
    elif isinstance(x, Variable):
        t = x._read()
    elif isinstance(x, (bool, int, float, complex)):
        return torch.tensor(x, dtype=dtype or _python_scalar_dtype(x),
                            device=device if device is not None else settings.default_device())
    elif isinstance(x, (list, tuple)) and (devices := _tensor_devices(x, set())):
        t = _stack_list(x, dtype, devices)
    else:
        arr = np.asarray(x)
        if arr.dtype == object:
            raise TypeError(f'as_tensor: cannot convert {type(x).__name__} to a tensor')
        if dtype is None:
            dtype = _canonical_numpy_dtype(arr.dtype)
        t = torch.as_tensor(arr, device=device if device is not None else settings.default_device())
    if (dtype is not None and t.dtype != dtype) or (device is not None and t.device != torch.device(device)):
        t = t.to(dtype=dtype, device=device)
    return t


def unwrap(x: Any) -> Any:
    """The tensor behind a Variable; anything else unchanged (lists, tuples and dicts recursively).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> from bptorch.math.variables import unwrap
    >>> unwrap([bm.Variable(bm.ones(1)), 2])
    [tensor([1.]), 2]
    """
    if isinstance(x, Variable):
        return x._read()
    if type(x) in (list, tuple):
        return type(x)(unwrap(e) for e in x)
    if type(x) is dict:
        return {k: unwrap(e) for k, e in x.items()}
    return x


def is_variable(x: Any) -> bool:
    """Whether ``x`` is a :class:`Variable` (of any kind).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.is_variable(bm.TrainVar(bm.ones(1))), bm.is_variable(bm.ones(1))
    (True, False)
    """
    return isinstance(x, Variable)


# ---------------------------------------------------------------------------
# Variable
# ---------------------------------------------------------------------------

#: operators whose ``torch.Tensor`` method is a Python wrapper around one C function
_DIRECT = {'__rsub__': torch.rsub}


def _binary(name: str):
    op = _DIRECT.get(name) or getattr(torch.Tensor, name)

    def method(self, other):
        return op(self._read(), unwrap(other))
    method.__name__ = name
    return method


def _unary(name: str):
    op = getattr(torch.Tensor, name)

    def method(self):
        return op(self._read())
    method.__name__ = name
    return method


def _inplace(name: str, op):
    def method(self, other):
        self._assign(op(self._read(), unwrap(other)), inplace_op=name)
        return self
    method.__name__ = name
    return method


class _Value:
    """The ``value`` of a Variable: its tensor, or, inside a transform, the transform's.

    A data descriptor rather than a property: ``torch.compile`` traces its ``__set__``
    on every supported torch (some versions replay a property's setter after the
    compiled graph instead of tracing it).
    """

    __doc__ = """The current value (inside a transform: the transform's tensor).

    For a ``Variable`` (value semantics) this is a copy-on-write copy: free unless
    someone writes to it, and then the write goes to the copy, so a value read
    before never changes, ``v.value += x`` assigns ``v`` a new value as in BrainPy,
    and ``v.value[i] = x`` changes only the copy: write ``v[i] = x`` to assign.
    For a ``TrainVar`` it is the ``nn.Parameter`` itself.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> v = bm.Variable(bm.zeros(2))
    >>> old = v.value
    >>> v.value += 1
    >>> v.value, old
    (tensor([1., 1.]), tensor([0., 0.]))
    """

    def __get__(self, var, owner=None):
        if var is None:
            return self
        top = context.top
        t = var._value if top is None else top.read(var)
        return t if var._trainable else _compat.cow_copy(t)

    def __set__(self, var, new) -> None:
        var._assign(new)


class Variable:
    """A box around one tensor: the state of a model.

    Assignment gives the Variable a new value; a tensor read before keeps its data
    (BrainPy's semantics). A different shape, dtype or device is refused.

    Parameters
    ----------
    value : array_like
        The initial value; it is copied, so the Variable owns its data.
    dtype : torch.dtype, optional
        Convert the value to this dtype.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> v = bm.Variable([1., 2.])
    >>> v.value = bm.array([3., 4.])
    >>> v[0] = 0.
    >>> v.value
    tensor([0., 4.])
    >>> v.value = bm.zeros(3)
    Traceback (most recent call last):
    ...
    bptorch.errors.MathError: Variable.value: the new value has shape (3,) but the Variable has shape (2,); a Variable keeps its shape
    """

    __slots__ = ('_value', '__weakref__')
    _trainable = False

    value = _Value()

    def __init__(self, value: Any, dtype: torch.dtype | None = None):
        t = as_tensor(value, dtype=dtype)
        self._value = self._own(t.detach().clone())
        top = context.top
        if top is not None:       # made inside a transform: its own temporary
            top.made(self)

    @staticmethod
    def _own(t: torch.Tensor) -> torch.Tensor:
        return t

    def _read(self) -> torch.Tensor:
        """The current tensor itself (for bptorch's own reads that do not write it)."""
        top = context.top
        return self._value if top is None else top.read(self)

    def update(self, new: Any) -> None:
        """Replace the value (same as ``v.value = new``).

        Examples
        --------
        >>> import bptorch.math as bm
        >>> v = bm.Variable(bm.zeros(2))
        >>> v.update(bm.array([1., 2.]))
        >>> v
        Variable(tensor([1., 2.]))
        """
        self._assign(new)

    # -- assignment ----------------------------------------------------------
    def _convert(self, new: Any, current: torch.Tensor, inplace_op: str | None) -> torch.Tensor:
        """``new`` as a tensor that may replace ``current`` (same shape, dtype and device)."""
        if (type(new) is torch.Tensor and new.dtype == current.dtype
                and new.shape == current.shape and new.device == current.device):
            return new                                # the common case, checked first
        what = f'Variable.{inplace_op}' if inplace_op else 'Variable.value'
        if isinstance(new, Variable):
            new = new._read()
        if not isinstance(new, torch.Tensor):
            python_data = not isinstance(new, (np.ndarray, np.generic))
            new = as_tensor(new, device=current.device)
            if not python_data and new.device.type == 'cpu':
                new = new.clone()         # own the data (the array may change later)
            if python_data and new.dtype != current.dtype and torch.can_cast(new.dtype, current.dtype):
                new = new.to(current.dtype)
        elif inplace_op and new.dtype != current.dtype and torch.can_cast(new.dtype, current.dtype):
            new = new.to(current.dtype)  # in-place operators cast like torch's in-place ops
        if new.shape != current.shape:
            raise MathError(f'{what}: the new value has shape {tuple(new.shape)} but the Variable '
                            f'has shape {tuple(current.shape)}; a Variable keeps its shape')
        if new.dtype != current.dtype:
            raise MathError(f'{what}: the new value has dtype {new.dtype} but the Variable has '
                            f'dtype {current.dtype}; convert it first (x.to({current.dtype}))')
        if new.device != current.device:
            raise MathError(f'{what}: the new value is on device {new.device} but the Variable '
                            f'is on device {current.device}; move one of them first')
        return new

    def _assign(self, new: Any, inplace_op: str | None = None) -> None:
        top = context.top
        if top is None:
            self._store(self._convert(new, self._value, inplace_op))
        else:
            top.write(self, self._convert(new, top.peek(self), inplace_op))

    def _store(self, new: torch.Tensor) -> None:
        """Make ``new`` (checked) the stored value, outside transforms: a plain tensor
        outside autograd as it is; anything else detached (and copied if it shares a
        trainable tensor's memory, since that memory changes in place)."""
        if (type(new) is torch.Tensor and not new.requires_grad
                and (_compat.is_dynamo_compiling() or not new._is_view())):
            self._value = new      # a tensor of its own, outside autograd: kept as it is
        else:
            self._value = (new.detach().clone() if _compat.shares_trainable_memory(new)
                           else new.detach())

    # -- tensor protocol -----------------------------------------------------
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if _compat.is_dynamo_compiling() and _compat.is_reflected_operator(func):
            return func(*args)        # `variable OP tensor` while compiling (see _compat)
        name = getattr(func, '__name__', None)
        if name in _INPLACE_METHODS and args and isinstance(args[0], Variable) \
                and func is getattr(torch.Tensor, name, None):
            return args[0]._inplace_method(name, *args[1:], **(kwargs or {}))   # torch.add_(v, x)
        args = [a._read() if isinstance(a, Variable) else
                (unwrap(a) if type(a) in (list, tuple, dict) else a) for a in args]
        if kwargs:
            return func(*args, **unwrap(kwargs))
        return func(*args)

    def __getattr__(self, name: str):
        if name.startswith('__') or name == '_value':
            raise AttributeError(name)
        if name in _INPLACE_METHODS:
            return functools.partial(self._inplace_method, name)
        return getattr(self.value, name)

    def _inplace_method(self, name: str, *args, **kwargs) -> 'Variable':
        """``v.add_(x)``, ``v.fill_(0)``, ...: an assignment of the result, like ``v += x``.

        The op runs on a copy that is then assigned (a TrainVar outside transforms:
        on its parameter, in place, without a graph), so values read before keep
        their data, a transform sees the write, and an error changes nothing.
        """
        args, kwargs = unwrap(args), unwrap(kwargs)
        if self._trainable and context.top is None and name not in _RESHAPING_METHODS:
            with torch.no_grad():
                getattr(self._value, name)(*args, **kwargs)
            return self
        new = _compat.cow_copy(self._read())
        getattr(new, name)(*args, **kwargs)
        self._assign(new, inplace_op=name)
        return self

    def __setitem__(self, index, item) -> None:
        index, item = unwrap(index), unwrap(item)
        if self._trainable and context.top is None:
            with torch.no_grad():
                self._value[index] = item
            return
        new = _compat.cow_copy(self._read())
        new[index] = item
        self._assign(new)

    def __getitem__(self, index):
        return self.value[unwrap(index)]

    @property
    def shape(self) -> torch.Size:
        return self._read().shape

    @property
    def dtype(self) -> torch.dtype:
        return self._read().dtype

    @property
    def device(self) -> torch.device:
        return self._read().device

    @property
    def ndim(self) -> int:
        return self._read().dim()

    @property
    def T(self) -> torch.Tensor:
        return self.value.T

    def numpy(self) -> np.ndarray:
        """A NumPy copy of the value (detached, moved to the CPU).

        Examples
        --------
        >>> import bptorch.math as bm
        >>> bm.TrainVar(bm.ones(2)).numpy()
        array([1., 1.], dtype=float32)
        """
        return self._read().detach().cpu().numpy().copy()

    def tolist(self):
        return self._read().tolist()

    def detach(self) -> torch.Tensor:
        """The value, detached from any autograd graph (``Tensor.detach``).

        ``nn.Parameter(variable)`` is refused with a message that says what to write.
        """
        if sys._getframe(1).f_code is _PARAMETER_NEW:       # nn.Parameter(variable)
            if self._trainable:
                raise TypeError('nn.Parameter(trainvar): a TrainVar already holds an '
                                'nn.Parameter; use trainvar.value, or keep the TrainVar as an '
                                'attribute of a bp.Base (its parameter is then registered)')
            raise TypeError('nn.Parameter(variable): pass a tensor, nn.Parameter(variable.value), '
                            'or make it trainable with bm.TrainVar(variable)')
        return self.value.detach()

    def astype(self, dtype: torch.dtype) -> torch.Tensor:
        """The value converted to ``dtype`` (NumPy's name for ``.to(dtype)``)."""
        return self.value.to(dtype)

    def __array__(self, dtype=None, copy=None):
        arr = self.numpy()
        return arr if dtype is None else arr.astype(dtype)

    def __len__(self) -> int:
        return len(self._read())

    def __iter__(self):
        return iter(self.value)

    def __contains__(self, item) -> bool:
        return unwrap(item) in self._read()

    def __bool__(self) -> bool:
        return bool(self._read())

    def __float__(self) -> float:
        return float(self._read())

    def __int__(self) -> int:
        return int(self._read())

    def __complex__(self) -> complex:
        return complex(self._read())

    def __index__(self) -> int:
        return self._read().__index__()

    def __format__(self, spec: str) -> str:
        return self._read().__format__(spec)

    def __hash__(self) -> int:
        return object.__hash__(self)

    def __repr__(self) -> str:
        value = self._read()
        if isinstance(value, torch.nn.Parameter):
            value = value.data
        return f'{type(self).__name__}({value!r})'


#: tensor methods that change their tensor's data: on a Variable they assign
_INPLACE_METHODS = frozenset(
    n for n in dir(torch.Tensor) if n.endswith('_') and not n.startswith('_')
    and n not in ('requires_grad_', 'share_memory_', 'detach_', 'retain_grad_'))
#: in-place methods that may change the shape (refused by the Variable's check)
_RESHAPING_METHODS = frozenset(
    ('resize_', 'resize_as_', 'squeeze_', 'unsqueeze_', 't_', 'transpose_', 'swapdims_',
     'swapaxes_', 'as_strided_', 'set_')) & _INPLACE_METHODS

_PARAMETER_NEW = torch.nn.Parameter.__new__.__code__

_BINARY = ('__add__', '__radd__', '__sub__', '__rsub__', '__mul__', '__rmul__',
           '__truediv__', '__rtruediv__', '__floordiv__', '__rfloordiv__',
           '__mod__', '__rmod__', '__pow__', '__rpow__', '__matmul__', '__rmatmul__',
           '__and__', '__rand__', '__or__', '__ror__', '__xor__', '__rxor__',
           '__lshift__', '__rlshift__', '__rshift__', '__rrshift__',
           '__lt__', '__le__', '__gt__', '__ge__', '__eq__', '__ne__')
_UNARY = ('__neg__', '__pos__', '__abs__', '__invert__')
_INPLACE = (('__iadd__', operator.add), ('__isub__', operator.sub), ('__imul__', operator.mul),
            ('__itruediv__', operator.truediv), ('__ifloordiv__', operator.floordiv),
            ('__imod__', operator.mod), ('__ipow__', operator.pow),
            ('__imatmul__', operator.matmul), ('__iand__', operator.and_),
            ('__ior__', operator.or_), ('__ixor__', operator.xor),
            ('__ilshift__', operator.lshift), ('__irshift__', operator.rshift))
for _name in _BINARY:
    setattr(Variable, _name, _binary(_name))
for _name in _UNARY:
    setattr(Variable, _name, _unary(_name))
for _name, _op in _INPLACE:
    setattr(Variable, _name, _inplace(_name, _op))
del _name, _op


class TrainVar(Variable):
    """A trainable Variable: its tensor is an ``nn.Parameter`` (``requires_grad=True``),
    updated in place by assignment, as torch's optimizers update it.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> w = bm.TrainVar(bm.ones(2))
    >>> p = w.value
    >>> w.value = bm.zeros(2)
    >>> p is w.value, p.requires_grad
    (True, True)
    """

    __slots__ = ()
    _trainable = True

    @staticmethod
    def _own(t: torch.Tensor) -> torch.Tensor:
        if not (t.is_floating_point() or t.is_complex()):
            raise TypeError(f'TrainVar: a trainable value must be floating point or complex, '
                            f'got dtype {t.dtype}; use bm.Variable for integer state')
        if t.layout != torch.strided:
            raise TypeError(f'TrainVar: a trainable value must be a dense (strided) tensor, '
                            f'got layout {t.layout}; use bm.Variable for sparse state')
        return torch.nn.Parameter(t)

    def _store(self, new: torch.Tensor) -> None:
        """Copy ``new`` (checked) into the parameter, without a graph."""
        store = self._value
        if new is store:
            return
        with torch.no_grad():
            if _compat.overlaps(new, store):
                new = new.clone()    # e.g. w.value = w.value.T: never copy a tensor onto itself
            store.copy_(new)


class Parameter(Variable):
    """BrainPy's box for a fixed (non-trained) parameter of a model.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.Parameter(bm.ones(2)).value.requires_grad
    False
    """

    __slots__ = ()
