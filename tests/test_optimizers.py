"""bp.optimizers: update rules against torch.optim and by hand, state, errors; bm.clip_by_norm."""

import copy
import math

import pytest
import torch
from torch import nn
from torch._dynamo.testing import CompileCounter

import bptorch as bp
import bptorch.math as bm
from bptorch import optimizers as optim
from bptorch.errors import MathError, StateLoadError
from bptorch.math.clipping import clip_by_norm

STEPS = 25


# -- a small regression problem with several parameter tensors (a 0-d one included) ----

def _problem(dtype):
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(16, 3, generator=gen).to(dtype)
    y = torch.randn(16, 2, generator=gen).to(dtype)
    init = {'W': torch.randn(3, 2, generator=gen).to(dtype),
            'b': torch.randn(2, generator=gen).to(dtype),
            's': torch.tensor(0.7, dtype=dtype)}
    return x, y, init


def _loss(p, x, y):
    return ((x @ p['W'] * p['s'] + p['b'] - y) ** 2).mean()


def _run_ours(make_opt, dtype=torch.float64, steps=STEPS):
    x, y, init = _problem(dtype)
    variables = {k: bm.TrainVar(v) for k, v in init.items()}
    opt = make_opt(variables)
    trajectory = []
    for _ in range(steps):
        values = {k: v.value for k, v in variables.items()}
        grads = torch.autograd.grad(_loss(values, x, y), list(values.values()))
        opt.update(dict(zip(values, grads)))
        trajectory.append({k: v.value.detach().clone() for k, v in variables.items()})
    return trajectory


def _run_torch(make_opt, make_sched=None, dtype=torch.float64, steps=STEPS):
    x, y, init = _problem(dtype)
    params = {k: v.clone().requires_grad_() for k, v in init.items()}
    opt = make_opt(list(params.values()))
    sched = make_sched(opt) if make_sched else None
    trajectory = []
    for _ in range(steps):
        opt.zero_grad()
        _loss(params, x, y).backward()
        opt.step()
        if sched is not None:
            sched.step()
        trajectory.append({k: v.detach().clone() for k, v in params.items()})
    return trajectory


def _run_by_hand(rule, dtype=torch.float64, steps=STEPS):
    """``rule(p, g, t, state) -> new p`` with ``t`` counted from 1 and a per-variable dict state."""
    x, y, init = _problem(dtype)
    params = {k: v.clone() for k, v in init.items()}
    states = {k: {} for k in params}
    trajectory = []
    for t in range(1, steps + 1):
        leaves = {k: v.clone().requires_grad_() for k, v in params.items()}
        grads = dict(zip(leaves, torch.autograd.grad(_loss(leaves, x, y), list(leaves.values()))))
        params = {k: rule(params[k], grads[k], t, states[k]) for k in params}
        trajectory.append({k: v.clone() for k, v in params.items()})
    return trajectory


def _assert_same_trajectory(ours, ref, dtype):
    tol = dict(rtol=1e-10, atol=1e-12) if dtype == torch.float64 else dict(rtol=2e-5, atol=1e-6)
    assert len(ours) == len(ref)
    for step, (a, b) in enumerate(zip(ours, ref)):
        for key in b:
            torch.testing.assert_close(a[key], b[key], **tol,
                                       msg=lambda m: f'step {step}, {key!r}: {m}')
    moved = max((ours[-1][k] - ours[0][k]).abs().max().item() for k in ours[0])
    assert moved > 1e-3, 'the problem should make the parameters move'


TORCH_EQUIVALENTS = {
    'SGD': (lambda v: optim.SGD(0.05, v),
            lambda p: torch.optim.SGD(p, lr=0.05)),
    'Momentum': (lambda v: optim.Momentum(0.05, v, momentum=0.8),
                 lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8)),
    'MomentumNesterov': (lambda v: optim.MomentumNesterov(0.05, v, momentum=0.8),
                         lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True)),
    'Adagrad(epsilon=0)': (lambda v: optim.Adagrad(0.1, v, epsilon=0.),
                           lambda p: torch.optim.Adagrad(p, lr=0.1, eps=0.)),
    'Adadelta': (lambda v: optim.Adadelta(v, epsilon=1e-6, rho=0.9),
                 lambda p: torch.optim.Adadelta(p, lr=1.0, rho=0.9, eps=1e-6)),
    'Adadelta(lr=0.5)': (lambda v: optim.Adadelta(v, lr=0.5, epsilon=1e-4, rho=0.8),
                         lambda p: torch.optim.Adadelta(p, lr=0.5, rho=0.8, eps=1e-4)),
    'RMSProp(epsilon=0)': (lambda v: optim.RMSProp(0.01, v, epsilon=0., rho=0.8),
                           lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.8, eps=0.)),
    'Adam(eps=0)': (lambda v: optim.Adam(0.02, v, beta1=0.8, beta2=0.95, eps=0.),
                    lambda p: torch.optim.Adam(p, lr=0.02, betas=(0.8, 0.95), eps=0.)),
}


@pytest.mark.parametrize('dtype', [torch.float64, torch.float32])
@pytest.mark.parametrize('case', list(TORCH_EQUIVALENTS))
def test_trajectories_equal_torch_optim(case, dtype):
    ours, theirs = TORCH_EQUIVALENTS[case]
    _assert_same_trajectory(_run_ours(ours, dtype), _run_torch(theirs, dtype=dtype), dtype)


def _adagrad_rule(lr, eps):
    def rule(p, g, t, s):
        s['c'] = s.get('c', 0) + g ** 2
        return p - lr * g / torch.sqrt(s['c'] + eps)
    return rule


def _rmsprop_rule(lr, eps, rho):
    def rule(p, g, t, s):
        s['c'] = rho * s.get('c', 0) + (1 - rho) * g ** 2
        return p - lr * g / torch.sqrt(s['c'] + eps)
    return rule


def _adam_rule(lr, b1, b2, eps):
    def rule(p, g, t, s):
        s['m'] = b1 * s.get('m', 0) + (1 - b1) * g
        s['v'] = b2 * s.get('v', 0) + (1 - b2) * g ** 2
        lr_t = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        return p - lr_t * s['m'] / (torch.sqrt(s['v']) + eps)
    return rule


def _lars_rule(lr, momentum, wd, tc, eps):
    def rule(p, g, t, s):
        p_norm, g_norm = torch.linalg.norm(p.flatten()), torch.linalg.norm(g.flatten())
        trust = tc * p_norm / (g_norm + wd * p_norm + eps)
        local_lr = lr * (max(1., trust.item()) if p_norm == 0 or g_norm == 0 else trust.item())
        s['m'] = momentum * s.get('m', 0) + local_lr * (g + wd * p)
        return p - s['m']
    return rule


BY_HAND = {
    # epsilon inside the square root (BrainPy), large enough to matter
    'Adagrad': (lambda v: optim.Adagrad(0.1, v, epsilon=0.5), _adagrad_rule(0.1, 0.5)),
    'RMSProp': (lambda v: optim.RMSProp(0.01, v, epsilon=0.5, rho=0.8),
                _rmsprop_rule(0.01, 0.5, 0.8)),
    # eps after the bias-corrected rate (BrainPy), not torch's placement
    'Adam': (lambda v: optim.Adam(0.02, v, beta1=0.8, beta2=0.95, eps=0.1),
             _adam_rule(0.02, 0.8, 0.95, 0.1)),
    'LARS': (lambda v: optim.LARS(0.5, v, momentum=0.8, weight_decay=0.01, tc=0.2, eps=1e-3),
             _lars_rule(0.5, 0.8, 0.01, 0.2, 1e-3)),
    'LARS(defaults)': (lambda v: optim.LARS(50.0, v), _lars_rule(50.0, 0.9, 1e-4, 1e-3, 1e-5)),
}


@pytest.mark.parametrize('dtype', [torch.float64, torch.float32])
@pytest.mark.parametrize('case', list(BY_HAND))
def test_trajectories_equal_the_rule_written_by_hand(case, dtype):
    ours, rule = BY_HAND[case]
    _assert_same_trajectory(_run_ours(ours, dtype), _run_by_hand(rule, dtype), dtype)


def test_epsilon_placement_differs_from_torch():
    """Documented difference: with eps != 0, BrainPy's Adam and RMSProp are not torch's."""
    ours = _run_ours(lambda v: optim.Adam(0.02, v, eps=0.1))
    theirs = _run_torch(lambda p: torch.optim.Adam(p, lr=0.02, eps=0.1))
    assert not torch.allclose(ours[-1]['W'], theirs[-1]['W'], rtol=1e-6)


def test_lars_local_rate_when_a_norm_is_zero():
    zero, still = bm.TrainVar(bm.zeros(2)), bm.TrainVar(bm.array([3., 4.]))
    opt = optim.LARS(0.1, {'zero': zero, 'still': still}, momentum=0., weight_decay=0.5,
                     tc=0.1, eps=0.)
    opt.update({'zero': bm.array([1., 2.]), 'still': bm.zeros(2)})
    # p = 0: the local rate is lr (trust ratio 0, max(1, 0) = 1)
    torch.testing.assert_close(zero.value.detach(), torch.tensor([-0.1, -0.2]))
    # g = 0: trust = 0.1 * 5 / (0.5 * 5) = 0.2, local rate lr * max(1, 0.2) = lr
    torch.testing.assert_close(still.value.detach(), torch.tensor([3., 4.]) * (1 - 0.1 * 0.5))


# -- schedulers inside optimizers -----------------------------------------------------

SCHEDULES = {
    'ExponentialDecay': (lambda: optim.ExponentialDecay(0.05, decay_steps=4, decay_rate=0.5),
                         lambda k: 0.5 ** (k / 4)),
    'InverseTimeDecay': (lambda: optim.InverseTimeDecay(0.05, 3, 2.0, staircase=True),
                         lambda k: 1 / (1 + 2.0 * (k // 3))),
    'PolynomialDecay': (lambda: optim.PolynomialDecay(0.05, 10, 0.01, power=2.),
                        lambda k: ((1 - min(k, 10) / 10) ** 2 * 0.04 + 0.01) / 0.05),
    'PiecewiseConstant': (lambda: optim.PiecewiseConstant([5, 12], [0.05, 0.02, 0.005]),
                          lambda k: [1., 0.4, 0.1][(k > 5) + (k > 12)]),
    'StepLR': (lambda: optim.StepLR(0.05, step_size=7, gamma=0.5), lambda k: 0.5 ** (k // 7)),
    'MultiStepLR': (lambda: optim.MultiStepLR(0.05, [3, 10], gamma=0.3),
                    lambda k: 0.3 ** ((k >= 3) + (k >= 10))),
}


@pytest.mark.parametrize('case', list(SCHEDULES))
def test_an_optimizer_uses_the_scheduled_rate(case):
    make_sched, factor = SCHEDULES[case]
    lambda_lr = lambda opt: torch.optim.lr_scheduler.LambdaLR(opt, factor)  # noqa: E731
    _assert_same_trajectory(_run_ours(lambda v: optim.SGD(make_sched(), v)),
                            _run_torch(lambda p: torch.optim.SGD(p, lr=0.05), lambda_lr),
                            torch.float64)
    _assert_same_trajectory(
        _run_ours(lambda v: optim.Adam(make_sched(), v, eps=0.)),
        _run_torch(lambda p: torch.optim.Adam(p, lr=0.05, eps=0.), lambda_lr), torch.float64)


def test_step_and_multistep_schedules_equal_torchs_schedulers():
    for ours, theirs in [
            (optim.StepLR(0.05, 7, 0.5), lambda o: torch.optim.lr_scheduler.StepLR(o, 7, 0.5)),
            (optim.MultiStepLR(0.05, [3, 10], 0.3),
             lambda o: torch.optim.lr_scheduler.MultiStepLR(o, [3, 10], 0.3))]:
        _assert_same_trajectory(_run_ours(lambda v: optim.SGD(ours, v)),
                                _run_torch(lambda p: torch.optim.SGD(p, lr=0.05), theirs),
                                torch.float64)


def test_update_steps_the_scheduler_once():
    w = bm.TrainVar(bm.zeros(1))
    opt = optim.SGD(optim.PiecewiseConstant([1], [1., 0.1]), {'w': w})
    for _ in range(3):
        opt.update({'w': bm.ones(1)})
    assert opt.lr.step.value.tolist() == [3]
    torch.testing.assert_close(w.value.detach(), torch.tensor([-2.1]))   # 1 + 1 + 0.1


# -- registration -----------------------------------------------------------------------

def test_a_number_becomes_a_constant_schedule_and_the_repr_shows_settings():
    opt = optim.Adam(0.01)
    assert isinstance(opt.lr, optim.Constant)
    assert repr(opt) == 'Adam(lr=Constant(lr=0.01), beta1=0.9, beta2=0.999, eps=1e-08)'
    assert repr(optim.SGD(0.1)) == 'SGD(lr=Constant(lr=0.1))'
    with pytest.raises(TypeError, match='lr must be a number or a bp.optimizers.Scheduler'):
        optim.SGD('fast')


def test_defaults_are_brainpys():
    assert (optim.Momentum(0.1).momentum, optim.MomentumNesterov(0.1).momentum) == (0.9, 0.9)
    assert optim.Adagrad(0.1).epsilon == 1e-6
    assert (optim.RMSProp(0.1).epsilon, optim.RMSProp(0.1).rho) == (1e-6, 0.9)
    ada = optim.Adadelta()
    assert (ada.epsilon, ada.rho, ada.lr.lr) == (1e-6, 0.95, 1.0)
    lars = optim.LARS(0.1)
    assert (lars.momentum, lars.weight_decay, lars.tc, lars.eps) == (0.9, 1e-4, 1e-3, 1e-5)
    w = bm.TrainVar(bm.zeros(1))
    assert optim.Adadelta({'w': w}).vars_to_train['w'] is w     # train_vars first, as in 2.1


def test_register_vars_later_and_state_names_follow_the_paths():
    opt = optim.Adam(0.01)
    assert len(opt.vars_to_train) == 0 and len(opt.implicit_vars) == 0
    w, b = bm.TrainVar(bm.ones((2, 3))), bm.TrainVar(bm.zeros(3))
    opt.register_vars({'Net.w': w})
    opt.register_vars(bm.TensorCollector({'Net.b': b, 'Net.w': w}))   # same object again: fine
    assert list(opt.vars_to_train) == ['Net.w', 'Net.b']
    assert list(opt.implicit_vars) == ['Net_w_m', 'Net_w_v', 'Net_b_m', 'Net_b_v']
    assert all(v.shape == w.shape for k, v in opt.implicit_vars.items() if k.startswith('Net_w'))
    assert sorted(opt.state_dict()) == ['Net_b_m', 'Net_b_v', 'Net_w_m', 'Net_w_v', 'lr.step']


def test_register_vars_refuses_bad_input_and_changes_nothing():
    w = bm.TrainVar(bm.ones(2))
    opt = optim.Adam(0.01, {'a.b': w})
    with pytest.raises(ValueError, match="'a.b' is already registered for a different variable"):
        opt.register_vars({'a.b': bm.TrainVar(bm.ones(2))})
    with pytest.raises(ValueError, match="state of 'a_b' would be named 'a_b_m'"):
        opt.register_vars({'c': bm.TrainVar(bm.ones(1)), 'a_b': bm.TrainVar(bm.ones(2))})
    with pytest.raises(MathError, match='train_vars must be a dict'):
        opt.register_vars([w])
    with pytest.raises(TypeError, match="'n' has dtype torch.int64"):
        opt.register_vars({'n': bm.Variable(bm.arange(3))})
    with pytest.raises(TypeError, match="'f' must be a bm.Variable or a tensor"):
        opt.register_vars({'f': 1.0})
    assert list(opt.vars_to_train) == ['a.b'] and list(opt.implicit_vars) == ['a_b_m', 'a_b_v']


# -- update errors ------------------------------------------------------------------------

def _adam_with_history():
    w, b = bm.TrainVar(bm.ones((2, 2))), bm.TrainVar(bm.zeros(2))
    opt = optim.Adam(0.1, {'w': w, 'b': b})
    opt.update({'w': bm.ones((2, 2)), 'b': bm.ones(2)})
    snapshot = {k: v.clone() for k, v in opt.state_dict().items()}
    return opt, (w, b), snapshot, (w.value.detach().clone(), b.value.detach().clone())


@pytest.mark.parametrize('grads, error, message', [
    ({'w': bm.ones((2, 2))}, KeyError, r"missing: \['b'\], unexpected: \[\]"),
    ({'w': bm.ones((2, 2)), 'b': bm.ones(2), 'c': bm.ones(1)}, KeyError,
     r"missing: \[\], unexpected: \['c'\]"),
    ({'w': bm.ones((2, 2)), 'x': bm.ones(2)}, KeyError, r"missing: \['b'\], unexpected: \['x'\]"),
    ({'w': bm.ones((2, 2)), 'b': bm.ones(3)}, ValueError, r"'b': shape \(3,\) for a variable of "
                                                        r"shape \(2,\)\); nothing was updated"),
    ({'w': bm.ones((2, 2)), 'b': bm.ones(2, dtype=torch.float64)}, ValueError,
     "'b': dtype torch.float64 for a variable of dtype torch.float32"),
    ({'w': bm.ones((2, 2)), 'b': [1., 1.]}, ValueError, "'b': expected a tensor, got list"),
])
def test_grads_that_do_not_match_raise_and_change_nothing(grads, error, message):
    opt, (w, b), snapshot, (w0, b0) = _adam_with_history()
    with pytest.raises(error, match=message):
        opt.update(grads)
    assert torch.equal(w.value, w0) and torch.equal(b.value, b0)
    for key, value in opt.state_dict().items():
        assert torch.equal(value, snapshot[key]), key


def test_grads_may_be_variables_and_collectors():
    w = bm.TrainVar(bm.ones(2))
    opt = optim.SGD(0.5, bm.TensorCollector(w=w))
    opt.update(bm.TensorCollector(w=bm.Variable(bm.ones(2))))
    torch.testing.assert_close(w.value.detach(), torch.full((2,), 0.5))
    with pytest.raises(TypeError, match='grads must be a dict'):
        opt.update([bm.ones(2)])


# -- models, devices, state dicts -----------------------------------------------------------

class Net(bp.Base):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.fc = nn.Linear(3, 2)
        self.scale = bm.TrainVar(bm.ones(2))
        self.count = bm.Variable(bm.zeros(1))        # not trained

    def __call__(self, x):
        return self.fc(x) * self.scale

    def loss(self, x, y):
        return ((self(x) - y) ** 2).mean()


def test_training_a_models_train_vars_with_a_torch_linear_inside():
    torch.manual_seed(0)
    net = Net()
    x, y = torch.randn(8, 3), torch.randn(8, 2)
    weight, bias = net.fc.weight, net.fc.bias
    ref = {'weight': weight.detach().clone().requires_grad_(),
           'bias': bias.detach().clone().requires_grad_(),
           'scale': net.scale.value.detach().clone().requires_grad_()}
    ref_opt = torch.optim.SGD(list(ref.values()), lr=0.1, momentum=0.5)

    train_vars = net.train_vars()
    assert sorted(train_vars) == sorted(f'{net.name}.{k}'
                                        for k in ('fc.weight', 'fc.bias', 'scale'))
    opt = optim.Momentum(0.1, train_vars, momentum=0.5)
    grad = bm.grad(net.loss, grad_vars=train_vars)
    for _ in range(20):
        opt.update(grad(x, y))
        ref_opt.zero_grad()
        ((torch.nn.functional.linear(x, ref['weight'], ref['bias']) * ref['scale'] - y) ** 2
         ).mean().backward()
        ref_opt.step()
    assert net.fc.weight is weight and net.fc.bias is bias       # updated in place
    torch.testing.assert_close(weight.detach(), ref['weight'].detach())
    torch.testing.assert_close(bias.detach(), ref['bias'].detach())
    torch.testing.assert_close(net.scale.value.detach(), ref['scale'].detach())
    assert weight.requires_grad and weight.grad is None


def _train(net, opt, steps, x):
    grad = bm.grad(net.loss, grad_vars=opt.vars_to_train)
    for _ in range(steps):
        opt.update(grad(x, torch.ones_like(x[:, :2])))
    return [p.detach().clone() for p in opt.vars_to_train.values()]


@pytest.mark.parametrize('make_opt', [
    lambda v: optim.Adam(optim.ExponentialDecay(0.05, 5, 0.5), v),
    lambda v: optim.Adadelta(v, lr=0.5),
    lambda v: optim.LARS(0.5, v),
])
def test_state_dict_round_trip_resumes_the_same_trajectory(make_opt):
    torch.manual_seed(1)
    x = torch.randn(4, 3)
    net_a = Net()
    opt_a = make_opt(net_a.train_vars('relative'))
    _train(net_a, opt_a, 5, x)
    saved_net = copy.deepcopy(net_a.state_dict())
    saved_opt = copy.deepcopy(opt_a.state_dict())
    expected = _train(net_a, opt_a, 5, x)

    net_b = Net()
    opt_b = make_opt(net_b.train_vars('relative'))
    net_b.load_state_dict(saved_net)
    opt_b.load_state_dict(saved_opt)
    assert opt_b.lr.step.value.tolist() == [5]
    for a, b in zip(expected, _train(net_b, opt_b, 5, x)):
        torch.testing.assert_close(a, b, rtol=0, atol=0)


def test_state_of_absolute_paths_does_not_load_into_a_model_of_another_name():
    opt_a, opt_b = optim.Adam(0.1, Net().train_vars()), optim.Adam(0.1, Net().train_vars())
    with pytest.raises(StateLoadError, match='missing keys'):
        opt_b.load_state_dict(opt_a.state_dict())


def test_state_moves_with_to_float64_and_keeps_training():
    torch.manual_seed(2)
    net = Net()
    x = torch.randn(4, 3)
    opt = optim.Adam(0.05, net.train_vars())
    _train(net, opt, 3, x)
    before = {k: v.clone() for k, v in opt.state_dict().items()}
    net.to(torch.float64)
    opt.to(torch.float64)
    states = opt.state_dict()
    assert all(v.dtype == torch.float64 for k, v in states.items() if k != 'lr.step')
    assert states['lr.step'].dtype == torch.int64
    for key, value in before.items():
        torch.testing.assert_close(states[key], value.to(states[key].dtype))
    assert all(v.dtype == torch.float64 for v in opt.implicit_vars.values())
    after = _train(net, opt, 3, x.double())
    assert all(p.dtype == torch.float64 and torch.isfinite(p).all() for p in after)
    assert opt.lr.step.value.tolist() == [6]


def test_state_follows_the_device(device):
    net = Net().to(device)
    opt = optim.Adam(optim.PiecewiseConstant([2], [0.1, 0.01]), net.train_vars())
    opt.to(device)
    assert all(v.device.type == device.type for v in opt.implicit_vars.values())
    assert opt.lr.step.device.type == device.type and opt.lr().device.type == device.type
    _train(net, opt, 2, torch.randn(4, 3, device=device))
    assert opt.lr.step.value.tolist() == [2]


@pytest.mark.parametrize('register_later', [False, True])
def test_the_schedulers_step_moves_to_the_device_of_the_trained_variables(device, register_later):
    """No explicit opt.to(device): the first variables registered decide (meta stands in
    for a second device on the CPU run)."""
    target = torch.device('meta') if device.type == 'cpu' else device
    net = Net().to(target)
    schedule = optim.PiecewiseConstant([2], [0.1, 0.01])
    opt = optim.Adam(schedule) if register_later else optim.Adam(schedule, net.train_vars())
    if register_later:
        opt.register_vars(net.train_vars())
    assert schedule.step.device.type == target.type
    assert all(v.device.type == target.type for v in opt.vars().values())
    opt.update({k: torch.ones_like(v) for k, v in net.train_vars().items()})
    assert schedule.step.device.type == target.type


def test_the_schedulers_step_starts_on_the_default_device(device, monkeypatch):
    if device.type == 'cuda':
        bm.set_platform('gpu')
    else:   # meta stands in for the GPU platform
        monkeypatch.setattr(bm.settings, 'default_device', lambda: torch.device('meta'))
    assert optim.StepLR(0.1, 2).step.device.type == ('cuda' if device.type == 'cuda' else 'meta')


# -- torch.compile ----------------------------------------------------------------------------

def test_updates_compile_to_one_graph_without_recompiling_as_steps_advance():
    makers = [
        lambda v: optim.SGD(optim.StepLR(0.1, 2, 0.5), v),
        lambda v: optim.Momentum(optim.MultiStepLR(0.1, [1, 3]), v),
        lambda v: optim.MomentumNesterov(optim.PiecewiseConstant([2], [0.1, 0.05]), v),
        lambda v: optim.Adagrad(optim.InverseTimeDecay(0.1, 2, 0.5), v),
        lambda v: optim.Adadelta(v, lr=optim.PolynomialDecay(1.0, 3, 0.1)),
        lambda v: optim.RMSProp(optim.ExponentialDecay(0.1, 2, 0.5), v),
        lambda v: optim.Adam(0.1, v),
        lambda v: optim.LARS(0.1, v),
    ]

    def build():
        variables = [{'w': bm.TrainVar(bm.ones((2, 3))), 's': bm.TrainVar(bm.array(0.5))}
                     for _ in makers]
        return variables, [make(v) for make, v in zip(makers, variables)]

    eager_vars, eager_opts = build()
    compiled_vars, compiled_opts = build()

    def step(opts, grads):
        for opt in opts:
            opt.update(grads)

    counter = CompileCounter()
    compiled = torch.compile(step, backend=counter, fullgraph=True)
    gen = torch.Generator().manual_seed(3)
    for _ in range(4):
        grads = {'w': torch.randn(2, 3, generator=gen), 's': torch.randn((), generator=gen)}
        step(eager_opts, grads)
        compiled(compiled_opts, grads)
    assert counter.frame_count == 1
    for a, b in zip(eager_vars, compiled_vars):
        for key in a:
            torch.testing.assert_close(a[key].value, b[key].value)


# -- bm.clip_by_norm ----------------------------------------------------------------------------

def test_clip_by_norm_of_a_tensor():
    t = torch.tensor([3., 4.])
    torch.testing.assert_close(clip_by_norm(t, 1.0), torch.tensor([0.6, 0.8]))
    torch.testing.assert_close(clip_by_norm(t, 10.0), t)             # within the bound
    torch.testing.assert_close(clip_by_norm(bm.Variable(t), torch.tensor(2.5)), t / 2)
    m = torch.tensor([[3., 4.], [0.3, 0.4], [0., 0.]])
    torch.testing.assert_close(clip_by_norm(m, 1.0, axis=1),
                               torch.tensor([[0.6, 0.8], [0.3, 0.4], [0., 0.]]))
    torch.testing.assert_close(clip_by_norm(m, 1.0, axis=0),
                               m / torch.tensor([3.015, 4.02]).clamp(min=1.0), rtol=1e-3, atol=0)


def test_clip_by_norm_of_a_structure_uses_the_global_norm():
    grads = {'a': torch.tensor([3., 0.]), 'b': (torch.tensor(4.), [bm.Variable(bm.zeros(2))])}
    out = clip_by_norm(grads, 1.0)                         # global norm 5
    assert type(out) is dict and type(out['b']) is tuple and type(out['b'][1]) is list
    torch.testing.assert_close(out['a'], torch.tensor([0.6, 0.]))
    torch.testing.assert_close(out['b'][0], torch.tensor(0.8))
    torch.testing.assert_close(out['b'][1][0], torch.zeros(2))
    kept = clip_by_norm([torch.tensor([1., 1.]), torch.tensor([1.])], 2.0)   # norm sqrt(3) < 2
    assert type(kept) is list
    torch.testing.assert_close(kept[0], torch.tensor([1., 1.]))
    mixed = clip_by_norm(bm.TensorCollector(x=torch.tensor([6.], dtype=torch.float64),
                                            y=torch.tensor([8.])), 5.0)
    assert type(mixed) is bm.TensorCollector
    assert (mixed['x'].dtype, mixed['y'].dtype) == (torch.float64, torch.float32)
    torch.testing.assert_close(mixed['y'], torch.tensor([4.]))


def test_clip_by_norm_errors_and_tracing():
    with pytest.raises(ValueError, match='max_norm must be positive'):
        clip_by_norm(torch.ones(2), 0.)
    with pytest.raises(ValueError, match='axis is only for a single tensor'):
        clip_by_norm([torch.ones(2)], 1.0, axis=0)
    with pytest.raises(TypeError, match='got str'):
        clip_by_norm({'a': 'x'}, 1.0)
    counter = CompileCounter()
    f = torch.compile(lambda g: clip_by_norm(g, 1.0), backend=counter, fullgraph=True)
    for scale in (0.1, 10.0):                         # one below, one above the bound
        g = {'a': torch.tensor([3., 4.]) * scale}
        torch.testing.assert_close(f(g)['a'], clip_by_norm(g, 1.0)['a'])
    assert counter.frame_count == 1


def test_a_model_converted_after_the_optimizer_is_a_clear_error_that_changes_nothing():
    net = Net()
    opt = optim.Adam(0.05, net.train_vars())
    x = torch.randn(4, 3)
    _train(net, opt, 2, x)
    net.double()
    before = {k: v.detach().clone() for k, v in opt.vars_to_train.items()}
    states = {k: v.value.clone() for k, v in opt.implicit_vars.items()}
    grad = bm.grad(net.loss, grad_vars=opt.vars_to_train)(x.double(), torch.ones(4, 2).double())
    with pytest.raises(ValueError, match=r"its optimizer state '\w+_m' is torch.float32 on cpu but "
                                         r'the variable is torch.float64 on cpu; after converting '
                                         r'the model, convert the optimizer too \(opt.to\(...\)\)'):
        opt.update(grad)
    assert all(torch.equal(v, before[k]) for k, v in opt.vars_to_train.items())
    assert all(torch.equal(v.value, states[k]) for k, v in opt.implicit_vars.items())
    assert opt.lr.step.value.tolist() == [2]
    opt.to(torch.float64)
    opt.update(grad)
    assert opt.lr.step.value.tolist() == [3]
