"""Corpus history: two states of a corpus (git revisions or folders) compared claim by claim.

`open_side` reads one state, `diff_corpora` compares two, `render_diff` prints the result;
`diff` does all three for `kgraph diff`. The rules a pull request must keep are in `RULES`.
"""

from kgraph.history.compare import (
    DEFAULT_RULES,
    RULES,
    ClaimChange,
    CorpusDiff,
    Side,
    diff_corpora,
)
from kgraph.history.render import FORMATS, render_diff
from kgraph.history.sides import SideError, diff, open_side

__all__ = [
    "DEFAULT_RULES",
    "FORMATS",
    "RULES",
    "ClaimChange",
    "CorpusDiff",
    "Side",
    "SideError",
    "diff",
    "diff_corpora",
    "open_side",
    "render_diff",
]
