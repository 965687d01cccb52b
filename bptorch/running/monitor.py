"""The record of monitored trajectories (BrainPy 2.1.12's ``brainpy.running.Monitor``).

Examples
--------
>>> import bptorch as bp
>>> mon = bp.running.Monitor(variables=['V', ('spike', [1, 2])])
>>> mon.item_names, mon.item_indices, mon['V']
(['V', 'spike'], [None, [1, 2]], [])
"""

from __future__ import annotations

from typing import Any, Iterator

import numpy as np
import torch

from bptorch.errors import MonitorError

__all__ = ['Monitor']


def _to_numpy(x: Any) -> Any:
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    if isinstance(x, (list, tuple)) and any(isinstance(v, torch.Tensor) for v in x):
        return np.asarray([_to_numpy(v) for v in x])
    return np.asarray(x)


class Monitor:
    """Monitored trajectories, by name: ``mon['V']`` or ``mon.V``, and the times ``mon.ts``.

    A runner fills it: after ``runner.run(...)`` each item holds an array of shape
    ``(num_steps, size)`` (a variable's values flattened, or at the given indices of
    the flattened values), NumPy unless the runner was told otherwise.

    Parameters
    ----------
    variables : list, tuple or dict
        What to monitor, in one of BrainPy 2.1.12's forms:

        - names: ``['a', 'b']``;
        - names with indices: ``['a', ('b', [1, 2, 3])]`` (an int index is ``[index]``);
        - a dict of names to indices: ``{'a': None, 'b': [1, 2, 3]}``;
        - (BrainPy 2.2's) a dict of names to Variables, or to ``(Variable, indices)``:
          ``{'spike': model.spike}``.
    intervals : list, tuple or dict, optional
        A time interval per item (same type as ``variables``). An item with an interval
        also has an item ``'name.t'``. (The runners of ``bp.dyn`` refuse intervals, as
        BrainPy 2.1.12's do.)

    Attributes
    ----------
    item_names, item_indices, item_intervals : list
        One entry per monitored item.
    item_contents : dict
        The records, by name (empty lists before a run).
    ts : ndarray or None
        The times of the records (the end of each step).

    Examples
    --------
    >>> import bptorch as bp
    >>> mon = bp.running.Monitor(variables={'a': None, 'b': [1, 2]}, intervals={'b': 1.})
    >>> list(mon.keys()), mon.item_intervals
    (['a', 'b', 'b.t'], [None, 1.0])
    >>> bp.running.Monitor(variables=['a', 'b'], intervals=[None])
    Traceback (most recent call last):
    ...
    bptorch.errors.MonitorError: The length of "vars" and "every" are not equal.
    """

    _KEYWORDS = ('_KEYWORDS', 'target', 'vars', 'intervals', 'ts', 'num_item', 'item_names',
                 'item_indices', 'item_intervals', 'item_contents', 'has_build')

    def __init__(self, variables: Any, intervals: Any = None):
        if isinstance(variables, (list, tuple)):
            if intervals is not None:
                if not isinstance(intervals, (list, tuple)):
                    raise MonitorError(f'"vars" and "intervals" must be the same type. While we '
                                       f'got type(vars)={type(variables)}, '
                                       f'type(intervals)={type(intervals)}.')
                if len(variables) != len(intervals):
                    raise MonitorError('The length of "vars" and "every" are not equal.')
        elif isinstance(variables, dict):
            if intervals is not None:
                if not isinstance(intervals, dict):
                    raise MonitorError(f'"vars" and "every" must be the same type. While we got '
                                       f'type(vars)={type(variables)}, '
                                       f'type(intervals)={type(intervals)}.')
                for key in intervals.keys():
                    if key not in variables:
                        raise MonitorError(f'"{key}" is not in "vars": {list(variables.keys())}')
        else:
            raise MonitorError(f'We only supports a format of list/tuple/dict of "vars", while '
                               f'we got {type(variables)}.')
        self.has_build = False
        self.ts = None
        self.vars = variables
        self.intervals = intervals
        self.item_names: list = []
        self.item_indices: list = []
        self.item_intervals: list = []
        self.item_contents: dict = {}
        self.num_item = len(variables)
        self.build()

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(items={tuple(self.item_names)}, '
                f'indices={self.item_indices})')

    def build(self) -> None:
        """Lay out the items (done once, at construction)."""
        if self.has_build:
            return
        names, indices, contents = [], [], {}
        if isinstance(self.vars, (list, tuple)):
            intervals = [None] * len(self.vars) if self.intervals is None else list(self.intervals)
            for item, interval in zip(self.vars, intervals):
                if isinstance(item, str):
                    key, index = item, None
                elif isinstance(item, (tuple, list)) and len(item) == 2 \
                        and isinstance(item[0], str):
                    key, index = item[0], item[1]
                else:
                    raise MonitorError(f'Unknown monitor item: {str(item)}')
                names.append(key)
                indices.append(index)
                contents[key] = []
                if interval is not None:
                    contents[f'{key}.t'] = []
        else:
            intervals = []
            for key, index in self.vars.items():
                if not isinstance(key, str):
                    raise MonitorError(f'Monitor names must be strings, but we got {key!r}')
                names.append(key)
                indices.append(index)
                contents[key] = []
                interval = None if self.intervals is None else self.intervals.get(key)
                intervals.append(interval)
                if interval is not None:
                    contents[f'{key}.t'] = []
        self.item_names = names
        self.item_indices = indices
        self.item_intervals = intervals
        self.item_contents = contents
        self.num_item = len(contents)
        self.has_build = True

    # -- access ---------------------------------------------------------------------
    def __getitem__(self, item: str) -> Any:
        """The record of ``item``.

        Examples
        --------
        >>> import bptorch as bp
        >>> bp.running.Monitor(['V'])['W']
        Traceback (most recent call last):
        ...
        ValueError: Do not have "W". Available items are:
        ['V']
        """
        contents = object.__getattribute__(self, 'item_contents')
        if item not in contents:
            raise ValueError(f'Do not have "{item}". Available items are:\n'
                             f'{list(contents.keys())}')
        return contents[item]

    def __setitem__(self, key: str, value: Any) -> None:
        contents = object.__getattribute__(self, 'item_contents')
        if key not in contents:
            raise ValueError(f'Do not have "{key}". Available items are:\n'
                             f'{list(contents.keys())}')
        contents[key] = value

    def __getattr__(self, item: str) -> Any:
        # only called when normal lookup fails: the records read as attributes
        try:
            contents = object.__getattribute__(self, 'item_contents')
        except AttributeError:
            raise AttributeError(item) from None
        if item in contents:
            return contents[item]
        raise AttributeError(f'{type(self).__name__} has no item or attribute {item!r}; its '
                             f'items are {list(contents.keys())}')

    def __setattr__(self, key: str, value: Any) -> None:
        if key in self._KEYWORDS:
            object.__setattr__(self, key, value)
        elif key in self.__dict__.get('item_contents', {}):
            self.item_contents[key] = value
        else:
            object.__setattr__(self, key, value)

    # BrainPy 2.2's dict-like access (its monitors are a dict)
    def keys(self):
        """The names of the records (BrainPy 2.2 reads monitors as a dict)."""
        return self.item_contents.keys()

    def values(self):
        """The records."""
        return self.item_contents.values()

    def items(self):
        """``(name, record)`` pairs."""
        return self.item_contents.items()

    def get(self, item: str, default: Any = None) -> Any:
        """The record of ``item``, or ``default`` (BrainPy 2.2's ``runner.mon.get``)."""
        return self.item_contents.get(item, default)

    def __contains__(self, item: str) -> bool:
        return item in self.item_contents

    def __iter__(self) -> Iterator[str]:
        return iter(self.item_contents)

    def numpy(self) -> None:
        """Turn every record (and ``ts``) into NumPy arrays.

        Examples
        --------
        >>> import torch, bptorch as bp
        >>> mon = bp.running.Monitor(['V'])
        >>> mon['V'] = torch.zeros(2, 3); mon.numpy(); type(mon.V).__name__
        'ndarray'
        """
        for key, val in self.item_contents.items():
            self.item_contents[key] = _to_numpy(val)
        if self.ts is not None:
            self.ts = _to_numpy(self.ts)
