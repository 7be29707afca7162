"""Finding the corpus: every command works from any folder inside a project, as git finds a
repository, and `kgraph check FILE...` reports on the named files only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CorpusBuilder, claim_yaml

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
