"""bp.nn graphs: graph_flow helpers, the operators' structures (BrainPy 2.1.12's
test_operations / test_graph_flow, with assertions), and what networks compute."""

import pytest
import torch

import bptorch as bp
import bptorch.math as bm
from bptorch.nn.graph_flow import (detect_cycle, detect_path, find_entries_and_exits,
                                   topological_sort)


@pytest.fixture(autouse=True)
def _fresh_names():
    bp.clear_name_cache()
    yield
    bp.clear_name_cache()


# ---------------------------------------------------------------------------
# graph_flow
# ---------------------------------------------------------------------------

def test_entries_and_exits():
    nodes = (1, 2, 3, 4, 5)
    assert find_entries_and_exits(nodes, ((1, 2), (2, 3), (3, 4), (4, 5))) == ([1], [5])
    assert find_entries_and_exits(nodes, ((1, 2), (2, 3), (3, 4))) == ([1], [4])
    # feedback edges: 5 is fed back into 2 (and is no input, being a ff receiver)
    assert find_entries_and_exits(nodes, ((1, 2), (2, 3), (3, 4), (4, 5)), ((5, 2), (4, 2))) \
        == ([1], [5])
    # a node that only sends feedback is an input node (BrainPy's rule)
    assert find_entries_and_exits(nodes, ((1, 2), (2, 3), (3, 4)), ((5, 2),)) == ([1, 5], [4])


def test_detect_cycle_and_path():
    assert detect_cycle([0, 1, 2, 3], [(0, 1), (0, 2), (1, 2), (2, 0), (2, 3), (3, 3)])
    assert not detect_cycle([0, 1, 2, 3], [(0, 1), (0, 2), (1, 2), (2, 3)])
    assert detect_cycle([0], [(0, 0)])
    edges = [(1, 2), (2, 3), (3, 4)]
    for method in ('dfs', 'bfs'):
        assert detect_path(1, 4, edges, method=method)
        assert not detect_path(4, 1, edges, method=method)
    with pytest.raises(ValueError, match='Unknown method'):
        detect_path(1, 2, edges, method='astar')


def test_topological_sort_and_cycle_error():
    assert topological_sort((4, 3, 2, 1), ((1, 2), (1, 3), (2, 4), (3, 4))) == [1, 2, 3, 4]
    with pytest.raises(RuntimeError, match='cycle'):
        topological_sort((1, 2, 3), ((1, 2), (2, 3), (3, 2)), inputs=[1])


# ---------------------------------------------------------------------------
# Operators (ported from BrainPy 2.1.12's brainpy/nn/tests/test_operations.py)
# ---------------------------------------------------------------------------

def test_one2one():
    i, r = bp.nn.Input(1), bp.nn.Reservoir(10)
    model = i >> r
    assert model.lnodes == (i, r)
    assert model.ff_senders[r] == [i] and model.ff_receivers[i] == [r]
    assert model.entry_nodes == [i] and model.exit_nodes == [r]


@pytest.mark.parametrize('wrap', [list, tuple])
def test_many2one_concatenates(wrap):
    i1, i2, i3 = bp.nn.Input(1), bp.nn.Input(2), bp.nn.Input(3)
    r = bp.nn.Reservoir(10)
    model = wrap([i1, i2, i3]) >> r
    concat = model.ff_receivers[i1][0]
    assert isinstance(concat, bp.nn.Concat)
    assert model.ff_receivers[i2] == [concat] and model.ff_receivers[i3] == [concat]
    assert model.ff_senders[r] == [concat]
    model.initialize(1)
    assert concat.output_shape == (None, 6)


def test_many2one_set_sends_separately_in_name_order():
    i1, i2, i3 = bp.nn.Input(1, name='c'), bp.nn.Input(2, name='a'), bp.nn.Input(3, name='b')
    r = bp.nn.Reservoir(10)
    model = {i1, i2, i3} >> r
    assert model.ff_senders[r] == [i2, i3, i1]
    assert [n.name for n in model.entry_nodes] == ['a', 'b', 'c']


def test_one2many():
    i = bp.nn.Input(1)
    o1, o2, o3 = bp.nn.Dense(3), bp.nn.Dense(4), bp.nn.Dense(5)
    with pytest.raises(TypeError, match='Cannot concatenate a list/tuple of receivers'):
        i >> [o1, o2, o3]
    with pytest.raises(TypeError):
        i >> (o1, o2, o3)
    model = i >> {o1, o2, o3}
    for o in (o1, o2, o3):
        assert model.ff_senders[o] == [i]
    model.initialize(2)
    out = model(torch.ones(2, 1))
    assert set(out) == {o1.name, o2.name, o3.name}
    assert out[o2.name].shape == (2, 4)


def test_many2many():
    i1, i2, i3 = bp.nn.Input(1), bp.nn.Input(2), bp.nn.Input(3)
    o1, o2, o3 = bp.nn.Dense(3), bp.nn.Dense(4), bp.nn.Dense(5)
    model = bp.nn.ff_connect([i1, i2, i3], {o1, o2, o3})
    assert all(isinstance(model.ff_receivers[i][0], bp.nn.Concat) for i in (i1, i2, i3))
    assert all(isinstance(model.ff_senders[o][0], bp.nn.Concat) for o in (o1, o2, o3))
    bp.clear_name_cache()
    i1, i2, i3 = bp.nn.Input(1), bp.nn.Input(2), bp.nn.Input(3)
    o1, o2, o3 = bp.nn.Dense(3), bp.nn.Dense(4), bp.nn.Dense(5)
    model = bp.nn.ff_connect({i1, i2, i3}, {o1, o2, o3})
    assert all(len(model.ff_receivers[i]) == 3 for i in (i1, i2, i3))
    assert all(len(model.ff_senders[o]) == 3 for o in (o1, o2, o3))


def test_single_data_node_with_several_senders_gets_a_concat():
    i1, i2, i3 = bp.nn.Input(1), bp.nn.Input(2), bp.nn.Input(3)
    ii = bp.nn.Input(3)
    model = {i1, i2, i3} >> ii
    assert all(isinstance(model.ff_receivers[i][0], bp.nn.Concat) for i in (i1, i2, i3))
    model = (i1 >> ii) & (i2 >> ii)
    assert len(model.ff_senders[ii]) == 1 and isinstance(model.ff_senders[ii][0], bp.nn.Concat)
    concat = model.ff_senders[ii][0]
    model = model & (i3 >> ii)
    assert model.ff_senders[ii] == [concat]
    assert model.ff_receivers[i3] == [concat]


def test_feedback_structure_and_support_check():
    class FBNode(bp.nn.Node):
        def init_fb_conn(self):
            pass

    i1, i2, i3, i4 = FBNode(), FBNode(), FBNode(), FBNode()
    model = (i1 >> i2 >> i3) & (i1 << i2) & (i1 << i3)
    concat = model.fb_senders[i1][0]
    assert isinstance(concat, bp.nn.Concat)       # one feedback input for a SingleData node
    assert {s for s, r in model.ff_edges if r is concat} == {i2, i3}
    model = model & (i3 >> i4) & (i1 << i4)
    assert i4 in model.lnodes
    with pytest.raises(ValueError, match='does not support feedback'):
        bp.nn.Input(1) << bp.nn.Dense(1)


def test_cycles_are_refused():
    i, r, o = bp.nn.Input(1), bp.nn.VanillaRNN(3), bp.nn.Dense(1)
    with pytest.raises(ValueError, match='cycles in feedforward'):
        i >> r >> o >> r
    model = (i >> r >> o) & (r << o)
    with pytest.raises(ValueError, match='cycles in feedback'):
        model & (o << r)


def test_feedback_needs_a_feedforward_path():
    i, r, o = bp.nn.Input(1), bp.nn.VanillaRNN(3), bp.nn.Dense(1)
    bad = (i >> r) & (i >> o) & (r << o)         # o feeds back into r, but r does not feed o
    with pytest.raises(ValueError, match='no feedforward path'):
        bad.initialize(1)
    good = (i >> r >> o) & (r << o)
    good.initialize(1)
    assert good.is_initialized


def test_inplace_operators():
    i, r, o = bp.nn.Input(1), bp.nn.Reservoir(4), bp.nn.LinearReadout(1)
    model = i >> r
    same = model
    model >>= o
    assert model is same and model.exit_nodes == [o] and model.ff_senders[o] == [r]
    model &= (r << o)
    assert model is same and model.fb_senders[r] == [o]
    r2, o2 = bp.nn.Reservoir(4), bp.nn.LinearReadout(1)
    net = r2 >> o2
    same = net
    net <<= o2                   # o2 feeds back into the entry node of net
    assert net is same and net.fb_senders[r2] == [o2]
    node = bp.nn.Dense(1)
    with pytest.raises(ValueError, match='Only Network objects'):
        node &= i
    with pytest.raises(ValueError, match='Only Network objects'):
        node >>= i


def test_selection_of_the_batch_first_output():
    i = bp.nn.Input(1)
    r = bp.nn.VanillaRNN(10, state_initializer=bp.init.ZeroInit())
    o1, o2 = bp.nn.Dense(1), bp.nn.Dense(2)
    model = i >> r
    model = (model[:, :5] >> o1) & (model[:, 5:] >> o2)
    model.initialize(3)
    out = model(torch.ones(3, 1))
    assert set(out) == {o1.name, o2.name}
    h = r.state.value
    assert torch.allclose(out[o1.name], h[:, :5] @ o1.Wff.value + o1.bias.value)
    assert torch.allclose(out[o2.name], h[:, 5:] @ o2.Wff.value + o2.bias.value)
    with pytest.raises(ValueError, match='multiple output nodes'):
        model[:, 1]


def test_frozen_network():
    i, o = bp.nn.Input(1), bp.nn.Dense(1)
    frozen = bp.nn.FrozenNetwork([i, o], [(i, o)])
    with pytest.raises(TypeError, match='frozen'):
        frozen.update_graph([], [])
    with pytest.raises(TypeError):
        frozen >> bp.nn.Dense(1)


def test_network_order_is_deterministic():
    def build():
        bp.clear_name_cache()
        i = bp.nn.Input(2, name='i')
        a, b, c = bp.nn.Dense(3, name='a'), bp.nn.Dense(3, name='b'), bp.nn.Dense(1, name='c')
        return ({i >> a, i >> b} >> c)
    first = build()
    order = [n.name for n in first.lnodes]
    edges = [(s.name, r.name) for s, r in first.ff_edges]
    for _ in range(3):
        again = build()
        assert [n.name for n in again.lnodes] == order
        assert [(s.name, r.name) for s, r in again.ff_edges] == edges


# ---------------------------------------------------------------------------
# What networks compute
# ---------------------------------------------------------------------------

def test_feedback_is_the_previous_output():
    bm.random.seed(0)
    i = bp.nn.Input(2)
    r = bp.nn.VanillaRNN(4, state_initializer=bp.init.ZeroInit(), activation='tanh')
    o = bp.nn.Dense(3)
    model = (i >> r >> o) & (r << o)
    model.initialize(1)
    assert o.fb_output.shape == (1, 3) and tuple(r.Wfb.shape) == (3, 4)
    xs = torch.randn(4, 1, 2)
    h, y = torch.zeros(1, 4), torch.zeros(1, 3)
    for x in xs:
        h = torch.tanh(x @ r.Wff.value + h @ r.Wrec.value + r.bias.value + y @ r.Wfb.value)
        y = h @ o.Wff.value + o.bias.value
        assert torch.allclose(model(x), y, atol=1e-6)
        assert torch.allclose(o.fb_output.value, y, atol=1e-6)


def test_input_to_readout_concatenation():
    i, r, o = bp.nn.Input(2), bp.nn.Reservoir(5, seed=0), bp.nn.Dense(1)
    model = [i >> r, i] >> o
    model.initialize(1)
    assert tuple(o.Wff.shape) == (7, 1)
    x = torch.randn(1, 2)
    y = model(x)
    assert torch.allclose(y, torch.cat([r.state.value, x], -1) @ o.Wff.value + o.bias.value)


def test_multiple_inputs_by_name_and_the_customization_tutorial_node():
    from bptorch.nn._checks import check_shape_consistency

    class DotNode(bp.nn.Node):
        data_pass = bp.nn.MultipleData('sequence')

        def __init__(self, num_unit, W_initializer=bp.init.Normal(), **kwargs):
            super().__init__(**kwargs)
            self.num_unit = num_unit
            self.W_initializer = W_initializer

        def init_ff_conn(self):
            unique_size, free_sizes = check_shape_consistency(self.feedforward_shapes, -1, True)
            self.W = bp.init.init_param(self.W_initializer, (sum(free_sizes), self.num_unit))
            if self.trainable:
                self.W = bm.TrainVar(self.W)
            self.set_output_shape(unique_size + (self.num_unit,))

        def forward(self, ff, **kwargs):
            return bm.concatenate(ff, axis=-1) @ self.W

    l = DotNode(10)
    i1, i2, i3 = bp.nn.Input(1, name='i1'), bp.nn.Input(2, name='i2'), bp.nn.Input(3, name='i3')
    net = {i1, i2, i3} >> l
    net.initialize(num_batch=1)
    data = {'i3': torch.rand(1, 3), 'i1': torch.ones(1, 1), 'i2': torch.zeros(1, 2)}
    out = net(data)
    ref = torch.cat([data['i1'], data['i2'], data['i3']], -1) @ l.W.value
    assert torch.allclose(out, ref)
    with pytest.raises(ValueError, match='3 entry nodes'):
        net({'i1': torch.ones(1, 1)})
    with pytest.raises(ValueError, match='not consistent'):
        net({'i1': torch.ones(1, 2), 'i2': torch.zeros(1, 2), 'i3': torch.zeros(1, 3)})


def test_monitors_forced_states_and_forced_feedbacks_of_one_step():
    i, r, o = bp.nn.Input(1), bp.nn.Reservoir(4, seed=0, name='r'), bp.nn.LinearReadout(1, name='o')
    model = (i >> r >> o) & (r << o)
    model.initialize(2)
    x = torch.ones(2, 1)
    out, mon = model(x, monitors=['r.state', 'o.output', 'r.inputs', 'r.feedbacks', 'r.leaky_rate'])
    assert set(mon) == {'r.state', 'o.output', 'r.inputs', 'r.feedbacks', 'r.leaky_rate'}
    assert torch.equal(mon['o.output'], out) and mon['r.leaky_rate'] == 0.3
    assert torch.equal(mon['r.feedbacks'][0], torch.zeros(2, 1))
    forced = torch.full((2, 4), 0.5)
    model(x, forced_states={'r': forced})
    assert torch.equal(r.state.value, forced)
    fb = torch.full((2, 1), 2.)
    _, mon = model(x, forced_feedbacks={'o': fb}, monitors=['r.feedbacks'])
    assert torch.equal(mon['r.feedbacks'][0], fb)
    with pytest.raises(ValueError, match='Cannot found the node'):
        model(x, monitors=['zz.state'])
    with pytest.raises(bp.errors.UnsupportedError):
        model(x, monitors=['r.nothing'])
    with pytest.raises(ValueError, match='takes no feedback'):
        model(x, fb=torch.ones(2, 1))


def test_uninitialized_and_bad_calls():
    model = bp.nn.Input(1) >> bp.nn.Dense(2)
    with pytest.raises(ValueError, match='initialize'):
        model(torch.ones(1, 1))
    with pytest.raises(ValueError, match='feedforward_shapes'):
        bp.nn.Dense(2).initialize(1)
    model.initialize(3)
    with pytest.raises(ValueError, match='batch size'):
        model(torch.ones(2, 1))
    with pytest.raises(NotImplementedError, match='set_state'):
        model.exit_nodes[0].state = torch.ones(1)


def test_network_is_a_module_with_named_nodes():
    i = bp.nn.Input(3, name='inp')
    model = i >> bp.nn.Reservoir(5, name='res') >> bp.nn.LinearReadout(2, name='out')
    model.initialize(1)
    assert list(model.nodes()) == ['inp', 'res', 'out']
    assert model['res'].num_unit == 5
    assert [k for k in model.train_vars()] == ['out.Wff', 'out.bias']
    with pytest.raises(KeyError, match='No node named'):
        model['nope']
    model.eval()
    assert not model['res'].training
    assert repr(model) == f'Network(inp, res, out)'


def test_plot_node_graph():
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    i, r, o = bp.nn.Input(1), bp.nn.VanillaRNN(3), bp.nn.Dense(1)
    model = (i >> r >> o) & (r << o)
    fig, ax = plt.subplots()
    model.plot_node_graph(ax=ax, show=False)
    labels = sorted(t.get_text() for t in ax.get_legend().get_texts())
    assert labels == ['Feedback', 'Feedforward', 'Nontrainable', 'Recurrent', 'Trainable']
    plt.close(fig)
    with pytest.raises(bp.errors.UnsupportedError, match='layouts'):
        model.plot_node_graph(layout='nope', show=False)
