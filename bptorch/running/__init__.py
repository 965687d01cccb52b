"""Running models (BrainPy 2.1.12's ``brainpy.running``): the base :class:`Runner`, the
:class:`Monitor` of trajectories, and process pools.

The runner of dynamical systems is :class:`bptorch.dyn.DSRunner`.

Examples
--------
>>> import bptorch as bp
>>> sorted(bp.running.__all__)
['Monitor', 'Runner', 'process_pool', 'process_pool_lock']
"""

from bptorch.running.monitor import Monitor
from bptorch.running.parallel import process_pool, process_pool_lock
from bptorch.running.runner import Runner

__all__ = ['Monitor', 'Runner', 'process_pool', 'process_pool_lock']
