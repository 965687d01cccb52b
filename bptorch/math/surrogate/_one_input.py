r"""Spike functions of one input with surrogate gradients (BrainPy 2.3.8's ``one_input``).

Each comes as a class (``Sigmoid(alpha=4.)``, called on ``x``) and as a function
(``sigmoid(x, alpha=4., origin=False)``), with BrainPy 2.3.8's names, parameters
and defaults. The forward is the Heaviside step :math:`H(x) = [x \ge 0]` (or, with
``origin=True`` where BrainPy has it, the smooth function :math:`g`); the backward
multiplies by :math:`g'`.

The formulas are the ones BrainPy 2.3.8 documents. Where its code computes
something else, bptorch follows the documented formula (and the papers, and
SpikingJelly, from which these functions come); each such place says so under
"Notes". Every derivative is written in a form that stays finite in float32 for
:math:`|x|` up to at least 1e4 (e.g. the sigmoid's as
:math:`\alpha\,\sigma(\alpha x)\,\sigma(-\alpha x)`, never with :math:`e^{\alpha|x|}`).
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import Tensor

from bptorch.math.surrogate._base import Surrogate

__all__ = [
    'Sigmoid', 'sigmoid', 'PiecewiseQuadratic', 'piecewise_quadratic', 'PiecewiseExp',
    'piecewise_exp', 'SoftSign', 'soft_sign', 'Arctan', 'arctan', 'NonzeroSignLog',
    'nonzero_sign_log', 'ERF', 'erf', 'PiecewiseLeakyRelu', 'piecewise_leaky_relu',
    'SquarewaveFourierSeries', 'squarewave_fourier_series', 'S2NN', 's2nn', 'QPseudoSpike',
    'q_pseudo_spike', 'LeakyRelu', 'leaky_relu', 'LogTailedRelu', 'log_tailed_relu',
    'ReluGrad', 'relu_grad', 'GaussianGrad', 'gaussian_grad', 'InvSquareGrad',
    'inv_square_grad', 'MultiGaussianGrad', 'multi_gaussian_grad', 'SlayerGrad', 'slayer_grad',
]

_SQRT_2PI = math.sqrt(2 * math.pi)


def _gauss(x: Tensor, mu: float, sigma: float) -> Tensor:
    """The normal density with mean ``mu`` and standard deviation ``sigma`` at ``x``."""
    return torch.exp(-torch.square(x - mu) / (2 * sigma * sigma)) / (_SQRT_2PI * sigma)


class Sigmoid(Surrogate):
    r"""Sigmoid surrogate: :math:`g(x) = \sigma(\alpha x)`,
    :math:`g'(x) = \alpha\,\sigma(\alpha x)(1 - \sigma(\alpha x))`.

    Notes
    -----
    BrainPy 2.3.8's ``origin=True`` forward computes :math:`\sigma(x)` (without
    :math:`\alpha`); bptorch computes the documented :math:`\sigma(\alpha x)`.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> f = bm.surrogate.Sigmoid(alpha=4.)
    >>> f(torch.tensor([-1., 0., 1.]))
    tensor([0., 1., 1.])
    >>> f
    Sigmoid(alpha=4.0)
    """

    def __init__(self, alpha: float = 4., origin: bool = False):
        super().__init__(origin)
        self.alpha = alpha

    def surrogate_fun(self, x: Tensor) -> Tensor:
        return torch.sigmoid(self.alpha * x)

    def surrogate_grad(self, x: Tensor) -> Tensor:
        ax = self.alpha * x
        return self.alpha * torch.sigmoid(ax) * torch.sigmoid(-ax)


def sigmoid(x: Any, alpha: float = 4., origin: bool = False) -> Tensor:
    r"""Spike function with the sigmoid-shaped surrogate gradient (see :class:`Sigmoid`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> x = torch.tensor([-0.5, 0., 0.5], requires_grad=True)
    >>> bm.surrogate.sigmoid(x, alpha=4.).sum().backward()
    >>> x.grad
    tensor([0.4200, 1.0000, 0.4200])
    >>> bm.surrogate.sigmoid(torch.tensor([0.]), origin=True)
    tensor([0.5000])
    """
    return Sigmoid(alpha, origin)(x)


class PiecewiseQuadratic(Surrogate):
    r"""Piecewise quadratic surrogate: for :math:`|x| \le 1/\alpha`,
    :math:`g(x) = -\frac{1}{2}\alpha^2|x|x + \alpha x + \frac{1}{2}` and
    :math:`g'(x) = \alpha - \alpha^2|x|`; outside, :math:`g` is 0 or 1 and :math:`g' = 0`.

    Notes
    -----
    BrainPy 2.3.8's code uses :math:`\alpha - (\alpha x)^2` for the gradient, which is
    not the derivative of its documented :math:`g` (and jumps at :math:`|x| = 1/\alpha`);
    bptorch uses the documented :math:`\alpha - \alpha^2|x|` (as SpikingJelly does).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.PiecewiseQuadratic(alpha=1.).surrogate_grad(torch.tensor([-2., 0., 0.5]))
    tensor([0.0000, 1.0000, 0.5000])
    """

    def __init__(self, alpha: float = 1., origin: bool = False):
        super().__init__(origin)
        self.alpha = alpha

    def surrogate_fun(self, x: Tensor) -> Tensor:
        a = self.alpha
        inner = (-a * torch.abs(x) / 2 + 1) * a * x + 0.5
        return torch.where(x < -1 / a, torch.zeros_like(x),
                           torch.where(x > 1 / a, torch.ones_like(x), inner))

    def surrogate_grad(self, x: Tensor) -> Tensor:
        a = self.alpha
        return torch.relu(a - a * a * torch.abs(x))


def piecewise_quadratic(x: Any, alpha: float = 1., origin: bool = False) -> Tensor:
    r"""Spike function with a piecewise quadratic surrogate (see :class:`PiecewiseQuadratic`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.piecewise_quadratic(torch.tensor([-0.5, 0.5]), origin=True)
    tensor([0.1250, 0.8750])
    """
    return PiecewiseQuadratic(alpha, origin)(x)


class PiecewiseExp(Surrogate):
    r"""Piecewise exponential surrogate: :math:`g(x) = \frac{1}{2}e^{\alpha x}` for
    :math:`x < 0`, :math:`1 - \frac{1}{2}e^{-\alpha x}` otherwise;
    :math:`g'(x) = \frac{\alpha}{2}e^{-\alpha|x|}`.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.PiecewiseExp(alpha=2.).surrogate_grad(torch.tensor([0.]))
    tensor([1.])
    """

    def __init__(self, alpha: float = 1., origin: bool = False):
        super().__init__(origin)
        self.alpha = alpha

    def surrogate_fun(self, x: Tensor) -> Tensor:
        half_tail = torch.exp(-self.alpha * torch.abs(x)) / 2
        return torch.where(x < 0, half_tail, 1 - half_tail)

    def surrogate_grad(self, x: Tensor) -> Tensor:
        return (self.alpha / 2) * torch.exp(-self.alpha * torch.abs(x))


def piecewise_exp(x: Any, alpha: float = 1., origin: bool = False) -> Tensor:
    r"""Spike function with a piecewise exponential surrogate (see :class:`PiecewiseExp`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.piecewise_exp(torch.tensor([-1e4, 0., 1e4]), origin=True)
    tensor([0.0000, 0.5000, 1.0000])
    """
    return PiecewiseExp(alpha, origin)(x)


class SoftSign(Surrogate):
    r"""Soft sign surrogate: :math:`g(x) = \frac{1}{2}(\frac{\alpha x}{1 + |\alpha x|} + 1)`,
    :math:`g'(x) = \frac{\alpha}{2(1 + |\alpha x|)^2}`.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.SoftSign().surrogate_grad(torch.tensor([0., 1.]))
    tensor([0.5000, 0.1250])
    """

    def __init__(self, alpha: float = 1., origin: bool = False):
        super().__init__(origin)
        self.alpha = alpha

    def surrogate_fun(self, x: Tensor) -> Tensor:
        ax = self.alpha * x
        return ax / (2 * (1 + torch.abs(ax))) + 0.5

    def surrogate_grad(self, x: Tensor) -> Tensor:
        return self.alpha * 0.5 / torch.square(1 + torch.abs(self.alpha * x))


def soft_sign(x: Any, alpha: float = 1., origin: bool = False) -> Tensor:
    r"""Spike function with a soft sign surrogate (see :class:`SoftSign`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.soft_sign(torch.tensor([-1., 1.]), origin=True)
    tensor([0.2500, 0.7500])
    """
    return SoftSign(alpha, origin)(x)


class Arctan(Surrogate):
    r"""Arctan surrogate: :math:`g(x) = \frac{1}{\pi}\arctan(\frac{\pi}{2}\alpha x) + \frac{1}{2}`,
    :math:`g'(x) = \frac{\alpha}{2(1 + (\frac{\pi}{2}\alpha x)^2)}`.

    Notes
    -----
    BrainPy 2.3.8's ``origin=True`` forward calls ``arctan2`` with one argument (an
    error); bptorch computes the documented :math:`g`.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.Arctan(alpha=2.).surrogate_grad(torch.tensor([0.]))
    tensor([1.])
    """

    def __init__(self, alpha: float = 1., origin: bool = False):
        super().__init__(origin)
        self.alpha = alpha

    def surrogate_fun(self, x: Tensor) -> Tensor:
        return torch.arctan(math.pi / 2 * self.alpha * x) / math.pi + 0.5

    def surrogate_grad(self, x: Tensor) -> Tensor:
        return self.alpha * 0.5 / (1 + torch.square(math.pi / 2 * self.alpha * x))


def arctan(x: Any, alpha: float = 1., origin: bool = False) -> Tensor:
    r"""Spike function with an arctan surrogate (see :class:`Arctan`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.arctan(torch.tensor([0.]), origin=True)
    tensor([0.5000])
    """
    return Arctan(alpha, origin)(x)


class NonzeroSignLog(Surrogate):
    r"""Nonzero-sign log surrogate: :math:`g(x) = \mathrm{sign}(x)\log(|\alpha x| + 1)` (with
    sign 1 at 0), :math:`g'(x) = \frac{1}{1/\alpha + |x|}`.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.NonzeroSignLog().surrogate_grad(torch.tensor([0., 1.]))
    tensor([1.0000, 0.5000])
    """

    def __init__(self, alpha: float = 1., origin: bool = False):
        super().__init__(origin)
        self.alpha = alpha

    def surrogate_fun(self, x: Tensor) -> Tensor:
        sign = torch.where(x < 0, -torch.ones_like(x), torch.ones_like(x))
        return sign * torch.log1p(torch.abs(self.alpha * x))

    def surrogate_grad(self, x: Tensor) -> Tensor:
        return 1. / (1 / self.alpha + torch.abs(x))


def nonzero_sign_log(x: Any, alpha: float = 1., origin: bool = False) -> Tensor:
    r"""Spike function with a nonzero-sign log surrogate (see :class:`NonzeroSignLog`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.nonzero_sign_log(torch.tensor([-1., 0.5]))
    tensor([0., 1.])
    """
    return NonzeroSignLog(alpha, origin)(x)


class ERF(Surrogate):
    r"""Error-function surrogate: :math:`g(x) = \frac{1}{2}\mathrm{erfc}(-\alpha x)`,
    :math:`g'(x) = \frac{\alpha}{\sqrt{\pi}}e^{-\alpha^2 x^2}`.

    Notes
    -----
    BrainPy 2.3.8's ``origin=True`` forward computes :math:`\frac{1}{2}\mathrm{erf}(-\alpha x)`,
    which is not the documented :math:`g` (it decreases); bptorch computes :math:`g`.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.ERF().surrogate_grad(torch.tensor([0.]))
    tensor([0.5642])
    """

    def __init__(self, alpha: float = 1., origin: bool = False):
        super().__init__(origin)
        self.alpha = alpha

    def surrogate_fun(self, x: Tensor) -> Tensor:
        return torch.special.erfc(-self.alpha * x) / 2

    def surrogate_grad(self, x: Tensor) -> Tensor:
        a = self.alpha
        return (a / math.sqrt(math.pi)) * torch.exp(-(a * a) * x * x)


def erf(x: Any, alpha: float = 1., origin: bool = False) -> Tensor:
    r"""Spike function with an erf surrogate (see :class:`ERF`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.erf(torch.tensor([-10., 0., 10.]), origin=True)
    tensor([0.0000, 0.5000, 1.0000])
    """
    return ERF(alpha, origin)(x)


class PiecewiseLeakyRelu(Surrogate):
    r"""Piecewise leaky-ReLU surrogate: :math:`g'(x) = 1/w` for :math:`|x| \le w`, else
    :math:`c`; :math:`g(x) = cx + cw` below :math:`-w`, :math:`\frac{x}{2w} + \frac{1}{2}`
    in between, :math:`cx - cw + 1` above :math:`w`.

    Notes
    -----
    As in BrainPy 2.3.8 and SpikingJelly, the gradient inside :math:`[-w, w]` is
    :math:`1/w` while the slope of :math:`g` there is :math:`1/(2w)`.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.PiecewiseLeakyRelu(c=0.01, w=2.).surrogate_grad(torch.tensor([0., 3.]))
    tensor([0.5000, 0.0100])
    """

    def __init__(self, c: float = 0.01, w: float = 1., origin: bool = False):
        super().__init__(origin)
        self.c = c
        self.w = w

    def surrogate_fun(self, x: Tensor) -> Tensor:
        c, w = self.c, self.w
        return torch.where(x < -w, c * x + c * w,
                           torch.where(x > w, c * x - c * w + 1, 0.5 * x / w + 0.5))

    def surrogate_grad(self, x: Tensor) -> Tensor:
        big = torch.abs(x) > self.w
        return torch.where(big, torch.full_like(x, self.c), torch.full_like(x, 1 / self.w))


def piecewise_leaky_relu(x: Any, c: float = 0.01, w: float = 1., origin: bool = False) -> Tensor:
    r"""Spike function with a piecewise leaky-ReLU surrogate (see :class:`PiecewiseLeakyRelu`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.piecewise_leaky_relu(torch.tensor([-2., 0., 2.]), origin=True)
    tensor([-0.0100,  0.5000,  1.0100])
    """
    return PiecewiseLeakyRelu(c, w, origin)(x)


class SquarewaveFourierSeries(Surrogate):
    r"""Square-wave Fourier-series surrogate, with :math:`\omega = 2\pi / T` and
    :math:`m = \max(n - 1, 1)` terms:
    :math:`g(x) = \frac{1}{2} + \frac{2}{\pi}\sum_{i=1}^{m}\frac{\sin((2i-1)\omega x)}{2i-1}`,
    :math:`g'(x) = \frac{4}{T}\sum_{i=1}^{m}\cos((2i-1)\omega x)`.

    Notes
    -----
    BrainPy 2.3.8 (like SpikingJelly) sums the terms :math:`i = 1, \ldots, n-1` (one
    term for ``n <= 2``), with the factor :math:`2/\pi`; its docstring's
    :math:`\sum_{i=1}^{n}` and :math:`1/\pi` are not what it computes. bptorch computes
    what BrainPy computes (:math:`g'` is then the derivative of :math:`g`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.SquarewaveFourierSeries(n=2, t_period=8.).surrogate_grad(torch.tensor([0.]))
    tensor([0.5000])
    """

    def __init__(self, n: int = 2, t_period: float = 8., origin: bool = False):
        super().__init__(origin)
        self.n = n
        self.t_period = t_period

    def _odd(self) -> range:
        return range(1, 2 * max(int(self.n) - 1, 1), 2)

    def surrogate_fun(self, x: Tensor) -> Tensor:
        w = 2 * math.pi / self.t_period
        ret = sum(torch.sin(k * w * x) / k for k in self._odd())
        return 0.5 + (2 / math.pi) * ret

    def surrogate_grad(self, x: Tensor) -> Tensor:
        w = 2 * math.pi / self.t_period
        return (4. / self.t_period) * sum(torch.cos(k * w * x) for k in self._odd())


def squarewave_fourier_series(x: Any, n: int = 2, t_period: float = 8.,
                              origin: bool = False) -> Tensor:
    r"""Spike function with a square-wave Fourier-series surrogate
    (see :class:`SquarewaveFourierSeries`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.squarewave_fourier_series(torch.tensor([-2., 0., 2.]), origin=True)
    tensor([-0.1366,  0.5000,  1.1366])
    """
    return SquarewaveFourierSeries(n, t_period, origin)(x)


class S2NN(Surrogate):
    r"""S2NN surrogate: for :math:`x < 0`, :math:`g(x) = \sigma(\alpha x)` and
    :math:`g'(x) = \alpha\sigma(\alpha x)(1 - \sigma(\alpha x))`; for :math:`x \ge 0`,
    :math:`g(x) = \beta\log(|x + 1| + \epsilon) + \frac{1}{2}` and :math:`g'(x) = \frac{\beta}{x + 1}`.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.S2NN().surrogate_grad(torch.tensor([-1e4, 0., 1.]))
    tensor([0.0000, 1.0000, 0.5000])
    """

    def __init__(self, alpha: float = 4., beta: float = 1., epsilon: float = 1e-8,
                 origin: bool = False):
        super().__init__(origin)
        self.alpha = alpha
        self.beta = beta
        self.epsilon = epsilon

    def surrogate_fun(self, x: Tensor) -> Tensor:
        pos = torch.clamp(x, min=0)
        return torch.where(x < 0, torch.sigmoid(self.alpha * x),
                           self.beta * torch.log(pos + 1 + self.epsilon) + 0.5)

    def surrogate_grad(self, x: Tensor) -> Tensor:
        ax = self.alpha * x
        neg = self.alpha * torch.sigmoid(ax) * torch.sigmoid(-ax)
        return torch.where(x < 0, neg, self.beta / (torch.clamp(x, min=0) + 1))


def s2nn(x: Any, alpha: float = 4., beta: float = 1., epsilon: float = 1e-8,
         origin: bool = False) -> Tensor:
    r"""Spike function with the S2NN surrogate (see :class:`S2NN`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.s2nn(torch.tensor([-1., 0.]), origin=True)
    tensor([0.0180, 0.5000])
    """
    return S2NN(alpha, beta, epsilon, origin)(x)


class QPseudoSpike(Surrogate):
    r"""q-PseudoSpike surrogate (Herranz-Celotti and Rouat, 2022), for :math:`\alpha > 1`:
    :math:`g'(x) = (1 + \frac{2|x|}{\alpha - 1})^{-\alpha}`;
    :math:`g(x) = \frac{1}{2}(1 + \frac{2|x|}{\alpha-1})^{1-\alpha}` for :math:`x < 0`,
    :math:`1 - \frac{1}{2}(1 + \frac{2|x|}{\alpha-1})^{1-\alpha}` otherwise.

    Notes
    -----
    BrainPy 2.3.8's code uses :math:`2/(\alpha + 1)` in the gradient and
    :math:`1 - \frac{2|x|}{\alpha-1}` in :math:`g` for :math:`x < 0`; both disagree with
    its documented formulas, which bptorch follows (as the paper and SpikingJelly do).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.QPseudoSpike(alpha=2.).surrogate_grad(torch.tensor([0., 0.5]))
    tensor([1.0000, 0.2500])
    """

    def __init__(self, alpha: float = 2., origin: bool = False):
        super().__init__(origin)
        if isinstance(alpha, (int, float)) and not alpha > 1:
            raise ValueError(f'QPseudoSpike: alpha must be > 1, got {alpha}')
        self.alpha = alpha

    def _base(self, x: Tensor) -> Tensor:
        return 1 + 2 / (self.alpha - 1) * torch.abs(x)

    def surrogate_fun(self, x: Tensor) -> Tensor:
        tail = 0.5 * torch.pow(self._base(x), 1 - self.alpha)
        return torch.where(x < 0, tail, 1 - tail)

    def surrogate_grad(self, x: Tensor) -> Tensor:
        return torch.pow(self._base(x), -self.alpha)


def q_pseudo_spike(x: Any, alpha: float = 2., origin: bool = False) -> Tensor:
    r"""Spike function with the q-PseudoSpike surrogate (see :class:`QPseudoSpike`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.q_pseudo_spike(torch.tensor([-0.5, 0.5]), origin=True)
    tensor([0.2500, 0.7500])
    """
    return QPseudoSpike(alpha, origin)(x)


class LeakyRelu(Surrogate):
    r"""Leaky-ReLU surrogate: :math:`g(x) = \alpha x` for :math:`x < 0`, :math:`\beta x`
    otherwise; :math:`g'(x) = \alpha` for :math:`x < 0`, :math:`\beta` otherwise.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.LeakyRelu().surrogate_grad(torch.tensor([-1., 0.]))
    tensor([0.1000, 1.0000])
    """

    def __init__(self, alpha: float = 0.1, beta: float = 1., origin: bool = False):
        super().__init__(origin)
        self.alpha = alpha
        self.beta = beta

    def surrogate_fun(self, x: Tensor) -> Tensor:
        return torch.where(x < 0, self.alpha * x, self.beta * x)

    def surrogate_grad(self, x: Tensor) -> Tensor:
        return torch.where(x < 0, torch.full_like(x, self.alpha), torch.full_like(x, self.beta))


def leaky_relu(x: Any, alpha: float = 0.1, beta: float = 1., origin: bool = False) -> Tensor:
    r"""Spike function with a leaky-ReLU surrogate (see :class:`LeakyRelu`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.leaky_relu(torch.tensor([-1., 2.]), origin=True)
    tensor([-0.1000,  2.0000])
    """
    return LeakyRelu(alpha, beta, origin)(x)


class LogTailedRelu(Surrogate):
    r"""Log-tailed ReLU surrogate: :math:`g(x) = \alpha x` for :math:`x \le 0`, :math:`x`
    for :math:`0 < x \le 1`, :math:`\log x` above; :math:`g'(x) = \alpha`, 1, :math:`1/x`.

    Notes
    -----
    As in BrainPy 2.3.8, :math:`g` jumps from 1 to 0 at :math:`x = 1` (Cai et al.'s
    function adds 1 to the log tail); :math:`g'` is unaffected.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.LogTailedRelu().surrogate_grad(torch.tensor([-1., 0.5, 4.]))
    tensor([0.0000, 1.0000, 0.2500])
    """

    def __init__(self, alpha: float = 0., origin: bool = False):
        super().__init__(origin)
        self.alpha = alpha

    def surrogate_fun(self, x: Tensor) -> Tensor:
        return torch.where(x > 1, torch.log(torch.clamp(x, min=1)),
                           torch.where(x > 0, x, self.alpha * x))

    def surrogate_grad(self, x: Tensor) -> Tensor:
        return torch.where(x > 1, 1 / torch.clamp(x, min=1),
                           torch.where(x > 0, torch.ones_like(x), torch.full_like(x, self.alpha)))


def log_tailed_relu(x: Any, alpha: float = 0., origin: bool = False) -> Tensor:
    r"""Spike function with a log-tailed ReLU surrogate (see :class:`LogTailedRelu`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.log_tailed_relu(torch.tensor([-1., 0.5, 4.]), origin=True)
    tensor([-0.0000,  0.5000,  1.3863])
    """
    return LogTailedRelu(alpha, origin)(x)


class ReluGrad(Surrogate):
    r"""ReLU-shaped gradient (Neftci et al., 2019): :math:`g'(x) = \max(\alpha(w - |x|), 0)`
    with :math:`w` = ``width``. No ``origin`` form (as in BrainPy 2.3.8).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.ReluGrad(alpha=0.3, width=1.).surrogate_grad(torch.tensor([0., 0.5, 2.]))
    tensor([0.3000, 0.1500, 0.0000])
    """

    def __init__(self, alpha: float = 0.3, width: float = 1.):
        super().__init__(False)
        self.alpha = alpha
        self.width = width

    def surrogate_grad(self, x: Tensor) -> Tensor:
        return torch.relu(self.alpha * self.width - torch.abs(x) * self.alpha)


def relu_grad(x: Any, alpha: float = 0.3, width: float = 1.) -> Tensor:
    r"""Spike function with the ReLU-shaped surrogate gradient (see :class:`ReluGrad`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> x = torch.tensor([0.5], requires_grad=True)
    >>> bm.surrogate.relu_grad(x).sum().backward(); x.grad
    tensor([0.1500])
    """
    return ReluGrad(alpha, width)(x)


class GaussianGrad(Surrogate):
    r"""Gaussian gradient (Yin et al., 2021): :math:`g'(x) = \alpha\,\mathcal{N}(x; 0, \sigma^2)
    = \frac{\alpha}{\sqrt{2\pi}\sigma} e^{-x^2 / (2\sigma^2)}`.

    Notes
    -----
    BrainPy 2.3.8's code computes :math:`e^{-x^2\sigma^2/2}` in the exponent instead of
    :math:`e^{-x^2/(2\sigma^2)}`; bptorch follows the documented Gaussian (which
    BrainPy's older ``spike_with_gaussian_grad`` also computed).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.GaussianGrad(sigma=0.5, alpha=0.5).surrogate_grad(torch.tensor([0.]))
    tensor([0.3989])
    """

    def __init__(self, sigma: float = 0.5, alpha: float = 0.5):
        super().__init__(False)
        self.sigma = sigma
        self.alpha = alpha

    def surrogate_grad(self, x: Tensor) -> Tensor:
        return self.alpha * _gauss(x, 0., self.sigma)


def gaussian_grad(x: Any, sigma: float = 0.5, alpha: float = 0.5) -> Tensor:
    r"""Spike function with the Gaussian surrogate gradient (see :class:`GaussianGrad`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.gaussian_grad(torch.tensor([-1., 1.]))
    tensor([0., 1.])
    """
    return GaussianGrad(sigma, alpha)(x)


class MultiGaussianGrad(Surrogate):
    r"""Multi-Gaussian gradient (Yin et al., 2021):
    :math:`g'(x) = \mathrm{scale}\,[(1 + h)\mathcal{N}(x; 0, \sigma^2)
    - h\mathcal{N}(x; \sigma, (s\sigma)^2) - h\mathcal{N}(x; -\sigma, (s\sigma)^2)]`.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.MultiGaussianGrad().surrogate_grad(torch.tensor([0.]))
    tensor([0.4391])
    """

    def __init__(self, h: float = 0.15, s: float = 6.0, sigma: float = 0.5, scale: float = 0.5):
        super().__init__(False)
        self.h = h
        self.s = s
        self.sigma = sigma
        self.scale = scale

    def surrogate_grad(self, x: Tensor) -> Tensor:
        h, sig, wide = self.h, self.sigma, self.s * self.sigma
        dx = (1. + h) * _gauss(x, 0., sig) - h * _gauss(x, sig, wide) - h * _gauss(x, -sig, wide)
        return self.scale * dx


def multi_gaussian_grad(x: Any, h: float = 0.15, s: float = 6.0, sigma: float = 0.5,
                        scale: float = 0.5) -> Tensor:
    r"""Spike function with the multi-Gaussian surrogate gradient (see :class:`MultiGaussianGrad`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.multi_gaussian_grad(torch.tensor([0.]))
    tensor([1.])
    """
    return MultiGaussianGrad(h, s, sigma, scale)(x)


class InvSquareGrad(Surrogate):
    r"""Inverse-square gradient: :math:`g'(x) = \frac{1}{(\alpha|x| + 1)^2}`.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.InvSquareGrad(alpha=1.).surrogate_grad(torch.tensor([0., 1.]))
    tensor([1.0000, 0.2500])
    """

    def __init__(self, alpha: float = 100.):
        super().__init__(False)
        self.alpha = alpha

    def surrogate_grad(self, x: Tensor) -> Tensor:
        return 1. / torch.square(self.alpha * torch.abs(x) + 1.)


def inv_square_grad(x: Any, alpha: float = 100.) -> Tensor:
    r"""Spike function with the inverse-square surrogate gradient (see :class:`InvSquareGrad`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.inv_square_grad(torch.tensor([-0.1, 0.1]))
    tensor([0., 1.])
    """
    return InvSquareGrad(alpha)(x)


class SlayerGrad(Surrogate):
    r"""SLAYER gradient (Shrestha and Orchard, 2018): :math:`g'(x) = e^{-\alpha|x|}`.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.SlayerGrad().surrogate_grad(torch.tensor([0.]))
    tensor([1.])
    """

    def __init__(self, alpha: float = 1.):
        super().__init__(False)
        self.alpha = alpha

    def surrogate_grad(self, x: Tensor) -> Tensor:
        return torch.exp(-self.alpha * torch.abs(x))


def slayer_grad(x: Any, alpha: float = 1.) -> Tensor:
    r"""Spike function with the SLAYER surrogate gradient (see :class:`SlayerGrad`).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.surrogate.slayer_grad(torch.tensor([1.]))
    tensor([1.])
    """
    return SlayerGrad(alpha)(x)
