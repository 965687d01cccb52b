"""NumPy's array-manipulation functions over torch: joining, inserting, deleting,
padding, rotating and applying functions along axes (``bm.append``, ``bm.insert``,
``bm.pad``, ``bm.block``, ``bm.apply_along_axis``, ``bm.piecewise``...).

Results are new tensors; everything except the value-dependent ``trim_zeros`` and
the bool-mask forms of ``delete`` works inside ``torch.func`` transforms.

Examples
--------
>>> import bptorch.math as bm
>>> bm.append([1, 2], [[3, 4]])
tensor([1, 2, 3, 4])
>>> bm.pad([1, 2], 1, mode='edge')
tensor([1, 1, 2, 2])
"""

from __future__ import annotations

import builtins
from typing import Any, Callable, Sequence

import numpy as np
import torch
from torch import Tensor

from bptorch.math.ops import _shape_tuple, array_split, concatenate, vstack
from bptorch.math.variables import Variable, as_tensor

__all__ = [
    'append', 'insert', 'delete', 'resize', 'rot90', 'rollaxis', 'fliplr', 'flipud', 'hsplit',
    'vsplit', 'dsplit', 'row_stack', 'block', 'pad', 'trim_zeros', 'apply_along_axis',
    'apply_over_axes', 'piecewise',
]


def _on(x: Any, ref: Tensor) -> Tensor:
    return as_tensor(x, device=None if isinstance(x, (Tensor, Variable)) else ref.device)


def _axis(name: str, axis: int, ndim: int) -> int:
    if not -ndim <= axis < ndim:
        raise ValueError(f'{name}: axis {axis} is out of bounds for an array of dimension {ndim}')
    return axis % ndim


def append(arr: Any, values: Any, axis: int | None = None) -> Tensor:
    """``values`` joined to the end of ``arr`` (``numpy.append``): both flattened when
    ``axis`` is None, else joined along ``axis`` (shapes must match elsewhere).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.append([[1, 2]], [[3, 4]], axis=0)
    tensor([[1, 2],
            [3, 4]])
    """
    a = as_tensor(arr)
    v = _on(values, a)
    if axis is None:
        return concatenate([a.reshape(-1), v.reshape(-1)])
    return concatenate([a, v], axis=axis)


def _index_list(obj: Any, n: int, ref: Tensor) -> Tensor:
    """``obj`` (an int, a slice or a sequence of ints) as an int64 index tensor into ``range(n)``."""
    if isinstance(obj, slice):
        return torch.arange(n, device=ref.device)[obj]
    t = _on(obj, ref)
    if t.dtype == torch.bool:
        raise TypeError('an index array must hold integers here, not booleans')
    return t.to(torch.int64)


def insert(arr: Any, obj: Any, values: Any, axis: int | None = None) -> Tensor:
    """``values`` inserted before the indices ``obj`` along ``axis`` (the flattened array if
    None) (``numpy.insert``).

    An int ``obj`` inserts all of ``values`` (broadcast to the slice shape) there; a
    sequence or slice inserts one slice before each index, indices referring to the
    original array.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.insert([1, 2, 3], 1, 9)
    tensor([1, 9, 2, 3])
    >>> bm.insert([1, 2, 3], [0, 3], [7, 8])
    tensor([7, 1, 2, 3, 8])
    >>> bm.insert([[1, 2], [3, 4]], 1, [5, 6], axis=1)
    tensor([[1, 5, 2],
            [3, 6, 4]])
    """
    a = as_tensor(arr)
    if axis is None:
        a, axis = a.reshape(-1), 0
    axis = _axis('insert', axis, a.ndim)
    n = a.shape[axis]
    vals = _on(values, a).to(a.dtype)
    idx = _index_list(obj, n, a)
    if vals.ndim < a.ndim:  # NumPy's ndmin
        vals = vals.reshape((1,) * (a.ndim - vals.ndim) + tuple(vals.shape))
    shape = list(a.shape)
    if idx.numel() == 1:
        i = int(idx.reshape(()))
        if not -n <= i <= n:
            raise IndexError(f'insert: index {i} is out of bounds for axis {axis} with size {n}')
        i = i + n if i < 0 else i
        if idx.ndim == 0:  # a scalar index inserts along the values' first axis
            vals = vals.movedim(0, axis)
        shape[axis] = vals.shape[axis]
        vals = torch.broadcast_to(vals, shape)
        return torch.cat([a.narrow(axis, 0, i), vals, a.narrow(axis, i, n - i)], dim=axis)
    idx = idx.reshape(-1)
    if idx.numel() and builtins.bool(((idx < -n) | (idx > n)).any()):
        raise IndexError(f'insert: an index is out of bounds for axis {axis} with size {n}')
    idx = torch.where(idx < 0, idx + n, idx)
    k = idx.shape[0]
    shape[axis] = k
    vals = torch.broadcast_to(vals, shape)
    order = torch.argsort(idx, stable=True)
    new_pos = torch.empty_like(idx)
    new_pos[order] = idx[order] + torch.arange(k, device=a.device)
    is_new = torch.zeros(n + k, dtype=torch.bool, device=a.device)
    is_new[new_pos] = True
    old_pos = torch.nonzero(~is_new).reshape(-1)
    shape[axis] = n + k
    out = torch.empty(shape, dtype=a.dtype, device=a.device)
    return out.index_copy(axis, old_pos, a).index_copy(axis, new_pos, vals)


def delete(arr: Any, obj: Any, axis: int | None = None) -> Tensor:
    """``arr`` without the entries ``obj`` (an int, a slice, a sequence of ints or a bool
    mask) along ``axis`` (the flattened array if None) (``numpy.delete``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.delete([1, 2, 3, 4], [0, 2])
    tensor([2, 4])
    >>> bm.delete([[1, 2], [3, 4]], 0, axis=1)
    tensor([[2],
            [4]])
    """
    a = as_tensor(arr)
    if axis is None:
        a, axis = a.reshape(-1), 0
    axis = _axis('delete', axis, a.ndim)
    n = a.shape[axis]
    keep = torch.ones(n, dtype=torch.bool, device=a.device)
    if not isinstance(obj, slice):
        t = _on(obj, a)
        if t.dtype == torch.bool:
            if t.shape != (n,):
                raise ValueError(f'delete: a boolean mask must have shape ({n},), got {tuple(t.shape)}')
            return a.index_select(axis, torch.nonzero(~t).reshape(-1))
    idx = _index_list(obj, n, a).reshape(-1)
    if idx.numel() and builtins.bool(((idx < -n) | (idx >= n)).any()):
        raise IndexError(f'delete: an index is out of bounds for axis {axis} with size {n}')
    keep[idx] = False
    return a.index_select(axis, torch.nonzero(keep).reshape(-1))


def resize(a: Any, new_shape: Any) -> Tensor:
    """An array of ``new_shape`` filled with the flattened ``a``, repeated as needed
    (``numpy.resize``; an empty ``a`` gives zeros).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.resize([[0, 1], [2, 3]], (2, 3))
    tensor([[0, 1, 2],
            [3, 0, 1]])
    """
    t = as_tensor(a).reshape(-1)
    shape = _shape_tuple(new_shape)
    if builtins.any(s < 0 for s in shape):
        raise ValueError('resize: all elements of new_shape must be non-negative')
    size = int(np.prod(shape))
    if t.numel() == 0:
        return torch.zeros(shape, dtype=t.dtype, device=t.device)
    return t[torch.arange(size, device=t.device) % t.numel()].reshape(shape)


def rot90(m: Any, k: int = 1, axes: Sequence[int] = (0, 1)) -> Tensor:
    """``m`` rotated by 90 degrees ``k`` times in the plane of ``axes``, from the first
    towards the second (``numpy.rot90``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.rot90([[1, 2], [3, 4]])
    tensor([[2, 4],
            [1, 3]])
    """
    return torch.rot90(as_tensor(m), int(k), tuple(axes))


def rollaxis(a: Any, axis: int, start: int = 0) -> Tensor:
    """``a`` with ``axis`` moved to before position ``start`` (``numpy.rollaxis``;
    prefer :func:`~bptorch.math.moveaxis`).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.rollaxis(bm.ones((3, 4, 5, 6)), 3, 1).shape
    torch.Size([3, 6, 4, 5])
    """
    t = as_tensor(a)
    n = t.ndim
    axis = _axis('rollaxis', axis, n)
    if start < 0:
        start += n
    if not 0 <= start <= n:
        raise ValueError(f'rollaxis: start is out of bounds for an array of dimension {n}')
    if axis < start:
        start -= 1
    if axis == start:
        return t
    order = [i for i in range(n) if i != axis]
    order.insert(start, axis)
    return t.permute(order)


def fliplr(m: Any) -> Tensor:
    """``m`` with its columns (axis 1) reversed (``numpy.fliplr``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.fliplr([[1, 2], [3, 4]])
    tensor([[2, 1],
            [4, 3]])
    """
    t = as_tensor(m)
    if t.ndim < 2:
        raise ValueError('fliplr: input must be >= 2-d')
    return torch.fliplr(t)


def flipud(m: Any) -> Tensor:
    """``m`` with its rows (axis 0) reversed (``numpy.flipud``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.flipud([1, 2, 3])
    tensor([3, 2, 1])
    """
    t = as_tensor(m)
    if t.ndim < 1:
        raise ValueError('flipud: input must be >= 1-d')
    return torch.flipud(t)


def _split(name: str, ary: Any, ios: Any, axis: int, min_ndim: int) -> list[Tensor]:
    t = as_tensor(ary)
    if t.ndim < min_ndim:
        raise ValueError(f'{name}: only works on arrays of {min_ndim} or more dimensions')
    if isinstance(ios, (int, np.integer)):
        n = t.shape[axis]
        if ios <= 0 or n % ios:
            raise ValueError(f'{name}: array split does not result in an equal division '
                             f'({n} into {ios})')
    return array_split(t, ios, axis)


def hsplit(ary: Any, indices_or_sections: Any) -> list[Tensor]:
    """Split along the second axis (the first for 1-D arrays) (``numpy.hsplit``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> [t.shape for t in bm.hsplit(bm.ones((2, 4)), 2)]
    [torch.Size([2, 2]), torch.Size([2, 2])]
    """
    t = as_tensor(ary)
    if t.ndim == 0:
        raise ValueError('hsplit: only works on arrays of 1 or more dimensions')
    return _split('hsplit', t, indices_or_sections, 1 if t.ndim > 1 else 0, 1)


def vsplit(ary: Any, indices_or_sections: Any) -> list[Tensor]:
    """Split along the first axis of an array of at least 2 dimensions (``numpy.vsplit``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.vsplit(bm.arange(4).reshape(4, 1), [1])
    [tensor([[0]]), tensor([[1],
            [2],
            [3]])]
    """
    return _split('vsplit', ary, indices_or_sections, 0, 2)


def dsplit(ary: Any, indices_or_sections: Any) -> list[Tensor]:
    """Split along the third axis of an array of at least 3 dimensions (``numpy.dsplit``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> [t.shape for t in bm.dsplit(bm.ones((1, 1, 4)), 2)]
    [torch.Size([1, 1, 2]), torch.Size([1, 1, 2])]
    """
    return _split('dsplit', ary, indices_or_sections, 2, 3)


row_stack = vstack


def _block_depth(x: Any) -> int:
    if isinstance(x, list):
        if not x:
            raise ValueError('block: lists cannot be empty')
        depths = {_block_depth(e) for e in x}
        if len(depths) != 1:
            raise ValueError('block: list depths are mismatched')
        return 1 + depths.pop()
    if isinstance(x, tuple):
        raise TypeError('block: arrays is a tuple; only lists can be used to arrange blocks')
    return 0


def _block(x: Any, depth: int, ndim: int, level: int) -> Tensor:
    if level == depth:
        t = as_tensor(x)
        return t.reshape((1,) * (ndim - t.ndim) + tuple(t.shape))
    parts = [_block(e, depth, ndim, level + 1) for e in x]
    return torch.cat(parts, dim=-(depth - level))


def _max_ndim(x: Any) -> int:
    if isinstance(x, list):
        return builtins.max(_max_ndim(e) for e in x)
    return as_tensor(x).ndim


def block(arrays: Any) -> Tensor:
    """An array assembled from nested lists of blocks (``numpy.block``): the innermost
    lists are joined along the last axis, the next ones along the second-to-last, ...

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.block([[bm.eye(2), bm.zeros((2, 1))], [bm.ones((1, 2)), bm.ones((1, 1))]])
    tensor([[1., 0., 0.],
            [0., 1., 0.],
            [1., 1., 1.]])
    >>> bm.block([[1, 2], [3, 4]])
    tensor([[1, 2],
            [3, 4]])
    """
    depth = _block_depth(arrays)
    ndim = builtins.max(_max_ndim(arrays), depth)
    if depth == 0:
        return as_tensor(arrays).clone()
    parts = _flatten_blocks(arrays)
    dev = next((p.device for p in parts if isinstance(p, (Tensor, Variable))), None)
    dt = None
    for p in parts:
        d = as_tensor(p).dtype
        dt = d if dt is None else torch.promote_types(dt, d)

    def conv(x: Any) -> Any:
        if isinstance(x, list):
            return [conv(e) for e in x]
        return as_tensor(x, dt, device=None if isinstance(x, (Tensor, Variable)) else dev)
    return _block(conv(arrays), depth, ndim, 0)


def _flatten_blocks(x: Any) -> list:
    if isinstance(x, list):
        return [p for e in x for p in _flatten_blocks(e)]
    return [x]


def _pad_widths(pad_width: Any, ndim: int) -> list[tuple[int, int]]:
    pw = np.asarray(as_tensor(pad_width).cpu() if isinstance(pad_width, (Tensor, Variable)) else pad_width)
    if not np.issubdtype(pw.dtype, np.integer):
        raise TypeError('pad: pad_width must be of integral type')
    try:
        pw = np.broadcast_to(pw, (ndim, 2))
    except ValueError:
        raise ValueError(f'pad: pad_width {pad_width!r} cannot be broadcast to ({ndim}, 2)') from None
    if (pw < 0).any():
        raise ValueError("pad: index can't contain negative values")
    return [(int(b), int(a)) for b, a in pw]


def _pad_values(v: Any, ndim: int, name: str) -> list[tuple[Any, Any]]:
    if isinstance(v, (int, float, bool, complex)):
        return [(v, v)] * ndim
    arr = np.asarray(as_tensor(v).cpu() if isinstance(v, (Tensor, Variable)) else v, dtype=object)
    try:
        arr = np.broadcast_to(arr, (ndim, 2))
    except ValueError:
        raise ValueError(f'pad: {name} {v!r} cannot be broadcast to ({ndim}, 2)') from None
    return [(arr[i, 0], arr[i, 1]) for i in range(ndim)]


def _index_map(mode: str, n: int, before: int, after: int, device: torch.device) -> Tensor:
    i = torch.arange(-before, n + after, device=device)
    if mode == 'edge':
        return torch.clamp(i, 0, n - 1)
    if mode == 'wrap':
        return torch.remainder(i, n)
    if mode == 'symmetric':
        m = torch.remainder(i, 2 * n)
        return torch.where(m < n, m, 2 * n - 1 - m)
    if n == 1:  # reflect
        return torch.zeros_like(i)
    m = torch.remainder(i, 2 * (n - 1))
    return torch.where(m < n, m, 2 * (n - 1) - m)


_PAD_MODES = ('constant', 'edge', 'reflect', 'symmetric', 'wrap', 'linear_ramp', 'maximum',
              'minimum', 'mean', 'median', 'empty')


def pad(array: Any, pad_width: Any, mode: str = 'constant', **kwargs: Any) -> Tensor:
    """``array`` padded by ``pad_width`` (``numpy.pad``).

    ``pad_width``: an int, ``(before, after)``, or one pair per axis. ``mode``:
    ``'constant'`` (``constant_values``, default 0), ``'edge'``, ``'reflect'``,
    ``'symmetric'``, ``'wrap'``, ``'linear_ramp'`` (``end_values``), ``'maximum'``,
    ``'minimum'``, ``'mean'``, ``'median'`` (``stat_length``), ``'empty'`` (zeros here).
    ``reflect_type='odd'`` and callable modes are not supported.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.pad([1, 2, 3], (2, 1), constant_values=9)
    tensor([9, 9, 1, 2, 3, 9])
    >>> bm.pad([1, 2, 3], 2, mode='reflect')
    tensor([3, 2, 1, 2, 3, 2, 1])
    >>> bm.pad([[1., 2.]], ((0, 0), (1, 1)), mode='mean')
    tensor([[1.5000, 1.0000, 2.0000, 1.5000]])
    """
    t = as_tensor(array)
    if callable(mode):
        raise NotImplementedError('pad: a function as mode is not supported')
    if mode not in _PAD_MODES:
        raise ValueError(f'pad(mode): expected one of {", ".join(_PAD_MODES)}, got {mode!r}')
    allowed = {'constant': {'constant_values'}, 'linear_ramp': {'end_values'},
               'maximum': {'stat_length'}, 'minimum': {'stat_length'}, 'mean': {'stat_length'},
               'median': {'stat_length'}, 'reflect': {'reflect_type'},
               'symmetric': {'reflect_type'}}.get(mode, set())
    bad = set(kwargs) - allowed
    if bad:
        raise ValueError(f"pad: unsupported keyword arguments for mode '{mode}': {sorted(bad)}")
    if kwargs.get('reflect_type', 'even') != 'even':
        raise NotImplementedError("pad(reflect_type='odd') is not supported")
    widths = _pad_widths(pad_width, t.ndim)
    if mode == 'empty':
        mode, kwargs = 'constant', {}
    for ax, (b, a) in enumerate(widths):
        if b == 0 and a == 0:
            continue
        n = t.shape[ax]
        if mode == 'constant':
            cv = _pad_values(kwargs.get('constant_values', 0), t.ndim, 'constant_values')[ax]
            shape_b, shape_a = list(t.shape), list(t.shape)
            shape_b[ax], shape_a[ax] = b, a
            t = torch.cat([torch.full(shape_b, 0, dtype=t.dtype, device=t.device).fill_(_cast(cv[0], t)),
                           t,
                           torch.full(shape_a, 0, dtype=t.dtype, device=t.device).fill_(_cast(cv[1], t))],
                          dim=ax)
            continue
        if n == 0:
            raise ValueError(f"pad: can't extend empty axis {ax} using mode '{mode}'")
        if mode in ('edge', 'wrap', 'symmetric', 'reflect'):
            t = t.index_select(ax, _index_map(mode, n, b, a, t.device))
            continue
        if mode == 'linear_ramp':
            ev = _pad_values(kwargs.get('end_values', 0), t.ndim, 'end_values')[ax]
            edge_b, edge_a = t.narrow(ax, 0, 1), t.narrow(ax, n - 1, 1)
            parts = []
            if b:
                w = _ramp(b, t, ax, reverse=False)
                parts.append(_cast_tensor(_cast(ev[0], t) + (edge_b - _cast(ev[0], t)) * w, t,
                                          torch.floor))   # NumPy's linspace floors for ints
            parts.append(t)
            if a:
                w = _ramp(a, t, ax, reverse=True)
                parts.append(_cast_tensor(_cast(ev[1], t) + (edge_a - _cast(ev[1], t)) * w, t,
                                          torch.floor))
            t = torch.cat(parts, dim=ax)
            continue
        sl = _pad_values(kwargs.get('stat_length', None), t.ndim, 'stat_length')[ax]
        lb = n if sl[0] is None else builtins.max(1, builtins.min(int(sl[0]), n))
        la = n if sl[1] is None else builtins.max(1, builtins.min(int(sl[1]), n))
        sb = _stat(mode, t.narrow(ax, 0, lb), ax)
        sa = _stat(mode, t.narrow(ax, n - la, la), ax)
        shape_b, shape_a = list(t.shape), list(t.shape)
        shape_b[ax], shape_a[ax] = b, a
        t = torch.cat([sb.expand(shape_b), t, sa.expand(shape_a)], dim=ax)
    return t


def _cast(v: Any, t: Tensor) -> Any:
    if isinstance(v, (np.generic,)):
        v = v.item()
    if t.is_floating_point() or t.is_complex():
        return v
    return type(v)(round(v)) if isinstance(v, float) else v


def _cast_tensor(x: Tensor, t: Tensor, rounding=torch.round) -> Tensor:
    """``x`` in ``t``'s dtype; floats going to integers are rounded (``rounding``) first."""
    if t.is_floating_point() or t.is_complex():
        return x.to(t.dtype)
    return rounding(x).to(t.dtype) if x.is_floating_point() else x.to(t.dtype)


def _ramp(k: int, t: Tensor, ax: int, reverse: bool) -> Tensor:
    """Weights 0 (at the end value) .. (k-1)/k towards the edge, laid along ``ax``."""
    w = torch.arange(k, dtype=torch.float64, device=t.device) / k
    if reverse:
        w = torch.flip(w, (0,))
    shape = [1] * t.ndim
    shape[ax] = k
    dt = t.dtype if (t.is_floating_point() or t.is_complex()) else torch.float64
    return w.to(dt).reshape(shape)


def _stat(mode: str, chunk: Tensor, ax: int) -> Tensor:
    if mode == 'maximum':
        return chunk.amax(ax, keepdim=True)
    if mode == 'minimum':
        return chunk.amin(ax, keepdim=True)
    work = chunk if (chunk.is_floating_point() or chunk.is_complex()) else chunk.to(torch.float64)
    if mode == 'mean':
        r = work.mean(ax, keepdim=True)
    else:
        srt = torch.sort(work, dim=ax).values
        m = srt.shape[ax]
        r = (srt.narrow(ax, (m - 1) // 2, 1) + srt.narrow(ax, m // 2, 1)) / 2
    return _cast_tensor(r, chunk)


def trim_zeros(filt: Any, trim: str = 'fb') -> Tensor:
    """The 1-D ``filt`` without its leading (``'f'`` in ``trim``) and trailing (``'b'``)
    zeros (``numpy.trim_zeros``). Eager only.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.trim_zeros([0, 0, 1, 2, 0])
    tensor([1, 2])
    >>> bm.trim_zeros([0, 0, 1, 2, 0], 'b')
    tensor([0, 0, 1, 2])
    """
    t = as_tensor(filt)
    if t.ndim != 1:
        raise ValueError(f'trim_zeros: filt must be 1-D, got shape {tuple(t.shape)}')
    nz = torch.nonzero(t != 0).reshape(-1)
    if nz.numel() == 0:
        return t[:0]
    trim = trim.lower()
    start = int(nz[0]) if 'f' in trim else 0
    stop = int(nz[-1]) + 1 if 'b' in trim else t.shape[0]
    return t[start:stop]


def apply_along_axis(func1d: Callable, axis: int, arr: Any, *args: Any, **kwargs: Any) -> Tensor:
    """``func1d`` applied to the 1-D slices of ``arr`` along ``axis`` (``numpy.apply_along_axis``).

    The slices are processed in one call through ``torch.func.vmap`` (as
    ``jnp.apply_along_axis`` does), so ``func1d`` must be made of torch operations
    (no ``.item()``); the dimensions of its result replace ``axis``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.apply_along_axis(lambda v: v.max() - v.min(), 1, [[1, 5], [2, 9]])
    tensor([4, 7])
    >>> bm.apply_along_axis(lambda v: v * 2, 0, [[1, 2], [3, 4]])
    tensor([[2, 4],
            [6, 8]])
    """
    t = as_tensor(arr)
    axis = _axis('apply_along_axis', axis, t.ndim)
    moved = t.movedim(axis, -1)
    lead = moved.shape[:-1]
    flat = moved.reshape((-1, moved.shape[-1]))
    out = torch.func.vmap(lambda v: as_tensor(func1d(v, *args, **kwargs)))(flat)
    out = out.reshape(tuple(lead) + tuple(out.shape[1:]))
    extra = out.ndim - len(lead)
    # NumPy puts the result's dimensions where axis was
    return out.movedim(tuple(range(len(lead), out.ndim)), tuple(range(axis, axis + extra)))


def apply_over_axes(func: Callable, a: Any, axes: int | Sequence[int]) -> Tensor:
    """``func(a, axis)`` applied repeatedly over ``axes``, keeping the dimensions
    (``numpy.apply_over_axes``): each result must have ``a.ndim`` or ``a.ndim - 1``
    dimensions (then the reduced axis is put back).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.apply_over_axes(bm.sum, bm.arange(6).reshape(2, 3), [0, 1])
    tensor([[15]])
    """
    val = as_tensor(a)
    n = val.ndim
    for axis in ([axes] if isinstance(axes, int) else list(axes)):
        ax = axis % n
        res = as_tensor(func(val, ax))
        if res.ndim == val.ndim:
            val = res
        elif res.ndim == val.ndim - 1:
            val = res.unsqueeze(ax)
        else:
            raise ValueError('apply_over_axes: function is not returning an array of the correct shape')
    return val


def piecewise(x: Any, condlist: Any, funclist: Sequence[Any], *args: Any, **kw: Any) -> Tensor:
    """Values of ``funclist[i]`` (functions of ``x``, or constants) where ``condlist[i]``
    holds (``numpy.piecewise``); one extra function or value applies where no condition
    does (else 0); later conditions win.

    Each function is evaluated on the whole ``x`` and the pieces are selected with
    ``where`` (as ``jnp.piecewise`` does), so functions must accept every element.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.linspace(-2., 2., 5)
    >>> bm.piecewise(x, [x < 0, x >= 0], [lambda v: -v, lambda v: v ** 2])
    tensor([2., 1., 0., 1., 4.])
    >>> bm.piecewise(x, [x < -1, x > 1], [-1., 1., 0.])
    tensor([-1.,  0.,  0.,  0.,  1.])
    """
    xt = as_tensor(x)
    if isinstance(condlist, (Tensor, Variable, np.ndarray)):
        conds = [_on(c, xt).to(torch.bool) for c in as_tensor(condlist).reshape(
            (-1,) + tuple(xt.shape)).unbind(0)] if as_tensor(condlist).shape != xt.shape else \
            [_on(condlist, xt).to(torch.bool)]
    elif isinstance(condlist, (list, tuple)) and condlist and not isinstance(condlist[0], bool):
        conds = [_on(c, xt).to(torch.bool) for c in condlist]
    else:
        conds = [_on(condlist, xt).to(torch.bool)]
    n = len(conds)
    if len(funclist) not in (n, n + 1):
        raise ValueError(f'piecewise: with {n} condition(s), either {n} or {n + 1} functions are '
                         f'needed, got {len(funclist)}')

    def value(f: Any) -> Tensor:
        r = f(xt, *args, **kw) if callable(f) else f
        return _on(r, xt)

    vals = [value(f) for f in funclist]
    dt = xt.dtype
    for v in vals:
        if v.is_floating_point() or v.is_complex():
            dt = torch.promote_types(dt, v.dtype)
    if len(funclist) == n + 1:
        none = ~torch.stack([c.expand(xt.shape) for c in conds]).any(0)
        conds = [none] + conds
        vals = [vals[-1]] + vals[:-1]
    out = torch.zeros(xt.shape, dtype=dt, device=xt.device)
    for c, v in zip(conds, vals):
        out = torch.where(c, v.to(dt), out)
    return out
