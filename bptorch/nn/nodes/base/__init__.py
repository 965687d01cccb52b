"""Basic nodes: input, dense, activation and data rearrangement."""

from bptorch.nn.nodes.base.activation import Activation
from bptorch.nn.nodes.base.dense import Dense, DenseMD
from bptorch.nn.nodes.base.io import Input
from bptorch.nn.nodes.base.ops import Concat, Flatten, Reshape, Select, Summation

__all__ = ['Activation', 'Dense', 'DenseMD', 'Input', 'Concat', 'Flatten', 'Reshape', 'Select',
           'Summation']
