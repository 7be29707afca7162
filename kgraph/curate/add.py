"""`kgraph add ARTICLE`: the article's snapshot and source record written into the corpus, and
its proposals into one YAML file beside it; nothing else is changed.

Reads the article (`kgraph.curate.article`), proposes (`kgraph.curate.propose`), writes new
files only: an existing file is left alone when it holds the same bytes, and refused otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kgraph import vocab
from kgraph.corpus.load import find_corpus, load
from kgraph.corpus.model import Corpus
from kgraph.corpus.schema import FOLDERS, SNAPSHOT_FOLDER
from kgraph.corpus.segment import segment
from kgraph.curate.article import TIMEOUT, Article, read_article
from kgraph.curate.propose import MERGE, Progress, Proposal, propose, render
from kgraph.curate.records import slug, source_text
from kgraph.outputs import safe_file
from kgraph.writers.find import ClaimIndex

# Words of the title an article's id keeps ("article-004-what-ketamine-does-brain").
ID_WORDS = 5


class AddRefused(ValueError):
    """The article cannot be added: a file in the way, a bad id, an unreadable article."""


@dataclass
class Added:
    """What `add_article` did."""

    source_id: str
    snapshot: Path
    proposals_file: Path
    proposals: list[Proposal]
    written: list[Path] = field(default_factory=list)  # the files it created
    reused: bool = False  # the corpus already held this snapshot (and its source record)

    def count(self, action: str) -> int:
        return sum(1 for p in self.proposals if p.action == action)


def next_article_id(corpus: Corpus, title: str, fallback: str) -> str:
    """article-NNN-<title words>, NNN one above the corpus's highest article number."""
    numbers = [int(m.group(1)) for sid in corpus.sources if (m := re.match(r"article-(\d+)-", sid))]
    n = max(numbers, default=-1) + 1
    words = slug(title if title != vocab.UNKNOWN else fallback, ID_WORDS) or "untitled"
    return f"article-{n:03d}-{words}"


def source_for(corpus: Corpus, digest: str) -> str | None:
    """The source whose snapshot has this SHA-256, if the corpus holds one."""
    return next(
        (
            sid
            for sid, s in sorted(corpus.sources.items())
            if s.snapshot is not None and s.snapshot.sha256 == digest
        ),
        None,
    )


def source_record(article: Article, source_id: str, kind: str, snapshot: str, digest: str) -> str:
    where = "the page" if article.url != vocab.UNKNOWN else f"the file {Path(article.origin).name}"
    return source_text(
        source_id,
        title=article.title,
        kind=kind,
        authors=article.authors or None,
        published=article.published,
        publisher=article.site,
        url=article.url,
        accessed=article.accessed,
        snapshot=(snapshot, digest),
        notes=f"Added with `kgraph add` from {where}; text extracted with {article.extractor}. "
        "Title, publisher, authors and date as the page states them, `unknown` where it does not.",
    )


def write_new(path: Path, text: str, written: list[Path]) -> None:
    """Create the file; a file already there is kept when it holds these bytes, else refused."""
    data = text.encode("utf-8")
    if path.exists() or path.is_symlink():
        if path.is_file() and path.read_bytes() == data:
            return
        raise AddRefused(f"{path} exists and differs: kgraph add never overwrites a file")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as fh:
        fh.write(data)
    written.append(path)


def default_proposals_file(base: Path, source_id: str) -> Path:
    """Beside the corpus folder (its project folder), never among the records."""
    return base.parent / f"{source_id}.proposals.yaml"


def add_article(
    root: str | os.PathLike[str],
    where: str,
    *,
    out: str | os.PathLike[str] | None = None,
    source_id: str | None = None,
    kind: str = "marketing",
    today: dt.date | None = None,
    timeout: float = TIMEOUT,
    progress: Progress | None = None,
    on_segments: Callable[[int], None] | None = None,
) -> Added:
    """Add the article at `where` (a file or an http(s) URL) to the corpus at `root`.

    Raises AddRefused (and ArticleError, a subclass of ValueError) saying why; CorpusNotFound
    as loading does. Same article, same corpus and same day: byte-identical files.
    """
    if kind not in vocab.NON_EVIDENCE_SOURCE_KINDS:
        raise AddRefused(f"an article's kind is one of {sorted(vocab.NON_EVIDENCE_SOURCE_KINDS)}")
    if source_id is not None and not vocab.ID_PATTERN.match(source_id):
        raise AddRefused(f"{source_id!r} is no id: lower-case letters, digits and hyphens")
    base = find_corpus(root)
    article = read_article(where, timeout=timeout, today=today)
    corpus = load(base)
    digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    existing = source_for(corpus, digest)
    reused = existing is not None and source_id in (None, existing)
    snap = corpus.sources[existing].snapshot if existing is not None and reused else None
    if existing is not None and snap is not None:
        sid, snapshot_rel = existing, snap.path
    else:
        reused = False
        sid = source_id or next_article_id(corpus, article.title, Path(where.rstrip("/")).stem)
        snapshot_rel = f"{SNAPSHOT_FOLDER}/{sid}.txt"
    if not reused and corpus.record(sid) is not None:
        raise AddRefused(f"the id {sid!r} is taken: give another with --id")
    target = Path(out) if out is not None else default_proposals_file(base, sid)
    proposals_file = safe_file(target, corpus_root=base, what="the proposals file")
    index = ClaimIndex(corpus)
    if on_segments is not None:
        on_segments(len(segment(article.text)))
    proposals = propose(corpus, article.text, index=index, progress=progress)
    claim_files = {}
    for p in proposals:
        for m in p.matches:
            claim = corpus.claims[m.claim_id]
            file = Path(getattr(claim.origin, "file", claim.origin.path))
            claim_files[m.claim_id] = hashlib.sha256(file.read_bytes()).hexdigest()
    text = render(
        proposals,
        source_id=sid,
        snapshot=snapshot_rel,
        sha256=digest,
        extractor=article.extractor,
        claim_files=claim_files,
    )
    written: list[Path] = []
    snapshot_file = base / snapshot_rel
    if proposals_file.exists() and proposals_file.read_bytes() != text.encode("utf-8"):
        raise AddRefused(
            f"{proposals_file} exists and differs (edited proposals?): remove it or give -o FILE"
        )
    if not reused:
        write_new(snapshot_file, article.text, written)
        record = source_record(article, sid, kind, snapshot_rel, digest)
        write_new(base / FOLDERS["source"] / f"{sid}.yaml", record, written)
    # A curator may be editing an earlier proposals file: it is never written over.
    write_new(proposals_file, text, written)
    return Added(sid, snapshot_file, proposals_file, proposals, written, reused)


__all__ = ["MERGE", "AddRefused", "Added", "add_article"]
