"""Rate models and their couplings: ``bp.dyn.rates`` (BrainPy 2.1.12's ``brainpy.dyn.rates``,
which ``bp.dyn`` does not star-export: ``bp.dyn.FHN`` is the neuron model,
``bp.dyn.rates.FHN`` the population model).

Examples
--------
>>> import bptorch as bp
>>> bp.dyn.rates.FHN is bp.dyn.FHN
False
"""

from bptorch.dyn.rates.couplings import *  # noqa: F401,F403
from bptorch.dyn.rates.couplings import __all__ as _couplings_all
from bptorch.dyn.rates.populations import *  # noqa: F401,F403
from bptorch.dyn.rates.populations import __all__ as _populations_all

__all__ = list(_populations_all) + list(_couplings_all)
