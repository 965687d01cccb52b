"""Names shared by the integrators: variable types, Wiener process types, SDE integrals.

These are BrainPy 2.1's constants, with the same values, so code that writes
``intg_type=bp.integrators.STRA_SDE`` or ``var_type='population'`` keeps working.

Examples
--------
>>> import bptorch as bp
>>> bp.integrators.ITO_SDE, bp.integrators.VECTOR_WIENER, bp.integrators.POP_VAR
('Ito', 'vector', 'population')
"""

from __future__ import annotations

import itertools
import threading

__all__ = [
    'DT', 'F',
    'SUPPORTED_VAR_TYPE', 'SCALAR_VAR', 'POP_VAR', 'SYSTEM_VAR',
    'SUPPORTED_WIENER_TYPE', 'SCALAR_WIENER', 'VECTOR_WIENER',
    'SUPPORTED_INTG_TYPE', 'ITO_SDE', 'STRA_SDE',
    'DE_INT', 'ODE_INT', 'SDE_INT', 'DDE_INT', 'FDE_INT', 'PDE_INT',
    'unique_name', 'exp_error_msg',
]

DT = 'dt'   # the keyword of the integration step
F = 'f'     # the drift / derivative function
G = 'g'     # the diffusion function

# SDE integrals
ITO_SDE = 'Ito'
STRA_SDE = 'Stratonovich'
SUPPORTED_INTG_TYPE = [ITO_SDE, STRA_SDE]

# Wiener processes: one noise per element (scalar), or ``m`` noises per element (vector,
# the diffusion function returns an extra last axis of size ``m``)
SCALAR_WIENER = 'scalar'
VECTOR_WIENER = 'vector'
SUPPORTED_WIENER_TYPE = [SCALAR_WIENER, VECTOR_WIENER]

# Variable types: each variable a scalar, a population (an array), or a system (one
# array holding several coupled variables)
SCALAR_VAR = 'scalar'
POP_VAR = 'population'
SYSTEM_VAR = 'system'
SUPPORTED_VAR_TYPE = [SCALAR_VAR, POP_VAR, SYSTEM_VAR]

# Prefixes of integrator function names
DE_INT = 'brainpy_itg_of'
ODE_INT = 'brainpy_itg_of_ode'
SDE_INT = 'brainpy_itg_of_sde'
DDE_INT = 'brainpy_itg_of_dde'
FDE_INT = 'brainpy_itg_of_fde'
PDE_INT = 'brainpy_itg_of_pde'

_PREFIX = {'ode': ODE_INT, 'sde': SDE_INT, 'dde': DDE_INT, 'fde': FDE_INT, 'pde': PDE_INT}
_counters = {k: itertools.count() for k in _PREFIX}
_lock = threading.Lock()


def unique_name(type: str) -> str:
    """A fresh function name for an integrator of ``type`` ('ode', 'sde', 'dde', 'fde', 'pde').

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.integrators.unique_name('ode').startswith('brainpy_itg_of_ode')
    True
    """
    if type not in _PREFIX:
        raise ValueError(f'unique_name(type): unknown differential equation type {type!r}; '
                         f'expected one of {sorted(_PREFIX)}')
    with _lock:
        return f'{_PREFIX[type]}{next(_counters[type])}'


exp_error_msg = """
{cls} only supports numerical integration for one variable once, while we got {vars} in {eq}.
Please split your derivative function into multiple functions in which each function has
one variable.
For example,

changing

>>> def f(x, y, t):
>>>    pass

to

>>> def f1(x, t, y):
>>>    pass
>>> def f2(y, t, x):
>>>    pass

(and combine them with brainpy.JointEq(f1, f2) to integrate them together).
"""
