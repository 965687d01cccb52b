"""Operators on Variables under ``torch.compile``: the Python meaning, not a tensor guess.

When dynamo traces ``a OP b`` with a tensor on one side and an object with
``__torch_function__`` (a Variable) on the left, it does not call ``a.__OP__``:
it swaps the operands and calls the tensor's reflected method. Two cases are
wrong that way (torch 2.4 to 2.13):

- ``variable @ tensor``: there is no reflected entry for ``@``, so dynamo
  computes ``tensor @ variable``;
- ``variable += tensor`` (and every other in-place operator): the reflected
  method returns a new tensor, so ``self.v += x`` rebinds ``self.v`` to a tensor
  instead of assigning to the Variable.

:func:`install` registers, for those operators, a reflected function that puts
the operands back in order and calls the Variable's own method (the Variable's
``__torch_function__`` runs it as it is); other objects get what dynamo gave
them before (``@`` in the right order). Every rule here applies to Variables
only, and nothing changes outside ``torch.compile``.

A third gap: dynamo has no rule for ``@`` (nor ``@=``) between two Python
objects, so ``w_rec @ h`` with two Variables broke the graph. :func:`install`
adds one that calls ``__matmul__`` / ``__rmatmul__`` / ``__imatmul__``, as
Python does.

A fourth: comparing an object with a number dynamo has made dynamic (a
threshold that changed between calls) takes a path meant for numbers, so
``v == th`` gave a Python bool and ``v >= th`` raised. :func:`install` puts a
rule first that calls the object's own comparison method.
"""

from __future__ import annotations

import operator
from typing import Callable

import torch

_DUNDERS = {
    operator.matmul: '__matmul__',
    operator.iadd: '__iadd__', operator.isub: '__isub__', operator.imul: '__imul__',
    operator.itruediv: '__itruediv__', operator.ifloordiv: '__ifloordiv__',
    operator.imod: '__imod__', operator.ipow: '__ipow__', operator.imatmul: '__imatmul__',
    operator.iand: '__iand__', operator.ior: '__ior__', operator.ixor: '__ixor__',
    operator.ilshift: '__ilshift__', operator.irshift: '__irshift__',
}


def _is_variable(x) -> bool:
    from bptorch.math.variables import Variable      # (variables imports this module)
    return isinstance(x, Variable)


_TENSOR_FALLBACK: dict = {}     # operator -> what dynamo called before install(), for others


def _reflected(op: Callable, dunder: str) -> Callable:
    def reflected(right, left):          # dynamo passes the operands swapped
        if _is_variable(left):
            return getattr(type(left), dunder)(left, right)
        return _TENSOR_FALLBACK[op](right, left)       # another object: as dynamo did
    reflected.__name__ = reflected.__qualname__ = f'reflected{dunder}'
    reflected.swapped_operator = True
    return reflected


REFLECTED = {op: _reflected(op, name) for op, name in _DUNDERS.items()}
"""Operator -> the reflected function dynamo calls for ``variable OP tensor``."""

INSTALLED = False
"""Whether :func:`install` found dynamo's tables (``bm.jit`` warns where it did not)."""


def is_reflected(func: Callable) -> bool:
    """Whether ``func`` is one of :data:`REFLECTED` (to be called with the Variable itself)."""
    return getattr(func, 'swapped_operator', False)


def _holds_variable(vt) -> bool:
    """Whether a dynamo variable tracker stands for a bptorch Variable."""
    from torch._dynamo.variables.user_defined import UserDefinedObjectVariable
    return isinstance(vt, UserDefinedObjectVariable) and _is_variable(vt.value)


def _object_matmul(tx, a, b):
    if _holds_variable(a):
        return a.call_method(tx, '__matmul__', [b], {})
    if _holds_variable(b):
        return b.call_method(tx, '__rmatmul__', [a], {})
    return None                     # not ours: dynamo's other rules decide


def _object_imatmul(tx, a, b):
    return a.call_method(tx, '__imatmul__', [b], {}) if _holds_variable(a) else None


_COMPARISONS = {operator.eq: ('__eq__', '__eq__'), operator.ne: ('__ne__', '__ne__'),
                operator.lt: ('__lt__', '__gt__'), operator.le: ('__le__', '__ge__'),
                operator.gt: ('__gt__', '__lt__'), operator.ge: ('__ge__', '__le__')}


def _object_comparison(forward: str, swapped: str) -> Callable:
    def rule(tx, a, b):
        if _holds_variable(a):
            return a.call_method(tx, forward, [b], {})
        if _holds_variable(b):
            return b.call_method(tx, swapped, [a], {})
        return None                 # not ours: dynamo's other rules decide
    rule.bptorch_rule = True
    return rule


def install() -> bool:
    """Register :data:`REFLECTED`, the ``@`` rules and the comparison rules with dynamo.

    Returns False where this torch lacks the tables (then nothing is changed).

    Examples
    --------
    >>> from bptorch.math import _dynamo_ops
    >>> _dynamo_ops.install()       # done once when bptorch.math is imported
    True
    """
    try:
        from torch._dynamo.variables import builtin
        from torch._dynamo.variables.base import VariableTracker
        from torch._dynamo.variables.tensor import SymNodeVariable as Sym
        from torch._dynamo.variables.user_defined import UserDefinedObjectVariable as Obj
        builtin.populate_builtin_to_tensor_fn_map()
        reflected_table = builtin.BUILTIN_TO_TENSOR_RFN_MAP
        binops = builtin.BuiltinVariable._binop_handlers()
    except (ImportError, AttributeError):
        return False
    for op in REFLECTED:
        if reflected_table.get(op) is not REFLECTED[op]:
            before = reflected_table.get(op, builtin.BUILTIN_TO_TENSOR_FN_MAP[op])
            _TENSOR_FALLBACK[op] = torch.Tensor.__rmatmul__ if op is operator.matmul else before
    reflected_table.update(REFLECTED)
    for op, rule in ((operator.matmul, _object_matmul), (operator.imatmul, _object_imatmul)):
        rules = binops.setdefault(op, [])
        if not any(r is rule for _, r in rules):
            rules += [((Obj, VariableTracker), rule), ((VariableTracker, Obj), rule)]
    for op, (forward, swapped) in _COMPARISONS.items():
        rules = binops.get(op)
        if rules is not None and not any(getattr(r, 'bptorch_rule', False) for _, r in rules):
            rule = _object_comparison(forward, swapped)
            rules[:0] = [((Obj, Sym), rule), ((Sym, Obj), rule)]
    return True
