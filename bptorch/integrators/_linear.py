"""The linear part of a derivative, by automatic differentiation (exponential Euler).

``value_and_linear(fn, x)`` returns ``(fn(x), A)`` with ``A = vjp(fn, x)(ones)``,
what BrainPy's ``bm.vector_grad(fn, argnums=0, return_value=True)`` computes:
the element-wise derivative ``d fn / d x`` when ``fn`` acts element-wise.

Which autograd computes it:

- inside a ``torch.func`` transform (``bm.vmap``, ``bm.grad`` nested in a vmap,
  ...) or while ``torch.compile`` traces: ``torch.func.vjp``, which composes with
  them;
- otherwise ``torch.autograd.grad`` on the spot. Its graph is kept (so that
  gradients flow through ``A`` and ``fn(x)`` into whatever produced them) when
  grad mode is on and ``x``, or a tensor ``fn`` reads (a closure parameter, a
  ``TrainVar``), requires grad; otherwise both results are plain tensors, so a
  long simulation builds no graph.

Forward mode (``torch.func.jvp``) would need no graph at all, but torch runs
forward-mode products with Python numbers through slow reference kernels (about a
millisecond per operation, torch 2.13 on CPU), so reverse mode is used.

Examples
--------
>>> import torch
>>> from bptorch.integrators._linear import value_and_linear
>>> value, A = value_and_linear(lambda v: -2. * v + v * v, torch.tensor([1., 3.]))
>>> value, A
(tensor([-1.,  3.]), tensor([0., 4.]))
"""

from __future__ import annotations

from typing import Any, Callable

import torch

from bptorch import _compat
from bptorch.math import settings

__all__ = ['value_and_linear', 'values_and_linears', 'as_float_tensor', 'exp_euler_update']


def as_float_tensor(x: Any) -> torch.Tensor:
    """``x`` as a floating tensor (Python numbers get the default float dtype)."""
    if isinstance(x, torch.Tensor):
        return x if (x.is_floating_point() or x.is_complex()) else x.to(settings.float_())
    return torch.as_tensor(x, dtype=settings.float_(), device=settings.default_device())


def _reads_other_leaves(out: torch.Tensor, leaf: torch.Tensor) -> bool:
    """Whether ``out``'s graph reaches a tensor requiring grad other than ``leaf``."""
    stack = [out.grad_fn]
    seen = set()
    while stack:
        node = stack.pop()
        if node is None or node in seen:
            continue
        seen.add(node)
        inputs = node.next_functions
        if inputs:
            stack.extend([nxt for nxt, _ in inputs])
        elif getattr(node, 'variable', leaf) is not leaf:   # AccumulateGrad of another leaf
            return True
    return False


def _as_output(out: Any, like: torch.Tensor) -> torch.Tensor:
    if isinstance(out, torch.Tensor):
        return out
    if isinstance(out, (list, tuple)) and len(out) == 1:
        return _as_output(out[0], like)
    try:
        return torch.as_tensor(out, dtype=like.dtype, device=like.device)
    except (TypeError, ValueError, RuntimeError):
        raise TypeError(f'exponential Euler: the derivative function must return one array '
                        f'for its one variable, got {type(out).__name__}') from None


def value_and_linear(fn: Callable[[torch.Tensor], Any], x: torch.Tensor):
    """``(fn(x), vjp(fn, x)(ones))`` with the graph policy described in the module docs."""
    (out,), (A,) = values_and_linears([fn], [x])
    return out, A


def values_and_linears(fns: list, xs: list) -> tuple[list, list]:
    """:func:`value_and_linear` of several functions at once (one backward pass)."""
    if _compat.functorch_level_active() or _compat.is_dynamo_compiling():
        def pure(*vs):
            return tuple(_as_output(fn(v), v) for fn, v in zip(fns, vs))
        outs, vjp = torch.func.vjp(pure, *xs)
        return list(outs), list(vjp(tuple(torch.ones_like(o) for o in outs)))
    if torch.is_inference_mode_enabled():
        raise RuntimeError('exponential Euler finds the linear part of the derivative with '
                           'autograd, which torch.inference_mode() turns off; run it under '
                           'torch.no_grad() instead')
    grad_on = torch.is_grad_enabled()
    with torch.enable_grad():
        keep = grad_on and any(x.requires_grad for x in xs)
        leaves = [x.view_as(x) if keep and x.requires_grad else x.detach().requires_grad_()
                  for x in xs]
        outs = [_as_output(fn(leaf), leaf) for fn, leaf in zip(fns, leaves)]
        live = [i for i, o in enumerate(outs) if o.requires_grad]
        if grad_on and not keep:
            keep = any(_reads_other_leaves(outs[i], leaves[i]) for i in live)
        As = [None] * len(xs)
        if live:
            grads = torch.autograd.grad([outs[i] for i in live], [leaves[i] for i in live],
                                        [torch.ones_like(outs[i]) for i in live],
                                        create_graph=keep, allow_unused=True)
            for i, g in zip(live, grads):
                As[i] = g
    As = [torch.zeros_like(x) if A is None else A for A, x in zip(As, xs)]
    if not keep:
        outs = [o.detach() for o in outs]
    return outs, As


def exp_euler_update(x: torch.Tensor, A: torch.Tensor, F: Any, dt: Any) -> torch.Tensor:
    r"""``x + dt * phi(dt * A) * F`` with :math:`\varphi(z) = (e^z - 1) / z` (1 at z = 0)."""
    z = dt * A
    zero = z == 0
    z_safe = torch.where(zero, 1., z)               # keeps the gradient finite at z = 0
    phi = torch.where(zero, 1., torch.expm1(z_safe) / z_safe)
    return x + dt * phi * F
