"""The check gate: it refuses to pass nothing, finds duplicate claims, does not send the reader
of a broken file elsewhere, and says what it checked."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.cli import main
from tests.conftest import CorpusBuilder, claim_yaml

# Each command that reads a corpus, with the corpus folder put in for {root}.
COMMANDS = {
    "check": ["check", "{root}"],
    "audit": ["audit", "{root}"],
    "build": ["build", "{root}", "--out", "{out}", "-q"],
    "export": ["export", "{root}", "--format", "jsonl"],
}


def _run(args: list[str], root: Path, out: Path) -> tuple[int, str]:
    argv = [a.format(root=root, out=out) for a in args]
    result = CliRunner().invoke(main, argv)
    return result.exit_code, result.output


def _empty_record_folders(root: Path) -> Path:
    for folder in ("claims", "sources", "entities"):
        (root / folder).mkdir(parents=True)
    return root


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("layout", ["empty", "empty-record-folders", "only-a-readme"])
def test_a_folder_without_records_is_no_corpus(tmp_path: Path, command: str, layout: str) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    if layout != "empty":
        _empty_record_folders(root)
    if layout == "only-a-readme":
        (root / "claims" / "README.md").write_text("Claims go here.\n", encoding="utf-8")
    code, output = _run(COMMANDS[command], root, tmp_path / "site")
    assert code == 2, output
    assert f"{root} holds no corpus" in output
    assert "0 error(s)" not in output
    assert "Traceback" not in output
    assert not (tmp_path / "site").exists()


def test_a_relative_root_is_named_by_its_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _empty_record_folders(tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    code, output = _run(["check", "corpus"], Path("corpus"), tmp_path / "site")
    assert code == 2
    assert f"{Path.cwd() / 'corpus'} holds no corpus" in output


REPO = Path(__file__).resolve().parent.parent
CLAIM = "claims/ketamine-acts-on-glutamate.yaml"
COUNTED = ("claims", "sources", "entities")
REAL_CLAIM = "ketamine-acts-on-glutamate-system"


def _scratch_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "claims"
    shutil.copytree(REPO / "claims", root)
    return root


def _check(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--no-cache", *args, str(root)])
    return result.exit_code, result.output


def test_a_reference_into_a_file_that_does_not_parse_points_at_that_file(
    corpus: CorpusBuilder,
) -> None:
    corpus.entity("glutamate-systems")  # what a did-you-mean would have offered
    broken = corpus.write(
        "entities", "glutamate-system.yaml", "id: glutamate-system\nlabel: [unclosed\n"
    )
    code, output = _check(corpus.root)
    assert code == 1
    (yaml_error,) = [x for x in output.splitlines() if "KG101" in x]
    assert yaml_error.startswith(f"{broken}:")
    line = yaml_error.split(":")[1]
    assert (
        f"{corpus.root / CLAIM}:6:9: KG303 error: object 'glutamate-system' is defined in a file "
        f"that could not be read: {broken}:{line}"
    ) in output
    assert "did you mean" not in output
    assert "glutamate-systems'" not in output.replace(
        "no claim uses entity 'glutamate-systems'", ""
    )


def test_a_missing_record_beside_a_broken_file_is_still_dangling(corpus: CorpusBuilder) -> None:
    corpus.write("entities", "other.yaml", "id: other\nlabel: [unclosed\n")
    path = corpus.root / CLAIM
    path.write_text(path.read_text().replace("object: glutamate-system", "object: nowhere"))
    code, output = _check(corpus.root)
    assert code == 1
    assert "object 'nowhere' does not exist" in output
    assert "could not be read" not in output


def _line_of(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(start))


def test_a_copied_real_claim_is_caught_with_both_files_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _scratch_corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    original = root / "claims" / f"{REAL_CLAIM}.yaml"
    copy = root / "claims" / "zz-copied-claim.yaml"
    copy.write_text(
        original.read_text(encoding="utf-8").replace(REAL_CLAIM, "zz-copied-claim"),
        encoding="utf-8",
    )
    assert _check(root)[0] == 0  # warnings only
    code, output = _check(root, "--strict")
    assert code == 1
    first = f"claims/claims/{REAL_CLAIM}.yaml"
    statement = _line_of(original, "statement:")
    assert (
        f"claims/claims/zz-copied-claim.yaml:{statement}:12: KG310 warning: the statement of "
        f"claim 'zz-copied-claim' is that of claim '{REAL_CLAIM}' ({first}:{statement})"
    ) in output
    quote = _line_of(original, "    quote:")
    assert (
        f"claims/claims/zz-copied-claim.yaml:{quote}:12: KG311 warning: this quote of source "
        "'article-000-how-does-ketamine-work' already asserts the same subject, predicate and "
        f"object in claim '{REAL_CLAIM}' ({first}:{quote})"
    ) in output
    obj = _line_of(original, "object:")
    assert (
        f"claims/claims/zz-copied-claim.yaml:{obj}:9: KG309 warning: claim 'zz-copied-claim' has "
        "the subject, predicate, object and no qualifiers of claim "
        f"'{REAL_CLAIM}' ({first}:{obj}): one fact, two records"
    ) in output


def test_one_fact_in_other_words_and_other_quotes_is_found(corpus: CorpusBuilder) -> None:
    """The same subject, predicate, object and qualifiers is one fact, whatever the statement
    says and whichever quote asserts it; other qualifiers make it another fact."""
    same = claim_yaml("zz-reworded", quote="It may promote dendritic growth").replace(
        "statement: Ketamine acts on the glutamate system.",
        "statement: Glutamate is where ketamine works.",
    )
    corpus.claim("zz-reworded", same)
    code, output = _check(corpus.root, "--strict")
    assert code == 1
    later, first = corpus.root / "claims/zz-reworded.yaml", corpus.root / CLAIM
    (line,) = [x for x in output.splitlines() if "KG309" in x]
    assert line.startswith(f"{later}:6:9: KG309 warning: claim 'zz-reworded' has the subject")
    assert f"of claim 'ketamine-acts-on-glutamate' ({first}:6)" in line
    assert "KG310" not in output and "KG311" not in output
    corpus.claim("zz-reworded", same + "qualifiers:\n  population: adults with PTSD\n")
    assert "KG309" not in _check(corpus.root, "--strict")[1]


def test_the_same_statement_is_found_through_case_spaces_and_punctuation(
    corpus: CorpusBuilder,
) -> None:
    corpus.entity("depression")
    text = claim_yaml("zz-duplicate", quote="It may promote dendritic growth")
    text = text.replace(
        "statement: Ketamine acts on the glutamate system.",
        'statement: "KETAMINE  acts on the glutamate-system!"',
    ).replace("object: glutamate-system", "object: depression")
    corpus.claim("zz-duplicate", text)
    code, output = _check(corpus.root, "--strict")
    assert code == 1
    later, first = corpus.root / "claims/zz-duplicate.yaml", corpus.root / CLAIM
    assert (
        f"{later}:2:12: KG310 warning: the statement of claim 'zz-duplicate' is that of claim "
        f"'ketamine-acts-on-glutamate' ({first}:2)"
    ) in output
    assert "KG311" not in output  # another quote and another object


def test_one_quote_carrying_one_triple_twice_is_found(corpus: CorpusBuilder) -> None:
    text = claim_yaml("zz-duplicate").replace(
        "statement: Ketamine acts on the glutamate system.",
        "statement: Ketamine acts on glutamate in adults.",
    )
    corpus.claim("zz-duplicate", text + "qualifiers:\n  population: adults\n")
    code, output = _check(corpus.root, "--strict")
    assert code == 1
    (line,) = [x for x in output.splitlines() if "KG311" in x]
    later, first = corpus.root / "claims/zz-duplicate.yaml", corpus.root / CLAIM
    assert line == (
        f"{later}:9:12: KG311 warning: this quote of source 'article-a' already asserts the "
        f"same subject, predicate and object in claim 'ketamine-acts-on-glutamate' ({first}:9)"
    )
    assert "KG310" not in output


def test_claims_that_differ_are_not_duplicates(corpus: CorpusBuilder) -> None:
    corpus.entity("depression")
    text = claim_yaml("ketamine-treats-depression", quote="It may promote dendritic growth")
    text = text.replace("statement: Ketamine acts on the glutamate system.", "statement: Other.")
    corpus.claim("ketamine-treats-depression", text.replace("glutamate-system", "depression"))
    assert _check(corpus.root, "--strict")[0] == 0


def test_a_check_says_what_it_checked_before_the_totals(corpus: CorpusBuilder) -> None:
    code, output = _check(corpus.root)
    assert code == 0
    *_, checked, totals = output.splitlines()
    assert re.fullmatch(
        r"checked 1 claim, 2 sources, 2 entities, 2 snapshots \(7 files\) in \d+\.\d\ds", checked
    ), checked
    assert totals == "0 error(s), 0 warning(s)"


def test_the_committed_corpus_check_counts_every_record_file() -> None:
    code, output = _check(REPO / "claims", "--strict")
    assert code == 0
    folders = {f: len(list((REPO / "claims" / f).glob("*.yaml"))) for f in COUNTED}
    snapshots = len(list((REPO / "claims" / "snapshots").rglob("*.txt")))
    maps = len(list((REPO / "claims" / "coverage").glob("*.yaml")))
    expected = (
        f"checked {folders['claims']} claims, {folders['sources']} sources, "
        f"{folders['entities']} entities, {snapshots} snapshots, {maps} coverage maps "
        f"({sum(folders.values()) + snapshots + maps} files) in "
    )
    assert output.splitlines()[-2].startswith(expected), output


def test_json_and_github_output_stay_machine_clean(corpus: CorpusBuilder) -> None:
    code, output = _check(corpus.root, "--format", "json")
    data = json.loads(output)
    assert [f for f in data["findings"] if f["severity"] != "note"] == []
    assert data["errors"] == 0 and data["notes"] == len(data["findings"])
    checked = data["checked"]
    assert {k: checked[k] for k in (*COUNTED, "snapshots", "files")} == {
        "claims": 1,
        "sources": 2,
        "entities": 2,
        "snapshots": 2,
        "files": 7,
    }
    assert checked["seconds"] >= 0
    corpus.entity("amygdala")
    code, output = _check(corpus.root, "--format", "github")
    assert code == 0
    assert output.splitlines() == [line for line in output.splitlines() if line.startswith("::")]
    assert "KG509" in output and "checked" not in output
