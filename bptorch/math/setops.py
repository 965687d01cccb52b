"""NumPy's set routines over torch (``bm.isin``, ``bm.union1d``, ``bm.intersect1d``...).

Results are sorted unique values, as in NumPy; apart from ``isin`` / ``in1d``
their sizes depend on values, so they are eager only.

Examples
--------
>>> import bptorch.math as bm
>>> bm.union1d([3, 1], [2, 1])
tensor([1, 2, 3])
>>> bm.isin([1, 2, 3], [2, 5])
tensor([False,  True, False])
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from bptorch.math.variables import Variable, as_tensor

__all__ = ['in1d', 'isin', 'intersect1d', 'setdiff1d', 'setxor1d', 'union1d']


def _pair(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    x = as_tensor(a)
    y = as_tensor(b, device=None if isinstance(b, (Tensor, Variable)) else x.device)
    dt = torch.promote_types(x.dtype, y.dtype)
    return x.to(dt), y.to(dt)


def isin(element: Any, test_elements: Any, assume_unique: bool = False,
         invert: bool = False) -> Tensor:
    """Whether each element of ``element`` is in ``test_elements``, in the shape of
    ``element`` (``numpy.isin``; ``invert=True`` negates).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.isin([[1, 2], [3, 4]], [4, 1], invert=True)
    tensor([[False,  True],
            [ True, False]])
    """
    x, y = _pair(element, test_elements)
    return torch.isin(x, y.reshape(-1), assume_unique=assume_unique, invert=invert)


def in1d(ar1: Any, ar2: Any, assume_unique: bool = False, invert: bool = False) -> Tensor:
    """Whether each element of the flattened ``ar1`` is in ``ar2`` (``numpy.in1d``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.in1d([[0, 1], [2, 5]], [0, 2])
    tensor([ True, False,  True, False])
    """
    return isin(as_tensor(ar1).reshape(-1), ar2, assume_unique, invert)


def _unique(t: Tensor) -> Tensor:
    return torch.unique(t.reshape(-1), sorted=True)


def intersect1d(ar1: Any, ar2: Any, assume_unique: bool = False,
                return_indices: bool = False) -> Tensor | tuple[Tensor, Tensor, Tensor]:
    """The sorted unique values in both arrays (``numpy.intersect1d``); with
    ``return_indices``, also the indices of their first occurrences in the flattened inputs.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.intersect1d([1, 3, 4, 3], [3, 1, 2, 1])
    tensor([1, 3])
    >>> bm.intersect1d([1, 3, 4, 3], [3, 1, 2, 1], return_indices=True)
    (tensor([1, 3]), tensor([0, 1]), tensor([1, 0]))
    """
    x, y = _pair(ar1, ar2)
    x, y = x.reshape(-1), y.reshape(-1)
    common = _unique(x)[torch.isin(_unique(x), y)]
    if not return_indices:
        return common
    return common, _first_index(x, common), _first_index(y, common)


def _first_index(x: Tensor, values: Tensor) -> Tensor:
    """The index of the first occurrence in ``x`` of each of ``values`` (all present)."""
    n = x.shape[0]
    hit = x.unsqueeze(0) == values.unsqueeze(1)
    pos = torch.where(hit, torch.arange(n, device=x.device), n)
    return pos.amin(1) if values.numel() else torch.zeros(0, dtype=torch.int64, device=x.device)


def setdiff1d(ar1: Any, ar2: Any, assume_unique: bool = False) -> Tensor:
    """The sorted unique values of ``ar1`` that are not in ``ar2`` (``numpy.setdiff1d``;
    with ``assume_unique=True`` the values of ``ar1`` keep their order).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.setdiff1d([1, 2, 3, 2, 4, 1], [3, 4, 5, 6])
    tensor([1, 2])
    """
    x, y = _pair(ar1, ar2)
    u = x.reshape(-1) if assume_unique else _unique(x)
    return u[~torch.isin(u, y.reshape(-1))]


def setxor1d(ar1: Any, ar2: Any, assume_unique: bool = False) -> Tensor:
    """The sorted unique values in exactly one of the arrays (``numpy.setxor1d``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.setxor1d([1, 2, 3, 2, 4], [2, 3, 5, 7, 5])
    tensor([1, 4, 5, 7])
    """
    x, y = _pair(ar1, ar2)
    ux, uy = _unique(x), _unique(y)
    return torch.cat([ux[~torch.isin(ux, uy)], uy[~torch.isin(uy, ux)]]).sort().values


def union1d(ar1: Any, ar2: Any) -> Tensor:
    """The sorted unique values in either array (``numpy.union1d``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.union1d([[-1, 0]], [-2, 0, 2])
    tensor([-2, -1,  0,  2])
    """
    x, y = _pair(ar1, ar2)
    return _unique(torch.cat([x.reshape(-1), y.reshape(-1)]))
