"""Runners of dynamical systems (BrainPy 2.1.12's ``brainpy.dyn.DSRunner``, ``StructRunner``
and ``ReportRunner``).

A runner steps a :class:`~bptorch.dyn.DynamicalSystem` over time: at every step it
applies the ``inputs`` to their Variables, calls the model's ``update`` (in the form it
is written in, ``update(t, dt)`` or ``update(tdi)``), and records the ``monitors``.
The time loop is :func:`bptorch.math.for_loop`; the monitored values are its per-step
outputs, stacked along a new leading (time) axis. With ``jit=True`` the loop compiles
the step once with ``torch.compile`` and calls the compiled step at every step (a run
of any length compiles one step graph; later runs reuse it).

What ``runner.run(duration)`` gives, as in BrainPy 2.1.12:

- the running time in seconds (the return value);
- ``runner.mon[name]`` (also ``runner.mon.name``): NumPy arrays of shape
  ``(num_steps, size)`` (a variable's values flattened, or at the given indices of its
  flattened values; a 0-d variable gives ``(num_steps,)``); tensors with
  ``numpy_mon_after_run=False``. Each run replaces the records of the previous one;
- ``runner.mon.ts``: the times of the records, ``np.arange(start, end, dt) + dt``
  (the end of each step; float64);
- repeated runs continue in time (and through ``'iter'`` input arrays).

Inputs are ``(target, value[, type[, operation]])``: the target a path such as
``'E.input'`` (absolute: a node's name; or relative: attribute names) or (BrainPy 2.2)
a Variable; the type ``'fix'`` (a constant, default), ``'iter'`` (an array with one
row per step, or any iterable: one item per step) or ``'func'`` (``value(t, dt)``
each step); the operation one of ``+`` (default) ``-`` ``*`` ``/`` ``=``.

BrainPy 2.2's spellings are accepted where they do not clash: ``monitors`` as a dict
of names to Variables (or ``(Variable, indices)``), ``jit`` as a dict
(``{'predict': True}``), ``fun_inputs``, and ``run(duration, inputs=xs)``: data fed to
``update`` at every step (``update(t, dt, x)`` / ``update(tdi, x)``), for which ``run``
returns the stacked outputs of ``update`` (BrainPy 2.2's return value) instead of the
running time, with ``reset_state``, ``eval_time``, ``inputs_are_batching`` and
``shared_args``.

Differences from BrainPy 2.1.12
-------------------------------
- ``jit`` defaults to False (see :data:`bptorch.running.runner.DEFAULT_JIT`).
- Items of ``'iter'`` iterables (not arrays) are drawn for every step of a run before
  it starts (so they also feed compiled steps; BrainPy draws them once when compiling).
  An ``'iter'`` array shorter than the run is an error (JAX clamps the index).
- ``fun_monitors`` are recorded (2.1.12 drops them).
- Monitor intervals are refused with the same error as 2.1.12's.

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> lif = bp.dyn.LIF(2, V_rest=-60., V_reset=-60., V_th=-50., tau=20., tau_ref=5.,
...                  V_initializer=bp.init.OneInit(-60.))
>>> runner = bp.dyn.DSRunner(lif, monitors=['V', 'spike'], inputs=('input', 20.),
...                          progress_bar=False)
>>> t = runner.run(100.)
>>> runner.mon.ts.shape, runner.mon.V.shape, runner.mon.spike.dtype
((1000,), (1000, 2), dtype('bool'))
>>> runner.mon.ts[:3]
array([0.1, 0.2, 0.3])
>>> int(runner.mon.spike[:, 0].sum())   # every 13.9 + 5 ms (refractory)
5
"""

from __future__ import annotations

import contextlib
import math
import numbers
import time
import warnings
from collections.abc import Iterable
from typing import Any, Callable, Dict, Optional, Sequence, Union

import numpy as np
import torch

from bptorch import _compat
from bptorch._compat import pytree
from bptorch.dyn.base import DynamicalSystem, SharedArgs, update_form
from bptorch.dyn.utils import check_and_format_inputs, check_and_format_monitors
from bptorch.errors import RunningError
from bptorch.math import settings, variables
from bptorch.math.controls import for_loop
from bptorch.math.jit import jit as bm_jit
from bptorch.math.variables import Variable, as_tensor
from bptorch.running.monitor import Monitor
from bptorch.running.runner import Runner, jit_setting

__all__ = ['DSRunner', 'ReportRunner', 'StructRunner']

_OPS = ('=', '+', '-', '*', '/')
_SHARED_FORM = 'update(tdi)'
_BAR_CHUNKS = 50          # a compiled run with a progress bar runs in this many pieces


def _outside_transforms() -> bool:
    return variables.context.top is None and not _compat.functorch_level_active()


def _make_bar(total: int, description: str):
    try:
        import tqdm.auto
    except ImportError:           # pragma: no cover - tqdm is a dependency of the tests
        warnings.warn('progress_bar=True needs the package "tqdm"; running without a '
                      'progress bar', RuntimeWarning, stacklevel=4)
        return None
    bar = tqdm.auto.tqdm(total=total)
    bar.set_description(description, refresh=True)
    return bar


def _apply(op: str, var: Variable, data: Any) -> None:
    """``var (op)= data`` (BrainPy's input operations)."""
    if op == '=':
        var[...] = data
    elif op == '+':
        var += data
    elif op == '-':
        var -= data
    elif op == '*':
        var *= data
    elif op == '/':
        var /= data
    else:
        raise ValueError(f'Unknown input operation: {op}')


def _stack_trees(trees: list) -> Any:
    """Concatenate along axis 0 the per-chunk outputs of a loop (trees of tensors)."""
    first = trees[0]
    if first is None:
        return None
    leaves0, spec = pytree.tree_flatten(first)
    columns = [pytree.tree_flatten(t)[0] for t in trees]
    return pytree.tree_unflatten(
        [None if leaf is None else torch.cat([c[j] for c in columns])
         for j, leaf in enumerate(leaves0)], spec)


class DSRunner(Runner):
    """The runner of dynamical systems (BrainPy 2.1.12's ``brainpy.dyn.DSRunner``).

    Parameters
    ----------
    target : DynamicalSystem
        The model to run.
    inputs : tuple or list
        ``(target, value[, type[, operation]])``, or a list of them (see the module docs).
    dt : float, optional
        The time step (default ``bm.get_dt()``).
    fun_inputs : callable, optional
        BrainPy 2.2's: ``fun_inputs(tdi)`` called at every step before the inputs, with
        the shared arguments ``tdi.t``, ``tdi.dt``, ``tdi.i``.
    monitors : list, tuple, dict or Monitor, optional
        What to record: names (``'V'``, ``'E.spike'``), ``(name, indices)``, a dict of
        names to indices, or BrainPy 2.2's dict of names to Variables.
    fun_monitors : dict, optional
        Names to functions ``f(t, dt)``, recorded at every step.
    jit : bool or dict
        Compile the step once (``torch.compile``) and call it at every step; default
        False.
    progress_bar : bool
        A tqdm bar over the steps (default True, as in BrainPy).
    dyn_vars : optional
        Accepted, not needed.
    numpy_mon_after_run : bool
        Turn the records into NumPy arrays after a run (default True). With False they
        stay tensors, differentiable when the run is inside ``bm.grad`` (BPTT through
        every step).

    Examples
    --------
    The ``runners`` tutorial's E/I network, smaller:

    >>> import bptorch as bp, bptorch.math as bm
    >>> bm.random.seed(0)
    >>> pars = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
    >>> E, I = bp.dyn.LIF(80, **pars), bp.dyn.LIF(20, **pars)
    >>> E.V[:] = bm.random.randn(80) * 2 - 55.
    >>> I.V[:] = bm.random.randn(20) * 2 - 55.
    >>> E2I = bp.dyn.ExpCOBA(E, I, bp.conn.FixedProb(0.1, seed=1), E=0., g_max=0.6, tau=5.)
    >>> I2E = bp.dyn.ExpCOBA(I, E, bp.conn.FixedProb(0.1, seed=2), E=-80., g_max=6.7, tau=10.)
    >>> net = bp.dyn.Network(E2I, I2E, E=E, I=I)
    >>> runner = bp.dyn.DSRunner(net, monitors=['E.spike'], inputs=[('E.input', 20.),
    ...                          ('I.input', 20.)], progress_bar=False)
    >>> _ = runner.run(50.)
    >>> runner.mon['E.spike'].shape
    (500, 80)
    """

    def __init__(self, target: DynamicalSystem, inputs: Sequence = (), dt: Optional[float] = None,
                 fun_inputs: Optional[Callable] = None, **kwargs: Any):
        if not isinstance(target, DynamicalSystem):
            raise RunningError(f'"target" must be an instance of {DynamicalSystem.__name__}, '
                               f'but we got {type(target)}: {target}')
        super().__init__(target=target, **kwargs)
        dt = settings.get_dt() if dt is None else dt
        if isinstance(dt, bool) or not isinstance(dt, (int, float)):
            raise RunningError(f'"dt" must be scalar, but got {dt}')
        self.dt = float(dt)
        if fun_inputs is not None and not callable(fun_inputs):
            raise RunningError(f'"fun_inputs" must be a callable, but we got {type(fun_inputs)}')
        self.fun_inputs = fun_inputs
        self._form = update_form(target.update)
        self._monitor_step = self.build_monitors()
        self._input_step = self.build_inputs(inputs)
        self._start_t = None
        self._i = 0              # steps of the 'iter' inputs consumed by earlier runs

    # -- monitors --------------------------------------------------------------------
    def build_monitors(self) -> Callable:
        """Check the monitors and return the function ``f(t, dt) -> dict`` that reads
        them at a step (BrainPy 2.1.12's ``build_monitors``).

        Raises
        ------
        RunningError
            A target that cannot be found, or that is not a Variable.
        ValueError
            A monitor with an interval (not supported, as in BrainPy 2.1.12).
        """
        direct, by_path = [], []
        mon = self.mon
        for key, idx, interval in zip(mon.item_names, mon.item_indices, mon.item_intervals):
            var, index = None, idx
            if isinstance(idx, Variable):                        # BrainPy 2.2: {name: Variable}
                var, index = idx, None
            elif isinstance(idx, (tuple, list)) and len(idx) == 2 and isinstance(idx[0], Variable):
                var, index = idx
            if var is not None:
                if interval is not None:
                    raise ValueError(f'Running with "{self.__class__.__name__}" does not '
                                     f'support "interval" in the monitor.')
                direct.append((key, var, index))
            else:
                by_path.append((key, idx, interval))
        items = []
        if by_path:
            sub = Monitor(variables=[(k, i) for k, i, _ in by_path],
                          intervals=[iv for _, _, iv in by_path])
            for key, target, variable, idx, interval in check_and_format_monitors(self.target, sub):
                if interval is not None:
                    raise ValueError(f'Running with "{self.__class__.__name__}" does not '
                                     f'support "interval" in the monitor.')
                data = getattr(target, variable)
                if not isinstance(data, Variable):
                    raise RunningError(f'"{key}" in {target} is not a dynamically changed '
                                       f'Variable, its value will not change, we think there is '
                                       f'no need to monitor its trajectory.')
                items.append((key, data, idx))
        items.extend(direct)
        order = {k: n for n, k in enumerate(mon.item_names)}
        items.sort(key=lambda item: order[item[0]])
        self._monitor_items = [(key, var, self._index(key, idx, var)) for key, var, idx in items]
        for key in self.fun_monitors:
            if key not in mon.item_contents:
                mon.item_names.append(key)
                mon.item_indices.append(None)
                mon.item_intervals.append(None)
                mon.item_contents[key] = []
        fun_monitors = list(self.fun_monitors.items())
        monitor_items = self._monitor_items

        def func(_t, _dt):
            res = {}
            for key, var, idx in monitor_items:
                v = var.value
                if v.dim() > 1:
                    v = v.reshape(-1)
                res[key] = v if idx is None else v[idx]
            for key, f in fun_monitors:
                res[key] = f(_t, _dt)
            return res
        return func

    @staticmethod
    def _index(key: str, idx: Any, var: Variable) -> Optional[torch.Tensor]:
        if idx is None:
            return None
        if isinstance(idx, numbers.Integral) and not isinstance(idx, bool):
            idx = [int(idx)]
        t = as_tensor(idx, device=var.device)
        if t.is_floating_point() or t.is_complex():
            raise RunningError(f'The indices of the monitor "{key}" must be integers or booleans, '
                               f'but we got {t.dtype}')
        if t.dim() == 0:
            t = t.reshape(1)
        return t if t.dtype == torch.bool else t.to(torch.int64)

    # -- inputs -----------------------------------------------------------------------
    def build_inputs(self, inputs: Sequence) -> Callable:
        """Check the inputs and return the function that applies them at a step,
        ``f(t, dt, rows=())`` (``rows``: this step's rows of the ``'iter'`` inputs).

        Raises
        ------
        RunningError
            A malformed input, or a target that cannot be found or is not a Variable.
        """
        if inputs is None:
            inputs = ()
        if not isinstance(inputs, (tuple, list)):
            raise RunningError('"inputs" must be a tuple/list.')
        if len(inputs) > 0 and isinstance(inputs[0], (str, Variable)):
            inputs = [inputs]                        # one input
        by_path, direct = [], []
        for one in inputs:
            if isinstance(one, (tuple, list)) and len(one) > 0 and isinstance(one[0], Variable):
                direct.append(one)
            else:
                by_path.append(one)
        formatted = []
        for target, key, value, type_, op in check_and_format_inputs(self.target, by_path):
            variable = getattr(target, key)
            if not isinstance(variable, Variable):
                raise RunningError(f'"{key}" in {target} is not a dynamically changed Variable, '
                                   f'its value will not change, we think there is no need to '
                                   f'give its input.')
            formatted.append((variable, value, type_, op))
        for one in direct:                   # BrainPy 2.2: (Variable, value[, type[, op]])
            if not 2 <= len(one) <= 4:
                raise RunningError('For each target, you must specify '
                                   '"(target, value, [type, operation])".')
            type_ = one[2] if len(one) >= 3 else 'fix'
            op = one[3] if len(one) == 4 else '+'
            if type_ not in ('fix', 'iter', 'func'):
                raise RunningError(f'Input type only supports "[\'fix\', \'iter\', \'func\']", '
                                   f'not "{type_}".')
            if op not in _OPS:
                raise RunningError(f'Input operation only supports "{list(_OPS)}", not "{op}".')
            if type_ == 'iter' and not isinstance(one[1], Iterable):
                raise ValueError(f'Input "{one[1]}" for "{one[0]}" is set to be "iter" type, '
                                 f'however we got the value with the type of {type(one[1])}')
            if type_ == 'func' and not callable(one[1]):
                raise ValueError(f'Input "{one[1]}" for "{one[0]}" is set to be "func" type, '
                                 f'however we got the value with the type of {type(one[1])}')
            formatted.append((one[0], one[1], type_, op))

        # BrainPy 2.1.12's order: fixed, iterated arrays, functions, other iterables; each
        # group by operation (= + - * /)
        groups = {'fix': [], 'array': [], 'func': [], 'next': []}
        self._iter_sources = []          # (kind, data) of each 'iter' input, in row order
        for variable, value, type_, op in formatted:
            if type_ == 'iter':
                if isinstance(value, (torch.Tensor, np.ndarray, Variable)):
                    data = as_tensor(value, device=variable.device)
                    if data.dim() == 0:
                        raise RunningError(f'The "iter" input of {variable} must have a time '
                                           f'axis, but we got a scalar')
                    if data.is_floating_point() and variable.dtype.is_floating_point:
                        data = data.to(variable.dtype)
                    self._iter_sources.append(('array', data, variable))
                    groups['array'].append((op, variable, len(self._iter_sources) - 1))
                else:
                    self._iter_sources.append(('next', iter(value), variable))
                    groups['next'].append((op, variable, len(self._iter_sources) - 1))
            elif type_ == 'func':
                groups['func'].append((op, variable, value))
            else:
                if isinstance(value, np.ndarray):
                    value = as_tensor(value, device=variable.device)
                groups['fix'].append((op, variable, value))
        steps = []
        for group in ('fix', 'array', 'func', 'next'):
            for op in _OPS:
                for o, variable, value in groups[group]:
                    if o == op:
                        steps.append((group, op, variable, value))
        fun_inputs, dt = self.fun_inputs, self.dt

        def func(_t, _dt, rows=(), i=None):
            if fun_inputs is not None:
                fun_inputs(SharedArgs(t=_t, dt=_dt, i=i))
            for group, op, variable, value in steps:
                if group == 'fix':
                    _apply(op, variable, value.value if isinstance(value, Variable) else value)
                elif group == 'func':
                    _apply(op, variable, value(_t, _dt))
                else:
                    _apply(op, variable, rows[value])
        return func

    def _iter_rows(self, num_step: int) -> list:
        """This run's rows of every ``'iter'`` input: a tensor of ``num_step`` rows each."""
        rows = []
        for kind, data, variable in self._iter_sources:
            if kind == 'array':
                left = data.shape[0] - self._i
                if left < num_step:
                    raise RunningError(f'The "iter" input of {variable} has {data.shape[0]} '
                                       f'steps, {max(left, 0)} of them left after {self._i} '
                                       f'steps run before, but this run has {num_step} steps')
                rows.append(data[self._i:self._i + num_step])
            else:
                items = []
                for n in range(num_step):
                    try:
                        item = next(data)
                    except StopIteration:
                        raise RunningError(f'The "iter" input of {variable} ran out after '
                                           f'{n} of the {num_step} steps of this run') from None
                    items.append(as_tensor(item.value if isinstance(item, Variable) else item,
                                           device=variable.device))
                stacked = torch.stack(items) if items else torch.zeros(0)
                if stacked.is_floating_point() and variable.dtype.is_floating_point:
                    stacked = stacked.to(variable.dtype)
                rows.append(stacked)
        return rows

    # -- one step -----------------------------------------------------------------------
    def _update_step(self, t: Any, i: Any, x: Any, shared_args: Optional[dict]) -> Any:
        extra = () if x is None else (x,)
        target = self.target
        if self._form == _SHARED_FORM:
            return target.update(SharedArgs(t=t, dt=self.dt, i=i, **(shared_args or {})), *extra)
        return target.update(t, self.dt, *extra)

    def _run_one_step(self, _t: Any, i: Any = None, rows: Sequence = (), x: Any = None,
                      shared_args: Optional[dict] = None) -> tuple:
        self._input_step(_t, self.dt, rows, i)
        out = self._update_step(_t, i, x, shared_args)
        return self._monitor_step(_t, self.dt), out

    def build_run_function(self) -> Callable:
        """The function that runs a sequence of times: ``f(all_t) -> (outputs, monitors)``
        (for a run without ``'iter'`` inputs; :meth:`run` is the way to run)."""
        def f_run(all_t):
            times = as_tensor(all_t, dtype=settings.float_(), device=self._device())
            n = times.shape[0]
            hist, outs = self._loop(times, torch.arange(n, device=times.device), [], None,
                                    None, self.jit, None)
            return outs, hist
        return f_run

    # -- running -------------------------------------------------------------------------
    def _device(self) -> torch.device:
        for var in self.target.vars().values():
            return var.device
        return torch.empty(0).device

    def _body(self, k: int, x_spec: Any, keep_out: bool, shared_args: Optional[dict],
              bar: Any) -> Callable:
        """The loop's body for ``k`` 'iter' rows and inputs of structure ``x_spec``; one
        function per structure, kept, so a compiled step is found again by later runs."""
        key = (k, None if x_spec is None else str(x_spec), keep_out,
               None if not shared_args else tuple(sorted(shared_args)), bar is not None)
        args = self.__dict__.setdefault('_body_args', {})
        args['shared_args'], args['bar'] = shared_args, bar
        cache = self.__dict__.setdefault('_bodies', {})
        if key in cache:
            return cache[key]
        step = self._run_one_step

        def body(ops):
            x = pytree.tree_unflatten(list(ops[2 + k:]), x_spec) if x_spec is not None else None
            mon, out = step(ops[0], ops[1], ops[2:2 + k], x, args['shared_args'])
            return (mon, out) if keep_out else mon

        def body_with_bar(ops):
            out = body(ops)
            args['bar'].update()
            return out
        cache[key] = body_with_bar if bar is not None else body
        return cache[key]

    def _loop(self, times, idx, rows, xs, shared_args, jit, bar, keep_out=True):
        """Run the steps at ``times`` with ``bm.for_loop``: ``(records, outputs)``."""
        x_leaves, x_spec = pytree.tree_flatten(xs) if xs is not None else ([], None)
        operands = (times, idx, *rows, *x_leaves)
        n = times.shape[0]
        if jit and bar is not None and n > 1:      # compiled: the bar moves between pieces
            body = self._body(len(rows), x_spec, keep_out, shared_args, None)
            size = max(1, math.ceil(n / _BAR_CHUNKS))
            pieces = []
            for lo in range(0, n, size):
                piece = tuple(o[lo:lo + size] for o in operands)
                pieces.append(for_loop(body, self.dyn_vars, piece, jit=True))
                bar.update(piece[0].shape[0])
            result = _stack_trees(pieces)
        else:
            body = self._body(len(rows), x_spec, keep_out, shared_args,
                              None if jit else bar)
            result = for_loop(body, self.dyn_vars, operands, jit=jit)
        return result if keep_out else (result, None)

    def reset_state(self) -> None:
        """Restart the runner's clock: the next run starts at time 0 and at the first row
        of the ``'iter'`` inputs (BrainPy 2.2's ``runner.reset_state()``; the model's own
        state is reset by ``target.reset()``)."""
        self._start_t = None
        self._i = 0

    def run(self, duration: Optional[float] = None, start_t: Any = None, *, inputs: Any = None,
            inputs_are_batching: bool = False, reset_state: bool = False,
            shared_args: Optional[dict] = None, progress_bar: Optional[bool] = None,
            eval_time: bool = False) -> Any:
        """Run the model for ``duration`` (ms).

        Parameters
        ----------
        duration : float
            The time to run: the steps are at ``np.arange(start, start + duration, dt)``, as
            in BrainPy 2.1.12 (so a duration computed in floats, such as ``6 * 0.1``
            (``0.6000000000000001``), can give one step more).
            With ``inputs`` it may be None (one step per row of the inputs).
        start_t : float, optional
            The time to start at (default: where the last run ended, or 0).
        inputs : tensor or tree of tensors, optional
            BrainPy 2.2's: data with a leading time axis, one row passed to ``update`` at
            each step (``update(t, dt, x)`` or ``update(tdi, x)``). Then ``run`` returns
            the stacked outputs of ``update`` (see Returns).
        inputs_are_batching : bool
            ``inputs`` are ``(batch, time, ...)``: the time axis is moved first, and the
            outputs come back batch-first (the records keep BrainPy 2.1's layout,
            ``(time, flattened size)``).
        reset_state : bool
            Reset the model (``target.reset()``) and the runner's clock first.
        shared_args : dict, optional
            More shared arguments for a model written as ``update(tdi)``.
        progress_bar : bool, optional
            Override the runner's ``progress_bar`` for this run.
        eval_time : bool
            With ``inputs``: return ``(running_time, outputs)``.

        Returns
        -------
        running_time : float
            The seconds the run took (BrainPy 2.1.12), or, when ``inputs`` are given,
            the outputs of ``update`` stacked over time (None if it returns nothing).
        """
        if start_t is not None and not isinstance(start_t, (numbers.Number, np.number)) \
                and not (isinstance(start_t, torch.Tensor) and start_t.dim() == 0):
            if inputs is not None:
                raise RunningError('run: got data both as the second argument and as "inputs"')
            start_t, inputs = None, start_t          # run(duration, inputs): BrainPy 2.2
        if shared_args and self._form != _SHARED_FORM:
            raise RunningError(f'"shared_args" reach a model written as update(tdi, ...); '
                               f'{self.target} is written as update(t, dt)')
        if reset_state:
            self.target.reset()
            self.reset_state()
        xs = None
        if inputs is not None:
            xs = pytree.tree_map(lambda a: a if isinstance(a, torch.Tensor) else as_tensor(a),
                                 pytree.tree_map(lambda a: a.value if isinstance(a, Variable)
                                                 else a, inputs))
            if inputs_are_batching:
                xs = pytree.tree_map(lambda a: torch.movedim(a, 0, 1), xs)
            lengths = {a.shape[0] for a in pytree.tree_leaves(xs)}
            if len(lengths) != 1:
                raise RunningError(f'"inputs" must share the length of their time axis, but we '
                                   f'got lengths {sorted(lengths)}')
            num_in = lengths.pop()
        if start_t is None:
            start_t = 0. if self._start_t is None else float(self._start_t)
        start_t = float(start_t)
        if duration is None:
            if xs is None:
                raise RunningError('run: give the "duration" (or BrainPy 2.2\'s "inputs")')
            duration = num_in * self.dt
            times = start_t + np.arange(num_in) * self.dt
        else:
            if isinstance(duration, (tuple, list)):
                raise RunningError('run: "duration" must be a number (a start and end time '
                                   'are given as run(duration, start_t=...))')
            times = np.arange(start_t, float(start_t + duration), self.dt)
            if xs is not None and times.size != num_in:
                raise RunningError(f'run: "inputs" have {num_in} steps, but the duration '
                                   f'{duration} has {times.size} steps of dt={self.dt}')
        end_t = float(start_t + duration)
        num_step = int(times.size)
        show_bar = self.progress_bar if progress_bar is None else bool(progress_bar)
        rows = self._iter_rows(num_step)
        for key in self.mon.item_contents.keys():
            self.mon.item_contents[key] = []
        bar = None
        if show_bar and _outside_transforms():
            bar = _make_bar(num_step, f'Running a duration of {round(float(duration), 3)} '
                                      f'({num_step} steps)')
        device = self._device()
        t0 = time.time()
        try:
            grad = (torch.no_grad() if self.numpy_mon_after_run and _outside_transforms()
                    else contextlib.nullcontext())
            with grad:
                if num_step == 0:
                    hist, outs = self._empty_records(), None
                else:
                    t_all = torch.as_tensor(times, dtype=settings.float_(), device=device)
                    idx = torch.arange(self._i, self._i + num_step, device=device)
                    hist, outs = self._loop(t_all, idx, rows, xs, shared_args, self.jit, bar,
                                            keep_out=inputs is not None)
        finally:
            if bar is not None:
                bar.close()
        running_time = time.time() - t0
        if inputs_are_batching and outs is not None:      # (the records stay time-first)
            outs = pytree.tree_map(lambda a: torch.movedim(a, 0, 1) if a.dim() >= 2 else a, outs)
        self.mon.ts = times + self.dt
        for key in self.mon.item_names:
            if key in hist:
                self.mon.item_contents[key] = hist[key]
        self._start_t = end_t
        self._i += num_step
        if self.numpy_mon_after_run:
            self.mon.numpy()
        if inputs is None:
            return running_time
        return (running_time, outs) if eval_time else outs

    def _empty_records(self) -> dict:
        out = {}
        for key, var, idx in self._monitor_items:
            size = (var.numel() if var.dim() > 1 else tuple(var.shape)) if idx is None \
                else tuple(var.reshape(-1)[idx].shape)
            shape = (0,) + ((size,) if isinstance(size, int) else size)
            out[key] = torch.zeros(shape, dtype=var.dtype, device=var.device)
        for key in self.fun_monitors:
            out[key] = torch.zeros(0)
        return out

    def __call__(self, duration: Optional[float] = None, start_t: Any = None,
                 **kwargs: Any) -> Any:
        """Same as :meth:`run`."""
        return self.run(duration, start_t, **kwargs)


class StructRunner(DSRunner):
    """The runner with the structural for-loop (BrainPy 2.1.12: deprecated since 2.0.3 in
    favour of :class:`DSRunner`, which it is).

    Examples
    --------
    >>> import bptorch as bp
    >>> issubclass(bp.dyn.StructRunner, bp.dyn.DSRunner)
    True
    """


class ReportRunner(DSRunner):
    """A runner that steps the model from Python at every step, for debugging (BrainPy
    2.1.12's ``ReportRunner``; deprecated there since 2.0.3).

    The loop runs as Python (the records are appended at every step and stacked at the
    end); ``jit=True`` compiles only the model's ``update`` (``bm.jit``), called at every
    step. The progress bar moves at every step.

    Parameters
    ----------
    target : DynamicalSystem
    inputs : tuple or list
    jit : bool
        Compile ``update`` (default False).
    dt : float, optional
    **kwargs
        As :class:`DSRunner` (``monitors``, ``progress_bar``, ...).

    Examples
    --------
    >>> import bptorch as bp
    >>> runner = bp.dyn.ReportRunner(bp.dyn.LIF(3), monitors=['V'], inputs=('input', 30.),
    ...                              progress_bar=False)
    >>> _ = runner.run(1.); runner.mon.V.shape
    (10, 3)
    """

    def __init__(self, target: DynamicalSystem, inputs: Sequence = (), jit: Any = False,
                 dt: Optional[float] = None, **kwargs: Any):
        super().__init__(target=target, inputs=inputs, dt=dt, jit=False, **kwargs)
        self._jit_update = jit_setting(jit)
        self._compiled_update = None

    def _update_step(self, t: Any, i: Any, x: Any, shared_args: Optional[dict]) -> Any:
        if not self._jit_update:
            return super()._update_step(t, i, x, shared_args)
        if self._compiled_update is None:
            self._compiled_update = bm_jit(lambda t_, i_, x_, s_: DSRunner._update_step(
                self, t_, i_, x_, s_))
        return self._compiled_update(t, i, x, shared_args)

    def _loop(self, times, idx, rows, xs, shared_args, jit, bar, keep_out=True):
        """A Python loop over the steps (BrainPy 2.1.12's ReportRunner), the records
        appended at each step and stacked at the end."""
        x_leaves, x_spec = pytree.tree_flatten(xs) if xs is not None else ([], None)
        records, outs = [], []
        for n in range(times.shape[0]):
            x = pytree.tree_unflatten([a[n] for a in x_leaves], x_spec) if x_spec else None
            mon, out = self._run_one_step(times[n], idx[n], [r[n] for r in rows], x,
                                          shared_args)
            records.append(mon)
            outs.append(out)
            if bar is not None:
                bar.update()
        hist = {k: torch.stack([r[k] for r in records]) for k in records[0]} if records else {}
        if not keep_out:
            return hist, None
        if all(o is None for o in outs):
            return hist, None
        return hist, pytree.tree_map(lambda *a: torch.stack(a), *outs)
