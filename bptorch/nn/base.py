"""The node classes of ``bp.nn`` (BrainPy 2.1.12's ``brainpy.nn.base``).

- :class:`Node`: one element of a network. It has feedforward inputs, optional
  feedback inputs, an optional ``state`` (a ``bm.Variable`` whose first axis is
  the batch) and an output. ``initialize(num_batch)`` creates its weights (once)
  and its state (each call); ``node(x)`` then computes one step.
- :class:`RecurrentNode`: a node with a self-connection; ``state_trainable=True``
  gives it a trainable initial state ``train_state``.
- :class:`Network`: nodes and the feedforward/feedback edges between them, built
  with ``>>``, ``<<``, ``&``, ``[...]`` and ``node[index]`` (see
  :mod:`bptorch.nn.operations`). A network runs its nodes in topological order;
  feedback is the sender's output of the previous step.

Nodes are ``bp.Base`` objects, hence ``torch.nn.Module`` s: a network's nodes are
its child modules, so ``parameters()``, ``state_dict()``, ``.to(device)`` and
``train()`` / ``eval()`` reach every node. Weights of trainable nodes are
``bm.TrainVar`` s; states are ``bm.Variable`` s; the fixed weights of untrainable
nodes (a reservoir's connections) are plain tensors that a node registers as
persistent buffers, so ``state_dict()`` holds everything that restores a model
(a plain ``bp.Base`` keeps plain tensors out of it).

Data are batch-first: a node's input has shape ``(num_batch, *feature_shape)``
and its shapes are written with ``None`` for the batch axis (``(None, 3)``).

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> i, r, o = bp.nn.Input(3), bp.nn.VanillaRNN(8), bp.nn.Dense(2)
>>> model = i >> r >> o
>>> model.initialize(num_batch=4)
>>> model(bm.ones((4, 3))).shape
torch.Size([4, 2])
>>> r.state.shape
torch.Size([4, 8])
"""

from __future__ import annotations

import copy as _copy
from typing import Any, Callable, Dict, Optional, Sequence, Tuple, Union

import torch

from bptorch.base.base import Base
from bptorch.errors import MathError, ModelBuildError, PackageMissingError, UnsupportedError
from bptorch.math import settings
from bptorch.math.collectors import Collector
from bptorch.math.variables import TrainVar, Variable, as_tensor
from bptorch.nn._checks import (check_dict_data, check_integer, check_shape_except_batch,
                                is_tensor, to_size)
from bptorch.nn.datatypes import DataType, MultipleData, SingleData
from bptorch.nn.graph_flow import (detect_cycle, detect_path, find_entries_and_exits,
                                   find_senders_and_receivers, topological_sort)

__all__ = ['Node', 'Network', 'RecurrentNode', 'FrozenNetwork', 'Sequential', 'NODE_STATES']

Tensor = torch.Tensor

#: what a monitor ``'<node>.<item>'`` can name besides the node's attributes
NODE_STATES = ('inputs', 'feedbacks', 'state', 'output')

SUPPORTED_LAYOUTS = ('shell_layout', 'multipartite_layout', 'spring_layout', 'spiral_layout',
                     'spectral_layout', 'random_layout', 'planar_layout', 'kamada_kawai_layout',
                     'circular_layout')


def not_implemented(fun: Callable) -> Callable:
    """Mark a method as a placeholder a subclass may implement (``init_fb_conn``, ...)."""
    fun.not_implemented = True
    return fun


def _name_of(key: Any) -> str:
    return key if isinstance(key, str) else key.name


def _ordered(items) -> tuple:
    """``items`` without repeats, in their first order (a deterministic set)."""
    return tuple(dict.fromkeys(items))


def _data(x: Any, what: str) -> Tensor:
    if not is_tensor(x):
        raise ValueError(f'{what} must be a tensor, got {type(x).__name__}')
    return as_tensor(x)


class Node(Base):
    """The base class of ``bp.nn`` nodes.

    A subclass implements ``init_ff_conn()`` (weights from ``feedforward_shapes``;
    it must call ``set_output_shape``), ``forward(ff, fb=None, **shared_kwargs)``
    and, if it has them, ``init_state(num_batch)`` (the initial state, returned),
    ``init_fb_conn()`` (feedback weights from ``feedback_shapes``) and
    ``offline_fit`` / ``online_init`` / ``online_fit`` (for the trainers).

    Parameters
    ----------
    name : str, optional
        The node's name (unique).
    input_shape : int or sequence of int, optional
        The feature shape of the input (without the batch axis), for a node used
        on its own (in a network, the senders give it).
    trainable : bool
        Whether the node's weights are ``bm.TrainVar`` s (trained by the trainers).

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> from bptorch.nn._checks import check_shape_consistency
    >>> class Scale(bp.nn.Node):
    ...     data_pass = bp.nn.MultipleData('sequence')
    ...     def init_ff_conn(self):
    ...         common, sizes = check_shape_consistency(self.feedforward_shapes, -1, True)
    ...         self.w = bm.TrainVar(bm.ones(sum(sizes)))
    ...         self.set_output_shape(common + (sum(sizes),))
    ...     def forward(self, ff, **shared_kwargs):
    ...         return bm.concatenate(ff, axis=-1) * self.w
    >>> node = Scale(input_shape=3)
    >>> node.initialize(2)
    >>> node(bm.ones((2, 3)))
    tensor([[1., 1., 1.],
            [1., 1., 1.]], grad_fn=<MulBackward0>)
    """

    data_pass: DataType = SingleData()

    def __init__(self, name: Optional[str] = None,
                 input_shape: Optional[Union[Sequence[int], int]] = None,
                 trainable: bool = True):
        super().__init__(name=name)
        if not isinstance(self.data_pass, DataType):
            raise ValueError(f'Unsupported data pass type {type(self.data_pass).__name__}. '
                             f'Only support instances of {DataType.__name__}')
        if not isinstance(trainable, bool):
            raise ValueError(f'trainable must be a bool, got {trainable!r}')
        self._feedforward_shapes = None
        self._output_shape = None
        self._feedback_shapes = None
        self._is_ff_initialized = False
        self._is_fb_initialized = False
        self._is_state_initialized = False
        self._is_fb_state_initialized = False
        self._trainable = trainable
        self._num_batch = None
        self._state = None
        self._fb_output = None
        if input_shape is not None:
            self._feedforward_shapes = {self.name: (None,) + to_size(input_shape)}

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(getattr(type(self), name, None), property):
            return super().__setattr__(name, value)   # (a property of the class takes it)
        # A plain tensor attribute of a node is a fixed weight (an untrainable node's
        # weights, a reservoir's connections): a persistent buffer, so that state_dict
        # restores the node's computation (a plain Base does not save plain tensors).
        d = self.__dict__
        if (type(value) is torch.Tensor and '_buffers' in d and name not in self._buffers
                and name not in self._parameters and name not in self._modules
                and not isinstance(d.get(name), Variable)):
            d.pop(name, None)
            self.register_buffer(name, value, persistent=True)
            return
        super().__setattr__(name, value)

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(name={self.name}, forwards={self.feedforward_shapes}, '
                f'feedbacks={self.feedback_shapes}, output={self.output_shape})')

    def __call__(self, *args, **kwargs):
        """One step: ``node(ff, fb=None, forced_states=None, forced_feedbacks=None,
        monitors=None, **shared_kwargs)``.

        ``ff`` is a tensor (or a dict from sender names to tensors); ``monitors``
        names ``'<node>.<item>'`` to return as ``(output, {name: value})``;
        ``shared_kwargs`` (e.g. ``train=False``) go to every node's ``forward``.
        """
        return self._call(*args, **kwargs)

    # -- graph operators -------------------------------------------------------
    def __rshift__(self, other):  # self >> other
        from bptorch.nn import operations
        return operations.ff_connect(self, other)

    def __rrshift__(self, other):  # other >> self
        from bptorch.nn import operations
        return operations.ff_connect(other, self)

    def __irshift__(self, other):
        raise ValueError('Only Network objects support inplace feedforward connection.')

    def __lshift__(self, other):  # self << other: other feeds back into self
        from bptorch.nn import operations
        return operations.fb_connect(other, self)

    def __rlshift__(self, other):  # other << self
        from bptorch.nn import operations
        return operations.fb_connect(self, other)

    def __ilshift__(self, other):
        raise ValueError('Only Network objects support inplace feedback connection.')

    def __and__(self, other):
        from bptorch.nn import operations
        return operations.merge(self, other)

    def __rand__(self, other):
        from bptorch.nn import operations
        return operations.merge(other, self)

    def __iand__(self, other):
        raise ValueError('Only Network objects support inplace merging.')

    def __getitem__(self, item):  # node[:10]
        if isinstance(item, str):
            raise ValueError('Node only supports slice, not retrieve by the name.')
        from bptorch.nn import operations
        return operations.select(self, item)

    # -- state -------------------------------------------------------------------
    @property
    def state(self) -> Optional[Variable]:
        """The node's state (a ``bm.Variable``, batch first), None if it has none."""
        return self._state if self._is_ff_initialized else None

    @state.setter
    def state(self, value):
        raise NotImplementedError('Please use "set_state()" to reset the node state, '
                                  'or use "self.state.value" to change the state content.')

    def _replace(self, attr: str, new: Tensor, what: str) -> None:
        """Give the Variable ``attr`` the value ``new``: assigned when the shape is the
        same; a new Variable of the same kind when the batch size changes."""
        var = getattr(self, attr)
        check_shape_except_batch(var.shape, new.shape)
        if var.dtype != new.dtype:
            raise MathError(f'Cannot set the {what}, because the dtype is not consistent: '
                            f'{var.dtype} != {new.dtype}')
        if tuple(var.shape) == tuple(new.shape):
            var.value = new
        else:
            setattr(self, attr, type(var)(new))

    def set_state(self, state: Any) -> None:
        """Set the state: create it (first call), assign it, or, for another batch
        size, replace it by a Variable of the new shape.

        Examples
        --------
        >>> import bptorch as bp, bptorch.math as bm
        >>> r = bp.nn.VanillaRNN(2, input_shape=1)
        >>> r.initialize(1)
        >>> r.set_state(bm.ones((3, 2)))
        >>> r.state.shape
        torch.Size([3, 2])
        """
        if not isinstance(state, Variable):
            state = _data(state, 'state')
        if self._state is None:
            if self.output_shape is not None:
                check_shape_except_batch(self.output_shape, state.shape)
            self._state = state if isinstance(state, Variable) else Variable(state)
        else:
            self._replace('_state', as_tensor(state), 'state')

    @property
    def fb_output(self) -> Optional[Variable]:
        """The output this node sends as feedback (a ``bm.Variable``), None if it sends none."""
        return self._fb_output

    @fb_output.setter
    def fb_output(self, value):
        raise NotImplementedError('Please use "set_fb_output()" to reset the node feedback '
                                  'state, or use "self.fb_output.value" to change the state '
                                  'content.')

    def set_fb_output(self, state: Any) -> None:
        """Set the feedback output (as :meth:`set_state` does the state)."""
        if not isinstance(state, Variable):
            state = _data(state, 'feedback output')
        if self._fb_output is None:
            if self.output_shape is not None:
                check_shape_except_batch(self.output_shape, state.shape)
            self._fb_output = state if isinstance(state, Variable) else Variable(state)
        else:
            self._replace('_fb_output', as_tensor(state), 'feedback state')

    # -- properties -------------------------------------------------------------
    @property
    def trainable(self) -> bool:
        """Whether the node is trained by the trainers."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool):
        if not isinstance(value, bool):
            raise ValueError(f'trainable must be a bool, got {value!r}')
        self._trainable = value

    @property
    def is_initialized(self) -> bool:
        if not (self._is_ff_initialized and self._is_state_initialized):
            return False
        if self.feedback_shapes is not None:
            return self._is_fb_initialized and self._is_fb_state_initialized
        return True

    @property
    def feedforward_shapes(self):
        """The input shapes, as ``data_pass`` passes them (one shape, or a tuple of them)."""
        return self.data_pass.filter(self._feedforward_shapes)

    @feedforward_shapes.setter
    def feedforward_shapes(self, size):
        self.set_feedforward_shapes(size)

    def set_feedforward_shapes(self, feedforward_shapes: Dict) -> None:
        if not self._is_ff_initialized:
            check_dict_data(feedforward_shapes, key_type=(Node, str), val_type=(list, tuple),
                            name='feedforward_shapes')
            self._feedforward_shapes = feedforward_shapes
        elif self._feedforward_shapes is not None:
            sizes1 = sorted(map(str, self._feedforward_shapes.values()))
            sizes2 = sorted(map(str, feedforward_shapes.values()))
            if sizes1 != sizes2:
                raise ValueError(f'Impossible to reset the input shapes of {self.name}. Because '
                                 f'this Node has the input shapes {sizes1}. While we got input '
                                 f'shapes of {sizes2}')
            self._feedforward_shapes = feedforward_shapes

    @property
    def feedback_shapes(self):
        """The feedback shapes, as ``data_pass`` passes them (None without feedback)."""
        return self.data_pass.filter(self._feedback_shapes)

    @feedback_shapes.setter
    def feedback_shapes(self, size):
        self.set_feedback_shapes(size)

    def set_feedback_shapes(self, fb_shapes: Dict) -> None:
        if not self._is_fb_initialized:
            check_dict_data(fb_shapes, key_type=(Node, str), val_type=(tuple, list),
                            name='fb_shapes')
            self._feedback_shapes = fb_shapes
        elif self._feedback_shapes is not None:
            sizes1 = sorted(map(str, self._feedback_shapes.values()))
            sizes2 = sorted(map(str, fb_shapes.values()))
            if sizes1 != sizes2:
                raise ValueError(f'Impossible to reset the feedback shapes of {self.name}. '
                                 f'Because this Node has the feedback shapes {sizes1}. While '
                                 f'we got feedback shapes of {sizes2}')
            self._feedback_shapes = fb_shapes

    @property
    def output_shape(self) -> Optional[Tuple]:
        """The output shape, ``(None, ...)``."""
        return self._output_shape

    @output_shape.setter
    def output_shape(self, size):
        self.set_output_shape(size)

    def set_output_shape(self, shape: Sequence[int]) -> None:
        if not self._is_ff_initialized:
            if not isinstance(shape, (tuple, list)):
                raise ValueError(f'Must be a sequence of int, but got {shape!r}')
            self._output_shape = tuple(shape)
        else:
            check_shape_except_batch(shape, self.output_shape)

    @property
    def is_feedback_input_supported(self) -> bool:
        """Whether the node accepts feedback (implements ``init_fb_conn``)."""
        return not getattr(self.init_fb_conn, 'not_implemented', False)

    @property
    def is_feedback_supported(self) -> bool:
        return self.fb_output is not None

    def nodes(self, method: str = 'absolute', level: int = 1, include_self: bool = True):
        return super().nodes(method=method, level=level, include_self=include_self)

    def vars(self, method: str = 'absolute', level: int = 1, include_self: bool = True):
        return super().vars(method=method, level=level, include_self=include_self)

    def train_vars(self, method: str = 'absolute', level: int = 1, include_self: bool = True):
        return super().train_vars(method=method, level=level, include_self=include_self)

    def copy(self, name: Optional[str] = None, shallow: bool = False) -> 'Node':
        """A copy of the node (deep unless ``shallow``), named ``name`` or ``'<name>_copy'``.

        Examples
        --------
        >>> import bptorch as bp
        >>> d = bp.nn.Dense(2, input_shape=3, name='d_orig')
        >>> d.copy().name
        'd_orig_copy'
        """
        new = _copy.copy(self) if shallow else _copy.deepcopy(self)
        new.name = new.unique_name(name or (self.name + '_copy'))
        return new

    # -- initialization ---------------------------------------------------------
    def _init_ff_conn(self) -> None:
        if not self._is_ff_initialized:
            self.init_ff_conn()
            if self.output_shape is None:
                raise ValueError(f'Please set the output shape when implementing '
                                 f'"init_ff_conn()" of the node {self.name}')
            self._is_ff_initialized = True

    def _init_fb_conn(self) -> None:
        if not self._is_fb_initialized:
            try:
                self.init_fb_conn()
            except Exception as e:
                raise ModelBuildError(f'{self.name} initialization failed.') from e
            self._is_fb_initialized = True

    @not_implemented
    def init_fb_conn(self) -> None:
        """Initialize the feedback connections (called once)."""
        raise ValueError(f'This node \n\n{self} \n\ndoes not support feedback connection.')

    def init_ff_conn(self) -> None:
        """Initialize the feedforward connections and set the output shape (called once)."""
        raise NotImplementedError('Please implement the feedforward initialization.')

    def _init_state(self, num_batch: int = 1) -> None:
        state = self.init_state(num_batch)
        if state is not None:
            self.set_state(state)
        self._num_batch = num_batch
        self._is_state_initialized = True

    def _init_fb_output(self, num_batch: int = 1) -> None:
        output = self.init_fb_output(num_batch)
        if output is not None:
            self.set_fb_output(output)
        self._is_fb_state_initialized = True

    def init_state(self, num_batch: int = 1) -> Optional[Tensor]:
        """The initial state for ``num_batch`` samples (None: no state). Called by every
        :meth:`initialize`."""
        return None

    def init_fb_output(self, num_batch: int = 1) -> Optional[Tensor]:
        """The initial feedback output: zeros of ``(num_batch,) + output_shape[1:]``."""
        return torch.zeros((num_batch,) + tuple(self.output_shape[1:]), dtype=settings.float_(),
                           device=settings.default_device())

    def initialize(self, num_batch: int = 1) -> None:
        """Create the weights (first call) and (re)set the state for ``num_batch`` samples.

        Examples
        --------
        >>> import bptorch as bp
        >>> l = bp.nn.Dense(num_unit=3, input_shape=4)
        >>> l.initialize(num_batch=1)
        >>> tuple(l.Wff.shape)
        (4, 3)
        """
        if self.feedforward_shapes is None:
            raise ValueError('Cannot initialize this node, because we detect both '
                             '"feedforward_shapes" is None. Two ways can solve this problem:\n\n'
                             '1. Connecting an instance of "brainpy.nn.Input()" to this node. \n'
                             '2. Providing the "input_shape" when initialize the node.')
        check_integer(num_batch, 'num_batch', min_bound=0)
        self._init_ff_conn()
        self._init_state(num_batch)
        if self.feedback_shapes is not None:
            self._init_fb_conn()
            self._init_fb_output(num_batch)

    def reset_state(self, num_batch: Optional[int] = None) -> None:
        """Set the states back to their initial values (BrainPy 2.2's name): ``initialize``
        with ``num_batch`` samples (default: the current batch size).

        Examples
        --------
        >>> import bptorch as bp, bptorch.math as bm
        >>> rnn = bp.nn.GRU(2, input_shape=1)
        >>> rnn.initialize(3)
        >>> _ = rnn(bm.ones((3, 1)))
        >>> rnn.reset_state()
        >>> rnn.state.value
        tensor([[0., 0.],
                [0., 0.],
                [0., 0.]])
        """
        if num_batch is None:
            num_batch = 1 if self._num_batch is None else self._num_batch
        self.initialize(num_batch)

    # -- calling ------------------------------------------------------------------
    def _format(self, data: Any, shapes: dict, what: str) -> dict:
        """``data`` (a tensor or a dict by sender name or node) as a dict keyed like ``shapes``,
        each value a tensor whose shape fits (batch axis aside)."""
        by_name = {_name_of(k): k for k in shapes}
        if is_tensor(data):
            if len(shapes) != 1:
                raise ValueError(f'{self.name} has {len(shapes)} {what} inputs '
                                 f'{list(by_name)}; give a dict from their names to tensors')
            data = {next(iter(by_name)): data}
        if not isinstance(data, dict):
            raise ValueError(f'"{what}" must be a dict or a tensor, got {type(data).__name__}')
        given = {_name_of(k): v for k, v in data.items()}
        unknown = [k for k in given if k not in by_name]
        if unknown:
            raise ValueError(f'{self.name} has no {what} input named {unknown}; it expects '
                             f'{list(by_name)}')
        out = {}
        for name, key in by_name.items():
            if name not in given:
                raise ValueError(f'The required key {name} is not provided in {what} inputs.')
            x = _data(given[name], f'the {what} input {name!r}')
            check_shape_except_batch(shapes[key], x.shape)
            if self.state is not None and self._num_batch is not None \
                    and x.shape[0] != self._num_batch:
                raise ValueError(f'The batch size of the input data {x.shape[0]} is not equal '
                                 f'to the batch size of the node state {self._num_batch}. Maybe '
                                 f'you need to reinitialize the data with the desired batch '
                                 f'size by ".initialize(num_batch)", or change the data '
                                 f'consistent with the data batch size {self._num_batch}.')
            out[key] = x
        return out

    def _check_inputs(self, ff: Any, fb: Any = None):
        ff = self._format(ff, self._feedforward_shapes, 'feedforward')
        if fb is not None:
            if self._feedback_shapes is None:
                raise ValueError(f'{self.name} has no feedback connection, but got feedback '
                                 f'inputs.')
            fb = self._format(fb, self._feedback_shapes, 'feedback')
        return self.data_pass.filter(ff), self.data_pass.filter(fb)

    def _monitor_keys(self, monitors: Any) -> tuple[dict, dict]:
        """Split monitor names into attribute monitors and state monitors (checked)."""
        attr_monitors, state_monitors = {}, {}
        for key in monitors:
            if not isinstance(key, str):
                raise ValueError(f'"monitors" must be a sequence of str, while we got '
                                 f'{type(key).__name__}')
            splits = key.split('.')
            if len(splits) != 2:
                raise ValueError(f'Every term in "monitors" must be (node.item), while we got '
                                 f'{key!r}')
            node = self._monitored_node(splits[0])
            if splits[1] in NODE_STATES:
                if splits[1] == 'state' and node.state is None:
                    raise ValueError(f'{node} \n\nhas no state, while the user try to monitor '
                                     f'its state.')
                state_monitors[key] = None
            else:
                if not hasattr(node, splits[1]):
                    raise UnsupportedError(f'Each node can monitor its states (including '
                                           f'{list(NODE_STATES)}), or its attribute. While '
                                           f'{splits[1]!r} is neither the state nor the '
                                           f'attribute of node {splits[0]}.')
                attr_monitors[key] = (node, splits[1])
        return attr_monitors, state_monitors

    def _monitored_node(self, name: str) -> 'Node':
        if name != self.name:
            raise ValueError(f'Cannot found the node {name}, this name of this node is '
                             f'{self.name}.')
        return self

    @staticmethod
    def _read_attributes(attr_monitors: dict) -> dict:
        out = {}
        for key, (node, attr) in attr_monitors.items():
            value = getattr(node, attr)
            out[key] = value.value if isinstance(value, Variable) else value
        return out

    def _call(self, ff, fb=None, forced_states: Optional[Dict[str, Tensor]] = None,
              forced_feedbacks: Optional[Dict[str, Tensor]] = None,
              monitors: Optional[Sequence[str]] = None, **kwargs):
        if not self.is_initialized:
            raise ValueError('Please initialize the Node first by calling "initialize()" '
                             'function.')
        if forced_states is None:
            forced_states = {}
        if is_tensor(forced_states):
            forced_states = {self.name: forced_states}
        check_dict_data(forced_states, key_type=str, val_type=(Tensor, Variable),
                        name='forced_states')
        for key in forced_states:
            if key != self.name:
                raise ValueError(f'"forced_states" of the node {self.name} can only name '
                                 f'itself, got {key!r}')
            if self.state is None:
                raise ValueError(f'{self.name} has no state to force.')
        if forced_feedbacks is not None and len(forced_feedbacks) != 0:
            raise ValueError('Single instance of brainpy.nn.Node do not support '
                             '"forced_feedbacks"')
        need_return_monitor = monitors is not None
        attr_monitors, state_monitors = self._monitor_keys(() if monitors is None else monitors)
        ff, fb = self._check_inputs(ff, fb=fb)
        if f'{self.name}.inputs' in state_monitors:
            state_monitors[f'{self.name}.inputs'] = ff
        if f'{self.name}.feedbacks' in state_monitors:
            state_monitors[f'{self.name}.feedbacks'] = fb
        output = self.forward(ff, fb, **kwargs) if fb is not None else self.forward(ff, **kwargs)
        if self.name in forced_states:
            self.state.value = as_tensor(forced_states[self.name])
        if f'{self.name}.output' in state_monitors:
            state_monitors[f'{self.name}.output'] = output
        if f'{self.name}.state' in state_monitors:
            state_monitors[f'{self.name}.state'] = self.state.value
        if need_return_monitor:
            mon = self._read_attributes(attr_monitors)
            mon.update(state_monitors)
            return output, mon
        return output

    def forward(self, ff, fb=None, **shared_kwargs):
        """One step: the output for feedforward inputs ``ff`` (and feedback ``fb``).

        ``ff`` / ``fb`` are what ``data_pass`` makes of the inputs (one tensor, or a
        tuple of tensors); ``shared_kwargs`` are the keywords given to the call
        (``train=...``).
        """
        raise NotImplementedError

    def feedback(self, ff_output, **shared_kwargs):
        """The feedback this node sends, from its output (the output itself by default)."""
        return ff_output

    @not_implemented
    def offline_fit(self, targets, ffs, fbs=None):
        """Offline training interface."""
        raise ValueError(f'This node \n\n{self} \n\ndoes not support offline training.')

    @not_implemented
    def online_init(self):
        """Online training initialization interface."""
        raise ValueError(f'This node \n\n{self} \n\ndoes not support online training.')

    @not_implemented
    def online_fit(self, target, ff, fb=None):
        """Online training fitting interface."""
        raise ValueError(f'This node \n\n{self} \n\ndoes not support online training.')


class RecurrentNode(Node):
    """A node with a self-connection (its output depends on its state).

    Parameters
    ----------
    name : str, optional
        The name of the node.
    input_shape : int or sequence of int, optional
        The feature shape of the input.
    trainable : bool
        Whether the node is trained. Default True.
    state_trainable : bool
        Whether the initial state is trained: a ``bm.TrainVar`` ``train_state``
        (no batch axis) fills every row of ``state`` at each :meth:`initialize`.

    Examples
    --------
    >>> import bptorch as bp
    >>> rnn = bp.nn.VanillaRNN(3, input_shape=(1,), state_trainable=True)
    >>> rnn.initialize(3)
    >>> rnn.train_state.shape, rnn.state.shape
    (torch.Size([3]), torch.Size([3, 3]))
    """

    def __init__(self, name: Optional[str] = None,
                 input_shape: Optional[Union[Sequence[int], int]] = None,
                 trainable: bool = True, state_trainable: bool = False):
        super().__init__(name=name, input_shape=input_shape, trainable=trainable)
        if not isinstance(state_trainable, bool):
            raise ValueError(f'state_trainable must be a bool, got {state_trainable!r}')
        self._state_trainable = state_trainable
        self._train_state = None

    @property
    def state_trainable(self) -> bool:
        """Whether the initial state is trained."""
        return self._state_trainable

    @property
    def train_state(self) -> Optional[TrainVar]:
        """The trainable initial state (one sample, no batch axis), or None."""
        return self._train_state

    def set_state(self, state: Any) -> None:
        """Set the state; with ``state_trainable``, every sample gets ``train_state``."""
        first = self._state is None
        super().set_state(state)
        if self.state_trainable:
            if first or self._train_state is None:
                self._train_state = TrainVar(self._state.value[0])
            self._fill_from_train_state()
            self._fresh_train_state = True   # BPTT makes this start differentiable (once)

    def _fill_from_train_state(self) -> None:
        """``state`` := ``train_state`` on every row (differentiable inside transforms)."""
        train = self._train_state.value
        self._state.value = train.unsqueeze(0).expand_as(self._state.value).to(self._state.dtype)


class Network(Node):
    """Nodes and the feedforward / feedback edges between them.

    Usually made by the graph operators (``a >> b``, ``a << b``, ``a & b``); a
    network is a node itself, so operators and trainers take it.

    Parameters
    ----------
    nodes : sequence of Node
        The nodes.
    ff_edges : sequence of (Node, Node)
        Feedforward edges ``(sender, receiver)``.
    fb_edges : sequence of (Node, Node)
        Feedback edges ``(sender, receiver)``.
    **kwargs
        ``name``, ``input_shape``, ``trainable`` as for :class:`Node`.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> i, r = bp.nn.Input(1, name='net_in'), bp.nn.Reservoir(5)
    >>> o = bp.nn.LinearReadout(1, name='net_out')
    >>> model = (i >> r >> o) & (r << o)
    >>> [n.name for n in model.entry_nodes], [n.name for n in model.exit_nodes]
    (['net_in'], ['net_out'])
    >>> model.initialize(2)
    >>> model(bm.ones((2, 1))).shape
    torch.Size([2, 1])
    """

    data_pass = MultipleData('sequence')

    def __init__(self, nodes: Optional[Sequence[Node]] = None,
                 ff_edges: Optional[Sequence[Tuple[Node, Node]]] = None,
                 fb_edges: Optional[Sequence[Tuple[Node, Node]]] = None, **kwargs):
        super().__init__(**kwargs)
        self._given_input_shape = self._feedforward_shapes
        self._nodes = _ordered(nodes or ())
        self._ff_edges = _ordered(ff_edges or ())
        self._fb_edges = _ordered(fb_edges or ())
        self._network_init()

    def _network_init(self) -> None:
        for node in self._nodes:
            if not isinstance(node, Node):
                raise TypeError(f'A Network holds brainpy.nn.Node objects, got '
                                f'{type(node).__name__}')
        self._entry_nodes, self._exit_nodes = find_entries_and_exits(self._nodes, self._ff_edges)
        self._ff_senders, self._ff_receivers = find_senders_and_receivers(self._ff_edges)
        self._fb_senders, self._fb_receivers = find_senders_and_receivers(self._fb_edges)
        self._order = tuple(topological_sort(self._nodes, self._ff_edges, self._entry_nodes))
        for key in [k for k, m in self._modules.items() if isinstance(m, Node)]:
            del self._modules[key]
        self.implicit_nodes = Collector()
        self.register_implicit_nodes({n.name: n for n in self._nodes})
        self._is_ff_initialized = False
        self._is_fb_initialized = False
        self._is_state_initialized = False
        self._is_fb_state_initialized = False
        self._feedforward_shapes = None
        self._feedback_shapes = None
        self._output_shape = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(n.name for n in self._nodes)})"

    def __irshift__(self, other):  # self >>= other
        from bptorch.nn import operations
        return operations.ff_connect(self, other, inplace=True)

    def __ilshift__(self, other):  # self <<= other: other feeds back into self
        from bptorch.nn import operations
        return operations.fb_connect(other, self, inplace=True)

    def __iand__(self, other):  # self &= other
        from bptorch.nn import operations
        return operations.merge(self, other, inplace=True)

    def __getitem__(self, item):
        if isinstance(item, str):
            return self.get_node(item)
        from bptorch.nn import operations
        return operations.select(self, item)

    def get_node(self, name: str) -> Node:
        """The node called ``name``.

        Examples
        --------
        >>> import bptorch as bp
        >>> net = bp.nn.Input(1, name='inp') >> bp.nn.Dense(2, name='out')
        >>> net['out'].num_unit
        2
        """
        if name in self.implicit_nodes:
            return self.implicit_nodes[name]
        raise KeyError(f"No node named '{name}' found in model {self.name}.")

    def nodes(self, method: str = 'absolute', level: int = 1, include_self: bool = False):
        return Base.nodes(self, method=method, level=level, include_self=include_self)

    @property
    def trainable(self) -> bool:
        """True if at least one node is trainable; setting it sets every node."""
        return any(n.trainable for n in self.lnodes)

    @trainable.setter
    def trainable(self, value: bool):
        for node in self.lnodes:
            node.trainable = value

    @property
    def lnodes(self) -> Tuple[Node, ...]:
        """The nodes of the network."""
        return self._nodes

    @property
    def ff_edges(self) -> Tuple[Tuple[Node, Node], ...]:
        return self._ff_edges

    @property
    def fb_edges(self) -> Tuple[Tuple[Node, Node], ...]:
        return self._fb_edges

    @property
    def entry_nodes(self) -> list:
        """The input nodes."""
        return self._entry_nodes

    @property
    def exit_nodes(self) -> list:
        """The output nodes."""
        return self._exit_nodes

    @property
    def feedback_nodes(self) -> Tuple[Node, ...]:
        """Nodes which send feedback."""
        return tuple(self._fb_receivers.keys())

    @property
    def nodes_has_feedback(self) -> Tuple[Node, ...]:
        """Nodes which receive feedback."""
        return tuple(self._fb_senders.keys())

    @property
    def ff_senders(self) -> dict:
        """For each node receiving feedforward data, its senders."""
        return self._ff_senders

    @property
    def ff_receivers(self) -> dict:
        """For each node sending feedforward data, its receivers."""
        return self._ff_receivers

    @property
    def fb_senders(self) -> dict:
        """For each node receiving feedback, its senders."""
        return self._fb_senders

    @property
    def fb_receivers(self) -> dict:
        """For each node sending feedback, its receivers."""
        return self._fb_receivers

    def update_graph(self, new_nodes: Sequence[Node], new_ff_edges: Sequence[Tuple[Node, Node]],
                     new_fb_edges: Optional[Sequence[Tuple[Node, Node]]] = None) -> 'Network':
        """Add nodes and edges in place; a cycle is a ``ValueError``."""
        nodes = _ordered(tuple(self.lnodes) + tuple(new_nodes))
        ff_edges = _ordered(tuple(self.ff_edges) + tuple(new_ff_edges))
        fb_edges = _ordered(tuple(self.fb_edges) + tuple(new_fb_edges or ()))
        if detect_cycle(nodes, ff_edges):
            raise ValueError('We detect cycles in feedforward connections. Maybe you should '
                             'replace some connection with as feedback ones.')
        if detect_cycle(nodes, fb_edges):
            raise ValueError('We detect cycles in feedback connections. ')
        return self.replace_graph(nodes, ff_edges, fb_edges)

    def replace_graph(self, nodes: Sequence[Node], ff_edges: Sequence[Tuple[Node, ...]],
                      fb_edges: Optional[Sequence[Tuple[Node, ...]]] = None) -> 'Network':
        """Replace the nodes and edges in place."""
        self._nodes = _ordered(nodes)
        self._ff_edges = _ordered(ff_edges)
        self._fb_edges = _ordered(fb_edges or ())
        self._network_init()
        return self

    def set_output_shape(self, shape: Dict) -> None:
        if not isinstance(shape, dict):
            raise ValueError(f'Must be a dict of <node name, shape>, but got '
                             f'{type(shape).__name__}: {shape}')
        for key, val in shape.items():
            if not isinstance(val, (tuple, list)):
                raise ValueError(f'Must be a sequence of int, but got {val} for key "{key}"')
        if not self._is_ff_initialized:
            if len(self.exit_nodes) == 1:
                self._output_shape = tuple(tuple(shape.values())[0])
            else:
                self._output_shape = {_name_of(k): tuple(v) for k, v in shape.items()}

    def init_ff_conn(self) -> None:
        """Initialize the nodes in topological order (input shapes come from their senders)."""
        for node in self._order:
            if node in self._entry_nodes:
                if node.feedforward_shapes is None:
                    given = self._feedforward_shapes
                    if given is None or node.name not in given:
                        raise ValueError('Cannot find the input size. Cannot initialize the '
                                         'network.')
                    node.set_feedforward_shapes({node.name: self._feedforward_shapes[node.name]})
            else:
                node.set_feedforward_shapes({p: p.output_shape for p in self._ff_senders[node]})
            if node in self._fb_senders:
                fb_shapes = {p: p.output_shape for p in self._fb_senders[node]}
                if None not in fb_shapes.values():
                    node.set_feedback_shapes(fb_shapes)
            node._init_ff_conn()
        self.set_output_shape({node: node.output_shape for node in self.exit_nodes})

    def init_fb_conn(self) -> None:
        """Initialize the feedback connections of the receiving nodes."""
        for receiver, senders in self._fb_senders.items():
            fb_sizes = {node: node.output_shape for node in senders}
            if None in fb_sizes.values():
                missing = '\n'.join(repr(n) for n, v in fb_sizes.items() if v is None)
                raise ValueError(f'Output shapes of nodes \n\n{missing}\n\nhave not been '
                                 f'initialized, leading us cannot initialize the feedback '
                                 f'connection of node \n\n{receiver}')
            receiver.set_feedback_shapes(fb_sizes)
            receiver._init_fb_conn()

    def _init_state(self, num_batch: int = 1) -> None:
        for node in self.lnodes:
            node._init_state(num_batch)
        self._num_batch = num_batch
        self._is_state_initialized = True

    def _init_fb_output(self, num_batch: int = 1) -> None:
        for node in self.feedback_nodes:
            node._init_fb_output(num_batch)
        self._is_fb_state_initialized = True

    def initialize(self, num_batch: int = 1) -> None:
        """Initialize every node (weights once, states each call) for ``num_batch`` samples.

        Examples
        --------
        >>> import bptorch as bp
        >>> net = bp.nn.Input(2) >> bp.nn.GRU(4)
        >>> net.initialize(num_batch=3)
        >>> net.is_initialized
        True
        """
        if not self._is_ff_initialized:
            if len(self.entry_nodes) <= 0:
                raise ValueError(f'We found this network \n\n{self} \n\nhas no input nodes.')
            if len(self.exit_nodes) <= 0:
                raise ValueError(f'We found this network \n\n{self} \n\nhas no output nodes.')
            ff_edges = [(a.name, b.name) for a, b in self.ff_edges]
            for node, receiver in self.fb_edges:
                if not detect_path(receiver.name, node.name, ff_edges):
                    raise ValueError(f'Cannot build a feedback connection from \n\n{node} \n\nto '
                                     f'\n\n{receiver} \n\nbecause there is no feedforward path '
                                     f'between them. \nMaybe you should use "ff_connect" first '
                                     f'to establish a feedforward connection between them. ')
            in_sizes = {}
            given = getattr(self, '_given_input_shape', None)
            for node in self.entry_nodes:
                if node.feedforward_shapes is None and given is not None \
                        and len(self.entry_nodes) == 1:
                    node.set_feedforward_shapes({node.name: tuple(given.values())[0]})
                if node.feedforward_shapes is None:
                    raise ValueError('Cannot initialize this node, because we detect '
                                     '"feedforward_shapes" is None. Maybe you need a '
                                     'brainpy.nn.Input instance to instruct the input size.')
                in_sizes[node.name] = tuple(node._feedforward_shapes.values())[0]
            self._feedforward_shapes = in_sizes
        check_integer(num_batch, 'num_batch', min_bound=1)
        self._init_ff_conn()
        self._init_state(num_batch)
        if not self._is_fb_initialized and len(self._fb_senders) > 0:
            self._feedback_shapes = {s.name: s.output_shape for s in self.feedback_nodes}
        if self._feedback_shapes is not None:
            self._init_fb_conn()
        self._init_fb_output(num_batch)

    def _check_inputs(self, ff, fb=None):
        if fb is not None:
            raise ValueError('A Network takes no feedback inputs (its nodes feed back to each '
                             'other); to fix the feedback a node receives, give '
                             'forced_feedbacks={name: tensor}.')
        if is_tensor(ff):
            if len(self.entry_nodes) != 1:
                raise ValueError(f'The network {self} has {len(self.entry_nodes)} input nodes '
                                 f'{[n.name for n in self.entry_nodes]}, while we only got one '
                                 f'input data; give a dict from their names to tensors.')
            ff = {self.entry_nodes[0].name: ff}
        if not isinstance(ff, dict):
            raise ValueError(f'ff must be a dict or a tensor, got {type(ff).__name__}')
        given = {_name_of(k): v for k, v in ff.items()}
        if len(self.entry_nodes) != len(given):
            raise ValueError(f'This network has {len(self.entry_nodes)} entry nodes. While '
                             f'{len(given)} input data are given.')
        out = []
        for node in self.entry_nodes:
            if node.name not in given:
                raise ValueError(f'Cannot find the input of the node: \n{node}')
            x = _data(given[node.name], f'the input of {node.name!r}')
            size = self._feedforward_shapes[node.name]
            if not check_shape_except_batch(size, x.shape, mode='bool'):
                raise ValueError(f'Input size {tuple(x.shape)} is not consistent with the input '
                                 f'size {size}')
            if self._num_batch is not None and x.shape[0] != self._num_batch:
                raise ValueError(f'The batch size of the input data {x.shape[0]} is not equal '
                                 f'to the batch size the network was initialized with '
                                 f'({self._num_batch}). Maybe you need to reinitialize it by '
                                 f'".initialize(num_batch)".')
            out.append(x)
        return tuple(out), None

    def _monitored_node(self, name: str) -> Node:
        if name not in self.implicit_nodes:
            raise ValueError(f'Cannot found the node {name}, this network only has '
                             f'{list(self.implicit_nodes.keys())}.')
        return self.implicit_nodes[name]

    def _call(self, ff, fb=None, forced_states: Optional[Dict[str, Tensor]] = None,
              forced_feedbacks: Optional[Dict[str, Tensor]] = None,
              monitors: Optional[Sequence[str]] = None, **kwargs):
        if not self.is_initialized:
            raise ValueError('Please initialize the Network first by calling "initialize()" '
                             'function.')
        forced_feedbacks = {} if forced_feedbacks is None else forced_feedbacks
        check_dict_data(forced_feedbacks, key_type=str, val_type=(Tensor, Variable),
                        name='forced_feedbacks')
        forced_states = {} if forced_states is None else forced_states
        check_dict_data(forced_states, key_type=str, val_type=(Tensor, Variable),
                        name='forced_states')
        need_return_monitor = monitors is not None
        attr_monitors, state_monitors = self._monitor_keys(() if monitors is None else monitors)
        ff, fb = self._check_inputs(ff, fb=fb)
        output, state_monitors = self.forward(ff, fb, forced_states, forced_feedbacks,
                                              state_monitors, **kwargs)
        if need_return_monitor:
            mon = self._read_attributes(attr_monitors)
            mon.update(state_monitors)
            return output, mon
        return output

    def _run_node(self, node: Node, ff: dict, fb: dict, monitors: dict, forced_states: dict,
                  shared_kwargs: dict) -> Tensor:
        ff = node.data_pass.filter(ff)
        if f'{node.name}.inputs' in monitors:
            monitors[f'{node.name}.inputs'] = ff
        if len(fb):
            fb = node.data_pass.filter(fb)
            if f'{node.name}.feedbacks' in monitors:
                monitors[f'{node.name}.feedbacks'] = fb
            output = node.forward(ff, fb, **shared_kwargs)
        else:
            output = node.forward(ff, **shared_kwargs)
        if node in self._fb_receivers:
            node.set_fb_output(node.feedback(output, **shared_kwargs))
        if node.name in forced_states:
            node.state.value = as_tensor(forced_states[node.name])
        if f'{node.name}.state' in monitors:
            monitors[f'{node.name}.state'] = node.state.value
        if f'{node.name}.output' in monitors:
            monitors[f'{node.name}.output'] = output
        return output

    def forward(self, ff, fb=None, forced_states: Optional[Dict[str, Tensor]] = None,
                forced_feedbacks: Optional[Dict[str, Tensor]] = None,
                monitors: Optional[Dict] = None, **shared_kwargs):
        """One step of every node, in topological order.

        Parameters
        ----------
        ff : sequence of tensors
            The inputs of the entry nodes, in the order of ``entry_nodes``.
        fb : None
            Unused (kept for the signature of :meth:`Node.forward`).
        forced_states : dict, optional
            ``{node name: state}`` assigned to those nodes after they run.
        forced_feedbacks : dict, optional
            ``{node name: feedback}`` sent instead of those nodes' feedback outputs.
        monitors : dict, optional
            ``{'<node>.<item>': None}`` to fill (items from :data:`NODE_STATES`).
        **shared_kwargs
            Passed to every node's ``forward``.

        Returns
        -------
        output, monitors
            The output of the exit node (a dict by name if there are several), and
            the filled ``monitors``.
        """
        forced_feedbacks = {} if forced_feedbacks is None else forced_feedbacks
        forced_states = {} if forced_states is None else forced_states
        monitors = {} if monitors is None else monitors
        outputs = {}
        entry_index = {node: i for i, node in enumerate(self._entry_nodes)}
        for node in self._order:
            if node in entry_index:
                node_ff = {node.name: ff[entry_index[node]]}
            else:
                node_ff = {p: outputs[p] for p in self._ff_senders[node]}
            node_fb = {p: (as_tensor(forced_feedbacks[p.name]) if p.name in forced_feedbacks
                           else p.fb_output.value)
                       for p in self._fb_senders.get(node, ())}
            outputs[node] = self._run_node(node, node_ff, node_fb, monitors, forced_states,
                                           shared_kwargs)
        if len(self.exit_nodes) > 1:
            return {n.name: outputs[n] for n in self.exit_nodes}, monitors
        return outputs[self.exit_nodes[0]], monitors

    def plot_node_graph(self, fig_size: tuple = (10, 10), node_size: int = 1000,
                        arrow_size: int = 20, layout: str = 'shell_layout', show: bool = True,
                        legends: Optional[dict] = None, ax=None):
        """Plot the node graph with ``networkx`` and ``matplotlib``.

        Trainable nodes are orange, the others sky blue; feedforward edges green,
        feedback red, self-connections of recurrent nodes purple.

        Examples
        --------
        >>> import matplotlib; matplotlib.use('Agg')
        >>> import bptorch as bp
        >>> net = bp.nn.Input(1) >> bp.nn.VanillaRNN(3) >> bp.nn.Dense(1)
        >>> net.plot_node_graph(show=False)
        """
        try:
            import networkx as nx
        except ImportError as e:
            raise PackageMissingError('The node graph plotting currently need package '
                                      '"networkx". But it can not be imported. ') from e
        try:
            import matplotlib.pyplot as plt
            from matplotlib.lines import Line2D
        except ImportError as e:
            raise PackageMissingError('The node graph plotting currently need package '
                                      '"matplotlib". But it can not be imported. ') from e
        if layout not in SUPPORTED_LAYOUTS:
            raise UnsupportedError(f'Only support layouts: {list(SUPPORTED_LAYOUTS)}')
        trainable = [n.name for n in self.lnodes if n.trainable]
        untrainable = [n.name for n in self.lnodes if not n.trainable]
        ff_edges = [(a.name, b.name) for a, b in self.ff_edges]
        fb_edges = [(a.name, b.name) for a, b in self.fb_edges]
        rec_edges = [(n.name, n.name) for n in self.lnodes if isinstance(n, RecurrentNode)]
        colors = dict(trainable='orange', untrainable='skyblue', ff='green', fb='red',
                      rec='purple')
        graph = nx.DiGraph()
        mids = sorted(set(self.lnodes) - set(self.entry_nodes) - set(self.exit_nodes),
                      key=lambda n: n.name)
        for index, node in enumerate(list(self.entry_nodes) + mids + list(self.exit_nodes)):
            graph.add_node(node.name, subset=index + 1)
        graph.add_edges_from(ff_edges + fb_edges + rec_edges)
        pos = getattr(nx, layout)(graph)
        if ax is None:
            fig = plt.figure(figsize=fig_size)
            ax = fig.add_subplot(111)
        nx.draw_networkx_nodes(graph, pos=pos, nodelist=trainable,
                               node_color=colors['trainable'], node_size=node_size, ax=ax)
        nx.draw_networkx_nodes(graph, pos=pos, nodelist=untrainable,
                               node_color=colors['untrainable'], node_size=node_size, ax=ax)
        for edges, color, style in ((ff_edges, colors['ff'], 'arc3,rad=0.'),
                                    (fb_edges, colors['fb'], 'arc3,rad=0.3'),
                                    (rec_edges, colors['rec'], 'arc3,rad=-0.3')):
            if edges:
                nx.draw_networkx_edges(graph, pos=pos, edgelist=edges, edge_color=color,
                                       connectionstyle=style, arrowsize=arrow_size,
                                       node_size=node_size, ax=ax)
        nx.draw_networkx_labels(graph, pos=pos, ax=ax)
        proxies, labels = [], []
        for names, key, label in ((trainable, 'trainable', 'Trainable'),
                                  (untrainable, 'untrainable', 'Nontrainable')):
            if names:
                proxies.append(Line2D([], [], color='white', marker='o',
                                      markerfacecolor=colors[key]))
                labels.append(label)
        for edges, key, label in ((ff_edges, 'ff', 'Feedforward'), (fb_edges, 'fb', 'Feedback'),
                                  (rec_edges, 'rec', 'Recurrent')):
            if edges:
                proxies.append(Line2D([], [], color=colors[key], linewidth=2))
                labels.append(label)
        ax.legend(proxies, labels, scatterpoints=1, markerscale=2, loc='best', **(legends or {}))
        if show:
            plt.show()


class FrozenNetwork(Network):
    """A network that cannot be linked to other nodes or changed.

    Examples
    --------
    >>> import bptorch as bp
    >>> i, o = bp.nn.Input(1), bp.nn.Dense(1)
    >>> frozen = bp.nn.FrozenNetwork([i, o], [(i, o)])
    >>> frozen >> bp.nn.Dense(1)
    Traceback (most recent call last):
    ...
    TypeError: Cannot connect FrozenNetwork to other Nodes.
    """

    def update_graph(self, new_nodes, new_ff_edges, new_fb_edges=None):
        raise TypeError(f'Cannot update FrozenModel {self}: model is frozen and cannot be '
                        f'modified.')

    def replace_graph(self, nodes, ff_edges, fb_edges=None):
        raise TypeError(f'Cannot update FrozenModel {self}: model is frozen and cannot be '
                        f'modified.')


class Sequential(Network):
    """A network (BrainPy's placeholder subclass of :class:`Network`).

    Examples
    --------
    >>> import bptorch as bp
    >>> i, o = bp.nn.Input(2), bp.nn.Dense(1)
    >>> bp.nn.Sequential([i, o], [(i, o)]).exit_nodes == [o]
    True
    """
