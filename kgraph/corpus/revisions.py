"""A claim as each commit held it: the typed revisions `kgraph.history.log` reads from git,
and what the site says of a claim's review and last change from them.

Part of the corpus stage: a revision is a claim record read from a blob instead of a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kgraph.corpus.model import Claim, Corpus
from kgraph.corpus.reader import read_bytes
from kgraph.corpus.review import REVIEWED, changes, content_sha256, rests_on
from kgraph.corpus.validate import validate_record

# What a claim's page says when the corpus has no git history to read.
NOT_IN_GIT = "not in git"


@dataclass(frozen=True)
class Commit:
    """One commit as `git log` recorded it: nothing here comes from the clock or the work tree."""

    sha: str
    date: str  # the author date, ISO 8601 with the author's offset
    author: str
    subject: str

    @property
    def short(self) -> str:
        # A fixed length: git's own abbreviation grows with the object count of the clone.
        return self.sha[:12]

    @property
    def day(self) -> str:
        return self.date[:10]


@dataclass(frozen=True)
class Revision:
    """A claim file as one commit left it (`change` "deleted": as it was before that commit)."""

    commit: Commit
    path: str  # inside the repository, '/'-separated
    change: str  # "added", "changed", "deleted"
    readable: bool = True  # False: the blob is no valid claim record (nothing below is known)
    level: str | None = None
    direction: str = ""
    sources: tuple[str, ...] = ()  # the asserting sources
    references: tuple[str, ...] = ()  # the studies its evidence cites
    review: str = "draft"
    reviewer: str = ""
    content: str = ""  # the content hash a review records (review block aside)


@dataclass
class CorpusHistory:
    """Every claim's revisions, newest first, from one walk of the repository's log."""

    # None when the corpus is in a git repository; else why there is no history ("not in git").
    missing: str | None = None
    # Said beside the history when it is incomplete (a shallow clone), else "".
    note: str = ""
    revisions: dict[str, list[Revision]] = field(default_factory=dict)

    def of(self, claim_id: str) -> list[Revision]:
        return self.revisions.get(claim_id, [])

    def last_change(self, claim_id: str) -> Revision | None:
        """The newest commit that changed the claim's content (a commit that only records a
        review changes no content), else the newest commit touching it."""
        revs = self.of(claim_id)
        for i, rev in enumerate(revs):
            older = revs[i + 1] if i + 1 < len(revs) else None
            if older is None or rev.content != older.content or not rev.readable:
                return rev
        return revs[0] if revs else None


def revision_of(raw: bytes, path: str, commit: Commit, change: str) -> tuple[str, Revision]:
    """The claim id a blob records (the file's stem when it has none) and its revision. The
    blob is validated as of the commit's own date, so the clock changes nothing."""
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    data = read_bytes(raw, path).data
    if data is None:
        return stem, Revision(commit, path, change, readable=False)
    try:
        today = dt.date.fromisoformat(commit.day)
    except ValueError:
        today = dt.date.min
    cleaned, _ = validate_record("claim", data, path, today=today)
    cid = cleaned.get("id")
    evidence = cleaned.get("evidence") or {}
    review = cleaned.get("review") or {}
    refs = evidence.get("references", []) if isinstance(evidence, dict) else []
    return (cid if isinstance(cid, str) and cid else stem), Revision(
        commit,
        path,
        change,
        level=evidence.get("level") if isinstance(evidence, dict) else None,
        direction=evidence.get("direction", "") if isinstance(evidence, dict) else "",
        sources=tuple(dict.fromkeys(a.get("source", "") for a in cleaned.get("sources", []))),
        references=tuple(dict.fromkeys(r.get("source", "") for r in refs)),
        review=str(review.get("status", "draft")),
        reviewer=str(review.get("reviewer") or ""),
        content=content_sha256({k: v for k, v in cleaned.items() if k != "review"}),
    )


@dataclass(frozen=True)
class ReviewState:
    """A claim's review as its page shows it: one word, and a sentence that explains it."""

    state: str  # "draft", "current", "stale", "unhashed"
    text: str
    self_review: bool = False  # the reviewer made the last change (from git)


def review_state(corpus: Corpus, claim: Claim, history: CorpusHistory | None) -> ReviewState:
    """Whether the claim's review still holds: draft, current (nothing it rests on changed
    since), stale (and what changed), or a review with no hashes to compare."""
    review = claim.review
    if review.status != REVIEWED:
        return ReviewState(review.status, f"{review.status}: not reviewed yet")
    who = review.reviewer or "an unnamed reviewer"
    when = f" on {review.date}" if review.date else ""
    seen = f"reviewed by {who}{when}"
    if review.hashes is None:
        return ReviewState("unhashed", f"{seen}, but the review records no hashes to check")
    changed = changes(corpus, claim, review.hashes)
    if changed:
        return ReviewState("stale", f"{seen}; stale: changed since: {', '.join(changed)}")
    n = len(rests_on(claim))
    text = f"{seen}; current: the claim and the {n} source(s) it rests on are as reviewed"
    last = history.last_change(claim.id) if history is not None else None
    mine = (
        last is not None
        and bool(review.reviewer)
        and last.commit.author.casefold() == (review.reviewer or "").casefold()
    )
    if mine:
        text += "; but the reviewer made the last change to it"
    return ReviewState("current", text, self_review=mine)
