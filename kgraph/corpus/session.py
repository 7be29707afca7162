"""A check session: a corpus checked once and held in memory, re-checked file by file on change.

Beside `kgraph.corpus.check` in the flow (files -> `load` -> `check`): `CheckSession` loads through
`kgraph.corpus.load`, keeps what each file gave and its typed record, and on `refresh` reads again
only the files that changed before running the cross-record rules. `kgraph.corpus.watch` drives it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import os
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from kgraph.corpus.cache import RACY_NS
from kgraph.corpus.check import QuoteMemo, Report, check_corpus
from kgraph.corpus.findings import Finding
from kgraph.corpus.load import (
    TABLES,
    CorpusNotFound,
    FileResult,
    Fingerprint,
    Job,
    Record,
    SnapshotRead,
    SnapshotReader,
    StatKey,
    build_record,
    coverage_map,
    duplicate_id,
    find_corpus,
    folder_prefix,
    gc_paused,
    list_folder,
    load_files,
    load_with_cache,
    open_cache,
    record_entry,
    stat_key,
)
from kgraph.corpus.model import Corpus, Coverage, Origin
from kgraph.corpus.schema import COVERAGE, FOLDERS, FORMATS


class CorpusGone(CorpusNotFound):
    """The corpus being watched is no longer there (its folder was deleted or moved)."""


@dataclass
class Run:
    """One check of a session: its report, how many files it read and how long it took."""

    report: Report
    files: int  # every record file on a full load; the changed files (and snapshots) after
    seconds: float
    full: bool

    def summary(self) -> str:
        errors, warnings = self.report.errors, self.report.warnings
        what = (
            f"checked {_count(self.files, 'file')}"
            if self.full
            else f"re-checked {_count(self.files, 'changed file')}"
        )
        counts = f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
        return f"{counts} ({what} in {self.seconds:.2f} s)"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


@dataclass(eq=False)
class _File:
    """A record file as last read: what it gave, its record, and what tells a later edit."""

    job: Job
    order: tuple[int, str]  # where a fresh load meets it: record type, then file name
    stat: StatKey | None
    seen_ns: int  # when it was last stat-ed; an edit this recent may not show in the stat
    content: str | None  # content hash; None when the file could not be read whole
    findings: list[Finding]
    rid: str | None = None
    record: Record | None = None
    coverage: Coverage | None = None  # what a coverage map gave (it holds no id)


@dataclass(eq=False)
class _Snapshot:
    read: SnapshotRead
    seen_ns: int


@dataclass
class _Changes:
    """What one refresh found: files to read again, files gone, and snapshots to read again."""

    read: list[Job] = field(default_factory=list)
    gone: set[str] = field(default_factory=set)
    snapshots: set[str] = field(default_factory=set)  # source ids whose snapshot file changed
    snapshots_by_stat: bool = False  # stat every snapshot (a full scan)
    sources: set[str] = field(default_factory=set)  # source ids whose record changed
    changed: set[str] = field(default_factory=set)  # paths whose content changed
    reorder_texts: bool = False


def _racy(key: StatKey | None, seen_ns: int) -> bool:
    """Whether a file's stat is too close to when it was read to prove it unchanged."""
    return key is None or max(key[1], key[2]) >= seen_ns - RACY_NS


class CheckSession:
    """A corpus checked once, then re-checked as its files change, with the findings a fresh
    `kgraph.corpus.check` of the same files would give.

    `start()` loads and checks everything (taking unchanged files from the load cache when
    `cache` is set); `refresh(paths)` re-reads the record and snapshot files among `paths` (a
    folder among them is listed again), or with no paths stats every file, and re-runs the rules.
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        today: dt.date | None = None,
        workers: int | None = None,
        cache: bool | str | os.PathLike[str] = False,
    ) -> None:
        self.root = Path(root)
        self.fixed_today = today
        self.workers = workers
        self.cache = cache
        self.base = Path()
        self.today = dt.date.min
        self.corpus = Corpus(root=self.base)
        self.report: Report | None = None
        self.frozen = False
        self._reset()

    def _reset(self) -> None:
        self.folders: dict[str, str] = {}  # absolute record folder -> record type
        self.files: dict[str, _File] = {}  # by absolute path
        self.strays: dict[str, Finding] = {}
        self.claimants: dict[str, list[_File]] = {}  # files giving each id, in file order
        self.winners: dict[str, _File] = {}  # the file whose record holds each id
        self.duplicates: dict[str, list[Finding]] = {}
        self.file_findings: dict[str, list[Finding]] = {}
        self.snapshots: dict[str, _Snapshot] = {}  # by source id
        self.snapshot_paths: dict[str, set[str]] = {}  # snapshot file -> source ids
        self.unsettled: set[str] = set()  # ids whose files changed since records were placed
        self.quotes = QuoteMemo()

    def _today(self) -> dt.date:
        return self.fixed_today or dt.date.today()

    def _find(self) -> Path:
        try:
            return find_corpus(self.root)
        except CorpusNotFound as err:
            if self.report is None:
                raise
            raise CorpusGone(f"stopped watching: {err}") from err

    # -- whole corpus -------------------------------------------------------------------------

    def start(self) -> Run:
        """Load and check the whole corpus."""
        return self._full(time.perf_counter())

    def _full(self, started: float) -> Run:
        base = self._find()
        self.base, self.today = base, self._today()
        self._reset()
        self.corpus = Corpus(root=base)
        cwd = Path.cwd().resolve()
        with gc_paused():  # as in `load`: what is built here lives on
            seen_ns = time.time_ns()
            jobs: list[Job] = []
            stats: list[os.stat_result | None] = []
            for record_type in FORMATS:
                folder = Path(os.path.abspath(base / FOLDERS[record_type]))
                self.folders[str(folder)] = record_type
                more, more_stats, strays = list_folder(
                    record_type, folder, self.today, cwd, bool(self.cache)
                )
                jobs += more
                stats += more_stats if self.cache else [None] * len(more)
                self.strays.update(strays)
            if self.cache:
                store = open_cache(base, self.cache, self.today)
                results = load_with_cache(jobs, stats, self.workers, store)
            else:
                results = load_files(jobs, self.workers)
            for job, st, (result, fp) in zip(jobs, stats, results, strict=True):
                self._add(self._file(job, result, fp, st, seen_ns))
            for rid, files in self.claimants.items():
                self._place(rid, files)
            self.unsettled.clear()
            reader = SnapshotReader(base)
            for sid, source in self.corpus.sources.items():
                self._set_snapshot(sid, reader.read(source), seen_ns)
            run = self._check(started, len(jobs), full=True)
        # The records stay until the session ends: moving them out of the collector's sight
        # keeps each re-check from walking a million objects that will not die.
        self.close()
        gc.freeze()
        self.frozen = True
        return run

    def close(self) -> None:
        """Hand the records back to the garbage collector."""
        if self.frozen:
            gc.unfreeze()
            self.frozen = False

    # -- changes ------------------------------------------------------------------------------

    def refresh(self, paths: Iterable[str | os.PathLike[str]] | None = None) -> Run | None:
        """Re-check after a change: `paths` are the files or folders that changed (as a file
        watcher reports them), or None to stat every file. None when nothing has changed.

        Raises CorpusGone when the corpus folder is no longer there.
        """
        started = time.perf_counter()
        if self.report is None or self._find() != self.base or self._today() != self.today:
            return self._full(started)
        seen_ns = time.time_ns()
        changes = _Changes()
        if paths is None:
            for folder in self.folders:
                self._relist(folder, changes)
            changes.snapshots_by_stat = True
        else:
            self._hints({os.path.abspath(p) for p in paths}, changes)
        self._read(changes, seen_ns)
        self._snapshots(changes, seen_ns)
        if not changes.changed:
            return None
        return self._check(started, len(changes.changed), full=False)

    def _hints(self, paths: set[str], changes: _Changes) -> None:
        relist = {
            folder
            for folder in self.folders
            for p in paths
            if p == folder or folder.startswith(p.rstrip(os.sep) + os.sep)
        }
        for folder in relist:
            self._relist(folder, changes)
        for p in paths:
            changes.snapshots |= self.snapshot_paths.get(p, set())
            folder = os.path.dirname(p)
            if folder in relist:
                continue
            if folder in self.folders:
                self._hinted_entry(folder, p, changes)
            else:  # perhaps a folder of snapshots, created, moved or deleted
                inside = p.rstrip(os.sep) + os.sep
                for path, sids in self.snapshot_paths.items():
                    if path.startswith(inside):
                        changes.snapshots |= sids

    def _relist(self, folder: str, changes: _Changes) -> None:
        record_type = self.folders[folder]
        cwd = Path.cwd().resolve()
        jobs, stats, strays = list_folder(record_type, Path(folder), self.today, cwd, True)
        for path in [p for p in self.strays if os.path.dirname(p) == folder]:
            if path not in strays:
                del self.strays[path]
                changes.changed.add(path)
        for path, finding in strays.items():
            if self.strays.get(path) != finding:
                self.strays[path] = finding
                changes.changed.add(path)
        listed = set()
        for job, st in zip(jobs, stats, strict=True):
            listed.add(job[1])
            old = self.files.get(job[1])
            key = stat_key(st) if st is not None else None
            if old is None or old.job != job or key != old.stat or _racy(key, old.seen_ns):
                changes.read.append(job)
        changes.gone |= {
            path for path, f in self.files.items() if f.job[0] == record_type and path not in listed
        }

    def _hinted_entry(self, folder: str, path: str, changes: _Changes) -> None:
        try:
            symlink = stat.S_ISLNK(os.lstat(path).st_mode)
        except OSError:
            if path in self.files:
                changes.gone.add(path)
            if self.strays.pop(path, None) is not None:
                changes.changed.add(path)
            return
        prefix = folder_prefix(Path(folder), Path.cwd().resolve())
        name = os.path.basename(path)
        what = record_entry(self.folders[folder], path, name, symlink, prefix, self.today)
        if isinstance(what, Finding):
            if self.strays.get(path) != what:
                self.strays[path] = what
                changes.changed.add(path)
        elif what is not None:
            changes.read.append(what)  # named by the watcher: compared by content, not stat

    def _read(self, changes: _Changes, seen_ns: int) -> None:
        for job, (result, fp) in zip(
            changes.read, load_files(changes.read, self.workers), strict=True
        ):
            path = job[1]
            old = self.files.get(path)
            new = self._file(job, result, fp, None, seen_ns)
            if (
                old is not None
                and old.job == job
                and old.content == new.content
                and (new.content is not None or old.findings == new.findings)
            ):
                old.stat, old.seen_ns = new.stat, seen_ns  # touched, not changed
                continue
            self._drop(path)
            self._add(new)
            changes.changed.add(path)
        for path in changes.gone:
            self._drop(path)
            changes.changed.add(path)
        self._settle(changes)

    def _file(
        self,
        job: Job,
        result: FileResult,
        fp: Fingerprint | None,
        st: os.stat_result | None,
        seen_ns: int,
    ) -> _File:
        key = fp[:4] if fp is not None else (stat_key(st) if st is not None else None)
        order = (FORMATS.index(job[0]), os.path.basename(job[1]))
        content = fp[4] if fp is not None else None
        f = _File(job, order, key, seen_ns, content, result.findings)
        if job[0] == COVERAGE:
            if result.cleaned is not None:
                origin = result.origin or Origin(result.path, result.data)
                f.coverage = coverage_map(result.cleaned, origin, result.stem)
            return f
        built = build_record(result)
        if built is not None:
            f.rid, f.record = built
        return f

    # -- records ------------------------------------------------------------------------------

    def _add(self, f: _File) -> None:
        path = f.job[1]
        self.files[path] = f
        if f.findings:
            self.file_findings[path] = f.findings
        if f.rid is not None:
            bisect.insort(self.claimants.setdefault(f.rid, []), f, key=lambda c: c.order)
            self.unsettled.add(f.rid)

    def _drop(self, path: str) -> None:
        f = self.files.pop(path, None)
        if f is None:
            return
        self.file_findings.pop(path, None)
        if f.rid is not None:
            self.claimants[f.rid].remove(f)
            self.unsettled.add(f.rid)

    def _settle(self, changes: _Changes) -> None:
        """Place the records of the ids whose files changed, as a fresh load would."""
        reorder: set[str] = set()
        for rid in self.unsettled:
            files = self.claimants.get(rid, [])
            if not files:
                self.claimants.pop(rid, None)
            before = self.winners.get(rid)
            moved = self._place(rid, files)
            if moved:
                reorder.add(moved)
            after = self.winners.get(rid)
            if before is not after and any(
                f is not None and f.job[0] == "source" for f in (before, after)
            ):
                changes.sources.add(rid)
        self.unsettled.clear()
        for name in reorder:
            # A record placed anew goes where a fresh load puts it: in file order.
            table = getattr(self.corpus, name)
            items = sorted(table.items(), key=lambda kv: self.winners[kv[0]].order)
            table.clear()
            table.update(items)
        changes.reorder_texts |= "sources" in reorder

    def _place(self, rid: str, files: list[_File]) -> str | None:
        """Put the first file's record under `rid` (the others are duplicates). The table's name
        when the record is new there (so the table is out of file order), else None."""
        before = self.winners.pop(rid, None)
        winner = files[0] if files else None
        name = TABLES[winner.job[0]] if winner is not None else None
        if before is not None and TABLES[before.job[0]] != name:
            getattr(self.corpus, TABLES[before.job[0]]).pop(rid, None)
        if winner is None or name is None:
            self.duplicates.pop(rid, None)
            return None
        table = getattr(self.corpus, name)
        moved = rid not in table or before is None or before.job[1] != winner.job[1]
        table[rid] = winner.record
        self.winners[rid] = winner
        if len(files) > 1:
            self.duplicates[rid] = [
                duplicate_id(f.job[2], f.record.origin, rid, winner.job[2])
                for f in files[1:]
                if f.record is not None
            ]
        else:
            self.duplicates.pop(rid, None)
        return name if moved else None

    # -- snapshots ----------------------------------------------------------------------------

    def _set_snapshot(self, sid: str, read: SnapshotRead | None, seen_ns: int) -> bool:
        """Record what a source's snapshot gave; whether its text is new to the corpus."""
        old = self.snapshots.pop(sid, None)
        if old is not None:
            for path in old.read.paths:
                self.snapshot_paths[path].discard(sid)
                if not self.snapshot_paths[path]:
                    del self.snapshot_paths[path]
        texts = self.corpus.snapshot_texts
        if read is None or read.text is None:
            texts.pop(sid, None)
            if read is None:
                return False
        self.snapshots[sid] = _Snapshot(read, seen_ns)
        for path in read.paths:
            self.snapshot_paths.setdefault(path, set()).add(sid)
        if read.text is None:
            return False
        new = sid not in texts
        texts[sid] = read.text
        return new

    def _snapshots(self, changes: _Changes, seen_ns: int) -> None:
        if changes.snapshots_by_stat:
            for sid, snap in self.snapshots.items():
                if not snap.read.paths:
                    continue  # no snapshot, or one outside the corpus: nothing to read
                try:
                    key: StatKey | None = stat_key(os.stat(snap.read.paths[-1]))
                except OSError:
                    key = None
                if key != snap.read.stat or _racy(key, snap.seen_ns):
                    changes.snapshots.add(sid)
        reader = SnapshotReader(self.base)
        sources = self.corpus.sources
        reorder = changes.reorder_texts
        for sid in changes.snapshots | changes.sources:
            source = sources.get(sid)
            old = self.snapshots.get(sid)
            if source is None:
                self._set_snapshot(sid, None, seen_ns)
                continue
            read = reader.read(source)
            if (
                sid not in changes.sources
                and old is not None
                and (read.text, read.findings, read.paths)
                == (old.read.text, old.read.findings, old.read.paths)
            ):
                old.read.stat, old.seen_ns = read.stat, seen_ns  # touched, not changed
                continue
            reorder |= self._set_snapshot(sid, read, seen_ns)
            if sid not in changes.sources:
                changes.changed.update(read.paths[-1:] or [sid])
        if reorder:
            # In source order, as a fresh load fills them.
            order = {sid: i for i, sid in enumerate(sources)}
            texts = self.corpus.snapshot_texts
            items = sorted(texts.items(), key=lambda kv: order[kv[0]])
            texts.clear()
            texts.update(items)

    # -- rules --------------------------------------------------------------------------------

    def _check(self, started: float, files: int, *, full: bool) -> Run:
        # The maps, as a fresh load gives them: in file order, the first for each source.
        self.corpus.keeps_coverage = (self.base / FOLDERS[COVERAGE]).is_dir()
        self.corpus.coverage = {}
        maps = sorted((f for f in self.files.values() if f.coverage), key=lambda f: f.order)
        for f in maps:
            if f.coverage is not None:
                self.corpus.coverage.setdefault(f.coverage.source, f.coverage)
        self.corpus.findings = list(
            chain(
                self.strays.values(),
                chain.from_iterable(self.file_findings.values()),
                chain.from_iterable(self.duplicates.values()),
                chain.from_iterable(s.read.findings for s in self.snapshots.values()),
            )
        )
        self.report = check_corpus(self.corpus, quotes=self.quotes)
        return Run(self.report, files, time.perf_counter() - started, full)
