"""Loading a state dict into a ``bp.Base``: everything checked and converted, then assigned.

``nn.Module.load_state_dict`` copies entry after entry and raises at the first
one that does not fit, leaving a model half-loaded; it also casts silently (a
float into an integer buffer truncates). Here every entry is checked and
converted first, and only then are the values assigned, none of which can fail:
a problem changes nothing and raises one :class:`~bptorch.errors.StateLoadError`
that lists every problem by key.

Examples
--------
>>> import torch, bptorch as bp, bptorch.math as bm
>>> m = bp.Base(name='SD'); m.n = bm.Variable(torch.zeros(2, dtype=torch.int64))
>>> m.load_state_dict({'n': torch.tensor([1.7, 2.0])})
Traceback (most recent call last):
...
bptorch.errors.StateLoadError: load_state_dict into SD: entries whose dtype cannot be cast without loss: ['n: expected torch.int64, got torch.float32']. Nothing was loaded.
"""

from __future__ import annotations

from typing import Any, Mapping, NamedTuple

import torch
from torch import nn

from bptorch.errors import StateLoadError
from bptorch.math import discovery
from bptorch.math.variables import Variable

__all__ = ['targets', 'load', 'IncompatibleKeys']


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` skipped (torch's return value)."""
    missing_keys: list
    unexpected_keys: list

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return '<All keys matched successfully>'
        return f'IncompatibleKeys(missing_keys={self.missing_keys}, unexpected_keys={self.unexpected_keys})'


class _Slot(NamedTuple):
    """A tensor a module registers itself (not a Variable's)."""
    module: nn.Module
    table: str          # '_parameters' or '_buffers'
    name: str

    def get(self) -> torch.Tensor:
        return dict.__getitem__(getattr(self.module, self.table), self.name)


def _own_targets(module: nn.Module) -> dict[str, Variable | _Slot]:
    """What ``module`` saves itself (not its children), by name relative to it."""
    out: dict[str, Variable | _Slot] = {}
    for table in ('_parameters', '_buffers'):
        skip = module._non_persistent_buffers_set if table == '_buffers' else ()
        for name, item in dict.items(getattr(module, table)):
            if item is None or name in skip:
                continue
            out[name] = item if isinstance(item, Variable) else _Slot(module, table, name)
    if discovery.is_node(module):
        for path, var in module._torch_child_variables():
            out[path] = var
    return out


def targets(root: nn.Module) -> dict[str, Variable | _Slot]:
    """What each key of ``root.state_dict()`` is read from, walked as torch walks it."""
    out: dict[str, Variable | _Slot] = {}

    def visit(module: nn.Module, prefix: str) -> None:
        for name, target in _own_targets(module).items():
            out[prefix + name] = target
        for name, child in module._modules.items():
            if child is not None:
                visit(child, f'{prefix}{name}.')

    visit(root, '')
    return out


def _current(target) -> torch.Tensor:
    return target._value if isinstance(target, Variable) else target.get()


def _check(key: str, given: Any, current: torch.Tensor, assign: bool, problems: dict) -> None:
    if not isinstance(given, torch.Tensor):
        problems['entries that are not tensors'].append(f'{key}: {type(given).__name__}')
    elif given.layout != torch.strided:
        problems['entries that are not dense tensors'].append(f'{key}: layout {given.layout}')
    elif given.device.type == 'meta' and current.device.type != 'meta':
        problems['entries on the meta device (they hold no data)'].append(key)
    elif tuple(given.shape) != tuple(current.shape):
        problems['mis-shaped entries'].append(
            f'{key}: expected {tuple(current.shape)}, got {tuple(given.shape)}')
    elif assign and given.dtype != current.dtype:
        problems['entries whose dtype would change a Variable (assign=True)'].append(
            f'{key}: expected {current.dtype}, got {given.dtype}')
    elif not torch.can_cast(given.dtype, current.dtype):
        problems['entries whose dtype cannot be cast without loss'].append(
            f'{key}: expected {current.dtype}, got {given.dtype}')


def load(root: nn.Module, state_dict: Mapping[str, Any], strict: bool = True,
         assign: bool = False) -> IncompatibleKeys:
    """Load ``state_dict`` into ``root`` (see ``bp.Base.load_state_dict``)."""
    if not isinstance(state_dict, Mapping):
        raise TypeError(f'load_state_dict: expected a dict of tensors, got {type(state_dict).__name__}')
    where = targets(root)
    missing = [k for k in where if k not in state_dict]
    unexpected = [k for k in state_dict if k not in where]
    problems, plan = _plan(where, state_dict, assign, strict, missing, unexpected)
    text = [f'{what}: {items}' for what, items in problems.items() if items]
    if text:
        name = getattr(root, 'name', type(root).__name__)
        raise StateLoadError(f'load_state_dict into {name}: ' + '; '.join(text)
                             + '. Nothing was loaded.')
    _apply_plan(plan, assign)
    return IncompatibleKeys(missing, unexpected)


def _plan(where: dict, state_dict: Mapping, assign: bool, strict: bool, missing: list,
          unexpected: list) -> tuple[dict, list]:
    """Every problem by kind, and (if there is none) every value converted for its target."""
    problems: dict[str, list] = {k: [] for k in (
        'entries that are not tensors', 'entries that are not dense tensors',
        'entries on the meta device (they hold no data)',
        'entries whose dtype would change a Variable (assign=True)',
        'entries whose dtype cannot be cast without loss')}
    if strict:
        problems['missing keys'] = missing
        problems['unexpected keys'] = unexpected
    problems['mis-shaped entries'] = []
    for key, target in where.items():
        if key in state_dict:
            _check(key, state_dict[key], _current(target), assign, problems)
    if any(problems.values()):
        return problems, []
    # Convert everything (the only step that allocates) before assigning anything.
    plan = []
    for key, target in where.items():
        if key not in state_dict:
            continue
        given, current = state_dict[key], _current(target)
        if assign:
            new = given.to(device=current.device)
        else:
            new = given.to(device=current.device, dtype=current.dtype)
            if new is given and not isinstance(target, _Slot):
                new = new.clone()        # a Variable owns its data
        plan.append((target, current, new.detach()))
    return problems, plan


def _apply_plan(plan: list, assign: bool) -> None:
    with torch.no_grad():
        for target, current, new in plan:
            _assign(target, current, new, assign)


def load_own(node: nn.Module, state_dict: dict, prefix: str, strict: bool, missing_keys: list,
             unexpected_keys: list, error_msgs: list) -> None:
    """torch's per-module loading step for a node inside a plain ``torch.nn`` container
    (``Module._load_from_state_dict``): its own entries are checked and converted
    before any is assigned; the entries of Variables held by its plain torch children
    are taken out of ``state_dict`` (a copy torch made), so those children do not
    report them as unexpected."""
    own = _own_targets(node)
    where = {prefix + name: target for name, target in own.items()}
    missing = [k for k in where if k not in state_dict]
    missing_keys.extend(missing)
    if strict:
        children = set(node._modules)
        for key in state_dict:
            if key.startswith(prefix) and key not in where \
                    and key[len(prefix):].split('.', 1)[0] not in children:
                unexpected_keys.append(key)
    problems, plan = _plan(where, state_dict, False, False, [], [])
    for what, items in problems.items():
        if items:
            error_msgs.append(f'{what}: {items}')
    if not error_msgs:
        _apply_plan(plan, False)
    for name in own:
        if '.' in name:
            state_dict.pop(prefix + name, None)


def _assign(target, current: torch.Tensor, new: torch.Tensor, assign: bool) -> None:
    if isinstance(target, Variable):
        if target._trainable:
            if assign:
                target._value = nn.Parameter(new, requires_grad=current.requires_grad)
            else:
                current.copy_(new)
        else:
            target._store(new)          # (a RandomState restarts from a loaded key)
        return
    table = getattr(target.module, target.table)
    if assign:
        if isinstance(current, nn.Parameter):
            new = nn.Parameter(new, requires_grad=current.requires_grad)
        dict.__setitem__(table, target.name, new)
    else:
        current.copy_(new)
