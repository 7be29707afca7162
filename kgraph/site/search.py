"""The search index the graph pages embed: claims, entities and sources, with words and synonyms.

A claim is found by its statement, its tags, and the labels and synonyms of its subject and
object, so "post-traumatic stress disorder" finds a claim about `ptsd`.
"""

from __future__ import annotations

from typing import Any

from kgraph import vocab
from kgraph.corpus.model import Corpus
from kgraph.corpus.quotes import fold
from kgraph.site.links import page_path

KIND_LABELS = {t.value: t.label for t in vocab.CLAIM_KINDS}


def _text(*parts: str | None) -> str:
    return fold(" ".join(p for p in parts if p)).lower()


def search_index(corpus: Corpus) -> list[dict[str, Any]]:
    """One entry per claim, entity and source, in a stable order.

    `text` holds the words beside the label. A claim lists its entities (`e`) rather than
    repeating their names: the page adds the label and the entities' names to an entry's words
    when it first searches, which keeps the index small.
    """
    items: list[dict[str, Any]] = []
    for cid in sorted(corpus.claims):
        c = corpus.claims[cid]
        words = [KIND_LABELS.get(c.kind), *c.tags, *c.qualifiers.values()]
        entities = [e for e in dict.fromkeys((c.subject, c.object)) if e in corpus.entities]
        items.append(
            {"id": cid, "k": "claim", "label": c.statement, "href": page_path("claim", cid),
             "text": _text(*words), "e": entities}
        )  # fmt: skip
    for eid in sorted(corpus.entities):
        e = corpus.entities[eid]
        items.append(
            {"id": eid, "k": "entity", "label": e.label, "href": page_path("entity", eid),
             "text": _text(*e.synonyms), "more": _text(e.description)}
        )  # fmt: skip
    for sid in sorted(corpus.sources):
        s = corpus.sources[sid]
        items.append(
            {"id": sid, "k": "source", "label": s.display, "href": page_path("source", sid),
             "text": _text(s.title, *s.authors, s.journal)}
        )  # fmt: skip
    return items
