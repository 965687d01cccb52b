"""(f) The rate RNN of bench_rnn.py written with ``bm.for_loop`` (T=100 and T=1000, BPTT).

Times ``bm.jit(bm.grad(loss))`` of the loop form (its body is compiled once: the
first call must not grow with T), its per-call cost against the eager ``bm.grad``
of the hand-written Python loop, and the eager ``bm.for_loop`` against that loop.
First calls run in fresh subprocesses, each with an empty compile cache (the
median of three). With ``--jax PYTHON``, the same model written with
``jax.lax.scan`` is timed in that interpreter (labelled, for comparison only).
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

FIRST_CALL_LIMIT_S = 5.0


def _model(n, batch, steps, unroll, device):
    import torch
    from benchmarks.models import RateRNNLoop
    torch.manual_seed(0)
    model = RateRNNLoop(n=n, batch=batch, unroll=unroll).to(device)
    xs = torch.randn(steps, batch, 16, device=device)
    ys = torch.randn(steps, batch, 4, device=device)
    return model, xs, ys


def first_call(n, batch, steps, unroll, device):
    """Compile + run of ``bm.jit(bm.grad(loss))`` in this (fresh) process, after the
    one-time compiler set-up (timed apart)."""
    import torch
    import bptorch.math as bm
    from benchmarks.harness import compiler_setup, first_call as timed
    dev = torch.device(device)
    model, xs, ys = _model(n, batch, steps, unroll, dev)
    setup = compiler_setup(dev)
    step = bm.jit(bm.grad(model.loss, grad_vars=model.train_vars(), return_value=True))
    seconds = timed(lambda: step(xs, ys), dev)
    assert step.loop_driven
    return {'setup': setup, 'first': seconds}


FIRST_CALL_RUNS = 3


def _subprocess_first_call(n, batch, steps, unroll, device):
    """The first call in fresh processes, each with an empty compile cache: the median
    of ``FIRST_CALL_RUNS`` (one run varies by ~20% on a shared machine), and all runs."""
    runs = []
    for _ in range(FIRST_CALL_RUNS):
        env = dict(os.environ, TORCHINDUCTOR_CACHE_DIR=tempfile.mkdtemp(prefix='bptorch_loop_'))
        cmd = [sys.executable, __file__, '--first-call',
               json.dumps([n, batch, steps, unroll, device])]
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-2000:])
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {'first': statistics.median(r['first'] for r in runs),
            'setup': statistics.median(r['setup'] for r in runs),
            'runs': [r['first'] for r in runs]}


JAX_SCRIPT = r'''
import json, sys, time
import jax, jax.numpy as jnp
n, batch, steps = json.loads(sys.argv[1])
k = jax.random.split(jax.random.PRNGKey(0), 5)
w_rec = jax.random.normal(k[0], (n, n)) * (1.5 / n ** 0.5)
w_in = jax.random.normal(k[1], (16, n)) * 16 ** -0.5
w_out = jax.random.normal(k[2], (n, 4)) * n ** -0.5
xs = jax.random.normal(k[3], (steps, batch, 16)); ys = jax.random.normal(k[4], (steps, batch, 4))
def loss(p, xs, ys):
    def step(h, xy):
        x, y = xy
        h = h + 0.1 * (-h + jnp.tanh(h) @ p['w_rec'] + x @ p['w_in'])
        return h, ((h @ p['w_out'] - y) ** 2).mean()
    _, l = jax.lax.scan(step, jnp.zeros((batch, n)), (xs, ys))
    return l.mean()
g = jax.jit(jax.value_and_grad(loss))
p = {'w_rec': w_rec, 'w_in': w_in, 'w_out': w_out}
t = time.perf_counter(); jax.block_until_ready(g(p, xs, ys)); first = time.perf_counter() - t
reps = 20
t = time.perf_counter()
for _ in range(reps): jax.block_until_ready(g(p, xs, ys))
print(json.dumps({'first': first, 'per_call': (time.perf_counter() - t) / reps, 'jax': jax.__version__}))
'''


def _jax(python, n, batch, steps):
    out = subprocess.run([python, '-c', JAX_SCRIPT, json.dumps([n, batch, steps])],
                         capture_output=True, text=True, timeout=600,
                         env=dict(os.environ, JAX_PLATFORMS='cpu'))
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    if '--first-call' in sys.argv:
        n, batch, steps, unroll, device = json.loads(sys.argv[sys.argv.index('--first-call') + 1])
        print(json.dumps(first_call(n, batch, steps, unroll, device)))
        return
    jax_python = None
    if '--jax' in sys.argv:
        i = sys.argv.index('--jax')
        jax_python = sys.argv[i + 1]
        del sys.argv[i:i + 2]
    import torch
    import bptorch.math as bm
    from benchmarks.harness import Report, median_times, parse_args
    from benchmarks.models import RateRNN
    args = parse_args(__doc__)
    dev = args.device
    n, batch = (256, 32) if dev.type == 'cpu' else (1024, 256)
    unroll = int(os.environ.get('BPTORCH_BENCH_UNROLL', '1'))
    report = Report(f'rate RNN N={n}, batch {batch}, BPTT, written with bm.for_loop '
                    f'(unroll={unroll})', dev)
    firsts = {}
    for steps in ((100,) if '--quick' in sys.argv else (100, 1000)):
        model, xs, ys = _model(n, batch, steps, unroll, dev)
        params = list(model.parameters())
        loop_grad = bm.grad(model.loss, grad_vars=model.train_vars(), return_value=True)
        python_grad = bm.grad(model.loss_python, grad_vars=model.train_vars(), return_value=True)
        jitted = bm.jit(bm.grad(model.loss, grad_vars=model.train_vars(), return_value=True))
        ref, _ = python_grad(xs, ys)
        got, _ = jitted(xs, ys)
        # the same sums in another order: over T=1000 steps of this (chaotic, gain 1.5)
        # network float32 rounding grows to ~3e-4 of the largest gradient
        assert all(torch.allclose(got[k], ref[k], rtol=1e-3, atol=1e-4) for k in ref)

        def autograd():        # the same math with the state in a local tensor (plain torch)
            loss = RateRNN.loss(model, xs, ys)
            return torch.autograd.grad(loss, params)
        calls = {'python': lambda: python_grad(xs, ys), 'loop': lambda: loop_grad(xs, ys),
                 'jit': lambda: jitted(xs, ys)}
        if steps == 100:
            calls['autograd'] = autograd
            unrolled = bm.jit(bm.grad(model.loss_python, grad_vars=model.train_vars(),
                                      return_value=True))
            unrolled(xs, ys)
            calls['unrolled'] = lambda: unrolled(xs, ys)
        times = median_times(calls, args.min_time / (4 if steps == 1000 else 1),
                             rounds=5 if steps == 1000 else 7, device=dev)
        case = f'T={steps}'
        report.add(case, 'bm.grad of the hand-written Python loop', times['python'], baseline=True)
        if 'autograd' in times:
            report.add(case, 'torch.autograd.grad of the same Python loop', times['autograd'])
        report.add(case, 'bm.grad of bm.for_loop (eager)', times['loop'], target=1.05)
        report.add(case, 'bm.jit(bm.grad) of bm.for_loop, per call', times['jit'],
                   target=0.8 if steps == 100 else None)
        if 'unrolled' in times:
            report.add(case, 'bm.jit(bm.grad) of the Python loop (unrolled), per call',
                       times['unrolled'])
        firsts[steps] = _subprocess_first_call(n, batch, steps, unroll, str(dev))
    first = 'first call (empty cache)'
    report.add(first, 'bm.jit(bm.grad) of bm.for_loop, T=100: compile + run',
               firsts[100]['first'], limit_s=FIRST_CALL_LIMIT_S)
    if 1000 in firsts:
        report.add(first, 'bm.jit(bm.grad) of bm.for_loop, T=1000: compile + run',
                   firsts[1000]['first'], limit_s=1.5 * firsts[100]['first'])
    report.note(f"first calls: the median of {FIRST_CALL_RUNS} fresh processes with empty "
                f"compile caches (T=100: " + ', '.join(f'{t:.2f}' for t in firsts[100]['runs'])
                + (" s; T=1000: " + ', '.join(f'{t:.2f}' for t in firsts[1000]['runs'])
                   if 1000 in firsts else '')
                + f" s), after {firsts[100]['setup']:.1f} s of one-time compiler set-up; the "
                "T=1000 target is 1.5x the T=100 figure (compile time must not grow with T)")
    if jax_python:
        for steps in (100, 1000):
            try:
                j = _jax(jax_python, n, batch, steps)
            except Exception as e:       # a comparison only: never fail the benchmark on it
                report.note(f'JAX (lax.scan) at T={steps} could not run: {str(e)[-200:]}')
                continue
            report.note(f"JAX {j['jax']} (jax.jit(value_and_grad) of lax.scan), T={steps}, same "
                        f"machine, for comparison: first call {j['first']:.2f} s, per call "
                        f"{j['per_call'] * 1e3:.1f} ms")
    report.emit(args.json)


if __name__ == '__main__':
    main()
