"""The audit's finding codes, defined once: code, name, severity and one-line meaning.

Every audit rule reports with a code from `AUDIT_CODES`; docs/audit.md's table is generated from
it (`codes_markdown`). Thresholds in the meanings are read from `kgraph.vocab`.
"""

from __future__ import annotations

from dataclasses import dataclass

from kgraph import vocab

# Severities, most to least serious. `error`: a careful reader should not believe the claim as
# worded; `warning`: believe it less than the wording invites; `info`: bookkeeping of the corpus.
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


def _level(rank: int) -> str:
    return next(lv.value for lv in vocab.EVIDENCE_LEVELS if lv.rank == rank)


def _top_level() -> str:
    return max(vocab.EVIDENCE_LEVELS, key=lambda lv: lv.rank).value


@dataclass(frozen=True)
class AuditCode:
    """A kind of audit finding, with a stable code."""

    code: str
    name: str
    severity: str
    meaning: str


_OVER = _level(vocab.OVERCLAIM_MAX_RANK)
_ECHO = _level(vocab.ECHO_MAX_RANK)

_CODES: tuple[AuditCode, ...] = (
    AuditCode(
        "AU101",
        "overclaim",
        "error",
        f"A source states flatly (no hedge cue, or with a booster) a claim whose evidence is "
        f"{_OVER} or lower.",
    ),
    AuditCode(
        "AU102",
        "dropped-hedge",
        "warning",
        f"One source hedges a claim at {_OVER} or lower and another states the same claim as fact.",
    ),
    AuditCode(
        "AU103",
        "echo",
        "warning",
        f"Two or more articles assert a claim whose evidence is {_ECHO} or lower: repetition "
        "standing in for evidence.",
    ),
    AuditCode(
        "AU104",
        "weak-link",
        "warning",
        "A claim is graded above the weakest premise it depends on; the chain is shown.",
    ),
    AuditCode(
        "AU105",
        "contradicted-or-mixed",
        "error",
        "The evidence contradicts the claim or is mixed, yet a source states it without a hedge.",
    ),
    AuditCode(
        "AU106",
        "extrapolated",
        "warning",
        "The evidence comes only from animals, healthy volunteers, another condition or another "
        "drug form, and the claim is made about patients.",
    ),
    AuditCode(
        "AU107",
        "rhetoric",
        "warning",
        "A source uses an untestable metaphor or slogan where a reader expects science.",
    ),
    AuditCode(
        "AU108",
        "underclaim",
        "info",
        f"A source hedges a claim whose evidence is {_top_level()}: more caution than needed.",
    ),
    AuditCode(
        "AU109",
        "overridden-level",
        "warning",
        "The stated level is not the one the grading rules derive; an override argues for it.",
    ),
    AuditCode(
        "AU110",
        "read-into",
        "warning",
        "No source says the claim in so many words: every quote carries it only as a reading "
        "(an implication, a heading, a list).",
    ),
    AuditCode(
        "AU201",
        "single-source",
        "info",
        "Only one source asserts the claim.",
    ),
    AuditCode(
        "AU202",
        "unused-entity",
        "info",
        "No claim has this entity as its subject or object.",
    ),
    AuditCode(
        "AU203",
        "uncited-source",
        "info",
        "No claim cites or is asserted by this source.",
    ),
    AuditCode(
        "AU204",
        "no-reviewer",
        "info",
        "The claim has not been checked by a named reviewer.",
    ),
)
AUDIT_CODES: dict[str, AuditCode] = {c.code: c for c in _CODES}


def severity_rank(severity: str) -> int:
    """0 for error, 1 for warning, 2 for info: lower is more serious."""
    return SEVERITIES.index(severity)


def codes_markdown() -> str:
    """The table of audit codes, as docs/audit.md shows it."""
    rows = ["| code | name | severity | what it means |", "|---|---|---|---|"]
    rows += [f"| {c.code} | {c.name} | {c.severity} | {c.meaning} |" for c in _CODES]
    return "\n".join(rows)


# docs/audit.md holds the generated table between these two lines.
TABLE_START = "<!-- audit codes: generated from kgraph/audit/codes.py -->"
TABLE_END = "<!-- end of audit codes -->"


def refresh_codes_table(doc: str) -> str:
    """The document with the text between the table markers replaced by the current table."""
    head, found, rest = doc.partition(TABLE_START)
    _, found_end, tail = rest.partition(TABLE_END)
    if not found or not found_end:
        raise ValueError("the document has no audit codes table markers")
    return f"{head}{TABLE_START}\n{codes_markdown()}\n{TABLE_END}{tail}"
