"""Running and training ``bp.nn`` models: :class:`RNNRunner`, offline (:class:`OfflineTrainer`,
:class:`RidgeTrainer`), online (:class:`OnlineTrainer`, :class:`ForceTrainer`) and
back-propagation (:class:`BPTT`, :class:`BPFF`) trainers."""

from bptorch.nn.runners.back_propagation import BPFF, BPTT
from bptorch.nn.runners.offline_trainer import OfflineTrainer, RidgeTrainer
from bptorch.nn.runners.online_trainer import ForceTrainer, OnlineTrainer
from bptorch.nn.runners.rnn_runner import RNNRunner
from bptorch.nn.runners.rnn_trainer import RNNTrainer

__all__ = ['RNNRunner', 'RNNTrainer', 'OfflineTrainer', 'RidgeTrainer', 'OnlineTrainer',
           'ForceTrainer', 'BPTT', 'BPFF']
