"""``bp.models`` (BrainPy 2.1.12's deprecated ``brainpy.models``): ``LIF``, ``AdExIF``,
``Izhikevich``, ``ExpCOBA``, ``ExpCUBA``, ``DeltaSynapse``, which warn and are the models of
``bp.dyn``.

Examples
--------
>>> import bptorch as bp
>>> issubclass(bp.models.ExpCOBA, bp.dyn.ExpCOBA)
True
"""

from bptorch import dyn
from bptorch.compat._deprecated import deprecated_class

__all__ = ['LIF', 'AdExIF', 'Izhikevich', 'ExpCOBA', 'ExpCUBA', 'DeltaSynapse']

LIF = deprecated_class(dyn.LIF, 'brainpy.models.LIF', 'brainpy.dyn.LIF', '2.1.0', __name__)
AdExIF = deprecated_class(dyn.AdExIF, 'brainpy.models.AdExIF', 'brainpy.dyn.AdExIF', '2.1.0',
                          __name__)
Izhikevich = deprecated_class(dyn.Izhikevich, 'brainpy.models.Izhikevich',
                              'brainpy.dyn.Izhikevich', '2.1.0', __name__)
ExpCOBA = deprecated_class(dyn.ExpCOBA, 'brainpy.models.ExpCOBA', 'brainpy.dyn.ExpCOBA', '2.1.0',
                           __name__)
ExpCUBA = deprecated_class(dyn.ExpCUBA, 'brainpy.models.ExpCUBA', 'brainpy.dyn.ExpCUBA', '2.1.0',
                           __name__)
DeltaSynapse = deprecated_class(dyn.DeltaSynapse, 'brainpy.models.DeltaSynapse',
                                'brainpy.dyn.DeltaSynapse', '2.1.0', __name__)
