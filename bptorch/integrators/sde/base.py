"""``SDEIntegrator``: the base of the SDE methods.

An SDE :math:`dX = f(X, t)\\,dt + g(X, t)\\,dW` is given by two functions with the
same arguments: the drift ``f`` and the diffusion ``g``. With a scalar Wiener
process (the default) ``g`` returns arrays shaped like the variables and each
element gets its own noise; with a vector Wiener process ``g`` returns an extra
last axis of size ``m``, the number of noise sources per element, and the
increments of the ``m`` Wiener processes are summed, weighted by ``g``.

Noise is drawn from the integrator's own :class:`bptorch.math.random.RandomState`
(``integral.rng``), seeded from ``bm.random`` when the integrator is built, so
``bm.random.seed(s)`` before building it reproduces a run (as in BrainPy);
``integral.rng.seed(s)`` reseeds it later. The noise has the dtype and device of
the variable.

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> bm.random.seed(0)
>>> integral = bp.sdeint(f=lambda x, t: -x, g=lambda x, t: 0.1 * x, dt=0.01)
>>> isinstance(integral, bp.sde.SDEIntegrator), integral.intg_type, integral.wiener_type
(True, 'Ito', 'scalar')
>>> integral(bm.ones(3), 0.).shape
torch.Size([3])
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

import torch

from bptorch.errors import IntegratorError
from bptorch.integrators import constants
from bptorch.integrators.base import Integrator
from bptorch.integrators.utils import parse_derivative
from bptorch.math import random, settings

__all__ = ['SDEIntegrator']


def f_names(f: Callable) -> str:
    """A unique function name for an integrator of ``f`` (BrainPy's naming)."""
    name = constants.unique_name('sde')
    fname = getattr(f, '__name__', '')
    return f'{name}_{fname}' if fname.isidentifier() else name


class SDEIntegrator(Integrator):
    """Numerical integrator of stochastic differential equations.

    Parameters
    ----------
    f : callable
        The drift ``f(*variables, t, *parameters)``.
    g : callable
        The diffusion, called with the same arguments as ``f``; with several
        variables it returns one value per variable (None: no noise on it).
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

    Examples
    --------
    >>> import bptorch as bp
    >>> integral = bp.sde.Euler(lambda x, t: -x, lambda x, t: 0. * x,
    ...                         intg_type=bp.integrators.STRA_SDE)
    >>> integral.g(1., 0.), integral(1., 0.)     # no noise: the Euler step
    (0.0, tensor(0.9000))
    """

    def __init__(self, f: Callable, g: Callable, dt: float | None = None,
                 name: str | None = None, show_code: bool = False,
                 var_type: str | None = None, intg_type: str | None = None,
                 wiener_type: str | None = None, state_delays: dict | None = None):
        api = type(self).__name__
        dt = settings.get_dt() if dt is None else dt
        variables, parameters, arguments, defaults = parse_derivative(f, api)
        if not callable(g):
            raise IntegratorError(f'{api}: the diffusion function "g" must be callable, got '
                                  f'{type(g).__name__} {g!r}')
        super().__init__(variables=variables, parameters=parameters, arguments=arguments,
                         dt=dt, name=name, state_delays=state_delays)
        intg_type = constants.ITO_SDE if intg_type is None else intg_type
        var_type = constants.SCALAR_VAR if var_type is None else var_type
        wiener_type = constants.SCALAR_WIENER if wiener_type is None else wiener_type
        if intg_type not in constants.SUPPORTED_INTG_TYPE:
            raise IntegratorError(f'Currently, BrainPy only support SDE_INT types: '
                                  f'{constants.SUPPORTED_INTG_TYPE}. But we got {intg_type!r}.')
        if var_type not in constants.SUPPORTED_VAR_TYPE:
            raise IntegratorError(f'Currently, BrainPy only supports variable types: '
                                  f'{constants.SUPPORTED_VAR_TYPE}. But we got {var_type!r}.')
        if wiener_type not in constants.SUPPORTED_WIENER_TYPE:
            raise IntegratorError(f'Currently, BrainPy only supports Wiener Process types: '
                                  f'{constants.SUPPORTED_WIENER_TYPE}. But we got {wiener_type!r}.')
        self.var_type = var_type
        self.intg_type = intg_type
        self.wiener_type = wiener_type
        self.show_code = bool(show_code)
        self._defaults = defaults
        self._hold(f=f, g=g, derivative={constants.F: f, constants.G: g})
        self.rng = random.RandomState(random.DEFAULT.split_key())   # (drawn on the CPU)
        self.func_name = f_names(f)

    # -- helpers for the methods ---------------------------------------------------
    def _noise_fn(self) -> Callable:
        """``noise(x, g, name) -> (dW, vector)``: a standard normal draw shaped like ``x``
        (plus the Wiener axis of ``g`` for a vector Wiener process)."""
        rng = self.rng
        vector = self.wiener_type == constants.VECTOR_WIENER

        def noise(x: Any, g: Any, name: str) -> torch.Tensor:
            if isinstance(x, torch.Tensor):
                shape = tuple(x.shape)
                dtype = x.dtype if x.is_floating_point() else settings.float_()
                device = x.device
            else:
                shape, dtype = (), settings.float_()
                device = g.device if isinstance(g, torch.Tensor) else settings.default_device()
            if vector:
                if not isinstance(g, torch.Tensor) or g.dim() == 0:
                    raise ValueError(f'{constants.VECTOR_WIENER!r} wiener process needs a '
                                     'diffusion value with a last axis (one entry per noise '
                                     f'source), but the diffusion of {name!r} is a scalar.')
                shape = shape + (g.shape[-1],)
            return rng._normal01(shape, dtype, device)

        return noise

    def _keyword_caller(self, g: Callable, names: list[str]) -> Callable:
        """``call(vals)``: ``g`` called with keywords, as BrainPy's exponential Euler
        method calls the diffusion: the arguments ``g`` names (all of them if it takes
        ``**kwargs``)."""
        try:
            params = inspect.signature(g).parameters.values()
        except (TypeError, ValueError):
            params = ()
        if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
            picked = list(range(len(names)))
        else:
            taken = {p.name for p in params if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                                         inspect.Parameter.KEYWORD_ONLY)}
            picked = [i for i, name in enumerate(names) if name in taken]
        keys = [names[i] for i in picked]
        return lambda vals: g(**{k: vals[i] for k, i in zip(keys, picked)})

    def _split(self, value: Any, what: str, fn: Callable) -> list:
        """The per-variable values a drift or diffusion function returned."""
        nv = len(self.variables)
        if nv == 1:
            if isinstance(value, (list, tuple)):
                if len(value) != 1:
                    raise ValueError(f'the {what} function {fn} returned {len(value)} values, '
                                     'but the equation has one variable')
                return [value[0]]
            return [value]
        if not isinstance(value, (list, tuple)) or len(value) != nv:
            got = f'{len(value)} values' if isinstance(value, (list, tuple)) else \
                f'a {type(value).__name__}'
            raise ValueError(f'the {what} function {fn} returned {got}, but the equation has '
                             f'{nv} variables {self.variables}: return one value per variable')
        return list(value)
