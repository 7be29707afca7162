"""Outputs only ever replace what kgraph made: every refusal leaves every byte as it was.

Each case runs the real `kgraph` command on a scratch project (a corpus in claims/, hand-written
docs/, a .git folder) and hashes the whole tree before and after.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kgraph.outputs import (
    MARKER,
    OutputRefused,
    is_marked,
    replacing_folder,
    safe_file,
    safe_folder,
    write_marker,
)
from tests.conftest import CorpusBuilder, tree

KGRAPH = [str(Path(sys.executable).parent / "kgraph")]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A checkout as a user has it: the corpus in claims/, docs, a repository, a note."""
    proj = tmp_path / "proj"
    CorpusBuilder(proj / "claims").minimal()
    (proj / "docs").mkdir()
    (proj / "docs" / "notes.md").write_text("months of work\n", encoding="utf-8")
    (proj / ".git").mkdir()
    (proj / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (proj / "README.md").write_text("# my corpus\n", encoding="utf-8")
    return proj


def run(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "KGRAPH_CACHE_DIR": str(cwd.parent / "cache"), **(env or {})}
    full_env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [*KGRAPH, *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=120
    )


def assert_refused(result: subprocess.CompletedProcess[str], reason: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert reason in lines[0], lines[0]


BUILD_REFUSALS = [
    # (what --out names, relative to the project; words the one-line reason must hold)
    (".", "is or contains the corpus"),
    ("claims", "is or contains the corpus"),
    ("claims/claims", "inside the corpus's claims/ folder"),
    ("claims/sources", "inside the corpus's sources/ folder"),
    ("claims/entities/site", "inside the corpus's entities/ folder"),
    ("claims/snapshots/out", "inside the corpus's snapshots/ folder"),
    ("docs", "holds files kgraph did not write"),
    ("README.md", "it is a file, not a folder"),
    ("README.md/site", "README.md is a file"),
    (".git", "holds files kgraph did not write"),
]


@pytest.mark.parametrize(("out", "reason"), BUILD_REFUSALS)
def test_build_refuses_and_touches_nothing(project: Path, out: str, reason: str) -> None:
    before = tree(project.parent)
    result = run(["build", ".", "--out", out], cwd=project)
    assert_refused(result, reason)
    assert tree(project.parent) == before


def test_build_refuses_the_home_folder_and_the_filesystem_root(
    project: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()  # empty, so only its being home refuses it
    before = tree(tmp_path)
    assert_refused(run(["build", ".", "--out", str(home)], project, {"HOME": str(home)}), "home")
    assert_refused(run(["build", ".", "--out", "~"], project, {"HOME": str(home)}), "home")
    assert_refused(run(["build", ".", "--out", "/"], project), "filesystem root")
    assert tree(tmp_path) == before


@pytest.mark.parametrize(
    "link_to", ["claims", "claims/claims", "docs", ".", "README.md", "claims/snapshots"]
)
def test_build_judges_a_symlink_by_where_it_leads(project: Path, link_to: str) -> None:
    (project / "out-link").symlink_to(project / link_to)
    before = tree(project.parent)
    result = run(["build", ".", "--out", "out-link"], cwd=project)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert tree(project.parent) == before


def test_default_site_out_beside_claims_works_and_is_marked(project: Path) -> None:
    result = run(["build", "."], cwd=project)
    assert result.returncode == 0, result.stderr
    assert is_marked(project / "site_out")
    assert (project / "site_out" / "index.html").is_file()
    # Built again: the marked folder is replaced, everything else stays.
    others = {k: v for k, v in tree(project.parent).items() if not k.startswith("proj/site_out")}
    (project / "site_out" / "stray.txt").write_text("x", encoding="utf-8")
    result = run(["build", "."], cwd=project)
    assert result.returncode == 0, result.stderr
    assert not (project / "site_out" / "stray.txt").exists()
    after = {k: v for k, v in tree(project.parent).items() if not k.startswith("proj/site_out")}
    assert after == others
    assert not [p for p in project.iterdir() if p.name.startswith(".site_out.")]


def test_an_empty_folder_and_a_symlink_to_a_marked_site_are_accepted(project: Path) -> None:
    (project / "empty").mkdir()
    assert run(["build", ".", "--out", "empty"], cwd=project).returncode == 0
    assert is_marked(project / "empty")
    (project / "link").symlink_to(project / "empty")
    (project / "empty" / "stray.txt").write_text("x", encoding="utf-8")
    assert run(["build", ".", "--out", "link"], cwd=project).returncode == 0
    assert (project / "link").is_symlink(), "the link stays; the folder it leads to is replaced"
    assert not (project / "empty" / "stray.txt").exists()


def test_a_forged_or_linked_marker_does_not_count(project: Path) -> None:
    folder = project / "docs"
    (folder / MARKER).write_text("I am not kgraph's\n", encoding="utf-8")
    assert not is_marked(folder)
    (folder / MARKER).unlink()
    elsewhere = project.parent / "real-marker"
    elsewhere.mkdir()
    write_marker(elsewhere, "site")
    (folder / MARKER).symlink_to(elsewhere / MARKER)
    assert not is_marked(folder)
    before = tree(project.parent)
    assert_refused(run(["build", ".", "--out", "docs"], project), "did not write")
    assert tree(project.parent) == before


def test_a_marked_folder_holding_git_is_refused(project: Path) -> None:
    out = project / "site"
    out.mkdir()
    write_marker(out, "site")
    (out / ".git").mkdir()
    before = tree(project.parent)
    assert_refused(run(["build", ".", "--out", "site"], project), "holds .git")
    assert tree(project.parent) == before


EXPORT_REFUSALS = [
    (["--format", "node-link", "-o", "docs"], "it is a folder, not a file"),
    (["--format", "node-link", "-o", "claims/claims/graph.json"], "inside the corpus's claims/"),
    (["--format", "jsonl", "-o", "claims/snapshots/x.jsonl"], "inside the corpus's snapshots/"),
    (["--format", "neo4j", "-o", "README.md"], "it is a file, not a folder"),
    (["--format", "neo4j", "-o", "docs"], "holds files kgraph did not write"),
    (["--format", "neo4j", "-o", "claims"], "is or contains the corpus"),
    (["--format", "graphml", "-o", "README.md/x.graphml"], "README.md is a file"),
]


@pytest.mark.parametrize(("args", "reason"), EXPORT_REFUSALS)
def test_export_refuses_and_touches_nothing(project: Path, args: list[str], reason: str) -> None:
    before = tree(project.parent)
    assert_refused(run(["export", ".", *args], cwd=project), reason)
    # The check's cache lives outside the tree (KGRAPH_CACHE_DIR), so nothing here may change.
    assert tree(project.parent) == before


def test_export_writes_a_marked_neo4j_folder_and_replaces_only_it(project: Path) -> None:
    result = run(["export", ".", "--format", "neo4j", "-o", "neo"], cwd=project)
    assert result.returncode == 0, result.stderr
    assert is_marked(project / "neo") and (project / "neo" / "claims.csv").is_file()
    result = run(["export", ".", "--format", "neo4j", "-o", "neo"], cwd=project)
    assert result.returncode == 0, result.stderr


def test_schema_out_refuses_a_foreign_folder_and_marks_its_own(project: Path) -> None:
    before = tree(project.parent)
    assert_refused(run(["schema", "--out", "docs"], project), "did not write")
    assert tree(project.parent) == before
    assert run(["schema", "--out", "schemas"], project).returncode == 0
    assert is_marked(project / "schemas")
    assert (project / "schemas" / "claim.schema.json").is_file()
    assert run(["schema", "--out", "schemas"], project).returncode == 0


def test_the_generator_marks_what_it_writes_and_refuses_a_foreign_folder(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parent.parent / "scripts" / "generate_corpus.py"
    out = tmp_path / "gen"
    done = subprocess.run([sys.executable, str(script), "20", str(out)], capture_output=True)
    assert done.returncode == 0, done.stderr
    assert is_marked(out)
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "a.txt").write_text("mine\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), "20", str(foreign)], capture_output=True, text=True
    )
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert sorted(p.name for p in foreign.iterdir()) == ["a.txt"]


def test_committed_generated_folders_are_marked() -> None:
    repo = Path(__file__).resolve().parent.parent
    assert is_marked(repo / "site_out"), "site_out/ must carry the marker (bash scripts/build.sh)"
    assert is_marked(repo / "schema"), "schema/ must carry the marker (scripts/gen_docs.py)"


def test_library_refusals(tmp_path: Path) -> None:
    corpus = CorpusBuilder(tmp_path / "c").minimal().root
    with pytest.raises(OutputRefused, match="filesystem root"):
        safe_folder("/", corpus_root=corpus, what="x")
    with pytest.raises(OutputRefused, match="corpus"):
        safe_folder(tmp_path, corpus_root=corpus, what="x")
    with pytest.raises(OutputRefused, match="folder, not a file"):
        safe_file(corpus / "claims", corpus_root=None, what="x")
    with pytest.raises(OutputRefused, match="inside the corpus's sources/"):
        safe_file(corpus / "sources" / "new.yaml", corpus_root=corpus, what="x")
    # An error inside the block leaves the old folder as it was and no staging behind.
    out = tmp_path / "out"
    with replacing_folder(out, "site") as staged:
        (staged / "a.txt").write_text("old", encoding="utf-8")
    before = tree(tmp_path)
    with pytest.raises(RuntimeError), replacing_folder(out, "site") as staged:
        (staged / "a.txt").write_text("new", encoding="utf-8")
        raise RuntimeError("stopped")
    assert tree(tmp_path) == before


# -- two builds at once, a killed build, a full disk --------------------------------------------


@pytest.fixture(scope="session")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A corpus whose build takes long enough to be caught in the middle, and the site its
    build writes: generated and built once for the session, copied by each test that needs them
    (generating and building 1,500 claims is most of what these tests cost)."""
    from kgraph.generate import generate_corpus

    base = tmp_path_factory.mktemp("big-corpus")
    generate_corpus(base / "claims", 1500, seed=1)
    site = base.parent / f"{base.name}-site"
    done = run(["build", "--root", str(base), "-q", "--out", str(site)], cwd=base)
    assert done.returncode == 0, done.stderr
    return base / "claims", site


@pytest.fixture
def big_project(tmp_path: Path, big_corpus: tuple[Path, Path]) -> Path:
    """A project holding a copy of the session's big corpus, not yet built."""
    proj = tmp_path / "big"
    proj.mkdir()
    shutil.copytree(big_corpus[0], proj / "claims", symlinks=True)
    return proj


@pytest.fixture
def reference_site(big_corpus: tuple[Path, Path]) -> Path:
    """The site a build of the big corpus writes (read only: copy it to change it)."""
    return big_corpus[1]


def _hold_lock(folder: Path) -> Iterator[int]:
    fd = os.open(folder, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield fd
    finally:
        os.close(fd)


def test_a_second_build_waits_for_the_first(project: Path) -> None:
    assert run(["build", "."], cwd=project).returncode == 0
    before = tree(project / "site_out")
    env = {**os.environ, "KGRAPH_CACHE_DIR": str(project.parent / "cache")}
    holder = _hold_lock(project)
    next(holder)  # another writer holds the lock on site_out's folder
    try:
        second = subprocess.Popen(
            [*KGRAPH, "build", "."],
            cwd=project,
            env=env,
            stderr=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)
        assert second.poll() is None, "the second build must wait while the lock is held"
        assert tree(project / "site_out") == before
    finally:
        holder.close()
    _, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert "waiting for another kgraph" in err


def test_two_builds_at_once_give_one_whole_site(big_project: Path, reference_site: Path) -> None:
    env = {**os.environ, "KGRAPH_CACHE_DIR": str(big_project.parent / "cache")}
    builds = [
        subprocess.Popen(
            [*KGRAPH, "build", ".", "-q"], cwd=big_project, env=env, stderr=subprocess.PIPE
        )
        for _ in range(2)
    ]
    for b in builds:
        b.wait(timeout=300)
        assert b.returncode == 0
    # The same bytes as one build alone writes (of the same records, elsewhere, to elsewhere).
    assert tree(big_project / "site_out") == tree(reference_site)
    assert not [p for p in big_project.iterdir() if p.name.startswith(".site_out.")]


def _wait_for(check: Callable[[], bool], seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.02)
    return False


def test_a_killed_build_leaves_the_old_site_and_the_next_build_cleans_up(
    big_project: Path, reference_site: Path
) -> None:
    # The previous site: what a build writes, as the test above shows byte for byte.
    shutil.copytree(reference_site, big_project / "site_out", symlinks=True)
    before = tree(big_project / "site_out")
    others = {k: v for k, v in tree(big_project).items() if not k.startswith("site_out")}
    env = {**os.environ, "KGRAPH_CACHE_DIR": str(big_project.parent / "cache")}
    proc = subprocess.Popen(
        [*KGRAPH, "build", ".", "-q"], cwd=big_project, env=env, start_new_session=True
    )

    def staging_has_pages() -> bool:
        return any(
            p.name.startswith(".site_out.tmp-") and any(p.iterdir()) for p in big_project.iterdir()
        )

    assert _wait_for(staging_has_pages, 120), "the build never started writing"
    os.killpg(proc.pid, signal.SIGKILL)  # the build and its workers, with no chance to tidy
    proc.wait()
    assert tree(big_project / "site_out") == before
    left = [p for p in big_project.iterdir() if p.name.startswith(".site_out.")]
    assert left, "a killed build leaves its staging behind (the next build removes it)"
    result = run(["build", "."], cwd=big_project)
    assert result.returncode == 0, result.stderr
    assert "removed what an interrupted build left" in result.stderr
    assert not [p for p in big_project.iterdir() if p.name.startswith(".site_out.")]
    assert tree(big_project / "site_out") == before
    after = {k: v for k, v in tree(big_project).items() if not k.startswith("site_out")}
    assert after == others


def test_a_build_killed_between_its_two_renames_is_put_back(tmp_path: Path) -> None:
    """Where the system cannot swap two folders in one step, the old site is moved aside first;
    a writer killed then leaves it in `.NAME.old-*`, and the next writer puts it back."""
    out = tmp_path / "site"
    with replacing_folder(out, "site") as staged:
        (staged / "index.html").write_text("old site", encoding="utf-8")
    before = tree(out)
    aside = tmp_path / ".site.old-dead"
    aside.mkdir()
    write_marker(aside, "site")
    out.rename(aside / "site")
    with pytest.raises(RuntimeError), replacing_folder(out, "site"):
        raise RuntimeError("this writer fails too")
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    mnt = tmp_path / "disk"
    mnt.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_full_disk_leaves_the_previous_site_and_says_so(project: Path, tiny_disk: Path) -> None:
    out = tiny_disk / "site"
    assert run(["build", ".", "--out", str(out)], cwd=project).returncode == 0
    before = tree(out)
    # Fill the disk, leaving less room than one more site needs.
    stat = os.statvfs(tiny_disk)
    free = stat.f_bavail * stat.f_frsize
    with (tiny_disk / "filler").open("wb") as fh:
        fh.write(b"\0" * max(free - 16 * 1024, 0))
    corpus_before = tree(project)
    result = run(["build", ".", "--out", str(out)], cwd=project)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "No space left on device" in result.stderr
    assert "previous output is unchanged" in result.stderr
    assert tree(out) == before
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler", "site"]
    assert tree(project) == corpus_before
