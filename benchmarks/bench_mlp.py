"""(c) An MLP (784-256-256-10, batch 128 on CPU; wider and larger on CUDA)."""

import os
import sys
import tempfile

# before torch is imported: compile times below are for an empty cache
os.environ['TORCHINDUCTOR_CACHE_DIR'] = tempfile.mkdtemp(prefix='bptorch_bench_cache_')
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402
from torch.func import functional_call, grad_and_value  # noqa: E402

import bptorch.math as bm  # noqa: E402
from benchmarks.harness import (Report, compiler_setup, first_call, median_times,  # noqa: E402
                                parse_args)
from benchmarks.models import MLP, TorchMLP, copy_into  # noqa: E402


def main():
    args = parse_args(__doc__)
    dev = args.device
    sizes, batch = ((784, 256, 256, 10), 128) if dev.type == 'cpu' else ((784, 4096, 4096, 10), 1024)
    torch.manual_seed(0)
    model = MLP(sizes).to(dev)
    twin = TorchMLP(sizes).to(dev)
    copy_into(twin, model)
    x = torch.randn(batch, sizes[0], device=dev)
    y = torch.randint(0, sizes[-1], (batch,), device=dev)
    params = list(model.parameters())
    twin_params = list(twin.parameters())
    detached = {n: p.detach() for n, p in twin.named_parameters()}
    raw = grad_and_value(lambda p, x, y: functional_call(twin, p, (x, y)))
    raw_compiled = torch.compile(raw)
    ours = bm.grad(model.loss, grad_vars=model.train_vars(), return_value=True)
    ours_jit = bm.jit(ours)

    def autograd():
        loss = model.loss(x, y)
        return torch.autograd.grad(loss, params), loss.detach()

    got, _ = ours(x, y)
    assert all(torch.allclose(g, r, atol=1e-5) for g, r in zip(got.values(), autograd()[0]))

    report = Report(f'MLP {"-".join(map(str, sizes))}, batch {batch}', dev)
    setup = compiler_setup(dev)
    compile_raw = first_call(lambda: raw_compiled(detached, x, y), dev)
    compile_ours = first_call(lambda: ours_jit(x, y), dev)
    times = median_times({
        'model': autograd,
        'twin': lambda: torch.autograd.grad(twin(x, y), twin_params),
        'func': lambda: raw(detached, x, y),
        'compiled': lambda: raw_compiled(detached, x, y),
        'bm': lambda: ours(x, y),
        'bm_jit': lambda: ours_jit(x, y)}, args.min_time, device=dev)
    case = 'MLP'
    report.add(case, 'torch.autograd.grad on the bptorch model', times['model'], baseline=True)
    report.add(case, 'torch.autograd.grad on an nn.Module twin', times['twin'])
    report.add(case, 'torch.func.grad_and_value + functional_call', times['func'])
    report.add(case, 'torch.compile(raw grad), per call', times['compiled'])
    report.add(case, 'bm.grad(return_value=True)', times['bm'], target=1.05)
    report.add(case, 'bm.jit(bm.grad), per call', times['bm_jit'])
    report.note(f'first call (compile + run, empty cache, after {setup:.1f} s of one-time '
                f'compiler set-up): torch.compile(raw grad) {compile_raw:.1f} s, '
                f'bm.jit(bm.grad) {compile_ours:.1f} s')
    report.emit(args.json)


if __name__ == '__main__':
    main()
