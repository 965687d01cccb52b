"""bm.surrogate: Heaviside forward, surrogate backward, against NumPy formulas.

The references are written out from the formulas BrainPy 2.3.8 documents for each
function (see bptorch.math.surrogate._one_input for where its code differs).
"""

import inspect
from math import erf as _erf

import numpy as np
import pytest
import torch

import bptorch.math as bm
from bptorch.math import surrogate as S

X = np.concatenate([[-1e4, -1e3, -50., -10.], np.linspace(-3, 3, 61), [10., 50., 1e3, 1e4],
                    [-1e-7, 1e-7]])


def _sig(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))


def _normal(x, mu, sigma):
    return np.exp(-(x - mu) ** 2 / (2 * sigma ** 2)) / (np.sqrt(2 * np.pi) * sigma)


_verf = np.vectorize(_erf)


def _sq_terms(n):
    return [2 * i - 1 for i in range(1, max(n - 1, 1) + 1)]


# name -> (class, params, grad(x, **params), fun(x, **params) or None)
CASES = {
    'sigmoid': (S.Sigmoid, dict(alpha=4.),
                lambda x, alpha: alpha * _sig(alpha * x) * _sig(-alpha * x),
                lambda x, alpha: _sig(alpha * x)),
    'piecewise_quadratic': (S.PiecewiseQuadratic, dict(alpha=1.),
                            lambda x, alpha: np.where(np.abs(x) > 1 / alpha, 0., -alpha ** 2 * np.abs(x) + alpha),
                            lambda x, alpha: np.where(x < -1 / alpha, 0., np.where(
                                x > 1 / alpha, 1., -0.5 * alpha ** 2 * np.abs(x) * x + alpha * x + 0.5))),
    'piecewise_exp': (S.PiecewiseExp, dict(alpha=1.),
                      lambda x, alpha: alpha / 2 * np.exp(-alpha * np.abs(x)),
                      lambda x, alpha: np.where(x < 0, 0.5 * np.exp(alpha * np.minimum(x, 0)),
                                                1 - 0.5 * np.exp(-alpha * np.maximum(x, 0)))),
    'soft_sign': (S.SoftSign, dict(alpha=1.),
                  lambda x, alpha: alpha / (2 * (1 + np.abs(alpha * x)) ** 2),
                  lambda x, alpha: 0.5 * (alpha * x / (1 + np.abs(alpha * x)) + 1)),
    'arctan': (S.Arctan, dict(alpha=1.),
               lambda x, alpha: alpha / (2 * (1 + (np.pi / 2 * alpha * x) ** 2)),
               lambda x, alpha: np.arctan(np.pi / 2 * alpha * x) / np.pi + 0.5),
    'nonzero_sign_log': (S.NonzeroSignLog, dict(alpha=1.),
                         lambda x, alpha: alpha / (1 + np.abs(alpha * x)),
                         lambda x, alpha: np.where(x >= 0, 1., -1.) * np.log(np.abs(alpha * x) + 1)),
    'erf': (S.ERF, dict(alpha=1.),
            lambda x, alpha: alpha / np.sqrt(np.pi) * np.exp(-alpha ** 2 * x ** 2),
            lambda x, alpha: 0.5 * (1 + _verf(alpha * x))),
    'piecewise_leaky_relu': (S.PiecewiseLeakyRelu, dict(c=0.01, w=1.),
                             lambda x, c, w: np.where(np.abs(x) <= w, 1 / w, c),
                             lambda x, c, w: np.where(x < -w, c * x + c * w, np.where(
                                 x > w, c * x - c * w + 1, x / (2 * w) + 0.5))),
    'squarewave_fourier_series': (S.SquarewaveFourierSeries, dict(n=2, t_period=8.),
                                  lambda x, n, t_period: 4 / t_period * sum(
                                      np.cos(k * 2 * np.pi / t_period * x) for k in _sq_terms(n)),
                                  lambda x, n, t_period: 0.5 + 2 / np.pi * sum(
                                      np.sin(k * 2 * np.pi / t_period * x) / k for k in _sq_terms(n))),
    's2nn': (S.S2NN, dict(alpha=4., beta=1., epsilon=1e-8),
             lambda x, alpha, beta, epsilon: np.where(
                 x < 0, alpha * _sig(alpha * x) * _sig(-alpha * x), beta / (np.abs(x) + 1)),
             lambda x, alpha, beta, epsilon: np.where(
                 x < 0, _sig(alpha * x), beta * np.log(np.abs(x + 1) + epsilon) + 0.5)),
    'q_pseudo_spike': (S.QPseudoSpike, dict(alpha=2.),
                       lambda x, alpha: (1 + 2 * np.abs(x) / (alpha - 1)) ** -alpha,
                       lambda x, alpha: np.where(
                           x < 0, 0.5 * (1 - 2 * np.minimum(x, 0) / (alpha - 1)) ** (1 - alpha),
                           1 - 0.5 * (1 + 2 * np.maximum(x, 0) / (alpha - 1)) ** (1 - alpha))),
    'leaky_relu': (S.LeakyRelu, dict(alpha=0.1, beta=1.),
                   lambda x, alpha, beta: np.where(x < 0, alpha, beta),
                   lambda x, alpha, beta: np.where(x < 0, alpha * x, beta * x)),
    'log_tailed_relu': (S.LogTailedRelu, dict(alpha=0.),
                        lambda x, alpha: np.where(x > 1, 1 / np.maximum(x, 1), np.where(x > 0, 1., alpha)),
                        lambda x, alpha: np.where(x > 1, np.log(np.maximum(x, 1)), np.where(x > 0, x, alpha * x))),
    'relu_grad': (S.ReluGrad, dict(alpha=0.3, width=1.),
                  lambda x, alpha, width: alpha * np.maximum(width - np.abs(x), 0), None),
    'gaussian_grad': (S.GaussianGrad, dict(sigma=0.5, alpha=0.5),
                      lambda x, sigma, alpha: alpha * _normal(x, 0, sigma), None),
    'multi_gaussian_grad': (S.MultiGaussianGrad, dict(h=0.15, s=6.0, sigma=0.5, scale=0.5),
                            lambda x, h, s, sigma, scale: scale * (
                                (1 + h) * _normal(x, 0, sigma) - h * _normal(x, sigma, s * sigma)
                                - h * _normal(x, -sigma, s * sigma)), None),
    'inv_square_grad': (S.InvSquareGrad, dict(alpha=100.),
                        lambda x, alpha: 1 / (alpha * np.abs(x) + 1) ** 2, None),
    'slayer_grad': (S.SlayerGrad, dict(alpha=1.),
                    lambda x, alpha: np.exp(-alpha * np.abs(x)), None),
}

# non-default parameters, to check that each parameter is used
OTHER_PARAMS = {
    'sigmoid': dict(alpha=1.5), 'piecewise_quadratic': dict(alpha=2.5), 'piecewise_exp': dict(alpha=3.),
    'soft_sign': dict(alpha=0.3), 'arctan': dict(alpha=2.), 'nonzero_sign_log': dict(alpha=5.),
    'erf': dict(alpha=0.7), 'piecewise_leaky_relu': dict(c=0.2, w=0.5),
    'squarewave_fourier_series': dict(n=5, t_period=3.), 's2nn': dict(alpha=2., beta=3., epsilon=1e-3),
    'q_pseudo_spike': dict(alpha=3.5), 'leaky_relu': dict(alpha=0.3, beta=2.),
    'log_tailed_relu': dict(alpha=0.2), 'relu_grad': dict(alpha=0.7, width=2.),
    'gaussian_grad': dict(sigma=1.3, alpha=2.), 'multi_gaussian_grad': dict(h=0.3, s=2., sigma=1., scale=2.),
    'inv_square_grad': dict(alpha=3.), 'slayer_grad': dict(alpha=0.25),
}

NAMES = sorted(CASES)


def _grad(fn, x):
    x = x.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(fn(x).sum(), x)
    return g


def test_every_brainpy_238_name_is_here():
    expected = set(CASES) | {'inv_square_grad2', 'relu_grad2'}
    classes = {'Sigmoid', 'PiecewiseQuadratic', 'PiecewiseExp', 'SoftSign', 'Arctan', 'NonzeroSignLog',
               'ERF', 'PiecewiseLeakyRelu', 'SquarewaveFourierSeries', 'S2NN', 'QPseudoSpike',
               'LeakyRelu', 'LogTailedRelu', 'ReluGrad', 'GaussianGrad', 'InvSquareGrad',
               'MultiGaussianGrad', 'SlayerGrad'}
    assert expected | classes | {'Surrogate'} <= set(S.__all__)
    assert bm.surrogate is S


@pytest.mark.parametrize('name', NAMES)
def test_signature_and_defaults_are_brainpy_238s(name):
    cls, params, _, fun = CASES[name]
    sig = inspect.signature(getattr(S, name))
    expected = dict(params, **({'origin': False} if fun is not None else {}))
    assert list(sig.parameters)[0] == 'x'
    assert {k: p.default for k, p in list(sig.parameters.items())[1:]} == expected
    csig = inspect.signature(cls)
    assert {k: p.default for k, p in csig.parameters.items()} == expected


@pytest.mark.parametrize('name', NAMES)
@pytest.mark.parametrize('which', ['default', 'other'])
def test_backward_is_the_surrogate_derivative_float64(name, which):
    cls, params, grad_ref, _ = CASES[name]
    if which == 'other':
        params = OTHER_PARAMS[name]
    x = torch.tensor(X, dtype=torch.float64)
    with np.errstate(over='ignore', divide='ignore'):
        ref = grad_ref(X, **params)
    np.testing.assert_allclose(_grad(lambda z: getattr(S, name)(z, **params), x).numpy(), ref,
                               rtol=1e-10, atol=1e-300)
    np.testing.assert_allclose(_grad(cls(**params), x).numpy(), ref, rtol=1e-10, atol=1e-300)
    # the incoming gradient multiplies
    w = torch.linspace(-2, 2, len(X), dtype=torch.float64)
    xr = x.clone().requires_grad_(True)
    (gw,) = torch.autograd.grad((cls(**params)(xr) * w).sum(), xr)
    np.testing.assert_allclose(gw.numpy(), ref * w.numpy(), rtol=1e-10, atol=1e-300)


@pytest.mark.parametrize('name', NAMES)
@pytest.mark.parametrize('dtype', [torch.float32, torch.float64, torch.float16])
def test_forward_is_the_heaviside_step_in_the_input_dtype(name, dtype):
    x = torch.tensor(X, dtype=dtype)
    out = getattr(S, name)(x)
    assert out.dtype == dtype and out.shape == x.shape
    assert torch.equal(out, (x >= 0).to(dtype))   # x == 0 spikes
    assert getattr(S, name)(torch.tensor(0., dtype=dtype)).item() == 1.


@pytest.mark.parametrize('name', NAMES)
def test_float32_is_finite_and_accurate_up_to_1e4(name):
    cls, params, grad_ref, fun = CASES[name]
    for p in (params, OTHER_PARAMS[name]):
        x = torch.tensor(X, dtype=torch.float32)
        g = _grad(cls(**p), x)
        assert torch.isfinite(g).all(), (name, p)
        # a cosine of a large float32 argument carries its rounding: compare where well-conditioned
        ok = np.abs(X) <= 50 if name == 'squarewave_fourier_series' else np.ones(len(X), bool)
        with np.errstate(over='ignore', divide='ignore'):
            np.testing.assert_allclose(g.numpy()[ok], grad_ref(X, **p)[ok], rtol=2e-5, atol=1e-6)
        if fun is not None:
            y = cls(**p, origin=True)(x)
            assert torch.isfinite(y).all(), (name, p)
            go = _grad(cls(**p, origin=True), x)
            assert torch.isfinite(go).all() and torch.equal(go, g)


@pytest.mark.parametrize('name', [n for n in NAMES if CASES[n][3] is not None])
def test_origin_forward_is_the_smooth_function(name):
    cls, params, grad_ref, fun = CASES[name]
    for p in (params, OTHER_PARAMS[name]):
        x = torch.tensor(X, dtype=torch.float64)
        with np.errstate(over='ignore', divide='ignore', invalid='ignore'):
            ref = fun(X, **p)
        np.testing.assert_allclose(getattr(S, name)(x, **p, origin=True).numpy(), ref,
                                   rtol=1e-10, atol=1e-12)
        out = cls(**p, origin=True)(x)
        assert out.dtype == torch.float64
        np.testing.assert_allclose(out.numpy(), ref, rtol=1e-10, atol=1e-12)


# piecewise_leaky_relu's gradient inside [-w, w] is 1/w, twice the slope of its g (BrainPy's,
# SpikingJelly's definition); everywhere else g' is the derivative of g.
@pytest.mark.parametrize('name', [n for n in NAMES if CASES[n][3] is not None
                                  and n != 'piecewise_leaky_relu'])
def test_the_surrogate_gradient_is_the_derivative_of_the_origin_function(name):
    cls, params, grad_ref, fun = CASES[name]
    for p in (params, OTHER_PARAMS[name]):
        if 'epsilon' in p:   # s2nn's g has log(x + 1 + epsilon); its documented g' has none
            p = dict(p, epsilon=0.)
        xs = np.array([-2.7, -1.3, -0.77, -0.31, -0.05, 0.05, 0.31, 0.77, 1.3, 2.7])
        h = 1e-6
        fd = (fun(xs + h, **p) - fun(xs - h, **p)) / (2 * h)
        np.testing.assert_allclose(grad_ref(xs, **p), fd, rtol=1e-5, atol=1e-7)


def test_piecewise_leaky_relu_gradient_inside_is_one_over_w():
    g = _grad(S.PiecewiseLeakyRelu(c=0.1, w=0.5), torch.tensor([-0.5, 0., 0.5, 0.6], dtype=torch.float64))
    assert g.tolist() == [2., 2., 2., 0.1]


def test_boundaries():
    x = torch.tensor([-1., 1.], dtype=torch.float64)
    assert _grad(S.PiecewiseQuadratic(alpha=1.), x).tolist() == [0., 0.]   # continuous at 1/alpha
    assert _grad(S.LogTailedRelu(alpha=0.5), torch.tensor([0., 1., 2.], dtype=torch.float64)).tolist() \
        == [0.5, 1., 0.5]
    assert _grad(S.S2NN(), torch.tensor([0.], dtype=torch.float64)).tolist() == [1.]
    assert _grad(S.LeakyRelu(), torch.tensor([0.], dtype=torch.float64)).tolist() == [1.]


def test_squarewave_number_of_terms():
    """BrainPy sums i = 1..n-1 (one term for n <= 2)."""
    x = torch.tensor([0.], dtype=torch.float64)
    for n, terms in [(1, 1), (2, 1), (3, 2), (6, 5)]:
        assert _grad(S.SquarewaveFourierSeries(n=n, t_period=4.), x).item() == pytest.approx(terms * 4 / 4.)


def test_q_pseudo_spike_refuses_alpha_not_above_one():
    with pytest.raises(ValueError, match='alpha must be > 1'):
        S.q_pseudo_spike(torch.zeros(2), alpha=1.)
    with pytest.raises(ValueError, match='alpha must be > 1'):
        S.QPseudoSpike(alpha=0.5)


def test_inputs_ints_lists_and_variables():
    out = S.sigmoid([-1, 0, 2])
    assert out.dtype == torch.float32 and out.tolist() == [0., 1., 1.]
    bm.enable_x64()
    assert S.arctan(np.array([1, -1])).dtype == torch.float64
    bm.disable_x64()
    v = bm.Variable(torch.tensor([0.5, -0.5]))
    assert S.slayer_grad(v).tolist() == [1., 0.]
    with pytest.raises(TypeError, match='real'):
        S.sigmoid(torch.tensor([1j]))


def test_repr():
    assert repr(S.Sigmoid()) == 'Sigmoid(alpha=4.0)'
    assert repr(S.Sigmoid(alpha=2., origin=True)) == 'Sigmoid(alpha=2.0, origin=True)'
    assert repr(S.MultiGaussianGrad()) == 'MultiGaussianGrad(h=0.15, s=6.0, sigma=0.5, scale=0.5)'


# ---------------------------------------------------------------------------
# custom surrogates
# ---------------------------------------------------------------------------

class Triangle(S.Surrogate):
    def __init__(self, width=1., origin=False):
        super().__init__(origin)
        self.width = width

    def surrogate_grad(self, x):
        return torch.relu(self.width - x.abs()) / self.width ** 2

    def surrogate_fun(self, x):
        w = self.width
        inner = torch.where(x < 0, (x + w) ** 2 / (2 * w * w), 1 - (w - x) ** 2 / (2 * w * w))
        return torch.where(x < -w, torch.zeros_like(x), torch.where(x > w, torch.ones_like(x), inner))


class Ramp(S.Surrogate):
    """A custom forward (a ramp, not a step) with a custom gradient."""

    def forward(self, x):
        return torch.clamp(x, 0, 1)

    def surrogate_grad(self, x):
        return torch.full_like(x, 0.5)


def test_custom_surrogate_subclass():
    x = torch.tensor([-2., -0.5, 0., 0.5, 2.], dtype=torch.float64)
    f = Triangle(width=1.)
    assert torch.equal(f(x), (x >= 0).double())
    np.testing.assert_allclose(_grad(f, x).numpy(), np.maximum(1 - np.abs(x.numpy()), 0))
    np.testing.assert_allclose(Triangle(origin=True)(x).numpy(), [0., 0.125, 0.5, 0.875, 1.])
    assert _grad(Triangle(origin=True), x).tolist() == _grad(f, x).tolist()


def test_custom_forward_override():
    x = torch.tensor([-1., 0.25, 3.])
    assert Ramp()(x).tolist() == [0., 0.25, 1.]
    assert _grad(Ramp(), x).tolist() == [0.5, 0.5, 0.5]


def test_missing_methods_raise_clear_errors():
    class NoGrad(S.Surrogate):
        pass
    with pytest.raises(NotImplementedError, match='must define surrogate_grad'):
        _grad(NoGrad(), torch.zeros(2))
    with pytest.raises(NotImplementedError, match='origin=True is not available'):
        NoGrad(origin=True)(torch.zeros(2))


# ---------------------------------------------------------------------------
# transforms
# ---------------------------------------------------------------------------

def _sig_grad(x, a=4.):
    x = np.asarray(x, dtype=np.float64)
    s = 1 / (1 + np.exp(-a * x))
    return a * s * (1 - s)


def test_under_bm_grad_and_vector_grad():
    x = torch.tensor([-1., -0.2, 0., 0.3, 2.])
    np.testing.assert_allclose(bm.vector_grad(S.sigmoid)(x).numpy(), _sig_grad(x.numpy()), rtol=1e-5)
    np.testing.assert_allclose(bm.grad(lambda z: S.sigmoid(z, 2.).sum())(x).numpy(),
                               _sig_grad(x.numpy(), 2.), rtol=1e-5)
    # through a Variable: a LIF-like step
    v = bm.TrainVar(torch.tensor([0.5, -0.5, 1.5]))
    gv = bm.grad(lambda: (S.Sigmoid(alpha=1.)(v - 1.) * torch.arange(1., 4.)).sum(), grad_vars=v)()
    np.testing.assert_allclose(gv.numpy(), _sig_grad(np.array([-0.5, -1.5, 0.5]), 1.) * [1, 2, 3], rtol=1e-5)


def test_under_vmap():
    x = torch.tensor([[-1., 0., 1.], [0.5, -0.5, 2.]])
    out = bm.vmap(S.arctan)(x)
    assert torch.equal(out, (x >= 0).float())
    g = bm.vmap(bm.grad(lambda z: S.sigmoid(z).sum()))(x)
    np.testing.assert_allclose(g.numpy(), _sig_grad(x.numpy()), rtol=1e-5)
    g2 = torch.func.vmap(torch.func.grad(lambda z: S.inv_square_grad(z, 2.).sum()))(x)
    np.testing.assert_allclose(g2.numpy(), 1 / (2 * np.abs(x.numpy()) + 1) ** 2, rtol=1e-5)


def test_forward_mode_and_second_derivatives():
    x = torch.tensor([-0.7, 0.1, 1.2], dtype=torch.float64)
    jac = torch.func.jacfwd(S.Sigmoid(alpha=2.))(x)
    np.testing.assert_allclose(jac.numpy(), np.diag(_sig_grad(x.numpy(), 2.)), rtol=1e-12)
    np.testing.assert_allclose(bm.jacfwd(S.sigmoid)(x).numpy(), np.diag(_sig_grad(x.numpy())), rtol=1e-12)
    # second derivative: the derivative of the surrogate gradient a*s*(1-s)
    s = 1 / (1 + np.exp(-2 * x.numpy()))
    d2 = 2 * 2 * s * (1 - s) * (1 - 2 * s)
    h = torch.func.grad(lambda z: torch.func.grad(lambda y: S.sigmoid(y, 2.))(z))
    np.testing.assert_allclose(torch.stack([h(xi) for xi in x]).numpy(), d2, rtol=1e-10)
    hess = bm.hessian(lambda z: S.sigmoid(z, 2.).sum())(x)
    np.testing.assert_allclose(hess.numpy(), np.diag(d2), rtol=1e-10)


def test_two_inputs():
    xn = np.array([0.5, 0.5, -0.5, -0.5, 0.])
    xo = np.array([-0.2, 0.2, -0.2, 0.2, -1e4])
    spike = ((xn >= 0) & (xo < 0)).astype(float)
    for f, g, params in [(S.inv_square_grad2, lambda x: 1 / (100 * np.abs(x) + 1) ** 2, {}),
                         (S.inv_square_grad2, lambda x: 1 / (3 * np.abs(x) + 1) ** 2, dict(alpha=3.)),
                         (S.relu_grad2, lambda x: 0.3 * np.maximum(1 - np.abs(x), 0), {}),
                         (S.relu_grad2, lambda x: 2. * np.maximum(0.4 - np.abs(x), 0), dict(alpha=2., width=.4))]:
        a = torch.tensor(xn, requires_grad=True)
        b = torch.tensor(xo, requires_grad=True)
        out = f(a, b, **params)
        assert out.dtype == torch.float64 and out.tolist() == spike.tolist()
        ga, gb = torch.autograd.grad(out.sum(), (a, b))
        np.testing.assert_allclose(ga.numpy(), g(xn) * (xo < 0), rtol=1e-12)
        np.testing.assert_allclose(gb.numpy(), -g(xo) * (xn >= 0), rtol=1e-12)
    vm = bm.vmap(S.relu_grad2)(torch.tensor(xn)[None], torch.tensor(xo)[None])
    assert vm.tolist() == [spike.tolist()]


def test_under_bm_jit():
    """One compile: the spike in a jitted step with its gradient (pytorch#193279 workaround).

    The bug and the workaround live in Dynamo/AOTAutograd tracing, which the ``aot_eager``
    backend runs too (inductor only generates code), so the fast backend tests them."""
    def loss(x):
        return (S.sigmoid(x, 2.) * torch.arange(1., 5.)).sum() + S.relu_grad2(x, x - 1.).sum()

    x = torch.tensor([-0.5, 0.2, 0.7, 1.4])
    g_eager = bm.grad(loss, return_value=True)(x)
    g_jit = bm.jit(bm.grad(loss, return_value=True), fullgraph=True, backend='aot_eager')(x)
    torch.testing.assert_close(g_jit, g_eager)
    ref = _sig_grad(x.numpy(), 2.) * np.arange(1., 5.) + 0.3 * np.maximum(1 - np.abs(x.numpy()), 0) * (
        x.numpy() - 1 < 0) - 0.3 * np.maximum(1 - np.abs(x.numpy() - 1), 0) * (x.numpy() >= 0)
    np.testing.assert_allclose(g_jit[0].numpy(), ref, rtol=1e-5, atol=1e-7)
    assert float(g_jit[1]) == float(loss(x))


def test_on_the_device(device):
    x = torch.tensor([-1., 0., 1.], device=device)
    for name in NAMES:
        out = getattr(S, name)(x)
        assert out.device == x.device
        g = _grad(getattr(S, name), x)
        assert g.device == x.device and torch.isfinite(g).all()
