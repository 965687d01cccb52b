"""Numerical methods for stochastic differential equations (``bp.sde``).

Examples
--------
>>> import bptorch as bp
>>> integral = bp.sde.Euler(lambda x, t: -x, lambda x, t: 0.1, dt=0.01)
>>> type(integral).__name__, integral.wiener_type
('Euler', 'scalar')
"""

from bptorch.integrators.sde.base import *  # noqa: F401,F403
from bptorch.integrators.sde.base import __all__ as _base_all
from bptorch.integrators.sde.normal import *  # noqa: F401,F403
from bptorch.integrators.sde.normal import __all__ as _normal_all
from bptorch.integrators.sde.srk_scalar import *  # noqa: F401,F403
from bptorch.integrators.sde.srk_scalar import __all__ as _srk_all
from bptorch.integrators.sde.generic import *  # noqa: F401,F403
from bptorch.integrators.sde.generic import __all__ as _generic_all

__all__ = _base_all + _normal_all + _srk_all + _generic_all
