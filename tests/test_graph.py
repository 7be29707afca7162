"""The graph a researcher loads in a notebook: its structure, its documented model, networkx questions."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest

import kgraph
from kgraph.corpus.check import CorpusHasErrors
from kgraph.graph import (
    EDGE_KINDS,
    NODE_KINDS,
    build_graph,
    entity_view,
    graph_model_markdown,
    level_rank,
    load_graph,
)
from tests.conftest import CHAIN_ENTITIES, REPO, CorpusBuilder


@pytest.fixture
def graph(chain: CorpusBuilder) -> nx.MultiDiGraph:
    return load_graph(chain.root)


def edges_of(g: nx.MultiDiGraph, kind: str) -> list[tuple[str, str, str, dict]]:
    return [(u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True) if d["kind"] == kind]


# --- structure ------------------------------------------------------------------------------


def test_nodes_are_the_records_with_their_kind(graph: nx.MultiDiGraph) -> None:
    kinds = {n: d["kind"] for n, d in graph.nodes(data=True)}
    assert {n for n, k in kinds.items() if k == "entity"} == set(CHAIN_ENTITIES)
    assert {n for n, k in kinds.items() if k == "source"} == {
        "article-a",
        "article-b",
        "review-2019",
        "trial-2020",
        "rat-2018",
    }
    assert len([k for k in kinds.values() if k == "claim"]) == 7
    claim = graph.nodes["ketamine-blocks-nmda"]
    assert claim["level"] == "ES-5" and claim["rank"] == 5 and claim["direction"] == "supports"
    assert claim["n_sources"] == 2 and claim["n_references"] == 1
    assert claim["qualifiers"] == ["population: adults"]
    rhetoric = graph.nodes["ketamine-is-a-reset-button"]
    assert rhetoric["level"] is None and rhetoric["rank"] is None and rhetoric["direction"] is None
    source = graph.nodes["article-b"]
    assert source["source_kind"] == "news" and source["is_evidence_kind"] is False
    assert source["url"] == "https://news.test/ketamine" and source["year"] == "2021"
    assert graph.nodes["article-a"]["url"] is None  # "unknown" in the record
    assert graph.nodes["nmda-receptor"]["synonyms"] == ["NMDAR"]


def test_asserts_edges_carry_quote_locator_and_cues(graph: nx.MultiDiGraph) -> None:
    hedged = graph.edges["article-a", "glutamate-drives-dendritic-growth", "asserts:0"]
    assert hedged["quote"] == "It may promote dendritic growth in some people."
    assert hedged["locator"] == "paragraph 1"
    assert hedged["hedges"] == ["may", "some people"] and hedged["boosters"] == []
    boosted = graph.edges["article-a", "ketamine-blocks-nmda", "asserts:0"]
    assert boosted["boosters"] == ["primarily works"] and boosted["hedges"] == []
    second = graph.edges["article-b", "ketamine-blocks-nmda", "asserts:1"]
    assert second["locator"] == "paragraph 2"
    assert len(edges_of(graph, "asserts")) == 8


def test_evidence_role_premise_and_relation_edges(graph: nx.MultiDiGraph) -> None:
    ev = graph.edges["trial-2020", "ketamine-cures-depression", "evidence:0"]
    assert ev["direction"] == "contradicts" and ev["n"] == 20
    assert graph.edges["review-2019", "ketamine-blocks-nmda", "evidence:0"]["n"] == 400
    assert graph.edges["rat-2018", "nmda-blockade-boosts-glutamate", "evidence:0"]["n"] is None
    assert graph.has_edge("ketamine-blocks-nmda", "ketamine", "subject")
    assert graph.has_edge("ketamine-blocks-nmda", "nmda-receptor", "object")
    assert graph.has_edge("nmda-blockade-boosts-glutamate", "ketamine-blocks-nmda", "depends_on")
    relation = graph.edges["ketamine", "nmda-receptor", "ketamine-blocks-nmda"]
    assert relation["kind"] == "relation" and relation["predicate"] == "blocks"
    assert relation["level"] == "ES-5" and relation["rank"] == 5
    assert len(edges_of(graph, "relation")) == 7  # one per claim


def test_every_edge_joins_the_kinds_the_model_declares(graph: nx.MultiDiGraph) -> None:
    for u, v, _, d in graph.edges(keys=True, data=True):
        src, dst, _attrs = EDGE_KINDS[d["kind"]]
        assert (graph.nodes[u]["kind"], graph.nodes[v]["kind"]) == (src, dst)


def test_build_graph_writes_exactly_the_declared_attributes(graph: nx.MultiDiGraph) -> None:
    for node, data in graph.nodes(data=True):
        assert set(data) == set(NODE_KINDS[data["kind"]]), node
    for u, v, k, data in graph.edges(keys=True, data=True):
        assert set(data) == set(EDGE_KINDS[data["kind"]][2]), (u, v, k)
    kinds_seen = {d["kind"] for _, d in graph.nodes(data=True)}
    edge_kinds_seen = {d["kind"] for _, _, d in graph.edges(data=True)}
    assert kinds_seen == set(NODE_KINDS) and edge_kinds_seen == set(EDGE_KINDS)


def test_attribute_values_are_plain_json(graph: nx.MultiDiGraph) -> None:
    def plain(value: object) -> bool:
        if isinstance(value, list):
            return all(isinstance(v, str) for v in value)
        return value is None or isinstance(value, str | int | bool)

    for _, data in graph.nodes(data=True):
        assert all(plain(v) for v in data.values()), data
    for _, _, data in graph.edges(data=True):
        assert all(plain(v) for v in data.values()), data


def test_graph_is_built_in_a_stable_order(chain: CorpusBuilder) -> None:
    a = build_graph(kgraph.load(chain.root))
    b = build_graph(kgraph.load(chain.root))
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def test_load_graph_refuses_a_corpus_with_errors(chain: CorpusBuilder) -> None:
    path = chain.root / "claims" / "ketamine-blocks-nmda.yaml"
    path.write_text(path.read_text().replace("predicate: blocks", "predicate: blokcs"))
    with pytest.raises(CorpusHasErrors, match="kgraph check"):
        load_graph(chain.root)


# --- the documented model -------------------------------------------------------------------


def test_docs_graph_md_starts_with_the_model_from_the_code() -> None:
    text = (REPO / "docs" / "graph.md").read_text(encoding="utf-8")
    assert text.startswith(graph_model_markdown()), (
        "docs/graph.md is stale: regenerate it from kgraph.exports.docs.graph_markdown()"
    )


def test_docs_graph_md_is_the_generated_page() -> None:
    from kgraph.exports.docs import graph_markdown

    assert (REPO / "docs" / "graph.md").read_text(encoding="utf-8") == graph_markdown()


# --- networkx questions a researcher asks ---------------------------------------------------


def test_shortest_path_from_ketamine_to_the_antidepressant_effect(
    graph: nx.MultiDiGraph,
) -> None:
    view = entity_view(graph)
    assert set(view.nodes) == set(CHAIN_ENTITIES)
    path = nx.shortest_path(view, "ketamine", "antidepressant-effect")
    assert path == ["ketamine", "glutamate-system", "dendritic-growth", "antidepressant-effect"]
    claims = [min(view[u][v]) for u, v in itertools.pairwise(path)]
    assert claims == [
        "ketamine-acts-on-glutamate",
        "glutamate-drives-dendritic-growth",
        "growth-causes-antidepressant-effect",
    ]


def test_all_claims_a_source_asserts(graph: nx.MultiDiGraph) -> None:
    asserted = sorted(
        v for _, v, d in graph.out_edges("article-b", data=True) if d["kind"] == "asserts"
    )
    assert asserted == [
        "ketamine-blocks-nmda",
        "ketamine-cures-depression",
        "nmda-blockade-boosts-glutamate",
    ]


def test_weakest_edge_on_a_path(graph: nx.MultiDiGraph) -> None:
    view = entity_view(graph)
    path = ["ketamine", "nmda-receptor", "glutamate-system", "dendritic-growth"]
    steps = [
        min(view[u][v].values(), key=lambda d: level_rank(d["level"]))
        for u, v in itertools.pairwise(path)
    ]
    weakest = min(steps, key=lambda d: level_rank(d["level"]))
    assert weakest["level"] == "ES-2"
    assert weakest["claim"] == "nmda-blockade-boosts-glutamate"  # the first ES-2 step


def test_a_rhetoric_claim_ranks_below_es0() -> None:
    assert level_rank(None) < level_rank("ES-0") < level_rank("ES-5")
