"""The audit page: findings by article and by code, the echo chart, and each article's profile.

Reads the `AuditReport` from `kgraph.audit` and the SVG charts from `kgraph.site.charts` (which
escape every corpus text they draw); every finding links to its claim's page.
"""

from __future__ import annotations

from markupsafe import Markup

from kgraph.audit import AUDIT_CODES, LEVEL_KEYS, summary
from kgraph.site.charts import echo_chart_svg
from kgraph.site.context import Site
from kgraph.site.links import page_path
from kgraph.site.render import Renderer


def write_audit_page(r: Renderer, site: Site) -> None:
    corpus = site.corpus
    audit = site.audit
    if audit is None:
        r.page("audit.html", "audit.html", title="Audit", audited=False)
        return
    by_article = []
    placed: set[int] = set()
    for sid in sorted(audit.scorecards):
        hits = site.source_findings(sid)
        placed |= {id(f) for f in hits}
        card = audit.scorecards[sid]
        by_article.append(
            {
                "source": corpus.sources[sid],
                "card": card,
                "weakest": site.claims(card.weakest),
                "profile": site.evidence_profile(sid),
                "findings": [site.finding_item(f) for f in hits],
            }
        )
    other = [site.finding_item(f) for f in audit.findings if id(f) not in placed]
    by_code = [
        {"code": code, "spec": AUDIT_CODES[code], "findings": [site.finding_item(f) for f in hits]}
        for code, hits in audit.by_code().items()
    ]
    r.page(
        "audit.html",
        "audit.html",
        title="Audit",
        audited=True,
        summary=summary(audit, corpus),
        by_article=by_article,
        other=other,
        by_code=by_code,
        level_keys=LEVEL_KEYS,
        echo_chart=Markup(echo_chart_svg(corpus, href=lambda cid: page_path("claim", cid))),
    )
