"""``bm.jit`` and ``bm.function``: compiling with ``torch.compile``, Variables included.

The compiled function runs in a :mod:`~bptorch.math.state` frame, like every
transform: Variables it reads become inputs of the compiled graph, what it
assigns is written back after it returns (inside the graph, as in-place copies
into the Variables' tensors), and an exception leaves every Variable as it was.
Gradients taken inside (``bm.jit(bm.grad(...))``) are traced with ``torch.func``.

``torch.compile`` recompiles when a guard fails (new shapes, a changed Python
argument, in particular any of ``static_argnames``) and otherwise reuses its
graph. When it cannot capture the function as one graph, ``bm.jit`` warns with
the reason and runs it with graph breaks (parts compiled, parts eager) rather than
failing; ``fullgraph=True`` turns that into an error.

What a failure of the trace is, is read from the exception's type (through
:func:`bptorch._compat.trace_failure`, which knows how each torch version reports
it), never from one message:

- the function raised while traced (its own ``raise``, or an operator failing on
  the trace's fake tensors, e.g. mismatched shapes): it is run as Python, which
  raises that exception as itself, every Variable unchanged, nothing given up; if
  it runs without error there, tracing was at fault: a fallback (eager);
- a known limitation of tracing (a tensor changed in place inside a gradient): a
  fallback (eager);
- a graph break: a fallback with graph breaks (eager instead if dynamo fails there
  too); a loop's graph break is none: the loop compiles its body (see
  :mod:`~bptorch.math.controls`);
- too many recompilations, or dynamo or the backend failing: a fallback (eager).

A fallback warns once (:class:`~bptorch.errors.JitFallbackWarning`, the reason also in
``fell_back``) and is kept: later calls do not trace again. With ``fullgraph=True``
each is raised instead (the dynamo error), every Variable unchanged.

Examples
--------
>>> import torch, bptorch as bp, bptorch.math as bm
>>> class Counter(bp.Base):
...     def __init__(self):
...         super().__init__()
...         self.n = bm.Variable(torch.zeros(()))
...     def step(self, x):
...         self.n.value = self.n.value + 1
...         return torch.tanh(x).sum()
>>> c = Counter()
>>> step = bm.jit(c.step)
>>> float(step(torch.zeros(3))), float(c.n.value)
(0.0, 1.0)
"""

from __future__ import annotations

import functools
import inspect
import re
import sys
import threading
import warnings
from typing import Any, Callable

import torch

from bptorch import _compat
from bptorch._compat import pytree
from bptorch.errors import ArgumentTypeError, JitFallbackWarning
from bptorch.math import state
from bptorch.math.controls import LOOP_MARKER, prepare_for_compiling
from bptorch.math.variables import Variable

__all__ = ['jit', 'function', 'JitFallbackWarning']


#: torch.compile(fullgraph=True) counts compiled frames in a process-wide counter
#: (torch 2.13): calls from several threads at once race on it. One at a time.
_calls = threading.RLock()


def _check_nodes(nodes: Any, api: str) -> None:
    if nodes is None:
        return
    if isinstance(nodes, dict):
        nodes = dict(nodes)
    for leaf in pytree.tree_leaves(nodes):
        if not isinstance(leaf, (Variable, torch.nn.Module)):
            raise TypeError(f'{api}: nodes must hold bp.Base objects (or Variables), '
                            f'got {type(leaf).__name__}')


def _check_static_argnames(func: Callable, static_argnames: Any, api: str) -> None:
    """``static_argnames`` must name parameters of ``func``."""
    if static_argnames is None:
        return
    names = (static_argnames,) if isinstance(static_argnames, str) else tuple(static_argnames)
    if not all(isinstance(n, str) for n in names):
        raise TypeError(f'{api}: static_argnames must be a str or a sequence of str, '
                        f'got {static_argnames!r}')
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):      # a builtin or C callable: nothing to check against
        return
    takes_kwargs = any(p.kind is p.VAR_KEYWORD for p in params.values())
    for n in names:
        if n not in params and not takes_kwargs:
            raise ValueError(f'{api}: static_argnames names {n!r}, but '
                             f'{getattr(func, "__name__", func)!r} has no such parameter '
                             f'(it has {list(params)})')


def _run_in_frame(func: Callable, args: tuple, kwargs: dict) -> tuple:
    """Call ``func`` in a ``'jit'`` frame: ``(out, [(variable, value), ...])``, the writes
    to be made by :func:`_finish` (for a compiled step, once its graph has run to its end).

    Outside differentiating transforms the frame assigns as eager code does
    (detached); inside one, writes stay differentiable.
    """
    out, writes = state.run('jit', func, args, kwargs,
                            detach_writes=not state.differentiating(), api='bm.jit')
    return pytree.tree_map(lambda x: x.value if isinstance(x, Variable) else x, out), writes


def _finish(result: tuple):
    """Make the writes of a :func:`_run_in_frame` result; return its output."""
    out, writes = result
    state.write_back(writes)
    return out


def _own_step(func: Callable) -> Callable:
    """A step function with a code object of its own.

    ``torch.compile`` keeps its compiled graphs (and their recompile limit) on the
    code object, so each ``bm.jit`` needs its own: sharing one would make every
    jitted function count against the same limit, and keep graphs of dead ones.
    """
    def step(*args, **kwargs):
        # The writes are made after the graph: an error while it runs changes nothing,
        # and each Variable keeps its tensor object (the data is copied in).
        return _run_in_frame(func, args, kwargs)
    name = getattr(func, '__name__', type(func).__name__)
    step.__code__ = step.__code__.replace(co_name=f'bm_jit_{name}' if name.isidentifier()
                                          else 'bm_jit')
    return step


class _Compiled:
    """The callable returned by :func:`jit`."""

    def __init__(self, func: Callable, compile_kwargs: dict):
        self.func = func
        self.compile_kwargs = compile_kwargs
        self.fullgraph = compile_kwargs.pop('fullgraph')
        self.fell_back: str | None = None
        self._lock = threading.Lock()
        self._step = _own_step(func)
        self._graph = None          # compiled on the first call (nothing changes before)
        self._broken = None
        self._graph_breaks = False  # _broken is torch.compile with graph breaks
        self.loop_driven = False        # runs as Python, its loops compiling their bodies
        self._raised = False            # the last call raised: run as Python until one succeeds
        self.__name__ = getattr(func, '__name__', type(func).__name__)
        self.__qualname__ = getattr(func, '__qualname__', self.__name__)
        self.__module__ = getattr(func, '__module__', None)
        self.__wrapped__ = func
        self.__doc__ = f'bm.jit of {self.__name__}.'

    def __call__(self, *args, **kwargs):
        # Called from code being compiled, or inside another transform (bm.grad,
        # bm.vmap, torch.func, a loop): run it as Python in a frame of its own, so that
        # the enclosing trace or transform sees through it (a compiled graph would hide it).
        if state.tracing() or state.top() is not None or _compat.functorch_level_active():
            return _finish(_run_in_frame(self.func, args, kwargs))
        with _calls:
            return self._call(args, kwargs)

    def _compiled(self) -> Callable:
        if self._graph is None:
            prepare_for_compiling()
            if not _compat.install_dynamo_rules(Variable):
                warnings.warn('bm.jit: this torch has no dynamo operator tables bptorch can '
                              'extend; under it `variable @ tensor` and in-place operators on '
                              'Variables (v += x) may not compute what eager code does: use '
                              'v.value there', JitFallbackWarning, stacklevel=4)
            self._graph = torch.compile(self._step, fullgraph=True, **self.compile_kwargs)
        return self._graph

    def _call(self, args: tuple, kwargs: dict):
        if self._broken is not None:
            return self._run_broken(args, kwargs)
        if self._raised:
            # The last call raised (bad input, say): run as Python until a call
            # succeeds, rather than tracing again at every failing call.
            out = _finish(_run_in_frame(self.func, args, kwargs))
            self._raised = False
            return out
        try:
            return _finish(self._compiled()(*args, **kwargs))
        except Exception as e:      # noqa: BLE001 - told apart below, re-raised if not ours
            kind = _compat.trace_failure(e)
            if kind is None:        # raised by the compiled code as it ran: the user's
                self._raised = True
                raise
            error = e
        # Outside the except clause: an exception raised from here on (the user's own,
        # from running func as Python) does not carry dynamo's as its context.
        return self._after_failure(error, kind, args, kwargs)

    def _after_failure(self, error: Exception, kind: str, args: tuple, kwargs: dict):
        """Handle a failure of ``torch.compile(fullgraph=True)``: the user's own exception
        comes out as itself, a loop runs as Python, anything else falls back with a
        warning (or, with ``fullgraph=True``, is raised)."""
        if kind == _compat.UNSUPPORTED and LOOP_MARKER in _compat.error_text(error):
            # a loop: the function runs as Python and each loop compiles its body
            # once (see bptorch.math.controls); not a fallback
            with self._lock:
                self.loop_driven = True
                self._broken = self._loop_driver
            return _finish(self._loop_driver(*args, **kwargs))
        if kind in (_compat.RAISED, _compat.OPERATOR):
            reason = _compat.tracing_limit(error) if kind == _compat.OPERATOR else None
            if reason is None:
                # The traced code raised, or an operator failed on fake tensors: run func
                # as Python, which raises the user's own exception as itself (every
                # Variable as it was, compilation not given up) ...
                self._raised = True
                result = _run_in_frame(self.func, args, kwargs)
                self._raised = False
                # ... or, when it runs, shows that tracing failed (its writes are dropped
                # if that is an error)
                if self.fullgraph:
                    raise error
                return self._fall_back(_reason(error), self._step, how='eagerly', result=result)
            if self.fullgraph:
                raise error
            return self._fall_back(reason, self._step, args, kwargs, 'eagerly')
        if self.fullgraph:
            raise error
        if kind == _compat.UNSUPPORTED:
            broken = torch.compile(self._step, fullgraph=False, **self.compile_kwargs)
            return self._fall_back(_reason(error), broken, args, kwargs,
                                   'with graph breaks (partly eager)', graph_breaks=True)
        if kind == _compat.RECOMPILE_LIMIT:
            return self._fall_back(f'recompiled too often ({_first_line(error)})', self._step,
                                   args, kwargs, 'eagerly')
        return self._fall_back(f'torch.compile failed: {type(error).__name__}: '
                               f'{_first_line(error)}', self._step, args, kwargs, 'eagerly')

    def _loop_driver(self, *args, **kwargs):
        return _run_in_frame(self.func, args, kwargs)

    def _fall_back(self, reason: str, runner: Callable, args: tuple = (), kwargs: dict | None = None,
                   how: str = 'eagerly', *, graph_breaks: bool = False, result: Any = None):
        """From now on run ``runner`` instead of the compiled graph, and warn why; this call's
        result is ``result`` if given (func already ran), else ``runner``'s."""
        with self._lock:
            if self._broken is None:
                self.fell_back = reason
                self._broken = runner
                self._graph_breaks = graph_breaks
        self._warn(reason, how)
        if result is not None:
            return _finish(result)
        return self._run_broken(args, kwargs or {})

    def _warn(self, reason: str, how: str) -> None:
        warnings.warn(f'bm.jit: torch.compile cannot capture {self.__name__!r} as one graph '
                      f'({reason}); it runs {how} from now on. Pass fullgraph=True to make this '
                      'an error.', JitFallbackWarning, stacklevel=_caller_level())

    def _run_broken(self, args: tuple, kwargs: dict):
        if not self._graph_breaks:
            return _finish(self._broken(*args, **kwargs))
        try:
            return _finish(self._broken(*args, **kwargs))
        except Exception as e:      # noqa: BLE001
            if _compat.trace_failure(e) is None:
                raise
            error = e
        # torch.compile failed on the function with graph breaks too (some versions' dynamo
        # cannot resume inside bptorch's frames): run it as Python, which raises the
        # user's own exception if it is one, and eagerly from now on
        result = _run_in_frame(self.func, args, kwargs)
        reason = f'{self.fell_back}; then, with graph breaks: {_first_line(error)}'
        with self._lock:
            self.fell_back = reason
            self._broken = self._step
            self._graph_breaks = False
        self._warn(reason, 'eagerly')
        return _finish(result)


def _caller_level() -> int:
    """The ``stacklevel`` of a warning about the code that called the jitted function."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename == __file__:
        frame, level = frame.f_back, level + 1
    return level


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _reason(error: Exception) -> str:
    """The first line of a dynamo error (of its cause where that says what the traced code
    raised), with the reason a user gave where there is one."""
    reason = _first_line(error)
    if reason.startswith('Observed exception') and (error.__cause__ or error.__context__):
        reason = _first_line(error.__cause__ or error.__context__)
    given = re.search(r'\(reason: ([^)]*)\)', _compat.error_text(error))  # a disable reason
    if given:
        reason += f': {given.group(1)}'
    return reason


def jit(func: Callable | None = None, dyn_vars: Any = None, static_argnames: Any = None,
        device: Any = None, auto_infer: bool = True, *, backend: str | Callable = 'inductor',
        mode: str | None = None, fullgraph: bool = False, dynamic: bool | None = None,
        options: dict | None = None) -> Callable:
    """Just-in-time compile a function, bound method or ``bp.Base`` with ``torch.compile``.

    Parameters
    ----------
    func : callable or bp.Base
        What to compile. Variables it reads and writes are handled automatically.
    dyn_vars : Variable or container, optional
        Accepted for BrainPy compatibility (checked, not needed).
    static_argnames : str or sequence of str, optional
        Keyword arguments that are compile-time constants: a new value recompiles.
        (``torch.compile`` treats every non-tensor argument this way; the names
        are checked against ``func``'s signature.)
    device : optional
        Not supported: move the model with ``.to(device)`` and pass tensors there.
    auto_infer : bool
        Accepted for BrainPy compatibility: Variables are always found.
    backend, mode, dynamic, options
        Passed to ``torch.compile``.
    fullgraph : bool
        Raise instead of warning and running with graph breaks.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> f = bm.jit(lambda x, scale=2.: x * scale, static_argnames='scale')
    >>> f(torch.ones(2), scale=3.)
    tensor([3., 3.])
    """
    api = 'bm.jit'
    if func is None:        # used as @bm.jit(...)
        return functools.partial(jit, dyn_vars=dyn_vars, static_argnames=static_argnames,
                                 device=device, auto_infer=auto_infer, backend=backend, mode=mode,
                                 fullgraph=fullgraph, dynamic=dynamic, options=options)
    if not callable(func):
        raise ArgumentTypeError(f'{api}: func must be callable, got {type(func).__name__}')
    if device is not None:
        raise NotImplementedError(f'{api}: device={device!r} is not supported; move the model '
                                  'with .to(device) and pass tensors on that device instead')
    state.check_dyn_vars(dyn_vars, api)
    _check_static_argnames(func, static_argnames, api)   # torch.compile guards on them itself
    return _Compiled(func, dict(backend=backend, mode=mode, fullgraph=fullgraph,
                                        dynamic=dynamic, options=options))


def function(f: Callable | None = None, nodes: Any = None, dyn_vars: Any = None,
             name: str | None = None) -> Callable:
    """BrainPy's ``bm.function``: wrap a function that uses the Variables of ``nodes``.

    In BrainPy this declared which objects a function touches so that it could
    be transformed. bptorch finds Variables by itself, so this checks the
    arguments and returns ``f`` unchanged (named ``name`` if given); compose it
    with :func:`jit` or the gradient functions as usual.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> def make():
    ...     w = bm.Variable(torch.ones(2))
    ...     return bm.function(lambda x: (w * x).sum(), dyn_vars=w)
    >>> bm.jit(make())(torch.ones(2))
    tensor(2.)
    """
    api = 'bm.function'
    if f is None:
        return functools.partial(function, nodes=nodes, dyn_vars=dyn_vars, name=name)
    if not callable(f):
        raise TypeError(f'{api}: f must be callable, got {type(f).__name__}')
    _check_nodes(nodes, api)
    state.check_dyn_vars(dyn_vars, api)
    if name is not None:
        if not isinstance(name, str):
            raise TypeError(f'{api}: name must be a str, got {name!r}')

        @functools.wraps(f)
        def named(*args, **kwargs):
            return f(*args, **kwargs)
        named.__name__ = named.__qualname__ = name
        return named
    return f
