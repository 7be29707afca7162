"""Bad input beyond the usual: each case gives a finding with file and line (or a one-line
refusal), a non-zero exit, no traceback, no hang, and changes nothing in the corpus.

Each case runs the real `kgraph check --strict` in a subprocess with a timeout, so a hang fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ARTICLE_TEXT, CorpusBuilder, claim_yaml, tree

KGRAPH = str(Path(sys.executable).parent / "kgraph")
NAME = "ketamine-acts-on-glutamate"
BASE = claim_yaml(NAME)


def raw(data: bytes) -> Callable[[CorpusBuilder], str]:
    def mutate(b: CorpusBuilder) -> str:
        (b.root / "claims" / f"{NAME}.yaml").write_bytes(data)
        return f"claims/{NAME}.yaml"

    return mutate


def record(rid: str, text: str | None = None) -> Callable[[CorpusBuilder], str]:
    def mutate(b: CorpusBuilder) -> str:
        (b.root / "claims" / f"{rid}.yaml").write_text(text or claim_yaml(rid), encoding="utf-8")
        return f"claims/{rid}.yaml"

    return mutate


def link_outside(b: CorpusBuilder) -> str:
    outside = b.root.parent / "outside.yaml"
    outside.write_text(claim_yaml("outside"), encoding="utf-8")
    (b.root / "claims" / "outside.yaml").symlink_to(outside)
    return "claims/outside.yaml"


def folder_named_yaml(b: CorpusBuilder) -> str:
    (b.root / "claims" / "x.yaml").mkdir()
    return "claims/x.yaml"


def fifo(b: CorpusBuilder) -> str:
    os.mkfifo(b.root / "claims" / "pipe.yaml")
    return "claims/pipe.yaml"


def many_records(b: CorpusBuilder) -> str:
    for i in range(20_000):
        (b.root / "entities" / f"e{i}.yaml").write_text(
            f"id: e{i}\nlabel: e{i}\ntype: drug\nsynonyms: []\n", encoding="utf-8"
        )
    (b.root / "entities" / "e7.yaml").write_text("id: e7\nlabel: [\n", encoding="utf-8")
    return "entities/e7.yaml"


def case_twin(b: CorpusBuilder) -> str:
    (b.root / "claims" / f"{NAME.capitalize()}.yaml").write_text(BASE, encoding="utf-8")
    return f"claims/{NAME.capitalize()}.yaml"


CASES: list[tuple[str, Callable[[CorpusBuilder], str], str]] = [
    ("merge key", raw(("base: &b {x: 1}\n<<: *b\n" + BASE).encode()), "KG111"),
    (
        "flow nested 10,000 deep",
        raw(("id: " + "[" * 10_000 + "]" * 10_000 + "\n").encode()),
        "KG101",
    ),
    (
        "a 1 MB line",
        raw(BASE.replace("statement:", "x: " + "a" * 1_000_000 + "\nstatement:").encode()),
        "KG105",
    ),
    ("NUL bytes", raw(BASE.encode().replace(b"statement:", b"statement:\x00")), "KG106"),
    ("lone CR", raw(BASE.replace("\n", "\r").encode()), "KG118"),
    ("UTF-16 with a BOM", raw(BASE.encode("utf-16")), "KG102"),
    ("two documents", raw((BASE + "---\n" + BASE).encode()), "KG101"),
    ("empty file", raw(b""), "KG103"),
    ("only a scalar", raw(b"hello\n"), "KG104"),
    ("only a list", raw(b"- a\n- b\n"), "KG104"),
    ("keys that are not strings", raw((BASE + "1: x\n").encode()), "KG204"),
    ("id: no", raw(BASE.replace(f"id: {NAME}", "id: no").encode()), "KG202"),
    (
        "id with a trailing newline",
        raw(BASE.replace(f"id: {NAME}", f'id: "{NAME}\\n"').encode()),
        "KG207",
    ),
    ("a symlink leading outside", link_outside, "KG117"),
    ("a folder named x.yaml", folder_named_yaml, "KG112"),
    ("a FIFO", fifo, "KG116"),
    ("a name with a space", record("a b"), "KG207"),
    ("a name with a newline", record("a\nb", BASE.replace(f"id: {NAME}", "id: ab")), "KG206"),
    ("a non-ASCII name", record("kétamine"), "KG207"),
    ("two names that differ only in case", case_twin, "KG206"),
    ("id con", record("con"), "KG211"),
    ("id nul", record("nul"), "KG211"),
    ("a leading dot", record(".hidden"), "KG113"),
    # 300 characters cannot even be a file name here (255 bytes): the id's length is the finding.
    ("a 300-character id", record("a" * 200, claim_yaml("a" * 300)), "KG212"),
    ("a 200-character id", record("a" * 200), "KG212"),
    ("id %2e%2e", record("%2e%2e", BASE.replace(f"id: {NAME}", "id: '%2e%2e'")), "KG207"),
    ("a Cyrillic look-alike", record("kеtamine"), "KG207"),
    ("NFD id", record("ke\u0301tamine"), "KG207"),
]


@pytest.mark.parametrize(("label", "mutate", "code"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_a_located_finding(
    tmp_path: Path, label: str, mutate: Callable[[CorpusBuilder], str], code: str
) -> None:
    b = CorpusBuilder(tmp_path / "c").minimal()
    rel = mutate(b)
    before = tree(tmp_path)
    env = {**os.environ, "KGRAPH_CACHE_DIR": str(tmp_path.parent / f"{tmp_path.name}-cache")}
    env.pop("GITHUB_ACTIONS", None)
    done = subprocess.run(
        [KGRAPH, "check", "--strict", "--format", "json", str(b.root)],
        capture_output=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 1, (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    assert b"Traceback" not in done.stderr + done.stdout
    import json

    findings = (
        json.loads(done.stdout)["findings"]
        if done.stdout.strip().startswith(b"{")
        else json.loads(done.stdout)
    )
    wanted = (b.root / rel).absolute()
    located = [
        f
        for f in findings
        if f["code"] == code
        and Path(f["path"]).absolute() in (wanted, wanted.resolve())
        and f["line"] is not None
    ]
    assert located, (label, [(f["code"], f["path"]) for f in findings])
    assert tree(tmp_path) == before


def test_a_crlf_record_reads_with_the_right_lines(tmp_path: Path) -> None:
    b = CorpusBuilder(tmp_path / "c").minimal()
    text = BASE.replace("kind: mechanism", "kind: mechanizm").replace("\n", "\r\n")
    (b.root / "claims" / f"{NAME}.yaml").write_bytes(text.encode())
    line = (
        BASE.splitlines().index("kind: mechanism") + 1
        if "kind: mechanism" in BASE.splitlines()
        else None
    )
    done = subprocess.run(
        [KGRAPH, "check", str(b.root)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{NAME}.yaml:{line}:" in done.stdout, done.stdout


def test_numbers_too_large_for_the_exports_are_refused(tmp_path: Path) -> None:
    b = CorpusBuilder(tmp_path / "c").minimal()
    # A study's size is on its source record.
    claim = b.root / "sources" / "smith-2020-trial.yaml"
    text = claim.read_text(encoding="utf-8")
    assert "n: 20\n" in text
    line = text.splitlines().index(next(x for x in text.splitlines() if x.strip() == "n: 20")) + 1
    claim.write_text(text.replace("n: 20\n", f"n: {2**63}\n"), encoding="utf-8")
    done = subprocess.run(
        [KGRAPH, "check", str(b.root)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert (
        f"smith-2020-trial.yaml:{line}:" in done.stdout
        and "larger than any export can hold" in done.stdout
    )
    claim.write_text(text.replace("n: 20\n", f"n: {2**63 - 1}\n"), encoding="utf-8")
    done = subprocess.run(
        [KGRAPH, "check", str(b.root)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout


def test_a_200000_character_quote_not_in_a_1_mb_snapshot_gets_a_hint(tmp_path: Path) -> None:
    b = CorpusBuilder(tmp_path / "c")
    filler = "".join(f"Paragraph {i} says the clinic opens at nine.\n" for i in range(22_000))
    b.snapshot("article.txt", ARTICLE_TEXT + filler)
    b.minimal()
    quote = "Ketamine works on the brains glutamate systems, " + "and more words follow " * 9_100
    assert len(quote) > 200_000
    claim = b.claim(NAME, claim_yaml(NAME, quote=quote))
    env = {**os.environ, "KGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("GITHUB_ACTIONS", None)
    # The timeout is the assertion that it finishes; how fast is for the benchmarks.
    done = subprocess.run(
        [KGRAPH, "check", "--format", "json", str(b.root)],
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    import json

    [finding] = [f for f in json.loads(done.stdout)["findings"] if f["code"] == "KG401"]
    line = claim_yaml(NAME).splitlines().index(f'    quote: "{ARTICLE_TEXT.splitlines()[0]}"') + 1
    assert Path(finding["path"]).resolve() == claim.resolve() and finding["line"] == line
    assert "Ketamine works on the brain" in finding["hint"]
    assert len(finding["hint"]) < 400


def entity_with_xref(value: str) -> Callable[[CorpusBuilder], tuple[str, int]]:
    def mutate(b: CorpusBuilder) -> tuple[str, int]:
        b.write(
            "entities",
            "ketamine.yaml",
            f"id: ketamine\nlabel: ketamine\ntype: drug\nsynonyms: []\nxrefs:\n"
            f"  mesh: D007649\n  pubchem: {value}\n",
        )
        return "entities/ketamine.yaml", 7

    return mutate


def reference_n(value: str) -> Callable[[CorpusBuilder], tuple[str, int]]:
    """A study's size, which is on its source record."""

    def mutate(b: CorpusBuilder) -> tuple[str, int]:
        path = b.root / "sources" / "smith-2020-trial.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("  n: 20\n", f"  n: {value}\n"), encoding="utf-8")
        return "sources/smith-2020-trial.yaml", text.splitlines().index("  n: 20") + 1

    return mutate


def study_volume(value: str) -> Callable[[CorpusBuilder], tuple[str, int]]:
    def mutate(b: CorpusBuilder) -> tuple[str, int]:
        b.study(volume=value)
        return "sources/smith-2020-trial.yaml", 6

    return mutate


# Every field a YAML integer can reach: a count (a reference's n), a free-text field written as
# a number (volume, issue, pages) and the values of an entity's xrefs.
OUT_OF_RANGE = [
    ("n of 2**63", reference_n(str(2**63)), "larger than any export can hold"),
    ("n of 5,000 digits", reference_n("1" + "0" * 5_000), "a number of 5001 characters"),
    ("n below zero", reference_n("-3"), "is -3, below zero"),
    ("an xref of 2**63", entity_with_xref(str(2**63)), "larger than any export can hold"),
    ("an xref below -2**63", entity_with_xref(str(-(2**63) - 1)), "smaller than any export"),
    ("a hex xref of 160 bits", entity_with_xref("0x" + "f" * 40), "larger than any export"),
    ("a volume of 2**64", study_volume(str(2**64)), "larger than any export can hold"),
]


@pytest.mark.parametrize(
    ("label", "mutate", "words"), OUT_OF_RANGE, ids=[c[0] for c in OUT_OF_RANGE]
)
def test_integers_outside_64_bits_are_a_finding_in_every_field(
    tmp_path: Path, label: str, mutate: Callable[[CorpusBuilder], tuple[str, int]], words: str
) -> None:
    import kgraph

    b = CorpusBuilder(tmp_path / "c").minimal()
    rel, line = mutate(b)
    found = [
        (f.code, Path(f.path).resolve(), f.line)
        for f in kgraph.check(b.root).findings
        if words in f.message
    ]
    assert found == [("KG202", (b.root / rel).resolve(), line)], label


def test_integers_at_the_64_bit_limits_check_clean_and_export(tmp_path: Path) -> None:
    b = CorpusBuilder(tmp_path / "c").minimal()
    entity_with_xref(str(-(2**63)))(b)
    study_volume(str(2**63 - 1))(b)  # rewrites the study's source: before its n is set
    reference_n(str(2**63 - 1))(b)
    env = {**os.environ, "KGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("GITHUB_ACTIONS", None)
    done = subprocess.run(
        [KGRAPH, "build", "--root", str(b.root), "--out", str(tmp_path / "site"), "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    import xml.etree.ElementTree as ET

    graphml = ET.parse(tmp_path / "site" / "exports" / "graph.graphml")
    values = {d.text for d in graphml.iter() if d.tag.endswith("data")}
    assert str(2**63 - 1) in values


def test_the_json_schemas_bound_integers_as_the_checker_does() -> None:
    import jsonschema

    from kgraph.corpus.schema import json_schema

    def errors(record_type: str, record: dict[str, object]) -> list[str]:
        validator = jsonschema.Draft202012Validator(json_schema(record_type))
        return [e.message for e in validator.iter_errors(record)]

    entity = {"id": "ketamine", "label": "ketamine", "type": "drug", "synonyms": []}
    assert (
        errors("entity", {**entity, "xrefs": {"a": 2**63 - 1, "b": -(2**63), "c": "9" * 30}}) == []
    )
    assert errors("entity", {**entity, "xrefs": {"a": 2**63}}) != []
    assert errors("entity", {**entity, "xrefs": {"a": -(2**63) - 1}}) != []
    study = {
        "id": "smith-2020",
        "title": "A trial",
        "kind": "rct",
        "authors": ["Smith J"],
        "published": "2020",
    }
    assert errors("source", {**study, "volume": 2**63 - 1}) == []
    assert errors("source", {**study, "volume": 2**64}) != []


def test_twenty_thousand_records_with_one_broken(tmp_path: Path) -> None:
    b = CorpusBuilder(tmp_path / "c").minimal()
    rel = many_records(b)
    done = subprocess.run(
        [KGRAPH, "check", str(b.root)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    errors = [line for line in done.stdout.splitlines() if " error: " in line]
    assert len(errors) == 1 and errors[0].startswith(f"{b.root / rel}:"), errors


def test_github_annotations_escape_file_names_as_well_as_messages() -> None:
    from kgraph.corpus.findings import Finding

    finding = Finding("KG101", "claims/a%b,c:d\ne\r.yaml", 3, 4, "bad: 100%\nnext\rline")
    line = finding.to_github()
    assert "\n" not in line and "\r" not in line
    assert line.startswith("::error file=claims/a%25b%2Cc%3Ad%0Ae%0D.yaml,line=3,col=4,")
    assert line.endswith("::bad: 100%25%0Anext%0Dline")


# -- arbitrary bytes and small file trees ------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FOLDER = st.sampled_from(["claims", "sources", "entities", "snapshots", "."])
FILE_NAME = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=12
    )
    .filter(lambda n: n not in (".", ".."))
    .map(lambda n: n if len(n) % 2 else n + ".yaml")
)
CONTENT = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8")),
    st.sampled_from(
        [BASE.encode(), b"id: x\n", b"- a\n", b"{{{", b"id: !!python/object:os.system x"]
    ),
)
TREE = st.lists(st.tuples(FOLDER, FILE_NAME, CONTENT), max_size=6)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=TREE)
def test_check_and_build_survive_any_small_tree(
    tmp_path_factory: pytest.TempPathFactory, files: list[tuple[str, str, bytes]]
) -> None:
    from click.testing import CliRunner

    from kgraph.cli import main

    base = tmp_path_factory.mktemp("tree")
    root = base / "c"
    CorpusBuilder(root).minimal()
    for folder, name, content in files:
        path = root / folder / name
        try:
            path.write_bytes(content)
        except OSError:
            continue  # a name this file system refuses
    before = tree(base)
    runner = CliRunner()
    for args in (["check", str(root)], ["build", str(root), "--out", str(base / "out"), "-q"]):
        result = runner.invoke(main, args, env={"KGRAPH_CACHE_DIR": str(base / "cache")})
        assert result.exit_code in (0, 1, 2), (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            args,
            repr(result.exception),
        )
        assert "Traceback" not in result.output
    after = {k: v for k, v in tree(base).items() if not k.startswith(("out", "cache", ".out."))}
    assert after == {k: v for k, v in before.items() if not k.startswith("cache")}
