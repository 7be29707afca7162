"""Typed findings of `kgraph check`: one table of stable codes, and text, JSON and GitHub output.

Every stage that inspects the corpus (reading YAML, validating records, cross-checking the corpus)
reports problems as `Finding` values with a code from `CODES`; nothing raises on bad input.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    # A note never fails a check, even with --strict: an honest "unknown" still to be filled in.
    NOTE = "note"


# The severity of findings about an explicit `unknown` in the grading (an excerpt, a domain, a
# search): notes until the corpus is re-graded, then warnings that --strict fails.
GRADING_UNKNOWN = Severity.WARNING


@dataclass(frozen=True)
class Code:
    """A kind of problem `kgraph check` can find, with a stable code."""

    code: str
    name: str
    severity: Severity
    summary: str


_CODES: tuple[Code, ...] = (
    # Reading files and YAML.
    Code("KG101", "yaml-syntax", Severity.ERROR, "The file is not valid YAML."),
    Code("KG102", "not-utf8", Severity.ERROR, "The file is not UTF-8 text."),
    Code("KG103", "empty-file", Severity.ERROR, "The file holds no record."),
    Code("KG104", "not-mapping", Severity.ERROR, "The file's top level is not a mapping."),
    Code("KG105", "file-too-large", Severity.ERROR, "The file is larger than a record may be."),
    Code("KG106", "binary-file", Severity.ERROR, "The file holds NUL bytes: it is not text."),
    Code("KG107", "byte-order-mark", Severity.WARNING, "The file starts with a byte-order mark."),
    Code("KG108", "tab-indent", Severity.ERROR, "A tab is used for indentation."),
    Code("KG109", "duplicate-key", Severity.ERROR, "A key appears twice in one mapping."),
    Code("KG110", "unsafe-tag", Severity.ERROR, "A YAML tag that would construct an object."),
    Code("KG111", "yaml-alias", Severity.ERROR, "YAML anchors and aliases are not allowed."),
    Code("KG112", "unreadable-file", Severity.ERROR, "The file cannot be read."),
    Code("KG113", "stray-file", Severity.WARNING, "A file in a record folder that is not YAML."),
    Code("KG116", "special-file", Severity.ERROR, "A FIFO, device or folder among the records."),
    Code("KG117", "link-outside", Severity.ERROR, "A record file links outside the corpus."),
    Code("KG118", "lone-cr", Severity.ERROR, "A line ends with a lone carriage return."),
    # Record shape.
    Code("KG201", "missing-field", Severity.ERROR, "A required field is missing."),
    Code("KG202", "wrong-type", Severity.ERROR, "A field has the wrong type."),
    Code("KG203", "bad-value", Severity.ERROR, "A value is outside its controlled vocabulary."),
    Code("KG204", "unknown-field", Severity.ERROR, "A field the format does not have."),
    Code("KG205", "empty-value", Severity.ERROR, "A required value is empty."),
    Code("KG206", "id-file-mismatch", Severity.ERROR, "The file name differs from the record id."),
    Code("KG207", "bad-id", Severity.ERROR, "An id is not a lower-case slug."),
    Code("KG208", "rhetoric-graded", Severity.ERROR, "A rhetoric claim carries an evidence block."),
    Code("KG209", "missing-evidence", Severity.ERROR, "A claim that needs evidence has none."),
    Code("KG210", "direction-at-es0", Severity.ERROR, "ES-0 (nothing found) takes no direction."),
    Code("KG211", "reserved-id", Severity.ERROR, "An id is a name some systems reserve."),
    Code("KG212", "long-id", Severity.ERROR, "An id is too long for a file name."),
    # References between records.
    Code("KG301", "claim-without-source", Severity.ERROR, "A claim has no asserting source."),
    Code("KG302", "empty-quote", Severity.ERROR, "A source entry has an empty quote."),
    Code("KG303", "dangling-reference", Severity.ERROR, "A reference to a record that is absent."),
    Code("KG304", "duplicate-id", Severity.ERROR, "Two records have the same id."),
    Code("KG305", "dependency-cycle", Severity.ERROR, "Claims depend on each other in a cycle."),
    Code(
        "KG306", "wrong-record-type", Severity.ERROR, "A reference names a record of another type."
    ),
    Code(
        "KG307",
        "duplicate-assertion",
        Severity.WARNING,
        "A source asserts a claim twice with one passage (the same or an overlapping quote).",
    ),
    Code("KG308", "duplicate-identifier", Severity.ERROR, "Two sources share a DOI or PubMed id."),
    Code(
        "KG309",
        "duplicate-triple",
        Severity.WARNING,
        "Two claims have the same subject, predicate, object and qualifiers.",
    ),
    Code(
        "KG310",
        "duplicate-statement",
        Severity.WARNING,
        "Two claims have the same statement (case, spaces and punctuation aside).",
    ),
    Code(
        "KG311",
        "duplicate-quote",
        Severity.WARNING,
        "One source's quote carries the same triple in two claims.",
    ),
    # Quotes and snapshots.
    Code("KG401", "quote-not-found", Severity.ERROR, "A quote does not occur in its snapshot."),
    Code("KG402", "snapshot-missing", Severity.ERROR, "A snapshot file is missing."),
    Code("KG403", "snapshot-changed", Severity.ERROR, "A snapshot's SHA-256 does not match."),
    Code("KG404", "snapshot-outside", Severity.ERROR, "A snapshot path escapes the corpus."),
    Code("KG405", "quote-unverifiable", Severity.WARNING, "A quote's source has no snapshot."),
    Code("KG406", "snapshot-unused", Severity.WARNING, "A snapshot file no source refers to."),
    # Grounding: entities' identifiers, checked against the pinned vocabularies.
    Code("KG420", "unknown-prefix", Severity.ERROR, "A CURIE's prefix is not in the Bioregistry."),
    Code("KG421", "bad-local-id", Severity.ERROR, "A CURIE's identifier does not fit its pattern."),
    Code(
        "KG422",
        "vocabulary-not-allowed",
        Severity.ERROR,
        "A term from a vocabulary the entity's type may not use.",
    ),
    Code("KG423", "term-not-found", Severity.ERROR, "A CURIE is not in the pinned vocabulary."),
    Code("KG424", "label-mismatch", Severity.ERROR, "A recorded label is not the term's label."),
    Code(
        "KG425",
        "vocabulary-version",
        Severity.WARNING,
        "A term was checked against another version than the pinned one.",
    ),
    Code("KG426", "ungrounded", Severity.NOTE, "An entity has no grounding and says not why."),
    Code(
        "KG427",
        "grounding-conflict",
        Severity.ERROR,
        "An entity is both grounded and marked ungrounded, or lists a term twice.",
    ),
    # Evidence, identifiers and dates.
    Code("KG501", "evidence-unreferenced", Severity.ERROR, "A level above ES-1 has no reference."),
    Code("KG502", "non-evidence-source", Severity.ERROR, "News or marketing cited as evidence."),
    Code("KG503", "bad-doi", Severity.ERROR, "A DOI is malformed."),
    Code("KG504", "bad-pmid", Severity.ERROR, "A PubMed or PMC id is malformed."),
    Code("KG505", "bad-date", Severity.ERROR, "A date is malformed or impossible."),
    Code("KG506", "accessed-before-published", Severity.ERROR, "Accessed before published."),
    Code("KG507", "future-date", Severity.ERROR, "A date lies in the future."),
    Code("KG508", "bad-hash", Severity.ERROR, "A SHA-256 is not 64 hexadecimal digits."),
    Code("KG509", "unused-record", Severity.WARNING, "No claim uses this entity or source."),
    # Grading (docs/grading.md).
    Code(
        "KG701", "excerpt-not-found", Severity.ERROR, "An excerpt is not in its study's snapshot."
    ),
    Code(
        "KG702", "excerpt-unverified", GRADING_UNKNOWN, "An excerpt is unknown or has no snapshot."
    ),
    Code("KG703", "search-missing", GRADING_UNKNOWN, "A graded claim documents no search."),
    Code("KG704", "search-stale", Severity.WARNING, "A search is older than the allowed age."),
    Code(
        "KG705",
        "domains-unknown",
        GRADING_UNKNOWN,
        "The level cannot be derived: an input is unknown.",
    ),
    Code(
        "KG706",
        "level-not-derived",
        Severity.ERROR,
        "The stated level differs from the derived one.",
    ),
    Code("KG707", "override-pending", GRADING_UNKNOWN, "A stated level kept pending a re-grade."),
    Code(
        "KG708",
        "direction-unfollowed",
        Severity.ERROR,
        "The direction does not follow the references.",
    ),
    Code("KG709", "reading-unknown", GRADING_UNKNOWN, "How a quote carries its claim is unknown."),
    Code("KG710", "reading-unexplained", Severity.ERROR, "A reading of a quote gives no reason."),
    Code("KG711", "needless-override", Severity.WARNING, "An override where the levels agree."),
    # Coverage maps (docs/formats.md): every segment of an article accounted for.
    Code("KG801", "sentence-unmapped", Severity.ERROR, "A snapshot sentence has no map entry."),
    Code("KG802", "entry-not-in-snapshot", Severity.ERROR, "An entry is no snapshot sentence."),
    Code(
        "KG803",
        "entry-claim-unknown",
        Severity.ERROR,
        "An entry names a claim that does not exist.",
    ),
    Code(
        "KG804",
        "entry-claim-unquoted",
        Severity.ERROR,
        "A listed claim quotes nothing in its sentence.",
    ),
    # A warning: a new claim is sound on its own and its map lags behind; --strict (CI) fails.
    Code("KG805", "quote-unmapped", Severity.WARNING, "A quote of an article no entry lists."),
    Code("KG806", "map-missing", Severity.ERROR, "An article with a snapshot has no map."),
    Code("KG807", "claim-pending", GRADING_UNKNOWN, "A sentence's claim is still to be recorded."),
    Code(
        "KG808",
        "entry-verdict",
        Severity.ERROR,
        "An entry is not one of claims, not_a_claim, pending.",
    ),
    Code("KG809", "map-source", Severity.ERROR, "A map's source is no source with a snapshot."),
    Code("KG810", "entry-locator", Severity.WARNING, "An entry's locator is not the computed one."),
    Code("KG811", "entry-duplicate", Severity.ERROR, "Two entries for one sentence."),
    # Reviews.
    Code(
        "KG901",
        "review-stale",
        Severity.WARNING,
        "The claim, or a source or snapshot it rests on, changed after its review.",
    ),
    Code(
        "KG902",
        "review-unhashed",
        Severity.WARNING,
        "A claim marked reviewed records no hashes (not written by `kgraph review`).",
    ),
    Code(
        "KG903",
        "self-review",
        Severity.WARNING,
        "The reviewer is the git author of the last change to the claim.",
    ),
    # Withdrawn evidence (docs/retractions.md).
    Code(
        "KG904",
        "retracted-evidence",
        Severity.WARNING,
        "A claim rests on a study the pinned retraction list says is retracted.",
    ),
    Code(
        "KG905",
        "corrected-evidence",
        Severity.NOTE,
        "A claim rests on a study with a correction or an expression of concern.",
    ),
    Code("KG906", "retraction-list", Severity.ERROR, "The retraction list cannot be read."),
    # The corpus as a whole.
    Code("KG601", "no-corpus", Severity.ERROR, "The folder holds no corpus."),
)
CODES: dict[str, Code] = {c.code: c for c in _CODES}


@dataclass(frozen=True)
class Finding:
    """One problem, located: file, line and column (1-based; 0 when not known)."""

    code: str
    path: str
    line: int
    col: int
    message: str
    hint: str = ""
    related: tuple[str, ...] = field(default_factory=tuple)

    @property
    def severity(self) -> Severity:
        return CODES[self.code].severity

    @property
    def name(self) -> str:
        return CODES[self.code].name

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.col, self.code, self.message)

    def to_text(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        text = f"{where}: {self.code} {self.severity.value}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def to_github(self) -> str:
        level = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(self.severity, "notice")
        message = self.message + (f" (hint: {self.hint})" if self.hint else "")
        # GitHub's workflow commands need %, CR and LF escaped in the message.
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        # A property (the file name) escapes what a message does, and also `,` and `:`.
        path = self.path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = path.replace(",", "%2C").replace(":", "%3A")
        return (
            f"::{level} file={path},line={max(self.line, 1)},col={max(self.col, 1)},"
            f"title={self.code} {self.name}::{message}"
        )

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["related"] = list(self.related)
        data["severity"] = self.severity.value
        data["name"] = self.name
        return data


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(set(findings), key=Finding.sort_key)


def count(findings: Iterable[Finding]) -> tuple[int, int]:
    """(errors, warnings); notes are counted by `notes`."""
    errors = warnings = 0
    for f in findings:
        if f.severity is Severity.ERROR:
            errors += 1
        elif f.severity is Severity.WARNING:
            warnings += 1
    return errors, warnings


def notes(findings: Iterable[Finding]) -> int:
    return sum(1 for f in findings if f.severity is Severity.NOTE)


def render(
    findings: list[Finding],
    fmt: str,
    *,
    summary: str = "",
    checked: Mapping[str, int | float] | None = None,
) -> str:
    """Render findings as `text`, `json` or `github` (annotations).

    `summary` (what was checked, in words) is the text's line before the totals; `checked` (the
    same as numbers) is the JSON's `checked` object. GitHub annotations carry neither.
    """
    if fmt == "json":
        errors, warnings = count(findings)
        payload: dict[str, object] = {
            "findings": [f.to_dict() for f in findings],
            "errors": errors,
            "warnings": warnings,
            "notes": notes(findings),
        }
        if checked is not None:
            payload["checked"] = dict(checked)
        return json.dumps(payload, indent=2, ensure_ascii=False)
    if fmt == "github":
        return "\n".join(f.to_github() for f in findings)
    lines = [f.to_text() for f in findings if f.severity is not Severity.NOTE]
    errors, warnings = count(findings)
    held = notes(findings)
    if held:
        lines.append(
            f"{held} note{'s' if held != 1 else ''}: values still unknown, which never fail a "
            "check (--format json lists them)"
        )
    if summary:
        lines.append(summary)
    lines.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n".join(lines)


def codes_markdown() -> str:
    """The table of finding codes, for docs/findings.md."""
    rows = ["| code | name | severity | what it means |", "|---|---|---|---|"]
    for c in _CODES:
        rows.append(f"| {c.code} | {c.name} | {c.severity.value} | {c.summary} |")
    return "\n".join(rows)
