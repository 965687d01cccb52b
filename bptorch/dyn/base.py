"""Dynamical systems: BrainPy 2.1.12's ``bp.dyn`` base classes.

A :class:`DynamicalSystem` is a ``bp.Base`` with an ``update`` function that
advances it by one step. Two forms of ``update`` are understood:

- BrainPy 2.1's ``update(self, t, dt)`` (also written ``update(self, _t, _dt)``);
- BrainPy 2.2's ``update(self, tdi, x=None)``, where ``tdi`` holds the current time
  ``tdi.t`` (also ``tdi['t']``), the step ``tdi.dt`` and the step index ``tdi.i``.

Each system finds out which form its ``update`` has once, when it is built (from
the names and number of its parameters: a first parameter called ``t``/``_t`` or
two required ones mean 2.1's form; ``tdi``/``sha``/``shared`` or one required one
mean 2.2's), and :meth:`DynamicalSystem.step` calls it in that form. Containers and
networks step their children that way, so children of both forms mix freely, and
the models of ``bp.dyn`` accept both calls themselves (``model.update(t, dt)``,
``model.update(tdi)``, ``model.update(tdi, x)`` adds ``x`` to the input).

A plain Python loop runs a model: ``for i in range(n): net.update(i * dt, dt)``.

Examples
--------
The ``dynamical_systems`` tutorial's model (imports changed):

>>> import bptorch as bp, bptorch.math as bm
>>> class FitzHughNagumoModel(bp.dyn.DynamicalSystem):
...     def __init__(self, a=0.8, b=0.7, tau=12.5, **kwargs):
...         super(FitzHughNagumoModel, self).__init__(**kwargs)
...         self.a, self.b, self.tau = a, b, tau
...         self.v = bm.Variable([0.])
...         self.w = bm.Variable([0.])
...         self.I = bm.Variable([0.])
...     def update(self, _t, _dt):
...         self.w += (self.v + self.a - self.b * self.w) / self.tau * _dt
...         self.v += (self.v - self.v ** 3 / 3 - self.w + self.I) * _dt
...         self.I[:] = 0.
>>> fhn = FitzHughNagumoModel(name='FHN_doc')
>>> for i in range(10):
...     fhn.I += 1.5
...     fhn.update(i * 0.1, 0.1)
>>> fhn.v
Variable(tensor([1.8257]))
>>> sorted(fhn.vars())
['FHN_doc.I', 'FHN_doc.v', 'FHN_doc.w']
"""

from __future__ import annotations

import inspect
import math as pm
import numbers
import warnings
import weakref
from typing import Any, Callable, Dict, Sequence, Union

import numpy as np
import torch
from torch import nn

from bptorch.base.base import Base
from bptorch.connect import IJConn, MatConn, TwoEndConnector
from bptorch.errors import ModelBuildError
from bptorch.initialize import Initializer, Uniform, init_param
from bptorch.integrators import Integrator
from bptorch.integrators.ode import odeint
from bptorch.math import delayvars, settings
from bptorch.math.collectors import Collector
from bptorch.math.delayvars import LengthDelay
from bptorch.math.variables import Variable, as_tensor

__all__ = [
    'DynamicalSystem', 'Container', 'Network', 'ConstantDelay', 'NeuGroup', 'ConNeuGroup',
    'TwoEndConn', 'Channel', 'ContainerWrapper', 'SharedArgs',
]


# ---------------------------------------------------------------------------------------
# the two forms of ``update``
# ---------------------------------------------------------------------------------------

_TIME_FORM = 'update(t, dt)'          # BrainPy 2.1
_SHARED_FORM = 'update(tdi)'          # BrainPy 2.2
_TIME_NAMES = frozenset(('t', '_t', 'time', 'T', 't_'))
_SHARED_NAMES = frozenset(('tdi', 'sha', 'shared', 'shared_args', 'sh', 'share', 'tdi_'))
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
_FORMS: Dict[Any, str] = {}


def update_form(update: Callable) -> str:
    """Which form a bound ``update`` method has: ``'update(t, dt)'`` (BrainPy 2.1) or
    ``'update(tdi)'`` (BrainPy 2.2), read from its signature (cached per function).

    Examples
    --------
    >>> from bptorch.dyn.base import update_form
    >>> class A:
    ...     def update(self, _t, _dt): ...
    ...     def step(self, tdi, x=None): ...
    >>> update_form(A().update), update_form(A().step)
    ('update(t, dt)', 'update(tdi)')
    """
    key = getattr(update, '__func__', update)
    form = _FORMS.get(key)
    if form is None:
        try:
            params = [p for p in inspect.signature(update).parameters.values()
                      if p.kind in _POSITIONAL]
        except (TypeError, ValueError):
            params = []
        if not params:
            form = _TIME_FORM
        elif params[0].name in _TIME_NAMES:
            form = _TIME_FORM
        elif params[0].name in _SHARED_NAMES:
            form = _SHARED_FORM
        else:
            required = [p for p in params if p.default is inspect.Parameter.empty]
            form = _SHARED_FORM if len(params) == 1 or len(required) == 1 else _TIME_FORM
        try:
            _FORMS[key] = form
        except TypeError:
            pass
    return form


class SharedArgs(dict):
    """The shared arguments of BrainPy 2.2's ``update(tdi)``: ``t``, ``dt`` and ``i``,
    readable as items or attributes.

    Examples
    --------
    >>> from bptorch.dyn.base import SharedArgs
    >>> tdi = SharedArgs(t=0.5, dt=0.1)
    >>> tdi.t, tdi['dt'], tdi.i
    (0.5, 0.1, 5)
    """

    def __init__(self, t: Any = 0., dt: Any = None, i: Any = None, **others: Any):
        dt = settings.get_dt() if dt is None else dt
        if i is None:
            i = _step_index(t, dt)
        super().__init__(t=t, dt=dt, i=i, **others)

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f'the shared arguments have no {name!r}: they have '
                                 f'{sorted(self)}') from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


def _step_index(t: Any, dt: Any) -> Any:
    if isinstance(t, Variable):
        t = t.value
    if isinstance(t, torch.Tensor) or isinstance(dt, torch.Tensor):
        return torch.round(torch.as_tensor(t) / dt).to(torch.int64)
    return int(round(t / dt))


def _is_shared(x: Any) -> bool:
    if isinstance(x, dict):
        return 't' in x
    return not isinstance(x, (numbers.Number, torch.Tensor, Variable, np.ndarray)) \
        and hasattr(x, 't') and hasattr(x, 'dt')


def time_args(t: Any, dt: Any = None, x: Any = None) -> tuple:
    """``(t, dt, x)`` from either call of a model's ``update``: ``(t, dt)`` (BrainPy 2.1) or
    ``(tdi)`` / ``(tdi, x)`` (BrainPy 2.2; ``x`` then comes in the place of ``dt``).

    Examples
    --------
    >>> from bptorch.dyn.base import time_args, SharedArgs
    >>> time_args(1., 0.1), time_args(SharedArgs(t=1., dt=0.1), 5.)
    ((1.0, 0.1, None), (1.0, 0.1, 5.0))
    """
    if _is_shared(t):
        if x is None:
            x = dt
        tdi = t
        if isinstance(tdi, dict):
            return tdi['t'], tdi.get('dt', settings.get_dt()), x
        return tdi.t, tdi.dt, x
    return t, (settings.get_dt() if dt is None else dt), x


# ---------------------------------------------------------------------------------------
# DynamicalSystem
# ---------------------------------------------------------------------------------------

class DynamicalSystem(Base):
    """Base class of dynamical systems: a ``bp.Base`` stepped by ``update``.

    Parameters
    ----------
    name : str, optional
        The system's unique name.

    Examples
    --------
    A system written in BrainPy 2.2's form, stepped by :meth:`step_run`:

    >>> import bptorch as bp, bptorch.math as bm
    >>> class Counter(bp.dyn.DynamicalSystem):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.n = bm.Variable(bm.zeros(1))
    ...     def update(self, tdi):
    ...         self.n += tdi.dt
    >>> c = Counter()
    >>> for i in range(4):
    ...     c.step_run(i)
    >>> c.n
    Variable(tensor([0.4000]))
    """

    global_delay_vars: 'weakref.WeakValueDictionary[str, LengthDelay]' = \
        weakref.WeakValueDictionary()
    """Delays shared by every system (by name, e.g. ``'E.spike'``); held weakly: a delay
    lives as long as a system that registered it."""

    def __init__(self, name: str | None = None):
        super().__init__(name=name)
        self.local_delay_vars: Dict[str, LengthDelay] = Collector()
        self._update_form = update_form(self.update)

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(name={self.name})'

    @property
    def steps(self) -> dict:
        """Deprecated since BrainPy 2.0.3: always an empty dict."""
        warnings.warn('.steps has been deprecated since version 2.0.3.', DeprecationWarning,
                      stacklevel=2)
        return {}

    def ints(self, method: str = 'absolute') -> Collector:
        """Every integrator held by this system and its children, by path.

        Examples
        --------
        >>> import bptorch as bp
        >>> list(bp.dyn.LIF(2, name='IntsLIF').ints())
        ['IntsLIF.integral']
        """
        gather = Collector()
        for node_path, node in self.nodes(method=method).items():
            for k, v in node._modules.items():
                if isinstance(v, Integrator):
                    gather[f'{node_path}.{k}' if node_path else k] = v
        return gather

    def __call__(self, *args, **kwargs):
        """A shortcut to :meth:`update`."""
        return self.update(*args, **kwargs)

    def forward(self, *args, **kwargs):
        """``nn.Module``'s entry point: :meth:`update`."""
        return self.update(*args, **kwargs)

    # -- stepping ------------------------------------------------------------------
    def step(self, t: Any, dt: Any = None, i: Any = None, *args, **kwargs) -> Any:
        """Call :meth:`update` in the form it is written in (``update(t, dt, *args)`` or
        ``update(tdi, *args)``), for one step at time ``t``.

        Examples
        --------
        >>> import bptorch as bp
        >>> lif = bp.dyn.LIF(1)
        >>> lif.input += 30.
        >>> lif.step(0., 0.1); lif.V
        Variable(tensor([0.2985]))
        """
        if dt is None:
            dt = settings.get_dt()
        if self._update_form == _SHARED_FORM:
            return self.update(SharedArgs(t=t, dt=dt, i=i), *args, **kwargs)
        return self.update(t, dt, *args, **kwargs)

    def step_run(self, i: Any, *args, **kwargs) -> Any:
        """Run step ``i`` (time ``i * bm.get_dt()``), BrainPy 2.4's ``step_run``: ``args`` go
        to ``update`` after the time arguments.

        Examples
        --------
        >>> import bptorch as bp, bptorch.math as bm
        >>> lif = bp.dyn.LIF(1)
        >>> for i in range(3):
        ...     lif.input += 30.
        ...     lif.step_run(i)
        >>> lif.V
        Variable(tensor([0.8866]))
        """
        dt = settings.get_dt()
        return self.step(i * dt, dt, i, *args, **kwargs)

    def update(self, t, dt):
        """Advance the system by one step (implemented by each system)."""
        raise NotImplementedError('Must implement "update" function by subclass self.')

    def reset(self):
        """Reset every variable of the system (implemented by each system)."""
        raise NotImplementedError('Must implement "reset" function by subclass self.')

    # -- delays ----------------------------------------------------------------------
    def register_delay(self, name: str, delay_step: Any, delay_target: Any,
                       initial_delay_data: Any = None, domain: str = 'global') -> Any:
        """Register a delay of ``delay_target`` under ``name`` (BrainPy 2.1.12).

        Parameters
        ----------
        name : str
            The delay's name (``'E.spike'`` for the spikes of group ``E``).
        delay_step : int, integer tensor, callable or Initializer, optional
            The delay in steps: one for all, or one per element of the target's
            leading axis. None: no delay (returns None).
        delay_target : tensor, Variable
            The data to delay.
        initial_delay_data : number, tensor or callable, optional
            The data before the first update.
        domain : {'global', 'local'}
            ``'global'``: shared by every system registering the same name (the
            first one updates it, the longest delay wins); ``'local'``: this system's.

        Returns
        -------
        delay_step : int, tensor or None
            The delay steps (an initializer becomes a tensor).

        Examples
        --------
        >>> import bptorch as bp, bptorch.math as bm
        >>> ds = bp.dyn.DynamicalSystem()
        >>> x = bm.Variable(bm.zeros(3))
        >>> ds.register_delay('x', 2, x, domain='local')
        2
        >>> ds.update_delay('x', bm.ones(3)); ds.get_delay_data('x', 0)
        tensor([1., 1., 1.])
        """
        if delay_step is None:
            return None
        if isinstance(delay_step, numbers.Integral) and not isinstance(delay_step, bool):
            delay_step = int(delay_step)
            heter = False
        elif isinstance(delay_step, (torch.Tensor, np.ndarray, Variable)):
            delay_step = as_tensor(delay_step)
            heter = True
        elif callable(delay_step):
            delay_step = as_tensor(init_param(delay_step, tuple(delay_target.shape),
                                              allow_none=False))
            heter = True
        else:
            raise ValueError(f'Unknown "delay_steps" type {type(delay_step)}, only support '
                             f'integer, array of integers, callable function, '
                             f'brainpy.init.Initializer.')
        if heter:
            if delay_step.dtype not in (torch.int32, torch.int64):
                raise ValueError('Only support delay steps of int32, int64. If your provide delay '
                                 'time length, please divide the "dt" then provide us the number '
                                 'of delay steps.')
            if delay_step.dim() != 1 or delay_target.shape[0] != delay_step.shape[0]:
                raise ValueError(f'Shape is mismatched: {delay_target.shape[0]} != '
                                 f'{tuple(delay_step.shape)}')
            delay_step = delay_step.to(device=delay_target.device)
            max_delay_step = int(delay_step.max())
        else:
            max_delay_step = delay_step
        if max_delay_step < 0:
            raise ValueError(f'"delay_step" must be >= 0, but we got {max_delay_step}')
        if domain not in ('global', 'local'):
            raise ValueError(f'"domain" must be a string in ["global", "local"]. '
                             f'Bug we got {domain}.')
        if domain == 'local':
            delay = LengthDelay(delay_target, max_delay_step, initial_delay_data)
            self.local_delay_vars.replace(name, delay)
            self._attach_delay(name, delay)
            return delay_step
        delay = self.global_delay_vars.get(name)
        target_ref = delay.__dict__.get('_target') if delay is not None else None
        if target_ref is None or target_ref() is not delay_target:
            # new (or the name now stands for other data): the first system to register a
            # delay updates it
            delay = LengthDelay(delay_target, max_delay_step, initial_delay_data)
            delay.__dict__['_target'] = weakref.ref(delay_target)
            self.global_delay_vars[name] = delay
            self.local_delay_vars.replace(name, delay)
        elif delay.num_delay_step - 1 < max_delay_step:
            delay.reset(delay_target, max_delay_step, initial_delay_data)
        self._attach_delay(name, delay)
        return delay_step

    def _attach_delay(self, name: str, delay: LengthDelay) -> None:
        """Hold ``delay`` as a child (so it is saved, moved and seen by transforms)."""
        key = _delay_key(name)
        if self.implicit_nodes.get(key) is delay:
            return
        if key in self.implicit_nodes:
            self.implicit_nodes.replace(key, delay)
            self._modules[key] = delay
        else:
            self.register_implicit_nodes({key: delay})

    def get_delay_data(self, name: str, delay_step: Any, *indices: Any) -> torch.Tensor:
        """The data of delay ``name`` ``delay_step`` steps ago (per-element delays use
        ``indices``, by default each element's own).

        Examples
        --------
        >>> import bptorch as bp, bptorch.math as bm
        >>> ds = bp.dyn.DynamicalSystem()
        >>> x = bm.Variable(bm.arange(3.))
        >>> steps = ds.register_delay('y', bm.asarray([0, 1, 2]), x, initial_delay_data=-1.,
        ...                           domain='local')
        >>> ds.get_delay_data('y', steps)
        tensor([ 0., -1., -1.])
        """
        delay = self.global_delay_vars.get(name)
        if delay is None:
            delay = self.local_delay_vars.get(name)
        if delay is None:
            raise ValueError(f'{name} is not defined in delay variables.')
        if isinstance(delay_step, numbers.Integral):
            return delay(delay_step, *indices)
        if not indices:
            indices = (torch.arange(delay_step.numel(), device=delay.data.device),)
        return delay(delay_step, *indices)

    def update_delay(self, name: str, delay_data: Any) -> None:
        """Record the current ``delay_data`` in delay ``name`` (if this system owns it)."""
        if name in self.local_delay_vars:
            return self.local_delay_vars[name].update(delay_data)
        if name not in self.global_delay_vars:
            raise ValueError(f'{name} is not defined in delay variables.')

    def reset_delay(self, name: str, delay_target: Any) -> None:
        """Restart delay ``name`` from ``delay_target`` (if this system owns it)."""
        if name in self.local_delay_vars:
            return self.local_delay_vars[name].reset(delay_target)
        if name not in self.global_delay_vars:
            raise ValueError(f'{name} is not defined in delay variables.')


def _delay_key(name: str) -> str:
    """A module name for a delay (module names cannot hold dots)."""
    return 'delay_' + ''.join(c if c.isalnum() or c == '_' else '_' for c in name)


# ---------------------------------------------------------------------------------------
# containers
# ---------------------------------------------------------------------------------------

class Container(DynamicalSystem):
    """A dynamical system made of other dynamical systems (its children).

    Parameters
    ----------
    *ds_tuple : DynamicalSystem
        Children, known by their names.
    name : str, optional
        The container's name.
    **ds_dict : DynamicalSystem
        Children, known by the given keys.

    ``update`` steps the children in the order they were added (attributes and
    children given here alike), each in its own ``update`` form; the list is
    recomputed when a child is added or removed.

    Examples
    --------
    >>> import bptorch as bp
    >>> a, b = bp.dyn.LIF(2, name='CA'), bp.dyn.LIF(3, name='CB')
    >>> net = bp.dyn.Container(a, second=b)
    >>> net.CA is a, net['second'] is b, list(net.child_ds())
    (True, True, ['CA', 'CB'])
    """

    def __init__(self, *ds_tuple: DynamicalSystem, name: str | None = None,
                 **ds_dict: DynamicalSystem):
        super().__init__(name=name)
        self._children_key = None
        self._children: list = []
        for ds in ds_tuple:
            if not isinstance(ds, DynamicalSystem):
                raise ModelBuildError(f'{self.__class__.__name__} receives instances of '
                                      f'DynamicalSystem, however, we got {type(ds)}.')
            if ds.name in self.implicit_nodes:
                raise ValueError(f'{ds.name} has been paired with {ds}. '
                                 f'Please change a unique name.')
        self.register_implicit_nodes({node.name: node for node in ds_tuple})
        for key, ds in ds_dict.items():
            if not isinstance(ds, DynamicalSystem):
                raise ModelBuildError(f'{self.__class__.__name__} receives instances of '
                                      f'DynamicalSystem, however, we got {type(ds)}.')
            if key in self.implicit_nodes:
                raise ValueError(f'{key} has been paired with {ds}. Please change a unique name.')
        self.register_implicit_nodes(ds_dict)

    def __repr__(self) -> str:
        children = [f'{key}={val}' for key, val in self.implicit_nodes.items()]
        return f'{self.__class__.__name__}({", ".join(children)})'

    def child_ds(self) -> Collector:
        """The dynamical systems one level down (by name), in update order.

        Examples
        --------
        >>> import bptorch as bp
        >>> net = bp.dyn.Network(bp.dyn.LIF(1, name='ChildA'))
        >>> list(net.child_ds())
        ['ChildA']
        """
        return self.nodes(level=1, include_self=False).subset(DynamicalSystem).unique()

    def _steppers(self) -> list:
        """``[(child, form)]``, recomputed only when the children change."""
        key = tuple(map(id, self._modules.values()))
        if key != self._children_key:
            self._children = [(node, node._update_form) for node in self.child_ds().values()]
            self._children_key = key
        return self._children

    def update(self, t: Any, dt: Any = None) -> None:
        """Step every child once (each in its own ``update`` form); ``update(tdi)`` works too."""
        shared = t if _is_shared(t) else None
        t, dt, _ = time_args(t, dt)
        for node, form in self._steppers():
            if form == _SHARED_FORM:
                if shared is None:
                    shared = SharedArgs(t=t, dt=dt)
                node.update(shared)
            else:
                node.update(t, dt)

    def __getitem__(self, item: str) -> DynamicalSystem:
        if item in self.implicit_nodes:
            return self.implicit_nodes[item]
        raise ValueError(f'Unknown item {item}, we only found {list(self.implicit_nodes.keys())}')

    def reset(self) -> None:
        """Reset the neuron groups, then the synapses, then the other children."""
        nodes = self.child_ds()
        neuron_groups = nodes.subset(NeuGroup)
        synapse_groups = nodes.subset(TwoEndConn)
        for node in neuron_groups.values():
            node.reset()
        for node in synapse_groups.values():
            node.reset()
        for node in (nodes - neuron_groups - synapse_groups).values():
            node.reset()

    @classmethod
    def has(cls, **children_cls) -> 'ContainerWrapper':
        """A :class:`ContainerWrapper` that builds this class with the given children classes."""
        return ContainerWrapper(master=cls, **children_cls)


class Network(Container):
    """A network of neuron groups, synapses and other systems (BrainPy 2.1's ``Network``:
    a :class:`Container`; children are stepped in the order they were added).

    Examples
    --------
    The ``network_models`` tutorial's E/I network, stepped with a Python loop:

    >>> import bptorch as bp, bptorch.math as bm
    >>> bm.random.seed(0)
    >>> pars = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
    >>> E, I = bp.dyn.LIF(40, **pars), bp.dyn.LIF(10, **pars)
    >>> E2I = bp.dyn.ExpCOBA(E, I, bp.conn.FixedProb(prob=0.2), E=0., g_max=0.6, tau=5.)
    >>> net = bp.dyn.Network(E2I, exc=E, inh=I)
    >>> for i in range(5):
    ...     E.input += 20.; I.input += 20.
    ...     net.update(i * 0.1, 0.1)
    >>> list(net.child_ds())[0] == E2I.name, net.exc is E
    (True, True)
    """


# ---------------------------------------------------------------------------------------
# ConstantDelay
# ---------------------------------------------------------------------------------------

class ConstantDelay(DynamicalSystem):
    """A constant delay of data of a given size (BrainPy's ``ConstantDelay``).

    At each step :meth:`push` the newest data, :meth:`pull` the data ``delay`` ago, then
    :meth:`update` (BrainPy's order). ``delay`` (a time, in units of
    ``dt``) is one number, or one per element of a 1-d ``size``.

    Parameters
    ----------
    size : int or tuple of int
        The data's shape.
    delay : float or tensor
        The delay time (uniform), or one per element (non-uniform, 1-d sizes).
    dtype : torch.dtype, optional
        The data's dtype (the default float).
    dt : float, optional
        The time step (``bm.get_dt()``).
    name : str, optional
        The object's name.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> d = bp.dyn.ConstantDelay(2, delay=0.2, dt=0.1)
    >>> for i in range(4):
    ...     d.push(bm.ones(2) * (i + 1)); print(d.pull()); d.update()
    tensor([0., 0.])
    tensor([0., 0.])
    tensor([1., 1.])
    tensor([2., 2.])
    """

    def __init__(self, size: Any, delay: Any, dtype: Any = None, dt: float | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        self.dt = settings.get_dt() if dt is None else dt
        self.dtype = dtype
        if isinstance(size, int):
            size = (size,)
        if not isinstance(size, (tuple, list)):
            raise ModelBuildError(f'"size" must a tuple/list of int, but we got '
                                  f'{type(size)}: {size}')
        self.size = tuple(size)
        self.delay = delay
        if isinstance(delay, (int, float)):
            self.uniform_delay = True
            self.num_step = int(pm.ceil(delay / self.dt)) + 1
            dev = settings.default_device()
            self.out_idx = Variable(torch.tensor([0], dtype=torch.int64, device=dev))
            self.in_idx = Variable(torch.tensor([self.num_step - 1], dtype=torch.int64, device=dev))
            self.data = Variable(torch.zeros((self.num_step,) + self.size,
                                             dtype=dtype or settings.float_(), device=dev))
            self.num = 1
        else:
            self.uniform_delay = False
            if len(self.size) != 1:
                raise NotImplementedError(f'Currently, BrainPy only supports 1D heterogeneous '
                                          f'delays, while we got the heterogeneous delay with '
                                          f'{len(self.size)}-dimensions.')
            self.num = self.size[0]
            delay = as_tensor(delay)
            dev = delay.device
            if delay.dim() != 1:
                raise ModelBuildError(f'Only support a 1D non-uniform delay. But we got '
                                      f'{delay.dim()}D: {delay}')
            if delay.shape[0] != self.size[0]:
                raise ModelBuildError(f"The first shape of the delay time size must be the same "
                                      f"with the delay data size. But we got {delay.shape[0]} != "
                                      f"{self.size[0]}")
            self.diag = torch.arange(self.num, device=dev)
            self.num_step = torch.round(delay / self.dt).to(torch.int64) + 1
            self.in_idx = Variable(self.num_step - 1)
            self.out_idx = Variable(torch.zeros(self.num, dtype=torch.int64, device=dev))
            self.data = Variable(torch.zeros((int(self.num_step.max()),) + self.size,
                                             dtype=dtype or settings.float_(), device=dev))
        self.__dict__['_own_buffer'] = weakref.ref(self.data.value)

    def __getstate__(self):
        """Pickled without the weak reference to its buffer."""
        state = super().__getstate__() if hasattr(super(), '__getstate__') else self.__dict__
        return {k: v for k, v in state.items() if k != '_own_buffer'}

    def reset(self) -> None:
        """Empty the delay."""
        self.in_idx.value = torch.zeros_like(self.in_idx.value) + (self.num_step - 1)
        self.out_idx.value = torch.zeros_like(self.out_idx.value)
        self.data.value = torch.zeros_like(self.data.value)
        self.__dict__['_own_buffer'] = weakref.ref(self.data.value)

    @property
    def oldest(self) -> torch.Tensor:
        return self.pull()

    @property
    def latest(self) -> torch.Tensor:
        buf = self.data.value
        if self.uniform_delay:
            return buf.index_select(0, self.in_idx.value)[0]
        return buf[self.in_idx.value, self.diag]

    def pull(self) -> torch.Tensor:
        """The data ``delay`` ago."""
        buf = self.data.value
        if self.uniform_delay:
            return buf.index_select(0, self.out_idx.value)[0]
        return buf[self.out_idx.value, self.diag]

    def push(self, value: Any) -> None:
        """Write the newest data."""
        if self.uniform_delay:
            delayvars.write_rows(self, self.data, (self.in_idx.value,), value, rows=True)
        else:
            delayvars.write_rows(self, self.data, (self.in_idx.value, self.diag), value)

    def update(self, t: Any = None, dt: Any = None, **kwargs) -> None:
        """Advance the read and write positions."""
        self.in_idx.value = torch.remainder(self.in_idx.value + 1, self.num_step)
        self.out_idx.value = torch.remainder(self.out_idx.value + 1, self.num_step)


# ---------------------------------------------------------------------------------------
# groups and connections
# ---------------------------------------------------------------------------------------

def _check_size(size: Any) -> tuple:
    if isinstance(size, (list, tuple)):
        if len(size) <= 0:
            raise ModelBuildError(f'size must be int, or a tuple/list of int. '
                                  f'But we got {type(size)}')
        if not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in size):
            raise ModelBuildError(f'size must be int, or a tuple/list of int. But we got {size!r}')
        return tuple(int(s) for s in size)
    if isinstance(size, (int, np.integer)) and not isinstance(size, bool):
        return (int(size),)
    raise ModelBuildError(f'size must be int, or a tuple/list of int. But we got {type(size)}')


class NeuGroup(DynamicalSystem):
    """Base class of neuron groups.

    Parameters
    ----------
    size : int or tuple of int
        The group's geometry: ``(10,)`` a line, ``(10, 10)`` a grid, ...
    name : str, optional
        The group's name.
    keep_size : bool
        Whether the variables keep the shape ``size`` (BrainPy 2.2) rather than
        ``(num,)``.

    Attributes: ``size`` (a tuple), ``num`` (the number of neurons), ``keep_size``
    and ``varshape`` (the shape of the variables).

    Examples
    --------
    >>> import bptorch as bp
    >>> g = bp.dyn.NeuGroup((10, 15, 4))
    >>> g.size, g.num, g.varshape
    ((10, 15, 4), 600, (600,))
    """

    def __init__(self, size: Any, name: str | None = None, keep_size: bool = False):
        self._init_size(size, keep_size)
        super().__init__(name=name)

    def _init_size(self, size: Any, keep_size: bool) -> None:
        size = _check_size(size)
        object.__setattr__(self, 'size', size)
        object.__setattr__(self, 'num', int(np.prod(size, dtype=np.int64)))
        object.__setattr__(self, 'keep_size', bool(keep_size))
        object.__setattr__(self, 'varshape', size if keep_size else (self.num,))

    def update(self, t, dt):
        raise NotImplementedError(f'Subclass of {self.__class__.__name__} must implement '
                                  f'"update" function.')


class TwoEndConn(DynamicalSystem):
    """Base class of connections between two neuron groups.

    Parameters
    ----------
    pre, post : NeuGroup
        The pre- and post-synaptic groups.
    conn : TwoEndConnector, tensor, dict or str, optional
        A connector (called with the two sizes: ``self.conn = conn(pre.size,
        post.size)``), a ``(pre.num, post.num)`` matrix, ``dict(i=..., j=...)``, or a
        string (kept as it is).
    name : str, optional
        The connection's name.

    Examples
    --------
    >>> import bptorch as bp
    >>> pre, post = bp.dyn.LIF(3), bp.dyn.LIF(2)
    >>> syn = bp.dyn.TwoEndConn(pre, post, bp.conn.All2All())
    >>> syn.conn.require('conn_mat').shape
    torch.Size([3, 2])
    >>> syn.check_pre_attrs('spike')
    >>> syn.check_post_attrs('w')
    Traceback (most recent call last):
    ...
    bptorch.errors.ModelBuildError: TwoEndConn(name=...) needs the "post" neuron group to have the attribute "w".
    """

    def __init__(self, pre: NeuGroup, post: NeuGroup, conn: Any = None, name: str | None = None):
        if not isinstance(pre, NeuGroup):
            raise ModelBuildError(f'"pre" must be an instance of NeuGroup, '
                                  f'but we got {type(pre)}.')
        if not isinstance(post, NeuGroup):
            raise ModelBuildError(f'"post" must be an instance of NeuGroup, '
                                  f'but we got {type(post)}.')
        super().__init__(name=name)
        self.pre = pre
        self.post = post
        if isinstance(conn, TwoEndConnector):
            self.conn = conn(pre.size, post.size)
        elif isinstance(conn, (torch.Tensor, np.ndarray, Variable)):
            if (pre.num, post.num) != tuple(conn.shape):
                raise ModelBuildError(f'"conn" is provided as a matrix, and it is expected to be '
                                      f'an array with shape of (pre.num, post.num) = '
                                      f'{(pre.num, post.num)}, however we got '
                                      f'{tuple(conn.shape)}')
            self.conn = MatConn(conn_mat=as_tensor(conn))(pre.size, post.size)
        elif isinstance(conn, dict):
            if not ('i' in conn and 'j' in conn):
                raise ModelBuildError(f'"conn" is provided as a dict, and it is expected to be '
                                      f'a dictionary with "i" and "j" specification, however we '
                                      f'got {conn}')
            self.conn = IJConn(i=conn['i'], j=conn['j'])(pre.size, post.size)
        elif isinstance(conn, str) or conn is None:
            self.conn = conn
        else:
            raise ModelBuildError(f'Unknown "conn" type: {conn}')

    def check_pre_attrs(self, *attrs: str) -> None:
        """Check that the pre-synaptic group has every attribute in ``attrs``."""
        self._check_attrs('pre', attrs)

    def check_post_attrs(self, *attrs: str) -> None:
        """Check that the post-synaptic group has every attribute in ``attrs``."""
        self._check_attrs('post', attrs)

    def _check_attrs(self, which: str, attrs: Sequence[str]) -> None:
        group = self._modules.get(which)
        if group is None:
            raise ModelBuildError('Please call __init__ function first.')
        for attr in attrs:
            if not isinstance(attr, str):
                raise ValueError(f'Must be string. But got {attr}.')
            if not hasattr(group, attr):
                raise ModelBuildError(f'{self} needs the "{which}" neuron group to have the '
                                      f'attribute "{attr}".')


class Channel(DynamicalSystem):
    """Base class of ion channels: ``update(t, dt, V)``, ``current(V)``, ``reset()``.

    Examples
    --------
    >>> import bptorch as bp
    >>> ch = bp.dyn.Channel(3)
    >>> ch.size, ch.num
    ((3,), 3)
    """

    master_cls = None

    def __init__(self, size: Any, name: str | None = None):
        super().__init__(name=name)
        self.size = _check_size(size)
        self.num = int(np.prod(self.size, dtype=np.int64))

    def update(self, t, dt, V=None):
        raise NotImplementedError('Must be implemented by the subclass.')

    def current(self, V):
        raise NotImplementedError('Must be implemented by the subclass.')

    def reset(self):
        raise NotImplementedError('Must be implemented by the subclass.')


class ConNeuGroup(NeuGroup, Container):
    r"""A conductance-based neuron group made of channels (BrainPy 2.1.9+).

    .. math::

        C_m {dV \over dt} = \sum_j I_j(V) + I_{ext} \cdot 10^{-3} / A

    where each channel (a :class:`Channel` child, given by keyword) gives its current
    ``ch.current(V)`` and is updated with ``ch.update(t, dt, V)``.

    Parameters
    ----------
    size : int or tuple of int
        The group's size.
    C, A, V_th : float, tensor or initializer
        Capacitance, membrane area, spike threshold.
    V_initializer : initializer or tensor
        The initial membrane potential.
    method : str
        The integration method of ``V``.
    name : str, optional
        The group's name.
    **channels : Channel
        The channels.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> class Leak(bp.dyn.Channel):
    ...     def __init__(self, size, g=0.1, E=-70.):
    ...         super().__init__(size); self.g, self.E = g, E
    ...     def current(self, V): return self.g * (self.E - V)
    ...     def update(self, t, dt, V): pass
    ...     def reset(self): pass
    >>> cell = bp.dyn.ConNeuGroup(2, V_initializer=bp.init.OneInit(-60.), IL=Leak(2))
    >>> cell.update(0., 0.1); cell.V
    Variable(tensor([-60.0995, -60.0995]))
    """

    def __init__(self, size: Any, C: Any = 1., A: Any = 1e-3, V_th: Any = 0.,
                 V_initializer: Any = Uniform(-70, -60.), method: str = 'exp_auto',
                 name: str | None = None, **channels: Channel):
        self._init_size(size, False)
        Container.__init__(self, **channels, name=name)
        self.C = C
        self.A = A
        self.V_th = V_th
        self._V_initializer = V_initializer
        self.V = Variable(init_param(V_initializer, self.num, allow_none=False))
        self.input = Variable(torch.zeros_like(self.V.value))
        self.spike = Variable(torch.zeros(self.num, dtype=torch.bool, device=self.V.device))
        self.integral = odeint(self.derivative, method=method)

    def reset(self) -> None:
        self.V.value = as_tensor(init_param(self._V_initializer, self.num, allow_none=False),
                                 dtype=self.V.dtype, device=self.V.device)
        self.spike.value = torch.zeros_like(self.spike.value)
        self.input.value = torch.zeros_like(self.input.value)

    def _channels(self) -> list:
        return [ch for ch in self.implicit_nodes.unique().values() if isinstance(ch, Channel)]

    def derivative(self, V, t):
        Iext = self.input.value * (1e-3 / self.A)
        for ch in self._channels():
            Iext = Iext + ch.current(V)
        return Iext / self.C

    def update(self, t: Any, dt: Any = None, x: Any = None) -> None:
        t, dt, x = time_args(t, dt, x)
        if x is not None:
            self.input += x
        V_old = self.V.value
        V = self.integral(V_old, t, dt)
        for node in self._channels():
            node.update(t, dt, V_old)
        self.spike.value = torch.logical_and(V >= self.V_th, V_old < self.V_th)
        self.input.value = torch.zeros_like(self.input.value)
        self.V.value = V


class ContainerWrapper:
    """Builds a master class with children classes (``bp.dyn.ConNeuGroup.has(...)``).

    Examples
    --------
    >>> import bptorch as bp
    >>> class Leak(bp.dyn.Channel):
    ...     master_cls = bp.dyn.ConNeuGroup
    ...     def __init__(self, size, g=0.1, E=-70., name=None):
    ...         super().__init__(size, name=name); self.g, self.E = g, E
    ...     def current(self, V): return self.g * (self.E - V)
    ...     def update(self, t, dt, V): pass
    ...     def reset(self): pass
    >>> make = bp.dyn.ConNeuGroup.has(IL=Leak)
    >>> cell = make(3, IL=dict(g=0.2))
    >>> cell.IL.g, cell.IL.master is cell
    (0.2, True)
    """

    def __init__(self, master: type, **children: Any):
        self.master = master
        self.children_cls = children
        if not isinstance(master, type):
            raise TypeError(f'"master" should be a type. But we got {master}')
        for key, child in children.items():
            if isinstance(child, type):
                if not issubclass(child, Channel):
                    raise TypeError(f'{child} should be a subclass of Channel.')
                if child.master_cls is None:
                    raise TypeError(f'{child} should set its master_cls.')
                if not issubclass(master, child.master_cls):
                    raise TypeError(f'Type does not match. {child} requires a master with type '
                                    f'of {child.master_cls}, but the master now is {master}.')
            elif isinstance(child, ContainerWrapper):
                if not issubclass(child.master, Channel):
                    raise TypeError(f'{child.master} should be a subclass of Channel.')
                if child.master.master_cls is None:
                    raise TypeError(f'{child.master} should set its master_cls.')
                if not issubclass(master, child.master.master_cls):
                    raise TypeError(f'Type does not match. {child.master} requires a master with '
                                    f'type of {child.master.master_cls}, but the master now is '
                                    f'{master}.')
            else:
                raise TypeError(f'The item in children should be a type or '
                                f'{ContainerWrapper.__name__} instance. But we got {child}')

    def __call__(self, size: Any, *shared_args: Any, shared_kwargs: dict | None = None,
                 **idv_args: Any):
        shared_kwargs = shared_kwargs or {}
        children = {}
        for key, cls in self.children_cls.items():
            pars = idv_args.pop(key, {})
            children[key] = cls(size, *shared_args, **shared_kwargs, **pars)
        master = self.master(size, *shared_args, **shared_kwargs, **idv_args, **children)
        for child in children.values():
            object.__setattr__(child, 'master', master)
        return master

    def __repr__(self) -> str:
        children = [f'{key}={val.__name__}' for key, val in self.children_cls.items()]
        return f'{self.master.__name__}({", ".join(children)})'
