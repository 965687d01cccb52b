"""Synaptic operators: pre-to-post, pre-to-syn, syn-to-post and segment reductions
(BrainPy 2.1.12's ``brainpy.math.operators``).

A connection of ``num_syn`` synapses is given by index arrays: ``pre_ids`` and
``post_ids`` (one pair per synapse), or ``pre2post = (indices, indptr)`` (CSR: the
posts of pre neuron ``i`` are ``indices[indptr[i]:indptr[i + 1]]``), as
``bp.connect`` makes them. Every operator is one vectorised gather and one
scatter (``index_add`` / ``scatter_reduce``): no Python loop, nothing read back
to the host, differentiable in the values (``bm.grad``, ``torch.autograd``), usable
under ``bm.vmap`` and ``bm.jit``, on the device of the data.

Results follow BrainPy 2.1.12 (which follows JAX's ``segment_*``): ``pre2post_*``
start from zeros (so ``pre2post_prod`` is zero and ``pre2post_max`` is at least 0,
as BrainPy computes them); ``syn2post_prod`` gives 1, ``syn2post_max`` ``-inf`` and
``syn2post_min`` ``+inf`` (the dtype's extremes for integers) for posts without
synapses; ``syn2post_mean`` and ``syn2post_softmax`` give 0 there. Float results have
the dtype of float values (the default float otherwise); boolean synaptic values
count as integers. ``segment_*`` drop ids outside ``[0, num_segments)`` as JAX does;
the synaptic operators, used in the step loop, expect in-range ids.

``pre2post_event_sum`` / ``pre2post_event_prod`` need no compiled extension here
(BrainPy's need ``brainpylib``); ``register_op`` (numba kernels) is not supported.

Examples
--------
>>> import bptorch.math as bm
>>> pre_ids, post_ids = bm.asarray([0, 0, 1, 2]), bm.asarray([0, 1, 1, 2])
>>> bm.pre2post_sum(bm.asarray([1., 2., 3.]), 3, post_ids, pre_ids)
tensor([1., 3., 3.])
>>> bm.syn2post_max(bm.asarray([1., 5., 2., 0.]), post_ids, 4)
tensor([1., 5., 0., -inf])
"""

from __future__ import annotations

import weakref
from typing import Any, Callable

import torch

from bptorch import _compat
from bptorch.errors import MathError
from bptorch.math import settings
from bptorch.math.variables import Variable, as_tensor

__all__ = [
    'pre2post_sum', 'pre2post_prod', 'pre2post_max', 'pre2post_min', 'pre2post_mean',
    'pre2syn',
    'syn2post_sum', 'syn2post', 'syn2post_prod', 'syn2post_max', 'syn2post_min',
    'syn2post_mean', 'syn2post_softmax',
    'pre2post_event_sum', 'pre2post_event_prod',
    'sparse_matmul', 'segment_sum', 'segment_prod', 'segment_max', 'segment_min',
    'register_op',
]


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------

def _ids(ids: Any, name: str, device=None) -> torch.Tensor:
    if (type(ids) is torch.Tensor and ids.dtype is torch.int64 and ids.dim() == 1
            and (device is None or ids.device == device)):
        return ids                                   # the common case, checked cheaply
    t = as_tensor(ids, device=device)
    if t.is_floating_point() or t.is_complex() or t.dtype == torch.bool:
        raise MathError(f'"{name}" must be integer indices, but we got dtype {t.dtype}')
    if t.dim() != 1:
        t = t.reshape(-1)
    return t if t.dtype == torch.int64 else t.to(torch.int64)


def _num(n: Any, name: str) -> int:
    if isinstance(n, bool):
        raise MathError(f'"{name}" must be an int, but we got {n!r}')
    try:
        return int(n)
    except (TypeError, ValueError):
        raise MathError(f'"{name}" must be an int, but we got {n!r}') from None


def _float_of(values: torch.Tensor) -> torch.dtype:
    if values.is_floating_point() or values.is_complex():
        return values.dtype
    return settings.float_()


def _values(x: Any, device=None) -> torch.Tensor:
    """``x`` as a tensor to read (a Variable's own tensor: these operators never write
    their inputs, so no copy is made)."""
    if type(x) is torch.Tensor and device is None:
        return x
    return x._read() if isinstance(x, Variable) else as_tensor(x, device=device)


def _empty_fill(reduce: str, dtype: torch.dtype):
    """What a segment without members holds (JAX's ``segment_*`` identities)."""
    if reduce == 'sum':
        return 0
    if reduce == 'prod':
        return 1
    if dtype.is_floating_point:
        return float('-inf') if reduce == 'amax' else float('inf')
    if dtype == torch.bool:
        return reduce != 'amax'
    info = torch.iinfo(dtype)
    return info.min if reduce == 'amax' else info.max


def _scatter(values: torch.Tensor, ids: torch.Tensor, num: int, reduce: str,
             init: Any) -> torch.Tensor:
    """``out[ids[k]] (reduce)= values[k]`` on ``out = full((num,) + rest, init)``."""
    shape = (num,) + tuple(values.shape[1:])
    out = torch.full(shape, init, dtype=values.dtype, device=values.device)
    if reduce == 'sum':
        return out.index_add(0, ids, values)
    index = ids.reshape((-1,) + (1,) * (values.dim() - 1)).expand_as(values)
    return out.scatter_reduce(0, index, values, reduce=reduce, include_self=True)


def _segment(data: torch.Tensor, ids: torch.Tensor, num: int, reduce: str) -> torch.Tensor:
    """JAX's ``segment_*``: segments without members hold the reduction's identity."""
    if data.dtype == torch.bool:
        data = data.to(torch.int32)
    return _scatter(data, ids, num, reduce, _empty_fill(reduce, data.dtype))


def _pre_gather(pre_values: torch.Tensor, pre_ids: Any, what: str) -> torch.Tensor:
    if pre_ids is None:
        raise MathError(f'{what}: pre2post synaptic computation needs "pre_ids" when providing '
                        f'heterogeneous "pre_values" (brainpy.math.ndim(pre_values) != 0).')
    return pre_values.index_select(0, _ids(pre_ids, 'pre_ids', pre_values.device))


def _pre2post(pre_values: Any, post_num: Any, post_ids: Any, pre_ids: Any, reduce: str,
              what: str) -> torch.Tensor:
    post_num = _num(post_num, 'post_num')
    pre_values = _values(pre_values)
    post_ids = _ids(post_ids, 'post_ids', pre_values.device)
    dtype = _float_of(pre_values)
    if pre_values.dim() == 0:
        syn = pre_values.to(dtype).expand(post_ids.shape[0])
    else:
        syn = _pre_gather(pre_values, pre_ids, what).to(dtype)
    return _scatter(syn, post_ids, post_num, reduce, 0)


# ---------------------------------------------------------------------------------------
# pre-to-post
# ---------------------------------------------------------------------------------------

def pre2post_sum(pre_values: Any, post_num: int, post_ids: Any,
                 pre_ids: Any = None) -> torch.Tensor:
    """The pre-to-post synaptic summation: ``post[post_ids[k]] += pre_values[pre_ids[k]]``.

    Parameters
    ----------
    pre_values : float or tensor
        The pre-synaptic values (a scalar is the same for every synapse).
    post_num : int
        The number of post-synaptic neurons.
    post_ids, pre_ids : tensor
        The post- and pre-synaptic neuron of each synapse (``pre_ids`` is needed when
        ``pre_values`` is an array).

    Returns
    -------
    tensor
        Shape ``(post_num,)`` (plus the trailing shape of ``pre_values``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.pre2post_sum(bm.asarray([1., 10.]), 3, bm.asarray([0, 2, 2]), bm.asarray([0, 0, 1]))
    tensor([ 1.,  0., 11.])
    >>> bm.pre2post_sum(2., 3, bm.asarray([0, 2, 2]))
    tensor([2., 0., 4.])
    """
    return _pre2post(pre_values, post_num, post_ids, pre_ids, 'sum', 'pre2post_sum')


def pre2post_prod(pre_values: Any, post_num: int, post_ids: Any,
                  pre_ids: Any = None) -> torch.Tensor:
    """The pre-to-post synaptic product, as BrainPy 2.1.12 computes it: the result starts
    from zeros (``post = zeros; post[post_ids[k]] *= pre_values[pre_ids[k]]``), so it is 0.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.pre2post_prod(bm.asarray([2., 3.]), 2, bm.asarray([0, 0]), bm.asarray([0, 1]))
    tensor([0., 0.])
    """
    return _pre2post(pre_values, post_num, post_ids, pre_ids, 'prod', 'pre2post_prod')


def pre2post_max(pre_values: Any, post_num: int, post_ids: Any,
                 pre_ids: Any = None) -> torch.Tensor:
    """The pre-to-post synaptic maximum, from zeros: ``post[j] = max(0, max_k pre_values[...])``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.pre2post_max(bm.asarray([2., -3.]), 3, bm.asarray([0, 1]), bm.asarray([0, 1]))
    tensor([2., 0., 0.])
    """
    return _pre2post(pre_values, post_num, post_ids, pre_ids, 'amax', 'pre2post_max')


def pre2post_min(pre_values: Any, post_num: int, post_ids: Any,
                 pre_ids: Any = None) -> torch.Tensor:
    """The pre-to-post synaptic minimum, from zeros: ``post[j] = min(0, min_k pre_values[...])``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.pre2post_min(bm.asarray([2., -3.]), 3, bm.asarray([0, 1]), bm.asarray([0, 1]))
    tensor([ 0., -3.,  0.])
    """
    return _pre2post(pre_values, post_num, post_ids, pre_ids, 'amin', 'pre2post_min')


def pre2post_mean(pre_values: Any, post_num: int, post_ids: Any,
                  pre_ids: Any = None) -> torch.Tensor:
    """The pre-to-post synaptic mean (0 for posts without synapses).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.pre2post_mean(bm.asarray([1., 3.]), 3, bm.asarray([0, 0]), bm.asarray([0, 1]))
    tensor([2., 0., 0.])
    >>> bm.pre2post_mean(5., 3, bm.asarray([0, 2]))
    tensor([5., 0., 5.])
    """
    post_num = _num(post_num, 'post_num')
    pre_values = _values(pre_values)
    post_ids = _ids(post_ids, 'post_ids', pre_values.device)
    if pre_values.dim() == 0:
        out = torch.zeros(post_num, dtype=_float_of(pre_values), device=pre_values.device)
        hit = torch.zeros(post_num, dtype=torch.bool, device=pre_values.device)
        hit = hit.index_fill(0, post_ids, True)
        return torch.where(hit, pre_values.to(out.dtype), out)
    syn = _pre_gather(pre_values, pre_ids, 'pre2post_mean')
    return syn2post_mean(syn, post_ids, post_num)


def pre2syn(pre_values: Any, pre_ids: Any) -> torch.Tensor:
    """The pre-synaptic values of each synapse: ``syn[k] = pre_values[pre_ids[k]]``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.pre2syn(bm.asarray([1., 2.]), bm.asarray([1, 1, 0]))
    tensor([2., 2., 1.])
    >>> bm.pre2syn(3., bm.asarray([0, 1]))
    tensor([3., 3.])
    """
    pre_values = _values(pre_values)
    pre_ids = _ids(pre_ids, 'pre_ids', pre_values.device)
    if pre_values.dim() == 0:
        return pre_values.expand(pre_ids.shape[0]).clone()
    return pre_values.index_select(0, pre_ids)


# ---------------------------------------------------------------------------------------
# syn-to-post
# ---------------------------------------------------------------------------------------

def _syn2post(syn_values: Any, post_ids: Any, post_num: Any, reduce: str) -> torch.Tensor:
    syn_values = _values(syn_values)
    post_ids = _ids(post_ids, 'post_ids', syn_values.device)
    return _segment(syn_values, post_ids, _num(post_num, 'post_num'), reduce)


def syn2post_sum(syn_values: Any, post_ids: Any, post_num: int,
                 indices_are_sorted: bool = True) -> torch.Tensor:
    """The syn-to-post summation: ``post[post_ids[k]] += syn_values[k]``.

    ``indices_are_sorted`` is a hint (accepted, not needed). Boolean values are summed
    as int32.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.syn2post_sum(bm.asarray([1., 2., 3.]), bm.asarray([0, 0, 2]), 3)
    tensor([3., 0., 3.])
    >>> bm.syn2post(bm.asarray([True, True, False]), bm.asarray([0, 0, 2]), 3)
    tensor([2, 0, 0], dtype=torch.int32)
    """
    return _syn2post(syn_values, post_ids, post_num, 'sum')


syn2post = syn2post_sum


def syn2post_prod(syn_values: Any, post_ids: Any, post_num: int,
                  indices_are_sorted: bool = True) -> torch.Tensor:
    """The syn-to-post product (1 for posts without synapses).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.syn2post_prod(bm.asarray([2., 3., 4.]), bm.asarray([0, 0, 2]), 3)
    tensor([6., 1., 4.])
    """
    return _syn2post(syn_values, post_ids, post_num, 'prod')


def syn2post_max(syn_values: Any, post_ids: Any, post_num: int,
                 indices_are_sorted: bool = True) -> torch.Tensor:
    """The syn-to-post maximum (``-inf``, or the integer minimum, for posts without synapses).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.syn2post_max(bm.asarray([2., 3., 4.]), bm.asarray([0, 0, 2]), 3)
    tensor([3., -inf, 4.])
    """
    return _syn2post(syn_values, post_ids, post_num, 'amax')


def syn2post_min(syn_values: Any, post_ids: Any, post_num: int,
                 indices_are_sorted: bool = True) -> torch.Tensor:
    """The syn-to-post minimum (``+inf``, or the integer maximum, for posts without synapses).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.syn2post_min(bm.asarray([2., 3., 4.]), bm.asarray([0, 0, 2]), 3)
    tensor([2., inf, 4.])
    """
    return _syn2post(syn_values, post_ids, post_num, 'amin')


def syn2post_mean(syn_values: Any, post_ids: Any, post_num: int,
                  indices_are_sorted: bool = True) -> torch.Tensor:
    """The syn-to-post mean (0 for posts without synapses).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.syn2post_mean(bm.asarray([2., 4., 4.]), bm.asarray([0, 0, 2]), 3)
    tensor([3., 0., 4.])
    """
    syn_values = _values(syn_values)
    post_ids = _ids(post_ids, 'post_ids', syn_values.device)
    num = _num(post_num, 'post_num')
    if syn_values.dtype == torch.bool:
        syn_values = syn_values.to(torch.int32)
    total = _segment(syn_values, post_ids, num, 'sum')
    count = _segment(torch.ones_like(syn_values), post_ids, num, 'sum')
    return torch.nan_to_num(total / count)


def syn2post_softmax(syn_values: Any, post_ids: Any, post_num: int,
                     indices_are_sorted: bool = True) -> torch.Tensor:
    """The softmax of the synaptic values over the synapses of each post (one value per synapse).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.syn2post_softmax(bm.asarray([0., 0., 5.]), bm.asarray([0, 0, 1]), 2)
    tensor([0.5000, 0.5000, 1.0000])
    """
    syn_values = _values(syn_values)
    post_ids = _ids(post_ids, 'post_ids', syn_values.device)
    num = _num(post_num, 'post_num')
    if syn_values.dtype == torch.bool:
        syn_values = syn_values.to(torch.int32)
    maxima = _segment(syn_values, post_ids, num, 'amax')
    shifted = torch.exp(syn_values - maxima.index_select(0, post_ids))
    norm = _segment(shifted, post_ids, num, 'sum')
    return torch.nan_to_num(shifted / norm.index_select(0, post_ids))


# ---------------------------------------------------------------------------------------
# event-driven pre-to-post
# ---------------------------------------------------------------------------------------

def _csr(pre2post: Any, device) -> tuple[torch.Tensor, torch.Tensor]:
    if not isinstance(pre2post, (tuple, list)) or len(pre2post) != 2:
        raise MathError(f'"pre2post" must be a tuple (indices, indptr), but we got '
                        f'{type(pre2post).__name__}')
    indices = _ids(pre2post[0], 'pre2post[0] (indices)', device)
    indptr = _ids(pre2post[1], 'pre2post[1] (indptr)', device)
    return indices, indptr


def csr_pre_ids(indptr: torch.Tensor, num_syn: int) -> torch.Tensor:
    """The pre neuron of each synapse of a CSR structure (no host synchronisation).

    Examples
    --------
    >>> import torch
    >>> from bptorch.math.operators import csr_pre_ids
    >>> csr_pre_ids(torch.tensor([0, 2, 2, 3]), 3)
    tensor([0, 0, 2])
    """
    syn = torch.arange(num_syn, device=indptr.device, dtype=indptr.dtype)
    return torch.searchsorted(indptr, syn, right=True) - 1


_PRE_IDS: dict = {}      # id(indptr) -> (weak ref, version, num_syn, pre_ids)


def _pre_ids_of(indptr: torch.Tensor, num_syn: int) -> torch.Tensor:
    """:func:`csr_pre_ids`, remembered for the last few CSR structures seen (the event
    operators are called at every step with the same ``pre2post``)."""
    if _compat.is_dynamo_compiling():
        return csr_pre_ids(indptr, num_syn)
    key = id(indptr)
    hit = _PRE_IDS.get(key)
    if hit is not None and hit[0]() is indptr and hit[1] == _compat.version(indptr) \
            and hit[2] == num_syn:
        return hit[3]
    pre_ids = csr_pre_ids(indptr, num_syn)
    if len(_PRE_IDS) >= 64:
        _PRE_IDS.pop(next(iter(_PRE_IDS)))
    _PRE_IDS[key] = (weakref.ref(indptr), _compat.version(indptr), num_syn, pre_ids)
    return pre_ids


def _event_values(events: torch.Tensor, pre_ids: torch.Tensor, values: Any,
                  neutral: float) -> torch.Tensor:
    """Each synapse's contribution: ``values`` where its pre neuron has an event, else
    ``neutral``; float events weight the values (differentiable in both)."""
    ev = events.reshape(-1).index_select(0, pre_ids)
    values = _values(values, device=events.device)
    dtype = _float_of(values)
    if ev.dtype != torch.bool:
        dtype = torch.promote_types(dtype, _float_of(ev))
    values = values.to(dtype)
    if neutral == 0:
        return ev.to(dtype) * values
    return torch.where(ev.to(torch.bool) if ev.dtype != torch.bool else ev, values, neutral)


class EventRows:
    """The posts of each pre neuron of a CSR connection, padded into rows, for the
    event-driven sums: row ``i`` holds the posts of pre neuron ``i`` (and, for per-synapse
    values, their synapse ids), padded with ``post_num`` (and ``num_syn``), a bin that is
    dropped. Built once per connection (:func:`event_rows`). ``synapse_ids``: the index
    of each CSR synapse in the order of the per-synapse values (default: CSR order).

    With boolean events, :meth:`sum` gathers the rows of the neurons that have an event
    (``nonzero``, ``index_select``) and counts (``bincount``) or adds (``index_add``)
    into the posts: ``O(events x max posts)`` work instead of ``O(num_syn)``.
    """

    __slots__ = ('posts', 'syn', 'post_num', 'num_syn', '__weakref__')

    def __init__(self, indices: torch.Tensor, indptr: torch.Tensor, post_num: int,
                 synapse_ids: torch.Tensor | None = None):
        pre_num, num_syn = indptr.shape[0] - 1, indices.shape[0]
        degree = indptr[1:] - indptr[:-1]
        width = int(degree.max()) if pre_num > 0 and num_syn > 0 else 0
        mask = torch.arange(width, device=indices.device) < degree.unsqueeze(1)
        self.posts = torch.full((pre_num, width), post_num, dtype=torch.int64,
                                device=indices.device)
        self.posts[mask] = indices
        self.syn = torch.full((pre_num, width), num_syn, dtype=torch.int64, device=indices.device)
        self.syn[mask] = (torch.arange(num_syn, device=indices.device) if synapse_ids is None
                          else synapse_ids)
        self.post_num, self.num_syn = post_num, num_syn

    def sum(self, events: torch.Tensor, values: Any, dtype: torch.dtype) -> torch.Tensor:
        """``out[post] = sum of values`` over the synapses of the pre neurons with an event
        (``events`` boolean, one per pre neuron; ``values`` a number, a 0-d tensor or one
        per synapse). In code that ``torch.compile`` traces, the data-dependent part runs
        as one registered operator (``torch.ops.bptorch.event_count`` /
        ``event_values``), so the compiled graph has static shapes."""
        events = events.reshape(-1)
        compiling = _compat.is_dynamo_compiling()
        if isinstance(values, torch.Tensor) and values.numel() != 1:
            if values.numel() != self.num_syn:
                raise MathError(f'the event sum needs one value for all synapses or one per '
                                f'synapse ({self.num_syn}), but we got {values.numel()} values')
            values = values.reshape(-1).to(dtype)
            if compiling:
                return torch.ops.bptorch.event_values(events, self.posts, self.syn, values,
                                                      self.post_num)
            return _event_values_sum(events, self.posts, self.syn, values, self.post_num)
        if compiling:
            counts = torch.ops.bptorch.event_count(events, self.posts, self.post_num)
            if isinstance(values, torch.Tensor):
                return counts.to(dtype) * values.reshape(()).to(dtype)
            return counts.to(dtype) * values if values != 1 else counts.to(dtype)
        hits = self.posts.index_select(0, events.nonzero().view(-1)).view(-1)
        out = torch.zeros(self.post_num + 1, dtype=dtype, device=events.device)
        if isinstance(values, torch.Tensor):          # (differentiable in a 0-d tensor)
            out.index_add_(0, hits, values.reshape(1).to(dtype).expand(hits.shape[0]))
        else:
            out.index_add_(0, hits, _ones(dtype, events.device).expand(hits.shape[0]),
                           alpha=values)
        return out[:self.post_num]


_ONES: dict = {}


def _ones(dtype: torch.dtype, device: torch.device) -> torch.Tensor:
    """A cached one-element tensor of ones (expanded, never written)."""
    key = (dtype, device)
    one = _ONES.get(key)
    if one is None:
        one = _ONES[key] = torch.ones(1, dtype=dtype, device=device)
    return one


def _event_count(events: torch.Tensor, posts: torch.Tensor, post_num: int) -> torch.Tensor:
    """How many synapses of the pre neurons with an event reach each post (int64)."""
    rows = posts.index_select(0, events.nonzero().view(-1)).view(-1)
    return torch.bincount(rows, minlength=post_num + 1)[:post_num]


def _event_values_sum(events: torch.Tensor, posts: torch.Tensor, syn: torch.Tensor,
                      values: torch.Tensor, post_num: int) -> torch.Tensor:
    """The sum at each post of ``values`` over the synapses of the pre neurons with an event
    (differentiable in ``values``)."""
    fired = events.nonzero().squeeze(1)
    rows = posts.index_select(0, fired).reshape(-1)
    padded = torch.cat([values, values.new_zeros(1)])
    contrib = padded.index_select(0, syn.index_select(0, fired).reshape(-1))
    out = torch.zeros(post_num + 1, dtype=values.dtype, device=values.device)
    return out.index_add(0, rows, contrib)[:post_num]


def _event_values_grad(events: torch.Tensor, posts: torch.Tensor, syn: torch.Tensor,
                       grad: torch.Tensor, num_syn: int) -> torch.Tensor:
    """The gradient of :func:`_event_values_sum` in ``values``: ``grad`` at the post of each
    synapse of a pre neuron with an event, zero elsewhere."""
    fired = events.nonzero().squeeze(1)
    rows = posts.index_select(0, fired).reshape(-1)
    ids = syn.index_select(0, fired).reshape(-1)
    padded = torch.cat([grad, grad.new_zeros(1)])
    out = grad.new_zeros(num_syn + 1).index_add(0, ids, padded.index_select(0, rows))
    return out[:num_syn]


def _event_values_backward(ctx, grad):
    events, posts, syn = ctx.saved_tensors
    return None, None, None, torch.ops.bptorch.event_values_grad(events, posts, syn, grad,
                                                                 ctx.num_syn), None


def _event_values_setup(ctx, inputs, output):
    events, posts, syn, values, _ = inputs
    ctx.save_for_backward(events, posts, syn)
    ctx.num_syn = values.shape[0]


# The event sums as operators of their own, for compiled code: torch.compile sees one
# call with an output of static shape (post_num,) (the gather of the rows of the neurons
# with an event has a data-dependent size, which a traced graph cannot hold).
_LIB = torch.library.Library('bptorch', 'DEF')
_LIB.define('event_count(Tensor events, Tensor posts, int post_num) -> Tensor')
_LIB.define('event_values(Tensor events, Tensor posts, Tensor syn, Tensor values, '
            'int post_num) -> Tensor')
_LIB.impl('event_count', _event_count, 'CPU')
_LIB.impl('event_count', lambda events, posts, post_num:
          posts.new_empty((post_num,), dtype=torch.int64), 'Meta')
_LIB.impl('event_values', _event_values_sum, 'CPU')
_LIB.impl('event_values', lambda events, posts, syn, values, post_num:
          values.new_empty((post_num,)), 'Meta')
_LIB.define('event_values_grad(Tensor events, Tensor posts, Tensor syn, Tensor grad, '
            'int num_syn) -> Tensor')
_LIB.impl('event_values_grad', _event_values_grad, 'CPU')
_LIB.impl('event_values_grad', lambda events, posts, syn, grad, num_syn:
          grad.new_empty((num_syn,)), 'Meta')
torch.library.register_autograd('bptorch::event_values', _event_values_backward,
                                setup_context=_event_values_setup)


_EVENT_ROWS: dict = {}   # (id(indices), id(indptr)) -> (refs, versions, post_num, EventRows)


def event_rows(indices: torch.Tensor, indptr: torch.Tensor,
               post_num: int) -> EventRows | None:
    """The :class:`EventRows` of a CSR connection, remembered for the last few seen
    (keyed by the identity and version of ``indices`` and ``indptr``). In code that
    ``torch.compile`` traces, only a connection already seen eagerly is found (by
    identity; None otherwise: its rows cannot be built in a traced graph)."""
    key = (id(indices), id(indptr))
    hit = _EVENT_ROWS.get(key)
    if _compat.is_dynamo_compiling():
        if hit is not None and hit[0]() is indices and hit[1]() is indptr and hit[3] == post_num:
            return hit[4]
        return None
    versions = (_compat.version(indices), _compat.version(indptr))
    if hit is not None and hit[0]() is indices and hit[1]() is indptr and hit[2] == versions \
            and hit[3] == post_num:
        return hit[4]
    rows = EventRows(indices, indptr, post_num)
    if len(_EVENT_ROWS) >= 64:
        _EVENT_ROWS.pop(next(iter(_EVENT_ROWS)))
    _EVENT_ROWS[key] = (weakref.ref(indices), weakref.ref(indptr), versions, post_num, rows)
    return rows


def event_driven(events: torch.Tensor) -> bool:
    """Whether an event sum over ``events`` runs event-driven (:class:`EventRows`):
    boolean events on the CPU, eagerly outside ``torch.func`` transforms (whose vmap cannot
    take the data-dependent ``nonzero``) or in code ``torch.compile`` traces (as a
    registered operator). Elsewhere the sum goes over every synapse (on CUDA that avoids
    a host synchronisation per step)."""
    if events.dtype != torch.bool or events.device.type != 'cpu':
        return False
    return _compat.is_dynamo_compiling() or not _compat.functorch_level_active()


def pre2post_event_sum(events: Any, pre2post: Any, post_num: int,
                       values: Any = 1.) -> torch.Tensor:
    """The event-driven pre-to-post summation: for each pre neuron with an event, add
    ``values`` (one for all, or one per synapse) to its posts.

    Parameters
    ----------
    events : tensor
        One event per pre neuron: bool (BrainPy's spikes), or floats (each event
        weighted by its value, differentiable, e.g. surrogate spikes).
    pre2post : tuple of tensor
        ``(indices, indptr)`` as ``conn.require('pre2post')`` gives them.
    post_num : int
        The number of post-synaptic neurons.
    values : float or tensor
        A weight for every synapse, or one per synapse (``len(indices)``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> indices, indptr = bm.asarray([0, 1, 1, 2]), bm.asarray([0, 2, 4])
    >>> bm.pre2post_event_sum(bm.asarray([True, False]), (indices, indptr), 3, 0.5)
    tensor([0.5000, 0.5000, 0.0000])
    >>> bm.pre2post_event_sum(bm.asarray([True, True]), (indices, indptr), 3,
    ...                       bm.asarray([1., 2., 3., 4.]))
    tensor([1., 5., 4.])
    """
    events = _values(events)
    indices, indptr = _csr(pre2post, events.device)
    post_num = _num(post_num, 'post_num')
    rows = event_rows(indices, indptr, post_num) if event_driven(events) else None
    if rows is not None:
        if not isinstance(values, (int, float)):
            values = _values(values, device=events.device)
        dtype = _float_of(values) if isinstance(values, torch.Tensor) else settings.float_()
        if isinstance(values, bool):
            values = float(values)
        return rows.sum(events, values, dtype)
    pre_ids = _pre_ids_of(indptr, indices.shape[0])
    syn = _event_values(events, pre_ids, values, 0.)
    return _scatter(syn, indices, post_num, 'sum', 0)


def pre2post_event_prod(events: Any, pre2post: Any, post_num: int,
                        values: Any = 1.) -> torch.Tensor:
    """The event-driven pre-to-post product: posts start at 1 and are multiplied by
    ``values`` for each synapse whose pre neuron has an event.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> indices, indptr = bm.asarray([0, 1, 1, 2]), bm.asarray([0, 2, 4])
    >>> bm.pre2post_event_prod(bm.asarray([True, True]), (indices, indptr), 3,
    ...                        bm.asarray([1., 2., 3., 4.]))
    tensor([1., 6., 4.])
    """
    events = _values(events)
    indices, indptr = _csr(pre2post, events.device)
    pre_ids = _pre_ids_of(indptr, indices.shape[0])
    syn = _event_values(events, pre_ids, values, 1.)
    return _scatter(syn, indices, _num(post_num, 'post_num'), 'prod', 1)


# ---------------------------------------------------------------------------------------
# sparse matmul and segments
# ---------------------------------------------------------------------------------------

def _sparse_parts(sparse: dict):
    try:
        values, (rows, cols), shape = sparse['data'], sparse['index'], sparse['shape']
    except (KeyError, TypeError, ValueError):
        raise ValueError('sparse_matmul: a sparse matrix is a dict with "data", "index" '
                         '(rows, cols) and "shape"') from None
    if len(shape) != 2:
        raise ValueError(f'Sparse matrix must be a two-dimensional matrix. But we got {shape}')
    values = _values(values)
    rows, cols = _ids(rows, 'rows', values.device), _ids(cols, 'cols', values.device)
    return values, rows, cols, tuple(shape)


def sparse_matmul(A: Any, B: Any) -> torch.Tensor:
    r"""Sparse matrix multiplication :math:`A @ B`, one of them sparse.

    A sparse matrix is a dict ``{'data': values, 'index': (rows, cols), 'shape': (N, M)}``
    (BrainPy's format); the other operand is a 1-d or 2-d tensor.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> sparse = {'data': bm.asarray([2, 4, 1, 3, 2]), 'index': (bm.asarray([0, 0, 1, 2, 2]),
    ...           bm.asarray([1, 3, 0, 1, 3])), 'shape': (3, 4)}
    >>> bm.sparse_matmul(sparse, bm.arange(4))
    tensor([14,  0,  9])
    >>> bm.sparse_matmul(bm.arange(3), sparse)
    tensor([1, 6, 0, 4])
    """
    if isinstance(A, dict):
        if isinstance(B, dict) or not isinstance(B, (torch.Tensor, Variable)):
            raise ValueError(f'A and B cannot be both sparse. \nA:\n{A}\nB:\n{B}')
        values, rows, cols, shape = _sparse_parts(A)
        dense = _values(B)
        if dense.dim() not in (1, 2):
            raise ValueError('Dense matrix must be a one- or two-dimensional matrix.')
        taken = dense.index_select(0, cols)
        prod = taken * (values.reshape(-1, 1) if taken.dim() == 2 else values)
        return _scatter(prod, rows, shape[0], 'sum', 0)
    if not isinstance(B, dict):
        raise ValueError(f'A and B cannot be both dense. \nA:\n{A}\nB:\n{B}')
    values, rows, cols, shape = _sparse_parts(B)
    dense = _values(A)
    if dense.dim() not in (1, 2):
        raise ValueError('Dense matrix must be a one- or two-dimensional matrix.')
    if dense.dim() == 2:
        prod = (dense.index_select(1, rows) * values).T
        return _scatter(prod, cols, shape[1], 'sum', 0).T
    return _scatter(dense.index_select(0, rows) * values, cols, shape[1], 'sum', 0)


_MODES = (None, 'fill', 'drop', 'clip', 'promise_in_bounds')


def _segment_public(data: Any, segment_ids: Any, num_segments: Any, mode: Any, reduce: str,
                    api: str) -> torch.Tensor:
    data = _values(data)
    ids = as_tensor(segment_ids, device=data.device)
    if ids.is_floating_point() or ids.dtype == torch.bool:
        raise MathError(f'{api}: "segment_ids" must be integers, but we got dtype {ids.dtype}')
    ids = ids.to(torch.int64)
    if ids.dim() != 1 or (data.dim() and ids.shape[0] != data.shape[0]):
        raise ValueError(f'{api}: "segment_ids" must be 1-d with one id per row of "data"; '
                         f'got shapes {tuple(ids.shape)} and {tuple(data.shape)}')
    mode = getattr(mode, 'name', mode)
    mode = mode.lower() if isinstance(mode, str) else mode
    if mode not in _MODES and mode not in ('fill_or_drop',):
        raise ValueError(f'{api}: "mode" must be one of "fill", "drop", "clip", '
                         f'"promise_in_bounds" or None, but we got {mode!r}')
    num = int(ids.max()) + 1 if num_segments is None else _num(num_segments, 'num_segments')
    if data.dtype == torch.bool:
        data = data.to(torch.int32)
    if mode == 'clip':
        ids = ids.clamp(0, num - 1)
    elif mode != 'promise_in_bounds':       # JAX drops out-of-range ids
        valid = (ids >= 0) & (ids < num)
        ids = torch.where(valid, ids, 0)
        fill = _empty_fill(reduce, data.dtype)
        keep = valid.reshape((-1,) + (1,) * (data.dim() - 1))
        data = torch.where(keep, data, torch.tensor(fill, dtype=data.dtype, device=data.device))
    return _segment(data, ids, num, reduce)


def segment_sum(data: Any, segment_ids: Any, num_segments: int | None = None,
                indices_are_sorted: bool = False, unique_indices: bool = False,
                bucket_size: int | None = None, mode: Any = None) -> torch.Tensor:
    """The sum of ``data`` over segments (``jax.ops.segment_sum``).

    ``num_segments`` defaults to ``max(segment_ids) + 1`` (read from the device);
    ``indices_are_sorted``, ``unique_indices`` and ``bucket_size`` are hints (accepted);
    ``mode``: ids out of range are dropped (``None``, ``'fill'``, ``'drop'``), clipped
    (``'clip'``) or trusted (``'promise_in_bounds'``).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.segment_sum(bm.asarray([1., 2., 3., 4.]), bm.asarray([0, 0, 1, 5]), 3)
    tensor([3., 3., 0.])
    """
    return _segment_public(data, segment_ids, num_segments, mode, 'sum', 'segment_sum')


def segment_prod(data: Any, segment_ids: Any, num_segments: int | None = None,
                 indices_are_sorted: bool = False, unique_indices: bool = False,
                 bucket_size: int | None = None, mode: Any = None) -> torch.Tensor:
    """The product of ``data`` over segments (``jax.ops.segment_prod``; 1 when empty).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.segment_prod(bm.asarray([2., 3., 4.]), bm.asarray([0, 0, 2]))
    tensor([6., 1., 4.])
    """
    return _segment_public(data, segment_ids, num_segments, mode, 'prod', 'segment_prod')


def segment_max(data: Any, segment_ids: Any, num_segments: int | None = None,
                indices_are_sorted: bool = False, unique_indices: bool = False,
                bucket_size: int | None = None, mode: Any = None) -> torch.Tensor:
    """The maximum of ``data`` over segments (``jax.ops.segment_max``; ``-inf`` when empty).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.segment_max(bm.asarray([2., 3., 4.]), bm.asarray([0, 0, 2]))
    tensor([3., -inf, 4.])
    """
    return _segment_public(data, segment_ids, num_segments, mode, 'amax', 'segment_max')


def segment_min(data: Any, segment_ids: Any, num_segments: int | None = None,
                indices_are_sorted: bool = False, unique_indices: bool = False,
                bucket_size: int | None = None, mode: Any = None) -> torch.Tensor:
    """The minimum of ``data`` over segments (``jax.ops.segment_min``; ``+inf`` when empty).

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.segment_min(bm.asarray([2, 3, 4]), bm.asarray([0, 0, 2]))
    tensor([                  2, 9223372036854775807,                   4])
    """
    return _segment_public(data, segment_ids, num_segments, mode, 'amin', 'segment_min')


def register_op(op_name: str, cpu_func: Callable, gpu_func: Callable | None = None,
                out_shapes: Any = None, apply_cpu_func_to_gpu: bool = False):
    """BrainPy's registration of numba kernels as XLA operators: not supported in bptorch.

    Write the operator with torch functions instead (they run on CPU and CUDA and are
    differentiable), or as a ``torch.autograd.Function``.

    Examples
    --------
    >>> import bptorch.math as bm
    >>> bm.register_op('my_op', lambda outs, ins: None)
    Traceback (most recent call last):
    ...
    NotImplementedError: bm.register_op (numba kernels as XLA operators) is not supported in bptorch; write 'my_op' with torch operations, or as a torch.autograd.Function
    """
    raise NotImplementedError(f'bm.register_op (numba kernels as XLA operators) is not supported '
                              f'in bptorch; write {op_name!r} with torch operations, or as a '
                              f'torch.autograd.Function')
