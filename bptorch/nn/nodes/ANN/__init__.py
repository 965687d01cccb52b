"""Artificial neural network (ANN) nodes."""

from bptorch.nn.nodes.ANN.conv import Conv1D, Conv2D, Conv3D, GeneralConv
from bptorch.nn.nodes.ANN.dropout import Dropout
from bptorch.nn.nodes.ANN.normalization import (BatchNorm, BatchNorm1d, BatchNorm2d, BatchNorm3d,
                                                GroupNorm, InstanceNorm, LayerNorm)
from bptorch.nn.nodes.ANN.pooling import AvgPool, MaxPool, MinPool, Pool
from bptorch.nn.nodes.ANN.rnn_cells import GRU, LSTM, VanillaRNN

__all__ = ['GeneralConv', 'Conv1D', 'Conv2D', 'Conv3D', 'Dropout', 'BatchNorm', 'BatchNorm1d',
           'BatchNorm2d', 'BatchNorm3d', 'GroupNorm', 'LayerNorm', 'InstanceNorm', 'Pool',
           'MaxPool', 'AvgPool', 'MinPool', 'VanillaRNN', 'GRU', 'LSTM']
