"""bp.connect: exact structures, BrainPy-identical seeded draws, statistics, formats.

References used here:
- the outputs BrainPy 2.1.12 printed in its tutorial ``docs/tutorial_toolbox/
  synaptic_connections.ipynb`` (seeded connectors, regular connectors, IJConn,
  MatConn, SparseMatConn), hard-coded below as BrainPy gave them;
- NumPy re-implementations, written out here loop by loop, of BrainPy's algorithms
  (FixedProb, FixedPreNum, GaussianProb, SmallWorld), drawing from NumPy exactly as
  BrainPy does.
"""

import math
import types
import warnings

import numpy as np
import pytest
import torch

import bptorch as bp
import bptorch.math as bm
from bptorch.errors import ConnectorError

ALL_STRUCTURES = ('conn_mat', 'pre_ids', 'post_ids', 'pre2post', 'post2pre',
                  'pre2syn', 'post2syn', 'pre_slice', 'post_slice')


def _mat(rows):
    return np.array([[c == '1' for c in r] for r in rows])


# ---------------------------------------------------------------------------------------
# BrainPy's own outputs (tutorial cells, only the import changed)
# ---------------------------------------------------------------------------------------

TUTORIAL_SEEDED = [
    (lambda: bp.connect.FixedProb(prob=0.5, include_self=False, seed=134)(pre_size=4, post_size=4),
     ['0100', '0000', '1101', '1010']),
    (lambda: bp.connect.FixedPreNum(num=2, include_self=True, seed=1234)(pre_size=4, post_size=4),
     ['1000', '0100', '1111', '0011']),
    (lambda: bp.connect.FixedPostNum(num=2, include_self=True, seed=1234)(pre_size=4, post_size=4),
     ['1010', '0110', '0011', '0011']),
    (lambda: bp.connect.GaussianProb(sigma=2, periodic_boundary=True, normalize=True,
                                     include_self=True, seed=21)(pre_size=10),
     ['1101000011', '1111000001', '1111000001', '0111100000', '0001110000', '0010111100',
      '0001011100', '1000011101', '0100001111', '1010010111']),
    (lambda: bp.connect.ScaleFreeBA(m=5, directed=False, seed=12345)(pre_size=10, post_size=10),
     ['0000011101', '0000011111', '0000011000', '0000010001', '0000011110', '1111101111',
      '1110110111', '1100111010', '0100111100', '1101011000']),
    (lambda: bp.connect.ScaleFreeBADual(m1=3, m2=5, p=0.5, directed=False, seed=12345)(10, 10),
     ['0000010101', '0000010110', '0000011011', '0000010000', '0000011110', '1111101111',
      '0010110110', '1100111001', '0110111001', '1010010110']),
    (lambda: bp.connect.PowerLaw(m=3, p=0.5, directed=False, seed=12345)(10, 10),
     ['0001010110', '0001100100', '0001111011', '1110111001', '0111000110', '1011001000',
      '0011010001', '1100100000', '1010100000', '0011001000']),
]


@pytest.mark.parametrize('make, expected', TUTORIAL_SEEDED,
                         ids=['FixedProb', 'FixedPreNum', 'FixedPostNum', 'GaussianProb',
                              'ScaleFreeBA', 'ScaleFreeBADual', 'PowerLaw'])
def test_seeded_connectors_give_brainpys_tutorial_matrices(make, expected):
    mat = make().require('conn_mat')
    assert mat.dtype == torch.bool
    np.testing.assert_array_equal(mat.numpy(), _mat(expected))


def test_tutorial_one2one_and_all2all():
    size = 5
    conn = bp.connect.One2One()(pre_size=size, post_size=size)
    res = conn.require('pre_ids', 'post_ids', 'pre2post', 'conn_mat')
    assert res[0].tolist() == [0, 1, 2, 3, 4]
    assert res[1].tolist() == [0, 1, 2, 3, 4]
    assert res[2][0].tolist() == [0, 1, 2, 3, 4] and res[2][1].tolist() == [0, 1, 2, 3, 4, 5]
    assert torch.equal(res[3], torch.eye(5, dtype=torch.bool))

    conn = bp.connect.All2All(include_self=False)(pre_size=size, post_size=size)
    res = conn.require('pre_ids', 'post_ids', 'pre2post', 'conn_mat')
    assert res[0].tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]
    assert res[1].tolist() == [1, 2, 3, 4, 0, 2, 3, 4, 0, 1, 3, 4, 0, 1, 2, 4, 0, 1, 2, 3]
    assert res[2][1].tolist() == [0, 4, 8, 12, 16, 20]
    assert torch.equal(res[3], ~torch.eye(5, dtype=torch.bool))


def test_tutorial_grids():
    size = (4, 4)
    res = bp.connect.GridFour(include_self=False)(pre_size=size).require('pre_ids', 'conn_mat')
    assert res[0].tolist() == [0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 6,
                               7, 7, 7, 8, 8, 8, 9, 9, 9, 9, 10, 10, 10, 10, 11, 11, 11, 12,
                               12, 13, 13, 13, 14, 14, 14, 15, 15]
    res = bp.connect.GridEight(include_self=False)(pre_size=size).require('pre_ids', 'conn_mat')
    assert res[0].tolist() == [0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 4, 4,
                               5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7,
                               8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9, 10, 10, 10, 10, 10, 10,
                               10, 10, 11, 11, 11, 11, 11, 12, 12, 12, 13, 13, 13, 13, 13, 14,
                               14, 14, 14, 14, 15, 15, 15]
    # "Take the central point (id = 5) ... its row in conn_mat has True for all its
    # neighbours except itself"
    assert res[1][5].nonzero().flatten().tolist() == [0, 1, 2, 4, 6, 8, 9, 10]


def test_tutorial_ijconn():
    pre_list = np.array([0, 1, 2])
    post_list = np.array(([0, 0, 0]))
    conn = bp.conn.IJConn(i=pre_list, j=post_list)
    conn = conn(pre_size=5, post_size=3)
    np.testing.assert_array_equal(conn.requires('conn_mat').numpy(),
                                  _mat(['100', '100', '100', '000', '000']))
    ind, ptr = conn.requires('pre2post')
    assert ind.tolist() == [0, 0, 0] and ptr.tolist() == [0, 1, 2, 3, 3, 3]
    syn, ptr = conn.requires('pre2syn')
    assert syn.tolist() == [0, 1, 2] and ptr.tolist() == [0, 1, 2, 3, 3, 3]


def test_tutorial_matconn():
    mat = _mat(['110', '011', '101', '001', '100'])   # the tutorial's random (5, 3) matrix
    conn = bp.connect.MatConn(conn_mat=mat)
    conn = conn(pre_size=5, post_size=3)
    np.testing.assert_array_equal(conn.requires('conn_mat').numpy(), mat)
    ind, ptr = conn.requires('pre2post')
    assert ind.tolist() == [0, 1, 1, 2, 0, 2, 2, 0] and ptr.tolist() == [0, 2, 4, 6, 7, 8]
    syn, ptr = conn.require('pre2syn')
    assert syn.tolist() == list(range(8)) and ptr.tolist() == [0, 2, 4, 6, 7, 8]


def test_tutorial_sparsematconn():
    mat = _mat(['101', '101', '100', '011', '010'])
    # a scipy.sparse.csr_matrix(conn_mat) holds these (scipy is not a dependency)
    rows, cols = np.nonzero(mat)
    sparse_mat = types.SimpleNamespace(indices=cols, indptr=np.r_[0, np.cumsum(mat.sum(1))],
                                       shape=mat.shape)
    conn = bp.conn.SparseMatConn(sparse_mat)
    conn = conn(pre_size=sparse_mat.shape[0], post_size=sparse_mat.shape[1])
    np.testing.assert_array_equal(conn.requires('conn_mat').numpy(), mat)
    ind, ptr = conn.requires('pre2post')
    assert ind.tolist() == [0, 2, 0, 2, 0, 1, 2, 1] and ptr.tolist() == [0, 2, 4, 5, 7, 8]
    syn, ptr = conn.requires('post2syn')
    assert syn.tolist() == [0, 2, 4, 5, 7, 1, 3, 6] and ptr.tolist() == [0, 3, 5, 8]
    # the same from a torch sparse CSR tensor
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', UserWarning)   # "sparse CSR support is in beta"
        sp = torch.tensor(mat, dtype=torch.float32).to_sparse_csr()
    syn2, ptr2 = bp.conn.SparseMatConn(sp)(5, 3).requires('post2syn')
    assert torch.equal(syn2, syn) and torch.equal(ptr2, ptr)


def test_tutorial_weight_vector_from_matconn():
    # synaptic_weights.ipynb: MatConn needs no call; the ids index a NumPy matrix
    weight_mat = np.array([[1., 1.5, 0., 0.5], [0., 2.5, 0., 0.], [2., 0., 3, 0.]])
    conn = bp.conn.MatConn(weight_mat)
    pre_ids, post_ids = conn.requires('pre_ids', 'post_ids')
    weight_vec = weight_mat[pre_ids, post_ids]
    np.testing.assert_array_equal(weight_vec, [1., 1.5, 0.5, 2.5, 2., 3.])


class TutorialFixedProb(bp.connect.TwoEndConnector):
    """The tutorial's "customize your connections" cell, verbatim but for the import."""

    def __init__(self, prob, include_self=True, seed=None):
        super(TutorialFixedProb, self).__init__()
        assert 0. <= prob <= 1.
        self.prob = prob
        self.include_self = include_self
        self.seed = seed
        self.rng = np.random.RandomState(seed=seed)

    def build_conn(self):
        ind = []
        count = np.zeros(self.pre_num, dtype=np.uint32)

        def _random_prob_conn(rng, pre_i, num_post, prob, include_self):
            p = rng.random(num_post) <= prob
            if (not include_self) and pre_i < num_post:
                p[pre_i] = False
            conn_j = np.asarray(np.where(p)[0], dtype=np.uint32)
            return conn_j

        for i in range(self.pre_num):
            posts = _random_prob_conn(self.rng, pre_i=i, num_post=self.post_num,
                                      prob=self.prob, include_self=self.include_self)
            ind.append(posts)
            count[i] = len(posts)

        ind = np.concatenate(ind)
        indptr = np.concatenate(([0], count)).cumsum()

        return 'csr', (ind, indptr)


@pytest.mark.parametrize('include_self', [True, False])
def test_tutorial_custom_connector_equals_builtin_fixedprob(include_self):
    custom = TutorialFixedProb(prob=0.3, include_self=include_self, seed=5)(pre_size=30,
                                                                           post_size=20)
    builtin = bp.connect.FixedProb(prob=0.3, include_self=include_self, seed=5)(30, 20)
    for a, b in zip(custom.require(*ALL_STRUCTURES), builtin.require(*ALL_STRUCTURES)):
        a, b = (a, b) if isinstance(a, tuple) else ((a,), (b,))
        for x, y in zip(a, b):
            assert torch.equal(x, y)


# ---------------------------------------------------------------------------------------
# Independent NumPy re-implementations of BrainPy 2.1.12's algorithms
# ---------------------------------------------------------------------------------------

def _ref_fixed_pre_num(num, pre_num, post_num, include_self, seed):
    rng = np.random.RandomState(seed)
    pre_ids = []
    for j in range(post_num):
        prob = rng.random(pre_num)
        if not include_self and j < pre_num:
            prob[j] = 1.
        pre_ids.append(np.argsort(prob)[:num])
    return np.concatenate(pre_ids), np.repeat(np.arange(post_num), num)


def test_fixed_pre_num_equals_reference_loop():
    pre, post = bp.connect.FixedPreNum(num=4, include_self=False, seed=9)(12, 7).require(
        'pre_ids', 'post_ids')
    rp, rq = _ref_fixed_pre_num(4, 12, 7, include_self=False, seed=9)
    assert pre.tolist() == rp.tolist() and post.tolist() == rq.tolist()
    # a fraction: int(pre_num * num) per post neuron
    pre, post = bp.connect.FixedPreNum(num=0.25, seed=2)(12, 7).require('pre_ids', 'post_ids')
    rp, rq = _ref_fixed_pre_num(3, 12, 7, include_self=True, seed=2)
    assert pre.tolist() == rp.tolist() and post.tolist() == rq.tolist()


def _ref_gaussian(size, sigma, encoding, periodic, normalize, include_self, seed):
    """BrainPy's per-neuron loop for a 1-D or 2-D group, written out."""
    rng = np.random.RandomState(seed)
    num = int(np.prod(size))
    ranges = [(0, s) for s in size] if encoding is None else [encoding] * len(size)
    values = [np.linspace(lo, hi, n + 1)[:n] for (lo, hi), n in zip(ranges, size)]
    post_values = np.stack([v.flatten() for v in np.meshgrid(*values)])   # (ndim, num)
    sizes = np.array([hi - lo for lo, hi in ranges])[:, None]
    prob = np.zeros((num, num))
    for i in range(num):
        coord, rest = [], i
        for s in size[:-1]:
            rest, pos = divmod(rest, s)
            coord.append(pos)
        coord.append(rest)
        iv = np.array([values[k][c] for k, c in enumerate(coord)])[:, None]
        d = np.abs(iv - post_values)
        if periodic:
            d = np.where(d > sizes / 2, sizes - d, d)
        prob[i] = np.exp(-(np.linalg.norm(d, axis=0) / sigma) ** 2 / 2)
    if normalize:
        prob /= prob.max()
    mat = prob >= rng.random(prob.shape)
    if not include_self:
        np.fill_diagonal(mat, False)
    return mat


@pytest.mark.parametrize('size, encoding, periodic, include_self', [
    ((9,), None, False, True),
    ((4, 5), None, True, False),
    ((5, 3), (0., np.pi), True, True),
])
def test_gaussian_prob_equals_reference_loop(size, encoding, periodic, include_self):
    conn = bp.connect.GaussianProb(sigma=1.5, encoding_values=encoding, normalize=True,
                                   include_self=include_self, periodic_boundary=periodic,
                                   seed=11)(size)
    ref = _ref_gaussian(size, 1.5, encoding, periodic, True, include_self, 11)
    np.testing.assert_array_equal(conn.require('conn_mat').numpy(), ref)


def _ref_small_world(n, k, prob, directed, include_self, seed):
    """BrainPy 2.1.12's SmallWorld, drawing from NumPy's global generator as it did."""
    np.random.seed(seed)

    def rewire(i, all_j):
        if np.random.random(1) < prob:
            non_connected = np.where(all_j == False)[0]  # noqa: E712
            if len(non_connected) <= 1:
                return -1
            w = np.random.choice(non_connected)
            while (not include_self) and w == i:
                w = np.random.choice(non_connected)
            return w
        return -1

    conn = np.zeros((n, n), dtype=bool)
    nodes = np.array(list(range(n)))
    for j in range(1, k // 2 + 1):
        targets = np.concatenate([nodes[j:], nodes[0:j]])
        conn[nodes, targets] = True
        conn[targets, nodes] = True
    for j in range(1, k // 2 + 1):
        targets = np.concatenate([nodes[j:], nodes[0:j]])
        for u, v in zip(nodes, targets):
            if directed:
                w = rewire(u, conn[u])
                if w != -1:
                    conn[u, v] = False
                    conn[u, w] = True
                w = rewire(u, conn[:, u])
                if w != -1:
                    conn[v, u] = False
                    conn[w, u] = True
            else:
                w = rewire(u, conn[u])
                if w != -1:
                    conn[u, v] = False
                    conn[v, u] = False
                    conn[u, w] = True
                    conn[w, u] = True
    return conn


@pytest.mark.parametrize('directed', [False, True])
def test_small_world_equals_brainpy_after_np_random_seed(directed):
    state = np.random.get_state()
    try:
        ref = _ref_small_world(30, 6, 0.3, directed, False, seed=4)
    finally:
        np.random.set_state(state)
    conn = bp.connect.SmallWorld(num_neighbor=6, prob=0.3, directed=directed, seed=4)(30, 30)
    np.testing.assert_array_equal(conn.require('conn_mat').numpy(), ref)


# ---------------------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------------------

def test_fixed_prob_edge_count_is_binomial():
    pre_num, post_num, p = 200, 300, 0.1
    counts = []
    for seed in range(5):
        ids = bp.connect.FixedProb(p, seed=seed)(pre_num, post_num).require('pre_ids')
        counts.append(ids.numel())
    n = pre_num * post_num
    sd = math.sqrt(n * p * (1 - p))
    for c in counts:
        assert abs(c - n * p) < 5 * sd
    assert abs(np.mean(counts) - n * p) < 5 * sd / math.sqrt(len(counts))
    assert len(set(counts)) > 1          # seeds differ
    # no self-connection when excluded, on a non-square pair of groups too
    mat = bp.connect.FixedProb(0.9, include_self=False, seed=0)(50, 40).require('conn_mat')
    assert not mat[torch.arange(40), torch.arange(40)].any()
    assert mat.sum() > 0.8 * (50 * 40 - 40)
    assert bp.connect.FixedProb(0., seed=0)(10, 10).require('pre_ids').numel() == 0
    assert bp.connect.FixedProb(1., seed=0)(10, 10).require('conn_mat').all()


def test_fixed_pre_and_post_num_degrees():
    mat = bp.connect.FixedPreNum(num=7, include_self=False, seed=1)(40, 30).require('conn_mat')
    assert mat.sum(0).tolist() == [7] * 30                 # exact in-degree
    assert not mat[torch.arange(30), torch.arange(30)].any()
    mat = bp.connect.FixedPostNum(num=5, include_self=False, seed=1)(30, 40).require('conn_mat')
    assert mat.sum(1).tolist() == [5] * 30                 # exact out-degree
    assert not mat[torch.arange(30), torch.arange(30)].any()
    mat = bp.connect.FixedPostNum(num=0.5, seed=1)(6, 10).require('conn_mat')
    assert mat.sum(1).tolist() == [5] * 6


def test_gaussian_prob_decays_with_distance():
    n, sigma = 400, 4.
    mats = [bp.connect.GaussianProb(sigma=sigma, periodic_boundary=True, seed=s)(n)
            .require('conn_mat').numpy() for s in range(3)]
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing='ij')
    dist = np.minimum(np.abs(i - j), n - np.abs(i - j))
    for d in [0, 2, 4, 6, 8, 12]:
        sel = dist == d
        observed = np.mean([m[sel].mean() for m in mats])
        expected = math.exp(-d ** 2 / (2 * sigma ** 2))
        sd = math.sqrt(expected * (1 - expected) / (sel.sum() * len(mats))) + 1e-12
        assert abs(observed - expected) < 5 * sd + 1e-9, (d, observed, expected)
    assert not any(m[dist > 8 * sigma].any() for m in mats)


def test_small_world_degree_properties():
    n, k = 60, 6
    ring = bp.connect.SmallWorld(num_neighbor=k, prob=0., seed=0)(n, n).require('conn_mat')
    assert ring.sum(1).tolist() == [k] * n and torch.equal(ring, ring.T)
    assert ring[0, 1] and ring[0, 3] and ring[0, n - 3] and not ring[0, 4]
    sw = bp.connect.SmallWorld(num_neighbor=k, prob=0.2, seed=1)(n, n).require('conn_mat')
    assert torch.equal(sw, sw.T)                          # undirected
    assert int(sw.sum()) == int(ring.sum())               # rewiring keeps the edge count
    assert not sw.diagonal().any()
    assert not torch.equal(sw, ring)
    full = bp.connect.SmallWorld(num_neighbor=5, prob=0.5)(5, 5).require('conn_mat')
    assert full.all()                                     # k == n: the complete graph


def test_scale_free_degree_properties():
    n, m = 300, 3
    mat = bp.connect.ScaleFreeBA(m=m, seed=0)(n, n).require('conn_mat')
    assert torch.equal(mat, mat.T) and not mat.diagonal().any()
    deg = mat.sum(1)
    assert int(mat.sum()) // 2 == m * (n - m)
    assert int(deg[m:].min()) >= m
    assert int(deg.max()) > 5 * float(deg.float().mean())        # hubs
    directed = bp.connect.ScaleFreeBA(m=m, directed=True, seed=0)(n, n).require('conn_mat')
    assert directed.sum(1)[m:].tolist() == [m] * (n - m)        # out-degree m
    assert torch.equal(directed | directed.T, mat)
    dual = bp.connect.ScaleFreeBADual(m1=1, m2=4, p=0.5, seed=0)(n, n).require('conn_mat')
    out = bp.connect.ScaleFreeBADual(m1=1, m2=4, p=0.5, directed=True, seed=0)(n, n)
    out_deg = set(out.require('conn_mat').sum(1)[4:].tolist())
    assert out_deg == {1, 4} and torch.equal(dual, dual.T)
    pl = bp.connect.PowerLaw(m=m, p=0.8, seed=0)(n, n).require('conn_mat')
    assert torch.equal(pl, pl.T) and not pl.diagonal().any()
    assert int(pl.sum()) // 2 <= m * (n - m)
    tri = float(torch.trace(pl.double() @ pl.double() @ pl.double())) / 6
    tri_ba = float(torch.trace(mat.double() @ mat.double() @ mat.double())) / 6
    assert tri > 2 * tri_ba                    # the triangle step adds clustering


def test_seedless_connectors_follow_bm_random_seed():
    bm.random.seed(3)
    a = bp.connect.FixedProb(0.3)(20, 20).require('conn_mat')
    bm.random.seed(3)
    b = bp.connect.FixedProb(0.3)(20, 20).require('conn_mat')
    c = bp.connect.FixedProb(0.3)(20, 20).require('conn_mat')
    assert torch.equal(a, b) and not torch.equal(a, c)


# ---------------------------------------------------------------------------------------
# Structures: exact, and consistent with each other
# ---------------------------------------------------------------------------------------

def _check_consistent(conn):
    """Every structure describes the synapses (pre_ids[k], post_ids[k])."""
    mat, pre, post, (ind, ptr), (cind, cptr), (syn, sptr), (csyn, csptr), pslice, qslice = \
        conn.require(*ALL_STRUCTURES)
    pre_num, post_num = conn.pre_num, conn.post_num
    n = pre.numel()
    assert mat.shape == (pre_num, post_num) and mat.dtype == torch.bool
    for t in (pre, post, ind, ptr, cind, cptr, syn, sptr, csyn, csptr, pslice, qslice):
        assert t.dtype == torch.int64
    assert post.numel() == n == ind.numel() == cind.numel() == syn.numel() == csyn.numel()
    ref = np.zeros((pre_num, post_num), dtype=bool)
    ref[pre.numpy(), post.numpy()] = True
    np.testing.assert_array_equal(mat.numpy(), ref)
    # CSR by pre, stable: indices are post_ids in pre-sorted order
    order = np.argsort(pre.numpy(), kind='stable')
    np.testing.assert_array_equal(ind.numpy(), post.numpy()[order])
    np.testing.assert_array_equal(ptr.numpy(), np.r_[0, np.cumsum(np.bincount(pre.numpy(),
                                                                             minlength=pre_num))])
    np.testing.assert_array_equal(sptr.numpy(), ptr.numpy())
    np.testing.assert_array_equal(pslice.numpy(), np.stack([ptr[:-1], ptr[1:]], 1))
    np.testing.assert_array_equal(cptr.numpy(), np.r_[0, np.cumsum(np.bincount(
        post.numpy(), minlength=post_num))])
    np.testing.assert_array_equal(csptr.numpy(), cptr.numpy())
    np.testing.assert_array_equal(qslice.numpy(), np.stack([cptr[:-1], cptr[1:]], 1))
    for i in range(pre_num):
        s = syn[ptr[i]:ptr[i + 1]]
        assert (pre[s] == i).all()
        assert torch.equal(post[s], ind[ptr[i]:ptr[i + 1]])
    for j in range(post_num):
        s = csyn[cptr[j]:cptr[j + 1]]
        assert (post[s] == j).all()
        assert torch.equal(pre[s], cind[cptr[j]:cptr[j + 1]])
    assert sorted(syn.tolist()) == list(range(n)) == sorted(csyn.tolist())


CONNECTORS = {
    'One2One': lambda: bp.connect.One2One()(6, 6),
    'All2All': lambda: bp.connect.All2All(include_self=False)((2, 3), 4),
    'GridFour': lambda: bp.connect.GridFour(include_self=True)((3, 4)),
    'GridEight': lambda: bp.connect.GridEight()((3, 3)),
    'GridN': lambda: bp.connect.GridN(N=2)((4, 5)),
    'FixedProb': lambda: bp.connect.FixedProb(0.3, seed=1)(7, 9),
    'FixedPreNum': lambda: bp.connect.FixedPreNum(3, include_self=False, seed=1)(8, 6),
    'FixedPostNum': lambda: bp.connect.FixedPostNum(2, seed=1)(5, 9),
    'GaussianProb': lambda: bp.connect.GaussianProb(1., seed=1)((3, 3)),
    'SmallWorld': lambda: bp.connect.SmallWorld(4, 0.3, seed=1)(10, 10),
    'ScaleFreeBA': lambda: bp.connect.ScaleFreeBA(2, seed=1)(10, 10),
    'ScaleFreeBADual': lambda: bp.connect.ScaleFreeBADual(1, 3, 0.4, seed=1)(10, 10),
    'PowerLaw': lambda: bp.connect.PowerLaw(2, 0.5, seed=1)(10, 10),
    'IJConn': lambda: bp.connect.IJConn([3, 0, 3, 1, 0, 3], [1, 2, 0, 2, 0, 1])(4, 3),
    'MatConn': lambda: bp.connect.MatConn(np.random.RandomState(0).rand(5, 4) > 0.5)(5, 4),
}


@pytest.mark.parametrize('name', list(CONNECTORS))
def test_all_structures_are_consistent(name):
    _check_consistent(CONNECTORS[name]())


def test_exact_grid_structures():
    # GridFour on a 1-D group of 4 is a chain; row-by-row order up, down, left, right
    pre, post = bp.connect.GridFour()(4).require('pre_ids', 'post_ids')
    assert pre.tolist() == [0, 1, 1, 2, 2, 3] and post.tolist() == [1, 0, 2, 1, 3, 2]
    pre, post = bp.connect.GridFour(include_self=True)((2, 3)).require('pre_ids', 'post_ids')
    assert pre.tolist() == [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5]
    assert post.tolist() == [3, 1, 0, 4, 0, 2, 1, 5, 1, 2, 0, 4, 3, 1, 3, 5, 4, 2, 4, 5]
    mat = bp.connect.GridN(N=1, include_self=True)((3, 3)).require('conn_mat').numpy()
    r, c = np.divmod(np.arange(9), 3)
    ref = (np.abs(r[:, None] - r[None]) <= 1) & (np.abs(c[:, None] - c[None]) <= 1)
    np.testing.assert_array_equal(mat, ref)
    mat = bp.connect.GridN(N=2)((5, 6)).require('conn_mat').numpy()
    r, c = np.divmod(np.arange(30), 6)
    ref = (np.abs(r[:, None] - r[None]) <= 2) & (np.abs(c[:, None] - c[None]) <= 2)
    np.fill_diagonal(ref, False)
    np.testing.assert_array_equal(mat, ref)


def test_ijconn_keeps_its_order_and_numbers_synapses_in_it():
    conn = bp.connect.IJConn(i=np.array([2, 0, 2, 1]), j=np.array([0, 1, 1, 0]))(3, 2)
    pre, post, (syn, ptr), (ind, ptr2) = conn.require('pre_ids', 'post_ids', 'pre2syn',
                                                      'pre2post')
    assert pre.tolist() == [2, 0, 2, 1] and post.tolist() == [0, 1, 1, 0]
    assert syn.tolist() == [1, 3, 0, 2] and ptr.tolist() == [0, 1, 2, 4]
    assert ind.tolist() == [1, 0, 0, 1]
    cind, cptr = conn.require('post2pre')
    assert cind.tolist() == [1, 2, 0, 2] and cptr.tolist() == [0, 2, 4]


def test_sizes_ints_tuples_lists_and_one_end_defaults():
    conn = bp.connect.All2All()(pre_size=[2, 3], post_size=(4,))
    assert conn.pre_size == (2, 3) and conn.post_size == (4,)
    assert conn.pre_num == 6 and conn.require('conn_mat').shape == (6, 4)
    conn = bp.connect.GridFour()((2, 2), (2, 2))
    assert conn.post_num == 4
    assert bp.connect.One2One().__call__(3, 3).require('pre_ids').tolist() == [0, 1, 2]
    assert bp.connect.one2one(3, 3).require('post_ids').tolist() == [0, 1, 2]
    assert bp.connect.all2all(2, 2).require('conn_mat').all()
    assert bp.connect.grid_four(3).require('pre_ids').numel() == 4
    assert bp.connect.grid_eight((2, 2)).require('pre_ids').numel() == 12


def test_require_forms():
    conn = bp.connect.One2One()(3, 3)
    one = conn.require('pre_ids')
    assert isinstance(one, torch.Tensor)
    two = conn.require('pre_ids', 'post2pre')
    assert isinstance(two, tuple) and len(two) == 2 and isinstance(two[1], tuple)
    assert torch.equal(conn.require(['pre_ids', 'post_ids'])[1], conn.requires('post_ids'))
    assert isinstance(conn.require(bp.connect.PRE2POST), tuple)
    assert bp.connect.SUPPORTED_SYN_STRUCTURE == list(ALL_STRUCTURES)
    assert (bp.connect.CONN_MAT, bp.connect.PRE_SLICE, bp.connect.POST_SLICE) == (
        'conn_mat', 'pre_slice', 'post_slice')


def test_one_build_per_call():
    conn = bp.connect.FixedProb(0.5, seed=0)(10, 10)
    first = conn.require('conn_mat')
    pre, post = conn.require('pre_ids', 'post_ids')       # the same synapses as before
    assert torch.equal(first[pre, post], torch.ones(pre.numel(), dtype=torch.bool))
    assert int(first.sum()) == pre.numel()
    assert torch.equal(conn.require('conn_mat'), first)
    conn(10, 10)                                          # a new call: a new draw
    rng = np.random.RandomState(0)
    rng.random((10, 10))
    np.testing.assert_array_equal(conn.require('conn_mat').numpy(), rng.random((10, 10)) <= 0.5)


def test_dtypes_and_set_default_dtype():
    conn = bp.connect.GridFour()(3)
    try:
        bp.connect.set_default_dtype(idx_dtype=torch.int32, mat_dtype=np.float32)
        assert bp.connect.IDX_DTYPE == torch.int32 and bp.connect.MAT_DTYPE == torch.float32
        ind, ptr = conn.require('pre2post')
        assert ind.dtype == ptr.dtype == torch.int32
        assert conn.require('conn_mat').dtype == torch.float32
        bp.connect.set_default_dtype(idx_dtype=np.uint32)     # BrainPy's default: int64
        assert bp.connect.IDX_DTYPE == torch.int64
        with pytest.raises(ValueError, match='idx_dtype'):
            bp.connect.set_default_dtype(idx_dtype=torch.float32)
        with pytest.raises(TypeError, match='mat_dtype'):
            bp.connect.set_default_dtype(mat_dtype='not a dtype')
    finally:
        bp.connect.set_default_dtype(mat_dtype=torch.bool, idx_dtype=torch.int64)
    assert conn.require('conn_mat').dtype == torch.bool


def test_structures_on_the_default_device(device):
    if device.type == 'cuda':
        bm.set_platform('gpu')
    conn = bp.connect.FixedProb(0.5, seed=0)(4, 5)
    for name in ALL_STRUCTURES:
        value = conn.require(name)
        for t in value if isinstance(value, tuple) else (value,):
            assert t.device.type == device.type


def test_format_helpers():
    rng = np.random.RandomState(1)
    dense = rng.rand(6, 5) > 0.6
    dense[2] = False                                       # an empty row
    ind, ptr = bp.connect.mat2csr(dense)
    rows, cols = np.nonzero(dense)
    assert ind.tolist() == cols.tolist()
    assert ptr.tolist() == np.r_[0, np.cumsum(dense.sum(1))].tolist()
    np.testing.assert_array_equal(bp.connect.csr2mat((ind, ptr), 6, 5).numpy(), dense)
    np.testing.assert_array_equal(bp.connect.ij2mat((rows, cols), 6, 5).numpy(), dense)
    pre, post = bp.connect.mat2ij(torch.tensor(dense))
    assert pre.tolist() == rows.tolist() and post.tolist() == cols.tolist()
    perm = rng.permutation(rows.size)
    ind2, ptr2 = bp.connect.ij2csr(rows[perm], cols[perm], 6)
    assert ptr2.tolist() == ptr.tolist()
    for i in range(6):
        sel = rows[perm] == i
        assert ind2[ptr2[i]:ptr2[i + 1]].tolist() == cols[perm][sel].tolist()
    cind, cptr, data = bp.connect.csr2csc((ind, ptr), 5, data=np.arange(ind.numel()) * 10)
    prs, pcs = np.nonzero(dense.T)
    assert cind.tolist() == pcs.tolist()
    assert cptr.tolist() == np.r_[0, np.cumsum(dense.sum(0))].tolist()
    order = np.argsort(cols, kind='stable')
    assert data.tolist() == (order * 10).tolist()
    _, _, tdata = bp.connect.csr2csc((ind, ptr), 5, data=torch.arange(ind.numel()))
    assert tdata.tolist() == order.tolist()


def test_errors():
    with pytest.raises(ConnectorError, match='same size'):
        bp.connect.One2One()(3, 4)
    with pytest.raises(ConnectorError, match='__call__'):
        bp.connect.All2All().require('conn_mat')
    with pytest.raises(ConnectorError, match='Unknown synapse structure "pre_post"'):
        bp.connect.All2All()(2, 2).require('pre_post')
    with pytest.raises(ConnectorError, match='No synaptic structure'):
        bp.connect.All2All()(2, 2).require()
    with pytest.raises(ConnectorError, match='should be the same'):
        bp.connect.GridFour()(4, 5)
    with pytest.raises(ConnectorError, match='two-dimensional'):
        bp.connect.GridFour()((2, 2, 2)).require('conn_mat')
    with pytest.raises(ConnectorError, match='post_num'):
        bp.connect.IJConn([0, 1], [0, 2])(2, 2)
    with pytest.raises(ConnectorError, match='same length'):
        bp.connect.IJConn([0, 1], [0])
    with pytest.raises(ConnectorError, match='probability'):
        bp.connect.FixedProb(1.5)
    with pytest.raises(ConnectorError, match='smaller than'):
        bp.connect.FixedPreNum(5, seed=0)(3, 3).require('conn_mat')
    with pytest.raises(ConnectorError, match='smaller than'):
        bp.connect.FixedPostNum(5, seed=0)(3, 3).require('conn_mat')
    with pytest.raises(ConnectorError, match='m < n'):
        bp.connect.ScaleFreeBA(m=5, seed=0)(5, 5).require('conn_mat')
    with pytest.raises(ConnectorError, match='pre_size'):
        bp.connect.All2All()(2.5, 3)
    with pytest.raises(ConnectorError, match='inconsistent'):
        bp.connect.MatConn(np.ones((2, 3)))(3, 2)
    with pytest.raises(ConnectorError, match='csr'):
        bp.connect.TwoEndConnector()(2, 2).make_returns('conn_mat', ('coo', None))
    assert issubclass(ConnectorError, ValueError)
    with pytest.raises(NotImplementedError, match='build_conn'):
        bp.connect.TwoEndConnector()(2, 2).require('conn_mat')


# ---------------------------------------------------------------------------------------
# BrainPy 2.1.12's own connect tests (brainpy/connect/tests), ported: imports changed,
# its prints turned into assertions, AssertionError into ConnectorError
# ---------------------------------------------------------------------------------------

def test_brainpy_random_prob():
    conn1 = bp.connect.FixedProb(prob=0.1, seed=123)
    conn1(pre_size=(10, 20), post_size=(10, 20))
    pre_ids, post_ids, pre2post = conn1.require('pre_ids', 'post_ids', 'pre2post')
    conn2 = bp.connect.FixedProb(prob=0.1, seed=123)
    conn2(pre_size=(10, 20), post_size=(10, 20))
    mat = conn2.require(bp.connect.CONN_MAT)
    pre_ids2, post_ids2 = torch.where(mat)
    assert torch.equal(pre_ids, pre_ids2) and torch.equal(post_ids, post_ids2)
    assert torch.equal(pre2post[0], post_ids)


@pytest.mark.parametrize('cls, axis', [(bp.connect.FixedPreNum, 0), (bp.connect.FixedPostNum, 1)])
def test_brainpy_random_fix_num(cls, axis):
    for num in [0.4, 20]:
        mat1 = cls(num, seed=1234)(pre_size=(10, 15), post_size=(10, 20)).require(
            bp.connect.CONN_MAT)
        mat2 = cls(num, seed=1234)(pre_size=(10, 15), post_size=(10, 20)).require(
            bp.connect.CONN_MAT)
        assert torch.equal(mat1, mat2)
        total = 150 if axis == 0 else 200
        expected = int(total * num) if isinstance(num, float) else num
        assert set(mat1.sum(axis).tolist()) == {expected}
    for num in [0.5, 3]:
        mat = cls(num, seed=1234)(pre_size=5, post_size=4).require(bp.connect.CONN_MAT)
        assert mat.shape == (5, 4)
    with pytest.raises(ConnectorError):
        cls(num=6, seed=1234)(pre_size=3, post_size=4).require(bp.connect.CONN_MAT)


def test_brainpy_gaussian_prob():
    mat = bp.connect.GaussianProb(sigma=1., include_self=False)(pre_size=100).require(
        bp.connect.CONN_MAT)
    assert mat.shape == (100, 100) and not mat.diagonal().any()
    mat = bp.connect.GaussianProb(sigma=4, periodic_boundary=True)(pre_size=(20, 20)).require(
        bp.connect.CONN_MAT)
    assert mat.diagonal().all()
    conn = bp.connect.GaussianProb(sigma=4, periodic_boundary=True)(pre_size=(6, 6, 6))
    mat, pre, post, (ind, ptr), post2 = conn.require(bp.connect.CONN_MAT, bp.connect.PRE_IDS,
                                                     bp.connect.POST_IDS, bp.connect.PRE2POST,
                                                     bp.connect.POST_IDS)
    assert torch.equal(post, post2) and ptr.numel() == 217 and int(mat.sum()) == pre.numel()


def test_brainpy_small_world():
    mat = bp.connect.SmallWorld(num_neighbor=2, prob=0.5, include_self=False)(10, 10).require(
        bp.connect.CONN_MAT)
    assert int(mat.sum()) == 20 and torch.equal(mat, mat.T)
    mat = bp.connect.SmallWorld(num_neighbor=2, prob=0.5, include_self=True)(20, 20).require(
        bp.connect.CONN_MAT)
    assert torch.equal(mat, mat.T)
    conn = bp.connect.SmallWorld(num_neighbor=2, prob=0.5)
    conn(pre_size=(100,), post_size=(100,))
    mat, pre, post, _, _ = conn.require(bp.connect.CONN_MAT, bp.connect.PRE_IDS,
                                        bp.connect.POST_IDS, bp.connect.PRE2POST,
                                        bp.connect.POST_IDS)
    assert int(mat.sum()) == pre.numel() == 200
    with pytest.raises(ConnectorError, match='1D'):
        bp.connect.SmallWorld(2, 0.5)((5, 5), (5, 5)).require('conn_mat')


@pytest.mark.parametrize('make, edges', [
    (lambda: bp.connect.ScaleFreeBA(m=2), lambda n: 2 * (n - 2)),
    (lambda: bp.connect.ScaleFreeBADual(m1=2, m2=3, p=0.4), None),
    (lambda: bp.connect.PowerLaw(m=3, p=0.4), None),
], ids=['ScaleFreeBA', 'ScaleFreeBADual', 'PowerLaw'])
def test_brainpy_scale_free_on_several_sizes(make, edges):
    conn = make()
    for size in [100, (10, 20), (2, 10, 20)]:
        conn(pre_size=size, post_size=size)
        mat, pre, _, _, _ = conn.require(bp.connect.CONN_MAT, bp.connect.PRE_IDS,
                                         bp.connect.POST_IDS, bp.connect.PRE2POST,
                                         bp.connect.POST_IDS)
        n = conn.pre_num
        assert mat.shape == (n, n) and torch.equal(mat, mat.T) and int(mat.sum()) == pre.numel()
        if edges is not None:
            assert int(mat.sum()) // 2 == edges(n)


def test_brainpy_regular():
    for size in [100, (3, 4), (4, 5, 6)]:
        conn = bp.connect.One2One()(pre_size=size, post_size=size)
        conn_mat, pre_ids, post_ids, pre2post, pre2syn, post2pre, post2syn = conn.require(
            'conn_mat', 'pre_ids', 'post_ids', 'pre2post', 'pre2syn', 'post2pre', 'post2syn')
        num = int(np.prod(size))
        assert torch.equal(conn_mat, torch.eye(num, dtype=torch.bool))
        assert torch.equal(pre_ids, torch.arange(num)) and torch.equal(post_ids, torch.arange(num))
        for pair in (pre2post, pre2syn, post2pre, post2syn):
            assert torch.equal(pair[0], torch.arange(num))
            assert torch.equal(pair[1], torch.arange(num + 1))
    for has_self in [True, False]:
        for size in [100, (3, 4), (4, 5, 6)]:
            conn = bp.connect.All2All(include_self=has_self)(pre_size=size, post_size=size)
            mat = conn.require(bp.connect.CONN_MAT)
            num = int(np.prod(size))
            actual = torch.ones((num, num), dtype=torch.bool)
            if not has_self:
                actual.fill_diagonal_(False)
            assert torch.equal(actual, mat)
            if num < 50:
                _check_consistent(conn)


def test_brainpy_custom():
    conn = bp.connect.IJConn(i=np.array([0, 1, 2]), j=np.array([0, 0, 0]))(pre_size=5,
                                                                          post_size=3)
    pre2post, post2pre, conn_mat = conn.requires('pre2post', 'post2pre', 'conn_mat')
    assert pre2post[0].tolist() == [0, 0, 0] and post2pre[0].tolist() == [0, 1, 2]
    np.testing.assert_array_equal(conn_mat.numpy(), _mat(['100', '100', '100', '000', '000']))
    actual_mat = np.random.RandomState(123).randint(2, size=(5, 3)).astype(bool)
    conn = bp.connect.MatConn(conn_mat=actual_mat)(pre_size=5, post_size=3)
    np.testing.assert_array_equal(conn.requires('conn_mat').numpy(), actual_mat)
    with pytest.raises(ConnectorError):
        bp.connect.MatConn(conn_mat=actual_mat)(pre_size=5, post_size=1)
