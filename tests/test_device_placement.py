"""No transform, optimizer or model method creates tensors on a hard-coded device.

Every case runs twice: on the CPU and on ``torch.device('meta')``, which stands in
for a second device (it refuses to mix with non-scalar CPU tensors, as CUDA does).
The meta run must put every output and every Variable on meta, with the same
structure, shapes and dtypes as the CPU run. This is the CPU-side guard for the
CUDA paths; the ``device`` fixture runs the value tests on a real GPU where one is
present.
"""

import pytest
import torch

import bptorch as bp
import bptorch.math as bm
import bptorch.optimizers as optim


class Net(bp.Base):
    def __init__(self):
        super().__init__()
        self.w = bm.TrainVar(torch.randn(3, 2))
        self.b = bm.TrainVar(torch.zeros(2))
        self.calls = bm.Variable(torch.zeros(()))
        self.lin = torch.nn.Linear(2, 2)

    def loss(self, x):
        self.calls.value = self.calls.value + 1
        return self.lin(torch.tanh(x @ self.w + self.b)).pow(2).sum()


def _write_sum(v, r):
    v.value = v.value + r
    return v.value.sum()


CASES = {
    'grad of TrainVars':
        lambda n, x: bm.grad(n.loss, grad_vars=n.train_vars())(x),
    'grad of args and vars, aux, value':
        lambda n, x: bm.grad(lambda x: (n.loss(x), x), grad_vars=(n.w, n.b), argnums=0,
                             has_aux=True, return_value=True)(x),
    'grad of grad':
        lambda n, x: bm.grad(lambda y: bm.grad(lambda z: (z ** 3).sum())(y).sum())(x),
    'vector_grad':
        lambda n, x: bm.vector_grad(torch.sin, return_value=True)(x),
    'jacrev':
        lambda n, x: bm.jacrev(lambda x: torch.sin(x @ n.w), grad_vars=n.w, argnums=0)(x),
    'jacfwd':
        lambda n, x: bm.jacfwd(lambda x: torch.sin(x @ n.w), grad_vars=n.w, argnums=0)(x),
    'hessian':
        lambda n, x: bm.hessian(lambda v: (torch.sin(v) ** 2).sum())(x[0]),
    'hessian of a Variable':
        lambda n, x: bm.hessian(lambda: (torch.sin(n.w) ** 2).sum(), grad_vars=n.w)(),
    'allow_int':
        lambda n, x: bm.grad(lambda x, i: (x * i).sum(), argnums=(0, 1), allow_int=True)(
            x, torch.ones(x.shape, dtype=torch.int64, device=x.device)),
    'holomorphic':
        lambda n, x: bm.grad(lambda z: (z ** 2).sum(), holomorphic=True)(
            torch.ones(3, dtype=torch.complex64, device=x.device)),
    'complex input':
        lambda n, x: bm.grad(lambda z: (z.abs() ** 2).sum())(
            torch.ones(3, dtype=torch.complex64, device=x.device)),
    'per-example grads':
        lambda n, x: bm.vmap(bm.grad(n.loss, grad_vars=n.train_vars()))(x[:, None]),
    'reduce_axes':
        lambda n, x: bm.vmap(bm.grad(n.loss, grad_vars=n.train_vars(), reduce_axes=('b',)),
                             axis_name='b')(x[:, None]),
    'collectives':
        lambda n, x: bm.vmap(lambda v: bm.psum(v, 'i') + bm.pmax(v, 'i') + bm.axis_size('i'),
                             axis_name='i')(x),
    'batched_vars':
        lambda n, x: (lambda v: (bm.vmap(lambda r: _write_sum(v, r), batched_vars={'v': v})(x),
                                 v.value))(bm.Variable(torch.zeros_like(x))),
    'clip_by_norm':
        lambda n, x: bm.clip_by_norm({'x': x, 'w': n.w.value}, 1.0),
}

OPTIMIZERS = {
    'SGD': lambda v: optim.SGD(optim.StepLR(0.1, 2, 0.5), v),
    'Momentum': lambda v: optim.Momentum(optim.MultiStepLR(0.1, [1, 3]), v),
    'MomentumNesterov': lambda v: optim.MomentumNesterov(optim.PiecewiseConstant([2], [.1, .05]), v),
    'Adagrad': lambda v: optim.Adagrad(optim.InverseTimeDecay(0.1, 2, 0.5), v),
    'Adadelta': lambda v: optim.Adadelta(v, lr=optim.PolynomialDecay(1.0, 3, 0.1)),
    'RMSProp': lambda v: optim.RMSProp(optim.ExponentialDecay(0.1, 2, 0.5), v),
    'Adam': lambda v: optim.Adam(0.1, v),
    'LARS': lambda v: optim.LARS(0.1, v),
}


def _signature(out, net):
    """The structure of an output, with (device type, shape, dtype) at each tensor.

    Keys name the model ``NET`` rather than by its unique name, so that two runs compare.
    """
    if isinstance(out, torch.Tensor):
        return out.device.type, tuple(out.shape), out.dtype
    if isinstance(out, dict):
        return {k.replace(net.name, 'NET'): _signature(v, net) for k, v in out.items()}
    if isinstance(out, (list, tuple)):
        return type(out)(_signature(v, net) for v in out)
    return out


def _on(signature, device_type):
    """The same signature with every tensor's device replaced."""
    if isinstance(signature, tuple) and len(signature) == 3 and isinstance(signature[2], torch.dtype):
        return device_type, signature[1], signature[2]
    if isinstance(signature, dict):
        return {k: _on(v, device_type) for k, v in signature.items()}
    if isinstance(signature, (list, tuple)):
        return type(signature)(_on(v, device_type) for v in signature)
    return signature


def _run(case, device):
    torch.manual_seed(0)
    net = Net().to(device)
    x = torch.randn(4, 3).to(device)
    out = case(net, x)
    variables = {k: getattr(v, 'value', v) for k, v in net.vars(method='relative').items()}
    return _signature(out, net), _signature(variables, net)


@pytest.mark.parametrize('name', list(CASES))
def test_transforms_stay_on_the_device(name):
    on_cpu = _run(CASES[name], 'cpu')
    on_meta = _run(CASES[name], 'meta')
    assert on_meta == _on(on_cpu, 'meta')


@pytest.mark.parametrize('name', list(OPTIMIZERS))
def test_optimizer_state_and_updates_stay_on_the_device(name):
    def train(device):
        torch.manual_seed(0)
        net = Net().to(device)
        opt = OPTIMIZERS[name](net.train_vars())
        grads = bm.grad(net.loss, grad_vars=net.train_vars())
        for _ in range(3):
            opt.update(grads(torch.randn(4, 3).to(device)))
        slots = {k: v for k, v in opt.vars(method='relative').items() if not k.endswith('lr.step')}
        return (_signature({k: v.value for k, v in slots.items()}, net),
                _signature(dict(net.named_parameters()), net))

    assert train('meta') == _on(train('cpu'), 'meta')
