"""bp.nn.algorithms against NumPy references written from BrainPy 2.1.12's formulas."""

import numpy as np
import pytest
import torch

import bptorch as bp
from bptorch.nn import algorithms


@pytest.fixture(autouse=True)
def _fresh_names():
    bp.clear_name_cache()
    yield
    bp.clear_name_cache()


def _data(seed=0, n=60, f=4, o=2):
    rng = np.random.RandomState(seed)
    x = rng.randn(2, n // 2, f)
    y = rng.randn(2, n // 2, o)
    return x, y


def test_ridge_matches_numpy_normal_equations():
    x, y = _data()
    X, Y = x.reshape(-1, 4), y.reshape(-1, 2)
    ref = np.linalg.solve(X.T @ X + 0.3 * np.eye(4), X.T @ Y)
    w = algorithms.RidgeRegression(beta=0.3)(torch.tensor(y), torch.tensor(x))
    np.testing.assert_allclose(w.numpy(), ref, rtol=1e-10)
    assert repr(algorithms.RidgeRegression(beta=0.3)) == 'RidgeRegression(beta=0.3)'


def test_linear_regression_matches_numpy_lstsq_and_accepts_2d():
    x, y = _data(1)
    X, Y = x.reshape(-1, 4), y.reshape(-1, 2)
    ref = np.linalg.lstsq(X, Y, rcond=None)[0]
    fit = algorithms.LinearRegression()
    np.testing.assert_allclose(fit(torch.tensor(y), torch.tensor(x)).numpy(), ref, rtol=1e-8)
    np.testing.assert_allclose(fit(torch.tensor(Y), torch.tensor(X)).numpy(), ref, rtol=1e-8)
    with pytest.raises(ValueError, match='3D tensor'):
        algorithms.LinearRegression()(torch.ones(3), torch.ones(3))


def _lasso_coordinate_descent(X, Y, alpha, iters=3000):
    n, f = X.shape
    W = np.zeros((f, Y.shape[1]))
    for _ in range(iters):
        for j in range(f):
            r = Y - X @ W + np.outer(X[:, j], W[j])
            rho = X[:, j] @ r / n
            z = X[:, j] @ X[:, j] / n
            W[j] = np.sign(rho) * np.maximum(np.abs(rho) - alpha, 0.) / z
    return W


def test_lasso_matches_coordinate_descent_and_zeroes_weak_features():
    rng = np.random.RandomState(2)
    X = rng.randn(80, 5)
    true = np.array([[2.], [0.], [-1.], [0.], [0.05]])
    Y = X @ true + 0.01 * rng.randn(80, 1)
    ref = _lasso_coordinate_descent(X, Y, alpha=0.1)
    w = algorithms.LassoRegression(alpha=0.1, max_iter=3000)(torch.tensor(Y), torch.tensor(X))
    np.testing.assert_allclose(w.numpy(), ref, atol=1e-6)
    assert w[1, 0] == 0 and w[3, 0] == 0 and w[4, 0] == 0
    assert 'lasso' in algorithms.get_supported_offline_methods()


def test_offline_registry():
    assert algorithms.offline.get('ridge') is algorithms.RidgeRegression
    with pytest.raises(ValueError, match='All offline methods'):
        algorithms.offline.get('nope')
    with pytest.raises(ValueError, match='callable'):
        algorithms.register_offline_method('not_callable', 3)


def test_rls_matches_numpy_over_steps():
    rng = np.random.RandomState(3)
    rls = algorithms.RLS(alpha=0.5)
    rls.initialize('node', feature_in=3, feature_out=2)
    P = np.eye(3) * 0.5
    W = np.zeros((3, 2))
    Wt = torch.zeros(3, 2, dtype=torch.float64)
    for _ in range(10):
        x = rng.randn(1, 3)
        target = rng.randn(1, 2)
        out = x @ W
        k = P @ x.T
        c = np.sum(1. / (1. + x @ k))
        P = P - c * (k @ k.T)
        dw = -c * (k @ (out - target))
        W = W + dw
        dwt = rls('node', torch.tensor(target), torch.tensor(x), torch.tensor(x) @ Wt)
        Wt = Wt + dwt
    np.testing.assert_allclose(Wt.numpy(), W, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(rls.implicit_vars['node_rls_P'].numpy(), P, rtol=1e-4, atol=1e-6)
    assert repr(rls) == 'RLS(alpha=0.5)'


def test_rls_state_is_saved_and_moved_with_the_module():
    rls = algorithms.ForceLearning(alpha=2.)
    rls.initialize('ro', feature_in=2)
    assert list(rls.state_dict()) == ['ro_force_P']
    assert torch.equal(rls.state_dict()['ro_force_P'], 2 * torch.eye(2))
    rls.double()
    assert rls.implicit_vars['ro_force_P'].dtype == torch.float64


def test_lms_rule():
    lms = algorithms.LMS(alpha=0.1)
    x = torch.tensor([[1., 2.], [3., 4.]])
    out, target = torch.tensor([[1.], [0.]]), torch.tensor([[0.], [1.]])
    assert torch.allclose(lms('n', target, x, out), -0.1 * x.T @ (out - target))
    assert algorithms.online.get('force') is algorithms.ForceLearning
    with pytest.raises(ValueError, match='All online methods'):
        algorithms.online.get('sgd')
