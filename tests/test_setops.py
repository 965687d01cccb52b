"""bm's set routines against NumPy."""

import numpy as np
import pytest
import torch

import bptorch.math as bm

R = np.random.RandomState(4)
A = R.randint(0, 8, (3, 5))
B = R.randint(4, 12, 7)


def same(x, y):
    if isinstance(x, tuple):
        return len(x) == len(y) and all(same(a, b) for a, b in zip(x, y))
    x = x.numpy() if isinstance(x, torch.Tensor) else np.asarray(x)
    return x.shape == np.shape(y) and np.array_equal(x, y)


@pytest.mark.parametrize('invert', [False, True])
def test_isin_in1d(invert):
    assert same(bm.isin(A, B, invert=invert), np.isin(A, B, invert=invert))
    assert same(bm.in1d(A, B, invert=invert), np.isin(A.ravel(), B, invert=invert))
    assert same(bm.isin([1.5, 2.], [2]), np.isin([1.5, 2.], [2]))


def test_set_routines():
    assert same(bm.union1d(A, B), np.union1d(A, B))
    assert same(bm.intersect1d(A, B), np.intersect1d(A, B))
    assert same(bm.intersect1d(A, B, return_indices=True), np.intersect1d(A, B, return_indices=True))
    assert same(bm.setdiff1d(A, B), np.setdiff1d(A, B))
    u = np.array([5, 1, 3])
    assert same(bm.setdiff1d(u, [3], assume_unique=True), np.setdiff1d(u, [3], assume_unique=True))
    assert same(bm.setxor1d(A, B), np.setxor1d(A, B))
    assert same(bm.intersect1d([1, 2], [3]), np.intersect1d([1, 2], [3]))
    assert same(bm.intersect1d([1, 2], [3], return_indices=True), np.intersect1d([1, 2], [3], return_indices=True))
    assert bm.union1d([1], [2.5]).dtype == torch.float32
