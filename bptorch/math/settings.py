"""Global numeric settings: default dtypes and the default device.

bptorch follows JAX's switches. The default float is ``torch.get_default_dtype()``
(float32 unless changed); :func:`enable_x64` makes it float64 for bptorch and torch
alike, as ``jax.config.update('jax_enable_x64', True)`` does for JAX. Integers are
always created as int64, torch's index type (JAX would use int32 without x64).

:func:`set_platform` chooses the device on which ``bm`` creation functions, random
draws and Variables built from non-tensor data are placed. It does not call
``torch.set_default_device`` (which slows down every torch call).

BrainPy's dtype switches are here too: :func:`set_dfloat` (the default float, the
same switch as :func:`enable_x64`), :func:`set_dint` (the integer dtype of Python ints,
``dtype=int`` and integer random draws; int64 unless changed) and :func:`set_dcomplex`
(the default complex; by default complex64, complex128 under x64). ``bm.float_``,
``bm.int_`` and ``bm.complex_`` read these settings each time they are looked up.
:func:`set_dt` / :func:`get_dt` hold BrainPy's default integration step (0.1).

Examples
--------
>>> import bptorch.math as bm
>>> bm.enable_x64(); bm.zeros(2).dtype
torch.float64
>>> bm.disable_x64(); bm.zeros(2).dtype
torch.float32
"""

from __future__ import annotations

import numpy as np
import torch

__all__ = [
    'enable_x64', 'disable_x64', 'x64_enabled', 'set_platform', 'get_platform',
    'default_device', 'float_', 'complex_', 'int_', 'set_default_device',
    'set_dfloat', 'set_dint', 'set_dcomplex', 'get_dfloat', 'get_dint', 'get_dcomplex',
    'set_dt', 'get_dt',
]

_default_device = torch.device('cpu')
_int = torch.int64              # set_dint
_complex: torch.dtype | None = None  # set_dcomplex; None: follow the default float
_dt = 0.1                       # set_dt


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
    """The default complex dtype (complex64, or complex128 under :func:`enable_x64`,
    unless :func:`set_dcomplex` chose one)."""
    if _complex is not None:
        return _complex
    return torch.complex128 if x64_enabled() else torch.complex64


def int_() -> torch.dtype:
    """The default integer dtype: int64 (torch's index type) unless :func:`set_dint` chose one."""
    return _int


_FLOATS = (torch.float16, torch.bfloat16, torch.float32, torch.float64)
_INTS = (torch.int8, torch.int16, torch.int32, torch.int64,
         torch.uint8, torch.uint16, torch.uint32, torch.uint64)
_COMPLEXES = (torch.complex64, torch.complex128)


def _as_dtype(name: str, x, allowed: tuple) -> torch.dtype:
    """``x`` (a torch dtype, a NumPy type or dtype, or a dtype name) as one of ``allowed``."""
    if isinstance(x, torch.dtype):
        dt = x
    else:
        try:
            dt = getattr(torch, np.dtype(x).name)
        except (TypeError, AttributeError):
            dt = None
    if dt not in allowed:
        raise TypeError(f'{name}: expected one of {", ".join(str(a) for a in allowed)} '
                        f'(a torch dtype, NumPy type or dtype name), got {x!r}')
    return dt


def set_dfloat(float_type) -> None:
    """Make ``float_type`` the default float (BrainPy's ``set_dfloat``).

    The default float is torch's default dtype, so ``set_dfloat(bm.float64)`` is
    :func:`enable_x64` and ``set_dfloat(bm.float32)`` is :func:`disable_x64`;
    float16 and bfloat16 are accepted too (torch's default dtype becomes that type).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.set_dfloat(bm.float64); bm.zeros(1).dtype, bm.float_
    (torch.float64, torch.float64)
    >>> bm.set_dfloat('float32'); bm.get_dfloat()
    torch.float32
    """
    torch.set_default_dtype(_as_dtype('set_dfloat(float_type)', float_type, _FLOATS))


def set_dint(int_type) -> None:
    """Make ``int_type`` the default integer dtype (BrainPy's ``set_dint``; None: int64 again).

    It is the dtype of Python ints turned into arrays, of ``dtype=int``, ``bm.int_``
    and of integer random draws. Indices that torch makes (``argmax``, ``nonzero``...)
    stay int64.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.set_dint(bm.int32); bm.asarray(3).dtype, bm.int_
    (torch.int32, torch.int32)
    >>> bm.set_dint(None); bm.get_dint()
    torch.int64
    """
    global _int
    _int = torch.int64 if int_type is None else _as_dtype('set_dint(int_type)', int_type, _INTS)


def set_dcomplex(complex_type) -> None:
    """Make ``complex_type`` the default complex dtype (BrainPy's ``set_dcomplex``).

    None goes back to following the default float (complex64, complex128 under x64).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.set_dcomplex(bm.complex128); bm.asarray(1j).dtype
    torch.complex128
    >>> bm.set_dcomplex(None); bm.get_dcomplex()
    torch.complex64
    """
    global _complex
    _complex = None if complex_type is None else _as_dtype(
        'set_dcomplex(complex_type)', complex_type, _COMPLEXES)


def get_dfloat() -> torch.dtype:
    """The default float dtype (BrainPy's ``get_dfloat``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.get_dfloat()
    torch.float32
    """
    return float_()


def get_dint() -> torch.dtype:
    """The default integer dtype (BrainPy's ``get_dint``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.get_dint()
    torch.int64
    """
    return int_()


def get_dcomplex() -> torch.dtype:
    """The default complex dtype (BrainPy's ``get_dcomplex``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.get_dcomplex()
    torch.complex64
    """
    return complex_()


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
