"""The derivation: from the references' designs and directions and the GRADE domains to a level.

One documented mapping (docs/grading.md prints `MAPPING` and the rules below):

1. Direction follows the references: `supports` and `contradicts` both present (or a `mixed`
   reference) make `mixed`; only supporting ones `supports`; only contradicting ones
   `contradicts`; none that takes a side (all `neutral`, or no reference) `untested`.
2. No reference at all: ES-0 (nothing found). References, but all background (neutral): ES-1
   (speculative: an extrapolation from them, untested).
3. A fact (a regulatory, historical, dosing or definition claim) that a primary document records
   (a label, an approval, a guideline, the original report; a textbook for a definition): ES-5.
4. Otherwise the best design among the references that take a side sets the start, as GRADE
   does: randomised trials (or a review of them) high, controlled observational studies low,
   uncontrolled ones very low. Each domain rated `serious` takes one level off, `very-serious`
   two; each upgrade adds what it says; the result stays within very low..high.
5. GRADE's certainty maps onto ES: high or moderate is ES-5; low is ES-4 when the start was
   randomised and the trials agree (inconsistency `none`), else ES-3; very low is ES-3.
6. With no human study that takes a side: animal or in-vitro work is ES-2, narrative reviews and
   expert opinion ES-1.

Where an input the rule needs is unknown (a design, a domain), nothing is derived: `level` is None
and `missing` says what is needed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kgraph import vocab

# Claims about a document or a word, not about what a drug does: a primary document settles them.
FACT_KINDS: frozenset[str] = frozenset({"regulatory", "historical", "dosing", "definition"})
# Designs that settle a fact of that kind (a textbook or review settles a definition).
_FACT_BASES: dict[str, frozenset[str]] = {
    "regulatory": frozenset({"document"}),
    "historical": frozenset({"document"}),
    "dosing": frozenset({"document"}),
    "definition": frozenset({"document", "opinion"}),
}
_START_BY_BASIS = {"randomised": 4, "observational": 2, "uncontrolled": 1}
_START_BY_REVIEW = {"randomised": 4, "mixed": 4, "observational": 2}
_CERTAINTY_BY_RANK = {4: "high", 3: "moderate", 2: "low", 1: "very-low"}

# The mapping as a table (docs/grading.md): (evidence, GRADE certainty, ES level, why).
MAPPING: tuple[tuple[str, str, str, str], ...] = (
    ("no reference", "-", "ES-0", "nothing found that tests the claim"),
    ("references, all background (neutral)", "-", "ES-1", "an extrapolation, untested"),
    ("a fact recorded in a primary document", "-", "ES-5", "a label, approval or original report"),
    ("human studies", "high", "ES-5", "GRADE high"),
    ("human studies", "moderate", "ES-5", "GRADE moderate"),
    ("randomised start, trials agree", "low", "ES-4", "RCTs agree, certainty low"),
    ("any other start, or trials disagree", "low", "ES-3", "preliminary or mixed"),
    ("human studies", "very low", "ES-3", "preliminary or mixed"),
    ("animal or in-vitro work only", "-", "ES-2", "preclinical only"),
    ("narrative reviews or expert opinion only", "-", "ES-1", "speculative"),
)


@dataclass(frozen=True)
class RefInput:
    """What the derivation needs of one reference: its study's design and its direction."""

    design: str  # a STUDY_DESIGNS value, or "unknown"
    direction: str  # a REFERENCE_DIRECTIONS value
    review_of: str = ""  # for reviews: a REVIEW_OF value, "unknown" or ""
    label: str = ""  # how messages name the reference (its source id)


@dataclass(frozen=True)
class Step:
    """One move of the certainty: a domain rated down, or an upgrade."""

    name: str  # a DOMAINS or UPGRADES value
    rating: str
    change: int  # levels: negative down, positive up
    reason: str = ""


@dataclass
class Derivation:
    """The derived level, and how it was reached (for the check, the site and the exports)."""

    level: str | None  # an ES value, or None when an input it needs is unknown
    direction: str
    track: str  # none, untested, document, grade, preclinical, opinion
    start: str | None = None  # GRADE's starting certainty on the grade track
    certainty: str | None = None  # GRADE's certainty on the grade track
    steps: list[Step] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    best: str = ""  # the design that set the start

    @property
    def explanation(self) -> str:
        """One sentence on how the level was reached, for rating explanations and tooltips."""
        if self.level is None:
            return "not derived: " + "; ".join(self.missing)
        if self.track == "none":
            return f"{self.level}: no reference"
        if self.track == "untested":
            return f"{self.level}: every reference is background; none tests the claim"
        if self.track == "document":
            return f"{self.level}: a fact recorded in a primary document ({self.best})"
        if self.track == "preclinical":
            return f"{self.level}: animal or in-vitro work only"
        if self.track == "opinion":
            return f"{self.level}: narrative reviews or expert opinion only"
        moves = [
            f"{_word(s.name)} {s.rating.replace('-', ' ')} ({s.change:+d})"
            for s in self.steps
            if s.change
        ]
        tail = ", ".join(moves) if moves else "no domain rated down"
        start = (self.start or "").replace("-", " ")
        certainty = (self.certainty or "").replace("-", " ")
        return f"{self.level}: GRADE {certainty} (starts {start} from {self.best}; {tail})"


def _word(name: str) -> str:
    return name.replace("_", " ")


def derive_direction(directions: Sequence[str]) -> str:
    """The direction the references give the body of evidence (rule 1)."""
    sides = set(directions) - {"neutral"}
    if not sides:
        return vocab.UNTESTED
    if "mixed" in sides or {"supports", "contradicts"} <= sides:
        return "mixed"
    return "supports" if "supports" in sides else "contradicts"


def direction_problem(stated: str, directions: Sequence[str]) -> str | None:
    """Why a stated direction does not follow from the references, or None when it does."""
    sides = set(directions) - {"neutral"}
    if stated == "supports" and not sides & {"supports", "mixed"}:
        return "`supports` needs a reference that supports the claim"
    if stated == "contradicts" and not sides & {"contradicts", "mixed"}:
        return "`contradicts` needs a reference that goes against the claim"
    if stated == "mixed" and not ("mixed" in sides or {"supports", "contradicts"} <= sides):
        return "`mixed` needs references on both sides (or one whose finding is mixed)"
    if stated == vocab.UNTESTED and sides:
        return "`untested` means no reference takes a side, but some do"
    return None


def _start(ref: RefInput) -> tuple[str, int | None, str | None]:
    """(basis, GRADE start rank or None, what is missing or None) for one reference."""
    design = vocab.DESIGN_BY_VALUE.get(ref.design)
    if design is None:
        return "unknown", None, f"the design of {ref.label or 'a reference'}'s study"
    if design.basis == "review":
        if ref.review_of in _START_BY_REVIEW:
            return "review", _START_BY_REVIEW[ref.review_of], None
        if ref.review_of == "preclinical":
            return "preclinical", None, None
        return "review", None, f"what {ref.label or 'a review'} reviewed (`study.review_of`)"
    return design.basis, _START_BY_BASIS.get(design.basis), None


def derive(
    kind: str,
    refs: Sequence[RefInput],
    domains: Mapping[str, tuple[str, str]] | None = None,
    upgrades: Mapping[str, tuple[str, str]] | None = None,
) -> Derivation:
    """The level for a claim of `kind` on these references and ratings.

    `domains` and `upgrades` map a DOMAINS / UPGRADES value to (rating, reason); a rating of
    "unknown", or a domain left out, is not known.
    """
    domains = domains or {}
    upgrades = upgrades or {}
    direction = derive_direction([r.direction for r in refs])
    if not refs:
        return Derivation(vocab.NO_EVIDENCE_LEVEL, direction, "none")
    taking_sides = [r for r in refs if r.direction != "neutral"]
    if not taking_sides:
        return Derivation("ES-1", direction, "untested")
    fact_bases = _FACT_BASES.get(kind, frozenset())
    for r in taking_sides:
        design = vocab.DESIGN_BY_VALUE.get(r.design)
        if design is not None and design.basis in fact_bases:
            return Derivation("ES-5", direction, "document", best=design.label)
    starts = [(r, *_start(r)) for r in taking_sides]
    design_missing = [m for _, _, _, m in starts if m]
    human = [(rank, r) for r, _, rank, _ in starts if rank is not None]
    bases = {basis for _, basis, _, _ in starts}
    if not human:
        if design_missing:
            return Derivation(None, direction, "grade", missing=design_missing)
        if "preclinical" in bases:
            return Derivation("ES-2", direction, "preclinical")
        return Derivation("ES-1", direction, "opinion")
    start_rank, best_ref = max(human, key=lambda pair: pair[0])
    best = vocab.DESIGN_BY_VALUE[best_ref.design].label
    start = _CERTAINTY_BY_RANK[start_rank]
    # An unknown design could be a better start than the best known one, unless that is high.
    if start_rank < 4 and design_missing:
        return Derivation(None, direction, "grade", start=start, missing=design_missing, best=best)
    steps: list[Step] = []
    missing: list[str] = []
    for term in vocab.DOMAINS:
        rating, reason = domains.get(term.value, (vocab.UNKNOWN, ""))
        if rating not in vocab.DOMAIN_STEPS:
            missing.append(f"the {term.label} rating")
            continue
        steps.append(Step(term.value, rating, -vocab.DOMAIN_STEPS[rating], reason))
    for term in vocab.UPGRADES:
        rating, reason = upgrades.get(term.value, ("none", ""))
        if rating not in vocab.UPGRADE_STEPS:
            missing.append(f"the {term.label} upgrade")
            continue
        steps.append(Step(term.value, rating, vocab.UPGRADE_STEPS[rating], reason))
    if missing:
        return Derivation(None, direction, "grade", start=start, missing=missing, best=best)
    rank = max(1, min(4, start_rank + sum(s.change for s in steps)))
    agree = domains.get("inconsistency", ("", ""))[0] == "none"
    if rank >= 3:
        level = "ES-5"
    elif rank == 2 and start_rank == 4 and agree:
        level = "ES-4"
    else:
        level = "ES-3"
    return Derivation(
        level,
        direction,
        "grade",
        start=start,
        certainty=_CERTAINTY_BY_RANK[rank],
        steps=steps,
        best=best,
    )
