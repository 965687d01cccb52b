"""Training by back-propagation (BrainPy 2.1.12's ``brainpy.nn.BPTT`` and ``BPFF``).

:class:`BPTT` runs a model over batches of sequences ``(num_batch, num_time,
...)``, takes the gradients of the loss through the whole time loop with
``bm.grad`` and applies them with a ``bp.optimizers`` optimizer. :class:`BPFF`
does the same for feedforward models on ``(num_batch, ...)`` data.

With ``jit``, the step function (one step of the model) is compiled once
(``bm.for_loop(..., jit=True)``; ``BPFF``: ``bm.jit`` of the model's call) and the
loop, the gradient and the update run around it.

Examples
--------
>>> import torch, bptorch as bp, bptorch.math as bm
>>> bm.random.seed(0)
>>> model = bp.nn.Input(1) >> bp.nn.GRU(8) >> bp.nn.Dense(1)
>>> model.initialize(num_batch=4)
>>> x = torch.randn(16, 10, 1)
>>> trainer = bp.nn.BPTT(model, loss='mean_squared_error', optimizer=bp.optim.Adam(lr=1e-2),
...                      jit=False, progress_bar=False)
>>> trainer.fit([x, x], num_batch=4, num_train=5, num_report=1000)
>>> trainer.train_losses.shape
torch.Size([20])
"""

from __future__ import annotations

import time
from typing import Any, Callable, Dict, Optional, Sequence, Union

import torch

from bptorch import losses
from bptorch import optimizers as optim
from bptorch.errors import UnsupportedError
from bptorch.math import autograd
from bptorch.math import random as bm_random
from bptorch.math.clipping import clip_by_norm
from bptorch.math.jit import jit as bm_jit_fn
from bptorch.math.variables import TrainVar, as_tensor
from bptorch.nn._checks import check_dict_data, check_float, check_integer, is_tensor
from bptorch.nn.base import Network, Node, RecurrentNode
from bptorch.nn.runners.rnn_runner import inference, jit_settings, resolve_reset
from bptorch.nn.runners.rnn_trainer import RNNTrainer
from bptorch.nn.utils import check_data_batch_size, serialize_kwargs

__all__ = ['BPTT', 'BPFF']

Tensor = torch.Tensor


class BPTT(RNNTrainer):
    """Back-propagation through time for recurrent models.

    Parameters
    ----------
    target : Node
        The model (initialized).
    loss : str or callable
        ``loss(outputs, targets) -> scalar``, or the name of a function of
        ``bp.losses`` (``'mean_squared_error'``, ``'cross_entropy_loss'``, ...).
        With several output nodes the losses of each are summed.
    optimizer : bp.optimizers.Optimizer, optional
        Default ``Adam(lr=ExponentialDecay(lr=0.025, decay_steps=1, decay_rate=0.99975))``.
        The model's TrainVars are registered with it.
    max_grad_norm : float, optional
        Clip the gradients to this global norm.
    shuffle_data : bool
        Shuffle ``(X, Y)`` training data before each epoch (with ``bm.random``).
    jit : bool or dict
        Compile the model's step (``{'fit', 'predict', 'loss'}`` per phase).
    **kwargs
        The other arguments of :class:`RNNRunner`.

    Examples
    --------
    >>> import torch, bptorch as bp
    >>> model = bp.nn.Input(1) >> bp.nn.VanillaRNN(4) >> bp.nn.Dense(1)
    >>> model.initialize(2)
    >>> trainer = bp.nn.BPTT(model, loss='mean_squared_error', optimizer=bp.optim.SGD(lr=0.01),
    ...                      jit=False, progress_bar=False)
    >>> trainer.fit([torch.randn(4, 5, 1), torch.randn(4, 5, 1)], num_batch=2, num_train=1)
    >>> trainer.train_losses.shape
    torch.Size([2])

    Notes
    -----
    A ``RecurrentNode`` with ``state_trainable=True`` starts each batch from its
    ``train_state``; here that start is part of the differentiated computation,
    so ``train_state`` is trained (in BrainPy 2.1.12 the state was set before the
    gradient was taken, and ``train_state`` got no gradient).
    """

    def __init__(self, target: Node, loss: Union[str, Callable],
                 optimizer: Optional[optim.Optimizer] = None,
                 max_grad_norm: Optional[float] = None, shuffle_data: bool = True,
                 jit: Union[bool, Dict[str, bool]] = True, **kwargs):
        super().__init__(target=target, **kwargs)
        self.jit = jit_settings(jit, ('fit', 'predict', 'loss'))
        if optimizer is None:
            lr = optim.ExponentialDecay(lr=0.025, decay_steps=1, decay_rate=0.99975)
            optimizer = optim.Adam(lr=lr)
        if not isinstance(optimizer, optim.Optimizer):
            raise ValueError(f'"optimizer" must be a brainpy.optimizers.Optimizer, got '
                             f'{type(optimizer).__name__}')
        self.optimizer = optimizer
        if isinstance(loss, str):
            if not hasattr(losses, loss) or not callable(getattr(losses, loss)):
                raise UnsupportedError(f'Unknown loss {loss!r}: expected the name of a function of '
                                       f'brainpy.losses')
            loss = getattr(losses, loss)
        elif not callable(loss):
            raise UnsupportedError(f'Do not support {type(loss).__name__} to specify the loss '
                                   f'function. We only support str and callable function.')
        self.loss_fun = loss
        check_float(max_grad_norm, 'max_grad_norm', min_bound=0., allow_none=True)
        self.max_grad_norm = max_grad_norm
        if not isinstance(shuffle_data, bool):
            raise ValueError(f'shuffle_data must be a bool, got {shuffle_data!r}')
        self.shuffle_data = shuffle_data
        self._train_losses = None
        self._test_losses = None
        self._mapping_type = None
        self._f_loss = {}
        self._f_train = {}
        self._f_grad = {}
        if not self.target.is_initialized:
            raise ValueError('Please initialize the target model first by calling "initialize()" '
                             'function.')
        self.optimizer.register_vars(self.target.vars().subset(TrainVar).unique())

    def __repr__(self) -> str:
        name = type(self).__name__
        prefix = ' ' * len(name)
        return (f'{name}(target={self.target}, \n\t{prefix}jit={self.jit}, \n\t'
                f'{prefix}loss={self.loss_fun}, \n\t{prefix}optimizer={self.optimizer})')

    # -- prediction -------------------------------------------------------------------
    def predict(self, xs: Union[Tensor, Dict[str, Tensor]],
                forced_states: Optional[Dict[str, Tensor]] = None,
                forced_feedbacks: Optional[Dict[str, Tensor]] = None,
                initial_states: Union[Tensor, Dict[str, Tensor], None] = None,
                initial_feedbacks: Optional[Dict[str, Tensor]] = None, reset: bool = True,
                shared_kwargs: Optional[Dict] = None, **kwargs):
        """:meth:`RNNRunner.predict`, resetting the states by default (``reset=True``).

        Also takes ``progress_bar`` and ``reset_state`` (BrainPy 2.2's name of ``reset``).
        """
        unknown = set(kwargs) - {'progress_bar', 'reset_state'}
        if unknown:
            raise TypeError(f'predict() got unexpected keyword arguments {sorted(unknown)}')
        return super().predict(xs=xs, forced_states=forced_states,
                               forced_feedbacks=forced_feedbacks, initial_states=initial_states,
                               initial_feedbacks=initial_feedbacks, reset=reset,
                               shared_kwargs=shared_kwargs,
                               progress_bar=kwargs.get('progress_bar', True),
                               reset_state=kwargs.get('reset_state'))

    # -- training -----------------------------------------------------------------------
    def fit(self, train_data: Union[Callable, Sequence],
            test_data: Union[Callable, Sequence, None] = None,
            num_batch: int = 32, num_train: int = 100, num_report: int = 100, reset: bool = True,
            shared_kwargs: Optional[Dict] = None,
            forced_states: Optional[Dict[str, Tensor]] = None,
            forced_feedbacks: Optional[Dict[str, Tensor]] = None,
            initial_states: Union[Tensor, Dict[str, Tensor], None] = None,
            initial_feedbacks: Optional[Dict[str, Tensor]] = None,
            reset_state: Optional[bool] = None) -> None:
        """Train for ``num_train`` epochs.

        Parameters
        ----------
        train_data : (X, Y) or callable
            ``X``: ``(num_sample, num_time, num_feature)`` (a dict by input node
            for several); ``Y``: targets of the output nodes, ``(num_sample,
            num_time, num_feature)`` (the whole series) or ``(num_sample,
            num_feature)`` (compared with the last output). Or a function that
            returns an iterable of ``(x, y)`` batches (called once per epoch).
        test_data : (X, Y) or callable, optional
            Evaluated after each epoch (``test_losses``).
        num_batch : int
            The batch size for ``(X, Y)`` data (default 32).
        num_train : int
            The number of epochs (default 100).
        num_report : int
            Print the loss every ``num_report`` training steps (default 100).
        reset : bool
            Re-initialize the model for each batch (default True).
        shared_kwargs : dict, optional
            Keywords for every node's ``forward``.
        forced_states, forced_feedbacks, initial_states, initial_feedbacks
            As for :meth:`RNNRunner.predict`, for every batch.
        reset_state : bool, optional
            BrainPy 2.2's name of ``reset`` (used when given).
        """
        reset = resolve_reset(reset, reset_state)
        check_integer(num_batch, 'num_batch', min_bound=1)
        check_integer(num_train, 'num_train', min_bound=0)
        check_integer(num_report, 'num_report', min_bound=1)
        all_train_losses, all_test_losses = [], []
        train_i = 0
        t0 = time.time()
        for _ in range(num_train):
            for x, y in self._get_train_data(train_data, num_batch):
                batch_size = check_data_batch_size(x)
                if reset:
                    self.target.initialize(batch_size)
                self._set_initial_states(initial_states)
                self._set_initial_feedbacks(initial_feedbacks)
                loss = self.f_train(shared_kwargs)(x, y, forced_states=forced_states,
                                                   forced_feedbacks=forced_feedbacks)
                all_train_losses.append(loss)
                train_i += 1
                if train_i % num_report == 0:
                    t1 = time.time()
                    print(f'Train {train_i} steps, use {t1 - t0:.4f} s, train loss '
                          f'{round(float(loss), 5)}')
                    t0 = t1
            test_batches = self._get_test_data(test_data, num_batch)
            if test_batches is not None:
                for x, y in test_batches:
                    batch_size = check_data_batch_size(x)
                    if reset:
                        self.target.initialize(batch_size)
                    with torch.no_grad():
                        loss = self.f_loss(shared_kwargs)(x, y, forced_states=forced_states,
                                                          forced_feedbacks=forced_feedbacks)
                    all_test_losses.append(loss.detach())
        self._train_losses = _stack_losses(all_train_losses)
        self._test_losses = _stack_losses(all_test_losses)

    def f_grad(self, shared_kwargs: Optional[Dict] = None) -> Callable:
        """The gradient function ``(inputs, targets, ...) -> (grads, loss)``."""
        key = serialize_kwargs(shared_kwargs)
        if key not in self._f_grad:
            self._f_grad[key] = self._make_f_grad(shared_kwargs)
        return self._f_grad[key]

    def f_loss(self, shared_kwargs: Optional[Dict] = None) -> Callable:
        """The loss function ``(inputs, targets, forced_states=None, forced_feedbacks=None)``
        (its steps compiled with ``jit['loss']``)."""
        key = serialize_kwargs(shared_kwargs)
        if key not in self._f_loss:
            self._f_loss[key] = self._make_f_loss(shared_kwargs, jit=self.jit['loss'])
        return self._f_loss[key]

    def f_train(self, shared_kwargs: Optional[Dict] = None) -> Callable:
        """The training step ``(inputs, targets, ...) -> loss``: gradients, clipping, update."""
        key = serialize_kwargs(shared_kwargs)
        if key not in self._f_train:
            self._f_train[key] = self._make_f_train(shared_kwargs)
        return self._f_train[key]

    @property
    def train_losses(self) -> Optional[Tensor]:
        """The loss of every training step of the last :meth:`fit`."""
        return self._train_losses

    @property
    def test_losses(self) -> Optional[Tensor]:
        """The loss of every test batch of the last :meth:`fit`."""
        return self._test_losses

    @property
    def mapping_type(self):
        """Mapping type for the output and the target."""
        return self._mapping_type

    def _loss_of(self, outputs: Dict, targets: Dict) -> Tensor:
        total = 0.
        for key, output in outputs.items():
            target = as_tensor(targets[key], device=output.device)
            if target.ndim == output.ndim - 1 and output.ndim >= 3:
                output = output[:, -1]
            total = total + self.loss_fun(output, target)
        return total

    def _restart_trainable_states(self) -> None:
        """Fill the states of ``state_trainable`` nodes from ``train_state`` again, inside the
        differentiated computation (only right after an ``initialize``)."""
        nodes = self.target.lnodes if isinstance(self.target, Network) else [self.target]
        for node in nodes:
            if isinstance(node, RecurrentNode) and node.state_trainable \
                    and getattr(node, '_fresh_train_state', False):
                node._fill_from_train_state()
                node._fresh_train_state = False

    def _make_f_loss(self, shared_kwargs: Optional[Dict] = None, jit: Optional[bool] = None):
        shared_kwargs = {} if shared_kwargs is None else shared_kwargs
        if not isinstance(shared_kwargs, dict):
            raise ValueError(f'Only supports dict for "shared_kwargs". But got '
                             f'{type(shared_kwargs).__name__}: {shared_kwargs}')

        def loss_fun(inputs, targets, forced_states=None, forced_feedbacks=None):
            inputs = self._format_xs(inputs)
            targets = self._format_ys(targets)
            num_batch, num_step = list(inputs.values())[0].shape[:2]
            forced_states = self._check_forced_states(forced_states, num_batch, num_step)
            forced_feedbacks = self._check_forced_feedbacks(forced_feedbacks, num_batch, num_step)
            self._restart_trainable_states()
            inputs = {k: v.movedim(0, 1) for k, v in inputs.items()}
            outputs, _ = self._predict(xs=inputs, shared_kwargs=shared_kwargs,
                                       forced_states=forced_states,
                                       forced_feedbacks=forced_feedbacks, jit=jit)
            return self._loss_of(self._format_ys(outputs), targets)

        return loss_fun

    def _make_f_grad(self, shared_kwargs: Optional[Dict] = None):
        loss_fun = self._make_f_loss(shared_kwargs, jit=self.jit['fit'])
        return autograd.grad(loss_fun, grad_vars=self.optimizer.vars_to_train,
                             return_value=True)

    def _make_f_train(self, shared_kwargs: Optional[Dict] = None):
        if shared_kwargs is not None and not isinstance(shared_kwargs, dict):
            raise ValueError(f'Only supports dict for "shared_kwargs". But got '
                             f'{type(shared_kwargs).__name__}: {shared_kwargs}')

        def train_func(inputs, targets, forced_states=None, forced_feedbacks=None):
            inputs = self._format_xs(inputs)
            targets = self._format_ys(targets)
            grads, loss = self.f_grad(shared_kwargs)(inputs, targets,
                                                     forced_states=forced_states,
                                                     forced_feedbacks=forced_feedbacks)
            if self.max_grad_norm is not None:
                grads = clip_by_norm(grads, self.max_grad_norm)
            self.optimizer.update(grads)
            return loss.detach()

        return train_func

    # -- data ---------------------------------------------------------------------------
    def _format_ys(self, ys: Any) -> dict:
        exit_nodes = self.target.exit_nodes if isinstance(self.target, Network) else [self.target]
        if is_tensor(ys):
            if len(exit_nodes) != 1:
                raise ValueError(f'The network {self.target} has {len(exit_nodes)} output nodes, '
                                 f'while we only got one output data.')
            ys = {exit_nodes[0].name: ys}
        elif isinstance(ys, dict):
            for node in exit_nodes:
                if node.name not in ys:
                    raise ValueError(f'The network has output node {node.name}, however, we did '
                                     f'not get the corresponding output targets.')
        check_dict_data(ys, key_type=str, val_type=object, name='ys')
        out = {}
        for key, val in ys.items():
            if not is_tensor(val):
                raise ValueError(f'"ys" must be a dict of (str, tensor), got '
                                 f'({type(key).__name__}, {type(val).__name__})')
            out[key] = as_tensor(val)
        return out

    def _get_train_data(self, train_data, num_batch):
        if callable(train_data):
            return self._get_data_by_method1(train_data, num_batch)
        if isinstance(train_data, (tuple, list)):
            if len(train_data) != 2:
                raise ValueError(f'Must be (X, Y) pair, but got a sequence with length '
                                 f'{len(train_data)}')
            return self._get_data_by_method2(train_data, num_batch=num_batch,
                                             shuffle=self.shuffle_data)
        raise ValueError(f'Train data does not support {type(train_data).__name__}. ')

    def _get_test_data(self, test_data, num_batch):
        if test_data is None:
            return None
        if callable(test_data):
            return self._get_data_by_method1(test_data, num_batch)
        if isinstance(test_data, (tuple, list)):
            if len(test_data) != 2:
                raise ValueError(f'Must be (X, Y) pair, but got a sequence with length '
                                 f'{len(test_data)}')
            return self._get_data_by_method2(test_data, num_batch=num_batch, shuffle=False)
        raise ValueError(f'Test data does not support {type(test_data).__name__}. ')

    def _get_data_by_method1(self, dataset, num_batch):
        for xs, ys in dataset():
            yield self._format_xs(xs), self._format_ys(ys)

    def _shuffle(self, xs: dict, ys: dict):
        num_sample = check_data_batch_size(xs)
        index = bm_random.DEFAULT.permutation(num_sample)
        xs = {k: v[index.to(v.device)] for k, v in xs.items()}
        ys = {k: v[index.to(v.device)] for k, v in ys.items()}
        return xs, ys

    def _get_data_by_method2(self, dataset, num_batch, shuffle=False):
        xs, ys = dataset
        xs = self._format_xs(xs)
        num_sample = self._get_xs_info(xs)
        ys = self._format_ys(ys)
        for key, val in ys.items():
            if val.shape[0] != num_sample:
                raise ValueError(f'The targets of {key!r} have {val.shape[0]} samples, but the '
                                 f'inputs have {num_sample}')
        if shuffle:
            xs, ys = self._shuffle(xs, ys)
        for start in range(0, num_sample, num_batch):
            yield ({k: v[start:start + num_batch] for k, v in xs.items()},
                   {k: v[start:start + num_batch] for k, v in ys.items()})

    def _get_xs_info(self, xs: dict, time_axis: bool = True) -> int:
        input_shapes = self._input_shapes()
        sizes = []
        for key, val in xs.items():
            if key not in input_shapes:
                raise ValueError(f'Cannot find {key} in the required inputs '
                                 f'{list(input_shapes)}. Please check!')
            shape = input_shapes[key]
            if val.ndim != len(shape) + int(time_axis):
                lead = '(num_sample, num_time, ' if time_axis else '(num_sample, '
                raise ValueError(f'Each tensor in "xs" must be a tensor of shape {lead}'
                                 f'{str(tuple(shape[1:]))[1:-1]}). But we got '
                                 f'{tuple(val.shape)}.')
            sizes.append(val.shape[0])
        if len(set(sizes)) != 1:
            raise ValueError(f'Number of batch size is different across tensors in the provided '
                             f'"xs". We got {set(sizes)}.')
        return sizes[0]


def _stack_losses(values: list) -> Tensor:
    if not values:
        return torch.zeros(0)
    return torch.stack([torch.as_tensor(v).detach().reshape(()) for v in values])


class BPFF(BPTT):
    """Back-propagation for feedforward models on ``(num_sample, num_feature)`` data.

    Takes the arguments of :class:`BPTT`; the data have no time axis, and the
    model is called once per batch.

    Examples
    --------
    >>> import torch, bptorch as bp, bptorch.math as bm
    >>> bm.random.seed(0)
    >>> readout = bp.nn.Dense(1, input_shape=2)
    >>> readout.initialize()
    >>> x = torch.randn(64, 2); y = x @ torch.tensor([[1.], [-1.]])
    >>> trainer = bp.nn.BPFF(readout, loss=bp.losses.mean_squared_error,
    ...                      optimizer=bp.optim.SGD(lr=0.1), jit=False, progress_bar=False)
    >>> trainer.fit([x, y], num_batch=16, num_train=30, num_report=10000)
    >>> bool(trainer.train_losses[-1] < 1e-3)
    True
    """

    def __init__(self, target: Node, **kwargs):
        super().__init__(target=target, **kwargs)
        self._compiled = {}

    def predict(self, xs: Union[Tensor, Dict[str, Tensor]],
                initial_states: Union[Tensor, Dict[str, Tensor], None] = None,
                initial_feedbacks: Optional[Dict[str, Tensor]] = None, reset: bool = True,
                shared_kwargs: Optional[Dict] = None,
                forced_states: Optional[Dict[str, Tensor]] = None,
                forced_feedbacks: Optional[Dict[str, Tensor]] = None, **kwargs):
        """The model's output for ``xs`` of shape ``(num_sample, num_feature)``.

        Parameters
        ----------
        xs : tensor or dict
            ``(num_sample, *feature_shape)``.
        initial_states, initial_feedbacks : optional
            Set before the call.
        reset : bool
            Re-initialize the states for the batch size first (default True).
        shared_kwargs : dict, optional
            Keywords for every node's ``forward``.
        forced_states, forced_feedbacks : dict, optional
            ``{node name: (num_sample, ...)}``.

        Returns
        -------
        tensor or dict
            The output (by exit node name for several).
        """
        unknown = set(kwargs) - {'progress_bar', 'reset_state'}
        if unknown:
            raise TypeError(f'predict() got unexpected keyword arguments {sorted(unknown)}')
        xs = self._format_xs(xs)
        num_batch = self._get_xs_info(xs, time_axis=False)
        if resolve_reset(reset, kwargs.get('reset_state')):
            self.target.initialize(num_batch)
        self._set_initial_states(initial_states)
        self._set_initial_feedbacks(initial_feedbacks)
        forced_states = self._check_forced_states(forced_states, num_batch)
        forced_feedbacks = self._check_forced_feedbacks(forced_feedbacks, num_batch)
        for key in self.mon.item_contents.keys():
            self.mon.item_contents[key] = []
        with inference():
            outputs, hists = self._predict(xs=xs, forced_states=forced_states,
                                           forced_feedbacks=forced_feedbacks,
                                           shared_kwargs=shared_kwargs)
        for key in self.mon.item_names:
            self.mon.item_contents[key] = hists[key]
        if self.numpy_mon_after_run:
            self.mon.numpy()
        return outputs

    def _check_forced_states(self, forced_states, num_batch, num_step=None):
        names = [] if not isinstance(self.target, Network) else \
            [n.name for n in self.target.lnodes if n.state is not None]
        return self._check_forced(forced_states, num_batch, None, 'forced_states', names,
                                  'state', time_axis=False)

    def _check_forced_feedbacks(self, forced_feedbacks, num_batch, num_step=None):
        names = [] if not isinstance(self.target, Network) else \
            [n.name for n in self.target.feedback_nodes]
        return self._check_forced(forced_feedbacks, num_batch, None, 'forced_feedbacks', names,
                                  'fb_output', time_axis=False)

    def _predict(self, xs: Dict[str, Tensor], shared_kwargs: Optional[Dict] = None,
                 forced_states: Optional[Dict[str, Tensor]] = None,
                 forced_feedbacks: Optional[Dict[str, Tensor]] = None, jit: Optional[bool] = None):
        jit = self.jit['predict'] if jit is None else jit
        run = self._get_predict_func(shared_kwargs)
        if jit:
            if run not in self._compiled:
                self._compiled[run] = bm_jit_fn(run)
            run = self._compiled[run]
        return run(xs, {} if forced_states is None else forced_states,
                   {} if forced_feedbacks is None else forced_feedbacks)

    def _make_f_loss(self, shared_kwargs: Optional[Dict] = None, jit: Optional[bool] = None):
        shared_kwargs = {} if shared_kwargs is None else shared_kwargs
        if not isinstance(shared_kwargs, dict):
            raise ValueError(f'Only supports dict for "shared_kwargs". But got '
                             f'{type(shared_kwargs).__name__}: {shared_kwargs}')

        def loss_fun(inputs, targets, forced_states=None, forced_feedbacks=None):
            inputs = self._format_xs(inputs)
            targets = self._format_ys(targets)
            num_batch = list(inputs.values())[0].shape[0]
            forced_states = self._check_forced_states(forced_states, num_batch)
            forced_feedbacks = self._check_forced_feedbacks(forced_feedbacks, num_batch)
            self._restart_trainable_states()
            outputs, _ = self._predict(xs=inputs, shared_kwargs=shared_kwargs,
                                       forced_states=forced_states,
                                       forced_feedbacks=forced_feedbacks, jit=jit)
            return self._loss_of(self._format_ys(outputs), targets)

        return loss_fun

    def _get_xs_info(self, xs: dict, time_axis: bool = False) -> int:
        return super()._get_xs_info(xs, time_axis=False)
