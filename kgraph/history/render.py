"""A `CorpusDiff` as text for people, Markdown for a pull-request comment, or JSON for tools.

Text and Markdown list the audit's errors and warnings that appear or disappear and count its
info findings; JSON carries every one.
"""

from __future__ import annotations

import json

from kgraph.history.compare import ClaimChange, CorpusDiff

FORMATS: tuple[str, ...] = ("text", "markdown", "json")


def render_diff(result: CorpusDiff, fmt: str) -> str:
    """Render the diff; `fmt` is one of FORMATS."""
    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return _markdown(result)
    if fmt == "text":
        return _text(result)
    raise ValueError(f"unknown diff format {fmt!r}: choose one of {', '.join(FORMATS)}")


def summary(result: CorpusDiff) -> str:
    """'2 added, 1 removed, 1 merged, 3 changed (2 regraded); audit: 1 appears, 0 disappear'."""
    n = result.counts()
    parts = [f"{n[k]} {k}" for k in ("added", "removed", "renamed", "merged", "split") if n[k]]
    parts.append(f"{n['changed']} changed ({n['regraded']} regraded)")
    return (
        ", ".join(parts)
        + f"; audit findings: {n['audit_appears']} appear, {n['audit_disappears']} disappear"
    )


def _side(side: dict[str, object]) -> str:
    errors = side["check_errors"]
    extra = f", {errors} check error(s)" if errors else ""
    return f"{side['label']} ({side['claims']} claims{extra})"


def _level(change: ClaimChange) -> str:
    """'level ES-3 -> ES-4 (rises 1), direction mixed -> supports, because: ...'."""
    old, new = change.level
    parts = []
    if old != new:
        moved = f" (rises {change.rise})" if change.rise > 0 else ""
        moved = f" (falls {-change.rise})" if change.rise < 0 else moved
        parts.append(f"level {old or 'ungraded'} -> {new or 'ungraded'}{moved}")
    if change.direction[0] != change.direction[1]:
        parts.append(
            f"direction {change.direction[0] or 'none'} -> {change.direction[1] or 'none'}"
        )
    reasons = change.reasons()
    why = ", ".join(reasons) if reasons else "nothing the grade rests on (only the stated grade)"
    return ", ".join(parts) + f"; changed: {why}"


def _details(change: ClaimChange, code: str = "") -> list[str]:
    """One line per part of the record that changed (code: '`' in Markdown)."""

    def q(value: str) -> str:
        return f"{code}{value}{code}"

    lines = []
    if change.old_id != change.id:
        lines.append(f"renamed from {q(change.old_id)}")
    if change.regraded:
        lines.append(_level(change))
    if change.references_added:
        lines.append("references added: " + ", ".join(map(q, change.references_added)))
    if change.references_dropped:
        lines.append("references dropped: " + ", ".join(map(q, change.references_dropped)))
    for s, o, n in change.reference_directions:
        lines.append(f"reference {q(s)} direction: {o} -> {n}")
    for s, o, n in change.designs:
        lines.append(f"study {q(s)} design: {o} -> {n}")
    for d, o, n in change.domains:
        lines.append(f"GRADE {d}: {o} -> {n}")
    if change.search:
        lines.append(f"search record: {change.search}")
    if change.override is not None:
        lines.append(f"override: {change.override[0] or 'none'} -> {change.override[1] or 'none'}")
    if change.statement is not None:
        lines.append(f'statement: "{change.statement[0]}" -> "{change.statement[1]}"')
    if change.kind is not None:
        lines.append(f"kind: {change.kind[0]} -> {change.kind[1]}")
    if change.sources_added:
        lines.append("sources added: " + ", ".join(map(q, change.sources_added)))
    if change.sources_dropped:
        lines.append("sources dropped: " + ", ".join(map(q, change.sources_dropped)))
    for s, o, n in change.quotes:
        if o and n:
            lines.append(f'quote of {q(s)} changed: "{o}" -> "{n}"')
        elif n:
            lines.append(f'quote of {q(s)} added: "{n}"')
        else:
            lines.append(f'quote of {q(s)} dropped: "{o}"')
    return lines


def _shown_audit(result: CorpusDiff) -> tuple[list[str], int]:
    shown = [a for a in result.audit if a.severity in ("error", "warning")]
    lines = [
        f"{'+' if a.change == 'appears' else '-'} {a.code} {a.severity} "
        f"{a.claim or a.source or a.where} ({a.where}): {a.message}"
        for a in shown
    ]
    return lines, len(result.audit) - len(shown)


def _text(result: CorpusDiff) -> str:
    out = [f"kgraph diff {_side(result.old)} -> {_side(result.new)}", summary(result), ""]
    for cid, grade, statement in result.added:
        out.append(f"added    {cid}: {grade}: {statement}")
    for cid, grade, statement in result.removed:
        out.append(f"removed  {cid}: {grade}: {statement} (its quotes are in no claim now)")
    for old, new, quotes in result.renamed:
        out.append(f"renamed  {old} -> {new} ({quotes} quote(s) followed)")
    for old, target, followed, of in result.merged:
        out.append(f"merged   {old} into {target} ({followed} of {of} quote(s) followed)")
    for old, pieces in result.split:
        out.append(f"split    {old} into {', '.join(pieces)}")
    for change in result.changed:
        out.append(f"changed  {change.id}")
        out += [f"  {line}" for line in _details(change)]
    if result.sources_added or result.sources_dropped:
        out.append(
            f"source records added: {', '.join(result.sources_added) or 'none'}; "
            f"dropped: {', '.join(result.sources_dropped) or 'none'}"
        )
    audit_lines, info = _shown_audit(result)
    if audit_lines or info:
        out.append("audit findings (+ appears, - disappears):")
        out += [f"  {line}" for line in audit_lines]
        if info:
            out.append(f"  and {info} info finding(s) (listed with --format json)")
    out.append(_rules_line(result))
    return "\n".join(out) + "\n"


def _rules_line(result: CorpusDiff) -> str:
    if not result.rules:
        return "rules: none checked"
    if not result.broken:
        return f"rules kept: {', '.join(result.rules)}"
    return "\n".join(f"rule broken: {b.rule}: {b.message}" for b in result.broken)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(result: CorpusDiff) -> str:
    out = [
        f"### kgraph diff: `{result.old['label']}` → `{result.new['label']}`",
        "",
        f"{_side(result.old)} → {_side(result.new)}: {summary(result)}.",
        "",
    ]
    if result.broken:
        out += [f"- **Rule broken: {b.rule}**: {_cell(b.message)}" for b in result.broken]
        out.append("")
    rows = [("added", f"`{c}`", "", f"{g}: {_cell(s)}") for c, g, s in result.added]
    rows += [("removed", f"`{c}`", f"{g}: {_cell(s)}", "") for c, g, s in result.removed]
    rows += [("renamed", f"`{o}`", "", f"`{n}` ({q} quote(s))") for o, n, q in result.renamed]
    rows += [
        ("merged", f"`{o}`", "", f"into `{t}` ({f} of {n} quote(s))")
        for o, t, f, n in result.merged
    ]
    rows += [
        ("split", f"`{o}`", "", "into " + ", ".join(f"`{i}`" for i in into))
        for o, into in result.split
    ]
    if rows:
        out += ["| | claim | before | after |", "|---|---|---|---|"]
        out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
        out.append("")
    if result.changed:
        # Folded, so that a large re-grade still fits one pull-request comment's page.
        regraded = sum(1 for c in result.changed if c.regraded)
        out += [
            "<details><summary>"
            f"{len(result.changed)} changed claim(s), {regraded} regraded</summary>",
            "",
        ]
        for change in result.changed:
            out.append(f"- `{change.id}`")
            out += [f"  - {_cell(line)}" for line in _details(change, "`")]
        out += ["", "</details>", ""]
    if result.sources_added or result.sources_dropped:
        out.append(
            f"Source records added: {', '.join(f'`{s}`' for s in result.sources_added) or 'none'}"
            f"; dropped: {', '.join(f'`{s}`' for s in result.sources_dropped) or 'none'}."
        )
        out.append("")
    shown = [a for a in result.audit if a.severity in ("error", "warning")]
    if shown:
        out += ["#### Audit findings", "", "| | code | severity | claim | message |"]
        out.append("|---|---|---|---|---|")
        out += [
            f"| {a.change} | {a.code} | {a.severity} | `{a.claim or a.where}` | "
            f"{_cell(a.message)} |"
            for a in shown
        ]
        out.append("")
    info = len(result.audit) - len(shown)
    if info:
        out += [f"And {info} info finding(s) appear or disappear (`--format json` lists them).", ""]
    if not result.broken:
        out.append(f"Rules kept: {', '.join(result.rules) or 'none checked'}.")
    return "\n".join(out).rstrip("\n") + "\n"
