"""Pooling (BrainPy 2.1.12's ``MaxPool``, ``AvgPool``, ``MinPool``).

Channels-last data ``(num_batch, *spatial, channels)``; the window slides over the
spatial axes. Padding follows ``jax.lax.reduce_window``: padded elements are the
reduction's initial value (``-inf`` for max, ``+inf`` for min, ``0`` for the
average, which always divides by the full window size).

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> net = bp.nn.Input((3, 3, 1)) >> bp.nn.MaxPool((2, 2))
>>> net.initialize(1)
>>> net(bm.arange(9.).reshape(1, 3, 3, 1))[0, ..., 0]
tensor([[4., 5.],
        [7., 8.]])
"""

from __future__ import annotations

import math
from typing import Any, Callable, Optional, Sequence

import torch
import torch.nn.functional as F

from bptorch.nn.base import Node
from bptorch.nn.nodes._params import value_of
from bptorch.nn.nodes.ANN import _windows as win

__all__ = ['Pool', 'MaxPool', 'AvgPool', 'MinPool']

_MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def _max(x, window, strides):
    return _MAX[x.ndim - 2](x, window, strides)


def _min(x, window, strides):
    return -_MAX[x.ndim - 2](-x, window, strides)


def _avg(x, window, strides):
    return _AVG[x.ndim - 2](x, window, strides)


class Pool(Node):
    """A reduction over sliding windows of the spatial axes.

    Parameters
    ----------
    init_v : float
        The reduction's initial value (the value of padded elements).
    reduce_fn : callable
        ``reduce_fn(x, window, strides)`` on channels-first data with no padding
        (the torch pooling functions' signature).
    window_shape : int or sequence of int
        The window over the spatial axes.
    strides : int or sequence of int, optional
        The strides (default 1).
    padding : str or sequence
        ``'VALID'``, ``'SAME'`` or ``(low, high)`` pairs per spatial axis.
    **kwargs
        ``name``, ``input_shape``, ``trainable``.

    Examples
    --------
    >>> import torch, torch.nn.functional as F, bptorch as bp
    >>> p = bp.nn.Pool(0., F.avg_pool1d, (2,), input_shape=(4, 1))
    >>> p.initialize(1)
    >>> p(torch.arange(4.).reshape(1, 4, 1)).flatten()
    tensor([0.5000, 1.5000, 2.5000])
    """

    def __init__(self, init_v: float, reduce_fn: Callable, window_shape: Sequence[int],
                 strides: Optional[Sequence[int]] = None, padding: Any = 'VALID', **kwargs):
        super().__init__(**kwargs)
        self.init_v = init_v
        self.reduce_fn = reduce_fn
        self.window_shape = tuple(window_shape) if isinstance(window_shape, (tuple, list)) \
            else window_shape
        n = len(self.window_shape) if isinstance(self.window_shape, tuple) else None
        if strides is not None and n is not None and isinstance(strides, (tuple, list)) \
                and len(strides) != n:
            raise ValueError(f'len({self.window_shape}) must equal len({tuple(strides)})')
        self.strides = strides
        self.padding = padding

    def init_ff_conn(self) -> None:
        shape = self.feedforward_shapes
        n = len(shape) - 2
        if n < 1 or n > 3:
            raise ValueError(f'{type(self).__name__} expects (num_batch, *spatial, channels) '
                             f'data with 1 to 3 spatial axes, got the shape {tuple(shape)}')
        self._window = win.as_tuple(self.window_shape, n, 'window_shape')
        self._strides = win.as_tuple(1 if self.strides is None else self.strides, n, 'strides')
        sizes = shape[1:-1]
        self._pad_values = win.pads(self.padding, sizes, self._window, self._strides)
        out = [win.out_size(s, k, st, p) for s, k, st, p in
               zip(sizes, self._window, self._strides, self._pad_values)]
        self.set_output_shape((None,) + tuple(out) + (shape[-1],))

    def forward(self, ff, fb=None, **shared_kwargs):
        x = win.to_channels_first(value_of(ff))
        x = win.pad_last(x, self._pad_values, value=self.init_v)
        return win.to_channels_last(self.reduce_fn(x, self._window, self._strides))


class AvgPool(Pool):
    """The average over each window (padded elements count as 0 in the full window size).

    Parameters
    ----------
    window_shape : int or sequence of int
        The window over the spatial axes.
    strides : int or sequence of int, optional
        The strides (default ``(1, ..., 1)``).
    padding : str or sequence
        ``'VALID'`` (default), ``'SAME'`` or ``(low, high)`` pairs.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> p = bp.nn.AvgPool((2, 2), input_shape=(3, 3, 1))
    >>> p.initialize(1)
    >>> p(bm.full((1, 3, 3, 1), 2.)).flatten()
    tensor([2., 2., 2., 2.])
    """

    def __init__(self, window_shape, strides=None, padding='VALID', **kwargs):
        super().__init__(init_v=0., reduce_fn=_avg, window_shape=window_shape, strides=strides,
                         padding=padding, **kwargs)


class MaxPool(Pool):
    """The maximum over each window.

    Parameters
    ----------
    window_shape : int or sequence of int
        The window over the spatial axes.
    strides : int or sequence of int, optional
        The strides (default ``(1, ..., 1)``).
    padding : str or sequence
        ``'VALID'`` (default), ``'SAME'`` or ``(low, high)`` pairs.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.nn.MaxPool(2, strides=2, padding='SAME', input_shape=(5, 5, 2)).initialize(1)
    """

    def __init__(self, window_shape, strides=None, padding='VALID', **kwargs):
        super().__init__(init_v=-math.inf, reduce_fn=_max, window_shape=window_shape,
                         strides=strides, padding=padding, **kwargs)


class MinPool(Pool):
    """The minimum over each window.

    Parameters
    ----------
    window_shape : int or sequence of int
        The window over the spatial axes.
    strides : int or sequence of int, optional
        The strides (default ``(1, ..., 1)``).
    padding : str or sequence
        ``'VALID'`` (default), ``'SAME'`` or ``(low, high)`` pairs.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> p = bp.nn.MinPool((2, 2), input_shape=(3, 3, 1))
    >>> p.initialize(1)
    >>> p(bm.arange(9.).reshape(1, 3, 3, 1))[0, ..., 0]
    tensor([[0., 1.],
            [3., 4.]])
    """

    def __init__(self, window_shape, strides=None, padding='VALID', **kwargs):
        super().__init__(init_v=math.inf, reduce_fn=_min, window_shape=window_shape,
                         strides=strides, padding=padding, **kwargs)
