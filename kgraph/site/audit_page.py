"""The audit pages: an overview (counts by article and by code, the echo chart), a page per
article (its scorecard, its findings grouped by claim) and a page per code (its findings grouped
by article), each with filters by severity, code and words.

Reads the `AuditReport` from `kgraph.audit` and the SVG charts from `kgraph.site.charts` (which
escape every corpus text they draw); every finding links to its claim's page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from kgraph.audit import AUDIT_CODES, LEVEL_KEYS, SEVERITIES, AuditFinding, summary
from kgraph.audit.codes import severity_rank
from kgraph.corpus.model import Claim, Source
from kgraph.site.charts import echo_chart_svg
from kgraph.site.context import Site
from kgraph.site.links import audit_article_path, audit_code_path, page_path
from kgraph.site.render import Renderer

# The findings not about one article (bookkeeping, claim-wide rules) have this page; no
# record id can take its name (ids are slugs, without "_").
OTHER = "_other"


@dataclass
class Group:
    """Findings about one record (a claim, or an article), shown as one collapsed block."""

    key: str
    claim: Claim | None = None
    source: Source | None = None
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(SEVERITIES, 0)
        for item in self.items:
            out[item["f"].severity] += 1
        return {sev: n for sev, n in out.items() if n}

    @property
    def codes(self) -> list[str]:
        return sorted({code for item in self.items for code in item["f"].codes})

    @property
    def worst(self) -> int:
        return min(severity_rank(item["f"].severity) for item in self.items)


def _grouped(
    site: Site, findings: list[AuditFinding], key: Callable[[AuditFinding], str]
) -> list[Group]:
    """Findings in groups, the groups with the most severe findings first, then the most."""
    groups: dict[str, Group] = {}
    for f in findings:
        k = key(f)
        if k not in groups:
            groups[k] = Group(
                k,
                claim=site.corpus.claims.get(f.claim) if f.claim and k == f.claim else None,
                source=site.corpus.sources.get(k),
            )
        groups[k].items.append(site.finding_item(f))
    return sorted(groups.values(), key=lambda g: (g.worst, -len(g.items), g.key))


def _severity_counts(findings: list[AuditFinding]) -> dict[str, int]:
    out = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        out[f.severity] += 1
    return out


def write_audit_page(r: Renderer, site: Site) -> None:
    corpus = site.corpus
    audit = site.audit
    if audit is None:
        r.page("audit.html", "audit.html", title="Audit", audited=False)
        return
    articles = []
    placed: set[int] = set()
    for sid in sorted(audit.scorecards):
        hits = site.source_findings(sid)
        placed |= {id(f) for f in hits}
        card = audit.scorecards[sid]
        groups = _grouped(site, hits, lambda f: f.claim or f.source or "")
        row = {
            "source": corpus.sources[sid],
            "path": audit_article_path(sid),
            "card": card,
            "counts": _severity_counts(hits),
            "n": len(hits),
        }
        articles.append(row)
        r.page(
            audit_article_path(sid),
            "audit_article.html",
            title=f"Audit: {corpus.sources[sid].display}",
            source=corpus.sources[sid],
            card=card,
            weakest=site.claims(card.weakest),
            profile=site.evidence_profile(sid),
            groups=groups,
            n_findings=len(hits),
            codes=sorted({c for f in hits for c in f.codes}),
            severities=SEVERITIES,
            level_keys=LEVEL_KEYS,
        )
    other = [f for f in audit.findings if id(f) not in placed]
    if other:
        r.page(
            audit_article_path(OTHER),
            "audit_article.html",
            title="Audit: findings not about one article",
            source=None,
            groups=_grouped(site, other, lambda f: f.claim or f.source or f.path),
            n_findings=len(other),
            codes=sorted({c for f in other for c in f.codes}),
            severities=SEVERITIES,
        )
    codes = []
    for code, hits in audit.by_code().items():
        spec = AUDIT_CODES[code]
        codes.append({"code": code, "spec": spec, "n": len(hits), "path": audit_code_path(code)})
        r.page(
            audit_code_path(code),
            "audit_code.html",
            title=f"Audit: {code} {spec.name}",
            code=code,
            spec=spec,
            groups=_grouped(site, hits, lambda f: f.source if f.source in corpus.sources else ""),
            n_findings=len(hits),
            severities=SEVERITIES,
        )
    r.page(
        "audit.html",
        "audit.html",
        title="Audit",
        audited=True,
        summary=summary(audit, corpus),
        articles=articles,
        other=(
            {"n": len(other), "counts": _severity_counts(other), "path": audit_article_path(OTHER)}
            if other
            else None
        ),
        codes=codes,
        severities=SEVERITIES,
        echo_chart=Markup(echo_chart_svg(corpus, href=lambda cid: page_path("claim", cid))),
    )
