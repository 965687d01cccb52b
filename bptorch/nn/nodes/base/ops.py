"""Nodes that rearrange data (BrainPy 2.1.12's ``Concat``, ``Select``, ``Reshape``,
``Summation``; and ``Flatten``).

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> net = {bp.nn.Input(2, name='a'), bp.nn.Input(2, name='b')} >> bp.nn.Summation()
>>> net.initialize(1)
>>> net({'a': bm.ones((1, 2)), 'b': bm.ones((1, 2))})
tensor([[2., 2.]])
"""

from __future__ import annotations

import math
from typing import Any, Sequence, Union

import numpy as np
import torch

from bptorch.math.variables import as_tensor
from bptorch.nn._checks import check_shape_consistency, to_size
from bptorch.nn.base import Node
from bptorch.nn.datatypes import MultipleData
from bptorch.nn.nodes._params import value_of

__all__ = ['Concat', 'Select', 'Reshape', 'Flatten', 'Summation']


class Concat(Node):
    """Join several inputs along ``axis``.

    Parameters
    ----------
    axis : int
        The axis to join along (default the last one).
    trainable : bool
        Default False.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> net = [bp.nn.Input(1, name='x1'), bp.nn.Input(2, name='x2')] >> bp.nn.Dense(1)
    >>> net.initialize(1)
    >>> net['x1'].output_shape, net.ff_senders[net.exit_nodes[0]][0].output_shape
    ((None, 1), (None, 3))
    """

    data_pass = MultipleData('sequence')

    def __init__(self, axis: int = -1, trainable: bool = False, **kwargs):
        super().__init__(trainable=trainable, **kwargs)
        if not isinstance(axis, int):
            raise ValueError(f'axis must be an int, got {axis!r}')
        self.axis = axis

    def init_ff_conn(self) -> None:
        shapes = self.feedforward_shapes
        ndim = len(shapes[0])
        axis = self.axis % ndim
        if axis == 0:
            raise ValueError('Concat cannot join along the batch axis 0.')
        unique_shape, free_shapes = check_shape_consistency(shapes, axis, True)
        out = list(unique_shape)
        out.insert(axis, sum(free_shapes))
        self.set_output_shape(out)

    def forward(self, ff, **shared_kwargs):
        return torch.cat([value_of(x) for x in ff], dim=self.axis)


def _probe(shape: Sequence) -> torch.Tensor:
    return torch.zeros(tuple(1 if d is None else d for d in shape))


class Select(Node):
    """A subset of the input.

    ``index`` picks along the last axis (an int keeps that axis with size one, as
    in BrainPy; a slice, a list or an integer array pick several); a tuple indexes
    the whole sample, its first element being the batch axis (``(slice(None),
    slice(0, 5))``, written ``node[:, :5]``).

    Parameters
    ----------
    index : int, slice, sequence of int, array or tuple
        What to select.
    trainable : bool
        Default False.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> net = bp.nn.Input(4)[:, 2:]
    >>> net.initialize(1)
    >>> net(bm.arange(4.).reshape(1, 4))
    tensor([[2., 3.]])
    >>> net = bp.nn.Input(4)[1]
    >>> net.initialize(1)
    >>> net(bm.arange(4.).reshape(1, 4))
    tensor([[1.]])
    """

    def __init__(self, index: Any, trainable: bool = False, **kwargs):
        super().__init__(trainable=trainable, **kwargs)
        if isinstance(index, (bool, np.bool_)):
            raise ValueError(f'index must be an int, a slice, a sequence or a tuple, got {index!r}')
        if isinstance(index, (int, np.integer)):
            self._whole = False
            self.index = torch.tensor([int(index)])
        elif isinstance(index, tuple):
            first = index[0] if len(index) else slice(None)
            if not (first is Ellipsis or (isinstance(first, slice) and first == slice(None))):
                raise ValueError(f'The first element of a tuple index is the batch axis and must '
                                 f'be ":" (or "..."), got {first!r}')
            self._whole = True
            self.index = index
        elif isinstance(index, slice):
            self._whole = False
            self.index = index
        else:
            self._whole = False
            self.index = as_tensor(index)
            if self.index.dtype == torch.bool:
                pass
            elif self.index.is_floating_point():
                raise ValueError(f'index must hold integers, got dtype {self.index.dtype}')

    def _apply_index(self, x: torch.Tensor) -> torch.Tensor:
        if self._whole:
            return x[self.index]
        index = self.index
        if isinstance(index, torch.Tensor) and index.device != x.device:
            index = index.to(x.device)
        return x[..., index]

    def init_ff_conn(self) -> None:
        out = self._apply_index(_probe(self.feedforward_shapes))
        self.set_output_shape((None,) + tuple(out.shape[1:]))

    def forward(self, ff, **shared_kwargs):
        return self._apply_index(value_of(ff))


class Reshape(Node):
    """Reshape each sample to ``shape`` (the batch axis is kept).

    Parameters
    ----------
    shape : int or sequence of int
        The new feature shape (no batch axis); one entry may be -1.
    trainable : bool
        Default False.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> net = bp.nn.Input((3, 4)) >> bp.nn.Reshape((-1, 6))
    >>> net.initialize(2)
    >>> net(bm.ones((2, 3, 4))).shape
    torch.Size([2, 2, 6])
    """

    def __init__(self, shape: Union[int, Sequence[int]], trainable: bool = False, **kwargs):
        super().__init__(trainable=trainable, **kwargs)
        self.shape = to_size(shape)
        if None in self.shape:
            raise ValueError('Batch size can not be defined in the reshaped size.')

    def init_ff_conn(self) -> None:
        in_size = self.feedforward_shapes[1:]
        length = math.prod(in_size)
        out = list(self.shape)
        if -1 in out:
            if out.count(-1) != 1:
                raise ValueError(f'Cannot set shape with multiple -1. But got {self.shape}')
            rest = math.prod(d for d in out if d != -1)
            if rest == 0 or length % rest:
                raise ValueError(f'Cannot reshape the input of shape {tuple(in_size)} into '
                                 f'{self.shape}')
            out[out.index(-1)] = length // rest
        elif math.prod(out) != length:
            raise ValueError(f'Cannot reshape the input of shape {tuple(in_size)} into '
                             f'{self.shape}')
        self.set_output_shape((None,) + tuple(out))

    def forward(self, ff, **shared_kwargs):
        ff = value_of(ff)
        return ff.reshape((ff.shape[0],) + tuple(self.output_shape[1:]))


class Flatten(Node):
    """Flatten each sample to one axis: ``(num_batch, d1, d2, ...)`` to ``(num_batch, d1*d2*...)``.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> f = bp.nn.Flatten(input_shape=(2, 3))
    >>> f.initialize(4)
    >>> f(bm.ones((4, 2, 3))).shape
    torch.Size([4, 6])
    """

    def __init__(self, trainable: bool = False, **kwargs):
        super().__init__(trainable=trainable, **kwargs)

    def init_ff_conn(self) -> None:
        self.set_output_shape((None, math.prod(self.feedforward_shapes[1:])))

    def forward(self, ff, **shared_kwargs):
        ff = value_of(ff)
        return ff.reshape(ff.shape[0], -1)


class Summation(Node):
    """The sum of all inputs (they must have one shape).

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> i, d, s = bp.nn.Input(2), bp.nn.Dense(2, weight_initializer=bp.init.ZeroInit()), bp.nn.Summation()
    >>> net = (i >> d >> s) & (i >> s)
    >>> net.initialize(1)
    >>> net(bm.ones((1, 2)))
    tensor([[1., 1.]], grad_fn=<AddBackward0>)
    """

    data_pass = MultipleData('sequence')

    def __init__(self, trainable: bool = False, **kwargs):
        super().__init__(trainable=trainable, **kwargs)

    def init_ff_conn(self) -> None:
        unique_shape, _ = check_shape_consistency(self.feedforward_shapes, None, True)
        self.set_output_shape(list(unique_shape))

    def forward(self, ff, **shared_kwargs):
        res = value_of(ff[0])
        for v in ff[1:]:
            res = res + value_of(v)
        return res
