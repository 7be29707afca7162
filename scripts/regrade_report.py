"""Tables of a re-grade: the corpus at a git revision against the working tree's.

Usage: .venv/bin/python scripts/regrade_report.py REV   (REV: the commit before the re-grade)

Prints Markdown: claims by level and by direction, before and after; the levels that changed,
grouped by what changed in the record (found by comparing the two records, not asserted);
references added; searches, excerpts and coverage as the check counts them.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

from kgraph import vocab
from kgraph.corpus.grading_rules import excerpt_found
from kgraph.corpus.load import load
from kgraph.corpus.model import Corpus, Search
from kgraph.history.compare import claim_change
from kgraph.history.sides import corpus_at as history_corpus_at

REPO = Path(__file__).resolve().parent.parent


def corpus_at(rev: str, into: Path) -> Corpus:
    """The claims/ folder as it was at `rev`, loaded (read as `kgraph diff` reads a revision)."""
    folder, _ = history_corpus_at(REPO / "claims", rev, into)
    return load(folder)


def table(head: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def causes(old: Corpus, new: Corpus, cid: str) -> list[str]:
    """What changed in a claim's record between the two corpora, in words."""
    a, b = old.claims.get(cid), new.claims[cid]
    if a is None:
        return ["a new record (a split, or a claim no record quoted)"]
    change = claim_change(a, b, old, new)
    out = [
        words
        for words, changed in (
            ("studies found by the search", change.references_added),
            ("studies dropped or left out", change.references_dropped),
            ("a reference's direction corrected", change.reference_directions),
            ("a study's design corrected", change.designs),
            ("the statement corrected to its quote", change.statement),
            ("the claim kind corrected", change.kind),
        )
        if changed
    ]
    return out or ["GRADE domains rated"]


def main(rev: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        old = corpus_at(rev, Path(tmp))
        new = load(REPO / "claims")
        levels = [lv.value for lv in vocab.EVIDENCE_LEVELS] + ["ungraded"]

        def by_level(c: Corpus) -> Counter[str]:
            return Counter(cl.level or "ungraded" for cl in c.claims.values())

        def by_direction(c: Corpus) -> Counter[str]:
            return Counter(
                (cl.evidence.direction or "none") for cl in c.claims.values() if cl.evidence
            )

        lo, ln = by_level(old), by_level(new)
        print(f"## Claims by level ({len(old.claims)} before, {len(new.claims)} after)\n")
        print(table(("level", "before", "after"), [(lv, lo[lv], ln[lv]) for lv in levels]))
        do, dn = by_direction(old), by_direction(new)
        dirs = sorted(set(do) | set(dn))
        print("\n## Graded claims by direction\n")
        print(table(("direction", "before", "after"), [(d, do[d], dn[d]) for d in dirs]))
        changed = [
            cid
            for cid in sorted(new.claims)
            if cid in old.claims and old.claims[cid].level != new.claims[cid].level
        ]
        moved = [
            cid
            for cid in sorted(new.claims)
            if cid in old.claims
            and old.claims[cid].evidence
            and new.claims[cid].evidence
            and old.claims[cid].evidence.direction != new.claims[cid].evidence.direction
        ]
        print(
            f"\n## Levels changed: {len(changed)} of {len(old.claims)} claims kept; "
            f"directions changed: {len(moved)}\n"
        )
        tally: Counter[str] = Counter()
        for cid in sorted(set(changed) | set(moved)):
            tally.update(causes(old, new, cid))
        print(
            table(
                ("what changed in the record (a claim may count under several)", "claims"),
                tally.most_common(),
            )
        )

        def grade(c: Corpus, cid: str) -> str:
            claim = c.claims[cid]
            return f"{claim.level} {claim.evidence.direction if claim.evidence else ''}".strip()

        rows = [
            (f"`{cid}`", grade(old, cid), grade(new, cid)) for cid in sorted({*changed, *moved})
        ]
        print("\n" + table(("claim", "before", "after"), rows))
        new_ids = sorted(set(new.claims) - set(old.claims))
        print(f"\n## New records: {len(new_ids)}\n")
        print(", ".join(f"`{c}`" for c in new_ids))
        refs_old = sum(len(c.evidence.references) for c in old.claims.values() if c.evidence)
        refs_new = sum(len(c.evidence.references) for c in new.claims.values() if c.evidence)
        graded = [c for c in new.claims.values() if c.evidence]
        searched = sum(isinstance(c.evidence.search, Search) for c in graded)
        excerpts = [(c, r) for c in graded for r in c.evidence.references]
        verified = sum(
            1
            for c, r in excerpts
            if r.excerpt not in ("", vocab.UNKNOWN)
            and r.source in new.snapshot_texts
            and excerpt_found(r.excerpt, new.snapshot_texts[r.source])
        )
        entries = [e for cov in new.coverage.values() for e in cov.entries]
        print("\n## Coverage of the work\n")
        print(
            table(
                ("measure", "before", "after"),
                [
                    ("references", refs_old, refs_new),
                    ("sources", len(old.sources), len(new.sources)),
                    (
                        "graded claims with a search record",
                        sum(
                            isinstance(c.evidence.search, Search)
                            for c in old.claims.values()
                            if c.evidence
                        ),
                        f"{searched} of {len(graded)}",
                    ),
                    (
                        "references whose excerpt is found in the kept abstract",
                        0,
                        f"{verified} of {len(excerpts)}",
                    ),
                    ("article sentences mapped (coverage maps)", 0, len(entries)),
                    ("of them pending", "-", sum(1 for e in entries if e.pending)),
                ],
            )
        )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: regrade_report.py REV")
    main(sys.argv[1])
