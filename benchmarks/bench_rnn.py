"""(d) A rate RNN trained by backpropagation through time (N=256, T=100 on CPU).

Eager and compiled: ``bm.jit(bm.grad(...))`` against ``torch.compile`` of the raw
``torch.func`` gradient, with the first call (compile time) reported separately.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402
from torch.func import functional_call, grad_and_value  # noqa: E402

import bptorch.math as bm  # noqa: E402
from benchmarks.harness import Report, median_time, parse_args, sync  # noqa: E402
from benchmarks.models import RateRNN, TorchRateRNN, copy_into  # noqa: E402

COMPILE_TARGET_S = 15.0


def first_call(fn, device):
    sync(device)
    t = time.perf_counter()
    fn()
    sync(device)
    return time.perf_counter() - t


def main():
    args = parse_args(__doc__)
    dev = args.device
    n, batch, steps = (256, 32, 100) if dev.type == 'cpu' else (1024, 256, 100)
    torch.manual_seed(0)
    model = RateRNN(n=n, batch=batch).to(dev)
    twin = TorchRateRNN(n=n, batch=batch).to(dev)
    copy_into(twin, model)
    xs = torch.randn(steps, batch, 16, device=dev)
    ys = torch.randn(steps, batch, 4, device=dev)
    params = list(model.parameters())
    detached = {k: p.detach() for k, p in twin.named_parameters()}
    raw = grad_and_value(lambda p, xs, ys: functional_call(twin, p, (xs, ys)))
    raw_compiled = torch.compile(raw)
    ours = bm.grad(model.loss, grad_vars=model.train_vars(), return_value=True)
    ours_jit = bm.jit(ours)

    def autograd():
        loss = model.loss(xs, ys)
        return torch.autograd.grad(loss, params), loss.detach()

    got, _ = ours(xs, ys)
    assert all(torch.allclose(g, r, atol=1e-5) for g, r in zip(got.values(), autograd()[0]))

    report = Report(f'rate RNN N={n}, T={steps}, batch {batch}, BPTT', dev)
    t = lambda fn: median_time(fn, args.min_time, device=dev)  # noqa: E731
    case = 'RNN'
    report.add(case, 'torch.autograd.grad on the bptorch model', t(autograd), baseline=True)
    report.add(case, 'torch.func.grad_and_value + functional_call', t(lambda: raw(detached, xs, ys)))
    report.add(case, 'bm.grad(return_value=True)', t(lambda: ours(xs, ys)), target=1.05)
    compile_raw = first_call(lambda: raw_compiled(detached, xs, ys), dev)
    report.add(case, 'torch.compile(raw grad), per call', t(lambda: raw_compiled(detached, xs, ys)))
    compile_ours = first_call(lambda: ours_jit(xs, ys), dev)
    report.add(case, 'bm.jit(bm.grad), per call', t(lambda: ours_jit(xs, ys)), target=0.6)
    report.add('RNN first call', 'torch.compile(raw grad), compile + run', compile_raw)
    report.add('RNN first call', 'bm.jit(bm.grad), compile + run', compile_ours,
               baseline=True, target=None)
    met = 'met' if compile_ours <= COMPILE_TARGET_S else 'MISSED'
    report.note(f'bm.jit first call {compile_ours:.1f} s (target <= {COMPILE_TARGET_S:.0f} s: {met}); '
                f'torch.compile(raw grad) first call {compile_raw:.1f} s')
    report.emit(args.json)


if __name__ == '__main__':
    main()
