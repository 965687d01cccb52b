"""Synchrony and correlation measures.

Each function takes arrays, tensors or Variables. Those that return a device array
in BrainPy 2.1.12 (``cross_correlation``, ``voltage_fluctuation``,
``weighted_correlation``) return a tensor (differentiable where the measure is)
by default; those that return NumPy there (``matrix_correlation``,
``functional_connectivity``) return NumPy by default. The ``numpy`` argument
(BrainPy 2.3's) chooses: NumPy results are computed in float64, as
``np.corrcoef`` does; tensor results in the input's float dtype, on its device.

Examples
--------
>>> import torch, bptorch as bp
>>> v = torch.sin(torch.linspace(0, 20, 500))[:, None].repeat(1, 5)   # identical neurons
>>> round(float(bp.measure.voltage_fluctuation(v)), 4)
1.0
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from bptorch.math import settings
from bptorch.math.variables import Variable, as_tensor

__all__ = [
    'cross_correlation',
    'voltage_fluctuation',
    'matrix_correlation',
    'weighted_correlation',
    'functional_connectivity',
]


def _float(x: Any, numpy: bool) -> torch.Tensor:
    if numpy:   # float64 from the data itself (as_tensor would first make NumPy data float32)
        if isinstance(x, (torch.Tensor, Variable)):
            return as_tensor(x).detach().to(torch.float64)
        return torch.as_tensor(np.asarray(x, dtype=np.float64))
    t = as_tensor(x)
    return t if t.is_floating_point() else t.to(settings.float_())


def _out(t: torch.Tensor, numpy: bool):
    if not numpy:
        return t
    arr = t.detach().cpu().numpy()
    return arr[()] if arr.ndim == 0 else arr


def _check_method(method: str, name: str):
    if method not in ('loop', 'vmap'):
        raise ValueError(f"{name}(method): expected 'loop' or 'vmap', got {method!r}")


def _check_ndim(t: torch.Tensor, ndim: int, name: str, arg: str):
    if t.ndim != ndim:
        raise ValueError(f'{name}({arg}): only support {ndim}d tensor, but we got a tensor '
                         f'with the shape of {tuple(t.shape)}')


def cross_correlation(spikes: Any, bin: float, dt: float | None = None, numpy: bool = False,
                      method: str = 'loop'):
    r"""The mean pairwise coherence of spike trains at zero lag, in bins of ``bin`` ms.

    The trains are cut into bins of ``int(bin / dt)`` steps (the last bin padded
    with zeros); :math:`X_i(l) = 1` if neuron :math:`i` fired in bin :math:`l`.
    For each pair

    .. math::

        \kappa_{ij} = \frac{\sum_l X_i(l) X_j(l)}{\sqrt{\sum_l X_i(l) \sum_l X_j(l)}}

    (0 when a neuron never fires), and the result is the mean over pairs
    :math:`i > j` [1]_.

    Parameters
    ----------
    spikes : array-like
        Spikes, shape ``(num_time, num_neuron)``.
    bin : float
        The bin width (ms).
    dt : float, optional
        The time step; :func:`bptorch.math.get_dt` if None.
    numpy : bool
        Whether to return a NumPy scalar instead of a 0-d tensor.
    method : {'loop', 'vmap'}
        Accepted for BrainPy 2.3 code; both compute the same.

    Returns
    -------
    cc_index : Tensor or numpy scalar
        The synchronization index.

    References
    ----------
    .. [1] Wang, Xiao-Jing, and György Buzsáki. "Gamma oscillation by synaptic
           inhibition in a hippocampal interneuronal network model." Journal of
           neuroscience 16.20 (1996): 6402-6413.

    Examples
    --------
    >>> import torch, bptorch as bp
    >>> spikes = torch.zeros(100, 3); spikes[::20] = 1.      # all neurons together
    >>> bp.measure.cross_correlation(spikes, bin=1., dt=0.1)
    tensor(1.)
    """
    _check_method(method, 'cross_correlation')
    dt = settings.get_dt() if dt is None else dt
    sp = _float(spikes, numpy)
    _check_ndim(sp, 2, 'cross_correlation', 'spikes')
    bin_size = int(bin / dt)
    if bin_size < 1:
        raise ValueError(f'cross_correlation(bin): the bin ({bin}) must hold at least one step '
                         f'of dt = {dt}')
    num_hist, num_neu = sp.shape
    num_bin = math.ceil(num_hist / bin_size)
    pad = num_bin * bin_size - num_hist
    if pad:
        sp = torch.cat([sp, sp.new_zeros(pad, num_neu)])
    states = (sp.T.reshape(num_neu, num_bin, bin_size).sum(dim=2) > 0).to(sp.dtype)
    counts = states.sum(dim=1)
    joint = states @ states.T
    denom = torch.sqrt(counts[:, None] * counts[None, :])
    cc = torch.where(denom == 0, torch.zeros((), dtype=sp.dtype, device=sp.device),
                     joint / torch.where(denom == 0, torch.ones_like(denom), denom))
    i, j = torch.tril_indices(num_neu, num_neu, offset=-1, device=sp.device)
    return _out(cc[i, j].mean(), numpy)


def voltage_fluctuation(potentials: Any, numpy: bool = False, method: str = 'loop'):
    r"""Synchrony as the variance of the population mean over the mean single-cell variance.

    With :math:`V(t) = \frac{1}{N}\sum_i V_i(t)` and time averages
    :math:`\langle\cdot\rangle_t`,

    .. math::

        \chi^2(N) = \frac{\langle V(t)^2\rangle_t - \langle V(t)\rangle_t^2}
        {\frac{1}{N}\sum_i \left(\langle V_i(t)^2\rangle_t - \langle V_i(t)\rangle_t^2\right)}

    (1 when every single-cell variance is zero) [1]_ [2]_ [3]_.

    Parameters
    ----------
    potentials : array-like
        Membrane potentials, shape ``(num_time, num_neuron)``.
    numpy : bool
        Whether to return a NumPy scalar instead of a 0-d tensor.
    method : {'loop', 'vmap'}
        Accepted for BrainPy 2.3 code; both compute the same.

    Returns
    -------
    sync_index : Tensor or numpy scalar

    References
    ----------
    .. [1] Golomb, D. and Rinzel J. (1993) Dynamics of globally coupled inhibitory
           neurons with heterogeneity. Phys. Rev. E 48:4810-4814.
    .. [2] Golomb D. and Rinzel J. (1994) Clustering in globally coupled inhibitory
           neurons. Physica D 72:259-282.
    .. [3] David Golomb (2007) Neuronal synchrony measures. Scholarpedia, 2(1):1347.

    Examples
    --------
    >>> import torch, bptorch as bp
    >>> t = torch.linspace(0, 20, 400)[:, None]
    >>> v = torch.sin(t + torch.tensor([0., 3.14159265]))      # two neurons in anti-phase
    >>> float(bp.measure.voltage_fluctuation(v)) < 1e-3
    True
    """
    _check_method(method, 'voltage_fluctuation')
    v = _float(potentials, numpy)
    _check_ndim(v, 2, 'voltage_fluctuation', 'potentials')
    var_mean = ((v * v).mean(dim=0) - v.mean(dim=0) ** 2).mean()
    avg = v.mean(dim=1)
    avg_var = (avg * avg).mean() - avg.mean() ** 2
    zero = var_mean == 0
    r = torch.where(zero, torch.ones((), dtype=v.dtype, device=v.device),
                    avg_var / torch.where(zero, torch.ones_like(var_mean), var_mean))
    return _out(r, numpy)


def _pearson(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    xm, ym = x - x.mean(), y - y.mean()
    return (xm * ym).sum() / torch.sqrt((xm * xm).sum() * (ym * ym).sum())


def matrix_correlation(x: Any, y: Any, numpy: bool = True):
    """The Pearson correlation of the upper triangles (above the diagonal) of two matrices.

    Parameters
    ----------
    x, y : array-like
        2-D matrices with the same number of entries above their diagonals.
    numpy : bool
        Whether to return a NumPy float64 (BrainPy 2.1's return) rather than a tensor.

    Returns
    -------
    coef : numpy.float64 or Tensor

    Examples
    --------
    >>> import numpy as np, bptorch as bp
    >>> a = np.random.RandomState(0).rand(5, 5)
    >>> round(float(bp.measure.matrix_correlation(a, 2 * a + 1)), 6)
    1.0
    """
    xt, yt = _float(x, numpy), _float(y, numpy)
    _check_ndim(xt, 2, 'matrix_correlation', 'x')
    _check_ndim(yt, 2, 'matrix_correlation', 'y')
    xi = torch.triu_indices(xt.shape[0], xt.shape[1], offset=1, device=xt.device)
    yi = torch.triu_indices(yt.shape[0], yt.shape[1], offset=1, device=yt.device)
    xv, yv = xt[xi[0], xi[1]], yt[yi[0], yi[1]]
    if xv.numel() != yv.numel():
        raise ValueError(f'matrix_correlation: x {tuple(xt.shape)} and y {tuple(yt.shape)} have '
                         f'different numbers of entries above the diagonal')
    return _out(_pearson(xv, yv.to(xv.device)), numpy)


def functional_connectivity(activities: Any, numpy: bool = True):
    """The functional connectivity matrix: Pearson correlations between the columns of a
    ``(num_time, num_sample)`` time series (NaNs, from constant columns, become 0).

    Parameters
    ----------
    activities : array-like
        Shape ``(num_time, num_sample)``.
    numpy : bool
        Whether to return a NumPy float64 array (BrainPy 2.1's return) rather than a tensor.

    Returns
    -------
    connectivity_matrix : numpy.ndarray or Tensor
        Shape ``(num_sample, num_sample)``.

    Examples
    --------
    >>> import numpy as np, bptorch as bp
    >>> t = np.linspace(0, 10, 200)
    >>> fc = bp.measure.functional_connectivity(np.stack([np.sin(t), -np.sin(t), t], axis=1))
    >>> fc.shape, round(float(fc[0, 1]), 6)
    ((3, 3), -1.0)
    """
    a = _float(activities, numpy)
    _check_ndim(a, 2, 'functional_connectivity', 'activities')
    fc = torch.nan_to_num(torch.corrcoef(a.T), nan=0.0)
    return _out(fc, numpy)


def weighted_correlation(x: Any, y: Any, w: Any, numpy: bool = False):
    r"""The weighted Pearson correlation of two series.

    .. math::

        \rho = \frac{\mathrm{cov}_w(x, y)}{\sqrt{\mathrm{cov}_w(x, x)\,\mathrm{cov}_w(y, y)}},
        \qquad \mathrm{cov}_w(x, y) = \frac{\sum_k w_k (x_k - m_w(x))(y_k - m_w(y))}{\sum_k w_k},
        \quad m_w(x) = \frac{\sum_k w_k x_k}{\sum_k w_k}

    Parameters
    ----------
    x, y : array-like
        1-D series.
    w : array-like
        1-D weights, the length of ``x`` and ``y``.
    numpy : bool
        Whether to return a NumPy scalar instead of a 0-d tensor.

    Returns
    -------
    corr : Tensor or numpy scalar

    Examples
    --------
    >>> import torch, bptorch as bp
    >>> x = torch.tensor([1., 2., 3., 4.])
    >>> bp.measure.weighted_correlation(x, 3 * x - 1, torch.tensor([1., 0., 2., 1.]))
    tensor(1.)
    """
    xt, yt, wt = _float(x, numpy), _float(y, numpy), _float(w, numpy)
    for t, arg in ((xt, 'x'), (yt, 'y'), (wt, 'w')):
        _check_ndim(t, 1, 'weighted_correlation', arg)

    def mean(a):
        return (a * wt).sum() / wt.sum()

    def cov(a, b):
        return (wt * (a - mean(a)) * (b - mean(b))).sum() / wt.sum()

    return _out(cov(xt, yt) / torch.sqrt(cov(xt, xt) * cov(yt, yt)), numpy)
