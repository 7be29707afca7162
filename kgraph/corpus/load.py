"""Loading a corpus: find the record files, read and validate each, build typed records.

`load(root)` is the library's entry point to the flow: folder -> `Corpus` (records plus the
findings of reading and field validation). Cross-record checks come after, in `kgraph.corpus.check`.
Files are independent here, so a large corpus is read on all cores.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import pickle
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgraph import vocab
from kgraph.corpus.cache import Entry, Fingerprint, LoadCache, default_dir, fingerprint
from kgraph.corpus.findings import Finding
from kgraph.corpus.model import (
    Assertion,
    Claim,
    Corpus,
    Coverage,
    CoverageEntry,
    Entity,
    Evidence,
    Excluded,
    Grounding,
    Origin,
    Rating,
    Reference,
    Review,
    ReviewHashes,
    Search,
    Snapshot,
    Source,
    Study,
)
from kgraph.corpus.reader import MAX_RECORD_BYTES, LocDict, read_bytes, read_file, read_file_raw
from kgraph.corpus.schema import COVERAGE, FOLDERS, FORMATS, RECORD_TYPES
from kgraph.corpus.validate import validate_record

MAX_SNAPSHOT_BYTES = 20_000_000
# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 2000


class CorpusNotFound(Exception):
    """The folder given holds no corpus (an unreadable root: exit 2 in the CLI)."""


class RootConflict(CorpusNotFound):
    """The corpus was named twice (as ROOT and as --root) and the two differ: no one root."""


def one_root(*given: str | os.PathLike[str] | None) -> Path:
    """The corpus root a command was given: the folder named (the same folder may be named more
    than once, as ROOT and --root), or the working folder, from which `find_corpus` walks up.

    Raises RootConflict when two of the names lead to different folders.
    """
    named = [Path(g) for g in given if g is not None]
    if len({os.path.realpath(p) for p in named}) > 1:
        raise RootConflict(
            f"the corpus is named twice, as {named[0]} and {named[1]}: give one (--root DIR)"
        )
    return named[0] if named else Path(".")


def _corpus_at(base: Path) -> Path | None:
    """The corpus a folder is, or holds as claims/ (a project folder); None if neither."""
    if any((base / FOLDERS[t]).is_dir() for t in ("source", "entity")):
        return base
    nested = base / "claims"
    if nested.is_dir() and any((nested / FOLDERS[t]).is_dir() for t in RECORD_TYPES):
        return nested
    if (base / FOLDERS["claim"]).is_dir():
        return base
    return None


def find_corpus(root: str | os.PathLike[str]) -> Path:
    """The corpus folder for ROOT: ROOT itself, ROOT/claims for a project folder, or, as git
    finds a repository, the first folder above ROOT that is one of these (so any command works
    from `claims/claims/` or `docs/`).

    Raises CorpusNotFound when ROOT is not a folder, no corpus is found, or its record
    folders hold no record file: checking nothing must not pass as a clean check.
    """
    base = Path(root)
    where = os.path.abspath(base)
    if not base.is_dir():
        raise CorpusNotFound(f"{where} is not a folder")
    found = _corpus_at(base)
    if found is None:
        for parent in Path(where).parents:
            found = _corpus_at(parent)
            if found is not None:
                break
    if found is None:
        raise CorpusNotFound(
            f"{where} holds no corpus, nor does any folder above it: expected folders claims/, "
            "sources/ and entities/ (or a project folder with claims/ inside)"
        )
    if not any(_holds_records(found / FOLDERS[t]) for t in RECORD_TYPES):
        folders = ", ".join(f"{FOLDERS[t]}/" for t in RECORD_TYPES)
        raise CorpusNotFound(
            f"{os.path.abspath(found)} holds no corpus: its record folders ({folders}) hold "
            "no .yaml record; add records, or give the folder that holds them"
        )
    return found


def _holds_records(folder: Path) -> bool:
    """Whether a record folder holds at least one record file (True when it cannot be listed:
    loading then reports why)."""
    try:
        with os.scandir(folder) as entries:
            return any(
                not e.name.startswith(".") and e.name.endswith((".yaml", ".yml")) for e in entries
            )
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True


def display_path(path: Path) -> str:
    """How findings name a file: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside it, or a link that loops
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
    # Set for a result taken from the cache, whose located data is read again only on demand.
    origin: Origin | None = None


# (record type, file to open, path as findings name it, today)
Job = tuple[str, str, str, dt.date]


def load_file(record_type: str, file: str, path: str, today: dt.date) -> FileResult:
    """Read and validate one record file. Pure: the unit of parallel work and of caching."""
    return _load_file(record_type, file, path, today)[0]


def _load_file(
    record_type: str, file: str, path: str, today: dt.date
) -> tuple[FileResult, Fingerprint | None]:
    result, fp, _ = _load_file_raw(record_type, file, path, today)
    return result, fp


def _load_file_raw(
    record_type: str, file: str, path: str, today: dt.date
) -> tuple[FileResult, Fingerprint | None, bytes | None]:
    stem = os.path.splitext(os.path.basename(file))[0]
    result = FileResult(record_type, path, stem)
    read, raw, st = read_file_raw(file, path)
    fp = fingerprint(st, raw) if raw is not None and st is not None else None
    result.findings.extend(read.findings)
    if read.data is None:
        return result, fp, raw
    cleaned, problems = validate_record(record_type, read.data, path, today)
    result.findings.extend(problems)
    # A record is named after its id; a coverage map after the source it maps.
    key = "source" if record_type == COVERAGE else "id"
    record_id = cleaned.get(key)
    if isinstance(record_id, str) and record_id != stem:
        line, col = read.data.value_pos[key]
        result.findings.append(
            Finding(
                "KG206",
                path,
                line,
                col,
                f"the {key} {record_id!r} differs from the file name {stem!r}",
                f"rename the file to {record_id}.yaml, or the {key} to {stem}",
            )
        )
    result.cleaned = cleaned
    result.data = read.data
    return result, fp, raw


def _load_chunk(jobs: list[Job]) -> bytes:
    """A worker's share, pickled here so the parent can unpickle each chunk as it arrives.

    A record's located data is sent as the file's bytes and its key skeleton, and parsed again
    in the parent only if a line number is asked for: three times less to send and to hold.
    """
    out = []
    for job in jobs:
        result, fp, raw = _load_file_raw(*job)
        if result.data is not None and raw is not None:
            result.origin = LazyOrigin(result.path, job[1], _skeleton(result.data), raw)
            result.data = None
        out.append((result, fp))
    return pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)


def load_files(jobs: list[Job], workers: int | None) -> list[tuple[FileResult, Fingerprint | None]]:
    """Read and validate files, on every core when there are many; with their fingerprints."""
    if workers is None:
        workers = (os.cpu_count() or 1) if len(jobs) >= PARALLEL_THRESHOLD else 1
    if workers <= 1 or len(jobs) < 2:
        return [_load_file(*job) for job in jobs]
    # Small chunks in order: the first results arrive (and are unpickled here) while the
    # workers carry on with the rest.
    size = max(1, min(500, len(jobs) // (workers * 8)))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    from concurrent.futures import ProcessPoolExecutor  # only here: it takes a while to import

    out: list[tuple[FileResult, Fingerprint | None]] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for blob in pool.map(_load_chunk, chunks):
            out.extend(pickle.loads(blob))
    return out


class LazyOrigin(Origin):
    """An origin whose located data is parsed only when something asks for a line number (a
    finding): from the bytes read at load, or for a record from the cache, from the file.
    `skeleton` holds the record's keys two levels deep, for `has_key`."""

    def __init__(
        self, path: str, file: str, skeleton: dict[str, Any], raw: bytes | None = None
    ) -> None:
        self.path = path
        self.file = file
        self.skeleton = skeleton
        self.raw = raw
        self._data: LocDict | None = None
        self._read = False

    @property
    def data(self) -> LocDict | None:
        if not self._read:
            if self.raw is not None:
                data = read_bytes(self.raw, self.path).data
            else:
                data = read_file(self.file, self.path).data
            self._data = data if isinstance(data, LocDict) else None
            self._read = True
        return self._data

    @data.setter
    def data(self, value: LocDict | None) -> None:
        self._data, self._read = value, True


def has_key(origin: Origin, *keys: str) -> bool:
    """Whether the record's file holds a key (`"evidence"`, `"evidence", "direction"`), whatever
    its value; answered for a cached record without reading its file again."""
    if isinstance(origin, LazyOrigin) and 1 <= len(keys) <= 2:
        if keys[0] not in origin.skeleton:
            return False
        sub = origin.skeleton[keys[0]]
        return len(keys) == 1 or (sub is not None and keys[1] in sub)
    node: Any = origin.data
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def _skeleton(data: LocDict) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, dict) else None for k, v in data.items()}


def _entry(result: FileResult, fp: Fingerprint) -> Entry:
    findings = [
        (f.code, f.path, f.line, f.col, f.message, f.hint, f.related) for f in result.findings
    ]
    if isinstance(result.origin, LazyOrigin):
        skeleton: dict[str, Any] | None = result.origin.skeleton
    else:
        skeleton = _skeleton(result.data) if result.data is not None else None
    return (fp, result.record_type, result.stem, result.cleaned, findings, skeleton)


def _from_entry(entry: Entry, job: Job) -> FileResult | None:
    try:
        _, record_type, stem, cleaned, findings, skeleton = entry
        if record_type != job[0] or (cleaned is not None and not isinstance(skeleton, dict)):
            return None
        found = [Finding(c, p, li, co, m, h, tuple(r)) for c, p, li, co, m, h, r in findings]
    except (TypeError, ValueError):
        return None  # not an entry this code wrote: read the file instead
    origin = LazyOrigin(job[2], job[1], skeleton) if cleaned is not None else None
    return FileResult(record_type, job[2], stem, cleaned, None, found, origin)


def load_with_cache(
    jobs: list[Job], stats: list[os.stat_result | None], workers: int | None, store: LoadCache
) -> list[tuple[FileResult, Fingerprint | None]]:
    """What each file gave, from the cache where its stat (or content) is unchanged, else read;
    with each file's fingerprint, so a watching session can tell a later edit."""
    results: list[tuple[FileResult, Fingerprint | None] | None] = [None] * len(jobs)
    todo: list[int] = []
    for i, job in enumerate(jobs):
        st = stats[i]
        hit = store.get(job[2], st) if st is not None else None
        small_file = st is not None and stat.S_ISREG(st.st_mode) and st.st_size <= MAX_RECORD_BYTES
        if hit is None and st is not None and small_file and store.has(job[2]):
            # Touched, or changed too recently to trust its time stamps: compare contents.
            try:
                with open(job[1], "rb") as fh:
                    hit = store.get_by_content(job[2], fingerprint(st, fh.read()))
            except OSError:
                hit = None
        result = _from_entry(hit, job) if hit is not None else None
        if result is None:
            todo.append(i)
        else:
            results[i] = (result, hit[0] if hit is not None else None)
    for i, (result, fp) in zip(todo, load_files([jobs[i] for i in todo], workers), strict=True):
        results[i] = (result, fp)
        if fp is not None:
            store.put(jobs[i][2], _entry(result, fp))
    store.retain({job[2] for job in jobs})
    store.save()
    return [r for r in results if r is not None]


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
        snapshot=Snapshot(
            snap["path"],
            snap["sha256"],
            snap.get("part", ""),
            snap.get("url", ""),
            snap.get("seen", ""),
        )
        if "path" in snap and "sha256" in snap
        else None,
        study=_study(c.get("study")),
        cites=c.get("cites"),
        notes=c.get("notes", ""),
        content=c,
    )


def _study(st: Any) -> Study | None:
    if not isinstance(st, dict) or "design" not in st:
        return None
    return Study(
        design=st["design"],
        review_of=st.get("review_of", ""),
        n=st.get("n"),
        population=st.get("population", ""),
        drug=st.get("drug", ""),
        intervention=st.get("intervention", ""),
        comparator=st.get("comparator", ""),
        registration=st.get("registration", ""),
        risk_of_bias=st.get("risk_of_bias"),
    )


def _rating(value: Any) -> Rating | str:
    if isinstance(value, dict) and "rating" in value:
        return Rating(value["rating"], value.get("reason", ""))
    return vocab.UNKNOWN


def _certainty(value: Any) -> dict[str, Rating | str] | str | None:
    if value is None or value == vocab.UNKNOWN:
        return value
    if not isinstance(value, dict):
        return None
    return {name: _rating(v) for name, v in value.items()}


def _search(value: Any) -> Search | str | None:
    if value is None or value == vocab.UNKNOWN:
        return value
    if not isinstance(value, dict) or "date" not in value:
        return None
    return Search(
        date=value["date"],
        where=value.get("where", []),
        queries=value.get("queries", []),
        screened=value.get("screened"),
        included=value.get("included", []),
        excluded=[
            Excluded(x.get("study", ""), x.get("reason", ""), x.get("source", ""))
            for x in value.get("excluded", [])
        ],
        notes=value.get("notes", ""),
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
        grounding=[
            Grounding(
                g.get("curie", ""),
                g.get("label", ""),
                g.get("version", ""),
                i,
                g.get("match") or vocab.EXACT_MATCH,
            )
            for i, g in enumerate(c.get("grounding") or [])
        ],
        ungrounded=c.get("ungrounded") or "",
    )


def _claim(c: dict[str, Any], origin: Origin, rid: str) -> Claim:
    sources = [
        Assertion(
            a.get("source", ""),
            a.get("quote", ""),
            a.get("locator", ""),
            i,
            reading=a.get("reading", ""),
            reading_reason=a.get("reading_reason", ""),
        )
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
                    direction=r.get("direction", ""),
                    index=i,
                    excerpt=r.get("excerpt", ""),
                    outcome=r.get("outcome", ""),
                    timepoint=r.get("timepoint", ""),
                    effect=r.get("effect", ""),
                    certainty=r.get("certainty", ""),
                )
                for i, r in enumerate(ev.get("references", []))
            ],
            certainty=_certainty(ev.get("certainty")),
            upgrades={
                name: u
                for name, v in (ev.get("upgrades") or {}).items()
                if isinstance(u := _rating(v), Rating)
            },
            override=ev.get("override", ""),
            search=_search(ev.get("search")),
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
            hashes=_review_hashes(rv.get("hashes")),
        ),
        content={k: v for k, v in c.items() if k != "review"},
    )


def _review_hashes(value: Any) -> ReviewHashes | None:
    if not isinstance(value, dict) or not value.get("claim"):
        return None
    return ReviewHashes(
        claim=value["claim"],
        sources=dict(value.get("sources") or {}),
        snapshots=dict(value.get("snapshots") or {}),
    )


def coverage_map(c: dict[str, Any], origin: Origin, stem: str) -> Coverage:
    """The typed coverage map a file gave (its entries as validated: a bad one is left out)."""
    entries = [
        CoverageEntry(
            text=e.get("text", ""),
            index=i,
            locator=e.get("locator", ""),
            claims=e.get("claims"),
            not_a_claim=e.get("not_a_claim", ""),
            pending=e.get("pending", ""),
        )
        for i, e in enumerate(c.get("sentences") or [])
        if "text" in e
    ]
    return Coverage(c.get("source") or stem, origin, entries, c.get("notes", ""))


Record = Claim | Source | Entity
_BUILDERS: dict[str, Callable[[dict[str, Any], Origin, str], Record]] = {
    "claim": _claim,
    "source": _source,
    "entity": _entity,
}
TABLES = {"claim": "claims", "source": "sources", "entity": "entities"}


def build_record(result: FileResult) -> tuple[str, Record] | None:
    """The typed record a file gave, with its id (None when the file gave no record)."""
    if result.cleaned is None:
        return None
    rid = result.cleaned.get("id") or result.stem
    origin = result.origin or Origin(result.path, result.data)
    return rid, _BUILDERS[result.record_type](result.cleaned, origin, rid)


def duplicate_id(path: str, origin: Origin, rid: str, first: str) -> Finding:
    """KG304 for the record at `path`, whose id the file `first` (earlier in file order) took."""
    line, col = origin.at("id")
    return Finding(
        "KG304",
        path,
        line,
        col,
        f"duplicate id {rid!r}: also used by {first}",
        "ids are unique across claims, sources and entities",
        related=(first,),
    )


# size, mtime_ns, ctime_ns, inode: what tells a changed file without reading it
StatKey = tuple[int, int, int, int]


def stat_key(st: os.stat_result) -> StatKey:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@dataclass
class SnapshotRead:
    """What reading one source's snapshot gave: its text (None when unreadable), its findings,
    and for a watching session where the file is (as named, then as resolved) and its stat."""

    text: str | None = None
    findings: list[Finding] = field(default_factory=list)
    paths: tuple[str, ...] = ()
    stat: StatKey | None = None


class SnapshotReader:
    """Reads the snapshots of one corpus, resolving the corpus folder and each folder of
    snapshots once (resolving every path in full was most of the time snapshots took)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self._real_dirs: dict[str, str] = {}

    def _real(self, joined: str) -> str:
        """os.path.realpath(joined), its folder resolved once for all the files in it."""
        head, name = os.path.split(joined)
        if name in ("", ".", ".."):
            return os.path.realpath(joined)
        real_head = self._real_dirs.get(head)
        if real_head is None:
            real_head = self._real_dirs[head] = os.path.realpath(head)
        candidate = os.path.join(real_head, name)
        try:
            if stat.S_ISLNK(os.lstat(candidate).st_mode):
                return os.path.realpath(candidate)
        except OSError:
            pass  # missing: realpath() gives the path as joined too
        return candidate

    def _inside(self, real: str) -> bool:
        root = self.real_root
        return real == root or real.startswith(root.rstrip(os.sep) + os.sep)

    def read(self, source: Source) -> SnapshotRead:
        snap = source.snapshot
        if snap is None:
            return SnapshotRead()
        origin = source.origin
        rel = Path(snap.path)
        joined = self.root / rel
        target = self._real(str(joined))
        if rel.is_absolute() or not self._inside(target):
            outside = Finding(
                "KG404",
                origin.path,
                *origin.at("snapshot", "path"),
                f"snapshot path {snap.path!r} points outside the corpus folder",
                "keep snapshots in the corpus's snapshots/ folder and give a relative path",
            )
            return SnapshotRead(findings=[outside])
        # As named (where a file watcher reports it), then as resolved (the file read).
        out = SnapshotRead(paths=tuple(dict.fromkeys((os.path.abspath(joined), target))))
        try:
            st: os.stat_result | None = os.stat(target)
        except OSError:
            st = None
        if st is None or not stat.S_ISREG(st.st_mode):
            where = origin.at("snapshot", "path")
            message = f"snapshot {snap.path!r} does not exist"
            hint = f"expected it at {display_path(joined)}"
            out.findings.append(Finding("KG402", origin.path, *where, message, hint))
            return out
        out.stat = stat_key(st)
        if st.st_size > MAX_SNAPSHOT_BYTES:
            where = origin.at("snapshot", "path")
            message = f"snapshot {snap.path!r} is too large to check"
            out.findings.append(Finding("KG105", origin.path, *where, message))
            return out
        try:
            with open(target, "rb") as fh:
                raw = fh.read()
        except OSError as err:
            where = origin.at("snapshot", "path")
            message = f"snapshot {snap.path!r} cannot be read: {err.strerror}"
            out.findings.append(Finding("KG112", origin.path, *where, message))
            return out
        digest = hashlib.sha256(raw).hexdigest()
        if digest != snap.sha256:
            out.findings.append(
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
            out.text = raw.decode("utf-8")
        except UnicodeDecodeError:
            out.findings.append(
                Finding(
                    "KG102",
                    origin.path,
                    *origin.at("snapshot", "path"),
                    f"snapshot {snap.path!r} is not UTF-8 text",
                )
            )
        return out


def folder_prefix(folder: Path, cwd: Path) -> str | None:
    """How findings name the files of a record folder: the folder relative to the working
    folder, then the file name (None when the folder is outside it: use `display_path`)."""
    try:
        rel = str(folder.resolve().relative_to(cwd))
    except ValueError:
        return None
    return "" if rel == "." else rel + os.sep


def record_entry(
    record_type: str, path: str, name: str, symlink: bool, prefix: str | None, today: dt.date
) -> Job | Finding | None:
    """What an entry of a record folder is: a record file to read (a job), a stray file (a
    finding), or nothing to check (hidden files, a README)."""
    if name.startswith("."):
        if name.endswith((".yaml", ".yml")):
            message = f"{name} is a hidden file and is not read as a record"
            hint = "a record's file is named after its id, which starts with a letter or digit"
            return Finding("KG113", display_path(Path(path)), 0, 0, message, hint)
        return None
    if not name.endswith((".yaml", ".yml")):
        if name.lower() == "readme.md":
            return None
        message = f"{name} is not a .yaml record and is ignored"
        return Finding("KG113", display_path(Path(path)), 0, 0, message)
    if symlink or prefix is None:
        return (record_type, path, display_path(Path(path)) if symlink else path, today)
    return (record_type, path, prefix + name, today)


def list_folder(
    record_type: str, folder: Path, today: dt.date, cwd: Path, want_stats: bool
) -> tuple[list[Job], list[os.stat_result | None], dict[str, Finding]]:
    """The record files of one folder in name order (with their stat when asked), and its
    stray files by path. A missing folder has none."""
    jobs: list[Job] = []
    stats: list[os.stat_result | None] = []
    strays: dict[str, Finding] = {}
    if not folder.is_dir():
        return jobs, stats, strays
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return jobs, stats, strays  # gone since is_dir()
    except OSError as err:
        # Keyed as an entry of the folder, so that listing it again replaces the finding.
        message = f"cannot list the folder: {err.strerror}"
        strays[os.path.join(folder, "")] = Finding("KG112", display_path(folder), 0, 0, message)
        return jobs, stats, strays
    # display_path() per file resolves every component of the path: do it once per folder.
    prefix = folder_prefix(folder, cwd)
    real_root = os.path.realpath(folder.parent)
    for entry in entries:
        if entry.is_symlink():
            real = os.path.realpath(entry.path)
            if not (real + os.sep).startswith(real_root.rstrip(os.sep) + os.sep):
                message = f"{entry.name} is a link to {real}, outside the corpus: it is not read"
                hint = "copy the record into the corpus instead of linking to it"
                finding = Finding("KG117", display_path(Path(entry.path)), 0, 0, message, hint)
                strays[entry.path] = finding
                continue
        what = record_entry(record_type, entry.path, entry.name, entry.is_symlink(), prefix, today)
        if what is None:
            continue
        if isinstance(what, Finding):
            strays[entry.path] = what
            continue
        jobs.append(what)
        if want_stats:
            try:
                stats.append(entry.stat())
            except OSError:
                stats.append(None)
    return jobs, stats, strays


def _find_files(
    base: Path, today: dt.date, findings: list[Finding], want_stats: bool
) -> tuple[list[Job], list[os.stat_result | None]]:
    jobs: list[Job] = []
    stats: list[os.stat_result | None] = []
    cwd = Path.cwd().resolve()
    for record_type in FORMATS:
        folder = base / FOLDERS[record_type]
        more, more_stats, strays = list_folder(record_type, folder, today, cwd, want_stats)
        jobs += more
        stats += more_stats
        findings.extend(strays.values())
    return jobs, stats


def open_cache(base: Path, cache: bool | str | os.PathLike[str], today: dt.date) -> LoadCache:
    directory = default_dir(base) if isinstance(cache, bool) else Path(cache)
    return LoadCache(directory, base, today.isoformat())


@contextmanager
def gc_paused() -> Iterator[None]:
    """Garbage collection off for the block (as it was after it): records built to live until
    the end would otherwise be walked by the collector again and again while they are built
    (a third of the time of a large load). Nested blocks leave it to the outermost."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def load(
    root: str | os.PathLike[str],
    *,
    today: dt.date | None = None,
    workers: int | None = None,
    cache: bool | str | os.PathLike[str] = False,
) -> Corpus:
    """Load a corpus folder (or a project folder with claims/ inside) into typed records.

    With `cache` (True for `.kgraph-cache/` beside the corpus, or a folder), files unchanged
    since the last cached run are not read again; the result is the same either way.
    """
    base = find_corpus(root)
    today = today or dt.date.today()
    corpus = Corpus(root=base, keeps_coverage=(base / FOLDERS[COVERAGE]).is_dir())
    with gc_paused():
        jobs, stats = _find_files(base, today, corpus.findings, bool(cache))
        corpus.record_files = len(jobs)
        if cache:
            results = load_with_cache(jobs, stats, workers, open_cache(base, cache, today))
        else:
            results = load_files(jobs, workers)
        _add_records(corpus, [result for result, _ in results])
        reader = SnapshotReader(base)
        for source in corpus.sources.values():
            snapshot = reader.read(source)
            corpus.findings.extend(snapshot.findings)
            if snapshot.text is not None:
                corpus.snapshot_texts[source.id] = snapshot.text
    return corpus


def _add_records(corpus: Corpus, results: list[FileResult]) -> None:
    seen: dict[str, str] = {}
    for result in results:
        corpus.findings.extend(result.findings)
        if result.cleaned is None:
            continue
        origin = result.origin or Origin(result.path, result.data)
        if result.record_type == COVERAGE:
            # Maps are keyed by the source they map, not by an id of their own.
            mapped = coverage_map(result.cleaned, origin, result.stem)
            corpus.coverage.setdefault(mapped.source, mapped)
            continue
        rid = result.cleaned.get("id") or result.stem
        if rid in seen:
            corpus.findings.append(duplicate_id(result.path, origin, rid, seen[rid]))
            continue
        seen[rid] = result.path
        record = _BUILDERS[result.record_type](result.cleaned, origin, rid)
        getattr(corpus, TABLES[result.record_type])[rid] = record
