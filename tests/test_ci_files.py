"""The files that let other repositories use kgraph in CI are valid and point at real commands."""

from __future__ import annotations

import yaml
from click.testing import CliRunner

from kgraph.cli import main
from tests.conftest import REPO, CorpusBuilder


def test_pre_commit_hook_runs_the_check_command(tmp_path: object) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "kgraph-check" and hook["language"] == "python"
    program, *args = hook["entry"].split()
    assert program == "kgraph" and args[0] in main.commands
    assert hook["pass_filenames"] is False


def test_pre_commit_hook_fails_a_claim_without_source(tmp_path: object) -> None:
    from pathlib import Path

    b = CorpusBuilder(Path(str(tmp_path)) / "claims").minimal()
    claim = b.root / "claims/ketamine-acts-on-glutamate.yaml"
    text = claim.read_text(encoding="utf-8")
    claim.write_text(text.split("sources:")[0] + "evidence:" + text.split("evidence:")[1], "utf-8")
    hook = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    result = CliRunner().invoke(main, [*hook["entry"].split()[1:], str(tmp_path)])
    assert result.exit_code == 1 and "KG301" in result.output


def test_workflow_example_is_valid_yaml() -> None:
    text = (REPO / "docs/ci.md").read_text(encoding="utf-8")
    block = text.split("```yaml", 1)[1].split("```", 1)[0]
    workflow = yaml.safe_load(block)
    steps = workflow["jobs"]["check"]["steps"]
    assert any(s.get("run", "").startswith("kgraph check") for s in steps)
