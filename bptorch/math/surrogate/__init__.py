"""Spike functions with surrogate gradients: ``bm.surrogate`` (BrainPy 2.3.8's names).

The forward of each is the Heaviside step (``x >= 0`` gives 1, in ``x``'s dtype); the
backward uses a smooth surrogate derivative. Each exists as a class
(``bm.surrogate.Sigmoid(alpha=4.)``) and as a function (``bm.surrogate.sigmoid(x, alpha=4.)``);
subclass :class:`Surrogate` for a custom one. They work under ``bm.grad``,
``bm.vmap``, ``bm.jit`` and ``torch.func`` (see :mod:`bptorch.math.surrogate._base`).

Examples
--------
>>> import torch, bptorch.math as bm
>>> x = torch.tensor([-1., 0., 1.])
>>> bm.surrogate.sigmoid(x)
tensor([0., 1., 1.])
>>> bm.vector_grad(bm.surrogate.sigmoid)(x)
tensor([0.0707, 1.0000, 0.0707])
"""

from bptorch.math.surrogate._base import Surrogate, heaviside_step
from bptorch.math.surrogate._one_input import *  # noqa: F401,F403
from bptorch.math.surrogate._one_input import __all__ as _one_all
from bptorch.math.surrogate._two_inputs import inv_square_grad2, relu_grad2

__all__ = ['Surrogate', 'heaviside_step'] + list(_one_all) + ['inv_square_grad2', 'relu_grad2']
