"""Convolutions (BrainPy 2.1.12's ``GeneralConv``, ``Conv1D``, ``Conv2D``, ``Conv3D``).

Data are channels-last, as in BrainPy: ``(num_batch, *spatial, channels)``
(``NWC``, ``NHWC``, ``NHWDC``); the kernel ``w`` is ``(*kernel_size, in_channels //
groups, out_channels)`` and the bias ``b`` ``(1, ..., 1, out_channels)``. The
computation is ``torch.nn.functional.conv{1,2,3}d`` on the channels-first view,
with JAX's ``padding`` rules (``'SAME'`` puts the odd pad at the end; a
sequence gives ``(low, high)`` pads per axis).

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> net = bp.nn.Input((5, 5, 3)) >> bp.nn.Conv2D(8, (3, 3))
>>> net.initialize(num_batch=2)
>>> net(bm.ones((2, 5, 5, 3))).shape
torch.Size([2, 5, 5, 8])
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence, Union

import torch
import torch.nn.functional as F

from bptorch.initialize import Initializer, XavierNormal, ZeroInit
from bptorch.nn._checks import check_initializer, check_integer
from bptorch.nn.base import Node
from bptorch.nn.nodes._params import make_param, value_of
from bptorch.nn.nodes.ANN import _windows as win

__all__ = ['GeneralConv', 'Conv1D', 'Conv2D', 'Conv3D']

Init = Union[Initializer, Callable, torch.Tensor]
_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}


class GeneralConv(Node):
    """A convolution over the spatial axes of channels-last data (any of 1 to 3 axes).

    Parameters
    ----------
    out_channels : int
        The number of output channels.
    kernel_size : int or sequence of int
        The kernel's spatial shape (an int: the same on every axis).
    strides : int or sequence of int, optional
        The window strides (default 1).
    padding : str, int or sequence
        ``'SAME'`` (default), ``'VALID'``, an int, or per axis an int or a
        ``(low, high)`` pair.
    input_dilation : int or sequence of int, optional
        Dilation of the input (a transposed convolution of that stride).
    kernel_dilation : int or sequence of int, optional
        Dilation of the kernel (atrous convolution).
    groups : int
        Split the channels into that many groups (``feature_group_count``).
    w_init : Initializer, callable or tensor
        The kernel (default ``XavierNormal()``).
    b_init : Initializer, callable, tensor or None
        The bias (default ``ZeroInit()``; None: no bias).
    **kwargs
        ``name``, ``input_shape``, ``trainable``.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> c = bp.nn.GeneralConv(4, 3, strides=2, padding='VALID', input_shape=(9, 2))
    >>> c.initialize(1)
    >>> c.output_shape, tuple(c.w.shape)
    ((None, 4, 4), (3, 2, 4))
    """

    _ndim: Optional[int] = None

    def __init__(self, out_channels: int, kernel_size: Union[int, Sequence[int]],
                 strides: Union[None, int, Sequence[int]] = None, padding: Any = 'SAME',
                 input_dilation: Union[None, int, Sequence[int]] = None,
                 kernel_dilation: Union[None, int, Sequence[int]] = None, groups: int = 1,
                 w_init: Init = XavierNormal(), b_init: Optional[Init] = ZeroInit(), **kwargs):
        super().__init__(**kwargs)
        check_integer(out_channels, 'out_channels', min_bound=1)
        check_integer(groups, 'groups', min_bound=1)
        if out_channels % groups != 0:
            raise ValueError('"out_channels" should be divisible by groups')
        if isinstance(padding, str) and padding.upper() not in ('SAME', 'VALID'):
            raise ValueError(f"padding must be 'SAME', 'VALID', an int or a sequence, got "
                             f"{padding!r}")
        check_initializer(w_init, 'w_init')
        check_initializer(b_init, 'b_init', allow_none=True)
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.strides = strides
        self.padding = padding
        self.input_dilation = input_dilation
        self.kernel_dilation = kernel_dilation
        self.groups = groups
        self.w_init = w_init
        self.b_init = b_init

    def _spatial(self, shape: Sequence) -> int:
        n = len(shape) - 2
        if n < 1 or n > 3:
            raise ValueError(f'{type(self).__name__} expects (num_batch, *spatial, channels) '
                             f'data with 1 to 3 spatial axes, got the shape {tuple(shape)}')
        if self._ndim is not None and n != self._ndim:
            raise ValueError(f'expected {self._ndim + 2}D input (got {n + 2}D input)')
        return n

    def _build(self, in_channels: int, n: int) -> None:
        if in_channels % self.groups != 0:
            raise ValueError('"in_channels" should be divisible by groups')
        self._kernel = win.as_tuple(self.kernel_size, n, 'kernel_size')
        self._strides = win.as_tuple(1 if self.strides is None else self.strides, n, 'strides')
        self._kdil = win.as_tuple(1 if self.kernel_dilation is None else self.kernel_dilation, n,
                                  'kernel_dilation')
        self._idil = win.as_tuple(1 if self.input_dilation is None else self.input_dilation, n,
                                  'input_dilation')
        kernel_shape = self._kernel + (in_channels // self.groups, self.out_channels)
        self.w = make_param(self.w_init, kernel_shape, self.trainable, allow_none=False)
        self.b = make_param(self.b_init, (1,) * n + (self.out_channels,), self.trainable)

    def _pads(self, sizes: Sequence[int]) -> tuple:
        windows = [(k - 1) * d + 1 for k, d in zip(self._kernel, self._kdil)]
        return win.pads(self.padding, sizes, windows, self._strides)

    def init_ff_conn(self) -> None:
        shape = self.feedforward_shapes
        n = self._spatial(shape)
        self._build(int(shape[-1]), n)
        sizes = shape[1:-1]
        pads = self._pad_values = self._pads(sizes)
        out = [win.out_size(s, k, st, p, d, i) for s, k, st, p, d, i in
               zip(sizes, self._kernel, self._strides, pads, self._kdil, self._idil)]
        self.set_output_shape((None,) + tuple(out) + (self.out_channels,))

    def init_fb_conn(self) -> None:
        ff, fb = self.feedforward_shapes, self.feedback_shapes
        if tuple(ff[1:-1]) != tuple(fb[1:-1]):
            raise ValueError(f'Feedback input spatial dimensions {tuple(fb[1:-1])} are not '
                             f'aligned with feedforward input spatial dimensions '
                             f'{tuple(ff[1:-1])}.')
        self._build(int(ff[-1]) + int(fb[-1]), self._spatial(ff))

    def forward(self, ff, fb=None, **shared_kwargs):
        x = value_of(ff)
        if fb is not None:
            x = torch.cat([x, value_of(fb)], dim=-1)
        n = x.ndim - 2
        x = win.dilate(win.to_channels_first(x), self._idil)
        x = win.pad_last(x, self._pad_values)
        w = value_of(self.w).permute(n + 1, n, *range(n))     # (out, in / groups, *kernel)
        y = _CONV[n](x, w, stride=self._strides, dilation=self._kdil, groups=self.groups)
        y = win.to_channels_last(y)
        if self.b is not None:
            y = y + value_of(self.b)
        return y


class Conv1D(GeneralConv):
    """1-D convolution of ``(num_batch, width, channels)`` data (``NWC``, kernel ``WIO``).

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> net = bp.nn.Input((5, 3)) >> bp.nn.Conv1D(32, (3,))
    >>> net.initialize(num_batch=2)
    >>> net(bm.ones((2, 5, 3))).shape
    torch.Size([2, 5, 32])
    """

    _ndim = 1

    def __init__(self, out_channels: int, kernel_size, **kwargs):
        super().__init__(out_channels, kernel_size, **kwargs)
        self.dimension_numbers = ('NWC', 'WIO', 'NWC')


class Conv2D(GeneralConv):
    """2-D convolution of ``(num_batch, height, width, channels)`` data (``NHWC``, kernel ``HWIO``).

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> net = bp.nn.Input((6, 6, 4)) >> bp.nn.Conv2D(8, (3, 3), padding='VALID', groups=2)
    >>> net.initialize(num_batch=1)
    >>> net.output_shape
    (None, 4, 4, 8)
    """

    _ndim = 2

    def __init__(self, out_channels: int, kernel_size, **kwargs):
        super().__init__(out_channels, kernel_size, **kwargs)
        self.dimension_numbers = ('NHWC', 'HWIO', 'NHWC')


class Conv3D(GeneralConv):
    """3-D convolution of ``(num_batch, h, w, d, channels)`` data (``NHWDC``, kernel ``HWDIO``).

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> net = bp.nn.Input((5, 5, 5, 3)) >> bp.nn.Conv3D(4, (3, 3, 3))
    >>> net.initialize(num_batch=2)
    >>> net(bm.ones((2, 5, 5, 5, 3))).shape
    torch.Size([2, 5, 5, 5, 4])
    """

    _ndim = 3

    def __init__(self, out_channels: int, kernel_size, **kwargs):
        super().__init__(out_channels, kernel_size, **kwargs)
        self.dimension_numbers = ('NHWDC', 'HWDIO', 'NHWDC')
