"""bp.dyn.DSRunner, StructRunner, ReportRunner and bp.running.Monitor (BrainPy 2.1.12's
runners): monitors against hand-written loops of the same models, every input form and
operation, repeated runs, errors, jit=True against jit=False (one compiled step graph),
the progress bar, BrainPy 2.2's spellings, and the runners / monitors / inputs tutorials
(docs/tutorial_toolbox of BrainPy 2.1.12) ported with only the imports changed (and
smaller sizes or durations where the original takes minutes here)."""

import re
import warnings

import numpy as np
import pytest
import torch

import bptorch as bp
import bptorch.math as bm
from bptorch.errors import MonitorError, RunningError


# --------------------------------------------------------------------------------------
# models
# --------------------------------------------------------------------------------------

class Probe(bp.dyn.DynamicalSystem):
    """``x`` starts every step at ``base``; the runner's inputs act on it; ``update``
    records what they made of it in ``seen`` and puts ``base`` back."""

    def __init__(self, base=1., n=3, name=None):
        super().__init__(name=name)
        self.base = base
        self.x = bm.Variable(bm.full(n, base))
        self.seen = bm.Variable(bm.zeros(n))
        self.count = bm.Variable(bm.zeros(()))

    def update(self, t, dt):
        self.seen.value = self.x.value
        self.x.value = bm.full(self.x.shape, self.base)
        self.count += 1.


def lif_reference(V0, inputs, steps, dt, V_rest=-60., V_reset=-60., V_th=-50., tau=20.,
                  tau_ref=5.):
    """BrainPy 2.1.12's LIF.update with Euler steps, in NumPy (float64): V and spikes."""
    V = np.array(V0, dtype=float)
    t_last = np.full_like(V, -1e7)
    Vs, spikes = [], []
    for i in range(steps):
        t = i * dt
        refractory = (t - t_last) <= tau_ref
        V_new = V + dt * (-V + V_rest + inputs[i]) / tau
        V_new = np.where(refractory, V, V_new)
        spike = V_new >= V_th
        t_last = np.where(spike, t, t_last)
        V = np.where(spike, V_reset, V_new)
        Vs.append(V.copy())
        spikes.append(spike)
    return np.array(Vs), np.array(spikes)


def lif(n=4, name=None, **kw):
    pars = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5., method='euler')
    pars.update(kw)
    return bp.dyn.LIF(n, name=name, **pars)


def quiet(**kw):
    return dict(progress_bar=False, **kw)


# --------------------------------------------------------------------------------------
# Monitor
# --------------------------------------------------------------------------------------

def test_monitor_forms_of_brainpy_2_1_12():
    m = bp.running.Monitor(variables=['a', ('b', [1, 2]), 'c'], intervals=[None, 1., 2.])
    assert m.item_names == ['a', 'b', 'c']
    assert m.item_indices == [None, [1, 2], None]
    assert m.item_intervals == [None, 1., 2.]
    assert list(m.item_contents) == ['a', 'b', 'b.t', 'c', 'c.t']
    assert m.num_item == 5
    m = bp.running.Monitor(variables={'a': None, 'b': [1, 2]}, intervals={'b': 2.})
    assert m.item_indices == [None, [1, 2]] and m.item_intervals == [None, 2.]
    assert repr(m) == "Monitor(items=('a', 'b'), indices=[None, [1, 2]])"
    assert m['a'] == [] and m.a == [] and m.get('zz', 3) == 3 and 'b.t' in m
    m['a'] = np.ones(2)
    m.b = np.zeros(1)
    assert m.item_contents['a'].tolist() == [1., 1.] and m.item_contents['b'].tolist() == [0.]
    with pytest.raises(ValueError, match='Do not have "z". Available items are'):
        m['z']
    with pytest.raises(ValueError, match='Do not have "z"'):
        m['z'] = 1
    with pytest.raises(AttributeError, match='no item or attribute'):
        m.zz


@pytest.mark.parametrize('variables, intervals, message', [
    (['a', 'b'], [None], 'The length of "vars" and "every" are not equal.'),
    (['a'], {'a': 1.}, '"vars" and "intervals" must be the same type'),
    ({'a': None}, [1.], '"vars" and "every" must be the same type'),
    ({'a': None}, {'b': 1.}, '"b" is not in "vars"'),
    ('a', None, 'We only supports a format of list/tuple/dict'),
    ([3], None, 'Unknown monitor item: 3'),
])
def test_monitor_errors(variables, intervals, message):
    with pytest.raises(MonitorError, match=re.escape(message)):
        bp.running.Monitor(variables=variables, intervals=intervals)


def test_runner_base_checks_its_arguments():
    with pytest.raises(MonitorError, match='"monitors" only supports'):
        bp.running.Runner(None, monitors=5)
    with pytest.raises(RunningError, match='"jit" must be a bool'):
        bp.running.Runner(None, jit='yes')
    with pytest.raises(RunningError, match='"jit" as a dict'):
        bp.running.Runner(None, jit={'train': True})
    with pytest.raises(RunningError, match='"dyn_vars" must be a dict'):
        bp.running.Runner(None, dyn_vars=5)
    with pytest.raises(ValueError, match='"fun_monitors" must be a dict of'):
        bp.running.Runner(None, fun_monitors={'a': 1})
    r = bp.running.Runner(None, jit={'predict': True}, dyn_vars=[bm.Variable(bm.zeros(1))])
    assert r.jit is True and list(r.dyn_vars) == ['_v0']


# --------------------------------------------------------------------------------------
# monitors of a run
# --------------------------------------------------------------------------------------

def test_monitors_match_a_hand_written_lif_loop():
    bm.enable_x64()
    group = lif(4)
    V0 = np.array([-60., -55., -52., -50.5])
    group.V.value = bm.asarray(V0)
    steps, dt = 400, 0.1
    drive = np.linspace(12., 40., 4)
    runner = bp.dyn.DSRunner(group, monitors=['V', 'spike', 't_last_spike'],
                             inputs=('input', bm.asarray(drive)), **quiet())
    elapsed = runner.run(steps * dt)
    assert isinstance(elapsed, float) and elapsed > 0
    Vs, spikes = lif_reference(V0, [drive] * steps, steps, dt)
    assert runner.mon.V.shape == (steps, 4) and runner.mon.spike.shape == (steps, 4)
    assert isinstance(runner.mon.V, np.ndarray) and runner.mon.spike.dtype == np.bool_
    np.testing.assert_allclose(runner.mon.V, Vs, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(runner.mon.spike, spikes)
    assert spikes.sum() >= 8                               # the test sees spikes
    np.testing.assert_allclose(runner.mon.ts, np.arange(0., steps * dt, dt) + dt)
    assert runner.mon.ts.dtype == np.float64
    assert list(runner.mon.keys()) == ['V', 'spike', 't_last_spike']


def test_monitor_paths_indices_and_shapes():
    net = bp.dyn.Network(exc=lif(5, name='RunExc'), probe=Probe(name='RunProbe'))
    runner = bp.dyn.DSRunner(
        net, monitors=['RunExc.V', 'exc.spike', ('exc.V', [1, 3]), ('RunExc.input', 2),
                       ('probe.x', torch.tensor([True, False, True])), 'probe.count'],
        inputs=[('exc.input', 30.)], **quiet())
    runner.run(1.)
    assert runner.mon['RunExc.V'].shape == (10, 5)
    assert runner.mon['exc.spike'].shape == (10, 5)
    np.testing.assert_array_equal(runner.mon['exc.V'], runner.mon['RunExc.V'][:, [1, 3]])
    assert runner.mon['RunExc.input'].shape == (10, 1)
    assert runner.mon['probe.x'].shape == (10, 2)
    assert runner.mon['probe.count'].shape == (10,)                 # a 0-d Variable
    np.testing.assert_array_equal(runner.mon['probe.count'], np.arange(1., 11.))


def test_monitor_dicts_2_1_indices_and_2_2_variables():
    group = lif(6)
    runner = bp.dyn.DSRunner(group, monitors={'V': None, 'spike': [1, 2, 3]},
                             inputs=('input', 30.), **quiet())
    runner.run(2.)
    assert runner.mon.V.shape == (20, 6) and runner.mon.spike.shape == (20, 3)
    group2 = lif(6)
    runner2 = bp.dyn.DSRunner(group2, monitors={'v': group2.V, 's': (group2.spike, [0, 5])},
                              inputs=[(group2.input, 30.)], **quiet())      # BrainPy 2.2
    runner2.run(2.)
    np.testing.assert_allclose(runner2.mon['v'], runner.mon.V)
    np.testing.assert_array_equal(runner2.mon['s'], runner2.mon['s'])
    assert runner2.mon['s'].shape == (20, 2)


def test_matrix_variables_are_flattened_as_in_the_monitors_tutorial():
    bm.set_dt(0.02)

    class MatrixVarModel(bp.DynamicalSystem):
        def __init__(self, **kwargs):
            super(MatrixVarModel, self).__init__(**kwargs)

            self.a = bm.Variable(bm.zeros((4, 4)))

        def update(self, _t, _dt):
            self.a += 0.01

    with pytest.warns(DeprecationWarning, match='brainpy.dyn.DynamicalSystem'):
        model = MatrixVarModel()
    duration = 10
    with pytest.warns(DeprecationWarning, match='brainpy.dyn.StructRunner'):
        runner = bp.StructRunner(model, monitors=['a'], progress_bar=False)
    runner.run(duration)
    # (the tutorial prints model.a.size: a torch tensor's size is a method, numel() the count)
    assert (int(duration / bm.get_dt()), model.a.numel()) == (500, 16)
    assert runner.mon.a.shape == (500, 16)
    np.testing.assert_allclose(runner.mon.a[:, 5], 0.01 * np.arange(1, 501), rtol=1e-4)


def test_fun_monitors_are_recorded():
    group = lif(3)
    runner = bp.dyn.DSRunner(group, monitors=['V'],
                             fun_monitors={'mean_V': lambda t, dt: group.V.value.mean(),
                                           't': lambda t, dt: t + 0 * dt},
                             inputs=('input', 30.), **quiet())
    runner.run(1.)
    np.testing.assert_allclose(runner.mon['mean_V'], runner.mon.V.mean(1), rtol=1e-6)
    np.testing.assert_allclose(runner.mon['t'], np.arange(10) * 0.1, rtol=1e-6)
    assert list(runner.mon.keys()) == ['V', 'mean_V', 't']


def test_numpy_mon_after_run_false_keeps_tensors():
    group = lif(3)
    runner = bp.dyn.DSRunner(group, monitors=['V'], numpy_mon_after_run=False,
                             inputs=('input', 30.), **quiet())
    runner.run(1.)
    assert isinstance(runner.mon.V, torch.Tensor) and runner.mon.V.shape == (10, 3)
    assert isinstance(runner.mon.ts, np.ndarray)


def test_zero_steps_give_empty_records():
    runner = bp.dyn.DSRunner(lif(3), monitors=['V', ('spike', [0])], **quiet())
    runner.run(0.)
    assert runner.mon.V.shape == (0, 3) and runner.mon.spike.shape == (0, 1)
    assert runner.mon.ts.shape == (0,)


# --------------------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------------------

OPS = {'+': np.add, '-': np.subtract, '*': np.multiply, '/': np.divide,
       '=': lambda base, data: np.broadcast_to(data, np.shape(base)) + 0 * base}


@pytest.mark.parametrize('op', list(OPS))
def test_every_input_type_and_operation(op):
    steps, dt, base = 6, 0.1, 2.
    data = np.arange(1., 19.).reshape(steps, 3)            # one row per step
    expected_of = {
        'fix': np.broadcast_to(np.array([1.5, 2.5, 3.5]), (steps, 3)),
        'iter': data,
        'func': np.repeat((np.arange(steps) * dt * 10 + 1.)[:, None], 3, axis=1),
        'gen': data[:, :1].repeat(3, axis=1),
    }
    values = {
        'fix': (np.array([1.5, 2.5, 3.5]), 'fix'),
        'iter': (bm.asarray(data), 'iter'),
        'func': (lambda t, dt_: t * 10 + 1., 'func'),
        'gen': ((float(r) for r in data[:, 0]), 'iter'),    # any iterable: one item per step
    }
    for kind, (value, type_) in values.items():
        probe = Probe(base=base)
        runner = bp.dyn.DSRunner(probe, monitors=['seen'], inputs=[('x', value, type_, op)],
                                 **quiet())
        runner.run(0.6)                 # (steps * dt is 0.6000000000000001: 7 steps)
        want = OPS[op](np.full((steps, 3), base), expected_of[kind])
        np.testing.assert_allclose(runner.mon.seen, want, rtol=1e-5, err_msg=f'{kind} {op}')


def test_input_defaults_and_brainpy_order():
    probe = Probe(base=1.)
    runner = bp.dyn.DSRunner(probe, monitors=['seen'], inputs=('x', 2.), **quiet())
    runner.run(0.2)                                         # default: 'fix', '+'
    np.testing.assert_allclose(runner.mon.seen, np.full((2, 3), 3.))
    # BrainPy 2.1.12 applies fixed inputs before iterated arrays, then functions, then
    # other iterables; within each, by operation = + - * /
    probe = Probe(base=1.)
    inputs = [('x', lambda t, dt: 100., 'func', '='), ('x', 2., 'fix', '*'),
              ('x', 1., 'fix', '+'), ('x', bm.full((2, 3), 10.), 'iter', '-')]
    runner = bp.dyn.DSRunner(probe, monitors=['seen'], inputs=inputs, **quiet())
    runner.run(0.2)
    np.testing.assert_allclose(runner.mon.seen, np.full((2, 3), 100.))   # '=' (func) last
    probe = Probe(base=1.)
    runner = bp.dyn.DSRunner(probe, monitors=['seen'], inputs=inputs[1:], **quiet())
    runner.run(0.2)
    np.testing.assert_allclose(runner.mon.seen, np.full((2, 3), (1. + 1.) * 2. - 10.))


def test_inputs_by_absolute_and_relative_paths_and_variables():
    net = bp.dyn.Network(p=Probe(base=0., name='InProbe'))
    runner = bp.dyn.DSRunner(net, monitors=['p.seen'], inputs=[
        ('InProbe.x', 1.), ('p.x', 2.), (net.p.x, 4.), (net.p.x, 0.5, 'fix', '*')], **quiet())
    runner.run(0.1)
    np.testing.assert_allclose(runner.mon['p.seen'], [[3.5] * 3])


def test_fun_inputs_get_the_shared_arguments():
    probe = Probe(base=0.)
    seen = []

    def fun_inputs(tdi):
        probe.x.value = probe.x.value + tdi.t + 100 * tdi.i
        seen.append(float(tdi.dt))
    runner = bp.dyn.DSRunner(probe, monitors=['seen'], fun_inputs=fun_inputs, **quiet())
    runner.run(0.3)
    np.testing.assert_allclose(runner.mon.seen[:, 0], [0., 100.1, 200.2], rtol=1e-5)
    assert seen == [0.1] * 3


@pytest.mark.parametrize('inputs, error, message', [
    (('x', 1., 'bad'), RunningError, 'Input type only supports'),
    (('x', 1., 'fix', '%'), RunningError, 'Input operation only supports'),
    (('nowhere.x', 1.), RunningError, 'Input target "nowhere" is not defined'),
    (('y', 1.), RunningError, 'Input target key "y" is not defined'),
    (('base', 1.), RunningError, 'is not a dynamically changed Variable'),
    (('x', 1., 'iter'), ValueError, 'is set to be "iter" type'),
    (('x', 1., 'func'), ValueError, 'is set to be "func" type'),
    (5, RunningError, '"inputs" must be a tuple/list'),
    ([('x',)], RunningError, 'you must specify'),
    ([3], RunningError, 'Unknown input structure'),
])
def test_input_errors(inputs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        bp.dyn.DSRunner(Probe(), inputs=inputs, **quiet())


def test_iterated_inputs_that_run_out():
    runner = bp.dyn.DSRunner(Probe(), inputs=('x', bm.ones((5, 3)), 'iter'), **quiet())
    runner.run(0.3)
    with pytest.raises(RunningError, match='has 5 steps, 2 of them left after 3 steps'):
        runner.run(0.3)
    runner = bp.dyn.DSRunner(Probe(), inputs=('x', iter([1., 2.]), 'iter'), **quiet())
    with pytest.raises(RunningError, match='ran out after 2 of the 3 steps'):
        runner.run(0.3)


def test_the_inputs_tutorial_currents_feed_a_run():
    # docs/tutorial_toolbox/inputs.ipynb: an input current made by bp.inputs, given to a
    # model as an 'iter' input (durations shortened tenfold)
    current1, duration = bp.inputs.section_input(values=[0, 1., 0.], durations=[10, 30, 10],
                                                 return_length=True, dt=0.1)
    probe = Probe(base=0., n=1)
    runner = bp.dyn.DSRunner(probe, monitors=['seen'], inputs=('x', current1, 'iter'),
                             **quiet())
    runner.run(duration)
    np.testing.assert_allclose(runner.mon.seen[:, 0], current1.numpy())
    I1 = bp.inputs.section_input(values=[0, 1, 2], durations=[10, 20, 30], dt=0.1)
    I2 = bp.inputs.section_input(values=[0, 1, 2], durations=[10, 20, 30], dt=0.01)
    assert (tuple(I1.shape), tuple(I2.shape)) == ((600,), (6000,))


# --------------------------------------------------------------------------------------
# errors of the monitors and the runner
# --------------------------------------------------------------------------------------

def test_monitor_targets_that_cannot_be_found():
    # docs/tutorial_toolbox/monitors.ipynb
    HH = bp.dyn.HH
    net = bp.dyn.Network(HH(size=10, name='X'), HH(size=20, name='Y'), HH(size=30))
    assert callable(bp.dyn.StructRunner(net, monitors=['X.V', 'Y.spike']).build_monitors())
    z = HH(size=30, name='Z')
    net = bp.dyn.Network(HH(size=10), HH(size=20))
    with pytest.raises(RunningError, match=r'Cannot find target Z.V in monitor of Network'):
        bp.dyn.StructRunner(net, monitors=['Z.V']).build_monitors()
    with pytest.raises(RunningError, match='"gNa" in HH.* is not a dynamically changed '
                                           'Variable, its value will not change'):
        bp.dyn.StructRunner(HH(size=1), monitors=['gNa']).build_monitors()
    with pytest.raises(RunningError, match='does not has variable W'):
        bp.dyn.DSRunner(z, monitors=['W'])
    with pytest.raises(ValueError, match='does not support "interval" in the monitor'):
        bp.dyn.DSRunner(z, monitors=bp.running.Monitor(['V'], intervals=[1.]))
    with pytest.raises(RunningError, match='must be a float'):
        bp.dyn.DSRunner(z, monitors=bp.running.Monitor(['V'], intervals=[1]))


def test_runner_argument_errors():
    with pytest.raises(RunningError, match='"target" must be an instance of DynamicalSystem'):
        bp.dyn.DSRunner(bp.Base())
    with pytest.raises(RunningError, match='"dt" must be scalar'):
        bp.dyn.DSRunner(lif(2), dt='0.1')
    with pytest.raises(RunningError, match='"progress_bar" must be a bool'):
        bp.dyn.DSRunner(lif(2), progress_bar=1)
    runner = bp.dyn.DSRunner(lif(2), **quiet())
    with pytest.raises(RunningError, match='give the "duration"'):
        runner.run()
    with pytest.raises(RunningError, match='written as update\\(t, dt\\)'):
        runner.run(1., inputs=bm.zeros((10, 2)), shared_args={'fit': True})


# --------------------------------------------------------------------------------------
# repeated runs, time, reset
# --------------------------------------------------------------------------------------

def test_repeated_runs_continue_in_time_and_replace_the_records():
    probe = Probe(base=0., n=1)
    data = bm.arange(10.).reshape(10, 1)
    runner = bp.dyn.DSRunner(probe, monitors=['seen', 'count'],
                             inputs=[('x', data, 'iter'), ('x', lambda t, dt: 100 * t, 'func')],
                             **quiet())
    runner.run(0.4)
    runner.run(0.6)
    np.testing.assert_allclose(runner.mon.ts, np.arange(0.4, 1.0, 0.1) + 0.1)
    assert runner.mon.seen.shape == (6, 1)                      # this run's records only
    t = np.arange(0.4, 1.0, 0.1)
    np.testing.assert_allclose(runner.mon.seen[:, 0], np.arange(4., 10.) + 100 * t, rtol=1e-5)
    np.testing.assert_array_equal(runner.mon.count, np.arange(5., 11.))
    runner.reset_state()                                         # the clock, not the model
    runner.run(0.2)
    np.testing.assert_allclose(runner.mon.ts, [0.1, 0.2])
    np.testing.assert_allclose(runner.mon.seen[:, 0], [0., 1. + 10.], rtol=1e-5)
    runner.run(0.1, start_t=5.)                                  # 2.1.12's start_t
    np.testing.assert_allclose(runner.mon.ts, [5.1])


def test_run_with_reset_state_resets_the_model():
    group = lif(3)
    runner = bp.dyn.DSRunner(group, monitors=['V'], inputs=('input', 30.), **quiet())
    runner.run(3.)
    first = runner.mon.V.copy()
    runner.run(3., inputs=None, reset_state=True)
    np.testing.assert_allclose(runner.mon.V, first)
    np.testing.assert_allclose(runner.mon.ts, np.arange(30) * 0.1 + 0.1)


# --------------------------------------------------------------------------------------
# BrainPy 2.2's run(inputs=...) and update(tdi, x)
# --------------------------------------------------------------------------------------

class Leaky22(bp.dyn.DynamicalSystem):
    """A leaky integrator written in BrainPy 2.2's form, returning its state."""

    def __init__(self, n=2, tau=2.):
        super().__init__()
        self.tau = tau
        self.v = bm.Variable(bm.zeros(n))

    def update(self, tdi, x):
        self.v.value = self.v.value + (-self.v.value + x) / self.tau * tdi.dt
        return self.v.value * 1.


def leaky_reference(xs, tau=2., dt=0.1):
    v = np.zeros(xs.shape[1:])
    out = []
    for x in xs:
        v = v + (-v + x) / tau * dt
        out.append(v.copy())
    return np.array(out)


def test_run_with_data_inputs_returns_the_outputs_of_update():
    xs = np.random.RandomState(0).rand(7, 2)
    model = Leaky22()
    runner = bp.dyn.DSRunner(model, monitors={'v': model.v}, **quiet())
    out = runner.run(inputs=bm.asarray(xs))
    np.testing.assert_allclose(out.numpy(), leaky_reference(xs), rtol=1e-5)
    np.testing.assert_allclose(runner.mon['v'], leaky_reference(xs), rtol=1e-5)
    np.testing.assert_allclose(runner.mon.ts, np.arange(7) * 0.1 + 0.1)
    elapsed, out2 = runner.run(0.7, inputs=bm.asarray(xs), reset_state=False, eval_time=True)
    assert isinstance(elapsed, float) and out2.shape == (7, 2)
    with pytest.raises(RunningError, match='"inputs" have 7 steps, but the duration'):
        runner.run(0.3, inputs=bm.asarray(xs))


def test_run_with_batched_inputs_moves_the_batch_axis():
    xs = np.random.RandomState(1).rand(3, 5, 2)          # (batch, time, features)
    model = Leaky22(n=(3, 2))
    model.v.value = bm.zeros((3, 2))
    runner = bp.dyn.DSRunner(model, monitors={'v': model.v}, numpy_mon_after_run=False,
                             **quiet())
    out = runner.run(inputs=bm.asarray(xs), inputs_are_batching=True)
    ref = leaky_reference(np.moveaxis(xs, 0, 1))          # (time, batch, features)
    np.testing.assert_allclose(out.numpy(), np.moveaxis(ref, 0, 1), rtol=1e-5)
    assert runner.mon['v'].shape == (5, 6)                # records: (time, flattened)


# --------------------------------------------------------------------------------------
# jit, ReportRunner, progress bar, deprecated names
# --------------------------------------------------------------------------------------

def ei_net(num_exc=80, num_inh=20, seed=0, method='exp_auto'):
    bm.random.seed(seed)
    pars = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
    E = bp.dyn.LIF(num_exc, **pars, method=method)
    I = bp.dyn.LIF(num_inh, **pars, method=method)
    E.V[:] = bm.random.randn(num_exc) * 2 - 55.
    I.V[:] = bm.random.randn(num_inh) * 2 - 55.
    E2E = bp.dyn.ExpCOBA(E, E, bp.conn.FixedProb(prob=0.1, seed=1), E=0., g_max=0.6, tau=5.,
                         method=method)
    E2I = bp.dyn.ExpCOBA(E, I, bp.conn.FixedProb(prob=0.1, seed=2), E=0., g_max=0.6, tau=5.,
                         method=method)
    I2E = bp.dyn.ExpCOBA(I, E, bp.conn.FixedProb(prob=0.1, seed=3), E=-80., g_max=6.7,
                         tau=10., method=method)
    I2I = bp.dyn.ExpCOBA(I, I, bp.conn.FixedProb(prob=0.1, seed=4), E=-80., g_max=6.7,
                         tau=10., method=method)
    return bp.dyn.Network(E2E, E2I, I2E, I2I, E=E, I=I)


def test_report_runner_steps_in_python_with_the_same_records():
    a = bp.dyn.DSRunner(ei_net(), monitors=['E.spike', 'I.V'],
                        inputs=[('E.input', 20.), ('I.input', 20.)], **quiet())
    a.run(20.)
    b = bp.dyn.ReportRunner(ei_net(), monitors=['E.spike', 'I.V'],
                            inputs=[('E.input', 20.), ('I.input', 20.)], **quiet())
    b.run(20.)
    np.testing.assert_array_equal(a.mon['E.spike'], b.mon['E.spike'])
    np.testing.assert_allclose(a.mon['I.V'], b.mon['I.V'])
    assert a.mon['E.spike'].sum() > 0


def test_progress_bar_shows_brainpy_description(capsys):
    runner = bp.dyn.DSRunner(lif(2), monitors=['V'], inputs=('input', 30.), progress_bar=True)
    runner.run(1.)
    err = capsys.readouterr().err
    assert 'Running a duration of 1.0 (10 steps)' in err and '10/10' in err
    runner.run(1., progress_bar=False)
    assert capsys.readouterr().err == ''


@pytest.fixture
def one_thread():
    """Compiled CPU kernels run OpenMP loops over the threads: on a small shared machine
    two threads spin-wait for each other (a compiled step measured 6x slower)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.mark.slow
def test_jit_compiles_one_step_graph_and_matches_eager(capsys, one_thread):
    from torch._dynamo.utils import counters
    eager = bp.dyn.DSRunner(ei_net(method='euler'), monitors=['E.spike', 'E.V', 'I.spike'],
                            inputs=[('E.input', 20.), ('I.input', 20.)], jit=False, **quiet())
    eager.run(100.)
    net = ei_net(method='euler')
    runner = bp.dyn.DSRunner(net, monitors=['E.spike', 'E.V', 'I.spike'],
                             inputs=[('E.input', 20.), ('I.input', 20.)], jit=True, **quiet())
    before = counters['stats']['unique_graphs']
    runner.run(100.)                                              # 1000 steps
    assert counters['stats']['unique_graphs'] - before == 1       # one step graph
    np.testing.assert_allclose(runner.mon['E.V'], eager.mon['E.V'], atol=1e-3)
    np.testing.assert_array_equal(runner.mon['E.spike'], eager.mon['E.spike'])
    np.testing.assert_array_equal(runner.mon['I.spike'], eager.mon['I.spike'])
    assert eager.mon['E.spike'].sum() > 100
    eager.run(50.)
    runner.progress_bar = True
    runner.run(50.)                                               # the graph is reused
    assert counters['stats']['unique_graphs'] - before == 1
    assert 'Running a duration of 50.0 (500 steps)' in capsys.readouterr().err
    np.testing.assert_array_equal(runner.mon['E.spike'], eager.mon['E.spike'])


@pytest.mark.slow
def test_report_runner_with_jit_compiles_the_update(one_thread):
    from torch._dynamo.utils import counters
    before = counters['stats']['unique_graphs']
    a = bp.dyn.ReportRunner(lif(3), monitors=['V'], inputs=('input', 30.), jit=True, **quiet())
    a.run(3.)
    assert counters['stats']['unique_graphs'] - before == 1
    b = bp.dyn.ReportRunner(lif(3), monitors=['V'], inputs=('input', 30.), jit=False, **quiet())
    b.run(3.)
    np.testing.assert_allclose(a.mon.V, b.mon.V, rtol=1e-5)


def test_deprecated_top_level_names_warn_and_work():
    with pytest.warns(DeprecationWarning, match='Please use "brainpy.dyn.DSRunner" instead'):
        runner = bp.DSRunner(lif(2), monitors=['V'], progress_bar=False)
    assert isinstance(runner, bp.dyn.DSRunner)
    with pytest.warns(DeprecationWarning, match='brainpy.running.Monitor'):
        mon = bp.Monitor(variables=['V'])
    with pytest.warns(DeprecationWarning, match='brainpy.dyn.ReportRunner'):
        runner = bp.ReportRunner(lif(2), monitors=mon, progress_bar=False)
    runner.run(0.5)
    assert mon.V.shape == (5, 2) and runner.mon is mon
    with pytest.warns(DeprecationWarning, match='brainpy.dyn.Network'):
        net = bp.Network(a=lif(2))
    with pytest.warns(DeprecationWarning, match='brainpy.dyn.LIF'):
        assert isinstance(bp.models.LIF(2), bp.dyn.LIF)
    assert isinstance(net, bp.dyn.Network)


# --------------------------------------------------------------------------------------
# tutorials
# --------------------------------------------------------------------------------------

def test_runners_tutorial_einet(capsys):
    # docs/tutorial_toolbox/runners.ipynb (imports changed; 10x fewer neurons, and
    # connections of 0.2 instead of 0.02 so each neuron keeps about as many synapses;
    # 20 ms and 10 ms instead of 100 ms: exp_auto costs about 1 ms per integrator per step)
    bm.random.seed(42)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)

        class EINet(bp.Network):
            def __init__(self, num_exc=320, num_inh=80, method='exp_auto'):
                # neurons
                pars = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
                E = bp.dyn.LIF(num_exc, **pars, method=method)
                I = bp.dyn.LIF(num_inh, **pars, method=method)
                E.V[:] = bm.random.randn(num_exc) * 2 - 55.
                I.V[:] = bm.random.randn(num_inh) * 2 - 55.

                # synapses
                E2E = bp.dyn.ExpCOBA(E, E, bp.conn.FixedProb(prob=0.2),
                                     E=0., g_max=0.6, tau=5., method=method)
                E2I = bp.dyn.ExpCOBA(E, I, bp.conn.FixedProb(prob=0.2),
                                     E=0., g_max=0.6, tau=5., method=method)
                I2E = bp.dyn.ExpCOBA(I, E, bp.conn.FixedProb(prob=0.2),
                                     E=-80., g_max=6.7, tau=10., method=method)
                I2I = bp.dyn.ExpCOBA(I, I, bp.conn.FixedProb(prob=0.2),
                                     E=-80., g_max=6.7, tau=10., method=method)

                super(EINet, self).__init__(E2E, E2I, I2E, I2I, E=E, I=I)

        net = EINet()

        runner = bp.DSRunner(net,
                             monitors=['E.spike'],
                             inputs=[('E.input', 20.), ('I.input', 20.)],
                             jit=False)
        t = runner.run(20.)
        assert 'Running a duration of 20.0 (200 steps)' in capsys.readouterr().err
        spikes = runner.mon['E.spike']
        import matplotlib
        matplotlib.use('Agg')
        bp.visualize.raster_plot(runner.mon.ts, runner.mon['E.spike'], show=False)

        net = EINet()
        runner = bp.ReportRunner(net,
                                 monitors=['E.spike'],
                                 inputs=[('E.input', 20.), ('I.input', 20.)],
                                 jit=False)
        runner.run(10.)
    assert isinstance(t, float) and spikes.shape == (200, 320)
    assert runner.mon['E.spike'].shape == (100, 320)
    rate = spikes.mean() / 1e-4
    assert 5. < rate < 60.                           # an E/I network in its active regime


def test_monitors_tutorial_hh(capsys):
    # docs/tutorial_toolbox/monitors.ipynb (100 ms shortened to 10 ms)
    bp.math.set_platform('cpu')
    bp.math.set_dt(0.02)
    HH = bp.dyn.HH
    model = HH(1)
    with pytest.warns(DeprecationWarning):
        runner1 = bp.StructRunner(model,
                                  monitors=['V', 'spike'],
                                  inputs=('input', 10))
    assert type(runner1.mon) is bp.running.Monitor
    with pytest.warns(DeprecationWarning):
        runner2 = bp.StructRunner(model, monitors=bp.Monitor(variables=['V', 'spike']))
    assert runner2.mon.item_names == ['V', 'spike']
    runner1(10.)
    assert '(500 steps)' in capsys.readouterr().err
    assert runner1.mon.V.shape == (500, 1) and runner1.mon.spike.dtype == np.bool_
    assert runner1.mon.spike.sum() == 1                           # one spike in the first 10 ms
    for monitors in (['V', ('spike', [1, 2, 3])], {'V': None, 'spike': [1, 2, 3]},
                     bp.running.Monitor(variables=['V', ('spike', [1, 2, 3])]),
                     bp.running.Monitor(variables={'V': None, 'spike': [1, 2, 3]})):
        runner = bp.dyn.StructRunner(HH(10), monitors=monitors, inputs=('input', 10.),
                                     progress_bar=False)
        runner.run(2.)
        assert runner.mon.V.shape == (100, 10) and runner.mon.spike.shape == (100, 3)
