"""Learning-rate schedulers (BrainPy 2.1's ``brainpy.optimizers`` schedulers).

A scheduler is a :class:`bp.Base <bptorch.Base>` that holds a step counter
``step`` (a ``bm.Variable`` of shape ``(1,)``, int64, as in BrainPy 2.1). Calling
it gives the learning rate for that step as a 0-d float64 tensor; an optimizer
advances it once per ``update``. The rate is computed from the counter with
tensor operations only, so it can be traced by ``torch.compile``, and the counter
moves with ``.to(device)`` and is saved by ``state_dict()``.

Each scheduler gives the rate at step ``i`` (``i`` = number of updates done):

======================  ==========================================================
``Constant``            ``lr``
``ExponentialDecay``    ``lr * decay_rate ** (i / decay_steps)``
``InverseTimeDecay``    ``lr / (1 + decay_rate * i / decay_steps)`` (``floor`` of the
                        ratio with ``staircase=True``)
``PolynomialDecay``     ``(lr - final_lr) * (1 - min(i, decay_steps) / decay_steps)
                        ** power + final_lr``
``PiecewiseConstant``   ``values[number of boundaries < i]``
``StepLR``              ``lr * gamma ** (i // step_size)`` (torch's ``StepLR``)
``MultiStepLR``         ``lr * gamma ** (number of milestones <= i)`` (torch's
                        ``MultiStepLR``)
======================  ==========================================================

``StepLR`` and ``MultiStepLR`` come from later BrainPy versions; here, as every
scheduler, they count optimizer updates (call ``update()`` yourself to count
something else).

Examples
--------
>>> from bptorch.optimizers import ExponentialDecay
>>> sched = ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5)
>>> sched()
tensor(0.1000, dtype=torch.float64)
>>> sched.update(); sched.update(); sched()
tensor(0.0500, dtype=torch.float64)
"""

from __future__ import annotations

from numbers import Real
from typing import Any, Sequence

import torch

from bptorch.base.base import Base
from bptorch.errors import MathError
from bptorch.math import settings
from bptorch.math.variables import Variable, as_tensor

__all__ = ['make_schedule', 'Scheduler', 'Constant', 'ExponentialDecay', 'InverseTimeDecay',
           'PolynomialDecay', 'PiecewiseConstant', 'StepLR', 'MultiStepLR']


def _number(owner: str, name: str, value: Any, positive: bool = False) -> Real:
    """``value``, checked to be a real number (and positive if asked)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f'{owner}: {name} must be a number, got {type(value).__name__}')
    if positive and value <= 0:
        raise ValueError(f'{owner}: {name} must be positive, got {value}')
    return value


def _steps(owner: str, name: str, steps: Sequence[int]) -> list[int]:
    """``steps`` as a list, checked to be increasing ints."""
    steps = list(steps)
    if any(isinstance(s, bool) or not isinstance(s, int) for s in steps) or \
            any(a >= b for a, b in zip(steps, steps[1:])):
        raise ValueError(f'{owner}: {name} must be increasing ints, got {steps}')
    return steps


class Scheduler(Base):
    """The base class of learning-rate schedulers.

    A subclass lists its settings in ``_fields`` (for ``repr``) and defines
    :meth:`schedule`, the rate as a function of the step-count tensor.

    Parameters
    ----------
    lr : float
        The initial learning rate.

    Examples
    --------
    >>> import torch
    >>> from bptorch.optimizers import Scheduler
    >>> class Halving(Scheduler):
    ...     def schedule(self, i):
    ...         return self.lr * 0.5 ** i
    >>> Halving(1.0)(torch.arange(3))
    tensor([1.0000, 0.5000, 0.2500], dtype=torch.float64)
    """

    _fields: tuple[str, ...] = ('lr',)

    def __init__(self, lr: float):
        super().__init__()
        self.lr = float(_number(type(self).__name__, 'lr', lr))
        self.step = Variable(torch.zeros(1, dtype=torch.int64, device=settings.default_device()))

    def update(self) -> None:
        """Advance the step counter by one.

        Examples
        --------
        >>> from bptorch.optimizers import Constant
        >>> c = Constant(0.1); c.update(); c.step
        Variable(tensor([1]))
        """
        self.step += 1

    def __call__(self, i: Any = None) -> torch.Tensor:
        """The learning rate at step ``i`` (default: the current step), as float64.

        ``i`` may be a number or a tensor of steps (giving one rate per step).

        Examples
        --------
        >>> from bptorch.optimizers import PolynomialDecay
        >>> PolynomialDecay(1.0, decay_steps=4, final_lr=0.0)([0, 2, 4, 6])
        tensor([1.0000, 0.5000, 0.0000, 0.0000], dtype=torch.float64)
        """
        device = self.step.device
        i = self.step[0] if i is None else as_tensor(i, device=device)
        return self.schedule(i.to(torch.float64))

    def schedule(self, i: torch.Tensor) -> torch.Tensor:
        """The learning rate at the steps ``i`` (a float64 tensor); subclasses define it.

        Examples
        --------
        >>> import torch
        >>> from bptorch.optimizers import StepLR
        >>> StepLR(1.0, step_size=2, gamma=0.5).schedule(torch.tensor([1., 2.], dtype=torch.float64))
        tensor([1.0000, 0.5000], dtype=torch.float64)
        """
        raise NotImplementedError(f'{type(self).__name__} must define schedule(i)')

    def __repr__(self) -> str:
        settings = ', '.join(f'{f}={_plain(getattr(self, f))}' for f in self._fields)
        return f'{type(self).__name__}({settings})'


def _plain(value: Any) -> Any:
    return value.tolist() if isinstance(value, torch.Tensor) else value


def make_schedule(lr: float | Scheduler) -> Scheduler:
    """A scheduler from a learning rate: a number becomes :class:`Constant`.

    Examples
    --------
    >>> from bptorch.optimizers import make_schedule
    >>> make_schedule(0.01)
    Constant(lr=0.01)
    """
    if isinstance(lr, Scheduler):
        return lr
    if isinstance(lr, Real) and not isinstance(lr, bool):
        return Constant(lr)
    raise TypeError(f'lr must be a number or a bp.optimizers.Scheduler, got {type(lr).__name__}')


class Constant(Scheduler):
    """A constant learning rate.

    Examples
    --------
    >>> from bptorch.optimizers import Constant
    >>> Constant(0.5)()
    tensor(0.5000, dtype=torch.float64)
    """

    def schedule(self, i: torch.Tensor) -> torch.Tensor:
        return torch.full_like(i, self.lr)


class ExponentialDecay(Scheduler):
    """``lr * decay_rate ** (i / decay_steps)``.

    Parameters
    ----------
    lr : float
        The initial learning rate.
    decay_steps : int
        Steps over which the rate is multiplied by ``decay_rate``.
    decay_rate : float
        The decay factor.

    Examples
    --------
    >>> from bptorch.optimizers import ExponentialDecay
    >>> ExponentialDecay(1.0, decay_steps=10, decay_rate=0.5)([0, 10, 20])
    tensor([1.0000, 0.5000, 0.2500], dtype=torch.float64)
    """

    _fields = ('lr', 'decay_steps', 'decay_rate')

    def __init__(self, lr: float, decay_steps: int, decay_rate: float):
        super().__init__(lr)
        self.decay_steps = _number(type(self).__name__, 'decay_steps', decay_steps, positive=True)
        self.decay_rate = _number(type(self).__name__, 'decay_rate', decay_rate)

    def schedule(self, i: torch.Tensor) -> torch.Tensor:
        return self.lr * self.decay_rate ** (i / self.decay_steps)


class InverseTimeDecay(ExponentialDecay):
    """``lr / (1 + decay_rate * i / decay_steps)``; ``staircase`` floors ``i / decay_steps``.

    Parameters
    ----------
    lr : float
        The initial learning rate.
    decay_steps : int
        The step scale.
    decay_rate : float
        The decay factor.
    staircase : bool
        Decay in discrete jumps every ``decay_steps`` steps.

    Examples
    --------
    >>> from bptorch.optimizers import InverseTimeDecay
    >>> InverseTimeDecay(1.0, decay_steps=2, decay_rate=1.0, staircase=True)([0, 1, 2, 3])
    tensor([1.0000, 1.0000, 0.5000, 0.5000], dtype=torch.float64)
    """

    _fields = ('lr', 'decay_steps', 'decay_rate', 'staircase')

    def __init__(self, lr: float, decay_steps: int, decay_rate: float, staircase: bool = False):
        super().__init__(lr, decay_steps, decay_rate)
        self.staircase = bool(staircase)

    def schedule(self, i: torch.Tensor) -> torch.Tensor:
        ratio = i / self.decay_steps
        if self.staircase:
            ratio = torch.floor(ratio)
        return self.lr / (1 + self.decay_rate * ratio)


class PolynomialDecay(Scheduler):
    """Polynomial decay from ``lr`` to ``final_lr`` over ``decay_steps``, then constant.

    Parameters
    ----------
    lr : float
        The initial learning rate.
    decay_steps : int
        Steps until ``final_lr`` is reached.
    final_lr : float
        The learning rate after ``decay_steps``.
    power : float
        The power of the polynomial (1: linear).

    Examples
    --------
    >>> from bptorch.optimizers import PolynomialDecay
    >>> PolynomialDecay(1.0, decay_steps=2, final_lr=0.1, power=2.0)([0, 1, 2, 3])
    tensor([1.0000, 0.3250, 0.1000, 0.1000], dtype=torch.float64)
    """

    _fields = ('lr', 'decay_steps', 'final_lr', 'power')

    def __init__(self, lr: float, decay_steps: int, final_lr: float, power: float = 1.0):
        super().__init__(lr)
        name = type(self).__name__
        self.decay_steps = _number(name, 'decay_steps', decay_steps, positive=True)
        self.final_lr = _number(name, 'final_lr', final_lr)
        self.power = _number(name, 'power', power)

    def schedule(self, i: torch.Tensor) -> torch.Tensor:
        fraction = 1 - torch.clamp(i, max=self.decay_steps) / self.decay_steps
        return fraction ** self.power * (self.lr - self.final_lr) + self.final_lr


def _count_passed(i: torch.Tensor, steps: torch.Tensor, inclusive: bool) -> torch.Tensor:
    """How many of ``steps`` lie before each step of ``i`` (``<= i`` if ``inclusive``)."""
    passed = (i.unsqueeze(-1) >= steps) if inclusive else (i.unsqueeze(-1) > steps)
    return passed.sum(-1)


class PiecewiseConstant(Scheduler):
    """``values[k]`` where ``k`` is the number of ``boundaries`` strictly below the step.

    Parameters
    ----------
    boundaries : sequence of int
        Increasing steps at which the rate changes (after the step is passed).
    values : sequence of float
        The rates; one more than ``boundaries``.

    Examples
    --------
    >>> from bptorch.optimizers import PiecewiseConstant
    >>> PiecewiseConstant([1, 3], [0.1, 0.01, 0.001])([0, 1, 2, 3, 4])
    tensor([0.1000, 0.1000, 0.0100, 0.0100, 0.0010], dtype=torch.float64)
    """

    _fields = ('boundaries', 'values')

    def __init__(self, boundaries: Sequence[int], values: Sequence[float]):
        super().__init__(0.)
        boundaries = _steps('PiecewiseConstant', 'boundaries', boundaries)
        values = [float(_number('PiecewiseConstant', 'values', v)) for v in values]
        if len(boundaries) != len(values) - 1:
            raise MathError(f'PiecewiseConstant: boundaries must be one shorter than values, got '
                            f'{len(boundaries)} boundaries and {len(values)} values')
        # buffers move with .to(device) and stay out of state_dict (they are settings)
        self.register_buffer('boundaries', torch.tensor(boundaries, dtype=torch.int64),
                             persistent=False)
        self.register_buffer('values', torch.tensor(values, dtype=torch.float64), persistent=False)

    def schedule(self, i: torch.Tensor) -> torch.Tensor:
        index = _count_passed(i, self.boundaries, inclusive=False)
        return torch.take(self.values, index).to(i.dtype)     # (indexing would need .item())


class StepLR(Scheduler):
    """``lr * gamma ** (i // step_size)``: decay by ``gamma`` every ``step_size`` updates.

    Parameters
    ----------
    lr : float
        The initial learning rate.
    step_size : int
        Updates between two decays.
    gamma : float
        The decay factor.

    Examples
    --------
    >>> from bptorch.optimizers import StepLR
    >>> StepLR(1.0, step_size=2, gamma=0.5)([0, 1, 2, 3, 4])
    tensor([1.0000, 1.0000, 0.5000, 0.5000, 0.2500], dtype=torch.float64)
    """

    _fields = ('lr', 'step_size', 'gamma')

    def __init__(self, lr: float, step_size: int, gamma: float = 0.1):
        super().__init__(lr)
        if isinstance(step_size, bool) or not isinstance(step_size, int) or step_size < 1:
            raise ValueError(f'StepLR: step_size must be a positive int, got {step_size!r}')
        self.step_size = step_size
        self.gamma = _number('StepLR', 'gamma', gamma)

    def schedule(self, i: torch.Tensor) -> torch.Tensor:
        return self.lr * self.gamma ** torch.floor(i / self.step_size)


class MultiStepLR(Scheduler):
    """``lr * gamma ** k``, ``k`` the number of ``milestones`` reached (``<= i``).

    Parameters
    ----------
    lr : float
        The initial learning rate.
    milestones : sequence of int
        Increasing update counts at which the rate is multiplied by ``gamma``.
    gamma : float
        The decay factor.

    Examples
    --------
    >>> from bptorch.optimizers import MultiStepLR
    >>> MultiStepLR(1.0, milestones=[1, 3], gamma=0.1)([0, 1, 2, 3])
    tensor([1.0000, 0.1000, 0.1000, 0.0100], dtype=torch.float64)
    """

    _fields = ('lr', 'milestones', 'gamma')

    def __init__(self, lr: float, milestones: Sequence[int], gamma: float = 0.1):
        super().__init__(lr)
        milestones = _steps('MultiStepLR', 'milestones', milestones)
        self.register_buffer('milestones', torch.tensor(milestones, dtype=torch.int64),
                             persistent=False)
        self.gamma = _number('MultiStepLR', 'gamma', gamma)

    def schedule(self, i: torch.Tensor) -> torch.Tensor:
        return self.lr * self.gamma ** _count_passed(i, self.milestones, inclusive=True).to(i.dtype)
