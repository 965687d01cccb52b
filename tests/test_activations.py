"""bm.activations against NumPy formulas written out from BrainPy 2.1.12's source."""

import math

import numpy as np
import pytest
import torch

import bptorch.math as bm
from bptorch.math import activations as A

X = np.array([-1e4, -100., -20., -3., -1., -0.5, -1e-3, 0., 1e-3, 0.5, 1., 3., 20., 100., 1e4])
SELU_A, SELU_L = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def _np_sigmoid(x):
    return np.where(x >= 0, 1 / (1 + np.exp(-np.abs(x))), np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))))


def _np_softplus(x):
    return np.logaddexp(x, 0.)


def _np_relu6(x):
    return np.minimum(np.maximum(x, 0), 6.)


with np.errstate(over='ignore'):
    REFERENCES = {
        'relu': lambda x: np.maximum(x, 0),
        'relu6': _np_relu6,
        'sigmoid': _np_sigmoid,
        'softplus': _np_softplus,
        'log_sigmoid': lambda x: -_np_softplus(-x),
        'silu': lambda x: x * _np_sigmoid(x),
        'swish': lambda x: x * _np_sigmoid(x),
        'elu': lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))),
        'celu': lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))),
        'selu': lambda x: SELU_L * np.where(x > 0, x, SELU_A * np.expm1(np.minimum(x, 0))),
        'gelu': lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3))),
        'leaky_relu': lambda x: np.where(x >= 0, x, 0.01 * x),
        'hard_tanh': lambda x: np.where(x > 1, 1, np.where(x < -1, -1, x)),
        'hard_sigmoid': lambda x: _np_relu6(x + 3.) / 6.,
        'hard_silu': lambda x: x * _np_relu6(x + 3.) / 6.,
        'hard_swish': lambda x: x * _np_relu6(x + 3.) / 6.,
        'soft_sign': lambda x: x / (np.abs(x) + 1),
        'tanh': np.tanh,
        'identity': lambda x: x,
    }


@pytest.mark.parametrize('name', sorted(REFERENCES))
@pytest.mark.parametrize('dtype', [torch.float32, torch.float64])
def test_elementwise_values(name, dtype):
    fn = getattr(A, name)
    x = torch.tensor(X, dtype=dtype)
    out = fn(x)
    assert out.dtype == dtype and out.shape == x.shape
    with np.errstate(over='ignore', invalid='ignore'):
        ref = REFERENCES[name](X)
    rtol = 1e-6 if dtype == torch.float32 else 1e-12
    np.testing.assert_allclose(out.numpy(), ref, rtol=rtol, atol=rtol)


@pytest.mark.parametrize('name', sorted(set(REFERENCES) - {'identity', 'tanh', 'relu6', 'hard_tanh',
                                                           'hard_sigmoid', 'hard_silu', 'hard_swish'}))
def test_elementwise_gradients_are_finite_and_match_finite_differences(name):
    fn = getattr(A, name)
    x = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(fn(x).sum(), x)
    assert torch.isfinite(g).all(), (name, g)
    # central differences away from the kinks at 0
    xs = np.array([-3., -1., -0.5, 0.5, 1., 3.])
    h = 1e-6
    with np.errstate(over='ignore'):
        fd = (REFERENCES[name](xs + h) - REFERENCES[name](xs - h)) / (2 * h)
    xt = torch.tensor(xs, requires_grad=True)
    (gt,) = torch.autograd.grad(fn(xt).sum(), xt)
    np.testing.assert_allclose(gt.numpy(), fd, rtol=1e-6, atol=1e-8)


def test_gradient_conventions_at_the_kinks():
    """JAX's rules: relu'(0) = 0, leaky_relu'(0) = 1 (x >= 0 branch), ties of max/min split 1/2."""
    def g(fn, v):
        x = torch.tensor(v, dtype=torch.float64, requires_grad=True)
        return torch.autograd.grad(fn(x), x)[0].item()
    assert g(A.relu, 0.) == 0.
    assert g(A.leaky_relu, 0.) == 1.
    assert g(A.relu6, 0.) == 0.5 and g(A.relu6, 6.) == 0.5
    assert g(A.hard_tanh, 1.) == 1. and g(A.hard_tanh, -1.) == 1. and g(A.hard_tanh, 1.5) == 0.
    assert g(A.elu, 0.) == 1.          # x <= 0 branch: alpha * exp(0)
    assert g(A.celu, 1e4) == 1.        # no inf * 0 from the unused branch


def test_parameters():
    x = np.array([-2., -0.5, 0.5, 2.])
    np.testing.assert_allclose(A.celu(torch.tensor(x), alpha=2.).numpy(),
                               np.where(x > 0, x, 2. * np.expm1(x / 2.)), rtol=1e-6)
    np.testing.assert_allclose(A.elu(torch.tensor(x), alpha=0.5).numpy(),
                               np.where(x > 0, x, 0.5 * np.expm1(x)), rtol=1e-6)
    np.testing.assert_allclose(A.leaky_relu(torch.tensor(x), negative_slope=0.2).numpy(),
                               np.where(x >= 0, x, 0.2 * x), rtol=1e-6)
    # alpha as an array broadcasts
    np.testing.assert_allclose(A.elu(torch.tensor(x), alpha=np.array([1., 2., 1., 1.])).numpy(),
                               np.where(x > 0, x, np.array([1., 2., 1., 1.]) * np.expm1(x)), rtol=1e-6)


def test_gelu_exact_and_default_is_the_tanh_approximation():
    x = np.linspace(-5, 5, 41)
    exact = np.array([v * (math.erf(v / math.sqrt(2)) + 1) / 2 for v in x])
    approx = 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))
    xt = torch.tensor(x)
    np.testing.assert_allclose(A.gelu(xt).numpy(), approx, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(A.gelu(xt, approximate=False).numpy(), exact, rtol=1e-12, atol=1e-12)
    assert np.abs(approx - exact).max() > 1e-4   # the two differ: the default matters


def test_integer_inputs_promote_to_the_default_float():
    assert A.sigmoid([0, 1]).dtype == torch.float32
    assert A.relu6(torch.tensor([1, 7])).tolist() == [1., 6.]
    assert A.relu(torch.tensor([-1, 2])).dtype == torch.int64       # relu keeps ints, as JAX
    assert A.hard_tanh(torch.tensor([-3, 0, 3])).tolist() == [-1, 0, 1]
    bm.enable_x64()
    assert A.softplus([1, 2]).dtype == torch.float64
    assert A.elu(3).dtype == torch.float64


def test_inputs_may_be_variables_lists_and_numpy():
    v = bm.Variable(torch.tensor([-1., 1.]))
    assert A.relu(v).tolist() == [0., 1.]
    assert A.soft_sign(np.array([1., 3.])).tolist() == [0.5, 0.75]
    assert A.silu([0.]).tolist() == [0.]


def _np_log_softmax(x, axis):
    m = x.max(axis=axis, keepdims=True)
    s = x - m
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


@pytest.mark.parametrize('axis', [-1, 0, 1, (0, 1), (0, 2), None])
def test_softmax_and_log_softmax_axes(axis):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 4)) * 50
    lsm = _np_log_softmax(x, axis)
    xt = torch.tensor(x)
    np.testing.assert_allclose(A.log_softmax(xt, axis=axis).numpy(), lsm, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(A.softmax(xt, axis=axis).numpy(), np.exp(lsm), rtol=1e-12, atol=1e-300)
    assert np.allclose(A.softmax(xt, axis=axis).numpy().sum(axis=axis), 1.)


def test_softmax_is_stable_for_large_logits():
    x = torch.tensor([1e4, 0., -1e4])
    assert A.softmax(x).tolist() == [1., 0., 0.]
    assert torch.isfinite(A.log_softmax(x)).all()
    g = torch.func.grad(lambda z: A.log_softmax(z)[1])(x)
    assert torch.isfinite(g).all()
    np.testing.assert_allclose(g.numpy(), [-1., 1., 0.], atol=1e-6)


def test_softmax_gradient_matches_closed_form():
    x = torch.tensor([0.3, -1.2, 2.0], dtype=torch.float64)
    p = np.exp(x.numpy()) / np.exp(x.numpy()).sum()
    jac = torch.autograd.functional.jacobian(A.softmax, x).numpy()
    np.testing.assert_allclose(jac, np.diag(p) - np.outer(p, p), rtol=1e-12, atol=1e-14)


def test_bad_axes_are_refused():
    with pytest.raises(ValueError, match='out of bounds'):
        A.softmax(torch.zeros(2, 3), axis=2)
    with pytest.raises(TypeError, match='axis'):
        A.log_softmax(torch.zeros(2, 3), axis=(0, 'a'))


def test_one_hot():
    out = A.one_hot(torch.tensor([0, 2, -1, 3]), 3)
    assert out.dtype == torch.float32
    np.testing.assert_array_equal(out.numpy(), [[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]])
    labels = np.array([[0, 1], [2, 2]])
    ref = (labels[..., None] == np.arange(3)).astype(np.float32)
    np.testing.assert_array_equal(A.one_hot(labels, 3).numpy(), ref)
    np.testing.assert_array_equal(A.one_hot(labels, 3, axis=0).numpy(), np.moveaxis(ref, -1, 0))
    np.testing.assert_array_equal(A.one_hot(labels, 3, axis=1).numpy(), np.moveaxis(ref, -1, 1))
    assert A.one_hot([1], 2, dtype=bm.int32).dtype == torch.int32
    assert A.one_hot([1], 2, dtype=bool).dtype == torch.bool
    bm.enable_x64()
    assert A.one_hot([1], 2).dtype == torch.float64


def test_one_hot_refuses_bad_arguments():
    with pytest.raises(TypeError, match='num_classes'):
        A.one_hot([1], 2.5)
    with pytest.raises(ValueError, match='out of bounds'):
        A.one_hot([1, 0], 2, axis=2)
    with pytest.raises(NotImplementedError, match='named axes'):
        A.one_hot([1], 2, axis='batch')


def test_one_hot_under_vmap():
    out = bm.vmap(lambda i: A.one_hot(i, 4))(torch.tensor([3, 0]))
    np.testing.assert_array_equal(out.numpy(), np.eye(4, dtype=np.float32)[[3, 0]])


@pytest.mark.parametrize('axis', [-1, 0, (0, 1), None])
def test_normalize_formula(axis):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 4)) * 2 + 1
    ax = axis if axis is None or isinstance(axis, int) else tuple(axis)
    mean = x.mean(axis=ax, keepdims=True)
    var = (x ** 2).mean(axis=ax, keepdims=True) - mean ** 2   # BrainPy's definition
    ref = (x - mean) / np.sqrt(var + 1e-5)
    np.testing.assert_allclose(A.normalize(torch.tensor(x), axis=axis).numpy(), ref, rtol=1e-10)
    np.testing.assert_allclose(A.standardize(torch.tensor(x), axis=axis).numpy(), ref, rtol=1e-10)


def test_normalize_with_given_statistics_and_epsilon():
    x = np.array([1., 2., 4.])
    out = A.normalize(torch.tensor(x), mean=1., variance=3., epsilon=1.)
    np.testing.assert_allclose(out.numpy(), (x - 1.) / 2., rtol=1e-12)


def test_glu():
    x = np.arange(12.).reshape(3, 4) / 4 - 1
    ref = x[:, :2] * _np_sigmoid(x[:, 2:])
    np.testing.assert_allclose(A.glu(torch.tensor(x)).numpy(), ref, rtol=1e-12)
    with pytest.raises(ValueError, match='divisible by 2'):
        A.glu(torch.tensor(x), axis=0)   # axis 0 has size 3
    x2 = np.arange(8.).reshape(4, 2)
    np.testing.assert_allclose(A.glu(torch.tensor(x2), axis=0).numpy(),
                               x2[:2] * _np_sigmoid(x2[2:]), rtol=1e-12)


def test_get():
    assert A.get('relu') is A.relu
    assert A.get('tanh') is bm.tanh
    assert A.get('identity') is A.identity
    assert A.get(None) is None
    f = lambda x: x  # noqa: E731
    assert A.get(f) is f
    for name in A.__all__:
        assert callable(A.get(name))
    with pytest.raises(ValueError, match='Unknown activation'):
        A.get('no_such_activation')
    with pytest.raises(ValueError, match='Unknown activation'):
        A.get(3)


def test_module_layout_and_re_exports():
    """BrainPy: bm.activations.X, and bm.X for every activation except tanh/identity,
    which at bm.* are NumPy's (BrainPy imports numpy_ops after activations)."""
    for name in A.__all__:
        if name in ('tanh', 'identity'):
            continue
        assert getattr(bm, name) is getattr(A, name), name
        assert name in bm.__all__
    assert bm.activations is A
    assert A.tanh is bm.tanh
    assert bm.identity(2).tolist() == [[1., 0.], [0., 1.]]
    assert A.identity([3., 4.]).tolist() == [3., 4.]
    brainpy_all = {'celu', 'elu', 'gelu', 'glu', 'hard_tanh', 'hard_sigmoid', 'hard_silu',
                   'hard_swish', 'leaky_relu', 'log_sigmoid', 'log_softmax', 'one_hot', 'normalize',
                   'relu', 'relu6', 'sigmoid', 'soft_sign', 'softmax', 'softplus', 'silu', 'swish',
                   'selu', 'identity', 'tanh'}
    assert brainpy_all <= set(A.__all__)


def test_under_grad_and_vmap():
    x = torch.tensor([[-1., 0.5], [2., -3.]])
    g = bm.grad(lambda z: A.selu(z).sum())(x)
    ref = SELU_L * np.where(x.numpy() > 0, 1., SELU_A * np.exp(x.numpy()))
    np.testing.assert_allclose(g.numpy(), ref, rtol=1e-6)
    out = bm.vmap(lambda z: A.softmax(z))(x)
    np.testing.assert_allclose(out.numpy(), torch.softmax(x, -1).numpy(), rtol=1e-6)


def test_on_the_device(device):
    x = torch.tensor([-1., 0., 1.], device=device)
    for name in ('relu6', 'hard_tanh', 'elu', 'softplus', 'hard_silu'):
        assert getattr(A, name)(x).device == x.device
    assert A.one_hot(torch.tensor([1], device=device), 3).device == x.device
    assert A.elu(x, alpha=np.array(2.)).device == x.device
