#!/usr/bin/env python3
"""Write a synthetic corpus of N claims into OUT, for benchmarks and scale tests.

Usage: scripts/generate_corpus.py N OUT [--seed S]   (OUT must be absent or empty)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kgraph.generate import CorpusExists, generate_corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, metavar="N", help="number of claims")
    parser.add_argument("out", type=Path, metavar="OUT", help="folder to create")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    start = time.perf_counter()
    try:
        generate_corpus(args.out, args.n, seed=args.seed)
    except (CorpusExists, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"wrote {args.n} claims to {args.out} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
