"""Reviews that mean something: the hashes a review records, and the check of them.

Part of the check stage (`Corpus` -> findings): a review is stale when the claim, a source record
or a snapshot it rests on changed since, and suspect when its reviewer made the last change.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from typing import Any

from kgraph.corpus.findings import Finding
from kgraph.corpus.model import Claim, Corpus, ReviewHashes

REVIEWED = "reviewed"


def content_sha256(values: dict[str, Any]) -> str:
    """SHA-256 of values in canonical form: JSON with sorted keys, no spaces, UTF-8. So the
    order of keys, quoting, comments and layout of the YAML change nothing; a value does."""
    text = json.dumps(
        values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rests_on(claim: Claim) -> list[str]:
    """The sources a claim rests on: its asserting sources, then its references' studies."""
    ids = [a.source for a in claim.sources]
    if claim.evidence is not None:
        ids.extend(r.source for r in claim.evidence.references)
    return list(dict.fromkeys(i for i in ids if i))


def review_hashes(corpus: Corpus, claim: Claim) -> ReviewHashes:
    """The hashes a review of the claim records now: the claim's content (its review block
    aside), each source record it rests on, and each of those sources' snapshot files."""
    sources: dict[str, str] = {}
    snapshots: dict[str, str] = {}
    for sid in rests_on(claim):
        source = corpus.sources.get(sid)
        if source is None:
            continue
        sources[sid] = content_sha256(source.content)
        text = corpus.snapshot_texts.get(sid)
        if text is not None:
            snapshots[sid] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return ReviewHashes(content_sha256(claim.content), sources, snapshots)


def changes(corpus: Corpus, claim: Claim, seen: ReviewHashes) -> list[str]:
    """What changed since a review saw `seen`, in words: the claim, source X, snapshot of Y."""
    now = review_hashes(corpus, claim)
    out = ["the claim"] if now.claim != seen.claim else []
    for kind, before, after in (
        ("source", seen.sources, now.sources),
        ("snapshot", seen.snapshots, now.snapshots),
    ):
        for sid in sorted(before.keys() | after.keys()):
            what = f"source {sid!r}" if kind == "source" else f"the snapshot of {sid!r}"
            if sid not in after:
                out.append(f"{what} (no longer {'used' if kind == 'source' else 'readable'})")
            elif sid not in before:
                out.append(f"{what} (new since the review)")
            elif before[sid] != after[sid]:
                out.append(what)
    return out


# The author of the last commit changing a file's claim content, or None (no git, no history).
AuthorOf = Callable[[Claim], str | None]


def check_reviews(corpus: Corpus, author_of: AuthorOf | None = None) -> list[Finding]:
    """review-stale, self-review and review-unhashed findings for each reviewed claim."""
    findings: list[Finding] = []
    reviewed = [c for c in corpus.claims.values() if c.review.status == REVIEWED]
    # Outside a git work tree (or without git) no claim has an author: asked once, not per claim.
    author = author_of or (last_content_author if reviewed and _in_git(corpus) else _no_author)
    for claim in sorted(reviewed, key=lambda c: c.id):
        review = claim.review
        origin = claim.origin
        where = ("review", "status")  # positions only for a finding: they re-read the file
        if review.hashes is None:
            findings.append(
                Finding(
                    "KG902",
                    origin.path,
                    *origin.at(*where),
                    f"claim {claim.id!r} is marked reviewed but records no hashes of what "
                    "the review saw",
                    f"run `kgraph review {claim.id} --by NAME` to record the review",
                )
            )
            continue
        changed = changes(corpus, claim, review.hashes)
        if changed:
            findings.append(
                Finding(
                    "KG901",
                    origin.path,
                    *origin.at(*where),
                    f"the review of {claim.id!r} is stale: changed since: {', '.join(changed)}",
                    f"review it again (`kgraph review {claim.id} --by NAME`), or set its status "
                    "to draft",
                )
            )
            continue
        who = (review.reviewer or "").strip()
        last = author(claim) if who else None
        if last is not None and last.casefold() == who.casefold():
            findings.append(
                Finding(
                    "KG903",
                    origin.path,
                    *origin.at("review", "reviewer"),
                    f"{who} reviewed claim {claim.id!r} and made the last change to it",
                    "a review is a second reader's: ask someone else to review it",
                )
            )
    return findings


def _no_author(claim: Claim) -> str | None:
    return None


def _in_git(corpus: Corpus) -> bool:
    if shutil.which("git") is None:
        return False
    inside = _git(str(corpus.root), "rev-parse", "--is-inside-work-tree")
    return inside is not None and inside.strip() == b"true"


def _git(folder: str, *args: str) -> bytes | None:
    try:
        done = subprocess.run(
            ["git", "-C", folder, *args], capture_output=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _history(path: str) -> Iterator[tuple[str, str, bytes]]:
    """(commit, author name, file content) for each commit touching the file, newest first."""
    folder, name = os.path.split(os.path.abspath(path))
    log = _git(folder, "log", "--format=%H%x09%an", "--", name)
    for line in (log or b"").decode("utf-8", "replace").splitlines():
        commit, _, author = line.partition("\t")
        raw = _git(folder, "show", f"{commit}:./{name}")
        if raw is None:
            return  # deleted in that commit: nothing older is this file's content
        yield commit, author, raw


def _claim_hash(raw: bytes, path: str) -> str | None:
    from kgraph.corpus.reader import read_bytes
    from kgraph.corpus.validate import validate_record

    data = read_bytes(raw, path).data
    if data is None:
        return None
    cleaned, _ = validate_record("claim", data, path)
    return content_sha256({k: v for k, v in cleaned.items() if k != "review"})


def last_content_author(claim: Claim) -> str | None:
    """The git author of the commit that gave the claim its present content (its review block
    aside: committing the review itself is no change to what was reviewed); None outside a git
    repository, without git, or when that content is not committed."""
    if shutil.which("git") is None:
        return None
    current = content_sha256(claim.content)
    author: str | None = None
    for _, name, raw in _history(claim.origin.path):
        if _claim_hash(raw, claim.origin.path) != current:
            break
        author = name
    return author
