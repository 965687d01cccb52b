"""Channels-last windows for convolutions and pooling: JAX's padding rules on torch ops."""

from __future__ import annotations

import math
from typing import Any, Sequence

import torch
import torch.nn.functional as F

__all__ = ['as_tuple', 'pads', 'out_size', 'pad_last', 'dilate', 'to_channels_first',
           'to_channels_last']


def as_tuple(v: Any, n: int, name: str) -> tuple[int, ...]:
    """An int for every spatial axis, or a sequence of ``n`` ints."""
    if isinstance(v, int) and not isinstance(v, bool):
        return (v,) * n
    if isinstance(v, (tuple, list)) and len(v) == n and all(isinstance(x, int) for x in v):
        return tuple(v)
    raise ValueError(f'{name} must be an int or a sequence of {n} ints, got {v!r}')


def pads(padding: Any, sizes: Sequence[int], windows: Sequence[int], strides: Sequence[int],
         name: str = 'padding') -> tuple[tuple[int, int], ...]:
    """``(low, high)`` pads per spatial axis, as ``jax.lax.padtype_to_pads``.

    ``'SAME'``: the output has ``ceil(size / stride)`` elements, the extra padding
    going to the high side; ``'VALID'``: none; an int: that on both sides; a
    sequence of ints or of ``(low, high)`` pairs: per axis.
    """
    n = len(sizes)
    if isinstance(padding, str):
        mode = padding.upper()
        if mode == 'VALID':
            return ((0, 0),) * n
        if mode == 'SAME':
            out = []
            for size, k, s in zip(sizes, windows, strides):
                total = max((math.ceil(size / s) - 1) * s + k - size, 0)
                out.append((total // 2, total - total // 2))
            return tuple(out)
        raise ValueError(f"{name} must be 'SAME', 'VALID', an int or a sequence of (low, high) "
                         f"pairs, got {padding!r}")
    if isinstance(padding, int) and not isinstance(padding, bool):
        return ((padding, padding),) * n
    if isinstance(padding, (tuple, list)) and len(padding) == n:
        out = []
        for p in padding:
            if isinstance(p, int) and not isinstance(p, bool):
                out.append((p, p))
            elif isinstance(p, (tuple, list)) and len(p) == 2 \
                    and all(isinstance(x, int) for x in p):
                out.append((p[0], p[1]))
            else:
                break
        else:
            return tuple(out)
    raise ValueError(f"{name} must be 'SAME', 'VALID', an int or a sequence of {n} ints or "
                     f"(low, high) pairs, got {padding!r}")


def out_size(size: int, window: int, stride: int, pad: tuple[int, int], dilation: int = 1,
             input_dilation: int = 1) -> int:
    """The output length of a window op on one axis."""
    size = (size - 1) * input_dilation + 1 if size > 0 else 0
    effective = (window - 1) * dilation + 1
    return max((size + pad[0] + pad[1] - effective) // stride + 1, 0)


def pad_last(x: torch.Tensor, pad: Sequence[tuple[int, int]], value: float = 0.) -> torch.Tensor:
    """Pad (or crop, for negative pads) the trailing ``len(pad)`` axes of channels-first data."""
    flat = []
    for low, high in reversed(tuple(pad)):
        flat.extend((low, high))
    if not any(flat):
        return x
    return F.pad(x, flat, value=value)


def dilate(x: torch.Tensor, factors: Sequence[int]) -> torch.Tensor:
    """Insert ``factor - 1`` zeros between the elements of each trailing axis."""
    if all(f == 1 for f in factors):
        return x
    n = len(factors)
    sizes = x.shape[-n:]
    new = [(s - 1) * f + 1 if s > 0 else 0 for s, f in zip(sizes, factors)]
    out = x.new_zeros(x.shape[:-n] + tuple(new))
    index = (Ellipsis,) + tuple(slice(None, None, f) for f in factors)
    out[index] = x
    return out


def to_channels_first(x: torch.Tensor) -> torch.Tensor:
    """``(N, *spatial, C)`` to ``(N, C, *spatial)``."""
    return x.movedim(-1, 1)


def to_channels_last(x: torch.Tensor) -> torch.Tensor:
    """``(N, C, *spatial)`` to ``(N, *spatial, C)``."""
    return x.movedim(1, -1)
