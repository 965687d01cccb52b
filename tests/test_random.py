"""bm.random: reproducibility, independence, ranges, dtypes, transforms."""

import numpy as np
import pytest
import torch
from torch.func import grad, vmap

import bptorch.math as bm
from bptorch.math import settings
from bptorch.math.random import RandomState


# One call of every drawing method, as (name, args, kwargs).
DRAWS = [
    ('rand', (2, 3), {}), ('randn', (4,), {}), ('random', (), {'size': (2, 2)}),
    ('uniform', (-1., 2.), {'size': 5}), ('normal', (1., 2.), {'size': 5}),
    ('randint', (0, 100), {'size': 6}), ('bernoulli', (0.5,), {'size': 8}),
    ('permutation', (10,), {}), ('choice', (10,), {'size': 4}),
    ('exponential', (2.,), {'size': 3}), ('truncated_normal', (-1., 1.), {'size': 3}),
]


def draw_all(src):
    return [getattr(src, name)(*args, **kw) for name, args, kw in DRAWS]


def assert_same(xs, ys):
    assert len(xs) == len(ys)
    for x, y in zip(xs, ys):
        assert torch.equal(x, y)


def test_same_seed_same_draws_module_level():
    bm.random.seed(123)
    first = draw_all(bm.random)
    bm.random.seed(123)
    assert_same(first, draw_all(bm.random))
    bm.random.seed(124)
    other = draw_all(bm.random)
    assert not all(torch.equal(x, y) for x, y in zip(first, other))


def test_same_seed_same_draws_random_state():
    a, b = RandomState(5), RandomState(5)
    assert_same(draw_all(a), draw_all(b))
    a.seed(9)
    b.seed(9)
    assert_same(draw_all(a), draw_all(b))
    assert not torch.equal(RandomState(1).rand(5), RandomState(2).rand(5))


def test_random_states_are_independent():
    bm.random.seed(0)
    expected = draw_all(bm.random)
    bm.random.seed(0)
    other = RandomState(0)
    got = []
    for name, args, kw in DRAWS:  # interleave draws from another RandomState with the same seed
        getattr(other, name)(*args, **kw)
        torch.rand(3)  # and from torch's global RNG
        got.append(getattr(bm.random, name)(*args, **kw))
    assert_same(expected, got)
    # reseeding one RandomState does not touch another
    a, b = RandomState(3), RandomState(3)
    a_first = a.rand(4)
    b.seed(77)
    b.rand(4)
    a.seed(3)
    assert torch.equal(a.rand(4), a_first)


def test_module_seed_also_seeds_torch_global_rng():
    bm.random.seed(11)
    x = torch.rand(3)
    torch.manual_seed(11)
    assert torch.equal(x, torch.rand(3))


def test_unseeded_states_differ():
    assert not torch.equal(RandomState().rand(8), RandomState().rand(8))
    assert 'seed=' in repr(RandomState(4))


def test_dtypes_devices_and_shapes():
    rs = RandomState(0)
    assert rs.rand(2, 3).shape == (2, 3) and rs.rand((2, 3)).shape == (2, 3)
    assert rs.rand().shape == () and rs.random().shape == ()
    assert rs.randn(3).dtype == torch.float32
    assert rs.normal(size=(2, 1)).shape == (2, 1)
    assert rs.uniform(size=np.int64(3)).shape == (3,)
    assert rs.randint(5, size=(2,)).dtype == torch.int64
    assert rs.randint(5, size=3, dtype=bm.int32).dtype == torch.int32
    assert rs.bernoulli(0.5, size=3).dtype == torch.bool
    assert rs.permutation(5).dtype == torch.int64
    for x in draw_all(rs):
        assert x.device == settings.default_device()
    bm.enable_x64()
    try:
        for name in ['rand', 'randn', 'random', 'uniform', 'normal', 'exponential']:
            assert getattr(rs, name)().dtype == torch.float64, name
        assert rs.truncated_normal(0., 1.).dtype == torch.float64
    finally:
        bm.disable_x64()
    assert rs.uniform(torch.zeros(2, dtype=torch.float64), 1.).dtype == torch.float64


def test_uniform_range():
    rs = RandomState(1)
    x = rs.uniform(-2., 3., size=100_000)
    assert float(x.min()) >= -2. and float(x.max()) < 3.
    assert abs(float(x.mean()) - 0.5) < 0.05
    assert float(x.min()) < -1.99 and float(x.max()) > 2.99  # the whole range is covered
    u = rs.rand(100_000)
    assert float(u.min()) >= 0. and float(u.max()) < 1.
    lo, hi = bm.asarray([0., 10.]), np.array([1., 20.])
    y = rs.uniform(lo, hi, size=(50_000, 2))
    assert bool((y >= lo).all()) and bool((y < bm.asarray(hi)).all())
    assert rs.uniform(lo, hi).shape == (2,)


def test_randint_bounds():
    rs = RandomState(2)
    x = rs.randint(3, 7, size=10_000)
    assert set(x.tolist()) == {3, 4, 5, 6}
    assert set(rs.randint(3, size=1000).tolist()) == {0, 1, 2}
    assert set(rs.randint(-2, np.int64(0), size=1000).tolist()) == {-2, -1}
    y = rs.randint(bm.asarray([0, 10]), bm.asarray([2, 13]), size=(5000, 2))
    assert set(y[:, 0].tolist()) == {0, 1} and set(y[:, 1].tolist()) == {10, 11, 12}
    with pytest.raises(ValueError, match='smaller'):
        rs.randint(5, 5)


def test_bernoulli_mean():
    rs = RandomState(3)
    x = rs.bernoulli(0.3, size=200_000)
    assert abs(float(x.float().mean()) - 0.3) < 0.01
    assert not rs.bernoulli(0., size=100).any() and rs.bernoulli(1., size=100).all()
    p = bm.asarray([0., 1., 0.5])
    y = rs.bernoulli(p, size=(20_000, 3)).float().mean(0)
    np.testing.assert_allclose(y.numpy(), [0., 1., 0.5], atol=0.02)
    assert rs.bernoulli(p).shape == (3,)


def test_normal_exponential_truncated_moments():
    rs = RandomState(4)
    x = rs.normal(2., 3., size=200_000)
    assert abs(float(x.mean()) - 2.) < 0.05 and abs(float(x.std()) - 3.) < 0.05
    z = rs.randn(200_000)
    assert abs(float(z.mean())) < 0.02 and abs(float(z.std()) - 1.) < 0.02
    e = rs.exponential(2., size=200_000)
    assert float(e.min()) >= 0. and abs(float(e.mean()) - 2.) < 0.05
    t = rs.truncated_normal(-0.5, 2., size=100_000)
    assert float(t.min()) >= -0.5 and float(t.max()) <= 2.
    assert float(t.min()) < -0.49 and float(t.max()) > 1.9
    ts = rs.truncated_normal(0., 1., size=1000, scale=3.)
    assert float(ts.min()) >= 0. and float(ts.max()) <= 3.
    loc = bm.asarray([0., 100.])
    assert abs(float(rs.normal(loc, 1., size=(1000, 2)).mean(0)[1]) - 100.) < 0.2


def test_permutation_shuffle_choice():
    rs = RandomState(5)
    p = rs.permutation(20)
    assert sorted(p.tolist()) == list(range(20)) and p.tolist() != list(range(20))
    x = bm.arange(12).reshape(4, 3)
    px = rs.permutation(x)
    assert sorted(px[:, 0].tolist()) == [0, 3, 6, 9] and px.shape == (4, 3)
    assert torch.equal(px % 3, x % 3)  # rows move whole
    py = rs.permutation(x, axis=1)
    assert sorted(py[0].tolist()) == [0, 1, 2]
    v = bm.Variable(bm.arange(10))
    s = rs.shuffle(v)
    assert torch.equal(v.value, s) and sorted(s.tolist()) == list(range(10))
    t = torch.arange(10)
    st = rs.shuffle(t)
    assert t.tolist() == list(range(10)) and sorted(st.tolist()) == list(range(10))
    c = rs.choice(5, size=(100,))
    assert set(c.tolist()) <= set(range(5)) and c.dtype == torch.int64
    assert rs.choice(5).shape == ()
    u = rs.choice(10, size=10, replace=False)
    assert sorted(u.tolist()) == list(range(10))
    w = rs.choice([1., 2., 3.], size=(2, 3))
    assert w.shape == (2, 3) and set(w.tolist()[0]) <= {1., 2., 3.}
    q = rs.choice(3, size=30_000, p=[0.1, 0.2, 0.7])
    np.testing.assert_allclose(np.bincount(q.numpy()) / 30_000, [0.1, 0.2, 0.7], atol=0.02)
    assert sorted(rs.choice(4, size=4, replace=False, p=[.1, .2, .3, .4]).tolist()) == [0, 1, 2, 3]
    with pytest.raises(ValueError, match='without replacement'):
        rs.choice(3, size=4, replace=False)
    with pytest.raises(ValueError, match='shape'):
        rs.choice(3, p=[0.5, 0.5])
    with pytest.raises(ValueError, match='at least one axis'):
        rs.permutation(bm.asarray(3.))


def test_vmap_randomness_modes():
    xs = torch.zeros(4, 3)
    bm.random.seed(0)
    diff = vmap(lambda x: x + bm.random.rand(3), randomness='different')(xs)
    assert all(not torch.equal(diff[0], diff[i]) for i in range(1, 4))
    same = vmap(lambda x: x + bm.random.normal(size=3), randomness='same')(xs)
    assert all(torch.equal(same[0], same[i]) for i in range(1, 4))
    with pytest.raises(RuntimeError, match='randomness'):
        vmap(lambda x: x + bm.random.rand(3))(xs)
    # the RandomState's generator is used inside vmap: reproducible, global RNG untouched
    state = torch.get_rng_state()
    rs = RandomState(8)
    a = vmap(lambda x: x + rs.uniform(size=3), randomness='different')(xs)
    rs.seed(8)
    b = vmap(lambda x: x + rs.uniform(size=3), randomness='different')(xs)
    assert torch.equal(a, b) and torch.equal(state, torch.get_rng_state())
    w = vmap(lambda x: x + rs.uniform(2., 3., size=3), randomness='different')(xs)
    assert bool(((w >= 2.) & (w < 3.)).all()) and not torch.equal(w[0], w[1])
    nrm = vmap(lambda x: x + rs.normal(5., 0.1, size=3), randomness='same')(xs)
    assert torch.equal(nrm[0], nrm[3]) and abs(float(nrm.mean()) - 5.) < 0.5
    # batched parameters
    lo = torch.tensor([0., 10., 20.])
    u = vmap(lambda l: rs.uniform(l, l + 1., size=2), randomness='different')(lo)
    assert u.shape == (3, 2) and bool(((u >= lo[:, None]) & (u < lo[:, None] + 1)).all())
    bern = vmap(lambda p: rs.bernoulli(p, size=5), randomness='different')(torch.tensor([0., 1.]))
    assert not bern[0].any() and bern[1].all()
    perms = vmap(lambda x: rs.permutation(x), randomness='different')(torch.arange(8.).expand(3, 8))
    assert all(sorted(p.tolist()) == list(range(8)) for p in perms)


def test_grad_through_reparameterised_draws():
    rs = RandomState(9)
    g = grad(lambda m: rs.normal(m, 2., size=5).sum())(torch.tensor(1.))
    assert g.item() == 5.
    g = grad(lambda s: rs.normal(0., s, size=(3,)).sum())(torch.tensor(1.))
    rs2 = RandomState(9)
    rs2.randn(5)  # the draw of the first grad call
    assert torch.allclose(g, rs2.randn(3).sum())
    g = grad(lambda h: rs.uniform(0., h, size=4).sum())(torch.tensor(2.))
    assert 0. <= g.item() <= 4.


# -- devices and compilation -------------------------------------------------------------

TENSOR_PARAMETER_DRAWS = {
    'uniform': lambda rs, t: rs.uniform(t, t + 1.),
    'uniform, tensor high': lambda rs, t: rs.uniform(0., t + 1.),
    'normal': lambda rs, t: rs.normal(t, 2.),
    'normal, tensor scale': lambda rs, t: rs.normal(0., t + 1.),
    'randint': lambda rs, t: rs.randint(t.long(), t.long() + 3),
    'bernoulli': lambda rs, t: rs.bernoulli(t * 0 + .5),
    'exponential': lambda rs, t: rs.exponential(t + 1.),
    'truncated_normal': lambda rs, t: rs.truncated_normal(t - 1., t + 1.),
    'truncated_normal, tensor scale': lambda rs, t: rs.truncated_normal(-1., 1., size=3, scale=t),
}


@pytest.mark.parametrize('name', list(TENSOR_PARAMETER_DRAWS))
def test_draws_go_on_the_device_of_their_tensor_parameters(name, device):
    """meta stands in for a second device: it refuses to mix with CPU tensors, as CUDA does."""
    draw = TENSOR_PARAMETER_DRAWS[name]
    targets = [device] if device.type != 'cpu' else [device, torch.device('meta')]
    for target in targets:
        t = torch.zeros(3, device=target)
        x = draw(RandomState(0), t)
        assert x.device == t.device and x.shape == (3,)
    if device.type != 'meta':
        a, b = draw(RandomState(5), torch.zeros(3, device=device)), draw(RandomState(5), torch.zeros(3, device=device))
        assert torch.equal(a, b)


def test_draws_inside_bm_jit_compile_to_one_graph_and_follow_the_seed():
    from torch._dynamo.testing import CompileCounter

    def noisy(x):
        return (x + bm.random.normal(0., 1., size=x.shape) + bm.random.uniform(-1., 1., size=x.shape)
                + bm.random.rand(*x.shape) + bm.random.bernoulli(0.5, size=x.shape).float()
                + bm.random.randint(0, 3, size=x.shape))

    counter = CompileCounter()
    f = bm.jit(noisy, backend=counter, fullgraph=True)
    x = torch.zeros(2000)
    bm.random.seed(3)
    a = f(x)
    bm.random.seed(3)
    b = f(x)
    c = f(x)
    assert counter.frame_count == 1
    assert torch.equal(a, b) and not torch.equal(b, c)
    assert abs(float(a.mean()) - (0. + 0. + .5 + .5 + 1.)) < 0.15    # the sum of the means
