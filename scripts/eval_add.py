"""Print the leave-one-article-out figures of `kgraph add` on the corpus's articles.

Usage: .venv/bin/python scripts/eval_add.py [--root ROOT] [--keep-claims] [--threshold T] [--wrong]
For each article: its assertions are removed from the corpus (and the claims only it asserts,
unless --keep-claims), its snapshot is proposed on, and the proposals are compared with the
curators' records. --wrong lists every wrong rank-1 merge.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import kgraph
from kgraph.curate.evaluate import evaluate, table, total
from kgraph.curate.propose import MERGE_MARGIN, MERGE_THRESHOLD

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(REPO / "claims"))
    parser.add_argument("--threshold", type=float, default=MERGE_THRESHOLD)
    parser.add_argument(
        "--keep-claims",
        action="store_true",
        help="keep the claims only the article asserts (their statements, not its quotes)",
    )
    parser.add_argument("--wrong", action="store_true", help="list the wrong rank-1 merges")
    args = parser.parse_args()
    corpus = kgraph.load(args.root)
    scores = evaluate(corpus, keep_claims=args.keep_claims, merge_threshold=args.threshold)
    kept = "kept (statements only)" if args.keep_claims else "removed"
    print(
        f"corpus: {len(corpus.claims)} claims; claims only the article asserts: {kept}; "
        f"merge at score >= {args.threshold:g}, leading the next by >= {MERGE_MARGIN:g}\n"
    )
    print(table(scores))
    if args.wrong:
        print("\nwrong rank-1 merges:")
        for text, proposed, recorded in total(scores).wrong:
            print(f"  {text!r}\n      proposed {proposed}; recorded {recorded}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
