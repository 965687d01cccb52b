"""The ``bm`` namespace: BrainPy's math API on torch tensors.

This module only re-exports; each name lives in the module that owns its job:
``ops`` (NumPy-named functions and dtypes), ``settings``, ``random``,
``variables``, ``collectors``, ``autograd``, ``batching`` (vmap and named axes),
``distributed`` (named axes over process groups), ``jit``, ``controls`` (loops and
branches), ``operators`` (synaptic pre-to-post / syn-to-post operators), ``delayvars``
(``LengthDelay``, ``TimeDelay``), ``activations`` (also
re-exported here, except ``tanh`` and ``identity``, which are NumPy's at ``bm.*`` as in
BrainPy), ``surrogate`` (spike functions with surrogate gradients); ``arraytypes``
(``ndarray``/``JaxArray``, ``dtype`` and conversions), ``linalg``, ``fft`` and the
NumPy-named modules listed below.

``bm.float_``, ``bm.int_`` and ``bm.complex_`` are the current default dtypes
(see :mod:`bptorch.math.settings`), read at each lookup. ``bm.optimizers`` and
``bm.losses`` are BrainPy's aliases of ``bp.optimizers`` / ``bp.losses``, imported
on first use (``bptorch.math`` never imports them). A BrainPy name that bptorch
does not provide raises an ``AttributeError`` that says why (see
:mod:`bptorch.math._porting`).
"""

from bptorch.errors import MathError
from bptorch.math import activations, distributed, fft, linalg, random, settings, surrogate
from bptorch.math.activations import (celu, elu, gelu, glu, hard_sigmoid, hard_silu, hard_swish,
                                      hard_tanh, leaky_relu, log_sigmoid, log_softmax, normalize,
                                      one_hot, relu, relu6, selu, sigmoid, silu, soft_sign,
                                      softmax, softplus, standardize, swish)
from bptorch.math.autograd import grad, hessian, jacfwd, jacobian, jacrev, vector_grad
from bptorch.math.batching import axis_size, pmax, pmean, pmin, psum, vmap
from bptorch.math.clipping import clip_by_norm
from bptorch.math.collectors import Collector, TensorCollector
from bptorch.math.controls import cond, for_loop, ifelse, make_cond, make_loop, make_while, while_loop
from bptorch.math.jit import function, jit
from bptorch.math.state import in_transform
from bptorch.math import (arrayio, arraytypes, indexing, manipulation, numerical, ops, polynomial,
                          setops, statistics, windows)
from bptorch.math.ops import *  # noqa: F401,F403
from bptorch.math.arraytypes import *  # noqa: F401,F403
from bptorch.math.statistics import *  # noqa: F401,F403
from bptorch.math.numerical import *  # noqa: F401,F403
from bptorch.math.indexing import *  # noqa: F401,F403
from bptorch.math.manipulation import *  # noqa: F401,F403
from bptorch.math.setops import *  # noqa: F401,F403
from bptorch.math.windows import *  # noqa: F401,F403
from bptorch.math.polynomial import *  # noqa: F401,F403
from bptorch.math.arrayio import *  # noqa: F401,F403
from bptorch.math.settings import (default_device, disable_x64, enable_x64, get_dcomplex,
                                   get_dfloat, get_dint, get_dt, get_platform, set_dcomplex,
                                   set_dfloat, set_dint, set_dt, set_platform, x64_enabled)
from bptorch.math.variables import Parameter, TrainVar, Variable, as_tensor, is_variable
from bptorch.math import delayvars, operators
from bptorch.math.operators import *  # noqa: F401,F403
from bptorch.math.delayvars import (AbstractDelay, FixedLenDelay, LengthDelay, NeuLenDelay,
                                    NeuTimeDelay, TimeDelay)

__all__ = [
    'MathError', 'distributed', 'fft', 'linalg', 'random',
    'grad', 'hessian', 'jacfwd', 'jacobian', 'jacrev', 'vector_grad',
    'axis_size', 'pmax', 'pmean', 'pmin', 'psum', 'vmap',
    'Collector', 'TensorCollector', 'clip_by_norm',
    'function', 'jit', 'in_transform',
    'cond', 'for_loop', 'ifelse', 'make_cond', 'make_loop', 'make_while', 'while_loop',
    'default_device', 'disable_x64', 'enable_x64', 'get_platform', 'set_platform', 'x64_enabled',
    'set_dfloat', 'set_dint', 'set_dcomplex', 'get_dfloat', 'get_dint', 'get_dcomplex',
    'set_dt', 'get_dt',
    'celu', 'elu', 'gelu', 'glu', 'hard_sigmoid', 'hard_silu', 'hard_swish', 'hard_tanh',
    'leaky_relu', 'log_sigmoid', 'log_softmax', 'normalize', 'one_hot', 'relu', 'relu6', 'selu',
    'sigmoid', 'silu', 'soft_sign', 'softmax', 'softplus', 'standardize', 'swish',
    'activations', 'surrogate',
    'AbstractDelay', 'FixedLenDelay', 'LengthDelay', 'NeuLenDelay', 'NeuTimeDelay', 'TimeDelay',
    'Parameter', 'TrainVar', 'Variable', 'as_tensor', 'is_variable',
]
# the NumPy-named modules, whose public names all live in bm itself
_NUMPY_MODULES = (ops, arraytypes, statistics, numerical, indexing, manipulation, setops, windows,
                  polynomial, arrayio, operators)
__all__ += [name for module in _NUMPY_MODULES for name in module.__all__]


# Names looked up when used: the default dtypes follow the settings, and the aliases of
# bp.optimizers / bp.losses import those packages only when asked for (bptorch.math is
# imported by them, never the other way round at import time).
_DEFAULT_DTYPES = {'float_': settings.float_, 'int_': settings.int_, 'complex_': settings.complex_}
_ALIASES = {'optimizers': 'bptorch.optimizers', 'losses': 'bptorch.losses'}


def __getattr__(name: str):
    import importlib
    get = _DEFAULT_DTYPES.get(name)
    if get is not None:
        return get()
    target = _ALIASES.get(name)
    if target is not None:
        try:
            return importlib.import_module(target)
        except ModuleNotFoundError:
            raise AttributeError(f'bm.{name}: BrainPy\'s alias of {target.replace("bptorch", "bp")}, '
                                 'which is not in bptorch yet') from None
    porting = importlib.import_module('bptorch.math._porting')
    reason = porting.STAYS_OUT.get(name)
    if reason is not None:
        raise AttributeError(f'bm.{name} is not in bptorch: {reason}')
    reason = porting.NOT_YET.get(name)
    if reason is not None:
        raise AttributeError(f'bm.{name}: {reason}')
    raise AttributeError(f"module 'bptorch.math' has no attribute {name!r}")
