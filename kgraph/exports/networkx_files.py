"""The graph in networkx's own file formats: node-link JSON, GraphML and GEXF.

Node-link JSON keeps every attribute as it is (lists, null). GraphML and GEXF get the flattened
attributes of `kgraph.exports.attributes`; `read_graphml` and `read_gexf` undo the flattening.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from kgraph.exports.attributes import flat_graph, restore

# Record ids are slugs, so this never occurs inside one.
_ID_SEPARATOR = "|"


def node_link_json(g: nx.MultiDiGraph) -> str:
    """Node-link JSON (networkx's `node_link_data`, edges under "edges"), sorted."""
    data = nx.node_link_data(g, edges="edges")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["edges"] = sorted(data["edges"], key=lambda e: (e["source"], e["target"], e["key"]))
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def read_node_link(text: str) -> nx.MultiDiGraph:
    graph: nx.MultiDiGraph = nx.node_link_graph(
        json.loads(text), directed=True, multigraph=True, edges="edges"
    )
    return graph


def graphml(g: nx.MultiDiGraph) -> str:
    """GraphML (Cytoscape, Gephi, yEd): lists as JSON strings, None attributes left out."""
    buffer = io.BytesIO()
    nx.write_graphml(flat_graph(g), buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


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


def gexf(g: nx.MultiDiGraph) -> str:
    """GEXF 1.2 (Gephi): lists as JSON strings, None attributes left out, no timestamp."""
    flat = flat_graph(g)
    # Edge ids say which edge they are, rather than a counter's position.
    for u, v, key, data in flat.edges(keys=True, data=True):
        data["id"] = _ID_SEPARATOR.join((u, v, key))
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    if meta is not None:
        date = _modified_date()
        if date is None:
            meta.attrib.pop("lastmodifieddate", None)
        else:
            meta.set("lastmodifieddate", date)
        creator = meta.find("creator")
        if creator is not None:
            creator.text = "kgraph"
    writer.add_graph(flat)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue().decode("utf-8")


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
