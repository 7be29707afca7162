"""The writers' tools' output: `kgraph find` matches and `kgraph draft` reports, as text, Markdown
or JSON.

Last step of both commands: matches or a `DraftReport` -> string. Output is deterministic for the
same text and corpus (no timestamps), so a CI job can compare runs.
"""

from __future__ import annotations

import json

from kgraph.corpus.model import Corpus
from kgraph.writers.cite import short_label
from kgraph.writers.draft import VERDICTS, DraftReport, SentenceCheck
from kgraph.writers.find import Match, Rejection

FORMATS = ("text", "markdown", "json")
MAX_REFERENCES = 3  # shown per sentence in text and Markdown; JSON has them all


def render_draft(report: DraftReport, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return _markdown(report)
    if fmt == "text":
        return _text(report)
    raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")


def summary_line(report: DraftReport) -> str:
    counts = report.counts()
    parts = ", ".join(f"{counts[v]} {v}" for v in VERDICTS)
    return f"{len(report.sentences)} sentence(s): {parts}"


def _claim_line(s: SentenceCheck) -> str:
    m = s.match
    if m is None:
        return ""
    level = f"{m.level} {m.direction}" if m.level else "no level"
    return f"{m.claim_id} [{level}] (score {m.score:g}): {m.statement}"


def _text(report: DraftReport) -> str:
    lines = []
    for s in report.sentences:
        lines.append(f"{report.path}:{s.line}: {s.verdict}: {s.text}")
        if s.match:
            lines.append(f"    claim: {_claim_line(s)}")
        lines.append(f"    why: {s.reason}")
        for ref in s.references[:MAX_REFERENCES]:
            lines.append(f"    cite: {ref.label} ({ref.source}; {ref.kind}, {ref.direction})")
        if len(s.references) > MAX_REFERENCES:
            lines.append(f"    cite: ... {len(s.references) - MAX_REFERENCES} more (--format json)")
        if s.match and s.verdict not in ("rhetoric",) and not s.references:
            lines.append("    cite: no primary reference to cite")
        if s.suggestion:
            lines.append(f"    suggest: {s.suggestion}")
        for a in s.also:
            lines.append(
                f"    also matches: {a.claim_id} [{a.level or 'no level'}] (score {a.score:g})"
            )
        for r in s.rejected:
            lines.append(f"    not matched: {r.claim_id}: {r.reason}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(report: DraftReport) -> str:
    counts = report.counts()
    lines = [f"# Draft check: {report.path}", "", "| verdict | sentences |", "|---|---|"]
    lines += [f"| {v} | {counts[v]} |" for v in VERDICTS]
    lines += [
        "",
        "| line | verdict | sentence | claim | level | cite |",
        "|---|---|---|---|---|---|",
    ]
    for s in report.sentences:
        m = s.match
        claim = f"`{m.claim_id}`" if m else ""
        level = f"{m.level} {m.direction}" if m and m.level else ""
        cite = "; ".join(r.label for r in s.references[:MAX_REFERENCES])
        lines.append(
            f"| {s.line} | {s.verdict} | {_cell(s.text)} | {claim} | {level} | {_cell(cite)} |"
        )
    suggestions = [s for s in report.sentences if s.suggestion]
    if suggestions:
        lines += ["", "## Suggested wording", ""]
        for s in suggestions:
            lines.append(f"- line {s.line}: {s.suggestion}")
            lines.append(f"  (was: {s.text})")
    nearly = [s for s in report.sentences if s.rejected]
    if nearly:
        lines += ["", "## Nearly matched", ""]
        for s in nearly:
            lines.append(f"- line {s.line}: {s.text}")
            lines += [f"  - `{r.claim_id}`: {r.reason}" for r in s.rejected]
    cited = {r.source: r for s in report.sentences for r in s.references}
    if cited:
        lines += ["", "## References", ""]
        lines += [f"- {cited[k].reference}" for k in sorted(cited)]
    return "\n".join(lines) + "\n"


def render_matches(
    corpus: Corpus,
    text: str,
    matches: list[Match],
    threshold: float,
    fmt: str,
    rejected: list[Rejection] | None = None,
) -> str:
    """`kgraph find` output: the claims a text matches, best first, with level and references;
    with `rejected` (--explain), the claims it nearly matched and why not."""
    if fmt == "json":
        payload: dict[str, object] = {
            "text": text,
            "threshold": threshold,
            "matches": [m.to_dict() for m in matches],
        }
        if rejected is not None:
            payload["rejected"] = [r.to_dict() for r in rejected]
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r}: expected text or json")
    lines = _match_lines(corpus, matches, threshold)
    if rejected:
        lines.append("nearly matched, but not reported:")
        for r in rejected:
            lines.append(f"- {r.claim_id}: {r.reason}")
            lines.append(f"   {r.statement}")
    elif rejected is not None:
        lines.append("no other claim came close")
    return "\n".join(lines) + "\n"


def _match_lines(corpus: Corpus, matches: list[Match], threshold: float) -> list[str]:
    if not matches:
        return [f"no claim matches at score {threshold:g} or above: the text is unchecked"]
    lines = []
    for rank, m in enumerate(matches, start=1):
        level = f"{m.level} {m.direction}" if m.level else "rhetoric, no level"
        lines.append(f"{rank}. {m.claim_id}  score {m.score:g}  [{level}]")
        lines.append(f"   {m.statement}")
        lines.append(f"   why: {'; '.join(m.why)}")
        refs = [short_label(corpus.sources[r]) for r in m.references[:MAX_REFERENCES]]
        more = len(m.references) - len(refs)
        cite = "; ".join(refs) + (f"; and {more} more" if more > 0 else "")
        lines.append(f"   cite: {cite or 'no primary reference'}")
    return lines
