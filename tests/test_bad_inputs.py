"""A catalogue of wrong calls across the public API.

Each case makes one wrong call on fresh objects and states the exception type and
a pattern its message must match: the pattern names the argument (or object) at
fault and what was expected. After the call, every Variable (and every parameter
of the ``nn.Linear`` inside the model) must hold exactly what it held before: the
same tensor object, with the same data.
"""

import os
import warnings

import numpy as np
import pytest
import torch
from torch import nn

import bptorch as bp
import bptorch.math as bm
from bptorch.errors import BrainPyError, MathError, StateLoadError, UniqueNameError
from bptorch.math.jit import JitFallbackWarning


class Net(bp.Base):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.w = bm.TrainVar(torch.tensor([1., 2., 3.]))
        self.s = bm.Variable(torch.zeros(3))
        self.k = bm.Variable(torch.tensor([1, 2, 3]))
        self.z = bm.Variable(torch.tensor([1 + 1j, 2 - 1j, 0j]))
        self.fc = nn.Linear(3, 2)

    def loss(self, x):
        self.s.value = torch.tanh(self.w * x)
        return (self.fc(self.s.value) ** 2).sum()


class World:
    """Fresh objects for one case, and a snapshot of all the state they hold."""

    def __init__(self, tmp_path):
        torch.manual_seed(0)
        self.net = Net()
        self.w, self.s, self.k, self.z = self.net.w, self.net.s, self.net.k, self.net.z
        self.x = torch.tensor([0.5, -1., 2.])
        self.tmp = str(tmp_path)
        self.kept = []
        self.extra = {}

    def keep(self, obj):
        self.kept.append(obj)
        return obj

    def track(self, name, holder):
        """Also snapshot the Variables of ``holder`` (a Variable or a Base) from now on."""
        self.extra[name] = holder
        return holder

    def path(self, name):
        return os.path.join(self.tmp, name)

    def state(self):
        items = dict(self.net.vars())
        for name, holder in self.extra.items():
            if isinstance(holder, bm.Variable):
                items[name] = holder
            else:
                items.update({f'{name}.{k}': v for k, v in holder.vars().items()})
        out = {}
        for key, item in items.items():
            t = item._value if isinstance(item, bm.Variable) else item
            out[key] = (t, t.detach().clone() if t.device.type != 'meta' else None)
        return out


def assert_same_state(before, after):
    for key, (tensor, value) in before.items():
        now, now_value = after[key]
        assert now is tensor, f'{key}: the tensor object was replaced'
        if value is not None:
            assert now_value.dtype == value.dtype and torch.equal(now_value, value), f'{key} changed'


# -- helpers for cases ---------------------------------------------------------------------------

def scalar(x):
    return (x ** 2).sum()


def write_then_fail(w, bad):
    """A function that assigns s (legally), then makes a bad assignment to w."""
    def f(x):
        w.s.value = torch.tanh(x)
        w.w.value = bad(w)
        return (w.w * x).sum()
    return f


def corrupt_file(w, name, data=b'not a state file'):
    with open(w.path(name), 'wb') as f:
        f.write(data)
    return w.path(name)


def saved_pt(w, obj, name='states.pt'):
    torch.save(obj, w.path(name))
    return w.path(name)


def npz_with_wrong_shape(w):
    arrays = {k: v.detach().numpy() for k, v in w.net.state_dict().items()}
    arrays['w'] = np.zeros(5, np.float32)
    np.savez(w.path('wrong.npz'), **arrays)
    return w.path('wrong.npz')


def changed_state_dict(world, **edits):
    """The net's state dict with every float entry changed, and ``edits`` applied."""
    sd = {k: v.detach().clone() + (1 if v.dtype.is_floating_point else 0)
          for k, v in world.net.state_dict().items()}
    sd.update(edits)
    return sd


def other_module_param(w):
    return w.keep(nn.Linear(3, 2)).weight


def optimizer(name):
    """A call that updates an optimizer with ``grads``; its own state is checked too."""
    def make(w, grads):
        optimizers = pytest.importorskip('bptorch.optimizers')
        if not hasattr(optimizers, name):
            pytest.skip(f'bptorch.optimizers.{name} is not written yet')
        opt = getattr(optimizers, name)(lr=0.1, train_vars={'w': w.w})
        before = snapshot(opt.vars())
        try:
            opt.update(grads(w))
        finally:
            assert_same_state(before, snapshot(opt.vars()))
    return make


def snapshot(collector):
    return {k: (v._value if isinstance(v, bm.Variable) else v,
                (v._value if isinstance(v, bm.Variable) else v).detach().clone())
            for k, v in collector.items()}


def jit_quietly(fn, *args):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return bm.jit(fn, backend='eager')(*args)


def in_inference_mode(fn):
    with torch.inference_mode():
        return fn()


def meta_trainvar(w):
    return w.track('meta_w', bm.TrainVar(torch.ones(3, device='meta')))


class TooEarly(bp.Base):
    def __init__(self):
        self.v = bm.Variable(torch.ones(1))       # before super().__init__()
        super().__init__()


# -- the catalogue ---------------------------------------------------------------------------------

def case(id, call, exc, match, xfail=None):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(call, exc, match, id=id, marks=marks)


CASES = [
    # ---- func is not callable
    case('grad-func-int', lambda w: bm.grad(3), TypeError, r'bm\.grad: func must be callable, got a int'),
    case('vector_grad-func-str', lambda w: bm.vector_grad('f'), TypeError,
         r'bm\.vector_grad: func must be callable, got a str'),
    case('jacrev-func-None', lambda w: bm.jacrev(None), TypeError,
         r'bm\.jacrev: func must be callable, got a NoneType'),
    case('jacfwd-func-list', lambda w: bm.jacfwd([1]), TypeError,
         r'bm\.jacfwd: func must be callable, got a list'),
    case('hessian-func-float', lambda w: bm.hessian(1.0), TypeError,
         r'bm\.hessian: func must be callable, got a float'),
    case('vmap-func-int', lambda w: bm.vmap(3), TypeError, r'bm\.vmap: func must be callable, got int'),
    case('jit-func-int', lambda w: bm.jit(3), TypeError, r'bm\.jit: func must be callable, got int'),
    case('function-f-int', lambda w: bm.function(3), TypeError, r'bm\.function: f must be callable'),

    # ---- flags of the wrong type
    case('grad-has_aux-str', lambda w: bm.grad(w.net.loss, has_aux='yes'), TypeError,
         r"has_aux must be a bool or None, got 'yes'"),
    case('grad-return_value-str', lambda w: bm.grad(w.net.loss, return_value='no'), TypeError,
         r"return_value must be a bool, got 'no'"),
    case('grad-holomorphic-int', lambda w: bm.grad(w.net.loss, holomorphic=1), TypeError,
         r'holomorphic must be a bool, got 1'),
    case('jacrev-allow_int-str', lambda w: bm.jacrev(w.net.loss, allow_int='y'), TypeError,
         r"allow_int must be a bool, got 'y'"),
    case('grad-reduce_axes-str', lambda w: bm.grad(w.net.loss, reduce_axes='batch'), TypeError,
         r"reduce_axes must be a tuple of axis names \(str\), got 'batch'"),

    # ---- argnums
    case('argnums-str', lambda w: bm.grad(w.net.loss, argnums='0'), TypeError,
         r"argnums must be an int or a sequence of ints, got '0'"),
    case('argnums-float', lambda w: bm.grad(w.net.loss, argnums=1.0), TypeError,
         r'argnums must be an int or a sequence of ints, got 1\.0'),
    case('argnums-bool', lambda w: bm.vector_grad(w.net.loss, argnums=True), TypeError,
         r'argnums must be an int or a sequence of ints, got True'),
    case('argnums-str-in-sequence', lambda w: bm.jacfwd(w.net.loss, argnums=[0, 'a']), TypeError,
         r"bm\.jacfwd: argnums must be an int or a sequence of ints, got \(0, 'a'\)"),
    case('argnums-duplicated', lambda w: bm.grad(w.net.loss, argnums=(0, 0)), ValueError,
         r'argnums=\(0, 0\) repeats an index'),
    case('hessian-argnums-duplicated', lambda w: bm.hessian(w.net.loss, argnums=[0, 0]), ValueError,
         r'bm\.hessian: argnums=\(0, 0\) repeats an index'),
    case('argnums-out-of-range', lambda w: bm.grad(w.net.loss, argnums=1)(w.x), TypeError,
         r'argnums=1 refers to positional argument 1, but the call had 1 positional argument'),
    case('argnums-negative-out-of-range', lambda w: bm.grad(w.net.loss, argnums=-2)(w.x), TypeError,
         r'argnums=-2 refers to positional argument -2, but the call had 1 positional argument'),
    case('argnums-negative-duplicate',
         lambda w: bm.grad(lambda a, b: (a * b).sum(), argnums=(1, -1))(w.x, w.x),
         ValueError, r'argnums=\(1, -1\) names the same argument twice for a call with 2 positional'),
    case('vector_grad-argnums-out-of-range', lambda w: bm.vector_grad(w.net.loss, argnums=(0, 5))(w.x),
         TypeError, r'argnums=\(0, 5\) refers to positional argument 5, but the call had 1'),
    case('jacrev-argnums-out-of-range', lambda w: bm.jacrev(w.net.loss, argnums=3)(w.x), TypeError,
         r'bm\.jacrev: argnums=3 refers to positional argument 3, but the call had 1'),
    case('argnums-with-keyword-only-call', lambda w: bm.grad(w.net.loss)(x=w.x), TypeError,
         r'argnums=0 refers to positional argument 0, but the call had 0 positional'),
    case('argument-str', lambda w: bm.grad(scalar)('abc'), TypeError,
         r'argument 0 \(in argnums\) holds a str; differentiated arguments must be tensors'),
    case('argument-None', lambda w: bm.grad(scalar)(None), TypeError,
         r'argument 0 \(in argnums\) holds a NoneType'),

    # ---- grad_vars
    case('grad_vars-int-item', lambda w: bm.grad(w.net.loss, grad_vars=[w.w, 3]), TypeError,
         r'grad_vars\[1\] is a int; expected a bm\.Variable, or a tensor / nn\.Parameter held by'),
    case('grad_vars-str', lambda w: bm.grad(w.net.loss, grad_vars='w'), TypeError,
         r'grad_vars is a str; expected a bm\.Variable'),
    case('grad_vars-None-item', lambda w: bm.grad(w.net.loss, grad_vars=[w.w, None]), TypeError,
         r'grad_vars\[1\] is a NoneType; expected a bm\.Variable'),
    case('grad_vars-a-Base', lambda w: bm.grad(w.net.loss, grad_vars=w.net), TypeError,
         r'grad_vars is a Net; expected a bm\.Variable'),
    case('grad_vars-an-nn.Module', lambda w: bm.grad(w.net.loss, grad_vars=[w.net.fc]), TypeError,
         r'grad_vars\[0\] is a Linear; expected a bm\.Variable'),
    case('grad_vars-ndarray', lambda w: bm.jacrev(w.net.loss, grad_vars=np.zeros(3)), TypeError,
         r'grad_vars is a ndarray; expected a bm\.Variable'),
    case('grad_vars-stray-tensor', lambda w: bm.grad(w.net.loss, grad_vars={'t': torch.zeros(3)}),
         TypeError, r"grad_vars\['t'\] is a tensor of shape \(3,\) and dtype torch\.float32 that is "
                    r'not held by the modules being differentiated \(Net\)'),
    case('grad_vars-other-modules-parameter',
         lambda w: bm.grad(w.net.loss, grad_vars=[other_module_param(w)]), TypeError,
         r'grad_vars\[0\] is a tensor of shape \(2, 3\).*differentiated \(Net\)'),
    case('grad_vars-tensor-of-a-plain-function',
         lambda w: bm.grad(lambda x: x.sum(), grad_vars=[torch.zeros(3)]), TypeError,
         r'grad_vars\[0\] is a tensor, but func is not an nn\.Module or a method of one'),

    # ---- autograd switched off for good
    case('grad-under-inference-mode', lambda w: in_inference_mode(lambda: bm.grad(w.net.loss)(w.x)),
         RuntimeError, r'bm\.grad cannot differentiate under torch\.inference_mode\(\)'),
    case('jacrev-under-inference-mode',
         lambda w: in_inference_mode(lambda: bm.jacrev(torch.sin)(w.x)),
         RuntimeError, r'bm\.jacrev cannot differentiate under torch\.inference_mode\(\)'),

    # ---- has_aux and outputs
    case('vector_grad-complex-output',
         lambda w: bm.vector_grad(lambda z: z ** 2)(torch.tensor([1j])), TypeError,
         r'bm\.vector_grad requires a real output.*it has no holomorphic argument: use '
         r'bm\.jacrev\(func, holomorphic=True\)'),
    case('has_aux-bare-scalar-tensor', lambda w: bm.grad(w.net.loss, has_aux=True)(w.x), TypeError,
         r'has_aux=True requires func to return a pair \(value, aux\), '
         r'but it returned a tensor of shape \(\)'),
    case('has_aux-bare-python-float', lambda w: bm.grad(lambda x: 1.0, has_aux=True)(w.x), TypeError,
         r'has_aux=True requires func to return a pair \(value, aux\), but it returned a float'),
    case('has_aux-triple', lambda w: bm.vector_grad(lambda x: (x, 1, 2), has_aux=True)(w.x), TypeError,
         r'has_aux=True requires func to return a pair \(value, aux\), but it returned a tuple'),
    case('output-not-scalar', lambda w: bm.grad(lambda x: x * 2)(w.x), TypeError,
         r'scalar-output functions, but func returned a tensor of shape \(3,\)'),
    case('output-shape-1', lambda w: bm.grad(lambda x: x.sum().reshape(1))(w.x), TypeError,
         r'scalar-output functions, but func returned a tensor of shape \(1,\)'),
    case('output-tuple-without-has_aux', lambda w: bm.grad(lambda x: (x.sum(), x))(w.x), TypeError,
         r'func returned a tuple; .* pass has_aux=True'),
    case('output-None', lambda w: bm.grad(lambda x: None)(w.x), TypeError,
         r'func returned a NoneType; expected a tensor'),
    case('output-str', lambda w: bm.jacrev(lambda x: 'abc')(w.x), TypeError,
         r'func returned a str; expected a tensor'),

    # ---- complex and integer misuse
    case('complex-output-without-holomorphic', lambda w: bm.grad(lambda z: (z ** 2).sum())(w.z.value),
         TypeError, r'requires a real output, but func returned dtype torch\.complex64; .*holomorphic=True'),
    case('holomorphic-with-real-input', lambda w: bm.grad(scalar, holomorphic=True)(w.x), TypeError,
         r'holomorphic=True requires complex inputs, but argument 0 has dtype torch\.float32'),
    case('holomorphic-with-real-output',
         lambda w: bm.grad(lambda z: (z * z.conj()).real.sum(), holomorphic=True)(w.z.value), TypeError,
         r'holomorphic=True requires a complex output, but func returned dtype torch\.float32'),
    case('jacfwd-complex-input', lambda w: bm.jacfwd(lambda z: z * 2)(w.z.value), TypeError,
         r'bm\.jacfwd requires real inputs, but argument 0 has dtype torch\.complex64; .*holomorphic=True'),
    case('jacfwd-complex-grad_var', lambda w: bm.jacfwd(lambda x: (w.z.value * x).real, grad_vars=w.z)(w.x),
         TypeError, r'grad_vars entry Variable\(3,\) has dtype torch\.complex64'),
    case('integer-argument', lambda w: bm.grad(lambda n: (n * 1.).sum())(w.k.value), TypeError,
         r'argument 0 has dtype torch\.int64; convert it, or pass allow_int=True'),
    case('integer-output', lambda w: bm.grad(lambda x: (x > 0).sum())(w.x), TypeError,
         r'requires a floating-point output, but func returned dtype torch\.int64'),
    case('integer-grad_var', lambda w: bm.grad(lambda: (w.k * 1.).sum(), grad_vars=w.k)(), TypeError,
         r'grad_vars entry Variable\(3,\) has dtype torch\.int64'),
    case('jacrev-integer-grad_var', lambda w: bm.jacrev(lambda: w.k * 1., grad_vars=w.k)(), TypeError,
         r'grad_vars entry Variable\(3,\) has dtype torch\.int64; convert it'),
    case('jacfwd-integer-argument', lambda w: bm.jacfwd(lambda n: n * 1.)(w.k.value), TypeError,
         r'bm\.jacfwd requires floating-point inputs, but argument 0 has dtype torch\.int64'),
    case('TrainVar-of-integers', lambda w: bm.TrainVar([1, 2]), TypeError,
         r'TrainVar: a trainable value must be floating point or complex, got dtype torch\.int64'),
    case('int-Variable-iadd-float', lambda w: w.k.__iadd__(0.5), MathError,
         r'Variable\.__iadd__: the new value has dtype torch\.float32 '
         r'but the Variable has dtype torch\.int64'),
    case('int-Variable-truediv', lambda w: w.k.__itruediv__(2), MathError,
         r'Variable\.__itruediv__: .*dtype torch\.float32 .*dtype torch\.int64'),
    case('int-Variable-assigned-floats', lambda w: setattr(w.k, 'value', torch.zeros(3)), MathError,
         r'Variable\.value: the new value has dtype torch\.float32 but the Variable has dtype torch\.int64'),

    # ---- dyn_vars without targets, and dyn_vars holding other things
    case('grad-dyn_vars-only', lambda w: bm.grad(w.net.loss, dyn_vars=[w.s]), MathError,
         r'bm\.grad: nothing to differentiate: dyn_vars is given but grad_vars and argnums are both None'),
    case('vector_grad-dyn_vars-only', lambda w: bm.vector_grad(w.net.loss, dyn_vars=w.s), MathError,
         r'dyn_vars is given but grad_vars and argnums are both None'),
    case('jacrev-dyn_vars-only', lambda w: bm.jacrev(w.net.loss, dyn_vars={'s': w.s}), MathError,
         r'dyn_vars is given but grad_vars and argnums are both None'),
    case('dyn_vars-holding-a-str', lambda w: bm.grad(scalar, dyn_vars=['h'], argnums=0),
         TypeError, r'bm\.grad: dyn_vars must hold bm\.Variable objects \(or tensors\), got a str'),

    # ---- assignments that change shape, dtype or device
    case('assign-shape', lambda w: setattr(w.s, 'value', torch.zeros(4)), MathError,
         r'the new value has shape \(4,\) but the Variable has shape \(3,\)'),
    case('update-dtype', lambda w: w.s.update(torch.zeros(3, dtype=torch.float64)), MathError,
         r'the new value has dtype torch\.float64 but the Variable has dtype torch\.float32'),
    case('iadd-broadcasts-to-new-shape', lambda w: w.s.__iadd__(torch.ones(2, 3)), MathError,
         r'Variable\.__iadd__: the new value has shape \(2, 3\) but the Variable has shape \(3,\)'),
    case('setitem-wrong-size', lambda w: w.s.__setitem__(slice(None), torch.ones(4)), RuntimeError,
         r'size of the tensor \(3\) must match the existing size \(4\)'),
    case('assign-shape-inside-grad',
         lambda w: bm.grad(write_then_fail(w, lambda w: torch.zeros(4)))(w.x), MathError,
         r'the new value has shape \(4,\) but the Variable has shape \(3,\)'),
    case('assign-dtype-inside-jacrev',
         lambda w: bm.jacrev(write_then_fail(w, lambda w: w.w.value.double()))(w.x), MathError,
         r'the new value has dtype torch\.float64 but the Variable has dtype torch\.float32'),
    case('assign-dtype-inside-vmap',
         lambda w: bm.vmap(write_then_fail(w, lambda w: w.w.value.double()))(torch.ones(4, 3)), MathError,
         r'the new value has dtype torch\.float64'),
    case('assign-shape-inside-jit',
         lambda w: jit_quietly(write_then_fail(w, lambda w: torch.zeros(4)), w.x), MathError,
         r'the new value has shape \(4,\) but the Variable has shape \(3,\)'),

    # ---- mixed devices (meta stands in for a second device)
    case('assign-other-device', lambda w: setattr(w.s, 'value', torch.zeros(3, device='meta')), MathError,
         r'the new value is on device meta but the Variable is on device cpu'),
    case('assign-other-device-inside-grad',
         lambda w: bm.grad(write_then_fail(w, lambda w: torch.ones(3, device='meta')))(w.x), MathError,
         r'on device meta but the Variable is on device cpu'),
    case('grad-argument-on-other-device', lambda w: bm.grad(w.net.loss)(torch.ones(3, device='meta')),
         RuntimeError, r'meta.*cpu|cpu.*meta'),
    case('grad-var-on-other-device',
         lambda w: bm.grad(lambda x: (meta_trainvar(w) * x).sum(), argnums=0)(w.x), RuntimeError,
         r'meta.*cpu|cpu.*meta'),
    case('asarray-mixed-devices', lambda w: bm.asarray([torch.ones(()), torch.ones((), device='meta')]),
         ValueError, r"asarray: the list mixes devices \['cpu', 'meta'\]"),

    # ---- state files and state dicts
    case('load-corrupt-pt', lambda w: w.net.load_states(corrupt_file(w, 'bad.pt')), StateLoadError,
         r"state file '.*bad\.pt' could not be read as a \.pt file"),
    case('load-corrupt-npz', lambda w: w.net.load_states(corrupt_file(w, 'bad.npz')), StateLoadError,
         r"state file '.*bad\.npz' could not be read as a \.npz file"),
    case('load-pt-holding-a-list', lambda w: w.net.load_states(saved_pt(w, [torch.zeros(3)])),
         StateLoadError, r'does not hold a dict of tensors'),
    case('load-pt-holding-an-object', lambda w: w.net.load_states(saved_pt(w, {'w': Net})),
         StateLoadError, r'could not be read as a \.pt file'),
    case('load-pt-missing-keys', lambda w: w.net.load_states(saved_pt(w, {'w': torch.zeros(3)})),
         StateLoadError, r"missing keys: \['s', 'k', 'z', 'fc\.weight', 'fc\.bias'\]\. Nothing was loaded"),
    case('load-npz-wrong-shape', lambda w: w.net.load_states(npz_with_wrong_shape(w)), StateLoadError,
         r"mis-shaped entries: \['w: expected \(3,\), got \(5,\)'\]\. Nothing was loaded"),
    case('save-unsupported-extension', lambda w: w.net.save_states(w.path('a.txt')), ValueError,
         r"unsupported state file '.*a\.txt': use one of \.pt, \.npz"),
    case('load-missing-file', lambda w: w.net.load_states(w.path('nope.pt')), FileNotFoundError,
         r"state file '.*nope\.pt' does not exist"),
    case('save-filename-int', lambda w: w.net.save_states(3), TypeError, r'filename must be a path, got int'),
    case('load_state_dict-unexpected-key',
         lambda w: w.net.load_state_dict(changed_state_dict(w, zz=torch.zeros(1))), StateLoadError,
         r"unexpected keys: \['zz'\]\. Nothing was loaded"),
    case('load_state_dict-wrong-shape',
         lambda w: w.net.load_state_dict(changed_state_dict(w, **{'fc.bias': torch.zeros(5)})),
         StateLoadError, r"mis-shaped entries: \['fc\.bias: expected \(2,\), got \(5,\)'\]"),
    case('load_state_dict-non-tensor-entry',
         lambda w: w.net.load_state_dict(changed_state_dict(w, w='abc')), StateLoadError, r"entries that are not tensors: \['w: str'\]\. Nothing was loaded"),
    case('load_state_dict-assign-wrong-dtype',
         lambda w: w.net.load_state_dict(changed_state_dict(w, k=torch.zeros(3)), assign=True),
         StateLoadError,
         r"dtype would change a Variable \(assign=True\): \['k: expected torch\.int64, got torch\.float32'\]"),

    # ---- bm.vmap
    case('vmap-in_axes-length',
         lambda w: bm.vmap(lambda a, b: a + b, in_axes=(0,))(torch.ones(2, 3), torch.ones(2, 3)),
         ValueError, r'in_axes has 1 entries but the call has 2 positional arguments'),
    case('vmap-in_axes-out-of-range', lambda w: bm.vmap(lambda a: a, in_axes=2)(torch.ones(2, 3)),
         ValueError, r'in_axes'),
    case('vmap-in_axes-wrong-type', lambda w: bm.vmap(lambda a: a, in_axes='0')(torch.ones(2, 3)),
         (TypeError, ValueError), r'in_axes'),
    case('vmap-batched-value-to-unlisted-Variable',
         lambda w: bm.vmap(lambda x: (setattr(w.s, 'value', x), x.sum())[1])(torch.ones(4, 3)), MathError,
         r'Variable of shape \(3,\) was assigned a value that differs across the mapped axis; '
         r'list it in batched_vars'),
    case('vmap-psum-unknown-axis',
         lambda w: bm.vmap(lambda x: bm.psum(x, 'j'), axis_name='i')(torch.ones(4, 3)),
         NameError, r"bm\.psum: unbound axis name 'j'.*active axes: \['i'\]"),
    case('psum-outside-vmap', lambda w: bm.psum(w.x, 'i'), NameError,
         r"bm\.psum: unbound axis name 'i'.*active axes: \[\]"),
    case('grad-reduce_axes-unknown', lambda w: bm.grad(w.net.loss, reduce_axes=('batch',))(w.x), NameError,
         r"reduce_axes: unbound axis name 'batch'"),
    case('vmap-axis_name-int', lambda w: bm.vmap(scalar, axis_name=3), TypeError,
         r'axis_name must be a str or None, got 3'),
    case('vmap-batched_vars-tensor', lambda w: bm.vmap(scalar, batched_vars=[torch.ones(2)]), TypeError,
         r'batched_vars must hold bm\.Variable objects only, got Tensor'),
    case('vmap-batched_vars-size', lambda w: bm.vmap(scalar, batched_vars=[w.s])(torch.ones(4, 3)), MathError,
         r'batched_vars holds a Variable of shape \(3,\), but the mapped axis has size 4'),
    case('vmap-randomness', lambda w: bm.vmap(scalar, randomness='maybe'), ValueError,
         r"randomness must be 'error', 'different' or 'same', got 'maybe'"),
    case('vmap-chunk_size', lambda w: bm.vmap(scalar, chunk_size=0), ValueError,
         r'chunk_size must be a positive int or None, got 0'),
    case('vmap-nothing-mapped-with-axis_name', lambda w: bm.vmap(scalar, in_axes=None, axis_name='i')(w.x),
         ValueError, r"no argument is mapped, so axis 'i' has no size"),
    case('vmap-dyn_vars-int', lambda w: bm.vmap(scalar, dyn_vars=[1]), TypeError,
         r'bm\.vmap: dyn_vars must hold bm\.Variable objects \(or tensors\), got a int'),

    # ---- bm.jit
    case('jit-device', lambda w: bm.jit(w.net.loss, device='cuda'), NotImplementedError,
         r"bm\.jit: device='cuda' is not supported; move the model with \.to\(device\)"),
    case('jit-static_argnames-unknown', lambda w: bm.jit(lambda x, scale=1.: x, static_argnames='scal'),
         ValueError,
         r"static_argnames names 'scal', but .* has no such parameter \(it has \['x', 'scale'\]\)"),
    case('jit-static_argnames-int', lambda w: bm.jit(lambda x, scale=1.: x, static_argnames=[1]), TypeError,
         r'static_argnames must be a str or a sequence of str, got \[1\]'),
    case('jit-dyn_vars-int', lambda w: bm.jit(scalar, dyn_vars=[1]), TypeError,
         r'bm\.jit: dyn_vars must hold bm\.Variable objects \(or tensors\), got a int'),
    case('function-name-int', lambda w: bm.function(scalar, name=3), TypeError,
         r'bm\.function: name must be a str, got 3'),

    # ---- Base
    case('Base-duplicate-name', lambda w: (w.keep(Net(name='Twin')), Net(name='Twin')), UniqueNameError,
         r"name 'Twin' is already used by a live Net"),
    case('Base-invalid-name', lambda w: Net(name='1abc'), BrainPyError,
         r"name '1abc' is not a valid Python identifier"),
    case('vars-unknown-method', lambda w: w.net.vars(method='abs'), ValueError,
         r"method must be 'absolute' or 'relative', got 'abs'"),
    case('nodes-unknown-method', lambda w: w.net.nodes(method='x'), ValueError,
         r"method must be 'absolute' or 'relative', got 'x'"),
    case('train_vars-unknown-method', lambda w: w.net.train_vars(method='rel'), ValueError,
         r"method must be 'absolute' or 'relative', got 'rel'"),
    case('vars-level-str', lambda w: w.net.vars(level='all'), TypeError,
         r"level must be an int \(-1 for all levels\), got 'all'"),
    case('register_implicit_vars-tensor', lambda w: w.net.register_implicit_vars(torch.ones(2)), TypeError,
         r"register_implicit_vars: 'var0' must be a bm\.Variable, got Tensor"),
    case('register_implicit_vars-existing-name',
         lambda w: w.net.register_implicit_vars(w=bm.Variable(torch.ones(1))), BrainPyError,
         r"register_implicit_vars: 'w' is already an attribute of Net"),
    case('register_implicit_nodes-int', lambda w: w.net.register_implicit_nodes(3), TypeError,
         r"register_implicit_nodes: 'node0' must be a bp\.Base, got int"),
    case('Variable-before-Base-init', lambda w: TooEarly(), AttributeError,
         r"cannot assign Variable 'v' before Base\.__init__\(\) is called"),

    # ---- collectors
    case('Collector-key-rebound', lambda w: bm.Collector(a=1).__setitem__('a', 2), ValueError,
         r"Collector: key 'a' already holds a different object"),
    case('TensorCollector-non-tensor', lambda w: bm.TensorCollector(a=3), TypeError,
         r"TensorCollector: 'a' must map to a Variable or a tensor, got int"),
    case('TensorCollector-assign-missing-key',
         lambda w: bm.TensorCollector(w=w.w, s=w.s).assign({'w': torch.zeros(3)}), KeyError,
         r"TensorCollector\.assign: keys do not match \(missing: \['s'\]"),
    case('TensorCollector-assign-wrong-shape',
         lambda w: bm.TensorCollector(w=w.w, s=w.s).assign({'w': torch.zeros(3), 's': torch.zeros(4)}),
         ValueError, r"TensorCollector\.assign: 's' has shape \(3,\), got \(4,\)"),
    case('Collector-minus-missing-key', lambda w: bm.Collector(a=1) - ['b'], KeyError,
         r"cannot remove 'b', it is not here"),
    case('Collector-minus-different-object', lambda w: w.net.vars() - {f'{w.net.name}.w': w.s}, ValueError,
         r"cannot remove '.*\.w', it holds a different object"),
    case('Collector-minus-int', lambda w: bm.Collector(a=1) - 3, TypeError,
         r'Collector - other: expected a dict or a list of keys, got int'),
    case('Collector-subset-str', lambda w: w.net.vars().subset('Variable'), TypeError,
         r"subset\(var_type\): expected a class, got 'Variable'"),

    # ---- Variables and arrays
    case('Variable-of-an-object', lambda w: bm.Variable(object()), TypeError,
         r'as_tensor: cannot convert object to a tensor'),
    case('Variable-dtype-str', lambda w: bm.Variable([1.], dtype='float32'), TypeError, r'dtype'),

    # ---- optimizers (their own state, e.g. Adam's moments and the step count, must not move)
    case('SGD-grads-with-unknown-key',
         lambda w: optimizer('SGD')(w, lambda w: {'w': torch.ones(3), 'nope': torch.ones(3)}),
         (KeyError, ValueError, MathError), r"'nope'"),
    case('Adam-grads-missing-a-key', lambda w: optimizer('Adam')(w, lambda w: {}),
         (KeyError, ValueError, MathError), r"'w'"),
    case('Adam-grad-of-wrong-shape', lambda w: optimizer('Adam')(w, lambda w: {'w': torch.ones(4)}),
         (ValueError, MathError), r"'w'.*\(3,\).*\(4,\)|'w'.*\(4,\).*\(3,\)"),
    case('Momentum-grads-not-a-dict', lambda w: optimizer('Momentum')(w, lambda w: [torch.ones(3)]),
         TypeError, r'grads must be a dict'),
]


@pytest.mark.parametrize('call, exc, match', CASES)
def test_bad_input(call, exc, match, tmp_path):
    w = World(tmp_path)
    before = w.state()
    with pytest.raises(exc, match=match):
        call(w)
    assert_same_state(before, w.state())


def test_the_catalogue_is_large():
    assert len(CASES) >= 40


# -- inputs that must NOT be refused ------------------------------------------------------------

@pytest.mark.parametrize('transform', ['grad', 'vmap', 'jit'])
def test_dyn_vars_from_vars_of_a_model_with_torch_layers(transform, tmp_path):
    w = World(tmp_path)
    dyn = w.net.vars()
    assert any(not isinstance(v, bm.Variable) for v in dyn.values())
    if transform == 'grad':
        bm.grad(w.net.loss, grad_vars=w.net.train_vars(), dyn_vars=dyn)(w.x)
    elif transform == 'vmap':
        bm.vmap(lambda x: (w.w * x).sum(), dyn_vars=dyn)(torch.ones(2, 3))
    else:
        bm.jit(w.net.loss, dyn_vars=dyn, backend='eager')


def test_allow_int_covers_integer_grad_vars(tmp_path):
    w = World(tmp_path)
    g = bm.grad(lambda x: (w.k * x).sum(), grad_vars=w.k, allow_int=True)(w.x)
    assert g.dtype == bm.float0 and g.shape == (3,) and not g.any()


def test_an_error_inside_a_jitted_function_is_not_a_capture_failure(tmp_path):
    torch._dynamo.reset()
    try:
        w = World(tmp_path)

        def step(x):
            if x.shape[0] == 4:
                w.s.value = x                           # wrong shape: MathError
            return (w.w * x[:3]).sum()

        f = bm.jit(step, backend='eager')
        f(w.x)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            with pytest.raises(MathError, match=r'shape \(4,\) but the Variable has shape \(3,\)'):
                f(torch.ones(4))
        assert not [c for c in caught if issubclass(c.category, JitFallbackWarning)]
        assert f.fell_back is None
    finally:
        torch._dynamo.reset()
