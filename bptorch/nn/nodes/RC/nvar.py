"""Nonlinear vector autoregression (BrainPy 2.1.12's ``brainpy.nn.NVAR``).

The output at step :math:`t` is ``[1 (with constant), linear, nonlinear]``: the
linear part stacks the inputs :math:`x_t, x_{t-s}, \\dots, x_{t-(k-1)s}` (``delay``
:math:`k`, ``stride`` :math:`s`; zeros before the first steps), and the nonlinear
part holds every unique monomial of the linear features of each ``order``
(Gauthier et al., 2021).

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> nvar = bp.nn.NVAR(delay=2, order=2, input_shape=1)
>>> nvar.initialize(1)
>>> nvar.get_feature_names()
['x0(t)', 'x0(t-1)', 'x0(t)^2', 'x0(t) x0(t-1)', 'x0(t-1)^2']
>>> nvar(bm.array([[2.]]))
tensor([[2., 0., 4., 0., 0.]])
>>> nvar(bm.array([[3.]]))
tensor([[3., 2., 9., 6., 4.]])
"""

from __future__ import annotations

from itertools import combinations_with_replacement
from typing import Optional, Sequence, Union

import numpy as np
import torch

from bptorch.math import settings
from bptorch.math.variables import Variable
from bptorch.nn._checks import check_integer, check_sequence, check_shape_consistency
from bptorch.nn.base import RecurrentNode
from bptorch.nn.datatypes import MultipleData
from bptorch.nn.nodes._params import cat_last

__all__ = ['NVAR']


class NVAR(RecurrentNode):
    """Nonlinear vector auto-regression (NVAR) node, batched.

    The past inputs live in ``store`` (a ``bm.Variable`` of shape ``(num_delay,
    num_batch, num_input)``, a ring buffer with position ``idx``); the node has no
    ``state``.

    Parameters
    ----------
    delay : int
        The number of delayed inputs in the linear part (``>= 1``).
    order : int or sequence of int, optional
        The orders of the monomials (each ``>= 2``); none by default.
    stride : int
        The step between the delayed inputs (``>= 1``).
    constant : bool
        Put a constant 1 first.
    trainable : bool
        Default False.
    **kwargs
        ``name``, ``input_shape``.

    References
    ----------
    .. [1] Gauthier, D.J., Bollt, E., Griffith, A. et al. Next generation reservoir
           computing. Nat Commun 12, 5564 (2021). https://doi.org/10.1038/s41467-021-25801-2

    Examples
    --------
    >>> import bptorch as bp
    >>> nvar = bp.nn.NVAR(delay=2, order=(2, 3), constant=True, input_shape=3)
    >>> nvar.initialize(1)
    >>> nvar.output_shape
    (None, 84)
    """

    data_pass = MultipleData('sequence')

    def __init__(self, delay: int, order: Optional[Union[int, Sequence[int]]] = None,
                 stride: int = 1, constant: bool = False, trainable: bool = False, **kwargs):
        super().__init__(trainable=trainable, **kwargs)
        order = tuple() if order is None else order
        if not isinstance(order, (tuple, list)):
            order = (order,)
        check_sequence(order, 'order', allow_none=False)
        for o in order:
            check_integer(o, 'order', min_bound=2)
        check_integer(delay, 'delay', min_bound=1)
        check_integer(stride, 'stride', min_bound=1)
        if not isinstance(constant, bool):
            raise ValueError(f'constant must be an instance of boolean, but got {constant!r}.')
        self.order = tuple(order)
        self.delay = delay
        self.stride = stride
        self.constant = constant
        self.num_delay = 1 + (self.delay - 1) * self.stride
        self.comb_ids = []
        self.input_dim = None
        self.output_dim = None
        self.linear_dim = None
        self.nonlinear_dim = None
        self.idx = Variable(torch.zeros(1, dtype=settings.int_()))
        self.store = None

    def init_ff_conn(self) -> None:
        batch_size, free_size = check_shape_consistency(self.feedforward_shapes, -1, True)
        if batch_size != (None,):
            raise ValueError(f'NVAR takes (num_batch, num_feature) data, got the shapes '
                             f'{self.feedforward_shapes}')
        self.input_dim = sum(free_size)
        self.linear_dim = self.delay * self.input_dim
        self.comb_ids = [torch.as_tensor(np.array(list(combinations_with_replacement(
            range(self.linear_dim), order))), dtype=torch.int64) for order in self.order]
        self.nonlinear_dim = sum(len(ids) for ids in self.comb_ids)
        self.output_dim = int(self.linear_dim + self.nonlinear_dim) + int(self.constant)
        self.set_output_shape((None, self.output_dim))

    def init_state(self, num_batch: int = 1):
        state = torch.zeros((self.num_delay, num_batch, self.input_dim), dtype=settings.float_(),
                            device=settings.default_device())
        if self.store is None or tuple(self.store.shape) != tuple(state.shape):
            self.store = Variable(state)
        else:
            self.store.value = state
        self.idx.value = torch.zeros_like(self.idx.value)
        return None

    def forward(self, ff, fb=None, **shared_kwargs):
        ff = cat_last(ff)
        if ff.shape[0] != self.store.shape[1]:
            raise ValueError(f'The batch size of the input data {ff.shape[0]} is not equal to '
                             f'the batch size of the node ({self.store.shape[1]}); '
                             f'reinitialize it with ".initialize(num_batch)".')
        idx = self.idx.value[0]
        self.store[idx] = ff
        select = (idx - torch.arange(0, self.num_delay, self.stride, device=idx.device)) \
            % self.num_delay
        linear = self.store.value[select].movedim(0, 1)         # (num_batch, delay, num_feature)
        linear = linear.reshape(linear.shape[0], -1)
        parts = []
        if self.constant:
            parts.append(torch.ones((linear.shape[0], 1), dtype=linear.dtype,
                                    device=linear.device))
        parts.append(linear)
        for ids in self.comb_ids:
            parts.append(linear[:, ids.to(linear.device)].prod(dim=2))
        self.idx.value = (self.idx.value + 1) % self.num_delay
        return torch.cat(parts, dim=-1)

    def _names(self, current: str, delayed: str):
        if not self.is_initialized:
            raise ValueError('Please initialize the node first.')
        linear = [current.format(i=i) for i in range(self.input_dim)]
        for d in range(1, self.delay):
            linear.extend(delayed.format(i=i, d=d * self.stride) for i in range(self.input_dim))
        nonlinear = []
        for ids in self.comb_ids:
            for id_ in ids.tolist():
                uniques, counts = np.unique(id_, return_counts=True)
                nonlinear.append(' '.join(f'{linear[u]}^{c}' if c != 1 else linear[u]
                                          for u, c in zip(uniques, counts)))
        return linear, nonlinear

    def get_feature_names(self) -> list:
        """The names of the output features (``'x0(t)'``, ``'x0(t-1)'``, ``'x0(t)^2'``, ...)."""
        linear, nonlinear = self._names('x{i}(t)', 'x{i}(t-{d})')
        names = linear + nonlinear
        return ['1'] + names if self.constant else names

    def get_feature_names_for_plot(self) -> list:
        """The feature names in matplotlib's TeX (``'$x0_t$'``, ...)."""
        linear, nonlinear = self._names('x{i}_t', 'x{i}_{{t-{d}}}')
        names = [f'${n}$' for n in linear] + [f'${n}$' for n in nonlinear]
        return ['1'] + names if self.constant else names
