"""The input node (BrainPy 2.1.12's ``brainpy.nn.Input``).

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> i = bp.nn.Input(3)
>>> i.output_shape
(None, 3)
"""

from __future__ import annotations

from typing import Optional, Sequence, Union

from bptorch.nn._checks import to_size
from bptorch.nn.base import Node

__all__ = ['Input']


class Input(Node):
    """The input of a network: it passes its data on and fixes the input shape.

    Parameters
    ----------
    input_shape : int or sequence of int
        The feature shape of one sample (no batch axis).
    trainable : bool
        Default False (it has no weights).
    name : str, optional
        The node's name.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> i = bp.nn.Input((2, 3))
    >>> i.initialize(4)
    >>> i(bm.ones((4, 2, 3))).shape
    torch.Size([4, 2, 3])
    """

    def __init__(self, input_shape: Union[Sequence[int], int], trainable: bool = False,
                 name: Optional[str] = None):
        super().__init__(name=name, trainable=trainable, input_shape=input_shape)
        self.set_feedforward_shapes({self.name: (None,) + to_size(input_shape)})
        self._init_ff_conn()

    def init_ff_conn(self) -> None:
        self.set_output_shape(self.feedforward_shapes)

    def forward(self, ff, **shared_kwargs):
        return ff
