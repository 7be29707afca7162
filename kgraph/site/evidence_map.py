"""The evidence gap map page: what the articles claim, topic by topic, and what it rests on.

Two maps in plain HTML and SVG (no script), as systematic reviewers read them (evidence gap maps
of the Campbell Collaboration and 3ie): topics by article, and claims by study design.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from kgraph import vocab
from kgraph.corpus.model import Claim
from kgraph.site.context import Site
from kgraph.site.links import level_colour, level_name, page_path
from kgraph.site.network import STUDY_GROUPS, study_group
from kgraph.site.render import Renderer

ECHO = "AU103"
OVERCLAIM = "AU101"
MAX_RADIUS = 13


@dataclass
class Mark:
    """Claims of one level in one cell: a bubble whose area grows with how many."""

    level: str
    claims: list[Claim]
    radius: float = 0.0
    href: str = ""  # the claim's page, or the cell's list when the bubble holds several

    @property
    def colour(self) -> str:
        return level_colour(self.level or None)

    @property
    def title(self) -> str:
        return f"{len(self.claims)} × {level_name(self.level or None)}: " + "; ".join(
            c.statement for c in self.claims
        )


@dataclass
class Cell:
    anchor: str
    marks: list[Mark] = field(default_factory=list)
    echo: bool = False
    overclaim: bool = False
    claims: list[Claim] = field(default_factory=list)


def _topic_rows(site: Site, articles: list[str]) -> list[dict[str, Any]]:
    """Rows grouped by claim kind, a row per topic (the claim's object entity)."""
    corpus = site.corpus
    findings = site.audit.findings if site.audit is not None else []
    echoed = {f.claim for f in findings if f.code == ECHO or ECHO in f.also}
    overclaimed = {
        (f.claim, f.source) for f in findings if f.code == OVERCLAIM or OVERCLAIM in f.also
    }
    cells: dict[tuple[str, str], dict[str, list[Claim]]] = {}
    for cid in sorted(corpus.claims):
        c = corpus.claims[cid]
        for sid in dict.fromkeys(a.source for a in c.sources):
            if sid in articles:
                cells.setdefault((c.kind, c.object), {}).setdefault(sid, []).append(c)
    most = max((len(v) for row in cells.values() for v in row.values()), default=1)
    groups = []
    for kind in vocab.CLAIM_KINDS:
        rows = []
        for (k, eid), by_article in sorted(cells.items()):
            if k != kind.value:
                continue
            entity = corpus.entities.get(eid)
            row_cells = []
            for sid in articles:
                claims = by_article.get(sid, [])
                cell = Cell(f"cell-{kind.value}-{eid}-{sid}", claims=claims)
                by_level: dict[str, list[Claim]] = {}
                for c in claims:
                    by_level.setdefault(c.level or "", []).append(c)
                for level in sorted(by_level, key=_level_order):
                    mark = Mark(level, by_level[level])
                    mark.radius = round(MAX_RADIUS * math.sqrt(len(mark.claims) / most), 1)
                    mark.radius = max(mark.radius, 4.0)
                    mark.href = (
                        page_path("claim", mark.claims[0].id)
                        if len(mark.claims) == 1
                        else "#" + cell.anchor
                    )
                    cell.marks.append(mark)
                cell.echo = any(c.id in echoed for c in claims)
                cell.overclaim = any((c.id, sid) in overclaimed for c in claims)
                row_cells.append(cell)
            rows.append({"entity": entity, "id": eid, "cells": row_cells})
        if rows:
            groups.append({"kind": kind, "rows": rows})
    return groups


def _level_order(level: str) -> int:
    lv = vocab.LEVEL_BY_VALUE.get(level)
    return -(lv.rank if lv else -1)


def _design_rows(site: Site) -> list[dict[str, Any]]:
    """A row per graded claim: how many studies of each design bear on it, by direction."""
    g = site.graph
    groups = []
    # The claims in the site's order, once; each level's rows keep that order.
    ordered = site.claims(sorted(site.corpus.claims))
    for lv in vocab.EVIDENCE_LEVELS:
        rows = []
        for c in (c for c in ordered if c.level == lv.value):
            counts: dict[str, dict[str, int]] = {}
            for u, _v, d in sorted(g.in_edges(c.id, data=True), key=lambda e: e[0]):
                if d["kind"] != "evidence":
                    continue
                design = study_group(g.nodes[u]["source_kind"])
                counts.setdefault(design, {}).setdefault(d["direction"], 0)
                counts[design][d["direction"]] += 1
            designs = set(counts)
            gap = (
                "no study"
                if not designs
                else "animal only"
                if designs == {"animal or in vitro"}
                else ""
            )
            cells = [
                [(direction, n) for direction, n in sorted(counts.get(name, {}).items())]
                for name, _ in STUDY_GROUPS
            ]
            rows.append({"claim": c, "cells": cells, "gap": gap})
        if rows:
            groups.append({"level": lv, "rows": rows})
    return groups


def write_evidence_map(r: Renderer, site: Site) -> None:
    corpus = site.corpus
    # The articles under audit: sources that assert claims and are cited as evidence for none.
    articles = sorted(
        sid
        for sid in site.asserted_by_source
        if sid in corpus.sources and sid not in site.evidence_by_source
    )
    topics = _topic_rows(site, articles)
    r.page(
        "map.html",
        "map.html",
        title="Evidence map",
        articles=[corpus.sources[a] for a in articles],
        topics=topics,
        several=[
            (group, row, cell)
            for group in topics
            for row in group["rows"]
            for cell in row["cells"]
            if any(len(m.claims) > 1 for m in cell.marks)
        ],
        designs=[name for name, _ in STUDY_GROUPS],
        design_rows=_design_rows(site),
        levels=vocab.EVIDENCE_LEVELS,
        radius=MAX_RADIUS,
    )
