"""Synaptic plasticity of BrainPy 2.1.12: short-term plasticity (``STP``).

(BrainPy 2.1.12 has no STDP model.)

Examples
--------
>>> import bptorch as bp
>>> pre, post = bp.dyn.LIF(1), bp.dyn.LIF(1)
>>> stp = bp.dyn.STP(pre, post, bp.conn.All2All(), U=0.2, tau_d=150., tau_f=2.)
>>> pre.spike.value[:] = True
>>> stp.update(0., 0.1); stp.u, stp.x
(Variable(tensor([0.2000])), Variable(tensor([0.8000])))
"""

from __future__ import annotations

from typing import Any

import torch

from bptorch.dyn.base import NeuGroup, TwoEndConn, time_args
from bptorch.dyn.utils import init_delay
from bptorch.integrators.joint_eq import JointEq
from bptorch.integrators.ode import odeint
from bptorch.math import settings
from bptorch.math.operators import pre2syn, syn2post
from bptorch.math.variables import Variable

__all__ = ['STP']


class STP(TwoEndConn):
    r"""Short-term plasticity (Tsodyks-Markram) of each synapse.

    .. math::

        \frac{du}{dt} = -\frac{u}{\tau_f}+U(1-u^-)\delta(t-t_{sp}), \quad
        \frac{dx}{dt} = \frac{1-x}{\tau_d}-u^+x^-\delta(t-t_{sp}), \quad
        \frac{dI}{dt} = -\frac{I}{\tau} + Au^+x^-\delta(t-t_{sp})

    ``u``, ``x`` and ``I`` have one value per synapse; ``post.input`` gets the sum of
    the (delayed) ``I`` of each post's synapses. As BrainPy 2.1.12 computes it, at a
    spike ``u <- u + U (1 - u_prev)`` (``u`` after the step's decay, ``u_prev`` before
    it), then ``x <- x - u x_prev`` and ``I <- I + A u x_prev``.

    Parameters
    ----------
    pre, post : NeuGroup
    conn : connector, tensor or dict
    U, tau_f, tau_d, tau, A : float
        Defaults 0.15, 1500, 200, 8, 1.
    delay_step : int, tensor or initializer, optional
        The delay of ``I`` (one for all, or one per synapse).
    method : str
    name : str, optional

    Differences from BrainPy 2.1.12: ``reset()`` sets ``x`` back to 1 (its initial
    value; 2.1.12 sets it to 0) and works without a delay; per-synapse delays index
    the synapses (2.1.12 indexes the pre neurons).

    Examples
    --------
    >>> import bptorch as bp
    >>> pre, post = bp.dyn.LIF(2), bp.dyn.LIF(1)
    >>> stp = bp.dyn.STP(pre, post, bp.conn.All2All(), A=2.)
    >>> pre.spike.value[:] = True
    >>> stp.update(0., 0.1); stp.update(0.1, 0.1)
    >>> post.input
    Variable(tensor([0.6000]))
    """

    def __init__(self, pre: NeuGroup, post: NeuGroup, conn: Any, U: float = 0.15,
                 tau_f: float = 1500., tau_d: float = 200., tau: float = 8., A: float = 1.,
                 delay_step: Any = None, method: str = 'exp_auto', name: str | None = None):
        super().__init__(pre=pre, post=post, conn=conn, name=name)
        self.check_post_attrs('input')
        self.check_pre_attrs('spike')
        self.tau_d = tau_d
        self.tau_f = tau_f
        self.tau = tau
        self.U = U
        self.A = A
        if self.conn is None or isinstance(self.conn, str):
            raise ValueError(f'Must provide "conn" when initialize the model {self.name}')
        self.pre_ids, self.post_ids = self.conn.require('pre_ids', 'post_ids')
        self.num = len(self.pre_ids)
        kw = dict(dtype=settings.float_(), device=settings.default_device())
        self.x = Variable(torch.ones(self.num, **kw))
        self.u = Variable(torch.zeros(self.num, **kw))
        self.I = Variable(torch.zeros(self.num, **kw))
        self.delay_type, self.delay_step, self.delay_I = init_delay(delay_step, self.I)
        self.integral = odeint(method=method, f=self.derivative)

    def reset(self) -> None:
        self.x.value = torch.ones_like(self.x.value)
        self.u.value = torch.zeros_like(self.u.value)
        self.I.value = torch.zeros_like(self.I.value)
        if self.delay_I is not None:
            self.delay_I.reset(self.I)

    @property
    def derivative(self) -> JointEq:
        dI = lambda I, t: -I / self.tau
        du = lambda u, t: - u / self.tau_f
        dx = lambda x, t: (1 - x) / self.tau_d
        return JointEq([dI, du, dx])

    def update(self, t: Any, dt: Any = None) -> None:
        t, dt, _ = time_args(t, dt)
        if self.delay_type == 'homo':
            delayed_I = self.delay_I(self.delay_step)
        elif self.delay_type == 'heter':
            delayed_I = self.delay_I(self.delay_step, torch.arange(self.num, device=self.I.device))
        else:
            delayed_I = self.I.value
        post_I = syn2post(delayed_I, self.post_ids, self.post.num)
        self.post.input += post_I.reshape(self.post.input.shape)
        u_prev, x_prev = self.u.value, self.x.value
        I, u, x = self.integral(self.I.value, u_prev, x_prev, t, dt=dt)
        syn_sps = pre2syn(self.pre.spike.value.reshape(-1), self.pre_ids)
        if syn_sps.dtype != torch.bool:
            syn_sps = syn_sps > 0
        u = torch.where(syn_sps, u + self.U * (1 - u_prev), u)
        x = torch.where(syn_sps, x - u * x_prev, x)
        self.I.value = torch.where(syn_sps, I + self.A * u * x_prev, I)
        self.u.value = u
        self.x.value = x
        if self.delay_I is not None:
            self.delay_I.update(self.I.value)
