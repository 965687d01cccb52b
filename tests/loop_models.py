"""A small rate RNN written the BrainPy way, and the same loss as a hand-written
Python loop: shared by the loop tests (test_controls.py, test_tape.py)."""

import torch

import bptorch as bp
import bptorch.math as bm


class Rate(bp.Base):
    """A small rate RNN whose step is written the BrainPy way."""

    def __init__(self, n=8, n_in=3, batch=2):
        super().__init__()
        g = torch.Generator().manual_seed(0)
        self.w = bm.TrainVar(torch.randn(n, n, generator=g) * 0.3)
        self.u = bm.TrainVar(torch.randn(n_in, n, generator=g) * 0.3)
        self.h = bm.Variable(torch.zeros(batch, n))

    def step(self, x):
        self.h.value = self.h + 0.2 * (-self.h + torch.tanh(self.h) @ self.w + x @ self.u)
        return self.h.value.sum(-1)

    def loss_loop(self, xs, **kw):
        self.h.value = torch.zeros_like(self.h.value)
        return (bm.for_loop(self.step, operands=xs, **kw) ** 2).mean()

    def loss_python(self, xs):
        self.h.value = torch.zeros_like(self.h.value)
        return (torch.stack([self.step(x) for x in xs]) ** 2).mean()


def reference_loss(w, u, xs, batch=2):
    h = torch.zeros(batch, w.shape[0])
    outs = []
    for x in xs:
        h = h + 0.2 * (-h + torch.tanh(h) @ w + x @ u)
        outs.append(h.sum(-1))
    return (torch.stack(outs) ** 2).mean(), h


def xs_of(t=6, seed=1):
    return torch.randn(t, 2, 3, generator=torch.Generator().manual_seed(seed))
