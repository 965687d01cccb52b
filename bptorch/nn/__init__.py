"""``bp.nn``: BrainPy 2.1's node networks and their trainers, on torch.

Nodes (:mod:`~bptorch.nn.nodes`) are built into networks with ``>>``, ``<<``, ``&``,
``[...]`` (:mod:`~bptorch.nn.operations`), run over time by :class:`RNNRunner` and
trained by the trainers of :mod:`~bptorch.nn.runners` with the algorithms of
:mod:`~bptorch.nn.algorithms`.

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> model = bp.nn.Input(3) >> bp.nn.Dense(2)
>>> model.initialize(num_batch=1)
>>> model(bm.ones((1, 3))).shape
torch.Size([1, 2])
"""

from bptorch.nn import algorithms, datatypes, graph_flow, operations, runners, utils
from bptorch.nn.base import FrozenNetwork, Network, Node, RecurrentNode, Sequential
from bptorch.nn.datatypes import DataType, MultipleData, SingleData
from bptorch.nn.graph_flow import (detect_cycle, detect_path, find_entries_and_exits,
                                   find_senders_and_receivers)
from bptorch.nn.nodes import *  # noqa: F401,F403
from bptorch.nn.nodes import __all__ as _nodes_all
from bptorch.nn.operations import concatenate, fb_connect, ff_connect, merge, select
from bptorch.nn.runners import (BPFF, BPTT, ForceTrainer, OfflineTrainer, OnlineTrainer,
                                RidgeTrainer, RNNRunner, RNNTrainer)
from bptorch.nn.utils import (check_data_batch_size, check_rnn_data_time_step, init_param,
                              serialize_kwargs, tensor_sum)

__all__ = ['Node', 'Network', 'RecurrentNode', 'FrozenNetwork', 'Sequential',
           'DataType', 'SingleData', 'MultipleData',
           'find_senders_and_receivers', 'find_entries_and_exits', 'detect_cycle', 'detect_path',
           'ff_connect', 'fb_connect', 'merge', 'select', 'concatenate',
           'RNNRunner', 'RNNTrainer', 'OfflineTrainer', 'RidgeTrainer', 'OnlineTrainer',
           'ForceTrainer', 'BPTT', 'BPFF',
           'tensor_sum', 'init_param', 'check_data_batch_size', 'check_rnn_data_time_step',
           'serialize_kwargs',
           'algorithms', 'datatypes', 'graph_flow', 'operations', 'runners',
           'utils'] + list(_nodes_all)
