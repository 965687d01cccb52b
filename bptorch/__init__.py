"""bptorch: BrainPy's object-oriented math and autograd API on PyTorch.

Examples
--------
>>> import bptorch as bp
>>> import bptorch.math as bm
>>> bp.__version__
'0.1.0'
"""

__version__ = '0.1.0'

from bptorch import (connect, errors, initialize, inputs, losses, math, measure, optimizers,
                     visualization)
from bptorch.base import Base, Collector, TensorCollector, clear_name_cache
from bptorch.visualization import visualize
from bptorch import integrators
from bptorch.integrators import ode, sde
from bptorch.integrators.joint_eq import JointEq
from bptorch.integrators.ode import odeint
from bptorch.integrators.sde import sdeint
from bptorch import dyn
from bptorch import nn
from bptorch import running
from bptorch.compat import (Container, ConstantDelay, DSRunner, DynamicalSystem, Monitor,
                            Network, NeuGroup, ReportRunner, StructRunner, TwoEndConn, models)

optim = optimizers   # BrainPy's aliases
conn = connect
init = initialize

__all__ = ['__version__', 'errors', 'math', 'optimizers', 'optim', 'losses', 'initialize', 'init',
           'Base', 'Collector', 'TensorCollector', 'clear_name_cache',
           'connect', 'conn', 'inputs', 'measure', 'visualization', 'visualize',
           'integrators', 'ode', 'sde', 'odeint', 'sdeint', 'JointEq', 'dyn', 'nn', 'running',
           'models', 'DynamicalSystem', 'Container', 'Network', 'ConstantDelay', 'NeuGroup',
           'TwoEndConn', 'Monitor', 'DSRunner', 'StructRunner', 'ReportRunner']
