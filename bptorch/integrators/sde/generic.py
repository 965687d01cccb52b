"""``bp.sdeint`` and the registry of SDE methods.

Examples
--------
>>> import bptorch as bp
>>> 'milstein' in bp.sde.get_supported_methods()
True
>>> bp.sde.get_default_sdeint()
'euler'
"""

from __future__ import annotations

from typing import Callable

from bptorch.integrators.sde.base import SDEIntegrator

__all__ = ['sdeint', 'set_default_sdeint', 'get_default_sdeint', 'register_sde_integrator',
           'get_supported_methods']

name2method: dict[str, type] = {}

_DEFAULT_SDE_METHOD = 'euler'


def sdeint(f: Callable | None = None, g: Callable | None = None, method: str | None = None,
           dt: float | None = None, name: str | None = None, show_code: bool = False,
           var_type: str | None = None, intg_type: str | None = None,
           wiener_type: str | None = None, state_delays: dict | None = None):
    """Numerical integration for SDEs :math:`dX = f\\,dt + g\\,dW`.

    Given both ``f`` and ``g``, returns the integrator; given one of them, a
    decorator for the other (``@bp.sdeint(g=g_part)`` above the drift).

    Parameters
    ----------
    f : callable, optional
        The drift ``f(*variables, t, *parameters)`` (or a JointEq, for
        ``'exp_euler'``).
    g : callable, optional
        The diffusion, with the same arguments as ``f``.
    method : str, optional
        ``'euler'`` (the default, see :func:`set_default_sdeint`), ``'heun'``,
        ``'milstein'``, ``'exp_euler'``, ... (see :func:`get_supported_methods`).
    dt : float, optional
        The default step (``bm.get_dt()`` when None).
    name : str, optional
        The integrator's name.
    show_code : bool
        Print a description of the update rule.
    var_type : str, optional
        ``'scalar'`` (default), ``'population'`` or ``'system'``.
    intg_type : str, optional
        ``bp.integrators.ITO_SDE`` (default) or ``STRA_SDE``.
    wiener_type : str, optional
        ``bp.integrators.SCALAR_WIENER`` (default) or ``VECTOR_WIENER``.
    state_delays : dict, optional
        Not supported yet.

    Returns
    -------
    SDEIntegrator
        Call it as ``integral(*variables, t, *parameters, dt=...)``.

    Examples
    --------
    Geometric Brownian motion, 1000 paths:

    >>> import bptorch as bp, bptorch.math as bm
    >>> bm.random.seed(42)
    >>> mu, sigma = 0.5, 0.2
    >>> @bp.sdeint(g=lambda x, t: sigma * x, dt=0.01)
    ... def integral(x, t):
    ...     return mu * x
    >>> x = bm.ones(1000)
    >>> for i in range(100):
    ...     x = integral(x, i * 0.01)
    >>> bool(abs(x.mean() - 1.6487) < 0.03)      # E[x(1)] = exp(mu)
    True
    """
    method = _DEFAULT_SDE_METHOD if method is None else method
    if method not in name2method:
        raise ValueError(f'Unknown SDE numerical method "{method}". Currently '
                         f'BrainPy only support: {list(name2method.keys())}')
    cls = name2method[method]

    def build(f, g):
        return cls(f=f, g=g, dt=dt, name=name, show_code=show_code, var_type=var_type,
                   intg_type=intg_type, wiener_type=wiener_type, state_delays=state_delays)

    if f is not None and g is not None:
        return build(f, g)
    if f is not None:
        return lambda g: build(f, g)
    if g is not None:
        return lambda f: build(f, g)
    raise ValueError('Must provide "f" or "g".')


def set_default_sdeint(method: str) -> None:
    """Set the method :func:`sdeint` uses when none is given.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.sde.set_default_sdeint('milstein')
    >>> type(bp.sdeint(lambda x, t: -x, lambda x, t: x)).__name__
    'Milstein'
    >>> bp.sde.set_default_sdeint('euler')
    """
    if not isinstance(method, str):
        raise ValueError(f'Only support string, not {type(method)}.')
    if method not in name2method:
        raise ValueError(f'Unsupported SDE_INT numerical method: {method}.')
    global _DEFAULT_SDE_METHOD
    _DEFAULT_SDE_METHOD = method


def get_default_sdeint() -> str:
    """The method :func:`sdeint` uses when none is given (``'euler'`` at start).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.sde.get_default_sdeint()
    'euler'
    """
    return _DEFAULT_SDE_METHOD


def register_sde_integrator(name: str, integrator: type) -> None:
    """Make an :class:`SDEIntegrator` subclass available to :func:`sdeint` as ``method=name``.

    Examples
    --------
    >>> import bptorch as bp
    >>> class MyEuler(bp.sde.Euler):
    ...     pass
    >>> bp.sde.register_sde_integrator('my_euler', MyEuler)
    >>> type(bp.sdeint(lambda x, t: -x, lambda x, t: x, method='my_euler')).__name__
    'MyEuler'
    >>> del bp.sde.generic.name2method['my_euler']   # (undo, for the docs)
    """
    if name in name2method:
        raise ValueError(f'"{name}" has been registered in SDE integrators.')
    if not isinstance(integrator, type) or not issubclass(integrator, SDEIntegrator):
        raise ValueError(f'"integrator" must be a subclass of {SDEIntegrator.__name__}, '
                         f'got {integrator!r}')
    name2method[name] = integrator


def get_supported_methods() -> list[str]:
    """The names :func:`sdeint` accepts as ``method``.

    Examples
    --------
    >>> import bptorch as bp
    >>> all(m in bp.sde.get_supported_methods() for m in ['euler', 'heun', 'exp_euler'])
    True
    """
    return list(name2method.keys())
