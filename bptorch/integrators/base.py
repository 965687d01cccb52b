"""``Integrator``: the base of every numerical integrator (a ``bp.Base``).

An integrator is built once from a derivative function: the signature is read, the
update rule is assembled into a Python closure, and each call only binds its
arguments and runs the arithmetic. Nothing is parsed or generated per call.

BrainPy generates and ``exec`` s Python source for each integrator (``show_code=True``
prints it). bptorch builds closures instead; ``show_code=True`` prints a
description of the update rule in the same notation.

Examples
--------
>>> import bptorch as bp
>>> integral = bp.odeint(lambda V, t, I: -V + I, method='euler', dt=0.1)
>>> isinstance(integral, bp.integrators.Integrator), isinstance(integral, bp.Base)
(True, True)
>>> integral.variables, integral.parameters, integral.arguments
(['V'], ['t', 'I'], ['V', 't', 'I', 'dt=0.1'])
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from torch import nn

from bptorch.base import Base
from bptorch.integrators.constants import DT
from bptorch.integrators.utils import Binder
from bptorch.math.variables import Variable

__all__ = ['Integrator']


def _check_dt(dt: Any, api: str) -> float:
    if isinstance(dt, bool) or not isinstance(dt, (int, float)):
        raise ValueError(f'{api}: dt must be a float, but got {type(dt).__name__} {dt!r}')
    if not dt > 0:
        raise ValueError(f'{api}: dt must be positive, but got {dt!r}')
    return dt


def _refuse_delays(api: str, **delays: Any) -> None:
    for key, value in delays.items():
        if value:
            raise NotImplementedError(
                f'{api}: {key} are not supported yet in bptorch (BrainPy 2.1 takes '
                'bm.TimeDelay / bm.LengthDelay objects here); update the delay yourself '
                'after each step')


class _Names(list):
    """A list of parameter names that, called, is ``nn.Module.parameters``."""

    def __call__(self, recurse: bool = True):
        return nn.Module.parameters(self._module, recurse)


class Integrator(Base):
    """Basic integrator: variables, parameters, ``dt``, and the integral function.

    Parameters
    ----------
    variables : sequence of str
        The state variable names (before ``t`` in the derivative function).
    parameters : sequence of str
        ``'t'`` and the parameter names.
    arguments : sequence of str
        Every argument as written (``'I=0.0'`` for a default).
    dt : float
        The default integration step.
    name : str, optional
        The object's unique name.
    state_delays : dict, optional
        Not supported yet (``NotImplementedError`` when given).

    Examples
    --------
    >>> import bptorch as bp
    >>> integral = bp.odeint(lambda x, t: -x, dt=0.5)
    >>> integral.dt, integral.arg_names
    (0.5, ['x', 't', 'dt'])
    >>> integral(2., 0.)
    1.0
    """

    def __init__(self, variables: Sequence[str], parameters: Sequence[str],
                 arguments: Sequence[str], dt: float, name: str | None = None,
                 state_delays: dict | None = None):
        super().__init__(name=name)
        _refuse_delays(type(self).__name__, state_delays=state_delays)
        self._dt = _check_dt(dt, type(self).__name__)
        self._variables = list(variables)
        self._pars = list(parameters)
        self._arguments = list(arguments) + [f'{DT}={self._dt}']
        self._integral = None
        self._state_delays = {}

    # -- read-only description ---------------------------------------------------
    @property
    def dt(self) -> float:
        """The default integration step."""
        return self._dt

    @dt.setter
    def dt(self, value):
        raise ValueError('Cannot set "dt" by users.')

    @property
    def variables(self) -> list[str]:
        """The variables defined in the differential equation."""
        return self._variables

    @variables.setter
    def variables(self, values):
        raise ValueError('Cannot set "variables" by users.')

    @property
    def parameters(self) -> list[str]:
        """``'t'`` and the parameters of the differential equation.

        A list, as in BrainPy; calling it (``integral.parameters()``) still gives
        ``nn.Module.parameters()``, so torch code that walks modules keeps working.
        """
        names = _Names(self._pars)
        names._module = self
        return names

    @parameters.setter
    def parameters(self, values):
        raise ValueError('Cannot set "parameters" by users.')

    @property
    def arguments(self) -> list[str]:
        """All arguments of a call, as written (the last one is ``dt=<default>``)."""
        return self._arguments

    @arguments.setter
    def arguments(self, values):
        raise ValueError('Cannot set "arguments" by users.')

    @property
    def arg_names(self) -> list[str]:
        """The names a call binds positionally: variables, ``t``, parameters, ``dt``."""
        return self._variables + self._pars + [DT]

    @property
    def state_delays(self) -> dict:
        """State delays (always empty: not supported yet)."""
        return self._state_delays

    @state_delays.setter
    def state_delays(self, value):
        raise ValueError('Cannot set "state_delays" by users.')

    @property
    def integral(self) -> Callable | None:
        """The function a call runs: ``integral(*args, **kwargs)``."""
        return self._integral

    @integral.setter
    def integral(self, f: Callable) -> None:
        self.set_integral(f)

    def set_integral(self, f: Callable) -> None:
        """Set the integral function (called with the integrator's arguments)."""
        if not callable(f):
            raise ValueError(f'integral function must be a callable function, '
                             f'but we got {type(f)}: {f}')
        object.__setattr__(self, '_integral', f)

    def __call__(self, *args, **kwargs):
        return self._integral(*args, **kwargs)

    # -- helpers for subclasses ------------------------------------------------------
    def _hold(self, **objects: Any) -> None:
        """Keep references (functions, closures) outside ``nn.Module``'s registries,
        so that a derivative that is itself a module is not made a child of its
        integrator."""
        for key, value in objects.items():
            object.__setattr__(self, key, value)

    def _caller(self, step: Callable, defaults: dict, full: bool = False) -> Callable:
        """``integral(*args, **kwargs)`` around ``step(xs, t, ps, dt)`` (or
        ``step(values, dt)`` with ``full``, ``values`` being all arguments but ``dt``).

        The common calls (all arguments positionally, optionally ``dt=``) skip the
        general binding; Variables are read once here.
        """
        nv = len(self._variables)
        n = nv + len(self._pars)
        binder = Binder(type(self).__name__, self._variables + self._pars, defaults)
        default_dt = self._dt

        def integral(*args, **kwargs):
            if len(args) == n and (not kwargs or (len(kwargs) == 1 and DT in kwargs)):
                dt = kwargs[DT] if kwargs else default_dt
                if isinstance(dt, Variable):
                    dt = dt.value
                vals = [a.value if isinstance(a, Variable) else a for a in args]
            else:
                vals, dt = binder.bind(args, kwargs, default_dt)
            return step(vals[:nv], vals[nv], vals[nv + 1:], dt)

        def integral_full(*args, **kwargs):
            if len(args) == n and (not kwargs or (len(kwargs) == 1 and DT in kwargs)):
                dt = kwargs[DT] if kwargs else default_dt
                if isinstance(dt, Variable):
                    dt = dt.value
                vals = [a.value if isinstance(a, Variable) else a for a in args]
            else:
                vals, dt = binder.bind(args, kwargs, default_dt)
            return step(vals, dt)

        return integral_full if full else integral

    def _show(self, lines: list[str]) -> None:
        header = f'def {self.func_name}({", ".join(self.arguments)}):'
        print('\n'.join([header] + ['  ' + line for line in lines]))
        print()
