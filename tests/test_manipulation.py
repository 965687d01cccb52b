"""bm's array-manipulation functions (append, insert, delete, pad, block, ...) against NumPy."""

import numpy as np
import pytest
import torch

import bptorch.math as bm

R = np.random.RandomState(2)
A = np.arange(12).reshape(3, 4)


def same(x, y):
    if isinstance(x, (tuple, list)):
        return len(x) == len(y) and all(same(a, b) for a, b in zip(x, y))
    x = x.numpy() if isinstance(x, torch.Tensor) else np.asarray(x)
    return x.shape == np.shape(y) and np.allclose(x, y)


def test_append():
    assert same(bm.append(A, [1, 2]), np.append(A, [1, 2]))
    assert same(bm.append(A, A[:1], axis=0), np.append(A, A[:1], axis=0))


@pytest.mark.parametrize('obj, values, axis', [
    (1, 99, None), (-1, [7, 8], None), ([0, 5, 5], [1, 2, 3], None), (slice(1, 3), [9, 9], None),
    (1, [5, 6, 7, 8], 0), (2, [5, 6, 7], 1), (2, [[5], [6], [7]], 1), ([1], [[5, 6, 7]], 1),
    ([0, 2], 0, 1), ([3, 0], [[1, 2], [3, 4], [5, 6]], 1), (4, 0, 1),
])
def test_insert(obj, values, axis):
    assert same(bm.insert(A, obj, values, axis=axis), np.insert(A, obj, values, axis=axis))


def test_insert_errors():
    with pytest.raises(IndexError, match='out of bounds'):
        bm.insert(A, 9, 0, axis=1)


@pytest.mark.parametrize('obj, axis', [(1, None), ([0, 3, 11], None), (slice(0, 4, 2), 1), (-1, 0),
                                       ([True, False, True], 0)])
def test_delete(obj, axis):
    assert same(bm.delete(A, obj, axis=axis), np.delete(A, obj, axis=axis))


def test_resize_rot90_rollaxis_flips():
    for shape in ((2, 7), (5,), (0,), (2, 2, 2)):
        assert same(bm.resize(A, shape), np.resize(A, shape))
    assert same(bm.resize([], (2, 2)), np.zeros((2, 2)))
    for k in (1, 2, -1, 3):
        assert same(bm.rot90(A, k), np.rot90(A, k))
    b = np.ones((2, 3, 4, 5))
    for axis, start in [(3, 1), (2, 0), (1, 4), (0, -1), (-1, 0)]:
        assert bm.rollaxis(b, axis, start).shape == np.rollaxis(b, axis, start).shape
    assert same(bm.fliplr(A), np.fliplr(A)) and same(bm.flipud(A), np.flipud(A))
    with pytest.raises(ValueError, match='2-d'):
        bm.fliplr([1, 2])


def test_splits_and_row_stack():
    b = np.arange(24).reshape(2, 4, 3)
    assert same(bm.hsplit(b, 2), np.hsplit(b, 2)) and same(bm.hsplit(np.arange(6), 3), np.hsplit(np.arange(6), 3))
    assert same(bm.vsplit(b, [1]), np.vsplit(b, [1]))
    assert same(bm.dsplit(b, 3), np.dsplit(b, 3))
    with pytest.raises(ValueError, match='equal division'):
        bm.hsplit(b, 3)
    with pytest.raises(ValueError, match='3 or more'):
        bm.dsplit(A, 2)
    assert same(bm.row_stack([[1, 2], [3, 4]]), np.vstack([[1, 2], [3, 4]]))


def test_block():
    a, b, c, d = np.eye(2), np.zeros((2, 3)), np.ones((1, 2)), np.full((1, 3), 2.)
    assert same(bm.block([[a, b], [c, d]]), np.block([[a, b], [c, d]]))
    assert same(bm.block([1, 2, 3]), np.block([1, 2, 3]))
    assert same(bm.block([[1, 2], [3, 4]]), np.block([[1, 2], [3, 4]]))
    assert same(bm.block([[[1]], [[2]]]), np.block([[[1]], [[2]]]))
    with pytest.raises(ValueError, match='depths'):
        bm.block([[1, 2], 3])
    with pytest.raises(TypeError, match='tuple'):
        bm.block((1, 2))


@pytest.mark.parametrize('mode', ['constant', 'edge', 'reflect', 'symmetric', 'wrap', 'maximum',
                                  'minimum', 'mean', 'median', 'linear_ramp'])
@pytest.mark.parametrize('width', [1, (2, 3), ((0, 1), (5, 2))])
def test_pad(mode, width):
    x = R.randn(3, 4)
    assert same(bm.pad(x, width, mode=mode), np.pad(x, width, mode=mode))
    xi = R.randint(0, 50, (3, 4))
    assert same(bm.pad(xi, width, mode=mode), np.pad(xi, width, mode=mode))


def test_pad_keywords():
    x = R.randn(2, 3)
    assert same(bm.pad(x, 2, constant_values=(1., 7.)), np.pad(x, 2, constant_values=(1., 7.)))
    assert same(bm.pad(x, 2, constant_values=((1, 2), (3, 4))), np.pad(x, 2, constant_values=((1, 2), (3, 4))))
    assert same(bm.pad(x, 3, 'linear_ramp', end_values=(-1., 5.)), np.pad(x, 3, 'linear_ramp', end_values=(-1., 5.)))
    assert same(bm.pad(x, 2, 'mean', stat_length=2), np.pad(x, 2, 'mean', stat_length=2))
    assert same(bm.pad(x, (1, 2), 'maximum', stat_length=((1, 2), (2, 1))),
                np.pad(x, (1, 2), 'maximum', stat_length=((1, 2), (2, 1))))
    assert same(bm.pad([1, 2], 5, 'reflect'), np.pad([1, 2], 5, 'reflect'))
    assert bm.pad(x, 1, 'empty').shape == (4, 5)
    with pytest.raises(ValueError, match='mode'):
        bm.pad(x, 1, 'nonsense')
    with pytest.raises(ValueError, match='unsupported keyword'):
        bm.pad(x, 1, 'edge', constant_values=1)
    with pytest.raises(NotImplementedError, match='odd'):
        bm.pad(x, 1, 'reflect', reflect_type='odd')
    with pytest.raises(ValueError, match='negative'):
        bm.pad(x, -1)


def test_pad_gradient():
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    (g,) = torch.autograd.grad(bm.pad(x, 2, mode='reflect').sum(), x)
    assert torch.equal(g, torch.tensor([2., 3., 2.]))   # 3, 2, [1, 2, 3], 2, 1


def test_trim_zeros():
    f = np.array([0, 0, 3, 0, 2, 0])
    for trim in ('fb', 'f', 'b', 'F'):
        assert same(bm.trim_zeros(f, trim), np.trim_zeros(f, trim))
    assert same(bm.trim_zeros([0, 0]), np.trim_zeros(np.array([0, 0])))


def test_apply_along_axis_and_over_axes():
    b = R.randn(3, 4, 5)
    for axis in (0, 1, 2, -1):
        assert same(bm.apply_along_axis(lambda v: v.sum(), axis, b), np.apply_along_axis(np.sum, axis, b))
        ours = bm.apply_along_axis(lambda v: torch.stack([v.min(), v.max()]), axis, b)
        theirs = np.apply_along_axis(lambda v: np.array([v.min(), v.max()]), axis, b)
        assert same(ours, theirs)
    ours = bm.apply_along_axis(lambda v, k: torch.outer(v, v) * k, 1, b, 2.)
    assert same(ours, np.apply_along_axis(lambda v, k: np.outer(v, v) * k, 1, b, 2.))
    x = np.arange(24).reshape(2, 3, 4)
    assert same(bm.apply_over_axes(bm.sum, x, [0, 2]), np.apply_over_axes(np.sum, x, [0, 2]))
    assert same(bm.apply_over_axes(lambda a, ax: bm.sum(a, ax, keepdims=True), x, 1),
                np.apply_over_axes(np.sum, x, 1))


def test_piecewise():
    x = np.linspace(-2.5, 2.5, 11)
    conds = [x < 0, x >= 0]
    funcs = [lambda v: -v, lambda v: v ** 2]
    assert same(bm.piecewise(x, conds, funcs), np.piecewise(x, conds, funcs))
    assert same(bm.piecewise(x, [x < -1, x > 1], [-1, 1, 0.5]), np.piecewise(x, [x < -1, x > 1], [-1, 1, 0.5]))
    assert same(bm.piecewise(x, x > 0, [lambda v: v * 3]), np.piecewise(x, x > 0, [lambda v: v * 3]))
    assert same(bm.piecewise(x, [x > 0], [lambda v, k: v * k], 2.), np.piecewise(x, [x > 0], [lambda v, k: v * k], 2.))
    xi = np.arange(-3, 4)
    assert same(bm.piecewise(xi, [xi < 0], [0.5]), np.piecewise(xi.astype(float), [xi < 0], [0.5]))
    with pytest.raises(ValueError, match='functions'):
        bm.piecewise(x, [x < 0], [1, 2, 3])


def test_on_device(device):
    a = torch.tensor(A, device=device)
    for r in (bm.pad(a, 2, 'reflect'), bm.pad(a, 1, 'mean'), bm.insert(a, [0, 2], 7, axis=1),
              bm.delete(a, [1], axis=0), bm.append(a, [1, 2]), bm.block([[a, a]]), bm.resize(a, (5, 5)),
              bm.apply_along_axis(lambda v: v.max(), 0, a), bm.piecewise(a, [a > 3], [lambda v: v * 2])):
        assert r.device.type == device.type
    assert same(bm.insert(a, [0, 2], 7, axis=1).cpu(), np.insert(A, [0, 2], 7, axis=1))
