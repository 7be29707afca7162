"""Vocabulary values the audit rules name, checked against `kgraph.vocab`, and message phrasing.

A rule that needs a particular value (the `mixed` direction, the `preclinical` source kind) takes
it from here; `_known` fails at import if the vocabulary ever drops or renames the value.
"""

from __future__ import annotations

from kgraph import vocab
from kgraph.corpus.model import Claim, Corpus


def _known(terms: tuple[vocab.Term, ...], *wanted: str) -> tuple[str, ...]:
    missing = [w for w in wanted if w not in vocab.values(terms)]
    if missing:
        raise ImportError(f"kgraph.audit names values missing from kgraph.vocab: {missing}")
    return wanted


CONTRADICTS, MIXED = _known(vocab.DIRECTIONS, "contradicts", "mixed")
SUPPORTING_REFERENCE_DIRECTIONS = frozenset(_known(vocab.REFERENCE_DIRECTIONS, "supports", "mixed"))
(PRECLINICAL,) = _known(vocab.SOURCE_KINDS, "preclinical")
(CONDITION,) = _known(vocab.ENTITY_TYPES, "condition")
# Claims the articles make about the people they address (patients), as opposed to facts about
# labels, history or words. Only these can be extrapolated from animals or healthy volunteers.
PATIENT_CLAIM_KINDS = frozenset(
    _known(vocab.CLAIM_KINDS, "mechanism", "effect", "experience", "dosing")
)
(POPULATION,) = _known(vocab.QUALIFIER_KEYS, "population")
TOP_RANK = max(lv.rank for lv in vocab.EVIDENCE_LEVELS)


def label(corpus: Corpus, source_id: str) -> str:
    """A source's display name in typographic quotes, for messages."""
    source = corpus.sources.get(source_id)
    return f"“{source.display if source else source_id}”"


def statement(claim: Claim) -> str:
    """The claim's statement in typographic quotes, without its final full stop."""
    return f"“{claim.statement.strip().rstrip('.')}”"


def words(quote: str) -> str:
    """A source's verbatim quote in typographic quotes, without its final punctuation."""
    return f"“{quote.strip().rstrip('.!?,;:')}”"


def claim_named(claim: Claim) -> str:
    """'claim grows (“Ketamine promotes growth”)': the claim's id, then its statement."""
    return f"claim {claim.id} ({statement(claim)})"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """'1 article', '3 articles' (or the given plural form: '2 analyses')."""
    return f"{n} {singular if n == 1 else plural_form or singular + 's'}"


def level_phrase(claim: Claim) -> str:
    """'ES-2 (preclinical only: animal or in-vitro results, not tested in humans)'."""
    lv = vocab.LEVEL_BY_VALUE.get(claim.level or "")
    if lv is None:
        return "ungraded"
    description = lv.description.rstrip(".")
    return f"{lv.value} ({lv.name}: {description[0].lower()}{description[1:]})"
