"""Deterministic graph layouts for the site: layered drawings computed in Python.

Positions are computed here, not by vis-network's physics, so a large graph draws at once and
the same corpus always gives the same picture (integer coordinates, ties broken by keeping order).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


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
