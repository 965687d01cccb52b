"""The linear readout (BrainPy 2.1.12's ``brainpy.nn.LinearReadout``).

A :class:`~bptorch.nn.Dense` node that keeps its last output as its ``state`` and
can be trained online (``OnlineTrainer`` / ``ForceTrainer``) as well as offline.

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> o = bp.nn.LinearReadout(2, input_shape=3)
>>> o.initialize(1)
>>> y = o(bm.ones((1, 3)))
>>> bool((o.state.value == y).all())
True
"""

from __future__ import annotations

import torch

from bptorch.errors import MathError
from bptorch.nn._checks import check_shape_consistency, is_tensor
from bptorch.nn.datatypes import MultipleData
from bptorch.nn.nodes._params import cat_last, value_of
from bptorch.nn.nodes.base.dense import Dense

__all__ = ['LinearReadout']


class LinearReadout(Dense):
    """A linear readout with a state (its last output).

    Online training solves, at each step, for the update ``dW`` of the stacked
    weights ``[bias; Wff; Wfb]`` from the inputs ``[1, ff, fb]``, the output and
    the target, with ``self.online_fit_by`` (e.g. RLS).

    Parameters
    ----------
    num_unit : int
        The number of output features.
    **kwargs
        ``weight_initializer``, ``bias_initializer``, ``trainable`` (default True),
        ``name``, ``input_shape``.

    Examples
    --------
    >>> import bptorch as bp
    >>> o = bp.nn.LinearReadout(3, input_shape=5, bias_initializer=None)
    >>> o.initialize(2)
    >>> o.state.shape
    torch.Size([2, 3])
    """

    data_pass = MultipleData('sequence')

    def __init__(self, num_unit: int, **kwargs):
        super().__init__(num_unit=num_unit, **kwargs)

    def init_state(self, num_batch: int = 1):
        from bptorch.math import settings
        return torch.zeros((num_batch,) + tuple(self.output_shape[1:]), dtype=settings.float_(),
                           device=settings.default_device())

    def forward(self, ff, fb=None, **shared_kwargs):
        h = super().forward(ff, fb=fb, **shared_kwargs)
        self.state.value = h
        return h

    def online_init(self) -> None:
        _, free_shapes = check_shape_consistency(self.feedforward_shapes, -1, True)
        num_input = sum(free_shapes)
        if self.bias is not None:
            num_input += 1
        if self.feedback_shapes is not None:
            _, free_shapes = check_shape_consistency(self.feedback_shapes, -1, True)
            num_input += sum(free_shapes)
        self.online_fit_by.initialize(feature_in=num_input, feature_out=self.num_unit,
                                      name=self.name)

    def online_fit(self, target, ff, fb=None) -> None:
        """One online update from the ``target`` of the current step.

        Parameters
        ----------
        target : tensor
            ``(num_batch, num_unit)``.
        ff : tensor or sequence of tensors
            The feedforward inputs of the step, ``(num_batch, num_feature)``.
        fb : tensor or sequence of tensors, optional
            The feedback inputs of the step.
        """
        if not is_tensor(target):
            raise MathError(f'"target" must be a tensor, but got {type(target).__name__}')
        target = value_of(target)
        ff = cat_last(ff)
        if ff.ndim != 2:
            raise ValueError(f'"ff" must be a 2D tensor with shape of (num_sample, num_feature), '
                             f'but we got {tuple(ff.shape)}')
        if target.ndim != 2:
            raise ValueError(f'"target" must be a 2D tensor with shape of (num_sample, '
                             f'num_feature), but we got {tuple(target.shape)}')
        if ff.shape[0] != target.shape[0]:
            raise ValueError(f'Batch size of the input and target data should be the same, '
                             f'while we got {ff.shape[0]} != {target.shape[0]}.')
        if target.shape[1] != self.state.shape[1]:
            raise MathError(f'The output dimension of output and target data should be the '
                            f'same, while we got {target.shape[1]} != {self.state.shape[1]}')
        parts = [ff]
        if fb is not None:
            fb = cat_last(fb)
            if fb.ndim != 2:
                raise ValueError(f'"fb" must be a 2D tensor with shape of (num_sample, '
                                 f'num_feature), but we got {tuple(fb.shape)}')
            if ff.shape[0] != fb.shape[0]:
                raise ValueError(f'Batch size of the feedforward and the feedback inputs should '
                                 f'be the same, while we got {ff.shape[0]} != {fb.shape[0]}.')
            parts.append(fb.to(ff.dtype))
        if self.bias is not None:
            parts.insert(0, torch.ones((ff.shape[0], 1), dtype=ff.dtype, device=ff.device))
        inputs = torch.cat(parts, dim=-1)
        dw = value_of(self.online_fit_by.call(target=target, input=inputs,
                                              output=self.state.value, name=self.name))
        num_ff = ff.shape[1]
        start = 0
        if self.bias is not None:
            self._add('bias', dw[0])
            start = 1
        self._add('Wff', dw[start:start + num_ff])
        if fb is not None:
            self._add('Wfb', dw[start + num_ff:])

    def _add(self, attr: str, delta: torch.Tensor) -> None:
        w = getattr(self, attr)
        if hasattr(w, 'value'):
            w.value = w.value + delta.to(w.dtype)
        else:
            setattr(self, attr, w + delta.to(w.dtype))
