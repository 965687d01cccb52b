"""Collectors: Collector and TensorCollector (dict operations, subsets, all-or-nothing assign)."""

import numpy as np
import pytest
import torch
from torch import nn

import bptorch as bp
import bptorch.math as bm


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


def test_collector_assign_failing_on_a_later_entry_changes_nothing():
    a, b = bm.Variable(bm.zeros(2)), bm.Variable(bm.zeros(2))
    fc = nn.Linear(2, 1)
    col = bm.TensorCollector(a=a, b=b, bias=fc.bias)
    bias = fc.bias.detach().clone()
    bad = [  # (value for 'b', error type, message): the rules of `b.value = ...`
        (torch.ones(2, dtype=torch.float64), bm.MathError,
         r"'b' has dtype torch.float32, got torch.float64; convert it first"),
        (torch.ones(3), ValueError, r"'b' has shape \(2,\), got \(3,\)"),
        (torch.ones(2, device='meta'), bm.MathError, r"'b' is on device cpu, got meta"),
        (np.ones(2, dtype=np.int64), bm.MathError, r"'b' has dtype torch.float32, got torch.int64"),
        ([1j, 2j], bm.MathError, r"'b' has dtype torch.float32, got torch.complex64"),
        ([object(), 1], TypeError, r"TensorCollector.assign: 'b': cannot use the value"),
    ]
    for value, error, message in bad:
        with pytest.raises(error, match=message):
            col.assign({'a': torch.ones(2), 'b': value, 'bias': torch.ones(1)})
        assert torch.equal(a.value, torch.zeros(2)) and torch.equal(b.value, torch.zeros(2))
        assert torch.equal(fc.bias.detach(), bias)
        with pytest.raises((bm.MathError, TypeError)):  # as it does for `b.value = value`
            b.value = value
    with pytest.raises(ValueError, match=r"'bias' has shape \(1,\), got \(2,\)"):
        col.assign({'a': torch.ones(2), 'b': torch.ones(2), 'bias': torch.ones(2)})
    assert torch.equal(a.value, torch.zeros(2)) and torch.equal(fc.bias.detach(), bias)


def test_collector_assign_accepts_what_variable_assignment_accepts():
    a, b = bm.Variable(bm.zeros(2)), bm.Variable(bm.zeros(2, dtype=torch.int64))
    w = bm.TrainVar(bm.zeros(2))
    fc = nn.Linear(2, 1)
    col = bm.TensorCollector(a=a, b=b, w=w, bias=fc.bias)
    storage, param = a.value, w.value
    col.assign({'a': [1., 2.], 'b': np.array([3, 4]), 'w': [5, 6], 'bias': [7.]})
    assert torch.equal(a.value, torch.tensor([1., 2.]))
    assert torch.equal(storage, torch.zeros(2))      # a kept old value stays as it was (SPEC 2)
    assert torch.equal(b.value, torch.tensor([3, 4])) and b.dtype == torch.int64
    assert torch.equal(w.value.detach(), torch.tensor([5., 6.])) and w.value is param
    assert torch.equal(fc.bias.detach(), torch.tensor([7.]))
    col.assign({'a': bm.Variable(bm.ones(2)), 'b': torch.tensor([0, 0]), 'w': np.ones(2),
                'bias': torch.zeros(1)})
    assert torch.equal(a.value, torch.ones(2)) and torch.equal(w.value.detach(), torch.ones(2))
    col.assign({'a': a.value.flip(0), 'b': b.value, 'w': w.value, 'bias': fc.bias})  # aliasing
    assert torch.equal(a.value, torch.ones(2))
