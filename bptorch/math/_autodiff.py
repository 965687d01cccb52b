"""The engine behind ``bm.grad``, ``vector_grad``, ``jacrev``, ``jacfwd`` and ``hessian``.

A :class:`Differentiator` is built once per transformed function: it checks the
arguments, resolves ``grad_vars`` to Variables and to the places modules hold
tensors, and remembers how to rebuild the user's structures. Building one reads
the model and changes nothing. Each call then

1. reads the current values of the targets and the differentiated arguments,
2. runs the function with :func:`bptorch.math.state.run`, which stands the
   transform's tensors in for those values (Variables through the thread's frame,
   tensors held by ``torch.nn`` modules by tensor identity, so tied weights get
   the sum over every use),
3. differentiates, and writes back what the function assigned.

Two backends compute derivatives. When no ``torch.func`` transform is active and
nothing is being compiled, reverse mode uses ``torch.autograd`` directly (the
fast path: a parameter that requires grad is differentiated as it is, with no
swap at all). Otherwise (inside ``vmap``/``torch.func`` transforms, under
``torch.compile``, and for forward mode and Jacobians) it uses ``torch.func``.
Both give JAX's conventions: gradients of complex inputs are conjugated relative
to torch's.
"""

from __future__ import annotations

import math
from contextlib import nullcontext
from typing import Any, Callable, Sequence

import numpy as np
import torch
from torch import nn

from bptorch import _compat
from bptorch._compat import pytree
from bptorch.errors import ArgumentTypeError, MathError
from bptorch.math import batching, discovery, state
from bptorch.math.ops import float0
from bptorch.math.variables import Variable, as_tensor, context

__all__ = ['Differentiator', 'reverse', 'jacobian']


# ---------------------------------------------------------------------------
# grad_vars
# ---------------------------------------------------------------------------

def _describe(x: Any) -> str:
    if isinstance(x, torch.Tensor):
        return f'a tensor of shape {tuple(x.shape)} and dtype {x.dtype}'
    return f'a {type(x).__name__}'


class _Holdings:
    """Where the module trees a function uses hold tensors (read when a transform is built)."""

    def __init__(self, roots: Sequence[nn.Module]):
        self.roots = roots
        self.slots = discovery.tensor_slots(roots)
        self.var_of = {id(v._value): v for v in discovery.variables_in(roots)}
        self.slots_of: dict[int, list[discovery.Slot]] = {}
        for slot in self.slots:
            self.slots_of.setdefault(id(slot.get()), []).append(slot)

    def find(self, tensor: torch.Tensor, api: str, label: str):
        """The Variable or module slot that holds ``tensor``."""
        found = self.var_of.get(id(tensor))
        if found is None:
            slots = self.slots_of.get(id(tensor))
            found = slots[0] if slots else None
        if found is None:
            if not self.roots:
                raise ArgumentTypeError(
                    f'{api}: {label} is a tensor, but func is not an nn.Module or a method of '
                    'one, uses no module by name, and grad_vars is not the vars() of a module, '
                    'so there is no attribute to swap it through; wrap the tensor in a '
                    'bm.Variable/bm.TrainVar, or pass it as an argument and use argnums')
            names = ', '.join(type(r).__name__ for r in self.roots)
            raise ArgumentTypeError(
                f'{api}: {label} is {_describe(tensor)} that is not held by the modules '
                f'being differentiated ({names}) or their submodules; pass a bm.Variable, or '
                'a parameter/buffer/tensor attribute of one of those modules')
        return found

    def tied(self, var: Variable) -> list[discovery.Slot]:
        """The module slots that hold ``var``'s tensor itself (``lin.weight = w.value``)."""
        return list(self.slots_of.get(id(var._value), ()))


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
    :class:`~bptorch.math.discovery.Slot` (where a module holds a tensor).
    ``ties[i]``: the module slots that also hold the i-th handle's tensor.
    """

    __slots__ = ('handles', 'index', 'spec', 'keys', 'kind', 'ties', 'plain')

    def __init__(self, handles, index, spec, grad_vars, ties):
        self.handles = handles
        self.index = index
        self.spec = spec
        self.ties = ties
        self.plain = all(isinstance(h, Variable) for h in handles) and not any(ties)
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
        holdings = _Holdings(discovery.roots_of(func, owners))
        handles, index, seen = [], [], {}
        for item, path in zip(leaves, paths):
            label = f'grad_vars{path}'
            if isinstance(item, Variable):
                handle = item
            elif isinstance(item, torch.Tensor):
                handle = holdings.find(item, api, label)
            else:
                raise ArgumentTypeError(f'{api}: {label} is {_describe(item)}; expected a '
                                        'bm.Variable, or a tensor / nn.Parameter held by the '
                                        'module being differentiated')
            key = id(handle)
            if key not in seen:
                seen[key] = len(handles)
                handles.append(handle)
            index.append(seen[key])
        ties = [holdings.tied(h) if isinstance(h, Variable) else [] for h in handles]
        return cls(handles, index, spec, grad_vars, ties)

    def current(self) -> list[tuple[torch.Tensor, bool]]:
        """Each target's current value, and whether it is the stored tensor itself
        (rather than another transform's tensor standing in for it)."""
        top = context.top
        out = []
        for h in self.handles:
            if isinstance(h, Variable):
                t = h._value if top is None else top.peek(h)
                out.append((t, t is h._value))
            else:
                held = h.get()
                t = held if top is None else state.substituted(held)
                out.append((t, t is held))
        return out

    def swaps(self, values: Sequence[torch.Tensor], picked: Sequence[bool] | None = None):
        """``(variable swaps, tensor swaps)`` standing ``values`` in for the targets
        (only those flagged in ``picked``, if given)."""
        var_swaps, tensor_swaps = {}, []
        for i, (h, value) in enumerate(zip(self.handles, values)):
            if picked is not None and not picked[i]:
                continue
            if isinstance(h, Variable):
                var_swaps[id(h)] = value
                stored = h._value
                if any(slot.get() is stored for slot in self.ties[i]):
                    tensor_swaps.append((stored, value))
            else:
                tensor_swaps.append((h.get(), value))
        return var_swaps, tensor_swaps

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


def _path_label(path) -> str:
    return ''.join(str(k) for k in path)


# ---------------------------------------------------------------------------
# argnums
# ---------------------------------------------------------------------------

def _as_index(a: Any) -> int | None:
    """An argnums entry as an int (Python or NumPy integers), else None."""
    if isinstance(a, (bool, np.bool_)):
        return None
    if isinstance(a, (int, np.integer)):
        return int(a)
    return None


def check_argnums(argnums: Any, api: str) -> tuple[tuple[int, ...] | None, bool]:
    """Validate ``argnums`` at creation: returns (indices or None, whether it was an int).

    Accepts what JAX accepts: an int (NumPy integers and 0-d integer arrays included)
    or a sequence of them (a 1-d integer array included).
    """
    if argnums is None:
        return None, False
    if isinstance(argnums, np.ndarray):
        if argnums.dtype.kind not in 'iu' or argnums.ndim > 1:
            raise TypeError(f'{api}: argnums must be an int or a sequence of ints, got {argnums!r}')
        argnums = int(argnums) if argnums.ndim == 0 else [int(a) for a in argnums]
    single = _as_index(argnums)
    if single is not None:
        return (single,), True
    if not isinstance(argnums, Sequence) or isinstance(argnums, str):
        raise TypeError(f'{api}: argnums must be an int or a sequence of ints, got {argnums!r}')
    indices = tuple(_as_index(a) for a in argnums)
    if any(i is None for i in indices):
        raise TypeError(f'{api}: argnums must be an int or a sequence of ints, '
                        f'got {tuple(argnums)!r}')
    if len(set(indices)) != len(indices):
        raise ValueError(f'{api}: argnums={indices!r} repeats an index; each argument can be '
                         'differentiated once')
    return indices, False


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


def _dyn_vars_given(dyn_vars: Any) -> bool:
    """BrainPy's test: ``dyn_vars`` given and not empty (an empty one is the pure path)."""
    if dyn_vars is None:
        return False
    if isinstance(dyn_vars, (dict, list, tuple)):
        return len(dyn_vars) > 0
    return True


class Differentiator:
    """``func`` prepared for differentiation: everything that can be resolved once.

    Parameters mirror BrainPy's. ``api`` names the public function in messages;
    ``default_argnums``: ``argnums`` when neither it nor ``grad_vars`` is given
    (``hessian`` differentiates argument 0 even with ``dyn_vars``, as BrainPy 2.1 does).
    """

    def __init__(self, api: str, func: Callable, grad_vars=None, dyn_vars=None, argnums=None,
                 has_aux=None, return_value: bool = False, holomorphic: bool = False,
                 allow_int: bool = False, reduce_axes=(), forward: bool = False,
                 argnums_always_default: bool = False):
        if not callable(func):
            raise ArgumentTypeError(f'{api}: func must be callable, got {_describe(func)}')
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
        if self.targets is None and argnums is None:
            if _dyn_vars_given(dyn_vars) and not argnums_always_default:
                raise MathError(f'{api}: nothing to differentiate: dyn_vars is given but '
                                'grad_vars and argnums are both None; pass grad_vars or argnums')
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
        tracing = state.tracing()      # a cache read while tracing becomes a guard
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

    def targets_in(self) -> tuple[list, list[bool], list[bool]]:
        """The targets' values, checked: ``(values, differentiated, stored)``.

        ``differentiated``: False for an integer target under ``allow_int``;
        ``stored``: the value is the one the model holds (not another transform's).
        """
        if self.targets is None:
            return [], [], []
        plain = not (self.holomorphic or self.forward)
        values, diff, stored = [], [], []
        for h, (t, is_stored) in zip(self.targets.handles, self.targets.current()):
            df = True if plain and t.is_floating_point() else check_input(
                t, self.api, f'grad_vars entry {_handle_label(h)}', self.holomorphic,
                self.allow_int, self.forward)
            values.append(t)
            diff.append(df)
            stored.append(is_stored)
        return values, diff, stored

    @staticmethod
    def rebuild_args(args: tuple, flat: list[_Arg], leaves_per_arg: list[list]) -> tuple:
        new = list(args)
        for a, leaves in zip(flat, leaves_per_arg):
            new[a.position] = leaves[0] if a.spec is None else pytree.tree_unflatten(leaves, a.spec)
        return tuple(new)

    def run(self, kind: str, args, kwargs, var_swaps=None, tensor_swaps=None):
        """Call func in a frame of ``kind`` with the given swaps: ``(out, writes)``."""
        return state.run(kind, self.func, args, kwargs, swaps=var_swaps,
                         tensor_swaps=tensor_swaps, api=self.api)

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
    if isinstance(h, Variable):
        return f'{type(h).__name__}{tuple(h.shape)}'
    return h.path


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
    return not (_compat.functorch_level_active() or state.tracing())


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
    grads = _compat.engine_run_backward(tuple(outs), cts, keep_graph, tuple(inputs))
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
    if not state.tracing() and torch.is_inference_mode_enabled():   # dynamo cannot ask
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


def _autograd_inputs(d: Differentiator, t_vals, t_diff, t_stored, keep: bool):
    """The tensors to differentiate the targets by, and the swaps that put them in.

    A target whose value already requires grad (a parameter, or, nested in another
    autograd transform, that transform's tensor) is differentiated as it is: every
    use of it is a use of that tensor, so nothing needs swapping. Others get a
    fresh leaf standing in for them.
    """
    inputs, leaves, fresh = [], list(t_vals), [False] * len(t_vals)
    for i, (t, df, stored) in enumerate(zip(t_vals, t_diff, t_stored)):
        if not df:
            continue
        if t.requires_grad and (keep or (stored and t.is_leaf)):
            inputs.append(t)
        else:
            leaves[i] = t.detach().requires_grad_()
            fresh[i] = True
            inputs.append(leaves[i])
    if not any(fresh):
        return inputs, None, None
    var_swaps, tensor_swaps = d.targets.swaps(leaves, fresh)
    return inputs, var_swaps, tensor_swaps


def _reverse_autograd(d, args, kwargs, scalar, flat):
    keep = state.autograd_depth() > 0      # nested in another autograd frame: keep the graph
    grad_was_enabled = torch.is_grad_enabled()
    if not grad_was_enabled:
        torch.set_grad_enabled(True)
    try:
        t_vals, t_diff, t_stored = d.targets_in()
        inputs, var_swaps, tensor_swaps = (_autograd_inputs(d, t_vals, t_diff, t_stored, keep)
                                           if t_vals else ([], None, None))
        n = len(inputs)
        call_args = list(args)
        for a in flat:
            leaves = [(_fresh_leaf(t, keep) if df else t) for t, df in zip(a.leaves, a.diff)]
            inputs.extend(leaf for leaf, df in zip(leaves, a.diff) if df)
            call_args[a.position] = leaves[0] if a.spec is None else pytree.tree_unflatten(leaves, a.spec)
        out, writes = d.run('autograd', call_args, kwargs, var_swaps, tensor_swaps)
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
        var_swaps = tensor_swaps = None
        if d.targets is not None:
            var_swaps, tensor_swaps = d.targets.swaps(_merged(t_vals, t_diff, t_in))
        out, writes = d.run('functorch', d.rebuild_args(args, flat, a_leaves), kwargs,
                            var_swaps, tensor_swaps)
        value, aux = split_aux(out, d.has_aux, d.api)
        outs, box.spec = _output_leaves(value, d, scalar)
        aux_tensors, box.aux = _park(aux)
        box.written = [v for v, _ in writes]
        return outs, (aux_tensors, [t for _, t in writes])
    return pure


def _functorch_targets(d: Differentiator):
    """Target values for ``torch.func`` (stored ones detached: no graph grows off them)."""
    t_vals, t_diff, t_stored = d.targets_in()
    t_vals = [t.detach() if stored else t for t, stored in zip(t_vals, t_stored)]
    return t_vals, t_diff


def _reverse_functorch(d, args, kwargs, scalar, flat):
    detach = _outermost()
    box = _Box()
    t_vals, t_diff = _functorch_targets(d)
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
    t_vals, t_diff = _functorch_targets(d)
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
            sizes = [x.numel() for x in inputs]
            n_t = len(t_in)
            if sum(sizes) == 0:
                # nothing to push forward (zero-size inputs): the Jacobian is empty
                outs, _, (aux, wvals) = torch.func.jvp(
                    pure, (t_in, diff_in), ([torch.zeros_like(x) for x in t_in],
                                            [torch.zeros_like(x) for x in diff_in]), has_aux=True)
                per_output = [[torch.zeros(tuple(o.shape) + tuple(x.shape), dtype=o.dtype,
                                           device=o.device) for x in inputs] for o in outs]
            else:
                total, tans = _basis([(x.shape, x.dtype) for x in inputs], device)

                def push(*tangents):
                    outs, jvp_out, (aux, wvals) = torch.func.jvp(
                        pure, (t_in, diff_in), (list(tangents[:n_t]), list(tangents[n_t:])),
                        has_aux=True)
                    return outs, jvp_out, aux, wvals

                with state.forward_mode():
                    outs, jac_out, aux, wvals = torch.func.vmap(
                        push, out_dims=(None, 0, None, None))(*tans)
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
