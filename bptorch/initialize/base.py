"""Base classes of initializers (BrainPy 2.1.12's ``brainpy.initialize.base``).

An initializer is called with a shape (and optionally a dtype) and returns a new
tensor: ``bp.init.Normal(scale=0.1)((3, 4))``. Tensors go on
:func:`bptorch.math.settings.default_device`; the dtype defaults to the default float.
"""

from __future__ import annotations

import abc
import math
from typing import Any, Sequence, Union

import numpy as np
import torch

from bptorch.math import settings
from bptorch.math.ops import _dt

__all__ = ['Initializer', 'InterLayerInitializer', 'IntraLayerInitializer']

Shape = Union[int, Sequence[Union[int, Sequence[int]]]]


class Initializer(abc.ABC):
    """Base class of every initializer: ``init(shape, dtype=None)`` returns a tensor.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> class Twos(bp.init.Initializer):
    ...     def __call__(self, shape, dtype=None):
    ...         return 2 * bm.ones(shape, dtype=dtype)
    >>> Twos()((2,))
    tensor([2., 2.])
    >>> Twos()
    Twos
    """

    @abc.abstractmethod
    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.__class__.__name__


class InterLayerInitializer(Initializer):
    """Base class of initializers of the weights between two layers (shape: the weight's).

    Examples
    --------
    >>> import bptorch as bp
    >>> isinstance(bp.init.Normal(), bp.init.InterLayerInitializer)
    True
    """


class IntraLayerInitializer(Initializer):
    """Base class of initializers of the weights within one layer (shape: the layer's).

    Examples
    --------
    >>> import bptorch as bp
    >>> isinstance(bp.init.GaussianDecay(sigma=1., max_w=1.), bp.init.IntraLayerInitializer)
    True
    """


def _size2num(d: Any, api: str) -> int:
    """One entry of a shape: an int, or a sequence of ints (their product), as BrainPy's ``size2num``."""
    if isinstance(d, (int, np.integer)) and not isinstance(d, bool):
        n = int(d)
    elif isinstance(d, (tuple, list)):
        n = math.prod(_size2num(e, api) for e in d)
    else:
        raise ValueError(f'{api}: a shape must hold ints (or tuples of ints), got {d!r}')
    if n < 0:
        raise ValueError(f'{api}: a shape must not hold negative sizes, got {d!r}')
    return n


def weight_shape(shape: Shape, api: str) -> tuple[int, ...]:
    """``shape`` (an int or a sequence whose entries are ints or tuples of ints) as a tuple."""
    if isinstance(shape, torch.Size):
        shape = tuple(shape)
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        return (_size2num(shape, api),)
    if not isinstance(shape, (tuple, list)):
        raise ValueError(f'{api}: shape must be an int or a tuple/list of ints, got {shape!r}')
    return tuple(_size2num(d, api) for d in shape)


def float_dtype(dtype: Any) -> torch.dtype:
    """A ``dtype=`` argument as a torch dtype; None is the default float."""
    return _dt(dtype) or settings.float_()
