r"""Spike functions of two inputs with surrogate gradients (BrainPy 2.3.8's ``two_inputs``).

``f(x_new, x_old)`` spikes where the input crosses zero upwards: the forward is
:math:`[x_{new} \ge 0] \cdot [x_{old} < 0]` (in the dtype of ``x_new``); the backward gives
``x_new`` the gradient :math:`g'(x_{new})[x_{old} < 0]` and ``x_old`` the gradient
:math:`-g'(x_{old})[x_{new} \ge 0]`, as in BrainPy 2.3.8.
"""

from __future__ import annotations

from typing import Any, Callable

import torch
from torch import Tensor

from bptorch import _compat
from bptorch.math.surrogate._base import _float_input, _straight_through

__all__ = ['inv_square_grad2', 'relu_grad2']


class _Spike2(torch.autograd.Function):
    generate_vmap_rule = True

    @staticmethod
    def forward(x_new: Tensor, x_old: Tensor, g: Callable) -> Tensor:
        return ((x_new >= 0) & (x_old < 0)).to(x_new.dtype)

    @staticmethod
    def setup_context(ctx, inputs, output):
        x_new, x_old, g = inputs
        ctx.save_for_backward(x_new, x_old)
        ctx.save_for_forward(x_new, x_old)
        ctx.g = g

    @staticmethod
    def _partials(ctx):
        x_new, x_old = ctx.saved_tensors
        d_new = ctx.g(x_new) * (x_old < 0).to(x_new.dtype)
        d_old = -ctx.g(x_old) * (x_new >= 0).to(x_old.dtype)
        return d_new, d_old

    @staticmethod
    def backward(ctx, grad: Tensor):
        d_new, d_old = _Spike2._partials(ctx)
        return grad * d_new, grad * d_old, None

    @staticmethod
    def jvp(ctx, t_new: Tensor, t_old: Tensor, _):
        d_new, d_old = _Spike2._partials(ctx)
        return t_new * d_new + t_old * d_old


def _spike2(x_new: Any, x_old: Any, g: Callable, api: str) -> Tensor:
    x_new, x_old = _float_input(x_new, api), _float_input(x_old, api)
    if _compat.is_dynamo_compiling():  # see bptorch.math.surrogate._base
        xn, xo = x_new.detach(), x_old.detach()
        out = ((xn >= 0) & (xo < 0)).to(xn.dtype)
        d_new = g(xn) * (xo < 0).to(xn.dtype)
        d_old = -g(xo) * (xn >= 0).to(xo.dtype)
        return _straight_through(out, (x_new, d_new), (x_old, d_old))
    return _Spike2.apply(x_new, x_old, g)


def inv_square_grad2(x_new: Any, x_old: Any, alpha: float = 100.) -> Tensor:
    r"""Upward zero crossing with the inverse-square surrogate :math:`g'(x) = (\alpha|x| + 1)^{-2}`.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> x_new = torch.tensor([0.5, 0.5, -0.5], requires_grad=True)
    >>> x_old = torch.tensor([-0.5, 0.5, -0.5], requires_grad=True)
    >>> s = bm.surrogate.inv_square_grad2(x_new, x_old, alpha=2.)
    >>> s.detach()
    tensor([1., 0., 0.])
    >>> s.sum().backward(); x_new.grad, x_old.grad
    (tensor([0.2500, 0.0000, 0.2500]), tensor([-0.2500, -0.2500, -0.0000]))
    """
    return _spike2(x_new, x_old, lambda x: 1. / torch.square(alpha * torch.abs(x) + 1.),
                   'inv_square_grad2')


def relu_grad2(x_new: Any, x_old: Any, alpha: float = .3, width: float = 1.) -> Tensor:
    r"""Upward zero crossing with the ReLU surrogate :math:`g'(x) = \alpha\max(w - |x|, 0)`.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> x_new = torch.tensor([0.5], requires_grad=True)
    >>> bm.surrogate.relu_grad2(x_new, torch.tensor([-0.5])).sum().backward(); x_new.grad
    tensor([0.1500])
    """
    return _spike2(x_new, x_old, lambda x: torch.relu(width - torch.abs(x)) * alpha, 'relu_grad2')
