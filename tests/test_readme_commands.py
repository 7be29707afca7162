"""Every shell command the docs show runs as written: README.md, claims/README.md and docs/*.md.

The commands are taken from fenced bash, sh and console blocks (a console block's commands are
its `$ ` lines), from `$ ` lines anywhere, and from the README's inline `kgraph ...` code. Each
runs with bash in one scratch copy of the repository, in the order the docs give them, with the
repository's `.venv/bin` first on PATH (what the README's `source .venv/bin/activate` does), and
must exit 0, or the code its own comment states (`# exit 1 if ...`), with no traceback.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

DOCS = ["README.md", "claims/README.md", *sorted(f"docs/{p.name}" for p in REPO.glob("docs/*.md"))]

# Commands the test does not run, each with why. Anything else a doc shows must run.
SKIPPED: dict[str, str] = {
    # Set-up: they install packages (pip, apt-get) or change the calling shell.
    "bash scripts/build.sh": "set-up: installs the packages into .venv, then builds",
    "bash scripts/test.sh": "set-up: installs packages and Debian's chromium, then runs this suite",
    "source .venv/bin/activate": "set-up: the test puts .venv/bin on PATH instead",
    "sudo apt-get install virtuoso-opensource": "set-up: a system package, as root",
    # Long runs: a benchmark, and a corpus of 100,000 claims (and what checks it).
    "python scripts/bench.py --write BENCHMARKS.md": "benchmark: about 40 minutes",
    "python scripts/bench_site.py --claims 100000 --whole-only --repeat 2": "benchmark: 100,000 claims",
    "python scripts/generate_corpus.py 100000 /tmp/corpus-100k --seed 0": "long: 100,000 claims",
    "kgraph check --root /tmp/corpus-100k": "long: checks the 100,000-claim corpus above",
    # A git history: the scratch copy is not a repository (tests/test_diff.py builds one).
    "kgraph diff HEAD~1 HEAD": "needs a git history; tests/test_diff.py runs it in a repository",
    # Servers, and other programs a machine may not have.
    "kgraph check --watch": "a server: stays up until interrupted",
    "kgraph build --watch": "a server: stays up until interrupted",
    "cd neo4j": "the Neo4j import below, which needs Neo4j",
    "isql-vt": "needs a running Virtuoso server",
    "curl -s http://127.0.0.1:8890/sparql": "needs a running SPARQL endpoint",
    "kgraph query queries/echoes.rq --endpoint": "needs a running SPARQL endpoint",
    "python scripts/bench_sparql.py": "benchmark: generates 100,000 claims and starts Virtuoso "
    "(tests/test_triplestore.py runs it on 60)",
    "kgraph nanopub ketamine-blocks-nmda-receptors --key": "needs the signer's own key "
    "(tests/test_nanopubs.py signs with one it makes)",
    "kgraph reanchor claims/snapshots/ARTICLE.txt": "needs an article's new text, saved by hand "
    "(tests/test_reanchor.py runs it)",
    '"$NEO4J_HOME"/bin/neo4j-admin database import full neo4j': "needs Neo4j installed",
    "kgraph serve": "a server: stays up until interrupted (tests/test_serve.py runs it)",
    "curl -s --data-binary @draft.md": "needs a running `kgraph serve` (tests/test_serve.py)",
    "curl -s 'http://127.0.0.1:8765/api/v1/find?text=ketamine+quiets+the+fear+center'": (
        "needs a running `kgraph serve` (tests/test_serve.py)"
    ),
}

# Inline code that only sums up a command's syntax, with placeholders (`kgraph cite ID`,
# `kgraph export --format F [-o FILE]`): it cannot run as written, and is not a command.
PLACEHOLDER = re.compile(r"\[|\]|\||\.\.\.|<|\b[A-Z]{1,5}\b")

FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
INLINE_KGRAPH = re.compile(r"`(kgraph [^`]+)`")
STATED_EXIT = re.compile(r"#.*\bexits? (\d)\b")


def _block_commands(lang: str, body: str) -> list[str]:
    if lang == "console":
        return [line[2:] for line in body.splitlines() if line.startswith("$ ")]
    commands: list[str] = []
    pending = ""
    for line in body.splitlines():
        if pending:
            line = pending + "\n" + line
            pending = ""
        if line.endswith("\\"):
            pending = line
            continue
        if line.strip() and not line.lstrip().startswith("#"):
            commands.append(line)
    return commands


def doc_commands(rel: str) -> list[str]:
    """The shell commands one doc shows, in its order."""
    text = (REPO / rel).read_text(encoding="utf-8")
    found: list[str] = []
    for m in FENCE.finditer(text):
        if m.group(1) in ("bash", "sh", "console"):
            found += _block_commands(m.group(1), m.group(2))
    outside = FENCE.sub("", text)
    found += [line[2:] for line in outside.splitlines() if line.startswith("$ ")]
    if rel == "README.md":
        for m in INLINE_KGRAPH.finditer(outside):
            command = " ".join(m.group(1).split())
            if not PLACEHOLDER.search(command):
                found.append(command)
    return found


def all_commands() -> list[tuple[str, str]]:
    seen: set[str] = set()
    out = []
    for rel in DOCS:
        for command in doc_commands(rel):
            if command not in seen:
                seen.add(command)
                out.append((rel, command))
    return out


def skipped(command: str) -> str | None:
    for prefix, reason in SKIPPED.items():
        if command == prefix or command.startswith(prefix + " "):
            return reason
    return None


COMMANDS = all_commands()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of what the commands read: the corpus, the scripts, the queries, the test data."""
    root = tmp_path_factory.mktemp("repo")
    for rel in ("claims", "scripts", "queries", "schema", "tests/data"):
        shutil.copytree(REPO / rel, root / rel, symlinks=True)
    for rel in ("README.md", "BENCHMARKS.md", "pyproject.toml"):
        shutil.copy2(REPO / rel, root / rel)
    (root / "tmp").mkdir()
    return root


def test_the_docs_show_commands_and_each_is_run_or_skipped_for_a_reason() -> None:
    commands = [c for _, c in COMMANDS]
    assert len(commands) > 20 and "kgraph check" in commands
    # Each entry of SKIPPED still names a command a doc shows, so the list cannot go stale.
    for prefix in SKIPPED:
        assert any(c == prefix or c.startswith(prefix + " ") for c in commands), prefix


def test_the_readme_activates_the_venv_once_and_commands_are_written_one_way() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme.count("source .venv/bin/activate") == 1
    for rel, command in COMMANDS:
        assert ".venv/bin/" not in command.replace("source .venv/bin/activate", ""), (rel, command)


@pytest.mark.parametrize(("rel", "command"), COMMANDS, ids=[f"{r}: {c}" for r, c in COMMANDS])
def test_each_doc_command_runs_as_written(scratch: Path, rel: str, command: str) -> None:
    reason = skipped(command)
    if reason:
        pytest.skip(reason)
    stated = STATED_EXIT.search(command)
    expected = int(stated.group(1)) if stated else 0
    env = {
        **os.environ,
        "PATH": f"{REPO / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        "VIRTUAL_ENV": str(REPO / ".venv"),
        "KGRAPH_CACHE_DIR": str(scratch / ".cache"),
    }
    env.pop("GITHUB_ACTIONS", None)
    # /tmp/ in a command is the scratch's own tmp/, so a run writes nothing outside it.
    runnable = command.replace("/tmp/", f"{scratch / 'tmp'}/")
    done = subprocess.run(
        ["bash", "-c", runnable],
        cwd=scratch,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == expected, (rel, command, done.stdout[-2000:], done.stderr[-2000:])
    assert "Traceback" not in done.stdout + done.stderr, (rel, command, done.stderr[-2000:])
