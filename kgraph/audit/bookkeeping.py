"""Audit bookkeeping (AU2xx): what the corpus records thinly, not what the articles get wrong.

Single-source claims, entities and sources no claim uses, and claims no named reviewer has checked.
"""

from __future__ import annotations

from kgraph.audit.codes import AUDIT_CODES
from kgraph.audit.report import AuditFinding
from kgraph.audit.terms import label, statement
from kgraph.corpus.model import Corpus, Entity, Source


def _finding(
    code: str,
    message: str,
    path: str,
    line: int,
    claim: str | None = None,
    source: str | None = None,
) -> AuditFinding:
    return AuditFinding(
        code=code,
        severity=AUDIT_CODES[code].severity,
        message=message,
        claim=claim,
        source=source,
        quote=None,
        cues=(),
        chain=(),
        path=path,
        line=line,
    )


def bookkeeping_findings(corpus: Corpus) -> list[AuditFinding]:
    out: list[AuditFinding] = []
    used_entities: set[str] = set()
    used_sources: set[str] = set()
    for cid in sorted(corpus.claims):
        claim = corpus.claims[cid]
        used_entities.update((claim.subject, claim.object))
        asserting = list(dict.fromkeys(a.source for a in claim.sources))
        used_sources.update(asserting)
        if claim.evidence:
            used_sources.update(r.source for r in claim.evidence.references)
        if len(asserting) == 1:
            out.append(
                _finding(
                    "AU201",
                    f"Only {label(corpus, asserting[0])} asserts {statement(claim)}.",
                    claim.origin.path,
                    claim.origin.at("sources")[0],
                    claim=cid,
                    source=asserting[0],
                )
            )
        if not (claim.review.reviewer or "").strip():
            out.append(
                _finding(
                    "AU204",
                    f"No named reviewer has checked {statement(claim)} against its sources "
                    f"(status: {claim.review.status}).",
                    claim.origin.path,
                    claim.origin.at("review")[0],
                    claim=cid,
                )
            )
    for eid in sorted(corpus.entities):
        if eid not in used_entities:
            entity: Entity = corpus.entities[eid]
            out.append(
                _finding(
                    "AU202",
                    f"No claim is about the entity “{entity.label}” ({eid}).",
                    entity.origin.path,
                    entity.origin.at("id")[0],
                )
            )
    for sid in sorted(corpus.sources):
        if sid not in used_sources:
            source: Source = corpus.sources[sid]
            out.append(
                _finding(
                    "AU203",
                    f"No claim cites or is asserted by the source {label(corpus, sid)}.",
                    source.origin.path,
                    source.origin.at("id")[0],
                    source=sid,
                )
            )
    return out
