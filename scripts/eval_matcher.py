"""Print the claim matcher's precision and recall on the labelled draft sentences.

Usage: .venv/bin/python scripts/eval_matcher.py [--root ROOT] [--labels FILE ...] [--threshold T]
Shows figures for each split (dev and dev-2: tuned on; heldout: measured once after tuning, then
seen; heldout-2 and heldout-3: never tuned on) and every miss and wrong match.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import kgraph
from kgraph.writers.find import DEFAULT_THRESHOLD, ClaimIndex
from kgraph.writers.matcher_eval import Evaluation, evaluate, load_labels, unknown_ids

REPO = Path(__file__).resolve().parent.parent
LABEL_FILES = (
    "draft_sentences.yaml",
    "draft_sentences_heldout.yaml",
    "draft_sentences_heldout2.yaml",
    "draft_sentences_heldout3.yaml",
)


def summary(name: str, ev: Evaluation) -> str:
    return (
        f"{name:9} n={len(ev.outcomes):3}  precision={ev.precision:.3f}  recall={ev.recall:.3f}  "
        f"(tp={ev.count('tp')} fp={ev.count('fp')} fn={ev.count('fn')} tn={ev.count('tn')})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(REPO / "claims"))
    parser.add_argument(
        "--labels",
        nargs="+",
        default=[str(REPO / "tests" / "data" / name) for name in LABEL_FILES],
        help="labelled sets (default: the development set and every held-out set)",
    )
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--sweep", action="store_true", help="also print a threshold sweep")
    args = parser.parse_args()

    index = ClaimIndex(kgraph.load(args.root))
    items = [item for path in args.labels for item in load_labels(path)]
    missing = unknown_ids(index, items)
    if missing:
        print(f"labels name claims the corpus lacks: {', '.join(missing)}", file=sys.stderr)
    ev = evaluate(index, items, args.threshold)
    print(f"corpus: {len(index.corpus.claims)} claims; threshold {args.threshold:g}")
    for split in sorted({it.split for it in items}):
        print(summary(split, ev.subset(split)))
    print(summary("all", ev))
    print("\nwrong matches (fp) and misses (fn):")
    for o in ev.outcomes:
        if o.verdict in ("fp", "fn"):
            got = f"{o.predicted} ({o.score})" if o.predicted else "nothing"
            print(f"  {o.verdict} [{o.item.split}/{o.item.group}] {o.item.text!r}")
            print(f"      expected {o.item.expect or 'nothing'}, got {got}")
    if args.sweep:
        print("\nthreshold sweep (all sentences):")
        for t in range(40, 95, 5):
            s = evaluate(index, items, float(t))
            print(f"  {t:3}  precision={s.precision:.3f}  recall={s.recall:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
