"""`kgraph query`: SPARQL over the graph's Turtle export, in an embedded store or on a server.

Sits beside `build`: it reads the RDF export (`exports/rdf`) of a checked corpus into pyoxigraph,
an in-process store that needs no set-up, or sends the query to a SPARQL endpoint instead.
Answers come back as one `Answer` whichever engine gave them, so the two can be compared.
"""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kgraph.exports.rdf import PREFIXES, turtle

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph

    from kgraph.corpus.model import Corpus

ANSWER_FORMATS = ("table", "csv", "json")
# A query's form, after its PREFIX and BASE lines and comments.
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_COMMENT = re.compile(r"(?m)(?:^|\s)#[^\n]*")
# pyoxigraph's syntax errors: "error at LINE:COLUMN: what was expected".
_AT = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
ENDPOINT_TIMEOUT = 300  # seconds a server may take to answer


class SparqlError(Exception):
    """A query that cannot be run or answered: its file or the endpoint, and why, in one line."""


@dataclass(frozen=True)
class Term:
    """One RDF term of an answer: its kind (uri, literal, bnode), value, datatype, language."""

    kind: str
    value: str
    datatype: str = ""
    language: str = ""

    def __str__(self) -> str:
        return self.value


@dataclass
class Answer:
    """A SELECT's variables and rows (None for an unbound variable), or an ASK's boolean."""

    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Term | None]] = field(default_factory=list)
    boolean: bool | None = None

    def values(self) -> list[dict[str, str]]:
        """Each row as variable -> value string, unbound variables left out (for comparing)."""
        return [{k: v.value for k, v in row.items() if v is not None} for row in self.rows]


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's form, read past comments and prefixes."""
    m = _FORM.search(_COMMENT.sub("", query))
    return m.group(1).upper() if m else ""


def _refuse_other_forms(query: str, name: str) -> None:
    form = query_form(query) or "none"
    if form not in ("SELECT", "ASK"):
        raise SparqlError(f"{name}: only SELECT and ASK queries are answered (found {form})")


def embedded_store(graph: nx.MultiDiGraph, corpus: Corpus) -> pyoxigraph.Store:
    """A pyoxigraph store in memory holding the corpus's Turtle export (what `kgraph export
    --format turtle` writes), so the same queries run against the same triples."""
    import pyoxigraph

    store = pyoxigraph.Store()
    data = "".join(turtle(graph, corpus)).encode("utf-8")
    store.load(data, format=pyoxigraph.RdfFormat.TURTLE)
    return store


def _oxigraph_term(term: Any) -> Term:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return Term("bnode", term.value)
    language = term.language or ""
    datatype = "" if language else term.datatype.value
    return Term("literal", term.value, datatype, language)


def query_store(store: pyoxigraph.Store, query: str, name: str = "query") -> Answer:
    """Run a SELECT or ASK query against an embedded store."""
    import pyoxigraph

    _refuse_other_forms(query, name)
    try:
        result = store.query(query)
    except SyntaxError as err:
        raise SparqlError(_syntax_error(query, name, str(err))) from err
    except OSError as err:  # pyoxigraph reports an evaluation failure as an OSError
        raise SparqlError(f"{name}: {_one_line(str(err))}") from err
    if isinstance(result, pyoxigraph.QueryBoolean):
        return Answer(boolean=bool(result))
    assert isinstance(result, pyoxigraph.QuerySolutions)
    variables = [v.value for v in result.variables]
    rows = []
    for solution in result:
        row: dict[str, Term | None] = {}
        for v in variables:
            bound = solution[v]
            row[v] = None if bound is None else _oxigraph_term(bound)
        rows.append(row)
    return Answer(variables, rows)


def _syntax_error(query: str, name: str, message: str) -> str:
    """A syntax error with the line and column where it is. Oxigraph reports where its parser
    gave up, often the end of the file; rdflib's parser points at the token it could not take,
    so it is asked for the place, and Oxigraph's message kept for what was expected."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    m = _AT.match(message)
    detail = _one_line(m.group(3) if m else message)
    try:
        parseQuery(query)
    except ParseBaseException as err:
        near = _one_line(err.line)[:80]
        return f"{name}:{err.lineno}:{err.col}: SPARQL syntax error: {detail} (near {near!r})"
    return f"{name}: SPARQL syntax error: {detail}"


def query_endpoint(
    endpoint: str, query: str, name: str = "query", default_graph: str | None = None
) -> Answer:
    """Send a SELECT or ASK query to a SPARQL 1.1 endpoint (POST, results as JSON)."""
    _refuse_other_forms(query, name)
    if not re.match(r"^https?://", endpoint):
        raise SparqlError(f"{endpoint}: not an http(s) address of a SPARQL endpoint")
    fields = {"query": query}
    if default_graph:
        fields["default-graph-uri"] = default_graph
    request = urllib.request.Request(
        endpoint,
        data=urllib.parse.urlencode(fields).encode(),
        headers={
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=ENDPOINT_TIMEOUT) as response:
            payload = json.load(response)
    except urllib.error.HTTPError as err:
        detail = _one_line(err.read().decode("utf-8", "replace"))[:300]
        raise SparqlError(f"{endpoint}: HTTP {err.code} for {name}: {detail}") from err
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise SparqlError(f"{endpoint}: cannot reach the endpoint ({reason})") from err
    except ValueError as err:
        raise SparqlError(f"{endpoint}: the answer to {name} is not SPARQL results JSON") from err
    return _answer_from_json(payload, endpoint)


def _answer_from_json(payload: Any, where: str) -> Answer:
    if not isinstance(payload, dict):
        raise SparqlError(f"{where}: the answer is not SPARQL results JSON")
    if "boolean" in payload:
        return Answer(boolean=bool(payload["boolean"]))
    try:
        variables = list(payload["head"]["vars"])
        bindings = payload["results"]["bindings"]
    except (KeyError, TypeError) as err:
        raise SparqlError(f"{where}: the answer is not SPARQL results JSON") from err
    rows = []
    for binding in bindings:
        row: dict[str, Term | None] = {}
        for v in variables:
            cell = binding.get(v)
            if cell is None:
                row[v] = None
                continue
            kind = "literal" if cell["type"] == "typed-literal" else cell["type"]
            row[v] = Term(kind, cell["value"], cell.get("datatype", ""), cell.get("xml:lang", ""))
        rows.append(row)
    return Answer(variables, rows)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _short(term: Term | None) -> str:
    """A term as a person reads it: a prefixed name for an IRI in a known namespace."""
    if term is None:
        return ""
    if term.kind == "uri":
        for prefix, ns in sorted(PREFIXES.items(), key=lambda x: (-len(x[1]), x[0])):
            if term.value.startswith(ns) and term.value != ns:
                return f"{prefix}:{term.value[len(ns) :]}"
        return f"<{term.value}>"
    return term.value


def render_answer(answer: Answer, fmt: str = "table") -> str:
    """An answer as an aligned text table, CSV (a header line, then one line a row) or SPARQL
    results JSON."""
    if fmt == "json":
        return json.dumps(_answer_json(answer), indent=2, ensure_ascii=False) + "\n"
    if answer.boolean is not None:
        return ("true" if answer.boolean else "false") + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(answer.variables)
        for row in answer.rows:
            writer.writerow(["" if row[v] is None else str(row[v]) for v in answer.variables])
        return out.getvalue()
    cells = [[_short(row[v]) for v in answer.variables] for row in answer.rows]
    return _table(answer.variables, cells) + f"{len(answer.rows)} row(s)\n"


def _table(header: list[str], cells: Iterable[list[str]]) -> str:
    lines = [header, *cells]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() + "\n"
        for line in lines
    )


def _answer_json(answer: Answer) -> dict[str, Any]:
    if answer.boolean is not None:
        return {"head": {}, "boolean": answer.boolean}
    bindings = []
    for row in answer.rows:
        binding: dict[str, dict[str, str]] = {}
        for v, term in row.items():
            if term is None:
                continue
            cell = {"type": term.kind, "value": term.value}
            if term.language:
                cell["xml:lang"] = term.language
            elif term.datatype:
                cell["datatype"] = term.datatype
            binding[v] = cell
        bindings.append(binding)
    return {"head": {"vars": answer.variables}, "results": {"bindings": bindings}}


def run_query(
    query: str,
    name: str = "query",
    *,
    graph: nx.MultiDiGraph | None = None,
    corpus: Corpus | None = None,
    endpoint: str | None = None,
    default_graph: str | None = None,
) -> Answer:
    """Answer a query from the endpoint when one is given, else from the corpus in memory."""
    if endpoint is not None:
        return query_endpoint(endpoint, query, name, default_graph)
    if graph is None or corpus is None:
        raise SparqlError(f"{name}: no corpus to query and no --endpoint given")
    return query_store(embedded_store(graph, corpus), query, name)
