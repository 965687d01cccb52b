r"""Distance-dependent weights within a layer (BrainPy 2.1.12's ``decay_inits``).

Called with the *network* shape (an int, or a tuple for a 2-D, 3-D... grid of
neurons), they return the ``(N, N)`` weight matrix of its ``N`` neurons. Neuron ``i``
sits at the grid position of index ``i`` in C order (``numpy.unravel_index(i, shape)``:
the last axis varies fastest, as in ``bm.reshape`` and ``bp.connect``'s grids) and
encodes, along axis ``k`` of size :math:`n_k` with value range :math:`[a_k, b_k)`,
the value :math:`v_k = a_k + (b_k - a_k)\,p_k / n_k` of its position :math:`p_k`. The
distance of two neurons is the Euclidean distance of their values, where with
``periodic_boundary`` each axis wraps around (a difference :math:`d > (b_k - a_k)/2`
counts as :math:`(b_k - a_k) - d`).

``encoding_values`` is None (position :math:`p_k` itself, i.e. the range
:math:`[0, n_k)`), one ``(a, b)`` pair for every axis, or one pair per axis.

Differences from BrainPy 2.1.12
-------------------------------
For a 1-D network the weights are BrainPy's. For grids, BrainPy orders the
post-synaptic neurons with ``numpy.meshgrid``'s ``'xy'`` indexing (first axis
fastest in 2-D) and, in ``DOGDecay`` for any grid and in ``GaussianDecay`` for 3-D
ones, orders pre- and post-synaptic neurons differently, so that its diagonal is
not each neuron's self-connection. bptorch uses C order on both sides, which is
the order its own test (``weights[:, 3 * 12 + 4].reshape((10, 12))`` for the neuron
at ``(3, 4)``) assumes; for square 2-D ``GaussianDecay`` grids with the same range on
both axes the two orders give the same matrix.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
import torch

from bptorch.initialize.base import IntraLayerInitializer, Shape, float_dtype, weight_shape
from bptorch.math import settings

__all__ = ['GaussianDecay', 'DOGDecay']


def _value_ranges(encoding_values: Any, shape: tuple, who: Any) -> list[tuple[float, float]]:
    if encoding_values is None:
        return [(0., float(s)) for s in shape]
    if not isinstance(encoding_values, (tuple, list)) or len(encoding_values) == 0:
        raise ValueError(f'Unsupported encoding values: {encoding_values!r} (expected None, a '
                         f'(low, high) pair, or one pair per axis). Error in {who}.')
    first = encoding_values[0]
    if isinstance(first, (int, float, np.number)):
        pairs = [tuple(encoding_values)] * len(shape)
    elif isinstance(first, (tuple, list)):
        if len(encoding_values) != len(shape):
            raise ValueError(f'The network size has {len(shape)} dimensions, while the encoded '
                             f'values provided only has {len(encoding_values)}-D. Error in {who}.')
        pairs = [tuple(v) for v in encoding_values]
    else:
        raise ValueError(f'Unsupported encoding values: {encoding_values!r}. Error in {who}.')
    for p in pairs:
        if len(p) != 2 or not all(isinstance(e, (int, float, np.number)) for e in p):
            raise ValueError(f'encoding_values: each range must be a (low, high) pair of numbers, '
                             f'got {p!r}. Error in {who}.')
        if not p[0] < p[1]:
            raise ValueError(f'encoding_values: each range must have low < high, got {p!r}. '
                             f'Error in {who}.')
    return [(float(a), float(b)) for a, b in pairs]


def _squared_distances(shape: tuple, ranges: Sequence[tuple[float, float]],
                       periodic: bool) -> torch.Tensor:
    """The ``(N, N)`` squared distances between the encoded values of the neurons (float64)."""
    device = settings.default_device()
    values = [torch.linspace(a, b, n + 1, dtype=torch.float64, device=device)[:n]
              for (a, b), n in zip(ranges, shape)]
    grids = torch.meshgrid(*values, indexing='ij') if len(values) > 1 else values
    n = math.prod(shape)
    dist2 = torch.zeros((n, n), dtype=torch.float64, device=device)
    for g, (a, b) in zip(grids, ranges):
        v = g.reshape(-1)
        d = torch.abs(v[:, None] - v[None, :])
        if periodic:
            size = b - a
            d = torch.where(d > size / 2, size - d, d)
        dist2 += d * d
    return dist2


def _network_shape(shape: Shape, api: str) -> tuple:
    if isinstance(shape, (tuple, list, torch.Size)) and any(isinstance(s, (tuple, list)) for s in shape):
        raise ValueError(f'{api}: shape is the network shape, a tuple of ints, got {shape!r}')
    return weight_shape(shape, api)


class GaussianDecay(IntraLayerInitializer):
    r"""Weights decaying with distance as a Gaussian:
    :math:`w(i, j) = w_{max} \exp(-\frac{\|v^i - v^j\|^2}{2\sigma^2})`, set to 0 where
    below ``min_w`` (see the module docstring for the positions and distances).

    Parameters
    ----------
    sigma : float
        Width of the Gaussian.
    max_w : float
        Its amplitude.
    min_w : float, optional
        Weights below it are 0 (default ``0.005 * max_w``).
    encoding_values : optional
        The value range of each axis (see the module docstring).
    periodic_boundary : bool
        Whether the value space wraps around.
    include_self : bool
        Whether a neuron connects to itself (if False the diagonal is 0).
    normalize : bool
        Divide the Gaussian by its maximum before scaling by ``max_w``.

    Examples
    --------
    >>> import bptorch as bp
    >>> w = bp.init.GaussianDecay(sigma=1., max_w=1.)(3)
    >>> w
    tensor([[1.0000, 0.6065, 0.1353],
            [0.6065, 1.0000, 0.6065],
            [0.1353, 0.6065, 1.0000]])
    >>> bp.init.GaussianDecay(sigma=1., max_w=1.)((2, 3)).shape
    torch.Size([6, 6])
    """

    def __init__(self, sigma: float, max_w: float, min_w: float | None = None,
                 encoding_values: Any = None, periodic_boundary: bool = False,
                 include_self: bool = True, normalize: bool = False):
        super().__init__()
        self.sigma = sigma
        self.max_w = max_w
        self.min_w = max_w * 0.005 if min_w is None else min_w
        self.encoding_values = encoding_values
        self.periodic_boundary = periodic_boundary
        self.include_self = include_self
        self.normalize = normalize

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        shape = _network_shape(shape, 'GaussianDecay')
        ranges = _value_ranges(self.encoding_values, shape, self)
        conn = torch.exp(-_squared_distances(shape, ranges, self.periodic_boundary)
                         / (2 * self.sigma ** 2))
        if self.normalize:
            conn = conn / conn.max()
        if not self.include_self:
            conn.fill_diagonal_(0.)
        w = conn * self.max_w
        w = torch.where(w < self.min_w, torch.zeros_like(w), w)
        return w.to(float_dtype(dtype))

    def __repr__(self) -> str:
        name = self.__class__.__name__
        bank = ' ' * len(name)
        return (f'{name}(sigma={self.sigma}, max_w={self.max_w}, min_w={self.min_w}, \n'
                f'{bank}periodic_boundary={self.periodic_boundary}, '
                f'include_self={self.include_self}, '
                f'normalize={self.normalize})')


class DOGDecay(IntraLayerInitializer):
    r"""Difference-of-Gaussians weights:
    :math:`w(i, j) = w_{max}^+ e^{-\|v^i - v^j\|^2 / (2\sigma_+^2)}
    - w_{max}^- e^{-\|v^i - v^j\|^2 / (2\sigma_-^2)}`, set to 0 where :math:`|w| <` ``min_w``.

    Parameters
    ----------
    sigmas : (float, float)
        Widths :math:`(\sigma_+, \sigma_-)` of the positive and negative Gaussians.
    max_ws : (float, float)
        Their amplitudes :math:`(w_{max}^+, w_{max}^-)`.
    min_w : float, optional
        Weights smaller in magnitude are 0 (default ``0.005 * min(max_ws)``).
    encoding_values, periodic_boundary, include_self
        As in :class:`GaussianDecay`.
    normalize : bool
        Accepted and stored; as in BrainPy 2.1.12 it does not change the weights.

    Examples
    --------
    >>> import bptorch as bp
    >>> w = bp.init.DOGDecay(sigmas=(1., 2.), max_ws=(1., 0.5))(4)
    >>> w[0]
    tensor([ 0.5000,  0.1653, -0.1679, -0.1512])
    """

    def __init__(self, sigmas: Sequence[float], max_ws: Sequence[float], min_w: float | None = None,
                 encoding_values: Any = None, periodic_boundary: bool = False,
                 normalize: bool = True, include_self: bool = True):
        super().__init__()
        self.sigma_p, self.sigma_n = sigmas
        self.max_w_p, self.max_w_n = max_ws
        self.min_w = 0.005 * min(self.max_w_p, self.max_w_n) if min_w is None else min_w
        self.normalize = normalize
        self.include_self = include_self
        self.encoding_values = encoding_values
        self.periodic_boundary = periodic_boundary

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        shape = _network_shape(shape, 'DOGDecay')
        ranges = _value_ranges(self.encoding_values, shape, self)
        d2 = _squared_distances(shape, ranges, self.periodic_boundary)
        w = (self.max_w_p * torch.exp(-d2 / (2 * self.sigma_p ** 2))
             - self.max_w_n * torch.exp(-d2 / (2 * self.sigma_n ** 2)))
        if not self.include_self:
            w.fill_diagonal_(0.)
        w = torch.where(torch.abs(w) < self.min_w, torch.zeros_like(w), w)
        return w.to(float_dtype(dtype))

    def __repr__(self) -> str:
        name = self.__class__.__name__
        bank = ' ' * len(name)
        return (f'{name}(sigmas={(self.sigma_p, self.sigma_n)}, '
                f'max_ws={(self.max_w_p, self.max_w_n)}, min_w={self.min_w}, \n'
                f'{bank}periodic_boundary={self.periodic_boundary}, '
                f'include_self={self.include_self}, '
                f'normalize={self.normalize})')
