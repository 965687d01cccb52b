"""The base of the ``bp.nn`` trainers (BrainPy 2.1.12's ``brainpy.nn.RNNTrainer``).

Examples
--------
>>> import bptorch as bp
>>> model = bp.nn.Input(2) >> bp.nn.Reservoir(10) >> bp.nn.LinearReadout(1, name='ro')
>>> model.initialize(1)
>>> [n.name for n in bp.nn.RNNTrainer(model, jit=False).train_nodes]
['ro']
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence, Union

import torch

from bptorch.errors import UnsupportedError
from bptorch.math.variables import as_tensor
from bptorch.nn._checks import check_dict_data, is_tensor
from bptorch.nn.base import Network, Node
from bptorch.nn.runners.rnn_runner import RNNRunner

__all__ = ['RNNTrainer']


class RNNTrainer(RNNRunner):
    """A runner that also trains: the trainable nodes of ``target`` are ``train_nodes``.

    Takes the arguments of :class:`RNNRunner`; subclasses implement ``fit``.

    Examples
    --------
    >>> import bptorch as bp
    >>> net = bp.nn.Input(1) >> bp.nn.Dense(2, trainable=False) >> bp.nn.Dense(1, name='last')
    >>> net.initialize(1)
    >>> [n.name for n in bp.nn.RNNTrainer(net, jit=False).train_nodes]
    ['last']
    """

    def __init__(self, target: Node, **kwargs):
        super().__init__(target=target, **kwargs)
        self.train_nodes = self._get_trainable_nodes()

    def fit(self, train_data: Any, test_data: Any = None, **kwargs):
        raise NotImplementedError('Must implement the fit function. ')

    def _get_trainable_nodes(self) -> list:
        if isinstance(self.target, Network):
            return [node for node in self.target.lnodes if node.trainable]
        if isinstance(self.target, Node):
            return [self.target] if self.target.trainable else []
        raise UnsupportedError(f'Must be a brainpy.nn.Node instance, while we got '
                               f'{type(self.target).__name__}: {self.target}')

    def _check_ys(self, ys: Any, num_batch: int, num_step: int, move_axis: bool = False) -> dict:
        if is_tensor(ys):
            if len(self.train_nodes) != 1:
                raise ValueError(f'The network {self.target} has {len(self.train_nodes)} '
                                 f'training nodes, while we only got one target data.')
            ys = {self.train_nodes[0].name: ys}
        check_dict_data(ys, key_type=str, val_type=object, name='ys')
        names = [n.name for n in self.train_nodes]
        out = {}
        for key, val in ys.items():
            if key not in names:
                raise ValueError(f'Got targets for {key!r}, which is not a trainable node of the '
                                 f'model; the trainable nodes are {names}')
            if not is_tensor(val):
                raise ValueError(f'The targets of {key!r} must be a tensor, got '
                                 f'{type(val).__name__}')
            val = as_tensor(val)
            if val.ndim < 3:
                raise ValueError(f'Targets must be a tensor with shape of (num_sample, num_time, '
                                 f'feature_dim, ...), but we got {tuple(val.shape)}')
            if val.shape[0] != num_batch:
                raise ValueError(f'Batch size of the target {key} does not match with the input '
                                 f'data {val.shape[0]} != {num_batch}')
            if val.shape[1] != num_step:
                raise ValueError(f'The time step of the target {key} does not match with the '
                                 f'input data {val.shape[1]} != {num_step})')
            out[key] = val.movedim(0, 1) if move_axis else val
        for name in names:
            if name not in out:
                raise ValueError(f'No targets for the trainable node {name!r}; give targets for '
                                 f'{names}')
        return out
