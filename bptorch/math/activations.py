"""Activation functions: ``bm.activations`` (BrainPy 2.1's ``brainpy.math.activations``).

The formulas, defaults and gradient conventions are BrainPy's (which are JAX's
``jax.nn``): ``gelu`` is the tanh approximation unless ``approximate=False``,
``leaky_relu`` has slope 0.01 below zero and slope 1 at zero, ``one_hot`` gives the
default float and zeros for out-of-range indices, ``normalize`` uses
``mean(x**2) - mean(x)**2`` with ``epsilon=1e-5``. Where BrainPy writes
``where(x > 0, x, alpha * expm1(x))`` (``elu``, ``celu``, ``selu``) the exponential
is taken of ``min(x, 0)``, so that large inputs give no ``inf`` in the unused branch
and no NaN gradient; the values are the same.

Every name of BrainPy's ``__all__`` is here and, except ``tanh`` and ``identity``,
also at ``bm.*`` (``bm.relu`` is ``bm.activations.relu``). As in BrainPy,
``bm.tanh`` is NumPy's ``tanh`` (the same function) and ``bm.identity`` is
NumPy's ``identity`` (an identity matrix), while ``bm.activations.identity(x)``
returns ``x``.

Inputs may be tensors, Variables, NumPy arrays, lists or Python numbers; integer
inputs give the default float (as JAX promotes them), except for ``relu``,
``hard_tanh`` and ``identity``, which keep the dtype.

Examples
--------
>>> import bptorch.math as bm
>>> bm.relu([-1., 2.])
tensor([0., 2.])
>>> bm.activations.get('sigmoid') is bm.sigmoid
True
"""

from __future__ import annotations

from typing import Any, Callable, Sequence, Union

import torch
import torch.nn.functional as F
from torch import Tensor

from bptorch.math import settings
from bptorch.math.ops import _dt, tanh
from bptorch.math.variables import as_tensor

__all__ = [
    'celu', 'elu', 'gelu', 'glu', 'hard_tanh', 'hard_sigmoid', 'hard_silu', 'hard_swish',
    'leaky_relu', 'log_sigmoid', 'log_softmax', 'one_hot', 'normalize', 'standardize',
    'relu', 'relu6', 'sigmoid', 'soft_sign', 'softmax', 'softplus', 'silu', 'swish', 'selu',
    'identity', 'tanh',
]

Axis = Union[int, Sequence[int], None]

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _float(x: Any) -> Tensor:
    """``x`` as a tensor; integers and bools become the default float."""
    t = as_tensor(x)
    if t.is_floating_point() or t.is_complex():
        return t
    return t.to(settings.float_())


def _param(p: Any, ref: Tensor) -> Any:
    """A parameter such as ``alpha``: numbers stay numbers, arrays go to ``ref``'s device."""
    if isinstance(p, (int, float)):
        return p
    return as_tensor(p, device=ref.device)


def _dims(axis: Axis, ndim: int, api: str) -> tuple[int, ...]:
    """``axis`` (an int, a sequence of ints or None for all) as a tuple of dims."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    out = []
    for a in axes:
        if not isinstance(a, int):
            raise TypeError(f'{api}: axis must be an int, a sequence of ints or None, got {axis!r}')
        if not -max(ndim, 1) <= a < max(ndim, 1):
            raise ValueError(f'{api}: axis {a} is out of bounds for an array of dimension {ndim}')
        out.append(a % max(ndim, 1))
    return tuple(out)


def get(activation: str | Callable | None) -> Callable | None:
    """The activation function named ``activation`` (BrainPy's ``activations.get``).

    A callable is returned as it is, ``None`` gives ``None``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.activations.get('relu')([-1., 1.])
    tensor([0., 1.])
    >>> bm.activations.get(None) is None
    True
    """
    if activation is None:
        return None
    if isinstance(activation, str):
        if activation not in __all__:
            raise ValueError(f'Unknown activation function: {activation!r}; we only support: '
                             f'{sorted(__all__)}')
        return globals()[activation]
    if callable(activation):
        return activation
    raise ValueError(f'Unknown activation function {activation!r}: expected a name or a callable')


def identity(x: Any) -> Tensor:
    """The identity activation: ``x`` itself, as a tensor.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.activations.identity([1, 2])
    tensor([1, 2])
    """
    return as_tensor(x)


def celu(x: Any, alpha: Any = 1.0) -> Tensor:
    r"""Continuously-differentiable exponential linear unit.

    :math:`x` for :math:`x > 0`, else :math:`\alpha (\exp(x / \alpha) - 1)`.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.celu([-1., 0., 2.], alpha=2.)
    tensor([-0.7869,  0.0000,  2.0000])
    """
    x = _float(x)
    alpha = _param(alpha, x)
    return torch.where(x > 0, x, alpha * torch.expm1(torch.clamp(x, max=0) / alpha))


def elu(x: Any, alpha: Any = 1.0) -> Tensor:
    r"""Exponential linear unit: :math:`x` for :math:`x > 0`, else :math:`\alpha (e^x - 1)`.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.elu([-1., 2.])
    tensor([-0.6321,  2.0000])
    """
    x = _float(x)
    alpha = _param(alpha, x)
    return torch.where(x > 0, x, alpha * torch.expm1(torch.clamp(x, max=0)))


def gelu(x: Any, approximate: bool = True) -> Tensor:
    r"""Gaussian error linear unit.

    With ``approximate=True`` (the default, as in BrainPy and ``jax.nn.gelu``) the tanh
    approximation :math:`\frac{x}{2}(1 + \tanh(\sqrt{2/\pi}(x + 0.044715 x^3)))`;
    otherwise the exact :math:`\frac{x}{2}(1 + \mathrm{erf}(x / \sqrt{2}))`.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.gelu([-1., 1.])
    tensor([-0.1588,  0.8412])
    >>> bm.gelu([-1., 1.], approximate=False)
    tensor([-0.1587,  0.8413])
    """
    return F.gelu(_float(x), approximate='tanh' if approximate else 'none')


def glu(x: Any, axis: int = -1) -> Tensor:
    """Gated linear unit: ``x1 * sigmoid(x2)`` for the two halves of ``x`` along ``axis``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.glu([1., 2., 0., 0.])
    tensor([0.5000, 1.0000])
    """
    x = _float(x)
    if x.ndim == 0:
        raise ValueError('glu: x must have at least one axis')
    (dim,) = _dims(axis, x.ndim, 'glu')
    if x.shape[dim] % 2:
        raise ValueError(f'glu: the size of axis {axis} must be divisible by 2, got {x.shape[dim]}')
    x1, x2 = torch.chunk(x, 2, dim)
    return x1 * torch.sigmoid(x2)


def hard_tanh(x: Any) -> Tensor:
    """Hard tanh: -1 below -1, 1 above 1, ``x`` in between.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.hard_tanh([-2., 0.5, 3.])
    tensor([-1.0000,  0.5000,  1.0000])
    """
    x = as_tensor(x)
    one = torch.ones((), dtype=x.dtype, device=x.device)
    return torch.where(x > 1, one, torch.where(x < -1, -one, x))


def relu(x: Any) -> Tensor:
    """Rectified linear unit, ``max(x, 0)`` (gradient 0 at 0, as ``jax.nn.relu``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.relu([-1., 0., 2.])
    tensor([0., 0., 2.])
    """
    return torch.relu(as_tensor(x))


def relu6(x: Any) -> Tensor:
    """``min(max(x, 0), 6)`` (at the kinks the gradient is 1/2, as in JAX).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.relu6([-1., 3., 7.])
    tensor([0., 3., 6.])
    """
    x = _float(x)
    zero = torch.zeros((), dtype=x.dtype, device=x.device)
    return torch.minimum(torch.maximum(x, zero), zero + 6.)


def hard_sigmoid(x: Any) -> Tensor:
    """Hard sigmoid, ``relu6(x + 3) / 6``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.hard_sigmoid([-4., 0., 4.])
    tensor([0.0000, 0.5000, 1.0000])
    """
    return relu6(_float(x) + 3.) / 6.


def hard_silu(x: Any) -> Tensor:
    """Hard SiLU (hard swish), ``x * hard_sigmoid(x)``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.hard_silu([-4., 1., 4.])
    tensor([-0.0000,  0.6667,  4.0000])
    """
    x = _float(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def leaky_relu(x: Any, negative_slope: Any = 1e-2) -> Tensor:
    """Leaky ReLU: ``x`` for ``x >= 0``, ``negative_slope * x`` below.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.leaky_relu([-1., 2.])
    tensor([-0.0100,  2.0000])
    """
    x = _float(x)
    return torch.where(x >= 0, x, _param(negative_slope, x) * x)


def softplus(x: Any) -> Tensor:
    """Softplus, ``log(1 + exp(x))`` (computed as ``logaddexp(x, 0)``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.softplus([0., 100.])
    tensor([  0.6931, 100.0000])
    """
    x = _float(x)
    return torch.logaddexp(x, torch.zeros((), dtype=x.dtype, device=x.device))


def log_sigmoid(x: Any) -> Tensor:
    """Log-sigmoid, ``log(sigmoid(x)) = -softplus(-x)``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.log_sigmoid([0., -100.])
    tensor([  -0.6931, -100.0000])
    """
    return -softplus(-_float(x))


def _shifted(x: Tensor, axis: Axis, api: str) -> tuple[Tensor, tuple[int, ...]]:
    dims = _dims(axis, x.ndim, api)
    if x.ndim == 0:
        return x - x.detach(), ()
    return x - torch.amax(x, dim=dims, keepdim=True).detach(), dims


def log_softmax(x: Any, axis: Axis = -1) -> Tensor:
    """Log-softmax along ``axis`` (an int, a tuple of ints, or None for all axes).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.log_softmax([0., 0.])
    tensor([-0.6931, -0.6931])
    """
    x = _float(x)
    if isinstance(axis, int) and x.ndim:
        return torch.log_softmax(x, _dims(axis, x.ndim, 'log_softmax')[0])
    s, dims = _shifted(x, axis, 'log_softmax')
    return s - torch.log(torch.sum(torch.exp(s), dim=dims, keepdim=True))


def softmax(x: Any, axis: Axis = -1) -> Tensor:
    """Softmax along ``axis`` (an int, a tuple of ints, or None for all axes).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.softmax([[1., 1.], [0., 2.]], axis=(0, 1))
    tensor([[0.1966, 0.1966],
            [0.0723, 0.5344]])
    """
    x = _float(x)
    if isinstance(axis, int) and x.ndim:
        return torch.softmax(x, _dims(axis, x.ndim, 'softmax')[0])
    s, dims = _shifted(x, axis, 'softmax')
    e = torch.exp(s)
    return e / torch.sum(e, dim=dims, keepdim=True)


def one_hot(x: Any, num_classes: int, *, dtype: Any = None, axis: int = -1) -> Tensor:
    """One-hot encoding of the indices ``x`` (``jax.nn.one_hot``).

    Indices outside ``[0, num_classes)`` give all-zero rows. ``dtype`` defaults to
    the default float; ``axis`` is where the new axis of size ``num_classes`` goes.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.one_hot([0, 2, -1], 3)
    tensor([[1., 0., 0.],
            [0., 0., 1.],
            [0., 0., 0.]])
    >>> bm.one_hot([0, 1], 3, axis=0).shape
    torch.Size([3, 2])
    """
    if isinstance(num_classes, bool) or not isinstance(num_classes, int):
        if isinstance(num_classes, Tensor) and num_classes.ndim == 0 and not num_classes.is_floating_point():
            num_classes = int(num_classes)
        else:
            raise TypeError(f'one_hot: num_classes must be a concrete int, got {num_classes!r}')
    if isinstance(axis, str):
        raise NotImplementedError('one_hot: named axes (axis given as a str) are not supported yet')
    dtype = _dt(dtype) or settings.float_()
    x = as_tensor(x)
    (pos,) = _dims(axis, x.ndim + 1, 'one_hot')
    classes = torch.arange(num_classes, dtype=x.dtype, device=x.device)
    classes = classes.reshape((num_classes,) + (1,) * (x.ndim - pos))
    return (x.unsqueeze(pos) == classes).to(dtype)


def normalize(x: Any, axis: Axis = -1, mean: Any = None, variance: Any = None,
              epsilon: float = 1e-5) -> Tensor:
    r"""Normalise ``x`` along ``axis``: :math:`(x - \mu) / \sqrt{\sigma^2 + \epsilon}`.

    Unless given, the mean is ``mean(x, axis)`` and the variance
    ``mean(x**2, axis) - mean**2`` (BrainPy's and JAX's definition).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.normalize([1., 3.])
    tensor([-1.0000,  1.0000])
    """
    x = _float(x)
    dims = _dims(axis, x.ndim, 'normalize') if x.ndim else ()
    if mean is None:
        mean = torch.mean(x, dim=dims, keepdim=True) if dims else x
    else:
        mean = as_tensor(mean, device=x.device)
    if variance is None:
        sq = torch.square(x)
        variance = (torch.mean(sq, dim=dims, keepdim=True) if dims else sq) - torch.square(mean)
    else:
        variance = as_tensor(variance, device=x.device)
    return (x - mean) * torch.rsqrt(variance + epsilon)


def standardize(x: Any, axis: Axis = -1, mean: Any = None, variance: Any = None,
                epsilon: float = 1e-5) -> Tensor:
    r"""JAX's newer name of :func:`normalize` (``jax.nn.standardize``): the same function.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.standardize([[1., 3.], [2., 2.]], axis=0, epsilon=0.25)
    tensor([[-0.7071,  0.7071],
            [ 0.7071, -0.7071]])
    """
    return normalize(x, axis, mean, variance, epsilon)


def sigmoid(x: Any) -> Tensor:
    """The logistic sigmoid, ``1 / (1 + exp(-x))``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.sigmoid([0., 100., -100.])
    tensor([0.5000, 1.0000, 0.0000])
    """
    return torch.sigmoid(_float(x))


def soft_sign(x: Any) -> Tensor:
    """Soft sign, ``x / (|x| + 1)``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.soft_sign([-1., 3.])
    tensor([-0.5000,  0.7500])
    """
    x = _float(x)
    return x / (torch.abs(x) + 1)


def silu(x: Any) -> Tensor:
    """SiLU (swish), ``x * sigmoid(x)``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.silu([0., 1.])
    tensor([0.0000, 0.7311])
    """
    x = _float(x)
    return x * torch.sigmoid(x)


swish = silu


def selu(x: Any) -> Tensor:
    r"""Scaled exponential linear unit, :math:`\lambda x` for :math:`x > 0`, else
    :math:`\lambda \alpha (e^x - 1)`, with :math:`\lambda \approx 1.0507` and
    :math:`\alpha \approx 1.6733`.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.selu([-1., 1.])
    tensor([-1.1113,  1.0507])
    """
    x = _float(x)
    return _SELU_SCALE * torch.where(x > 0, x, _SELU_ALPHA * torch.expm1(torch.clamp(x, max=0)))

