"""The ``bm`` namespace: BrainPy's math API on torch tensors.

This module only re-exports; each name lives in the module that owns its job:
``ops`` (NumPy-named functions and dtypes), ``settings``, ``random``,
``variables``, ``collectors``, ``autograd``, ``batching`` (vmap and named axes),
``distributed`` (named axes over process groups) and ``jit``.
"""

from bptorch.errors import MathError
from bptorch.math import distributed, random
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

__all__ = [
    'MathError', 'distributed', 'random',
    'grad', 'hessian', 'jacfwd', 'jacobian', 'jacrev', 'vector_grad',
    'axis_size', 'pmax', 'pmean', 'pmin', 'psum', 'vmap',
    'Collector', 'TensorCollector', 'clip_by_norm',
    'function', 'jit',
    'default_device', 'disable_x64', 'enable_x64', 'get_platform', 'set_platform', 'x64_enabled',
    'get_dt', 'set_dt',
    'Parameter', 'TrainVar', 'Variable', 'as_tensor', 'is_variable', 'unwrap',
] + list(_ops_all)
