"""Collectors: ordered dicts from paths to nodes or Variables (BrainPy's ``Collector``).

``bp.Base.vars()`` returns a :class:`TensorCollector` mapping paths such as
``'Example0.x'`` to Variables (and to the parameters and buffers of ``torch.nn``
children); ``nodes()`` returns a :class:`Collector` of ``bp.Base`` objects.

Examples
--------
>>> import bptorch.math as bm
>>> c = bm.TensorCollector(a=bm.Variable(bm.zeros(1)), b=bm.TrainVar(bm.ones(1)))
>>> list(c.subset(bm.TrainVar))
['b']
>>> c.dict()['a']
tensor([0.])
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import numpy as np
import torch

from bptorch.errors import AssignError, MathError
from bptorch.math.variables import Variable, as_tensor

__all__ = ['Collector', 'TensorCollector', 'AssignError']


class Collector(dict):
    """An ordered dict that refuses to bind one key to two different objects.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> c = bm.Collector(a=1)
    >>> c['a'] = 2
    Traceback (most recent call last):
    ...
    ValueError: Collector: key 'a' already holds a different object (2 vs 1)
    """

    def __init__(self, *args, **kwargs):
        super().__init__()
        self.update(*args, **kwargs)

    def __setitem__(self, key, value) -> None:
        if key in self and self[key] is not value:
            raise ValueError(f'{type(self).__name__}: key {key!r} already holds a different '
                             f'object ({_short(value)} vs {_short(self[key])})')
        dict.__setitem__(self, key, value)

    def replace(self, key, new_value) -> None:
        """Bind ``key`` to ``new_value`` even if it held something else."""
        dict.__setitem__(self, key, new_value)

    def update(self, other: Mapping | Iterable = (), **kwargs) -> None:
        """Add entries; a list or tuple adds ``_var{i}`` keys, as BrainPy does.

        Examples
        --------
        >>> import bptorch.math as bm
        >>> c = bm.Collector(a=1)
        >>> c.update({'b': 2}, c=3)
        >>> c.update([4, 5])
        >>> c
        {'a': 1, 'b': 2, 'c': 3, '_var3': 4, '_var4': 5}
        """
        if isinstance(other, Variable):       # vars() + bm.random.DEFAULT, as real code writes
            other = [other]
        if isinstance(other, Mapping):
            items = other.items()
        elif isinstance(other, (list, tuple)) and not (other and isinstance(other[0], tuple)
                                                      and len(other[0]) == 2
                                                      and isinstance(other[0][0], str)):
            n = len(self)
            items = ((f'_var{i + n}', v) for i, v in enumerate(other))
        else:
            items = other
        for key, value in items:
            self[key] = value
        for key, value in kwargs.items():
            self[key] = value

    def _like(self, items: Any = ()) -> 'Collector':
        """A new collector of this type (and of the same owners) holding ``items``."""
        gather = type(self)(items)
        owners = getattr(self, 'owners', ())
        if owners:
            gather.owners = owners
        return gather

    def __add__(self, other: Mapping) -> 'Collector':
        gather = self._like(self)
        gather.update(other)
        owners = {id(o): o for o in (*getattr(self, 'owners', ()), *getattr(other, 'owners', ()))}
        if owners:
            gather.owners = tuple(owners.values())
        return gather

    def __sub__(self, other: Mapping | Iterable) -> 'Collector':
        """Remove the keys of ``other`` (a dict whose values must match, or a list of keys)."""
        gather = self._like(self)
        if isinstance(other, Mapping):
            for key, value in other.items():
                if key not in gather:
                    raise KeyError(f'{type(self).__name__}: cannot remove {key!r}, it is not here')
                if gather[key] is not value:
                    raise ValueError(f'{type(self).__name__}: cannot remove {key!r}, it holds '
                                     'a different object')
                dict.pop(gather, key)
        elif isinstance(other, (list, tuple, set)):
            for key in other:
                if key not in gather:
                    raise KeyError(f'{type(self).__name__}: cannot remove {key!r}, it is not here')
                dict.pop(gather, key)
        else:
            raise TypeError(f'{type(self).__name__} - other: expected a dict or a list of keys, '
                            f'got {type(other).__name__}')
        return gather

    def subset(self, var_type: type) -> 'Collector':
        """The entries whose values are instances of ``var_type``.

        Examples
        --------
        >>> import bptorch.math as bm
        >>> c = bm.TensorCollector(w=bm.TrainVar(bm.ones(1)), h=bm.Variable(bm.zeros(1)))
        >>> list(c.subset(bm.TrainVar)), list(c.subset(bm.Variable))
        (['w'], ['w', 'h'])
        """
        if not isinstance(var_type, type) and not (isinstance(var_type, tuple) and
                                                   all(isinstance(t, type) for t in var_type)):
            raise TypeError(f'subset(var_type): expected a class, got {var_type!r}')
        return self._like((k, v) for k, v in self.items() if isinstance(v, var_type))

    def unique(self) -> 'Collector':
        """Keep the first key of each object that is bound to several keys.

        Examples
        --------
        >>> import bptorch.math as bm
        >>> v = bm.Variable(bm.zeros(1))
        >>> list(bm.TensorCollector({'A.v': v, 'B.v': v}).unique())
        ['A.v']
        """
        seen, gather = set(), self._like()
        for key, value in self.items():
            if id(value) not in seen:
                seen.add(id(value))
                gather[key] = value
        return gather


class TensorCollector(Collector):
    """A :class:`Collector` of Variables (and tensors of ``torch.nn`` children).

    One made by ``bp.Base.vars()`` / ``train_vars()`` remembers that module in
    ``owners`` (``a + b`` keeps the owners of both), so the transforms can swap the
    tensors of its ``torch.nn`` children even when the function being
    differentiated is a plain function or a lambda.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> c = bm.TensorCollector(w=bm.Variable(bm.zeros(2)))
    >>> c.assign({'w': bm.ones(2)}); c.data()
    [tensor([1., 1.])]
    """

    def __setitem__(self, key, value) -> None:
        if not isinstance(value, (Variable, torch.Tensor)):
            raise TypeError(f'TensorCollector: {key!r} must map to a Variable or a tensor, '
                            f'got {type(value).__name__}')
        super().__setitem__(key, value)

    def dict(self) -> dict[str, torch.Tensor]:
        """A plain dict of the current values.

        Examples
        --------
        >>> import bptorch.math as bm
        >>> bm.TensorCollector(w=bm.Variable(bm.ones(2))).dict()
        {'w': tensor([1., 1.])}
        """
        return {k: _value(v) for k, v in self.items()}

    def data(self) -> list[torch.Tensor]:
        """The current values, in order.

        Examples
        --------
        >>> import bptorch.math as bm
        >>> bm.TensorCollector(a=bm.Variable(bm.zeros(1)), b=bm.Variable(bm.ones(2))).data()
        [tensor([0.]), tensor([1., 1.])]
        """
        return [_value(v) for v in self.values()]

    def assign(self, inputs: Mapping[str, Any]) -> None:
        """Assign ``inputs[key]`` to every entry; all keys must match, nothing changes otherwise.

        Each value follows the rules of ``v.value = x`` (it is checked by the
        Variable's own assignment check): it may be a tensor, a Variable, a NumPy
        array, a list or a number; its shape, dtype and device must be those of
        the entry (Python numbers and lists are cast to the entry's dtype, as
        ``v.value = [1, 2]`` is). Every entry is checked before anything is written;
        a mismatch raises :class:`AssignError` (a ``bm.MathError`` and a
        ``ValueError``) that names the key and what it expected.

        Examples
        --------
        >>> import bptorch.math as bm
        >>> c = bm.TensorCollector(w=bm.Variable(bm.zeros(2)))
        >>> c.assign({'w': bm.ones(2)})
        >>> c['w']
        Variable(tensor([1., 1.]))
        >>> c.assign({'w': [3, 4]}); c['w']
        Variable(tensor([3., 4.]))
        >>> c.assign({'v': bm.ones(2)})
        Traceback (most recent call last):
        ...
        KeyError: "TensorCollector.assign: keys do not match (missing: ['w'], unexpected: ['v'])"
        >>> c.assign({'w': bm.ones(2, dtype=bm.float64)})
        Traceback (most recent call last):
        ...
        bptorch.errors.AssignError: TensorCollector.assign: 'w' has dtype torch.float32, got torch.float64; convert it first (x.to(torch.float32))
        """
        if not isinstance(inputs, Mapping):
            raise TypeError(f'TensorCollector.assign: expected a dict from keys to values, '
                            f'got {type(inputs).__name__}')
        missing = [k for k in self if k not in inputs]
        extra = [k for k in inputs if k not in self]
        if missing or extra:
            raise KeyError(f'TensorCollector.assign: keys do not match (missing: {missing}, '
                           f'unexpected: {extra})')
        # check (and convert) everything before writing anything
        checked = [(target, _checked(key, target, inputs[key])) for key, target in self.items()]
        for target, new in checked:
            if isinstance(target, Variable):
                target.value = new
            else:
                with torch.no_grad():
                    if new.untyped_storage().data_ptr() == target.untyped_storage().data_ptr():
                        new = new.clone()   # never copy a tensor onto (part of) itself
                    target.copy_(new)


def _checked(key: str, target, new: Any) -> torch.Tensor:
    """``new`` converted for ``target`` by the rules of ``Variable.value = new``."""
    current = target.value if isinstance(target, Variable) else target
    try:
        # The Variable's own check. It does not use ``self``, so the entries that
        # are plain tensors (of torch layers) get exactly the same rules.
        return Variable._convert(target, new, current, None)
    except MathError as err:
        raise AssignError(f'TensorCollector.assign: {key!r} {_mismatch(new, current, err)}') from err
    except (TypeError, ValueError, RuntimeError) as err:
        kind = TypeError if isinstance(err, TypeError) else ValueError
        raise kind(f'TensorCollector.assign: {key!r}: cannot use the value given for it '
                   f'({err})') from err


def _mismatch(new: Any, current: torch.Tensor, err: MathError) -> str:
    """What did not fit (the first of shape, dtype, device, as ``Variable`` checks them)."""
    if isinstance(new, Variable):
        new = new.value
    if isinstance(new, torch.Tensor):
        given, dtype = new, new.dtype
    else:
        given = as_tensor(new, device=current.device)
        dtype = given.dtype
        if not isinstance(new, (np.ndarray, np.generic)) and torch.can_cast(dtype, current.dtype):
            dtype = current.dtype       # Python data is cast, as ``v.value = [1, 2]`` is
    if tuple(given.shape) != tuple(current.shape):
        return (f'has shape {tuple(current.shape)}, got {tuple(given.shape)}; '
                'a Variable keeps its shape')
    if dtype != current.dtype:
        return (f'has dtype {current.dtype}, got {dtype}; '
                f'convert it first (x.to({current.dtype}))')
    if given.device != current.device:
        return f'is on device {current.device}, got {given.device}; move one of them first'
    return f'does not fit: {err}'   # pragma: no cover - a check Variable may add later


def _value(v):
    return v.value if isinstance(v, Variable) else v


def _short(x) -> str:
    text = repr(x)
    return text if len(text) < 60 else text[:57] + '...'
