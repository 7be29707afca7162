"""Audit rules on how sources word a claim against its evidence: AU101, AU102, AU105, AU107, AU108.

Each rule reads a claim's assertions (quote, hedge and booster cues from `kgraph.text.hedges`) and
its evidence level and direction, and returns located `AuditFinding`s.
"""

from __future__ import annotations

from kgraph import vocab
from kgraph.audit.articles import is_article
from kgraph.audit.codes import AUDIT_CODES
from kgraph.audit.report import AuditFinding
from kgraph.audit.terms import (
    CONTRADICTS,
    MIXED,
    TOP_RANK,
    claim_named,
    label,
    level_phrase,
    plural,
    words,
)
from kgraph.corpus.model import Assertion, Claim, Corpus
from kgraph.text.hedges import Cue, find_cues

_DIRECTION = {t.value: t.description for t in vocab.DIRECTIONS}


def assertion_finding(
    code: str,
    claim: Claim,
    a: Assertion,
    cues: list[Cue],
    message: str,
    also: tuple[str, ...] = (),
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
        also=also,
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


def _direction(claim: Claim, lead: str) -> str:
    """'is mixed: studies disagree, ...' or 'goes against it as a whole', after `lead`."""
    ev = claim.evidence
    if ev is not None and ev.direction == CONTRADICTS:
        return f"{lead}goes against it as a whole"
    description = _DIRECTION.get(MIXED, "").rstrip(".")
    return f"{lead}is mixed: {description[0].lower()}{description[1:]}"


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
        out += _flat_quotes(corpus, claim, cues)
        out += _underclaims(corpus, claim, cues)
    return out


def _flat_quotes(corpus: Corpus, claim: Claim, cues: dict[int, list[Cue]]) -> list[AuditFinding]:
    """AU101, AU102 and AU105 on each flat quote: one finding per quote, with every reason.

    AU101 overclaim: stated flatly at ES-3 or lower (vocab.OVERCLAIM_MAX_RANK). AU102 dropped
    hedge: the same, while another source hedges it (so it always comes with an AU101). AU105:
    the evidence contradicts the claim or is mixed. The first of AU101 and AU105 that applies is
    the finding's code; the others are in its `also`.
    """
    ev = claim.evidence
    weak = claim.rank is not None and claim.rank <= vocab.OVERCLAIM_MAX_RANK
    against = ev is not None and ev.direction in (CONTRADICTS, MIXED)
    if not weak and not against:
        return []
    hedging = [a for a in claim.sources if not is_flat(cues[a.index])]
    out = []
    for a in claim.sources:
        found = cues[a.index]
        if not is_flat(found):
            continue
        kept = [h for h in hedging if h.source != a.source]
        reasons = (("AU101", weak), ("AU105", against), ("AU102", weak and bool(kept)))
        codes = [code for code, hit in reasons if hit]
        message = (
            f"{label(corpus, a.source)} writes {words(a.quote)} {_how_flat(found)}, "
            f"for {claim_named(claim)}, whose evidence "
        )
        if weak:
            message += f"is only {level_phrase(claim)}"
            if against:
                message += _direction(claim, " and ")
        else:
            message += _direction(claim, f"({claim.level}) ")
        message += "."
        if weak and kept:
            message += " " + _dropped(corpus, a, kept, cues)
        out.append(assertion_finding(codes[0], claim, a, found, message, tuple(codes[1:])))
    return out


def _dropped(
    corpus: Corpus, a: Assertion, kept: list[Assertion], cues: dict[int, list[Cue]]
) -> str:
    """'“Page A” hedges the same claim (“may”); this wording drops that hedge.' (or 'and 2 other
    articles hedge')."""
    first = kept[0]
    others = list(dict.fromkeys(h.source for h in kept if h.source != first.source))
    keepers = label(corpus, first.source)
    if others:
        all_articles = all(
            (s := corpus.sources.get(sid)) is not None and is_article(s) for sid in others
        )
        keepers += " and " + plural(
            len(others), "other " + ("article" if all_articles else "source")
        )
    verb = "hedge" if others else "hedges"
    return (
        f"{keepers} {verb} the same claim ({_hedges(cues[first.index])}); "
        "this wording drops that hedge."
    )


def _underclaims(corpus: Corpus, claim: Claim, cues: dict[int, list[Cue]]) -> list[AuditFinding]:
    """AU108: a hedge on an established fact (a note, not a fault)."""
    if claim.rank != TOP_RANK:
        return []
    out = []
    for a in claim.sources:
        if not is_flat(cues[a.index]):
            message = (
                f"{label(corpus, a.source)} writes {words(a.quote)} with a hedge "
                f"({_hedges(cues[a.index])}), for {claim_named(claim)}, whose evidence is "
                f"{level_phrase(claim)}: it could be stated plainly."
            )
            out.append(assertion_finding("AU108", claim, a, cues[a.index], message))
    return out


def _rhetoric(corpus: Corpus, claim: Claim, cues: dict[int, list[Cue]]) -> list[AuditFinding]:
    """AU107: every use of a rhetoric claim, naming the source and its words."""
    out = []
    for a in claim.sources:
        found = cues[a.index]
        boosters = [c.text for c in found if c.kind == "booster"]
        message = (
            f"{label(corpus, a.source)} says {words(a.quote)}: a figure of speech that no study "
            "can test, set among claims about the brain."
        )
        if boosters:
            message += " It is dressed as science (" + ", ".join(f"“{b}”" for b in boosters) + ")."
        elif any(c.kind == "hedge" for c in found):
            message += f" The softening ({_hedges(found)}) does not make it testable."
        out.append(assertion_finding("AU107", claim, a, found, message))
    return out
