"""A page per source (an article's claims and evidence profile; a study's claims), the sources
list, and a snapshot page per article with every quoted passage marked and linked to its claim.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from kgraph import vocab
from kgraph.corpus.model import Claim, CoverageEntry, Reference
from kgraph.corpus.segment import segment
from kgraph.site.context import Site
from kgraph.site.links import page_path
from kgraph.site.passages import Passage, mark_text
from kgraph.site.render import Renderer


@dataclass
class MappedSegment:
    """A line of an article's coverage map as its page lists it: the segment and its verdict."""

    entry: CoverageEntry
    claims: list[Claim]

    @property
    def verdict(self) -> str:
        return "claims" if self.claims else "not-a-claim" if self.entry.not_a_claim else "pending"


def coverage_rows(site: Site, sid: str) -> list[MappedSegment]:
    """The article's sentences in order with their claims, not-a-claim reasons or pending
    claims, as its coverage map gives them (none when it has no map)."""
    cov = site.corpus.coverage.get(sid)
    if cov is None:
        return []
    claims = site.corpus.claims
    return [
        MappedSegment(e, [claims[cid] for cid in e.claims or [] if cid in claims])
        for e in cov.entries
    ]


@dataclass
class TextSection:
    """A stretch of an article between two of its headings, with the claims first quoted there."""

    anchor: str
    title: str
    claims: list[Claim]


def claims_in_text_order(site: Site, sid: str, claims: list[Claim]) -> list[TextSection]:
    """The article's claims in the order the article makes them (each at its first located
    quote), under the article's own headings; claims with no located quote come last."""
    text = site.passages.texts.get(sid)
    first: dict[str, int] = {}
    for claim in claims:
        starts = [
            p.start
            for a in claim.sources
            if a.source == sid and (p := site.passages.by_assertion.get((claim.id, a.index)))
        ]
        if starts:
            first[claim.id] = min(starts)
    headings = [(g.start, g.text) for g in segment(text) if g.block == "heading"] if text else []
    sections: list[TextSection] = []
    titles = ["Before the first heading", *(t for _, t in headings)]
    bounds = [0, *(start for start, _ in headings)]
    placed = sorted(first, key=lambda cid: (first[cid], cid))
    by_id = {c.id: c for c in claims}
    for k, title in enumerate(titles):
        hi = bounds[k + 1] if k + 1 < len(bounds) else None
        here = [
            by_id[cid]
            for cid in placed
            if first[cid] >= bounds[k] and (hi is None or first[cid] < hi)
        ]
        if here:
            sections.append(TextSection(f"sec-{k}", title, here))
    rest = [c for c in claims if c.id not in first]
    if rest:
        sections.append(TextSection("sec-unlocated", "Quotes not located in the snapshot", rest))
    return sections


def write_source_pages(r: Renderer, site: Site) -> None:
    corpus = site.corpus
    for sid in sorted(corpus.sources):
        source = corpus.sources[sid]
        asserted = site.claims(site.asserted_by_source.get(sid, []))
        quotes = {c.id: [a for a in c.sources if a.source == sid] for c in asserted}
        evidence = []
        for c in site.claims(site.evidence_by_source.get(sid, [])):
            refs = [
                ref for ref in (c.evidence.references if c.evidence else []) if ref.source == sid
            ]
            evidence += [(c, ref) for ref in refs]
        card = site.audit.scorecards.get(sid) if site.audit else None
        findings = site.findings_for_source(sid)
        r.page(
            page_path("source", sid),
            "source.html",
            title=source.display,
            source=source,
            asserted=asserted,
            quotes=quotes,
            in_text_order=claims_in_text_order(site, sid, asserted),
            passages=site.passages.by_assertion,
            evidence=evidence,
            # The chart is built by kgraph.site.charts, which escapes every corpus text it draws.
            profile=site.evidence_profile(sid) if asserted else None,
            scorecard=card,
            weakest=site.claims(card.weakest) if card else [],
            findings=findings,
            audited=site.audit is not None,
            has_snapshot=sid in site.passages.texts,
            coverage=coverage_rows(site, sid),
            neighbourhood=sid in site.neighbourhoods,
            record_path=site.rel_path(source.origin.path),
        )


def write_sources_list(r: Renderer, site: Site) -> None:
    """Two sortable tables: the articles under audit, then the studies and documents cited."""
    rows = [
        {
            "id": sid,
            "source": s,
            "n_asserted": len(site.asserted_by_source.get(sid, [])),
            "n_evidence": len(site.evidence_by_source.get(sid, [])),
            "n": site.corpus.study_n(sid),
        }
        for sid, s in sorted(
            site.corpus.sources.items(), key=lambda kv: (kv[1].display.casefold(), kv[0])
        )
    ]
    cited = {sid for sid, s in site.corpus.sources.items() if s.is_evidence_kind}
    articles = [row for row in rows if row["id"] not in cited]
    studies = [row for row in rows if row["id"] in cited]
    r.page("sources.html", "sources.html", title="Sources", articles=articles, studies=studies)


def _unlocated_excerpts(site: Site, sid: str) -> list[tuple[Claim, Reference]]:
    """References whose excerpt of this source is not found in its kept text (the check
    reports each, KG701); the snapshot page lists them rather than marking nothing silently."""
    out = []
    for cid in site.evidence_by_source.get(sid, []):
        claim = site.corpus.claims[cid]
        for r in claim.evidence.references if claim.evidence else []:
            if r.source != sid or r.excerpt in ("", vocab.UNKNOWN):
                continue
            if (cid, r.index) not in site.passages.by_reference:
                out.append((claim, r))
    return out


def marked_article(text: str, passages: list[Passage], after: dict[Passage, Markup]) -> Markup:
    """An article's snapshot marked up, its own title and headings set as headings (h2, h3)
    rather than body text; the blank lines around a heading are its margins."""
    out: list[Markup] = []
    at = 0
    for g in segment(text):
        if g.block not in ("title", "heading"):
            continue
        hi = g.start
        while hi > at and text[hi - 1] == "\n":
            hi -= 1
        if hi > at:
            out.append(mark_text(text, passages, lo=at, hi=hi, anchors=True, after=after))
        tag = "h2" if g.block == "title" else "h3"
        inner = mark_text(text, passages, lo=g.start, hi=g.end, anchors=True, after=after)
        out.append(Markup(f'<{tag} class="snap-{g.block}">{inner}</{tag}>'))
        at = g.end
        while at < len(text) and text[at] == "\n":
            at += 1
    out.append(mark_text(text, passages, lo=at, anchors=True, after=after))
    return Markup("").join(out)


def write_snapshot_pages(r: Renderer, site: Site) -> None:
    corpus = site.corpus
    for sid in sorted(site.passages.texts):
        source = corpus.sources.get(sid)
        if source is None:
            continue
        text = site.passages.texts[sid]
        passages = site.passages.by_source.get(sid, [])
        # Claims numbered in order of their first quote in the text, like footnotes.
        numbers: dict[str, int] = {}
        for p in passages:
            numbers.setdefault(p.claim, len(numbers) + 1)
        after: dict[Passage, Markup] = {}
        for p in passages:
            claim = corpus.claims[p.claim]
            # An excerpt links to its row in the claim's summary of findings.
            target = f"#ref-{p.index}" if p.kind == "excerpt" else ""
            after[p] = Markup(
                f'<sup class="qref"><a href="../{page_path("claim", p.claim)}{target}" '
                f'title="{escape(claim.statement)}">[{numbers[p.claim]}]</a></sup>'
            )
        located = {(p.claim, p.index) for p in passages}
        missing = [
            (corpus.claims[cid], a)
            for cid in site.asserted_by_source.get(sid, [])
            for a in corpus.claims[cid].sources
            if a.source == sid and (cid, a.index) not in located
        ]
        r.page(
            page_path("snapshot", sid),
            "snapshot.html",
            title=f"Snapshot: {source.display}",
            source=source,
            # A study's abstract is kept as one block; an article's headings are its own.
            body=mark_text(text, passages, anchors=True, after=after)
            if source.snapshot and source.snapshot.part in ("abstract", "section")
            else marked_article(text, passages, after),
            footnotes=[(n, corpus.claims[cid]) for cid, n in numbers.items()],
            missing=missing,
            # A study's kept abstract (or a label's section): its excerpts marked, not quotes.
            part=source.snapshot.part if source.snapshot else "",
            unlocated=_unlocated_excerpts(site, sid),
        )
