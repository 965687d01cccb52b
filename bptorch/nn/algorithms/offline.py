r"""Offline training algorithms (BrainPy 2.1.12's ``brainpy.nn.algorithms.offline``).

An offline algorithm maps collected data to weights: ``W = method(targets,
inputs)``, with ``inputs`` of shape ``(num_sample, num_time, num_input)`` (or
``(num_time, num_input)``) and ``targets`` of ``(..., num_output)``; samples and
time steps are pooled. Dense nodes put a column of ones first for their bias.

Examples
--------
>>> import torch, bptorch as bp
>>> x = torch.randn(1, 50, 3, dtype=torch.float64)
>>> w = torch.tensor([[1.], [-2.], [0.5]], dtype=torch.float64)
>>> fit = bp.nn.algorithms.RidgeRegression(beta=0.)
>>> torch.allclose(fit(x @ w, x), w)
True
>>> bp.nn.algorithms.get_supported_offline_methods()
('ridge', 'linear', 'lstsq', 'lasso')
"""

from __future__ import annotations

from typing import Any, Callable

import torch

from bptorch.base.base import Base
from bptorch.math.variables import as_tensor
from bptorch.nn._checks import check_float, check_integer, register_method, registered_method

__all__ = ['OfflineAlgorithm', 'RidgeRegression', 'LinearRegression', 'LassoRegression',
           'get_supported_offline_methods', 'register_offline_method']

name2func: dict[str, Callable] = {}


def _as_2d(x: Any, name: str) -> torch.Tensor:
    x = as_tensor(x)
    if x.ndim == 3:
        return x.reshape(-1, x.shape[2])
    if x.ndim == 2:
        return x
    raise ValueError(f'"{name}" must be a 3D tensor (num_sample, num_time, num_feature) or a 2D '
                     f'one (num_time, num_feature), but we got the shape {tuple(x.shape)}')


def _data(targets: Any, inputs: Any) -> tuple[torch.Tensor, torch.Tensor]:
    x, y = _as_2d(inputs, 'inputs'), _as_2d(targets, 'targets')
    if x.shape[0] != y.shape[0]:
        raise ValueError(f'inputs and targets have {x.shape[0]} and {y.shape[0]} samples; they '
                         f'must have the same number')
    if not x.is_floating_point():
        x = x.to(torch.get_default_dtype())
    return x, y.to(x.dtype)


class OfflineAlgorithm(Base):
    """The base class of offline training algorithms: ``__call__(targets, inputs, outputs=None)``
    returns the weights ``(num_input, num_output)``.

    Examples
    --------
    >>> import torch, bptorch as bp
    >>> class Zeros(bp.nn.algorithms.OfflineAlgorithm):
    ...     def __call__(self, targets, inputs, outputs=None):
    ...         return torch.zeros(inputs.shape[-1], targets.shape[-1])
    >>> Zeros()(torch.ones(1, 5, 2), torch.ones(1, 5, 3)).shape
    torch.Size([3, 2])
    """

    def __init__(self, name: str | None = None):
        super().__init__(name=name)

    def __call__(self, targets, inputs, outputs=None) -> torch.Tensor:
        raise NotImplementedError('Must implement the __call__ function by the subclass itself.')

    def __repr__(self) -> str:
        return type(self).__name__


class RidgeRegression(OfflineAlgorithm):
    r"""Ridge regression (Tikhonov regularization):
    :math:`W = (X^T X + \beta I)^{+} X^T Y`.

    The pseudo-inverse cuts singular values below ``10 * n * eps`` times the
    largest (``jnp.linalg.pinv``'s default, which BrainPy uses).

    Parameters
    ----------
    beta : float
        The regularization coefficient (default 1e-7).

    Examples
    --------
    >>> import torch, bptorch as bp
    >>> x = torch.eye(2, dtype=torch.float64)
    >>> bp.nn.algorithms.RidgeRegression(beta=1.)(x, x)
    tensor([[0.5000, 0.0000],
            [0.0000, 0.5000]], dtype=torch.float64)
    """

    def __init__(self, beta: float = 1e-7, name: str | None = None):
        super().__init__(name=name)
        check_float(beta, 'beta', min_bound=0.)
        self.beta = beta

    def __call__(self, targets, inputs, outputs=None) -> torch.Tensor:
        x, y = _data(targets, inputs)
        with torch.no_grad():
            temp = x.T @ x
            if self.beta > 0.:
                temp = temp + self.beta * torch.eye(x.shape[1], dtype=x.dtype, device=x.device)
            rtol = 10. * x.shape[1] * torch.finfo(x.dtype).eps
            return torch.linalg.pinv(temp, rtol=rtol, hermitian=True) @ (x.T @ y)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(beta={self.beta})'


class LinearRegression(OfflineAlgorithm):
    """Least squares: ``W = lstsq(X, Y)`` (``torch.linalg.lstsq``).

    Examples
    --------
    >>> import torch, bptorch as bp
    >>> x = torch.tensor([[1., 0.], [0., 1.], [1., 1.]], dtype=torch.float64)
    >>> bp.nn.algorithms.LinearRegression()(x @ torch.tensor([[2.], [3.]], dtype=torch.float64), x)
    tensor([[2.0000],
            [3.0000]], dtype=torch.float64)
    """

    def __init__(self, name: str | None = None):
        super().__init__(name=name)

    def __call__(self, targets, inputs, outputs=None) -> torch.Tensor:
        x, y = _data(targets, inputs)
        with torch.no_grad():
            return torch.linalg.lstsq(x, y).solution


class LassoRegression(OfflineAlgorithm):
    r"""Lasso regression: the minimum of
    :math:`\frac{1}{2n}\lVert X W - Y \rVert^2 + \alpha \lVert W \rVert_1`
    (``n`` samples), by ``max_iter`` steps of FISTA (accelerated proximal gradient).

    BrainPy 2.1.12 declared this class without implementing it. Every column of
    ``X`` is penalized, the ones of a Dense node's bias included.

    Parameters
    ----------
    alpha : float
        The L1 coefficient (default 1.0; 0 gives least squares).
    max_iter : int
        The number of iterations (default 1000).

    Examples
    --------
    >>> import torch, bptorch as bp
    >>> x = torch.eye(3, dtype=torch.float64) * 3 ** 0.5
    >>> y = torch.tensor([[2.], [0.1], [-1.]], dtype=torch.float64) * 3 ** 0.5
    >>> bp.nn.algorithms.LassoRegression(alpha=0.5)(y, x).flatten()
    tensor([ 1.5000,  0.0000, -0.5000], dtype=torch.float64)
    """

    def __init__(self, alpha: float = 1.0, max_iter: int = 1000, name: str | None = None):
        super().__init__(name=name)
        check_float(alpha, 'alpha', min_bound=0.)
        check_integer(max_iter, 'max_iter', min_bound=1)
        self.alpha = alpha
        self.max_iter = max_iter

    def __call__(self, targets, inputs, outputs=None) -> torch.Tensor:
        x, y = _data(targets, inputs)
        n = x.shape[0]
        with torch.no_grad():
            gram = x.T @ x / n
            xty = x.T @ y / n
            lipschitz = torch.linalg.eigvalsh(gram).max().clamp_min(torch.finfo(x.dtype).tiny)
            step = 1. / lipschitz
            w = torch.zeros(x.shape[1], y.shape[1], dtype=x.dtype, device=x.device)
            z, t = w, 1.
            for _ in range(self.max_iter):
                g = z - step * (gram @ z - xty)
                w_new = torch.sign(g) * torch.clamp(g.abs() - step * self.alpha, min=0.)
                t_new = (1. + (1. + 4. * t * t) ** 0.5) / 2.
                z = w_new + ((t - 1.) / t_new) * (w_new - w)
                w, t = w_new, t_new
            return w

    def __repr__(self) -> str:
        return f'{type(self).__name__}(alpha={self.alpha}, max_iter={self.max_iter})'


name2func['ridge'] = RidgeRegression
name2func['linear'] = LinearRegression
name2func['lstsq'] = LinearRegression
name2func['lasso'] = LassoRegression


def get_supported_offline_methods() -> tuple:
    """The names of the offline methods.

    Examples
    --------
    >>> import bptorch as bp
    >>> 'ridge' in bp.nn.algorithms.get_supported_offline_methods()
    True
    """
    return tuple(name2func.keys())


def register_offline_method(name: str, method: Callable) -> None:
    """Register an offline method (a class or a callable) under ``name``.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.nn.algorithms.register_offline_method('ridge', print)
    Traceback (most recent call last):
    ...
    ValueError: "ridge" has been registered in offline training methods.
    """
    register_method(name2func, 'offline', name, method)


def get(name: str) -> Callable:
    """The offline method registered as ``name``."""
    return registered_method(name2func, 'offline', name)
