"""Training a spiking network through its dynamics (surrogate gradients, BPTT through a
``bp.dyn.DSRunner`` loop): a LIF layer with a surrogate spike function (``bp.dyn.LIF``
with ``spike_fun``), an exponential synapse and a leaky readout, written as
``bp.dyn`` systems with ``bm.TrainVar`` weights, classifying which of two Poisson rates
drives the inputs.

BrainPy 2.1.12 ships no spiking-network training example (its ``examples/training`` are
rate networks); this is the task of BrainPy 2.2's ``examples/training/SurrogateGrad_lif.py``
(the SpyTorch tutorial: inputs -> LIF -> leaky readout, the maximum of the readout over
time classified with cross entropy, Adam), written with bptorch's 2.1-era ``bp.dyn``.

The gradients of ``bm.grad`` are checked against ``torch.autograd`` of the same steps
written out by hand (with a hand-written sigmoid surrogate), and a few Adam steps must
lower the loss.
"""

import math

import numpy as np
import pytest
import torch

import bptorch as bp
import bptorch.math as bm

DT = 1.0                      # ms
T, BATCH, N_IN, N_REC, N_OUT = 30, 16, 20, 24, 2
TAU_SYN, TAU_MEM, TAU_OUT = 5., 10., 5.
ALPHA = 4.                    # bm.surrogate.sigmoid's default


class ExpSynapse(bp.dyn.DynamicalSystem):
    """Input spikes ``x`` (batch, n_in) through trainable weights into an exponential
    current ``g``: ``g <- g exp(-dt/tau) + x @ W``, added to the post group's input."""

    def __init__(self, num_in, post, num_post, tau, scale):
        super().__init__()
        self.post, self.tau = post, tau
        self.W = bm.TrainVar(bm.random.normal(0., scale / math.sqrt(num_in), (num_in, num_post)))
        self.g = bm.Variable(bm.zeros(post.varshape))

    def update(self, t, dt, x):
        self.g.value = self.g.value * math.exp(-dt / self.tau) + x @ self.W
        self.post.input += self.g.value

    def reset(self):
        self.g.value = bm.zeros_like(self.g.value)


class Readout(bp.dyn.DynamicalSystem):
    """A leaky integrator of the spikes: ``V <- V exp(-dt/tau) + spikes @ W``."""

    def __init__(self, num_in, num_out, batch, tau, scale):
        super().__init__()
        self.tau = tau
        self.W = bm.TrainVar(bm.random.normal(0., scale / math.sqrt(num_in), (num_in, num_out)))
        self.V = bm.Variable(bm.zeros((batch, num_out)))

    def update(self, t, dt, spikes):
        self.V.value = self.V.value * math.exp(-dt / self.tau) + spikes @ self.W

    def reset(self):
        self.V.value = bm.zeros_like(self.V.value)


class SNN(bp.dyn.Network):
    def __init__(self, batch=BATCH):
        super().__init__()
        self.r = bp.dyn.LIF((batch, N_REC), keep_size=True, V_rest=0., V_reset=0., V_th=1.,
                            tau=TAU_MEM, tau_ref=0., method='euler',
                            spike_fun=bm.surrogate.sigmoid)
        self.i2r = ExpSynapse(N_IN, self.r, N_REC, TAU_SYN, scale=3.)
        self.o = Readout(N_REC, N_OUT, batch, TAU_OUT, scale=3.)

    def update(self, t, dt, x):
        self.i2r.update(t, dt, x)
        self.r.update(t, dt)
        self.o.update(t, dt, self.r.spike.value)
        return self.o.V.value


def poisson_task(seed=0, batch=BATCH):
    """Inputs (T, batch, N_IN) of Poisson spikes at 20 Hz (label 0) or 100 Hz (label 1)."""
    rng = np.random.RandomState(seed)
    y = rng.rand(batch) < 0.5
    rates = np.where(y, 100., 20.)[None, :, None] * DT / 1000.
    x = (rng.rand(T, batch, N_IN) < rates).astype(float)
    return bm.asarray(x), bm.asarray(y.astype(np.int64))


class SigmoidSpike(torch.autograd.Function):
    """Heaviside forward, ``alpha sigmoid(alpha x)(1 - sigmoid(alpha x))`` backward."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x >= 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(ALPHA * x)
        return grad * ALPHA * s * (1 - s)


def reference_loss(W_in, W_out, x, y):
    """The same network, written out in torch."""
    batch = x.shape[1]
    g = torch.zeros(batch, N_REC, dtype=x.dtype)
    V = torch.zeros(batch, N_REC, dtype=x.dtype)
    t_last = torch.full((batch, N_REC), -1e7, dtype=x.dtype)
    o = torch.zeros(batch, N_OUT, dtype=x.dtype)
    outs = []
    for i in range(T):
        t = i * DT
        g = g * math.exp(-DT / TAU_SYN) + x[i] @ W_in
        refractory = (t - t_last) <= 0.
        V_new = V + DT * ((-V + 0. + g) / TAU_MEM)
        V_new = torch.where(refractory, V, V_new)
        spike = SigmoidSpike.apply(V_new - 1.)
        V = V_new + (0. - V_new) * spike.detach()
        t_last = torch.where(spike.detach() > 0, torch.full_like(t_last, t), t_last)
        o = o * math.exp(-DT / TAU_OUT) + spike @ W_out
        outs.append(o)
    # the maximum over time; amax shares the gradient among ties, as jnp.max (and bm.max)
    # do (early steps without spikes tie at 0)
    logits = torch.amax(torch.stack(outs), dim=0)
    return torch.nn.functional.cross_entropy(logits, y)


def make(seed=0):
    bm.random.seed(seed)
    net = SNN()
    runner = bp.dyn.DSRunner(net, numpy_mon_after_run=False, progress_bar=False, dt=DT)
    return net, runner


def dsrunner_loss(runner, x, y):
    out = runner.run(inputs=x, reset_state=True)          # (T, batch, N_OUT)
    return bp.losses.cross_entropy_loss(bm.max(out, axis=0), y)


def test_gradients_through_the_runner_equal_torch_autograd_of_the_same_steps():
    bm.enable_x64()
    net, runner = make()
    x, y = poisson_task()
    grad_vars = {'W_in': net.i2r.W, 'W_out': net.o.W}
    f_grad = bm.grad(lambda: dsrunner_loss(runner, x, y), grad_vars=grad_vars,
                     return_value=True)
    grads, loss = f_grad()
    W_in = net.i2r.W.value.detach().clone().requires_grad_(True)
    W_out = net.o.W.value.detach().clone().requires_grad_(True)
    ref = reference_loss(W_in, W_out, x, y)
    ref_grads = torch.autograd.grad(ref, [W_in, W_out])
    torch.testing.assert_close(loss, ref.detach())
    torch.testing.assert_close(grads['W_in'], ref_grads[0])
    torch.testing.assert_close(grads['W_out'], ref_grads[1])
    assert float(grads['W_in'].abs().sum()) > 0 and float(grads['W_out'].abs().sum()) > 0
    assert float(net.r.spike.value.sum()) >= 0                  # a plain tensor after bm.grad


class SNN21(SNN):
    """The same network in BrainPy 2.1's style: the input spikes are a Variable that the
    runner sets at every step (``('x', X, 'iter', '=')``), and the readout is monitored."""

    def __init__(self, batch=BATCH):
        super().__init__(batch)
        self.x = bm.Variable(bm.zeros((batch, N_IN)))

    def update(self, t, dt):
        super().update(t, dt, self.x.value)


def test_gradients_through_brainpy_2_1_inputs_and_monitors():
    bm.enable_x64()
    bm.random.seed(0)
    net = SNN21()
    x, y = poisson_task()

    def loss():
        runner = bp.dyn.DSRunner(net, inputs=[('x', x, 'iter', '=')], monitors=['o.V'],
                                 numpy_mon_after_run=False, progress_bar=False, dt=DT)
        net.reset()
        runner.run(T * DT)
        out = runner.mon['o.V'].reshape(T, BATCH, N_OUT)
        return bp.losses.cross_entropy_loss(bm.max(out, axis=0), y)

    grads, value = bm.grad(loss, grad_vars=net.train_vars().unique(), return_value=True)()
    W_in = net.i2r.W.value.detach().clone().requires_grad_(True)
    W_out = net.o.W.value.detach().clone().requires_grad_(True)
    ref = reference_loss(W_in, W_out, x, y)
    ref_grads = torch.autograd.grad(ref, [W_in, W_out])
    torch.testing.assert_close(value, ref.detach())
    by_id = {id(v): g for v, g in zip(net.train_vars().unique().values(), grads.values())}
    torch.testing.assert_close(by_id[id(net.i2r.W)], ref_grads[0])
    torch.testing.assert_close(by_id[id(net.o.W)], ref_grads[1])


def accuracy(runner, x, y):
    out = runner.run(inputs=x, reset_state=True)
    return float((bm.max(out, axis=0).argmax(-1) == y).double().mean())


def test_adam_training_lowers_the_loss():
    net, runner = make(seed=1)
    x, y = poisson_task(seed=2)
    train_vars = net.train_vars().unique()
    f_grad = bm.grad(lambda: dsrunner_loss(runner, x, y), grad_vars=train_vars,
                     return_value=True)
    opt = bp.optimizers.Adam(lr=2e-2, train_vars=train_vars)
    losses = []
    for _ in range(20):
        grads, loss = f_grad()
        opt.update(grads)
        losses.append(float(loss))
    assert losses[-1] < 0.65 * losses[0], losses
    assert losses[-1] < 0.3, losses
    x_test, y_test = poisson_task(seed=3)
    assert accuracy(runner, x_test, y_test) >= 0.8
