"""The leave-one-article-out evaluation of `kgraph add` (scripts/eval_add.py, and a test).

For each article: its assertions are taken out of the corpus (and, by default, the claims only
it asserts, with the entities only those use: the corpus as it was before the article was
added), `propose` is run on its snapshot, and the proposals are compared with what the
curators recorded: its sentence map (`coverage/`) and the claims' quotes and locators.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from kgraph.corpus.coverage import is_article, quote_spans, segment_claims
from kgraph.corpus.model import Corpus
from kgraph.corpus.quotes import FoldedText
from kgraph.corpus.segment import segment
from kgraph.curate.propose import MERGE, MERGE_THRESHOLD, Proposal, propose


def corpus_without(corpus: Corpus, source_id: str, *, keep_claims: bool = False) -> Corpus:
    """The corpus with every assertion by source_id removed; claims left with none (and the
    entities no remaining claim names) removed too, unless keep_claims."""
    claims = {}
    for cid, claim in corpus.claims.items():
        kept = [a for a in claim.sources if a.source != source_id]
        if kept or keep_claims or not claim.sources:
            claims[cid] = dataclasses.replace(claim, sources=kept)
    entities = dict(corpus.entities)
    if not keep_claims:
        named = {e for c in claims.values() for e in (c.subject, c.object)}
        entities = {eid: e for eid, e in entities.items() if eid in named}
    return dataclasses.replace(
        corpus,
        claims=claims,
        entities=entities,
        findings=[],
        coverage={k: v for k, v in corpus.coverage.items() if k != source_id},
    )


@dataclass
class ArticleScore:
    source: str
    recorded: int = 0  # claims the curators recorded for the article that the reduced corpus holds
    found_at_1: int = 0
    found_in_3: int = 0
    merges: int = 0  # rank-1 merge proposals
    merges_right: int = 0
    segments: int = 0
    locators_map: int = 0  # segments whose locator is the map's
    mapped: int = 0  # segments the map gives a locator for
    assertions: int = 0  # the article's quotes, with the locator each claim records
    locators_same: int = 0
    locators_paragraph: int = 0
    wrong: list[tuple[str, str, str]] = field(default_factory=list)  # (text, proposed, recorded)

    @property
    def precision(self) -> float:
        return self.merges_right / self.merges if self.merges else 1.0

    @property
    def recall_1(self) -> float:
        return self.found_at_1 / self.recorded if self.recorded else 1.0

    @property
    def recall_3(self) -> float:
        return self.found_in_3 / self.recorded if self.recorded else 1.0


def total(scores: list[ArticleScore]) -> ArticleScore:
    out = ArticleScore("all articles")
    for s in scores:
        for f in dataclasses.fields(ArticleScore):
            if f.type == "int" or isinstance(getattr(s, f.name), int):
                setattr(out, f.name, getattr(out, f.name) + getattr(s, f.name))
        out.wrong += s.wrong
    return out


def evaluate_article(
    corpus: Corpus,
    source_id: str,
    *,
    keep_claims: bool = False,
    merge_threshold: float = MERGE_THRESHOLD,
) -> ArticleScore:
    text = corpus.snapshot_texts[source_id]
    reduced = corpus_without(corpus, source_id, keep_claims=keep_claims)
    recorded = segment_claims(corpus, source_id)
    proposals = propose(reduced, text, merge_threshold=merge_threshold)
    score = ArticleScore(source_id, segments=len(proposals))
    expected = {c for sc in recorded for c in sc.claims if c in reduced.claims}
    score.recorded = len(expected)
    at_1: set[str] = set()
    in_3: set[str] = set()
    for p, sc in zip(proposals, recorded, strict=True):
        truth = set(sc.claims)
        if p.action == MERGE:
            score.merges += 1
            if p.claim in truth:
                score.merges_right += 1
                at_1.add(p.claim)
            else:
                score.wrong.append((p.segment.text, p.claim, ", ".join(sorted(truth)) or "none"))
        in_3 |= {m.claim_id for m in p.matches} & truth
    score.found_at_1 = len(at_1 & expected)
    score.found_in_3 = len(in_3 & expected)
    _locators(corpus, source_id, proposals, score)
    return score


def _locators(
    corpus: Corpus, source_id: str, proposals: list[Proposal], score: ArticleScore
) -> None:
    cov = corpus.coverage.get(source_id)
    by_text: dict[tuple[str, int], str] = {}
    if cov is not None:
        by_text = {(e.text, i): e.locator for i, e in enumerate(cov.entries)}
    given = [loc for (_, _), loc in sorted(by_text.items(), key=lambda kv: kv[0][1])]
    for p, loc in zip(proposals, given, strict=False):
        if loc:
            score.mapped += 1
            score.locators_map += p.segment.locator == loc
    text = corpus.snapshot_texts[source_id]
    folded = FoldedText.of(text)
    segments = segment(text)
    for claim in corpus.claims.values():
        for a in claim.sources:
            if a.source != source_id:
                continue
            spans = quote_spans(folded, a.quote)
            seg = next(
                (s for s in segments for st, en in spans[:1] if st < s.end and s.start < en),
                None,
            )
            if seg is None:
                continue
            score.assertions += 1
            score.locators_same += seg.locator == a.locator
            score.locators_paragraph += _same_paragraph(seg.locator, a.locator)


def _same_paragraph(computed: str, recorded: str) -> bool:
    """The recorded locator names the computed one's section and paragraph (or list item)."""
    return computed == recorded or computed.startswith(recorded + ",")


def evaluate(
    corpus: Corpus, *, keep_claims: bool = False, merge_threshold: float = MERGE_THRESHOLD
) -> list[ArticleScore]:
    """One score per article of the corpus (a news or marketing source with a snapshot and a
    sentence map), in id order."""
    return [
        evaluate_article(corpus, sid, keep_claims=keep_claims, merge_threshold=merge_threshold)
        for sid, source in sorted(corpus.sources.items())
        if is_article(source) and sid in corpus.coverage and sid in corpus.snapshot_texts
    ]


def table(scores: list[ArticleScore]) -> str:
    """The figures as a Markdown table, one row per article and one for all."""
    rows = [
        "| article | recorded claims | rank-1 merges | rank-1 precision | found at rank 1 | "
        "found in top 3 | locator = map's | locator = claim's | same paragraph as claim's |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in [*scores, total(scores)]:
        rows.append(
            f"| {s.source} | {s.recorded} | {s.merges} | {s.precision:.2f} | {s.recall_1:.2f} | "
            f"{s.recall_3:.2f} | {_share(s.locators_map, s.mapped)} | "
            f"{_share(s.locators_same, s.assertions)} | "
            f"{_share(s.locators_paragraph, s.assertions)} |"
        )
    return "\n".join(rows)


def _share(n: int, d: int) -> str:
    return f"{n / d:.2f} ({n}/{d})" if d else "-"
