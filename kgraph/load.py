"""Loading a corpus: find the record files, read and validate each, build typed records.

`load(root)` is the library's entry point to the flow: folder -> `Corpus` (records plus the
findings of reading and field validation). Cross-record checks come after, in `kgraph.check`.
Files are independent here, so a large corpus is read on all cores.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgraph import vocab
from kgraph.findings import Finding
from kgraph.model import (
    Assertion,
    Claim,
    Corpus,
    Entity,
    Evidence,
    Origin,
    Reference,
    Review,
    Snapshot,
    Source,
)
from kgraph.reader import LocDict, read_file
from kgraph.schema import FOLDERS, RECORD_TYPES
from kgraph.validate import validate_record

MAX_SNAPSHOT_BYTES = 20_000_000
# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 2000


class CorpusNotFound(Exception):
    """The folder given holds no corpus (an unreadable root: exit 2 in the CLI)."""


def find_corpus(root: str | os.PathLike[str]) -> Path:
    """The corpus folder for ROOT: ROOT itself, or ROOT/claims for a project folder."""
    base = Path(root)
    if not base.is_dir():
        raise CorpusNotFound(f"{base} is not a folder")
    if any((base / FOLDERS[t]).is_dir() for t in ("source", "entity")):
        return base
    nested = base / "claims"
    if nested.is_dir() and any((nested / FOLDERS[t]).is_dir() for t in RECORD_TYPES):
        return nested
    if (base / FOLDERS["claim"]).is_dir():
        return base
    raise CorpusNotFound(
        f"{base} holds no corpus: expected folders claims/, sources/ and entities/ "
        "(or a project folder with claims/ inside)"
    )


def display_path(path: Path) -> str:
    """How findings name a file: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass
class FileResult:
    """What one record file gave: its cleaned values and located data, or only findings."""

    record_type: str
    path: str
    stem: str
    cleaned: dict[str, Any] | None = None
    data: LocDict | None = None
    findings: list[Finding] = field(default_factory=list)


def load_file(record_type: str, file: str, path: str, today: dt.date) -> FileResult:
    """Read and validate one record file. Pure: the unit of parallel work and of caching."""
    stem = Path(file).stem
    result = FileResult(record_type, path, stem)
    read = read_file(file, path)
    result.findings.extend(read.findings)
    if read.data is None:
        return result
    cleaned, problems = validate_record(record_type, read.data, path, today)
    result.findings.extend(problems)
    record_id = cleaned.get("id")
    if isinstance(record_id, str) and record_id != stem:
        line, col = read.data.value_pos["id"]
        result.findings.append(
            Finding(
                "KG206",
                path,
                line,
                col,
                f"the id {record_id!r} differs from the file name {stem!r}",
                f"rename the file to {record_id}.yaml, or the id to {stem}",
            )
        )
    result.cleaned = cleaned
    result.data = read.data
    return result


def _load_files(jobs: list[tuple[str, str, str, dt.date]], workers: int | None) -> list[FileResult]:
    if workers is None:
        workers = (os.cpu_count() or 1) if len(jobs) >= PARALLEL_THRESHOLD else 1
    if workers <= 1:
        return [load_file(*job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        chunk = max(1, len(jobs) // (workers * 8))
        return list(pool.map(load_file, *zip(*jobs, strict=True), chunksize=chunk))


def _known(value: Any) -> Any:
    return None if value == vocab.UNKNOWN else value


def _source(c: dict[str, Any], origin: Origin, rid: str) -> Source:
    snap = c.get("snapshot") or {}
    authors = c.get("authors")
    return Source(
        id=rid,
        title=_known(c.get("title")),
        kind=c.get("kind", ""),
        authors=authors if isinstance(authors, list) else [],
        published=_known(c.get("published")),
        origin=origin,
        label=c.get("label"),
        publisher=_known(c.get("publisher")),
        url=_known(c.get("url")),
        accessed=_known(c.get("accessed")),
        journal=c.get("journal"),
        volume=c.get("volume"),
        issue=c.get("issue"),
        pages=c.get("pages"),
        doi=c.get("doi"),
        pmid=c.get("pmid"),
        pmcid=c.get("pmcid"),
        snapshot=Snapshot(snap["path"], snap["sha256"])
        if "path" in snap and "sha256" in snap
        else None,
        notes=c.get("notes", ""),
    )


def _entity(c: dict[str, Any], origin: Origin, rid: str) -> Entity:
    return Entity(
        id=rid,
        label=c.get("label", rid),
        type=c.get("type", ""),
        origin=origin,
        synonyms=c.get("synonyms", []),
        description=c.get("description", ""),
        xrefs=c.get("xrefs", {}),
    )


def _claim(c: dict[str, Any], origin: Origin, rid: str) -> Claim:
    sources = [
        Assertion(a.get("source", ""), a.get("quote", ""), a.get("locator", ""), i)
        for i, a in enumerate(c.get("sources", []))
    ]
    evidence = None
    ev = c.get("evidence")
    if ev and "level" in ev:
        evidence = Evidence(
            level=ev["level"],
            direction=ev.get("direction", ""),
            rationale=ev.get("rationale", ""),
            indirectness=ev.get("indirectness", ""),
            references=[
                Reference(
                    source=r.get("source", ""),
                    finding=r.get("finding", ""),
                    design=r.get("design", ""),
                    direction=r.get("direction", ""),
                    index=i,
                    n=r.get("n"),
                    population=r.get("population", ""),
                )
                for i, r in enumerate(ev.get("references", []))
            ],
        )
    rv = c.get("review") or {}
    return Claim(
        id=rid,
        statement=c.get("statement", ""),
        kind=c.get("kind", ""),
        subject=c.get("subject", ""),
        predicate=c.get("predicate", ""),
        object=c.get("object", ""),
        origin=origin,
        sources=sources,
        evidence=evidence,
        qualifiers=c.get("qualifiers", {}),
        depends_on=c.get("depends_on", []),
        tags=c.get("tags", []),
        review=Review(
            status=rv.get("status", "draft"),
            reviewer=rv.get("reviewer"),
            date=rv.get("date"),
            notes=rv.get("notes", ""),
        ),
    )


_BUILDERS = {"claim": _claim, "source": _source, "entity": _entity}
_TABLES = {"claim": "claims", "source": "sources", "entity": "entities"}


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def _load_snapshot(corpus: Corpus, source: Source) -> None:
    snap = source.snapshot
    if snap is None:
        return
    origin = source.origin
    pos = origin.at("snapshot", "path")
    rel = Path(snap.path)
    root = corpus.root.resolve()
    target = (corpus.root / rel).resolve()
    if rel.is_absolute() or not _inside(target, root):
        corpus.findings.append(
            Finding(
                "KG404",
                origin.path,
                *pos,
                f"snapshot path {snap.path!r} points outside the corpus folder",
                "keep snapshots in the corpus's snapshots/ folder and give a relative path",
            )
        )
        return
    if not target.is_file():
        corpus.findings.append(
            Finding(
                "KG402",
                origin.path,
                *pos,
                f"snapshot {snap.path!r} does not exist",
                f"expected it at {display_path(corpus.root / rel)}",
            )
        )
        return
    if target.stat().st_size > MAX_SNAPSHOT_BYTES:
        corpus.findings.append(
            Finding("KG105", origin.path, *pos, f"snapshot {snap.path!r} is too large to check")
        )
        return
    raw = target.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != snap.sha256:
        corpus.findings.append(
            Finding(
                "KG403",
                origin.path,
                *origin.at("snapshot", "sha256"),
                f"snapshot {snap.path!r} has changed: its SHA-256 is {digest}",
                "a snapshot is the text as retrieved; if the change is deliberate, record the "
                "new hash and re-check every quote",
            )
        )
    try:
        corpus.snapshot_texts[source.id] = raw.decode("utf-8")
    except UnicodeDecodeError:
        corpus.findings.append(
            Finding("KG102", origin.path, *pos, f"snapshot {snap.path!r} is not UTF-8 text")
        )


def load(
    root: str | os.PathLike[str],
    *,
    today: dt.date | None = None,
    workers: int | None = None,
) -> Corpus:
    """Load a corpus folder (or a project folder with claims/ inside) into typed records."""
    base = find_corpus(root)
    today = today or dt.date.today()
    corpus = Corpus(root=base)
    jobs: list[tuple[str, str, str, dt.date]] = []
    for record_type in RECORD_TYPES:
        folder = base / FOLDERS[record_type]
        if not folder.is_dir():
            continue
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            file = Path(entry.path)
            if entry.name.startswith("."):
                continue
            if file.suffix not in (".yaml", ".yml"):
                if entry.name.lower() != "readme.md":
                    corpus.findings.append(
                        Finding(
                            "KG113",
                            display_path(file),
                            0,
                            0,
                            f"{entry.name} is not a .yaml record and is ignored",
                        )
                    )
                continue
            jobs.append((record_type, entry.path, display_path(file), today))
    seen: dict[str, str] = {}
    for result in _load_files(jobs, workers):
        corpus.findings.extend(result.findings)
        if result.cleaned is None:
            continue
        rid = result.cleaned.get("id") or result.stem
        origin = Origin(result.path, result.data)
        if rid in seen:
            line, col = origin.at("id")
            corpus.findings.append(
                Finding(
                    "KG304",
                    result.path,
                    line,
                    col,
                    f"duplicate id {rid!r}: also used by {seen[rid]}",
                    "ids are unique across claims, sources and entities",
                    related=(seen[rid],),
                )
            )
            continue
        seen[rid] = result.path
        record = _BUILDERS[result.record_type](result.cleaned, origin, rid)
        getattr(corpus, _TABLES[result.record_type])[rid] = record
    for source in corpus.sources.values():
        _load_snapshot(corpus, source)
    return corpus
