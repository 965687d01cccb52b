"""Weight initializers: ``bp.init`` / ``bp.initialize`` (BrainPy 2.1.12's ``brainpy.initialize``).

``init(shape, dtype=None)`` returns a new tensor (the default float, on the default
device); random ones draw from :mod:`bptorch.math.random`, so ``bm.random.seed(k)``
reproduces them. :func:`init_param` turns an initializer, a function, an array or a
number into a parameter.

Examples
--------
>>> import bptorch as bp
>>> bp.init.ZeroInit()((2, 2))
tensor([[0., 0.],
        [0., 0.]])
>>> bp.init is bp.initialize
True
"""

from bptorch.initialize.base import Initializer, InterLayerInitializer, IntraLayerInitializer
from bptorch.initialize.decay_inits import DOGDecay, GaussianDecay
from bptorch.initialize.generic import init_param
from bptorch.initialize.random_inits import (DeltaOrthogonal, KaimingNormal, KaimingUniform,
                                             LecunNormal, LecunUniform, Normal, Orthogonal, Uniform,
                                             VarianceScaling, XavierNormal, XavierUniform)
from bptorch.initialize.regular_inits import Identity, OneInit, ZeroInit

__all__ = [
    'Initializer', 'InterLayerInitializer', 'IntraLayerInitializer', 'init_param',
    'ZeroInit', 'OneInit', 'Identity',
    'Normal', 'Uniform', 'VarianceScaling', 'KaimingUniform', 'KaimingNormal', 'XavierUniform',
    'XavierNormal', 'LecunUniform', 'LecunNormal', 'Orthogonal', 'DeltaOrthogonal',
    'GaussianDecay', 'DOGDecay',
]
