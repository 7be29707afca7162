"""Time the audit on a corpus, as ratios to `check_corpus` on the same corpus in this process.

Usage: .venv/bin/python scripts/bench_audit.py ROOT   (ROOT: e.g. from scripts/generate_corpus.py)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import kgraph
from kgraph.audit import render_audit, run_audit
from kgraph.site.charts import echo_chart_svg


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    corpus = kgraph.load(argv[0])
    report = run_audit(corpus)
    baseline = best_of(lambda: kgraph.check_corpus(corpus))
    steps: dict[str, Callable[[], object]] = {
        "run_audit": lambda: run_audit(corpus),
        "render text": lambda: render_audit(report, corpus, "text"),
        "render json": lambda: render_audit(report, corpus, "json"),
        "echo chart": lambda: echo_chart_svg(corpus),
        "for_claim, every claim": lambda: [report.for_claim(c) for c in corpus.claims],
    }
    print(f"{len(corpus.claims)} claims, {len(report.findings)} findings")
    print(f"baseline check_corpus: {baseline:.2f} s")
    for name, fn in steps.items():
        seconds = best_of(fn)
        print(f"{name:<24} {seconds:7.2f} s  {seconds / baseline:6.2f} x check")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
