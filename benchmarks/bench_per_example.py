"""(e) Per-example gradients: bm.vmap(bm.grad(...)) against torch.func.vmap(grad) and a loop."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402
from torch.func import functional_call, grad, vmap  # noqa: E402

import bptorch.math as bm  # noqa: E402
from benchmarks.harness import Report, median_times, parse_args  # noqa: E402
from benchmarks.models import MLP, TorchMLP, copy_into  # noqa: E402


def main():
    args = parse_args(__doc__)
    dev = args.device
    sizes, batch = ((64, 128, 10), 64) if dev.type == 'cpu' else ((784, 512, 10), 512)
    torch.manual_seed(0)
    model = MLP(sizes).to(dev)
    twin = TorchMLP(sizes).to(dev)
    copy_into(twin, model)
    xs = torch.randn(batch, sizes[0], device=dev)
    ys = torch.randint(0, sizes[-1], (batch,), device=dev)
    detached = {k: p.detach() for k, p in twin.named_parameters()}

    def one(p, x, y):
        return functional_call(twin, p, (x[None], y[None]))

    raw = vmap(grad(one), in_dims=(None, 0, 0))
    ours = bm.vmap(bm.grad(lambda x, y: model.loss(x[None], y[None]),
                           grad_vars=model.train_vars()))
    params = list(model.parameters())

    def loop():
        return [torch.autograd.grad(model.loss(x[None], y[None]), params) for x, y in zip(xs, ys)]

    got = ours(xs, ys)
    ref = raw(detached, xs, ys)
    assert all(torch.allclose(g, r, atol=1e-5) for g, r in zip(got.values(), ref.values()))

    report = Report(f'per-example gradients, MLP {"-".join(map(str, sizes))}, batch {batch}', dev)
    times = median_times({'raw': lambda: raw(detached, xs, ys), 'loop': loop,
                          'bm': lambda: ours(xs, ys)}, args.min_time, device=dev)
    case = 'per-example'
    report.add(case, 'torch.func.vmap(grad) + functional_call', times['raw'], baseline=True)
    report.add(case, 'Python loop of torch.autograd.grad', times['loop'])
    report.add(case, 'bm.vmap(bm.grad(grad_vars=model.train_vars()))', times['bm'], target=1.1)
    report.emit(args.json)


if __name__ == '__main__':
    main()
