"""Input groups of bp.dyn.others: spikes at given times and Poisson spikes."""

import numpy as np
import pytest
import torch

import bptorch as bp
import bptorch.math as bm


def test_spike_time_group_emits_each_event_once_at_its_time():
    times = [3.0, 0.5, 1.0, 1.0, 2.05]
    indices = [2, 0, 1, 3, 0]
    group = bp.dyn.SpikeTimeGroup(4, times=times, indices=indices)      # unsorted: sorted
    fired = []
    dt = 0.1
    for i in range(40):
        group.update(i * dt, dt)
        for j in group.spike.value.nonzero().flatten().tolist():
            fired.append((i, j))
    # event k fires at the first step with t >= times[k]
    want = sorted((int(np.ceil(round(t / dt, 9))), j) for t, j in zip(times, indices))
    assert sorted(fired) == want
    group.reset()
    group.update(1.0, dt)
    assert group.spike.value.tolist() == [True, True, False, True]    # everything up to t = 1
    assert group.spike.dtype == torch.bool
    grid = bp.dyn.SpikeTimeGroup((2, 2), times=[0.], indices=[3], keep_size=True)
    grid.update(0., 0.1)
    assert grid.spike.value.tolist() == [[False, False], [False, True]]
    with pytest.raises(bp.errors.ModelBuildError, match='same'):
        bp.dyn.SpikeTimeGroup(2, times=[1., 2.], indices=[0])
    with pytest.raises(ValueError, match='SpikeTimeGroup'):
        bp.dyn.SpikeTimeInput(2, times=[1.], indices=[0])


def test_poisson_group_rates_seeds_and_reset():
    group = bp.dyn.PoissonGroup(2000, freqs=40., seed=7)
    counts = []
    for i in range(500):
        group.update(i * 0.1, 0.1)
        counts.append(int(group.spike.value.sum()))
    rate = sum(counts) / 2000 / 0.05            # 50 ms
    # binomial: p = 40 Hz * 0.1 ms = 0.004 per step; 1e6 draws; sd of the rate ~0.9 Hz
    assert abs(rate - 40.) < 4.
    first = []
    group.reset()
    for i in range(3):
        group.update(i * 0.1, 0.1)
        first.append(group.spike.value.clone())
    again = bp.dyn.PoissonGroup(2000, freqs=40., seed=7)
    for i in range(3):
        again.update(i * 0.1, 0.1)
        assert torch.equal(again.spike.value, first[i])
    per = bp.dyn.PoissonGroup(3, freqs=torch.tensor([0., 1e9, 0.]), seed=1)
    per.update(0., 0.1)
    assert per.spike.value.tolist() == [False, True, False]
    grid = bp.dyn.PoissonGroup((2, 3), freqs=1e9, keep_size=True)
    grid.update(0., 0.1)
    assert grid.spike.shape == (2, 3) and bool(grid.spike.value.all())
    with pytest.raises(ValueError, match='PoissonGroup'):
        bp.dyn.PoissonInput(2, freqs=1.)


def test_poisson_drives_a_neuron_group_through_a_synapse(device):
    bm.random.seed(0)
    src = bp.dyn.PoissonGroup(50, freqs=200., seed=3)
    neu = bp.dyn.LIF(5, V_rest=-60., V_reset=-60., V_th=-50., tau=10., V_initializer=bp.init.OneInit(-60.))
    syn = bp.dyn.ExpCOBA(src, neu, bp.conn.All2All(), g_max=0.1, E=0., tau=5.)
    net = bp.dyn.Network(src, syn, neu).to(device)
    assert src.spike.device.type == device.type
    spikes = 0
    for i in range(300):
        net.update(i * 0.1, 0.1)
        spikes += int(neu.spike.value.sum())
    assert spikes > 0
