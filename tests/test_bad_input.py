"""Bad input never gives a traceback, a hang or a changed file: it gives findings."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kgraph
from kgraph.cli import main
from kgraph.corpus.reader import read_bytes
from tests.conftest import CorpusBuilder, claim_yaml

CLAIM = "claims/ketamine-acts-on-glutamate.yaml"

BILLION_LAUGHS = b"""\
id: lol
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def _codes(root: Path, rel: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for f in kgraph.check(root).findings:
        if Path(f.path).resolve() == (root / rel).resolve():
            out.setdefault(f.code, []).append(f.line)
    return out


def test_python_tag_is_refused_not_run(corpus: CorpusBuilder, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = claim_yaml().replace(
        "kind: mechanism", f"kind: !!python/object/apply:os.system ['touch {marker}']"
    )
    corpus.claim(text=text)
    result = CliRunner().invoke(main, ["check", str(corpus.root)])
    assert result.exit_code == 1
    assert "KG110" in result.output and ":3:7:" in result.output
    assert not marker.exists()
    assert "Traceback" not in result.output


def test_alias_bomb_refused_in_bounded_time_and_memory(corpus: CorpusBuilder) -> None:
    (corpus.root / CLAIM).write_bytes(BILLION_LAUGHS)
    tracemalloc.start()
    started = time.perf_counter()
    codes = _codes(corpus.root, CLAIM)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "KG111" in codes and codes["KG111"][0] == 2
    # Generous bounds: expanding the bomb would take gigabytes and minutes.
    assert elapsed < 20 and peak < 200_000_000


def test_fifty_megabyte_file_is_refused(corpus: CorpusBuilder) -> None:
    with open(corpus.root / CLAIM, "wb") as fh:
        fh.write(b"id: big\nnotes: '")
        fh.write(b"x" * 50_000_000)
        fh.write(b"'\n")
    result = CliRunner().invoke(main, ["check", str(corpus.root)])
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if "KG105" in x)
    assert "50,000,0" in line and CLAIM in line


@pytest.mark.parametrize(
    "snapshot_path",
    ["../../etc/passwd", "/etc/passwd", "snapshots/../../outside.txt", "link.txt"],
)
def test_snapshot_path_escaping_the_corpus_is_refused(
    corpus: CorpusBuilder, snapshot_path: str
) -> None:
    (corpus.root.parent / "outside.txt").write_text("secret", encoding="utf-8")
    (corpus.root / "link.txt").symlink_to(corpus.root.parent / "outside.txt")
    src = corpus.root / "sources/article-a.yaml"
    src.write_text(
        src.read_text(encoding="utf-8").replace("snapshots/article.txt", snapshot_path),
        encoding="utf-8",
    )
    assert _codes(corpus.root, "sources/article-a.yaml").get("KG404") == [10]


@pytest.mark.parametrize(
    ("raw", "code", "line"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "KG106", 3),
        (b"\xff\xfe\x00i\x00d", "KG102", 1),
        (b"id: x\nstatement: \xc3\x28\n", "KG102", 2),
        (b"", "KG103", 1),
        (b"   \n\n", "KG103", 1),
        (b"just a string\n", "KG104", 1),
        (b"id: a\n\tkind: mechanism\n", "KG108", 2),
        (b"id: a\nkind: x\nkind: y\n", "KG109", 3),
        (b"id: a\nstatement: {unclosed\n", "KG101", 3),
    ],
)
def test_bad_bytes_each_give_their_code_and_line(
    corpus: CorpusBuilder, raw: bytes, code: str, line: int
) -> None:
    (corpus.root / CLAIM).write_bytes(raw)
    codes = _codes(corpus.root, CLAIM)
    assert line in codes.get(code, []), codes


def test_bom_is_a_warning_and_the_record_still_loads(corpus: CorpusBuilder) -> None:
    (corpus.root / CLAIM).write_bytes(b"\xef\xbb\xbf" + claim_yaml().encode("utf-8"))
    report = kgraph.check(corpus.root)
    assert [f.code for f in report.findings if f.severity.value != "note"] == ["KG107"]
    assert report.ok() and not report.ok(strict=True)


def test_deep_nesting_is_a_finding(corpus: CorpusBuilder) -> None:
    (corpus.root / CLAIM).write_bytes(b"id: " + b"[" * 5000 + b"]" * 5000 + b"\n")
    codes = _codes(corpus.root, CLAIM)
    assert codes, "deep nesting produced no finding"


VALID = claim_yaml().encode("utf-8")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(raw: bytes) -> None:
    result = read_bytes(raw, "x.yaml")
    assert result.data is not None or result.findings


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(VALID)),
            st.integers(min_value=0, max_value=12),
            st.binary(max_size=6)
            | st.sampled_from([b":", b"-", b"\n", b"  ", b"&a", b"*a", b"!!", b"[", b"{", b'"']),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_mutated_records_end_in_findings_never_exceptions(
    tmp_path_factory: pytest.TempPathFactory,
    edits: list[tuple[int, int, bytes]],
) -> None:
    raw = bytearray(VALID)
    for pos, cut, insert in edits:
        pos = min(pos, len(raw))
        raw[pos : pos + cut] = insert
    root = tmp_path_factory.mktemp("fuzz")
    CorpusBuilder(root).minimal()
    (root / CLAIM).write_bytes(bytes(raw))
    report = kgraph.check(root)  # must not raise
    if bytes(raw) != VALID:
        assert isinstance(report.findings, list)
