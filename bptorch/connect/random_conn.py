"""Random connectors: fixed probability or number, distance-dependent, and graph models.

Every random connector draws from ``self.rng``, a ``numpy.random.RandomState(seed)``
created with the connector, and makes the same calls on it as BrainPy 2.1.12's
algorithm, so the same seed gives the same connectivity as BrainPy, bit for bit.
Without a seed, the NumPy seed is drawn from ``bm.random``'s default generator, so
``bm.random.seed(k)`` reproduces the connectivity. ``SmallWorld`` takes a ``seed``
too (BrainPy 2.1.12 drew it from NumPy's global generator; ``seed=k`` gives what
BrainPy gave after ``np.random.seed(k)``).

``FixedProb``, ``FixedPreNum``, ``FixedPostNum`` and ``GaussianProb`` are vectorised;
the growth models (``SmallWorld``, ``ScaleFreeBA``, ``ScaleFreeBADual``,
``PowerLaw``) are sequential by nature and loop in Python (they run once, at
build time).

Examples
--------
>>> import bptorch as bp
>>> conn = bp.connect.FixedProb(prob=0.5, include_self=False, seed=134)(4, 4)
>>> conn.require('conn_mat').int()
tensor([[0, 1, 0, 0],
        [0, 0, 0, 0],
        [1, 1, 0, 1],
        [1, 0, 1, 0]], dtype=torch.int32)
"""

from __future__ import annotations

import numbers

import numpy as np

from bptorch.connect.base import OneEndConnector, TwoEndConnector, _numpy_rng
from bptorch.errors import ConnectorError

__all__ = [
    'FixedProb', 'FixedPreNum', 'FixedPostNum', 'GaussianProb',
    'SmallWorld', 'ScaleFreeBA', 'ScaleFreeBADual', 'PowerLaw',
]

_CHUNK = 1 << 22   # random numbers drawn per block when building row by row


def _check_prob(p, name):
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0. <= p <= 1.:
        raise ConnectorError(f'{name}: expected a probability in [0, 1], got {p!r}')
    return float(p)


def _check_num(num, name):
    if isinstance(num, bool):
        raise ConnectorError(f'{name}: expected an int or a float, got {num!r}')
    if isinstance(num, numbers.Integral):
        if num < 0:
            raise ConnectorError(f'{name}: "num" must be a non-negative integer, got {num}')
        return int(num)
    if isinstance(num, numbers.Real):
        if not 0. <= num <= 1.:
            raise ConnectorError(f'{name}: a float "num" is a fraction and must be in [0, 1], '
                                 f'got {num}')
        return float(num)
    raise ConnectorError(f'{name}: Unknown type: {type(num)}')


def _fixed_num(rng, rows, total, num, include_self):
    """For each row r (a neuron of the other group), the ``num`` neurons among ``total``
    with the smallest uniform draws (BrainPy: ``argsort(rng.random(total))[:num]``), the
    row's own index pushed last (draw set to 1) unless ``include_self``."""
    out = np.empty((rows, num), dtype=np.int64)
    step = max(1, _CHUNK // max(total, 1))
    for start in range(0, rows, step):
        stop = min(rows, start + step)
        p = rng.random((stop - start, total))
        if not include_self:
            own = np.arange(start, stop)
            keep = own < total
            p[np.nonzero(keep)[0], own[keep]] = 1.
        out[start:stop] = np.argsort(p, axis=1)[:, :num]
    return out


class FixedProb(TwoEndConnector):
    """Connect each pair (pre, post) independently with probability ``prob``.

    Parameters
    ----------
    prob : float
        The connection probability.
    include_self : bool
        Whether pre neuron ``i`` may connect to post neuron ``i``.
    seed : int, optional
        The seed of ``self.rng``.

    Notes
    -----
    As BrainPy: row ``i`` of the connection draws ``rng.random(post_num)`` and
    keeps the posts whose draw is ``<= prob``.

    Examples
    --------
    >>> import numpy as np, bptorch as bp
    >>> conn = bp.connect.FixedProb(0.1, seed=0)(pre_size=100, post_size=100)
    >>> pre_ids, post_ids = conn.require('pre_ids', 'post_ids')
    >>> draws = np.random.RandomState(0).random((100, 100))   # what BrainPy draws
    >>> int(pre_ids.numel()) == int((draws <= 0.1).sum())
    True
    """

    def __init__(self, prob: float, include_self: bool = True, seed: int | None = None):
        super().__init__()
        self.prob = _check_prob(prob, 'FixedProb(prob)')
        self.include_self = include_self
        self.seed = seed
        self.rng = _numpy_rng(seed)

    def build_conn(self):
        """CSR data, drawn row by row (in blocks of rows).

        Examples
        --------
        >>> import bptorch as bp
        >>> kind, (indices, indptr) = bp.connect.FixedProb(1.)(2, 3).build_conn()
        >>> kind, indices.tolist(), indptr.tolist()
        ('csr', [0, 1, 2, 0, 1, 2], [0, 3, 6])
        """
        pre_num, post_num = self.pre_num, self.post_num
        indices, counts = [], np.zeros(pre_num, dtype=np.int64)
        step = max(1, _CHUNK // max(post_num, 1))
        for start in range(0, pre_num, step):
            stop = min(pre_num, start + step)
            block = self.rng.random((stop - start, post_num)) <= self.prob
            if not self.include_self:
                own = np.arange(start, min(stop, post_num))
                block[own - start, own] = False
            rows, cols = np.nonzero(block)
            indices.append(cols)
            counts[start:stop] = np.bincount(rows, minlength=stop - start)
        indices = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64)
        return 'csr', (indices, np.concatenate(([0], np.cumsum(counts))))


class FixedPreNum(TwoEndConnector):
    """Each post neuron receives synapses from a fixed number of random pre neurons.

    Parameters
    ----------
    num : int or float
        The number of pre neurons per post neuron (an int), or that number as a
        fraction of ``pre_num`` (a float: ``int(pre_num * num)``).
    include_self : bool
        Whether post neuron ``j`` may receive from pre neuron ``j``.
    seed : int, optional
        The seed of ``self.rng``.

    Notes
    -----
    As BrainPy: post neuron ``j`` draws ``rng.random(pre_num)`` and takes the
    ``num`` pre neurons with the smallest draws (own index excluded by a draw of 1
    unless ``include_self``). ``pre_ids``/``post_ids`` list the synapses post by post.

    Examples
    --------
    >>> import bptorch as bp
    >>> conn = bp.connect.FixedPreNum(num=3, seed=1)(pre_size=10, post_size=6)
    >>> conn.require('conn_mat').sum(0).tolist()    # the in-degree of every post neuron
    [3, 3, 3, 3, 3, 3]
    """

    def __init__(self, num, include_self: bool = True, seed: int | None = None):
        super().__init__()
        self.num = _check_num(num, 'FixedPreNum(num)')
        self.include_self = include_self
        self.seed = seed
        self.rng = _numpy_rng(seed)

    def build_conn(self):
        """Index pairs, post neuron by post neuron.

        Examples
        --------
        >>> import bptorch as bp
        >>> kind, (i, j) = bp.connect.FixedPreNum(1, seed=0)(3, 2).build_conn()
        >>> kind, j.tolist()
        ('ij', [0, 1])
        """
        if isinstance(self.num, int):
            if self.num > self.pre_num:
                raise ConnectorError(f'"num" must be smaller than "self.pre_num", '
                                     f'but got {self.num} > {self.pre_num}')
            num = self.num
        else:
            num = int(self.pre_num * self.num)
        pre_ids = _fixed_num(self.rng, self.post_num, self.pre_num, num, self.include_self)
        post_ids = np.repeat(np.arange(self.post_num, dtype=np.int64), num)
        return 'ij', (pre_ids.reshape(-1), post_ids)


class FixedPostNum(TwoEndConnector):
    """Each pre neuron sends synapses to a fixed number of random post neurons.

    Parameters
    ----------
    num : int or float
        The number of post neurons per pre neuron (an int), or that number as a
        fraction of ``post_num`` (a float: ``int(post_num * num)``).
    include_self : bool
        Whether pre neuron ``i`` may connect to post neuron ``i``.
    seed : int, optional
        The seed of ``self.rng``.

    Notes
    -----
    As BrainPy: pre neuron ``i`` draws ``rng.random(post_num)`` and takes the
    ``num`` post neurons with the smallest draws, in that order (so ``pre2post``
    indices are not sorted within a row).

    Examples
    --------
    >>> import bptorch as bp
    >>> conn = bp.connect.FixedPostNum(num=2, seed=3)(pre_size=4, post_size=8)
    >>> indices, indptr = conn.require('pre2post')
    >>> indptr
    tensor([0, 2, 4, 6, 8])
    """

    def __init__(self, num, include_self: bool = True, seed: int | None = None):
        super().__init__()
        self.num = _check_num(num, 'FixedPostNum(num)')
        self.include_self = include_self
        self.seed = seed
        self.rng = _numpy_rng(seed)

    def build_conn(self):
        """CSR data, pre neuron by pre neuron.

        Examples
        --------
        >>> import bptorch as bp
        >>> kind, (indices, indptr) = bp.connect.FixedPostNum(1, seed=0)(2, 3).build_conn()
        >>> kind, indptr.tolist()
        ('csr', [0, 1, 2])
        """
        if isinstance(self.num, int):
            if self.num > self.post_num:
                raise ConnectorError(f'"num" must be smaller than "self.post_num", '
                                     f'but got {self.num} > {self.post_num}')
            num = self.num
        else:
            num = int(self.post_num * self.num)
        post_ids = _fixed_num(self.rng, self.pre_num, self.post_num, num, self.include_self)
        indptr = np.arange(self.pre_num + 1, dtype=np.int64) * num
        return 'csr', (post_ids.reshape(-1), indptr)


class GaussianProb(OneEndConnector):
    r"""Connect neurons of one group with a probability that decays as a Gaussian of
    their distance:

    .. math::

        p(i, j) = \exp\left(-\frac{\sum_{k=1}^n |v_k^i - v_k^j|^2}{2\sigma^2}\right)

    where :math:`v_k^i` is the value neuron :math:`i` encodes along axis :math:`k`.

    Parameters
    ----------
    sigma : float
        The width of the Gaussian.
    encoding_values : tuple, optional
        The value range each axis encodes: None (neuron positions ``0 .. n-1``),
        one ``(low, high)`` pair for every axis, or one pair per axis. An axis of
        ``n`` neurons encodes ``linspace(low, high, n + 1)[:n]``.
    normalize : bool
        Whether the probabilities are divided by their maximum.
    include_self : bool
        Whether a neuron may connect to itself.
    periodic_boundary : bool
        Whether distances wrap around each axis's value range.
    seed : int, optional
        The seed of ``self.rng``.

    Notes
    -----
    As BrainPy, neuron ``i`` of a group of size ``(n0, n1, ...)`` sits at position
    ``(i % n0, (i // n0) % n1, ...)`` (the first axis varies fastest), and the
    connection matrix is ``prob >= rng.random((num, num))``. For 1-D and 2-D groups
    the result equals BrainPy 2.1.12's bit for bit; for 3-D and more, BrainPy placed
    the post neurons in another order than the pre neurons (a bug), and bptorch
    uses the pre neurons' order for both.

    Examples
    --------
    >>> import bptorch as bp
    >>> conn = bp.connect.GaussianProb(sigma=1., seed=0)(pre_size=(6, 6))
    >>> mat = conn.require('conn_mat')
    >>> bool(mat.diagonal().all())      # distance 0: probability 1 after normalising
    True
    """

    def __init__(self, sigma: float, encoding_values=None, normalize: bool = True,
                 include_self: bool = True, periodic_boundary: bool = False,
                 seed: int | None = None):
        super().__init__()
        if isinstance(sigma, bool) or not isinstance(sigma, numbers.Real) or not sigma > 0:
            raise ConnectorError(f'GaussianProb(sigma): expected a positive number, got {sigma!r}')
        self.sigma = sigma
        self.encoding_values = encoding_values
        self.normalize = normalize
        self.include_self = include_self
        self.periodic_boundary = periodic_boundary
        self.seed = seed
        self.rng = _numpy_rng(seed)

    def _value_ranges(self):
        ev = self.encoding_values
        if ev is None:
            return tuple((0, s) for s in self.pre_size)
        if not isinstance(ev, (tuple, list)):
            raise ConnectorError(f'Unsupported encoding values: {ev}')
        if len(ev) == 0:
            raise ConnectorError('encoding_values has a length of 0.')
        if isinstance(ev[0], numbers.Real):
            if len(ev) != 2 or not ev[0] < ev[1]:
                raise ConnectorError(f'encoding_values: expected a pair (low, high) with '
                                     f'low < high, got {ev}')
            return tuple(tuple(ev) for _ in self.pre_size)
        if isinstance(ev[0], (tuple, list)):
            if len(ev) != len(self.pre_size):
                raise ConnectorError(f'The network size has {len(self.pre_size)} dimensions, '
                                     f'while the encoded values provided only has {len(ev)}-D. '
                                     f'Error in {self}.')
            for v in ev:
                if len(v) != 2 or not isinstance(v[0], numbers.Real):
                    raise ConnectorError(f'encoding_values: expected pairs (low, high), got {v}')
            return tuple(tuple(v) for v in ev)
        raise ConnectorError(f'Unsupported encoding values: {ev}')

    def build_conn(self):
        """A connection matrix: probabilities, then one uniform draw per pair.

        Examples
        --------
        >>> import bptorch as bp
        >>> bp.connect.GaussianProb(1., seed=0)(3).build_conn()[1].shape
        (3, 3)
        """
        ranges = self._value_ranges()
        num = self.pre_num
        idx = np.arange(num)
        sq = None
        for (low, high), n in zip(ranges, self.pre_size):
            values = np.linspace(low, high, n + 1)[:n]
            v = values[idx % n]
            idx = idx // n
            d = np.abs(v[:, None] - v[None, :])
            if self.periodic_boundary:
                size = high - low
                d = np.where(d > size / 2, size - d, d)
            sq = d * d if sq is None else sq + d * d
        prob = np.exp(-(np.sqrt(sq) / self.sigma) ** 2 / 2)
        if self.normalize:
            prob /= prob.max()
        mat = prob >= self.rng.random(prob.shape)
        if not self.include_self:
            np.fill_diagonal(mat, False)
        return 'mat', mat


def _random_subset(seq: np.ndarray, m: int, rng) -> set:
    """``m`` distinct elements of ``seq`` drawn uniformly with repetition (a Python set,
    whose iteration order BrainPy's growth models depend on)."""
    targets = set()
    while len(targets) < m:
        targets.add(int(rng.choice(seq)))
    return targets


class _GrowList:
    """A growing int64 array (the 'repeated nodes' list of the growth models)."""

    def __init__(self, capacity):
        self.data = np.empty(max(int(capacity), 1), dtype=np.int64)
        self.n = 0

    def extend(self, values):
        values = np.asarray(values, dtype=np.int64).reshape(-1)
        end = self.n + values.size
        if end > self.data.size:
            self.data = np.concatenate([self.data, np.empty(max(end, 2 * self.data.size),
                                                            dtype=np.int64)])
        self.data[self.n:end] = values
        self.n = end

    def view(self):
        return self.data[:self.n]


def _check_square(conn, name):
    if conn.pre_num != conn.post_num:
        raise ConnectorError(f'{name} connects a group to itself: pre_num ({conn.pre_num}) '
                             f'and post_num ({conn.post_num}) must be equal')


class SmallWorld(TwoEndConnector):
    """A Watts-Strogatz small-world graph on a 1-D ring.

    Each node is joined to its ``num_neighbor // 2`` nearest neighbours on each
    side, then each edge ``(u, v)`` is rewired with probability ``prob`` to
    ``(u, w)``, ``w`` drawn uniformly among the nodes ``u`` is not connected to.

    Parameters
    ----------
    num_neighbor : int
        The number of nearest neighbours in the ring.
    prob : float
        The probability of rewiring each edge.
    directed : bool
        Whether the graph is directed (each direction of an edge is rewired on its own).
    include_self : bool
        Whether rewiring may create self-connections.
    seed : int, optional
        The seed of ``self.rng`` (not in BrainPy 2.1.12, which used NumPy's global
        generator: ``seed=k`` gives what BrainPy gave after ``np.random.seed(k)``).

    References
    ----------
    .. [1] Duncan J. Watts and Steven H. Strogatz, Collective dynamics of small-world
           networks, Nature, 393, pp. 440--442, 1998.

    Examples
    --------
    >>> import bptorch as bp
    >>> conn = bp.connect.SmallWorld(num_neighbor=4, prob=0., seed=0)(pre_size=8, post_size=8)
    >>> conn.require('conn_mat').sum(1).tolist()     # no rewiring: a regular ring
    [4, 4, 4, 4, 4, 4, 4, 4]
    """

    def __init__(self, num_neighbor: int, prob: float, directed: bool = False,
                 include_self: bool = False, seed: int | None = None):
        super().__init__()
        self.prob = _check_prob(prob, 'SmallWorld(prob)')
        self.directed = directed
        self.num_neighbor = int(num_neighbor)
        self.include_self = include_self
        self.seed = seed
        self.rng = _numpy_rng(seed)

    def _rewire(self, i, row):
        rng = self.rng
        if rng.random(1) < self.prob:
            non_connected = np.nonzero(~row)[0]
            if len(non_connected) <= 1:
                return -1
            w = rng.choice(non_connected)
            while (not self.include_self) and w == i:
                w = rng.choice(non_connected)
            return int(w)
        return -1

    def build_conn(self):
        """A connection matrix: the ring, then the rewiring in node and distance order.

        Examples
        --------
        >>> import bptorch as bp
        >>> bp.connect.SmallWorld(2, 0.5, seed=0)(5, 5).build_conn()[0]
        'mat'
        """
        if self.pre_size != self.post_size:
            raise ConnectorError(f'SmallWorld: pre_size {self.pre_size} and post_size '
                                 f'{self.post_size} must be equal')
        if len(self.pre_size) != 1:
            raise ConnectorError('Currently only support 1D ring connection.')
        n, k = self.pre_num, self.num_neighbor
        if k > n:
            raise ConnectorError('num_neighbor > num_node, choose smaller num_neighbor or '
                                 'larger num_node')
        if k == n:   # the complete graph (BrainPy: self-connections included)
            return 'mat', np.ones((n, n), dtype=np.bool_)
        conn = np.zeros((n, n), dtype=np.bool_)
        nodes = np.arange(n)
        for j in range(1, k // 2 + 1):
            targets = np.roll(nodes, -j)
            conn[nodes, targets] = True
            conn[targets, nodes] = True
        for j in range(1, k // 2 + 1):
            targets = np.roll(nodes, -j)
            for u, v in zip(nodes.tolist(), targets.tolist()):
                w = self._rewire(u, conn[u])
                if w != -1:
                    conn[u, v] = False
                    conn[u, w] = True
                    if not self.directed:
                        conn[v, u] = False
                        conn[w, u] = True
                if self.directed:
                    w = self._rewire(u, conn[:, u])
                    if w != -1:
                        conn[v, u] = False
                        conn[w, u] = True
        return 'mat', conn


class ScaleFreeBA(TwoEndConnector):
    """A Barabási-Albert scale-free graph: nodes are added one by one, each with ``m``
    edges to existing nodes chosen with probability proportional to their degree.

    Parameters
    ----------
    m : int
        The number of edges from each new node to existing nodes.
    directed : bool
        Whether the edges go only from the new node to the existing ones.
    seed : int, optional
        The seed of ``self.rng``.

    References
    ----------
    .. [1] A. L. Barabási and R. Albert "Emergence of scaling in random networks",
           Science 286, pp 509-512, 1999.

    Examples
    --------
    >>> import bptorch as bp
    >>> mat = bp.connect.ScaleFreeBA(m=2, seed=0)(20, 20).require('conn_mat')
    >>> int(mat.sum()) // 2          # m edges per node added after the first m
    36
    """

    def __init__(self, m: int, directed: bool = False, seed: int | None = None):
        super().__init__()
        self.m = int(m)
        self.directed = directed
        self.seed = seed
        self.rng = _numpy_rng(seed)

    def build_conn(self):
        """A connection matrix, grown node by node.

        Examples
        --------
        >>> import bptorch as bp
        >>> bp.connect.ScaleFreeBA(1, seed=0)(3, 3).build_conn()[1].sum()
        np.int64(4)
        """
        _check_square(self, 'ScaleFreeBA')
        n, m = self.pre_num, self.m
        if m < 1 or m >= n:
            raise ConnectorError(f"Barabási–Albert network must have m >= 1 and "
                                 f"m < n, while m = {m} and n = {n}")
        conn = np.zeros((n, n), dtype=np.bool_)
        targets = list(range(m))
        repeated = _GrowList(2 * m * n)
        for source in range(m, n):
            conn[source, targets] = True
            if not self.directed:
                conn[targets, source] = True
            repeated.extend(targets)
            repeated.extend([source] * m)
            targets = list(_random_subset(repeated.view(), m, self.rng))
        return 'mat', conn


class ScaleFreeBADual(TwoEndConnector):
    r"""A dual Barabási-Albert scale-free graph: each new node brings ``m1`` edges with
    probability ``p`` and ``m2`` edges otherwise, attached preferentially.

    Parameters
    ----------
    m1 : int
        The number of edges of a new node, with probability ``p``.
    m2 : int
        The number of edges of a new node, with probability ``1 - p``.
    p : float
        The probability of ``m1`` edges.
    directed : bool
        Whether the edges go only from the new node to the existing ones.
    seed : int, optional
        The seed of ``self.rng``.

    References
    ----------
    .. [1] N. Moshiri "The dual-Barabasi-Albert model", arXiv:1810.10538.

    Examples
    --------
    >>> import bptorch as bp
    >>> mat = bp.connect.ScaleFreeBADual(m1=1, m2=3, p=1., seed=0)(10, 10).require('conn_mat')
    >>> int(mat.sum()) // 2          # p=1: one edge for each of the 7 nodes after the first 3
    7
    """

    def __init__(self, m1: int, m2: int, p: float, directed: bool = False,
                 seed: int | None = None):
        super().__init__()
        self.m1 = int(m1)
        self.m2 = int(m2)
        self.p = p
        self.directed = directed
        self.seed = seed
        self.rng = _numpy_rng(seed)

    def build_conn(self):
        """A connection matrix, grown node by node.

        Examples
        --------
        >>> import bptorch as bp
        >>> bp.connect.ScaleFreeBADual(1, 2, 0.5, seed=0)(4, 4).build_conn()[0]
        'mat'
        """
        _check_square(self, 'ScaleFreeBADual')
        n, m1, m2, p = self.pre_num, self.m1, self.m2, self.p
        if m1 < 1 or m1 >= n:
            raise ConnectorError(f"Dual Barabási–Albert network must have m1 >= 1 and "
                                 f"m1 < num_node, while m1 = {m1} and num_node = {n}.")
        if m2 < 1 or m2 >= n:
            raise ConnectorError(f"Dual Barabási–Albert network must have m2 >= 1 and "
                                 f"m2 < num_node, while m2 = {m2} and num_node = {n}.")
        if p < 0 or p > 1:
            raise ConnectorError(f"Dual Barabási–Albert network must have 0 <= p <= 1, "
                                 f"while p = {p}")
        conn = np.zeros((n, n), dtype=np.bool_)
        repeated = _GrowList(2 * max(m1, m2) * n)
        m = m1 if self.rng.random() < p else m2
        targets = list(range(m))
        for source in range(max(m1, m2), n):
            conn[source, targets] = True
            if not self.directed:
                conn[targets, source] = True
            repeated.extend(targets)
            repeated.extend([source] * m)
            m = m1 if self.rng.random() < p else m2
            targets = list(_random_subset(repeated.view(), m, self.rng))
        return 'mat', conn


class PowerLaw(TwoEndConnector):
    """The Holme-Kim graph: Barabási-Albert growth where each random edge is followed,
    with probability ``p``, by an edge to one of its target's neighbours (a triangle).

    Parameters
    ----------
    m : int
        The number of random edges of each new node.
    p : float
        The probability of adding a triangle after a random edge.
    directed : bool
        Whether the edges go only from the new node to the existing ones.
    seed : int, optional
        The seed of ``self.rng``.

    References
    ----------
    .. [1] P. Holme and B. J. Kim, "Growing scale-free networks with tunable
           clustering", Phys. Rev. E, 65, 026107, 2002.

    Examples
    --------
    >>> import bptorch as bp
    >>> mat = bp.connect.PowerLaw(m=2, p=0.5, seed=0)(30, 30).require('conn_mat')
    >>> int(mat.sum()) // 2          # m edges for each node after the first m
    56
    """

    def __init__(self, m: int, p: float, directed: bool = False, seed: int | None = None):
        super().__init__()
        self.m = int(m)
        if p > 1 or p < 0:
            raise ConnectorError(f"p must be in [0,1], while p={p}")
        self.p = p
        self.directed = directed
        self.seed = seed
        self.rng = _numpy_rng(seed)

    def build_conn(self):
        """A connection matrix, grown node by node.

        Examples
        --------
        >>> import bptorch as bp
        >>> bp.connect.PowerLaw(1, 0.5, seed=0)(3, 3).build_conn()[1].sum()
        np.int64(4)
        """
        _check_square(self, 'PowerLaw')
        n, m, rng = self.pre_num, self.m, self.rng
        if m < 1 or n < m:
            raise ConnectorError(f"Must have m>1 and m<n, while m={m} and n={n}")
        conn = np.zeros((n, n), dtype=np.bool_)
        repeated = _GrowList(2 * m * n)
        repeated.extend(range(m))

        def link(a, b):
            conn[a, b] = True
            if not self.directed:
                conn[b, a] = True
            repeated.extend([b])

        for source in range(m, n):
            possible = _random_subset(repeated.view(), m, rng)
            target = possible.pop()
            link(source, target)
            count = 1
            while count < m:
                if rng.random() < self.p:   # clustering step: a triangle
                    neighbours = np.nonzero(conn[target])[0]
                    hood = [nb for nb in neighbours.tolist()
                            if not conn[source, nb] and nb != source]
                    if hood:
                        link(source, int(rng.choice(hood)))
                        count += 1
                        continue
                target = possible.pop()       # else a preferential attachment
                link(source, target)
                count += 1
            repeated.extend([source] * m)
        return 'mat', conn
