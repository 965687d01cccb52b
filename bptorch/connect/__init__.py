"""Synaptic connectivity between neuron groups: ``bp.connect`` (alias ``bp.conn``).

Connectors are BrainPy 2.1's: regular (:class:`One2One`, :class:`All2All`,
:class:`GridFour`, :class:`GridEight`, :class:`GridN`), random
(:class:`FixedProb`, :class:`FixedPreNum`, :class:`FixedPostNum`,
:class:`GaussianProb`, :class:`SmallWorld`, :class:`ScaleFreeBA`,
:class:`ScaleFreeBADual`, :class:`PowerLaw`) and from data (:class:`MatConn`,
:class:`IJConn`, :class:`SparseMatConn`). See :mod:`bptorch.connect.base` for the
structures ``require`` returns, their dtypes (int64 indices) and devices.

Examples
--------
>>> import bptorch as bp
>>> conn = bp.connect.FixedPreNum(num=2, include_self=True, seed=1234)(4, 4)
>>> conn.require('conn_mat').int()
tensor([[1, 0, 0, 0],
        [0, 1, 0, 0],
        [1, 1, 1, 1],
        [0, 0, 1, 1]], dtype=torch.int32)
"""

from bptorch.connect import base
from bptorch.connect.base import *  # noqa: F401,F403
from bptorch.connect.base import __all__ as _base_all
from bptorch.connect.custom_conn import *  # noqa: F401,F403
from bptorch.connect.custom_conn import __all__ as _custom_all
from bptorch.connect.random_conn import *  # noqa: F401,F403
from bptorch.connect.random_conn import __all__ as _random_all
from bptorch.connect.regular_conn import *  # noqa: F401,F403
from bptorch.connect.regular_conn import __all__ as _regular_all

_DTYPES = ('MAT_DTYPE', 'IDX_DTYPE')
for _name in _DTYPES:   # read them from base, where set_default_dtype changes them
    del globals()[_name]

__all__ = list(_base_all) + list(_custom_all) + list(_random_all) + list(_regular_all)


def __getattr__(name):
    if name in _DTYPES:
        return getattr(base, name)
    raise AttributeError(f"module 'bptorch.connect' has no attribute {name!r}")
