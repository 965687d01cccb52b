"""bptorch: BrainPy's object-oriented math and autograd API on PyTorch.

Examples
--------
>>> import bptorch as bp
>>> import bptorch.math as bm
>>> bp.__version__
'0.1.0'
"""

__version__ = '0.1.0'

from bptorch import errors, initialize, losses, math, optimizers
from bptorch.base import Base, Collector, TensorCollector, clear_name_cache

optim = optimizers   # BrainPy's aliases
init = initialize

__all__ = ['__version__', 'errors', 'math', 'optimizers', 'optim', 'losses', 'initialize', 'init',
           'Base', 'Collector', 'TensorCollector', 'clear_name_cache']
