"""bm.grad and its family against torch.autograd / torch.func and hand-derived math."""

import functools
import math

import pytest
import torch
from torch import nn

import bptorch as bp
import bptorch.math as bm
from bptorch.errors import MathError


def ref_grad(f, *inputs):
    """Reference gradients with plain torch.autograd."""
    leaves = [x.detach().clone().requires_grad_() for x in inputs]
    out = f(*leaves)
    return torch.autograd.grad(out, leaves, allow_unused=True, materialize_grads=True)


class Example(bp.Base):
    """The seed's example."""

    def __init__(self):
        super(Example, self).__init__()
        self.x = bm.TrainVar(bm.zeros(1))
        self.y = bm.Variable(torch.rand(10))

    def __call__(self, z, v):
        t1 = self.x * self.y.sum()
        t2 = torch.tanh(z * v + t1)
        return t2.mean()


# -- the seed's examples -------------------------------------------------------------

def test_seed_grad_of_tanh():
    assert math.isclose(bm.grad(torch.tanh)(0.2).item(), 0.961043, rel_tol=1e-5)


def test_seed_example_base():
    f = Example()
    z, v = torch.randn(10), torch.randn(10)
    var_grads, (gz, gv) = bm.grad(f, grad_vars=f.x, argnums=(0, 1))(z, v)
    y = f.y.value
    rx, rz, rv = ref_grad(lambda x, z, v: torch.tanh(z * v + x * y.sum()).mean(), f.x.value, z, v)
    assert torch.allclose(var_grads, rx) and torch.allclose(gz, rz) and torch.allclose(gv, rv)
    assert var_grads.shape == (1,)


def test_seed_example_closure():
    x = bm.TrainVar(bm.zeros(1))
    y = torch.rand(10)

    def f(z, v):
        t1 = x * y.sum()
        t2 = torch.tanh(z * v + t1)
        return t2.mean()

    z, v = torch.randn(10), torch.randn(10)
    var_grads, (gz, gv) = bm.grad(f, grad_vars=x, argnums=(0, 1))(z, v)
    rx, rz, rv = ref_grad(lambda x_, z, v: torch.tanh(z * v + x_ * y.sum()).mean(), x.value, z, v)
    assert torch.allclose(var_grads, rx) and torch.allclose(gz, rz) and torch.allclose(gv, rv)


# -- return structures -------------------------------------------------------------

W0 = torch.tensor([1., -2., 3.])
X0 = torch.tensor([0.5, 0.25, -1.])


def _loss(w, x):
    return (torch.sin(w * x) * x).sum()


@pytest.mark.parametrize('has_aux', [False, True])
@pytest.mark.parametrize('return_value', [False, True])
@pytest.mark.parametrize('case', ['args', 'vars', 'both'])
def test_return_table(case, has_aux, return_value):
    w = bm.TrainVar(W0)
    aux_obj = torch.tensor(7.)

    def f(x):
        value = _loss(w.value, x)
        return (value, {'aux': aux_obj}) if has_aux else value

    kwargs = dict(has_aux=has_aux, return_value=return_value)
    if case == 'args':
        fn = bm.grad(f, **kwargs)
    elif case == 'vars':
        fn = bm.grad(f, grad_vars=w, **kwargs)
    else:
        fn = bm.grad(f, grad_vars=w, argnums=0, **kwargs)
    result = fn(X0)
    rw, rx = ref_grad(_loss, W0, X0)
    grads = {'args': rx, 'vars': rw, 'both': (rw, rx)}[case]
    expected_value = _loss(W0, X0)
    if has_aux and return_value:
        g, value, aux = result
    elif return_value:
        g, value = result
        aux = None
    elif has_aux:
        g, aux = result
        value = None
    else:
        g, value, aux = result, None, None
    assert isinstance(result, tuple) == (has_aux or return_value or case == 'both')
    if case == 'both':
        assert isinstance(g, tuple) and len(g) == 2
        assert torch.allclose(g[0], grads[0]) and torch.allclose(g[1], grads[1])
    else:
        assert isinstance(g, torch.Tensor) and torch.allclose(g, grads)
    if return_value:
        assert torch.allclose(value, expected_value)
    if has_aux:
        assert aux == {'aux': aux_obj}


def test_var_grads_mirror_grad_vars():
    a, b = bm.TrainVar(torch.tensor(2.)), bm.TrainVar(torch.tensor([1., 3.]))
    f = lambda: a * b.sum()  # noqa: E731
    assert isinstance(bm.grad(f, grad_vars=a)(), torch.Tensor)
    as_list = bm.grad(f, grad_vars=[a, b])()
    assert isinstance(as_list, tuple) and len(as_list) == 2
    assert torch.equal(as_list[0], torch.tensor(4.)) and torch.equal(as_list[1], torch.tensor([2., 2.]))
    as_tuple = bm.grad(f, grad_vars=(b,))()
    assert isinstance(as_tuple, tuple) and torch.equal(as_tuple[0], torch.tensor([2., 2.]))
    as_dict = bm.grad(f, grad_vars={'b': b, 'a': a})()
    assert type(as_dict) is dict and list(as_dict) == ['b', 'a']
    col = bm.TensorCollector(first=a, second=b)
    as_col = bm.grad(f, grad_vars=col)()
    assert type(as_col) is dict and list(as_col) == ['first', 'second']
    shared = bm.grad(f, grad_vars={'x': a, 'y': a})()
    assert torch.equal(shared['x'], shared['y'])


@pytest.mark.parametrize('empty', [[], {}, ()])
def test_empty_grad_vars_count_as_none(empty):
    g = bm.grad(lambda x: (x ** 2).sum(), grad_vars=empty)(torch.tensor([1., 2.]))
    assert torch.equal(g, torch.tensor([2., 4.]))


def test_argnums_forms():
    f = lambda a, b, c: (a * b * c).sum()  # noqa: E731
    a, b, c = torch.tensor(2.), torch.tensor(3.), torch.tensor(5.)
    assert torch.equal(bm.grad(f, argnums=1)(a, b, c), torch.tensor(10.))
    assert bm.grad(f, argnums=(2, 0))(a, b, c) == (torch.tensor(6.), torch.tensor(15.))
    assert torch.equal(bm.grad(f, argnums=-1)(a, b, c), torch.tensor(6.))
    assert bm.grad(f, argnums=[-3, -2])(a, b, c) == (torch.tensor(15.), torch.tensor(10.))


def test_argnums_errors():
    f = lambda a, b: a * b  # noqa: E731
    with pytest.raises(ValueError, match='repeats an index'):
        bm.grad(f, argnums=(0, 0))
    with pytest.raises(ValueError, match='names the same argument twice'):
        bm.grad(f, argnums=(1, -1))(1., 2.)
    with pytest.raises(TypeError, match=r'argnums=2 refers to positional argument 2, but the call had 2'):
        bm.grad(f, argnums=2)(1., 2.)
    with pytest.raises(TypeError, match='argnums=-3 refers .* had 2 positional'):
        bm.grad(f, argnums=-3)(1., 2.)
    with pytest.raises(TypeError, match='argnums must be an int or a sequence of ints'):
        bm.grad(f, argnums='0')
    with pytest.raises(TypeError, match='argnums must be an int or a sequence of ints'):
        bm.grad(f, argnums=(0, 1.5))


# -- what may be differentiated ----------------------------------------------------

def test_python_floats_and_lists_are_accepted():
    assert torch.isclose(bm.grad(lambda x: x ** 3)(2.), torch.tensor(12.))
    g = bm.grad(lambda xs: torch.stack(xs).pow(2).sum())([1., 2.])
    assert isinstance(g, list) and [t.item() for t in g] == [2., 4.]
    g = bm.grad(lambda d: d['a'] * d['b'])({'a': 2., 'b': torch.tensor(5.)})
    assert g == {'a': torch.tensor(5.), 'b': torch.tensor(2.)}


def test_func_kinds():
    class M(bp.Base):
        def __init__(self):
            super().__init__()
            self.w = bm.TrainVar(torch.tensor([1., 2.]))

        def method(self, x):
            return (self.w * x).sum()

        def __call__(self, x):
            return self.method(x)

    m = M()
    x = torch.tensor([3., 4.])
    for fn in (m, m.method, lambda x: m.method(x), functools.partial(M.method, m)):
        assert torch.equal(bm.grad(fn, grad_vars=m.w)(x), x)
        assert torch.equal(bm.grad(fn)(x), torch.tensor([1., 2.]))


def test_tutorial_linear_with_plain_tensor_attributes():
    class Linear(bp.Base):
        def __init__(self):
            super(Linear, self).__init__()
            self.w = bm.random.random((1, 10))
            self.b = bm.zeros(1)

        def update(self, x):
            return (x @ self.w.T + self.b).mean()

    l = Linear()
    x = torch.randn(5, 10)
    (gw, gb), gx = bm.grad(l.update, grad_vars=(l.w, l.b), argnums=0)(x)
    rw, rb, rx = ref_grad(lambda w, b, x: (x @ w.T + b).mean(), l.w, l.b, x)
    assert torch.allclose(gw, rw) and torch.allclose(gb, rb) and torch.allclose(gx, rx)
    assert not l.w.requires_grad and isinstance(l.w, torch.Tensor) and l._buffers['w'] is l.w
    l.double()       # plain tensor attributes move with the model (non-persistent buffers)
    assert l.w.dtype == torch.float64 and 'w' not in l.state_dict()


def test_torch_children_in_train_vars():
    class Net(bp.Base):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 2)
            self.scale = bm.TrainVar(torch.tensor(2.))

        def loss(self, x):
            return (self.fc(x) * self.scale).pow(2).mean()

    net = Net()
    x = torch.randn(4, 3)
    grads = bm.grad(net.loss, grad_vars=net.train_vars())(x)
    assert list(grads) == list(net.train_vars())
    net.zero_grad()
    net.loss(x).backward()
    for key, var in net.train_vars().items():
        tensor = var.value if isinstance(var, bm.Variable) else var
        assert torch.allclose(grads[key], tensor.grad), key
    assert isinstance(net.fc.weight, nn.Parameter)   # restored after the swap


def test_grad_vars_must_be_variables_or_held_tensors():
    w = bm.TrainVar(torch.ones(2))
    with pytest.raises(TypeError, match=r"grad_vars\[1\] is a int; expected a bm.Variable"):
        bm.grad(lambda: w.sum(), grad_vars=[w, 3])
    t = torch.ones(2)
    with pytest.raises(TypeError, match=r'grad_vars\[0\] is a tensor, but func is not an nn.Module'):
        bm.grad(lambda: t.sum(), grad_vars=[t])
    m = Example()
    stray = torch.zeros(3)
    with pytest.raises(TypeError, match=r"grad_vars\['s'\] is a tensor of shape \(3,\).*differentiated \(Example\)"):
        bm.grad(m, grad_vars={'s': stray})


def test_tensors_of_a_trainvar_resolve_to_the_variable():
    m = Example()
    params = list(m.parameters())
    g = bm.grad(m, grad_vars=params)(torch.ones(10), torch.ones(10))
    ref = bm.grad(m, grad_vars=m.x)(torch.ones(10), torch.ones(10))
    assert torch.allclose(g[0], ref)


# -- JAX's errors ------------------------------------------------------------------

def test_non_scalar_output_is_a_type_error():
    with pytest.raises(TypeError, match=r'scalar-output functions.*shape \(1,\)'):
        bm.grad(lambda x: x * 2)(torch.ones(1))


def test_tuple_without_has_aux():
    with pytest.raises(TypeError, match='returned a tuple.*pass has_aux=True'):
        bm.grad(lambda x: (x.sum(), x))(torch.ones(2))


def test_has_aux_needs_a_pair():
    with pytest.raises(TypeError, match=r'has_aux=True requires func to return a pair'):
        bm.grad(lambda x: x.sum(), has_aux=True)(torch.ones(2))
    g, aux = bm.grad(lambda x: [x.sum(), 'note'], has_aux=True)(torch.ones(2))
    assert aux == 'note' and torch.equal(g, torch.ones(2))


def test_integer_inputs_need_allow_int():
    f = lambda x, n: (x * n).sum()  # noqa: E731
    n = torch.tensor([1, 2])
    with pytest.raises(TypeError, match='dtype torch.int64.*allow_int=True'):
        bm.grad(f, argnums=(0, 1))(torch.ones(2), n)
    gx, gn = bm.grad(f, argnums=(0, 1), allow_int=True)(torch.ones(2), n)
    assert torch.equal(gx, torch.tensor([1., 2.]))
    assert gn.dtype == bm.float0 and gn.shape == (2,) and not gn.any()


def test_complex_rules():
    with pytest.raises(TypeError, match='requires a real output.*holomorphic=True'):
        bm.grad(lambda z: z ** 2)(torch.tensor(1 + 1j))
    with pytest.raises(TypeError, match='holomorphic=True requires complex inputs'):
        bm.grad(lambda x: x ** 2, holomorphic=True)(torch.tensor(1.))
    with pytest.raises(TypeError, match='holomorphic=True requires a complex output'):
        bm.grad(lambda z: (z * z.conj()).real, holomorphic=True)(torch.tensor(1 + 1j))
    with pytest.raises(TypeError, match='floating-point output'):
        bm.grad(lambda x: (x > 0).sum())(torch.ones(2))


@pytest.mark.parametrize('f, df', [(lambda z: z ** 2, lambda z: 2 * z),
                                   (torch.sin, torch.cos),
                                   (lambda z: torch.exp(z) * z, lambda z: torch.exp(z) * (z + 1))])
def test_holomorphic_gives_the_complex_derivative(f, df):
    z = torch.tensor(0.3 + 0.7j, dtype=torch.complex128)
    assert torch.allclose(bm.grad(f, holomorphic=True)(z), df(z))
    zs = torch.tensor([0.3 + 0.7j, -1 + 0.2j], dtype=torch.complex128)
    assert torch.allclose(bm.jacrev(f, holomorphic=True)(zs), torch.diag(df(zs)))
    assert torch.allclose(bm.jacfwd(f, holomorphic=True)(zs), torch.diag(df(zs)))


def test_real_function_of_complex_input_follows_jax():
    # JAX: grad(|z|^2)(z) = 2 * conj(z); torch's own convention gives 2 * z.
    z = torch.tensor(1 + 2j)
    assert torch.allclose(bm.grad(lambda z: (z * z.conj()).real)(z), 2 * z.conj())


def test_dyn_vars_without_targets_is_a_math_error():
    v = bm.Variable(torch.ones(1))
    with pytest.raises(MathError, match='dyn_vars is given but grad_vars and argnums are both None'):
        bm.grad(lambda: v.sum(), dyn_vars=v)
    with pytest.raises(TypeError, match=r'dyn_vars must hold bm.Variable objects \(or tensors\), got a str'):
        bm.grad(lambda x: x, dyn_vars=['h'], argnums=0)
    model = Example()
    model.fc = nn.Linear(2, 2)        # vars() now lists plain tensors too: accepted
    bm.grad(lambda x: x.sum(), dyn_vars=model.vars(), argnums=0)(torch.ones(2))


def test_func_must_be_callable_and_flags_bool():
    with pytest.raises(TypeError, match='bm.grad: func must be callable, got a int'):
        bm.grad(3)
    with pytest.raises(TypeError, match='has_aux must be a bool'):
        bm.grad(torch.sin, has_aux='yes')
    with pytest.raises(TypeError, match='reduce_axes must be a tuple of axis names'):
        bm.grad(torch.sin, reduce_axes='batch')


def test_reduce_axes_outside_a_named_vmap():
    with pytest.raises(NameError, match="unbound axis name 'batch'"):
        bm.grad(lambda x: x.sum(), reduce_axes=('batch',))(torch.ones(2))


# -- state ---------------------------------------------------------------------------

def test_dyn_vars_are_honoured_and_writes_are_plain_tensors():
    w = bm.TrainVar(torch.tensor([1., 2.]))
    h = bm.Variable(torch.zeros(2))

    def f(x):
        h.value = torch.tanh(w * x)
        return h.sum()

    g = bm.grad(f, grad_vars=w, dyn_vars=h)(torch.tensor([1., 1.]))
    assert torch.allclose(g, 1 - torch.tanh(torch.tensor([1., 2.])) ** 2)
    assert torch.allclose(h.value, torch.tanh(torch.tensor([1., 2.])))
    assert h.value.grad_fn is None and not h.value.requires_grad
    assert type(h.value) is torch.Tensor


def test_an_exception_leaves_every_variable_as_it_was():
    w = bm.TrainVar(torch.tensor([1., 2.]))
    h = bm.Variable(torch.zeros(2))
    storage = w.value

    def f(x):
        h.value = h.value + 1
        w.value = w.value * 10
        raise RuntimeError('boom')

    for transform in (bm.grad(f, grad_vars=w), bm.vector_grad(f, grad_vars=w),
                      bm.jacrev(f, grad_vars=w), bm.jacfwd(f, grad_vars=w)):
        with pytest.raises(RuntimeError, match='boom'):
            transform(torch.ones(2))
        assert torch.equal(h.value, torch.zeros(2)) and w.value is storage
        assert torch.equal(w.value.detach(), torch.tensor([1., 2.]))


def test_an_exception_restores_swapped_module_tensors():
    class Net(bp.Base):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 1)

        def loss(self, x):
            self.fc(x)
            raise ValueError('bad batch')

    net = Net()
    weight = net.fc.weight
    with pytest.raises(ValueError, match='bad batch'):
        bm.grad(net.loss, grad_vars=net.train_vars())(torch.ones(1, 2))
    assert net.fc.weight is weight and net.fc._parameters['weight'] is weight


def test_results_are_detached_from_torch_autograd():
    w = bm.TrainVar(torch.ones(3))
    g, value = bm.grad(lambda x: (w * x).sum(), grad_vars=w, return_value=True)(torch.ones(3))
    assert g.grad_fn is None and value.grad_fn is None and not g.requires_grad


# -- composition ---------------------------------------------------------------------

def test_grad_of_grad():
    assert torch.isclose(bm.grad(bm.grad(lambda x: x ** 3))(2.), torch.tensor(12.))
    assert torch.isclose(bm.grad(bm.grad(bm.grad(torch.sin)))(0.5), -torch.cos(torch.tensor(0.5)))


def test_grad_of_grad_through_variables():
    w = bm.TrainVar(torch.tensor(1.5))
    x = torch.tensor(2.)
    f = lambda: torch.sin(w * x)  # noqa: E731
    d2 = bm.grad(bm.grad(f, grad_vars=w), grad_vars=w)()
    assert torch.isclose(d2, -x ** 2 * torch.sin(w.value * x))
    mixed = bm.grad(lambda x: bm.grad(lambda: torch.sin(w * x), grad_vars=w)(), argnums=0)(x)
    assert torch.isclose(mixed, torch.cos(w.value * x) - w.value * x * torch.sin(w.value * x))


def test_nested_closure_is_a_constant_for_the_inner_grad():
    # d/dx [x * d/dy (x * y)] = d/dx [x * x] = 2x: the inner x is a constant.
    g = bm.grad(lambda x: x * bm.grad(lambda y: x * y)(3.))(2.)
    assert torch.isclose(g, torch.tensor(4.))


def test_torch_func_composes_with_bm_grad():
    w = bm.TrainVar(torch.tensor([1., -1.]))
    per_example = torch.func.vmap(bm.grad(lambda x: torch.sin(w * x).sum(), grad_vars=w))
    xs = torch.randn(5, 2)
    expected = torch.stack([xs[i] * torch.cos(w.value.detach() * xs[i]) for i in range(5)])
    assert torch.allclose(per_example(xs), expected)
    outer = torch.func.grad(lambda x: bm.grad(lambda y: (y ** 3).sum())(x).sum())
    assert torch.allclose(outer(torch.tensor([1., 2.])), torch.tensor([6., 12.]))


def test_vector_grad():
    x = torch.tensor([1., 2., 3.])
    assert torch.equal(bm.vector_grad(lambda x: x ** 2)(x), 2 * x)
    w = bm.TrainVar(torch.tensor([2., 3.]))
    (gw, gx), value = bm.vector_grad(lambda x: torch.outer(w.value, x), grad_vars=w, argnums=0,
                                     return_value=True)(x)
    assert torch.equal(gw, x.sum().repeat(2)) and torch.equal(gx, w.value.detach().sum().repeat(3))
    assert value.shape == (2, 3)
    g, aux = bm.vector_grad(lambda x: (x.sin(), 'aux'), has_aux=True)(x)
    assert aux == 'aux' and torch.allclose(g, x.cos())
    g = bm.vector_grad(lambda x: (x ** 2, x.sum()))(x)
    assert torch.allclose(g, 2 * x + 1)


def test_jacobians_against_torch_func():
    f = lambda x, y: torch.stack([x.sum() * y[0], (x ** 2).prod() + y[1]])  # noqa: E731
    x, y = torch.tensor([1., 2., 3.]), torch.tensor([0.5, -1.])
    for ours, ref in ((bm.jacrev, torch.func.jacrev), (bm.jacfwd, torch.func.jacfwd),
                      (bm.jacobian, torch.func.jacrev)):
        jx, jy = ours(f, argnums=(0, 1))(x, y)
        rx, ry = ref(f, argnums=(0, 1))(x, y)
        assert torch.allclose(jx, rx) and torch.allclose(jy, ry)
        assert torch.allclose(ours(f)(x, y), ref(f)(x, y))


def test_jacobian_with_variables_and_tuple_outputs():
    w = bm.TrainVar(torch.tensor([1., 2.]))
    f = lambda x: (w * x, (w * x).sum())  # noqa: E731
    x = torch.tensor([3., 4.])
    for jac in (bm.jacrev, bm.jacfwd):
        (jw0, jx0), (jw1, jx1) = jac(f, grad_vars=w, argnums=0)(x)
        assert torch.allclose(jw0, torch.diag(x)) and torch.allclose(jx0, torch.diag(w.value.detach()))
        assert torch.allclose(jw1, x) and torch.allclose(jx1, w.value.detach())
        j, value, aux = jac(lambda x: (w * x, 'a'), grad_vars={'w': w}, has_aux=True,
                            return_value=True)(x)
        assert list(j) == ['w'] and torch.allclose(j['w'], torch.diag(x)) and aux == 'a'
        assert torch.allclose(value, w.value.detach() * x)


def test_hessian_of_a_base():
    class Energy(bp.Base):
        def __init__(self):
            super().__init__()
            self.k = bm.TrainVar(torch.tensor([1., 2.]))

        def __call__(self, x):
            return (self.k * x ** 3).sum() + (x[0] * x[1]) ** 2

    e = Energy()
    x = torch.tensor([0.5, -1.5])
    h = bm.hessian(e)(x)
    ref = torch.autograd.functional.hessian(lambda x: e(x), x)
    assert torch.allclose(h, ref)
    h, g = bm.hessian(e, return_value=True)(x)
    assert torch.allclose(g, torch.func.grad(lambda x: e(x))(x))
    hv = bm.hessian(e, grad_vars=e.k)(x)
    assert torch.allclose(hv, torch.zeros(2, 2))
    (hkk, hkx), (hxk, hxx) = bm.hessian(e, grad_vars=e.k, argnums=0)(x)
    assert torch.allclose(hkx, torch.diag(3 * x ** 2)) and torch.allclose(hxk, hkx.T)
    assert torch.allclose(hxx, ref)


def test_gradients_land_on_the_device(device):
    w = bm.TrainVar(torch.ones(3, device=device))
    x = torch.arange(3., device=device)
    g, gx = bm.grad(lambda x: (w * x).sum(), grad_vars=w, argnums=0)(x)
    assert g.device.type == device.type and gx.device.type == device.type
    assert torch.equal(g.cpu(), torch.arange(3.))
    j = bm.jacrev(lambda x: w * x, grad_vars=w)(x)
    assert j.device.type == device.type


def test_train_vars_of_a_model_work_with_a_plain_function():
    class Net(bp.Base):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 1)

    net = Net()
    x = torch.randn(5, 3)
    loss = lambda x: net.fc(x).pow(2).mean()  # noqa: E731  (a lambda, not a method of net)
    grads = bm.grad(loss, grad_vars=net.train_vars())(x)
    net.zero_grad()
    loss(x).backward()
    assert torch.allclose(grads[f'{net.name}.fc.weight'], net.fc.weight.grad)
    subset = net.train_vars().subset(torch.Tensor)          # derived collectors keep the owner
    assert list(bm.grad(loss, grad_vars=subset)(x)) == list(subset)


# -- scalars in forward mode -----------------------------------------------------------------

def test_jacfwd_and_hessian_of_scalar_functions():
    """0-d inputs and outputs (jacrev handled them; jacfwd and hessian crashed)."""
    assert torch.isclose(bm.jacfwd(bm.tanh)(0.2), 1 - torch.tanh(torch.tensor(0.2)) ** 2)
    assert bm.jacfwd(bm.tanh)(0.2).shape == ()
    assert torch.equal(bm.hessian(lambda x: x ** 3)(2.), torch.tensor(12.))
    a, b = bm.TrainVar(torch.tensor([1., 2.])), bm.TrainVar(torch.tensor(3.))
    h = bm.hessian(lambda: (a ** 2).sum() * b, grad_vars={'a': a, 'b': b})()
    assert set(h) == {'a', 'b'} and set(h['b']) == {'a', 'b'}
    assert torch.equal(h['b']['b'], torch.tensor(0.)) and torch.equal(h['b']['a'], 2 * a.value)
    assert torch.equal(h['a']['a'], 2 * b.value * torch.eye(2)) and torch.equal(h['a']['b'], 2 * a.value)


# -- grad_vars structures ---------------------------------------------------------------------

def test_var_grads_mirror_nested_grad_vars():
    """Every level mirrors: dicts and collectors give dicts, lists and tuples give tuples."""
    w, u = bm.TrainVar(torch.ones(2)), bm.TrainVar(torch.full((2,), 2.))
    x = torch.tensor([1., 3.])
    gw, gu = u.value * x, w.value * x           # d/dw and d/du of (w * u * x).sum()

    def grads(grad_vars):
        return bm.grad(lambda x: (w * u * x).sum(), grad_vars=grad_vars)(x)

    def same(a, b):
        if isinstance(b, torch.Tensor):
            return isinstance(a, torch.Tensor) and torch.equal(a, b)
        return type(a) is type(b) and len(a) == len(b) and (
            all(k in a and same(a[k], v) for k, v in b.items()) if isinstance(b, dict)
            else all(same(p, q) for p, q in zip(a, b)))

    assert same(grads([{'w': w}, {'u': u}]), ({'w': gw}, {'u': gu}))
    assert same(grads([[w], [u]]), ((gw,), (gu,)))
    assert same(grads({'a': [w], 'b': (u,)}), {'a': (gw,), 'b': (gu,)})
    assert same(grads([[w, u]]), ((gw, gu),))
    assert same(grads([w, [u]]), (gw, (gu,)))
    assert same(grads({'a': {'w': w}}), {'a': {'w': gw}})
    assert same(grads([bm.TensorCollector(w=w), bm.TensorCollector(u=u)]), ({'w': gw}, {'u': gu}))
    assert same(grads({'c': bm.TensorCollector(w=w, u=u)}), {'c': {'w': gw, 'u': gu}})
    assert same(grads([w, w]), (gw, gw))


class _Encoder(bp.Base):
    def __init__(self, seed):
        super().__init__()
        torch.manual_seed(seed)
        self.fc = nn.Linear(2, 2)

    def __call__(self, x):
        return torch.tanh(self.fc(x))


@pytest.mark.parametrize('combine', ['collector +', 'dict merge', 'list of collectors'])
def test_grad_vars_from_two_models_with_torch_layers(combine):
    """A lambda over two models: their nn parameters are found through both owners
    (or, for a plain dict, through the modules the lambda names)."""
    enc, dec = _Encoder(0), _Encoder(1)
    x = torch.tensor([0.5, -1.])
    loss = lambda x: dec(enc(x)).pow(2).sum()
    a, b = enc.train_vars(), dec.train_vars()
    grad_vars = {'collector +': a + b, 'dict merge': {**a, **b}, 'list of collectors': [a, b]}[combine]
    got = bm.grad(loss, grad_vars=grad_vars)(x)
    params = [enc.fc.weight, enc.fc.bias, dec.fc.weight, dec.fc.bias]
    expected = torch.autograd.grad(loss(x), params)
    flat = list(got.values()) if isinstance(got, dict) else [*got[0].values(), *got[1].values()]
    assert all(torch.allclose(g, e) for g, e in zip(flat, expected)) and len(flat) == 4
    assert all(p.grad is None for p in params)


def test_sum_of_collectors_keeps_both_owners():
    enc, dec = _Encoder(0), _Encoder(1)
    both = enc.train_vars() + dec.train_vars()
    assert [o is m for o, m in zip(both.owners, (enc, dec))] == [True, True]
    assert (enc.train_vars() + {}).owners[0] is enc and len((both - [next(iter(both))]).owners) == 2
    x = torch.tensor([0.5, -1.])
    # a function that names neither model: only the owners say where the tensors live
    models = {'pair': (enc, dec)}
    loss = lambda x: models['pair'][1](models['pair'][0](x)).sum()
    got = bm.grad(loss, grad_vars=both)(x)
    expected = torch.autograd.grad(loss(x), [enc.fc.weight, enc.fc.bias, dec.fc.weight, dec.fc.bias])
    assert all(torch.allclose(g, e) for g, e in zip(got.values(), expected))
