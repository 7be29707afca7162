"""CSV files for Neo4j's bulk importer (`neo4j-admin database import full`), and how to run it.

One node file per node kind and one relationship file per edge kind, each with its header on the
first line: `id:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE` and typed property columns.
"""

from __future__ import annotations

import textwrap
from typing import Any

import networkx as nx

from kgraph.exports.attributes import attribute_type
from kgraph.graph.model import EDGE_KINDS, NODE_KINDS

# The importer's default array delimiter; it has no escape, so it cannot occur inside an item.
ARRAY_DELIMITER = ";"
NODE_LABELS = {"claim": "Claim", "source": "Source", "entity": "Entity"}
NODE_FILES = {"claim": "claims.csv", "source": "sources.csv", "entity": "entities.csv"}


def relationship_type(kind: str, data: dict[str, Any]) -> str:
    """The relationship type: the predicate for entity-view edges (ACTS_ON), else the kind."""
    if kind == "relation":
        return str(data["predicate"]).upper()
    return kind.upper()


def _field(value: Any, typ: str) -> str:
    """One CSV field: empty for no value, numbers bare, everything else quoted.

    The importer reads an empty field as "no property" and a quoted "" as an empty string;
    Python's csv module cannot tell the two apart before 3.12, so fields are written here.
    """
    if value is None or (typ == "string[]" and not value):
        return ""
    if typ == "int":
        return str(int(value))
    if typ == "boolean":
        return "true" if value else "false"
    if typ == "string[]":
        # The importer has no escape for its array delimiter: an item holding one gets a comma.
        value = ARRAY_DELIMITER.join(str(item).replace(ARRAY_DELIMITER, ",") for item in value)
    return '"' + str(value).replace('"', '""') + '"'


def _csv(header: list[str], rows: list[list[str]]) -> str:
    return "".join(",".join(row) + "\n" for row in [header, *rows])


def _columns(attrs: dict[str, str]) -> list[tuple[str, str]]:
    # `kind` is carried by the label or type, so it is not repeated as a property.
    return [(name, attribute_type(name)) for name in attrs if name != "kind"]


def _header(columns: list[tuple[str, str]]) -> list[str]:
    return [name if typ == "string" else f"{name}:{typ}" for name, typ in columns]


def node_csv(graph: nx.MultiDiGraph, kind: str) -> str:
    columns = _columns(NODE_KINDS[kind])
    header = ["id:ID", ":LABEL", *_header(columns)]
    rows = []
    for node in sorted(n for n, d in graph.nodes(data=True) if d.get("kind") == kind):
        data = graph.nodes[node]
        rows.append(
            [
                _field(node, "string"),
                _field(NODE_LABELS[kind], "string"),
                *(_field(data.get(name), typ) for name, typ in columns),
            ]
        )
    return _csv(header, rows)


def relationship_csv(graph: nx.MultiDiGraph, kind: str) -> str:
    columns = _columns(EDGE_KINDS[kind][2])
    header = [":START_ID", ":END_ID", ":TYPE", *_header(columns)]
    rows = []
    for u, v, key in sorted(graph.edges(keys=True)):
        data = graph.edges[u, v, key]
        if data.get("kind") != kind:
            continue
        rows.append(
            [
                _field(u, "string"),
                _field(v, "string"),
                _field(relationship_type(kind, data), "string"),
                *(_field(data.get(name), typ) for name, typ in columns),
            ]
        )
    return _csv(header, rows)


def import_command(files: dict[str, str]) -> str:
    """The shell command that imports the files, run from their folder."""
    nodes = [f for f in files if f in NODE_FILES.values()]
    rels = [f for f in files if f.endswith(".csv") and f not in nodes]
    parts = ['"$NEO4J_HOME"/bin/neo4j-admin database import full neo4j']
    parts += [f"  --nodes={f}" for f in nodes]
    parts += [f"  --relationships={f}" for f in rels]
    parts += ["  --multiline-fields=true", "  --overwrite-destination=true"]
    return " \\\n".join(parts)


def _typed_columns(files: dict[str, str]) -> list[str]:
    headers = {col for text in files.values() for col in text.split("\n", 1)[0].split(",")}
    return sorted(h for h in headers if ":" in h and not h.startswith(":") and ":ID" not in h)


def readme(files: dict[str, str]) -> str:
    """README.txt: the layout of the files and the exact import command."""
    labels = "\n".join(f"  {NODE_FILES[k]}: label {label}" for k, label in NODE_LABELS.items())
    rels = "\n".join(
        f"  {kind}.csv: {src} -> {dst}, type "
        + (
            "the predicate in capitals (ACTS_ON, BLOCKS, ...)"
            if kind == "relation"
            else kind.upper()
        )
        for kind, (src, dst, _) in EDGE_KINDS.items()
    )
    d = ARRAY_DELIMITER
    typed = textwrap.fill(
        f"Typed columns: {', '.join(_typed_columns(files))}. Lists are string[] joined with the "
        f"importer's default array delimiter `{d}`; it has no escape, so an item holding `{d}` "
        "has it replaced by a comma. An empty field means no value (no property is stored: "
        'None, or an empty list); "" is an empty string. Text may hold line breaks, hence '
        "--multiline-fields=true.",
        width=96,
        break_on_hyphens=False,
    )
    return f"""\
kgraph graph for Neo4j's bulk importer (neo4j-admin database import full, Neo4j 5)

From this folder, with NEO4J_HOME pointing at a Neo4j installation whose database `neo4j` is
stopped (or not yet created), run:

{import_command(files)}

then start Neo4j. The import replaces what the database held.

Node files, one per node kind:
{labels}
The id:ID column holds the record id; ids are unique across the corpus, so one id space serves
every file, and the id is kept as property `id`.

Relationship files, one per edge kind (:START_ID -> :END_ID):
{rels}
relation.csv is the entity view: one relationship per claim, with the claim id in `claim` and its
evidence level in `level` and `rank`.

{typed}

Example: the claims an article asserts, weakest evidence first
  MATCH (s:Source)-[a:ASSERTS]->(c:Claim) WHERE s.id = $article
  RETURN c.id, c.level, a.quote ORDER BY c.rank
"""


def neo4j_files(graph: nx.MultiDiGraph) -> dict[str, str]:
    """File name -> content for the import folder, README.txt included."""
    files = {NODE_FILES[kind]: node_csv(graph, kind) for kind in NODE_KINDS}
    files.update({f"{kind}.csv": relationship_csv(graph, kind) for kind in EDGE_KINDS})
    files["README.txt"] = readme(files)
    return dict(sorted(files.items()))
