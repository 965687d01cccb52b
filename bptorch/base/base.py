"""``bp.Base``: BrainPy's base object, as a ``torch.nn.Module``.

A Base finds the Variables it holds (attributes and implicitly registered ones)
and those of its children, under absolute paths (``'Example0.x'``, named after
each object) or relative ones (``'x'``, ``'sub.x'``, as in ``state_dict``).

Each Variable attribute is also registered with ``nn.Module``: a
:class:`~bptorch.math.TrainVar` as a parameter, any other Variable as a buffer,
under the attribute's name. The module's parameter and buffer tables hold the
Variable itself and read and write *through* it (:class:`VariableTable`): a
Variable's tensor has one home, the Variable. So ``parameters()``,
``torch.optim``, ``state_dict()``, ``named_buffers()``, ``.to()`` / ``.cuda()`` /
``.double()`` and ``torch.nn`` containers treat Variables like native tensors and
always see their current value, also when the Variable is shared with another
Base, while ``self.x`` still returns the Variable. A plain tensor attribute
(BrainPy's ``self.y = bm.random.rand(10)``) becomes a non-persistent buffer, so it
moves with the model but is not saved.

Variables held by a plain ``torch.nn.Module`` child (which has no such tables)
stay attributes of that child only; the Base finds them when it needs them:
``vars()`` lists them (``'sub.v'``), ``state_dict()`` / ``load_state_dict()`` save
and load them, ``.to()`` / ``.double()`` convert them, and ``parameters()`` /
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
>>> m.y.value = bm.zeros(2)
>>> m.state_dict()['y']
tensor([0., 0.])
>>> [p is m.x.value for p in m.parameters()]
[True]
"""

from __future__ import annotations

from typing import Any, Iterator

import torch
from torch import nn

from bptorch.base import io, naming, state_dict as sd
from bptorch.errors import BrainPyError
from bptorch.math import discovery
from bptorch.math.collectors import Collector, TensorCollector
from bptorch.math.variables import TrainVar, Variable

__all__ = ['Base', 'VariableTable']


class VariableTable(dict):
    """A Base's ``_parameters`` / ``_buffers``: Variables are stored as themselves and
    read and written through.

    ``table[k]``, ``get``, ``items()`` and ``values()`` give a Variable's current
    tensor, so torch's own code (``named_parameters``, ``state_dict``, ``_apply``)
    sees it; a tensor that torch stores under a Variable's key (``.to()`` making a new
    buffer, ``functional_call``) becomes that Variable's tensor. Other entries are
    plain tensors, as in any module.
    """

    __slots__ = ()

    def __getitem__(self, key):
        item = dict.__getitem__(self, key)
        return item._value if isinstance(item, Variable) else item

    def get(self, key, default=None):
        item = dict.get(self, key, default)
        return item._value if isinstance(item, Variable) else item

    def items(self):
        return [(k, v._value if isinstance(v, Variable) else v) for k, v in dict.items(self)]

    def values(self):
        return [v._value if isinstance(v, Variable) else v for v in dict.values(self)]

    def __setitem__(self, key, value) -> None:
        old = dict.get(self, key)
        if isinstance(old, Variable) and isinstance(value, torch.Tensor):
            old._value = value              # torch put a new tensor for this Variable
        else:
            dict.__setitem__(self, key, value)

    def register(self, key: str, var: Variable) -> None:
        """Make ``key`` stand for ``var``."""
        dict.__setitem__(self, key, var)

    def __reduce_ex__(self, protocol):
        return type(self), (), None, None, iter(dict.items(self))

    def __repr__(self) -> str:
        return f'VariableTable({dict.__repr__(self)})'


def _table_of(module: nn.Module, var: Variable) -> dict:
    """Where a module registers ``var``: its parameters (a TrainVar) or its buffers."""
    return module._parameters if var._trainable else module._buffers


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

    _is_node = True
    _excluded_vars: tuple[str, ...] = ()

    def __init__(self, name: str | None = None):
        super().__init__()
        d = self.__dict__
        d['_parameters'] = VariableTable(d['_parameters'])
        d['_buffers'] = VariableTable(d['_buffers'])
        self.name = naming.unique_name(self, name)
        self.implicit_vars = TensorCollector()
        self.implicit_nodes = Collector()

    # -- attributes ------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        d = self.__dict__
        old = d.get(name)
        if old is value and isinstance(value, Variable):
            return                    # `self.v += x` assigns the Variable back to itself
        if isinstance(getattr(type(self), name, None), property):
            object.__setattr__(self, name, value)     # a property of the class takes it
            return
        if isinstance(value, Variable):
            if not isinstance(d.get('_parameters'), VariableTable):
                raise AttributeError(f'cannot assign Variable {name!r} before Base.__init__() '
                                     'is called; call super().__init__() first')
            for table in (self._parameters, self._buffers, self._modules):
                dict.pop(table, name, None)
            self._non_persistent_buffers_set.discard(name)
            object.__setattr__(self, name, value)
            _table_of(self, value).register(name, value)
            return
        if isinstance(old, Variable):
            self._unregister(name)
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
            self._unregister(name)
            del self.__dict__[name]
        else:
            super().__delattr__(name)

    def _unregister(self, name: str) -> None:
        dict.pop(self._parameters, name, None)
        dict.pop(self._buffers, name, None)

    def _own_variables(self) -> list[tuple[str, Variable]]:
        """This object's own Variables: attributes, then implicit ones."""
        excluded = self._excluded_vars
        own = [(k, v) for k, v in self.__dict__.items()
               if isinstance(v, Variable) and k not in excluded]
        own.extend(self.__dict__['implicit_vars'].items()
                   if 'implicit_vars' in self.__dict__ else ())
        return own

    def _torch_child_variables(self) -> list[tuple[str, Variable]]:
        """The Variables held by this object's plain ``nn.Module`` descendants (those
        reached without passing through another Base), by relative path (``'sub.v'``)."""
        return [(f'{sub}.{key}', var) for sub, module in discovery.torch_children(self)[0]
                for key, var in discovery.own_variables(module)]

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
            _table_of(self, var).register(key, var)

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
        for path, node, _ in discovery.tree(self, method, level, include_self):
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
        for path, node, torch_modules in discovery.tree(self, method, level, include_self):
            prefix = f'{path}.' if path else ''
            for key, var in node._own_variables():
                gather[prefix + key] = var
            for key, tensor, _ in discovery.own_tensors(node, listed_only=True):
                gather[prefix + key] = tensor
            for sub, module in torch_modules:
                for key, var in discovery.own_variables(module):
                    gather[f'{prefix}{sub}.{key}'] = var
                for key, tensor, kind in discovery.own_tensors(module):
                    if kind != 'attribute':
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

        torch's own rules convert what the tables hold, through the Variables (a
        TrainVar keeps its ``nn.Parameter`` where torch would, ``.data`` being set).
        Variables held by plain ``torch.nn`` descendants are converted once each, by
        the same rules (through a scratch module). Every Variable stays the same object.
        """
        result = super()._apply(fn, recurse)
        if recurse:
            found = {}
            for _, node, torch_modules in discovery.tree(self, 'relative'):
                for _, module in torch_modules:
                    for _, var in discovery.own_variables(module):
                        found.setdefault(id(var), var)
            registered = {id(v) for m in self.modules() if discovery.is_node(m)
                          for _, v in m._own_variables()}
            pending = [v for k, v in found.items() if k not in registered]
            if pending:
                scratch = _scratch_module(pending)
                scratch._apply(fn, recurse=False)
        return result

    def _save_to_state_dict(self, destination, prefix, keep_vars) -> None:
        """Save this object's tensors, and the Variables of its plain ``nn.Module`` s."""
        super()._save_to_state_dict(destination, prefix, keep_vars)
        for path, var in self._torch_child_variables():
            destination[prefix + path] = var._value if keep_vars else var._value.detach()

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict,
                              missing_keys, unexpected_keys, error_msgs) -> None:
        """torch's per-module step, for a Base inside a plain ``torch.nn`` container:
        checked and converted before anything is assigned, through the Variables."""
        sd.load_own(self, state_dict, prefix, strict, missing_keys, unexpected_keys, error_msgs)

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
        for path, _node, torch_modules in discovery.tree(self, 'relative'):
            for sub, module in torch_modules:
                for key, var in discovery.own_variables(module):
                    tensor = var._value
                    if var._trainable != trainable or (remove_duplicate and id(tensor) in seen):
                        continue
                    seen.add(id(tensor))
                    yield '.'.join(p for p in (prefix, path, sub, key) if p), tensor

    def load_state_dict(self, state_dict, strict: bool = True, assign: bool = False):
        """Load a state dict; a missing, unexpected or ill-fitting entry changes nothing.

        Unlike ``nn.Module.load_state_dict`` (which copies what it can before
        raising), every entry is checked and converted first, and the error names
        every problem: a missing or unexpected key (with ``strict``), something that
        is not a dense tensor, another shape, a dtype that would lose information
        (a float into an integer Variable, a complex into a real one), a tensor on
        the meta device. Variables are assigned through (a TrainVar copies the data
        into its parameter; another Variable gets a new tensor).

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
        return sd.load(self, state_dict, strict=strict, assign=assign)

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


def _scratch_module(variables) -> nn.Module:
    """A bare module registering the given Variables, so that torch's own rules (``_apply``)
    can be run on Variables no Base registers (those of plain ``nn.Module`` s)."""
    scratch = nn.Module()
    scratch._parameters = VariableTable()
    scratch._buffers = VariableTable()
    for i, var in enumerate(variables):
        _table_of(scratch, var).register(f'v{i}', var)
    return scratch
