"""Precision and recall of the claim matcher against labelled sentences.

Reads labelled sets (tests/data/draft_sentences.yaml, the development set, and
tests/data/draft_sentences_heldout.yaml, never tuned on: text, expected claim id or null, other
acceptable ids, the sentence before) and scores `kgraph.writers.find.ClaimIndex` on them, for a
test and scripts/eval_matcher.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import yaml

from kgraph.writers.find import DEFAULT_THRESHOLD, ClaimIndex


@dataclass(frozen=True)
class Labelled:
    text: str
    expect: str | None
    also: tuple[str, ...]
    group: str
    split: str
    before: str | None = None  # the sentence before it in a draft (a pronoun's antecedent)

    @property
    def acceptable(self) -> set[str]:
        return ({self.expect} if self.expect else set()) | set(self.also)


@dataclass(frozen=True)
class Outcome:
    item: Labelled
    predicted: str | None
    score: float | None

    @property
    def verdict(self) -> str:
        """tp (right claim), fp (a claim, but not a right one), fn (missed), tn (rightly none)."""
        if self.predicted is None:
            return "fn" if self.item.expect else "tn"
        return "tp" if self.predicted in self.item.acceptable else "fp"


@dataclass
class Evaluation:
    threshold: float
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, verdict: str) -> int:
        return sum(1 for o in self.outcomes if o.verdict == verdict)

    @property
    def precision(self) -> float:
        predicted = self.count("tp") + self.count("fp")
        return self.count("tp") / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        expected = sum(1 for o in self.outcomes if o.item.expect)
        return self.count("tp") / expected if expected else 1.0

    def subset(self, split: str) -> Evaluation:
        return Evaluation(self.threshold, [o for o in self.outcomes if o.item.split == split])


def load_labels(path: str | os.PathLike[str]) -> list[Labelled]:
    with open(path, encoding="utf-8") as fh:
        data: dict[str, list[dict[str, Any]]] = yaml.safe_load(fh)
    return [
        Labelled(
            text=item["text"],
            expect=item.get("expect"),
            also=tuple(item.get("also") or ()),
            group=item["group"],
            split=split,
            before=item.get("before"),
        )
        for split, items in data.items()
        for item in items
    ]


def unknown_ids(index: ClaimIndex, items: list[Labelled]) -> list[str]:
    """Labelled claim ids the corpus does not hold (a renamed or removed claim)."""
    known = set(index.corpus.claims)
    return sorted({cid for it in items for cid in it.acceptable} - known)


def evaluate(
    index: ClaimIndex, items: list[Labelled], threshold: float = DEFAULT_THRESHOLD
) -> Evaluation:
    """The matcher's top match for each sentence, judged against its label."""
    result = Evaluation(threshold)
    for item in items:
        matches = index.find(item.text, limit=1, threshold=threshold, before=item.before)
        top = matches[0] if matches else None
        result.outcomes.append(
            Outcome(item, top.claim_id if top else None, top.score if top else None)
        )
    return result
