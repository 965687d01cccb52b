"""bp.Base: naming, finding Variables and nodes, and living inside torch."""

import copy
import gc
import io

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
    assert b._buffers['y'] is b.y._value and torch.equal(b.y.value, a.y.value)


def test_double_moves_every_variable_in_place():
    m = Outer()
    param = m.w.value
    closure = lambda: m.inner.y.value  # noqa: E731  (a closure holding the Variable)
    m.double()
    assert m.w.dtype == torch.float64 and m.inner.y.dtype == torch.float64
    assert m.fc.weight.dtype == torch.float64 and closure().dtype == torch.float64
    assert m.w.value is param                       # optimizers holding it stay valid
    assert m.inner._buffers['y'] is m.inner.y._value  # module slots follow the Variable
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
    assert top._buffers['s'] is shared._value and top.child._buffers['s'] is shared._value


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


# -- Variables of plain torch.nn children -------------------------------------------

class PlainHolder(nn.Module):
    """A plain torch module (no bp.Base) that holds Variables as attributes."""

    def __init__(self):
        super().__init__()
        self.v = bm.Variable(torch.tensor([1., 2.]))
        self.t = bm.TrainVar(torch.tensor([0.5, -1.]))
        self.lin = nn.Linear(2, 2)

    def forward(self, x):
        return (self.lin(x * self.t) * self.v).sum()


class WithPlain(bp.Base):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.p = PlainHolder()
        self.direct = nn.Parameter(torch.tensor([2., 3.]))
        self.register_buffer('counts', torch.tensor([1, 2]))
        self.seq = nn.Sequential(PlainHolder())

    def __call__(self, x):
        return self.p(x * self.direct) + self.seq[0](x) ** 2


def test_variables_of_plain_torch_children_are_listed():
    b = WithPlain()
    assert list(b.vars('relative')) == [
        'direct', 'counts', 'p.v', 'p.t', 'p.lin.weight', 'p.lin.bias',
        'seq.0.v', 'seq.0.t', 'seq.0.lin.weight', 'seq.0.lin.bias']
    absolute = b.vars()
    assert list(absolute)[:4] == [f'{b.name}.direct', f'{b.name}.counts', f'{b.name}.p.v',
                                  f'{b.name}.p.t']
    assert absolute[f'{b.name}.p.v'] is b.p.v and absolute[f'{b.name}.direct'] is b.direct
    assert list(b.train_vars('relative')) == [
        'direct', 'p.t', 'p.lin.weight', 'p.lin.bias', 'seq.0.t', 'seq.0.lin.weight',
        'seq.0.lin.bias']
    assert b.train_vars('relative')['seq.0.t'] is b.seq[0].t
    outer = Outer()
    outer.extra = WithPlain()
    assert f'{outer.extra.name}.p.t' in outer.vars()
    assert 'extra.seq.0.v' in outer.vars('relative')


def test_plain_children_variables_in_parameters_and_state_dict():
    b = WithPlain()
    assert [n for n, _ in b.named_parameters()] == [
        'direct', 'p.lin.weight', 'p.lin.bias', 'seq.0.lin.weight', 'seq.0.lin.bias',
        'p.t', 'seq.0.t']
    assert any(t is b.p.t.value for t in b.parameters())
    assert [n for n, _ in b.named_buffers()] == ['counts', 'p.v', 'seq.0.v']
    params = list(b.parameters())
    assert len(params) == len(b.train_vars().unique())
    assert list(b.state_dict()) == ['direct', 'counts', 'p.v', 'p.t', 'seq.0.v', 'seq.0.t',
                                    'p.lin.weight', 'p.lin.bias', 'seq.0.lin.weight',
                                    'seq.0.lin.bias']
    assert torch.equal(b.state_dict()['p.v'], torch.tensor([1., 2.]))
    assert b.state_dict(keep_vars=True)['p.t'] is b.p.t.value


def test_plain_children_variables_round_trip_through_load_state_dict():
    torch.manual_seed(0)
    a, b = WithPlain(), WithPlain()
    a.p.v.value = torch.tensor([5., 6.])
    a.seq[0].t.value = torch.tensor([7., 8.])
    v, t = b.p.v, b.seq[0].t
    storage, kept, param = v.value, v.value.clone(), t.value
    b.load_state_dict(a.state_dict())
    assert b.p.v is v and torch.equal(v.value, torch.tensor([5., 6.]))
    assert torch.equal(storage, kept)                # a value read before keeps its data
    assert t.value is param and torch.equal(t.value.detach(), torch.tensor([7., 8.]))
    for key, value in a.state_dict().items():
        assert torch.equal(b.state_dict()[key], value), key
    # assign=True: the Variables adopt the given tensors (a TrainVar's stays an nn.Parameter)
    c = WithPlain()
    c.load_state_dict(a.state_dict(), assign=True)
    assert isinstance(c.seq[0].t.value, nn.Parameter)
    assert torch.equal(c.seq[0].t.value.detach(), torch.tensor([7., 8.]))
    # a Base inside a plain container saves and loads them too
    s1, s2 = nn.Sequential(WithPlain()), nn.Sequential(WithPlain())
    assert '0.p.v' in s1.state_dict()
    s2.load_state_dict(s1.state_dict())
    assert torch.equal(s2[0].p.t.value, s1[0].p.t.value)


def test_plain_children_variables_missing_or_misshaped_changes_nothing():
    a, b = WithPlain(), WithPlain()
    before = {k: v.clone() for k, v in b.state_dict().items()}
    sd = {k: v + 1 for k, v in a.state_dict().items()}
    sd.pop('p.v')
    with pytest.raises(StateLoadError, match=r"missing keys: \['p.v'\]"):
        b.load_state_dict(sd)
    sd['p.v'] = torch.zeros(3)
    with pytest.raises(StateLoadError, match=r"p.v: expected \(2,\), got \(3,\)"):
        b.load_state_dict(sd)
    for key, value in b.state_dict().items():
        assert torch.equal(value, before[key]), key
    s = nn.Sequential(WithPlain())
    sd = s.state_dict()
    sd.pop('0.seq.0.t')
    with pytest.raises(RuntimeError, match='Missing key.*0.seq.0.t'):
        s.load_state_dict(sd)


def test_double_converts_variables_of_plain_children_in_place():
    b = WithPlain()
    v, t = b.p.v, b.seq[0].t
    param = t.value
    (b(torch.ones(2))).backward()
    b.double()
    assert b.p.v is v and b.seq[0].t is t
    assert v.dtype == torch.float64 and b.p.t.dtype == torch.float64 and t.dtype == torch.float64
    assert b.direct.dtype == torch.float64 and b.p.lin.weight.dtype == torch.float64
    assert t.value is param and t.value.grad.dtype == torch.float64   # optimizers stay valid
    b.to(torch.float32)
    assert v.dtype == torch.float32 and t.dtype == torch.float32
    b.to('meta')
    assert v.device.type == 'meta' and isinstance(b.p.t.value, nn.Parameter)
    s = nn.Sequential(WithPlain())
    s.double()
    assert s[0].p.v.dtype == torch.float64 and s[0].seq[0].t.dtype == torch.float64


def test_a_variable_shared_with_a_plain_child_is_converted_once():
    shared = bm.Variable(bm.ones(2))

    class Holder(nn.Module):
        def __init__(self):
            super().__init__()
            self.v = shared
            self.t = bm.TrainVar(bm.ones(2))

    class Top(bp.Base):
        def __init__(self):
            super().__init__()
            self.s = shared
            self.p = Holder()
            self.q = Holder()
            self.q.same = self.p.t

    top = Top()
    top._apply(lambda x: x * 2)
    assert torch.equal(shared.value, torch.full((2,), 2.)) and top._buffers['s'] is shared._value
    assert torch.equal(top.p.t.value.detach(), torch.full((2,), 2.))
    assert torch.equal(top.q.t.value.detach(), torch.full((2,), 2.))


def test_grad_and_optim_reach_variables_of_plain_children():
    torch.manual_seed(0)
    b = WithPlain()
    x = torch.randn(2)
    tv = b.train_vars()
    grads = bm.grad(b, grad_vars=tv)(x)
    assert list(grads) == list(tv)
    tensors = [v.value if isinstance(v, bm.Variable) else v for v in tv.values()]
    expected = torch.autograd.grad(b(x), tensors)
    for (key, g), e in zip(grads.items(), expected):
        assert torch.allclose(g, e), key
    assert not torch.equal(grads[f'{b.name}.p.t'], torch.zeros(2))
    via_lambda = bm.grad(lambda x: b(x), grad_vars=b.train_vars())(x)
    for key in grads:
        assert torch.allclose(via_lambda[key], grads[key]), key
    opt = torch.optim.SGD(b.parameters(), lr=0.1)
    before = b.seq[0].t.value.detach().clone()
    b(x).backward()
    opt.step()
    assert torch.allclose(b.seq[0].t.value.detach(), before - 0.1 * expected[4])


# -- copies ------------------------------------------------------------------------------------

class _Stateful(bp.Base):
    def __init__(self):
        super().__init__()
        self.V = bm.Variable(torch.zeros(2))
        self.w = bm.TrainVar(torch.ones(2))
        self.register_implicit_vars(trace=bm.Variable(torch.zeros(3)))


def _copies(m):
    buf = io.BytesIO()
    torch.save(m, buf)
    buf.seek(0)
    return {'deepcopy': copy.deepcopy(m), 'torch.save/load': torch.load(buf, weights_only=False)}


@pytest.mark.parametrize('how', ['deepcopy', 'torch.save/load'])
def test_a_copied_model_saves_what_its_variables_are_assigned(how):
    """Assignment gives a Variable a new tensor; the copy's buffers must follow it, not
    the original's."""
    m = _Stateful()
    c = _copies(m)[how]
    c.V.value = torch.ones(2)
    c.implicit_vars['trace'].value = torch.full((3,), 2.)
    c.w.value = torch.full((2,), 5.)
    state = c.state_dict()
    assert torch.equal(state['V'], torch.ones(2)) and torch.equal(state['trace'], torch.full((3,), 2.))
    assert torch.equal(state['w'], torch.full((2,), 5.))
    assert torch.equal(m.state_dict()['V'], torch.zeros(2))          # the original is untouched
    assert torch.equal(m.w.value.detach(), torch.ones(2))
    c.double()
    assert c.V.dtype == torch.float64 and c._buffers['V'] is c.V._value


def test_a_buffer_swapped_by_functional_call_is_repaired_before_torch_reads_it():
    """functional_call puts the pre-call tensor back into the buffer after the function
    assigned the Variable: state_dict, .to() and load_state_dict must still see the Variable."""
    class M(bp.Base):
        def __init__(self):
            super().__init__()
            self.v = bm.Variable(torch.zeros(3))

        def forward(self, x):
            self.v.value = self.v.value + x
            return self.v.value.sum()

    m = M()
    torch.func.functional_call(m, {'v': torch.zeros(3)}, (torch.ones(3),))
    m.v.value = torch.full((3,), 5.)
    assert torch.equal(m.state_dict()['v'], torch.full((3,), 5.))
    assert torch.equal(dict(m.named_buffers())['v'], torch.full((3,), 5.))
    m.double()
    assert torch.equal(m.v.value, torch.full((3,), 5., dtype=torch.float64))
    m.load_state_dict({'v': torch.full((3,), 7., dtype=torch.float64)})
    assert torch.equal(m.v.value, torch.full((3,), 7., dtype=torch.float64))
