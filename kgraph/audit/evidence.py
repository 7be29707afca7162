"""Audit rules on a claim's evidence base: AU103 echo, AU104 weak link, AU106 extrapolated.

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
        if claim.rank is None:
            continue
        found = (
            _echo(corpus, claim),
            _weak_link(corpus, claim, chains.get(cid)),
            _extrapolated(corpus, claim, populations.gaps(claim)),
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
