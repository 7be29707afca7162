"""Verbatim quotes: the folding used to compare a quote with its snapshot, and where it stands.

Folding is deliberately narrow (white space, typographic quotes, dashes) and nothing looser: a
quote that differs in a word is not the quote. Used by the checker, the site and the audit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_SPACE = re.compile(r"\s+")
# The longest closest-passage hint, and the most of a quote compared to find it.
HINT_CHARS = 240


def fold(text: str) -> str:
    """Fold typographic quotes and dashes to ASCII and runs of white space to one space."""
    return _SPACE.sub(" ", text.translate(_FOLD)).strip()


@dataclass
class FoldedText:
    """A text folded for quote search, with a map from folded offsets back to the original."""

    original: str
    folded: str
    offsets: list[int]  # offsets[i] = index in `original` of folded[i]

    @classmethod
    def of(cls, original: str) -> FoldedText:
        out: list[str] = []
        offsets: list[int] = []
        in_space = False
        translated = original.translate(_FOLD)
        for i, ch in enumerate(translated):
            if ch.isspace():
                if not in_space and out:
                    out.append(" ")
                    offsets.append(i)
                in_space = True
                continue
            in_space = False
            out.append(ch)
            offsets.append(i)
        if out and out[-1] == " ":
            out.pop()
            offsets.pop()
        return cls(original, "".join(out), offsets)

    def find(self, quote: str) -> tuple[int, int] | None:
        """(start, end) of the quote in the original text, or None if it does not occur."""
        needle = fold(quote)
        if not needle:
            return None
        i = self.folded.find(needle)
        if i < 0:
            return None
        start = self.offsets[i]
        end = self.offsets[i + len(needle) - 1] + 1
        return start, end

    def line_col(self, offset: int) -> tuple[int, int]:
        line = self.original.count("\n", 0, offset) + 1
        col = offset - (self.original.rfind("\n", 0, offset) + 1) + 1
        return line, col

    def closest(self, quote: str) -> str | None:
        """The passage of the text closest to a quote that was not found (for a hint)."""
        # Imported here: only a quote that was not found needs it, and `kgraph check` starts
        # faster without it.
        from rapidfuzz import fuzz

        # Only the quote's opening words are aligned: the work grows with the quote's length
        # times the text's, so a pasted megabyte would stall the check, and the hint shows no
        # more than HINT_CHARS of the source anyway.
        needle = fold(quote)[:HINT_CHARS]
        if not needle or not self.folded:
            return None
        match = fuzz.partial_ratio_alignment(needle, self.folded)
        if match is None or match.score < 50:
            return None
        # Widen the aligned span to whole words, so the hint reads as the source does.
        start, end = match.dest_start, match.dest_end
        while start > 0 and not self.folded[start - 1].isspace():
            start -= 1
        while end < len(self.folded) and not self.folded[end].isspace():
            end += 1
        passage = self.folded[start:end]
        return passage if len(passage) <= HINT_CHARS else passage[: HINT_CHARS - 3] + "..."
