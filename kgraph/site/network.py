"""The interactive graph's data: vis-network nodes, edges and options for each view of the graph.

Reads the compiled graph (never mutating it) and assembles the node and edge lists with
pyvis's `Network` (used only as a builder: it never writes a file or loads anything). Positions
come from `kgraph.site.layout`; how each node and edge looks from `kgraph.site.styles`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import Any

import networkx as nx
from pyvis.network import Network

from kgraph import vocab
from kgraph.site.layout import (
    Heading,
    order_layers,
    stack_bands,
)
from kgraph.site.styles import (
    ARTICLE_BOX_WIDTH,
    BOX_MARGIN,
    CLAIM_BOX_WIDTH,
    ENTITY_BOX_WIDTH,
    NO_ARROW,
    STUDY_BOX_WIDTH,
    asserts_edge,
    claim_node,
    entity_node,
    evidence_edge,
    fit_label,
    fit_label_ends,
    premise_edge,
    relation_edge,
    source_node,
)


@dataclass
class View:
    """One switchable picture of the graph: the nodes and edges vis-network draws."""

    id: str
    title: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    headings: list[Heading] = field(default_factory=list)
    note: str = ""
    # The drawing's extent (left, top, right, bottom) in pixels at zoom 1: the page sizes the
    # canvas to it, so every node is on the canvas at a scale where labels are LABEL_PX.
    frame: tuple[int, int, int, int] = (0, 0, 0, 0)

    def as_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "nodes": self.nodes,
            "edges": self.edges,
            "headings": [{"text": h.text, "sub": h.sub, "x": h.x, "y": h.y} for h in self.headings],
            "note": self.note,
            "frame": list(self.frame),
        }


def claim_labels(g: nx.MultiDiGraph) -> dict[str, str]:
    """Each claim's one-line label; claims whose cut labels would read the same keep their
    statements' ends instead, so a reader can tell them apart."""
    claims = sorted(n for n, d in g.nodes(data=True) if d["kind"] == "claim")
    labels = {c: fit_label(g.nodes[c]["statement"], CLAIM_BOX_WIDTH) for c in claims}
    seen: dict[str, list[str]] = {}
    for cid, label in labels.items():
        seen.setdefault(label, []).append(cid)
    for same in seen.values():
        if len(same) > 1:
            for cid in same:
                labels[cid] = fit_label_ends(g.nodes[cid]["statement"], CLAIM_BOX_WIDTH)
    return labels


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
        self.claim_labels = claim_labels(g)
        # Styles by what they depend on: a record drawn in many neighbourhood pages has its
        # style (and tooltip) computed once. They are only read and serialised, never changed.
        self._styles: dict[tuple[Any, ...], dict[str, Any]] = {}

    def claim(self, cid: str) -> dict[str, Any]:
        key = ("claim", cid)
        if key not in self._styles:
            self._styles[key] = claim_node(
                self.g, cid, self.articles.get(cid, []), self.claim_labels[cid]
            )
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
            if not style.get("label", True):
                # pyvis labels a node by its id unless told otherwise: a port has no label.
                self.net.node_map[node_id]["label"] = ""

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
    return sorted(out, key=_edge_key)


# Who says what, in CSS pixels at zoom 1: three columns of boxes, bands stacked down each.
ARTICLE_X = ARTICLE_BOX_WIDTH // 2
CLAIM_X = ARTICLE_BOX_WIDTH + 120 + CLAIM_BOX_WIDTH // 2
STUDY_X = CLAIM_X + CLAIM_BOX_WIDTH // 2 + 130 + STUDY_BOX_WIDTH // 2
BOX_HEIGHT = 22  # a one-line box at LABEL_PX with its margins and border
ARTICLE_HEIGHT = 70  # up to three lines
ROW_GAP_PX = 5
TOP = 60  # room for the column headings

# Studies are shown by design, strongest first; each source kind belongs to one group.
STUDY_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("trials", ("rct", "clinical-study")),
    ("reviews", ("systematic-review", "narrative-review")),
    ("human mechanistic", ("human-mechanistic",)),
    ("animal or in vitro", ("preclinical",)),
    ("labels and approvals", ("regulatory",)),
    ("other sources", ("news", "marketing")),
)
_STUDY_GROUP_OF = {kind: name for name, kinds in STUDY_GROUPS for kind in kinds}


def study_group(source_kind: str) -> str:
    """The design group a source kind is shown in: the graph's bands, the evidence map's columns."""
    return _STUDY_GROUP_OF.get(source_kind, "other sources")


def _level_bands(g: nx.MultiDiGraph, claims: list[str]) -> list[tuple[str, str, list[str]]]:
    by_rank: dict[int, list[str]] = {}
    for cid in sorted(claims):
        by_rank.setdefault(_rank(g.nodes[cid]["rank"]), []).append(cid)
    bands = []
    for r in sorted(by_rank, reverse=True):
        lv = next((lv for lv in vocab.EVIDENCE_LEVELS if lv.rank == r), None)
        heading, sub = (lv.value, lv.name) if lv else ("no level", "rhetoric")
        bands.append((heading, sub, by_rank[r]))
    return bands


def _design_bands(g: nx.MultiDiGraph, studies: list[str]) -> list[tuple[str, str, list[str]]]:
    by_group: dict[str, list[str]] = {}
    for sid in sorted(studies):
        group = study_group(g.nodes[sid]["source_kind"])
        by_group.setdefault(group, []).append(sid)
    return [(name, "", by_group[name]) for name, _ in STUDY_GROUPS if name in by_group]


def _reorder(
    bands: list[tuple[str, str, list[str]]], ordered: list[list[str]]
) -> list[tuple[str, str, list[str]]]:
    return [(h, sub, nodes) for (h, sub, _), nodes in zip(bands, ordered, strict=True)]


def who_layout(
    g: nx.MultiDiGraph, claims: list[str], articles: list[str], studies: list[str],
    edges: list[tuple[str, str, str, dict[str, Any]]],
) -> tuple[dict[str, tuple[int, int]], list[Heading], tuple[int, int, int, int]]:  # fmt: skip
    """Positions of a who-says-what drawing: articles, claims by level, studies by design.

    Claims are ordered within their level, and studies within their design, so that edges from
    one article (and to one study) stay together: crossing minimisation over the three layers.
    """
    claim_bands = _level_bands(g, claims)
    study_bands = _design_bands(g, studies)
    pairs = [(u, v) if data["kind"] == "asserts" else (v, u) for u, v, _k, data in edges]
    layers = order_layers(
        [[list(articles)], [b[2] for b in claim_bands], [b[2] for b in study_bands]], pairs
    )
    claim_bands = _reorder(claim_bands, layers[1])
    study_bands = _reorder(study_bands, layers[2])
    claim_pos, claim_heads, claim_end = stack_bands(
        claim_bands, CLAIM_X, lambda _: BOX_HEIGHT, top=TOP, gap=ROW_GAP_PX
    )
    study_pos, study_heads, study_end = stack_bands(
        study_bands, STUDY_X, lambda _: BOX_HEIGHT, top=TOP, gap=ROW_GAP_PX
    )
    article_pos, _, article_end = stack_bands(
        [("", "", layers[0][0])], ARTICLE_X, lambda _: ARTICLE_HEIGHT, top=TOP, gap=40
    )
    headings = [
        Heading("articles", "", ARTICLE_X, 20),
        Heading("claims", "by evidence level", CLAIM_X, 20),
        Heading("studies", "by design", STUDY_X, 20),
        *claim_heads,
        *study_heads,
    ]
    positions = {**article_pos, **claim_pos, **study_pos}
    bottom = max(claim_end, study_end, article_end)
    return positions, headings, (0, 0, STUDY_X + STUDY_BOX_WIDTH // 2, bottom)


PORT_STYLE: dict[str, Any] = {
    "label": "",
    "shape": "dot",
    "size": 1,
    "color": {"background": "rgba(0,0,0,0)", "border": "rgba(0,0,0,0)"},
    "borderWidth": 0,
    "chosen": False,
    "kind": "port",
}


def _port(b: Builder, owner: str, side: str, pos: tuple[int, int], width: int) -> str:
    """An invisible point on a box's left or right side where its edges end."""
    port = f"{owner}~{side}"
    half = width // 2 + BOX_MARGIN + 1
    x = pos[0] - half if side == "l" else pos[0] + half
    b.node(port, (x, pos[1]), {**PORT_STYLE, "owner": owner})
    return port


def who_says_what(
    idx: GraphIndex, claims: list[str], sources: list[str], *, view_id: str = "who"
) -> View:
    """Articles on the left, claims in the middle (in bands by ES level), studies on the right."""
    g = idx.g
    wanted = set(claims) | set(sources)
    edges = _claim_edges(g, claims, wanted)
    asserting = sorted({a for cid in claims for a in idx.articles.get(cid, [])} & set(sources))
    studies = sorted(set(sources) - set(asserting))
    positions, headings, frame = who_layout(g, claims, asserting, studies, edges)
    width = {sid: ARTICLE_BOX_WIDTH for sid in asserting}
    width.update({sid: STUDY_BOX_WIDTH for sid in studies})
    width.update({cid: CLAIM_BOX_WIDTH for cid in claims})
    b = Builder()
    for sid in asserting + studies:
        b.node(sid, positions[sid], idx.source(sid, sid in asserting))
    for cid in sorted(claims):
        b.node(cid, positions[cid], idx.claim(cid))
    for u, v, key, data in edges:
        # An article's edge leaves its right side for the claim's left; a study's edge leaves
        # its left side for the claim's right: lines run only between columns, never over boxes.
        left, right = (u, v) if data["kind"] == "asserts" else (v, u)
        start = _port(b, left, "r", positions[left], width[left])
        end = _port(b, right, "l", positions[right], width[right])
        src, dst = (start, end) if data["kind"] == "asserts" else (end, start)
        b.edge(src, dst, ends=[u, v], **idx.edge(u, v, key, data))
    nodes, drawn = b.lists()
    return View(view_id, "Who says what", nodes, drawn, headings, frame=frame)


# The mechanism view, in pixels at zoom 1: a column per step of the causal chain.
STEP_PITCH = ENTITY_BOX_WIDTH + 2 * BOX_MARGIN + 30
ENTITY_LINE_PX = 15  # a second line of an entity's label adds this much to its box
BEND_SLOT = 8  # room a line passing through a column takes in it
MAX_PARALLEL_OFFSET = 3


def _entity_height(style: dict[str, Any]) -> int:
    return BOX_HEIGHT + ENTITY_LINE_PX * str(style["label"]).count("\n")


def _step_of(g: nx.MultiDiGraph) -> dict[str, int]:
    """Each entity's step along the causal chain, for the types the chain holds."""
    step_of_type = {t: i for i, (_, types) in enumerate(vocab.CHAIN_STEPS) for t in types}
    return {
        n: step_of_type[d["entity_type"]]
        for n, d in g.nodes(data=True)
        if d["kind"] == "entity" and d["entity_type"] in step_of_type
    }


def claim_chains(g: nx.MultiDiGraph, claims: set[str]) -> dict[str, list[str]]:
    """For each claim, the claims it rests on and those resting on it (`depends_on`, followed
    all the way), with itself: what clicking it lights."""
    deps = nx.DiGraph()
    deps.add_nodes_from(claims)
    deps.add_edges_from((u, v) for u, v, d in g.edges(data=True) if d["kind"] == "depends_on")
    return {
        cid: sorted(nx.descendants(deps, cid) | nx.ancestors(deps, cid) | {cid})
        for cid in sorted(claims)
    }


def mechanism(idx: GraphIndex, ev: nx.MultiDiGraph) -> View:
    """Entities joined by one arrow per claim: the causal chain laid out left to right.

    An entity's step (drug, receptor, signal, ... outcome) comes from its type; a claim from an
    earlier step to a later one is a link of the chain, drawn through the steps between (bend
    points keep the line in the gaps between boxes). Every other claim is drawn apart, below.
    """
    g = idx.g
    step = _step_of(g)
    relations = sorted(ev.edges(keys=True, data=True), key=_edge_key)
    chain = [e for e in relations if e[0] in step and e[1] in step and step[e[0]] < step[e[1]]]
    others = [e for e in relations if e not in chain]
    n_sources: dict[str, set[str]] = {n: set() for n in ev.nodes}
    for u, v, _key, data in relations:
        n_sources[u].update(idx.articles.get(data["claim"], []))
        n_sources[v].update(idx.articles.get(data["claim"], []))
    style = {eid: idx.entity(eid, len(n_sources[eid])) for eid in sorted(ev.nodes)}
    b = Builder()
    positions, headings, bottom, links = _chain_block(chain, step, style)
    drawn = set()
    for eid in sorted(positions):
        if eid in style:
            b.node(eid, positions[eid], style[eid])
            drawn.add(eid)
    chains = claim_chains(g, {e[3]["claim"] for e in relations})
    for (u, v, key, data), path in links:
        _draw_link(b, idx, (u, v, key, data), path, positions, chains)
    # Claims off the chain, and entities no claim links: a block of their own.
    block, block_heads, block_bottom, block_links = _other_block(
        g, others, ev, drawn, style, bottom
    )
    for node, pos in sorted(block.items()):
        eid = node.split("~")[0]
        b.node(node, pos, {**style[eid], "owner": eid} if node != eid else style[eid])
    for (u, v, key, data), path in block_links:
        _draw_link(b, idx, (u, v, key, data), path, {**positions, **block}, chains)
    nodes, edges = b.lists()
    right = max((p[0] for p in {**positions, **block}.values()), default=0)
    half = ENTITY_BOX_WIDTH // 2 + BOX_MARGIN + 2
    frame = (-half, 0, right + half, block_bottom)
    return View("mechanism", "Mechanism", nodes, edges, headings + block_heads, frame=frame)


Link = tuple[tuple[str, str, str, dict[str, Any]], list[str]]


def _chain_block(
    chain: list[tuple[str, str, str, dict[str, Any]]],
    step: dict[str, int],
    style: dict[str, dict[str, Any]],
) -> tuple[dict[str, tuple[int, int]], list[Heading], int, list[Link]]:
    """Positions of the chain's entities and bend points, crossing-minimised step by step."""
    used = sorted({step[n] for u, v, _k, _d in chain for n in (u, v)})
    column = {s: i for i, s in enumerate(used)}
    layers: list[list[str]] = [[] for _ in used]
    for n in sorted({n for u, v, _k, _d in chain for n in (u, v)}):
        layers[column[step[n]]].append(n)
    pairs: list[tuple[str, str]] = []
    links: list[Link] = []
    for u, v, key, data in chain:
        path = [u]
        for c in range(column[step[u]] + 1, column[step[v]]):
            bend = f"~bend:{key}:{c}"
            layers[c].append(bend)
            path.append(bend)
        path.append(v)
        pairs += list(pairwise(path))
        links.append(((u, v, key, data), path))
    ordered = order_layers([[layer] for layer in layers], pairs)
    positions: dict[str, tuple[int, int]] = {}
    headings = []
    bottom = TOP
    for i, s in enumerate(used):
        x = i * STEP_PITCH
        headings.append(Heading(vocab.CHAIN_STEPS[s][0], "", x, 24))

        def height(n: str) -> int:
            return BEND_SLOT if n.startswith("~bend:") else _entity_height(style[n])

        pos, _, end = stack_bands([("", "", ordered[i][0])], x, height, top=TOP, gap=6)
        positions.update(pos)
        bottom = max(bottom, end)
    return positions, headings, bottom, links


def _other_block(
    g: nx.MultiDiGraph,
    others: list[tuple[str, str, str, dict[str, Any]]],
    ev: nx.MultiDiGraph,
    drawn: set[str],
    style: dict[str, dict[str, Any]],
    top: int,
) -> tuple[dict[str, tuple[int, int]], list[Heading], int, list[Link]]:
    """Claims that are no link of the chain: subjects on the left, objects by type on the
    right. An entity already drawn appears again here as a copy (same page, same label)."""
    taken = set(drawn)

    def place(eid: str, side: str) -> str:
        if eid not in taken:
            taken.add(eid)
            return eid
        return f"{eid}~{side}"

    subjects = sorted({u for u, _v, _k, _d in others})
    subject_node = {u: place(u, "s") for u in subjects}
    objects = sorted({v for _u, v, _k, _d in others})
    object_node = {v: place(v, "o") for v in objects}
    unlinked = sorted(n for n in ev.nodes if n not in taken)
    for n in unlinked:
        object_node[n] = place(n, "o")
    by_type: dict[str, list[str]] = {}
    for v in objects + unlinked:
        # The graph's own node: `ev` may be an overview's cut-down graph with bare nodes.
        kind = "linked by no claim" if v in unlinked else g.nodes[v]["entity_type"]
        by_type.setdefault(kind, []).append(object_node[v])
    type_label = {t.value: t.label for t in vocab.ENTITY_TYPES}
    bands = [
        (type_label.get(t, t), "", by_type[t])
        for t in [*(t.value for t in vocab.ENTITY_TYPES), "linked by no claim"]
        if t in by_type
    ]
    pairs = [(subject_node[u], object_node[v]) for u, v, _k, _d in others]
    layers = order_layers([[[subject_node[u] for u in subjects]], [b[2] for b in bands]], pairs)
    bands = [(h, sub, nodes) for (h, sub, _), nodes in zip(bands, layers[1], strict=True)]
    heading_y = top + 30
    start = heading_y + 30
    if not others and not unlinked:
        return {}, [], top, []

    def height(n: str) -> int:
        return _entity_height(style[n.split("~")[0]])

    left, _, left_end = stack_bands([("", "", layers[0][0])], 0, height, top=start + 40)
    right_x = 2 * STEP_PITCH
    right, heads, right_end = stack_bands(bands, right_x, height, top=start)
    headings = [Heading("not links of the chain", "other claims, and entities no claim links",
                        STEP_PITCH, heading_y)]  # fmt: skip
    links = [((u, v, k, d), [subject_node[u], object_node[v]]) for u, v, k, d in others]
    return {**left, **right}, headings + heads, max(left_end, right_end), links


def _draw_link(
    b: Builder,
    idx: GraphIndex,
    edge: tuple[str, str, str, dict[str, Any]],
    path: list[str],
    positions: dict[str, tuple[int, int]],
    chains: dict[str, list[str]],
) -> None:
    """A claim's arrow along its path: out of the subject's right side, through the bend
    points, into the object's left side; only the last piece has the arrowhead."""
    u, v, _key, data = edge
    cid = data["claim"]
    style = relation_edge(idx.g, (u, v), data, idx.articles.get(cid, []))
    style["chain"] = chains.get(cid, [cid])
    half = ENTITY_BOX_WIDTH // 2 + BOX_MARGIN + 1
    points = []
    for i, node in enumerate(path):
        x, y = positions[node]
        if node.startswith("~bend:"):
            points += [(f"{node}:in", (x - half, y)), (f"{node}:out", (x + half, y))]
        else:
            side = "r" if i == 0 else "l"
            port = f"{node}~{side}:{cid}"
            points.append((port, (x + half if side == "r" else x - half, y)))
    owner = {p: u if i == 0 else v for i, (p, _) in enumerate(points)}
    for name, pos in points:
        b.node(name, pos, {**PORT_STYLE, "kind": "bend", "owner": owner[name]})
    names = [p for p, _ in points]
    for i, (a, z) in enumerate(pairwise(names)):
        last = i == len(names) - 2
        b.edge(a, z, ends=[u, v], **style, **({} if last else {"arrows": NO_ARROW}))


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
        {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnZoom": big,
            "keyboard": False,
            # The drawing is at the reader's scale and the page scrolls it: the wheel scrolls.
            "zoomView": False,
            "dragView": False,
        }
    )
    opts["layout"] = {"improvedLayout": False}
    return json.dumps(opts)


def _rank(rank: int | None) -> int:
    return -1 if rank is None else rank


def _edge_key(edge: tuple[str, str, str, dict[str, Any]]) -> tuple[str, str, str]:
    return (edge[0], edge[1], edge[2])
