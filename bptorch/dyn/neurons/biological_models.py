"""Conductance-based neuron models of BrainPy 2.1.12: HH, MorrisLecar, PinskyRinzelModel,
WangBuzsakiModel.

Same conventions as :mod:`bptorch.dyn.neurons.reduced_models`: BrainPy 2.1.12's
parameters and defaults, a ``method`` (``'exp_auto'``), ``update(t, dt)`` (or
``update(tdi, x=None)``), ``reset()``, bool spikes (an upward crossing of ``V_th``)
and an ``input`` set back to 0 after each update.

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> hh = bp.dyn.HH(1, V_initializer=bp.init.OneInit(-65.))
>>> spikes = 0
>>> for i in range(2000):
...     hh.input += 10.
...     hh.update(i * 0.01, 0.01)
...     spikes += int(hh.spike.sum())
>>> spikes
2
"""

from __future__ import annotations

from typing import Any

import torch

from bptorch.dyn._helpers import check_initializer
from bptorch.dyn.base import time_args
from bptorch.dyn.neurons.reduced_models import _Neurons
from bptorch.initialize import OneInit, Uniform
from bptorch.integrators.joint_eq import JointEq
from bptorch.integrators.ode import odeint
from bptorch.math.variables import Variable

__all__ = ['HH', 'MorrisLecar', 'PinskyRinzelModel', 'WangBuzsakiModel']


class HH(_Neurons):
    r"""Hodgkin-Huxley neuron model.

    .. math::

        C \frac {dV} {dt} = -(\bar{g}_{Na} m^3 h (V -E_{Na}) + \bar{g}_K n^4 (V-E_K)
        + g_{leak} (V - E_{leak})) + I(t), \qquad
        \frac {dx} {dt} = \alpha_x (1-x)  - \beta_x x, \quad x\in \{m, h, n\}

    with :math:`\alpha_m = 0.1(V+40)/(1-e^{-(V+40)/10})`,
    :math:`\beta_m = 4 e^{-(V+65)/18}`, :math:`\alpha_h = 0.07 e^{-(V+65)/20}`,
    :math:`\beta_h = 1/(1 + e^{-(V+35)/10})`,
    :math:`\alpha_n = 0.01(V+55)/(1-e^{-(V+55)/10})`, :math:`\beta_n = 0.125 e^{-(V+65)/80}`.

    Parameters
    ----------
    size : int or tuple of int
    ENa, gNa, EK, gK, EL, gL, V_th, C : float, tensor or initializer
        Defaults 50, 120, -77, 36, -54.387, 0.03, 20, 1.
    V_initializer, m_initializer, h_initializer, n_initializer : initializer or tensor
        Defaults ``Uniform(-70, -60)``, 0.5, 0.6, 0.32.
    method : str
    keep_size : bool
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> hh = bp.dyn.HH(3)
    >>> hh.update(0., 0.01)
    >>> sorted(k.split('.')[1] for k in hh.vars())
    ['V', 'h', 'input', 'm', 'n', 'spike']
    """

    def __init__(self, size: Any, ENa: Any = 50., gNa: Any = 120., EK: Any = -77., gK: Any = 36.,
                 EL: Any = -54.387, gL: Any = 0.03, V_th: Any = 20., C: Any = 1.0,
                 V_initializer: Any = Uniform(-70, -60.), m_initializer: Any = OneInit(0.5),
                 h_initializer: Any = OneInit(0.6), n_initializer: Any = OneInit(0.32),
                 method: str = 'exp_auto', keep_size: bool = False, name: str | None = None):
        super().__init__(size=size, name=name, keep_size=keep_size)
        self.ENa = self._param(ENa)
        self.EK = self._param(EK)
        self.EL = self._param(EL)
        self.gNa = self._param(gNa)
        self.gK = self._param(gK)
        self.gL = self._param(gL)
        self.C = self._param(C)
        self.V_th = self._param(V_th)
        for init, name_ in ((m_initializer, 'm_initializer'), (h_initializer, 'h_initializer'),
                            (n_initializer, 'n_initializer'), (V_initializer, 'V_initializer')):
            check_initializer(init, name_, allow_none=False)
        self._m_initializer = m_initializer
        self._h_initializer = h_initializer
        self._n_initializer = n_initializer
        self._V_initializer = V_initializer
        self.m = self._state(m_initializer)
        self.h = self._state(h_initializer)
        self.n = self._state(n_initializer)
        self.V = self._state(V_initializer)
        self.input = self._zeros()
        self.spike = self._zeros(torch.bool)
        self.integral = odeint(method=method, f=self.derivative)

    def reset(self) -> None:
        self._reinit(self.m, self._m_initializer)
        self._reinit(self.h, self._h_initializer)
        self._reinit(self.n, self._n_initializer)
        self._reinit(self.V, self._V_initializer)
        self._reset_spiking()

    def dm(self, m, t, V):
        alpha = 0.1 * (V + 40) / (1 - torch.exp(-(V + 40) / 10))
        beta = 4.0 * torch.exp(-(V + 65) / 18)
        return alpha * (1 - m) - beta * m

    def dh(self, h, t, V):
        alpha = 0.07 * torch.exp(-(V + 65) / 20.)
        beta = 1 / (1 + torch.exp(-(V + 35) / 10))
        return alpha * (1 - h) - beta * h

    def dn(self, n, t, V):
        alpha = 0.01 * (V + 55) / (1 - torch.exp(-(V + 55) / 10))
        beta = 0.125 * torch.exp(-(V + 65) / 80)
        return alpha * (1 - n) - beta * n

    def dV(self, V, t, m, h, n, I_ext):
        I_Na = (self.gNa * m ** 3.0 * h) * (V - self.ENa)
        I_K = (self.gK * n ** 4.0) * (V - self.EK)
        I_leak = self.gL * (V - self.EL)
        return (- I_Na - I_K - I_leak + I_ext) / self.C

    @property
    def derivative(self) -> JointEq:
        return JointEq([self.dV, self.dm, self.dh, self.dn])

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt = self._begin(t, dt, x)
        V_old = self.V.value
        V, m, h, n = self.integral(V_old, self.m.value, self.h.value, self.n.value, t,
                                   self.input.value, dt=dt)
        self.spike.value = torch.logical_and(V_old < self.V_th, V >= self.V_th)
        self.V.value = V
        self.m.value = m
        self.h.value = h
        self.n.value = n
        self._clear_input()


class MorrisLecar(_Neurons):
    r"""The Morris-Lecar neuron model.

    .. math::

        C\frac{dV}{dt} = -  g_{Ca} M_{\infty} (V - V_{Ca})- g_{K} W(V - V_{K}) -
        g_{Leak} (V - V_{Leak}) + I_{ext}, \qquad
        \frac{dW}{dt} = \frac{W_{\infty}(V) - W}{ \tau_W(V)}

    with :math:`M_\infty = (1 + \tanh((V - V_1)/V_2))/2`,
    :math:`W_\infty = (1 + \tanh((V - V_3)/V_4))/2`,
    :math:`\tau_W = 1/(\phi \cosh((V - V_3)/(2V_4)))`.

    Parameters
    ----------
    size : int or tuple of int
    V_Ca, g_Ca, V_K, g_K, V_leak, g_leak, C, V1, V2, V3, V4, phi, V_th : float, tensor or init.
        Defaults 130, 4.4, -84, 8, -60, 2, 20, -1.2, 18, 2, 30, 0.04, 10.
    W_initializer, V_initializer : initializer or tensor
        Defaults 0.02 and ``Uniform(-70, -60)``.
    method : str
    keep_size : bool
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> ml = bp.dyn.MorrisLecar(1, V_initializer=bp.init.OneInit(-60.))
    >>> for i in range(100):
    ...     ml.input += 100.
    ...     ml.update(i * 0.1, 0.1)
    >>> bool(ml.V > -60.)
    True
    """

    def __init__(self, size: Any, V_Ca: Any = 130., g_Ca: Any = 4.4, V_K: Any = -84., g_K: Any = 8.,
                 V_leak: Any = -60., g_leak: Any = 2., C: Any = 20., V1: Any = -1.2, V2: Any = 18.,
                 V3: Any = 2., V4: Any = 30., phi: Any = 0.04, V_th: Any = 10.,
                 W_initializer: Any = OneInit(0.02), V_initializer: Any = Uniform(-70., -60.),
                 method: str = 'exp_auto', keep_size: bool = False, name: str | None = None):
        super().__init__(size=size, name=name, keep_size=keep_size)
        self.V_Ca = self._param(V_Ca)
        self.g_Ca = self._param(g_Ca)
        self.V_K = self._param(V_K)
        self.g_K = self._param(g_K)
        self.V_leak = self._param(V_leak)
        self.g_leak = self._param(g_leak)
        self.C = self._param(C)
        self.V1 = self._param(V1)
        self.V2 = self._param(V2)
        self.V3 = self._param(V3)
        self.V4 = self._param(V4)
        self.phi = self._param(phi)
        self.V_th = self._param(V_th)
        check_initializer(V_initializer, 'V_initializer', allow_none=False)
        check_initializer(W_initializer, 'W_initializer', allow_none=False)
        self._W_initializer = W_initializer
        self._V_initializer = V_initializer
        self.W = self._state(W_initializer)
        self.V = self._state(V_initializer)
        self.input = self._zeros()
        self.spike = self._zeros(torch.bool)
        self.integral = odeint(method=method, f=self.derivative)

    def reset(self) -> None:
        self._reinit(self.W, self._W_initializer)
        self._reinit(self.V, self._V_initializer)
        self._reset_spiking()

    def dV(self, V, t, W, I_ext):
        M_inf = (1 / 2) * (1 + torch.tanh((V - self.V1) / self.V2))
        I_Ca = self.g_Ca * M_inf * (V - self.V_Ca)
        I_K = self.g_K * W * (V - self.V_K)
        I_Leak = self.g_leak * (V - self.V_leak)
        return (- I_Ca - I_K - I_Leak + I_ext) / self.C

    def dW(self, W, t, V):
        tau_W = 1 / (self.phi * torch.cosh((V - self.V3) / (2 * self.V4)))
        W_inf = (1 / 2) * (1 + torch.tanh((V - self.V3) / self.V4))
        return (W_inf - W) / tau_W

    @property
    def derivative(self) -> JointEq:
        return JointEq([self.dV, self.dW])

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt = self._begin(t, dt, x)
        V_old = self.V.value
        V, W = self.integral(V_old, self.W.value, t, self.input.value, dt=dt)
        self.W.value = W
        self.spike.value = torch.logical_and(V_old < self.V_th, V >= self.V_th)
        self.V.value = V
        self._clear_input()


class PinskyRinzelModel(_Neurons):
    r"""The two-compartment Pinsky-Rinzel model of a CA3 pyramidal neuron (1994).

    A soma (``Vs``: sodium, delayed-rectifier potassium, leak) and a dendrite (``Vd``:
    calcium, calcium-activated and after-hyperpolarisation potassium, leak) coupled by
    ``gc``; gating variables ``h, n`` (soma), ``s, c`` (dendrite), ``q`` (calcium) and
    the calcium concentration ``Ca``. ``Is`` is the input to the soma and ``Id`` to the
    dendrite (both set back to 0 after each update). It has no ``spike`` variable (as
    in BrainPy 2.1.12).

    Parameters
    ----------
    size : int or tuple of int
    gNa, gK, gCa, gAHP, gC, gL : float, tensor or initializer
        Maximal conductances (30, 15, 10, 0.8, 15, 0.1).
    ENa, EK, ECa, EL : float, tensor or initializer
        Reversal potentials (60, -75, 80, -60).
    gc, V_th, Cm, p, A : float, tensor or initializer
        Coupling, threshold, capacitance, soma proportion, area (2.1, 20, 3, 0.5, 1).
    Vs_initializer, Vd_initializer, Ca_initializer : initializer or tensor
        Defaults -64.6, -64.5, 0.2; the gating variables start at their steady states.
    method : str
    keep_size : bool
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> pr = bp.dyn.PinskyRinzelModel(2)
    >>> for i in range(100):
    ...     pr.Is += 2.5
    ...     pr.update(i * 0.05, 0.05)
    >>> pr.Vs.shape, pr.Ca.shape
    (torch.Size([2]), torch.Size([2]))
    """

    def __init__(self, size: Any, gNa: Any = 30., gK: Any = 15., gCa: Any = 10., gAHP: Any = 0.8,
                 gC: Any = 15., gL: Any = 0.1, ENa: Any = 60., EK: Any = -75., ECa: Any = 80.,
                 EL: Any = -60., gc: Any = 2.1, V_th: Any = 20., Cm: Any = 3.0, p: Any = 0.5,
                 A: Any = 1., Vs_initializer: Any = OneInit(-64.6),
                 Vd_initializer: Any = OneInit(-64.5), Ca_initializer: Any = OneInit(0.2),
                 method: str = 'exp_auto', keep_size: bool = False, name: str | None = None):
        super().__init__(size=size, name=name, keep_size=keep_size)
        self.gAHP = self._param(gAHP)
        self.gCa = self._param(gCa)
        self.gNa = self._param(gNa)
        self.gK = self._param(gK)
        self.gL = self._param(gL)
        self.gC = self._param(gC)
        self.ENa = self._param(ENa)
        self.ECa = self._param(ECa)
        self.EK = self._param(EK)
        self.EL = self._param(EL)
        self.V_th = self._param(V_th)
        self.Cm = self._param(Cm)
        self.gc = self._param(gc)
        self.p = self._param(p)
        self.A = self._param(A)
        check_initializer(Vs_initializer, 'Vs_initializer', allow_none=False)
        check_initializer(Vd_initializer, 'Vd_initializer', allow_none=False)
        check_initializer(Ca_initializer, 'Ca_initializer', allow_none=False)
        self._Vs_initializer = Vs_initializer
        self._Vd_initializer = Vd_initializer
        self._Ca_initializer = Ca_initializer
        self.Vs = self._state(Vs_initializer)
        self.Vd = self._state(Vd_initializer)
        self.Ca = self._state(Ca_initializer)
        self.h = Variable(self.inf_h(self.Vs.value))
        self.n = Variable(self.inf_n(self.Vs.value))
        self.s = Variable(self.inf_s(self.Vd.value))
        self.c = Variable(self.inf_c(self.Vd.value))
        self.q = Variable(self.inf_q(self.Ca.value))
        self.Id = self._zeros()  # input to the dendrite
        self.Is = self._zeros()  # input to the soma
        self.integral = odeint(method=method, f=self.derivative)

    def reset(self) -> None:
        self._reinit(self.Vd, self._Vd_initializer)
        self._reinit(self.Vs, self._Vs_initializer)
        self._reinit(self.Ca, self._Ca_initializer)
        self.h.value = self.inf_h(self.Vs.value)
        self.n.value = self.inf_n(self.Vs.value)
        self.s.value = self.inf_s(self.Vd.value)
        self.c.value = self.inf_c(self.Vd.value)
        self.q.value = self.inf_q(self.Ca.value)
        self.Id.value = torch.zeros_like(self.Id.value)
        self.Is.value = torch.zeros_like(self.Is.value)

    def dCa(self, Ca, t, s, Vd):
        ICa = self.gCa * s * s * (Vd - self.ECa)
        return -0.13 * ICa - 0.075 * Ca

    def dh(self, h, t, Vs):
        return self.alpha_h(Vs) * (1 - h) - self.beta_h(Vs) * h

    def dn(self, n, t, Vs):
        return self.alpha_n(Vs) * (1 - n) - self.beta_n(Vs) * n

    def ds(self, s, t, Vd):
        return self.alpha_s(Vd) * (1 - s) - self.beta_s(Vd) * s

    def dc(self, c, t, Vd):
        return self.alpha_c(Vd) * (1 - c) - self.beta_c(Vd) * c

    def dq(self, q, t, Ca):
        return self.alpha_q(Ca) * (1 - q) - self.beta_q(Ca) * q

    def dVs(self, Vs, t, h, n, Vd):
        I_Na = (self.gNa * self.inf_m(Vs) ** 2 * h) * (Vs - self.ENa)
        I_KDR = (self.gK * n) * (Vs - self.EK)
        I_leak = self.gL * (Vs - self.EL)
        I_gj = self.gc / self.p * (Vd - Vs)
        return (- I_Na - I_KDR - I_leak + I_gj + self.Is.value / self.p) / self.Cm

    def dVd(self, Vd, t, s, q, c, Ca, Vs):
        I_leak = self.gL * (Vd - self.EL)
        I_Ca = self.gCa * s * s * (Vd - self.ECa)
        I_AHP = self.gAHP * q * (Vd - self.EK)
        I_C = self.gC * torch.clamp(Ca / 250., max=1.) * (Vd - self.EK)
        p = 1 - self.p
        I_gj = self.gc / p * (Vs - Vd)
        return (- I_leak - I_Ca - I_AHP - I_C + I_gj + self.Id.value / p) / self.Cm

    @property
    def derivative(self) -> JointEq:
        return JointEq([self.dVs, self.dVd, self.dCa, self.dh, self.dn, self.ds, self.dc, self.dq])

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt, x = time_args(t, dt, x)
        if x is not None:
            self.Is += x
        Vs, Vd, Ca, h, n, s, c, q = self.integral(
            Vs=self.Vs.value, Vd=self.Vd.value, Ca=self.Ca.value, h=self.h.value,
            n=self.n.value, s=self.s.value, c=self.c.value, q=self.q.value, t=t, dt=dt)
        self.Vs.value = Vs
        self.Vd.value = Vd
        self.Ca.value = Ca
        self.h.value = h
        self.n.value = n
        self.s.value = s
        self.c.value = c
        self.q.value = q
        self.Id.value = torch.zeros_like(self.Id.value)
        self.Is.value = torch.zeros_like(self.Is.value)

    def alpha_m(self, Vs):
        return 0.32 * (13.1 - (Vs + 60.)) / (torch.exp((13.1 - (Vs + 60.)) / 4.) - 1.)

    def beta_m(self, Vs):
        return 0.28 * ((Vs + 60.) - 40.1) / (torch.exp(((Vs + 60.) - 40.1) / 5.) - 1.)

    def inf_m(self, Vs):
        alpha, beta = self.alpha_m(Vs), self.beta_m(Vs)
        return alpha / (alpha + beta)

    def alpha_n(self, Vs):
        return 0.016 * (35.1 - (Vs + 60.)) / (torch.exp((35.1 - (Vs + 60.)) / 5) - 1)

    def beta_n(self, Vs):
        return 0.25 * torch.exp(0.5 - 0.025 * (Vs + 60.))

    def inf_n(self, Vs):
        alpha, beta = self.alpha_n(Vs), self.beta_n(Vs)
        return alpha / (alpha + beta)

    def alpha_h(self, Vs):
        return 0.128 * torch.exp((17. - (Vs + 60.)) / 18.)

    def beta_h(self, Vs):
        return 4. / (1 + torch.exp((40. - (Vs + 60.)) / 5))

    def inf_h(self, Vs):
        alpha, beta = self.alpha_h(Vs), self.beta_h(Vs)
        return alpha / (alpha + beta)

    def alpha_s(self, Vd):
        return 1.6 / (1 + torch.exp(-0.072 * ((Vd + 60.) - 65.)))

    def beta_s(self, Vd):
        return 0.02 * ((Vd + 60.) - 51.1) / (torch.exp(((Vd + 60.) - 51.1) / 5.) - 1.)

    def inf_s(self, Vd):
        alpha, beta = self.alpha_s(Vd), self.beta_s(Vd)
        return alpha / (alpha + beta)

    @staticmethod
    def _alpha_c_low(Vd):
        return (torch.exp(((Vd + 60.) - 10.) / 11.) - torch.exp(((Vd + 60.) - 6.5) / 27.)) / 18.975

    def alpha_c(self, Vd):
        return torch.where((Vd + 60.) <= 50., self._alpha_c_low(Vd),
                           2. * torch.exp((6.5 - (Vd + 60.)) / 27.))

    def beta_c(self, Vd):
        alpha_c = self._alpha_c_low(Vd)
        return torch.where((Vd + 60.) <= 50., 2. * torch.exp((6.5 - (Vd + 60.)) / 27.) - alpha_c,
                           torch.zeros_like(alpha_c))

    def inf_c(self, Vd):
        alpha_c, beta_c = self.alpha_c(Vd), self.beta_c(Vd)
        return alpha_c / (alpha_c + beta_c)

    def alpha_q(self, Ca):
        return torch.clamp(2e-5 * Ca, max=1e-2)

    def beta_q(self, Ca):
        return 1e-3

    def inf_q(self, Ca):
        alpha, beta = self.alpha_q(Ca), self.beta_q(Ca)
        return alpha / (alpha + beta)


class WangBuzsakiModel(_Neurons):
    r"""Wang-Buzsaki model of a fast-spiking interneuron (1996).

    .. math::

        C \frac{dV}{dt} = -g_{Na} m_\infty^3 h (V - E_{Na}) - g_K n^4 (V - E_K)
        - g_L (V - E_L) + I, \qquad
        \frac{dx}{dt} = \phi (\alpha_x (1 - x) - \beta_x x), \quad x \in \{h, n\}

    with :math:`m_\infty = \alpha_m / (\alpha_m + \beta_m)`,
    :math:`\alpha_m = -0.1(V+35)/(e^{-0.1(V+35)}-1)`, :math:`\beta_m = 4e^{-(V+60)/18}`,
    :math:`\alpha_h = 0.07 e^{-(V+58)/20}`, :math:`\beta_h = 1/(e^{-0.1(V+28)}+1)`,
    :math:`\alpha_n = -0.01(V+34)/(e^{-0.1(V+34)}-1)`, :math:`\beta_n = 0.125e^{-(V+44)/80}`.

    Parameters
    ----------
    size : int or tuple of int
    ENa, gNa, EK, gK, EL, gL, V_th, phi, C : float, tensor or initializer
        Defaults 55, 35, -90, 9, -65, 0.1, 20, 5, 1.
    V_initializer, h_initializer, n_initializer : initializer or tensor
        Defaults -65, 0.6, 0.32.
    method : str
    keep_size : bool
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> wb = bp.dyn.WangBuzsakiModel(1)
    >>> n = 0
    >>> for i in range(1000):
    ...     wb.input += 1.
    ...     wb.update(i * 0.05, 0.05)
    ...     n += int(wb.spike.sum())
    >>> n > 0
    True
    """

    def __init__(self, size: Any, ENa: Any = 55., gNa: Any = 35., EK: Any = -90., gK: Any = 9.,
                 EL: Any = -65, gL: Any = 0.1, V_th: Any = 20., phi: Any = 5.0, C: Any = 1.0,
                 V_initializer: Any = OneInit(-65.), h_initializer: Any = OneInit(0.6),
                 n_initializer: Any = OneInit(0.32), method: str = 'exp_auto',
                 keep_size: bool = False, name: str | None = None):
        super().__init__(size=size, name=name, keep_size=keep_size)
        self.ENa = self._param(ENa)
        self.EK = self._param(EK)
        self.EL = self._param(EL)
        self.gNa = self._param(gNa)
        self.gK = self._param(gK)
        self.gL = self._param(gL)
        self.C = self._param(C)
        self.phi = self._param(phi)
        self.V_th = self._param(V_th)
        check_initializer(h_initializer, 'h_initializer', allow_none=False)
        check_initializer(n_initializer, 'n_initializer', allow_none=False)
        check_initializer(V_initializer, 'V_initializer', allow_none=False)
        self._h_initializer = h_initializer
        self._n_initializer = n_initializer
        self._V_initializer = V_initializer
        self.h = self._state(h_initializer)
        self.n = self._state(n_initializer)
        self.V = self._state(V_initializer)
        self.input = self._zeros()
        self.spike = self._zeros(torch.bool)
        self.integral = odeint(method=method, f=self.derivative)

    def reset(self) -> None:
        self._reinit(self.h, self._h_initializer)
        self._reinit(self.n, self._n_initializer)
        self._reinit(self.V, self._V_initializer)
        self._reset_spiking()

    def m_inf(self, V):
        alpha = -0.1 * (V + 35) / (torch.exp(-0.1 * (V + 35)) - 1)
        beta = 4. * torch.exp(-(V + 60.) / 18.)
        return alpha / (alpha + beta)

    def dh(self, h, t, V):
        alpha = 0.07 * torch.exp(-(V + 58) / 20)
        beta = 1 / (torch.exp(-0.1 * (V + 28)) + 1)
        return self.phi * (alpha * (1 - h) - beta * h)

    def dn(self, n, t, V):
        alpha = -0.01 * (V + 34) / (torch.exp(-0.1 * (V + 34)) - 1)
        beta = 0.125 * torch.exp(-(V + 44) / 80)
        return self.phi * (alpha * (1 - n) - beta * n)

    def dV(self, V, t, h, n, I_ext):
        INa = self.gNa * self.m_inf(V) ** 3 * h * (V - self.ENa)
        IK = self.gK * n ** 4 * (V - self.EK)
        IL = self.gL * (V - self.EL)
        return (- INa - IK - IL + I_ext) / self.C

    @property
    def derivative(self) -> JointEq:
        return JointEq([self.dV, self.dh, self.dn])

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt = self._begin(t, dt, x)
        V_old = self.V.value
        V, h, n = self.integral(V_old, self.h.value, self.n.value, t, self.input.value, dt=dt)
        self.spike.value = torch.logical_and(V_old < self.V_th, V >= self.V_th)
        self.V.value = V
        self.h.value = h
        self.n.value = n
        self._clear_input()
