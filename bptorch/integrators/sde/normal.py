r"""Euler-Maruyama, Euler-Heun, derivative-free Milstein and exponential Euler for SDEs.

Notation: :math:`f_n = f(X_n, t_n)`, :math:`g_n = g(X_n, t_n)`, :math:`h = dt`,
:math:`\Delta W_n \sim \sqrt{h}\,\mathcal{N}(0, 1)`, drawn per element (and per
noise source for a vector Wiener process, whose terms :math:`g\,\Delta W` are
summed over the last axis).

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> integral = bp.sdeint(lambda x, t: -x, lambda x, t: 0. * x, method='milstein', dt=0.1)
>>> integral(bm.ones(2), 0.)     # no noise: the Euler step
tensor([0.9000, 0.9000])
"""

from __future__ import annotations

from typing import Callable

from bptorch.errors import IntegratorError
from bptorch.integrators import constants
from bptorch.integrators.joint_eq import JointEq
from bptorch.integrators.ode.exponential import exp_euler_drifts, one_variable_equations
from bptorch.integrators.sde.base import SDEIntegrator
from bptorch.integrators.sde.generic import register_sde_integrator

__all__ = ['Euler', 'Heun', 'Milstein', 'MilsteinGradFree', 'ExponentialEuler']


def _weighted(vector: bool):
    """``g * dW``, summed over the noise axis for a vector Wiener process."""
    if vector:
        return lambda g, dW: (g * dW).sum(-1)
    return lambda g, dW: g * dW


class Euler(SDEIntegrator):
    r"""The Euler-Maruyama method (Itô) and the Euler-Heun method (Stratonovich) (``'euler'``).

    Itô, strong order 0.5, weak order 1:

    .. math:: X_{n+1} = X_n + f_n h + g_n \Delta W_n

    Stratonovich:

    .. math::
        \bar{X}_n = X_n + g_n \Delta W_n, \qquad
        X_{n+1} = X_n + f_n h + \tfrac{1}{2}\left[g_n + g(\bar{X}_n, t_n)\right] \Delta W_n

    Parameters
    ----------
    f, g, dt, name, show_code, var_type, intg_type, wiener_type, state_delays
        As for :class:`~bptorch.integrators.sde.SDEIntegrator`.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> integral = bp.sde.Euler(lambda x, t: -x, lambda x, t: 0.5, dt=0.01)
    >>> integral.rng.seed(0); a = integral(bm.zeros(3), 0.)
    >>> integral.rng.seed(0); dW = integral.rng.randn(3) * 0.1
    >>> bool((a - 0.5 * dW).abs().max() < 1e-7)
    True
    """

    def __init__(self, f: Callable, g: Callable, dt: float | None = None,
                 name: str | None = None, show_code: bool = False,
                 var_type: str | None = None, intg_type: str | None = None,
                 wiener_type: str | None = None, state_delays: dict | None = None):
        super().__init__(f=f, g=g, dt=dt, name=name, show_code=show_code, var_type=var_type,
                         intg_type=intg_type, wiener_type=wiener_type, state_delays=state_delays)
        self.build()

    def build(self) -> None:
        """Assemble the step closure (done once, at construction)."""
        f, g, split, noise = self.f, self.g, self._split, self._noise_fn()
        weighted = _weighted(self.wiener_type == constants.VECTOR_WIENER)
        ito = self.intg_type == constants.ITO_SDE
        names = self.variables
        single = len(names) == 1

        def step(xs, t, ps, dt):
            fs = split(f(*xs, t, *ps), 'drift', f)
            gs = split(g(*xs, t, *ps), 'diffusion', g)
            sq = dt ** 0.5
            dWs = [None if gx is None else noise(x, gx, v) * sq
                   for x, gx, v in zip(xs, gs, names)]
            incs = [None if gx is None else weighted(gx, dW) for gx, dW in zip(gs, dWs)]
            if ito:
                news = [x + fx * dt if inc is None else x + fx * dt + inc
                        for x, fx, inc in zip(xs, fs, incs)]
            else:
                bars = [x if inc is None else x + inc for x, inc in zip(xs, incs)]
                gbars = split(g(*bars, t, *ps), 'diffusion', g)
                news = [x + fx * dt if inc is None else
                        x + fx * dt + 0.5 * (inc + weighted(gb, dW))
                        for x, fx, inc, gb, dW in zip(xs, fs, incs, gbars, dWs)]
            return news[0] if single else tuple(news)

        self.set_integral(self._caller(step, self._defaults))
        if self.show_code:
            s = '.sum(-1)' if self.wiener_type == constants.VECTOR_WIENER else ''
            v = ', '.join(names)
            lines = [f'{", ".join(n + "_df" for n in names)} = f({v}, t, ...)',
                     f'{", ".join(n + "_dg" for n in names)} = g({v}, t, ...)']
            lines += [f'{n}_dW = normal(0, sqrt(dt), shape)' for n in names]
            if ito:
                lines += [f'{n}_new = {n} + {n}_df * dt + ({n}_dg * {n}_dW){s}' for n in names]
            else:
                lines += [f'{n}_bar = {n} + ({n}_dg * {n}_dW){s}' for n in names]
                lines += [f'{", ".join(n + "_dg_bar" for n in names)} = '
                          f'g({", ".join(n + "_bar" for n in names)}, t, ...)']
                lines += [f'{n}_new = {n} + {n}_df * dt + 0.5 * (({n}_dg + {n}_dg_bar) * '
                          f'{n}_dW){s}' for n in names]
            self._show(lines + [f'return {", ".join(n + "_new" for n in names)}'])


class Heun(Euler):
    r"""The Euler-Heun method for Stratonovich SDEs (``'heun'``).

    As BrainPy, it must be asked for explicitly with
    ``intg_type=bp.integrators.STRA_SDE``; the scheme is :class:`Euler`'s
    Stratonovich one.

    Examples
    --------
    >>> import bptorch as bp
    >>> integral = bp.sdeint(lambda x, t: -x, lambda x, t: x, method='heun',
    ...                      intg_type=bp.integrators.STRA_SDE)
    >>> integral.intg_type
    'Stratonovich'
    """

    def __init__(self, f: Callable, g: Callable, dt: float | None = None,
                 name: str | None = None, show_code: bool = False,
                 var_type: str | None = None, intg_type: str | None = None,
                 wiener_type: str | None = None, state_delays: dict | None = None):
        if intg_type != constants.STRA_SDE:
            raise IntegratorError(f'Heun method only supports Stratonovich integral of SDEs, '
                                  f'but we got {intg_type!r} integral; pass '
                                  'intg_type=bp.integrators.STRA_SDE')
        super().__init__(f=f, g=g, dt=dt, name=name, show_code=show_code, var_type=var_type,
                         intg_type=intg_type, wiener_type=wiener_type, state_delays=state_delays)


class Milstein(SDEIntegrator):
    r"""The derivative-free Milstein method (``'milstein'``), strong order 1.

    BrainPy 2.1's ``'milstein'``: the derivative of :math:`g` is replaced by a
    finite difference along :math:`\bar{X}_n = X_n + f_n h + g_n \sqrt{h}`. Itô:

    .. math::
        X_{n+1} = X_n + f_n h + g_n \Delta W_n
                 + \frac{1}{2\sqrt{h}} \left[g(\bar{X}_n) - g_n\right] (\Delta W_n^2 - h)

    Stratonovich: :math:`\Delta W_n^2` in place of :math:`\Delta W_n^2 - h`, and
    :math:`\bar{X}_n = X_n + g_n \sqrt{h}`. (BrainPy keeps :math:`f_n h` in
    :math:`\bar{X}_n` here too; since :math:`E[\Delta W_n^2] = h`, that adds a bias
    :math:`\tfrac12 g' f h^{3/2}` per step and lowers the strong order to 1/2.)
    For a vector Wiener process the correction is taken noise source by noise
    source (the cross terms are neglected) and summed with :math:`g_n \Delta W_n`
    over the last axis.

    Parameters
    ----------
    f, g, dt, name, show_code, var_type, intg_type, wiener_type, state_delays
        As for :class:`~bptorch.integrators.sde.SDEIntegrator`.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> integral = bp.sde.Milstein(lambda x, t: 0. * x, lambda x, t: x, dt=0.01)
    >>> integral.rng.seed(1); x = integral(bm.ones(2), 0.)
    >>> integral.rng.seed(1); dW = integral.rng.randn(2) * 0.1
    >>> bool((x - (1 + dW + 0.5 * (dW * dW - 0.01))).abs().max() < 1e-6)
    True
    """

    def __init__(self, f: Callable, g: Callable, dt: float | None = None,
                 name: str | None = None, show_code: bool = False,
                 var_type: str | None = None, intg_type: str | None = None,
                 wiener_type: str | None = None, state_delays: dict | None = None):
        super().__init__(f=f, g=g, dt=dt, name=name, show_code=show_code, var_type=var_type,
                         intg_type=intg_type, wiener_type=wiener_type, state_delays=state_delays)
        self.build()

    def build(self) -> None:
        """Assemble the step closure (done once, at construction)."""
        f, g, split, noise = self.f, self.g, self._split, self._noise_fn()
        vector = self.wiener_type == constants.VECTOR_WIENER
        ito = self.intg_type == constants.ITO_SDE
        names = self.variables
        single = len(names) == 1

        def step(xs, t, ps, dt):
            fs = split(f(*xs, t, *ps), 'drift', f)
            gs = split(g(*xs, t, *ps), 'diffusion', g)
            sq = dt ** 0.5
            dWs = [None if gx is None else noise(x, gx, v) * sq
                   for x, gx, v in zip(xs, gs, names)]
            bars = []
            for x, fx, gx in zip(xs, fs, gs):
                bar = x + fx * dt if ito else x
                if gx is not None:
                    bar = bar + ((gx * sq).sum(-1) if vector else gx * sq)
                bars.append(bar)
            gbars = split(g(*bars, t, *ps), 'diffusion', g)
            news = []
            for x, fx, gx, gb, dW in zip(xs, fs, gs, gbars, dWs):
                new = x + fx * dt
                if gx is not None:
                    square = dW * dW - dt if ito else dW * dW
                    noise_terms = gx * dW + 0.5 * (gb - gx) * square / sq
                    new = new + (noise_terms.sum(-1) if vector else noise_terms)
                news.append(new)
            return news[0] if single else tuple(news)

        self.set_integral(self._caller(step, self._defaults))
        if self.show_code:
            s = '.sum(-1)' if vector else ''
            v = ', '.join(names)
            lines = [f'{", ".join(n + "_df" for n in names)} = f({v}, t, ...)',
                     f'{", ".join(n + "_dg" for n in names)} = g({v}, t, ...)']
            lines += [f'{n}_dW = normal(0, sqrt(dt), shape)' for n in names]
            drift = f'{{n}}_df * dt + ' if ito else ''
            lines += [f'{n}_bar = {n} + ' + drift.format(n=n) + f'({n}_dg * sqrt(dt)){s}'
                      for n in names]
            lines += [f'{", ".join(n + "_dg_bar" for n in names)} = '
                      f'g({", ".join(n + "_bar" for n in names)}, t, ...)']
            sq_term = '(dW * dW - dt)' if ito else 'dW * dW'
            lines += [f'{n}_new = {n} + {n}_df * dt + ({n}_dg * {n}_dW + 0.5 * ({n}_dg_bar - '
                      f'{n}_dg) * {sq_term.replace("dW", n + "_dW")} / sqrt(dt)){s}'
                      for n in names]
            self._show(lines + [f'return {", ".join(n + "_new" for n in names)}'])


class MilsteinGradFree(Milstein):
    r"""The derivative-free Milstein method under BrainPy 2.3's names
    (``'milstein2'``, ``'milstein_grad_free'``); the same scheme as :class:`Milstein`.

    Examples
    --------
    >>> import bptorch as bp
    >>> type(bp.sdeint(lambda x, t: -x, lambda x, t: x, method='milstein2')).__name__
    'MilsteinGradFree'
    """


class ExponentialEuler(SDEIntegrator):
    r"""The exponential Euler method for Itô SDEs (``'exp_euler'``, ``'exp_auto'``, ...).

    The drift is integrated as by the ODE
    :class:`~bptorch.integrators.ode.ExponentialEuler` (each equation of one
    variable; several through a :class:`~bptorch.integrators.JointEq`), then the
    noise is added:

    .. math:: X_{n+1} = X_n + h\,\varphi(hA)\,f_n + g_n \Delta W_n,
              \qquad \varphi(z) = \frac{e^z - 1}{z},\ A = \partial f/\partial X .

    Stratonovich integrals are refused (``NotImplementedError``), as in BrainPy.

    Parameters
    ----------
    f : callable or JointEq
        The drift (one variable), or a JointEq of one-variable drifts.
    g : callable
        The diffusion, called by keyword (as BrainPy does for this method) with the
        arguments of ``f`` it names, or all of them if it takes ``**kwargs``.
    dt, name, show_code, var_type, intg_type, wiener_type, state_delays
        As for :class:`~bptorch.integrators.sde.SDEIntegrator`.
    dyn_vars : optional
        Accepted for BrainPy compatibility; not needed.

    Examples
    --------
    >>> import math
    >>> import bptorch as bp, bptorch.math as bm
    >>> integral = bp.sdeint(lambda x, t: -2. * x, lambda x, t: 0., method='exp_euler', dt=0.5)
    >>> x = integral(bm.ones(1), 0.)
    >>> bool(abs(x[0] - math.exp(-1.)) < 1e-6)
    True
    """

    def __init__(self, f: Callable, g: Callable, dt: float | None = None,
                 name: str | None = None, show_code: bool = False,
                 var_type: str | None = None, intg_type: str | None = None,
                 wiener_type: str | None = None, dyn_vars=None,
                 state_delays: dict | None = None):
        super().__init__(f=f, g=g, dt=dt, name=name, show_code=show_code, var_type=var_type,
                         intg_type=intg_type, wiener_type=wiener_type, state_delays=state_delays)
        if self.intg_type == constants.STRA_SDE:
            raise NotImplementedError(f'{type(self).__name__} does not support integral type of '
                                      f'{constants.STRA_SDE}. It only supports '
                                      f'{constants.ITO_SDE} now.')
        self.dyn_vars = dyn_vars
        self.build()

    def build(self) -> None:
        """Assemble the step closure (done once, at construction)."""
        names = self.variables + self.parameters
        eqs = one_variable_equations(self.f, names, type(self).__name__)
        g, split, noise = self.g, self._split, self._noise_fn()
        call_g = self._keyword_caller(g, names)
        weighted = _weighted(self.wiener_type == constants.VECTOR_WIENER)
        joint = isinstance(self.f, JointEq)
        variables = self.variables

        def step(vals, dt):
            gs = split(call_g(vals), 'diffusion', g)
            drifts = exp_euler_drifts(eqs, vals, dt)
            sq = dt ** 0.5
            news = [r if gx is None else r + weighted(gx, noise(r, gx, v)) * sq
                    for r, gx, v in zip(drifts, gs, variables)]
            return news if joint else news[0]

        self.set_integral(self._caller(step, self._defaults, full=True))
        if self.show_code:
            s = '.sum(-1)' if self.wiener_type == constants.VECTOR_WIENER else ''
            lines = [f'{", ".join(n + "_dg" for n in variables)} = g({", ".join(names)})']
            for n in variables:
                lines += [f'{n}_value, {n}_linear = vector_grad(f_{n}, argnums=0, '
                          f'return_value=True)({n}, ...)',
                          f'{n}_new = {n} + dt * phi(dt * {n}_linear) * {n}_value'
                          f' + ({n}_dg * normal(0, sqrt(dt), shape)){s}']
            news = ', '.join(n + '_new' for n in variables)
            self._show(lines + [f'return [{news}]' if joint else f'return {news}'])


for _name, _cls in [('euler', Euler), ('heun', Heun), ('milstein', Milstein),
                    ('milstein2', MilsteinGradFree), ('milstein_grad_free', MilsteinGradFree),
                    ('exponential_euler', ExponentialEuler), ('exp_euler', ExponentialEuler),
                    ('exp_euler_auto', ExponentialEuler), ('exp_auto', ExponentialEuler)]:
    register_sde_integrator(_name, _cls)
