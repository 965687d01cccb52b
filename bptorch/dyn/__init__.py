"""Dynamics simulation: ``bp.dyn`` (BrainPy 2.1.12's ``brainpy.dyn``).

Base classes (:mod:`~bptorch.dyn.base`), neuron models (:mod:`~bptorch.dyn.neurons`),
synapse models (:mod:`~bptorch.dyn.synapses`), rate models (:mod:`~bptorch.dyn.rates`,
not star-exported, as in BrainPy), inputs and noises (:mod:`~bptorch.dyn.others`) and
helpers (:mod:`~bptorch.dyn.utils`).

Not available yet: the ion channels of ``brainpy.dyn.channels`` (the base classes
``Channel``, ``ConNeuGroup`` and ``ContainerWrapper`` are here), the fractional-order
neurons (they need ``bp.fdeint``).

Runners: :class:`~bptorch.dyn.DSRunner` (also ``StructRunner`` and ``ReportRunner``), in
:mod:`~bptorch.dyn.runners`.

Examples
--------
>>> import bptorch as bp
>>> bp.dyn.LIF is bp.dyn.neurons.LIF, bp.dyn.rates.FHN is bp.dyn.FHN
(True, False)
"""

from bptorch.dyn import base, neurons, others, rates, runners, synapses, utils
from bptorch.dyn.base import *  # noqa: F401,F403
from bptorch.dyn.base import __all__ as _base_all
from bptorch.dyn.neurons import *  # noqa: F401,F403
from bptorch.dyn.neurons import __all__ as _neurons_all
from bptorch.dyn.others import *  # noqa: F401,F403
from bptorch.dyn.others import __all__ as _others_all
from bptorch.dyn.synapses import *  # noqa: F401,F403
from bptorch.dyn.synapses import __all__ as _synapses_all
from bptorch.dyn.utils import *  # noqa: F401,F403
from bptorch.dyn.utils import __all__ as _utils_all
from bptorch.dyn.runners import *  # noqa: F401,F403
from bptorch.dyn.runners import __all__ as _runners_all

__all__ = (list(_base_all) + list(_neurons_all) + list(_synapses_all) + list(_others_all)
           + list(_utils_all) + list(_runners_all)
           + ['base', 'neurons', 'synapses', 'rates', 'others', 'utils', 'runners'])
