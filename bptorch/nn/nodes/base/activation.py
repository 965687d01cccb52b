"""The activation node (BrainPy 2.1.12's ``brainpy.nn.Activation``).

Examples
--------
>>> import bptorch as bp, bptorch.math as bm
>>> a = bp.nn.Activation('relu', input_shape=2)
>>> a.initialize(1)
>>> a(bm.array([[-1., 2.]]))
tensor([[0., 2.]])
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Union

from bptorch.base import naming
from bptorch.math import activations
from bptorch.nn.base import Node

__all__ = ['Activation']


class Activation(Node):
    """Apply an activation function element-wise.

    Parameters
    ----------
    activation : str or callable
        A name of :mod:`bptorch.math.activations` (``'relu'``, ``'tanh'``, ...) or
        a function.
    fun_setting : dict, optional
        Keyword arguments of the function (``{'negative_slope': 0.1}``).
    trainable : bool
        Default False.
    name : str, optional
        Default ``'<activation>_activation<k>'``.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> a = bp.nn.Activation('leaky_relu', fun_setting={'negative_slope': 0.5}, input_shape=1)
    >>> a.initialize(1)
    >>> a(bm.array([[-2.]]))
    tensor([[-1.]])
    """

    def __init__(self, activation: Union[str, Callable] = 'relu',
                 fun_setting: Optional[Dict[str, Any]] = None, trainable: bool = False,
                 name: Optional[str] = None, **kwargs):
        if fun_setting is not None and not isinstance(fun_setting, dict):
            raise ValueError(f'"fun_setting" must be a dict, got {type(fun_setting).__name__}')
        fun = activations.get(activation)
        if fun is None:
            raise ValueError('activation must be the name of an activation function or a '
                             'callable, got None')
        if name is None:
            label = activation if isinstance(activation, str) else getattr(fun, '__name__', '')
            label = label if label.isidentifier() else 'fun'
            name = naming.unique_name(self, type_=f'{label}_activation')
        super().__init__(name=name, trainable=trainable, **kwargs)
        self._activation = fun
        self._fun_setting = dict(fun_setting or {})

    def init_ff_conn(self) -> None:
        self.set_output_shape(self.feedforward_shapes)

    def forward(self, ff, **shared_kwargs):
        return self._activation(ff, **self._fun_setting)
