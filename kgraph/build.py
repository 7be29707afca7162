"""`kgraph build`: check, compile the graph, audit, then write exports and site, atomically.

The last stage of the flow, and the only one that writes: everything goes into a staging folder
beside the output (`kgraph.outputs`), which replaces the output only once complete. A failed or
interrupted build leaves the previous output as it was.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable
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
    from kgraph.site import site_steps

    corpus = report.corpus
    graph = build_graph(corpus)
    return [
        ("exports", lambda: _discard(write_exports(graph, corpus, tmp / "exports"))),
        # The audit runs in the step that shows it, beside the others.
        *site_steps(corpus, graph, tmp, lambda: run_audit(corpus)),
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
