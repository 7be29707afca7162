"""schema.org ClaimReview JSON-LD: one review per graded claim, rated from level and direction.

The rating scale is `RATINGS`; `rating(level, direction)` is the one mapping from a claim's
evidence to a rating, and docs/graph.md prints its table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import networkx as nx

from kgraph import vocab
from kgraph.corpus.grade import derivation
from kgraph.corpus.model import Claim, Corpus, Source
from kgraph.exports.rdf import KGC, KGS

# The project, as the author of every review.
PROJECT = {"@type": "Organization", "name": "kgraph"}
# Offline-readable JSON-LD: schema.org terms through @vocab, no remote context to fetch.
CONTEXT = {"@vocab": "https://schema.org/"}


@dataclass(frozen=True)
class Rating:
    value: int
    verdict: str
    meaning: str


RATINGS: tuple[Rating, ...] = (
    Rating(5, "Established", "ES-5 and the evidence supports it"),
    Rating(4, "Supported", "ES-4 supporting; or ES-5 with mixed evidence"),
    Rating(3, "Preliminary or mixed", "ES-3 supporting; or ES-4 with mixed evidence"),
    Rating(
        2,
        "Unproven in humans",
        "ES-2, ES-1 or ES-0 (no test in humans; untested where no study takes a side), or ES-3 "
        "with mixed evidence",
    ),
    Rating(1, "Contradicted", "the evidence as a whole goes against the claim, at any level"),
)
WORST = min(r.value for r in RATINGS)
BEST = max(r.value for r in RATINGS)
_BY_VALUE = {r.value: r for r in RATINGS}
# Below this rank nothing has been tested in humans: such claims share the second-lowest rating.
_HUMAN_EVIDENCE_RANK = 3


def rating(level: str, direction: str | None) -> Rating:
    """The rating of a claim's evidence: contradicted lowest, then by level, mixed one step down.

    ES-0 records no direction (nothing was found to have one).
    """
    if direction == "contradicts":
        return _BY_VALUE[WORST]
    rank = vocab.LEVEL_BY_VALUE[level].rank
    if direction == "mixed":
        rank -= 1
    floor = WORST + 1
    value = floor if rank < _HUMAN_EVIDENCE_RANK else max(floor, min(BEST, rank))
    return _BY_VALUE[value]


def alternate_name(level: str, direction: str | None) -> str:
    """The rating in words: 'Unproven in humans (ES-2, preclinical only; evidence supports)'."""
    lv = vocab.LEVEL_BY_VALUE[level]
    said = (
        "; no study tests it"
        if direction == vocab.UNTESTED
        else f"; evidence {direction}"
        if direction
        else ""
    )
    return f"{rating(level, direction).verdict} ({lv.value}, {lv.name}{said})"


def _work(s: Source | None, sid: str) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "@id": KGS + sid}
    if s is None:
        return work
    work["name"] = s.title or s.display
    if s.url:
        work["url"] = s.url
    elif s.doi:
        work["url"] = "https://doi.org/" + s.doi
    if s.published:
        work["datePublished"] = s.published
    if s.publisher:
        work["publisher"] = {"@type": "Organization", "name": s.publisher}
    if s.authors:
        work["author"] = [{"@type": "Person", "name": a} for a in s.authors]
    return work


def _first(corpus: Corpus, sids: list[str]) -> str | None:
    dated = [(corpus.sources[s].published or "", s) for s in sids if s in corpus.sources]
    dated = [d for d in dated if d[0]]
    return min(dated)[1] if dated else None


def _explanation(corpus: Corpus, c: Claim) -> str:
    """The rating explained: how the level was derived (naming every downgrade), then the
    curators' rationale; an override says so."""
    assert c.evidence is not None
    d = derivation(c, corpus)
    ev = c.evidence
    head = d.explanation if d is not None and d.level is not None else ""
    if head and d is not None and d.level != ev.level:
        head += f"; stated {ev.level} by override: {ev.override}"
    return f"{head}. {ev.rationale}" if head else ev.rationale


def claim_review(corpus: Corpus, c: Claim) -> dict[str, Any] | None:
    """The ClaimReview of a claim, or None for a claim with no ES level (rhetoric)."""
    ev = c.evidence
    if ev is None:
        return None
    r = rating(ev.level, ev.direction)
    # A claim appears where an article states it; where the claim is only the curators' reading
    # of a quote (implied, a heading, a list), the article is not said to make it.
    article_ids = sorted({a.source for a in c.sources if not a.is_reading})
    read_from = sorted({a.source for a in c.sources if a.is_reading} - set(article_ids))
    item: dict[str, Any] = {"@type": "Claim", "@id": (KGC + c.id), "text": c.statement}
    if article_ids:
        item["appearance"] = [_work(corpus.sources.get(s), s) for s in article_ids]
    if read_from:
        item["description"] = (
            "A reading of "
            + ", ".join(corpus.sources[s].display if s in corpus.sources else s for s in read_from)
            + ", not a sentence it states: "
            + "; ".join(
                f"{a.reading}: {a.reading_reason}" for a in c.sources if a.source in read_from
            )
        )
    first = _first(corpus, article_ids)
    if first is not None:
        item["firstAppearance"] = {"@id": KGS + first}
    review: dict[str, Any] = {
        "@type": "ClaimReview",
        "@id": (KGC + c.id) + ":review",
        "author": PROJECT,
        "claimReviewed": c.statement,
        "itemReviewed": item,
        "reviewBody": ev.rationale,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": r.value,
            "bestRating": BEST,
            "worstRating": WORST,
            "alternateName": alternate_name(ev.level, ev.direction),
            # The derivation first (start, each domain rated down, certainty), then the why.
            "ratingExplanation": _explanation(corpus, c),
        },
    }
    refs = sorted({ref.source for ref in ev.references})
    if refs:
        review["isBasedOn"] = [_work(corpus.sources.get(s), s) for s in refs]
    if c.review.status == "reviewed" and c.review.date:
        review["datePublished"] = c.review.date
    return review


def claimreview_jsonld(graph: nx.MultiDiGraph, corpus: Corpus) -> str:
    """A JSON-LD document whose @graph holds one ClaimReview per graded claim, in id order."""
    reviews = [claim_review(corpus, corpus.claims[cid]) for cid in sorted(corpus.claims)]
    doc = {"@context": CONTEXT, "@graph": [r for r in reviews if r is not None]}
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
