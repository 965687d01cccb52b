"""Building networks from nodes (BrainPy 2.1.12's ``brainpy.nn.operations``).

1. feedforward connection: ``a >> b`` (``net >>= b`` in place);
2. feedback connection: ``a << b`` (``b`` feeds its output of the previous step
   back into ``a``; ``net <<= b`` in place);
3. merging: ``a & b`` (``net &= b`` in place): all nodes and edges of both;
4. concatenating senders: ``[a, b] >> c`` or ``(a, b) >> c`` (a :class:`Concat`
   node joins the outputs of ``a`` and ``b``);
5. a set of nodes: ``{a, b} >> c`` (each of ``a``, ``b`` sends to ``c``) and
   ``a >> {b, c}``;
6. selecting: ``a[..., :5]`` (a :class:`Select` node).

Rules: a feedback connection ``a << b`` needs a feedforward path from ``a`` to
``b`` (checked at ``initialize``); feedforward and feedback edges may not form
cycles; a list or tuple of receivers (``a >> [b, c]``) is a ``TypeError``. A node
that takes one input (``SingleData``) and gets several gets a ``Concat`` in front.

Unlike BrainPy (which kept nodes in Python sets), the nodes and edges of a network
keep the order in which they were connected, and the elements of a set operand
are taken in the order of their names, so a network is the same from run to run.

Examples
--------
>>> import bptorch as bp
>>> i, r, o = bp.nn.Input(1, name='op_i'), bp.nn.VanillaRNN(4, name='op_r'), bp.nn.Dense(1)
>>> net = [i >> r, i] >> o
>>> [n.name for n in net.lnodes if not isinstance(n, bp.nn.Concat)][:2]
['op_i', 'op_r']
>>> type(net.ff_senders[o][0]).__name__
'Concat'
"""

from __future__ import annotations

from typing import Any, Sequence, Set, Union

from bptorch.nn import graph_flow
from bptorch.nn.base import FrozenNetwork, Network, Node
from bptorch.nn.datatypes import SingleData

__all__ = ['ff_connect', 'fb_connect', 'merge', 'select', 'concatenate']


class _OrderedSet(dict):
    """A set that remembers insertion order (keys of a dict)."""

    def add(self, item) -> None:
        self[item] = None

    def update_all(self, items) -> None:
        for item in items:
            self[item] = None

    def remove(self, item) -> None:
        del self[item]


def _sorted_set(items: set) -> list:
    return sorted(items, key=lambda n: getattr(n, 'name', ''))


def _retrieve_nodes_and_edges(senders: Any, receivers: Any):
    if isinstance(senders, (tuple, list)):
        senders = [concatenate(senders)]
    elif isinstance(senders, set):
        senders = _sorted_set(senders)
    elif isinstance(senders, Node):
        senders = [senders]
    else:
        raise TypeError(f'Impossible to send connection from {senders}: it is not a Node or a '
                        f'Network instance.')
    if isinstance(receivers, (tuple, list)):
        raise TypeError('Cannot concatenate a list/tuple of receivers. Please use set to wrap '
                        'multiple receivers instead.')
    elif isinstance(receivers, set):
        receivers = _sorted_set(receivers)
    elif isinstance(receivers, Node):
        receivers = [receivers]
    else:
        raise TypeError(f'Impossible to send connection to {receivers}: it is not a Node or a '
                        f'Network instance.')

    all_nodes, all_ff_edges, all_fb_edges = _OrderedSet(), _OrderedSet(), _OrderedSet()
    for node in senders + receivers:
        if isinstance(node, FrozenNetwork):
            raise TypeError(f'Cannot connect {FrozenNetwork.__name__} to other Nodes.')
        if isinstance(node, Network):
            all_nodes.update_all(node.lnodes)
            all_ff_edges.update_all(node.ff_edges)
            all_fb_edges.update_all(node.fb_edges)
        elif isinstance(node, Node):
            all_nodes.add(node)
        else:
            raise TypeError(f"Impossible to link nodes: object {node} is neither a "
                            f"'brainpy.nn.Node' nor a 'brainpy.nn.Network'.")
    all_senders, all_receivers = _OrderedSet(), _OrderedSet()
    for node in senders:
        all_senders.update_all(node.exit_nodes if isinstance(node, Network) else (node,))
    for node in receivers:
        all_receivers.update_all(node.entry_nodes if isinstance(node, Network) else (node,))
    return all_nodes, all_ff_edges, all_fb_edges, list(all_senders), list(all_receivers)


def _senders_of(edges) -> dict:
    out: dict = {}
    for sender, receiver in edges:
        out.setdefault(receiver, []).append(sender)
    return out


def _reorganize_many2one(ff_edges: _OrderedSet, fb_edges: _OrderedSet):
    """Put a :class:`Concat` in front of every ``SingleData`` node with several senders."""
    from bptorch.nn.nodes.base.ops import Concat

    new_nodes = []
    for edges in (ff_edges, fb_edges):
        # a sender always feeds the Concat forward; the Concat feeds the receiver the way
        # the senders did (forward or as feedback)
        for receiver, senders in _senders_of(list(edges)).items():
            if isinstance(receiver.data_pass, SingleData) and len(senders) > 1:
                concats = [node for node in senders if isinstance(node, Concat)]
                if len(concats) == 1:
                    concat = concats[0]
                    for sender in senders:
                        if sender is not concat:
                            edges.remove((sender, receiver))
                            ff_edges.add((sender, concat))
                else:
                    concat = Concat()
                    for sender in senders:
                        edges.remove((sender, receiver))
                        ff_edges.add((sender, concat))
                    edges.add((concat, receiver))
                    new_nodes.append(concat)
    return new_nodes, ff_edges, fb_edges


def _check_cycles(nodes, ff_edges, fb_edges) -> None:
    if graph_flow.detect_cycle(nodes, ff_edges):
        raise ValueError('We detect cycles in feedforward connections. Maybe you should replace '
                         'some connection with as feedback ones.')
    if graph_flow.detect_cycle(nodes, fb_edges):
        raise ValueError('We detect cycles in feedback connections. ')


def _build(nodes, ff_edges, fb_edges, inplace_target, name) -> Network:
    if inplace_target is not None:
        if name is not None:
            raise ValueError('Cannot set name when inplace=True.')
        return inplace_target.replace_graph(nodes=tuple(nodes), ff_edges=tuple(ff_edges),
                                            fb_edges=tuple(fb_edges))
    return Network(nodes=tuple(nodes), ff_edges=tuple(ff_edges), fb_edges=tuple(fb_edges),
                   name=name)


def _inplace_target(first, second, what: str):
    for candidate in (first, second):
        if isinstance(candidate, Network) and not isinstance(candidate, FrozenNetwork):
            return candidate
    raise TypeError(f'Cannot inplace update the {what} connection of a Node instance: neither '
                    f'{first} nor {second} is a Network.')


def merge(node: Node, *other_nodes: Node, inplace: bool = False, name: str | None = None,
          need_detect_cycle: bool = True) -> Network:
    """Merge nodes and networks into one network with all their nodes and edges (``a & b``).

    Parameters
    ----------
    node : Node or Network
        The first node or network (with ``inplace``, the network updated).
    *other_nodes : Node or Network
        The others.
    inplace : bool
        Update ``node`` (a Network) instead of making a new network.
    name : str, optional
        The name of the new network.
    need_detect_cycle : bool
        Refuse cycles of feedforward (or of feedback) edges.

    Examples
    --------
    >>> import bptorch as bp
    >>> i, r, o = bp.nn.Input(1), bp.nn.Reservoir(3), bp.nn.Dense(1)
    >>> net = (i >> r >> o) & (i >> o)
    >>> len(net.lnodes), len(net.ff_edges)
    (3, 3)
    """
    for n in other_nodes + (node,):
        if not isinstance(n, Node):
            raise TypeError(f'Impossible to merge nodes: object {type(n).__name__} is not a Node '
                            f'instance.')
    all_nodes, all_ff_edges, all_fb_edges = _OrderedSet(), _OrderedSet(), _OrderedSet()
    for n in (node,) + other_nodes:
        if isinstance(n, FrozenNetwork):
            raise TypeError(f'{FrozenNetwork.__name__} cannot merge with other nodes.')
        if isinstance(n, Network):
            all_nodes.update_all(n.lnodes)
            all_ff_edges.update_all(n.ff_edges)
            all_fb_edges.update_all(n.fb_edges)
        else:
            all_nodes.add(n)
    new_nodes, all_ff_edges, all_fb_edges = _reorganize_many2one(all_ff_edges, all_fb_edges)
    all_nodes.update_all(new_nodes)
    if need_detect_cycle:
        _check_cycles(tuple(all_nodes), tuple(all_ff_edges), tuple(all_fb_edges))
    target = None
    if inplace:
        if not isinstance(node, Network) or isinstance(node, FrozenNetwork):
            raise ValueError(f'Impossible to merge nodes inplace: {node} is not a '
                             f'{Network.__name__} instance.')
        target = node
    return _build(all_nodes, all_ff_edges, all_fb_edges, target, name)


def ff_connect(senders: Union[Node, Sequence[Node], Set[Node]],
               receivers: Union[Node, Set[Node]], inplace: bool = False,
               name: str | None = None, need_detect_cycle: bool = True) -> Network:
    """Connect the outputs of ``senders`` to the inputs of ``receivers`` (``senders >> receivers``).

    Every exit node of the senders sends to every entry node of the receivers. A
    list or tuple of senders is concatenated first (:func:`concatenate`); a set of
    senders sends separately.

    Parameters
    ----------
    senders : Node, Network, list/tuple or set of them
        The sending side.
    receivers : Node, Network or set of them
        The receiving side (a list or tuple is a ``TypeError``).
    inplace : bool
        Update the network on the left (or, if it is a node, the one on the right)
        instead of making a new one.
    name : str, optional
        The name of the new network.
    need_detect_cycle : bool
        Refuse cycles.

    Examples
    --------
    >>> import bptorch as bp
    >>> i, a, b = bp.nn.Input(1), bp.nn.Dense(3), bp.nn.Dense(4)
    >>> net = i >> {a, b}
    >>> len(net.exit_nodes)
    2
    >>> i >> [a, b]
    Traceback (most recent call last):
    ...
    TypeError: Cannot concatenate a list/tuple of receivers. Please use set to wrap multiple receivers instead.
    """
    all_nodes, all_ff_edges, all_fb_edges, ff_senders, ff_receivers = \
        _retrieve_nodes_and_edges(senders, receivers)
    all_ff_edges.update_all((s, r) for s in ff_senders for r in ff_receivers)
    new_nodes, all_ff_edges, all_fb_edges = _reorganize_many2one(all_ff_edges, all_fb_edges)
    all_nodes.update_all(new_nodes)
    if need_detect_cycle:
        _check_cycles(tuple(all_nodes), tuple(all_ff_edges), tuple(all_fb_edges))
    target = _inplace_target(senders, receivers, 'feedforward') if inplace else None
    return _build(all_nodes, all_ff_edges, all_fb_edges, target, name)


def fb_connect(senders: Union[Node, Sequence[Node], Set[Node]],
               receivers: Union[Node, Set[Node]], inplace: bool = False,
               name: str | None = None, need_detect_cycle: bool = True) -> Network:
    """Feed the outputs of ``senders`` back into ``receivers`` (``receivers << senders``).

    At each step a receiver gets the senders' outputs of the previous step (zeros
    at first, or ``initial_feedbacks`` / ``forced_feedbacks`` of the runners). The
    receivers must accept feedback (implement ``init_fb_conn``).

    Parameters
    ----------
    senders : Node, Network, list/tuple or set of them
        The nodes whose outputs feed back.
    receivers : Node, Network or set of them
        The nodes receiving the feedback.
    inplace : bool
        Update the network on the receiving side (or the sending side) instead of
        making a new one.
    name : str, optional
        The name of the new network.
    need_detect_cycle : bool
        Refuse cycles.

    Examples
    --------
    >>> import bptorch as bp
    >>> i, r, o = bp.nn.Input(1), bp.nn.Reservoir(3), bp.nn.Dense(1)
    >>> net = (i >> r >> o) & (r << o)
    >>> net.fb_senders[r] == [o]
    True
    >>> bp.nn.Input(1) << bp.nn.Dense(1)
    Traceback (most recent call last):
    ...
    ValueError: Establish a feedback connection to Input... is not allowed. Because this node does not support feedback connections.
    """
    all_nodes, all_ff_edges, all_fb_edges, fb_senders, fb_receivers = \
        _retrieve_nodes_and_edges(senders, receivers)
    for node in fb_receivers:
        if not node.is_feedback_input_supported:
            raise ValueError(f'Establish a feedback connection to {node} is not allowed. Because '
                             f'this node does not support feedback connections.')
    if need_detect_cycle and graph_flow.detect_cycle(tuple(all_nodes), tuple(all_ff_edges)):
        raise ValueError('We detect cycles in feedforward connections. Maybe you should replace '
                         'some connection with as feedback ones.')
    all_fb_edges.update_all((s, r) for s in fb_senders for r in fb_receivers)
    new_nodes, all_ff_edges, all_fb_edges = _reorganize_many2one(all_ff_edges, all_fb_edges)
    all_nodes.update_all(new_nodes)
    if need_detect_cycle and graph_flow.detect_cycle(tuple(all_nodes), tuple(all_fb_edges)):
        raise ValueError('We detect cycles in feedback connections. ')
    target = _inplace_target(receivers, senders, 'feedback') if inplace else None
    return _build(all_nodes, all_ff_edges, all_fb_edges, target, name)


def select(node: Node, index: Any, name: str | None = None) -> Network:
    """``node >> Select(index)`` (``node[index]``): a subset of the node's output.

    Examples
    --------
    >>> import bptorch as bp, bptorch.math as bm
    >>> net = bp.nn.Input(4)[..., 1:3]
    >>> net.initialize(1)
    >>> net(bm.arange(4.).reshape(1, 4))
    tensor([[1., 2.]])
    """
    from bptorch.nn.nodes.base.ops import Select
    if isinstance(node, Network) and len(node.exit_nodes) != 1:
        raise ValueError(f'Cannot select subsets of states when Network instance "{node}" has '
                         f'multiple output nodes.')
    return ff_connect(node, Select(index=index), name=name, need_detect_cycle=False)


def concatenate(nodes: Sequence[Node], axis: int = -1, name: str | None = None) -> Network:
    """A network joining the outputs of ``nodes`` with a :class:`Concat` node (``[a, b] >> ...``).

    Examples
    --------
    >>> import bptorch as bp
    >>> net = bp.nn.concatenate([bp.nn.Input(1), bp.nn.Input(2)])
    >>> net.initialize(1)
    >>> net.output_shape
    (None, 3)
    """
    from bptorch.nn.nodes.base.ops import Concat
    right = Concat(axis=axis)
    model = Network(name=name)
    for node in nodes:
        if isinstance(node, FrozenNetwork):
            raise ValueError('Cannot concat a Frozen network.')
        if isinstance(node, Network) and len(node.exit_nodes) > 1:
            raise ValueError(f'Cannot concatenate network which has {len(node.exit_nodes)} '
                             f'output nodes with other nodes.')
        model = merge(model, ff_connect(node, right, need_detect_cycle=False), inplace=True,
                      need_detect_cycle=False)
    return model
