"""Reading a derivative function's signature, and binding call arguments to it.

BrainPy's convention: the arguments before ``t`` are the state variables, ``t`` is
the time, the arguments after it are parameters (which may have defaults). An
integrator is called with the same arguments plus ``dt``, positionally or by
keyword: ``integral(V, t, I)``, ``integral(V, t, I, 0.05)``,
``integral(V=v, t=0., I=1., dt=0.05)``.

Examples
--------
>>> from bptorch.integrators.utils import get_args
>>> def f(V, w, t, Iext, a=0.7):
...     pass
>>> get_args(f)
(['V', 'w'], ['t', 'Iext', 'a'], ['V', 'w', 't', 'Iext', 'a=0.7'])
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Sequence

from bptorch.errors import CodeError, DiffEqError
from bptorch.integrators.constants import DT
from bptorch.math.variables import Variable

__all__ = ['get_args', 'check_kws', 'format_args', 'Binder']

_MISSING = inspect.Parameter.empty


def _signature(f: Callable) -> inspect.Signature:
    if not callable(f):
        raise DiffEqError(f'the derivative function must be callable, got {type(f).__name__} {f!r}')
    try:
        return inspect.signature(f)
    except (TypeError, ValueError) as e:
        raise DiffEqError(f'cannot read the signature of the derivative function {f!r}: '
                          f'{e}') from None


def get_args(f: Callable) -> tuple[list[str], list[str], list[str]]:
    """The variable names (before ``t``), the other argument names (from ``t`` on),
    and every argument as written (``'c=1'`` for a default), as BrainPy's ``get_args``.

    Keyword-only (after ``*``), positional-only (before ``/``) and ``**kwargs``
    arguments are refused with :class:`~bptorch.errors.DiffEqError`; ``*args`` is
    reported as ``'*args'``.

    Examples
    --------
    >>> from bptorch.integrators.utils import get_args
    >>> get_args(lambda x, y, t, p: None)
    (['x', 'y'], ['t', 'p'], ['x', 'y', 't', 'p'])
    """
    reduced, written = [], []
    for par in _signature(f).parameters.values():
        if par.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
            reduced.append(par.name)
        elif par.kind is inspect.Parameter.VAR_POSITIONAL:
            reduced.append(f'*{par.name}')
        elif par.kind is inspect.Parameter.KEYWORD_ONLY:
            raise DiffEqError(f'numerical integrators do not support keyword-only parameters '
                              f'({par.name!r} after "*") in {f}')
        elif par.kind is inspect.Parameter.POSITIONAL_ONLY:
            raise DiffEqError(f'numerical integrators do not support positional-only parameters '
                              f'({par.name!r} before "/") in {f}')
        else:
            raise DiffEqError(f'numerical integrators do not support **{par.name} in {f}')
        written.append(str(par))
    if 't' not in reduced:
        raise DiffEqError(f'the derivative function {f} has no time argument "t": BrainPy '
                          'functions list the variables, then t, then the parameters, '
                          'e.g. def f(V, t, I)')
    i = reduced.index('t')
    return reduced[:i], reduced[i:], written


def check_kws(parameters: Sequence[str], keywords: dict[str, str]) -> None:
    """Refuse argument names that are reserved keywords of the integrators.

    Examples
    --------
    >>> from bptorch.integrators.utils import check_kws
    >>> check_kws(['V', 't', 'dt'], {'dt': 'the integration step'})
    Traceback (most recent call last):
    ...
    bptorch.errors.CodeError: "dt" is a keyword for numerical solvers in BrainPy, ...
    """
    for key, meaning in keywords.items():
        if key in parameters:
            raise CodeError(f'"{key}" is a keyword for numerical solvers in BrainPy, denoting '
                            f'"{meaning}". Please change another name.')


def format_args(args: Sequence, kwargs: dict, arguments: Sequence[str]) -> dict:
    """Name positional ``args`` after ``arguments`` and merge ``kwargs`` (BrainPy's helper).

    Examples
    --------
    >>> from bptorch.integrators.utils import format_args
    >>> format_args((1., 0.), {'I': 2.}, ['V', 't', 'I'])
    {'V': 1.0, 't': 0.0, 'I': 2.0}
    """
    out = {arguments[i]: a for i, a in enumerate(args)}
    for key, value in kwargs.items():
        if key in out:
            raise ValueError(f'{key} has been provided in *args, but we detect it again in '
                             '**kwargs.')
        out[key] = value
    return out


class Binder:
    """Binds ``(*args, **kwargs)`` of an integrator call to ``names + ['dt']``.

    ``bind`` returns the values of ``names`` (defaults filled in, Variables unwrapped)
    and ``dt``. The common call ``integral(*all_names)`` with or without ``dt=``
    is handled by the integrators themselves without calling it.

    Parameters
    ----------
    api : str
        Named in error messages.
    names : list of str
        The variables, ``'t'`` and the parameters, in order.
    defaults : dict
        Default values of parameters.
    """

    def __init__(self, api: str, names: Sequence[str], defaults: dict[str, Any]):
        self.api = api
        self.names = list(names)
        self.n = len(self.names)
        self.index = {name: i for i, name in enumerate(self.names)}
        self.index[DT] = self.n
        self.defaults = [defaults.get(name, _MISSING) for name in self.names]

    def bind(self, args: tuple, kwargs: dict, dt: Any) -> tuple[list, Any]:
        n = self.n
        if len(args) > n + 1:
            raise TypeError(f'{self.api}() takes {n + 1} arguments '
                            f'({", ".join(self.names + [DT])}) '
                            f'but {len(args)} were given')
        vals = list(args[:n]) + [_MISSING] * (n - min(len(args), n))
        given_dt = len(args) == n + 1
        if given_dt:
            dt = args[n]
        for key, value in kwargs.items():
            i = self.index.get(key)
            if i is None:
                raise TypeError(f'{self.api}() got an unexpected keyword argument {key!r}; its '
                                f'arguments are ({", ".join(self.names + [DT])})')
            if i == n:
                if given_dt:
                    raise TypeError(f"{self.api}() got multiple values for argument 'dt'")
                dt, given_dt = value, True
            elif vals[i] is not _MISSING:
                raise TypeError(f'{self.api}() got multiple values for argument {key!r}')
            else:
                vals[i] = value
        missing = []
        for i, v in enumerate(vals):
            if v is _MISSING:
                d = self.defaults[i]
                if d is _MISSING:
                    missing.append(self.names[i])
                vals[i] = d
        if missing:
            raise TypeError(f'{self.api}() missing {len(missing)} required argument'
                            f'{"s" if len(missing) > 1 else ""}: {", ".join(map(repr, missing))} '
                            f'(its arguments are ({", ".join(self.names + [DT])}))')
        return [v.value if isinstance(v, Variable) else v for v in vals], \
            (dt.value if isinstance(dt, Variable) else dt)


def parse_derivative(f: Callable, api: str) -> tuple[list[str], list[str], list[str], dict]:
    """Variables, parameters (from ``t`` on), written arguments and defaults of ``f``.

    Refuses ``*args`` and the reserved name ``dt``.
    """
    variables, parameters, arguments = get_args(f)
    for name in parameters:
        if name.startswith('*'):
            raise DiffEqError(f'{api}: numerical integrators do not support variable positional '
                              f'parameters ({name}) in {f}; name each parameter')
    if not variables:
        raise DiffEqError(f'{api}: the derivative function {f} has no variable before "t"; '
                          'BrainPy functions list the variables first, e.g. def f(V, t, I)')
    check_kws(variables + parameters, {DT: 'the precision of numerical integration'})
    defaults = {p.name: p.default for p in _signature(f).parameters.values()
                if p.default is not _MISSING}
    for v in variables:
        if v in defaults:
            raise DiffEqError(f'{api}: the variable {v!r} of {f} has a default value; only '
                              'parameters (after "t") may have defaults')
    return variables, parameters, arguments, defaults
