"""The graph pages: the home page's two views and, for large corpora, neighbourhood pages.

Up to `max_nodes` nodes a view shows the whole corpus; above it the home page shows an overview
(the most-asserted claims, the most-linked entities) and every source and entity gets a page of
its own neighbourhood, so no page draws a hairball of thousands of nodes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import networkx as nx

from kgraph.corpus.model import Corpus
from kgraph.graph.model import entity_view
from kgraph.site.links import page_path
from kgraph.site.network import GraphIndex, View, mechanism, who_says_what
from kgraph.site.render import Renderer
from kgraph.site.search import search_index
from kgraph.site.viewer import (
    DATA_FOLDER,
    HOME_DATA,
    OPTIONS_SCRIPT,
    SEARCH_SCRIPT,
    VIEWER_PAGE,
    data_path,
    data_script,
    graph_payload,
    options_script,
    search_script,
)
from kgraph.site.whole import write_whole_graph

# How many nodes an overview (or a neighbourhood) draws at most.
OVERVIEW_NODES = 400


def _kind_ids(g: nx.MultiDiGraph, kind: str) -> list[str]:
    return sorted(n for n, d in g.nodes(data=True) if d["kind"] == kind)


def _sources(g: nx.MultiDiGraph, cid: str, kind: str) -> set[str]:
    return {u for u, _, d in g.in_edges(cid, data=True) if d["kind"] == kind}


def top_claims(g: nx.MultiDiGraph, claims: list[str], budget: int) -> tuple[list[str], list[str]]:
    """The most-asserted claims with the sources asserting them, in three quarters of `budget`
    nodes; then, in the rest, the studies that bear on most of those claims."""

    def weight(cid: str) -> tuple[int, int, int, str]:
        d = g.nodes[cid]
        rank = -1 if d["rank"] is None else d["rank"]
        return (-d["n_sources"], -d["n_references"], -rank, cid)

    chosen: list[str] = []
    sources: set[str] = set()
    for cid in sorted(claims, key=weight):
        new = _sources(g, cid, "asserts") - sources
        if len(chosen) + len(sources) + 1 + len(new) > max(1, budget * 3 // 4):
            continue
        chosen.append(cid)
        sources |= new
    cited = Counter(u for c in chosen for u in _sources(g, c, "evidence") if u not in sources)
    room = max(0, budget - len(chosen) - len(sources))
    studies = sorted(cited, key=lambda s: (-cited[s], s))[:room]
    return sorted(chosen), sorted(sources | set(studies))


def top_relations(
    g: nx.MultiDiGraph,
    edges: list[tuple[str, str, str, dict[str, Any]]],
    budget: int,
    keep: tuple[str, ...] = (),
) -> nx.MultiDiGraph:
    """The claim edges asserted by most sources, with their entities, in `budget` nodes and
    twice as many edges: a new graph (the entity view itself is never changed)."""

    def weight(edge: tuple[str, str, str, dict[str, Any]]) -> tuple[int, int, str]:
        d = g.nodes[edge[3]["claim"]]
        return (-d["n_sources"], -(d["rank"] if d["rank"] is not None else -1), edge[2])

    sub = nx.MultiDiGraph()
    sub.add_nodes_from(keep)
    nodes, n_edges = set(keep), 0
    for u, v, key, data in sorted(edges, key=weight):
        if n_edges >= 2 * budget:
            break
        if len(nodes) + (u not in nodes) + (v not in nodes and v != u) > budget:
            continue
        sub.add_edge(u, v, key=key, **data)
        nodes.update((u, v))
        n_edges += 1
    return sub


def _mechanism_of(idx: GraphIndex, ev: nx.MultiDiGraph, entities: list[str]) -> View:
    sub = ev.subgraph(entities)
    return mechanism(idx, sub)


def home_views(idx: GraphIndex, ev: nx.MultiDiGraph, max_nodes: int) -> tuple[list[View], bool]:
    """The home page's views, and whether either had to be cut down to an overview."""
    g = idx.g
    claims, sources = _kind_ids(g, "claim"), _kind_ids(g, "source")
    entities = _kind_ids(g, "entity")
    budget = min(OVERVIEW_NODES, max_nodes)
    overview = False
    if len(claims) + len(sources) <= max_nodes:
        who = who_says_what(idx, claims, sources)
    else:
        overview = True
        some, their = top_claims(g, claims, budget)
        who = who_says_what(idx, some, their)
        who.note = (
            f"Overview: the {len(some)} most-asserted of {len(claims)} claims. Open a source "
            "or entity for its neighbourhood, or the claims table for all of them."
        )
    if len(entities) <= max_nodes and ev.number_of_edges() <= 2 * max_nodes:
        mech = _mechanism_of(idx, ev, entities)
    else:
        overview = True
        sub = top_relations(g, list(ev.edges(keys=True, data=True)), budget)
        mech = mechanism(idx, sub)
        mech.note = (
            f"Overview: the {sub.number_of_edges()} most-asserted of {ev.number_of_edges()} "
            f"claims between {len(entities)} entities. Open an entity for its neighbourhood."
        )
    return [who, mech], overview


def source_neighbourhood(idx: GraphIndex, sid: str, budget: int) -> View:
    """The source, every claim it asserts or bears on, and those claims' other sources."""
    g = idx.g
    claims = sorted(v for _, v, d in g.out_edges(sid, data=True) if d["kind"] != "relation")
    claims = [c for c in claims if g.nodes[c]["kind"] == "claim"]
    some, sources = top_claims(g, claims, budget - 1)
    view = who_says_what(idx, some, sorted({sid, *sources}))
    if len(some) < len(claims):
        view.note = f"Showing {len(some)} of this source's {len(claims)} claims."
    return view


def entity_neighbourhood(idx: GraphIndex, ev: nx.MultiDiGraph, eid: str, budget: int) -> list[View]:
    """The entity's mechanism neighbours, and who says what about it."""
    g = idx.g
    near = sorted(set(ev.predecessors(eid)) | set(ev.successors(eid)) | {eid})
    ego = ev.subgraph(near)
    if len(near) <= budget and ego.number_of_edges() <= 2 * budget:
        mech = _mechanism_of(idx, ev, near)
    else:
        sub = top_relations(g, list(ego.edges(keys=True, data=True)), budget, keep=(eid,))
        mech = mechanism(idx, sub)
        mech.note = f"Showing {sub.number_of_edges()} of {ego.number_of_edges()} claims."
    claims = sorted(
        c for c, _, d in g.in_edges(eid, data=True) if d["kind"] in ("subject", "object")
    )
    some, sources = top_claims(g, claims, budget)
    who = who_says_what(idx, some, sources)
    if len(some) < len(claims):
        who.note = f"Showing {len(some)} of the {len(claims)} claims about it."
    return [mech, who]


def write_graph_data(
    r: Renderer,
    path: str,
    g: nx.MultiDiGraph,
    views: list[View],
    *,
    heading: str,
    intro: str,
    record: dict[str, str] | None = None,
) -> None:
    """Write one graph's data file, for the shared viewer to draw. A neighbourhood's search
    shows what it draws; the home page's, the whole corpus."""
    payload = graph_payload(
        g, views, heading=heading, intro=intro, record=record, search_within=record is not None
    )
    r.write_text(path, data_script(payload))


def write_viewer_page(
    r: Renderer, path: str, *, heading: str = "", intro: str = "", data_src: str | None = None
) -> None:
    """The viewer page: with `data_src`, it draws that data file; else the one the address's
    `?id=` names, from the neighbourhood data folder."""
    title = heading or "Neighbourhood"
    r.page(path, "graph.html", title=title, heading=heading, intro=intro, data_src=data_src,
           data_dir=DATA_FOLDER)  # fmt: skip


@dataclass
class GraphPages:
    """The home page's views and, in overview mode, the neighbourhood pages still to write.

    Planned before any page is written, so record pages can link to neighbourhood pages while
    another process writes them.
    """

    corpus: Corpus
    g: nx.MultiDiGraph
    ev: nx.MultiDiGraph
    idx: GraphIndex
    views: list[View]
    overview: bool
    budget: int

    @classmethod
    def plan(cls, corpus: Corpus, g: nx.MultiDiGraph, max_nodes: int) -> GraphPages:
        ev = entity_view(g)
        idx = GraphIndex(g)
        views, overview = home_views(idx, ev, max_nodes)
        return cls(corpus, g, ev, idx, views, overview, min(OVERVIEW_NODES, max_nodes))

    def neighbourhoods(self) -> set[str]:
        """Ids of the sources and entities that get a neighbourhood page."""
        if not self.overview:
            return set()
        return set(_kind_ids(self.g, "source")) | set(_kind_ids(self.g, "entity"))

    def write(self, r: Renderer) -> None:
        """Write index.html, and the neighbourhood pages in overview mode."""
        g, idx, budget = self.g, self.idx, self.budget
        r.write_text(OPTIONS_SCRIPT, options_script())
        index = search_index(self.corpus)
        r.write_text(SEARCH_SCRIPT, search_script(index))
        write_whole_graph(r, g, index)
        heading = "What the articles claim, and how well it holds up"
        intro = (
            "Articles on the left, the claims they make in the middle (in bands by evidence "
            "level), the studies on the right (by design). Point at a box to light its lines; "
            "hover for the statement and quotes; click to open."
        )
        write_viewer_page(r, "index.html", heading=heading, intro=intro, data_src=HOME_DATA)
        write_graph_data(r, HOME_DATA, g, self.views, heading=heading, intro=intro)
        if not self.overview:
            return
        write_viewer_page(r, VIEWER_PAGE)
        for sid in _kind_ids(g, "source"):
            view = source_neighbourhood(idx, sid, budget)
            label = g.nodes[sid]["label"]
            write_graph_data(
                r, data_path(sid), g, [view], heading=f"Around {label}",
                intro="This source's claims and the other sources on them.",
                record={"href": page_path("source", sid), "label": label},
            )  # fmt: skip
        for eid in _kind_ids(g, "entity"):
            label = g.nodes[eid]["label"]
            views = entity_neighbourhood(idx, self.ev, eid, budget)
            write_graph_data(
                r, data_path(eid), g, views,
                heading=f"Around {label}", intro="The entities linked to it by claims, and who "
                "says what about it.",
                record={"href": page_path("entity", eid), "label": label},
            )  # fmt: skip
