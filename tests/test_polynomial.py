"""bm's polynomial functions against NumPy."""

import numpy as np
import pytest
import torch

import bptorch.math as bm

R = np.random.RandomState(9)
P = np.array([2., -3., 0.5, 4.])
Q = np.array([1., 2.])


def close(x, y, tol=1e-5):
    if isinstance(x, tuple):
        return len(x) == len(y) and all(close(a, b, tol) for a, b in zip(x, y))
    x = x.numpy() if isinstance(x, torch.Tensor) else np.asarray(x)
    return x.shape == np.shape(y) and np.allclose(x, y, atol=tol, rtol=tol)


def test_arithmetic():
    x = R.randn(3, 4)
    assert close(bm.polyval(P, x), np.polyval(P, x))
    assert close(bm.polyval([3, 0, 1], 2), np.polyval([3, 0, 1], 2))
    assert close(bm.polyadd(P, Q), np.polyadd(P, Q)) and close(bm.polyadd(Q, P), np.polyadd(Q, P))
    assert close(bm.polysub(P, Q), np.polysub(P, Q)) and close(bm.polysub(Q, P), np.polysub(Q, P))
    assert close(bm.polymul(P, Q), np.polymul(P, Q))
    assert close(bm.polymul([1, 2], [3, 4]), np.polymul([1, 2], [3, 4]))
    assert close(bm.polydiv(P, Q), np.polydiv(P, Q))
    assert close(bm.polydiv([1., 3., 2.], [1., 1.]), np.polydiv([1., 3., 2.], [1., 1.]))
    assert close(bm.polydiv(Q, P), np.polydiv(Q, P))


@pytest.mark.parametrize('m', [0, 1, 2, 5])
def test_derivatives_and_integrals(m):
    assert close(bm.polyder(P, m), np.polyder(P, m))
    assert close(bm.polyint(P, m), np.polyint(P, m))
    if m:
        assert close(bm.polyint(P, m, k=2.), np.polyint(P, m, k=2.))
        ks = list(range(1, m + 1))
        assert close(bm.polyint(P, m, k=ks), np.polyint(P, m, k=ks))


def test_vander():
    x = np.array([1., 2., 3., 5.])
    for N in (None, 2, 5):
        for inc in (False, True):
            assert close(bm.vander(x, N, inc), np.vander(x, N, inc))


def test_polyfit():
    x = np.linspace(0, 3, 20)
    y = 2 * x ** 2 - x + 0.5 + 0.01 * R.randn(20)
    bm.enable_x64()
    assert close(bm.polyfit(x, y, 2), np.polyfit(x, y, 2), 1e-8)
    w = R.uniform(0.5, 1., 20)
    assert close(bm.polyfit(x, y, 3, w=w), np.polyfit(x, y, 3, w=w), 1e-7)
    y2 = np.stack([y, -y], 1)
    assert close(bm.polyfit(x, y2, 1), np.polyfit(x, y2, 1), 1e-8)
    c, res, rank, s, rc = bm.polyfit(x, y, 2, full=True)
    c2, res2, rank2, s2, rc2 = np.polyfit(x, y, 2, full=True)
    assert close(c, c2, 1e-8) and close(res, res2, 1e-8) and int(rank) == rank2 and close(s, s2, 1e-8)
    assert np.isclose(rc, rc2)
    for cov in (True, 'unscaled'):
        c, V = bm.polyfit(x, y, 2, cov=cov)
        c2, V2 = np.polyfit(x, y, 2, cov=cov)
        assert close(V, V2, 1e-8)
    c, V = bm.polyfit(x, y2, 1, cov=True)
    assert close(V, np.polyfit(x, y2, 1, cov=True)[1], 1e-8)
    with pytest.raises(ValueError, match='deg'):
        bm.polyfit(x, y, -1)


def test_roots_and_poly():
    for p in ([1., -3., 2.], [1., 0., 1.], [0., 0., 1., -6., 11., -6.], [2., 0., 0.], [3.]):
        ours = bm.roots(p)
        theirs = np.roots(p)
        assert ours.is_complex()
        assert close(np.sort_complex(ours.numpy()), np.sort_complex(theirs.astype(complex)))
    for z in ([1., 2.], [1j, -1j], [1 + 1j, 2.], [], R.randn(3, 3)):
        ours, theirs = bm.poly(z), np.poly(z)
        assert ours.is_complex() == np.iscomplexobj(theirs) and close(ours, theirs, 1e-4)


def test_polyval_gradient():
    p = torch.tensor([1., 2., 3.], requires_grad=True)
    x = torch.tensor(2.)
    (g,) = torch.autograd.grad(bm.polyval(p, x), p)
    assert torch.allclose(g, torch.tensor([4., 2., 1.]))


def test_on_device(device):
    p = torch.tensor(P, device=device)
    for r in (bm.polyval(p, torch.ones(2, device=device)), bm.polymul(p, p), bm.polyder(p), bm.polyint(p),
              bm.roots(p), bm.poly(p), bm.polydiv(p, p[:2])[0]):
        assert r.device.type == device.type
