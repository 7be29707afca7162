"""Attribute types of the graph, for the formats that need them (GraphML, GEXF, Neo4j CSV).

GraphML and GEXF hold neither None nor lists: `flatten` drops None and writes lists as JSON
strings; `restore` turns a graph read back from such a file into the graph that was written.
"""

from __future__ import annotations

import json
import re
from typing import Any

import networkx as nx

from kgraph.graph.model import EDGE_KINDS, NODE_KINDS

# Attributes that are not plain strings, by type. Every other attribute holds a string or None;
# tests/test_exports.py checks these tables against what `build_graph` writes.
INT_ATTRIBUTES: frozenset[str] = frozenset({"rank", "n", "n_sources", "n_references"})
BOOL_ATTRIBUTES: frozenset[str] = frozenset({"is_evidence_kind", "has_snapshot"})
LIST_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "qualifiers",
        "tags",
        "authors",
        "synonyms",
        "hedges",
        "boosters",
        "grounding",
        "grounding_iris",
        "grounding_matches",
    }
)


def attribute_type(name: str) -> str:
    """The attribute's type in Neo4j's import vocabulary: int, boolean, string[] or string."""
    if name in INT_ATTRIBUTES:
        return "int"
    if name in BOOL_ATTRIBUTES:
        return "boolean"
    if name in LIST_ATTRIBUTES:
        return "string[]"
    return "string"


# Characters XML 1.0 cannot hold at all, even escaped; a quote could carry one from its YAML.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def flatten(data: dict[str, Any]) -> dict[str, Any]:
    """Attributes as GraphML and GEXF can hold them: no None, lists as JSON strings.

    A character XML cannot hold (a control character other than tab and line breaks) becomes
    U+FFFD, the replacement character, rather than failing the export.
    """
    out: dict[str, Any] = {}
    for name, value in data.items():
        if value is None:
            continue
        if isinstance(value, list):
            value = json.dumps(value, ensure_ascii=False)
        out[name] = _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value
    return out


def _restore(data: dict[str, Any], declared: dict[str, str]) -> dict[str, Any]:
    out = {name: None for name in declared}
    for name, value in data.items():
        if name in LIST_ATTRIBUTES and isinstance(value, str):
            out[name] = json.loads(value)
        else:
            out[name] = value
    return out


def restore(read: nx.MultiDiGraph, *, drop: tuple[str, ...] = ()) -> nx.MultiDiGraph:
    """The graph as `build_graph` made it, from one read back from GraphML or GEXF.

    Lists are decoded, and every attribute the model declares for a node's or edge's kind but
    the file left out (because it was None) is put back as None. `drop` names attributes the
    reader adds of its own (GEXF's edge `id`).
    """
    g = nx.MultiDiGraph()
    g.graph.update(
        {k: v for k, v in read.graph.items() if k not in ("node_default", "edge_default")}
    )
    for node, data in read.nodes(data=True):
        kind = data.get("kind", "")
        g.add_node(node, **_restore(data, NODE_KINDS.get(kind, {})))
    for u, v, key, data in read.edges(keys=True, data=True):
        kept = {k: val for k, val in data.items() if k not in drop}
        declared = EDGE_KINDS[kept["kind"]][2] if kept.get("kind") in EDGE_KINDS else {}
        g.add_edge(u, v, key=key, **_restore(kept, declared))
    return g
