"""Seeded random numbers on torch generators: ``bm.random``.

A :class:`RandomState` owns one ``torch.Generator`` per device it has drawn on
(the CPU one from the start, a CUDA one created on first use and seeded with
the same seed), so its draws never touch torch's global RNG nor any other
RandomState. The module-level functions (``bm.random.rand``, ``normal``, ...)
draw from one default RandomState, :data:`DEFAULT`.

Draws are placed on :func:`bptorch.math.settings.default_device` and floats have
the default float dtype (float32, float64 under ``bm.enable_x64()``).

Reproducibility
---------------
``bm.random.seed(s)`` reseeds :data:`DEFAULT` *and* torch's global RNG
(``torch.manual_seed(s)``), so that torch layers inside a model (dropout,
``nn.init``) are reproducible from the same single seed, as BrainPy's ``seed``
also seeds NumPy's global RNG. ``RandomState(s).seed(s2)`` touches only that
RandomState.

Transforms
----------
Inside ``torch.func.vmap(f, randomness='different')`` every draw differs
between batch elements; with ``randomness='same'`` all batch elements see one
draw; with the default ``randomness='error'`` torch raises. torch honours the
``generator=`` of out-of-place random functions inside ``vmap`` (checked with
torch 2.13), so draws there still come from the RandomState and stay
reproducible; no fallback to the global RNG is needed. ``vmap(randomness='different')``
refuses in-place random kernels such as ``Tensor.uniform_``, so inside a
``torch.func`` transform (detected with
``torch._C._functorch.peek_interpreter_stack()``) ``uniform`` with number bounds
uses ``rand * (high - low) + low`` instead of its faster in-place kernel outside
transforms; the two may differ in the last bit.

Devices
-------
A draw goes on the device of its first tensor (or Variable) parameter, so
``bm.random.normal(loc=w)`` with ``w`` on CUDA draws on CUDA; draws with only
number parameters go on the default device.

Distributions
-------------
Every distribution of BrainPy 2.1's ``bm.random`` is here, with its argument names
and order (mostly NumPy's), both as a RandomState method and as a module function:
continuous ones give the default float, discrete ones the default int
(:func:`bptorch.math.set_dint`). Parameters may be numbers or arrays (broadcast with
``size``); invalid parameters raise ``ValueError`` (checked outside transforms).
Samplers with rejection steps (the gamma family, ``vonmises``, ``zipf``,
``logseries``) draw several candidates per element in one vectorised pass. Where
BrainPy 2.1's code disagreed with the NumPy documentation it carried, NumPy's
definition is used (``exponential`` multiplies by ``scale``, ``pareto`` is NumPy's
Lomax form, ``geometric`` counts trials from 1 as integers, ``weibull_min``
multiplies by ``scale``); ``triangular`` is NumPy's, or, called with a size only,
BrainPy 2.1's +-1 draws.

``key=`` (BrainPy 2.2+'s keyword) is accepted by every draw: an int seed (such as
one from ``split_key()``) or a ``torch.Generator`` to draw from instead of the
RandomState's own generators, which are left untouched.

Under ``bm.jit`` / ``torch.compile``
------------------------------------
``torch.compile`` cannot trace ``torch.Generator`` objects, so inside a compiled
function draws come from torch's global RNG instead of the RandomState (the
compiled graph generates them on the device, with no graph break). They are
reproducible from ``bm.random.seed(s)``, which also seeds the global RNG, but
they are not the numbers the same call draws eagerly, and two RandomStates with
one seed (or one ``key=``) no longer draw the same numbers there.

Examples
--------
>>> import torch, bptorch.math as bm
>>> bm.random.seed(42)
>>> a = bm.random.normal(size=(2, 3))
>>> bm.random.seed(42)
>>> torch.equal(a, bm.random.normal(size=(2, 3)))
True
>>> rs = bm.random.RandomState(0)
>>> rs.uniform(-1., 1., size=4).shape
torch.Size([4])
"""

from __future__ import annotations

import contextlib as _contextlib
import contextvars as _contextvars
import functools as _functools
import inspect as _inspect
import math
import os
from typing import Any, Sequence, Union

import numpy as np
import torch
from torch import Tensor

from bptorch import _compat
from bptorch.math import settings
from bptorch.math.variables import Variable, as_tensor

__all__ = [
    'RandomState', 'DEFAULT', 'seed', 'rand', 'randn', 'random', 'uniform', 'normal', 'randint',
    'bernoulli', 'permutation', 'shuffle', 'choice', 'exponential', 'truncated_normal',
]

Size = Union[int, Sequence[int], None]
_NUMBERS = (bool, int, float)




def _new_seed() -> int:
    return int.from_bytes(os.urandom(8), 'little') >> 1


def _size(size: Size) -> tuple[int, ...]:
    if size is None:
        return ()
    if isinstance(size, (int, np.integer)):
        return (int(size),)
    return tuple(int(s) for s in size)


def _device(*params: Any) -> torch.device:
    """The device of the first tensor (or Variable) parameter, else the default device."""
    for p in params:
        if isinstance(p, (Tensor, Variable)):
            return p.device
    return settings.default_device()


def _param(x: Any, device: torch.device) -> Any:
    """A distribution parameter: Python numbers stay numbers, the rest become tensors."""
    if isinstance(x, _NUMBERS) or isinstance(x, Tensor):
        return x
    return as_tensor(x, device=device if not isinstance(x, Variable) else None)


def _float_dtype(*params: Any) -> torch.dtype:
    """The default float, or a wider float dtype of a tensor parameter."""
    dt = settings.float_()
    for p in params:
        if isinstance(p, Tensor) and p.is_floating_point() and p.dtype != dt:
            dt = torch.promote_types(dt, p.dtype)
    return dt


def _shape(size: Size, *params: Any) -> tuple[int, ...]:
    """``size``, or the broadcast shape of the tensor parameters when ``size`` is None."""
    if size is not None:
        return _size(size)
    shapes = [p.shape for p in params if isinstance(p, Tensor)]
    return tuple(torch.broadcast_shapes(*shapes)) if shapes else ()


class RandomState(Variable):
    """A source of random numbers with its own seed (``numpy.random.RandomState``-like).

    As in BrainPy 2.1, a RandomState *is* a Variable: its value is its key (an int64
    tensor holding the seed), so it is accepted wherever a Variable is (``dyn_vars``,
    collectors, ``vars()`` of a model, ``state_dict``), and assigning a key reseeds
    it. Draws come from its own ``torch.Generator`` per device; while ``bm.jit``
    compiles, they come from torch's RNG instead, so a compiled function draws new
    numbers at each call.

    Parameters
    ----------
    seed : int, optional
        The seed; a fresh random one if None.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> a, b = bm.random.RandomState(7), bm.random.RandomState(7)
    >>> torch.equal(a.rand(3), b.rand(3))
    True
    >>> a.randint(0, 10, size=5).dtype
    torch.int64
    >>> isinstance(a, bm.Variable), a.value
    (True, tensor([7]))
    """

    __slots__ = ('_gens', '_seed')

    def __init__(self, seed: int | None = None):
        self._gens: dict[torch.device, torch.Generator] = {}
        seed = _new_seed() if seed is None else int(seed)
        super().__init__(torch.tensor([seed], dtype=torch.int64))
        self._reseed(seed)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(seed={self._seed})'

    # -- the key -------------------------------------------------------------
    def _store(self, new: Tensor) -> None:
        """A new key (checked): the generators restart from it."""
        self._value = new.detach().clone()
        self._reseed(int(new.reshape(-1)[0]))

    def _reseed(self, seed: int) -> None:
        self._seed = seed
        if not self._gens:
            self._gens[torch.device('cpu')] = torch.Generator()
        for g in self._gens.values():
            g.manual_seed(seed)

    # -- generators ----------------------------------------------------------
    def seed(self, seed: int | None = None) -> None:
        """Reseed every generator of this RandomState (a fresh random seed if None).

        Examples
        --------
        >>> import torch, bptorch.math as bm
        >>> rs = bm.random.RandomState()
        >>> rs.seed(3); a = rs.randn(2)
        >>> rs.seed(3); torch.equal(a, rs.randn(2))
        True
        """
        seed = _new_seed() if seed is None else int(seed)
        self._value = torch.tensor([seed], dtype=torch.int64)
        self._reseed(seed)

    def _gen(self, device: torch.device) -> torch.Generator | None:
        """This RandomState's generator on ``device``.

        None (torch's global RNG) when compiling, and on the meta device, which has
        no values to draw.
        """
        if _compat.is_dynamo_compiling() or device.type == 'meta':
            return None
        key = _KEY.get()
        if key is not None:  # a draw given key=...: its own generator
            if device.type == 'cuda' and device.index is None:
                device = torch.device('cuda', torch.cuda.current_device())
            return key.gen(device)
        g = self._gens.get(device)
        if g is None:
            if device.type == 'cuda' and device.index is None:
                return self._gen(torch.device('cuda', torch.cuda.current_device()))
            g = torch.Generator(device=device)
            g.manual_seed(self._seed)
            self._gens[device] = g
        return g

    def _uniform01(self, shape: tuple[int, ...], dtype: torch.dtype,
                   device: torch.device | None = None) -> Tensor:
        device = settings.default_device() if device is None else device
        return torch.rand(shape, generator=self._gen(device), dtype=dtype, device=device)

    def _normal01(self, shape: tuple[int, ...], dtype: torch.dtype,
                  device: torch.device | None = None) -> Tensor:
        device = settings.default_device() if device is None else device
        return torch.randn(shape, generator=self._gen(device), dtype=dtype, device=device)

    # -- draws ---------------------------------------------------------------
    def rand(self, *dn: int) -> Tensor:
        """Uniform floats in ``[0, 1)`` of shape ``dn`` (``numpy.random.rand``).

        Examples
        --------
        >>> import bptorch.math as bm
        >>> x = bm.random.RandomState(0).rand(2, 3)
        >>> x.shape, bool(((x >= 0) & (x < 1)).all())
        (torch.Size([2, 3]), True)
        """
        if len(dn) == 1 and not isinstance(dn[0], (int, np.integer)):
            dn = tuple(dn[0])
        return self._uniform01(_size(dn), settings.float_())

    def randn(self, *dn: int) -> Tensor:
        """Standard normal floats of shape ``dn`` (``numpy.random.randn``).

        Examples
        --------
        >>> import bptorch.math as bm
        >>> bm.random.RandomState(0).randn(4).shape
        torch.Size([4])
        """
        if len(dn) == 1 and not isinstance(dn[0], (int, np.integer)):
            dn = tuple(dn[0])
        return self._normal01(_size(dn), settings.float_())

    def random(self, size: Size = None) -> Tensor:
        """Uniform floats in ``[0, 1)`` of shape ``size`` (0-d if None) (``numpy.random.random``).

        Examples
        --------
        >>> import bptorch.math as bm
        >>> bm.random.RandomState(0).random().shape
        torch.Size([])
        """
        return self._uniform01(_size(size), settings.float_())

    def uniform(self, low: Any = 0.0, high: Any = 1.0, size: Size = None) -> Tensor:
        """Uniform floats in ``[low, high)`` (``numpy.random.uniform``).

        ``low`` and ``high`` may be arrays; the shape is ``size`` or their broadcast
        shape. The result is differentiable in tensor ``low``/``high``.

        Examples
        --------
        >>> import bptorch.math as bm
        >>> x = bm.random.RandomState(0).uniform(2., 3., size=(100,))
        >>> bool(((x >= 2) & (x < 3)).all())
        True
        >>> bm.random.RandomState(0).uniform([0., 10.], [1., 20.]).shape
        torch.Size([2])
        """
        if isinstance(low, _NUMBERS) and isinstance(high, _NUMBERS):
            if not _compat.functorch_level_active():  # outside transforms: one in-place kernel, the fastest
                dev = settings.default_device()
                return torch.empty(_size(size), dtype=settings.float_(), device=dev).uniform_(
                    low, high, generator=self._gen(dev))
            u = self._uniform01(_size(size), settings.float_())
            return u if low == 0 and high == 1 else u * (high - low) + low
        dev = _device(low, high)
        low, high = _param(low, dev), _param(high, dev)
        u = self._uniform01(_shape(size, low, high), _float_dtype(low, high), dev)
        return low + (high - low) * u

    def normal(self, loc: Any = 0.0, scale: Any = 1.0, size: Size = None) -> Tensor:
        """Normal floats with mean ``loc`` and standard deviation ``scale`` (``numpy.random.normal``).

        The result is differentiable in tensor ``loc``/``scale`` (reparameterised).

        Examples
        --------
        >>> import bptorch.math as bm
        >>> x = bm.random.RandomState(0).normal(5., 0.1, size=1000)
        >>> abs(float(x.mean()) - 5.) < 0.05
        True
        """
        dev = _device(loc, scale)
        if isinstance(loc, _NUMBERS) and isinstance(scale, _NUMBERS):
            return torch.normal(float(loc), float(scale), _size(size), generator=self._gen(dev),
                                dtype=settings.float_(), device=dev)
        loc, scale = _param(loc, dev), _param(scale, dev)
        r = self._normal01(_shape(size, loc, scale), _float_dtype(loc, scale), dev)
        if not (isinstance(scale, _NUMBERS) and scale == 1):
            r = r * scale
        if not (isinstance(loc, _NUMBERS) and loc == 0):
            r = r + loc
        return r

    def randint(self, low: Any, high: Any = None, size: Size = None,
                dtype: torch.dtype | None = None) -> Tensor:
        """Random integers in ``[low, high)`` (``[0, low)`` if ``high`` is None)
        (``numpy.random.randint``; int64 by default). Bounds may be arrays.

        Examples
        --------
        >>> import bptorch.math as bm
        >>> x = bm.random.RandomState(0).randint(3, 6, size=100)
        >>> int(x.min()) >= 3 and int(x.max()) <= 5
        True
        """
        if high is None:
            low, high = 0, low
        dtype = settings.int_() if dtype is None else dtype
        dev = _device(low, high)
        if isinstance(low, (int, np.integer)) and isinstance(high, (int, np.integer)):
            if low >= high:
                raise ValueError(f'randint: low ({low}) must be smaller than high ({high})')
            return torch.randint(int(low), int(high), _size(size), generator=self._gen(dev),
                                 dtype=dtype, device=dev)
        lo, hi = as_tensor(low, device=dev), as_tensor(high, device=dev)
        u = self._uniform01(_shape(size, lo, hi), torch.float64, dev)
        r = lo + torch.floor(u * (hi - lo).to(torch.float64)).to(torch.int64)
        return torch.minimum(r, hi - 1).to(dtype)

    def bernoulli(self, p: Any = 0.5, size: Size = None) -> Tensor:
        """Booleans that are True with probability ``p`` (``jax.random.bernoulli``).

        Examples
        --------
        >>> import bptorch.math as bm
        >>> x = bm.random.RandomState(0).bernoulli(0.3, size=(10,))
        >>> x.dtype
        torch.bool
        """
        dev = _device(p)
        p = _param(p, dev)
        return self._uniform01(_shape(size, p), _float_dtype(p), dev) < p

    def exponential(self, scale: Any = 1.0, size: Size = None) -> Tensor:
        """Exponential floats with mean ``scale`` (``numpy.random.exponential``).

        Examples
        --------
        >>> import bptorch.math as bm
        >>> bool((bm.random.RandomState(0).exponential(2., size=10) >= 0).all())
        True
        """
        dev = _device(scale)
        scale = _param(1.0 if scale is None else scale, dev)
        r = -torch.log1p(-self._uniform01(_shape(size, scale), _float_dtype(scale), dev))
        return r if isinstance(scale, _NUMBERS) and scale == 1 else r * scale

    def truncated_normal(self, lower: Any, upper: Any, size: Size = None,
                         scale: Any = None) -> Tensor:
        """Standard normal floats truncated to ``[lower, upper]``, times ``scale`` if given
        (BrainPy's ``truncated_normal``; inverse-CDF sampling in float64).

        Examples
        --------
        >>> import bptorch.math as bm
        >>> x = bm.random.RandomState(0).truncated_normal(-1., 2., size=1000)
        >>> float(x.min()) >= -1 and float(x.max()) <= 2
        True
        """
        dev = _device(lower, upper, scale)
        lo = as_tensor(lower, torch.float64, dev)
        hi = as_tensor(upper, torch.float64, dev)
        shape = _shape(size, lo, hi)
        a, b = torch.special.ndtr(lo), torch.special.ndtr(hi)
        u = a + (b - a) * self._uniform01(shape, torch.float64, dev)
        r = torch.clamp(torch.special.ndtri(u), lo, hi).to(settings.float_())
        return r if scale is None else r * _param(scale, dev)

    def permutation(self, x: Any, axis: int = 0) -> Tensor:
        """A random permutation of ``range(x)`` (an int), or of ``x`` along ``axis``
        (``numpy.random.permutation``).

        Examples
        --------
        >>> import bptorch.math as bm
        >>> sorted(bm.random.RandomState(0).permutation(4).tolist())
        [0, 1, 2, 3]
        """
        if isinstance(x, (int, np.integer)):
            dev = settings.default_device()
            return torch.randperm(int(x), generator=self._gen(dev), device=dev)
        t = as_tensor(x)
        if t.ndim == 0:
            raise ValueError('permutation: x must be an int or an array with at least one axis')
        idx = torch.randperm(t.shape[axis], generator=self._gen(t.device), device=t.device)
        return t.index_select(axis, idx)

    def shuffle(self, x: Any, axis: int = 0) -> Tensor:
        """``x`` shuffled along ``axis``; a Variable also gets the shuffled value (as in BrainPy).

        Examples
        --------
        >>> import bptorch.math as bm
        >>> v = bm.Variable(bm.arange(5))
        >>> s = bm.random.RandomState(0).shuffle(v)
        >>> bool((v.value == s).all()), sorted(s.tolist())
        (True, [0, 1, 2, 3, 4])
        """
        r = self.permutation(x if not isinstance(x, (int, np.integer)) else as_tensor(x), axis)
        if isinstance(x, Variable):
            x.value = r
        return r

    def choice(self, a: Any, size: Size = None, replace: bool = True, p: Any = None) -> Tensor:
        """Random samples from ``a`` (an array, or ``range(a)`` for an int)
        (``numpy.random.choice``; ``p`` gives the probabilities).

        Examples
        --------
        >>> import bptorch.math as bm
        >>> rs = bm.random.RandomState(0)
        >>> sorted(rs.choice(5, size=5, replace=False).tolist())
        [0, 1, 2, 3, 4]
        >>> set(rs.choice([10, 20], size=20, p=[0., 1.]).tolist())
        {20}
        """
        if isinstance(a, (int, np.integer)):
            pool, n, dev = None, int(a), settings.default_device()
        else:
            pool = as_tensor(a)
            if pool.ndim == 0:
                raise ValueError('choice: a must be an int or an array with at least one axis')
            n, dev = pool.shape[0], pool.device
        shape = _size(size)
        k = math.prod(shape)
        g = self._gen(dev)
        if p is not None:
            pt = as_tensor(p, torch.float64, dev)
            if pt.shape != (n,):
                raise ValueError(f'choice: p must have shape ({n},), got {tuple(pt.shape)}')
            if not replace and k > n:
                raise ValueError(f'choice: cannot take {k} samples from {n} without replacement')
            idx = torch.multinomial(pt, k, replacement=replace, generator=g)
        elif replace:
            if n <= 0:
                raise ValueError('choice: a must not be empty')
            idx = torch.randint(0, n, (k,), generator=g, device=dev)
        else:
            if k > n:
                raise ValueError(f'choice: cannot take {k} samples from {n} without replacement')
            idx = torch.randperm(n, generator=g, device=dev)[:k]
        idx = idx.reshape(shape)
        return idx if pool is None else pool[idx]


DEFAULT = RandomState()
"""The RandomState behind the module-level functions."""


def seed(seed: int | None = None) -> None:
    """Reseed :data:`DEFAULT` and torch's global RNG with ``seed`` (a fresh random one if None).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> bm.random.seed(1); a = bm.random.rand(3)
    >>> bm.random.seed(1); torch.equal(a, bm.random.rand(3))
    True
    """
    seed = _new_seed() if seed is None else int(seed)
    DEFAULT.seed(seed)
    torch.manual_seed(seed)


rand = DEFAULT.rand
randn = DEFAULT.randn
random = DEFAULT.random
uniform = DEFAULT.uniform
normal = DEFAULT.normal
randint = DEFAULT.randint
bernoulli = DEFAULT.bernoulli
exponential = DEFAULT.exponential
truncated_normal = DEFAULT.truncated_normal
permutation = DEFAULT.permutation
shuffle = DEFAULT.shuffle
choice = DEFAULT.choice


# ---------------------------------------------------------------------------
# BrainPy 2.1's other distributions, key=, split_key
# ---------------------------------------------------------------------------
#
# The methods below are added to RandomState after its definition (its base class and
# body stay as they are); each is also a module-level function drawing from DEFAULT.
# Every drawing method accepts ``key=`` (BrainPy 2.2+'s spelling): an int seed (or a
# 0-d integer tensor, such as one from ``split_key``) or a ``torch.Generator`` to draw
# from instead of the RandomState's own generators, which are then left untouched.

__all__ += [
    'Generator', 'default_rng', 'split_key', 'split_keys',
    'random_integers', 'random_sample', 'ranf', 'sample', 'standard_normal',
    'standard_exponential', 'standard_gamma', 'standard_cauchy', 'standard_t', 'beta', 'gamma',
    'gumbel', 'laplace', 'logistic', 'lognormal', 'pareto', 'poisson', 'power', 'rayleigh',
    'weibull', 'weibull_min', 'wald', 'vonmises', 'maxwell', 't', 'chisquare',
    'noncentral_chisquare', 'f', 'noncentral_f', 'binomial', 'negative_binomial', 'geometric',
    'hypergeometric', 'logseries', 'zipf', 'multinomial', 'multivariate_normal', 'dirichlet',
    'orthogonal', 'loggamma', 'categorical', 'triangular', 'rademacher',
]


def _in_functorch() -> bool:
    """Whether a ``torch.func`` transform runs in this thread (values cannot be read)."""
    return _functorch_level_active()


_functorch_level_active = _compat.functorch_level_active


class _Key:
    """The generators of one ``key=`` argument, one per device (an int key seeds them)."""

    def __init__(self, key: Any):
        if isinstance(key, torch.Generator):
            self.seed, self.gens = None, {torch.device(key.device): key}
            return
        if isinstance(key, (Tensor, Variable)):
            t = as_tensor(key)
            if t.ndim != 0 or t.is_floating_point() or t.is_complex() or t.dtype == torch.bool:
                raise TypeError('key: expected an int seed, a 0-d integer tensor or a '
                                f'torch.Generator, got a {t.dtype} tensor of shape {tuple(t.shape)}')
            key = int(t)
        if isinstance(key, bool) or not isinstance(key, (int, np.integer)):
            raise TypeError('key: expected an int seed, a 0-d integer tensor or a torch.Generator '
                            f'(bptorch has no JAX PRNG keys), got {type(key).__name__}')
        self.seed, self.gens = int(key), {}

    def gen(self, device: torch.device) -> torch.Generator:
        g = self.gens.get(device)
        if g is None:
            if self.seed is None:
                have = next(iter(self.gens))
                raise ValueError(f'key: the torch.Generator given is on {have}, but this draw is '
                                 f'on {device}; give a generator on {device} or an int seed')
            g = torch.Generator(device=device)
            g.manual_seed(self.seed)
            self.gens[device] = g
        return g


_KEY: _contextvars.ContextVar = _contextvars.ContextVar('bptorch_random_key', default=None)


@_contextlib.contextmanager
def _using(key: Any):
    if key is None:
        yield
        return
    token = _KEY.set(_Key(key))
    try:
        yield
    finally:
        _KEY.reset(token)


def _keyable(f):
    """``f`` with a ``key=None`` keyword (see above)."""
    @_functools.wraps(f)
    def method(self, *args, key: Any = None, **kwargs):
        if key is None:
            return f(self, *args, **kwargs)
        with _using(key):
            return f(self, *args, **kwargs)
    sig = _inspect.signature(f)
    params = list(sig.parameters.values())
    if 'key' not in sig.parameters:
        kw = _inspect.Parameter('key', _inspect.Parameter.KEYWORD_ONLY, default=None)
        pos = next((i for i, p in enumerate(params) if p.kind == p.VAR_KEYWORD), len(params))
        params.insert(pos, kw)
    method.__signature__ = sig.replace(parameters=params)
    return method


def _method(f):
    """Add ``f`` to RandomState as a method accepting ``key=``."""
    m = _keyable(f)
    m.__qualname__ = f'RandomState.{f.__name__}'
    setattr(RandomState, f.__name__, m)
    return m


for _name in ('rand', 'randn', 'random', 'uniform', 'normal', 'randint', 'bernoulli', 'exponential',
              'truncated_normal', 'permutation', 'shuffle', 'choice'):
    _m = _keyable(RandomState.__dict__[_name])
    setattr(RandomState, _name, _m)
del _name, _m

_F64 = torch.float64


def _tensor(x: Any, dtype: torch.dtype, device: torch.device) -> Tensor:
    """A parameter as a tensor of ``dtype`` on ``device`` (tensors keep their graph)."""
    if isinstance(x, Tensor):
        return x.to(dtype=dtype, device=device)
    return as_tensor(x, dtype, device)


def _prep(*params: Any) -> tuple[torch.device, list]:
    """The device of the draw and the parameters (numbers stay numbers, data become tensors)."""
    dev = _device(*params)
    return dev, [_param(p, dev) if p is not None else None for p in params]


def _check(name: str, ok: Any, what: str) -> None:
    """Raise ``ValueError`` unless ``ok`` holds (eagerly; tensors inside transforms are not read)."""
    if isinstance(ok, Tensor):
        if _in_functorch() or torch.compiler.is_compiling():
            return
        ok = bool(ok.all())
    if not ok:
        raise ValueError(f'{name}: {what}')


def _positive_int(name: str, n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f'{name}: expected a non-negative int, got {n!r}')
    return int(n)


@_method
def split_key(self) -> int:
    """A new seed drawn from this RandomState (BrainPy's ``split_key``).

    bptorch has no JAX PRNG keys: the result is a Python int, usable as
    ``RandomState(seed)`` or as the ``key=`` of any draw. Drawing it advances this
    RandomState, so the keys are reproducible from its seed.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> rs = bm.random.RandomState(0)
    >>> k = rs.split_key(); isinstance(k, int)
    True
    >>> torch.equal(bm.random.normal(size=3, key=k), bm.random.RandomState(k).normal(size=3))
    True
    """
    g = self._gen(torch.device('cpu'))
    return int(torch.randint(0, 2 ** 62, (), generator=g))


@_method
def split_keys(self, n: int) -> Tensor:
    """``n`` new seeds drawn from this RandomState, as an int64 tensor of shape ``(n,)``
    (BrainPy's ``split_keys``; each entry works as ``key=``, see :meth:`split_key`).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> keys = bm.random.RandomState(0).split_keys(3)
    >>> keys.shape, keys.dtype
    (torch.Size([3]), torch.int64)
    """
    n = _positive_int('split_keys(n)', n)
    return torch.randint(0, 2 ** 62, (n,), generator=self._gen(torch.device('cpu')))


@_method
def random_integers(self, low: Any, high: Any = None, size: Size = None) -> Tensor:
    """Random integers in the closed interval ``[low, high]`` (``[1, low]`` if ``high`` is None)
    (``numpy.random.random_integers``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).random_integers(3, size=100)
    >>> int(x.min()) >= 1 and int(x.max()) <= 3
    True
    """
    if high is None:
        low, high = 1, low
    hi = high + 1 if isinstance(high, (int, np.integer)) else as_tensor(high) + 1
    return self.randint(low, hi, size)


@_method
def random_sample(self, size: Size = None) -> Tensor:
    """Uniform floats in ``[0, 1)`` (``numpy.random.random_sample``; the same as :meth:`random`).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.random.RandomState(0).random_sample((2,)).shape
    torch.Size([2])
    """
    return self.random(size)


@_method
def ranf(self, size: Size = None) -> Tensor:
    """Uniform floats in ``[0, 1)`` (``numpy.random.ranf``; the same as :meth:`random`).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.random.RandomState(0).ranf(3).shape
    torch.Size([3])
    """
    return self.random(size)


@_method
def sample(self, size: Size = None) -> Tensor:
    """Uniform floats in ``[0, 1)`` (``numpy.random.sample``; the same as :meth:`random`).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).sample((2, 2))
    >>> x.shape, bool(((x >= 0) & (x < 1)).all())
    (torch.Size([2, 2]), True)
    """
    return self.random(size)


@_method
def standard_normal(self, size: Size = None) -> Tensor:
    """Standard normal floats (``numpy.random.standard_normal``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.random.RandomState(0).standard_normal((2, 3)).shape
    torch.Size([2, 3])
    """
    return self._normal01(_size(size), settings.float_())


def _exp01(self, shape: tuple, dtype: torch.dtype, dev: torch.device) -> Tensor:
    """Standard exponential draws (``-log(1 - U)``)."""
    return -torch.log1p(-self._uniform01(shape, dtype, dev))


def _open01(self, shape: tuple, dtype: torch.dtype, dev: torch.device) -> Tensor:
    """Uniform draws in the open interval (0, 1)."""
    u = self._uniform01(shape, dtype, dev)
    return torch.where(u == 0, torch.finfo(dtype).tiny, u)


@_method
def standard_exponential(self, size: Size = None) -> Tensor:
    """Exponential floats with mean 1 (``numpy.random.standard_exponential``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bool((bm.random.RandomState(0).standard_exponential(10) >= 0).all())
    True
    """
    return _exp01(self, _size(size), settings.float_(), settings.default_device())


def _gamma01(self, alpha: Tensor, shape: tuple, dev: torch.device) -> Tensor:
    """Standard gamma draws of shape ``shape`` for (broadcast) ``alpha`` (float64), by
    Marsaglia and Tsang's method (``alpha < 1``: boosted by ``U ** (1 / alpha)``)."""
    alpha = alpha.detach().to(_F64).expand(shape)
    small = alpha < 1
    a = torch.where(small, alpha + 1, alpha)
    d = a - 1.0 / 3.0
    c = 1.0 / torch.sqrt(9.0 * d)

    def propose(k: int, idx: Tensor | None) -> tuple[Tensor, Tensor]:
        dd, cc = (d, c) if idx is None else (d.reshape(-1)[idx], c.reshape(-1)[idx])
        sh = (k,) + tuple(dd.shape)
        x = self._normal01(sh, _F64, dev)
        u = _open01(self, sh, _F64, dev)
        v = (1 + cc * x) ** 3
        ok = (v > 0) & (torch.log(u) < 0.5 * x * x + dd - dd * v + dd * torch.log(torch.clamp(v, min=1e-300)))
        return dd * v, ok

    g = _rejection(propose, shape)
    boost = _open01(self, shape, _F64, dev) ** (1.0 / torch.where(small, alpha, 1.0))
    g = torch.where(small, g * boost, g)
    return torch.where(alpha == 0, 0.0, g)


def _rejection(propose, shape: tuple, rounds: int = 4) -> Tensor:
    """Accept-reject sampling: ``propose(k, idx)`` gives ``k`` candidates per element
    (of the elements ``idx`` of the flattened shape, or all if None) and their acceptance.

    One vectorised pass of ``rounds`` candidates per element; elements left unaccepted
    (rare) are redrawn eagerly. Inside a ``torch.func`` transform, where values cannot
    be read, one pass of 16 candidates is used and an element still unaccepted (with
    probability below 1e-12 for the samplers here) keeps its last candidate.
    """
    traced = _in_functorch() or torch.compiler.is_compiling()
    vals, ok = propose(16 if traced else rounds, None)
    first = torch.argmax(ok.to(torch.int8), dim=0, keepdim=True)
    out = torch.take_along_dim(vals, first, dim=0).squeeze(0)
    if traced:
        return out
    left = ~ok.any(0)
    if not bool(left.any()):
        return out
    out = out.reshape(-1).clone()
    todo = torch.nonzero(left.reshape(-1)).reshape(-1)
    for _ in range(1000):
        v, k = propose(rounds, todo)
        hit = k.any(0)
        first = torch.argmax(k.to(torch.int8), dim=0, keepdim=True)
        pick = torch.take_along_dim(v, first, dim=0).squeeze(0)
        out[todo[hit]] = pick[hit]
        todo = todo[~hit]
        if todo.numel() == 0:
            return out.reshape(shape)
    raise RuntimeError('random: the rejection sampler did not converge; check the parameters')


@_method
def standard_gamma(self, shape: Any, size: Size = None) -> Tensor:
    """Gamma floats with shape ``shape`` and scale 1 (``numpy.random.standard_gamma``).

    Gamma-based draws (``gamma``, ``beta``, ``chisquare``, ``dirichlet``, ...) are not
    differentiable in their shape parameters.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).standard_gamma(2., size=4000)
    >>> abs(float(x.mean()) - 2.) < 0.1
    True
    """
    dev, (k,) = _prep(shape)
    _check('standard_gamma', (k >= 0) if isinstance(k, Tensor) else k >= 0, 'shape must be >= 0')
    out = _shape(size, k)
    return _gamma01(self, _tensor(k, _F64, dev), out, dev).to(_float_dtype(k))


@_method
def gamma(self, shape: Any, scale: Any = None, size: Size = None) -> Tensor:
    """Gamma floats with shape ``shape`` and scale ``scale`` (1 if None); the mean is
    ``shape * scale`` (``numpy.random.gamma``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).gamma(3., 2., size=4000)
    >>> abs(float(x.mean()) - 6.) < 0.3
    True
    """
    dev, (k, sc) = _prep(shape, scale)
    _check('gamma', (k >= 0) if isinstance(k, Tensor) else k >= 0, 'shape must be >= 0')
    if sc is not None:
        _check('gamma', (sc >= 0) if isinstance(sc, Tensor) else sc >= 0, 'scale must be >= 0')
    r = _gamma01(self, _tensor(k, _F64, dev), _shape(size, k, sc), dev).to(_float_dtype(k, sc))
    return r if sc is None else r * sc


@_method
def beta(self, a: Any, b: Any, size: Size = None) -> Tensor:
    """Beta floats in ``[0, 1]`` with parameters ``a``, ``b`` (``numpy.random.beta``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).beta(2., 3., size=4000)
    >>> abs(float(x.mean()) - 0.4) < 0.02
    True
    """
    dev, (aa, bb) = _prep(a, b)
    for name, v in (('a', aa), ('b', bb)):
        _check('beta', (v > 0) if isinstance(v, Tensor) else v > 0, f'{name} must be > 0')
    out = _shape(size, aa, bb)
    x = _gamma01(self, _tensor(aa, _F64, dev), out, dev)
    y = _gamma01(self, _tensor(bb, _F64, dev), out, dev)
    s = x + y
    return torch.where(s > 0, x / torch.where(s > 0, s, 1.0), 0.5).to(_float_dtype(aa, bb))


def _loc_scale(self, name: str, loc: Any, scale: Any, size: Size, base) -> Tensor:
    dev, (lo, sc) = _prep(loc, scale)
    if sc is not None:
        _check(name, (sc >= 0) if isinstance(sc, Tensor) else sc >= 0, 'scale must be >= 0')
    dt = _float_dtype(lo, sc)
    z = base(self, _shape(size, *(p for p in (lo, sc) if p is not None)), dt, dev)
    if sc is not None and not (isinstance(sc, _NUMBERS) and sc == 1):
        z = z * sc
    if lo is not None and not (isinstance(lo, _NUMBERS) and lo == 0):
        z = z + lo
    return z


def _gumbel01(self, shape, dt, dev):
    return -torch.log(-torch.log(_open01(self, shape, _F64, dev))).to(dt)


def _laplace01(self, shape, dt, dev):
    u = self._uniform01(shape, _F64, dev) - 0.5
    return (-torch.sign(u) * torch.log1p(-2 * torch.abs(u))).to(dt)


def _logistic01(self, shape, dt, dev):
    u = _open01(self, shape, _F64, dev)
    return torch.log(u / (1 - u)).to(dt)


def _normal_base(self, shape, dt, dev):
    return self._normal01(shape, dt, dev)


@_method
def gumbel(self, loc: Any = None, scale: Any = None, size: Size = None) -> Tensor:
    """Gumbel floats with location ``loc`` (0) and scale ``scale`` (1); the mean is
    ``loc + 0.5772 scale`` (``numpy.random.gumbel``). Differentiable in tensor parameters.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).gumbel(1., 2., size=4000)
    >>> abs(float(x.mean()) - (1 + 2 * 0.5772)) < 0.15
    True
    """
    return _loc_scale(self, 'gumbel', loc, scale, size, _gumbel01)


@_method
def laplace(self, loc: Any = None, scale: Any = None, size: Size = None) -> Tensor:
    """Laplace (double exponential) floats with location ``loc`` (0) and scale ``scale`` (1)
    (``numpy.random.laplace``). Differentiable in tensor parameters.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).laplace(0., 1., size=4000)
    >>> abs(float(x.var()) - 2.) < 0.3
    True
    """
    return _loc_scale(self, 'laplace', loc, scale, size, _laplace01)


@_method
def logistic(self, loc: Any = None, scale: Any = None, size: Size = None) -> Tensor:
    """Logistic floats with location ``loc`` (0) and scale ``scale`` (1); the variance is
    ``scale**2 pi**2 / 3`` (``numpy.random.logistic``). Differentiable in tensor parameters.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).logistic(2., 1., size=4000)
    >>> abs(float(x.mean()) - 2.) < 0.15
    True
    """
    return _loc_scale(self, 'logistic', loc, scale, size, _logistic01)


@_method
def lognormal(self, mean: Any = None, sigma: Any = None, size: Size = None) -> Tensor:
    """Floats whose logarithm is normal with mean ``mean`` (0) and standard deviation
    ``sigma`` (1) (``numpy.random.lognormal``). Differentiable in tensor parameters.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).lognormal(0., 0.5, size=4000)
    >>> abs(float(x.log().std()) - 0.5) < 0.03
    True
    """
    return torch.exp(_loc_scale(self, 'lognormal', mean, sigma, size, _normal_base))


@_method
def standard_cauchy(self, size: Size = None) -> Tensor:
    """Standard Cauchy (Lorentz) floats (``numpy.random.standard_cauchy``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).standard_cauchy(4001)
    >>> abs(float(x.median())) < 0.1
    True
    """
    dev = settings.default_device()
    u = _open01(self, _size(size), _F64, dev)
    return torch.tan(math.pi * (u - 0.5)).to(settings.float_())


def _one_param(self, name: str, a: Any, size: Size, positive: str | None = None):
    dev, (aa,) = _prep(a)
    if positive == '>':
        _check(name, (aa > 0) if isinstance(aa, Tensor) else aa > 0, 'a must be > 0')
    elif positive == '>=':
        _check(name, (aa >= 0) if isinstance(aa, Tensor) else aa >= 0, 'a must be >= 0')
    return dev, aa, _shape(size, aa), _float_dtype(aa)


@_method
def pareto(self, a: Any, size: Size = None) -> Tensor:
    """Pareto II (Lomax) floats with shape ``a``, ``exp(E / a) - 1`` for standard
    exponential ``E`` (``numpy.random.pareto``; add 1 for the classical Pareto with
    minimum 1, which BrainPy 2.1 returned though it documented NumPy's).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).pareto(5., size=4000)
    >>> abs(float(x.mean()) - 0.25) < 0.03
    True
    """
    dev, aa, shape, dt = _one_param(self, 'pareto', a, size, '>')
    return torch.expm1(_exp01(self, shape, dt, dev) / aa)


@_method
def power(self, a: Any, size: Size = None) -> Tensor:
    """Floats in ``[0, 1]`` with density ``a x**(a - 1)`` (``numpy.random.power``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).power(3., size=4000)
    >>> abs(float(x.mean()) - 0.75) < 0.02
    True
    """
    dev, aa, shape, dt = _one_param(self, 'power', a, size, '>')
    return (-torch.expm1(-_exp01(self, shape, dt, dev))) ** (1.0 / aa)


@_method
def rayleigh(self, scale: Any = 1.0, size: Size = None) -> Tensor:
    """Rayleigh floats with scale ``scale``, ``scale sqrt(2 E)`` (``numpy.random.rayleigh``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).rayleigh(2., size=4000)
    >>> abs(float(x.mean()) - 2. * (3.14159 / 2) ** 0.5) < 0.1
    True
    """
    dev, (sc,) = _prep(scale)
    _check('rayleigh', (sc >= 0) if isinstance(sc, Tensor) else sc >= 0, 'scale must be >= 0')
    dt = _float_dtype(sc)
    return sc * torch.sqrt(2 * _exp01(self, _shape(size, sc), dt, dev))


@_method
def weibull(self, a: Any, size: Size = None) -> Tensor:
    """Weibull floats with shape ``a`` and scale 1, ``E ** (1 / a)`` (``numpy.random.weibull``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).weibull(1., size=4000)
    >>> abs(float(x.mean()) - 1.) < 0.06
    True
    """
    dev, aa, shape, dt = _one_param(self, 'weibull', a, size, '>=')
    e = _exp01(self, shape, dt, dev)
    if isinstance(aa, _NUMBERS) and aa == 0:
        return torch.zeros_like(e)
    return e ** (1.0 / aa)


@_method
def weibull_min(self, a: Any, scale: Any = None, size: Size = None) -> Tensor:
    """Weibull (minimum) floats with concentration ``a`` and scale ``scale`` (1),
    ``scale * E ** (1 / a)`` (``scipy.stats.weibull_min``; BrainPy 2.1 divided by ``scale``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).weibull_min(1., 3., size=4000)
    >>> abs(float(x.mean()) - 3.) < 0.2
    True
    """
    dev, (aa, sc) = _prep(a, scale)
    _check('weibull_min', (aa >= 0) if isinstance(aa, Tensor) else aa >= 0, 'a must be >= 0')
    if sc is not None:
        _check('weibull_min', (sc > 0) if isinstance(sc, Tensor) else sc > 0, 'scale must be > 0')
    e = _exp01(self, _shape(size, aa, sc), _float_dtype(aa, sc), dev)
    r = torch.zeros_like(e) if isinstance(aa, _NUMBERS) and aa == 0 else e ** (1.0 / aa)
    return r if sc is None else r * sc


@_method
def wald(self, mean: Any, scale: Any, size: Size = None) -> Tensor:
    """Wald (inverse Gaussian) floats with mean ``mean`` and shape ``scale``; the variance
    is ``mean**3 / scale`` (``numpy.random.wald``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).wald(1., 2., size=4000)
    >>> abs(float(x.mean()) - 1.) < 0.04
    True
    """
    dev, (mu, lam) = _prep(mean, scale)
    for name, v in (('mean', mu), ('scale', lam)):
        _check('wald', (v > 0) if isinstance(v, Tensor) else v > 0, f'{name} must be > 0')
    shape = _shape(size, mu, lam)
    dt = _float_dtype(mu, lam)
    m = _tensor(mu, _F64, dev)
    l_ = _tensor(lam, _F64, dev)
    y = self._normal01(shape, _F64, dev) ** 2
    my = m * y
    x = m + (m / (2 * l_)) * (my - torch.sqrt(4 * l_ * my + my * my))
    u = self._uniform01(shape, _F64, dev)
    return torch.where(u <= m / (m + x), x, m * m / x).to(dt)


@_method
def vonmises(self, mu: Any, kappa: Any, size: Size = None) -> Tensor:
    """Von Mises floats on ``[-pi, pi]`` with mode ``mu`` and concentration ``kappa``
    (``numpy.random.vonmises``; Best and Fisher's rejection method).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).vonmises(0.5, 4., size=4000)
    >>> float(x.min()) >= -3.1416 and float(x.max()) <= 3.1416
    True
    """
    dev, (m, k) = _prep(mu, kappa)
    _check('vonmises', (k >= 0) if isinstance(k, Tensor) else k >= 0, 'kappa must be >= 0')
    shape = _shape(size, m, k)
    kap = _tensor(k, _F64, dev).expand(shape)
    tiny_k = kap < 1e-5
    r = 1 + torch.sqrt(1 + 4 * kap * kap)
    rho = (r - torch.sqrt(2 * r)) / (2 * torch.where(kap > 0, kap, 1.0))
    s = torch.where(tiny_k, 1 / torch.where(kap > 0, kap, 1.0) + kap, (1 + rho * rho) / (2 * rho))

    def propose(n: int, idx: Tensor | None) -> tuple[Tensor, Tensor]:
        ss, kk = (s, kap) if idx is None else (s.reshape(-1)[idx], kap.reshape(-1)[idx])
        sh = (n,) + tuple(ss.shape)
        z = torch.cos(math.pi * self._uniform01(sh, _F64, dev))
        w = (1 + ss * z) / (ss + z)
        y = kk * (ss - w)
        v = _open01(self, sh, _F64, dev)
        ok = (y * (2 - y) - v >= 0) | (torch.log(torch.clamp(y / v, min=1e-300)) + 1 - y >= 0)
        ok = ok | (kk < 1e-8) | (kk > 1e6)   # those are drawn differently below
        return w, ok

    w = torch.clamp(_rejection(propose, shape), -1, 1)
    theta = torch.acos(w) * torch.where(self._uniform01(shape, _F64, dev) < 0.5, -1.0, 1.0)
    uniform = math.pi * (2 * self._uniform01(shape, _F64, dev) - 1)
    theta = torch.where(kap < 1e-8, uniform, theta)
    big = kap > 1e6
    if _in_functorch() or bool(big.any()):
        wrapped = self._normal01(shape, _F64, dev) / torch.sqrt(torch.where(big, kap, 1.0))
        theta = torch.where(big, wrapped, theta)
    res = theta + _tensor(m, _F64, dev)
    return (torch.remainder(res + math.pi, 2 * math.pi) - math.pi).to(_float_dtype(m, k))


@_method
def maxwell(self, size: Size = None) -> Tensor:
    """Standard Maxwell-Boltzmann floats: the norm of 3 standard normals (``jax.random.maxwell``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).maxwell(4000)
    >>> abs(float(x.mean()) - 2 * (2 / 3.14159) ** 0.5) < 0.05
    True
    """
    return torch.linalg.vector_norm(self._normal01(_size(size) + (3,), settings.float_()), dim=-1)


def _chi2(self, df: Tensor, shape: tuple, dev: torch.device) -> Tensor:
    return 2.0 * _gamma01(self, df.to(_F64) / 2, shape, dev)


@_method
def chisquare(self, df: Any, size: Size = None) -> Tensor:
    """Chi-square floats with ``df`` degrees of freedom, any ``df > 0``
    (``numpy.random.chisquare``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).chisquare(3, size=4000)
    >>> abs(float(x.mean()) - 3.) < 0.15
    True
    """
    dev, (d,) = _prep(df)
    _check('chisquare', (d > 0) if isinstance(d, Tensor) else d > 0, 'df must be > 0')
    shape = _shape(size, d)
    return _chi2(self, _tensor(d, _F64, dev), shape, dev).to(_float_dtype(d))


@_method
def standard_t(self, df: Any, size: Size = None) -> Tensor:
    """Student's t floats with ``df`` degrees of freedom (``numpy.random.standard_t``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).standard_t(10., size=4000)
    >>> abs(float(x.var()) - 1.25) < 0.15
    True
    """
    dev, (d,) = _prep(df)
    _check('standard_t', (d > 0) if isinstance(d, Tensor) else d > 0, 'df must be > 0')
    shape = _shape(size, d)
    dd = _tensor(d, _F64, dev)
    z = self._normal01(shape, _F64, dev)
    return (z / torch.sqrt(_chi2(self, dd, shape, dev) / dd)).to(_float_dtype(d))


@_method
def t(self, df: Any, size: Size = None) -> Tensor:
    """Student's t floats (BrainPy's ``t``; the same as :meth:`standard_t`).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.random.RandomState(0).t(5., size=(2, 3)).shape
    torch.Size([2, 3])
    """
    return self.standard_t(df, size)


def _nc_chi2(self, df: Tensor, nonc: Tensor, shape: tuple, dev: torch.device) -> Tensor:
    """Noncentral chi-square draws (NumPy's method), float64."""
    df = df.to(_F64).expand(shape)
    nonc = nonc.to(_F64).expand(shape)
    big = df > 1
    central = _chi2(self, torch.where(big, df - 1, df), shape, dev)
    n = self._normal01(shape, _F64, dev) + torch.sqrt(nonc)
    i = torch.poisson(nonc / 2, generator=self._gen(dev))
    small = _chi2(self, df + 2 * i, shape, dev)
    r = torch.where(big, central + n * n, small)
    return torch.where(nonc == 0, _chi2(self, df, shape, dev), r)


@_method
def noncentral_chisquare(self, df: Any, nonc: Any, size: Size = None) -> Tensor:
    """Noncentral chi-square floats; the mean is ``df + nonc`` (``numpy.random.noncentral_chisquare``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).noncentral_chisquare(3., 2., size=4000)
    >>> abs(float(x.mean()) - 5.) < 0.25
    True
    """
    dev, (d, nc) = _prep(df, nonc)
    _check('noncentral_chisquare', (d > 0) if isinstance(d, Tensor) else d > 0, 'df must be > 0')
    _check('noncentral_chisquare', (nc >= 0) if isinstance(nc, Tensor) else nc >= 0, 'nonc must be >= 0')
    shape = _shape(size, d, nc)
    return _nc_chi2(self, _tensor(d, _F64, dev), _tensor(nc, _F64, dev), shape, dev).to(
        _float_dtype(d, nc))


@_method
def f(self, dfnum: Any, dfden: Any, size: Size = None) -> Tensor:
    """F (Fisher-Snedecor) floats, ``(chi2(dfnum) / dfnum) / (chi2(dfden) / dfden)``
    (``numpy.random.f``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).f(5., 10., size=4000)
    >>> abs(float(x.mean()) - 10. / 8.) < 0.08
    True
    """
    dev, (a, b) = _prep(dfnum, dfden)
    for name, v in (('dfnum', a), ('dfden', b)):
        _check('f', (v > 0) if isinstance(v, Tensor) else v > 0, f'{name} must be > 0')
    shape = _shape(size, a, b)
    at, bt = _tensor(a, _F64, dev), _tensor(b, _F64, dev)
    return ((_chi2(self, at, shape, dev) / at) / (_chi2(self, bt, shape, dev) / bt)).to(
        _float_dtype(a, b))


@_method
def noncentral_f(self, dfnum: Any, dfden: Any, nonc: Any, size: Size = None) -> Tensor:
    """Noncentral F floats (``numpy.random.noncentral_f``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).noncentral_f(5., 20., 2., size=4000)
    >>> abs(float(x.mean()) - 20. * 7. / (5. * 18.)) < 0.1
    True
    """
    dev, (a, b, nc) = _prep(dfnum, dfden, nonc)
    for name, v in (('dfnum', a), ('dfden', b)):
        _check('noncentral_f', (v > 0) if isinstance(v, Tensor) else v > 0, f'{name} must be > 0')
    _check('noncentral_f', (nc >= 0) if isinstance(nc, Tensor) else nc >= 0, 'nonc must be >= 0')
    shape = _shape(size, a, b, nc)
    at, bt = _tensor(a, _F64, dev), _tensor(b, _F64, dev)
    num = _nc_chi2(self, at, _tensor(nc, _F64, dev), shape, dev) * bt
    den = _chi2(self, bt, shape, dev) * at
    return (num / den).to(_float_dtype(a, b, nc))


def _int_out(x: Tensor) -> Tensor:
    return x.to(settings.int_())


def _prob(name: str, p: Any, lo_open: bool = False, hi_open: bool = False) -> None:
    lo = (p > 0) if lo_open else (p >= 0)
    hi = (p < 1) if hi_open else (p <= 1)
    what = f'p must be in {"(" if lo_open else "["}0, 1{")" if hi_open else "]"}'
    _check(name, lo & hi if isinstance(p, Tensor) else (lo and hi), what)


@_method
def poisson(self, lam: Any = 1.0, size: Size = None) -> Tensor:
    """Poisson integers with rate ``lam`` (``numpy.random.poisson``; the default int).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).poisson(4., size=4000)
    >>> x.dtype, abs(float(x.float().mean()) - 4.) < 0.15
    (torch.int64, True)
    """
    dev, (lm,) = _prep(lam)
    _check('poisson', (lm >= 0) if isinstance(lm, Tensor) else lm >= 0, 'lam must be >= 0')
    shape = _shape(size, lm)
    rate = _tensor(lm, _F64, dev).detach().expand(shape).contiguous()
    return _int_out(torch.poisson(rate, generator=self._gen(dev)))


@_method
def binomial(self, n: Any, p: Any, size: Size = None) -> Tensor:
    """Binomial integers: successes in ``n`` trials of probability ``p`` (``numpy.random.binomial``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).binomial(10, 0.3, size=4000)
    >>> int(x.min()) >= 0 and int(x.max()) <= 10, abs(float(x.float().mean()) - 3.) < 0.1
    (True, True)
    """
    dev, (nn, pp) = _prep(n, p)
    _check('binomial', (nn >= 0) if isinstance(nn, Tensor) else nn >= 0, 'n must be >= 0')
    _prob('binomial', pp)
    shape = _shape(size, nn, pp)
    count = _tensor(nn, _F64, dev).detach().expand(shape).contiguous()
    prob = _tensor(pp, _F64, dev).detach().expand(shape).contiguous()
    return _int_out(torch.binomial(count, prob, generator=self._gen(dev)))


@_method
def negative_binomial(self, n: Any, p: Any, size: Size = None) -> Tensor:
    """Negative binomial integers: failures before ``n`` successes of probability ``p``
    (``numpy.random.negative_binomial``; a Poisson-gamma mixture).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).negative_binomial(3, 0.5, size=4000)
    >>> abs(float(x.float().mean()) - 3.) < 0.2
    True
    """
    dev, (nn, pp) = _prep(n, p)
    _check('negative_binomial', (nn > 0) if isinstance(nn, Tensor) else nn > 0, 'n must be > 0')
    _prob('negative_binomial', pp, lo_open=True)
    shape = _shape(size, nn, pp)
    pt = _tensor(pp, _F64, dev)
    rate = _gamma01(self, _tensor(nn, _F64, dev), shape, dev) * ((1 - pt) / pt)
    return _int_out(torch.poisson(rate.contiguous(), generator=self._gen(dev)))


@_method
def geometric(self, p: Any, size: Size = None) -> Tensor:
    """Geometric integers >= 1: the number of trials up to the first success of
    probability ``p`` (``numpy.random.geometric``; BrainPy 2.1 returned floats from 0).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).geometric(0.25, size=4000)
    >>> int(x.min()) >= 1, abs(float(x.float().mean()) - 4.) < 0.2
    (True, True)
    """
    dev, (pp,) = _prep(p)
    _prob('geometric', pp, lo_open=True)
    shape = _shape(size, pp)
    e = _exp01(self, shape, _F64, dev)
    r = torch.ceil(-e / torch.log1p(-_tensor(pp, _F64, dev)))
    return _int_out(torch.clamp(r, min=1))


@_method
def hypergeometric(self, ngood: Any, nbad: Any, nsample: Any, size: Size = None) -> Tensor:
    """Hypergeometric integers: good items among ``nsample`` drawn without replacement from
    ``ngood`` good and ``nbad`` bad ones (``numpy.random.hypergeometric``).

    Drawn item by item, vectorised over the samples, for ``min(nsample, ngood + nbad -
    nsample)`` steps (their number is read from the parameters, so eager only).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).hypergeometric(10, 5, 6, size=4000)
    >>> abs(float(x.float().mean()) - 4.) < 0.06
    True
    """
    dev, (g, b, k) = _prep(ngood, nbad, nsample)
    ts = [_tensor(v, torch.int64, dev) for v in (g, b, k)]
    _check('hypergeometric', (ts[0] >= 0) & (ts[1] >= 0), 'ngood and nbad must be >= 0')
    _check('hypergeometric', (ts[2] >= 0) & (ts[2] <= ts[0] + ts[1]),
           'nsample must be in [0, ngood + nbad]')
    shape = _shape(size, *[v for v in (g, b, k)])
    good, bad, ns = (t.expand(shape) for t in ts)
    total = good + bad
    flip = ns > total - ns
    m = torch.where(flip, total - ns, ns)
    steps = int(m.max()) if m.numel() else 0
    left_good = good.to(_F64)
    left = total.to(_F64)
    count = torch.zeros(shape, dtype=_F64, device=dev)
    for step in range(steps):
        active = (step < m).to(_F64)
        draw = (self._uniform01(shape, _F64, dev) * left < left_good).to(_F64) * active
        count = count + draw
        left_good = left_good - draw
        left = left - active
    return _int_out(torch.where(flip, good - count, count))


@_method
def logseries(self, p: Any, size: Size = None) -> Tensor:
    """Logarithmic series integers >= 1 with parameter ``p`` in ``(0, 1)``
    (``numpy.random.logseries``; Kemp's method).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).logseries(0.5, size=4000)
    >>> abs(float(x.float().mean()) - 0.5 / (0.5 * 0.6931)) < 0.06
    True
    """
    dev, (pp,) = _prep(p)
    _prob('logseries', pp, lo_open=True, hi_open=True)
    shape = _shape(size, pp)
    pt = _tensor(pp, _F64, dev).expand(shape)
    r = torch.log1p(-pt)

    def propose(n: int, idx: Tensor | None) -> tuple[Tensor, Tensor]:
        ptt, rr = (pt, r) if idx is None else (pt.reshape(-1)[idx], r.reshape(-1)[idx])
        sh = (n,) + tuple(ptt.shape)
        v = self._uniform01(sh, _F64, dev)
        u = self._uniform01(sh, _F64, dev)
        q = -torch.expm1(rr * u)
        k = torch.floor(1 + torch.log(torch.clamp(v, min=1e-300)) / torch.log(q))
        val = torch.where(v >= ptt, 1.0, torch.where(v <= q * q, k, torch.where(v >= q, 1.0, 2.0)))
        ok = (v >= ptt) | ~((v <= q * q) & ((k < 1) | (v == 0)))
        return val, ok

    return _int_out(_rejection(propose, shape))


@_method
def zipf(self, a: Any, size: Size = None) -> Tensor:
    """Zipf integers >= 1 with parameter ``a > 1`` (``numpy.random.zipf``; rejection
    sampling as NumPy's).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).zipf(3., size=4000)
    >>> int(x.min()) >= 1, abs(float((x == 1).float().mean()) - 1 / 1.20206) < 0.03
    (True, True)
    """
    dev, aa, shape, dt = _one_param(self, 'zipf', a, size)
    _check('zipf', (aa > 1) if isinstance(aa, Tensor) else aa > 1, 'a must be > 1')
    at = _tensor(aa, _F64, dev).expand(shape)
    am1 = at - 1
    b = torch.pow(2.0, am1)
    big = float(2 ** 62)

    def propose(n: int, idx: Tensor | None) -> tuple[Tensor, Tensor]:
        a1, bb = (am1, b) if idx is None else (am1.reshape(-1)[idx], b.reshape(-1)[idx])
        sh = (n,) + tuple(a1.shape)
        u = 1 - self._uniform01(sh, _F64, dev)
        v = self._uniform01(sh, _F64, dev)
        x = torch.floor(torch.pow(u, -1 / a1))
        valid = (x >= 1) & (x <= big)
        xs = torch.where(valid, x, 1.0)
        tt = torch.pow(1 + 1 / xs, a1)
        ok = valid & (v * xs * (tt - 1) / (bb - 1) <= tt / bb)
        return xs, ok

    return _int_out(_rejection(propose, shape))


@_method
def multinomial(self, n: Any, pvals: Any, size: Size = None) -> Tensor:
    """Counts of ``n`` draws over ``len(pvals)`` categories (``numpy.random.multinomial``;
    the last probability is taken as ``1 - sum(pvals[:-1])``). The result has shape
    ``size + (len(pvals),)`` (``size`` None: the broadcast shape of ``n`` and
    ``pvals[..., :-1]``); drawn as successive binomials, one per category.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).multinomial(20, [0.2, 0.3, 0.5], size=5)
    >>> x.shape, x.sum(-1).tolist()
    (torch.Size([5, 3]), [20, 20, 20, 20, 20])
    """
    dev = _device(n, pvals)
    pv = as_tensor(pvals, _F64, None if isinstance(pvals, (Tensor, Variable)) else dev)
    if pv.ndim == 0:
        raise ValueError('multinomial: pvals must have at least one dimension')
    nt = _tensor(n, _F64, dev)
    _check('multinomial', nt >= 0, 'n must be >= 0')
    _check('multinomial', (pv >= 0) & (pv <= 1), 'pvals must be in [0, 1]')
    _check('multinomial', pv[..., :-1].sum(-1) <= 1 + 1e-12, 'sum(pvals[:-1]) must be <= 1')
    k = pv.shape[-1]
    batch = _size(size) if size is not None else tuple(torch.broadcast_shapes(nt.shape, pv.shape[:-1]))
    left = nt.expand(batch).contiguous()
    p_left = torch.ones(batch, dtype=_F64, device=dev)
    counts = []
    for j in range(k - 1):
        pj = pv[..., j].expand(batch)
        q = torch.clamp(pj / torch.where(p_left > 0, p_left, 1.0), 0, 1)
        q = torch.where(p_left > 0, q, 0.0).contiguous()
        c = torch.binomial(left, q, generator=self._gen(dev))
        counts.append(c)
        left = left - c
        p_left = p_left - pj
    counts.append(left)
    return _int_out(torch.stack(counts, dim=-1))


@_method
def multivariate_normal(self, mean: Any, cov: Any, size: Size = None,
                        method: str = 'cholesky') -> Tensor:
    """Multivariate normal floats, shape ``size + (n,)`` (``numpy.random.multivariate_normal``;
    ``mean`` ``(..., n)`` and ``cov`` ``(..., n, n)`` batch as in BrainPy 2.1; the
    covariance is factored by ``'cholesky'`` (default), ``'eigh'`` or ``'svd'``).
    Differentiable in ``mean`` and ``cov``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).multivariate_normal([0., 1.], [[1., 0.5], [0.5, 2.]], size=4000)
    >>> x.shape, abs(float(bm.cov(x.T)[0, 1]) - 0.5) < 0.08
    (torch.Size([4000, 2]), True)
    """
    if method not in ('svd', 'eigh', 'cholesky'):
        raise ValueError(f"multivariate_normal(method): expected 'svd', 'eigh' or 'cholesky', got {method!r}")
    dev = _device(mean, cov)
    m = as_tensor(mean, device=None if isinstance(mean, (Tensor, Variable)) else dev)
    c = as_tensor(cov, device=None if isinstance(cov, (Tensor, Variable)) else dev)
    dt = _float_dtype(m if m.is_floating_point() else None, c if c.is_floating_point() else None)
    m, c = m.to(dt), c.to(dt)
    if m.ndim < 1:
        raise ValueError(f'multivariate_normal: mean must have at least 1 dimension, got {m.ndim}')
    n = m.shape[-1]
    if c.ndim < 2 or tuple(c.shape[-2:]) != (n, n):
        raise ValueError(f'multivariate_normal: cov must have shape (..., {n}, {n}), got '
                         f'{tuple(c.shape)}')
    batch = tuple(torch.broadcast_shapes(m.shape[:-1], c.shape[:-2]))
    shape = batch if size is None else _size(size)
    if size is not None and tuple(torch.broadcast_shapes(shape, batch)) != shape:
        raise ValueError(f'multivariate_normal: size {shape} does not broadcast with the batch '
                         f'shape {batch} of mean and cov')
    if method == 'cholesky':
        factor = torch.linalg.cholesky(c)
    elif method == 'eigh':
        w, v = torch.linalg.eigh(c)
        factor = v * torch.sqrt(torch.clamp(w, min=0)).unsqueeze(-2)
    else:
        u, s, _ = torch.linalg.svd(c)
        factor = u * torch.sqrt(s).unsqueeze(-2)
    z = self._normal01(shape + (n,), dt, dev)
    return m + torch.einsum('...ij,...j->...i', factor, z)


@_method
def dirichlet(self, alpha: Any, size: Size = None) -> Tensor:
    """Dirichlet floats: probability vectors of ``len(alpha)`` entries, shape
    ``size + (len(alpha),)`` (``numpy.random.dirichlet``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).dirichlet([1., 2., 3.], size=4000)
    >>> x.shape, abs(float(x.mean(0)[2]) - 0.5) < 0.02
    (torch.Size([4000, 3]), True)
    """
    dev = _device(alpha)
    al = as_tensor(alpha, _F64, None if isinstance(alpha, (Tensor, Variable)) else dev)
    if al.ndim != 1:
        raise ValueError(f'dirichlet: alpha must be 1-D, got shape {tuple(al.shape)}')
    _check('dirichlet', al > 0, 'alpha must be > 0')
    g = _gamma01(self, al, _size(size) + tuple(al.shape), dev)
    return (g / g.sum(-1, keepdim=True)).to(settings.float_())


@_method
def orthogonal(self, n: int, size: Size = None) -> Tensor:
    """Random orthogonal ``(n, n)`` matrices, uniform (Haar) over the orthogonal group,
    shape ``size + (n, n)`` (``jax.random.orthogonal``).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> q = bm.random.RandomState(0).orthogonal(3)
    >>> torch.allclose(q @ q.T, torch.eye(3), atol=1e-5)
    True
    """
    n = _positive_int('orthogonal(n)', n)
    z = self._normal01(_size(size) + (n, n), settings.float_())
    q, r = torch.linalg.qr(z)
    d = torch.diagonal(r, 0, -2, -1)
    return q * torch.sgn(d).unsqueeze(-2)


@_method
def loggamma(self, a: Any, size: Size = None) -> Tensor:
    """The logarithms of gamma draws with shape ``a``, accurate for small ``a``
    (``jax.random.loggamma``).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> x = bm.random.RandomState(0).loggamma(0.01, size=10)
    >>> bool(torch.isfinite(x).all())
    True
    """
    dev, aa, shape, dt = _one_param(self, 'loggamma', a, size, '>')
    at = _tensor(aa, _F64, dev).expand(shape)
    small = at < 1
    lg = torch.log(_gamma01(self, torch.where(small, at + 1, at), shape, dev))
    lu = torch.log(_open01(self, shape, _F64, dev)) / at
    return torch.where(small, lg + lu, lg).to(dt)


@_method
def categorical(self, logits: Any, axis: int = -1, size: Size = None) -> Tensor:
    """Category indices drawn with probabilities ``softmax(logits)`` along ``axis``
    (``jax.random.categorical``; Gumbel-max). The shape is ``size`` or that of ``logits``
    without ``axis``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> x = bm.random.RandomState(0).categorical(bm.log(bm.asarray([0.1, 0.9])), size=4000)
    >>> x.dtype, abs(float(x.float().mean()) - 0.9) < 0.02
    (torch.int64, True)
    """
    dev = _device(logits)
    lg = as_tensor(logits, device=None if isinstance(logits, (Tensor, Variable)) else dev)
    lg = lg.to(_float_dtype(lg if lg.is_floating_point() else None)).movedim(axis, -1)
    shape = tuple(lg.shape[:-1]) if size is None else _size(size)
    noise = _gumbel01(self, shape + (lg.shape[-1],), lg.dtype, dev)
    return _int_out(torch.argmax(lg + noise, dim=-1))


@_method
def rademacher(self, size: Size = None) -> Tensor:
    """Integers -1 and 1 with equal probability (``jax.random.rademacher``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> sorted(set(bm.random.RandomState(0).rademacher(100).tolist()))
    [-1, 1]
    """
    dev = settings.default_device()
    b = self._uniform01(_size(size), torch.float32, dev) < 0.5
    return _int_out(b) * 2 - 1


@_method
def triangular(self, left: Any = None, mode: Any = None, right: Any = None,
               size: Size = None) -> Tensor:
    """Triangular floats on ``[left, right]`` with peak ``mode`` (``numpy.random.triangular``),
    or, called BrainPy 2.1's way with only a size (``triangular(size)``,
    ``triangular(size=...)``), integers -1 and 1 (what BrainPy 2.1 returns; see
    :meth:`rademacher`).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> rs = bm.random.RandomState(0)
    >>> x = rs.triangular(0., 1., 4., size=4000)
    >>> abs(float(x.mean()) - 5. / 3.) < 0.05
    True
    >>> sorted(set(rs.triangular(size=100).tolist()))
    [-1, 1]
    """
    if mode is None and right is None:
        if left is not None and size is not None:
            raise TypeError('triangular: give left, mode and right (NumPy), or only a size '
                            '(BrainPy 2.1)')
        return self.rademacher(left if size is None else size)
    if left is None or mode is None or right is None:
        raise TypeError('triangular: give all of left, mode and right')
    dev, (lo, md, hi) = _prep(left, mode, right)
    lt, mt, ht = (_tensor(v, _F64, dev) for v in (lo, md, hi))
    _check('triangular', (lt <= mt) & (mt <= ht) & (lt < ht), 'need left <= mode <= right and left < right')
    shape = _shape(size, lo, md, hi)
    u = self._uniform01(shape, _F64, dev)
    base, lhs, rhs = ht - lt, mt - lt, ht - mt
    fc = lhs / base
    r = torch.where(u <= fc, lt + torch.sqrt(u * base * lhs), ht - torch.sqrt((1 - u) * base * rhs))
    return r.to(_float_dtype(lo, md, hi))


Generator = RandomState
"""BrainPy's alias of :class:`RandomState`."""


def default_rng(seed: int | None = None) -> RandomState:
    """A new :class:`RandomState` (BrainPy's ``default_rng``; NumPy's returns a ``Generator``).

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> torch.equal(bm.random.default_rng(3).rand(2), bm.random.RandomState(3).rand(2))
    True
    """
    return RandomState(seed)


for _name in __all__:
    if _name not in ('RandomState', 'DEFAULT', 'seed', 'Generator', 'default_rng'):
        globals()[_name] = getattr(DEFAULT, _name)
del _name
