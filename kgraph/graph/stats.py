"""Counts over a checked corpus and its graph (`kgraph stats`), as a dict, text or Markdown.

After the graph in the flow: (corpus, graph) -> counts. Every vocabulary value gets a count, zero
included, so the shape of the result does not depend on the corpus.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import networkx as nx

from kgraph import vocab
from kgraph.corpus.model import Claim, Corpus
from kgraph.graph.model import EDGE_KINDS, NODE_KINDS

UNGRADED = "ungraded"
# ES-0 evidence has no direction: nothing was found to point one way or the other.
NO_DIRECTION = "none"
LEVEL_KEYS = (*(lv.value for lv in vocab.EVIDENCE_LEVELS), UNGRADED)
STATS_FORMATS = ("text", "json", "markdown")


def _count(values: list[str], keys: tuple[str, ...]) -> dict[str, int]:
    counter = Counter(values)
    out = {k: counter.pop(k, 0) for k in keys}
    # Values outside the vocabulary cannot pass the check, but a count never hides one.
    out.update(sorted(counter.items()))
    return out


def _claim_counts(claims: list[Claim]) -> dict[str, Any]:
    return {
        "total": len(claims),
        "by_kind": _count([c.kind for c in claims], vocab.values(vocab.CLAIM_KINDS)),
        "by_level": _count([c.level or UNGRADED for c in claims], LEVEL_KEYS),
    }


def stats(corpus: Corpus, graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Counts by node kind, edge kind, claim kind, ES level, direction, source kind, per article."""
    claims = [corpus.claims[c] for c in sorted(corpus.claims)]
    graded = [c for c in claims if c.evidence is not None]
    node_kinds = Counter(d.get("kind") for _, d in graph.nodes(data=True))
    edge_kinds = Counter(d.get("kind") for _, _, d in graph.edges(data=True))
    articles = []
    for source in corpus.articles():
        asserted = [c for c in claims if any(a.source == source.id for a in c.sources)]
        articles.append(
            {"id": source.id, "label": source.display, "kind": source.kind}
            | _claim_counts(asserted)
        )
    return {
        "nodes": {k: node_kinds.get(k, 0) for k in NODE_KINDS},
        "edges": {k: edge_kinds.get(k, 0) for k in EDGE_KINDS},
        "claims": _claim_counts(claims)
        | {
            "by_direction": _count(
                [c.evidence.direction or NO_DIRECTION for c in graded if c.evidence],
                (*vocab.values(vocab.DIRECTIONS), NO_DIRECTION),
            ),
            "by_review_status": _count(
                [c.review.status for c in claims], vocab.values(vocab.REVIEW_STATUSES)
            ),
        },
        "sources": {
            "total": len(corpus.sources),
            "articles": len(articles),
            "by_kind": _count(
                [s.kind for s in corpus.sources.values()], vocab.values(vocab.SOURCE_KINDS)
            ),
        },
        "entities": {
            "total": len(corpus.entities),
            "by_type": _count(
                [e.type for e in corpus.entities.values()], vocab.values(vocab.ENTITY_TYPES)
            ),
        },
        "articles": articles,
    }


def _text_block(title: str, counts: dict[str, int]) -> list[str]:
    width = max((len(k) for k in counts), default=0)
    return ["", title] + [f"  {k:<{width}}  {n:>5}" for k, n in counts.items()]


def _text(s: dict[str, Any]) -> str:
    lines = [
        f"{s['claims']['total']} claims, {s['sources']['total']} sources "
        f"({s['sources']['articles']} asserting), {s['entities']['total']} entities"
    ]
    lines += _text_block("nodes by kind", s["nodes"])
    lines += _text_block("edges by kind", s["edges"])
    lines += _text_block("claims by kind", s["claims"]["by_kind"])
    lines += _text_block("claims by evidence level", s["claims"]["by_level"])
    lines += _text_block("graded claims by direction", s["claims"]["by_direction"])
    lines += _text_block("claims by review status", s["claims"]["by_review_status"])
    lines += _text_block("sources by kind", s["sources"]["by_kind"])
    lines += _text_block("entities by type", s["entities"]["by_type"])
    for a in s["articles"]:
        lines += ["", f"article {a['id']} ({a['label']}): {a['total']} claims"]
        for key in ("by_kind", "by_level"):
            nonzero = ", ".join(f"{k} {n}" for k, n in a[key].items() if n)
            lines.append(f"  {key.replace('_', ' ')}: {nonzero or 'none'}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(str(v)) for v in row) + " |" for row in rows]
    return lines


def _md_counts(title: str, counts: dict[str, int], what: str) -> list[str]:
    rows: list[list[Any]] = [[f"`{k}`", n] for k, n in counts.items()]
    return ["", f"## {title}", "", *_md_table([what, "count"], rows)]


def _per_article(s: dict[str, Any], key: str, keys: list[str]) -> list[str]:
    header = ["article", "id", "claims", *[f"`{k}`" for k in keys]]
    rows = [
        [a["label"], f"`{a['id']}`", a["total"], *(a[key][k] for k in keys)] for a in s["articles"]
    ]
    totals = s["claims"][key]
    rows.append(["**all articles**", "", s["claims"]["total"], *(totals[k] for k in keys)])
    return _md_table(header, rows)


def _markdown(s: dict[str, Any]) -> str:
    c = s["claims"]
    lines = [
        "# Corpus statistics",
        "",
        f"{c['total']} claims, {s['sources']['total']} sources ({s['sources']['articles']} of "
        f"them asserting claims), {s['entities']['total']} entities.",
        "",
        "## Claims per article, by kind",
        "",
        *_per_article(s, "by_kind", list(c["by_kind"])),
        "",
        "## Claims per article, by evidence level",
        "",
        *_per_article(s, "by_level", list(c["by_level"])),
        "",
        "A claim asserted by several articles counts once in each article's row and once in the",
        "total.",
    ]
    lines += _md_counts("Graded claims by direction", c["by_direction"], "direction")
    lines += _md_counts("Claims by review status", c["by_review_status"], "status")
    lines += _md_counts("Sources by kind", s["sources"]["by_kind"], "kind")
    lines += _md_counts("Entities by type", s["entities"]["by_type"], "type")
    lines += _md_counts("Graph nodes by kind", s["nodes"], "kind")
    lines += _md_counts("Graph edges by kind", s["edges"], "kind")
    return "\n".join(lines) + "\n"


def render_stats(s: dict[str, Any], fmt: str = "text") -> str:
    """The counts as terminal text, JSON or Markdown (tables for a README)."""
    if fmt == "json":
        return json.dumps(s, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return _markdown(s)
    if fmt == "text":
        return _text(s)
    raise ValueError(f"unknown stats format {fmt!r}; choose one of: {', '.join(STATS_FORMATS)}")
