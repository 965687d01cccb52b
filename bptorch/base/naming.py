"""Unique names for ``bp.Base`` objects.

Unnamed objects are called after their class with a counter (``Example0``,
``Example1``, ...). A name belongs to one live object: a second live object
asking for it gets :class:`~bptorch.errors.UniqueNameError`. Once an object is
garbage-collected its name is free again, so re-running a notebook cell that
builds ``Net(name='net')`` works.

Examples
--------
>>> from bptorch.base import naming
>>> naming.check_name_format('net_1')
>>> naming.check_name_format('1net')
Traceback (most recent call last):
...
bptorch.errors.BrainPyError: name '1net' is not a valid Python identifier
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict

from bptorch.errors import BrainPyError, UniqueNameError

__all__ = ['unique_name', 'check_name_format', 'clear_name_cache']

_lock = threading.RLock()
_owners: weakref.WeakValueDictionary = weakref.WeakValueDictionary()   # name -> live object
_counters: defaultdict[str, int] = defaultdict(int)


def check_name_format(name: str) -> None:
    """Refuse names that are not Python identifiers (they appear in dotted paths)."""
    if not isinstance(name, str) or not name.isidentifier():
        raise BrainPyError(f'name {name!r} is not a valid Python identifier')


def _owner(name: str):
    return _owners.get(name)


def unique_name(obj: object, name: str | None = None, type_: str | None = None) -> str:
    """Reserve ``name`` for ``obj``, or make one from ``type_`` (default: its class name)."""
    with _lock:
        if name is None:
            prefix = type_ or type(obj).__name__
            while True:
                name = f'{prefix}{_counters[prefix]}'
                _counters[prefix] += 1
                if _owner(name) is None:
                    break
        else:
            check_name_format(name)
            owner = _owner(name)
            if owner is not None and owner is not obj:
                raise UniqueNameError(
                    f'name {name!r} is already used by a live {type(owner).__name__}; '
                    'choose another name, or delete the other object first')
        _owners[name] = obj   # held weakly: a collected object frees its name (and its entry)
        return name


def clear_name_cache(reset_counters: bool = True) -> None:
    """Forget every reserved name (and restart the counters), as BrainPy's function does.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.clear_name_cache()
    """
    with _lock:
        _owners.clear()
        if reset_counters:
            _counters.clear()
