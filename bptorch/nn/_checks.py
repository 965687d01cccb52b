"""Argument and shape checks of ``bp.nn`` (BrainPy 2.1.12's ``brainpy.tools.checking`` helpers).

Shapes of node data have ``None`` for the batch axis: ``(None, 3)``.

Examples
--------
>>> from bptorch.nn._checks import check_shape_consistency
>>> check_shape_consistency([(None, 2), (None, 3)], -1, True)
((None,), (2, 3))
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
import torch

from bptorch.initialize.base import Initializer
from bptorch.math.variables import Variable

__all__ = ['check_shape_consistency', 'check_shape_except_batch', 'check_dict_data',
           'check_initializer', 'check_integer', 'check_float', 'check_string', 'check_sequence',
           'is_tensor', 'to_size', 'register_method', 'registered_method']


def is_tensor(x: Any) -> bool:
    """Whether ``x`` is array data: a tensor, a Variable or a NumPy array."""
    return isinstance(x, (torch.Tensor, Variable, np.ndarray))


def to_size(x: Any) -> tuple | None:
    """An int or a sequence of ints as a shape tuple (None stays None)."""
    if x is None:
        return None
    if isinstance(x, (int, np.integer)):
        return (int(x),)
    if isinstance(x, (tuple, list)):
        return tuple(x)
    raise ValueError(f'a shape must be an int or a sequence of ints, got {x!r}')


def _axes(free_axes: Any, ndim: int) -> tuple[str, tuple[int, ...]]:
    if free_axes is None:
        return 'none', ()
    if isinstance(free_axes, int):
        return 'int', (free_axes % ndim if ndim else free_axes,)
    if isinstance(free_axes, (tuple, list)):
        return 'seq', tuple(a % ndim if ndim else a for a in free_axes)
    raise ValueError(f'free_axes must be None, an int or a sequence of ints, got {free_axes!r}')


def check_shape_consistency(shapes: Sequence[Sequence], free_axes: Any = None,
                            return_format_shapes: bool = False):
    """Check that ``shapes`` agree outside ``free_axes``.

    Returns ``(common_shape, free_shapes)`` when ``return_format_shapes``: the shape
    without the free axes, and per shape its size along the free axis (an int
    axis) or axes (a sequence).

    Examples
    --------
    >>> from bptorch.nn._checks import check_shape_consistency
    >>> check_shape_consistency([(None, 4, 2), (None, 4, 5)], -1, True)
    ((None, 4), (2, 5))
    >>> check_shape_consistency([(None, 4, 2), (None, 3, 5)], -1, True)
    Traceback (most recent call last):
    ...
    ValueError: The provided shapes [(None, 4, 2), (None, 3, 5)] are not consistent outside the axes (2,).
    """
    if not isinstance(shapes, (tuple, list)) or \
            not all(isinstance(s, (tuple, list)) for s in shapes):
        raise ValueError(f'Must be a sequence of shapes, got {shapes!r}')
    if len(shapes) == 0:
        raise ValueError('Got no shape to check.')
    dims = {len(s) for s in shapes}
    if len(dims) > 1:
        raise ValueError(f'The provided shapes {list(map(tuple, shapes))} have different '
                         f'numbers of dimensions.')
    ndim = dims.pop()
    kind, axes = _axes(free_axes, ndim)
    rest = {tuple(d for i, d in enumerate(s) if i not in axes) for s in shapes}
    if len(rest) > 1:
        where = f' outside the axes {axes}' if axes else ''
        raise ValueError(f'The provided shapes {list(map(tuple, shapes))} are not '
                         f'consistent{where}.')
    if return_format_shapes:
        if kind == 'int':
            free = tuple(s[axes[0]] for s in shapes)
        elif kind == 'seq':
            free = tuple(tuple(s[a] for a in axes) for s in shapes)
        else:
            free = None
        return rest.pop(), free
    return None


def check_shape_except_batch(shape1: Sequence, shape2: Sequence, batch_idx: int = 0,
                             mode: str = 'raise') -> bool:
    """Whether two shapes agree except on the batch axis (``mode='bool'``), or raise.

    Examples
    --------
    >>> from bptorch.nn._checks import check_shape_except_batch
    >>> check_shape_except_batch((None, 3), (5, 3))
    True
    >>> check_shape_except_batch((None, 3), (5, 4), mode='bool')
    False
    """
    if mode not in ('raise', 'bool'):
        raise ValueError(f"mode must be 'raise' or 'bool', got {mode!r}")
    s1, s2 = list(shape1), list(shape2)
    if len(s1) != len(s2):
        if mode == 'raise':
            raise ValueError(f'Dimension mismatch between two shapes: {tuple(shape1)} and '
                             f'{tuple(shape2)}')
        return False
    s1.pop(batch_idx)
    s2.pop(batch_idx)
    if s1 != s2:
        if mode == 'raise':
            raise ValueError(f'Two shapes {tuple(shape1)} and {tuple(shape2)} are not '
                             f'consistent when excluding the batch axis {batch_idx}')
        return False
    return True


def check_dict_data(a_dict: Any, key_type: Any, val_type: Any, name: str | None = None) -> None:
    """Refuse anything but a dict with keys of ``key_type`` and values of ``val_type``."""
    name = '' if name is None else f'"{name}" '
    if not isinstance(a_dict, dict):
        raise ValueError(f'{name}must be a dict, while we got {type(a_dict).__name__}')
    for key, value in a_dict.items():
        if not isinstance(key, key_type) or not isinstance(value, val_type):
            raise ValueError(f'{name}must be a dict of ({key_type}, {val_type}), while we got '
                             f'({type(key).__name__}, {type(value).__name__})')


def check_initializer(initializer: Any, name: str = '', allow_none: bool = False) -> None:
    """An initializer, an array or a callable (None with ``allow_none``)."""
    if initializer is None:
        if allow_none:
            return
        raise ValueError(f'{name} must be an initializer, but we got None.')
    if isinstance(initializer, Initializer) or is_tensor(initializer) or callable(initializer):
        return
    raise ValueError(f'{name} should be an instance of brainpy.init.Initializer, a tensor or a '
                     f'callable function. While we got {type(initializer).__name__}')


def check_integer(value: Any, name: str = '', min_bound: int | None = None,
                  max_bound: int | None = None, allow_none: bool = False) -> None:
    """An int (or integer array) within the bounds."""
    if value is None:
        if allow_none:
            return
        raise ValueError(f'{name} must be an int, but got None')
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f'{name} must be an int, but got {value!r}')
    if min_bound is not None and value < min_bound:
        raise ValueError(f'{name} must be an int bigger than {min_bound}, while we got {value}')
    if max_bound is not None and value > max_bound:
        raise ValueError(f'{name} must be an int smaller than {max_bound}, while we got {value}')


def check_float(value: Any, name: str = '', min_bound: float | None = None,
                max_bound: float | None = None, allow_none: bool = False,
                allow_int: bool = True) -> None:
    """A float (an int too with ``allow_int``) within the bounds."""
    if value is None:
        if allow_none:
            return
        raise ValueError(f'{name} must be a float, but got None')
    types = (float, int) if allow_int else (float,)
    if isinstance(value, bool) or not isinstance(value, types):
        raise ValueError(f'{name} must be a float, but got {type(value).__name__}')
    if min_bound is not None and value < min_bound:
        raise ValueError(f'{name} must be a float bigger than {min_bound}, while we got {value}')
    if max_bound is not None and value > max_bound:
        raise ValueError(f'{name} must be a float smaller than {max_bound}, while we got {value}')


def check_string(value: Any, name: str = '', candidates: Sequence[str] | None = None,
                 allow_none: bool = False) -> None:
    """A str, one of ``candidates`` if given."""
    if value is None:
        if allow_none:
            return
        raise ValueError(f'{name} must be a str, but got None')
    if not isinstance(value, str):
        raise ValueError(f'{name} must be a str, but got {type(value).__name__}')
    if candidates is not None and value not in candidates:
        raise ValueError(f'{name} must be a str in {list(candidates)}, but we got {value!r}')


def check_sequence(value: Any, name: str = '', elem_type: Any = None,
                   allow_none: bool = True) -> None:
    """A tuple or list (of ``elem_type``)."""
    if value is None:
        if allow_none:
            return
        raise ValueError(f'{name} must be a sequence, but got None')
    if not isinstance(value, (tuple, list)):
        raise ValueError(f'{name} should be a sequence, but we got a {type(value).__name__}')
    if elem_type is not None:
        for v in value:
            if not isinstance(v, elem_type):
                raise ValueError(f'Elements in {name} should be {elem_type}, but we got '
                                 f'{type(v).__name__}: {v!r}')


def callable_name(f: Callable) -> str:
    return getattr(f, '__name__', type(f).__name__)


def register_method(table: dict, kind: str, name: str, method: Any) -> None:
    """Add ``method`` to a registry of training methods (``kind``: 'offline', 'online')."""
    if name in table:
        raise ValueError(f'"{name}" has been registered in {kind} training methods.')
    if not callable(method):
        raise ValueError(f'"method" must be an instance of callable function, but we got '
                         f'{type(method).__name__}')
    table[name] = method


def registered_method(table: dict, kind: str, name: str) -> Callable:
    """The method registered as ``name`` in a registry of training methods."""
    if name not in table:
        raise ValueError(f'All {kind} methods are: {tuple(table)}.\nBut we got {name}.')
    return table[name]
