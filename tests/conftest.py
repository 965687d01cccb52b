"""Shared fixtures: the devices to test on, and a clean numeric setup per test."""

import pytest
import torch

import bptorch.math as bm

DEVICES = ['cpu', pytest.param('cuda', marks=pytest.mark.skipif(
    not torch.cuda.is_available(), reason='needs a CUDA GPU'))]


@pytest.fixture(params=DEVICES)
def device(request):
    """Run the test once per device: CPU always, CUDA where a GPU is present."""
    return torch.device(request.param)


@pytest.fixture(autouse=True)
def _default_settings():
    """Every test starts (and leaves) float32 on the CPU, with the default dtypes and dt."""
    bm.disable_x64()
    bm.set_platform('cpu')
    yield
    bm.disable_x64()
    bm.set_platform('cpu')
    bm.set_dint(None)
    bm.set_dcomplex(None)
    bm.set_dt(0.1)
