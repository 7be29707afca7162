"""A draft as sentences: Markdown (parsed with markdown-it-py) or plain text, with line numbers.

The first step of the draft checker (`kgraph.writers.draft`). Markdown syntax is stripped (emphasis,
links, inline code marks, list and quote markers, tables, front matter); code blocks, HTML and
images are not prose and are skipped. Each sentence keeps the line it starts on in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from kgraph.corpus.segment import sentence_spans

FORMATS = ("markdown", "text")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Sentence:
    text: str  # the sentence as plain text, white space collapsed
    line: int  # 1-based line of the file where it starts
    block: str  # paragraph, heading, list item, quote, table cell, line


@dataclass
class _Unit:
    """A block of prose: its text, and the file line of each character."""

    block: str
    chars: list[str]
    lines: list[int]

    def add(self, text: str, line: int) -> None:
        self.chars.extend(text)
        self.lines.extend([line] * len(text))


def guess_format(filename: str) -> str:
    """markdown for .md and the like, else text."""
    return "markdown" if filename.lower().endswith(MARKDOWN_SUFFIXES) else "text"


def split_sentences(text: str, fmt: str = "markdown") -> list[Sentence]:
    """Every sentence of a draft, in order, with the line it starts on."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown draft format {fmt!r}: expected one of {', '.join(FORMATS)}")
    units = _markdown_units(text) if fmt == "markdown" else _text_units(text)
    out: list[Sentence] = []
    for unit in units:
        out.extend(_sentences(unit))
    return out


def _front_matter_end(lines: list[str]) -> int:
    """Number of lines taken by a leading YAML front matter block (0 when there is none)."""
    if not lines or lines[0].strip() != "---":
        return 0
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() in ("---", "..."):
            return i + 1
    return 0


def _markdown_units(text: str) -> list[_Unit]:
    lines = text.split("\n")
    skip = _front_matter_end(lines)
    # Blank the front matter rather than cut it, so that line numbers stay the file's own.
    source = "\n" * skip + "\n".join(lines[skip:])
    md = MarkdownIt("commonmark").enable("table")
    units: list[_Unit] = []
    context: list[str] = []
    last_line = 0
    for token in md.parse(source):
        if token.map:
            last_line = token.map[0]
        if token.type.endswith("_open"):
            context.append(token.type.removesuffix("_open"))
        elif token.type.endswith("_close"):
            if context:
                context.pop()
        elif token.type == "inline":
            units.append(_inline_unit(token.children or [], last_line, _block_name(context)))
    return units


def _block_name(context: list[str]) -> str:
    for name, label in (
        ("heading", "heading"),
        ("th", "table cell"),
        ("td", "table cell"),
        ("list_item", "list item"),
        ("blockquote", "quote"),
    ):
        if name in context:
            return label
    return "paragraph"


def _inline_unit(children: list[Token], first_line: int, block: str) -> _Unit:
    unit = _Unit(block, [], [])
    line = first_line + 1
    for child in children:
        if child.type in ("text", "code_inline"):
            unit.add(child.content, line)
        elif child.type in ("softbreak", "hardbreak"):
            unit.add(" ", line)
            line += 1
    return unit


def _text_units(text: str) -> list[_Unit]:
    """Paragraphs of plain text; within one, a line break ends a unit unless the next line
    continues a hard-wrapped sentence (this line has no end mark and the next starts lower-case).
    """
    units: list[_Unit] = []
    current: _Unit | None = None
    previous = ""
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            current = None
            previous = ""
            continue
        line = re.sub(r"^(?:[-*•·‣◦]|\d+[.)])\s+", "", line)
        continues = (
            current is not None
            and not re.search(r"[.!?:][\"'”’)\]]*$", previous)
            and line[:1].islower()
        )
        if current is not None and continues:
            current.add(" ", number)
        else:
            current = _Unit("line", [], [])
            units.append(current)
        current.add(line, number)
        previous = line
    return units


def _sentences(unit: _Unit) -> list[Sentence]:
    text = "".join(unit.chars)
    out: list[Sentence] = []
    for start, end in sentence_spans(text):
        out.extend(_sentence(unit, text, start, end))
    return out


def _sentence(unit: _Unit, text: str, start: int, end: int) -> list[Sentence]:
    piece = text[start:end]
    stripped = piece.strip()
    if not re.search(r"[A-Za-z]", stripped):
        return []
    offset = start + (len(piece) - len(piece.lstrip()))
    return [Sentence(_SPACE.sub(" ", stripped), unit.lines[offset], unit.block)]
