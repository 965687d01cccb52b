"""Reservoir computing (RC) nodes."""

from bptorch.nn.nodes.RC.linear_readout import LinearReadout
from bptorch.nn.nodes.RC.nvar import NVAR
from bptorch.nn.nodes.RC.reservoir import Reservoir

__all__ = ['LinearReadout', 'NVAR', 'Reservoir']
