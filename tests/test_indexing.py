"""bm's index-making, searching and element-placing functions against NumPy."""

import numpy as np
import pytest
import torch

import bptorch.math as bm

R = np.random.RandomState(5)
X = R.randint(-3, 4, (3, 4))


def same(x, y):
    if isinstance(x, (tuple, list)):
        return len(x) == len(y) and all(same(a, b) for a, b in zip(x, y))
    x = x.numpy() if isinstance(x, torch.Tensor) else np.asarray(x)
    return x.shape == np.shape(y) and np.allclose(x, y, equal_nan=True)


def test_nonzero_argwhere_flatnonzero_extract():
    assert same(bm.nonzero(X), np.nonzero(X))
    assert same(bm.argwhere(X), np.argwhere(X))
    assert same(bm.flatnonzero(X), np.flatnonzero(X))
    assert same(bm.extract(X > 0, X * 10), np.extract(X > 0, X * 10))
    with pytest.raises(ValueError, match='0-d'):
        bm.nonzero(1)


def test_searchsorted():
    a = np.sort(R.randn(10))
    v = R.randn(3, 4)
    for side in ('left', 'right'):
        assert same(bm.searchsorted(a, v, side=side), np.searchsorted(a, v, side=side))
    unsorted = R.randn(10)
    sorter = np.argsort(unsorted)
    assert same(bm.searchsorted(unsorted, v, sorter=sorter), np.searchsorted(unsorted, v, sorter=sorter))
    assert same(bm.searchsorted([1, 2, 3], 2.5), np.searchsorted([1, 2, 3], 2.5))
    with pytest.raises(ValueError, match='side'):
        bm.searchsorted(a, v, side='middle')


def test_compress_select_choose():
    assert same(bm.compress([0, 1, 1], X, axis=0), np.compress([0, 1, 1], X, axis=0))
    assert same(bm.compress([True, False], X, axis=1), np.compress([True, False], X, axis=1))
    assert same(bm.compress([1, 0, 1], X), np.compress([1, 0, 1], X))
    x = np.arange(10)
    conds, choices = [x < 3, x > 5], [x, x ** 2]
    assert same(bm.select(conds, choices), np.select(conds, choices))
    assert same(bm.select(conds, choices, default=-7.5), np.select(conds, choices, default=-7.5))
    with pytest.raises(TypeError, match='bool'):
        bm.select([x], [x])
    idx = np.array([[0, 2], [1, 3]])
    ch = [np.full((2, 2), 10 * k) + np.arange(2) for k in range(3)]
    for mode in ('wrap', 'clip'):
        assert same(bm.choose(idx, ch, mode=mode), np.choose(idx, ch, mode=mode))
    assert same(bm.choose(idx % 3, ch), np.choose(idx % 3, ch))
    with pytest.raises(ValueError, match='invalid entry'):
        bm.choose(idx, ch)


def test_triangles_and_diagonals():
    assert same(bm.tri(3, 4, k=-1), np.tri(3, 4, k=-1)) and bm.tri(2).dtype == torch.float32
    for k in (-1, 0, 2):
        assert same(bm.tril_indices(4, k), np.tril_indices(4, k))
        assert same(bm.triu_indices(3, k, 5), np.triu_indices(3, k, 5))
        assert same(bm.tril_indices_from(np.ones((3, 5)), k), np.tril_indices_from(np.ones((3, 5)), k))
        assert same(bm.triu_indices_from(np.ones((4, 2)), k), np.triu_indices_from(np.ones((4, 2)), k))
    assert same(bm.diag_indices(3, 3), np.diag_indices(3, 3))
    assert same(bm.diag_indices_from(np.ones((2, 2, 2))), np.diag_indices_from(np.ones((2, 2, 2))))
    with pytest.raises(ValueError, match='equal length'):
        bm.diag_indices_from(np.ones((2, 3)))
    assert same(bm.mask_indices(3, bm.triu, 1), np.mask_indices(3, np.triu, 1))
    assert same(bm.diagflat([[1, 2], [3, 4]], -1), np.diagflat([[1, 2], [3, 4]], -1))


def test_indices_ix_unravel_ravel():
    assert same(bm.indices((2, 3)), np.indices((2, 3)))
    assert same(bm.indices((2, 3), sparse=True), np.indices((2, 3), sparse=True))
    assert bm.indices((2,)).dtype == torch.int64
    a = np.arange(20).reshape(4, 5)
    assert same(torch.as_tensor(a)[bm.ix_([0, 3], [True, False, True, False, False])],
                a[np.ix_([0, 3], [True, False, True, False, False])])
    flat = [3, 17, 0, 19]
    for order in ('C', 'F'):
        assert same(bm.unravel_index(flat, (4, 5), order=order), np.unravel_index(flat, (4, 5), order=order))
        coords = np.unravel_index(flat, (4, 5), order=order)
        assert same(bm.ravel_multi_index(coords, (4, 5), order=order),
                    np.ravel_multi_index(coords, (4, 5), order=order))
    with pytest.raises(ValueError, match='out of bounds'):
        bm.unravel_index([20], (4, 5))
    bad = ([1, 5], [2, -1])
    for mode in ('wrap', 'clip', ('clip', 'wrap')):
        assert same(bm.ravel_multi_index(bad, (4, 5), mode=mode), np.ravel_multi_index(bad, (4, 5), mode=mode))
    with pytest.raises(ValueError, match='invalid entry'):
        bm.ravel_multi_index(bad, (4, 5))


@pytest.mark.parametrize('shape, wrap', [((3, 3), False), ((5, 3), False), ((5, 3), True),
                                         ((2, 4), False), ((3, 3, 3), False)])
def test_fill_diagonal(shape, wrap):
    for val in (7, [1, 2]):
        a = np.zeros(shape)
        np.fill_diagonal(a, val, wrap=wrap)
        v = bm.Variable(bm.zeros(shape))
        old = v.value
        assert bm.fill_diagonal(v, val, wrap=wrap) is None
        assert same(v.value, a)
        t = torch.zeros(shape)
        bm.fill_diagonal(t, val, wrap=wrap)
        assert same(t, a)
        n = np.zeros(shape)
        bm.fill_diagonal(n, val, wrap=wrap)
        assert same(n, a)
        assert same(bm.fill_diagonal(torch.zeros(shape), val, wrap=wrap, inplace=False), a)
    del old
    with pytest.raises(TypeError, match='Variable'):
        bm.fill_diagonal([[0, 0], [0, 0]], 1)


def test_remove_diag():
    a = np.arange(12).reshape(3, 4)
    expected = np.stack([np.delete(a[i], i) for i in range(3)])
    assert same(bm.remove_diag(a), expected)
    with pytest.raises(ValueError, match='rows'):
        bm.remove_diag(a.T)
    with pytest.raises(ValueError, match='2D'):
        bm.remove_diag(np.ones(3))


def test_put_place_putmask():
    for mode in ('raise', 'wrap', 'clip'):
        a = np.arange(6).reshape(2, 3)
        ind = [0, -1, 4] if mode == 'raise' else [0, 7, -8]
        np.put(a, ind, [-5, -6], mode=mode)
        v = bm.Variable(bm.arange(6).reshape(2, 3))
        assert bm.put(v, ind, [-5, -6], mode=mode) is None
        assert same(v.value, a)
    with pytest.raises(IndexError, match='out of range'):
        bm.put(bm.Variable(bm.arange(3)), [3], 0)
    a = np.arange(6)
    np.place(a, a % 2 == 1, [10, 20])
    v = bm.Variable(bm.arange(6))
    bm.place(v, v.value % 2 == 1, [10, 20])
    assert same(v.value, a)
    a = np.arange(6).reshape(2, 3)
    np.putmask(a, a > 1, [-1, -2, -3, -4])
    t = torch.arange(6).reshape(2, 3)
    bm.putmask(t, t > 1, [-1, -2, -3, -4])
    assert same(t, a)


def test_assignment_keeps_earlier_reads():
    v = bm.Variable(bm.zeros(3))
    before = v.value.clone()
    bm.put(v, [1], 5.)
    assert torch.equal(v.value, torch.tensor([0., 5., 0.])) and torch.equal(before, torch.zeros(3))


def test_lexsort_msort_sort_complex():
    a, b = R.randint(0, 3, 10), R.randint(0, 3, 10)
    assert same(bm.lexsort((a, b)), np.lexsort((a, b)))
    k = R.randint(0, 3, (2, 3, 4))
    assert same(bm.lexsort(k, axis=1), np.lexsort(k, axis=1))
    assert same(bm.msort(X), np.sort(X, axis=0))
    z = np.array([1 + 2j, 1 - 1j, 0 + 5j, -1 + 0j, 1 + 0j])
    assert same(bm.sort_complex(z), np.sort_complex(z))
    assert bm.sort_complex([3, 1, 2]).is_complex()


def test_on_device(device):
    t = torch.tensor(X, device=device)
    for r in (bm.nonzero(t)[0], bm.searchsorted(torch.arange(5., device=device), t.double()),
              bm.select([t > 0], [t]), bm.choose(t.abs() % 2, [t, -t]), bm.unravel_index(t.abs(), (9,))[0],
              bm.fill_diagonal(torch.zeros(3, 3, device=device), [1., 2.], inplace=False),
              bm.lexsort([t[0], t[1]]), bm.sort_complex(t[0])):
        assert r.device.type == device.type
    v = bm.Variable(torch.zeros(4, device=device))
    bm.put(v, [1, 2], [5., 6.])
    assert v.value.device.type == device.type and v.value.tolist() == [0., 5., 6., 0.]
