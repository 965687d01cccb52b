"""bm's window functions against NumPy."""

import numpy as np
import pytest
import torch

import bptorch.math as bm


@pytest.mark.parametrize('name', ['bartlett', 'blackman', 'hamming', 'hanning'])
@pytest.mark.parametrize('M', [-1, 0, 1, 2, 5, 12])
def test_windows(name, M):
    ours = getattr(bm, name)(M)
    theirs = getattr(np, name)(M)
    assert ours.dtype == torch.float32 and ours.shape == theirs.shape
    assert np.allclose(ours.numpy(), theirs, atol=1e-6)


@pytest.mark.parametrize('M, beta', [(0, 1.), (1, 5.), (6, 0.), (9, 8.6), (12, 14.)])
def test_kaiser(M, beta):
    assert np.allclose(bm.kaiser(M, beta).numpy(), np.kaiser(M, beta), atol=1e-6)


def test_windows_follow_x64():
    bm.enable_x64()
    assert bm.hamming(4).dtype == torch.float64
    assert np.allclose(bm.blackman(7).numpy(), np.blackman(7), atol=1e-15)
