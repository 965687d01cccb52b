"""Loops and branches over state: ``make_loop``, ``make_while``, ``make_cond``, ``for_loop``,
``while_loop``, ``cond``, ``ifelse`` (BrainPy 2.1's signatures).

Every loop runs in one frame of :mod:`bptorch.math.state` (kind ``'loop'``): a
Variable written in the body carries from step to step, holds its last value
after the loop, and, if the body raises at any step, every Variable holds what it
held before the loop. ``dyn_vars`` is accepted and checked, never needed: the
Variables the body uses are found as it runs. Outputs are stacked along a new
leading axis.

How a loop runs
---------------
- **Eagerly** (the default outside ``bm.jit``): a plain Python loop over the body,
  as fast as the hand-written loop. Under ``bm.grad`` the gradient flows through
  every step (backpropagation through time).
- **Compiled** (inside ``bm.jit``, or with ``jit=True``): the body is compiled once
  with ``torch.compile``, not once per step, and the loop calls the compiled step
  ``length`` times (``unroll`` steps per call). The first step runs as Python and
  finds the Variables the body uses; the compiled step is a function of their
  values (it runs in a *sealed* frame that is given exactly those values and
  reuses its compiled graph from call to call).

  Under a gradient (``bm.grad``, ``bm.jit(bm.grad(...))``), the steps run on a
  *tape* (:mod:`bptorch.math.tape`): the step's graph is compiled split into a
  forward that also returns what its backward needs and that backward; each step
  runs the forward alone, and one autograd node for the whole loop runs the
  recorded backwards in reverse (as ``jax.lax.scan``'s transpose does). Once two
  successive steps have run the same graph the same way, later steps call its
  forward directly, without ``torch.compile``'s frame and guards: like
  ``jax.lax.scan``, which traces the body once, the body's Python code then runs
  at the first steps only (its Variable assignments and results are replayed
  every step). A step the tape cannot take (a graph break, an output that is a
  view, an input changed in place, a step that recompiles) sends the loop back to
  the steps above, with gradients through torch's autograd; either way the
  gradients are those of the Python loop.

  Why not one graph for the whole loop (as ``jax.lax.scan`` gives)? Tracing the
  Python loop with ``torch.compile`` unrolls it: compile time then grows with the
  number of steps (tens of seconds for 100 RNN steps, forward and backward).
  torch's ``scan`` and ``nested_compile_region`` do not compose with
  ``torch.func`` gradients (torch 2.13) and ``scan``'s backward is slow. Compiling
  the step keeps the first call short whatever the length, at the price of one
  compiled-function call per step (``unroll`` amortises it); the tape makes that
  call cheap (no autograd node or AOTAutograd wrapper per step).
- ``remat=True`` recomputes each step's forward during the backward pass
  (gradient checkpointing), keeping one step's activations instead of all.
- ``progress_bar=True`` shows a tqdm bar over the steps.

Examples
--------
>>> import bptorch.math as bm
>>> a = bm.Variable(bm.zeros(1))
>>> def body(x):
...     a.value += x
...     return a.value * 2
>>> bm.for_loop(body, [a], bm.arange(1., 4.))
tensor([[ 2.],
        [ 6.],
        [12.]])
>>> a
Variable(tensor([6.]))
"""

from __future__ import annotations

import inspect
import threading
from typing import Any, Callable, Sequence

import torch

from bptorch import _compat
from bptorch._compat import pytree
from bptorch.errors import ArgumentTypeError, MathError
from bptorch.math import state, tape
from bptorch.math.variables import Variable, as_tensor

__all__ = ['make_loop', 'make_while', 'make_cond', 'for_loop', 'while_loop', 'cond', 'ifelse']

#: the reason of the graph break a loop makes while ``torch.compile`` traces code around
#: it: ``bm.jit`` reads it and runs the function with the loop's body compiled instead
LOOP_MARKER = 'bptorch loop: its body is compiled once, apart from the code around it'


# ---------------------------------------------------------------------------
# arguments
# ---------------------------------------------------------------------------

def _variables(dyn_vars: Any, api: str, what: str = 'dyn_vars') -> list[Variable]:
    """``dyn_vars`` (a Variable, a sequence or a dict of them, or None), checked."""
    if dyn_vars is None:
        return []
    if isinstance(dyn_vars, Variable):
        return [dyn_vars]
    if isinstance(dyn_vars, dict):
        leaves = list(dyn_vars.values())
    elif isinstance(dyn_vars, (list, tuple)):
        leaves = pytree.tree_leaves(list(dyn_vars))
    else:
        raise ArgumentTypeError(f'{api}: {what} must be a Variable, or a list, tuple or dict of '
                                f'Variables, got {type(dyn_vars).__name__}')
    for leaf in leaves:
        if not isinstance(leaf, (Variable, torch.Tensor)):
            raise ArgumentTypeError(f'{api}: {what} must hold bm.Variable objects, got a '
                                    f'{type(leaf).__name__}')
    return [v for v in leaves if isinstance(v, Variable)]


def _holds_only_variables(x: Any) -> bool:
    if isinstance(x, Variable):
        return True
    if isinstance(x, dict):
        x = list(x.values())
    if isinstance(x, (list, tuple)):
        leaves = pytree.tree_leaves(list(x))
        return all(isinstance(v, Variable) for v in leaves)
    return False


def _check_callable(f: Any, api: str, what: str) -> Callable:
    if not callable(f):
        raise ArgumentTypeError(f'{api}: {what} must be callable, got {type(f).__name__}')
    return f


def _positional_count(f: Callable) -> int | None:
    """How many positional parameters ``f`` requires (None: any number, or unknown)."""
    try:
        params = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return None
    return sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
               and p.default is p.empty)


def _caller(body: Callable, operands: Any) -> Callable:
    """How the body is called with a step's slice: BrainPy 2.1 passes the slice as one
    argument; BrainPy 2.2+ unpacks a tuple or list of operands into as many arguments.
    A body that requires exactly as many positional arguments as a tuple/list operand
    has entries is called the 2.2 way; any other body the 2.1 way."""
    unpack = isinstance(operands, (tuple, list)) and len(operands) > 1 \
        and _positional_count(body) == len(operands)
    if inspect.ismethod(body):
        # The step closes over what this returns, and a compiled loop body is guarded
        # on it; dynamo before torch 2.9 guards a bound method by identity, and
        # `obj.step` is a new one at every call: its function and object are not.
        func, owner = body.__func__, body.__self__
        return (lambda x: func(owner, *x)) if unpack else (lambda x: func(owner, x))
    return (lambda x: body(*x)) if unpack else body


def _to_tensor_tree(operands: Any) -> Any:
    return pytree.tree_map(lambda x: x.value if isinstance(x, Variable) else
                           (x if isinstance(x, torch.Tensor) else as_tensor(x)), operands)


def _length(operands: Any, api: str) -> int:
    leaves = pytree.tree_leaves(operands)
    if not leaves:
        raise ValueError(f'{api}: operands hold no array to loop over; pass arrays with a '
                         'leading (time) axis')
    sizes = set()
    for leaf in leaves:
        if leaf.dim() == 0:
            raise ValueError(f'{api}: operands must have a leading axis to loop over, got a '
                             f'scalar (shape ())')
        sizes.add(leaf.shape[0])
    if len(sizes) > 1:
        raise ValueError(f'{api}: operands must share their leading axis size, got sizes '
                         f'{sorted(sizes)}')
    return sizes.pop()


def _check_unroll(unroll: Any, api: str) -> int:
    if isinstance(unroll, bool) or not isinstance(unroll, int) or unroll < 1:
        raise ValueError(f'{api}: unroll must be a positive int, got {unroll!r}')
    return unroll


def _unwrap(tree: Any) -> Any:
    if type(tree) is torch.Tensor or tree is None:
        return tree
    return pytree.tree_map(lambda x: x.value if isinstance(x, Variable) else x, tree)


def _stack(outs: list) -> Any:
    """The per-step outputs stacked along a new leading axis (None stays None)."""
    if not outs:
        return None
    first = outs[0]
    if type(first) is torch.Tensor:
        return torch.stack(outs)
    if first is None:
        return None
    first, spec = pytree.tree_flatten(first)
    columns = [pytree.tree_flatten(o)[0] for o in outs]
    stacked = []
    for j, leaf in enumerate(first):
        col = [c[j] for c in columns]
        if leaf is None:
            stacked.append(None)
        elif isinstance(leaf, torch.Tensor):
            stacked.append(torch.stack(col))
        else:
            stacked.append(as_tensor(col))
    return pytree.tree_unflatten(stacked, spec)


def _slicer(tree: Any) -> Callable[[int], Any]:
    """``i -> tree[i]`` for every array of ``tree`` (fast for a tensor or a flat tuple)."""
    if tree is None:
        return lambda i: None
    if type(tree) is torch.Tensor:
        return tree.__getitem__
    if type(tree) in (tuple, list) and all(type(x) is torch.Tensor for x in tree):
        kind = type(tree)
        return lambda i: kind([x[i] for x in tree])
    leaves, spec = pytree.tree_flatten(tree)
    return lambda i: pytree.tree_unflatten([x[i] for x in leaves], spec)


def _slice(tree: Any, i: int) -> Any:
    return pytree.tree_map(lambda x: x[i], tree)


def _chunk(tree: Any, i: int, j: int) -> Any:
    return pytree.tree_map(lambda x: x[i:j], tree)


# ---------------------------------------------------------------------------
# the loop driver: eager, compiled, rematerialised
# ---------------------------------------------------------------------------

class _Bar:
    def __init__(self, total: int, enabled: bool, api: str):
        self.bar = None
        if enabled and not state.tracing():
            try:
                from tqdm.auto import tqdm
            except ImportError as e:       # pragma: no cover - tqdm is a dependency
                raise ImportError(f'{api}: progress_bar=True needs tqdm (pip install tqdm)') from e
            self.bar = tqdm(total=total, desc=api, unit='step')

    def update(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def __bool__(self) -> bool:
        return self.bar is not None

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _compiling_mode(jit: bool | None) -> bool:
    """Whether a loop compiles its body: asked for, or inside ``bm.jit`` (run eagerly
    there, see :mod:`bptorch.math.jit`); never inside a trace (a loop in a compiled
    step is part of that step)."""
    if state.tracing():
        return False
    if jit is not None:
        return bool(jit)
    return state.in_kind('jit')


class _CompiledBody:
    """A body compiled with ``torch.compile``, run in a sealed frame of this thread that
    is reused for every step (so the compiled graph and its guards are reused too)."""

    _local = threading.local()

    def __init__(self, body: Callable, api: str, taped: bool = False):
        self.body = body
        self.api = api
        _compat.install_dynamo_rules(Variable)   # operators on Variables as Python runs them
        # taped: one graph per step, split for the tape (see bptorch.math.tape)
        self.compiled = (torch.compile(body, dynamic=False, fullgraph=True, backend=tape.backend)
                         if taped else torch.compile(body, dynamic=False))

    def frame(self) -> state.Frame:
        frames = getattr(self._local, 'frames', None)
        if frames is None:
            frames = self._local.frames = {}
        code = getattr(self.body, '__code__', None) or type(self.body)
        frame = frames.get(code)
        if frame is None:
            frame = frames[code] = state.Frame('loop', None, {}, False, self.api, sealed=True)
        return frame


def _compiled_body(body: Callable, api: str, taped: bool = False) -> _CompiledBody:
    return _CompiledBody(body, api, taped)


class _Driver:
    """Runs ``length`` steps of ``step(x)`` in the current frame (a ``'loop'`` frame)."""

    def __init__(self, api: str, step: Callable, xs: Any, length: int, reverse: bool,
                 unroll: int, compiled: bool, remat: bool, progress_bar: bool):
        self.api = api
        self.step = step
        self.xs = xs
        self.length = length
        self.reverse = reverse
        self.unroll = unroll
        self.compiled = compiled
        self.remat = remat and not state.tracing()
        self.bar = _Bar(length, progress_bar, api)
        self.x = _slicer(xs)

    def order(self) -> list[int]:
        return list(range(self.length - 1, -1, -1)) if self.reverse else list(range(self.length))

    def __call__(self) -> list:
        outs: list = [None] * self.length
        order = self.order()
        try:
            if not order:
                return outs
            if not (self.compiled or self.remat):
                step, x, bar = self.step, self.x, self.bar
                for i in order:
                    outs[i] = _unwrap(step(x(i)))
                    bar.update()
                return outs
            loop = state.top()
            first = order[0]
            outs[first] = _unwrap(self.step(self.x(first)))   # as Python: finds the Variables
            self.bar.update()
            used = _used(loop)
            if self.remat:
                for i in order[1:]:
                    outs[i] = self._remat_step(loop, used, i)
                    self.bar.update()
            else:
                self._compiled_steps(loop, used, order[1:], outs)
            return outs
        finally:
            self.bar.close()

    # -- compiled steps -------------------------------------------------------------
    def _compiled_steps(self, loop: state.Frame, used: list, order: list[int], outs: list) -> None:
        if self._tapeable(loop, used) and self._taped_steps(loop, used, order, outs):
            return
        self._run_compiled(loop, used, order, outs, None)

    def _tapeable(self, loop: state.Frame, used: list) -> bool:
        """Whether the steps can be differentiated by the tape: inside a gradient
        (``bm.grad`` and co., whose frames keep the steps' graph), something they read
        requires grad, through torch's autograd alone (no torch.func transform, no
        gradient of a gradient)."""
        if not torch.is_grad_enabled() or not state.differentiating() \
                or _compat.functorch_level_active() or state.autograd_depth() > 1:
            return False
        leaves = [loop.read(v) for v in used] + pytree.tree_leaves(self.xs)
        return any(isinstance(t, torch.Tensor) and t.requires_grad for t in leaves)

    def _taped_steps(self, loop: state.Frame, used: list, order: list[int], outs: list) -> bool:
        """Run the steps on a tape (see :mod:`bptorch.math.tape`); False, with nothing
        changed, if a step cannot be taped."""
        values, writes = dict(loop.values), dict(loop.writes)
        recorder = tape.Tape()
        try:
            with tape.recording(recorder):
                self._run_compiled(loop, used, order, outs, recorder)
        except (tape.Untapeable, *_compat.dynamo_errors().any):
            loop.values.clear()
            loop.values.update(values)
            loop.writes.clear()
            loop.writes.update(writes)
            for i in order:
                outs[i] = None
            return False
        results = [loop.values[key] for key in loop.writes]
        results += [leaf for i in order for leaf in pytree.tree_leaves(outs[i])]
        joined = recorder.connect(results)
        if joined:
            for key in loop.writes:
                loop.values[key] = joined.get(id(loop.values[key]), loop.values[key])
            for i in order:
                outs[i] = pytree.tree_map(
                    lambda x: joined.get(id(x), x) if isinstance(x, torch.Tensor) else x, outs[i])
        return True

    def _run_compiled(self, loop: state.Frame, used: list, order: list[int], outs: list,
                      recorder: 'tape.Tape | None') -> None:
        k, taped = self.unroll, recorder is not None
        if k == 1:
            body = _compiled_body(self.step, self.api, taped)
            if taped:
                self._taped_single_steps(loop, used, body, order, outs, recorder)
                return
            for i in order:
                outs[i] = self._sealed_call(loop, used, body, self.x(i), recorder)
                self.bar.update()
            return
        chunks = [order[j:j + k] for j in range(0, len(order), k)]
        step, reverse = self.step, self.reverse

        def run_chunk(xs_chunk):
            n = pytree.tree_leaves(xs_chunk)[0].shape[0] if xs_chunk is not None else k
            idx = range(n - 1, -1, -1) if reverse else range(n)
            results = [None] * n
            for j in idx:
                results[j] = _unwrap(step(None if xs_chunk is None else _slice(xs_chunk, j)))
            return results
        body = _compiled_body(run_chunk, self.api, taped)
        for chunk in chunks:
            lo, hi = min(chunk), max(chunk) + 1
            xs_chunk = None if self.xs is None else _chunk(self.xs, lo, hi)
            results = self._sealed_call(loop, used, body, xs_chunk, recorder)
            for j, r in enumerate(results):
                outs[lo + j] = r
            self.bar.update(len(chunk))

    def _taped_single_steps(self, loop: state.Frame, used: list, body: _CompiledBody,
                            order: list[int], outs: list, recorder: 'tape.Tape') -> None:
        """Taped steps, through the compiled frame until two successive steps show the
        step can be replayed (:class:`bptorch.math.tape.Replay`), then replayed."""
        replay, seen = None, None
        for i in order:
            x = self.x(i)
            if replay is not None:
                try:
                    outs[i] = replay(recorder, loop.read, loop.write, x)
                    self.bar.update()
                    continue
                except AssertionError:     # inputs of other sizes or strides: recompile
                    replay = seen = False
            if seen is False:
                outs[i] = self._sealed_call(loop, used, body, x, recorder)
                self.bar.update()
                continue
            given = {id(loop.read(v)): v for v in used}
            mark = len(recorder.entries)
            outs[i] = self._sealed_call(loop, used, body, x, recorder)
            plan = tape.Replay.observe(given, x, recorder.entries[mark:], self._writes, outs[i])
            if plan is None:
                seen = False
            elif seen is not None and seen.same(plan):
                replay = plan
            else:
                seen = plan
            self.bar.update()

    def _sealed_call(self, loop: state.Frame, used: list, body: _CompiledBody, x: Any,
                     recorder: 'tape.Tape | None' = None):
        frame = body.frame()
        mark = 0 if recorder is None else len(recorder.entries)
        while True:
            frame.values.clear()
            frame.writes.clear()
            frame.seen.clear()
            frame.missing.clear()
            for var in used:
                frame.values[id(var)] = loop.read(var)
            out = state.run_in(frame, body.compiled, (x,))
            if frame.missing:            # a Variable the first step did not use: again
                _add_new(used, frame.missing)
                if recorder is not None:
                    del recorder.entries[mark:]
                continue
            if recorder is not None:
                if len(recorder.entries) - mark != 1:
                    # ran as Python (dynamo gave up on it): autograd would miss it
                    raise tape.Untapeable('the step did not run as one compiled graph')
                self._writes = [(var, frame.values[key]) for key, var in frame.writes.items()]
            for key, var in frame.writes.items():
                loop.write(var, frame.values[key])
            frame.values.clear()
            frame.writes.clear()
            return out

    # -- rematerialised steps ---------------------------------------------------------
    def _remat_step(self, loop: state.Frame, used: list, i: int):
        from torch.utils.checkpoint import checkpoint
        step, x = self.step, self.x(i)
        while True:
            values = [loop.read(v) for v in used]
            ids = [id(v) for v in used]

            def pure(*vals):
                out, writes = state.run('loop', step, (x,), swaps=dict(zip(ids, vals)),
                                        sealed=True, api=self.api)
                return [(var, value) for var, value in writes], _unwrap(out)
            try:
                writes, out = checkpoint(pure, *values, use_reentrant=False)
            except state.Missing as e:
                _add_new(used, e.variables)
                continue
            for var, value in writes:
                loop.write(var, value)
            return out


def _add_new(used: list, found: list) -> None:
    """Append to ``used`` the Variables of ``found`` it does not hold (by identity)."""
    ids = {id(v) for v in used}
    for var in found:
        if id(var) not in ids:
            ids.add(id(var))
            used.append(var)


def _used(loop: state.Frame) -> list[Variable]:
    """The Variables a step read or wrote in ``loop``."""
    out, seen = [], set()
    for var in list(loop.seen) + list(loop.writes.values()):
        if id(var) not in seen:
            seen.add(id(var))
            out.append(var)
    return out


def _loop(api: str, step: Callable, xs: Any, length: int, reverse: bool = False,
          unroll: int = 1, jit: bool | None = None, remat: bool = False,
          progress_bar: bool = False) -> list:
    """Run ``step`` over ``length`` slices of ``xs`` in a ``'loop'`` frame; the per-step
    outputs, in the order of ``xs``. Writes land when every step has run."""
    if state.tracing() and not _in_sealed_step() and _APART:
        # torch.compile is tracing code around the loop (bm.jit): the loop runs apart,
        # with its body compiled once (bm.jit recognises this graph break)
        return _APART['loop'](api, step, xs, length, reverse, unroll, jit, remat, progress_bar)
    return _run_loop(api, step, xs, length, reverse, unroll, jit, remat, progress_bar)


def _run_loop(api, step, xs, length, reverse, unroll, jit, remat, progress_bar) -> list:
    driver = _Driver(api, step, xs, length, reverse, unroll, _compiling_mode(jit), remat,
                     progress_bar)
    outs, writes = state.run('loop', driver, detach_writes=not state.differentiating(), api=api)
    state.write_back(writes)
    return outs


#: the loop drivers as graph breaks (made by :func:`prepare_for_compiling`, before any
#: tracing: dynamo cannot make them while it traces, and importing it costs seconds)
_APART: dict = {}


def prepare_for_compiling() -> None:
    """Make the drivers that run a loop apart from the code ``torch.compile`` traces
    around it (``bm.jit`` calls this before it compiles)."""
    if not _APART:
        _APART['while'] = _compat.disable_dynamo(_run, reason=LOOP_MARKER)
        _APART['loop'] = _compat.disable_dynamo(_run_loop, reason=LOOP_MARKER)


def _in_sealed_step() -> bool:
    frame = state.top()
    while frame is not None:
        if frame.sealed:
            return True
        frame = frame.parent
    return False


# ---------------------------------------------------------------------------
# public loops
# ---------------------------------------------------------------------------

def for_loop(body_fun: Callable, dyn_vars: Any = None, operands: Any = None,
             reverse: bool = False, unroll: int = 1, *, jit: bool | None = None,
             progress_bar: bool = False, remat: bool = False, out_vars: Any = None,
             child_objs: Any = None) -> Any:
    """Loop ``body_fun`` over the leading axis of ``operands``, with Variables as state.

    BrainPy 2.1's ``for_loop`` (``jax.lax.scan`` over objects): the body gets one
    argument, the slice of ``operands`` at each step, and what it returns is stacked
    along a new leading axis. Variables written in the body carry from step to step.

    Parameters
    ----------
    body_fun : callable
        ``body_fun(x)``; a body that takes as many positional arguments as a tuple or
        list ``operands`` has entries gets them unpacked (BrainPy 2.2+).
    dyn_vars : Variable, sequence or dict, optional
        Accepted and checked, never needed. (BrainPy 2.2+ passes ``operands`` second:
        ``for_loop(body, xs)`` with arrays there is read that way.)
    operands : array or pytree of arrays
        Sliced along their leading axis, which all must share.
    reverse : bool
        Run from the last slice to the first (outputs stay in the order of ``operands``).
    unroll : int
        Steps per compiled call (when the body is compiled).
    jit : bool, optional
        Compile the body (default: when inside ``bm.jit``). ``False`` runs it as Python.
    progress_bar : bool
        Show a tqdm bar.
    remat : bool
        Recompute each step's forward in the backward pass (less memory for long BPTT).
    out_vars : Variable, sequence or dict, optional
        BrainPy 2.3's: Variables whose value after each step is output too (as
        ``(outputs, out_vars history)``, or the history alone if the body returns None).
    child_objs : optional
        BrainPy 2.3's; accepted and not needed (the objects' Variables are found as the
        body runs).

    Returns
    -------
    The stacked outputs (None if the body returns None).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> h = bm.Variable(bm.zeros(2))
    >>> ys = bm.for_loop(lambda x: h.update(h.value * 0.5 + x) or h.value, [h], bm.ones((3, 2)))
    >>> ys[:, 0]
    tensor([1.0000, 1.5000, 1.7500])
    """
    api = 'bm.for_loop'
    _check_callable(body_fun, api, 'body_fun')
    if operands is None and dyn_vars is not None and not _holds_only_variables(dyn_vars):
        dyn_vars, operands = None, dyn_vars          # for_loop(body, operands): BrainPy 2.2+
    elif (operands is not None and _holds_only_variables(operands)
          and dyn_vars is not None and not _holds_only_variables(dyn_vars)):
        dyn_vars, operands = operands, dyn_vars      # for_loop(body, operands, dyn_vars)
    _variables(dyn_vars, api)
    if operands is None:
        raise TypeError(f'{api}: operands is missing; pass the arrays to loop over '
                        '(for_loop(body_fun, dyn_vars, operands))')
    unroll = _check_unroll(unroll, api)
    xs = _to_tensor_tree(operands)
    length = _length(xs, api)
    body = _caller(body_fun, operands)
    watched = _variables(out_vars, api, 'out_vars') if out_vars is not None else None

    def step(x):
        out = body(x)
        if watched is None:
            return out
        history = pytree.tree_map(lambda v: v.value if isinstance(v, Variable) else v, out_vars)
        return history if out is None else (out, history)
    return _stack(_loop(api, step, xs, length, reverse, unroll, jit, remat, progress_bar))


def make_loop(body_fun: Callable, dyn_vars: Any = None, out_vars: Any = None,
              has_return: bool = False) -> Callable:
    """BrainPy 2.1's ``make_loop``: a function that loops ``body_fun`` over its input.

    Returns ``loop(xs)``: ``body_fun(x)`` for each slice of ``xs`` along its leading
    axis; the result is the history of ``out_vars`` (in their structure, stacked along
    a new leading axis), and, with ``has_return=True``, ``(history, outputs)``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> a = bm.Variable(bm.zeros(1))
    >>> def f(x): a.value += 1.
    >>> loop = bm.make_loop(f, dyn_vars=[a], out_vars=a)
    >>> loop(bm.arange(3))
    tensor([[1.],
            [2.],
            [3.]])
    """
    api = 'bm.make_loop'
    _check_callable(body_fun, api, 'body_fun')
    _variables(dyn_vars, api)
    if out_vars is not None:
        _variables(out_vars, api, 'out_vars')
    if not isinstance(has_return, bool):
        raise TypeError(f'{api}: has_return must be a bool, got {has_return!r}')

    def history():
        return pytree.tree_map(lambda v: v.value if isinstance(v, Variable) else v,
                               () if out_vars is None else out_vars)

    def step(x):
        result = body_fun(x)
        return (history(), result) if has_return else history()

    def loop(xs=None, length=None):
        if xs is None and length is None:
            raise TypeError(f'{api}: the loop needs xs (arrays to loop over) or a length')
        xs_t = None if xs is None else _to_tensor_tree(xs)
        n = _length(xs_t, api) if xs_t is not None else int(length)
        if xs_t is not None and length is not None and int(length) != n:
            raise ValueError(f'{api}: length={length} differs from the leading axis of xs ({n})')
        outs = _stack(_loop(api, step, xs_t, n))
        if outs is None:
            return () if out_vars is None else outs
        return outs
    loop.__doc__ = f'{api} of {getattr(body_fun, "__name__", "body_fun")}.'
    return loop


def _while(api: str, body: Callable, cond_fun: Callable, x: Any, jit: bool | None = None) -> None:
    """Run ``body(x)`` while ``cond_fun(x)`` holds, in a ``'loop'`` frame."""
    def predicate() -> bool:
        value = cond_fun(x)
        if isinstance(value, Variable):
            value = value.value
        if isinstance(value, torch.Tensor):
            if value.numel() != 1:
                raise ValueError(f'{api}: cond_fun must return one boolean, got a tensor of '
                                 f'shape {tuple(value.shape)}')
            return bool(value)
        return bool(value)

    def driver():
        while predicate():
            body(x)

    if state.tracing() and not _in_sealed_step() and _APART:
        _APART['while'](driver, api)
    else:
        _run(driver, api)


def _run(driver: Callable, api: str) -> None:
    _, writes = state.run('loop', driver, detach_writes=not state.differentiating(), api=api)
    state.write_back(writes)


def while_loop(body_fun: Callable, cond_fun: Callable, dyn_vars: Any = None,
               operands: Any = None) -> None:
    """BrainPy 2.1's ``while_loop``: ``body_fun(operands)`` while ``cond_fun(operands)``.

    State lives in Variables (the body returns nothing); ``operands`` are passed to
    both functions unchanged. Returns None, as BrainPy 2.1 does.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> n = bm.Variable(bm.zeros(()))
    >>> bm.while_loop(lambda _: n.update(n + 1), lambda _: n < 5, [n], None)
    >>> n
    Variable(tensor(5.))
    """
    api = 'bm.while_loop'
    _check_callable(body_fun, api, 'body_fun')
    _check_callable(cond_fun, api, 'cond_fun')
    _variables(dyn_vars, api)
    _while(api, body_fun, cond_fun, operands)


def make_while(cond_fun: Callable, body_fun: Callable, dyn_vars: Any = None) -> Callable:
    """BrainPy 2.1's ``make_while``: returns ``loop(x=None)``, which runs ``body_fun(x)``
    while ``cond_fun(x)`` holds (state in Variables; returns None).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> a = bm.Variable(bm.zeros(1))
    >>> loop = bm.make_while(lambda x: a[0] < 10, lambda x: a.update(a + 1), [a])
    >>> loop(); a
    Variable(tensor([10.]))
    """
    api = 'bm.make_while'
    _check_callable(cond_fun, api, 'cond_fun')
    _check_callable(body_fun, api, 'body_fun')
    _variables(dyn_vars, api)

    def loop(x=None):
        _while(api, body_fun, cond_fun, x)
    return loop


# ---------------------------------------------------------------------------
# branches
# ---------------------------------------------------------------------------

def _branch(f: Any) -> Callable:
    """A branch: a function, or a value (BrainPy accepts arrays and numbers)."""
    return f if callable(f) else (lambda _: f)


def _predicate(pred: Any, api: str) -> bool | torch.Tensor:
    """A Python bool, or a 1-element boolean tensor (kept when it cannot be read: under
    vmap, or while being compiled)."""
    if isinstance(pred, Variable):
        pred = pred.value
    if isinstance(pred, torch.Tensor):
        if pred.numel() != 1:
            raise ValueError(f'{api}: pred must be one boolean, got a tensor of shape '
                             f'{tuple(pred.shape)}')
        if state.tracing() or _compat.functorch_level_active():
            return pred.reshape(())
        return bool(pred)
    if isinstance(pred, (bool, int, float)) or hasattr(pred, '__bool__'):
        return bool(pred)
    raise TypeError(f'{api}: pred must be a bool or a boolean tensor, got {type(pred).__name__}')


def _select(pred: torch.Tensor, a: Any, b: Any, api: str) -> Any:
    def pick(x, y):
        x, y = as_tensor(x), as_tensor(y)
        if x.shape != y.shape or x.dtype != y.dtype:
            raise MathError(f'{api}: both branches must give the same shapes and dtypes, got '
                            f'{tuple(x.shape)} {x.dtype} and {tuple(y.shape)} {y.dtype}')
        return torch.where(pred.to(torch.bool), x, y)
    a_leaves, a_spec = pytree.tree_flatten(_unwrap(a))
    b_leaves, b_spec = pytree.tree_flatten(_unwrap(b))
    if a_spec != b_spec:
        raise MathError(f'{api}: both branches must return the same structure, got '
                        f'{a_spec} and {b_spec}')
    return pytree.tree_unflatten([None if x is None else pick(x, y)
                                  for x, y in zip(a_leaves, b_leaves)], a_spec)


def _cond(api: str, pred: Any, true_fun: Callable, false_fun: Callable, operands: Any) -> Any:
    p = _predicate(pred, api)
    if isinstance(p, bool):
        out, writes = state.run('loop', true_fun if p else false_fun, (operands,), api=api)
        state.write_back(writes)
        return _unwrap(out)
    # A predicate that cannot be read (vmap, compiled code): both branches run and the
    # results, and the Variables they assign, are selected element-wise (as JAX does
    # under vmap). The branches must then have no other side effects.
    out_t, writes_t = state.run('loop', true_fun, (operands,), api=api)
    out_f, writes_f = state.run('loop', false_fun, (operands,), api=api)
    merged, order = {}, []
    for var, value in writes_t + writes_f:
        if id(var) not in merged:
            order.append(var)
            merged[id(var)] = None
    pairs = []
    for var in order:
        t = dict((id(v), x) for v, x in writes_t).get(id(var))
        f = dict((id(v), x) for v, x in writes_f).get(id(var))
        current = var.value
        pairs.append((var, _select(p, current if t is None else t, current if f is None else f,
                                   api)))
    state.write_back(pairs)
    return _select(p, out_t, out_f, api)


def cond(pred: Any, true_fun: Any, false_fun: Any, operands: Any = None,
         dyn_vars: Any = None) -> Any:
    """BrainPy 2.1's ``cond``: ``true_fun(operands)`` if ``pred`` else ``false_fun(operands)``.

    Branches may be functions or values and may assign Variables. A boolean tensor
    that cannot be read (inside ``bm.vmap``, or in compiled code) runs both branches
    and selects their results element-wise, as JAX does under ``vmap``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> a, b = bm.Variable(bm.zeros(2)), bm.Variable(bm.ones(2))
    >>> def true_f(_): a.value += 1
    >>> def false_f(_): b.value -= 1
    >>> bm.cond(True, true_f, false_f, None, dyn_vars=[a, b]); a, b
    (Variable(tensor([1., 1.])), Variable(tensor([1., 1.])))
    >>> bm.cond(bm.array(False), true_f, false_f, None, dyn_vars=[a, b]); a, b
    (Variable(tensor([1., 1.])), Variable(tensor([0., 0.])))
    """
    api = 'bm.cond'
    _variables(dyn_vars, api)
    return _cond(api, pred, _branch(true_fun), _branch(false_fun), operands)


def make_cond(true_fun: Callable, false_fun: Callable, dyn_vars: Any = None) -> Callable:
    """BrainPy 2.1's ``make_cond``: returns ``branch(pred, x=None)``, which calls
    ``true_fun(x)`` or ``false_fun(x)`` (see :func:`cond`).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> a = bm.Variable(bm.zeros(2))
    >>> branch = bm.make_cond(lambda x: a.update(a + x), lambda x: a.update(a - x), [a])
    >>> branch(True, 2.); branch(False, 1.); a
    Variable(tensor([1., 1.]))
    """
    api = 'bm.make_cond'
    _check_callable(true_fun, api, 'true_fun')
    _check_callable(false_fun, api, 'false_fun')
    _variables(dyn_vars, api)

    def branch(pred, x=None):
        return _cond(api, pred, true_fun, false_fun, x)
    return branch


def ifelse(conditions: Any, branches: Sequence, operands: Any = None, dyn_vars: Any = None,
           show_code: bool = False) -> Any:
    """BrainPy 2.1's ``ifelse``: the first branch whose condition holds, else the last.

    ``len(branches) == len(conditions) + 1``; branches may be functions of ``operands``
    or values.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> def f(a):
    ...     return bm.ifelse(conditions=[a > 10, a > 5, a > 2, a > 0],
    ...                      branches=[1, 2, 3, 4, 5])
    >>> f(3), f(1), f(-1)
    (3, 4, 5)
    """
    api = 'bm.ifelse'
    if not isinstance(conditions, (tuple, list)):
        conditions = [conditions]
    if not isinstance(branches, (tuple, list)):
        raise ArgumentTypeError(f'{api}: branches must be a tuple or list, got '
                                f'{type(branches).__name__}')
    if len(branches) != len(conditions) + 1:
        raise ValueError(f'{api}: the numbers of branches and conditions do not match: got '
                         f'len(conditions)={len(conditions)} and len(branches)={len(branches)}; '
                         'expected len(conditions) + 1 == len(branches)')
    _variables(dyn_vars, api)
    fns = [_branch(b) for b in branches]
    if show_code:
        lines = [f'if conditions[{i}]: branches[{i}](operands)' if i == 0 else
                 f'elif conditions[{i}]: branches[{i}](operands)' for i in range(len(conditions))]
        print('\n'.join(lines + [f'else: branches[{len(conditions)}](operands)']))

    def chain(i: int) -> Callable:
        if i == len(conditions):
            return fns[i]
        return lambda ops: _cond(api, conditions[i], fns[i], chain(i + 1), ops)
    return chain(0)(operands)
