"""bm.vmap, named axes, collectives and grad(reduce_axes=...), against explicit loops and sums."""

import pytest
import torch
from torch import nn

import bptorch as bp
import bptorch.math as bm
from bptorch.errors import MathError


class Model(bp.Base):
    """A small model with a TrainVar, a torch child and a state Variable."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.w = bm.TrainVar(torch.randn(3, 2) * 0.5)
        self.fc = nn.Linear(2, 1)
        self.calls = bm.Variable(torch.zeros(()))

    def loss(self, x, y):
        h = torch.tanh(x @ self.w)
        return ((self.fc(h).squeeze(-1) - y) ** 2).sum()


def loop_grads(model, xs, ys):
    """Per-example gradients of every train var, by a Python loop with torch.autograd."""
    out = {k: [] for k in model.train_vars()}
    tensors = {k: (v.value if isinstance(v, bm.Variable) else v) for k, v in model.train_vars().items()}
    for x, y in zip(xs, ys):
        model.zero_grad()
        model.loss(x, y).backward()
        for k, t in tensors.items():
            out[k].append(t.grad.clone())
    model.zero_grad()
    return {k: torch.stack(v) for k, v in out.items()}


# -- bm.vmap ----------------------------------------------------------------------

def test_vmap_matches_a_loop_with_in_and_out_axes():
    f = lambda x, y: torch.sin(x) * y  # noqa: E731
    x, y = torch.randn(4, 3), torch.randn(3)
    assert torch.allclose(bm.vmap(f, in_axes=(0, None))(x, y), torch.stack([f(r, y) for r in x]))
    out = bm.vmap(f, in_axes=(1, None), out_axes=1)(x.T.contiguous(), y)
    assert torch.allclose(out, torch.stack([f(r, y) for r in x], dim=1))
    d = bm.vmap(lambda p: p['a'] + p['b'], in_axes=({'a': 0, 'b': None},))({'a': x, 'b': y})
    assert torch.allclose(d, x + y)
    k = bm.vmap(lambda x, scale=None: x * scale)(x, scale=torch.arange(4.))
    assert torch.allclose(k, x * torch.arange(4.)[:, None])


def test_vmap_of_a_base_reads_variables_broadcast():
    m = Model()
    xs, ys = torch.randn(5, 3), torch.randn(5)
    losses = bm.vmap(m.loss)(xs, ys)
    assert torch.allclose(losses, torch.stack([m.loss(x, y) for x, y in zip(xs, ys)]))


def test_batched_vars_map_along_axis_0():
    h = bm.Variable(torch.zeros(4, 2))
    xs = torch.randn(4, 2)

    def step(x):
        h.value = h.value * 0.5 + x
        return h.value.sum()

    out = bm.vmap(step, batched_vars=h)(xs)
    assert torch.allclose(out, xs.sum(1)) and torch.allclose(h.value, xs)
    out = bm.vmap(step, batched_vars=[h])(xs)
    assert torch.allclose(h.value, 1.5 * xs)
    with pytest.raises(MathError, match=r'batched_vars holds a Variable of shape \(4, 2\).*size 3'):
        bm.vmap(step, batched_vars=h)(torch.randn(3, 2))


def test_unbatched_writes_are_kept_and_batched_ones_refused():
    count = bm.Variable(torch.zeros(()))
    last = bm.Variable(torch.zeros(2))

    def ok(x):
        count.value = count.value + 1
        return x

    bm.vmap(ok)(torch.randn(3, 2))
    assert count.value == 1   # one traced call: the per-example value is shared

    def bad(x):
        count.value = count.value + 1
        last.value = x
        return x

    with pytest.raises(MathError, match=r'Variable of shape \(2,\) was assigned a value that differs '
                                        'across the mapped axis; list it in batched_vars'):
        bm.vmap(bad)(torch.randn(3, 2))
    assert count.value == 1 and torch.equal(last.value, torch.zeros(2))


def test_randomness_and_chunk_size_pass_through():
    with pytest.raises(RuntimeError, match='randomness'):
        bm.vmap(lambda x: x + torch.rand(()))(torch.zeros(3))
    out = bm.vmap(lambda x: x + torch.rand(()), randomness='different')(torch.zeros(64))
    assert out.unique().numel() > 1
    same = bm.vmap(lambda x: x + torch.rand(()), randomness='same')(torch.zeros(4))
    assert same.unique().numel() == 1
    x = torch.randn(10, 3)
    assert torch.allclose(bm.vmap(torch.sin, chunk_size=3)(x), torch.sin(x))


def test_vmap_argument_errors():
    with pytest.raises(TypeError, match='bm.vmap: func must be callable'):
        bm.vmap(1)
    with pytest.raises(ValueError, match="randomness must be 'error', 'different' or 'same'"):
        bm.vmap(torch.sin, randomness='sometimes')
    with pytest.raises(ValueError, match='in_axes has 2 entries but the call has 1'):
        bm.vmap(torch.sin, in_axes=(0, 0))(torch.ones(2))
    with pytest.raises(TypeError, match='batched_vars must hold bm.Variable'):
        bm.vmap(torch.sin, batched_vars=[torch.ones(2)])
    with pytest.raises(TypeError, match='axis_name must be a str'):
        bm.vmap(torch.sin, axis_name=3)


# -- collectives -----------------------------------------------------------------

def test_collectives_over_one_axis():
    x = torch.tensor([1., 4., 2., 3.])
    run = lambda f: bm.vmap(f, axis_name='i')(x)  # noqa: E731
    assert torch.equal(run(lambda v: bm.psum(v, 'i')), torch.full((4,), 10.))
    assert torch.equal(run(lambda v: bm.pmean(v, 'i')), torch.full((4,), 2.5))
    assert torch.equal(run(lambda v: bm.pmax(v, 'i')), torch.full((4,), 4.))
    assert torch.equal(run(lambda v: bm.pmin(v, 'i')), torch.full((4,), 1.))
    assert torch.equal(run(lambda v: bm.psum(torch.tensor(1.), 'i') + 0 * v), torch.full((4,), 4.))
    assert torch.equal(run(lambda v: v * bm.axis_size('i')), 4 * x)
    assert run(lambda v: bm.psum({'a': v, 'b': [2 * v]}, 'i')['b'][0]).eq(20.).all()


def test_nested_axes_reduce_exactly_the_named_one():
    m = torch.arange(6.).reshape(2, 3)
    nested = lambda f: bm.vmap(bm.vmap(f, axis_name='inner'), axis_name='outer')(m)  # noqa: E731
    assert torch.equal(nested(lambda e: bm.psum(e, 'outer')), m.sum(0).expand(2, 3))
    assert torch.equal(nested(lambda e: bm.psum(e, 'inner')), m.sum(1, keepdim=True).expand(2, 3))
    assert torch.equal(nested(lambda e: bm.psum(e, ('outer', 'inner'))), torch.full((2, 3), 15.))
    assert torch.equal(nested(lambda e: e - bm.pmean(e, 'outer')), m - m.mean(0))


def test_unknown_axis_names():
    with pytest.raises(NameError, match=r"bm.psum: unbound axis name 'batch'.*active axes: \[\]"):
        bm.psum(torch.ones(2), 'batch')
    with pytest.raises(NameError, match=r"unbound axis name 'j'.*active axes: \['i'\]"):
        bm.vmap(lambda v: bm.pmean(v, 'j'), axis_name='i')(torch.ones(2))


def test_gradient_through_a_collective_is_the_gradient_of_the_total():
    # JAX's rule (psum transposes to psum): per-example grads of a batch-coupled loss
    # sum into the gradient of the total loss.
    x = torch.tensor([1., 2., 4.])
    f = lambda xi: (xi - bm.pmean(xi, 'b')) ** 2  # noqa: E731
    g = bm.vmap(bm.grad(f), axis_name='b')(x)
    total = lambda x: ((x - x.mean()) ** 2).sum()  # noqa: E731
    assert torch.allclose(g, torch.func.grad(total)(x))
    g = bm.vmap(bm.grad(lambda xi: bm.pmax(xi, 'b')), axis_name='b')(x)
    assert torch.equal(g, torch.tensor([0., 0., 3.]))


# -- per-example gradients and reduce_axes ---------------------------------------------

def test_per_example_gradients_equal_a_loop():
    m = Model()
    xs, ys = torch.randn(6, 3), torch.randn(6)
    per_example = bm.vmap(bm.grad(m.loss, grad_vars=m.train_vars()), in_axes=(0, 0))(xs, ys)
    expected = loop_grads(m, xs, ys)
    assert list(per_example) == list(expected)
    for k in expected:
        assert torch.allclose(per_example[k], expected[k], atol=1e-6), k


def test_reduce_axes_sums_unmapped_gradients():
    m = Model()
    xs, ys = torch.randn(6, 3), torch.randn(6)
    total = bm.vmap(bm.grad(m.loss, grad_vars=m.train_vars(), argnums=0, reduce_axes=('batch',)),
                    axis_name='batch')
    var_grads, arg_grads = total(xs, ys)
    expected = loop_grads(m, xs, ys)
    for k in expected:   # every example carries the total gradient of the Variables
        assert torch.allclose(var_grads[k], expected[k].sum(0).expand_as(expected[k]), atol=1e-5), k
    per_x = bm.vmap(bm.grad(m.loss, argnums=0))(xs, ys)
    assert torch.allclose(arg_grads, per_x)   # the mapped argument stays per-example
    out_none = bm.vmap(bm.grad(m.loss, grad_vars=m.w, reduce_axes=('batch',)), axis_name='batch',
                       out_axes=None)(xs, ys)
    assert torch.allclose(out_none, expected[f'{m.name}.w'].sum(0), atol=1e-5)


def test_reduce_axes_on_an_unmapped_argument_and_vector_grad():
    f = lambda x, y: ((x * y).sum()) ** 2  # noqa: E731
    xs, y = torch.randn(5, 2), torch.tensor([0.5, -1.])
    gx, gy = bm.vmap(bm.grad(f, argnums=(0, 1), reduce_axes=('batch',)), in_axes=(0, None),
                     axis_name='batch')(xs, y)
    rx, ry = torch.func.vmap(torch.func.grad(f, argnums=(0, 1)), in_dims=(0, None))(xs, y)
    assert torch.allclose(gx, rx) and torch.allclose(gy, ry.sum(0).expand_as(ry))
    w = bm.TrainVar(torch.tensor([1., 2.]))
    gv = bm.vmap(bm.vector_grad(lambda x: w * x, grad_vars=w, reduce_axes=('b',)), axis_name='b')(xs)
    assert torch.allclose(gv[0], xs.sum(0))


def test_reduce_axes_with_nested_axes():
    w = bm.TrainVar(torch.tensor([1., -1.]))
    xs = torch.randn(3, 4, 2)
    loss = lambda x: torch.sin(w * x).sum()  # noqa: E731
    per = torch.func.vmap(torch.func.vmap(torch.func.grad(lambda w_, x: torch.sin(w_ * x).sum()),
                                          in_dims=(None, 0)), in_dims=(None, 0))(w.value.detach(), xs)

    def nested(axis):
        g = bm.grad(loss, grad_vars=w, reduce_axes=(axis,))
        return bm.vmap(bm.vmap(g, axis_name='inner'), axis_name='outer')(xs)

    assert torch.allclose(nested('inner'), per.sum(1, keepdim=True).expand_as(per), atol=1e-6)
    assert torch.allclose(nested('outer'), per.sum(0, keepdim=True).expand_as(per), atol=1e-6)


def test_vmap_on_the_device(device):
    w = bm.TrainVar(torch.ones(2, device=device))
    xs = torch.randn(4, 2, device=device)
    g = bm.vmap(bm.grad(lambda x: (w * x).sum() ** 2, grad_vars=w, reduce_axes=('b',)),
                axis_name='b')(xs)
    assert g.device.type == device.type
    expected = (2 * (xs * w.value.detach()).sum(1, keepdim=True) * xs).sum(0)
    assert torch.allclose(g[0], expected)


def test_per_example_gradients_are_detached_as_eager_ones_are():
    """The loss depends on a second TrainVar (an nn.Parameter): no graph may reach the result."""
    w1, w2 = bm.TrainVar(torch.ones(2)), bm.TrainVar(torch.full((2,), 2.))
    g = bm.grad(lambda x: (w1 * w2 * x).sum() ** 2, grad_vars=w1)
    xs = torch.randn(3, 2)
    got = bm.vmap(g)(xs)
    assert not got.requires_grad
    assert torch.allclose(got, torch.stack([g(x) for x in xs]))


def test_variables_anywhere_in_the_arguments_are_mapped_as_their_values():
    x = torch.tensor([1., 2., 3.])
    v = bm.Variable(torch.tensor([10., 20., 30.]))
    assert torch.equal(bm.vmap(lambda p: p[0] + p[1])((v, x)), v.value + x)
    assert torch.equal(bm.vmap(lambda p: p['v'] * 2)({'v': v}), v.value * 2)
    assert torch.equal(bm.vmap(lambda a, b: a - b)(x, b=v), x - v.value)


def test_an_update_only_step_may_return_none():
    s = bm.Variable(torch.zeros(3, 2))
    xs = torch.randn(3, 2)

    def step(x):
        s.value = s + x

    assert bm.vmap(step, batched_vars=s)(xs) is None
    assert torch.equal(s.value, xs)
    out = bm.vmap(lambda x: (x * 2, None), out_axes=(0, None))(xs)
    assert isinstance(out, tuple) and out[1] is None and torch.equal(out[0], xs * 2)


def test_chunk_size_with_an_unbatched_write_equals_no_chunks():
    xs = torch.randn(5, 2)
    results = []
    for chunk in (None, 2):
        u = bm.Variable(torch.zeros(2))

        def f(x):
            u.value = u + 1.
            return x * u

        results.append((bm.vmap(f, chunk_size=chunk)(xs), u.value.clone()))
    assert torch.equal(results[0][0], results[1][0]) and torch.equal(results[0][1], results[1][1])
    assert torch.equal(results[1][1], torch.ones(2))


def test_chunk_size_with_a_named_axis_is_refused():
    with pytest.raises(NotImplementedError, match=r"chunk_size with axis_name is not supported.*"
                                                  r"over 'b' would reduce each chunk separately"):
        bm.vmap(lambda x: bm.psum(x, 'b'), axis_name='b', chunk_size=2)
