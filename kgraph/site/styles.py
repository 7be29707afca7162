"""How the graph looks: the vis-network node and edge dicts for claims, sources and entities.

Positions are not styles: the view adds x and y. Colours of levels come from `kgraph.vocab`;
the other colours here are the legend's (graph.html draws the same keys). Tooltip contents go
out as plain data (`tip`); graph.js builds them as DOM elements with textContent, because
vis-network shows a string title as plain text.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from kgraph import vocab
from kgraph.audit.terms import plural
from kgraph.site.links import level_colour, level_name, page_path

# Styles of edges by meaning; the legend on the graph page shows the same ones.
ASSERTS_COLOUR = "#9aa5b1"
EVIDENCE_COLOURS = {
    "supports": "#4b5563",
    "contradicts": "#b91c1c",
    "mixed": "#d97706",
    "neutral": "#c4c9d0",
}
EVIDENCE_DASHES: dict[str, Any] = {
    "supports": False,
    "contradicts": [8, 5],
    "mixed": [3, 4],
    "neutral": [2, 6],
}
PREMISE_COLOUR = "#7c3aed"
CONTRADICTED_BORDER = "#b91c1c"
ARTICLE_FILL = "#ffffff"
LABEL_LIMIT = 30
TIP_QUOTE_LIMIT = 280

CLAIM_KIND_LABELS = {t.value: t.label for t in vocab.CLAIM_KINDS}
SOURCE_KIND_LABELS = {t.value: t.label for t in vocab.SOURCE_KINDS}
ENTITY_TYPE_LABELS = {t.value: t.label for t in vocab.ENTITY_TYPES}
PREDICATE_LABELS = {t.value: t.label for t in vocab.PREDICATES}


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _colour(fill: str, border: str) -> dict[str, Any]:
    return {
        "background": fill,
        "border": border,
        "highlight": {"background": fill, "border": "#111111"},
        "hover": {"background": fill, "border": "#111111"},
    }


def claim_node(g: nx.MultiDiGraph, cid: str, articles: list[str]) -> dict:
    d = g.nodes[cid]
    contradicted = d["direction"] == "contradicts"
    quotes = []
    for u, _, data in sorted(g.in_edges(cid, data=True), key=lambda e: e[0]):
        if data["kind"] == "asserts":
            quotes.append([g.nodes[u]["label"], shorten(data["quote"], TIP_QUOTE_LIMIT)])
    meta = [
        " · ".join(
            x
            for x in (
                level_name(d["level"]),
                CLAIM_KIND_LABELS.get(d["claim_kind"], d["claim_kind"]),
                f"evidence {d['direction']}" if d["direction"] else "",
            )
            if x
        ),
        f"asserted by {plural(d['n_sources'], 'source')}; "
        f"{plural(d['n_references'], 'study', 'studies')} cited",
    ]
    return {
        "label": shorten(d["statement"], LABEL_LIMIT),
        "shape": "dot",
        "size": 8 + 4 * min(d["n_sources"], 5),
        "font": {"size": 11},
        "color": _colour(
            level_colour(d["level"]), CONTRADICTED_BORDER if contradicted else "#333333"
        ),
        "borderWidth": 3 if contradicted else 1,
        "shapeProperties": {"borderDashes": [5, 3] if contradicted else False},
        "kind": "claim",
        "level": d["level"] or "",
        "claim_kind": d["claim_kind"],
        "articles": articles,
        "href": page_path("claim", cid),
        "tip": {"title": d["statement"], "meta": meta, "quotes": quotes},
    }


def source_node(g: nx.MultiDiGraph, sid: str, asserting: bool) -> dict:
    d = g.nodes[sid]
    kind = SOURCE_KIND_LABELS.get(d["source_kind"], d["source_kind"])
    meta = [f"{kind}" + (f", {d['year']}" if d["year"] else "")]
    if d["title"] and d["title"] != d["label"]:
        meta.insert(0, d["title"])
    common = {
        "kind": "source",
        "source_kind": d["source_kind"],
        "article": asserting,
        "href": page_path("source", sid),
        "tip": {"title": d["label"], "meta": meta, "quotes": []},
    }
    if asserting:
        return {
            "label": shorten(d["label"], 60),
            "shape": "box",
            "color": _colour(ARTICLE_FILL, vocab.NO_LEVEL_COLOUR),
            "borderWidth": 2,
            "margin": 10,
            "widthConstraint": {"maximum": 190},
            "font": {"size": 22},
            **common,
        }
    return {
        "label": shorten(d["label"], 30),
        "shape": "triangle",
        "size": 10,
        "font": {"size": 16},
        "color": _colour(vocab.NO_LEVEL_COLOUR, "#555555"),
        **common,
    }


def entity_node(g: nx.MultiDiGraph, eid: str, n_sources: int) -> dict:
    d = g.nodes[eid]
    meta = [ENTITY_TYPE_LABELS.get(d["entity_type"], d["entity_type"])]
    if d["synonyms"]:
        meta.append("also: " + ", ".join(d["synonyms"]))
    if d["description"]:
        meta.append(d["description"])
    return {
        "label": shorten(d["label"], 30),
        "font": {"size": 18},
        "shape": "dot",
        "size": 10 + 2 * min(n_sources, 8),
        "color": _colour(vocab.NO_LEVEL_COLOUR, "#444444"),
        "kind": "entity",
        "entity_type": d["entity_type"],
        "synonyms": list(d["synonyms"]),
        "href": page_path("entity", eid),
        "tip": {"title": d["label"], "meta": meta, "quotes": []},
    }


def asserts_edge(g: nx.MultiDiGraph, source: str, data: dict[str, Any]) -> dict[str, Any]:
    meta = [f"locator: {data['locator']}"] if data["locator"] else []
    if data["hedges"]:
        meta.append("hedges: " + ", ".join(data["hedges"]))
    if data["boosters"]:
        meta.append("boosters: " + ", ".join(data["boosters"]))
    return {
        "color": {"color": ASSERTS_COLOUR, "highlight": "#111111", "hover": "#111111"},
        "width": 1,
        "kind": "asserts",
        "tip": {
            "title": f"{g.nodes[source]['label']} asserts",
            "meta": meta,
            "quotes": [["", shorten(data["quote"], TIP_QUOTE_LIMIT)]],
        },
    }


def evidence_edge(g: nx.MultiDiGraph, source: str, data: dict[str, Any]) -> dict[str, Any]:
    direction = data["direction"]
    colour = EVIDENCE_COLOURS.get(direction, EVIDENCE_COLOURS["neutral"])
    n = f", n = {data['n']}" if data["n"] is not None else ""
    return {
        "color": {"color": colour, "highlight": "#111111", "hover": "#111111"},
        "dashes": EVIDENCE_DASHES.get(direction, False),
        "width": 2 if direction == "contradicts" else 1,
        "kind": "evidence",
        "direction": direction,
        "tip": {
            "title": f"{g.nodes[source]['label']}: {direction}",
            "meta": [f"{data['design']}{n}", data["finding"]],
            "quotes": [],
        },
    }


def premise_edge(g: nx.MultiDiGraph, premise: str) -> dict[str, Any]:
    return {
        "color": {"color": PREMISE_COLOUR, "highlight": "#111111", "hover": "#111111"},
        "dashes": [2, 3],
        "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.35},
        "kind": "depends_on",
        "tip": {
            "title": "rests on the premise",
            "meta": [g.nodes[premise]["statement"]],
            "quotes": [],
        },
    }


def relation_edge(
    g: nx.MultiDiGraph, data: dict[str, Any], articles: list[str], parallel: int
) -> dict[str, Any]:
    cid = data["claim"]
    claim = g.nodes[cid]
    contradicted = claim["direction"] == "contradicts"
    label = PREDICATE_LABELS.get(data["predicate"], data["predicate"])
    edge: dict[str, Any] = {
        "label": label + (" (contradicted)" if contradicted else ""),
        "color": {"color": level_colour(data["level"]), "highlight": "#111111", "hover": "#111"},
        "width": 1 + min(claim["n_sources"], 5),
        "dashes": [8, 5] if contradicted else False,
        "kind": "relation",
        "claim": cid,
        "level": data["level"] or "",
        "claim_kind": claim["claim_kind"],
        "articles": articles,
        "href": page_path("claim", cid),
        "tip": {
            "title": data["statement"],
            "meta": [
                level_name(data["level"])
                + " · "
                + CLAIM_KIND_LABELS.get(claim["claim_kind"], claim["claim_kind"])
            ],
            "quotes": [],
        },
    }
    if parallel:
        edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.18 * parallel}
    return edge


def _dasharray(dashes: Any) -> str:
    return f" stroke-dasharray: {dashes[0]} {dashes[1]};" if dashes else ""


def colours_css() -> str:
    """CSS for the level colours (from vocab) and the legend's keys (from the styles above), so
    the page's legend and swatches are drawn from the same values as the graph."""
    rules = [f".lv-{lv.value} {{ --lv: {lv.colour}; }}" for lv in vocab.EVIDENCE_LEVELS]
    rules.append(f".lv-none {{ --lv: {vocab.NO_LEVEL_COLOUR}; }}")
    sample = vocab.LEVEL_BY_VALUE["ES-3"].colour
    rules += [
        f".key-claim {{ fill: {sample}; stroke: #333333; }}",
        f".key-contradicted {{ fill: {sample}; stroke: {CONTRADICTED_BORDER}; stroke-width: 2.5;"
        " stroke-dasharray: 3 2; }",
        f".key-article {{ fill: {ARTICLE_FILL}; stroke: {vocab.NO_LEVEL_COLOUR};"
        " stroke-width: 2; }",
        f".key-study, .key-entity {{ fill: {vocab.NO_LEVEL_COLOUR}; stroke: #555555; }}",
        f".key-asserts {{ stroke: {ASSERTS_COLOUR}; stroke-width: 2; }}",
        f".key-premise {{ stroke: {PREMISE_COLOUR}; stroke-width: 2; stroke-dasharray: 2 3; }}",
    ]
    for direction in ("supports", "contradicts", "mixed"):
        rules.append(
            f".key-{direction} {{ stroke: {EVIDENCE_COLOURS[direction]}; stroke-width: 2.5;"
            f"{_dasharray(EVIDENCE_DASHES[direction])} }}"
        )
    head = "/* Generated by kgraph/site/styles.py from kgraph/vocab.py: do not edit. */\n"
    return head + "\n".join(rules) + "\n"
