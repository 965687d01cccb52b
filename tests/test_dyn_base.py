"""bp.dyn base classes: update forms (detected once), containers and networks, stepping,
delays registered by systems, ConstantDelay, groups, connections, channels, utils, and the
dynamical_systems tutorial's cells."""

import warnings

import numpy as np
import pytest
import torch

import bptorch as bp
import bptorch.math as bm
from bptorch.dyn import base as dyn_base


class OldStyle(bp.dyn.DynamicalSystem):
    def __init__(self, log, **kw):
        super().__init__(**kw)
        self.log = log

    def update(self, _t, _dt):
        self.log.append((self.name, 'old', _t, _dt))

    def reset(self):
        self.log.append((self.name, 'reset'))


class NewStyle(bp.dyn.DynamicalSystem):
    def __init__(self, log, **kw):
        super().__init__(**kw)
        self.log = log

    def update(self, tdi, x=None):
        self.log.append((self.name, 'new', tdi.t, tdi.dt, tdi.i, tdi['t']))

    def reset(self):
        self.log.append((self.name, 'reset'))


def test_update_forms_are_read_from_signatures():
    form = dyn_base.update_form

    class A:
        def a(self, t, dt): ...
        def b(self, _t, _dt, **kw): ...
        def c(self, tdi, x=None): ...
        def d(self, sha): ...
        def e(self, s, x=None): ...
        def f(self, *args, **kwargs): ...
        def g(self, time=None, dt=None): ...
        def h(self, a, b): ...
    a = A()
    assert [form(getattr(a, k)) for k in 'abcdefgh'] == [
        'update(t, dt)', 'update(t, dt)', 'update(tdi)', 'update(tdi)', 'update(tdi)',
        'update(t, dt)', 'update(t, dt)', 'update(t, dt)']


def test_containers_call_each_child_in_its_own_form(monkeypatch):
    log = []
    a, b = OldStyle(log, name='FormA'), NewStyle(log, name='FormB')
    net = bp.dyn.Network(a, second=b)
    # the forms were found at construction: no signature is read while stepping
    def refuse(*args, **kwargs):
        raise AssertionError('inspect.signature called while stepping')
    monkeypatch.setattr(dyn_base.inspect, 'signature', refuse)
    net.update(0.5, 0.1)
    net.step_run(3)
    net.update(bp.dyn.SharedArgs(t=0.7, dt=0.1, i=7))
    dt = bm.get_dt()
    assert log == [('FormA', 'old', 0.5, 0.1), ('FormB', 'new', 0.5, 0.1, 5, 0.5),
                   ('FormA', 'old', 3 * dt, dt), ('FormB', 'new', 3 * dt, dt, 3, 3 * dt),
                   ('FormA', 'old', 0.7, 0.1), ('FormB', 'new', 0.7, 0.1, 7, 0.7)]


def test_step_and_step_run_of_both_forms():
    log = []
    old, new = OldStyle(log), NewStyle(log)
    old.step(1.0, 0.5)
    new.step(1.0, 0.5, 2)
    new.step_run(4)
    assert log[0][1:] == ('old', 1.0, 0.5)
    assert log[1][1:] == ('new', 1.0, 0.5, 2, 1.0)
    assert log[2][1:] == ('new', 4 * bm.get_dt(), bm.get_dt(), 4, 4 * bm.get_dt())
    assert old(2., 0.1) is None and log[-1][1:] == ('old', 2., 0.1)   # __call__ is update


def test_network_steps_children_in_the_order_they_were_added_and_sees_new_children():
    log = []

    class Net(bp.dyn.Network):
        def __init__(self):
            super().__init__(OldStyle(log, name='OrdC'), last=OldStyle(log, name='OrdD'))
            self.first = OldStyle(log, name='OrdE')

    net = Net()
    net.update(0., 0.1)
    assert [e[0] for e in log] == ['OrdC', 'OrdD', 'OrdE']
    net.extra = NewStyle(log, name='OrdF')          # added after a first update
    log.clear()
    net.update(0., 0.1)
    assert [e[0] for e in log] == ['OrdC', 'OrdD', 'OrdE', 'OrdF']
    del net.extra
    log.clear()
    net.update(0., 0.1)
    assert [e[0] for e in log] == ['OrdC', 'OrdD', 'OrdE']
    assert list(net.child_ds()) == ['OrdC', 'OrdD', 'OrdE']


def test_container_reset_order_access_and_errors():
    log = []
    pre, post = bp.dyn.LIF(2, name='ResetPre'), bp.dyn.LIF(2, name='ResetPost')
    syn = bp.dyn.ExpCUBA(pre, post, bp.conn.All2All(), name='ResetSyn')
    other = OldStyle(log, name='ResetOther')
    net = bp.dyn.Network(other, syn, pre=pre, post=post)
    calls = []
    for node in (pre, post, syn):
        original = node.reset
        node.reset = (lambda n, f: (lambda: (calls.append(n.name), f())))(node, original)
    net.reset()
    assert calls == ['ResetPre', 'ResetPost', 'ResetSyn'] and log == [('ResetOther', 'reset')]
    assert net['pre'] is pre and net.ResetSyn is syn
    with pytest.raises(ValueError, match='Unknown item'):
        net['nothing']
    with pytest.raises(bp.errors.ModelBuildError, match='DynamicalSystem'):
        bp.dyn.Network(bm.zeros(2))
    with pytest.raises(bp.errors.ModelBuildError, match='DynamicalSystem'):
        bp.dyn.Network(x=3)
    with pytest.raises(ValueError, match='paired'):
        bp.dyn.Network(pre, ResetPre=post)
    assert 'pre=' in repr(net)


def test_base_system_defaults():
    ds = bp.dyn.DynamicalSystem()
    with pytest.raises(NotImplementedError):
        ds.update(0., 0.1)
    with pytest.raises(NotImplementedError):
        ds.reset()
    with pytest.warns(DeprecationWarning, match='steps'):
        assert ds.steps == {}
    assert repr(ds) == f'DynamicalSystem(name={ds.name})'
    lif = bp.dyn.LIF(1, name='IntsTest')
    assert list(lif.ints()) == ['IntsTest.integral']
    assert list(bp.dyn.Network(lif).ints('relative')) == ['IntsTest.integral']


def test_shared_args():
    tdi = bp.dyn.SharedArgs(t=1.25, dt=0.25)
    assert (tdi.t, tdi.dt, tdi.i) == (1.25, 0.25, 5)
    tdi.extra = 3
    assert tdi['extra'] == 3
    with pytest.raises(AttributeError, match='shared arguments'):
        tdi.nothing
    t = torch.tensor(0.3)
    assert int(bp.dyn.SharedArgs(t=t, dt=0.1).i) == 3
    assert dyn_base.time_args(1., 0.5) == (1., 0.5, None)
    assert dyn_base.time_args({'t': 1., 'dt': 0.5}, 'x') == (1., 0.5, 'x')


# ---------------------------------------------------------------------------------------
# delays registered by systems
# ---------------------------------------------------------------------------------------

def test_register_delay_global_sharing_local_and_errors():
    x = bm.Variable(bm.zeros(3))
    a, b = bp.dyn.DynamicalSystem(), bp.dyn.DynamicalSystem()
    name = f'shared_{id(x)}'
    assert a.register_delay(name, 2, x) == 2
    assert b.register_delay(name, 4, x) == 4                  # the longer delay wins
    delay = bp.dyn.DynamicalSystem.global_delay_vars[name]
    assert delay.num_delay_step == 5
    assert name in a.local_delay_vars and name not in b.local_delay_vars   # a updates it
    a.update_delay(name, bm.ones(3))
    b.update_delay(name, bm.full((3,), 5.))                    # not b's to update
    assert torch.equal(b.get_delay_data(name, 0), torch.ones(3))
    assert torch.equal(a.get_delay_data(name, 1), torch.zeros(3))
    # each system holds the delay as a child: saved, moved, seen by vars()
    assert any(k.endswith('.data') for k in a.vars('relative'))
    assert any(k.endswith('.data') for k in b.vars('relative'))
    a.reset_delay(name, x)
    assert torch.equal(a.get_delay_data(name, 0), torch.zeros(3))
    # local delays
    steps = a.register_delay('own', bm.asarray([0, 1, 2]), x, domain='local')
    a.update_delay('own', bm.arange(3.))
    assert torch.equal(a.get_delay_data('own', steps), bm.asarray([0., 0., 0.]))
    a.update_delay('own', bm.arange(3.) + 10)
    assert torch.equal(a.get_delay_data('own', steps), bm.asarray([10., 1., 0.]))
    assert a.register_delay('none', None, x) is None
    with pytest.raises(ValueError, match='int32, int64'):
        a.register_delay('bad', bm.asarray([0.5, 1., 2.]), x)
    with pytest.raises(ValueError, match='mismatched'):
        a.register_delay('bad', bm.asarray([1, 2]), x)
    with pytest.raises(ValueError, match='domain'):
        a.register_delay('bad', 1, x, domain='other')
    with pytest.raises(ValueError, match='Unknown "delay_steps"'):
        a.register_delay('bad', 'one', x)
    with pytest.raises(ValueError, match='not defined'):
        a.get_delay_data('missing', 0)
    with pytest.raises(ValueError, match='not defined'):
        a.update_delay('missing', x)
    steps = a.register_delay('init', lambda shape: torch.arange(shape[0]), x, domain='local')
    assert steps.tolist() == [0, 1, 2] and a.local_delay_vars['init'].num_delay_step == 3


def test_constant_delay_uniform_and_per_element():
    d = bp.dyn.ConstantDelay(3, delay=0.3, dt=0.1)
    assert d.num_step == 4
    pulled = []
    for i in range(8):
        d.push(bm.ones(3) * (i + 1))          # BrainPy's order: push, pull, update
        assert float(d.latest[0]) == i + 1
        pulled.append(float(d.pull()[0]))
        d.update()
    # the value pushed at step k comes out delay / dt = 3 steps later
    assert pulled == [0., 0., 0., 1., 2., 3., 4., 5.]
    assert float(d.oldest[0]) == 6.
    buf = d.data.value
    d.push(bm.zeros(3))
    assert d.data.value is buf                    # written in place outside transforms
    d.reset()
    assert torch.equal(d.data.value, torch.zeros(4, 3))
    h = bp.dyn.ConstantDelay(2, delay=bm.asarray([0.1, 0.3]), dt=0.1)
    out = []
    for i in range(6):
        h.push(bm.ones(2) * (i + 1))
        out.append(h.pull().tolist())
        h.update()
    assert [o[0] for o in out] == [0., 1., 2., 3., 4., 5.]        # one step
    assert [o[1] for o in out] == [0., 0., 0., 1., 2., 3.]        # three steps
    with pytest.raises(bp.errors.ModelBuildError, match='size'):
        bp.dyn.ConstantDelay('3', 1.)
    with pytest.raises(NotImplementedError, match='1D'):
        bp.dyn.ConstantDelay((2, 2), bm.ones(2))


# ---------------------------------------------------------------------------------------
# groups, connections, channels
# ---------------------------------------------------------------------------------------

def test_neugroup_sizes():
    assert bp.dyn.NeuGroup(5).size == (5,)
    g = bp.dyn.NeuGroup([2, 3], keep_size=True)
    assert (g.size, g.num, g.varshape) == ((2, 3), 6, (2, 3))
    for bad in ((), (2.5,), 'a', 2.5, True):
        with pytest.raises(bp.errors.ModelBuildError, match='size must be int'):
            bp.dyn.NeuGroup(bad)


def test_two_end_conn_accepts_brainpys_connection_forms():
    pre, post = bp.dyn.LIF(3), bp.dyn.LIF(2)
    mat = torch.tensor([[1, 0], [0, 1], [1, 1]], dtype=torch.bool)
    by_mat = bp.dyn.TwoEndConn(pre, post, mat)
    assert torch.equal(by_mat.conn.require('conn_mat'), mat)
    by_ij = bp.dyn.TwoEndConn(pre, post, dict(i=[0, 2], j=[1, 1]))
    assert by_ij.conn.require('post_ids').tolist() == [1, 1]
    assert bp.dyn.TwoEndConn(pre, post).conn is None
    assert bp.dyn.TwoEndConn(pre, post, 'custom').conn == 'custom'
    with pytest.raises(bp.errors.ModelBuildError, match=r'\(3, 2\)'):
        bp.dyn.TwoEndConn(pre, post, torch.ones(2, 2))
    with pytest.raises(bp.errors.ModelBuildError, match='"i" and "j"'):
        bp.dyn.TwoEndConn(pre, post, dict(i=[0]))
    with pytest.raises(bp.errors.ModelBuildError, match='Unknown "conn"'):
        bp.dyn.TwoEndConn(pre, post, 3)
    with pytest.raises(bp.errors.ModelBuildError, match='"pre" must be'):
        bp.dyn.TwoEndConn(bm.zeros(3), post)
    syn = bp.dyn.TwoEndConn(pre, post)
    with pytest.raises(bp.errors.ModelBuildError, match='"pre" neuron group'):
        syn.check_pre_attrs('nothing')
    with pytest.raises(ValueError, match='string'):
        syn.check_post_attrs(3)


class Leak(bp.dyn.Channel):
    master_cls = bp.dyn.ConNeuGroup

    def __init__(self, size, g=0.1, E=-70., name=None):
        super().__init__(size, name=name)
        self.g, self.E = g, E
        self.seen = []

    def current(self, V):
        return self.g * (self.E - V)

    def update(self, t, dt, V):
        self.seen.append(V.clone())

    def reset(self):
        pass


def test_conneugroup_with_channels_matches_reference_and_wrappers():
    bm.enable_x64()
    cell = bp.dyn.ConNeuGroup(2, C=2., A=1e-3, V_th=-55., V_initializer=torch.tensor([-60., -58.]),
                              IL=Leak(2, g=0.1, E=-70.), IK=Leak(2, g=0.05, E=-90.))
    V = np.array([-60., -58.])
    crossed = np.zeros(2, bool)
    for i in range(200):
        cell.input += 3e-3 * 1e3          # input * 1e-3 / A = 3
        cell.update(i * 0.1, 0.1)
        # dV/dt = (3 + 0.1 (-70 - V) + 0.05 (-90 - V)) / 2: linear, so exp-Euler is exact
        a, c = -(0.1 + 0.05) / 2, (3 + 0.1 * -70 + 0.05 * -90) / 2
        V_inf = -c / a
        V_new = V_inf + (V - V_inf) * np.exp(a * 0.1)
        crossed |= (V_new >= -55.) & (V < -55.)
        V = V_new
    np.testing.assert_allclose(cell.V.numpy(), V, rtol=1e-9)
    assert len(cell.IL.seen) == 200 and torch.equal(cell.input.value, torch.zeros(2, dtype=torch.float64))
    make = bp.dyn.ConNeuGroup.has(IL=Leak)
    built = make(3, IL=dict(g=0.3))
    assert built.IL.g == 0.3 and built.IL.master is built and 'IL' in repr(make)
    with pytest.raises(TypeError, match='subclass of Channel'):
        bp.dyn.ConNeuGroup.has(IL=bp.dyn.LIF)

    class Free(bp.dyn.Channel):
        pass
    with pytest.raises(TypeError, match='master_cls'):
        bp.dyn.ConNeuGroup.has(IL=Free)


# ---------------------------------------------------------------------------------------
# utils
# ---------------------------------------------------------------------------------------

def test_utils():
    assert bp.dyn.size2len(3) == 3 and bp.dyn.size2len((2, 3, 4)) == 24
    with pytest.raises(ValueError, match='size2len'):
        bp.dyn.size2len('a')
    kind, steps, delay = bp.dyn.init_delay(None, bm.zeros(2))
    assert (kind, steps, delay) == ('none', None, None)
    kind, steps, delay = bp.dyn.init_delay(bm.asarray([1, 3]), bm.zeros(2))
    assert kind == 'heter' and delay.num_delay_step == 4
    with pytest.raises(ValueError, match='int32, int64'):
        bp.dyn.init_delay(bm.asarray([1., 3.]), bm.zeros(2))
    net = bp.dyn.Network(exc=bp.dyn.LIF(2, name='UtilExc'))
    out = bp.dyn.check_and_format_inputs(net, ('exc.input', [1.], 'iter'))
    assert out[0][1:] == ('input', [1.], 'iter', '+')
    with pytest.raises(bp.errors.RunningError, match='not defined'):
        bp.dyn.check_and_format_inputs(net, [('nothing.input', 1.)])
    with pytest.raises(bp.errors.RunningError, match='Input type'):
        bp.dyn.check_and_format_inputs(net, [('exc.input', 1., 'other')])
    with pytest.raises(bp.errors.RunningError, match='Input operation'):
        bp.dyn.check_and_format_inputs(net, [('exc.input', 1., 'fix', '%')])
    with pytest.raises(bp.errors.RunningError, match='key "W"'):
        bp.dyn.check_and_format_inputs(net, [('UtilExc.W', 1.)])
    with pytest.raises(ValueError, match='"func" type'):
        bp.dyn.check_and_format_inputs(net, [('exc.input', 1., 'func')])


def test_bp_dyn_exports_brainpys_names():
    expected = {
        'DynamicalSystem', 'Container', 'Network', 'ConstantDelay', 'NeuGroup', 'ConNeuGroup',
        'TwoEndConn', 'Channel', 'ContainerWrapper',
        'HH', 'MorrisLecar', 'PinskyRinzelModel', 'WangBuzsakiModel',
        'LIF', 'ExpIF', 'AdExIF', 'QuaIF', 'AdQuaIF', 'GIF', 'Izhikevich', 'HindmarshRose', 'FHN',
        'DeltaSynapse', 'ExpCUBA', 'ExpCOBA', 'DualExpCUBA', 'DualExpCOBA', 'AlphaCUBA',
        'AlphaCOBA', 'NMDA', 'AMPA', 'GABAa', 'STP',
        'SpikeTimeInput', 'SpikeTimeGroup', 'PoissonInput', 'PoissonGroup', 'OUProcess',
        'size2len', 'init_delay', 'check_and_format_inputs',
        'neurons', 'synapses', 'rates', 'others', 'utils'}
    missing = {n for n in expected if not hasattr(bp.dyn, n)}
    assert not missing
    assert set(bp.dyn.rates.__all__) == {
        'Population', 'FHN', 'FeedbackFHN', 'QIF', 'StuartLandauOscillator', 'WilsonCowanModel',
        'ThresholdLinearModel', 'DelayCoupling', 'DiffusiveCoupling', 'AdditiveCoupling'}
    for n in bp.dyn.__all__:
        assert hasattr(bp.dyn, n), n
    for n in ('LengthDelay', 'TimeDelay', 'AbstractDelay', 'NeuLenDelay', 'NeuTimeDelay',
              'pre2post_sum', 'pre2post_event_sum', 'syn2post', 'pre2syn', 'segment_sum'):
        assert hasattr(bm, n), n


# ---------------------------------------------------------------------------------------
# the dynamical_systems tutorial (imports changed)
# ---------------------------------------------------------------------------------------

class FitzHughNagumoModel(bp.dyn.DynamicalSystem):
    def __init__(self, a=0.8, b=0.7, tau=12.5, **kwargs):
        super(FitzHughNagumoModel, self).__init__(**kwargs)
        self.a = a
        self.b = b
        self.tau = tau
        self.v = bm.Variable([0.])
        self.w = bm.Variable([0.])
        self.I = bm.Variable([0.])

    def update(self, _t, _dt):
        self.w += (self.v + self.a - self.b * self.w) / self.tau * _dt
        self.v += (self.v - self.v ** 3 / 3 - self.w + self.I) * _dt
        self.I[:] = 0.


def test_dynamical_systems_tutorial_cells():
    fhn = FitzHughNagumoModel()
    assert fhn.name.startswith('FitzHughNagumoModel')
    names = [FitzHughNagumoModel().name for _ in range(3)]
    assert len(set(names)) == 3
    fhn2 = FitzHughNagumoModel(name='TutorialX')
    assert fhn2.name == 'TutorialX'
    with pytest.raises(bp.errors.UniqueNameError):
        FitzHughNagumoModel(name='TutorialX')
    assert list(fhn2.vars()) == ['TutorialX.v', 'TutorialX.w', 'TutorialX.I']
    assert list(fhn2.vars(method='relative')) == ['v', 'w', 'I']
    fhn_net = bp.dyn.Network(f1=fhn, f2=fhn2)
    assert set(fhn_net.vars()) == {f'{fhn.name}.v', f'{fhn.name}.w', f'{fhn.name}.I',
                                   'TutorialX.v', 'TutorialX.w', 'TutorialX.I'}
    assert list(fhn_net.vars(method='relative')) == ['f1.v', 'f1.w', 'f1.I', 'f2.v', 'f2.w', 'f2.I']
    assert list(fhn_net.nodes()) == [fhn_net.name, fhn.name, 'TutorialX']
    assert list(fhn_net.nodes(method='relative')) == ['', 'f1', 'f2']
    # what the runner cell computes (inputs ('f1.I', 1.5), ('X.I', 1.0)), with a loop
    v1 = w1 = v2 = w2 = 0.
    for i in range(1000):
        fhn.I += 1.5
        fhn2.I += 1.0
        fhn_net.update(i * 0.1, 0.1)
        w1 += (v1 + 0.8 - 0.7 * w1) / 12.5 * 0.1
        v1 += (v1 - v1 ** 3 / 3 - w1 + 1.5) * 0.1
        w2 += (v2 + 0.8 - 0.7 * w2) / 12.5 * 0.1
        v2 += (v2 - v2 ** 3 / 3 - w2 + 1.0) * 0.1
    np.testing.assert_allclose([float(fhn.v[0]), float(fhn2.v[0])], [v1, v2], rtol=1e-3, atol=1e-3)
