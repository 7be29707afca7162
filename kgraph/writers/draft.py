"""Check a draft sentence by sentence against the corpus: verdict, evidence level, what to cite.

A writers' tool over a loaded `Corpus` (`kgraph draft`): `kgraph.text.prose` splits the draft,
`kgraph.writers.find` matches each sentence, and the verdict rule below judges the wording against
the matched claim's evidence. Rendered as text, Markdown or JSON (`kgraph.writers.draft_render`).

The verdict rule, applied in order to a sentence's best match:
1. no claim matches (or the sentence is a question) -> unchecked: listed, never passed;
2. the claim is rhetoric -> rhetoric: a metaphor no study can test;
3. the claim's evidence as a whole contradicts it -> contradicted;
4. the claim is at ES-1 or ES-0 (no study tests it) -> unsupported;
5. the claim is at ES-3 or below, or its evidence is mixed, and the sentence states it flatly
   (no hedge cue, or a booster) -> hedge needed, with suggested hedged wording;
6. otherwise -> supported.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from kgraph import vocab
from kgraph.corpus.model import Claim, Corpus
from kgraph.corpus.quotes import fold
from kgraph.text.analysis import resolve_pronoun
from kgraph.text.hedges import find_cues
from kgraph.text.lexicon import stem, stems
from kgraph.text.prose import Sentence, split_sentences
from kgraph.writers.cite import markdown_reference, primary_references, short_label
from kgraph.writers.find import DEFAULT_THRESHOLD, ClaimIndex, Match, Rejection

VERDICTS = vocab.values(vocab.DRAFT_VERDICTS)
SUPPORTED, HEDGE, UNSUPPORTED, CONTRADICTED, RHETORIC, UNCHECKED = VERDICTS
# --fail-on: which verdicts fail a draft in an editorial CI.
FAIL_ON: dict[str, frozenset[str]] = {
    "unsupported": frozenset({UNSUPPORTED, CONTRADICTED}),
    "hedge": frozenset({UNSUPPORTED, CONTRADICTED, HEDGE}),
    "never": frozenset(),
}
# Matches to show beside the best one (other claims the sentence may also make).
ALSO_LIMIT = 2
# Claims a sentence nearly matched, shown with why not when the writer asks (--explain).
EXPLAIN_LIMIT = 3
# Levels at or below this rank rest on no study (a level above it needs a reference).
UNSUPPORTED_MAX_RANK = vocab.MAX_LEVEL_WITHOUT_REFERENCE


@dataclass(frozen=True)
class CitedReference:
    source: str
    label: str
    kind: str
    direction: str
    finding: str
    reference: str  # a formatted reference line (Markdown)

    def to_dict(self) -> dict[str, str]:
        return {
            "source": self.source,
            "label": self.label,
            "kind": self.kind,
            "direction": self.direction,
            "finding": self.finding,
            "reference": self.reference,
        }


@dataclass
class SentenceCheck:
    """The verdict on one sentence of a draft."""

    line: int
    text: str
    block: str
    verdict: str
    reason: str
    match: Match | None = None
    also: list[Match] = field(default_factory=list)
    hedges: list[str] = field(default_factory=list)
    boosters: list[str] = field(default_factory=list)
    references: list[CitedReference] = field(default_factory=list)
    suggestion: str | None = None
    rejected: list[Rejection] = field(default_factory=list)  # filled when asked to explain

    def to_dict(self) -> dict[str, Any]:
        m = self.match
        return {
            "line": self.line,
            "text": self.text,
            "block": self.block,
            "verdict": self.verdict,
            "reason": self.reason,
            "claim": m.claim_id if m else None,
            "statement": m.statement if m else None,
            "claim_kind": m.kind if m else None,
            "level": m.level if m else None,
            "direction": m.direction if m else None,
            "score": m.score if m else None,
            "why": list(m.why) if m else [],
            "also": [{"claim": a.claim_id, "score": a.score, "level": a.level} for a in self.also],
            "hedges": self.hedges,
            "boosters": self.boosters,
            "references": [r.to_dict() for r in self.references],
            "suggestion": self.suggestion,
            "rejected": [r.to_dict() for r in self.rejected],
        }


@dataclass
class DraftReport:
    """Every sentence of a draft with its verdict."""

    path: str
    threshold: float
    sentences: list[SentenceCheck] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        c = Counter(s.verdict for s in self.sentences)
        return {v: c.get(v, 0) for v in VERDICTS}

    def fails(self, fail_on: str) -> bool:
        """True when a sentence has a verdict that --fail-on names."""
        if fail_on not in FAIL_ON:
            raise ValueError(f"unknown --fail-on {fail_on!r}: expected one of {', '.join(FAIL_ON)}")
        return any(s.verdict in FAIL_ON[fail_on] for s in self.sentences)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "threshold": self.threshold,
            "summary": {"sentences": len(self.sentences), **self.counts()},
            "sentences": [s.to_dict() for s in self.sentences],
        }


def verdict(claim: Claim, flat: bool) -> tuple[str, str]:
    """The verdict for a sentence matching a claim (rules 2-6), and the reason in words."""
    if claim.kind in vocab.UNGRADED_CLAIM_KINDS:
        return RHETORIC, "a recorded metaphor or slogan: no study can test it"
    ev = claim.evidence
    if ev is None:
        return UNSUPPORTED, "the claim has no evidence record"
    name = vocab.LEVEL_BY_VALUE[ev.level].name
    if ev.direction == "contradicts":
        return CONTRADICTED, f"the evidence ({ev.level}, {name}) goes against this claim"
    if ev.rank <= UNSUPPORTED_MAX_RANK:
        return UNSUPPORTED, f"{ev.level} ({name}): no study tests this claim"
    weak = ev.rank <= vocab.OVERCLAIM_MAX_RANK or ev.direction == "mixed"
    if weak and flat:
        return HEDGE, f"{ev.level} ({name}, {ev.direction}) stated flatly: hedge it"
    wording = "hedged, as the evidence warrants" if weak else "as worded"
    return SUPPORTED, f"{ev.level} ({name}, {ev.direction}): supported {wording}"


def check_draft(
    corpus: Corpus,
    text: str,
    fmt_hint: str = "markdown",
    path: str = "<draft>",
    threshold: float = DEFAULT_THRESHOLD,
    explain: bool = False,
    index: ClaimIndex | None = None,
) -> DraftReport:
    """Split a draft (fmt_hint: markdown or text) into sentences and judge each one; with
    `explain`, each sentence also lists the claims it nearly matched and why they were not.

    `index`: the corpus's claims already read (a server keeps one per build), else read here."""
    index = ClaimIndex(corpus) if index is None else index
    proper = _proper_words(corpus)
    report = DraftReport(path, threshold)
    before = ""
    for sentence in split_sentences(text, fmt_hint):
        check = _check(index, sentence, threshold, proper, before)
        if explain:
            check.rejected = index.explain(
                sentence.text, limit=EXPLAIN_LIMIT, threshold=threshold, before=before
            )
        resolved = resolve_pronoun(sentence.text, before, index.entities)
        # "It" in the next sentence stands for what this one is about, pronoun or not.
        before = resolved[0] if resolved else sentence.text
        if sentence.block == "heading" and check.match is None:
            # A title names a topic; it asserts nothing unless it matches a claim.
            continue
        report.sentences.append(check)
    return report


def _check(
    index: ClaimIndex,
    sentence: Sentence,
    threshold: float,
    proper: frozenset[str],
    before: str = "",
) -> SentenceCheck:
    cues = find_cues(sentence.text)
    check = SentenceCheck(
        line=sentence.line,
        text=sentence.text,
        block=sentence.block,
        verdict=UNCHECKED,
        reason="matches no claim in the corpus",
        hedges=[c.text for c in cues if c.kind == "hedge"],
        boosters=[c.text for c in cues if c.kind == "booster"],
    )
    if sentence.text.rstrip().endswith("?"):
        check.reason = "a question asserts nothing"
        return check
    matches = index.find(sentence.text, limit=1 + ALSO_LIMIT, threshold=threshold, before=before)
    if not matches:
        return check
    check.match, check.also = matches[0], matches[1:]
    claim = index.corpus.claims[check.match.claim_id]
    flat = states_flatly(sentence.text)
    check.verdict, check.reason = verdict(claim, flat)
    check.references = [
        CitedReference(
            src.id,
            short_label(src),
            src.kind,
            ref.direction,
            ref.finding,
            markdown_reference(src),
        )
        for ref, src in primary_references(index.corpus, claim)
    ]
    weak = claim.rank is not None and (
        claim.rank <= vocab.OVERCLAIM_MAX_RANK
        or (claim.evidence is not None and claim.evidence.direction == "mixed")
    )
    if check.verdict in (HEDGE, UNSUPPORTED) and flat and weak:
        check.suggestion = suggest_hedge(sentence.text, claim.rank or 0, proper)
    return check


# Finite verbs a modal can precede, beyond the predicate cue words.
_AUXILIARIES = {"is": "be", "are": "be", "has": "have", "have": "have", "does": "do", "can": ""}
_COMMON_VERBS = frozenset(
    stems(
        "works acts helps makes leads gives keeps lets allows changes affects supports "
        "creates causes plays shifts opens builds dials quiets calms lifts eases restores"
    )
)
_MODALS = frozenset(("may", "might", "could", "would", "should"))
_DETERMINERS = frozenset(
    ("the", "a", "an", "this", "that", "these", "those", "its", "their", "our")
)
_BOOSTER_EDITS: tuple[tuple[str, str], ...] = (
    (r"\b(?:is|are|has been|have been) (?:scientifically |clinically )?proven to\b", "may"),
    (r"\bproven\s+", ""),
    (r"\b(?:clearly|certainly|definitely|scientifically)\b,?\s*", ""),
    (r"\balways\b", "often"),
    (r"\bprimarily (works|acts)\b", r"\1"),
    (r"\bthe answer lies in\b", "part of the answer may lie in"),
)


def suggest_hedge(text: str, rank: int, proper: frozenset[str] = frozenset()) -> str | None:
    """Hedged wording for a flat sentence: boosters dropped, a modal before the main verb
    (or, where none is found, an attribution that says how strong the evidence is)."""
    edited = text
    for pattern, repl in _BOOSTER_EDITS:
        edited = re.sub(pattern, repl, edited, flags=re.IGNORECASE)
    edited = re.sub(r"\s{2,}", " ", edited).strip()
    if states_flatly(edited):
        edited = _insert_modal(edited) or _attribute(edited, rank, proper)
    if rank <= 2 and rank > UNSUPPORTED_MAX_RANK and "animal" not in edited.lower():
        edited = re.sub(
            r"([.!]?)$", r" (so far shown only in animal or lab studies)\1", edited, count=1
        )
    return edited if not states_flatly(edited) and edited != text else None


def states_flatly(text: str) -> bool:
    """True when the sentence asserts its main verb without a hedge: no hedge cue, a booster,
    or only a modal that comes after the first verb ("Ketamine rewires the brain and may create
    new pathways" states the rewiring flatly). An attribution or judgment anywhere ("studies
    suggest") hedges the whole sentence."""
    folded = fold(text)
    cues = find_cues(folded)
    if any(c.kind == "booster" for c in cues):
        return True
    hedges = [c for c in cues if c.kind == "hedge"]
    if not hedges:
        return True
    if any(c.family != "modal" for c in hedges):
        return False
    verb = first_finite_verb(folded)
    return verb is not None and all(c.start > verb[0] for c in hedges)


def _insert_modal(text: str) -> str | None:
    """'Ketamine dampens X' -> 'Ketamine may dampen X'; None when no finite verb is found.

    The modal goes before the sentence's first finite verb, and verbs joined to it by "and" or
    "or" take its base form ("may rewire the brain and create"), so that no verb is left flat.
    """
    verb = first_finite_verb(text)
    if verb is None or verb[2] in _MODALS:
        return None
    start, end, low = verb
    base = _AUXILIARIES.get(low)
    if base is not None:
        replacement = f"may {base}" if base else "may"
    else:
        replacement = f"may {_base_form(low)}"
    rest = _COORDINATED.sub(_coordinated_base, text[end:])
    return text[:start] + replacement + rest


_COORDINATED = re.compile(
    r"(?P<head>^[^,;:]*?\b(?:and|or)\s+)(?:(?:may|might|could|can)\s+)?(?P<verb>[A-Za-z]+)\b"
)


def _coordinated_base(m: re.Match[str]) -> str:
    word = m.group("verb")
    if _is_verb_form(word.lower()):
        word = _base_form(word.lower())
    return m.group("head") + word


def first_finite_verb(text: str) -> tuple[int, int, str] | None:
    """Start, end and lower-cased form of the first finite verb of a sentence ("rewires" in
    "Ketamine rewires the brain and creates new pathways"), or None when none is found."""
    tokens = list(re.finditer(r"[A-Za-z][A-Za-z'-]*", text))
    for i, m in enumerate(tokens[1:], start=1):
        low = m.group(0).lower()
        prev = tokens[i - 1].group(0).lower()
        after = tokens[i + 1].group(0).lower() if i + 1 < len(tokens) else ""
        if prev in _DETERMINERS or prev in ("to", "may", "might", "could", "would"):
            continue
        if low in _AUXILIARIES or low in _MODALS or _is_verb_form(low):
            return m.start(), m.end(), low
        if _looks_finite(low, after):
            return m.start(), m.end(), low
    return None


def _is_verb_form(low: str) -> bool:
    """A third-person verb the lexicon knows (dampens, boosts, works)."""
    return (
        low.endswith("s")
        and not low.endswith(("ss", "'s"))
        and (stem(low) in _verb_stems() or stem(low) in _COMMON_VERBS)
    )


def _looks_finite(low: str, after: str) -> bool:
    """A verb the lexicon does not know ("rewires"), by its shape: an -s word followed by what
    starts an object ("the brain", "itself"), not by a verb (then the -s word is a noun:
    "ketamine sessions ease")."""
    if len(low) < 4 or not low.endswith("s") or low.endswith(("ss", "us", "is", "'s")):
        return False
    return after in _DETERMINERS or after in _OBJECT_STARTS


_OBJECT_STARTS = frozenset(
    str.split(
        "itself themselves it them him her new old more less many much some how what who "
        "in into on onto up down out through across around over people"
    )
)


def _verb_stems() -> frozenset[str]:
    from kgraph.text.lexicon import cue_table

    return frozenset(k[0] for k in cue_table() if len(k) == 1)


def _base_form(verb: str) -> str:
    if verb.endswith("ies") and len(verb) > 4:
        return verb[:-3] + "y"
    if verb.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        return verb[:-2]
    return verb[:-1]


def _attribute(text: str, rank: int, proper: frozenset[str]) -> str:
    lead = {
        2: "Animal studies suggest that",
        1: "It has been proposed, without direct tests, that",
        0: "It has been proposed, without direct tests, that",
    }.get(rank, "Early studies suggest that")
    first, _, rest = text.partition(" ")
    if first.istitle() and first.lower() not in proper:
        first = first.lower()
    return f"{lead} {first} {rest}".strip()


def _proper_words(corpus: Corpus) -> frozenset[str]:
    """Lower-cased words that entity names spell with capitals (Spravato, NMDA): keep them so."""
    return frozenset(
        w.lower()
        for ent in corpus.entities.values()
        for form in (ent.label, *ent.synonyms)
        for w in form.split()
        if any(ch.isupper() for ch in w)
    )
