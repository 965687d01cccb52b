r"""Online training algorithms (BrainPy 2.1.12's ``brainpy.nn.algorithms.online``).

An online algorithm returns, at each step, the update ``dW`` of a node's weights
from its ``input`` ``(num_batch, num_input)``, ``output`` and ``target``
``(num_batch, num_output)``: ``dW = method(name, target, input, output)``. It may
keep state per trained node (``name``), created by ``initialize(name, ...)``.

Examples
--------
>>> import bptorch as bp
>>> bp.nn.algorithms.get_supported_online_methods()
('rls', 'force', 'lms')
"""

from __future__ import annotations

from typing import Callable

import torch

from bptorch.base.base import Base
from bptorch.math import settings
from bptorch.math.variables import Variable, as_tensor
from bptorch.nn._checks import check_float, register_method, registered_method

__all__ = ['OnlineAlgorithm', 'ForceLearning', 'RLS', 'LMS', 'get_supported_online_methods',
           'register_online_method']

name2func: dict[str, Callable] = {}


class OnlineAlgorithm(Base):
    """The base class of online algorithms: ``initialize(name, ...)`` and
    ``call(name, target, input, output)`` (also ``__call__``), returning ``dW``.

    Examples
    --------
    >>> import torch, bptorch as bp
    >>> class Step(bp.nn.algorithms.OnlineAlgorithm):
    ...     def initialize(self, name, *args, **kwargs):
    ...         pass
    ...     def call(self, name, target, input, output):
    ...         return input.T @ (target - output)
    >>> Step()('node', torch.ones(1, 1), torch.ones(1, 2), torch.zeros(1, 1))
    tensor([[1.],
            [1.]])
    """

    def __init__(self, name: str | None = None):
        super().__init__(name=name)

    def __call__(self, name, target, input, output):
        return self.call(name, target, input, output)

    def initialize(self, name, *args, **kwargs):
        raise NotImplementedError('Must implement the initialize() function by the subclass '
                                  'itself.')

    def call(self, name, target, input, output):
        raise NotImplementedError('Must implement the call() function by the subclass itself.')

    def __repr__(self) -> str:
        return type(self).__name__


class RLS(OnlineAlgorithm):
    r"""Recursive least squares (the rule of FORCE learning).

    For each trained node it keeps the inverse correlation matrix
    :math:`P` (``alpha * I`` at first); each step, with input rows :math:`x` and
    error :math:`e = \mathrm{output} - \mathrm{target}`:

    .. math::

       k = P x^T,\quad c = \textstyle\sum 1 / (1 + x k),\quad
       P \leftarrow P - c\, k k^T,\quad dW = -c\, k\, e

    (BrainPy 2.1.12's formula; with one sample per batch it is the classic update).
    :math:`P` is the ``bm.Variable`` ``implicit_vars['<node>_rls_P']`` (BrainPy's
    key ``'<node>.rls.P'`` with the dots written as ``_``, as module keys cannot
    hold dots).

    Parameters
    ----------
    alpha : float
        The initial :math:`P = \alpha I` (default 0.1).

    Examples
    --------
    >>> import torch, bptorch as bp
    >>> rls = bp.nn.algorithms.RLS(alpha=1.)
    >>> rls.initialize('out', feature_in=2)
    >>> dw = rls('out', torch.ones(1, 1), torch.tensor([[1., 0.]]), torch.zeros(1, 1))
    >>> torch.allclose(dw, torch.tensor([[0.5], [0.]]))
    True
    """

    postfix = '.rls.P'

    def __init__(self, alpha: float = 0.1, name: str | None = None):
        super().__init__(name=name)
        check_float(alpha, 'alpha')
        self.alpha = alpha

    def _key(self, name: str) -> str:
        return (name + self.postfix).replace('.', '_')

    def initialize(self, name, feature_in, feature_out=None):
        p = torch.eye(feature_in, dtype=settings.float_(), device=settings.default_device())
        key = self._key(name)
        if key in self.implicit_vars:
            self.implicit_vars[key].value = p * self.alpha
        else:
            self.register_implicit_vars(**{key: Variable(p * self.alpha)})

    def call(self, name, target, input, output):
        P = self.implicit_vars[self._key(name)]
        p = P.value
        x = as_tensor(input).to(p.dtype)
        k = p @ x.T                                   # (num_input, num_batch)
        hPh = x @ k                                   # (num_batch, num_batch)
        c = torch.sum(1.0 / (1.0 + hPh))
        P.value = p - c * (k @ k.T)
        e = (as_tensor(output) - as_tensor(target)).to(p.dtype)     # (num_batch, num_output)
        return -c * (k @ e)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(alpha={self.alpha})'


class ForceLearning(RLS):
    """FORCE learning (Sussillo & Abbott, 2009): :class:`RLS` (its :math:`P` under
    ``'<node>_force_P'``).

    Examples
    --------
    >>> import bptorch as bp
    >>> f = bp.nn.algorithms.ForceLearning(alpha=0.1)
    >>> f.initialize('out', feature_in=3)
    >>> list(f.implicit_vars)
    ['out_force_P']
    """

    postfix = '.force.P'


class LMS(OnlineAlgorithm):
    r"""Least mean squares: :math:`dW = -\alpha\, x^T (\mathrm{output} - \mathrm{target})`.

    (BrainPy 2.1.12's version multiplied the error by the output, which only ran
    when the batch size equalled the output size; this is the LMS rule.)

    Parameters
    ----------
    alpha : float
        The learning rate (default 0.1).

    Examples
    --------
    >>> import torch, bptorch as bp
    >>> bp.nn.algorithms.LMS(alpha=0.5)('o', torch.ones(1, 1), torch.tensor([[2., 1.]]), torch.zeros(1, 1))
    tensor([[1.0000],
            [0.5000]])
    """

    def __init__(self, alpha: float = 0.1, name: str | None = None):
        super().__init__(name=name)
        check_float(alpha, 'alpha')
        self.alpha = alpha

    def initialize(self, name, *args, **kwargs):
        pass

    def call(self, name, target, input, output):
        return -self.alpha * (as_tensor(input).T @ (as_tensor(output) - as_tensor(target)))

    def __repr__(self) -> str:
        return f'{type(self).__name__}(alpha={self.alpha})'


name2func['rls'] = RLS
name2func['force'] = ForceLearning
name2func['lms'] = LMS


def get_supported_online_methods() -> tuple:
    """The names of the online methods.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.nn.algorithms.get_supported_online_methods()[:2]
    ('rls', 'force')
    """
    return tuple(name2func.keys())


def register_online_method(name: str, method: Callable) -> None:
    """Register an online method under ``name``.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.nn.algorithms.register_online_method('rls', bp.nn.algorithms.RLS)
    Traceback (most recent call last):
    ...
    ValueError: "rls" has been registered in online training methods.
    """
    register_method(name2func, 'online', name, method)


def get(name: str) -> Callable:
    """The online method registered as ``name``."""
    return registered_method(name2func, 'online', name)
