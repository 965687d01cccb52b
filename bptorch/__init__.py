"""bptorch: BrainPy's object-oriented math and autograd API on PyTorch.

Examples
--------
>>> import bptorch as bp
>>> import bptorch.math as bm
>>> bp.__version__
'0.1.0'
"""

__version__ = '0.1.0'

from bptorch import errors, math, optimizers
from bptorch.base import Base, Collector, TensorCollector, clear_name_cache
from bptorch import integrators
from bptorch.integrators import ode, sde
from bptorch.integrators.ode import odeint
from bptorch.integrators.sde import sdeint
from bptorch.integrators.joint_eq import JointEq

optim = optimizers   # BrainPy's alias

__all__ = ['__version__', 'errors', 'math', 'optimizers', 'optim', 'Base', 'Collector',
           'TensorCollector', 'clear_name_cache',
           'integrators', 'ode', 'sde', 'odeint', 'sdeint', 'JointEq']
