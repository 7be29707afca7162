"""Draft a coverage map for each article that has none: `python scripts/propose_coverage.py [ROOT]`.

Writes ROOT/coverage/<source>.yaml (ROOT: the corpus, claims/ by default) from the claims' quotes;
every entry is a proposal to review by reading the sentence (docs/formats.md).
"""

from __future__ import annotations

import sys

from kgraph.corpus.coverage import draft_map, is_article
from kgraph.corpus.load import find_corpus, load

if __name__ == "__main__":
    root = find_corpus(sys.argv[1] if len(sys.argv) > 1 else "claims")
    corpus = load(root)
    folder = root / "coverage"
    folder.mkdir(exist_ok=True)
    for sid, source in corpus.sources.items():
        target = folder / f"{sid}.yaml"
        if is_article(source) and sid in corpus.snapshot_texts and not target.exists():
            target.write_text(draft_map(corpus, sid), encoding="utf-8")
            print(f"wrote {target}")
