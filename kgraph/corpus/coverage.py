"""The coverage rules of the check: every segment of an article's snapshot is accounted for.

A coverage map (`coverage/<source>.yaml`) gives each sentence, list item and heading of a
snapshot (`kgraph.corpus.segment`) the claims that quote it, or why it is not a claim, or the
claim still to be recorded. Codes KG801..KG811 (docs/findings.md); run by `check_corpus` when
the corpus keeps a coverage/ folder.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from kgraph import vocab
from kgraph.corpus.findings import Finding
from kgraph.corpus.model import Corpus, Coverage, CoverageEntry, Source
from kgraph.corpus.quotes import FoldedText, fold
from kgraph.corpus.schema import COVERAGE, FOLDERS
from kgraph.corpus.segment import Segment, segment

Span = tuple[int, int]


def is_article(source: Source) -> bool:
    """A source whose every sentence a map accounts for: a web page (news, marketing) kept
    as a snapshot. Studies keep abstracts, which claims cite as evidence, not as assertions."""
    return source.snapshot is not None and source.kind in vocab.NON_EVIDENCE_SOURCE_KINDS


def quote_spans(text: FoldedText, quote: str) -> list[Span]:
    """Every place a quote occurs in a snapshot (folded as quotes are), as original offsets."""
    needle = fold(quote)
    out: list[Span] = []
    if not needle:
        return out
    i = text.folded.find(needle)
    while i >= 0:
        out.append((text.offsets[i], text.offsets[i + len(needle) - 1] + 1))
        i = text.folded.find(needle, i + 1)
    return out


def _overlaps(seg: Segment, spans: list[Span]) -> bool:
    return any(start < seg.end and seg.start < end for start, end in spans)


def quoting_claims(corpus: Corpus, source_id: str) -> dict[str, list[Span]]:
    """Claim id -> where its quotes of this source stand in the snapshot (empty: not found)."""
    text = corpus.snapshot_texts.get(source_id)
    if text is None:
        return {}
    folded = FoldedText.of(text)
    out: dict[str, list[Span]] = {}
    for claim in corpus.claims.values():
        for a in claim.sources:
            if a.source == source_id:
                out.setdefault(claim.id, []).extend(quote_spans(folded, a.quote))
    return out


@dataclass
class SegmentClaims:
    """A segment with the claims whose quotes of its source lie in it (or overlap it)."""

    segment: Segment
    claims: list[str]


def segment_claims(corpus: Corpus, source_id: str) -> list[SegmentClaims]:
    """Each segment of a source's snapshot with the claims quoting it, in order: what a map's
    `claims` should say (a helper may propose a map from it; a curator reviews each entry)."""
    text = corpus.snapshot_texts.get(source_id)
    if text is None:
        return []
    quoting = quoting_claims(corpus, source_id)
    return [
        SegmentClaims(seg, sorted(cid for cid, spans in quoting.items() if _overlaps(seg, spans)))
        for seg in segment(text)
    ]


def check_coverage(corpus: Corpus) -> list[Finding]:
    """Every coverage rule over a corpus; nothing when it keeps no coverage/ folder."""
    if not corpus.keeps_coverage:
        return []
    out: list[Finding] = []
    for sid, cov in corpus.coverage.items():
        source = corpus.sources.get(sid)
        if source is None or source.snapshot is None:
            what = "is no source" if source is None else "keeps no snapshot"
            out.append(
                Finding(
                    "KG809",
                    cov.origin.path,
                    *cov.origin.at("source"),
                    f"the map's source {sid!r} {what}: there are no sentences to map",
                    "name the file after an article source with a snapshot",
                )
            )
            continue
        text = corpus.snapshot_texts.get(sid)
        if text is not None:  # an unreadable snapshot is reported by loading
            _check_map(corpus, source, cov, text, out)
    for sid, source in corpus.sources.items():
        if is_article(source) and sid not in corpus.coverage and sid in corpus.snapshot_texts:
            out.append(
                Finding(
                    "KG806",
                    source.origin.path,
                    *source.origin.at("snapshot"),
                    f"article {sid!r} has a snapshot but no coverage map",
                    f"write {FOLDERS[COVERAGE]}/{sid}.yaml with every sentence of the snapshot "
                    "(docs/formats.md); scripts/propose_coverage.py drafts one from the quotes",
                )
            )
    return out


def _verdict_problem(entry: CoverageEntry) -> str | None:
    given = [
        name
        for name, present in (
            ("claims", entry.claims is not None),
            ("not_a_claim", bool(entry.not_a_claim)),
            ("pending", bool(entry.pending)),
        )
        if present
    ]
    if len(given) != 1:
        said = " and ".join(f"`{g}`" for g in given) if given else "none of them"
        return f"the entry gives {said}: give exactly one of `claims`, `not_a_claim`, `pending`"
    if entry.claims == []:
        return "`claims` is empty: list the claims quoting it, or say why it is not a claim"
    return None


def _check_map(
    corpus: Corpus, source: Source, cov: Coverage, text: str, out: list[Finding]
) -> None:
    segments = segment(text)
    quoting = quoting_claims(corpus, source.id)
    by_text: dict[str, list[int]] = {}
    for i, seg in enumerate(segments):
        by_text.setdefault(fold(seg.text), []).append(i)
    taken: dict[int, CoverageEntry] = {}
    origin, path = cov.origin, cov.origin.path
    for entry in cov.entries:
        at = ("sentences", entry.index)
        problem = _verdict_problem(entry)
        if problem is not None:
            out.append(Finding("KG808", path, *origin.at(*at), problem))
        found = by_text.get(fold(entry.text))
        if not found:
            close = difflib.get_close_matches(entry.text, [s.text for s in segments], n=1)
            hint = f"closest segment: {close[0]!r}" if close else "copy it from the snapshot"
            message = f"the entry's text is no sentence, list item or heading of {source.id!r}"
            out.append(Finding("KG802", path, *origin.at(*at, "text"), message, hint))
            continue
        free = [i for i in found if i not in taken]
        # Where a text occurs twice, the locator says which; else the first not yet mapped.
        chosen = next((i for i in free if segments[i].locator == entry.locator), None)
        if chosen is None and free:
            chosen = free[0]
        if chosen is None:
            first = taken[found[0]]
            out.append(
                Finding(
                    "KG811",
                    path,
                    *origin.at(*at, "text"),
                    f"a second entry for {segments[found[0]].locator}: {entry.text!r}",
                    f"the first is at line {origin.at('sentences', first.index)[0]}; keep one",
                )
            )
            continue
        taken[chosen] = entry
        seg = segments[chosen]
        if entry.locator and entry.locator != seg.locator:
            out.append(
                Finding(
                    "KG810",
                    path,
                    *origin.at(*at, "locator"),
                    f"the entry's locator {entry.locator!r} is not where the text stands",
                    f"write locator: {seg.locator!r}",
                )
            )
        if entry.pending:
            out.append(
                Finding(
                    "KG807",
                    path,
                    *origin.at(*at, "pending"),
                    f"a claim still to be recorded at {seg.locator}: {entry.pending}",
                    "record the claim with this sentence as its quote, then list it in `claims`",
                )
            )
        for j, cid in enumerate(entry.claims or []):
            where = origin.at(*at, "claims", j)
            if cid not in corpus.claims:
                close = difflib.get_close_matches(cid, list(corpus.claims), n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else "list an existing claim's id"
                message = f"the entry names claim {cid!r}, which does not exist"
                out.append(Finding("KG803", path, *where, message, hint))
            elif not _overlaps(seg, quoting.get(cid, [])):
                claim = corpus.claims[cid]
                out.append(
                    Finding(
                        "KG804",
                        path,
                        *where,
                        f"claim {cid!r} quotes nothing of {source.id!r} in {seg.locator}",
                        "list a claim only where one of its quotes of this article lies",
                        related=(claim.origin.path,),
                    )
                )
    for i, seg in enumerate(segments):
        if i not in taken:
            out.append(
                Finding(
                    "KG801",
                    source.origin.path,
                    *source.origin.at("snapshot"),
                    f"the {seg.block} at {seg.locator} (snapshot line {seg.line}) has no entry "
                    f"in {path}: {seg.text!r}",
                    "add it to the map with `claims`, `not_a_claim` or `pending`",
                    related=(path,),
                )
            )
    _check_unlisted(corpus, source, cov, segments, taken, quoting, out)


def _check_unlisted(
    corpus: Corpus,
    source: Source,
    cov: Coverage,
    segments: list[Segment],
    taken: dict[int, CoverageEntry],
    quoting: dict[str, list[Span]],
    out: list[Finding],
) -> None:
    """KG805: a claim quoting this article that no entry of the sentences quoted lists. A quote
    in sentences without entries is left to KG801; one not in the snapshot to KG401."""
    for cid, spans in quoting.items():
        mapped = [
            taken[i] for i, seg in enumerate(segments) if i in taken and _overlaps(seg, spans)
        ]
        if not mapped or any(cid in (e.claims or []) for e in mapped):
            continue
        claim = corpus.claims[cid]
        index = next(a.index for a in claim.sources if a.source == source.id)
        line = claim.origin.at("sources", index, "quote")[0]
        entry = mapped[0]
        out.append(
            Finding(
                "KG805",
                cov.origin.path,
                *cov.origin.at("sentences", entry.index, "text"),
                f"claim {cid!r} quotes this sentence ({claim.origin.path}:{line}) but no entry "
                "lists it",
                f"add {cid} to the entry's `claims`",
                related=(claim.origin.path,),
            )
        )


def _yaml_text(value: str) -> str:
    # A YAML double-quoted scalar is JSON's string syntax, non-ASCII letters kept as written.
    import json

    return json.dumps(value, ensure_ascii=False)


def draft_map(corpus: Corpus, source_id: str) -> str:
    """A first coverage map of a source, as YAML: each segment with the claims whose quotes lie
    in it, and `pending: unreviewed` for the rest. A draft: a curator reads every sentence."""
    lines = [f"source: {source_id}", "sentences:"]
    for sc in segment_claims(corpus, source_id):
        lines.append(f"  - text: {_yaml_text(sc.segment.text)}")
        lines.append(f"    locator: {_yaml_text(sc.segment.locator)}")
        if sc.claims:
            lines.append(f"    claims: [{', '.join(sc.claims)}]")
        else:
            lines.append('    pending: "unreviewed"')
    return "\n".join(lines) + "\n"
