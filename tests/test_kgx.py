"""The KGX export and the ontology IRIs in the other exports: validated against the Biolink
model's shipped schema and prefix map, the rules the KGX validator applies.

The KGX validator itself (`kgx` 2.7.0) is not run: its own pins ask for click<8.2 while every
linkml it needs asks for click>=8.2, and its validator loads the Biolink model and its JSON-LD
context over the network (docs/grounding.md). The rules below are its rules: required
properties, categories that are Biolink classes (CamelCase, no mixin), predicates that are
Biolink slots (snake_case, under `related_to`), multivalued
properties as lists, CURIE prefixes of the Biolink context, edges between known nodes.
"""

from __future__ import annotations

import io
import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from click.testing import CliRunner
from rdflib import URIRef
from rdflib.namespace import SKOS

from kgraph import vocab
from kgraph.cli import main
from kgraph.exports import FORMATS, export
from kgraph.exports.attributes import restore
from kgraph.exports.rdf import rdf_graph
from kgraph.graph.queries import open_corpus
from kgraph.grounding import registry, terms
from tests.conftest import CorpusBuilder

REPO = Path(__file__).resolve().parent.parent


@cache
def biolink() -> dict[str, Any]:
    text = resources.files("biolink_model").joinpath("schema/biolink_model.yaml").read_text()
    schema: dict[str, Any] = yaml.safe_load(text)
    return schema


@cache
def biolink_prefixes() -> frozenset[str]:
    path = resources.files("biolink_model").joinpath("prefixmaps/biolink-model-prefix-map.json")
    return frozenset(json.loads(path.read_text(encoding="utf-8")))


def _name(curie: str) -> str:
    """biolink:ChemicalEntity -> 'chemical entity'; biolink:treats -> 'treats'."""
    local = curie.removeprefix("biolink:")
    if "_" in local or local.islower():
        return local.replace("_", " ")
    words, word = [], ""
    for ch in local:
        if ch.isupper() and word:
            words.append(word)
            word = ""
        word += ch.lower()
    return " ".join([*words, word])


def _ancestors(table: dict[str, Any], name: str) -> list[str]:
    chain = []
    while name in table:
        chain.append(name)
        name = table[name].get("is_a") or ""
    return chain


def _multivalued(slot: str) -> bool | None:
    definition = biolink()["slots"].get(slot.replace("_", " "))
    return None if definition is None else bool(definition.get("multivalued"))


def biolink_problems(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> list[str]:
    """What the KGX validator's rules find wrong with these nodes and edges (empty: valid)."""
    schema = biolink()
    classes, slots, enums = schema["classes"], schema["slots"], schema["enums"]
    problems = []
    ids = set()

    def typed(where: str, record: dict[str, Any]) -> None:
        for key, value in record.items():
            multi = _multivalued(key)
            if multi is True and not isinstance(value, list):
                problems.append(f"{where}: multivalued {key!r} is not a list")
            if multi is False and isinstance(value, list):
                problems.append(f"{where}: single-valued {key!r} is a list")

    def curie_ok(where: str, curie: str) -> None:
        prefix, sep, local = curie.partition(":")
        if not sep or not local:
            problems.append(f"{where}: {curie!r} is not a CURIE")
        elif prefix not in biolink_prefixes():
            problems.append(f"{where}: prefix {prefix!r} is not in the Biolink context")

    for n in nodes:
        where = f"node {n.get('id')}"
        for required in ("id", "category"):
            if required not in n:
                problems.append(f"{where}: no {required}")
        curie_ok(where, n.get("id", ""))
        ids.add(n.get("id"))
        for category in n.get("category", []):
            if not re.match(r"^biolink:([A-Z][a-z\d]+)+$", category):
                problems.append(f"{where}: {category} is not a CamelCase biolink CURIE")
            c = classes.get(_name(category))
            if (
                c is None
                or c.get("mixin")
                or "named thing" not in _ancestors(classes, _name(category))
            ):
                problems.append(f"{where}: {category} is not a Biolink class of named things")
        typed(where, n)
    required_edge = ["id"] + [
        s for s in classes["association"]["slots"] if slots.get(s, {}).get("required")
    ]
    for e in edges:
        where = f"edge {e.get('id')}"
        for required in required_edge:
            if required.replace(" ", "_") not in e:
                problems.append(f"{where}: no {required}")
        for end in ("subject", "object"):
            curie_ok(where, e.get(end, ""))
            if e.get(end) not in ids:
                problems.append(f"{where}: {end} {e.get(end)} is no node")
        p = slots.get(_name(e.get("predicate", "")))
        if not re.match(r"^biolink:[a-z_]+$", e.get("predicate", "")):
            problems.append(f"{where}: {e.get('predicate')} is not a snake_case biolink CURIE")
        if p is None or p.get("deprecated"):
            problems.append(f"{where}: {e.get('predicate')} is not a Biolink predicate")
        elif "related to" not in _ancestors(slots, _name(e["predicate"])):
            problems.append(f"{where}: {e['predicate']} is not under biolink:related_to")
        for key, enum in (
            ("knowledge_level", "KnowledgeLevelEnum"),
            ("agent_type", "AgentTypeEnum"),
        ):
            if e.get(key) not in enums[enum]["permissible_values"]:
                problems.append(f"{where}: {key} {e.get(key)!r} is not in {enum}")
        typed(where, e)
    return problems


def test_the_vocabulary_maps_onto_biolink_terms() -> None:
    schema = biolink()
    assert set(vocab.BIOLINK_CATEGORIES) == set(vocab.values(vocab.ENTITY_TYPES))
    assert set(vocab.BIOLINK_PREDICATES) == set(vocab.values(vocab.PREDICATES))
    for category in vocab.BIOLINK_CATEGORIES.values():
        assert "named thing" in _ancestors(schema["classes"], _name(category)), category
    for predicate in vocab.BIOLINK_PREDICATES.values():
        assert "related to" in _ancestors(schema["slots"], _name(predicate)), predicate


def test_the_checker_rejects_what_the_kgx_validator_rejects() -> None:
    good_node = {"id": "CHEBI:6121", "category": ["biolink:Drug"], "name": "ketamine"}
    good_edge = {
        "id": "kgc:x",
        "subject": "CHEBI:6121",
        "predicate": "biolink:affects",
        "object": "CHEBI:6121",
        "knowledge_level": "knowledge_assertion",
        "agent_type": "manual_agent",
    }
    assert biolink_problems([good_node], [good_edge]) == []
    bad = [
        ([{**good_node, "id": "kge:ketamine"}], [], "not in the Biolink context"),
        ([{**good_node, "category": ["biolink:Ketamine"]}], [], "not a Biolink class"),
        ([{**good_node, "category": "biolink:Drug"}], [], "is not a list"),
        ([good_node], [{**good_edge, "predicate": "biolink:cures"}], "not a Biolink predicate"),
        ([good_node], [{**good_edge, "object": "MESH:D000679"}], "is no node"),
        ([good_node], [{**good_edge, "agent_type": "robot"}], "AgentTypeEnum"),
        ([good_node], [{k: v for k, v in good_edge.items() if k != "knowledge_level"}], "no "),
    ]
    for nodes, edges, wanted in bad:
        found = biolink_problems(nodes, edges)
        assert any(wanted in p for p in found), (wanted, found)


def _kgx(root: Path, out: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    result = CliRunner().invoke(
        main, ["export", "--root", str(root), "--format", "kgx", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    nodes = [json.loads(line) for line in (out / "nodes.jsonl").read_text().splitlines()]
    edges = [json.loads(line) for line in (out / "edges.jsonl").read_text().splitlines()]
    return nodes, edges


def test_the_real_corpus_kgx_export_is_valid_biolink(tmp_path: Path) -> None:
    nodes, edges = _kgx(REPO / "claims", tmp_path / "kgx")
    assert biolink_problems(nodes, edges) == []
    assert len(nodes) >= 30 and len(edges) >= 40
    corpus, _ = open_corpus(REPO)
    by_id = {n["id"]: n for n in nodes}
    ketamine = by_id["CHEBI:6121"]
    assert ketamine["name"] == "ketamine" and ketamine["category"] == ["biolink:Drug"]
    assert ketamine["xref"] == ["CHEBI:6121", "MESH:D007649"]
    for n in nodes:
        for curie in n.get("xref", []):
            assert terms.lookup(curie) is not None, curie
    # An edge is a claim between two identified entities, with its publications and quotes.
    edge = next(e for e in edges if e["id"] == "kgc:ampa-activation-triggers-plasticity-cascade")
    claim = corpus.claims["ampa-activation-triggers-plasticity-cascade"]
    assert edge["predicate"] == vocab.BIOLINK_PREDICATES[claim.predicate]
    assert edge["supporting_text"] == [a.quote for a in claim.sources]
    assert all(p.startswith(("doi:", "PMID:")) for p in edge["publications"])
    # Metaphors have no node, and no claim of theirs an edge.
    assert not any(n["name"] == corpus.entities["reset-button"].label for n in nodes)


def test_kgx_node_ids_prefer_exact_then_close_and_skip_the_rest(
    corpus: CorpusBuilder, tmp_path: Path
) -> None:
    version = terms.version("CHEBI")
    corpus.write(
        "entities",
        "ketamine.yaml",
        "id: ketamine\nlabel: ketamine\ntype: drug\nsynonyms: []\ngrounding:\n"
        f"  - {{curie: 'CHEBI:6121', label: ketamine, version: '{version}', match: close}}\n",
    )
    corpus.write(
        "entities",
        "glutamate-system.yaml",
        "id: glutamate-system\nlabel: glutamate system\ntype: drug\nsynonyms: []\n"
        'ungrounded: "a system, not a drug"\n',
    )
    nodes, edges = _kgx(corpus.root, tmp_path / "kgx")
    assert [n["id"] for n in nodes] == ["CHEBI:6121"]
    assert edges == []  # its one claim's object has no node
    first = (tmp_path / "kgx" / "nodes.jsonl").read_bytes()
    _kgx(corpus.root, tmp_path / "again")
    assert (tmp_path / "again" / "nodes.jsonl").read_bytes() == first


@pytest.mark.parametrize("fmt", ["turtle", "node-link", "graphml", "jsonl"])
def test_exports_carry_the_ontology_iris(fmt: str) -> None:
    corpus, graph = open_corpus(REPO)
    ketamine = "http://purl.obolibrary.org/obo/CHEBI_6121"
    assert registry.iri("CHEBI:6121") == ketamine
    text = export(graph, corpus, fmt)
    if fmt == "turtle":
        g = rdf_graph(graph, corpus)
        node = URIRef("urn:kgraph:entity:ketamine")
        assert (node, SKOS.exactMatch, URIRef(ketamine)) in g
        assert (node, SKOS.exactMatch, URIRef("http://id.nlm.nih.gov/mesh/D007649")) in g
        glutamate = URIRef("urn:kgraph:entity:glutamate")
        assert (glutamate, SKOS.closeMatch, URIRef(registry.iri("CHEBI:16015"))) in g
    elif fmt == "node-link":
        data = json.loads(text)
        node = next(n for n in data["nodes"] if n["id"] == "ketamine")
        assert node["grounding_iris"][0] == ketamine
        assert node["grounding"] == ["CHEBI:6121", "MESH:D007649"]
        assert node["grounding_matches"] == ["exact", "exact"]
    elif fmt == "graphml":
        read = restore(nx.read_graphml(io.BytesIO(text.encode("utf-8"))))
        assert read.nodes["ketamine"]["grounding_iris"] == [
            ketamine,
            "http://id.nlm.nih.gov/mesh/D007649",
        ]
        assert (
            read.nodes["reset-button"]["ungrounded"] == corpus.entities["reset-button"].ungrounded
        )
    else:
        rows = [json.loads(line) for line in text.splitlines()]
        row = next(r for r in rows if r["subject"] == "ketamine")
        assert row["subject_grounding"][0] == {
            "curie": "CHEBI:6121",
            "iri": ketamine,
            "label": "ketamine",
            "match": "exact",
        }
    assert "kgx" in FORMATS
