"""Loss functions: ``bp.losses`` (BrainPy 2.1.12's ``brainpy.losses``; also ``bm.losses``).

See :mod:`bptorch.losses.comparison` for the conventions (argument order, axes and
reductions are BrainPy's).

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> bp.losses.cross_entropy_loss([[0., 0.]], [1])
tensor(0.6931)
>>> bm.losses is bp.losses
True
"""

from bptorch.losses.comparison import *  # noqa: F401,F403
from bptorch.losses.comparison import __all__ as _comparison_all
from bptorch.losses.regularization import l2_norm

__all__ = list(_comparison_all) + ['l2_norm']
