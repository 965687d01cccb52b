"""(g) bp.dyn: a delay's write per step, and one step of an E/I network, against raw torch.

- delay: ``bm.LengthDelay.update`` (one row written in place) against the functional
  write a Variable would do with BrainPy's value semantics (``index_copy``: a new
  buffer), for buffers of 101 and 1001 rows of N values;
- network: one ``net.update(t, dt)`` of the network_models tutorial's E/I network
  (LIF neurons, ExpCOBA synapses, 2% connections; N = 4000 on CPU) against the same
  step written in torch (exact exponential update, ``index_add`` over the synapses).
"""

import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

import bptorch as bp  # noqa: E402
import bptorch.math as bm  # noqa: E402
from benchmarks.harness import Report, median_times, parse_args  # noqa: E402


def delays(report, dev, n, min_time):
    x = torch.rand(n, device=dev)
    for rows in (101, 1001):
        delay = bm.LengthDelay(torch.zeros(n, device=dev), rows - 1)
        buf = bm.Variable(torch.zeros(rows, n, device=dev))
        idx = torch.zeros(1, dtype=torch.int64, device=dev)

        def functional():
            buf.value = buf.value.index_copy(0, idx, x.unsqueeze(0))

        def raw_in_place():
            delay_buf.index_copy_(0, idx, x.unsqueeze(0))
        delay_buf = torch.zeros(rows, n, device=dev)
        times = median_times({'raw': raw_in_place, 'functional': functional,
                              'update': lambda: delay.update(x), 'retrieve': lambda: delay(rows // 2)},
                             min_time=min_time, device=dev)
        case = f'delay write, ({rows}, {n})'
        report.add(case, 'raw torch: index_copy_ of one row', times['raw'], baseline=True)
        report.add(case, 'bm.LengthDelay.update (in place)', times['update'])
        report.add(case, 'functional write (a new buffer)', times['functional'])
        report.add(case, 'bm.LengthDelay retrieval', times['retrieve'])


def network(report, dev, scale, min_time):
    ne, ni = int(3200 * scale), int(800 * scale)
    bm.random.seed(0)
    pars = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
    E, I = bp.dyn.LIF(ne, **pars), bp.dyn.LIF(ni, **pars)
    syns = [bp.dyn.ExpCOBA(E, E, bp.conn.FixedProb(0.02, seed=1), E=0., g_max=0.6, tau=5.),
            bp.dyn.ExpCOBA(E, I, bp.conn.FixedProb(0.02, seed=2), E=0., g_max=0.6, tau=5.),
            bp.dyn.ExpCOBA(I, E, bp.conn.FixedProb(0.02, seed=3), E=-80., g_max=6.7, tau=10.),
            bp.dyn.ExpCOBA(I, I, bp.conn.FixedProb(0.02, seed=4), E=-80., g_max=6.7, tau=10.)]
    net = bp.dyn.Network(*syns, E=E, I=I).to(dev)
    dt = 0.1

    # the same step in torch
    groups = {}
    for g in (E, I):
        groups[id(g)] = dict(V=g.V.value.clone(), t_last=torch.full((g.num,), -1e7, device=dev),
                             spike=torch.zeros(g.num, dtype=torch.bool, device=dev),
                             input=torch.zeros(g.num, device=dev))
    raw_syns = []
    for s in syns:
        pre_ids, post_ids = s._syn_pre, s._syn_post
        raw_syns.append(dict(pre=groups[id(s.pre)], post=groups[id(s.post)], pre_ids=pre_ids,
                             post_ids=post_ids, g=torch.zeros(s.post.num, device=dev),
                             decay=math.exp(-dt / s.tau), w=s.g_max, E=s.E))
    decay_V = math.exp(-dt / 20.)
    step_t = [0.]

    def raw_step():
        t = step_t[0]
        for s in raw_syns:
            src = s['pre']['spike'].to(torch.float32).index_select(0, s['pre_ids'])
            arrived = torch.zeros_like(s['g']).index_add(0, s['post_ids'], src) * s['w']
            s['g'] = s['g'] * s['decay'] + arrived
            s['post']['input'] = s['post']['input'] + s['g'] * (s['E'] - s['post']['V'])
        for grp in groups.values():
            grp['input'] = grp['input'] + 20.
            refr = (t - grp['t_last']) <= 5.
            V = -60. + grp['input'] + (grp['V'] - (-60. + grp['input'])) * decay_V
            V = torch.where(refr, grp['V'], V)
            spike = V >= -50.
            grp['t_last'] = torch.where(spike, t, grp['t_last'])
            grp['V'] = torch.where(spike, -60., V)
            grp['spike'] = spike
            grp['input'] = torch.zeros_like(grp['input'])
        step_t[0] = t + dt

    def dyn_step():
        E.input += 20.
        I.input += 20.
        net.update(step_t[0], dt)
        step_t[0] += dt

    times = median_times({'raw': raw_step, 'dyn': dyn_step}, min_time=min_time, device=dev)
    case = f'E/I network step, N = {ne + ni}'
    kernel = {s._kernel for s in syns}
    report.add(case, 'raw torch (exact LIF, index_add)', times['raw'], baseline=True)
    report.add(case, f'bp.dyn Network.update ({", ".join(sorted(kernel))})', times['dyn'])
    report.note('the bp.dyn step integrates with exp_auto (the linear part found by autograd at '
                'every step, 6 integrators), the raw step with the closed form')


def main():
    args = parse_args(__doc__)
    dev = args.device
    report = Report('bp.dyn: delays and a network step', dev)
    delays(report, dev, 4000 if dev.type == 'cpu' else 100_000, args.min_time)
    network(report, dev, 1.0 if dev.type == 'cpu' else 10.0, args.min_time)
    report.emit(args.json)


if __name__ == '__main__':
    main()
