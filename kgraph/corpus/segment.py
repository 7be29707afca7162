"""An article's snapshot as segments: its title, headings, sentences and list items, each located.

The segments a coverage map (`claims/coverage/<source>.yaml`) must account for, read by the
coverage rules (`kgraph.corpus.coverage_rules`). The sentence splitter here is also the draft
checker's (`kgraph.text.prose`), so a sentence means the same thing to both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Words ending in a full stop that do not end a sentence.
ABBREVIATIONS = frozenset(
    str.split(
        "e.g i.e etc al vs cf dr mr mrs ms prof fig figs no approx ca st jr sr inc ltd co corp "
        "u.s u.k e.u dept est min max mg kg ml resp vol ed eds"
    )
)
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_SPACE = re.compile(r"\s+")

# A line that ends a sentence: an end mark (a colon introduces a list), then closing quotes or
# brackets, then perhaps a citation in brackets, "... its past. (MAPS)".
_ENDS_SENTENCE = re.compile(r"[.!?:][\"'”’)\]]*(?:\s*\([^()]*\))?$")
_BULLET = re.compile(r"^(?:[-*•·‣◦▪])\s+")
_NUMBERED = re.compile(r"^\d+[.)]\s+\S")
_CITATION = re.compile(r"^\([^()]*\)$")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATELINE = re.compile(rf"^(?:{_MONTHS}) \d{{1,2}}, \d{{4}}$")
# A question this short standing alone on its line is a heading ("Why Does This Matter?").
HEADING_QUESTION_WORDS = 10

BLOCKS = ("title", "heading", "dateline", "paragraph", "list item")


def is_abbreviation(text: str, dot: int) -> bool:
    """The full stop at `dot` closes an abbreviation or an initial, not a sentence."""
    if text[dot] != ".":
        return False
    word = re.search(r"([A-Za-z][A-Za-z.]*)$", text[:dot])
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    return token in ABBREVIATIONS or (len(token) == 1 and word.group(1).isupper())


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each stretch of `text` between sentence ends, in order; each stretch may
    carry white space at its edges, and one with no letter is no sentence (the caller's call)."""
    start = 0
    for m in _END.finditer(text):
        if is_abbreviation(text, m.start()):
            continue
        yield start, m.end()
        start = m.end()
    yield start, len(text)


@dataclass(frozen=True)
class Segment:
    """One unit of an article a coverage map accounts for."""

    text: str  # as in the snapshot, white space collapsed
    locator: str  # "section “X”, paragraph 2, sentence 1", as the corpus's locators read
    block: str  # one of BLOCKS
    line: int  # 1-based line of the snapshot
    start: int  # offsets of the segment in the snapshot's text
    end: int


def _ends_sentence(line: str) -> bool:
    return bool(_ENDS_SENTENCE.search(line))


def _is_heading(line: str) -> bool:
    if not _ends_sentence(line):
        return True
    return (
        line.endswith("?")
        and len(line.split()) <= HEADING_QUESTION_WORDS
        and len(_line_sentences(line, 0)) == 1
    )


def _line_sentences(line: str, base: int) -> list[tuple[int, int]]:
    """The sentences of one line as offsets (from `base`); a citation standing alone, "(MAPS)",
    belongs to the sentence before it."""
    out: list[tuple[int, int]] = []
    for start, end in sentence_spans(line):
        piece = line[start:end]
        if not re.search(r"[A-Za-z]", piece):
            continue
        start += len(piece) - len(piece.lstrip())
        end -= len(piece) - len(piece.rstrip())
        if out and _CITATION.match(line[start:end]):
            out[-1] = (out[-1][0], base + end)
            continue
        out.append((base + start, base + end))
    return out


def segment(text: str) -> list[Segment]:
    """Every segment of a plain-text snapshot, in order, each with its computed locator.

    One line is one block. A heading is a line that ends no sentence (or a short question on
    its own line); the first line, when a heading, is the title. A paragraph ending in a colon
    opens a list: the lines after it that end no sentence are its items, as are lines marked
    with a bullet anywhere. Deterministic: the same text gives the same segments.
    """
    out: list[Segment] = []
    section = "opening section"
    paragraph = 0
    item = 0
    # None outside a list; else whether its items are marked with bullets (then only marked
    # lines continue it) or not (then lines that end no sentence do).
    in_list: bool | None = None
    first = True
    offset = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line_start = offset
        offset += len(raw) + 1
        line = raw.strip()
        if not line:
            continue
        base = line_start + (len(raw) - len(raw.lstrip()))
        bullet = _BULLET.match(line)
        unmarked_item = in_list is False and not _ends_sentence(line) and not _NUMBERED.match(line)
        if bullet or unmarked_item:
            marker = bullet.end() if bullet else 0
            item += 1
            where = f"{section}, paragraph {paragraph}" if paragraph else section
            body = line[marker:]
            out.append(
                Segment(
                    _SPACE.sub(" ", body),
                    f"{where}, list item {item}",
                    "list item",
                    number,
                    base + marker,
                    base + len(line),
                )
            )
            in_list = bool(bullet)
            first = False
            continue
        in_list = None
        item = 0
        if _DATELINE.match(line):
            out.append(Segment(line, "dateline", "dateline", number, base, base + len(line)))
            first = False
            continue
        if _is_heading(line):
            flat = _SPACE.sub(" ", line)
            if first:
                out.append(Segment(flat, "title", "title", number, base, base + len(line)))
            else:
                section = f"section “{flat}”"
                paragraph = 0
                out.append(
                    Segment(flat, f"{section}, heading", "heading", number, base, base + len(line))
                )
            first = False
            continue
        first = False
        paragraph += 1
        spans = _line_sentences(line, base)
        for n, (start, end) in enumerate(spans, start=1):
            out.append(
                Segment(
                    _SPACE.sub(" ", text[start:end]),
                    f"{section}, paragraph {paragraph}, sentence {n}",
                    "paragraph",
                    number,
                    start,
                    end,
                )
            )
        # A colon opens a list; its first item tells whether its items are marked.
        in_list = False if line.endswith(":") else None
    return out
