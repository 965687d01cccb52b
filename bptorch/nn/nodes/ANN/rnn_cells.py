r"""Recurrent cells (BrainPy 2.1.12's ``VanillaRNN``, ``GRU``, ``LSTM``).

The weights have BrainPy's layout: input weights ``(num_input, k * num_unit)``
and hidden weights ``(num_unit, k * num_unit)`` (``x @ W``, the transpose of
``torch.nn.RNNCell``'s), with the gates in BrainPy's order. The state is a
``bm.Variable`` of shape ``(num_batch, num_unit)`` (the LSTM stacks ``h`` over
``c``: ``(2 * num_batch, num_unit)``).

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> cell = bp.nn.GRU(5, input_shape=3)
>>> cell.initialize(2)
>>> cell(bm.ones((2, 3))).shape, cell.state.shape
(torch.Size([2, 5]), torch.Size([2, 5]))
"""

from __future__ import annotations

from typing import Callable, Union

import torch

from bptorch.initialize import Initializer, Orthogonal, Uniform, XavierNormal, ZeroInit, init_param
from bptorch.math import activations
from bptorch.nn._checks import check_initializer, check_integer, check_shape_consistency
from bptorch.nn.base import RecurrentNode
from bptorch.nn.datatypes import MultipleData
from bptorch.nn.nodes._params import cat_last, make_param, value_of

__all__ = ['VanillaRNN', 'GRU', 'LSTM']

Init = Union[Initializer, Callable, torch.Tensor]


class _Cell(RecurrentNode):
    """What the three cells share: weights for ``gates`` gates of ``num_unit`` units."""

    data_pass = MultipleData('sequence')
    gates = 1

    def _setup(self, num_unit, wi_initializer, wh_initializer, bias_initializer,
               state_initializer) -> None:
        check_integer(num_unit, 'num_unit', min_bound=1)
        self.num_unit = num_unit
        self.set_output_shape((None, num_unit))
        check_initializer(wi_initializer, 'wi_initializer')
        check_initializer(wh_initializer, 'wh_initializer')
        check_initializer(state_initializer, 'state_initializer')
        check_initializer(bias_initializer, 'bias_initializer', allow_none=True)
        self._wi_initializer = wi_initializer
        self._wh_initializer = wh_initializer
        self._bias_initializer = bias_initializer
        self._state_initializer = state_initializer

    def _num_input(self, shapes) -> int:
        unique_size, free_sizes = check_shape_consistency(shapes, -1, True)
        if len(unique_size) != 1:
            raise ValueError(f'{type(self).__name__} only supports data of shape (num_batch, '
                             f'num_feature), got the shapes {shapes}')
        return sum(free_sizes)

    def _input_weights(self, shapes):
        return make_param(self._wi_initializer, (self._num_input(shapes),
                                                 self.num_unit * self.gates),
                          self.trainable, allow_none=False)

    def init_state(self, num_batch: int = 1):
        return init_param(self._state_initializer, (num_batch, self.num_unit), allow_none=False)


class VanillaRNN(_Cell):
    r"""Basic fully-connected RNN core: :math:`h_t = f(x_t W_i + h_{t-1} W_h + b [+ fb_t W_{fb}])`.

    The output is the new state :math:`h_t`.

    Parameters
    ----------
    num_unit : int
        The number of hidden units.
    state_initializer : Initializer, callable or tensor
        The initial state (default ``Uniform()``).
    wi_initializer, wh_initializer : Initializer, callable or tensor
        Input and hidden weights (default ``XavierNormal()``).
    bias_initializer : Initializer, callable, tensor or None
        The bias (default ``ZeroInit()``).
    activation : str or callable
        The activation :math:`f` (default ``'relu'``).
    **kwargs
        ``name``, ``input_shape``, ``trainable``, ``state_trainable``.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> r = bp.nn.VanillaRNN(4, input_shape=2, state_initializer=bp.init.ZeroInit())
    >>> r.initialize(1)
    >>> bool((r(bm.ones((1, 2))) >= 0).all())
    True
    """

    def __init__(self, num_unit: int, state_initializer: Init = Uniform(),
                 wi_initializer: Init = XavierNormal(), wh_initializer: Init = XavierNormal(),
                 bias_initializer: Init = ZeroInit(), activation: Union[str, Callable] = 'relu',
                 **kwargs):
        super().__init__(**kwargs)
        self._setup(num_unit, wi_initializer, wh_initializer, bias_initializer,
                    state_initializer)
        self.activation = activations.get(activation)

    def init_ff_conn(self) -> None:
        self.Wff = self._input_weights(self.feedforward_shapes)
        self.Wrec = make_param(self._wh_initializer, (self.num_unit, self.num_unit),
                               self.trainable, allow_none=False)
        self.bias = make_param(self._bias_initializer, (self.num_unit,), self.trainable)

    def init_fb_conn(self) -> None:
        self.Wfb = self._input_weights(self.feedback_shapes)

    def forward(self, ff, fb=None, **shared_kwargs):
        h = cat_last(ff) @ value_of(self.Wff) + self.state.value @ value_of(self.Wrec)
        if self.bias is not None:
            h = h + value_of(self.bias)
        if fb is not None:
            h = h + cat_last(fb) @ value_of(self.Wfb)
        self.state.value = self.activation(h)
        return self.state.value


class GRU(_Cell):
    r"""Gated Recurrent Unit (Chung et al., 2014), with biases:

    .. math::

       z_t &= \sigma(x_t W_{iz} + h_{t-1} W_{hz} + b_z) \\
       r_t &= \sigma(x_t W_{ir} + h_{t-1} W_{hr} + b_r) \\
       a_t &= \tanh(x_t W_{ia} + (r_t \odot h_{t-1}) W_{ha} + b_a) \\
       h_t &= (1 - z_t) \odot h_{t-1} + z_t \odot a_t

    ``Wi_ff`` is ``[W_iz | W_ir | W_ia]`` and ``Wh`` is ``[W_hz | W_hr | W_ha]``
    (``(.., 3 * num_unit)``); the output is :math:`h_t`. Note the reset gate
    multiplies :math:`h_{t-1}` before :math:`W_{ha}` (``torch.nn.GRUCell``
    multiplies after).

    Parameters
    ----------
    num_unit : int
        The number of hidden units.
    wi_initializer, wh_initializer : Initializer, callable or tensor
        Input and hidden weights (default ``Orthogonal()``).
    bias_initializer : Initializer, callable, tensor or None
        The bias ``[b_z | b_r | b_a]`` (default ``ZeroInit()``).
    state_initializer : Initializer, callable or tensor
        The initial state (default ``ZeroInit()``).
    **kwargs
        ``name``, ``input_shape``, ``trainable``, ``state_trainable``.

    References
    ----------
    .. [1] Chung, J., Gulcehre, C., Cho, K. and Bengio, Y., 2014. Empirical evaluation of
           gated recurrent neural networks on sequence modeling. arXiv:1412.3555.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> g = bp.nn.GRU(3, input_shape=2)
    >>> g.initialize(1)
    >>> tuple(g.Wi_ff.shape), tuple(g.Wh.shape)
    ((2, 9), (3, 9))
    """

    gates = 3

    def __init__(self, num_unit: int, wi_initializer: Init = Orthogonal(),
                 wh_initializer: Init = Orthogonal(), bias_initializer: Init = ZeroInit(),
                 state_initializer: Init = ZeroInit(), **kwargs):
        super().__init__(**kwargs)
        self._setup(num_unit, wi_initializer, wh_initializer, bias_initializer,
                    state_initializer)

    def init_ff_conn(self) -> None:
        self.Wi_ff = self._input_weights(self.feedforward_shapes)
        self.Wh = make_param(self._wh_initializer, (self.num_unit, self.num_unit * 3),
                             self.trainable, allow_none=False)
        self.bias = make_param(self._bias_initializer, (self.num_unit * 3,), self.trainable)

    def init_fb_conn(self) -> None:
        self.Wi_fb = self._input_weights(self.feedback_shapes)

    def forward(self, ff, fb=None, **shared_kwargs):
        n = self.num_unit
        gates_x = cat_last(ff) @ value_of(self.Wi_ff)
        if fb is not None:
            gates_x = gates_x + cat_last(fb) @ value_of(self.Wi_fb)
        if self.bias is not None:
            gates_x = gates_x + value_of(self.bias)
        wh = value_of(self.Wh)
        h = self.state.value
        zr = torch.sigmoid(gates_x[:, :2 * n] + h @ wh[:, :2 * n])
        z, r = zr[:, :n], zr[:, n:]
        a = torch.tanh(gates_x[:, 2 * n:] + (r * h) @ wh[:, 2 * n:])
        next_state = (1 - z) * h + z * a
        self.state.value = next_state
        return next_state


class LSTM(_Cell):
    r"""Long short-term memory cell (Zaremba et al., 2014):

    .. math::

       i_t &= \sigma(x_t W_{ii} + h_{t-1} W_{hi} + b_i) \\
       g_t &= \tanh(x_t W_{ig} + h_{t-1} W_{hg} + b_g) \\
       f_t &= \sigma(x_t W_{if} + h_{t-1} W_{hf} + b_f + 1) \\
       o_t &= \sigma(x_t W_{io} + h_{t-1} W_{ho} + b_o) \\
       c_t &= f_t c_{t-1} + i_t g_t, \qquad h_t = o_t \tanh(c_t)

    The gates are in BrainPy's order ``[i | g | f | o]`` and the forget gate gets
    ``+1`` (Jozefowicz et al., 2015). The state stacks ``h`` over ``c``
    (``(2 * num_batch, num_unit)``); :attr:`h` and :attr:`c` read and write the
    halves. The output is :math:`h_t`.

    Parameters
    ----------
    num_unit : int
        The number of hidden units.
    wi_initializer, wh_initializer : Initializer, callable or tensor
        Input and hidden weights (default ``XavierNormal()``).
    bias_initializer : Initializer, callable, tensor or None
        The bias (default ``ZeroInit()``).
    state_initializer : Initializer, callable or tensor
        The initial state of ``h`` and ``c`` (default ``ZeroInit()``).
    **kwargs
        ``name``, ``input_shape``, ``trainable``, ``state_trainable``.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> l = bp.nn.LSTM(4, input_shape=2)
    >>> l.initialize(3)
    >>> l.state.shape, l(bm.ones((3, 2))).shape, l.c.shape
    (torch.Size([6, 4]), torch.Size([3, 4]), torch.Size([3, 4]))
    """

    gates = 4

    def __init__(self, num_unit: int, wi_initializer: Init = XavierNormal(),
                 wh_initializer: Init = XavierNormal(), bias_initializer: Init = ZeroInit(),
                 state_initializer: Init = ZeroInit(), **kwargs):
        super().__init__(**kwargs)
        self._setup(num_unit, wi_initializer, wh_initializer, bias_initializer,
                    state_initializer)

    def init_ff_conn(self) -> None:
        self.Wi_ff = self._input_weights(self.feedforward_shapes)
        self.Wh = make_param(self._wh_initializer, (self.num_unit, self.num_unit * 4),
                             self.trainable, allow_none=False)
        self.bias = make_param(self._bias_initializer, (self.num_unit * 4,), self.trainable)

    def init_fb_conn(self) -> None:
        self.Wi_fb = self._input_weights(self.feedback_shapes)

    def init_state(self, num_batch: int = 1):
        return init_param(self._state_initializer, (num_batch * 2, self.num_unit),
                          allow_none=False)

    def forward(self, ff, fb=None, **shared_kwargs):
        n = self.num_unit
        state = self.state.value
        h, c = state.chunk(2, dim=0)
        gated = cat_last(ff) @ value_of(self.Wi_ff)
        if fb is not None:
            gated = gated + cat_last(fb) @ value_of(self.Wi_fb)
        if self.bias is not None:
            gated = gated + value_of(self.bias)
        gated = gated + h @ value_of(self.Wh)
        i, g, f, o = gated[:, :n], gated[:, n:2 * n], gated[:, 2 * n:3 * n], gated[:, 3 * n:]
        c = torch.sigmoid(f + 1.) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        self.state.value = torch.cat([h, c], dim=0)
        return h

    @property
    def h(self) -> torch.Tensor:
        """The hidden state (the first half of ``state``)."""
        return self.state.value.chunk(2, dim=0)[0]

    @h.setter
    def h(self, value) -> None:
        if self.state is None:
            raise ValueError('Cannot set "h" state. Because the state is not initialized.')
        self.state[:self.state.shape[0] // 2, :] = value

    @property
    def c(self) -> torch.Tensor:
        """The memory cell (the second half of ``state``)."""
        return self.state.value.chunk(2, dim=0)[1]

    @c.setter
    def c(self, value) -> None:
        if self.state is None:
            raise ValueError('Cannot set "c" state. Because the state is not initialized.')
        self.state[self.state.shape[0] // 2:, :] = value
