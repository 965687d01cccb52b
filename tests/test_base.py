"""bp.Base: naming, finding Variables and nodes, and living inside torch."""

import gc

import numpy as np
import pytest
import torch
from torch import nn

import bptorch as bp
import bptorch.math as bm
from bptorch.errors import BrainPyError, StateLoadError, UniqueNameError


class Example(bp.Base):
    """The seed's example model."""

    def __init__(self, name=None):
        super(Example, self).__init__(name=name)
        self.x = bm.TrainVar(bm.zeros(1))
        self.y = bm.Variable(torch.rand(10))

    def __call__(self, z, v):
        t1 = self.x * self.y.sum()
        t2 = torch.tanh(z * v + t1)
        return t2.mean()


class Outer(bp.Base):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.w = bm.TrainVar(torch.ones(2))
        self.inner = Example()
        self.fc = nn.Linear(2, 3)
        self.norm = nn.BatchNorm1d(3)
        self.layers = nn.ModuleList([Example(), Example()])


# -- naming ---------------------------------------------------------------------

def test_unnamed_objects_get_class_names_with_counters():
    a, b = Example(), Example()
    assert a.name.startswith('Example') and b.name.startswith('Example') and a.name != b.name
    assert int(b.name[len('Example'):]) > int(a.name[len('Example'):])


def test_a_name_used_twice_is_refused_while_its_owner_lives():
    a = Example(name='unique_one')
    with pytest.raises(UniqueNameError, match="'unique_one' is already used by a live Example"):
        Example(name='unique_one')
    del a
    gc.collect()
    assert Example(name='unique_one').name == 'unique_one'


def test_invalid_names_are_refused():
    with pytest.raises(BrainPyError, match='not a valid Python identifier'):
        Example(name='2fast')


# -- finding Variables and nodes ------------------------------------------------

def test_seed_example_lists_paths():
    m = Example()
    assert list(m.vars()) == [f'{m.name}.x', f'{m.name}.y']
    assert list(m.train_vars()) == [f'{m.name}.x']
    assert m.vars()[f'{m.name}.x'] is m.x
    assert list(m.vars('relative')) == ['x', 'y']
    assert list(m.nodes()) == [m.name] and m.nodes()[m.name] is m


def test_nested_paths_absolute_and_relative():
    m = Outer()
    e0, e1 = m.layers[0], m.layers[1]
    assert list(m.nodes()) == [m.name, m.inner.name, e0.name, e1.name]
    assert list(m.nodes('relative')) == ['', 'inner', 'layers.0', 'layers.1']
    rel = m.vars('relative')
    assert list(rel) == ['w', 'fc.weight', 'fc.bias', 'norm.weight', 'norm.bias',
                         'norm.running_mean', 'norm.running_var', 'norm.num_batches_tracked',
                         'inner.x', 'inner.y', 'layers.0.x', 'layers.0.y', 'layers.1.x', 'layers.1.y']
    assert rel['fc.weight'] is m.fc.weight and rel['inner.x'] is m.inner.x
    absolute = m.vars()
    assert f'{m.name}.fc.weight' in absolute and f'{e1.name}.y' in absolute
    assert list(m.train_vars('relative')) == ['w', 'fc.weight', 'fc.bias', 'norm.weight',
                                              'norm.bias', 'inner.x', 'layers.0.x', 'layers.1.x']


def test_level_and_include_self():
    m = Outer()
    assert list(m.vars('relative', level=0)) == ['w', 'fc.weight', 'fc.bias', 'norm.weight',
                                                 'norm.bias', 'norm.running_mean',
                                                 'norm.running_var', 'norm.num_batches_tracked']
    assert 'w' not in m.vars('relative', include_self=False)
    assert 'inner.x' in m.vars('relative', include_self=False)
    assert list(m.nodes(level=0)) == [m.name]
    assert list(m.nodes(include_self=False))[0] == m.inner.name


def test_unknown_method_and_bad_level():
    m = Example()
    with pytest.raises(ValueError, match="method must be 'absolute' or 'relative', got 'global'"):
        m.vars(method='global')
    with pytest.raises(TypeError, match='level must be an int'):
        m.nodes(level='1')


def test_shared_child_is_listed_once_by_name():
    shared = Example()

    class Two(bp.Base):
        def __init__(self):
            super().__init__()
            self.a = shared
            self.b = shared

    t = Two()
    assert list(t.nodes()) == [t.name, shared.name]
    assert len(t.vars().unique()) == 2


def test_implicit_vars_and_nodes():
    class Pool(bp.Base):
        def __init__(self):
            super().__init__()
            self.items = [bm.Variable(bm.zeros(1)), bm.TrainVar(bm.ones(1))]
            self.register_implicit_vars(self.items, extra=bm.Variable(bm.zeros(2)))
            self.children_ = [Example(), Example()]
            self.register_implicit_nodes(self.children_, named=Example())

    p = Pool()
    rel = p.vars('relative')
    assert list(rel)[:3] == ['var0', 'var1', 'extra']
    assert rel['var1'] is p.items[1]
    c0 = p.children_[0]
    assert f'{c0.name}.x' in rel and 'named.x' in rel
    assert list(p.train_vars('relative'))[0] == 'var1'
    assert any(t is p.items[1].value for t in p.parameters())
    with pytest.raises(TypeError, match="'var3' must be a bm.Variable"):
        p.register_implicit_vars([torch.zeros(1)])


def test_variable_before_init_is_a_clear_error():
    class Bad(bp.Base):
        def __init__(self):
            self.x = bm.Variable(bm.zeros(1))
            super().__init__()

    with pytest.raises(AttributeError, match='call super\\(\\).__init__\\(\\) first'):
        Bad()


def test_replacing_or_deleting_a_variable_attribute_unregisters_it():
    m = Example()
    m.y = torch.zeros(3)
    assert 'y' not in m.state_dict() and list(m.vars('relative')) == ['x']
    m.z = bm.Variable(bm.zeros(2))
    del m.z
    assert 'z' not in m.state_dict() and not hasattr(m, 'z')


# -- collectors ----------------------------------------------------------------

def test_collector_operations():
    a, b, c = bm.Variable(bm.zeros(1)), bm.TrainVar(bm.ones(2)), bm.Variable(bm.ones(1))
    col = bm.TensorCollector({'a': a, 'b': b})
    assert list(col + {'c': c}) == ['a', 'b', 'c']
    assert list(col - {'a': a}) == ['b'] and list(col - ['b']) == ['a']
    with pytest.raises(ValueError, match="cannot remove 'a', it holds a different object"):
        col - {'a': c}
    with pytest.raises(KeyError, match="cannot remove 'z'"):
        col - ['z']
    col.update({'c': c, 'a2': a})
    assert list(col.unique()) == ['a', 'b', 'c']
    assert list(col.subset(bm.TrainVar)) == ['b']
    assert [t.shape for t in col.data()] == [(1,), (2,), (1,), (1,)]
    assert torch.equal(col.dict()['b'], torch.ones(2))
    with pytest.raises(ValueError, match="key 'a' already holds a different object"):
        col['a'] = c
    with pytest.raises(TypeError, match="'n' must map to a Variable or a tensor"):
        col['n'] = 3
    plain = bm.Collector()
    plain.update([a, b])
    assert list(plain) == ['_var0', '_var1']


def test_collector_assign_checks_everything_first():
    a, b = bm.Variable(bm.zeros(2)), bm.Variable(bm.zeros(3))
    col = bm.TensorCollector(a=a, b=b)
    with pytest.raises(ValueError, match=r"'b' has shape \(3,\), got \(2,\)"):
        col.assign({'a': torch.ones(2), 'b': torch.ones(2)})
    assert a.value.sum() == 0
    with pytest.raises(KeyError, match=r"missing: \['b'\]"):
        col.assign({'a': torch.ones(2)})
    col.assign({'a': torch.ones(2), 'b': torch.ones(3)})
    assert a.value.sum() == 2 and b.value.sum() == 3


# -- torch interop -------------------------------------------------------------

def test_parameters_are_the_trainvars_tensors():
    m = Outer()
    params = list(m.parameters())
    for var in m.train_vars().values():
        tensor = var.value if isinstance(var, bm.Variable) else var
        assert any(p is tensor for p in params)
    assert len(params) == len(m.train_vars().unique())


def test_torch_optim_trains_a_base_model_with_backward():
    torch.manual_seed(0)

    class Regression(bp.Base):
        def __init__(self):
            super().__init__()
            self.w = bm.TrainVar(torch.zeros(3))
            self.b = bm.TrainVar(torch.zeros(()))

        def __call__(self, x):
            return x @ self.w + self.b

    model = Regression()
    x = torch.randn(64, 3)
    y = x @ torch.tensor([1., -2., 0.5]) + 0.3
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    w0 = model.w.value.detach().clone()
    first = None
    for step in range(100):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        if step == 0:
            first = loss.item()
            manual = w0 - 0.1 * model.w.value.grad
        opt.step()
        if step == 0:
            assert torch.allclose(model.w.value.detach(), manual)
    assert loss.item() < first / 100
    assert torch.allclose(model.w.value.detach(), torch.tensor([1., -2., 0.5]), atol=1e-2)


def test_base_inside_torch_containers():
    seq = nn.Sequential(Example(), nn.Linear(2, 2))
    names = [n for n, _ in seq.named_parameters()]
    assert names == ['0.x', '1.weight', '1.bias']
    assert list(seq.state_dict()) == ['0.x', '0.y', '1.weight', '1.bias']


def test_state_dict_round_trip():
    a, b = Outer(), Outer()
    with torch.no_grad():
        for v in a.vars().values():
            if isinstance(v, bm.Variable):
                v.value = torch.randn(v.shape) if v.dtype.is_floating_point else v.value
            elif v.dtype.is_floating_point:
                v.copy_(torch.randn(v.shape))
    storage = b.inner.x.value
    b.load_state_dict(a.state_dict())
    for key, value in a.state_dict().items():
        assert torch.equal(b.state_dict()[key], value), key
    assert b.inner.x.value is storage and torch.equal(b.inner.x.value, a.inner.x.value)


@pytest.mark.parametrize('edit, message', [
    (lambda sd: sd.pop('inner.y'), r"missing keys: \['inner.y'\]"),
    (lambda sd: sd.__setitem__('ghost', torch.zeros(1)), r"unexpected keys: \['ghost'\]"),
    (lambda sd: sd.__setitem__('w', torch.zeros(5)), r'mis-shaped entries: \[.w: expected \(2,\), got \(5,\)'),
])
def test_load_state_dict_mismatch_changes_nothing(edit, message):
    a, b = Outer(), Outer()
    sd = {k: v + 1 if v.dtype.is_floating_point else v for k, v in a.state_dict().items()}
    edit(sd)
    before = {k: v.clone() for k, v in b.state_dict().items()}
    with pytest.raises(StateLoadError, match=message):
        b.load_state_dict(sd)
    for key, value in b.state_dict().items():
        assert torch.equal(value, before[key]), key


def test_load_state_dict_assign_keeps_variables_in_step():
    a, b = Example(), Example()
    b.load_state_dict(a.state_dict(), assign=True)
    assert b._buffers['y'] is b.y.value and torch.equal(b.y.value, a.y.value)


def test_double_moves_every_variable_in_place():
    m = Outer()
    param = m.w.value
    closure = lambda: m.inner.y.value  # noqa: E731  (a closure holding the Variable)
    m.double()
    assert m.w.dtype == torch.float64 and m.inner.y.dtype == torch.float64
    assert m.fc.weight.dtype == torch.float64 and closure().dtype == torch.float64
    assert m.w.value is param                       # optimizers holding it stay valid
    assert m.inner._buffers['y'] is m.inner.y.value  # module slots follow the Variable
    m.to(torch.float32)
    assert m.inner.y.dtype == torch.float32


def test_shared_variable_stays_one_tensor_after_a_move():
    shared = bm.Variable(bm.zeros(2))

    class Holder(bp.Base):
        def __init__(self, child=None):
            super().__init__()
            self.s = shared
            if child is not None:
                self.child = child

    top = Holder(Holder())
    top.to(torch.float64)
    assert shared.dtype == torch.float64
    assert top._buffers['s'] is shared.value and top.child._buffers['s'] is shared.value


def test_to_another_device_moves_variables(device):
    m = Example()
    target = torch.device('meta') if device.type == 'cpu' else device
    m.to(target)
    assert m.x.device.type == target.type and m.y.device.type == target.type


def test_extra_repr_lists_variables():
    m = Example(name='Shown')
    text = repr(m)
    assert "name='Shown'" in text and 'x: TrainVar(shape=(1,), dtype=torch.float32)' in text


# -- state files ------------------------------------------------------------------

@pytest.mark.parametrize('ext', ['.pt', '.npz'])
def test_save_and_load_states(tmp_path, ext):
    a, b = Outer(), Outer()
    path = tmp_path / f'state{ext}'
    a.save_states(str(path))
    b.load_states(str(path))
    for key, value in a.state_dict().items():
        assert torch.equal(b.state_dict()[key], value), key


def test_state_file_errors(tmp_path):
    m = Example()
    with pytest.raises(ValueError, match="unsupported state file .*use one of .pt, .npz"):
        m.save_states(str(tmp_path / 'x.h5'))
    with pytest.raises(FileNotFoundError, match='does not exist'):
        m.load_states(str(tmp_path / 'nothing.pt'))
    bad = tmp_path / 'bad.pt'
    bad.write_bytes(b'not a torch file')
    with pytest.raises(StateLoadError, match='could not be read as a .pt file'):
        m.load_states(str(bad))
    extra = tmp_path / 'extra.npz'
    np.savez(extra, x=np.ones(1, np.float32), y=np.ones(10, np.float32), z=np.ones(1))
    before = m.y.value.clone()
    with pytest.raises(StateLoadError, match=r"unexpected keys: \['z'\]"):
        m.load_states(str(extra))
    assert torch.equal(m.y.value, before)
