"""Every claim's revisions from git: one `git log` walk over the claims folder and one
`git cat-file --batch` for the blobs it names, so the cost does not grow with a process per claim.

Only commits are read, never the work tree or the clock: a fresh clone gives the same history.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from kgraph.corpus.load import CorpusNotFound, find_corpus
from kgraph.corpus.revisions import NOT_IN_GIT, Commit, CorpusHistory, Revision, revision_of
from kgraph.corpus.schema import FOLDERS
from kgraph.history.sides import repository_of

# Fields of one commit's header line in the log; a record separator starts each commit.
_FORMAT = "%x1e%H%x1f%aI%x1f%an%x1f%s"
_NULL = "0" * 40
_CHANGE = {"A": "added", "M": "changed", "T": "changed", "D": "deleted"}


def _run(top: Path, args: list[str], stdin: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(top), *args], input=stdin, capture_output=True, check=False
        )
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


def _log(top: Path, folder: str) -> list[tuple[Commit, list[tuple[str, str, str]]]]:
    """(commit, [(status, blob, path)]) newest first; for a deletion the blob is the old one."""
    # Options that settle what a user's git configuration could change in the output.
    settled = ["--no-color", "--no-show-signature", "--no-renames", "--no-abbrev"]
    raw = _run(top, ["log", *settled, "--raw", "-z", f"--format={_FORMAT}", "--", folder])
    if raw is None:
        return []
    out: list[tuple[Commit, list[tuple[str, str, str]]]] = []
    for chunk in raw.decode("utf-8", "replace").split("\x1e")[1:]:
        head, *fields = chunk.split("\x00")
        sha, date, author, subject = [*head.strip("\n").split("\x1f"), "", "", "", ""][:4]
        files: list[tuple[str, str, str]] = []
        # -z --raw: ":old-mode new-mode old-blob new-blob status" NUL path NUL, repeated.
        items = [f.strip("\n") for f in fields if f.strip("\n")]
        for meta, path in zip(items[0::2], items[1::2], strict=False):
            parts = meta.lstrip(":").split()
            if len(parts) < 5 or not path.endswith((".yaml", ".yml")):
                continue
            status = parts[4][:1]
            blob = parts[2] if status == "D" else parts[3]
            if status in _CHANGE and blob != _NULL:
                files.append((status, blob, path))
        out.append((Commit(sha, date, author, subject), files))
    return out


def _blobs(top: Path, shas: list[str]) -> dict[str, bytes]:
    """The content of each blob, read by one `git cat-file --batch`."""
    if not shas:
        return {}
    raw = _run(top, ["cat-file", "--batch"], ("\n".join(shas) + "\n").encode())
    found: dict[str, bytes] = {}
    pos = 0
    while raw is not None and pos < len(raw):
        end = raw.index(b"\n", pos)
        header = raw[pos:end].split()
        pos = end + 1
        if len(header) != 3:  # "<sha> missing"
            continue
        size = int(header[2])
        found[header[0].decode()] = raw[pos : pos + size]
        pos += size + 1
    return found


def corpus_history(corpus_root: Path) -> CorpusHistory:
    """Each claim's revisions as the commits of the repository holding the corpus at (or
    around, as `find_corpus` finds it) `corpus_root` record
    them, newest first (a claim is followed by its id, so a renamed file keeps its history).
    Outside a repository, or without git: a history that says why it is missing."""
    if shutil.which("git") is None:
        return CorpusHistory(missing=NOT_IN_GIT)
    try:
        top, rel = repository_of(find_corpus(corpus_root))
    except CorpusNotFound:  # a SideError too: no repository
        return CorpusHistory(missing=NOT_IN_GIT)
    folder = FOLDERS["claim"] if rel == "." else f"{rel}/{FOLDERS['claim']}"
    commits = _log(top, folder)
    shallow = _run(top, ["rev-parse", "--is-shallow-repository"]) or b""
    note = "a shallow clone: older commits are not in it" if shallow.strip() == b"true" else ""
    contents = _blobs(top, sorted({blob for _, files in commits for _, blob, _ in files}))
    history = CorpusHistory(note=note)
    for commit, files in commits:
        changed: dict[str, Revision] = {}
        for status, blob, path in files:
            if blob not in contents:
                continue
            cid, rev = revision_of(contents[blob], path, commit, _CHANGE[status])
            # A file moved in one commit is a deletion and an addition: the addition stands.
            if cid not in changed or changed[cid].change == "deleted":
                changed[cid] = rev
        for cid in sorted(changed):
            history.revisions.setdefault(cid, []).append(changed[cid])
    return history
