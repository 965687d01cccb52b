"""Offline and online training algorithms of ``bp.nn``."""

from bptorch.nn.algorithms import offline, online
from bptorch.nn.algorithms.offline import *  # noqa: F401,F403
from bptorch.nn.algorithms.offline import __all__ as _offline_all
from bptorch.nn.algorithms.online import *  # noqa: F401,F403
from bptorch.nn.algorithms.online import __all__ as _online_all

__all__ = ['offline', 'online'] + list(_offline_all) + list(_online_all)
