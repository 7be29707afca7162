"""Where each quote stands in its article's snapshot, and the snapshot text marked up around it.

Locates every assertion's quote once with `kgraph.corpus.quotes.FoldedText` (original offsets), maps
its hedge and booster cues onto the snapshot, and renders marked text: every piece of snapshot text
is escaped here, and only the marks themselves are markup.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from kgraph import vocab
from kgraph.corpus.grading_rules import excerpt_spans
from kgraph.corpus.model import Corpus
from kgraph.corpus.quotes import FoldedText, fold
from kgraph.text.hedges import find_cues
from kgraph.vocab import level_rank

CONTEXT_CHARS = 320  # how much text to show either side of a quote on a claim page


@dataclass(frozen=True)
class CueSpan:
    start: int
    end: int
    kind: str  # hedge or booster
    family: str


@dataclass(frozen=True)
class Passage:
    """An assertion's quote located in its source's snapshot (original character offsets)."""

    claim: str
    index: int
    source: str
    start: int
    end: int
    level: str | None
    cues: tuple[CueSpan, ...] = ()
    # A quote of an article (`index`: the assertion's), or an excerpt of a study's abstract
    # (`index`: the reference's; `piece`: which verbatim piece between `[...]` marks).
    kind: str = "quote"
    piece: int = 0

    @property
    def anchor(self) -> str:
        if self.kind == "excerpt":
            return f"x-{self.claim}-{self.index}-{self.piece}"
        return f"q-{self.claim}-{self.index}"


@dataclass
class Passages:
    """Every located quote, by source and by (claim, assertion index)."""

    texts: dict[str, str]
    by_source: dict[str, list[Passage]] = field(default_factory=dict)
    by_assertion: dict[tuple[str, int], Passage] = field(default_factory=dict)
    # Each reference's excerpt pieces, located in its study's snapshot, by (claim, ref index).
    by_reference: dict[tuple[str, int], list[Passage]] = field(default_factory=dict)

    @classmethod
    def of(cls, corpus: Corpus) -> Passages:
        out = cls(dict(corpus.snapshot_texts))
        folded: dict[str, FoldedText] = {}
        for cid in sorted(corpus.claims):
            claim = corpus.claims[cid]
            for a in claim.sources:
                text = corpus.snapshot_texts.get(a.source)
                if text is None:
                    continue
                ft = folded.get(a.source)
                if ft is None:
                    ft = folded[a.source] = FoldedText.of(text)
                passage = _locate(ft, cid, a.index, a.source, a.quote, claim.level)
                if passage is not None:
                    out.by_source.setdefault(a.source, []).append(passage)
                    out.by_assertion[(cid, a.index)] = passage
            for r in claim.evidence.references if claim.evidence else []:
                text = corpus.snapshot_texts.get(r.source)
                if text is None or not r.excerpt or r.excerpt == vocab.UNKNOWN:
                    continue
                ft = folded.get(r.source)
                if ft is None:
                    ft = folded[r.source] = FoldedText.of(text)
                pieces = _locate_excerpt(ft, cid, r.index, r.source, r.excerpt, claim.level)
                if pieces:
                    out.by_source.setdefault(r.source, []).extend(pieces)
                    out.by_reference[(cid, r.index)] = pieces
        for items in out.by_source.values():
            items.sort(key=lambda p: (p.start, p.end, p.claim, p.index))
        return out


def _locate(
    ft: FoldedText, cid: str, index: int, source: str, quote: str, level: str | None
) -> Passage | None:
    needle = fold(quote)
    at = ft.folded.find(needle) if needle else -1
    if at < 0:
        return None
    start, end = ft.offsets[at], ft.offsets[at + len(needle) - 1] + 1
    cues = tuple(
        CueSpan(ft.offsets[at + c.start], ft.offsets[at + c.end - 1] + 1, c.kind, c.family)
        for c in find_cues(quote)
        if c.end <= len(needle)
    )
    return Passage(cid, index, source, start, end, level, cues)


def _locate_excerpt(
    ft: FoldedText, cid: str, index: int, source: str, excerpt: str, level: str | None
) -> list[Passage]:
    """The excerpt's verbatim pieces, in order, as the check finds them (none if any is
    missing: the check reports that excerpt, and the page shows it unmarked)."""
    spans = excerpt_spans(excerpt, ft.folded) or []
    return [
        Passage(
            cid, index, source, ft.offsets[a], ft.offsets[b - 1] + 1, level, kind="excerpt", piece=k
        )
        for k, (a, b) in enumerate(spans)
    ]


def level_class(level: str | None) -> str:
    return f"lv-{level}" if level else "lv-none"


def mark_text(
    text: str,
    passages: list[Passage],
    *,
    lo: int = 0,
    hi: int | None = None,
    anchors: bool = False,
    after: dict[Passage, Markup] | None = None,
) -> Markup:
    """text[lo:hi] escaped, with each passage in a <mark> and its cues in <b class="cue">.

    Quotes may overlap: the text is cut at every boundary and each piece is marked by the weakest
    claim covering it. With `anchors`, each passage's start gets an element with its anchor id;
    `after` adds markup right after a passage ends (the link to its claim).
    """
    hi = len(text) if hi is None else hi
    cuts = {lo, hi}
    for p in passages:
        for x in (p.start, p.end, *(c.start for c in p.cues), *(c.end for c in p.cues)):
            if lo <= x <= hi:
                cuts.add(x)
    points = sorted(cuts)
    starts: dict[int, list[Passage]] = {}
    ends: dict[int, list[Passage]] = {}
    for p in passages:
        starts.setdefault(p.start, []).append(p)
        ends.setdefault(p.end, []).append(p)
    out: list[str] = []
    for a, b in itertools.pairwise(points):
        if anchors:
            out += [
                f'<span class="anchor" id="{escape(p.anchor)}"></span>' for p in starts.get(a, [])
            ]
        piece = str(escape(text[a:b]))
        cue = next((c for p in passages for c in p.cues if c.start <= a and b <= c.end), None)
        if cue is not None:
            piece = (
                f'<b class="cue {escape(cue.kind)}" title="{escape(cue.kind)}: '
                f'{escape(cue.family)}">{piece}</b>'
            )
        covering = [p for p in passages if p.start <= a and b <= p.end]
        if covering:
            weakest = min(covering, key=lambda p: (_rank(p.level), p.claim))
            claims = " ".join(sorted({p.claim for p in covering}))
            kind = "quote" if any(p.kind == "quote" for p in covering) else "excerpt"
            piece = (
                f'<mark class="{kind} {level_class(weakest.level)}" '
                f'data-claims="{escape(claims)}">{piece}</mark>'
            )
        out.append(piece)
        if after:
            out += [str(after[p]) for p in ends.get(b, []) if p in after]
    return Markup("".join(out))


def context_window(text: str, passage: Passage) -> tuple[int, int]:
    """The stretch of text to show around a quote: its paragraph, trimmed to whole words."""
    lo = text.rfind("\n", 0, passage.start) + 1
    hi = text.find("\n", passage.end)
    hi = len(text) if hi < 0 else hi
    if passage.start - lo > CONTEXT_CHARS:
        lo = text.find(" ", passage.start - CONTEXT_CHARS, passage.start) + 1 or passage.start
    if hi - passage.end > CONTEXT_CHARS:
        cut = text.rfind(" ", passage.end, passage.end + CONTEXT_CHARS)
        hi = cut if cut > passage.end else passage.end
    return lo, hi


def quote_with_cues(quote: str) -> Markup:
    """A quote not found in any snapshot, shown on its own with its cues marked."""
    folded = fold(quote)
    out: list[str] = []
    at = 0
    for c in find_cues(quote):
        out.append(str(escape(folded[at : c.start])))
        out.append(
            f'<b class="cue {escape(c.kind)}" title="{escape(c.kind)}: {escape(c.family)}">'
            f"{escape(folded[c.start : c.end])}</b>"
        )
        at = c.end
    out.append(str(escape(folded[at:])))
    return Markup("".join(out))


def _rank(level: str | None) -> int:
    rank = level_rank(level)
    return -1 if rank is None else rank
