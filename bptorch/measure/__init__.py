"""Measures of simulated neural activity: ``bp.measure`` (BrainPy 2.1's functions).

Examples
--------
>>> import torch, bptorch as bp
>>> spikes = (torch.rand(1000, 20, generator=torch.Generator().manual_seed(0)) < 0.01).float()
>>> bp.measure.firing_rate(spikes, width=10., dt=0.1).shape
(1000,)
"""

from bptorch.measure.correlation import *  # noqa: F401,F403
from bptorch.measure.correlation import __all__ as _correlation_all
from bptorch.measure.firings import *  # noqa: F401,F403
from bptorch.measure.firings import __all__ as _firings_all

__all__ = list(_correlation_all) + list(_firings_all)
