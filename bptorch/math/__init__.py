"""The ``bm`` namespace: BrainPy's math API on torch tensors.

This module only re-exports; each name lives in the module that owns its job:
``ops`` (NumPy-named functions and dtypes), ``settings``, ``random``,
``variables``, ``collectors``, ``autograd``, ``batching`` (vmap and named axes),
``distributed`` (named axes over process groups), ``jit``, ``operators`` (synaptic
pre-to-post / syn-to-post operators), ``delayvars`` (``LengthDelay``, ``TimeDelay``),
``activations`` (also re-exported here, except ``tanh`` and ``identity``, which are NumPy's at ``bm.*`` as in
BrainPy) and ``surrogate`` (spike functions with surrogate gradients).
``bm.losses`` is ``bptorch.losses`` (BrainPy 2.1's deprecated ``brainpy.math.losses``
spelling), imported on first use so that ``bptorch.math`` never imports it.
"""

from bptorch.errors import MathError
from bptorch.math import activations, distributed, random, surrogate
from bptorch.math.activations import (celu, elu, gelu, glu, hard_sigmoid, hard_silu, hard_swish,
                                      hard_tanh, leaky_relu, log_sigmoid, log_softmax, normalize,
                                      one_hot, relu, relu6, selu, sigmoid, silu, soft_sign,
                                      softmax, softplus, standardize, swish)
from bptorch.math.autograd import grad, hessian, jacfwd, jacobian, jacrev, vector_grad
from bptorch.math.batching import axis_size, pmax, pmean, pmin, psum, vmap
from bptorch.math.clipping import clip_by_norm
from bptorch.math.collectors import Collector, TensorCollector
from bptorch.math.jit import function, jit
from bptorch.math.ops import *  # noqa: F401,F403
from bptorch.math.ops import __all__ as _ops_all
from bptorch.math.settings import (default_device, disable_x64, enable_x64, get_dt, get_platform,
                                   set_dt, set_platform, x64_enabled)
from bptorch.math.variables import Parameter, TrainVar, Variable, as_tensor, is_variable, unwrap
from bptorch.math.operators import *  # noqa: F401,F403
from bptorch.math.operators import __all__ as _operators_all
from bptorch.math.delayvars import (AbstractDelay, LengthDelay, NeuLenDelay, NeuTimeDelay,
                                    TimeDelay)

__all__ = [
    'MathError', 'activations', 'distributed', 'random', 'surrogate',
    'celu', 'elu', 'gelu', 'glu', 'hard_sigmoid', 'hard_silu', 'hard_swish', 'hard_tanh',
    'leaky_relu', 'log_sigmoid', 'log_softmax', 'normalize', 'one_hot', 'relu', 'relu6', 'selu',
    'sigmoid', 'silu', 'soft_sign', 'softmax', 'softplus', 'standardize', 'swish',
    'grad', 'hessian', 'jacfwd', 'jacobian', 'jacrev', 'vector_grad',
    'axis_size', 'pmax', 'pmean', 'pmin', 'psum', 'vmap',
    'Collector', 'TensorCollector', 'clip_by_norm',
    'function', 'jit',
    'default_device', 'disable_x64', 'enable_x64', 'get_platform', 'set_platform', 'x64_enabled',
    'get_dt', 'set_dt',
    'Parameter', 'TrainVar', 'Variable', 'as_tensor', 'is_variable', 'unwrap',
    'AbstractDelay', 'LengthDelay', 'NeuLenDelay', 'NeuTimeDelay', 'TimeDelay',
] + list(_ops_all) + list(_operators_all)



def __getattr__(name):
    """``bm.losses``: ``bptorch.losses``, imported on first use (it depends on ``bm``)."""
    if name == 'losses':
        import importlib
        return importlib.import_module('bptorch.losses')
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
