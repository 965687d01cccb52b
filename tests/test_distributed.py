"""Named axes over torch.distributed: real gloo process groups on this machine,
checked against single-process runs on the concatenated data."""

import os
import socket

import pytest
import torch
import torch.multiprocessing as mp

import bptorch as bp
import bptorch.math as bm

import dist_workers as W


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def launch(target, world, out, *extra, timeout=120):
    ctx = mp.get_context('spawn')
    port = free_port()
    procs = [ctx.Process(target=target, args=(r, world, port, out) + extra) for r in range(world)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout)
    for p in procs:
        if p.is_alive():
            p.kill()
            pytest.fail(f'rank {procs.index(p)} hung (killed after {timeout} s)')
    return procs


@pytest.fixture(scope='module', params=[2, 3], ids=lambda w: f'world{w}')
def ranks(request, tmp_path_factory):
    world = request.param
    out = str(tmp_path_factory.mktemp(f'dist{world}'))
    procs = launch(W.main_worker, world, out)
    assert [p.exitcode for p in procs] == [0] * world
    return world, [torch.load(os.path.join(out, f'rank{r}.pt')) for r in range(world)]


def single_process_reference(world):
    xs, ys = W.full_data(world)
    return W.Regressor(), xs, ys


def test_collectives_are_all_reduces(ranks):
    world, res = ranks
    values = torch.stack([torch.tensor([float(r + 1), -float(r)]) for r in range(world)])
    for r in res:
        assert r['size'] == world
        assert torch.equal(r['psum'], values.sum(0)) and torch.allclose(r['pmean'], values.mean(0))
        assert torch.equal(r['pmax'], values.amax(0)) and torch.equal(r['pmin'], values.amin(0))
        # d/dv_r sum_r' v_r' . psum(v) = psum(v) + psum(v): JAX's psum transpose
        assert torch.allclose(r['grad_through_psum'], 2 * values.sum(0))


def test_reduce_axes_gives_the_total_gradient_on_every_rank(ranks):
    world, res = ranks
    model, xs, ys = single_process_reference(world)
    expected = bm.grad(model.loss, grad_vars=model.train_vars('relative'))(xs, ys)
    for r in res:
        for k in expected:
            assert torch.allclose(r['total_grads'][k], expected[k], atol=1e-5), k
            assert torch.equal(r['total_grads'][k], res[0]['total_grads'][k])   # bit-identical
    x_grad = bm.grad(model.loss, argnums=0)(xs, ys)
    for rank, r in enumerate(res):      # arguments are each rank's own data
        assert torch.allclose(r['x_grad'], W.shard(x_grad, rank), atol=1e-6)
        assert r['jit_matches']


def test_vmap_inside_the_data_axis(ranks):
    world, res = ranks
    model, xs, ys = single_process_reference(world)
    per = bm.vmap(bm.grad(lambda xi, yi: model.loss(xi[None], yi[None]), grad_vars=model.w))(xs, ys)
    for rank, r in enumerate(res):
        assert torch.allclose(r['vmap_both'], per.sum(0), atol=1e-5)
        assert torch.allclose(r['vmap_batch'], W.shard(per, rank).sum(0), atol=1e-5)
        by_position = per.reshape(world, W.N_LOCAL, *per.shape[1:]).sum(0)
        assert torch.allclose(r['vmap_data'], by_position, atol=1e-5)
        assert torch.equal(r['psum_both_names'], torch.full((W.N_LOCAL,), float(world * W.N_LOCAL)))


def test_optimizers_stay_in_sync_and_match_one_process(ranks):
    world, res = ranks
    model, xs, ys = single_process_reference(world)
    opt = bp.optimizers.Adam(lr=0.05, train_vars=model.train_vars('relative'))
    g = bm.grad(lambda x, y: model.loss(x, y) / len(xs), grad_vars=model.train_vars('relative'))
    for _ in range(W.N_STEPS):
        opt.update(g(xs, ys))
    for r in res:
        for k, v in model.train_vars('relative').items():
            assert torch.equal(r['trained'][k], res[0]['trained'][k]), k      # bit-identical
            assert torch.allclose(r['trained'][k], v.value.detach(), atol=1e-5), k


def test_a_failing_rank_is_an_error_not_a_hang(tmp_path):
    timeout_s = 20
    procs = launch(W.failing_worker, 2, str(tmp_path), timeout_s, timeout=timeout_s + 60)
    assert procs[1].exitcode == 3
    outcome = torch.load(tmp_path / 'rank0.pt')
    assert outcome['outcome'] != 'no error'
    assert outcome['elapsed'] < timeout_s + 10, outcome


def test_one_process_without_a_group():
    w = bm.TrainVar(torch.tensor([1., 2.]))
    with bm.distributed.axis('data') as ax:
        assert ax.size == 1
        assert torch.equal(bm.psum(torch.tensor([3.]), 'data'), torch.tensor([3.]))
        g = bm.grad(lambda x: (w * x).sum(), grad_vars=w, reduce_axes=('data',))(torch.ones(2))
    assert torch.equal(g, torch.ones(2))
    with pytest.raises(NameError, match="unbound axis name 'data'"):
        bm.psum(torch.ones(1), 'data')
    with pytest.raises(RuntimeError, match='torch.distributed is not initialized'):
        bm.distributed.axis('data', group=object())
    with pytest.raises(TypeError, match='name must be a str'):
        bm.distributed.axis(3)
