"""Reverse mode through a compiled loop without an autograd node per step.

A compiled loop (:mod:`bptorch.math.controls`) calls its compiled step once per
step. Differentiated through torch's autograd, every call pays for an autograd
node and AOTAutograd's runtime wrappers, forward and backward: on a small step
that costs as much as the step's arithmetic. Here the step's graph is compiled
split in two (:func:`bptorch._compat.compile_split`): a forward that returns
the step's outputs plus what its backward needs, and that backward. While a
:class:`Tape` records, each call of the compiled step runs the forward alone,
outside autograd, and keeps what the backward needs. When the loop ends, one
autograd node (:class:`_Connect`) joins what the loop produced to what it read;
its backward runs the recorded backwards in reverse, routing gradients from
each step's outputs to its inputs by identity (a carried value is the output of
one step and an input of the next). This is what ``jax.lax.scan``'s transpose
does, with the step compiled once.

The calls still go through ``torch.compile``'s frame (its guards and the body's
Python) until :class:`Replay` has seen two successive steps run the same graph
the same way; later steps call the graph's forward directly.

The tape only takes a step whose graph does nothing the direct calls would skip
(see :class:`bptorch._compat.SplitGraph`) and that runs as exactly one graph;
otherwise :class:`Untapeable` is raised, and the loop, with its state as it was
before the taped steps, runs them through autograd instead.

Examples
--------
>>> import torch
>>> from bptorch.math import tape
>>> t = tape.Tape()
>>> len(t.entries)
0
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, Sequence

import torch

from bptorch import _compat

__all__ = ['Tape', 'Replay', 'Untapeable', 'backend', 'recording', 'current']

_local = threading.local()


class Untapeable(Exception):
    """A step the tape cannot take (the message says why); the loop runs it through
    autograd instead."""


def current() -> 'Tape | None':
    """The tape recording in this thread (None: none)."""
    return getattr(_local, 'tape', None)


@contextmanager
def recording(tape: 'Tape') -> Iterator['Tape']:
    """Record the compiled steps this thread runs on ``tape``."""
    outer = current()
    _local.tape = tape
    try:
        yield tape
    finally:
        _local.tape = outer


def backend(gm, example_inputs) -> Callable:
    """The ``torch.compile`` backend of a taped step: inductor's graph, run through
    autograd as usual unless a :class:`Tape` records in the calling thread."""
    through_autograd, split = _compat.compile_split(gm, example_inputs)

    def run(*args):
        tape = current()
        if tape is None:
            return through_autograd(*args)
        return tape.record(split, args)
    return run


class Tape:
    """The compiled steps of one loop, in order: what each read, kept and produced."""

    def __init__(self):
        #: (split graph, inputs, saved for the backward, outputs) per call
        self.entries: list[tuple] = []

    def record(self, split: _compat.SplitGraph, args: Sequence) -> list:
        """Run one step's forward outside autograd and keep what its backward needs."""
        if not split.usable:
            raise Untapeable(split.why)
        if len({id(a) for a in args}) != len(args):
            raise Untapeable('the same tensor is two inputs of the step')
        with torch.no_grad():
            result = split.forward(list(args))
        n = split.n_outputs
        outs = list(result[:n])
        for i in split.tangent_outputs:
            # stands for what autograd would have made: its gradient comes from the tape
            outs[i].requires_grad_()
        self.entries.append((split, tuple(args), tuple(result[n:]), outs))
        return outs

    def connect(self, candidates: Iterable) -> dict[int, torch.Tensor]:
        """Join the loop's results to the autograd graph: of ``candidates`` (what the
        loop hands on: its Variables' values, its outputs), the tensors the steps
        produced that require grad, each mapped by id to a tensor of the graph,
        differentiable with respect to what the steps read."""
        produced = {id(o) for entry in self.entries for o in entry[3]}
        escaping, seen = [], set()
        for t in candidates:
            if isinstance(t, torch.Tensor) and id(t) in produced and t.requires_grad \
                    and id(t) not in seen:
                seen.add(id(t))
                escaping.append(t)
        if not escaping:
            return {}
        externals = []
        for entry in self.entries:
            for a in entry[1]:                # inputs are tensors (SplitGraph checks)
                if a.requires_grad and id(a) not in produced and id(a) not in seen:
                    seen.add(id(a))
                    externals.append(a)
        joined = _Connect.apply(self, escaping, *externals)
        return {id(t): c for t, c in zip(escaping, joined)}

    def reverse(self, escaping: Sequence[torch.Tensor], grads: Sequence, externals: Sequence
                ) -> list:
        """The gradients of ``externals`` given those of ``escaping``: every recorded
        backward, last step first."""
        acc: dict[int, list] = {}
        for t, g in zip(escaping, grads):
            if g is not None:
                _accumulate(acc, t, g)
        for split, args, saved, outs in reversed(self.entries):
            tangents, flowing = [], False
            for i in split.tangent_outputs:
                slot = acc.pop(id(outs[i]), None)
                if slot is None:
                    tangents.append(torch.zeros_like(outs[i]))
                else:
                    tangents.append(slot[0].contiguous())
                    flowing = True
            if not flowing:
                continue
            grads_in = split.backward([*saved, *tangents])
            for a, g in zip(args, grads_in):     # inputs are tensors (SplitGraph checks)
                if g is not None and a.requires_grad:
                    _accumulate(acc, a, g)
        return [None if (slot := acc.get(id(e))) is None else slot[0] for e in externals]


def _accumulate(acc: dict, t: torch.Tensor, g: torch.Tensor) -> None:
    """Add ``g`` to the gradient of ``t`` (summed in a buffer of our own from the second)."""
    slot = acc.get(id(t))
    if slot is None:
        acc[id(t)] = [g, False]
    elif slot[1]:
        slot[0].add_(g)
    else:
        slot[0], slot[1] = slot[0] + g, True


class _Connect(torch.autograd.Function):
    """One autograd node for a whole taped loop: its outputs are the loop's escaping
    tensors, its inputs every tensor the steps read that requires grad."""

    @staticmethod
    def forward(ctx, tape: Tape, escaping: list, *externals):
        ctx.tape, ctx.escaping, ctx.externals = tape, escaping, externals
        return tuple(t.detach() for t in escaping)

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, *grads):
        return (None, None, *ctx.tape.reverse(ctx.escaping, grads, ctx.externals))


class Replay:
    """A taped step called again without ``torch.compile``'s frame and guards.

    Observed on two successive steps that ran one and the same graph (no
    recompilation between them) taking its inputs from the same places (the
    Variables' values, the slice of the operands, tensors held elsewhere) and
    handing every output to a Variable or the step's result, the step is a pure
    function of those inputs; the later steps call the graph's forward directly.
    Like ``jax.lax.scan``, which traces the body once, the body's Python code then
    runs at the first steps only.
    """

    __slots__ = ('split', 'sources', 'writes', 'returns', 'spec')

    def __init__(self, split, sources, writes, returns, spec):
        self.split, self.sources, self.writes = split, sources, writes
        self.returns, self.spec = returns, spec

    @classmethod
    def observe(cls, given: dict, x, entries: list, writes: list, out) -> 'Replay | None':
        """What one step did (``given``: id of each Variable's value before the step ->
        the Variable; ``entries``: what the tape recorded during it; ``writes``: the
        Variables it assigned, with their values; ``out``: its result); None if it was
        not one graph whose outputs all went to Variables or the result."""
        if len(entries) != 1:
            return None
        split, args, _, outs = entries[0]
        leaves_x = {id(t): j for j, t in enumerate(_leaves(x))}
        sources = []
        for a in args:
            if id(a) in given:
                sources.append(('var', given[id(a)]))
            elif id(a) in leaves_x:
                sources.append(('x', leaves_x[id(a)]))
            else:
                sources.append(('const', a))
        produced = {id(o): j for j, o in enumerate(outs)}
        position = {id(a): j for j, a in enumerate(args)}

        def ref(t):
            if not isinstance(t, torch.Tensor):
                return ('value', t)
            if id(t) in produced:
                return ('out', produced[id(t)])
            if id(t) in position:
                return ('arg', position[id(t)])
            return None
        written = [(var, ref(t)) for var, t in writes]
        leaves, spec = _compat.pytree.tree_flatten(out)
        returns = [ref(t) for t in leaves]
        refs = [r for _, r in written] + returns
        if any(r is None for r in refs):
            return None
        if {r[1] for r in refs if r[0] == 'out'} != set(range(len(outs))):
            return None                      # an output went elsewhere: a side effect
        return cls(split, sources, written, returns, spec)

    def same(self, other: 'Replay') -> bool:
        """Whether ``other`` (the next step) did what this step did."""
        if other.split is not self.split or other.spec != self.spec:
            return False
        if len(other.sources) != len(self.sources) or len(other.writes) != len(self.writes):
            return False
        for (k1, s1), (k2, s2) in zip(self.sources, other.sources):
            if k1 != k2 or (s1 is not s2 if k1 != 'x' else s1 != s2):
                return False
        for (v1, r1), (v2, r2) in zip(self.writes, other.writes):
            if v1 is not v2 or not _same_ref(r1, r2):
                return False
        return all(_same_ref(r1, r2) for r1, r2 in zip(self.returns, other.returns))

    def __call__(self, tape: Tape, read: Callable, write: Callable, x):
        """One more step: the forward on ``tape``, the Variables assigned with
        ``write``, the step's result returned. An ``AssertionError`` (inputs of other
        sizes or strides than compiled for) is raised before anything happens."""
        leaves_x = _leaves(x)
        args = [read(s) if kind == 'var' else leaves_x[s] if kind == 'x' else s
                for kind, s in self.sources]
        outs = tape.record(self.split, args)

        def resolve(r):
            kind, s = r
            return outs[s] if kind == 'out' else args[s] if kind == 'arg' else s
        for var, r in self.writes:
            write(var, resolve(r))
        if self.spec.is_leaf():
            return resolve(self.returns[0])
        return _compat.pytree.tree_unflatten([resolve(r) for r in self.returns], self.spec)


def _leaves(x) -> list:
    """The tensors of a step's slice (fast for a tensor or a flat tuple of them)."""
    if type(x) is torch.Tensor:
        return [x]
    if type(x) in (tuple, list) and all(type(t) is torch.Tensor for t in x):
        return x
    return _compat.pytree.tree_leaves(x)


def _same_ref(a: tuple, b: tuple) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] != 'value':
        return a[1] == b[1]
    return a[1] is b[1] or (type(a[1]) is type(b[1]) and _equal(a[1], b[1]))


def _equal(a, b) -> bool:
    try:
        return bool(a == b)
    except Exception:      # noqa: BLE001 - an object whose == is not a truth value
        return False
