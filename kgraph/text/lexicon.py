"""The words the claim matcher reads: stemming, stop words, negation and predicate cue words.

Used by `kgraph.writers.find` (and through it the draft checker). Cue words are keyed by the
predicate
values of `kgraph.vocab`, with a direction, so "increases" and "decreases" never match as one claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kgraph import vocab
from kgraph.corpus.quotes import fold

# Directions a cue word gives its object. "better"/"worse" are judgments (improves, worsens)
# whose up/down reading depends on the object: improving sleep raises it, improving PTSD lowers it.
# "cause" brings its object about (trigger, produce) without saying more or less of it.
# "size" changes a structure (shrinks, enlarges), which no claim about activity makes.
UP, DOWN, BETTER, WORSE, CAUSE, NEUTRAL = "up", "down", "better", "worse", "cause", "neutral"
SIZE = "size"

# Direction each predicate asserts of its object (absent: no direction to contradict).
PREDICATE_DIRECTION: dict[str, str] = {
    "increases": UP,
    "activates": UP,
    "causes": CAUSE,
    "enables": UP,
    "decreases": DOWN,
    "blocks": DOWN,
    "treats": BETTER,
}


@dataclass(frozen=True)
class CueWord:
    """A word or phrase that expresses a predicate, and the direction it gives its object."""

    words: str
    predicates: frozenset[str]
    direction: str


def _cues(direction: str, predicates: str, words: str) -> list[CueWord]:
    preds = frozenset(predicates.split())
    return [CueWord(w.strip(), preds, direction) for w in words.split(",") if w.strip()]


# Predicate cue words. A test keeps every predicate of vocab.PREDICATES covered.
PREDICATE_CUES: tuple[CueWord, ...] = tuple(
    _cues(
        UP,
        "increases activates enables",
        "increase, raise, boost, enhance, elevate, promote, stimulate, strengthen, amplify, "
        "heighten, activate, activation, surge, grow, growth, foster, encourage, facilitate, "
        "build, upregulate, release, rise, higher levels, increased, open, opens up, switch on, "
        "turn on, more active, deepen",
    )
    + _cues(
        CAUSE,
        "causes activates enables increases",
        "cause, trigger, induce, spark, drive, create, produce, generate, lead to, bring about, "
        "give rise to, set off, result in, feel, experience",
    )
    + _cues(
        DOWN,
        "decreases blocks",
        "decrease, reduce, reduction, lower, lessen, diminish, dampen, quiet, quieten, calm, "
        "soothe, dial down, turn down, tone down, suppress, inhibit, block, blockade, antagonize, "
        "antagonise, antagonist, attenuate, weaken, curb, silence, blunt, decline, drop, "
        "fewer, less, lower levels, shut down, switch off, turn off, deactivate",
    )
    + _cues(
        BETTER,
        "treats increases decreases",
        "treat, treatment, therapy for, relieve, relief, alleviate, ease, improve, improvement, "
        "help, heal, healing, cure, benefit, resolve, remedy, remission, better",
    )
    + _cues(
        WORSE,
        "causes increases",
        "worsen, worse, exacerbate, aggravate, impair, harm, damage, intensify",
    )
    + _cues(SIZE, "increases decreases", "shrink, enlarge, atrophy, thicken, swell, grow larger")
    + _cues(
        NEUTRAL,
        "modulates acts_on associated_with part_of",
        "affect, act on, acts on, work on, works on, modulate, alter, change, influence, target, "
        "tie to, tied to, link to, linked to, associate with, associated with, involve, "
        "involved in, role in, part of, component of, correlate with, interact with, "
        "paired with, pair, combined with, combine, go along with, goes along with, go with",
    )
    + _cues(
        NEUTRAL,
        "approved_for",
        "approve, approved, approval, fda-approved, licensed, license, licence, authorised, "
        "authorized, cleared, indicated for",
    )
    + _cues(
        NEUTRAL,
        "administered_by",
        "administer, administered, given by, given as, given through, delivered, deliver, dose",
    )
    + _cues(NEUTRAL, "used_as", "used as, use as, used for, serve as, used in")
    + _cues(NEUTRAL, "is_a", "is a, kind of, type of, form of, class of")
    + _cues(
        NEUTRAL,
        "described_as",
        "described as, describe, call, called, like a, as a kind of, metaphor, likened to",
    )
)

# Predicates whose cue words must be present in a sentence for it to match a claim with that
# predicate, and whose cue words in a sentence rule out claims with other predicates: an
# approval is a different claim from an effect, whatever else the sentence shares with it.
EXCLUSIVE_PREDICATES: frozenset[str] = frozenset({"approved_for"})

NEGATIONS: frozenset[str] = frozenset(
    {"not", "no", "never", "neither", "nor", "cannot", "without", "none", "nothing", "fail"}
)
# "not just X" and "not only X" add to X rather than deny it.
ADDITIVE: frozenset[str] = frozenset({"just", "only", "merely", "simply", "solely"})

STOPWORDS: frozenset[str] = frozenset(
    str.split(
        """a an the of to in on at for from by with without into onto over under about as and or but
    if then than so that this these those there here it its it's they them their theirs we our us
    you your yours i me my he she his her be is are was were been being am do does did done have
    has had having will shall would should can could may might must which who whom whose what when
    where why how also just only very more most much such some any each every all both other own
    same too quite rather even still yet again ever often usually typically generally perhaps
    probably possibly likely seem seems seemed appear appears appeared suggest suggests suggested
    indicate indicates indicated many people person someone researcher researchers clinician
    patient patients participant participants individual individuals user users
    clinicians report reports reported say says said one ones way ways thing things like s within
    further really actually already well while clearly certainly definitely proven always
    scientifically primarily potentially potential possible"""
    )
)

_TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_PIECE = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*|[,;:()]|-+")
CLAUSE_BREAKS: frozenset[str] = frozenset({",", ";", ":", "(", ")", "-"})
_IRREGULAR = {
    "is": "be",
    "are": "be",
    "was": "be",
    "were": "be",
    "been": "be",
    "has": "have",
    "had": "have",
    "does": "do",
    "did": "do",
    "mice": "mouse",
    "children": "child",
    "centre": "center",
    "centres": "center",
    "behaviour": "behavior",
    "behaviours": "behavior",
    "anaesthesia": "anesthesia",
    "anaesthetic": "anesthetic",
    "programme": "program",
    "colour": "color",
    "colours": "color",
    "n't": "not",
    # Words of speed are one word to the matcher: "works fast" says what "rapid effect" says.
    "fast": "rapid",
    "faster": "rapid",
    "quick": "rapid",
    "quicker": "rapid",
    "quickly": "rapid",
    "rapidly": "rapid",
    "swift": "rapid",
    "swiftly": "rapid",
}
_DOUBLE = re.compile(r"([bdfgklmnprt])\1$")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix-stripping stem: the same for 'blocks', 'blocked', 'blocking' and 'block'."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) <= 3 or not w.isalpha():
        return w.removesuffix("'s")
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ying", "y")):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            return w[: -len(suffix)] + repl
    for suffix in ("ation", "ing", "ed", "es", "s"):
        if not w.endswith(suffix) or len(w) - len(suffix) < 3:
            continue
        if suffix == "s" and w.endswith(("ss", "us", "is")):
            break
        if suffix == "es" and not w.endswith(("sses", "shes", "ches", "xes", "zes")):
            continue
        w = w[: -len(suffix)]
        if suffix in ("ing", "ed") and _DOUBLE.search(w):
            w = w[:-1]
        if suffix == "ation":
            w += "at"
        break
    return w.removesuffix("e") if len(w) > 4 else w


def pieces(text: str) -> list[str]:
    """Word tokens and clause punctuation (, ; : ( ) and dashes as "-"), lower-cased, in order.

    Dashes are spaced first so "receptor—a fact" is two words; possessive 's is dropped.
    """
    spaced = text.replace("\u2014", " - ").replace("\u2013", " - ")
    out = []
    for tok in _PIECE.findall(fold(spaced).lower()):
        if tok.startswith("-"):
            tok = "-"
        out.append(tok[:-2] if tok.endswith("'s") else tok)
    return out


def words(text: str) -> list[str]:
    """Lower-case word tokens of a text, with typographic quotes folded and possessives dropped."""
    return [t for t in pieces(text) if t not in CLAUSE_BREAKS]


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def negations(tokens: list[str]) -> list[int]:
    """Positions of words that deny ("not", "never", "doesn't"), except "not just", "not only"."""
    out = []
    for i, w in enumerate(tokens):
        if w in NEGATIONS or w.endswith("n't"):
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            if following not in ADDITIVE:
                out.append(i)
    return out


def is_negated(text: str) -> bool:
    """True when the text denies something ("does not block"), not when it says "not just"."""
    return bool(negations(words(text)))


@lru_cache(maxsize=1)
def cue_table() -> dict[tuple[str, ...], CueWord]:
    """Cue words by their stem sequence; the longest sequence wins where two overlap."""
    table: dict[tuple[str, ...], CueWord] = {}
    for cue in PREDICATE_CUES:
        key = tuple(stems(cue.words))
        if key and key not in table:
            table[key] = cue
    return table


def predicate_direction(predicate: str) -> str | None:
    return PREDICATE_DIRECTION.get(predicate)


def covered_predicates() -> set[str]:
    """Predicates with at least one cue word (a test checks this is all of vocab.PREDICATES)."""
    return {p for cue in PREDICATE_CUES for p in cue.predicates} & set(
        vocab.values(vocab.PREDICATES)
    )
