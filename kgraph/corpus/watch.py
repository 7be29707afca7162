"""`kgraph check --watch`: check a corpus, then re-check it each time its files change.

The loop around a `kgraph.corpus.session.CheckSession`: file events (inotify, through watchfiles)
name the changed files, the session re-reads just those and re-runs the rules, and each run is
printed as text, GitHub annotations or one line of JSON.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Iterator

from kgraph.corpus.session import CheckSession, CorpusGone, Run

# How long the watcher waits for events before the loop checks that the corpus is still there.
TICK_MS = 1000
# A full stat of every file, every so often, in case the watcher missed an event (a full
# queue of events, a file system that does not report them).
RESCAN_SECONDS = 60.0

# A batch of changed paths; () when nothing changed; None to stat every file.
Batch = Iterable[str] | None


def file_events(session: CheckSession, rescan: float = RESCAN_SECONDS) -> Iterator[Batch]:
    """Batches of changed paths under the session's corpus folder, from the operating system's
    file events, until interrupted. The first batch, once the watcher is up, is None: it catches
    whatever changed while the first check was running."""
    import watchfiles  # only watch mode needs it

    while True:
        base = session.base
        last_scan = time.monotonic()
        first = True
        try:
            for events in watchfiles.watch(
                os.path.abspath(base),
                watch_filter=None,  # a stray file (`notes.yaml~`) is a finding too
                rust_timeout=TICK_MS,
                yield_on_timeout=True,
                raise_interrupt=True,
            ):
                now = time.monotonic()
                if first or now - last_scan >= rescan:
                    first, last_scan = False, now
                    yield None
                else:
                    yield {path for _, path in events}
                if session.base != base:
                    break  # the corpus folder moved: watch the new one
        except FileNotFoundError as err:
            raise CorpusGone(f"stopped watching: {base} is gone") from err


def watch(
    root: str | os.PathLike[str],
    emit: Callable[[Run], None],
    *,
    cache: bool | str | os.PathLike[str] = True,
    workers: int | None = None,
    changes: Iterable[Batch] | None = None,
) -> Run | None:
    """Check ROOT, then re-check it on every change, calling `emit` with each run, until
    Ctrl-C (or until `changes`, batches of changed paths, runs out). The last run, or None when
    interrupted before the first check ended.

    Raises CorpusNotFound when ROOT holds no corpus, CorpusGone when the corpus disappears.
    """
    session = CheckSession(root, cache=cache, workers=workers)
    last: Run | None = None
    try:
        last = session.start()
        emit(last)
        for batch in changes if changes is not None else file_events(session):
            run = session.refresh(batch)
            if run is not None:
                last = run  # before printing: Ctrl-C once it is shown exits with its status
                emit(run)
    except KeyboardInterrupt:
        pass
    finally:
        session.close()
    return last


def render_run(run: Run, fmt: str) -> str:
    """One run for the terminal: a header with its summary, then its findings (`text`,
    `github`); or one line of JSON (`json`), so that a tool reads one document per run."""
    findings = run.report.findings
    if fmt == "json":
        payload = {
            "findings": [f.to_dict() for f in findings],
            "errors": run.report.errors,
            "warnings": run.report.warnings,
            "files": run.files,
            "full": run.full,
            "seconds": round(run.seconds, 3),
        }
        return json.dumps(payload, ensure_ascii=False)
    lines = [f"== {run.summary()} =="]
    if fmt == "github":
        lines += [f.to_github() for f in findings]
    else:
        lines += [f.to_text() for f in findings]
    return "\n".join(lines)


__all__ = ["CheckSession", "CorpusGone", "Run", "file_events", "render_run", "watch"]
