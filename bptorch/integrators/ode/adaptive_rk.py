r"""Embedded (adaptive) Runge-Kutta methods for ODEs.

An embedded pair shares its stages between a solution of order :math:`p`
(weights :math:`b_i`, attribute ``B1``) and an estimate of order :math:`p-1` or
:math:`p+1` (weights :math:`b^*_i`, ``B2``). Their difference estimates the local
truncation error :math:`e = h \sum_i (b_i - b^*_i) k_i`.

By default the methods are plain fixed-step methods using ``B1``. With
``adaptive=True`` (BrainPy's convention) a call takes ``dt`` and returns the new
values followed by a proposed step:

.. math::
    E = \sum_{\text{variables}} \sum_{\text{elements}} |e|, \qquad
    dt_{new} = \begin{cases} 0.9\, dt\, (tol / E)^{0.2} & E > tol \\
               dt & \text{otherwise,}\end{cases}

(for ``var_type='scalar'`` the error is element-wise and so is ``dt_new``). The
step is not repeated: the returned values are those of the step with the given
``dt``, and the caller passes ``dt_new`` to the next call.

Examples
--------
>>> import bptorch as bp
>>> integral = bp.odeint(lambda x, t: -x, method='rkf45', adaptive=True, tol=1e-9)
>>> x, dt = integral(bp.math.ones(1), 0., dt=0.2)
>>> bool(abs(x[0] - 0.8187308) < 1e-6), bool(dt < 0.2)     # x = exp(-0.2)
(True, True)
"""

from __future__ import annotations

from typing import Callable

import torch

from bptorch.errors import IntegratorError
from bptorch.integrators import constants as C
from bptorch.integrators.ode.base import ODEIntegrator
from bptorch.integrators.ode.common import rk_lines, rk_step
from bptorch.integrators.ode.generic import register_ode_integrator

__all__ = ['AdaptiveRKIntegrator', 'RKF12', 'RKF45', 'DormandPrince', 'CashKarp',
           'BogackiShampine', 'HeunEuler']


def _abs_total(x):
    if isinstance(x, torch.Tensor):
        return x.abs().sum()
    return abs(x)


def _abs(x):
    return x.abs() if isinstance(x, torch.Tensor) else abs(x)


def _error_control(tol: float, elementwise: bool) -> Callable:
    measure = _abs if elementwise else _abs_total

    def error(xs, tes, dt):
        err = measure(tes[0])
        for te in tes[1:]:
            err = err + measure(te)
        if not isinstance(err, torch.Tensor):
            return 0.9 * dt * (tol / err) ** 0.2 if err > tol else dt
        too_big = err > tol
        ratio = tol / torch.where(too_big, err, tol)        # 1 where the step is kept
        return torch.where(too_big, 0.9 * dt * ratio ** 0.2, dt)

    return error


class AdaptiveRKIntegrator(ODEIntegrator):
    r"""Embedded Runge-Kutta method given by ``A``, ``B1`` (solution), ``B2``, ``C``.

    Parameters
    ----------
    f : callable
        The derivative function.
    var_type : str, optional
        How the error is measured: ``'population'`` (the default) and
        ``'system'`` sum it over all elements; ``'scalar'`` keeps it per element.
    dt : float, optional
        The default step (``bm.get_dt()`` when None).
    name : str, optional
        The integrator's name.
    adaptive : bool, optional
        Return a proposed step after the new values (default False).
    tol : float, optional
        The error tolerance (default 0.1).
    show_code : bool
        Print a description of the update rule.
    state_delays, neutral_delays : dict, optional
        Not supported yet.

    Examples
    --------
    >>> import bptorch as bp
    >>> integral = bp.ode.HeunEuler(lambda x, t: -x, adaptive=True, tol=0.01)
    >>> integral.arguments
    ['x', 't', 'dt=0.1']
    >>> x, dt_new = integral(1., 0., dt=0.5)
    >>> x, round(dt_new, 4)     # error 0.125 > tol: a smaller step is proposed
    (0.625, 0.2715)
    """

    A: list = []
    B1: list = []   # the weights of the solution
    B2: list = []   # the weights of the embedded estimate
    C: list = []

    def __init__(self, f: Callable, var_type: str | None = None, dt: float | None = None,
                 name: str | None = None, adaptive: bool | None = None,
                 tol: float | None = None, show_code: bool = False,
                 state_delays: dict | None = None, neutral_delays: dict | None = None):
        super().__init__(f=f, var_type=var_type, dt=dt, name=name, show_code=show_code,
                         state_delays=state_delays, neutral_delays=neutral_delays)
        self.adaptive = False if adaptive is None else bool(adaptive)
        self.tol = 0.1 if tol is None else tol
        if isinstance(self.tol, bool) or not isinstance(self.tol, (int, float)) or self.tol <= 0:
            raise IntegratorError(f'{type(self).__name__}: "tol" must be a positive float, '
                                  f'got {tol!r}')
        self.var_type = C.POP_VAR if var_type is None else var_type
        self.build()

    def build(self) -> None:
        """Assemble the step closure (done once, at construction)."""
        B_err = [b1 - b2 for b1, b2 in zip(self.B1, self.B2)] if self.adaptive else None
        error = _error_control(float(self.tol), self.var_type == C.SCALAR_VAR) \
            if self.adaptive else None
        step = rk_step(self.f, len(self.variables), self.A, self.B1, self.C,
                       error=error, B_err=B_err)
        self.set_integral(self._caller(step, self._defaults))
        if self.show_code:
            lines = rk_lines(self.variables, self.parameters, self.A, self.B1, self.C, B_err)
            returns = [v + '_new' for v in self.variables]
            if self.adaptive:
                total = 'abs' if self.var_type == C.SCALAR_VAR else 'sum(abs'
                close = '' if self.var_type == C.SCALAR_VAR else ')'
                for v in self.variables:
                    terms = ' + '.join(f'd{v}_k{i + 1} * dt * {e!r}'
                                       for i, e in enumerate(B_err) if e != 0)
                    lines.append(f'{v}_te = {total}({terms}){close}')
                lines.append(f'error = {" + ".join(v + "_te" for v in self.variables)}')
                lines.append(f'dt_new = where(error > {self.tol!r}, '
                             f'0.9 * dt * ({self.tol!r} / error) ** 0.2, dt)')
                returns.append('dt_new')
            self._show(lines + [f'return {", ".join(returns)}'])


class RKF12(AdaptiveRKIntegrator):
    r"""The Runge-Kutta-Fehlberg 1(2) pair (``'rkf12'``); the solution uses the order-2 weights.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.ode.RKF12.B1
    [0.001953125, 0.99609375, 0.001953125]
    """
    A = [(), (0.5,), (1 / 256, 255 / 256)]
    B1 = [1 / 512, 255 / 256, 1 / 512]
    B2 = [1 / 256, 255 / 256, 0.]
    C = [0., 0.5, 1.]


class RKF45(AdaptiveRKIntegrator):
    r"""The Runge-Kutta-Fehlberg 4(5) method (``'rkf45'``); the solution uses the order-5 weights.

    BrainPy 2.1.12 has the node :math:`c_6 = 1/3` where Fehlberg's tableau (and
    BrainPy's own docstring) has :math:`1/2`; bptorch uses :math:`1/2`, which only
    matters for derivatives that depend on ``t``.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.ode.RKF45.C[-1]
    0.5
    """
    A = [(), (0.25,), (3 / 32, 9 / 32), (1932 / 2197, -7200 / 2197, 7296 / 2197),
         (439 / 216, -8., 3680 / 513, -845 / 4104),
         (-8 / 27, 2., -3544 / 2565, 1859 / 4104, -11 / 40)]
    B1 = [16 / 135, 0., 6656 / 12825, 28561 / 56430, -9 / 50, 2 / 55]
    B2 = [25 / 216, 0., 1408 / 2565, 2197 / 4104, -1 / 5, 0.]
    C = [0., 0.25, 0.375, 12 / 13, 1., 0.5]


class DormandPrince(AdaptiveRKIntegrator):
    r"""The Dormand-Prince 5(4) method (``'rkdp'``); the solution uses the order-5 weights.

    Without ``adaptive`` the seventh stage has no weight and is not evaluated.

    Examples
    --------
    >>> import bptorch as bp
    >>> len(bp.ode.DormandPrince.A)
    7
    """
    A = [(), (0.2,), (3 / 40, 9 / 40), (44 / 45, -56 / 15, 32 / 9),
         (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
         (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656),
         (35 / 384, 0., 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84)]
    B1 = [35 / 384, 0., 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0.]
    B2 = [5179 / 57600, 0., 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40]
    C = [0., 0.2, 0.3, 0.8, 8 / 9, 1., 1.]


class CashKarp(AdaptiveRKIntegrator):
    r"""The Cash-Karp 5(4) method (``'ck'``); the solution uses the order-5 weights.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.ode.CashKarp.C
    [0.0, 0.2, 0.3, 0.6, 1.0, 0.875]
    """
    A = [(), (0.2,), (3 / 40, 9 / 40), (0.3, -0.9, 1.2),
         (-11 / 54, 2.5, -70 / 27, 35 / 27),
         (1631 / 55296, 175 / 512, 575 / 13824, 44275 / 110592, 253 / 4096)]
    B1 = [37 / 378, 0., 250 / 621, 125 / 594, 0., 512 / 1771]
    B2 = [2825 / 27648, 0., 18575 / 48384, 13525 / 55296, 277 / 14336, 0.25]
    C = [0., 0.2, 0.3, 0.6, 1., 0.875]


class BogackiShampine(AdaptiveRKIntegrator):
    r"""The Bogacki-Shampine 3(2) method (``'bs'``); the solution uses the order-3 weights.

    BrainPy 2.1.12's tableau has ``4/0`` where :math:`a_{43} = 4/9` belongs (it fails
    with ``ZeroDivisionError`` there); bptorch uses :math:`4/9`.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.ode.BogackiShampine.A[3]
    (0.2222222222222222, 0.3333333333333333, 0.4444444444444444)
    """
    A = [(), (0.5,), (0., 0.75), (2 / 9, 1 / 3, 4 / 9)]
    B1 = [2 / 9, 1 / 3, 4 / 9, 0.]
    B2 = [7 / 24, 0.25, 1 / 3, 0.125]
    C = [0., 0.5, 0.75, 1.]


class BoSh3(BogackiShampine):
    r"""The Bogacki-Shampine 3(2) method under BrainPy's other name (``'BoSh3'``).

    BrainPy 2.1.12 stores the error weights in ``B2`` here; bptorch uses the
    embedded weights, as for :class:`BogackiShampine`.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.ode.adaptive_rk.BoSh3.B2 == bp.ode.BogackiShampine.B2
    True
    """


class HeunEuler(AdaptiveRKIntegrator):
    r"""The Heun-Euler 2(1) pair (``'heun_euler'``); the solution is Heun's method.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.ode.HeunEuler(lambda x, t: -x, dt=0.5)(1., 0.)
    0.625
    """
    A = [(), (1.,)]
    B1 = [0.5, 0.5]
    B2 = [1., 0.]
    C = [0., 1.]


for _name, _cls in [('rkf12', RKF12), ('rkf45', RKF45), ('rkdp', DormandPrince),
                    ('ck', CashKarp), ('bs', BogackiShampine), ('heun_euler', HeunEuler),
                    ('BoSh3', BoSh3)]:
    register_ode_integrator(_name, _cls)
