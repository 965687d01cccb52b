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

Under ``bm.jit`` / ``torch.compile``
------------------------------------
``torch.compile`` cannot trace ``torch.Generator`` objects, so inside a compiled
function draws come from torch's global RNG instead of the RandomState (the
compiled graph generates them on the device, with no graph break). They are
reproducible from ``bm.random.seed(s)``, which also seeds the global RNG, but
they are not the numbers the same call draws eagerly, and two RandomStates with
one seed no longer draw the same numbers there.

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


class RandomState:
    """A source of random numbers with its own seed (``numpy.random.RandomState``-like).

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
    """

    def __init__(self, seed: int | None = None):
        self._gens: dict[torch.device, torch.Generator] = {}
        self.seed(seed)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(seed={self._seed})'

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
        self._seed = seed
        if not self._gens:
            self._gens[torch.device('cpu')] = torch.Generator()
        for g in self._gens.values():
            g.manual_seed(seed)

    def _gen(self, device: torch.device) -> torch.Generator | None:
        """This RandomState's generator on ``device``.

        None (torch's global RNG) when compiling, and on the meta device, which has
        no values to draw.
        """
        if torch.compiler.is_compiling() or device.type == 'meta':
            return None
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
