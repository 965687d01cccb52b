"""Dense (fully connected) nodes (BrainPy 2.1.12's ``brainpy.nn.Dense`` / ``DenseMD``).

``y = x @ Wff + b`` (plus ``fb @ Wfb`` with feedback), computed with
``torch.nn.functional.linear``. ``Wff`` has shape ``(num_input, num_unit)``, as
in BrainPy (the transpose of ``torch.nn.Linear.weight``).

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> d = bp.nn.Dense(2, input_shape=3, weight_initializer=bp.init.OneInit())
>>> d.initialize(1)
>>> d(bm.ones((1, 3)))
tensor([[3., 3.]], grad_fn=<AddmmBackward0>)
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence, Union

import torch
import torch.nn.functional as F

from bptorch.errors import MathError
from bptorch.initialize import Initializer, XavierNormal, ZeroInit
from bptorch.nn._checks import check_initializer, check_integer, check_shape_consistency, is_tensor
from bptorch.nn.base import Node
from bptorch.nn.datatypes import MultipleData
from bptorch.nn.nodes._params import assign, cat_last, make_param, value_of

__all__ = ['DenseMD', 'Dense']

Init = Union[Initializer, Callable, torch.Tensor]


def _linear(x: torch.Tensor, w: Any, b: Any = None) -> torch.Tensor:
    return F.linear(x, value_of(w).t(), value_of(b))


class DenseMD(Node):
    r"""A linear transformation over the last axis of inputs of any rank: :math:`y = x W + b`.

    Parameters
    ----------
    num_unit : int
        The number of output features.
    weight_initializer : Initializer, callable or tensor
        The weights (default ``XavierNormal()``).
    bias_initializer : Initializer, callable, tensor or None
        The bias (default ``ZeroInit()``; None: no bias).
    trainable : bool
        Whether the weights are ``bm.TrainVar`` s. Default True.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> d = bp.nn.DenseMD(4, input_shape=(5, 3))
    >>> d.initialize(2)
    >>> d(bm.ones((2, 5, 3))).shape
    torch.Size([2, 5, 4])
    """

    data_pass = MultipleData('sequence')

    def __init__(self, num_unit: int, weight_initializer: Init = XavierNormal(),
                 bias_initializer: Optional[Init] = ZeroInit(), trainable: bool = True,
                 **kwargs):
        super().__init__(trainable=trainable, **kwargs)
        check_integer(num_unit, 'num_unit', min_bound=1)
        self.num_unit = num_unit
        check_initializer(weight_initializer, 'weight_initializer')
        check_initializer(bias_initializer, 'bias_initializer', allow_none=True)
        self.weight_initializer = weight_initializer
        self.bias_initializer = bias_initializer
        self.Wff = None
        self.bias = None
        self.Wfb = None

    def init_ff_conn(self) -> None:
        other_size, free_shapes = check_shape_consistency(self.feedforward_shapes, -1, True)
        self.set_output_shape(other_size + (self.num_unit,))
        self.Wff = make_param(self.weight_initializer, (sum(free_shapes), self.num_unit),
                              self.trainable, allow_none=False)
        self.bias = make_param(self.bias_initializer, (self.num_unit,), self.trainable)

    def init_fb_conn(self) -> None:
        other_size, free_shapes = check_shape_consistency(self.feedback_shapes, -1, True)
        self.Wfb = make_param(self.weight_initializer, (sum(free_shapes), self.num_unit),
                              self.trainable, allow_none=False)

    def forward(self, ff, fb=None, **shared_kwargs):
        res = _linear(cat_last(ff), self.Wff, self.bias)
        if fb is not None:
            res = res + _linear(cat_last(fb), self.Wfb)
        return res


class Dense(DenseMD):
    r"""A linear transformation of 2-D inputs ``(num_batch, num_feature)``: :math:`y = x W + b`.

    It can be trained offline (``OfflineTrainer`` / ``RidgeTrainer``): the weights
    solve the fitting method on the collected inputs (a column of ones first for
    the bias, then the feedforward inputs, then the feedback inputs).

    Parameters
    ----------
    num_unit : int
        The number of output features.
    weight_initializer : Initializer, callable or tensor
        The weights (default ``XavierNormal()``).
    bias_initializer : Initializer, callable, tensor or None
        The bias (default ``ZeroInit()``; None: no bias).
    trainable : bool
        Whether the weights are ``bm.TrainVar`` s. Default True.

    Examples
    --------
    >>> import bptorch as bp
    >>> l = bp.nn.Dense(num_unit=100, input_shape=20, bias_initializer=None)
    >>> l.initialize(num_batch=1)
    >>> print(l.bias)
    None
    """

    data_pass = MultipleData('sequence')

    def __init__(self, num_unit: int, weight_initializer: Init = XavierNormal(),
                 bias_initializer: Optional[Init] = ZeroInit(), **kwargs):
        super().__init__(num_unit=num_unit, weight_initializer=weight_initializer,
                         bias_initializer=bias_initializer, **kwargs)
        self.set_output_shape((None, self.num_unit))

    def _check_2d(self, shapes) -> None:
        other_size, _ = check_shape_consistency(shapes, -1, True)
        if other_size != (None,):
            raise ValueError(f'{type(self).__name__} only support 2D inputs, while we got '
                             f'{len(other_size) + 1}-D shapes. For >2D inputs, you should use '
                             f'brainpy.nn.{DenseMD.__name__} instead. ')

    def init_ff_conn(self) -> None:
        self._check_2d(self.feedforward_shapes)
        super().init_ff_conn()

    def init_fb_conn(self) -> None:
        self._check_2d(self.feedback_shapes)
        super().init_fb_conn()

    def offline_fit(self, targets: torch.Tensor, ffs: Sequence[torch.Tensor],
                    fbs: Optional[Sequence[torch.Tensor]] = None, **shared_kwargs) -> None:
        """Solve the weights with ``self.offline_fit_by`` from collected data.

        Parameters
        ----------
        targets : tensor
            ``(num_sample, num_time, num_unit)``.
        ffs : tensor or sequence of tensors
            The feedforward inputs, ``(num_sample, num_time, num_feature)`` each.
        fbs : tensor or sequence of tensors, optional
            The feedback inputs, of the same form.
        """
        ffs = cat_last(ffs)
        if not is_tensor(targets):
            raise MathError(f'"targets" must be a tensor, but got {type(targets).__name__}')
        targets = value_of(targets)
        if ffs.ndim != 3:
            raise ValueError(f'"ffs" must be a 3D tensor with shape of (num_sample, num_time, '
                             f'num_feature), but we got {tuple(ffs.shape)}')
        if targets.ndim != 3:
            raise ValueError(f'"targets" must be a 3D tensor with shape of (num_sample, '
                             f'num_time, num_feature), but we got {tuple(targets.shape)}')
        if ffs.shape[0] != targets.shape[0]:
            raise ValueError(f'Batch size of the input and target data should be the same, '
                             f'while we got {ffs.shape[0]} != {targets.shape[0]}.')
        if ffs.shape[1] != targets.shape[1]:
            raise MathError(f'The time dimension of input and target data should be the same, '
                            f'while we got {ffs.shape[1]} != {targets.shape[1]}')
        if fbs is not None:
            fbs = cat_last(fbs)
            if fbs.ndim != 3:
                raise ValueError(f'"fbs" must be a 3D tensor with shape of (num_sample, '
                                 f'num_time, num_feature), but we got {tuple(fbs.shape)}')
            if tuple(fbs.shape[:2]) != tuple(ffs.shape[:2]):
                raise ValueError(f'The batch size and time steps of the feedforward and the '
                                 f'feedback inputs should be the same, while we got '
                                 f'{tuple(ffs.shape[:2])} != {tuple(fbs.shape[:2])}.')
        num_ff = ffs.shape[2]
        parts = [ffs]
        if self.bias is not None:
            parts.insert(0, torch.ones(ffs.shape[:2] + (1,), dtype=ffs.dtype, device=ffs.device))
        if fbs is not None:
            parts.append(fbs.to(ffs.dtype))
        inputs = torch.cat(parts, dim=-1)
        weights = value_of(self.offline_fit_by(targets, inputs))
        start = 0
        if self.bias is not None:
            assign(self, 'bias', weights[0])
            start = 1
        assign(self, 'Wff', weights[start:start + num_ff])
        if fbs is not None:
            assign(self, 'Wfb', weights[start + num_ff:])
