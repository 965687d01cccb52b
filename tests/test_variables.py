"""Variables behave like the tensors they hold, and guard their shape and dtype."""

import operator

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import bptorch.math as bm
from bptorch.errors import MathError


# -- construction ------------------------------------------------------------

@pytest.mark.parametrize('data, dtype', [
    ([1., 2.], torch.float32), (3, torch.int64), (2.5, torch.float32),
    (np.arange(3.), torch.float32), (np.arange(3, dtype=np.int32), torch.int32),
    (torch.ones(2, dtype=torch.float64), torch.float64),
])
def test_variable_from_array_like(data, dtype):
    v = bm.Variable(data)
    assert isinstance(v.value, torch.Tensor) and v.dtype == dtype
    np.testing.assert_allclose(v.numpy(), np.asarray(data, dtype=v.numpy().dtype))


def test_variable_copies_its_input():
    source = torch.zeros(3)
    v = bm.Variable(source)
    v.value = torch.ones(3)
    assert source.sum() == 0
    w = bm.Variable(v)
    v += 1
    assert torch.equal(w.value, torch.ones(3)) and torch.equal(v.value, 2 * torch.ones(3))


def test_dtype_argument_converts():
    assert bm.Variable([1, 2], dtype=torch.float64).dtype == torch.float64


def test_trainvar_holds_a_parameter_and_parameter_does_not():
    w = bm.TrainVar(bm.ones(2))
    assert isinstance(w.value, torch.nn.Parameter) and w.value.requires_grad
    p = bm.Parameter(bm.ones(2))
    assert not p.value.requires_grad and not isinstance(p.value, torch.nn.Parameter)
    assert isinstance(w, bm.Variable) and isinstance(p, bm.Variable)


def test_trainvar_refuses_integers():
    with pytest.raises(TypeError, match='floating point or complex.*int64'):
        bm.TrainVar([1, 2])


# -- assignment ---------------------------------------------------------------

def test_assignment_keeps_the_tensor_object():
    v = bm.TrainVar(bm.zeros(3))
    storage = v.value
    v.value = torch.arange(3.)
    v.update(torch.ones(3))
    v[0] = 5.
    v += 1
    assert v.value is storage
    assert torch.equal(storage.detach(), torch.tensor([6., 2., 2.]))


def test_assignment_refuses_another_shape():
    v = bm.Variable(bm.zeros(3))
    with pytest.raises(MathError, match=r'shape \(4,\) but the Variable has shape \(3,\)'):
        v.value = bm.zeros(4)
    with pytest.raises(MathError, match=r'shape \(\) but the Variable has shape \(3,\)'):
        v.value = 1.
    assert torch.equal(v.value, torch.zeros(3))


def test_assignment_refuses_another_dtype():
    v = bm.Variable(bm.zeros(3))
    with pytest.raises(MathError, match='dtype torch.float64 but the Variable has dtype torch.float32'):
        v.value = torch.zeros(3, dtype=torch.float64)
    with pytest.raises(MathError, match='dtype torch.int64'):
        v.update(np.zeros(3, dtype=np.int64))     # NumPy data keeps its dtype
    assert torch.equal(v.value, torch.zeros(3))


def test_assignment_refuses_another_device():
    v = bm.Variable(bm.zeros(2))
    with pytest.raises(MathError, match='device meta but the Variable is on device cpu'):
        v.value = torch.empty(2, device='meta')


def test_python_data_takes_the_variables_dtype():
    v = bm.Variable(bm.zeros(2))
    v.value = [1, 2]
    assert v.dtype == torch.float32 and torch.equal(v.value, torch.tensor([1., 2.]))
    i = bm.Variable([0, 0])
    with pytest.raises(MathError, match='dtype'):
        i.value = [1.5, 2.5]


def test_self_overlapping_assignment():
    v = bm.Variable(torch.arange(4.).reshape(2, 2))
    v.value = v.value.T
    assert torch.equal(v.value, torch.tensor([[0., 2.], [1., 3.]]))


def test_assignment_outside_transforms_keeps_no_graph():
    w = bm.TrainVar(bm.ones(3))
    s = bm.Variable(bm.zeros(3))
    for _ in range(5):
        s.value = s.value + w * 2
    assert s.value.grad_fn is None and not s.value.requires_grad
    assert torch.equal(s.value, torch.full((3,), 10.))


# -- the tensor protocol ---------------------------------------------------------

BINARY = [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv,
          operator.mod, operator.pow, operator.lt, operator.le, operator.gt, operator.ge,
          operator.eq, operator.ne]


@pytest.mark.parametrize('op', BINARY, ids=lambda o: o.__name__)
def test_binary_operators_match_tensors(op):
    a, b = torch.tensor([1.5, 2., 3.]), torch.tensor([2., 0.5, 3.])
    va, vb = bm.Variable(a), bm.Variable(b)
    expected = op(a, b)
    for left, right in ((va, vb), (va, b), (a, vb), (va, 2.), (2., vb)):
        left_t = a if left is va else left
        right_t = b if right is vb else right
        assert torch.equal(op(left, right), op(left_t, right_t))
    assert torch.equal(op(va, vb), expected)


@pytest.mark.parametrize('op', [operator.and_, operator.or_, operator.xor, operator.lshift,
                                operator.rshift], ids=lambda o: o.__name__)
def test_integer_operators(op):
    a, b = torch.tensor([1, 6, 3]), torch.tensor([3, 1, 2])
    assert torch.equal(op(bm.Variable(a), b), op(a, b))
    assert torch.equal(op(a, bm.Variable(b)), op(a, b))


def test_matmul_and_unary():
    m = torch.arange(6.).reshape(2, 3)
    v = bm.Variable(m)
    assert torch.equal(v @ torch.ones(3), m @ torch.ones(3))
    assert torch.equal(torch.ones(2) @ v, torch.ones(2) @ m)
    assert torch.equal(-v, -m) and torch.equal(+v, m) and torch.equal(abs(-v), m)
    assert torch.equal(~bm.Variable(torch.tensor([True, False])), torch.tensor([False, True]))


@pytest.mark.parametrize('name, op, other', [
    ('iadd', operator.iadd, 2.), ('isub', operator.isub, 1.), ('imul', operator.imul, 3.),
    ('itruediv', operator.itruediv, 2.), ('ipow', operator.ipow, 2.),
    ('ifloordiv', operator.ifloordiv, 2.), ('imod', operator.imod, 2.),
])
def test_inplace_operators_update_the_variable(name, op, other):
    base = torch.tensor([1., 2., 5.])
    v = bm.Variable(base)
    before = v.value
    result = op(v, other)
    assert result is v and torch.equal(before, base)   # a value read before stays as it was
    assert torch.equal(v.value, op(base.clone(), other))


def test_inplace_operator_casts_like_torch_but_refuses_float_into_int():
    v = bm.Variable(bm.zeros(2))
    v += torch.ones(2, dtype=torch.float64)          # same kind: cast, as tensor.add_ does
    assert v.dtype == torch.float32 and torch.equal(v.value, torch.ones(2))
    i = bm.Variable([1, 2])
    with pytest.raises(MathError, match='__iadd__.*dtype'):
        i += 0.5
    assert torch.equal(i.value, torch.tensor([1, 2]))


def test_indexing_and_item_assignment():
    v = bm.Variable(torch.arange(6.).reshape(2, 3))
    assert torch.equal(v[0], torch.tensor([0., 1., 2.]))
    assert torch.equal(v[:, bm.Variable(torch.tensor([0, 2]))], torch.tensor([[0., 2.], [3., 5.]]))
    v[1:] = 0
    v[0, 0] = bm.Variable(torch.tensor(9.))
    assert torch.equal(v.value, torch.tensor([[9., 1., 2.], [0., 0., 0.]]))


def test_torch_functions_accept_variables():
    v = bm.Variable(torch.tensor([[1., -2.], [3., 4.]]))
    w = bm.TrainVar(torch.eye(2))
    assert torch.equal(torch.tanh(v), torch.tanh(v.value))
    assert torch.equal(torch.stack([v, v]), torch.stack([v.value, v.value]))
    assert torch.equal(torch.cat((v, torch.ones(1, 2))), torch.cat((v.value, torch.ones(1, 2))))
    assert torch.equal(F.linear(torch.ones(3, 2), w), torch.ones(3, 2))
    assert torch.equal(F.relu(v), torch.relu(v.value))
    assert torch.equal(torch.where(v > 0, v, 0.), torch.tensor([[1., 0.], [3., 4.]]))
    assert torch.equal(v.sum(dim=0), torch.tensor([4., 2.]))
    assert v.reshape(4).shape == (4,)


def test_properties_and_conversions():
    v = bm.Variable(torch.arange(6.).reshape(2, 3))
    assert v.shape == (2, 3) and v.dtype == torch.float32 and v.device.type == 'cpu'
    assert v.ndim == 2 and v.T.shape == (3, 2) and len(v) == 2
    assert [row.tolist() for row in v] == [[0., 1., 2.], [3., 4., 5.]]
    assert np.array_equal(np.asarray(v), np.arange(6.).reshape(2, 3))
    assert v.tolist() == [[0., 1., 2.], [3., 4., 5.]]
    s = bm.Variable(3)
    assert int(s) == 3 and float(s) == 3. and bool(s) and ['a', 'b', 'c', 'd'][s] == 'd'
    assert f'{bm.Variable(torch.tensor(0.5)):.2f}' == '0.50'
    assert v.astype(torch.int32).dtype == torch.int32
    assert 4. in v


def test_numpy_of_a_trainvar_is_detached():
    w = bm.TrainVar(bm.ones(2))
    assert np.array_equal(w.numpy(), np.ones(2, dtype=np.float32))


def test_repr_names_the_kind():
    assert repr(bm.Variable(bm.zeros(2))) == 'Variable(tensor([0., 0.]))'
    assert repr(bm.TrainVar(bm.ones(1))) == 'TrainVar(tensor([1.]))'


def test_identity_hash():
    a, b = bm.Variable(bm.zeros(1)), bm.Variable(bm.zeros(1))
    assert len({a, b, a}) == 2 and {a: 1}[a] == 1


def test_asarray_stacks_tensors_and_keeps_gradients():
    def f(x):
        return bm.asarray([x[0] * 2, x[1] ** 2, torch.tensor(1.)]).sum()
    x = torch.tensor([1., 3.])
    assert torch.equal(torch.func.grad(f)(x), torch.tensor([2., 6.]))
    assert torch.equal(bm.asarray([[torch.tensor(1.), 2], [3, 4]]), torch.tensor([[1., 2.], [3., 4.]]))


def test_cuda_variable(device):
    v = bm.Variable(torch.zeros(2, device=device))
    v += 1
    assert v.device.type == device.type and torch.equal(v.value.cpu(), torch.ones(2))


# -- in-place tensor methods -------------------------------------------------------------------

def test_in_place_methods_outside_transforms_are_assignments_without_a_graph():
    v = bm.Variable(torch.zeros(3))
    x = torch.ones(3, requires_grad=True)
    assert v.add_(x * 2) is v and v.mul_(3) is v
    assert torch.equal(v.value, torch.full((3,), 6.))
    assert not v.value.requires_grad and v.value.grad_fn is None
    old = v.value
    v.add_(1.)                               # a value read before stays as it was
    assert torch.equal(old, torch.full((3,), 6.)) and torch.equal(v.value, torch.full((3,), 7.))
    v.fill_(1.5).clamp_(max=1.)
    assert torch.equal(v.value, torch.ones(3))
    w = bm.TrainVar(torch.zeros(2))
    param = w.value
    w.sub_(torch.ones(2))                    # an optimizer-style update of a parameter
    assert w.value is param and torch.equal(w.value, -torch.ones(2))


def test_in_place_methods_inside_a_transform_are_assignments():
    v = bm.Variable(torch.zeros(3))
    x = torch.tensor([1., 2., 3.])

    def f(x):
        v.add_(x)                            # v = x
        return (v * x).sum()                 # so f = sum(x ** 2)

    assert torch.equal(bm.grad(f)(x), 2 * x)
    assert torch.equal(v.value, x) and not v.value.requires_grad

    def boom(x):
        v.mul_(x)
        raise ValueError('boom')

    with pytest.raises(ValueError, match='boom'):
        bm.grad(boom)(x)
    assert torch.equal(v.value, x)           # exactly what it held before


def test_in_place_methods_that_change_the_shape_are_refused_and_change_nothing():
    v = bm.Variable(torch.zeros(3))
    store = v._value
    with pytest.raises(bm.MathError, match=r'Variable\.unsqueeze_: the new value has shape \(1, 3\)'):
        v.unsqueeze_(0)
    assert v._value is store and v.shape == (3,)


def test_in_place_methods_under_jit_equal_eager():
    def make():
        v = bm.Variable(torch.zeros(3))

        def step(x):
            v.add_(x).mul_(2.)
            return v.value.sum()
        return v, step

    (v1, eager), (v2, step) = make(), make()
    jitted = bm.jit(step, backend='eager', fullgraph=True)
    for x in torch.randn(3, 3):
        assert torch.allclose(eager(x), jitted(x)) and torch.allclose(v1.value, v2.value)


def test_a_value_read_before_an_assignment_keeps_its_data():
    """SPEC 2: a Variable has BrainPy's value semantics; a TrainVar's parameter stays in place."""
    v = bm.Variable(torch.tensor([.5, .9]))
    held = v.value
    v.value = v.value + .2
    v += 1.
    v[0] = 0.
    v.update(v.value * 2)
    assert torch.equal(held, torch.tensor([.5, .9]))
    assert torch.allclose(v.value, torch.tensor([0., 4.2]))
    w = bm.TrainVar(torch.tensor([.5, .9]))
    param = w.value
    w.value = w.value + 1.
    w[0] = 0.
    assert w.value is param and torch.allclose(param.detach(), torch.tensor([0., 1.9]))


def test_a_monitor_of_values_records_every_step():
    """BrainPy code appends ``v.value`` each step (monitors, loss curves)."""
    v = bm.Variable(torch.zeros(2))
    history = []
    for _ in range(3):
        v.value = v.value + 1.
        history.append(v.value)
    assert [h.tolist() for h in history] == [[1., 1.], [2., 2.], [3., 3.]]


def test_spike_detection_compares_the_old_and_the_new_value():
    V = bm.Variable(torch.tensor([0.5, 0.9, 1.2]))
    V_old = V.value
    V.value = V.value + 0.2
    spike = (V_old < 1.) & (V.value >= 1.)
    assert spike.tolist() == [False, True, False]


def test_a_delay_line_shifts_by_item_assignment():
    """``v[1:] = v[:-1]`` overlaps; with value semantics it shifts, as in BrainPy."""
    v = bm.Variable(torch.arange(5.))
    v[1:] = v[:-1]
    assert v.value.tolist() == [0., 0., 1., 2., 3.]
    w = bm.TrainVar(torch.arange(5.))
    w[1:] = w[:-1].clone()
    assert w.value.tolist() == [0., 0., 1., 2., 3.]


def test_assignment_takes_a_parameters_values_not_its_memory():
    """A plain Variable assigned a TrainVar's tensor copies it: the parameter changes in place."""
    w = bm.TrainVar(torch.ones(2))
    v = bm.Variable(torch.zeros(2))
    v.value = w.value
    v2 = bm.Variable(torch.zeros(1))
    v2.value = w.value[:1]
    with torch.no_grad():
        w.value.add_(1.)
    assert v.value.tolist() == [1., 1.] and v2.value.tolist() == [1.]
    assert not v.value.requires_grad
