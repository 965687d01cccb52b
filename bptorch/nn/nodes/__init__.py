"""The nodes of ``bp.nn``: basic, artificial neural network (ANN) and reservoir computing (RC) ones."""

from bptorch.nn.nodes.ANN import *  # noqa: F401,F403
from bptorch.nn.nodes.ANN import __all__ as _ann_all
from bptorch.nn.nodes.base import *  # noqa: F401,F403
from bptorch.nn.nodes.base import __all__ as _base_all
from bptorch.nn.nodes.RC import *  # noqa: F401,F403
from bptorch.nn.nodes.RC import __all__ as _rc_all

__all__ = list(_base_all) + list(_ann_all) + list(_rc_all)
