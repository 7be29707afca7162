"""Find the claims a piece of text makes: rank a corpus's claims against a sentence.

A writers' tool over a loaded `Corpus` (`kgraph find`, and the draft checker). Texts are read by
`kgraph.text.analysis`; gates refuse a claim the text contradicts (other direction, negation, other
drug, other approval): precision first, since a wrong match tells a writer an unsupported
sentence is supported.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz import fuzz, process

from kgraph import vocab
from kgraph.corpus.model import Claim, Corpus
from kgraph.text import lexicon
from kgraph.text.analysis import (
    Analysis,
    Cue,
    EntityLexicon,
    Mention,
    analyse,
    carries_cue,
    resolve_pronoun,
)
from kgraph.text.lexicon import BETTER, CAUSE, DOWN, NEUTRAL, SIZE, UP, WORSE

# Score (0-100) a match must reach to be reported; chosen on tests/data/draft_sentences.yaml,
# where it gives the precision and recall reported in the README (scripts/eval_matcher.py).
DEFAULT_THRESHOLD = 60.0
# A sentence whose content words are this close to a recorded quote or statement (token sort
# ratio) is that claim even where an entity is named by a word no synonym lists.
VERBATIM_RATIO = 90.0
# Content words a quote or statement needs before a near-verbatim match counts.
MIN_VERBATIM_WORDS = 4
# Entity types broad enough that naming another one does not rule out a claim's subject.
BROAD_TYPES = frozenset({"concept", "process", "outcome", "experience", "symptom"})
# A metaphor's record ranks below a factual claim the same sentence matches (see `_score`).
RHETORIC_FACTOR = 0.85
# Points taken off for a sentence whose content words the claim does not use (all of them: the
# full penalty), and the weight of a word no claim uses (below most IDFs: often filler).
EXTRA_PENALTY = 15.0
UNSEEN_IDF = 2.0
# An object left unnamed is said through this many of the claim's words, carrying this share
# of the sentence's weight (see `ClaimIndex._implied_object`).
IMPLIED_MIN_WORDS = 2
IMPLIED_MIN_SHARE = 0.6
# "X is a Y" for a Y of these entity types says the claim of this predicate.
ROUTE_READINGS: dict[str | None, str] = {"route": "administered_by"}
# Words that put the doer after what is done to it: "reduced by ketamine", "fewer after ketamine".
AGENT_WORDS = frozenset(
    {"by", "after", "with", "from", "under", "follow", "using", "via", "through"}
)


@dataclass(frozen=True)
class Match:
    """A claim that a text matches, with its score and the reasons."""

    claim_id: str
    score: float
    statement: str
    kind: str
    level: str | None
    direction: str | None
    why: tuple[str, ...]
    references: tuple[str, ...]  # primary (evidence-kind) sources behind the claim
    object_named: bool = True  # False: the object is only implied by the sentence's words

    def to_dict(self) -> dict[str, Any]:
        return {
            "claim": self.claim_id,
            "score": self.score,
            "statement": self.statement,
            "kind": self.kind,
            "level": self.level,
            "direction": self.direction,
            "why": list(self.why),
            "references": list(self.references),
        }


@dataclass(frozen=True)
class Rejection:
    """A claim the text nearly matched, and why it was refused or ranked out."""

    claim_id: str
    statement: str
    reason: str
    score: float | None  # the score it reached, when refused only for falling short
    overlap: float  # share of the claim's words the text also uses (0-1), for ranking

    def to_dict(self) -> dict[str, Any]:
        return {
            "claim": self.claim_id,
            "statement": self.statement,
            "reason": self.reason,
            "score": self.score,
        }


class _Refused(Exception):
    """A gate refuses a claim the text names: the reason, in words for a writer."""


@dataclass
class ClaimProfile:
    claim: Claim
    texts: list[tuple[str, Analysis]]  # (label, analysis): the statement, then each quote
    direction: str | None
    negated: bool
    numbers: frozenset[str]
    entities: set[str]
    references: tuple[str, ...]
    size: bool  # the claim itself speaks of size (shrinks, enlarges)
    leads: frozenset[str]  # entities the statement names first (what it is about, as worded)
    # Entities the evidence's findings and excerpts name (esketamine behind a ketamine route).
    evidence_entities: frozenset[str]
    # Content stems of the claim's texts and of its object's names: what an unnamed object
    # may be said through ("works fast" for a rapid antidepressant effect).
    words: frozenset[str]
    sorted_words: list[str] = field(default_factory=list)  # the same, sorted, for fuzzy lookup

    def __post_init__(self) -> None:
        self.sorted_words = sorted(self.words)


@dataclass
class ClaimIndex:
    """The claims of a corpus, read once, ready to rank against any number of sentences."""

    corpus: Corpus
    entities: EntityLexicon = field(init=False)
    profiles: list[ClaimProfile] = field(init=False)
    idf: dict[str, float] = field(init=False)

    def __post_init__(self) -> None:
        self.entities = EntityLexicon(self.corpus)
        self.profiles = [self._profile(c) for _, c in sorted(self.corpus.claims.items())]
        df: Counter[str] = Counter()
        for p in self.profiles:
            df.update(set().union(*(a.terms for _, a in p.texts)))
        n = len(self.profiles)
        self.idf = {t: math.log((n + 1) / (d + 1)) + 1 for t, d in df.items()}

    def _profile(self, claim: Claim) -> ClaimProfile:
        texts = [("statement", analyse(claim.statement, self.entities))]
        texts += [
            (f"quote from {a.source}", analyse(a.quote, self.entities)) for a in claim.sources
        ]
        statement = texts[0][1]
        direction = lexicon.predicate_direction(claim.predicate)
        if direction is None:
            directional = [c for c in statement.cues if c.cue.direction != NEUTRAL]
            direction = directional[0].cue.direction if directional else None
        refs: list[str] = []
        if claim.evidence:
            for r in claim.evidence.references:
                src = self.corpus.sources.get(r.source)
                if src and src.is_evidence_kind and r.source not in refs:
                    refs.append(r.source)
        found: set[str] = set()
        for r in claim.evidence.references if claim.evidence else []:
            words = lexicon.words(f"{r.finding} {r.excerpt}")
            tokens = [lexicon.stem(w) for w in words]
            found.update(
                e for m in self.entities.mentions(tokens, words, typos=False) for e in m.entities
            )
        obj = self.corpus.entities.get(claim.object)
        names = [obj.label, *obj.synonyms] if obj is not None else []
        named = [analyse(n, _NO_ENTITIES) for n in names]
        return ClaimProfile(
            claim=claim,
            texts=texts,
            direction=direction,
            negated=statement.negated,
            numbers=frozenset().union(*(a.numbers for _, a in texts)),
            entities={claim.subject, claim.object}.union(*(a.entity_ids for _, a in texts)),
            references=tuple(refs),
            size=any(c.cue.direction == SIZE for _, a in texts for c in a.cues),
            leads=statement.mentions[0].entities if statement.mentions else frozenset(),
            evidence_entities=frozenset(found),
            words=frozenset(t for _, a in texts for t in a.terms).union(
                *(a.content for a in named)
            ),
        )

    def find(
        self,
        text: str,
        limit: int = 5,
        threshold: float = DEFAULT_THRESHOLD,
        before: str | None = None,
    ) -> list[Match]:
        """Claims the text matches at or above the threshold, best first (ties by id).

        `before` is the sentence that precedes the text in a draft: a leading "It" or "They"
        is read as what it stands for there ("It works on the glutamate system" after a
        sentence about ketamine).
        """
        return self._rank(text, threshold, before)[0][:limit]

    def explain(
        self,
        text: str,
        limit: int = 5,
        threshold: float = DEFAULT_THRESHOLD,
        before: str | None = None,
    ) -> list[Rejection]:
        """The claims the text nearly matched and why each was not reported: refused by a gate
        (another direction, a denial, another subject...), below the threshold, or outranked
        by a claim whose object the text names. Closest first."""
        rejected = self._rank(text, threshold, before)[1]
        rejected.sort(key=lambda r: (r.score is None, -(r.score or 0), -r.overlap, r.claim_id))
        return rejected[:limit]

    def _rank(
        self, text: str, threshold: float, before: str | None
    ) -> tuple[list[Match], list[Rejection]]:
        query, note = self._query(text, before)
        matches: list[Match] = []
        rejected: list[Rejection] = []
        for p in self.profiles:
            found = self._score(query, p)
            if isinstance(found, Rejection):
                rejected.append(found)
            elif found is not None and found.score < threshold:
                reason = f"score {found.score:g} is below the threshold {threshold:g}"
                rejected.append(_rejection(found, reason))
            elif found is not None:
                matches.append(found)
        if any(m.object_named for m in matches):
            # A claim whose object the sentence names beats one it only implies.
            reason = "the text only implies its object; another claim's object is named"
            rejected += [_rejection(m, reason) for m in matches if not m.object_named]
            matches = [m for m in matches if m.object_named]
        matches.sort(key=lambda m: (-m.score, m.claim_id))
        if note:
            matches = [replace(m, why=(note, *m.why)) for m in matches]
        return matches, rejected

    def _query(self, text: str, before: str | None) -> tuple[Analysis, str | None]:
        resolved = resolve_pronoun(text, before, self.entities) if before else None
        if resolved is None:
            return analyse(text, self.entities), None
        rewritten, antecedent = resolved
        pronoun = text.split()[0]
        note = f"'{pronoun}' read as '{antecedent}', from the sentence before"
        return analyse(rewritten, self.entities), note

    def _score(self, q: Analysis, p: ClaimProfile) -> Match | Rejection | None:
        """The claim's match for the sentence; a Rejection when a gate refuses a claim the
        sentence names the object of; None when the sentence is not about it at all."""
        try:
            return self._match(q, p)
        except _Refused as refused:
            lexical = self._lexical(q, p)[0]
            return Rejection(p.claim.id, p.claim.statement, str(refused), None, lexical)

    def _match(self, q: Analysis, p: ClaimProfile) -> Match | None:
        claim = p.claim
        why: list[str] = []
        verbatim, verbatim_label = self._verbatim(q, p)
        obj = q.mention_of(claim.object)
        implied: list[str] | None = None
        if obj is None and verbatim < VERBATIM_RATIO:
            implied = self._implied_object(q, p)
            if implied is None:
                return None
            why.append(
                f"object {self._label(claim.object)} left unnamed, said through "
                f"{', '.join(repr(w) for w in self._words(implied, q))}"
            )
        cue = q.governing_cue(obj) if obj else None
        # A denial counts where it bears on the claim: "While it's not for everyone, many
        # clinicians see it as promising" still says the second thing.
        if q.negated_near(obj, cue) != p.negated:
            raise _Refused(
                "the sentence denies what the claim says"
                if not p.negated
                else "the claim is a denial; the sentence asserts"
            )
        if q.numbers and p.numbers and not q.numbers <= p.numbers:
            other = ", ".join(sorted(q.numbers - p.numbers))
            raise _Refused(f"the sentence's figures ({other}) are not the claim's")
        subject_score = self._subject(q, p, cue, why)
        if _roles_swapped(q, p, obj):
            raise _Refused(
                f"{self._label(claim.object)} and {self._label(claim.subject)} swap roles"
                " in the sentence"
            )
        if (
            subject_score < 1
            and cue is None
            and not carries_cue(obj)
            and verbatim < VERBATIM_RATIO
            and implied is None
        ):
            # Neither who acts nor what is done: "Hypervigilance, self-blame, intrusive
            # thoughts." names the object of a claim and claims nothing about it.
            raise _Refused(
                f"names {self._label(claim.object)} but says nothing of who acts on it, or how"
            )
        predicate_score = self._predicate(q, p, cue, why)
        if obj is not None and q.says_more_after(obj):
            # "Pairing ketamine with therapy deepens its benefits": the claim's object sits in
            # the sentence's subject; what the sentence asserts comes after it.
            predicate_score *= 0.5
            why.append(f"'{obj.words}' is followed by another predicate and object")
        if obj is not None:
            why.insert(0, f"object {self._label(claim.object)} named as '{obj.words}'")
        lexical, label, shared = self._lexical(q, p)
        if implied is not None:
            # What the sentence says is the claim's, even where the claim says more.
            lexical = max(lexical, self._coverage(q, p, implied))
        if shared:
            text = next(a for lab, a in p.texts if lab == label)
            why.append(f"shared words with the {label}: {', '.join(self._words(shared, q, text))}")
        extra = self._extra(q, p)
        score = 100 * (0.35 * subject_score + 0.30 * predicate_score + 0.35 * lexical)
        score -= EXTRA_PENALTY * extra
        if verbatim >= VERBATIM_RATIO and verbatim > score:
            score = verbatim
            why.append(f"near-verbatim to the {verbatim_label} ({verbatim:.0f})")
        if claim.kind in vocab.UNGRADED_CLAIM_KINDS and not any(
            "described_as" in c.cue.predicates for c in q.cues
        ):
            # A sentence that reads as a factual claim is checked against the evidence first;
            # the metaphor's record stays in the list, below it.
            score *= RHETORIC_FACTOR
        return Match(
            claim_id=claim.id,
            score=round(score, 1),
            statement=claim.statement,
            kind=claim.kind,
            level=claim.level,
            direction=claim.evidence.direction if claim.evidence else None,
            why=tuple(why),
            references=p.references,
            object_named=implied is None,
        )

    def _coverage(self, q: Analysis, p: ClaimProfile, shared: list[str]) -> float:
        said = [t for t in q.terms if t != f"@{p.claim.subject}"]
        return self._weight(shared) / self._weight(said) if said else 0.0

    def _kind_of(self, specific: str, general: str) -> bool:
        """Entity `specific` is a form of `general`: same type, and a name of it spells the
        other's ("esketamine", "S-ketamine" for ketamine; never ketamine for esketamine)."""
        a, b = self.corpus.entities.get(specific), self.corpus.entities.get(general)
        if a is None or b is None or a.id == b.id or a.type != b.type:
            return False
        return any(b.label.lower() in form.lower() for form in (a.label, *a.synonyms))

    def _implied_object(self, q: Analysis, p: ClaimProfile) -> list[str] | None:
        """The sentence's words that say the claim's object without naming it, or None.

        "Ketamine works fast, often within hours" names no outcome, but what it says of
        ketamine (rapid, hours) is what the rapid-effect claim says. At least
        IMPLIED_MIN_WORDS of the sentence's terms (its subject aside), and most of their weight,
        must be the claim's own.
        """
        if q.negated != p.negated:
            return None
        first = q.mentions[0] if q.mentions else None
        pronoun = q.stems[:1] in (["it"], ["they"])
        if first is not None and p.claim.subject not in first.entities and not pronoun:
            # The sentence is about something else first: not this claim's subject.
            return None
        if any(c.cue.direction != NEUTRAL and not _compatible(c.cue.direction, p) for c in q.cues):
            # "Ketamine lowers glutamate levels": a direction the claim does not allow.
            return None
        subject = f"@{p.claim.subject}"
        said = sorted(t for t in q.terms if t != subject)
        if len(said) < IMPLIED_MIN_WORDS:
            return None
        shared = [t for t in said if t in p.words or _has_word(t, p.sorted_words)]
        if len(shared) < IMPLIED_MIN_WORDS:
            return None
        if self._coverage(q, p, shared) < IMPLIED_MIN_SHARE:
            return None
        return shared

    def _subject(self, q: Analysis, p: ClaimProfile, cue: Cue | None, why: list[str]) -> float:
        """1 when the subject is named, 0.6 when left implicit ("it"); refused when another is."""
        subject = p.claim.subject
        m = q.mention_of(subject)
        if m is not None:
            why.append(f"subject {self._label(subject)} named as '{m.words}'")
            return 1.0
        kind = self.entities.types.get(subject)
        first = q.mentions[0] if q.mentions else None
        if q.stems[:1] in (["it"], ["they"]):
            # "It works within hours, unlike SSRIs": the pronoun is the subject, and what is
            # named first comes after the verb.
            first = None
        if first is not None and first.entities & p.leads:
            # Named as the statement itself names it first ("Ketamine in FDA-approved forms,
            # such as esketamine, ..."): the subject as the claim words it.
            why.append(f"subject named as the statement leads, '{first.words}'")
            return 0.9
        if (
            first is not None
            and kind not in BROAD_TYPES
            and any(e in p.evidence_entities and self._kind_of(e, subject) for e in first.entities)
        ):
            # Esketamine (Spravato) for a ketamine claim whose evidence is about esketamine:
            # the form the studies tested.
            why.append(f"subject named as '{first.words}', the form the claim's evidence tests")
            return 0.8
        if first is not None:
            if not first.entities & p.entities:
                # The sentence's own subject (its first named entity) is not in the claim at all.
                raise _Refused(
                    f"the sentence is about '{first.words}', which the claim does not name"
                )
            if (
                kind not in BROAD_TYPES
                and not first.entities & ({subject} | p.leads)
                and any(self.entities.types.get(e) == kind for e in first.entities)
            ):
                # Another of the same kind (esketamine for ketamine) is what the sentence is about.
                raise _Refused(f"the sentence is about '{first.words}', not {self._label(subject)}")
        if kind and kind not in BROAD_TYPES:
            rivals = [
                e
                for e in q.entity_ids - p.entities
                if self.entities.types.get(e) == kind and e != p.claim.object
            ]
            if rivals:
                names = ", ".join(self._words([f"@{e}" for e in sorted(rivals)]))
                raise _Refused(
                    f"the sentence names another {kind} ({names}), not {self._label(subject)}"
                )
        obj = q.mention_of(p.claim.object)
        if cue is not None and obj is not None and cue.end <= obj.start:
            before = q.clause[cue.start]
            taken = {i for mm in q.mentions for i in range(mm.start, mm.end)}
            own = [
                t
                for i, t in enumerate(q.stems[: cue.start])
                if q.clause[i] == before
                and i not in taken
                and t not in lexicon.STOPWORDS
                and not any(c.start <= i < c.end for c in q.cues)
            ]
            if own:
                # "Exercise increases BDNF": a subject no entity names, so not the claim's.
                words = self._words(own, q)
                raise _Refused(f"the subject is '{' '.join(words)}', not {self._label(subject)}")
        return 0.6

    def _predicate(self, q: Analysis, p: ClaimProfile, cue: Cue | None, why: list[str]) -> float:
        """How well the sentence's verb fits the claim's predicate; refused when it contradicts."""
        predicate = p.claim.predicate
        said = {pr for c in q.cues for pr in c.cue.predicates} & lexicon.EXCLUSIVE_PREDICATES
        if predicate in lexicon.EXCLUSIVE_PREDICATES and predicate not in said:
            raise _Refused("the claim is an approval; the sentence names none")
        if said and predicate not in said:
            raise _Refused(f"the sentence speaks of an approval; the claim is {_said(predicate)}")
        if cue is None:
            return 0.5
        if not _compatible(cue.cue.direction, p):
            raise _Refused(
                f"'{cue.words}' ({cue.cue.direction}) goes against the claim's {_said(predicate)}"
            )
        why.append(f"predicate {_said(predicate)} read from '{cue.words}'")
        if predicate in cue.cue.predicates:
            return 1.0
        kind = self.entities.types.get(p.claim.object)
        if "is_a" in cue.cue.predicates and ROUTE_READINGS.get(kind) == predicate:
            # "Spravato is a nasal spray": being a form of delivery is being given by it.
            return 1.0
        if cue.cue.direction != NEUTRAL and p.direction is not None:
            return 0.7
        # A vague verb (affects, targets) for a claim that says which way: a weak fit.
        return 0.2 if p.direction is not None else 0.3

    def _lexical(self, q: Analysis, p: ClaimProfile) -> tuple[float, str, list[str]]:
        """How much of a claim text the sentence also says, for the claim's best text.

        Half for its entities, half for its other words, each IDF-weighted; a text with no other
        words is all entities. A paraphrase names the same things but may drop the qualifiers.
        """
        best: tuple[float, str, list[str]] = (0.0, "statement", [])
        q_terms = q.terms
        q_words = sorted(q.content)
        for label, a in p.texts:
            terms = sorted(a.terms)
            if not terms:
                continue
            shared = [t for t in terms if t in q_terms or _has_word(t, q_words)]
            halves = []
            for part in (True, False):
                mine = [t for t in terms if t.startswith("@") is part]
                got = [t for t in shared if t.startswith("@") is part]
                halves.append(self._weight(got) / self._weight(mine) if mine else None)
            known = [h for h in halves if h is not None]
            score = sum(known) / len(known)
            if score > best[0]:
                best = (score, label, shared)
        return best

    def _extra(self, q: Analysis, p: ClaimProfile) -> float:
        """IDF-weighted share of the sentence's words and entities that the claim never uses.

        Smoothed by one unseen word, so that a single stray word costs half the penalty.
        """
        claim_words = sorted({w for _, a in p.texts for w in a.content})
        units = [(w, not _has_word(w, claim_words)) for w in sorted(set(q.content))]
        units += [(f"@{sorted(m.entities)[0]}", not m.entities & p.entities) for m in q.mentions]
        total = self._weight([u for u, _ in units]) + UNSEEN_IDF
        return self._weight([u for u, missing in units if missing]) / total

    def _label(self, entity: str) -> str:
        ent = self.corpus.entities.get(entity)
        return ent.label if ent is not None else entity

    def _words(self, terms: list[str], *texts: Analysis) -> list[str]:
        """Terms as a writer reads them: an entity by its label, a stem by the word it came
        from (the sentence's own word first), never an internal "@id" or a clipped stem."""
        surface: dict[str, str] = {}
        for a in reversed(texts):
            surface.update(zip(a.stems, lexicon.words(a.text), strict=False))
        out = []
        for t in terms:
            ent = self.corpus.entities.get(t[1:]) if t.startswith("@") else None
            word = ent.label if ent is not None else surface.get(t, t.removeprefix("@"))
            if word not in out:
                out.append(word)
        return out

    def _weight(self, terms: list[str]) -> float:
        return sum(self.idf.get(t, UNSEEN_IDF) for t in terms)

    def _verbatim(self, q: Analysis, p: ClaimProfile) -> tuple[float, str]:
        """Best token-sort ratio between the sentence and a recorded quote or the statement;
        100 when the sentence contains a recorded quote word for word (the source's own words).
        """
        q_text = " ".join(t for t in q.stems if t not in lexicon.STOPWORDS)
        q_all = f" {' '.join(q.stems)} "
        best = (0.0, "")
        for label, a in p.texts:
            words = [t for t in a.stems if t not in lexicon.STOPWORDS]
            if len(words) < MIN_VERBATIM_WORDS:
                continue
            if label != "statement" and f" {' '.join(a.stems)} " in q_all:
                return (100.0, label)
            ratio = fuzz.token_sort_ratio(q_text, " ".join(words))
            if ratio > best[0]:
                best = (ratio, label)
        return best


def _said(predicate: str) -> str:
    """A predicate as words ("administered by"), not its vocabulary value."""
    return predicate.replace("_", " ")


def _rejection(match: Match, reason: str) -> Rejection:
    return Rejection(match.claim_id, match.statement, reason, match.score, match.score / 100)


class _NoEntities(EntityLexicon):
    """Reads an entity's own names as plain words (their content stems)."""

    def __init__(self) -> None:
        self.forms = {}
        self.longest = 1
        self.single = []
        self.types = {}


_NO_ENTITIES = _NoEntities()


def _roles_swapped(q: Analysis, p: ClaimProfile, obj: Mention | None) -> bool:
    """The claim's object is the sentence's subject and its subject the object ("A supervised
    setting keeps ketamine safe" is not "ketamine is given in a supervised setting"); an agent
    word ("activity is reduced by ketamine", "fewer memories after ketamine") keeps the roles."""
    subj = q.mention_of(p.claim.subject)
    if obj is None or subj is None or subj is obj or obj.end > subj.start:
        return False
    if q.clause[obj.start] != q.clause[subj.start]:
        return False
    return not AGENT_WORDS.intersection(q.stems[obj.end : subj.start])


def _has_word(word: str, words: list[str]) -> bool:
    """The word, or one a letter or two away (overactivity, overactivation), is among the words."""
    if len(word) < 5 or word.startswith("@"):
        return word in words
    return process.extractOne(word, words, scorer=fuzz.ratio, score_cutoff=88) is not None


# Which directions a sentence may give the object of a claim with each direction (None: the
# claim gives none, so a sentence saying "increases" or "reduces" claims something else).
_COMPATIBLE: dict[str | None, frozenset[str]] = {
    None: frozenset({NEUTRAL, BETTER, CAUSE}),
    # A vague verb (affects, targets) says less than a claim with a direction: another claim.
    UP: frozenset({UP, CAUSE, BETTER}),
    # Bringing something about may be said as causing, raising, or (of a harm) worsening.
    CAUSE: frozenset({UP, CAUSE, BETTER, WORSE}),
    DOWN: frozenset({DOWN, BETTER}),
    # Lowering a condition treats it; raising or bringing it about does not.
    BETTER: frozenset({DOWN, BETTER}),
}


def _compatible(said: str, p: ClaimProfile) -> bool:
    """False when the sentence's direction contradicts the claim's ("increases" vs "dampens")."""
    if said == SIZE:
        return p.size
    return said in _COMPATIBLE.get(p.direction, _COMPATIBLE[None])


def find(
    corpus: Corpus,
    text: str,
    limit: int = 5,
    threshold: float = DEFAULT_THRESHOLD,
    before: str | None = None,
) -> list[Match]:
    """Claims of the corpus that the text makes, best first, with score and reasons."""
    return ClaimIndex(corpus).find(text, limit=limit, threshold=threshold, before=before)


__all__ = ["DEFAULT_THRESHOLD", "ClaimIndex", "Match", "Rejection", "find"]
