"""BrainPy 2.1.12's ``examples/simulation/COBA_for_benchmark.py``, run on real BrainPy (JAX,
CPU) -- for comparison with ``bench_coba.py`` (bptorch) only.

This script is NOT part of bptorch and is not run by the tests or ``run_all.py``: it must be
run by a separate virtual environment holding BrainPy 2.1.12 and JAX (it imports neither
torch nor bptorch)::

    /tmp/venvbp/bin/python benchmarks/brainpy_coba.py 1000      # ms of model time (default 1000)

It builds ``EINet(scale=1., method='euler')`` (3200 E + 800 I LIF, 2% FixedProb, ExpCOBA,
dt = 0.1 ms), runs ``bp.dyn.DSRunner(..., jit=True, progress_bar=False)`` once for
``duration`` ms and prints one line of JSON::

    {"seconds": <wall time of runner.run, compile included>, "E": <Hz>, "I": <Hz>,
     "brainpy": "2.1.12", "jax": "0.4.13", "event_sum": "jax-scatter" | "brainpylib"}

Making the venv (Python 3.11; these are the commands that worked)::

    python3.11 -m venv /tmp/venvbp
    /tmp/venvbp/bin/pip install jax==0.4.13 jaxlib==0.4.13 'numpy<2' 'scipy<1.12' numba tqdm matplotlib
    /tmp/venvbp/bin/pip install --no-deps brainpy==2.1.12

(that resolved to numpy 1.26.4, scipy 1.11.4, ml_dtypes 0.5.4, numba 0.68.1).

Shims. BrainPy 2.1.12 (mid 2022) does not import as is on jax 0.4.13 / numpy 1.26: it
decorates wrappers with ``@wraps(jnp.msort)``, ``@wraps(jnp.fill_diagonal)`` and
``@wraps(np.asscalar)`` and imports ``_check_callable`` from ``jax._src.api``. The function
``_apply_shims`` below adds those four names before ``import brainpy``, so this script needs
nothing else. To make ``import brainpy`` work anywhere in the venv, put the same code in
``/tmp/venvbp/lib/python3.11/site-packages/sitecustomize.py``::

    import numpy as np, jax.numpy as jnp, jax._src.api as api, jax._src.api_util as api_util
    if not hasattr(jnp, 'msort'): jnp.msort = lambda a: jnp.sort(a, axis=0)
    if not hasattr(jnp, 'fill_diagonal'): jnp.fill_diagonal = np.fill_diagonal  # only @wraps
    if not hasattr(np, 'asscalar'): np.asscalar = lambda a: a.item()
    if not hasattr(api, '_check_callable'): api._check_callable = api_util.check_callable

Event sum. BrainPy 2.1.12's ``bm.pre2post_event_sum`` needs brainpylib's C++ operator
(``brainpylib.event_sum``), which is not installed (the brainpylib wheels on the registry are
for later BrainPy/JAX). Without it the script replaces ``bm.pre2post_event_sum`` by a pure
JAX version with the same semantics (for each pre neuron with an event, add ``values`` to
each of its posts): ``bm.pre2post_sum(events * values, post_num, post_ids, pre_ids)``, a
gather + scatter-add over all 2% of the synapses each step, not an event-driven loop. So the
time measured here is BrainPy's runner/JIT with a dense-over-synapses event sum, likely
slower than BrainPy with brainpylib; the JSON's ``event_sum`` says which one ran.

Optionally, brainpylib 0.1.6 (cp311 wheel) does work on jax 0.4.13 and gives the C++
event-driven sum; it names the operator ``csr_event_sum`` (same arguments), which this script
aliases to ``brainpylib.event_sum`` when it finds brainpylib::

    /tmp/venvbp/bin/pip install --no-deps brainpylib==0.1.6
"""

import json
import sys
import time


def _apply_shims():
  """Names BrainPy 2.1.12 uses that jax 0.4.13 / numpy >= 1.23 lack (see the docstring)."""
  import numpy as np
  import jax.numpy as jnp
  import jax._src.api as api
  import jax._src.api_util as api_util
  if not hasattr(jnp, 'msort'):
    jnp.msort = lambda a: jnp.sort(a, axis=0)
  if not hasattr(jnp, 'fill_diagonal'):
    jnp.fill_diagonal = np.fill_diagonal     # only used as a @wraps docstring source
  if not hasattr(np, 'asscalar'):
    np.asscalar = lambda a: a.item()
  if not hasattr(api, '_check_callable'):
    api._check_callable = api_util.check_callable


_apply_shims()

import numpy as np  # noqa: E402
import jax  # noqa: E402
import brainpy as bp  # noqa: E402
import brainpy.math as bm  # noqa: E402
from brainpy.math import operators as _bp_operators  # noqa: E402

bp.math.set_platform('cpu')


# --------------------------------------------------------------------------------------
# bm.pre2post_event_sum without brainpylib
# --------------------------------------------------------------------------------------

def _pre2post_event_sum_jax(events, pre2post, post_num, values=1.):
  """``bm.pre2post_event_sum`` in plain JAX: each pre neuron with an event adds ``values``
  (a scalar, or one value per synapse) to each of its post neurons."""
  indices, indptr = pre2post
  indices = np.asarray(bm.as_device_array(indices))     # constants of the network
  indptr = np.asarray(bm.as_device_array(indptr))
  pre_ids = np.repeat(np.arange(indptr.size - 1, dtype=indices.dtype), np.diff(indptr))
  events = bm.as_device_array(events)
  values = bm.as_device_array(values)
  if np.ndim(values) == 0:
    return bm.pre2post_sum(events * values, post_num, indices, pre_ids)
  return bm.syn2post_sum(events[pre_ids] * values, indices, post_num, indices_are_sorted=False)


def _has_brainpylib_event_sum():
  lib = getattr(_bp_operators, 'brainpylib', None)
  if lib is not None and not hasattr(lib, 'event_sum') and hasattr(lib, 'csr_event_sum'):
    lib.event_sum = lib.csr_event_sum      # brainpylib 0.1.x renamed event_sum to csr_event_sum
  return lib is not None and hasattr(lib, 'event_sum')


if _has_brainpylib_event_sum():
  EVENT_SUM = 'brainpylib'
else:
  EVENT_SUM = 'jax-scatter'
  bm.pre2post_event_sum = _pre2post_event_sum_jax
  _bp_operators.pre2post_event_sum = _pre2post_event_sum_jax


# --------------------------------------------------------------------------------------
# BrainPy's examples/simulation/COBA_for_benchmark.py
# --------------------------------------------------------------------------------------

class ExpCOBA(bp.dyn.TwoEndConn):
  def __init__(self, pre, post, conn, g_max=1., delay=0., tau=8.0, E=0., method='exp_auto'):
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

  def update(self, _t, _dt):
    self.g.value = self.integral(self.g, _t, dt=_dt)
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


def main(duration=1000.):
  net = EINet(scale=1., method='euler')
  runner = bp.dyn.DSRunner(net, monitors=['E.spike', 'I.spike'],
                           inputs=[('E.input', 20.), ('I.input', 20.)],
                           jit=True, progress_bar=False)
  t0 = time.perf_counter()
  runner.run(duration)
  seconds = time.perf_counter() - t0
  rate = lambda spikes: float(np.asarray(spikes).sum() / spikes.shape[1] / (duration / 1000.))
  print(json.dumps({'seconds': seconds,
                    'E': rate(runner.mon['E.spike']),
                    'I': rate(runner.mon['I.spike']),
                    'brainpy': bp.__version__, 'jax': jax.__version__,
                    'event_sum': EVENT_SUM}))


if __name__ == '__main__':
  main(float(sys.argv[1]) if len(sys.argv) > 1 else 1000.)
