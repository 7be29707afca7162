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
INK = "#1f2937"
STUDY_FILL = "#f3f4f6"
STUDY_BORDER = "#6b7280"
# Nodes are boxes holding their label, drawn at the reader's scale: a label is 12 px at zoom 1
# and is cut to one line of its box (the full text is in the tooltip), so no two labels meet.
LABEL_PX = 12
CLAIM_BOX_WIDTH = 340
STUDY_BOX_WIDTH = 240
ARTICLE_BOX_WIDTH = 170
ENTITY_BOX_WIDTH = 108
BOX_MARGIN = 6  # vis-network draws a box its width plus this margin on each side
# Who-says-what reads left to right by its columns: its edges need no arrowheads.
NO_ARROW = {"to": {"enabled": False}}
BOX_PADDING = 8  # room a one-line label leaves in its box
# Widths of characters as a fraction of the font size, generous for the widest sans-serif a
# reader's system-ui may fall back to (DejaVu Sans): a label cut to fit never wraps.
NARROW = frozenset("iljtfrI.,;:'!|() ")
WIDE = frozenset("mwMW@%")
TIP_QUOTE_LIMIT = 280

# Entities by type in the mechanism view: the chain's steps in a sequential run from blue to
# violet, the types outside it in muted tones. Keys are kgraph.vocab.ENTITY_TYPES' values.
ENTITY_TYPE_COLOURS = {
    "drug": "#1d4ed8",
    "receptor": "#0e7490",
    "neurotransmitter": "#0f766e",
    "molecule": "#15803d",
    "process": "#a16207",
    "brain_region": "#c2410c",
    "network": "#b45309",
    "condition": "#7e22ce",
    "symptom": "#9d174d",
    "outcome": "#6d28d9",
    "intervention": "#475569",
    "route": "#64748b",
    "organisation": "#334155",
    "concept": "#78716c",
    "experience": "#be185d",
}

CLAIM_KIND_LABELS = {t.value: t.label for t in vocab.CLAIM_KINDS}
SOURCE_KIND_LABELS = {t.value: t.label for t in vocab.SOURCE_KINDS}
ENTITY_TYPE_LABELS = {t.value: t.label for t in vocab.ENTITY_TYPES}
PREDICATE_LABELS = {t.value: t.label for t in vocab.PREDICATES}


def text_width(text: str, size: int = LABEL_PX) -> float:
    """An upper estimate of a line's width in pixels."""
    em = 0.0
    for ch in text:
        if ch in NARROW:
            em += 0.36
        elif ch in WIDE:
            em += 0.95
        elif ch.isupper() or ch.isdigit():
            em += 0.72
        else:
            em += 0.62
    return em * size


def fit_label(text: str, width: int, size: int = LABEL_PX) -> str:
    """The text, cut with an ellipsis where needed to fit one line of a box `width` wide."""
    text = " ".join(text.split())
    room = width - BOX_PADDING
    if text_width(text, size) <= room:
        return text
    cut = len(text)
    while cut and text_width(text[:cut].rstrip() + "…", size) > room:
        cut -= 1
    return text[:cut].rstrip() + "…"


def wrap_label(text: str, width: int, lines: int = 2, size: int = LABEL_PX) -> str:
    """The text broken into at most `lines` lines that fit `width`, the last cut if needed."""
    words = " ".join(text.split()).split(" ")
    out: list[str] = []
    while words and len(out) < lines - 1:
        line = words.pop(0)
        while words and text_width(line + " " + words[0], size) <= width - BOX_PADDING:
            line += " " + words.pop(0)
        out.append(fit_label(line, width, size))
    if words:
        out.append(fit_label(" ".join(words), width, size))
    return "\n".join(out)


def fit_label_ends(text: str, width: int, size: int = LABEL_PX) -> str:
    """Like `fit_label`, but keeping the text's end too: "Ketamine is approved … for PTSD"."""
    text = " ".join(text.split())
    if fit_label(text, width, size) == text:
        return text
    words = text.split(" ")
    room = width - BOX_PADDING
    for tail_words in range(1, len(words)):
        tail = " ".join(words[-tail_words:])
        if text_width("… " + tail, size) > room * 0.55:
            tail = " ".join(words[-max(1, tail_words - 1) :])
            break
    head = fit_label(text, width - round(text_width(" " + tail, size)), size)
    return head + " " + tail


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


def faded(colour: str, alpha: float = 0.3) -> str:
    """The colour half seen through: edges not under the pointer recede behind the labels."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def edge_colour(colour: str) -> dict[str, Any]:
    """Faded at rest; in full under the pointer (vis-network lights a hovered node's edges)."""
    return {"color": faded(colour), "highlight": colour, "hover": colour, "inherit": False}


def tint(colour: str, keep: float = 0.22) -> str:
    """A pale version of a colour (mixed with white), for a box holding dark text."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * keep):02x}" for c in rgb)


def box(
    width: int, fill: str, border: str, *, size: int = LABEL_PX, wrap: bool = False
) -> dict[str, Any]:
    """A box node whose label is its text: one line cut to fit `width` (vis-network would wrap
    a line well short of a maximum width), or with `wrap` lines broken to fit it."""
    limits = {"minimum": width, "maximum": width} if wrap else {"minimum": width}
    return {
        "shape": "box",
        "widthConstraint": limits,
        "margin": {"top": 4, "bottom": 4, "left": BOX_MARGIN, "right": BOX_MARGIN},
        "font": {"size": size, "color": INK, "align": "left"},
        "color": _colour(fill, border),
    }


def claim_node(g: nx.MultiDiGraph, cid: str, articles: list[str], label: str) -> dict:
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
    colour = level_colour(d["level"])
    return {
        "label": label,
        **box(CLAIM_BOX_WIDTH, tint(colour), CONTRADICTED_BORDER if contradicted else colour),
        "borderWidth": 3 if contradicted else 2,
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
        style = box(ARTICLE_BOX_WIDTH, ARTICLE_FILL, INK, size=13, wrap=True)
        return {"label": shorten(d["label"], 60), **style, "borderWidth": 2, **common}
    return {
        "label": fit_label(d["label"], STUDY_BOX_WIDTH),
        **box(STUDY_BOX_WIDTH, STUDY_FILL, STUDY_BORDER),
        "borderWidth": 1,
        **common,
    }


def entity_node(g: nx.MultiDiGraph, eid: str, n_sources: int) -> dict:
    d = g.nodes[eid]
    meta = [ENTITY_TYPE_LABELS.get(d["entity_type"], d["entity_type"])]
    if d["synonyms"]:
        meta.append("also: " + ", ".join(d["synonyms"]))
    if d["description"]:
        meta.append(d["description"])
    meta.append(f"in claims of {plural(n_sources, 'source')}")
    colour = ENTITY_TYPE_COLOURS.get(d["entity_type"], vocab.NO_LEVEL_COLOUR)
    return {
        "label": wrap_label(d["label"], ENTITY_BOX_WIDTH),
        **box(ENTITY_BOX_WIDTH, tint(colour, 0.18), colour),
        "borderWidth": 2,
        "kind": "entity",
        "entity": eid,
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
        "color": edge_colour("#4b5563"),
        "arrows": NO_ARROW,
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
        "color": edge_colour(colour),
        "arrows": NO_ARROW,
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
    g: nx.MultiDiGraph, ends: tuple[str, str], data: dict[str, Any], articles: list[str]
) -> dict[str, Any]:
    """A claim between two entities: coloured by its level, wider the stronger the evidence."""
    cid = data["claim"]
    claim = g.nodes[cid]
    contradicted = claim["direction"] == "contradicts"
    predicate = PREDICATE_LABELS.get(data["predicate"], data["predicate"])
    rank = claim["rank"] if claim["rank"] is not None else -1
    colour = level_colour(data["level"])
    return {
        "color": {"color": colour, "highlight": "#111111", "hover": "#111111", "inherit": False},
        "width": 1.5 + 0.6 * max(rank, 0),
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
                f"{g.nodes[ends[0]]['label']} {predicate} {g.nodes[ends[1]]['label']}"
                + (" (contradicted)" if contradicted else ""),
                level_name(data["level"])
                + " · "
                + CLAIM_KIND_LABELS.get(claim["claim_kind"], claim["claim_kind"]),
            ],
            "quotes": [],
        },
    }


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
