"""NumPy's statistics over torch: NaN-aware reductions, weighted averages,
covariances and histograms (``bm.average``, ``bm.nanstd``, ``bm.cov``, ``bm.histogram``...).

Integer input gives the default float where NumPy gives float64. Histograms are
computed with ``torch.bucketize`` and ``torch.bincount``, so they run on any device;
string ``bins`` (``'auto'``, ``'fd'``...) are resolved by NumPy on a host copy.
Values that decide shapes (``bins`` as an int, ``range``) must be concrete; the
rest works inside ``torch.func`` transforms.

Examples
--------
>>> import bptorch.math as bm
>>> bm.average([1., 2., 3.], weights=[3., 1., 0.])
tensor(1.2500)
>>> hist, edges = bm.histogram([0., 1., 1., 2.], bins=2)
>>> hist, edges
(tensor([1, 3]), tensor([0., 1., 2.]))
"""

from __future__ import annotations

import builtins
from typing import Any, Sequence

import numpy as np
import torch
from torch import Tensor

from bptorch.math import settings
from bptorch.math.ops import Axis, _axes_to_last, _dt, _keep_axes, _no_out, _to_float
from bptorch.math.ops import sum as _sum
from bptorch.math.variables import Variable, as_tensor

__all__ = [
    'average', 'nanmedian', 'nanquantile', 'nanpercentile', 'nanstd', 'nanvar', 'cov',
    'corrcoef', 'histogram', 'histogram2d', 'histogramdd', 'histogram_bin_edges', 'bincount',
    'digitize',
]


def _on(x: Any, ref: Tensor) -> Tensor:
    """``x`` as a tensor on ``ref``'s device (Variables give their value)."""
    return as_tensor(x, device=None if isinstance(x, (Tensor, Variable)) else ref.device)


def average(a: Any, axis: Axis = None, weights: Any = None, returned: bool = False,
            keepdims: bool = False) -> Tensor | tuple[Tensor, Tensor]:
    """The weighted average over ``axis`` (``numpy.average``).

    ``weights`` has the shape of ``a``, or is 1-D along an int ``axis``. With
    ``returned=True`` it returns ``(average, sum_of_weights)``, the latter broadcast to
    the average's shape.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.average([[1., 2.], [3., 4.]], axis=1, weights=[1., 3.])
    tensor([1.7500, 3.7500])
    >>> bm.average([1, 2, 3], returned=True)
    (tensor(2.), tensor(3.))
    """
    a = _to_float(as_tensor(a))
    if weights is None:
        avg = torch.mean(a, dim=axis, keepdim=keepdims) if a.ndim else a.clone()
        n = a.numel() if axis is None else (
            a.shape[axis] if isinstance(axis, int) else int(np.prod([a.shape[i] for i in axis])))
        scl = torch.full_like(avg, float(n))
    else:
        w = _on(weights, a)
        if w.shape != a.shape:
            if axis is None:
                raise TypeError('average: axis must be given when the shapes of a and weights differ')
            if not isinstance(axis, int) or w.ndim != 1 or w.shape[0] != a.shape[axis]:
                raise ValueError(f'average: weights of shape {tuple(w.shape)} must have the shape of '
                                 f'a {tuple(a.shape)}, or be 1-D with the length of axis {axis}')
            shape = [1] * a.ndim
            shape[axis] = -1
            w = w.reshape(shape)
        dt = torch.promote_types(a.dtype, _to_float(w).dtype)
        a, w = a.to(dt), w.to(dt).expand(a.shape)
        scl = torch.sum(w, dim=axis, keepdim=keepdims)
        avg = torch.sum(a * w, dim=axis, keepdim=keepdims) / scl
    return (avg, scl) if returned else avg


def nanmedian(a: Any, axis: Axis = None, out: None = None, overwrite_input: bool = False,
              keepdims: bool = False) -> Tensor:
    """The median over ``axis`` ignoring NaN (``numpy.nanmedian``); even counts average
    the two middle values; an all-NaN slice gives NaN.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.nanmedian([1., bm.nan, 4., 2.])
    tensor(2.)
    >>> bm.nanmedian([[1., 2., 5., bm.nan], [bm.nan, bm.nan, bm.nan, bm.nan]], axis=1)
    tensor([2., nan])
    """
    if out is not None:
        _no_out('nanmedian', out)
    m, axes = _axes_to_last(_to_float(as_tensor(a)), axis)
    srt = torch.sort(m, dim=-1).values  # NaN sorts last
    n = (~torch.isnan(srt)).sum(-1, keepdim=True)
    lo = torch.clamp((n - 1) // 2, min=0)
    hi = torch.clamp(n // 2, min=0)
    r = (torch.take_along_dim(srt, lo, -1) + torch.take_along_dim(srt, hi, -1)).squeeze(-1) / 2
    r = torch.where(n.squeeze(-1) == 0, float('nan'), r)
    return _keep_axes(r, axes) if keepdims else r


def _method(method: str, interpolation: str | None) -> str:
    return method if interpolation is None else interpolation


def nanquantile(a: Any, q: Any, axis: Axis = None, out: None = None, overwrite_input: bool = False,
                method: str = 'linear', keepdims: bool = False, *,
                interpolation: str | None = None) -> Tensor:
    """The ``q``-th quantile(s) over ``axis`` ignoring NaN (``numpy.nanquantile``).

    ``method`` (or BrainPy 2.1's ``interpolation``) is one of ``'linear'``, ``'lower'``,
    ``'higher'``, ``'midpoint'``, ``'nearest'``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.nanquantile([1., bm.nan, 3., 5.], [0., 0.5, 1.])
    tensor([1., 3., 5.])
    """
    if out is not None:
        _no_out('nanquantile', out)
    t = _to_float(as_tensor(a))
    qq = q if isinstance(q, (float, int)) else _on(q, t).to(t.dtype)
    m, axes = _axes_to_last(t, axis)
    r = torch.nanquantile(m, qq, dim=-1, interpolation=_method(method, interpolation))
    if keepdims:
        r = _keep_axes(r, axes, qq.ndim if isinstance(qq, Tensor) else 0)
    return r


def nanpercentile(a: Any, q: Any, axis: Axis = None, out: None = None,
                  overwrite_input: bool = False, method: str = 'linear', keepdims: bool = False, *,
                  interpolation: str | None = None) -> Tensor:
    """The ``q``-th percentile(s) over ``axis`` ignoring NaN (``numpy.nanpercentile``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.nanpercentile([1., bm.nan, 3., 5.], 50)
    tensor(3.)
    """
    if out is not None:
        _no_out('nanpercentile', out)
    q = q / 100 if isinstance(q, (float, int, Tensor)) else as_tensor(q, settings.float_()) / 100
    return nanquantile(a, q, axis, method=method, keepdims=keepdims, interpolation=interpolation)


def nanvar(a: Any, axis: Axis = None, dtype: Any = None, out: None = None, ddof: int = 0,
           keepdims: bool = False) -> Tensor:
    """The variance over ``axis`` ignoring NaN (``numpy.nanvar``); slices with at most
    ``ddof`` numbers give NaN.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.nanvar([1., bm.nan, 3.])
    tensor(1.)
    """
    if out is not None:
        _no_out('nanvar', out)
    t = _to_float(as_tensor(a)) if dtype is None else as_tensor(a).to(_dt(dtype))
    mask = torch.isnan(t)
    n = _sum(~mask, axis, dtype=t.dtype, keepdims=True)
    mu = _sum(torch.where(mask, 0, t), axis, keepdims=True) / n
    dev = torch.where(mask, 0, t - mu)
    dev = dev.abs() ** 2 if dev.is_complex() else dev * dev
    r = _sum(dev, axis, keepdims=True) / (n - ddof)
    r = torch.where(n - ddof > 0, r, float('nan'))
    if not keepdims:
        r = r.reshape(_sum(t, axis).shape)
    return r


def nanstd(a: Any, axis: Axis = None, dtype: Any = None, out: None = None, ddof: int = 0,
           keepdims: bool = False) -> Tensor:
    """The standard deviation over ``axis`` ignoring NaN (``numpy.nanstd``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.nanstd([1., bm.nan, 3.], ddof=1)
    tensor(1.4142)
    """
    if out is not None:
        _no_out('nanstd', out)
    return torch.sqrt(nanvar(a, axis, dtype, ddof=ddof, keepdims=keepdims))


def cov(m: Any, y: Any = None, rowvar: bool = True, bias: bool = False, ddof: int | None = None,
        fweights: Any = None, aweights: Any = None, dtype: Any = None) -> Tensor:
    """The covariance matrix of the variables in ``m`` (and ``y``) (``numpy.cov``).

    Each row is a variable and each column an observation (``rowvar=False``: the
    other way round). ``ddof`` defaults to 1 (0 with ``bias=True``); ``fweights``
    (integer repeat counts) and ``aweights`` weight the observations. One variable
    gives a 0-d array.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.cov([[0., 1., 2.], [2., 1., 0.]])
    tensor([[ 1., -1.],
            [-1.,  1.]])
    >>> bm.cov([1., 2., 3., 4.], bias=True)
    tensor(1.2500)
    """
    x = _to_float(as_tensor(m))
    if x.ndim > 2:
        raise ValueError(f'cov: m has more than 2 dimensions (shape {tuple(x.shape)})')
    x = torch.atleast_2d(x)
    if not rowvar and x.shape[0] != 1:
        x = x.T
    if y is not None:
        yy = torch.atleast_2d(_to_float(_on(y, x)))
        if yy.ndim > 2:
            raise ValueError(f'cov: y has more than 2 dimensions (shape {tuple(yy.shape)})')
        if not rowvar and yy.shape[0] != 1:
            yy = yy.T
        dt = torch.promote_types(x.dtype, yy.dtype)
        x = torch.cat([x.to(dt), yy.to(dt)], dim=0)
    if dtype is not None:
        x = x.to(_dt(dtype))
    if ddof is None:
        ddof = 0 if bias else 1
    fw = None if fweights is None else _on(fweights, x)
    if fw is not None and (fw.is_floating_point() or fw.is_complex()):
        if builtins.bool((fw != torch.round(fw)).any()):
            raise TypeError('cov: fweights must be integers')
        fw = fw.to(torch.int64)
    aw = None if aweights is None else _on(aweights, x).to(x.real.dtype)
    c = torch.cov(x, correction=int(ddof), fweights=fw, aweights=aw)
    return c.squeeze() if c.ndim and c.numel() == 1 else c


def corrcoef(x: Any, y: Any = None, rowvar: bool = True, dtype: Any = None) -> Tensor:
    """Pearson correlation coefficients (``numpy.corrcoef``): :func:`cov` normalised by the
    standard deviations, real parts clipped to ``[-1, 1]``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.corrcoef([[1., 2., 3.], [3., 2., 1.]])
    tensor([[ 1., -1.],
            [-1.,  1.]])
    """
    c = cov(x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return c / c
    d = torch.diagonal(c)
    std = torch.sqrt(d.real)
    c = c / std[:, None] / std[None, :]
    if c.is_complex():
        return torch.complex(torch.clamp(c.real, -1, 1), torch.clamp(c.imag, -1, 1))
    return torch.clamp(c, -1, 1)


# ---------------------------------------------------------------------------
# histograms
# ---------------------------------------------------------------------------

def _edges(name: str, a: Tensor, bins: Any, range: Any, weights: Any = None) -> Tensor:
    """The bin edges NumPy would use for 1-D data ``a``."""
    if isinstance(bins, str):
        w = None if weights is None else np.asarray(as_tensor(weights).detach().cpu())
        e = np.histogram_bin_edges(a.detach().cpu().numpy(), bins, range, w)
        return torch.as_tensor(e, dtype=a.dtype if a.is_floating_point() else settings.float_(),
                               device=a.device)
    if isinstance(bins, (int, np.integer)):
        nbins = int(bins)
        if nbins < 1:
            raise ValueError(f'{name}: bins must be a positive integer, got {bins}')
        dt = a.dtype if a.is_floating_point() else settings.float_()
        if range is None:
            if a.numel() == 0:
                lo = torch.zeros((), dtype=dt, device=a.device)
                hi = torch.ones((), dtype=dt, device=a.device)
            else:
                lo, hi = a.min().to(dt), a.max().to(dt)
        else:
            lo_, hi_ = range
            if lo_ > hi_:
                raise ValueError(f'{name}: max must be larger than min in range, got {range}')
            lo = torch.as_tensor(float(lo_), dtype=dt, device=a.device)
            hi = torch.as_tensor(float(hi_), dtype=dt, device=a.device)
        same = lo == hi
        lo, hi = torch.where(same, lo - 0.5, lo), torch.where(same, hi + 0.5, hi)
        steps = torch.linspace(0, 1, nbins + 1, dtype=dt, device=a.device)
        e = lo + (hi - lo) * steps
        return torch.cat([e[:-1], hi.reshape(1)])  # the last edge is exact
    e = _on(bins, a)
    if e.ndim != 1:
        raise ValueError(f'{name}: bins must be an int, a string or a 1-D array of edges')
    if e.numel() > 1 and builtins.bool((e[1:] < e[:-1]).any()):
        raise ValueError(f'{name}: bins must increase monotonically')
    return e


def _bin_index(x: Tensor, edges: Tensor) -> tuple[Tensor, Tensor]:
    """Bin numbers of ``x`` for ``edges`` (last bin closed) and a mask of values in range."""
    e = edges.to(torch.promote_types(edges.dtype, x.dtype))
    xx = x.to(e.dtype)
    idx = torch.bucketize(xx, e, right=True) - 1
    nb = e.shape[0] - 1
    idx = torch.where(xx == e[-1], nb - 1, idx)
    inside = (xx >= e[0]) & (xx <= e[-1])
    return torch.clamp(idx, 0, builtins.max(nb - 1, 0)), inside


def _counts(flat_idx: Tensor, inside: Tensor, weights: Tensor | None, n: int) -> Tensor:
    if weights is None:
        return torch.bincount(flat_idx[inside], minlength=n)
    return torch.zeros(n, dtype=weights.dtype, device=weights.device).index_add(
        0, flat_idx[inside], weights[inside])


def histogram_bin_edges(a: Any, bins: Any = 10, range: tuple[float, float] | None = None,
                        weights: Any = None) -> Tensor:
    """The bin edges :func:`histogram` uses (``numpy.histogram_bin_edges``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.histogram_bin_edges([1., 2., 5.], bins=2)
    tensor([1., 3., 5.])
    >>> bm.histogram_bin_edges([1., 2., 5.], bins=2, range=(0, 10))
    tensor([ 0.,  5., 10.])
    """
    return _edges('histogram_bin_edges', as_tensor(a).reshape(-1), bins, range, weights)


def histogram(a: Any, bins: Any = 10, range: tuple[float, float] | None = None,
              weights: Any = None, density: bool | None = None) -> tuple[Tensor, Tensor]:
    """The histogram of ``a`` (flattened): ``(hist, bin_edges)`` (``numpy.histogram``).

    ``bins``: a number of equal bins over ``range`` (default: the data's min and
    max), an increasing array of edges, or a NumPy rule name (``'auto'``...). Bins
    are half-open except the last, which includes its right edge; values outside
    are ignored. Counts are int64; with ``weights`` the sums of weights; with
    ``density=True`` a probability density (the integral over the range is 1).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.histogram([1, 2, 1], bins=[0, 1, 2, 3])
    (tensor([0, 2, 1]), tensor([0, 1, 2, 3]))
    >>> bm.histogram([0.5, 1.5], bins=2, range=(0, 2), density=True)[0]
    tensor([0.5000, 0.5000])
    """
    x = as_tensor(a).reshape(-1)
    edges = _edges('histogram', x, bins, range, weights)
    idx, inside = _bin_index(x, edges)
    w = None if weights is None else _on(weights, x).reshape(-1)
    if w is not None and w.shape != x.shape:
        raise ValueError(f'histogram: weights must have the shape of a, got {tuple(w.shape)}')
    hist = _counts(idx, inside, w, edges.shape[0] - 1)
    if density:
        widths = torch.diff(edges).to(_to_float(hist).dtype)
        hist = _to_float(hist)
        hist = hist / widths / hist.sum()
    return hist, edges


def histogramdd(sample: Any, bins: Any = 10, range: Sequence | None = None, weights: Any = None,
                density: bool | None = None) -> tuple[Tensor, list[Tensor]]:
    """The D-dimensional histogram of ``N`` points: ``(H, edges)`` (``numpy.histogramdd``).

    ``sample`` is an ``(N, D)`` array or (as in NumPy, any list) a sequence of D
    arrays of length N;
    ``bins`` is one value for every dimension or one per dimension (each as in
    :func:`histogram`, rule names excepted); ``range`` is one ``(min, max)`` per dimension.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> H, edges = bm.histogramdd(bm.asarray([[0., 0.], [1., 1.], [1., 0.9]]), bins=2)
    >>> H
    tensor([[1., 0.],
            [0., 2.]])
    >>> len(edges)
    2
    """
    if isinstance(sample, (list, tuple)):
        cols = [as_tensor(s).reshape(-1) for s in sample]
        dev = next((c.device for c in cols), None)
        pts = torch.stack([c.to(dev) for c in cols], dim=1)
    else:
        pts = as_tensor(sample)
        if pts.ndim == 1:
            pts = pts.unsqueeze(1)
    if pts.ndim != 2:
        raise ValueError(f'histogramdd: sample must be (N, D), got shape {tuple(pts.shape)}')
    n, d = pts.shape
    if isinstance(bins, (int, np.integer)):
        bins_d = [bins] * d
    else:
        bins_d = list(bins)
        if len(bins_d) != d:
            raise ValueError(f'histogramdd: bins must be an int or one entry per dimension '
                             f'({d}), got {len(bins_d)}')
    if builtins.any(isinstance(b, str) for b in bins_d):
        raise NotImplementedError('histogramdd: bin rule names (strings) are not supported; '
                                  'give numbers of bins or edges')
    ranges = [None] * d if range is None else list(range)
    edges, flat, inside = [], None, torch.ones(n, dtype=torch.bool, device=pts.device)
    nbins = []
    for k in builtins.range(d):
        e = _edges('histogramdd', pts[:, k], bins_d[k], ranges[k])
        i, ins = _bin_index(pts[:, k].contiguous(), e)
        edges.append(e)
        nbins.append(e.shape[0] - 1)
        inside = inside & ins
        flat = i if flat is None else flat * nbins[-1] + i
    w = None if weights is None else _on(weights, pts).reshape(-1)
    h = _counts(flat, inside, w, int(np.prod(nbins)))
    h = _to_float(h).reshape(nbins)
    if density:
        vol = torch.ones((), dtype=h.dtype, device=h.device)
        for k, e in enumerate(edges):
            shape = [1] * d
            shape[k] = -1
            vol = vol * torch.diff(e).to(h.dtype).reshape(shape)
        h = h / vol / h.sum()
    return h, edges


def histogram2d(x: Any, y: Any, bins: Any = 10, range: Sequence | None = None,
                weights: Any = None, density: bool | None = None) -> tuple[Tensor, Tensor, Tensor]:
    """The 2-D histogram of points ``(x, y)``: ``(H, xedges, yedges)`` (``numpy.histogram2d``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> H, xe, ye = bm.histogram2d([0., 1., 1.], [0., 1., 0.9], bins=2)
    >>> H
    tensor([[1., 0.],
            [0., 2.]])
    """
    xt = as_tensor(x)
    yt = _on(y, xt)
    if isinstance(bins, (int, np.integer)) or (hasattr(bins, '__len__') and len(bins) != 2):
        bins = [bins, bins]
    h, edges = histogramdd([xt, yt], bins, range, weights, density)
    return h, edges[0], edges[1]


def bincount(x: Any, weights: Any = None, minlength: int | None = 0, *,
             length: int | None = None) -> Tensor:
    """The number of occurrences of each value in an array of non-negative ints
    (``numpy.bincount``): ``max(x) + 1`` bins, at least ``minlength``; with ``weights`` their
    sums. ``length`` (JAX's) gives exactly that many bins (larger values are dropped).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.bincount([0, 1, 1, 3])
    tensor([1, 2, 0, 1])
    >>> bm.bincount([0, 1, 1], weights=[0.5, 1., 1.], minlength=4)
    tensor([0.5000, 2.0000, 0.0000, 0.0000])
    """
    t = as_tensor(x)
    if t.ndim != 1 or t.is_floating_point() or t.is_complex() or t.dtype == torch.bool:
        raise TypeError(f'bincount: x must be a 1-D array of non-negative integers, got '
                        f'{t.dtype} of shape {tuple(t.shape)}')
    w = None if weights is None else _to_float(_on(weights, t))
    if length is not None:
        keep = t < length
        return _counts(t.to(torch.int64), keep, w, int(length))
    return torch.bincount(t, weights=w, minlength=int(minlength or 0))


def digitize(x: Any, bins: Any, right: bool = False) -> Tensor:
    """The index of the bin each value of ``x`` falls in (``numpy.digitize``).

    For increasing ``bins``: ``i`` with ``bins[i-1] <= x < bins[i]`` (``right=True``:
    ``bins[i-1] < x <= bins[i]``); decreasing ``bins`` mirror that. Values below
    the first edge give 0, above the last ``len(bins)``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.digitize([0.2, 6.4, 3.0, 1.6], [0., 1., 2.5, 4., 10.])
    tensor([1, 4, 3, 2])
    >>> bm.digitize([1., 2.], [1., 2.], right=True)
    tensor([0, 1])
    """
    xt = as_tensor(x)
    b = _on(bins, xt)
    if b.ndim != 1:
        raise ValueError('digitize: bins must be a 1-D array')
    dt = torch.promote_types(xt.dtype, b.dtype)
    xt, b = xt.to(dt), b.to(dt)
    inc = torch.searchsorted(b, xt, right=not right)
    dec = b.shape[0] - torch.searchsorted(torch.flip(b, (0,)), xt, right=not right)
    if b.shape[0] < 2:
        return inc
    return torch.where(b[-1] < b[0], dec, inc)
