"""Noise processes of BrainPy 2.1.12: the Ornstein-Uhlenbeck process.

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> bm.random.seed(0)
>>> ou = bp.dyn.OUProcess(1000, mean=1., sigma=0.5, tau=10.)
>>> for i in range(1000):
...     ou.update(i * 0.1, 0.1)
>>> abs(float(ou.x.mean()) - 1.) < 0.1
True
"""

from __future__ import annotations

from typing import Any

import torch

from bptorch.dyn._helpers import init_state, parameter
from bptorch.dyn.base import NeuGroup, time_args
from bptorch.integrators.sde import sdeint
from bptorch.math.variables import Variable

__all__ = ['OUProcess']


class OUProcess(NeuGroup):
    r"""The Ornstein-Uhlenbeck process.

    .. math::

        dx = \frac{\mu - x}{\tau} dt + \sigma dW

    Parameters
    ----------
    size : int or tuple of int
    mean, sigma, tau : float, tensor or initializer
        :math:`\mu` (0), :math:`\sigma` (1), :math:`\tau` (10).
    method : str
        The SDE method (``'euler'``).
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> ou = bp.dyn.OUProcess(3, mean=2.)
    >>> ou.x
    Variable(tensor([2., 2., 2.]))
    """

    def __init__(self, size: Any, mean: Any = 0., sigma: Any = 1., tau: Any = 10.,
                 method: str = 'euler', name: str | None = None):
        super().__init__(size=size, name=name)
        self.mean = parameter(mean, self.num)
        self.sigma = parameter(sigma, self.num)
        self.tau = parameter(tau, self.num)
        self.x = Variable(init_state(self.mean, (self.num,)))
        self.integral = sdeint(f=self.df, g=self.dg, method=method)

    def reset(self) -> None:
        self.x.value = init_state(self.mean, (self.num,)).to(self.x.device)

    def df(self, x, t):
        return (self.mean - x) / self.tau

    def dg(self, x, t):
        return self.sigma

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt, _ = time_args(t, dt, x)
        self.x.value = self.integral(self.x.value, t, dt)
