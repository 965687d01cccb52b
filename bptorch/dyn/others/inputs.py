"""Input neuron groups of BrainPy 2.1.12: spikes at given times, Poisson spikes.

Examples
--------
>>> import bptorch as bp
>>> group = bp.dyn.SpikeTimeGroup(2, times=[0.1, 0.2, 0.2], indices=[0, 0, 1])
>>> for i in range(4):
...     group.update(i * 0.1, 0.1); print(group.spike.tolist())
[False, False]
[True, False]
[True, True]
[False, False]
"""

from __future__ import annotations

from typing import Any, Sequence

import torch

from bptorch.dyn._helpers import parameter
from bptorch.dyn.base import NeuGroup, time_args
from bptorch.errors import ModelBuildError
from bptorch.math import random, settings
from bptorch.math.variables import Variable, as_tensor

__all__ = ['SpikeTimeInput', 'SpikeTimeGroup', 'PoissonInput', 'PoissonGroup']


class SpikeTimeGroup(NeuGroup):
    """Neurons that fire at given times: neuron ``indices[k]`` fires at ``times[k]``.

    At ``update(t, dt)`` every event with a time in ``(t_previous, t]`` not yet emitted
    fires (the events are sorted by time when ``need_sort``); each update costs
    ``O(len(times))`` vectorised work and no synchronisation with the device.

    Parameters
    ----------
    size : int or tuple of int
    times : sequence or tensor
        The times of the events.
    indices : sequence or tensor
        The neuron (flat index) of each event.
    need_sort : bool
        Sort the events by time (give False if they already are).
    keep_size : bool
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> g = bp.dyn.SpikeTimeGroup(2, times=[10., 20., 30.], indices=[0, 1, 0])
    >>> fired = []
    >>> for i in range(400):
    ...     g.update(i * 0.1, 0.1)
    ...     fired += [(round(i * 0.1, 1), j) for j in g.spike.nonzero().flatten().tolist()]
    >>> fired
    [(10.0, 0), (20.0, 1), (30.0, 0)]
    """

    def __init__(self, size: Any, times: Any, indices: Any, need_sort: bool = True,
                 keep_size: bool = False, name: str | None = None):
        super().__init__(size=size, name=name, keep_size=keep_size)
        if len(indices) != len(times):
            raise ModelBuildError(f'The length of "indices" and "times" must be the same. '
                                  f'However, we got {len(indices)} != {len(times)}.')
        self.num_times = len(times)
        times = as_tensor(times, dtype=settings.float_())
        indices = as_tensor(indices).to(torch.int64)
        if need_sort:
            order = torch.argsort(times, stable=True)
            times, indices = times[order], indices[order]
        self.times = times
        self.indices = indices
        self.i = Variable(torch.zeros(1, dtype=torch.int64, device=times.device))
        self.spike = Variable(torch.zeros(self.varshape, dtype=torch.bool, device=times.device))

    def reset(self) -> None:
        self.i.value = torch.zeros_like(self.i.value)
        self.spike.value = torch.zeros_like(self.spike.value)

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt, _ = time_args(t, dt, x)
        times = self.times
        now = torch.as_tensor(t, dtype=times.dtype, device=times.device).reshape(1)
        count = torch.searchsorted(times, now, right=True)          # events with time <= t
        start = self.i.value
        k = torch.arange(self.num_times, device=times.device)
        due = (k >= start) & (k < count)
        hits = torch.zeros(self.num, dtype=torch.int32, device=times.device)
        hits = hits.index_add(0, self.indices, due.to(torch.int32))
        self.spike.value = (hits > 0).reshape(self.varshape)
        self.i.value = torch.maximum(start, count)


class SpikeTimeInput(SpikeTimeGroup):
    """Deprecated since BrainPy 2.1.5: use :class:`SpikeTimeGroup`.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.dyn.SpikeTimeInput(1, times=[1.], indices=[0])
    Traceback (most recent call last):
    ...
    ValueError: Please use "brainpy.dyn.SpikeTimeGroup" instead. "brainpy.dyn.SpikeTimeInput" is deprecated since version 2.1.5
    """

    def __init__(self, *args, **kwargs):
        raise ValueError('Please use "brainpy.dyn.SpikeTimeGroup" instead. '
                         '"brainpy.dyn.SpikeTimeInput" is deprecated since version 2.1.5')


class PoissonGroup(NeuGroup):
    """Poisson spike trains: each neuron fires with probability ``freqs * dt / 1000`` per
    step (``freqs`` in Hz, ``dt`` in ms).

    Parameters
    ----------
    size : int or tuple of int
    freqs : float, tensor or initializer
        The firing rates (Hz).
    seed : int, optional
        The seed of the group's own :class:`~bptorch.math.random.RandomState` (reset
        reseeds it).
    keep_size : bool
    name : str, optional

    Examples
    --------
    >>> import bptorch as bp
    >>> group = bp.dyn.PoissonGroup(1000, freqs=50., seed=1)
    >>> total = 0
    >>> for i in range(100):
    ...     group.update(i * 0.1, 0.1)
    ...     total += int(group.spike.sum())
    >>> 350 < total < 650
    True
    """

    def __init__(self, size: Any, freqs: Any, seed: int | None = None, keep_size: bool = False,
                 name: str | None = None):
        super().__init__(size=size, name=name, keep_size=keep_size)
        self.seed = seed
        self.freqs = parameter(freqs, self.varshape)
        dev = settings.default_device()
        self.spike = Variable(torch.zeros(self.varshape, dtype=torch.bool, device=dev))
        self.rng = random.RandomState(seed=seed)
        self._origin = torch.zeros((), dtype=settings.float_(), device=dev)   # moves with the group

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt, _ = time_args(t, dt, x)
        draws = self.rng.uniform(self._origin, 1., size=self.varshape)
        self.spike.value = draws <= self.freqs * dt / 1000.

    def reset(self) -> None:
        self.spike.value = torch.zeros_like(self.spike.value)
        self.rng.seed(self.seed)


class PoissonInput(PoissonGroup):
    """Deprecated since BrainPy 2.1.5: use :class:`PoissonGroup`.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.dyn.PoissonInput(1, freqs=1.)
    Traceback (most recent call last):
    ...
    ValueError: Please use "brainpy.dyn.PoissonGroup" instead. "brainpy.dyn.PoissonInput" is deprecated since version 2.1.5
    """

    def __init__(self, *args, **kwargs):
        raise ValueError('Please use "brainpy.dyn.PoissonGroup" instead. '
                         '"brainpy.dyn.PoissonInput" is deprecated since version 2.1.5')
