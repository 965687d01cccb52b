"""Online training (BrainPy 2.1.12's ``brainpy.nn.OnlineTrainer`` and ``ForceTrainer``).

``fit([X, Y])`` runs the model over ``X``; at every step each trainable node
updates its weights from its inputs, its output and the step's target (e.g. by
recursive least squares, FORCE learning).

Examples
--------
>>> import torch, bptorch as bp, bptorch.math as bm
>>> bm.random.seed(0)
>>> reservoir = bp.nn.Reservoir(30, ff_connectivity=1., rec_connectivity=0.2, spectral_radius=0.9,
...                             ff_initializer=bp.init.Uniform(-1., 1.), seed=0)
>>> model = bp.nn.Input(1) >> reservoir >> bp.nn.LinearReadout(1)
>>> model.initialize(1)
>>> t = torch.linspace(0, 20, 401)
>>> x, y = torch.sin(t[:-1]).reshape(1, -1, 1), torch.sin(t[1:]).reshape(1, -1, 1)
>>> trainer = bp.nn.ForceTrainer(model, alpha=1., jit=False, progress_bar=False)
>>> trainer.fit([x, y])
>>> bool(bp.losses.mean_squared_error(trainer.predict(x, reset=True)[:, 50:], y[:, 50:]) < 1e-2)
True
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Sequence, Union

import torch

from bptorch.errors import NoImplementationError
from bptorch.nn.algorithms.online import RLS, OnlineAlgorithm, get
from bptorch.nn.base import Node
from bptorch.nn.runners import _loop
from bptorch.nn.runners.offline_trainer import _FitMethodTrainer, _method
from bptorch.nn.runners.rnn_runner import (_batch_first, inference, make_progress_bar,
                                           resolve_reset)
from bptorch.nn.utils import serialize_kwargs

__all__ = ['OnlineTrainer', 'ForceTrainer']


class OnlineTrainer(_FitMethodTrainer):
    """Online trainer for models with recurrent dynamics.

    Parameters
    ----------
    target : Node
        The model to train (initialized).
    fit_method : OnlineAlgorithm, callable, dict or str, optional
        The method: an :class:`~bptorch.nn.algorithms.OnlineAlgorithm`, a name
        (``'rls'``, ``'force'``, ``'lms'``), or a dict with the ``'name'`` and the
        settings. Default ``RLS(alpha=1e-7)`` (BrainPy's default).
    **kwargs
        The arguments of :class:`RNNRunner`.

    Examples
    --------
    >>> import torch, bptorch as bp
    >>> net = bp.nn.Input(2) >> bp.nn.LinearReadout(1, name='online_ro')
    >>> net.initialize(1)
    >>> x = torch.randn(1, 200, 2)
    >>> trainer = bp.nn.OnlineTrainer(net, fit_method=dict(name='rls', alpha=100.), jit=False,
    ...                               progress_bar=False)
    >>> trainer.fit([x, x @ torch.tensor([[1.], [-1.]])])
    >>> torch.allclose(net['online_ro'].Wff.value, torch.tensor([[1.], [-1.]]), atol=1e-3)
    True
    """

    def __init__(self, target: Node,
                 fit_method: Union[OnlineAlgorithm, Callable, Dict, str, None] = None, **kwargs):
        super().__init__(target=target, **kwargs)
        self.fit_method = _method(fit_method, lambda: RLS(alpha=1e-7), get)
        self._check_interface()
        for node in self.train_nodes:
            node.online_fit_by = self.fit_method
        for node in self.train_nodes:
            node.online_init()
        self._carry_fit_method()

    def fit(self, train_data: Sequence, test_data: Any = None, reset: bool = False,
            shared_kwargs: Optional[Dict] = None,
            forced_states: Optional[Dict[str, torch.Tensor]] = None,
            forced_feedbacks: Optional[Dict[str, torch.Tensor]] = None,
            initial_states: Union[torch.Tensor, Dict[str, torch.Tensor], None] = None,
            initial_feedbacks: Optional[Dict[str, torch.Tensor]] = None,
            reset_state: Optional[bool] = None) -> None:
        """Train step by step along the time series.

        Parameters
        ----------
        train_data : (X, Y)
            ``X``: ``(num_sample, num_time, num_feature)``; ``Y``: the targets of the
            trainable nodes, ``(num_sample, num_time, num_feature)`` (a dict by
            node name for several).
        test_data : None
            Not supported (a ``ValueError`` otherwise).
        reset : bool
            Re-initialize the states first.
        shared_kwargs : dict, optional
            Keywords for every node's ``forward``.
        forced_states, forced_feedbacks, initial_states, initial_feedbacks
            As for :meth:`RNNRunner.predict`.
        reset_state : bool, optional
            BrainPy 2.2's name of ``reset`` (used when given).
        """
        if not isinstance(train_data, (list, tuple)):
            raise ValueError(f'{type(self).__name__} only support training data with the format '
                             f'of (X, Y) pair, but we got a {type(train_data).__name__}.')
        if len(train_data) != 2:
            raise ValueError(f'{type(self).__name__} only support training data with the format '
                             f'of (X, Y) pair, but we got a sequence with length '
                             f'{len(train_data)}')
        if test_data is not None:
            raise ValueError(f'{type(self).__name__} does not support testing data.')
        xs, ys = train_data
        xs, num_step, num_batch = self._check_xs(xs, move_axis=True)
        ys = self._check_ys(ys, num_batch=num_batch, num_step=num_step, move_axis=True)
        if resolve_reset(reset, reset_state):
            self.target.initialize(num_batch)
        self._set_initial_states(initial_states)
        self._set_initial_feedbacks(initial_feedbacks)
        forced_states = self._check_forced_states(forced_states, num_batch, num_step)
        forced_feedbacks = self._check_forced_feedbacks(forced_feedbacks, num_batch, num_step)
        for key in self.mon.item_contents.keys():
            self.mon.item_contents[key] = []
        if self.progress_bar:
            self._pbar = make_progress_bar(num_step, f'Train {num_step} steps: ')
        try:
            with inference():
                hists = self._fit(xs=xs, ys=ys, forced_states=forced_states,
                                  forced_feedbacks=forced_feedbacks, shared_kwargs=shared_kwargs)
        finally:
            self._close_bar()
        for key in self.mon.item_names:
            self.mon.item_contents[key] = hists[key]
        if self.numpy_mon_after_run:
            self.mon.numpy()

    def _fit(self, xs: Dict, ys: Dict, shared_kwargs: Optional[Dict] = None,
             forced_states: Optional[Dict] = None, forced_feedbacks: Optional[Dict] = None):
        step = self._get_fit_func(shared_kwargs)
        forced_states = {} if forced_states is None else forced_states
        forced_feedbacks = {} if forced_feedbacks is None else forced_feedbacks
        hists = _loop.run(step, self._loop_vars(), [xs, ys, forced_states, forced_feedbacks],
                          jit=self.jit['fit'], bar=self._pbar)
        return _loop.tree_map(_batch_first, hists)

    def _get_fit_func(self, shared_kwargs: Optional[Dict] = None):
        shared_kwargs = {} if shared_kwargs is None else shared_kwargs
        if not isinstance(shared_kwargs, dict):
            raise ValueError(f'"shared_kwargs" must be a dict, but got '
                             f'{type(shared_kwargs).__name__}')
        key = serialize_kwargs(shared_kwargs)
        if key not in self._f_train:
            self._f_train[key] = self._make_fit_func(shared_kwargs)
        return self._f_train[key]

    def _make_fit_func(self, shared_kwargs: Dict):
        add_monitors = self._add_monitor_items()

        def step(xs, ys, forced_states, forced_feedbacks):
            monitors = tuple(self.mon.item_names)
            _, outs = self.target(xs, forced_states=forced_states,
                                  forced_feedbacks=forced_feedbacks,
                                  monitors=monitors + add_monitors, **shared_kwargs)
            for node in self.train_nodes:
                node.online_fit(ys[node.name], outs[f'{node.name}.inputs'],
                                fb=outs[f'{node.name}.feedbacks'])
            for key in add_monitors:
                outs.pop(key)
            return outs

        return step

    def _add_monitor_items(self) -> tuple:
        added = []
        for node in self.train_nodes:
            for item in ('inputs', 'feedbacks'):
                key = f'{node.name}.{item}'
                if key not in self.mon.item_names:
                    added.append(key)
        return tuple(added)

    def _check_interface(self) -> None:
        for node in self.train_nodes:
            for method in ('online_fit', 'online_init'):
                if getattr(getattr(node, method), 'not_implemented', False):
                    raise NoImplementationError(
                        f'The node \n\n{node}\n\nis set to be trainable with '
                        f'{type(self).__name__} method. However, it does not implement the '
                        f'required training interface "{method}()" function. ')


class ForceTrainer(OnlineTrainer):
    """FORCE learning: online training by recursive least squares
    (:class:`~bptorch.nn.algorithms.RLS` with :math:`P_0 = \\alpha I`).

    Parameters
    ----------
    target : Node
        The model.
    alpha : float
        The initial inverse correlation (default 1.).
    **kwargs
        The arguments of :class:`RNNRunner`.

    Examples
    --------
    >>> import bptorch as bp
    >>> model = bp.nn.Input(2) >> bp.nn.LinearReadout(1)
    >>> model.initialize(1)
    >>> bp.nn.ForceTrainer(model, alpha=0.5, jit=False).fit_method
    RLS(alpha=0.5)
    """

    def __init__(self, target: Node, alpha: float = 1., **kwargs):
        super().__init__(target=target, fit_method=RLS(alpha=alpha), **kwargs)
