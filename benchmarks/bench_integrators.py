"""(f) One integration step of bp.odeint / bp.sdeint against the same step written in torch.

The cost an integrator adds to a neuron's update: binding the call's arguments and
walking the tableau. Each case integrates N = 1000 neurons (larger on CUDA).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

import bptorch as bp  # noqa: E402
from benchmarks.harness import Report, median_times, parse_args  # noqa: E402


def main():
    args = parse_args(__doc__)
    dev = args.device
    n = 1000 if dev.type == 'cpu' else 100_000
    dt, tau = 0.1, 10.
    V = torch.rand(n, device=dev) - 65.
    m, h, k = torch.rand(n, device=dev), torch.rand(n, device=dev), torch.rand(n, device=dev)
    I = torch.rand(n, device=dev)

    # LIF, Euler
    def lif(V, t, I):
        return (-V + I) / tau
    euler = bp.odeint(lif, method='euler', dt=dt)

    # a four-variable system, RK4 (one function returning four derivatives)
    def sys4(V, m, h, k, t, I):
        return (-V + I - m * h) / tau, m * (1 - m) - h, -h + k * V * 0.01, torch.tanh(V) - k

    rk4 = bp.odeint(sys4, method='rk4', dt=dt)

    def rk4_raw(V, m, h, k, t, I):
        y = (V, m, h, k)
        k1 = sys4(*y, t, I)
        k2 = sys4(*[a + dt / 2 * b for a, b in zip(y, k1)], t + dt / 2, I)
        k3 = sys4(*[a + dt / 2 * b for a, b in zip(y, k2)], t + dt / 2, I)
        k4 = sys4(*[a + dt * b for a, b in zip(y, k3)], t + dt, I)
        return tuple(a + dt * (p / 6 + q / 3 + r / 3 + s / 6)
                     for a, p, q, r, s in zip(y, k1, k2, k3, k4))

    # a nonlinear neuron, exponential Euler (the linear part by autograd)
    def qif(V, t, I):
        return (-V + 0.04 * V * V + I) / tau
    exp_auto = bp.odeint(qif, method='exp_auto', dt=dt)

    def exp_raw(V, t, I):
        with torch.enable_grad():
            leaf = V.detach().requires_grad_()
            F = qif(leaf, t, I)
            A, = torch.autograd.grad(F, leaf, torch.ones_like(F))
        F = F.detach()
        z = dt * A
        zero = z == 0
        z_safe = torch.where(zero, 1., z)
        return V + dt * torch.where(zero, 1., torch.expm1(z_safe) / z_safe) * F

    # Euler-Maruyama
    sde = bp.sdeint(lif, lambda V, t, I: 0.5, dt=dt)
    gen = torch.Generator(device=dev)

    def sde_raw(V, t, I):
        return V + lif(V, t, I) * dt + 0.5 * (torch.randn(V.shape, generator=gen, device=dev)
                                              * dt ** 0.5)

    torch.testing.assert_close(euler(V, 0., I), V + dt * lif(V, 0., I))
    torch.testing.assert_close(rk4(V, m, h, k, 0., I), rk4_raw(V, m, h, k, 0., I))
    torch.testing.assert_close(exp_auto(V, 0., I), exp_raw(V, 0., I))

    report = Report(f'one integration step, N = {n}', dev)
    times = median_times({
        'euler_raw': lambda: V + dt * lif(V, 0., I),
        'euler': lambda: euler(V, 0., I),
        'euler_kw': lambda: euler(V, 0., I, dt=dt),
        'rk4_raw': lambda: rk4_raw(V, m, h, k, 0., I),
        'rk4': lambda: rk4(V, m, h, k, 0., I),
        'exp_raw': lambda: exp_raw(V, 0., I),
        'exp': lambda: exp_auto(V, 0., I),
        'sde_raw': lambda: sde_raw(V, 0., I),
        'sde': lambda: sde(V, 0., I),
    }, args.min_time, device=dev)
    report.add('euler', 'V + dt * f(V, t, I) (torch)', times['euler_raw'], baseline=True)
    report.add('euler', "odeint(method='euler')(V, t, I)", times['euler'], target=1.3)
    report.add('euler', '... with dt=', times['euler_kw'], target=1.3)
    report.add('rk4', 'RK4 of 4 variables by hand (torch)', times['rk4_raw'], baseline=True)
    report.add('rk4', "odeint(method='rk4')", times['rk4'], target=1.1)
    report.add('exp_auto', 'autograd.grad + expm1 step (torch)', times['exp_raw'], baseline=True)
    report.add('exp_auto', "odeint(method='exp_auto')", times['exp'], target=1.15)
    report.add('sde', 'Euler-Maruyama by hand (torch)', times['sde_raw'], baseline=True)
    report.add('sde', 'sdeint(method=\'euler\')', times['sde'], target=1.3)
    report.emit(args.json)


if __name__ == '__main__':
    main()
