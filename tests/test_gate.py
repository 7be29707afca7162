"""The check gate: it refuses to pass nothing, finds duplicate claims, does not send the reader
of a broken file elsewhere, and says what it checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.cli import main

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
