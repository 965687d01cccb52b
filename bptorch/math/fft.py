"""``bm.fft``: NumPy's discrete Fourier transforms over ``torch.fft``.

Names, arguments (``n``/``s``, ``axis``/``axes``, ``norm`` in ``None``/``'backward'``,
``'ortho'``, ``'forward'``) and results are ``numpy.fft``'s. Real integer input is
transformed in the default float, so results are the default complex (NumPy:
complex128); ``fftfreq`` / ``rfftfreq`` give the default float. The transforms are
differentiable and run on the input's device.

Examples
--------
>>> import bptorch.math as bm
>>> bm.fft.fft([1., 0., 0., 0.]).real
tensor([1., 1., 1., 1.])
>>> bm.fft.irfft(bm.fft.rfft([1., 2., 3., 4.]), n=4)
tensor([1., 2., 3., 4.])
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import torch
from torch import Tensor

from bptorch.math import settings
from bptorch.math.ops import _to_float
from bptorch.math.variables import as_tensor

__all__ = [
    'fft', 'fft2', 'fftfreq', 'fftn', 'fftshift', 'hfft', 'ifft', 'ifft2', 'ifftn', 'ifftshift',
    'ihfft', 'irfft', 'irfft2', 'irfftn', 'rfft', 'rfft2', 'rfftfreq', 'rfftn',
]

_NORMS = (None, 'backward', 'ortho', 'forward')


def _norm(name: str, norm: str | None) -> str | None:
    if norm not in _NORMS:
        raise ValueError(f"{name}(norm): expected None, 'backward', 'ortho' or 'forward', "
                         f"got {norm!r}")
    return norm


def _public(f: Callable, name: str, summary: str, example: str) -> Callable:
    f.__name__ = f.__qualname__ = name
    f.__module__ = __name__
    f.__doc__ = (f'{summary}\n\nLike ``numpy.fft.{name}``: inputs may be tensors, Variables, '
                 'NumPy arrays or lists.\n\nExamples\n--------\n>>> import bptorch.math as bm\n'
                 + example.strip('\n') + '\n')
    return f


def _one_axis(name: str, fn: Callable, summary: str, example: str) -> Callable:
    def f(a: Any, n: int | None = None, axis: int = -1, norm: str | None = None) -> Tensor:
        return fn(_to_float(as_tensor(a)), n=n, dim=axis, norm=_norm(name, norm)).resolve_conj()
    return _public(f, name, summary, example)


def _two_axes(name: str, fn: Callable, summary: str, example: str) -> Callable:
    def f(a: Any, s: Sequence[int] | None = None, axes: Sequence[int] = (-2, -1),
          norm: str | None = None) -> Tensor:
        return fn(_to_float(as_tensor(a)), s=None if s is None else tuple(s), dim=tuple(axes),
                  norm=_norm(name, norm)).resolve_conj()
    return _public(f, name, summary, example)


def _n_axes(name: str, fn: Callable, summary: str, example: str) -> Callable:
    def f(a: Any, s: Sequence[int] | None = None, axes: Sequence[int] | None = None,
          norm: str | None = None) -> Tensor:
        return fn(_to_float(as_tensor(a)), s=None if s is None else tuple(s),
                  dim=None if axes is None else tuple(axes), norm=_norm(name, norm)).resolve_conj()
    return _public(f, name, summary, example)


fft = _one_axis('fft', torch.fft.fft, 'The 1-D discrete Fourier transform along ``axis``.', """
>>> bm.fft.fft([0., 1., 0., -1.])
tensor([0.+0.j, 0.-2.j, 0.+0.j, 0.+2.j])
""")
ifft = _one_axis('ifft', torch.fft.ifft, 'The inverse of :func:`fft`.', """
>>> bm.fft.ifft([4., 0., 0., 0.]).real
tensor([1., 1., 1., 1.])
""")
rfft = _one_axis('rfft', torch.fft.rfft, 'The 1-D transform of real input (the ``n // 2 + 1`` '
                 'non-negative frequencies).', """
>>> bm.fft.rfft([1., 1., 1., 1.])
tensor([4.+0.j, 0.+0.j, 0.+0.j])
""")
irfft = _one_axis('irfft', torch.fft.irfft, 'The inverse of :func:`rfft`: real output of length '
                  '``n`` (default ``2 * (m - 1)``).', """
>>> bm.fft.irfft([4., 0., 0.])
tensor([1., 1., 1., 1.])
""")
hfft = _one_axis('hfft', torch.fft.hfft, 'The transform of a Hermitian-symmetric signal given by '
                 'its first half (a real spectrum).', """
>>> bm.fft.hfft([1., 0., 0.])
tensor([1., 1., 1., 1.])
""")
ihfft = _one_axis('ihfft', torch.fft.ihfft, 'The inverse of :func:`hfft`: the first half of the '
                  'spectrum of a real signal.', """
>>> bm.fft.ihfft([1., 1., 1., 1.])
tensor([1.-0.j, 0.-0.j, 0.-0.j])
""")
fft2 = _two_axes('fft2', torch.fft.fft2, 'The 2-D discrete Fourier transform over ``axes``.', """
>>> bm.fft.fft2(bm.ones((2, 2)))
tensor([[4.+0.j, 0.+0.j],
        [0.+0.j, 0.+0.j]])
""")
ifft2 = _two_axes('ifft2', torch.fft.ifft2, 'The inverse of :func:`fft2`.', """
>>> bm.fft.ifft2([[4., 0.], [0., 0.]])
tensor([[1.+0.j, 1.+0.j],
        [1.+0.j, 1.+0.j]])
""")
rfft2 = _two_axes('rfft2', torch.fft.rfft2, 'The 2-D transform of real input (half of the last axis).', """
>>> bm.fft.rfft2(bm.ones((2, 4))).shape
torch.Size([2, 3])
""")
irfft2 = _two_axes('irfft2', torch.fft.irfft2, 'The inverse of :func:`rfft2`.', """
>>> bm.fft.irfft2(bm.fft.rfft2(bm.ones((2, 4)))).shape
torch.Size([2, 4])
""")
fftn = _n_axes('fftn', torch.fft.fftn, 'The N-D discrete Fourier transform over ``axes`` (all by default).', """
>>> bm.fft.fftn(bm.ones((2, 2, 2)))[0, 0, 0]
tensor(8.+0.j)
""")
ifftn = _n_axes('ifftn', torch.fft.ifftn, 'The inverse of :func:`fftn`.', """
>>> bm.fft.ifftn(bm.fft.fftn(bm.ones((2, 2)))).real
tensor([[1., 1.],
        [1., 1.]])
""")
rfftn = _n_axes('rfftn', torch.fft.rfftn, 'The N-D transform of real input (half of the last axis).', """
>>> bm.fft.rfftn(bm.ones((2, 2, 4))).shape
torch.Size([2, 2, 3])
""")
irfftn = _n_axes('irfftn', torch.fft.irfftn, 'The inverse of :func:`rfftn`.', """
>>> bm.fft.irfftn(bm.fft.rfftn(bm.ones((2, 4)))).shape
torch.Size([2, 4])
""")


def fftfreq(n: int, d: float = 1.0) -> Tensor:
    """The sample frequencies of an ``n``-point :func:`fft` with sample spacing ``d``
    (``numpy.fft.fftfreq``; the default float, on the default device).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.fft.fftfreq(4, d=0.5)
    tensor([ 0.0000,  0.5000, -1.0000, -0.5000])
    """
    return torch.fft.fftfreq(int(n), d=float(d), dtype=settings.float_(),
                             device=settings.default_device())


def rfftfreq(n: int, d: float = 1.0) -> Tensor:
    """The sample frequencies of an ``n``-point :func:`rfft` (``numpy.fft.rfftfreq``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.fft.rfftfreq(4)
    tensor([0.0000, 0.2500, 0.5000])
    """
    return torch.fft.rfftfreq(int(n), d=float(d), dtype=settings.float_(),
                              device=settings.default_device())


def fftshift(x: Any, axes: int | Sequence[int] | None = None) -> Tensor:
    """Move the zero frequency to the centre of the spectrum (``numpy.fft.fftshift``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.fft.fftshift(bm.fft.fftfreq(4))
    tensor([-0.5000, -0.2500,  0.0000,  0.2500])
    """
    return torch.fft.fftshift(as_tensor(x), dim=axes)


def ifftshift(x: Any, axes: int | Sequence[int] | None = None) -> Tensor:
    """The inverse of :func:`fftshift` (``numpy.fft.ifftshift``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.fft.ifftshift(bm.fft.fftshift(bm.arange(5)))
    tensor([0, 1, 2, 3, 4])
    """
    return torch.fft.ifftshift(as_tensor(x), dim=axes)
