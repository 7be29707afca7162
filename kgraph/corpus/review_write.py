"""`kgraph review`: record a review in one claim file, its review block rewritten in place.

Reads the checked corpus (`kgraph.corpus.check`) and writes only the claim's review block: every
other byte of the file, comments and layout included, stays as it was.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import tempfile
from pathlib import Path

from kgraph.corpus.check import check
from kgraph.corpus.findings import Finding, Severity
from kgraph.corpus.load import has_key
from kgraph.corpus.model import Claim, ReviewHashes
from kgraph.corpus.reader import read_bytes
from kgraph.corpus.review import REVIEWED, content_sha256, rests_on, review_hashes
from kgraph.corpus.validate import validate_record


class ReviewRefused(ValueError):
    """The review cannot be recorded: unknown claim, check errors, no reviewer (a usage error)."""


def _quoted(text: str) -> str:
    # A JSON string is a YAML double-quoted scalar: safe for any name or note.
    return json.dumps(text, ensure_ascii=False)


def review_block(reviewer: str, date: str, notes: str, hashes: ReviewHashes) -> str:
    """The review block as `kgraph review` writes it (two-space indents, one key a line)."""
    lines = [
        "review:",
        f"  status: {REVIEWED}",
        f"  reviewer: {_quoted(reviewer)}",
        f"  date: {date}",
    ]
    if notes:
        lines.append(f"  notes: {_quoted(notes)}")
    lines += ["  hashes:", f"    claim: {hashes.claim}"]
    for name, table in (("sources", hashes.sources), ("snapshots", hashes.snapshots)):
        if not table:
            lines.append(f"    {name}: {{}}")
            continue
        lines.append(f"    {name}:")
        lines.extend(f"      {sid}: {digest}" for sid, digest in sorted(table.items()))
    return "\n".join(lines) + "\n"


def replace_review_block(text: str, line: int | None, block: str) -> str:
    """text with the top-level review block starting at 1-based `line` replaced by block (or
    block appended, when line is None). The block runs to the next line that starts in the
    first column; blank lines before it stay."""
    newline = "\r\n" if "\r\n" in text else "\n"
    block = block.replace("\n", newline)
    lines = text.splitlines(keepends=True)
    if line is None:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += newline
        return "".join(lines) + block
    start = line - 1
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t"):
        end += 1
    while end - 1 > start and not lines[end - 1].strip():
        end -= 1
    return "".join(lines[:start]) + block + "".join(lines[end:])


def _refuse_errors(claim: Claim, report_findings: list[Finding], paths: set[str]) -> None:
    errors = [f for f in report_findings if f.severity == Severity.ERROR and f.path in paths]
    if errors:
        first = errors[0]
        raise ReviewRefused(
            f"claim {claim.id!r} has {len(errors)} check error(s), first "
            f"{first.path}:{first.line}: {first.code} {first.message}; fix them before reviewing"
        )


def record_review(
    root: str | os.PathLike[str],
    claim_id: str,
    reviewer: str,
    *,
    date: dt.date | None = None,
    notes: str | None = None,
) -> Path:
    """Mark claim_id reviewed by reviewer on date (today by default), with the hashes of what
    it rests on now; notes replace the review's notes when given. Returns the file written.

    Raises ReviewRefused for an empty name, an unknown id, or a claim (or a source it rests
    on) with check errors; CorpusNotFound as every command does.
    """
    name = reviewer.strip()
    if not name:
        raise ReviewRefused("the reviewer's name is empty: give --by NAME")
    report = check(root)
    corpus = report.corpus
    claim = corpus.claims.get(claim_id)
    if claim is None:
        close = difflib.get_close_matches(claim_id, list(corpus.claims), n=1, cutoff=0.6)
        hint = f": did you mean {close[0]!r}?" if close else ""
        raise ReviewRefused(f"no claim {claim_id!r} in {corpus.root}{hint}")
    paths = {claim.origin.path}
    paths.update(s.origin.path for sid in rests_on(claim) if (s := corpus.sources.get(sid)))
    _refuse_errors(claim, report.findings, paths)
    hashes = review_hashes(corpus, claim)
    when = (date or dt.date.today()).isoformat()
    kept_notes = claim.review.notes if notes is None else notes
    origin = claim.origin
    line = origin.key_at("review")[0] if has_key(origin, "review") else None
    file = Path(getattr(origin, "file", origin.path))
    raw = file.read_bytes()
    text = raw.decode("utf-8")
    new = replace_review_block(text, line, review_block(name, when, kept_notes, hashes))
    _verify(new, origin.path, claim)
    fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".review-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(new.encode("utf-8"))
    os.chmod(tmp, file.stat().st_mode & 0o7777)
    os.replace(tmp, file)
    return file


def _verify(text: str, path: str, claim: Claim) -> None:
    """The file as it would be written still gives the same claim, now reviewed."""
    data = read_bytes(text.encode("utf-8"), path).data
    cleaned, problems = validate_record("claim", data, path) if data is not None else ({}, [])
    content = {k: v for k, v in cleaned.items() if k != "review"}
    if (
        data is None
        or any(p.severity == Severity.ERROR for p in problems)
        or content_sha256(content) != content_sha256(claim.content)
    ):
        raise ReviewRefused(f"{path}: its review block could not be rewritten in place")
