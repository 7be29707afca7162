"""KGX: the entity view as Biolink nodes and edges (`nodes.jsonl`, `edges.jsonl`), the exchange
format of biomedical knowledge graphs (KGX's JSON Lines: one object a line, lists for multivalued
properties).

A node is a grounded entity, identified by the term it matches exactly (CHEBI:6121) or, failing
one, closely; every grounded term is an `xref`. An edge is a claim between two such entities,
with the Biolink predicate for its predicate, the sources' DOIs and PubMed ids as
`publications` and the quotes as `supporting_text`. Entities no term identifies (metaphors,
experiences, terms only broader or narrower) and their claims are left out: KGX names nodes by
CURIEs of the Biolink model's prefixes, and kgraph's own ids are none of them (the Turtle, JSON
and GraphML exports carry every entity).
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from kgraph import vocab
from kgraph.corpus.model import Claim, Corpus, Entity

CLAIM_PREFIX = "kgc"  # urn:kgraph:claim:
PREDICATE_PREFIX = "kg"  # urn:kgraph:, kgraph's own vocabulary
# Every edge is a claim curated by hand from an article: an assertion, by a person.
KNOWLEDGE_LEVEL = "knowledge_assertion"
AGENT_TYPE = "manual_agent"


def node_ids(corpus: Corpus) -> dict[str, str]:
    """The entities that have a node, and its id: the first exact-match term, else the first
    close match (near enough to stand in for it). A CURIE two entities would share goes to the
    one that matches it exactly, or, between equals, to the first in id order."""
    candidates: list[tuple[int, str, str]] = []
    for eid in sorted(corpus.entities):
        grounding = corpus.entities[eid].grounding
        for rank, match in enumerate((vocab.EXACT_MATCH, "close")):
            first = next((g.curie for g in grounding if g.match == match), None)
            if first is not None:
                candidates.append((rank, eid, first))
                break
    owner: dict[str, str] = {}
    for _, eid, curie in sorted(candidates):  # exact matches first, then in id order
        owner.setdefault(curie, eid)
    return {eid: curie for curie, eid in sorted(owner.items(), key=lambda item: item[1])}


def node_record(entity: Entity, node_id: str) -> dict[str, Any]:
    """One entity as a KGX node."""
    record: dict[str, Any] = {
        "id": node_id,
        "category": [vocab.BIOLINK_CATEGORIES[entity.type]],
        "name": entity.label,
    }
    if entity.description:
        record["description"] = entity.description
    if entity.synonyms:
        record["synonym"] = list(entity.synonyms)
    if entity.grounding:
        record["xref"] = [g.curie for g in entity.grounding]
    return record


def _publications(corpus: Corpus, claim: Claim) -> list[str]:
    ids = [a.source for a in claim.sources]
    if claim.evidence is not None:
        ids += [r.source for r in claim.evidence.references]
    found: set[str] = set()
    for sid in ids:
        source = corpus.sources.get(sid)
        if source is None:
            continue
        if source.doi:
            found.add(f"doi:{source.doi}")
        if source.pmid:
            found.add(f"PMID:{source.pmid}")
    return sorted(found)


def edge_record(corpus: Corpus, claim: Claim, nodes: dict[str, str]) -> dict[str, Any]:
    """One claim as a KGX edge between its subject's and its object's nodes."""
    record: dict[str, Any] = {
        "id": f"{CLAIM_PREFIX}:{claim.id}",
        "subject": nodes[claim.subject],
        "predicate": vocab.BIOLINK_PREDICATES[claim.predicate],
        "object": nodes[claim.object],
        "category": ["biolink:Association"],
        "knowledge_level": KNOWLEDGE_LEVEL,
        "agent_type": AGENT_TYPE,
        "original_predicate": f"{PREDICATE_PREFIX}:{claim.predicate}",
        "publications": _publications(corpus, claim),
        "supporting_text": [a.quote for a in claim.sources],
    }
    if claim.evidence is not None:
        record["evidence_level"] = claim.evidence.level
    return record


def _lines(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, sort_keys=True, ensure_ascii=False) + "\n" for r in records)


def kgx_files(graph: nx.MultiDiGraph, corpus: Corpus) -> dict[str, str]:
    """nodes.jsonl (grounded entities in id order) and edges.jsonl (the claims between two of
    them, in id order)."""
    nodes = node_ids(corpus)
    node_lines = [node_record(corpus.entities[eid], nodes[eid]) for eid in nodes]
    edge_lines = [
        edge_record(corpus, corpus.claims[cid], nodes)
        for cid in sorted(corpus.claims)
        if corpus.claims[cid].subject in nodes and corpus.claims[cid].object in nodes
    ]
    return {"edges.jsonl": _lines(edge_lines), "nodes.jsonl": _lines(node_lines)}
