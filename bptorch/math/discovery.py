"""Which Variables and tensors an object tree holds, and at which paths.

The one walker of module trees: ``bp.Base.vars()`` / ``nodes()``, ``state_dict``,
``.to()``, and the transforms (which resolve ``grad_vars`` tensors to where a
module holds them) all ask this module. It only reads: nothing here changes a
module.

A *node* is a module whose class sets ``_is_node = True`` (``bp.Base``): it lists
its own Variables (attributes, then implicit ones) through ``_own_variables()``.
A plain ``torch.nn.Module`` holds Variables as attributes, and tensors as
parameters, buffers or plain tensor attributes.

Examples
--------
>>> import torch, bptorch.math as bm
>>> from bptorch.math import discovery
>>> lin = torch.nn.Linear(2, 1)
>>> lin.v = bm.Variable(bm.zeros(1))
>>> [name for name, _ in discovery.own_variables(lin)]
['v']
>>> [(s.path, s.kind) for s in discovery.tensor_slots([lin])]
[('Linear.weight', 'parameter'), ('Linear.bias', 'parameter')]
"""

from __future__ import annotations

import functools
import types
from typing import Any, Callable, Iterator, NamedTuple, Sequence

import torch
from torch import nn

from bptorch.math.variables import Variable

__all__ = ['is_node', 'own_variables', 'own_tensors', 'torch_children', 'Entry', 'tree',
           'Slot', 'tensor_slots', 'variables_in', 'root_module', 'modules_used_by', 'roots_of']


def is_node(module: Any) -> bool:
    """Whether ``module`` is a bptorch node (a ``bp.Base``)."""
    return getattr(module, '_is_node', False)


def own_variables(module: nn.Module) -> list[tuple[str, Variable]]:
    """The Variables ``module`` holds itself (not its children's), with their names."""
    if is_node(module):
        return module._own_variables()
    return [(k, v) for k, v in vars(module).items() if isinstance(v, Variable)]


def _raw_items(table: dict) -> Iterator[tuple[str, Any]]:
    """A parameter or buffer table's entries as stored (a node's tables hold Variables)."""
    return dict.items(table)


def own_tensors(module: nn.Module, listed_only: bool = False) -> list[tuple[str, torch.Tensor, str]]:
    """The tensors ``module`` holds itself that are no Variable's: ``(name, tensor, kind)``
    with kind ``'parameter'``, ``'buffer'`` or ``'attribute'``.

    ``listed_only``: what ``vars()`` lists: parameters and persistent buffers (a node's
    plain tensor attributes are non-persistent buffers, which BrainPy does not list).
    """
    out = []
    for name, t in _raw_items(module._parameters):
        if isinstance(t, torch.Tensor):
            out.append((name, t, 'parameter'))
    skip = module._non_persistent_buffers_set if listed_only else ()
    for name, t in _raw_items(module._buffers):
        if isinstance(t, torch.Tensor) and name not in skip:
            out.append((name, t, 'buffer'))
    if not listed_only:
        for name, t in vars(module).items():
            if isinstance(t, torch.Tensor):
                out.append((name, t, 'attribute'))
    return out


def torch_children(node: nn.Module) -> tuple[list[tuple[str, nn.Module]], list[tuple[str, nn.Module]]]:
    """The plain ``nn.Module`` descendants of ``node`` reached without passing through
    another node, and the nodes met at that border, each with its dotted path."""
    torch_modules, children, walked = [], [], {id(node)}
    stack = [('', node)]
    while stack:
        sub, module = stack.pop(0)
        for key, child in module._modules.items():
            if child is None or id(child) in walked:
                continue
            walked.add(id(child))
            child_sub = f'{sub}.{key}' if sub else key
            if is_node(child):
                children.append((child_sub, child))
            else:
                torch_modules.append((child_sub, child))
                stack.append((child_sub, child))
    return torch_modules, children


class Entry(NamedTuple):
    """One node of a tree walk: its path, the node, and its plain torch descendants."""
    path: str
    node: nn.Module
    torch_modules: list


def tree(root: nn.Module, method: str = 'absolute', level: int = -1,
         include_self: bool = True) -> list[Entry]:
    """Walk the nodes under ``root`` (BrainPy's ``vars``/``nodes`` traversal).

    ``path`` is each node's name (``method='absolute'``) or its dotted attribute path
    from ``root`` (``'relative'``). ``level`` limits the depth of nodes (-1: all);
    ``include_self`` includes ``root``. A node reached twice through the same parent
    is walked once.
    """
    if method not in ('absolute', 'relative'):
        raise ValueError(f"vars/nodes: method must be 'absolute' or 'relative', got {method!r}")
    if not isinstance(level, int) or isinstance(level, bool):
        raise TypeError(f'vars/nodes: level must be an int (-1 for all levels), got {level!r}')
    out, seen_pairs = [], set()

    def visit(node: nn.Module, path: str, depth: int):
        torch_modules, children = torch_children(node)
        if depth > 0 or include_self:
            out.append(Entry(path, node, torch_modules))
        if level > -1 and depth >= level:
            return
        for sub, child in children:
            pair = (id(node), id(child))
            if pair in seen_pairs:
                continue
            seen_pairs.add(pair)
            if method == 'absolute':
                child_path = child.name
            else:
                child_path = f'{path}.{sub}' if path else sub
            visit(child, child_path, depth + 1)

    visit(root, root.name if method == 'absolute' else '', 0)
    return out


class Slot(NamedTuple):
    """Where a module holds a tensor that is no Variable's."""
    module: nn.Module
    name: str
    kind: str       # 'parameter', 'buffer' or 'attribute'
    path: str

    def get(self) -> torch.Tensor | None:
        """The tensor there now (``.to()`` may have put a new one)."""
        if self.kind == 'parameter':
            return dict.get(self.module._parameters, self.name)
        if self.kind == 'buffer':
            return dict.get(self.module._buffers, self.name)
        return vars(self.module).get(self.name)


def _name_of(module: nn.Module) -> str:
    return getattr(module, 'name', None) or type(module).__name__


def tensor_slots(roots: Sequence[nn.Module]) -> list[Slot]:
    """Every place the module trees under ``roots`` hold a tensor that is no Variable's."""
    out, walked = [], set()
    for root in roots:
        for path, module in root.named_modules(remove_duplicate=False):
            if id(module) in walked:
                continue
            walked.add(id(module))
            prefix = '.'.join(p for p in (_name_of(root), path) if p)
            out.extend(Slot(module, name, kind, f'{prefix}.{name}')
                       for name, _, kind in own_tensors(module))
    return out


def variables_in(roots: Sequence[nn.Module]) -> list[Variable]:
    """Every Variable the module trees under ``roots`` hold (each once)."""
    out, seen = [], set()
    for root in roots:
        for module in root.modules():
            for _, var in own_variables(module):
                if id(var) not in seen:
                    seen.add(id(var))
                    out.append(var)
    return out


# ---------------------------------------------------------------------------
# the modules a callable belongs to
# ---------------------------------------------------------------------------

def root_module(func: Callable) -> nn.Module | None:
    """The ``nn.Module`` a callable belongs to (itself, a bound method's owner), if any."""
    if isinstance(func, nn.Module):
        return func
    owner = getattr(func, '__self__', None)
    if isinstance(owner, nn.Module):
        return owner
    if isinstance(func, functools.partial):
        return root_module(func.func)
    wrapped = getattr(func, '__wrapped__', None)   # a bptorch transform of a module
    return root_module(wrapped) if wrapped is not None else None


def _cell_holds_module(cell) -> bool:
    try:
        return isinstance(cell.cell_contents, nn.Module)
    except ValueError:       # an empty cell
        return False


def modules_used_by(func: Callable) -> list[nn.Module]:
    """The ``nn.Module`` s a plain function refers to by name (closure cells and globals)."""
    func = getattr(func, '__func__', func)          # a bound method: its function
    if not isinstance(func, types.FunctionType):
        return []
    found = [c.cell_contents for c in (func.__closure__ or ()) if _cell_holds_module(c)]
    scope = func.__globals__
    found += [scope[n] for n in func.__code__.co_names if isinstance(scope.get(n), nn.Module)]
    return found


def roots_of(func: Callable, owners: Sequence[nn.Module] = ()) -> list[nn.Module]:
    """The module trees a callable uses: the module it is (or is a method of), the
    ``owners`` given (the modules whose ``vars()`` made a collector), and, for a plain
    function, the modules it refers to by name. Each once, in that order."""
    root = root_module(func)
    roots = ([root] if root is not None else []) + list(owners)
    while root is None and func is not None:      # through bptorch transforms of functions
        roots += modules_used_by(func)
        func = getattr(func, '__wrapped__', None)
    return list({id(r): r for r in roots}.values())
