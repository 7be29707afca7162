"""Field-level validation of one record against its table in `kgraph.corpus.schema`.

Takes the located mapping from `kgraph.corpus.reader`, reports every problem as a Finding at the key
or value's line, and returns a cleaned copy holding only the values that passed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from typing import Any

from kgraph import vocab
from kgraph.corpus.findings import Finding
from kgraph.corpus.reader import LocDict, LocList
from kgraph.corpus.schema import MOVED_FIELDS, RECORD_FIELDS, Field

_TYPE_WORDS = {
    "text": "text",
    "str": "text",
    "int": "a whole number",
    "year_or_text": "text or a number",
    "date": "a date (YYYY, YYYY-MM or YYYY-MM-DD)",
    "id": "an id",
    "ref": "an id",
    "ref_list": "a list of ids",
    "text_list": "a list of texts",
    "authors": "a list of author names, or unknown",
    "vocab": "one of the allowed values",
    "mapping": "a mapping of fields",
    "list": "a list of mappings",
    "str_map": "a mapping of names to identifiers",
    "int_or_null": "a whole number or null",
    "doi": "a DOI (10.NNNN/...)",
    "pmid": "a PubMed id (digits)",
    "pmcid": "a PMC id (PMC followed by digits)",
    "sha256": "64 hexadecimal digits",
}


# The reader leaves a YAML integer of more digits than Python converts (4,300) as text.
_UNREAD_INT = re.compile(r"[-+]?[0-9][0-9_]{4299,}")


def _too_large(value: Any) -> bool:
    """Whether a YAML integer lies outside the 64-bit range (GraphML long, Neo4j int)."""
    return type(value) is int and not -vocab.MAX_INT - 1 <= value <= vocab.MAX_INT


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, LocDict | dict):
        return "a mapping"
    if isinstance(value, LocList | list):
        return "a list"
    if isinstance(value, int | float):
        return "a number"
    return "text"


def date_range(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a (possibly partial) date can mean; None if impossible."""
    m = vocab.DATE_PATTERN.match(value)
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last)
        d = dt.date(year, month, day)
        return d, d
    except ValueError:
        return None


# Where a value sits, for messages: None at the top, else (field, item index or None, parent).
Where = tuple[str, "int | None", "Where"] | None
_PATTERNS = {
    "id": vocab.ID_PATTERN,
    "ref": vocab.ID_PATTERN,
    "doi": vocab.DOI_PATTERN,
    "pmcid": vocab.PMCID_PATTERN,
    "sha256": vocab.SHA256_PATTERN,
}
_STRING_KINDS = frozenset(("text", "str", "id", "ref", "vocab", "doi", "pmcid", "sha256"))


def _text(where: Where) -> str:
    """` in `evidence`` / ` in `references` item 2 in `evidence``: how messages say where."""
    parts = []
    while where is not None:
        name, index, where = where
        parts.append(f" in `{name}`" if index is None else f" in `{name}` item {index + 1}")
    return "".join(parts)


_BY_NAME: dict[int, tuple[tuple[Field, ...], dict[str, Field]]] = {}


def _by_name(fields: tuple[Field, ...]) -> dict[str, Field]:
    # Keyed by identity: the field tables are module constants, and hashing them is slow.
    entry = _BY_NAME.get(id(fields))
    if entry is None or entry[0] is not fields:
        entry = _BY_NAME[id(fields)] = (fields, {f.name: f for f in fields})
    return entry[1]


class _Validator:
    def __init__(self, path: str, today: dt.date) -> None:
        self.path = path
        self.today = today
        self.findings: list[Finding] = []

    def add(self, code: str, pos: tuple[int, int], message: str, hint: str = "") -> None:
        self.findings.append(Finding(code, self.path, pos[0], pos[1], message, hint))

    def mapping(self, fields: tuple[Field, ...], data: LocDict, where: Where) -> dict[str, Any]:
        by_name = _by_name(fields)
        out: dict[str, Any] = {}
        positions = data.positions
        for i, (key, value) in enumerate(data.items()):
            spec = by_name.get(key)
            if spec is None:
                close = difflib.get_close_matches(key, list(by_name), n=1, cutoff=0.6)
                moved = MOVED_FIELDS.get((where[0], key)) if where is not None else None
                hint = (
                    f"a study is described once: this moved to {moved}"
                    if moved
                    else f"did you mean `{close[0]}`?"
                    if close
                    else ("allowed fields: " + ", ".join(by_name))
                )
                self.add("KG204", data.key_pos[key], f"unknown field `{key}`{_text(where)}", hint)
                continue
            pos = (positions[4 * i + 2], positions[4 * i + 3])
            cleaned = self.value(spec, value, pos, where)
            if cleaned is not None:
                out[key] = cleaned
        for spec in fields:
            if spec.required and spec.name not in data:
                self.add(
                    spec.empty_code,
                    (data.line, data.col),
                    f"missing required field `{spec.name}`{_text(where)}",
                    spec.description,
                )
        return out

    def too_large(self, name: str, value: Any, pos: tuple[int, int], hint: str) -> None:
        """A YAML integer outside the 64-bit range the exports declare."""
        text = str(value)
        shown = text if len(text) <= 40 else f"a number of {len(text)} characters"
        if text.startswith("-"):
            beyond = f"smaller than any export can hold (at least {-vocab.MAX_INT - 1:,}"
        else:
            beyond = f"larger than any export can hold (at most {vocab.MAX_INT:,}"
        self.add(
            "KG202", pos, f"{name} is {shown}, {beyond}: GraphML's long, Neo4j's integer)", hint
        )

    def wrong(self, spec: Field, value: Any, pos: tuple[int, int], name: str) -> None:
        expected = _TYPE_WORDS[spec.kind]
        if spec.unknown_ok:
            expected += " (or unknown)"
        self.add("KG202", pos, f"{name} should be {expected}, not {_type_name(value)}")

    def value(self, spec: Field, value: Any, pos: tuple[int, int], where: Where) -> Any:
        kind = spec.kind
        # The common case first: a string field holding a plain, non-empty string.
        if kind in _STRING_KINDS and type(value) is str:
            if kind == "str":
                return value
            if spec.unknown_ok and value == vocab.UNKNOWN:
                return vocab.UNKNOWN
            if value.strip():
                if kind == "text":
                    return value
                return self._string(spec, value, pos, where)
        elif kind == "mapping" and isinstance(value, LocDict):
            return self.mapping(spec.fields, value, (spec.name, None, where))
        elif kind == "int_or_null" and (
            value is None or (type(value) is int and 0 <= value <= vocab.MAX_INT)
        ):
            return value
        name = f"`{spec.name}`{_text(where)}"
        if spec.unknown_ok and value == vocab.UNKNOWN:
            return vocab.UNKNOWN
        empty = "KG205" if spec.empty_code == "KG201" else spec.empty_code
        if value is None and kind != "int_or_null":
            if spec.required:
                self.add(empty, pos, f"{name} is empty", spec.description)
            return None

        def wrong() -> None:
            self.wrong(spec, value, pos, name)

        if kind in _STRING_KINDS:
            if not isinstance(value, str):
                wrong()
                return None
            if kind != "str" and not value.strip():
                self.add(empty, pos, f"{name} is empty", spec.description)
                return None
            return self._string(spec, value, pos, where)
        if kind == "year_or_text":
            if isinstance(value, bool) or not isinstance(value, str | int):
                wrong()
                return None
            if _too_large(value):
                self.too_large(name, value, pos, "write it in quotes to keep it as text")
                return None
            return str(value)
        if kind == "int_or_null":
            if value is None:
                return None
            if type(value) is int and value < 0:
                self.add("KG202", pos, f"{name} is {value}, below zero", spec.description)
                return None
            if _too_large(value) or (isinstance(value, str) and _UNREAD_INT.fullmatch(value)):
                self.too_large(name, value, pos, spec.description)
                return None
            wrong()
            return None
        if kind == "date":
            return self._date(spec, value, pos, name)
        if kind == "pmid":
            text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
            if not isinstance(text, str) or not vocab.PMID_PATTERN.match(text):
                self.add(
                    "KG504", pos, f"{name} is not a PubMed id: {value!r}", "PubMed ids are digits"
                )
                return None
            return text
        if kind in ("ref_list", "text_list", "authors"):
            return self._str_list(spec, value, pos, name, wrong)
        if kind == "str_map":
            if not isinstance(value, LocDict):
                wrong()
                return None
            out = {}
            for k, v in value.items():
                if isinstance(v, bool) or not isinstance(v, str | int):
                    self.add("KG202", value.value_pos[k], f"`{k}` in {name} should be text")
                elif _too_large(v):
                    self.too_large(
                        f"`{k}` in {name}", v, value.value_pos[k], "write it in quotes as text"
                    )
                else:
                    out[k] = str(v)
            return out
        if kind == "mapping":
            if not isinstance(value, LocDict):
                wrong()
                return None
            return self.mapping(spec.fields, value, (spec.name, None, where))
        if kind == "list":
            if not isinstance(value, LocList):
                wrong()
                return None
            if len(value) < spec.min_items:
                self.add(empty, pos, f"{name} is empty", spec.description)
            items = []
            for i, item in enumerate(value):
                if not isinstance(item, LocDict):
                    self.add(
                        "KG202",
                        value.item_pos[i],
                        f"item {i + 1} of {name} should be a mapping, not {_type_name(item)}",
                    )
                    continue
                items.append(self.mapping(spec.fields, item, (spec.name, i, where)))
            return items
        raise AssertionError(f"field kind {kind!r} has no validator")  # a schema bug, not input

    def _unsafe_id(self, spec: Field, value: str, pos: tuple[int, int]) -> None:
        """An id that is a valid slug but cannot be a file name everywhere the site goes."""
        if value in vocab.RESERVED_NAMES:
            self.add(
                "KG211",
                pos,
                f"`{spec.name}` {value!r} is a device name Windows reserves: its page "
                f"{value}.html could not be written or opened there",
                f"choose a longer id, e.g. {value}-record",
            )
        else:
            self.add(
                "KG212",
                pos,
                f"`{spec.name}` is {len(value)} characters; an id may have at most "
                f"{vocab.MAX_ID_LENGTH} (it becomes a file name on the site)",
                "shorten it: the statement says the rest",
            )

    def _string(self, spec: Field, value: str, pos: tuple[int, int], where: Where) -> str | None:
        kind = spec.kind
        pattern = _PATTERNS.get(kind)
        if (pattern is None or pattern.match(value)) and (kind != "vocab" or value in spec.vocab):
            if kind == "id" and (len(value) > vocab.MAX_ID_LENGTH or value in vocab.RESERVED_NAMES):
                self._unsafe_id(spec, value, pos)
                return None
            return value  # valid: no message to build
        name = f"`{spec.name}`{_text(where)}"
        if kind in ("id", "ref") and not vocab.ID_PATTERN.match(value):
            self.add(
                "KG207",
                pos,
                f"{name} {value!r} is not a valid id",
                "ids are lower-case letters, digits and hyphens, e.g. ketamine-blocks-nmda",
            )
            return None
        if kind == "vocab" and value not in spec.vocab:
            close = difflib.get_close_matches(value, spec.vocab, n=1, cutoff=0.5)
            hint = (
                (f"did you mean `{close[0]}`? " if close else "")
                + "allowed: "
                + ", ".join(spec.vocab)
            )
            self.add("KG203", pos, f"{name} has value {value!r}, which is not allowed", hint)
            return None
        if kind == "doi" and not vocab.DOI_PATTERN.match(value):
            self.add(
                "KG503",
                pos,
                f"{name} is not a DOI: {value!r}",
                "a DOI looks like 10.1038/nature10130, without https://doi.org/",
            )
            return None
        if kind == "pmcid" and not vocab.PMCID_PATTERN.match(value):
            self.add("KG504", pos, f"{name} is not a PMC id: {value!r}", "e.g. PMC7267897")
            return None
        if kind == "sha256" and not vocab.SHA256_PATTERN.match(value):
            self.add(
                "KG508",
                pos,
                f"{name} is not a SHA-256 digest",
                "64 lower-case hexadecimal digits, as `sha256sum` prints",
            )
            return None
        return value

    def _date(self, spec: Field, value: Any, pos: tuple[int, int], name: str) -> str | None:
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.add("KG505", pos, f"{name} is not a date: {value!r}", _TYPE_WORDS["date"])
            return None
        text = str(value)
        span = date_range(text)
        if span is None:
            self.add(
                "KG505",
                pos,
                f"{name} is not a possible date: {text!r}",
                "write YYYY, YYYY-MM or YYYY-MM-DD with a real month and day"
                + (", or unknown" if spec.unknown_ok else ""),
            )
            return None
        if span[0] > self.today:
            self.add("KG507", pos, f"{name} {text} lies in the future")
            return None
        return text

    def _str_list(
        self, spec: Field, value: Any, pos: tuple[int, int], name: str, wrong: Any
    ) -> list[str] | None:
        if not isinstance(value, LocList):
            wrong()
            return None
        out: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.add(
                    "KG202" if not isinstance(item, str) else "KG205",
                    value.item_pos[i],
                    f"item {i + 1} of {name} should be non-empty text",
                )
                continue
            if spec.kind == "ref_list" and not vocab.ID_PATTERN.match(item):
                self.add("KG207", value.item_pos[i], f"item {i + 1} of {name} is not a valid id")
                continue
            out.append(item)
        if spec.kind == "authors" and not out:
            self.add("KG205", pos, f"{name} is empty", "list the authors seen, or write unknown")
            return None
        return out


def validate_record(
    record_type: str, data: LocDict, path: str, today: dt.date | None = None
) -> tuple[dict[str, Any], list[Finding]]:
    """Check one record's fields; return the values that passed and the findings."""
    v = _Validator(path, today or dt.date.today())
    cleaned = v.mapping(RECORD_FIELDS[record_type], data, None)
    return cleaned, v.findings
