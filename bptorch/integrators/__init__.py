"""Numerical integrators of differential equations (``bp.integrators``).

- ODEs: :func:`odeint` and the methods of :mod:`bptorch.integrators.ode`
  (explicit and embedded Runge-Kutta, exponential Euler);
- SDEs: :func:`sdeint` and the methods of :mod:`bptorch.integrators.sde`
  (Euler-Maruyama / Euler-Heun, derivative-free Milstein, exponential Euler);
- :class:`JointEq` to integrate several equations together.

Fractional (``fdeint``), delay and partial differential equations, and
``IntegratorRunner``, are not available yet.

Examples
--------
>>> import bptorch as bp
>>> @bp.odeint(method='rk4', dt=0.01)
... def lorenz(x, y, z, t, sigma=10., beta=8 / 3, rho=28.):
...     return sigma * (y - x), x * (rho - z) - y, x * y - beta * z
>>> x, y, z = lorenz(1., 1., 1., 0.)
>>> round(x, 6), round(y, 6), round(z, 6)
(1.012567, 1.259918, 0.984891)
"""

from bptorch.integrators import constants, utils
from bptorch.integrators.base import *  # noqa: F401,F403
from bptorch.integrators.base import __all__ as _base_all
from bptorch.integrators.constants import *  # noqa: F401,F403
from bptorch.integrators.constants import __all__ as _constants_all
from bptorch.integrators.joint_eq import *  # noqa: F401,F403
from bptorch.integrators.joint_eq import __all__ as _joint_all

from bptorch.integrators import ode
from bptorch.integrators.ode.base import ODEIntegrator
from bptorch.integrators.ode.generic import (odeint, get_default_odeint, set_default_odeint,
                                             register_ode_integrator)

from bptorch.integrators import sde
from bptorch.integrators.sde.base import SDEIntegrator
from bptorch.integrators.sde.generic import (sdeint, get_default_sdeint, set_default_sdeint,
                                             register_sde_integrator)

__all__ = (['constants', 'utils', 'ode', 'sde'] + _base_all + _constants_all + _joint_all +
           ['ODEIntegrator', 'odeint', 'get_default_odeint', 'set_default_odeint',
            'register_ode_integrator',
            'SDEIntegrator', 'sdeint', 'get_default_sdeint', 'set_default_sdeint',
            'register_sde_integrator'])
