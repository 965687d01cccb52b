"""(h) BrainPy 2.1.12's ``examples/simulation/COBA_for_benchmark.py``: the COBA network of
Brette et al. (2007), 3200 excitatory + 800 inhibitory LIF neurons, 2% random connections,
exponential conductance synapses, Euler, dt = 0.1 ms, for 1 s of model time (10000
steps), at scale 1.

The model code below is BrainPy's, with only the imports changed (its event operator,
``bm.pre2post_event_sum``, is bptorch's own). It runs with ``bp.dyn.DSRunner``:

- eagerly (``jit=False``, bptorch's default);
- compiled (``jit=True``): the first run (compiling the step, then running) and a second
  run of 1 s (the compiled step reused), with an empty compile cache (a fresh
  ``TORCHINDUCTOR_CACHE_DIR``, what a new machine pays; ``--keep-cache`` keeps the user's);

against the same network written out in torch (the baseline: the same equations, the
same Euler steps, the same event-driven sums), in one process. Each prints the firing
rates of both populations. With ``--brainpy PYTHON`` (a venv holding BrainPy 2.1.12 and
JAX, see ``brainpy_coba.py``) real BrainPy runs the same script too, labelled.
"""

import os
import sys
import tempfile
import time
import warnings

if '--keep-cache' not in sys.argv:          # before torch is imported: a cold cache
    os.environ['TORCHINDUCTOR_CACHE_DIR'] = tempfile.mkdtemp(prefix='bptorch_bench_cache_')
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402
import torch  # noqa: E402

import bptorch as bp  # noqa: E402
import bptorch.math as bm  # noqa: E402
from benchmarks.harness import Report, compiler_setup, parse_args, sync  # noqa: E402

TARGET_S = 10.0
DURATION = 1000.      # ms of model time

# --------------------------------------------------------------------------------------
# BrainPy's COBA_for_benchmark.py (imports changed)
# --------------------------------------------------------------------------------------

bp.math.set_platform('cpu')


class ExpCOBA(bp.dyn.TwoEndConn):
  def __init__(self, pre, post, conn, g_max=1., delay=0., tau=8.0, E=0.,
               method='exp_auto'):
    super(ExpCOBA, self).__init__(pre=pre, post=post, conn=conn)
    self.check_pre_attrs('spike')
    self.check_post_attrs('input', 'V')

    # parameters
    self.E = E
    self.tau = tau
    self.delay = delay
    self.g_max = g_max
    self.pre2post = self.conn.require('pre2post')

    # variables
    self.g = bm.Variable(bm.zeros(self.post.num))

    # function
    self.integral = bp.odeint(lambda g, t: -g / self.tau, method=method)

  def update(self, t, dt):
    self.g.value = self.integral(self.g, t, dt=dt)
    self.g += bm.pre2post_event_sum(self.pre.spike, self.pre2post, self.post.num, self.g_max)
    self.post.input += self.g * (self.E - self.post.V)


class EINet(bp.dyn.Network):
  def __init__(self, scale=1.0, method='exp_auto'):
    # network size
    num_exc = int(3200 * scale)
    num_inh = int(800 * scale)

    # neurons
    pars = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
    E = bp.models.LIF(num_exc, **pars, method=method)
    I = bp.models.LIF(num_inh, **pars, method=method)
    E.V[:] = bp.math.random.randn(num_exc) * 2 - 55.
    I.V[:] = bp.math.random.randn(num_inh) * 2 - 55.

    # synapses
    we = 0.6 / scale  # excitatory synaptic weight (voltage)
    wi = 6.7 / scale  # inhibitory synaptic weight
    E2E = ExpCOBA(E, E, bp.conn.FixedProb(prob=0.02), E=0., g_max=we, tau=5., method=method)
    E2I = ExpCOBA(E, I, bp.conn.FixedProb(prob=0.02), E=0., g_max=we, tau=5., method=method)
    I2E = ExpCOBA(I, E, bp.conn.FixedProb(prob=0.02), E=-80., g_max=wi, tau=10., method=method)
    I2I = ExpCOBA(I, I, bp.conn.FixedProb(prob=0.02), E=-80., g_max=wi, tau=10., method=method)

    super(EINet, self).__init__(E2E, E2I, I2E, I2I, E=E, I=I)


# --------------------------------------------------------------------------------------
# the same network in torch
# --------------------------------------------------------------------------------------

class TorchCOBA:
    """The network of :class:`EINet` as tensors (its connections and initial potentials),
    stepped by the same equations: Euler for ``dg/dt = -g / tau`` and ``dV/dt = (-V + V_rest
    + I) / tau``, refractory periods, event-driven synaptic sums (the rows of the posts of
    each neuron that fired, counted with ``bincount``)."""

    def __init__(self, net: EINet):
        def rows(syn):
            indices, indptr = syn.pre2post
            degree = indptr[1:] - indptr[:-1]
            mask = torch.arange(int(degree.max())) < degree.unsqueeze(1)
            out = torch.full(mask.shape, syn.post.num, dtype=torch.int64)
            out[mask] = indices
            return out
        self.groups = {}
        for key, grp in (('E', net.E), ('I', net.I)):
            self.groups[key] = dict(V=grp.V.value.clone(), n=grp.num,
                                    t_last=torch.full((grp.num,), -1e7),
                                    spike=torch.zeros(grp.num, dtype=torch.bool),
                                    input=torch.zeros(grp.num))
        key_of = {id(net.E): 'E', id(net.I): 'I'}
        self.syns = [dict(pre=self.groups[key_of[id(s.pre)]], post=self.groups[key_of[id(s.post)]],
                          rows=rows(s), g=torch.zeros(s.post.num), tau=s.tau, w=s.g_max, E=s.E)
                     for s in net.nodes().subset(ExpCOBA).unique().values()]

    def step(self, t: float, dt: float) -> None:
        for s in self.syns:
            post = s['post']
            g = s['g'] + (-s['g'] / s['tau']) * dt
            fired = s['pre']['spike'].nonzero().squeeze(1)
            hits = s['rows'].index_select(0, fired).reshape(-1)
            g = g + torch.bincount(hits, minlength=post['n'] + 1)[:post['n']] * s['w']
            s['g'] = g
            post['input'] = post['input'] + g * (s['E'] - post['V'])
        for grp in self.groups.values():
            inp = grp['input'] + 20.
            refractory = (t - grp['t_last']) <= 5.
            V = grp['V'] + (-grp['V'] + -60. + inp) / 20. * dt
            V = torch.where(refractory, grp['V'], V)
            spike = V >= -50.
            grp['t_last'] = torch.where(spike, t, grp['t_last'])
            grp['V'] = torch.where(spike, -60., V)
            grp['spike'] = spike
            grp['input'] = torch.zeros_like(inp)

    def run(self, duration: float, dt: float = 0.1) -> tuple:
        times = np.arange(0., duration, dt)
        counts = {k: torch.zeros((), dtype=torch.int64) for k in self.groups}
        for t in times:
            self.step(float(t), dt)
            for k, grp in self.groups.items():
                counts[k] += grp['spike'].sum()
        return {k: int(v) for k, v in counts.items()}


# --------------------------------------------------------------------------------------

def rate(spikes, duration_ms: float) -> float:
    """The mean firing rate (Hz) of a (steps, neurons) boolean record."""
    return float(np.asarray(spikes).sum()) / spikes.shape[1] / (duration_ms / 1000.)


def build(seed: int = 0) -> EINet:
    bm.random.seed(seed)
    np.random.seed(seed)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)    # bp.models.LIF is deprecated
        return EINet(scale=1., method='euler')


def simulate(jit: bool, duration: float, repeat: bool = False) -> dict:
    net = build()
    runner = bp.dyn.DSRunner(net, monitors=['E.spike', 'I.spike'],
                             inputs=[('E.input', 20.), ('I.input', 20.)], jit=jit,
                             progress_bar=False)
    t0 = time.perf_counter()
    runner.run(duration)
    first = time.perf_counter() - t0
    out = dict(first=first, E=rate(runner.mon['E.spike'], duration),
               I=rate(runner.mon['I.spike'], duration))
    if repeat:
        t0 = time.perf_counter()
        runner.run(duration)
        out['second'] = time.perf_counter() - t0
        out['E2'] = rate(runner.mon['E.spike'], duration)
        out['I2'] = rate(runner.mon['I.spike'], duration)
    return out


def brainpy_run(python: str, duration: float) -> dict:
    """Real BrainPy 2.1.12 running the same script (``brainpy_coba.py``) in ``python``,
    a venv with BrainPy and JAX (see that script's docstring); labelled, never a test."""
    import json
    import subprocess
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'brainpy_coba.py')
    out = subprocess.run([python, script, str(duration)], capture_output=True, text=True,
                         timeout=900, env=dict(os.environ, JAX_PLATFORMS='cpu'))
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    brainpy_python = None
    if '--brainpy' in sys.argv:
        i = sys.argv.index('--brainpy')
        brainpy_python = sys.argv[i + 1]
        del sys.argv[i:i + 2]
    if '--keep-cache' in sys.argv:
        sys.argv.remove('--keep-cache')
    args = parse_args(__doc__)
    dev = args.device
    if dev.type != 'cpu':
        raise SystemExit('bench_coba.py runs on the CPU (BrainPy\'s benchmark is a CPU one)')
    duration = 100. if args.quick else DURATION
    steps = int(round(duration / 0.1))
    report = Report(f'COBA network (Brette et al. 2007), 4000 LIF, {steps} steps', dev)
    case = f'COBA, {duration / 1000:g} s of model time'

    raw = TorchCOBA(build())
    t0 = time.perf_counter()
    counts = raw.run(duration)
    sync(dev)
    raw_s = time.perf_counter() - t0
    raw_rates = {k: v / raw.groups[k]['n'] / (duration / 1000.) for k, v in counts.items()}
    report.add(case, 'raw torch (the same network, eager)', raw_s, baseline=True)

    eager = simulate(False, duration)
    report.add(case, 'DSRunner(jit=False) (default)', eager['first'], limit_s=TARGET_S)

    setup = compiler_setup(dev)
    compiled = simulate(True, duration, repeat=True)
    report.add(case, 'DSRunner(jit=True), first run (compile + run)', compiled['first'],
               limit_s=TARGET_S)
    report.add(case, 'DSRunner(jit=True), second run (compiled step)', compiled['second'])

    report.note(f'firing rates (Hz), E / I: raw torch {raw_rates["E"]:.1f} / '
                f'{raw_rates["I"]:.1f}; jit=False {eager["E"]:.1f} / {eager["I"]:.1f}; '
                f'jit=True {compiled["E"]:.1f} / {compiled["I"]:.1f} (its second run: '
                f'{compiled["E2"]:.1f} / {compiled["I2"]:.1f})')
    report.note(f'first compile of a trivial function (paid once per process, before the '
                f'jit=True run): {setup:.1f} s; compile cache: '
                f'{"kept" if "--keep-cache" in sys.argv else "empty"}')
    if brainpy_python:
        bp_run = brainpy_run(brainpy_python, duration)
        report.add(case, f'BrainPy {bp_run["brainpy"]} on JAX {bp_run["jax"]}, DSRunner(jit=True) '
                   f'(event sum: {bp_run["event_sum"]}; another process, for comparison)',
                   bp_run['seconds'])
        report.note(f'BrainPy firing rates (Hz), E / I: {bp_run["E"]:.1f} / {bp_run["I"]:.1f}')
    else:
        report.note('BrainPy 2.1.12 on JAX runs this script (scale 1, 1 s) in 19.5 s on these '
                    'machines (measured by others, not in this run; --brainpy PYTHON times it '
                    'here, see brainpy_coba.py)')
    report.emit(args.json)


if __name__ == '__main__':
    main()
