"""``ODEIntegrator``: the base of the ODE methods.

Examples
--------
>>> import bptorch as bp
>>> @bp.odeint(method='rk4', dt=0.01)
... def integral(V, w, t, Iext, a=0.7, b=0.8, tau=12.5):
...     dw = (V + a - b * w) / tau
...     dV = V - V * V * V / 3 - w + Iext
...     return dV, dw
>>> isinstance(integral, bp.ode.ODEIntegrator)
True
>>> integral.variables, integral.parameters
(['V', 'w'], ['t', 'Iext', 'a', 'b', 'tau'])
"""

from __future__ import annotations

from typing import Callable

from bptorch.errors import IntegratorError
from bptorch.integrators import constants
from bptorch.integrators.base import Integrator, _refuse_delays
from bptorch.integrators.utils import parse_derivative
from bptorch.math import settings

__all__ = ['ODEIntegrator']


def f_names(f: Callable) -> str:
    """A unique function name for an integrator of ``f`` (BrainPy's naming)."""
    name = constants.unique_name('ode')
    fname = getattr(f, '__name__', '')
    return f'{name}_{fname}' if fname.isidentifier() else name


class ODEIntegrator(Integrator):
    """Numerical integrator of ordinary differential equations.

    Parameters
    ----------
    f : callable
        The derivative function ``f(*variables, t, *parameters)``; with several
        variables it returns their derivatives in the same order.
    var_type : str, optional
        ``bp.integrators.SCALAR_VAR``, ``POP_VAR`` or ``SYSTEM_VAR``.
    dt : float, optional
        The default step (``bm.get_dt()`` when None).
    name : str, optional
        The integrator's unique name.
    show_code : bool
        Print a description of the update rule.
    state_delays, neutral_delays : dict, optional
        Not supported yet (``NotImplementedError`` when given).

    Examples
    --------
    >>> import bptorch as bp
    >>> integral = bp.ode.Euler(lambda x, t, a: -a * x, dt=0.1)
    >>> integral.f(1., 0., 2.)
    -2.0
    >>> integral(1., 0., 2.)
    0.8
    """

    def __init__(self, f: Callable, var_type: str | None = None, dt: float | None = None,
                 name: str | None = None, show_code: bool = False,
                 state_delays: dict | None = None, neutral_delays: dict | None = None):
        api = type(self).__name__
        _refuse_delays(api, neutral_delays=neutral_delays)
        dt = settings.get_dt() if dt is None else dt
        variables, parameters, arguments, defaults = parse_derivative(f, api)
        super().__init__(variables=variables, parameters=parameters, arguments=arguments,
                         dt=dt, name=name, state_delays=state_delays)
        if var_type is not None and var_type not in constants.SUPPORTED_VAR_TYPE:
            raise IntegratorError(f'{api}: "var_type" only supports '
                                  f'{constants.SUPPORTED_VAR_TYPE}, not {var_type!r}.')
        self.var_type = var_type
        self.show_code = bool(show_code)
        self._defaults = defaults
        self._hold(f=f, derivative={constants.F: f})
        self.func_name = f_names(f)
        self._neutral_delays = {}

    @property
    def neutral_delays(self) -> dict:
        """Neutral delays (always empty: not supported yet)."""
        return self._neutral_delays

    @neutral_delays.setter
    def neutral_delays(self, value):
        raise ValueError('Cannot set "neutral_delays" by users.')
