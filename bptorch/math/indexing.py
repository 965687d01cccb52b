"""NumPy's index-making, searching and element-placing functions over torch
(``bm.nonzero``, ``bm.searchsorted``, ``bm.tril_indices``, ``bm.unravel_index``,
``bm.fill_diagonal``, ``bm.put``...).

Functions whose result size depends on values (``nonzero``, ``argwhere``,
``flatnonzero``, ``extract``, ``compress`` with an array condition) are eager only.
Index arrays are int64 (torch's index type).

The placing functions ``fill_diagonal``, ``put``, ``place`` and ``putmask`` change
their array and return None, as in NumPy and BrainPy 2.1: a Variable gets a new
value (``v.value = ...``, so tensors read from it before keep theirs); a tensor or
NumPy array is modified in place. ``fill_diagonal(..., inplace=False)`` (JAX's
spelling) returns a new array instead.

Examples
--------
>>> import bptorch.math as bm
>>> bm.nonzero([[0, 1], [2, 0]])
(tensor([0, 1]), tensor([1, 0]))
>>> bm.searchsorted([1., 2., 3.], 2.5)
tensor(2)
"""

from __future__ import annotations

import builtins
import contextlib
from typing import Any, Callable, Sequence

import numpy as np
import torch
from torch import Tensor

from bptorch.math import settings
from bptorch.math.arraytypes import result_type
from bptorch.math.ops import _dt, _shape_tuple
from bptorch.math.variables import Variable, as_tensor

__all__ = [
    'nonzero', 'argwhere', 'flatnonzero', 'searchsorted', 'extract', 'compress', 'select',
    'choose', 'tri', 'tril_indices', 'tril_indices_from', 'triu_indices', 'triu_indices_from',
    'diag_indices', 'diag_indices_from', 'mask_indices', 'indices', 'ix_', 'unravel_index',
    'ravel_multi_index', 'diagflat', 'fill_diagonal', 'remove_diag', 'put', 'place', 'putmask',
    'lexsort', 'msort', 'sort_complex',
]


def _on(x: Any, ref: Tensor) -> Tensor:
    return as_tensor(x, device=None if isinstance(x, (Tensor, Variable)) else ref.device)


def nonzero(a: Any) -> tuple[Tensor, ...]:
    """The indices of the non-zero elements, one array per axis (``numpy.nonzero``). Eager only.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.nonzero([0, 3, 0, 4])
    (tensor([1, 3]),)
    """
    t = as_tensor(a)
    if t.ndim == 0:
        raise ValueError('nonzero: not defined for 0-d arrays (as in NumPy); use atleast_1d(a)')
    return torch.nonzero(t, as_tuple=True)


def argwhere(a: Any) -> Tensor:
    """The indices of the non-zero elements as an ``(N, a.ndim)`` array (``numpy.argwhere``).
    Eager only.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.argwhere([[0, 1], [2, 0]])
    tensor([[0, 1],
            [1, 0]])
    """
    return torch.argwhere(as_tensor(a))


def flatnonzero(a: Any) -> Tensor:
    """The indices of the non-zero elements of the flattened array (``numpy.flatnonzero``).
    Eager only.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.flatnonzero([[0, 1], [2, 0]])
    tensor([1, 2])
    """
    return torch.nonzero(as_tensor(a).reshape(-1)).reshape(-1)


def searchsorted(a: Any, v: Any, side: str = 'left', sorter: Any = None) -> Tensor:
    """Where to insert ``v`` into the sorted 1-D ``a`` to keep it sorted (``numpy.searchsorted``):
    the first suitable index (``side='left'``) or the last (``'right'``); ``sorter`` holds
    indices that sort ``a``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.searchsorted([1, 2, 2, 3], [2, 5])
    tensor([1, 4])
    >>> bm.searchsorted([1, 2, 2, 3], 2, side='right')
    tensor(3)
    """
    if side not in ('left', 'right'):
        raise ValueError(f"searchsorted(side): expected 'left' or 'right', got {side!r}")
    at = as_tensor(a)
    if at.ndim != 1:
        raise ValueError(f'searchsorted: a must be 1-D, got shape {tuple(at.shape)}')
    vt = _on(v, at)
    dt = torch.promote_types(at.dtype, vt.dtype)
    s = None if sorter is None else _on(sorter, at).to(torch.int64)
    r = torch.searchsorted(at.to(dt), vt.to(dt).reshape(-1), right=side == 'right', sorter=s)
    return r.reshape(vt.shape)


def extract(condition: Any, arr: Any) -> Tensor:
    """The elements of the flattened ``arr`` where the flattened ``condition`` is non-zero
    (``numpy.extract``). Eager only.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.extract(bm.arange(4) % 2 == 0, [10, 11, 12, 13])
    tensor([10, 12])
    """
    at = as_tensor(arr).reshape(-1)
    c = _on(condition, at).reshape(-1)
    return at[c != 0]


def compress(condition: Any, a: Any, axis: int | None = None, out: None = None) -> Tensor:
    """The slices of ``a`` along ``axis`` (the flattened array if None) where the 1-D
    ``condition`` is true (``numpy.compress``; a shorter condition keeps only that many).
    Eager only.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.compress([False, True], [[1, 2], [3, 4]], axis=0)
    tensor([[3, 4]])
    >>> bm.compress([True, False, True], [[1, 2], [3, 4]])
    tensor([1, 3])
    """
    if out is not None:
        raise NotImplementedError('compress(out=...): tensors are immutable here; use the result')
    at = as_tensor(a)
    if axis is None:
        at, axis = at.reshape(-1), 0
    c = _on(condition, at).reshape(-1).to(torch.bool)
    n = at.shape[axis]
    if c.shape[0] > n and builtins.bool(c[n:].any()):
        raise IndexError(f'compress: condition has {c.shape[0]} entries for an axis of length {n}')
    idx = torch.nonzero(c[:n]).reshape(-1)
    return at.index_select(axis, idx)


def select(condlist: Sequence[Any], choicelist: Sequence[Any], default: Any = 0) -> Tensor:
    """Elements of ``choicelist[i]`` for the first ``condlist[i]`` that is true, else
    ``default`` (``numpy.select``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.arange(6)
    >>> bm.select([x < 3, x > 3], [x, x ** 2], default=-1)
    tensor([ 0,  1,  2, -1, 16, 25])
    """
    if len(condlist) != len(choicelist):
        raise ValueError(f'select: condlist and choicelist must have the same length, got '
                         f'{len(condlist)} and {len(choicelist)}')
    if not condlist:
        raise ValueError('select: condlist must not be empty')
    ref = next((x for x in list(condlist) + list(choicelist) if isinstance(x, (Tensor, Variable))), None)
    dev = ref.device if ref is not None else settings.default_device()
    conds = [as_tensor(c, device=None if isinstance(c, (Tensor, Variable)) else dev) for c in condlist]
    for c in conds:
        if c.dtype != torch.bool:
            raise TypeError(f'select: condlist entries must be bool arrays, got {c.dtype}')
    choices = [as_tensor(c, device=None if isinstance(c, (Tensor, Variable)) else dev)
               for c in choicelist]
    dt = result_type(*choices, default)   # a Python number default is weak (lifts the kind only)
    r = as_tensor(default, dt, device=dev)
    for c, ch in zip(reversed(conds), reversed(choices)):
        r = torch.where(c, ch.to(dt), r)
    return r


def choose(a: Any, choices: Sequence[Any], mode: str = 'raise') -> Tensor:
    """``choices[a[i]][i]`` for each index of the (broadcast) arrays (``numpy.choose``).

    ``mode``: ``'raise'`` (indices out of range are an error; checked eagerly),
    ``'wrap'`` (taken modulo ``len(choices)``) or ``'clip'``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.choose([2, 0, 1], [[10, 11, 12], [20, 21, 22], [30, 31, 32]])
    tensor([30, 11, 22])
    >>> bm.choose([3, -1], [[1, 2], [3, 4]], mode='clip')
    tensor([3, 2])
    """
    at = as_tensor(a)
    if at.is_floating_point() or at.is_complex():
        raise TypeError(f'choose: a must hold integers, got {at.dtype}')
    cs = [_on(c, at) for c in choices]
    n = len(cs)
    if mode == 'raise':
        if at.numel() and builtins.bool(((at < 0) | (at >= n)).any()):
            raise ValueError(f'choose: invalid entry in the index array (choices has {n} entries)')
    elif mode == 'wrap':
        at = torch.remainder(at, n)
    elif mode == 'clip':
        at = torch.clamp(at, 0, n - 1)
    else:
        raise ValueError(f"choose(mode): expected 'raise', 'wrap' or 'clip', got {mode!r}")
    dt = cs[0].dtype
    for c in cs[1:]:
        dt = torch.promote_types(dt, c.dtype)
    tensors = torch.broadcast_tensors(at, *cs)
    stacked = torch.stack([c.to(dt) for c in tensors[1:]])
    return torch.gather(stacked, 0, tensors[0].to(torch.int64).unsqueeze(0)).squeeze(0)


def tri(N: int, M: int | None = None, k: int = 0, dtype: Any = float) -> Tensor:
    """An ``(N, M)`` array with ones at and below the ``k``-th diagonal (``numpy.tri``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.tri(2, 3, k=1, dtype=int)
    tensor([[1, 1, 0],
            [1, 1, 1]])
    """
    M = N if M is None else M
    dt = _dt(dtype) or settings.float_()
    return torch.ones(N, M, dtype=dt, device=settings.default_device()).tril(k)


def tril_indices(n: int, k: int = 0, m: int | None = None) -> tuple[Tensor, Tensor]:
    """The row and column indices of the lower triangle of an ``(n, m)`` array
    (``numpy.tril_indices``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.tril_indices(3)
    (tensor([0, 1, 1, 2, 2, 2]), tensor([0, 0, 1, 0, 1, 2]))
    """
    m = n if m is None else m
    r = torch.tril_indices(n, m, k, device=settings.default_device())
    return r[0], r[1]


def triu_indices(n: int, k: int = 0, m: int | None = None) -> tuple[Tensor, Tensor]:
    """The row and column indices of the upper triangle of an ``(n, m)`` array
    (``numpy.triu_indices``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.triu_indices(3, k=1)
    (tensor([0, 0, 1]), tensor([1, 2, 2]))
    """
    m = n if m is None else m
    r = torch.triu_indices(n, m, k, device=settings.default_device())
    return r[0], r[1]


def _shape2(name: str, arr: Any) -> tuple[int, int]:
    shape = tuple(arr.shape) if hasattr(arr, 'shape') else tuple(as_tensor(arr).shape)
    if len(shape) != 2:
        raise ValueError(f'{name}: expected a 2-D array, got shape {shape}')
    return shape


def tril_indices_from(arr: Any, k: int = 0) -> tuple[Tensor, Tensor]:
    """:func:`tril_indices` for the shape of the 2-D ``arr`` (``numpy.tril_indices_from``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.tril_indices_from(bm.ones((2, 3)))
    (tensor([0, 1, 1]), tensor([0, 0, 1]))
    """
    n, m = _shape2('tril_indices_from', arr)
    return tril_indices(n, k, m)


def triu_indices_from(arr: Any, k: int = 0) -> tuple[Tensor, Tensor]:
    """:func:`triu_indices` for the shape of the 2-D ``arr`` (``numpy.triu_indices_from``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.triu_indices_from(bm.ones((2, 3)))
    (tensor([0, 0, 0, 1, 1]), tensor([0, 1, 2, 1, 2]))
    """
    n, m = _shape2('triu_indices_from', arr)
    return triu_indices(n, k, m)


def diag_indices(n: int, ndim: int = 2) -> tuple[Tensor, ...]:
    """The indices of the main diagonal of an ``ndim``-dimensional array of side ``n``
    (``numpy.diag_indices``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.diag_indices(3)
    (tensor([0, 1, 2]), tensor([0, 1, 2]))
    """
    i = torch.arange(n, device=settings.default_device())
    return (i,) * ndim


def diag_indices_from(arr: Any) -> tuple[Tensor, ...]:
    """:func:`diag_indices` for ``arr``, whose sides must all be equal (``numpy.diag_indices_from``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.diag_indices_from(bm.ones((2, 2)))
    (tensor([0, 1]), tensor([0, 1]))
    """
    shape = tuple(as_tensor(arr).shape)
    if len(shape) < 2:
        raise ValueError('diag_indices_from: input array must be at least 2-d')
    if len(set(shape)) != 1:
        raise ValueError(f'diag_indices_from: all dimensions of input must be of equal length, '
                         f'got shape {shape}')
    return diag_indices(shape[0], len(shape))


def mask_indices(n: int, mask_func: Callable, k: int = 0) -> tuple[Tensor, Tensor]:
    """The indices where ``mask_func(ones((n, n)), k)`` is non-zero (``numpy.mask_indices``),
    e.g. with :func:`~bptorch.math.triu`.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.mask_indices(2, bm.triu)
    (tensor([0, 0, 1]), tensor([0, 1, 1]))
    """
    m = as_tensor(mask_func(torch.ones(n, n, dtype=torch.int64, device=settings.default_device()), k))
    r = torch.nonzero(m != 0, as_tuple=True)
    return r[0], r[1]


def indices(dimensions: Sequence[int], dtype: Any = int, sparse: bool = False) -> Tensor | tuple[Tensor, ...]:
    """An array of index grids, of shape ``(len(dimensions), *dimensions)`` (``numpy.indices``);
    ``sparse=True`` gives a tuple of broadcastable arrays instead. ``dtype=int`` is the
    default int (see :func:`~bptorch.math.set_dint`).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.indices((2, 2))
    tensor([[[0, 0],
             [1, 1]],
    <BLANKLINE>
            [[0, 1],
             [0, 1]]])
    >>> [t.shape for t in bm.indices((2, 3), sparse=True)]
    [torch.Size([2, 1]), torch.Size([1, 3])]
    """
    dims = _shape_tuple(dimensions)
    dt = _dt(dtype)
    dev = settings.default_device()
    n = len(dims)
    grids = []
    for i, d in enumerate(dims):
        shape = [1] * n
        shape[i] = d
        grids.append(torch.arange(d, dtype=dt, device=dev).reshape(shape))
    if sparse:
        return tuple(grids)
    if n == 0:
        return torch.zeros((0,), dtype=dt, device=dev)
    return torch.stack([g.expand(dims) for g in grids])


def ix_(*args: Any) -> tuple[Tensor, ...]:
    """An open mesh from 1-D sequences, for ``a[bm.ix_(rows, cols)]`` (``numpy.ix_``);
    bool sequences give the indices of their True entries.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.arange(9).reshape(3, 3)
    >>> x[bm.ix_([0, 2], [1, 2])]
    tensor([[1, 2],
            [7, 8]])
    """
    n = len(args)
    out = []
    for k, a in enumerate(args):
        t = as_tensor(a)
        if t.ndim != 1:
            raise ValueError('ix_: cross index must be 1-dimensional')
        if t.dtype == torch.bool:
            t = torch.nonzero(t).reshape(-1)
        elif t.numel() == 0:
            t = t.to(torch.int64)
        shape = [1] * n
        shape[k] = t.shape[0]
        out.append(t.reshape(shape))
    return tuple(out)


def _strides(dims: tuple[int, ...], order: str) -> list[int]:
    if order not in ('C', 'F'):
        raise ValueError(f"order: expected 'C' or 'F', got {order!r}")
    idx = range(len(dims) - 1, -1, -1) if order == 'C' else range(len(dims))
    strides, acc = [0] * len(dims), 1
    for i in idx:
        strides[i] = acc
        acc *= dims[i]
    return strides


def unravel_index(indices: Any, shape: Sequence[int], order: str = 'C') -> tuple[Tensor, ...]:
    """Flat indices into an array of ``shape`` as a tuple of coordinate arrays
    (``numpy.unravel_index``; out-of-range indices are an error, checked eagerly).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.unravel_index([22, 41, 37], (7, 6))
    (tensor([3, 6, 6]), tensor([4, 5, 1]))
    """
    dims = _shape_tuple(shape)
    t = as_tensor(indices)
    if t.is_floating_point() or t.is_complex() or t.dtype == torch.bool:
        raise TypeError(f'unravel_index: indices must be integers, got {t.dtype}')
    size = int(np.prod(dims))
    if t.numel() and builtins.bool(((t < 0) | (t >= size)).any()):
        raise ValueError(f'unravel_index: index out of bounds for an array of size {size}')
    t = t.to(torch.int64)
    return tuple(torch.div(t, s, rounding_mode='floor') % d
                 for s, d in zip(_strides(dims, order), dims))


def ravel_multi_index(multi_index: Sequence[Any], dims: Sequence[int], mode: Any = 'raise',
                      order: str = 'C') -> Tensor:
    """Coordinate arrays into flat indices of an array of shape ``dims``
    (``numpy.ravel_multi_index``; ``mode`` ``'raise'``, ``'wrap'`` or ``'clip'``, or one per axis).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.ravel_multi_index(([3, 6, 6], [4, 5, 1]), (7, 6))
    tensor([22, 41, 37])
    >>> bm.ravel_multi_index(([3, 9],), (7,), mode='clip')
    tensor([3, 6])
    """
    dims = _shape_tuple(dims)
    if len(multi_index) != len(dims):
        raise ValueError(f'ravel_multi_index: expected {len(dims)} index arrays, got {len(multi_index)}')
    modes = [mode] * len(dims) if isinstance(mode, str) else list(mode)
    ref = next((x for x in multi_index if isinstance(x, (Tensor, Variable))), None)
    ts = [as_tensor(i, device=None if ref is None or isinstance(i, (Tensor, Variable)) else ref.device)
          for i in multi_index]
    ts = [t.to(torch.int64) for t in torch.broadcast_tensors(*ts)]
    out = None
    for t, d, s, md in zip(ts, dims, _strides(dims, order), modes):
        if md == 'raise':
            if t.numel() and builtins.bool(((t < 0) | (t >= d)).any()):
                raise ValueError('ravel_multi_index: invalid entry in coordinates array')
        elif md == 'wrap':
            t = torch.remainder(t, d)
        elif md == 'clip':
            t = torch.clamp(t, 0, d - 1)
        else:
            raise ValueError(f"ravel_multi_index(mode): expected 'raise', 'wrap' or 'clip', got {md!r}")
        out = t * s if out is None else out + t * s
    return out


def diagflat(v: Any, k: int = 0) -> Tensor:
    """A 2-D array with the flattened ``v`` on its ``k``-th diagonal (``numpy.diagflat``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.diagflat([[1, 2]], k=1)
    tensor([[0, 1, 0],
            [0, 0, 2],
            [0, 0, 0]])
    """
    return torch.diagflat(as_tensor(v), k)


def _write(a: Any, new: Tensor, name: str) -> None:
    """Give ``a`` the value ``new``: a Variable is assigned, a tensor or NumPy array changed in place."""
    if isinstance(a, Variable):
        a.value = new
    elif isinstance(a, Tensor):
        with torch.no_grad() if a.is_leaf and a.requires_grad else contextlib.nullcontext():
            a.copy_(new)
    elif isinstance(a, np.ndarray):
        a[...] = new.detach().cpu().numpy()
    else:
        raise TypeError(f'{name}: expected a Variable, a tensor or a NumPy array to change, got '
                        f'{type(a).__name__}')


def _diag_flat_indices(shape: tuple[int, ...], wrap: bool, device: torch.device) -> Tensor:
    if len(shape) < 2:
        raise ValueError('fill_diagonal: array must be at least 2-d')
    if len(shape) == 2:
        step = shape[1] + 1
        end = None if wrap else shape[1] * shape[1]
    else:
        if len(set(shape)) != 1:
            raise ValueError(f'fill_diagonal: all dimensions of input must be of equal length, '
                             f'got shape {shape}')
        step = 1 + int(np.cumprod(shape[:-1]).sum())
        end = None
    size = int(np.prod(shape))
    stop = size if end is None else builtins.min(end, size)
    return torch.arange(0, stop, step, device=device)


def fill_diagonal(a: Any, val: Any, wrap: bool = False, inplace: bool = True) -> Tensor | None:
    """Fill the main diagonal of ``a`` with ``val`` (``numpy.fill_diagonal``).

    For 2-D ``a`` that is ``a[i, i]`` for ``i < min(a.shape)`` (``wrap=True``: tall
    matrices continue the diagonal below, every ``N + 1`` rows); for higher ``a``
    (all sides equal) ``a[i, ..., i]``. An array ``val`` is used in order, repeated
    as needed. Changes ``a`` and returns None (see the module docstring);
    ``inplace=False`` returns a new tensor instead.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> v = bm.Variable(bm.zeros((2, 3)))
    >>> bm.fill_diagonal(v, 5.)
    >>> v.value
    tensor([[5., 0., 0.],
            [0., 5., 0.]])
    >>> bm.fill_diagonal(bm.zeros((2, 2)), [1., 2.], inplace=False)
    tensor([[1., 0.],
            [0., 2.]])
    """
    t = as_tensor(a)
    idx = _diag_flat_indices(tuple(t.shape), wrap, t.device)
    vals = _on(val, t).to(t.dtype).reshape(-1)
    if vals.numel() == 0:
        raise ValueError('fill_diagonal: val must not be empty')
    if idx.numel():
        vals = vals.repeat(-(-idx.numel() // vals.numel()))[:idx.numel()]
    new = t.reshape(-1).index_put((idx,), vals).reshape(t.shape)
    if not inplace:
        return new
    _write(a, new, 'fill_diagonal')
    return None


def remove_diag(arr: Any) -> Tensor:
    """The ``(M, N)`` matrix without its diagonal elements, as an ``(M, N - 1)`` matrix
    (BrainPy's ``remove_diag``; needs ``M <= N``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.remove_diag([[1, 2, 3], [4, 5, 6]])
    tensor([[2, 3],
            [4, 6]])
    """
    t = as_tensor(arr)
    if t.ndim != 2:
        raise ValueError(f'remove_diag: only supports 2D matrices, got a {t.ndim}D array')
    m, n = t.shape
    if m > n:
        raise ValueError(f'remove_diag: needs at most as many rows as columns, got shape {(m, n)}')
    keep = ~torch.eye(m, n, dtype=torch.bool, device=t.device)
    return t[keep].reshape(m, n - 1)


def put(a: Any, ind: Any, v: Any, mode: str = 'raise') -> None:
    """Set the elements of the flattened ``a`` at ``ind`` to ``v`` (``numpy.put``; ``v`` is
    repeated as needed; ``mode`` ``'raise'``, ``'wrap'`` or ``'clip'``). Changes ``a``
    and returns None (see the module docstring).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> v = bm.Variable(bm.arange(5))
    >>> bm.put(v, [0, 2], [-44, -55])
    >>> v.value
    tensor([-44,   1, -55,   3,   4])
    """
    t = as_tensor(a)
    n = t.numel()
    idx = _on(ind, t).reshape(-1).to(torch.int64)
    if mode == 'raise':
        if idx.numel() and builtins.bool(((idx < -n) | (idx >= n)).any()):
            raise IndexError(f'put: index out of range for an array of size {n}')
        idx = torch.remainder(idx, n)
    elif mode == 'wrap':
        idx = torch.remainder(idx, n)
    elif mode == 'clip':
        idx = torch.clamp(idx, 0, n - 1)
    else:
        raise ValueError(f"put(mode): expected 'raise', 'wrap' or 'clip', got {mode!r}")
    vals = _on(v, t).to(t.dtype).reshape(-1)
    if idx.numel():
        vals = vals.repeat(-(-idx.numel() // vals.numel()))[:idx.numel()]
    _write(a, t.reshape(-1).index_put((idx,), vals).reshape(t.shape), 'put')


def place(arr: Any, mask: Any, vals: Any) -> None:
    """Set the elements of ``arr`` where ``mask`` is true to the first values of ``vals``,
    in order, repeated as needed (``numpy.place``). Changes ``arr`` and returns None.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> v = bm.Variable(bm.arange(6))
    >>> bm.place(v, v.value > 2, [44, 55])
    >>> v.value
    tensor([ 0,  1,  2, 44, 55, 44])
    """
    t = as_tensor(arr)
    m = _on(mask, t).to(torch.bool).expand(t.shape)
    k = int(m.sum())
    vals = _on(vals, t).to(t.dtype).reshape(-1)
    if k and vals.numel() == 0:
        raise ValueError('place: cannot insert from an empty vals')
    new = t.clone()
    if k:
        new[m] = vals.repeat(-(-k // vals.numel()))[:k]
    _write(arr, new, 'place')


def putmask(a: Any, mask: Any, values: Any) -> None:
    """Set ``a.flat[i] = values.flat[i % len(values)]`` wherever ``mask.flat[i]`` is true
    (``numpy.putmask``). Changes ``a`` and returns None.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> v = bm.Variable(bm.arange(5))
    >>> bm.putmask(v, v.value > 2, [-1, -2])
    >>> v.value
    tensor([ 0,  1,  2, -2, -1])
    """
    t = as_tensor(a)
    m = _on(mask, t).to(torch.bool)
    if m.shape != t.shape:
        raise ValueError(f'putmask: mask and data must be the same size, got {tuple(m.shape)} and '
                         f'{tuple(t.shape)}')
    vals = _on(values, t).to(t.dtype).reshape(-1)
    if vals.numel() == 0:
        raise ValueError('putmask: values must not be empty')
    n = t.numel()
    cyc = vals[torch.arange(n, device=t.device) % vals.numel()].reshape(t.shape)
    _write(a, torch.where(m, cyc, t), 'putmask')


def lexsort(keys: Any, axis: int = -1) -> Tensor:
    """Indices that sort by several keys, the last key first (``numpy.lexsort``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> surnames, names = [3, 1, 3, 2], [1, 2, 0, 0]
    >>> bm.lexsort((names, surnames))
    tensor([1, 3, 2, 0])
    """
    if isinstance(keys, (Tensor, Variable, np.ndarray)):
        ks = list(as_tensor(keys).unbind(0))
    else:
        ks = [as_tensor(k) for k in keys]
    if not ks:
        raise TypeError('lexsort: need sequence of keys with len > 0')
    ks = list(torch.broadcast_tensors(*ks))
    idx = torch.argsort(ks[0], dim=axis, stable=True)
    for k in ks[1:]:
        idx = torch.take_along_dim(idx, torch.argsort(torch.take_along_dim(k, idx, dim=axis),
                                                      dim=axis, stable=True), dim=axis)
    return idx


def msort(a: Any) -> Tensor:
    """A copy of ``a`` sorted along its first axis (``numpy.msort``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.msort([[3, 1], [1, 2]])
    tensor([[1, 1],
            [3, 2]])
    """
    return torch.sort(as_tensor(a), dim=0, stable=True).values


def sort_complex(a: Any) -> Tensor:
    """``a`` sorted by real part, then imaginary part, as a complex array (``numpy.sort_complex``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.sort_complex([1 + 2j, 1 - 1j, 0 + 5j])
    tensor([0.+5.j, 1.-1.j, 1.+2.j])
    """
    t = as_tensor(a)
    if not t.is_complex():
        t = t.to(torch.complex128 if t.dtype == torch.float64 else settings.complex_())
    idx = lexsort([t.imag, t.real], axis=-1)
    return torch.take_along_dim(t, idx, dim=-1)
