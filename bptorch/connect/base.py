"""Connector base classes, the synaptic structures they return, and format helpers.

A connector is made with its parameters, given the sizes of the groups it joins
(``conn(pre_size, post_size)``, which returns the connector), and asked for the
structures a synapse model needs::

    conn = bp.connect.FixedProb(0.1, seed=0)(pre_size=100, post_size=(10, 10))
    pre_ids, post_ids = conn.require('pre_ids', 'post_ids')

One requirement gives one value; several give a tuple in the order asked.

The structures (``S`` synapses, ``i`` a pre-synaptic and ``j`` a post-synaptic index):

============== ================================ ============================================
name           value                            meaning
============== ================================ ============================================
``conn_mat``   bool ``(pre_num, post_num)``     ``conn_mat[i, j]``: ``i`` projects to ``j``
``pre_ids``    ``(S,)``                         the pre-synaptic neuron of each synapse
``post_ids``   ``(S,)``                         the post-synaptic neuron of each synapse
``pre2post``   ``(indices, indptr)``            CSR by pre: posts of ``i`` are
                                                ``indices[indptr[i]:indptr[i + 1]]``
``post2pre``   ``(indices, indptr)``            CSC: pres of ``j`` are
                                                ``indices[indptr[j]:indptr[j + 1]]``
``pre2syn``    ``(syn_ids, indptr)``            synapses (positions in ``pre_ids``) of ``i``
``post2syn``   ``(syn_ids, indptr)``            synapses (positions in ``pre_ids``) of ``j``
``pre_slice``  ``(pre_num, 2)``                 ``[start, end)`` of ``i``'s synapses in the
                                                pre-sorted order (the order of ``pre2post``)
``post_slice`` ``(post_num, 2)``                ``[start, end)`` of ``j``'s synapses in the
                                                post-sorted order (the order of ``post2pre``)
============== ================================ ============================================

dtypes
    BrainPy gives indices as ``uint32``; torch has no ``uint32`` arithmetic or
    indexing, so bptorch gives ``int64`` (torch's index type). ``conn_mat`` is
    ``bool``. :func:`set_default_dtype` changes both (``idx_dtype`` int32 or int64;
    NumPy's ``uint32`` is taken to mean the default, int64).
Devices
    The structures are built with NumPy once, then returned as tensors on
    :func:`bptorch.math.settings.default_device` (``bm.set_platform('gpu')``
    puts them on CUDA).
Consistency
    A connector builds its connectivity once per ``conn(pre_size, post_size)``
    call; every later ``require`` reads that one build, so all structures
    describe the same synapses (BrainPy 2.1 drew a random connector anew at
    every ``require``). Calling ``conn(...)`` again builds anew, with the
    generator state advanced.
Synapse order
    ``pre_ids``/``post_ids`` keep the order the connector produced (BrainPy's);
    ``pre2syn`` and ``post2syn`` give positions in that order. Where a connector
    produces pairs not sorted by pre (``FixedPreNum``, ``IJConn``), BrainPy's
    ``pre2syn`` numbered the pre-sorted copy instead; bptorch's numbers index
    ``pre_ids``/``post_ids`` (identical to BrainPy whenever the pairs are sorted
    by pre, as for matrices, CSR data and the grids).

Examples
--------
>>> import bptorch as bp
>>> conn = bp.connect.IJConn(i=[0, 1, 2], j=[0, 0, 0])(pre_size=5, post_size=3)
>>> conn.require('pre2post')
(tensor([0, 0, 0]), tensor([0, 1, 2, 3, 3, 3]))
>>> conn.require('post2syn')
(tensor([0, 1, 2]), tensor([0, 3, 3, 3]))
"""

from __future__ import annotations

import abc
from typing import Any, Sequence

import numpy as np
import torch

from bptorch.errors import ConnectorError
from bptorch.math import settings
from bptorch.math.variables import Variable

__all__ = [
    # the connection types
    'CONN_MAT', 'PRE_IDS', 'POST_IDS', 'PRE2POST', 'POST2PRE', 'PRE2SYN', 'POST2SYN',
    'PRE_SLICE', 'POST_SLICE', 'SUPPORTED_SYN_STRUCTURE',
    # the connection dtypes
    'set_default_dtype', 'MAT_DTYPE', 'IDX_DTYPE',
    # base classes
    'Connector', 'TwoEndConnector', 'OneEndConnector',
    # format helpers
    'csr2csc', 'csr2mat', 'mat2csr', 'ij2csr', 'ij2mat', 'mat2ij',
]

CONN_MAT = 'conn_mat'
PRE_IDS = 'pre_ids'
POST_IDS = 'post_ids'
PRE2POST = 'pre2post'
POST2PRE = 'post2pre'
PRE2SYN = 'pre2syn'
POST2SYN = 'post2syn'
PRE_SLICE = 'pre_slice'
POST_SLICE = 'post_slice'

SUPPORTED_SYN_STRUCTURE = [CONN_MAT, PRE_IDS, POST_IDS, PRE2POST, POST2PRE,
                           PRE2SYN, POST2SYN, PRE_SLICE, POST_SLICE]

MAT_DTYPE: torch.dtype = torch.bool
IDX_DTYPE: torch.dtype = torch.int64


def _as_torch_dtype(dtype: Any, what: str) -> torch.dtype:
    if isinstance(dtype, torch.dtype):
        return dtype
    try:
        np_dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f'set_default_dtype({what}): expected a torch or NumPy dtype, '
                        f'got {dtype!r}') from None
    if what == 'idx_dtype' and np_dtype.kind == 'u' and np_dtype.itemsize >= 4:
        return torch.int64   # BrainPy's uint32 default; torch indexes with int64
    return torch.from_numpy(np.zeros(0, dtype=np_dtype)).dtype


def set_default_dtype(mat_dtype: Any = None, idx_dtype: Any = None) -> None:
    """Set the dtypes of the connection matrix and of the index structures.

    Parameters
    ----------
    mat_dtype : torch or NumPy dtype, optional
        The dtype of ``conn_mat`` (default ``bool``), e.g. ``torch.float32``.
    idx_dtype : torch or NumPy dtype, optional
        The dtype of every index structure: ``int64`` (the default) or ``int32``.
        NumPy's ``uint32`` (BrainPy's default) is taken to mean int64.

    Examples
    --------
    >>> import torch, bptorch as bp
    >>> bp.connect.set_default_dtype(mat_dtype=torch.float32)
    >>> bp.connect.GridFour()(3).require('conn_mat')
    tensor([[0., 1., 0.],
            [1., 0., 1.],
            [0., 1., 0.]])
    >>> bp.connect.set_default_dtype(mat_dtype=torch.bool)
    >>> bp.connect.IDX_DTYPE
    torch.int64
    """
    global MAT_DTYPE, IDX_DTYPE
    new_mat = MAT_DTYPE if mat_dtype is None else _as_torch_dtype(mat_dtype, 'mat_dtype')
    new_idx = IDX_DTYPE if idx_dtype is None else _as_torch_dtype(idx_dtype, 'idx_dtype')
    if new_idx not in (torch.int32, torch.int64):
        raise ValueError(f'set_default_dtype(idx_dtype): expected int32 or int64 (torch indexes '
                         f'with these), got {idx_dtype!r}')
    MAT_DTYPE, IDX_DTYPE = new_mat, new_idx


# --------------------------------------------------------------------------------------
# NumPy side: arrays in, arrays out (int64 indices, bool matrices)
# --------------------------------------------------------------------------------------

def _to_numpy(x: Any, what: str) -> np.ndarray:
    if isinstance(x, Variable):
        x = x.value
    if isinstance(x, torch.Tensor):
        if x.layout != torch.strided:
            x = x.to_dense()
        return x.detach().cpu().numpy()
    arr = np.asarray(x)
    if arr.dtype == object:
        raise TypeError(f'{what}: expected an array of numbers, got {type(x).__name__}')
    return arr


def _index_array(x: Any, what: str) -> np.ndarray:
    arr = _to_numpy(x, what)
    if arr.ndim != 1:
        raise ConnectorError(f'{what}: expected a 1-D array of indices, got shape {arr.shape}')
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.dtype.kind == 'b' or arr.dtype.kind not in 'iuf':
        raise ConnectorError(f'{what}: expected integer indices, got dtype {arr.dtype}')
    if arr.dtype.kind == 'f':
        if not np.all(np.mod(arr, 1) == 0):
            raise ConnectorError(f'{what}: expected integer indices, got non-integer values')
    out = arr.astype(np.int64)
    if out.min() < 0:
        raise ConnectorError(f'{what}: indices must be non-negative, got {int(out.min())}')
    return out


def _mat_array(x: Any, what: str) -> np.ndarray:
    arr = _to_numpy(x, what)
    if arr.ndim != 2:
        raise ConnectorError(f'{what}: expected a 2-D connection matrix, got shape {arr.shape}')
    return arr > 0 if arr.dtype != np.bool_ else arr


def _np_indptr(ids: np.ndarray, num: int) -> np.ndarray:
    counts = np.bincount(ids, minlength=num) if ids.size else np.zeros(num, dtype=np.int64)
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


class _Synapses:
    """One build of a connector: its synapses in the connector's order, with the
    derived structures computed on first use (all NumPy)."""

    def __init__(self, kind: str, data: Any, pre_num: int, post_num: int):
        self.pre_num, self.post_num = pre_num, post_num
        self._mat = None
        self._cache: dict[str, Any] = {}
        if kind == 'mat':
            mat = _mat_array(data, 'conn_mat')
            if mat.shape != (pre_num, post_num):
                raise ConnectorError(f'the connection matrix has shape {mat.shape}, expected '
                                     f'(pre_num, post_num) = {(pre_num, post_num)}')
            self._mat = mat
            pre, post = np.nonzero(mat)
            self.pre, self.post = pre.astype(np.int64), post.astype(np.int64)
            self.perm = None           # already sorted by pre
        elif kind == 'csr':
            if not isinstance(data, (tuple, list)) or len(data) != 2:
                raise ConnectorError('csr data must be a pair (indices, indptr)')
            indices = _index_array(data[0], 'csr indices')
            indptr = _index_array(data[1], 'csr indptr')
            if indptr.size != pre_num + 1:
                raise ConnectorError(f'csr indptr has {indptr.size} entries, expected '
                                     f'pre_num + 1 = {pre_num + 1}')
            if indptr[0] != 0 or indptr[-1] != indices.size or np.any(np.diff(indptr) < 0):
                raise ConnectorError('csr indptr must start at 0, never decrease and end at '
                                     f'len(indices) = {indices.size}')
            self.pre = np.repeat(np.arange(pre_num, dtype=np.int64), np.diff(indptr))
            self.post = indices
            self.perm = None
            self._cache['indptr'] = indptr
        elif kind == 'ij':
            if not isinstance(data, (tuple, list)) or len(data) != 2:
                raise ConnectorError('ij data must be a pair (pre_ids, post_ids)')
            pre = _index_array(data[0], 'pre_ids')
            post = _index_array(data[1], 'post_ids')
            if pre.size != post.size:
                raise ConnectorError(f'pre_ids and post_ids must have the same length, got '
                                     f'{pre.size} and {post.size}')
            self.pre, self.post = pre, post
            self.perm = None if pre.size == 0 or np.all(pre[1:] >= pre[:-1]) else \
                np.argsort(pre, kind='stable')
        else:
            raise ConnectorError(f'Must provide one of "csr", "mat" or "ij". Got "{kind}" instead.')
        if self.pre.size:
            if self.pre.max() >= pre_num:
                raise ConnectorError(f'a pre-synaptic index ({int(self.pre.max())}) is out of '
                                     f'range for pre_num = {pre_num}')
            if self.post.max() >= post_num:
                raise ConnectorError(f'a post-synaptic index ({int(self.post.max())}) is out of '
                                     f'range for post_num = {post_num}')

    # -- derived structures --------------------------------------------------------------
    def _once(self, key, fn):
        if key not in self._cache:
            self._cache[key] = fn()
        return self._cache[key]

    def conn_mat(self) -> np.ndarray:
        if self._mat is not None:
            return self._mat
        return self._once('mat', lambda: _np_ij2mat(self.pre, self.post, self.pre_num,
                                                    self.post_num))

    def syn_by_pre(self) -> np.ndarray:   # synapse numbers, sorted by pre (stable)
        return self._once('syn_by_pre', lambda: np.arange(self.pre.size, dtype=np.int64)
                          if self.perm is None else self.perm.astype(np.int64))

    def indptr(self) -> np.ndarray:
        return self._once('indptr', lambda: _np_indptr(self.pre, self.pre_num))

    def indices(self) -> np.ndarray:   # post_ids in the pre-sorted order
        if self.perm is None:
            return self.post
        return self._once('indices', lambda: self.post[self.perm])

    def pre_sorted(self) -> np.ndarray:
        if self.perm is None:
            return self.pre
        return self._once('pre_sorted', lambda: self.pre[self.perm])

    def by_post(self) -> np.ndarray:     # positions in the pre-sorted order, sorted by post
        return self._once('by_post', lambda: np.argsort(self.indices(), kind='stable'))

    def indptr_post(self) -> np.ndarray:
        return self._once('indptr_post', lambda: _np_indptr(self.post, self.post_num))

    def get(self, name: str):
        if name == CONN_MAT:
            return self.conn_mat()
        if name == PRE_IDS:
            return self.pre
        if name == POST_IDS:
            return self.post
        if name == PRE2POST:
            return self.indices(), self.indptr()
        if name == POST2PRE:
            return self.pre_sorted()[self.by_post()], self.indptr_post()
        if name == PRE2SYN:
            return self.syn_by_pre(), self.indptr()
        if name == POST2SYN:
            return self.syn_by_pre()[self.by_post()], self.indptr_post()
        if name == PRE_SLICE:
            p = self.indptr()
            return np.stack([p[:-1], p[1:]], axis=1)
        if name == POST_SLICE:
            p = self.indptr_post()
            return np.stack([p[:-1], p[1:]], axis=1)
        raise ConnectorError(f'Unknown synapse structure "{name}". '
                             f'Only {SUPPORTED_SYN_STRUCTURE} is supported.')


def _tensor(arr: np.ndarray, name: str) -> torch.Tensor:
    dtype = MAT_DTYPE if name == CONN_MAT else IDX_DTYPE
    return torch.as_tensor(np.ascontiguousarray(arr), device=settings.default_device()).to(dtype)


def _as_tensors(value, name: str):
    if isinstance(value, tuple):
        return tuple(_tensor(v, name) for v in value)
    return _tensor(value, name)


def _size_tuple(size: Any, what: str) -> tuple[int, ...]:
    if isinstance(size, (int, np.integer)) and not isinstance(size, bool):
        size = (int(size),)
    elif isinstance(size, (tuple, list, torch.Size)):
        if len(size) == 0 or not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool)
                                     for s in size):
            raise ConnectorError(f'{what}: expected an int or a non-empty sequence of ints, '
                                 f'got {size!r}')
        size = tuple(int(s) for s in size)
    else:
        raise ConnectorError(f'{what}: expected an int or a sequence of ints, got {size!r}')
    if any(s < 0 for s in size):
        raise ConnectorError(f'{what}: sizes must be non-negative, got {size}')
    return size


def _size2num(size: tuple[int, ...]) -> int:
    return int(np.prod(size, dtype=np.int64))


# --------------------------------------------------------------------------------------
# Connectors
# --------------------------------------------------------------------------------------

class Connector(abc.ABC):
    """Base class of every synaptic connector.

    Examples
    --------
    >>> import bptorch as bp
    >>> isinstance(bp.connect.All2All(), bp.connect.Connector)
    True
    """


class TwoEndConnector(Connector):
    """Base class of connectors between two neuron groups.

    Subclasses implement :meth:`build_conn`, returning one of

    - ``('csr', (indices, indptr))``: for each pre neuron ``i``, its posts are
      ``indices[indptr[i]:indptr[i + 1]]``;
    - ``('mat', conn_mat)``: a ``(pre_num, post_num)`` matrix (nonzero = connected);
    - ``('ij', (pre_ids, post_ids))``: one pair per synapse;
    - ``dict(csr=..., mat=..., ij=...)`` with unused entries None.

    The arrays may be NumPy arrays, lists or tensors; ``self.pre_num``,
    ``self.post_num``, ``self.pre_size`` and ``self.post_size`` are set before
    ``build_conn`` runs.

    Examples
    --------
    A custom connector (the BrainPy tutorial's ``FixedProb``, imports changed):

    >>> import numpy as np, bptorch as bp
    >>> class Ring(bp.connect.TwoEndConnector):
    ...     def build_conn(self):
    ...         i = np.arange(self.pre_num)
    ...         return 'ij', (i, (i + 1) % self.post_num)
    >>> Ring()(4, 4).require('post_ids')
    tensor([1, 2, 3, 0])
    """

    def __init__(self):
        self.pre_size = None
        self.post_size = None
        self.pre_num = None
        self.post_num = None
        self._built = None

    def __call__(self, pre_size, post_size):
        """Give the sizes of the two groups; returns the connector itself.

        Parameters
        ----------
        pre_size, post_size : int or sequence of int
            The (possibly multi-dimensional) sizes of the pre- and post-synaptic groups.

        Examples
        --------
        >>> import bptorch as bp
        >>> conn = bp.connect.All2All()(pre_size=(2, 3), post_size=4)
        >>> conn.pre_num, conn.post_num, conn.pre_size
        (6, 4, (2, 3))
        """
        self.pre_size = _size_tuple(pre_size, 'pre_size')
        self.post_size = _size_tuple(post_size, 'post_size')
        self.pre_num = _size2num(self.pre_size)
        self.post_num = _size2num(self.post_size)
        self._built = None
        return self

    def _reset_conn(self, pre_size, post_size):
        """Give new sizes (the next ``require`` builds anew)."""
        self.__call__(pre_size, post_size)

    def check(self, structures: Sequence[str] | str):
        """Check that sizes were given and that every requested structure is known.

        Examples
        --------
        >>> import bptorch as bp
        >>> try:
        ...     bp.connect.All2All().check('conn_mat')
        ... except bp.errors.ConnectorError as e:
        ...     print(str(e)[:27])
        self.pre_num or self.post_n
        """
        if self.pre_num is None or self.post_num is None:
            raise ConnectorError('self.pre_num or self.post_num is not defined. '
                                 'Please use self.__call__(pre_size, post_size) '
                                 'before requiring properties.')
        if isinstance(structures, str):
            structures = [structures]
        if structures is None or len(structures) == 0:
            raise ConnectorError('No synaptic structure is received.')
        for n in structures:
            if n not in SUPPORTED_SYN_STRUCTURE:
                raise ConnectorError(f'Unknown synapse structure "{n}". '
                                     f'Only {SUPPORTED_SYN_STRUCTURE} is supported.')

    def build_conn(self):
        """Build the connectivity (implemented by each connector); see the class docstring.

        Examples
        --------
        >>> import bptorch as bp
        >>> kind, (indices, indptr) = bp.connect.One2One()(3, 3).build_conn()
        >>> kind, indices.tolist(), indptr.tolist()
        ('csr', [0, 1, 2], [0, 1, 2, 3])
        """
        raise NotImplementedError(f'{type(self).__name__} does not implement build_conn()')

    def make_returns(self, structures, conn_data=None, csr=None, mat=None, ij=None):
        """Derive the requested structures from connectivity data, as tensors.

        Parameters
        ----------
        structures : str or sequence of str
            The names to return (see the module docstring).
        conn_data : tuple or dict, optional
            What :meth:`build_conn` returns; or give one of ``csr``, ``mat``, ``ij``.

        Returns
        -------
        One value for one name, else a tuple.

        Examples
        --------
        >>> import numpy as np, bptorch as bp
        >>> conn = bp.connect.TwoEndConnector()(2, 3)
        >>> conn.make_returns(('pre_ids', 'post_ids'), mat=np.array([[0, 1, 1], [1, 0, 0]]))
        (tensor([0, 0, 1]), tensor([1, 2, 0]))
        """
        synapses = self._synapses_from(conn_data, csr=csr, mat=mat, ij=ij)
        return self._returns(structures, synapses)

    def _synapses_from(self, conn_data, csr=None, mat=None, ij=None) -> _Synapses:
        if self.pre_num is None or self.post_num is None:
            self.check(())
        if isinstance(conn_data, dict):
            csr, mat, ij = conn_data.get('csr'), conn_data.get('mat'), conn_data.get('ij')
        elif isinstance(conn_data, (tuple, list)):
            if len(conn_data) != 2 or conn_data[0] not in ('csr', 'mat', 'ij'):
                raise ConnectorError(f'Must provide one of "csr", "mat" or "ij". Got '
                                     f'"{conn_data[0] if len(conn_data) else conn_data}" instead.')
            if conn_data[0] == 'csr':
                csr = conn_data[1]
            elif conn_data[0] == 'mat':
                mat = conn_data[1]
            else:
                ij = conn_data[1]
        elif conn_data is not None:
            raise ConnectorError(f'build_conn() must return a (kind, data) pair or a dict, got '
                                 f'{type(conn_data).__name__}')
        # BrainPy's precedence: csr, then mat, then ij
        for kind, data in (('csr', csr), ('mat', mat), ('ij', ij)):
            if data is not None:
                return _Synapses(kind, data, self.pre_num, self.post_num)
        raise ConnectorError('Must provide one of "csr", "mat" or "ij".')

    @staticmethod
    def _returns(structures, synapses: _Synapses):
        structures = (structures,) if isinstance(structures, str) else tuple(structures)
        out = tuple(_as_tensors(synapses.get(n), n) for n in structures)
        return out[0] if len(out) == 1 else out

    def _build_key(self):
        return (self.pre_size, self.post_size, self.pre_num, self.post_num)

    def require(self, *structures):
        """Return the requested synaptic structures (see the module docstring).

        Parameters
        ----------
        *structures : str
            Names among :data:`SUPPORTED_SYN_STRUCTURE`. A single list or tuple of
            names is accepted too.

        Returns
        -------
        One tensor (or pair of tensors) for one name, else a tuple in the order asked.

        Examples
        --------
        >>> import bptorch as bp
        >>> conn = bp.connect.One2One()(pre_size=3, post_size=3)
        >>> conn.require('pre_ids')
        tensor([0, 1, 2])
        >>> pre_ids, pre2post = conn.require('pre_ids', 'pre2post')
        >>> pre2post
        (tensor([0, 1, 2]), tensor([0, 1, 2, 3]))
        """
        if len(structures) == 1 and isinstance(structures[0], (list, tuple)):
            structures = tuple(structures[0])
        self.check(structures)
        built = getattr(self, '_built', None)
        key = self._build_key()
        if built is None or built[0] != key:
            built = (key, self._synapses_from(self.build_conn()))
            self._built = built
        return self._returns(structures, built[1])

    def requires(self, *structures):
        """The same as :meth:`require`.

        Examples
        --------
        >>> import bptorch as bp
        >>> bp.connect.All2All(include_self=False)(2, 2).requires('conn_mat')
        tensor([[False,  True],
                [ True, False]])
        """
        return self.require(*structures)

    def __repr__(self) -> str:
        return f'<{type(self).__name__} pre_size={self.pre_size} post_size={self.post_size}>'


class OneEndConnector(TwoEndConnector):
    """Base class of connectors within one group (``post_size`` defaults to ``pre_size``).

    Examples
    --------
    >>> import bptorch as bp
    >>> conn = bp.connect.GridFour()((2, 2))
    >>> conn.post_size
    (2, 2)
    """

    def __call__(self, pre_size, post_size=None):
        """Give the size of the group (``post_size``, if given, must equal it).

        Examples
        --------
        >>> import bptorch as bp
        >>> bp.connect.GridEight()(pre_size=(3, 3)).post_num
        9
        """
        pre = _size_tuple(pre_size, 'pre_size')
        post = pre if post_size is None else _size_tuple(post_size, 'post_size')
        if pre != post:
            raise ConnectorError(f'The shape of pre-synaptic group should be the same with the '
                                 f'post group. But we got {pre_size} != {post_size}.')
        return super().__call__(pre, post)

    def _reset_conn(self, pre_size, post_size=None):
        """Give a new size (the next ``require`` builds anew)."""
        self.__call__(pre_size, post_size)


# --------------------------------------------------------------------------------------
# Format helpers (tensors or arrays in, tensors out)
# --------------------------------------------------------------------------------------

def _np_ij2mat(pre: np.ndarray, post: np.ndarray, num_pre: int, num_post: int) -> np.ndarray:
    d = np.zeros((num_pre, num_post), dtype=np.bool_)
    d[pre, post] = True
    return d


def _out_device(*xs) -> torch.device:
    for x in xs:
        if isinstance(x, (torch.Tensor, Variable)):
            return x.device
    return settings.default_device()


def _idx_out(arr: np.ndarray, device) -> torch.Tensor:
    return torch.as_tensor(np.ascontiguousarray(arr), device=device).to(IDX_DTYPE)


def csr2csc(csr, post_num: int, data=None):
    """Convert CSR ``(indices, indptr)`` (by pre) to CSC ``(pre_ids, indptr)`` (by post).

    Within a post neuron, pre neurons keep their CSR order (a stable sort).

    Parameters
    ----------
    csr : pair of 1-D arrays
        ``(indices, indptr)``.
    post_num : int
        The number of post-synaptic neurons.
    data : 1-D array, optional
        Per-synapse data in CSR order; returned reordered as a third element.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.connect.csr2csc(([1, 2, 0], [0, 2, 3]), post_num=3)
    (tensor([1, 0, 0]), tensor([0, 1, 2, 3]))
    """
    indptr = _index_array(csr[1], 'csr indptr')
    syn = _Synapses('csr', (csr[0], indptr), indptr.size - 1, int(post_num))
    device = _out_device(*csr)
    pre_ids, indptr_new = syn.get(POST2PRE)
    out = (_idx_out(pre_ids, device), _idx_out(indptr_new, device))
    if data is None:
        return out
    order = torch.as_tensor(syn.by_post(), device=_out_device(data, *csr))
    if isinstance(data, (torch.Tensor, Variable)):
        return out + (data[order],)
    return out + (np.asarray(data)[syn.by_post()],)


def mat2csr(dense):
    """Convert a dense matrix (nonzero = connected) to CSR ``(indices, indptr)``.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.connect.mat2csr([[0, 1, 1], [0, 0, 0], [1, 0, 0]])
    (tensor([1, 2, 0]), tensor([0, 2, 2, 3]))
    """
    mat = _mat_array(dense, 'dense')
    syn = _Synapses('mat', mat, *mat.shape)
    device = _out_device(dense)
    indices, indptr = syn.get(PRE2POST)
    return _idx_out(indices, device), _idx_out(indptr, device)


def csr2mat(csr, num_pre: int, num_post: int):
    """Convert CSR ``(indices, indptr)`` to a dense ``(num_pre, num_post)`` matrix.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.connect.csr2mat(([1, 0], [0, 1, 2]), 2, 2)
    tensor([[False,  True],
            [ True, False]])
    """
    syn = _Synapses('csr', csr, num_pre, num_post)
    return torch.as_tensor(syn.conn_mat(), device=_out_device(*csr)).to(MAT_DTYPE)


def ij2mat(ij, num_pre: int, num_post: int):
    """Convert ``(pre_ids, post_ids)`` to a dense ``(num_pre, num_post)`` matrix.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.connect.ij2mat(([0, 1], [1, 1]), 2, 2)
    tensor([[False,  True],
            [False,  True]])
    """
    syn = _Synapses('ij', ij, num_pre, num_post)
    return torch.as_tensor(syn.conn_mat(), device=_out_device(*ij)).to(MAT_DTYPE)


def ij2csr(pre_ids, post_ids, num_pre: int):
    """Convert ``(pre_ids, post_ids)`` to CSR ``(indices, indptr)`` (stable sort by pre).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.connect.ij2csr([1, 0, 1], [2, 0, 1], num_pre=3)
    (tensor([0, 2, 1]), tensor([0, 1, 3, 3]))
    """
    post = _index_array(post_ids, 'post_ids')
    syn = _Synapses('ij', (pre_ids, post), num_pre, int(post.max()) + 1 if post.size else 1)
    device = _out_device(pre_ids, post_ids)
    indices, indptr = syn.get(PRE2POST)
    return _idx_out(indices, device), _idx_out(indptr, device)


def mat2ij(dense):
    """Convert a dense matrix (nonzero = connected) to ``(pre_ids, post_ids)``, row by row.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.connect.mat2ij([[0, 1], [1, 1]])
    (tensor([0, 1, 1]), tensor([1, 0, 1]))
    """
    mat = _mat_array(dense, 'dense')
    pre, post = np.nonzero(mat)
    device = _out_device(dense)
    return _idx_out(pre, device), _idx_out(post, device)


def _numpy_rng(seed) -> np.random.RandomState:
    """NumPy's RandomState(seed), as BrainPy's connectors use; without a seed, one drawn
    from ``bm.random``'s default generator, so ``bm.random.seed(k)`` reproduces it."""
    if seed is None:
        from bptorch.math import random as bm_random
        seed = int(bm_random.DEFAULT.randint(0, 2 ** 32 - 1).item())
    return np.random.RandomState(seed)
