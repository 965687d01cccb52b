r"""The reservoir node (BrainPy 2.1.12's ``brainpy.nn.Reservoir``).

A pool of leaky-integrator units with fixed random weights (Lukoševičius, 2012).
With ``activation_type='internal'`` (default):

.. math::

    r_{t+1} = (1 - \alpha)\, r_t + \alpha\, f(u_t W_{ff} + b_t W_{fb} + r_t W_{rec} + \mathrm{bias})

and with ``'external'``, as BrainPy 2.1.12 computes it,
:math:`r_{t+1} = f((1 - \alpha) r_t + \alpha (u_t W_{ff} + b_t W_{fb} + r_t W_{rec} + \mathrm{bias}))`.

Differences from BrainPy 2.1.12, all on paths its defaults do not take: the bias
(``bias_initializer``, zeros by default) is added (2.1.12 created it and never
used it); the noises follow ``noise_type`` (2.1.12 always drew uniform noise, and
the recurrent one from ``uniform(-1, -1)``, a constant).

Examples
--------
>>> import torch, bptorch as bp, bptorch.math as bm
>>> r = bp.nn.Reservoir(50, spectral_radius=0.9, input_shape=3, seed=0)
>>> r.initialize(2)
>>> r(bm.ones((2, 3))).shape
torch.Size([2, 50])
>>> round(float(torch.linalg.eigvals(r.Wrec).abs().max()), 4)
0.9
"""

from __future__ import annotations

from typing import Callable, Optional, Union

import torch

from bptorch.initialize import Initializer, Normal, ZeroInit, init_param
from bptorch.math import activations
from bptorch.math import random as bm_random
from bptorch.math import settings
from bptorch.math.variables import TrainVar, as_tensor
from bptorch.nn._checks import (check_float, check_initializer, check_integer,
                                check_shape_consistency, check_string)
from bptorch.nn.base import RecurrentNode
from bptorch.nn.datatypes import MultipleData
from bptorch.nn.nodes._params import cat_last, value_of

__all__ = ['Reservoir']

Init = Union[Initializer, Callable, torch.Tensor]


class Reservoir(RecurrentNode):
    r"""A reservoir of leaky-integrator units with random recurrent connections.

    Parameters
    ----------
    num_unit : int
        The number of reservoir units.
    leaky_rate : float
        :math:`\alpha`, in [0, 1] (default 0.3).
    activation : str or callable
        :math:`f` (default ``'tanh'``).
    activation_type : {'internal', 'external'}
        Where the activation is applied (see the module docstring).
    ff_initializer, rec_initializer : Initializer, callable or tensor
        Input and recurrent weights (default ``Normal(scale=0.1)``).
    fb_initializer : Initializer, callable, tensor or None
        Feedback weights (default ``Normal(scale=0.1)``).
    bias_initializer : Initializer, callable, tensor or None
        The bias (default ``ZeroInit()``).
    ff_connectivity, rec_connectivity, fb_connectivity : float
        The fraction of weights kept (the others are zero), in [0, 1] (default 0.1).
    conn_type : {'dense', 'sparse'}
        ``'sparse'`` keeps only the non-zero weights (1-D ``Wff`` / ``Wrec`` /
        ``Wfb`` with their ``*_pres`` / ``*_posts`` indices) and computes with
        gather / ``index_add``.
    spectral_radius : float, optional
        Rescale ``Wrec`` to this spectral radius.
    noise_ff, noise_rec, noise_fb : float
        Gains of noise added to the inputs, the units and the feedback (default 0).
    noise_type : {'normal', 'uniform'}
        The noise: standard normal, or uniform in [-1, 1].
    seed : int, optional
        The seed of the node's own random numbers (connectivity masks and noise).
    trainable : bool
        Default False.
    **kwargs
        ``name``, ``input_shape``, ``state_trainable``.

    References
    ----------
    .. [1] Lukoševičius, Mantas. "A practical guide to applying echo state networks."
           Neural networks: Tricks of the trade. Springer, 2012. 659-686.

    Examples
    --------
    >>> import bptorch as bp
    >>> r = bp.nn.Reservoir(20, rec_connectivity=0.5, conn_type='sparse', input_shape=2, seed=0)
    >>> r.initialize(1)
    >>> r.Wrec.ndim, r.state.shape
    (1, torch.Size([1, 20]))
    """

    data_pass = MultipleData('sequence')

    def __init__(self, num_unit: int, leaky_rate: float = 0.3,
                 activation: Union[str, Callable] = 'tanh', activation_type: str = 'internal',
                 ff_initializer: Init = Normal(scale=0.1),
                 rec_initializer: Init = Normal(scale=0.1),
                 fb_initializer: Optional[Init] = Normal(scale=0.1),
                 bias_initializer: Optional[Init] = ZeroInit(), ff_connectivity: float = 0.1,
                 rec_connectivity: float = 0.1, fb_connectivity: float = 0.1,
                 conn_type: str = 'dense', spectral_radius: Optional[float] = None,
                 noise_ff: float = 0., noise_rec: float = 0., noise_fb: float = 0.,
                 noise_type: str = 'normal', seed: Optional[int] = None, trainable: bool = False,
                 **kwargs):
        super().__init__(trainable=trainable, **kwargs)
        check_integer(num_unit, 'num_unit', min_bound=1)
        self.num_unit = num_unit
        check_float(leaky_rate, 'leaky_rate', 0., 1.)
        self.leaky_rate = leaky_rate
        self.activation = activations.get(activation)
        check_string(activation_type, 'activation_type', ['internal', 'external'])
        self.activation_type = activation_type
        self.rng = bm_random.RandomState(seed)
        check_float(spectral_radius, 'spectral_radius', allow_none=True)
        self.spectral_radius = spectral_radius
        check_initializer(ff_initializer, 'ff_initializer')
        check_initializer(rec_initializer, 'rec_initializer')
        check_initializer(fb_initializer, 'fb_initializer', allow_none=True)
        check_initializer(bias_initializer, 'bias_initializer', allow_none=True)
        self.ff_initializer = ff_initializer
        self.fb_initializer = fb_initializer
        self.rec_initializer = rec_initializer
        self.bias_initializer = bias_initializer
        for name, value in (('ff_connectivity', ff_connectivity),
                            ('rec_connectivity', rec_connectivity),
                            ('fb_connectivity', fb_connectivity)):
            check_float(value, name, 0., 1.)
        self.ff_connectivity = ff_connectivity
        self.rec_connectivity = rec_connectivity
        self.fb_connectivity = fb_connectivity
        check_string(conn_type, 'conn_type', ['dense', 'sparse'])
        self.conn_type = conn_type
        for name, value in (('noise_ff', noise_ff), ('noise_fb', noise_fb),
                            ('noise_rec', noise_rec)):
            check_float(value, name)
        self.noise_ff = noise_ff
        self.noise_fb = noise_fb
        self.noise_rec = noise_rec
        check_string(noise_type, 'noise_type', ['normal', 'uniform'])
        self.noise_type = noise_type
        self.Wfb = None

    # -- weights -------------------------------------------------------------
    def _weights(self, initializer, shape, connectivity, kind: str, radius=None):
        """The weights of one projection: masked to ``connectivity``, optionally rescaled
        to a spectral radius, kept dense or as the non-zero values (``sparse``)."""
        w = as_tensor(init_param(initializer, shape, allow_none=False))
        w = w.expand(shape).clone() if tuple(w.shape) != tuple(shape) else w.clone()
        if not w.is_floating_point():
            w = w.to(settings.float_())
        keep = None
        if connectivity < 1.:
            keep = self.rng.random(shape).to(w.device) <= connectivity
            w = torch.where(keep, w, torch.zeros((), dtype=w.dtype, device=w.device))
        if radius is not None:
            current = torch.linalg.eigvals(w).abs().max()
            w = w * (radius / current).to(w.dtype)
        if self.conn_type == 'sparse' and keep is not None:
            pres, posts = torch.nonzero(keep, as_tuple=True)
            setattr(self, f'{kind}_pres', pres)
            setattr(self, f'{kind}_posts', posts)
            w = w[pres, posts]
        return TrainVar(w) if self.trainable else w

    def _is_sparse(self, kind: str) -> bool:
        return hasattr(self, f'{kind}_pres') and self.conn_type == 'sparse'

    def _project(self, x: torch.Tensor, w, kind: str, num_post: int) -> torch.Tensor:
        w = value_of(w)
        if self._is_sparse(kind):
            pres, posts = getattr(self, f'{kind}_pres'), getattr(self, f'{kind}_posts')
            out = x.new_zeros(x.shape[:-1] + (num_post,))
            return out.index_add(-1, posts, x[..., pres] * w)
        return x @ w

    def init_ff_conn(self) -> None:
        unique_shape, free_shapes = check_shape_consistency(self.feedforward_shapes, -1, True)
        self.set_output_shape(unique_shape + (self.num_unit,))
        self.Wff_shape = (sum(free_shapes), self.num_unit)
        self.Wff = self._weights(self.ff_initializer, self.Wff_shape, self.ff_connectivity, 'ff')
        self.Wrec = self._weights(self.rec_initializer, (self.num_unit, self.num_unit),
                                  self.rec_connectivity, 'rec', self.spectral_radius)
        bias = init_param(self.bias_initializer, (self.num_unit,))
        if bias is not None:
            bias = as_tensor(bias).expand(self.num_unit).clone()
            bias = TrainVar(bias) if self.trainable else bias
        self.bias = bias
        self.Wfb = None

    def init_fb_conn(self) -> None:
        unique_shape, free_shapes = check_shape_consistency(self.feedback_shapes, -1, True)
        if self.fb_initializer is None:
            raise ValueError(f'{self.name} receives feedback, but fb_initializer is None')
        self.Wfb_shape = (sum(free_shapes), self.num_unit)
        self.Wfb = self._weights(self.fb_initializer, self.Wfb_shape, self.fb_connectivity, 'fb')

    def init_state(self, num_batch: int = 1):
        return torch.zeros((num_batch, self.num_unit), dtype=settings.float_(),
                           device=settings.default_device())

    # -- computation -----------------------------------------------------------
    def _noise(self, like: torch.Tensor) -> torch.Tensor:
        zero = torch.zeros((), dtype=like.dtype, device=like.device)
        if self.noise_type == 'uniform':
            return self.rng.uniform(zero - 1., zero + 1., size=like.shape)
        return self.rng.normal(zero, 1., size=like.shape)

    def forward(self, ff, fb=None, **shared_kwargs):
        x = cat_last(ff)
        if self.noise_ff > 0:
            x = x + self.noise_ff * self._noise(x)
        hidden = self._project(x, self.Wff, 'ff', self.num_unit)
        if self.Wfb is not None:
            if fb is None:
                raise ValueError(f'{self.name} should be given feedback signals, but we got None.')
            fb = cat_last(fb)
            if self.noise_fb > 0:
                fb = fb + self.noise_fb * self._noise(fb)
            hidden = hidden + self._project(fb, self.Wfb, 'fb', self.num_unit)
        state = self.state.value
        hidden = hidden + self._project(state, self.Wrec, 'rec', self.num_unit)
        if self.bias is not None:
            hidden = hidden + value_of(self.bias)
        if self.activation_type == 'internal':
            hidden = self.activation(hidden)
        if self.noise_rec > 0.:
            hidden = hidden + self.noise_rec * self._noise(state)
        state = (1 - self.leaky_rate) * state + self.leaky_rate * hidden
        if self.activation_type == 'external':
            state = self.activation(state)
        self.state.value = state
        return state
