"""Beyond one machine: the Turtle export in a real SPARQL store answers the audit's questions
as the NetworkX graph does. Starts Debian's Virtuoso on loopback, in a temporary database."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import kgraph
from kgraph import vocab
from kgraph.audit.articles import is_article
from kgraph.exports.rdf import BASE, rdf_graph, turtle
from kgraph.generate import generate_corpus
from kgraph.graph import build_graph
from kgraph.graph.queries import paths
from tests.conftest import REPO

pytestmark = pytest.mark.triplestore

QUERIES = REPO / "queries"
GRAPH_IRI = "urn:kgraph:test"
CLAIM, ENTITY = BASE + "claim:", BASE + "entity:"

INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {data}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
ServerThreads = 4
MaxClientConnections = 4
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Virtuoso:
    sql: str  # host:port for isql-vt
    endpoint: str  # the SPARQL endpoint's address
    data: Path  # a folder the server may read files from

    def isql(self, statement: str) -> None:
        result = subprocess.run(
            ["isql-vt", self.sql, "dba", "dba", f"exec={statement}"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0 and "Error" not in result.stdout, result.stdout

    def select(self, query: str) -> list[dict[str, str]]:
        body = urllib.parse.urlencode(
            {
                "query": query,
                "default-graph-uri": GRAPH_IRI,
                "format": "application/sparql-results+json",
            }
        ).encode()
        with urllib.request.urlopen(self.endpoint, body, timeout=120) as response:
            payload: dict[str, Any] = json.load(response)
        return [
            {name: cell["value"] for name, cell in row.items()}
            for row in payload["results"]["bindings"]
        ]


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
        if os.environ.get("CI"):
            pytest.fail(
                "virtuoso-opensource is not installed (scripts/setup.sh --test installs it)"
            )
        pytest.skip("virtuoso-opensource is not installed: run scripts/setup.sh --test")
    base = tmp_path_factory.mktemp("virtuoso")
    db, data = base / "db", base / "data"
    db.mkdir()
    data.mkdir()
    sql_port, http_port = free_port(), free_port()
    (base / "virtuoso.ini").write_text(
        INI.format(db=db, data=data, sql_port=sql_port, http_port=http_port)
    )
    log = open(base / "server.log", "wb")  # noqa: SIM115 - closed at teardown
    server = subprocess.Popen(
        ["virtuoso-t", "+foreground", "+configfile", str(base / "virtuoso.ini")],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=base,
    )
    store = Virtuoso(f"127.0.0.1:{sql_port}", f"http://127.0.0.1:{http_port}/sparql", data)
    try:
        deadline = time.monotonic() + 180  # a new database takes ~20 s to initialise
        while True:
            try:
                store.select("SELECT (1 AS ?one) WHERE {}")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    tail = (base / "server.log").read_text(errors="replace")[-2000:]
                    pytest.fail(f"Virtuoso did not come up on {store.endpoint}:\n{tail}")
                time.sleep(0.5)
        yield store
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def loaded(
    virtuoso: Virtuoso, tmp_path_factory: pytest.TempPathFactory
) -> tuple[kgraph.Corpus, Any, int]:
    """A generated corpus, its graph, and its Turtle export loaded into the store."""
    root = tmp_path_factory.mktemp("corpus") / "corpus"
    generate_corpus(root, 150, seed=1)
    report = kgraph.check(root)
    assert report.errors == 0
    graph = build_graph(report.corpus)
    ttl = virtuoso.data / "kgraph.ttl"
    ttl.write_text(
        "".join(turtle(graph, report.corpus)), encoding="utf-8"
    )  # what `kgraph export` writes
    rdf = rdf_graph(graph, report.corpus)
    # The bulk loader, as docs/scale.md describes for a large corpus.
    virtuoso.isql(f"ld_dir('{virtuoso.data}', 'kgraph.ttl', '{GRAPH_IRI}')")
    virtuoso.isql("rdf_loader_run()")
    virtuoso.isql("checkpoint")
    return report.corpus, graph, len(rdf)


def test_the_whole_export_is_loaded(virtuoso: Virtuoso, loaded: tuple[Any, Any, int]) -> None:
    rows = virtuoso.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(rows[0]["n"]) == loaded[2]


def test_echoes_in_sparql_match_the_graph(virtuoso: Virtuoso, loaded: tuple[Any, Any, int]) -> None:
    corpus, graph, _ = loaded
    expected = set()
    for cid, data in graph.nodes(data=True):
        if data["kind"] != "claim" or data["rank"] is None or data["rank"] > vocab.ECHO_MAX_RANK:
            continue
        articles = {
            u
            for u, _, d in graph.in_edges(cid, data=True)
            if d["kind"] == "asserts" and is_article(corpus.sources[u])
        }
        if len(articles) >= 2:
            expected.add((cid, data["level"], len(articles)))
    rows = virtuoso.select((QUERIES / "echoes.rq").read_text())
    found = {(r["claim"].removeprefix(CLAIM), r["level"], int(r["articles"])) for r in rows}
    assert expected, "the test corpus should hold echoes"
    assert found == expected


def test_chains_from_ketamine_to_outcomes_match_the_graph(
    virtuoso: Virtuoso, loaded: tuple[Any, Any, int]
) -> None:
    corpus, graph, _ = loaded
    expected = set()
    for eid, entity in corpus.entities.items():
        if entity.type == "outcome":
            for chain in paths(graph, "ketamine", eid, max_len=4):
                claims = tuple(s.claim for s in chain.steps)
                weakest = claims[chain.weakest[0]]
                expected.add((eid, claims, chain.strength, weakest))
    rows = virtuoso.select((QUERIES / "ketamine-to-outcome.rq").read_text())
    found = set()
    for r in rows:
        claims = tuple(r[f"c{i}"].removeprefix(CLAIM) for i in range(1, int(r["steps"]) + 1))
        weakest = r["weakest"].removeprefix(CLAIM)
        found.add((r["end"].removeprefix(ENTITY), claims, int(r["weakestRank"]), weakest))
    assert expected, "the test corpus should hold chains from ketamine to an outcome"
    assert found == expected
    assert len(rows) == len(found)  # no chain twice


def test_query_files_use_the_projects_vocabulary() -> None:
    """The .rq files spell two vocabularies out (SPARQL cannot import them): keep them in step."""
    echoes = (QUERIES / "echoes.rq").read_text()
    kinds = ", ".join(f'"{k}"' for k in sorted(vocab.NON_EVIDENCE_SOURCE_KINDS))
    assert f"?kind IN ({kinds})" in echoes
    assert f"?rank <= {vocab.ECHO_MAX_RANK}" in echoes


@pytest.mark.parametrize("name", ["echoes.rq", "ketamine-to-outcome.rq"])
def test_kgraph_query_gives_the_same_answers_on_virtuoso_and_the_embedded_store(
    name: str, virtuoso: Virtuoso, loaded: tuple[Any, Any, int]
) -> None:
    """`kgraph query --endpoint` (Virtuoso) and `kgraph query` (Oxigraph in memory) answer each
    shipped query with the same rows, and both as the NetworkX graph does."""
    from click.testing import CliRunner

    from kgraph.cli import main
    from kgraph.sparql import embedded_store, query_store
    from tests.test_sparql import expected_chains, expected_echoes, found_chains, found_echoes

    corpus, graph, _ = loaded
    result = CliRunner().invoke(
        main,
        [
            "query",
            str(QUERIES / name),
            "--endpoint",
            virtuoso.endpoint,
            "--default-graph",
            GRAPH_IRI,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    on_server = [
        {k: cell["value"] for k, cell in row.items()}
        for row in json.loads(result.output)["results"]["bindings"]
    ]
    embedded = query_store(embedded_store(graph, corpus), (QUERIES / name).read_text()).values()
    assert sorted(sorted(r.items()) for r in on_server) == sorted(
        sorted(r.items()) for r in embedded
    )
    if name == "echoes.rq":
        assert found_echoes(on_server) == found_echoes(embedded) == expected_echoes(corpus, graph)
    else:
        assert found_chains(on_server) == found_chains(embedded) == expected_chains(corpus, graph)
        assert len(on_server) == len(embedded) == len(found_chains(on_server))


def test_the_sparql_benchmark_runs_end_to_end_and_writes_its_section(tmp_path: Path) -> None:
    """scripts/bench_sparql.py on a tiny corpus: it loads Virtuoso and the embedded store, asks
    both queries of each, and replaces only its own section of the file (figures not asserted)."""
    import sys

    if shutil.which("virtuoso-t") is None:
        pytest.skip("virtuoso-opensource is not installed: run scripts/setup.sh --test")
    out = tmp_path / "BENCH.md"
    out.write_text(
        "# Kept\n\n<!-- bench_sparql: written by scripts/bench_sparql.py -->\nstale\n"
        "<!-- /bench_sparql -->\ntail kept\n",
        encoding="utf-8",
    )
    script = REPO / "scripts" / "bench_sparql.py"
    args = ["--claims", "60", "--repeat", "1", "--write", str(out)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, timeout=900, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Kept\n\n") and text.endswith("tail kept\n") and "stale" not in text
    assert "| load the Turtle |" in text and "`queries/ketamine-to-outcome.rq`" in text
    assert "Reproduce: `.venv/bin/python scripts/bench_sparql.py --claims 60 --repeat 1`" in text
