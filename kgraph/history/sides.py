"""One side of a diff: a corpus folder on disk, or the corpus as a git revision holds it.

A revision is read with `git archive` into a temporary folder (the working tree is never
touched), then loaded, checked and audited as a folder would be.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

from kgraph.audit import run_audit
from kgraph.corpus.check import check
from kgraph.corpus.load import CorpusNotFound, find_corpus
from kgraph.history.compare import DEFAULT_RULES, CorpusDiff, Side, diff_corpora


class SideError(CorpusNotFound):
    """A side that is neither a corpus folder nor a revision holding the corpus (exit 2)."""


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except OSError as err:
        raise SideError(f"git cannot be run ({err.strerror}): a revision needs git") from err


def repository_of(corpus: Path) -> tuple[Path, str]:
    """The git work tree holding a corpus folder, and the corpus's path inside it ('claims')."""
    done = _git(corpus, "rev-parse", "--show-toplevel")
    if done.returncode:
        raise SideError(f"{os.path.abspath(corpus)} is in no git repository: name a folder")
    top = Path(done.stdout.decode().strip())
    rel = Path(os.path.realpath(corpus)).relative_to(os.path.realpath(top))
    return top, rel.as_posix() or "."


def corpus_at(corpus: Path, rev: str, into: Path) -> tuple[Path, str]:
    """Write the corpus folder as revision `rev` holds it into `into`; return the folder written
    and the revision's short id. Raises SideError for an unknown revision or a missing folder."""
    top, rel = repository_of(corpus)
    sha = _git(top, "rev-parse", "--verify", "--quiet", "--short", f"{rev}^{{commit}}")
    if sha.returncode or rev.startswith("-"):
        raise SideError(f"{rev!r} is neither a folder nor a git revision of {top}")
    short = sha.stdout.decode().strip()
    listed = _git(top, "ls-tree", "--name-only", short, "--", rel)
    if rel != "." and not listed.stdout.strip():
        raise SideError(f"at {rev} ({short}), {rel}/ does not exist: no corpus to compare")
    raw = _git(top, "archive", "--format=tar", short, "--", rel)
    if raw.returncode:
        raise SideError(f"git archive {rev} {rel}: {raw.stderr.decode().strip().splitlines()[0]}")
    try:
        with tarfile.open(fileobj=BytesIO(raw.stdout)) as tar:
            tar.extractall(into, filter="data")
    except tarfile.TarError as err:  # a link out of the folder, refused by the data filter
        raise SideError(f"at {rev} ({short}), {rel}/ cannot be read safely: {err}") from err
    return into / rel, short


def _opened(folder: Path, label: str) -> Side:
    report = check(folder)
    return Side(label, report.corpus, report.errors, run_audit(report.corpus))


@contextmanager
def open_side(spec: str | None, working: Path) -> Iterator[Side]:
    """The side named by `spec`: a folder when one exists by that name, else a git revision of
    the repository holding the `working` corpus (None: the working corpus itself)."""
    if spec is None:
        yield _opened(working, f"{working} (working folder)")
        return
    if Path(spec).is_dir():
        yield _opened(Path(spec), spec)
        return
    with tempfile.TemporaryDirectory(prefix="kgraph-diff-") as tmp:
        folder, short = corpus_at(find_corpus(working), spec, Path(tmp))
        try:
            side = _opened(folder, spec if spec == short else f"{spec} ({short})")
        except CorpusNotFound as err:
            raise SideError(f"at {spec} ({short}), the corpus folder holds no records") from err
        yield side


def diff(
    old: str,
    new: str | None = None,
    *,
    root: str | os.PathLike[str] = ".",
    rules: Sequence[str] = DEFAULT_RULES,
) -> CorpusDiff:
    """Compare two states of the corpus whose working copy is at (or above) `root`.

    Each of `old` and `new` is a corpus folder or a git revision; `new` None is the working
    corpus. Raises SideError (a `CorpusNotFound`) for a side that cannot be read.
    """
    working = Path(root)
    needs_working = new is None or not (Path(old).is_dir() and Path(new).is_dir())
    corpus_folder = find_corpus(working) if needs_working else working
    with open_side(old, corpus_folder) as before, open_side(new, corpus_folder) as after:
        return diff_corpora(before, after, rules=rules)
