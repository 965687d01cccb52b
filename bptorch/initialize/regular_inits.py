"""Deterministic initializers (BrainPy 2.1.12's ``regular_inits``): zeros, a constant, identity."""

from __future__ import annotations

from typing import Any

import torch

from bptorch.initialize.base import InterLayerInitializer, Shape, float_dtype, weight_shape
from bptorch.math import settings
from bptorch.math.variables import as_tensor

__all__ = ['ZeroInit', 'OneInit', 'Identity']


class ZeroInit(InterLayerInitializer):
    """Zeros of the given shape.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.init.ZeroInit()((2, 3)).sum()
    tensor(0.)
    """

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        return torch.zeros(weight_shape(shape, 'ZeroInit'), dtype=float_dtype(dtype),
                           device=settings.default_device())


class OneInit(InterLayerInitializer):
    """``value`` everywhere (``ones(shape) * value``; ``value`` may be an array that broadcasts).

    Parameters
    ----------
    value : float, int or array
        The value (default 1).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.init.OneInit(value=0.5)((2,))
    tensor([0.5000, 0.5000])
    >>> bp.init.OneInit(2.)
    OneInit(value=2.0)
    """

    def __init__(self, value: Any = 1.):
        super().__init__()
        self.value = value

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        ones = torch.ones(weight_shape(shape, 'OneInit'), dtype=float_dtype(dtype),
                          device=settings.default_device())
        if isinstance(self.value, (int, float)):
            return ones * self.value
        return ones * as_tensor(self.value, device=ones.device)

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(value={self.value})'


class Identity(InterLayerInitializer):
    """The identity matrix times ``value`` (Le et al., 2015): ``n`` gives ``eye(n)``,
    ``(n, m)`` gives ``eye(n, m)``.

    Parameters
    ----------
    value : float
        The scaling factor (default 1).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.init.Identity(value=2.)((2, 3))
    tensor([[2., 0., 0.],
            [0., 2., 0.]])
    """

    def __init__(self, value: Any = 1.):
        super().__init__()
        self.value = value

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        if isinstance(shape, (tuple, list, torch.Size)) and not 1 <= len(shape) <= 2:
            raise ValueError(f'Identity: only 2D weights (a shape of one or two sizes) are '
                             f'supported, got {tuple(shape)}')
        dims = weight_shape(shape, 'Identity')
        eye = torch.eye(*dims, dtype=float_dtype(dtype), device=settings.default_device())
        if isinstance(self.value, (int, float)):
            return eye * self.value
        return eye * as_tensor(self.value, device=eye.device)

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(value={self.value})'
