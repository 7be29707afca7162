"""What every page module reads: the corpus, its graph, the audit, and lookups computed once.

Built by `write_site` from its arguments; the page modules take a `Site` and write pages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from markupsafe import Markup

from kgraph.audit import AUDIT_CODES, AuditFinding, AuditReport
from kgraph.corpus.model import Claim, Corpus
from kgraph.corpus.retractions import RetractionList, load_retractions
from kgraph.corpus.revisions import CorpusHistory
from kgraph.site.charts import evidence_profile_svg
from kgraph.site.passages import Passages
from kgraph.vocab import level_rank


@dataclass
class Site:
    corpus: Corpus
    graph: nx.MultiDiGraph
    audit: AuditReport | None
    passages: Passages
    neighbourhoods: set[str] = field(default_factory=set)
    # premise id -> ids of the claims that rest on it
    consequences: dict[str, list[str]] = field(default_factory=dict)
    # source id -> ids of the claims it asserts / bears on as evidence
    asserted_by_source: dict[str, list[str]] = field(default_factory=dict)
    evidence_by_source: dict[str, list[str]] = field(default_factory=dict)
    # entity id -> ids of the claims with it as subject or object
    claims_by_entity: dict[str, list[str]] = field(default_factory=dict)
    # Each claim's revisions from git (None: not read for this build), and the pinned
    # retraction list the corpus keeps.
    history: CorpusHistory | None = None
    retractions: RetractionList = field(default_factory=RetractionList)
    _rel: dict[str, str] = field(default_factory=dict)
    _profiles: dict[str, Markup] = field(default_factory=dict)

    @classmethod
    def of(cls, corpus: Corpus, graph: nx.MultiDiGraph, audit: AuditReport | None) -> Site:
        site = cls(corpus, graph, audit, Passages.of(corpus))
        site.retractions, _ = load_retractions(corpus.root)
        for cid in sorted(corpus.claims):
            c = corpus.claims[cid]
            for dep in c.depends_on:
                site.consequences.setdefault(dep, []).append(cid)
            for sid in dict.fromkeys(a.source for a in c.sources):
                site.asserted_by_source.setdefault(sid, []).append(cid)
            if c.evidence:
                for sid in dict.fromkeys(r.source for r in c.evidence.references):
                    site.evidence_by_source.setdefault(sid, []).append(cid)
            for eid in dict.fromkeys((c.subject, c.object)):
                site.claims_by_entity.setdefault(eid, []).append(cid)
        return site

    def claim_findings(self, cid: str) -> list[AuditFinding]:
        return self.audit.for_claim(cid) if self.audit is not None else []

    def source_findings(self, sid: str) -> list[AuditFinding]:
        return self.audit.for_source(sid) if self.audit is not None else []

    def claims(self, ids: list[str]) -> list[Claim]:
        """Claims by id, strongest evidence first, then by id (unknown ids skipped)."""
        found = [self.corpus.claims[i] for i in ids if i in self.corpus.claims]
        return sorted(found, key=lambda c: (-_rank(c.level), c.id))

    def rel_path(self, path: str) -> str:
        """A record's file relative to the corpus folder, '/'-separated (no machine paths)."""
        if path not in self._rel:
            if "" not in self._rel:
                self._rel[""] = str(self.corpus.root.resolve())
            try:
                rel = os.path.relpath(os.path.abspath(path), self._rel[""])
            except ValueError:
                rel = os.path.basename(path)
            self._rel[path] = rel.replace(os.sep, "/")
        return self._rel[path]

    def evidence_profile(self, sid: str) -> Markup:
        """An article's evidence-profile chart (drawn once: the source and audit pages show it).

        kgraph.site.charts escapes every corpus text it draws, so the SVG goes into pages as markup.
        """
        if sid not in self._profiles:
            claim_ids = self.asserted_by_source.get(sid, [])
            self._profiles[sid] = Markup(evidence_profile_svg(self.corpus, sid, claim_ids))
        return self._profiles[sid]

    def finding_item(self, f: AuditFinding) -> dict[str, Any]:
        """An audit finding with the records it names, as the `finding` macro shows it."""
        corpus = self.corpus
        return {
            "f": f,
            "spec": AUDIT_CODES.get(f.code),
            "claim": corpus.claims.get(f.claim) if f.claim else None,
            "source": corpus.sources.get(f.source) if f.source else None,
            "chain": [corpus.claims[c] for c in f.chain if c in corpus.claims],
            "where": f"{self.rel_path(f.path)}:{f.line}",
        }

    def findings_for_claim(self, cid: str) -> list[dict[str, Any]]:
        return [self.finding_item(f) for f in self.claim_findings(cid)]

    def findings_for_source(self, sid: str) -> list[dict[str, Any]]:
        return [self.finding_item(f) for f in self.source_findings(sid)]


def _rank(level: str | None) -> int:
    rank = level_rank(level)
    return -1 if rank is None else rank
