"""NumPy's window functions (``bm.bartlett``, ``bm.blackman``, ``bm.hamming``,
``bm.hanning``, ``bm.kaiser``): symmetric windows of ``M`` points, in the default
float on the default device (``M <= 0`` gives an empty array, ``M == 1`` a one).

Examples
--------
>>> import bptorch.math as bm
>>> bm.hanning(5)
tensor([0.0000, 0.5000, 1.0000, 0.5000, 0.0000])
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from bptorch.math import settings

__all__ = ['bartlett', 'blackman', 'hamming', 'hanning', 'kaiser']


def _grid(M: int) -> tuple[Tensor | None, Tensor]:
    """``2 pi n / (M - 1)`` for ``n < M`` (None for M < 2), and an empty/one result for small M."""
    M = int(M)
    dt, dev = settings.float_(), settings.default_device()
    if M < 1:
        return None, torch.zeros(0, dtype=dt, device=dev)
    if M == 1:
        return None, torch.ones(1, dtype=dt, device=dev)
    n = torch.arange(M, dtype=torch.float64, device=dev)
    return n, torch.empty(0)


def bartlett(M: int) -> Tensor:
    """The Bartlett (triangular) window, ``1 - |2n / (M - 1) - 1|`` (``numpy.bartlett``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.bartlett(5)
    tensor([0.0000, 0.5000, 1.0000, 0.5000, 0.0000])
    """
    n, small = _grid(M)
    if n is None:
        return small
    return (1 - torch.abs(2 * n / (M - 1) - 1)).to(settings.float_())


def blackman(M: int) -> Tensor:
    """The Blackman window, ``0.42 - 0.5 cos(2 pi n / (M-1)) + 0.08 cos(4 pi n / (M-1))``
    (``numpy.blackman``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.blackman(5)[1:4]
    tensor([0.3400, 1.0000, 0.3400])
    """
    n, small = _grid(M)
    if n is None:
        return small
    x = 2 * math.pi * n / (M - 1)
    return (0.42 - 0.5 * torch.cos(x) + 0.08 * torch.cos(2 * x)).to(settings.float_())


def hamming(M: int) -> Tensor:
    """The Hamming window, ``0.54 - 0.46 cos(2 pi n / (M - 1))`` (``numpy.hamming``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.hamming(3)
    tensor([0.0800, 1.0000, 0.0800])
    """
    n, small = _grid(M)
    if n is None:
        return small
    return (0.54 - 0.46 * torch.cos(2 * math.pi * n / (M - 1))).to(settings.float_())


def hanning(M: int) -> Tensor:
    """The Hann window, ``0.5 - 0.5 cos(2 pi n / (M - 1))`` (``numpy.hanning``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.hanning(3)
    tensor([0., 1., 0.])
    """
    n, small = _grid(M)
    if n is None:
        return small
    return (0.5 - 0.5 * torch.cos(2 * math.pi * n / (M - 1))).to(settings.float_())


def kaiser(M: int, beta: float) -> Tensor:
    """The Kaiser window, ``I0(beta sqrt(1 - (2n / (M - 1) - 1)^2)) / I0(beta)``
    (``numpy.kaiser``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.kaiser(3, 0.)
    tensor([1., 1., 1.])
    """
    n, small = _grid(M)
    if n is None:
        return small
    r = 2 * n / (M - 1) - 1
    b = torch.tensor(float(beta), dtype=torch.float64, device=n.device)
    w = torch.special.i0(b * torch.sqrt(torch.clamp(1 - r * r, min=0))) / torch.special.i0(b)
    return w.to(settings.float_())
