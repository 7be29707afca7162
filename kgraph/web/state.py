"""What a server answers from: the checked corpus, its claim index and the site built from it.

`ServedCorpus.rebuild` builds the site with `kgraph.build` into the server's own folder and swaps
in the corpus it checked; a rebuild that fails (check errors) keeps the last good one and says
why. `watch` rebuilds each time a record file changes.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from kgraph.build import build
from kgraph.corpus.check import CorpusHasErrors
from kgraph.corpus.load import find_corpus
from kgraph.corpus.model import Corpus
from kgraph.writers.find import ClaimIndex

# How long the watcher lets a burst of file events settle before it rebuilds (milliseconds).
DEBOUNCE_MS = 300


@dataclass(frozen=True)
class Generation:
    """One build: the corpus it checked, its claim index, and when and how often it was built."""

    corpus: Corpus
    index: ClaimIndex
    number: int
    built_at: float


class ServedCorpus:
    """The corpus at `root`, and its site in `site_dir` (a folder the server owns)."""

    def __init__(self, root: str | os.PathLike[str], site_dir: Path) -> None:
        self.root = Path(root)
        self.corpus_dir = find_corpus(root)
        self.site_dir = site_dir
        self.error: str | None = None
        self._current: Generation | None = None
        self._lock = threading.Lock()

    @property
    def current(self) -> Generation:
        if self._current is None:
            raise RuntimeError("the site has not been built yet: call rebuild() first")
        return self._current

    def rebuild(self, *, first: bool = False) -> bool:
        """Check the corpus and build its site; True when the new build is served.

        On check errors the first build raises `CorpusHasErrors` (there is nothing to serve);
        a later one keeps the last good build and records the reason in `error`."""
        with self._lock:
            try:
                # In one process: forking beside the server's threads is not safe.
                result = build(self.root, self.site_dir, parallel=False)
            except CorpusHasErrors as err:
                if first:
                    raise
                self.error = f"{err}; serving the last good build"
                return False
            corpus = result.report.corpus
            number = self._current.number + 1 if self._current else 1
            self._current = Generation(corpus, ClaimIndex(corpus), number, time.time())
            self.error = None
            return True

    def watch(self, stop: threading.Event) -> None:
        """Rebuild whenever a file of the corpus changes, until `stop` is set."""
        import watchfiles

        for _changes in watchfiles.watch(
            self.corpus_dir, stop_event=stop, debounce=DEBOUNCE_MS, rust_timeout=500
        ):
            try:
                self.rebuild()
            except Exception as err:  # a watcher that dies would serve stale pages silently
                self.error = f"the rebuild failed: {type(err).__name__}: {err}"
