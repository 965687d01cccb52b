"""The workloads, each written twice with the same math: the BrainPy way (a ``bp.Base``
holding ``bm.TrainVar`` s) and as a plain ``torch.nn.Module`` for the raw baselines."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

import bptorch as bp
import bptorch.math as bm


class ManyVars(bp.Base):
    """K small TrainVars: the per-variable cost of a transform."""

    def __init__(self, k: int, size: int = 4):
        super().__init__()
        self.ws = [bm.TrainVar(torch.randn(size) * 0.1) for _ in range(k)]
        self.register_implicit_vars(self.ws)

    def loss(self, x):
        return sum(torch.tanh(w * x).sum() for w in self.ws)


class TorchManyVars(nn.Module):
    def __init__(self, k: int, size: int = 4):
        super().__init__()
        self.ws = nn.ParameterList([nn.Parameter(torch.randn(size) * 0.1) for _ in range(k)])

    def forward(self, x):
        return sum(torch.tanh(w * x).sum() for w in self.ws)


class MLP(bp.Base):
    """A 3-layer perceptron (784-256-256-10 by default) with cross-entropy loss."""

    def __init__(self, sizes=(784, 256, 256, 10)):
        super().__init__()
        layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            w = bm.TrainVar(torch.randn(n_in, n_out) * n_in ** -0.5)
            b = bm.TrainVar(torch.zeros(n_out))
            setattr(self, f'w{i}', w)
            setattr(self, f'b{i}', b)
            layers.append((w, b))
        self.layers = layers

    def loss(self, x, y):
        h = x
        for i, (w, b) in enumerate(self.layers):
            h = torch.addmm(b.value, h, w.value)
            if i < len(self.layers) - 1:
                h = torch.relu(h)
        return F.cross_entropy(h, y)


class TorchMLP(nn.Module):
    def __init__(self, sizes=(784, 256, 256, 10)):
        super().__init__()
        self.depth = len(sizes) - 1
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            self.register_parameter(f'w{i}', nn.Parameter(torch.randn(n_in, n_out) * n_in ** -0.5))
            self.register_parameter(f'b{i}', nn.Parameter(torch.zeros(n_out)))

    def forward(self, x, y):
        h = x
        for i in range(self.depth):
            h = torch.addmm(getattr(self, f'b{i}'), h, getattr(self, f'w{i}'))
            if i < self.depth - 1:
                h = torch.relu(h)
        return F.cross_entropy(h, y)


class RateRNN(bp.Base):
    """A rate network h <- h + dt/tau (-h + W tanh(h) + U x_t), read out every step.

    The final hidden state is kept in a Variable, as a BrainPy model would.
    """

    def __init__(self, n: int = 256, n_in: int = 16, n_out: int = 4, batch: int = 32,
                 dt_over_tau: float = 0.1):
        super().__init__()
        self.w_rec = bm.TrainVar(torch.randn(n, n) * (1.5 / n ** 0.5))
        self.w_in = bm.TrainVar(torch.randn(n_in, n) * n_in ** -0.5)
        self.w_out = bm.TrainVar(torch.randn(n, n_out) * n ** -0.5)
        self.h = bm.Variable(torch.zeros(batch, n))
        self.alpha = dt_over_tau

    def loss(self, xs, ys):
        h = torch.zeros_like(self.h.value)
        w_rec, w_in, w_out, a = self.w_rec.value, self.w_in.value, self.w_out.value, self.alpha
        total = 0.
        for t in range(xs.shape[0]):
            h = h + a * (-h + torch.tanh(h) @ w_rec + xs[t] @ w_in)
            total = total + ((h @ w_out - ys[t]) ** 2).mean()
        self.h.value = h
        return total / xs.shape[0]


class TorchRateRNN(nn.Module):
    def __init__(self, n: int = 256, n_in: int = 16, n_out: int = 4, batch: int = 32,
                 dt_over_tau: float = 0.1):
        super().__init__()
        self.w_rec = nn.Parameter(torch.randn(n, n) * (1.5 / n ** 0.5))
        self.w_in = nn.Parameter(torch.randn(n_in, n) * n_in ** -0.5)
        self.w_out = nn.Parameter(torch.randn(n, n_out) * n ** -0.5)
        self.register_buffer('h', torch.zeros(batch, n))
        self.alpha = dt_over_tau

    def forward(self, xs, ys):
        h = torch.zeros_like(self.h)
        total = 0.
        for t in range(xs.shape[0]):
            h = h + self.alpha * (-h + torch.tanh(h) @ self.w_rec + xs[t] @ self.w_in)
            total = total + ((h @ self.w_out - ys[t]) ** 2).mean()
        return total / xs.shape[0]


def copy_into(torch_model: nn.Module, base_model: bp.Base) -> None:
    """Give the torch twin the same parameter values as the bptorch model (same order)."""
    with torch.no_grad():
        for p, v in zip(torch_model.parameters(), base_model.parameters(), strict=True):
            p.copy_(v)


class RateRNNLoop(RateRNN):
    """:class:`RateRNN` written the BrainPy way: a step that assigns the hidden-state
    Variable, looped with ``bm.for_loop`` (``unroll`` steps per compiled call)."""

    def __init__(self, *args, unroll: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.unroll = unroll

    def step(self, xy):
        x, y = xy
        h = self.h.value
        self.h.value = h + self.alpha * (-h + torch.tanh(h) @ self.w_rec + x @ self.w_in)
        return ((self.h.value @ self.w_out - y) ** 2).mean()

    def loss(self, xs, ys):
        self.h.value = torch.zeros_like(self.h.value)
        return bm.for_loop(self.step, operands=(xs, ys), unroll=self.unroll).mean()

    def loss_python(self, xs, ys):
        """The same steps as a hand-written Python loop."""
        self.h.value = torch.zeros_like(self.h.value)
        return torch.stack([self.step((xs[t], ys[t])) for t in range(xs.shape[0])]).mean()
