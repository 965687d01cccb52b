"""``bp.Base``: BrainPy's base object, as a ``torch.nn.Module``.

A Base finds the Variables it holds (attributes and implicitly registered ones)
and those of its children, under absolute paths (``'Example0.x'``, named after
each object) or relative ones (``'x'``, ``'sub.x'``, as in ``state_dict``).

Each Variable attribute is also registered with ``nn.Module``: a
:class:`~bptorch.math.TrainVar`'s tensor (an ``nn.Parameter``) as a parameter, any
other Variable's tensor as a buffer, under the attribute's name; a plain tensor
attribute (BrainPy's ``self.y = bm.random.rand(10)``) becomes a non-persistent
buffer, so it moves with the model but is not saved. So
``parameters()``, ``torch.optim``, ``state_dict()``, ``.to()``/``.cuda()``/
``.double()`` and ``torch.nn`` containers treat Variables like native tensors,
while ``self.x`` still returns the Variable.

Variables held by a plain ``torch.nn.Module`` child (which has no such hook) stay
attributes of that child only; the Base finds them when it needs them: ``vars()``
lists them (``'sub.v'``), ``state_dict()`` / ``load_state_dict()`` save and load
them, ``.to()`` / ``.double()`` convert them in place, and ``parameters()`` /
``buffers()`` of the Base yield their tensors.

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> class Example(bp.Base):
...     def __init__(self):
...         super().__init__(name='Demo')
...         self.x = bm.TrainVar(bm.zeros(1))
...         self.y = bm.Variable(bm.ones(2))
>>> m = Example()
>>> list(m.vars())
['Demo.x', 'Demo.y']
>>> list(m.state_dict())
['x', 'y']
>>> [p is m.x.value for p in m.parameters()]
[True]
"""

from __future__ import annotations

import threading
from typing import Any, Iterator

import torch
from torch import nn

from bptorch.base import io, naming
from bptorch.errors import BrainPyError, StateLoadError
from bptorch.math import state
from bptorch.math.collectors import Collector, TensorCollector
from bptorch.math.variables import TrainVar, Variable

__all__ = ['Base']

_METHODS = ('absolute', 'relative')


class _Busy(threading.local):
    """What this thread's Base objects are in the middle of."""

    def __init__(self):
        self.applying = 0        # nesting of _apply (.to, .double, ...)
        self.assigning = False   # load_state_dict(assign=True) is running


_busy = _Busy()


class Base(nn.Module):
    """The base class of BrainPy objects: a ``torch.nn.Module`` that holds Variables.

    Parameters
    ----------
    name : str, optional
        A unique name (a Python identifier). By default the class name and a
        counter: ``Example0``, ``Example1``, ...

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> class Net(bp.Base):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.w = bm.TrainVar(bm.ones(3))
    ...     def __call__(self, x):
    ...         return (self.w * x).sum()
    >>> net = Net()
    >>> net(bm.ones(3))
    tensor(3., grad_fn=<SumBackward0>)
    """

    _excluded_vars: tuple[str, ...] = ()

    def __init__(self, name: str | None = None):
        super().__init__()
        self.name = naming.unique_name(self, name)
        self.implicit_vars = TensorCollector()
        self.implicit_nodes = Collector()

    # -- attributes ------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        d = self.__dict__
        old = d.get(name)
        if _busy.assigning and isinstance(old, Variable) and isinstance(value, torch.Tensor):
            old._value = value                      # load_state_dict(assign=True)
            self._register_slot(name, old)
            return
        if isinstance(old, Variable) and old is not value:
            self._unregister_slot(name)
        if isinstance(value, Variable):
            if '_parameters' not in d:
                raise AttributeError(f'cannot assign Variable {name!r} before Base.__init__() '
                                     'is called; call super().__init__() first')
            for table in (self._parameters, self._buffers, self._modules):
                table.pop(name, None)
            self._non_persistent_buffers_set.discard(name)
            object.__setattr__(self, name, value)
            self._register_slot(name, value)
        else:
            if isinstance(old, Variable) and name in d:
                del d[name]
            if (type(value) is torch.Tensor and '_buffers' in d and name not in self._buffers
                    and name not in self._parameters and name not in self._modules):
                # A plain tensor is a non-persistent buffer: .to() / .double() move it
                # with the Variables, and it is not saved in state_dict.
                d.pop(name, None)
                self.register_buffer(name, value, persistent=False)
                return
            super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        if isinstance(self.__dict__.get(name), Variable):
            self._unregister_slot(name)
            del self.__dict__[name]
        else:
            super().__delattr__(name)

    def _register_slot(self, name: str, var: Variable) -> None:
        _slot_table(self, var)[name] = var._value

    def _unregister_slot(self, name: str) -> None:
        self._parameters.pop(name, None)
        self._buffers.pop(name, None)

    def _own_variables(self) -> list[tuple[str, Variable]]:
        """This object's own Variables: attributes, then implicit ones."""
        excluded = self._excluded_vars
        own = [(k, v) for k, v in self.__dict__.items()
               if isinstance(v, Variable) and k not in excluded]
        own.extend(self.__dict__['implicit_vars'].items()
                   if 'implicit_vars' in self.__dict__ else ())
        return own

    def _own_tensors(self) -> list[tuple[str, torch.Tensor]]:
        """Tensors registered on this object itself that are no Variable's slot.

        Parameters (``self.w = nn.Parameter(...)``) and persistent buffers
        (``register_buffer``); plain tensor attributes are non-persistent buffers
        and are not listed (BrainPy does not list them either).
        """
        d = self.__dict__
        slots = {k for k, v in d.items() if isinstance(v, Variable)}
        slots.update(d['implicit_vars'] if 'implicit_vars' in d else ())
        found = [(k, t) for k, t in self._parameters.items() if t is not None and k not in slots]
        found.extend((k, t) for k, t in self._buffers.items()
                     if t is not None and k not in slots
                     and k not in self._non_persistent_buffers_set)
        return found

    def _torch_children(self) -> tuple[list[tuple[str, nn.Module]], list[tuple[str, 'Base']]]:
        """The plain ``nn.Module`` descendants reached without passing through a Base,
        and the Base objects met at that border, each with its dotted attribute path."""
        torch_modules, children, walked = [], [], {id(self)}
        stack = [('', self)]
        while stack:
            sub, module = stack.pop(0)
            for key, child in module._modules.items():
                if child is None or id(child) in walked:
                    continue
                walked.add(id(child))
                child_sub = f'{sub}.{key}' if sub else key
                if isinstance(child, Base):
                    children.append((child_sub, child))
                else:
                    torch_modules.append((child_sub, child))
                    stack.append((child_sub, child))
        return torch_modules, children

    def _torch_child_variables(self) -> list[tuple[str, Variable]]:
        """The Variables held by this object's plain ``nn.Module`` descendants (see
        :meth:`_torch_children`), by relative path (``'sub.v'``), as
        :func:`bptorch.math.state.module_variables` finds them."""
        return [(f'{sub}.{key}', var) for sub, module in self._torch_children()[0]
                for key, var in state.module_variables(module)]

    # -- implicit registration ----------------------------------------------------
    def register_implicit_vars(self, *variables: Any, **named_variables: Variable) -> None:
        """Register Variables held somewhere other than an attribute (a list, a dict).

        Unnamed ones get keys ``var0``, ``var1``, ... Each becomes a parameter (a
        TrainVar) or a buffer of this module under its key.

        Examples
        --------
        >>> import bptorch as bp, bptorch.math as bm
        >>> class Pool(bp.Base):
        ...     def __init__(self):
        ...         super().__init__(name='Pool')
        ...         self.items = [bm.Variable(bm.zeros(1)) for _ in range(2)]
        ...         self.register_implicit_vars(self.items)
        >>> list(Pool().vars())
        ['Pool.var0', 'Pool.var1']
        """
        for key, var in _named(variables, named_variables, 'var', len(self.implicit_vars)):
            if not isinstance(var, Variable):
                raise TypeError(f'register_implicit_vars: {key!r} must be a bm.Variable, '
                                f'got {type(var).__name__}')
            if key in self.__dict__ or key in self._modules:
                raise BrainPyError(f'register_implicit_vars: {key!r} is already an attribute '
                                   f'of {self.name}')
            self.implicit_vars[key] = var
            self._register_slot(key, var)

    def register_implicit_nodes(self, *nodes: Any, **named_nodes: 'Base') -> None:
        """Register child Base objects held somewhere other than an attribute.

        Unnamed ones are keyed by their own names. Each becomes a child module.

        Examples
        --------
        >>> import bptorch as bp, bptorch.math as bm
        >>> class Leaf(bp.Base):
        ...     def __init__(self, name):
        ...         super().__init__(name=name)
        ...         self.v = bm.Variable(bm.zeros(1))
        >>> class Group(bp.Base):
        ...     def __init__(self):
        ...         super().__init__(name='Group')
        ...         self.leaves = [Leaf('LeafA'), Leaf('LeafB')]
        ...         self.register_implicit_nodes(self.leaves)
        >>> g = Group()
        >>> list(g.nodes()), list(g.vars())
        (['Group', 'LeafA', 'LeafB'], ['LeafA.v', 'LeafB.v'])
        """
        for key, node in _named(nodes, named_nodes, None, 0):
            if not isinstance(node, Base):
                raise TypeError(f'register_implicit_nodes: {key!r} must be a bp.Base, '
                                f'got {type(node).__name__}')
            self.implicit_nodes[key] = node
            self.add_module(key, node)

    # -- discovery ---------------------------------------------------------------
    def _entries(self, method: str, level: int, include_self: bool):
        """Walk the tree: yields (path, base_node, [(subpath, torch_module), ...]).

        ``path`` is the node's name (absolute) or its dotted attribute path
        (relative). Plain ``nn.Module`` children are walked through: their own
        tensors are reported with the Base that owns them, and Base objects
        inside them (e.g. in an ``nn.ModuleList``) are nodes of their own.
        """
        if method not in _METHODS:
            raise ValueError(f"vars/nodes: method must be 'absolute' or 'relative', got {method!r}")
        if not isinstance(level, int) or isinstance(level, bool):
            raise TypeError(f'vars/nodes: level must be an int (-1 for all levels), got {level!r}')
        out, seen_pairs = [], set()

        def visit(node: Base, path: str, depth: int):
            torch_modules, children = node._torch_children()
            if depth > 0 or include_self:
                out.append((path, node, torch_modules))
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

        visit(self, self.name if method == 'absolute' else '', 0)
        return out

    def nodes(self, method: str = 'absolute', level: int = -1,
              include_self: bool = True) -> Collector:
        """The Base objects in this tree (this one first), by name or by relative path.

        Examples
        --------
        >>> import bptorch as bp
        >>> class Outer(bp.Base):
        ...     def __init__(self):
        ...         super().__init__(name='Outer')
        ...         self.inner = bp.Base(name='Inner')
        >>> o = Outer()
        >>> list(o.nodes()), list(o.nodes('relative'))
        (['Outer', 'Inner'], ['', 'inner'])
        """
        gather = Collector()
        for path, node, _ in self._entries(method, level, include_self):
            if method == 'absolute':
                gather[path] = node
            elif path not in gather:
                gather[path] = node
        return gather

    def vars(self, method: str = 'absolute', level: int = -1,
             include_self: bool = True) -> TensorCollector:
        """Every Variable in this tree by path, plus the tensors of ``torch.nn`` children.

        Listed for each object: its Variables (attributes, then implicit ones), the
        parameters and persistent buffers registered on it directly, then for each
        plain ``torch.nn`` descendant the Variables it holds as attributes and its
        parameters and buffers.

        Parameters
        ----------
        method : {'absolute', 'relative'}
            Paths start from each object's name (``'Example0.x'``) or from this
            object (``'x'``, ``'sub.x'``, the ``state_dict`` keys).
        level : int
            How many levels of child Base objects to include (-1: all).
        include_self : bool
            Include this object's own Variables.

        Examples
        --------
        >>> import bptorch as bp, bptorch.math as bm
        >>> class M(bp.Base):
        ...     def __init__(self):
        ...         super().__init__(name='M')
        ...         self.v = bm.Variable(bm.zeros(1))
        ...         self.fc = torch.nn.Linear(2, 1)
        >>> import torch
        >>> m = M()
        >>> list(m.vars()), list(m.vars('relative'))
        (['M.v', 'M.fc.weight', 'M.fc.bias'], ['v', 'fc.weight', 'fc.bias'])
        """
        gather = TensorCollector()
        gather.owners = (self,)
        for path, node, torch_modules in self._entries(method, level, include_self):
            prefix = f'{path}.' if path else ''
            for key, var in node._own_variables():
                gather[prefix + key] = var
            for key, tensor in node._own_tensors():
                gather[prefix + key] = tensor
            for sub, module in torch_modules:
                for key, var in state.module_variables(module):
                    gather[f'{prefix}{sub}.{key}'] = var
                for key, tensor in list(module._parameters.items()) + list(module._buffers.items()):
                    if tensor is not None:
                        gather[f'{prefix}{sub}.{key}'] = tensor
        return gather

    def train_vars(self, method: str = 'absolute', level: int = -1,
                   include_self: bool = True) -> TensorCollector:
        """The TrainVars of :meth:`vars`, and the trainable ``nn.Parameter`` s of torch children.

        Takes the same arguments as :meth:`vars`.

        Examples
        --------
        >>> import torch, bptorch as bp, bptorch.math as bm
        >>> class M(bp.Base):
        ...     def __init__(self):
        ...         super().__init__(name='TV')
        ...         self.w = bm.TrainVar(bm.ones(2))
        ...         self.h = bm.Variable(bm.zeros(2))
        ...         self.fc = torch.nn.Linear(2, 1)
        >>> list(M().train_vars())
        ['TV.w', 'TV.fc.weight', 'TV.fc.bias']
        """
        found = self.vars(method, level, include_self)
        return found._like((k, v) for k, v in found.items()
                           if isinstance(v, TrainVar) or (isinstance(v, nn.Parameter) and v.requires_grad))

    def unique_name(self, name: str | None = None, type_: str | None = None) -> str:
        """A unique name for an object of this class (BrainPy's helper)."""
        return naming.unique_name(self, name, type_)

    # -- torch interop -------------------------------------------------------------
    def _apply(self, fn, recurse: bool = True):
        """Move/convert every tensor (``.to``, ``.cuda``, ``.double``, ...), Variables included.

        Variables held by plain ``torch.nn`` descendants (anywhere in the tree) are
        converted once each, by torch's own rules for parameters and buffers: a
        TrainVar keeps its ``nn.Parameter`` where torch would (``.data`` is set),
        and every Variable stays the same object.
        """
        _busy.applying += 1
        try:
            result = super()._apply(fn, recurse)
        finally:
            _busy.applying -= 1
        if _busy.applying == 0:
            adopted = self._sync_variables()
            if recurse:
                self._apply_to_torch_child_variables(fn, adopted)
        return result

    def _apply_to_torch_child_variables(self, fn, done: set[int]) -> None:
        """Apply ``fn`` to the Variables of plain ``nn.Module`` s in this tree (those
        not in ``done``), through a scratch module so that torch's rules apply."""
        found: dict[int, Variable] = {}
        for _, _node, torch_modules in self._entries('relative', -1, True):
            for _, module in torch_modules:
                for _, var in state.module_variables(module):
                    if id(var) not in done:
                        found.setdefault(id(var), var)
        if not found:
            return
        named = [(f'v{i}', var) for i, var in enumerate(found.values())]
        scratch = _scratch_module(named)
        scratch._apply(fn, recurse=False)
        for name, var in named:
            var._value = _slot_table(scratch, var)[name]

    def _sync_variables(self) -> set[int]:
        """Make each Variable and the module slots that register it hold the same tensor.

        torch may put new tensor objects in the slots (buffers on ``.to()``; any
        slot with ``load_state_dict(assign=True)``); the Variable adopts the first
        slot's tensor and every other slot of the same Variable follows it.
        Returns the ids of the Variables that have a slot.
        """
        adopted = set()
        for module in self.modules():
            if not isinstance(module, Base):
                continue
            for key, var in module._own_variables():
                table = module._parameters if key in module._parameters else module._buffers
                slot = table.get(key)
                if slot is None:
                    continue
                if id(var) in adopted:
                    table[key] = var._value
                else:
                    adopted.add(id(var))
                    if slot is not var._value:
                        var._value = slot
        return adopted

    def _save_to_state_dict(self, destination, prefix, keep_vars) -> None:
        """Save this object's tensors, and the Variables of its plain ``nn.Module`` s."""
        super()._save_to_state_dict(destination, prefix, keep_vars)
        for path, var in self._torch_child_variables():
            destination[prefix + path] = var._value if keep_vars else var._value.detach()

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict,
                              missing_keys, unexpected_keys, error_msgs) -> None:
        """Load this object's tensors, and the Variables of its plain ``nn.Module`` s.

        The latter are loaded by torch's rules (through a scratch module) and
        their entries are taken out of ``state_dict``, which torch passes as a
        copy made for this purpose, so the plain module does not report them as
        unexpected.
        """
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict,
                                      missing_keys, unexpected_keys, error_msgs)
        for sub, module in self._torch_children()[0]:
            own = list(state.module_variables(module))
            if not own:
                continue
            scratch = _scratch_module(own)
            module_prefix = f'{prefix}{sub}.'
            scratch._load_from_state_dict(state_dict, module_prefix, local_metadata, strict,
                                          missing_keys, [], error_msgs)
            for key, var in own:
                new = _slot_table(scratch, var)[key]
                if new is not var._value:      # load_state_dict(assign=True)
                    var._value = new
                state_dict.pop(module_prefix + key, None)

    def named_parameters(self, prefix: str = '', recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, torch.Tensor]]:
        """``nn.Module.named_parameters``, plus the TrainVars of plain ``nn.Module`` s.

        (Those are only found when the iteration starts at a Base.)
        """
        yield from self._with_torch_child_variables(
            super().named_parameters(prefix, recurse, remove_duplicate),
            prefix, recurse, remove_duplicate, trainable=True)

    def named_buffers(self, prefix: str = '', recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, torch.Tensor]]:
        """``nn.Module.named_buffers``, plus the other Variables of plain ``nn.Module`` s."""
        yield from self._with_torch_child_variables(
            super().named_buffers(prefix, recurse, remove_duplicate),
            prefix, recurse, remove_duplicate, trainable=False)

    def _with_torch_child_variables(self, members, prefix: str, recurse: bool,
                                    remove_duplicate: bool, trainable: bool):
        seen = set()
        for name, tensor in members:
            seen.add(id(tensor))
            yield name, tensor
        if not recurse:
            return
        for path, _node, torch_modules in self._entries('relative', -1, True):
            for sub, module in torch_modules:
                for key, var in state.module_variables(module):
                    tensor = var._value
                    if var._trainable != trainable or (remove_duplicate and id(tensor) in seen):
                        continue
                    seen.add(id(tensor))
                    yield '.'.join(p for p in (prefix, path, sub, key) if p), tensor

    def load_state_dict(self, state_dict, strict: bool = True, assign: bool = False):
        """Load a state dict; a missing, unexpected or mis-shaped entry changes nothing.

        Unlike ``nn.Module.load_state_dict`` (which copies what it can before
        raising), every key and shape is checked first, and the error names them.

        Examples
        --------
        >>> import bptorch as bp, bptorch.math as bm
        >>> m = bp.Base(name='Loaded'); m.w = bm.TrainVar(bm.zeros(2))
        >>> m.load_state_dict({'w': bm.ones(2)})
        <All keys matched successfully>
        >>> m.w
        TrainVar(tensor([1., 1.]))
        >>> m.load_state_dict({'w': bm.ones(3)})
        Traceback (most recent call last):
        ...
        bptorch.errors.StateLoadError: load_state_dict into Loaded: mis-shaped entries: ['w: expected (2,), got (3,)']. Nothing was loaded.
        """
        own = self.state_dict(keep_vars=True)
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        given = [k for k in own if k in state_dict]
        not_tensors = [f'{k}: {type(state_dict[k]).__name__}' for k in given
                       if not isinstance(state_dict[k], torch.Tensor)]
        misshaped = [f'{k}: expected {tuple(own[k].shape)}, got {tuple(state_dict[k].shape)}'
                     for k in given if isinstance(state_dict[k], torch.Tensor)
                     and tuple(state_dict[k].shape) != tuple(own[k].shape)]
        variables = {id(v._value) for v in self.vars().values() if isinstance(v, Variable)}
        retyped = [f'{k}: expected {own[k].dtype}, got {state_dict[k].dtype}' for k in given
                   if assign and id(own[k]) in variables and isinstance(state_dict[k], torch.Tensor)
                   and state_dict[k].dtype != own[k].dtype]
        problems = []
        if not_tensors:
            problems.append(f'entries that are not tensors: {not_tensors}')
        if retyped:
            problems.append(f'entries whose dtype would change a Variable (assign=True): {retyped}')
        if strict and missing:
            problems.append(f'missing keys: {missing}')
        if strict and unexpected:
            problems.append(f'unexpected keys: {unexpected}')
        if misshaped:
            problems.append(f'mis-shaped entries: {misshaped}')
        if problems:
            raise StateLoadError(f'load_state_dict into {self.name}: ' + '; '.join(problems)
                                 + '. Nothing was loaded.')
        _busy.assigning = assign
        try:
            result = super().load_state_dict(state_dict, strict=strict, assign=assign)
        finally:
            _busy.assigning = False
        self._sync_variables()
        return result

    def save_states(self, filename: str, **settings: Any) -> None:
        """Save every Variable (by relative path) to a ``.pt`` or ``.npz`` file.

        Examples
        --------
        >>> import os, tempfile, bptorch as bp, bptorch.math as bm
        >>> m = bp.Base(); m.v = bm.Variable(bm.arange(3))
        >>> path = os.path.join(tempfile.mkdtemp(), 'm.npz')
        >>> m.save_states(path); m.v.value = bm.zeros(3, dtype=bm.int64)
        >>> m.load_states(path); m.v.value
        tensor([0, 1, 2])
        """
        io.save(filename, self.state_dict(), **settings)

    def load_states(self, filename: str) -> None:
        """Load a file written by :meth:`save_states`; a mismatch changes nothing.

        Examples
        --------
        >>> import os, tempfile, bptorch as bp, bptorch.math as bm
        >>> m = bp.Base(); m.w = bm.TrainVar(bm.ones(2))
        >>> path = os.path.join(tempfile.mkdtemp(), 'm.pt')
        >>> m.save_states(path)
        >>> m.w.value = bm.zeros(2)
        >>> m.load_states(path); m.w
        TrainVar(tensor([1., 1.]))
        """
        self.load_state_dict(io.load(filename))

    def extra_repr(self) -> str:
        lines = [f'name={self.name!r}']
        for key, var in self._own_variables():
            lines.append(f'{key}: {type(var).__name__}(shape={tuple(var.shape)}, dtype={var.dtype}'
                         f'{"" if var.device.type == "cpu" else f", device={var.device}"})')
        return '\n'.join(lines)


def _named(items: tuple, named: dict, prefix: str | None, start: int) -> Iterator[tuple[str, Any]]:
    """Keys for implicitly registered objects: given, ``{prefix}{i}``, or the object's name."""
    i = start
    flat = []
    for item in items:
        if isinstance(item, dict):
            flat.extend(item.items())
        elif isinstance(item, (list, tuple)):
            flat.extend((None, e) for e in item)
        else:
            flat.append((None, item))
    flat.extend(named.items())
    for key, value in flat:
        if key is None:
            if prefix is None:
                key = getattr(value, 'name', None) or f'node{i}'
            else:
                key = f'{prefix}{i}'
            i += 1
        yield key, value


def _slot_table(module: nn.Module, var: Variable) -> dict:
    """Where ``module`` registers ``var``: its parameters (a TrainVar) or its buffers."""
    return module._parameters if var._trainable else module._buffers


def _scratch_module(named_vars) -> nn.Module:
    """A bare module registering the Variables' tensors by name, so that torch's own rules
    (``_apply``, ``_load_from_state_dict``) can be run on Variables no Base registers."""
    scratch = nn.Module()
    for name, var in named_vars:
        _slot_table(scratch, var)[name] = var._value
    return scratch
