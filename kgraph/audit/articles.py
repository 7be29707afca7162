"""Articles (news and marketing sources that assert claims) and what their records say they cite.

Used by the echo rule (are two articles independent?), the scorecards and the charts. What an
article cites comes from its source record's `cites` field.
"""

from __future__ import annotations

from dataclasses import dataclass

from kgraph import vocab
from kgraph.corpus.model import Claim, Corpus, Source


@dataclass(frozen=True)
class Provenance:
    """What an article's record says it rests on: `cites` is None when the record is silent."""

    cites: frozenset[str] | None
    publisher: str | None

    @property
    def cites_nothing(self) -> bool:
        return self.cites is not None and not self.cites


def is_article(source: Source) -> bool:
    return source.kind in vocab.NON_EVIDENCE_SOURCE_KINDS


def asserting_articles(corpus: Corpus, claim: Claim) -> list[str]:
    """Ids of the distinct articles asserting a claim, in the claim's order."""
    out: list[str] = []
    for a in claim.sources:
        source = corpus.sources.get(a.source)
        if source is not None and is_article(source) and a.source not in out:
            out.append(a.source)
    return out


def provenance(source: Source) -> Provenance:
    """What a page's record says it cites (its `cites` field; None when not recorded)."""
    cites = None if source.cites is None else frozenset(source.cites)
    return Provenance(cites, source.publisher)


def shared_origins(corpus: Corpus, article_ids: list[str]) -> list[str]:
    """Plain sentences naming the groups of articles that are not independent of each other."""
    prov = {sid: provenance(corpus.sources[sid]) for sid in article_ids}
    label = {sid: corpus.sources[sid].display for sid in article_ids}
    sentences: list[str] = []
    nothing = [sid for sid in article_ids if prov[sid].cites_nothing]
    if len(nothing) >= 2:
        sentences.append(f"{_names([label[s] for s in nothing])} cite nothing at all")
    cited = sorted({name for p in prov.values() for name in (p.cites or ())})
    for name in cited:
        group = [sid for sid in article_ids if name in (prov[sid].cites or ())]
        if len(group) >= 2:
            every = "both" if len(group) == 2 else "all"
            sentences.append(f"{_names([label[s] for s in group])} {every} cite {name}")
    publishers = sorted({p.publisher for p in prov.values() if p.publisher})
    for publisher in publishers:
        group = [sid for sid in article_ids if prov[sid].publisher == publisher]
        if len(group) >= 2:
            sentences.append(f"{_names([label[s] for s in group])} share the publisher {publisher}")
    return sentences


def _names(items: list[str]) -> str:
    quoted = [f"“{i}”" for i in items]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]
