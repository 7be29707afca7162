"""Safe YAML reading: file bytes -> plain values that remember the line and column they came from.

First stage of the flow. Uses PyYAML's parser (C when available) and builds values from its events
itself, so no tag can construct an object, aliases are refused, duplicate keys are caught, and
every mapping knows where each of its keys and values stands in the file.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from sys import intern
from typing import Any

import yaml

from kgraph.corpus.findings import Finding

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# A record is a few kilobytes; anything this large is a mistake or an attack.
MAX_RECORD_BYTES = 1_000_000

_T = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_T + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_BOOL = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


class LocDict(dict[str, Any]):
    """A mapping that knows the (line, col) of each key and of each value (1-based).

    The positions are one flat list of ints, key line, key col, value line, value col for each
    key in order: cheap to build, to send between processes and to cache. `key_pos` and
    `value_pos` give them by key.
    """

    __slots__ = ("col", "line", "positions")

    def __init__(self, line: int, col: int, positions: list[int] | None = None) -> None:
        super().__init__()
        self.line = line
        self.col = col
        self.positions: list[int] = [] if positions is None else positions

    @property
    def key_pos(self) -> dict[str, tuple[int, int]]:
        p = self.positions
        return {key: (p[4 * i], p[4 * i + 1]) for i, key in enumerate(self)}

    @property
    def value_pos(self) -> dict[str, tuple[int, int]]:
        p = self.positions
        return {key: (p[4 * i + 2], p[4 * i + 3]) for i, key in enumerate(self)}

    def __reduce__(self) -> Any:
        return (LocDict, (self.line, self.col, self.positions), None, None, iter(self.items()))


class LocList(list[Any]):
    """A sequence that knows the (line, col) of each item (1-based), kept like LocDict's."""

    __slots__ = ("col", "line", "positions")

    def __init__(self, line: int, col: int, positions: list[int] | None = None) -> None:
        super().__init__()
        self.line = line
        self.col = col
        self.positions: list[int] = [] if positions is None else positions

    @property
    def item_pos(self) -> list[tuple[int, int]]:
        p = self.positions
        return [(p[i], p[i + 1]) for i in range(0, len(p), 2)]

    def __reduce__(self) -> Any:
        return (LocList, (self.line, self.col, self.positions), None, iter(self))


@dataclass
class ReadResult:
    """What reading one file gave: the top-level value (or None) and the problems found."""

    data: Any = None
    findings: list[Finding] = field(default_factory=list)
    text: str = ""


_MAP, _SEQ, _STR, _MERGE = _T + "map", _T + "seq", _T + "str", _T + "merge"
# Deeper than any record format nests, and far below the serialisers' own limits.
MAX_DEPTH = 200
_IMPLICIT = _Loader.yaml_implicit_resolvers
_RESOLVED: dict[str, str] = {}  # plain scalar -> tag, for the short values records repeat


class _TooDeep(Exception):
    pass


def _resolve(value: str, implicit: tuple[bool, bool]) -> str:
    """The tag PyYAML's resolver gives an untagged scalar (same table, same order)."""
    if not implicit[0]:
        return _STR
    tag = _RESOLVED.get(value)
    if tag is None:
        tag = _STR
        for candidate, regexp in _IMPLICIT.get(value[0] if value else "", []) + _IMPLICIT.get(
            None, []
        ):
            if regexp.match(value):
                tag = candidate
                break
        if len(value) <= 40 and len(_RESOLVED) < 100_000:
            _RESOLVED[value] = tag
    return tag


class _Builder:
    """Turns the parser's events into LocDict / LocList / scalars, reporting what it refuses.

    Builds straight from events (no node tree), which is what makes reading as fast as
    `yaml.load`; the rules are those of composing then building: a collection or scalar with a
    tag that would construct an object is refused whole, and so is the value of a bad key.
    """

    def __init__(self, loader: Any, path: str) -> None:
        self.get = loader.get_event
        self.path = path
        self.findings: list[Finding] = []

    def _find(self, code: str, event: Any, message: str, hint: str = "") -> None:
        mark = event.start_mark
        self.findings.append(
            Finding(code, self.path, mark.line + 1, mark.column + 1, message, hint)
        )

    def document(self) -> tuple[Any, Any]:
        """(value, first event) of the stream's single document; (None, None) if it is empty."""
        get = self.get
        get()  # stream start
        event = get()
        if type(event) is yaml.StreamEndEvent:
            return None, None
        document_start = event.start_mark
        first = get()
        value = self.node(first, 1)
        get()  # document end
        event = get()
        if type(event) is not yaml.StreamEndEvent:
            raise yaml.composer.ComposerError(
                "expected a single document in the stream",
                document_start,
                "but found another document",
                event.start_mark,
            )
        return value, first

    def node(self, event: Any, depth: int) -> Any:
        cls = type(event)
        if cls is yaml.ScalarEvent:
            return self.scalar(event)
        if cls is yaml.AliasEvent:
            raise yaml.composer.ComposerError(None, None, "found undefined alias", event.start_mark)
        if depth > MAX_DEPTH:
            raise _TooDeep
        tag = event.tag
        if tag is not None and tag != "!" and tag != _MAP and tag != _SEQ:
            self._unsafe(event, tag)
            self.skip_rest(depth)
            return None
        if cls is yaml.SequenceStartEvent:
            return self.sequence(event, depth)
        return self.mapping(event, depth)

    def skip(self, event: Any, depth: int) -> None:
        """Consume one node without building it."""
        if type(event) in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
            self.skip_rest(depth)

    def skip_rest(self, depth: int) -> None:
        get = self.get
        level = 1
        while level:
            cls = type(get())
            if cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
                level += 1
                if depth + level > MAX_DEPTH:
                    raise _TooDeep
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                level -= 1

    def _unsafe(self, event: Any, tag: str) -> None:
        self._find(
            "KG110",
            event,
            f"the YAML tag {tag!r} is refused: records hold plain text, numbers and lists",
            "remove the tag",
        )

    def scalar(self, event: Any) -> Any:
        tag, value = event.tag, event.value
        if tag is None or tag == "!":
            tag = _resolve(value, event.implicit)
        if tag == _STR:
            return value
        if tag not in _SCALAR_TAGS:
            self._unsafe(event, tag)
            return None
        if tag == _T + "timestamp":
            return value  # dates stay text: the checker validates them
        if tag == _T + "null":
            return None
        if tag == _T + "bool":
            return _BOOL.get(value.lower(), value)
        if tag == _T + "int":
            try:
                return int(value.replace("_", ""), 0)
            except ValueError:
                return value
        try:
            return float(value.replace("_", ""))
        except ValueError:
            return value

    def sequence(self, event: Any, depth: int) -> LocList:
        mark = event.start_mark
        seq = LocList(mark.line + 1, mark.column + 1)
        get = self.get
        positions = seq.positions
        while True:
            item = get()
            if type(item) is yaml.SequenceEndEvent:
                return seq
            seq.append(self.node(item, depth + 1))
            mark = item.start_mark
            positions += (mark.line + 1, mark.column + 1)

    def mapping(self, event: Any, depth: int) -> LocDict:
        mark = event.start_mark
        out = LocDict(mark.line + 1, mark.column + 1)
        get = self.get
        positions = out.positions
        while True:
            key_event = get()
            cls = type(key_event)
            if cls is yaml.MappingEndEvent:
                return out
            # Interned: the same few keys recur in every record, and are then stored once.
            key = intern(key_event.value) if cls is yaml.ScalarEvent else None
            tag = key_event.tag if cls is yaml.ScalarEvent else None
            if key is not None and (tag is None or tag == "!"):
                tag = _resolve(key, key_event.implicit)
            if key is None or tag not in _SCALAR_TAGS:
                self._find("KG202", key_event, "a mapping key must be plain text")
                self.skip(key_event, depth + 1)
                self.skip(get(), depth + 1)
                continue
            if tag == _MERGE or key == "<<":
                self._find("KG111", key_event, "YAML merge keys are not allowed in records")
                self.skip(get(), depth + 1)
                continue
            if key in out:
                first = out.key_pos[key][0]
                self._find(
                    "KG109",
                    key_event,
                    f"duplicate key {key!r} (first at line {first}); YAML would keep only the last",
                    "remove one of the two",
                )
                self.skip(get(), depth + 1)
                continue
            value_event = get()
            out[key] = self.node(value_event, depth + 1)
            key_mark, value_mark = key_event.start_mark, value_event.start_mark
            positions += (
                key_mark.line + 1,
                key_mark.column + 1,
                value_mark.line + 1,
                value_mark.column + 1,
            )


_LONE_CR = re.compile(r"\r(?!\n)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _decode(raw: bytes, path: str, findings: list[Finding]) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        findings.append(
            Finding(
                "KG102",
                path,
                1,
                1,
                "the file is UTF-16 (it starts with a UTF-16 byte-order mark), not UTF-8",
                "save it as UTF-8 without BOM",
            )
        )
        return None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        findings.append(
            Finding("KG106", path, line, 1, "the file holds NUL bytes: it is binary, not YAML")
        )
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        findings.append(
            Finding(
                "KG107",
                path,
                1,
                1,
                "the file starts with a UTF-8 byte-order mark",
                "save as UTF-8 without BOM",
            )
        )
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        findings.append(
            Finding(
                "KG102",
                path,
                line,
                col,
                f"the file is not UTF-8 (byte 0x{raw[err.start]:02x} at offset {err.start})",
                "re-save the file as UTF-8",
            )
        )
        return None
    lone = _LONE_CR.search(text)
    if lone is not None:
        before = text[: lone.start()]
        line = len(_LINE_BREAK.split(before))
        findings.append(
            Finding(
                "KG118",
                path,
                line,
                len(_LINE_BREAK.split(before)[-1]) + 1,
                "the file ends a line with a lone carriage return (CR): editors and kgraph "
                "would disagree on line numbers",
                "save it with LF (or CRLF) line ends",
            )
        )
        return None
    return text


def _tab_findings(text: str, path: str) -> list[Finding]:
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" \t")
        indent = line[: len(line) - len(stripped)]
        if "\t" in indent and stripped and not stripped.startswith("#"):
            out.append(
                Finding(
                    "KG108",
                    path,
                    lineno,
                    indent.index("\t") + 1,
                    "a tab is used for indentation; YAML allows only spaces",
                    "replace the tab with spaces",
                )
            )
    return out


def _alias_findings(text: str, path: str) -> list[Finding]:
    """Anchors and aliases, found by the scanner before anything is composed (no alias bombs)."""
    out = []
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if isinstance(token, yaml.AliasToken | yaml.AnchorToken):
                what = "alias" if isinstance(token, yaml.AliasToken) else "anchor"
                out.append(
                    Finding(
                        "KG111",
                        path,
                        token.start_mark.line + 1,
                        token.start_mark.column + 1,
                        f"YAML {what} {token.value!r} is not allowed in records",
                        "write the value out in full",
                    )
                )
    except yaml.YAMLError:
        return out  # the composer reports the syntax error with its position
    return out


def read_text(text: str, path: str) -> ReadResult:
    """Parse YAML text into located values, with findings instead of exceptions."""
    result = ReadResult(text=text)
    tabs = _tab_findings(text, path) if "\t" in text else []
    result.findings.extend(tabs)
    if "*" in text or "&" in text:
        aliases = _alias_findings(text, path)
        if aliases:
            result.findings.extend(aliases)
            return result
    loader = _Loader(text)
    builder = _Builder(loader, path)
    try:
        data, first = builder.document()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if not any(f.line == line for f in tabs):
            problem = err.problem or "cannot parse"
            context = f" {err.context}" if err.context else ""
            result.findings.append(
                Finding("KG101", path, line, col, f"YAML does not parse: {problem}{context}")
            )
        return result
    except yaml.YAMLError as err:
        result.findings.append(Finding("KG101", path, 1, 1, f"YAML does not parse: {err}"))
        return result
    except (_TooDeep, RecursionError):
        result.findings.append(Finding("KG101", path, 1, 1, "YAML nests too deeply to read"))
        return result
    finally:
        loader.dispose()
    if first is None:
        result.findings.append(
            Finding("KG103", path, 1, 1, "the file is empty: it holds no record")
        )
        return result
    result.findings.extend(builder.findings)
    if not isinstance(data, LocDict):
        mark = first.start_mark
        result.findings.append(
            Finding(
                "KG104",
                path,
                mark.line + 1,
                mark.column + 1,
                f"the file holds a {type(data).__name__ if data is not None else 'null'}, "
                "not a mapping of fields",
                "a record is a mapping: `id: ...` on the first line",
            )
        )
        return result
    result.data = data
    return result


def read_bytes(raw: bytes, path: str) -> ReadResult:
    findings: list[Finding] = []
    if len(raw) > MAX_RECORD_BYTES:
        findings.append(
            Finding(
                "KG105",
                path,
                1,
                1,
                f"the file is {len(raw):,} bytes; a record may be at most {MAX_RECORD_BYTES:,}",
            )
        )
        return ReadResult(findings=findings)
    text = _decode(raw, path, findings)
    if text is None:
        return ReadResult(findings=findings)
    result = read_text(text, path)
    result.findings[:0] = findings
    return result


def read_file(file: str, path: str) -> ReadResult:
    """Read one record file; `path` is how findings name it."""
    return read_file_raw(file, path)[0]


def read_file_raw(file: str, path: str) -> tuple[ReadResult, bytes | None, os.stat_result | None]:
    """`read_file`, also giving the bytes and the file's stat when the whole file was read."""
    try:
        # Non-blocking, so a FIFO among the records is opened without waiting for a writer,
        # then refused by its type, never read.
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with open(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                what = "a folder" if stat.S_ISDIR(st.st_mode) else "a FIFO, socket or device"
                special = Finding(
                    "KG116",
                    path,
                    1,
                    1,
                    f"this is {what}, not a record file: it is not read",
                    "remove it from the record folder",
                )
                return ReadResult(findings=[special]), None, None
            raw = fh.read(MAX_RECORD_BYTES + 1)
            if len(raw) > MAX_RECORD_BYTES:
                fh.seek(0, 2)
                size = fh.tell()
                too_large = Finding(
                    "KG105",
                    path,
                    1,
                    1,
                    f"the file is {size:,} bytes; a record may be at most {MAX_RECORD_BYTES:,}",
                    "split it, or check it is the file you meant",
                )
                return ReadResult(findings=[too_large]), None, None
    except OSError as err:
        unreadable = Finding("KG112", path, 1, 1, f"cannot read the file: {err.strerror}")
        return ReadResult(findings=[unreadable]), None, None
    return read_bytes(raw, path), raw, st
