"""Where kgraph may write: output folders carry a marker, and nothing without one is replaced.

Every folder kgraph writes (a site, an export folder, schemas, a generated corpus) holds a
`.kgraph-output` marker. A command replaces a folder only when it carries the marker or is empty,
never one that is, contains or lies inside the corpus's records, a git checkout, the home folder
or a filesystem root. The new content is staged beside the target, under a lock, and swapped in
whole, so a killed build or a full disk leaves the previous output as it was.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

MARKER = ".kgraph-output"
# Bumped when the marker's meaning changes; any version is recognised as kgraph's.
MARKER_VERSION = 1
STAGING_TAGS = (".tmp-", ".old-")


class OutputRefused(Exception):
    """The output path is one kgraph must not write: nothing was touched (exit 2)."""


def marker_text(kind: str) -> str:
    """The marker's content: what wrote the folder, and the marker's format version (no date,
    so the same input gives the same bytes)."""
    payload = {"kgraph-output": kind, "version": MARKER_VERSION}
    return json.dumps(payload, sort_keys=True) + "\n"


def write_marker(folder: Path, kind: str) -> None:
    (folder / MARKER).write_text(marker_text(kind), encoding="utf-8")


def is_marked(folder: Path) -> bool:
    """Whether a folder carries kgraph's marker (a regular file with kgraph's content)."""
    marker = folder / MARKER
    try:
        if marker.is_symlink() or not marker.is_file():
            return False
        with marker.open("rb") as fh:
            data = json.loads(fh.read(4096).decode("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "kgraph-output" in data


def _is_empty(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def protected_folders(corpus_root: Path | None) -> list[Path]:
    """The folders of a corpus that no output may be, contain, or lie inside: its record
    folders and its snapshots (the root itself may hold an output beside them)."""
    if corpus_root is None:
        return []
    from kgraph.corpus.schema import FOLDERS  # the one home of the record folders' names

    root = corpus_root.resolve()
    return [root / name for name in (*FOLDERS.values(), "snapshots")]


def _refuse_common(target: Path, corpus_root: Path | None, what: str) -> None:
    """The refusals a folder and a file output share."""
    for parent in target.parents:
        if parent.exists() and not parent.is_dir():
            raise OutputRefused(f"cannot write {what} to {target}: {parent} is a file")
    if target == Path(target.anchor):
        raise OutputRefused(f"refusing to write {what} to {target}: it is a filesystem root")
    if target == Path.home().resolve():
        raise OutputRefused(f"refusing to write {what} to {target}: it is the home folder")
    if corpus_root is not None:
        root = corpus_root.resolve()
        if root.is_relative_to(target):
            raise OutputRefused(
                f"refusing to write {what} to {target}: it is or contains the corpus at {root}"
            )
        for folder in protected_folders(root):
            if _inside(target, folder):
                raise OutputRefused(
                    f"refusing to write {what} to {target}: it is inside the corpus's "
                    f"{folder.name}/ folder ({folder})"
                )


def safe_folder(out: str | os.PathLike[str], *, corpus_root: Path | None, what: str) -> Path:
    """The real path of an output folder that kgraph may replace, or OutputRefused saying why.

    A symlink is judged by where it leads, and the folder it leads to is the one replaced.
    """
    target = Path(out).expanduser().resolve()
    _refuse_common(target, corpus_root, what)
    if target.exists() and not target.is_dir():
        raise OutputRefused(f"refusing to write {what} to {target}: it is a file, not a folder")
    if target.is_dir():
        if (target / ".git").exists():
            raise OutputRefused(
                f"refusing to write {what} to {target}: it holds .git (a repository)"
            )
        try:
            empty = _is_empty(target)
        except OSError as err:
            raise OutputRefused(f"cannot read {target}: {err.strerror}") from err
        if not empty and not is_marked(target):
            raise OutputRefused(
                f"refusing to write {what} to {target}: it holds files kgraph did not write "
                f"(no {MARKER} marker); choose an empty or new folder"
            )
    return target


def safe_file(out: str | os.PathLike[str], *, corpus_root: Path | None, what: str) -> Path:
    """The real path of an output file kgraph may write, or OutputRefused saying why: never a
    folder, never inside the corpus's records or snapshots."""
    target = Path(out).expanduser().resolve()
    _refuse_common(target, corpus_root, what)
    if target.is_dir():
        raise OutputRefused(f"refusing to write {what} to {target}: it is a folder, not a file")
    if target.exists() and not target.is_file():
        raise OutputRefused(f"refusing to write {what} to {target}: it is not a regular file")
    return target


@contextmanager
def _locked(parent: Path, on_wait: Callable[[str], None] | None) -> Iterator[None]:
    """Hold the lock on the output's parent folder: a second writer into it waits its turn.

    The lock is the folder's own (flock on its descriptor), so no lock file is left behind, and
    the kernel drops it when its holder dies, even by SIGKILL.
    """
    try:
        import fcntl
    except ImportError:  # no flock on this platform: one writer at a time is on the user
        yield
        return
    fd = os.open(parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(f"waiting for another kgraph writing into {parent}")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def stale_staging(parent: Path, name: str) -> list[Path]:
    """Folders a killed writer left beside output `name`: its staging and old copies, which
    carry the marker (or are still empty)."""
    found = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return []
    prefixes = tuple(f".{name}{tag}" for tag in STAGING_TAGS)
    for entry in entries:
        if not entry.name.startswith(prefixes) or entry.is_symlink() or not entry.is_dir():
            continue
        path = Path(entry.path)
        try:
            if is_marked(path) or _is_empty(path):
                found.append(path)
        except OSError:
            continue
    return sorted(found)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    res = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if res == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap_in(staged: Path, target: Path, old_slot: Path) -> None:
    """Put the staged folder at target; the old content ends up in `old_slot` or `staged`."""
    if not target.exists():
        os.rename(staged, target)
        return
    if _exchange(staged, target):
        return
    # Two renames: between them the output is missing, but kept whole in old_slot, which the
    # next writer puts back if this one dies there (see `_recover`).
    os.rename(target, old_slot)
    try:
        os.rename(staged, target)
    except BaseException:
        os.rename(old_slot, target)
        raise


def _recover(parent: Path, target: Path) -> None:
    """Before anything else: an output a killed writer had moved aside is put back."""
    if target.exists():
        return
    olds = [p for p in stale_staging(parent, target.name) if f".{target.name}.old-" in p.name]
    for old in olds:
        inner = old / target.name
        if inner.is_dir() and is_marked(inner):
            os.rename(inner, target)
            return


def clean_stale(parent: Path, name: str) -> list[Path]:
    """Remove what killed writers left beside output `name`; returns what was removed."""
    removed = []
    for path in stale_staging(parent, name):
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


@contextmanager
def replacing_folder(
    out: str | os.PathLike[str],
    kind: str,
    *,
    corpus_root: Path | None = None,
    on_wait: Callable[[str], None] | None = None,
    on_cleanup: Callable[[Iterable[Path]], None] | None = None,
) -> Iterator[Path]:
    """Stage a new output folder and, when the block ends without error, swap it in for OUT.

    Yields the staging folder (already marked). OUT is checked with `safe_folder` first and once
    more just before the swap; an error in the block leaves OUT untouched and the staging gone.
    """
    what = kind
    target = safe_folder(out, corpus_root=corpus_root, what=what)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    with _locked(parent, on_wait):
        _recover(parent, target)
        removed = clean_stale(parent, target.name)
        if removed and on_cleanup is not None:
            on_cleanup(removed)
        staged = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=parent))
        old_slot = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=parent))
        try:
            write_marker(staged, kind)
            write_marker(old_slot, kind)
            yield staged
            # The target may have changed while the content was written: judge it again.
            safe_folder(target, corpus_root=corpus_root, what=what)
            staged.chmod(0o755)  # mkdtemp makes it 0700; an output is for reading
            _swap_in(staged, target, old_slot / target.name)
        finally:
            shutil.rmtree(staged, ignore_errors=True)
            shutil.rmtree(old_slot, ignore_errors=True)


def replace_file(
    out: str | os.PathLike[str],
    write: Callable[[Path], None],
    *,
    what: str,
    corpus_root: Path | None = None,
) -> Path:
    """Write one output file through `write(staging_path)`, then move it into place whole."""
    target = safe_file(out, corpus_root=corpus_root, what=what)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.tmp-", dir=target.parent)
    os.close(fd)
    staged = Path(name)
    try:
        write(staged)
        os.chmod(staged, 0o644)
        os.replace(staged, target)
    finally:
        staged.unlink(missing_ok=True)
    return target


def os_message(err: OSError) -> str:
    """One line for an operating-system error: what failed, and where."""
    reason = err.strerror or str(err) or type(err).__name__
    where = err.filename if err.filename is not None else None
    text = f"{reason}: {where}" if where is not None else reason
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        text += " (the disk is full; any previous output is unchanged)"
    return text
