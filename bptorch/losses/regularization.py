"""Regularisation terms (BrainPy 2.1.12's ``brainpy.losses.l2_norm``)."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from bptorch.math.variables import Variable, as_tensor

__all__ = ['l2_norm']


def _leaves(x: Any) -> list:
    """The arrays of a tree of dicts, lists and tuples (BrainPy's ``tree_flatten``)."""
    if isinstance(x, dict):
        return [leaf for k in x for leaf in _leaves(x[k])]
    if isinstance(x, (list, tuple)):
        return [leaf for e in x for leaf in _leaves(e)]
    return [x]


def l2_norm(x: Any) -> Tensor:
    r"""The L2 norm of all the numbers in ``x``: :math:`\sqrt{\sum_i |x_i|^2}`.

    ``x`` is an array or a tree (dicts, lists, tuples) of arrays, Variables and
    numbers, such as ``model.train_vars()``. The result is real (also for complex
    ``x``, where JAX's ``vdot`` returns a complex number with zero imaginary part).

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> bp.losses.l2_norm([3., 4.])
    tensor(5.)
    >>> bp.losses.l2_norm({'w': bm.ones((2, 2)), 'b': bm.Variable(bm.zeros(3))})
    tensor(2.)
    """
    leaves = _leaves(x)
    if not leaves:
        raise ValueError('l2_norm: x holds no arrays')
    tensors = [as_tensor(leaf) for leaf in leaves]
    device = next((t.device for t, leaf in zip(tensors, leaves)
                   if isinstance(leaf, (Tensor, Variable))), tensors[0].device)
    total = sum(torch.sum(torch.square(torch.abs(t.to(device)))) for t in tensors)
    if not (total.is_floating_point() or total.is_complex()):
        total = total.to(torch.get_default_dtype())
    return torch.sqrt(total)
