"""A quote anchored in its snapshot as the Web Annotation model and browsers describe a passage:
its exact words with 32 characters either side, its code-point offsets, and a URL text fragment.

Read by the annotation export, the site's claim pages and `kgraph reanchor`: one place decides
what a quote's anchor is.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from kgraph.corpus.quotes import FoldedText

CONTEXT_CHARS = 32  # prefix and suffix length, as Hypothesis records them
# A text fragment names a long passage by its first and last words rather than in full.
FRAGMENT_WORDS = 4
_FRAGMENT_LONG = 10  # words: a quote up to this long is named in full
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Anchor:
    """Where a quote stands in a snapshot: `start`/`end` are code-point offsets into the
    snapshot text (Python string indices, not UTF-16 units or bytes), `exact` the snapshot's
    own words there (which may differ from the quote in typographic quotes, dashes and spaces)."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def anchor_at(text: str, start: int, end: int) -> Anchor:
    """The anchor of text[start:end], with up to CONTEXT_CHARS of context either side."""
    return Anchor(
        start,
        end,
        text[start:end],
        text[max(0, start - CONTEXT_CHARS) : start],
        text[end : end + CONTEXT_CHARS],
    )


def anchor_quote(text: str | FoldedText, quote: str) -> Anchor | None:
    """The anchor of a quote in a snapshot, found as `kgraph check` finds it; None if absent."""
    ft = text if isinstance(text, FoldedText) else FoldedText.of(text)
    span = ft.find(quote)
    if span is None:
        return None
    return anchor_at(ft.original, *span)


def _fragment_term(words: str) -> str:
    """One term of a text directive: percent-encoded, with `-`, `,` and `&` encoded too, since
    they separate the directive's parts (URL Fragment Text Directives, section 3.3)."""
    return urllib.parse.quote(" ".join(words.split()), safe="").replace("-", "%2D")


def text_fragment(anchor: Anchor, *, whole_prefix: bool = False, whole_suffix: bool = False) -> str:
    """`#:~:text=prefix-,start,end,-suffix` for the anchor: a browser scrolls to the passage
    and highlights it. A quote of up to ten words is named in full (no `end`); the prefix and
    suffix are the whole words of the 32-character context that touch the quote.

    `whole_prefix` / `whole_suffix`: the context starts or ends the text (nothing was cut)."""
    words = _WORD.findall(anchor.exact)
    if not words:
        return ""
    if len(words) <= _FRAGMENT_LONG:
        parts = [_fragment_term(" ".join(words))]
    else:
        parts = [
            _fragment_term(" ".join(words[:FRAGMENT_WORDS])),
            _fragment_term(" ".join(words[-FRAGMENT_WORDS:])),
        ]
    prefix = _prefix_words(anchor.prefix, whole_prefix)
    suffix = _suffix_words(anchor.suffix, whole_suffix)
    if prefix:
        parts.insert(0, _fragment_term(prefix) + "-")
    if suffix:
        parts.append("-" + _fragment_term(suffix))
    return "#:~:text=" + ",".join(parts)


def _prefix_words(prefix: str, whole: bool) -> str:
    """The whole words of the prefix, ending at the quote: the first word is dropped when the
    32-character window cut it, and the last when it runs into the quote (no space between)."""
    words = prefix.split()
    if not words or not prefix[-1].isspace():
        return ""  # the quote starts inside a word: no prefix can match at a word boundary
    if not whole and not prefix[0].isspace():
        words = words[1:]
    return " ".join(words[-FRAGMENT_WORDS:])


def _suffix_words(suffix: str, whole: bool) -> str:
    words = suffix.split()
    if not words or not suffix[0].isspace():
        return ""  # the quote ends inside a word or on punctuation: no suffix is safe
    if not whole and not suffix[-1].isspace():
        words = words[:-1]
    return " ".join(words[:FRAGMENT_WORDS])


def fragment_url(url: str, text: str, anchor: Anchor) -> str:
    """The live page's URL with the text fragment of a quote anchored in its snapshot `text`
    (any fragment the URL had is replaced: a text directive lives in the fragment)."""
    base = url.split("#", 1)[0]
    fragment = text_fragment(
        anchor,
        whole_prefix=anchor.start <= CONTEXT_CHARS,
        whole_suffix=anchor.end + CONTEXT_CHARS >= len(text),
    )
    return base + fragment
