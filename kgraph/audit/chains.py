"""Premise chains for the weak-link rule (AU104): each claim's path to its weakest premise.

The weakest premise of a claim is the graded claim in its `depends_on` closure with the lowest
rank; among equals, the nearest (fewest steps), then the smallest id.
"""

from __future__ import annotations

from collections import deque

import networkx as nx

from kgraph.corpus.model import Corpus

# (rank of the weakest premise, steps to it, its id): smaller is weaker.
Key = tuple[int, int, str]


def _deps(corpus: Corpus, cid: str) -> list[str]:
    return [d for d in corpus.claims[cid].depends_on if d in corpus.claims and d != cid]


def weakest_chains(corpus: Corpus) -> dict[str, tuple[str, ...]]:
    """claim id -> (claim, ..., weakest premise), for every claim with a graded premise.

    On an acyclic corpus (one that passes the check) each claim is solved once from its premises'
    answers, in dependency order. A corpus with a cycle falls back to a search per claim.
    """
    g = nx.DiGraph()
    g.add_nodes_from(sorted(corpus.claims))
    g.add_edges_from((c, d) for c in sorted(corpus.claims) for d in _deps(corpus, c))
    if not nx.is_directed_acyclic_graph(g):
        found = {cid: chain_by_search(corpus, cid) for cid in sorted(corpus.claims)}
        return {cid: chain for cid, chain in found.items() if chain is not None}
    best: dict[str, Key] = {}
    via: dict[str, str] = {}  # the premise a claim's weakest chain passes through first
    for cid in reversed(list(nx.lexicographical_topological_sort(g))):
        for dep in _deps(corpus, cid):
            candidates: list[Key] = []
            rank = corpus.claims[dep].rank
            if rank is not None:
                candidates.append((rank, 1, dep))
            if dep in best:
                r, steps, target = best[dep]
                candidates.append((r, steps + 1, target))
            for key in candidates:
                if cid not in best or key < best[cid]:
                    best[cid] = key
                    via[cid] = dep
    chains: dict[str, tuple[str, ...]] = {}
    for cid, (_, _, target) in best.items():
        chain = [cid]
        while chain[-1] != target:
            chain.append(via[chain[-1]])
        chains[cid] = tuple(chain)
    return chains


def chain_by_search(corpus: Corpus, start: str) -> tuple[str, ...] | None:
    """Breadth-first from one claim, visiting each premise once (so a cycle cannot trap it)."""
    parent: dict[str, str] = {}
    depth = {start: 0}
    queue = deque([start])
    best: Key | None = None
    while queue:
        node = queue.popleft()
        for dep in _deps(corpus, node):
            if dep in depth:
                continue
            depth[dep] = depth[node] + 1
            parent[dep] = node
            queue.append(dep)
            rank = corpus.claims[dep].rank
            if rank is not None and (best is None or (rank, depth[dep], dep) < best):
                best = (rank, depth[dep], dep)
    if best is None:
        return None
    chain = [best[2]]
    while chain[-1] != start:
        chain.append(parent[chain[-1]])
    return tuple(reversed(chain))
