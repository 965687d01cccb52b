"""bp.odeint / bp.sdeint / bp.JointEq: methods against independent references.

References are written out here from the published tableaux and formulas (NumPy /
Python floats, float64), or are closed-form solutions; nothing is compared with
bptorch's own earlier output.
"""

import math

import numpy as np
import pytest
import torch

import bptorch as bp
import bptorch.math as bm
from bptorch.errors import CodeError, DiffEqError, IntegratorError

F64 = torch.float64


# ---------------------------------------------------------------------------
# Butcher tableaux, typed in from the literature (A lower-triangular, b, c)
# ---------------------------------------------------------------------------

def _t(A, b, c, b_star=None):
    return (np.array(A, dtype=float), np.array(b, dtype=float), np.array(c, dtype=float),
            None if b_star is None else np.array(b_star, dtype=float))


TABLEAUX = {
    'euler': _t([[0]], [1], [0]),
    'midpoint': _t([[0, 0], [1 / 2, 0]], [0, 1], [0, 1 / 2]),
    'heun2': _t([[0, 0], [1, 0]], [1 / 2, 1 / 2], [0, 1]),
    'ralston2': _t([[0, 0], [2 / 3, 0]], [1 / 4, 3 / 4], [0, 2 / 3]),
    'rk2': _t([[0, 0], [2 / 3, 0]], [1 / 4, 3 / 4], [0, 2 / 3]),       # beta = 2/3
    'rk3': _t([[0, 0, 0], [1 / 2, 0, 0], [-1, 2, 0]], [1 / 6, 4 / 6, 1 / 6], [0, 1 / 2, 1]),
    'heun3': _t([[0, 0, 0], [1 / 3, 0, 0], [0, 2 / 3, 0]], [1 / 4, 0, 3 / 4], [0, 1 / 3, 2 / 3]),
    'ralston3': _t([[0, 0, 0], [1 / 2, 0, 0], [0, 3 / 4, 0]], [2 / 9, 3 / 9, 4 / 9],
                   [0, 1 / 2, 3 / 4]),
    'ssprk3': _t([[0, 0, 0], [1, 0, 0], [1 / 4, 1 / 4, 0]], [1 / 6, 1 / 6, 4 / 6], [0, 1, 1 / 2]),
    'rk4': _t([[0, 0, 0, 0], [1 / 2, 0, 0, 0], [0, 1 / 2, 0, 0], [0, 0, 1, 0]],
              [1 / 6, 2 / 6, 2 / 6, 1 / 6], [0, 1 / 2, 1 / 2, 1]),
    'ralston4': _t([[0, 0, 0, 0], [.4, 0, 0, 0], [.29697761, .15875964, 0, 0],
                    [.21810040, -3.05096516, 3.83286476, 0]],
                   [.17476028, -.55148066, 1.20553560, .17118478], [0, .4, .45573725, 1]),
    'rk4_38rule': _t([[0, 0, 0, 0], [1 / 3, 0, 0, 0], [-1 / 3, 1, 0, 0], [1, -1, 1, 0]],
                     [1 / 8, 3 / 8, 3 / 8, 1 / 8], [0, 1 / 3, 2 / 3, 1]),
    # embedded pairs: (A, b of the solution, c, b of the embedded estimate)
    'rkf12': _t([[0, 0, 0], [1 / 2, 0, 0], [1 / 256, 255 / 256, 0]],
                [1 / 512, 255 / 256, 1 / 512], [0, 1 / 2, 1], [1 / 256, 255 / 256, 0]),
    'rkf45': _t([[0, 0, 0, 0, 0, 0],
                 [1 / 4, 0, 0, 0, 0, 0],
                 [3 / 32, 9 / 32, 0, 0, 0, 0],
                 [1932 / 2197, -7200 / 2197, 7296 / 2197, 0, 0, 0],
                 [439 / 216, -8, 3680 / 513, -845 / 4104, 0, 0],
                 [-8 / 27, 2, -3544 / 2565, 1859 / 4104, -11 / 40, 0]],
                [16 / 135, 0, 6656 / 12825, 28561 / 56430, -9 / 50, 2 / 55],
                [0, 1 / 4, 3 / 8, 12 / 13, 1, 1 / 2],
                [25 / 216, 0, 1408 / 2565, 2197 / 4104, -1 / 5, 0]),
    'rkdp': _t([[0, 0, 0, 0, 0, 0, 0],
                [1 / 5, 0, 0, 0, 0, 0, 0],
                [3 / 40, 9 / 40, 0, 0, 0, 0, 0],
                [44 / 45, -56 / 15, 32 / 9, 0, 0, 0, 0],
                [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729, 0, 0, 0],
                [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656, 0, 0],
                [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0]],
               [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0],
               [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1],
               [5179 / 57600, 0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40]),
    'ck': _t([[0, 0, 0, 0, 0, 0],
              [1 / 5, 0, 0, 0, 0, 0],
              [3 / 40, 9 / 40, 0, 0, 0, 0],
              [3 / 10, -9 / 10, 6 / 5, 0, 0, 0],
              [-11 / 54, 5 / 2, -70 / 27, 35 / 27, 0, 0],
              [1631 / 55296, 175 / 512, 575 / 13824, 44275 / 110592, 253 / 4096, 0]],
             [37 / 378, 0, 250 / 621, 125 / 594, 0, 512 / 1771],
             [0, 1 / 5, 3 / 10, 3 / 5, 1, 7 / 8],
             [2825 / 27648, 0, 18575 / 48384, 13525 / 55296, 277 / 14336, 1 / 4]),
    'bs': _t([[0, 0, 0, 0], [1 / 2, 0, 0, 0], [0, 3 / 4, 0, 0], [2 / 9, 1 / 3, 4 / 9, 0]],
             [2 / 9, 1 / 3, 4 / 9, 0], [0, 1 / 2, 3 / 4, 1], [7 / 24, 1 / 4, 1 / 3, 1 / 8]),
    'heun_euler': _t([[0, 0], [1, 0]], [1 / 2, 1 / 2], [0, 1], [1, 0]),
}
TABLEAUX['rk4_38'] = TABLEAUX['rk4_38rule']
TABLEAUX['BoSh3'] = TABLEAUX['bs']

ORDERS = {'euler': 1, 'midpoint': 2, 'heun2': 2, 'ralston2': 2, 'rk2': 2, 'rk3': 3, 'heun3': 3,
          'ralston3': 3, 'ssprk3': 3, 'rk4': 4, 'ralston4': 4, 'rk4_38rule': 4, 'rk4_38': 4,
          'rkf12': 2, 'rkf45': 5, 'rkdp': 5, 'ck': 5, 'bs': 3, 'BoSh3': 3, 'heun_euler': 2,
          'exp_auto': 1, 'exp_euler': 1, 'exp_euler_auto': 1, 'exponential_euler': 1}


def rk_reference(f, y, t, h, tableau):
    """One Runge-Kutta step of a system ``f(t, y) -> array`` (NumPy), and the embedded one."""
    A, b, c, b_star = tableau
    ks = []
    for i in range(len(b)):
        yi = y + h * sum(A[i, j] * ks[j] for j in range(i)) if i else y
        ks.append(np.asarray(f(t + c[i] * h, yi), dtype=float))
    new = y + h * sum(bi * k for bi, k in zip(b, ks))
    est = None if b_star is None else y + h * sum(bi * k for bi, k in zip(b_star, ks))
    return new, est


# a nonlinear, non-autonomous test system with a parameter
def sys_torch(x, y, t, a):
    return a * y * torch.sin(t) - x * x / 3, torch.cos(x) - y * t


def sys_np(t, z, a=1.3):
    x, y = z
    return np.array([a * y * np.sin(t) - x * x / 3, np.cos(x) - y * t])


# ---------------------------------------------------------------------------
# one step against the tableau
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('method', sorted(TABLEAUX))
def test_one_step_matches_butcher_tableau(method):
    integral = bp.odeint(sys_torch, method=method)
    x0, y0 = np.array([0.3, -1.2, 2.0]), np.array([0.7, 0.1, -0.4])
    t0, h = 0.4, 0.25
    x, y = integral(torch.tensor(x0), torch.tensor(y0), torch.tensor(t0, dtype=F64), 1.3, dt=h)
    ref, _ = rk_reference(sys_np, np.stack([x0, y0]), t0, h, TABLEAUX[method])
    np.testing.assert_allclose(x.numpy(), ref[0], rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(y.numpy(), ref[1], rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize('method', sorted(TABLEAUX))
def test_one_step_single_variable(method):
    integral = bp.odeint(lambda v, t, p: -p * v * v + torch.cos(t * v), method=method, dt=0.3)
    v0 = np.array([0.5, 1.5])
    v = integral(torch.tensor(v0), torch.tensor(0.2, dtype=F64), 0.8)
    ref, _ = rk_reference(lambda t, v: -0.8 * v * v + np.cos(t * v), v0, 0.2, 0.3,
                          TABLEAUX[method])
    np.testing.assert_allclose(v.numpy(), ref, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize('method', ['rkf12', 'rkf45', 'rkdp', 'ck', 'bs', 'heun_euler'])
@pytest.mark.parametrize('var_type', [None, 'scalar'])
def test_adaptive_step_and_new_dt(method, var_type):
    tol = 1e-4
    integral = bp.odeint(sys_torch, method=method, adaptive=True, tol=tol, var_type=var_type)
    x0, y0 = np.array([0.3, -1.2, 2.0]), np.array([0.7, 0.1, -0.4])
    for h in (0.5, 1e-3):
        x, y, dt_new = integral(torch.tensor(x0), torch.tensor(y0),
                                torch.tensor(0.4, dtype=F64), 1.3, dt=h)
        ref, est = rk_reference(sys_np, np.stack([x0, y0]), 0.4, h, TABLEAUX[method])
        np.testing.assert_allclose(np.stack([x.numpy(), y.numpy()]), ref, rtol=1e-13,
                                   atol=1e-13)
        te = np.abs(ref - est)                    # per variable and element
        error = te.sum(axis=0) if var_type == 'scalar' else te.sum()
        expected = np.where(error > tol, 0.9 * h * (tol / np.maximum(error, tol)) ** 0.2, h)
        np.testing.assert_allclose(np.asarray(dt_new), expected, rtol=1e-10)
        assert np.shape(dt_new) == np.shape(expected)
    assert (np.asarray(dt_new) == 1e-3).all()     # a small step is kept


def test_adaptive_returns_values_then_dt():
    integral = bp.odeint(lambda x, t: -x, method='rkf45', adaptive=True, tol=1e-3)
    out = integral(bm.ones(2), 0., dt=0.1)
    assert isinstance(out, tuple) and len(out) == 2
    assert integral.adaptive and integral.tol == 1e-3 and integral.var_type == 'population'
    assert bp.odeint(lambda x, t: -x, method='rkf45').tol == 0.1       # BrainPy's default


def test_adaptive_python_floats():
    integral = bp.odeint(lambda x, t: -x, method='heun_euler', adaptive=True, tol=0.01)
    x, dt = integral(1., 0., dt=0.5)
    assert x == 0.625                                  # 1 + 0.5 * (-1 - 0.5) / 2
    assert math.isclose(dt, 0.9 * 0.5 * (0.01 / 0.125) ** 0.2)
    x, dt = integral(1., 0., dt=1e-3)
    assert dt == 1e-3


# ---------------------------------------------------------------------------
# convergence orders
# ---------------------------------------------------------------------------

def _slope(errors, steps):
    return np.polyfit(np.log(steps), np.log(errors), 1)[0]


def _max_error(method, f, exact, y0, T, h):
    """The largest error on the grid (robust against a final error that crosses zero)."""
    integral = bp.odeint(f, method=method, dt=h)
    y = torch.tensor([y0], dtype=F64)
    err = 0.
    for i in range(int(round(T / h))):
        y = integral(y, torch.tensor(i * h, dtype=F64))
        err = max(err, abs(float(y[0]) - exact((i + 1) * h)))
    return err


def _steps_and_span(order):
    return ([0.1, 0.05, 0.025], 4.) if order >= 4 else ([0.05, 0.025, 0.0125], 2.)


@pytest.mark.parametrize('method', sorted(ORDERS))
def test_convergence_order_nonlinear(method):
    # the logistic equation y' = y (1 - y): y = 1 / (1 + 9 exp(-t)). The exponential
    # Euler method with the exact Jacobian (exponential Rosenbrock-Euler) is of
    # order 2 on autonomous scalar equations.
    order = 2 if method.startswith('exp') else ORDERS[method]
    steps, T = _steps_and_span(order)
    errors = [_max_error(method, lambda y, t: y * (1 - y),
                         lambda t: 1 / (1 + 9 * math.exp(-t)), 0.1, T, h) for h in steps]
    assert abs(_slope(errors, steps) - order) < 0.3, errors


@pytest.mark.parametrize('method', sorted(ORDERS))
def test_convergence_order_non_autonomous(method):
    # y' = y cos(t): y = exp(sin t); the nodes c_i matter here (and exponential
    # Euler, which ignores the time dependence of its linear part, is of order 1)
    steps, T = _steps_and_span(ORDERS[method])
    errors = [_max_error(method, lambda y, t: y * torch.cos(t),
                         lambda t: math.exp(math.sin(t)), 1.0, T, h) for h in steps]
    assert abs(_slope(errors, steps) - ORDERS[method]) < 0.3, errors


def test_harmonic_oscillator_rk4_order():
    @bp.odeint(method='rk4')
    def osc(x, v, t, w):
        return v, -w * w * x
    errors = []
    steps = [0.2, 0.1, 0.05]
    for h in steps:
        x, v = torch.tensor(1., dtype=F64), torch.tensor(0., dtype=F64)
        for i in range(int(round(4 / h))):
            x, v = osc(x, v, i * h, 2., dt=h)
        errors.append(abs(float(x) - math.cos(8.)))
    assert abs(_slope(errors, steps) - 4) < 0.3


# ---------------------------------------------------------------------------
# exponential Euler
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('method', ['exp_auto', 'exp_euler', 'exp_euler_auto',
                                    'exponential_euler'])
def test_exp_euler_exact_for_linear_equations(method):
    a = torch.tensor([1., -2., 0.5], dtype=F64)
    b = torch.tensor([0.5, 2., 3.], dtype=F64)
    integral = bp.odeint(lambda x, t, a, b: a - b * x, method=method, dt=0.5)
    assert type(integral) is bp.ode.ExponentialEuler
    x0 = torch.tensor([2., 0., -1.], dtype=F64)
    x = x0
    for i in range(10):
        x = integral(x, i * 0.5, a, b)
    exact = a / b + (x0 - a / b) * torch.exp(-b * 5.)
    torch.testing.assert_close(x, exact, rtol=1e-12, atol=1e-12)


def test_exp_euler_formula_and_zero_linear_part():
    # x' = sin(x) - p x: A = cos(x) - p, F = sin(x) - p x
    p = 0.7
    integral = bp.odeint(lambda x, t: torch.sin(x) - p * x, method='exp_auto')
    x0 = torch.tensor([0.3, 1.0, math.acos(p)], dtype=F64)    # A = 0 at the last one
    h = 0.2
    x = integral(x0, 0., dt=h)
    A = torch.cos(x0) - p
    F = torch.sin(x0) - p * x0
    phi = torch.where(A == 0, torch.ones_like(A), torch.expm1(h * A) / (h * A))
    ref = x0 + h * phi * F
    torch.testing.assert_close(x, ref, rtol=1e-14, atol=1e-14)
    assert torch.isfinite(x).all()
    # a constant derivative: phi = 1, the Euler step
    c = bp.odeint(lambda x, t: 2. + 0. * x, method='exp_auto', dt=0.1)
    torch.testing.assert_close(c(torch.zeros(2, dtype=F64), 0.),
                               torch.full((2,), 0.2, dtype=F64))


def test_exp_euler_joint_eq_uses_old_values_and_returns_list():
    dV = lambda V, t, w, I: -V + w + I
    dw = lambda w, t, V: -2. * w + V
    integral = bp.odeint(bp.JointEq(dV, dw), method='exp_auto', dt=0.1)
    assert integral.variables == ['V', 'w'] and integral.parameters == ['t', 'I']
    V0, w0 = torch.tensor([1.], dtype=F64), torch.tensor([0.5], dtype=F64)
    out = integral(V0, w0, 0., 2.)
    assert isinstance(out, list) and len(out) == 2
    # each equation alone, with the other variable at its old value (linear: exact)
    V_ref = (w0 + 2.) + (V0 - (w0 + 2.)) * math.exp(-0.1)
    w_ref = V0 / 2. + (w0 - V0 / 2.) * math.exp(-0.2)
    torch.testing.assert_close(out[0], V_ref, rtol=1e-13, atol=1e-13)
    torch.testing.assert_close(out[1], w_ref, rtol=1e-13, atol=1e-13)


def test_exp_euler_refusals():
    with pytest.raises(DiffEqError, match='one variable'):
        bp.odeint(lambda x, y, t: (-x, -y), method='exp_auto')
    with pytest.raises(NotImplementedError, match='system'):
        bp.odeint(lambda x, t: -x, method='exp_auto', var_type=bp.integrators.SYSTEM_VAR)
    with pytest.raises(RuntimeError, match='inference_mode'):
        with torch.inference_mode():
            bp.odeint(lambda x, t: -x, method='exp_auto')(torch.ones(2), 0.)


def test_exp_euler_builds_no_graph_in_a_plain_simulation():
    integral = bp.odeint(lambda x, t, I: -x * x + I, method='exp_auto')
    x = torch.ones(3)
    for _ in range(3):
        x = integral(x, 0., 1.)
    assert not x.requires_grad and x.grad_fn is None
    with torch.no_grad():
        y = integral(torch.ones(3), 0., 1.)
    torch.testing.assert_close(y, integral(torch.ones(3), 0., 1.))


def test_exp_euler_python_scalar_state():
    integral = bp.odeint(lambda x, t: -x, method='exp_auto', dt=0.5)
    out = integral(1., 0.)
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float32 and out.shape == ()
    assert abs(float(out) - math.exp(-0.5)) < 1e-6
    out = integral(2, 0.)                       # an int state is integrated as a float
    assert out.dtype == torch.float32 and abs(float(out) - 2 * math.exp(-0.5)) < 1e-6


# ---------------------------------------------------------------------------
# SDEs: one step against the formulas, with the same draws
# ---------------------------------------------------------------------------

def _draws(integral, seed, *shapes):
    integral.rng.seed(seed)
    return [integral.rng.randn(*s).numpy() for s in shapes]


def _drift(x, y, t, a):
    return -a * x + torch.sin(y), x * y - t


def _diffusion(x, y, t, a):
    return 0.3 * x * x + 0.1, 0.2 * torch.cos(x + y)


def _drift_np(x, y, t, a=0.7):
    return -a * x + np.sin(y), x * y - t


def _diffusion_np(x, y, t, a=0.7):
    return 0.3 * x * x + 0.1, 0.2 * np.cos(x + y)


X0, Y0, T0, H = np.array([0.5, -1.0, 2.0]), np.array([0.3, 0.8, -0.2]), 0.4, 0.01


def _step(method, **kw):
    bm.enable_x64()
    integral = bp.sdeint(_drift, _diffusion, method=method, dt=H, **kw)
    integral.rng.seed(11)
    x, y = integral(torch.tensor(X0), torch.tensor(Y0), T0, 0.7)
    zx, zy = _draws(integral, 11, X0.shape, Y0.shape)
    return (x.numpy(), y.numpy()), (zx * math.sqrt(H), zy * math.sqrt(H))


def test_sde_euler_maruyama_step():
    (x, y), (dWx, dWy) = _step('euler')
    fx, fy = _drift_np(X0, Y0, T0)
    gx, gy = _diffusion_np(X0, Y0, T0)
    np.testing.assert_allclose(x, X0 + fx * H + gx * dWx, rtol=1e-13)
    np.testing.assert_allclose(y, Y0 + fy * H + gy * dWy, rtol=1e-13)


@pytest.mark.parametrize('method', ['euler', 'heun'])
def test_sde_euler_heun_stratonovich_step(method):
    (x, y), (dWx, dWy) = _step(method, intg_type=bp.integrators.STRA_SDE)
    fx, fy = _drift_np(X0, Y0, T0)
    gx, gy = _diffusion_np(X0, Y0, T0)
    gbx, gby = _diffusion_np(X0 + gx * dWx, Y0 + gy * dWy, T0)
    np.testing.assert_allclose(x, X0 + fx * H + 0.5 * (gx + gbx) * dWx, rtol=1e-13)
    np.testing.assert_allclose(y, Y0 + fy * H + 0.5 * (gy + gby) * dWy, rtol=1e-13)


@pytest.mark.parametrize('intg_type', ['Ito', 'Stratonovich'])
@pytest.mark.parametrize('method', ['milstein', 'milstein2', 'milstein_grad_free'])
def test_sde_derivative_free_milstein_step(method, intg_type):
    (x, y), (dWx, dWy) = _step(method, intg_type=intg_type)
    fx, fy = _drift_np(X0, Y0, T0)
    gx, gy = _diffusion_np(X0, Y0, T0)
    sq = math.sqrt(H)
    if intg_type == 'Ito':
        bar = X0 + fx * H + gx * sq, Y0 + fy * H + gy * sq
        sqx, sqy = dWx ** 2 - H, dWy ** 2 - H
    else:
        bar = X0 + gx * sq, Y0 + gy * sq
        sqx, sqy = dWx ** 2, dWy ** 2
    gbx, gby = _diffusion_np(*bar, T0)
    np.testing.assert_allclose(x, X0 + fx * H + gx * dWx + 0.5 * (gbx - gx) * sqx / sq,
                               rtol=1e-13)
    np.testing.assert_allclose(y, Y0 + fy * H + gy * dWy + 0.5 * (gby - gy) * sqy / sq,
                               rtol=1e-13)


@pytest.mark.parametrize('method', ['euler', 'milstein'])
def test_sde_vector_wiener_step(method):
    bm.enable_x64()
    m = 4
    s = torch.linspace(0.1, 0.4, m, dtype=F64)
    integral = bp.sdeint(lambda x, t: -x, lambda x, t: x[..., None] * s, method=method,
                         wiener_type=bp.integrators.VECTOR_WIENER, dt=H)
    x0 = np.array([1.0, 2.0, -0.5])
    integral.rng.seed(5)
    x = integral(torch.tensor(x0), 0.).numpy()
    dW, = _draws(integral, 5, (3, m))
    dW = dW * math.sqrt(H)
    g = x0[:, None] * s.numpy()
    ref = x0 - x0 * H + (g * dW).sum(-1)
    if method == 'milstein':
        gbar = (x0 - x0 * H + (g * math.sqrt(H)).sum(-1))[:, None] * s.numpy()
        ref = ref + (0.5 * (gbar - g) * (dW ** 2 - H) / math.sqrt(H)).sum(-1)
    np.testing.assert_allclose(x, ref, rtol=1e-13)
    assert x.shape == (3,)


def test_sde_vector_wiener_needs_a_noise_axis():
    integral = bp.sdeint(lambda x, t: -x, lambda x, t: 0.1 * x,
                         wiener_type=bp.integrators.VECTOR_WIENER)
    integral(torch.ones(3), 0.)            # (3,) diffusion: 3 noise sources per element...
    with pytest.raises(ValueError, match='vector'):
        integral(torch.tensor(1.), 0.)     # ...but a scalar one has no noise axis


def test_sde_exponential_euler_step_joint_eq():
    bm.enable_x64()
    dx = lambda x, t, y: -2. * x + y
    dy = lambda y, t, x: -y * y + x
    integral = bp.sdeint(bp.JointEq(dx, dy), lambda x, y, t: (0.1 * x, 0.2), method='exp_euler',
                         dt=H)
    x0, y0 = np.array([1.0, -0.5]), np.array([0.3, 0.6])
    integral.rng.seed(2)
    x, y = integral(torch.tensor(x0), torch.tensor(y0), 0.)
    zx, zy = _draws(integral, 2, (2,), (2,))

    def expeuler(x, A, F):
        return x + (np.expm1(A * H) / A) * F

    ref_x = expeuler(x0, -2., -2. * x0 + y0) + 0.1 * x0 * zx * math.sqrt(H)
    ref_y = expeuler(y0, -2. * y0, -y0 * y0 + x0) + 0.2 * zy * math.sqrt(H)
    np.testing.assert_allclose(x.numpy(), ref_x, rtol=1e-13)
    np.testing.assert_allclose(y.numpy(), ref_y, rtol=1e-13)


def test_sde_refusals_and_defaults():
    f, g = (lambda x, t: -x), (lambda x, t: x)
    integral = bp.sdeint(f, g)
    assert (integral.intg_type, integral.wiener_type, integral.var_type) == \
        ('Ito', 'scalar', 'scalar')
    assert type(integral) is bp.sde.Euler and integral.dt == bm.get_dt()
    with pytest.raises(IntegratorError, match='Stratonovich'):
        bp.sdeint(f, g, method='heun')                  # BrainPy: Heun needs intg_type
    with pytest.raises(NotImplementedError, match='Stratonovich'):
        bp.sdeint(f, g, method='exp_euler', intg_type=bp.integrators.STRA_SDE)
    with pytest.raises(NotImplementedError, match='not supported yet'):
        bp.sdeint(f, g, method='srk2w1')
    with pytest.raises(IntegratorError, match='intg_type|SDE_INT'):
        bp.sdeint(f, g, intg_type='Itô')
    with pytest.raises(IntegratorError, match='Wiener'):
        bp.sdeint(f, g, wiener_type='matrix')
    with pytest.raises(ValueError, match='Unknown SDE'):
        bp.sdeint(f, g, method='rk4')
    with pytest.raises(ValueError, match='Must provide'):
        bp.sdeint()
    # decorator forms
    assert isinstance(bp.sdeint(g=g)(f), bp.sde.Euler)
    assert bp.sdeint(f=f, method='milstein')(g).g is g


def test_sde_reproducible_from_bm_random_seed():
    f, g = (lambda x, t: -x), (lambda x, t: 0.5)
    bm.random.seed(123)
    a = bp.sdeint(f, g)(torch.zeros(4), 0.)
    bm.random.seed(123)
    b = bp.sdeint(f, g)(torch.zeros(4), 0.)
    assert torch.equal(a, b) and not torch.equal(a, torch.zeros(4))


# ---------------------------------------------------------------------------
# SDEs: moments and strong orders on geometric Brownian motion
# ---------------------------------------------------------------------------

def test_euler_maruyama_gbm_moments():
    bm.enable_x64()
    mu, sigma, h, n, N = 0.5, 0.4, 0.02, 50, 40000
    integral = bp.sdeint(lambda x, t: mu * x, lambda x, t: sigma * x, dt=h)
    integral.rng.seed(0)
    x = torch.ones(N)
    for i in range(n):
        x = integral(x, i * h)
    x = x.numpy()
    # Euler-Maruyama's own moments: E[X_n] = (1 + mu h)^n, E[X_n^2] = ((1 + mu h)^2 + sigma^2 h)^n
    mean = (1 + mu * h) ** n
    second = ((1 + mu * h) ** 2 + sigma ** 2 * h) ** n
    var = second - mean ** 2
    se_mean = math.sqrt(var / N)
    assert abs(x.mean() - mean) < 4 * se_mean
    se_var = math.sqrt(((x - x.mean()) ** 4).mean() - var ** 2) / math.sqrt(N)
    assert abs(x.var() - var) < 4 * se_var
    # and the exact GBM moments, up to the method's O(h) bias
    T = n * h
    exact_mean = math.exp(mu * T)
    exact_var = math.exp(2 * mu * T) * (math.exp(sigma ** 2 * T) - 1)
    assert abs(x.mean() - exact_mean) < 4 * se_mean + abs(mean - exact_mean)
    assert abs(mean - exact_mean) < 0.02 * exact_mean
    assert abs(x.var() - exact_var) < 4 * se_var + abs(var - exact_var)


def test_vector_wiener_gbm_moments():
    bm.enable_x64()
    mu, h, n, N = 0.3, 0.02, 50, 10000
    s = torch.tensor([0.2, 0.3, 0.1], dtype=F64)
    integral = bp.sdeint(lambda x, t: mu * x, lambda x, t: x[:, None] * s, dt=h,
                         wiener_type=bp.integrators.VECTOR_WIENER)
    integral.rng.seed(1)
    x = torch.ones(N)
    for i in range(n):
        x = integral(x, i * h)
    x = x.numpy()
    s2 = float((s ** 2).sum())
    mean = (1 + mu * h) ** n
    var = ((1 + mu * h) ** 2 + s2 * h) ** n - mean ** 2
    assert abs(x.mean() - mean) < 4 * math.sqrt(var / N)
    se_var = math.sqrt(((x - x.mean()) ** 4).mean() - var ** 2) / math.sqrt(N)
    assert abs(x.var() - var) < 4 * se_var


def test_exp_euler_ornstein_uhlenbeck_moments():
    bm.enable_x64()
    theta, s, h, n, N = 2.0, 0.5, 0.05, 40, 10000
    integral = bp.sdeint(lambda x, t: -theta * x, lambda x, t: s, method='exp_euler', dt=h)
    integral.rng.seed(4)
    x = torch.ones(N)
    for i in range(n):
        x = integral(x, i * h)
    x = x.numpy()
    # the scheme: X_{k+1} = exp(-theta h) X_k + s dW_k
    q = math.exp(-theta * h)
    mean = q ** n
    var = s * s * h * (1 - q ** (2 * n)) / (1 - q * q)
    assert abs(x.mean() - mean) < 4 * math.sqrt(var / N)
    assert abs(x.var() - var) < 4 * var * math.sqrt(2 / N)


@pytest.mark.parametrize('method, intg_type, order', [
    ('euler', 'Ito', 0.5), ('milstein', 'Ito', 1.0),
    ('euler', 'Stratonovich', 1.0), ('heun', 'Stratonovich', 1.0),
    ('milstein', 'Stratonovich', 1.0)])
def test_sde_strong_order_gbm(method, intg_type, order):
    bm.enable_x64()
    mu, sigma, N = 1.0, 0.8, 4000
    errors, steps = [], [1 / 8, 1 / 16, 1 / 32, 1 / 64]
    for h in steps:
        integral = bp.sdeint(lambda x, t: mu * x, lambda x, t: sigma * x, method=method,
                             intg_type=intg_type, dt=h)
        n = int(round(1 / h))
        integral.rng.seed(3)
        x = torch.ones(N)
        for i in range(n):
            x = integral(x, i * h)
        W = sum(_draws(integral, 3, *[(N,)] * n)) * math.sqrt(h)     # the path's W(1)
        drift = mu - 0.5 * sigma ** 2 if intg_type == 'Ito' else mu
        exact = np.exp(drift + sigma * W)
        errors.append(np.abs(x.numpy() - exact).mean())
    assert abs(_slope(errors, steps) - order) < 0.3, errors


# ---------------------------------------------------------------------------
# JointEq
# ---------------------------------------------------------------------------

A_IZH, B_IZH = 0.02, 0.20


def dV_izh(V, t, u, Iext):
    return 0.04 * V * V + 5 * V + 140 - u + Iext


def du_izh(u, t, V):
    return A_IZH * (B_IZH * V - u)


def izh(V, u, t, Iext):
    return dV_izh(V, t, u, Iext), du_izh(u, t, V)


@pytest.mark.parametrize('method', ['euler', 'rk2', 'rk4', 'rkf45', 'ralston3'])
def test_joint_eq_equals_one_function(method):
    joint = bp.odeint(bp.JointEq(dV_izh, du_izh), method=method, dt=0.1)
    single = bp.odeint(izh, method=method, dt=0.1)
    assert joint.variables == single.variables == ['V', 'u']
    assert joint.parameters == single.parameters == ['t', 'Iext']
    V = torch.tensor([-65., -60.], dtype=F64)
    u = torch.tensor([-13., -12.], dtype=F64)
    a, b = (V, u), (V, u)
    for i in range(20):
        a = joint(*a, i * 0.1, 10.)
        b = single(*b, i * 0.1, 10.)
    assert isinstance(a, tuple)
    torch.testing.assert_close(a, b, rtol=0, atol=0)


def test_joint_eq_differs_from_separate_integration():
    V, u = torch.tensor([-60.], dtype=F64), torch.tensor([-10.], dtype=F64)
    joint = bp.odeint(bp.JointEq(dV_izh, du_izh), method='rk2', dt=0.2)
    int_V, int_u = bp.odeint(dV_izh, method='rk2', dt=0.2), bp.odeint(du_izh, method='rk2', dt=0.2)
    Vj, uj = joint(V, u, 0., 10.)
    Vs, us = int_V(V, 0., u, 10.), int_u(u, 0., V)
    # rk2 (beta = 2/3), the V stage evaluated with u's stage value (joint) or with u (separate)
    h = 0.2
    k1V, k1u = dV_izh(V, 0., u, 10.), du_izh(u, 0., V)
    Vk, uk = V + h * 2 / 3 * k1V, u + h * 2 / 3 * k1u
    torch.testing.assert_close(Vj, V + h * (k1V / 4 + 3 / 4 * dV_izh(Vk, 0., uk, 10.)))
    torch.testing.assert_close(Vs, V + h * (k1V / 4 + 3 / 4 * dV_izh(Vk, 0., u, 10.)))
    torch.testing.assert_close(uj, u + h * (k1u / 4 + 3 / 4 * du_izh(uk, 0., Vk)))
    torch.testing.assert_close(us, u + h * (k1u / 4 + 3 / 4 * du_izh(uk, 0., V)))
    assert float((Vj - Vs).abs()) > 1e-4


def test_joint_eq_arguments():
    dx = lambda x, t, y, sigma=10.: sigma * (y - x)
    dy = lambda y, t, x, z, rho=28.: x * (rho - z) - y
    dz = lambda z, t, x, y, beta=8 / 3: x * y - beta * z
    eq = bp.JointEq([dx, dy], dz)                       # lists and positional mixed
    assert eq.arg_keys == ['x', 'y', 'z', 't'] and eq.kwarg_keys == ['sigma', 'rho', 'beta']
    assert [p for p in eq.__signature__.parameters] == ['x', 'y', 'z', 't', 'sigma', 'rho',
                                                          'beta']
    ref = [10. * (2. - 1.), 1. * (28. - 3.) - 2., 1. * 2. - 8 / 3 * 3.]
    assert eq(1., 2., 3., 0.) == ref
    assert eq(x=1., y=2., z=3., t=0.) == ref
    assert eq(1., 2., 3., 0., 5.)[0] == 5.                # sigma positionally
    assert eq(1., 2., 3., t=0., beta=1.)[2] == 2. - 3.
    assert eq(1., 2., 3., 0.) == bp.JointEq(eqs=(dx, dy, dz))(1., 2., 3., 0.)
    nested = bp.JointEq(bp.JointEq(dx, dy), dz)
    assert nested.arg_keys == eq.arg_keys and nested(1., 2., 3., 0.) == ref
    assert isinstance(bp.JointEq(dx)(1., 2., 0.), list)
    with pytest.raises(TypeError, match="missing 1 required argument: 't'"):
        eq(1., 2., 3.)
    with pytest.raises(TypeError, match='unexpected keyword'):
        eq(1., 2., 3., 0., gamma=1.)
    with pytest.raises(DiffEqError, match='has been used'):
        bp.JointEq(dx, lambda x, t: -x)
    with pytest.raises(DiffEqError, match='two different default'):
        bp.JointEq(dx, lambda w, t, sigma=3.: w)
    with pytest.raises(DiffEqError, match='callable'):
        bp.JointEq(dx, 3.)
    with pytest.raises(DiffEqError, match='"t"'):
        bp.JointEq(lambda x, s: x)
    with pytest.raises(DiffEqError, match='VAR_KEYWORD'):
        bp.JointEq(lambda x, t, **kw: x)
    integral = bp.odeint(eq, method='rk4', dt=0.01)
    assert integral.parameters == ['t', 'sigma', 'rho', 'beta']
    out = integral(1., 1., 1., 0.)                          # defaults used
    assert out == integral(1., 1., 1., 0., 10., 28., 8 / 3)


# ---------------------------------------------------------------------------
# calling conventions
# ---------------------------------------------------------------------------

def test_calling_conventions():
    f = lambda V, t, I, tau=10.: (-V + I) / tau
    integral = bp.odeint(f, method='euler', dt=0.5)
    V = torch.tensor([1., 2.], dtype=F64)
    ref = V + 0.5 * (-V + 3.) / 10.
    for out in [integral(V, 0., 3.), integral(V, 0., 3., 10.), integral(V, 0., 3., dt=0.5),
                integral(V, 0., 3., 10., 0.5), integral(V=V, t=0., I=3.),
                integral(V, t=0., I=3., tau=10., dt=0.5), integral(V, 0., I=3., dt=0.5)]:
        torch.testing.assert_close(out, ref)
    torch.testing.assert_close(integral(V, 0., 3., dt=0.1), V + 0.1 * (-V + 3.) / 10.)
    torch.testing.assert_close(integral(V, 0., 3., 5., 0.1), V + 0.1 * (-V + 3.) / 5.)
    with pytest.raises(TypeError, match="missing 1 required argument: 'I'"):
        integral(V, 0.)
    with pytest.raises(TypeError, match="multiple values for argument 'V'"):
        integral(V, 0., 3., V=V)
    with pytest.raises(TypeError, match="multiple values for argument 'dt'"):
        integral(V, 0., 3., 10., 0.1, dt=0.1)
    with pytest.raises(TypeError, match="unexpected keyword argument 'J'"):
        integral(V, 0., J=3.)
    with pytest.raises(TypeError, match='takes 5 arguments'):
        integral(V, 0., 3., 10., 0.1, 1.)


def test_return_structures_and_variables():
    one = bp.odeint(lambda x, t: -x, method='rk4')
    two = bp.odeint(lambda x, y, t: (y, -x), method='rk4')
    x = bm.Variable(torch.ones(3))
    out = one(x, 0.)
    assert type(out) is torch.Tensor and out.shape == (3,)
    out = two(x, bm.Variable(torch.zeros(3)), 0.)
    assert type(out) is tuple and len(out) == 2 and all(type(o) is torch.Tensor for o in out)
    assert isinstance(one(1., 0.), float)                  # pure Python stays Python
    zero_d = one(torch.tensor(1., dtype=F64), torch.tensor(0.))
    assert zero_d.shape == () and zero_d.dtype == F64
    assert abs(float(zero_d) - (1 - 0.1 + 0.01 / 2 - 0.001 / 6 + 0.0001 / 24)) < 1e-15
    dt = bm.Variable(torch.tensor(0.5))
    torch.testing.assert_close(bp.odeint(lambda x, t: -x)(torch.ones(1), 0., dt=dt),
                               torch.full((1,), 0.5))
    with pytest.raises(ValueError, match='returned 3 values'):
        bp.odeint(lambda x, y, t: (x, y, x), method='rk4')(1., 1., 0.)
    with pytest.raises(ValueError, match='returned 2 values'):
        one_bad = bp.odeint(lambda x, t: (x, x))
        one_bad(1., 0.)


def test_odeint_forms_and_registry():
    def f(v, t, p):
        return -v * p

    assert type(bp.odeint(f)) is bp.ode.Euler                        # the default method
    assert type(bp.odeint(f, method='rk4')) is bp.ode.RK4
    deco = bp.odeint(method='rk4', dt=0.02)
    integral = deco(f)
    assert type(integral) is bp.ode.RK4 and integral.dt == 0.02

    @bp.odeint
    def g(v, t):
        return -v

    assert type(g) is bp.ode.Euler and g.f.__name__ == 'g'

    @bp.ode.RK4
    def h(v, t):
        return -v

    assert isinstance(h, bp.ode.ODEIntegrator) and isinstance(h, bp.Base)
    assert bp.ode.RK4(f, dt=0.01).dt == 0.01
    assert type(bp.odeint(f, method='rk2', beta=0.5)).B == [0.0, 1.0] or \
        bp.odeint(f, method='rk2', beta=0.5).B == [0.0, 1.0]
    assert set(['euler', 'midpoint', 'heun2', 'ralston2', 'rk2', 'rk3', 'heun3', 'ralston3',
                'ssprk3', 'rk4', 'ralston4', 'rk4_38rule', 'rkf12', 'rkf45', 'rkdp', 'ck', 'bs',
                'heun_euler', 'exp_auto', 'exp_euler', 'exp_euler_auto',
                'exponential_euler']) <= set(bp.ode.get_supported_methods())
    bp.ode.set_default_odeint('rk4')
    try:
        assert bp.ode.get_default_odeint() == 'rk4' and type(bp.odeint(f)) is bp.ode.RK4
    finally:
        bp.ode.set_default_odeint('euler')
    with pytest.raises(ValueError, match='Unknown ODE numerical method "rk5"'):
        bp.odeint(f, method='rk5')
    with pytest.raises(ValueError, match='Unsupported'):
        bp.ode.set_default_odeint('rk5')
    with pytest.raises(ValueError, match='registered'):
        bp.ode.register_ode_integrator('rk4', bp.ode.RK4)
    with pytest.raises(ValueError, match='subclass'):
        bp.ode.register_ode_integrator('new', object)
    with pytest.raises(TypeError):
        bp.odeint(f, method='rk4', adaptive=True)          # not an adaptive method


def test_namespaces_match_brainpy():
    import bptorch.integrators as I
    for name in ['Integrator', 'JointEq', 'ODEIntegrator', 'odeint', 'get_default_odeint',
                 'set_default_odeint', 'register_ode_integrator', 'SDEIntegrator', 'sdeint',
                 'get_default_sdeint', 'set_default_sdeint', 'register_sde_integrator', 'ode',
                 'sde', 'DT', 'F', 'SCALAR_VAR', 'POP_VAR', 'SYSTEM_VAR', 'SCALAR_WIENER',
                 'VECTOR_WIENER', 'ITO_SDE', 'STRA_SDE', 'SUPPORTED_VAR_TYPE',
                 'SUPPORTED_WIENER_TYPE', 'SUPPORTED_INTG_TYPE', 'unique_name', 'exp_error_msg']:
        assert name in I.__all__ and hasattr(I, name), name
    for name in ['ODEIntegrator', 'odeint', 'set_default_odeint', 'get_default_odeint',
                 'register_ode_integrator', 'get_supported_methods', 'AdaptiveRKIntegrator',
                 'RKF12', 'RKF45', 'DormandPrince', 'CashKarp', 'BogackiShampine', 'HeunEuler',
                 'ExplicitRKIntegrator', 'Euler', 'MidPoint', 'Heun2', 'Ralston2', 'RK2', 'RK3',
                 'Heun3', 'Ralston3', 'SSPRK3', 'RK4', 'Ralston4', 'RK4Rule38',
                 'ExponentialEuler']:
        assert name in bp.ode.__all__, name
    for name in ['SDEIntegrator', 'Euler', 'Heun', 'Milstein', 'ExponentialEuler', 'SRK1W1',
                 'SRK2W1', 'KlPl', 'sdeint', 'set_default_sdeint', 'get_default_sdeint',
                 'register_sde_integrator', 'get_supported_methods']:
        assert name in bp.sde.__all__, name
    assert bp.odeint is bp.integrators.odeint and bp.sdeint is bp.integrators.sdeint
    assert bp.JointEq is bp.integrators.JointEq
    assert bp.integrators.ITO_SDE == 'Ito' and bp.integrators.STRA_SDE == 'Stratonovich'


def test_integrator_attributes():
    integral = bp.odeint(lambda V, w, t, I=0.5: (V - w + I, V - w), method='rk4', dt=0.04,
                         name='fhn_integral')
    assert integral.name == 'fhn_integral'
    assert integral.variables == ['V', 'w'] and integral.parameters == ['t', 'I']
    assert integral.arguments == ['V', 'w', 't', 'I=0.5', 'dt=0.04']
    assert integral.arg_names == ['V', 'w', 't', 'I', 'dt']
    assert integral.state_delays == {} and integral.neutral_delays == {}
    assert integral.func_name.startswith('brainpy_itg_of_ode')
    assert callable(integral.integral) and integral.derivative['f'] is integral.f
    for attr in ['dt', 'variables', 'parameters', 'arguments', 'state_delays']:
        with pytest.raises(ValueError, match='Cannot set'):
            setattr(integral, attr, 1)
    # still an nn.Module: no torch parameters, nothing saved, works inside a model
    assert list(integral.parameters()) == [] and dict(integral.state_dict()) == {}
    assert list(integral.vars()) == []

    class Model(bp.Base):
        def __init__(self):
            super().__init__()
            self.w = bm.TrainVar(torch.ones(2))
            self.integral = bp.odeint(self.derivative, method='rk4')

        def derivative(self, x, t):
            return -self.w * x

    model = Model()
    assert [p is model.w.value for p in model.parameters()] == [True]
    assert list(model.state_dict()) == ['w'] and list(model.vars().keys())[0].endswith('.w')
    model.double()
    assert model.w.dtype == F64 and model.integral(torch.ones(2, dtype=F64), 0.).dtype == F64


def test_dt_default_and_checks():
    assert bm.get_dt() == 0.1
    bm.set_dt(0.05)
    try:
        assert bp.odeint(lambda x, t: -x).dt == 0.05
        assert bp.sdeint(lambda x, t: -x, lambda x, t: x).dt == 0.05
    finally:
        bm.set_dt(0.1)
    assert bp.odeint(lambda x, t: -x).dt == 0.1
    with pytest.raises(TypeError, match='set_dt'):
        bm.set_dt('0.1')
    with pytest.raises(ValueError, match='positive'):
        bm.set_dt(0.)
    with pytest.raises(ValueError, match='dt must be a float'):
        bp.odeint(lambda x, t: -x, dt='0.1')
    with pytest.raises(ValueError, match='positive'):
        bp.odeint(lambda x, t: -x, dt=-0.1)


def test_signature_errors():
    with pytest.raises(CodeError, match='"dt" is a keyword'):
        bp.odeint(lambda v, t, dt: v)
    with pytest.raises(DiffEqError, match='"t"'):
        bp.odeint(lambda v, time: v)
    with pytest.raises(DiffEqError, match=r'\*\*kw'):
        bp.odeint(lambda v, t, **kw: v)
    with pytest.raises(DiffEqError, match='keyword-only'):
        bp.odeint(lambda v, t, *, p: v)
    with pytest.raises(DiffEqError, match='variable positional'):
        bp.odeint(lambda v, t, *args: v)
    with pytest.raises(DiffEqError, match='no variable'):
        bp.odeint(lambda t, p: p)
    with pytest.raises(DiffEqError, match='callable'):
        bp.odeint(3.)
    with pytest.raises(IntegratorError, match='var_type'):
        bp.odeint(lambda v, t: v, var_type='vector')
    with pytest.raises(NotImplementedError, match='state_delays'):
        bp.odeint(lambda v, t: v, state_delays={'v': object()})
    with pytest.raises(NotImplementedError, match='neutral_delays'):
        bp.odeint(lambda v, t: v, neutral_delays={'v': object()})
    # names BrainPy refuses only because of its generated code are fine here
    integral = bp.odeint(lambda f, t, v_new: -f + v_new, method='rk4')
    assert integral(1., 0., 1.) == 1.


def test_show_code_prints_the_update(capsys):
    bp.odeint(lambda x, y, t, p: (y, -p * x), method='rk2', show_code=True, dt=0.1)
    out = capsys.readouterr().out
    assert '(x, y, t, p, dt=0.1):' in out
    assert 'k2_x_arg = x + dt * dx_k1 * 0.6666666666666666' in out
    assert 'dx_k2, dy_k2 = f(k2_x_arg, k2_y_arg, k2_t_arg, p)' in out
    assert 'x_new = x + dx_k1 * dt * 0.25 + dx_k2 * dt * 0.75' in out
    assert 'return x_new, y_new' in out
    bp.odeint(lambda x, t: -x, method='rkf45', adaptive=True, show_code=True)
    assert 'dt_new = where(error > 0.1' in capsys.readouterr().out
    bp.odeint(lambda x, t: -x, method='exp_auto', show_code=True)
    assert 'phi(dt * x_linear)' in capsys.readouterr().out
    bp.sdeint(lambda x, t: -x, lambda x, t: x, method='milstein', show_code=True)
    assert 'x_bar = x + x_df * dt + (x_dg * sqrt(dt))' in capsys.readouterr().out
    bp.odeint(lambda x, t: -x, method='rk4')
    assert capsys.readouterr().out == ''


# ---------------------------------------------------------------------------
# gradients, transforms, devices
# ---------------------------------------------------------------------------

def _f_grad(x, t, a, b):
    return -a * x + torch.sin(b * x) + 0.1 * t


def _rk4_by_hand(x, a, b, h, n):
    for i in range(n):
        t = i * h
        k1 = _f_grad(x, t, a, b)
        k2 = _f_grad(x + h / 2 * k1, t + h / 2, a, b)
        k3 = _f_grad(x + h / 2 * k2, t + h / 2, a, b)
        k4 = _f_grad(x + h * k3, t + h, a, b)
        x = x + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return x


def _leaves():
    g = torch.Generator().manual_seed(0)
    return [torch.randn(4, generator=g, dtype=F64).requires_grad_(),
            torch.tensor(0.8, dtype=F64, requires_grad=True),
            torch.tensor(1.7, dtype=F64, requires_grad=True)]


def test_gradients_through_100_rk4_steps_equal_autograd_by_hand():
    integral = bp.odeint(_f_grad, method='rk4', dt=0.05)
    x0, a, b = _leaves()
    x = x0
    for i in range(100):
        x = integral(x, i * 0.05, a, b)
    ours = torch.autograd.grad((x ** 2).sum(), (x0, a, b))
    x0r, ar, br = _leaves()
    ref = torch.autograd.grad((_rk4_by_hand(x0r, ar, br, 0.05, 100) ** 2).sum(), (x0r, ar, br))
    for g, r in zip(ours, ref):
        torch.testing.assert_close(g, r, rtol=1e-12, atol=1e-12)


def test_rk4_under_bm_grad():
    integral = bp.odeint(_f_grad, method='rk4', dt=0.05)

    def loss(x0, a, b):
        x = x0
        for i in range(20):
            x = integral(x, i * 0.05, a, b)
        return (x ** 2).sum()

    x0, a, b = [t.detach() for t in _leaves()]
    grads = bm.grad(loss, argnums=(0, 1, 2))(x0, a, b)
    x0r, ar, br = _leaves()
    ref = torch.autograd.grad((_rk4_by_hand(x0r, ar, br, 0.05, 20) ** 2).sum(), (x0r, ar, br))
    for g, r in zip(grads, ref):
        torch.testing.assert_close(g, r, rtol=1e-12, atol=1e-12)


def _exp_euler_by_hand(x, a, b, h, n):
    # f = -a x + sin(b x) + 0.1 t:  A = df/dx = -a + b cos(b x)
    for i in range(n):
        A = -a + b * torch.cos(b * x)
        F = _f_grad(x, i * h, a, b)
        x = x + torch.expm1(h * A) / A * F
    return x


def test_exp_euler_gradients_equal_autograd_by_hand():
    integral = bp.odeint(_f_grad, method='exp_auto', dt=0.1)
    # parameters as arguments and the state requiring grad
    x0, a, b = _leaves()
    x = x0
    for i in range(30):
        x = integral(x, i * 0.1, a, b)
    ours = torch.autograd.grad(x.sum(), (x0, a, b))
    x0r, ar, br = _leaves()
    ref = torch.autograd.grad(_exp_euler_by_hand(x0r, ar, br, 0.1, 30).sum(), (x0r, ar, br))
    for g, r in zip(ours, ref):
        torch.testing.assert_close(g, r, rtol=1e-11, atol=1e-12)


def test_exp_euler_gradient_of_a_closure_parameter():
    # the state does not require grad; only a parameter the derivative reads does
    _, a, b = _leaves()
    integral = bp.odeint(lambda x, t: _f_grad(x, t, a, b), method='exp_auto', dt=0.1)
    x = torch.linspace(-1., 1., 4, dtype=F64)
    x0 = x
    for i in range(10):
        x = integral(x, i * 0.1)
    ours = torch.autograd.grad(x.sum(), (a, b))
    _, ar, br = _leaves()
    ref = torch.autograd.grad(_exp_euler_by_hand(x0, ar, br, 0.1, 10).sum(), (ar, br))
    for g, r in zip(ours, ref):
        torch.testing.assert_close(g, r, rtol=1e-11, atol=1e-12)


def test_exp_euler_gradient_of_a_trainvar_under_bm_grad():
    class Neuron(bp.Base):
        def __init__(self):
            super().__init__()
            self.tau = bm.TrainVar(torch.tensor([5., 10.], dtype=F64))
            self.integral = bp.odeint(self.dV, method='exp_auto', dt=0.5)

        def dV(self, V, t, I):
            return (-V + I) / self.tau - 0.01 * V * V

        def loss(self, I):
            V = torch.zeros(2, dtype=F64)
            for i in range(10):
                V = self.integral(V, i * 0.5, I)
            return V.sum()

    model = Neuron()
    I = torch.tensor([1., 2.], dtype=F64)
    g = bm.grad(model.loss, grad_vars=model.tau)(I)

    tau = torch.tensor([5., 10.], dtype=F64, requires_grad=True)
    V = torch.zeros(2, dtype=F64)
    for i in range(10):
        A = -1 / tau - 0.02 * V
        V = V + torch.expm1(0.5 * A) / A * ((-V + I) / tau - 0.01 * V * V)
    ref, = torch.autograd.grad(V.sum(), tau)
    torch.testing.assert_close(g, ref, rtol=1e-11, atol=1e-12)


def test_vmap_of_integrations():
    rk = bp.odeint(_f_grad, method='rk4', dt=0.1)
    ex = bp.odeint(_f_grad, method='exp_auto', dt=0.1)
    a, b = torch.tensor(0.8, dtype=F64), torch.tensor(1.7, dtype=F64)

    def run(x):
        for i in range(5):
            x = rk(x, i * 0.1, a, b)
        return ex(x, 0.5, a, b)

    xs = torch.randn(6, 3, dtype=F64)
    torch.testing.assert_close(bm.vmap(run)(xs), run(xs), rtol=1e-13, atol=1e-13)
    # vmap of a gradient through exponential Euler
    per_example = bm.vmap(bm.grad(lambda x: run(x).sum()))(xs)
    leaf = xs.clone().requires_grad_()
    ref, = torch.autograd.grad(run(leaf).sum(), leaf)
    torch.testing.assert_close(per_example, ref, rtol=1e-12, atol=1e-12)


def test_sde_under_vmap_with_different_randomness():
    integral = bp.sdeint(lambda x, t: -x, lambda x, t: 0.1, dt=0.01)
    out = torch.func.vmap(lambda x: integral(x, 0.), randomness='different')(torch.zeros(5, 2))
    assert out.shape == (5, 2) and len(set(out.flatten().tolist())) == 10


def test_jit_matches_eager():
    rk = bp.odeint(_f_grad, method='rk4', dt=0.1)
    ex = bp.odeint(_f_grad, method='exp_auto', dt=0.1)

    def run(x, a, b):
        for i in range(3):
            x = rk(x, i * 0.1, a, b)
        return ex(x, 0.3, a, b)

    x, a, b = torch.linspace(-1, 1, 5), torch.tensor(0.8), torch.tensor(1.7)
    compiled = bm.jit(run)
    torch.testing.assert_close(compiled(x, a, b), run(x, a, b), rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(compiled(2 * x, a, b), run(2 * x, a, b), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('method', ['euler', 'rk4', 'rkf45', 'exp_auto'])
def test_ode_on_device(device, method):
    integral = bp.odeint(lambda x, y, t, I: (-x + y * I, -y), method=method) \
        if method != 'exp_auto' else bp.odeint(bp.JointEq(lambda x, t, y, I: -x + y * I,
                                                          lambda y, t: -y), method=method)
    x = torch.ones(3, device=device)
    y = torch.full((3,), 0.5, device=device)
    I = torch.tensor(2., device=device)
    out = integral(x, y, torch.tensor(0., device=device), I)
    assert all(o.device == x.device for o in out)
    ref = integral(x.cpu(), y.cpu(), torch.tensor(0.), I.cpu())
    for o, r in zip(out, ref):
        torch.testing.assert_close(o.cpu(), r, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('method', ['euler', 'milstein', 'exp_euler'])
@pytest.mark.parametrize('wiener', ['scalar', 'vector'])
def test_sde_on_device(device, method, wiener):
    s = torch.tensor([0.1, 0.2], device=device)
    g = (lambda x, t: 0.1 * x) if wiener == 'scalar' else (lambda x, t: x[..., None] * s)
    integral = bp.sdeint(lambda x, t: -x, g, method=method, wiener_type=wiener, dt=0.01)
    x = integral(torch.ones(4, device=device, dtype=F64), 0.)
    assert x.device == torch.device(device) and x.dtype == F64 and x.shape == (4,)


# ---------------------------------------------------------------------------
# ported cells of BrainPy 2.1.12's docs/tutorial_toolbox/ode_numerical_solvers.ipynb
# (imports changed, IntegratorRunner replaced by the loop it runs)
# ---------------------------------------------------------------------------

def test_tutorial_fitzhugh_nagumo():
    @bp.odeint(dt=0.01)
    def integral(V, w, t, Iext, a, b, tau):
        dw = (V + a - b * w) / tau
        dV = V - V * V * V / 3 - w + Iext
        return dV, dw

    assert isinstance(integral, bp.ode.ODEIntegrator) and type(integral) is bp.ode.Euler
    assert integral.dt == 0.01
    a = 0.7;   b = 0.8;   tau = 12.5;   Iext = 1.  # noqa: E702
    hist_times = bm.arange(0, 100, 0.01)
    hist_V = []
    V, w = 0., 0.
    for t in hist_times:
        V, w = integral(V, w, t, Iext, a, b, tau)
        hist_V.append(V)

    # reference: the forward Euler recursion in plain Python
    ref, Vr, wr = [], 0., 0.
    for _ in range(len(hist_times)):
        Vr, wr = Vr + 0.01 * (Vr - Vr ** 3 / 3 - wr + Iext), wr + 0.01 * (Vr + a - b * wr) / tau
        ref.append(Vr)
    np.testing.assert_allclose(hist_V, ref, rtol=1e-12, atol=1e-12)
    hist_V = np.array(hist_V)
    upward = np.nonzero((hist_V[:-1] < 1.) & (hist_V[1:] >= 1.))[0]
    assert len(upward) >= 2 and hist_V.max() > 1.9 and hist_V.min() < -1.9   # a limit cycle


def _rkf45_adaptive_reference(y, t_grid, tol, dt):
    def f(t, y):
        x, yy, z = y
        return np.array([10 * (yy - x), x * (28 - z) - yy, x * yy - 8 / 3 * z])
    out = []
    for t in t_grid:
        new, est = rk_reference(f, y, t, dt, TABLEAUX['rkf45'])
        error = np.abs(new - est).sum()
        dt = 0.9 * dt * (tol / error) ** 0.2 if error > tol else dt
        y = new
        out.append((y, dt))
    return out


def test_tutorial_adaptive_lorenz():
    # adaptively adjust step-size
    @bp.odeint(method='rkf45',
               adaptive=True,  # active the "adaptive" option
               tol=0.001)  # set the tolerance
    def lorenz(x, y, z, t, sigma, beta, rho):
        dx = sigma * (y - x)
        dy = x * (rho - z) - y
        dz = x * y - beta * z
        return dx, dy, dz

    times = bm.arange(0, 100, 0.01)[:150]       # (the tutorial runs 10000 steps)
    hist_x, hist_y, hist_z, hist_dt = [], [], [], []
    x, y, z, dt = bm.array([1]), bm.array([1]), bm.array([1]), 0.05
    for t in times:
        # should provide one more argument "dt" when using the adaptive rk method
        x, y, z, dt = lorenz(x, y, z, t, sigma=10, beta=8 / 3, rho=28, dt=dt)
        hist_x.append(x)
        hist_y.append(y)
        hist_z.append(z)
        hist_dt.append(dt)
    hist_x = bm.array(hist_x).flatten()
    hist_dt = bm.array(hist_dt)
    assert hist_x.shape == (150,) and hist_dt.shape == (150,)

    ref = _rkf45_adaptive_reference(np.ones(3), times.double().numpy(), 0.001, 0.05)
    ref_x = np.array([r[0][0] for r in ref])
    ref_dt = np.array([r[1] for r in ref])
    np.testing.assert_allclose(hist_dt.numpy(), ref_dt, rtol=2e-3)
    np.testing.assert_allclose(hist_x.numpy(), ref_x, rtol=2e-3, atol=2e-3)
    assert hist_dt.max() < 0.05 and hist_dt.min() < 0.02      # the step adapts


def _hh_equations():
    ENa, EK, EL = 50., -77., -54.387
    C, gNa, gK, gL = 1.0, 120., 36., 0.03

    def dm(m, t, V):
        alpha = 0.1 * (V + 40) / (1 - bm.exp(-(V + 40) / 10))
        beta = 4.0 * bm.exp(-(V + 65) / 18)
        dmdt = alpha * (1 - m) - beta * m
        return dmdt

    def dh(h, t, V):
        alpha = 0.07 * bm.exp(-(V + 65) / 20.)
        beta = 1 / (1 + bm.exp(-(V + 35) / 10))
        dhdt = alpha * (1 - h) - beta * h
        return dhdt

    def dn(n, t, V):
        alpha = 0.01 * (V + 55) / (1 - bm.exp(-(V + 55) / 10))
        beta = 0.125 * bm.exp(-(V + 65) / 80)
        dndt = alpha * (1 - n) - beta * n
        return dndt

    def dV(V, t, m, h, n, Iext):
        I_Na = (gNa * m ** 3.0 * h) * (V - ENa)
        I_K = (gK * n ** 4.0) * (V - EK)
        I_leak = gL * (V - EL)
        dVdt = (- I_Na - I_K - I_leak + Iext) / C
        return dVdt

    return bp.JointEq([dV, dm, dh, dn])


def _hh_reference_spikes(T, dt=0.02, Iext=10.):
    """Spike times of the HH model (RK4 in plain Python floats, from V = m = h = n = 0)."""
    def f(V, m, h, n):
        am = 0.1 * (V + 40) / (1 - math.exp(-(V + 40) / 10))
        bm_ = 4.0 * math.exp(-(V + 65) / 18)
        ah, bh = 0.07 * math.exp(-(V + 65) / 20.), 1 / (1 + math.exp(-(V + 35) / 10))
        an = 0.01 * (V + 55) / (1 - math.exp(-(V + 55) / 10))
        bn = 0.125 * math.exp(-(V + 65) / 80)
        dV = -120. * m ** 3 * h * (V - 50.) - 36. * n ** 4 * (V + 77.) - 0.03 * (V + 54.387) + Iext
        return dV, am * (1 - m) - bm_ * m, ah * (1 - h) - bh * h, an * (1 - n) - bn * n
    y, Vs = (0., 0., 0., 0.), []
    for _ in range(int(round(T / dt))):
        k1 = f(*y)
        k2 = f(*[a + dt / 2 * k for a, k in zip(y, k1)])
        k3 = f(*[a + dt / 2 * k for a, k in zip(y, k2)])
        k4 = f(*[a + dt * k for a, k in zip(y, k3)])
        y = tuple(a + dt / 6 * (p + 2 * q + 2 * r + s) for a, p, q, r, s in zip(y, k1, k2, k3, k4))
        Vs.append(y[0])
    return _spikes(np.array(Vs), dt)


def _spikes(V, dt):
    return (np.nonzero((V[:-1] < 0) & (V[1:] >= 0))[0] + 1) * dt


def test_tutorial_hodgkin_huxley_joint_eq():
    hh_derivative = _hh_equations()
    T = 60.

    def run(method, Iext=10., dt=0.1):
        integral = bp.odeint(hh_derivative, method=method)
        V, m, h, n = [bm.zeros(1) for _ in range(4)]          # inits=[0., 0., 0., 0.]
        hist_V = []
        for i in range(int(round(T / dt))):
            V, m, h, n = integral(V, m, h, n, i * dt, Iext, dt=dt)
            hist_V.append(float(V[0]))
        return np.array(hist_V)

    ref = _hh_reference_spikes(T)
    assert len(ref) == 4
    # Euler: not able to complete the integral when the time step is a bit larger
    assert np.isnan(run('euler', Iext=10, dt=0.1)).any()
    # RK4: the reference spike times, to the step
    np.testing.assert_allclose(_spikes(run('rk4', Iext=10, dt=0.1), 0.1), ref, atol=0.11)
    # Exponential Euler: stable with a large step, first-order accurate (the period error
    # halves with the step)
    coarse, fine = _spikes(run('exp_euler', dt=0.2), 0.2), _spikes(run('exp_euler', dt=0.1), 0.1)
    assert len(coarse) >= 3 and len(fine) >= 3
    err_coarse = np.diff(coarse).mean() - np.diff(ref).mean()
    err_fine = np.diff(fine).mean() - np.diff(ref).mean()
    assert 1.5 < err_coarse / err_fine < 2.5 and abs(err_coarse) < 0.1 * np.diff(ref).mean()


def test_brainpy_sde_exp_euler_lorenz():
    # brainpy/integrators/sde/tests/test_sde_exp_euler.py (2.1.12), with the runner's loop
    p, p2 = 0.1, 0.02

    def lorenz_g(x, y, z, t, **kwargs):
        return p * x, p * y, p * z

    def lorenz_g2(x, y, z, t, **kwargs):
        return bm.stack([p * x, p2 * x], -1), bm.stack([p * y, p2 * y], -1), \
            bm.stack([p * z, p2 * z], -1)

    dx = lambda x, t, y, sigma=10: sigma * (y - x)
    dy = lambda y, t, x, z, rho=28: x * (rho - z) - y
    dz = lambda z, t, x, y, beta=8 / 3: x * y - beta * z
    for g, wiener in [(lorenz_g, bp.integrators.SCALAR_WIENER),
                      (lorenz_g2, bp.integrators.VECTOR_WIENER)]:
        intg = bp.sde.ExponentialEuler(f=bp.JointEq([dx, dy, dz]), g=g,
                                       intg_type=bp.integrators.ITO_SDE, wiener_type=wiener,
                                       var_type=bp.integrators.POP_VAR, dt=0.005)
        x, y, z = bm.ones(1), bm.ones(1), bm.zeros(1)
        for i in range(600):                    # (the BrainPy test runs 100 time units)
            x, y, z = intg(x, y, z, i * 0.005)
        assert all(bool(torch.isfinite(v).all()) for v in (x, y, z))
        assert 0. < float(z[0]) < 50. and -25. < float(x[0]) < 25.   # on the attractor
