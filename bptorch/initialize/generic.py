"""``init_param``: one parameter from an initializer, a function, an array or a number."""

from __future__ import annotations

from typing import Any, Callable, Union

import numpy as np
import torch

from bptorch.initialize.base import Initializer
from bptorch.math.variables import Variable, as_tensor

__all__ = ['init_param']


def _to_size(x: Any) -> tuple | None:
    """BrainPy's ``to_size``: a tuple, an int as a 1-tuple, None as None."""
    if isinstance(x, (tuple, list, torch.Size)):
        return tuple(x)
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return (int(x),)
    if x is None:
        return x
    raise ValueError(f'init_param: cannot make a size from {x!r}')


def init_param(param: Union[Callable, Initializer, torch.Tensor, np.ndarray, Variable, float, int,
                            bool, None],
               size: Any, allow_none: bool = True) -> Any:
    """Initialise a parameter of shape ``size`` (BrainPy's ``init_param``).

    - ``None``: returns None (a ``ValueError`` if ``allow_none`` is False);
    - a Python number: returned as it is;
    - an :class:`~bptorch.initialize.Initializer` or any callable ``f``: ``f(size)`` as a tensor;
    - a tensor, NumPy array or Variable: returned (as a tensor; a Variable as it is).

    An array must have shape ``()``, ``(1,)`` or ``size``, else a ``ValueError``.

    Examples
    --------
    >>> import torch, bptorch as bp
    >>> bp.init.init_param(bp.init.OneInit(2.), (2,))
    tensor([2., 2.])
    >>> bp.init.init_param(0.5, 10)
    0.5
    >>> bp.init.init_param(torch.zeros(3), 3)
    tensor([0., 0., 0.])
    >>> bp.init.init_param(None, 3) is None
    True
    """
    size = _to_size(size)
    if param is None:
        if allow_none:
            return None
        raise ValueError('Expect a parameter with type of float, array, Initializer, or Callable '
                         'function, but we got None.')
    if isinstance(param, (float, int, bool)):
        return param
    if isinstance(param, (Variable, torch.Tensor)):
        pass
    elif callable(param):
        param = as_tensor(param(size))
    elif isinstance(param, (np.ndarray, np.generic)):
        param = as_tensor(param)
    else:
        raise ValueError(f'Unknown param type {type(param)}: {param}')
    shape = tuple(param.shape)
    if shape != () and shape != (1,) and shape != size:
        raise ValueError(f'The shape of the parameters should be (), (1,) or {size}, but we got '
                         f'{shape}')
    return param
