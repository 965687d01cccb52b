"""The record of monitored values of the ``bp.nn`` runners (BrainPy's ``Monitor``, reduced
to what ``RNNRunner`` uses: named items, read as ``runner.mon['node.state']``).

Examples
--------
>>> from bptorch.nn.runners._monitor import Monitor
>>> mon = Monitor(['l1.state'])
>>> mon.item_names, mon['l1.state']
(['l1.state'], [])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from bptorch.errors import MonitorError

__all__ = ['Monitor']


def _to_numpy(x: Any) -> Any:
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    if isinstance(x, dict):
        return {k: _to_numpy(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(_to_numpy(v) for v in x)
    return x


class Monitor:
    """Named records: ``item_names`` and ``item_contents`` (name to recorded values).

    Parameters
    ----------
    variables : list, tuple or dict
        The names to record; a dict maps names to indices, which the ``bp.nn``
        runners do not support (only None).
    intervals : optional
        Not supported by the ``bp.nn`` runners (only None).
    """

    def __init__(self, variables: Any, intervals: Any = None):
        if intervals is not None:
            raise NotImplementedError('Monitor intervals are not supported by the bp.nn runners')
        if isinstance(variables, dict):
            for key, index in variables.items():
                if index is not None:
                    raise NotImplementedError(f'Monitor indices are not supported by the bp.nn '
                                              f'runners (got an index for {key!r}); monitor the '
                                              f'whole item and index the result')
            names = list(variables)
        elif isinstance(variables, (list, tuple)):
            names = []
            for item in variables:
                if isinstance(item, str):
                    names.append(item)
                elif isinstance(item, (list, tuple)) and len(item) == 2 \
                        and isinstance(item[0], str):
                    if item[1] is not None:
                        raise NotImplementedError(f'Monitor indices are not supported by the '
                                                  f'bp.nn runners (got {item!r})')
                    names.append(item[0])
                else:
                    raise MonitorError(f'Unknown monitor item: {item!r}')
        else:
            raise MonitorError(f'We only supports a format of list/tuple/dict of "vars", while '
                               f'we got {type(variables).__name__}.')
        self.item_names = names
        self.item_contents: dict = {name: [] for name in names}

    def __repr__(self) -> str:
        return f'{type(self).__name__}(items={tuple(self.item_names)})'

    def __getitem__(self, item: str) -> Any:
        if item not in self.item_contents:
            raise ValueError(f'Do not have "{item}". Available items are:\n'
                             f'{list(self.item_contents.keys())}')
        return self.item_contents[item]

    def __setitem__(self, key: str, value: Any) -> None:
        if key not in self.item_contents:
            raise ValueError(f'Do not have "{key}". Available items are:\n'
                             f'{list(self.item_contents.keys())}')
        self.item_contents[key] = value

    def numpy(self) -> None:
        """Turn every record into NumPy arrays."""
        for key, value in self.item_contents.items():
            self.item_contents[key] = _to_numpy(value)
