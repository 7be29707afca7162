"""JSON Lines of claims: one self-contained record per claim, the stable machine-readable bundle.

Each line holds the claim, the sources asserting it with their quotes and cues, and its evidence
with the studies cited; its subject's and object's grounded terms with their ontology IRIs; keys
sorted, lines in claim id order.
"""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from kgraph import vocab
from kgraph.corpus.grade import grading_record
from kgraph.corpus.model import Claim, Corpus, Source
from kgraph.grounding import registry


def _source_ref(source: Source | None, sid: str) -> dict[str, Any]:
    if source is None:
        return {"id": sid}
    return {
        "id": sid,
        "label": source.display,
        "title": source.title,
        "kind": source.kind,
        "url": source.url,
        "doi": source.doi,
        "pmid": source.pmid,
        "published": source.published,
    }


def _grounding(corpus: Corpus, eid: str) -> list[dict[str, str]]:
    """The entity's grounded terms: CURIE, ontology IRI, the vocabulary's label, the match."""
    entity = corpus.entities.get(eid)
    if entity is None:
        return []
    return [
        {"curie": g.curie, "iri": registry.iri(g.curie), "label": g.label, "match": g.match}
        for g in entity.grounding
    ]


def claim_record(graph: nx.MultiDiGraph, corpus: Corpus, claim: Claim) -> dict[str, Any]:
    """The claim as one JSON object, with its sources, quotes and evidence."""
    sources = []
    for a in claim.sources:
        edge = graph.get_edge_data(a.source, claim.id, f"asserts:{a.index}") or {}
        sources.append(
            {
                "source": _source_ref(corpus.sources.get(a.source), a.source),
                "quote": a.quote,
                "locator": a.locator,
                "hedges": edge.get("hedges", []),
                "boosters": edge.get("boosters", []),
                "reading": a.reading or None,
                "reading_reason": a.reading_reason or None,
            }
        )
    evidence = None
    ev = claim.evidence
    if ev is not None:
        level = vocab.LEVEL_BY_VALUE[ev.level]
        evidence = {
            "level": ev.level,
            "rank": level.rank,
            "level_name": level.name,
            "direction": ev.direction or None,  # ES-0 has none
            "indirectness": ev.indirectness,
            "rationale": ev.rationale,
            "references": [
                {
                    "source": _source_ref(corpus.sources.get(r.source), r.source),
                    "finding": r.finding,
                    "design": corpus.design_words(r.source),
                    "direction": r.direction,
                    "n": corpus.study_n(r.source),
                    "population": corpus.population(r.source),
                    "excerpt": r.excerpt or None,
                    "outcome": r.outcome or None,
                    "timepoint": r.timepoint or None,
                    "effect": r.effect or None,
                }
                for r in ev.references
            ],
            # How the level was reached: derivation, GRADE domains, override, search.
            "grading": grading_record(claim, corpus),
        }
    return {
        "id": claim.id,
        "statement": claim.statement,
        "kind": claim.kind,
        "subject": claim.subject,
        "predicate": claim.predicate,
        "object": claim.object,
        "subject_grounding": _grounding(corpus, claim.subject),
        "object_grounding": _grounding(corpus, claim.object),
        "qualifiers": dict(sorted(claim.qualifiers.items())),
        "depends_on": list(claim.depends_on),
        "tags": list(claim.tags),
        "sources": sources,
        "evidence": evidence,
        "review": {
            "status": claim.review.status,
            "reviewer": claim.review.reviewer,
            "date": claim.review.date,
            "notes": claim.review.notes,
        },
    }


def claims_jsonl(graph: nx.MultiDiGraph, corpus: Corpus) -> str:
    """One JSON object per line, one line per claim, in id order."""
    return "".join(
        json.dumps(
            claim_record(graph, corpus, corpus.claims[cid]), sort_keys=True, ensure_ascii=False
        )
        + "\n"
        for cid in sorted(corpus.claims)
    )
