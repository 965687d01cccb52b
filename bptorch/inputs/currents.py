"""Input currents as tensors: sections, spikes, ramps, noise and oscillations.

Every function takes ``dt`` (default :func:`bptorch.math.get_dt`, 0.1 ms) and
returns a tensor of the default float dtype on the default device (on the device
of tensor values where values are tensors), with BrainPy 2.1.12's lengths:
``int(np.ceil(duration / dt))`` steps for ``section_input``, ``constant_input``,
``spike_input`` and ``ramp_input``, ``int(duration / dt)`` for the others, and a
section of ``d`` ms lasting ``int(d / dt)`` steps. Values given as tensors stay
differentiable.

Randomness (``wiener_process``, ``ou_process``): with ``seed``, draws come from
``bm.random.RandomState(seed)``; without, from ``bm.random``'s default generator,
so ``bm.random.seed(k)`` reproduces them. (BrainPy used JAX's generator: the
numbers differ, the distributions are the same.)

Examples
--------
>>> import bptorch as bp
>>> current, duration = bp.inputs.section_input(values=[0, 1., 0.], durations=[100, 300, 100],
...                                             return_length=True, dt=0.1)
>>> current.shape, duration
(torch.Size([5000]), 500)
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Sequence

import numpy as np
import torch

from bptorch.math import random as bm_random
from bptorch.math import settings
from bptorch.math.variables import Variable, as_tensor

__all__ = [
    'section_input',
    'constant_input', 'constant_current',
    'spike_input', 'spike_current',
    'ramp_input', 'ramp_current',
    'wiener_process',
    'ou_process',
    'sinusoidal_input',
    'square_input',
]


# -- checks and helpers ---------------------------------------------------------------

def _number(x: Any, name: str, *, min_bound: float | None = None, allow_none=False):
    if x is None and allow_none:
        return None
    if isinstance(x, (torch.Tensor, np.ndarray, np.generic)) and np.ndim(x) == 0:
        x = x.item()
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise ValueError(f'{name} must be a float, but got {type(x).__name__} {x!r}')
    if min_bound is not None and x < min_bound:
        raise ValueError(f'{name} must be >= {min_bound}, but got {x}')
    return x


def _get_dt(dt) -> float:
    dt = settings.get_dt() if dt is None else dt
    dt = _number(dt, 'dt')
    if not dt > 0:
        raise ValueError(f'dt must be a positive float, but got {dt}')
    return dt


def _count(n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise ValueError(f'n must be an int, but got {type(n).__name__} {n!r}')
    if n < 0:
        raise ValueError(f'n must be >= 0, but got {n}')
    return int(n)


def _device(*values) -> torch.device:
    for v in values:
        if isinstance(v, (torch.Tensor, Variable)):
            return v.device
    return settings.default_device()


def _value(v: Any, device: torch.device) -> torch.Tensor:
    t = as_tensor(v)
    return t.to(device=device, dtype=settings.float_())


def _durations(durations) -> list:
    if isinstance(durations, np.ndarray):
        durations = durations.tolist()
    elif isinstance(durations, (torch.Tensor, Variable)):
        durations = as_tensor(durations).tolist()
    return [_number(d, 'durations[i]', min_bound=0) for d in durations]


def _rng(seed) -> bm_random.RandomState:
    return bm_random.DEFAULT if seed is None else bm_random.RandomState(seed)


def _fill(length: int, start: int, stop: int, values: torch.Tensor, name: str) -> torch.Tensor:
    """A zero current of ``length`` steps (times the trailing shape of ``values``) with
    ``values`` at steps ``[start, stop)``."""
    if stop > length:
        raise ValueError(f'{name}: the input ends at step {stop}, after the duration '
                         f'({length} steps); give t_end <= duration')
    out = torch.zeros((length,) + tuple(values.shape[1:]), dtype=values.dtype,
                      device=values.device)
    if stop > start:
        out[start:stop] = values
    return out


# -- constant sections ------------------------------------------------------------------

def section_input(values: Sequence, durations: Sequence, dt: float | None = None,
                  return_length: bool = False):
    """An input made of sections of constant values.

    Parameters
    ----------
    values : sequence
        The value of each section: numbers, arrays or tensors (broadcast to the
        shape of the value with the most dimensions).
    durations : sequence of float
        The duration of each section (ms).
    dt : float, optional
        The time step; :func:`bptorch.math.get_dt` if None.
    return_length : bool
        Whether to return the total duration as well.

    Returns
    -------
    current : Tensor
        ``int(ceil(sum(durations) / dt))`` steps; or ``(current, sum(durations))``.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> bp.inputs.section_input(values=[0, 1], durations=[20, 30], dt=10.)
    tensor([0., 0., 1., 1., 1.])

    As in BrainPy, each section lasts ``int(duration / dt)`` steps, and
    ``0.3 / 0.1`` is ``2.9999999999999996`` in floating point:

    >>> bp.inputs.section_input(values=[0, 1], durations=[0.2, 0.3], dt=0.1)
    tensor([0., 0., 1., 1., 0.])
    >>> bp.inputs.section_input(values=[0, bm.ones(10), bm.ones((3, 10))],
    ...                         durations=[100, 300, 100]).shape
    torch.Size([5000, 3, 10])
    """
    if len(durations) != len(values):
        raise ValueError(f'"values" and "durations" must be the same length, while '
                         f'we got {len(values)} != {len(durations)}.')
    dt = _get_dt(dt)
    durations = _durations(durations)
    total = sum(durations)
    device = _device(*values)
    values = [_value(v, device) for v in values]
    shape = ()
    for v in values:
        if v.ndim > len(shape):
            shape = tuple(v.shape)
    current = torch.zeros((int(np.ceil(total / dt)),) + shape, dtype=settings.float_(),
                          device=device)
    start = 0
    for v, d in zip(values, durations):
        length = int(d / dt)
        current[start: start + length] = v
        start += length
    return (current, total) if return_length else current


def constant_input(I_and_duration: Sequence, dt: float | None = None):
    """An input made of sections of constant values, given as ``(value, duration)`` pairs.

    Parameters
    ----------
    I_and_duration : sequence of pairs
        ``[(value1, duration1), (value2, duration2), ...]``.
    dt : float, optional
        The time step; :func:`bptorch.math.get_dt` if None.

    Returns
    -------
    current_and_duration : tuple
        ``(current, total_duration)``, the duration a float.

    Examples
    --------
    >>> import bptorch as bp
    >>> current, duration = bp.inputs.constant_input([(0, 100), (1, 300), (0, 100)])
    >>> current.shape, duration, float(current.sum())
    (torch.Size([5000]), 500.0, 3000.0)
    """
    pairs = [tuple(p) for p in I_and_duration]
    for p in pairs:
        if len(p) != 2:
            raise ValueError(f'I_and_duration: expected (value, duration) pairs, got {p!r}')
    current, total = section_input([p[0] for p in pairs], [p[1] for p in pairs], dt=dt,
                                   return_length=True)
    return current, 0. + total


constant_current = constant_input


# -- spikes and ramps -----------------------------------------------------------------

def spike_input(sp_times: Sequence, sp_lens, sp_sizes, duration: float,
                dt: float | None = None):
    """An input of short pulses ("spikes").

    Parameters
    ----------
    sp_times : sequence of float
        The start time of each pulse (ms).
    sp_lens : float or sequence of float
        The duration of the pulses (one for all, or one each).
    sp_sizes : float or sequence of float
        The amplitude of the pulses (one for all, or one each; tensors stay
        differentiable).
    duration : float
        The total duration.
    dt : float, optional
        The time step; :func:`bptorch.math.get_dt` if None.

    Returns
    -------
    current : Tensor
        ``int(ceil(duration / dt))`` steps; pulse ``k`` covers steps
        ``int(t_k / dt)`` to ``int(t_k / dt) + int(len_k / dt)``, a later pulse
        overwriting an earlier one where they overlap.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.inputs.spike_input(sp_times=[0.1, 0.5], sp_lens=0.2, sp_sizes=[1., 2.],
    ...                       duration=0.8, dt=0.1)
    tensor([0., 1., 1., 0., 0., 2., 2., 0.])
    """
    dt = _get_dt(dt)
    if isinstance(sp_times, (torch.Tensor, Variable, np.ndarray)):
        sp_times = as_tensor(sp_times).reshape(-1).tolist()
    if not isinstance(sp_times, (list, tuple)):
        raise TypeError(f'sp_times must be a list or tuple of times, got {type(sp_times).__name__}')
    num = len(sp_times)
    if isinstance(sp_lens, numbers.Real):
        sp_lens = [sp_lens] * num
    sizes_device = _device(sp_sizes)
    if isinstance(sp_sizes, numbers.Real):
        sizes = torch.full((num,), float(sp_sizes), dtype=settings.float_(), device=sizes_device)
    else:
        sizes = _value(sp_sizes, sizes_device).reshape(-1)
    if len(sp_lens) != num or sizes.numel() != num:
        raise ValueError(f'sp_times, sp_lens and sp_sizes must have the same length, got '
                         f'{num}, {len(sp_lens)} and {sizes.numel()}')
    length = int(np.ceil(_number(duration, 'duration') / dt))
    last = np.full(length, -1, dtype=np.int64)      # the last pulse covering each step
    for k, (t, d) in enumerate(zip(sp_times, sp_lens)):
        start = int(_number(t, 'sp_times[i]') / dt)
        stop = min(start + int(_number(d, 'sp_lens[i]') / dt), length)
        last[max(start, 0):stop] = k
    last = torch.as_tensor(last, device=sizes.device)
    covered = last >= 0
    return torch.where(covered, sizes[last.clamp(min=0)], torch.zeros((), dtype=sizes.dtype,
                                                                     device=sizes.device)) \
        if num else torch.zeros(length, dtype=settings.float_(), device=sizes.device)


spike_current = spike_input


def ramp_input(c_start, c_end, duration: float, t_start: float = 0, t_end: float | None = None,
               dt: float | None = None):
    """A current changing linearly from ``c_start`` to ``c_end`` between ``t_start`` and
    ``t_end`` (zero elsewhere).

    Parameters
    ----------
    c_start, c_end : float
        The first and the last value of the ramp.
    duration : float
        The total duration.
    t_start : float
        The start of the ramp.
    t_end : float, optional
        The end of the ramp; ``duration`` if None.
    dt : float, optional
        The time step; :func:`bptorch.math.get_dt` if None.

    Returns
    -------
    current : Tensor
        ``int(ceil(duration / dt))`` steps, ``linspace(c_start, c_end, p2 - p1)``
        at steps ``[p1, p2)`` with ``p1 = ceil(t_start / dt)``, ``p2 = ceil(t_end / dt)``.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.inputs.ramp_input(0, 1, duration=0.7, t_start=0.1, t_end=0.6, dt=0.1)
    tensor([0.0000, 0.0000, 0.2500, 0.5000, 0.7500, 1.0000, 0.0000])
    """
    dt = _get_dt(dt)
    duration = _number(duration, 'duration', min_bound=0)
    t_end = duration if t_end is None else _number(t_end, 't_end')
    t_start = _number(t_start, 't_start', min_bound=0)
    length = int(np.ceil(duration / dt))
    p1, p2 = int(np.ceil(t_start / dt)), int(np.ceil(t_end / dt))
    n = max(p2 - p1, 0)
    device = _device(c_start, c_end)
    if isinstance(c_start, numbers.Real) and isinstance(c_end, numbers.Real):
        ramp = torch.linspace(float(c_start), float(c_end), n, dtype=settings.float_(),
                              device=device)
    else:
        a, b = _value(c_start, device), _value(c_end, device)
        frac = torch.linspace(0., 1., n, dtype=a.dtype, device=device)
        ramp = a + (b - a) * frac
    return _fill(length, p1, p1 + n, ramp, 'ramp_input')


ramp_current = ramp_input


# -- noise ----------------------------------------------------------------------------

def _window(duration, dt, t_start, t_end):
    duration = _number(duration, 'duration', min_bound=0)
    t_start = _number(t_start, 't_start', min_bound=0)
    t_end = duration if t_end is None else _number(t_end, 't_end')
    return int(duration / dt), int(t_start / dt), int(t_end / dt)


def wiener_process(duration: float, dt: float | None = None, n: int = 1, t_start: float = 0.,
                   t_end: float | None = None, seed: int | None = None):
    """Increments of a Wiener process, ``dW ~ N(0, dt)``, between ``t_start`` and ``t_end``.

    Parameters
    ----------
    duration : float
        The total duration.
    dt : float, optional
        The time step; :func:`bptorch.math.get_dt` if None.
    n : int
        The number of independent processes.
    t_start, t_end : float
        The noise is zero before ``t_start`` and from ``t_end`` (default ``duration``).
    seed : int, optional
        The seed (see the module docstring).

    Returns
    -------
    current : Tensor
        Shape ``(int(duration / dt), n)``; steps ``int(t_start / dt)`` to
        ``int(t_end / dt)`` hold ``sqrt(dt)`` times standard normal draws.

    Examples
    --------
    >>> import bptorch as bp
    >>> current = bp.inputs.wiener_process(200, n=2, t_start=10., t_end=180., seed=0)
    >>> current.shape, bool((current[:100] == 0).all()), bool((current[100:1800] != 0).all())
    (torch.Size([2000, 2]), True, True)
    """
    dt = _get_dt(dt)
    n = _count(n)
    length, i_start, i_end = _window(duration, dt, t_start, t_end)
    steps = max(i_end - i_start, 0)
    noise = _rng(seed).normal(0., 1., size=(steps, n)) * math.sqrt(dt)
    return _fill(length, i_start, i_start + steps, noise, 'wiener_process')


def _linear_scan(u: torch.Tensor, a: float, x0: torch.Tensor, block: int = 64) -> torch.Tensor:
    """``x[k] = a * x[k-1] + u[k]`` with ``x[-1] = x0``, for every row of ``u`` (T, n).

    Blocks of ``block`` steps are solved with one lower-triangular matmul each (all
    blocks at once); the states carried between blocks follow the same recurrence
    with ``a ** block``, solved recursively: log-depth, no per-step Python loop."""
    steps = u.shape[0]
    if steps == 0:
        return u
    b = min(block, steps)
    j = torch.arange(b, device=u.device)
    expo = (j[:, None] - j[None, :]).to(u.dtype)
    lower = torch.tril(torch.full((b, b), float(a), dtype=u.dtype, device=u.device) ** expo)
    powers = torch.full((b,), float(a), dtype=u.dtype, device=u.device) ** (j + 1).to(u.dtype)
    if steps <= b:
        return lower @ u + powers[:, None] * x0
    nb = -(-steps // b)
    padded = torch.cat([u, u.new_zeros((nb * b - steps,) + tuple(u.shape[1:]))])
    y = torch.matmul(lower, padded.reshape(nb, b, -1))           # each block from zero
    ends = _linear_scan(y[:, -1], float(a) ** b, x0, block)      # state at each block's end
    before = torch.cat([x0[None], ends[:-1]])                    # state before each block
    x = y + powers[None, :, None] * before[:, None, :]
    return x.reshape(nb * b, -1)[:steps]


def ou_process(mean: float, sigma: float, tau: float, duration: float, dt: float | None = None,
               n: int = 1, t_start: float = 0., t_end: float | None = None,
               seed: int | None = None):
    r"""An Ornstein-Uhlenbeck process between ``t_start`` and ``t_end`` (Euler-Maruyama):

    .. math::

        x_{k} = x_{k-1} + \frac{\mu - x_{k-1}}{\tau} dt + \sigma \sqrt{dt}\, \xi_k,
        \qquad x_{-1} = \mu,\ \xi_k \sim N(0, 1)

    Parameters
    ----------
    mean : float
        The drift target :math:`\mu`.
    sigma : float
        The noise strength.
    tau : float
        The time constant (ms).
    duration : float
        The total duration.
    dt : float, optional
        The time step; :func:`bptorch.math.get_dt` if None.
    n : int
        The number of independent processes.
    t_start, t_end : float
        The process runs from ``t_start`` to ``t_end`` (default ``duration``);
        zero outside.
    seed : int, optional
        The seed (see the module docstring).

    Returns
    -------
    current : Tensor
        Shape ``(int(duration / dt), n)``; ``x_0, x_1, ...`` from step
        ``int(t_start / dt)`` to ``int(t_end / dt)``.

    Notes
    -----
    The recursion is evaluated blockwise (a scan of lower-triangular matmuls),
    not step by step; it equals the step-by-step loop up to float rounding.
    BrainPy 2.1.12 failed with ``t_end=None``; here it means ``duration``.

    Examples
    --------
    >>> import bptorch as bp
    >>> x = bp.inputs.ou_process(mean=1., sigma=0.1, tau=10., duration=200, n=2,
    ...                          t_start=10., t_end=180., seed=0)
    >>> x.shape, bool((x[:100] == 0).all()), abs(float(x[100:1800].mean()) - 1.) < 0.1
    (torch.Size([2000, 2]), True, True)
    """
    dt = _get_dt(dt)
    n = _count(n)
    mean, sigma = _number(mean, 'mean'), _number(sigma, 'sigma')
    tau = _number(tau, 'tau')
    if tau == 0:
        raise ValueError('tau must be non-zero')
    length, i_start, i_end = _window(duration, dt, t_start, t_end)
    steps = max(i_end - i_start, 0)
    xi = _rng(seed).normal(0., 1., size=(steps, n))
    a = 1. - dt / tau
    u = (dt * mean / tau) + (sigma * math.sqrt(dt)) * xi.double()
    x0 = torch.full((n,), float(mean), dtype=torch.float64, device=xi.device)
    x = _linear_scan(u, a, x0).to(settings.float_())
    return _fill(length, i_start, i_start + steps, x, 'ou_process')


# -- oscillations ----------------------------------------------------------------------

def _phases(frequency, dt, start_i, end_i, device):
    times = torch.arange(max(end_i - start_i, 0), dtype=torch.float64, device=device) * dt
    return 2 * math.pi * times * (_number(frequency, 'frequency') / 1000.0)


def sinusoidal_input(amplitude: float, frequency: float, duration: float, dt: float | None = None,
                     t_start: float = 0., t_end: float | None = None, dc_bias: bool = False):
    """A sinusoid ``amplitude * sin(2 pi f t)`` (``f`` in Hz, ``t`` in ms from ``t_start``).

    Parameters
    ----------
    amplitude : float
        The amplitude.
    frequency : float
        The frequency (Hz).
    duration : float
        The total duration.
    dt : float, optional
        The time step; :func:`bptorch.math.get_dt` if None.
    t_start, t_end : float
        The sinusoid runs from ``t_start`` to ``t_end`` (default ``duration``).
    dc_bias : bool
        Whether ``amplitude`` is added (a non-negative oscillation).

    Returns
    -------
    current : Tensor
        ``int(duration / dt)`` steps.

    Examples
    --------
    >>> import bptorch as bp
    >>> x = bp.inputs.sinusoidal_input(amplitude=1., frequency=2.0, duration=2000, t_start=100.)
    >>> x.shape, float(x[:1000].abs().max()), round(float(x[1000 + 1250]), 4)
    (torch.Size([20000]), 0.0, 1.0)
    """
    dt = _get_dt(dt)
    length, start_i, end_i = _window(duration, dt, t_start, t_end)
    device = _device(amplitude)
    amp = amplitude if isinstance(amplitude, numbers.Real) else _value(amplitude, device)
    wave = amp * torch.sin(_phases(frequency, dt, start_i, end_i, device)).to(settings.float_())
    if dc_bias:
        wave = wave + amp
    return _fill(length, start_i, max(end_i, start_i), wave, 'sinusoidal_input')


def square_input(amplitude: float, frequency: float, duration: float, dt: float | None = None,
                 dc_bias: bool = False, t_start: float | None = None, t_end: float | None = None):
    """An oscillating square wave: ``+amplitude`` for the first half of each period,
    ``-amplitude`` for the second (``scipy.signal.square`` with duty 0.5).

    Parameters
    ----------
    amplitude : float
        The amplitude.
    frequency : float
        The frequency (Hz).
    duration : float
        The total duration.
    dt : float, optional
        The time step; :func:`bptorch.math.get_dt` if None.
    dc_bias : bool
        Whether ``amplitude`` is added (values 0 and ``2 * amplitude``).
    t_start, t_end : float, optional
        The wave runs from ``t_start`` (default 0; BrainPy 2.1.12 failed with None)
        to ``t_end`` (default ``duration``).

    Returns
    -------
    current : Tensor
        ``int(duration / dt)`` steps.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.inputs.square_input(amplitude=1., frequency=250., duration=5., dt=0.5)
    tensor([ 1.,  1.,  1.,  1., -1., -1., -1., -1.,  1.,  1.])
    """
    dt = _get_dt(dt)
    t_start = 0. if t_start is None else t_start
    length, start_i, end_i = _window(duration, dt, t_start, t_end)
    device = _device(amplitude)
    amp = amplitude if isinstance(amplitude, numbers.Real) else _value(amplitude, device)
    phase = torch.remainder(_phases(frequency, dt, start_i, end_i, device), 2 * math.pi)
    sign = torch.where(phase < math.pi, 1., -1.).to(settings.float_())
    wave = amp * sign
    if dc_bias:
        wave = wave + amp
    return _fill(length, start_i, max(end_i, start_i), wave, 'square_input')
