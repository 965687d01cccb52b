"""Abstract synapse models of BrainPy 2.1.12: delta, exponential, dual-exponential,
alpha and NMDA synapses, current-based (``*CUBA``) and conductance-based (``*COBA``).

Each takes BrainPy 2.1.12's arguments: ``pre``, ``post``, ``conn`` (a connector,
matrix or ``dict(i=, j=)``), ``conn_type`` (``'sparse'`` or ``'dense'``: how ``g_max``
is laid out, see :mod:`bptorch.dyn.synapses._projection`), ``g_max`` (``weights`` for
:class:`DeltaSynapse`), ``delay_step`` (steps of delay of the pre-synaptic spikes:
an int, one per pre neuron, or an initializer; None for none), time constants, ``E``
and ``method``. ``update(t, dt)`` adds to ``post.input`` (:class:`DeltaSynapse`: to
``post.<post_key>``), ``reset()`` empties the synaptic variables.

Delays follow BrainPy 2.1.12: a synapse reads the delayed spikes and then records the
current ``pre.spike``; the first synapse that registers the delay of a group records
into it, the others share it.

Examples
--------
The ``network_models`` tutorial's E/I network (smaller; imports changed), stepped with a
Python loop:

>>> import bptorch as bp, bptorch.math as bm
>>> bm.random.seed(42)
>>> pars = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
>>> E, I = bp.dyn.LIF(80, **pars), bp.dyn.LIF(20, **pars)
>>> E.V.value = bm.random.randn(80) * 2 - 55.
>>> I.V.value = bm.random.randn(20) * 2 - 55.
>>> E_pars, I_pars = dict(E=0., g_max=0.6, tau=5.), dict(E=-80., g_max=6.7, tau=10.)
>>> E2E = bp.dyn.ExpCOBA(E, E, bp.conn.FixedProb(prob=0.1), **E_pars)
>>> I2E = bp.dyn.ExpCOBA(I, E, bp.conn.FixedProb(prob=0.1), **I_pars)
>>> net = bp.dyn.Network(E2E, I2E, E=E, I=I)
>>> for i in range(100):
...     E.input += 20.; I.input += 20.
...     net.update(i * 0.1, 0.1)
>>> E2E.g.shape, E2E.weight_type
(torch.Size([80]), 'homo')
"""

from __future__ import annotations

from typing import Any

import torch

from bptorch.dyn.synapses._projection import SpikeProjection
from bptorch.dyn.base import NeuGroup, time_args
from bptorch.integrators.joint_eq import JointEq
from bptorch.integrators.ode import odeint
from bptorch.math.variables import Variable
from bptorch.math import settings

__all__ = ['DeltaSynapse', 'ExpCUBA', 'ExpCOBA', 'DualExpCUBA', 'DualExpCOBA', 'AlphaCUBA',
           'AlphaCOBA', 'NMDA']


def _scalar(x: Any, name: str) -> Any:
    size = x.numel() if isinstance(x, (torch.Tensor, Variable)) else 1
    if size != 1:
        raise ValueError(f'"{name}" must be a scalar or a tensor with size of 1. But we got {x}')
    return x


def _zeros(n: int) -> Variable:
    return Variable(torch.zeros(n, dtype=settings.float_(), device=settings.default_device()))


class DeltaSynapse(SpikeProjection):
    r"""Voltage jump (delta) synapse: a pre-synaptic spike adds ``weights`` to the post
    variable ``post_key`` (default ``V``) ``delay_step`` steps later.

    .. math::

        I_{syn} (t) = \sum_{j\in C} w \delta(t-t_j-D)

    Parameters
    ----------
    pre, post : NeuGroup
    conn : connector, tensor or dict
    conn_type : {'sparse', 'dense'}
    weights : float, tensor or initializer
        The synaptic strength (1).
    delay_step : int, tensor or initializer, optional
    post_key : str
        The post-synaptic variable to add to.
    post_has_ref : bool
        Whether to skip post neurons in their refractory period.
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> pre, post = bp.dyn.LIF(1), bp.dyn.LIF(1)
    >>> syn = bp.dyn.DeltaSynapse(pre, post, bp.connect.All2All(), weights=5.)
    >>> pre.spike.value[:] = True
    >>> syn.update(0., 0.1); post.V
    Variable(tensor([5.]))
    """

    def __init__(self, pre: NeuGroup, post: NeuGroup, conn: Any, conn_type: str = 'sparse',
                 weights: Any = 1., delay_step: Any = None, post_key: str = 'V',
                 post_has_ref: bool = False, name: str | None = None):
        super().__init__(pre=pre, post=post, conn=conn, name=name)
        self.check_pre_attrs('spike')
        self.post_key = post_key
        self.check_post_attrs(post_key)
        self.post_has_ref = post_has_ref
        if post_has_ref:
            self.check_post_attrs('refractory')
        self._init_weights(weights, conn_type, 'pre2post', attr='weights')
        self._init_delay(delay_step)

    def reset(self) -> None:
        self._reset_delay()

    def update(self, t: Any, dt: Any = None) -> None:
        pre_spike = self._pre_spike()
        target = getattr(self.post, self.post_key)
        post_vs = self._post_shaped(self._project(pre_spike), target)
        if self.post_has_ref:
            post_vs = post_vs * torch.logical_not(self.post.refractory.value)
        target += post_vs


class ExpCUBA(SpikeProjection):
    r"""Current-based exponential synapse.

    .. math::

        \frac{d g}{d t} = -\frac{g}{\tau_{decay}}+\sum_{k} \delta(t-t_{j}^{k}), \qquad
        I_{syn}(t) = g_{max} g

    ``g`` has one value per post neuron; ``post.input += g``.

    Parameters
    ----------
    pre, post : NeuGroup
    conn : connector, tensor or dict
    conn_type : {'sparse', 'dense'}
    g_max : float, tensor or initializer
        The synaptic strength (1).
    delay_step : int, tensor or initializer, optional
    tau : float
        The decay time constant (8 ms).
    name : str, optional
    method : str

    Examples
    --------
    >>> import bptorch as bp
    >>> pre, post = bp.dyn.LIF(1), bp.dyn.LIF(1)
    >>> syn = bp.dyn.ExpCUBA(pre, post, bp.conn.One2One(), g_max=2.)
    >>> pre.spike.value[:] = True
    >>> syn.update(0., 0.1); syn.g, post.input
    (Variable(tensor([2.])), Variable(tensor([2.])))
    """

    def __init__(self, pre: NeuGroup, post: NeuGroup, conn: Any, conn_type: str = 'sparse',
                 g_max: Any = 1., delay_step: Any = None, tau: Any = 8.0,
                 name: str | None = None, method: str = 'exp_auto'):
        super().__init__(pre=pre, post=post, conn=conn, name=name)
        self.check_pre_attrs('spike')
        self.check_post_attrs('input', 'V')
        self.tau = _scalar(tau, 'tau')
        self._init_weights(g_max, conn_type, 'pre2post')
        self.g = _zeros(self.post.num)
        self._init_delay(delay_step)
        self.integral = odeint(lambda g, t: -g / self.tau, method=method)

    def reset(self) -> None:
        self.g.value = torch.zeros_like(self.g.value)
        self._reset_delay()

    def update(self, t: Any, dt: Any = None) -> None:
        t, dt, _ = time_args(t, dt)
        pre_spike = self._pre_spike()
        post_vs = self._project(pre_spike)
        self.g.value = self.integral(self.g.value, t, dt=dt) + post_vs
        self.post.input += self._post_shaped(self.output(self.g.value), self.post.input)

    def output(self, g_post):
        return g_post


class ExpCOBA(ExpCUBA):
    r"""Conductance-based exponential synapse: as :class:`ExpCUBA`, with
    ``post.input += g * (E - post.V)``.

    Parameters
    ----------
    pre, post : NeuGroup
    conn : connector, tensor or dict
    conn_type : {'sparse', 'dense'}
    g_max : float, tensor or initializer
    tau : float
        The decay time constant (8 ms).
    E : float
        The reversal potential (0 mV).
    delay_step : int, tensor or initializer, optional
    method : str
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> pre, post = bp.dyn.LIF(1), bp.dyn.LIF(1, V_initializer=bp.init.OneInit(-60.))
    >>> syn = bp.dyn.ExpCOBA(pre, post, bp.conn.One2One(), g_max=0.5, E=0.)
    >>> pre.spike.value[:] = True
    >>> syn.update(0., 0.1); post.input
    Variable(tensor([30.]))
    """

    def __init__(self, pre: NeuGroup, post: NeuGroup, conn: Any, conn_type: str = 'sparse',
                 g_max: Any = 1., tau: Any = 8.0, E: Any = 0., delay_step: Any = None,
                 method: str = 'exp_auto', name: str | None = None):
        super().__init__(pre=pre, post=post, conn=conn, conn_type=conn_type, g_max=g_max,
                         delay_step=delay_step, tau=tau, method=method, name=name)
        self.E = _scalar(E, 'E')

    def output(self, g_post):
        return g_post * (self.E - self._post_V())

    def _post_V(self) -> torch.Tensor:
        return self.post.V.value.reshape(-1)


class DualExpCUBA(SpikeProjection):
    r"""Current-based dual exponential synapse.

    .. math::

        \frac{d g}{d t} = -\frac{g}{\tau_{decay}}+h, \qquad
        \frac{d h}{d t} = -\frac{h}{\tau_{rise}}+ \delta\left(t_{0}-t\right), \qquad
        I_{syn}(t) = g_{max} g

    ``g`` and ``h`` have one value per pre neuron; ``post.input`` gets their projection.

    Parameters
    ----------
    pre, post : NeuGroup
    conn : connector, tensor or dict
    conn_type : {'sparse', 'dense'}
    g_max : float, tensor or initializer
    tau_decay, tau_rise : float
        Time constants (10 and 1 ms).
    delay_step : int, tensor or initializer, optional
    method : str
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> pre, post = bp.dyn.LIF(1), bp.dyn.LIF(1)
    >>> syn = bp.dyn.DualExpCUBA(pre, post, bp.conn.One2One())
    >>> pre.spike.value[:] = True
    >>> syn.update(0., 0.1); syn.h
    Variable(tensor([1.]))
    """

    def __init__(self, pre: NeuGroup, post: NeuGroup, conn: Any, conn_type: str = 'dense',
                 g_max: Any = 1., tau_decay: Any = 10.0, tau_rise: Any = 1.,
                 delay_step: Any = None, method: str = 'exp_auto', name: str | None = None):
        super().__init__(pre=pre, post=post, conn=conn, name=name)
        self.check_pre_attrs('spike')
        self.check_post_attrs('input')
        self.tau_rise = _scalar(tau_rise, 'tau_rise')
        self.tau_decay = _scalar(tau_decay, 'tau_decay')
        self._init_weights(g_max, conn_type, 'ij')
        self.h = _zeros(self.pre.num)
        self.g = _zeros(self.pre.num)
        self._init_delay(delay_step)
        self.integral = odeint(method=method, f=JointEq([self.dg, self.dh]))

    def reset(self) -> None:
        self.h.value = torch.zeros_like(self.h.value)
        self.g.value = torch.zeros_like(self.g.value)
        self._reset_delay()

    def dh(self, h, t):
        return -h / self.tau_rise

    def dg(self, g, t, h):
        return -g / self.tau_decay + h

    def update(self, t: Any, dt: Any = None) -> None:
        t, dt, _ = time_args(t, dt)
        pre_spike = self._pre_spike()
        g, h = self.integral(self.g.value, self.h.value, t, dt)
        self.g.value = g
        self.h.value = h + pre_spike.reshape(-1).to(h.dtype)
        post_vs = self._project(self.g.value)
        self.post.input += self._post_shaped(self.output(post_vs), self.post.input)

    def output(self, g_post):
        return g_post


class DualExpCOBA(DualExpCUBA):
    r"""Conductance-based dual exponential synapse: as :class:`DualExpCUBA`, with
    ``post.input += g_post * (E - post.V)``.

    Parameters
    ----------
    pre, post : NeuGroup
    conn : connector, tensor or dict
    conn_type : {'sparse', 'dense'}
    g_max : float, tensor or initializer
    delay_step : int, tensor or initializer, optional
    tau_decay, tau_rise : float
        Time constants (10 and 1 ms).
    E : float
        The reversal potential (0 mV).
    method : str
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> pre, post = bp.dyn.LIF(1), bp.dyn.LIF(1, V_initializer=bp.init.OneInit(-60.))
    >>> syn = bp.dyn.DualExpCOBA(pre, post, bp.conn.One2One(), E=0.)
    >>> syn.g.value[:] = 0.5
    >>> syn.update(0., 0.1); post.input
    Variable(tensor([29.7015]))
    """

    def __init__(self, pre: NeuGroup, post: NeuGroup, conn: Any, conn_type: str = 'dense',
                 g_max: Any = 1., delay_step: Any = None, tau_decay: Any = 10.0,
                 tau_rise: Any = 1., E: Any = 0., method: str = 'exp_auto',
                 name: str | None = None):
        super().__init__(pre, post, conn, conn_type=conn_type, delay_step=delay_step,
                         g_max=g_max, tau_decay=tau_decay, tau_rise=tau_rise, method=method,
                         name=name)
        self.check_post_attrs('V')
        self.E = _scalar(E, 'E')

    def output(self, g_post):
        return g_post * (self.E - self.post.V.value.reshape(-1))


class AlphaCUBA(DualExpCUBA):
    r"""Current-based alpha synapse: :class:`DualExpCUBA` with ``tau_rise = tau_decay``.

    .. math::

        \frac{d g}{d t} = -\frac{g}{\tau_{decay}}+h, \qquad
        \frac{d h}{d t} = -\frac{h}{\tau_{decay}}+\delta\left(t_{0}-t\right)

    Parameters
    ----------
    pre, post : NeuGroup
    conn : connector, tensor or dict
    conn_type : {'sparse', 'dense'}
    g_max : float, tensor or initializer
    delay_step : int, tensor or initializer, optional
    tau_decay : float
        The time constant (10 ms).
    method : str
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> syn = bp.dyn.AlphaCUBA(bp.dyn.LIF(1), bp.dyn.LIF(1), bp.conn.One2One(), tau_decay=5.)
    >>> syn.tau_rise
    5.0
    """

    def __init__(self, pre: NeuGroup, post: NeuGroup, conn: Any, conn_type: str = 'dense',
                 g_max: Any = 1., delay_step: Any = None, tau_decay: Any = 10.0,
                 method: str = 'exp_auto', name: str | None = None):
        super().__init__(pre=pre, post=post, conn=conn, conn_type=conn_type,
                         delay_step=delay_step, g_max=g_max, tau_decay=tau_decay,
                         tau_rise=tau_decay, method=method, name=name)


class AlphaCOBA(DualExpCOBA):
    r"""Conductance-based alpha synapse: :class:`DualExpCOBA` with ``tau_rise = tau_decay``.

    Parameters
    ----------
    pre, post : NeuGroup
    conn : connector, tensor or dict
    conn_type : {'sparse', 'dense'}
    g_max : float, tensor or initializer
    delay_step : int, tensor or initializer, optional
    tau_decay : float
        The time constant (10 ms).
    E : float
        The reversal potential (0 mV).
    method : str
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> syn = bp.dyn.AlphaCOBA(bp.dyn.LIF(1), bp.dyn.LIF(1), bp.conn.One2One(), E=-80.)
    >>> syn.E, syn.tau_rise
    (-80.0, 10.0)
    """

    def __init__(self, pre: NeuGroup, post: NeuGroup, conn: Any, conn_type: str = 'dense',
                 g_max: Any = 1., delay_step: Any = None, tau_decay: Any = 10.0, E: Any = 0.,
                 method: str = 'exp_auto', name: str | None = None):
        super().__init__(pre=pre, post=post, conn=conn, conn_type=conn_type,
                         delay_step=delay_step, g_max=g_max, E=E, tau_decay=tau_decay,
                         tau_rise=tau_decay, method=method, name=name)


class NMDA(SpikeProjection):
    r"""Conductance-based NMDA synapse with magnesium block.

    .. math::

        \frac{d g}{dt} = -\frac{g}{\tau_{decay}}+a x(1-g), \qquad
        \frac{d x}{dt} = -\frac{x}{\tau_{rise}}+ \sum_{k} \delta(t-t_{j}^{k}), \qquad
        I_{syn} = \frac{g_{post} (E - V)}{1 + [Mg^{2+}]_o \exp(-\alpha V) / \beta}

    ``g`` and ``x`` have one value per pre neuron.

    Parameters
    ----------
    pre, post : NeuGroup
    conn : connector, tensor or dict
    conn_type : {'sparse', 'dense'}
    g_max : float, tensor or initializer
        The synaptic strength (0.15).
    delay_step : int, tensor or initializer, optional
    E, cc_Mg, alpha, beta, tau_decay, a, tau_rise : float
        Defaults 0, 1.2, 0.062, 3.57, 100, 0.5, 2.
    method : str
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> pre, post = bp.dyn.LIF(1), bp.dyn.LIF(1, V_initializer=bp.init.OneInit(-60.))
    >>> syn = bp.dyn.NMDA(pre, post, bp.conn.One2One())
    >>> pre.spike.value[:] = True
    >>> for i in range(20):
    ...     syn.update(i * 0.1, 0.1); pre.spike.value[:] = False
    >>> bool(syn.g > 0), bool(post.input > 0)
    (True, True)
    """

    def __init__(self, pre: NeuGroup, post: NeuGroup, conn: Any, conn_type: str = 'dense',
                 g_max: Any = 0.15, delay_step: Any = None, E: Any = 0., cc_Mg: Any = 1.2,
                 alpha: Any = 0.062, beta: Any = 3.57, tau_decay: Any = 100., a: Any = 0.5,
                 tau_rise: Any = 2., method: str = 'exp_auto', name: str | None = None):
        super().__init__(pre=pre, post=post, conn=conn, name=name)
        self.check_pre_attrs('spike')
        self.check_post_attrs('input', 'V')
        self.E = _scalar(E, 'E')
        self.alpha = _scalar(alpha, 'alpha')
        self.beta = _scalar(beta, 'beta')
        self.cc_Mg = _scalar(cc_Mg, 'cc_Mg')
        self.tau_decay = _scalar(tau_decay, 'tau_decay')
        self.tau_rise = _scalar(tau_rise, 'tau_rise')
        self.a = _scalar(a, 'a')
        self._init_weights(g_max, conn_type, 'ij')
        self.g = _zeros(self.pre.num)
        self.x = _zeros(self.pre.num)
        self._init_delay(delay_step)
        self.integral = odeint(method=method, f=JointEq([self.dg, self.dx]))

    def reset(self) -> None:
        self.g.value = torch.zeros_like(self.g.value)
        self.x.value = torch.zeros_like(self.x.value)
        self._reset_delay()

    def dg(self, g, t, x):
        return -g / self.tau_decay + self.a * x * (1 - g)

    def dx(self, x, t):
        return -x / self.tau_rise

    def update(self, t: Any, dt: Any = None) -> None:
        t, dt, _ = time_args(t, dt)
        pre_spike = self._pre_spike()
        g, x = self.integral(self.g.value, self.x.value, t, dt=dt)
        self.g.value = g
        self.x.value = x + pre_spike.reshape(-1).to(x.dtype)
        post_g = self._project(self.g.value)
        V = self.post.V.value.reshape(-1)
        g_inf = 1 + self.cc_Mg / self.beta * torch.exp(-self.alpha * V)
        self.post.input += self._post_shaped(post_g * (self.E - V) / g_inf, self.post.input)
