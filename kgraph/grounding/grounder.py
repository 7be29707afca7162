"""Proposed identifiers for an entity: gilda's grounder over the pinned terms of the
vocabularies its type allows, offline, with gilda's scores.

gilda's own default term set is downloaded at first use; it is never asked for here: the
grounder is always built from the pinned tables, so the same names give the same proposals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from gilda import Grounder
from gilda.process import normalize
from gilda.term import Term

from kgraph import vocab
from kgraph.grounding import terms


@dataclass(frozen=True)
class Proposal:
    """A term proposed for an entity, with the name that matched and gilda's score (0 to 1)."""

    curie: str
    label: str
    version: str
    vocabulary: str  # the name of the first allowed vocabulary the term is within
    score: float
    matched: str  # the entity's name (label or synonym) that matched
    status: str  # how that name matched the term: its label ("name") or a "synonym"

    def to_dict(self) -> dict[str, Any]:
        return {
            "curie": self.curie,
            "label": self.label,
            "version": self.version,
            "vocabulary": self.vocabulary,
            "score": self.score,
            "matched": self.matched,
            "status": self.status,
        }


def _gilda_terms(vocabularies: tuple[vocab.Vocabulary, ...]) -> list[Any]:
    out = []
    for term in terms.terms_in(vocabularies):
        for status, text in [("name", term.label)] + [("synonym", s) for s in term.synonyms]:
            norm = normalize(text)
            if norm.strip():
                out.append(Term(norm, text, term.prefix, term.id, term.label, status, "kgraph"))
    return out


@cache
def _grounder(names: tuple[str, ...]) -> Any:
    vocabularies = tuple(vocab.VOCABULARY_BY_NAME[n] for n in names)
    return Grounder(_gilda_terms(vocabularies))


def propose(entity_type: str, names: Sequence[str], limit: int = 3) -> list[Proposal]:
    """The best terms for an entity of this type known by these names, best first.

    Only terms of the vocabularies the type allows are proposed; a type with none (or names
    that match nothing) gets an empty list. Ties go to the type's preferred vocabulary, then
    to the CURIE, so the order is stable.
    """
    allowed = terms.allowed(entity_type)
    if not allowed:
        return []
    grounder = _grounder(tuple(v.name for v in allowed))
    best: dict[str, Proposal] = {}
    for name in names:
        if not name.strip():
            continue
        for match in grounder.ground(name):
            curie = f"{match.term.db}:{match.term.id}"
            term = terms.lookup(curie)
            if term is None:
                continue
            score = round(float(match.score), 4)
            old = best.get(curie)
            if old is not None and old.score >= score:
                continue
            where = next(v.name for v in allowed if term.within(v))
            best[curie] = Proposal(
                curie,
                term.label,
                terms.version(term.prefix),
                where,
                score,
                name,
                str(match.term.status),
            )
    order = {v.name: i for i, v in enumerate(allowed)}
    ranked = sorted(best.values(), key=lambda p: (-p.score, order[p.vocabulary], p.curie))
    return ranked[:limit]
