"""(b) A model holding K small TrainVars: the per-variable cost of a gradient call."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402
from torch.func import functional_call, grad  # noqa: E402

import bptorch.math as bm  # noqa: E402
from benchmarks.harness import Report, median_times, parse_args  # noqa: E402
from benchmarks.models import ManyVars, TorchManyVars, copy_into  # noqa: E402


def main():
    args = parse_args(__doc__)
    dev = args.device
    report = Report('K small TrainVars, loss = sum_k tanh(w_k * x).sum()', dev)
    for k in (1, 10, 100, 1000):
        torch.manual_seed(0)
        model = ManyVars(k).to(dev)
        twin = TorchManyVars(k).to(dev)
        copy_into(twin, model)
        x = torch.randn(4, device=dev)
        params = list(model.parameters())
        twin_params = list(twin.parameters())
        detached = {n: p.detach() for n, p in twin.named_parameters()}
        raw = grad(lambda p, x: functional_call(twin, p, (x,)))
        ours = bm.grad(model.loss, grad_vars=model.train_vars())
        got = ours(x)
        ref = torch.autograd.grad(model.loss(x), params)
        assert all(torch.allclose(g, r) for g, r in zip(got.values(), ref))

        case = f'K={k}'
        times = median_times({
            'model': lambda: torch.autograd.grad(model.loss(x), params),
            'twin': lambda: torch.autograd.grad(twin(x), twin_params),
            'func': lambda: raw(detached, x),
            'bm': lambda: ours(x)}, args.min_time, device=dev)
        report.add(case, 'torch.autograd.grad on the bptorch model', times['model'], baseline=True)
        report.add(case, 'torch.autograd.grad on an nn.Module twin', times['twin'])
        report.add(case, 'torch.func.grad + functional_call', times['func'])
        report.add(case, 'bm.grad(grad_vars=model.train_vars())', times['bm'],
                   target=1.2 if k == 1000 else None)
    report.emit(args.json)


if __name__ == '__main__':
    main()
