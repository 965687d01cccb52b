r"""The exponential Euler method for ODEs, with the linear part found by autograd.

For one variable :math:`x` with derivative :math:`f(x)`, let
:math:`A = \partial f / \partial x` at :math:`x_n` (element-wise). The step is

.. math::
    x_{n+1} = x_n + \frac{e^{A\,dt} - 1}{A} f(x_n)
            = x_n + dt\, \varphi(A\,dt)\, f(x_n), \qquad \varphi(z) = \frac{e^z - 1}{z},

exact for linear equations :math:`dx/dt = a - b x`, and first order otherwise. Each
equation must have one variable: integrate several with
:class:`~bptorch.integrators.JointEq` (each equation then takes the other
variables at their values at the start of the step).

Examples
--------
>>> import math
>>> import bptorch as bp
>>> integral = bp.odeint(lambda V, t, I: (-V + I) / 10., method='exp_auto', dt=1.)
>>> V = integral(bp.math.zeros(1), 0., 2.)
>>> bool(abs(V[0] - 2. * (1 - math.exp(-0.1))) < 1e-6)     # the exact solution
True
"""

from __future__ import annotations

import inspect
from typing import Callable

from bptorch.errors import DiffEqError
from bptorch.integrators import constants as C
from bptorch.integrators._linear import as_float_tensor, exp_euler_update, values_and_linears
from bptorch.integrators.joint_eq import JointEq
from bptorch.integrators.ode.base import ODEIntegrator
from bptorch.integrators.ode.generic import register_ode_integrator

__all__ = ['ExponentialEuler']


def one_variable_equations(f: Callable, names: list[str], cls: str) -> list[tuple]:
    """``f`` (or each leaf of a JointEq) as ``(eq, position, rest_positions)``: the
    position of its variable and of its other arguments in ``names``."""
    if isinstance(f, JointEq):
        out = []
        for sub in f.eqs:
            out.extend(one_variable_equations(sub, names, cls))
        return out
    args = [p.name for p in inspect.signature(f).parameters.values()]
    vars_ = args[:args.index('t')]
    if len(vars_) != 1:
        raise DiffEqError(C.exp_error_msg.format(cls=cls, vars=str(vars_), eq=str(f)))
    index = {k: i for i, k in enumerate(names)}
    return [(f, index[args[0]], tuple(index[a] for a in args[1:]))]


def exp_euler_drifts(eqs: list[tuple], vals: list, dt) -> list:
    """One exponential Euler step of every one-variable equation (old values elsewhere).

    The linear parts of all equations come from one backward pass."""
    xs, fns = [], []
    for eq, pos, rest_pos in eqs:
        xs.append(as_float_tensor(vals[pos]))
        fns.append(_bind_rest(eq, [vals[i] for i in rest_pos]))
    Fs, As = values_and_linears(fns, xs)
    return [exp_euler_update(x, A, F, dt) for x, A, F in zip(xs, As, Fs)]


def _bind_rest(eq: Callable, rest: list) -> Callable:
    return lambda v: eq(v, *rest)


class ExponentialEuler(ODEIntegrator):
    r"""Exponential Euler method using automatic differentiation (``'exp_auto'``,
    ``'exp_euler'``, ``'exp_euler_auto'``, ``'exponential_euler'``).

    The linear part :math:`A` of each equation is the vector-Jacobian product of
    its derivative with ones (BrainPy's ``bm.vector_grad``), which is the
    element-wise derivative when the equation acts element-wise. Results are
    tensors; with a :class:`~bptorch.integrators.JointEq` a call returns the
    list of new values, as BrainPy's does.

    Parameters
    ----------
    f : callable or JointEq
        A derivative function of one variable, or a JointEq of such functions.
    var_type : str, optional
        ``'system'`` is refused (``NotImplementedError``), as in BrainPy.
    dt : float, optional
        The default step (``bm.get_dt()`` when None).
    name : str, optional
        The integrator's name.
    show_code : bool
        Print a description of the update rule.
    dyn_vars : optional
        Accepted for BrainPy compatibility and not needed: Variables the
        derivative reads are found while it runs.
    state_delays, neutral_delays : dict, optional
        Not supported yet.

    Examples
    --------
    The Hodgkin-Huxley gating variable :math:`m`, a linear equation in :math:`m`:

    >>> import math
    >>> import bptorch as bp, bptorch.math as bm
    >>> def dm(m, t, V):
    ...     alpha = 0.1 * (V + 40) / (1 - bm.exp(-(V + 40) / 10))
    ...     beta = 4.0 * bm.exp(-(V + 65) / 18)
    ...     return alpha * (1 - m) - beta * m
    >>> integral = bp.ode.ExponentialEuler(dm, dt=0.1)
    >>> m = integral(bm.array([0.05]), 0., bm.array([-65.]))
    >>> a, b = 0.1 * 25 / (math.exp(2.5) - 1), 4.0     # alpha(V), beta(V) at V = -65
    >>> m_inf, tau = a / (a + b), 1 / (a + b)
    >>> exact = m_inf + (0.05 - m_inf) * math.exp(-0.1 / tau)
    >>> bool(abs(m[0] - exact) < 1e-6)
    True
    """

    def __init__(self, f: Callable, var_type: str | None = None, dt: float | None = None,
                 name: str | None = None, show_code: bool = False, dyn_vars=None,
                 state_delays: dict | None = None, neutral_delays: dict | None = None):
        super().__init__(f=f, var_type=var_type, dt=dt, name=name, show_code=show_code,
                         state_delays=state_delays, neutral_delays=neutral_delays)
        if var_type == C.SYSTEM_VAR:
            raise NotImplementedError(f'{type(self).__name__} does not support {C.SYSTEM_VAR!r} '
                                      'variables: the linear part is found element-wise; '
                                      'split the system into one equation per variable')
        self.dyn_vars = dyn_vars
        self.build()

    def build(self) -> None:
        """Assemble the step closure (done once, at construction)."""
        eqs = one_variable_equations(self.f, self.variables + self.parameters,
                                     type(self).__name__)
        joint = isinstance(self.f, JointEq)

        def step(vals, dt):
            news = exp_euler_drifts(eqs, vals, dt)
            return news if joint else news[0]

        self.set_integral(self._caller(step, self._defaults, full=True))
        if self.show_code:
            lines = []
            for eq, pos, _ in eqs:
                v = (self.variables + self.parameters)[pos]
                lines += [f'{v}_value, {v}_linear = vector_grad({getattr(eq, "__name__", "f")}'
                          f', argnums=0, return_value=True)({v}, ...)',
                          f'{v}_new = {v} + dt * phi(dt * {v}_linear) * {v}_value'
                          '    # phi(z) = (exp(z) - 1) / z']
            news = ', '.join(v + '_new' for v in self.variables)
            self._show(lines + [f'return [{news}]' if joint else f'return {news}'])


for _name in ('exponential_euler', 'exp_euler', 'exp_euler_auto', 'exp_auto'):
    register_ode_integrator(_name, ExponentialEuler)
