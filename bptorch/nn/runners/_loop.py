"""The time loop of the runners: ``bm.for_loop``, and a helper for trees of tensors.

:func:`run` calls ``bm.for_loop(body_fun, dyn_vars, operands)`` (BrainPy 2.1.12's
form: ``body_fun`` gets the slice of ``operands`` at each step, the results are
stacked along a new leading axis, and what the body writes to Variables carries
over from step to step). With ``jit`` the loop compiles the body once
(``torch.compile``) and calls the compiled step at every step.

A progress bar is the runner's own (``'Predict 100 steps'``, updated from the body)
when the body runs as Python, and ``bm.for_loop``'s when it is compiled (Python in a
compiled body would break its graph).
"""

from __future__ import annotations

from typing import Any, Callable

import torch

from bptorch.math.controls import for_loop

__all__ = ['run', 'tree_map']


def tree_map(fun: Callable, tree: Any) -> Any:
    """``fun`` on every tensor of a dict / list / tuple tree (None and others unchanged)."""
    if isinstance(tree, torch.Tensor):
        return fun(tree)
    if isinstance(tree, dict):
        return {k: tree_map(fun, v) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return type(tree)(tree_map(fun, v) for v in tree)
    return tree


def _num_steps(operands: Any) -> int:
    lengths = set()
    tree_map(lambda x: lengths.add(x.shape[0]), operands)
    return lengths.pop() if len(lengths) == 1 else -1


def run(step: Callable, dyn_vars: Any, operands: list, jit: bool, bar: Any = None) -> Any:
    """``step(*operands_t)`` at every index ``t`` of the leading axis; the stacked results.

    Parameters
    ----------
    step : callable
        One step, given the slices of the entries of ``operands``.
    dyn_vars : Variables
        The Variables the step changes (``bm.for_loop`` checks them; none are needed).
    operands : list
        Trees of tensors with a common leading (time) axis.
    jit : bool
        Compile the step once (``bm.for_loop(..., jit=True)``).
    bar : tqdm bar, optional
        The runner's progress bar: updated at each step when the step runs as Python;
        when it is compiled, the bar is closed and ``bm.for_loop`` shows its own.

    Examples
    --------
    >>> import torch
    >>> from bptorch.nn.runners._loop import run
    >>> run(lambda x, y: {'sum': x + y}, None, [torch.arange(3.), torch.ones(3)], jit=False)
    {'sum': tensor([1., 2., 3.])}
    """
    if _num_steps(operands) == 0:
        raise ValueError('there are no time steps to run (the time axis of the inputs is empty)')
    if jit and bar is not None:
        bar.close()
        return for_loop(lambda ops: step(*ops), dyn_vars, operands, jit=True, progress_bar=True)
    if bar is None:
        return for_loop(lambda ops: step(*ops), dyn_vars, operands, jit=jit)

    def body(ops):
        out = step(*ops)
        bar.update()
        return out
    return for_loop(body, dyn_vars, operands, jit=jit)
