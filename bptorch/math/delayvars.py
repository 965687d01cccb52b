"""Delay variables: ``bm.LengthDelay`` and ``bm.TimeDelay`` (BrainPy 2.1.12's
``brainpy.math.delayvars``).

A delay keeps the recent history of a tensor in a ring buffer ``data`` (a
:class:`~bptorch.math.Variable` of shape ``(num_delay_step,) + shape``) with a write
position ``idx``. :class:`LengthDelay` is read by a number of steps,
:class:`TimeDelay` by a time (with linear interpolation or rounding between steps).
Both are ``bp.Base`` objects: their Variables appear in ``vars()``, ``state_dict()``,
move with ``.to()`` and are seen by every transform.

BrainPy 2.1.12's conventions
----------------------------
- ``LengthDelay(target, delay_len)`` holds ``delay_len + 1`` entries; ``delay(0)`` is
  the value written last (the target itself right after construction) and
  ``delay(d)`` the value written ``d`` updates before it. ``update(value)`` writes
  ``value`` and advances the write position.
- ``TimeDelay(target, delay_len, t0=0., dt=dt)`` holds ``ceil(delay_len / dt) + 1``
  entries, the last one (the target) at time ``t0``; ``delay(t)`` is the value at
  time ``t`` (``current_time - delay_len <= t <= current_time``), and
  ``update(time, value)`` records ``value`` at ``time``. Before ``t0`` it gives
  ``before_t0`` (data, or a function of the time).
- ``NeuLenDelay`` / ``NeuTimeDelay`` (neutral delays) are aliases.

The cost of a step
------------------
With BrainPy's value semantics, ``data[idx] = x`` on a Variable copies the whole
buffer. A delay instead writes its row in place (one ``index_copy_`` of one row)
whenever that is safe: into a buffer tensor the delay made itself (after ``.to()``,
``load_state_dict`` or an assignment by the user, the first write copies once), when
neither the buffer nor the value takes part in autograd, and when no ``torch.func``
transform (``bm.vmap``, functional ``bm.grad``) or ``torch.compile`` trace (``bm.jit``)
runs. Otherwise the write is functional (``index_copy``, a new buffer), as those
transforms need; retrievals always return new tensors (never views of the buffer).

Measured with ``benchmarks/bench_dyn.py`` (CPU, one thread, torch 2.13, float32, rows
of 4000 values): an eager ``update`` costs about 40 us whatever the length (11 us of
it the one-row ``index_copy_``, 9 us advancing the position, the rest Python), while
the functional write costs 95 us for 101 rows and 3.7 ms for 1001 rows (it copies the
buffer); a retrieval costs about 30 us. Because the buffer is written in place, a
tensor read from ``delay.data`` (rather than through ``delay(...)``) sees later
updates: copy it (``.clone()``) to keep it.

Differences from BrainPy 2.1.12
--------------------------------
- ``TimeDelay`` counts the requested time from the oldest stored entry at
  ``current_time - (num_delay_step - 1) * dt`` (BrainPy uses ``delay_len``, which is
  off by up to a step when ``delay_len`` is not a multiple of ``dt``), and wraps
  every index around the ring (BrainPy's exact-step branch does not, and JAX
  clamps).
- Time-window checks (BrainPy's ``check.is_checking()`` mode) are not done: they
  would synchronise with the device every call.
- A time may also be a 1-d tensor with one time per element of the leading axis.

Examples
--------
>>> import bptorch.math as bm
>>> x = bm.Variable(bm.zeros(2))
>>> delay = bm.LengthDelay(x, delay_len=2)
>>> for step in range(1, 4):
...     delay.update(bm.ones(2) * step)
>>> delay(0), delay(2)
(tensor([3., 3.]), tensor([1., 1.]))
"""

from __future__ import annotations

import math
import numbers
import warnings
import weakref
from typing import Any, Callable

import numpy as np
import torch

from bptorch.base.base import Base
from bptorch.errors import UnsupportedError
from bptorch.math import settings
from bptorch.math.state import in_transform
from bptorch.math.variables import Variable, as_tensor

__all__ = ['AbstractDelay', 'TimeDelay', 'FixedLenDelay', 'LengthDelay', 'NeuTimeDelay', 'NeuLenDelay', 'write_rows']

_INTERP_LINEAR = 'linear_interp'
_INTERP_ROUND = 'round'


def _target_tensor(delay_target: Any, what: str) -> torch.Tensor:
    if isinstance(delay_target, Variable):
        return delay_target.value
    if isinstance(delay_target, torch.Tensor):
        return delay_target
    if isinstance(delay_target, np.ndarray):
        return as_tensor(delay_target)
    raise ValueError(f'{what}: "delay_target" must be a tensor, a bm.Variable or a NumPy array, '
                     f'but we got {type(delay_target).__name__}')


def _index(i: Any, device) -> Any:
    """An index for a retrieval: ints, slices and None as they are, the rest as tensors."""
    if i is None or isinstance(i, (int, slice, type(Ellipsis))):
        return i
    return as_tensor(i, device=device)


def _fill_like(like: torch.Tensor, x: Any) -> torch.Tensor:
    """``x`` (a number or a tensor with one element) in a tensor shaped like ``like``."""
    if isinstance(x, Variable):
        x = x.value
    if isinstance(x, torch.Tensor):
        return x.reshape(()).to(device=like.device, dtype=like.dtype).expand(like.shape).clone()
    return torch.full_like(like, x)


def _in_place_ok(owner: Any, buf: torch.Tensor, value: torch.Tensor) -> bool:
    """Whether ``owner`` may write ``value`` into its buffer ``buf`` in place (see the
    module docs): it made ``buf`` itself, neither takes part in autograd, and no
    ``torch.func`` transform or ``torch.compile`` trace is running."""
    if buf.requires_grad or value.requires_grad:
        return False
    if in_transform():
        return False          # inside a transform or loop: a functional write (it may be undone)
    own = owner.__dict__.get('_own_buffer')
    return own is not None and own() is buf


def write_rows(owner: Any, var: Variable, index: tuple, value: Any, rows: bool = False) -> None:
    """``var[index] = value`` for a buffer that ``owner`` keeps: in place when that is
    safe (one small indexed write), else functionally (a new buffer, which ``owner``
    then owns: ``owner._own_buffer`` is a weak reference to it).

    ``rows=True``: ``index`` is ``(positions,)`` (a 1-d integer tensor) and ``value`` one
    row (written with ``index_copy``); otherwise ``index`` is a tuple of index tensors
    (written with ``index_put``).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> from bptorch.math.delayvars import write_rows
    >>> class Owner: pass
    >>> owner, buf = Owner(), bm.Variable(bm.zeros((3, 2)))
    >>> write_rows(owner, buf, (torch.tensor([1]),), bm.ones(2), rows=True)
    >>> buf.value
    tensor([[0., 0.],
            [1., 1.],
            [0., 0.]])
    """
    buf = var._read()
    value = as_tensor(value, device=buf.device)
    if value.dtype != buf.dtype:
        value = value.to(buf.dtype)
    if _in_place_ok(owner, buf, value):
        if rows:
            buf.index_copy_(0, index[0], value.unsqueeze(0))
        else:
            buf.index_put_(index, value)
        return
    if rows:
        var.value = buf.index_copy(0, index[0], value.unsqueeze(0))
    else:
        var.value = buf.index_put(index, value)
    owner.__dict__['_own_buffer'] = weakref.ref(var._read())


class AbstractDelay(Base):
    """Base class of delay variables.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> issubclass(bm.LengthDelay, bm.AbstractDelay)
    True
    """

    def update(self, *args, **kwargs):
        raise NotImplementedError


class _RingBuffer(AbstractDelay):
    """The ring buffer shared by the delays: ``data`` rows, write position ``idx``."""

    def __getstate__(self):
        """Pickled without the weak references (a copy's first write copies its buffer)."""
        state = super().__getstate__() if hasattr(super(), '__getstate__') else self.__dict__
        return {k: v for k, v in state.items() if k not in ('_own_buffer', '_target')}

    def _new_buffer(self, tensor: torch.Tensor) -> None:
        """Make ``tensor`` the buffer (a new Variable when the shape or dtype changes)."""
        data = self.__dict__.get('data')
        if isinstance(data, Variable) and (data.shape, data.dtype, data.device) == \
                (tensor.shape, tensor.dtype, tensor.device):
            data.value = tensor
        else:
            self.data = Variable(tensor)
        self.__dict__['_own_buffer'] = weakref.ref(self.data._read())

    def _new_index(self, device: torch.device) -> None:
        zero = torch.zeros(1, dtype=torch.int64, device=device)
        idx = self.__dict__.get('idx')
        if isinstance(idx, Variable) and idx.device == device:
            idx.value = zero
        else:
            self.idx = Variable(zero)

    def _write(self, value: Any) -> None:
        """Write ``value`` at the write position and advance it: one row's work."""
        buf = self.data._read()
        value = as_tensor(value, device=buf.device)
        if tuple(value.shape) != tuple(buf.shape[1:]):
            raise ValueError(f'{type(self).__name__}.update: the value shape should be '
                             f'{tuple(buf.shape[1:])}, but we got {tuple(value.shape)}')
        idx = self.idx._read()
        write_rows(self, self.data, (idx,), value, rows=True)
        self.idx.value = torch.remainder(idx + 1, buf.shape[0])

    def _row(self, position: torch.Tensor, indices: tuple = ()) -> torch.Tensor:
        """The row at ``position`` (shape ``(1,)``), as a new tensor (never a view of the
        buffer), then ``[indices]``."""
        out = self.data._read().index_select(0, position)[0]
        return out[indices] if indices else out

    def _rows_per_element(self, positions: torch.Tensor) -> torch.Tensor:
        """``data[positions[i], i]`` for each ``i`` of the leading axis (a new tensor)."""
        buf = self.data._read()
        if positions.dim() != 1 or positions.shape[0] != buf.shape[1]:
            raise ValueError(f'{type(self).__name__}: the requested time must be a number or '
                             f'hold one time per element of the leading axis '
                             f'({buf.shape[1]}), but it has shape {tuple(positions.shape)}')
        return buf[positions, torch.arange(positions.shape[0], device=positions.device)]


class LengthDelay(_RingBuffer):
    """A delay read by a number of steps (BrainPy's ``bm.LengthDelay``).

    Parameters
    ----------
    delay_target : tensor, Variable
        The data to delay (its shape, dtype and device are the buffer's); it is also
        the value at delay 0 until the first update.
    delay_len : int
        The maximum delay, in steps (the buffer holds ``delay_len + 1`` entries).
    initial_delay_data : number, tensor or callable, optional
        The older entries: a value, or ``f(shape, dtype=dtype)`` giving them
        (``(delay_len,) + shape``). Zeros by default.
    name : str, optional
        The object's name.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> v = bm.Variable(bm.zeros(3))
    >>> delay = bm.LengthDelay(v, delay_len=10, initial_delay_data=-1.)
    >>> delay(10), delay(0)
    (tensor([-1., -1., -1.]), tensor([0., 0., 0.]))
    >>> delay.update(bm.arange(3.))
    >>> delay(1), delay(0)
    (tensor([0., 0., 0.]), tensor([0., 1., 2.]))
    >>> delay(bm.asarray([0, 1, 10]), bm.arange(3))    # one delay per element
    tensor([ 0.,  0., -1.])
    """

    def __init__(self, delay_target: Any, delay_len: int,
                 initial_delay_data: Any = None, name: str | None = None):
        super().__init__(name=name)
        self.num_delay_step: int | None = None
        self.shape: tuple | None = None
        self.reset(delay_target, delay_len, initial_delay_data)

    def reset(self, delay_target: Any, delay_len: int | None = None,
              initial_delay_data: Any = None) -> None:
        """Start again from ``delay_target`` (and, if given, a new maximum delay).

        Examples
        --------
        >>> import bptorch.math as bm
        >>> delay = bm.LengthDelay(bm.zeros(2), 3)
        >>> delay.update(bm.ones(2)); delay.reset(bm.ones(2) * 5, 4)
        >>> delay.num_delay_step, delay(0), delay(4)
        (5, tensor([5., 5.]), tensor([0., 0.]))
        """
        target = _target_tensor(delay_target, 'LengthDelay')
        if delay_len is None:
            if self.num_delay_step is None:
                raise ValueError('LengthDelay: "delay_len" must be given (an int >= 0)')
            delay_len = self.num_delay_step - 1
        if isinstance(delay_len, bool) or not isinstance(delay_len, numbers.Integral):
            raise ValueError(f'LengthDelay: "delay_len" must be an int >= 0, '
                             f'but we got {delay_len!r}')
        delay_len = int(delay_len)
        if delay_len < 0:
            raise ValueError(f'LengthDelay: "delay_len" must be an int >= 0, '
                             f'but we got {delay_len}')
        self.shape = tuple(target.shape)
        self.num_delay_step = delay_len + 1
        data = torch.zeros((self.num_delay_step,) + self.shape, dtype=target.dtype,
                           device=target.device)
        data[-1] = target.detach()
        if initial_delay_data is None:
            pass
        elif isinstance(initial_delay_data, (numbers.Number, torch.Tensor, np.ndarray, Variable)):
            data[:-1] = as_tensor(initial_delay_data, device=target.device).to(target.dtype)
        elif callable(initial_delay_data):
            data[:-1] = as_tensor(initial_delay_data((delay_len,) + self.shape, dtype=target.dtype),
                                  device=target.device).to(target.dtype)
        else:
            raise ValueError(f'LengthDelay: "initial_delay_data" does not support '
                             f'{type(initial_delay_data).__name__}')
        self._new_buffer(data)
        self._new_index(target.device)

    def __call__(self, delay_len: Any, *indices: Any) -> torch.Tensor:
        """The data ``delay_len`` updates ago (an int, or an integer tensor of per-element
        delays used with ``indices``)."""
        n = self.num_delay_step
        if isinstance(delay_len, numbers.Integral) and not isinstance(delay_len, bool):
            if not 0 <= delay_len < n:
                raise ValueError(f'LengthDelay: the requested delay length should be in '
                                 f'[0, {n - 1}], but we got {delay_len}')
            position = torch.remainder(self.idx.value - (int(delay_len) + 1), n)
            return self._row(position, tuple(_index(i, position.device) for i in indices))
        else:
            delay_len = as_tensor(delay_len, device=self.idx.device)
            if delay_len.is_floating_point() or delay_len.is_complex() \
                    or delay_len.dtype == torch.bool:
                raise ValueError(f'LengthDelay: "delay_len" must be integer, but we got dtype '
                                 f'{delay_len.dtype}')
            positions = torch.remainder(self.idx.value[0] - delay_len.to(torch.int64) - 1, n)
            indices = tuple(_index(i, positions.device) for i in indices)
            if positions.dim() == 0:
                return self._row(positions.reshape(1), indices)
            return self.data.value[(positions,) + indices]

    retrieve = __call__

    def update(self, value: Any) -> None:
        """Record ``value`` (the new delay-0 entry)."""
        self._write(value)


class NeuLenDelay(LengthDelay):
    """Neutral length delay: an alias of :class:`LengthDelay`.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.NeuLenDelay(bm.zeros(1), 2)(2)
    tensor([0.])
    """


class TimeDelay(_RingBuffer):
    """A delay read by time (BrainPy's ``bm.TimeDelay``).

    Parameters
    ----------
    delay_target : tensor, Variable
        The data at ``t0`` (its shape, dtype and device are the buffer's).
    delay_len : float
        The maximum delay (a time).
    before_t0 : callable, tensor or number, optional
        The data before ``t0``: a function of the time, or data for every older entry
        (zeros by default).
    t0 : float
        The time of ``delay_target``.
    dt : float, optional
        The time step (``bm.get_dt()`` by default).
    name : str, optional
        The object's name.
    interp_method : {'linear_interp', 'round'}
        Between two stored times: interpolate linearly, or take the nearest step.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> delay = bm.TimeDelay(bm.zeros(2), delay_len=1., dt=0.1, before_t0=lambda t: t)
    >>> delay(-0.2)
    tensor([-0.2000, -0.2000])
    >>> for i in range(1, 11):
    ...     delay.update(i * 0.1, bm.ones(2) * i)
    >>> delay(0.55), delay(1.0)
    (tensor([5.5000, 5.5000]), tensor([10., 10.]))
    """

    def __init__(self, delay_target: Any, delay_len: float, before_t0: Any = None,
                 t0: float = 0., dt: float | None = None, name: str | None = None,
                 interp_method: str = _INTERP_LINEAR):
        super().__init__(name=name)
        target = _target_tensor(delay_target, 'TimeDelay')
        self.shape = tuple(target.shape)
        self.dt = settings.get_dt() if dt is None else dt
        _check_time(self.dt, 'dt', positive=True)
        _check_time(t0, 't0', nonnegative=False)
        if interp_method not in (_INTERP_LINEAR, _INTERP_ROUND):
            raise UnsupportedError(f'Un-supported interpolation method {interp_method}, '
                                   f'we only support: {[_INTERP_LINEAR, _INTERP_ROUND]}')
        self.interp_method = interp_method
        self._before_t0 = None
        self._set_data(target, delay_len, t0, before_t0, first=True)

    def _set_data(self, target: torch.Tensor, delay_len: Any, t0: Any, before_t0: Any,
                  first: bool = False) -> None:
        _check_time(delay_len, 'delay_len')
        self.t0 = t0
        self.delay_len = delay_len
        self.num_delay_step = int(math.ceil(delay_len / self.dt)) + 1
        data = torch.zeros((self.num_delay_step,) + self.shape, dtype=target.dtype,
                           device=target.device)
        if before_t0 is None:
            if first:
                self._before_t0 = None
        elif callable(before_t0) and not isinstance(before_t0, (torch.Tensor, Variable)):
            if not first:
                raise ValueError('TimeDelay.reset: "before_t0" must be numerical data '
                                 '(a function is given at construction)')
            self._before_t0 = before_t0
        elif isinstance(before_t0, (numbers.Number, torch.Tensor, np.ndarray, Variable)):
            data[:-1] = as_tensor(before_t0, device=target.device).to(target.dtype)
            self._before_t0 = None
        else:
            raise ValueError(f'TimeDelay: "before_t0" does not support {type(before_t0).__name__}')
        data[-1] = target.detach()
        self._new_buffer(data)
        self._new_index(target.device)
        now = torch.full((1,), float(t0), dtype=settings.float_(), device=target.device)
        if isinstance(self.__dict__.get('current_time'), Variable) \
                and self.current_time.device == target.device:
            self.current_time.value = now.to(self.current_time.dtype)
        else:
            self.current_time = Variable(now)

    def reset(self, delay_target: Any, delay_len: float, t0: float = 0.,
              before_t0: Any = None) -> None:
        """Start again from ``delay_target`` at ``t0`` with maximum delay ``delay_len``.

        Examples
        --------
        >>> import bptorch.math as bm
        >>> delay = bm.TimeDelay(bm.zeros(1), 1., dt=0.5)
        >>> delay.reset(bm.ones(1), 2., t0=1., before_t0=-1.)
        >>> delay.num_delay_step, delay(1.), delay(-1.)
        (5, tensor([1.]), tensor([-1.]))
        """
        target = _target_tensor(delay_target, 'TimeDelay')
        if tuple(target.shape) != self.shape:
            self.shape = tuple(target.shape)
        self._set_data(target, delay_len, t0, before_t0)

    def __call__(self, time: Any, indices: Any = None) -> torch.Tensor:
        """The data at ``time`` (a number, a 0-d tensor, or one time per element of the
        leading axis)."""
        if self._before_t0 is None:
            res = self._after_t0(time)
        elif isinstance(time, numbers.Real):
            res = self._before(time) if time < self.t0 else self._after_t0(time)
        else:
            time_t = as_tensor(time, device=self.data.device)
            before, after = self._before(time_t), self._after_t0(time_t)
            cond = time_t < self.t0
            if cond.dim() == 1:
                cond = cond.reshape((-1,) + (1,) * (len(self.shape) - 1))
            res = torch.where(cond, before.to(after.dtype), after)
        if indices is not None:
            res = res[indices]
        return res

    retrieve = __call__

    def _before(self, time: Any) -> torch.Tensor:
        out = as_tensor(self._before_t0(time), device=self.data.device)
        return torch.broadcast_to(out.to(self.data.dtype), self.shape)

    def _after_t0(self, time: Any) -> torch.Tensor:
        n, dt = self.num_delay_step, self.dt
        time = as_tensor(time, device=self.data.device)
        if not time.is_floating_point():
            time = time.to(self.current_time.dtype)
        one = time.dim() == 0
        if not one and time.dim() != 1:
            raise ValueError(f'TimeDelay: the requested time must be a number or a 1-d tensor, '
                             f'but it has shape {tuple(time.shape)}')
        # the offset from the oldest stored entry, in time (shape (1,) for one time)
        offset = (n - 1) * dt - (self.current_time.value - time)
        start = self.idx.value
        take = self._row if one else self._rows_per_element
        if self.interp_method == _INTERP_ROUND:
            steps = torch.round(offset / dt).to(torch.int64)
            return take(torch.remainder(start + steps, n))
        steps = torch.floor(offset / dt)
        weight = ((offset - steps * dt) / dt).clamp(0., 1.)
        steps = steps.to(torch.int64)
        lower = take(torch.remainder(start + steps, n))
        upper = take(torch.remainder(start + steps + 1, n))
        if not lower.is_floating_point():
            lower, upper = lower.to(weight.dtype), upper.to(weight.dtype)
        weight = weight.reshape((() if one else (-1,)) + (1,) * (lower.dim() - (0 if one else 1)))
        return lower + (upper - lower) * weight.to(lower.dtype)

    def update(self, time: Any, value: Any) -> None:
        """Record ``value`` at ``time`` (the new current time)."""
        self._write(value)
        self.current_time.value = _fill_like(self.current_time.value, time)


class NeuTimeDelay(TimeDelay):
    """Neutral time delay: an alias of :class:`TimeDelay`.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.NeuTimeDelay(bm.ones(1), 1., dt=0.5)(0.)
    tensor([1.])
    """


def FixedLenDelay(shape: Any, delay_len: float, before_t0: Any = None, t0: float = 0.,
                  dt: float | None = None, name: str | None = None,
                  interp_method: str = _INTERP_LINEAR) -> TimeDelay:
    """BrainPy 2.1's deprecated spelling of a :class:`TimeDelay` of zeros of ``shape``.

    .. deprecated:: 2.1.2 (BrainPy)
       Use ``bm.TimeDelay(bm.zeros(shape), delay_len, ...)``.

    Examples
    --------
    >>> import warnings
    >>> import bptorch.math as bm
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter('ignore', DeprecationWarning)
    ...     d = bm.FixedLenDelay((2,), delay_len=1., dt=0.1)
    >>> type(d).__name__, d(0.).shape
    ('TimeDelay', torch.Size([2]))
    """
    warnings.warn('bm.FixedLenDelay is deprecated since BrainPy 2.1.2: use bm.TimeDelay',
                  DeprecationWarning, stacklevel=2)
    return TimeDelay(torch.zeros(shape, dtype=settings.float_()), delay_len, before_t0=before_t0,
                     t0=t0, dt=dt, name=name, interp_method=interp_method)


def _check_time(x: Any, name: str, positive: bool = False, nonnegative: bool = True) -> None:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise ValueError(f'TimeDelay: "{name}" must be a float or an int, but we got {x!r}')
    if (nonnegative and x < 0) or (positive and x == 0):
        raise ValueError(f'TimeDelay: "{name}" must be {"> 0" if positive else ">= 0"}, '
                         f'but we got {x}')
