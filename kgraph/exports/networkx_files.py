"""The graph in networkx's own file formats: node-link JSON, GraphML and GEXF.

Node-link JSON keeps every attribute as it is (lists, null). GraphML and GEXF get the flattened
attributes of `kgraph.exports.attributes` and are written line by line here (networkx's writers
build an XML tree first, most of an export's time). Each writer yields pieces to write one after
another. `read_graphml` and `read_gexf` read the files back with networkx, undoing the flattening.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from kgraph.exports.attributes import BOOL_ATTRIBUTES, INT_ATTRIBUTES, flatten, restore

# Record ids are slugs, so this never occurs inside one.
_ID_SEPARATOR = "|"


def node_link_json(g: nx.MultiDiGraph) -> Iterator[str]:
    """Node-link JSON (networkx's `node_link_data` layout, edges under "edges"), sorted, in
    pieces to write one after another (a large graph's JSON is never held whole).

    One node or edge per line: diffs stay readable and the C encoder writes each line (an
    indented dump goes through the pure-Python encoder, several times slower).
    """

    def line(item: dict[str, Any]) -> str:
        return "    " + json.dumps(item, sort_keys=True, ensure_ascii=False)

    yield '{\n  "directed": true,\n  "edges": ['
    sep = "\n"
    for u, v, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]):
        yield sep + line({**d, "source": u, "target": v, "key": k})
        sep = ",\n"
    graph = json.dumps(dict(g.graph), sort_keys=True, ensure_ascii=False)
    yield f'\n  ],\n  "graph": {graph},\n  "multigraph": true,\n  "nodes": ['
    sep = "\n"
    for n in sorted(g.nodes):
        yield sep + line({**g.nodes[n], "id": n})
        sep = ",\n"
    yield "\n  ]\n}\n"


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


def _nodes(g: nx.MultiDiGraph) -> Iterator[tuple[str, Attributes]]:
    """Nodes in sorted order with flattened attributes (see `attributes.flatten`)."""
    for n in sorted(g.nodes):
        yield n, flatten(g.nodes[n])


def _edges(g: nx.MultiDiGraph) -> Iterator[tuple[str, str, str, Attributes]]:
    for u, v, k in sorted(g.edges(keys=True)):
        yield u, v, k, flatten(g.edges[u, v, k])


def _declared(items: Iterable[Attributes], skip: tuple[str, ...] = ()) -> list[str]:
    """Names of the attributes that are set (not None), in the order they are first met."""
    names: dict[str, None] = {}
    for data in items:
        for name, value in data.items():
            if value is not None and name not in skip:
                names.setdefault(name)
    return list(names)


def _node_data(g: nx.MultiDiGraph) -> Iterator[Attributes]:
    for n in sorted(g.nodes):
        yield g.nodes[n]


def _edge_data(g: nx.MultiDiGraph) -> Iterator[Attributes]:
    for *_, data in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]):
        yield data


def graphml(g: nx.MultiDiGraph) -> Iterator[str]:
    """GraphML (Cytoscape, Gephi, yEd): lists as JSON strings, None attributes left out.

    Written line by line (it is a flat format); `read_graphml` reads it back with networkx.
    """
    graph_data = flatten(dict(g.graph))
    keys: dict[tuple[str, str], str] = {}
    yield (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    for domain, names in (
        ("graph", list(graph_data)),
        ("node", _declared(_node_data(g))),
        ("edge", _declared(_edge_data(g))),
    ):
        for name in names:
            key = keys[domain, name] = f"d{len(keys)}"
            yield (
                f'  <key id="{key}" for="{domain}" attr.name="{_attr(name)}" '
                f'attr.type="{_xml_type(name)}"/>\n'
            )
    yield '  <graph edgedefault="directed">\n'
    for name, value in graph_data.items():
        yield f'    <data key="{keys["graph", name]}">{_text(_value(value))}</data>\n'
    for node, data in _nodes(g):
        out = [f'    <node id="{_attr(node)}">\n']
        for name, value in data.items():
            out.append(f'      <data key="{keys["node", name]}">{_text(_value(value))}</data>\n')
        out.append("    </node>\n")
        yield "".join(out)
    for u, v, key, data in _edges(g):
        out = [f'    <edge id="{_attr(key)}" source="{_attr(u)}" target="{_attr(v)}">\n']
        for name, value in data.items():
            out.append(f'      <data key="{keys["edge", name]}">{_text(_value(value))}</data>\n')
        out.append("    </edge>\n")
        yield "".join(out)
    yield "  </graph>\n</graphml>\n"


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


def _attvalues(ids: dict[str, str], data: Attributes, indent: str) -> str:
    if not data:
        return ""
    out = [f"{indent}<attvalues>\n"]
    for name, value in data.items():
        out.append(f'{indent}  <attvalue for="{ids[name]}" value="{_attr(_value(value))}" />\n')
    out.append(f"{indent}</attvalues>\n")
    return "".join(out)


def gexf(g: nx.MultiDiGraph) -> Iterator[str]:
    """GEXF 1.2 (Gephi): lists as JSON strings, None attributes left out, no timestamp.

    A node's label is GEXF's own label; an edge's id is "source|target|key", so the keys of
    parallel edges survive a round trip (`read_gexf`).
    """
    name = g.graph.get("name", "")
    yield (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<gexf xmlns="http://www.gexf.net/1.2draft" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft '
        'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
    )
    date = _modified_date()
    yield f'  <meta lastmodifieddate="{date}">\n' if date else "  <meta>\n"
    yield "    <creator>kgraph</creator>\n  </meta>\n"
    yield f'  <graph defaultedgetype="directed" mode="static" name="{_attr(_value(name))}">\n'
    ids: dict[str, dict[str, str]] = {}
    counter = 0
    for domain, names in (
        ("node", _declared(_node_data(g), skip=("label",))),
        ("edge", _declared(_edge_data(g))),
    ):
        ids[domain] = {}
        yield f'    <attributes mode="static" class="{domain}">\n'
        for attribute in names:
            ids[domain][attribute] = str(counter)
            yield (
                f'      <attribute id="{counter}" title="{_attr(attribute)}" '
                f'type="{_xml_type(attribute)}" />\n'
            )
            counter += 1
        yield "    </attributes>\n"
    yield "    <nodes>\n"
    for node, data in _nodes(g):
        label = data.pop("label", node)
        yield (
            f'      <node id="{_attr(node)}" label="{_attr(_value(label))}">\n'
            + _attvalues(ids["node"], data, "        ")
            + "      </node>\n"
        )
    yield "    </nodes>\n    <edges>\n"
    for u, v, key, data in _edges(g):
        edge_id = _ID_SEPARATOR.join((u, v, key))
        yield (
            f'      <edge source="{_attr(u)}" target="{_attr(v)}" id="{_attr(edge_id)}">\n'
            + _attvalues(ids["edge"], data, "        ")
            + "      </edge>\n"
        )
    yield "    </edges>\n  </graph>\n</gexf>\n"


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
