"""An `AuditReport` as text for people, Markdown for pages and pull requests, or JSON for tools.

Last stage for `kgraph audit`; the site renders its own audit page from the same report.
"""

from __future__ import annotations

import json
import re

from kgraph.audit.codes import AUDIT_CODES, severity_rank
from kgraph.audit.report import AuditFinding, AuditReport, Scorecard
from kgraph.audit.run import LEVEL_KEYS
from kgraph.audit.terms import plural
from kgraph.corpus.model import Corpus
from kgraph.text.hedges import find_cues

FORMATS: tuple[str, ...] = ("text", "markdown", "json")


def render_audit(report: AuditReport, corpus: Corpus, fmt: str) -> str:
    """Render the report; `fmt` is one of FORMATS."""
    if fmt == "json":
        return _json(report, corpus)
    if fmt == "markdown":
        return _markdown(report, corpus)
    if fmt == "text":
        return _text(report, corpus)
    raise ValueError(f"unknown audit format {fmt!r}: choose one of {', '.join(FORMATS)}")


def summary(report: AuditReport, corpus: Corpus) -> str:
    """The audit in one line: '4 articles, 110 claims: 2 errors, 40 warnings, 188 info' (and
    what the filters left out); the text, the Markdown and the site's audit page open with it."""
    counts = report.counts()
    names = {"error": "error", "warning": "warning"}
    shown = [
        plural(counts[sev], names[sev]) if sev in names else f"{counts[sev]} {sev}"
        for sev in counts
        if counts[sev] or sev not in report.not_shown
    ]
    text = (
        f"{plural(len(report.scorecards), 'article')}, {plural(len(corpus.claims), 'claim')}: "
        + (", ".join(shown) or "no findings")
    )
    if report.not_shown:
        hidden = ", ".join(
            plural(n, names[sev]) if sev in names else f"{n} {sev}"
            for sev, n in report.not_shown.items()
        )
        least = max(report.not_shown, key=severity_rank)
        text += f" ({hidden} not shown: list them with --severity {least})"
    return text


def also(f: AuditFinding) -> str:
    """'(also AU102 dropped-hedge)' for a finding that folds in more codes, else ''."""
    if not f.also:
        return ""
    return "(also " + ", ".join(f"{c} {AUDIT_CODES[c].name}" for c in f.also) + ")"


def _name(f: AuditFinding) -> str:
    """'overclaim', or 'overclaim (also AU102 dropped-hedge)' when more codes apply."""
    return f"{f.name} {also(f)}" if f.also else f.name


def _levels(card: Scorecard) -> str:
    return ", ".join(f"{k} {card.share(k):.0%} ({card.by_level[k]})" for k in LEVEL_KEYS)


def _weakest(card: Scorecard, corpus: Corpus) -> str:
    parts = [f"{cid} ({corpus.claims[cid].level})" for cid in card.weakest]
    return ", ".join(parts) if parts else "none"


def _cues(f: AuditFinding) -> str:
    if not f.cues:
        return "none"
    # Each cue's kind, found again in its own short text (cheaper than the whole quote).
    kinds = [next((c.kind for c in find_cues(text)), "hedge") for text in f.cues]
    return ", ".join(f"{text} ({kind})" for text, kind in zip(f.cues, kinds, strict=True))


def _text(report: AuditReport, corpus: Corpus) -> str:
    lines = [f"kgraph audit: {summary(report, corpus)}", "", "Scorecards", "----------"]
    for sid, card in report.scorecards.items():
        lines += [
            f"{corpus.sources[sid].display} ({sid})",
            f"  {plural(card.n_claims, 'claim')}: {_levels(card)}",
            f"  overclaims: {card.overclaims}   dropped hedges: {card.dropped_hedges}",
            f"  weakest: {_weakest(card, corpus)}",
            "",
        ]
    lines += ["Findings", "--------"]
    # Errors first, then warnings, then info; by file and line within each.
    for f in sorted(report.findings, key=lambda f: severity_rank(f.severity)):
        about = ", ".join(x for x in (f.claim, f.source) if x)
        lines.append(f"{f.path}:{f.line}: {f.code} {f.severity} {_name(f)} [{about}]: {f.message}")
        if f.quote is not None:
            lines.append(f"    quote: “{f.quote}”   cues: {_cues(f)}")
        if f.chain:
            lines.append(f"    chain: {' -> '.join(f.chain)}")
    lines += ["", "By code", "-------"]
    for code, spec in AUDIT_CODES.items():
        n = sum(1 for f in report.findings if code in f.codes)
        lines.append(f"{code} {spec.name:<22} {spec.severity:<8} {n}")
    return "\n".join(lines)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: str) -> str:
    """Escape Markdown's special characters in text taken from the corpus."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def _markdown(report: AuditReport, corpus: Corpus) -> str:
    lines = ["# Audit", "", md(summary(report, corpus)), "", "## Scorecards", ""]
    header = ["article", "claims", *LEVEL_KEYS, "overclaims", "dropped hedges", "weakest"]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for sid, card in report.scorecards.items():
        cells = [
            md(corpus.sources[sid].display),
            str(card.n_claims),
            *(f"{card.by_level[k]} ({card.share(k):.0%})" for k in LEVEL_KEYS),
            str(card.overclaims),
            str(card.dropped_hedges),
            ", ".join(f"`{cid}`" for cid in card.weakest) or "none",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "## Findings by code"]
    for code, findings in report.by_code().items():
        spec = AUDIT_CODES[code]
        lines += ["", f"### {code} {spec.name} ({spec.severity}): {len(findings)}", ""]
        lines += [md(spec.meaning), ""]
        for f in findings:
            about = " · ".join(f"`{x}`" for x in (f.claim, f.source) if x)
            also = f" (also {', '.join(f.also)})" if f.also else ""
            lines.append(f"- {about}{also}: {md(f.message)} (`{f.path}:{f.line}`)")
            if f.quote is not None:
                lines.append(f"  > {md(f.quote)}")
            if f.chain:
                lines.append("  chain: " + " → ".join(f"`{c}`" for c in f.chain))
    return "\n".join(lines) + "\n"


def _json(report: AuditReport, corpus: Corpus) -> str:
    payload = {
        "summary": {
            "articles": len(report.scorecards),
            "claims": len(corpus.claims),
            **report.counts(),
            "not_shown": dict(report.not_shown),
            "by_code": {
                code: n
                for code in AUDIT_CODES
                if (n := sum(1 for f in report.findings if code in f.codes))
            },
        },
        "codes": {
            c.code: {"name": c.name, "severity": c.severity, "meaning": c.meaning}
            for c in AUDIT_CODES.values()
        },
        "scorecards": [card.to_dict() for card in report.scorecards.values()],
        "findings": [f.to_dict() for f in report.findings],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)
