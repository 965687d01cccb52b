"""Numerical methods for ordinary differential equations (``bp.ode``).

Examples
--------
>>> import bptorch as bp
>>> integral = bp.ode.RK4(lambda v, t, p: -v * p, dt=0.01)
>>> type(integral).__name__, integral.dt
('RK4', 0.01)
"""

from bptorch.integrators.ode.base import *  # noqa: F401,F403
from bptorch.integrators.ode.base import __all__ as _base_all
from bptorch.integrators.ode.generic import *  # noqa: F401,F403
from bptorch.integrators.ode.generic import __all__ as _generic_all
from bptorch.integrators.ode.adaptive_rk import *  # noqa: F401,F403
from bptorch.integrators.ode.adaptive_rk import __all__ as _adaptive_all
from bptorch.integrators.ode.explicit_rk import *  # noqa: F401,F403
from bptorch.integrators.ode.explicit_rk import __all__ as _explicit_all
from bptorch.integrators.ode.exponential import *  # noqa: F401,F403
from bptorch.integrators.ode.exponential import __all__ as _exp_all

__all__ = _base_all + _generic_all + _adaptive_all + _explicit_all + _exp_all
