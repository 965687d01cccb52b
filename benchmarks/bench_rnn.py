"""(d) A rate RNN trained by backpropagation through time (N=256, T=100 on CPU).

Eager and compiled: ``bm.jit(bm.grad(...))`` against ``torch.compile`` of the raw
``torch.func`` gradient. First calls (compile + run) are timed with an empty
compile cache (a fresh ``TORCHINDUCTOR_CACHE_DIR``: what a new machine pays), then
once more with the cache that run filled (what a later run of the same program pays).
"""

import os
import sys
import tempfile

if '--keep-cache' not in sys.argv:          # before torch is imported: a cold cache
    os.environ['TORCHINDUCTOR_CACHE_DIR'] = tempfile.mkdtemp(prefix='bptorch_bench_cache_')
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402
from torch.func import functional_call, grad_and_value  # noqa: E402

import bptorch.math as bm  # noqa: E402
from benchmarks.harness import (Report, compiler_setup, first_call, median_times,  # noqa: E402
                                parse_args)
from benchmarks.models import RateRNN, TorchRateRNN, copy_into  # noqa: E402

COMPILE_LIMIT_S = 15.0


def main():
    if '--keep-cache' in sys.argv:
        sys.argv.remove('--keep-cache')
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
    ours = bm.grad(model.loss, grad_vars=model.train_vars(), return_value=True)

    def autograd():
        loss = model.loss(xs, ys)
        return torch.autograd.grad(loss, params), loss.detach()

    got, _ = ours(xs, ys)
    assert all(torch.allclose(g, r, atol=1e-5) for g, r in zip(got.values(), autograd()[0]))

    report = Report(f'rate RNN N={n}, T={steps}, batch {batch}, BPTT', dev)
    setup = compiler_setup(dev)
    case, first = 'RNN', 'RNN first call'
    compiled = {
        'torch.compile(raw grad)': (torch.compile(raw), (detached, xs, ys)),
        'bm.jit(bm.grad)': (bm.jit(ours), (xs, ys)),
    }
    if dev.type == 'cpu':     # a C++ wrapper: faster calls, slower compile (inductor option)
        compiled["bm.jit(bm.grad, options={'cpp_wrapper': True})"] = (
            bm.jit(ours, options={'cpp_wrapper': True}), (xs, ys))
    cold = {name: first_call(lambda: fn(*a), dev) for name, (fn, a) in compiled.items()}
    calls = {'model': autograd, 'func': lambda: raw(detached, xs, ys), 'bm': lambda: ours(xs, ys)}
    calls.update({name: (lambda fn=fn, a=a: fn(*a)) for name, (fn, a) in compiled.items()})
    times = median_times(calls, args.min_time, device=dev)
    report.add(case, 'torch.autograd.grad on the bptorch model', times['model'], baseline=True)
    report.add(case, 'torch.func.grad_and_value + functional_call', times['func'])
    report.add(case, 'bm.grad(return_value=True)', times['bm'], target=1.05)
    for name in compiled:
        report.add(case, f'{name}, per call', times[name],
                   target=0.6 if name == 'bm.jit(bm.grad)' else None)
    for name, seconds in cold.items():
        report.add(first, f'{name}: compile + run, empty cache', seconds,
                   limit_s=COMPILE_LIMIT_S if name == 'bm.jit(bm.grad)' else None)
    torch._dynamo.reset()
    warm = first_call(lambda: bm.jit(ours)(xs, ys), dev)
    report.add(first, 'bm.jit(bm.grad): compile + run, cache of the run above', warm,
               limit_s=COMPILE_LIMIT_S)
    report.note(f'first calls are timed after {setup:.1f} s of one-time compiler set-up; with an '
                'empty cache they are dominated by inductor generating and compiling C++ kernels '
                'for the 100 unrolled time steps (forward and backward); the on-disk cache '
                '(TORCHINDUCTOR_CACHE_DIR) makes later runs of the same program start fast')
    report.emit(args.json)


if __name__ == '__main__':
    main()
