"""Records written as the corpus writes them: schema modeline first, its field order, values
in double quotes (a JSON string is a YAML double-quoted scalar), the article's own characters.

The one place `kgraph new` and `kgraph add --apply` turn values into YAML text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from kgraph import vocab

# The evidence block of a claim nobody has graded yet: nothing searched, nothing found (ES-0,
# which takes no direction), the search `unknown`, which `kgraph check` reports (KG703).
UNGRADED_RATIONALE = "Not graded yet: no search has been run for this claim."
_SLUG_WORD = re.compile(r"[a-z0-9]+")
# Words an id made from a sentence leaves out.
_ID_STOPWORDS = frozenset(
    str.split(
        "a an the of to in on and or is are be by for with as it its this that these those can may "
        "might could will would which who what how why your you our we their they"
    )
)
MAX_ID_WORDS = 7


def quoted(value: str) -> str:
    """A YAML double-quoted scalar for any text, non-ASCII characters kept as written."""
    return json.dumps(value, ensure_ascii=False)


def flow_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(quoted(v) for v in values) + "]"


def modeline(record_type: str) -> str:
    """The schema line every record of the corpus starts with."""
    return f"# yaml-language-server: $schema=../../schema/{record_type}.schema.json"


def slug(text: str, max_words: int = MAX_ID_WORDS) -> str:
    """A lower-case id from words: the content words of `text`, hyphenated."""
    words = _SLUG_WORD.findall(text.lower().replace("’", "").replace("'", ""))
    kept = [w for w in words if w not in _ID_STOPWORDS] or words
    return "-".join(kept[:max_words])


def vocab_comment(terms: tuple[vocab.Term, ...]) -> str:
    return "one of: " + ", ".join(t.value for t in terms)


def assertion_lines(source: str, quote: str, locator: str, indent: str = "  ") -> list[str]:
    """One `sources:` entry: the article, its verbatim quote, where it stands; how the quote
    carries the claim is the curator's call, so `reading` is `unknown` until it is made."""
    return [
        f"{indent}- source: {quoted(source)}",
        f"{indent}  quote: {quoted(quote)}",
        f"{indent}  locator: {quoted(locator)}",
        f"{indent}  reading: {quoted(vocab.UNKNOWN)}",
    ]


def claim_text(
    claim_id: str,
    *,
    statement: str = "",
    kind: str = "",
    subject: str = "",
    predicate: str = "",
    obj: str = "",
    source: str = "",
    quote: str = "",
    locator: str = "",
    comments: bool = False,
) -> str:
    """A claim record; its evidence the explicit ungraded block (or none, for rhetoric).

    With `comments`, each field the curator must fill carries the values it may take.
    """

    def note(text: str) -> str:
        return f"  # {text}" if comments else ""

    lines = [
        modeline("claim"),
        f"id: {quoted(claim_id)}",
        f"statement: {quoted(statement)}{note('the claim in one plain sentence')}",
        f"kind: {quoted(kind)}{note(vocab_comment(vocab.CLAIM_KINDS))}",
        f"subject: {quoted(subject)}{note('an entity id (entities/)')}",
        f"predicate: {quoted(predicate)}{note(vocab_comment(vocab.PREDICATES))}",
        f"object: {quoted(obj)}{note('an entity id (entities/)')}",
        "sources:",
        *assertion_lines(source, quote, locator),
    ]
    if kind not in vocab.UNGRADED_CLAIM_KINDS:
        lines += [
            "evidence:",
            f"  level: {quoted('ES-0')}",
            f"  rationale: {quoted(UNGRADED_RATIONALE)}",
            f"  search: {quoted(vocab.UNKNOWN)}",
        ]
    lines += ["depends_on: []", "review:", f"  status: {quoted('draft')}"]
    return "\n".join(lines) + "\n"


def entity_text(
    entity_id: str,
    *,
    label: str,
    type_: str = "",
    synonyms: Iterable[str] = (),
    comments: bool = False,
) -> str:
    type_note = f"  # {vocab_comment(vocab.ENTITY_TYPES)}" if comments else ""
    lines = [
        modeline("entity"),
        f"id: {quoted(entity_id)}",
        f"label: {quoted(label)}",
        f"type: {quoted(type_)}{type_note}",
        f"synonyms: {flow_list(synonyms)}",
        f"description: {quoted('')}",
    ]
    return "\n".join(lines) + "\n"


def source_text(
    source_id: str,
    *,
    title: str = vocab.UNKNOWN,
    kind: str = "",
    authors: list[str] | None = None,
    published: str = vocab.UNKNOWN,
    publisher: str = vocab.UNKNOWN,
    url: str = vocab.UNKNOWN,
    accessed: str = vocab.UNKNOWN,
    snapshot: tuple[str, str] | None = None,
    notes: str = "",
    comments: bool = False,
) -> str:
    """A source record: `unknown` for what is not known; the snapshot's path and SHA-256."""
    kind_note = f"  # {vocab_comment(vocab.SOURCE_KINDS)}" if comments else ""
    lines = [
        modeline("source"),
        f"id: {quoted(source_id)}",
        f"title: {quoted(title)}",
        f"kind: {quoted(kind)}{kind_note}",
        f"authors: {flow_list(authors) if authors else quoted(vocab.UNKNOWN)}",
        f"publisher: {quoted(publisher)}",
        f"url: {quoted(url)}",
        f"published: {quoted(published)}",
        f"accessed: {quoted(accessed)}",
    ]
    if snapshot is not None:
        lines += ["snapshot:", f"  path: {quoted(snapshot[0])}", f"  sha256: {quoted(snapshot[1])}"]
    if notes:
        lines.append(f"notes: {quoted(notes)}")
    return "\n".join(lines) + "\n"
