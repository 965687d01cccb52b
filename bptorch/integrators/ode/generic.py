"""``bp.odeint`` and the registry of ODE methods.

Examples
--------
>>> import bptorch as bp
>>> 'rk4' in bp.ode.get_supported_methods()
True
>>> bp.ode.get_default_odeint()
'euler'
"""

from __future__ import annotations

from typing import Callable

from bptorch.integrators.ode.base import ODEIntegrator

__all__ = ['odeint', 'set_default_odeint', 'get_default_odeint', 'register_ode_integrator',
           'get_supported_methods']

name2method: dict[str, type] = {}

_DEFAULT_ODE_METHOD = 'euler'


def odeint(f: Callable | None = None, method: str | None = None, var_type: str | None = None,
           dt: float | None = None, name: str | None = None, show_code: bool = False,
           state_delays: dict | None = None, neutral_delays: dict | None = None, **kwargs):
    """Numerical integration for ODEs: an integrator of ``f``, or a decorator making one.

    Parameters
    ----------
    f : callable, optional
        The derivative function ``f(*variables, t, *parameters)``, or a
        :class:`~bptorch.integrators.JointEq`. Without it, ``odeint(...)`` returns
        a decorator (``@bp.odeint(method='rk4')``); ``@bp.odeint`` works too.
    method : str, optional
        The method's name (see :func:`get_supported_methods`); the default method
        (``'euler'``, see :func:`set_default_odeint`) when None.
    var_type : str, optional
        ``bp.integrators.SCALAR_VAR``, ``POP_VAR`` or ``SYSTEM_VAR``.
    dt : float, optional
        The default step of calls (``bm.get_dt()`` when None).
    name : str, optional
        The integrator's name.
    show_code : bool
        Print a description of the update rule.
    state_delays, neutral_delays : dict, optional
        Not supported yet (``NotImplementedError`` when given).
    **kwargs
        Passed to the method: ``adaptive`` and ``tol`` for the adaptive
        Runge-Kutta methods, ``beta`` for ``'rk2'``, ``dyn_vars`` for the
        exponential Euler method.

    Returns
    -------
    ODEIntegrator
        Call it as ``integral(*variables, t, *parameters, dt=...)``; it returns
        the new value of the variable, or a tuple of them.

    Examples
    --------
    The FitzHugh-Nagumo model:

    >>> import bptorch as bp
    >>> a, b, tau = 0.7, 0.8, 12.5
    >>> @bp.odeint(method='rk4', dt=0.04)
    ... def integral(V, w, t, Iext):
    ...     dw = (V + a - b * w) / tau
    ...     dV = V - V * V * V / 3 - w + Iext
    ...     return dV, dw
    >>> V, w = 0., 0.
    >>> for i in range(100):
    ...     V, w = integral(V, w, i * integral.dt, 0.5)
    >>> round(V, 4), round(w, 4)
    (1.7328, 0.5693)
    """
    method = _DEFAULT_ODE_METHOD if method is None else method
    if method not in name2method:
        raise ValueError(f'Unknown ODE numerical method "{method}". Currently '
                         f'BrainPy only support: {list(name2method.keys())}')
    cls = name2method[method]

    def build(f):
        return cls(f, var_type=var_type, dt=dt, name=name, show_code=show_code,
                   state_delays=state_delays, neutral_delays=neutral_delays, **kwargs)

    return build if f is None else build(f)


def set_default_odeint(method: str) -> None:
    """Set the method :func:`odeint` uses when none is given.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.ode.set_default_odeint('rk4')
    >>> type(bp.odeint(lambda x, t: -x)).__name__
    'RK4'
    >>> bp.ode.set_default_odeint('euler')
    """
    if not isinstance(method, str):
        raise ValueError(f'Only support string, not {type(method)}.')
    if method not in name2method:
        raise ValueError(f'Unsupported ODE_INT numerical method: {method}.')
    global _DEFAULT_ODE_METHOD
    _DEFAULT_ODE_METHOD = method


def get_default_odeint() -> str:
    """The method :func:`odeint` uses when none is given (``'euler'`` at start).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.ode.get_default_odeint()
    'euler'
    """
    return _DEFAULT_ODE_METHOD


def register_ode_integrator(name: str, integrator: type) -> None:
    """Make an :class:`ODEIntegrator` subclass available to :func:`odeint` as ``method=name``.

    Examples
    --------
    >>> import bptorch as bp
    >>> class MyEuler(bp.ode.Euler):
    ...     pass
    >>> bp.ode.register_ode_integrator('my_euler', MyEuler)
    >>> type(bp.odeint(lambda x, t: -x, method='my_euler')).__name__
    'MyEuler'
    >>> del bp.ode.generic.name2method['my_euler']   # (undo, for the docs)
    """
    if name in name2method:
        raise ValueError(f'"{name}" has been registered in ODE integrators.')
    if not isinstance(integrator, type) or not issubclass(integrator, ODEIntegrator):
        raise ValueError(f'"integrator" must be a subclass of {ODEIntegrator.__name__}, '
                         f'got {integrator!r}')
    name2method[name] = integrator


def get_supported_methods() -> list[str]:
    """The names :func:`odeint` accepts as ``method``.

    Examples
    --------
    >>> import bptorch as bp
    >>> methods = bp.ode.get_supported_methods()
    >>> all(m in methods for m in ['euler', 'rk4', 'rkf45', 'exp_auto'])
    True
    """
    return list(name2method.keys())
