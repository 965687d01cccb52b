"""The one mechanism every transform shares: swapping Variable values in and out.

A transform runs the user's function inside a :class:`Frame`. Entering a frame
gives the calling thread an overlay (see :mod:`bptorch.math.variables`) in which
chosen Variables stand for the transform's own tensors (leaves to differentiate,
batched values, compiled inputs). While the frame is active, every assignment to
any Variable goes into the overlay and is recorded, so nothing the function does
reaches the Variables' real storage. Leaving the frame restores the thread's
previous view, whatever happened; the transform then hands the recorded writes
to :func:`write_back`, after it has turned them into plain tensors, so they land
in the enclosing frame or, at the top, in the Variables themselves.

Tensors held by ``nn.Module`` objects (``nn.Parameter`` s, buffers) are swapped
per thread too, through the module's parameter table (:class:`ModuleSlot`);
plain tensor attributes of plain modules are swapped for all threads, under a
per-module lock.

Examples
--------
>>> import torch, bptorch.math as bm
>>> from bptorch.math import state
>>> v = bm.Variable(bm.zeros(2))
>>> frame = state.enter({id(v): torch.ones(2)})
>>> v.value
tensor([1., 1.])
>>> v.value = v.value * 3
>>> writes = state.written(frame); state.exit(frame)
>>> v.value                     # the real value is untouched ...
tensor([0., 0.])
>>> state.write_back(writes); v.value   # ... until the transform writes back
tensor([3., 3.])
"""

from __future__ import annotations

import threading
import weakref
from typing import Any, Iterable, Sequence

import torch
from torch import nn
from torch.utils import _pytree as pytree

from bptorch.math.variables import Variable, _local

__all__ = ['Frame', 'enter', 'exit', 'written', 'write_back', 'ModuleSlot',
           'eager_depth', 'functorch_active', 'differentiating', 'compiling', 'module_variables',
           'forward_mode_lock', 'check_dyn_vars']


class Frame:
    """One transform's view of the Variables: its overlay and the writes made in it."""

    __slots__ = ('overlay', 'writes', 'prev_overlay', 'prev_writes', 'prev_detach', 'eager',
                 'diff')

    def __init__(self, overlay, writes, prev_overlay, prev_writes, prev_detach, eager, diff):
        self.overlay = overlay
        self.writes = writes
        self.prev_overlay = prev_overlay
        self.prev_writes = prev_writes
        self.prev_detach = prev_detach
        self.eager = eager
        self.diff = diff


class _Depth(threading.local):
    def __init__(self):
        self.eager = 0      # torch.autograd-based frames
        self.diff = 0       # differentiating frames of any kind


_depth = _Depth()


def enter(swaps: dict[int, torch.Tensor] | None = None, eager: bool = False,
          diff: bool = False, plain: bool = False) -> Frame:
    """Start a frame in which ``swaps`` (``id(variable) -> tensor``) stand for those Variables.

    ``diff`` marks the frames of differentiating transforms (see
    :func:`differentiating`); ``eager`` those among them that differentiate with
    ``torch.autograd`` (nested transforms then keep their graphs, see
    :func:`eager_depth`). ``plain`` marks a frame that stands for code outside
    transforms (``bm.jit``'s): values assigned in it are detached, as eager
    assignment copies them under ``no_grad``. The caller must call :func:`exit`
    with the returned frame, in a ``finally`` block.
    """
    local = _local
    prev = local.overlay
    if prev:
        overlay = dict(prev)
        if swaps:
            overlay.update(swaps)
    else:
        overlay = swaps if swaps is not None else {}   # ``swaps`` is the caller's to give away
    diff = diff or eager
    frame = Frame(overlay, {}, prev, local.writes, local.detach_writes, eager, diff)
    local.overlay = overlay
    local.writes = frame.writes
    local.detach_writes = plain
    if eager:
        _depth.eager += 1
    if diff:
        _depth.diff += 1
    return frame


def exit(frame: Frame) -> None:
    """End ``frame``: the thread sees what it saw before :func:`enter`."""
    local = _local
    local.overlay = frame.prev_overlay
    local.writes = frame.prev_writes
    local.detach_writes = frame.prev_detach
    if frame.eager:
        _depth.eager -= 1
    if frame.diff:
        _depth.diff -= 1


def written(frame: Frame) -> list[tuple[Variable, torch.Tensor]]:
    """The Variables assigned in ``frame`` with their last value there, in assignment order."""
    overlay = frame.overlay
    return [(var, overlay[key]) for key, var in frame.writes.items()]


def write_back(pairs: Iterable[tuple[Variable, torch.Tensor]]) -> None:
    """Assign each value to its Variable in the current frame (or, at the top, for real)."""
    for var, value in pairs:
        var._assign(value)


def eager_depth() -> int:
    """How many ``torch.autograd``-based frames enclose the caller in this thread."""
    return _depth.eager


def functorch_active() -> bool:
    """Whether a ``torch.func`` transform (grad, vmap, jvp, ...) is running in this thread."""
    return torch._C._functorch.peek_interpreter_stack() is not None


_DIFF_LEVELS = (torch._C._functorch.TransformType.Grad, torch._C._functorch.TransformType.Jvp)


def differentiating() -> bool:
    """Whether a differentiating transform encloses the caller: a bptorch frame that
    differentiates, or a ``torch.func`` grad/jvp level (vmap levels do not count).

    While dynamo traces, the ``torch.func`` stack is not visible (dynamo turns the
    transforms into graph operators); only bptorch's own frames count then.
    """
    if _depth.diff:
        return True
    if compiling() or torch._C._functorch.peek_interpreter_stack() is None:
        return False
    return any(i.key() in _DIFF_LEVELS for i in torch._C._functorch.get_interpreter_stack())


compiling = torch.compiler.is_compiling


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
            raise TypeError(f'{api}: dyn_vars must hold bm.Variable objects (or tensors), '
                            f'got a {type(leaf).__name__}')


# ---------------------------------------------------------------------------
# tensors held by nn.Modules
# ---------------------------------------------------------------------------

def module_variables(module: nn.Module) -> Iterable[tuple[str, Variable]]:
    """The Variables ``module`` holds itself (not its children's), with their names.

    Modules that keep Variables elsewhere than in attributes (``bp.Base`` with
    implicit variables) say so through an ``_own_variables()`` method.
    """
    own = getattr(module, '_own_variables', None)
    if own is not None:
        return own()
    return [(k, v) for k, v in vars(module).items() if isinstance(v, Variable)]


class _SlotView(threading.local):
    def __init__(self):
        self.swaps: dict[tuple[int, str], torch.Tensor] | None = None


_slot_view = _SlotView()


class _SlotTable(dict):
    """A module's ``_parameters`` / ``_buffers`` through which each thread sees its own swaps.

    ``nn.Module.__getattr__`` reads parameters and buffers with ``table[name]``,
    so a transform can stand in its own tensor for one thread only; iteration
    (``parameters()``, ``state_dict()``) always sees the module's own tensors.
    Pickling and copying give a plain dict back.
    """

    __slots__ = ()

    def __getitem__(self, key):
        swaps = _slot_view.swaps
        if swaps:
            t = swaps.get((id(self), key))
            if t is not None:
                return t
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __reduce__(self):
        return dict, (dict(self),)


_locks: weakref.WeakKeyDictionary[nn.Module, threading.RLock] = weakref.WeakKeyDictionary()
_locks_guard = threading.Lock()


def _lock_of(module: nn.Module) -> threading.RLock:
    lock = _locks.get(module)
    if lock is None:
        with _locks_guard:
            lock = _locks.setdefault(module, threading.RLock())
    return lock


class ModuleSlot:
    """Where an ``nn.Module`` holds a tensor: ``module._parameters``, ``_buffers`` or ``__dict__``.

    Parameters and buffers are swapped per thread (see ``_SlotTable``); a plain
    tensor attribute (in ``__dict__``) can only be swapped for every thread, so
    that is done under a lock that bptorch transforms share. While compiling,
    swaps are made in the table itself: the compiled graph runs no Python.

    Parameters
    ----------
    module : nn.Module
        The owner.
    name : str
        The attribute name.
    path : str
        A readable dotted path, used in messages.
    """

    __slots__ = ('module', 'name', 'path', 'table', 'key')

    def __init__(self, module: nn.Module, name: str, path: str):
        self.module = module
        self.name = name
        self.path = path
        self.table = module.__dict__
        for attr in ('_parameters', '_buffers'):
            table = module.__dict__[attr]
            if name in table:
                if type(table) is not _SlotTable:
                    table = _SlotTable(table)
                    module.__dict__[attr] = table
                self.table = table
                break
        self.key = (id(self.table), name)

    @property
    def shared(self) -> bool:
        """Whether a swap is seen by every thread (a plain tensor attribute)."""
        return type(self.table) is not _SlotTable

    def get(self) -> torch.Tensor:
        return self.table[self.name]

    def swap_in(self, value: torch.Tensor):
        """Stand ``value`` in for the slot's tensor; returns what :meth:`swap_out` needs."""
        if self.shared or compiling():
            old = dict.__getitem__(self.table, self.name)
            dict.__setitem__(self.table, self.name, value)
            return old
        swaps = _slot_view.swaps
        if swaps is None:
            swaps = _slot_view.swaps = {}
        old = swaps.get(self.key)
        swaps[self.key] = value
        return old

    def swap_out(self, old) -> None:
        """Undo :meth:`swap_in`."""
        if self.shared or compiling():
            dict.__setitem__(self.table, self.name, old)
            return
        swaps = _slot_view.swaps
        if old is None:
            del swaps[self.key]
            if not swaps:
                _slot_view.swaps = None
        else:
            swaps[self.key] = old

    def __repr__(self) -> str:
        return f'ModuleSlot({self.path})'

    @staticmethod
    def acquire(slots: Sequence['ModuleSlot']) -> list[threading.RLock]:
        """Lock the owners of the shared ``slots`` (in a global order: threads cannot deadlock)."""
        locks = {id(s.module): _lock_of(s.module) for s in slots if s.shared}
        ordered = [locks[k] for k in sorted(locks)]
        for lock in ordered:
            lock.acquire()
        return ordered


#: torch's forward-mode AD levels are global to the process: one thread at a time.
forward_mode_lock = threading.RLock()
