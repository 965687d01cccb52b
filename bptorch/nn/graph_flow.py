"""Graph tools for node networks (BrainPy 2.1.12's ``brainpy.nn.graph_flow``).

Nodes are any hashable objects; edges are ``(sender, receiver)`` pairs. Results
keep the order in which nodes and edges are given (BrainPy used sets, whose
order changes from run to run).

Examples
--------
>>> import bptorch as bp
>>> bp.nn.find_entries_and_exits((1, 2, 3), ((1, 2), (2, 3)))
([1], [3])
>>> bp.nn.detect_cycle((1, 2), ((1, 2), (2, 1)))
True
"""

from __future__ import annotations

from collections import deque
from typing import Any, Hashable, Iterable, Sequence

__all__ = ['find_senders_and_receivers', 'find_entries_and_exits', 'detect_cycle', 'detect_path',
           'topological_sort']


def find_senders_and_receivers(edges: Iterable[tuple]) -> tuple[dict, dict]:
    """``(senders, receivers)``: for each receiver the list of its senders, and for
    each sender the list of its receivers.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.nn.find_senders_and_receivers([(1, 2), (3, 2)])
    ({2: [1, 3]}, {1: [2], 3: [2]})
    """
    senders: dict = {}
    receivers: dict = {}
    for sender, receiver in edges:
        senders.setdefault(receiver, []).append(sender)
        receivers.setdefault(sender, []).append(receiver)
    return senders, receivers


def find_entries_and_exits(nodes: Sequence, ff_edges: Sequence[tuple],
                           fb_edges: Sequence[tuple] = ()) -> tuple[list, list]:
    """The input nodes (sending but not receiving feedforward data) and the output
    nodes (receiving but not sending), in the order of ``nodes``. Nodes without any
    edge are neither.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.nn.find_entries_and_exits((1, 2, 3, 4, 5), ((1, 2), (2, 3), (3, 4)))
    ([1], [4])
    """
    ff_senders = {n for n, _ in ff_edges}
    ff_receivers = {n for _, n in ff_edges}
    fb_senders = {n for n, _ in fb_edges}
    fb_nodes = fb_senders | {n for _, n in fb_edges}
    entries, exits = [], []
    for node in nodes:
        connected = node in ff_senders or node in ff_receivers or node in fb_nodes
        if not connected:
            continue
        if (node in ff_senders or node in fb_senders) and node not in ff_receivers:
            entries.append(node)
        if node in ff_receivers and node not in ff_senders:
            exits.append(node)
    return entries, exits


def topological_sort(nodes: Sequence, ff_edges: Sequence[tuple],
                     inputs: Sequence | None = None) -> list:
    """The nodes in an order where every sender comes before its receivers (Kahn's algorithm).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.nn.graph_flow.topological_sort((3, 1, 2), ((1, 2), (2, 3)))
    [1, 2, 3]
    """
    if inputs is None:
        inputs, _ = find_entries_and_exits(nodes, ff_edges)
    senders, receivers = find_senders_and_receivers(ff_edges)
    remaining = {n: len(set(senders.get(n, ()))) for n in nodes}
    queue = deque(inputs)
    ordered, seen = [], set()
    while queue:
        n = queue.popleft()
        if n in seen:
            continue
        seen.add(n)
        ordered.append(n)
        for m in dict.fromkeys(receivers.get(n, ())):
            remaining[m] -= 1
            if remaining[m] == 0:
                queue.append(m)
    if any(count > 0 for count in remaining.values()):
        raise RuntimeError('Model has a cycle: impossible to automatically determine operation '
                           'order in the model.')
    return ordered


def detect_cycle(nodes: Sequence[Hashable], edges: Sequence[tuple]) -> bool:
    """Whether the directed graph has a cycle (a self-loop counts).

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.nn.detect_cycle([0, 1, 2, 3], [(0, 1), (0, 2), (1, 2), (2, 3)])
    False
    >>> bp.nn.detect_cycle([0, 1, 2, 3], [(0, 1), (2, 0), (1, 2)])
    True
    """
    graph: dict[Any, list] = {n: [] for n in nodes}
    for s, r in edges:
        graph.setdefault(s, []).append(r)
        graph.setdefault(r, [])
    white, grey, black = 0, 1, 2
    color = {n: white for n in graph}
    for start in graph:
        if color[start] != white:
            continue
        color[start] = grey
        stack = [(start, iter(graph[start]))]
        while stack:
            node, children = stack[-1]
            for child in children:
                if color[child] == grey:
                    return True
                if color[child] == white:
                    color[child] = grey
                    stack.append((child, iter(graph[child])))
                    break
            else:
                color[node] = black
                stack.pop()
    return False


def detect_path(from_node: Hashable, to_node: Hashable, edges: Sequence[tuple],
                method: str = 'dfs') -> bool:
    """Whether a path of one or more edges leads from ``from_node`` to ``to_node``.

    Examples
    --------
    >>> import bptorch as bp
    >>> bp.nn.detect_path('a', 'c', [('a', 'b'), ('b', 'c')])
    True
    >>> bp.nn.detect_path('c', 'a', [('a', 'b'), ('b', 'c')], method='bfs')
    False
    """
    if method not in ('dfs', 'bfs'):
        raise ValueError(f"Unknown method {method!r}: expected 'dfs' or 'bfs'")
    graph: dict[Any, list] = {}
    for s, r in edges:
        graph.setdefault(s, []).append(r)
    frontier = deque(graph.get(from_node, ()))
    seen = set()
    while frontier:
        node = frontier.pop() if method == 'dfs' else frontier.popleft()
        if node == to_node:
            return True
        if node in seen:
            continue
        seen.add(node)
        frontier.extend(graph.get(node, ()))
    return False
