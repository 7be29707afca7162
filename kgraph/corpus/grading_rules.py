"""The grading rules of the check: excerpts against abstracts, searches, derived levels, direction.

Each rule gives findings with file and line (codes KG701..KG711, docs/findings.md). Findings
about an explicit `unknown` have the severity `findings.GRADING_UNKNOWN`: notes until the corpus is
re-graded, warnings after.
"""

from __future__ import annotations

import datetime as dt
import re

from kgraph import vocab
from kgraph.corpus.findings import Finding
from kgraph.corpus.grade import derivation
from kgraph.corpus.model import Claim, Corpus, Search
from kgraph.corpus.quotes import FoldedText, fold
from kgraph.corpus.validate import date_range
from kgraph.grading import direction_problem

# Editorial marks a reviewer uses in an excerpt: `[...]` for words left out, `[word]` for words
# put in. Each piece between them must occur in the snapshot, in order.
_ELLIPSIS = re.compile(r"\s*\[(?:\.\.\.|…)\]\s*")
_INSERTION = re.compile(r"\[[^\]]*\]")


def excerpt_pieces(excerpt: str) -> list[str]:
    """The verbatim pieces of an excerpt: split at `[...]`, insertions `[x]` dropped."""
    pieces = []
    for part in _ELLIPSIS.split(excerpt):
        for piece in _INSERTION.split(part):
            if piece.strip():
                pieces.append(piece.strip())
    return pieces


def excerpt_spans(excerpt: str, flat: str) -> list[tuple[int, int]] | None:
    """Where each piece of the excerpt stands in `flat` (a folded text), in order, as
    (start, end) offsets into it; None when a piece is missing."""
    spans = []
    at = 0
    for piece in excerpt_pieces(excerpt):
        needle = fold(piece)
        i = flat.find(needle, at) if needle else -1
        if i < 0:
            return None
        at = i + len(needle)
        spans.append((i, at))
    return spans


def excerpt_found(excerpt: str, text: str, flat: str | None = None) -> bool:
    """Whether every piece of the excerpt occurs in the text, in order (folded as quotes are)."""
    return excerpt_spans(excerpt, fold(text) if flat is None else flat) is not None


def _excerpts(corpus: Corpus, claim: Claim, out: list[Finding], flat: dict[str, str]) -> None:
    """Each reference's excerpt against its study's snapshot (`flat`: the folded snapshots,
    folded once per source for the whole check)."""
    ev = claim.evidence
    if ev is None:
        return
    origin = claim.origin
    for r in ev.references:
        source = corpus.sources.get(r.source)
        if source is None:
            continue
        # Positions only for a finding: a record's positions are read again from its file.
        if not r.excerpt or r.excerpt == vocab.UNKNOWN:
            out.append(
                Finding(
                    "KG702",
                    origin.path,
                    *origin.at("evidence", "references", r.index),
                    f"the reference to {r.source!r} has no excerpt of its abstract",
                    "copy the words behind the finding from the study's abstract as `excerpt`",
                )
            )
            continue
        text = corpus.snapshot_texts.get(source.id)
        pos = ("evidence", "references", r.index, "excerpt")
        if text is None:
            out.append(
                Finding(
                    "KG702",
                    origin.path,
                    *origin.at(*pos),
                    f"the excerpt cannot be verified: {r.source!r} keeps no snapshot of its "
                    "abstract",
                    "keep the abstract as a text snapshot (part: abstract) with its SHA-256",
                )
            )
            continue
        if source.id not in flat:
            flat[source.id] = fold(text)
        if not excerpt_found(r.excerpt, text, flat[source.id]):
            pieces = excerpt_pieces(r.excerpt)
            closest = FoldedText.of(text).closest(max(pieces, key=len)) if pieces else None
            out.append(
                Finding(
                    "KG701",
                    origin.path,
                    *origin.at(*pos),
                    f"the excerpt does not occur in the snapshot of {r.source!r}",
                    f"closest text in the abstract: {closest!r}"
                    if closest
                    else "copy it verbatim; mark words left out with [...]",
                )
            )


def _search(claim: Claim, today: dt.date, max_age: int, out: list[Finding]) -> None:
    ev = claim.evidence
    if ev is None:
        return
    origin = claim.origin
    if not isinstance(ev.search, Search):
        out.append(
            Finding(
                "KG703",
                origin.path,
                *origin.at("evidence", "search"),
                f"the grade of claim {claim.id!r} documents no search",
                "record when, where and how it was searched, what was screened, "
                "included and excluded (docs/grading.md)",
            )
        )
        return
    span = date_range(ev.search.date)
    if span is not None and (today - span[1]).days > max_age:
        out.append(
            Finding(
                "KG704",
                origin.path,
                *origin.at("evidence", "search", "date"),
                f"the search was run on {ev.search.date}, more than {max_age} days ago",
                "run it again and record what is new (a living review)",
            )
        )


def _level(corpus: Corpus, claim: Claim, out: list[Finding]) -> None:
    ev = claim.evidence
    d = derivation(claim, corpus)
    if ev is None or d is None:
        return
    origin = claim.origin
    directions = [r.direction for r in ev.references]
    stated_direction = ev.direction or vocab.UNTESTED
    problem = direction_problem(stated_direction, directions)
    if problem is not None and ev.level != vocab.NO_EVIDENCE_LEVEL:
        # `override: unknown` keeps the stated grade, level and direction, pending a re-grade.
        pending = ev.override == vocab.UNKNOWN
        out.append(
            Finding(
                "KG707" if pending else "KG708",
                origin.path,
                *origin.at("evidence", "direction"),
                f"direction {stated_direction!r} does not follow the references: {problem}",
                f"the references give {d.direction!r}",
            )
        )
    if d.level is None:
        out.append(
            Finding(
                "KG705",
                origin.path,
                *origin.at("evidence", "certainty"),
                "the level cannot be derived yet: it needs " + "; ".join(d.missing),
                "rate each GRADE domain with a reason, and describe each study on its source",
            )
        )
        return
    if d.level == ev.level:
        if ev.override and ev.override != vocab.UNKNOWN:
            out.append(
                Finding(
                    "KG711",
                    origin.path,
                    *origin.at("evidence", "override"),
                    f"an override, but the stated level {ev.level} is the derived one",
                    "remove `override`",
                )
            )
        return
    if ev.override == vocab.UNKNOWN:
        out.append(
            Finding(
                "KG707",
                origin.path,
                *origin.at("evidence", "override"),
                f"stated {ev.level}, derived {d.level} ({d.explanation}): kept pending a re-grade",
                "re-grade it, or argue the override",
            )
        )
    elif not ev.override:
        out.append(
            Finding(
                "KG706",
                origin.path,
                *origin.at("evidence", "level"),
                f"the stated level {ev.level} differs from the derived {d.level} ({d.explanation})",
                "correct the level, the domains or the designs; or give `override` a reason",
            )
        )


def _readings(claim: Claim, out: list[Finding]) -> None:
    origin = claim.origin
    for a in claim.sources:
        # Left out, a reading is literal (the quote says the claim); `unknown` says it is open.
        if a.reading == vocab.UNKNOWN:
            out.append(
                Finding(
                    "KG709",
                    origin.path,
                    *origin.at("sources", a.index),
                    f"how the quote of {a.source!r} carries the claim is not recorded",
                    "reading: literal (it says so), or implicature, heading or list, with a reason",
                )
            )
        elif a.is_reading and not a.reading_reason.strip():
            out.append(
                Finding(
                    "KG710",
                    origin.path,
                    *origin.at("sources", a.index, "reading"),
                    f"the claim is read as {a.reading!r} from the quote, with no reason given",
                    "say in `reading_reason` why the quote means the claim",
                )
            )


def check_grading(
    corpus: Corpus,
    *,
    today: dt.date | None = None,
    max_search_age: int = vocab.SEARCH_MAX_AGE_DAYS,
) -> list[Finding]:
    """Every grading rule over the corpus."""
    today = today or dt.date.today()
    out: list[Finding] = []
    flat: dict[str, str] = {}
    for claim in corpus.claims.values():
        _readings(claim, out)
        if claim.evidence is None or claim.kind in vocab.UNGRADED_CLAIM_KINDS:
            continue
        _excerpts(corpus, claim, out, flat)
        _search(claim, today, max_search_age, out)
        _level(corpus, claim, out)
    return out
