"""Clipping gradients by their norm.

Examples
--------
>>> import bptorch.math as bm
>>> from bptorch.math.clipping import clip_by_norm
>>> clip_by_norm(bm.array([3., 4.]), 1.0)
tensor([0.6000, 0.8000])
"""

from __future__ import annotations

from numbers import Real
from typing import Any

import torch

from bptorch.math.variables import Variable

__all__ = ['clip_by_norm']


def _leaves(tree: Any, out: list[torch.Tensor]) -> list[torch.Tensor]:
    """The tensors of a (nested) dict, list or tuple of tensors and Variables, in order."""
    if isinstance(tree, dict):
        for value in tree.values():
            _leaves(value, out)
    elif isinstance(tree, (list, tuple)):
        for value in tree:
            _leaves(value, out)
    elif isinstance(tree, Variable):
        out.append(tree.value)
    elif isinstance(tree, torch.Tensor):
        out.append(tree)
    else:
        raise TypeError(f'clip_by_norm: expected tensors, Variables, or dicts, lists and tuples '
                        f'of them; got {type(tree).__name__}')
    return out


def _rebuild(tree: Any, leaves: Any) -> Any:
    """``tree`` with its tensors replaced, in order, by those ``leaves`` yields."""
    if isinstance(tree, dict):
        return type(tree)({key: _rebuild(value, leaves) for key, value in tree.items()})
    if isinstance(tree, tuple) and hasattr(tree, '_fields'):      # a namedtuple
        return type(tree)(*(_rebuild(value, leaves) for value in tree))
    if isinstance(tree, (list, tuple)):
        return type(tree)(_rebuild(value, leaves) for value in tree)
    return next(leaves)


def clip_by_norm(t: Any, max_norm: float | torch.Tensor, axis: int | tuple[int, ...] | None = None
                 ) -> Any:
    """Scale ``t`` down so that its L2 norm is at most ``max_norm``.

    ``t * max_norm / max(norm(t), max_norm)``: unchanged when the norm is within
    the bound. Written with tensor operations only (no branching on values), so
    it can be traced by ``torch.compile``.

    Parameters
    ----------
    t : tensor, Variable, or dict / list / tuple of them (nested)
        What to clip. A structure is clipped by its global norm, the norm of all
        its elements together (as ``torch.nn.utils.clip_grad_norm_`` and optax's
        ``clip_by_global_norm`` do), and the same structure is returned.
    max_norm : float or 0-d tensor
        The bound (positive).
    axis : int or tuple of int, optional
        For a single tensor: clip each slice along these axes by its own norm.

    Returns
    -------
    tensor or structure
        The clipped values (new tensors; Variables are not modified).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> from bptorch.math.clipping import clip_by_norm
    >>> clip_by_norm(bm.array([[3., 4.], [0.3, 0.4]]), 1.0, axis=1)
    tensor([[0.6000, 0.8000],
            [0.3000, 0.4000]])
    >>> clip_by_norm({'a': bm.array([6.]), 'b': [bm.array([8.])]}, 5.0)
    {'a': tensor([3.]), 'b': [tensor([4.])]}
    """
    if isinstance(max_norm, Real) and not max_norm > 0:
        raise ValueError(f'clip_by_norm: max_norm must be positive, got {max_norm}')
    if isinstance(t, (torch.Tensor, Variable)):
        t = t.value if isinstance(t, Variable) else t
        norm = torch.linalg.vector_norm(t, dim=axis, keepdim=True)
        return t * (max_norm / torch.clamp(norm, min=max_norm)).to(t.dtype)
    if axis is not None:
        raise ValueError('clip_by_norm: axis is only for a single tensor; a dict, list or tuple '
                         'is clipped by its global norm')
    leaves = _leaves(t, [])
    if not leaves:
        return t
    squares = sum(torch.linalg.vector_norm(leaf) ** 2 for leaf in leaves)
    scale = max_norm / torch.clamp(torch.sqrt(squares), min=max_norm)
    return _rebuild(t, iter([leaf * scale.to(leaf.dtype) for leaf in leaves]))
