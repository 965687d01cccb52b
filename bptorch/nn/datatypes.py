"""How a node receives its feedforward and feedback data (BrainPy 2.1.12's ``brainpy.nn.datatypes``).

A node's ``data_pass`` turns the dict ``{sender: data}`` it is given into what its
``forward`` receives: :class:`SingleData` (the default) passes the one value,
:class:`MultipleData` a tuple of all values (or a dict keyed by name, type or node).
The same rule turns the dict of input shapes into ``feedforward_shapes``.

Examples
--------
>>> import bptorch as bp
>>> bp.nn.SingleData().filter({'a': 1})
1
>>> bp.nn.MultipleData('name_dict').filter({'a': 1, 'b': 2})
{'a': 1, 'b': 2}
"""

from __future__ import annotations

from typing import Any

__all__ = ['DataType', 'SingleData', 'MultipleData']


class DataType:
    """Base class of the data-passing rules: ``filter(data)`` turns the dict of inputs into
    what ``forward`` receives.

    Examples
    --------
    >>> import bptorch as bp
    >>> class Last(bp.nn.DataType):
    ...     def filter(self, data):
    ...         return None if data is None else list(data.values())[-1]
    >>> Last().filter({'a': 1, 'b': 2})
    2
    """

    def filter(self, data: dict | None) -> Any:
        raise NotImplementedError

    def __repr__(self) -> str:
        return type(self).__name__


class SingleData(DataType):
    """Pass the only one value; more than one is a ``ValueError``.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.nn.SingleData().filter({'a': 1, 'b': 2})
    Traceback (most recent call last):
    ...
    ValueError: SingleData only support one feedforward/feedback input. But we got 2.
    """

    def filter(self, data: dict | None) -> Any:
        if data is None:
            return None
        if len(data) > 1:
            raise ValueError(f'{type(self).__name__} only support one feedforward/feedback '
                             f'input. But we got {len(data)}.')
        return tuple(data.values())[0]


def _name(key: Any) -> str:
    if isinstance(key, str):
        return key
    name = getattr(key, 'name', None)
    if isinstance(name, str):
        return name
    raise ValueError(f'Unknown type {type(key).__name__}: {key!r} (expected a node or a name)')


class MultipleData(DataType):
    """Pass all values: as a tuple (``'sequence'``) or as a dict keyed by name
    (``'name_dict'``), by node type (``'type_dict'``) or by node (``'node_dict'``).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.nn.MultipleData().filter({'a': 1, 'b': 2})
    (1, 2)
    """

    _RETURN_TYPES = ('sequence', 'name_dict', 'type_dict', 'node_dict')

    def __init__(self, return_type: str = 'sequence'):
        if return_type not in self._RETURN_TYPES:
            raise ValueError(f"Only support return type of 'sequence', 'name_dict', "
                             f"'type_dict' and 'node_dict'. But we got {return_type!r}")
        self.return_type = return_type

    def __repr__(self) -> str:
        return f'{type(self).__name__}(return_type={self.return_type})'

    def filter(self, data: dict | None) -> Any:
        if data is None:
            return None
        if self.return_type == 'sequence':
            return tuple(data.values())
        if self.return_type == 'name_dict':
            return {_name(k): v for k, v in data.items()}
        if self.return_type == 'type_dict':
            return {type(k): v for k, v in data.items()}
        return dict(data)
