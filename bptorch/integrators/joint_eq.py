"""``bp.JointEq``: several derivative functions integrated as one system.

Examples
--------
>>> import bptorch as bp
>>> a, b = 0.02, 0.20
>>> dV = lambda V, t, u, Iext: 0.04 * V * V + 5 * V + 140 - u + Iext
>>> du = lambda u, t, V: a * (b * V - u)
>>> eq = bp.JointEq(dV, du)
>>> eq.arg_keys
['V', 'u', 't', 'Iext']
>>> eq(-65., -13., 0., 10.)
[7.0, 0.0]
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

from bptorch.errors import DiffEqError
from bptorch.integrators.utils import Binder

__all__ = ['JointEq']

_EMPTY = inspect.Parameter.empty


def _get_args(f: Callable) -> tuple[list[str], list[str], dict[str, Any]]:
    """Variables, arguments without defaults, and arguments with defaults of ``f``."""
    args, kwargs = [], {}
    for par in inspect.signature(f).parameters.values():
        if par.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
            if par.default is _EMPTY:
                args.append(par.name)
            else:
                kwargs[par.name] = par.default
        elif par.kind is inspect.Parameter.VAR_POSITIONAL:
            raise DiffEqError(f'JointEq does not support VAR_POSITIONAL parameters '
                              f'*{par.name} (error in {f}).')
        elif par.kind is inspect.Parameter.KEYWORD_ONLY:
            raise DiffEqError(f'JointEq does not support KEYWORD_ONLY parameters, e.g., * '
                              f'(error in {f}).')
        elif par.kind is inspect.Parameter.POSITIONAL_ONLY:
            raise DiffEqError(f'JointEq does not support POSITIONAL_ONLY parameters, e.g., / '
                              f'(error in {f}).')
        else:
            raise DiffEqError(f'JointEq does not support VAR_KEYWORD arguments **{par.name} '
                              f'(error in {f}).')
    if 't' not in args:
        raise DiffEqError(f'Do not find time variable "t" in {f}: BrainPy derivative functions '
                          'list the variables, then t, then the parameters.')
    return args[:args.index('t')], args, kwargs


def _flatten(eqs) -> list[Callable]:
    out = []
    for eq in eqs:
        if isinstance(eq, (list, tuple)):
            out.extend(_flatten(eq))
        elif callable(eq):
            out.append(eq)
        else:
            raise DiffEqError(f'Elements in "eqs" only supports callable function, but got {eq!r}.')
    return out


class JointEq:
    """Merge several derivative functions into one, so that they are integrated jointly.

    Each function follows BrainPy's convention (its variables, ``t``, its
    parameters); a parameter of one function may be a variable of another. The
    joint function takes all the variables (in the order of the functions), ``t``,
    then the remaining parameters, then the parameters with defaults, and returns
    the list of all derivatives. A ``JointEq`` may itself be an element of another.

    Without it, ``bp.odeint(dV, method='rk2')`` evaluates the second stage of ``V``
    with the *old* ``u``; with it, every stage uses the stage values of all
    variables.

    Parameters
    ----------
    *eqs : callable, or lists / tuples of callables
        The derivative functions (also accepted as the keyword ``eqs=``, as in
        BrainPy's documentation).

    Examples
    --------
    >>> import bptorch as bp
    >>> dx = lambda x, t, y, sigma=10.: sigma * (y - x)
    >>> dy = lambda y, t, x: x - y
    >>> eq = bp.JointEq([dx, dy])
    >>> eq.arg_keys, eq.kwarg_keys
    (['x', 'y', 't'], ['sigma'])
    >>> eq(1., 2., 0.)
    [10.0, -1.0]
    >>> integral = bp.odeint(eq, method='rk4', dt=0.01)
    >>> integral.variables
    ['x', 'y']
    """

    def __init__(self, *args: Callable, eqs=None):
        if eqs is not None:
            if args:
                raise TypeError('JointEq: give the equations positionally or as eqs=, not both')
            args = (eqs,)
        eqs = _flatten(args)
        if not eqs:
            raise DiffEqError('JointEq needs at least one derivative function')

        # variables
        self.vars_in_eqs = []
        all_vars = []
        for eq in eqs:
            vars_, _, _ = _get_args(eq)
            for var in vars_:
                if var in all_vars:
                    raise DiffEqError(f'Variable "{var}" has been used, however we got a same '
                                      f'variable name in {eq}. Please change another name.')
            all_vars.extend(vars_)
            self.vars_in_eqs.append(vars_)

        # parameters
        self.args_in_eqs = []
        arg_pars, kwarg_pars = [], {}
        for eq in eqs:
            vars_, args_, kwargs_ = _get_args(eq)
            self.args_in_eqs.append(args_ + list(kwargs_))
            for par in args_[len(vars_) + 1:]:
                if par not in all_vars and par not in arg_pars and par not in kwarg_pars:
                    arg_pars.append(par)
        for eq in eqs:
            _, _, kwargs_ = _get_args(eq)
            for key, value in kwargs_.items():
                if key in all_vars or key in arg_pars:
                    raise DiffEqError(f'"{key}" has a default value in {eq}, but it is a variable '
                                      'or a parameter without default in another equation')
                if key in kwarg_pars and not _same(kwarg_pars[key], value):
                    raise DiffEqError(f'We got two different default value of "{key}": '
                                      f'{kwarg_pars[key]} != {value}')
                kwarg_pars[key] = value

        self.eqs = eqs
        self.arg_keys = all_vars + ['t'] + arg_pars
        self.kwarg_keys = list(kwarg_pars)
        self.kwargs = kwarg_pars
        params = [inspect.Parameter(k, inspect.Parameter.POSITIONAL_OR_KEYWORD)
                  for k in self.arg_keys]
        params += [inspect.Parameter(k, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=v)
                   for k, v in kwarg_pars.items()]
        self.__signature__ = inspect.Signature(params)
        self.__name__ = 'joint_eq'

        names = self.arg_keys + self.kwarg_keys
        index = {k: i for i, k in enumerate(names)}
        self._n = len(names)
        self._binder = Binder('JointEq', names, kwarg_pars)
        self._calls = [(eq, tuple(index[a] for a in self.args_in_eqs[i]))
                       for i, eq in enumerate(eqs)]

    def __call__(self, *args, **kwargs) -> list:
        vals = args if (not kwargs and len(args) == self._n) else self._bind(args, kwargs)
        results = []
        for eq, idx in self._calls:
            r = eq(*[vals[i] for i in idx])
            if isinstance(r, (list, tuple)):
                results.extend(r)
            else:
                results.append(r)
        return results

    def _bind(self, args: tuple, kwargs: dict) -> list:
        if len(args) > self._n:
            raise TypeError(f'JointEq() takes {self._n} arguments '
                            f'({", ".join(self._binder.names)}) but {len(args)} were given')
        if 'dt' in kwargs:
            raise TypeError("JointEq() got an unexpected keyword argument 'dt'")
        vals, _ = self._binder.bind(args, kwargs, None)
        return vals

    def __repr__(self) -> str:
        names = ', '.join(getattr(eq, '__name__', repr(eq)) for eq in self.eqs)
        return f'JointEq({names})'


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:   # arrays of several elements: compare identity
        return a is b
