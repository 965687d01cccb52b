"""Deterministic connectors: one-to-one, all-to-all and nearest neighbours on a grid.

Grid connectors index a 2-D group of size ``(height, width)`` row by row
(neuron ``row * width + col``); a 1-D group of size ``n`` is a column of height ``n``.

Examples
--------
>>> import bptorch as bp
>>> bp.connect.GridFour()(pre_size=(2, 2)).require('pre_ids', 'post_ids')
(tensor([0, 0, 1, 1, 2, 2, 3, 3]), tensor([2, 1, 3, 0, 0, 3, 1, 2]))
"""

from __future__ import annotations

import numpy as np

from bptorch.connect.base import OneEndConnector, TwoEndConnector
from bptorch.errors import ConnectorError

__all__ = [
    'One2One', 'one2one',
    'All2All', 'all2all',
    'GridFour', 'grid_four',
    'GridEight', 'grid_eight',
    'GridN',
]


class One2One(TwoEndConnector):
    """Connect neuron ``i`` of the pre group to neuron ``i`` of the post group.

    Both groups must have the same number of neurons.

    Examples
    --------
    >>> import bptorch as bp
    >>> conn = bp.connect.One2One()(pre_size=5, post_size=5)
    >>> pre_ids, post_ids, pre2post = conn.require('pre_ids', 'post_ids', 'pre2post')
    >>> pre_ids
    tensor([0, 1, 2, 3, 4])
    >>> pre2post
    (tensor([0, 1, 2, 3, 4]), tensor([0, 1, 2, 3, 4, 5]))
    """

    def __call__(self, pre_size, post_size):
        """Give the two sizes (their neuron numbers must match); returns the connector.

        Examples
        --------
        >>> import bptorch as bp
        >>> bp.connect.One2One()((2, 2), 4).post_num
        4
        """
        super().__call__(pre_size, post_size)
        if self.pre_num != self.post_num:
            raise ConnectorError(f'One2One connection must be defined in two groups with the '
                                 f'same size, but {self.pre_num} != {self.post_num}.')
        return self

    def build_conn(self):
        """CSR data: ``indices = indptr[:-1] = arange(num)``.

        Examples
        --------
        >>> import bptorch as bp
        >>> bp.connect.One2One()(2, 2).build_conn()[0]
        'csr'
        """
        return 'csr', (np.arange(self.pre_num), np.arange(self.pre_num + 1))


one2one = One2One()


class All2All(TwoEndConnector):
    """Connect every pre neuron to every post neuron (``pre_num * post_num`` synapses).

    Parameters
    ----------
    include_self : bool
        Whether neuron ``i`` of the pre group connects to neuron ``i`` of the post
        group (the main diagonal of ``conn_mat``).

    Examples
    --------
    >>> import bptorch as bp
    >>> conn = bp.connect.All2All(include_self=False)(pre_size=3, post_size=3)
    >>> conn.require('post_ids')
    tensor([1, 2, 0, 2, 0, 1])
    >>> conn.require('pre2post')[1]
    tensor([0, 2, 4, 6])
    """

    def __init__(self, include_self: bool = True):
        super().__init__()
        self.include_self = include_self

    def build_conn(self):
        """Matrix data: all True, the diagonal False unless ``include_self``.

        Examples
        --------
        >>> import bptorch as bp
        >>> bp.connect.All2All()(1, 2).build_conn()[1].tolist()
        [[True, True]]
        """
        mat = np.ones((self.pre_num, self.post_num), dtype=np.bool_)
        if not self.include_self:
            np.fill_diagonal(mat, False)
        return 'mat', mat


all2all = All2All(include_self=True)


def _grid_shape(size, name):
    if len(size) == 1:
        return size[0], 1
    if len(size) == 2:
        return size
    raise ConnectorError(f'Currently, {name} only supports the two-dimensional geometry, '
                         f'got a group of size {size}.')


def _grid_pairs(height, width, offsets):
    """Pairs (i, j) for every neuron (row by row) and every offset (in the given order)
    whose target lies on the grid."""
    offsets = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)
    rows = np.arange(height, dtype=np.int64)[:, None, None]
    cols = np.arange(width, dtype=np.int64)[None, :, None]
    r2 = rows + offsets[:, 0]
    c2 = cols + offsets[:, 1]
    valid = (r2 >= 0) & (r2 < height) & (c2 >= 0) & (c2 < width)
    pre = np.broadcast_to(rows * width + cols, valid.shape)
    post = r2 * width + c2
    return pre[valid], post[valid]


class GridFour(OneEndConnector):
    """Connect each neuron to its (up to) four nearest neighbours on a 2-D grid.

    For each neuron (row by row) the targets are listed in the order up, down,
    left, right (then the neuron itself, with ``include_self``), as BrainPy does.

    Parameters
    ----------
    include_self : bool
        Whether each neuron also connects to itself.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.connect.GridFour(include_self=False)(pre_size=4).require('conn_mat').int()
    tensor([[0, 1, 0, 0],
            [1, 0, 1, 0],
            [0, 1, 0, 1],
            [0, 0, 1, 0]], dtype=torch.int32)
    """

    def __init__(self, include_self: bool = False):
        super().__init__()
        self.include_self = include_self

    def build_conn(self):
        """Index pairs, row by row.

        Examples
        --------
        >>> import bptorch as bp
        >>> kind, (i, j) = bp.connect.GridFour()(2).build_conn()
        >>> kind, i.tolist(), j.tolist()
        ('ij', [0, 1], [1, 0])
        """
        height, width = _grid_shape(self.pre_size, 'GridFour')
        offsets = [(-1, 0), (1, 0), (0, -1), (0, 1)] + ([(0, 0)] if self.include_self else [])
        return 'ij', _grid_pairs(height, width, offsets)


grid_four = GridFour()


class GridN(OneEndConnector):
    """Connect each neuron to the ``(2N+1) x (2N+1)`` neighbourhood around it on a 2-D grid.

    For ``N=1``::

        [x x x]
        [x I x]
        [x x x]

    For each neuron (row by row) the targets are listed by row offset, then
    column offset, from ``-N`` to ``N``, as BrainPy does.

    Parameters
    ----------
    N : int
        The extent of the neighbourhood.
    include_self : bool
        Whether each neuron also connects to itself.

    Examples
    --------
    >>> import bptorch as bp
    >>> conn = bp.connect.GridN(N=2, include_self=False)(pre_size=(5, 5))
    >>> int(conn.require('conn_mat')[12].sum())   # the centre sees the whole 5 x 5 square
    24
    """

    def __init__(self, N: int = 1, include_self: bool = False):
        super().__init__()
        if isinstance(N, bool) or not isinstance(N, (int, np.integer)) or N < 0:
            raise ConnectorError(f'GridN(N): expected a non-negative int, got {N!r}')
        self.N = int(N)
        self.include_self = include_self

    def build_conn(self):
        """Index pairs, row by row.

        Examples
        --------
        >>> import bptorch as bp
        >>> bp.connect.GridN(N=1)((2, 2)).build_conn()[1][1].tolist()
        [1, 2, 3, 0, 2, 3, 0, 1, 3, 0, 1, 2]
        """
        height, width = _grid_shape(self.pre_size, type(self).__name__)
        d = np.arange(-self.N, self.N + 1)
        offsets = np.stack(np.meshgrid(d, d, indexing='ij'), axis=-1).reshape(-1, 2)
        if not self.include_self:
            offsets = offsets[np.any(offsets != 0, axis=1)]
        return 'ij', _grid_pairs(height, width, offsets)


class GridEight(GridN):
    """Connect each neuron to its (up to) eight nearest neighbours on a 2-D grid
    (:class:`GridN` with ``N=1``).

    Parameters
    ----------
    include_self : bool
        Whether each neuron also connects to itself.

    Examples
    --------
    >>> import bptorch as bp
    >>> conn = bp.connect.GridEight(include_self=False)(pre_size=(3, 3))
    >>> conn.require('conn_mat').sum(1).tolist()
    [3, 5, 3, 5, 8, 5, 3, 5, 3]
    """

    def __init__(self, include_self: bool = False):
        super().__init__(N=1, include_self=include_self)


grid_eight = GridEight()
