"""Synapse models of bp.dyn: conductances against closed forms and NumPy integrations,
dense and sparse layouts and both kernels agreeing, delays, trainable weights under bm.grad,
STP, and the synapse_models tutorial's equivalent formulations."""

import numpy as np
import pytest
import torch

import bptorch as bp
import bptorch.math as bm

import dyn_reference as ref


class Probe(bp.dyn.NeuGroup):
    """A group whose spikes are set by hand and whose V stays put."""

    def __init__(self, size, V=-60., **kw):
        super().__init__(size, **kw)
        self.V = bm.Variable(torch.full((self.num,), V, dtype=bm.float64 if bm.x64_enabled() else bm.float32))
        self.input = bm.Variable(torch.zeros_like(self.V.value))
        self.spike = bm.Variable(torch.zeros(self.num, dtype=torch.bool))
        self.refractory = bm.Variable(torch.zeros(self.num, dtype=torch.bool))

    def update(self, t, dt):
        pass


def _drive(syn, spikes, dt=0.1, record='input'):
    """Step ``syn`` with the given pre spikes (steps, pre); the post input of each step."""
    out = []
    for i, s in enumerate(spikes):
        syn.pre.spike.value = torch.as_tensor(s, dtype=torch.bool)
        syn.post.input.value = torch.zeros_like(syn.post.input.value)
        syn.update(i * dt, dt)
        out.append(getattr(syn.post, record).value.detach().clone().numpy())
    return np.array(out)


def _single_spike(steps, n=1):
    spikes = np.zeros((steps, n), bool)
    spikes[0] = True
    return spikes


# ---------------------------------------------------------------------------------------
# a single spike: closed forms
# ---------------------------------------------------------------------------------------

def test_exponential_synapses_after_one_spike():
    bm.enable_x64()
    dt, tau, g_max = 0.1, 5., 0.7
    pre, post = Probe(1), Probe(1, V=-65.)
    cuba = bp.dyn.ExpCUBA(pre, post, bp.conn.One2One(), g_max=g_max, tau=tau)
    got = _drive(cuba, _single_spike(40), dt)[:, 0]
    closed = g_max * np.exp(-np.arange(40) * dt / tau)
    np.testing.assert_allclose(got, closed, rtol=1e-10)
    pre, post = Probe(1), Probe(1, V=-65.)
    coba = bp.dyn.ExpCOBA(pre, post, bp.conn.One2One(), g_max=g_max, tau=tau, E=-80.)
    got = _drive(coba, _single_spike(40), dt)[:, 0]
    np.testing.assert_allclose(got, closed * (-80. + 65.), rtol=1e-10)
    coba.reset()
    assert torch.equal(coba.g.value, torch.zeros(1, dtype=torch.float64))


def test_dual_exponential_and_alpha_after_one_spike():
    bm.enable_x64()
    dt, td, tr = 0.01, 6., 1.5
    pre, post = Probe(1), Probe(1)
    syn = bp.dyn.DualExpCUBA(pre, post, bp.conn.One2One(), g_max=2., tau_decay=td, tau_rise=tr)
    steps = 1500
    got = _drive(syn, _single_spike(steps), dt)[:, 0]
    # the exponential Euler of the method, by hand: h exact, g with h at its old value
    g = h = 0.
    want = []
    for i in range(steps):
        g, h = g * np.exp(-dt / td) + h * td * (1 - np.exp(-dt / td)), h * np.exp(-dt / tr)
        h += 1. if i == 0 else 0.
        want.append(2. * g)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
    # ... and close to the closed form of the equations
    t = np.arange(steps) * dt
    closed = 2. * tr * td / (td - tr) * (np.exp(-t / td) - np.exp(-t / tr))
    np.testing.assert_allclose(got[1:], closed[:-1], rtol=0, atol=2e-2 * closed.max())
    pre, post = Probe(1), Probe(1)
    alpha = bp.dyn.AlphaCUBA(pre, post, bp.conn.One2One(), tau_decay=td)
    got = _drive(alpha, _single_spike(steps), dt)[:, 0]
    closed = t * np.exp(-t / td)
    np.testing.assert_allclose(got[1:], closed[:-1], rtol=0, atol=2e-2 * closed.max())
    pre, post = Probe(1), Probe(1, V=-50.)
    acoba = bp.dyn.AlphaCOBA(pre, post, bp.conn.One2One(), tau_decay=td, E=10.)
    np.testing.assert_allclose(_drive(acoba, _single_spike(50), dt)[:, 0], got[:50] * 60., rtol=1e-9)


def test_nmda_ampa_gabaa_against_numpy_integrations():
    bm.enable_x64()
    dt, steps = 0.1, 300
    spikes = np.zeros((steps, 2), bool)
    spikes[[0, 30, 35, 120], 0] = True
    spikes[[10, 200], 1] = True
    V = np.array([-65., -40.])
    # NMDA
    pars = dict(E=0., cc_Mg=1.2, alpha=0.062, beta=3.57, tau_decay=100., a=0.5, tau_rise=2.)
    pre, post = Probe(2), Probe(2)
    post.V.value = torch.tensor(V)
    syn = bp.dyn.NMDA(pre, post, bp.conn.One2One(), g_max=0.15, **pars)
    got = _drive(syn, spikes, dt)
    rhs = {'g': lambda s: -s['g'] / pars['tau_decay'] + pars['a'] * s['x'] * (1 - s['g']),
           'x': lambda s: -s['x'] / pars['tau_rise']}
    state, want = dict(g=np.zeros(2), x=np.zeros(2)), []
    for i in range(steps):
        state = ref.exp_euler(['g', 'x'], rhs, state, dt)
        state['x'] = state['x'] + spikes[i]
        g_inf = 1 + pars['cc_Mg'] / pars['beta'] * np.exp(-pars['alpha'] * V)
        want.append(0.15 * state['g'] * (pars['E'] - V) / g_inf)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
    # AMPA and GABAa: transmitter for T_duration after each spike
    for cls, p in ((bp.dyn.AMPA, dict(g_max=0.42, E=0., alpha=0.98, beta=0.18, T=0.5, T_duration=0.5)),
                   (bp.dyn.GABAa, dict(g_max=0.04, E=-80., alpha=0.53, beta=0.18, T=1., T_duration=1.))):
        pre, post = Probe(2), Probe(2)
        post.V.value = torch.tensor(V)
        syn = cls(pre, post, bp.conn.One2One(), **{k: v for k, v in p.items()})
        got = _drive(syn, spikes, dt)
        g, arrival, want = np.zeros(2), np.full(2, -1e7), []
        for i in range(steps):
            t = i * dt
            arrival = np.where(spikes[i], t, arrival)
            TT = ((t - arrival) < p['T_duration']) * p['T']
            rhs = {'g': lambda s: p['alpha'] * TT * (1 - s['g']) - p['beta'] * s['g']}
            g = ref.exp_euler(['g'], rhs, {'g': g}, dt)['g']
            want.append(-p['g_max'] * g * (V - p['E']))
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12, err_msg=cls.__name__)


def test_delta_synapse_jumps_and_respects_refractoriness():
    pre, post = Probe(2), Probe(3, V=0.)
    syn = bp.dyn.DeltaSynapse(pre, post, bp.conn.All2All(), weights=2.)
    pre.spike.value = torch.tensor([True, True])
    syn.update(0., 0.1)
    assert torch.equal(post.V.value, torch.full((3,), 4.))
    ref_syn = bp.dyn.DeltaSynapse(pre, post, bp.conn.All2All(), weights=1., post_has_ref=True)
    post.refractory.value = torch.tensor([True, False, False])
    ref_syn.update(0., 0.1)
    assert torch.equal(post.V.value, torch.tensor([4., 6., 6.]))
    with pytest.raises(bp.errors.ModelBuildError, match='attribute "w"'):
        bp.dyn.DeltaSynapse(pre, post, bp.conn.All2All(), post_key='w')


# ---------------------------------------------------------------------------------------
# layouts and kernels
# ---------------------------------------------------------------------------------------

SYNAPSES = ['ExpCUBA', 'ExpCOBA', 'DualExpCUBA', 'DualExpCOBA', 'AlphaCUBA', 'AlphaCOBA', 'NMDA',
            'AMPA', 'GABAa', 'DeltaSynapse']


def _weights_kw(name, value):
    return {'weights' if name == 'DeltaSynapse' else 'g_max': value}


@pytest.mark.parametrize('name', SYNAPSES)
def test_dense_and_sparse_layouts_and_both_kernels_agree(name):
    bm.enable_x64()
    rng = np.random.RandomState(0)
    spikes = rng.rand(25, 12) < 0.3
    results = []
    W = torch.tensor(rng.rand(12, 9) + 0.5)
    mask = torch.tensor(rng.rand(12, 9) < 0.3)
    for conn_type in ('dense', 'sparse'):
        for kernel in ('matmul', 'scatter'):
            for heter in (False, True):
                pre, post = Probe(12), Probe(9, V=-55.)
                conn = mask
                if heter:
                    c = bp.conn.MatConn(mask)(12, 9)
                    if conn_type == 'dense':
                        w = W
                    else:
                        ids = c.require('pre2post' if name in ('ExpCUBA', 'ExpCOBA', 'DeltaSynapse')
                                        else 'pre_ids')
                        if isinstance(ids, tuple):
                            indices, indptr = ids
                            pre_ids = bm.operators.csr_pre_ids(indptr, len(indices))
                            w = W[pre_ids, indices]
                        else:
                            w = W[ids, c.require('post_ids')]
                else:
                    w = 0.8
                syn = getattr(bp.dyn, name)(pre, post, conn, conn_type=conn_type,
                                           **_weights_kw(name, w))
                syn._set_kernel(kernel)
                record = 'V' if name == 'DeltaSynapse' else 'input'
                results.append((conn_type, kernel, heter, _drive(syn, spikes, record=record)))
    for heter in (False, True):
        group = [r for r in results if r[2] == heter]
        for conn_type, kernel, _, out in group[1:]:
            np.testing.assert_allclose(out, group[0][3], rtol=1e-10, atol=1e-12,
                                       err_msg=f'{conn_type}/{kernel}/{heter}')
    assert np.abs(results[0][3]).max() > 0


def test_kernel_choice_follows_size_and_density():
    choose = bp.dyn.synapses._projection.choose_kernel
    assert choose(200, 200, 10) == 'matmul'                    # small
    assert choose(3000, 3000, 9_000_000 // 10) == 'matmul'     # dense enough
    assert choose(3000, 3000, 9_000_000 // 50) == 'scatter'    # sparse
    assert choose(5000, 5000, 10_000_000) == 'scatter'         # too large for a matrix
    pre, post = Probe(400), Probe(400)
    sparse = bp.dyn.ExpCOBA(pre, post, bp.conn.FixedProb(0.01, seed=1))
    dense = bp.dyn.ExpCOBA(pre, post, bp.conn.FixedProb(0.2, seed=1))
    assert sparse._kernel == 'scatter' and dense._kernel == 'matmul'


def test_all2all_and_one2one_forms():
    bm.enable_x64()
    rng = np.random.RandomState(2)
    spikes = rng.rand(10, 4) < 0.5
    W = torch.tensor(rng.rand(4, 4))
    for include_self in (True, False):
        outs = []
        for g in (0.5, W):
            pre, post = Probe(4), Probe(4)
            syn = bp.dyn.ExpCUBA(pre, post, bp.conn.All2All(include_self=include_self), g_max=g)
            outs.append(_drive(syn, spikes))
        mask = np.ones((4, 4)) if include_self else 1 - np.eye(4)
        for out, Wm in zip(outs, (0.5 * mask, W.numpy() * mask)):
            g, want = np.zeros(4), []
            for i in range(10):
                g = g * np.exp(-0.1 / 8.) + spikes[i] @ Wm
                want.append(g)
            np.testing.assert_allclose(out, want, rtol=1e-10)
    pre, post = Probe(3), Probe(3)
    syn = bp.dyn.ExpCUBA(pre, post, bp.conn.One2One(), g_max=torch.tensor([1., 2., 3.]))
    out = _drive(syn, [[True, False, True]])
    np.testing.assert_allclose(out[0], [1., 0., 3.])
    with pytest.raises(ValueError, match='conn_type'):
        bp.dyn.ExpCUBA(pre, post, bp.conn.One2One(), conn_type='csr')
    with pytest.raises(ValueError, match='Must provide "conn"'):
        bp.dyn.ExpCUBA(pre, post, None)
    with pytest.raises(ValueError, match='tau'):
        bp.dyn.ExpCUBA(pre, post, bp.conn.One2One(), tau=torch.ones(3))


# ---------------------------------------------------------------------------------------
# delays
# ---------------------------------------------------------------------------------------

def test_delayed_spikes_arrive_delay_step_plus_one_updates_later():
    """BrainPy 2.1.12: the synapse reads the delay before recording the current spikes,
    so with ``delay_step=d`` a spike acts ``d + 1`` updates after it would without delay."""
    def first_arrival(delay_step, spikes):
        pre, post = Probe(2), Probe(2)
        syn = bp.dyn.ExpCUBA(pre, post, bp.conn.One2One(), delay_step=delay_step)
        out = _drive(syn, spikes)
        return [int(np.argmax(out[:, j] > 0)) for j in range(2)]
    spikes = np.zeros((12, 2), bool)
    spikes[1] = True
    assert first_arrival(None, spikes) == [1, 1]
    assert first_arrival(0, spikes) == [2, 2]
    assert first_arrival(4, spikes) == [6, 6]
    assert first_arrival(bm.asarray([2, 5]), spikes) == [4, 7]       # one delay per pre neuron


def test_synapses_from_one_group_share_its_delay():
    pre = Probe(1, name='SharedPre')
    a_post, b_post = Probe(1), Probe(1)
    a = bp.dyn.ExpCUBA(pre, a_post, bp.conn.One2One(), delay_step=3)
    b = bp.dyn.ExpCUBA(pre, b_post, bp.conn.One2One(), delay_step=3)
    assert a.local_delay_vars['SharedPre.spike'] is b.global_delay_vars['SharedPre.spike']
    assert 'SharedPre.spike' not in b.local_delay_vars
    arrivals = {id(a): None, id(b): None}
    for i in range(10):
        pre.spike.value = torch.tensor([i == 1])
        for syn in (a, b):
            syn.post.input.value = torch.zeros(1)
            syn.update(i * 0.1, 0.1)
            if arrivals[id(syn)] is None and float(syn.post.input[0]) > 0:
                arrivals[id(syn)] = i
    # a reads, then records; b reads after a recorded (BrainPy 2.1.12's shared delay)
    assert arrivals[id(a)] == 5 and arrivals[id(b)] == 4


# ---------------------------------------------------------------------------------------
# trainable weights
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize('conn_type,kernel', [('sparse', 'scatter'), ('sparse', 'matmul'),
                                              ('dense', 'matmul'), ('dense', 'scatter')])
def test_trainable_weights_get_gradients_like_torch_autograd(conn_type, kernel):
    torch.manual_seed(0)
    mask = torch.rand(6, 5) < 0.4
    conn = bp.conn.MatConn(mask)(6, 5)
    pre_ids, post_ids = conn.require('pre_ids', 'post_ids')
    indices, indptr = conn.require('pre2post')
    if conn_type == 'sparse':
        w0 = torch.rand(len(indices)) + 0.5
    else:
        w0 = torch.rand(6, 5) + 0.5
    spikes = torch.rand(8, 6) < 0.5
    pre, post = Probe(6), Probe(5, V=-60.)
    w = bm.TrainVar(w0.clone())
    syn = bp.dyn.ExpCOBA(pre, post, mask, conn_type=conn_type, g_max=w, tau=4.)
    syn._set_kernel(kernel)

    def loss():
        syn.reset()
        total = 0.
        for i in range(8):
            pre.spike.value = spikes[i]
            post.input.value = torch.zeros(5)
            syn.update(i * 0.1, 0.1)
            total = total + (post.input.value ** 2).sum()
        return total

    grads, value = bm.grad(loss, grad_vars=w, return_value=True)()
    wt = w0.clone().requires_grad_()
    if conn_type == 'sparse':
        syn_pre = bm.operators.csr_pre_ids(indptr, len(indices))
        Wd = torch.zeros(6, 5).index_put((syn_pre, indices), wt, accumulate=True)
    else:
        Wd = wt * conn.require('conn_mat').float()
    g = torch.zeros(5)
    total = 0.
    for i in range(8):
        g = g * np.exp(-0.1 / 4.) + spikes[i].float() @ Wd
        total = total + ((g * (0. + 60.)) ** 2).sum()
    (want,) = torch.autograd.grad(total, wt)
    torch.testing.assert_close(value, total.detach(), rtol=1e-5, atol=1e-4)
    torch.testing.assert_close(grads, want, rtol=1e-4, atol=1e-3)
    # plain torch training works too: the TrainVar is a parameter of the synapse
    assert any(p is w.value for p in syn.parameters())


# ---------------------------------------------------------------------------------------
# short-term plasticity
# ---------------------------------------------------------------------------------------

def test_stp_matches_brainpys_update():
    bm.enable_x64()
    U, tau_f, tau_d, tau, A = 0.2, 50., 100., 5., 1.5
    pre, post = Probe(3), Probe(2)
    conn = bp.conn.FixedProb(0.7, seed=5)
    stp = bp.dyn.STP(pre, post, conn, U=U, tau_f=tau_f, tau_d=tau_d, tau=tau, A=A)
    pre_ids, post_ids = stp.pre_ids.numpy(), stp.post_ids.numpy()
    rng = np.random.RandomState(6)
    spikes = rng.rand(60, 3) < 0.3
    got = _drive(stp, spikes, 0.5)
    n = len(pre_ids)
    x, u, I = np.ones(n), np.zeros(n), np.zeros(n)
    want = []
    for i in range(60):
        want.append(np.bincount(post_ids, weights=I, minlength=2))
        I_new, u_new, x_new = I * np.exp(-0.5 / tau), u * np.exp(-0.5 / tau_f), \
            1 + (x - 1) * np.exp(-0.5 / tau_d)
        sp = spikes[i][pre_ids]
        u_new = np.where(sp, u_new + U * (1 - u), u_new)
        x_new2 = np.where(sp, x_new - u_new * x, x_new)
        I = np.where(sp, I_new + A * u_new * x, I_new)
        u, x = u_new, x_new2
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
    stp.reset()
    assert torch.equal(stp.x.value, torch.ones(n, dtype=torch.float64))
    delayed = bp.dyn.STP(Probe(3), Probe(2), conn, delay_step=2)
    delayed.reset()
    assert delayed.delay_type == 'homo'


# ---------------------------------------------------------------------------------------
# the synapse_models tutorial (imports changed; DSRunner replaced by a loop)
# ---------------------------------------------------------------------------------------

class BaseExpSyn(bp.dyn.TwoEndConn):
    def __init__(self, pre, post, conn, g_max=1., delay=0., tau=8.0, E=0., method='exp_auto'):
        super(BaseExpSyn, self).__init__(pre=pre, post=post, conn=conn)
        self.check_pre_attrs('spike')
        self.check_post_attrs('input', 'V')
        self.E = E
        self.tau = tau
        self.delay = delay
        self.g_max = g_max
        self.delay_step = int(delay / bm.get_dt())
        self.pre_spike = bm.LengthDelay(pre.spike, self.delay_step)
        self.integral = bp.odeint(lambda g, t: -g / self.tau, method=method)


class BaseAMPASyn(bp.dyn.TwoEndConn):
    def __init__(self, pre, post, conn, delay=0., g_max=0.42, E=0., alpha=0.98,
                 beta=0.18, T=0.5, T_duration=0.5, method='exp_auto'):
        super(BaseAMPASyn, self).__init__(pre=pre, post=post, conn=conn)
        self.check_pre_attrs('spike')
        self.check_post_attrs('input', 'V')
        self.delay = delay
        self.g_max = g_max
        self.E = E
        self.alpha = alpha
        self.beta = beta
        self.T = T
        self.T_duration = T_duration
        self.delay_step = int(delay / bm.get_dt())
        self.pre_spike = bm.LengthDelay(pre.spike, self.delay_step)
        self.spike_arrival_time = bm.Variable(bm.ones(self.pre.num) * -1e7)
        self.integral = bp.odeint(self.derivative, method=method)

    def derivative(self, g, t, TT):
        dg = self.alpha * TT * (1 - g) - self.beta * g
        return dg


class ExpConnMat(BaseExpSyn):
    def __init__(self, *args, **kwargs):
        super(ExpConnMat, self).__init__(*args, **kwargs)
        self.conn_mat = self.conn.require('conn_mat')
        self.g = bm.Variable(bm.zeros(self.post.num))

    def update(self, _t, _dt):
        delayed_spike = self.pre_spike(self.delay_step)
        self.pre_spike.update(self.pre.spike)
        self.g.value = self.integral(self.g, _t, dt=_dt)
        post_sps = bm.dot(delayed_spike, self.conn_mat)
        self.g += post_sps
        self.post.input += self.g_max * self.g * (self.E - self.post.V)


class AMPAConnMat(BaseAMPASyn):
    def __init__(self, *args, **kwargs):
        super(AMPAConnMat, self).__init__(*args, **kwargs)
        self.conn_mat = self.conn.require('conn_mat')
        self.g = bm.Variable(bm.zeros((self.pre.num, self.post.num)))

    def update(self, _t, _dt):
        delayed_spike = self.pre_spike(self.delay_step)
        self.pre_spike.update(self.pre.spike)
        self.spike_arrival_time.value = bm.where(delayed_spike, _t, self.spike_arrival_time)
        TT = ((_t - self.spike_arrival_time) < self.T_duration) * self.T
        TT = TT.reshape((-1, 1)) * self.conn_mat
        self.g.value = self.integral(self.g, _t, TT, dt=_dt)
        g_post = self.g.sum(axis=0)
        self.post.input += self.g_max * g_post * (self.E - self.post.V)


class ExpAll2All(BaseExpSyn):
    def __init__(self, *args, **kwargs):
        super(ExpAll2All, self).__init__(*args, **kwargs)
        self.g = bm.Variable(bm.zeros(self.post.num))

    def update(self, _t, _dt):
        delayed_spike = self.pre_spike(self.delay_step)
        self.pre_spike.update(self.pre.spike)
        self.g.value = self.integral(self.g, _t, dt=_dt)
        self.g += delayed_spike.sum()
        self.post.input += self.g_max * self.g * (self.E - self.post.V)


class AMPAAll2All(BaseAMPASyn):
    def __init__(self, *args, **kwargs):
        super(AMPAAll2All, self).__init__(*args, **kwargs)
        self.g = bm.Variable(bm.zeros((self.pre.num, self.post.num)))

    def update(self, _t, _dt):
        delayed_spike = self.pre_spike(self.delay_step)
        self.pre_spike.update(self.pre.spike)
        self.spike_arrival_time.value = bm.where(delayed_spike, _t, self.spike_arrival_time)
        TT = ((_t - self.spike_arrival_time) < self.T_duration) * self.T
        TT = TT.reshape((-1, 1))
        self.g.value = self.integral(self.g, _t, TT, dt=_dt)
        g_post = self.g.sum(axis=0)
        self.post.input += self.g_max * g_post * (self.E - self.post.V)


class ExpSparse(BaseExpSyn):
    def __init__(self, *args, **kwargs):
        super(ExpSparse, self).__init__(*args, **kwargs)
        self.pre2post = self.conn.require('pre2post')
        self.g = bm.Variable(bm.zeros(self.post.num))

    def update(self, _t, _dt):
        delayed_spike = self.pre_spike(self.delay_step)
        self.pre_spike.update(self.pre.spike)
        self.g.value = self.integral(self.g, _t, dt=_dt)
        post_sps = bm.pre2post_event_sum(delayed_spike, self.pre2post, self.post.num, 1.)
        self.g += post_sps
        self.post.input += self.g_max * self.g * (self.E - self.post.V)


class AMPASparse(BaseAMPASyn):
    def __init__(self, *args, **kwargs):
        super(AMPASparse, self).__init__(*args, **kwargs)
        self.pre_ids, self.post_ids = self.conn.require('pre_ids', 'post_ids')
        self.g = bm.Variable(bm.zeros(len(self.pre_ids)))

    def update(self, _t, _dt):
        delayed_spike = self.pre_spike(self.delay_step)
        self.pre_spike.update(self.pre.spike)
        self.spike_arrival_time.value = bm.where(delayed_spike, _t, self.spike_arrival_time)
        arrival_times = bm.pre2syn(self.spike_arrival_time, self.pre_ids)
        TT = ((_t - arrival_times) < self.T_duration) * self.T
        self.g.value = self.integral(self.g, _t, TT, dt=_dt)
        g_post = bm.syn2post(self.g, self.post_ids, self.post.num)
        self.post.input += self.g_max * g_post * (self.E - self.post.V)


def _show_syn_model(model, steps=250):
    """The tutorial's show_syn_model, with a loop instead of DSRunner."""
    pre = bp.dyn.LIF(1, V_rest=-60., V_reset=-60., V_th=-40.)
    post = bp.dyn.LIF(1, V_rest=-60., V_reset=-60., V_th=-40.)
    syn = model(pre, post, conn=bp.conn.One2One())
    net = bp.dyn.Network(pre=pre, post=post, syn=syn)
    g, Vpost = [], []
    for i in range(steps):
        pre.input += 22.
        net.update(i * bm.get_dt(), bm.get_dt())
        g.append(syn.g.value.detach().clone().reshape(-1).numpy())
        Vpost.append(post.V.value.detach().clone().numpy())
    return np.array(g), np.array(Vpost)


def test_synapse_models_tutorial_formulations_agree_with_bp_dyn():
    g_mat, V_mat = _show_syn_model(ExpConnMat)
    g_all, V_all = _show_syn_model(ExpAll2All)
    g_sp, V_sp = _show_syn_model(ExpSparse)
    for g, V in ((g_all, V_all), (g_sp, V_sp)):
        np.testing.assert_allclose(g, g_mat, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(V, V_mat, rtol=1e-5, atol=1e-4)
    assert g_mat.max() > 0.5                 # the pre neuron fired
    a_mat, aV_mat = _show_syn_model(AMPAConnMat)
    a_all, aV_all = _show_syn_model(AMPAAll2All)
    a_sp, aV_sp = _show_syn_model(AMPASparse)
    for g, V in ((a_all, aV_all), (a_sp, aV_sp)):
        np.testing.assert_allclose(g, a_mat, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(V, aV_mat, rtol=1e-5, atol=1e-4)
    # the library's AMPA (g_max applied to the same g) gives the same post-synaptic V
    pre = bp.dyn.LIF(1, V_rest=-60., V_reset=-60., V_th=-40.)
    post = bp.dyn.LIF(1, V_rest=-60., V_reset=-60., V_th=-40.)
    syn = bp.dyn.AMPA(pre, post, bp.conn.One2One(), delay_step=0)
    net = bp.dyn.Network(pre=pre, post=post, syn=syn)
    V = []
    for i in range(250):
        pre.input += 22.
        net.update(i * bm.get_dt(), bm.get_dt())
        V.append(post.V.value.clone().numpy())
    np.testing.assert_allclose(np.array(V), aV_mat, rtol=1e-5, atol=1e-4)
