"""Exporting the graph: every format round-trips through the tool that reads it, byte-stably."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

import kgraph
from kgraph import vocab
from kgraph.cli import main
from kgraph.corpus.model import Corpus
from kgraph.exports import FORMATS, ExportError, export, write_exports, write_format
from kgraph.exports.attributes import BOOL_ATTRIBUTES, INT_ATTRIBUTES, LIST_ATTRIBUTES
from kgraph.exports.claimreview import BEST, WORST, rating
from kgraph.exports.networkx_files import read_gexf, read_graphml, read_node_link
from kgraph.graph import build_graph
from tests.conftest import REPO, CorpusBuilder, add_ungraded_finding


@pytest.fixture
def loaded(chain: CorpusBuilder) -> tuple[Corpus, nx.MultiDiGraph]:
    corpus = kgraph.load(chain.root)
    return corpus, build_graph(corpus)


@pytest.fixture
def out(loaded: tuple[Corpus, nx.MultiDiGraph], tmp_path: Path) -> Path:
    corpus, graph = loaded
    target = tmp_path / "exports"
    write_exports(graph, corpus, target)
    return target


def same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert set(a.nodes) == set(b.nodes)
    assert set(a.edges(keys=True)) == set(b.edges(keys=True))
    for node in a.nodes:
        assert dict(a.nodes[node]) == dict(b.nodes[node]), node
    for edge in a.edges(keys=True):
        assert dict(a.edges[edge]) == dict(b.edges[edge]), edge


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- writing every format --------------------------------------------------------------------


def test_write_exports_writes_every_format(
    loaded: tuple[Corpus, nx.MultiDiGraph], tmp_path: Path
) -> None:
    corpus, graph = loaded
    files = write_exports(graph, corpus, tmp_path / "a" / "exports")
    names = {str(p.relative_to(tmp_path / "a" / "exports")) for p in files}
    assert {
        "graph.json",
        "graph.graphml",
        "graph.gexf",
        "claims.jsonl",
        "graph.ttl",
        "claimreview.jsonld",
        "neo4j/README.txt",
        "neo4j/claims.csv",
        "neo4j/relation.csv",
    } <= names
    assert files == sorted(files) and all(p.is_file() for p in files)
    assert {f.filename for f in FORMATS.values()} == {n.split("/")[0] for n in names}


def test_single_format_export_matches_the_file_written(
    loaded: tuple[Corpus, nx.MultiDiGraph], out: Path
) -> None:
    corpus, graph = loaded
    for fmt in FORMATS.values():
        if fmt.renderer is None:
            with pytest.raises(ExportError, match="folder"):
                export(graph, corpus, fmt.name)
            continue
        assert export(graph, corpus, fmt.name).encode() == (out / fmt.filename).read_bytes()
    with pytest.raises(ExportError, match="unknown export format 'dot'"):
        export(graph, corpus, "dot")


_WRITE_ALL = """
import sys
from collections.abc import Callable
from pathlib import Path
import kgraph
from kgraph.exports import write_exports
from kgraph.graph import build_graph
corpus = kgraph.load(sys.argv[1])
write_exports(build_graph(corpus), corpus, Path(sys.argv[2]))
"""


def test_exports_are_byte_identical_across_runs(chain: CorpusBuilder, tmp_path: Path) -> None:
    # Separate processes with different hash seeds: set and dict order cannot leak in.
    digests = []
    for seed in ("1", "2"):
        target = tmp_path / f"run-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        subprocess.run(
            [sys.executable, "-c", _WRITE_ALL, str(chain.root), str(target)],
            check=True,
            env=env,
            cwd=REPO,
        )
        digests.append(tree_digest(target))
    assert digests[0] == digests[1]
    assert len(digests[0]) >= 16


def test_attribute_type_tables_match_the_graph(loaded: tuple[Corpus, nx.MultiDiGraph]) -> None:
    _, graph = loaded
    seen: dict[str, set[type]] = {}
    for _, data in graph.nodes(data=True):
        for k, v in data.items():
            seen.setdefault(k, set()).add(type(v))
    for _, _, data in graph.edges(data=True):
        for k, v in data.items():
            seen.setdefault(k, set()).add(type(v))
    for name, types in seen.items():
        types.discard(type(None))
        expected = (
            int
            if name in INT_ATTRIBUTES
            else bool
            if name in BOOL_ATTRIBUTES
            else list
            if name in LIST_ATTRIBUTES
            else str
        )
        assert types <= {expected}, f"{name}: {types}; update kgraph/exports/attributes.py"


# --- networkx formats ------------------------------------------------------------------------


def test_node_link_json_reads_back_to_the_same_graph(
    loaded: tuple[Corpus, nx.MultiDiGraph], out: Path
) -> None:
    _, graph = loaded
    same_graph(read_node_link((out / "graph.json").read_text(encoding="utf-8")), graph)


def test_graphml_reads_back_with_networkx(
    loaded: tuple[Corpus, nx.MultiDiGraph], out: Path
) -> None:
    _, graph = loaded
    raw = nx.read_graphml(out / "graph.graphml", edge_key_type=str, force_multigraph=True)
    assert set(raw.nodes) == set(graph.nodes)
    assert set(raw.edges(keys=True)) == set(graph.edges(keys=True))
    edge = raw.edges["article-a", "glutamate-drives-dendritic-growth", "asserts:0"]
    assert json.loads(edge["hedges"]) == ["may", "some people"]
    assert "url" not in raw.nodes["article-a"]  # None is left out
    assert raw.nodes["ketamine-blocks-nmda"]["rank"] == 5
    assert raw.nodes["article-a"]["is_evidence_kind"] is False
    same_graph(read_graphml(out / "graph.graphml"), graph)


def test_gexf_reads_back_with_networkx(loaded: tuple[Corpus, nx.MultiDiGraph], out: Path) -> None:
    _, graph = loaded
    raw = nx.read_gexf(out / "graph.gexf")
    assert set(raw.nodes) == set(graph.nodes)
    assert raw.number_of_edges() == graph.number_of_edges()
    assert json.loads(raw.nodes["ketamine"]["synonyms"]) == ["racemic ketamine", "Ketalar"]
    same_graph(read_gexf(out / "graph.gexf"), graph)


def test_gexf_has_no_timestamp_unless_source_date_epoch_is_set(
    loaded: tuple[Corpus, nx.MultiDiGraph], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, graph = loaded
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert "lastmodifieddate" not in export(graph, Corpus(Path(".")), "gexf")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert 'lastmodifieddate="2023-11-14"' in export(graph, Corpus(Path(".")), "gexf")


# --- JSON Lines ------------------------------------------------------------------------------


def test_jsonl_has_one_record_per_claim_with_sources_quotes_and_evidence(out: Path) -> None:
    lines = (out / "claims.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert all(isinstance(r, dict) for r in records)
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)
    assert len(records) == 7
    by_id = {r["id"]: r for r in records}
    blocks = by_id["ketamine-blocks-nmda"]
    assert blocks["statement"] == "Ketamine blocks the NMDA receptor."
    assert [s["source"]["id"] for s in blocks["sources"]] == ["article-a", "article-b"]
    assert blocks["sources"][0]["quote"].startswith("Ketamine primarily works")
    assert blocks["sources"][0]["boosters"] == ["primarily works"]
    assert blocks["sources"][1]["source"]["url"] == "https://news.test/ketamine"
    assert blocks["evidence"]["level"] == "ES-5" and blocks["evidence"]["rank"] == 5
    ref = blocks["evidence"]["references"][0]
    assert ref["source"]["id"] == "review-2019" and ref["source"]["doi"] == "10.1000/review.2019"
    assert blocks["qualifiers"] == {"population": "adults"}
    assert by_id["ketamine-is-a-reset-button"]["evidence"] is None
    assert by_id["glutamate-drives-dendritic-growth"]["sources"][0]["hedges"] == [
        "may",
        "some people",
    ]


# --- Neo4j CSV -------------------------------------------------------------------------------

NEO4J_TYPES = {
    "int",
    "long",
    "float",
    "double",
    "boolean",
    "byte",
    "short",
    "char",
    "string",
    "point",
    "date",
    "localtime",
    "time",
    "localdatetime",
    "datetime",
    "duration",
}


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def test_neo4j_headers_follow_the_import_format(
    loaded: tuple[Corpus, nx.MultiDiGraph], out: Path
) -> None:
    _, graph = loaded
    folder = out / "neo4j"
    ids: set[str] = set()
    node_files = ["claims.csv", "sources.csv", "entities.csv"]
    for name in node_files:
        header, rows = read_csv(folder / name)
        assert header[0] == "id:ID" and header[1] == ":LABEL"
        assert sum(1 for h in header if h.endswith(":ID")) == 1
        ids.update(row[0] for row in rows)
    assert ids == set(graph.nodes)
    rel_files = sorted(p.name for p in folder.glob("*.csv") if p.name not in node_files)
    edge_count = 0
    for name in rel_files:
        header, rows = read_csv(folder / name)
        assert header[:3] == [":START_ID", ":END_ID", ":TYPE"], name
        for row in rows:
            assert row[0] in ids and row[1] in ids and row[2].isupper()
        edge_count += len(rows)
    assert edge_count == graph.number_of_edges()
    for name in [*node_files, *rel_files]:
        header, _ = read_csv(folder / name)
        for column in header:
            if column.startswith(":") or ":" not in column:
                continue
            field, typ = column.split(":", 1)
            assert field and (typ in {"ID"} or typ.removesuffix("[]") in NEO4J_TYPES), column


def test_neo4j_typed_columns_and_arrays(out: Path) -> None:
    folder = out / "neo4j"
    header, rows = read_csv(folder / "claims.csv")
    assert "rank:int" in header and "qualifiers:string[]" in header
    claims = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert claims["ketamine-blocks-nmda"]["rank:int"] == "5"
    assert claims["ketamine-is-a-reset-button"]["rank:int"] == ""  # no level: no property
    header, rows = read_csv(folder / "entities.csv")
    entities = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert entities["ketamine"]["synonyms:string[]"] == "racemic ketamine;Ketalar"
    header, rows = read_csv(folder / "sources.csv")
    assert "is_evidence_kind:boolean" in header
    sources = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert sources["article-a"]["is_evidence_kind:boolean"] == "false"
    header, rows = read_csv(folder / "relation.csv")
    types = {row[header.index("claim")]: row[2] for row in rows}
    assert types["ketamine-acts-on-glutamate"] == "ACTS_ON"
    # An empty field is "no value" (the rats' n is unknown), never a made-up 0 or "".
    raw = (folder / "evidence.csv").read_text(encoding="utf-8")
    rat_row = next(line for line in raw.splitlines() if line.startswith('"rat-2018"'))
    assert rat_row.endswith(',"animal study",,"rats"')


def test_neo4j_readme_gives_the_import_command_for_every_file(out: Path) -> None:
    folder = out / "neo4j"
    text = (folder / "README.txt").read_text(encoding="utf-8")
    assert "neo4j-admin database import full" in text
    for csv_file in sorted(folder.glob("*.csv")):
        flag = (
            "--nodes="
            if csv_file.name in {"claims.csv", "sources.csv", "entities.csv"}
            else ("--relationships=")
        )
        assert f"{flag}{csv_file.name}" in text


# --- RDF -------------------------------------------------------------------------------------


def test_turtle_parses_and_holds_the_claim_as_a_statement_with_provenance(out: Path) -> None:
    from rdflib import RDF, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import PROV

    from kgraph.exports import rdf

    KG, KGC, KGE, KGL, KGP, KGS = (
        Namespace(ns) for ns in (rdf.BASE, rdf.KGC, rdf.KGE, rdf.KGL, rdf.KGP, rdf.KGS)
    )

    text = (out / "graph.ttl").read_text(encoding="utf-8")
    assert text.count("@prefix kg: ") == 1
    g = Graph()
    g.parse(data=text, format="turtle")
    claim = KGC["ketamine-blocks-nmda"]
    assert (claim, RDF.type, RDF.Statement) in g
    assert (claim, RDF.subject, KGE["ketamine"]) in g
    assert (claim, RDF.predicate, KGP["blocks"]) in g
    assert (claim, RDF.object, KGE["nmda-receptor"]) in g
    assert (claim, KG.evidenceLevel, KGL["ES-5"]) in g
    assert (claim, KG.evidenceDirection, Literal("supports")) in g
    assert set(g.objects(claim, PROV.wasDerivedFrom)) == {KGS["article-a"], KGS["article-b"]}
    assert set(g.objects(claim, PROV.wasAttributedTo)) == {KGS["article-a"], KGS["article-b"]}
    quotes = {
        str(q) for d in g.objects(claim, PROV.qualifiedDerivation) for q in g.objects(d, KG.quote)
    }
    assert "Ketamine blocks NMDA receptors in the brain." in quotes
    # A claim is reported, not asserted as true: no bare triple.
    assert (KGE["ketamine"], KGP["blocks"], KGE["nmda-receptor"]) not in g
    assert not list(g.objects(KGC["ketamine-is-a-reset-button"], KG.evidenceLevel))
    assert (KGS["review-2019"], URIRef("https://schema.org/sameAs"), None) in g


def test_turtle_answers_a_sparql_question(out: Path) -> None:
    from rdflib import Graph

    g = Graph()
    g.parse(out / "graph.ttl", format="turtle")
    query = """
        PREFIX kg: <urn:kgraph:>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?id WHERE {
          ?claim prov:wasDerivedFrom ?article ; kg:evidenceLevel ?level ;
                 dcterms:identifier ?id .
          ?article dcterms:identifier "article-a" .
          ?level kg:rank ?rank .
          FILTER (?rank <= 2)
        } ORDER BY ?id
    """
    assert [str(row[0]) for row in g.query(query)] == [  # type: ignore[index]
        "glutamate-drives-dendritic-growth",
        "growth-causes-antidepressant-effect",
    ]


# --- ClaimReview -----------------------------------------------------------------------------


def no_network(url: str, options: Any = None) -> Any:
    raise AssertionError(f"the JSON-LD asked to fetch {url}")


def test_claimreview_is_valid_json_ld_that_expands_offline(out: Path) -> None:
    from pyld import jsonld

    doc = json.loads((out / "claimreview.jsonld").read_text(encoding="utf-8"))
    expanded = jsonld.expand(doc, {"documentLoader": no_network})
    schema = "https://schema.org/"
    reviews = [n for n in expanded if f"{schema}ClaimReview" in n.get("@type", [])]
    assert len(reviews) == 6  # seven claims, one of them rhetoric
    by_claim = {
        r[f"{schema}itemReviewed"][0]["@id"].removeprefix("urn:kgraph:claim:"): r for r in reviews
    }
    assert "ketamine-is-a-reset-button" not in by_claim

    def rating_of(cid: str) -> int:
        return by_claim[cid][f"{schema}reviewRating"][0][f"{schema}ratingValue"][0]["@value"]

    assert rating_of("ketamine-blocks-nmda") == 5
    assert rating_of("ketamine-cures-depression") == 1
    assert rating_of("glutamate-drives-dendritic-growth") == 2
    review = by_claim["ketamine-blocks-nmda"]
    assert review[f"{schema}claimReviewed"][0]["@value"] == "Ketamine blocks the NMDA receptor."
    assert review[f"{schema}author"][0][f"{schema}name"][0]["@value"] == "kgraph"


def test_claimreview_points_at_each_asserting_article(out: Path) -> None:
    doc = json.loads((out / "claimreview.jsonld").read_text(encoding="utf-8"))
    review = next(r for r in doc["@graph"] if r["claimReviewed"].startswith("Ketamine blocks"))
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    appearances = {a["@id"].rsplit(":", 1)[1]: a for a in item["appearance"]}
    assert set(appearances) == {"article-a", "article-b"}
    assert appearances["article-b"]["url"] == "https://news.test/ketamine"
    assert "url" not in appearances["article-a"]  # unknown: named only
    assert appearances["article-a"]["name"] == "A clinic page"
    assert item["firstAppearance"]["@id"].endswith("article-b")  # the only dated one
    rating_node = review["reviewRating"]
    assert (rating_node["worstRating"], rating_node["bestRating"]) == (WORST, BEST)
    assert rating_node["alternateName"] == "Established (ES-5, established; evidence supports)"


@pytest.mark.parametrize("level", [lv.value for lv in vocab.EVIDENCE_LEVELS])
def test_rating_mapping(level: str) -> None:
    assert rating(level, "contradicts").value == WORST
    supports, mixed = rating(level, "supports").value, rating(level, "mixed").value
    assert WORST < mixed <= supports <= BEST
    higher = [lv.value for lv in vocab.EVIDENCE_LEVELS if lv.rank > vocab.level_rank(level)]
    assert all(rating(h, "supports").value >= supports for h in higher)


# --- writing one format safely ---------------------------------------------------------------


def test_write_format_leaves_the_old_file_when_it_fails(
    loaded: tuple[Corpus, nx.MultiDiGraph], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, graph = loaded
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "graph.ttl"
    target.write_text("old", encoding="utf-8")

    def broken(*args: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr("kgraph.exports.rdf.turtle", broken)
    with pytest.raises(RuntimeError):
        write_format(graph, corpus, "turtle", target)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in target.parent.iterdir()) == ["graph.ttl"]


def test_write_format_replaces_a_neo4j_folder_whole(
    loaded: tuple[Corpus, nx.MultiDiGraph], tmp_path: Path
) -> None:
    from kgraph.outputs import MARKER, OutputRefused, write_marker

    corpus, graph = loaded
    target = tmp_path / "out" / "neo4j"
    target.mkdir(parents=True)
    (target / "stale.csv").write_text("x", encoding="utf-8")
    with pytest.raises(OutputRefused, match="did not write"):
        write_format(graph, corpus, "neo4j", target)
    assert [p.name for p in target.iterdir()] == ["stale.csv"]
    write_marker(target, "neo4j export")  # as if kgraph had written it
    files = write_format(graph, corpus, "neo4j", target)
    assert {p.name for p in files} | {MARKER} == {p.name for p in target.iterdir()}
    assert "stale.csv" not in {p.name for p in target.iterdir()}
    assert sorted(p.name for p in target.parent.iterdir()) == ["neo4j"]
    with pytest.raises(OutputRefused, match="folder, not a file"):
        write_format(graph, corpus, "turtle", target)


# --- the command ------------------------------------------------------------------------------


def test_export_command_prints_a_format(chain: CorpusBuilder) -> None:
    result = CliRunner().invoke(main, ["export", str(chain.root), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == 7
    assert all(json.loads(line)["id"] for line in result.output.splitlines())


def test_export_command_writes_a_file_and_a_neo4j_folder(
    chain: CorpusBuilder, tmp_path: Path
) -> None:
    runner = CliRunner()
    target = tmp_path / "out" / "graph.graphml"
    result = runner.invoke(
        main, ["export", str(chain.root), "--format", "graphml", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    same_graph(read_graphml(target), build_graph(kgraph.load(chain.root)))
    result = runner.invoke(main, ["export", str(chain.root), "--format", "neo4j"])
    assert result.exit_code == 2 and "-o FOLDER" in result.output
    folder = tmp_path / "neo4j"
    result = runner.invoke(
        main, ["export", str(chain.root), "--format", "neo4j", "-o", str(folder)]
    )
    assert result.exit_code == 0 and (folder / "README.txt").is_file()


def test_export_command_refuses_a_corpus_with_errors(chain: CorpusBuilder, tmp_path: Path) -> None:
    path = chain.root / "claims" / "ketamine-blocks-nmda.yaml"
    path.write_text(path.read_text().replace("level: ES-5", "level: ES-9"))
    target = tmp_path / "graph.ttl"
    args = ["export", str(chain.root), "--format", "turtle", "-o", str(target)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "check error" in result.output and "kgraph check" in result.output
    assert "Traceback" not in result.output and not target.exists()


def test_export_command_rejects_a_missing_root_and_a_bad_format(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["export", str(tmp_path / "nowhere"), "--format", "turtle"])
    assert result.exit_code == 2 and "not a folder" in result.output
    result = runner.invoke(main, ["export", str(tmp_path), "--format", "dot"])
    assert result.exit_code == 2 and "node-link" in result.output


def test_export_help_lists_the_formats() -> None:
    result = CliRunner().invoke(main, ["export", "--help"])
    assert result.exit_code == 0
    for name in FORMATS:
        assert name in result.output


def test_a_control_character_does_not_break_the_xml_exports(
    chain: CorpusBuilder, tmp_path: Path
) -> None:
    path = chain.root / "claims" / "ketamine-acts-on-glutamate.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "statement: Ketamine acts on the glutamate system.",
            'statement: "Ketamine acts on the\\vglutamate system."',
        ),
        encoding="utf-8",
    )
    report = kgraph.check(chain.root)
    assert report.errors == 0
    graph = build_graph(report.corpus)
    write_exports(graph, report.corpus, tmp_path / "x")
    for read in (
        read_graphml(tmp_path / "x" / "graph.graphml"),
        read_gexf(tmp_path / "x" / "graph.gexf"),
    ):
        statement = read.nodes["ketamine-acts-on-glutamate"]["statement"]
        assert statement == "Ketamine acts on the\ufffdglutamate system."
    from rdflib import Graph

    Graph().parse(tmp_path / "x" / "graph.ttl", format="turtle")


def test_an_es0_claim_without_direction_exports_cleanly(
    chain: CorpusBuilder, tmp_path: Path
) -> None:
    from rdflib import Graph, Namespace

    from kgraph.exports.rdf import BASE
    from kgraph.exports.rdf import KGC as claim_ns

    KG, KGC = Namespace(BASE), Namespace(claim_ns)
    add_ungraded_finding(chain)
    report = kgraph.check(chain.root)
    assert report.errors == 0
    write_exports(build_graph(report.corpus), report.corpus, tmp_path / "x")
    doc = json.loads((tmp_path / "x" / "claimreview.jsonld").read_text(encoding="utf-8"))
    review = next(r for r in doc["@graph"] if r["@id"].endswith("ketamine-cures-everything:review"))
    assert review["reviewRating"]["ratingValue"] == WORST + 1
    assert review["reviewRating"]["alternateName"] == "Unproven in humans (ES-0, none found)"
    rdf = Graph().parse(tmp_path / "x" / "graph.ttl", format="turtle")
    assert not list(rdf.objects(KGC["ketamine-cures-everything"], KG.evidenceDirection))
    records = [json.loads(line) for line in (tmp_path / "x" / "claims.jsonl").open()]
    record = next(r for r in records if r["id"] == "ketamine-cures-everything")
    assert record["evidence"]["level"] == "ES-0" and record["evidence"]["direction"] is None


def test_markup_quotes_and_line_breaks_survive_every_round_trip(
    chain: CorpusBuilder, tmp_path: Path
) -> None:
    """Text a curator can write (markup, both quotes, a tab, CR/LF line breaks, a backslash and
    a triple quote) reads back exactly from every file format a tool would load."""
    from rdflib import Graph, Literal, Namespace

    from kgraph.exports.rdf import KGC

    odd = 'Ketamine <b>acts</b> & "binds"\tthe\r\nglutamate \\ system """ here'
    path = chain.root / "claims" / "ketamine-acts-on-glutamate.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "statement: Ketamine acts on the glutamate system.",
            "statement: " + json.dumps(odd),
        ),
        encoding="utf-8",
    )
    report = kgraph.check(chain.root)
    assert report.errors == 0
    graph = build_graph(report.corpus)
    assert graph.nodes["ketamine-acts-on-glutamate"]["statement"] == odd
    write_exports(graph, report.corpus, tmp_path / "x")
    x = tmp_path / "x"
    for read in (
        read_graphml(x / "graph.graphml"),
        read_gexf(x / "graph.gexf"),
        read_node_link((x / "graph.json").read_text(encoding="utf-8")),
    ):
        same_graph(read, graph)
    rdf = Graph().parse(x / "graph.ttl", format="turtle")
    text_of = Namespace("https://schema.org/").text
    assert list(rdf.objects(Namespace(KGC)["ketamine-acts-on-glutamate"], text_of)) == [
        Literal(odd)
    ]


def test_exports_carry_the_grade_as_derived_rated_and_searched(
    make_corpus: Callable[[str], CorpusBuilder],
) -> None:
    """JSONL, Turtle and ClaimReview each carry how the level was reached: the derivation,
    every GRADE domain as rated, the search, and each finding's excerpt of its abstract."""
    from kgraph.exports.claimreview import claim_review
    from kgraph.exports.jsonl import claim_record
    from kgraph.exports.rdf import BASE, rdf_graph
    from kgraph.graph import build_graph
    from tests.conftest import graded_corpus

    b = graded_corpus(make_corpus("graded").minimal())
    report = kgraph.check(b.root)
    assert [f.to_text() for f in report.findings if f.severity.value != "note"] == []
    corpus = report.corpus
    graph = build_graph(corpus)
    claim = corpus.claims["ketamine-acts-on-glutamate"]
    record = claim_record(graph, corpus, claim)
    grading = record["evidence"]["grading"]
    assert grading["derived"]["level"] == "ES-5" and grading["derived"]["certainty"] == "moderate"
    assert grading["certainty"]["imprecision"] == {"rating": "serious", "reason": "r-imprecision"}
    assert grading["search"]["queries"] == ["ketamine glutamate MRS"]
    assert grading["search"]["excluded"] == [
        {"study": "Jones 2019", "reason": "rats only", "source": None}
    ]
    ref = record["evidence"]["references"][0]
    assert ref["excerpt"] == "ketamine raised prefrontal glutamate [...] in 20 adults"
    assert record["sources"][0]["reading"] == "literal"
    rdf = rdf_graph(graph, corpus)
    rows = list(
        rdf.query(
            f"PREFIX kg: <{BASE}> SELECT ?cert ?reason ?q WHERE {{ ?c kg:gradeCertainty ?cert ; "
            "kg:gradeRating ?r ; kg:search ?s . ?r kg:domain 'imprecision' ; kg:reason ?reason . "
            "?s kg:searchQuery ?q }"
        )
    )
    assert [tuple(str(v) for v in row) for row in rows] == [
        ("moderate", "r-imprecision", "ketamine glutamate MRS")
    ]
    explanation = claim_review(corpus, claim)["reviewRating"]["ratingExplanation"]
    assert explanation.startswith("ES-5: GRADE moderate (starts high from randomised trial")
    assert "imprecision serious (-1)" in explanation


def test_claimreview_words_an_untested_claim() -> None:
    from kgraph.exports.claimreview import alternate_name

    assert (
        alternate_name("ES-1", "untested")
        == "Unproven in humans (ES-1, speculative; no study tests it)"
    )


def test_claimreview_never_says_an_article_states_what_it_only_implies(
    make_corpus: Callable[[str], CorpusBuilder],
) -> None:
    """A quote recorded as a reading (here a heading) is not an appearance of the claim: the
    ClaimReview says whose reading it is and why, and names no article as making it."""
    from kgraph.exports.claimreview import claim_review
    from tests.conftest import graded_corpus

    b = graded_corpus(make_corpus("read").minimal())
    path = b.root / "claims/ketamine-acts-on-glutamate.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    reading: literal\n",
        "    reading: heading\n    reading_reason: the page's heading, above the text\n",
    )
    path.write_text(text, encoding="utf-8")
    corpus = kgraph.check(b.root).corpus
    item = claim_review(corpus, corpus.claims["ketamine-acts-on-glutamate"])["itemReviewed"]
    assert "appearance" not in item and "firstAppearance" not in item
    assert item["description"] == (
        "A reading of A clinic page, not a sentence it states: "
        "heading: the page's heading, above the text"
    )
    path.write_text(text.replace("reading: heading", "reading: literal"), encoding="utf-8")
    corpus = kgraph.check(b.root).corpus
    item = claim_review(corpus, corpus.claims["ketamine-acts-on-glutamate"])["itemReviewed"]
    assert [w["@id"].rsplit(":", 1)[-1] for w in item["appearance"]] == ["article-a"]
