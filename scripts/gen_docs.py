"""Write the generated reference files (docs/vocabulary.md, docs/findings.md, schema/*.json)."""

from __future__ import annotations

from pathlib import Path

from kgraph.docs import generated_docs

REPO = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    for rel, text in generated_docs().items():
        path = REPO / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {rel}")
