"""The main job: ``python -m bptorch.demo``.

Trains a recurrent rate network by backpropagation through time, written the
BrainPy way: a ``bp.Base`` holding ``bm.TrainVar`` weights and a ``bm.Variable``
hidden state that ``update()`` assigns step by step, gradients from
``bm.grad(..., grad_vars=model.train_vars(), return_value=True)`` through a
``bm.for_loop`` over time, the ``bp.optimizers.Adam`` optimizer, and the whole
training step under ``bm.jit`` (which compiles the loop's body once).

The task: recover a sine wave of random frequency and phase from a noisy copy
of it (the network has to learn a low-pass filter with the right gain and lag).

Run ``python -m bptorch.demo --help`` for the options. A loss-curve PNG is saved
to ``--out`` (default ``demo_out/loss_curve.png``).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time

import torch

import bptorch as bp
import bptorch.math as bm


class Example(bp.Base):
    """The example from BrainPy's documentation of ``bm.grad``."""

    def __init__(self):
        super(Example, self).__init__()
        self.x = bm.TrainVar(bm.zeros(1))
        self.y = bm.random.rand(10)

    def __call__(self, z, v):
        t1 = self.x * self.y.sum()
        t2 = bm.tanh(z * v + t1)
        return t2.mean()


class RateRNN(bp.Base):
    """A rate network: h <- h + alpha * (-h + W_rec tanh(h) + W_in x + b), y = W_out h."""

    def __init__(self, num_in: int = 1, num_hidden: int = 64, num_out: int = 1,
                 batch: int = 32, alpha: float = 0.2):
        super().__init__()
        self.w_in = bm.TrainVar(bm.random.normal(0., 1., (num_in, num_hidden)))
        self.w_rec = bm.TrainVar(bm.random.normal(0., 1. / math.sqrt(num_hidden),
                                                  (num_hidden, num_hidden)))
        self.b = bm.TrainVar(bm.zeros(num_hidden))
        self.w_out = bm.TrainVar(bm.random.normal(0., 1. / math.sqrt(num_hidden),
                                                  (num_hidden, num_out)))
        self.h = bm.Variable(bm.zeros((batch, num_hidden)))
        self.alpha = alpha

    def update(self, x):
        """One time step: update the hidden state and read it out."""
        self.h.value = self.h + self.alpha * (-self.h + bm.tanh(self.h) @ self.w_rec
                                              + x @ self.w_in + self.b)
        return self.h.value @ self.w_out

    def loss(self, xs, ys):
        """Mean squared error over a whole sequence, from a reset state.

        The time loop is ``bm.for_loop``: under ``bm.jit`` its body (one step) is
        compiled once, whatever the sequence length.
        """
        self.h.value = bm.zeros_like(self.h)
        outputs = bm.for_loop(self.update, operands=xs)
        return bm.mean((outputs - ys) ** 2)


def noisy_sines(steps: int, batch: int, device, noise: float = 0.5, dt: float = 0.02):
    """Inputs (noisy sines) and targets (clean sines), shaped (time, batch, 1)."""
    t = bm.arange(steps).to(device) * dt
    freq = 1. + 2. * bm.random.rand(batch).to(device)
    phase = 2 * math.pi * bm.random.rand(batch).to(device)
    clean = bm.sin(2 * math.pi * freq[None] * t[:, None] + phase[None])
    noisy = clean + noise * bm.random.randn(steps, batch).to(device)
    return noisy[..., None], clean[..., None]


def show_example() -> None:
    """Build the seed's Example and print it with its Variables by path."""
    model = Example()
    print(model)
    for path, var in model.vars().items():
        print(f'  {path}: {var!r}')
    z, v = bm.random.rand(10), bm.random.rand(10)
    var_grads, (dz, dv) = bm.grad(model, grad_vars=model.x, argnums=(0, 1))(z, v)
    print(f'  bm.grad(model, grad_vars=model.x, argnums=(0, 1)): d/dx = {var_grads.tolist()}, '
          f'|d/dz| = {float(dz.norm()):.4f}, |d/dv| = {float(dv.norm()):.4f}')


def train(steps: int = 400, device: str = 'cpu', seed: int = 0, hidden: int = 64,
          seq_len: int = 50, batch: int = 32, lr: float = 0.01, jit: bool = True,
          progress: bool = True) -> tuple[list[float], float, float]:
    """Train the rate network.

    Returns the training loss of every step, and the loss on a held-out batch
    before and after training.
    """
    bm.random.seed(seed)
    model = RateRNN(num_hidden=hidden, batch=batch).to(device)
    held_out = noisy_sines(seq_len, batch, device)
    with torch.no_grad():
        before = float(model.loss(*held_out))
    optimizer = bp.optimizers.Adam(lr=lr, train_vars=model.train_vars())
    grad_fn = bm.grad(model.loss, grad_vars=model.train_vars(), return_value=True)

    def train_step(xs, ys):
        grads, loss = grad_fn(xs, ys)
        optimizer.update(grads)
        return loss

    step = bm.jit(train_step) if jit else train_step
    losses = []
    bar = _progress(steps, progress)
    for _ in range(steps):
        xs, ys = noisy_sines(seq_len, batch, device)
        losses.append(float(step(xs, ys)))
        bar.set_postfix(loss=f'{losses[-1]:.4f}')
        bar.update()
    bar.close()
    with torch.no_grad():
        after = float(model.loss(*held_out))
    return losses, before, after


def _progress(total: int, enabled: bool):
    try:
        from tqdm import tqdm
    except ImportError:  # the demo extra installs tqdm; without it, stay quiet
        enabled = False
    if not enabled:
        class Quiet:
            def set_postfix(self, **_): pass
            def update(self): pass
            def close(self): pass
        return Quiet()
    return tqdm(total=total, desc='training (first step compiles)', unit='step', file=sys.stdout)


def save_curve(losses: list[float], path: str) -> str:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.semilogy(losses, lw=1)
    ax.set_xlabel('training step')
    ax.set_ylabel('mean squared error')
    ax.set_title('Rate RNN trained by BPTT with bptorch')
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return os.path.abspath(path)


def main(argv: list[str] | None = None) -> float:
    p = argparse.ArgumentParser(prog='python -m bptorch.demo', description=__doc__.split('\n\n')[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--steps', type=int, default=400, help='training steps (default 400)')
    p.add_argument('--device', default='cpu', help="'cpu' or 'cuda' (default cpu)")
    p.add_argument('--seed', type=int, default=0, help='random seed (default 0)')
    p.add_argument('--hidden', type=int, default=64, help='hidden units (default 64)')
    p.add_argument('--seq-len', type=int, default=50, help='time steps per sequence (default 50)')
    p.add_argument('--no-jit', action='store_true', help='run eagerly instead of with bm.jit')
    p.add_argument('--out', default=os.path.join('demo_out', 'loss_curve.png'),
                   help='where to save the loss curve (default demo_out/loss_curve.png)')
    args = p.parse_args(argv)
    if args.device.startswith('cuda') and not torch.cuda.is_available():
        p.error(f'--device {args.device}: CUDA is not available on this machine')

    print('bptorch', bp.__version__, '| torch', torch.__version__, '| device', args.device)
    show_example()
    start = time.time()
    losses, before, after = train(args.steps, args.device, args.seed, args.hidden, args.seq_len,
                                  jit=not args.no_jit)
    print(f'trained {args.steps} steps in {time.time() - start:.1f} s')
    print(f'held-out loss: {before:.4f} before training, {after:.4f} after '
          f'({before / after:.1f}x lower)')
    print(f'final loss: {after:.4f}')
    print(f'loss curve saved to {save_curve(losses, args.out)}')
    return after


if __name__ == '__main__':
    main()
