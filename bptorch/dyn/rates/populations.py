"""Rate (population) models of BrainPy 2.1.12: FHN, FeedbackFHN, QIF, Stuart-Landau,
Wilson-Cowan, threshold-linear.

Each has BrainPy 2.1.12's parameters and defaults, the state variables ``x`` and ``y``
(``e`` and ``i`` for :class:`ThresholdLinearModel`), an ``input`` (added to ``x``'s
equation, set back to 0 after each update) and optional Ornstein-Uhlenbeck noise on
each variable (``x_ou_*``, ``y_ou_*``: an :class:`~bptorch.dyn.OUProcess` child is made
when a mean or sigma is positive; ``sde_method`` is its method).

The equations are those BrainPy 2.1.12 computes; where its docstring writes another
(Stuart-Landau's ``dy``, Wilson-Cowan's ``dx``), the class docstring says so.

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> bm.random.seed(0)
>>> fhn = bp.dyn.rates.FHN(3)
>>> for i in range(100):
...     fhn.input += 1.
...     fhn.update(i * 0.1, 0.1)
>>> fhn.x.shape
torch.Size([3])
"""

from __future__ import annotations

import math
from typing import Any

import torch

from bptorch.dyn._helpers import check_initializer, init_state, parameter
from bptorch.dyn.base import NeuGroup, time_args
from bptorch.dyn.others.noises import OUProcess
from bptorch.initialize import Uniform, ZeroInit
from bptorch.integrators.joint_eq import JointEq
from bptorch.integrators.ode import odeint
from bptorch.math import random
from bptorch.math.delayvars import TimeDelay
from bptorch.math.variables import Variable

__all__ = ['Population', 'FHN', 'FeedbackFHN', 'QIF', 'StuartLandauOscillator',
           'WilsonCowanModel', 'ThresholdLinearModel']


def _positive(x: Any) -> bool:
    if isinstance(x, torch.Tensor):
        return bool((x > 0.).any())
    return x > 0.


class Population(NeuGroup):
    """Base class of rate (population) models.

    Examples
    --------
    >>> import bptorch as bp
    >>> issubclass(bp.dyn.rates.WilsonCowanModel, bp.dyn.rates.Population)
    True
    """

    def update(self, t, dt):
        raise NotImplementedError


class _Rates(NeuGroup):
    """Shared parts: ``x``, ``y``, ``input`` and the optional OU noises."""

    def _init_xy(self, x_initializer: Any, y_initializer: Any) -> None:
        check_initializer(x_initializer, 'x_initializer')
        check_initializer(y_initializer, 'y_initializer')
        self._x_initializer = x_initializer
        self._y_initializer = y_initializer
        self.x = Variable(init_state(x_initializer, (self.num,)))
        self.y = Variable(init_state(y_initializer, (self.num,)))
        self.input = Variable(init_state(ZeroInit(), (self.num,)))

    def _init_noise(self, x_ou_mean, x_ou_sigma, x_ou_tau, y_ou_mean, y_ou_sigma, y_ou_tau,
                    sde_method) -> None:
        p = lambda v: parameter(v, self.num)
        self.x_ou_mean, self.y_ou_mean = p(x_ou_mean), p(y_ou_mean)
        self.x_ou_sigma, self.y_ou_sigma = p(x_ou_sigma), p(y_ou_sigma)
        self.x_ou_tau, self.y_ou_tau = p(x_ou_tau), p(y_ou_tau)
        self.x_ou = self.y_ou = None
        if _positive(self.x_ou_mean) or _positive(self.x_ou_sigma):
            self.x_ou = OUProcess(self.num, self.x_ou_mean, self.x_ou_sigma, self.x_ou_tau,
                                  method=sde_method)
        if _positive(self.y_ou_mean) or _positive(self.y_ou_sigma):
            self.y_ou = OUProcess(self.num, self.y_ou_mean, self.y_ou_sigma, self.y_ou_tau,
                                  method=sde_method)

    def reset(self) -> None:
        self.x.value = init_state(self._x_initializer, (self.num,)).to(self.x.device)
        self.y.value = init_state(self._y_initializer, (self.num,)).to(self.y.device)
        self.input.value = torch.zeros_like(self.input.value)
        if self.x_ou is not None:
            self.x_ou.reset()
        if self.y_ou is not None:
            self.y_ou.reset()

    def _noise_inputs(self, t: Any, dt: Any) -> Any:
        """Add ``x``'s noise to the input, step the noises; ``y``'s noise (or 0)."""
        if self.x_ou is not None:
            self.input += self.x_ou.x
            self.x_ou.update(t, dt)
        y_ext = 0.
        if self.y_ou is not None:
            y_ext = self.y_ou.x.value
            self.y_ou.update(t, dt)
        return y_ext

    def _finish(self, x: torch.Tensor, y: torch.Tensor) -> None:
        self.x.value = x
        self.y.value = y
        self.input.value = torch.zeros_like(self.input.value)


class FHN(_Rates):
    r"""FitzHugh-Nagumo population model.

    .. math::

        \frac{dx}{dt} = -\alpha x^3 + \beta x^2 + \gamma x - y + I_{ext}, \qquad
        \frac{dy}{dt} = (x - \delta - \epsilon y) / \tau + y_{ext}

    Parameters
    ----------
    size : int or tuple of int
    alpha, beta, gamma, delta, epsilon, tau : float, tensor or initializer
        Defaults 3, 4, -1.5, 0, 0.5, 20.
    x_ou_mean, x_ou_sigma, x_ou_tau, y_ou_mean, y_ou_sigma, y_ou_tau : float, tensor or initializer
        The OU noises (means and sigmas 0: none; taus 5).
    x_initializer, y_initializer : initializer or tensor
        ``Uniform(0, 0.05)``.
    method : str
    sde_method : str, optional
    keep_size : bool
        Accepted (the variables have shape ``(num,)``, as in BrainPy 2.1.12).
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> fhn = bp.dyn.rates.FHN(2, x_ou_sigma=0.01)
    >>> type(fhn.x_ou).__name__, fhn.y_ou
    ('OUProcess', None)
    """

    def __init__(self, size: Any, alpha: Any = 3.0, beta: Any = 4.0, gamma: Any = -1.5,
                 delta: Any = 0.0, epsilon: Any = 0.5, tau: Any = 20.0, x_ou_mean: Any = 0.0,
                 x_ou_sigma: Any = 0.0, x_ou_tau: Any = 5.0, y_ou_mean: Any = 0.0,
                 y_ou_sigma: Any = 0.0, y_ou_tau: Any = 5.0,
                 x_initializer: Any = Uniform(0, 0.05), y_initializer: Any = Uniform(0, 0.05),
                 method: str = 'exp_auto', sde_method: str | None = None,
                 keep_size: bool = False, name: str | None = None):
        super().__init__(size=size, name=name)
        p = lambda v: parameter(v, self.num)
        self.alpha, self.beta, self.gamma = p(alpha), p(beta), p(gamma)
        self.delta, self.epsilon, self.tau = p(delta), p(epsilon), p(tau)
        self._init_noise(x_ou_mean, x_ou_sigma, x_ou_tau, y_ou_mean, y_ou_sigma, y_ou_tau,
                         sde_method)
        self._init_xy(x_initializer, y_initializer)
        self.integral = odeint(f=JointEq([self.dx, self.dy]), method=method)

    def dx(self, x, t, y, x_ext):
        return - self.alpha * x ** 3 + self.beta * x ** 2 + self.gamma * x - y + x_ext

    def dy(self, y, t, x, y_ext=0.):
        return (x - self.delta - self.epsilon * y) / self.tau + y_ext

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt, x_in = time_args(t, dt, x)
        if x_in is not None:
            self.input += x_in
        y_ext = self._noise_inputs(t, dt)
        x, y = self.integral(self.x.value, self.y.value, t, x_ext=self.input.value, y_ext=y_ext,
                             dt=dt)
        self._finish(x, y)


class FeedbackFHN(_Rates):
    r"""FitzHugh-Nagumo population with delayed self-feedback.

    .. math::

        \frac{dx}{dt} = x - \frac{x^3}{3} - y + \mu[x(t-\mathrm{delay}) - v_0] + I_{ext},
        \qquad \frac{dy}{dt} = [x + a - b y + y_{ext}] / \tau

    The delayed ``x`` comes from a :class:`~bptorch.math.TimeDelay` (``x_delay``,
    rounding to the step) that records ``x`` after each update; ``delay`` may be one
    value or one per population.

    Parameters
    ----------
    size : int or tuple of int
    a, b, delay, tau, mu, v0 : float, tensor or initializer
        Defaults 0.7, 0.8, 10, 12.5, 1.6886, -1.
    x_ou_mean, x_ou_sigma, x_ou_tau, y_ou_mean, y_ou_sigma, y_ou_tau : float, tensor or initializer
    x_initializer, y_initializer : initializer or tensor
    method : str
        ``'rk4'`` by default.
    sde_method : str, optional
    name : str, optional
    keep_size : bool
    dt : float, optional
        The step the model runs with (``bm.get_dt()``); ``update`` refuses another.

    Examples
    --------
    >>> import bptorch as bp
    >>> fhn = bp.dyn.rates.FeedbackFHN(1, delay=1., dt=0.1)
    >>> for i in range(50):
    ...     fhn.input += 1.
    ...     fhn.update(i * 0.1, 0.1)
    >>> fhn.x_delay.num_delay_step
    11
    """

    def __init__(self, size: Any, a: Any = 0.7, b: Any = 0.8, delay: Any = 10., tau: Any = 12.5,
                 mu: Any = 1.6886, v0: Any = -1, x_ou_mean: Any = 0.0, x_ou_sigma: Any = 0.0,
                 x_ou_tau: Any = 5.0, y_ou_mean: Any = 0.0, y_ou_sigma: Any = 0.0,
                 y_ou_tau: Any = 5.0, x_initializer: Any = Uniform(0, 0.05),
                 y_initializer: Any = Uniform(0, 0.05), method: str = 'rk4',
                 sde_method: str | None = None, name: str | None = None, keep_size: bool = False,
                 dt: float | None = None):
        super().__init__(size=size, name=name)
        from bptorch.math import settings
        self.dt = settings.get_dt() if dt is None else dt
        if isinstance(self.dt, bool) or not isinstance(self.dt, float) or self.dt <= 0:
            raise ValueError(f'"dt" must be a positive float, but we got {self.dt!r}')
        p = lambda v: parameter(v, self.num)
        self.a, self.b, self.delay = p(a), p(b), p(delay)
        self.tau, self.mu, self.v0 = p(tau), p(mu), p(v0)
        self._init_noise(x_ou_mean, x_ou_sigma, x_ou_tau, y_ou_mean, y_ou_sigma, y_ou_tau,
                         sde_method)
        self._init_xy(x_initializer, y_initializer)
        self.x_delay = TimeDelay(self.x, self._max_delay(), dt=self.dt, interp_method='round')
        self.integral = odeint(method=method, f=JointEq([self.dx, self.dy]))

    def _max_delay(self) -> float:
        d = self.delay
        return float(d.max()) if isinstance(d, torch.Tensor) else float(d)

    def reset(self) -> None:
        super().reset()
        self.x_delay.reset(self.x, self._max_delay())

    def dx(self, x, t, y, x_ext):
        return x - x * x * x / 3 - y + x_ext + self.mu * (self.x_delay(t - self.delay) - self.v0)

    def dy(self, y, t, x, y_ext):
        return (x + self.a - self.b * y + y_ext) / self.tau

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt, x_in = time_args(t, dt, x)
        if isinstance(dt, (int, float)) and not math.isclose(dt, self.dt, rel_tol=1e-6):
            raise ValueError(f'The "dt" {dt} used in model running is not consistent with the '
                             f'"dt" {self.dt} used in model definition.')
        if x_in is not None:
            self.input += x_in
        y_ext = self._noise_inputs(t, dt)
        x, y = self.integral(self.x.value, self.y.value, t, x_ext=self.input.value, y_ext=y_ext,
                             dt=dt)
        self._finish(x, y)
        self.x_delay.update(t + dt, x)


class QIF(_Rates):
    r"""The mean-field model of a population of quadratic integrate-and-fire neurons
    (Montbrió, Pazó & Roxin 2015): ``y`` is the firing rate :math:`r`, ``x`` the mean
    potential :math:`v`.

    .. math::

        \tau \dot{r} =\frac{\Delta}{\pi \tau}+2 r v + y_{ext}, \qquad
        \tau \dot{v} =v^{2}+\bar{\eta}+I(t)+J r \tau-(\pi r \tau)^{2}

    Parameters
    ----------
    size : int or tuple of int
    tau, eta, delta, J : float, tensor or initializer
        Defaults 1, -5, 1, 15.
    x_ou_mean, x_ou_sigma, x_ou_tau, y_ou_mean, y_ou_sigma, y_ou_tau : float, tensor or initializer
    x_initializer, y_initializer : initializer or tensor
    method : str
    name : str, optional
    keep_size : bool
    sde_method : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> qif = bp.dyn.rates.QIF(1)
    >>> for i in range(100):
    ...     qif.update(i * 0.01, 0.01)
    >>> bool(qif.y > 0)
    True
    """

    def __init__(self, size: Any, tau: Any = 1., eta: Any = -5.0, delta: Any = 1.0, J: Any = 15.,
                 x_ou_mean: Any = 0.0, x_ou_sigma: Any = 0.0, x_ou_tau: Any = 5.0,
                 y_ou_mean: Any = 0.0, y_ou_sigma: Any = 0.0, y_ou_tau: Any = 5.0,
                 x_initializer: Any = Uniform(0, 0.05), y_initializer: Any = Uniform(0, 0.05),
                 method: str = 'exp_auto', name: str | None = None, keep_size: bool = False,
                 sde_method: str | None = None):
        super().__init__(size=size, name=name)
        p = lambda v: parameter(v, self.num)
        self.tau, self.eta, self.delta, self.J = p(tau), p(eta), p(delta), p(J)
        self._init_noise(x_ou_mean, x_ou_sigma, x_ou_tau, y_ou_mean, y_ou_sigma, y_ou_tau,
                         sde_method)
        self._init_xy(x_initializer, y_initializer)
        self.integral = odeint(JointEq([self.dx, self.dy]), method=method)

    def dy(self, y, t, x, y_ext):
        return (self.delta / (math.pi * self.tau) + 2. * x * y + y_ext) / self.tau

    def dx(self, x, t, y, x_ext):
        return (x ** 2 + self.eta + x_ext + self.J * y * self.tau
                - (math.pi * y * self.tau) ** 2) / self.tau

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt, x_in = time_args(t, dt, x)
        if x_in is not None:
            self.input += x_in
        y_ext = self._noise_inputs(t, dt)
        x, y = self.integral(self.x.value, self.y.value, t=t, x_ext=self.input.value, y_ext=y_ext,
                             dt=dt)
        self._finish(x, y)


class StuartLandauOscillator(_Rates, Population):
    r"""Stuart-Landau oscillator (normal form of a Hopf bifurcation).

    As BrainPy 2.1.12 computes it:

    .. math::

        \frac{dx}{dt} = (a - x^2 - y^2) x - w y + I^x_{ext}, \qquad
        \frac{dy}{dt} = (a - x^2 - y^2) y - w y + I^y_{ext}

    (BrainPy's docstring writes ``+ w x`` in the second equation; its code, and this
    class, use ``- w y``.)

    Parameters
    ----------
    size : int or tuple of int
    a, w : float, tensor or initializer
        Defaults 0.25, 0.2.
    x_ou_mean, x_ou_sigma, x_ou_tau, y_ou_mean, y_ou_sigma, y_ou_tau : float, tensor or initializer
    x_initializer, y_initializer : initializer or tensor
        ``Uniform(0, 0.5)``.
    method : str
    keep_size : bool
    sde_method : str, optional
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> sl = bp.dyn.rates.StuartLandauOscillator(2)
    >>> sl.update(0., 0.1); sl.x.shape
    torch.Size([2])
    """

    def __init__(self, size: Any, a: Any = 0.25, w: Any = 0.2, x_ou_mean: Any = 0.0,
                 x_ou_sigma: Any = 0.0, x_ou_tau: Any = 5.0, y_ou_mean: Any = 0.0,
                 y_ou_sigma: Any = 0.0, y_ou_tau: Any = 5.0,
                 x_initializer: Any = Uniform(0, 0.5), y_initializer: Any = Uniform(0, 0.5),
                 method: str = 'exp_auto', keep_size: bool = False,
                 sde_method: str | None = None, name: str | None = None):
        super().__init__(size=size, name=name)
        self.a = parameter(a, self.num)
        self.w = parameter(w, self.num)
        self._init_noise(x_ou_mean, x_ou_sigma, x_ou_tau, y_ou_mean, y_ou_sigma, y_ou_tau,
                         sde_method)
        self._init_xy(x_initializer, y_initializer)
        self.integral = odeint(f=JointEq([self.dx, self.dy]), method=method)

    def dx(self, x, t, y, x_ext, a, w):
        return (a - x * x - y * y) * x - w * y + x_ext

    def dy(self, y, t, x, y_ext, a, w):
        return (a - x * x - y * y) * y - w * y + y_ext

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt, x_in = time_args(t, dt, x)
        if x_in is not None:
            self.input += x_in
        y_ext = self._noise_inputs(t, dt)
        x, y = self.integral(self.x.value, self.y.value, t, x_ext=self.input.value, y_ext=y_ext,
                             a=self.a, w=self.w, dt=dt)
        self._finish(x, y)


class WilsonCowanModel(_Rates, Population):
    r"""Wilson-Cowan population model of coupled excitatory (``x``) and inhibitory (``y``)
    activities.

    As BrainPy 2.1.12 computes it, with
    :math:`F(u, a, \theta) = 1/(1+e^{-a(u-\theta)}) - 1/(1+e^{a\theta})`,
    :math:`u_E = w_{EE} x - w_{IE} y + I^x_{ext}` and
    :math:`u_I = w_{EI} x - w_{II} y + I^y_{ext}`:

    .. math::

        \tau_E \frac{dx}{dt} = -u_E + (1 - r u_E) F(u_E, a_E, \theta_E), \qquad
        \tau_I \frac{dy}{dt} = -y + (1 - r y) F(u_I, a_I, \theta_I)

    (the textbook model has :math:`-x + (1 - r x) F(u_E, ...)` in the first equation;
    BrainPy's code, and this class, use :math:`u_E`.)

    Parameters
    ----------
    size : int or tuple of int
    E_tau, E_a, E_theta, I_tau, I_a, I_theta : float, tensor or initializer
        Defaults 1, 1.2, 2.8, 1, 1, 4.
    wEE, wIE, wEI, wII, r : float, tensor or initializer
        Defaults 12, 4, 13, 11, 1.
    x_ou_mean, x_ou_sigma, x_ou_tau, y_ou_mean, y_ou_sigma, y_ou_tau : float, tensor or initializer
    x_initializer, y_initializer : initializer or tensor
        ``Uniform(max_val=0.05)``.
    sde_method : str, optional
    keep_size : bool
    method : str
        ``'exp_euler_auto'``.
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> wc = bp.dyn.rates.WilsonCowanModel(2)
    >>> wc.update(0., 0.1); wc.y.shape
    torch.Size([2])
    """

    def __init__(self, size: Any, E_tau: Any = 1., E_a: Any = 1.2, E_theta: Any = 2.8,
                 I_tau: Any = 1., I_a: Any = 1., I_theta: Any = 4.0, wEE: Any = 12.,
                 wIE: Any = 4., wEI: Any = 13., wII: Any = 11., r: Any = 1.,
                 x_ou_mean: Any = 0.0, x_ou_sigma: Any = 0.0, x_ou_tau: Any = 5.0,
                 y_ou_mean: Any = 0.0, y_ou_sigma: Any = 0.0, y_ou_tau: Any = 5.0,
                 x_initializer: Any = Uniform(max_val=0.05),
                 y_initializer: Any = Uniform(max_val=0.05), sde_method: str | None = None,
                 keep_size: bool = False, method: str = 'exp_euler_auto',
                 name: str | None = None):
        super().__init__(size=size, name=name)
        p = lambda v: parameter(v, self.num)
        self.E_a, self.I_a = p(E_a), p(I_a)
        self.E_tau, self.I_tau = p(E_tau), p(I_tau)
        self.E_theta, self.I_theta = p(E_theta), p(I_theta)
        self.wEE, self.wIE, self.wEI, self.wII = p(wEE), p(wIE), p(wEI), p(wII)
        self.r = p(r)
        self._init_noise(x_ou_mean, x_ou_sigma, x_ou_tau, y_ou_mean, y_ou_sigma, y_ou_tau,
                         sde_method)
        self._init_xy(x_initializer, y_initializer)
        self.integral = odeint(f=JointEq([self.dx, self.dy]), method=method)

    def F(self, x, a, theta):
        return (1 / (1 + torch.exp(-a * (x - theta)))
                - 1 / (1 + torch.exp(torch.as_tensor(a * theta))))

    def dx(self, x, t, y, x_ext):
        x = self.wEE * x - self.wIE * y + x_ext
        return (-x + (1 - self.r * x) * self.F(x, self.E_a, self.E_theta)) / self.E_tau

    def dy(self, y, t, x, y_ext):
        x = self.wEI * x - self.wII * y + y_ext
        return (-y + (1 - self.r * y) * self.F(x, self.I_a, self.I_theta)) / self.I_tau

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt, x_in = time_args(t, dt, x)
        if x_in is not None:
            self.input += x_in
        y_ext = self._noise_inputs(t, dt)
        x, y = self.integral(self.x.value, self.y.value, t, x_ext=self.input.value, y_ext=y_ext,
                             dt=dt)
        self._finish(x, y)


class ThresholdLinearModel(Population):
    r"""Threshold-linear rate model of excitatory (``e``) and inhibitory (``i``) rates,
    integrated with Euler steps.

    .. math::

        \tau_{E} \frac{d \nu_{E}}{d t}=-\nu_{E}+\beta_{E}\left[I_{E}\right]_{+} + \xi_E, \qquad
        \tau_{I} \frac{d \nu_{I}}{d t}=-\nu_{I}+\beta_{I}\left[I_{I}\right]_{+} + \xi_I

    with :math:`[I]_+ = \max(I, 0)`, Gaussian noise of amplitude ``noise_e`` /
    ``noise_i``, and rates kept non-negative. ``Ie`` and ``Ii`` are the inputs.

    Parameters
    ----------
    size : int or tuple of int
    tau_e, tau_i, beta_e, beta_i, noise_e, noise_i : float, tensor or initializer
        Defaults 0.02, 0.01, 0.066, 0.351, 0, 0.
    e_initializer, i_initializer : initializer or tensor
    seed : int, optional
        The seed of the noise's RandomState.
    keep_size : bool
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> tl = bp.dyn.rates.ThresholdLinearModel(1)
    >>> for i in range(100):
    ...     tl.Ie += 10.
    ...     tl.update(i * 1e-3, 1e-3)
    >>> round(float(tl.e), 4)
    0.6561
    """

    def __init__(self, size: Any, tau_e: Any = 2e-2, tau_i: Any = 1e-2, beta_e: Any = .066,
                 beta_i: Any = .351, noise_e: Any = 0., noise_i: Any = 0.,
                 e_initializer: Any = ZeroInit(), i_initializer: Any = ZeroInit(),
                 seed: int | None = None, keep_size: bool = False, name: str | None = None):
        super().__init__(size, name=name)
        self.seed = seed
        p = lambda v: parameter(v, self.num)
        self.tau_e, self.tau_i = p(tau_e), p(tau_i)
        self.beta_e, self.beta_i = p(beta_e), p(beta_i)
        self.noise_e, self.noise_i = p(noise_e), p(noise_i)
        self._e_initializer = e_initializer
        self._i_initializer = i_initializer
        self.e = Variable(init_state(e_initializer, (self.num,)))
        self.i = Variable(init_state(i_initializer, (self.num,)))
        self.Ie = Variable(init_state(ZeroInit(), (self.num,)))
        self.Ii = Variable(init_state(ZeroInit(), (self.num,)))
        self._noisy_e = _nonzero(self.noise_e)
        self._noisy_i = _nonzero(self.noise_i)
        self.rng = random.RandomState(self.seed) if (self._noisy_e or self._noisy_i) else None

    def reset(self) -> None:
        if self.rng is not None:
            self.rng.seed(self.seed)
        self.e.value = init_state(self._e_initializer, (self.num,)).to(self.e.device)
        self.i.value = init_state(self._i_initializer, (self.num,)).to(self.i.device)
        self.Ie.value = torch.zeros_like(self.Ie.value)
        self.Ii.value = torch.zeros_like(self.Ii.value)

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt, _ = time_args(t, dt, x)
        e, i = self.e.value, self.i.value
        de = -e + self.beta_e * torch.clamp(self.Ie.value, min=0.)
        if self._noisy_e:
            de = de + self.rng.normal(torch.zeros_like(e), 1.) * self.noise_e
        de = de / self.tau_e
        self.e.value = torch.clamp(e + de * dt, min=0.)
        di = -i + self.beta_i * torch.clamp(self.Ii.value, min=0.)
        if self._noisy_i:
            di = di + self.rng.normal(torch.zeros_like(i), 1.) * self.noise_i
        di = di / self.tau_i
        self.i.value = torch.clamp(i + di * dt, min=0.)
        self.Ie.value = torch.zeros_like(self.Ie.value)
        self.Ii.value = torch.zeros_like(self.Ii.value)


def _nonzero(x: Any) -> bool:
    if isinstance(x, torch.Tensor):
        return bool((x != 0).any())
    return x != 0
