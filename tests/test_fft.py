"""bm.fft against numpy.fft: values, argument names, dtypes, gradients."""

import inspect

import numpy as np
import pytest
import torch

import bptorch.math as bm

RNG = np.random.RandomState(1)
X = RNG.randn(4, 6)
Z = RNG.randn(4, 6) + 1j * RNG.randn(4, 6)

NAMES = ['fft', 'fft2', 'fftfreq', 'fftn', 'fftshift', 'hfft', 'ifft', 'ifft2', 'ifftn',
         'ifftshift', 'ihfft', 'irfft', 'irfft2', 'irfftn', 'rfft', 'rfft2', 'rfftfreq', 'rfftn']


def close(x, y):
    return np.allclose(x.numpy(), y, atol=1e-9, rtol=1e-9)


@pytest.fixture(autouse=True)
def x64():
    bm.enable_x64()
    yield


def test_names_are_brainpy_2_1_12s():
    assert sorted(bm.fft.__all__) == sorted(NAMES)


@pytest.mark.parametrize('name', NAMES)
def test_argument_names_are_numpys(name):
    ours = list(inspect.signature(getattr(bm.fft, name)).parameters)
    theirs = [p for p in inspect.signature(getattr(np.fft, name)).parameters
              if p not in ('out', 'device')]
    assert ours == theirs


@pytest.mark.parametrize('name', ['fft', 'ifft', 'rfft', 'ihfft'])
@pytest.mark.parametrize('norm', [None, 'backward', 'ortho', 'forward'])
def test_one_axis(name, norm):
    for n, axis in [(None, -1), (8, -1), (3, 0)]:
        ours = getattr(bm.fft, name)(X, n=n, axis=axis, norm=norm)
        assert close(ours, getattr(np.fft, name)(X, n=n, axis=axis, norm=norm))


@pytest.mark.parametrize('name', ['irfft', 'hfft'])
def test_one_axis_inverse_real(name):
    for n in (None, 6, 7):
        assert close(getattr(bm.fft, name)(Z, n=n), getattr(np.fft, name)(Z, n=n))


@pytest.mark.parametrize('name', ['fft2', 'ifft2', 'fftn', 'ifftn'])
def test_complex_many_axes(name):
    f, g = getattr(bm.fft, name), getattr(np.fft, name)
    assert close(f(Z), g(Z))
    assert close(f(Z, s=(4, 8), axes=(0, 1)), g(Z, s=(4, 8), axes=(0, 1)))
    assert close(f(Z, axes=(1, 0), norm='ortho'), g(Z, axes=(1, 0), norm='ortho'))


@pytest.mark.parametrize('name', ['rfft2', 'rfftn'])
def test_real_many_axes(name):
    f, g = getattr(bm.fft, name), getattr(np.fft, name)
    assert close(f(X), g(X)) and close(f(X, s=(2, 4), axes=(0, 1)), g(X, s=(2, 4), axes=(0, 1)))


@pytest.mark.parametrize('name', ['irfft2', 'irfftn'])
def test_inverse_real_many_axes(name):
    f, g = getattr(bm.fft, name), getattr(np.fft, name)
    assert close(f(Z), g(Z)) and close(f(Z, s=(4, 10), axes=(0, 1)), g(Z, s=(4, 10), axes=(0, 1)))


def test_frequencies_and_shifts():
    for n, d in [(8, 1.0), (7, 0.1)]:
        assert close(bm.fft.fftfreq(n, d), np.fft.fftfreq(n, d))
        assert close(bm.fft.rfftfreq(n, d), np.fft.rfftfreq(n, d))
    assert close(bm.fft.fftshift(X), np.fft.fftshift(X))
    assert close(bm.fft.fftshift(X, axes=1), np.fft.fftshift(X, axes=1))
    assert close(bm.fft.ifftshift(X, axes=(0,)), np.fft.ifftshift(X, axes=(0,)))


def test_dtypes():
    bm.disable_x64()
    assert bm.fft.fft([1, 2, 3]).dtype == torch.complex64   # integers: the default float
    assert bm.fft.rfft(np.ones(4)).dtype == torch.complex64
    assert bm.fft.fftfreq(4).dtype == torch.float32
    bm.enable_x64()
    assert bm.fft.fft([1, 2, 3]).dtype == torch.complex128


def test_bad_norm():
    with pytest.raises(ValueError, match='norm'):
        bm.fft.fft(X, norm='unitary')


def test_variables_and_gradient():
    v = bm.Variable(bm.asarray(X))
    assert close(bm.fft.rfft(v), np.fft.rfft(X))
    x = torch.tensor(X[0], requires_grad=True)
    power = (bm.fft.rfft(x).abs() ** 2).sum()
    (g,) = torch.autograd.grad(power, x)
    # d/dx sum_k |X_k|^2 over the half spectrum, checked by finite differences
    eps = 1e-6
    num = []
    for i in range(6):
        e = np.zeros(6)
        e[i] = eps
        num.append((np.sum(np.abs(np.fft.rfft(X[0] + e)) ** 2) -
                    np.sum(np.abs(np.fft.rfft(X[0] - e)) ** 2)) / (2 * eps))
    assert np.allclose(g.numpy(), num, atol=1e-5)


def test_on_device(device):
    x = torch.tensor(X, device=device)
    for r in (bm.fft.fft(x), bm.fft.rfft2(x), bm.fft.irfftn(bm.fft.rfftn(x), s=x.shape),
              bm.fft.fftshift(x)):
        assert r.device.type == device.type
    assert close(bm.fft.fft2(x).cpu(), np.fft.fft2(X))
    bm.set_platform('gpu' if device.type == 'cuda' else 'cpu')
    assert bm.fft.fftfreq(4).device.type == device.type
