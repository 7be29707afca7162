"""kgraph: a literature-claims knowledge graph.

Files on disk -> `load` (typed records) -> `check` (findings) -> graph -> exports, site, audit.
The stages and their folders: docs/architecture.md.
"""

from typing import Any

from kgraph.corpus.check import CorpusHasErrors, Report, check, check_corpus, checked_corpus
from kgraph.corpus.findings import CODES, Finding, Severity
from kgraph.corpus.load import CorpusNotFound, load
from kgraph.corpus.model import Assertion, Claim, Corpus, Entity, Evidence, Reference, Source

__all__ = [
    "CODES",
    "Assertion",
    "Claim",
    "Corpus",
    "CorpusHasErrors",
    "CorpusNotFound",
    "Entity",
    "Evidence",
    "Finding",
    "Reference",
    "Report",
    "Severity",
    "Source",
    "build_graph",
    "check",
    "check_corpus",
    "checked_corpus",
    "load",
    "load_graph",
]


def __getattr__(name: str) -> Any:
    """`kgraph.build_graph` and `kgraph.load_graph`, imported on first use (networkx is slow to
    import, and `kgraph check` never needs it)."""
    if name in ("build_graph", "load_graph"):
        from kgraph.graph import model

        return getattr(model, name)
    raise AttributeError(f"module 'kgraph' has no attribute {name!r}")
