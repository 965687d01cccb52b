"""The Runge-Kutta engine shared by the explicit and adaptive methods.

A Butcher tableau ``(A, B, C)`` becomes one closure ``step(xs, t, ps, dt)``:

    k_i = f(x + dt * sum_j A[i][j] k_j, t + C[i] dt, *ps)
    x_new = x + dt * sum_i B[i] k_i

Zero coefficients are dropped when the closure is built, and stages that no
weight needs (directly or through a later stage) are never evaluated. With one
variable the closure works on values directly; with several, ``f`` returns one
derivative per variable and every stage moves all of them together.

Examples
--------
>>> from bptorch.integrators.ode.common import rk_step
>>> step = rk_step(lambda x, t: -x, 1, A=[(), (0.5,)], B=[0., 1.], C=[0., 0.5])
>>> step([1.], 0., [], 0.1)    # the midpoint rule: 1 - 0.1 * (1 - 0.05)
0.905
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

__all__ = ['rk_step', 'rk_lines', 'needed_stages', 'combine']


def needed_stages(A: Sequence[Sequence[float]], weights: Sequence[Sequence[float]]) -> list[bool]:
    """Which stages some nonzero weight needs, directly or through a later stage."""
    s = len(A)
    need = [any(w[i] != 0 for w in weights) for i in range(s)]
    for i in reversed(range(s)):
        if need[i]:
            for j, a in enumerate(A[i]):
                if a != 0:
                    need[j] = True
    return need


def _terms(coefs: Sequence[float], keep: Sequence[bool]) -> tuple[tuple[int, float], ...]:
    return tuple((j, float(a)) for j, a in enumerate(coefs) if a != 0 and keep[j])


def combine(terms: tuple[tuple[int, float], ...], ks: Sequence[Any], dt: Any) -> Any:
    """``dt * sum(a * ks[j] for j, a in terms)``, as ``sum((dt * a) * ks[j])``: with a
    Python ``dt`` the coefficients are numbers, so each term costs one operation."""
    j, a = terms[0]
    acc = (dt * a) * ks[j]
    for j, a in terms[1:]:
        acc = acc + (dt * a) * ks[j]
    return acc


def _one(k: Any, f: Callable) -> Any:
    if isinstance(k, (list, tuple)):
        if len(k) != 1:
            raise ValueError(f'the derivative function {f} returned {len(k)} values, but the '
                             'equation has one variable')
        return k[0]
    return k


def _several(k: Any, nv: int, f: Callable) -> Sequence[Any]:
    if not isinstance(k, (list, tuple)) or len(k) != nv:
        got = f'{len(k)} values' if isinstance(k, (list, tuple)) else f'a {type(k).__name__}'
        raise ValueError(f'the derivative function {f} returned {got}, but the equation has '
                         f'{nv} variables: return one derivative per variable, in order')
    return k


def rk_step(f: Callable, nv: int, A: Sequence[Sequence[float]], B: Sequence[float],
            C: Sequence[float], error: Callable | None = None,
            B_err: Sequence[float] | None = None) -> Callable:
    """The closure ``step(xs, t, ps, dt)`` of an explicit Runge-Kutta tableau.

    Parameters
    ----------
    f : callable
        The derivative function ``f(*xs, t, *ps)``.
    nv : int
        The number of variables.
    A, B, C : sequences
        The Butcher tableau (``A[i]`` holds the ``i`` coefficients of stage ``i``).
    error : callable, optional
        ``error(xs, tes, dt) -> dt_new`` for adaptive methods, given the local
        truncation errors ``tes = dt * sum_i B_err[i] k_i`` per variable; the step
        then returns the new values followed by ``dt_new``.
    B_err : sequence, optional
        The error weights ``b_i - b*_i`` (with ``error``).

    Returns
    -------
    callable
        ``step(xs, t, ps, dt)``: the new value (one variable) or the tuple of new
        values, plus ``dt_new`` when ``error`` is given.
    """
    weights = [B] + ([B_err] if error is not None else [])
    keep = needed_stages(A, weights)
    stages = tuple((i, _terms(A[i], keep), float(C[i])) for i in range(len(A)) if keep[i])
    b = _terms(B, keep)
    e = _terms(B_err, keep) if error is not None else ()

    if (nv == 1 and error is None and len(stages) == 1 and not stages[0][1]
            and stages[0][2] == 0. and len(b) == 1):
        a0 = b[0][1]                                # forward Euler: one evaluation

        def step(xs, t, ps, dt):
            x = xs[0]
            return x + (dt * a0) * _one(f(x, t, *ps), f)
        return step

    if nv == 1:
        def step(xs, t, ps, dt):
            x = xs[0]
            ks = [None] * len(A)
            for i, row, c in stages:
                xi = x + combine(row, ks, dt) if row else x
                ti = t if c == 0. else (t + dt if c == 1. else t + c * dt)
                ks[i] = _one(f(xi, ti, *ps), f)
            new = x + combine(b, ks, dt)
            if error is None:
                return new
            te = combine(e, ks, dt) if e else 0. * new
            return new, error([x], [te], dt)
        return step

    s = len(A)
    rng = range(nv)

    def step(xs, t, ps, dt):
        kv = [[None] * s for _ in rng]        # kv[v][i]: stage i's derivative of variable v
        for i, row, c in stages:
            xi = [x + combine(row, kv[v], dt) for v, x in enumerate(xs)] if row else xs
            ti = t if c == 0. else (t + dt if c == 1. else t + c * dt)
            k = _several(f(*xi, ti, *ps), nv, f)
            for v in rng:
                kv[v][i] = k[v]
        news = tuple([x + combine(b, kv[v], dt) for v, x in enumerate(xs)])
        if error is None:
            return news
        tes = [combine(e, kv[v], dt) if e else 0. * news[v] for v in rng]
        return news + (error(xs, tes, dt),)
    return step


def _num(a: float) -> str:
    return repr(float(a))


def rk_lines(variables: Sequence[str], parameters: Sequence[str], A, B, C,
             B_err=None) -> list[str]:
    """BrainPy-style text of one step of the tableau (what ``show_code=True`` prints)."""
    lines = []
    keep = needed_stages(A, [B] + ([B_err] if B_err is not None else []))
    pars = list(parameters[1:])
    for i in range(len(A)):
        if not keep[i]:
            continue
        args = []
        for v in variables:
            arg = v + ''.join(f' + dt * d{v}_k{j + 1}' + ('' if a == 1 else f' * {_num(a)}')
                              for j, a in enumerate(A[i]) if a != 0 and keep[j])
            if arg != v:
                lines.append(f'k{i + 1}_{v}_arg = {arg}')
                arg = f'k{i + 1}_{v}_arg'
            args.append(arg)
        if C[i] != 0:
            lines.append(f'k{i + 1}_t_arg = t + dt' + ('' if C[i] == 1 else f' * {_num(C[i])}'))
            args.append(f'k{i + 1}_t_arg')
        else:
            args.append('t')
        derivs = ', '.join(f'd{v}_k{i + 1}' for v in variables)
        lines.append(f'{derivs} = f({", ".join(args + pars)})')
    for v in variables:
        lines.append(f'{v}_new = {v}' + ''.join(f' + d{v}_k{i + 1} * dt * {_num(w)}'
                                               for i, w in enumerate(B) if w != 0))
    return lines
