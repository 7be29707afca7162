"""Deterministic graph layouts for the site: nodes placed in labelled columns, computed in Python.

Positions are computed here, not by vis-network's physics, so a large graph draws at once and
the same corpus always gives the same picture (integer coordinates, ties broken by id).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

import networkx as nx

ROW_GAP = 44  # vertical distance between nodes in a column
SUB_GAP = 170  # horizontal distance between sub-columns of one long column
COL_GAP = 240  # horizontal distance between neighbouring columns
MAX_ROWS = 20  # a longer column wraps into sub-columns


@dataclass
class Column:
    heading: str
    nodes: list[str]
    sub: str = ""
    spread: bool = False  # stretch a short column over the tallest one (articles, studies)
    gap: int = field(default=0)  # extra space before this column
    sub_gap: int = 0  # distance between its sub-columns, if not the spacing's (long labels)


@dataclass(frozen=True)
class Heading:
    text: str
    sub: str  # a second, smaller line
    x: int
    y: int


@dataclass(frozen=True)
class Spacing:
    row: int = ROW_GAP
    sub: int = SUB_GAP
    col: int = COL_GAP


def place_columns(
    columns: list[Column], *, max_rows: int = MAX_ROWS, spacing: Spacing = Spacing()
) -> tuple[dict[str, tuple[int, int]], list[Heading]]:
    """Positions for every node, column by column left to right, and a heading above each."""
    columns = [c for c in columns if c.nodes]
    shapes = []
    for col in columns:
        subcols = max(1, math.ceil(len(col.nodes) / max_rows))
        rows = math.ceil(len(col.nodes) / subcols)
        shapes.append((subcols, rows))
    tallest = max((rows for _, rows in shapes), default=1)
    height = (tallest - 1) * spacing.row
    positions: dict[str, tuple[int, int]] = {}
    headings: list[Heading] = []
    x = 0
    for i, (col, (subcols, rows)) in enumerate(zip(columns, shapes, strict=True)):
        if i:
            x += spacing.col + col.gap
        gap = spacing.row
        if col.spread and subcols == 1 and rows > 1:
            gap = max(spacing.row, height // (rows - 1))
        for k, node in enumerate(col.nodes):
            sub, row = divmod(k, rows)
            in_this = min(rows, len(col.nodes) - sub * rows)
            y = round((row - (in_this - 1) / 2) * gap)
            positions[node] = (x + sub * (col.sub_gap or spacing.sub), y)
        width = (subcols - 1) * (col.sub_gap or spacing.sub)
        headings.append(Heading(col.heading, col.sub, x + width // 2, -height // 2 - 100))
        x += width
    return positions, headings


def fit_rows(
    columns: list[Column], aspect: Fraction = Fraction(13, 10), spacing: Spacing = Spacing()
) -> int:
    """The column length at which the layout's width:height comes closest to `aspect`.

    A screen is wider than tall: long columns wrap into sub-columns until the picture fits it.
    """
    shown = [c for c in columns if c.nodes]
    sizes = [len(c.nodes) for c in shown]
    longest = max(sizes, default=1)
    best, best_gap = MAX_ROWS, Fraction(10**9)
    for rows in range(8, max(9, longest + 1)):
        # The same arithmetic as place_columns, on column sizes only.
        subcols = [math.ceil(n / rows) for n in sizes]
        tallest = max((math.ceil(n / k) for n, k in zip(sizes, subcols, strict=True)), default=1)
        width = len(sizes) * spacing.col + sum(
            (k - 1) * (c.sub_gap or spacing.sub) for c, k in zip(shown, subcols, strict=True)
        )
        height = (tallest + 2) * spacing.row
        # Exact arithmetic: the choice must not depend on a platform's floating-point library.
        ratio = Fraction(width, height) / aspect
        gap = max(ratio, 1 / ratio)
        if gap < best_gap:
            best, best_gap = rows, gap
    return best


def spread_rank(order: Iterable[str]) -> dict[str, float]:
    """Each node's place in an ordered column as a fraction 0..1 (columns of any length align)."""
    items = list(order)
    n = len(items)
    return {node: (i + 0.5) / n for i, node in enumerate(items)}


def barycentre_order(
    nodes: Iterable[str],
    neighbours: Callable[[str], Iterable[str]],
    rank: dict[str, float],
) -> list[str]:
    """Nodes sorted by the mean rank of their already-placed neighbours, then by id.

    Placing a node near the nodes it links to keeps edges short and crossings few.
    """

    def key(node: str) -> tuple[float, str]:
        ranks = [rank[n] for n in neighbours(node) if n in rank]
        return (sum(ranks) / len(ranks) if ranks else 2.0, node)

    return sorted(nodes, key=key)


def chain_layers(g: nx.MultiDiGraph) -> list[list[str]]:
    """Entities in layers along the causal chain: each one layer right of its furthest cause.

    Cycles are collapsed first (their members share a layer). Nodes with no edge come last.
    """
    simple = nx.DiGraph()
    simple.add_nodes_from(sorted(g.nodes))
    simple.add_edges_from(sorted((u, v) for u, v in g.edges() if u != v))
    linked = sorted(n for n in simple if simple.degree(n))
    unlinked = sorted(n for n in simple if not simple.degree(n))
    core = simple.subgraph(linked)
    cond = nx.condensation(core)
    mapping: dict[str, int] = cond.graph["mapping"]
    members: dict[int, list[str]] = {}
    for node, scc in mapping.items():
        members.setdefault(scc, []).append(node)
    order = nx.lexicographical_topological_sort(cond, key=lambda scc: min(members[scc]))
    depth: dict[int, int] = {}
    for scc in order:
        depth[scc] = max((depth[p] + 1 for p in cond.predecessors(scc)), default=0)
    layers: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for node in linked:
        layers[depth[mapping[node]]].append(node)
    # Order each layer next to its causes; the first by how much it drives (out-degree).
    rank: dict[str, float] = {}
    ordered: list[list[str]] = []
    for i, layer in enumerate(layers):
        if i == 0:
            layer = sorted(layer, key=lambda n: (-simple.out_degree(n), n))
        else:
            layer = barycentre_order(layer, lambda n: simple.predecessors(n), rank)
        rank.update(spread_rank(layer))
        ordered.append(layer)
    if unlinked:
        ordered.append(unlinked)
    return ordered
