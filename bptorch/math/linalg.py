"""``bm.linalg``: NumPy's linear algebra names over ``torch.linalg``.

The names, arguments and return structures are ``numpy.linalg``'s (those BrainPy
2.1 exposes): ``svd`` returns ``(U, S, Vh)``, ``lstsq`` returns
``(x, residuals, rank, s)``, ``slogdet`` returns ``(sign, logabsdet)``, ``qr``
follows ``mode``. Inputs may be tensors, Variables, NumPy arrays or lists;
integer input is computed in the default float (NumPy: float64). Everything is
batched over leading axes where NumPy is, runs on the input's device, and is
differentiable where torch's kernels are (all but ``lstsq``'s rank and
``matrix_rank``).

Differences from NumPy
----------------------
* ``eig`` and ``eigvals`` always return complex arrays (as JAX, hence BrainPy 2.1);
  NumPy returns real ones when every eigenvalue is real.
* Singular and non-positive-definite matrices raise torch's
  ``torch.linalg.LinAlgError`` (a ``RuntimeError``) where NumPy raises
  ``numpy.linalg.LinAlgError`` (a ``ValueError``); JAX returned NaNs.
* ``pinv(rcond=None)`` cuts singular values at ``10 * max(M, N) * eps`` relative
  to the largest, as ``jnp.linalg.pinv`` (what BrainPy 2.1 ran); NumPy uses 1e-15.
* ``lstsq`` is eager only: the shape of its residuals depends on the computed rank.

Examples
--------
>>> import bptorch.math as bm
>>> round(float(bm.linalg.det([[1., 2.], [3., 4.]])), 4)
-2.0
>>> x = bm.linalg.solve([[2., 0.], [0., 4.]], [2., 2.])
>>> x
tensor([1.0000, 0.5000])
"""

from __future__ import annotations

from typing import Any, Sequence

import torch
from torch import Tensor

from bptorch.math import settings
from bptorch.math.ops import _to_float
from bptorch.math.variables import Variable, as_tensor

__all__ = [
    'cholesky', 'cond', 'det', 'eig', 'eigh', 'eigvals', 'eigvalsh', 'inv', 'svd', 'lstsq',
    'matrix_power', 'matrix_rank', 'norm', 'pinv', 'qr', 'solve', 'slogdet', 'tensorinv',
    'tensorsolve', 'multi_dot',
]


def _f(a: Any) -> Tensor:
    """``a`` as a floating (or complex) tensor."""
    return _to_float(as_tensor(a))


def _pair(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    """Two operands as floating tensors of one dtype, on the device of the first tensor."""
    dev = next((x.device for x in (a, b) if isinstance(x, (Tensor, Variable))), None)
    x, y = (_f(v if isinstance(v, (Tensor, Variable)) else as_tensor(v, device=dev)) for v in (a, b))
    dt = torch.promote_types(x.dtype, y.dtype)
    return x.to(dt), y.to(dt)


def _square(name: str, a: Tensor) -> None:
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ValueError(f'{name}: expected square matrices (shape (..., M, M)), got shape '
                         f'{tuple(a.shape)}')


def cholesky(a: Any, *, upper: bool = False) -> Tensor:
    """The lower Cholesky factor ``L`` of a Hermitian positive-definite ``a`` (``a = L L^H``;
    ``upper=True``: the upper factor ``L^H``, NumPy 2's keyword).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.linalg.cholesky([[4., 2.], [2., 3.]])
    tensor([[2.0000, 0.0000],
            [1.0000, 1.4142]])
    """
    a = _f(a)
    _square('cholesky', a)
    return torch.linalg.cholesky(a, upper=upper)


def cond(x: Any, p: Any = None) -> Tensor:
    """The condition number of ``x`` in the norm ``p`` (None: 2-norm, via singular values;
    also ``'fro'``, ``'nuc'``, ``inf``, ``-inf``, ``1``, ``-1``, ``2``, ``-2``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.linalg.cond([[1., 0.], [0., 4.]])
    tensor(4.)
    """
    return torch.linalg.cond(_f(x), p)


def det(a: Any) -> Tensor:
    """The determinant of (a stack of) square matrices.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.linalg.det(bm.eye(3) * 2)
    tensor(8.)
    """
    a = _f(a)
    _square('det', a)
    return torch.linalg.det(a)


def eig(a: Any) -> tuple[Tensor, Tensor]:
    """Eigenvalues ``w`` and right eigenvectors ``v`` (columns) of square matrices, both
    complex (``a @ v[:, i] == w[i] * v[:, i]``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> w, v = bm.linalg.eig([[2., 0.], [0., 3.]])
    >>> w
    tensor([2.+0.j, 3.+0.j])
    """
    a = _f(a)
    _square('eig', a)
    w, v = torch.linalg.eig(a)
    return w, v


def _uplo(name: str, UPLO: str) -> str:
    if UPLO not in ('L', 'U'):
        raise ValueError(f"{name}(UPLO): expected 'L' or 'U', got {UPLO!r}")
    return UPLO


def eigh(a: Any, UPLO: str = 'L') -> tuple[Tensor, Tensor]:
    """Eigenvalues (ascending, real) and eigenvectors (columns) of Hermitian matrices,
    reading the lower (``UPLO='L'``) or upper triangle.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> w, v = bm.linalg.eigh([[2., 1.], [1., 2.]])
    >>> w
    tensor([1., 3.])
    """
    a = _f(a)
    _square('eigh', a)
    w, v = torch.linalg.eigh(a, UPLO=_uplo('eigh', UPLO))
    return w, v


def eigvals(a: Any) -> Tensor:
    """The (complex) eigenvalues of square matrices.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.linalg.eigvals([[0., -1.], [1., 0.]])
    tensor([0.+1.j, 0.-1.j])
    """
    a = _f(a)
    _square('eigvals', a)
    return torch.linalg.eigvals(a)


def eigvalsh(a: Any, UPLO: str = 'L') -> Tensor:
    """The (real, ascending) eigenvalues of Hermitian matrices.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.linalg.eigvalsh([[2., 1.], [1., 2.]])
    tensor([1., 3.])
    """
    a = _f(a)
    _square('eigvalsh', a)
    return torch.linalg.eigvalsh(a, UPLO=_uplo('eigvalsh', UPLO))


def inv(a: Any) -> Tensor:
    """The inverse of (a stack of) square matrices.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.linalg.inv([[2., 0.], [0., 4.]])
    tensor([[0.5000, 0.0000],
            [0.0000, 0.2500]])
    """
    a = _f(a)
    _square('inv', a)
    return torch.linalg.inv(a)


def svd(a: Any, full_matrices: bool = True, compute_uv: bool = True,
        hermitian: bool = False) -> tuple[Tensor, Tensor, Tensor] | Tensor:
    """Singular value decomposition ``a = U @ diag(S) @ Vh`` (``numpy.linalg.svd``).

    Returns ``(U, S, Vh)`` with ``S`` descending; ``full_matrices=False`` gives the
    reduced factors; ``compute_uv=False`` returns ``S`` only. ``hermitian=True``
    computes it from ``eigh`` (``a`` must then be Hermitian).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> u, s, vh = bm.linalg.svd(bm.ones((3, 2)), full_matrices=False)
    >>> u.shape, s.shape, vh.shape
    (torch.Size([3, 2]), torch.Size([2]), torch.Size([2, 2]))
    >>> bm.linalg.svd([[3., 0.], [0., -4.]], compute_uv=False)
    tensor([4., 3.])
    """
    a = _f(a)
    if a.ndim < 2:
        raise ValueError(f'svd: expected an array with at least 2 dimensions, got shape '
                         f'{tuple(a.shape)}')
    if hermitian:
        _square('svd(hermitian=True)', a)
        w, v = torch.linalg.eigh(a)
        s = w.abs()
        order = torch.argsort(s, dim=-1, descending=True)
        s = torch.take_along_dim(s, order, dim=-1)
        if not compute_uv:
            return s
        sign = torch.sgn(torch.take_along_dim(w, order, dim=-1)).to(v.dtype)
        u = torch.take_along_dim(v, order.unsqueeze(-2), dim=-1)
        vh = (u * sign.unsqueeze(-2)).mH.resolve_conj()
        return u, s, vh
    if not compute_uv:
        return torch.linalg.svdvals(a)
    u, s, vh = torch.linalg.svd(a, full_matrices=full_matrices)
    return u, s, vh


def lstsq(a: Any, b: Any, rcond: float | None = None) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """Least-squares solution ``x`` of ``a @ x = b`` (``numpy.linalg.lstsq``), via the SVD.

    Returns ``(x, residuals, rank, s)``: ``residuals`` are the squared 2-norms of
    ``b - a @ x`` per column of ``b`` (shape ``(K,)``; ``(1,)`` for a 1-D ``b``) when
    ``a`` has full column rank and more rows than columns, else an empty array;
    ``rank`` is a 0-d int64 tensor; ``s`` holds the singular values of ``a``. Singular
    values at most ``rcond * max(s)`` count as zero (``rcond=None``: ``eps * max(M, N)``).
    Eager only (the residuals' shape depends on the rank); ``x`` is differentiable.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> a = bm.asarray([[1., 0.], [0., 1.], [1., 1.]])
    >>> x, res, rank, s = bm.linalg.lstsq(a, [1., 1., 3.])
    >>> x, res, int(rank)
    (tensor([1.3333, 1.3333]), tensor([0.3333]), 2)
    """
    a, b = _pair(a, b)
    if a.ndim != 2:
        raise ValueError(f'lstsq: a must be a 2-D array, got shape {tuple(a.shape)}')
    if b.ndim not in (1, 2) or b.shape[0] != a.shape[0]:
        raise ValueError(f'lstsq: b must have shape ({a.shape[0]},) or ({a.shape[0]}, K), got '
                         f'{tuple(b.shape)}')
    m, n = a.shape
    vector = b.ndim == 1
    bm_ = b.unsqueeze(-1) if vector else b
    u, s, vh = torch.linalg.svd(a, full_matrices=False)
    if rcond is None or rcond < 0:
        rcond = torch.finfo(s.dtype).eps * max(m, n)
    cutoff = rcond * s.max() if s.numel() else s.new_zeros(())
    keep = s > cutoff
    rank = keep.sum()
    s_inv = torch.where(keep, 1 / torch.where(keep, s, 1), 0).to(u.dtype)
    x = vh.mH @ (s_inv.unsqueeze(-1) * (u.mH @ bm_))
    if int(rank) == n and m > n:
        resid = ((bm_ - a @ x).abs() ** 2).sum(0)
    else:
        resid = torch.empty((0,), dtype=s.dtype, device=a.device)
    return (x.squeeze(-1) if vector else x), resid, rank, s


def matrix_power(a: Any, n: int) -> Tensor:
    """``a`` raised to the integer power ``n`` (negative: of the inverse).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.linalg.matrix_power([[1., 1.], [0., 1.]], 3)
    tensor([[1., 3.],
            [0., 1.]])
    """
    a = as_tensor(a)
    if n < 0:
        a = _to_float(a)
    _square('matrix_power', a)
    return torch.linalg.matrix_power(a, int(n))


def matrix_rank(M: Any, tol: float | None = None, hermitian: bool = False) -> Tensor:
    """The rank of (a stack of) matrices: singular values above ``tol`` (None:
    ``max(s) * max(M, N) * eps``), as an int64 tensor. 1-D input: 1 unless all zeros.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.linalg.matrix_rank([[1., 2.], [2., 4.]])
    tensor(1)
    >>> bm.linalg.matrix_rank(bm.eye(3))
    tensor(3)
    """
    m = _f(M)
    if m.ndim < 2:
        return (m != 0).any().to(torch.int64)
    if tol is None:
        return torch.linalg.matrix_rank(m, hermitian=hermitian)
    return torch.linalg.matrix_rank(m, atol=tol, rtol=0.0, hermitian=hermitian)


def norm(x: Any, ord: Any = None, axis: int | Sequence[int] | None = None,
         keepdims: bool = False) -> Tensor:
    """Vector or matrix norm (``numpy.linalg.norm``).

    ``axis=None``: the 2-norm of the flattened array if ``ord`` is None, else the
    vector norm (1-D) or matrix norm (2-D) of order ``ord``. An int ``axis`` gives
    vector norms along it; a 2-tuple gives matrix norms (``ord`` in ``'fro'``,
    ``'nuc'``, ``inf``, ``-inf``, ``1``, ``-1``, ``2``, ``-2``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.linalg.norm([3., 4.])
    tensor(5.)
    >>> bm.linalg.norm([[1., -2.], [3., 4.]], ord=1, axis=1, keepdims=True)
    tensor([[3.],
            [7.]])
    >>> bm.linalg.norm([[1., 2.], [3., 4.]], ord='fro')
    tensor(5.4772)
    """
    t = _f(x)
    if axis is not None and not isinstance(axis, int):
        axis = tuple(int(a) for a in axis)
        if len(axis) not in (1, 2):
            raise ValueError(f'norm(axis): expected an int or a 2-tuple, got {axis}')
        if len(axis) == 1:
            axis = axis[0]
    if isinstance(ord, str) and ord not in ('fro', 'nuc'):
        raise ValueError(f"norm(ord): invalid norm order {ord!r} (expected 'fro', 'nuc' or a number)")
    if axis is None and ord is not None and t.ndim not in (1, 2):
        raise ValueError(f'norm: an ord other than None needs a 1-D or 2-D input (or axis), got '
                         f'shape {tuple(t.shape)}')
    return torch.linalg.norm(t, ord, dim=axis, keepdim=keepdims)


def pinv(a: Any, rcond: float | None = None, hermitian: bool = False) -> Tensor:
    """The Moore-Penrose pseudo-inverse, from the SVD (``numpy.linalg.pinv``).

    Singular values at most ``rcond * max(s)`` are dropped; ``rcond=None`` means
    ``10 * max(M, N) * eps``, as ``jnp.linalg.pinv`` (BrainPy 2.1).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.linalg.pinv([[1., 0.], [0., 0.]])
    tensor([[1., 0.],
            [0., 0.]])
    """
    t = _f(a)
    if t.ndim < 2:
        raise ValueError(f'pinv: expected an array with at least 2 dimensions, got shape '
                         f'{tuple(t.shape)}')
    if rcond is None:
        rcond = 10 * max(t.shape[-2:]) * torch.finfo(t.dtype).eps
    return torch.linalg.pinv(t, rtol=rcond, hermitian=hermitian)


def qr(a: Any, mode: str = 'reduced') -> tuple[Tensor, Tensor] | Tensor:
    """QR decomposition (``numpy.linalg.qr``).

    ``mode='reduced'`` (Q: (M, K), R: (K, N), K = min(M, N)), ``'complete'`` (Q: (M, M),
    R: (M, N)), ``'r'`` (R only) or ``'raw'`` (``(h, tau)``: the Householder reflectors,
    laid out as NumPy's, shape (N, M), and their scaling factors).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> q, r = bm.linalg.qr(bm.ones((3, 2)))
    >>> q.shape, r.shape
    (torch.Size([3, 2]), torch.Size([2, 2]))
    >>> bm.linalg.qr(bm.ones((3, 2)), mode='r').shape
    torch.Size([2, 2])
    """
    t = _f(a)
    if t.ndim < 2:
        raise ValueError(f'qr: expected an array with at least 2 dimensions, got shape '
                         f'{tuple(t.shape)}')
    if mode in ('reduced', 'complete'):
        q, r = torch.linalg.qr(t, mode=mode)
        return q, r
    if mode == 'r':
        return torch.linalg.qr(t, mode='r')[1]
    if mode == 'raw':
        h, tau = torch.geqrf(t)
        return h.mT, tau
    raise ValueError(f"qr(mode): expected 'reduced', 'complete', 'r' or 'raw', got {mode!r}")


def solve(a: Any, b: Any) -> Tensor:
    """The solution ``x`` of ``a @ x = b`` for square ``a`` (``numpy.linalg.solve``).

    As in NumPy 2, ``b`` is a vector only when it is 1-D; otherwise it is (a stack
    of) matrices with the solve done column by column, broadcasting leading axes.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.linalg.solve([[1., 1.], [1., -1.]], [3., 1.])
    tensor([2., 1.])
    >>> bm.linalg.solve(bm.eye(2) * 2, bm.ones((2, 3))).shape
    torch.Size([2, 3])
    """
    a, b = _pair(a, b)
    _square('solve', a)
    if b.ndim == 1:
        return torch.linalg.solve(a, b.unsqueeze(-1)).squeeze(-1)
    batch = torch.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = a.expand(batch + a.shape[-2:])
    b = b.expand(batch + b.shape[-2:])
    return torch.linalg.solve(a, b)


def slogdet(a: Any) -> tuple[Tensor, Tensor]:
    """The sign and the natural log of the absolute determinant: ``(sign, logabsdet)``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.linalg.slogdet([[-2., 0.], [0., 3.]])
    (tensor(-1.), tensor(1.7918))
    """
    a = _f(a)
    _square('slogdet', a)
    sign, logabsdet = torch.linalg.slogdet(a)
    return sign, logabsdet


def tensorinv(a: Any, ind: int = 2) -> Tensor:
    """The inverse of ``a`` seen as a linear map from its first ``ind`` axes to the rest
    (``numpy.linalg.tensorinv``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.linalg.tensorinv(bm.eye(4).reshape(4, 2, 2), ind=1).shape
    torch.Size([2, 2, 4])
    """
    return torch.linalg.tensorinv(_f(a), ind=ind)


def tensorsolve(a: Any, b: Any, axes: Sequence[int] | None = None) -> Tensor:
    """The ``x`` with ``tensordot(a, x, x.ndim) == b`` (``numpy.linalg.tensorsolve``);
    ``axes`` are moved to the end of ``a`` first.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.linalg.tensorsolve(bm.eye(4).reshape(2, 2, 4), bm.ones((2, 2))).shape
    torch.Size([4])
    """
    a, b = _pair(a, b)
    return torch.linalg.tensorsolve(a, b, dims=None if axes is None else tuple(axes))


def multi_dot(arrays: Sequence[Any]) -> Tensor:
    """The product of matrices in the order that costs least (``numpy.linalg.multi_dot``);
    the first and last may be 1-D.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.linalg.multi_dot([[1., 2.], bm.eye(2), [[1.], [1.]]])
    tensor([3.])
    """
    items = list(arrays)
    if len(items) < 2:
        raise ValueError('multi_dot: expected at least two arrays')
    dev = next((x.device for x in items if isinstance(x, (Tensor, Variable))), None)
    ts = [as_tensor(x, device=None if isinstance(x, (Tensor, Variable)) else dev) for x in items]
    dt = ts[0].dtype
    for t in ts[1:]:
        dt = torch.promote_types(dt, t.dtype)
    if not (dt.is_floating_point or dt.is_complex):
        dt = settings.float_()
    return torch.linalg.multi_dot([t.to(dt) for t in ts])
