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
    'pmap': ("XLA's map over devices; use bm.vmap on one device, or bm.distributed over "
             "torch.distributed processes"),
    'xmap': "XLA's named-axis map; use bm.vmap(..., axis_name=...) with bm.psum/bm.pmean",
    'jaxarray': _MODULE,
    'numpy_ops': _MODULE,
    'utils': _MODULE,
    'compat': _MODULE + " (bm.optimizers, bm.losses, bm.FixedLenDelay)",
    'parallels': _MODULE + " (bm.vmap; pmap has no torch counterpart)",
    'setting': ("BrainPy's settings module; its names are in bm (bm.set_dt, bm.get_dt, "
                "bm.enable_x64, bm.set_platform, bm.float_, bm.int_, bm.complex_, bm.bool_); "
                "bptorch's own module is bm.settings"),
}
"""Name -> why bptorch has no such name (one line each, for the porting table)."""

NOT_YET: dict[str, str] = {}
"""Name -> what is missing, for BrainPy names other parts of bptorch are bringing."""
