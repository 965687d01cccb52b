"""bp.losses against NumPy formulas written out from BrainPy 2.1.12's source."""

import ast
import pathlib

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import bptorch as bp
import bptorch.math as bm
from bptorch import losses as L

RNG = np.random.default_rng(0)


def _lse(x, axis=-1):
    m = x.max(axis=axis, keepdims=True)
    return (m + np.log(np.exp(x - m).sum(axis=axis, keepdims=True))).squeeze(axis)


def _log_sigmoid(x):
    return -np.logaddexp(0., -x)


def test_every_public_name_of_brainpy_2_1_12():
    names = {'cross_entropy_loss', 'cross_entropy_sparse', 'cross_entropy_sigmoid', 'l1_loos',
             'l2_loss', 'l2_norm', 'huber_loss', 'mean_absolute_error', 'mean_squared_error',
             'mean_squared_log_error', 'binary_logistic_loss', 'multiclass_logistic_loss',
             'smooth_labels', 'sigmoid_binary_cross_entropy', 'softmax_cross_entropy', 'log_cosh'}
    assert names | {'l1_loss'} <= set(L.__all__)
    assert L.l1_loss is L.l1_loos
    assert bp.losses is L and bm.losses is L


def test_math_does_not_import_losses_or_initialize_at_import_time():
    """Dependency direction: math <- losses, initialize (module-level imports only)."""
    root = pathlib.Path(bm.__file__).parent
    for path in root.rglob('*.py'):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if isinstance(node, ast.ImportFrom):
                mods = [node.module or ''] + [f'{node.module}.{a.name}' for a in node.names]
            elif isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            else:
                continue
            for m in mods:
                assert not m.startswith(('bptorch.losses', 'bptorch.initialize')), (path, m)
                assert m not in ('bptorch.losses', 'bptorch.initialize'), (path, m)


@pytest.mark.parametrize('shape', [(5, 4), (3, 5, 4)])
def test_cross_entropy_loss_integer_and_one_hot_targets(shape):
    logits = RNG.normal(size=shape) * 3
    labels = RNG.integers(0, shape[-1], size=shape[:-1])
    per = _lse(logits) - np.take_along_axis(logits, labels[..., None], -1)[..., 0]
    lt = torch.tensor(logits)
    for reduction, ref in [('mean', per.mean()), ('sum', per.sum()), ('none', per)]:
        out = L.cross_entropy_loss(lt, torch.tensor(labels), reduction=reduction)
        np.testing.assert_allclose(out.numpy(), ref, rtol=1e-12)
        oh = np.eye(shape[-1])[labels]
        np.testing.assert_allclose(L.cross_entropy_loss(lt, oh, reduction=reduction).numpy(), ref,
                                   rtol=1e-12)
    assert L.cross_entropy_loss(lt, labels, reduction='none').shape == shape[:-1]
    # positional order: (logits, targets, weight, reduction); default reduction 'mean'
    np.testing.assert_allclose(L.cross_entropy_loss(lt, labels, None, 'sum').numpy(), per.sum(), rtol=1e-12)
    np.testing.assert_allclose(L.cross_entropy_loss(lt, labels).numpy(), per.mean(), rtol=1e-12)


def test_cross_entropy_loss_probability_targets_use_brainpys_formula():
    logits = RNG.normal(size=(4, 3))
    t = RNG.random(size=(4, 3))   # not normalised: lse - sum(x * t), as BrainPy writes it
    ref = _lse(logits) - (logits * t).sum(-1)
    np.testing.assert_allclose(L.cross_entropy_loss(logits, t, reduction='none').numpy(), ref, rtol=1e-6)


def test_cross_entropy_loss_out_of_range_labels_pick_nothing():
    """BrainPy multiplies by one_hot(labels): a label outside [0, C) leaves lse alone."""
    logits = np.array([[1., 2., 3.], [0., 0., 0.]])
    out = L.cross_entropy_loss(torch.tensor(logits), torch.tensor([3, -1]), reduction='none')
    np.testing.assert_allclose(out.numpy(), _lse(logits), rtol=1e-12)


def test_cross_entropy_loss_weight_matches_torch():
    logits = torch.tensor(RNG.normal(size=(6, 4)))
    labels = torch.tensor(RNG.integers(0, 4, size=6))
    w = torch.tensor([0.5, 1., 2., 3.], dtype=torch.float64)
    for reduction in ('mean', 'sum', 'none'):
        ref = F.cross_entropy(logits, labels, weight=w, reduction=reduction)
        torch.testing.assert_close(L.cross_entropy_loss(logits, labels, w, reduction), ref)
        probs = torch.softmax(torch.tensor(RNG.normal(size=(6, 4))), -1)
        ref_p = F.cross_entropy(logits, probs, weight=w, reduction=reduction)
        torch.testing.assert_close(L.cross_entropy_loss(logits, probs, w, reduction), ref_p)
    # K-dimensional: torch puts classes on axis 1, BrainPy on the last axis
    lk = torch.tensor(RNG.normal(size=(2, 3, 4)))
    yk = torch.tensor(RNG.integers(0, 4, size=(2, 3)))
    torch.testing.assert_close(L.cross_entropy_loss(lk, yk, w),
                               F.cross_entropy(lk.permute(0, 2, 1), yk, weight=w))
    with pytest.raises(ValueError, match=r'weight must have shape \(4,\)'):
        L.cross_entropy_loss(logits, labels, weight=[1., 2.])


def test_cross_entropy_loss_gradient_is_softmax_minus_one_hot():
    logits = torch.tensor(RNG.normal(size=(3, 5)))
    labels = torch.tensor([0, 4, 2])
    g = bm.grad(lambda z: L.cross_entropy_loss(z, labels, reduction='sum'))(logits)
    ref = np.exp(logits.numpy() - _lse(logits.numpy())[:, None]) - np.eye(5)[labels.numpy()]
    np.testing.assert_allclose(g.numpy(), ref, rtol=1e-10, atol=1e-14)
    gv = bm.vmap(bm.grad(lambda z, y: L.cross_entropy_loss(z[None], y[None])))(logits, labels)
    np.testing.assert_allclose(gv.numpy(), ref, rtol=1e-10, atol=1e-14)


def test_cross_entropy_loss_errors():
    with pytest.raises(bp.errors.UnsupportedError, match='reduction'):
        L.cross_entropy_loss([[0., 1.]], [1], reduction='batchmean')
    with pytest.raises(ValueError, match='reduction'):    # UnsupportedError is a ValueError
        L.l1_loos([[0., 1.]], [[1., 1.]], reduction='avg')
    with pytest.raises(ValueError, match='shape of logits'):
        L.cross_entropy_loss(np.zeros((2, 3)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match='class axis'):
        L.cross_entropy_loss(1., 0)


def test_cross_entropy_sparse():
    logits = RNG.normal(size=(4, 3))
    labels = np.array([0, 2, 1, 1])
    ref = _lse(logits) - logits[np.arange(4), labels]
    lt = torch.tensor(logits)
    np.testing.assert_allclose(L.cross_entropy_sparse(lt, labels).numpy(), ref, rtol=1e-12)
    np.testing.assert_allclose(L.cross_entropy_sparse(lt, labels[:, None]).numpy(), ref, rtol=1e-12)
    np.testing.assert_allclose(L.cross_entropy_sparse(lt, 2).numpy(), _lse(logits) - logits[:, 2],
                               rtol=1e-12)
    with pytest.raises(ValueError, match='labels'):
        L.cross_entropy_sparse(lt, np.zeros((4, 2), dtype=int))


def test_elementwise_losses():
    x = np.concatenate([RNG.normal(size=20) * 3, [-800., 800.]])
    y = np.concatenate([RNG.random(size=20), [1., 0.]])
    xt, yt = torch.tensor(x), torch.tensor(y)
    np.testing.assert_allclose(L.cross_entropy_sigmoid(xt, yt).numpy(),
                               np.maximum(x, 0) - x * y + np.log1p(np.exp(-np.abs(x))), rtol=1e-12)
    np.testing.assert_allclose(L.sigmoid_binary_cross_entropy(xt, yt).numpy(),
                               -y * _log_sigmoid(x) - (1 - y) * _log_sigmoid(-x), rtol=1e-12)
    np.testing.assert_allclose(L.binary_logistic_loss(xt, yt).numpy(),
                               np.logaddexp(x, 0) - y * x, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(L.l2_loss(xt, yt).numpy(), 0.5 * (x - y) ** 2, rtol=1e-12)
    e = x - y
    np.testing.assert_allclose(L.log_cosh(xt, yt).numpy(), np.logaddexp(e, -e) - np.log(2), rtol=1e-12)
    np.testing.assert_allclose(L.log_cosh(xt).numpy(), np.logaddexp(x, -x) - np.log(2), rtol=1e-12)
    for delta in (1.0, 0.3, 5.):
        d = np.abs(y - x)
        ref = np.where(d > delta, delta * (d - 0.5 * delta), 0.5 * d ** 2)
        np.testing.assert_allclose(L.huber_loss(xt, yt, delta).numpy(), ref, rtol=1e-12)
    assert L.huber_loss(xt, yt).shape == xt.shape
    # all finite in float32 for large logits, gradients included
    big = torch.tensor([-1e4, -50., 0., 50., 1e4], requires_grad=True)
    lab = torch.tensor([1., 0., 1., 0., 1.])
    for f in (L.cross_entropy_sigmoid, L.sigmoid_binary_cross_entropy, L.binary_logistic_loss, L.log_cosh):
        out = f(big, lab)
        (g,) = torch.autograd.grad(out.sum(), big)
        assert torch.isfinite(out).all() and torch.isfinite(g).all(), f.__name__


def test_sigmoid_cross_entropies_agree_with_torch():
    x = torch.tensor(RNG.normal(size=(3, 4)))
    y = torch.tensor(RNG.random(size=(3, 4)))
    ref = F.binary_cross_entropy_with_logits(x, y, reduction='none')
    torch.testing.assert_close(L.sigmoid_binary_cross_entropy(x, y), ref)
    torch.testing.assert_close(L.cross_entropy_sigmoid(x, y), ref)


def test_l1_loos():
    x = RNG.normal(size=(3, 2, 4))
    y = RNG.normal(size=(3, 2, 4))
    per = np.abs(x - y).reshape(3, -1).sum(1)
    xt, yt = torch.tensor(x), torch.tensor(y)
    np.testing.assert_allclose(L.l1_loos(xt, yt).numpy(), per.sum(), rtol=1e-12)     # default 'sum'
    np.testing.assert_allclose(L.l1_loos(xt, yt, 'mean').numpy(), per.mean(), rtol=1e-12)
    np.testing.assert_allclose(L.l1_loos(xt, yt, reduction='none').numpy(), per, rtol=1e-12)
    np.testing.assert_allclose(L.l1_loss([1., -2.], [0., 0.], 'none').numpy(), [1., 2.])
    z = torch.tensor([[3 + 4j, 1j]])
    np.testing.assert_allclose(L.l1_loos(z, torch.zeros(1, 2)).numpy(), 6.)
    with pytest.raises(ValueError, match='batch'):
        L.l1_loos(1., 0.)


@pytest.mark.parametrize('axis', [None, 0, 1, (0, 2), -1])
def test_mean_errors(axis):
    x = RNG.random(size=(2, 3, 4)) * 3
    y = RNG.random(size=(2, 3, 4)) * 3
    ax = axis if axis is None or isinstance(axis, int) else tuple(axis)
    xt, yt = torch.tensor(x), torch.tensor(y)
    np.testing.assert_allclose(L.mean_absolute_error(xt, yt, axis).numpy(),
                               np.abs(x - y).mean(axis=ax), rtol=1e-12)
    np.testing.assert_allclose(L.mean_squared_error(xt, yt, axis=axis).numpy(),
                               ((x - y) ** 2).mean(axis=ax), rtol=1e-12)
    np.testing.assert_allclose(L.mean_squared_log_error(xt, yt, axis=axis).numpy(),
                               ((np.log1p(x) - np.log1p(y)) ** 2).mean(axis=ax), rtol=1e-12)


def test_integer_and_list_inputs():
    assert L.mean_squared_error([1, 2], [1, 4]).dtype == torch.float32
    assert float(L.mean_squared_error([1, 2], [1, 4])) == 2.
    assert float(L.mean_absolute_error(np.array([1, 2]), [2, 2])) == 0.5
    v = bm.Variable(torch.tensor([1., 3.]))
    assert float(L.mean_squared_error(v, [1., 1.])) == 2.


def test_l2_norm():
    a = RNG.normal(size=(3, 2))
    b = RNG.normal(size=4)
    ref = np.sqrt((a ** 2).sum() + (b ** 2).sum())
    np.testing.assert_allclose(L.l2_norm(torch.tensor(a)).numpy(), np.sqrt((a ** 2).sum()), rtol=1e-12)
    np.testing.assert_allclose(L.l2_norm({'a': torch.tensor(a), 'b': [torch.tensor(b)]}).numpy(), ref,
                               rtol=1e-12)
    # NumPy float64 data becomes the default float (bptorch's, JAX's rule)
    np.testing.assert_allclose(L.l2_norm((bm.Variable(torch.tensor(a)), b)).numpy(), ref, rtol=1e-6)
    np.testing.assert_allclose(L.l2_norm(torch.tensor([3 + 4j])).numpy(), 5.)
    assert float(L.l2_norm([3, 4])) == 5.
    with pytest.raises(ValueError, match='no arrays'):
        L.l2_norm({})


def test_l2_norm_of_a_models_train_vars_is_differentiable():
    class M(bp.Base):
        def __init__(self):
            super().__init__()
            self.w = bm.TrainVar(torch.tensor([[3., 0.], [0., 4.]]))
            self.b = bm.TrainVar(torch.tensor([0.]))
    m = M()
    grads = bm.grad(lambda: L.l2_norm(m.train_vars()), grad_vars=m.train_vars())()
    np.testing.assert_allclose(grads[next(k for k in grads if k.endswith('.w'))].numpy(),
                               [[0.6, 0.], [0., 0.8]], rtol=1e-6)


def test_multiclass_logistic_loss_and_softmax_cross_entropy():
    logits = RNG.normal(size=5)
    out = L.multiclass_logistic_loss(3, torch.tensor(logits))   # BrainPy's order: label first
    np.testing.assert_allclose(out.numpy(), _lse(logits, 0) - logits[3], rtol=1e-12)
    batch = torch.tensor(RNG.normal(size=(4, 5)))
    labels = torch.tensor([0, 1, 4, 2])
    v = bm.vmap(L.multiclass_logistic_loss)(labels, batch)
    np.testing.assert_allclose(v.numpy(), L.cross_entropy_loss(batch, labels, reduction='none').numpy(),
                               rtol=1e-12)
    with pytest.raises(ValueError, match='vmap'):
        L.multiclass_logistic_loss(0, batch)
    p = RNG.random(size=(4, 5))
    p /= p.sum(-1, keepdims=True)
    ref = -(p * (batch.numpy() - _lse(batch.numpy())[:, None])).sum(-1)
    np.testing.assert_allclose(L.softmax_cross_entropy(batch, torch.tensor(p)).numpy(), ref, rtol=1e-12)


def test_smooth_labels():
    labels = np.eye(4)[[0, 3]]
    np.testing.assert_allclose(L.smooth_labels(labels, 0.2).numpy(), 0.8 * labels + 0.05, rtol=1e-6)
    out = L.smooth_labels(torch.tensor(labels), alpha=0.1)
    assert np.allclose(out.sum(-1).numpy(), 1.)


def test_on_the_device(device):
    logits = torch.randn(3, 4, device=device)
    labels = np.array([0, 1, 3])   # NumPy targets go to the logits' device
    assert L.cross_entropy_loss(logits, labels).device == logits.device
    assert L.cross_entropy_loss(logits, labels, weight=[1., 2., 3., 4.]).device == logits.device
    assert L.cross_entropy_sparse(logits, labels).device == logits.device
    assert L.mean_squared_error(logits, np.zeros((3, 4))).device == logits.device
    assert L.l2_norm([logits, np.ones(2)]).device == logits.device
    assert L.multiclass_logistic_loss(1, logits[0]).device == logits.device
