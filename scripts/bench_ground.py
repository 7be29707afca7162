"""What grounding costs a check: the real corpus checked with its entities' groundings, against
a copy of it with every `grounding:` block and `ungrounded:` line taken out, each check in a
fresh process (the pinned tables are read once per process). Prints the medians and their
ratio, measured in the same run.

    python scripts/bench_ground.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHECK = "import sys, kgraph; r = kgraph.check(sys.argv[1]); assert r.errors == 0, r.errors"


def strip_grounding(text: str) -> str:
    """The entity file without its grounding block and ungrounded line."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith(("grounding:", "ungrounded:")):
            skipping = line.startswith("grounding:")
            continue
        if skipping and line[:1] in (" ", "\t"):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def timed(root: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", CHECK, str(root)], check=True, env=env)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "claims"
        shutil.copytree(REPO / "claims", bare)
        for path in (bare / "entities").glob("*.yaml"):
            path.write_text(strip_grounding(path.read_text(encoding="utf-8")), encoding="utf-8")
        without = [timed(bare) for _ in range(args.runs)]
        with_ = [timed(REPO / "claims") for _ in range(args.runs)]
    a, b = statistics.median(without), statistics.median(with_)
    print(f"check without grounding: median {a:.2f} s over {args.runs} runs")
    print(f"check with grounding:    median {b:.2f} s over {args.runs} runs")
    print(f"ratio with/without: {b / a:.2f}")


if __name__ == "__main__":
    main()
