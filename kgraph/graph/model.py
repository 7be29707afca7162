"""The graph: a checked corpus compiled into one networkx.MultiDiGraph.

Fourth stage of the flow: `Corpus` -> graph. Node and edge kinds, with their attributes, are
declared in `NODE_KINDS` and `EDGE_KINDS`; docs/graph.md is generated from them and a test keeps
the two in step. Every attribute value is plain JSON (str, int, bool, list of str, or None).
"""

from __future__ import annotations

import os
from typing import Any

import networkx as nx

from kgraph import vocab
from kgraph.corpus.check import checked_corpus
from kgraph.corpus.model import Claim, Corpus, Entity, Source
from kgraph.grounding import registry
from kgraph.text.hedges import find_cues

# kind -> {attribute: description}. The builder writes exactly these attributes.
NODE_KINDS: dict[str, dict[str, str]] = {
    "claim": {
        "kind": "always `claim`",
        "label": "the statement, for display",
        "statement": "the claim in one plain sentence",
        "claim_kind": "mechanism, effect, regulatory, ... (vocabulary: claim kinds)",
        "subject": "subject entity id",
        "predicate": "predicate (vocabulary: predicates)",
        "object": "object entity id",
        "level": "ES level (ES-0..ES-5), or None for rhetoric",
        "rank": "the level as a number 0..5, or None for rhetoric",
        "direction": "supports, mixed or contradicts; None for rhetoric and at ES-0",
        "indirectness": "how the evidence differs from the claim, in words",
        "rationale": "why this level",
        "n_sources": "how many sources assert the claim",
        "n_references": "how many studies are cited as evidence",
        "qualifiers": "population, time frame, dose, route as `key: value` strings",
        "tags": "free tags",
        "review_status": "draft, reviewed or disputed",
        "reviewer": "who reviewed it, or None",
        "path": "the record's file, relative to the corpus folder",
    },
    "source": {
        "kind": "always `source`",
        "label": "short display name",
        "title": "the document's title, or None when unknown",
        "source_kind": "marketing, rct, preclinical, ... (vocabulary: source kinds)",
        "is_evidence_kind": "False for news and marketing, which cannot be evidence",
        "authors": "authors as recorded (empty when unknown)",
        "published": "publication date as recorded, or None when unknown",
        "year": "publication year, or None",
        "journal": "journal, or None",
        "publisher": "publisher, or None",
        "url": "address, or None",
        "doi": "DOI, or None",
        "pmid": "PubMed id, or None",
        "pmcid": "PubMed Central id, or None",
        "has_snapshot": "True when a text copy is kept",
        "path": "the record's file, relative to the corpus folder",
    },
    "entity": {
        "kind": "always `entity`",
        "label": "display name",
        "entity_type": "drug, receptor, brain_region, ... (vocabulary: entity types)",
        "synonyms": "other names",
        "description": "one sentence",
        "path": "the record's file, relative to the corpus folder",
        "grounding": "the terms it is grounded to, as CURIEs (CHEBI:6121), in the record's order",
        "grounding_iris": "the same terms' ontology IRIs, in the same order",
        "grounding_matches": "how it matches each term: exact, close, broad, narrow or related",
        "ungrounded": "why no vocabulary term fits, or None",
    },
}

EDGE_KINDS: dict[str, tuple[str, str, dict[str, str]]] = {
    "asserts": (
        "source",
        "claim",
        {
            "kind": "always `asserts`",
            "quote": "the verbatim quote",
            "locator": "where in the source",
            "hedges": "hedge cues found in the quote",
            "boosters": "booster cues found in the quote",
        },
    ),
    "evidence": (
        "source",
        "claim",
        {
            "kind": "always `evidence`",
            "direction": "supports, contradicts, mixed or neutral",
            "finding": "what the study found",
            "design": "study design",
            "n": "participants or animals, or None",
            "population": "who or what was studied",
        },
    ),
    "subject": ("claim", "entity", {"kind": "always `subject`"}),
    "object": ("claim", "entity", {"kind": "always `object`"}),
    "depends_on": ("claim", "claim", {"kind": "always `depends_on`: claim rests on premise"}),
    "relation": (
        "entity",
        "entity",
        {
            "kind": "always `relation`: the derived entity view, one edge per claim",
            "predicate": "the claim's predicate",
            "claim": "the claim's id",
            "statement": "the claim's statement",
            "level": "the claim's ES level, or None",
            "rank": "the level as a number, or None",
        },
    ),
}


def _rel(root: str, path: str) -> str:
    """A record's path relative to the resolved corpus root (resolved once per graph)."""
    try:
        return os.path.relpath(os.path.abspath(path), root)
    except ValueError:
        return path


def _claim_attrs(root: str, c: Claim) -> dict[str, Any]:
    ev = c.evidence
    return {
        "kind": "claim",
        "label": c.statement,
        "statement": c.statement,
        "claim_kind": c.kind,
        "subject": c.subject,
        "predicate": c.predicate,
        "object": c.object,
        "level": ev.level if ev else None,
        "rank": ev.rank if ev else None,
        "direction": (ev.direction or None) if ev else None,
        "indirectness": ev.indirectness if ev else "",
        "rationale": ev.rationale if ev else "",
        "n_sources": len({a.source for a in c.sources}),
        "n_references": len(ev.references) if ev else 0,
        "qualifiers": [f"{k}: {v}" for k, v in sorted(c.qualifiers.items())],
        "tags": list(c.tags),
        "review_status": c.review.status,
        "reviewer": c.review.reviewer,
        "path": _rel(root, c.origin.path),
    }


def _source_attrs(root: str, s: Source) -> dict[str, Any]:
    return {
        "kind": "source",
        "label": s.display,
        "title": s.title,
        "source_kind": s.kind,
        "is_evidence_kind": s.is_evidence_kind,
        "authors": list(s.authors),
        "published": s.published,
        "year": s.year,
        "journal": s.journal,
        "publisher": s.publisher,
        "url": s.url,
        "doi": s.doi,
        "pmid": s.pmid,
        "pmcid": s.pmcid,
        "has_snapshot": s.snapshot is not None,
        "path": _rel(root, s.origin.path),
    }


def _entity_attrs(root: str, e: Entity) -> dict[str, Any]:
    return {
        "kind": "entity",
        "label": e.label,
        "entity_type": e.type,
        "synonyms": list(e.synonyms),
        "description": e.description,
        "path": _rel(root, e.origin.path),
        "grounding": [g.curie for g in e.grounding],
        "grounding_iris": [registry.iri(g.curie) for g in e.grounding],
        "grounding_matches": [g.match for g in e.grounding],
        "ungrounded": e.ungrounded or None,
    }


def build_graph(corpus: Corpus) -> nx.MultiDiGraph:
    """Compile a corpus into a MultiDiGraph (nodes and edges added in sorted, stable order)."""
    g = nx.MultiDiGraph(name="kgraph")
    root = str(corpus.root.resolve())
    for eid in sorted(corpus.entities):
        g.add_node(eid, **_entity_attrs(root, corpus.entities[eid]))
    for sid in sorted(corpus.sources):
        g.add_node(sid, **_source_attrs(root, corpus.sources[sid]))
    for cid in sorted(corpus.claims):
        g.add_node(cid, **_claim_attrs(root, corpus.claims[cid]))
    for cid in sorted(corpus.claims):
        c = corpus.claims[cid]
        for a in c.sources:
            if a.source not in g:
                continue
            cues = find_cues(a.quote)
            g.add_edge(
                a.source,
                cid,
                key=f"asserts:{a.index}",
                kind="asserts",
                quote=a.quote,
                locator=a.locator,
                hedges=[q.text for q in cues if q.kind == "hedge"],
                boosters=[q.text for q in cues if q.kind == "booster"],
            )
        if c.evidence:
            for r in c.evidence.references:
                if r.source not in g:
                    continue
                g.add_edge(
                    r.source,
                    cid,
                    key=f"evidence:{r.index}",
                    kind="evidence",
                    direction=r.direction,
                    finding=r.finding,
                    design=corpus.design_words(r.source),
                    n=corpus.study_n(r.source),
                    population=corpus.population(r.source),
                )
        for role, target in (("subject", c.subject), ("object", c.object)):
            if target in corpus.entities:
                g.add_edge(cid, target, key=role, kind=role)
        for dep in c.depends_on:
            if dep in corpus.claims:
                g.add_edge(cid, dep, key="depends_on", kind="depends_on")
        if c.subject in corpus.entities and c.object in corpus.entities:
            g.add_edge(
                c.subject,
                c.object,
                key=cid,
                kind="relation",
                predicate=c.predicate,
                claim=cid,
                statement=c.statement,
                level=c.level,
                rank=c.rank,
            )
    return g


def load_graph(root: str | os.PathLike[str], *, allow_errors: bool = False) -> nx.MultiDiGraph:
    """Check a corpus folder and build its graph: the one-line start for a notebook."""
    return build_graph(checked_corpus(root, allow_errors=allow_errors))


def entity_view(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The entities joined by one edge per claim (subject -predicate-> object)."""
    view = nx.MultiDiGraph(name="kgraph entity view")
    for node, data in g.nodes(data=True):
        if data["kind"] == "entity":
            view.add_node(node, **data)
    for u, v, key, data in g.edges(keys=True, data=True):
        if data["kind"] == "relation":
            view.add_edge(u, v, key=key, **data)
    return view


def level_rank(level: str | None) -> int:
    """Rank for ordering, with no level (rhetoric) below ES-0."""
    rank = vocab.level_rank(level)
    return -1 if rank is None else rank


def graph_model_markdown() -> str:
    """The graph model as Markdown tables (docs/graph.md is this text)."""
    lines = [
        "# The graph model",
        "",
        "`kgraph.build_graph(corpus)` returns a `networkx.MultiDiGraph`; "
        "`kgraph.load_graph(root)` checks and builds in one call.",
        "Node ids are record ids. Generated from `kgraph/graph/model.py`; a test keeps it current.",
        "",
        "## Node kinds",
    ]
    for kind, attrs in NODE_KINDS.items():
        lines += ["", f"### `{kind}`", "", "| attribute | meaning |", "|---|---|"]
        lines += [f"| `{a}` | {d} |" for a, d in attrs.items()]
    lines += ["", "## Edge kinds", ""]
    for kind, (src, dst, attrs) in EDGE_KINDS.items():
        lines += ["", f"### `{kind}`: {src} -> {dst}", "", "| attribute | meaning |", "|---|---|"]
        lines += [f"| `{a}` | {d} |" for a, d in attrs.items()]
    return "\n".join(lines) + "\n"
