"""The built site as an RO-Crate: `ro-crate-metadata.json` describing the corpus it was built
from, each export (format, readers, size, SHA-256) and the site's pages.

Written by `kgraph build` last, over the finished staging folder, so sizes and hashes are those
of the files shipped. Reproducible: no build time is recorded; the crate's date is the newest
day the corpus records (a review, a snapshot seen, a page accessed).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from kgraph import vocab
from kgraph.corpus.model import Corpus

RO_CRATE = "https://w3id.org/ro/crate/1.3"
METADATA = "ro-crate-metadata.json"
LICENCE = "https://spdx.org/licenses/MIT"  # the project's (pyproject.toml: MIT)
# Media types by file ending, for the exports and pages the crate lists.
MEDIA_TYPES = {
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".jsonl": "application/jsonl",
    ".graphml": "application/graphml+xml",
    ".gexf": "application/gexf+xml",
    ".ttl": "text/turtle",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".html": "text/html",
}
PAGE_FOLDERS = {
    "claim/": "A page per claim: who says it, the evidence and its grade, premises, audit.",
    "source/": "A page per source: its claims, evidence profile and scorecard.",
    "entity/": "A page per entity and the claims about it.",
    "snapshot/": "A page per kept article snapshot, every quoted passage marked.",
}


def _newest_day(corpus: Corpus) -> str | None:
    days: list[str] = []
    for claim in corpus.claims.values():
        days.append(claim.review.date or "")
    for source in corpus.sources.values():
        days.append(source.accessed or "")
        if source.snapshot is not None:
            days.append(source.snapshot.seen)
    full = [d for d in days if vocab.DATE_PATTERN.match(d or "") and len(d) == 10]
    return max(full) if full else None


def _file(site: Path, rel: str, name: str, description: str) -> dict[str, Any]:
    data = (site / rel).read_bytes()
    entity: dict[str, Any] = {
        "@id": rel,
        "@type": "File",
        "name": name,
        "description": description,
        "contentSize": str(len(data)),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    media = MEDIA_TYPES.get(Path(rel).suffix)
    if media:
        entity["encodingFormat"] = media
    return entity


def crate_metadata(corpus: Corpus, site: Path) -> dict[str, Any]:
    """The RO-Crate metadata of a built site folder."""
    from kgraph.exports import FORMATS

    parts: list[dict[str, Any]] = []
    nested: set[str] = set()  # listed by a folder's entity, not the root's
    exports = site / "exports"
    for fmt in FORMATS.values():
        path = exports / fmt.filename
        description = f"The graph as {fmt.name}; read by {fmt.readers}."
        if path.is_file():
            parts.append(_file(site, f"exports/{fmt.filename}", fmt.filename, description))
        elif path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            members = [
                _file(
                    site, p.relative_to(site).as_posix(), p.name, f"Part of the {fmt.name} export."
                )
                for p in files
            ]
            parts.append(
                {
                    "@id": f"exports/{fmt.filename}/",
                    "@type": "Dataset",
                    "name": fmt.filename,
                    "description": description,
                    "hasPart": [{"@id": m["@id"]} for m in members],
                }
            )
            parts.extend(members)
            nested.update(m["@id"] for m in members)
    for page in sorted(p.name for p in site.glob("*.html")):
        parts.append(_file(site, page, page, "A page of the site."))
    for folder, description in PAGE_FOLDERS.items():
        if (site / folder).is_dir():
            pages = sum(1 for _ in (site / folder).glob("*.html"))
            parts.append(
                {
                    "@id": folder,
                    "@type": "Dataset",
                    "name": folder.rstrip("/"),
                    "description": f"{description} {pages} pages.",
                }
            )
    snapshots = sum(1 for s in corpus.sources.values() if s.snapshot is not None)
    root: dict[str, Any] = {
        "@id": "./",
        "@type": "Dataset",
        "name": "kgraph: claims from popular articles, their sources and evidence",
        "description": (
            f"A static site and exports of {len(corpus.claims)} claims, {len(corpus.sources)} "
            f"sources and {len(corpus.entities)} entities, each claim with its verbatim quotes "
            "and graded evidence, built by kgraph from its checked corpus."
        ),
        "license": {"@id": LICENCE},
        "isBasedOn": {"@id": "#corpus"},
        "mainEntity": {"@id": "index.html"} if (site / "index.html").is_file() else None,
        "hasPart": [{"@id": p["@id"]} for p in parts if p["@id"] not in nested],
    }
    if root["mainEntity"] is None:
        del root["mainEntity"]
    day = _newest_day(corpus)
    if day:
        root["datePublished"] = day
    corpus_entity = {
        "@id": "#corpus",
        "@type": "Dataset",
        "name": "The kgraph corpus",
        "description": (
            f"YAML records checked by `kgraph check`: {len(corpus.claims)} claims, "
            f"{len(corpus.sources)} sources, {len(corpus.entities)} entities, {snapshots} "
            "article snapshots pinned by SHA-256."
        ),
    }
    descriptor = {
        "@id": METADATA,
        "@type": "CreativeWork",
        "conformsTo": {"@id": RO_CRATE},
        "about": {"@id": "./"},
    }
    return {"@context": f"{RO_CRATE}/context", "@graph": [descriptor, root, corpus_entity, *parts]}


def write_crate(corpus: Corpus, site: Path) -> Path:
    """Write `ro-crate-metadata.json` into a built site folder (the staging folder of a build)."""
    path = site / METADATA
    doc = crate_metadata(corpus, site)
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
