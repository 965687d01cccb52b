"""Small helpers shared by the models of ``bp.dyn``: parameters, initial states, checks.

Examples
--------
>>> import bptorch as bp
>>> from bptorch.dyn._helpers import parameter, init_state
>>> parameter(2., (3,)), init_state(bp.init.OneInit(-65.), (2,))
(2.0, tensor([-65., -65.]))
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from bptorch.initialize import Initializer, init_param
from bptorch.math import settings
from bptorch.math.variables import Variable, as_tensor

__all__ = ['check_initializer', 'parameter', 'init_state', 'zeros_like_state']


def check_initializer(initializer: Any, name: str = '', allow_none: bool = False) -> None:
    """Refuse what is not an initializer, a callable or an array (BrainPy's check).

    Examples
    --------
    >>> from bptorch.dyn._helpers import check_initializer
    >>> check_initializer('zeros', 'V_initializer')
    Traceback (most recent call last):
    ...
    ValueError: V_initializer should be an instance of brainpy.init.Initializer, tensor or callable function. While we got <class 'str'>
    """
    if initializer is None:
        if allow_none:
            return
        raise ValueError(f'{name} must be an initializer, but we got None.')
    if callable(initializer) or isinstance(initializer, (Initializer, torch.Tensor, np.ndarray,
                                                         Variable)):
        return
    raise ValueError(f'{name} should be an instance of brainpy.init.Initializer, tensor or '
                     f'callable function. While we got {type(initializer)}')


def parameter(x: Any, shape: tuple, allow_none: bool = False) -> Any:
    """A model parameter: numbers stay numbers, initializers are called with ``shape``,
    arrays must have shape ``()``, ``(1,)`` or ``shape`` (BrainPy's ``init_param``);
    a Variable (a TrainVar to be trained) is kept as it is."""
    out = init_param(x, shape, allow_none=allow_none)
    if isinstance(out, torch.Tensor) and not out.is_floating_point() and out.dtype != torch.bool:
        out = out.to(settings.float_())
    return out


def init_state(initializer: Any, shape: tuple, dtype: torch.dtype | None = None) -> torch.Tensor:
    """The initial value of a state variable: ``initializer`` called with ``shape`` (or
    the given array, broadcast to ``shape``), as a new tensor of the default float."""
    value = init_param(initializer, shape, allow_none=False)
    value = as_tensor(value, dtype=dtype or settings.float_())
    return torch.broadcast_to(value, shape).clone()


def zeros_like_state(var: Variable) -> torch.Tensor:
    """Zeros of a Variable's shape, dtype and device."""
    return torch.zeros_like(var.value)
