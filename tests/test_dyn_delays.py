"""bm.LengthDelay and bm.TimeDelay: BrainPy 2.1.12's retrieval conventions against a NumPy
history, interpolation, before_t0, reset, in-place writes outside transforms, functional
writes (and gradients) under bm.grad / bm.jit, dtypes, devices and state_dict."""

import numpy as np
import pytest
import torch

import bptorch as bp
import bptorch.math as bm


def test_length_delay_against_a_numpy_history():
    rng = np.random.RandomState(0)
    target = bm.Variable(torch.tensor(rng.randn(3)))
    delay = bm.LengthDelay(target, delay_len=4, initial_delay_data=-1.)
    history = [np.full(3, -1.)] * 4 + [target.numpy()]     # oldest first; last = delay 0
    for step in range(12):
        for d in range(5):
            np.testing.assert_allclose(delay(d).numpy(), history[-1 - d], rtol=1e-6)
        value = rng.randn(3)
        delay.update(torch.tensor(value, dtype=torch.float32))
        history.append(value)
    assert delay.num_delay_step == 5 and delay.shape == (3,)


def test_length_delay_initial_data_forms_and_heterogeneous_delays():
    x = bm.Variable(bm.arange(4.))
    d = bm.LengthDelay(x, 3, initial_delay_data=lambda shape, dtype: torch.ones(shape, dtype=dtype) * 7)
    assert torch.equal(d(3), torch.full((4,), 7.)) and torch.equal(d(0), bm.arange(4.))
    d.update(x.value + 10)
    # one delay per element: element i delayed by steps[i]
    steps = bm.asarray([0, 1, 2, 3])
    assert torch.equal(d(steps, bm.arange(4)), bm.asarray([10., 1., 7., 7.]))
    # without indices an array of delays gives whole rows
    assert d(bm.asarray([0, 1])).shape == (2, 4)
    d2 = bm.LengthDelay(x, 2, initial_delay_data=bm.asarray([1., 2., 3., 4.]))
    assert torch.equal(d2(2), bm.asarray([1., 2., 3., 4.]))


def test_length_delay_errors():
    x = bm.zeros(3)
    with pytest.raises(ValueError, match='delay_target'):
        bm.LengthDelay([0., 1.], 2)
    with pytest.raises(ValueError, match='delay_len'):
        bm.LengthDelay(x, -1)
    with pytest.raises(ValueError, match='delay_len'):
        bm.LengthDelay(x, 2.5)
    d = bm.LengthDelay(x, 2)
    with pytest.raises(ValueError, match=r'\[0, 2\]'):
        d(3)
    with pytest.raises(ValueError, match='integer'):
        d(bm.asarray([0.5, 1.]))
    with pytest.raises(ValueError, match=r'should be \(3,\)'):
        d.update(bm.zeros(4))
    with pytest.raises(ValueError, match='initial_delay_data'):
        bm.LengthDelay(x, 2, initial_delay_data='zeros')


def test_length_delay_reset_and_retrievals_are_copies():
    x = bm.Variable(bm.zeros(2))
    d = bm.LengthDelay(x, 2)
    buf = d.data._value
    oldest = d(2)
    d.update(bm.ones(2))          # overwrites the row 'oldest' was read from
    assert torch.equal(oldest, torch.zeros(2))
    oldest += 5                   # a retrieval is no view of the buffer
    assert torch.equal(d(1), torch.zeros(2))
    assert d.data._value is buf    # outside transforms: one in-place row write
    d.reset(bm.full((2,), 3.), 5)
    assert d.num_delay_step == 6 and torch.equal(d(0), torch.full((2,), 3.))
    assert torch.equal(d(5), torch.zeros(2))
    d.reset(bm.full((2,), 4.))
    assert d.num_delay_step == 6 and torch.equal(d(0), torch.full((2,), 4.))


def test_first_write_after_an_outside_assignment_copies_once():
    d = bm.LengthDelay(bm.zeros(2), 2)
    mine = torch.zeros(3, 2)
    d.data.value = mine           # the user's tensor: never written in place
    d.update(bm.ones(2))
    assert torch.equal(mine, torch.zeros(3, 2))
    buf = d.data._value
    d.update(bm.ones(2) * 2)
    assert d.data._value is buf    # from then on, the delay's own buffer
    assert torch.equal(d(0), torch.full((2,), 2.)) and torch.equal(d(1), torch.ones(2))


def test_time_delay_interpolation_round_and_before_t0():
    dt = 0.1
    d = bm.TimeDelay(bm.zeros(2), delay_len=1., dt=dt, t0=0., before_t0=lambda t: t * 10)
    assert d.num_delay_step == 11
    times, values = [0.], [np.zeros(2)]
    for i in range(1, 16):
        v = np.array([np.sin(i), np.cos(i)])
        d.update(i * dt, torch.tensor(v, dtype=torch.float32))
        times.append(i * dt)
        values.append(v)
    now = 1.5
    grid, data = np.array(times), np.array(values)
    for t in [now, now - 0.05, now - 0.33, now - 0.999, now - 1.0, 1.0, 0.75]:
        want = [np.interp(t, grid, data[:, k]) for k in range(2)]
        np.testing.assert_allclose(d(t).numpy(), want, rtol=1e-5, atol=1e-5, err_msg=str(t))
    r = bm.TimeDelay(bm.zeros(2), delay_len=1., dt=dt, interp_method='round')
    for i in range(1, 16):
        r.update(i * dt, torch.tensor(values[i], dtype=torch.float32))
    np.testing.assert_allclose(r(now - 0.33).numpy(), values[12], rtol=1e-6)   # 1.17 -> 1.2
    np.testing.assert_allclose(r(now - 0.36).numpy(), values[11], rtol=1e-6)   # 1.14 -> 1.1
    # before t0: the function (a fresh delay) or the data
    fresh = bm.TimeDelay(bm.zeros(2), delay_len=1., dt=dt, before_t0=lambda t: t * 10)
    np.testing.assert_allclose(fresh(-0.4).numpy(), [-4., -4.], rtol=1e-6)
    np.testing.assert_allclose(fresh(torch.tensor(-0.4)).numpy(), [-4., -4.], rtol=1e-6)
    data = bm.TimeDelay(bm.ones(2), delay_len=1., dt=dt, before_t0=-2.)
    assert torch.equal(data(-1.), torch.full((2,), -2.))
    np.testing.assert_allclose(data(-0.05).numpy(), [-0.5, -0.5], rtol=1e-5)
    # one time per element of the leading axis
    per = d(torch.tensor([now - 0.1, now - 0.5]))
    np.testing.assert_allclose(per.numpy(), [values[14][0], values[10][1]], rtol=1e-5)


def test_time_delay_checks_and_reset():
    with pytest.raises(bp.errors.UnsupportedError, match='interpolation'):
        bm.TimeDelay(bm.zeros(1), 1., dt=0.1, interp_method='cubic')
    with pytest.raises(ValueError, match='delay_len'):
        bm.TimeDelay(bm.zeros(1), -1., dt=0.1)
    with pytest.raises(ValueError, match='delay_target'):
        bm.TimeDelay(3., 1., dt=0.1)
    d = bm.TimeDelay(bm.zeros(1), 1., dt=0.5)
    d.update(0.5, bm.ones(1))
    d.reset(bm.full((1,), 9.), 2., t0=3.)
    assert d.num_delay_step == 5 and torch.equal(d(3.), torch.full((1,), 9.))
    assert float(d.current_time[0]) == 3.


def test_delays_are_bases_saved_and_loaded():
    d = bm.LengthDelay(bm.zeros(3), 2)
    d.update(bm.ones(3))
    sd = d.state_dict()
    assert set(sd) == {'data', 'idx'}
    e = bm.LengthDelay(bm.zeros(3), 2)
    e.load_state_dict({k: v.clone() for k, v in sd.items()})
    for k in range(3):
        assert torch.equal(e(k), d(k))
    e.update(bm.full((3,), 2.))          # the loaded buffer is written correctly
    assert torch.equal(e(0), torch.full((3,), 2.)) and torch.equal(e(1), torch.ones(3))
    assert sorted(bm.TimeDelay(bm.zeros(1), 1., dt=0.5).vars('relative')) == ['current_time', 'data', 'idx']


@pytest.mark.parametrize('dtype', [torch.bool, torch.float64, torch.int32])
def test_delays_follow_the_dtype_and_device_of_their_target(dtype, device):
    target = torch.ones(4, dtype=dtype, device=device)
    d = bm.LengthDelay(target, 3)
    assert d.data.dtype == dtype and d.data.device.type == device.type
    d.update(torch.zeros(4, dtype=dtype, device=device))
    out = d(1)
    assert out.dtype == dtype and out.device.type == device.type
    assert torch.equal(out.cpu(), torch.ones(4, dtype=dtype))
    t = bm.TimeDelay(torch.ones(2, dtype=torch.float64, device=device), 1., dt=0.5)
    assert t(0.).device.type == device.type and t(0.).dtype == torch.float64


def test_delays_pickle_and_deepcopy():
    import copy
    import pickle
    d = bm.LengthDelay(bm.zeros(3), 2)
    d.update(bm.ones(3))
    for e in (pickle.loads(pickle.dumps(d)), copy.deepcopy(d)):
        assert torch.equal(e(0), torch.ones(3)) and torch.equal(e(1), torch.zeros(3))
        e.update(bm.full((3,), 2.))
        assert torch.equal(e(0), torch.full((3,), 2.))
        assert torch.equal(d(0), torch.ones(3))            # the original is untouched
    c = bp.dyn.ConstantDelay(2, delay=0.2, dt=0.1)
    c2 = pickle.loads(pickle.dumps(c))
    c2.push(bm.ones(2))
    assert torch.equal(c.data.value, torch.zeros(3, 2))


def test_delay_moves_with_to():
    d = bm.LengthDelay(bm.zeros(2), 2)
    d.double()
    assert d.data.dtype == torch.float64
    d.update(torch.ones(2, dtype=torch.float64))
    assert torch.equal(d(0), torch.ones(2, dtype=torch.float64))


def _manual_ring(xs, n_steps, delay):
    """What delay(delay) gives after each update, by hand (differentiable)."""
    hist = [torch.zeros_like(xs[0])] * n_steps
    out = []
    for x in xs:
        out.append(hist[-1 - delay] if delay < len(hist) else hist[0])
        hist = hist[1:] + [x]
    return out


def test_gradients_flow_through_a_delay_under_bm_grad():
    steps, D = 8, 3
    drive = torch.randn(steps, 2)
    w = bm.TrainVar(torch.tensor([0.5, -1.0]))
    delay = bm.LengthDelay(bm.zeros(2), D)

    def loss():
        total = 0.
        for i in range(steps):
            late = delay(D)
            total = total + (late * drive[i]).sum() + (late ** 2).sum()
            delay.update(torch.tanh(drive[i] * w))
        return total

    grads, value = bm.grad(loss, grad_vars=w, return_value=True)()
    wt = torch.tensor([0.5, -1.0], requires_grad=True)
    xs = [torch.tanh(drive[i] * wt) for i in range(steps)]
    lates = _manual_ring(xs, D + 1, D)
    total = sum((late * drive[i]).sum() + (late ** 2).sum() for i, late in enumerate(lates))
    (want,) = torch.autograd.grad(total, wt)
    torch.testing.assert_close(value, total.detach())
    torch.testing.assert_close(grads, want)
    # the writes made under bm.grad are visible after it
    torch.testing.assert_close(delay(0), torch.tanh(drive[-1] * wt).detach())


@pytest.mark.slow
def test_delay_under_jit_matches_eager():
    def run(delay, xs):
        outs = []
        for x in xs:
            outs.append(delay(2) + delay(0))
            delay.update(x)
        return torch.stack(outs)

    xs = torch.randn(5, 3)
    eager = bm.LengthDelay(bm.zeros(3), 2)
    want = run(eager, xs)
    compiled_delay = bm.LengthDelay(bm.zeros(3), 2)
    f = bm.jit(lambda xs: run(compiled_delay, xs))
    got = f(xs)
    torch.testing.assert_close(got, want)
    for k in range(3):
        torch.testing.assert_close(compiled_delay(k), eager(k))


def test_length_delay_doc_tutorial_cells():
    """synapse_models tutorial cells (imports changed)."""
    target_data_to_delay = bm.Variable(bm.zeros(10))
    example_delay = bm.LengthDelay(target_data_to_delay, delay_len=10)
    assert torch.equal(example_delay(5), torch.zeros(10))
    assert torch.equal(example_delay(10), torch.zeros(10))
    t0 = 0.
    example_delay = bm.TimeDelay(target_data_to_delay, delay_len=1.0, t0=t0)
    assert torch.equal(example_delay(t0 - 1.0), torch.zeros(10))
    assert torch.equal(example_delay(t0 - 0.5), torch.zeros(10))


def test_fixed_len_delay_is_brainpy_2_1s_deprecated_time_delay():
    """bm.FixedLenDelay(shape, delay_len, ...) (BrainPy 2.1.12, deprecated since 2.1.2) is a
    TimeDelay of zeros of that shape, with a DeprecationWarning."""
    with pytest.warns(DeprecationWarning, match='bm.TimeDelay'):
        d = bm.FixedLenDelay((3,), delay_len=1., before_t0=2., dt=0.1)
    assert isinstance(d, bm.TimeDelay)
    assert d.data.shape == (11, 3)
    torch.testing.assert_close(d(-0.5), torch.full((3,), 2.))
    torch.testing.assert_close(d(0.), torch.zeros(3))
