"""`kgraph build`: check, compile the graph, audit, then write exports and site, atomically.

The last stage of the flow, and the only one that writes: everything goes into a staging folder
beside the output (`kgraph.outputs`), which replaces the output only once complete. A failed or
interrupted build leaves the previous output as it was.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kgraph.corpus.check import CorpusHasErrors, Report, checked_report
from kgraph.exports.rocrate import write_crate
from kgraph.outputs import MARKER, replacing_folder, safe_folder


class BuildRefused(CorpusHasErrors):
    """The corpus has check errors: nothing is written."""

    not_done = "nothing was built"


@dataclass
class BuildResult:
    out_dir: Path
    report: Report
    files: int


# A step writes its part of the output; the names are shown on the progress bar.
Step = tuple[str, Callable[[], None]]


def _steps(report: Report, tmp: Path) -> list[Step]:
    """Compile the graph, plan the site, and return the parts to write: they write separate
    files, so they can run side by side."""
    from kgraph.audit import run_audit
    from kgraph.exports import write_exports
    from kgraph.graph.model import build_graph
    from kgraph.history.log import corpus_history
    from kgraph.site import site_steps

    corpus = report.corpus
    graph = build_graph(corpus)
    return [
        ("exports", lambda: _discard(write_exports(graph, corpus, tmp / "exports"))),
        # The audit runs in the step that shows it, beside the others.
        *site_steps(
            corpus,
            graph,
            tmp,
            lambda: run_audit(corpus),
            history=lambda: corpus_history(corpus.root),
        ),
    ]


def _discard(_: object) -> None:
    return None


class BuildFailed(Exception):
    """A build step failed in a worker process; nothing was replaced."""


def _step_in_child(step: Callable[[], None]) -> None:
    try:
        step()
    except BaseException as err:  # a worker reports in one line, the parent raises
        from kgraph.outputs import os_message

        reason = os_message(err) if isinstance(err, OSError) else f"{type(err).__name__}: {err}"
        print(f"kgraph build: {reason}", file=sys.stderr)
        os._exit(1)
    os._exit(0)


def _run_steps(steps: list[Step], progress: Callable[[str], None] | None, parallel: bool) -> None:
    """Run the steps; they write separate files, so on a machine that can fork, all but the
    last run in worker processes while the last runs here (every core)."""
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if not parallel or not can_fork or len(steps) < 2:
        for name, step in steps:
            if progress:
                progress(name)
            step()
        return
    ctx = multiprocessing.get_context("fork")
    workers = []
    for name, step in steps[:-1]:
        worker = ctx.Process(
            target=_step_in_child, args=(step,), name=f"kgraph-{name.replace(' ', '-')}"
        )
        worker.start()
        workers.append((name, worker))
    try:
        name, step = steps[-1]
        step()
    finally:
        for _, worker in workers:
            worker.join()
    for name, worker in workers:
        if progress:
            progress(name)
        if worker.exitcode != 0:
            raise BuildFailed(
                f"the {name} step failed (exit {worker.exitcode}); the previous output is unchanged"
            )
    if progress:
        progress(steps[-1][0])


def build(
    root: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    progress: Callable[[str], None] | None = None,
    parallel: bool = True,
    on_wait: Callable[[str], None] | None = None,
    on_cleanup: Callable[[Iterable[Path]], None] | None = None,
) -> BuildResult:
    """Check the corpus at ROOT and, if it has no errors, write exports and site into OUT_DIR.

    OUT_DIR is refused (`OutputRefused`, nothing touched) unless kgraph may replace it: see
    `kgraph.outputs`. The new site is staged beside it and swapped in whole.
    """
    from kgraph.corpus.load import find_corpus

    # Judge the output before the (slow) check, so a refusal comes at once.
    safe_folder(out_dir, corpus_root=find_corpus(root), what="the site")
    report = checked_report(root, refusal=BuildRefused)
    with replacing_folder(
        out_dir, "site", corpus_root=report.corpus.root, on_wait=on_wait, on_cleanup=on_cleanup
    ) as staged:
        _run_steps(_steps(report, staged), progress, parallel)
        # Last, over the finished folder: the crate lists the files as shipped.
        write_crate(report.corpus, staged)
        files = sum(1 for p in staged.rglob("*") if p.is_file() and p.name != MARKER)
    return BuildResult(Path(out_dir).absolute(), report, files)


STEP_NAMES = ("exports", "graph pages", "record pages")


# What a build reads below the corpus folder: a change anywhere else (the output itself, a
# cache, an editor's swap file beside the corpus) does not rebuild.
INPUT_FOLDERS = frozenset({"claims", "sources", "entities", "coverage", "snapshots"})


@dataclass
class WatchedBuild:
    """One build of `kgraph build --watch`: its result, or the check's refusal."""

    result: BuildResult | None
    refused: CorpusHasErrors | None
    seconds: float


def is_input(corpus_root: Path, path: str | os.PathLike[str]) -> bool:
    """Whether a changed path is one a build reads (a record, a snapshot, a coverage map)."""
    try:
        rel = Path(os.path.abspath(path)).relative_to(corpus_root)
    except ValueError:
        return False
    return bool(rel.parts) and rel.parts[0] in INPUT_FOLDERS


def input_changes(corpus_root: Path) -> Iterator[list[str]]:
    """Batches of changed input paths under the corpus, from the operating system's file
    events (watchfiles), until interrupted."""
    import watchfiles  # only watch mode needs it

    for events in watchfiles.watch(
        corpus_root, watch_filter=lambda _change, path: is_input(corpus_root, path)
    ):
        yield sorted({path for _, path in events})


def watch_build(
    root: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    emit: Callable[[WatchedBuild], None],
    *,
    parallel: bool = True,
    changes: Iterable[Iterable[str]] | None = None,
) -> WatchedBuild | None:
    """Build, then build again each time a file the build reads changes, calling `emit` with
    each build, until Ctrl-C (or until `changes`, batches of changed paths, runs out). A corpus
    with check errors is reported and watched on: the previous output stays as it was.

    Each build is a whole build, swapped in whole (`build`): what a browser shows is always a
    complete site. Returns the last build, or None when interrupted before the first ended.
    """
    from kgraph.corpus.load import find_corpus

    corpus_root = find_corpus(root).absolute()

    def once() -> WatchedBuild:
        started = time.perf_counter()
        try:
            result = build(root, out_dir, parallel=parallel)
        except BuildRefused as err:
            return WatchedBuild(None, err, time.perf_counter() - started)
        return WatchedBuild(result, None, time.perf_counter() - started)

    last: WatchedBuild | None = None
    try:
        last = once()
        emit(last)
        for batch in changes if changes is not None else input_changes(corpus_root):
            if any(is_input(corpus_root, p) for p in batch):
                last = once()
                emit(last)
    except KeyboardInterrupt:
        pass
    return last
