"""Finite differences, integration, interpolation and 1-D convolution over torch
(``bm.diff``, ``bm.gradient``, ``bm.trapz``, ``bm.interp``, ``bm.convolve``, ``bm.correlate``).

All are differentiable and vectorised, and run on the input's device.

Examples
--------
>>> import bptorch.math as bm
>>> bm.diff([1, 4, 9, 16])
tensor([3, 5, 7])
>>> bm.trapz([1., 2., 3.])
tensor(4.)
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor

from bptorch.math.ops import _to_float
from bptorch.math.variables import Variable, as_tensor

__all__ = ['diff', 'ediff1d', 'gradient', 'trapz', 'interp', 'convolve', 'correlate', 'unwrap']


def _on(x: Any, ref: Tensor) -> Tensor:
    return as_tensor(x, device=None if isinstance(x, (Tensor, Variable)) else ref.device)


def _end(x: Any, a: Tensor, axis: int) -> Tensor:
    """A ``prepend``/``append`` value shaped to join ``a`` along ``axis`` (scalars broadcast)."""
    t = _on(x, a).to(a.dtype)
    if t.ndim == 0:
        shape = list(a.shape)
        shape[axis] = 1
        t = t.expand(shape)
    return t


def diff(a: Any, n: int = 1, axis: int = -1, prepend: Any = None, append: Any = None) -> Tensor:
    """The ``n``-th discrete difference along ``axis`` (``numpy.diff``); ``prepend`` /
    ``append`` values (scalars broadcast) are joined first.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.diff([1, 4, 9, 16], n=2)
    tensor([2, 2])
    >>> bm.diff([[1., 3.], [4., 9.]], axis=0, prepend=0.)
    tensor([[1., 3.],
            [3., 6.]])
    """
    t = as_tensor(a)
    if n < 0:
        raise ValueError(f'diff: order must be non-negative, got n={n}')
    if n == 0:
        return t
    if t.ndim == 0:
        raise ValueError('diff: requires an input with at least one dimension')
    axis = axis % t.ndim
    pre = None if prepend is None else _end(prepend, t, axis)
    app = None if append is None else _end(append, t, axis)
    if t.dtype == torch.bool:  # NumPy: not_equal of neighbours
        t = torch.cat([x for x in (pre, t, app) if x is not None], dim=axis)
        for _ in range(n):
            t = t.narrow(axis, 1, t.shape[axis] - 1) != t.narrow(axis, 0, t.shape[axis] - 1)
        return t
    return torch.diff(t, n=n, dim=axis, prepend=pre, append=app)


def ediff1d(ary: Any, to_end: Any = None, to_begin: Any = None) -> Tensor:
    """Differences of consecutive elements of the flattened array, with ``to_begin`` /
    ``to_end`` values put around them (``numpy.ediff1d``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.ediff1d([[1, 2], [4, 7]], to_begin=-99, to_end=[88, 99])
    tensor([-99,   1,   2,   3,  88,  99])
    """
    t = as_tensor(ary).reshape(-1)
    d = t[1:] - t[:-1]
    parts = [d]
    if to_begin is not None:
        parts.insert(0, _on(to_begin, t).reshape(-1).to(d.dtype))
    if to_end is not None:
        parts.append(_on(to_end, t).reshape(-1).to(d.dtype))
    return torch.cat(parts)


def gradient(f: Any, *varargs: Any, axis: int | Sequence[int] | None = None,
             edge_order: int | None = None) -> Tensor | list[Tensor]:
    """The gradient by central differences inside, one-sided at the ends
    (``numpy.gradient``).

    ``varargs``: one spacing for all axes, one per axis, or coordinate arrays.
    ``edge_order`` 1 (default) or 2. One axis gives one array, several a list.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.gradient([1., 2., 4., 7., 11.])
    tensor([1.0000, 1.5000, 2.5000, 3.5000, 4.0000])
    >>> [g.shape for g in bm.gradient(bm.ones((2, 3)))]
    [torch.Size([2, 3]), torch.Size([2, 3])]
    """
    t = _to_float(as_tensor(f))
    if edge_order is None:
        edge_order = 1
    if edge_order not in (1, 2):
        raise ValueError(f"gradient: edge_order must be 1 or 2, got {edge_order}")
    if axis is None:
        axes = list(range(t.ndim))
    elif isinstance(axis, int):
        axes = [axis % t.ndim]
    else:
        axes = [a % t.ndim for a in axis]
    spacing: Any
    if not varargs:
        spacing = 1.0
    elif len(varargs) == 1 and not isinstance(varargs[0], (Tensor, Variable, list, tuple)) \
            and getattr(varargs[0], 'ndim', 0) == 0:
        spacing = float(varargs[0])
    else:
        if len(varargs) != len(axes):
            raise TypeError(f'gradient: give one spacing for all axes or one per axis '
                            f'({len(axes)}), got {len(varargs)}')
        spacing = []
        for v in varargs:
            vt = _on(v, t)
            spacing.append(vt.to(t.dtype) if vt.ndim else float(vt))
        if all(isinstance(s, float) for s in spacing):
            spacing = [float(s) for s in spacing]
        else:
            spacing = [s if isinstance(s, Tensor) else
                       torch.arange(t.shape[ax], dtype=t.dtype, device=t.device) * s
                       for s, ax in zip(spacing, axes)]
    out = torch.gradient(t, spacing=spacing, dim=axes, edge_order=edge_order)
    return out[0] if len(out) == 1 else list(out)


def trapz(y: Any, x: Any = None, dx: float = 1.0, axis: int = -1) -> Tensor:
    """The integral of ``y`` along ``axis`` by the trapezoidal rule, at sample points ``x``
    or spacing ``dx`` (``numpy.trapz``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.trapz([1., 2., 3.], x=[0., 2., 3.])
    tensor(5.5000)
    """
    t = _to_float(as_tensor(y))
    if x is None:
        return torch.trapezoid(t, dx=dx, dim=axis)
    return torch.trapezoid(t, _on(x, t).to(t.dtype), dim=axis)


def interp(x: Any, xp: Any, fp: Any, left: Any = None, right: Any = None,
           period: float | None = None) -> Tensor:
    """Piecewise-linear interpolation of the points ``(xp, fp)`` at ``x`` (``numpy.interp``).

    ``xp`` must increase (unless ``period`` is given); values below ``xp[0]`` give
    ``left`` (default ``fp[0]``), above ``xp[-1]`` give ``right`` (default ``fp[-1]``).
    With ``period``, ``x`` and ``xp`` are taken modulo it. Differentiable in ``x`` and ``fp``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.interp([0., 1.5, 2.5, 5.], [1., 2., 3.], [3., 2., 0.])
    tensor([3.0000, 2.5000, 1.0000, 0.0000])
    >>> bm.interp([-1., 11.], [0., 10.], [0., 1.], left=-5., right=5.)
    tensor([-5.,  5.])
    """
    xt = _to_float(as_tensor(x))
    xpt = _on(xp, xt).to(xt.dtype).reshape(-1)
    fpt = _on(fp, xt).reshape(-1)
    fpt = fpt if fpt.is_complex() else fpt.to(torch.promote_types(fpt.dtype, xt.dtype))
    if xpt.shape != fpt.shape or xpt.numel() == 0:
        raise ValueError(f'interp: xp and fp must be 1-D arrays of one non-zero length, got '
                         f'{tuple(xpt.shape)} and {tuple(fpt.shape)}')
    if period is not None:
        if period == 0:
            raise ValueError('interp: period must be a non-zero value')
        period = abs(period)
        xt = torch.remainder(xt, period)
        xpt = torch.remainder(xpt, period)
        order = torch.argsort(xpt)
        xpt, fpt = xpt[order], fpt[order]
        xpt = torch.cat([xpt[-1:] - period, xpt, xpt[:1] + period])
        fpt = torch.cat([fpt[-1:], fpt, fpt[:1]])
        left = right = None
    n = xpt.shape[0]
    if n == 1:
        r = fpt[0].expand(xt.shape).clone()
    else:
        idx = torch.clamp(torch.searchsorted(xpt, xt.contiguous(), right=True), 1, n - 1)
        x0, x1 = xpt[idx - 1], xpt[idx]
        f0, f1 = fpt[idx - 1], fpt[idx]
        dx = x1 - x0
        slope = (f1 - f0) / torch.where(dx == 0, 1, dx)
        r = torch.where(dx == 0, f1, f0 + slope * (xt - x0))
        r = torch.where(xt == xpt[-1], fpt[-1], r)
    lo = fpt[0] if left is None else _on(left, xt).to(r.dtype)
    hi = fpt[-1] if right is None else _on(right, xt).to(r.dtype)
    r = torch.where(xt < xpt[0], lo, r)
    return torch.where(xt > xpt[-1], hi, r)


def _conv_full(a: Tensor, v: Tensor) -> Tensor:
    """The full 1-D convolution of real 1-D tensors (``len(a) + len(v) - 1`` values)."""
    m = v.shape[0]
    out = F.conv1d(a.reshape(1, 1, -1), torch.flip(v, (0,)).reshape(1, 1, -1), padding=m - 1)
    return out.reshape(-1)


def _convolve(a: Tensor, v: Tensor, mode: str) -> Tensor:
    if mode not in ('full', 'same', 'valid'):
        raise ValueError(f"convolve(mode): expected 'full', 'same' or 'valid', got {mode!r}")
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError(f'convolve: a and v must be 1-D, got shapes {tuple(a.shape)} and '
                         f'{tuple(v.shape)}')
    if a.numel() == 0 or v.numel() == 0:
        raise ValueError('convolve: a and v must not be empty')
    if v.shape[0] > a.shape[0]:
        a, v = v, a
    integral = not (a.is_floating_point() or a.is_complex() or v.is_floating_point() or v.is_complex())
    dt = torch.promote_types(a.dtype, v.dtype)
    work = torch.float64 if integral else dt
    a, v = a.to(work), v.to(work)
    if work.is_complex:
        full = torch.complex(_conv_full(a.real, v.real) - _conv_full(a.imag, v.imag),
                             _conv_full(a.real, v.imag) + _conv_full(a.imag, v.real))
    else:
        full = _conv_full(a, v)
    n, m = a.shape[0], v.shape[0]
    if mode == 'same':
        start = (m - 1) // 2
        full = full[start:start + n]
    elif mode == 'valid':
        full = full[m - 1:n]
    return torch.round(full).to(dt) if integral else full


def convolve(a: Any, v: Any, mode: str = 'full') -> Tensor:
    """The discrete linear convolution of two 1-D arrays (``numpy.convolve``):
    ``mode='full'`` (``N + M - 1`` values), ``'same'`` (``max(N, M)``) or ``'valid'``
    (``max(N, M) - min(N, M) + 1``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.convolve([1., 2., 3.], [0., 1., 0.5])
    tensor([0.0000, 1.0000, 2.5000, 4.0000, 1.5000])
    >>> bm.convolve([1, 2, 3], [0, 1], mode='valid')
    tensor([1, 2])
    """
    at = as_tensor(a)
    return _convolve(at, _on(v, at), mode)


def correlate(a: Any, v: Any, mode: str = 'valid') -> Tensor:
    """The cross-correlation of two 1-D arrays, ``c[k] = sum_n a[n + k] * conj(v[n])``
    (``numpy.correlate``; modes as :func:`convolve`, default ``'valid'``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.correlate([1., 2., 3.], [0., 1., 0.5])
    tensor([3.5000])
    >>> bm.correlate([1., 2., 3.], [0., 1., 0.5], mode='full')
    tensor([0.5000, 2.0000, 3.5000, 3.0000, 0.0000])
    """
    at = as_tensor(a)
    vt = _on(v, at)
    if at.ndim == 1 and vt.ndim == 1 and vt.shape[0] > at.shape[0]:
        # NumPy: correlate(a, v) is correlate(v, a) reversed and conjugated
        r = _convolve(vt, torch.flip(torch.conj_physical(at) if at.is_complex() else at, (0,)), mode)
        r = torch.flip(r, (0,))
        return torch.conj_physical(r) if r.is_complex() else r
    return _convolve(at, torch.flip(torch.conj_physical(vt) if vt.is_complex() else vt, (0,)), mode)


def unwrap(p: Any, discont: float | None = None, axis: int = -1, *,
           period: float = 2 * math.pi) -> Tensor:
    """Phase unwrapping (``numpy.unwrap``, BrainPy 2.1's ``bm.unwrap``): jumps between
    neighbours along ``axis`` larger than ``max(discont, period / 2)`` are replaced by
    their ``period``-complement. Integers give the default float. Differentiable.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.unwrap([0., 3., 6.5, 3.])
    tensor([0.0000, 3.0000, 0.2168, 3.0000])
    >>> bm.unwrap([0, 1, 2, 3, 0, 1], period=4)
    tensor([0., 1., 2., 3., 4., 5.])
    """
    t = _to_float(as_tensor(p))
    if t.ndim == 0:
        return t
    axis = axis % t.ndim
    n = t.shape[axis]
    if n < 2:
        return t
    dd = torch.diff(t, dim=axis)
    half = period / 2
    if discont is None:
        discont = half
    ddmod = torch.remainder(dd + half, period) - half
    ddmod = torch.where((ddmod == -half) & (dd > 0), half, ddmod)
    correct = torch.where(torch.abs(dd) < discont, 0.0, ddmod - dd)
    first = t.narrow(axis, 0, 1)
    return torch.cat([first, t.narrow(axis, 1, n - 1) + torch.cumsum(correct, dim=axis)], dim=axis)
