"""Write the generated reference files (docs/vocabulary.md, docs/findings.md, schema/*.json)."""

from __future__ import annotations

from pathlib import Path

from kgraph.audit.codes import refresh_codes_table
from kgraph.docs import corpus_readme, generated_docs
from kgraph.graph.queries import open_corpus
from kgraph.graph.stats import render_stats, stats
from kgraph.outputs import MARKER, replace_file, replacing_folder

REPO = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    corpus, graph = open_corpus(REPO)
    docs = generated_docs(corpus)
    # schema/ is wholly generated: replaced as one marked folder. The docs/ files sit among
    # hand-written pages, so each is replaced on its own.
    with replacing_folder(REPO / "schema", "schema", corpus_root=REPO) as staged:
        for rel, text in docs.items():
            if rel.startswith("schema/") and not rel.endswith(MARKER):
                (staged / rel.removeprefix("schema/")).write_text(text, encoding="utf-8")
    print("wrote schema/")
    for rel, text in docs.items():
        if not rel.startswith("schema/"):
            replace_file(REPO / rel, lambda p, t=text: p.write_text(t, encoding="utf-8"), what=rel)
            print(f"wrote {rel}")
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
