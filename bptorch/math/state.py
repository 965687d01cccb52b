"""The one mechanism every transform and loop shares: frames over the Variables.

Each thread has a stack of :class:`Frame` s (``variables.context.top`` is the
innermost). A transform runs the user's function with :func:`run`, which in one
``try/finally``

1. pushes a frame of its kind (``'autograd'``, ``'functorch'``, ``'vmap'``, ``'jit'``,
   ``'loop'``) in which the Variables it swaps stand for the transform's own tensors,
   and, where tensors held by ``torch.nn`` modules are differentiated, stands the
   transform's tensors in for those by *tensor identity* (a per-thread
   ``TorchFunctionMode``: every use of the tensor is swapped, tied weights included);
2. runs the function: every read of any Variable goes through the frame (a
   Variable first read there is snapshotted, so later writes elsewhere do not change
   what the function sees), every assignment is recorded in the frame and reaches
   nothing else;
3. pops the frame whatever happened, and returns what the function assigned.

The transform turns those values into plain tensors (they may be a transform's
wrapped tensors) and hands them to :func:`write_back`, which assigns them in the
enclosing frame or, at the top, to the Variables themselves. If the function
raises, nothing is written: every Variable holds exactly what it held before.

Building a transform changes nothing; nothing here is process-wide except the
lock that torch's forward-mode AD needs (:func:`forward_mode`), the only lock.

Examples
--------
>>> import torch, bptorch.math as bm
>>> from bptorch.math import state
>>> v = bm.Variable(bm.zeros(2))
>>> out, writes = state.run('vmap', lambda: v.value * 3, swaps={id(v): torch.ones(2)})
>>> out, v.value                # the swap was seen inside only
(tensor([3., 3.]), tensor([0., 0.]))
>>> def f():
...     v.value = v.value + 1
>>> _, writes = state.run('jit', f)
>>> v.value                     # the write waits for the transform ...
tensor([0., 0.])
>>> state.write_back(writes); v.value   # ... to hand it back
tensor([1., 1.])
"""

from __future__ import annotations

import threading
from contextlib import nullcontext
from typing import Any, Callable, Iterable, Sequence

import torch
from torch.overrides import TorchFunctionMode

from bptorch import _compat
from bptorch._compat import pytree
from bptorch.errors import ArgumentTypeError, InPlaceWriteError
from bptorch.math.variables import Variable, context

__all__ = ['Frame', 'Missing', 'run', 'run_in', 'write_back', 'substituted', 'KINDS', 'top', 'differentiating', 'autograd_depth',
           'tracing', 'in_transform', 'in_kind', 'forward_mode', 'check_dyn_vars', 'NO_WRITES']

KINDS = ('autograd', 'functorch', 'vmap', 'jit', 'loop')
"""Frame kinds: eager ``torch.autograd`` gradients, ``torch.func`` transforms (pure
functions of the swapped values), ``bm.vmap``, ``bm.jit``, the loops."""

_DIFFERENTIATING = frozenset(('autograd', 'functorch'))
_TRANSFORMS = frozenset(('autograd', 'functorch', 'vmap'))
NO_WRITES: list = []




class Frame:
    """One transform's view of the Variables in one thread.

    ``values`` maps ``id(variable)`` to the tensor that stands for it here (swapped
    in, written, or snapshotted on first read); ``writes`` the Variables assigned
    here, in order.
    """

    __slots__ = ('kind', 'parent', 'values', 'writes', 'detach', 'reads', 'seen', 'tracing',
                 'autograd', 'diff', 'api', 'sealed', 'created', 'missing', 'tensor_map')

    def __init__(self, kind: str, parent: 'Frame | None', swaps: dict | None, detach: bool,
                 api: str, sealed: bool = False):
        self.kind = kind
        self.parent = parent
        self.sealed = sealed              # reads only what it was given (see ``missing``)
        self.missing: list = []           # Variables a sealed frame was not given
        self.tensor_map: dict | None = None   # id(module tensor) -> what stands for it
        self.values = swaps if swaps is not None else {}
        self.writes: dict[int, Variable] = {}
        self.detach = detach
        self.reads: list | None = None     # [(variable, tensor, version)] to check afterwards
        self.seen: list = []               # keeps Variables read here alive (ids are keys)
        self.created: dict[int, Variable] | None = None   # Variables made while it ran
        self.tracing = _compat.is_dynamo_compiling()
        self.api = api
        if parent is None:
            self.autograd, self.diff = int(kind == 'autograd'), kind in _DIFFERENTIATING
        else:
            self.autograd = parent.autograd + (kind == 'autograd')
            self.diff = parent.diff or kind in _DIFFERENTIATING

    # -- the protocol Variables call (see bptorch.math.variables) -------------------
    def read(self, var: Variable) -> torch.Tensor:
        """The tensor ``var`` stands for here (snapshotted on the first read)."""
        t = self.values.get(id(var))
        if t is None:
            t = self._first_read(var)
        return t

    def _first_read(self, var: Variable) -> torch.Tensor:
        if self.sealed:
            # Not given: noted, and the stored value stands in; the caller runs the step
            # again with it (raising here would have to cross code being compiled).
            self.missing.append(var)
            return var._value
        parent = self.parent
        if parent is not None:
            t = parent.read(var)
        else:
            t = var._value
            # A parameter changed in place through ``w.value[...] = x`` inside a transform
            # does not assign the TrainVar: it is refused when the frame ends. (A plain
            # Variable's ``.value`` is a copy-on-write copy: writes to it never reach it.)
            if var._trainable and not self.tracing and self.kind in _TRANSFORMS:
                self._record(var, t)
        self.values[id(var)] = t
        self.seen.append(var)
        return t

    def _record(self, var: Variable, t: torch.Tensor) -> None:
        if self.reads is None:
            self.reads = []
        self.reads.append((var, t, _compat.version(t)))

    def peek(self, var: Variable) -> torch.Tensor:
        """The tensor ``var`` stands for here, without snapshotting it."""
        frame = self
        while frame is not None:
            t = frame.values.get(id(var))
            if t is not None:
                return t
            if frame.sealed:
                frame.missing.append(var)
                return var._value
            frame = frame.parent
        return var._value

    def made(self, var: Variable) -> None:
        """A Variable created while this frame runs: the function's own temporary, whose
        assignments stay with it (they are not handed back to the enclosing code)."""
        if self.created is None:
            self.created = {}
        self.created[id(var)] = var

    def write(self, var: Variable, new: torch.Tensor) -> None:
        """Record an assignment (checked by the Variable) made in this frame."""
        self.values[id(var)] = new.detach() if self.detach else new
        self.writes[id(var)] = var

    # -- results ---------------------------------------------------------------------
    def written(self) -> list[tuple[Variable, torch.Tensor]]:
        """The Variables assigned here with their last value, in first-assignment order."""
        values, created = self.values, self.created
        if created:
            return [(var, values[key]) for key, var in self.writes.items() if key not in created]
        return [(var, values[key]) for key, var in self.writes.items()]

    def check_reads(self) -> None:
        """Refuse a TrainVar's parameter changed in place inside the transform."""
        for var, t, seen_version in self.reads:
            if _compat.version(t) != seen_version:
                raise InPlaceWriteError(
                    f'{self.api}: the parameter of {type(var).__name__}{tuple(t.shape)} was '
                    'changed in place (e.g. w.value[i] = x) inside the transform; that does '
                    'not assign the TrainVar: assign to it instead (w[i] = x, w.value = new, '
                    'w += x)')


class _TensorSwaps(TorchFunctionMode):
    """Stands each swapped tensor in for the original in every torch call (this thread).

    Tensors are matched by identity, so every use of a tensor held in several places
    (tied weights, a TrainVar's parameter also held by an ``nn.Linear``) is swapped.
    """

    def __init__(self, pairs: Sequence[tuple[torch.Tensor, torch.Tensor]]):
        super().__init__()
        self.pairs = list(pairs)
        self.by_id = {id(orig): new for orig, new in self.pairs}

    def _swap(self, x):
        if isinstance(x, torch.Tensor):
            return self.by_id.get(id(x), x)
        if type(x) in (list, tuple):
            return type(x)(self._swap(e) for e in x)
        return x

    def _swap_traced(self, x):      # dynamo cannot take id() of every tensor: compare by `is`
        if isinstance(x, torch.Tensor):
            for orig, new in self.pairs:
                if x is orig:
                    return new
            return x
        if type(x) in (list, tuple):
            return type(x)(self._swap_traced(e) for e in x)
        return x

    def __torch_function__(self, func, types, args=(), kwargs=None):
        swap = self._swap_traced if _compat.is_dynamo_compiling() else self._swap
        args = tuple(swap(a) for a in args)
        if kwargs:
            kwargs = {k: swap(v) for k, v in kwargs.items()}
        return func(*args, **(kwargs or {}))


def run(kind: str, func: Callable, args: tuple = (), kwargs: dict | None = None, *,
        swaps: dict | None = None, tensor_swaps: Sequence | None = None,
        detach_writes: bool = False, api: str = 'bm', sealed: bool = False) -> tuple[Any, list]:
    """Call ``func(*args, **kwargs)`` in a new frame of ``kind``.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    swaps : dict, optional
        ``id(variable) -> tensor``: what those Variables stand for inside (the dict is
        the frame's own from now on).
    tensor_swaps : sequence of (tensor, tensor), optional
        ``(original, replacement)``: every use of ``original`` in a torch call is given
        ``replacement`` (tensors that ``torch.nn`` modules hold, matched by identity).
    detach_writes : bool
        Detach assigned values (a frame that stands for eager code, as ``bm.jit``'s).
    api : str
        The public name, for messages.
    sealed : bool
        The frame sees only ``swaps`` (a step that must be a pure function of what it is
        given): another Variable it reads is listed in ``frame.missing`` (the caller runs
        the step again with it), and reads its stored value meanwhile.

    Returns
    -------
    (out, writes)
        What ``func`` returned, and ``[(variable, value), ...]`` it assigned, for
        :func:`write_back`. If ``func`` raises, the frame is gone and nothing changed.
    """
    parent = context.top
    frame = Frame(kind, parent, swaps, detach_writes, api, sealed)
    if tensor_swaps:
        frame.tensor_map = {id(orig): new for orig, new in tensor_swaps}
    context.top = frame
    try:
        if tensor_swaps:
            with _TensorSwaps(tensor_swaps):
                out = func(*args, **(kwargs or {}))
        else:
            out = func(*args, **(kwargs or {}))
        if frame.reads is not None:
            frame.check_reads()
    finally:
        context.top = parent
    if frame.missing:
        raise Missing(frame.missing)
    return out, (frame.written() if frame.writes else NO_WRITES)


class Missing(Exception):
    """A sealed frame's function read Variables it was not given (``variables``)."""

    def __init__(self, variables: list):
        super().__init__(f'a sealed step read {len(variables)} Variable(s) it was not given')
        self.variables = variables


def run_in(frame: Frame, func: Callable, args: tuple = ()) -> Any:
    """Call ``func(*args)`` with ``frame`` (one made by the caller and used again, e.g.
    for every step of a compiled loop body) as the innermost frame; what it assigns is in
    ``frame.writes`` afterwards."""
    parent = context.top
    context.top = frame
    try:
        return func(*args)
    finally:
        context.top = parent


def substituted(t: torch.Tensor) -> torch.Tensor:
    """What stands for the module tensor ``t`` in the calling frame (an enclosing
    transform's tensor), or ``t`` itself."""
    frame = context.top
    while frame is not None:
        mapping = frame.tensor_map
        if mapping is not None:
            new = mapping.get(id(t))
            if new is not None:
                return new
        frame = frame.parent
    return t


def write_back(pairs: Iterable[tuple[Variable, torch.Tensor]]) -> None:
    """Assign each value to its Variable in the calling frame (or, at the top, for real)."""
    for var, value in pairs:
        var._assign(value)


# ---------------------------------------------------------------------------
# facts about the calling thread
# ---------------------------------------------------------------------------

def top() -> Frame | None:
    """The calling thread's innermost frame (None outside transforms)."""
    return context.top


def tracing() -> bool:
    """Whether the caller is being traced by ``torch.compile`` (this thread's trace only)."""
    return _compat.is_dynamo_compiling()


def differentiating() -> bool:
    """Whether a differentiating transform encloses the caller: a bptorch frame that
    differentiates, or a ``torch.func`` grad/jvp level (vmap levels do not count).

    While dynamo traces, ``torch.func``'s levels are not visible (dynamo turns the
    transforms into graph operators); only bptorch's own frames count then.
    """
    frame = context.top
    if frame is not None and frame.diff:
        return True
    if _compat.is_dynamo_compiling():
        return False
    return _compat.differentiating_level_active()


def autograd_depth() -> int:
    """How many ``torch.autograd``-based frames enclose the caller in this thread."""
    frame = context.top
    return 0 if frame is None else frame.autograd


def in_transform() -> bool:
    """Whether the caller runs inside a transform or loop: a bptorch frame, a
    ``torch.func`` level, or code ``torch.compile`` is tracing (this thread's).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.in_transform()
    False
    >>> bm.vmap(lambda x: x * bm.in_transform())(bm.ones(2))
    tensor([1., 1.])
    """
    return (context.top is not None or _compat.functorch_level_active()
            or _compat.is_dynamo_compiling())


def in_kind(kind: str) -> bool:
    """Whether a frame of ``kind`` encloses the caller in this thread."""
    frame = context.top
    while frame is not None:
        if frame.kind == kind:
            return True
        frame = frame.parent
    return False


_forward_lock = threading.RLock()


def forward_mode():
    """Hold while running ``torch.func.jvp`` eagerly: torch's forward-mode AD levels are
    process-wide, so one thread at a time enters them. (The only lock in bptorch's
    transforms; code being compiled needs none: it runs no forward-mode levels.)"""
    return nullcontext() if _compat.is_dynamo_compiling() else _forward_lock


def check_dyn_vars(dyn_vars: Any, api: str) -> None:
    """Check ``dyn_vars``: Variables (or tensors, as ``model.vars()`` lists for torch layers).

    bptorch finds the state a function uses by itself, so nothing else is done with them.
    """
    if dyn_vars is None:
        return
    if isinstance(dyn_vars, dict):
        dyn_vars = dict(dyn_vars)
    for leaf in pytree.tree_leaves(dyn_vars):
        if not isinstance(leaf, (Variable, torch.Tensor)):
            raise ArgumentTypeError(f'{api}: dyn_vars must hold bm.Variable objects (or '
                                    f'tensors), got a {type(leaf).__name__}')
