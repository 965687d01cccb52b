"""What each rank runs in tests/test_distributed.py (a separate module so spawned
processes can import it). Every worker writes its results to ``{out}/rank{r}.pt``."""

import os
import time
from datetime import timedelta

import torch
import torch.distributed as dist

import bptorch as bp
import bptorch.math as bm

N_LOCAL = 4        # examples per rank
N_STEPS = 5


class Regressor(bp.Base):
    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(123)      # the same initial values on every rank
        self.w = bm.TrainVar(torch.randn(3, 2, generator=g))
        self.b = bm.TrainVar(torch.zeros(2))

    def loss(self, x, y):
        return ((torch.tanh(x @ self.w + self.b) - y) ** 2).sum()


def full_data(world):
    g = torch.Generator().manual_seed(7)
    return (torch.randn(world * N_LOCAL, 3, generator=g),
            torch.randn(world * N_LOCAL, 2, generator=g))


def shard(t, rank):
    return t[rank * N_LOCAL:(rank + 1) * N_LOCAL]


def _init(rank, world, port, timeout_s=60):
    dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank,
                            world_size=world, timeout=timedelta(seconds=timeout_s))


def main_worker(rank, world, port, out):
    """Collectives, total gradients, composition with vmap and jit, synchronised training."""
    torch.set_num_threads(1)
    _init(rank, world, port)
    res = {}
    xs, ys = full_data(world)
    x, y = shard(xs, rank), shard(ys, rank)
    model = Regressor()
    with bm.distributed.axis('data') as data_axis:
        res['size'] = data_axis.size
        v = torch.tensor([float(rank + 1), -float(rank)])
        res['psum'] = bm.psum(v, 'data')
        res['pmean'] = bm.pmean(v, 'data')
        res['pmax'] = bm.pmax(v, 'data')
        res['pmin'] = bm.pmin(v, 'data')
        # a gradient through a collective: d/dv of sum(v * psum(v)) totals over ranks
        res['grad_through_psum'] = bm.grad(lambda v: (v * bm.psum(v, 'data')).sum())(v)

        total = bm.grad(model.loss, grad_vars=model.train_vars('relative'), argnums=0,
                        reduce_axes=('data',))
        (var_grads, x_grad) = total(x, y)
        res['total_grads'] = var_grads
        res['x_grad'] = x_grad

        # inside the data axis, a named vmap over the local batch
        per_example = lambda xi, yi: model.loss(xi[None], yi[None])  # noqa: E731
        both = bm.vmap(bm.grad(per_example, grad_vars=model.w, reduce_axes=('batch', 'data')),
                       axis_name='batch')(x, y)
        only_batch = bm.vmap(bm.grad(per_example, grad_vars=model.w, reduce_axes=('batch',)),
                             axis_name='batch')(x, y)
        only_data = bm.vmap(bm.grad(per_example, grad_vars=model.w, reduce_axes=('data',)),
                            axis_name='batch')(x, y)
        res['vmap_both'], res['vmap_batch'], res['vmap_data'] = both[0], only_batch[0], only_data
        res['psum_both_names'] = bm.vmap(lambda e: bm.psum(e, ('batch', 'data')),
                                         axis_name='batch')(torch.ones(N_LOCAL))

        # bm.jit inside the axis
        jitted = bm.jit(total, backend='aot_eager')
        (jv, jx) = jitted(x, y)
        res['jit_matches'] = all(torch.allclose(jv[k], var_grads[k]) for k in var_grads) \
            and torch.allclose(jx, x_grad)

        # synchronised training: mean loss over all examples
        opt = bp.optimizers.Adam(lr=0.05, train_vars=model.train_vars('relative'))
        step_grad = bm.grad(lambda x, y: model.loss(x, y) / (world * N_LOCAL),
                            grad_vars=model.train_vars('relative'), reduce_axes=('data',))
        for _ in range(N_STEPS):
            opt.update(step_grad(x, y))
        res['trained'] = {k: v.value.detach().clone() for k, v in model.train_vars('relative').items()}
    torch.save(res, os.path.join(out, f'rank{rank}.pt'))
    dist.barrier()
    dist.destroy_process_group()


def failing_worker(rank, world, port, out, timeout_s):
    """Rank 1 dies before the all-reduce; the others must get an error, not hang."""
    torch.set_num_threads(1)
    _init(rank, world, port, timeout_s=timeout_s)
    if rank == 1:
        os._exit(3)
    start = time.time()
    try:
        with bm.distributed.axis('data'):
            bm.psum(torch.ones(2), 'data')
        outcome = 'no error'
    except Exception as e:  # gloo reports a closed peer or a timeout
        outcome = f'{type(e).__name__}: {e}'
    torch.save({'outcome': outcome, 'elapsed': time.time() - start},
               os.path.join(out, f'rank{rank}.pt'))
    os._exit(0)
