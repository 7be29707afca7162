"""The whole graph on one page, for corpora too big for vis-network: drawn with WebGL (sigma.js).

`whole_graph` computes what is drawn (every claim, source and entity, their edges and positions,
in the column layout of `kgraph.site.layout`); `write_whole_graph` writes it as one columnar data
file, the page, and the search index in shards (MiniSearch builds each in the browser as it
arrives, so the first answer does not wait for the whole index).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kgraph import vocab
from kgraph.site.layout import Column, barycentre_order, fit_rows, place_columns, spread_rank
from kgraph.site.links import FOLDERS, NEIGHBOURHOOD_FOLDER, level_colour, script_json
from kgraph.site.render import Renderer
from kgraph.site.styles import ASSERTS_COLOUR, EVIDENCE_COLOURS, PREMISE_COLOUR, shorten

WHOLE_PAGE = "whole.html"
WHOLE_DATA = f"{NEIGHBOURHOOD_FOLDER}/whole.js"
SHARD_FOLDER = f"{NEIGHBOURHOOD_FOLDER}/search"
# Entries of the search index per shard: small enough that MiniSearch indexes one in a blink.
SHARD_SIZE = 4000
VENDOR = ("sigma.min.js", "graphology.umd.min.js", "minisearch.umd.js")
# The functions the data file and each shard call; whole.js defines them before loading.
RECEIVER = "kgraphWholeData"
SHARD_RECEIVER = "kgraphSearchShard"

# What each kind of node is, in the order of the data's type numbers.
NODE_TYPES = ("claim", "article", "study", "entity")
RECORD_KIND = {"claim": "claim", "article": "source", "study": "source", "entity": "entity"}
TYPE_COLOURS = {"article": "#4b5563", "study": "#9ca3af", "entity": "#1e3a8a"}
EDGE_KINDS = ("asserts", "evidence", "depends_on", "subject", "object")
ENTITY_EDGE_COLOUR = "#cbd5e1"
LABEL_LIMIT = 40
# Up to this many edges, all are drawn at every zoom; above it, only once zoomed in.
EDGES_AT_ANY_ZOOM = 20_000


@dataclass
class WholeGraph:
    """Every node and edge, as parallel lists (the columnar form the data file holds)."""

    ids: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    x: list[int] = field(default_factory=list)
    y: list[int] = field(default_factory=list)
    types: list[int] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)  # claims: index into LEVELS; others: -1
    claim_kinds: list[int] = field(default_factory=list)  # claims: index into CLAIM_KINDS
    sizes: list[int] = field(default_factory=list)
    edges: list[int] = field(default_factory=list)  # flat (from, to, kind) triples of indexes
    evidence: list[int] = field(default_factory=list)  # evidence edges: index of the direction


LEVELS = (*(lv.value for lv in vocab.EVIDENCE_LEVELS), "")
CLAIM_KINDS = tuple(t.value for t in vocab.CLAIM_KINDS)
DIRECTIONS = tuple(EVIDENCE_COLOURS)


def whole_graph(g: nx.MultiDiGraph) -> WholeGraph:
    """Articles, claims (a column per evidence level), studies, then entities, left to right;
    each column ordered next to what it links to, as the who-says-what view is."""
    by_kind: dict[str, list[str]] = {"claim": [], "source": [], "entity": []}
    for n, d in g.nodes(data=True):
        by_kind[d["kind"]].append(n)
    claims = sorted(by_kind["claim"])
    asserting: dict[str, list[str]] = {}
    cited: dict[str, list[str]] = {}
    named: dict[str, list[str]] = {}
    for u, v, d in g.edges(data=True):
        if d["kind"] == "asserts":
            asserting.setdefault(v, []).append(u)
        elif d["kind"] == "evidence":
            cited.setdefault(u, []).append(v)
        elif d["kind"] in ("subject", "object"):
            named.setdefault(v, []).append(u)
    articles = sorted({a for ids in asserting.values() for a in ids})
    article_set = set(articles)
    studies = sorted(s for s in by_kind["source"] if s not in article_set)
    rank = spread_rank(articles)
    groups: dict[int, list[str]] = {}
    for cid in claims:
        r = g.nodes[cid]["rank"]
        groups.setdefault(-1 if r is None else r, []).append(cid)
    claim_columns = [
        Column("", barycentre_order(groups[r], lambda c: asserting.get(c, []), rank))
        for r in sorted(groups)
    ]
    placed: dict[str, float] = {}
    for col in claim_columns:
        placed.update(spread_rank(col.nodes))
    study_order = barycentre_order(studies, lambda s: cited.get(s, []), placed)
    entity_order = barycentre_order(sorted(by_kind["entity"]), lambda e: named.get(e, []), placed)
    columns = [
        Column("", articles, spread=True),
        *claim_columns,
        Column("", study_order, spread=True),
        Column("", entity_order, spread=True),
    ]
    positions, _ = place_columns(columns, max_rows=fit_rows(columns))
    out = WholeGraph()
    index: dict[str, int] = {}
    level_index = {v: i for i, v in enumerate(LEVELS)}
    kind_index = {v: i for i, v in enumerate(CLAIM_KINDS)}
    for col_type, nodes in (
        ("article", articles),
        ("claim", [c for col in claim_columns for c in col.nodes]),
        ("study", study_order),
        ("entity", entity_order),
    ):
        for n in nodes:
            d = g.nodes[n]
            index[n] = len(out.ids)
            out.ids.append(n)
            text = d["statement"] if col_type == "claim" else d["label"]
            out.labels.append(shorten(text, LABEL_LIMIT))
            out.x.append(positions[n][0])
            out.y.append(positions[n][1])
            out.types.append(NODE_TYPES.index(col_type))
            if col_type == "claim":
                out.levels.append(level_index.get(d["level"] or "", len(LEVELS) - 1))
                out.claim_kinds.append(kind_index.get(d["claim_kind"], -1))
                out.sizes.append(2 + min(d["n_sources"], 4))
            else:
                out.levels.append(-1)
                out.claim_kinds.append(-1)
                out.sizes.append(4 if col_type == "article" else 3)
    edge_index = {k: i for i, k in enumerate(EDGE_KINDS)}
    for u, v, _key, d in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]):
        kind = d["kind"]
        if kind not in edge_index:
            continue
        out.edges += [index[u], index[v], edge_index[kind]]
        if kind == "evidence":
            direction = d["direction"] if d["direction"] in DIRECTIONS else "neutral"
            out.evidence.append(DIRECTIONS.index(direction))
    return out


def whole_payload(
    w: WholeGraph, shards: int, edges_at_any_zoom: int = EDGES_AT_ANY_ZOOM
) -> dict[str, Any]:
    """The data file's contents: the graph in columns, and what its numbers stand for."""
    return {
        "ids": w.ids,
        "labels": w.labels,
        "x": w.x,
        "y": w.y,
        "types": w.types,
        "levels": w.levels,
        "claimKinds": w.claim_kinds,
        "sizes": w.sizes,
        "edges": w.edges,
        "evidence": w.evidence,
        "nodeTypes": [
            {"name": t, "folder": FOLDERS[RECORD_KIND[t]] + "/", "colour": TYPE_COLOURS.get(t, "")}
            for t in NODE_TYPES
        ],
        "levelValues": list(LEVELS),
        "levelColours": [level_colour(v or None) for v in LEVELS],
        "claimKindValues": list(CLAIM_KINDS),
        "edgeKinds": list(EDGE_KINDS),
        "edgeColours": [ASSERTS_COLOUR, "", PREMISE_COLOUR, ENTITY_EDGE_COLOUR, ENTITY_EDGE_COLOUR],
        "directionColours": [EVIDENCE_COLOURS[d] for d in DIRECTIONS],
        "shards": shards,
        "edgesAtAnyZoom": edges_at_any_zoom,
    }


def search_shards(index: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The search index (`kgraph.site.search`) cut into shards of SHARD_SIZE entries; a claim's
    entry carries its entities' names, since its shard may not hold them."""
    names = {
        item["id"]: f"{item['label']} {item['text']}" for item in index if item["k"] == "entity"
    }
    docs = []
    for item in index:
        doc = {
            "key": f"{item['k']}:{item['id']}",
            "id": item["id"],
            "k": item["k"],
            "label": item["label"],
            "href": item["href"],
            "text": item["text"],
            "more": " ".join(
                [item.get("more", ""), *(names.get(e, "") for e in item.get("e", []))]
            ).strip(),
        }
        docs.append(doc)
    return [docs[i : i + SHARD_SIZE] for i in range(0, len(docs), SHARD_SIZE)] or [[]]


def shard_path(k: int) -> str:
    return f"{SHARD_FOLDER}/{k}.js"


def write_whole_graph(
    r: Renderer,
    g: nx.MultiDiGraph,
    index: list[dict[str, Any]],
    *,
    edges_at_any_zoom: int = EDGES_AT_ANY_ZOOM,
) -> None:
    """Write whole.html, its data file and the search shards."""
    shards = search_shards(index)
    for k, shard in enumerate(shards):
        r.write_text(shard_path(k), f"{SHARD_RECEIVER}({k},{script_json(shard)});\n")
    payload = whole_payload(whole_graph(g), len(shards), edges_at_any_zoom)
    r.write_text(WHOLE_DATA, f"{RECEIVER}({script_json(payload)});\n")
    r.page(
        WHOLE_PAGE,
        "whole.html",
        title="The whole graph",
        data_src=WHOLE_DATA,
        shard_dir=SHARD_FOLDER,
        vendor=VENDOR,
    )
