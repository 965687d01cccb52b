"""Input currents for simulations: ``bp.inputs`` (BrainPy 2.1's functions, on tensors).

Examples
--------
>>> import bptorch as bp
>>> I1 = bp.inputs.section_input(values=[0, 1, 2], durations=[10, 20, 30], dt=0.1)
>>> I2 = bp.inputs.section_input(values=[0, 1, 2], durations=[10, 20, 30], dt=0.01)
>>> I1.shape, I2.shape
(torch.Size([600]), torch.Size([6000]))
"""

from bptorch.inputs.currents import *  # noqa: F401,F403
from bptorch.inputs.currents import __all__  # noqa: F401
