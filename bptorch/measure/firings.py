"""Spike-train measures: raster coordinates and the population firing rate.

Examples
--------
>>> import torch, bptorch as bp
>>> spikes = torch.zeros(10, 2); spikes[3, 1] = 1.; spikes[7, 0] = 1.
>>> index, time = bp.measure.raster_plot(spikes, torch.arange(10.))
>>> index, time
(array([1, 0]), array([3., 7.], dtype=float32))
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from bptorch.math import settings
from bptorch.math.variables import Variable, as_tensor

__all__ = ['raster_plot', 'firing_rate']


def _numpy(x: Any) -> np.ndarray:
    if isinstance(x, Variable):
        x = x.value
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def raster_plot(sp_matrix: Any, times: Any):
    """The coordinates of a spike raster: which neuron spiked, and when.

    Parameters
    ----------
    sp_matrix : array-like
        Spikes, shape ``(num_time, num_neuron)`` (nonzero = a spike).
    times : array-like
        The time of each step, shape ``(num_time,)``.

    Returns
    -------
    raster_plot : tuple of numpy.ndarray
        ``(neuron_index, spike_time)``, step by step (as BrainPy, NumPy arrays for
        plotting).

    Examples
    --------
    >>> import numpy as np, bptorch as bp
    >>> index, time = bp.measure.raster_plot(np.eye(3), times=[0., 1., 2.])
    >>> index.tolist(), time.tolist()
    ([0, 1, 2], [0.0, 1.0, 2.0])
    """
    sp = _numpy(sp_matrix)
    times = _numpy(times)
    if sp.ndim != 2:
        raise ValueError(f'raster_plot(sp_matrix): expected a 2-D (num_time, num_neuron) '
                         f'array, got shape {sp.shape}')
    steps, neurons = np.nonzero(sp > 0)
    return neurons, times[steps]


def _convolve_same(x: torch.Tensor, window: torch.Tensor) -> torch.Tensor:
    """``numpy.convolve(x, window, mode='same')`` for 1-D tensors (length max(N, M))."""
    n, m = x.numel(), window.numel()
    full = F.conv1d(x.reshape(1, 1, n), window.flip(0).reshape(1, 1, m), padding=m - 1)
    start = (min(n, m) - 1) // 2
    return full.reshape(-1)[start:start + max(n, m)]


def firing_rate(sp_matrix: Any, width: float, dt: float | None = None, numpy: bool = True):
    r"""The population firing rate (Hz), smoothed with a rectangular window.

    The spikes are averaged over neurons at each step and convolved
    (``mode='same'``) with a window of ``int(width / 2 / dt) * 2 + 1`` steps,
    each of height ``1000 / width``: the mean number of spikes per neuron within
    ``width`` ms, per second. As Brian2's ``PopulationRateMonitor.smooth_rate``.

    Parameters
    ----------
    sp_matrix : array-like
        Spikes, shape ``(num_time, num_neuron)``.
    width : float
        The width of the window (ms).
    dt : float, optional
        The time step; :func:`bptorch.math.get_dt` if None.
    numpy : bool
        Whether to return a NumPy array (BrainPy's default) rather than a tensor
        (differentiable, on the input's device).

    Returns
    -------
    rate : numpy.ndarray or Tensor
        Shape ``(num_time,)``.

    Examples
    --------
    >>> import torch, bptorch as bp
    >>> spikes = torch.zeros(3000, 4); spikes[::100] = 1.    # every 10 ms: 100 Hz
    >>> rate = bp.measure.firing_rate(spikes, width=50., dt=0.1)
    >>> rate.shape, round(float(rate[1000:2000].mean()), 1)  # 501 steps hold 5.01 spikes
    ((3000,), 100.2)
    """
    dt = settings.get_dt() if dt is None else dt
    sp = as_tensor(sp_matrix)
    if sp.ndim != 2:
        raise ValueError(f'firing_rate(sp_matrix): expected a 2-D (num_time, num_neuron) array, '
                         f'got shape {tuple(sp.shape)}')
    if not sp.is_floating_point():
        sp = sp.to(settings.float_())
    width1 = int(width / 2 / dt) * 2 + 1
    window = torch.full((width1,), 1000 / width, dtype=sp.dtype, device=sp.device)
    rate = _convolve_same(sp.mean(dim=1), window)
    return rate.detach().cpu().numpy() if numpy else rate
