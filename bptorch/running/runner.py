"""The base runner (BrainPy 2.1.12's ``brainpy.running.Runner``): a target, its monitor and
the run settings.

Examples
--------
>>> import bptorch as bp
>>> r = bp.running.Runner(target=None, monitors=['V'], jit=False)
>>> r.mon, r.jit, r.progress_bar, r.numpy_mon_after_run
(Monitor(items=('V',), indices=[None]), False, True, True)
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Union

from bptorch.errors import MonitorError, RunningError
from bptorch.math.collectors import TensorCollector
from bptorch.running.monitor import Monitor

__all__ = ['Runner', 'DEFAULT_JIT']

DEFAULT_JIT = False
"""The default of ``jit`` in bptorch's runners. BrainPy compiles by default; here a step
runs as plain torch unless ``jit=True`` (``torch.compile`` of one step): on the CPU the
compilation costs seconds to tens of seconds, more than the eager run of typical models
(see ``benchmarks/bench_coba.py``), and eager runs can be debugged."""


def jit_setting(jit: Any, phase: str = 'predict') -> bool:
    """``jit`` as one bool: a bool, or BrainPy 2.2's dict by phase (``{'predict': True}``).

    Examples
    --------
    >>> from bptorch.running.runner import jit_setting
    >>> jit_setting(True), jit_setting({'predict': False}), jit_setting({'fit': True})
    (True, False, False)
    """
    if isinstance(jit, bool):
        return jit
    if isinstance(jit, dict):
        unknown = set(jit) - {'predict', 'fit', 'run'}
        if unknown:
            raise RunningError(f'"jit" as a dict has the keys "predict" and "fit", but we got '
                               f'{sorted(unknown)}')
        value = jit.get(phase, jit.get('run', DEFAULT_JIT))
        if not isinstance(value, bool):
            raise RunningError(f'jit[{phase!r}] must be a bool, but we got {value!r}')
        return value
    raise RunningError(f'"jit" must be a bool or a dict of bools, but we got {jit!r}')


class Runner:
    """Base runner: the target, the monitor, and the run settings.

    Parameters
    ----------
    target : Any
        The model to run.
    monitors : None, list, tuple, dict or Monitor
        What to record (see :class:`~bptorch.running.Monitor`).
    fun_monitors : dict, optional
        Names to functions ``f(t, dt)`` whose values are recorded at every step.
    jit : bool or dict
        Compile the step once with ``torch.compile`` (``bm.for_loop(..., jit=True)``).
        Default False here (BrainPy: True), see :data:`DEFAULT_JIT`. BrainPy 2.2's dict
        (``{'predict': True}``) is accepted.
    progress_bar : bool
        Show a tqdm progress bar while running.
    dyn_vars : dict, list or tuple of Variables, optional
        Accepted (BrainPy needs them for JAX); the Variables a step uses are found as
        it runs.
    numpy_mon_after_run : bool
        Turn the records into NumPy arrays after a run (else they stay tensors).
    """

    def __init__(self, target: Any, monitors: Any = None,
                 fun_monitors: Optional[Dict[str, Callable]] = None,
                 jit: Union[bool, Dict[str, bool]] = DEFAULT_JIT, progress_bar: bool = True,
                 dyn_vars: Any = None, numpy_mon_after_run: bool = True):
        self.target = target
        self.jit = jit_setting(jit)
        self._jit_arg = jit
        if monitors is None:
            self.mon = Monitor(variables=[])
        elif isinstance(monitors, (list, tuple, dict)):
            self.mon = Monitor(variables=monitors)
        elif isinstance(monitors, Monitor):
            self.mon = monitors
            self.mon.target = self
        else:
            raise MonitorError(f'"monitors" only supports list/tuple/dict/ instance of Monitor, '
                               f'not {type(monitors)}.')
        self.mon.build()
        if fun_monitors is None:
            fun_monitors = dict()
        if not isinstance(fun_monitors, dict):
            raise ValueError(f'"fun_monitors" must be a dict, while we got {type(fun_monitors)}')
        for key, fun in fun_monitors.items():
            if not isinstance(key, str) or not callable(fun):
                raise ValueError(f'"fun_monitors" must be a dict of (str, callable), while we '
                                 f'got ({type(key)}, {type(fun)})')
        self.fun_monitors = fun_monitors
        if not isinstance(progress_bar, bool):
            raise RunningError(f'"progress_bar" must be a bool, but we got {progress_bar!r}')
        self.progress_bar = progress_bar
        self._pbar = None
        if dyn_vars is None:
            dyn_vars = dict()
        if isinstance(dyn_vars, (list, tuple)):
            dyn_vars = {f'_v{i}': v for i, v in enumerate(dyn_vars)}
        if not isinstance(dyn_vars, dict):
            raise RunningError(f'"dyn_vars" must be a dict, but we got {type(dyn_vars)}')
        self.dyn_vars = TensorCollector(dyn_vars)
        if not isinstance(numpy_mon_after_run, bool):
            raise RunningError(f'"numpy_mon_after_run" must be a bool, but we got '
                               f'{numpy_mon_after_run!r}')
        self.numpy_mon_after_run = numpy_mon_after_run
