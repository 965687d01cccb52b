"""Running a node or network over time series (BrainPy 2.1.12's ``brainpy.nn.RNNRunner``).

Data are batch-first: inputs ``(num_batch, num_time, *feature_shape)``, and the
outputs and monitors come back in the same layout. The runner loops over time;
each step calls the model once (``model(x_t, forced_states=..., monitors=...)``).

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> model = bp.nn.Input(3) >> bp.nn.Reservoir(20, name='res') >> bp.nn.LinearReadout(2)
>>> model.initialize(num_batch=1)
>>> runner = bp.nn.RNNRunner(model, monitors=['res.state'], jit=False, progress_bar=False)
>>> runner.predict(bm.ones((1, 10, 3))).shape, runner.mon['res.state'].shape
(torch.Size([1, 10, 2]), (1, 10, 20))
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Any, Dict, Optional, Union

import numpy as np
import torch

import bptorch.math as bm
from bptorch.errors import MonitorError, RunningError, UnsupportedError
from bptorch.math.collectors import TensorCollector
from bptorch.math.variables import Variable, as_tensor
from bptorch.nn._checks import check_dict_data, is_tensor
from bptorch.nn.base import Network, Node
from bptorch.nn.runners import _loop
from bptorch.nn.runners._monitor import Monitor
from bptorch.nn.utils import serialize_kwargs

__all__ = ['RNNRunner']

Tensor = torch.Tensor


def make_progress_bar(total: int, description: str):
    """A ``tqdm.auto`` bar, or None (with a warning) if tqdm is not installed."""
    try:
        import tqdm.auto
    except ImportError:
        warnings.warn('progress_bar=True needs the package "tqdm"; running without a progress '
                      'bar', RuntimeWarning, stacklevel=3)
        return None
    bar = tqdm.auto.tqdm(total=total)
    bar.set_description(description, refresh=True)
    return bar


def inference():
    """``torch.no_grad()`` outside bptorch's and torch.func's transforms (running a model
    there is inference: no autograd graph is kept and the results are plain tensors, as
    ``bm.grad`` returns its results there); inside ``bm.grad`` & co. nothing changes, so
    the run is differentiable."""
    if bm.in_transform():
        return contextlib.nullcontext()
    return torch.no_grad()


def resolve_reset(reset: bool, reset_state: Optional[bool]) -> bool:
    """``reset``, or BrainPy 2.2's spelling ``reset_state`` when that is given."""
    value = reset if reset_state is None else reset_state
    if not isinstance(value, bool):
        raise ValueError(f'reset / reset_state must be a bool, got {value!r}')
    return value


def jit_settings(jit: Any, keys: tuple) -> dict:
    """``jit`` (a bool, or a dict by phase) as a dict with one bool per phase in ``keys``."""
    if isinstance(jit, bool):
        return {k: jit for k in keys}
    if isinstance(jit, dict):
        jit = dict(jit)
        out = {k: jit.pop(k, True) for k in keys}
        if jit:
            raise ValueError(f'Unknown jit setting for {list(jit.keys())}')
        for k, v in out.items():
            if not isinstance(v, bool):
                raise ValueError(f'jit[{k!r}] must be a bool, got {v!r}')
        return out
    raise ValueError(f'Unknown "jit" setting: {jit!r}')


class RNNRunner:
    """Run a model with recurrent dynamics over time.

    Parameters
    ----------
    target : Node
        The model (a node or a network), initialized.
    jit : bool or dict
        Compile the step (``bm.for_loop(..., jit=True)``, with ``torch.compile``); a
        dict sets it per phase (``{'predict': True, 'fit': False}``). The step is
        compiled once and the loop over time runs it, so compiling costs the same
        for any number of steps.
    monitors : list, tuple or dict, optional
        Items to record at each step, named ``'<node>.<item>'``: ``state``,
        ``output``, ``inputs``, ``feedbacks`` or an attribute of the node.
    fun_monitors : dict, optional
        Not supported by the ``bp.nn`` runners (a ``NotImplementedError`` unless empty).
    progress_bar : bool
        Show a ``tqdm`` progress bar.
    dyn_vars : dict or sequence of Variables, optional
        More Variables the model changes (accepted for BrainPy's signature; the
        Variables a step writes are always carried over).
    numpy_mon_after_run : bool
        Turn the records into NumPy arrays after each run (default True).

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> rnn = bp.nn.VanillaRNN(4, input_shape=2)
    >>> rnn.initialize(3)
    >>> runner = bp.nn.RNNRunner(rnn, jit=False, progress_bar=False)
    >>> runner.predict(bm.ones((3, 5, 2))).shape
    torch.Size([3, 5, 4])
    """

    def __init__(self, target: Node, jit: Union[bool, Dict[str, bool]] = True,
                 monitors: Any = None, fun_monitors: Optional[dict] = None,
                 progress_bar: bool = True, dyn_vars: Any = None,
                 numpy_mon_after_run: bool = True):
        if not isinstance(target, Node):
            raise TypeError(f'"target" must be an instance of brainpy.nn.Node, got '
                            f'{type(target).__name__}')
        self.target = target
        self.jit = jit_settings(jit, ('fit', 'predict'))
        if monitors is None:
            self.mon = Monitor(variables=[])
        elif isinstance(monitors, (list, tuple, dict)):
            self.mon = Monitor(variables=monitors)
        elif isinstance(monitors, Monitor):
            self.mon = monitors
        else:
            raise MonitorError(f'"monitors" only supports list/tuple/dict/ instance of Monitor, '
                               f'not {type(monitors).__name__}.')
        if fun_monitors:
            raise NotImplementedError('fun_monitors are not supported by the bp.nn runners; '
                                      'monitor a node attribute ("<node>.<attribute>") instead')
        self.fun_monitors = {}
        if not isinstance(progress_bar, bool):
            raise ValueError(f'progress_bar must be a bool, got {progress_bar!r}')
        self.progress_bar = progress_bar
        self._pbar = None
        if dyn_vars is None:
            dyn_vars = {}
        if isinstance(dyn_vars, Variable):
            dyn_vars = {'_v0': dyn_vars}
        if isinstance(dyn_vars, (list, tuple)):
            dyn_vars = {f'_v{i}': v for i, v in enumerate(dyn_vars)}
        if not isinstance(dyn_vars, dict):
            raise RunningError(f'"dyn_vars" must be a dict, but we got {type(dyn_vars).__name__}')
        self.dyn_vars = TensorCollector(dyn_vars)
        if not isinstance(numpy_mon_after_run, bool):
            raise ValueError(f'numpy_mon_after_run must be a bool, got {numpy_mon_after_run!r}')
        self.numpy_mon_after_run = numpy_mon_after_run
        self._predict_func = {}

    def __repr__(self) -> str:
        name = type(self).__name__
        prefix = ' ' * len(name)
        return f'{name}(target={self.target}, \n\t{prefix}jit={self.jit})'

    # -- running -------------------------------------------------------------------
    def predict(self, xs: Union[Tensor, Dict[str, Tensor]],
                forced_states: Optional[Dict[str, Tensor]] = None,
                forced_feedbacks: Optional[Dict[str, Tensor]] = None,
                initial_states: Union[Tensor, Dict[str, Tensor], None] = None,
                initial_feedbacks: Optional[Dict[str, Tensor]] = None, reset: bool = False,
                shared_kwargs: Optional[Dict] = None, progress_bar: bool = True,
                reset_state: Optional[bool] = None):
        """Run the model over the time series ``xs``; its outputs at every step.

        Parameters
        ----------
        xs : tensor or dict
            ``(num_batch, num_time, *feature_shape)`` (a dict by input node name for
            several input nodes).
        forced_states : dict, optional
            ``{node name: (num_batch, num_time, ...)}``: states assigned to those
            nodes after each step.
        forced_feedbacks : dict, optional
            ``{node name: (num_batch, num_time, ...)}``: feedbacks sent instead of
            those nodes' outputs.
        initial_states : tensor or dict, optional
            ``(num_batch, ...)`` states set before the run (by node name for a network).
        initial_feedbacks : dict, optional
            ``{node name: (num_batch, ...)}`` feedback outputs set before the run.
        reset : bool
            Re-initialize the model's states (for the batch size of ``xs``) first.
        shared_kwargs : dict, optional
            Keywords for every node's ``forward`` (e.g. ``{'train': False}``).
        progress_bar : bool
            Show the progress bar (if the runner has one).
        reset_state : bool, optional
            BrainPy 2.2's name of ``reset`` (used when given).

        Returns
        -------
        tensor or dict
            ``(num_batch, num_time, ...)``, by exit node name for several exit nodes.

        Notes
        -----
        Outside differentiating transforms the run keeps no autograd graph
        (``torch.no_grad``) and returns plain tensors; called inside ``bm.grad``
        it is differentiable.
        """
        xs, num_step, num_batch = self._check_xs(xs)
        if resolve_reset(reset, reset_state):
            self.target.initialize(num_batch)
        self._set_initial_states(initial_states)
        self._set_initial_feedbacks(initial_feedbacks)
        forced_states = self._check_forced_states(forced_states, num_batch, num_step)
        forced_feedbacks = self._check_forced_feedbacks(forced_feedbacks, num_batch, num_step)
        for key in self.mon.item_contents.keys():
            self.mon.item_contents[key] = []
        if self.progress_bar and progress_bar:
            self._pbar = make_progress_bar(num_step, f'Predict {num_step} steps: ')
        try:
            with inference():
                outputs, hists = self._predict(xs=xs, forced_states=forced_states,
                                               forced_feedbacks=forced_feedbacks,
                                               shared_kwargs=shared_kwargs)
        finally:
            self._close_bar()
        for key in self.mon.item_names:
            self.mon.item_contents[key] = hists[key]
        if self.numpy_mon_after_run:
            self.mon.numpy()
        return outputs

    def _close_bar(self) -> None:
        if self._pbar is not None:
            self._pbar.close()
        self._pbar = None

    def _predict(self, xs: Dict[str, Tensor], shared_kwargs: Optional[Dict] = None,
                 forced_states: Optional[Dict[str, Tensor]] = None,
                 forced_feedbacks: Optional[Dict[str, Tensor]] = None, jit: Optional[bool] = None):
        """Run over time-major inputs ``{name: (num_time, num_batch, ...)}``;
        ``(outputs, monitors)``, batch-major."""
        step = self._get_predict_func(shared_kwargs)
        jit = self.jit['predict'] if jit is None else jit
        forced_states = {} if forced_states is None else forced_states
        forced_feedbacks = {} if forced_feedbacks is None else forced_feedbacks
        outputs, hists = _loop.run(step, self._loop_vars(), [xs, forced_states, forced_feedbacks],
                                   jit=jit, bar=self._pbar)
        return _loop.tree_map(_batch_first, outputs), _loop.tree_map(_batch_first, hists)

    def _loop_vars(self) -> TensorCollector:
        dyn_vars = self.target.vars().unique()
        dyn_vars.update(self.dyn_vars)
        return dyn_vars

    def _get_predict_func(self, shared_kwargs: Optional[Dict] = None):
        shared_kwargs = {} if shared_kwargs is None else shared_kwargs
        if not isinstance(shared_kwargs, dict):
            raise ValueError(f'"shared_kwargs" must be a dict, but got '
                             f'{type(shared_kwargs).__name__}')
        key = serialize_kwargs(shared_kwargs)
        if key not in self._predict_func:
            self._predict_func[key] = self._make_predict_func(shared_kwargs)
        return self._predict_func[key]

    def _make_predict_func(self, shared_kwargs: Dict):
        """The step: ``(x_t, forced_states_t, forced_feedbacks_t) -> (output, monitors)``."""
        def step(xs, forced_states, forced_feedbacks):
            return self.target(xs, forced_states=forced_states, forced_feedbacks=forced_feedbacks,
                               monitors=tuple(self.mon.item_names), **shared_kwargs)
        return step

    # -- checks ---------------------------------------------------------------------
    def _set_initial_states(self, initial_states: Any) -> None:
        if initial_states is None:
            return
        if isinstance(self.target, Network):
            if not isinstance(initial_states, dict):
                raise ValueError(f'"initial_states" must be a dict when the target model is a '
                                 f'brainpy.nn.Network instance. But we got '
                                 f'{type(initial_states).__name__}')
            nodes = [node.name for node in self.target.lnodes]
            for key, tensor in initial_states.items():
                if not isinstance(key, str):
                    raise ValueError(f'"initial_states" must be a dict of (str, tensor). But got '
                                     f'a dict of ({type(key).__name__}, {type(tensor).__name__})')
                if key not in nodes:
                    raise ValueError(f'Node "{key}" is not defined in the target model. We only '
                                     f'detect: \n{self.target.lnodes}')
                if self.target[key].state is None:
                    raise ValueError(f'The target model {key} has no state. We cannot set its '
                                     f'initial state.')
                self.target[key].state.value = as_tensor(tensor)
        else:
            if self.target.state is None:
                raise ValueError(f'The target model {self.target.name} has no state. We cannot '
                                 f'set its initial state.')
            if not is_tensor(initial_states):
                raise ValueError(f'"initial_states" must be a tensor, but we got a '
                                 f'{type(initial_states).__name__}')
            self.target.state.value = as_tensor(initial_states)

    def _set_initial_feedbacks(self, initial_feedbacks: Any) -> None:
        if initial_feedbacks is None:
            return
        if not isinstance(self.target, Network):
            raise UnsupportedError('Do not support feedback in a single instance of '
                                   'brainpy.nn.Node.')
        if not isinstance(initial_feedbacks, dict):
            raise ValueError(f'"initial_feedbacks" must be a dict when the target model is a '
                             f'brainpy.nn.Network instance. But we got '
                             f'{type(initial_feedbacks).__name__}')
        nodes = [node.name for node in self.target.lnodes]
        for key, tensor in initial_feedbacks.items():
            if not isinstance(key, str):
                raise ValueError(f'"initial_feedbacks" must be a dict of (str, tensor). But got a '
                                 f'dict of ({type(key).__name__}, {type(tensor).__name__})')
            if key not in nodes:
                raise ValueError(f'Node "{key}" is not defined in the target model. We only '
                                 f'detect: \n{self.target.lnodes}')
            if self.target[key].fb_output is None:
                raise ValueError(f'The target model {key} has no feedback connections. We cannot '
                                 f'set its initial feedback output.')
            self.target[key].fb_output.value = as_tensor(tensor)

    def _check_forced(self, forced: Any, num_batch: int, num_step: Optional[int], what: str,
                      names: list, attr: str, time_axis: bool = True) -> dict:
        out = {}
        if forced is None:
            return out
        if not isinstance(self.target, Network):
            raise UnsupportedError(f'We do not support {what} for a single brainpy.nn.Node '
                                   f'instance')
        if not isinstance(forced, dict):
            raise ValueError(f'"{what}" must be a dict of (str, Tensor)')
        for key, tensor in forced.items():
            if not isinstance(key, str):
                raise ValueError(f'"{what}" must be a dict of (str, tensor). But got a dict of '
                                 f'({type(key).__name__}, {type(tensor).__name__})')
            if key not in names:
                raise ValueError(f'Node "{key}" cannot take {what} in the target model. We only '
                                 f'have: {names}')
            if not is_tensor(tensor):
                raise ValueError(f'"{what}" must a dict of (str, tensor), while we got '
                                 f'({type(key).__name__}, {type(tensor).__name__})')
            tensor = as_tensor(tensor)
            var = getattr(self.target[key], attr)
            lead = '(num_batch, num_time, ' if time_axis else '(num_batch, '
            if tensor.ndim != var.ndim + int(time_axis):
                raise ValueError(f'Must be a tensor with shape of {lead}'
                                 f'{str(tuple(var.shape))[1:-1]}), but we got '
                                 f'{tuple(tensor.shape)}')
            if tensor.shape[0] != num_batch:
                raise ValueError(f'The number of the batch size ({tensor.shape[0]}) of the {what} '
                                 f'of {key} does not match with the batch size in inputs '
                                 f'{num_batch}.')
            if time_axis and num_step is not None and tensor.shape[1] != num_step:
                raise ValueError(f'The number of the time step ({tensor.shape[1]}) of the {what} '
                                 f'of {key} does not match with the time step in inputs '
                                 f'{num_step}.')
            feature = tuple(tensor.shape[1 + int(time_axis):])
            if tuple(var.shape[1:]) != feature:
                raise UnsupportedError(f'The {what} of {key} has the shape of '
                                       f'{tuple(tensor.shape)}, which is not consistent with '
                                       f'its shape {tuple(var.shape)}.')
            out[key] = tensor.movedim(0, 1) if time_axis else tensor
        return out

    def _check_forced_states(self, forced_states, num_batch, num_step=None):
        names = [] if not isinstance(self.target, Network) else \
            [n.name for n in self.target.lnodes if n.state is not None]
        return self._check_forced(forced_states, num_batch, num_step, 'forced_states', names,
                                  'state')

    def _check_forced_feedbacks(self, forced_feedbacks, num_batch, num_step):
        names = [] if not isinstance(self.target, Network) else \
            [n.name for n in self.target.feedback_nodes]
        return self._check_forced(forced_feedbacks, num_batch, num_step, 'forced_feedbacks',
                                  names, 'fb_output')

    def _input_shapes(self) -> dict:
        if isinstance(self.target, Network):
            if not self.target._is_ff_initialized:
                raise ValueError('Please initialize the target model first by calling '
                                 '"initialize()" function.')
            return {node.name: tuple(node._feedforward_shapes.values())[0]
                    for node in self.target.entry_nodes}
        if self.target._feedforward_shapes is None:
            raise ValueError('Please initialize the target model first by calling "initialize()" '
                             'function.')
        return {self.target.name: tuple(self.target._feedforward_shapes.values())[0]}

    def _format_xs(self, xs: Any) -> dict:
        if is_tensor(xs):
            if isinstance(self.target, Network):
                if len(self.target.entry_nodes) != 1:
                    raise ValueError(f'The network {self.target} has '
                                     f'{len(self.target.entry_nodes)} input nodes, while we only '
                                     f'got one input data.')
                xs = {self.target.entry_nodes[0].name: xs}
            else:
                xs = {self.target.name: xs}
        if not isinstance(xs, dict):
            raise UnsupportedError(f'Unknown data type {type(xs).__name__}, we only support '
                                   f'tensor or dict with <str, tensor>')
        if len(xs) == 0:
            raise ValueError('We got no input data.')
        check_dict_data(xs, key_type=str, val_type=(Tensor, Variable, np.ndarray), name='xs')
        return {k: as_tensor(v) for k, v in xs.items()}

    def _check_xs(self, xs: Any, move_axis: bool = True):
        input_shapes = self._input_shapes()
        xs = self._format_xs(xs)
        num_times, num_batch_sizes = [], []
        for key, val in xs.items():
            if key not in input_shapes:
                raise ValueError(f'Cannot find {key} in the required inputs {list(input_shapes)}. '
                                 f'Please check!')
            shape = input_shapes[key]
            if val.ndim != len(shape) + 1:
                raise ValueError(f'Each tensor in "xs" must be a tensor of shape (num_sample, '
                                 f'num_time, {str(tuple(shape[1:]))[1:-1]}). But we got '
                                 f'{tuple(val.shape)}.')
            num_times.append(val.shape[1])
            num_batch_sizes.append(val.shape[0])
        if len(set(num_times)) != 1:
            raise ValueError(f'Number of time step is different across tensors in the provided '
                             f'"xs". We got {set(num_times)}.')
        if len(set(num_batch_sizes)) != 1:
            raise ValueError(f'Number of batch size is different across tensors in the provided '
                             f'"xs". We got {set(num_batch_sizes)}.')
        if move_axis:
            xs = {k: v.movedim(0, 1) for k, v in xs.items()}
        return xs, num_times[0], num_batch_sizes[0]


def _batch_first(x: Tensor) -> Tensor:
    return x.movedim(0, 1) if x.ndim >= 2 else x
