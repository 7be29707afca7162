"""What a team needs to trust a claim page: its review state, its last change and a history page
per claim (from `CorpusHistory`, read from git commits only), and the withdrawn studies it rests on.

The claim and source templates reach these through the globals `claim_review`, `claim_withdrawn`
and `source_notices`, shown by their own partials (`_review.html`, `_withdrawn.html`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kgraph.corpus.retractions import Notice
from kgraph.corpus.review import rests_on
from kgraph.corpus.revisions import NOT_IN_GIT, Revision, review_state
from kgraph.site.context import Site
from kgraph.site.links import page_path
from kgraph.site.render import Renderer

HISTORY = "history"


def history_path(claim_id: str) -> str:
    return page_path(HISTORY, claim_id)


@dataclass(frozen=True)
class HistoryRow:
    """One revision as the history page lists it, with what moved since the one before."""

    rev: Revision
    level_moved: bool
    direction_moved: bool
    sources_added: tuple[str, ...]
    sources_dropped: tuple[str, ...]
    content_changed: bool


def history_rows(revs: list[Revision]) -> list[HistoryRow]:
    """The revisions newest first, each compared with the one before it in time."""
    rows = []
    for i, rev in enumerate(revs):
        old = revs[i + 1] if i + 1 < len(revs) else None
        was = set(old.sources + old.references) if old else set()
        now = set(rev.sources + rev.references)
        rows.append(
            HistoryRow(
                rev,
                level_moved=old is not None and old.level != rev.level,
                direction_moved=old is not None and old.direction != rev.direction,
                sources_added=tuple(sorted(now - was)) if old else (),
                sources_dropped=tuple(sorted(was - now)),
                content_changed=old is None or old.content != rev.content,
            )
        )
    return rows


def claim_review(site: Site, cid: str) -> dict[str, Any]:
    """The claim page's review box: the review state and the last change, from git."""
    claim = site.corpus.claims[cid]
    history = site.history
    state = review_state(site.corpus, claim, history)
    box: dict[str, Any] = {"state": state, "last": None, "revisions": 0, "href": None}
    if history is None:
        box["missing"] = "no history was read for this build"
    elif history.missing:
        box["missing"] = history.missing
    else:
        revs = history.of(cid)
        box["missing"] = "" if revs else "in no commit yet"
        box["last"] = history.last_change(cid)
        box["revisions"] = len(revs)
        box["href"] = history_path(cid) if revs else None
        box["note"] = history.note
    box.setdefault("note", "")
    return box


def claim_withdrawn(site: Site, cid: str) -> list[tuple[str, Notice]]:
    """(source id, notice) for each source the claim rests on that the pinned list names."""
    claim = site.corpus.claims[cid]
    out = []
    for sid in rests_on(claim):
        source = site.corpus.sources.get(sid)
        if source is not None:
            out += [
                (sid, n) for n in site.retractions.for_source(source) if n.nature != "reinstatement"
            ]
    return out


def source_notices(site: Site, sid: str) -> list[tuple[str, Notice]]:
    """("", notice) for each notice about the source's own paper (the partial's shape); a
    reinstatement is no warning."""
    source = site.corpus.sources.get(sid)
    if source is None:
        return []
    return [("", n) for n in site.retractions.for_source(source) if n.nature != "reinstatement"]


def install(r: Renderer, site: Site) -> None:
    """Give the templates the review, history and withdrawn-evidence lookups of this site."""
    r.env.globals.update(
        claim_review=lambda cid: claim_review(site, cid),
        claim_withdrawn=lambda cid: claim_withdrawn(site, cid),
        source_notices=lambda sid: source_notices(site, sid),
        retraction_list=site.retractions,
    )


def write_history_pages(r: Renderer, site: Site) -> None:
    """A page per claim with a git history: each revision's level, direction and sources, with
    its commit, date, author and message, newest first."""
    history = site.history
    if history is None or history.missing:
        return
    for cid in sorted(site.corpus.claims):
        revs = history.of(cid)
        if not revs:
            continue
        claim = site.corpus.claims[cid]
        r.page(
            history_path(cid),
            "history.html",
            title=f"History: {claim.statement}",
            claim=claim,
            rows=history_rows(revs),
            note=history.note,
            not_in_git=NOT_IN_GIT,
        )
