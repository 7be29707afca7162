"""Who the evidence was gathered in, read from a claim's evidence fields, for the AU106 rule.

A supporting reference is classed by its source kind and its `population` and `design` text:
animals, healthy volunteers, another drug form, another condition, patients, or not stated. The
curator's `indirectness` text is read for the same gaps. docs/audit.md states the rules.
"""

from __future__ import annotations

import re

from kgraph.audit.terms import (
    CONDITION,
    PATIENT_CLAIM_KINDS,
    POPULATION,
    PRECLINICAL,
    SUPPORTING_REFERENCE_DIRECTIONS,
    TOP_RANK,
)
from kgraph.corpus.model import Claim, Corpus, Reference
from kgraph.corpus.quotes import fold

ANIMALS = "animals"
HEALTHY = "healthy volunteers"
DRUG_FORM = "another drug form"
OTHER_CONDITION = "another condition"
GAPS: tuple[str, ...] = (ANIMALS, HEALTHY, DRUG_FORM, OTHER_CONDITION)

GAP_PATTERNS: dict[str, re.Pattern[str]] = {
    ANIMALS: re.compile(
        r"\b(?:animals?|rodents?|rats?|mice|mouse|murine|primates?|monkeys?|in[ -]?vitro"
        r"|cell[ -]cultures?|cultured (?:cells|neurons)|preclinical)\b",
        re.IGNORECASE,
    ),
    HEALTHY: re.compile(
        r"\bhealthy (?:volunteers?|adults?|participants?|subjects?|controls?|people"
        r"|individuals|humans?|men|women)\b",
        re.IGNORECASE,
    ),
    DRUG_FORM: re.compile(
        r"\b(?:es-?ketamine|s-ketamine|arketamine|r-ketamine|spravato|hydroxynorketamine|hnk)\b",
        re.IGNORECASE,
    ),
    OTHER_CONDITION: re.compile(
        r"\b(?:another|other|a different|different) (?:disorder|condition|diagnosis|illness)s?\b",
        re.IGNORECASE,
    ),
}
# Population text that names a patient group: a mixed sample (patients and healthy controls) is
# evidence in patients, not in healthy volunteers.
_PATIENTS = re.compile(
    r"\b(?:patients?|(?:people|adults|veterans|participants|individuals|men|women) with)\b",
    re.IGNORECASE,
)
# Population text that says nothing about who was studied.
_UNSTATED = {"", "not applicable", "n/a", "unknown", "none"}


def about_patients(claim: Claim) -> bool:
    """Mechanism, effect, experience and dosing claims below the top level address patients,
    unless the claim's own population qualifier says it is about animals or healthy volunteers.

    A claim at the top level (ES-5) is established for humans by the level's own definition.
    """
    if claim.kind not in PATIENT_CLAIM_KINDS or claim.rank is None or claim.rank >= TOP_RANK:
        return False
    population = claim.qualifiers.get(POPULATION, "")
    return not any(GAP_PATTERNS[g].search(population) for g in (ANIMALS, HEALTHY))


def _pattern(names: list[str]) -> re.Pattern[str] | None:
    """One pattern for several names, longest first, matched at word boundaries."""
    names = sorted({n for n in names if n}, key=lambda n: (-len(n), n))
    if not names:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")


class Populations:
    """Classifies a corpus's evidence by population; built once per audit (patterns cached)."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._entity_patterns: dict[str, re.Pattern[str] | None] = {}
        # folded name -> condition entities it names, for "another condition".
        self._condition_of: dict[str, set[str]] = {}
        for eid, entity in sorted(corpus.entities.items()):
            if entity.type == CONDITION:
                for name in self.names(eid):
                    self._condition_of.setdefault(name, set()).add(eid)
        self._any_condition = _pattern(list(self._condition_of))

    def names(self, entity_id: str) -> list[str]:
        entity = self.corpus.entities.get(entity_id)
        if entity is None:
            return []
        return [fold(n).lower() for n in (entity.label, *entity.synonyms, entity.id) if n.strip()]

    def _mentions(self, text: str, entity_id: str) -> bool:
        if entity_id not in self._entity_patterns:
            self._entity_patterns[entity_id] = _pattern(self.names(entity_id))
        pattern = self._entity_patterns[entity_id]
        return pattern is not None and pattern.search(fold(text).lower()) is not None

    def _conditions_named(self, text: str) -> set[str]:
        if self._any_condition is None:
            return set()
        found: set[str] = set()
        for m in self._any_condition.finditer(fold(text).lower()):
            found |= self._condition_of[m.group(0)]
        return found

    def _about_form(self, claim: Claim) -> bool:
        """Whether the claim itself names another drug form (then that evidence is direct)."""
        parts = [claim.statement, *self.names(claim.subject), *self.names(claim.object)]
        return GAP_PATTERNS[DRUG_FORM].search(" ".join(parts)) is not None

    def classify(self, claim: Claim, ref: Reference) -> str | None:
        """The gap a reference shows for this claim, 'patients' when direct, None if unstated."""
        source = self.corpus.sources.get(ref.source)
        population = self.corpus.population(ref.source)
        study = self.corpus.study(ref.source)
        drug = study.drug if study is not None and study.drug not in ("", "unknown") else ""
        text = f"{population} {self.corpus.design_words(ref.source)} {drug}"
        if (source is not None and source.kind == PRECLINICAL) or GAP_PATTERNS[ANIMALS].search(
            text
        ):
            return ANIMALS
        if GAP_PATTERNS[HEALTHY].search(text) and not _PATIENTS.search(population):
            return HEALTHY
        if GAP_PATTERNS[DRUG_FORM].search(text) and not self._about_form(claim):
            return DRUG_FORM
        if fold(population).lower() in _UNSTATED:
            return None
        target = self.corpus.entities.get(claim.object)
        if (
            target is not None
            and target.type == CONDITION
            and not self._mentions(population, claim.object)
            and self._conditions_named(population) - {claim.object}
        ):
            return OTHER_CONDITION
        return "patients"

    def gaps(self, claim: Claim) -> list[str]:
        """The gaps between the evidence and a patient claim, in `GAPS` order; [] when none.

        Fires only when no supporting reference was done in patients: the gaps come from the
        supporting references and from the curator's indirectness text.
        """
        ev = claim.evidence
        if ev is None or not about_patients(claim):
            return []
        supporting = [r for r in ev.references if r.direction in SUPPORTING_REFERENCE_DIRECTIONS]
        classes = [self.classify(claim, r) for r in supporting]
        if "patients" in classes:
            return []
        found = {c for c in classes if c is not None}
        for gap, pattern in GAP_PATTERNS.items():
            if not pattern.search(ev.indirectness):
                continue
            if gap == DRUG_FORM and self._about_form(claim):
                continue
            found.add(gap)
        return [g for g in GAPS if g in found]
