"""A page per claim, and the sortable, filterable claims table.

A claim page shows who says it (each quote in its context, linked to the snapshot), how strong
the evidence is and why, where it sits in a chain of premises, and what the audit found.
"""

from __future__ import annotations

from typing import Any

from kgraph import vocab
from kgraph.corpus.anchors import anchor_at, fragment_url
from kgraph.corpus.grade import derivation
from kgraph.corpus.model import Search
from kgraph.corpus.review import content_sha256
from kgraph.site.context import Site
from kgraph.site.links import page_path
from kgraph.site.passages import context_window, mark_text, quote_with_cues
from kgraph.site.render import Renderer


def _assertions(site: Site, cid: str) -> list[dict[str, Any]]:
    claim = site.corpus.claims[cid]
    g = site.graph
    out = []
    for a in claim.sources:
        edge = g.get_edge_data(a.source, cid, key=f"asserts:{a.index}") or {}
        passage = site.passages.by_assertion.get((cid, a.index))
        item: dict[str, Any] = {
            "source": site.corpus.sources.get(a.source),
            "source_id": a.source,
            "locator": a.locator,
            "hedges": edge.get("hedges", []),
            "boosters": edge.get("boosters", []),
            "snapshot_href": None,
            "live_href": None,
            "in_context": None,
            "quote": quote_with_cues(a.quote),
        }
        if passage is not None:
            text = site.passages.texts[a.source]
            lo, hi = context_window(text, passage)
            item["in_context"] = mark_text(text, [passage], lo=lo, hi=hi)
            item["cut_before"] = lo > 0 and text[lo - 1] != "\n"
            item["cut_after"] = hi < len(text) and text[hi] != "\n"
            item["snapshot_href"] = f"{page_path('snapshot', a.source)}#{passage.anchor}"
            item["live_href"] = _live_href(site, a.source, text, passage.start, passage.end)
        out.append(item)
    return out


def _live_href(site: Site, sid: str, text: str, start: int, end: int) -> str | None:
    """The article's live page scrolled to the passage (a URL text fragment), when its
    address is known and http(s)."""
    source = site.corpus.sources.get(sid)
    if source is None:
        return None
    url = (source.snapshot.url if source.snapshot else "") or source.url or ""
    if not url.startswith(("http://", "https://")):
        return None
    return fragment_url(url, text, anchor_at(text, start, end))


def _references(site: Site, cid: str) -> list[dict[str, Any]]:
    """The summary of findings: each reference with its study, and where its excerpt stands in
    the study's kept abstract (None when the abstract is not kept or the excerpt not found)."""
    claim = site.corpus.claims[cid]
    if claim.evidence is None:
        return []
    out = []
    for r in claim.evidence.references:
        pieces = site.passages.by_reference.get((cid, r.index))
        out.append(
            {
                "ref": r,
                "source": site.corpus.sources.get(r.source),
                "excerpt": None if r.excerpt in ("", vocab.UNKNOWN) else r.excerpt,
                "excerpt_href": f"{page_path('snapshot', r.source)}#{pieces[0].anchor}"
                if pieces
                else None,
            }
        )
    return out


# GRADE's certainty as the summary-of-findings tables print it.
CERTAINTY_SYMBOLS = {"high": "⊕⊕⊕⊕", "moderate": "⊕⊕⊕◯", "low": "⊕⊕◯◯", "very-low": "⊕◯◯◯"}


def _derivation(site: Site, cid: str) -> dict[str, Any] | None:
    """How the level was reached, step by step, for the claim page's GRADE table."""
    claim = site.corpus.claims[cid]
    d = derivation(claim, site.corpus)
    if d is None or claim.evidence is None:
        return None
    domain_labels = {t.value: t.label for t in (*vocab.DOMAINS, *vocab.UPGRADES)}
    return {
        "d": d,
        "explanation": d.explanation,
        "steps": [
            {
                "name": domain_labels.get(step.name, step.name),
                "rating": step.rating.replace("-", " "),
                "change": step.change,
                "reason": step.reason,
            }
            for step in d.steps
        ],
        "symbols": CERTAINTY_SYMBOLS.get(d.certainty or "", ""),
        "certainty": (d.certainty or "").replace("-", " "),
        "start": (d.start or "").replace("-", " "),
        "override": claim.evidence.override
        if claim.evidence.override not in ("", vocab.UNKNOWN)
        else "",
        "pending": claim.evidence.override == vocab.UNKNOWN,
        "agrees": d.level == claim.level,
    }


def _summary(site: Site, cid: str, derived: dict[str, Any] | None) -> dict[str, Any] | None:
    """The claim's evidence as one row of a GRADE summary-of-findings table: its outcomes, the
    participants and studies behind it (those that take a side), the effects reported, and the
    certainty with a footnote for each domain rated down."""
    claim = site.corpus.claims[cid]
    if claim.evidence is None or derived is None or not derived["start"]:
        return None
    testing = [r for r in claim.evidence.references if r.direction != "neutral"]
    studies = sorted({r.source for r in testing})
    sizes = [site.corpus.study_n(s) for s in studies]
    known = [n for n in sizes if isinstance(n, int)]
    participants = f"{sum(known):,}" if known else "unknown"
    if known and len(known) < len(sizes):
        participants += f" (n unknown for {len(sizes) - len(known)})"
    letters = "abcdefghij"
    moved = [step for step in derived["steps"] if step["change"]]
    return {
        "outcomes": sorted({r.outcome for r in testing if r.outcome}) or [claim.statement],
        "participants": participants,
        "studies": len(studies),
        "effects": [r.effect for r in testing if r.effect],
        "footnotes": [{"mark": letters[i % len(letters)], **step} for i, step in enumerate(moved)],
    }


def _search(site: Site, cid: str) -> Search | None:
    ev = site.corpus.claims[cid].evidence
    return ev.search if ev is not None and isinstance(ev.search, Search) else None


def write_claim_pages(r: Renderer, site: Site) -> None:
    corpus = site.corpus
    for cid in sorted(corpus.claims):
        claim = corpus.claims[cid]
        r.page(
            page_path("claim", cid),
            "claim.html",
            title=claim.statement,
            claim=claim,
            subject=corpus.entities.get(claim.subject),
            object=corpus.entities.get(claim.object),
            qualifiers=sorted(claim.qualifiers.items()),
            assertions=_assertions(site, cid),
            references=_references(site, cid),
            derived=(derived := _derivation(site, cid)),
            summary=_summary(site, cid, derived),
            search=_search(site, cid),
            sources_by_id=corpus.sources,
            premises=site.claims(claim.depends_on),
            consequences=site.claims(site.consequences.get(cid, [])),
            findings=site.findings_for_claim(cid),
            audited=site.audit is not None,
            record_path=site.rel_path(claim.origin.path),
            # The version a citation names: the hash `kgraph review` records (corpus/review.py).
            version=content_sha256(claim.content),
            level_info=vocab.LEVEL_BY_VALUE.get(claim.level or ""),
            # A flat quote is only an overclaim when the evidence is weak (the audit's rule).
            flat_overclaims=claim.rank is not None and claim.rank <= vocab.OVERCLAIM_MAX_RANK,
        )


def write_claims_table(r: Renderer, site: Site) -> None:
    corpus = site.corpus
    rows: list[dict[str, Any]] = []
    article_ids: set[str] = set()
    # In the order the header says (by statement), so that "claim ▲" is true before a click.
    by_statement = sorted(corpus.claims.values(), key=lambda c: (c.statement.casefold(), c.id))
    for c in by_statement:
        cid = c.id
        articles = [corpus.sources[s] for s in dict.fromkeys(a.source for a in c.sources)
                    if s in corpus.sources]  # fmt: skip
        # The words filter finds a claim by its entities' names as the home page's search does.
        names = [
            name
            for eid in (c.subject, c.object)
            if (e := corpus.entities.get(eid)) is not None
            for name in (e.label, *e.synonyms)
        ]
        rows.append(
            {
                "claim": c,
                "words": " ".join(dict.fromkeys(names)),
                "rank": -1 if c.rank is None else c.rank,
                "articles": articles,
                "n_sources": len(articles),
                "n_refs": len(c.evidence.references) if c.evidence else 0,
                "n_findings": len(site.claim_findings(cid)),
            }
        )
        article_ids.update(s.id for s in articles)
    r.page(
        "claims.html",
        "claims.html",
        title="All claims",
        rows=rows,
        articles=[corpus.sources[a] for a in sorted(article_ids)],
        audited=site.audit is not None,
    )
