"""`kgraph add`: each segment of an article with what it proposes: the existing claims it
repeats (ranked, with score and reasons in words), a new claim's skeleton with every guess
marked, or why it is not a claim. The proposals are one YAML file a curator edits.

Segments are `kgraph.corpus.segment`'s (the coverage maps' own), claims are ranked by the
writers' matcher (`kgraph.writers.find.ClaimIndex`); the guesses read `kgraph.text.analysis`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from kgraph import vocab
from kgraph.corpus.model import Corpus
from kgraph.corpus.segment import Segment, segment
from kgraph.curate.records import quoted, slug
from kgraph.curate.similar import WordIndex
from kgraph.text.analysis import Analysis, analyse
from kgraph.text.lexicon import stem
from kgraph.writers.find import ClaimIndex, Match

# Matches shown to the curator for each segment, and the score a match needs to be shown.
SHOWN = 3
SHOW_THRESHOLD = 45.0
# The score the best match needs to be proposed as the claim the segment repeats (`merge`),
# and how far it must lead the second (closer than that, the curator picks from `matches`).
# Chosen with scripts/eval_add.py (leave-one-article-out on the corpus's four articles), the
# same for every article: see the README for the figures and how optimistic they are.
MERGE_THRESHOLD = 75.0
MERGE_MARGIN = 5.0
# The actions a proposal may take; `merge` adds the quote to an existing claim.
ACTIONS = ("merge", "new", "not_a_claim", "pending")
MERGE, NEW, NOT_A_CLAIM, PENDING = ACTIONS
# The kind a new claim's predicate suggests (a guess, marked as one).
KIND_BY_PREDICATE = {
    "approved_for": "regulatory",
    "administered_by": "dosing",
    "described_as": "rhetoric",
    "is_a": "definition",
    "part_of": "definition",
    "treats": "effect",
}
MECHANISM_PREDICATES = frozenset(
    {"increases", "decreases", "blocks", "activates", "modulates", "acts_on"}
)
EXPERIENCE_TYPES = frozenset({"experience"})
BLOCK_REASONS = {
    "title": "the article's title",
    "dateline": "the article's date",
    "heading": "a section heading naming its topic",
}

Progress = Callable[[int], None]


@dataclass
class NewClaim:
    """A new claim's skeleton; `guesses` says how each guessed field was read."""

    id: str
    statement: str
    kind: str
    subject: str
    predicate: str
    object: str
    guesses: dict[str, str] = field(default_factory=dict)


@dataclass
class Proposal:
    """What one segment of the article proposes."""

    segment: Segment
    action: str
    matches: list[Match]
    reasons: list[str]  # one line of reasons in words for each match
    # How each match was found: "matcher" (its checks passed) or "similar words" (a candidate).
    bases: list[str] = field(default_factory=list)
    claim: str = ""  # for merge: the claim the quote is added to
    quote: str = ""  # the verbatim span: the whole segment until the curator cuts it
    reason: str = ""  # for not_a_claim and pending: why
    new_claim: NewClaim | None = None


def propose(
    corpus: Corpus,
    text: str,
    *,
    index: ClaimIndex | None = None,
    progress: Progress | None = None,
    merge_threshold: float = MERGE_THRESHOLD,
) -> list[Proposal]:
    """One proposal for each segment of `text`, in order. Deterministic."""
    index = index or ClaimIndex(corpus)
    words = Wording(corpus)
    lexicon = WordIndex(corpus)
    taken = set(corpus.claims) | set(corpus.sources) | set(corpus.entities)
    segments = segment(text)
    main = main_entity(index, segments)
    out: list[Proposal] = []
    for seg in segments:
        out.append(_propose_one(index, lexicon, words, seg, taken, merge_threshold, main))
        if progress is not None:
            progress(1)
    return out


def _propose_one(
    index: ClaimIndex,
    lexicon: WordIndex,
    words: Wording,
    seg: Segment,
    taken: set[str],
    merge_threshold: float,
    main: tuple[str, str],
) -> Proposal:
    matches = index.find(seg.text, limit=SHOWN, threshold=SHOW_THRESHOLD)
    reasons = [words.reasons(m, seg.text) for m in matches]
    proposal = Proposal(seg, PENDING, list(matches), reasons, ["matcher"] * len(matches))
    proposal.quote = seg.text
    if seg.block not in BLOCK_REASONS:
        taken_ids = {m.claim_id for m in matches}
        for m, shared in lexicon.similar(seg.text, exclude=taken_ids, limit=SHOWN - len(matches)):
            proposal.matches.append(m)
            proposal.bases.append("similar words")
            proposal.reasons.append(
                "shares the words "
                + ", ".join(words.said(sorted(shared), seg.text))
                + " (not checked for direction, denial or drug form)"
            )
    if seg.block in BLOCK_REASONS:
        proposal.action, proposal.reason = NOT_A_CLAIM, BLOCK_REASONS[seg.block]
        return proposal
    if matches and matches[0].score >= merge_threshold:  # the matcher's, never the candidates
        second = matches[1].score if len(matches) > 1 else 0.0
        if matches[0].score - second >= MERGE_MARGIN:
            proposal.action, proposal.claim = MERGE, matches[0].claim_id
            return proposal
        proposal.reason = (
            f"two claims match almost equally ({matches[0].score:.1f}, {second:.1f}): pick one "
            "from `matches` (action merge, claim ID), or decide it is another claim"
        )
        return proposal
    analysis = analyse(seg.text, index.entities)
    if seg.text.rstrip().endswith("?"):
        proposal.action, proposal.reason = NOT_A_CLAIM, "a question"
        return proposal
    if not analysis.mentions and not analysis.cues:
        proposal.action = NOT_A_CLAIM
        proposal.reason = (
            "names nothing the corpus's entities name and no predicate word (read it: a claim "
            "about something new is still a claim)"
        )
        return proposal
    proposal.new_claim = guess_claim(seg.text, analysis, words, taken, main)
    # Left pending, never `new` by itself: the skeleton's triple is a guess a curator confirms.
    missing = [k for k in ("subject", "predicate", "object") if not getattr(proposal.new_claim, k)]
    proposal.reason = (
        "no record holds this claim: to record it, set action: new and correct the skeleton "
        "(every field under `guesses` is a guess)"
        if not missing
        else f"no record holds it, or it is not a claim: the skeleton lacks {', '.join(missing)}"
    )
    return proposal


def main_entity(index: ClaimIndex, segments: list[Segment]) -> tuple[str, str]:
    """(id, label) of the entity the article names most: the subject a sentence that names
    none of its own ("It can reduce ...", a list item) most likely leaves implicit."""
    counts: Counter[str] = Counter()
    for seg in segments:
        counts.update(analyse(seg.text, index.entities).entity_ids)
    if not counts:
        return ("", "")
    eid = min(counts, key=lambda e: (-counts[e], e))
    return (eid, index.corpus.entities[eid].label)


def guess_claim(
    text: str, analysis: Analysis, words: Wording, taken: set[str], main: tuple[str, str]
) -> NewClaim:
    """A new claim read from the sentence: subject the first entity named before the first
    predicate word (else the article's main entity), the predicate that word's, the object the
    entity after it; each guess says what it read."""
    guesses: dict[str, str] = {
        "statement": "the sentence as written: restate it as one plain claim",
        "id": "made from the statement's words",
    }
    mentions = analysis.mentions
    first_cue = analysis.cues[0] if analysis.cues else None
    subject = ""
    if mentions and (first_cue is None or mentions[0].end <= first_cue.start):
        subject = sorted(mentions[0].entities)[0]
        guesses["subject"] = f"the first thing named, '{mentions[0].words}'"
        cue = next((c for c in analysis.cues if c.start >= mentions[0].end), None)
    else:
        subject = main[0]
        if subject:
            guesses["subject"] = (
                f"none named before the verb: the article's most named, '{main[1]}'"
            )
        cue = first_cue
    predicate = ""
    obj = ""
    if cue is not None:
        order = [t.value for t in vocab.PREDICATES]
        predicate = min(cue.cue.predicates, key=order.index)
        guesses["predicate"] = f"read from '{cue.words}'"
        after = [m for m in mentions if m.start >= cue.end and subject not in m.entities]
        if after:
            obj = sorted(after[0].entities)[0]
            guesses["object"] = f"the first thing named after '{cue.words}', '{after[0].words}'"
    if not obj:
        rest = [m for m in mentions if subject not in m.entities]
        if rest:
            obj = sorted(rest[-1].entities)[0]
            guesses["object"] = f"the last other thing named, '{rest[-1].words}'"
    kind = KIND_BY_PREDICATE.get(predicate, "")
    if not kind and predicate in MECHANISM_PREDICATES:
        kind = "mechanism"
    if not kind:
        kind = "experience" if words.types.get(obj) in EXPERIENCE_TYPES else "effect"
    guesses["kind"] = (
        f"from the predicate {words.predicate(predicate)!r}" if predicate else "a default: check it"
    )
    statement = " ".join(text.split())
    claim_id = unique_id(slug(statement), taken)
    taken.add(claim_id)
    return NewClaim(claim_id, statement, kind, subject, predicate, obj, guesses)


def unique_id(base: str, taken: set[str]) -> str:
    base = base or "new-claim"
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


class Wording:
    """The matcher's reasons in words: entity ids as their labels, predicates as words, shared
    stems as the sentence's own words."""

    def __init__(self, corpus: Corpus) -> None:
        self.labels = {eid: e.label for eid, e in corpus.entities.items()}
        self.types = {eid: e.type for eid, e in corpus.entities.items()}
        self.sources = {sid: str(s.label or s.title) for sid, s in corpus.sources.items()}
        self.predicates = {t.value: t.label for t in vocab.PREDICATES}

    def predicate(self, value: str) -> str:
        return self.predicates.get(value, value)

    def said(self, terms: list[str], sentence: str) -> list[str]:
        """The sentence's own words for stems ("rewir" -> "rewire")."""
        words = re.findall(r"[\w’'-]+", sentence)
        out = []
        for term in terms:
            word = next((w for w in words if stem(w) == term), None)
            out.append(word.lower() if word else term)
        return list(dict.fromkeys(out))

    def reasons(self, match: Match, sentence: str) -> str:
        said = re.findall(r"[\w’'-]+", sentence)
        return "; ".join(self._reason(r, said) for r in match.why)

    def _reason(self, reason: str, said: list[str]) -> str:
        if reason.startswith("shared words with the "):
            head, _, terms = reason.partition(": ")
            shown = []
            for term in terms.split(", "):
                if term.startswith("@"):
                    shown.append(self.labels.get(term[1:], term[1:]))
                    continue
                word = next((w for w in said if stem(w) == term), None)
                shown.append(word.lower() if word else term)
            reason = f"{self._names(head)}: {', '.join(dict.fromkeys(shown))}"
            return reason
        return self._names(reason)

    def _names(self, text: str) -> str:
        def name(m: re.Match[str]) -> str:
            token = m.group(0)
            for table in (self.labels, self.predicates, self.sources):
                if token in table:
                    words = table[token]
                    return words if words[:1] in '“"' else f"“{words}”"
            return token

        # The sentence's own words, quoted ('the sleep'), stay as they are.
        parts = re.split(r"('[^']*')", text)
        return "".join(
            part
            if part.startswith("'")
            else re.sub(r"(?<![\w])[a-z0-9][a-z0-9_-]*[a-z0-9](?![\w])", name, part)
            for part in parts
        )


def render(
    proposals: list[Proposal],
    *,
    source_id: str,
    snapshot: str,
    sha256: str,
    extractor: str,
    claim_files: dict[str, str],
) -> str:
    """The proposals file: a header saying how to use it, then one entry per segment."""
    lines = [
        f"# kgraph add: proposals for {source_id}, one entry per sentence, list item and heading.",
        "# For each entry set `action`: merge (add `quote` to the existing `claim`; pick another",
        "# from `matches` (found_by: matcher, whose checks it passed, or similar words, a mere",
        "# candidate) or any claim id), new (write `new_claim`; fix its statement and every",
        "# field `guesses` lists), not_a_claim (say why in `reason`) or pending (a claim still to",
        "# be recorded). Cut `quote` to the smallest verbatim span that makes the claim.",
        "# Then run: kgraph add --apply THIS_FILE",
        f"article: {quoted(source_id)}",
        f"snapshot: {quoted(snapshot)}",
        f"sha256: {quoted(sha256)}",
        f"extracted_with: {quoted(extractor)}",
        "proposals:",
    ]
    for p in proposals:
        lines += _entry(p)
    lines.append(
        "# The claim files a merge may write, as they were: --apply refuses one changed since."
    )
    if claim_files:
        lines.append("claim_files:")
        lines += [f"  {cid}: {quoted(digest)}" for cid, digest in sorted(claim_files.items())]
    else:
        lines.append("claim_files: {}")
    return "\n".join(lines) + "\n"


def _entry(p: Proposal) -> list[str]:
    seg = p.segment
    lines = [
        f"  - text: {quoted(seg.text)}",
        f"    locator: {quoted(seg.locator)}",
        f"    action: {p.action}",
    ]
    if p.action == MERGE:
        lines.append(f"    claim: {p.claim}")
    if p.reason:
        lines.append(f"    reason: {quoted(p.reason)}")
    if seg.block not in BLOCK_REASONS:
        lines.append(f"    quote: {quoted(p.quote)}")
    if p.matches:
        lines.append("    matches:")
        for m, why, basis in zip(p.matches, p.reasons, p.bases, strict=True):
            lines += [
                f"      - claim: {m.claim_id}",
                f"        found_by: {quoted(basis)}",
                f"        score: {m.score:.1f}",
                f"        statement: {quoted(m.statement)}",
                f"        why: {quoted(why)}",
            ]
    c = p.new_claim
    if c is not None:
        lines += [
            "    new_claim:",
            f"      id: {c.id}",
            f"      statement: {quoted(c.statement)}",
            f"      kind: {quoted(c.kind)}",
            f"      subject: {quoted(c.subject)}",
            f"      predicate: {quoted(c.predicate)}",
            f"      object: {quoted(c.object)}",
            "      guesses:",
            *(f"        {k}: {quoted(v)}" for k, v in c.guesses.items()),
        ]
    return lines
