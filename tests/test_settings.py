"""Settings: x64 switch, platform and default device, as seen through bm."""

import pytest
import torch

import bptorch.math as bm
from bptorch.math import settings


def test_x64_switch():
    assert not bm.x64_enabled()
    assert settings.float_() == torch.float32 and settings.complex_() == torch.complex64
    bm.enable_x64()
    assert bm.x64_enabled() and torch.get_default_dtype() == torch.float64
    assert settings.float_() == torch.float64 and settings.complex_() == torch.complex128
    assert bm.zeros(2).dtype == torch.float64
    assert bm.asarray(1j).dtype == torch.complex128
    assert bm.random.rand(2).dtype == torch.float64
    bm.enable_x64(False)
    assert not bm.x64_enabled() and bm.ones(1).dtype == torch.float32
    bm.enable_x64()
    bm.disable_x64()
    assert bm.zeros(1).dtype == torch.float32 and bm.asarray(1j).dtype == torch.complex64


def test_int_default_is_int64_either_way():
    assert settings.int_() == torch.int64 and bm.asarray(3).dtype == torch.int64
    bm.enable_x64()
    assert settings.int_() == torch.int64 and bm.arange(3).dtype == torch.int64


def test_platform_cpu():
    bm.set_platform('cpu')
    assert bm.get_platform() == 'cpu'
    assert bm.default_device() == torch.device('cpu')
    assert bm.zeros(1).device.type == 'cpu'
    assert bm.random.rand(1).device.type == 'cpu'
    bm.set_platform('CPU')
    assert bm.get_platform() == 'cpu'


@pytest.mark.skipif(torch.cuda.is_available(), reason='checks the no-CUDA error')
@pytest.mark.parametrize('name', ['gpu', 'cuda', 'GPU'])
def test_platform_gpu_without_cuda_is_a_clear_runtime_error(name):
    with pytest.raises(RuntimeError, match='CUDA is not available'):
        bm.set_platform(name)
    assert bm.get_platform() == 'cpu' and bm.default_device() == torch.device('cpu')


@pytest.mark.skipif(not torch.cuda.is_available(), reason='needs CUDA')
def test_platform_gpu_with_cuda():
    bm.set_platform('gpu')
    assert bm.get_platform() == 'gpu'
    assert bm.zeros(2).device.type == 'cuda' and bm.random.rand(2).device.type == 'cuda'
    assert bm.add(bm.ones(2), 1.).device.type == 'cuda'


def test_platform_bad_names():
    with pytest.raises(ValueError, match='TPU'):
        bm.set_platform('tpu')
    with pytest.raises(ValueError, match="'cpu' or 'gpu'"):
        bm.set_platform('metal')
    with pytest.raises(TypeError, match='set_platform'):
        bm.set_platform(0)
    assert bm.get_platform() == 'cpu'


def test_default_device_follows_set_default_device():
    settings.set_default_device('meta')
    assert bm.zeros(3).device.type == 'meta'
    assert bm.arange(3).device.type == 'meta'
    assert bm.asarray([1., 2.]).device.type == 'meta'
    settings.set_default_device('cpu')
    assert bm.zeros(3).device.type == 'cpu'
