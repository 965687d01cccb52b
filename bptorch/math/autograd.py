"""Automatic differentiation of functions and of ``bp.Base`` objects.

``grad``, ``vector_grad``, ``jacrev`` (``jacobian``), ``jacfwd`` and ``hessian``
with BrainPy 2.1's signatures. Gradients are taken with respect to positional
arguments (``argnums``) and/or to state held outside the arguments
(``grad_vars``: Variables, or tensors held by the module being differentiated).

Returns (``arg_grads``: of ``argnums``; ``var_grads``: of ``grad_vars``):

============  =======  ==============  =====================  =====================  ============================
grad_vars     argnums  plain           has_aux                return_value           both
============  =======  ==============  =====================  =====================  ============================
None          any      arg_grads       (arg_grads, aux)       (arg_grads, value)     (arg_grads, value, aux)
given         None     var_grads       (var_grads, aux)       (var_grads, value)     (var_grads, value, aux)
given         given    (var, arg)      ((var, arg), aux)      ((var, arg), value)    ((var, arg), value, aux)
============  =======  ==============  =====================  =====================  ============================

``var_grads`` mirrors ``grad_vars`` (a Variable gives a tensor, a list or tuple a
tuple, a dict or collector a dict with the same keys); ``arg_grads`` is a tensor
for an int ``argnums`` and a tuple for a sequence.

Variables that the function reads or writes are found as it runs: ``dyn_vars``
is accepted (and checked) but never needed. What the function assigns to a
Variable is there after the call, as a plain tensor; if it raises, every
Variable keeps its old value.

Outside other transforms, results are plain tensors detached from torch's
autograd graph (as in JAX). Nested bptorch transforms (``grad(grad(f))``) and
``torch.func`` transforms compose.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from bptorch.math import _autodiff
from bptorch.math._autodiff import Differentiator

__all__ = ['grad', 'vector_grad', 'jacrev', 'jacobian', 'jacfwd', 'hessian']


def _named_after(transformed: Callable, func: Callable, api: str) -> Callable:
    functools.update_wrapper(transformed, func, assigned=('__module__', '__name__', '__qualname__'),
                             updated=())
    name = getattr(func, '__name__', type(func).__name__)
    transformed.__doc__ = f'{api} of {name}.'
    return transformed


def grad(func: Callable, grad_vars: Any = None, dyn_vars: Any = None, argnums: Any = None,
         holomorphic: bool = False, allow_int: bool = False, reduce_axes: tuple = (),
         has_aux: bool | None = None, return_value: bool = False) -> Callable:
    """Gradient of a scalar function or ``bp.Base`` with respect to arguments and Variables.

    Parameters
    ----------
    func : callable or bp.Base
        Returns a scalar (shape ``()``; shape ``(1,)`` is refused), or a pair
        ``(scalar, aux)`` with ``has_aux=True``.
    grad_vars : Variable, sequence, dict or collector, optional
        State to differentiate: Variables, or tensors / ``nn.Parameter`` s held as
        attributes of the module being differentiated.
    dyn_vars : Variable, sequence or dict, optional
        Accepted for BrainPy compatibility; state is found automatically.
    argnums : int or sequence of int, optional
        Positional arguments to differentiate (default 0 when ``grad_vars`` is
        None); negative values count from the end.
    holomorphic : bool
        Complex function, complex inputs: return f'(z).
    allow_int : bool
        Integer inputs get an all-zero gradient of dtype ``bm.float0``.
    reduce_axes : tuple of str
        Inside ``bm.vmap(..., axis_name=name)``: sum the gradients of values not
        mapped over ``name`` across it (the total rather than per-example gradient).
    has_aux : bool, optional
        ``func`` returns ``(value, aux)``.
    return_value : bool
        Also return the value of ``func``.

    Returns
    -------
    callable
        Same arguments as ``func``; returns as in the table of :mod:`bptorch.math.autograd`.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.grad(bm.tanh)(0.2)
    tensor(0.9610)
    >>> w = bm.TrainVar(bm.ones(2))
    >>> f = lambda x: (w * x).sum()
    >>> bm.grad(f, grad_vars=w, argnums=0, return_value=True)(bm.array([1., 2.]))
    ((tensor([1., 2.]), tensor([1., 1.])), tensor(3.))
    """
    d = Differentiator('bm.grad', func, grad_vars, dyn_vars, argnums, has_aux, return_value,
                       holomorphic, allow_int, reduce_axes)

    def grad_func(*args, **kwargs):
        return _autodiff.reverse(d, args, kwargs, scalar=True)
    return _named_after(grad_func, func, 'bm.grad')


def vector_grad(func: Callable, dyn_vars: Any = None, grad_vars: Any = None, argnums: Any = None,
                return_value: bool = False, has_aux: bool | None = None, *,
                reduce_axes: tuple = ()) -> Callable:
    """Gradient of the sum of a function's outputs: a vector-Jacobian product with ones.

    Same arguments and return structures as :func:`grad`; ``func`` may return any
    shape (or a tuple of tensors). ``reduce_axes`` (keyword-only: an extension of
    BrainPy's signature) works as in :func:`grad`.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.vector_grad(lambda x: x ** 2)(bm.array([1., 2., 3.]))
    tensor([2., 4., 6.])
    """
    d = Differentiator('bm.vector_grad', func, grad_vars, dyn_vars, argnums, has_aux, return_value,
                       reduce_axes=reduce_axes)

    def vector_grad_func(*args, **kwargs):
        return _autodiff.reverse(d, args, kwargs, scalar=False)
    return _named_after(vector_grad_func, func, 'bm.vector_grad')


def jacrev(func: Callable, grad_vars: Any = None, dyn_vars: Any = None, argnums: Any = None,
           holomorphic: bool = False, allow_int: bool = False, has_aux: bool | None = None,
           return_value: bool = False) -> Callable:
    """Jacobian by reverse mode (one VJP per output element, batched with vmap).

    For an output of shape ``O`` and an input of shape ``I`` the Jacobian has
    shape ``O + I``. Tuple outputs give a tuple of such structures. Return
    structures as for :func:`grad`.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.jacrev(lambda x: x ** 2)(bm.array([1., 2.]))
    tensor([[2., 0.],
            [0., 4.]])
    """
    return _jacobian_transform('bm.jacrev', 'rev', func, grad_vars, dyn_vars, argnums,
                               holomorphic, allow_int, has_aux, return_value)


jacobian = jacrev


def jacfwd(func: Callable, grad_vars: Any = None, dyn_vars: Any = None, argnums: Any = None,
           holomorphic: bool = False, has_aux: bool | None = None,
           return_value: bool = False) -> Callable:
    """Jacobian by forward mode (one JVP per input element, batched with vmap).

    Same shapes and return structures as :func:`jacrev`.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.jacfwd(lambda x: x.sum() * x)(bm.array([1., 2.]))
    tensor([[4., 1.],
            [2., 5.]])
    """
    return _jacobian_transform('bm.jacfwd', 'fwd', func, grad_vars, dyn_vars, argnums,
                               holomorphic, False, has_aux, return_value)


def hessian(func: Callable, dyn_vars: Any = None, grad_vars: Any = None, argnums: Any = None,
            holomorphic: bool = False, return_value: bool = False) -> Callable:
    """Hessian of a scalar function, as ``jacfwd(jacrev(func))``.

    With ``return_value=True`` it returns ``(hessian, gradient)``, as BrainPy 2.1
    does. With both ``grad_vars`` and ``argnums`` the Hessian is the nested
    structure ``((d2/dvar dvar, d2/dvar darg), (d2/darg dvar, d2/darg darg))``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.hessian(lambda x: (x ** 3).sum())(bm.array([1., 2.]))
    tensor([[ 6.,  0.],
            [ 0., 12.]])
    """
    inner = _jacobian_transform('bm.hessian', 'rev', func, grad_vars, dyn_vars, argnums,
                                holomorphic, False, None, False, hessian=True)
    outer = _jacobian_transform('bm.hessian', 'fwd', inner, grad_vars, dyn_vars, argnums,
                                holomorphic, False, None, return_value, hessian=True)
    return _named_after(outer, func, 'bm.hessian')


def _jacobian_transform(api: str, mode: str, func: Callable, grad_vars, dyn_vars, argnums,
                        holomorphic, allow_int, has_aux, return_value,
                        hessian: bool = False) -> Callable:
    """A Jacobian by reverse (``'rev'``) or forward (``'fwd'``) mode; ``api`` names it in errors.

    (``hessian``: argument 0 is differentiated by default even when ``dyn_vars`` is
    given, as BrainPy 2.1's ``hessian`` documents.)
    """
    d = Differentiator(api, func, grad_vars, dyn_vars, argnums, has_aux, return_value,
                       holomorphic, allow_int, forward=mode == 'fwd',
                       argnums_always_default=hessian)

    def jacobian_func(*args, **kwargs):
        return _autodiff.jacobian(d, args, kwargs, mode=mode)
    return _named_after(jacobian_func, func, api)
