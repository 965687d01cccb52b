"""bm's statistics (average, nan-statistics, cov, corrcoef, histograms, bincount, digitize)
against NumPy."""

import numpy as np
import pytest
import torch

import bptorch.math as bm

R = np.random.RandomState(7)
X = R.randn(4, 5)
XN = X.copy()
XN[0, 1] = XN[2, 3] = XN[2, 4] = np.nan
W = R.uniform(0.1, 2., 5)


def close(x, y, tol=1e-5):
    x = x.numpy() if isinstance(x, torch.Tensor) else np.asarray(x)
    return x.shape == np.shape(y) and np.allclose(x, y, atol=tol, rtol=tol, equal_nan=True)


@pytest.mark.parametrize('axis', [None, 0, 1, (0, 1)])
def test_average(axis):
    for keepdims in (False, True):
        assert close(bm.average(X, axis=axis, keepdims=keepdims), np.average(X, axis=axis, keepdims=keepdims))
    avg, scl = bm.average(X, axis=axis, returned=True)
    a2, s2 = np.average(X, axis=axis, returned=True)
    assert close(avg, a2) and close(scl, s2)


def test_average_weights():
    assert close(bm.average(X, axis=1, weights=W), np.average(X, axis=1, weights=W))
    ww = R.uniform(0.1, 1., X.shape)
    for axis in (None, 0, 1):
        a, s = bm.average(X, axis=axis, weights=ww, returned=True)
        a2, s2 = np.average(X, axis=axis, weights=ww, returned=True)
        assert close(a, a2) and close(s, s2)
    assert bm.average([1, 2]).dtype == torch.float32
    with pytest.raises(TypeError, match='axis'):
        bm.average(X, weights=W)
    with pytest.raises(ValueError, match='weights'):
        bm.average(X, axis=0, weights=W)


@pytest.mark.parametrize('name', ['nanmedian', 'nanstd', 'nanvar'])
@pytest.mark.parametrize('axis', [None, 0, 1, (0, 1)])
def test_nan_statistics(name, axis):
    for keepdims in (False, True):
        with np.errstate(all='ignore'):
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter('ignore', RuntimeWarning)
                theirs = getattr(np, name)(XN, axis=axis, keepdims=keepdims)
        assert close(getattr(bm, name)(XN, axis=axis, keepdims=keepdims), theirs), (name, axis)


def test_nanstd_ddof_and_empty_slices():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)
        for ddof in (0, 1, 2):
            assert close(bm.nanvar(XN, axis=1, ddof=ddof), np.nanvar(XN, axis=1, ddof=ddof))
            assert close(bm.nanstd(XN, axis=0, ddof=ddof), np.nanstd(XN, axis=0, ddof=ddof))
        allnan = np.array([[np.nan, np.nan], [1., 2.]])
        assert close(bm.nanmedian(allnan, axis=1), np.nanmedian(allnan, axis=1))
        assert close(bm.nanvar(allnan, axis=1), np.nanvar(allnan, axis=1))


@pytest.mark.parametrize('method', ['linear', 'lower', 'higher', 'midpoint', 'nearest'])
def test_nanquantile_nanpercentile(method):
    q = [0.1, 0.5, 0.9]
    for axis in (None, 1):
        assert close(bm.nanquantile(XN, q, axis=axis, method=method),
                     np.nanquantile(XN, q, axis=axis, method=method))
        assert close(bm.nanpercentile(XN, 30, axis=axis, method=method, keepdims=True),
                     np.nanpercentile(XN, 30, axis=axis, method=method, keepdims=True))
    assert close(bm.nanquantile(XN, 0.3, axis=0, interpolation=method),   # BrainPy 2.1's keyword
                 np.nanquantile(XN, 0.3, axis=0, method=method))


@pytest.mark.parametrize('rowvar', [True, False])
@pytest.mark.parametrize('bias', [True, False])
def test_cov(rowvar, bias):
    assert close(bm.cov(X, rowvar=rowvar, bias=bias), np.cov(X, rowvar=rowvar, bias=bias))
    y = R.randn(2, 5) if rowvar else R.randn(4, 2)
    assert close(bm.cov(X, y, rowvar=rowvar, bias=bias), np.cov(X, y, rowvar=rowvar, bias=bias))


def test_cov_weights_and_ddof():
    fw = np.array([1, 2, 1, 3, 1])
    aw = R.uniform(0.5, 1.5, 5)
    assert close(bm.cov(X, fweights=fw), np.cov(X, fweights=fw))
    assert close(bm.cov(X, aweights=aw), np.cov(X, aweights=aw))
    assert close(bm.cov(X, fweights=fw, aweights=aw, ddof=0), np.cov(X, fweights=fw, aweights=aw, ddof=0))
    assert close(bm.cov(X[0]), np.cov(X[0])) and bm.cov(X[0]).ndim == 0
    with pytest.raises(TypeError, match='fweights'):
        bm.cov(X, fweights=fw + 0.5)
    with pytest.raises(ValueError, match='2 dimensions'):
        bm.cov(np.ones((2, 2, 2)))


def test_corrcoef():
    assert close(bm.corrcoef(X), np.corrcoef(X))
    assert close(bm.corrcoef(X, rowvar=False), np.corrcoef(X, rowvar=False))
    assert close(bm.corrcoef(X[0], X[1]), np.corrcoef(X[0], X[1]))
    c = X[:2] + 1j * X[2:]
    assert close(bm.corrcoef(c), np.corrcoef(c))


@pytest.mark.parametrize('bins, rng', [(10, None), (3, (-1., 1.)), ([-2., -0.5, 0., 3.], None),
                                       ('auto', None), ('fd', (-2., 2.))])
def test_histogram(bins, rng):
    data = R.randn(200)
    hist, edges = bm.histogram(data, bins=bins, range=rng)
    h2, e2 = np.histogram(data, bins=bins, range=rng)
    assert close(edges, e2) and close(hist, h2) and hist.dtype == torch.int64
    dens, _ = bm.histogram(data, bins=bins, range=rng, density=True)
    assert close(dens, np.histogram(data, bins=bins, range=rng, density=True)[0])
    w = R.uniform(0., 2., 200)
    if isinstance(bins, str):   # NumPy cannot estimate bins for weighted data, nor can we
        with pytest.raises(TypeError, match='weighted'):
            bm.histogram(data, bins=bins, range=rng, weights=w)
    else:
        hw, _ = bm.histogram(data, bins=bins, range=rng, weights=w)
        assert close(hw, np.histogram(data, bins=bins, range=rng, weights=w)[0])
    assert close(bm.histogram_bin_edges(data, bins, rng), np.histogram_bin_edges(data, bins, rng))


def test_histogram_edge_cases():
    assert close(bm.histogram([2., 2., 2.], bins=4)[1], np.histogram([2., 2., 2.], bins=4)[1])
    assert close(bm.histogram([2., 2., 2.], bins=4)[0], np.histogram([2., 2., 2.], bins=4)[0])
    h, e = bm.histogram([0, 1, 2, 3], bins=3)
    assert close(h, np.histogram([0, 1, 2, 3], bins=3)[0])    # last bin closed
    with pytest.raises(ValueError, match='monotonically'):
        bm.histogram([1., 2.], bins=[2., 1.])
    with pytest.raises(ValueError, match='range'):
        bm.histogram([1., 2.], bins=2, range=(3, 1))


def test_histogram2d_and_dd():
    x, y = R.randn(100), R.randn(100)
    for bins in (5, [3, 4], [np.linspace(-3, 3, 4), np.linspace(-2, 2, 6)]):
        H, xe, ye = bm.histogram2d(x, y, bins=bins)
        H2, xe2, ye2 = np.histogram2d(x, y, bins=bins)
        assert close(H, H2) and close(xe, xe2) and close(ye, ye2)
    H, _, _ = bm.histogram2d(x, y, bins=4, range=[(-1, 1), (-2, 2)], density=True)
    assert close(H, np.histogram2d(x, y, bins=4, range=[(-1, 1), (-2, 2)], density=True)[0])
    pts = R.randn(50, 3)
    H, edges = bm.histogramdd(pts, bins=(2, 3, 4))
    H2, edges2 = np.histogramdd(pts, bins=(2, 3, 4))
    assert close(H, H2) and all(close(a, b) for a, b in zip(edges, edges2))
    w = R.uniform(size=50)
    assert close(bm.histogramdd(pts, bins=3, weights=w)[0], np.histogramdd(pts, bins=3, weights=w)[0])


def test_bincount_and_digitize():
    x = R.randint(0, 6, 40)
    assert close(bm.bincount(x), np.bincount(x))
    w = R.uniform(size=40)
    assert close(bm.bincount(x, weights=w, minlength=9), np.bincount(x, weights=w, minlength=9))
    assert close(bm.bincount(x, length=4), np.bincount(x[x < 4], minlength=4))
    with pytest.raises(TypeError, match='non-negative integers'):
        bm.bincount([1.5])
    v = R.uniform(-1, 11, 30)
    for bins in (np.array([0., 1., 2.5, 4., 10.]), np.array([10., 4., 2.5, 1., 0.])):
        for right in (False, True):
            assert close(bm.digitize(v, bins, right=right), np.digitize(v, bins, right=right))
    edges = np.array([1., 2., 3.])
    for right in (False, True):
        assert close(bm.digitize(edges, edges, right=right), np.digitize(edges, edges, right=right))


def test_histogram_works_under_vmap_of_weights():
    data = torch.tensor(R.randn(30))
    ws = torch.tensor(R.uniform(size=(3, 30)))
    out = bm.vmap(lambda w: bm.histogram(data, bins=4, range=(-2., 2.), weights=w)[0])(ws)
    for i in range(3):
        assert close(out[i], np.histogram(data.numpy(), 4, (-2., 2.), weights=ws[i].numpy())[0])


def test_on_device(device):
    x = torch.tensor(R.randn(50), device=device)
    h, e = bm.histogram(x, bins=5, weights=torch.ones(50, device=device))
    assert h.device.type == e.device.type == device.type
    assert close(h.cpu(), np.histogram(x.cpu().numpy(), 5)[0])
    for r in (bm.cov(torch.tensor(X, device=device)), bm.nanmedian(torch.tensor(XN, device=device), axis=1),
              bm.digitize(x, [0., 1.]), bm.bincount(torch.tensor([0, 2], device=device)),
              bm.average(x, weights=torch.ones(50, device=device))):
        assert r.device.type == device.type
