"""Finding the corpus: every command works from any folder inside a project, as git finds a
repository, and `kgraph check FILE...` reports on the named files only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kgraph.cli import main
from kgraph.corpus.check import BadCheckPaths, CheckTarget, check_target
from kgraph.corpus.load import CorpusNotFound, RootConflict, one_root
from tests.conftest import REPO, CorpusBuilder, claim_yaml

KGRAPH = str(Path(sys.executable).parent / "kgraph")


def distinct(rid: str, predicate: str = "modulates") -> str:
    """A claim of its own (another statement and triple), so no duplicate finding fires."""
    text = claim_yaml(rid).replace("Ketamine acts on the glutamate system.", f"Claim {rid}.")
    return text.replace("predicate: acts_on", f"predicate: {predicate}")


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KGRAPH_CACHE_DIR": str(cwd / ".." / "cache")}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [KGRAPH, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    proj = tmp_path / "proj"
    CorpusBuilder(proj / "claims").minimal()
    (proj / "docs").mkdir()
    return proj


@pytest.mark.parametrize("where", [".", "claims", "claims/claims", "claims/snapshots", "docs"])
def test_every_command_finds_the_corpus_from_inside(project: Path, where: str) -> None:
    cwd = project / where
    assert run(["check"], cwd).stdout.endswith("0 error(s), 0 warning(s)\n")
    assert run(["stats"], cwd).returncode == 0
    assert run(["audit"], cwd).returncode == 0
    shown = run(["show", "ketamine-acts-on-glutamate"], cwd)
    assert shown.returncode == 0 and "ketamine-acts-on-glutamate" in shown.stdout
    assert run(["cite", "ketamine-acts-on-glutamate", "--format", "markdown"], cwd).returncode == 0


def test_outside_any_corpus_the_error_names_the_absolute_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = run(["check"], tmp_path / "empty")
    assert done.returncode == 2
    assert f"{tmp_path / 'empty'} holds no corpus, nor does any folder above it" in done.stderr


def test_check_files_reports_on_those_files_only(project: Path) -> None:
    b = CorpusBuilder(project / "claims")
    bad = b.claim(
        "ketamine-acts-on-glutamate", claim_yaml().replace("kind: mechanism", "kind: mechanizm")
    )
    other = b.claim(
        "second-claim",
        distinct("second-claim", "act_on"),
    )
    done = run(["check", str(bad)], project / "docs")
    assert done.returncode == 1
    assert "ketamine-acts-on-glutamate.yaml:" in done.stdout and "second-claim" not in done.stdout
    assert done.stdout.endswith("1 error(s), 0 warning(s)\n")
    both = run(["check", str(bad), str(other)], project)
    assert "second-claim.yaml:" in both.stdout and both.stdout.endswith(
        "2 error(s), 0 warning(s)\n"
    )
    clean = b.claim("third-claim", distinct("third-claim"))
    done = run(["check", str(clean)], project)
    assert done.returncode == 0, done.stdout
    # References are still judged against the whole corpus: the clean file is not dangling.
    assert "KG303" not in done.stdout
    missing = run(["check", "claims/claims/nope.yaml"], project)
    assert missing.returncode == 2 and "no such file" in missing.stderr


# One spelling for the corpus in every command: --root DIR, or nothing (walk up from the
# working folder); build, audit, export and stats also keep the older positional ROOT.
COMMANDS: dict[str, list[str]] = {
    "check": ["check"],
    "build": ["build", "--out", "{out}", "-q"],
    "audit": ["audit"],
    "export": ["export", "--format", "jsonl"],
    "stats": ["stats"],
    "show": ["show", "ketamine-acts-on-glutamate"],
    "path": ["path", "ketamine", "glutamate-system"],
    "find": ["find", "ketamine acts on the glutamate system"],
    "draft": ["draft", "{draft}"],
    "cite": ["cite", "ketamine-acts-on-glutamate"],
    "review": ["review", "ketamine-acts-on-glutamate", "--by", "Grace Hopper"],
    "diff": ["diff", "{project}"],
    "new": ["new", "entity", "a-new-entity"],
    "add": ["add", "{draft}"],
    "query": ["query", "{query}"],
    "annotations": ["annotations"],
    "nanopub": ["nanopub", "ketamine-acts-on-glutamate"],
}
POSITIONAL = ["build", "audit", "export", "stats"]


def invoke(
    name: str, project: Path, cwd: Path, monkeypatch: pytest.MonkeyPatch, *extra: str
) -> Result:
    draft_file = project.parent / "draft.md"
    draft_file.write_text("Ketamine acts on the glutamate system.\n", encoding="utf-8")
    fill = {"out": str(project.parent / "site"), "draft": str(draft_file), "project": str(project)}
    fill["query"] = str(REPO / "queries" / "echoes.rq")
    args = [a.format(**fill) for a in COMMANDS[name]]
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("KGRAPH_CACHE_DIR", str(project.parent / "cache"))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    # A positional ROOT goes straight after the command name, as the docs once wrote it.
    return CliRunner().invoke(main, [args[0], *extra, *args[1:]])


def ok(result: Result) -> None:
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_walks_up_from_a_record_folder(
    project: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(invoke(name, project, project / "claims" / "claims", monkeypatch))


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_takes_root_from_anywhere(
    project: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = project.parent / "elsewhere"
    elsewhere.mkdir()
    ok(invoke(name, project, elsewhere, monkeypatch, "--root", str(project)))
    # Outside any corpus and without --root, the command says so (exit 2) rather than guessing.
    assert invoke(name, project, elsewhere, monkeypatch).exit_code == 2


@pytest.mark.parametrize("name", POSITIONAL)
def test_the_old_positional_root_still_works(
    project: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = project.parent / "elsewhere"
    elsewhere.mkdir()
    ok(invoke(name, project, elsewhere, monkeypatch, str(project)))
    # Named twice, the same folder is fine; two different folders are a usage error.
    ok(invoke(name, project, elsewhere, monkeypatch, str(project), "--root", str(project)))
    twice = invoke(name, project, elsewhere, monkeypatch, str(project), "--root", str(elsewhere))
    assert twice.exit_code == 2
    assert "the corpus is named twice" in twice.output and len(twice.output.splitlines()) == 1


def test_check_sorts_paths_into_a_root_and_files(project: Path) -> None:
    claims = project / "claims"
    record = next((claims / "claims").glob("*.yaml"))
    assert check_target([]) == CheckTarget(Path("."))
    assert check_target([project]) == CheckTarget(project)
    assert check_target([record]) == CheckTarget(record.parent, (record,))
    assert check_target([record], claims) == CheckTarget(claims, (record,))
    assert check_target([project], project) == CheckTarget(project)
    with pytest.raises(BadCheckPaths):
        check_target([project, claims])
    with pytest.raises(BadCheckPaths):
        check_target([project, record])
    with pytest.raises(CorpusNotFound, match="no such file"):
        check_target([claims / "claims" / "nope.yaml"])
    with pytest.raises(RootConflict):
        check_target([project], project / "docs")


def test_one_root_is_the_folder_named_or_the_working_folder(project: Path) -> None:
    assert one_root() == Path(".")
    assert one_root(None, project) == project
    assert one_root(project, project / ".") == project
    with pytest.raises(RootConflict):
        one_root(project, project / "docs")
