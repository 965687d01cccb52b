"""The engine behind ``bm.grad``, ``vector_grad``, ``jacrev``, ``jacfwd`` and ``hessian``.

A :class:`Differentiator` is built once per transformed function: it checks the
arguments, resolves ``grad_vars`` to Variables and module slots, and remembers
how to rebuild the user's structures. Each call then

1. reads the current values of the targets and the differentiated arguments,
2. runs the function in a :mod:`~bptorch.math.state` frame that swaps those values
   for the transform's tensors,
3. differentiates, and writes back what the function assigned.

Two backends compute derivatives. When no ``torch.func`` transform is active and
nothing is being compiled, reverse mode uses ``torch.autograd.grad`` directly on
fresh leaves (the fast path: no functorch wrappers). Otherwise (inside
``vmap``/``torch.func`` transforms, under ``torch.compile``, and for forward mode
and Jacobians) it uses ``torch.func``. Both give JAX's conventions: gradients of
complex inputs are conjugated relative to torch's.
"""

from __future__ import annotations

import functools
import math
from contextlib import nullcontext
from typing import Any, Callable, Sequence

import numpy as np
import torch
from torch import nn
from torch.utils import _pytree as pytree

from bptorch.errors import MathError
from bptorch.math import batching, state
from bptorch.math.ops import float0
from bptorch.math.variables import Variable, _local, as_tensor

try:   # the engine call behind torch.autograd.grad (torch >= 2.3)
    from torch.autograd.graph import _engine_run_backward
except ImportError:  # pragma: no cover
    _engine_run_backward = None

__all__ = ['Differentiator', 'reverse', 'jacobian']


# ---------------------------------------------------------------------------
# grad_vars
# ---------------------------------------------------------------------------

def root_module(func: Callable) -> nn.Module | None:
    """The ``nn.Module`` a callable belongs to (itself, a bound method's owner), if any."""
    if isinstance(func, nn.Module):
        return func
    owner = getattr(func, '__self__', None)
    if isinstance(owner, nn.Module):
        return owner
    if isinstance(func, functools.partial):
        return root_module(func.func)
    wrapped = getattr(func, '__wrapped__', None)   # a bptorch transform of a module
    return root_module(wrapped) if wrapped is not None else None


def _describe(x: Any) -> str:
    if isinstance(x, torch.Tensor):
        return f'a tensor of shape {tuple(x.shape)} and dtype {x.dtype}'
    return f'a {type(x).__name__}'


def modules_used_by(func: Callable) -> list[nn.Module]:
    """The ``nn.Module`` s a plain function refers to by name (closure cells and globals)."""
    code = getattr(func, '__code__', None)
    if code is None:
        return []
    found = [c.cell_contents for c in (getattr(func, '__closure__', None) or ())
             if _cell_holds_module(c)]
    scope = getattr(func, '__globals__', {})
    found += [scope[n] for n in code.co_names if isinstance(scope.get(n), nn.Module)]
    return found


def _cell_holds_module(cell) -> bool:
    try:
        return isinstance(cell.cell_contents, nn.Module)
    except ValueError:       # an empty cell
        return False


class _TensorFinder:
    """Finds where the module trees a function uses hold a given tensor.

    The roots searched: the module ``func`` is (or is a method of), the modules
    whose ``vars()`` made the collectors in ``grad_vars`` (``owners``), and the
    modules a plain function refers to by name.
    """

    def __init__(self, func: Callable, api: str, label: str, owners: Sequence[nn.Module] = ()):
        root = root_module(func)
        roots = ([root] if root is not None else []) + list(owners)
        if root is None:
            roots += modules_used_by(func)
        roots = list({id(r): r for r in roots}.values())
        if not roots:
            raise TypeError(
                f'{api}: {label} is a tensor, but func is not an nn.Module or a method of '
                'one, uses no module by name, and grad_vars is not the vars() of a module, so '
                'there is no attribute to swap it through; wrap the tensor in a '
                'bm.Variable/bm.TrainVar, or pass it as an argument and use argnums')
        self.roots = roots
        self.api = api
        self.var_of: dict[int, Variable] = {}
        self.slot_of: dict[int, state.ModuleSlot] = {}
        for root in roots:
            root_name = getattr(root, 'name', type(root).__name__)
            for path, module in root.named_modules():
                for _, var in state.module_variables(module):
                    self.var_of.setdefault(id(var._value), var)
                for table in (module._parameters, module._buffers, module.__dict__):
                    for name, value in list(table.items()):
                        if isinstance(value, torch.Tensor):
                            where = '.'.join(p for p in (root_name, path, name) if p)
                            self.slot_of.setdefault(id(value),
                                                    state.ModuleSlot(module, name, where))

    def find(self, tensor: torch.Tensor, label: str):
        found = self.var_of.get(id(tensor))
        if found is None:
            found = self.slot_of.get(id(tensor))
        if found is None:
            names = ', '.join(type(r).__name__ for r in self.roots)
            raise TypeError(
                f'{self.api}: {label} is {_describe(tensor)} that is not held by the modules '
                f'being differentiated ({names}) or their submodules; pass a bm.Variable, or '
                'a parameter/buffer/tensor attribute of one of those modules')
        return found


def _plain_structure(grad_vars: Any, owners: list) -> Any:
    """``grad_vars`` with collectors as plain dicts and lists as tuples, at every depth
    (a list gives a tuple of gradients); the collectors' owners are added to ``owners``."""
    if isinstance(grad_vars, dict):
        owners.extend(getattr(grad_vars, 'owners', ()))
        return {k: _plain_structure(v, owners) for k, v in grad_vars.items()}
    if isinstance(grad_vars, (list, tuple)) and not hasattr(grad_vars, '_fields'):
        return tuple(_plain_structure(v, owners) for v in grad_vars)
    return grad_vars


class Targets:
    """``grad_vars`` resolved once: unique handles, and the user's structure to rebuild.

    A handle is a :class:`~bptorch.math.variables.Variable` or a
    :class:`~bptorch.math.state.ModuleSlot`.
    """

    __slots__ = ('handles', 'index', 'spec', 'slots', 'keys', 'kind', 'var_ids')

    def __init__(self, handles, index, spec, grad_vars):
        self.handles = handles
        self.index = index
        self.spec = spec
        self.slots = [h for h in handles if not isinstance(h, Variable)]
        self.var_ids = [id(h) for h in handles] if not self.slots else None
        flat = isinstance(grad_vars, (dict, tuple)) and all(
            isinstance(v, (Variable, torch.Tensor))
            for v in (grad_vars.values() if isinstance(grad_vars, dict) else grad_vars))
        if spec.is_leaf():
            self.kind, self.keys = 'single', None
        elif flat and isinstance(grad_vars, dict):
            self.kind, self.keys = 'dict', list(grad_vars)
        elif flat and isinstance(grad_vars, tuple):
            self.kind, self.keys = 'tuple', None
        else:
            self.kind, self.keys = 'tree', None

    @classmethod
    def resolve(cls, grad_vars: Any, func: Callable, api: str) -> 'Targets | None':
        if grad_vars is None:
            return None
        owners: list[nn.Module] = []      # the modules whose vars() made the collectors
        grad_vars = _plain_structure(grad_vars, owners)
        if isinstance(grad_vars, (dict, tuple)) and not grad_vars:
            return None
        leaves, spec = pytree.tree_flatten(grad_vars)
        paths = [_path_label(p) for p, _ in pytree.tree_flatten_with_path(grad_vars)[0]]
        handles, index, seen, finder = [], [], {}, None
        for item, path in zip(leaves, paths):
            label = f'grad_vars{path}'
            if isinstance(item, Variable):
                handle = item
            elif isinstance(item, torch.Tensor):
                finder = finder or _TensorFinder(func, api, label, owners)
                handle = finder.find(item, label)
            else:
                raise TypeError(f'{api}: {label} is {_describe(item)}; expected a bm.Variable, '
                                'or a tensor / nn.Parameter held by the module being differentiated')
            key = id(handle)
            if key not in seen:
                seen[key] = len(handles)
                handles.append(handle)
            index.append(seen[key])
        return cls(handles, index, spec, grad_vars)

    def current(self) -> list[tuple[torch.Tensor, bool]]:
        """Each target's current value, and whether it is the stored tensor itself
        (rather than another transform's tensor standing in for it)."""
        overlay = _local.overlay or _EMPTY
        out = []
        for h in self.handles:
            if isinstance(h, Variable):
                t = overlay.get(id(h))
                out.append((h._value, True) if t is None else (t, False))
            else:
                t = h.get()
                out.append((t, isinstance(t, nn.Parameter)))
        return out

    def rebuild(self, per_handle: Sequence[Any]) -> Any:
        """The user's structure, with ``per_handle[i]`` for the i-th unique handle."""
        kind, index = self.kind, self.index
        if kind == 'single':
            return per_handle[0]
        if kind == 'dict':
            return dict(zip(self.keys, [per_handle[i] for i in index]))
        if kind == 'tuple':
            return tuple([per_handle[i] for i in index])
        return pytree.tree_unflatten([per_handle[i] for i in index], self.spec)


_EMPTY: dict = {}
_NO_WRITES: list = []


def _path_label(path) -> str:
    return ''.join(str(k) for k in path)


# ---------------------------------------------------------------------------
# argnums
# ---------------------------------------------------------------------------

def check_argnums(argnums: Any, api: str) -> tuple[tuple[int, ...] | None, bool]:
    """Validate ``argnums`` at creation: returns (indices or None, whether it was an int)."""
    if argnums is None:
        return None, False
    if isinstance(argnums, bool) or not isinstance(argnums, (int, Sequence)) or isinstance(argnums, str):
        raise TypeError(f'{api}: argnums must be an int or a sequence of ints, got {argnums!r}')
    if isinstance(argnums, int):
        return (argnums,), True
    argnums = tuple(argnums)
    for a in argnums:
        if isinstance(a, bool) or not isinstance(a, int):
            raise TypeError(f'{api}: argnums must be an int or a sequence of ints, got {argnums!r}')
    if len(set(argnums)) != len(argnums):
        raise ValueError(f'{api}: argnums={argnums!r} repeats an index; each argument can be '
                         'differentiated once')
    return argnums, False


# ---------------------------------------------------------------------------
# dtype and output checks (JAX's rules and exception types)
# ---------------------------------------------------------------------------

def _is_int(t: torch.Tensor) -> bool:
    return not (t.is_floating_point() or t.is_complex())


def check_input(t: torch.Tensor, api: str, label: str, holomorphic: bool, allow_int: bool,
                forward: bool = False) -> bool:
    """Whether ``t`` is differentiated (False: an integer input allowed by ``allow_int``)."""
    if holomorphic and not t.is_complex():
        raise TypeError(f'{api} with holomorphic=True requires complex inputs, but {label} '
                        f'has dtype {t.dtype}; pass complex values or drop holomorphic=True')
    if _is_int(t):
        if forward:
            raise TypeError(f'{api} requires floating-point inputs, but {label} has dtype '
                            f'{t.dtype}; convert it with .float()')
        if not allow_int:
            raise TypeError(f'{api} requires floating-point or complex inputs, but {label} has '
                            f'dtype {t.dtype}; convert it, or pass allow_int=True to get a '
                            'zero gradient of dtype bm.float0 for it')
        return False
    if forward and t.is_complex() and not holomorphic:
        raise TypeError(f'{api} requires real inputs, but {label} has dtype {t.dtype}; '
                        'for holomorphic functions pass holomorphic=True')
    return True


def as_output(value: Any, api: str, what: str = 'func') -> torch.Tensor:
    if isinstance(value, Variable):
        return value.value
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, (tuple, list)):
        raise TypeError(
            f'{api}: {what} returned a {type(value).__name__}; gradients are defined for a '
            'single tensor output. If it returns (value, aux), pass has_aux=True')
    if isinstance(value, (bool, int, float, complex, np.ndarray, np.generic)):
        return as_tensor(value)
    raise TypeError(f'{api}: {what} returned {_describe(value)}; expected a tensor')


def check_output_dtype(value: torch.Tensor, api: str, holomorphic: bool) -> None:
    if holomorphic:
        if not value.is_complex():
            raise TypeError(f'{api} with holomorphic=True requires a complex output, but func '
                            f'returned dtype {value.dtype}')
    elif value.is_complex():
        hint = ('it has no holomorphic argument: use bm.jacrev(func, holomorphic=True), or '
                'differentiate the real and imaginary parts' if api == 'bm.vector_grad'
                else 'for holomorphic functions pass holomorphic=True')
        raise TypeError(f'{api} requires a real output, but func returned dtype {value.dtype}; '
                        f'{hint}')
    elif not value.is_floating_point():
        raise TypeError(f'{api} requires a floating-point output, but func returned dtype '
                        f'{value.dtype}; integer outputs have no gradient')


def check_scalar(value: torch.Tensor, api: str) -> None:
    if value.dim() != 0:
        raise TypeError(
            f'{api}: gradient only defined for scalar-output functions, but func returned a '
            f'tensor of shape {tuple(value.shape)}; reduce it (e.g. .sum()), or use '
            'bm.vector_grad or bm.jacrev for non-scalar outputs')


def split_aux(out: Any, has_aux: bool, api: str) -> tuple[Any, Any]:
    """``(value, aux)`` from what func returned (``aux`` None without ``has_aux``)."""
    if not has_aux:
        return out, None
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise TypeError(f'{api}: has_aux=True requires func to return a pair (value, aux), '
                        f'but it returned {_describe(out)}')
    return out[0], _unwrap_tree(out[1])


def _unwrap_tree(x: Any) -> Any:
    return pytree.tree_map(lambda e: e.value if isinstance(e, Variable) else e, x)


def _detach_tree(x: Any) -> Any:
    """``x`` with every tensor detached (plain dicts, tuples and lists walked directly:
    this runs on every outermost result)."""
    if isinstance(x, torch.Tensor):
        # (inside vmap, a batched tensor reports requires_grad=False: the transforms
        # that may meet one run under _no_outer_graph, so it carries no graph anyway)
        return x.detach() if x.requires_grad else x
    kind = type(x)
    if kind is dict:
        return {k: _detach_tree(v) for k, v in x.items()}
    if kind is tuple or kind is list:
        return kind(_detach_tree(v) for v in x)
    if x is None or isinstance(x, (bool, int, float, complex, str)):
        return x
    return pytree.tree_map(lambda e: e.detach() if isinstance(e, torch.Tensor) else e, x)


# ---------------------------------------------------------------------------
# the differentiator
# ---------------------------------------------------------------------------

_DIFF = (True,)


class _Arg:
    """One differentiated positional argument, flattened."""

    __slots__ = ('position', 'leaves', 'spec', 'diff')

    def __init__(self, position, leaves, spec, diff):
        self.position = position
        self.leaves = leaves        # tensors
        self.spec = spec            # pytree spec, or None for a bare tensor
        self.diff = diff            # per leaf: differentiated (False: integer under allow_int)


class Differentiator:
    """``func`` prepared for differentiation: everything that can be resolved once.

    Parameters mirror BrainPy's. ``api`` names the public function in messages.
    """

    def __init__(self, api: str, func: Callable, grad_vars=None, dyn_vars=None, argnums=None,
                 has_aux=None, return_value: bool = False, holomorphic: bool = False,
                 allow_int: bool = False, reduce_axes=(), forward: bool = False):
        if not callable(func):
            raise TypeError(f'{api}: func must be callable, got {_describe(func)}')
        for flag, val in (('return_value', return_value), ('holomorphic', holomorphic),
                          ('allow_int', allow_int)):
            if not isinstance(val, (bool, np.bool_)):
                raise TypeError(f'{api}: {flag} must be a bool, got {val!r}')
        if has_aux is not None and not isinstance(has_aux, (bool, np.bool_)):
            raise TypeError(f'{api}: has_aux must be a bool or None, got {has_aux!r}')
        if isinstance(reduce_axes, str) or not isinstance(reduce_axes, (tuple, list)) or \
                not all(isinstance(a, str) for a in reduce_axes):
            raise TypeError(f'{api}: reduce_axes must be a tuple of axis names (str), '
                            f'got {reduce_axes!r}')
        self.api = api
        self.func = func
        state.check_dyn_vars(dyn_vars, api)
        self.targets = Targets.resolve(grad_vars, func, api)
        argnums, self.argnums_is_int = check_argnums(argnums, api)
        if self.targets is None:
            if argnums is None and dyn_vars is not None:
                raise MathError(f'{api}: nothing to differentiate: dyn_vars is given but '
                                'grad_vars and argnums are both None; pass grad_vars or argnums')
            if argnums is None:
                argnums, self.argnums_is_int = (0,), True
        self.argnums = argnums
        self.has_arg_grads = argnums is not None
        self.has_aux = bool(has_aux)
        self.return_value = bool(return_value)
        self.holomorphic = bool(holomorphic)
        self.allow_int = bool(allow_int)
        self.reduce_axes = tuple(reduce_axes)
        self.forward = forward
        self._positions: dict[int, tuple[int, ...]] = {}

    # -- inputs -----------------------------------------------------------
    def positions(self, nargs: int) -> tuple[int, ...]:
        """``argnums`` as indices into a call with ``nargs`` positional arguments."""
        tracing = state.compiling()      # a cache read while tracing becomes a guard
        found = None if tracing else self._positions.get(nargs)
        if found is not None:
            return found
        if self.argnums is None:
            return ()
        out = []
        for a in self.argnums:
            i = a + nargs if a < 0 else a
            if not 0 <= i < nargs:
                given = a if self.argnums_is_int else self.argnums
                raise TypeError(f'{self.api}: argnums={given!r} refers to positional argument '
                                f'{a}, but the call had {nargs} positional argument(s)')
            out.append(i)
        if len(set(out)) != len(out):
            raise ValueError(f'{self.api}: argnums={self.argnums!r} names the same argument '
                             f'twice for a call with {nargs} positional arguments')
        found = tuple(out)
        if not tracing:
            self._positions[nargs] = found
        return found

    def flatten_args(self, args: tuple) -> list[_Arg]:
        out = []
        plain = not (self.holomorphic or self.forward)
        for i in self.positions(len(args)):
            x = args[i]
            if isinstance(x, torch.Tensor) and plain and x.is_floating_point():
                out.append(_Arg(i, [x], None, _DIFF))      # the common case, checked
                continue
            if isinstance(x, Variable):
                x = x.value
            if isinstance(x, torch.Tensor):
                leaves, spec = [x], None
            else:
                raw, spec = pytree.tree_flatten(x)
                leaves = [self._leaf_tensor(e, i) for e in raw]
            diff = [check_input(t, self.api, f'argument {i}', self.holomorphic, self.allow_int,
                                self.forward) for t in leaves]
            out.append(_Arg(i, leaves, spec, diff))
        return out

    def _leaf_tensor(self, e: Any, i: int) -> torch.Tensor:
        if isinstance(e, Variable):
            return e.value
        if isinstance(e, torch.Tensor):
            return e
        if isinstance(e, (bool, int, float, complex, np.ndarray, np.generic)):
            return as_tensor(e)
        raise TypeError(f'{self.api}: argument {i} (in argnums) holds {_describe(e)}; '
                        'differentiated arguments must be tensors, numbers or containers of them')

    def targets_in(self, leaves: bool, keep_graph: bool = False) -> tuple[list, Sequence[bool]]:
        """The targets' values to differentiate, checked, and which are differentiated.

        ``leaves``: fresh autograd leaves (the ``torch.autograd`` backend); else the
        values for ``torch.func``. Stored tensors are detached either way, so no
        torch autograd graph grows off parameters. An integer target under
        ``allow_int`` is passed as it is and flagged False.
        """
        if self.targets is None:
            return [], ()
        plain = not (self.holomorphic or self.forward)
        values, diff = [], []
        for h, (t, stored) in zip(self.targets.handles, self.targets.current()):
            df = True if plain and t.is_floating_point() else check_input(
                t, self.api, f'grad_vars entry {_handle_label(h)}', self.holomorphic,
                self.allow_int, self.forward)
            if df and leaves:
                t = t.detach().requires_grad_() if stored else _fresh_leaf(t, keep_graph)
            elif stored:
                t = t.detach()
            values.append(t)
            diff.append(df)
        return values, diff

    @staticmethod
    def rebuild_args(args: tuple, flat: list[_Arg], leaves_per_arg: list[list]) -> tuple:
        new = list(args)
        for a, leaves in zip(flat, leaves_per_arg):
            new[a.position] = leaves[0] if a.spec is None else pytree.tree_unflatten(leaves, a.spec)
        return tuple(new)

    # -- running the function inside a frame --------------------------------
    def run(self, target_values, args, kwargs, eager: bool):
        """Call func with the targets swapped for ``target_values``.

        Returns ``(out, writes)``; the frame is always left, slots always restored.
        """
        targets = self.targets
        swaps, slots = None, ()
        if targets is not None:
            if targets.var_ids is not None:
                swaps = dict(zip(targets.var_ids, target_values))
            else:
                swaps = {id(h): v for h, v in zip(targets.handles, target_values)
                         if isinstance(h, Variable)}
                slots = targets.slots
        if slots:
            # A compiled graph runs no Python: no other thread can see its swaps.
            locks = () if state.compiling() else state.ModuleSlot.acquire(slots)
            olds = [h.swap_in(v) for h, v in zip(targets.handles, target_values)
                    if not isinstance(h, Variable)]
        frame = state.enter(swaps, eager=eager, diff=True)
        try:
            out = self.func(*args, **kwargs)
            writes = state.written(frame) if frame.writes else _NO_WRITES
        finally:
            state.exit(frame)
            if slots:
                for s, old in zip(slots, olds):
                    s.swap_out(old)
                for lock in locks:
                    lock.release()
        return out, writes

    # -- assembling results --------------------------------------------------
    def structure(self, var_grads: Sequence, arg_grads: list[list], flat: list[_Arg]) -> Any:
        """Gradients in the user's structure: ``var_grads``, ``arg_grads`` or both."""
        parts = []
        if self.targets is not None:
            parts.append(self.targets.rebuild(var_grads))
        if self.has_arg_grads:
            per_arg = [g[0] if a.spec is None else pytree.tree_unflatten(g, a.spec)
                       for a, g in zip(flat, arg_grads)]
            if self.argnums_is_int:
                if self.targets is None:
                    return per_arg[0]
                parts.append(per_arg[0])
            else:
                parts.append(tuple(per_arg))
        return parts[0] if len(parts) == 1 else tuple(parts)

    def finish(self, grads: Any, value: Any, aux: Any) -> Any:
        """Add the value and aux as the return table of SPEC section 4 says."""
        if self.return_value:
            return (grads, value, aux) if self.has_aux else (grads, value)
        return (grads, aux) if self.has_aux else grads


def _handle_label(h) -> str:
    return repr(h) if not isinstance(h, Variable) else f'{type(h).__name__}{tuple(h.shape)}'


# ---------------------------------------------------------------------------
# backends
# ---------------------------------------------------------------------------

def _park(tree: Any) -> tuple[list[torch.Tensor], Callable[[list], Any]]:
    """Split a pytree into its tensors (which may cross a torch.func boundary) and a rebuilder."""
    leaves, spec = pytree.tree_flatten(tree)
    where = [i for i, leaf in enumerate(leaves) if isinstance(leaf, torch.Tensor)]

    def rebuild(tensors: list) -> Any:
        new = list(leaves)
        for i, t in zip(where, tensors):
            new[i] = t
        return pytree.tree_unflatten(new, spec)
    return [leaves[i] for i in where], rebuild


class _Box:
    """What a pure function tells its caller besides its tensors."""

    __slots__ = ('written', 'spec', 'aux')


def _fresh_leaf(t: torch.Tensor, keep_graph: bool) -> torch.Tensor:
    """A tensor to differentiate with respect to, used nowhere else yet."""
    if keep_graph and t.requires_grad:
        return t.view_as(t)            # stays connected to the enclosing transform's graph
    return t.detach().requires_grad_()


def _use_autograd() -> bool:
    return not (state.functorch_active() or state.compiling())


def _diff_leaves(flat: list[_Arg], per_arg: list[list]) -> list:
    return [leaf for a, leaves in zip(flat, per_arg) for leaf, d in zip(leaves, a.diff) if d]


def _picked(values: Sequence, flags: Sequence[bool]) -> list:
    """The values whose flag is True."""
    return [v for v, f in zip(values, flags) if f]


def _merged(values: Sequence, flags: Sequence[bool], picked: Sequence) -> list:
    """``values`` with the flagged ones replaced, in order, by ``picked``."""
    it = iter(picked)
    return [next(it) if f else v for v, f in zip(values, flags)]


def _float0_like(t: torch.Tensor, jac_shape=()) -> torch.Tensor:
    """The gradient of an integer input: all-zero ``bm.float0`` (see ``allow_int``)."""
    return torch.zeros(tuple(jac_shape) + tuple(t.shape), dtype=float0, device=t.device)


def _split_target_grads(values: Sequence, flags: Sequence[bool], grads: Sequence,
                        jac_shape=()) -> list:
    """One gradient per target: the computed ones, float0 zeros for integer targets."""
    return _merged([_float0_like(t, jac_shape) if not f else None for t, f in zip(values, flags)],
                   flags, grads)


def _split_arg_grads(flat: list[_Arg], grads: Sequence, jac_shape=()) -> list[list]:
    """Distribute the flat gradients of the differentiated leaves back onto the arguments."""
    if all(a.diff is _DIFF for a in flat):
        return [[g] for g in grads]
    it = iter(grads)
    return [[next(it) if d else _float0_like(t, jac_shape) for t, d in zip(a.leaves, a.diff)]
            for a in flat]


def _vjp_with_ones(outs: list[torch.Tensor], inputs: list[torch.Tensor], keep_graph: bool) -> list:
    """Gradients of ``sum(outs)`` with respect to ``inputs`` (zeros where unused).

    This is ``torch.autograd.grad(outs, inputs, ones, materialize_grads=True)``
    minus its argument normalisation, which costs more than a small backward
    pass; our inputs are plain leaves and our cotangents are built right here.
    """
    cts = tuple([torch.ones_like(o) for o in outs])
    if _engine_run_backward is None:
        return torch.autograd.grad(outs, inputs, cts, allow_unused=True, create_graph=keep_graph,
                                   materialize_grads=True)
    grads = _engine_run_backward(tuple(outs), cts, keep_graph, keep_graph, tuple(inputs), True,
                                 accumulate_grad=False)
    return [torch.zeros_like(x) if g is None else g for g, x in zip(grads, inputs)]


def _conj_complex(grads: Sequence, inputs: Sequence) -> Sequence:
    """JAX's convention: reverse-mode gradients of complex inputs are torch's conjugated."""
    if not any(x.is_complex() for x in inputs):
        return grads
    return [g.conj().resolve_conj() if x.is_complex() else g for g, x in zip(grads, inputs)]


def _output_leaves(value: Any, d: Differentiator, scalar: bool) -> tuple[list, Any]:
    if scalar:
        if not isinstance(value, torch.Tensor):
            value = as_output(value, d.api)
        if value.dim() != 0:
            check_scalar(value, d.api)
        if d.holomorphic or not value.is_floating_point():
            check_output_dtype(value, d.api, d.holomorphic)
        return [value], None
    leaves, spec = pytree.tree_flatten(_unwrap_tree(value))
    out = []
    for leaf in leaves:
        leaf = as_output(leaf, d.api, 'func')
        check_output_dtype(leaf, d.api, d.holomorphic)
        out.append(leaf)
    return out, spec


def _outermost() -> bool:
    """Whether no differentiating transform encloses the caller (then results are detached)."""
    return not state.differentiating()


def _no_outer_graph(outermost: bool):
    """For an outermost transform: torch's own autograd records nothing (torch.func's
    levels still differentiate), so no result carries a graph through the other
    TrainVars. Cheaper than detaching afterwards, which costs inside ``vmap``."""
    return torch.no_grad() if outermost else nullcontext()


def check_autograd_on(api: str) -> None:
    """Refuse to differentiate under ``torch.inference_mode()``, where torch records
    nothing and every gradient would silently be zero."""
    if not state.compiling() and torch.is_inference_mode_enabled():   # dynamo cannot ask
        raise RuntimeError(f'{api} cannot differentiate under torch.inference_mode(), which '
                           'records no autograd graph; call it outside, or under '
                           'torch.no_grad() (bptorch turns gradients back on inside it)')


def reverse(d: Differentiator, args: tuple, kwargs: dict, scalar: bool):
    """``grad`` (``scalar=True``) and ``vector_grad``: one vector-Jacobian product with ones."""
    check_autograd_on(d.api)
    flat = d.flatten_args(args)
    if d.reduce_axes:
        batching.check_axis_names(d.reduce_axes, d.api)
    if _use_autograd():
        return _reverse_autograd(d, args, kwargs, scalar, flat)
    return _reverse_functorch(d, args, kwargs, scalar, flat)


def _reverse_autograd(d, args, kwargs, scalar, flat):
    keep = state.eager_depth() > 0      # nested in another autograd frame: keep the graph
    grad_was_enabled = torch.is_grad_enabled()
    if not grad_was_enabled:
        torch.set_grad_enabled(True)
    try:
        t_vals, t_diff = d.targets_in(leaves=True, keep_graph=keep)
        inputs = _picked(t_vals, t_diff)
        n = len(inputs)
        call_args = list(args)
        for a in flat:
            leaves = [(_fresh_leaf(t, keep) if df else t) for t, df in zip(a.leaves, a.diff)]
            inputs.extend(leaf for leaf, df in zip(leaves, a.diff) if df)
            call_args[a.position] = leaves[0] if a.spec is None else pytree.tree_unflatten(leaves, a.spec)
        out, writes = d.run(t_vals, call_args, kwargs, eager=True)
        value, aux = split_aux(out, d.has_aux, d.api)
        outs, spec = _output_leaves(value, d, scalar)
        live = [o for o in outs if o.requires_grad]
        if live and inputs:
            grads = _vjp_with_ones(live, inputs, keep)
        else:
            grads = [torch.zeros_like(x) for x in inputs]
    finally:
        if not grad_was_enabled:
            torch.set_grad_enabled(False)
    grads = _conj_complex(grads, inputs)
    if d.reduce_axes:     # only process-group axes can be bound outside torch.func
        grads = (batching.reduce_unmapped(grads[:n], inputs[:n], d.reduce_axes, 'var') +
                 batching.reduce_unmapped(grads[n:], inputs[n:], d.reduce_axes, 'arg'))
    if not keep:          # grads carry no graph already; the value, aux and writes may
        outs = [o.detach() for o in outs]
        aux = None if aux is None else _detach_tree(aux)
        writes = [(v, t.detach()) for v, t in writes]
    value = outs[0] if scalar else pytree.tree_unflatten(outs, spec)
    if writes:
        state.write_back(writes)
    var_grads = _split_target_grads(t_vals, t_diff, grads[:n])
    return d.finish(d.structure(var_grads, _split_arg_grads(flat, grads[n:]), flat), value, aux)


def _pure(d: Differentiator, args: tuple, kwargs: dict, flat: list[_Arg], scalar: bool,
          t_vals: list, t_diff: list, box: _Box):
    """``func`` as a function of (differentiated target values, differentiated argument
    leaves) that returns tensors only; the rest goes in ``box``."""
    def pure(t_in, diff_leaves):
        it = iter(diff_leaves)
        a_leaves = [[next(it) if df else t for t, df in zip(a.leaves, a.diff)] for a in flat]
        out, writes = d.run(_merged(t_vals, t_diff, t_in), d.rebuild_args(args, flat, a_leaves),
                            kwargs, eager=False)
        value, aux = split_aux(out, d.has_aux, d.api)
        outs, box.spec = _output_leaves(value, d, scalar)
        aux_tensors, box.aux = _park(aux)
        box.written = [v for v, _ in writes]
        return outs, (aux_tensors, [t for _, t in writes])
    return pure


def _reverse_functorch(d, args, kwargs, scalar, flat):
    detach = _outermost()
    box = _Box()
    t_vals, t_diff = d.targets_in(leaves=False)
    t_in = _picked(t_vals, t_diff)
    diff_in = _diff_leaves(flat, [a.leaves for a in flat])
    with _no_outer_graph(detach):
        outs, vjp_fn, (aux, wvals) = torch.func.vjp(
            _pure(d, args, kwargs, flat, scalar, t_vals, t_diff, box), t_in, diff_in,
            has_aux=True)
        g_t, g_a = vjp_fn([torch.ones_like(o) for o in outs])
    g_t, g_a = _conj_complex(g_t, t_in), _conj_complex(g_a, diff_in)
    if d.reduce_axes:
        g_t = batching.reduce_unmapped(g_t, t_in, d.reduce_axes, 'var')
        g_a = batching.reduce_unmapped(g_a, diff_in, d.reduce_axes, 'arg')
    state.write_back(zip(box.written, wvals))     # computed under _no_outer_graph
    value = outs[0] if scalar else pytree.tree_unflatten(outs, box.spec)
    result = d.finish(d.structure(_split_target_grads(t_vals, t_diff, g_t),
                                  _split_arg_grads(flat, g_a), flat), value, box.aux(aux))
    return _detach_tree(result) if detach else result


def _basis(shapes_dtypes: list, device) -> tuple[int, list[torch.Tensor]]:
    """Rows of an identity matrix, split into one batch of tensors per (shape, dtype)."""
    sizes = [math.prod(s) for s, _ in shapes_dtypes]
    total = sum(sizes)
    eye = torch.eye(total, device=device)
    parts, off = [], 0
    for (shape, dtype), n in zip(shapes_dtypes, sizes):
        parts.append(eye[:, off:off + n].reshape((total,) + tuple(shape)).to(dtype))
        off += n
    return total, parts


def _blocks(batched: torch.Tensor, sizes: list[int], shapes: list, inner_shape, leading: bool):
    """Split a Jacobian batch ``[total, *inner]`` into one block per (size, shape)."""
    out, off = [], 0
    for n, shape in zip(sizes, shapes):
        block = batched[off:off + n].reshape(tuple(shape) + tuple(inner_shape))
        if not leading and block.dim():   # forward mode: input dims go behind the output dims
            k = len(shape)
            block = block.permute(*range(k, block.dim()), *range(k))
        out.append(block)
        off += n
    return out


def jacobian(d: Differentiator, args: tuple, kwargs: dict, mode: str):
    """``jacrev`` (``mode='rev'``) and ``jacfwd`` (``mode='fwd'``) by batched VJPs or JVPs."""
    check_autograd_on(d.api)
    detach = _outermost()
    flat = d.flatten_args(args)
    t_vals, t_diff = d.targets_in(leaves=False)
    t_in = _picked(t_vals, t_diff)
    diff_in = _diff_leaves(flat, [a.leaves for a in flat])
    inputs = t_in + diff_in
    box = _Box()
    pure = _pure(d, args, kwargs, flat, False, t_vals, t_diff, box)
    device = inputs[0].device if inputs else None
    with _no_outer_graph(detach):
        if mode == 'rev':
            outs, vjp_fn, (aux, wvals) = torch.func.vjp(pure, t_in, diff_in, has_aux=True)
            total, cts = _basis([(o.shape, o.dtype) for o in outs], device)
            g_t, g_a = torch.func.vmap(vjp_fn)(cts)
            per_input = _conj_complex(list(g_t) + list(g_a), inputs)
            sizes = [o.numel() for o in outs]
            # per_input[j]: [total, *in_j] -> per output k: [*out_k, *in_j]
            per_output = (list(zip(*[_blocks(g, sizes, [o.shape for o in outs], x.shape, True)
                                     for g, x in zip(per_input, inputs)]))
                          if inputs else [() for _ in outs])
        else:
            total, tans = _basis([(x.shape, x.dtype) for x in inputs], device)
            n_t = len(t_in)

            def push(*tangents):
                outs, jvp_out, (aux, wvals) = torch.func.jvp(
                    pure, (t_in, diff_in), (list(tangents[:n_t]), list(tangents[n_t:])),
                    has_aux=True)
                return outs, jvp_out, aux, wvals

            with (nullcontext() if state.compiling() else state.forward_mode_lock):
                outs, jac_out, aux, wvals = torch.func.vmap(
                    push, out_dims=(None, 0, None, None))(*tans)
            sizes = [x.numel() for x in inputs]
            per_output = [_blocks(j, sizes, [x.shape for x in inputs], o.shape, False)
                          for j, o in zip(jac_out, outs)]
    state.write_back(zip(box.written, wvals))     # computed under _no_outer_graph
    aux, spec = box.aux(aux), box.spec
    n = len(t_in)
    jacs = [d.structure(_split_target_grads(t_vals, t_diff, list(blocks[:n]), o.shape),
                        _split_arg_grads(flat, list(blocks[n:]), o.shape), flat)
            for blocks, o in zip(per_output, outs)]
    result = d.finish(pytree.tree_unflatten(jacs, spec), pytree.tree_unflatten(outs, spec), aux)
    return _detach_tree(result) if detach else result
