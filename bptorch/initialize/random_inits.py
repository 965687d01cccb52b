r"""Random initializers (BrainPy 2.1.12's ``random_inits``).

Draws come from :mod:`bptorch.math.random`: with ``seed=None`` (the default) from
the default RandomState at call time, so ``bm.random.seed(k)`` reproduces them;
with a ``seed``, from the initializer's own ``bm.random.RandomState(seed)`` (two
initializers with one seed draw the same numbers). BrainPy 2.1.12 drew from a NumPy
RandomState per initializer (and its truncated normal from SciPy's global one,
ignoring ``seed``); the distributions, scales and shapes are the same, the numbers
are not.

Fans follow BrainPy's ``_compute_fans``: for a shape :math:`s` with ``in_axis`` and
``out_axis``, the receptive field is :math:`r = \prod s / (s_{in} s_{out})`,
``fan_in`` :math:`= s_{in} r` and ``fan_out`` :math:`= s_{out} r`.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from bptorch.initialize.base import InterLayerInitializer, Shape, float_dtype, weight_shape
from bptorch.math import random as bm_random
from bptorch.math import settings

__all__ = ['Normal', 'Uniform', 'VarianceScaling', 'KaimingUniform', 'KaimingNormal',
           'XavierUniform', 'XavierNormal', 'LecunUniform', 'LecunNormal', 'Orthogonal',
           'DeltaOrthogonal']

#: the standard deviation of a standard normal truncated to (-2, 2)
_TRUNCATED_STD = .87962566103423978


class _Seeded:
    """The RandomState an initializer draws from: its own when seeded, else bm.random's default."""

    def _init_rng(self, seed: int | None) -> None:
        self.seed = seed
        self._rng = None if seed is None else bm_random.RandomState(seed)

    @property
    def rng(self) -> bm_random.RandomState:
        return bm_random.DEFAULT if self._rng is None else self._rng

    def _normal(self, shape: tuple, dtype: torch.dtype) -> torch.Tensor:
        draw_dtype = dtype if dtype.is_floating_point else settings.float_()
        return self.rng._normal01(shape, draw_dtype)

    def _uniform(self, shape: tuple, dtype: torch.dtype) -> torch.Tensor:
        draw_dtype = dtype if dtype.is_floating_point else settings.float_()
        return self.rng._uniform01(shape, draw_dtype)


def _compute_fans(shape: tuple, in_axis: int = -2, out_axis: int = -1) -> tuple[float, float]:
    """BrainPy's fans of a weight shape (see the module docstring)."""
    if len(shape) < 2:
        raise ValueError(f'VarianceScaling: the fans need a shape of at least two dimensions, '
                         f'got {shape}')
    if min(shape) == 0:
        raise ValueError(f'VarianceScaling: cannot compute the fans of an empty shape {shape}')
    receptive_field_size = math.prod(shape) / shape[in_axis] / shape[out_axis]
    return shape[in_axis] * receptive_field_size, shape[out_axis] * receptive_field_size


class Normal(_Seeded, InterLayerInitializer):
    """Normally distributed weights with mean ``mean`` and standard deviation ``scale``.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm, torch
    >>> bm.random.seed(0); a = bp.init.Normal(scale=0.1)((2, 3))
    >>> bm.random.seed(0); torch.equal(a, bp.init.Normal(scale=0.1)((2, 3)))
    True
    >>> torch.equal(bp.init.Normal(seed=3)(4), bp.init.Normal(seed=3)(4))
    True
    """

    def __init__(self, mean: float = 0., scale: float = 1., seed: int | None = None):
        super().__init__()
        self.scale = scale
        self.mean = mean
        self._init_rng(seed)

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        dtype = float_dtype(dtype)
        w = self._normal(weight_shape(shape, 'Normal'), dtype) * self.scale + self.mean
        return w.to(dtype)

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(scale={self.scale}, seed={self.seed})'


class Uniform(_Seeded, InterLayerInitializer):
    """Uniformly distributed weights in ``[min_val, max_val)``.

    Examples
    --------
    >>> import bptorch as bp
    >>> w = bp.init.Uniform(min_val=2., max_val=3., seed=0)((100,))
    >>> bool((w >= 2).all() and (w < 3).all())
    True
    """

    def __init__(self, min_val: float = 0., max_val: float = 1., seed: int | None = None):
        super().__init__()
        self.min_val = min_val
        self.max_val = max_val
        self._init_rng(seed)

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        dtype = float_dtype(dtype)
        u = self._uniform(weight_shape(shape, 'Uniform'), dtype)
        return (u * (self.max_val - self.min_val) + self.min_val).to(dtype)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(min_val={self.min_val}, '
                f'max_val={self.max_val}, seed={self.seed})')


_MODES = ('fan_in', 'fan_out', 'fan_avg')
_DISTRIBUTIONS = ('truncated_normal', 'normal', 'uniform')


class VarianceScaling(_Seeded, InterLayerInitializer):
    r"""Weights with variance :math:`\mathrm{scale} / n`, where :math:`n` is ``fan_in``,
    ``fan_out`` or their mean (``mode='fan_avg'``).

    ``distribution='truncated_normal'`` draws a normal truncated to two standard
    deviations, scaled to that variance; ``'normal'`` a normal; ``'uniform'``
    :math:`U(-\sqrt{3v}, \sqrt{3v})`.

    Examples
    --------
    >>> import bptorch as bp
    >>> init = bp.init.VarianceScaling(2., 'fan_in', 'normal', seed=0)
    >>> w = init((1000, 50))
    >>> round(float(w.var()) * 1000, 1)
    2.0
    """

    def __init__(self, scale: float, mode: str, distribution: str, in_axis: int = -2,
                 out_axis: int = -1, seed: int | None = None):
        if mode not in _MODES:
            raise ValueError(f'invalid mode for variance scaling initializer: {mode!r} '
                             f'(expected one of {_MODES})')
        if distribution not in _DISTRIBUTIONS:
            raise ValueError(f'invalid distribution for variance scaling initializer: '
                             f'{distribution!r} (expected one of {_DISTRIBUTIONS})')
        self.scale = scale
        self.mode = mode
        self.in_axis = in_axis
        self.out_axis = out_axis
        self.distribution = distribution
        self._init_rng(seed)

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        dtype = float_dtype(dtype)
        shape = weight_shape(shape, type(self).__name__)
        fan_in, fan_out = _compute_fans(shape, in_axis=self.in_axis, out_axis=self.out_axis)
        denominator = {'fan_in': fan_in, 'fan_out': fan_out,
                       'fan_avg': (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / denominator
        if self.distribution == 'truncated_normal':
            stddev = math.sqrt(variance) / _TRUNCATED_STD
            res = self.rng.truncated_normal(-2., 2., size=shape) * stddev
        elif self.distribution == 'normal':
            res = self._normal(shape, dtype) * math.sqrt(variance)
        else:
            res = (self._uniform(shape, dtype) * 2 - 1) * math.sqrt(3 * variance)
        return res.to(dtype)

    def __repr__(self) -> str:
        name = self.__class__.__name__
        blank = ' ' * len(name)
        return (f'{name}(scale={self.scale}, mode={self.mode}, in_axis={self.in_axis}, \n'
                f'{blank}out_axis={self.out_axis}, distribution={self.distribution}, seed={self.seed})')


class KaimingUniform(VarianceScaling):
    """He (Kaiming) uniform: ``VarianceScaling(2.0, 'fan_in', 'uniform')``.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.init.KaimingUniform(seed=0)((3, 4)).shape
    torch.Size([3, 4])
    """

    def __init__(self, scale: float = 2.0, mode: str = 'fan_in', distribution: str = 'uniform',
                 in_axis: int = -2, out_axis: int = -1, seed: int | None = None):
        super().__init__(scale, mode, distribution, in_axis=in_axis, out_axis=out_axis, seed=seed)


class KaimingNormal(VarianceScaling):
    """He (Kaiming) normal: ``VarianceScaling(2.0, 'fan_in', 'truncated_normal')``.

    Examples
    --------
    >>> import bptorch as bp
    >>> w = bp.init.KaimingNormal(seed=0)((200, 100))
    >>> float(w.abs().max()) <= 2 * (2 / 200) ** 0.5 / 0.87962566103423978
    True
    """

    def __init__(self, scale: float = 2.0, mode: str = 'fan_in',
                 distribution: str = 'truncated_normal', in_axis: int = -2, out_axis: int = -1,
                 seed: int | None = None):
        super().__init__(scale, mode, distribution, in_axis=in_axis, out_axis=out_axis, seed=seed)


class XavierUniform(VarianceScaling):
    """Glorot (Xavier) uniform: ``VarianceScaling(1.0, 'fan_avg', 'uniform')``.

    Examples
    --------
    >>> import bptorch as bp
    >>> w = bp.init.XavierUniform(seed=0)((30, 10))
    >>> float(w.abs().max()) <= (6 / 40) ** 0.5
    True
    """

    def __init__(self, scale: float = 1.0, mode: str = 'fan_avg', distribution: str = 'uniform',
                 in_axis: int = -2, out_axis: int = -1, seed: int | None = None):
        super().__init__(scale, mode, distribution, in_axis=in_axis, out_axis=out_axis, seed=seed)


class XavierNormal(VarianceScaling):
    """Glorot (Xavier) normal: ``VarianceScaling(1.0, 'fan_avg', 'truncated_normal')``.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.init.XavierNormal(seed=0)((3, 4, 5)).shape
    torch.Size([3, 4, 5])
    """

    def __init__(self, scale: float = 1.0, mode: str = 'fan_avg',
                 distribution: str = 'truncated_normal', in_axis: int = -2, out_axis: int = -1,
                 seed: int | None = None):
        super().__init__(scale, mode, distribution, in_axis=in_axis, out_axis=out_axis, seed=seed)


class LecunUniform(VarianceScaling):
    """LeCun uniform: ``VarianceScaling(1.0, 'fan_in', 'uniform')``.

    Examples
    --------
    >>> import bptorch as bp
    >>> w = bp.init.LecunUniform(seed=0)((12, 5))
    >>> float(w.abs().max()) <= (3 / 12) ** 0.5
    True
    """

    def __init__(self, scale: float = 1.0, mode: str = 'fan_in', distribution: str = 'uniform',
                 in_axis: int = -2, out_axis: int = -1, seed: int | None = None):
        super().__init__(scale, mode, distribution, in_axis=in_axis, out_axis=out_axis, seed=seed)


class LecunNormal(VarianceScaling):
    """LeCun normal: ``VarianceScaling(1.0, 'fan_in', 'truncated_normal')``.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.init.LecunNormal(seed=0)((4, 2)).dtype
    torch.float32
    """

    def __init__(self, scale: float = 1.0, mode: str = 'fan_in',
                 distribution: str = 'truncated_normal', in_axis: int = -2, out_axis: int = -1,
                 seed: int | None = None):
        super().__init__(scale, mode, distribution, in_axis=in_axis, out_axis=out_axis, seed=seed)


class Orthogonal(_Seeded, InterLayerInitializer):
    """Uniformly distributed orthogonal weights, times ``scale``.

    The weights, reshaped to ``(shape[axis], -1)``, have orthonormal rows or columns,
    whichever are fewer.

    Examples
    --------
    >>> import torch, bptorch as bp
    >>> w = bp.init.Orthogonal(seed=0)((3, 3))
    >>> torch.allclose(w @ w.T, torch.eye(3), atol=1e-6)
    True
    """

    def __init__(self, scale: float = 1., axis: int = -1, seed: int | None = None):
        super().__init__()
        self.scale = scale
        self.axis = axis
        self._init_rng(seed)

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        dtype = float_dtype(dtype)
        shape = weight_shape(shape, 'Orthogonal')
        if not shape:
            raise ValueError('Orthogonal: shape must have at least one dimension')
        axis = self.axis % len(shape)
        n_rows = shape[axis]
        n_cols = math.prod(shape) // n_rows if n_rows else 0
        matrix_shape = (n_rows, n_cols) if n_rows > n_cols else (n_cols, n_rows)
        norm_dst = self._normal(matrix_shape, torch.float64)
        q_mat, r_mat = torch.linalg.qr(norm_dst)
        sign = torch.sign(torch.diagonal(r_mat))
        q_mat = q_mat * torch.where(sign == 0, torch.ones_like(sign), sign)   # Q uniform (Haar)
        if n_rows < n_cols:
            q_mat = q_mat.T
        rest = shape[:axis] + shape[axis + 1:]
        q_mat = torch.movedim(q_mat.reshape((n_rows,) + rest), 0, axis)
        return (self.scale * q_mat).to(dtype)

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(scale={self.scale}, axis={self.axis}, seed={self.seed})'


class DeltaOrthogonal(InterLayerInitializer):
    """Delta-orthogonal convolution kernels (Xiao et al., 2018, arXiv:1806.05393).

    ``shape`` is 3-, 4- or 5-D, ``(k1, [k2, [k3,]] in, out)`` with ``in <= out``: the
    kernel is zero except at its spatial centre, which holds an orthogonal
    ``(in, out)`` matrix (from :class:`Orthogonal` with this ``scale`` and ``axis``).

    Examples
    --------
    >>> import bptorch as bp
    >>> w = bp.init.DeltaOrthogonal()((3, 2, 4))
    >>> float(w[0].abs().sum()), float(w[2].abs().sum())
    (0.0, 0.0)
    """

    def __init__(self, scale: float = 1.0, axis: int = -1):
        super().__init__()
        self.scale = scale
        self.axis = axis

    def __call__(self, shape: Shape, dtype: Any = None) -> torch.Tensor:
        dtype = float_dtype(dtype)
        shape = weight_shape(shape, 'DeltaOrthogonal')
        if len(shape) not in (3, 4, 5):
            raise ValueError(f'Delta orthogonal initializer requires a 3D, 4D or 5D shape, got {shape}')
        if shape[-1] < shape[-2]:
            raise ValueError(f'DeltaOrthogonal: `fan_in` (shape[-2] = {shape[-2]}) must be less than '
                             f'or equal to `fan_out` (shape[-1] = {shape[-1]})')
        ortho_matrix = Orthogonal(scale=self.scale, axis=self.axis)(shape[-2:], dtype=dtype)
        w = torch.zeros(shape, dtype=dtype, device=settings.default_device())
        centre = tuple((k - 1) // 2 for k in shape[:-2])
        w[centre] = ortho_matrix
        return w

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(scale={self.scale}, axis={self.axis})'
