"""Safe YAML reading: file bytes -> plain values that remember the line and column they came from.

First stage of the flow. Uses PyYAML's composer (C when available) and builds values itself, so no
tag can construct an object, aliases are refused, duplicate keys are caught, and every mapping
knows where each of its keys and values stands in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from kgraph.findings import Finding

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
    """A mapping that knows the (line, col) of each key and of each value (1-based)."""

    __slots__ = ("col", "key_pos", "line", "value_pos")

    def __init__(self, line: int, col: int) -> None:
        super().__init__()
        self.line = line
        self.col = col
        self.key_pos: dict[str, tuple[int, int]] = {}
        self.value_pos: dict[str, tuple[int, int]] = {}


class LocList(list[Any]):
    """A sequence that knows the (line, col) of each item (1-based)."""

    __slots__ = ("col", "item_pos", "line")

    def __init__(self, line: int, col: int) -> None:
        super().__init__()
        self.line = line
        self.col = col
        self.item_pos: list[tuple[int, int]] = []


@dataclass
class ReadResult:
    """What reading one file gave: the top-level value (or None) and the problems found."""

    data: Any = None
    findings: list[Finding] = field(default_factory=list)
    text: str = ""


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    """Turns composed YAML nodes into LocDict / LocList / scalars, reporting what it refuses."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[Finding] = []
        self._seen: set[int] = set()

    def _find(self, code: str, node: yaml.Node, message: str, hint: str = "") -> None:
        line, col = _pos(node)
        self.findings.append(Finding(code, self.path, line, col, message, hint))

    def build(self, node: yaml.Node) -> Any:
        # An alias is the same node object reached twice; refusing it also defuses alias bombs.
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            if id(node) in self._seen:
                self._find("KG111", node, "YAML aliases are not allowed in records")
                return None
            self._seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if node.tag not in (_T + "map", _T + "seq"):
            self._unsafe(node)
            return None
        if isinstance(node, yaml.SequenceNode):
            line, col = _pos(node)
            seq = LocList(line, col)
            for item in node.value:
                seq.append(self.build(item))
                seq.item_pos.append(_pos(item))
            return seq
        assert isinstance(node, yaml.MappingNode)
        return self._mapping(node)

    def _unsafe(self, node: yaml.Node) -> None:
        self._find(
            "KG110",
            node,
            f"the YAML tag {node.tag!r} is refused: records hold plain text, numbers and lists",
            "remove the tag",
        )

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag, value = node.tag, node.value
        if tag not in _SCALAR_TAGS:
            self._unsafe(node)
            return None
        if tag == _T + "str" or tag == _T + "timestamp":
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

    def _mapping(self, node: yaml.MappingNode) -> LocDict:
        line, col = _pos(node)
        out = LocDict(line, col)
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                self._find("KG202", key_node, "a mapping key must be plain text")
                continue
            if key_node.tag == _T + "merge" or key_node.value == "<<":
                self._find("KG111", key_node, "YAML merge keys are not allowed in records")
                continue
            key = key_node.value
            if key in out:
                first = out.key_pos[key][0]
                self._find(
                    "KG109",
                    key_node,
                    f"duplicate key {key!r} (first at line {first}); YAML would keep only the last",
                    "remove one of the two",
                )
                continue
            out[key] = self.build(value_node)
            out.key_pos[key] = _pos(key_node)
            out.value_pos[key] = _pos(value_node)
        return out


def _decode(raw: bytes, path: str, findings: list[Finding]) -> str | None:
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
        return raw.decode("utf-8")
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
    try:
        node = yaml.compose(text, Loader=_Loader)
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
    except RecursionError:
        result.findings.append(Finding("KG101", path, 1, 1, "YAML nests too deeply to read"))
        return result
    if node is None:
        result.findings.append(
            Finding("KG103", path, 1, 1, "the file is empty: it holds no record")
        )
        return result
    builder = _Builder(path)
    try:
        data = builder.build(node)
    except RecursionError:
        result.findings.append(Finding("KG101", path, 1, 1, "YAML nests too deeply to read"))
        return result
    result.findings.extend(builder.findings)
    if not isinstance(data, LocDict):
        line, col = _pos(node)
        result.findings.append(
            Finding(
                "KG104",
                path,
                line,
                col,
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
    try:
        with open(file, "rb") as fh:
            raw = fh.read(MAX_RECORD_BYTES + 1)
            if len(raw) > MAX_RECORD_BYTES:
                fh.seek(0, 2)
                size = fh.tell()
                return ReadResult(
                    findings=[
                        Finding(
                            "KG105",
                            path,
                            1,
                            1,
                            f"the file is {size:,} bytes; a record may be at most "
                            f"{MAX_RECORD_BYTES:,}",
                            "split it, or check it is the file you meant",
                        )
                    ]
                )
    except OSError as err:
        return ReadResult(
            findings=[Finding("KG112", path, 1, 1, f"cannot read the file: {err.strerror}")]
        )
    return read_bytes(raw, path)
