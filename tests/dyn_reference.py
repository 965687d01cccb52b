"""NumPy references for the ``bp.dyn`` tests: the models' equations written out from
BrainPy 2.1.12's source, and the integration methods (exponential Euler with the
linear part from a complex-step derivative, RK4, Euler) written independently of
bptorch."""

import numpy as np

H = 1e-30   # complex step


def phi1(z):
    """(e^z - 1) / z, 1 at z = 0."""
    z = np.asarray(z, dtype=float)
    safe = np.where(z == 0, 1., z)
    return np.where(z == 0, 1., np.expm1(safe) / safe)


def exp_euler(names, rhs, state, dt):
    """One exponential Euler step of the joint system ``rhs[name](state) -> derivative``:
    each variable ``x`` gets ``x + dt * phi1(dt * A) * f`` with ``A = df/dx`` at the old
    state (other variables at their old values)."""
    new = {}
    for name in names:
        f = rhs[name]
        value = np.real(f(state))
        pert = dict(state)
        pert[name] = state[name] + 1j * H
        A = np.imag(f(pert)) / H
        new[name] = state[name] + dt * phi1(dt * A) * value
    return new


def rk4(names, rhs, state, dt, t=0.):
    """One classical Runge-Kutta step of the joint system (``rhs`` may read ``state['t']``)."""
    def f(s):
        return {n: np.asarray(rhs[n](s), dtype=float) for n in names}

    def shifted(k, c, tt):
        s = dict(state)
        s.update({n: state[n] + c * k[n] for n in names})
        s['t'] = tt
        return s

    s0 = dict(state)
    s0['t'] = t
    k1 = f(s0)
    k2 = f(shifted(k1, dt / 2, t + dt / 2))
    k3 = f(shifted(k2, dt / 2, t + dt / 2))
    k4 = f(shifted(k3, dt, t + dt))
    return {n: state[n] + dt / 6 * (k1[n] + 2 * k2[n] + 2 * k3[n] + k4[n]) for n in names}


def euler(names, rhs, state, dt):
    return {n: state[n] + dt * np.asarray(rhs[n](state), dtype=float) for n in names}


# ---------------------------------------------------------------------------------------
# neuron equations (BrainPy 2.1.12, brainpy/dyn/neurons/*.py)
# ---------------------------------------------------------------------------------------

def lif_rhs(p):
    return {'V': lambda s: (-s['V'] + p['V_rest'] + s['I']) / p['tau']}


def expif_rhs(p):
    return {'V': lambda s: (-(s['V'] - p['V_rest'])
                            + p['delta_T'] * np.exp((s['V'] - p['V_T']) / p['delta_T'])
                            + p['R'] * s['I']) / p['tau']}


def adexif_rhs(p):
    return {
        'V': lambda s: (-s['V'] + p['V_rest'] + p['delta_T'] * np.exp((s['V'] - p['V_T']) / p['delta_T'])
                        - p['R'] * s['w'] + p['R'] * s['I']) / p['tau'],
        'w': lambda s: (p['a'] * (s['V'] - p['V_rest']) - s['w']) / p['tau_w'],
    }


def quaif_rhs(p):
    return {'V': lambda s: (p['c'] * (s['V'] - p['V_rest']) * (s['V'] - p['V_c'])
                            + p['R'] * s['I']) / p['tau']}


def adquaif_rhs(p):
    return {
        'V': lambda s: (p['c'] * (s['V'] - p['V_rest']) * (s['V'] - p['V_c']) - s['w'] + s['I']) / p['tau'],
        'w': lambda s: (p['a'] * (s['V'] - p['V_rest']) - s['w']) / p['tau_w'],
    }


def gif_rhs(p):
    return {
        'I1': lambda s: -p['k1'] * s['I1'],
        'I2': lambda s: -p['k2'] * s['I2'],
        'V_th': lambda s: p['a'] * (s['V'] - p['V_rest']) - p['b'] * (s['V_th'] - p['V_th_inf']),
        'V': lambda s: (-(s['V'] - p['V_rest']) + p['R'] * s['I'] + p['R'] * s['I1']
                        + p['R'] * s['I2']) / p['tau'],
    }


def izh_rhs(p):
    return {
        'V': lambda s: 0.04 * s['V'] * s['V'] + 5 * s['V'] + 140 - s['u'] + s['I'],
        'u': lambda s: p['a'] * (p['b'] * s['V'] - s['u']),
    }


def hr_rhs(p):
    return {
        'V': lambda s: s['y'] - p['a'] * s['V'] ** 3 + p['b'] * s['V'] ** 2 - s['z'] + s['I'],
        'y': lambda s: p['c'] - p['d'] * s['V'] ** 2 - s['y'],
        'z': lambda s: p['r'] * (p['s'] * (s['V'] - p['V_rest']) - s['z']),
    }


def fhn_rhs(p):
    return {
        'V': lambda s: s['V'] - s['V'] ** 3 / 3 - s['w'] + s['I'],
        'w': lambda s: (s['V'] + p['a'] - p['b'] * s['w']) / p['tau'],
    }


def hh_rhs(p):
    def am(V): return 0.1 * (V + 40) / (1 - np.exp(-(V + 40) / 10))
    def bm_(V): return 4.0 * np.exp(-(V + 65) / 18)
    def ah(V): return 0.07 * np.exp(-(V + 65) / 20.)
    def bh(V): return 1 / (1 + np.exp(-(V + 35) / 10))
    def an(V): return 0.01 * (V + 55) / (1 - np.exp(-(V + 55) / 10))
    def bn(V): return 0.125 * np.exp(-(V + 65) / 80)
    return {
        'V': lambda s: (-(p['gNa'] * s['m'] ** 3 * s['h']) * (s['V'] - p['ENa'])
                        - (p['gK'] * s['n'] ** 4) * (s['V'] - p['EK'])
                        - p['gL'] * (s['V'] - p['EL']) + s['I']) / p['C'],
        'm': lambda s: am(s['V']) * (1 - s['m']) - bm_(s['V']) * s['m'],
        'h': lambda s: ah(s['V']) * (1 - s['h']) - bh(s['V']) * s['h'],
        'n': lambda s: an(s['V']) * (1 - s['n']) - bn(s['V']) * s['n'],
    }


def ml_rhs(p):
    def dV(s):
        V = s['V']
        M_inf = 0.5 * (1 + np.tanh((V - p['V1']) / p['V2']))
        return (-p['g_Ca'] * M_inf * (V - p['V_Ca']) - p['g_K'] * s['W'] * (V - p['V_K'])
                - p['g_leak'] * (V - p['V_leak']) + s['I']) / p['C']

    def dW(s):
        V = s['V']
        tau_W = 1 / (p['phi'] * np.cosh((V - p['V3']) / (2 * p['V4'])))
        W_inf = 0.5 * (1 + np.tanh((V - p['V3']) / p['V4']))
        return (W_inf - s['W']) / tau_W
    return {'V': dV, 'W': dW}


def wb_rhs(p):
    def m_inf(V):
        a = -0.1 * (V + 35) / (np.exp(-0.1 * (V + 35)) - 1)
        b = 4. * np.exp(-(V + 60.) / 18.)
        return a / (a + b)
    return {
        'V': lambda s: (-p['gNa'] * m_inf(s['V']) ** 3 * s['h'] * (s['V'] - p['ENa'])
                        - p['gK'] * s['n'] ** 4 * (s['V'] - p['EK'])
                        - p['gL'] * (s['V'] - p['EL']) + s['I']) / p['C'],
        'h': lambda s: p['phi'] * (0.07 * np.exp(-(s['V'] + 58) / 20) * (1 - s['h'])
                                   - 1 / (np.exp(-0.1 * (s['V'] + 28)) + 1) * s['h']),
        'n': lambda s: p['phi'] * (-0.01 * (s['V'] + 34) / (np.exp(-0.1 * (s['V'] + 34)) - 1) * (1 - s['n'])
                                   - 0.125 * np.exp(-(s['V'] + 44) / 80) * s['n']),
    }


class PR:
    """Pinsky-Rinzel rate functions and equations (BrainPy 2.1.12)."""

    def __init__(self, p):
        self.p = p

    @staticmethod
    def am(Vs): return 0.32 * (13.1 - (Vs + 60.)) / (np.exp((13.1 - (Vs + 60.)) / 4.) - 1.)
    @staticmethod
    def bm(Vs): return 0.28 * ((Vs + 60.) - 40.1) / (np.exp(((Vs + 60.) - 40.1) / 5.) - 1.)
    @staticmethod
    def an(Vs): return 0.016 * (35.1 - (Vs + 60.)) / (np.exp((35.1 - (Vs + 60.)) / 5) - 1)
    @staticmethod
    def bn(Vs): return 0.25 * np.exp(0.5 - 0.025 * (Vs + 60.))
    @staticmethod
    def ah(Vs): return 0.128 * np.exp((17. - (Vs + 60.)) / 18.)
    @staticmethod
    def bh(Vs): return 4. / (1 + np.exp((40. - (Vs + 60.)) / 5))
    @staticmethod
    def as_(Vd): return 1.6 / (1 + np.exp(-0.072 * ((Vd + 60.) - 65.)))
    @staticmethod
    def bs(Vd): return 0.02 * ((Vd + 60.) - 51.1) / (np.exp(((Vd + 60.) - 51.1) / 5.) - 1.)

    @staticmethod
    def ac(Vd):
        low = (np.exp(((Vd + 60.) - 10.) / 11.) - np.exp(((Vd + 60.) - 6.5) / 27.)) / 18.975
        high = 2. * np.exp((6.5 - (Vd + 60.)) / 27.)
        return np.where(np.real(Vd + 60.) <= 50., low, high)

    @staticmethod
    def bc(Vd):
        low = (np.exp(((Vd + 60.) - 10.) / 11.) - np.exp(((Vd + 60.) - 6.5) / 27.)) / 18.975
        return np.where(np.real(Vd + 60.) <= 50., 2. * np.exp((6.5 - (Vd + 60.)) / 27.) - low, 0.)

    @staticmethod
    def aq(Ca): return np.minimum(2e-5 * Ca, 1e-2)

    @staticmethod
    def inf(a, b): return a / (a + b)

    def rhs(self):
        p = self.p

        def dVs(s):
            m = self.inf(self.am(s['Vs']), self.bm(s['Vs']))
            return (-(p['gNa'] * m ** 2 * s['h']) * (s['Vs'] - p['ENa'])
                    - (p['gK'] * s['n']) * (s['Vs'] - p['EK']) - p['gL'] * (s['Vs'] - p['EL'])
                    + p['gc'] / p['p'] * (s['Vd'] - s['Vs']) + s['Is'] / p['p']) / p['Cm']

        def dVd(s):
            q = 1 - p['p']
            return (-p['gL'] * (s['Vd'] - p['EL']) - p['gCa'] * s['s'] ** 2 * (s['Vd'] - p['ECa'])
                    - p['gAHP'] * s['q'] * (s['Vd'] - p['EK'])
                    - p['gC'] * np.minimum(np.real(s['Ca']) / 250., 1.) * (s['Vd'] - p['EK'])
                    + p['gc'] / q * (s['Vs'] - s['Vd']) + s['Id'] / q) / p['Cm']

        return {
            'Vs': dVs, 'Vd': dVd,
            'Ca': lambda s: -0.13 * p['gCa'] * s['s'] ** 2 * (s['Vd'] - p['ECa']) - 0.075 * s['Ca'],
            'h': lambda s: self.ah(s['Vs']) * (1 - s['h']) - self.bh(s['Vs']) * s['h'],
            'n': lambda s: self.an(s['Vs']) * (1 - s['n']) - self.bn(s['Vs']) * s['n'],
            's': lambda s: self.as_(s['Vd']) * (1 - s['s']) - self.bs(s['Vd']) * s['s'],
            'c': lambda s: self.ac(s['Vd']) * (1 - s['c']) - self.bc(s['Vd']) * s['c'],
            'q': lambda s: self.aq(s['Ca']) * (1 - s['q']) - 1e-3 * s['q'],
        }
