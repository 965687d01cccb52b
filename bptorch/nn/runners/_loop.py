"""The time loop of the runners, and helpers for trees of tensors.

:func:`for_loop` has the calling convention of BrainPy 2.1.12's
``bm.for_loop(body_fun, dyn_vars, operands)``: ``body_fun`` gets the slice of
``operands`` (a tensor, or a dict / list / tuple of them, None allowed) at each
index of the leading axis, and the results are stacked along a new leading
axis; what the body writes to Variables carries over from step to step. It is a
plain Python loop until ``bm.for_loop`` exists, and then becomes a call to it.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import torch

__all__ = ['for_loop', 'tree_leaves', 'tree_map', 'index_tree', 'stack_trees', 'num_steps']


def tree_map(fun: Callable, tree: Any) -> Any:
    """``fun`` on every tensor of a dict / list / tuple tree (None and others unchanged)."""
    if isinstance(tree, torch.Tensor):
        return fun(tree)
    if isinstance(tree, dict):
        return {k: tree_map(fun, v) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return type(tree)(tree_map(fun, v) for v in tree)
    return tree


def tree_leaves(tree: Any) -> list:
    """The tensors of a tree, in order."""
    out = []
    tree_map(out.append, tree)
    return out


def index_tree(tree: Any, i: int) -> Any:
    """The slice ``i`` of every tensor of a tree along its leading axis."""
    return tree_map(lambda x: x[i], tree)


def stack_trees(trees: list) -> Any:
    """Trees of one structure stacked leaf by leaf along a new leading axis."""
    first = trees[0]
    if isinstance(first, torch.Tensor):
        return torch.stack(trees)
    if isinstance(first, dict):
        return {k: stack_trees([t[k] for t in trees]) for k in first}
    if isinstance(first, (list, tuple)):
        return type(first)(stack_trees([t[i] for t in trees]) for i in range(len(first)))
    if first is None:
        return None
    if isinstance(first, (int, float, bool, np.number)):
        return torch.as_tensor(trees)
    raise TypeError(f'for_loop: the body returned a {type(first).__name__}; it may return '
                    f'tensors and dicts, lists or tuples of them')


def num_steps(operands: Any) -> int:
    """The common length of the leading axes of the operands' tensors."""
    lengths = {x.shape[0] for x in tree_leaves(operands)}
    if not lengths:
        raise ValueError('for_loop: the operands hold no tensor to loop over')
    if len(lengths) > 1:
        raise ValueError(f'for_loop: the operands have different lengths {sorted(lengths)} along '
                         f'their leading axis')
    return lengths.pop()


def for_loop(body_fun: Callable, dyn_vars: Any, operands: Any) -> Any:
    """Run ``body_fun`` on each slice of ``operands``; the stacked results.

    ``dyn_vars`` (the Variables the body updates) is accepted for
    ``bm.for_loop``'s signature; a Python loop needs no list of them.

    Examples
    --------
    >>> import torch
    >>> from bptorch.nn.runners._loop import for_loop
    >>> for_loop(lambda x: {'twice': 2 * x}, [], torch.arange(3.))
    {'twice': tensor([0., 2., 4.])}
    """
    n = num_steps(operands)
    if n == 0:
        raise ValueError('for_loop: there are no time steps to run (the leading axis is empty)')
    return stack_trees([body_fun(index_tree(operands, i)) for i in range(n)])
