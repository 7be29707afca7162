"""`run_audit`: every audit rule over a loaded corpus, and a scorecard per article.

Stage after the check gate: `Corpus` -> `AuditReport`. Reads the corpus only; the rules tolerate
records that fail the check (dangling ids, cycles) by passing over what they cannot follow.
"""

from __future__ import annotations

import os
from collections import defaultdict

from kgraph import vocab
from kgraph.audit.articles import is_article
from kgraph.audit.bookkeeping import bookkeeping_findings
from kgraph.audit.evidence import evidence_findings
from kgraph.audit.report import AuditFinding, AuditReport, Scorecard
from kgraph.audit.wording import wording_findings
from kgraph.corpus.check import CorpusHasErrors, check, checked_report
from kgraph.corpus.model import Claim, Corpus

# The keys of a scorecard's `by_level`: every ES level, strongest first, then the ungraded kinds.
LEVEL_KEYS: tuple[str, ...] = (
    *(lv.value for lv in sorted(vocab.EVIDENCE_LEVELS, key=lambda lv: -lv.rank)),
    *sorted(vocab.UNGRADED_CLAIM_KINDS),
)


def level_key(claim: Claim) -> str:
    """Where a claim falls on a scorecard or chart: its ES level, or its kind if ungraded."""
    return claim.level if claim.level is not None else claim.kind


def run_audit(corpus: Corpus) -> AuditReport:
    """Audit a corpus: findings sorted by file and line, and one scorecard per article."""
    findings = [
        *wording_findings(corpus),
        *evidence_findings(corpus),
        *bookkeeping_findings(corpus),
    ]
    findings.sort(key=AuditFinding.sort_key)
    asserted_by = {
        cid: tuple(dict.fromkeys(a.source for a in c.sources))
        for cid, c in sorted(corpus.claims.items())
    }
    report = AuditReport(findings=findings, asserted_by=asserted_by)
    # One pass over claims and findings for all scorecards (a corpus may hold many articles).
    claims_of: dict[str, list[Claim]] = defaultdict(list)
    for cid, sources in asserted_by.items():
        for sid in sources:
            claims_of[sid].append(corpus.claims[cid])
    own: dict[str, list[AuditFinding]] = defaultdict(list)
    for f in findings:
        if f.source is not None:
            own[f.source].append(f)
    for source in corpus.articles():
        if is_article(source):
            card = _scorecard(source.id, claims_of[source.id], own[source.id])
            report.scorecards[source.id] = card
    return report


def _scorecard(source_id: str, claims: list[Claim], own: list[AuditFinding]) -> Scorecard:
    """One article's claims by level, its overclaims and dropped hedges, its weakest claims."""
    by_level = dict.fromkeys(LEVEL_KEYS, 0)
    for c in claims:
        key = level_key(c)
        if key in by_level:
            by_level[key] += 1
    overclaimed = {f.claim for f in own if f.code == "AU101"}
    # Weakest: lowest level first; among equals, the ones this article overclaims; then by id.
    graded = [c for c in claims if c.rank is not None]
    graded.sort(key=lambda c: (c.rank, c.id not in overclaimed, c.id))
    return Scorecard(
        source=source_id,
        n_claims=len(claims),
        by_level=by_level,
        overclaims=sum(1 for f in own if f.code == "AU101"),
        dropped_hedges=sum(1 for f in own if "AU102" in f.codes),
        weakest=[c.id for c in graded[:3]],
    )


class AuditRefused(CorpusHasErrors):
    """The corpus has check errors: its audit would rest on broken records."""

    not_done = "it was not audited"


def load_audit(
    root: str | os.PathLike[str], *, allow_errors: bool = False
) -> tuple[Corpus, AuditReport]:
    """Load, check and audit a corpus folder: the one-line start for a notebook or the CLI.

    Raises `AuditRefused` when the check finds errors (unless allow_errors), and
    `kgraph.corpus.load.CorpusNotFound` when the folder holds no corpus.
    """
    corpus = (
        check(root).corpus if allow_errors else checked_report(root, refusal=AuditRefused).corpus
    )
    return corpus, run_audit(corpus)
