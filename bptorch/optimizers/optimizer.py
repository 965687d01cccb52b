"""Gradient-descent optimizers (BrainPy 2.1's ``brainpy.optimizers``).

An optimizer is a :class:`bp.Base <bptorch.Base>` that holds the variables it
trains (``vars_to_train``), a learning-rate :mod:`scheduler <bptorch.optimizers.scheduler>`
(child ``lr``) and, per trained variable, its state: ``bm.Variable`` s named after
the variable's path (``'<path>_m'``, with the dots of the path written as ``_``).
That state moves with ``.to(device)`` / ``.double()`` and is saved and restored
by ``state_dict()`` / ``load_state_dict()``.

``update(grads)`` applies one step to every trained variable, in place, then
advances the scheduler. It only does tensor arithmetic (the step count is a
tensor), so it can run inside ``torch.compile`` / ``bm.jit``.

Update rules (``g`` the gradient, ``lr`` the scheduled rate, ``t`` the step
number counted from 1):

===================  ===========================================================
``SGD``              ``p -= lr * g``
``Momentum``         ``v = momentum * v - lr * g; p += v``
``MomentumNesterov`` ``v = momentum * v - lr * g; p += momentum * v - lr * g``
``Adagrad``          ``c += g**2; p -= lr * g / sqrt(c + epsilon)``
``Adadelta``         ``c = rho*c + (1-rho)*g**2; u = g * sqrt(d + epsilon) / sqrt(c + epsilon);
                     d = rho*d + (1-rho)*u**2; p -= lr * u``
``RMSProp``          ``c = rho*c + (1-rho)*g**2; p -= lr * g / sqrt(c + epsilon)``
``Adam``             ``m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g**2;
                     p -= lr * sqrt(1-b2**t) / (1-b1**t) * m / (sqrt(v) + eps)``
``LARS``             see :class:`LARS`
===================  ===========================================================

These are BrainPy's rules. Where torch has the same optimizer:

- ``Momentum`` and ``MomentumNesterov`` equal ``torch.optim.SGD(momentum=...)``
  (``nesterov=True`` for the latter) while the rate is constant (``v = -lr *
  buf``); with a changing rate BrainPy scales each gradient by the rate of its own
  step, torch scales the whole buffer by the current rate.
- ``Adagrad`` and ``RMSProp`` put ``epsilon`` inside the square root (torch adds
  ``eps`` after it); with ``epsilon=0`` they equal ``torch.optim.Adagrad`` /
  ``RMSprop(alpha=rho)``.
- ``Adam`` folds the bias corrections into the rate (Kingma & Ba's "efficient
  version"), so its ``eps`` is effectively ``eps * sqrt(1 - b2**t)`` in torch's
  formula; with ``eps=0`` it equals ``torch.optim.Adam``.
- ``Adadelta`` equals ``torch.optim.Adadelta``. BrainPy 2.1 ignores ``lr`` in
  Adadelta (its default 0.01 has no effect, the effective rate is 1); here ``lr``
  scales the step as in torch and defaults to 1.0, so the default behaviour is
  BrainPy's.

Examples
--------
>>> import bptorch.math as bm
>>> from bptorch.optimizers import SGD
>>> w = bm.TrainVar(bm.ones(2))
>>> opt = SGD(lr=0.1, train_vars={'w': w})
>>> opt.update({'w': bm.array([1., 2.])})
>>> w
TrainVar(tensor([0.9000, 0.8000]))
"""

from __future__ import annotations

from typing import Any, Mapping

import torch

from bptorch.base.base import Base
from bptorch.errors import MathError
from bptorch.math.collectors import TensorCollector
from bptorch.math.variables import Variable
from bptorch.optimizers.scheduler import Scheduler, make_schedule

__all__ = ['Optimizer', 'SGD', 'Momentum', 'MomentumNesterov', 'Adagrad', 'Adadelta', 'RMSProp',
           'Adam', 'LARS']

Tensor = torch.Tensor


def _current(var: Variable | Tensor) -> Tensor:
    return var.value if isinstance(var, Variable) else var


class Optimizer(Base):
    """The base class of optimizers: the bookkeeping every optimizer shares.

    A subclass names its per-variable state in ``_state_names`` (``('m', 'v')``
    makes Variables ``'<path>_m'`` and ``'<path>_v'``, zeros like the variable),
    its settings in ``_fields`` (for ``repr``), and defines :meth:`step_rule`.

    Parameters
    ----------
    lr : float or Scheduler
        The learning rate; a number becomes :class:`~bptorch.optimizers.Constant`.
    train_vars : dict or TensorCollector, optional
        Paths to the variables to train: ``bm.TrainVar`` s, or tensors (the
        ``nn.Parameter`` s of ``torch.nn`` children, as ``model.train_vars()``
        gives them), updated in place. More can be added by :meth:`register_vars`.
    name : str, optional
        The name of this object.

    Notes
    -----
    The state is saved under keys built from the paths of ``train_vars``. To load
    it into a freshly built model, register paths that do not depend on object
    names, e.g. ``model.train_vars('relative')``, or name the model.

    Examples
    --------
    >>> import torch, bptorch.math as bm
    >>> from bptorch.optimizers import Optimizer
    >>> class SignDescent(Optimizer):
    ...     def step_rule(self, p, g, lr):
    ...         return (p - lr * torch.sign(g),)
    >>> w = bm.TrainVar(bm.zeros(2))
    >>> SignDescent(0.5, {'w': w}).update({'w': bm.array([3., -1.])})
    >>> w
    TrainVar(tensor([-0.5000,  0.5000]))
    """

    _state_names: tuple[str, ...] = ()
    _fields: tuple[str, ...] = ()

    def __init__(self, lr: float | Scheduler, train_vars: Mapping[str, Any] | None = None,
                 name: str | None = None):
        super().__init__(name=name)
        self.lr = make_schedule(lr)
        self.vars_to_train = TensorCollector()
        self._states: dict[str, tuple[Variable, ...]] = {}
        self.register_vars(train_vars)

    def register_vars(self, train_vars: Mapping[str, Any] | None = None) -> None:
        """Add variables to train (and create their state); nothing changes on an error.

        Parameters
        ----------
        train_vars : dict or TensorCollector, optional
            Paths to ``bm.Variable`` s or floating-point tensors. A path already
            registered must map to the same object.

        Examples
        --------
        >>> import bptorch.math as bm
        >>> from bptorch.optimizers import Adam
        >>> opt = Adam(lr=0.01)
        >>> opt.register_vars({'net.w': bm.TrainVar(bm.zeros(3))})
        >>> sorted(opt.implicit_vars)
        ['net_w_m', 'net_w_v']
        """
        if train_vars is None:
            return
        owner = type(self).__name__
        if not isinstance(train_vars, Mapping):
            raise MathError(f'{owner}.register_vars: train_vars must be a dict of Variables, '
                            f'got {type(train_vars).__name__}')
        new = {}
        for key, var in train_vars.items():
            if not isinstance(var, (Variable, Tensor)):
                raise TypeError(f'{owner}.register_vars: {key!r} must be a bm.Variable or a '
                                f'tensor, got {type(var).__name__}')
            if not (var.dtype.is_floating_point or var.dtype.is_complex):
                raise TypeError(f'{owner}.register_vars: {key!r} has dtype {var.dtype}; only '
                                'floating-point or complex variables can be trained')
            if key in self.vars_to_train:
                if self.vars_to_train[key] is not var:
                    raise ValueError(f'{owner}.register_vars: {key!r} is already registered '
                                     'for a different variable')
            else:
                new[key] = var
        users = {_state_key(k, s): k for k in self.vars_to_train for s in self._state_names}
        for key in new:
            for state in self._state_names:
                name = _state_key(key, state)
                if name in users:
                    raise ValueError(f'{owner}.register_vars: the state of {key!r} would be '
                                     f'named {name!r}, as that of {users[name]!r} is; rename '
                                     'one of the paths')
                users[name] = key
        if new and not self.vars_to_train:    # the scheduler's step goes where the model is
            self.lr.to(_current(next(iter(new.values()))).device)
        for key, var in new.items():
            value = _current(var).detach()
            states = {_state_key(key, s): Variable(torch.zeros_like(value))
                      for s in self._state_names}
            self.register_implicit_vars(**states)
            self._states[key] = tuple(states.values())
            self.vars_to_train[key] = var

    def update(self, grads: Mapping[str, Any]) -> None:
        """Apply one step to every trained variable, then advance the scheduler.

        Parameters
        ----------
        grads : dict
            A gradient (tensor or Variable) for each path of ``vars_to_train``,
            with the variable's shape, device and a dtype that promotes to its
            own. A missing or unknown path, or a mismatch, raises before any
            variable changes.

        Examples
        --------
        >>> import bptorch.math as bm
        >>> from bptorch.optimizers import Momentum
        >>> w = bm.TrainVar(bm.zeros(1))
        >>> opt = Momentum(lr=1.0, train_vars={'w': w}, momentum=0.5)
        >>> for _ in range(2): opt.update({'w': bm.ones(1)})
        >>> w
        TrainVar(tensor([-2.5000]))
        >>> opt.update({'v': bm.ones(1)})
        Traceback (most recent call last):
        ...
        KeyError: "Momentum.update: grads do not match the trained variables
        (missing: ['w'], unexpected: ['v'])"
        """
        grads = self._checked(grads)
        lr = self.learning_rate()
        with torch.no_grad():
            # Every new value first, then every assignment: a step rule that fails on a
            # later variable leaves all of them (and the optimizer's state) as they were.
            planned = []
            for key, var in self.vars_to_train.items():
                states = self._states[key]
                p = _current(var)
                new_p, *new_states = self.step_rule(p, grads[key], lr.to(p.real.dtype),
                                                    *(s.value for s in states))
                new_states = [s._convert(v, s._read(), None) for s, v in zip(states, new_states)]
                if isinstance(var, Variable):
                    new_p = var._convert(new_p, var._read(), None)     # checked now
                elif new_p.shape != var.shape:
                    raise MathError(f'{type(self).__name__}.update: the step rule gave {key!r} '
                                    f'shape {tuple(new_p.shape)}, expected {tuple(var.shape)}')
                planned.append((var, new_p, states, new_states))
            for var, new_p, states, new_states in planned:
                for state, value in zip(states, new_states):
                    state.value = value
                if isinstance(var, Variable):
                    var.value = new_p
                else:
                    var.copy_(new_p)
        self.lr.update()

    def learning_rate(self) -> Tensor:
        """The rate of the coming step (a 0-d float64 tensor): the scheduler's rate.

        Examples
        --------
        >>> from bptorch.optimizers import SGD
        >>> SGD(lr=0.1).learning_rate()
        tensor(0.1000, dtype=torch.float64)
        """
        return self.lr()

    def step_rule(self, p: Tensor, g: Tensor, lr: Tensor, *states: Tensor) -> tuple[Tensor, ...]:
        """One step for one variable: ``(new_p, *new_states)`` from ``p``, ``g``, ``lr``, states.

        ``states`` are the current values of the variable's state, in the order
        of ``_state_names``. Subclasses define it with tensor operations only.

        Examples
        --------
        >>> import torch
        >>> from bptorch.optimizers import Momentum
        >>> Momentum(0.1, momentum=0.5).step_rule(torch.ones(1), torch.ones(1), torch.tensor(0.1),
        ...                                       torch.ones(1))
        (tensor([1.4000]), tensor([0.4000]))
        """
        raise NotImplementedError(f'{type(self).__name__} must define step_rule')

    def _checked(self, grads: Mapping[str, Any]) -> dict[str, Tensor]:
        """The gradients as tensors, after checking they fit the trained variables."""
        owner = type(self).__name__
        if not isinstance(grads, Mapping):
            raise TypeError(f'{owner}.update: grads must be a dict from paths to gradients, '
                            f'got {type(grads).__name__}')
        targets = self.vars_to_train
        if grads.keys() != targets.keys():
            missing = [k for k in targets if k not in grads]
            unexpected = [k for k in grads if k not in targets]
            raise KeyError(f'{owner}.update: grads do not match the trained variables '
                           f'(missing: {missing}, unexpected: {unexpected})')
        out, problems = {}, []
        for key, var in targets.items():
            g = grads[key]
            g = g.value if isinstance(g, Variable) else g
            if not isinstance(g, Tensor):
                problems.append(f'{key!r}: expected a tensor, got {type(g).__name__}')
                continue
            if g.shape != var.shape:
                problems.append(f'{key!r}: shape {tuple(g.shape)} for a variable of shape '
                                f'{tuple(var.shape)}')
            elif torch.promote_types(g.dtype, var.dtype) != var.dtype:
                problems.append(f'{key!r}: dtype {g.dtype} for a variable of dtype {var.dtype}')
            elif g.device != var.device:
                problems.append(f'{key!r}: device {g.device} for a variable on {var.device}')
            for name, st in zip(self._state_names, self._states[key]):
                if st.dtype != var.dtype or st.device != var.device:
                    problems.append(
                        f"{key!r}: its optimizer state {_state_key(key, name)!r} is "
                        f'{st.dtype} on {st.device} but the variable is {var.dtype} on '
                        f'{var.device}; after converting the model, convert the optimizer '
                        f'too (opt.to(...)), or make it an attribute of the model')
            out[key] = g
        if problems:
            raise ValueError(f'{owner}.update: gradients do not fit their variables ('
                             + '; '.join(problems) + '); nothing was updated')
        return out

    def __repr__(self) -> str:
        settings = ''.join(f', {f}={getattr(self, f)}' for f in self._fields)
        return f'{type(self).__name__}(lr={self.lr!r}{settings})'


def _state_key(path: str, state: str) -> str:
    """The name of a state Variable of ``path``: ``'<path>_<state>'``, dots written as ``_``.

    (``nn.Module`` refuses dots in the names of its buffers.)
    """
    return f"{path.replace('.', '_')}_{state}"


class SGD(Optimizer):
    r"""Stochastic gradient descent: :math:`\theta \leftarrow \theta - \eta g`.

    Parameters
    ----------
    lr : float or Scheduler
        The learning rate.
    train_vars : dict, optional
        The variables to train.
    name : str, optional
        The name of this object.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> from bptorch.optimizers import SGD
    >>> w = bm.TrainVar(bm.ones(1))
    >>> SGD(0.5, {'w': w}).update({'w': bm.ones(1)}); w
    TrainVar(tensor([0.5000]))
    """

    def step_rule(self, p: Tensor, g: Tensor, lr: Tensor) -> tuple[Tensor]:
        return (p - lr * g,)


class Momentum(Optimizer):
    r"""Momentum (Qian, 1999): :math:`v \leftarrow \gamma v - \eta g,\
    \theta \leftarrow \theta + v`.

    Equals ``torch.optim.SGD(momentum=momentum)`` while the rate is constant.

    Parameters
    ----------
    lr : float or Scheduler
        The learning rate.
    train_vars : dict, optional
        The variables to train.
    momentum : float
        The decay of the velocity :math:`\gamma`.
    name : str, optional
        The name of this object.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> from bptorch.optimizers import Momentum
    >>> w = bm.TrainVar(bm.zeros(1))
    >>> opt = Momentum(1.0, {'w': w}, momentum=0.5)
    >>> opt.update({'w': bm.ones(1)}); opt.update({'w': bm.ones(1)}); w
    TrainVar(tensor([-2.5000]))
    """

    _state_names = ('v',)
    _fields = ('momentum',)

    def __init__(self, lr: float | Scheduler, train_vars: Mapping[str, Any] | None = None,
                 momentum: float = 0.9, name: str | None = None):
        super().__init__(lr=lr, train_vars=train_vars, name=name)
        self.momentum = momentum

    def step_rule(self, p: Tensor, g: Tensor, lr: Tensor, v: Tensor) -> tuple[Tensor, Tensor]:
        v = self.momentum * v - lr * g
        return p + v, v


class MomentumNesterov(Momentum):
    r"""Nesterov's accelerated gradient, in the form torch and BrainPy use.

    :math:`v \leftarrow \gamma v - \eta g,\ \theta \leftarrow \theta + \gamma v - \eta g`;
    equals ``torch.optim.SGD(momentum=momentum, nesterov=True)`` while the rate
    is constant.

    Parameters
    ----------
    lr : float or Scheduler
        The learning rate.
    train_vars : dict, optional
        The variables to train.
    momentum : float
        The decay of the velocity :math:`\gamma`.
    name : str, optional
        The name of this object.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> from bptorch.optimizers import MomentumNesterov
    >>> w = bm.TrainVar(bm.zeros(1))
    >>> MomentumNesterov(1.0, {'w': w}, momentum=0.5).update({'w': bm.ones(1)}); w
    TrainVar(tensor([-1.5000]))
    """

    def step_rule(self, p: Tensor, g: Tensor, lr: Tensor, v: Tensor) -> tuple[Tensor, Tensor]:
        v = self.momentum * v - lr * g
        return p + (self.momentum * v - lr * g), v


class Adagrad(Optimizer):
    r"""Adagrad (Duchi et al., 2011): :math:`c \leftarrow c + g^2,\
    \theta \leftarrow \theta - \eta g / \sqrt{c + \epsilon}`.

    ``epsilon`` sits inside the square root (torch adds its ``eps`` outside).

    Parameters
    ----------
    lr : float or Scheduler
        The learning rate.
    train_vars : dict, optional
        The variables to train.
    epsilon : float
        Added to the accumulated squares.
    name : str, optional
        The name of this object.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> from bptorch.optimizers import Adagrad
    >>> w = bm.TrainVar(bm.zeros(1))
    >>> Adagrad(0.1, {'w': w}, epsilon=0.).update({'w': bm.array([4.])}); w
    TrainVar(tensor([-0.1000]))
    """

    _state_names = ('cache',)
    _fields = ('epsilon',)

    def __init__(self, lr: float | Scheduler, train_vars: Mapping[str, Any] | None = None,
                 epsilon: float = 1e-6, name: str | None = None):
        super().__init__(lr=lr, train_vars=train_vars, name=name)
        self.epsilon = epsilon

    def step_rule(self, p: Tensor, g: Tensor, lr: Tensor, c: Tensor) -> tuple[Tensor, Tensor]:
        c = c + g * g
        return p - lr * g / torch.sqrt(c + self.epsilon), c


class Adadelta(Optimizer):
    r"""Adadelta (Zeiler, 2012), as ``torch.optim.Adadelta``.

    .. math::

        c \leftarrow \rho c + (1-\rho) g^2,\quad
        u = g \sqrt{d + \epsilon} / \sqrt{c + \epsilon},\quad
        d \leftarrow \rho d + (1-\rho) u^2,\quad
        \theta \leftarrow \theta - \eta u

    The argument order (``train_vars`` first) is BrainPy 2.1's. BrainPy 2.1
    ignores ``lr`` here (default 0.01, effective rate 1); bptorch applies it, as
    torch does, with default 1.0, so the default trajectory is BrainPy's.

    Parameters
    ----------
    train_vars : dict, optional
        The variables to train.
    lr : float or Scheduler
        The learning rate (1.0: the paper's rule).
    epsilon : float
        Added inside both square roots.
    rho : float
        The decay of the running averages.
    name : str, optional
        The name of this object.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> from bptorch.optimizers import Adadelta
    >>> w = bm.TrainVar(bm.zeros(1))
    >>> Adadelta({'w': w}, epsilon=1e-2, rho=0.).update({'w': bm.array([2.])}); w
    TrainVar(tensor([-0.0999]))
    """

    _state_names = ('cache', 'delta')
    _fields = ('epsilon', 'rho')

    def __init__(self, train_vars: Mapping[str, Any] | None = None, lr: float | Scheduler = 1.0,
                 epsilon: float = 1e-6, rho: float = 0.95, name: str | None = None):
        super().__init__(lr=lr, train_vars=train_vars, name=name)
        self.epsilon = epsilon
        self.rho = rho

    def step_rule(self, p: Tensor, g: Tensor, lr: Tensor, c: Tensor,
                  d: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        c = self.rho * c + (1 - self.rho) * g * g
        u = g * torch.sqrt(d + self.epsilon) / torch.sqrt(c + self.epsilon)
        d = self.rho * d + (1 - self.rho) * u * u
        return p - lr * u, c, d


class RMSProp(Optimizer):
    r"""RMSProp (Tieleman & Hinton, 2012): :math:`c \leftarrow \rho c + (1-\rho) g^2,\
    \theta \leftarrow \theta - \eta g / \sqrt{c + \epsilon}`.

    ``epsilon`` sits inside the square root (torch's ``RMSprop`` adds ``eps``
    outside; ``rho`` is its ``alpha``).

    Parameters
    ----------
    lr : float or Scheduler
        The learning rate.
    train_vars : dict, optional
        The variables to train.
    epsilon : float
        Added to the running average of squares.
    rho : float
        The decay of the running average.
    name : str, optional
        The name of this object.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> from bptorch.optimizers import RMSProp
    >>> w = bm.TrainVar(bm.zeros(1))
    >>> RMSProp(0.1, {'w': w}, epsilon=0., rho=0.75).update({'w': bm.array([2.])}); w
    TrainVar(tensor([-0.2000]))
    """

    _state_names = ('cache',)
    _fields = ('epsilon', 'rho')

    def __init__(self, lr: float | Scheduler, train_vars: Mapping[str, Any] | None = None,
                 epsilon: float = 1e-6, rho: float = 0.9, name: str | None = None):
        super().__init__(lr=lr, train_vars=train_vars, name=name)
        self.epsilon = epsilon
        self.rho = rho

    def step_rule(self, p: Tensor, g: Tensor, lr: Tensor, c: Tensor) -> tuple[Tensor, Tensor]:
        c = self.rho * c + (1 - self.rho) * g * g
        return p - lr * g / torch.sqrt(c + self.epsilon), c


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2014), with the bias corrections folded into the rate.

    .. math::

        m \leftarrow \beta_1 m + (1-\beta_1) g,\quad
        v \leftarrow \beta_2 v + (1-\beta_2) g^2,\quad
        \theta \leftarrow \theta - \eta \frac{\sqrt{1-\beta_2^t}}{1-\beta_1^t}
        \frac{m}{\sqrt{v} + \epsilon}

    ``t`` is the scheduler's step count plus one. With ``eps=0`` this equals
    ``torch.optim.Adam``; otherwise torch's ``eps`` corresponds to
    ``eps * sqrt(1 - beta2**t)`` here.

    Parameters
    ----------
    lr : float or Scheduler
        The learning rate.
    train_vars : dict, optional
        The variables to train.
    beta1, beta2 : float
        The decays of the first and second moment estimates.
    eps : float
        Added to the root of the second moment.
    name : str, optional
        The name of this object.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> from bptorch.optimizers import Adam
    >>> w = bm.TrainVar(bm.zeros(2))
    >>> Adam(0.1, {'w': w}).update({'w': bm.array([3., -0.5])}); w
    TrainVar(tensor([-0.1000,  0.1000]))
    """

    _state_names = ('m', 'v')
    _fields = ('beta1', 'beta2', 'eps')

    def __init__(self, lr: float | Scheduler, train_vars: Mapping[str, Any] | None = None,
                 beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
                 name: str | None = None):
        super().__init__(lr=lr, train_vars=train_vars, name=name)
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps

    def learning_rate(self) -> Tensor:
        """The scheduled rate times ``sqrt(1 - beta2**t) / (1 - beta1**t)``.

        Examples
        --------
        >>> from bptorch.optimizers import Adam
        >>> Adam(0.1, beta1=0.5, beta2=0.75).learning_rate()
        tensor(0.1000, dtype=torch.float64)
        """
        t = self.lr.step[0].to(torch.float64) + 1
        return self.lr() * torch.sqrt(1 - self.beta2 ** t) / (1 - self.beta1 ** t)

    def step_rule(self, p: Tensor, g: Tensor, lr: Tensor, m: Tensor,
                  v: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        m = self.beta1 * m + (1 - self.beta1) * g
        v = self.beta2 * v + (1 - self.beta2) * g * g
        return p - lr * m / (torch.sqrt(v) + self.eps), m, v


class LARS(Optimizer):
    r"""Layer-wise adaptive rate scaling (You et al., 2017), as BrainPy 2.1 has it.

    For each variable, with norms :math:`\|p\|`, :math:`\|g\|` over all its elements:

    .. math::

        r = \frac{tc \|p\|}{\|g\| + wd \|p\| + eps},\quad
        \eta_{local} = \eta \max(\mathbb{1}[\|p\| = 0 \lor \|g\| = 0], r),

        m \leftarrow momentum\ m + \eta_{local} (g + wd\ p),\quad
        \theta \leftarrow \theta - m

    (when either norm is zero the local rate is ``lr * max(1, r)``).

    Parameters
    ----------
    lr : float or Scheduler
        The learning rate.
    train_vars : dict, optional
        The variables to train.
    momentum : float
        The decay of the moving average.
    weight_decay : float
        The weight-decay coefficient ``wd``.
    tc : float
        The trust coefficient (< 1) of the trust ratio.
    eps : float
        Added to the trust ratio's denominator.
    name : str, optional
        The name of this object.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> from bptorch.optimizers import LARS
    >>> w = bm.TrainVar(bm.array([3., 4.]))
    >>> LARS(1.0, {'w': w}, weight_decay=0., tc=0.1, eps=0.).update({'w': bm.array([0., 5.])})
    >>> w
    TrainVar(tensor([3.0000, 3.5000]))
    """

    _state_names = ('m',)
    _fields = ('momentum', 'weight_decay', 'tc', 'eps')

    def __init__(self, lr: float | Scheduler, train_vars: Mapping[str, Any] | None = None,
                 momentum: float = 0.9, weight_decay: float = 1e-4, tc: float = 1e-3,
                 eps: float = 1e-5, name: str | None = None):
        super().__init__(lr=lr, train_vars=train_vars, name=name)
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.tc = tc
        self.eps = eps

    def step_rule(self, p: Tensor, g: Tensor, lr: Tensor, m: Tensor) -> tuple[Tensor, Tensor]:
        p_norm = torch.linalg.vector_norm(p)
        g_norm = torch.linalg.vector_norm(g)
        trust = self.tc * p_norm / (g_norm + self.weight_decay * p_norm + self.eps)
        either_zero = ((p_norm == 0) | (g_norm == 0)).to(trust.dtype)
        m = self.momentum * m + lr * torch.maximum(either_zero, trust) * (g + self.weight_decay * p)
        return p - m, m
