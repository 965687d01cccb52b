"""Couplings between rate populations (BrainPy 2.1.12): delayed diffusive and additive
couplings through a connection matrix.

``conn_mat[i, j]`` couples population ``i`` (pre) to ``j`` (post). Delays
(``delay_steps``) are one number of steps, or a matrix of them; as in BrainPy 2.1.12,
the delay of the coupling from ``i`` to ``j`` is ``delay_steps[j, i]`` (rows are the
receiving populations), which needs as many pre as post populations.

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> areas = bp.dyn.rates.FHN(3, name='Areas')
>>> coupling = bp.dyn.rates.DiffusiveCoupling(areas.x, areas.x, areas.input,
...                                           conn_mat=bm.ones((3, 3)) * 0.1, delay_steps=2)
>>> net = bp.dyn.Network(coupling, areas)
>>> for i in range(10):
...     net.update(i * 0.1, 0.1)
>>> areas.x.shape
torch.Size([3])
"""

from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np
import torch

from bptorch.dyn.base import DynamicalSystem
from bptorch.math.variables import Variable, as_tensor

__all__ = ['DelayCoupling', 'DiffusiveCoupling', 'AdditiveCoupling']


class DelayCoupling(DynamicalSystem):
    """Base class of delayed couplings.

    Parameters
    ----------
    delay_var : Variable
        The variable whose history is kept.
    target_var : Variable or sequence of Variable
        The variables the coupling is added to.
    conn_mat : tensor
        The connection matrix, of shape ``required_shape``.
    required_shape : tuple of int
        ``(pre, post)``.
    delay_steps : int, integer tensor or callable, optional
        One delay (in steps) for all, or a matrix of delays.
    initial_delay_data : number, tensor or callable, optional
        The history before the start.
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> v = bm.Variable(bm.zeros(2))
    >>> c = bp.dyn.rates.DelayCoupling(v, v, bm.ones((2, 2)), (2, 2), delay_steps=3)
    >>> c.delay_type
    'int'
    """

    def __init__(self, delay_var: Variable, target_var: Any, conn_mat: Any,
                 required_shape: Sequence[int], delay_steps: Any = None,
                 initial_delay_data: Any = None, name: str | None = None):
        super().__init__(name=name)
        if not isinstance(delay_var, Variable):
            raise ValueError(f'"delay_var" must be an instance of brainpy.math.Variable. '
                             f'But we got {type(delay_var)}')
        self.delay_var = delay_var
        if isinstance(target_var, Variable):
            target_var = [target_var]
        if not isinstance(target_var, (list, tuple)) or not all(isinstance(v, Variable)
                                                                 for v in target_var):
            raise ValueError(f'"target_var" must be a bm.Variable or a sequence of them, '
                             f'but we got {target_var!r}')
        self.output_var = list(target_var)
        self.conn_mat = as_tensor(conn_mat, device=delay_var.device)
        required_shape = tuple(required_shape)
        if tuple(self.conn_mat.shape) != required_shape:
            raise ValueError(f'we expect the structural connection matrix has the shape of '
                             f'(pre.num, post.num), i.e., {required_shape}, while we got '
                             f'{tuple(self.conn_mat.shape)}.')
        if delay_steps is None:
            self.delay_steps = None
            self.delay_type = 'none'
            num_delay_step = 0
        elif isinstance(delay_steps, numbers.Integral) and not isinstance(delay_steps, bool):
            if delay_steps < 0:
                raise ValueError(f'"delay_steps" must be >= 0, but we got {delay_steps}')
            self.delay_steps = int(delay_steps)
            num_delay_step = int(delay_steps)
            self.delay_type = 'int'
        else:
            arrays = (torch.Tensor, np.ndarray, Variable)
            if callable(delay_steps) and not isinstance(delay_steps, arrays):
                delay_steps = delay_steps(required_shape)
            elif not isinstance(delay_steps, arrays):
                raise ValueError(f'Unknown type of delay steps: {type(delay_steps)}')
            delay_steps = as_tensor(delay_steps, device=delay_var.device)
            if delay_steps.is_floating_point() or delay_steps.is_complex() \
                    or delay_steps.dtype == torch.bool:
                raise ValueError(f'"delay_steps" must be integer typed. '
                                 f'But we got {delay_steps.dtype}')
            if tuple(delay_steps.shape) != required_shape:
                raise ValueError(f'we expect the delay matrix has the shape of {required_shape}. '
                                 f'While we got {tuple(delay_steps.shape)}.')
            self.delay_steps = delay_steps.to(torch.int64)
            self.delay_type = 'array'
            num_delay_step = int(self.delay_steps.max())
        self._delay_name = f'delay_{id(delay_var)}'
        if self.delay_type != 'none':
            self.register_delay(self._delay_name, delay_step=num_delay_step,
                                delay_target=delay_var, initial_delay_data=initial_delay_data)

    def _delay(self):
        delay = self.global_delay_vars.get(self._delay_name)
        return delay if delay is not None else self.local_delay_vars[self._delay_name]

    def _delayed_matrix(self, size: int) -> torch.Tensor:
        """``out[j, i]``: ``delay_var[i]`` ``delay_steps[j, i]`` steps ago (``j < size``)."""
        steps = self.delay_steps[:size]
        columns = torch.arange(steps.shape[1], device=steps.device)
        return self._delay()(steps, columns)

    def _output(self, value: torch.Tensor) -> None:
        for target in self.output_var:
            target.value = target.value + value

    def _record(self) -> None:
        if self.delay_type != 'none':
            self.update_delay(self._delay_name, self.delay_var.value)

    def reset(self) -> None:
        if self.delay_steps is not None:
            self.reset_delay(self._delay_name, self.delay_var)


class DiffusiveCoupling(DelayCoupling):
    """Diffusive coupling: ``target += sum_i conn_mat[i, j] * (delayed var1[i] - var2[j])``.

    Parameters
    ----------
    coupling_var1 : Variable
        The delayed variable (1-d).
    coupling_var2 : Variable
        The other variable (1-d).
    target_var : Variable or sequence of Variable
    conn_mat : tensor
        Shape ``(var1.size, var2.size)``.
    delay_steps : int, integer tensor or callable, optional
    initial_delay_data : number, tensor or callable, optional
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> x, out = bm.Variable(bm.asarray([0., 1.])), bm.Variable(bm.zeros(2))
    >>> c = bp.dyn.rates.DiffusiveCoupling(x, x, out, conn_mat=bm.ones((2, 2)))
    >>> c.update(0., 0.1); out
    Variable(tensor([ 1., -1.]))
    """

    def __init__(self, coupling_var1: Variable, coupling_var2: Variable, target_var: Any,
                 conn_mat: Any, delay_steps: Any = None, initial_delay_data: Any = None,
                 name: str | None = None):
        for n, v in (('coupling_var1', coupling_var1), ('coupling_var2', coupling_var2)):
            if not isinstance(v, Variable):
                raise ValueError(f'"{n}" must be an instance of brainpy.math.Variable. '
                                 f'But we got {type(v)}')
            if v.ndim != 1:
                raise ValueError(f'Only support 1d vector of coupling variable. '
                                 f'But we got {v.ndim}')
        super().__init__(delay_var=coupling_var1, target_var=target_var, conn_mat=conn_mat,
                         required_shape=(coupling_var1.numel(), coupling_var2.numel()),
                         delay_steps=delay_steps, initial_delay_data=initial_delay_data, name=name)
        self.coupling_var1 = coupling_var1
        self.coupling_var2 = coupling_var2

    def update(self, t: Any = None, dt: Any = None) -> None:
        x2 = self.coupling_var2.value
        if self.delay_type == 'none':
            diffusive = (self.conn_mat * (self.coupling_var1.value.unsqueeze(1) - x2)).sum(0)
        elif self.delay_type == 'array':
            delays = self._delayed_matrix(x2.shape[0])             # (post, pre)
            diffusive = (self.conn_mat * (delays.T - x2)).sum(0)
        else:
            delayed = self._delay()(self.delay_steps)
            diffusive = (self.conn_mat * (delayed.unsqueeze(1) - x2)).sum(0)
        self._output(diffusive)
        self._record()


class AdditiveCoupling(DelayCoupling):
    """Additive coupling: ``target += sum_i conn_mat[i, j] * delayed var[i]``.

    Parameters
    ----------
    coupling_var : Variable
        The delayed variable (1-d).
    target_var : Variable or sequence of Variable
    conn_mat : tensor
        Shape ``(var.size, var.size)``.
    delay_steps : int, integer tensor or callable, optional
    initial_delay_data : number, tensor or callable, optional
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> x, out = bm.Variable(bm.asarray([1., 2.])), bm.Variable(bm.zeros(2))
    >>> c = bp.dyn.rates.AdditiveCoupling(x, out, conn_mat=bm.asarray([[0., 1.], [1., 0.]]))
    >>> c.update(0., 0.1); out
    Variable(tensor([2., 1.]))
    """

    def __init__(self, coupling_var: Variable, target_var: Any, conn_mat: Any,
                 delay_steps: Any = None, initial_delay_data: Any = None, name: str | None = None):
        if not isinstance(coupling_var, Variable):
            raise ValueError(f'"coupling_var" must be an instance of brainpy.math.Variable. '
                             f'But we got {type(coupling_var)}')
        if coupling_var.ndim != 1:
            raise ValueError(f'Only support 1d vector of coupling variable. '
                             f'But we got {coupling_var.ndim}')
        super().__init__(delay_var=coupling_var, target_var=target_var, conn_mat=conn_mat,
                         required_shape=(coupling_var.numel(), coupling_var.numel()),
                         delay_steps=delay_steps, initial_delay_data=initial_delay_data, name=name)
        self.coupling_var = coupling_var

    def update(self, t: Any = None, dt: Any = None) -> None:
        x = self.coupling_var.value
        if self.delay_type == 'none':
            additive = x.to(self.conn_mat.dtype) @ self.conn_mat
        elif self.delay_type == 'array':
            delays = self._delayed_matrix(x.shape[0])             # (post, pre)
            additive = (self.conn_mat * delays.T).sum(0)
        else:
            additive = self._delay()(self.delay_steps).to(self.conn_mat.dtype) @ self.conn_mat
        self._output(additive)
        self._record()
