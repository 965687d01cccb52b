"""bm.diff, ediff1d, gradient, trapz, interp, convolve, correlate, unwrap against NumPy."""

import numpy as np
import pytest
import torch

import bptorch.math as bm

R = np.random.RandomState(11)
X = R.randn(4, 6)


def close(x, y, tol=1e-5):
    x = x.numpy() if isinstance(x, torch.Tensor) else np.asarray(x)
    return x.shape == np.shape(y) and np.allclose(x, y, atol=tol, rtol=tol)


@pytest.mark.parametrize('n, axis', [(1, -1), (2, -1), (1, 0), (3, 1), (0, 0)])
def test_diff(n, axis):
    assert close(bm.diff(X, n=n, axis=axis), np.diff(X, n=n, axis=axis))
    assert close(bm.diff(X, n=n, axis=axis, prepend=0., append=X.take([0], axis=axis)),
                 np.diff(X, n=n, axis=axis, prepend=0., append=X.take([0], axis=axis)))


def test_diff_ints_bools_and_errors():
    xi = R.randint(0, 9, 8)
    assert close(bm.diff(xi), np.diff(xi)) and bm.diff(xi).dtype == torch.int64
    b = np.array([True, False, False, True])
    assert close(bm.diff(b), np.diff(b)) and bm.diff(b).dtype == torch.bool
    with pytest.raises(ValueError, match='non-negative'):
        bm.diff(X, n=-1)


def test_ediff1d():
    assert close(bm.ediff1d(X), np.ediff1d(X))
    assert close(bm.ediff1d([1, 2, 4], to_begin=[0, 0], to_end=9), np.ediff1d([1, 2, 4], to_begin=[0, 0], to_end=9))


@pytest.mark.parametrize('edge_order', [1, 2])
def test_gradient(edge_order):
    assert close(bm.gradient(X[0], edge_order=edge_order), np.gradient(X[0], edge_order=edge_order))
    ours, theirs = bm.gradient(X, edge_order=edge_order), np.gradient(X, edge_order=edge_order)
    assert isinstance(ours, list) and all(close(a, b) for a, b in zip(ours, theirs))
    assert close(bm.gradient(X, 0.5, axis=1, edge_order=edge_order),
                 np.gradient(X, 0.5, axis=1, edge_order=edge_order))
    xs = np.cumsum(R.uniform(0.5, 1.5, 6))
    assert close(bm.gradient(X, xs, axis=1, edge_order=edge_order),
                 np.gradient(X, xs, axis=1, edge_order=edge_order))
    both = bm.gradient(X, 2., xs, edge_order=edge_order)
    assert all(close(a, b) for a, b in zip(both, np.gradient(X, 2., xs, edge_order=edge_order)))


def test_trapz():
    assert close(bm.trapz(X), np.trapezoid(X))
    assert close(bm.trapz(X, dx=0.3, axis=0), np.trapezoid(X, dx=0.3, axis=0))
    xs = np.cumsum(R.uniform(0.1, 1., 6))
    assert close(bm.trapz(X, xs), np.trapezoid(X, xs))


def test_interp():
    xp = np.sort(R.uniform(0, 10, 8))
    fp = R.randn(8)
    x = np.concatenate([R.uniform(-2, 12, 30), xp, [xp[0], xp[-1]]])
    assert close(bm.interp(x, xp, fp), np.interp(x, xp, fp))
    assert close(bm.interp(x, xp, fp, left=-9., right=9.), np.interp(x, xp, fp, left=-9., right=9.))
    assert close(bm.interp(x, xp, fp, period=3.), np.interp(x, xp, fp, period=3.))
    assert close(bm.interp(x, xp, fp + 1j * fp[::-1]), np.interp(x, xp, fp + 1j * fp[::-1]))
    assert close(bm.interp([1., 5.], [2.], [7.]), np.interp([1., 5.], [2.], [7.]))
    with pytest.raises(ValueError, match='xp and fp'):
        bm.interp([1.], [1., 2.], [1.])
    with pytest.raises(ValueError, match='period'):
        bm.interp([1.], [1., 2.], [1., 2.], period=0)


def test_interp_gradients():
    xp = torch.tensor([0., 1., 3.], dtype=torch.float64)
    fp = torch.tensor([0., 2., 3.], dtype=torch.float64, requires_grad=True)
    x = torch.tensor([0.5, 2.], dtype=torch.float64, requires_grad=True)
    y = bm.interp(x, xp, fp).sum()
    gx, gf = torch.autograd.grad(y, [x, fp])
    assert torch.allclose(gx, torch.tensor([2., 0.5], dtype=torch.float64))
    assert torch.allclose(gf, torch.tensor([0.5, 1., 0.5], dtype=torch.float64))


@pytest.mark.parametrize('mode', ['full', 'same', 'valid'])
@pytest.mark.parametrize('na, nv', [(7, 3), (3, 7), (6, 4), (5, 5), (1, 4)])
def test_convolve_and_correlate(mode, na, nv):
    a, v = R.randn(na), R.randn(nv)
    assert close(bm.convolve(a, v, mode), np.convolve(a, v, mode))
    assert close(bm.correlate(a, v, mode), np.correlate(a, v, mode))
    ac, vc = a + 1j * R.randn(na), v - 1j * R.randn(nv)
    assert close(bm.convolve(ac, vc, mode), np.convolve(ac, vc, mode))
    assert close(bm.correlate(ac, vc, mode), np.correlate(ac, vc, mode))
    ai, vi = R.randint(-5, 5, na), R.randint(-5, 5, nv)
    out = bm.convolve(ai, vi, mode)
    assert out.dtype == torch.int64 and close(out, np.convolve(ai, vi, mode))


def test_convolve_errors_and_gradient():
    with pytest.raises(ValueError, match='mode'):
        bm.convolve([1.], [1.], 'circular')
    with pytest.raises(ValueError, match='1-D'):
        bm.convolve(np.ones((2, 2)), [1.])
    with pytest.raises(ValueError, match='empty'):
        bm.convolve([], [1.])
    a = torch.tensor(R.randn(5), requires_grad=True)
    v = torch.tensor(R.randn(3))
    (g,) = torch.autograd.grad(bm.convolve(a, v).sum(), a)
    assert close(g, np.full(5, v.sum().item()))


@pytest.mark.parametrize('discont, period', [(None, 2 * np.pi), (1., 2 * np.pi), (None, 5.), (4., 6.)])
def test_unwrap(discont, period):
    p = np.cumsum(R.uniform(-4, 4, (3, 12)), axis=1)
    for axis in (-1, 0):
        assert close(bm.unwrap(p, discont=discont, axis=axis, period=period),
                     np.unwrap(p, discont=discont, axis=axis, period=period), 1e-4)


def test_on_device(device):
    x = torch.tensor(X, device=device)
    for r in (bm.diff(x, prepend=0.), bm.gradient(x[0]), bm.trapz(x), bm.convolve(x[0], x[1]),
              bm.correlate(x[0] + 1j, x[1]), bm.interp(x, torch.arange(3., device=device), [1., 2., 0.]),
              bm.unwrap(x)):
        assert r.device.type == device.type
    assert close(bm.convolve(x[0], x[1], 'same').cpu(), np.convolve(X[0], X[1], 'same'))
