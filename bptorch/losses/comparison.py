r"""Losses comparing predictions with targets (BrainPy 2.1.12's ``brainpy.losses``).

Names, argument order, defaults, axis conventions and reductions are BrainPy's:
classes are on the last axis; ``cross_entropy_loss`` takes integer labels (one axis
fewer than the logits) or one-hot / probability targets and reduces with
``reduction='mean'``; ``l1_loos`` (BrainPy's spelling; ``l1_loss`` is the same
function) sums ``|x - y|`` per example over all but the first axis and reduces with
``reduction='sum'``; the ``mean_*_error`` functions average over ``axis`` (all
axes by default); ``l2_loss``, ``huber_loss``, ``log_cosh``, ``cross_entropy_sigmoid``,
``binary_logistic_loss`` and ``sigmoid_binary_cross_entropy`` are element-wise (no
reduction), as in BrainPy.

Inputs may be tensors, Variables, NumPy arrays, lists or numbers; integer
predictions become the default float, and targets that are not tensors go to the
device of the predictions.

Examples
--------
>>> import bptorch as bp
>>> logits = [[2., 0., 0.], [0., 2., 0.]]
>>> bp.losses.cross_entropy_loss(logits, [0, 1])
tensor(0.2395)
>>> bp.losses.mean_squared_error([1., 2.], [1., 4.])
tensor(2.)
"""

from __future__ import annotations

import math
from typing import Any, Sequence, Union

import torch
from torch import Tensor

from bptorch.errors import UnsupportedError
from bptorch.math import settings
from bptorch.math.activations import log_sigmoid, log_softmax, one_hot, softplus
from bptorch.math.variables import Variable, as_tensor

__all__ = [
    'cross_entropy_loss', 'cross_entropy_sparse', 'cross_entropy_sigmoid', 'l1_loos', 'l1_loss',
    'l2_loss', 'huber_loss', 'mean_absolute_error', 'mean_squared_error',
    'mean_squared_log_error', 'binary_logistic_loss', 'multiclass_logistic_loss',
    'smooth_labels', 'sigmoid_binary_cross_entropy', 'softmax_cross_entropy', 'log_cosh',
]

Axis = Union[int, Sequence[int], None]

_reduction_error = 'Only support reduction of "mean", "sum" and "none", but we got "%s".'


def _float(x: Any, device: torch.device | None = None) -> Tensor:
    """``x`` as a tensor (on ``device`` unless it is already a tensor); ints become floats."""
    on = None if isinstance(x, (Tensor, Variable)) else device
    t = as_tensor(x, device=on)
    if t.is_floating_point() or t.is_complex():
        return t
    return t.to(settings.float_())


def _other(x: Any, ref: Tensor) -> Tensor:
    """A second operand as a tensor on ``ref``'s device (dtype kept, ints included)."""
    return as_tensor(x, device=None if isinstance(x, (Tensor, Variable)) else ref.device)


def _check_reduction(reduction: str) -> None:
    if reduction not in ('mean', 'sum', 'none'):
        raise UnsupportedError(_reduction_error % reduction)


def _reduce(outputs: Tensor, reduction: str) -> Tensor:
    _check_reduction(reduction)
    if reduction == 'mean':
        return outputs.mean()
    if reduction == 'sum':
        return outputs.sum()
    return outputs


def _mean(r: Tensor, axis: Axis) -> Tensor:
    if axis is None:
        return r.mean()
    return r.mean(dim=axis if isinstance(axis, int) else tuple(axis))


def _pick(logits: Tensor, labels: Tensor) -> Tensor:
    """``logits[..., labels]`` per position; labels outside ``[0, C)`` pick 0
    (as BrainPy's one-hot product does)."""
    n = logits.shape[-1]
    idx = labels.to(torch.int64)
    valid = (idx >= 0) & (idx < n)
    if labels.is_floating_point():   # a label such as 1.5 matches no class
        valid = valid & (labels == idx.to(labels.dtype))
    picked = torch.take_along_dim(logits, idx.clamp(0, n - 1).unsqueeze(-1), dim=-1).squeeze(-1)
    return torch.where(valid, picked, torch.zeros_like(picked))


def cross_entropy_loss(logits: Any, targets: Any, weight: Any = None,
                       reduction: str = 'mean') -> Tensor:
    r"""Softmax cross entropy of ``logits`` (classes on the last axis) and ``targets``.

    With integer class labels ``targets`` (one axis fewer than ``logits``), the loss
    of each example is :math:`\log\sum_j e^{x_j} - x_{target}`; with one-hot or
    probability ``targets`` (the shape of ``logits``) it is
    :math:`\log\sum_j e^{x_j} - \sum_j x_j\,t_j`, BrainPy's formula.

    Parameters
    ----------
    logits : array
        :math:`(N, C)` or :math:`(d_1, \ldots, d_K, N, C)` unnormalised scores.
    targets : array
        Integer labels :math:`(N)` / :math:`(d_1, \ldots, d_K, N)`, or targets of the
        shape of ``logits``.
    weight : array, optional
        A weight per class (shape :math:`(C,)`). BrainPy 2.1.12 accepts the argument but
        raises for it; bptorch implements what its docstring describes, with
        ``torch.nn.functional.cross_entropy``'s conventions: each example's loss is
        multiplied by the weight of its class, and ``'mean'`` is the weighted mean
        :math:`\sum_n w_{y_n} l_n / \sum_n w_{y_n}` for labels (for probability
        targets the loss is :math:`-\sum_j w_j t_j \log p_j` and ``'mean'`` divides by
        the number of examples).
    reduction : {'mean', 'sum', 'none'}
        ``'none'`` gives one loss per example (the shape of the labels).

    Examples
    --------
    >>> import bptorch as bp
    >>> logits = [[2., 0., 0.], [0., 2., 0.]]
    >>> bp.losses.cross_entropy_loss(logits, [0, 2], reduction='none')
    tensor([0.2395, 2.2395])
    >>> bp.losses.cross_entropy_loss(logits, [[1., 0., 0.], [0., 0., 1.]], reduction='sum')
    tensor(2.4791)
    >>> bp.losses.cross_entropy_loss(logits, [0, 2], weight=[1., 1., 3.])
    tensor(1.7395)
    """
    _check_reduction(reduction)
    logits = _float(logits)
    targets = _other(targets, logits)
    if logits.ndim == 0:
        raise ValueError('cross_entropy_loss: logits must have a class axis (the last one)')
    lse = torch.logsumexp(logits, dim=-1)
    sparse = targets.ndim + 1 == logits.ndim
    if sparse:
        loss = lse - _pick(logits, targets)
    elif targets.shape == logits.shape:
        if weight is None:
            loss = lse - (logits * targets).sum(dim=-1)
        else:
            w = _other(weight, logits)
            loss = -(w * targets * (logits - lse.unsqueeze(-1))).sum(dim=-1)
    else:
        raise ValueError(f'cross_entropy_loss: targets must have the shape of logits '
                         f'{tuple(logits.shape)} or one axis fewer, got {tuple(targets.shape)}')
    if weight is None or not sparse:
        return _reduce(loss, reduction)
    w = _other(weight, logits)
    if w.shape != (logits.shape[-1],):
        raise ValueError(f'cross_entropy_loss: weight must have shape ({logits.shape[-1]},), '
                         f'got {tuple(w.shape)}')
    wt = _pick(w.expand(logits.shape), targets)
    loss = loss * wt
    if reduction == 'mean':
        return loss.sum() / wt.sum()
    return _reduce(loss, reduction)


def cross_entropy_sparse(logits: Any, labels: Any) -> Tensor:
    r"""Softmax cross entropy with integer labels, one value per example (no reduction).

    ``labels`` is an int, an integer array of shape ``logits.shape[:-1]`` (the
    documented form) or of shape ``logits.shape[:-1] + (1,)`` (what BrainPy 2.1.12's
    ``take_along_axis`` code accepts).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.losses.cross_entropy_sparse([[2., 0., 0.], [0., 2., 0.]], [0, 2])
    tensor([0.2395, 2.2395])
    >>> bp.losses.cross_entropy_sparse([[2., 0., 0.]], 1)
    tensor([2.2395])
    """
    logits = _float(logits)
    lse = torch.logsumexp(logits, dim=-1)
    if isinstance(labels, int):
        return lse - logits[..., labels]
    labels = _other(labels, logits)
    if labels.ndim == logits.ndim:
        if labels.shape[-1] != 1:
            raise ValueError(f'cross_entropy_sparse: labels of shape {tuple(labels.shape)} must '
                             f'have a last axis of size 1, or one axis fewer than logits')
        labels = labels.squeeze(-1)
    if labels.ndim + 1 != logits.ndim:
        raise ValueError(f'cross_entropy_sparse: labels must have shape {tuple(logits.shape[:-1])}, '
                         f'got {tuple(labels.shape)}')
    return lse - torch.take_along_dim(logits, labels.to(torch.int64).unsqueeze(-1), dim=-1).squeeze(-1)


def cross_entropy_sigmoid(logits: Any, labels: Any) -> Tensor:
    r"""Sigmoid cross entropy, element-wise:
    :math:`\max(x, 0) - x\,y + \log(1 + e^{-|x|})`.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.losses.cross_entropy_sigmoid([0., 2.], [1., 0.])
    tensor([0.6931, 2.1269])
    """
    logits = _float(logits)
    labels = _other(labels, logits)
    return torch.clamp(logits, min=0) - logits * labels + torch.log1p(torch.exp(-torch.abs(logits)))


def l1_loos(logits: Any, targets: Any, reduction: str = 'sum') -> Tensor:
    r"""L1 loss: per example (the first axis), :math:`\sum |x - y|` over the other
    axes, then reduced with ``reduction`` (``'sum'`` by default, as in BrainPy).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.losses.l1_loos([[1., 2.], [3., 4.]], [[0., 0.], [0., 0.]], reduction='none')
    tensor([3., 7.])
    >>> bp.losses.l1_loss([[1., 2.], [3., 4.]], [[0., 0.], [0., 0.]])
    tensor(10.)
    """
    _check_reduction(reduction)
    logits = _float(logits)
    targets = _other(targets, logits)
    diff = logits - targets
    if diff.ndim == 0:
        raise ValueError('l1_loos: logits must have a first (batch) axis')
    norm = torch.linalg.vector_norm(diff.reshape(diff.shape[0], -1), ord=1, dim=1)
    return _reduce(norm, reduction)


l1_loss = l1_loos


def l2_loss(predicts: Any, targets: Any) -> Tensor:
    r"""Element-wise L2 loss, :math:`\frac{1}{2}(p - t)^2` (no reduction, as in BrainPy).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.losses.l2_loss([1., 2.], [0., 0.])
    tensor([0.5000, 2.0000])
    """
    predicts = _float(predicts)
    return 0.5 * (predicts - _other(targets, predicts)) ** 2


def mean_absolute_error(x: Any, y: Any, axis: Axis = None) -> Tensor:
    r"""Mean of :math:`|x - y|` over ``axis`` (all axes if None).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.losses.mean_absolute_error([[1., 2.], [3., 4.]], [[0., 0.], [0., 0.]], axis=0)
    tensor([2., 3.])
    """
    x = _float(x)
    return _mean(torch.abs(x - _other(y, x)), axis)


def mean_squared_error(predicts: Any, targets: Any, axis: Axis = None) -> Tensor:
    r"""Mean of :math:`(p - t)^2` over ``axis`` (all axes if None).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.losses.mean_squared_error([[1., 2.], [3., 4.]], [[0., 0.], [0., 0.]], axis=1)
    tensor([ 2.5000, 12.5000])
    """
    predicts = _float(predicts)
    return _mean((predicts - _other(targets, predicts)) ** 2, axis)


def mean_squared_log_error(y_true: Any, y_pred: Any, axis: Axis = None) -> Tensor:
    r"""Mean of :math:`(\log(1 + y_{true}) - \log(1 + y_{pred}))^2` over ``axis``.

    Note BrainPy's argument order: ``y_true`` first.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.losses.mean_squared_log_error([0., 0.], [1., 3.])
    tensor(1.2011)
    """
    y_true = _float(y_true)
    y_pred = _float(y_pred, y_true.device)
    return _mean((torch.log1p(y_true) - torch.log1p(y_pred)) ** 2, axis)


def huber_loss(predicts: Any, targets: Any, delta: float = 1.0) -> Tensor:
    r"""Element-wise Huber loss: :math:`\frac{1}{2}d^2` for :math:`d = |t - p| \le \delta`,
    else :math:`\delta(d - \frac{1}{2}\delta)`.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.losses.huber_loss([0., 0.], [0.5, 3.])
    tensor([0.1250, 2.5000])
    """
    predicts = _float(predicts)
    diff = torch.abs(_other(targets, predicts) - predicts)
    return torch.where(diff > delta, delta * (diff - .5 * delta), 0.5 * diff ** 2)


def binary_logistic_loss(logits: Any, labels: Any) -> Tensor:
    r"""Binary logistic loss, :math:`\mathrm{softplus}(x) - y\,x` (labels 0 or 1).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.losses.binary_logistic_loss([0., 2.], [1, 1])
    tensor([0.6931, 0.1269])
    """
    logits = _float(logits)
    return softplus(logits) - _other(labels, logits) * logits


def multiclass_logistic_loss(label: Any, logits: Any) -> Tensor:
    r"""Multiclass logistic loss of one example: :math:`\log\sum_j e^{x_j} - x_{label}`.

    Note BrainPy's argument order (``label`` first) and that ``logits`` has shape
    ``(n_classes,)``; map over a batch with ``bm.vmap``.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.losses.multiclass_logistic_loss(0, [2., 0., 0.])
    tensor(0.2395)
    """
    logits = _float(logits)
    if logits.ndim != 1:
        raise ValueError(f'multiclass_logistic_loss: logits must have shape (n_classes,), got '
                         f'{tuple(logits.shape)}; use bm.vmap for a batch')
    oh = one_hot(_other(label, logits), logits.shape[0], dtype=logits.dtype)
    return torch.logsumexp(logits, dim=0) - (oh * logits).sum(dim=-1)


def smooth_labels(labels: Any, alpha: float) -> Tensor:
    r"""Label smoothing: :math:`(1 - \alpha)\,y + \alpha / K` for ``K`` classes (the last axis).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.losses.smooth_labels([[0., 1.]], alpha=0.2)
    tensor([[0.1000, 0.9000]])
    """
    labels = _float(labels)
    return (1.0 - alpha) * labels + alpha / labels.shape[-1]


def sigmoid_binary_cross_entropy(logits: Any, labels: Any) -> Tensor:
    r"""Element-wise sigmoid cross entropy,
    :math:`-y \log\sigma(x) - (1 - y)\log\sigma(-x)` (no reduction).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.losses.sigmoid_binary_cross_entropy([0., 2.], [1., 0.])
    tensor([0.6931, 2.1269])
    """
    logits = _float(logits)
    labels = _other(labels, logits)
    return -labels * log_sigmoid(logits) - (1. - labels) * log_sigmoid(-logits)


def softmax_cross_entropy(logits: Any, labels: Any) -> Tensor:
    r"""Softmax cross entropy with probability labels, one value per example:
    :math:`-\sum_j y_j \log \mathrm{softmax}(x)_j` (classes on the last axis).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.losses.softmax_cross_entropy([[2., 0., 0.]], [[0.5, 0.5, 0.]])
    tensor([1.2395])
    """
    logits = _float(logits)
    labels = _other(labels, logits)
    return -torch.sum(labels * log_softmax(logits, axis=-1), dim=-1)


def log_cosh(predicts: Any, targets: Any = None) -> Tensor:
    r"""Element-wise log-cosh loss, :math:`\log\cosh(p - t)` (``targets`` defaults to 0),
    computed stably as :math:`\mathrm{logaddexp}(e, -e) - \log 2`.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.losses.log_cosh([0., 1000.], [0., 0.])
    tensor([  0.0000, 999.3068])
    """
    errors = _float(predicts)
    if targets is not None:
        errors = errors - _other(targets, errors)
    return torch.logaddexp(errors, -errors) - math.log(2.0)
