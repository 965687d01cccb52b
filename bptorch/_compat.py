"""Every private torch API bptorch uses, in one place, guarded by torch version.

Nothing else in bptorch imports ``torch._C``, ``torch._dynamo``, ``torch._functorch``,
``torch.utils._pytree`` or other underscored torch modules: they change between
releases, and this module is where those changes are absorbed. Each name here
has a fallback (or says clearly that the feature is unavailable) where a
supported torch lacks it. ``tests/test_compat.py`` checks each of them.

Importing this module changes nothing in torch. :func:`install_dynamo_rules`
(called by ``bm.jit`` on first use) is the one function that changes how torch
itself behaves; bptorch's own operators are defined in the ``torch.ops.bptorch``
namespace (``bptorch.math.operators``), which changes nothing else.

What differs between the supported torch versions (see setup.cfg), and is
absorbed here:

- how a failure of ``torch.compile`` is reported (:func:`trace_failure`): since
  torch 2.14 an operator failing on fake tensors is an observed ``RuntimeError``
  inside ``Unsupported('Observed exception')``, before a ``TorchRuntimeError``;
- where dynamo keeps its ``tensor OP object`` tables (``variables.torch_function``
  before 2.9, ``variables.builtin`` since), and whether it has rules for unary
  operators on objects (not before 2.9);
- whether dynamo can list an object's ``__dict__`` (``vars(module).items()``, which
  ``bp.Base.vars()`` does): not before 2.13 (:func:`_install_dict_listing`).

:func:`compile_split` (the compiled loop's tape) reads AOTAutograd's metadata of
a traced graph and calls inductor's ``compile_fx_inner`` and ``partition_fn``;
where they differ from what it checks, the split is marked unusable and the loop
differentiates through autograd, as before.

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
import os
from typing import Any, Callable

import torch
from torch.utils import _pytree as pytree  # noqa: F401  (re-exported: the pytree API)

__all__ = [
    'pytree', 'broadcast_prefix', 'TORCH_VERSION', 'is_dynamo_compiling', 'functorch_level_active',
    'differentiating_level_active', 'current_level', 'processing_level', 'is_wrapped',
    'is_batched_at', 'unwrap_level', 'engine_run_backward', 'version', 'shares_trainable_memory',
    'overlaps', 'cow_copy', 'disable_dynamo',
    'DynamoErrors', 'dynamo_errors', 'trace_failure', 'tracing_limit', 'error_text',
    'RAISED', 'OPERATOR', 'UNSUPPORTED', 'RECOMPILE_LIMIT', 'INTERNAL',
    'install_dynamo_rules', 'is_reflected_operator', 'SplitGraph', 'compile_split',
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
        #: an exception raised by the traced code, as dynamo records it: the ``__cause__``
        #: of an ``Unsupported('Observed exception')`` (torch >= 2.5)
        self.observed = tuple(c for c in (getattr(exc, 'ObservedException', None),) if c)
        #: an operator failed on fake tensors while tracing (torch <= 2.13; later versions
        #: record it as an observed ``RuntimeError``)
        self.runtime = tuple(c for c in (getattr(exc, 'TorchRuntimeError', None),) if c)
        #: too many recompilations under fullgraph (torch >= 2.6)
        self.recompile_limit = tuple(c for c in (getattr(exc, 'FailOnRecompileLimitHit', None),
                                                 getattr(exc, 'RecompileLimitExceeded', None)) if c)
        #: dynamo's or the backend's own failure
        self.internal = tuple(c for c in (getattr(exc, 'InternalTorchDynamoError', None),
                                          getattr(exc, 'BackendCompilerFailed', None)) if c)
        #: every exception dynamo defines
        self.any = tuple(c for c in (getattr(exc, 'TorchDynamoException', None),) if c)


_dynamo_errors: DynamoErrors | None = None


def dynamo_errors() -> DynamoErrors:
    """The dynamo exception classes of this torch (read once, on first use)."""
    global _dynamo_errors
    if _dynamo_errors is None:
        _dynamo_errors = DynamoErrors()
    return _dynamo_errors


# What a failure of torch.compile(fullgraph=True) is, whatever the torch version says.
#: the traced code raised an exception (dynamo saw the ``raise``): usually the user's own,
#: which running the function as Python raises again as itself
RAISED = 'raised'
#: an operator failed on the fake tensors of the trace: the user's error (a shape
#: mismatch, which eager code raises too) or a limitation of tracing
OPERATOR = 'operator'
#: a construct dynamo cannot capture in one graph (a graph break)
UNSUPPORTED = 'unsupported'
#: the function was recompiled more often than torch.compile allows
RECOMPILE_LIMIT = 'recompile limit'
#: dynamo or the compiler backend itself failed
INTERNAL = 'internal'

#: what an operator failing on fake tensors says, on torch >= 2.14 (where it comes out as
#: an observed RuntimeError) and before (a TorchRuntimeError)
_FAKE_TENSOR_FAILURES = ('Dynamo failed to run FX node with fake tensors',
                         'Failed running call_', 'failed while running')
#: operator failures that are a limitation of tracing, not an error of the user's code
#: (eager code runs them): the message that says so, and the reason bm.jit gives
_TRACING_LIMITS = (
    ('mutate a captured Tensor',
     'it changes a tensor in place inside a gradient, e.g. the running statistics of a '
     'BatchNorm in training mode, which torch.func cannot trace'),
)
_COMPILER_DIRS = tuple(os.path.join('torch', d) + os.sep for d in ('_dynamo', '_inductor'))


def _chain(error: BaseException) -> list[BaseException]:
    """``error`` and its causes (``__cause__``, else ``__context__``), outermost first."""
    out: list[BaseException] = []
    while error is not None and len(out) < 8 and all(error is not e for e in out):
        out.append(error)
        error = error.__cause__ or error.__context__
    return out


def error_text(error: BaseException) -> str:
    """What ``error`` and its causes say (dynamo puts the useful part in the cause on some
    versions, in the message on others)."""
    return '\n'.join(str(e) for e in _chain(error))


def _raised_in_compiler(error: BaseException) -> bool:
    """Whether ``error`` was raised by dynamo's or inductor's own code (e.g. an internal
    assertion), rather than by the user's code or by the compiled code as it ran."""
    tb = error.__traceback__
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    return last is not None and any(d in last.tb_frame.f_code.co_filename for d in _COMPILER_DIRS)


def trace_failure(error: BaseException) -> str | None:
    """What kind of failure of ``torch.compile`` ``error`` is (:data:`RAISED`,
    :data:`OPERATOR`, :data:`UNSUPPORTED`, :data:`RECOMPILE_LIMIT`, :data:`INTERNAL`), or
    None if it is none: an exception the compiled code raised as it ran (the user's,
    e.g. an index out of range), to be raised as it is.

    Told by the exception's type first, and by what it says only where the type is
    the same for different failures on some torch version (``Unsupported`` stands for
    both a graph break and, since torch 2.5, the user's own ``raise``; an operator
    failing on fake tensors is a ``TorchRuntimeError`` up to torch 2.13 and an observed
    ``RuntimeError`` since 2.14).
    """
    E = dynamo_errors()
    if E.recompile_limit and isinstance(error, E.recompile_limit):
        return RECOMPILE_LIMIT
    if E.runtime and isinstance(error, E.runtime):
        return OPERATOR
    if E.unsupported and isinstance(error, E.unsupported):
        for cause in _chain(error)[1:]:
            if E.observed and isinstance(cause, E.observed):
                text = str(cause)
                return OPERATOR if any(m in text for m in _FAKE_TENSOR_FAILURES) else RAISED
        if str(error).startswith('Observed exception'):       # a cause not kept
            return RAISED
        return UNSUPPORTED
    if (E.internal and isinstance(error, E.internal)) or (E.any and isinstance(error, E.any)):
        return INTERNAL
    if _raised_in_compiler(error):
        return INTERNAL
    return None


def tracing_limit(error: BaseException) -> str | None:
    """The reason ``bm.jit`` gives for an operator failure that is a known limitation of
    tracing (code that runs eagerly), or None."""
    text = error_text(error)
    for marker, reason in _TRACING_LIMITS:
        if marker in text:
            return reason
    return None


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


_LISTINGS = ('items', 'keys', 'values', '__iter__', '__len__')
_dict_listing_installed: list[bool] = []


def _install_dict_listing() -> bool:
    """Let dynamo list an object's ``__dict__`` (``obj.__dict__.items()``, ``vars(obj)``),
    on torch versions that cannot (2.12 and before: such a call is a graph break there).

    ``bp.Base.vars()`` / ``train_vars()`` list a module's ``__dict__``, and training steps
    call them inside ``bm.jit``. On those versions dynamo represents ``obj.__dict__`` as a
    ``GetAttrVariable`` that only knows ``[key]``, ``get`` and ``in``; this adds the
    listings, built from the object's real ``__dict__`` under a guard on its keys (so a
    new or removed attribute recompiles). An object with attributes set earlier in the
    same trace keeps dynamo's own behaviour (a graph break): what its ``__dict__`` holds
    then is not the real one's.
    """
    if _dict_listing_installed:
        return _dict_listing_installed[0]
    ok = False
    if TORCH_VERSION < (2, 13):
        try:
            from torch._dynamo.guards import GuardBuilder, install_guard
            from torch._dynamo.source import AttrSource
            from torch._dynamo.variables import ConstantVariable, ListVariable, TupleVariable
            from torch._dynamo.variables.misc import GetAttrVariable
            from torch._dynamo.variables.user_defined import UserDefinedObjectVariable
            keys_guard = getattr(GuardBuilder, 'DICT_KEYS_MATCH', None) or GuardBuilder.DICT_KEYS
            original = GetAttrVariable.call_method
        except (ImportError, AttributeError):
            original = None
        if original is not None and not getattr(original, 'bptorch_dict_listing', False):
            def call_method(self, tx, name, args, kwargs):
                obj = getattr(self, 'obj', None)
                if (name in _LISTINGS and not args and not kwargs
                        and getattr(self, 'name', None) == '__dict__'
                        and isinstance(obj, UserDefinedObjectVariable)
                        and obj.source is not None
                        and not tx.output.side_effects.has_pending_mutation(obj)):
                    real = object.__getattribute__(obj.value, '__dict__')
                    install_guard(AttrSource(obj.source, '__dict__').make_guard(keys_guard))
                    keys = list(real)
                    if name == '__len__':
                        return ConstantVariable.create(len(keys))
                    consts = [ConstantVariable.create(k) for k in keys]
                    if name in ('keys', '__iter__'):
                        return ListVariable(consts)
                    values = [obj.var_getattr(tx, k) for k in keys]
                    if name == 'values':
                        return ListVariable(values)
                    return ListVariable([TupleVariable([k, v]) for k, v in zip(consts, values)])
                return original(self, tx, name, args, kwargs)
            call_method.bptorch_dict_listing = True
            GetAttrVariable.call_method = call_method
            ok = True
    _dict_listing_installed.append(ok)
    return ok


def install_dynamo_rules(owner: type) -> bool:
    """Register the operator rules for instances of ``owner`` (``bm.Variable``) with dynamo.

    Idempotent; returns False where this torch lacks the tables (then nothing changes,
    and ``bm.jit`` warns that operators on Variables may differ from eager code).
    """
    if owner in _rules_state:
        return _rules_state[owner]
    _install_dict_listing()
    try:
        from torch._dynamo.variables import builtin
        from torch._dynamo.variables.base import VariableTracker
        from torch._dynamo.variables.tensor import SymNodeVariable as Sym
        from torch._dynamo.variables.user_defined import UserDefinedObjectVariable as Obj
        # the tables of `tensor OP object`: in variables.builtin (torch >= 2.9), in
        # variables.torch_function before
        tables = builtin
        if not hasattr(tables, 'BUILTIN_TO_TENSOR_RFN_MAP'):
            from torch._dynamo.variables import torch_function as tables
        tables.populate_builtin_to_tensor_fn_map()
        reflected_table = tables.BUILTIN_TO_TENSOR_RFN_MAP
        forward_table = tables.BUILTIN_TO_TENSOR_FN_MAP
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
        before = reflected_table.get(op, forward_table.get(op))
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
    # unary operators: dynamo before 2.9 has no rule for `-variable` or `~variable` (a
    # graph break); each rule calls the Variable's own method, as Python does
    Builtin = builtin.BuiltinVariable
    for name, dunder in _UNARY.items():
        before = getattr(Builtin, f'call_{name}', None)
        if getattr(before, 'bptorch_unary', False):
            continue
        setattr(Builtin, f'call_{name}', _unary_rule(before, dunder, holds))
    _rules_state[owner] = True
    return True


_UNARY = {'neg': '__neg__', 'pos': '__pos__', 'invert': '__invert__', 'abs': '__abs__'}


def _unary_rule(before: Callable | None, dunder: str, holds: Callable) -> Callable:
    def rule(self, tx, *args, **kwargs):
        if len(args) == 1 and not kwargs and holds(args[0]):
            return args[0].call_method(tx, dunder, [], {})
        return None if before is None else before(self, tx, *args, **kwargs)
    rule.bptorch_unary = True
    return rule


# ---------------------------------------------------------------------------
# a compiled graph split into its forward and backward (the taped loop)
# ---------------------------------------------------------------------------

class SplitGraph:
    """One graph compiled by inductor as AOTAutograd splits it for training: a forward
    that returns the graph's outputs followed by what the backward needs, and that
    backward. ``bptorch.math.tape`` calls them directly, step after step, instead of
    through autograd (see there).

    ``forward(args)`` takes the graph's inputs as a list and returns
    ``outputs + saved``; ``backward(saved + tangents)`` returns one gradient per input
    (None where there is none). ``tangent_outputs`` are the indices of the outputs
    that get a tangent. ``usable`` is False (and ``why`` says why) when the forward
    leaves something to AOTAutograd's wrappers, which the direct call skips: an
    input changed in place outside the graph, an output that is an alias,
    deduplicated inputs, effect tokens. (An input the graph itself changes in place,
    as it does for tensors outside autograd, is changed by the direct call too.)
    """

    __slots__ = ('forward', 'backward', 'n_outputs', 'n_saved', 'tangent_outputs',
                 'usable', 'why')

    def __init__(self):
        self.forward = self.backward = None
        self.n_outputs = self.n_saved = 0
        self.tangent_outputs: list[int] = []
        self.usable = False
        self.why = 'no training graph was compiled'


def _placeholders(gm) -> list:
    return [n for n in gm.graph.nodes if n.op == 'placeholder']


def _graph_outputs(gm) -> list:
    out = next(n for n in reversed(gm.graph.nodes) if n.op == 'output')
    return list(out.args[0])


def _check_split(split: SplitGraph, graph_inputs: int, fw_gm, bw_gm, meta) -> str | None:
    """Why the direct calls of a split graph would differ from AOTAutograd's (None: they
    do not)."""
    from torch._functorch._aot_autograd.schemas import OutputType
    if meta is None:
        return 'no metadata of the traced graph'
    if meta.num_mutated_inp_runtime_indices:
        return 'the step changes an input in place'
    if meta.num_intermediate_bases or any(o.output_type != OutputType.non_alias
                                          for o in meta.output_info):
        return 'an output of the step is an alias of an input or of another output'
    if getattr(meta, 'tokens', None):
        return 'the step has effect tokens'
    if getattr(meta, 'is_rng_op_functionalized', False):
        return 'the step functionalizes random numbers'
    fw_in = _placeholders(fw_gm)
    if len(fw_in) != graph_inputs:
        return 'AOTAutograd deduplicated or merged the inputs'
    if any(not isinstance(n.meta.get('val'), torch.Tensor) for n in fw_in):
        return 'an input is not a tensor'
    bw_in = _placeholders(bw_gm)
    tangents = [n for n in bw_in if n.name.startswith('tangents')]
    split.tangent_outputs = [i for i, o in enumerate(meta.output_info) if o.requires_grad]
    if len(tangents) != len(split.tangent_outputs):
        return 'the backward takes tangents other than one per differentiable output'
    split.n_saved = len(bw_in) - len(tangents)
    if any(not isinstance(n.meta.get('val'), torch.Tensor) for n in bw_in):
        return 'the backward saves a non-tensor (a symbolic size)'
    split.n_outputs = len(meta.output_info)
    if len(_graph_outputs(fw_gm)) != split.n_outputs + split.n_saved:
        return 'the forward returns more than its outputs and what the backward saves'
    if len(_graph_outputs(bw_gm)) != graph_inputs:
        return 'the backward does not return one gradient per input'
    return None


def compile_split(gm, example_inputs) -> tuple[Callable, SplitGraph]:
    """Compile a dynamo graph with inductor through AOTAutograd (as ``torch.compile``'s
    default backend does, minus its caches) and keep its forward and backward apart.

    Returns the callable dynamo runs (autograd as usual) and the :class:`SplitGraph`.
    The backward is compiled with the forward, not lazily, so it can be called
    directly.
    """
    import contextlib
    from torch._dynamo.backends.common import aot_autograd
    from torch._guards import TracingContext, detect_fake_mode
    from torch._inductor.virtualized import V
    from torch._inductor import compile_fx
    from torch._inductor.decomposition import select_decomp_table

    split = SplitGraph()
    box: dict = {}

    def partition(joint, joint_inputs, **kwargs):
        fw_gm, bw_gm = compile_fx.partition_fn(joint, joint_inputs, **kwargs)
        box['bw_gm'] = bw_gm
        return fw_gm, bw_gm

    def forward_compiler(fw_gm, fw_inputs):
        compiled = compile_fx.compile_fx_inner(fw_gm, fw_inputs)
        bw_gm = box.get('bw_gm')
        if bw_gm is None:                      # an inference graph: nothing to split
            return compiled
        ctx = TracingContext.try_get()
        why = _check_split(split, len(example_inputs), fw_gm, bw_gm,
                           getattr(ctx, 'fw_metadata', None))
        if why is None:
            bw_inputs = [n.meta['val'] for n in _placeholders(bw_gm)]
            # the forward's output strides are recorded in the tracing context, which
            # compiling a backward asserts empty: set them aside meanwhile
            strides = getattr(ctx, 'output_strides', None)
            kept = list(strides) if strides is not None else None
            if strides is not None:
                strides.clear()
            try:
                box['bw'] = compile_fx.compile_fx_inner(bw_gm, bw_inputs, is_backward=True)
            finally:
                if strides is not None:
                    strides[:] = kept
            split.forward, split.backward = compiled, box['bw']
            split.usable = True
        split.why = why
        return compiled

    def backward_compiler(bw_gm, bw_inputs):
        if 'bw' in box:
            return box['bw']
        return compile_fx.compile_fx_inner(bw_gm, bw_inputs, is_backward=True)

    backend = aot_autograd(fw_compiler=forward_compiler, bw_compiler=backward_compiler,
                           partition_fn=partition, decompositions=select_decomp_table(),
                           keep_inference_input_mutations=True)
    # inductor's graph passes (random-seed fusion among them) read the fake mode from
    # its virtualized state, as torch.compile's inductor backend sets it
    fake_mode = detect_fake_mode(example_inputs)
    with V.set_fake_mode(fake_mode) if fake_mode is not None else contextlib.nullcontext():
        return backend(gm, example_inputs), split
