"""Normalization nodes (BrainPy 2.1.12's ``BatchNorm``, ``BatchNorm1d/2d/3d``,
``LayerNorm``, ``GroupNorm``, ``InstanceNorm``).

Data are channels-last. Each node normalizes :math:`(x - \\mu) / \\sqrt{\\sigma^2 +
\\epsilon}` over its axes, with :math:`\\sigma^2 = E[x^2] - \\mu^2` (``bm.normalize``),
then applies ``gamma * x + beta``.

``BatchNorm`` in training uses the statistics of the batch, as BrainPy 2.1.12
always did, and keeps running averages ``running_mean`` / ``running_var``
(``r = momentum * r + (1 - momentum) * batch_statistic``, BrainPy 2.2's rule);
in evaluation it normalizes with the running averages. Training or evaluation is
the shared keyword ``train`` if given (``model(x, train=False)``), else the
module's mode (``model.train()`` / ``model.eval()``). ``momentum=None`` gives
2.1.12's behaviour: batch statistics in both modes, no running averages.

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> net = bp.nn.Input((3, 4)) >> bp.nn.BatchNorm1d()
>>> net.initialize(num_batch=2)
>>> y = net(bm.random.normal(size=(2, 3, 4)))
>>> bool(y.mean((0, 1)).abs().max() < 1e-5)
True
"""

from __future__ import annotations

from typing import Optional, Sequence, Union

import torch

from bptorch.initialize import Initializer, OneInit, ZeroInit
from bptorch.math import activations, settings
from bptorch.math.variables import Variable
from bptorch.nn._checks import check_float
from bptorch.nn.base import Node
from bptorch.nn.nodes._params import make_param, value_of
from bptorch.nn.nodes.ANN.dropout import is_training

__all__ = ['BatchNorm', 'BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d', 'GroupNorm', 'LayerNorm',
           'InstanceNorm']

Axis = Union[int, Sequence[int]]


def _axes(axis: Optional[Axis]) -> Optional[tuple]:
    if axis is None:
        return None
    if isinstance(axis, int) and not isinstance(axis, bool):
        return (axis,)
    if isinstance(axis, (tuple, list)) and all(isinstance(a, int) for a in axis):
        return tuple(axis)
    raise ValueError(f'axis must be an int or a sequence of ints, got {axis!r}')


def _affine(node, out: torch.Tensor, index: tuple) -> torch.Tensor:
    if node.scale:
        out = value_of(node.gamma)[index] * out
    if node.bias:
        out = out + value_of(node.beta)[index]
    return out


class BatchNorm(Node):
    """Batch normalization over ``axis`` (which holds the batch axis 0; the others
    are the features, each with its own ``gamma`` and ``beta``).

    Parameters
    ----------
    axis : int or sequence of int
        The axes to normalize over (the batch and, e.g., spatial axes).
    epsilon : float
        Added to the variance (default 1e-5).
    use_bias : bool
        Learn a shift ``beta`` (default True).
    use_scale : bool
        Learn a scale ``gamma`` (default True).
    beta_init, gamma_init : Initializer
        Their initializers (``ZeroInit()``, ``OneInit()``).
    momentum : float or None
        The decay of the running averages used in evaluation (default 0.99; an
        addition to BrainPy 2.1.12). None: always the batch statistics.
    **kwargs
        ``name``, ``input_shape``, ``trainable``.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> bn = bp.nn.BatchNorm(axis=(0, 2), use_bias=False, input_shape=(3, 4))
    >>> bn.initialize(2)
    >>> bn.gamma.shape, bn.beta
    (torch.Size([3]), None)
    """

    def __init__(self, axis: Axis, epsilon: float = 1e-5, use_bias: bool = True,
                 use_scale: bool = True, beta_init: Initializer = ZeroInit(),
                 gamma_init: Initializer = OneInit(), momentum: Optional[float] = 0.99,
                 **kwargs):
        super().__init__(**kwargs)
        check_float(epsilon, 'epsilon', min_bound=0.)
        check_float(momentum, 'momentum', min_bound=0., max_bound=1., allow_none=True)
        self.epsilon = epsilon
        self.bias = use_bias
        self.scale = use_scale
        self.beta_init = beta_init if use_bias else ()
        self.gamma_init = gamma_init if use_scale else ()
        self.axis = _axes(axis)
        self.momentum = momentum
        self.beta = self.gamma = None
        self.running_mean = self.running_var = None

    def _check_input_dim(self) -> None:
        pass

    def init_ff_conn(self) -> None:
        self._check_input_dim()
        ndim = len(self.feedforward_shapes)
        self.axis = tuple(sorted(a % ndim for a in self.axis))
        if 0 not in self.axis:
            raise ValueError(f'{type(self).__name__} normalizes over the batch axis 0; axis must '
                             f'contain 0, got {self.axis}')
        shape = tuple(d for i, d in enumerate(self.feedforward_shapes) if i not in self.axis)
        self._index = tuple(None if i in self.axis else slice(None) for i in range(ndim))
        self.beta = make_param(self.beta_init, shape, self.trainable) if self.bias else None
        self.gamma = make_param(self.gamma_init, shape, self.trainable) if self.scale else None
        if self.momentum is not None:
            like = dict(dtype=settings.float_(), device=settings.default_device())
            self.running_mean = Variable(torch.zeros(shape, **like))
            self.running_var = Variable(torch.ones(shape, **like))
        self.set_output_shape(self.feedforward_shapes)

    def forward(self, ff, **shared_kwargs):
        x = value_of(ff)
        if self.momentum is None or is_training(self, shared_kwargs):
            mean = x.mean(self.axis, keepdim=True)
            var = (x * x).mean(self.axis, keepdim=True) - mean * mean
            if self.momentum is not None:
                m = self.momentum
                self.running_mean.value = (m * self.running_mean.value + (1 - m) *
                                           mean.detach().reshape(self.running_mean.shape))
                self.running_var.value = (m * self.running_var.value + (1 - m) *
                                          var.detach().reshape(self.running_var.shape))
        else:
            mean = self.running_mean.value[self._index]
            var = self.running_var.value[self._index]
        out = activations.normalize(x, self.axis, mean=mean, variance=var, epsilon=self.epsilon)
        return _affine(self, out, self._index)


class BatchNorm1d(BatchNorm):
    """1-D batch normalization of ``(b, l, c)`` data (over ``b`` and ``l``) or ``(b, c)``
    data (over ``b``).

    Examples
    --------
    >>> import bptorch as bp
    >>> bn = bp.nn.BatchNorm1d(input_shape=4)
    >>> bn.initialize(2)
    >>> bn.axis
    (0,)
    """

    def __init__(self, axis: Axis = (0, 1), **kwargs):
        super().__init__(axis=axis, **kwargs)

    def _check_input_dim(self) -> None:
        ndim = len(self.feedforward_shapes)
        if ndim not in (2, 3):
            raise ValueError(f'expected 2D or 3D input (got {ndim}D input)')
        if ndim == 2 and len(self.axis) == 2:
            self.axis = (0,)


class BatchNorm2d(BatchNorm):
    """2-D batch normalization of ``(b, h, w, c)`` data (over ``b``, ``h``, ``w``).

    Examples
    --------
    >>> import bptorch as bp
    >>> bn = bp.nn.BatchNorm2d(input_shape=(4, 4, 3))
    >>> bn.initialize(2)
    >>> bn.gamma.shape
    torch.Size([3])
    """

    def __init__(self, axis: Axis = (0, 1, 2), **kwargs):
        super().__init__(axis=axis, **kwargs)

    def _check_input_dim(self) -> None:
        ndim = len(self.feedforward_shapes)
        if ndim != 4:
            raise ValueError(f'expected 4D input (got {ndim}D input)')


class BatchNorm3d(BatchNorm):
    """3-D batch normalization of ``(b, h, w, d, c)`` data (over all but ``c``).

    Examples
    --------
    >>> import bptorch as bp
    >>> bn = bp.nn.BatchNorm3d(input_shape=(2, 2, 2, 3))
    >>> bn.initialize(2)
    >>> bn.axis
    (0, 1, 2, 3)
    """

    def __init__(self, axis: Axis = (0, 1, 2, 3), **kwargs):
        super().__init__(axis=axis, **kwargs)

    def _check_input_dim(self) -> None:
        ndim = len(self.feedforward_shapes)
        if ndim != 5:
            raise ValueError(f'expected 5D input (got {ndim}D input)')


class LayerNorm(Node):
    """Layer normalization (Ba et al., 2016): per sample, over ``axis`` (default all
    but the batch axis), with an element-wise ``gamma`` and ``beta`` over those axes.

    Parameters
    ----------
    epsilon : float
        Added to the variance (default 1e-5).
    use_bias, use_scale : bool
        Learn ``beta`` / ``gamma`` (default True).
    beta_init, gamma_init : Initializer
        Their initializers.
    axis : int or sequence of int, optional
        The axes to normalize over (never the batch axis).
    **kwargs
        ``name``, ``input_shape``, ``trainable``.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> ln = bp.nn.LayerNorm(axis=2, input_shape=(3, 4))
    >>> ln.initialize(2)
    >>> ln.gamma.shape
    torch.Size([4])
    """

    def __init__(self, epsilon: float = 1e-5, use_bias: bool = True, use_scale: bool = True,
                 beta_init: Initializer = ZeroInit(), gamma_init: Initializer = OneInit(),
                 axis: Optional[Axis] = None, **kwargs):
        super().__init__(**kwargs)
        check_float(epsilon, 'epsilon', min_bound=0.)
        self.epsilon = epsilon
        self.bias = use_bias
        self.scale = use_scale
        self.beta_init = beta_init if use_bias else ()
        self.gamma_init = gamma_init if use_scale else ()
        self.axis = _axes(axis)
        self.beta = self.gamma = None

    def default_axis(self) -> tuple:
        return tuple(range(1, len(self.feedforward_shapes)))

    def init_ff_conn(self) -> None:
        ndim = len(self.feedforward_shapes)
        self.axis = self.default_axis() if self.axis is None else \
            tuple(sorted(a % ndim for a in self.axis))
        if 0 in self.axis:
            raise ValueError('LayerNorm normalizes each sample; axis must not contain the batch '
                             'axis 0')
        shape = tuple(d for i, d in enumerate(self.feedforward_shapes) if i in self.axis)
        self._index = tuple(slice(None) if i in self.axis else None for i in range(ndim))
        self.beta = make_param(self.beta_init, shape, self.trainable) if self.bias else None
        self.gamma = make_param(self.gamma_init, shape, self.trainable) if self.scale else None
        self.set_output_shape(self.feedforward_shapes)

    def forward(self, ff, **shared_kwargs):
        out = activations.normalize(value_of(ff), self.axis, epsilon=self.epsilon)
        return _affine(self, out, self._index)


class GroupNorm(Node):
    """Group normalization (Wu & He, 2018): the channels are split into groups, and
    each sample is normalized within each group.

    The data ``(b, d1, ..., c)`` are viewed as ``(b, d1, ..., num_groups,
    group_size)`` and normalized over ``axis`` of that view (default: all but the
    batch and group axes); ``gamma`` and ``beta`` have the shape of those axes.

    Parameters
    ----------
    num_groups : int, optional
        The number of groups (a factor of the channels).
    group_size : int, optional
        The channels per group; give exactly one of the two.
    epsilon : float
        Added to the variance (default 1e-5).
    use_bias, use_scale : bool
        Learn ``beta`` / ``gamma`` (default True).
    beta_init, gamma_init : Initializer
        Their initializers.
    axis : int or sequence of int, optional
        Axes of the grouped view to normalize over.
    **kwargs
        ``name``, ``input_shape``, ``trainable``.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> gn = bp.nn.GroupNorm(num_groups=2, input_shape=(3, 4))
    >>> gn.initialize(2)
    >>> gn.group_size, gn(bm.random.normal(size=(2, 3, 4))).shape
    (2, torch.Size([2, 3, 4]))
    """

    def __init__(self, num_groups: Optional[int] = None, group_size: Optional[int] = None,
                 epsilon: float = 1e-5, use_bias: bool = True, use_scale: bool = True,
                 beta_init: Initializer = ZeroInit(), gamma_init: Initializer = OneInit(),
                 axis: Optional[Axis] = None, **kwargs):
        super().__init__(**kwargs)
        check_float(epsilon, 'epsilon', min_bound=0.)
        self.num_groups = num_groups
        self.group_size = group_size
        self.epsilon = epsilon
        self.bias = use_bias
        self.scale = use_scale
        self.beta_init = beta_init if use_bias else ()
        self.gamma_init = gamma_init if use_scale else ()
        self.norm_axis = _axes(axis)
        self.beta = self.gamma = None

    def init_ff_conn(self) -> None:
        num_channels = self.feedforward_shapes[-1]
        self.ndim = len(self.feedforward_shapes)
        if (self.num_groups is None) == (self.group_size is None):
            raise ValueError('Either `num_groups` or `group_size` should be specified. Once one '
                             'is specified, the other will be automatically computed.')
        if self.num_groups is None:
            if self.group_size <= 0:
                raise ValueError('`group_size` should be a positive integer.')
            if num_channels % self.group_size != 0:
                raise ValueError(f'The number of channels ({num_channels}) is not multiple of '
                                 f'the group size ({self.group_size}).')
            self.num_groups = num_channels // self.group_size
        else:
            if self.num_groups <= 0:
                raise ValueError('`num_groups` should be a positive integer.')
            if num_channels % self.num_groups != 0:
                raise ValueError(f'The number of channels ({num_channels}) is not multiple of '
                                 f'the number of groups ({self.num_groups}).')
            self.group_size = num_channels // self.num_groups
        if self.norm_axis is None:
            self.norm_axis = tuple(range(1, self.ndim - 1)) + (self.ndim,)
        group_shape = tuple(self.feedforward_shapes[:-1]) + (self.num_groups, self.group_size)
        self.norm_axis = tuple(sorted(a % (self.ndim + 1) for a in self.norm_axis))
        if 0 in self.norm_axis:
            raise ValueError('GroupNorm normalizes each sample; axis must not contain the batch '
                             'axis 0')
        shape = tuple(d for i, d in enumerate(group_shape) if i in self.norm_axis)
        self._index = tuple(slice(None) if i in self.norm_axis else None
                            for i in range(self.ndim + 1))
        self.beta = make_param(self.beta_init, shape, self.trainable) if self.bias else None
        self.gamma = make_param(self.gamma_init, shape, self.trainable) if self.scale else None
        self.set_output_shape(self.feedforward_shapes)

    def forward(self, ff, **shared_kwargs):
        x = value_of(ff)
        grouped = x.reshape(tuple(x.shape[:-1]) + (self.num_groups, self.group_size))
        out = activations.normalize(grouped, self.norm_axis, epsilon=self.epsilon)
        return _affine(self, out, self._index).reshape(x.shape)


class InstanceNorm(GroupNorm):
    """Instance normalization: group normalization with ``group_size=1``.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> inorm = bp.nn.InstanceNorm(input_shape=(3, 4))
    >>> inorm.initialize(2)
    >>> inorm.num_groups
    4
    """

    def __init__(self, epsilon: float = 1e-5, use_bias: bool = True, use_scale: bool = True,
                 beta_init: Initializer = ZeroInit(), gamma_init: Initializer = OneInit(),
                 axis: Optional[Axis] = None, **kwargs):
        super().__init__(group_size=1, epsilon=epsilon, use_bias=use_bias, use_scale=use_scale,
                         beta_init=beta_init, gamma_init=gamma_init, axis=axis, **kwargs)
