"""Reading a text for the claim matcher: entity mentions, predicate cues, clauses, denials.

The first step of `kgraph.writers.find`: a sentence, a claim's statement or a recorded quote becomes
an `Analysis`. Entities are named through their labels, ids and synonyms (longest form first), and
predicates through the cue words of `kgraph.text.lexicon`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from kgraph.corpus.model import Corpus
from kgraph.text import lexicon
from kgraph.text.lexicon import CueWord

_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Mention:
    """Entities named in a text: the token span and the words used."""

    entities: frozenset[str]
    start: int
    end: int
    words: str


@dataclass(frozen=True)
class Cue:
    cue: CueWord
    start: int
    end: int
    words: str


@dataclass
class Analysis:
    """A text read for matching: stems, entity mentions, predicate cues, and what is left."""

    text: str
    stems: list[str]
    mentions: list[Mention]
    cues: list[Cue]
    clause: list[int]  # clause number of each token, for finding the cue that governs an object
    content: list[str]  # stems that are neither entity, cue nor stop word
    negations: list[int]  # token positions of "not", "never", "doesn't"
    numbers: frozenset[str]

    @property
    def negated(self) -> bool:
        return bool(self.negations)

    def negated_near(self, *spans: Mention | Cue | None) -> bool:
        """A denial in the clause of any of these spans (the whole text when none is given)."""
        clauses = {self.clause[s.start] for s in spans if s is not None}
        if not clauses:
            return self.negated
        return any(self.clause[i] in clauses for i in self.negations)

    @property
    def terms(self) -> set[str]:
        """Content stems plus one "@id" term per entity named: what lexical overlap compares."""
        return set(self.content) | {f"@{e}" for e in self.entity_ids}

    @property
    def entity_ids(self) -> set[str]:
        return {e for m in self.mentions for e in m.entities}

    def mention_of(self, entity: str) -> Mention | None:
        return next((m for m in self.mentions if entity in m.entities), None)

    def says_more_after(self, mention: Mention) -> bool:
        """A cue and then another entity follow the mention in its clause."""
        clause = self.clause[mention.start]
        later = [c for c in self.cues if c.start >= mention.end and self.clause[c.start] == clause]
        return (
            any(
                m.start >= later[0].end
                and self.clause[m.start] == clause
                and m.entities != mention.entities
                for m in self.mentions
            )
            if later
            else False
        )

    def governing_cue(self, mention: Mention) -> Cue | None:
        """The cue nearest before the mention in its clause, else the nearest after it."""
        clause = self.clause[mention.start]
        before = [c for c in self.cues if c.end <= mention.start and self.clause[c.start] == clause]
        if before:
            return before[-1]
        after = [c for c in self.cues if c.start >= mention.end and self.clause[c.start] == clause]
        return after[0] if after else None


class EntityLexicon:
    """Surface forms (labels, synonyms, ids) of a corpus's entities, as stem sequences."""

    def __init__(self, corpus: Corpus) -> None:
        self.forms: dict[tuple[str, ...], set[str]] = {}
        for ent in corpus.entities.values():
            for form in [ent.label, ent.id.replace("-", " "), *ent.synonyms]:
                key = tuple(lexicon.stems(form))
                while key and key[0] in ("a", "an"):
                    key = key[1:]
                if key and not all(k in lexicon.STOPWORDS for k in key):
                    self.forms.setdefault(key, set()).add(ent.id)
        self.longest = max((len(k) for k in self.forms), default=1)
        self.single = sorted(k[0] for k in self.forms if len(k) == 1 and len(k[0]) >= 7)
        self.types = {e.id: e.type for e in corpus.entities.values()}

    def mentions(self, tokens: list[str], words: list[str], typos: bool = True) -> list[Mention]:
        """Entities named in a token sequence, longest form first; with `typos`, also a long
        single-word form a token misspells (for a writer's text, not a recorded one)."""
        out: list[Mention] = []
        i = 0
        while i < len(tokens):
            for n in range(min(self.longest, len(tokens) - i), 0, -1):
                ids = self.forms.get(tuple(tokens[i : i + n]))
                if ids:
                    out.append(Mention(frozenset(ids), i, i + n, " ".join(words[i : i + n])))
                    i += n
                    break
            else:
                typo = self._typo(tokens[i]) if typos else None
                if typo:
                    out.append(Mention(frozenset(self.forms[(typo,)]), i, i + 1, words[i]))
                i += 1
        return out

    def _typo(self, token: str) -> str | None:
        """A long single-word form the token misspells (amygdla), same first letter."""
        if len(token) < 7 or token in lexicon.STOPWORDS:
            return None
        hit = process.extractOne(token, self.single, scorer=fuzz.ratio, score_cutoff=90)
        if not hit or hit[0][0] != token[0] or abs(len(hit[0]) - len(token)) > 2:
            return None
        form = str(hit[0])
        if token.startswith(form) or form.startswith(token):
            # Another word built on the same stem, not a slip of the keys: "dissociative"
            # (of an experience) is not "dissociation" (the detachment a claim records).
            return None
        return form


def analyse(text: str, entities: EntityLexicon) -> Analysis:
    """Read a text: entity mentions first (longest form wins), then cue words, then the rest."""
    words = lexicon.words(text)
    tokens = [lexicon.stem(w) for w in words]
    mentions = entities.mentions(tokens, words)
    taken = {i for m in mentions for i in range(m.start, m.end)}
    cues: list[Cue] = []
    table = lexicon.cue_table()
    longest = max(len(k) for k in table)
    i = 0
    while i < len(tokens):
        for n in range(min(longest, len(tokens) - i), 0, -1):
            span = range(i, i + n)
            cue = table.get(tuple(tokens[i : i + n]))
            if cue and not taken.intersection(span):
                cues.append(Cue(cue, i, i + n, " ".join(words[i : i + n])))
                taken.update(span)
                i += n
                break
        else:
            i += 1
    content = [
        t
        for i, t in enumerate(tokens)
        if i not in taken and t not in lexicon.STOPWORDS and not t.isdigit() and len(t) > 1
    ]
    return Analysis(
        text=text,
        stems=tokens,
        mentions=mentions,
        cues=cues,
        clause=_clauses(text, len(words)),
        content=content,
        negations=lexicon.negations(words),
        numbers=frozenset(_NUMBER.findall(text)),
    )


def _clauses(text: str, n_words: int) -> list[int]:
    """Clause number of each word token: commas, semicolons and dashes start a new clause."""
    out: list[int] = []
    clause = 0
    for piece in lexicon.pieces(text):
        if piece in lexicon.CLAUSE_BREAKS:
            clause += 1
        else:
            out.append(clause)
    # Pad rather than misalign if the two tokenisers ever disagree on a rare character.
    return (out + [clause] * n_words)[:n_words]


def carries_cue(mention: Mention | None) -> bool:
    """The words naming the entity also say what happens to it ("a reduction in how ...")."""
    if mention is None:
        return False
    single = {k[0] for k in lexicon.cue_table() if len(k) == 1}
    return any(lexicon.stem(w) in single for w in mention.words.split())


_PRONOUN = re.compile(r"\s*(?P<pronoun>it|they)(?P<be>['\u2019](?:s|re))?\b", re.IGNORECASE)


def resolve_pronoun(text: str, before: str, entities: EntityLexicon) -> tuple[str, str] | None:
    """The text with a leading "It" or "They" replaced by what it stands for in the sentence
    before, and that antecedent; None when the text opens with no such pronoun or the sentence
    before offers nothing of the same number.

    The antecedent is the sentence before's subject when it agrees in number ("Exercise is
    good for the brain. It raises BDNF." is about exercise, which no claim names), else its
    first entity of that number ("Many clinics now offer ketamine. It ...": ketamine).
    """
    m = _PRONOUN.match(text)
    if m is None or not before.strip():
        return None
    plural = m.group("pronoun").lower() == "they"
    words = lexicon.words(before)
    mentions = entities.mentions([lexicon.stem(w) for w in words], words)
    lead = next((i for i, w in enumerate(words) if w not in lexicon.STOPWORDS), None)
    antecedent = None
    if lead is not None:
        mention = next((mm for mm in mentions if mm.start == lead), None)
        phrase = mention.words if mention else words[lead]
        if _is_plural(phrase) == plural:
            antecedent = phrase
    if antecedent is None:
        antecedent = next((mm.words for mm in mentions if _is_plural(mm.words) == plural), None)
    if antecedent is None:
        return None
    verb = {"'s": " is", "\u2019s": " is", "'re": " are", "\u2019re": " are"}.get(
        (m.group("be") or "").lower(), ""
    )
    return f"{antecedent}{verb}{text[m.end() :]}", antecedent


def _is_plural(phrase: str) -> bool:
    last = phrase.split()[-1] if phrase.split() else ""
    return len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is"))
