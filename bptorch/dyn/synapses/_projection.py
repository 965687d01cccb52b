"""How a synapse group maps pre-synaptic values onto the post-synaptic neurons.

BrainPy 2.1.12's synapses lay out their weights (``g_max``) by the connection and
``conn_type``:

============  ===========================  =================================
connection    ``g_max`` (heterogeneous)    post-synaptic value
============  ===========================  =================================
One2One       ``(pre.num,)``               ``x * g_max``
All2All       ``(pre.num, post.num)``      ``x @ g_max`` (homogeneous:
                                           ``g_max * sum(x)``, minus ``x``
                                           without ``include_self``)
'sparse'      ``(num_syn,)``, synapses in  ``sum`` over the synapses of
              the connection's order       ``x[pre] * g_max``
'dense'       ``(pre.num, post.num)``      ``x @ (g_max * conn_mat)``
============  ===========================  =================================

(a scalar ``g_max`` is homogeneous). ``x`` is one value per pre-synaptic neuron:
spikes (bool) or a synaptic variable (float).

Which kernel computes the 'sparse' and 'dense' cases is chosen from the size and
density of the connection, independently of the layout: a dense matrix product
(``x @ W``) when the ``(pre.num, post.num)`` matrix has at most ``2**16`` entries,
or when it has at most ``2**24`` entries and at least one in 16 is a synapse;
otherwise a scatter over the synapses (``index_add`` of ``x[pre_ids] * w`` into the
posts), which costs ``O(num_syn)``; for boolean spikes on the CPU (outside compiled code
and ``torch.func`` transforms) the scatter is event-driven: only the synapses of the
neurons that fired are gathered (:class:`~bptorch.math.operators.EventRows`), which costs
``O(spikes x max posts per neuron)``. The crossover (density 1/16) is where the two
cost about the same on CPU (one thread, torch 2.13: a dense product costs about
0.3-0.5 ns per matrix entry, a scatter about 10 ns per synapse); on CUDA both are
bound by memory traffic and the same rule holds within a small factor. See
:func:`choose_kernel`.

Weights that are fixed tensors or numbers are laid out for the kernel once (and
again if ``g_max`` is replaced); a ``g_max`` that is a :class:`~bptorch.math.Variable`
(e.g. a ``TrainVar``) is read at every step, so gradients reach it.

Differences from BrainPy 2.1.12: a heterogeneous sparse ``g_max`` has one value per
synapse (2.1.12 sizes it from ``pre2post[1]``, the row pointers); ``DualExp*``,
``NMDA`` and ``AMPA`` apply their sparse ``g_max`` (2.1.12 drops it); heterogeneous
dense weights are masked by the connection (2.1.12 uses the whole matrix); the
diagonal of heterogeneous ``All2All`` weights is zeroed only without
``include_self`` (2.1.12 always zeroes it).
"""

from __future__ import annotations

from typing import Any

import torch

from bptorch import _compat
from bptorch.connect import All2All, One2One
from bptorch.dyn._helpers import parameter
from bptorch.dyn.base import TwoEndConn
from bptorch.math import settings
from bptorch.math.operators import EventRows, csr_pre_ids, event_driven
from bptorch.math.variables import Variable

__all__ = ['choose_kernel', 'Projection', 'SpikeProjection', 'DENSE_SMALL', 'DENSE_LIMIT',
           'DENSITY_THRESHOLD']

DENSE_SMALL = 2 ** 16
"""Connection matrices this small always use the dense product."""
DENSE_LIMIT = 2 ** 24
"""Connection matrices larger than this never use the dense product."""
DENSITY_THRESHOLD = 1 / 16
"""The density from which the dense product is used (between the two sizes)."""


def choose_kernel(pre_num: int, post_num: int, num_syn: int) -> str:
    """``'matmul'`` or ``'scatter'`` for a connection (see the module docs).

    Examples
    --------
    >>> from bptorch.dyn.synapses._projection import choose_kernel
    >>> choose_kernel(100, 100, 50), choose_kernel(4000, 4000, 1_000_000), choose_kernel(4000, 4000, 10_000)
    ('matmul', 'matmul', 'scatter')
    """
    entries = pre_num * post_num
    if entries <= DENSE_SMALL:
        return 'matmul'
    if entries <= DENSE_LIMIT and num_syn >= DENSITY_THRESHOLD * entries:
        return 'matmul'
    return 'scatter'


class Projection(TwoEndConn):
    """A :class:`~bptorch.dyn.TwoEndConn` whose weights map pre-synaptic values to posts."""

    def _init_weights(self, g_max: Any, conn_type: str, structure: str = 'pre2post',
                      attr: str = 'g_max') -> None:
        """Lay out the weights (as BrainPy 2.1.12) and choose the kernel.

        ``structure``: what a sparse layout takes from the connection, ``'pre2post'``
        (``self.pre2post``) or ``'ij'`` (``self.pre_ids``, ``self.post_ids``).
        """
        self.conn_type = conn_type
        if conn_type not in ('sparse', 'dense'):
            raise ValueError(f'"conn_type" must be in "sparse" and "dense", but we got {conn_type}')
        if self.conn is None:
            raise ValueError(f'Must provide "conn" when initialize the model {self.name}')
        if isinstance(self.conn, str):
            raise ValueError(f'{self.name}: "conn" must be a connector, a matrix or dict(i=, j=), '
                             f'but we got the string {self.conn!r}')
        pre_num, post_num = self.pre.num, self.post.num
        self._weight_attr = attr
        if isinstance(self.conn, One2One):
            self._layout = 'one2one'
            weights = parameter(g_max, (pre_num,))
        elif isinstance(self.conn, All2All):
            self._layout = 'all2all'
            weights = parameter(g_max, (pre_num, post_num))
            self._include_self = self.conn.include_self
            self._mask_diagonal = False
            if _numel(weights) != 1 and not self.conn.include_self:
                if isinstance(weights, Variable):      # masked at every step (keeps gradients)
                    self._mask_diagonal = True
                else:
                    weights = torch.as_tensor(weights).clone()
                    weights.fill_diagonal_(0.)
        elif conn_type == 'sparse':
            self._layout = 'sparse'
            if structure == 'pre2post':
                indices, indptr = self.conn.require('pre2post')
                self.pre2post = (indices, indptr)
                post_ids, pre_ids = indices, csr_pre_ids(indptr, indices.shape[0])
            else:
                self.pre_ids, self.post_ids = self.conn.require('pre_ids', 'post_ids')
                pre_ids, post_ids = self.pre_ids, self.post_ids
            weights = parameter(g_max, (post_ids.shape[0],))
            self._syn_pre, self._syn_post = pre_ids, post_ids
        else:
            self._layout = 'dense'
            weights = parameter(g_max, (pre_num, post_num))
            if _numel(weights) == 1:
                self.conn_mat = self.conn.require('conn_mat')
                mask = self.conn_mat
            else:
                mask = self.conn.require('conn_mat')
            self._mask = mask
        setattr(self, attr, weights)
        self.weight_type = 'heter' if _numel(weights) != 1 else 'homo'
        self.__dict__['_kernel_cache'] = None
        if self._layout in ('sparse', 'dense'):
            if self._layout == 'sparse':
                num_syn = self._syn_post.shape[0]
            else:
                num_syn = int(self._mask.count_nonzero())
            self._set_kernel(choose_kernel(pre_num, post_num, num_syn))
        else:
            self._kernel = self._layout

    # -- the kernel -------------------------------------------------------------------
    def _set_kernel(self, kernel: str) -> None:
        """Use ``'matmul'`` or ``'scatter'`` for a 'sparse' or 'dense' layout."""
        if self._layout not in ('sparse', 'dense'):
            raise ValueError(f'{self.name}: the {self._layout} connection has a kernel of its own')
        if kernel not in ('matmul', 'scatter'):
            raise ValueError(f'kernel must be "matmul" or "scatter", but we got {kernel!r}')
        self._kernel = kernel
        self.__dict__['_kernel_cache'] = None
        if kernel == 'scatter' and self._layout == 'dense':
            pre_ids, post_ids = self._mask.nonzero(as_tuple=True)
            self._syn_pre, self._syn_post = pre_ids, post_ids

    def _weights(self) -> Any:
        return getattr(self, self._weight_attr)

    def _laid_out(self) -> Any:
        """The weights in the kernel's layout: a ``(pre, post)`` matrix (matmul), one
        weight per synapse or a number (scatter); cached for fixed weights."""
        w = self._weights()
        if isinstance(w, Variable):
            return self._lay_out(w.value)
        if _compat.is_dynamo_compiling():
            return self._lay_out(w)
        by_synapse = self._kernel == 'scatter' or self._layout == 'sparse'
        ref = self._syn_post if by_synapse else self._mask
        key = (id(w), _compat.version(w) if isinstance(w, torch.Tensor) else w, self._kernel,
               id(ref), ref.device)
        cache = self.__dict__.get('_kernel_cache')
        if cache is None or cache[0] != key:
            cache = (key, self._lay_out(w), w)     # (holding w keeps its id unique)
            self.__dict__['_kernel_cache'] = cache
        return cache[1]

    def _lay_out(self, w: Any) -> Any:
        homo = _numel(w) == 1
        if self._kernel == 'matmul':
            dtype = _float_of(w)
            if self._layout == 'sparse':
                pre, post = self.pre.num, self.post.num
                weights = (torch.as_tensor(w, dtype=dtype, device=self._syn_post.device).reshape(-1)
                           .expand(self._syn_post.shape[0]))
                out = torch.zeros((pre, post), dtype=dtype, device=self._syn_post.device)
                return out.index_put((self._syn_pre, self._syn_post), weights, accumulate=True)
            mask = self._mask.to(dtype)
            return mask * (torch.as_tensor(w, dtype=dtype, device=mask.device).reshape(())
                           if homo else w)
        # scatter
        if homo:
            return torch.as_tensor(w).reshape(()) if isinstance(w, torch.Tensor) else w
        if self._layout == 'dense':
            return w[self._syn_pre, self._syn_post]
        return w

    def _project(self, x: Any) -> torch.Tensor:
        """The post-synaptic values of ``x`` (one value per pre neuron)."""
        if isinstance(x, Variable):
            x = x.value
        x = x.reshape(-1)
        kernel = self._kernel
        w = self._weights() if kernel in ('one2one', 'all2all') else self._laid_out()
        if isinstance(w, Variable):
            w = w.value
        dtype = _float_of(w) if x.dtype == torch.bool or not x.is_floating_point() else x.dtype
        rows = self._event_rows() if kernel == 'scatter' and event_driven(x) else None
        if rows is not None:                               # boolean spikes on the CPU
            return rows.sum(x, w, dtype)
        if x.dtype != dtype:
            x = x.to(dtype)
        if kernel == 'one2one':
            return x * w
        if kernel == 'all2all':
            if _numel(w) == 1:
                total = x.sum()
                if self._include_self:
                    out = total.expand(self.post.num)
                elif self.pre.num == self.post.num:
                    out = total - x
                else:                # conn_mat's diagonal on a rectangular matrix
                    n = min(self.pre.num, self.post.num)
                    out = total.expand(self.post.num).clone()
                    out[:n] = out[:n] - x[:n]
                return w * out
            if self._mask_diagonal:
                w = w * (1 - torch.eye(*w.shape, dtype=w.dtype, device=w.device))
            return x @ w
        if kernel == 'matmul':
            return x @ w
        # scatter over the synapses
        out = torch.zeros(self.post.num, dtype=dtype, device=x.device)
        src = x.index_select(0, self._syn_pre)
        if _numel(w) == 1:
            return out.index_add(0, self._syn_post, src) * w
        return out.index_add(0, self._syn_post, src * w)

    def _event_rows(self) -> EventRows | None:
        """The posts of each pre neuron in rows, for event-driven sums (built once, when
        running eagerly; in traced code the rows built before, or None)."""
        rows = self.__dict__.get('_event_rows_cache')
        if _compat.is_dynamo_compiling():
            return None if rows is None else rows[1]
        key = (id(self._syn_pre), id(self._syn_post), self._syn_post.device)
        if rows is None or rows[0] != key:
            pre, post, order = self._syn_pre, self._syn_post, None
            if pre.numel() > 1 and bool((pre[1:] < pre[:-1]).any()):     # not grouped by pre
                order = torch.argsort(pre, stable=True)
                pre, post = pre[order], post[order]
            counts = torch.bincount(pre, minlength=self.pre.num)
            indptr = torch.cat([counts.new_zeros(1), counts.cumsum(0)])
            rows = (key, EventRows(post, indptr, self.post.num, order),
                    (self._syn_pre, self._syn_post))
            self.__dict__['_event_rows_cache'] = rows
        return rows[1]

    # -- the post-synaptic side -----------------------------------------------------------
    def _post_shaped(self, out: torch.Tensor, like: Any) -> torch.Tensor:
        """``out`` (one value per post neuron) in the shape of the post variable ``like``."""
        shape = like.shape
        return out if out.shape == shape else out.reshape(shape)

    @property
    def pre2post(self) -> tuple:
        """``(indices, indptr)`` of the connection (sparse layouts)."""
        return self._pre2post_indices, self._pre2post_indptr

    @pre2post.setter
    def pre2post(self, value: tuple) -> None:
        self._pre2post_indices, self._pre2post_indptr = value


def _numel(w: Any) -> int:
    if isinstance(w, (Variable, torch.Tensor)):
        return w.numel()
    return 1


def _float_of(w: Any) -> torch.dtype:
    if isinstance(w, (Variable, torch.Tensor)) and w.is_floating_point():
        return w.dtype
    return settings.float_()


class SpikeProjection(Projection):
    """A :class:`Projection` driven by the (possibly delayed) spikes of the pre group."""

    def _init_delay(self, delay_step: Any) -> None:
        self.delay_step = self.register_delay(f'{self.pre.name}.spike', delay_step, self.pre.spike)

    def _reset_delay(self) -> None:
        if self.delay_step is not None:
            self.reset_delay(f'{self.pre.name}.spike', self.pre.spike)

    def _pre_spike(self) -> torch.Tensor:
        """The pre-synaptic spikes ``delay_step`` steps ago (BrainPy 2.1.12: read the delay,
        then record the current spikes in it, if this synapse owns it)."""
        if self.delay_step is None:
            return self.pre.spike.value
        name = f'{self.pre.name}.spike'
        spike = self.get_delay_data(name, self.delay_step)
        self.update_delay(name, self.pre.spike.value)
        return spike
