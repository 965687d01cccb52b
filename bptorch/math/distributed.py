"""Named axes over ``torch.distributed`` process groups: data parallelism, the BrainPy way.

BrainPy had ``bm.pmap`` with a named axis; bptorch binds a name to a process
group of torch's own engine. Inside ``with bm.distributed.axis('data'):``

- ``bm.psum`` / ``pmean`` / ``pmax`` / ``pmin`` over ``'data'`` are all-reduces
  over the group (differentiable: the gradient of a psum is a psum);
- ``bm.grad(..., reduce_axes=('data',))`` returns the gradients of Variables
  (``grad_vars``) summed over all ranks: the data-parallel total gradient,
  identical on every rank. Arguments count as each rank's own data, so their
  gradients stay per-rank.

Each rank runs the same program on its own shard of the data. Without an
initialized process group (or with one process) the axis has size 1 and every
collective is the identity, so the same code runs on one process unchanged.
It composes with ``bm.vmap(..., axis_name='batch')`` inside it (reduce over
either name or both) and with ``bm.jit``.

Examples
--------
>>> import torch, bptorch.math as bm
>>> w = bm.TrainVar(torch.tensor([1., 2.]))
>>> loss = lambda x: (w * x).sum()
>>> with bm.distributed.axis('data'):        # one process: size 1
...     bm.grad(loss, grad_vars=w, reduce_axes=('data',))(torch.tensor([3., 4.]))
tensor([3., 4.])
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import torch
import torch.distributed as dist
from bptorch._compat import pytree

from bptorch.math.batching import NamedAxis, pop_axis, push_axis
from bptorch.math.variables import Variable

__all__ = ['axis', 'broadcast', 'is_initialized', 'rank', 'world_size']

_OPS = {'sum': 'SUM', 'max': 'MAX', 'min': 'MIN'}


def is_initialized() -> bool:
    """Whether a default process group exists (``torch.distributed.init_process_group``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.distributed.is_initialized()     # a plain process: no process group
    False
    """
    return dist.is_available() and dist.is_initialized()


def world_size(group: Any = None) -> int:
    """The number of processes in ``group`` (1 without a process group).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.distributed.world_size()
    1
    """
    return dist.get_world_size(group) if is_initialized() else 1


def rank(group: Any = None) -> int:
    """This process's rank in ``group`` (0 without a process group).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.distributed.rank()
    0
    """
    return dist.get_rank(group) if is_initialized() else 0


class _GroupAxis(NamedAxis):
    """A named axis whose positions are the ranks of a process group."""

    __slots__ = ('group',)

    def __init__(self, name: str, group: Any):
        super().__init__(name, world_size(group))
        self.group = group

    def reduce_unbatched(self, x: torch.Tensor, op: str) -> torch.Tensor:
        out = x.clone()
        if self.size > 1:
            dist.all_reduce(out, op=getattr(dist.ReduceOp, _OPS[op]), group=self.group)
        return out

    def is_mapped(self, x: torch.Tensor, kind: str) -> bool:
        return kind == 'arg'          # arguments are each rank's data; Variables are replicated


class axis:
    """Bind ``name`` to a process group, as a context manager or a decorator.

    Parameters
    ----------
    name : str
        The axis name used by ``bm.psum``/``pmean``/``pmax``/``pmin`` and
        ``bm.grad(..., reduce_axes=...)``.
    group : ProcessGroup, optional
        The group (default: the world group). Without an initialized process
        group the axis has size 1.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> @bm.distributed.axis('data')
    ... def mean_over_ranks(x):
    ...     return bm.pmean(x, 'data')
    >>> mean_over_ranks(torch.tensor([1., 2.]))
    tensor([1., 2.])
    """

    def __init__(self, name: str = 'data', group: Any = None):
        if not isinstance(name, str):
            raise TypeError(f'bm.distributed.axis: name must be a str, got {name!r}')
        if group is not None and not is_initialized():
            raise RuntimeError('bm.distributed.axis: a group was given but torch.distributed is '
                               'not initialized; call torch.distributed.init_process_group first')
        self.name = name
        self.group = group
        self._active: list[_GroupAxis] = []

    @property
    def size(self) -> int:
        """The number of ranks along the axis."""
        return world_size(self.group)

    def __enter__(self) -> 'axis':
        bound = _GroupAxis(self.name, self.group)
        push_axis(bound)
        self._active.append(bound)
        return self

    def __exit__(self, *exc) -> None:
        pop_axis(self._active.pop())

    def __call__(self, func: Callable) -> Callable:
        @functools.wraps(func)
        def bound(*args, **kwargs):
            with self:
                return func(*args, **kwargs)
        return bound

    def __repr__(self) -> str:
        return f'bm.distributed.axis({self.name!r}, size={self.size})'


def broadcast(variables: Any, src: int = 0, group: Any = None) -> None:
    """Give every rank rank ``src``'s values of ``variables`` (Variables, tensors, or a
    collector / dict / list of them), e.g. to start data-parallel training in sync.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> v = bm.Variable(torch.ones(2))
    >>> bm.distributed.broadcast([v])        # one process: nothing to do
    >>> v.value
    tensor([1., 1.])
    """
    if isinstance(variables, dict):
        variables = dict(variables)
    for leaf in pytree.tree_leaves(variables):
        if not isinstance(leaf, (Variable, torch.Tensor)):
            raise TypeError(f'bm.distributed.broadcast: expected Variables or tensors, '
                            f'got {type(leaf).__name__}')
        if world_size(group) == 1:
            continue
        tensor = leaf.value if isinstance(leaf, Variable) else leaf
        with torch.no_grad():
            dist.broadcast(tensor.data, src=src, group=group)
