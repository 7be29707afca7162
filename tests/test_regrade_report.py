"""The re-grade's tables, as the closing note gives them: against the committed corpus itself,
nothing has changed, and every graded claim is searched and every excerpt found."""

from __future__ import annotations

import subprocess
import sys

import pytest

import kgraph
from tests.conftest import REPO


def test_the_report_against_head_changes_nothing_and_counts_the_work() -> None:
    if subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True
    ).returncode:
        pytest.skip("not a git checkout")
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "claims"], capture_output=True, text=True
    ).stdout
    if dirty.strip():
        pytest.skip("claims/ has uncommitted changes: HEAD is not the working corpus")
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts/regrade_report.py"), "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    corpus = kgraph.check(REPO / "claims").corpus
    n = len(corpus.claims)
    graded = sum(1 for c in corpus.claims.values() if c.evidence)
    refs = sum(len(c.evidence.references) for c in corpus.claims.values() if c.evidence)
    assert f"## Claims by level ({n} before, {n} after)" in out
    assert f"## Levels changed: 0 of {n} claims kept; directions changed: 0" in out
    assert f"| graded claims with a search record | {graded} | {graded} of {graded} |" in out
    assert (
        f"| references whose excerpt is found in the kept abstract | 0 | {refs} of {refs} |" in out
    )
    assert "| of them pending | - | 0 |" in out
