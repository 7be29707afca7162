"""kgraph: a literature-claims knowledge graph.

Files on disk -> `load` (typed records) -> `check` (findings) -> graph -> exports, site, audit.
"""

from kgraph.check import CorpusHasErrors, Report, check, check_corpus, checked_corpus
from kgraph.findings import CODES, Finding, Severity
from kgraph.load import CorpusNotFound, load
from kgraph.model import Assertion, Claim, Corpus, Entity, Evidence, Reference, Source

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
    "check",
    "check_corpus",
    "checked_corpus",
    "load",
]
