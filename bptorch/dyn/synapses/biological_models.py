"""Biological (kinetic) synapse models of BrainPy 2.1.12: AMPA and GABAa.

Examples
--------
>>> import bptorch as bp
>>> pre, post = bp.dyn.LIF(1), bp.dyn.LIF(1, V_initializer=bp.init.OneInit(-60.))
>>> syn = bp.dyn.AMPA(pre, post, bp.conn.One2One())
>>> pre.spike.value[:] = True
>>> syn.update(0., 0.1); syn.spike_arrival_time
Variable(tensor([0.]))
"""

from __future__ import annotations

from typing import Any

import torch

from bptorch.dyn.base import NeuGroup, time_args
from bptorch.dyn.synapses._projection import SpikeProjection
from bptorch.dyn.synapses.abstract_models import _scalar, _zeros
from bptorch.integrators.ode import odeint
from bptorch.math import settings
from bptorch.math.variables import Variable

__all__ = ['AMPA', 'GABAa']


class AMPA(SpikeProjection):
    r"""AMPA synapse: a kinetic model of the fraction of open receptors.

    .. math::

        \frac{dg}{dt} =\alpha[T](1-g)-\beta g, \qquad I_{syn} = g_{max} g (V-E)

    where the transmitter concentration :math:`[T]` is ``T`` for ``T_duration`` ms
    after a (delayed) pre-synaptic spike, else 0; ``g`` has one value per pre neuron
    and ``post.input -= g_post * (post.V - E)``.

    Parameters
    ----------
    pre, post : NeuGroup
    conn : connector, tensor or dict
    conn_type : {'sparse', 'dense'}
    g_max : float, tensor or initializer
        The maximum conductance (0.42).
    delay_step : int, tensor or initializer, optional
    E, alpha, beta, T, T_duration : float
        Defaults 0, 0.98, 0.18, 0.5, 0.5.
    method : str
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> pre, post = bp.dyn.LIF(1), bp.dyn.LIF(1, V_initializer=bp.init.OneInit(-60.))
    >>> syn = bp.dyn.AMPA(pre, post, bp.conn.One2One())
    >>> pre.spike.value[:] = True
    >>> for i in range(10):
    ...     syn.update(i * 0.1, 0.1); pre.spike.value[:] = False
    >>> bool(syn.g > 0.1), bool(post.input > 0)
    (True, True)
    """

    def __init__(self, pre: NeuGroup, post: NeuGroup, conn: Any, conn_type: str = 'dense',
                 g_max: Any = 0.42, delay_step: Any = None, E: Any = 0., alpha: Any = 0.98,
                 beta: Any = 0.18, T: Any = 0.5, T_duration: Any = 0.5, method: str = 'exp_auto',
                 name: str | None = None):
        super().__init__(pre=pre, post=post, conn=conn, name=name)
        self.check_pre_attrs('spike')
        self.check_post_attrs('input', 'V')
        self.E = _scalar(E, 'E')
        self.alpha = _scalar(alpha, 'alpha')
        self.beta = _scalar(beta, 'beta')
        self.T = _scalar(T, 'T')
        self.T_duration = _scalar(T_duration, 'T_duration')
        self._init_weights(g_max, conn_type, 'ij')
        self.g = _zeros(self.pre.num)
        self.spike_arrival_time = Variable(torch.full(
            (self.pre.num,), -1e7, dtype=settings.float_(), device=settings.default_device()))
        self._init_delay(delay_step)
        self.integral = odeint(method=method, f=self.dg)

    def reset(self) -> None:
        self.g.value = torch.zeros_like(self.g.value)
        self.spike_arrival_time.value = torch.full_like(self.spike_arrival_time.value, -1e7)
        self._reset_delay()

    def dg(self, g, t, TT):
        return self.alpha * TT * (1 - g) - self.beta * g

    def update(self, t: Any, dt: Any = None) -> None:
        t, dt, _ = time_args(t, dt)
        pre_spike = self._pre_spike().reshape(-1)
        if pre_spike.dtype != torch.bool:
            pre_spike = pre_spike > 0
        arrival = torch.where(pre_spike, t, self.spike_arrival_time.value)
        self.spike_arrival_time.value = arrival
        TT = ((t - arrival) < self.T_duration).to(arrival.dtype) * self.T
        self.g.value = self.integral(self.g.value, t, TT, dt=dt)
        post_g = self._project(self.g.value)
        V = self.post.V.value.reshape(-1)
        self.post.input -= self._post_shaped(post_g * (V - self.E), self.post.input)


class GABAa(AMPA):
    r"""GABAa synapse: :class:`AMPA`'s kinetics with inhibitory defaults.

    Parameters
    ----------
    pre, post : NeuGroup
    conn : connector, tensor or dict
    conn_type : {'sparse', 'dense'}
    g_max : float, tensor or initializer
        The maximum conductance (0.04).
    delay_step : int, tensor or initializer, optional
    E, alpha, beta, T, T_duration : float
        Defaults -80, 0.53, 0.18, 1, 1.
    method : str
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> syn = bp.dyn.GABAa(bp.dyn.LIF(2), bp.dyn.LIF(2), bp.conn.All2All())
    >>> syn.E, syn.g_max
    (-80.0, 0.04)
    """

    def __init__(self, pre: NeuGroup, post: NeuGroup, conn: Any, conn_type: str = 'dense',
                 g_max: Any = 0.04, delay_step: Any = None, E: Any = -80., alpha: Any = 0.53,
                 beta: Any = 0.18, T: Any = 1., T_duration: Any = 1., method: str = 'exp_auto',
                 name: str | None = None):
        super().__init__(pre, post, conn, conn_type=conn_type, delay_step=delay_step,
                         g_max=g_max, E=E, alpha=alpha, beta=beta, T=T, T_duration=T_duration,
                         method=method, name=name)
