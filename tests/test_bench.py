"""The benchmark script runs end to end and writes its table (figures are never asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_bench_script_prints_and_writes_its_table(tmp_path: Path) -> None:
    out = tmp_path / "BENCH.md"
    out.write_text(
        "# Notes kept\n\n<!-- bench:start -->\nstale figures\n<!-- bench:end -->\ntail kept\n"
    )
    cmd = [
        sys.executable,
        str(REPO / "scripts" / "bench.py"),
        "--sizes",
        "40",
        "--repeat",
        "1",
        "--no-build",
        "--no-jsonschema",
        "--workdir",
        str(tmp_path / "work"),
        "--write",
        str(out),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "| 40 | " in result.stdout
    assert "check within 1.5x of the parse floor" in result.stdout
    text = out.read_text()
    assert text.startswith("# Notes kept") and text.endswith("tail kept\n")
    assert "stale figures" not in text and "| claims | files |" in text
