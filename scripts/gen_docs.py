"""Write the generated reference files (docs/vocabulary.md, docs/findings.md, schema/*.json)."""

from __future__ import annotations

from pathlib import Path

from kgraph.audit.codes import refresh_codes_table
from kgraph.docs import corpus_readme, generated_docs
from kgraph.queries import open_corpus
from kgraph.stats import render_stats, stats

REPO = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    for rel, text in generated_docs().items():
        path = REPO / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {rel}")
    corpus, graph = open_corpus(REPO)
    readme = REPO / "claims" / "README.md"
    text = corpus_readme(
        readme.read_text(encoding="utf-8"), render_stats(stats(corpus, graph), "markdown")
    )
    readme.write_text(text, encoding="utf-8")
    print("wrote claims/README.md")
    audit_doc = REPO / "docs" / "audit.md"
    audit_doc.write_text(
        refresh_codes_table(audit_doc.read_text(encoding="utf-8")), encoding="utf-8"
    )
    print("refreshed the code table in docs/audit.md")
