"""Synapse models: ``bp.dyn.synapses`` (BrainPy 2.1.12's ``brainpy.dyn.synapses``).

Abstract models (:mod:`~bptorch.dyn.synapses.abstract_models`), kinetic ones
(:mod:`~bptorch.dyn.synapses.biological_models`) and short-term plasticity
(:mod:`~bptorch.dyn.synapses.learning_rules`); how weights meet connections is
described in :mod:`~bptorch.dyn.synapses._projection`.

Examples
--------
>>> import bptorch as bp
>>> bp.dyn.synapses.ExpCOBA is bp.dyn.ExpCOBA
True
"""

from bptorch.dyn.synapses.abstract_models import *  # noqa: F401,F403
from bptorch.dyn.synapses.abstract_models import __all__ as _abstract_all
from bptorch.dyn.synapses.biological_models import *  # noqa: F401,F403
from bptorch.dyn.synapses.biological_models import __all__ as _bio_all
from bptorch.dyn.synapses.learning_rules import *  # noqa: F401,F403
from bptorch.dyn.synapses.learning_rules import __all__ as _learning_all

__all__ = list(_abstract_all) + list(_bio_all) + list(_learning_all)
