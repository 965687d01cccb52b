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

Tensors held as attributes of ``nn.Module`` objects (``nn.Parameter``, buffers,
plain tensor attributes) cannot be overlaid per thread: :class:`ModuleSlot` swaps
them in place under a per-module re-entrant lock, and restores them on exit.

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
from typing import Iterable, Sequence

import torch
from torch import nn

from bptorch.math.variables import Variable, _local

__all__ = ['Frame', 'enter', 'exit', 'written', 'write_back', 'ModuleSlot',
           'eager_depth', 'functorch_active', 'compiling', 'module_variables']


class Frame:
    """One transform's view of the Variables: its overlay and the writes made in it."""

    __slots__ = ('overlay', 'writes', 'prev_overlay', 'prev_writes', 'eager')

    def __init__(self, overlay, writes, prev_overlay, prev_writes, eager):
        self.overlay = overlay
        self.writes = writes
        self.prev_overlay = prev_overlay
        self.prev_writes = prev_writes
        self.eager = eager


class _Depth(threading.local):
    def __init__(self):
        self.eager = 0


_depth = _Depth()


def enter(swaps: dict[int, torch.Tensor] | None = None, eager: bool = False) -> Frame:
    """Start a frame in which ``swaps`` (``id(variable) -> tensor``) stand for those Variables.

    ``eager`` marks frames that differentiate with ``torch.autograd`` (nested
    transforms then keep their graphs, see :func:`eager_depth`). The caller must
    call :func:`exit` with the returned frame, in a ``finally`` block.
    """
    local = _local
    prev = local.overlay
    if prev:
        overlay = dict(prev)
        if swaps:
            overlay.update(swaps)
    else:
        overlay = swaps if swaps is not None else {}   # ``swaps`` is the caller's to give away
    frame = Frame(overlay, {}, prev, local.writes, eager)
    local.overlay = overlay
    local.writes = frame.writes
    if eager:
        _depth.eager += 1
    return frame


def exit(frame: Frame) -> None:
    """End ``frame``: the thread sees what it saw before :func:`enter`."""
    local = _local
    local.overlay = frame.prev_overlay
    local.writes = frame.prev_writes
    if frame.eager:
        _depth.eager -= 1


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


compiling = torch.compiler.is_compiling


# ---------------------------------------------------------------------------
# tensors held by nn.Modules
# ---------------------------------------------------------------------------

_locks: weakref.WeakKeyDictionary[nn.Module, threading.RLock] = weakref.WeakKeyDictionary()
_locks_guard = threading.Lock()


def _lock_of(module: nn.Module) -> threading.RLock:
    lock = _locks.get(module)
    if lock is None:
        with _locks_guard:
            lock = _locks.setdefault(module, threading.RLock())
    return lock


def module_variables(module: nn.Module) -> Iterable[tuple[str, Variable]]:
    """The Variables ``module`` holds itself (not its children's), with their names.

    Modules that keep Variables elsewhere than in attributes (``bp.Base`` with
    implicit variables) say so through an ``_own_variables()`` method.
    """
    own = getattr(module, '_own_variables', None)
    if own is not None:
        return own()
    return [(k, v) for k, v in vars(module).items() if isinstance(v, Variable)]


class ModuleSlot:
    """Where an ``nn.Module`` holds a tensor: ``module._parameters``, ``_buffers`` or ``__dict__``.

    Parameters
    ----------
    module : nn.Module
        The owner.
    name : str
        The attribute name.
    path : str
        A readable dotted path, used in messages.
    """

    __slots__ = ('module', 'name', 'path', 'table')

    def __init__(self, module: nn.Module, name: str, path: str):
        self.module = module
        self.name = name
        self.path = path
        if name in module._parameters:
            self.table = module._parameters
        elif name in module._buffers:
            self.table = module._buffers
        else:
            self.table = module.__dict__

    def get(self) -> torch.Tensor:
        return self.table[self.name]

    def swap(self, value: torch.Tensor) -> torch.Tensor:
        """Put ``value`` in the slot and return what was there."""
        old = self.table[self.name]
        self.table[self.name] = value
        return old

    def __repr__(self) -> str:
        return f'ModuleSlot({self.path})'

    @staticmethod
    def acquire(slots: Sequence['ModuleSlot']) -> list[threading.RLock]:
        """Lock the owners of ``slots`` (in a global order, so threads cannot deadlock)."""
        locks = {id(s.module): _lock_of(s.module) for s in slots}
        ordered = [locks[k] for k in sorted(locks)]
        for lock in ordered:
            lock.acquire()
        return ordered
