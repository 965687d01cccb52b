"""bp.init: shapes, statistics, orthogonality and exact values, from BrainPy 2.1.12's definitions."""

import math

import numpy as np
import pytest
import torch

import bptorch as bp
import bptorch.math as bm
from bptorch import initialize as I
from bptorch.math import settings

N_STAT = 40_000   # sample size of the statistical tests; tolerances are 5 standard errors


def test_every_public_name_of_brainpy_2_1_12():
    names = {'Initializer', 'InterLayerInitializer', 'IntraLayerInitializer', 'init_param',
             'ZeroInit', 'OneInit', 'Identity', 'Normal', 'Uniform', 'VarianceScaling',
             'KaimingUniform', 'KaimingNormal', 'XavierUniform', 'XavierNormal', 'LecunUniform',
             'LecunNormal', 'Orthogonal', 'DeltaOrthogonal', 'GaussianDecay', 'DOGDecay'}
    assert names == set(I.__all__)
    assert bp.init is I and bp.initialize is I
    for name in names - {'init_param'}:
        assert issubclass(getattr(I, name), I.Initializer)
    assert issubclass(I.Normal, I.InterLayerInitializer)
    assert issubclass(I.GaussianDecay, I.IntraLayerInitializer)
    with pytest.raises(TypeError):
        I.Initializer()   # abstract


# ---------------------------------------------------------------------------
# regular
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('size', [(100,), (10, 20), (10, 20, 30)])
def test_zero_and_one_init(size):
    w = I.ZeroInit()(size)
    assert w.shape == size and w.dtype == torch.float32 and not w.any()
    for value in (0., 1., -1., 2.5):
        w = I.OneInit(value=value)(size)
        assert w.shape == size and bool((w == value).all())


def test_shape_entries_may_be_tuples_and_dtype_is_honoured():
    assert I.ZeroInit()(((2, 3), 4)).shape == (6, 4)    # BrainPy's size2num per entry
    assert I.ZeroInit()(5).shape == (5,)
    assert I.OneInit()((2,), dtype=bm.float64).dtype == torch.float64
    assert I.Normal()((2,), dtype=bm.float64).dtype == torch.float64
    assert I.OneInit(3)((2,), dtype=bm.int32).tolist() == [3, 3]
    bm.enable_x64()
    assert I.ZeroInit()((2,)).dtype == torch.float64
    assert I.Uniform()((2,)).dtype == torch.float64
    with pytest.raises(ValueError, match='shape'):
        I.ZeroInit()((2, 'a'))
    with pytest.raises(ValueError, match='negative'):
        I.Normal()((2, -1))


def test_one_init_with_an_array_value():
    w = I.OneInit(value=np.array([1., 2., 3.]))((2, 3))
    np.testing.assert_array_equal(w.numpy(), [[1., 2., 3.], [1., 2., 3.]])


def test_identity():
    for size, ref in [((4,), np.eye(4)), (4, np.eye(4)), ((3, 5), np.eye(3, 5)), ((5, 3), np.eye(5, 3))]:
        for value in (0., 1., -1., 0.5):
            w = I.Identity(value=value)(size)
            np.testing.assert_array_equal(w.numpy(), ref * value)
    with pytest.raises(ValueError, match='2D'):
        I.Identity()((2, 2, 2))
    assert repr(I.Identity(2.)) == 'Identity(value=2.0)'


# ---------------------------------------------------------------------------
# random: reproducibility
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('make', [lambda s: I.Normal(seed=s), lambda s: I.Uniform(seed=s),
                                  lambda s: I.KaimingNormal(seed=s), lambda s: I.XavierUniform(seed=s),
                                  lambda s: I.Orthogonal(seed=s)])
def test_seeds(make):
    shape = (6, 5)
    # seed=None: bm.random's default RandomState, so bm.random.seed reproduces
    bm.random.seed(11)
    a = make(None)(shape)
    bm.random.seed(11)
    assert torch.equal(a, make(None)(shape))
    assert not torch.equal(a, make(None)(shape))
    # an own seed: the same numbers from two initializers, whatever bm.random's state
    bm.random.seed(1)
    b = make(7)(shape)
    bm.random.seed(2)
    assert torch.equal(b, make(7)(shape))
    assert not torch.equal(b, make(8)(shape))
    init = make(7)
    assert not torch.equal(init(shape), init(shape))   # one stream, successive draws


# ---------------------------------------------------------------------------
# random: distributions
# ---------------------------------------------------------------------------

def _check_mean_std(w, mean, std):
    w = w.double().reshape(-1).numpy()
    n = w.size
    assert abs(w.mean() - mean) < 5 * std / math.sqrt(n), (w.mean(), mean)
    assert abs(w.std() - std) < 5 * std / math.sqrt(2 * n) + 1e-12, (w.std(), std)


def test_normal_statistics():
    bm.random.seed(0)
    _check_mean_std(I.Normal()((N_STAT,)), 0., 1.)
    _check_mean_std(I.Normal(mean=2., scale=0.5)((200, 200)), 2., 0.5)
    _check_mean_std(I.Normal(scale=3., seed=5)((N_STAT,)), 0., 3.)


def test_uniform_statistics():
    w = I.Uniform(min_val=10., max_val=20., seed=0)((N_STAT,))
    assert float(w.min()) >= 10. and float(w.max()) < 20.
    _check_mean_std(w, 15., 10 / math.sqrt(12))
    w = I.Uniform()((N_STAT,))
    assert float(w.min()) >= 0. and float(w.max()) < 1.


def _fans(shape, in_axis=-2, out_axis=-1):
    """BrainPy's _compute_fans, written out."""
    rf = np.prod(shape) / shape[in_axis] / shape[out_axis]
    return shape[in_axis] * rf, shape[out_axis] * rf


@pytest.mark.parametrize('shape, in_axis, out_axis', [((200, 300), -2, -1), ((3, 3, 40, 30), -2, -1),
                                                       ((40, 5, 30), 0, 2), ((30, 40), -1, -2)])
@pytest.mark.parametrize('mode', ['fan_in', 'fan_out', 'fan_avg'])
@pytest.mark.parametrize('distribution', ['truncated_normal', 'normal', 'uniform'])
def test_variance_scaling(shape, in_axis, out_axis, mode, distribution):
    scale = 2.
    fan_in, fan_out = _fans(shape, in_axis, out_axis)
    var = scale / {'fan_in': fan_in, 'fan_out': fan_out, 'fan_avg': (fan_in + fan_out) / 2}[mode]
    w = I.VarianceScaling(scale, mode, distribution, in_axis=in_axis, out_axis=out_axis, seed=1)(shape)
    assert w.shape == shape and w.dtype == torch.float32
    x = w.double().reshape(-1).numpy()
    n = x.size
    assert abs(x.mean()) < 5 * math.sqrt(var / n)
    assert abs(x.var() / var - 1) < 5 * math.sqrt(2 / n)
    bound = {'truncated_normal': 2 * math.sqrt(var) / .87962566103423978,
             'uniform': math.sqrt(3 * var), 'normal': math.inf}[distribution]
    assert np.abs(x).max() <= bound * (1 + 1e-6)
    if distribution != 'normal':     # and the bound is reached
        assert np.abs(x).max() > 0.95 * bound


@pytest.mark.parametrize('cls, scale, mode, distribution', [
    (I.KaimingUniform, 2.0, 'fan_in', 'uniform'), (I.KaimingNormal, 2.0, 'fan_in', 'truncated_normal'),
    (I.XavierUniform, 1.0, 'fan_avg', 'uniform'), (I.XavierNormal, 1.0, 'fan_avg', 'truncated_normal'),
    (I.LecunUniform, 1.0, 'fan_in', 'uniform'), (I.LecunNormal, 1.0, 'fan_in', 'truncated_normal')])
def test_named_variance_scalings(cls, scale, mode, distribution):
    init = cls()
    assert (init.scale, init.mode, init.distribution, init.in_axis, init.out_axis, init.seed) == \
        (scale, mode, distribution, -2, -1, None)
    shape = (250, 160)
    fan_in, fan_out = _fans(shape)
    var = scale / {'fan_in': fan_in, 'fan_avg': (fan_in + fan_out) / 2}[mode]
    x = cls(seed=3)(shape).double().numpy().reshape(-1)
    assert abs(x.var() / var - 1) < 5 * math.sqrt(2 / x.size)
    assert isinstance(init, I.VarianceScaling)


def test_variance_scaling_errors():
    with pytest.raises(ValueError, match='invalid mode'):
        I.VarianceScaling(1., 'fan_max', 'normal')
    with pytest.raises(ValueError, match='invalid distribution'):
        I.VarianceScaling(1., 'fan_in', 'cauchy')
    with pytest.raises(ValueError, match='two dimensions'):
        I.KaimingNormal()((10,))
    with pytest.raises(ValueError, match='empty'):
        I.KaimingNormal()((0, 3))


# ---------------------------------------------------------------------------
# orthogonal
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('shape, axis', [((20, 20), -1), ((10, 20), -1), ((20, 10), -1), ((10, 20), 0),
                                         ((4, 5, 6), -1), ((4, 5, 6), 1), ((6, 2, 3), 0)])
def test_orthogonal(shape, axis):
    scale = 2.
    w = I.Orthogonal(scale=scale, axis=axis, seed=0)(shape, dtype=bm.float64)
    assert w.shape == shape
    m = torch.movedim(w, axis, 0).reshape(shape[axis], -1).numpy() / scale
    rows, cols = m.shape
    gram = m @ m.T if rows <= cols else m.T @ m
    np.testing.assert_allclose(gram, np.eye(min(rows, cols)), atol=1e-12)
    w32 = I.Orthogonal(axis=axis, seed=0)(shape)
    assert w32.dtype == torch.float32
    np.testing.assert_allclose(w32.numpy(), w.numpy() / scale, atol=1e-6)


def test_orthogonal_is_haar_distributed():
    """For a uniformly distributed (Haar) orthogonal n x n matrix, E[Q_ij] = 0 and E[Q_ij^2] = 1/n.
    Without the sign correction of the QR factors the diagonal is biased."""
    init = I.Orthogonal(seed=4)
    n, k = 3, 300
    q = torch.stack([init((n, n), dtype=bm.float64) for _ in range(k)]).numpy()
    diag = q[:, np.arange(n), np.arange(n)].reshape(-1)
    se = math.sqrt(1 / n / diag.size)
    assert abs(diag.mean()) < 5 * se
    assert abs((q ** 2).mean() - 1 / n) < 0.03


def test_delta_orthogonal():
    for shape in [(3, 4, 4), (3, 3, 2, 5), (2, 3, 4, 3, 6), (5, 5, 5)]:
        w = I.DeltaOrthogonal(scale=1.5)(shape, dtype=bm.float64)
        assert w.shape == shape
        centre = tuple((k - 1) // 2 for k in shape[:-2])
        m = w[centre].numpy() / 1.5
        np.testing.assert_allclose(m @ m.T, np.eye(shape[-2]), atol=1e-12)
        mask = torch.ones(shape[:-2], dtype=torch.bool)
        mask[centre] = False
        assert not w[mask].any()
    with pytest.raises(ValueError, match='3D, 4D or 5D'):
        I.DeltaOrthogonal()((3, 3))
    with pytest.raises(ValueError, match='fan_in'):
        I.DeltaOrthogonal()((3, 5, 4))


# ---------------------------------------------------------------------------
# init_param
# ---------------------------------------------------------------------------

def test_init_param():
    assert I.init_param(None, (3,)) is None
    with pytest.raises(ValueError, match='got None'):
        I.init_param(None, (3,), allow_none=False)
    assert I.init_param(0.5, (3,)) == 0.5 and I.init_param(2, 3) == 2 and I.init_param(True, 3) is True
    w = I.init_param(I.OneInit(2.), (2, 3))
    assert w.shape == (2, 3) and bool((w == 2).all())
    w = I.init_param(lambda size: np.ones(size), [4])
    assert isinstance(w, torch.Tensor) and w.shape == (4,) and w.dtype == torch.float32
    t = torch.zeros(3)
    assert I.init_param(t, 3) is t
    v = bm.Variable(torch.zeros(3))
    assert I.init_param(v, (3,)) is v
    a = I.init_param(np.arange(3), (3,))
    assert isinstance(a, torch.Tensor) and a.tolist() == [0, 1, 2]
    assert I.init_param(torch.tensor(1.), (5,)).shape == ()
    assert I.init_param(torch.ones(1), (5,)).shape == (1,)
    with pytest.raises(ValueError, match=r'should be \(\), \(1,\) or \(3,\)'):
        I.init_param(torch.zeros(4), 3)
    with pytest.raises(ValueError, match='should be'):
        I.init_param(lambda s: torch.zeros(2), (3,))
    with pytest.raises(ValueError, match='Unknown param type'):
        I.init_param('normal', (3,))


# ---------------------------------------------------------------------------
# distance-dependent weights
# ---------------------------------------------------------------------------

def _positions(shape, ranges):
    """Encoded values of each neuron, C order: (N, ndim)."""
    axes = [np.array([a + (b - a) * p / n for p in range(n)]) for n, (a, b) in zip(shape, ranges)]
    idx = np.array(list(np.ndindex(*shape)))                    # C order
    return np.stack([axes[k][idx[:, k]] for k in range(len(shape))], axis=1)


def _dist2(shape, ranges, periodic):
    p = _positions(shape, ranges)
    d = np.abs(p[:, None, :] - p[None, :, :])
    if periodic:
        sizes = np.array([b - a for a, b in ranges])
        d = np.where(d > sizes / 2, sizes - d, d)
    return (d ** 2).sum(-1)


def _gauss_ref(shape, sigma, max_w, min_w=None, ranges=None, periodic=False, include_self=True,
               normalize=False):
    ranges = ranges or [(0, n) for n in shape]
    conn = np.exp(-_dist2(shape, ranges, periodic) / (2 * sigma ** 2))
    if normalize:
        conn = conn / conn.max()
    if not include_self:
        np.fill_diagonal(conn, 0.)
    w = conn * max_w
    min_w = 0.005 * max_w if min_w is None else min_w
    return np.where(w < min_w, 0., w)


def test_gaussian_decay_1d_exact():
    w = I.GaussianDecay(sigma=2., max_w=3.)(7, dtype=bm.float64)
    i = np.arange(7)
    ref = 3. * np.exp(-(i[:, None] - i[None, :]) ** 2 / 8.)
    ref[ref < 0.015] = 0.
    np.testing.assert_allclose(w.numpy(), ref, rtol=1e-12)
    assert w.shape == (7, 7) and I.GaussianDecay(sigma=2., max_w=3.)(7).dtype == torch.float32


@pytest.mark.parametrize('shape', [(5,), (3, 4), (2, 3, 4)])
@pytest.mark.parametrize('kw', [{}, dict(periodic_boundary=True),
                                dict(include_self=False, normalize=True, min_w=0.1),
                                dict(encoding_values=(0., math.pi), periodic_boundary=True)])
def test_gaussian_decay_against_the_equation(shape, kw):
    init = I.GaussianDecay(sigma=1.3, max_w=2., **kw)
    enc = kw.get('encoding_values')
    ranges = [enc] * len(shape) if enc else None
    ref = _gauss_ref(shape, 1.3, 2., kw.get('min_w'), ranges, kw.get('periodic_boundary', False),
                     kw.get('include_self', True), kw.get('normalize', False))
    n = math.prod(shape)
    w = init(shape, dtype=bm.float64)
    assert w.shape == (n, n)
    np.testing.assert_allclose(w.numpy(), ref, rtol=1e-12, atol=1e-15)


def test_gaussian_decay_per_axis_ranges_and_periodic_wrap():
    ranges = [(-math.pi, math.pi), (10, 20)]
    shape = (4, 5)
    w = I.GaussianDecay(sigma=2., max_w=1., min_w=0., encoding_values=ranges, periodic_boundary=True)(
        shape, dtype=bm.float64)
    np.testing.assert_allclose(w.numpy(), _gauss_ref(shape, 2., 1., 0., ranges, True), rtol=1e-12)
    # wrap: on a ring of 6 with range (0, 6), neuron 0 and 5 are neighbours
    ring = I.GaussianDecay(sigma=1., max_w=1., periodic_boundary=True)(6, dtype=bm.float64)
    assert ring[0, 5] == ring[0, 1] == pytest.approx(math.exp(-0.5))


def test_decay_neurons_are_in_c_order():
    """BrainPy's own test reads neuron (3, 4) of a (10, 12) grid as column 3 * 12 + 4."""
    w = I.DOGDecay(sigmas=(1., 3.), max_ws=(10., 5.), min_w=0.1, include_self=True)((10, 12))
    assert w.shape == (120, 120)
    col = w[:, 3 * 12 + 4].reshape(10, 12)
    assert np.unravel_index(int(col.argmax()), (10, 12)) == (3, 4)
    g = I.GaussianDecay(sigma=1., max_w=1.)((3, 5))
    assert torch.equal(torch.diagonal(g), torch.ones(15))
    assert g[0, 1] == pytest.approx(math.exp(-0.5))       # (0, 0) - (0, 1)
    assert g[0, 5] == pytest.approx(math.exp(-0.5))       # (0, 0) - (1, 0)
    assert torch.equal(g, g.T)


@pytest.mark.parametrize('shape', [(6,), (3, 4), (2, 2, 3)])
@pytest.mark.parametrize('kw', [{}, dict(min_w=0.2, include_self=False),
                                dict(periodic_boundary=True, encoding_values=((0, 1), (0, 2), (0, 3)))])
def test_dog_decay_against_the_equation(shape, kw):
    kw = dict(kw)
    if 'encoding_values' in kw:
        kw['encoding_values'] = kw['encoding_values'][:len(shape)]
    ranges = list(kw.get('encoding_values') or [(0, n) for n in shape])
    d2 = _dist2(shape, ranges, kw.get('periodic_boundary', False))
    ref = 1.0 * np.exp(-d2 / (2 * 1.2 ** 2)) - 0.7 * np.exp(-d2 / (2 * 2.5 ** 2))
    if not kw.get('include_self', True):
        np.fill_diagonal(ref, 0.)
    min_w = kw.get('min_w', 0.005 * 0.7)
    ref = np.where(np.abs(ref) < min_w, 0., ref)
    w = I.DOGDecay(sigmas=(1.2, 2.5), max_ws=(1.0, 0.7), **kw)(shape, dtype=bm.float64)
    np.testing.assert_allclose(w.numpy(), ref, rtol=1e-12, atol=1e-15)
    assert I.DOGDecay(sigmas=(1.2, 2.5), max_ws=(1.0, 0.7)).min_w == 0.005 * 0.7


def test_decay_errors():
    with pytest.raises(ValueError, match='dimensions'):
        I.GaussianDecay(1., 1., encoding_values=((0, 1),))((2, 3))
    with pytest.raises(ValueError, match='low < high'):
        I.DOGDecay((1., 2.), (1., 1.), encoding_values=(1., 0.))(3)
    with pytest.raises(ValueError, match='Unsupported encoding values'):
        I.GaussianDecay(1., 1., encoding_values='x')(3)
    with pytest.raises(ValueError, match='network shape'):
        I.GaussianDecay(1., 1.)(((2, 3), 4))


def test_reprs():
    assert repr(I.Normal(scale=0.5, seed=3)) == 'Normal(scale=0.5, seed=3)'
    assert repr(I.Orthogonal()) == 'Orthogonal(scale=1.0, axis=-1, seed=None)'
    assert repr(I.ZeroInit()) == 'ZeroInit'
    assert repr(I.GaussianDecay(1., 2.)).startswith('GaussianDecay(sigma=1.0, max_w=2.0, min_w=0.01')


def test_on_the_default_device(device):
    settings.set_default_device(device)
    for init, shape in [(I.ZeroInit(), (2, 3)), (I.OneInit(np.array(2.)), (2,)), (I.Identity(), 3),
                        (I.Normal(), (2, 3)), (I.Uniform(seed=1), (3,)), (I.KaimingNormal(), (4, 3)),
                        (I.XavierUniform(), (4, 3)), (I.Orthogonal(), (3, 4)),
                        (I.DeltaOrthogonal(), (3, 2, 2)), (I.GaussianDecay(1., 1.), (2, 2)),
                        (I.DOGDecay((1., 2.), (1., .5)), 4)]:
        assert init(shape).device.type == device.type, init


def test_tutorial_synaptic_weights():
    """BrainPy 2.1.12's docs/tutorial_toolbox/synaptic_weights.ipynb, its initializer cells
    (imports changed, plots replaced by assertions on what they show)."""
    bp.math.set_platform('cpu')
    pre_size, post_size = (4, 4), (3, 3)
    uniform_init = bp.init.Uniform(min_val=0., max_val=1.)
    weights = uniform_init((pre_size, post_size))
    assert weights.shape == (16, 9)
    assert float(weights.min()) >= 0. and float(weights.max()) < 1.

    one_init = bp.init.OneInit(value=2.5)
    weights = one_init((5, 6))
    assert weights.shape == (5, 6) and bool((weights == 2.5).all())

    assert bp.init.Normal(scale=1.0)((10, 20)).shape == (10, 20)

    size = (5, 5)
    gaussian_init = bp.init.GaussianDecay(sigma=2., max_w=10., include_self=True)
    weights = gaussian_init(size)
    assert weights.shape == (25, 25)
    first = weights[0].reshape(size).numpy()        # the plotted neuron (0, 0)
    r, c = np.meshgrid(np.arange(5), np.arange(5), indexing='ij')
    ref = 10. * np.exp(-(r ** 2 + c ** 2) / 8.)
    np.testing.assert_allclose(first, np.where(ref < 0.05, 0., ref), rtol=1e-6)

    size = (10, 12)
    dog_init = bp.init.DOGDecay(sigmas=(1., 3.), max_ws=(10., 5.), min_w=0.1, include_self=True)
    weights = dog_init(size)
    assert weights.shape == (120, 120)
    row = weights[3 * 12 + 4].reshape(size)        # the plotted neuron (3, 4)
    assert np.unravel_index(int(row.argmax()), size) == (3, 4)
    assert float(row[3, 4]) == pytest.approx(5.)    # 10 - 5 at distance 0
    assert float(row.min()) < 0                     # the inhibitory surround

    class LinearDecay(bp.init.InterLayerInitializer):
        def __init__(self, max_w, sigma=1.):
            self.max_w = max_w
            self.sigma = sigma

        def __call__(self, shape, dtype=None):
            mat = bp.math.zeros(shape, dtype=dtype)
            n_pre, n_post = shape
            seq = np.arange(n_pre)
            current_w = self.max_w
            for i in range(max(n_pre, n_post)):
                if current_w <= 0:
                    break
                seq_plus = ((seq + i) >= 0) & ((seq + i) < n_post)
                seq_minus = ((seq - i) >= 0) & ((seq - i) < n_post)
                mat[seq[seq_plus], (seq + i)[seq_plus]] = current_w
                mat[seq[seq_minus], (seq - i)[seq_minus]] = current_w
                current_w -= self.sigma
            return mat

    weights = LinearDecay(max_w=5, sigma=1.)((10, 15))
    rr, cc = np.meshgrid(np.arange(10), np.arange(15), indexing='ij')
    np.testing.assert_array_equal(weights.numpy(), np.maximum(5 - np.abs(rr - cc), 0))
    assert repr(LinearDecay(1.)) == 'LinearDecay'
