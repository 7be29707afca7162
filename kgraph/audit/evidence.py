"""Audit rules on a claim's evidence base: AU103 echo, AU104 weak link, AU106 extrapolated,
AU109 a level stated by override, AU110 a claim every source only implies.

Claim-wide findings (not about one source's words), located at the part of the claim's file they
concern. Extrapolation is decided by `kgraph.audit.populations`.
"""

from __future__ import annotations

from kgraph import vocab
from kgraph.audit.articles import asserting_articles, shared_origins
from kgraph.audit.chains import weakest_chains
from kgraph.audit.codes import AUDIT_CODES
from kgraph.audit.populations import Populations
from kgraph.audit.report import AuditFinding
from kgraph.audit.terms import label, level_phrase, statement
from kgraph.corpus.grade import derivation
from kgraph.corpus.model import Claim, Corpus


def claim_finding(
    code: str, claim: Claim, keys: tuple[str, ...], message: str, chain: tuple[str, ...] = ()
) -> AuditFinding:
    line, _ = claim.origin.at(*keys)
    return AuditFinding(
        code=code,
        severity=AUDIT_CODES[code].severity,
        message=message,
        claim=claim.id,
        source=None,
        quote=None,
        cues=(),
        chain=chain,
        path=claim.origin.path,
        line=line,
    )


def evidence_findings(corpus: Corpus) -> list[AuditFinding]:
    out: list[AuditFinding] = []
    populations = Populations(corpus)
    chains = weakest_chains(corpus)
    for cid in sorted(corpus.claims):
        claim = corpus.claims[cid]
        read_into = _read_into(claim)
        if read_into is not None:
            out.append(read_into)
        if claim.rank is None:
            continue
        found = (
            _echo(corpus, claim),
            _weak_link(corpus, claim, chains.get(cid)),
            _extrapolated(corpus, claim, populations.gaps(claim)),
            _overridden(corpus, claim),
        )
        out += [f for f in found if f is not None]
    return out


def _echo(corpus: Corpus, claim: Claim) -> AuditFinding | None:
    """AU103: two or more articles assert a claim at ES-2 or lower (vocab.ECHO_MAX_RANK)."""
    if claim.rank is None or claim.rank > vocab.ECHO_MAX_RANK:
        return None
    articles = asserting_articles(corpus, claim)
    if len(articles) < 2:
        return None
    names = ", ".join(label(corpus, sid) for sid in articles)
    message = (
        f"{len(articles)} articles ({names}) assert {statement(claim)}, but the evidence is only "
        f"{claim.level} ({vocab.LEVEL_BY_VALUE[claim.level or ''].name}): repetition is not "
        "confirmation."
    )
    shared = shared_origins(corpus, articles)
    if shared:
        message += " They are not independent: " + "; ".join(shared) + "."
    return claim_finding("AU103", claim, ("sources",), message)


def _weak_link(corpus: Corpus, claim: Claim, chain: tuple[str, ...] | None) -> AuditFinding | None:
    """AU104: graded above the weakest premise in its depends_on closure."""
    if chain is None or claim.rank is None:
        return None
    weakest = corpus.claims[chain[-1]]
    if weakest.rank is None or weakest.rank >= claim.rank:
        return None
    steps = len(chain) - 2
    via = f", by way of {steps} other claim{'s' if steps > 1 else ''}," if steps else ""
    message = (
        f"{statement(claim)} is graded {claim.level}, but it rests{via} on "
        f"{statement(weakest)}, which is only {level_phrase(weakest)}: a chain of reasoning is "
        "only as strong as its weakest link."
    )
    return claim_finding("AU104", claim, ("depends_on",), message, chain)


def _extrapolated(corpus: Corpus, claim: Claim, gaps: list[str]) -> AuditFinding | None:
    """AU106: the evidence is indirect (animals, healthy volunteers, ...) for a patient claim."""
    if not gaps or claim.evidence is None:
        return None
    message = (
        f"{statement(claim)} is about patients, but the evidence comes only from "
        f"{_and(gaps)}; what holds there may not hold for patients."
    )
    keys = ("evidence", "indirectness") if claim.evidence.indirectness else ("evidence",)
    return claim_finding("AU106", claim, keys, message)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _overridden(corpus: Corpus, claim: Claim) -> AuditFinding | None:
    """AU109: the stated level is kept by an argued override, not derived."""
    ev = claim.evidence
    if ev is None or not ev.override or ev.override == vocab.UNKNOWN:
        return None
    d = derivation(claim, corpus)
    if d is None or d.level is None or d.level == claim.level:
        return None
    message = (
        f"{statement(claim)} is stated {claim.level}, but the grading rules derive {d.level} "
        f"({d.explanation.split(': ', 1)[-1]}). The override argues: {ev.override}"
    )
    return claim_finding("AU109", claim, ("evidence", "override"), message)


_READING_WORDS = {"implicature": "implies it", "heading": "a heading", "list": "a list item"}


def _read_into(claim: Claim) -> AuditFinding | None:
    """AU110: every source's quote carries the claim only as a reading, none literally."""
    if not claim.sources or not all(a.is_reading for a in claim.sources):
        return None
    how = sorted({_READING_WORDS.get(a.reading, a.reading) for a in claim.sources})
    message = (
        f"No source says {statement(claim)} in so many words: "
        f"{'each quote is' if len(claim.sources) > 1 else 'the quote is'} {_and(how)}. "
        "The claim is a reading of the article; check it against the quote before citing it."
    )
    return claim_finding("AU110", claim, ("sources",), message)
