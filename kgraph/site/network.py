"""The interactive graph's data: vis-network nodes, edges and options for each view of the graph.

Reads the compiled graph (never mutating it) and assembles the node and edge lists with
pyvis's `Network` (used only as a builder: it never writes a file or loads anything). Positions
come from `kgraph.site.layout`; how each node and edge looks from `kgraph.site.styles`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import networkx as nx
from pyvis.network import Network

from kgraph import vocab
from kgraph.site.layout import (
    Column,
    Heading,
    Spacing,
    barycentre_order,
    fit_rows,
    place_columns,
    spread_rank,
)
from kgraph.site.styles import (
    asserts_edge,
    claim_node,
    entity_node,
    evidence_edge,
    premise_edge,
    relation_edge,
    source_node,
)

# Entities are drawn bigger and their edges carry labels: they need more room than claims.
MECHANISM_SPACING = Spacing(row=72, sub=270, col=360)


@dataclass
class View:
    """One switchable picture of the graph: the nodes and edges vis-network draws."""

    id: str
    title: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    headings: list[Heading] = field(default_factory=list)
    note: str = ""

    def as_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "nodes": self.nodes,
            "edges": self.edges,
            "headings": [{"text": h.text, "sub": h.sub, "x": h.x, "y": h.y} for h in self.headings],
            "note": self.note,
        }


class GraphIndex:
    """The graph with the lookups every view needs, computed once (a site draws many views)."""

    def __init__(self, g: nx.MultiDiGraph) -> None:
        self.g = g
        asserting: dict[str, set[str]] = {}
        for u, v, data in g.edges(data=True):
            if data["kind"] == "asserts":
                asserting.setdefault(v, set()).add(u)
        # claim id -> ids of the sources asserting it, sorted
        self.articles = {cid: sorted(ids) for cid, ids in asserting.items()}
        # Styles by what they depend on: a record drawn in many neighbourhood pages has its
        # style (and tooltip) computed once. They are only read and serialised, never changed.
        self._styles: dict[tuple[Any, ...], dict[str, Any]] = {}

    def claim(self, cid: str) -> dict[str, Any]:
        key = ("claim", cid)
        if key not in self._styles:
            self._styles[key] = claim_node(self.g, cid, self.articles.get(cid, []))
        return self._styles[key]

    def source(self, sid: str, asserting: bool) -> dict[str, Any]:
        key = ("source", sid, asserting)
        if key not in self._styles:
            self._styles[key] = source_node(self.g, sid, asserting)
        return self._styles[key]

    def entity(self, eid: str, n_sources: int) -> dict[str, Any]:
        key = ("entity", eid, n_sources)
        if key not in self._styles:
            self._styles[key] = entity_node(self.g, eid, n_sources)
        return self._styles[key]

    def edge(self, u: str, v: str, key: str, data: dict[str, Any]) -> dict[str, Any]:
        """The style of a who-says-what edge (asserts, evidence or premise)."""
        style_key = ("edge", u, v, key)
        if style_key not in self._styles:
            if data["kind"] == "asserts":
                style = asserts_edge(self.g, u, data)
            elif data["kind"] == "evidence":
                style = evidence_edge(self.g, u, data)
            else:
                style = premise_edge(self.g, v)
            self._styles[style_key] = style
        return self._styles[style_key]


class Builder:
    """Collects nodes and edges through pyvis, then hands back plain lists in a stable order."""

    def __init__(self) -> None:
        self.net = Network(directed=True)
        self._ids: set[str] = set()
        self._edges = 0

    def node(self, node_id: str, pos: tuple[int, int], style: dict[str, Any]) -> None:
        if node_id not in self._ids:
            self._ids.add(node_id)
            self.net.add_node(node_id, **style, x=pos[0], y=pos[1])

    def edge(self, source: str, target: str, **options: Any) -> None:
        # Edge ids are assigned in insertion order, which callers keep sorted.
        self._edges += 1
        # Bypass pyvis's O(n) membership test per edge; both ends were added as nodes.
        if source not in self._ids or target not in self._ids:
            raise KeyError(f"edge {source!r} -> {target!r} names a node not in the view")
        self.net.edges.append({"id": f"e{self._edges}", "from": source, "to": target, **options})

    def lists(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        # The lists themselves: get_network_data() would also serialise the options each time.
        return list(self.net.nodes), list(self.net.edges)


def _claim_edges(
    g: nx.MultiDiGraph, claims: list[str], wanted: set[str]
) -> list[tuple[str, str, str, dict[str, Any]]]:
    """The edges drawn in a who-says-what view: only those touching its claims, sorted."""
    out = []
    for cid in claims:
        for u, v, key, data in g.in_edges(cid, keys=True, data=True):
            if data["kind"] in ("asserts", "evidence") and u in wanted:
                out.append((u, v, key, data))
        for u, v, key, data in g.out_edges(cid, keys=True, data=True):
            if data["kind"] == "depends_on" and v in wanted:
                out.append((u, v, key, data))
    return sorted(out, key=_edge_key)


def who_says_what(
    idx: GraphIndex, claims: list[str], sources: list[str], *, view_id: str = "who"
) -> View:
    """Articles on the left, claims in the middle (a column per ES level), studies on the right."""
    g = idx.g
    by_claim = idx.articles
    wanted = set(claims) | set(sources)
    edges = _claim_edges(g, claims, wanted)
    asserting = sorted({a for cid in claims for a in by_claim.get(cid, [])} & set(sources))
    others = sorted(set(sources) - set(asserting))
    rank = spread_rank(asserting)
    groups: dict[int, list[str]] = {}
    for cid in claims:
        groups.setdefault(_rank(g.nodes[cid]["rank"]), []).append(cid)
    claim_columns = []
    for r in sorted(groups):
        lv = next((lv for lv in vocab.EVIDENCE_LEVELS if lv.rank == r), None)
        heading, sub = (lv.value, lv.name) if lv else ("no level", "rhetoric")
        order = barycentre_order(groups[r], lambda c: by_claim.get(c, []), rank)
        claim_columns.append(Column(heading, order, sub))
    rows = fit_rows([Column("articles", asserting), *claim_columns, Column("", others)])
    first, _ = place_columns(
        [Column("articles", asserting, spread=True), *claim_columns], max_rows=rows
    )
    ys = sorted(first[c][1] for c in claims) or [0]
    y_rank = {c: (first[c][1] - ys[0]) / ((ys[-1] - ys[0]) or 1) for c in claims}
    studies_of: dict[str, list[str]] = {}
    for u, v, _key, data in edges:
        if data["kind"] == "evidence":
            studies_of.setdefault(u, []).append(v)
    studies = barycentre_order(others, lambda s: studies_of.get(s, []), y_rank)
    positions, headings = place_columns(
        [
            Column("articles", asserting, spread=True),
            *claim_columns,
            Column("studies", studies, sub="and other sources", spread=True, gap=60, sub_gap=260),
        ],
        max_rows=rows,
    )
    b = Builder()
    for sid in asserting + studies:
        b.node(sid, positions[sid], idx.source(sid, sid in asserting))
    for cid in claims:
        b.node(cid, positions[cid], idx.claim(cid))
    for u, v, key, data in edges:
        b.edge(u, v, **idx.edge(u, v, key, data))
    nodes, drawn = b.lists()
    return View(view_id, "Who says what", nodes, drawn, headings)


def mechanism(idx: GraphIndex, ev: nx.MultiDiGraph, layers: list[list[str]]) -> View:
    """Entities joined by one edge per claim, laid out along the causal chain.

    `ev` is the entity view, or the part of it to draw; `layers` its nodes in chain order.
    """
    g = idx.g
    columns = [Column("", layer) for layer in layers]
    rows = fit_rows(columns, spacing=MECHANISM_SPACING)
    positions, _ = place_columns(columns, max_rows=rows, spacing=MECHANISM_SPACING)
    chosen = {n for layer in layers for n in layer}
    by_claim = idx.articles
    n_sources: dict[str, set[str]] = {n: set() for n in chosen}
    for u, v, data in ev.edges(data=True):
        for end in (u, v):
            if end in n_sources:
                n_sources[end].update(by_claim.get(data["claim"], []))
    b = Builder()
    for eid in sorted(chosen):
        b.node(eid, positions[eid], idx.entity(eid, len(n_sources[eid])))
    seen: dict[frozenset[str], int] = {}
    for u, v, _key, data in sorted(ev.edges(keys=True, data=True), key=_edge_key):
        if u not in chosen or v not in chosen:
            continue
        pair = frozenset((u, v))
        k = seen.get(pair, 0)
        seen[pair] = k + 1
        b.edge(u, v, **relation_edge(g, data, by_claim.get(data["claim"], []), k))
    nodes, edges = b.lists()
    return View("mechanism", "Mechanism", nodes, edges, [])


# Above this many nodes, edges hide while the view is dragged or zoomed.
BIG_VIEW = 500


def options(n_nodes: int) -> dict[str, Any]:
    """vis-network options: physics off (positions are precomputed), hover tooltips on."""
    # A fresh copy each time (callers may change it); pyvis is asked once per kind of view.
    loaded: dict[str, Any] = json.loads(_options_json(n_nodes > BIG_VIEW))
    return loaded


@lru_cache(maxsize=2)
def _options_json(big: bool) -> str:
    net = Network(directed=True)
    net.toggle_physics(False)
    net.toggle_stabilization(False)
    net.toggle_hide_edges_on_drag(big)
    opts: dict[str, Any] = json.loads(net.options.to_json())
    opts["edges"] = {
        "smooth": False,
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        "font": {"size": 11, "color": "#374151", "strokeWidth": 3, "strokeColor": "#ffffff"},
        "scaling": {"label": {"drawThreshold": 9}},
        "selectionWidth": 2,
    }
    opts["nodes"] = {
        "font": {"face": "system-ui, sans-serif", "size": 14, "color": "#1f2937"},
        "scaling": {"label": {"drawThreshold": 6}},
    }
    opts["interaction"].update(
        {"hover": True, "tooltipDelay": 150, "hideEdgesOnZoom": big, "keyboard": False}
    )
    opts["layout"] = {"improvedLayout": False}
    return json.dumps(opts)


def _rank(rank: int | None) -> int:
    return -1 if rank is None else rank


def _edge_key(edge: tuple[str, str, str, dict[str, Any]]) -> tuple[str, str, str]:
    return (edge[0], edge[1], edge[2])
