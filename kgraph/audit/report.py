"""The audit's result types: located findings, per-article scorecards, and the report holding both.

Produced by `kgraph.audit.run_audit`; read by the renderers, the CLI and the site's audit page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kgraph.audit.codes import AUDIT_CODES, SEVERITIES, severity_rank

# `--fail-on` thresholds: never fail, or fail on any finding at this severity or worse.
FAIL_ON: tuple[str, ...] = ("never", "error", "warning")


@dataclass(frozen=True)
class AuditFinding:
    """One thing a careful reader should know about a claim, a source or a record."""

    code: str
    severity: str
    message: str  # one or two sentences a non-specialist can follow
    claim: str | None
    source: str | None
    quote: str | None
    cues: tuple[str, ...]  # hedge and booster cues found in the quote, in order
    chain: tuple[str, ...]  # claim ids from the claim to its weakest premise (weak links)
    path: str  # the claim's file (or the record's, for bookkeeping)
    line: int
    # Other codes that apply to the same words (an overclaim that is also a dropped hedge):
    # one problem is one finding, with every reason in its message.
    also: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """The finding's code, then the others that apply to the same words."""
        return (self.code, *self.also)

    @property
    def name(self) -> str:
        return AUDIT_CODES[self.code].name

    def sort_key(self) -> tuple[str, int, str, str, str, str]:
        return (self.path, self.line, self.code, self.claim or "", self.source or "", self.message)

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "claim": self.claim,
            "source": self.source,
            "quote": self.quote,
            "cues": list(self.cues),
            "chain": list(self.chain),
            "also": list(self.also),
            "path": self.path,
            "line": self.line,
        }


@dataclass
class Scorecard:
    """One article at a glance: its claims by evidence level, and where its wording goes wrong."""

    source: str
    n_claims: int
    by_level: dict[str, int]  # ES level (and ungraded kind, e.g. rhetoric) -> number of claims
    overclaims: int
    dropped_hedges: int
    weakest: list[str]  # up to three claim ids, weakest first

    def share(self, key: str) -> float:
        """Fraction of the article's claims at one level (0.0 when it asserts none)."""
        return self.by_level.get(key, 0) / self.n_claims if self.n_claims else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "n_claims": self.n_claims,
            "by_level": dict(self.by_level),
            "overclaims": self.overclaims,
            "dropped_hedges": self.dropped_hedges,
            "weakest": list(self.weakest),
        }


@dataclass
class AuditReport:
    """Every audit finding (sorted by file and line) and a scorecard per article."""

    findings: list[AuditFinding] = field(default_factory=list)
    scorecards: dict[str, Scorecard] = field(default_factory=dict)
    # claim id -> ids of the sources asserting it, so a source's page can list claim-level findings.
    asserted_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # severity -> findings a `filtered` report leaves out for their severity alone.
    not_shown: dict[str, int] = field(default_factory=dict)

    # Indexes for the site's one-page-per-claim lookups, rebuilt if the findings list changes.
    _index: tuple[int, int, dict[str, list[int]], dict[str, list[int]]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def _indexes(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        key = (id(self.findings), len(self.findings))
        if self._index is None or self._index[:2] != key:
            by_claim: dict[str, list[int]] = {}
            by_source: dict[str, list[int]] = {}
            for i, f in enumerate(self.findings):
                if f.claim is not None:
                    by_claim.setdefault(f.claim, []).append(i)
                if f.source is not None:
                    by_source.setdefault(f.source, []).append(i)
                elif f.claim is not None:
                    for sid in self.asserted_by.get(f.claim, ()):
                        by_source.setdefault(sid, []).append(i)
            self._index = (*key, by_claim, by_source)
        return self._index[2], self._index[3]

    def for_claim(self, claim_id: str) -> list[AuditFinding]:
        """Every finding about one claim, in report order."""
        return [self.findings[i] for i in self._indexes()[0].get(claim_id, [])]

    def for_source(self, source_id: str) -> list[AuditFinding]:
        """Findings on this source's own words, and claim-wide findings on claims it asserts."""
        return [self.findings[i] for i in self._indexes()[1].get(source_id, [])]

    def filtered(
        self,
        *,
        severity: str = SEVERITIES[-1],
        codes: Iterable[str] = (),
        articles: Iterable[str] = (),
    ) -> AuditReport:
        """The findings at `severity` or worse, with one of `codes` (any, when empty; a finding
        matches on its code or its `also`), and about one of `articles` (their own words, or a
        claim they assert; any, when empty). Scorecards are kept for the chosen articles only.
        `not_shown` counts, per severity, the findings left out for their severity alone.
        """
        wanted_codes = set(codes)
        wanted_articles = set(articles)
        limit = severity_rank(severity)
        shown: list[AuditFinding] = []
        hidden = dict.fromkeys(SEVERITIES, 0)
        for f in self.findings:
            if wanted_codes and wanted_codes.isdisjoint(f.codes):
                continue
            if wanted_articles and not self._about(f, wanted_articles):
                continue
            if severity_rank(f.severity) > limit:
                hidden[f.severity] += 1
                continue
            shown.append(f)
        cards = {
            sid: card
            for sid, card in self.scorecards.items()
            if not wanted_articles or sid in wanted_articles
        }
        return AuditReport(
            findings=shown,
            scorecards=cards,
            asserted_by=self.asserted_by,
            not_shown={k: n for k, n in hidden.items() if n},
        )

    def _about(self, f: AuditFinding, sources: set[str]) -> bool:
        if f.source is not None:
            return f.source in sources
        return f.claim is not None and not sources.isdisjoint(self.asserted_by.get(f.claim, ()))

    def by_code(self) -> dict[str, list[AuditFinding]]:
        """Findings grouped by code, in the code table's order (codes with none are left out)."""
        groups: dict[str, list[AuditFinding]] = {}
        for code in AUDIT_CODES:
            hits = [f for f in self.findings if f.code == code]
            if hits:
                groups[code] = hits
        return groups

    def counts(self) -> dict[str, int]:
        """Number of findings per severity, every severity present."""
        out = dict.fromkeys(SEVERITIES, 0)
        for f in self.findings:
            out[f.severity] += 1
        return out

    def worst_severity(self) -> str | None:
        if not self.findings:
            return None
        return min((f.severity for f in self.findings), key=severity_rank)

    def fails(self, fail_on: str) -> bool:
        """Whether a CI run should fail: `never`, or any finding at `fail_on` severity or worse."""
        if fail_on == "never":
            return False
        limit = severity_rank(fail_on)
        return any(severity_rank(f.severity) <= limit for f in self.findings)
