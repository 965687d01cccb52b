"""Global numeric settings: default dtypes and the default device.

bptorch follows JAX's switches. The default float is ``torch.get_default_dtype()``
(float32 unless changed); :func:`enable_x64` makes it float64 for bptorch and torch
alike, as ``jax.config.update('jax_enable_x64', True)`` does for JAX. Integers are
always created as int64, torch's index type (JAX would use int32 without x64).

:func:`set_platform` chooses the device on which ``bm`` creation functions, random
draws and Variables built from non-tensor data are placed. It does not call
``torch.set_default_device`` (which slows down every torch call).

Examples
--------
>>> import bptorch.math as bm
>>> bm.enable_x64(); bm.zeros(2).dtype
torch.float64
>>> bm.disable_x64(); bm.zeros(2).dtype
torch.float32
"""

from __future__ import annotations

import torch

__all__ = [
    'enable_x64', 'disable_x64', 'x64_enabled', 'set_platform', 'get_platform',
    'default_device', 'float_', 'complex_', 'int_', 'set_default_device', 'get_dt', 'set_dt',
]

_default_device = torch.device('cpu')
_dt = 0.1   # BrainPy's default numerical step, in ms


def enable_x64(mode: bool = True) -> None:
    """Make float64 (and complex128) the default floating types.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.enable_x64(); bm.array(0.5).dtype
    torch.float64
    >>> bm.disable_x64()
    """
    torch.set_default_dtype(torch.float64 if mode else torch.float32)


def disable_x64() -> None:
    """Make float32 (and complex64) the default floating types again.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.disable_x64(); bm.ones(1).dtype
    torch.float32
    """
    enable_x64(False)


def x64_enabled() -> bool:
    """Whether the default float is float64.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.x64_enabled()
    False
    """
    return torch.get_default_dtype() == torch.float64


def float_() -> torch.dtype:
    """The default float dtype (float32, or float64 under :func:`enable_x64`)."""
    return torch.get_default_dtype()


def complex_() -> torch.dtype:
    """The default complex dtype (complex64, or complex128 under :func:`enable_x64`)."""
    return torch.complex128 if x64_enabled() else torch.complex64


def int_() -> torch.dtype:
    """The default integer dtype: always int64 (torch's index type)."""
    return torch.int64


def set_platform(platform: str) -> None:
    """Place new arrays and Variables on ``'cpu'`` or ``'gpu'`` (CUDA).

    Parameters
    ----------
    platform : {'cpu', 'gpu', 'cuda'}
        Where ``bm`` creation functions, random draws and Variables built from
        Python or NumPy data are placed from now on.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.set_platform('cpu'); bm.zeros(1).device
    device(type='cpu')
    """
    if not isinstance(platform, str):
        raise TypeError(f"set_platform(platform): expected 'cpu' or 'gpu', got {platform!r}")
    name = platform.lower()
    if name == 'cpu':
        set_default_device('cpu')
    elif name in ('gpu', 'cuda'):
        if not torch.cuda.is_available():
            raise RuntimeError(
                f"set_platform({platform!r}): CUDA is not available here "
                "(torch.cuda.is_available() is False); use set_platform('cpu')")
        set_default_device('cuda')
    else:
        raise ValueError(f"set_platform(platform): expected 'cpu' or 'gpu', got {platform!r} "
                         "(TPUs are not supported by torch)")


def get_platform() -> str:
    """The current platform, ``'cpu'`` or ``'gpu'``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.get_platform()
    'cpu'
    """
    return 'gpu' if _default_device.type == 'cuda' else _default_device.type


def set_default_device(device) -> None:
    """Set the device for new arrays (any ``torch.device`` spec, e.g. ``'cuda:1'``)."""
    global _default_device
    _default_device = torch.device(device)


def default_device() -> torch.device:
    """The device on which new arrays are created.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.default_device()
    device(type='cpu')
    """
    return _default_device


def set_dt(dt: float) -> None:
    """Set the default numerical step ``dt`` (ms) of integrators, runners and inputs.

    Parameters
    ----------
    dt : float
        A positive number. BrainPy 2.1 asks for a float; an int is accepted here
        and stored as a float.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.set_dt(0.05); bm.get_dt()
    0.05
    >>> bm.set_dt(0.1)
    """
    global _dt
    if isinstance(dt, bool) or not isinstance(dt, (int, float)):
        if isinstance(dt, torch.Tensor) and dt.numel() == 1 and not dt.is_complex():
            dt = dt.item()
        else:
            raise TypeError(f'set_dt(dt): expected a positive float, got {type(dt).__name__} {dt!r}')
    dt = float(dt)
    if not 0. < dt < float('inf'):
        raise ValueError(f'set_dt(dt): expected a positive float (finite), got {dt!r}')
    _dt = dt


def get_dt() -> float:
    """The default numerical step ``dt`` (ms); 0.1 unless changed by :func:`set_dt`.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.get_dt()
    0.1
    """
    return _dt
