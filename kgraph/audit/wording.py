"""Audit rules on how sources word a claim against its evidence: AU101, AU102, AU105, AU107, AU108.

Each rule reads a claim's assertions (quote, hedge and booster cues from `kgraph.text.hedges`) and
its evidence level and direction, and returns located `AuditFinding`s.
"""

from __future__ import annotations

from kgraph import vocab
from kgraph.audit.codes import AUDIT_CODES
from kgraph.audit.report import AuditFinding
from kgraph.audit.terms import CONTRADICTS, MIXED, TOP_RANK, label, level_phrase, statement
from kgraph.corpus.model import Assertion, Claim, Corpus
from kgraph.text.hedges import Cue, find_cues

_DIRECTION = {t.value: t.description for t in vocab.DIRECTIONS}


def assertion_finding(
    code: str, claim: Claim, a: Assertion, cues: list[Cue], message: str
) -> AuditFinding:
    """A finding on one source's wording, located at its quote in the claim's file."""
    line, _ = claim.origin.at("sources", a.index, "quote")
    return AuditFinding(
        code=code,
        severity=AUDIT_CODES[code].severity,
        message=message,
        claim=claim.id,
        source=a.source,
        quote=a.quote,
        cues=tuple(c.text for c in cues),
        chain=(),
        path=claim.origin.path,
        line=line,
    )


def is_flat(cues: list[Cue]) -> bool:
    """Stated as fact: no hedge cue, or a booster (which outweighs any hedge)."""
    return not any(c.kind == "hedge" for c in cues) or any(c.kind == "booster" for c in cues)


def _how_flat(cues: list[Cue]) -> str:
    boosters = [c.text for c in cues if c.kind == "booster"]
    if boosters:
        return "as fact, even boosting it (" + ", ".join(f"“{b}”" for b in boosters) + ")"
    return "as fact, with no hedge"


def _hedges(cues: list[Cue]) -> str:
    return ", ".join(f"“{c.text}”" for c in cues if c.kind == "hedge")


def wording_findings(corpus: Corpus) -> list[AuditFinding]:
    out: list[AuditFinding] = []
    for cid in sorted(corpus.claims):
        claim = corpus.claims[cid]
        cues = {a.index: find_cues(a.quote) for a in claim.sources}
        if claim.kind in vocab.UNGRADED_CLAIM_KINDS:
            out += _rhetoric(corpus, claim, cues)
            continue
        if claim.evidence is None:
            continue
        out += _overclaims(corpus, claim, cues)
        out += _dropped_hedges(corpus, claim, cues)
        out += _contradicted(corpus, claim, cues)
        out += _underclaims(corpus, claim, cues)
    return out


def _overclaims(corpus: Corpus, claim: Claim, cues: dict[int, list[Cue]]) -> list[AuditFinding]:
    """AU101: stated flatly at ES-3 or lower (vocab.OVERCLAIM_MAX_RANK)."""
    if claim.rank is None or claim.rank > vocab.OVERCLAIM_MAX_RANK:
        return []
    out = []
    for a in claim.sources:
        if is_flat(cues[a.index]):
            message = (
                f"{label(corpus, a.source)} states {statement(claim)} {_how_flat(cues[a.index])}, "
                f"but the evidence is only {level_phrase(claim)}."
            )
            out.append(assertion_finding("AU101", claim, a, cues[a.index], message))
    return out


def _dropped_hedges(corpus: Corpus, claim: Claim, cues: dict[int, list[Cue]]) -> list[AuditFinding]:
    """AU102: one source hedges, another states flatly, and the evidence warranted the hedge."""
    if claim.rank is None or claim.rank > vocab.OVERCLAIM_MAX_RANK:
        return []
    hedging = [a for a in claim.sources if not is_flat(cues[a.index])]
    if not hedging:
        return []
    out = []
    for a in claim.sources:
        if not is_flat(cues[a.index]) or any(h.source == a.source for h in hedging):
            continue
        h = hedging[0]
        others = f" and {len(hedging) - 1} other(s)" if len(hedging) > 1 else ""
        message = (
            f"{label(corpus, a.source)} states {statement(claim)} as fact, while "
            f"{label(corpus, h.source)}{others} hedges the same claim ({_hedges(cues[h.index])}); "
            f"with evidence at {claim.level} the hedge was right."
        )
        out.append(assertion_finding("AU102", claim, a, cues[a.index], message))
    return out


def _contradicted(corpus: Corpus, claim: Claim, cues: dict[int, list[Cue]]) -> list[AuditFinding]:
    """AU105: the evidence contradicts the claim or is mixed, and a source does not hedge."""
    ev = claim.evidence
    if ev is None or ev.direction not in (CONTRADICTS, MIXED):
        return []
    out = []
    for a in claim.sources:
        if is_flat(cues[a.index]):
            message = (
                f"{label(corpus, a.source)} states {statement(claim)} without qualification, "
                f"but the evidence is {ev.direction} ({claim.level}): "
                f"{_DIRECTION.get(ev.direction, '').rstrip('.').lower()}."
            )
            out.append(assertion_finding("AU105", claim, a, cues[a.index], message))
    return out


def _underclaims(corpus: Corpus, claim: Claim, cues: dict[int, list[Cue]]) -> list[AuditFinding]:
    """AU108: a hedge on an established fact (a note, not a fault)."""
    if claim.rank != TOP_RANK:
        return []
    out = []
    for a in claim.sources:
        if not is_flat(cues[a.index]):
            message = (
                f"{label(corpus, a.source)} hedges {statement(claim)} ({_hedges(cues[a.index])}), "
                f"though the evidence is {level_phrase(claim)}: it could be stated plainly."
            )
            out.append(assertion_finding("AU108", claim, a, cues[a.index], message))
    return out


def _rhetoric(corpus: Corpus, claim: Claim, cues: dict[int, list[Cue]]) -> list[AuditFinding]:
    """AU107: every use of a rhetoric claim, naming the source and its words."""
    out = []
    for a in claim.sources:
        found = cues[a.index]
        boosters = [c.text for c in found if c.kind == "booster"]
        words = a.quote.strip().rstrip(".!?,;:")
        message = (
            f"{label(corpus, a.source)} says “{words}”: a figure of speech that no study can "
            "test, set among claims about the brain."
        )
        if boosters:
            message += " It is dressed as science (" + ", ".join(f"“{b}”" for b in boosters) + ")."
        elif any(c.kind == "hedge" for c in found):
            message += f" The softening ({_hedges(found)}) does not make it testable."
        out.append(assertion_finding("AU107", claim, a, found, message))
    return out
