r"""Explicit Runge-Kutta methods for ODEs.

For :math:`dy/dt = f(t, y)` and a step :math:`h`, an :math:`s`-stage explicit
method is given by its Butcher tableau :math:`(a_{ij}, b_i, c_i)`:

.. math::
    k_i = f\left(t_n + c_i h,\ y_n + h \sum_{j<i} a_{ij} k_j\right), \qquad
    y_{n+1} = y_n + h \sum_i b_i k_i .

Each class below holds its tableau in ``A``, ``B`` and ``C`` (the method names of
:func:`bptorch.odeint` are given in brackets).

Examples
--------
>>> import bptorch as bp
>>> bp.ode.RK4.B
[0.16666666666666666, 0.3333333333333333, 0.3333333333333333, 0.16666666666666666]
>>> integral = bp.ode.RK4(lambda x, t: -x, dt=0.1)
>>> round(integral(1., 0.), 8)     # exp(-0.1) = 0.904837418...
0.9048375
"""

from __future__ import annotations

from typing import Callable

from bptorch.integrators.ode.base import ODEIntegrator
from bptorch.integrators.ode.common import rk_lines, rk_step
from bptorch.integrators.ode.generic import register_ode_integrator

__all__ = [
    'ExplicitRKIntegrator', 'Euler', 'MidPoint', 'Heun2', 'Ralston2', 'RK2', 'RK3', 'Heun3',
    'Ralston3', 'SSPRK3', 'RK4', 'Ralston4', 'RK4Rule38',
]


class ExplicitRKIntegrator(ODEIntegrator):
    r"""Explicit Runge-Kutta method given by the class attributes ``A``, ``B``, ``C``.

    Subclass it with another tableau to make a new method.

    Parameters
    ----------
    f : callable
        The derivative function.
    var_type, dt, name, show_code, state_delays, neutral_delays
        As for :class:`~bptorch.integrators.ode.ODEIntegrator`.

    Examples
    --------
    >>> import bptorch as bp
    >>> class Trapezoid(bp.ode.ExplicitRKIntegrator):
    ...     A = [(), (1.,)]
    ...     B = [0.5, 0.5]
    ...     C = [0., 1.]
    >>> Trapezoid(lambda x, t: 1. + 0. * x, dt=0.5)(0., 0.)
    0.5
    """

    A: list = []  # the Runge-Kutta matrix, row i holding a_i1 ... a_i(i-1)
    B: list = []  # the weights
    C: list = []  # the nodes

    def __init__(self, f: Callable, var_type: str | None = None, dt: float | None = None,
                 name: str | None = None, show_code: bool = False,
                 state_delays: dict | None = None, neutral_delays: dict | None = None):
        super().__init__(f=f, var_type=var_type, dt=dt, name=name, show_code=show_code,
                         state_delays=state_delays, neutral_delays=neutral_delays)
        self.build()

    def build(self) -> None:
        """Assemble the step closure from the tableau (done once, at construction)."""
        step = rk_step(self.f, len(self.variables), self.A, self.B, self.C)
        self.set_integral(self._caller(step, self._defaults))
        if self.show_code:
            lines = rk_lines(self.variables, self.parameters, self.A, self.B, self.C)
            self._show(lines + [f'return {", ".join(v + "_new" for v in self.variables)}'])


class Euler(ExplicitRKIntegrator):
    r"""The forward Euler method (``'euler'``), order 1: :math:`y_{n+1} = y_n + h f(t_n, y_n)`.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.ode.Euler(lambda x, t, a: a * x, dt=0.1)(1., 0., 2.)
    1.2
    """
    A = [()]
    B = [1.]
    C = [0.]


class MidPoint(ExplicitRKIntegrator):
    r"""The explicit midpoint method (``'midpoint'``), order 2.

    .. math:: y_{n+1} = y_n + h f\left(t_n + \tfrac{h}{2}, y_n + \tfrac{h}{2} f(t_n, y_n)\right)

    Examples
    --------
    >>> import bptorch as bp
    >>> round(bp.ode.MidPoint(lambda x, t: -x, dt=0.1)(1., 0.), 6)
    0.905
    """
    A = [(), (0.5,)]
    B = [0., 1.]
    C = [0., 0.5]


class Heun2(ExplicitRKIntegrator):
    r"""Heun's method, the explicit trapezoid rule (``'heun2'``), order 2.

    Tableau: :math:`c = (0, 1)`, :math:`a_{21} = 1`, :math:`b = (1/2, 1/2)`.

    Examples
    --------
    >>> import bptorch as bp
    >>> round(bp.ode.Heun2(lambda x, t: -x, dt=0.1)(1., 0.), 6)
    0.905
    """
    A = [(), (1.,)]
    B = [0.5, 0.5]
    C = [0., 1.]


class Ralston2(ExplicitRKIntegrator):
    r"""Ralston's second-order method (``'ralston2'``), minimal error bound.

    Tableau: :math:`c = (0, 2/3)`, :math:`a_{21} = 2/3`, :math:`b = (1/4, 3/4)`.

    Examples
    --------
    >>> import bptorch as bp
    >>> round(bp.ode.Ralston2(lambda x, t: -x, dt=0.1)(1., 0.), 6)
    0.905
    """
    A = [(), (2 / 3,)]
    B = [0.25, 0.75]
    C = [0., 2 / 3]


class RK2(ExplicitRKIntegrator):
    r"""The generic second-order Runge-Kutta method (``'rk2'``) with parameter ``beta``.

    Tableau: :math:`c = (0, \beta)`, :math:`a_{21} = \beta`,
    :math:`b = (1 - \frac{1}{2\beta}, \frac{1}{2\beta})`; ``beta=2/3`` (the default)
    is Ralston's method, 1/2 the midpoint method, 1 Heun's method.

    Parameters
    ----------
    f : callable
        The derivative function.
    beta : float
        The node of the second stage (nonzero).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.ode.RK2(lambda x, t: -x, beta=0.5).B
    [0.0, 1.0]
    """

    def __init__(self, f: Callable, beta: float = 2 / 3, var_type: str | None = None,
                 dt: float | None = None, name: str | None = None, show_code: bool = False,
                 state_delays: dict | None = None, neutral_delays: dict | None = None):
        if isinstance(beta, bool) or not isinstance(beta, (int, float)) or beta == 0:
            raise ValueError(f'RK2: beta must be a nonzero float, got {beta!r}')
        self.A = [(), (float(beta),)]
        self.B = [1 - 1 / (2 * beta), 1 / (2 * beta)]
        self.C = [0., float(beta)]
        super().__init__(f=f, var_type=var_type, dt=dt, name=name, show_code=show_code,
                         state_delays=state_delays, neutral_delays=neutral_delays)


class RK3(ExplicitRKIntegrator):
    r"""Kutta's classical third-order method (``'rk3'``).

    Tableau: :math:`c = (0, 1/2, 1)`, :math:`a_{21} = 1/2`, :math:`a_3 = (-1, 2)`,
    :math:`b = (1/6, 2/3, 1/6)`.

    Examples
    --------
    >>> import bptorch as bp
    >>> round(bp.ode.RK3(lambda x, t: -x, dt=0.1)(1., 0.), 8)
    0.90483333
    """
    A = [(), (0.5,), (-1., 2.)]
    B = [1 / 6, 2 / 3, 1 / 6]
    C = [0., 0.5, 1.]


class Heun3(ExplicitRKIntegrator):
    r"""Heun's third-order method (``'heun3'``).

    Tableau: :math:`c = (0, 1/3, 2/3)`, :math:`a_{21} = 1/3`, :math:`a_3 = (0, 2/3)`,
    :math:`b = (1/4, 0, 3/4)`.

    Examples
    --------
    >>> import bptorch as bp
    >>> round(bp.ode.Heun3(lambda x, t: -x, dt=0.1)(1., 0.), 8)
    0.90483333
    """
    A = [(), (1 / 3,), (0., 2 / 3)]
    B = [0.25, 0., 0.75]
    C = [0., 1 / 3, 2 / 3]


class Ralston3(ExplicitRKIntegrator):
    r"""Ralston's third-order method (``'ralston3'``).

    Tableau: :math:`c = (0, 1/2, 3/4)`, :math:`a_{21} = 1/2`, :math:`a_3 = (0, 3/4)`,
    :math:`b = (2/9, 1/3, 4/9)`.

    Examples
    --------
    >>> import bptorch as bp
    >>> round(bp.ode.Ralston3(lambda x, t: -x, dt=0.1)(1., 0.), 8)
    0.90483333
    """
    A = [(), (0.5,), (0., 0.75)]
    B = [2 / 9, 1 / 3, 4 / 9]
    C = [0., 0.5, 0.75]


class SSPRK3(ExplicitRKIntegrator):
    r"""The third-order strong-stability-preserving method (``'ssprk3'``).

    Tableau: :math:`c = (0, 1, 1/2)`, :math:`a_{21} = 1`, :math:`a_3 = (1/4, 1/4)`,
    :math:`b = (1/6, 1/6, 2/3)`.

    Examples
    --------
    >>> import bptorch as bp
    >>> round(bp.ode.SSPRK3(lambda x, t: -x, dt=0.1)(1., 0.), 8)
    0.90483333
    """
    A = [(), (1.,), (0.25, 0.25)]
    B = [1 / 6, 1 / 6, 2 / 3]
    C = [0., 1., 0.5]


class RK4(ExplicitRKIntegrator):
    r"""The classical fourth-order Runge-Kutta method (``'rk4'``).

    Tableau: :math:`c = (0, 1/2, 1/2, 1)`, :math:`a_{21} = 1/2`, :math:`a_{32} = 1/2`,
    :math:`a_{43} = 1`, :math:`b = (1/6, 1/3, 1/3, 1/6)`.

    Examples
    --------
    >>> import bptorch as bp
    >>> round(bp.ode.RK4(lambda x, t: -x, dt=0.1)(1., 0.), 8)
    0.9048375
    """
    A = [(), (0.5,), (0., 0.5), (0., 0., 1.)]
    B = [1 / 6, 1 / 3, 1 / 3, 1 / 6]
    C = [0., 0.5, 0.5, 1.]


class Ralston4(ExplicitRKIntegrator):
    r"""Ralston's fourth-order method (``'ralston4'``), minimal error bound.

    BrainPy's coefficients, to eight decimals.

    Examples
    --------
    >>> import bptorch as bp
    >>> round(bp.ode.Ralston4(lambda x, t: -x, dt=0.1)(1., 0.), 6)
    0.904837
    """
    A = [(), (.4,), (.29697761, .15875964), (.21810040, -3.05096516, 3.83286476)]
    B = [.17476028, -.55148066, 1.20553560, .17118478]
    C = [0., .4, .45573725, 1.]


class RK4Rule38(ExplicitRKIntegrator):
    r"""Kutta's 3/8-rule fourth-order method (``'rk4_38rule'``, also ``'rk4_38'``).

    Tableau: :math:`c = (0, 1/3, 2/3, 1)`, :math:`a_{21} = 1/3`,
    :math:`a_3 = (-1/3, 1)`, :math:`a_4 = (1, -1, 1)`, :math:`b = (1/8, 3/8, 3/8, 1/8)`.

    Examples
    --------
    >>> import bptorch as bp
    >>> round(bp.ode.RK4Rule38(lambda x, t: -x, dt=0.1)(1., 0.), 8)
    0.9048375
    """
    A = [(), (1 / 3,), (-1 / 3, 1.), (1., -1., 1.)]
    B = [0.125, 0.375, 0.375, 0.125]
    C = [0., 1 / 3, 2 / 3, 1.]


for _name, _cls in [('euler', Euler), ('midpoint', MidPoint), ('heun2', Heun2),
                    ('ralston2', Ralston2), ('rk2', RK2), ('rk3', RK3), ('heun3', Heun3),
                    ('ralston3', Ralston3), ('ssprk3', SSPRK3), ('rk4', RK4),
                    ('ralston4', Ralston4), ('rk4_38rule', RK4Rule38), ('rk4_38', RK4Rule38)]:
    register_ode_integrator(_name, _cls)
