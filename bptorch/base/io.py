"""Reading and writing model states: ``.pt`` (torch) and ``.npz`` (NumPy) files.

A state is a dict from relative paths (``state_dict`` keys) to tensors.

Examples
--------
>>> import os, tempfile, torch
>>> from bptorch.base import io
>>> path = os.path.join(tempfile.mkdtemp(), 's.pt')
>>> io.save(path, {'w': torch.ones(2)}); io.load(path)
{'w': tensor([1., 1.])}
"""

from __future__ import annotations

import os
from typing import Any, Mapping

import numpy as np
import torch

from bptorch.errors import StateLoadError

__all__ = ['save', 'load', 'SUPPORTED_FORMATS']

SUPPORTED_FORMATS = ('.pt', '.npz')


def _format(filename: str) -> str:
    if not isinstance(filename, (str, os.PathLike)):
        raise TypeError(f'filename must be a path, got {type(filename).__name__}')
    ext = os.path.splitext(os.fspath(filename))[1].lower()
    if ext in ('.pt', '.pth'):
        return '.pt'
    if ext == '.npz':
        return '.npz'
    raise ValueError(f'unsupported state file {os.fspath(filename)!r}: use one of '
                     f'{", ".join(SUPPORTED_FORMATS)}')


def save(filename: str, states: Mapping[str, torch.Tensor], **settings: Any) -> None:
    """Write ``states`` (tensors are detached; ``.npz`` files hold CPU copies)."""
    fmt = _format(filename)
    detached = {k: v.detach() for k, v in states.items()}
    if fmt == '.pt':
        torch.save({k: v.cpu() for k, v in detached.items()}, filename, **settings)
    else:
        arrays = {}
        for k, v in detached.items():
            if v.dtype == torch.bfloat16:
                raise TypeError(f'save: {k!r} is bfloat16, which NumPy cannot hold; save to a .pt file')
            arrays[k] = v.cpu().numpy()
        np.savez(filename, **arrays)


def _native(arr: np.ndarray) -> np.ndarray:
    """``arr`` in the machine's byte order (a file written on a big-endian machine loads)."""
    if arr.dtype.byteorder not in ('=', '|') and not arr.dtype.isnative:
        arr = arr.astype(arr.dtype.newbyteorder('='))
    return np.array(arr)


def load(filename: str) -> dict[str, torch.Tensor]:
    """Read a state file into a dict of CPU tensors; unreadable files raise StateLoadError."""
    fmt = _format(filename)
    if not os.path.exists(filename):
        raise FileNotFoundError(f'state file {os.fspath(filename)!r} does not exist')
    try:
        if fmt == '.pt':
            states = torch.load(filename, map_location='cpu', weights_only=True)
        else:
            with np.load(filename, allow_pickle=False) as data:
                states = {k: torch.from_numpy(_native(data[k])) for k in data.files}
    except Exception as e:  # torch and NumPy raise many types for a damaged file
        raise StateLoadError(f'state file {os.fspath(filename)!r} could not be read as a '
                             f'{fmt} file: {type(e).__name__}: {e}') from e
    if not isinstance(states, dict) or not all(isinstance(v, torch.Tensor) for v in states.values()):
        raise StateLoadError(f'state file {os.fspath(filename)!r} does not hold a dict of tensors')
    return states
