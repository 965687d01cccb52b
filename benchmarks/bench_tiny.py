"""(a) A tiny scalar function: what one gradient call costs beyond the math (dispatch)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

import bptorch.math as bm  # noqa: E402
from benchmarks.harness import Report, median_times, parse_args  # noqa: E402


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
    times = median_times({'autograd': autograd, 'func': lambda: func_grad(x),
                          'bm': lambda: bm_grad(x), 'bm_value': lambda: bm_value(x)},
                         args.min_time, device=dev)
    report.add('tiny', 'torch.autograd.grad (eager)', times['autograd'], baseline=True)
    report.add('tiny', 'torch.func.grad', times['func'])
    report.add('tiny', 'bm.grad', times['bm'], target=1.5)
    report.add('tiny', 'bm.grad(return_value=True)', times['bm_value'])
    report.emit(args.json)


if __name__ == '__main__':
    main()
