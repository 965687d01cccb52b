"""Every public name has a docstring with a runnable example, and the example runs.

The examples themselves are executed by ``pytest --doctest-modules`` (configured in
setup.cfg, ``testpaths = tests bptorch``). This module checks the coverage: each
public callable or class of the ``bp`` / ``bm`` namespaces, and the methods of
``bp.Base``, ``bm.Variable`` and the collectors that BrainPy users call, has a
docstring with an example (``>>>``), and that docstring is one the doctest
collector actually finds (so the example is executed, not only written).
"""

import doctest
import importlib
import inspect
import numbers
import pkgutil
import types

import pytest
import torch

import bptorch as bp
import bptorch.math as bm

NAMESPACES = {
    'bp': bp,
    'bm': bm,
    'bm.random': bm.random,
    'bm.linalg': bm.linalg,
    'bm.fft': bm.fft,
    'bm.distributed': bm.distributed,
    'bm.activations': bm.activations,
    'bm.surrogate': bm.surrogate,
    'bp.optimizers': bp.optimizers,
    'bp.connect': bp.connect,
    'bp.inputs': bp.inputs,
    'bp.measure': bp.measure,
    'bp.visualization': bp.visualization,
    'bp.losses': bp.losses,
    'bp.init': bp.init,
    'bp.dyn': bp.dyn,
    'bp.dyn.rates': bp.dyn.rates,
    'bp.nn': bp.nn,
    'bp.nn.algorithms': bp.nn.algorithms,
}

# The methods BrainPy users call, per class (a name missing from a class is skipped).
METHODS = ('vars', 'train_vars', 'nodes', 'register_implicit_vars', 'register_implicit_nodes',
           'save_states', 'load_states', 'load_state_dict', 'update', 'value', 'numpy',
           'unique', 'subset', 'assign', 'dict', 'data')
CLASSES = {'bp.Base': bp.Base, 'bm.Variable': bm.Variable,
           'bm.Collector': bm.Collector, 'bm.TensorCollector': bm.TensorCollector}

# Names whose object is a torch object re-exported on purpose: its docstring is torch's.
ALLOWED_WITHOUT_EXAMPLE: dict = {}


def _exempt(obj) -> bool:
    """dtypes, constants (numbers, strings, None, non-callable instances) and modules."""
    if isinstance(obj, (types.ModuleType, torch.dtype, numbers.Number, str)) or obj is None:
        return True
    return not callable(obj) and not inspect.isclass(obj)


def _public_names():
    out = []
    for prefix, ns in NAMESPACES.items():
        for name in ns.__all__:
            obj = getattr(ns, name)
            if not _exempt(obj):
                out.append((f'{prefix}.{name}', obj))
    for prefix, cls in CLASSES.items():
        for name in METHODS:
            if not hasattr(cls, name):
                continue
            owner = next(c for c in cls.__mro__ if name in c.__dict__)
            out.append((f'{prefix}.{name}', owner.__dict__[name]))
    return out


PUBLIC = _public_names()


def _doc(obj) -> str:
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    return obj.__doc__ or ''


def _collected_docstrings() -> set:
    """The docstrings holding examples that the doctest collector finds in bptorch."""
    found = set()
    finder = doctest.DocTestFinder()
    modules = [bp] + [importlib.import_module(m.name) for m in
                      pkgutil.walk_packages(bp.__path__, prefix='bptorch.')]
    for module in modules:
        for test in finder.find(module):
            if test.examples:
                found.add(test.docstring)
    return found


@pytest.fixture(scope='module')
def collected():
    return _collected_docstrings()


def test_the_enumeration_is_not_empty():
    names = {n for n, _ in PUBLIC}
    assert len(names) > 250
    for expected in ('bm.grad', 'bm.TrainVar', 'bp.Base', 'bm.random.rand', 'bm.distributed.axis',
                     'bp.optimizers.Adam', 'bp.Base.vars', 'bm.Variable.value',
                     'bm.TensorCollector.assign'):
        assert expected in names


@pytest.mark.parametrize('name, obj', PUBLIC, ids=[n for n, _ in PUBLIC])
def test_docstring_has_an_example(name, obj, collected):
    if name in ALLOWED_WITHOUT_EXAMPLE:
        pytest.skip(ALLOWED_WITHOUT_EXAMPLE[name])
    doc = _doc(obj)
    assert doc.strip(), f'{name} has no docstring'
    assert '>>>' in doc, f'{name}: the docstring has no example (no ">>>")'
    assert doc in collected, (f'{name}: the docstring has an example, but the doctest collector '
                              'does not find it (so it never runs)')


@pytest.mark.parametrize('name', sorted(ALLOWED_WITHOUT_EXAMPLE))
def test_allow_list_holds_only_torch_objects(name):
    prefix, _, attr = name.rpartition('.')
    obj = getattr(NAMESPACES[prefix], attr)
    assert getattr(obj, '__module__', '').startswith('torch'), (
        f'{name} is no longer a torch object: give it a docstring with an example')


def test_doctests_run_in_the_suite():
    """setup.cfg makes the plain ``pytest`` run collect bptorch's doctests."""
    import configparser
    import pathlib
    cfg = configparser.ConfigParser()
    cfg.read(pathlib.Path(__file__).resolve().parents[1] / 'setup.cfg')
    section = cfg['tool:pytest']
    assert '--doctest-modules' in section['addopts']
    assert 'bptorch' in section['testpaths'].split()
