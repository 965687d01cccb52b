"""Dropout (BrainPy 2.1.12's ``brainpy.nn.Dropout``).

Active in training only. Training or evaluation is chosen per call by the shared
keyword ``train`` (BrainPy's way: ``model(x, train=False)``,
``runner.predict(xs, shared_kwargs={'train': False})``); without it, by the
module's mode (``model.train()`` / ``model.eval()``, training by default, as
BrainPy's default ``train=True``).

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> d = bp.nn.Dropout(0.5, seed=0, input_shape=4)
>>> d.initialize(1)
>>> x = bm.ones((1, 4))
>>> y = d(x)
>>> bool(((y == 0) | (y == 2)).all()), bool((d(x, train=False) == x).all())
(True, True)
"""

from __future__ import annotations

from typing import Optional

import torch

from bptorch.math import random as bm_random
from bptorch.math import settings
from bptorch.nn._checks import check_float
from bptorch.nn.base import Node
from bptorch.nn.nodes._params import value_of

__all__ = ['Dropout']


def is_training(node: Node, shared_kwargs: dict) -> bool:
    """The ``train`` shared keyword if given, else the module's mode."""
    train = shared_kwargs.get('train', None)
    return node.training if train is None else bool(train)


class Dropout(Node):
    """Keep each input with probability ``prob`` (scaled by ``1 / prob``), zero it otherwise.

    Parameters
    ----------
    prob : float
        The probability to *keep* an element (BrainPy's convention; torch's
        ``p`` is ``1 - prob``), in ``(0, 1]``.
    seed : int, optional
        The seed of the node's own random numbers (``bm.random.RandomState``).
    **kwargs
        ``name``, ``input_shape``, ``trainable``.

    References
    ----------
    .. [1] Srivastava, Nitish, et al. "Dropout: a simple way to prevent neural networks
           from overfitting." JMLR 15.1 (2014): 1929-1958.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> d = bp.nn.Dropout(0.8, input_shape=3)
    >>> d.initialize(2)
    >>> d.eval()(bm.ones((2, 3)))
    tensor([[1., 1., 1.],
            [1., 1., 1.]])
    """

    def __init__(self, prob: float, seed: Optional[int] = None, **kwargs):
        super().__init__(**kwargs)
        check_float(prob, 'prob', min_bound=0., max_bound=1.)
        if prob == 0:
            raise ValueError('prob is the probability to keep an element; it must be above 0')
        self.prob = prob
        self.rng = bm_random.RandomState(seed=seed)

    def init_ff_conn(self) -> None:
        self.set_output_shape(self.feedforward_shapes)

    def forward(self, ff, **shared_kwargs):
        ff = value_of(ff)
        if not is_training(self, shared_kwargs):
            return ff
        dtype = ff.dtype if ff.is_floating_point() else settings.float_()
        keep = self.rng.bernoulli(torch.full((), self.prob, dtype=dtype, device=ff.device),
                                  size=ff.shape)
        return torch.where(keep, ff / self.prob, torch.zeros((), dtype=ff.dtype, device=ff.device))
