"""bp.nn nodes against hand-written torch equivalents: outputs, gradients, shapes, states, modes."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import bptorch as bp
import bptorch.math as bm


@pytest.fixture(autouse=True)
def _fresh_names():
    bp.clear_name_cache()
    yield
    bp.clear_name_cache()


def _grads(loss, tensors):
    return torch.autograd.grad(loss, tensors)


# ---------------------------------------------------------------------------
# Dense
# ---------------------------------------------------------------------------

def test_dense_equals_linear_and_its_gradients():
    bm.random.seed(0)
    d = bp.nn.Dense(4, input_shape=3)
    d.initialize(2)
    x = torch.randn(2, 3)
    out = d(x)
    ref = x @ d.Wff.value + d.bias.value
    assert torch.allclose(out, ref)
    lin = torch.nn.Linear(3, 4)
    with torch.no_grad():
        lin.weight.copy_(d.Wff.value.T)
        lin.bias.copy_(d.bias.value)
    assert torch.allclose(out, lin(x))
    g_w, g_b = _grads(out.square().sum(), [d.Wff.value, d.bias.value])
    t_w, t_b = _grads(lin(x).square().sum(), [lin.weight, lin.bias])
    assert torch.allclose(g_w, t_w.T) and torch.allclose(g_b, t_b)


def test_dense_under_bm_grad_matches_autograd():
    d = bp.nn.Dense(2, input_shape=3)
    d.initialize(1)
    x = torch.randn(5, 3)

    def loss():
        return (d.forward((x,)) ** 2).mean()

    grads = bm.grad(loss, grad_vars=d.train_vars())()
    ref = _grads(loss(), [d.Wff.value, d.bias.value])
    assert set(grads) == {f'{d.name}.Wff', f'{d.name}.bias'}
    assert torch.allclose(grads[f'{d.name}.Wff'], ref[0])
    assert torch.allclose(grads[f'{d.name}.bias'], ref[1])


def test_dense_feedback_weights_and_no_bias():
    d = bp.nn.Dense(2, input_shape=3, bias_initializer=None)
    d.set_feedback_shapes({'fb': (None, 4)})
    d.initialize(1)
    assert d.bias is None and tuple(d.Wfb.shape) == (4, 2)
    x, fb = torch.randn(1, 3), torch.randn(1, 4)
    assert torch.allclose(d.forward((x,), (fb,)), x @ d.Wff.value + fb @ d.Wfb.value)


def test_dense_is_2d_only_densemd_any_rank():
    with pytest.raises(ValueError, match='only support 2D inputs'):
        bp.nn.Dense(2, input_shape=(3, 4)).initialize(1)
    d = bp.nn.DenseMD(2, input_shape=(3, 4))
    d.initialize(2)
    x = torch.randn(2, 3, 4)
    assert torch.allclose(d(x), x @ d.Wff.value + d.bias.value)


def test_untrainable_dense_holds_tensors_and_tutorial_initializers():
    l = bp.nn.Dense(num_unit=3, input_shape=4, trainable=False)
    l.initialize(num_batch=1)
    assert isinstance(l.Wff, torch.Tensor) and not isinstance(l.Wff, bm.Variable)
    assert list(l.train_vars()) == []
    l = bp.nn.Dense(num_unit=50, input_shape=10,
                    weight_initializer=bm.random.normal(0, 0.01, size=(10, 50)))
    l.initialize(num_batch=1)
    assert tuple(l.Wff.shape) == (10, 50)
    l = bp.nn.Dense(num_unit=30, input_shape=20, weight_initializer=lambda s: bm.random.random(s))
    l.initialize(num_batch=1)
    assert tuple(l.Wff.shape) == (20, 30) and bool((l.Wff.value >= 0).all())
    with pytest.raises(ValueError, match='num_unit'):
        bp.nn.Dense(0)


# ---------------------------------------------------------------------------
# Recurrent cells
# ---------------------------------------------------------------------------

def test_vanilla_rnn_equals_rnncell_relu():
    bm.random.seed(1)
    r = bp.nn.VanillaRNN(5, input_shape=3, state_initializer=bp.init.ZeroInit(),
                         bias_initializer=bp.init.Normal(0.5))
    r.initialize(2)
    cell = torch.nn.RNNCell(3, 5, nonlinearity='relu')
    with torch.no_grad():
        cell.weight_ih.copy_(r.Wff.value.T)
        cell.weight_hh.copy_(r.Wrec.value.T)
        cell.bias_ih.copy_(r.bias.value)
        cell.bias_hh.zero_()
    xs = torch.randn(4, 2, 3)
    h = torch.zeros(2, 5)
    for x in xs:
        h = cell(x, h)
        assert torch.allclose(r(x), h, atol=1e-6)
    assert torch.allclose(r.state.value, h, atol=1e-6)


def _gru_reference(x, h, wi, wh, b, n):
    gx = x @ wi + b
    zr = torch.sigmoid(gx[:, :2 * n] + h @ wh[:, :2 * n])
    z, r = zr[:, :n], zr[:, n:]
    a = torch.tanh(gx[:, 2 * n:] + (r * h) @ wh[:, 2 * n:])
    return (1 - z) * h + z * a


def test_gru_equations_and_gradients_through_time():
    bm.random.seed(2)
    g = bp.nn.GRU(4, input_shape=3, bias_initializer=bp.init.Normal(0.3))
    g.initialize(2)
    xs = torch.randn(5, 2, 3)
    wi, wh, b = g.Wi_ff.value, g.Wh.value, g.bias.value

    def run_node():
        out = 0.
        for x in xs:
            out = out + g(x).sum()
        return out

    h = torch.zeros(2, 4)
    ref = 0.
    for x in xs:
        h = _gru_reference(x, h, wi, wh, b, 4)
        ref = ref + h.sum()
    grads = bm.grad(run_node, grad_vars=g.train_vars(), return_value=True)
    g.initialize(2)
    var_grads, value = grads()
    assert torch.allclose(value, ref, atol=1e-5)
    expected = _grads(ref, [wi, wh, b])
    for key, e in zip(('Wi_ff', 'Wh', 'bias'), expected):
        assert torch.allclose(var_grads[f'{g.name}.{key}'], e, atol=1e-5)


def test_lstm_equals_lstmcell_with_reordered_gates():
    bm.random.seed(3)
    n = 4
    lstm = bp.nn.LSTM(n, input_shape=3, bias_initializer=bp.init.Normal(0.2))
    lstm.initialize(2)
    cell = torch.nn.LSTMCell(3, n)

    def reorder(w):  # BrainPy's [i | g | f | o] to torch's [i | f | g | o]
        i, g, f, o = w.split(n, dim=-1)
        return torch.cat([i, f, g, o], dim=-1)

    b = lstm.bias.value.clone()
    b[2 * n:3 * n] += 1.                     # BrainPy adds 1 to the forget gate
    with torch.no_grad():
        cell.weight_ih.copy_(reorder(lstm.Wi_ff.value).T)
        cell.weight_hh.copy_(reorder(lstm.Wh.value).T)
        cell.bias_ih.copy_(reorder(b))
        cell.bias_hh.zero_()
    h = c = torch.zeros(2, n)
    for x in torch.randn(3, 2, 3):
        h, c = cell(x, (h, c))
        assert torch.allclose(lstm(x), h, atol=1e-6)
    assert torch.allclose(lstm.h, h, atol=1e-6) and torch.allclose(lstm.c, c, atol=1e-6)
    assert lstm.state.shape == (4, n)
    lstm.h = torch.ones(2, n)
    assert torch.equal(lstm.state.value[:2], torch.ones(2, n))


def test_state_reset_and_new_batch_size():
    r = bp.nn.VanillaRNN(3, input_shape=2, state_initializer=bp.init.ZeroInit())
    r.initialize(2)
    state = r.state
    r(torch.ones(2, 2))
    assert not torch.equal(r.state.value, torch.zeros(2, 3))
    r.initialize(2)
    assert r.state is state and torch.equal(r.state.value, torch.zeros(2, 3))
    r.initialize(5)
    assert r.state.shape == (5, 3)
    with pytest.raises(ValueError, match='batch size'):
        r(torch.ones(2, 2))


def test_trainable_state_fills_every_sample():
    rnn = bp.nn.VanillaRNN(3, input_shape=(1,), state_trainable=True)
    rnn.initialize(3)
    assert rnn.train_state.shape == (3,) and isinstance(rnn.train_state, bm.TrainVar)
    assert torch.equal(rnn.state.value, rnn.train_state.value.expand(3, 3))
    rnn.train_state.value = torch.tensor([1., 2., 3.])
    rnn.initialize(4)
    assert torch.equal(rnn.state.value, torch.tensor([[1., 2., 3.]] * 4))
    assert f'{rnn.name}._train_state' in rnn.train_vars()


# ---------------------------------------------------------------------------
# Dropout and normalization: training / evaluation
# ---------------------------------------------------------------------------

def test_dropout_modes():
    d = bp.nn.Dropout(0.25, seed=0, input_shape=1000)
    d.initialize(4)
    x = torch.ones(4, 1000)
    y = d(x)
    kept = y != 0
    assert torch.allclose(y[kept], torch.tensor(4.))
    assert abs(kept.float().mean().item() - 0.25) < 0.03
    assert torch.equal(d(x, train=False), x)
    d.eval()
    assert torch.equal(d(x), x)
    assert not torch.equal(d(x, train=True), x)
    d.train()
    assert not torch.equal(d(x), x)


def test_dropout_in_network_switches_with_eval_and_shared_kwargs():
    model = bp.nn.Input(2) >> bp.nn.Dropout(0.5) >> bp.nn.Dense(1)
    model.initialize(8)
    x = torch.ones(8, 2)
    model.eval()
    a, b = model(x), model(x)
    assert torch.equal(a, b)
    model.train()
    assert torch.equal(model(x, train=False), a)


def test_batchnorm_train_equals_batch_statistics_and_eval_uses_running_averages():
    bm.random.seed(4)
    bn = bp.nn.BatchNorm1d(input_shape=(3, 4), momentum=0.9)
    bn.initialize(5)
    bn.gamma.value = torch.rand(4) + 0.5
    bn.beta.value = torch.randn(4)
    x = torch.randn(5, 3, 4) * 2 + 1
    y = bn(x)
    mean = x.mean((0, 1))
    var = x.var((0, 1), unbiased=False)
    ref = (x - mean) / torch.sqrt(var + 1e-5) * bn.gamma.value + bn.beta.value
    assert torch.allclose(y, ref, atol=1e-5)
    assert torch.allclose(bn.running_mean.value, 0.1 * mean, atol=1e-6)
    assert torch.allclose(bn.running_var.value, 0.9 + 0.1 * var, atol=1e-5)
    bn.eval()
    y_eval = bn(x)
    ref_eval = (x - bn.running_mean.value) / torch.sqrt(bn.running_var.value + 1e-5) \
        * bn.gamma.value + bn.beta.value
    assert torch.allclose(y_eval, ref_eval, atol=1e-5)
    assert torch.allclose(bn(x, train=True), ref, atol=1e-5)


def test_batchnorm2d_matches_torch_functional_batch_norm():
    bn = bp.nn.BatchNorm2d(input_shape=(4, 5, 3))
    bn.initialize(6)
    x = torch.randn(6, 4, 5, 3)
    ref = F.batch_norm(x.permute(0, 3, 1, 2), None, None, bn.gamma.value, bn.beta.value,
                       training=True, eps=1e-5).permute(0, 2, 3, 1)
    assert torch.allclose(bn(x), ref, atol=1e-5)
    g1, = _grads(bn(x).pow(3).sum(), [bn.gamma.value])
    g2, = _grads(F.batch_norm(x.permute(0, 3, 1, 2), None, None, bn.gamma.value, bn.beta.value,
                              training=True).permute(0, 2, 3, 1).pow(3).sum(), [bn.gamma.value])
    assert torch.allclose(g1, g2, rtol=1e-4, atol=1e-4)


def test_batchnorm_without_momentum_is_brainpy_2_1_12():
    bn = bp.nn.BatchNorm(axis=(0, 2), use_bias=False, momentum=None, input_shape=(3, 4))
    bn.initialize(2)
    assert bn.running_mean is None and bn.beta is None and bn.gamma.shape == (3,)
    x = torch.randn(2, 3, 4)
    bn.eval()
    ref = (x - x.mean((0, 2), keepdim=True)) / torch.sqrt(x.var((0, 2), unbiased=False,
                                                                keepdim=True) + 1e-5)
    assert torch.allclose(bn(x), ref, atol=1e-5)
    with pytest.raises(ValueError, match='batch axis'):
        bp.nn.BatchNorm(axis=1, input_shape=(3, 4)).initialize(2)


def test_layernorm_groupnorm_instancenorm():
    x = torch.randn(2, 3, 4)
    ln = bp.nn.LayerNorm(input_shape=(3, 4))
    ln.initialize(2)
    assert torch.allclose(ln(x), F.layer_norm(x, (3, 4)), atol=1e-5)
    ln2 = bp.nn.LayerNorm(axis=2, input_shape=(3, 4))
    ln2.initialize(2)
    assert torch.allclose(ln2(x), F.layer_norm(x, (4,)), atol=1e-5)
    gn = bp.nn.GroupNorm(num_groups=2, input_shape=(3, 4))
    gn.initialize(2)
    grouped = x.reshape(2, 3, 2, 2)
    m = grouped.mean((1, 3), keepdim=True)
    v = grouped.var((1, 3), unbiased=False, keepdim=True)
    assert torch.allclose(gn(x), ((grouped - m) / torch.sqrt(v + 1e-5)).reshape(2, 3, 4),
                          atol=1e-5)
    assert gn.gamma.shape == (3, 2)
    inorm = bp.nn.InstanceNorm(input_shape=(3, 4))
    inorm.initialize(2)
    assert torch.allclose(inorm(x), F.instance_norm(x.transpose(1, 2)).transpose(1, 2), atol=1e-5)
    with pytest.raises(ValueError, match='not multiple'):
        bp.nn.GroupNorm(num_groups=3, input_shape=(3, 4)).initialize(1)


# ---------------------------------------------------------------------------
# Convolutions and pooling
# ---------------------------------------------------------------------------

def _same_pads(size, k, s):
    total = max((math.ceil(size / s) - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def test_conv2d_same_and_valid_against_torch():
    bm.random.seed(5)
    for padding, stride in (('SAME', 1), ('SAME', 2), ('VALID', 2)):
        conv = bp.nn.Conv2D(6, (3, 2), strides=stride, padding=padding, groups=2,
                            b_init=bp.init.Normal(0.1), input_shape=(7, 6, 4))
        conv.initialize(2)
        x = torch.randn(2, 7, 6, 4)
        w = conv.w.value.permute(3, 2, 0, 1)
        xc = x.permute(0, 3, 1, 2)
        if padding == 'SAME':
            (t, b), (l, r) = _same_pads(7, 3, stride), _same_pads(6, 2, stride)
            xc = F.pad(xc, (l, r, t, b))
        ref = F.conv2d(xc, w, stride=stride, groups=2).permute(0, 2, 3, 1) + conv.b.value
        y = conv(x)
        assert y.shape[1:] == conv.output_shape[1:]
        assert torch.allclose(y, ref, atol=1e-5), (padding, stride)


def test_conv1d_3d_shapes_dilation_and_gradients():
    conv = bp.nn.Conv1D(4, 3, kernel_dilation=2, padding='VALID', input_shape=(9, 2))
    conv.initialize(1)
    x = torch.randn(1, 9, 2, requires_grad=True)
    y = conv(x)
    ref = F.conv1d(x.transpose(1, 2), conv.w.value.permute(2, 1, 0), dilation=2).transpose(1, 2)
    assert y.shape == (1, 5, 4) and torch.allclose(y, ref, atol=1e-5)
    gx1, gw1 = _grads(y.sum(), [x, conv.w.value])
    gx2, gw2 = _grads(ref.sum(), [x, conv.w.value])
    assert torch.allclose(gx1, gx2, atol=1e-5) and torch.allclose(gw1, gw2, atol=1e-5)
    net = bp.nn.Input((5, 5, 5, 3)) >> bp.nn.Conv3D(4, (3, 3, 3))
    net.initialize(num_batch=2)
    assert net(torch.ones(2, 5, 5, 5, 3)).shape == (2, 5, 5, 5, 4)
    with pytest.raises(ValueError, match='divisible'):
        bp.nn.Conv2D(5, 3, groups=2)


def test_conv_input_dilation_is_a_transposed_convolution():
    conv = bp.nn.Conv1D(1, 1, input_dilation=2, padding='VALID', b_init=None,
                        w_init=bp.init.OneInit(), input_shape=(3, 1))
    conv.initialize(1)
    y = conv(torch.tensor([[[1.], [2.], [3.]]]))
    assert torch.equal(y.flatten(), torch.tensor([1., 0., 2., 0., 3.]))


def test_conv_with_feedback_concatenates_channels():
    i = bp.nn.Input((5, 5, 3))
    b = bp.nn.Conv2D(8, (3, 3))
    c = bp.nn.Conv2D(4, (3, 3))
    model = (i >> b >> c) & (b << c)
    model.initialize(num_batch=2)
    assert tuple(b.w.shape) == (3, 3, 7, 8)
    assert model(torch.ones(2, 5, 5, 3)).shape == (2, 5, 5, 4)


def test_pooling_brainpy_cases_and_padding():
    x = torch.arange(9.).reshape(1, 3, 3, 1)
    for cls, expected in ((bp.nn.MaxPool, [[4., 5.], [7., 8.]]),
                          (bp.nn.MinPool, [[0., 1.], [3., 4.]]),
                          (bp.nn.AvgPool, [[2., 3.], [5., 6.]])):
        model = bp.nn.Input((3, 3, 1)) >> cls((2, 2))
        model.initialize(num_batch=1)
        assert torch.equal(model(x)[0, ..., 0], torch.tensor(expected))
    p = bp.nn.MaxPool((2, 2), strides=(2, 2), padding='SAME', input_shape=(3, 3, 1))
    p.initialize(1)
    assert p.output_shape == (None, 2, 2, 1)
    assert torch.equal(p(-x)[0, ..., 0], torch.tensor([[0., -2.], [-6., -8.]]))
    a = bp.nn.AvgPool((2, 2), strides=2, padding='SAME', input_shape=(3, 3, 1))
    a.initialize(1)
    assert torch.allclose(a(torch.ones(1, 3, 3, 1))[0, ..., 0],
                          torch.tensor([[1., .5], [.5, .25]]))


# ---------------------------------------------------------------------------
# Small nodes
# ---------------------------------------------------------------------------

def test_activation_select_reshape_flatten_concat_summation():
    x = torch.tensor([[-1., 2., -3., 4.]])
    a = bp.nn.Activation('relu', input_shape=4)
    a.initialize(1)
    assert torch.equal(a(x), torch.relu(x)) and a.name.startswith('relu_activation')
    net = bp.nn.Input(4)[:, 1:3]
    net.initialize(1)
    assert torch.equal(net(x), x[:, 1:3])
    net = bp.nn.Input(4)[[0, 3]]
    net.initialize(1)
    assert torch.equal(net(x), x[:, [0, 3]])
    with pytest.raises(ValueError, match='batch axis'):
        bp.nn.Input(4)[1:, 2]
    r = bp.nn.Reshape((2, -1), input_shape=(3, 4))
    r.initialize(2)
    assert r.output_shape == (None, 2, 6) and r(torch.ones(2, 3, 4)).shape == (2, 2, 6)
    with pytest.raises(ValueError, match='Cannot reshape'):
        bp.nn.Reshape((5,), input_shape=(3, 4)).initialize(1)
    f = bp.nn.Flatten(input_shape=(2, 3))
    f.initialize(3)
    assert f(torch.ones(3, 2, 3)).shape == (3, 6)
    net = {bp.nn.Input(2, name='p'), bp.nn.Input(2, name='q')} >> bp.nn.Summation()
    net.initialize(1)
    out = net({'p': torch.ones(1, 2), 'q': 2 * torch.ones(1, 2)})
    assert torch.equal(out, 3 * torch.ones(1, 2))


def test_reservoir_equations_connectivity_and_spectral_radius():
    bm.random.seed(6)
    r = bp.nn.Reservoir(40, leaky_rate=0.5, input_shape=3, spectral_radius=0.8,
                        ff_connectivity=0.5, rec_connectivity=0.2, seed=1)
    r.initialize(2)
    assert abs(torch.linalg.eigvals(r.Wrec).abs().max().item() - 0.8) < 1e-4
    assert 0.3 < (r.Wff != 0).float().mean().item() < 0.7
    x = torch.randn(2, 3)
    h0 = r.state.value
    ref = 0.5 * h0 + 0.5 * torch.tanh(x @ r.Wff + h0 @ r.Wrec)
    assert torch.allclose(r(x), ref, atol=1e-6)
    ext = bp.nn.Reservoir(10, activation_type='external', leaky_rate=0.3, input_shape=3, seed=2)
    ext.initialize(2)
    h0 = ext.state.value + 0.1
    ext.state.value = h0
    ref = torch.tanh(0.7 * h0 + 0.3 * (x @ ext.Wff + h0 @ ext.Wrec))
    assert torch.allclose(ext(x), ref, atol=1e-6)


def test_sparse_reservoir_equals_dense_with_the_same_weights():
    bm.random.seed(7)
    dense = bp.nn.Reservoir(30, input_shape=4, seed=3, name='dense_r')
    dense.initialize(2)
    bm.random.seed(7)
    sparse = bp.nn.Reservoir(30, input_shape=4, seed=3, conn_type='sparse', name='sparse_r')
    sparse.initialize(2)
    assert sparse.Wrec.ndim == 1 and sparse.Wrec.numel() == int((dense.Wrec != 0).sum())
    x = torch.randn(2, 4)
    for _ in range(3):
        assert torch.allclose(dense(x), sparse(x), atol=1e-6)


def test_reservoir_noise_types():
    r = bp.nn.Reservoir(10, input_shape=2, noise_rec=0.1, noise_type='uniform', seed=0)
    r.initialize(1)
    a = r(torch.zeros(1, 2))
    b = r.state.value * 0
    assert not torch.equal(a, b) and bool((a.abs() <= 0.3 * 0.1 + 1e-6).all())


def test_nvar_features_against_numpy():
    nvar = bp.nn.NVAR(delay=3, order=2, stride=2, constant=True, input_shape=2)
    nvar.initialize(1)
    xs = np.random.RandomState(0).randn(8, 2).astype(np.float32)
    history = []
    for t, x in enumerate(xs):
        out = nvar(torch.as_tensor(x[None]))
        history.append(x)
        lags = [history[t - k] if t - k >= 0 else np.zeros(2, np.float32) for k in (0, 2, 4)]
        linear = np.concatenate(lags)
        nonlinear = [linear[i] * linear[j] for i in range(6) for j in range(i, 6)]
        ref = np.concatenate([[1.], linear, nonlinear])
        np.testing.assert_allclose(out[0].numpy(), ref, rtol=1e-5, atol=1e-6)
    assert len(nvar.get_feature_names()) == nvar.output_shape[1] == 1 + 6 + 21
    assert nvar.get_feature_names()[:3] == ['1', 'x0(t)', 'x1(t)']
    assert nvar.get_feature_names_for_plot()[1] == '$x0_t$'


def test_linear_readout_keeps_its_output_as_state():
    o = bp.nn.LinearReadout(2, input_shape=3)
    o.initialize(4)
    y = o(torch.randn(4, 3))
    assert torch.equal(o.state.value, y.detach())


# ---------------------------------------------------------------------------
# Modules: parameters, state_dict, devices, copies
# ---------------------------------------------------------------------------

def test_torch_module_integration(device):
    model = bp.nn.Input(2) >> bp.nn.GRU(3, name='g') >> bp.nn.Dense(1, name='d')
    model.initialize(2)
    names = [n for n, _ in model.named_parameters()]
    assert names == ['g.Wi_ff', 'g.Wh', 'g.bias', 'd.Wff', 'd.bias']
    sd = model.state_dict()
    assert set(sd) == {'g.Wi_ff', 'g.Wh', 'g.bias', 'g._state', 'd.Wff', 'd.bias'}
    model.to(device)
    x = torch.ones(2, 2, device=device)
    y = model(x)
    assert y.device.type == device.type
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    before = model['d'].Wff.value.detach().clone()
    model(x).sum().backward()
    opt.step()
    assert not torch.equal(model['d'].Wff.value.detach(), before)


def test_nodes_run_on_the_device_of_their_weights(device):
    bm.random.seed(8)
    model = (bp.nn.Input(3) >> bp.nn.Reservoir(8, noise_ff=0.1, seed=0) >> bp.nn.Dropout(0.5)
             >> bp.nn.LinearReadout(2))
    model.initialize(2)
    model.to(device)
    y = model(torch.ones(2, 3, device=device))
    assert y.device.type == device.type


def test_copy_is_deep_and_renamed():
    d = bp.nn.Dense(2, input_shape=3, name='orig')
    d.initialize(1)
    c = d.copy()
    assert c.name == 'orig_copy' and c.Wff is not d.Wff
    assert torch.equal(c.Wff.value, d.Wff.value)
    c.Wff.value = torch.zeros(3, 2)
    assert not torch.equal(d.Wff.value, torch.zeros(3, 2))


def test_fixed_weights_are_saved_and_restore_a_trained_reservoir_model():
    def build():
        bp.clear_name_cache()
        model = (bp.nn.Input(1, name='i') >> bp.nn.Reservoir(20, name='r')
                 >> bp.nn.LinearReadout(1, name='o'))
        model.initialize(1)
        return model

    bm.random.seed(0)
    model = build()
    # (a RandomState is a Variable, its key, as in BrainPy)
    assert {'r.Wff', 'r.Wrec', 'r.bias', 'o.Wff', 'o.bias', 'r._state', 'o._state',
            'r.rng'} == set(model.state_dict())
    x = torch.randn(1, 3, 1)
    sd = {k: v.clone() for k, v in model.state_dict().items()}
    ref = [model(xt) for xt in x.unbind(1)]
    bm.random.seed(1)
    other = build()
    assert not torch.equal(other['r'].Wrec, sd['r.Wrec'])
    other.load_state_dict(sd)
    assert all(torch.allclose(other(xt), y) for xt, y in zip(x.unbind(1), ref))
    assert list(other.train_vars()) == ['o.Wff', 'o.bias']


def test_dense_under_vmap_and_per_example_gradients():
    d = bp.nn.Dense(2, input_shape=3)
    d.initialize(1)
    x = torch.randn(5, 3)
    assert torch.allclose(bm.vmap(lambda xi: d.forward((xi[None],))[0])(x), d(x), atol=1e-6)
    per_example = bm.vmap(bm.grad(lambda xi: d.forward((xi[None],)).sum(),
                                  grad_vars=d.train_vars()))(x)
    assert torch.allclose(per_example[f'{d.name}.Wff'], x[:, :, None].expand(5, 3, 2))
    assert torch.allclose(per_example[f'{d.name}.bias'], torch.ones(5, 2))
