"""BrainPy 2.1.12 ``brainpy.math`` names that bptorch does not provide, and why.

``bm.<name>`` for one of these raises an ``AttributeError`` that carries the reason
(the module ``__getattr__`` of :mod:`bptorch.math` reads these tables), so a ported
program stops at the first such name with a message instead of computing something
else. :data:`STAYS_OUT` lists what cannot or need not exist on torch;
:data:`NOT_YET` lists what is being ported elsewhere in bptorch (its entries are
only consulted while the name is missing).
"""

_MODULE = ("BrainPy's internal module; its public names are in bm itself "
           "(import bptorch.math as bm and use bm.<name>)")

STAYS_OUT: dict[str, str] = {
    'set_host_device_count': ("it sets XLA_FLAGS so that jax.pmap sees several CPU devices; "
                              "torch needs no such flag (several processes: bm.distributed)"),
    'add_docstring': "NumPy's tool for documenting C functions; nothing in bm is a NumPy C function",
    'add_newdoc': "NumPy's tool for documenting C objects; nothing in bm is a NumPy C object",
    'add_newdoc_ufunc': "NumPy's tool for documenting ufuncs; bm's functions are not NumPy ufuncs",
    'register_op': ("it registers a brainpylib/XLA custom operator; write a torch function "
                    "(or a torch.library custom op) instead"),
    'pmap': ("XLA's map over devices; use bm.vmap on one device, or bm.distributed over "
             "torch.distributed processes"),
    'xmap': "XLA's named-axis map; use bm.vmap(..., axis_name=...) with bm.psum/bm.pmean",
    'jaxarray': _MODULE,
    'numpy_ops': _MODULE,
    'utils': _MODULE,
    'compat': _MODULE + " (bm.optimizers, bm.losses; FixedLenDelay comes with the delays)",
    'parallels': _MODULE + " (bm.vmap; pmap has no torch counterpart)",
    'setting': ("BrainPy's settings module; its names are in bm (bm.set_dt, bm.get_dt, "
                "bm.enable_x64, bm.set_platform, bm.float_, bm.int_, bm.complex_, bm.bool_); "
                "bptorch's own module is bm.settings"),
}
"""Name -> why bptorch has no such name (one line each, for the porting table)."""

_ACTIVATIONS = "BrainPy's activation functions (bm.activations) are being ported; not in bptorch yet"
_CONTROLS = "BrainPy's loops and branches (bm.make_loop, bm.for_loop, bm.cond...) are being ported; not in bptorch yet"
_DELAYS = "BrainPy's delay variables (bm.LengthDelay, bm.TimeDelay...) are being ported; not in bptorch yet"
_OPERATORS = ("BrainPy's brain-dynamics operators (bm.pre2post_*, bm.syn2post_*, bm.segment_*, "
              "bm.sparse_matmul) are not in bptorch yet; torch's index_add / scatter_reduce do their job")

NOT_YET: dict[str, str] = {
    'losses': "BrainPy's alias of bp.losses, which is being ported; not in bptorch yet",
    **{n: _ACTIVATIONS for n in (
        'activations', 'celu', 'elu', 'gelu', 'glu', 'hard_tanh', 'hard_sigmoid', 'hard_silu',
        'hard_swish', 'leaky_relu', 'log_sigmoid', 'log_softmax', 'one_hot', 'normalize', 'relu',
        'relu6', 'sigmoid', 'soft_sign', 'softmax', 'softplus', 'silu', 'swish', 'selu')},
    **{n: _CONTROLS for n in ('controls', 'make_loop', 'make_while', 'make_cond', 'cond',
                              'ifelse', 'for_loop', 'while_loop')},
    **{n: _DELAYS for n in ('delayvars', 'AbstractDelay', 'TimeDelay', 'LengthDelay',
                            'NeuTimeDelay', 'NeuLenDelay', 'FixedLenDelay')},
    **{n: _OPERATORS for n in (
        'operators', 'pre2post_sum', 'pre2post_prod', 'pre2post_max', 'pre2post_min',
        'pre2post_mean', 'pre2syn', 'syn2post_sum', 'syn2post', 'syn2post_prod', 'syn2post_max',
        'syn2post_min', 'syn2post_mean', 'syn2post_softmax', 'pre2post_event_sum',
        'pre2post_event_prod', 'sparse_matmul', 'segment_sum', 'segment_prod', 'segment_max',
        'segment_min')},
}
"""Name -> what is missing, for BrainPy names other parts of bptorch are bringing."""
