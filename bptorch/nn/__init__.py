"""``bp.nn``: BrainPy 2.1's node networks and their trainers, on torch.

Nodes (:mod:`~bptorch.nn.nodes`) are built into networks with ``>>``, ``<<``, ``&``,
``[...]`` (:mod:`~bptorch.nn.operations`), run over time by :class:`RNNRunner` and
trained by the trainers of :mod:`~bptorch.nn.runners` with the algorithms of
:mod:`~bptorch.nn.algorithms`.

Nodes are ``torch.nn.Module`` s (``parameters()``, ``state_dict()``, ``.to()``,
``train()`` / ``eval()``), computed with ``torch.nn.functional``; weights of
trainable nodes are ``bm.TrainVar`` s, states ``bm.Variable`` s.

Where bptorch differs from BrainPy 2.1.12 (mostly where 2.1.12 had a bug):

- nodes and edges keep the order they were connected in (2.1.12 used sets);
- ``net <<= node`` feeds ``node`` back into ``net`` (as ``net = net << node``);
- ``Reshape`` keeps the batch axis; ``Select`` takes slices, lists and ``[:, ...]``;
- ``BatchNorm`` keeps running averages for evaluation (``momentum=None``: 2.1.12's
  batch statistics always); ``Dropout`` / ``BatchNorm`` follow ``train=`` or the
  module's mode;
- the reservoir adds its bias and honours ``noise_type``; ``LMS`` is the LMS rule;
  ``LassoRegression`` is implemented (FISTA);
- ``BPTT`` trains a ``state_trainable`` node's initial state;
- runs outside ``bm.grad`` & co. (``predict``, online ``fit``) keep no autograd
  graph and return plain tensors;
- a node's fixed weights are saved by ``state_dict``;
- ``jit=True`` compiles one step with ``bm.jit`` (the loop runs around it).

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
