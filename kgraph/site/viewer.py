"""How the graph pages are emitted: one shared viewer page, and a small data file per view.

`kgraph.site.network` computes a view's nodes, edges and positions; this module only writes
them. Each graph (the home page's, a source's or an entity's neighbourhood) is one script file
that hands its data to the shared viewer (`static/graph.js`); the page itself is the same for
all neighbourhoods (`graph/index.html?id=ID`). A node's vis style goes once into the options as a
group, an edge's into a table the data file holds once, so no style is repeated per node.
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from kgraph.site.links import NEIGHBOURHOOD_FOLDER, script_json
from kgraph.site.network import BIG_VIEW, View, options

# The keys of a node or edge dict that only say how vis-network draws it.
STYLE_KEYS = frozenset(
    {
        "arrows",
        "borderWidth",
        "chosen",
        "color",
        "dashes",
        "font",
        "margin",
        "shape",
        "shapeProperties",
        "size",
        "smooth",
        "width",
        "widthConstraint",
    }
)
# Where the shared files and each neighbourhood's data file live, relative to the site root.
HOME_DATA = f"{NEIGHBOURHOOD_FOLDER}/home.js"
VIEWER_PAGE = f"{NEIGHBOURHOOD_FOLDER}/index.html"
DATA_FOLDER = f"{NEIGHBOURHOOD_FOLDER}/data"
OPTIONS_SCRIPT = f"{NEIGHBOURHOOD_FOLDER}/options.js"
SEARCH_SCRIPT = f"{NEIGHBOURHOOD_FOLDER}/search.js"
# What a data file sets (graph-loader.js runs it before graph.js), and the function the search
# index calls (graph.js defines it before loading the index).
RECEIVER = "kgraphData"
SEARCH_RECEIVER = "kgraphSearchIndex"
# A quote shown in two or more tooltips of one graph is written once in the file's strings.
SHARED_TEXT = 2


def data_path(record_id: str) -> str:
    """The data file of a source's or entity's neighbourhood (ids are checked slugs)."""
    return f"{DATA_FOLDER}/{record_id}.js"


class StyleTable:
    """Distinct styles, numbered in the order first seen (the same input, the same numbers)."""

    def __init__(self) -> None:
        self.styles: list[dict[str, Any]] = []
        self._index: dict[str, int] = {}

    def number(self, item: dict[str, Any]) -> tuple[int | None, dict[str, Any]]:
        style = {k: v for k, v in item.items() if k in STYLE_KEYS}
        rest = {k: v for k, v in item.items() if k not in STYLE_KEYS}
        if not style:
            return None, rest
        key = json.dumps(style, sort_keys=True, separators=(",", ":"))
        if key not in self._index:
            self._index[key] = len(self.styles)
            self.styles.append(style)
        return self._index[key], rest


def compact_views(
    views: list[View],
) -> tuple[list[dict[str, Any]], dict[str, Any], list[Any], list[str]]:
    """The views without their styles; the node styles as vis groups; the edge style table;
    the quotes shown more than once, which tooltips name by their number."""
    node_styles, edge_styles = StyleTable(), StyleTable()
    seen: dict[str, int] = {}
    for view in views:
        for item in (*view.nodes, *view.edges):
            for _, text in item["tip"]["quotes"] if "tip" in item else ():
                seen[text] = seen.get(text, 0) + 1
    shared = [text for text, n in seen.items() if n >= SHARED_TEXT]
    number = {text: i for i, text in enumerate(shared)}

    def tip(item: dict[str, Any]) -> dict[str, Any]:
        quotes = [[cite, number.get(text, text)] for cite, text in item["tip"]["quotes"]]
        return {**item["tip"], "quotes": quotes}

    # An edge's port or bend point (an invisible node that belongs to a record) has no tooltip.
    def with_tip(rest: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
        return {**rest, "tip": tip(item)} if "tip" in item else rest

    out = []
    for view in views:
        data = view.as_data()
        nodes = []
        for node in view.nodes:
            group, rest = node_styles.number(node)
            rest = with_tip(rest, node)
            nodes.append(rest if group is None else {**rest, "group": f"s{group}"})
        edges = []
        for edge in view.edges:
            style, rest = edge_styles.number(edge)
            rest = with_tip(rest, edge)
            edges.append(rest if style is None else {**rest, "s": style})
        out.append({**data, "nodes": nodes, "edges": edges})
    groups = {f"s{i}": style for i, style in enumerate(node_styles.styles)}
    return out, groups, edge_styles.styles, shared


def _articles(g: nx.MultiDiGraph, views: list[View]) -> list[dict[str, str]]:
    ids = sorted({a for v in views for n in v.nodes for a in n.get("articles", [])})
    return [{"id": a, "label": g.nodes[a]["label"]} for a in ids]


def graph_payload(
    g: nx.MultiDiGraph,
    views: list[View],
    *,
    heading: str,
    intro: str,
    record: dict[str, str] | None = None,
    search_within: bool = False,
) -> dict[str, Any]:
    """Everything the viewer draws for one graph, as plain data (hrefs relative to the root).

    The vis options and the search index are shared files; `search_within` has the search
    show only what this graph draws (a neighbourhood), not the whole corpus.
    """
    compacted, groups, edge_styles, strings = compact_views(views)
    return {
        "heading": heading,
        "intro": intro,
        "record": record,
        "articles": _articles(g, views),
        "views": compacted,
        "big": max(len(v.nodes) for v in views) > BIG_VIEW,
        "groups": groups,
        "edgeStyles": edge_styles,
        "strings": strings,
        "searchWithin": search_within,
    }


def options_script() -> str:
    """The vis-network options every graph shares, for small and for big views."""
    shared = {"small": options(BIG_VIEW), "big": options(BIG_VIEW + 1)}
    return f"window.kgraphOptions = {script_json(shared)};\n"


def search_script(index: list[dict[str, Any]]) -> str:
    """The search index (`kgraph.site.search`), one file every graph page loads when first
    searched."""
    return f"{SEARCH_RECEIVER}({script_json(index)});\n"


def data_script(payload: dict[str, Any]) -> str:
    """A data file: the payload, as one assignment the viewer reads. The JSON is escaped as for
    a script element, so no text of the corpus can end the statement or run as code."""
    return f"window.{RECEIVER} = {script_json(payload)};\n"


def read_data_script(text: str) -> dict[str, Any]:
    """The payload of a data file (for tests and tools that read the site)."""
    head, tail = f"window.{RECEIVER} = ", ";\n"
    if not text.startswith(head) or not text.endswith(tail):
        raise ValueError("not a kgraph graph data file")
    payload: dict[str, Any] = json.loads(text[len(head) : -len(tail)])
    return payload
