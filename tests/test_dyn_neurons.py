"""Neuron models of bp.dyn against their equations integrated independently in NumPy
(float64, the same method and step), spikes, refractoriness, reset, shapes and call forms."""

import numpy as np
import pytest
import torch

import bptorch as bp
import bptorch.math as bm

import dyn_reference as ref

DT = 0.05


def _inputs(steps, num, seed=0, low=0., high=1.):
    rng = np.random.RandomState(seed)
    return rng.uniform(low, high, size=(steps, num))


def _run(model, steps, inputs, names, input_name='input', dt=DT):
    trace = {n: [] for n in names}
    for i in range(steps):
        getattr(model, input_name).value = getattr(model, input_name).value + torch.as_tensor(inputs[i])
        model.update(i * dt, dt)
        for n in names:
            trace[n].append(getattr(model, n).value.detach().cpu().numpy().copy())
    return {n: np.array(v) for n, v in trace.items()}


def _loop(step, state, steps, inputs, names, dt=DT):
    trace = {n: [] for n in names}
    for i in range(steps):
        state = step(state, i * dt, inputs[i], dt)
        for n in names:
            trace[n].append(np.array(state[n], copy=True))
    return {n: np.array(v) for n, v in trace.items()}


def _assert_traces(got, want, rtol=1e-9, atol=1e-9):
    for n in want:
        if want[n].dtype == bool:
            np.testing.assert_array_equal(got[n], want[n], err_msg=n)
        else:
            np.testing.assert_allclose(got[n], want[n], rtol=rtol, atol=atol, err_msg=n)


def _spiking_if_step(rhs_fn, pars, names, reset, threshold_name='V_th'):
    """A reference step of an integrate-and-fire model with refractoriness."""
    rhs = rhs_fn(pars)

    def step(s, t, I, dt):
        refr = (t - s['t_last_spike']) <= pars['tau_ref']
        new = ref.exp_euler(names, rhs, dict(s, I=I), dt)
        V = np.where(refr, s['V'], new['V'])
        spike = V >= pars[threshold_name]
        out = dict(s)
        out.update(new)
        out['t_last_spike'] = np.where(spike, t, s['t_last_spike'])
        out['V'] = np.where(spike, pars['V_reset'], V)
        out['refractory'] = refr | spike
        out['spike'] = spike
        reset(out, spike, pars)
        return out
    return step


# ---------------------------------------------------------------------------------------
# integrate-and-fire models
# ---------------------------------------------------------------------------------------

def test_lif_matches_reference_with_spikes_and_refractoriness():
    bm.enable_x64()
    pars = dict(V_rest=-60., V_reset=-65., V_th=-50., tau=20., tau_ref=2.)
    V0 = np.array([-60., -55., -52., -70.])
    model = bp.dyn.LIF(4, **pars, V_initializer=torch.tensor(V0))
    inputs = _inputs(400, 4, low=30., high=80.)
    got = _run(model, 400, inputs, ["V", "spike", "t_last_spike", "refractory"])
    step = _spiking_if_step(ref.lif_rhs, pars, ['V'], lambda out, sp, p: None)
    state = dict(V=V0, t_last_spike=np.full(4, -1e7), spike=np.zeros(4, bool),
                 refractory=np.zeros(4, bool))
    want = _loop(step, state, 400, inputs, ['V', 'spike', 't_last_spike', 'refractory'])
    _assert_traces(got, want)
    assert want['spike'].sum() > 10                         # the test exercises spikes
    # refractoriness: no neuron spikes twice within tau_ref
    for j in range(4):
        times = np.nonzero(want['spike'][:, j])[0] * DT
        assert np.all(np.diff(times) > pars['tau_ref'])
    assert model.spike.dtype == torch.bool and model.V.dtype == torch.float64


def test_lif_input_is_cleared_and_reset_restores_initial_state():
    model = bp.dyn.LIF(3, V_initializer=bp.init.OneInit(2.))
    model.input += 100.
    for i in range(30):
        model.update(i * 0.1, 0.1)
        assert torch.equal(model.input.value, torch.zeros(3))
        model.input += 100.
    assert bool(model.t_last_spike.value.max() > 0)
    model.reset()
    assert torch.equal(model.V.value, torch.full((3,), 2.))
    assert torch.equal(model.t_last_spike.value, torch.full((3,), -1e7))
    assert not model.spike.value.any() and not model.refractory.value.any()
    assert torch.equal(model.input.value, torch.zeros(3))


@pytest.mark.parametrize('name', ['ExpIF', 'QuaIF'])
def test_exponential_and_quadratic_if(name):
    bm.enable_x64()
    if name == 'ExpIF':
        pars = dict(V_rest=-65., V_reset=-68., V_th=-30., V_T=-59.9, delta_T=3.48, R=1., tau=10.,
                    tau_ref=1.7)
        rhs_fn = ref.expif_rhs
    else:
        pars = dict(V_rest=-65., V_reset=-68., V_th=-30., V_c=-50., c=.07, R=1., tau=10.,
                    tau_ref=0.5)
        rhs_fn = ref.quaif_rhs
    V0 = np.array([-65., -60., -58.])
    model = getattr(bp.dyn, name)(3, **pars, V_initializer=torch.tensor(V0))
    inputs = _inputs(1000, 3, seed=1, low=5., high=25.)
    names = ['V', 'spike', 't_last_spike', 'refractory']
    got = _run(model, 1000, inputs, names)
    step = _spiking_if_step(rhs_fn, pars, ['V'], lambda out, sp, p: None)
    state = dict(V=V0, t_last_spike=np.full(3, -1e7), spike=np.zeros(3, bool),
                 refractory=np.zeros(3, bool))
    want = _loop(step, state, 1000, inputs, names)
    _assert_traces(got, want, rtol=1e-8, atol=1e-8)
    assert want['spike'].sum() >= 3


@pytest.mark.parametrize('name', ['AdExIF', 'AdQuaIF'])
def test_adaptive_if(name):
    bm.enable_x64()
    if name == 'AdExIF':
        pars = dict(V_rest=-65., V_reset=-68., V_th=-30., V_T=-59.9, delta_T=3.48, a=1., b=1.,
                    tau=10., tau_w=30., R=1.)
        rhs, thr = ref.adexif_rhs(pars), 'V_th'
    else:
        pars = dict(V_rest=-65., V_reset=-68., V_th=-30., V_c=-50., a=1., b=.1, c=.07, tau=10.,
                    tau_w=10.)
        rhs, thr = ref.adquaif_rhs(pars), 'V_th'
    V0 = np.array([-65., -62.])
    model = getattr(bp.dyn, name)(2, **pars, V_initializer=torch.tensor(V0))
    inputs = _inputs(600, 2, seed=2, low=20., high=50.)
    got = _run(model, 600, inputs, ['V', 'w', 'spike'])

    def step(s, t, I, dt):
        new = ref.exp_euler(['V', 'w'], rhs, dict(s, I=I), dt)
        spike = new['V'] >= pars[thr]
        return dict(V=np.where(spike, pars['V_reset'], new['V']),
                    w=np.where(spike, new['w'] + pars['b'], new['w']), spike=spike)
    want = _loop(step, dict(V=V0, w=np.zeros(2), spike=np.zeros(2, bool)), 600, inputs,
                 ['V', 'w', 'spike'])
    _assert_traces(got, want, rtol=1e-8, atol=1e-8)
    assert want['spike'].sum() >= 4


def test_gif_matches_reference():
    bm.enable_x64()
    pars = dict(V_rest=-70., V_reset=-70., V_th_inf=-50., V_th_reset=-60., R=20., tau=20., a=0.005,
                b=0.01, k1=0.2, k2=0.02, R1=0., R2=1., A1=5., A2=-0.3)
    model = bp.dyn.GIF(2, **pars)
    inputs = _inputs(500, 2, seed=3, low=1.5, high=2.5)
    names = ['V', 'V_th', 'I1', 'I2', 'spike']
    got = _run(model, 500, inputs, names, dt=0.2)
    rhs = ref.gif_rhs(pars)

    def step(s, t, I, dt):
        new = ref.exp_euler(['I1', 'I2', 'V_th', 'V'], rhs, dict(s, I=I), dt)
        spike = s['V_th'] <= new['V']
        V = np.where(spike, pars['V_reset'], new['V'])
        I1 = np.where(spike, pars['R1'] * new['I1'] + pars['A1'], new['I1'])
        I2 = np.where(spike, pars['R2'] * new['I2'] + pars['A2'], new['I2'])
        V_th = np.where((new['V_th'] < pars['V_th_reset']) & spike, pars['V_th_reset'], new['V_th'])
        return dict(V=V, V_th=V_th, I1=I1, I2=I2, spike=spike)
    state = dict(V=np.full(2, -70.), V_th=np.full(2, -50.), I1=np.zeros(2), I2=np.zeros(2),
                 spike=np.zeros(2, bool))
    want = _loop(step, state, 500, inputs, names, dt=0.2)
    _assert_traces(got, want, rtol=1e-8, atol=1e-8)
    assert want['spike'].sum() >= 2


def test_izhikevich_matches_reference():
    bm.enable_x64()
    pars = dict(a=0.02, b=0.2, c=-65., d=8., V_th=30., tau_ref=0.5)
    V0 = np.array([-65., -70., -60.])
    model = bp.dyn.Izhikevich(3, **pars, V_initializer=torch.tensor(V0),
                              u_initializer=bp.init.OneInit(-13.))
    inputs = _inputs(600, 3, seed=4, low=10., high=20.)
    names = ['V', 'u', 'spike', 't_last_spike']
    got = _run(model, 600, inputs, names, dt=0.1)
    rhs = ref.izh_rhs(pars)

    def step(s, t, I, dt):
        new = ref.exp_euler(['V', 'u'], rhs, dict(s, I=I), dt)
        refr = (t - s['t_last_spike']) <= pars['tau_ref']
        V = np.where(refr, s['V'], new['V'])
        spike = V >= pars['V_th']
        return dict(V=np.where(spike, pars['c'], V), u=np.where(spike, new['u'] + pars['d'], new['u']),
                    spike=spike, t_last_spike=np.where(spike, t, s['t_last_spike']))
    state = dict(V=V0, u=np.full(3, -13.), spike=np.zeros(3, bool), t_last_spike=np.full(3, -1e7))
    want = _loop(step, state, 600, inputs, names, dt=0.1)
    _assert_traces(got, want, rtol=1e-8, atol=1e-8)
    assert want['spike'].sum() >= 6


def _crossing_step(rhs_fn, pars, names, thr):
    rhs = rhs_fn(pars)

    def step(s, t, I, dt):
        new = ref.exp_euler(names, rhs, dict(s, I=I), dt)
        out = dict(s)
        out.update(new)
        out['spike'] = (new['V'] >= pars[thr]) & (s['V'] < pars[thr])
        return out
    return step


def test_hindmarsh_rose_and_fhn():
    bm.enable_x64()
    pars = dict(a=1., b=3., c=1., d=5., r=0.01, s=4., V_rest=-1.6, V_th=1.0)
    model = bp.dyn.HindmarshRose(2, **pars, V_initializer=torch.tensor([-1.6, 0.]),
                                 z_initializer=bp.init.OneInit(0.5))
    inputs = _inputs(600, 2, seed=5, low=2.5, high=3.5)
    names = ['V', 'y', 'z', 'spike']
    got = _run(model, 600, inputs, names, dt=0.05)
    state = dict(V=np.array([-1.6, 0.]), y=np.full(2, -10.), z=np.full(2, 0.5), spike=np.zeros(2, bool))
    want = _loop(_crossing_step(ref.hr_rhs, pars, ['V', 'y', 'z'], 'V_th'), state, 600, inputs, names,
                 dt=0.05)
    _assert_traces(got, want, rtol=1e-8, atol=1e-8)
    assert want['spike'].sum() >= 2

    pars = dict(a=0.7, b=0.8, tau=12.5, Vth=1.8)
    model = bp.dyn.FHN(2, **pars, V_initializer=torch.tensor([0., -1.]))
    inputs = _inputs(500, 2, seed=6, low=0.8, high=1.2)
    got = _run(model, 500, inputs, ['V', 'w', 'spike'], dt=0.1)
    state = dict(V=np.array([0., -1.]), w=np.zeros(2), spike=np.zeros(2, bool))
    want = _loop(_crossing_step(ref.fhn_rhs, pars, ['V', 'w'], 'Vth'), state, 500, inputs,
                 ['V', 'w', 'spike'], dt=0.1)
    _assert_traces(got, want, rtol=1e-8, atol=1e-8)
    assert want['spike'].sum() >= 2


# ---------------------------------------------------------------------------------------
# conductance-based models
# ---------------------------------------------------------------------------------------

HH_PARS = dict(ENa=50., gNa=120., EK=-77., gK=36., EL=-54.387, gL=0.03, V_th=20., C=1.0)


@pytest.mark.parametrize('method', ['exp_auto', 'rk4'])
def test_hh_matches_reference(method):
    bm.enable_x64()
    V0 = np.array([-65., -70., -60.])
    model = bp.dyn.HH(3, **HH_PARS, V_initializer=torch.tensor(V0), method=method)
    dt = 0.05
    inputs = _inputs(500, 3, seed=7, low=10., high=20.)
    names = ['V', 'm', 'h', 'n', 'spike']
    got = _run(model, 500, inputs, names, dt=dt)
    rhs = ref.hh_rhs(HH_PARS)

    def step(s, t, I, dt):
        if method == 'rk4':
            new = ref.rk4(['V', 'm', 'h', 'n'], rhs, dict(s, I=I), dt, t)
        else:
            new = ref.exp_euler(['V', 'm', 'h', 'n'], rhs, dict(s, I=I), dt)
        spike = (s['V'] < HH_PARS['V_th']) & (new['V'] >= HH_PARS['V_th'])
        return dict(new, spike=spike)
    state = dict(V=V0, m=np.full(3, 0.5), h=np.full(3, 0.6), n=np.full(3, 0.32), spike=np.zeros(3, bool))
    want = _loop(step, state, 500, inputs, names, dt=dt)
    _assert_traces(got, want, rtol=1e-7, atol=1e-7)
    assert want['spike'].sum() >= 6


def test_morris_lecar_and_wang_buzsaki():
    bm.enable_x64()
    pars = dict(V_Ca=130., g_Ca=4.4, V_K=-84., g_K=8., V_leak=-60., g_leak=2., C=20., V1=-1.2,
                V2=18., V3=2., V4=30., phi=0.04, V_th=10.)
    V0 = np.array([-60., -40.])
    model = bp.dyn.MorrisLecar(2, **pars, V_initializer=torch.tensor(V0))
    inputs = _inputs(600, 2, seed=8, low=80., high=120.)
    got = _run(model, 600, inputs, ['V', 'W', 'spike'], dt=0.2)
    rhs = ref.ml_rhs(pars)

    def step(s, t, I, dt):
        new = ref.exp_euler(['V', 'W'], rhs, dict(s, I=I), dt)
        return dict(new, spike=(s['V'] < pars['V_th']) & (new['V'] >= pars['V_th']))
    want = _loop(step, dict(V=V0, W=np.full(2, 0.02), spike=np.zeros(2, bool)), 600, inputs,
                 ['V', 'W', 'spike'], dt=0.2)
    _assert_traces(got, want, rtol=1e-8, atol=1e-8)
    assert want['spike'].sum() >= 2

    pars = dict(ENa=55., gNa=35., EK=-90., gK=9., EL=-65, gL=0.1, V_th=20., phi=5.0, C=1.0)
    model = bp.dyn.WangBuzsakiModel(2, **pars)
    inputs = _inputs(400, 2, seed=9, low=1., high=3.)
    got = _run(model, 400, inputs, ['V', 'h', 'n', 'spike'], dt=0.05)
    rhs = ref.wb_rhs(pars)

    def step(s, t, I, dt):
        new = ref.exp_euler(['V', 'h', 'n'], rhs, dict(s, I=I), dt)
        return dict(new, spike=(s['V'] < pars['V_th']) & (new['V'] >= pars['V_th']))
    state = dict(V=np.full(2, -65.), h=np.full(2, 0.6), n=np.full(2, 0.32), spike=np.zeros(2, bool))
    want = _loop(step, state, 400, inputs, ['V', 'h', 'n', 'spike'], dt=0.05)
    _assert_traces(got, want, rtol=1e-7, atol=1e-7)
    assert want['spike'].sum() >= 2


def test_pinsky_rinzel_matches_reference():
    bm.enable_x64()
    pars = dict(gNa=30., gK=15., gCa=10., gAHP=0.8, gC=15., gL=0.1, ENa=60., EK=-75., ECa=80.,
                EL=-60., gc=2.1, V_th=20., Cm=3.0, p=0.5)
    model = bp.dyn.PinskyRinzelModel(2, **pars)
    names = ['Vs', 'Vd', 'Ca', 'h', 'n', 's', 'c', 'q']
    steps, dt = 300, 0.05
    inputs = _inputs(steps, 2, seed=10, low=2., high=6.)
    got = _run(model, steps, inputs, names, input_name='Is', dt=dt)
    pr = ref.PR(pars)
    Vs, Vd, Ca = np.full(2, -64.6), np.full(2, -64.5), np.full(2, 0.2)
    state = dict(Vs=Vs, Vd=Vd, Ca=Ca, h=pr.inf(pr.ah(Vs), pr.bh(Vs)), n=pr.inf(pr.an(Vs), pr.bn(Vs)),
                 s=pr.inf(pr.as_(Vd), pr.bs(Vd)), c=pr.inf(pr.ac(Vd), pr.bc(Vd)),
                 q=pr.inf(pr.aq(Ca), 1e-3))
    model2 = bp.dyn.PinskyRinzelModel(2, **pars)
    for n in names:
        np.testing.assert_allclose(model2.__dict__[n].value.numpy(), state[n], err_msg=n)
    rhs = pr.rhs()

    def step(s, t, I, dt):
        return ref.exp_euler(names, rhs, dict(s, Is=I, Id=np.zeros(2)), dt)
    want = _loop(step, state, steps, inputs, names, dt=dt)
    _assert_traces(got, want, rtol=1e-7, atol=1e-7)
    assert want['Vs'].max() > 0.            # it fires


# ---------------------------------------------------------------------------------------
# conventions
# ---------------------------------------------------------------------------------------

ALL_NEURONS = ['LIF', 'ExpIF', 'AdExIF', 'QuaIF', 'AdQuaIF', 'GIF', 'Izhikevich', 'HindmarshRose',
               'FHN', 'HH', 'MorrisLecar', 'WangBuzsakiModel']


@pytest.mark.parametrize('name', ALL_NEURONS)
def test_keep_size_and_update_forms(name):
    cls = getattr(bp.dyn, name)
    flat = cls((2, 3))
    grid = cls((2, 3), keep_size=True)
    assert flat.V.shape == (6,) and grid.V.shape == (2, 3)
    assert grid.spike.shape == (2, 3) and grid.spike.dtype == torch.bool
    grid.V.value = flat.V.value.reshape(2, 3).clone()
    for key in ('w', 'u', 'y', 'z', 'W', 'm', 'h', 'n', 'I1', 'I2', 'V_th'):
        if isinstance(flat.__dict__.get(key), bm.Variable):
            grid.__dict__[key].value = flat.__dict__[key].value.reshape(2, 3).clone()
    # BrainPy 2.1's update(t, dt) for one, 2.2's update(tdi, x) for the other
    for i in range(20):
        flat.input += 5.
        flat.update(i * 0.1, 0.1)
        grid.update(bp.dyn.SharedArgs(t=i * 0.1, dt=0.1), torch.full((2, 3), 5.))
    torch.testing.assert_close(grid.V.value.reshape(-1), flat.V.value)
    assert torch.equal(grid.input.value, torch.zeros(2, 3))


@pytest.mark.parametrize('name', ALL_NEURONS + ['PinskyRinzelModel'])
def test_reset_restores_every_variable(name):
    bm.random.seed(3)
    model = getattr(bp.dyn, name)(4)
    start = {k: v.value.clone() for k, v in model.vars('relative').items()}
    for i in range(50):
        if name == 'PinskyRinzelModel':
            model.Is += 3.
        else:
            model.input += 3.
        model.update(i * 0.05, 0.05)
    changed = [k for k in start if not torch.equal(start[k], model.vars('relative')[k].value)]
    assert changed
    bm.random.seed(3)
    getattr(bp.dyn, name)(4)             # draw the same initial values again
    bm.random.seed(3)
    model.reset()
    for k, v in model.vars('relative').items():
        torch.testing.assert_close(v.value, start[k], msg=k)


def test_parameters_accept_arrays_and_initializers_and_check_shapes():
    lif = bp.dyn.LIF(3, tau=torch.tensor([5., 10., 20.]), V_th=bp.init.OneInit(1.))
    assert torch.equal(lif.V_th, torch.ones(3))
    lif.input += 10.
    lif.update(0., 0.1)
    expected = 10. * (1 - np.exp(-0.1 / np.array([5., 10., 20.])))
    np.testing.assert_allclose(lif.V.numpy(), expected, rtol=1e-5)
    with pytest.raises(ValueError, match=r'\(\), \(1,\) or \(3,\)'):
        bp.dyn.LIF(3, tau=torch.ones(4))
    with pytest.raises(ValueError, match='V_initializer'):
        bp.dyn.LIF(3, V_initializer='zeros')
    with pytest.raises(bp.errors.ModelBuildError, match='size'):
        bp.dyn.LIF('three')
    with pytest.raises(ValueError, match='noise_type'):
        bp.dyn.LIF(3, noise=1., noise_type='other')


def test_lif_noise_is_an_sde_with_the_documented_diffusion():
    bm.random.seed(0)
    lif = bp.dyn.LIF(20000, V_rest=0., V_th=1e9, tau=10., noise=2., method='euler')
    lif.update(0., 0.1)
    # Euler-Maruyama from V=0 with I=0: V = noise / sqrt(tau) * sqrt(dt) * N(0, 1)
    std = float(lif.V.value.std())
    assert abs(std - 2. / np.sqrt(10.) * np.sqrt(0.1)) < 0.01
    assert isinstance(lif.integral, bp.sde.SDEIntegrator)


def test_lif_with_surrogate_spikes_trains_like_torch_autograd():
    """bm.grad of a loss over a few steps of a LIF with surrogate spikes equals
    torch.autograd of the same steps written out by hand."""
    bm.random.seed(0)
    n, steps, dt = 5, 30, 0.5
    w_init = torch.linspace(0.5, 1.5, n)
    drive = torch.rand(steps, n) * 60.
    lif = bp.dyn.LIF(n, V_rest=0., V_reset=0., V_th=1., tau=5., tau_ref=1.,
                     spike_fun=bm.surrogate.sigmoid)
    w = bm.TrainVar(w_init.clone())

    def loss():
        lif.reset()
        total = 0.
        for i in range(steps):
            lif.input += drive[i] * w
            lif.update(i * dt, dt)
            total = total + lif.spike.value.sum() * (i + 1) / steps
        return total

    grads, value = bm.grad(loss, grad_vars=w, return_value=True)()

    # the same steps by hand (exponential Euler of the linear LIF is exact)
    wt = w_init.clone().requires_grad_()
    V = torch.zeros(n)
    t_last = torch.full((n,), -1e7)
    total = 0.
    decay = np.exp(-dt / 5.)
    for i in range(steps):
        t = i * dt
        refr = (t - t_last) <= 1.
        V_new = V * decay + (drive[i] * wt) * (1 - decay)
        V_new = torch.where(refr, V, V_new)
        spike = bm.surrogate.sigmoid(V_new - 1.)
        fired = spike.detach() > 0
        V = V_new + (0. - V_new) * spike.detach()
        t_last = torch.where(fired, t, t_last)
        total = total + spike.sum() * (i + 1) / steps
    (want,) = torch.autograd.grad(total, wt)
    torch.testing.assert_close(value, total.detach())
    torch.testing.assert_close(grads, want, rtol=1e-4, atol=1e-5)
    assert float(grads.abs().sum()) > 0
