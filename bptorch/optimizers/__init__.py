"""``bp.optimizers`` (also ``bp.optim``): BrainPy 2.1's optimizers and learning-rate schedulers.

Examples
--------
>>> import bptorch.math as bm
>>> from bptorch import optimizers
>>> w = bm.TrainVar(bm.ones(2))
>>> opt = optimizers.Adam(lr=optimizers.ExponentialDecay(0.1, 10, 0.9), train_vars={'w': w})
>>> opt.update({'w': bm.ones(2)})
>>> opt.lr.step
Variable(tensor([1]))
"""

from bptorch.optimizers.optimizer import (LARS, SGD, Adadelta, Adagrad, Adam, Momentum,
                                          MomentumNesterov, Optimizer, RMSProp)
from bptorch.optimizers.scheduler import (Constant, ExponentialDecay, InverseTimeDecay,
                                          MultiStepLR, PiecewiseConstant, PolynomialDecay,
                                          Scheduler, StepLR, make_schedule)

__all__ = [
    'Optimizer', 'SGD', 'Momentum', 'MomentumNesterov', 'Adagrad', 'Adadelta', 'RMSProp', 'Adam',
    'LARS',
    'Scheduler', 'make_schedule', 'Constant', 'ExponentialDecay', 'InverseTimeDecay',
    'PolynomialDecay', 'PiecewiseConstant', 'StepLR', 'MultiStepLR',
]
