"""Stochastic Runge-Kutta methods of BrainPy 2.1 (``'srk1w1'``, ``'srk2w1'``, ``'klpl'``):
not supported yet.

The names exist so that BrainPy code importing them fails with a clear message
when it builds one, rather than with an ``AttributeError``.

Examples
--------
>>> import bptorch as bp
>>> try:
...     bp.sdeint(lambda x, t: -x, lambda x, t: x, method='srk1w1')
... except NotImplementedError as e:
...     print(str(e).split(';')[0])
SRK1W1 is not supported yet in bptorch
"""

from __future__ import annotations

from bptorch.integrators.sde.base import SDEIntegrator
from bptorch.integrators.sde.generic import register_sde_integrator

__all__ = ['SRK1W1', 'SRK2W1', 'KlPl']


class _NotYet(SDEIntegrator):
    def __init__(self, *args, **kwargs):
        raise NotImplementedError(f'{type(self).__name__} is not supported yet in bptorch; use '
                                  "method='euler', 'heun', 'milstein' or 'exp_euler'")


class SRK1W1(_NotYet):
    """Rößler's order 2.0 weak SRK method for scalar noise (not supported yet).

    Examples
    --------
    >>> import bptorch as bp
    >>> issubclass(bp.sde.SRK1W1, bp.sde.SDEIntegrator)
    True
    """


class SRK2W1(_NotYet):
    """Rößler's order 1.5 strong SRK method for scalar noise (not supported yet).

    Examples
    --------
    >>> import bptorch as bp
    >>> issubclass(bp.sde.SRK2W1, bp.sde.SDEIntegrator)
    True
    """


class KlPl(_NotYet):
    """The Kloeden-Platen strong order 1.0 method (not supported yet).

    Examples
    --------
    >>> import bptorch as bp
    >>> issubclass(bp.sde.KlPl, bp.sde.SDEIntegrator)
    True
    """


for _name, _cls in [('srk1w1', SRK1W1), ('srk2w1', SRK2W1), ('klpl', KlPl)]:
    register_sde_integrator(_name, _cls)
