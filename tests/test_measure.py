"""bp.measure against NumPy written out from BrainPy 2.1.12's formulas."""

import math

import numpy as np
import pytest
import torch

import bptorch as bp
import bptorch.math as bm


def _spikes(steps, neurons, p, seed):
    return (np.random.RandomState(seed).rand(steps, neurons) < p).astype(np.float32)


# -- references, written out from BrainPy's source -------------------------------------

def _ref_firing_rate(sp, width, dt):
    width1 = int(width / 2 / dt) * 2 + 1
    window = np.ones(width1) * 1000 / width
    rate = np.sum(sp, axis=1) / sp.shape[1]
    return np.convolve(rate, window, mode='same')


def _ref_cross_correlation(spikes, bin, dt):
    bin_size = int(bin / dt)
    num_hist, num_neu = spikes.shape
    num_bin = int(np.ceil(num_hist / bin_size))
    if num_bin * bin_size != num_hist:
        spikes = np.append(spikes, np.zeros((num_bin * bin_size - num_hist, num_neu)), axis=0)
    states = spikes.T.reshape((num_neu, num_bin, bin_size))
    states = (np.sum(states, axis=2) > 0.).astype(float)
    values = []
    for i in range(num_neu):
        for j in range(i):
            sqrt_ij = np.sqrt(np.sum(states[i]) * np.sum(states[j]))
            values.append(0. if sqrt_ij == 0. else np.sum(states[i] * states[j]) / sqrt_ij)
    return np.mean(values)


def _ref_voltage_fluctuation(v):
    var_mean = np.mean([np.mean(v[:, i] ** 2) - np.mean(v[:, i]) ** 2 for i in range(v.shape[1])])
    avg = np.mean(v, axis=1)
    avg_var = np.mean(avg * avg) - np.mean(avg) ** 2
    return avg_var / var_mean if var_mean != 0. else 1.


def _ref_weighted_correlation(x, y, w):
    def m(a):
        return np.sum(a * w) / np.sum(w)

    def c(a, b):
        return np.sum(w * (a - m(a)) * (b - m(b))) / np.sum(w)
    return c(x, y) / np.sqrt(c(x, x) * c(y, y))


# -- firing rate and raster ------------------------------------------------------------

@pytest.mark.parametrize('steps, width, dt', [(500, 10., 0.1), (400, 7.3, 0.25), (30, 20., 0.1)])
def test_firing_rate_equals_brainpys_formula(steps, width, dt):
    sp = _spikes(steps, 20, 0.05, seed=steps)
    ref = _ref_firing_rate(sp, width, dt)
    got = bp.measure.firing_rate(sp, width, dt=dt)
    assert isinstance(got, np.ndarray) and got.shape == ref.shape    # max(steps, window)
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-3)
    t = bp.measure.firing_rate(torch.tensor(sp), width, dt=dt, numpy=False)
    assert isinstance(t, torch.Tensor)
    np.testing.assert_allclose(t.numpy(), ref, rtol=1e-5, atol=1e-3)


def test_firing_rate_default_dt_bool_spikes_and_gradient():
    sp = _spikes(300, 8, 0.1, seed=0)
    try:
        bm.set_dt(0.5)
        got = bp.measure.firing_rate(bm.Variable(torch.tensor(sp > 0)), 10.)
    finally:
        bm.set_dt(0.1)
    np.testing.assert_allclose(got, _ref_firing_rate(sp, 10., 0.5), rtol=1e-5, atol=1e-3)
    x = torch.tensor(sp, requires_grad=True)
    (g,) = torch.autograd.grad(bp.measure.firing_rate(x, 5., dt=0.1, numpy=False).sum(), x)
    window = np.ones(int(5. / 2 / 0.1) * 2 + 1) * 1000 / 5.
    per_step = np.convolve(np.ones(300), window, mode='same') / 8
    np.testing.assert_allclose(g.numpy(), np.repeat(per_step[:, None], 8, 1), rtol=1e-5)


def test_raster_plot():
    sp = _spikes(50, 6, 0.2, seed=1)
    times = np.arange(50) * 0.1
    index, time = bp.measure.raster_plot(torch.tensor(sp), torch.tensor(times))
    steps, neurons = np.where(sp > 0.)
    np.testing.assert_array_equal(index, neurons)
    np.testing.assert_allclose(time, times[steps])
    assert isinstance(index, np.ndarray) and isinstance(time, np.ndarray)


# -- correlations ----------------------------------------------------------------------

@pytest.mark.parametrize('steps, bin, dt', [(1000, 1., 0.1), (997, 2.5, 0.1), (300, 3., 0.5)])
def test_cross_correlation_equals_brainpys_formula(steps, bin, dt):
    sp = _spikes(steps, 12, 0.02, seed=steps)
    sp[:, 3] = 0.                                     # a silent neuron: its pairs count as 0
    ref = _ref_cross_correlation(sp, bin, dt)
    got = bp.measure.cross_correlation(sp, bin, dt=dt)
    assert isinstance(got, torch.Tensor) and got.ndim == 0
    assert math.isclose(float(got), ref, rel_tol=1e-5)
    got_np = bp.measure.cross_correlation(sp, bin, dt=dt, numpy=True, method='vmap')
    assert isinstance(got_np, np.floating) and math.isclose(got_np, ref, rel_tol=1e-12)


def test_cross_correlation_limits():
    together = np.zeros((200, 5))
    together[::10] = 1.
    assert float(bp.measure.cross_correlation(together, 1., dt=0.1)) == pytest.approx(1.)
    alternating = np.zeros((200, 2))
    alternating[0::20, 0] = 1.
    alternating[10::20, 1] = 1.
    assert float(bp.measure.cross_correlation(alternating, 1., dt=0.1)) == 0.
    with pytest.raises(ValueError, match='bin'):
        bp.measure.cross_correlation(together, 0.01, dt=0.1)


def test_voltage_fluctuation_equals_brainpys_formula():
    rng = np.random.RandomState(0)
    common = np.sin(np.linspace(0, 30, 800))[:, None]
    v = (0.7 * common + 0.5 * rng.randn(800, 10)).astype(np.float32)
    ref = _ref_voltage_fluctuation(v.astype(np.float64))
    got = bp.measure.voltage_fluctuation(v)
    assert isinstance(got, torch.Tensor) and math.isclose(float(got), ref, rel_tol=1e-4)
    assert math.isclose(bp.measure.voltage_fluctuation(v, numpy=True), ref, rel_tol=1e-10)
    assert float(bp.measure.voltage_fluctuation(np.ones((10, 3)))) == 1.      # no variance
    x = torch.tensor(v.astype(np.float64), requires_grad=True)
    assert torch.autograd.gradcheck(lambda a: bp.measure.voltage_fluctuation(a), (x[:50, :4],))


def test_matrix_correlation():
    rng = np.random.RandomState(2)
    x, y = rng.rand(6, 6), rng.rand(6, 6)
    ref = np.corrcoef(x[np.triu_indices_from(x, k=1)], y[np.triu_indices_from(y, k=1)])[0, 1]
    got = bp.measure.matrix_correlation(x, y)
    assert isinstance(got, np.float64) and math.isclose(got, ref, rel_tol=1e-12)
    t = bp.measure.matrix_correlation(torch.tensor(x), torch.tensor(y), numpy=False)
    assert isinstance(t, torch.Tensor) and math.isclose(float(t), ref, rel_tol=1e-10)
    # only the upper triangle counts
    x2 = x.copy()
    x2[np.tril_indices_from(x2)] = 100.
    assert math.isclose(bp.measure.matrix_correlation(x2, y), ref, rel_tol=1e-12)
    a = torch.tensor(x, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda m: bp.measure.matrix_correlation(m, torch.tensor(y), numpy=False), (a,))
    with pytest.raises(ValueError, match='2d'):
        bp.measure.matrix_correlation(x[0], y)


def test_functional_connectivity():
    rng = np.random.RandomState(3)
    a = rng.randn(200, 5)
    a[:, 2] = 1.                                       # constant: NaN correlations become 0
    a[:, 4] = 0.5 * a[:, 0] + 0.1 * rng.randn(200)
    with np.errstate(invalid='ignore', divide='ignore'):
        ref = np.nan_to_num(np.corrcoef(a.T))
    got = bp.measure.functional_connectivity(a)
    assert isinstance(got, np.ndarray) and got.dtype == np.float64 and got.shape == (5, 5)
    np.testing.assert_allclose(got, ref, atol=1e-12)
    t = bp.measure.functional_connectivity(torch.tensor(a, dtype=torch.float32), numpy=False)
    assert t.dtype == torch.float32
    np.testing.assert_allclose(t.numpy(), ref, atol=1e-5)
    with pytest.raises(ValueError, match='2d'):
        bp.measure.functional_connectivity(a[:, 0])


def test_weighted_correlation():
    rng = np.random.RandomState(4)
    x, y, w = rng.randn(50), rng.randn(50), rng.rand(50)
    ref = _ref_weighted_correlation(x, y, w)
    got = bp.measure.weighted_correlation(x, y, w)
    assert isinstance(got, torch.Tensor) and math.isclose(float(got), ref, rel_tol=1e-5)
    assert math.isclose(bp.measure.weighted_correlation(x, y, w, numpy=True), ref, rel_tol=1e-12)
    ones = bp.measure.weighted_correlation(x, y, np.ones(50), numpy=True)
    assert math.isclose(ones, np.corrcoef(x, y)[0, 1], rel_tol=1e-10)
    tx = torch.tensor(x, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda a: bp.measure.weighted_correlation(a, torch.tensor(y), torch.tensor(w)), (tx,))
    with pytest.raises(ValueError, match='1d'):
        bp.measure.weighted_correlation(x[:, None], y, w)


def test_tensor_results_on_the_input_device(device):
    sp = torch.tensor(_spikes(200, 4, 0.1, seed=5), device=device)
    v = torch.randn(100, 4, device=device, dtype=torch.float64)
    for r in (bp.measure.cross_correlation(sp, 1., dt=0.1),
              bp.measure.voltage_fluctuation(v),
              bp.measure.firing_rate(sp, 5., dt=0.1, numpy=False),
              bp.measure.functional_connectivity(v, numpy=False),
              bp.measure.matrix_correlation(v[:4], v[4:8], numpy=False),
              bp.measure.weighted_correlation(v[:, 0], v[:, 1], v[:, 2].abs())):
        assert r.device.type == device.type


def test_public_names():
    assert set(bp.measure.__all__) == {'cross_correlation', 'voltage_fluctuation',
                                       'matrix_correlation', 'weighted_correlation',
                                       'functional_connectivity', 'raster_plot', 'firing_rate'}
    with pytest.raises(ValueError, match='method'):
        bp.measure.voltage_fluctuation(np.ones((3, 3)), method='scan')


# -- BrainPy 2.1.12's own measure tests (brainpy/measure/tests), ported: imports changed,
# -- prints turned into assertions on what they compute

def test_brainpy_cross_correlation():
    spikes = bm.asarray([[1, 0, 1, 0, 1, 0, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1, 0, 0]]).T
    cc1 = bp.measure.cross_correlation(spikes, 1., dt=1.)
    assert math.isclose(float(cc1), 4 / math.sqrt(4 * 7), rel_tol=1e-6)
    assert bp.measure.cross_correlation(bm.ones((1000, 10)), 1.) == 1.
    assert bp.measure.cross_correlation(bm.zeros((1000, 10)), 1.) == 0.
    bm.random.seed(0)
    spikes = bm.random.randint(0, 2, (1000, 10))
    for bin, steps in ((1., 10), (0.5, 5)):
        q = 1 - 0.5 ** steps            # the chance that a bin holds a spike
        assert abs(float(bp.measure.cross_correlation(spikes, bin)) - q) < 0.02
    for p in (0.8, 0.2, 0.05):
        spikes = bm.random.random((1000, 100)) < p
        for bin, steps in ((1., 10), (0.5, 5)):
            q = 1 - (1 - p) ** steps
            cc = float(bp.measure.cross_correlation(spikes, bin))
            assert abs(cc - q) < 0.03, (p, bin, cc, q)


def test_brainpy_voltage_fluctuation():
    bm.random.seed(0)
    voltages = bm.random.normal(0, 10, size=(1000, 100))
    assert abs(float(bp.measure.voltage_fluctuation(voltages)) - 1 / 100) < 0.005
    assert float(bp.measure.voltage_fluctuation(bm.ones((1000, 100)))) == 1.


def test_brainpy_functional_connectivity_and_matrix_correlation():
    bm.random.seed(0)
    fc = bp.measure.functional_connectivity(bm.random.random((10000, 3)))
    np.testing.assert_allclose(np.diag(fc), 1.)
    assert np.abs(fc - np.eye(3)).max() < 0.05
    A = bm.random.random((100, 100))
    B = bm.random.random((100, 100))
    assert abs(bp.measure.matrix_correlation(A, B)) < 0.1
    assert math.isclose(bp.measure.matrix_correlation(A, A), 1., rel_tol=1e-12)


def test_brainpy_firing_rate():
    rate = bp.measure.firing_rate(bm.ones((1000, 10)), 1.)      # window of 11 steps
    np.testing.assert_allclose(rate[5:-5], 11 * 1000.)
    np.testing.assert_allclose(rate[:6], np.arange(6, 12) * 1000.)
    bm.random.seed(0)
    for p, widths in ((0.2, (1., 10.)), (0.02, (1., 5.))):
        spikes = bm.random.random((1000, 10)) < p
        for width in widths:
            steps = int(width / 2 / 0.1) * 2 + 1
            rate = bp.measure.firing_rate(spikes, width)
            expected = p * steps * 1000 / width
            assert abs(rate[steps:-steps].mean() - expected) < 0.1 * expected
