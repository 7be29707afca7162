"""`kgraph reanchor`: when an article changes, where each of its quotes stands in the new text.

Each quote is anchored in the pinned snapshot (`anchors`), then looked for in the new text as
Hypothesis anchors a quote: an exact match first, then approximate matches of the quote within
half its length in errors, ranked by the quote's, the prefix's and the suffix's similarity and
the distance from the old position (weights 50, 20, 20, 2). `repin` writes the new text over the
snapshot and its new hash into the source record, and nothing else.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from kgraph.corpus.anchors import Anchor, anchor_at, anchor_quote
from kgraph.corpus.model import Corpus, Source
from kgraph.corpus.quotes import FoldedText

KEPT, MOVED, CHANGED, ORPHANED = "kept", "moved", "changed", "orphaned"
STATUSES = (KEPT, MOVED, CHANGED, ORPHANED)
# Hypothesis's weights: the quote itself, the text before and after it, nearness (a tie-break).
QUOTE_WEIGHT, PREFIX_WEIGHT, SUFFIX_WEIGHT, POSITION_WEIGHT = 50, 20, 20, 2
MAX_ERRORS = 256  # the most edits an approximate match may need, however long the quote


class ReanchorError(Exception):
    """The snapshot or new text cannot be used as asked (one line, with the file)."""


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    errors: int  # edits between the quote and text[start:end]
    score: float  # 0..1, Hypothesis's weighting of quote, context and position


@dataclass(frozen=True)
class Reanchored:
    """One quote's fate: where it stood, where it stands now, and how well it matches."""

    claim: str
    index: int
    source: str
    quote: str
    status: str  # a STATUSES value
    old: Anchor | None  # None: the quote is not in the pinned snapshot (already edited)
    new: Anchor | None  # None: orphaned
    score: float  # 1.0 for a verbatim match
    diff: str = ""  # changed: the old words against the new, word by word


@dataclass
class Reanchoring:
    snapshot: Path
    new_text: Path
    sources: list[str]
    quotes: list[Reanchored] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for q in self.quotes if q.status == status)

    @property
    def all_found(self) -> bool:
        """Every quote stands verbatim in the new text, so re-pinning breaks none."""
        return all(q.status in (KEPT, MOVED) for q in self.quotes)


def _edit_ends(text: str, pattern: str, max_errors: int) -> list[tuple[int, int]]:
    """(end, errors) for each end offset in `text` where some substring ending there is within
    `max_errors` edits of `pattern` (local minima only): Myers' bit-parallel algorithm, with
    Python's integers as bit vectors of any length."""
    m = len(pattern)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    peq: dict[str, int] = {}
    for i, ch in enumerate(pattern):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    pv, mv, score = mask, 0, m
    scores = []
    for ch in text:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = (ph << 1) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
        scores.append(score)
    ends = []
    for j, s in enumerate(scores):
        if s > max_errors:
            continue
        before = scores[j - 1] if j else m
        after = scores[j + 1] if j + 1 < len(scores) else m + 1
        if s <= before and s < after:
            ends.append((j + 1, s))
    return ends


def _best_start(text: str, pattern: str, end: int, errors: int) -> tuple[int, int]:
    """The start of the closest substring ending at `end`, and its edit distance."""
    from rapidfuzz.distance import Levenshtein

    m = len(pattern)
    best = (max(0, end - m), Levenshtein.distance(pattern, text[max(0, end - m) : end]))
    for start in range(max(0, end - m - errors), min(end, end - m + errors) + 1):
        d = Levenshtein.distance(pattern, text[start:end])
        if d < best[1]:
            best = (start, d)
    return best


def _similarity(actual: str, expected: str) -> float:
    """How much of the expected context is there: 1 - edits/length of its closest match in
    `actual` (Hypothesis's text match score; 1.0 when there is no context to compare)."""
    if not expected:
        return 1.0
    if not actual:
        return 0.0
    errors = min(e for _, e in _edit_ends(actual, expected, len(expected)))
    return 1.0 - errors / len(expected)


def match_quote(text: str, anchor: Anchor) -> Match | None:
    """The best place for an anchored quote in `text`, exact first, then approximate."""
    quote = anchor.exact
    if not quote:
        return None
    candidates: list[tuple[int, int, int]] = []
    at = text.find(quote)
    while at >= 0:
        candidates.append((at, at + len(quote), 0))
        at = text.find(quote, at + 1)
    if not candidates:
        max_errors = min(MAX_ERRORS, len(quote) // 2)
        for end, errors in _edit_ends(text, quote, max_errors):
            start, errors = _best_start(text, quote, end, errors)
            candidates.append((start, end, errors))
    if not candidates:
        return None

    def score(c: tuple[int, int, int]) -> float:
        start, end, errors = c
        prefix = text[max(0, start - len(anchor.prefix)) : start]
        suffix = text[end : end + len(anchor.suffix)]
        position = 1.0 - abs(start - anchor.start) / max(1, len(text))
        raw = (
            QUOTE_WEIGHT * (1.0 - errors / len(quote))
            + PREFIX_WEIGHT * _similarity(prefix, anchor.prefix)
            + SUFFIX_WEIGHT * _similarity(suffix, anchor.suffix)
            + POSITION_WEIGHT * position
        )
        return raw / (QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT)

    best = max(candidates, key=lambda c: (score(c), -c[0]))
    return Match(best[0], best[1], best[2], round(score(best), 4))


def word_diff(old: str, new: str) -> str:
    """The words removed `[-...-]` and added `{+...+}`, the rest as it was."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(a[i1:i2])
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def _read_text(path: Path, what: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ReanchorError(f"{path}: {what} cannot be read: {err.strerror}") from err
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ReanchorError(f"{path}: {what} is not UTF-8 text ({err.reason})") from err


def sources_of(corpus: Corpus, snapshot: Path) -> list[Source]:
    """The sources whose pinned snapshot is this file."""
    target = snapshot.resolve()
    return [
        s
        for s in corpus.sources.values()
        if s.snapshot is not None and (corpus.root / s.snapshot.path).resolve() == target
    ]


def reanchor(corpus: Corpus, snapshot: Path, new_text: Path) -> Reanchoring:
    """Each quote of the sources pinned to `snapshot`, looked for in `new_text`."""
    sources = sources_of(corpus, snapshot)
    if not sources:
        raise ReanchorError(
            f"{snapshot}: no source of the corpus at {corpus.root} pins this snapshot"
        )
    old_text = _read_text(snapshot, "the snapshot")
    new = _read_text(new_text, "the new text")
    old_folded, new_folded = FoldedText.of(old_text), FoldedText.of(new)
    ids = {s.id for s in sources}
    result = Reanchoring(snapshot, new_text, sorted(ids))
    for cid in sorted(corpus.claims):
        for a in corpus.claims[cid].sources:
            if a.source in ids:
                result.quotes.append(_one(cid, a.index, a.source, a.quote, old_folded, new_folded))
    return result


def _one(
    cid: str, index: int, sid: str, quote: str, old: FoldedText, new: FoldedText
) -> Reanchored:
    before = anchor_quote(old, quote)
    found = anchor_quote(new, quote)  # verbatim, as `kgraph check` would find it
    if found is not None:
        if before is not None:
            # A quote that occurs twice: take the occurrence Hypothesis would, by its context.
            best = match_quote(new.original, before)
            if best is not None and best.errors == 0:
                found = anchor_at(new.original, best.start, best.end)
        status = KEPT if before is not None and before.start == found.start else MOVED
        return Reanchored(cid, index, sid, quote, status, before, found, 1.0)
    if before is None:
        return Reanchored(cid, index, sid, quote, ORPHANED, None, None, 0.0)
    match = match_quote(new.original, before)
    if match is None:
        return Reanchored(cid, index, sid, quote, ORPHANED, before, None, 0.0)
    now = anchor_at(new.original, match.start, match.end)
    return Reanchored(
        cid,
        index,
        sid,
        quote,
        CHANGED,
        before,
        now,
        match.score,
        word_diff(before.exact, now.exact),
    )


def render_reanchoring(result: Reanchoring) -> str:
    """One line a quote, then the counts; a changed quote with its word diff."""
    lines = []
    for q in result.quotes:
        where = ""
        if q.old and q.new and q.status == MOVED:
            where = f" {q.old.start} -> {q.new.start}"
        elif q.new and q.status in (KEPT, MOVED):
            where = f" at {q.new.start}"
        elif q.new:
            where = f" at {q.new.start}, score {q.score:.2f}"
        lines.append(f"{q.status:<8} {q.claim} #{q.index} ({q.source}){where}")
        if q.diff:
            lines.append(f"         {q.diff}")
        if q.status == ORPHANED:
            lines.append(f"         not found: {q.quote[:120]!r}")
    counts = ", ".join(f"{result.count(s)} {s}" for s in STATUSES)
    lines.append(f"{len(result.quotes)} quote(s) of {', '.join(result.sources)}: {counts}")
    return "\n".join(lines) + "\n"


_SHA_LINE = re.compile(r"^(\s*sha256:\s*[\"']?)([0-9a-f]{64})([\"']?\s*)$", re.M)


def repin(corpus: Corpus, result: Reanchoring) -> list[Path]:
    """Write the new text over the snapshot and its SHA-256 into each source pinning it.

    Refused while a quote is changed or orphaned (re-pinned, it would fail `kgraph check`:
    fix those claims' quotes first). Each file is written beside itself and moved into place,
    the source records first, so a failure leaves every file whole."""
    if not result.all_found:
        broken = result.count(CHANGED) + result.count(ORPHANED)
        raise ReanchorError(
            f"{result.snapshot}: not re-pinned: {broken} quote(s) changed or orphaned; "
            "update those claims' quotes to the new text, then run again"
        )
    raw = result.new_text.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    written = []
    for sid in result.sources:
        source = corpus.sources[sid]
        assert source.snapshot is not None
        path = _record_file(corpus, source)
        text = path.read_text(encoding="utf-8")
        hits = [m for m in _SHA_LINE.finditer(text) if m.group(2) == source.snapshot.sha256]
        if len(hits) != 1:
            raise ReanchorError(
                f"{path}: no single `sha256: {source.snapshot.sha256}` line to update"
            )
        m = hits[0]
        _replace(path, (text[: m.start(2)] + digest + text[m.end(2) :]).encode("utf-8"))
        written.append(path)
    _replace(result.snapshot, raw)
    written.append(result.snapshot)
    return written


def _record_file(corpus: Corpus, source: Source) -> Path:
    given = Path(source.origin.path)
    if given.is_file():
        return given
    return corpus.root / "sources" / f"{source.id}.yaml"


def _replace(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.reanchor-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
