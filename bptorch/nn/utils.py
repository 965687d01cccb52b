"""Helpers of ``bp.nn`` (BrainPy 2.1.12's ``brainpy.nn.utils``).

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> bp.nn.tensor_sum([bm.ones(2), bm.ones(2)])
tensor([2., 2.])
>>> bp.nn.serialize_kwargs({'train': True, 'a': 1})
"{'a': 1, 'train': True}"
"""

from __future__ import annotations

import warnings
from typing import Any, Callable, Dict, Optional, Sequence, Union

import torch

from bptorch.initialize import init_param as _init_param
from bptorch.nn._checks import check_dict_data, is_tensor

__all__ = ['tensor_sum', 'init_param', 'check_data_batch_size', 'check_rnn_data_time_step',
           'serialize_kwargs']


def tensor_sum(values: Union[Sequence, Dict, torch.Tensor]) -> torch.Tensor:
    """The sum of a tensor sequence or of the values of a dict (a tensor as it is).

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> bp.nn.tensor_sum({'a': bm.ones(2), 'b': bm.ones(2)})
    tensor([2., 2.])
    """
    if is_tensor(values):
        return values
    if isinstance(values, dict):
        values = list(values.values())
    elif isinstance(values, (tuple, list)):
        values = list(values)
    else:
        raise ValueError('Unknown types of tensors.')
    res = values[0]
    for v in values[1:]:
        res = res + v
    return res


def init_param(param: Union[Callable, Any], size: Any):
    """Initialize a parameter.

    .. deprecated:: 2.1.2
       Use ``bp.init.init_param`` instead.

    Examples
    --------
    >>> import warnings, bptorch as bp
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter('ignore')
    ...     bp.nn.init_param(bp.init.ZeroInit(), (2,))
    tensor([0., 0.])
    """
    warnings.warn('Please use "brainpy.init.init_param" instead. "brainpy.nn.init_param" is '
                  'deprecated since version 2.1.2. ', DeprecationWarning, stacklevel=2)
    return _init_param(param, size)


def check_data_batch_size(data: Dict, num_batch: Optional[int] = None) -> int:
    """The common batch size (first axis) of a dict of tensors.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> bp.nn.check_data_batch_size({'a': bm.ones((4, 2)), 'b': bm.ones((4, 3))})
    4
    """
    batches = {val.shape[0] for val in data.values()}
    if len(batches) != 1:
        raise ValueError(f'Batch sizes are not consistent among the given data. Got {batches}. '
                         f'We expect only one batch size.')
    batch_size = batches.pop()
    if num_batch is not None and batch_size != num_batch:
        raise ValueError(f'Batch size is not consistent with the expected {batch_size} != '
                         f'{num_batch}')
    return batch_size


def check_rnn_data_time_step(data: Dict, num_step: Optional[int] = None) -> int:
    """The common number of time steps (second axis) of a dict of tensors.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> bp.nn.check_rnn_data_time_step({'a': bm.ones((4, 7, 2))})
    7
    """
    steps = {val.shape[1] for val in data.values()}
    if len(steps) != 1:
        raise ValueError(f'Time steps are not consistent among the given data. Got {steps}. We '
                         f'expect only one time step.')
    time_step = steps.pop()
    if num_step is not None and time_step != num_step:
        raise ValueError(f'Time step is not consistent with the expected {time_step} != '
                         f'{num_step}')
    return time_step


def serialize_kwargs(shared_kwargs: Optional[Dict]) -> str:
    """A key for ``shared_kwargs`` (a dict of str to numbers, bools, strings or None).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.nn.serialize_kwargs({'train': False})
    "{'train': False}"
    """
    shared_kwargs = {} if shared_kwargs is None else shared_kwargs
    check_dict_data(shared_kwargs, key_type=str,
                    val_type=(bool, float, int, complex, str, type(None)), name='shared_kwargs')
    return str({key: shared_kwargs[key] for key in sorted(shared_kwargs.keys())})
