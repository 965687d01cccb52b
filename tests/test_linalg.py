"""bm.linalg against numpy.linalg: values, argument names and return structures."""

import inspect

import numpy as np
import pytest
import torch

import bptorch.math as bm

RNG = np.random.RandomState(0)
A = RNG.randn(4, 4)
SPD = A @ A.T + 4 * np.eye(4)
TALL = RNG.randn(6, 3)
B = RNG.randn(4, 2)


def close(x, y, tol=1e-9):
    x = x.numpy() if isinstance(x, torch.Tensor) else np.asarray(x)
    return np.allclose(x, y, atol=tol, rtol=tol)


@pytest.fixture(autouse=True)
def x64():
    bm.enable_x64()   # compare in float64 (NumPy's precision)
    yield


def test_names_are_brainpy_2_1_12s():
    assert sorted(bm.linalg.__all__) == sorted([
        'cholesky', 'cond', 'det', 'eig', 'eigh', 'eigvals', 'eigvalsh', 'inv', 'svd', 'lstsq',
        'matrix_power', 'matrix_rank', 'norm', 'pinv', 'qr', 'solve', 'slogdet', 'tensorinv',
        'tensorsolve', 'multi_dot'])


@pytest.mark.parametrize('name', ['cholesky', 'cond', 'det', 'eig', 'eigh', 'eigvals', 'eigvalsh',
                                  'inv', 'svd', 'lstsq', 'matrix_power', 'matrix_rank', 'norm',
                                  'pinv', 'qr', 'solve', 'slogdet', 'tensorinv', 'tensorsolve',
                                  'multi_dot'])
def test_argument_names_are_numpys(name):
    ours = list(inspect.signature(getattr(bm.linalg, name)).parameters)
    theirs = [p for p in inspect.signature(getattr(np.linalg, name)).parameters
              if p not in ('rtol', 'out')]   # NumPy 2's keyword-only additions
    if name == 'matrix_rank':
        theirs[0] = 'M'   # BrainPy 2.1 (and NumPy 1.x) name it M; NumPy 2 renamed it A
    assert ours[:len(theirs)] == theirs


def test_simple_functions():
    assert close(bm.linalg.cholesky(SPD), np.linalg.cholesky(SPD))
    assert close(bm.linalg.cholesky(SPD, upper=True), np.linalg.cholesky(SPD).T)
    assert close(bm.linalg.det(A), np.linalg.det(A))
    assert close(bm.linalg.inv(A), np.linalg.inv(A), 1e-8)
    assert close(bm.linalg.matrix_power(A, 3), np.linalg.matrix_power(A, 3), 1e-8)
    assert close(bm.linalg.matrix_power(A, -2), np.linalg.matrix_power(A, -2), 1e-8)
    assert torch.equal(bm.linalg.matrix_power([[1, 1], [0, 1]], 2), torch.tensor([[1, 2], [0, 1]]))
    for p in (None, 'fro', 'nuc', np.inf, -np.inf, 1, -1, 2, -2):
        assert close(bm.linalg.cond(A, p), np.linalg.cond(A, p), 1e-7), p
    sign, logdet = bm.linalg.slogdet(A)
    s2, l2 = np.linalg.slogdet(A)
    assert close(sign, s2) and close(logdet, l2)
    x = bm.linalg.solve(A, B)
    assert close(x, np.linalg.solve(A, B))
    assert close(bm.linalg.solve(A, B[:, 0]), np.linalg.solve(A, B[:, 0]))
    batch = np.stack([A, SPD])
    assert close(bm.linalg.solve(batch, B), np.linalg.solve(batch, B))   # b broadcast over the batch
    assert close(bm.linalg.det(batch), np.linalg.det(batch))


def test_int_input_is_the_default_float():
    bm.disable_x64()
    assert bm.linalg.det([[2, 0], [0, 3]]).dtype == torch.float32
    assert bm.linalg.inv([[2, 0], [0, 4]]).dtype == torch.float32


def test_eig_returns_complex():
    sym = A + A.T
    w, v = bm.linalg.eig(sym)
    assert w.is_complex() and v.is_complex()
    assert close(np.sort(w.real.numpy()), np.sort(np.linalg.eigvals(sym).real))
    aw = torch.as_tensor(sym, dtype=v.dtype) @ v
    assert torch.allclose(aw, v * w, atol=1e-9)
    rot = [[0., -1.], [1., 0.]]
    assert close(np.sort_complex(bm.linalg.eigvals(rot).numpy()), np.sort_complex(np.linalg.eigvals(rot)))


@pytest.mark.parametrize('uplo', ['L', 'U'])
def test_eigh(uplo):
    m = np.triu(A) if uplo == 'U' else np.tril(A)   # only one triangle is read
    w, v = bm.linalg.eigh(m, UPLO=uplo)
    w2, v2 = np.linalg.eigh(m, UPLO=uplo)
    assert close(w, w2) and close(np.abs(v.numpy()), np.abs(v2))
    assert close(bm.linalg.eigvalsh(m, uplo), np.linalg.eigvalsh(m, uplo))
    with pytest.raises(ValueError, match='UPLO'):
        bm.linalg.eigh(m, UPLO='X')


@pytest.mark.parametrize('full', [True, False])
def test_svd(full):
    u, s, vh = bm.linalg.svd(TALL, full_matrices=full)
    u2, s2, vh2 = np.linalg.svd(TALL, full_matrices=full)
    assert u.shape == u2.shape and s.shape == s2.shape and vh.shape == vh2.shape
    assert close(s, s2)
    k = s.shape[0]
    assert close(u[:, :k] * s @ vh, TALL)
    assert close(bm.linalg.svd(TALL, compute_uv=False), s2)


def test_svd_hermitian():
    sym = A + A.T
    u, s, vh = bm.linalg.svd(sym, hermitian=True)
    assert close(s, np.linalg.svd(sym, compute_uv=False))
    assert close(u * s @ vh, sym)
    assert close(bm.linalg.svd(sym, compute_uv=False, hermitian=True), np.linalg.svd(sym, compute_uv=False))


@pytest.mark.parametrize('b', [RNG.randn(6), RNG.randn(6, 2)])
def test_lstsq_returns_numpys_four_values(b):
    x, res, rank, s = bm.linalg.lstsq(TALL, b)
    x2, res2, rank2, s2 = np.linalg.lstsq(TALL, b, rcond=None)
    assert close(x, x2) and close(res, res2) and int(rank) == rank2 and close(s, s2)
    assert res.shape == res2.shape


def test_lstsq_rank_deficient_and_wide():
    a = np.array([[1., 2.], [2., 4.], [3., 6.]])
    b = np.array([1., 2., 3.])
    x, res, rank, s = bm.linalg.lstsq(a, b)
    x2, res2, rank2, s2 = np.linalg.lstsq(a, b, rcond=None)
    assert close(x, x2) and int(rank) == rank2 == 1 and res.shape == res2.shape == (0,)
    wide = RNG.randn(2, 4)
    x, res, rank, s = bm.linalg.lstsq(wide, [1., 2.])
    x2, *_ = np.linalg.lstsq(wide, [1., 2.], rcond=None)
    assert close(x, x2) and res.shape == (0,)
    with pytest.raises(ValueError, match='b must have shape'):
        bm.linalg.lstsq(a, [1., 2.])


def test_lstsq_is_differentiable_in_b():
    b = torch.tensor(RNG.randn(6), requires_grad=True)
    x = bm.linalg.lstsq(torch.as_tensor(TALL), b)[0]
    x.sum().backward()
    expected = np.linalg.pinv(TALL).sum(0)
    assert close(b.grad, expected)


def test_matrix_rank():
    assert int(bm.linalg.matrix_rank(np.outer([1., 2., 3.], [1., 1.]))) == 1
    assert int(bm.linalg.matrix_rank(A)) == np.linalg.matrix_rank(A) == 4
    near = np.diag([1., 1e-9])
    assert int(bm.linalg.matrix_rank(near, tol=1e-6)) == np.linalg.matrix_rank(near, tol=1e-6) == 1
    assert int(bm.linalg.matrix_rank([0., 0.])) == 0 and int(bm.linalg.matrix_rank([0., 1.])) == 1


@pytest.mark.parametrize('ord, axis', [
    (None, None), ('fro', None), ('nuc', None), (np.inf, None), (-np.inf, None), (1, None),
    (-1, None), (2, None), (-2, None), (None, 0), (1, 1), (3, 0), (0, 1), (np.inf, 0),
    ('fro', (0, 1)), (2, (1, 0)),
])
def test_norm(ord, axis):
    for keepdims in (False, True):
        ours = bm.linalg.norm(B, ord, axis, keepdims)
        theirs = np.linalg.norm(B, ord, axis, keepdims)
        assert ours.shape == theirs.shape and close(ours, theirs), (ord, axis)


def test_norm_errors_and_vectors():
    assert close(bm.linalg.norm([3., 4.]), 5.)
    assert close(bm.linalg.norm(np.ones((2, 2, 2))), np.linalg.norm(np.ones((2, 2, 2))))
    with pytest.raises(ValueError, match='ord'):
        bm.linalg.norm(B, 'bad')
    with pytest.raises(ValueError, match='1-D or 2-D'):
        bm.linalg.norm(np.ones((2, 2, 2)), 1)


def test_pinv():
    assert close(bm.linalg.pinv(TALL), np.linalg.pinv(TALL))
    sing = np.array([[1., 0.], [0., 1e-20]])
    assert close(bm.linalg.pinv(sing), np.linalg.pinv(sing))
    sym = SPD
    assert close(bm.linalg.pinv(sym, hermitian=True), np.linalg.pinv(sym, hermitian=True), 1e-8)


@pytest.mark.parametrize('mode', ['reduced', 'complete', 'r', 'raw'])
def test_qr(mode):
    ours, theirs = bm.linalg.qr(TALL, mode=mode), np.linalg.qr(TALL, mode=mode)
    if mode == 'r':
        assert close(np.abs(ours.numpy()), np.abs(theirs))
    elif mode == 'raw':
        assert close(ours[0], theirs[0]) and close(ours[1], theirs[1])
    else:
        q, r = ours
        assert q.shape == theirs[0].shape and r.shape == theirs[1].shape
        assert close(q @ r, TALL) and close(np.abs(r.numpy()), np.abs(theirs[1]))
    with pytest.raises(ValueError, match='mode'):
        bm.linalg.qr(TALL, mode='economic')


def test_tensor_functions_and_multi_dot():
    a = np.eye(6).reshape(6, 2, 3) + 0.1 * RNG.randn(6, 2, 3)
    assert close(bm.linalg.tensorinv(a, ind=1), np.linalg.tensorinv(a, ind=1), 1e-8)
    b = RNG.randn(6)
    assert close(bm.linalg.tensorsolve(a, b), np.linalg.tensorsolve(a, b), 1e-8)
    a4 = np.transpose(a, (1, 0, 2))   # (2, 6, 3); axes=(0,) moves the 2 to the right
    assert close(bm.linalg.tensorsolve(a4, b, axes=(0,)), np.linalg.tensorsolve(a4, b, axes=(0,)), 1e-8)
    mats = [RNG.randn(2, 3), RNG.randn(3, 4), RNG.randn(4, 2)]
    assert close(bm.linalg.multi_dot(mats), np.linalg.multi_dot(mats))
    assert close(bm.linalg.multi_dot([np.ones(3), mats[1], np.ones(4)]),
                 np.linalg.multi_dot([np.ones(3), mats[1], np.ones(4)]))
    with pytest.raises(ValueError, match='at least two'):
        bm.linalg.multi_dot([A])


def test_shape_errors():
    with pytest.raises(ValueError, match='square'):
        bm.linalg.inv(TALL)
    with pytest.raises(ValueError, match='square'):
        bm.linalg.det([1., 2.])
    with pytest.raises(ValueError, match='2 dimensions'):
        bm.linalg.svd([1., 2.])


def test_gradients_and_batching():
    a = torch.tensor(SPD, requires_grad=True)
    (g,) = torch.autograd.grad(bm.linalg.det(a), a)
    assert close(g, np.linalg.det(SPD) * np.linalg.inv(SPD).T, 1e-7)
    f = lambda m: bm.linalg.slogdet(m)[1]
    g2 = bm.grad(f)(torch.tensor(SPD))
    assert close(g2, np.linalg.inv(SPD).T, 1e-8)
    batch = torch.stack([torch.tensor(SPD), torch.tensor(SPD) * 2])
    assert close(bm.vmap(bm.linalg.det)(batch), np.linalg.det(batch.numpy()), 1e-6)
    assert close(bm.vmap(lambda m: bm.linalg.norm(m, 'fro'))(batch),
                 np.linalg.norm(batch.numpy(), 'fro', axis=(1, 2)))


def test_on_device(device):
    a = torch.tensor(SPD, device=device)
    b = torch.tensor(B, device=device)
    for r in (bm.linalg.cholesky(a), bm.linalg.solve(a, b), bm.linalg.eig(a)[0], bm.linalg.qr(a, 'raw')[0],
              bm.linalg.lstsq(torch.tensor(TALL, device=device), torch.ones(6, device=device))[0],
              bm.linalg.norm(a, 'nuc'), bm.linalg.pinv(a), bm.linalg.matrix_rank(a),
              bm.linalg.multi_dot([a, a, b])):
        assert r.device.type == device.type
    assert close(bm.linalg.solve(a, b).cpu(), np.linalg.solve(SPD, B))
