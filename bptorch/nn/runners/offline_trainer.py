"""Offline training (BrainPy 2.1.12's ``brainpy.nn.OfflineTrainer`` and ``RidgeTrainer``).

``fit([X, Y])`` runs the model over ``X`` once, collecting the inputs (and
feedbacks) of every trainable node, then solves each node's weights in one step
with the fitting method (ridge regression by default) against its targets ``Y``.

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
>>> trainer = bp.nn.RidgeTrainer(model, beta=1e-6, jit=False, progress_bar=False)
>>> trainer.fit([x, y])
>>> bool(bp.losses.mean_squared_error(trainer.predict(x, reset=True)[:, 50:], y[:, 50:]) < 1e-3)
True
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Sequence, Union

import torch

from bptorch.base.base import Base
from bptorch.errors import NoImplementationError
from bptorch.nn.algorithms.offline import OfflineAlgorithm, RidgeRegression, get
from bptorch.nn.base import Network, Node
from bptorch.nn.runners.rnn_runner import inference, make_progress_bar, resolve_reset
from bptorch.nn.runners.rnn_trainer import RNNTrainer
from bptorch.nn.utils import serialize_kwargs

__all__ = ['OfflineTrainer', 'RidgeTrainer']


def _method(fit_method: Any, default: Callable, getter: Callable) -> Callable:
    if fit_method is None:
        fit_method = default()
    elif isinstance(fit_method, str):
        fit_method = getter(fit_method)()
    elif isinstance(fit_method, dict):
        settings = dict(fit_method)
        if 'name' not in settings:
            raise ValueError(f'A dict "fit_method" must give the method\'s "name", got '
                             f'{fit_method}')
        fit_method = getter(settings.pop('name'))(**settings)
    if not callable(fit_method):
        raise ValueError(f'"train_method" must be an instance of callable function, but we got '
                         f'{type(fit_method).__name__}.')
    return fit_method


class _FitMethodTrainer(RNNTrainer):
    """What the offline and online trainers share: a ``fit_method`` (whose Variables, if
    it is a Base, the loops carry) and the compiled training functions by shape."""

    def _carry_fit_method(self) -> None:
        if isinstance(self.fit_method, Base):
            self.dyn_vars.update(self.fit_method.vars().unique())
        self._f_train = {}

    def __repr__(self) -> str:
        name = type(self).__name__
        prefix = ' ' * len(name)
        return (f'{name}(target={self.target}, \n\t{prefix}jit={self.jit}, \n\t'
                f'{prefix}fit_method={self.fit_method})')


class OfflineTrainer(_FitMethodTrainer):
    """Offline trainer for models with recurrent dynamics.

    Parameters
    ----------
    target : Node
        The model to train (initialized).
    fit_method : OfflineAlgorithm, callable, dict or str, optional
        The fitting method: an :class:`~bptorch.nn.algorithms.OfflineAlgorithm`,
        a name (``'ridge'``), a dict with the ``'name'`` and the settings
        (``{'name': 'ridge', 'beta': 1e-4}``), or a callable ``(targets, inputs,
        outputs=None) -> weights``. Default ``RidgeRegression(beta=1e-7)``.
    **kwargs
        The arguments of :class:`RNNRunner` (``jit``, ``monitors``, ...). The run
        that collects the data follows ``jit['predict']``; the solve is one call
        and always runs eagerly (``jit['fit']`` changes nothing).

    Examples
    --------
    >>> import torch, bptorch as bp
    >>> net = bp.nn.Input(2) >> bp.nn.Dense(1, name='d')
    >>> net.initialize(1)
    >>> x = torch.randn(1, 30, 2, dtype=torch.float64).float()
    >>> trainer = bp.nn.OfflineTrainer(net, fit_method='lstsq', jit=False, progress_bar=False)
    >>> trainer.fit([x, x @ torch.tensor([[1.], [2.]])])
    >>> torch.allclose(net['d'].Wff.value, torch.tensor([[1.], [2.]]), atol=1e-4)
    True
    """

    def __init__(self, target: Node,
                 fit_method: Union[OfflineAlgorithm, Callable, Dict, str, None] = None,
                 **kwargs):
        self.true_numpy_mon_after_run = kwargs.get('numpy_mon_after_run', True)
        kwargs['numpy_mon_after_run'] = False
        super().__init__(target=target, **kwargs)
        self.fit_method = _method(fit_method, lambda: RidgeRegression(beta=1e-7), get)
        self._check_interface()
        for node in self.train_nodes:
            node.offline_fit_by = self.fit_method
        self._carry_fit_method()
        self._added_items = self._add_monitor_items()

    def fit(self, train_data: Sequence, test_data: Any = None, reset: bool = False,
            shared_kwargs: Optional[Dict] = None,
            forced_states: Optional[Dict[str, torch.Tensor]] = None,
            forced_feedbacks: Optional[Dict[str, torch.Tensor]] = None,
            initial_states: Union[torch.Tensor, Dict[str, torch.Tensor], None] = None,
            initial_feedbacks: Optional[Dict[str, torch.Tensor]] = None,
            reset_state: Optional[bool] = None) -> None:
        """Fit the trainable nodes to the data.

        Parameters
        ----------
        train_data : (X, Y)
            ``X``: ``(num_sample, num_time, num_feature)`` (a dict by input node for
            several); ``Y``: the targets, ``(num_sample, num_time, num_feature)``,
            a dict by trainable node name for several.
        test_data : None
            Not supported by offline trainers (a ``ValueError`` otherwise).
        reset : bool
            Re-initialize the states before running.
        shared_kwargs : dict, optional
            Keywords for every node's ``forward`` and ``offline_fit``.
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
        self.predict(xs=xs, reset=resolve_reset(reset, reset_state), forced_states=forced_states,
                     forced_feedbacks=forced_feedbacks, initial_states=initial_states,
                     initial_feedbacks=initial_feedbacks, shared_kwargs=shared_kwargs)
        xs, num_step, num_batch = self._check_xs(xs, move_axis=False)
        added = set()
        entries = self.target.entry_nodes if isinstance(self.target, Network) else [self.target]
        for node in entries:
            if node in self.train_nodes:
                self.mon.item_contents[f'{node.name}.inputs'] = \
                    node.data_pass.filter({node.name: xs[node.name]})
                added.add(f'{node.name}.inputs')
        ys = self._check_ys(ys, num_batch=num_batch, num_step=num_step, move_axis=False)
        if self.progress_bar:
            self._pbar = make_progress_bar(len(self.train_nodes),
                                           f'Train {len(self.train_nodes)} nodes: ')
        try:
            monitor_data = {}
            for node in self.train_nodes:
                monitor_data[f'{node.name}.inputs'] = \
                    self.mon.item_contents.get(f'{node.name}.inputs', None)
                monitor_data[f'{node.name}.feedbacks'] = \
                    self.mon.item_contents.get(f'{node.name}.feedbacks', None)
            with inference():
                self.f_train(shared_kwargs)(monitor_data, ys)
        finally:
            self._close_bar()
        for key in self._added_items | added:
            self.mon.item_contents.pop(key, None)
        if self.true_numpy_mon_after_run:
            self.mon.numpy()

    def f_train(self, shared_kwargs: Optional[Dict] = None) -> Callable:
        """The training function ``(monitor_data, targets) -> None`` for ``shared_kwargs``."""
        key = serialize_kwargs(shared_kwargs)
        if key not in self._f_train:
            self._f_train[key] = self._make_fit_func(shared_kwargs)
        return self._f_train[key]

    def _make_fit_func(self, shared_kwargs: Optional[Dict]):
        shared_kwargs = {} if shared_kwargs is None else shared_kwargs

        def fit_node(node, ff, fb, targets):
            if fb is None:
                node.offline_fit(targets, ff, **shared_kwargs)
            else:
                node.offline_fit(targets, ff, fb, **shared_kwargs)

        def train_func(monitor_data: Dict, target_data: Dict) -> None:
            for node in self.train_nodes:
                fit_node(node, monitor_data[f'{node.name}.inputs'],
                         monitor_data.get(f'{node.name}.feedbacks', None), target_data[node.name])
                if self._pbar is not None:
                    self._pbar.update()
        return train_func

    def _add_monitor_items(self) -> set:
        added = set()
        if isinstance(self.target, Network):
            for node in self.train_nodes:
                if node not in self.target.entry_nodes:
                    key = f'{node.name}.inputs'
                    if key not in self.mon.item_names:
                        self.mon.item_names.append(key)
                        self.mon.item_contents[key] = []
                        added.add(key)
                if node in self.target.fb_senders:
                    key = f'{node.name}.feedbacks'
                    if key not in self.mon.item_names:
                        self.mon.item_names.append(key)
                        self.mon.item_contents[key] = []
                        added.add(key)
        return added

    def _check_interface(self) -> None:
        for node in self.train_nodes:
            if getattr(node.offline_fit, 'not_implemented', False):
                raise NoImplementationError(
                    f'The node \n\n{node}\n\nis set to be trainable with '
                    f'{type(self).__name__} method. However, it does not implement the required '
                    f'training interface "offline_fit()" function. ')


class RidgeTrainer(OfflineTrainer):
    """Offline training by ridge regression (Tikhonov regularization).

    Parameters
    ----------
    target : Node
        The model.
    beta : float
        The regularization coefficient (default 1e-7).
    **kwargs
        The arguments of :class:`RNNRunner`.

    Examples
    --------
    >>> import bptorch as bp
    >>> model = bp.nn.Input(2) >> bp.nn.Dense(1)
    >>> model.initialize(1)
    >>> bp.nn.RidgeTrainer(model, beta=1e-3, jit=False).fit_method
    RidgeRegression(beta=0.001)
    """

    def __init__(self, target: Node, beta: float = 1e-7, **kwargs):
        super().__init__(target=target, fit_method=dict(name='ridge', beta=beta), **kwargs)
