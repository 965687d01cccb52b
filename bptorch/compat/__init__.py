"""BrainPy 2.1.12's deprecated top-level names (``brainpy.compat``): ``bp.DSRunner``,
``bp.StructRunner``, ``bp.ReportRunner``, ``bp.Monitor``, ``bp.DynamicalSystem``,
``bp.Container``, ``bp.Network``, ``bp.ConstantDelay``, ``bp.NeuGroup``, ``bp.TwoEndConn``
and the module ``bp.models`` (``LIF``, ``AdExIF``, ``Izhikevich``, ``ExpCOBA``,
``ExpCUBA``, ``DeltaSynapse``).

Each is a subclass of the current class that warns (``DeprecationWarning``, naming the
current spelling) when an instance is made, as in BrainPy 2.1.12.

Examples
--------
>>> import warnings, bptorch as bp
>>> with warnings.catch_warnings(record=True) as w:
...     warnings.simplefilter('always')
...     lif = bp.models.LIF(2)
>>> isinstance(lif, bp.dyn.LIF), str(w[0].message)
(True, 'Please use "brainpy.dyn.LIF" instead. "brainpy.models.LIF" is deprecated since version 2.1.0')
"""

from bptorch.compat import models
from bptorch.compat._deprecated import (Container, ConstantDelay, DSRunner, DynamicalSystem,
                                        Monitor, Network, NeuGroup, ReportRunner, StructRunner,
                                        TwoEndConn)

__all__ = ['models', 'DynamicalSystem', 'Container', 'Network', 'ConstantDelay', 'NeuGroup',
           'TwoEndConn', 'Monitor', 'DSRunner', 'StructRunner', 'ReportRunner']
