"""Helpers of ``bp.dyn`` (BrainPy 2.1.12's ``brainpy.dyn.utils``): ``size2len``,
``init_delay``, ``check_and_format_inputs`` and ``check_and_format_monitors``.

Examples
--------
>>> import bptorch as bp
>>> bp.dyn.size2len((2, 3))
6
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np
import torch

from bptorch.errors import RunningError
from bptorch.initialize import init_param
from bptorch.math.delayvars import LengthDelay
from bptorch.math.variables import Variable, as_tensor

__all__ = ['size2len', 'init_delay', 'check_and_format_inputs', 'check_and_format_monitors']

SUPPORTED_INPUT_OPS = ['-', '+', '*', '/', '=']
SUPPORTED_INPUT_TYPE = ['fix', 'iter', 'func']


def size2len(size: Any) -> int:
    """The number of elements of a size (an int or a sequence of ints).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.dyn.size2len(5), bp.dyn.size2len([2, 2])
    (5, 4)
    """
    if isinstance(size, int):
        return size
    if isinstance(size, (tuple, list)):
        a = 1
        for b in size:
            a *= b
        return a
    raise ValueError(f'size2len: expected an int or a sequence of ints, but we got {size!r}')


def init_delay(delay_step: Any, delay_target: Any, delay_data: Any = None) -> tuple:
    """A delay of ``delay_target`` for ``delay_step`` steps.

    Parameters
    ----------
    delay_step : int, integer tensor, callable or Initializer, optional
        One delay for all, or one per element.
    delay_target : tensor or Variable
        The data to delay.
    delay_data : optional
        The data before the first update (homogeneous delays).

    Returns
    -------
    (delay_type, delay_step, delays)
        ``'none'``, ``'homo'`` or ``'heter'``; the delay steps; a
        :class:`~bptorch.math.LengthDelay` (None without delay).

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> kind, steps, delay = bp.dyn.init_delay(3, bm.zeros(2))
    >>> kind, steps, delay.num_delay_step
    ('homo', 3, 4)
    """
    if delay_step is None:
        delay_type = 'none'
    elif isinstance(delay_step, numbers.Integral) and not isinstance(delay_step, bool):
        delay_type = 'homo'
        delay_step = int(delay_step)
    elif isinstance(delay_step, (torch.Tensor, np.ndarray, Variable)):
        delay_type = 'heter'
        delay_step = as_tensor(delay_step)
    elif callable(delay_step):
        delay_step = as_tensor(init_param(delay_step, tuple(delay_target.shape), allow_none=False))
        delay_type = 'heter'
    else:
        raise ValueError(f'Unknown "delay_steps" type {type(delay_step)}, only support integer, '
                         f'array of integers, callable function, brainpy.init.Initializer.')
    if delay_type == 'heter':
        if delay_step.dtype not in (torch.int32, torch.int64):
            raise ValueError('Only support delay steps of int32, int64. If your provide delay time '
                             'length, please divide the "dt" then provide us the number of delay '
                             'steps.')
        if delay_target.shape[0] != delay_step.shape[0]:
            raise ValueError(f'Shape is mismatched: {delay_target.shape[0]} != '
                             f'{delay_step.shape[0]}')
        if delay_step.numel() != delay_target.numel():
            raise ValueError(f'Heterogeneous delay must have a length of the delay target '
                             f'{tuple(delay_target.shape)}, while we got {tuple(delay_step.shape)}')
        delay_step = delay_step.to(device=delay_target.device)
        delays = LengthDelay(delay_target, int(delay_step.max()))
    elif delay_type == 'homo':
        delays = LengthDelay(delay_target, delay_step, initial_delay_data=delay_data)
    else:
        delays = None
    return delay_type, delay_step, delays


def check_and_format_inputs(host: Any, inputs: Any) -> list:
    """Check the inputs of a runner and format them as
    ``[(target, key, value, type, operation), ...]`` (BrainPy 2.1.12).

    Each input is ``(path, value[, type[, operation]])``: ``path`` names a variable by
    an absolute (``'E.input'``, the node's name) or relative (``'exc.input'``, the
    attribute path) access; ``type`` is ``'fix'``, ``'iter'`` or ``'func'``;
    ``operation`` is one of ``+ - * / =``.

    Examples
    --------
    >>> import bptorch as bp
    >>> net = bp.dyn.Network(exc=bp.dyn.LIF(2, name='Exc'))
    >>> [(t.name, k, v, ty, op) for t, k, v, ty, op in
    ...  bp.dyn.check_and_format_inputs(net, [('Exc.input', 1.), ('exc.V', 2., 'fix', '=')])]
    [('Exc', 'input', 1.0, 'fix', '+'), ('Exc', 'V', 2.0, 'fix', '=')]
    """
    if inputs is None:
        inputs = []
    if not isinstance(inputs, (tuple, list)):
        raise RunningError('"inputs" must be a tuple/list.')
    if len(inputs) > 0 and not isinstance(inputs[0], (list, tuple)):
        if isinstance(inputs[0], str):
            inputs = [inputs]
        else:
            raise RunningError('Unknown input structure, only support inputs with format of '
                               '"(target, value, [type, operation])".')
    for one_input in inputs:
        if not 2 <= len(one_input) <= 4:
            raise RunningError('For each target, you must specify '
                               '"(target, value, [type, operation])".')
        if len(one_input) >= 3 and one_input[2] not in SUPPORTED_INPUT_TYPE:
            raise RunningError(f'Input type only supports "{SUPPORTED_INPUT_TYPE}", '
                               f'not "{one_input[2]}".')
        if len(one_input) == 4 and one_input[3] not in SUPPORTED_INPUT_OPS:
            raise RunningError(f'Input operation only supports "{SUPPORTED_INPUT_OPS}", '
                               f'not "{one_input[3]}".')

    found, not_found = [], []
    nodes = host.nodes(method='absolute')
    nodes[host.name] = host
    for one_input in inputs:
        key = one_input[0]
        if not isinstance(key, str):
            raise RunningError(f'For each input, input[0] must be a string  to specify variable '
                               f'of the target, but we got {key}.')
        splits = key.split('.')
        target, attr = '.'.join(splits[:-1]), splits[-1]
        if target == '':
            real_target = host
        elif target not in nodes:
            not_found.append(one_input)
            continue
        else:
            real_target = nodes[target]
        if not hasattr(real_target, attr):
            raise RunningError(f'Input target key "{attr}" is not defined in {real_target}.')
        found.append((real_target, attr) + tuple(one_input[1:]))
    if not_found:
        nodes = host.nodes(method='relative')
        for one_input in not_found:
            splits = one_input[0].split('.')
            target, attr = '.'.join(splits[:-1]), splits[-1]
            if target not in nodes:
                raise RunningError(f'Input target "{target}" is not defined in {host}.')
            real_target = nodes[target]
            if not hasattr(real_target, attr):
                raise RunningError(f'Input target key "{attr}" is not defined in {real_target}.')
            found.append((real_target, attr) + tuple(one_input[1:]))

    formatted = []
    for one_input in found:
        value = one_input[2]
        data_type = one_input[3] if len(one_input) >= 4 else 'fix'
        if data_type == 'iter' and not isinstance(value, Iterable):
            raise ValueError(f'Input "{value}" for "{one_input[0]}.{one_input[1]}" is set to be '
                             f'"iter" type, however we got the value with the type of '
                             f'{type(value)}')
        if data_type == 'func' and not callable(value):
            raise ValueError(f'Input "{value}" for "{one_input[0]}.{one_input[1]}" is set to be '
                             f'"func" type, however we got the value with the type of '
                             f'{type(value)}')
        data_op = one_input[4] if len(one_input) == 5 else '+'
        formatted.append(one_input[:2] + (value, data_type, data_op))
    return formatted


def check_and_format_monitors(host: Any, mon: Any) -> list:
    """Find the target of every item of a monitor, as
    ``[(key, target, variable_name, indices, interval), ...]`` (BrainPy 2.1.12).

    A key ``'V'`` names an attribute of ``host``; ``'E.V'`` an attribute of the child
    reached through the attribute ``E`` of ``host``, or else of the node named ``E``
    (absolute access). An int index becomes a one-element index tensor.

    Examples
    --------
    >>> import bptorch as bp
    >>> net = bp.dyn.Network(exc=bp.dyn.LIF(2, name='MonExc'))
    >>> mon = bp.running.Monitor(['exc.V', ('MonExc.spike', 1)])
    >>> [(k, t.name, v, i) for k, t, v, i, _ in bp.dyn.check_and_format_monitors(net, mon)]
    [('exc.V', 'MonExc', 'V', None), ('MonExc.spike', 'MonExc', 'spike', tensor([1]))]
    >>> bp.dyn.check_and_format_monitors(net, bp.running.Monitor(['Z.V']))
    Traceback (most recent call last):
    ...
    bptorch.errors.RunningError: Cannot find target Z.V in monitor of Network(...), please check.
    """
    from bptorch.dyn.base import DynamicalSystem
    from bptorch.running.monitor import Monitor
    if not isinstance(host, DynamicalSystem):
        raise RunningError(f'"host" must be a DynamicalSystem, but we got {type(host)}')
    if not isinstance(mon, Monitor):
        raise RunningError(f'"mon" must be a Monitor, but we got {type(mon)}')
    name2node = None
    formatted = []
    for key, idx, interval in zip(mon.item_names, mon.item_indices, mon.item_intervals):
        splits = key.split('.')
        if len(splits) == 1:
            if not hasattr(host, splits[0]):
                raise RunningError(f'{host} does not has variable {key}.')
            target, variable = host, splits[-1]
        elif hasattr(host, splits[0]):
            target = host
            for s in splits[:-1]:
                try:
                    target = getattr(target, s)
                except (AttributeError, KeyError):
                    raise RunningError(f'Cannot find {key} in {host}, please check.') from None
            variable = splits[-1]
        else:
            if name2node is None:
                name2node = {node.name: node for node in host.nodes().unique().values()}
            if splits[0] not in name2node or len(splits) != 2:
                raise RunningError(f'Cannot find target {key} in monitor of {host}, please check.')
            target, variable = name2node[splits[0]], splits[-1]
        if isinstance(idx, int) and not isinstance(idx, bool):
            idx = torch.tensor([idx])
        if interval is not None and not isinstance(interval, float):
            raise RunningError(f'"interval" must be a float (denotes time), but we got {interval}')
        formatted.append((key, target, variable, idx, interval))
    return formatted
