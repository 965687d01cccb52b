"""bp.inputs: lengths and values against NumPy written out from BrainPy 2.1.12's
formulas; noise statistics; the tutorial's cells (docs/tutorial_toolbox/inputs.ipynb)."""

import math

import numpy as np
import pytest
import torch

import bptorch as bp
import bptorch.math as bm
from bptorch.inputs.currents import _linear_scan


@pytest.fixture(autouse=True)
def _default_dt():
    bm.set_dt(0.1)
    yield
    bm.set_dt(0.1)


def _np(x):
    return x.detach().cpu().numpy()


# -- tutorial cells (only the imports changed) -----------------------------------------

def test_tutorial_section_and_constant_inputs():
    current1, duration = bp.inputs.section_input(values=[0, 1., 0.], durations=[100, 300, 100],
                                                 return_length=True, dt=0.1)
    assert duration == 500 and current1.shape == (5000,)
    ref = np.zeros(5000)
    ref[1000:4000] = 1.
    np.testing.assert_array_equal(_np(current1), ref)
    ts = np.arange(0, duration, bm.get_dt())          # the tutorial's `show` helper
    assert ts.shape == current1.shape

    current2, duration = bp.inputs.constant_input([(0, 100), (1, 300), (0, 100)])
    assert duration == 500. and isinstance(duration, float)
    assert torch.equal(current2, current1)

    I1 = bp.inputs.section_input(values=[0, 1, 2], durations=[10, 20, 30], dt=0.1)
    I2 = bp.inputs.section_input(values=[0, 1, 2], durations=[10, 20, 30], dt=0.01)
    assert I1.shape == (600,) and I2.shape == (6000,)

    bm.random.seed(0)
    r = bm.random.random((3, 10))
    current = bp.inputs.section_input(values=[0, bm.ones(10), r], durations=[100, 300, 100])
    assert current.shape == (5000, 3, 10)
    assert (current[:1000] == 0).all() and (current[1000:4000] == 1).all()
    assert torch.equal(current[4000], r) and torch.equal(current[-1], r)


def test_tutorial_spike_input():
    current3 = bp.inputs.spike_input(sp_times=[10, 20, 30, 200, 300], sp_lens=1., sp_sizes=0.5,
                                     duration=400.)
    ref = np.zeros(int(np.ceil(400. / 0.1)))
    for t in [10, 20, 30, 200, 300]:
        ref[int(t / 0.1): int(t / 0.1) + int(1. / 0.1)] = 0.5
    assert current3.shape == (4000,)
    np.testing.assert_array_equal(_np(current3), ref)


def test_tutorial_ramp_inputs():
    duration = 500
    current4 = bp.inputs.ramp_input(0, 1, duration)
    np.testing.assert_allclose(_np(current4), np.linspace(0, 1, 5000), atol=1e-6)
    duration, t_start, t_end = 500, 100, 400
    current5 = bp.inputs.ramp_input(0, 1, duration, t_start, t_end)
    ref = np.zeros(5000)
    ref[1000:4000] = np.linspace(0, 1, 3000)
    np.testing.assert_allclose(_np(current5), ref, atol=1e-6)
    # "More complex inputs": currents are tensors and add up
    current1 = bp.inputs.section_input(values=[0, 1., 0.], durations=[100, 300, 100])
    both = current1 + current5
    steps = np.arange(5000)
    np.testing.assert_allclose(_np(both), ref + (steps >= 1000) * (steps < 4000), atol=1e-6)


def test_tutorial_noise_and_oscillations():
    duration = 200
    current6 = bp.inputs.wiener_process(duration, n=2, t_start=10., t_end=180.)
    current7 = bp.inputs.ou_process(mean=1., sigma=0.1, tau=10., duration=duration, n=2,
                                    t_start=10., t_end=180.)
    for c in (current6, current7):
        assert c.shape == (2000, 2)
        assert (c[:100] == 0).all() and (c[1800:] == 0).all() and (c[100:1800] != 0).all()
    duration = 2000
    current8 = bp.inputs.sinusoidal_input(amplitude=1., frequency=2.0, duration=duration,
                                          t_start=100., )
    current9 = bp.inputs.square_input(amplitude=1., frequency=2.0, duration=duration, t_start=100)
    assert current8.shape == current9.shape == (20000,)
    times = np.arange(19000) * 0.1
    ref8 = np.zeros(20000)
    ref8[1000:] = np.sin(2 * np.pi * times * (2.0 / 1000.0))
    np.testing.assert_allclose(_np(current8), ref8, atol=1e-6)
    ref9 = np.zeros(20000)
    ref9[1000:] = np.where(np.mod(2 * np.pi * times * (2.0 / 1000.0), 2 * np.pi) < np.pi, 1., -1.)
    np.testing.assert_array_equal(_np(current9), ref9)


# -- exact values and lengths ----------------------------------------------------------

def test_section_lengths_follow_brainpys_rounding():
    # total: ceil(sum / dt); each section: int(d / dt)
    x = bp.inputs.section_input([1., 2., 3.], [0.3, 0.3, 0.35], dt=0.1)
    assert x.shape == (int(np.ceil(0.95 / 0.1)),) == (10,)
    ref = np.zeros(10)
    ref[0:2], ref[2:4], ref[4:7] = 1., 2., 3.           # int(0.3/0.1) == 2, int(0.35/0.1) == 3
    np.testing.assert_array_equal(_np(x), ref)
    x, length = bp.inputs.section_input([1., 2.], np.array([1., 2.5]), dt=0.5, return_length=True)
    assert length == 3.5 and _np(x).tolist() == [1., 1., 2., 2., 2., 2., 2.]
    bm.set_dt(0.25)
    assert bp.inputs.section_input([1.], [1.]).shape == (4,)
    assert bp.inputs.spike_input([0.], 0.5, 1., duration=1.).tolist() == [1., 1., 0., 0.]
    assert bp.inputs.wiener_process(1., seed=0).shape == (4, 1)


def test_spike_input_lists_overlaps_and_gradient():
    sizes = torch.tensor([1., 2., 3.], requires_grad=True)
    x = bp.inputs.spike_input(sp_times=[0.1, 0.3, 0.9], sp_lens=[0.3, 0.2, 0.5], sp_sizes=sizes,
                              duration=1.05, dt=0.1)
    ref = np.zeros(11)
    for t, d, s in zip([0.1, 0.3, 0.9], [0.3, 0.2, 0.5], [1., 2., 3.]):
        ref[int(t / 0.1): int(t / 0.1) + int(d / 0.1)] = s
    np.testing.assert_array_equal(_np(x), ref)
    (g,) = torch.autograd.grad(x.sum(), sizes)
    assert g.tolist() == [(ref == 1.).sum(), (ref == 2.).sum(), (ref == 3.).sum()]
    with pytest.raises(ValueError, match='same length'):
        bp.inputs.spike_input([1., 2.], [1.], 1., duration=5.)
    with pytest.raises(TypeError, match='sp_times'):
        bp.inputs.spike_input(3., 1., 1., duration=5.)
    assert bp.inputs.spike_input([], 1., 1., duration=0.5).tolist() == [0.] * 5


def test_ramp_with_tensor_ends_is_differentiable():
    a = torch.tensor(0., requires_grad=True)
    b = torch.tensor(2., requires_grad=True)
    x = bp.inputs.ramp_input(a, b, 1., t_start=0.2, t_end=0.7, dt=0.1)
    np.testing.assert_allclose(_np(x), np.r_[0, 0, np.linspace(0, 2, 5), 0, 0, 0], atol=1e-6)
    ga, gb = torch.autograd.grad(x.sum(), (a, b))
    frac = np.linspace(0, 1, 5)
    assert math.isclose(float(ga), (1 - frac).sum(), rel_tol=1e-6)
    assert math.isclose(float(gb), frac.sum(), rel_tol=1e-6)


def test_section_input_values_are_differentiable():
    v = torch.tensor([1., 2.], requires_grad=True)
    x = bp.inputs.section_input([0., v], [1., 2.], dt=0.5)
    assert x.shape == (6, 2)
    (g,) = torch.autograd.grad((x * torch.arange(6.)[:, None]).sum(), v)
    assert g.tolist() == [2. + 3 + 4 + 5] * 2


def test_aliases():
    assert bp.inputs.constant_current is bp.inputs.constant_input
    assert bp.inputs.spike_current is bp.inputs.spike_input
    assert bp.inputs.ramp_current is bp.inputs.ramp_input
    assert set(bp.inputs.__all__) == {
        'section_input', 'constant_input', 'constant_current', 'spike_input', 'spike_current',
        'ramp_input', 'ramp_current', 'wiener_process', 'ou_process', 'sinusoidal_input',
        'square_input'}


def test_oscillations_dc_bias_and_windows():
    x = bp.inputs.sinusoidal_input(2., 50., duration=100., dt=0.5, t_start=10., t_end=60.,
                                   dc_bias=True)
    times = np.arange(int(60 / 0.5) - int(10 / 0.5)) * 0.5
    ref = np.zeros(200)
    ref[20:120] = 2. * np.sin(2 * np.pi * times * 0.05) + 2.
    np.testing.assert_allclose(_np(x), ref, atol=1e-5)
    y = bp.inputs.square_input(1.5, 50., duration=100., dt=0.5, dc_bias=True, t_end=60.)
    ref = np.zeros(200)
    ref[:120] = np.where(np.mod(2 * np.pi * np.arange(120) * 0.5 * 0.05, 2 * np.pi) < np.pi,
                         1.5, -1.5) + 1.5
    np.testing.assert_array_equal(_np(y), ref)
    assert set(np.unique(_np(y)[:120]).tolist()) == {0., 3.}


# -- noise: reference recursion and statistics -----------------------------------------

def test_wiener_process_statistics_and_seeds():
    dt = 0.04
    w = bp.inputs.wiener_process(400., dt=dt, n=50, seed=1)
    assert w.shape == (10000, 50) and w.dtype == torch.float32
    z = _np(w).ravel() / math.sqrt(dt)
    assert abs(z.mean()) < 5 / math.sqrt(z.size)
    assert abs(z.var() - 1.) < 5 * math.sqrt(2 / z.size)
    assert torch.equal(w, bp.inputs.wiener_process(400., dt=dt, n=50, seed=1))
    assert not torch.equal(w, bp.inputs.wiener_process(400., dt=dt, n=50, seed=2))
    ref = bm.random.RandomState(1).normal(0., 1., size=(10000, 50)) * math.sqrt(dt)
    assert torch.equal(w, ref)
    bm.random.seed(5)
    a = bp.inputs.wiener_process(10., n=3)
    bm.random.seed(5)
    assert torch.equal(a, bp.inputs.wiener_process(10., n=3))


def test_ou_process_equals_the_euler_loop():
    mean, sigma, tau, dt = 0.5, 0.3, 5., 0.1
    x = bp.inputs.ou_process(mean, sigma, tau, duration=600., dt=dt, n=3, t_start=50.,
                             t_end=550., seed=7)
    steps = int(550 / dt) - int(50 / dt)
    xi = _np(bm.random.RandomState(7).normal(0., 1., size=(steps, 3))).astype(np.float64)
    ref = np.zeros((int(600 / dt), 3))
    v = np.full(3, mean)
    for k in range(steps):   # BrainPy's step: x += dt * (mean - x) / tau + sigma sqrt(dt) xi
        v = v + dt * ((mean - v) / tau) + sigma * math.sqrt(dt) * xi[k]
        ref[int(50 / dt) + k] = v
    np.testing.assert_allclose(_np(x), ref, rtol=1e-5, atol=1e-6)


def test_ou_process_stationary_statistics():
    mean, sigma, tau, dt = 1., 0.5, 2., 0.1
    x = _np(bp.inputs.ou_process(mean, sigma, tau, duration=2000., dt=dt, n=20, seed=3))
    x = x[500:]                                       # skip the (short) transient
    a = 1 - dt / tau
    var = sigma ** 2 * dt / (1 - a ** 2)              # the Euler scheme's stationary variance
    assert abs(x.mean() - mean) < 0.02
    assert abs(x.var() - var) / var < 0.05
    lag = int(tau / dt)
    c = np.mean((x[lag:] - mean) * (x[:-lag] - mean)) / np.mean((x - mean) ** 2)
    assert abs(c - a ** lag) < 0.05                   # autocorrelation a^k ~ exp(-t / tau)


@pytest.mark.parametrize('a', [0.999, 0.9, 0.3, 0., -0.5])
@pytest.mark.parametrize('steps', [1, 63, 64, 65, 5000])
def test_linear_scan_equals_the_loop(a, steps):
    rng = np.random.RandomState(steps)
    u = rng.randn(steps, 2)
    x0 = rng.randn(2)
    ref = np.zeros_like(u)
    v = x0.copy()
    for k in range(steps):
        v = a * v + u[k]
        ref[k] = v
    got = _linear_scan(torch.tensor(u), a, torch.tensor(x0))
    np.testing.assert_allclose(got.numpy(), ref, rtol=1e-9, atol=1e-9)


# -- settings, devices, errors ---------------------------------------------------------

def test_dtypes_follow_x64():
    bm.enable_x64()
    try:
        for x in (bp.inputs.section_input([1.], [1.]), bp.inputs.ramp_input(0, 1, 1.),
                  bp.inputs.wiener_process(1., seed=0), bp.inputs.ou_process(0, 1, 1, 1., seed=0),
                  bp.inputs.sinusoidal_input(1, 1, 1.), bp.inputs.square_input(1, 1, 1.),
                  bp.inputs.spike_input([0.], 1., 1., 1.)):
            assert x.dtype == torch.float64
    finally:
        bm.disable_x64()
    assert bp.inputs.ou_process(0, 1, 1, 1., seed=0).dtype == torch.float32


def test_outputs_on_the_default_device(device):
    if device.type == 'cuda':
        bm.set_platform('gpu')
    outs = [bp.inputs.section_input([1., 2.], [1., 1.]), bp.inputs.constant_input([(1., 1.)])[0],
            bp.inputs.spike_input([0.], 1., 1., 2.), bp.inputs.ramp_input(0, 1, 2.),
            bp.inputs.wiener_process(2., seed=0), bp.inputs.ou_process(0., 1., 1., 2., seed=0),
            bp.inputs.sinusoidal_input(1., 10., 2.), bp.inputs.square_input(1., 10., 2.)]
    for x in outs:
        assert x.device.type == device.type


def test_tensor_values_keep_their_device(device):
    v = torch.ones(3, device=device)
    assert bp.inputs.section_input([0., v], [1., 1.]).device.type == device.type


def test_errors():
    with pytest.raises(ValueError, match='same length'):
        bp.inputs.section_input([1., 2.], [1.])
    with pytest.raises(ValueError, match='dt'):
        bp.inputs.section_input([1.], [1.], dt=-0.1)
    with pytest.raises(ValueError, match='dt'):
        bp.inputs.wiener_process(1., dt='0.1')
    with pytest.raises(ValueError, match='n must'):
        bp.inputs.wiener_process(1., n=-1)
    with pytest.raises(ValueError, match='n must'):
        bp.inputs.ou_process(0., 1., 1., 1., n=1.5)
    with pytest.raises(ValueError, match='t_end <= duration'):
        bp.inputs.wiener_process(1., t_end=2.)
    with pytest.raises(ValueError, match='t_end <= duration'):
        bp.inputs.ramp_input(0, 1, 1., t_end=2.)
    with pytest.raises(ValueError, match='pairs'):
        bp.inputs.constant_input([(1., 2., 3.)])
    with pytest.raises(TypeError, match='positive float'):
        bm.set_dt('0.1')
    with pytest.raises(ValueError, match='positive float'):
        bm.set_dt(0.)


def test_set_dt_and_get_dt():
    assert bm.get_dt() == 0.1
    bm.set_dt(0.01)
    assert bm.get_dt() == 0.01 and bp.inputs.section_input([1.], [1.]).shape == (100,)
    bm.set_dt(1)
    assert bm.get_dt() == 1.0 and isinstance(bm.get_dt(), float)
