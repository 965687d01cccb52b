"""bp.optimizers schedulers: rate sequences against hand computation and torch, state, tracing."""

import math

import pytest
import torch
from torch._dynamo.testing import CompileCounter

from bptorch import optimizers as optim
from bptorch.errors import MathError

N = 15

CASES = {
    'Constant': (lambda: optim.Constant(0.3), lambda i: 0.3),
    'ExponentialDecay': (lambda: optim.ExponentialDecay(0.1, decay_steps=4, decay_rate=0.5),
                         lambda i: 0.1 * 0.5 ** (i / 4)),
    'InverseTimeDecay': (lambda: optim.InverseTimeDecay(0.1, decay_steps=3, decay_rate=0.5),
                         lambda i: 0.1 / (1 + 0.5 * i / 3)),
    'InverseTimeDecay(staircase)': (
        lambda: optim.InverseTimeDecay(0.1, decay_steps=3, decay_rate=0.5, staircase=True),
        lambda i: 0.1 / (1 + 0.5 * math.floor(i / 3))),
    'PolynomialDecay': (lambda: optim.PolynomialDecay(0.1, decay_steps=10, final_lr=0.02),
                        lambda i: 0.08 * (1 - min(i, 10) / 10) + 0.02),
    'PolynomialDecay(power=0.5)': (
        lambda: optim.PolynomialDecay(0.1, decay_steps=8, final_lr=0., power=0.5),
        lambda i: 0.1 * (1 - min(i, 8) / 8) ** 0.5),
    'PiecewiseConstant': (lambda: optim.PiecewiseConstant([3, 8], [0.1, 0.05, 0.01]),
                          lambda i: 0.1 if i <= 3 else 0.05 if i <= 8 else 0.01),
    'StepLR': (lambda: optim.StepLR(0.1, step_size=4, gamma=0.5), lambda i: 0.1 * 0.5 ** (i // 4)),
    'MultiStepLR': (lambda: optim.MultiStepLR(0.1, milestones=[2, 5, 11], gamma=0.2),
                    lambda i: 0.1 * 0.2 ** sum(i >= m for m in (2, 5, 11))),
}


@pytest.mark.parametrize('case', list(CASES))
def test_rate_sequences_equal_the_formulas(case):
    make, formula = CASES[case]
    sched = make()
    got = []
    for _ in range(N):
        lr = sched()
        assert lr.shape == () and lr.dtype == torch.float64
        got.append(lr.item())
        sched.update()
    assert got == pytest.approx([formula(i) for i in range(N)], rel=1e-12, abs=1e-15)
    assert sched.step.value.tolist() == [N]
    # an explicit step, or a tensor of steps, does not need the counter
    assert sched(2).item() == pytest.approx(formula(2), rel=1e-12)
    assert sched(torch.arange(N)).tolist() == pytest.approx(got, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize('ours, theirs', [
    (lambda: optim.StepLR(0.1, 4, 0.5), lambda o: torch.optim.lr_scheduler.StepLR(o, 4, 0.5)),
    (lambda: optim.MultiStepLR(0.1, [2, 5, 11], 0.2),
     lambda o: torch.optim.lr_scheduler.MultiStepLR(o, [2, 5, 11], 0.2)),
])
def test_step_schedules_equal_torchs(ours, theirs):
    sched = ours()
    torch_opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    torch_sched = theirs(torch_opt)
    for _ in range(N):
        assert sched().item() == pytest.approx(torch_sched.get_last_lr()[0], rel=1e-12)
        sched.update()
        torch_opt.step()
        torch_sched.step()


def test_make_schedule():
    sched = optim.ExponentialDecay(0.1, 2, 0.9)
    assert optim.make_schedule(sched) is sched
    const = optim.make_schedule(2)
    assert isinstance(const, optim.Constant) and const.lr == 2.0 and const().item() == 2.0
    for bad in (True, '0.1', None, torch.tensor(0.1)):
        with pytest.raises(TypeError, match='lr must be a number'):
            optim.make_schedule(bad)


def test_invalid_settings_are_refused():
    with pytest.raises(MathError, match='boundaries must be one shorter than values'):
        optim.PiecewiseConstant([1, 2], [0.1, 0.2])
    with pytest.raises(ValueError, match='boundaries must be increasing ints'):
        optim.PiecewiseConstant([2, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match='milestones must be increasing ints'):
        optim.MultiStepLR(0.1, [3, 3])
    with pytest.raises(ValueError, match='step_size must be a positive int'):
        optim.StepLR(0.1, 0)
    with pytest.raises(ValueError, match='decay_steps must be positive'):
        optim.ExponentialDecay(0.1, 0, 0.5)
    with pytest.raises(TypeError, match='lr must be a number, got str'):
        optim.Constant('0.1')


def test_repr_shows_the_settings():
    assert repr(optim.ExponentialDecay(0.1, 4, 0.5)) == \
        'ExponentialDecay(lr=0.1, decay_steps=4, decay_rate=0.5)'
    assert repr(optim.InverseTimeDecay(0.1, 4, 0.5, True)) == \
        'InverseTimeDecay(lr=0.1, decay_steps=4, decay_rate=0.5, staircase=True)'
    assert repr(optim.PiecewiseConstant([3], [0.1, 0.01])) == \
        'PiecewiseConstant(boundaries=[3], values=[0.1, 0.01])'
    assert repr(optim.MultiStepLR(0.1, [2, 5])) == \
        'MultiStepLR(lr=0.1, milestones=[2, 5], gamma=0.1)'


def test_the_step_counter_is_the_only_state_and_round_trips():
    sched = optim.PiecewiseConstant([3], [0.1, 0.01])
    for _ in range(5):
        sched.update()
    state = sched.state_dict()
    assert list(state) == ['step'] and state['step'].tolist() == [5]
    fresh = optim.PiecewiseConstant([3], [0.1, 0.01])
    fresh.load_state_dict(state)
    assert fresh().item() == pytest.approx(0.01)
    fresh.to(torch.float32)                      # a dtype move leaves the integer counter
    assert fresh.step.dtype == torch.int64 and fresh().dtype == torch.float64


def test_schedules_follow_the_device(device):
    sched = optim.MultiStepLR(0.1, [1]).to(device)
    sched.update()
    lr = sched()
    assert lr.device.type == device.type and lr.item() == pytest.approx(0.01)


def test_rates_trace_into_one_graph():
    makers = [make for make, _ in CASES.values()]
    scheds = [make() for make in makers]

    def rates_then_step():
        out = torch.stack([s() for s in scheds])
        for s in scheds:
            s.update()
        return out

    counter = CompileCounter()
    compiled = torch.compile(rates_then_step, backend=counter, fullgraph=True)
    for i in range(6):
        expected = [formula(i) for _, formula in CASES.values()]
        assert compiled().tolist() == pytest.approx(expected, rel=1e-12)
    assert counter.frame_count == 1
