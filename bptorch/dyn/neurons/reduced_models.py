"""Reduced (integrate-and-fire and polynomial) neuron models of BrainPy 2.1.12.

Every model has BrainPy 2.1.12's parameters and defaults, state Variables (of shape
``(num,)``, or ``size`` with ``keep_size=True``), a ``method`` argument (the
``bp.odeint`` method of its equations), ``update(t, dt)`` and ``reset()``. Spikes are
bool tensors; ``input`` is added to by synapses and inputs, and set back to 0 at the
end of each update. ``update(tdi, x=None)`` (BrainPy 2.2) works too: ``x`` is added to
the input first.

Differences from BrainPy 2.1.12: ``keep_size`` is honoured by every model (2.1.12
only honours it in ``LIF``); ``HindmarshRose`` initialises ``V`` with
``V_initializer`` and ``z`` with ``z_initializer`` (2.1.12 swaps them at
construction, not in ``reset``; the defaults are the same); ``LIF`` also takes
BrainPy 2.2's ``spike_fun`` (surrogate-gradient spikes, for training).

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> group = bp.dyn.LIF(2, tau_ref=2.)
>>> for i in range(300):
...     group.input += 25.
...     group.update(i * 0.1, 0.1)
>>> group.t_last_spike
Variable(tensor([16., 16.]))
"""

from __future__ import annotations

from typing import Any, Callable

import torch

from bptorch.dyn._helpers import check_initializer, init_state, parameter
from bptorch.dyn.base import NeuGroup, time_args
from bptorch.initialize import OneInit, ZeroInit
from bptorch.integrators.joint_eq import JointEq
from bptorch.integrators.ode import odeint
from bptorch.integrators.sde import sdeint
from bptorch.math.variables import Variable

__all__ = ['LIF', 'ExpIF', 'AdExIF', 'QuaIF', 'AdQuaIF', 'GIF', 'Izhikevich', 'HindmarshRose',
           'FHN']


class _Neurons(NeuGroup):
    """The common parts: parameters and states of shape ``varshape``, the input."""

    def _param(self, x: Any) -> Any:
        return parameter(x, self.varshape)

    def _state(self, initializer: Any, dtype: torch.dtype | None = None) -> Variable:
        return Variable(init_state(initializer, self.varshape, dtype))

    def _reinit(self, var: Variable, initializer: Any) -> None:
        var.value = init_state(initializer, self.varshape).to(device=var.device, dtype=var.dtype)

    def _begin(self, t: Any, dt: Any, x: Any) -> tuple:
        t, dt, x = time_args(t, dt, x)
        if x is not None:
            self.input += x
        return t, dt

    def _clear_input(self) -> None:
        self.input.value = torch.zeros_like(self.input._read())

    def _potential_and_last_spike(self) -> tuple[torch.Tensor, torch.Tensor]:
        """``V`` and ``t_last_spike`` as the Variables' own tensors (no copies: the
        updates only read them, with operations that make new tensors)."""
        return self.V._read(), self.t_last_spike._read()

    def _zeros(self, dtype: torch.dtype | None = None) -> Variable:
        return Variable(init_state(ZeroInit(), self.varshape, dtype))

    def _last_spike(self) -> Variable:
        return Variable(init_state(OneInit(-1e7), self.varshape))

    def _reset_spiking(self) -> None:
        self.input.value = torch.zeros_like(self.input._read())
        self.spike.value = torch.zeros_like(self.spike.value)
        if 'refractory' in self.__dict__:
            self.refractory.value = torch.zeros_like(self.refractory.value)
        if 't_last_spike' in self.__dict__:
            self.t_last_spike.value = torch.full_like(self.t_last_spike.value, -1e7)


class LIF(_Neurons):
    r"""Leaky integrate-and-fire neuron model.

    .. math::

        \tau \frac{dV}{dt} = - (V(t) - V_{rest}) + I(t), \quad
        V > V_{th} \Rightarrow V \leftarrow V_{reset} \text{ for } \tau_{ref} \text{ ms}

    Parameters
    ----------
    size : int or tuple of int
        The group's size.
    V_rest, V_reset, V_th, tau, tau_ref : float, tensor or initializer
        Resting and reset potentials, threshold, membrane time constant, refractory
        period (defaults 0, -5, 20, 10, 1).
    V_initializer : initializer or tensor
        The initial membrane potential (zeros).
    noise : float, tensor, initializer or callable, optional
        Noise on the membrane potential: its intensity (``noise_type='value'``, the
        diffusion is ``noise / sqrt(tau)``), or the diffusion function
        ``g(V, t, I_ext)`` (``noise_type='func'``); the equation is then an SDE.
    noise_type : {'value', 'func'}
    keep_size : bool
        Variables of shape ``size`` instead of ``(num,)``.
    method : str
        The integration method (``'exp_auto'``).
    name : str, optional
    spike_fun : callable, optional
        BrainPy 2.2's surrogate spike function (e.g. ``bm.surrogate.sigmoid``): spikes are
        then ``spike_fun(V - V_th)`` (floats with a surrogate gradient), the reset uses
        them without gradient, as BrainPy 2.2's training mode does.

    Examples
    --------
    >>> import bptorch as bp
    >>> lif = bp.dyn.LIF(3, V_rest=-60., V_reset=-60., V_th=-50., tau=20., tau_ref=5.,
    ...                  V_initializer=bp.init.OneInit(-60.))
    >>> for i in range(300):
    ...     lif.input += 20.
    ...     lif.update(i * 0.1, 0.1)
    >>> lif.spike.dtype, lif.t_last_spike
    (torch.bool, Variable(tensor([13.8000, 13.8000, 13.8000])))
    """

    def __init__(self, size: Any, V_rest: Any = 0., V_reset: Any = -5., V_th: Any = 20.,
                 tau: Any = 10., tau_ref: Any = 1., V_initializer: Any = ZeroInit(),
                 noise: Any = None, noise_type: str = 'value', keep_size: bool = False,
                 method: str = 'exp_auto', name: str | None = None,
                 spike_fun: Callable | None = None):
        super().__init__(size=size, name=name, keep_size=keep_size)
        self.noise_type = noise_type
        self.V_rest = self._param(V_rest)
        self.V_reset = self._param(V_reset)
        self.V_th = self._param(V_th)
        self.tau = self._param(tau)
        self.tau_ref = self._param(tau_ref)
        if noise_type not in ('func', 'value'):
            raise ValueError(f'noise_type only supports `func` and `value`, but we got '
                             f'{noise_type}')
        self.noise = (noise if noise_type == 'func'
                      else parameter(noise, self.varshape, allow_none=True))
        if spike_fun is not None and not callable(spike_fun):
            raise ValueError(f'"spike_fun" must be callable, but we got {type(spike_fun)}')
        self.spike_fun = spike_fun
        check_initializer(V_initializer, 'V_initializer')
        self._V_initializer = V_initializer
        self.V = self._state(V_initializer)
        self.input = self._zeros()
        self.spike = self._zeros(None if spike_fun is not None else torch.bool)
        self.t_last_spike = self._last_spike()
        self.refractory = self._zeros(torch.bool)
        if self.noise is not None:
            if noise_type == 'func':
                g = noise
            else:
                g = lambda V, t, I_ext: self.noise / self.tau ** 0.5
            self.integral = sdeint(method=method, f=self.derivative, g=g)
        else:
            self.integral = odeint(method=method, f=self.derivative)

    def derivative(self, V, t, I_ext):
        return (-V + self.V_rest + I_ext) / self.tau

    def reset(self) -> None:
        self._reinit(self.V, self._V_initializer)
        self._reset_spiking()

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt = self._begin(t, dt, x)
        V_old, t_last = self._potential_and_last_spike()
        refractory = (t - t_last) <= self.tau_ref
        V = self.integral(V_old, t, self.input._read(), dt=dt)
        V = torch.where(refractory, V_old, V)
        if self.spike_fun is None:
            spike = V >= self.V_th
            fired = spike
            V = torch.where(spike, self.V_reset, V)
        else:
            spike = self.spike_fun(V - self.V_th)
            fired = spike.detach() > 0.
            V = V + (self.V_reset - V) * spike.detach()
        self.t_last_spike.value = torch.where(fired, t, t_last)
        self.V.value = V
        self.refractory.value = torch.logical_or(refractory, fired)
        self.spike.value = spike
        self._clear_input()


class ExpIF(_Neurons):
    r"""Exponential integrate-and-fire neuron model.

    .. math::

        \tau\frac{d V}{d t}= - (V-V_{rest}) + \Delta_T e^{\frac{V-V_T}{\Delta_T}} + RI(t)

    with reset to ``V_reset`` above ``V_th`` and a refractory period ``tau_ref``.

    Parameters
    ----------
    size : int or tuple of int
    V_rest, V_reset, V_th, V_T, delta_T, R, tau, tau_ref : float, tensor or initializer
        Defaults -65, -68, -30, -59.9, 3.48, 1, 10, 1.7.
    V_initializer : initializer or tensor
    keep_size : bool
    method : str
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> group = bp.dyn.ExpIF(1, V_initializer=bp.init.OneInit(-65.))
    >>> for i in range(200):
    ...     group.input += 10.
    ...     group.update(i * 0.1, 0.1)
    >>> bool(group.t_last_spike > 0)
    True
    """

    def __init__(self, size: Any, V_rest: Any = -65., V_reset: Any = -68., V_th: Any = -30.,
                 V_T: Any = -59.9, delta_T: Any = 3.48, R: Any = 1., tau: Any = 10.,
                 tau_ref: Any = 1.7, V_initializer: Any = ZeroInit(), keep_size: bool = False,
                 method: str = 'exp_auto', name: str | None = None):
        super().__init__(size=size, name=name, keep_size=keep_size)
        self.V_rest = self._param(V_rest)
        self.V_reset = self._param(V_reset)
        self.V_th = self._param(V_th)
        self.V_T = self._param(V_T)
        self.delta_T = self._param(delta_T)
        self.tau_ref = self._param(tau_ref)
        self.tau = self._param(tau)
        self.R = self._param(R)
        check_initializer(V_initializer, 'V_initializer')
        self._V_initializer = V_initializer
        self.V = self._state(V_initializer)
        self.input = self._zeros()
        self.spike = self._zeros(torch.bool)
        self.refractory = self._zeros(torch.bool)
        self.t_last_spike = self._last_spike()
        self.integral = odeint(method=method, f=self.derivative)

    def reset(self) -> None:
        self._reinit(self.V, self._V_initializer)
        self._reset_spiking()

    def derivative(self, V, t, I_ext):
        exp_v = self.delta_T * torch.exp((V - self.V_T) / self.delta_T)
        return (- (V - self.V_rest) + exp_v + self.R * I_ext) / self.tau

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt = self._begin(t, dt, x)
        V_old, t_last = self._potential_and_last_spike()
        refractory = (t - t_last) <= self.tau_ref
        V = self.integral(V_old, t, self.input._read(), dt=dt)
        V = torch.where(refractory, V_old, V)
        spike = self.V_th <= V
        self.t_last_spike.value = torch.where(spike, t, t_last)
        self.V.value = torch.where(spike, self.V_reset, V)
        self.refractory.value = torch.logical_or(refractory, spike)
        self.spike.value = spike
        self._clear_input()


class AdExIF(_Neurons):
    r"""Adaptive exponential integrate-and-fire neuron model.

    .. math::

        \tau_m\frac{d V}{d t} = - (V-V_{rest}) + \Delta_T e^{\frac{V-V_T}{\Delta_T}} - Rw + RI(t),
        \qquad \tau_w \frac{d w}{d t} = a(V-V_{rest}) - w

    and at a spike ``V -> V_reset``, ``w -> w + b``.

    Parameters
    ----------
    size : int or tuple of int
    V_rest, V_reset, V_th, V_T, delta_T, a, b, tau, tau_w, R : float, tensor or initializer
        Defaults -65, -68, -30, -59.9, 3.48, 1, 1, 10, 30, 1.
    V_initializer, w_initializer : initializer or tensor
    method : str
    keep_size : bool
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> group = bp.dyn.AdExIF(1, V_initializer=bp.init.OneInit(-65.))
    >>> for i in range(300):
    ...     group.input += 10.
    ...     group.update(i * 0.1, 0.1)
    >>> bool(group.w > 0)
    True
    """

    def __init__(self, size: Any, V_rest: Any = -65., V_reset: Any = -68., V_th: Any = -30.,
                 V_T: Any = -59.9, delta_T: Any = 3.48, a: Any = 1., b: Any = 1., tau: Any = 10.,
                 tau_w: Any = 30., R: Any = 1., V_initializer: Any = ZeroInit(),
                 w_initializer: Any = ZeroInit(), method: str = 'exp_auto',
                 keep_size: bool = False, name: str | None = None):
        super().__init__(size=size, name=name, keep_size=keep_size)
        self.V_rest = self._param(V_rest)
        self.V_reset = self._param(V_reset)
        self.V_th = self._param(V_th)
        self.V_T = self._param(V_T)
        self.delta_T = self._param(delta_T)
        self.a = self._param(a)
        self.b = self._param(b)
        self.tau = self._param(tau)
        self.tau_w = self._param(tau_w)
        self.R = self._param(R)
        check_initializer(V_initializer, 'V_initializer')
        check_initializer(w_initializer, 'w_initializer')
        self._V_initializer = V_initializer
        self._w_initializer = w_initializer
        self.V = self._state(V_initializer)
        self.w = self._state(w_initializer)
        self.refractory = self._zeros(torch.bool)
        self.input = self._zeros()
        self.spike = self._zeros(torch.bool)
        self.integral = odeint(method=method, f=self.derivative)

    def reset(self) -> None:
        self._reinit(self.V, self._V_initializer)
        self._reinit(self.w, self._w_initializer)
        self._reset_spiking()

    def dV(self, V, t, w, I_ext):
        return (- V + self.V_rest + self.delta_T * torch.exp((V - self.V_T) / self.delta_T)
                - self.R * w + self.R * I_ext) / self.tau

    def dw(self, w, t, V):
        return (self.a * (V - self.V_rest) - w) / self.tau_w

    @property
    def derivative(self) -> JointEq:
        return JointEq([self.dV, self.dw])

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt = self._begin(t, dt, x)
        V, w = self.integral(self.V.value, self.w.value, t, self.input.value, dt=dt)
        spike = V >= self.V_th
        self.V.value = torch.where(spike, self.V_reset, V)
        self.w.value = torch.where(spike, w + self.b, w)
        self.spike.value = spike
        self._clear_input()


class QuaIF(_Neurons):
    r"""Quadratic integrate-and-fire neuron model.

    .. math::

        \tau \frac{d V}{d t}=c(V-V_{rest})(V-V_c) + RI(t)

    with reset to ``V_reset`` above ``V_th`` and a refractory period ``tau_ref``.

    Parameters
    ----------
    size : int or tuple of int
    V_rest, V_reset, V_th, V_c, c, R, tau, tau_ref : float, tensor or initializer
        Defaults -65, -68, -30, -50, 0.07, 1, 10, 0.
    V_initializer : initializer or tensor
    keep_size : bool
    method : str
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> group = bp.dyn.QuaIF(1, V_initializer=bp.init.OneInit(-65.))
    >>> for i in range(300):
    ...     group.input += 20.
    ...     group.update(i * 0.1, 0.1)
    >>> bool(group.t_last_spike > 0)
    True
    """

    def __init__(self, size: Any, V_rest: Any = -65., V_reset: Any = -68., V_th: Any = -30.,
                 V_c: Any = -50.0, c: Any = .07, R: Any = 1., tau: Any = 10., tau_ref: Any = 0.,
                 V_initializer: Any = ZeroInit(), keep_size: bool = False,
                 method: str = 'exp_auto', name: str | None = None):
        super().__init__(size=size, name=name, keep_size=keep_size)
        self.V_rest = self._param(V_rest)
        self.V_reset = self._param(V_reset)
        self.V_th = self._param(V_th)
        self.V_c = self._param(V_c)
        self.c = self._param(c)
        self.R = self._param(R)
        self.tau = self._param(tau)
        self.tau_ref = self._param(tau_ref)
        check_initializer(V_initializer, '_V_initializer', allow_none=False)
        self._V_initializer = V_initializer
        self.V = self._state(V_initializer)
        self.input = self._zeros()
        self.spike = self._zeros(torch.bool)
        self.refractory = self._zeros(torch.bool)
        self.t_last_spike = self._last_spike()
        self.integral = odeint(method=method, f=self.derivative)

    def reset(self) -> None:
        self._reinit(self.V, self._V_initializer)
        self._reset_spiking()

    def derivative(self, V, t, I_ext):
        return (self.c * (V - self.V_rest) * (V - self.V_c) + self.R * I_ext) / self.tau

    def update(self, t: Any, dt: Any = None, x: Any = None, **kwargs) -> None:
        t, dt = self._begin(t, dt, x)
        V_old, t_last = self._potential_and_last_spike()
        refractory = (t - t_last) <= self.tau_ref
        V = self.integral(V_old, t, self.input._read(), dt=dt)
        V = torch.where(refractory, V_old, V)
        spike = self.V_th <= V
        self.t_last_spike.value = torch.where(spike, t, t_last)
        self.V.value = torch.where(spike, self.V_reset, V)
        self.refractory.value = torch.logical_or(refractory, spike)
        self.spike.value = spike
        self._clear_input()


class AdQuaIF(_Neurons):
    r"""Adaptive quadratic integrate-and-fire neuron model.

    .. math::

        \tau_m \frac{d V}{d t}=c(V-V_{rest})(V-V_c) - w + I(t), \qquad
        \tau_w \frac{d w}{d t}=a(V-V_{rest}) - w

    and at a spike ``V -> V_reset``, ``w -> w + b``.

    Parameters
    ----------
    size : int or tuple of int
    V_rest, V_reset, V_th, V_c, a, b, c, tau, tau_w : float, tensor or initializer
        Defaults -65, -68, -30, -50, 1, 0.1, 0.07, 10, 10.
    V_initializer, w_initializer : initializer or tensor
    method : str
    keep_size : bool
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> group = bp.dyn.AdQuaIF(1, V_initializer=bp.init.OneInit(-65.))
    >>> for i in range(300):
    ...     group.input += 30.
    ...     group.update(i * 0.1, 0.1)
    >>> bool(group.w > 0)
    True
    """

    def __init__(self, size: Any, V_rest: Any = -65., V_reset: Any = -68., V_th: Any = -30.,
                 V_c: Any = -50.0, a: Any = 1., b: Any = .1, c: Any = .07, tau: Any = 10.,
                 tau_w: Any = 10., V_initializer: Any = ZeroInit(),
                 w_initializer: Any = ZeroInit(), method: str = 'exp_auto',
                 keep_size: bool = False, name: str | None = None):
        super().__init__(size=size, name=name, keep_size=keep_size)
        self.V_rest = self._param(V_rest)
        self.V_reset = self._param(V_reset)
        self.V_th = self._param(V_th)
        self.V_c = self._param(V_c)
        self.c = self._param(c)
        self.a = self._param(a)
        self.b = self._param(b)
        self.tau = self._param(tau)
        self.tau_w = self._param(tau_w)
        check_initializer(V_initializer, 'V_initializer', allow_none=False)
        check_initializer(w_initializer, 'w_initializer', allow_none=False)
        self._V_initializer = V_initializer
        self._w_initializer = w_initializer
        self.V = self._state(V_initializer)
        self.w = self._state(w_initializer)
        self.input = self._zeros()
        self.spike = self._zeros(torch.bool)
        self.refractory = self._zeros(torch.bool)
        self.integral = odeint(method=method, f=self.derivative)

    def reset(self) -> None:
        self._reinit(self.V, self._V_initializer)
        self._reinit(self.w, self._w_initializer)
        self._reset_spiking()

    def dV(self, V, t, w, I_ext):
        return (self.c * (V - self.V_rest) * (V - self.V_c) - w + I_ext) / self.tau

    def dw(self, w, t, V):
        return (self.a * (V - self.V_rest) - w) / self.tau_w

    @property
    def derivative(self) -> JointEq:
        return JointEq([self.dV, self.dw])

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt = self._begin(t, dt, x)
        V, w = self.integral(self.V.value, self.w.value, t, self.input.value, dt=dt)
        spike = self.V_th <= V
        self.V.value = torch.where(spike, self.V_reset, V)
        self.w.value = torch.where(spike, w + self.b, w)
        self.spike.value = spike
        self._clear_input()


class GIF(_Neurons):
    r"""Generalized integrate-and-fire model (Mihalaş & Niebur 2009).

    .. math::

        \frac{d I_j}{d t} = - k_j I_j, \quad
        \frac{d V}{d t} = ( - (V - V_{rest}) + R\sum_{j}I_j + RI) / \tau, \quad
        \frac{d V_{th}}{d t} = a(V - V_{rest}) - b(V_{th} - V_{th\infty})

    When :math:`V` reaches :math:`V_{th}` (the threshold before the step):
    :math:`I_j \leftarrow R_j I_j + A_j`, :math:`V \leftarrow V_{reset}`,
    :math:`V_{th} \leftarrow \max(V_{th_{reset}}, V_{th})`.

    Parameters
    ----------
    size : int or tuple of int
    V_rest, V_reset, V_th_inf, V_th_reset, R, tau, a, b, k1, k2, R1, R2, A1, A2 : float or tensor
        Defaults -70, -70, -50, -60, 20, 20, 0, 0.01, 0.2, 0.02, 0, 1, 0, 0.
    V_initializer, I1_initializer, I2_initializer, Vth_initializer : initializer or tensor
        Defaults -70, 0, 0, -50.
    method : str
    keep_size : bool
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> group = bp.dyn.GIF(1)
    >>> for i in range(500):
    ...     group.input += 1.5
    ...     group.update(i * 0.1, 0.1)
    >>> group.V_th.shape
    torch.Size([1])
    """

    def __init__(self, size: Any, V_rest: Any = -70., V_reset: Any = -70., V_th_inf: Any = -50.,
                 V_th_reset: Any = -60., R: Any = 20., tau: Any = 20., a: Any = 0., b: Any = 0.01,
                 k1: Any = 0.2, k2: Any = 0.02, R1: Any = 0., R2: Any = 1., A1: Any = 0.,
                 A2: Any = 0., V_initializer: Any = OneInit(-70.), I1_initializer: Any = ZeroInit(),
                 I2_initializer: Any = ZeroInit(), Vth_initializer: Any = OneInit(-50.),
                 method: str = 'exp_auto', keep_size: bool = False, name: str | None = None):
        super().__init__(size=size, name=name, keep_size=keep_size)
        self.V_rest = self._param(V_rest)
        self.V_reset = self._param(V_reset)
        self.V_th_inf = self._param(V_th_inf)
        self.V_th_reset = self._param(V_th_reset)
        self.R = self._param(R)
        self.tau = self._param(tau)
        self.a = self._param(a)
        self.b = self._param(b)
        self.k1 = self._param(k1)
        self.k2 = self._param(k2)
        self.R1 = self._param(R1)
        self.R2 = self._param(R2)
        self.A1 = self._param(A1)
        self.A2 = self._param(A2)
        for init, name_ in ((V_initializer, 'V_initializer'),
                            (I1_initializer, 'I1_initializer'),
                            (I2_initializer, 'I2_initializer'),
                            (Vth_initializer, 'Vth_initializer')):
            check_initializer(init, name_)
        self._V_initializer = V_initializer
        self._I1_initializer = I1_initializer
        self._I2_initializer = I2_initializer
        self._Vth_initializer = Vth_initializer
        self.I1 = self._state(I1_initializer)
        self.I2 = self._state(I2_initializer)
        self.V = self._state(V_initializer)
        self.V_th = self._state(Vth_initializer)
        self.input = self._zeros()
        self.spike = self._zeros(torch.bool)
        self.integral = odeint(method=method, f=self.derivative)

    def reset(self) -> None:
        self._reinit(self.V, self._V_initializer)
        self._reinit(self.I1, self._I1_initializer)
        self._reinit(self.I2, self._I2_initializer)
        self._reinit(self.V_th, self._Vth_initializer)
        self._reset_spiking()

    def dI1(self, I1, t):
        return - self.k1 * I1

    def dI2(self, I2, t):
        return - self.k2 * I2

    def dVth(self, V_th, t, V):
        return self.a * (V - self.V_rest) - self.b * (V_th - self.V_th_inf)

    def dV(self, V, t, I1, I2, I_ext):
        return (- (V - self.V_rest) + self.R * I_ext + self.R * I1 + self.R * I2) / self.tau

    @property
    def derivative(self) -> JointEq:
        return JointEq([self.dI1, self.dI2, self.dVth, self.dV])

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt = self._begin(t, dt, x)
        I1, I2, V_th, V = self.integral(self.I1.value, self.I2.value, self.V_th.value,
                                        self.V.value, t, self.input.value, dt=dt)
        spike = self.V_th.value <= V
        V = torch.where(spike, self.V_reset, V)
        I1 = torch.where(spike, self.R1 * I1 + self.A1, I1)
        I2 = torch.where(spike, self.R2 * I2 + self.A2, I2)
        reset_th = torch.logical_and(V_th < self.V_th_reset, spike)
        V_th = torch.where(reset_th, self.V_th_reset, V_th)
        self.spike.value = spike
        self.I1.value = I1
        self.I2.value = I2
        self.V_th.value = V_th
        self.V.value = V
        self._clear_input()


class Izhikevich(_Neurons):
    r"""The Izhikevich neuron model.

    .. math::

        \frac{d V}{d t} = 0.04 V^{2}+5 V+140-u+I, \qquad \frac{d u}{d t} =a(b V-u)

    and at :math:`V \geq V_{th}`: :math:`V \leftarrow c`, :math:`u \leftarrow u+d`; a
    refractory period ``tau_ref`` holds ``V``.

    Parameters
    ----------
    size : int or tuple of int
    a, b, c, d, V_th, tau_ref : float, tensor or initializer
        Defaults 0.02, 0.2, -65, 8, 30, 0.
    V_initializer, u_initializer : initializer or tensor
        Defaults 0 and 1.
    method : str
    keep_size : bool
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> group = bp.dyn.Izhikevich(1, V_initializer=bp.init.OneInit(-65.))
    >>> for i in range(500):
    ...     group.input += 10.
    ...     group.update(i * 0.1, 0.1)
    >>> bool(group.t_last_spike > 0)
    True
    """

    def __init__(self, size: Any, a: Any = 0.02, b: Any = 0.20, c: Any = -65., d: Any = 8.,
                 V_th: Any = 30., tau_ref: Any = 0., V_initializer: Any = ZeroInit(),
                 u_initializer: Any = OneInit(), method: str = 'exp_auto',
                 keep_size: bool = False, name: str | None = None):
        super().__init__(size=size, name=name, keep_size=keep_size)
        self.a = self._param(a)
        self.b = self._param(b)
        self.c = self._param(c)
        self.d = self._param(d)
        self.V_th = self._param(V_th)
        self.tau_ref = self._param(tau_ref)
        check_initializer(V_initializer, 'V_initializer', allow_none=False)
        check_initializer(u_initializer, 'u_initializer', allow_none=False)
        self._V_initializer = V_initializer
        self._u_initializer = u_initializer
        self.u = self._state(u_initializer)
        self.V = self._state(V_initializer)
        self.input = self._zeros()
        self.spike = self._zeros(torch.bool)
        self.refractory = self._zeros(torch.bool)
        self.t_last_spike = self._last_spike()
        self.integral = odeint(method=method, f=JointEq([self.dV, self.du]))

    def reset(self) -> None:
        self._reinit(self.V, self._V_initializer)
        self._reinit(self.u, self._u_initializer)
        self._reset_spiking()

    def dV(self, V, t, u, I_ext):
        return 0.04 * V * V + 5 * V + 140 - u + I_ext

    def du(self, u, t, V):
        return self.a * (self.b * V - u)

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt = self._begin(t, dt, x)
        V_old, t_last = self._potential_and_last_spike()
        V, u = self.integral(V_old, self.u.value, t, self.input._read(), dt=dt)
        refractory = (t - t_last) <= self.tau_ref
        V = torch.where(refractory, V_old, V)
        spike = self.V_th <= V
        self.t_last_spike.value = torch.where(spike, t, t_last)
        self.V.value = torch.where(spike, self.c, V)
        self.u.value = torch.where(spike, u + self.d, u)
        self.refractory.value = torch.logical_or(refractory, spike)
        self.spike.value = spike
        self._clear_input()


class HindmarshRose(_Neurons):
    r"""Hindmarsh-Rose neuron model.

    .. math::

        \frac{d V}{d t} = y - a V^3 + b V^2 - z + I, \quad
        \frac{d y}{d t} = c - d V^2 - y, \quad
        \frac{d z}{d t} = r (s (V - V_{rest}) - z)

    A spike is an upward crossing of ``V_th``.

    Parameters
    ----------
    size : int or tuple of int
    a, b, c, d, r, s, V_rest, V_th : float, tensor or initializer
        Defaults 1, 3, 1, 5, 0.01, 4, -1.6, 1.
    V_initializer, y_initializer, z_initializer : initializer or tensor
        Defaults 0, -10, 0.
    method : str
    keep_size : bool
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> group = bp.dyn.HindmarshRose(1)
    >>> for i in range(1000):
    ...     group.input += 3.
    ...     group.update(i * 0.05, 0.05)
    >>> group.z.shape
    torch.Size([1])
    """

    def __init__(self, size: Any, a: Any = 1., b: Any = 3., c: Any = 1., d: Any = 5.,
                 r: Any = 0.01, s: Any = 4., V_rest: Any = -1.6, V_th: Any = 1.0,
                 V_initializer: Any = ZeroInit(), y_initializer: Any = OneInit(-10.),
                 z_initializer: Any = ZeroInit(), method: str = 'exp_auto',
                 keep_size: bool = False, name: str | None = None):
        super().__init__(size=size, name=name, keep_size=keep_size)
        self.a = self._param(a)
        self.b = self._param(b)
        self.c = self._param(c)
        self.d = self._param(d)
        self.r = self._param(r)
        self.s = self._param(s)
        self.V_th = self._param(V_th)
        self.V_rest = self._param(V_rest)
        check_initializer(V_initializer, 'V_initializer', allow_none=False)
        check_initializer(y_initializer, 'y_initializer', allow_none=False)
        check_initializer(z_initializer, 'z_initializer', allow_none=False)
        self._V_initializer = V_initializer
        self._y_initializer = y_initializer
        self._z_initializer = z_initializer
        self.z = self._state(z_initializer)
        self.y = self._state(y_initializer)
        self.V = self._state(V_initializer)
        self.input = self._zeros()
        self.spike = self._zeros(torch.bool)
        self.integral = odeint(method=method, f=self.derivative)

    def reset(self) -> None:
        self._reinit(self.V, self._V_initializer)
        self._reinit(self.y, self._y_initializer)
        self._reinit(self.z, self._z_initializer)
        self._reset_spiking()

    def dV(self, V, t, y, z, I_ext):
        return y - self.a * V * V * V + self.b * V * V - z + I_ext

    def dy(self, y, t, V):
        return self.c - self.d * V * V - y

    def dz(self, z, t, V):
        return self.r * (self.s * (V - self.V_rest) - z)

    @property
    def derivative(self) -> JointEq:
        return JointEq([self.dV, self.dy, self.dz])

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt = self._begin(t, dt, x)
        V_old = self.V.value
        V, y, z = self.integral(V_old, self.y.value, self.z.value, t, self.input.value, dt=dt)
        self.spike.value = torch.logical_and(V >= self.V_th, V_old < self.V_th)
        self.V.value = V
        self.y.value = y
        self.z.value = z
        self._clear_input()


class FHN(_Neurons):
    r"""FitzHugh-Nagumo neuron model.

    .. math::

        \dot{v} = v - \frac{v^{3}}{3} - w + I_{ext}, \qquad \tau \dot{w} = v + a - b w

    A spike is an upward crossing of ``Vth``.

    Parameters
    ----------
    size : int or tuple of int
    a, b, tau, Vth : float, tensor or initializer
        Defaults 0.7, 0.8, 12.5, 1.8.
    V_initializer, w_initializer : initializer or tensor
    method : str
    keep_size : bool
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> fhn = bp.dyn.FHN(1)
    >>> for i in range(1000):
    ...     fhn.input += 1.
    ...     fhn.update(i * 0.1, 0.1)
    >>> fhn.V.shape, fhn.w.shape
    (torch.Size([1]), torch.Size([1]))
    """

    def __init__(self, size: Any, a: Any = 0.7, b: Any = 0.8, tau: Any = 12.5, Vth: Any = 1.8,
                 V_initializer: Any = ZeroInit(), w_initializer: Any = ZeroInit(),
                 method: str = 'exp_auto', keep_size: bool = False, name: str | None = None):
        super().__init__(size=size, name=name, keep_size=keep_size)
        self.a = self._param(a)
        self.b = self._param(b)
        self.tau = self._param(tau)
        self.Vth = self._param(Vth)
        check_initializer(V_initializer, 'V_initializer')
        check_initializer(w_initializer, 'w_initializer')
        self._V_initializer = V_initializer
        self._w_initializer = w_initializer
        self.w = self._state(w_initializer)
        self.V = self._state(V_initializer)
        self.input = self._zeros()
        self.spike = self._zeros(torch.bool)
        self.integral = odeint(method=method, f=self.derivative)

    def reset(self) -> None:
        self._reinit(self.V, self._V_initializer)
        self._reinit(self.w, self._w_initializer)
        self._reset_spiking()

    def dV(self, V, t, w, I_ext):
        return V - V * V * V / 3 - w + I_ext

    def dw(self, w, t, V):
        return (V + self.a - self.b * w) / self.tau

    @property
    def derivative(self) -> JointEq:
        return JointEq([self.dV, self.dw])

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt = self._begin(t, dt, x)
        V_old = self.V.value
        V, w = self.integral(V_old, self.w.value, t, self.input.value, dt=dt)
        self.spike.value = torch.logical_and(V >= self.Vth, V_old < self.Vth)
        self.V.value = V
        self.w.value = w
        self._clear_input()
