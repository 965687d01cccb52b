"""Every private torch API bptorch uses, in one place, guarded by torch version.

Nothing else in bptorch imports ``torch._C``, ``torch._dynamo``, ``torch._functorch``,
``torch.utils._pytree`` or other underscored torch modules: they change between
releases, and this module is where those changes are absorbed. Each name here
has a fallback (or says clearly that the feature is unavailable) where a
supported torch lacks it. ``tests/test_compat.py`` checks each of them.

Importing this module changes nothing in torch. :func:`install_dynamo_rules`
(called by ``bm.jit`` on first use) is the one function that registers
anything with torch.

Examples
--------
>>> import torch
>>> from bptorch import _compat
>>> _compat.is_dynamo_compiling()       # eager code: never, whatever other threads do
False
>>> _compat.functorch_level_active()
False
"""

from __future__ import annotations

import operator
from typing import Any, Callable

import torch
from torch.utils import _pytree as pytree  # noqa: F401  (re-exported: the pytree API)

__all__ = [
    'pytree', 'broadcast_prefix', 'TORCH_VERSION', 'is_dynamo_compiling', 'functorch_level_active',
    'differentiating_level_active', 'current_level', 'processing_level', 'is_wrapped',
    'is_batched_at', 'unwrap_level', 'engine_run_backward', 'version', 'shares_trainable_memory',
    'overlaps', 'cow_copy', 'disable_dynamo',
    'DynamoErrors', 'dynamo_errors', 'install_dynamo_rules', 'is_reflected_operator',
]

TORCH_VERSION: tuple[int, int] = tuple(int(p) for p in torch.__version__.split('+')[0].split('.')[:2])
"""(major, minor) of the torch in use."""

_F = torch._C._functorch


def broadcast_prefix(prefix, spec) -> list | None:
    """``prefix`` (a pytree prefix of ``spec``'s tree) broadcast to one entry per leaf of
    ``spec``, or None where it is no prefix."""
    return pytree._broadcast_to_and_flatten(prefix, spec)


# ---------------------------------------------------------------------------
# "am I being traced": a fact of this thread's trace, never a process-wide flag
# ---------------------------------------------------------------------------

def _dynamo_compiling_fallback() -> bool:   # pragma: no cover - torch without the public name
    return torch._dynamo.is_compiling()


#: True only inside code that dynamo is tracing: dynamo replaces the call with a
#: constant while it traces, and eager code always gets False. (Unlike
#: ``torch.compiler.is_compiling()``, which reads a process-wide flag that is
#: True in every thread while any thread compiles.)
is_dynamo_compiling: Callable[[], bool] = getattr(torch.compiler, 'is_dynamo_compiling',
                                                  _dynamo_compiling_fallback)


# ---------------------------------------------------------------------------
# torch.func levels (functorch's C API)
# ---------------------------------------------------------------------------

_DIFF_LEVELS = (_F.TransformType.Grad, _F.TransformType.Jvp)


def functorch_level_active() -> bool:
    """Whether a ``torch.func`` transform (grad, vjp, jvp, vmap, ...) runs in this thread."""
    return _F.peek_interpreter_stack() is not None


def differentiating_level_active() -> bool:
    """Whether a ``torch.func`` grad/vjp/jvp level is active in this thread (vmap levels
    do not count)."""
    if _F.peek_interpreter_stack() is None:
        return False
    return any(i.key() in _DIFF_LEVELS for i in _F.get_interpreter_stack())


def current_level() -> int | None:
    """The innermost ``torch.func`` level (inside a transform's function), or None."""
    return _F.current_level() if _F.peek_interpreter_stack() is not None else None


def processing_level() -> int:
    """In a custom vmap rule (its interpreter is lowered): the level being processed."""
    return (_F.maybe_current_level() or 0) + 1


def is_wrapped(t: torch.Tensor) -> bool:
    """Whether ``t`` is a ``torch.func`` wrapper (a batched or grad-tracking tensor)."""
    return _F.is_functorch_wrapped_tensor(t)


def is_batched_at(t: torch.Tensor, level: int) -> bool:
    """Whether ``t`` is batched at ``torch.func`` level ``level`` (looking through the
    wrappers of inner levels)."""
    while _F.is_functorch_wrapped_tensor(t):
        lv = _F.maybe_get_level(t)
        if lv == level:
            return _F.is_batchedtensor(t)
        if lv < level:
            return False
        t = _F.get_unwrapped(t)
    return False


def unwrap_level(t: torch.Tensor) -> torch.Tensor:
    """``t`` without its innermost ``torch.func`` wrapper (``t`` itself if it has none)."""
    return _F.get_unwrapped(t) if _F.is_functorch_wrapped_tensor(t) else t


# ---------------------------------------------------------------------------
# autograd and tensors
# ---------------------------------------------------------------------------

try:   # the engine call behind torch.autograd.grad (torch >= 2.3)
    from torch.autograd.graph import _engine_run_backward as _run_backward
except ImportError:  # pragma: no cover
    _run_backward = None


def engine_run_backward(outs: tuple, cotangents: tuple, keep_graph: bool,
                        inputs: tuple) -> list:
    """Gradients of ``sum(outs * cotangents)`` with respect to ``inputs`` (None where
    unused): ``torch.autograd.grad`` without its argument normalisation, which costs
    more than a small backward pass."""
    if _run_backward is None:  # pragma: no cover
        return list(torch.autograd.grad(outs, inputs, cotangents, allow_unused=True,
                                        create_graph=keep_graph))
    return list(_run_backward(outs, cotangents, keep_graph, keep_graph, inputs, True,
                              accumulate_grad=False))


def version(t: torch.Tensor) -> int:
    """``t``'s version counter: it grows with every in-place change of its data."""
    return t._version


def shares_trainable_memory(t: torch.Tensor) -> bool:
    """Whether ``t`` is, or is a view of, a leaf tensor that requires grad (a parameter,
    whose data optimizers change in place). False while dynamo traces (it cannot ask)."""
    if is_dynamo_compiling():
        return False
    if t.requires_grad and t.is_leaf:
        return True
    if t._is_view():
        base = t._base
        return base is not None and base.requires_grad and base.is_leaf
    return False


def overlaps(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Whether ``a`` and ``b`` share memory (eager code only: False while dynamo traces,
    where the compiled graph orders its own copies)."""
    if is_dynamo_compiling():
        return False
    return a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr()


_lazy_clone = getattr(torch, '_lazy_clone', None)


def cow_copy(t: torch.Tensor) -> torch.Tensor:
    """A copy of ``t`` for code that may write to it: copy-on-write in eager code (free
    unless one of them is written); a plain ``clone`` inside ``torch.func`` transforms
    (which have no batching rule for lazy clones), in code being compiled (where the
    compiler removes a copy that is never written), and for memory torch does not own
    or cannot share (sparse tensors, memory from NumPy)."""
    if _lazy_clone is None or _F.peek_interpreter_stack() is not None or is_dynamo_compiling():
        return t.clone()
    try:
        return _lazy_clone(t)
    except (RuntimeError, NotImplementedError):
        return t.clone()


# ---------------------------------------------------------------------------
# dynamo
# ---------------------------------------------------------------------------

def disable_dynamo(fn: Callable, reason: str) -> Callable:
    """``fn`` run eagerly (a graph break) when called from code dynamo compiles."""
    try:
        return torch._dynamo.disable(fn, reason=reason)
    except TypeError:      # pragma: no cover - torch before the reason argument
        return torch._dynamo.disable(fn)


class DynamoErrors:
    """The exception classes of dynamo that ``bm.jit`` tells apart (``()`` where absent)."""

    def __init__(self):
        exc = torch._dynamo.exc
        #: could not capture: a graph break under fullgraph, an unsupported construct
        self.unsupported = tuple(c for c in (getattr(exc, 'Unsupported', None),
                                             getattr(exc, 'UserError', None)) if c)
        #: the user's own exception, raised while tracing (torch >= 2.14 wraps some
        #: of them; earlier versions re-raise the exception itself)
        self.observed = tuple(c for c in (getattr(exc, 'ObservedException', None),) if c)
        #: an operator failed on fake tensors while tracing
        self.runtime = tuple(c for c in (getattr(exc, 'TorchRuntimeError', None),) if c)
        #: too many recompilations under fullgraph (torch >= 2.6)
        self.recompile_limit = tuple(c for c in (getattr(exc, 'FailOnRecompileLimitHit', None),
                                                 getattr(exc, 'RecompileLimitExceeded', None)) if c)
        #: dynamo's own internal failure
        self.internal = tuple(c for c in (getattr(exc, 'InternalTorchDynamoError', None),
                                          getattr(exc, 'BackendCompilerFailed', None)) if c)


_dynamo_errors: DynamoErrors | None = None


def dynamo_errors() -> DynamoErrors:
    """The dynamo exception classes of this torch (read once, on first use)."""
    global _dynamo_errors
    if _dynamo_errors is None:
        _dynamo_errors = DynamoErrors()
    return _dynamo_errors


# -- operator rules for Variables under dynamo ----------------------------------------
#
# When dynamo traces ``a OP b`` with a tensor on one side and an object that has
# ``__torch_function__`` (a Variable) on the left, it does not call ``a.__OP__``: it
# swaps the operands and calls the tensor's reflected method. Two cases are wrong
# that way: ``variable @ tensor`` (no reflected entry for ``@``: dynamo computes
# ``tensor @ variable``) and every in-place operator (``v += x`` would rebind the
# name to a tensor). The rules below put the operands back and call the Variable's
# own method. Dynamo also has no rule for ``@`` between two Python objects, and
# compares an object with a dynamic number as if both were numbers; rules for
# those call the object's own methods, as Python does. Every rule applies to
# Variables only; other objects get what dynamo gave them before.

_DUNDERS = {
    operator.matmul: '__matmul__',
    operator.iadd: '__iadd__', operator.isub: '__isub__', operator.imul: '__imul__',
    operator.itruediv: '__itruediv__', operator.ifloordiv: '__ifloordiv__',
    operator.imod: '__imod__', operator.ipow: '__ipow__', operator.imatmul: '__imatmul__',
    operator.iand: '__iand__', operator.ior: '__ior__', operator.ixor: '__ixor__',
    operator.ilshift: '__ilshift__', operator.irshift: '__irshift__',
}
_COMPARISONS = {operator.eq: ('__eq__', '__eq__'), operator.ne: ('__ne__', '__ne__'),
                operator.lt: ('__lt__', '__gt__'), operator.le: ('__le__', '__ge__'),
                operator.gt: ('__gt__', '__lt__'), operator.ge: ('__ge__', '__le__')}
_TENSOR_FALLBACK: dict = {}     # operator -> what dynamo called before, for other objects
_rules_state: dict[type, bool] = {}


def is_reflected_operator(func: Callable) -> bool:
    """Whether ``func`` is a rule of :func:`install_dynamo_rules` (dynamo passes it the
    Variable itself, and the Variable's ``__torch_function__`` must call it as it is)."""
    return getattr(func, 'bptorch_swapped_operator', False)


def _reflected(op: Callable, dunder: str, owner: type) -> Callable:
    def reflected(right, left):          # dynamo passes the operands swapped
        if isinstance(left, owner):
            return getattr(type(left), dunder)(left, right)
        return _TENSOR_FALLBACK[op](right, left)
    reflected.__name__ = reflected.__qualname__ = f'reflected{dunder}'
    reflected.bptorch_swapped_operator = True
    return reflected


def install_dynamo_rules(owner: type) -> bool:
    """Register the operator rules for instances of ``owner`` (``bm.Variable``) with dynamo.

    Idempotent; returns False where this torch lacks the tables (then nothing changes,
    and ``bm.jit`` warns that operators on Variables may differ from eager code).
    """
    if owner in _rules_state:
        return _rules_state[owner]
    try:
        from torch._dynamo.variables import builtin
        from torch._dynamo.variables.base import VariableTracker
        from torch._dynamo.variables.tensor import SymNodeVariable as Sym
        from torch._dynamo.variables.user_defined import UserDefinedObjectVariable as Obj
        builtin.populate_builtin_to_tensor_fn_map()
        reflected_table = builtin.BUILTIN_TO_TENSOR_RFN_MAP
        binops = builtin.BuiltinVariable._binop_handlers()
    except (ImportError, AttributeError):
        _rules_state[owner] = False
        return False

    def holds(vt) -> bool:
        return isinstance(vt, Obj) and isinstance(vt.value, owner)

    def object_matmul(tx, a, b):
        if holds(a):
            return a.call_method(tx, '__matmul__', [b], {})
        if holds(b):
            return b.call_method(tx, '__rmatmul__', [a], {})
        return None                 # not ours: dynamo's other rules decide

    def object_imatmul(tx, a, b):
        return a.call_method(tx, '__imatmul__', [b], {}) if holds(a) else None

    def comparison(forward: str, swapped: str) -> Callable:
        def rule(tx, a, b):
            if holds(a):
                return a.call_method(tx, forward, [b], {})
            if holds(b):
                return b.call_method(tx, swapped, [a], {})
            return None
        return rule

    for op, dunder in _DUNDERS.items():
        before = reflected_table.get(op, builtin.BUILTIN_TO_TENSOR_FN_MAP.get(op))
        _TENSOR_FALLBACK[op] = torch.Tensor.__rmatmul__ if op is operator.matmul else before
        reflected_table[op] = _reflected(op, dunder, owner)
    for op, rule in ((operator.matmul, object_matmul), (operator.imatmul, object_imatmul)):
        binops.setdefault(op, []).extend([((Obj, VariableTracker), rule),
                                          ((VariableTracker, Obj), rule)])
    for op, (forward, swapped) in _COMPARISONS.items():
        rules = binops.get(op)
        if rules is not None:
            rule = comparison(forward, swapped)
            rules[:0] = [((Obj, Sym), rule), ((Sym, Obj), rule)]
    _rules_state[owner] = True
    return True
