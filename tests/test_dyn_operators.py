"""bm's synaptic operators (BrainPy 2.1.12's brainpy.math.operators) against loops written
out from BrainPy's docstrings, gradients against torch.autograd, errors."""

import numpy as np
import pytest
import torch

import bptorch as bp
import bptorch.math as bm


def _connection(pre=7, post=5, p=0.4, seed=0):
    conn = bp.conn.FixedProb(p, seed=seed)(pre, post)
    pre_ids, post_ids = conn.require('pre_ids', 'post_ids')
    return conn, pre_ids.numpy(), post_ids.numpy()


def _loop_reduce(values, ids, num, op, start):
    out = np.full(num, start, dtype=float)
    for v, j in zip(values, ids):
        out[j] = op(out[j], v)
    return out


def test_pre2post_family_matches_loops():
    conn, pre_ids, post_ids = _connection()
    rng = np.random.RandomState(1)
    pre = rng.randn(7)
    syn = pre[pre_ids]
    t = lambda x: torch.tensor(x)
    np.testing.assert_allclose(bm.pre2post_sum(t(pre), 5, t(post_ids), t(pre_ids)).numpy(),
                               _loop_reduce(syn, post_ids, 5, np.add, 0.))
    np.testing.assert_allclose(bm.pre2post_max(t(pre), 5, t(post_ids), t(pre_ids)).numpy(),
                               _loop_reduce(syn, post_ids, 5, max, 0.))
    np.testing.assert_allclose(bm.pre2post_min(t(pre), 5, t(post_ids), t(pre_ids)).numpy(),
                               _loop_reduce(syn, post_ids, 5, min, 0.))
    np.testing.assert_allclose(bm.pre2post_prod(t(pre), 5, t(post_ids), t(pre_ids)).numpy(),
                               _loop_reduce(syn, post_ids, 5, np.multiply, 0.))
    counts = np.bincount(post_ids, minlength=5)
    mean = np.where(counts > 0, _loop_reduce(syn, post_ids, 5, np.add, 0.) / np.maximum(counts, 1), 0.)
    np.testing.assert_allclose(bm.pre2post_mean(t(pre), 5, t(post_ids), t(pre_ids)).numpy(), mean)
    # a scalar value is the same for every synapse
    np.testing.assert_allclose(bm.pre2post_sum(2., 5, t(post_ids)).numpy(), 2. * counts)
    np.testing.assert_allclose(bm.pre2post_mean(2., 5, t(post_ids)).numpy(), np.where(counts > 0, 2., 0.))
    np.testing.assert_allclose(bm.pre2syn(t(pre), t(pre_ids)).numpy(), syn)
    assert bm.pre2syn(3., t(pre_ids)).shape == (len(pre_ids),)
    with pytest.raises(bm.MathError, match='pre_ids'):
        bm.pre2post_sum(t(pre), 5, t(post_ids))


def test_syn2post_family_matches_loops_and_jax_identities():
    _, pre_ids, post_ids = _connection(seed=2)
    post_ids = np.concatenate([post_ids, [3, 3]])
    rng = np.random.RandomState(3)
    syn = rng.randn(len(post_ids))
    ids = torch.tensor(post_ids)
    num = 6                                          # post 5 has no synapse
    np.testing.assert_allclose(bm.syn2post_sum(torch.tensor(syn), ids, num).numpy(),
                               _loop_reduce(syn, post_ids, num, np.add, 0.))
    assert bm.syn2post is bm.syn2post_sum
    np.testing.assert_allclose(bm.syn2post_prod(torch.tensor(syn), ids, num).numpy(),
                               _loop_reduce(syn, post_ids, num, np.multiply, 1.))
    np.testing.assert_allclose(bm.syn2post_max(torch.tensor(syn), ids, num).numpy(),
                               _loop_reduce(syn, post_ids, num, max, -np.inf))
    np.testing.assert_allclose(bm.syn2post_min(torch.tensor(syn), ids, num).numpy(),
                               _loop_reduce(syn, post_ids, num, min, np.inf))
    counts = np.bincount(post_ids, minlength=num)
    total = _loop_reduce(syn, post_ids, num, np.add, 0.)
    np.testing.assert_allclose(bm.syn2post_mean(torch.tensor(syn), ids, num).numpy(),
                               np.where(counts > 0, total / np.maximum(counts, 1), 0.))
    soft = bm.syn2post_softmax(torch.tensor(syn), ids, num).numpy()
    for j in range(num):
        members = post_ids == j
        if members.any():
            e = np.exp(syn[members] - syn[members].max())
            np.testing.assert_allclose(soft[members], e / e.sum())
    counted = bm.syn2post_sum(torch.tensor(syn > 0), ids, num)
    assert counted.dtype == torch.int32
    np.testing.assert_array_equal(counted.numpy(), _loop_reduce(syn > 0, post_ids, num, np.add, 0))


def test_event_sum_and_prod_match_the_loops_of_brainpy():
    conn, pre_ids, post_ids = _connection(pre=9, post=6, p=0.5, seed=4)
    indices, indptr = conn.require('pre2post')
    rng = np.random.RandomState(5)
    events = rng.rand(9) < 0.5
    values = rng.rand(len(indices)) + 0.5
    out_s, out_v, out_p = np.zeros(6), np.zeros(6), np.ones(6)
    ind, ptr = indices.numpy(), indptr.numpy()
    for i in range(9):
        if events[i]:
            for k in range(ptr[i], ptr[i + 1]):
                out_s[ind[k]] += 0.7
                out_v[ind[k]] += values[k]
                out_p[ind[k]] *= values[k]
    ev = torch.tensor(events)
    np.testing.assert_allclose(bm.pre2post_event_sum(ev, (indices, indptr), 6, 0.7).numpy(), out_s,
                               rtol=1e-6)
    np.testing.assert_allclose(
        bm.pre2post_event_sum(ev, (indices, indptr), 6, torch.tensor(values)).numpy(), out_v)
    np.testing.assert_allclose(
        bm.pre2post_event_prod(ev, (indices, indptr), 6, torch.tensor(values)).numpy(), out_p)
    with pytest.raises(bm.MathError, match='pre2post'):
        bm.pre2post_event_sum(ev, indices, 6)


def test_event_sum_gradients_in_values_and_float_events():
    conn = bp.conn.FixedProb(0.5, seed=6)(5, 4)
    indices, indptr = conn.require('pre2post')
    values = torch.rand(len(indices), dtype=torch.float64, requires_grad=True)
    events = torch.rand(5, dtype=torch.float64, requires_grad=True)
    out = bm.pre2post_event_sum(events, (indices, indptr), 4, values)
    pre_ids = bm.operators.csr_pre_ids(indptr, len(indices))
    dense = torch.zeros(5, 4, dtype=torch.float64).index_put((pre_ids, indices), values, accumulate=True)
    torch.testing.assert_close(out, events @ dense)
    g1 = torch.autograd.grad(out.sum(), [values, events])
    g2 = torch.autograd.grad((events @ dense).sum(), [values, events])
    for a, b in zip(g1, g2):
        torch.testing.assert_close(a, b)
    grad = bm.grad(lambda v: bm.pre2post_sum(v, 4, indices, pre_ids).sum())(events.detach())
    torch.testing.assert_close(grad, torch.bincount(pre_ids, minlength=5).to(torch.float64))


def test_segment_ops_follow_jax():
    data = torch.tensor([1., 2., 3., 4., 5.])
    ids = torch.tensor([0, 0, 2, 7, -1])            # out-of-range ids are dropped
    assert torch.equal(bm.segment_sum(data, ids, 3), torch.tensor([3., 0., 3.]))
    assert torch.equal(bm.segment_prod(data, ids, 3), torch.tensor([2., 1., 3.]))
    assert torch.equal(bm.segment_max(data, ids, 3), torch.tensor([2., -np.inf, 3.]))
    assert torch.equal(bm.segment_min(data, ids, 3), torch.tensor([1., np.inf, 3.]))
    assert torch.equal(bm.segment_sum(data, torch.tensor([0, 0, 2, 2, 1])),
                       torch.tensor([3., 5., 7.]))
    assert torch.equal(bm.segment_sum(data, ids, 3, mode='clip'), torch.tensor([8., 0., 7.]))
    ints = bm.segment_max(torch.tensor([1, 2]), torch.tensor([0, 0]), 2)
    assert ints.tolist() == [2, torch.iinfo(torch.int64).min]
    two_d = bm.segment_sum(torch.ones(3, 2), torch.tensor([1, 1, 0]), 2)
    assert torch.equal(two_d, torch.tensor([[1., 1.], [2., 2.]]))
    with pytest.raises(ValueError, match='mode'):
        bm.segment_sum(data, ids, 3, mode='wrap')
    with pytest.raises(ValueError, match='one id per row'):
        bm.segment_sum(data, torch.tensor([0, 1]), 3)


def test_sparse_matmul_matches_dense_products():
    rows, cols = torch.tensor([0, 0, 1, 2, 2]), torch.tensor([1, 3, 0, 1, 3])
    values = torch.tensor([2., 4., 1., 3., 2.])
    sparse = {'data': values, 'index': (rows, cols), 'shape': (3, 4)}
    dense = torch.zeros(3, 4).index_put((rows, cols), values)
    B = torch.randn(4, 3)
    torch.testing.assert_close(bm.sparse_matmul(sparse, B), dense @ B)
    torch.testing.assert_close(bm.sparse_matmul(sparse, torch.arange(4.)), dense @ torch.arange(4.))
    A = torch.randn(2, 3)
    torch.testing.assert_close(bm.sparse_matmul(A, sparse), A @ dense)
    torch.testing.assert_close(bm.sparse_matmul(torch.arange(3.), sparse), torch.arange(3.) @ dense)
    with pytest.raises(ValueError, match='both dense'):
        bm.sparse_matmul(A, B)
    with pytest.raises(ValueError, match='both sparse'):
        bm.sparse_matmul(sparse, sparse)


def test_operators_run_on_the_device_of_their_data(device):
    ids = torch.tensor([0, 1, 1], device=device)
    out = bm.syn2post_sum(torch.ones(3, device=device), ids, 2)
    assert out.device.type == device.type and out.tolist() == [1., 2.]
    out = bm.pre2post_event_sum(torch.tensor([True, True], device=device),
                                (torch.tensor([0, 1, 1], device=device),
                                 torch.tensor([0, 1, 3], device=device)), 2, 1.)
    assert out.device.type == device.type and out.tolist() == [1., 2.]


def test_register_op_is_refused_clearly():
    with pytest.raises(NotImplementedError, match='torch.autograd.Function'):
        bm.register_op('op', lambda outs, ins: None)


def test_event_sum_remembers_the_pre_ids_of_a_structure():
    from bptorch.math import operators
    conn = bp.conn.FixedProb(0.3, seed=7)(20, 10)
    indices, indptr = conn.require('pre2post')
    ev = (torch.rand(20) < 0.5).float()          # float events: the sum over every synapse
    first = bm.pre2post_event_sum(ev, (indices, indptr), 10)
    cached = operators._PRE_IDS[id(indptr)][3]
    assert torch.equal(cached, operators.csr_pre_ids(indptr, len(indices)))
    assert torch.equal(bm.pre2post_event_sum(ev, (indices, indptr), 10), first)
    assert operators._PRE_IDS[id(indptr)][3] is cached          # not recomputed
    indptr[-1] = indptr[-1]                                      # an in-place change: recomputed
    bm.pre2post_event_sum(ev, (indices, indptr), 10)
    assert operators._PRE_IDS[id(indptr)][3] is not cached


def _dense_event_sum(events, indices, indptr, post_num, values):
    pre_ids = bm.operators.csr_pre_ids(indptr, len(indices))
    w = values if isinstance(values, torch.Tensor) else torch.full((len(indices),), values)
    dense = torch.zeros(len(indptr) - 1, post_num, dtype=w.dtype).index_put(
        (pre_ids, indices), w.expand(len(indices)), accumulate=True)
    return events.to(w.dtype) @ dense


@pytest.mark.parametrize('rate', [0., 0.01, 0.3, 1.])
def test_boolean_event_sum_is_event_driven_and_exact(rate):
    from bptorch.math import operators
    conn = bp.conn.FixedProb(0.2, seed=3)(300, 70)
    indices, indptr = conn.require('pre2post')
    events = torch.rand(300, generator=torch.Generator().manual_seed(1)) < rate
    assert operators.event_driven(events)
    values = torch.rand(len(indices), dtype=torch.float64)
    for v in (0.7, 1, torch.tensor(2.5), values):
        out = bm.pre2post_event_sum(events, (indices, indptr), 70, v)
        ref = _dense_event_sum(events, indices, indptr, 70,
                               v if isinstance(v, torch.Tensor) and v.dim() else float(v))
        torch.testing.assert_close(out, ref.to(out.dtype), rtol=1e-6, atol=1e-6)
    assert bm.pre2post_event_sum(events, (indices, indptr), 70).dtype == torch.float32
    assert bm.pre2post_event_sum(events, (indices, indptr), 70, values).dtype == torch.float64
    rows = operators.event_rows(indices, indptr, 70)
    assert operators.event_rows(indices, indptr, 70) is rows     # built once per connection
    with pytest.raises(bm.MathError, match='one per synapse'):
        bm.pre2post_event_sum(events | True, (indices, indptr), 70, torch.ones(5))


def test_event_driven_sum_differentiates_in_the_values():
    conn = bp.conn.FixedProb(0.4, seed=2)(30, 20)
    indices, indptr = conn.require('pre2post')
    events = torch.rand(30, generator=torch.Generator().manual_seed(0)) < 0.3
    values = torch.rand(len(indices), dtype=torch.float64, requires_grad=True)
    scale = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    out = (bm.pre2post_event_sum(events, (indices, indptr), 20, values) ** 2).sum() \
        + bm.pre2post_event_sum(events, (indices, indptr), 20, scale).sum()
    ref = (_dense_event_sum(events, indices, indptr, 20, values) ** 2).sum() \
        + _dense_event_sum(events, indices, indptr, 20, scale.expand(len(indices))).sum()
    for a, b in zip(torch.autograd.grad(out, [values, scale]),
                    torch.autograd.grad(ref, [values, scale])):
        torch.testing.assert_close(a, b)
    # under bm.grad (a torch.func transform) the sum goes over every synapse: same result
    g = bm.grad(lambda v: (bm.pre2post_event_sum(events, (indices, indptr), 20, v) ** 2).sum())(
        values.detach())
    torch.testing.assert_close(g, torch.autograd.grad(
        (_dense_event_sum(events, indices, indptr, 20, values) ** 2).sum(), values)[0])
