"""Rate models and couplings of bp.dyn.rates against their equations integrated in NumPy
(BrainPy 2.1.12's right-hand sides), noise, delayed feedback, couplings."""

import numpy as np
import pytest
import torch

import bptorch as bp
import bptorch.math as bm

import dyn_reference as ref


def _run_xy(model, steps, dt, inputs):
    xs, ys = [], []
    for i in range(steps):
        model.input.value = model.input.value + torch.as_tensor(inputs[i])
        model.update(i * dt, dt)
        xs.append(model.x.value.clone().numpy())
        ys.append(model.y.value.clone().numpy())
    return np.array(xs), np.array(ys)


def _ref_xy(rhs, x0, y0, steps, dt, inputs, method='exp', extra=None):
    x, y = x0.copy(), y0.copy()
    xs, ys = [], []
    for i in range(steps):
        state = dict(x=x, y=y, I=inputs[i], **(extra or {}))
        new = (ref.exp_euler(['x', 'y'], rhs, state, dt) if method == 'exp'
               else ref.rk4(['x', 'y'], rhs, state, dt, i * dt))
        x, y = new['x'], new['y']
        xs.append(x)
        ys.append(y)
    return np.array(xs), np.array(ys)


X0, Y0 = np.array([0.01, 0.3, -0.2]), np.array([0.02, -0.1, 0.4])


def _init(model_cls, **kw):
    return model_cls(3, x_initializer=torch.tensor(X0), y_initializer=torch.tensor(Y0), **kw)


def test_fhn_and_qif_populations():
    bm.enable_x64()
    rng = np.random.RandomState(0)
    inputs = rng.uniform(0., 1., size=(300, 3))
    p = dict(alpha=3.0, beta=4.0, gamma=-1.5, delta=0.0, epsilon=0.5, tau=20.0)
    got = _run_xy(_init(bp.dyn.rates.FHN, **p), 300, 0.1, inputs)
    rhs = {'x': lambda s: -p['alpha'] * s['x'] ** 3 + p['beta'] * s['x'] ** 2 + p['gamma'] * s['x']
                          - s['y'] + s['I'],
           'y': lambda s: (s['x'] - p['delta'] - p['epsilon'] * s['y']) / p['tau']}
    want = _ref_xy(rhs, X0, Y0, 300, 0.1, inputs)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-10)
    p = dict(tau=1., eta=-5.0, delta=1.0, J=15.)
    got = _run_xy(_init(bp.dyn.rates.QIF, **p), 200, 0.01, inputs * 3)
    rhs = {'x': lambda s: (s['x'] ** 2 + p['eta'] + s['I'] + p['J'] * s['y'] * p['tau']
                           - (np.pi * s['y'] * p['tau']) ** 2) / p['tau'],
           'y': lambda s: (p['delta'] / (np.pi * p['tau']) + 2. * s['x'] * s['y']) / p['tau']}
    want = _ref_xy(rhs, X0, Y0, 200, 0.01, inputs * 3)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-10)


def test_stuart_landau_and_wilson_cowan_as_brainpy_computes_them():
    bm.enable_x64()
    rng = np.random.RandomState(1)
    inputs = rng.uniform(0., 0.5, size=(300, 3))
    a, w = 0.25, 0.2
    got = _run_xy(_init(bp.dyn.rates.StuartLandauOscillator, a=a, w=w), 300, 0.1, inputs)
    rhs = {'x': lambda s: (a - s['x'] ** 2 - s['y'] ** 2) * s['x'] - w * s['y'] + s['I'],
           'y': lambda s: (a - s['x'] ** 2 - s['y'] ** 2) * s['y'] - w * s['y']}
    np.testing.assert_allclose(got, _ref_xy(rhs, X0, Y0, 300, 0.1, inputs), rtol=1e-9, atol=1e-10)
    p = dict(E_tau=1., E_a=1.2, E_theta=2.8, I_tau=1., I_a=1., I_theta=4.0, wEE=12., wIE=4.,
             wEI=13., wII=11., r=1.)
    F = lambda u, a_, th: 1 / (1 + np.exp(-a_ * (u - th))) - 1 / (1 + np.exp(a_ * th))

    def dx(s):
        u = p['wEE'] * s['x'] - p['wIE'] * s['y'] + s['I']
        return (-u + (1 - p['r'] * u) * F(u, p['E_a'], p['E_theta'])) / p['E_tau']

    def dy(s):
        u = p['wEI'] * s['x'] - p['wII'] * s['y']
        return (-s['y'] + (1 - p['r'] * s['y']) * F(u, p['I_a'], p['I_theta'])) / p['I_tau']
    got = _run_xy(_init(bp.dyn.rates.WilsonCowanModel, **p), 300, 0.05, inputs * 4)
    np.testing.assert_allclose(got, _ref_xy({'x': dx, 'y': dy}, X0, Y0, 300, 0.05, inputs * 4),
                               rtol=1e-9, atol=1e-10)


def test_threshold_linear_model():
    bm.enable_x64()
    tl = bp.dyn.rates.ThresholdLinearModel(2, tau_e=0.02, tau_i=0.01, beta_e=0.066, beta_i=0.351)
    e, i, es = np.zeros(2), np.zeros(2), []
    drive = np.array([[10., -5.], [3., 8.]])
    for k in range(200):
        tl.Ie += torch.tensor(drive[0])
        tl.Ii += torch.tensor(drive[1])
        tl.update(k * 1e-3, 1e-3)
        e = np.maximum(e + (-e + 0.066 * np.maximum(drive[0], 0)) / 0.02 * 1e-3, 0)
        i = np.maximum(i + (-i + 0.351 * np.maximum(drive[1], 0)) / 0.01 * 1e-3, 0)
        es.append(tl.e.value.clone().numpy())
    np.testing.assert_allclose(tl.e.numpy(), e, rtol=1e-10)
    np.testing.assert_allclose(tl.i.numpy(), i, rtol=1e-10)
    assert tl.rng is None
    tl.reset()
    assert torch.equal(tl.e.value, torch.zeros(2, dtype=torch.float64))
    noisy = bp.dyn.rates.ThresholdLinearModel(500, noise_e=1., seed=3)
    noisy.update(0., 1e-3)
    assert float(noisy.e.value.std()) > 0
    first = noisy.e.value.clone()
    noisy.reset()
    noisy.update(0., 1e-3)
    torch.testing.assert_close(noisy.e.value, first)        # reset reseeds


def test_feedback_fhn_with_its_delayed_feedback():
    bm.enable_x64()
    dt, delay = 0.1, 0.975          # not a multiple of dt: no rounding ties
    p = dict(a=0.7, b=0.8, tau=12.5, mu=1.6886, v0=-1.)
    model = bp.dyn.rates.FeedbackFHN(2, delay=delay, dt=dt, x_initializer=torch.tensor([0.1, -0.5]),
                                     y_initializer=torch.tensor([0., 0.2]), **p)
    n = model.x_delay.num_delay_step
    assert n == 11
    rng = np.random.RandomState(2)
    inputs = rng.uniform(0.5, 1.0, size=(150, 2))
    got = _run_xy(model, 150, dt, inputs)
    # reference: a history of x every dt (zeros before t0), read by rounding
    x, y = np.array([0.1, -0.5]), np.array([0., 0.2])
    hist = [np.zeros(2)] * (n - 1) + [x.copy()]          # oldest first, the last at 'now'
    xs, ys = [], []
    for i in range(150):
        now = i * dt

        def delayed(T):
            steps = int(np.round((T - (now - (n - 1) * dt)) / dt))
            return hist[steps % n]
        rhs = {'x': lambda s: s['x'] - s['x'] ** 3 / 3 - s['y'] + s['I']
                              + p['mu'] * (delayed(s['t'] - delay) - p['v0']),
               'y': lambda s: (s['x'] + p['a'] - p['b'] * s['y']) / p['tau']}
        new = ref.rk4(['x', 'y'], rhs, dict(x=x, y=y, I=inputs[i]), dt, now)
        x, y = new['x'], new['y']
        hist = hist[1:] + [x.copy()]
        xs.append(x)
        ys.append(y)
    np.testing.assert_allclose(got[0], xs, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(got[1], ys, rtol=1e-9, atol=1e-10)
    with pytest.raises(ValueError, match='not consistent'):
        model.update(0., 0.2)
    model.reset()
    assert model.x_delay.num_delay_step == 11


def test_ou_noise_on_populations_and_the_ou_process():
    bm.random.seed(0)
    ou = bp.dyn.OUProcess(4000, mean=1., sigma=0.5, tau=5.)
    for i in range(300):
        ou.update(i * 0.1, 0.1)
    # stationary: mean mu, std sigma * sqrt(tau / 2)
    assert abs(float(ou.x.value.mean()) - 1.) < 0.03
    assert abs(float(ou.x.value.std()) - 0.5 * np.sqrt(5. / 2)) < 0.06
    ou.reset()
    assert torch.equal(ou.x.value, torch.ones(4000))
    fhn = bp.dyn.rates.FHN(3, x_ou_sigma=0.1, y_ou_mean=0.2, sde_method='euler')
    assert isinstance(fhn.x_ou, bp.dyn.OUProcess) and isinstance(fhn.y_ou, bp.dyn.OUProcess)
    for i in range(5):
        fhn.update(i * 0.1, 0.1)
    assert torch.equal(fhn.input.value, torch.zeros(3))
    fhn.reset()
    assert torch.equal(fhn.y_ou.x.value, torch.full((3,), 0.2))


def test_diffusive_and_additive_couplings():
    bm.enable_x64()
    rng = np.random.RandomState(4)
    C = torch.tensor(rng.rand(3, 3))
    D = torch.tensor(rng.randint(0, 4, size=(3, 3)))
    for kind in ('none', 'int', 'array'):
        delay_steps = {'none': None, 'int': 2, 'array': D}[kind]
        x1 = bm.Variable(torch.zeros(3, dtype=torch.float64))
        x2 = bm.Variable(torch.zeros(3, dtype=torch.float64))
        out1 = bm.Variable(torch.zeros(3, dtype=torch.float64))
        out2 = bm.Variable(torch.zeros(3, dtype=torch.float64))
        diff = bp.dyn.rates.DiffusiveCoupling(x1, x2, out1, conn_mat=C, delay_steps=delay_steps,
                                              initial_delay_data=0.)
        add = bp.dyn.rates.AdditiveCoupling(x2, out2, conn_mat=C, delay_steps=delay_steps)
        hist1, hist2 = [np.zeros(3)] * 10, [np.zeros(3)] * 10      # oldest first
        for i in range(8):
            v1, v2 = rng.randn(3), rng.randn(3)
            x1.value = torch.tensor(v1)
            x2.value = torch.tensor(v2)
            out1.value = torch.zeros(3, dtype=torch.float64)
            out2.value = torch.zeros(3, dtype=torch.float64)
            diff.update(i * 0.1, 0.1)
            add.update(i * 0.1, 0.1)
            # delay d: the value recorded d updates before this one (0: the previous one)
            if kind == 'none':
                d1, d2 = np.tile(v1, (3, 1)), np.tile(v2, (3, 1))       # [j, i]
            elif kind == 'int':
                d1, d2 = np.tile(hist1[-1 - 2], (3, 1)), np.tile(hist2[-1 - 2], (3, 1))
            else:
                Dn = D.numpy()
                d1 = np.array([[hist1[-1 - Dn[j, i]][i] for i in range(3)] for j in range(3)])
                d2 = np.array([[hist2[-1 - Dn[j, i]][i] for i in range(3)] for j in range(3)])
            want1 = (C.numpy() * (d1.T - v2)).sum(0)
            want2 = (C.numpy() * d2.T).sum(0)
            np.testing.assert_allclose(out1.numpy(), want1, rtol=1e-10, err_msg=kind)
            np.testing.assert_allclose(out2.numpy(), want2, rtol=1e-10, err_msg=kind)
            hist1, hist2 = hist1[1:] + [v1], hist2[1:] + [v2]
    with pytest.raises(ValueError, match='shape'):
        bp.dyn.rates.AdditiveCoupling(x2, out2, conn_mat=torch.ones(2, 3))
    with pytest.raises(ValueError, match='integer'):
        bp.dyn.rates.AdditiveCoupling(x2, out2, conn_mat=C, delay_steps=torch.ones(3, 3))
    with pytest.raises(ValueError, match='Variable'):
        bp.dyn.rates.AdditiveCoupling(torch.zeros(3), out2, conn_mat=C)


def test_coupled_populations_in_a_network():
    bm.random.seed(1)
    areas = bp.dyn.rates.FHN(4, name='CoupledAreas')
    conn = bp.dyn.rates.DiffusiveCoupling(areas.x, areas.x, areas.input, conn_mat=bm.ones((4, 4)) * 0.5,
                                          delay_steps=torch.tensor(np.arange(16).reshape(4, 4) % 3),
                                          initial_delay_data=bp.init.Uniform(0, 0.05))
    net = bp.dyn.Network(conn, areas)
    for i in range(50):
        net.update(i * 0.1, 0.1)
    assert torch.isfinite(areas.x.value).all()
    assert conn.delay_type == 'array'
