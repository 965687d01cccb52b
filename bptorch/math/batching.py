"""``bm.vmap`` with named axes, the collectives ``psum``/``pmean``/``pmax``/``pmin``,
and what ``grad(..., reduce_axes=...)`` hooks into.

``torch.func.vmap`` has no axis names; bptorch adds them. Each ``bm.vmap(...,
axis_name=name)`` registers, for the calling thread and while its function runs,
an axis that knows its ``torch.func`` level and size. A collective is an
``autograd.Function`` with a custom vmap rule: ``torch.func`` hands the rule the
physical tensor of each level in turn; at the named level it reduces the batch
dimension, at other levels it passes the dimension through. So collectives
compose with nested maps (each name reduces exactly its own axis) and with
differentiation: the transpose of ``psum`` is ``psum``, as in JAX.

Examples
--------
>>> import torch, bptorch.math as bm
>>> x = torch.tensor([1., 2., 3.])
>>> bm.vmap(lambda xi: xi / bm.psum(xi, 'batch'), axis_name='batch')(x)
tensor([0.1667, 0.3333, 0.5000])
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Sequence

import torch

from bptorch import _compat
from bptorch._compat import pytree
from bptorch.errors import ArgumentTypeError, MathError
from bptorch.math import state
from bptorch.math.variables import Variable, as_tensor

__all__ = ['vmap', 'psum', 'pmean', 'pmax', 'pmin', 'axis_size', 'check_axis_names',
           'reduce_unmapped', 'NamedAxis', 'push_axis', 'pop_axis']

# ---------------------------------------------------------------------------
# the registry of named axes
# ---------------------------------------------------------------------------

class NamedAxis:
    """A named axis: a ``bm.vmap`` level, or (see :mod:`bptorch.math.distributed`) a
    ``torch.distributed`` process group.

    ``level`` is the ``torch.func`` level of a vmap axis (None otherwise).
    Subclasses say how to reduce a value that is not batched along a vmap axis
    (:meth:`reduce_unbatched`) and which values vary along the axis (:meth:`is_mapped`).
    """

    __slots__ = ('name', 'size', 'level')

    def __init__(self, name: str, size: int, level: int | None = None):
        self.name = name
        self.size = size
        self.level = level

    def collect(self, x: torch.Tensor, op: str) -> torch.Tensor:
        """The collective ``op`` ('sum', 'max' or 'min') of ``x`` over this axis."""
        return _Collective.apply(x, self, op)

    def reduce_unbatched(self, x: torch.Tensor, op: str) -> torch.Tensor:
        raise NotImplementedError

    def is_mapped(self, x: torch.Tensor, kind: str) -> bool:
        """Whether ``x`` (an 'arg'ument or a 'var'iable value) varies along the axis."""
        raise NotImplementedError


class _VmapAxis(NamedAxis):
    __slots__ = ()

    def reduce_unbatched(self, x, op):
        return x * self.size if op == 'sum' else x.clone()   # the same value everywhere

    def is_mapped(self, x, kind):
        return _compat.is_batched_at(x, self.level)


class _Axes(threading.local):
    def __init__(self):
        self.stack: list[NamedAxis] = []


_axes = _Axes()


def push_axis(axis: NamedAxis) -> None:
    """Make ``axis`` visible to collectives in this thread (innermost first)."""
    _axes.stack.append(axis)


def pop_axis(axis: NamedAxis) -> None:
    stack = _axes.stack
    if not stack or stack[-1] is not axis:
        raise RuntimeError(f'named axis {axis.name!r} is not the innermost one')
    stack.pop()


def _find(name: Any, api: str) -> NamedAxis:
    for axis in reversed(_axes.stack):
        if axis.name == name:
            return axis
    active = [a.name for a in _axes.stack]
    raise NameError(f'{api}: unbound axis name {name!r}; no enclosing bm.vmap (or '
                    f'bm.distributed axis) is named so (active axes: {active})')


def check_axis_names(names: Sequence[str], api: str) -> None:
    """Raise NameError for any name that no enclosing axis has."""
    for name in names:
        _find(name, f'{api}: reduce_axes')


def axis_size(axis_name: str) -> int:
    """The size of the named axis (the batch size of that ``bm.vmap``).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.vmap(lambda x: x * bm.axis_size('i'), axis_name='i')(torch.ones(4))
    tensor([4., 4., 4., 4.])
    """
    return _find(axis_name, 'bm.axis_size').size


# ---------------------------------------------------------------------------
# collectives
# ---------------------------------------------------------------------------

_REDUCE_DIM = {'sum': torch.sum, 'max': torch.amax, 'min': torch.amin}


class _Collective(torch.autograd.Function):
    """A reduction over a named axis; its transpose (the gradient) is a psum, as in JAX.

    For max and min, the gradient goes to the examples that hold the extreme
    value, shared equally between ties.
    """

    @staticmethod
    def forward(x, axis, op):
        return axis.reduce_unbatched(x, op)

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, ctx.axis, ctx.op = inputs
        if ctx.op != 'sum':
            ctx.save_for_backward(x, output)

    @staticmethod
    def backward(ctx, g):
        total = _Collective.apply(g, ctx.axis, 'sum')
        if ctx.op == 'sum':
            return total, None, None
        x, y = ctx.saved_tensors
        hit = (x == y).to(g.dtype)
        return total * hit / _Collective.apply(hit, ctx.axis, 'sum'), None, None

    @staticmethod
    def vmap(info, in_dims, x, axis, op):
        bdim = in_dims[0]
        if axis.level is not None and _compat.processing_level() == axis.level:
            return _REDUCE_DIM[op](x, bdim), None
        return _Collective.apply(x, axis, op), bdim     # another axis: keep this batch dim


def _collective(x: Any, axis_name: Any, op: str, api: str) -> Any:
    names = axis_name if isinstance(axis_name, (tuple, list)) else (axis_name,)
    axes = [_find(n, api) for n in names]

    def one(leaf):
        t = leaf.value if isinstance(leaf, Variable) else as_tensor(leaf)
        for axis in axes:
            t = axis.collect(t, op)
        return t
    return pytree.tree_map(one, x)


def psum(x: Any, axis_name: str | Sequence[str]) -> Any:
    """Sum ``x`` over the named axis (or axes); every example gets the total.

    A value that does not vary along the axis is multiplied by its size, as in JAX.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.vmap(lambda x: bm.psum(x, 'i'), axis_name='i')(torch.tensor([1., 2.]))
    tensor([3., 3.])
    """
    return _collective(x, axis_name, 'sum', 'bm.psum')


def pmean(x: Any, axis_name: str | Sequence[str]) -> Any:
    """Mean of ``x`` over the named axis (or axes).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.vmap(lambda x: x - bm.pmean(x, 'i'), axis_name='i')(torch.tensor([1., 3.]))
    tensor([-1.,  1.])
    """
    names = axis_name if isinstance(axis_name, (tuple, list)) else (axis_name,)
    total = 1
    for n in names:
        total *= _find(n, 'bm.pmean').size
    return pytree.tree_map(lambda t: t / total, psum(x, axis_name))


def pmax(x: Any, axis_name: str | Sequence[str]) -> Any:
    """Maximum of ``x`` over the named axis (or axes).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.vmap(lambda x: bm.pmax(x, 'i'), axis_name='i')(torch.tensor([1., 5., 2.]))
    tensor([5., 5., 5.])
    """
    return _collective(x, axis_name, 'max', 'bm.pmax')


def pmin(x: Any, axis_name: str | Sequence[str]) -> Any:
    """Minimum of ``x`` over the named axis (or axes).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.vmap(lambda x: bm.pmin(x, 'i'), axis_name='i')(torch.tensor([3., 1., 2.]))
    tensor([1., 1., 1.])
    """
    return _collective(x, axis_name, 'min', 'bm.pmin')


def reduce_unmapped(grads: Sequence[torch.Tensor], primals: Sequence[torch.Tensor],
                    reduce_axes: Sequence[str], kind: str) -> list[torch.Tensor]:
    """``reduce_axes``: sum over each named axis the gradients of primals not mapped over it.

    ``kind`` says what the primals are: 'var' (grad_vars values) or 'arg' (arguments).
    """
    axes = [_find(n, 'reduce_axes') for n in reduce_axes]
    out = []
    for g, x in zip(grads, primals):
        for axis in axes:
            if not axis.is_mapped(x, kind):
                g = axis.collect(g, 'sum')
        out.append(g)
    return out


# ---------------------------------------------------------------------------
# bm.vmap
# ---------------------------------------------------------------------------

def _variables(tree: Any, api: str, what: str) -> list[Variable]:
    if tree is None:
        return []
    if isinstance(tree, dict):
        tree = dict(tree)
    leaves = pytree.tree_leaves(tree)
    out, seen = [], set()
    for leaf in leaves:
        if not isinstance(leaf, Variable):
            raise ArgumentTypeError(f'{api}: {what} must hold bm.Variable objects only, got '
                                    f'{type(leaf).__name__}')
        if id(leaf) not in seen:
            seen.add(id(leaf))
            out.append(leaf)
    return out


def _check_axes(axes: Any, api: str, what: str) -> None:
    """``in_axes`` / ``out_axes``: an int, None, or a tuple/list/dict of them (nested)."""
    if axes is None or (isinstance(axes, int) and not isinstance(axes, bool)):
        return
    if isinstance(axes, (tuple, list)):
        for a in axes:
            _check_axes(a, api, what)
        return
    if isinstance(axes, dict):
        for a in axes.values():
            _check_axes(a, api, what)
        return
    raise TypeError(f'{api}: {what} must be an int, None, or a tuple/list/dict of them, '
                    f'got {axes!r}')


def _size_of(arg: Any, ax: Any, label: str, api: str) -> int | None:
    """The mapped size of ``arg`` under the ``in_axes`` entry ``ax`` (None if unmapped);
    an axis out of range for one of its tensors is a ValueError naming in_axes."""
    if ax is None:
        return None
    if isinstance(ax, int):
        size = None
        for leaf in pytree.tree_leaves(arg):
            t = leaf.value if isinstance(leaf, Variable) else leaf
            if isinstance(t, torch.Tensor):
                if not -t.dim() <= ax < t.dim():
                    raise ValueError(f'{api}: in_axes maps axis {ax} of {label}, but it has shape '
                                     f'{tuple(t.shape)} (axes -{t.dim()} to {t.dim() - 1})')
                size = t.shape[ax] if size is None else size
        return size
    if isinstance(ax, (tuple, list)) and isinstance(arg, (tuple, list)):
        pairs = ((a, x, f'{label}[{i}]') for i, (a, x) in enumerate(zip(arg, ax)))
    elif isinstance(ax, dict) and isinstance(arg, dict):
        pairs = ((arg[k], a, f'{label}[{k!r}]') for k, a in ax.items() if k in arg)
    else:
        return None
    size = None
    for a, x, sub in pairs:
        found = _size_of(a, x, sub, api)
        size = found if size is None else size
    return size


def vmap(func: Callable, dyn_vars: Any = None, batched_vars: Any = None, in_axes: Any = 0,
         out_axes: Any = 0, axis_name: str | None = None, *, randomness: str = 'error',
         chunk_size: int | None = None) -> Callable:
    """Vectorize ``func`` over a batch axis, with Variables and an optional axis name.

    Parameters
    ----------
    func : callable or bp.Base
        The per-example function.
    dyn_vars : Variable or container, optional
        Accepted for BrainPy compatibility; Variables read inside are found
        automatically and broadcast (the same value for every example).
    batched_vars : Variable or container, optional
        Variables holding one value per example along axis 0: inside, each
        example sees its own slice; afterwards they hold the per-example results.
    in_axes, out_axes : int, None or pytree
        As ``jax.vmap`` (``None`` leaves an argument unmapped). Keyword arguments
        are mapped along axis 0, as in JAX.
    axis_name : str, optional
        Name of the axis, for ``bm.psum``/``pmean``/``pmax``/``pmin`` and
        ``bm.grad(..., reduce_axes=...)`` inside.
    randomness : {'error', 'different', 'same'}
        Passed to ``torch.func.vmap``.
    chunk_size : int, optional
        Passed to ``torch.func.vmap``: map in chunks to save memory.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> w = bm.TrainVar(torch.tensor([1., 2.]))
    >>> per_example = bm.vmap(bm.grad(lambda x: (w * x).sum() ** 2, grad_vars=w))
    >>> per_example(torch.tensor([[1., 0.], [0., 1.]]))
    tensor([[2., 0.],
            [0., 4.]])
    """
    api = 'bm.vmap'
    if not callable(func):
        raise ArgumentTypeError(f'{api}: func must be callable, got {type(func).__name__}')
    state.check_dyn_vars(dyn_vars, api)
    bvars = _variables(batched_vars, api, 'batched_vars')
    if axis_name is not None and not isinstance(axis_name, str):
        raise TypeError(f'{api}: axis_name must be a str or None, got {axis_name!r}')
    if randomness not in ('error', 'different', 'same'):
        raise ValueError(f"{api}: randomness must be 'error', 'different' or 'same', got {randomness!r}")
    if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
        raise ValueError(f'{api}: chunk_size must be a positive int or None, got {chunk_size!r}')
    if chunk_size is not None and axis_name is not None:
        raise NotImplementedError(
            f'{api}: chunk_size with axis_name is not supported: collectives and reduce_axes '
            f'over {axis_name!r} would reduce each chunk separately; drop chunk_size')
    _check_axes(in_axes, api, 'in_axes')
    _check_axes(out_axes, api, 'out_axes')
    unmapped_outputs = None in pytree.tree_leaves(out_axes, is_leaf=lambda x: x is None) \
        if out_axes is not None else True
    if isinstance(in_axes, list):
        in_axes = tuple(in_axes)

    def vmapped(*args, **kwargs):
        axes = in_axes if isinstance(in_axes, tuple) else (in_axes,) * len(args)
        if len(axes) != len(args):
            raise ValueError(f'{api}: in_axes has {len(axes)} entries but the call has '
                             f'{len(args)} positional arguments')
        if not all(type(a) is torch.Tensor for a in args):
            args = pytree.tree_map(_unwrap_variable, args)     # Variables at any depth
        if kwargs:
            kwargs = pytree.tree_map(_unwrap_variable, kwargs)
        size = None
        for i, (arg, ax) in enumerate(zip(args, axes)):
            found = _size_of(arg, ax, f'argument {i}', api)
            size = found if size is None else size
        if size is None:
            size = _size_of(kwargs, 0, 'the keyword arguments', api)
        if size is None and axis_name is not None:
            raise ValueError(f'{api}: no argument is mapped, so axis {axis_name!r} has no size; '
                             'map at least one tensor argument')
        bvals = [v.value for v in bvars]
        for val in bvals:
            if val.dim() == 0 or (size is not None and val.shape[0] != size):
                raise MathError(f'{api}: batched_vars holds a Variable of shape {tuple(val.shape)}, '
                                f'but the mapped axis has size {size}; a batched Variable '
                                'needs one value per example along axis 0')
        written: list[Variable] = []
        nones: list[int] = []           # where the output has None leaves (vmap wants tensors)
        out_layout: list = []           # with unmapped outputs: (output spec, axis per leaf)

        def per_example(bvals, kwargs, *args):
            tracing = state.tracing()      # torch.compile traces vmap without functorch levels
            level = None if tracing else _compat.current_level()
            axis = _VmapAxis(axis_name, size, level) if axis_name is not None else None
            swaps = {id(v): t for v, t in zip(bvars, bvals)}
            if axis is not None:
                push_axis(axis)
            try:
                out, writes = state.run('vmap', func, args, kwargs, swaps=dict(swaps), api=api)
            finally:
                if axis is not None:
                    pop_axis(axis)
            batched_ids = {id(v) for v in bvars}
            shared = []
            for var, value in writes:
                if id(var) in batched_ids:
                    continue
                if not tracing and _compat.is_batched_at(value, level):
                    raise MathError(
                        f'{api}: {type(var).__name__} of shape {tuple(var.shape)} was assigned '
                        'a value that differs across the mapped axis; list it in batched_vars '
                        'to keep one value per example')
                shared.append((var, value))
            written[:] = [v for v, _ in shared]
            done = dict((id(v), t) for v, t in writes)
            new_bvals = [done.get(id(v), swaps[id(v)]) for v in bvars]
            shared_vals = [t for _, t in shared]
            if type(out) is torch.Tensor and not unmapped_outputs:
                nones.clear()
                return out, new_bvals, shared_vals
            leaves, spec = pytree.tree_flatten(out)
            nones[:] = [i for i, leaf in enumerate(leaves) if leaf is None]
            leaves = [_PLACEHOLDER if leaf is None else _unwrap_variable(leaf) for leaf in leaves]
            if not unmapped_outputs:
                return pytree.tree_unflatten(leaves, spec), new_bvals, shared_vals
            # out_axes with None: every output comes out along axis 0 (torch.func.vmap
            # refuses None for a value batched at an *outer* level), then is put in place
            dims = _out_dims(out_axes, spec, api)
            for leaf, d in zip(leaves, dims):
                if d is None and not tracing and _compat.is_batched_at(leaf, level):
                    raise MathError(f'{api}: out_axes=None for an output that varies along the '
                                    'mapped axis; map it (an int in out_axes) or make it '
                                    'independent of the mapped arguments')
            out_layout[:] = [spec, dims]
            return leaves, new_bvals, shared_vals

        # chunks are concatenated along out_dims: unbatched writes come back mapped
        # (the same value for every example, checked above), and one is taken
        # (and unbatched writes come out along axis 0, then one is taken: torch.func.vmap
        # refuses out_dims=None for a value batched at an enclosing level)
        mapped = torch.func.vmap(per_example, in_dims=(0, 0) + axes,
                                 out_dims=(0 if unmapped_outputs else out_axes, 0, 0),
                                 randomness=randomness, chunk_size=chunk_size)
        out, new_bvals, shared_vals = mapped(bvals, kwargs, *args)
        shared_vals = [t[0] for t in shared_vals]
        if unmapped_outputs:
            spec, dims = out_layout
            out = pytree.tree_unflatten(
                [x[0] if d is None else (x if d == 0 else x.movedim(0, d))
                 for x, d in zip(out, dims)], spec)
        state.write_back(zip(bvars, new_bvals))
        state.write_back(zip(written, shared_vals))
        if nones:
            leaves, spec = pytree.tree_flatten(out)
            for i in nones:
                leaves[i] = None
            out = pytree.tree_unflatten(leaves, spec)
        return out

    if axis_name is not None or bvars:
        # Named axes and batched Variables need torch.func's levels, which code being
        # compiled does not have: under bm.jit this part runs eagerly (a graph break).
        why = 'bm.vmap with axis_name or batched_vars runs eagerly under torch.compile'
        vmapped = _compat.disable_dynamo(vmapped, reason=why)
    vmapped.__wrapped__ = func
    vmapped.__name__ = getattr(func, '__name__', type(func).__name__)
    vmapped.__doc__ = f'bm.vmap of {vmapped.__name__}.'
    return vmapped


def _out_dims(out_axes: Any, spec, api: str) -> list:
    """``out_axes`` broadcast over an output's structure: one axis (or None) per leaf."""
    if out_axes is None or isinstance(out_axes, int):
        return [out_axes] * spec.num_leaves
    dims = _compat.broadcast_prefix(out_axes, spec)
    if dims is None:
        raise ValueError(f'{api}: out_axes {out_axes!r} does not match the structure of the '
                         f'output ({spec})')
    return dims


def _unwrap_variable(x):
    return x.value if isinstance(x, Variable) else x


_PLACEHOLDER = torch.zeros(())   # stands for a None output inside torch.func.vmap
