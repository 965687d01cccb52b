"""Neuron models: ``bp.dyn.neurons`` (BrainPy 2.1.12's ``brainpy.dyn.neurons``).

Reduced models (:mod:`~bptorch.dyn.neurons.reduced_models`) and conductance-based ones
(:mod:`~bptorch.dyn.neurons.biological_models`). BrainPy's fractional-order models
(``FractionalFHR``, ``FractionalIzhikevich``) need ``bp.fdeint``, which bptorch does not
have yet.

Examples
--------
>>> import bptorch as bp
>>> bp.dyn.neurons.LIF is bp.dyn.LIF
True
"""

from bptorch.dyn.neurons.biological_models import *  # noqa: F401,F403
from bptorch.dyn.neurons.biological_models import __all__ as _bio_all
from bptorch.dyn.neurons.reduced_models import *  # noqa: F401,F403
from bptorch.dyn.neurons.reduced_models import __all__ as _reduced_all

__all__ = list(_bio_all) + list(_reduced_all)
