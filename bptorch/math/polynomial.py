"""NumPy's polynomial functions over torch (``bm.polyval``, ``bm.polyfit``, ``bm.roots``...).

Polynomials are 1-D coefficient arrays, highest power first, as in NumPy's
``poly*`` functions. ``polyval``, ``polyadd``, ``polysub``, ``polymul``,
``polyder``, ``polyint`` and ``vander`` are differentiable and work inside
transforms; ``polydiv``, ``polyfit``, ``poly`` and ``roots`` are eager.

``roots`` always returns complex values (as ``jnp.roots``, BrainPy 2.1's); NumPy
returns real ones when every root is real.

Examples
--------
>>> import bptorch.math as bm
>>> bm.polyval([1., 0., -1.], 3.)
tensor(8.)
>>> bm.polyder([1., 2., 3.])
tensor([2., 2.])
"""

from __future__ import annotations

import builtins
from typing import Any

import torch
from torch import Tensor

from bptorch.math import settings
from bptorch.math.indexing import sort_complex
from bptorch.math.numerical import _convolve
from bptorch.math.ops import _to_float
from bptorch.math.variables import Variable, as_tensor

__all__ = ['poly', 'polyadd', 'polysub', 'polymul', 'polydiv', 'polyder', 'polyint', 'polyval',
           'polyfit', 'roots', 'vander']


def _coeffs(name: str, p: Any, ref: Tensor | None = None) -> Tensor:
    t = as_tensor(p, device=None if ref is None or isinstance(p, (Tensor, Variable)) else ref.device)
    t = torch.atleast_1d(t)
    if t.ndim != 1:
        raise ValueError(f'{name}: expected 1-D coefficient arrays, got shape {tuple(t.shape)}')
    return t


def _pair(name: str, a1: Any, a2: Any) -> tuple[Tensor, Tensor]:
    x = _coeffs(name, a1)
    y = _coeffs(name, a2, x)
    dt = torch.promote_types(x.dtype, y.dtype)
    return x.to(dt), y.to(dt)


def polyval(p: Any, x: Any) -> Tensor:
    """The polynomial ``p`` evaluated at ``x`` by Horner's scheme (``numpy.polyval``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.polyval([3., 0., 1.], [1., 2.])
    tensor([ 4., 13.])
    """
    xt = as_tensor(x)
    c = _coeffs('polyval', p, xt)
    dt = torch.promote_types(c.dtype, xt.dtype)
    c, xt = c.to(dt), xt.to(dt)
    y = torch.zeros_like(xt)
    for k in range(c.shape[0]):
        y = y * xt + c[k]
    return y


def polyadd(a1: Any, a2: Any) -> Tensor:
    """The sum of two polynomials (``numpy.polyadd``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.polyadd([1, 2], [9, 5, 4])
    tensor([9, 6, 6])
    """
    x, y = _pair('polyadd', a1, a2)
    d = y.shape[0] - x.shape[0]
    if d > 0:
        x = torch.cat([x.new_zeros(d), x])
    elif d < 0:
        y = torch.cat([y.new_zeros(-d), y])
    return x + y


def polysub(a1: Any, a2: Any) -> Tensor:
    """The difference of two polynomials, ``a1 - a2`` (``numpy.polysub``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.polysub([2, 10, -2], [3, 10, -4])
    tensor([-1,  0,  2])
    """
    x, y = _pair('polysub', a1, a2)
    return polyadd(x, -y)


def polymul(a1: Any, a2: Any) -> Tensor:
    """The product of two polynomials (``numpy.polymul``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.polymul([1., 2.], [1., -2.])
    tensor([ 1.,  0., -4.])
    """
    x, y = _pair('polymul', a1, a2)
    return _convolve(x, y, 'full')


def polydiv(u: Any, v: Any) -> tuple[Tensor, Tensor]:
    """The quotient and remainder of polynomial division, ``(q, r)`` with ``u = q v + r``
    (``numpy.polydiv``; floats; leading near-zeros are trimmed from ``r``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.polydiv([3., 5., 2.], [2., 1.])
    (tensor([1.5000, 1.7500]), tensor([0.2500]))
    """
    x, y = _pair('polydiv', u, v)
    x, y = _to_float(x), _to_float(y)
    m, n = x.shape[0] - 1, y.shape[0] - 1
    scale = 1.0 / y[0]
    q = x.new_zeros(builtins.max(m - n + 1, 1))
    r = x.clone()
    for k in range(0, m - n + 1):
        d = scale * r[k]
        q[k] = d
        r[k:k + n + 1] = r[k:k + n + 1] - d * y
    tol = 1e-14
    while r.shape[0] > 1 and builtins.bool(torch.isclose(r[0], r.new_zeros(()), rtol=tol, atol=tol)):
        r = r[1:]
    return q, r


def polyder(p: Any, m: int = 1) -> Tensor:
    """The ``m``-th derivative of a polynomial (``numpy.polyder``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.polyder([1., 1., 1., 1.], m=2)
    tensor([6., 2.])
    """
    if m < 0:
        raise ValueError('polyder: order of derivative must be positive (see polyint)')
    c = _coeffs('polyder', p)
    for _ in range(int(m)):
        n = builtins.max(c.shape[0] - 1, 0)
        c = c[:n] * torch.arange(n, 0, -1, device=c.device, dtype=c.dtype if (
            c.is_floating_point() or c.is_complex()) else torch.int64)
    return c


def polyint(p: Any, m: int = 1, k: Any = None) -> Tensor:
    """The ``m``-th antiderivative of a polynomial, with integration constants ``k``
    (one number for all, or ``m`` of them, the first for the first integration)
    (``numpy.polyint``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.polyint([3., 2., 1.])
    tensor([1., 1., 1., 0.])
    >>> bm.polyint([6.], m=2, k=[1., 2.])
    tensor([3., 1., 2.])
    """
    if m < 0:
        raise ValueError('polyint: order of integral must be positive (see polyder)')
    c = _to_float(_coeffs('polyint', p))
    if k is None:
        ks = [0.0] * int(m)
    else:
        kt = torch.atleast_1d(as_tensor(k, device=None if isinstance(k, (Tensor, Variable)) else c.device))
        if kt.numel() == 1 and m > 1:
            kt = kt.reshape(1).expand(int(m))
        if kt.numel() != m:
            raise ValueError('polyint: k must be a scalar or a rank-1 array of length 1 or m')
        ks = list(kt.to(c.dtype).unbind(0))
    for j in range(int(m)):
        n = c.shape[0]
        c = torch.cat([c / torch.arange(n, 0, -1, dtype=c.dtype, device=c.device),
                       as_tensor(ks[j], c.dtype, c.device).reshape(1)])
    return c


def vander(x: Any, N: int | None = None, increasing: bool = False) -> Tensor:
    """The Vandermonde matrix of the 1-D ``x``: columns ``x**(N-1), ..., x**0``
    (``increasing=True``: the other way round) (``numpy.vander``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.vander([1, 2, 3], 3)
    tensor([[1, 1, 1],
            [4, 2, 1],
            [9, 3, 1]])
    """
    t = as_tensor(x)
    if t.ndim != 1:
        raise ValueError('vander: x must be a one-dimensional array or sequence')
    return torch.vander(t, N, increasing)


def polyfit(x: Any, y: Any, deg: int, rcond: float | None = None, full: bool = False,
            w: Any = None, cov: bool | str = False) -> Any:
    """The least-squares polynomial of degree ``deg`` through the points ``(x, y)``
    (``numpy.polyfit``; highest power first; ``y`` may be 2-D, one fit per column).

    ``w`` weights the residuals; ``full=True`` returns
    ``(p, residuals, rank, singular_values, rcond)``; ``cov=True`` (or ``'unscaled'``)
    returns ``(p, V)`` with the covariance of the estimates. Eager only.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> p = bm.polyfit([0., 1., 2., 3.], [1., 3., 5., 7.], 1)
    >>> bm.round(p, 4)
    tensor([2., 1.])
    """
    from bptorch.math.linalg import lstsq
    xt = _to_float(as_tensor(x))
    yt = _to_float(as_tensor(y, device=None if isinstance(y, (Tensor, Variable)) else xt.device))
    dt = torch.promote_types(xt.dtype, yt.dtype)
    xt, yt = xt.to(dt), yt.to(dt)
    order = int(deg) + 1
    if deg < 0:
        raise ValueError('polyfit: expected deg >= 0')
    if xt.ndim != 1 or xt.numel() == 0:
        raise TypeError('polyfit: expected a non-empty 1-D array for x')
    if yt.ndim not in (1, 2) or yt.shape[0] != xt.shape[0]:
        raise TypeError('polyfit: expected a 1-D or 2-D y with as many rows as x')
    if rcond is None:
        rcond = xt.shape[0] * torch.finfo(dt).eps
    lhs = torch.vander(xt, order)
    rhs = yt
    if w is not None:
        wt = as_tensor(w, dt, xt.device)
        if wt.shape != xt.shape:
            raise TypeError('polyfit: expected w of the shape of x')
        lhs = lhs * wt[:, None]
        rhs = rhs * (wt if rhs.ndim == 1 else wt[:, None])
    scale = torch.sqrt((lhs * lhs).sum(0))
    c, resids, rank, s = lstsq(lhs / scale, rhs, rcond)
    c = c / (scale if c.ndim == 1 else scale[:, None])
    if full:
        return c, resids, rank, s, rcond
    if cov:
        vbase = torch.linalg.inv((lhs / scale).T @ (lhs / scale)) / torch.outer(scale, scale)
        if cov == 'unscaled':
            fac = torch.ones((), dtype=dt, device=xt.device)
        else:
            if xt.shape[0] <= order:
                raise ValueError('polyfit: the number of data points must exceed order to scale '
                                 'the covariance matrix')
            fac = resids / (xt.shape[0] - order)
        if yt.ndim == 1:
            return c, vbase * fac
        return c, vbase[:, :, None] * fac
    return c


def roots(p: Any) -> Tensor:
    """The roots of a polynomial, as complex values: the eigenvalues of its companion matrix
    (``numpy.roots``; leading zeros are ignored, trailing zeros give zero roots). Eager only.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> r = bm.roots([1., -3., 2.])
    >>> sorted(r.real.tolist())
    [1.0, 2.0]
    """
    c = _coeffs('roots', p)
    c = _to_float(c)
    nz = torch.nonzero(c != 0).reshape(-1)
    cdt = c.dtype if c.is_complex() else (torch.complex128 if c.dtype == torch.float64
                                           else settings.complex_())
    if nz.numel() == 0:
        return torch.zeros(0, dtype=cdt, device=c.device)
    first, last = int(nz[0]), int(nz[-1])
    trailing = c.shape[0] - last - 1
    c = c[first:last + 1]
    n = c.shape[0] - 1
    zeros = torch.zeros(trailing, dtype=cdt, device=c.device)
    if n < 1:
        return zeros
    comp = torch.diag(torch.ones(n - 1, dtype=c.dtype, device=c.device), -1)
    comp[0, :] = -c[1:] / c[0]
    return torch.cat([torch.linalg.eigvals(comp).to(cdt), zeros])


def poly(seq_of_zeros: Any) -> Tensor:
    """The coefficients of the monic polynomial with the given roots (``numpy.poly``);
    for a square matrix, of its characteristic polynomial. Roots in complex-conjugate
    pairs give real coefficients. Eager only.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.poly([1., 2.])
    tensor([ 1., -3.,  2.])
    >>> bm.poly([1j, -1j])
    tensor([1., 0., 1.])
    """
    z = as_tensor(seq_of_zeros)
    if z.numel() == 0:
        return torch.ones((), dtype=settings.float_(), device=z.device)   # NumPy: 1.0
    if z.ndim == 2 and z.shape[0] == z.shape[1] and z.shape[0] > 0:
        z = torch.linalg.eigvals(_to_float(z))
    elif z.ndim != 1:
        raise ValueError('poly: input must be 1-D or a non-empty square 2-D array')
    z = _to_float(z)
    a = torch.ones(1, dtype=z.dtype, device=z.device)
    for k in range(z.shape[0]):
        a = _convolve(a, torch.stack([torch.ones((), dtype=z.dtype, device=z.device), -z[k]]), 'full')
    if a.is_complex():
        pos = sort_complex(z[z.imag > 0])
        neg = sort_complex(torch.conj_physical(z[z.imag < 0]))
        if pos.shape == neg.shape and builtins.bool(torch.allclose(pos, neg)):
            a = a.real.clone()
    return a
