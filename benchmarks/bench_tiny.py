"""(a) A tiny scalar function: what one gradient call costs beyond the math (dispatch)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

import bptorch.math as bm  # noqa: E402
from benchmarks.harness import Report, median_time, parse_args  # noqa: E402


def main():
    args = parse_args(__doc__)
    dev = args.device
    f = lambda x: torch.sin(x) * x  # noqa: E731
    x = torch.tensor(0.3, device=dev)

    def autograd():
        leaf = x.detach().requires_grad_()
        return torch.autograd.grad(f(leaf), leaf)[0]

    func_grad = torch.func.grad(f)
    bm_grad = bm.grad(f)
    bm_value = bm.grad(f, return_value=True)
    assert torch.allclose(bm_grad(x), autograd())

    report = Report('tiny scalar function f(x) = sin(x) * x', dev)
    t = lambda fn: median_time(fn, args.min_time, device=dev)  # noqa: E731
    report.add('tiny', 'torch.autograd.grad (eager)', t(autograd), baseline=True)
    report.add('tiny', 'torch.func.grad', t(lambda: func_grad(x)))
    report.add('tiny', 'bm.grad', t(lambda: bm_grad(x)), target=1.5)
    report.add('tiny', 'bm.grad(return_value=True)', t(lambda: bm_value(x)))
    report.emit(args.json)


if __name__ == '__main__':
    main()
