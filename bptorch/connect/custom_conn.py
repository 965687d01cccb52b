"""Connectors built from connectivity the user already has: a dense matrix, index
pairs, or a sparse CSR matrix.

Examples
--------
>>> import numpy as np, bptorch as bp
>>> weight_mat = np.array([[1., 1.5, 0., 0.5], [0., 2.5, 0., 0.], [2., 0., 3, 0.]])
>>> pre_ids, post_ids = bp.connect.MatConn(weight_mat).requires('pre_ids', 'post_ids')
>>> weight_mat[pre_ids, post_ids]          # the BrainPy tutorial's weight vector
array([1. , 1.5, 0.5, 2.5, 2. , 3. ])
"""

from __future__ import annotations

from typing import Any

import torch

from bptorch.connect.base import (TwoEndConnector, _index_array, _mat_array, _size2num,
                                  _size_tuple)
from bptorch.errors import ConnectorError

__all__ = ['MatConn', 'IJConn', 'SparseMatConn']


class MatConn(TwoEndConnector):
    """A connector from a dense ``(pre_num, post_num)`` matrix (nonzero = connected).

    The sizes are known from the matrix, so ``require`` works without calling the
    connector first; calling it checks that the sizes agree.

    Parameters
    ----------
    conn_mat : array-like
        A 2-D NumPy array, tensor or Variable.

    Examples
    --------
    >>> import numpy as np, bptorch as bp
    >>> conn = bp.connect.MatConn(np.array([[1, 0], [1, 1]]))(pre_size=2, post_size=2)
    >>> conn.require('pre2post')
    (tensor([0, 0, 1]), tensor([0, 1, 3]))
    """

    def __init__(self, conn_mat: Any):
        super().__init__()
        self.conn_mat = _mat_array(conn_mat, 'MatConn(conn_mat)')
        self.pre_num, self.post_num = self.conn_mat.shape
        self.pre_size, self.post_size = (self.pre_num,), (self.post_num,)

    def __call__(self, pre_size, post_size):
        """Check the sizes against the matrix; returns the connector.

        Examples
        --------
        >>> import numpy as np, bptorch as bp
        >>> bp.connect.MatConn(np.ones((4, 2)))((2, 2), 2).pre_size
        (2, 2)
        """
        pre, post = _size_tuple(pre_size, 'pre_size'), _size_tuple(post_size, 'post_size')
        if _size2num(pre) != self.pre_num or _size2num(post) != self.post_num:
            raise ConnectorError(f'(pre_size, post_size) = ({pre_size}, {post_size}) is '
                                 f'inconsistent with the matrix of shape {self.conn_mat.shape}.')
        return super().__call__(pre, post)

    def build_conn(self):
        """The matrix itself.

        Examples
        --------
        >>> import numpy as np, bptorch as bp
        >>> bp.connect.MatConn(np.eye(2))(2, 2).build_conn()[0]
        'mat'
        """
        return 'mat', self.conn_mat


class IJConn(TwoEndConnector):
    """A connector from index pairs: synapse ``k`` goes from ``i[k]`` to ``j[k]``.

    Parameters
    ----------
    i, j : array-like of int
        1-D pre- and post-synaptic indices of equal length.

    Examples
    --------
    >>> import numpy as np, bptorch as bp
    >>> conn = bp.connect.IJConn(i=np.array([0, 1, 2]), j=np.array([0, 0, 0]))
    >>> conn = conn(pre_size=5, post_size=3)
    >>> conn.requires('conn_mat').int()
    tensor([[1, 0, 0],
            [1, 0, 0],
            [1, 0, 0],
            [0, 0, 0],
            [0, 0, 0]], dtype=torch.int32)
    >>> conn.requires('pre2syn')
    (tensor([0, 1, 2]), tensor([0, 1, 2, 3, 3, 3]))
    """

    def __init__(self, i: Any, j: Any):
        super().__init__()
        self.pre_ids = _index_array(i, 'IJConn(i)')
        self.post_ids = _index_array(j, 'IJConn(j)')
        if self.pre_ids.size != self.post_ids.size:
            raise ConnectorError(f'IJConn: i and j must have the same length, got '
                                 f'{self.pre_ids.size} and {self.post_ids.size}')

    def __call__(self, pre_size, post_size):
        """Give the sizes (they must hold the largest indices); returns the connector.

        Examples
        --------
        >>> import bptorch as bp
        >>> try:
        ...     bp.connect.IJConn([0, 3], [0, 0])(3, 1)
        ... except bp.errors.ConnectorError as e:
        ...     print(e)
        pre_num (3) should be greater than the maximum id (3) of self.pre_ids.
        """
        super().__call__(pre_size, post_size)
        if self.pre_ids.size:
            max_pre, max_post = int(self.pre_ids.max()), int(self.post_ids.max())
            if max_pre >= self.pre_num:
                raise ConnectorError(f'pre_num ({self.pre_num}) should be greater than '
                                     f'the maximum id ({max_pre}) of self.pre_ids.')
            if max_post >= self.post_num:
                raise ConnectorError(f'post_num ({self.post_num}) should be greater than '
                                     f'the maximum id ({max_post}) of self.post_ids.')
        return self

    def build_conn(self):
        """The pairs themselves.

        Examples
        --------
        >>> import bptorch as bp
        >>> bp.connect.IJConn([1], [0])(2, 1).build_conn()[0]
        'ij'
        """
        return 'ij', (self.pre_ids, self.post_ids)


class SparseMatConn(TwoEndConnector):
    """A connector from a sparse CSR matrix (stored entries = connected).

    Parameters
    ----------
    csr_mat : scipy.sparse.csr_matrix or torch sparse CSR tensor
        Anything with ``indices``, ``indptr`` and ``shape`` (SciPy), or a tensor
        with ``layout=torch.sparse_csr``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> import bptorch as bp
    >>> # what scipy.sparse.csr_matrix([[1, 0, 1], [0, 0, 1]]) holds:
    >>> csr = SimpleNamespace(indices=[0, 2, 2], indptr=[0, 2, 3], shape=(2, 3))
    >>> conn = bp.connect.SparseMatConn(csr)(pre_size=2, post_size=3)
    >>> conn.requires('post2syn')
    (tensor([0, 1, 2]), tensor([0, 1, 1, 3]))
    """

    def __init__(self, csr_mat: Any):
        super().__init__()
        try:
            if isinstance(csr_mat, torch.Tensor):
                if csr_mat.layout != torch.sparse_csr or csr_mat.ndim != 2:
                    raise ConnectorError('SparseMatConn(csr_mat): expected a 2-D tensor with '
                                         f'layout torch.sparse_csr, got {csr_mat.layout}')
                indices, indptr = csr_mat.col_indices(), csr_mat.crow_indices()
            else:
                indices, indptr = csr_mat.indices, csr_mat.indptr
            shape = tuple(int(s) for s in csr_mat.shape)
        except AttributeError:
            raise ConnectorError(f'SparseMatConn(csr_mat): expected a CSR sparse matrix (with '
                                 f'indices, indptr and shape), got {type(csr_mat).__name__}') \
                from None
        if len(shape) != 2:
            raise ConnectorError(f'SparseMatConn(csr_mat): expected a 2-D matrix, got {shape}')
        self.csr_mat = csr_mat
        self.indices = _index_array(indices, 'csr_mat.indices')
        self.indptr = _index_array(indptr, 'csr_mat.indptr')
        self.pre_num, self.post_num = shape
        self.pre_size, self.post_size = (self.pre_num,), (self.post_num,)

    def __call__(self, pre_size, post_size):
        """Check the sizes against the matrix; returns the connector.

        Examples
        --------
        >>> from types import SimpleNamespace
        >>> import bptorch as bp
        >>> csr = SimpleNamespace(indices=[0, 1], indptr=[0, 1, 2], shape=(2, 2))
        >>> bp.connect.SparseMatConn(csr)(2, 2).post_num
        2
        """
        pre, post = _size_tuple(pre_size, 'pre_size'), _size_tuple(post_size, 'post_size')
        if _size2num(pre) != self.pre_num or _size2num(post) != self.post_num:
            raise ConnectorError('(pre_size, post_size) is inconsistent with the shape of the '
                                 f'sparse matrix {(self.pre_num, self.post_num)}.')
        return super().__call__(pre, post)

    def build_conn(self):
        """The CSR arrays of the matrix.

        Examples
        --------
        >>> from types import SimpleNamespace
        >>> import bptorch as bp
        >>> csr = SimpleNamespace(indices=[0, 1], indptr=[0, 1, 2], shape=(2, 2))
        >>> bp.connect.SparseMatConn(csr).build_conn()[0]
        'csr'
        """
        return 'csr', (self.indices, self.indptr)
