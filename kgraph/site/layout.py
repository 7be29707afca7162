"""Deterministic graph layouts for the site: layered drawings computed in Python, and the
whole graph's wrapped columns (`kgraph.site.whole`).

Positions are computed here, not by vis-network's physics, so a large graph draws at once and
the same corpus always gives the same picture (integer coordinates, ties broken by keeping order).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True)
class Heading:
    text: str
    sub: str  # a second, smaller line
    x: int
    y: int


# --- Layered drawings at the reader's scale: coordinates are CSS pixels at zoom 1 -----------

# A layer of a layered drawing: its bands (groups with a heading, in a fixed order), each band
# an ordered list of node ids. Crossing minimisation reorders nodes within their band only.
Layer = list[list[str]]


def count_crossings(
    upper: dict[str, int], lower: dict[str, int], edges: list[tuple[str, str]]
) -> int:
    """How many pairs of edges between two layers cross, from each node's place in its layer.

    Edges sorted by their upper end; every inversion of their lower ends is a crossing.
    Counted with a Fenwick tree, so a neighbourhood of thousands of edges costs milliseconds.
    """
    pairs = sorted((upper[u], lower[v]) for u, v in edges if u in upper and v in lower)
    size = max((b for _, b in pairs), default=0) + 2
    tree = [0] * size
    crossings = 0
    seen = 0
    i = 0
    while i < len(pairs):
        j = i
        # Edges from the same upper node never cross each other: count the group, then add it.
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            b = pairs[j][1] + 1
            not_above = 0
            while b > 0:
                not_above += tree[b]
                b -= b & -b
            crossings += seen - not_above
            j += 1
        for _, low in pairs[i:j]:
            b = low + 1
            while b < size:
                tree[b] += 1
                b += b & -b
        seen += j - i
        i = j
    return crossings


def _places(layer: Layer) -> dict[str, int]:
    return {node: i for i, node in enumerate(n for band in layer for n in band)}


def order_layers(layers: list[Layer], edges: list[tuple[str, str]], sweeps: int = 8) -> list[Layer]:
    """Reorder each band of each layer to cut edge crossings (the barycentre heuristic).

    `edges` join nodes of neighbouring layers. Sweeps go down (each layer ordered by the mean
    place of its neighbours in the layer before) and up (by the layer after); the order with
    fewest crossings seen is kept. Ties keep the current order, so the result is deterministic.
    """
    down: dict[str, list[str]] = {}
    up: dict[str, list[str]] = {}
    for u, v in edges:
        down.setdefault(v, []).append(u)
        up.setdefault(u, []).append(v)
    current = [[list(band) for band in layer] for layer in layers]

    def total(state: list[Layer]) -> int:
        places = [_places(layer) for layer in state]
        return sum(count_crossings(places[i], places[i + 1], edges) for i in range(len(state) - 1))

    best, best_score = [[list(b) for b in layer] for layer in current], total(current)
    for sweep in range(sweeps):
        downward = sweep % 2 == 0
        indices = range(1, len(current)) if downward else range(len(current) - 2, -1, -1)
        for i in indices:
            fixed = _places(current[i - 1] if downward else current[i + 1])
            near = down if downward else up
            own = _places(current[i])
            scale = max(len(fixed), 1) / max(len(own), 1)
            reordered = []
            for band in current[i]:
                keyed = []
                for node in band:
                    ranks = [fixed[n] for n in near.get(node, []) if n in fixed]
                    # A node with no neighbour on that side keeps its place (on the same scale).
                    mean = sum(ranks) / len(ranks) if ranks else own[node] * scale
                    keyed.append((mean, own[node], node))
                reordered.append([n for _, _, n in sorted(keyed)])
            current[i] = reordered
        for i in range(len(current)):
            above = _places(current[i - 1]) if i else {}
            below = _places(current[i + 1]) if i + 1 < len(current) else {}
            current[i] = [_transpose(band, (down, above), (up, below)) for band in current[i]]
        score = total(current)
        if score < best_score:
            best, best_score = [[list(b) for b in layer] for layer in current], score
    return best


def _pair_crossings(
    u: str, v: str, sides: tuple[tuple[dict[str, list[str]], dict[str, int]], ...]
) -> int:
    """Crossings between the edges of u and of v, with u placed just above v."""
    n = 0
    for near, places in sides:
        pu = [places[x] for x in near.get(u, []) if x in places]
        pv = [places[x] for x in near.get(v, []) if x in places]
        n += sum(1 for a in pu for b in pv if a > b)
    return n


def _transpose(
    band: list[str], *sides: tuple[dict[str, list[str]], dict[str, int]], passes: int = 6
) -> list[str]:
    """Swap neighbours in a band while a swap removes crossings (the transpose heuristic)."""
    band = list(band)
    for _ in range(passes):
        improved = False
        for k in range(len(band) - 1):
            u, v = band[k], band[k + 1]
            if _pair_crossings(v, u, sides) < _pair_crossings(u, v, sides):
                band[k], band[k + 1] = v, u
                improved = True
        if not improved:
            break
    return band


def layer_crossings(layers: list[Layer], edges: list[tuple[str, str]]) -> int:
    """Crossings of a layered drawing (the figure `order_layers` minimises)."""
    places = [_places(layer) for layer in layers]
    return sum(count_crossings(places[i], places[i + 1], edges) for i in range(len(layers) - 1))


def stack_bands(
    bands: list[tuple[str, str, list[str]]],
    x: int,
    heights: Callable[[str], int],
    *,
    top: int = 0,
    gap: int = 6,
    heading_room: int = 40,
) -> tuple[dict[str, tuple[int, int]], list[Heading], int]:
    """Nodes stacked down one column, band after band, each band under its heading.

    `bands` are (heading, sub-heading, nodes); `heights` gives each node's height in pixels.
    Returns positions (node centres), the headings, and the y just below the last node.
    """
    positions: dict[str, tuple[int, int]] = {}
    headings: list[Heading] = []
    y = top
    for text, sub, nodes in bands:
        if not nodes:
            continue
        if text:
            headings.append(Heading(text, sub, x, y + 16))
            y += heading_room
        for node in nodes:
            h = heights(node)
            positions[node] = (x, y + h // 2)
            y += h + gap
        y += gap
    return positions, headings, y


# --- The whole graph's columns (WebGL, graph units): long columns wrap into sub-columns ----

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
