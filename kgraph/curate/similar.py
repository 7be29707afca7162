"""Claims that share a sentence's words, for the candidates `kgraph add` lists beside the
matcher's: the matcher (`kgraph.writers.find`) decides a merge; these only help a curator see
the claim a paraphrase repeats. Nothing here checks direction, denial or drug form.
"""

from __future__ import annotations

import math
from collections import Counter

from kgraph.corpus.model import Corpus
from kgraph.text.lexicon import STOPWORDS, stems
from kgraph.writers.find import Match

# Weighted overlap (IDF-weighted Jaccard of content stems) a claim text needs to be listed;
# chosen with scripts/eval_add.py on the four articles (see the README).
MIN_SIMILARITY = 0.10
UNSEEN_IDF = 2.0


def content(text: str) -> set[str]:
    return {s for s in stems(text) if s not in STOPWORDS and len(s) > 2}


class WordIndex:
    """Each claim's statement and quotes as sets of content stems, weighted by rarity."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.texts = {
            cid: [content(c.statement), *(content(a.quote) for a in c.sources)]
            for cid, c in sorted(corpus.claims.items())
        }
        df: Counter[str] = Counter()
        for bags in self.texts.values():
            df.update(set().union(*bags))
        n = len(self.texts)
        self.idf = {w: math.log((n + 1) / (d + 1)) + 1 for w, d in df.items()}

    def _weight(self, words: set[str]) -> float:
        return sum(self.idf.get(w, UNSEEN_IDF) for w in words)

    def similar(self, text: str, *, exclude: set[str], limit: int) -> list[tuple[Match, set[str]]]:
        """Up to `limit` claims not in `exclude` whose words the text shares most, as matches
        (score: the weighted overlap, 0-100), each with the words shared."""
        query = content(text)
        if not query or limit <= 0:
            return []
        scored: list[tuple[float, str, set[str]]] = []
        for cid, bags in self.texts.items():
            if cid in exclude:
                continue
            best, shared = 0.0, set()
            for bag in bags:
                union = self._weight(query | bag)
                both = query & bag
                ratio = self._weight(both) / union if union else 0.0
                if ratio > best:
                    best, shared = ratio, both
            if best >= MIN_SIMILARITY:
                scored.append((best, cid, shared))
        scored.sort(key=lambda t: (-t[0], t[1]))
        out = []
        for ratio, cid, shared in scored[:limit]:
            claim = self.corpus.claims[cid]
            match = Match(
                claim_id=cid,
                score=round(100 * ratio, 1),
                statement=claim.statement,
                kind=claim.kind,
                level=claim.level,
                direction=claim.evidence.direction if claim.evidence else None,
                why=(),
                references=(),
            )
            out.append((match, shared))
        return out
