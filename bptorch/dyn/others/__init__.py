"""Inputs and noises: ``bp.dyn.others`` (BrainPy 2.1.12's ``brainpy.dyn.others``).

Examples
--------
>>> import bptorch as bp
>>> bp.dyn.others.PoissonGroup is bp.dyn.PoissonGroup
True
"""

from bptorch.dyn.others.inputs import *  # noqa: F401,F403
from bptorch.dyn.others.inputs import __all__ as _inputs_all
from bptorch.dyn.others.noises import *  # noqa: F401,F403
from bptorch.dyn.others.noises import __all__ as _noises_all

__all__ = list(_inputs_all) + list(_noises_all)
