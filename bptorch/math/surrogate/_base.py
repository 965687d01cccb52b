"""The mechanism shared by every surrogate spike function: :class:`Surrogate`.

A surrogate spike function's forward is the Heaviside step (``x >= 0`` gives 1,
so ``x == 0`` spikes, as in BrainPy 2.3.8) in the dtype of ``x``; its backward
multiplies the incoming gradient by :meth:`Surrogate.surrogate_grad`. With
``origin=True`` the forward is the smooth function whose derivative that is
(:meth:`Surrogate.surrogate_fun`); the backward is the same.

How
---
Eagerly, under ``torch.func`` transforms and ``bm.grad``/``bm.vmap`` it is one
``torch.autograd.Function`` (``setup_context`` style, ``generate_vmap_rule``, a
``jvp`` for forward mode). Its backward is written in differentiable torch ops, so
second derivatives (``bm.hessian``, ``grad`` of ``grad``) differentiate the surrogate
gradient. Inside ``torch.compile`` (``bm.jit``), torch 2.13 drops the custom
backward of an ``autograd.Function`` under ``torch.func.grad`` and silently returns the
gradient of the forward, i.e. zeros (pytorch/pytorch#193279); there the same
forward value is built as ``out + (x - x.detach()) * surrogate_grad(x.detach())``
(exactly ``out``, with derivative ``surrogate_grad(x)``), which every torch
transform differentiates correctly. Inside compiled code the second derivative of
a surrogate is therefore zero.

Parameters (``alpha``, ...) are constants: no gradient flows to them, as in BrainPy.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from bptorch import _compat
from bptorch.math import settings
from bptorch.math.variables import as_tensor

__all__ = ['Surrogate', 'heaviside_step']


def heaviside_step(x: Tensor) -> Tensor:
    """``1`` where ``x >= 0``, else ``0``, in the dtype of ``x`` (no gradient of its own).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.heaviside_step(torch.tensor([-1., 0., 2.]))
    tensor([0., 1., 1.])
    """
    return (x >= 0).to(x.dtype)


def _float_input(x: Any, api: str) -> Tensor:
    t = as_tensor(x)
    if t.is_complex():
        raise TypeError(f'{api}: x must be real, got a {t.dtype} array')
    if not t.is_floating_point():
        t = t.to(settings.float_())
    return t


class _Spike(torch.autograd.Function):
    """Forward ``sg.forward(x)``; backward ``grad * sg.surrogate_grad(x)``."""

    generate_vmap_rule = True

    @staticmethod
    def forward(x: Tensor, sg: 'Surrogate') -> Tensor:
        return sg.forward(x)

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, sg = inputs
        ctx.save_for_backward(x)
        ctx.save_for_forward(x)
        ctx.sg = sg

    @staticmethod
    def backward(ctx, grad: Tensor):
        (x,) = ctx.saved_tensors
        return grad * ctx.sg.surrogate_grad(x), None

    @staticmethod
    def jvp(ctx, x_t: Tensor, _):
        (x,) = ctx.saved_tensors
        return x_t * ctx.sg.surrogate_grad(x)


def _straight_through(out: Tensor, *pairs: tuple[Tensor, Tensor]) -> Tensor:
    """``out`` in value, with derivative ``dx`` with respect to ``x`` for each ``(x, dx)``."""
    res = out.detach()
    for x, dx in pairs:
        delta = x - x.detach()
        delta = torch.where(torch.isfinite(x), delta, torch.zeros_like(delta))
        res = res + delta * dx.detach()
    return res


class Surrogate:
    """Base class of spike functions with a surrogate gradient.

    Subclass it and define :meth:`surrogate_grad` (the derivative used in the
    backward pass); define :meth:`surrogate_fun` too if ``origin=True`` should
    work, and override :meth:`forward` for a forward other than the Heaviside step.
    Calling the object computes the spike of ``x``; it works under ``bm.grad``,
    ``bm.vmap``, ``bm.jit`` and ``torch.func`` transforms.

    Parameters
    ----------
    origin : bool
        If True, the forward is :meth:`surrogate_fun` (the smooth function)
        instead of the Heaviside step.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> class Triangle(bm.surrogate.Surrogate):
    ...     def __init__(self, width=1., origin=False):
    ...         super().__init__(origin)
    ...         self.width = width
    ...     def surrogate_grad(self, x):
    ...         return torch.relu(self.width - x.abs()) / self.width ** 2
    >>> spike = Triangle(width=2.)
    >>> x = torch.tensor([-1., 0., 3.], requires_grad=True)
    >>> s = spike(x); s
    tensor([0., 1., 1.], grad_fn=<_SpikeBackward>)
    >>> s.sum().backward(); x.grad
    tensor([0.2500, 0.5000, 0.0000])
    """

    def __init__(self, origin: bool = False):
        self.origin = bool(origin)

    def __call__(self, x: Any) -> Tensor:
        x = _float_input(x, type(self).__name__)
        if _compat.is_dynamo_compiling():
            xd = x.detach()
            return _straight_through(self.forward(xd), (x, self.surrogate_grad(xd)))
        return _Spike.apply(x, self)

    def forward(self, x: Tensor) -> Tensor:
        """The forward value: :meth:`surrogate_fun` if ``origin``, else the Heaviside step.

        Examples
        --------
        >>> import torch, bptorch.math as bm
        >>> bm.surrogate.Sigmoid().forward(torch.tensor([-0.5, 0.5]))
        tensor([0., 1.])
        """
        if self.origin:
            return self.surrogate_fun(x).to(x.dtype)
        return heaviside_step(x)

    def surrogate_fun(self, x: Tensor) -> Tensor:
        """The smooth function whose derivative is :meth:`surrogate_grad` (``origin=True``).

        Examples
        --------
        >>> import torch, bptorch.math as bm
        >>> bm.surrogate.Sigmoid(alpha=1.).surrogate_fun(torch.tensor([0.]))
        tensor([0.5000])
        """
        raise NotImplementedError(f'{type(self).__name__} defines no surrogate_fun, so '
                                  'origin=True is not available; define surrogate_fun(x)')

    def surrogate_grad(self, x: Tensor) -> Tensor:
        """The derivative used by the backward pass, at ``x`` (a tensor of ``x``'s shape).

        Examples
        --------
        >>> import torch, bptorch.math as bm
        >>> bm.surrogate.Sigmoid(alpha=4.).surrogate_grad(torch.tensor([0.]))
        tensor([1.])
        """
        raise NotImplementedError(f'{type(self).__name__} must define surrogate_grad(x)')

    def _params(self) -> str:
        return ', '.join(f'{k}={v!r}' for k, v in vars(self).items() if k != 'origin')

    def __repr__(self) -> str:
        params = self._params()
        extra = (', ' if params else '') + 'origin=True' if self.origin else ''
        return f'{type(self).__name__}({params}{extra})'
