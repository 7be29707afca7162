"""Hedge and booster cues in a quote: how sure a source sounds.

Reads the cue lists from `kgraph.vocab` (the CoNLL-2010 / BioScope families) and finds them at
word boundaries. Used by the graph (cues on each assertion edge), the audit and the writers' tools.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kgraph import vocab
from kgraph.corpus.quotes import fold


@dataclass(frozen=True)
class Cue:
    text: str  # the words as they stand in the (folded) quote
    family: str  # modal, judgment, evidential, adverb, attribution, booster
    kind: str  # "hedge" or "booster"
    start: int
    end: int


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    parts = []
    for kind, terms in (("booster", vocab.BOOSTER_CUES), ("hedge", vocab.HEDGE_CUES)):
        for i, term in enumerate(terms):
            parts.append(f"(?P<{kind}_{i}>\\b(?:{term.value})\\b)")
    return re.compile("|".join(parts), re.IGNORECASE)


def find_cues(text: str) -> list[Cue]:
    """Every hedge and booster cue in a text, in order of appearance."""
    return list(_cues(text))


# The graph, the audit and the site each ask about the same quotes, one pass each over all of
# them: a cache smaller than the corpus's quotes would be cycled through and never hit.
@lru_cache(maxsize=1 << 20)
def _cues(text: str) -> tuple[Cue, ...]:
    folded = fold(text)
    out = []
    for m in _pattern().finditer(folded):
        group = m.lastgroup or ""
        kind, index = group.rsplit("_", 1)
        terms = vocab.BOOSTER_CUES if kind == "booster" else vocab.HEDGE_CUES
        out.append(Cue(m.group(0), terms[int(index)].label, kind, m.start(), m.end()))
    return tuple(out)


def is_hedged(text: str) -> bool:
    """True when the text carries a hedge cue and no booster."""
    cues = find_cues(text)
    return any(c.kind == "hedge" for c in cues) and not any(c.kind == "booster" for c in cues)
