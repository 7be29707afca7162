"""The load cache: what reading and validating each record file gave, keyed by its content hash.

Used by `kgraph.corpus.load` (and so `kgraph check`) to skip files that have not changed since the
last run. It lives outside the corpus (`.kgraph-cache/` beside it, or $KGRAPH_CACHE_DIR), never
changes a result, and a cache it cannot read is ignored.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

import yaml

# Bump when the layout of an entry changes.
FORMAT = 1
SHARDS = 32
# A file changed this close to the time its entry was written may have changed within the
# timestamp's granularity: such an entry is confirmed by content hash, not by stat alone.
RACY_NS = 2_000_000_000
# The modules whose code decides what a file gives; any change to them empties the cache.
# Relative to the kgraph package: the code whose change makes every cached result stale.
_MODULES = (
    "corpus/reader",
    "corpus/validate",
    "corpus/schema",
    "vocab",
    "corpus/findings",
    "corpus/load",
    "corpus/cache",
)

# size, mtime_ns, ctime_ns, inode, content hash
Fingerprint = tuple[int, int, int, int, str]
# fingerprint, record type, stem, cleaned values, findings as tuples, key skeleton
Entry = tuple[Fingerprint, str, str, Any, list[tuple[Any, ...]], Any]


def content_hash(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def fingerprint(st: os.stat_result, raw: bytes) -> Fingerprint:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, content_hash(raw))


def _code_version() -> str:
    digest = hashlib.sha256()
    here = Path(__file__).parent.parent
    for name in _MODULES:
        digest.update((here / f"{name}.py").read_bytes())
    digest.update(f"{sys.version}|{yaml.__version__}|{FORMAT}".encode())
    return digest.hexdigest()[:16]


def default_dir(corpus_root: Path) -> Path:
    """`.kgraph-cache/` beside the corpus folder, unless $KGRAPH_CACHE_DIR names another."""
    env = os.environ.get("KGRAPH_CACHE_DIR")
    return Path(env) if env else corpus_root.resolve().parent / ".kgraph-cache"


class LoadCache:
    """The entries of one corpus for one day (dates in the future depend on the day)."""

    def __init__(self, directory: Path, corpus_root: Path, today: str) -> None:
        self.directory = directory
        corpus = f"{corpus_root.resolve()}|{os.getcwd()}"
        run = f"{today}|{_code_version()}"
        # load-<corpus>-<day and code>-NN.bin: a new day or a new kgraph replaces the old files.
        self.corpus_prefix = "load-" + hashlib.sha256(corpus.encode()).hexdigest()[:12] + "-"
        self.prefix = self.corpus_prefix + hashlib.sha256(run.encode()).hexdigest()[:12]
        self.shards: list[dict[str, Entry]] = [{} for _ in range(SHARDS)]
        self.written_ns: list[int] = [0] * SHARDS
        self.dirty: set[int] = set()
        # Files changed after this moment are confirmed by content next time (see RACY_NS).
        self.started_ns = time.time_ns()
        self._read()

    def _shard(self, path: str) -> int:
        return zlib.crc32(path.encode()) % SHARDS

    def _file(self, shard: int) -> Path:
        return self.directory / f"{self.prefix}-{shard:02d}.bin"

    def _read(self) -> None:
        for shard in range(SHARDS):
            try:
                blob = self._file(shard).read_bytes()
                check, payload = blob[:32], blob[32:]
                if hashlib.blake2b(payload, digest_size=16).hexdigest().encode() != check:
                    continue  # torn or corrupt: ignored, rewritten on the next save
                written_ns, entries = marshal.loads(payload)
                if isinstance(written_ns, int) and isinstance(entries, dict):
                    self.shards[shard] = entries
                    self.written_ns[shard] = written_ns
            except (OSError, ValueError, EOFError, TypeError):
                continue

    def has(self, path: str) -> bool:
        return path in self.shards[self._shard(path)]

    def get(self, path: str, st: os.stat_result) -> Entry | None:
        """The entry for a file whose stat shows it unchanged since the entry was written."""
        shard = self._shard(path)
        entry = self.shards[shard].get(path)
        if entry is None:
            return None
        try:
            size, mtime_ns, ctime_ns, ino, _ = entry[0]
        except (TypeError, ValueError):
            return None
        if (size, mtime_ns, ctime_ns, ino) != (
            st.st_size,
            st.st_mtime_ns,
            st.st_ctime_ns,
            st.st_ino,
        ):
            return None
        if max(mtime_ns, ctime_ns) >= self.written_ns[shard] - RACY_NS:
            return None  # racy: let the caller confirm by content
        return entry

    def get_by_content(self, path: str, fp: Fingerprint) -> Entry | None:
        """The entry for a file whose content hash matches, refreshing its stat."""
        shard = self._shard(path)
        entry = self.shards[shard].get(path)
        try:
            if entry is None or entry[0][4] != fp[4]:
                return None
        except (TypeError, IndexError, KeyError):
            return None
        if entry[0] != fp:
            entry = (fp, *entry[1:])
            self.shards[shard][path] = entry
            self.dirty.add(shard)
        return entry

    def put(self, path: str, entry: Entry) -> None:
        shard = self._shard(path)
        self.shards[shard][path] = entry
        self.dirty.add(shard)

    def retain(self, paths: set[str]) -> None:
        """Forget files that are gone."""
        for shard, entries in enumerate(self.shards):
            stale = [p for p in entries if p not in paths]
            for p in stale:
                del entries[p]
            if stale:
                self.dirty.add(shard)

    def save(self) -> None:
        """Write the changed shards atomically; a cache that cannot be written is skipped."""
        if not self.dirty:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Written by kgraph: a cache, never committed.\n*\n")
            for shard in sorted(self.dirty):
                payload = marshal.dumps((self.started_ns, self.shards[shard]))
                check = hashlib.blake2b(payload, digest_size=16).hexdigest().encode()
                fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
                with os.fdopen(fd, "wb") as fh:
                    fh.write(check + payload)
                os.replace(tmp, self._file(shard))
            for old in self.directory.glob(self.corpus_prefix + "*.bin"):
                if not old.name.startswith(self.prefix + "-"):
                    old.unlink(missing_ok=True)
        except (OSError, ValueError):
            return
        self.dirty.clear()
