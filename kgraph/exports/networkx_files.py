"""The graph in networkx's own file formats: node-link JSON, GraphML and GEXF.

Node-link JSON keeps every attribute as it is (lists, null). GraphML and GEXF get the flattened
attributes of `kgraph.exports.attributes` and are written line by line here (networkx's writers
build an XML tree first, most of an export's time); `read_graphml` and `read_gexf` read them back
with networkx and undo the flattening.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import networkx as nx

from kgraph.exports.attributes import BOOL_ATTRIBUTES, INT_ATTRIBUTES, flatten, restore

# Record ids are slugs, so this never occurs inside one.
_ID_SEPARATOR = "|"


def node_link_json(g: nx.MultiDiGraph) -> str:
    """Node-link JSON (networkx's `node_link_data` layout, edges under "edges"), sorted.

    One node or edge per line: diffs stay readable and the C encoder writes each line (an
    indented dump goes through the pure-Python encoder, several times slower).
    """

    def line(item: dict[str, Any]) -> str:
        return "    " + json.dumps(item, sort_keys=True, ensure_ascii=False)

    nodes = [line({**g.nodes[n], "id": n}) for n in sorted(g.nodes)]
    edges = [
        line({**d, "source": u, "target": v, "key": k})
        for u, v, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3])
    ]
    graph = json.dumps(dict(g.graph), sort_keys=True, ensure_ascii=False)
    return (
        '{\n  "directed": true,\n  "edges": [\n'
        + ",\n".join(edges)
        + f'\n  ],\n  "graph": {graph},\n  "multigraph": true,\n  "nodes": [\n'
        + ",\n".join(nodes)
        + "\n  ]\n}\n"
    )


def read_node_link(text: str) -> nx.MultiDiGraph:
    graph: nx.MultiDiGraph = nx.node_link_graph(
        json.loads(text), directed=True, multigraph=True, edges="edges"
    )
    return graph


def _text(value: str) -> str:
    # A carriage return is escaped too: a reader would otherwise read it back as a line feed.
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _attr(value: str) -> str:
    # Line breaks and tabs in an attribute value would be read back as spaces unless escaped.
    return _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml_type(name: str) -> str:
    if name in INT_ATTRIBUTES:
        return "long"
    return "boolean" if name in BOOL_ATTRIBUTES else "string"


Attributes = dict[str, Any]


def _flat_items(
    g: nx.MultiDiGraph,
) -> tuple[list[tuple[str, Attributes]], list[tuple[str, str, str, Attributes]]]:
    """Nodes and edges in sorted order with flattened attributes (see `attributes.flatten`)."""
    nodes = [(n, flatten(g.nodes[n])) for n in sorted(g.nodes)]
    edges = [(u, v, k, flatten(d)) for u, v, k, d in sorted(g.edges(keys=True, data=True))]
    return nodes, edges


def _declared(items: list[Attributes], skip: tuple[str, ...] = ()) -> list[str]:
    """Attribute names in the order they are first met."""
    names: dict[str, None] = {}
    for data in items:
        for name in data:
            if name not in skip:
                names.setdefault(name)
    return list(names)


def graphml(g: nx.MultiDiGraph) -> str:
    """GraphML (Cytoscape, Gephi, yEd): lists as JSON strings, None attributes left out.

    Written directly (it is a flat format); `read_graphml` reads it back with networkx.
    """
    nodes, edges = _flat_items(g)
    graph_data = flatten(dict(g.graph))
    keys: dict[tuple[str, str], str] = {}
    out = [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    for domain, names in (
        ("graph", list(graph_data)),
        ("node", _declared([d for _, d in nodes])),
        ("edge", _declared([d for *_, d in edges])),
    ):
        for name in names:
            key = keys[domain, name] = f"d{len(keys)}"
            out.append(
                f'  <key id="{key}" for="{domain}" attr.name="{_attr(name)}" '
                f'attr.type="{_xml_type(name)}"/>'
            )
    out.append('  <graph edgedefault="directed">')
    for name, value in graph_data.items():
        out.append(f'    <data key="{keys["graph", name]}">{_text(_value(value))}</data>')
    for node, data in nodes:
        out.append(f'    <node id="{_attr(node)}">')
        for name, value in data.items():
            out.append(f'      <data key="{keys["node", name]}">{_text(_value(value))}</data>')
        out.append("    </node>")
    for u, v, key, data in edges:
        out.append(f'    <edge id="{_attr(key)}" source="{_attr(u)}" target="{_attr(v)}">')
        for name, value in data.items():
            out.append(f'      <data key="{keys["edge", name]}">{_text(_value(value))}</data>')
        out.append("    </edge>")
    out.append("  </graph>")
    out.append("</graphml>")
    return "\n".join(out) + "\n"


def read_graphml(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """A GraphML export read back into the graph that was written."""
    read = nx.read_graphml(Path(path), edge_key_type=str, force_multigraph=True)
    return restore(read)


def _modified_date() -> str | None:
    # GEXF has a last-modified date; reproducible builds carry one only when asked to.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%d")


def _attvalues(out: list[str], ids: dict[str, str], data: Attributes, indent: str) -> None:
    if not data:
        return
    out.append(f"{indent}<attvalues>")
    for name, value in data.items():
        out.append(f'{indent}  <attvalue for="{ids[name]}" value="{_attr(_value(value))}" />')
    out.append(f"{indent}</attvalues>")


def gexf(g: nx.MultiDiGraph) -> str:
    """GEXF 1.2 (Gephi): lists as JSON strings, None attributes left out, no timestamp.

    A node's label is GEXF's own label; an edge's id is "source|target|key", so the keys of
    parallel edges survive a round trip (`read_gexf`).
    """
    nodes, edges = _flat_items(g)
    name = g.graph.get("name", "")
    out = [
        "<?xml version='1.0' encoding='utf-8'?>",
        '<gexf xmlns="http://www.gexf.net/1.2draft" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft '
        'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">',
    ]
    date = _modified_date()
    out.append(f'  <meta lastmodifieddate="{date}">' if date else "  <meta>")
    out += ["    <creator>kgraph</creator>", "  </meta>"]
    out.append(f'  <graph defaultedgetype="directed" mode="static" name="{_attr(_value(name))}">')
    ids: dict[str, dict[str, str]] = {}
    counter = 0
    for domain, names in (
        ("node", _declared([d for _, d in nodes], skip=("label",))),
        ("edge", _declared([d for *_, d in edges])),
    ):
        ids[domain] = {}
        out.append(f'    <attributes mode="static" class="{domain}">')
        for attribute in names:
            ids[domain][attribute] = str(counter)
            out.append(
                f'      <attribute id="{counter}" title="{_attr(attribute)}" '
                f'type="{_xml_type(attribute)}" />'
            )
            counter += 1
        out.append("    </attributes>")
    out.append("    <nodes>")
    for node, data in nodes:
        label = data.pop("label", node)
        out.append(f'      <node id="{_attr(node)}" label="{_attr(_value(label))}">')
        _attvalues(out, ids["node"], data, "        ")
        out.append("      </node>")
    out.append("    </nodes>")
    out.append("    <edges>")
    for u, v, key, data in edges:
        edge_id = _ID_SEPARATOR.join((u, v, key))
        out.append(f'      <edge source="{_attr(u)}" target="{_attr(v)}" id="{_attr(edge_id)}">')
        _attvalues(out, ids["edge"], data, "        ")
        out.append("      </edge>")
    out += ["    </edges>", "  </graph>", "</gexf>"]
    return "\n".join(out) + "\n"


def read_gexf(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """A GEXF export read back into the graph that was written."""
    read = nx.read_gexf(Path(path))
    # networkx reads a GEXF without parallel edges as a DiGraph, losing the keys; the edge ids
    # written above carry them.
    keyed = nx.MultiDiGraph()
    keyed.graph.update(read.graph)
    keyed.graph.pop("mode", None)
    keyed.add_nodes_from(read.nodes(data=True))
    for u, v, data in read.edges(data=True):
        key = str(data["id"]).split(_ID_SEPARATOR, 2)[2]
        keyed.add_edge(u, v, key=key, **data)
    return restore(keyed, drop=("id",))
