"""Time reading every claim's git history for the site, as ratios in this process: the one
walk `corpus_history` makes against a walk per claim (a `git log` of each claim file and a
`git show` of each revision, as one would write it first), and against a check of the corpus.

Usage: .venv/bin/python scripts/bench_history.py [ROOT]   (a corpus in a git repository; the
project's own by default). Prints figures; asserts nothing.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import kgraph
from kgraph.corpus.revisions import Commit, Revision, revision_of
from kgraph.history.log import corpus_history


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def per_claim(corpus: kgraph.Corpus) -> dict[str, list[Revision]]:
    """The baseline: one `git log` per claim file, one `git show` per revision of it."""
    out: dict[str, list[Revision]] = {}
    for cid, claim in sorted(corpus.claims.items()):
        path = Path(claim.origin.path)
        log = subprocess.run(
            [
                "git",
                "-C",
                str(path.parent),
                "log",
                "--format=%H%x1f%aI%x1f%an%x1f%s",
                "--",
                path.name,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for line in log.splitlines():
            sha, date, author, subject = line.split("\x1f")
            shown = subprocess.run(
                ["git", "-C", str(path.parent), "show", f"{sha}:./{path.name}"],
                capture_output=True,
                check=False,
            )
            if shown.returncode:
                break
            commit = Commit(sha, date, author, subject)
            out.setdefault(cid, []).append(revision_of(shown.stdout, path.name, commit, "")[1])
    return out


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        print(__doc__, file=sys.stderr)
        return 2
    root = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent
    corpus = kgraph.load(root)
    history = corpus_history(corpus.root)
    if history.missing:
        print(f"{root}: {history.missing}", file=sys.stderr)
        return 2
    revisions = sum(len(v) for v in history.revisions.values())
    print(f"{len(corpus.claims)} claims, {revisions} revisions in git")
    check = best_of(lambda: kgraph.check(root))
    walk = best_of(lambda: corpus_history(corpus.root))
    each = best_of(lambda: per_claim(corpus), repeat=1)
    print(f"kgraph check (reference)       {check:7.2f} s")
    print(f"corpus_history (one walk)      {walk:7.2f} s  {walk / check:6.2f} x check")
    print(f"a walk per claim (baseline)    {each:7.2f} s  {each / check:6.2f} x check")
    print(f"one walk is {each / walk:.1f}x faster than a walk per claim")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
