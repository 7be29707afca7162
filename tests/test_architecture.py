"""The layout is enforced: the import layers hold, no import loop exists, and every folder and
top-level module of kgraph/ is described in docs/architecture.md."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx

from tests.conftest import REPO

PAGE = REPO / "docs" / "architecture.md"


def described() -> set[str]:
    """The rooms the page gives a line to: `- `kgraph/NAME/`` or `- `kgraph/NAME.py``."""
    text = PAGE.read_text(encoding="utf-8")
    return set(re.findall(r"^- `kgraph/([a-z_]+(?:/|\.py))`", text, flags=re.M))


def actual() -> set[str]:
    pkg = REPO / "kgraph"
    rooms = {f"{p.name}/" for p in pkg.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    rooms |= {p.name for p in pkg.glob("*.py")}
    return rooms


def test_every_room_is_described_and_every_description_is_a_room() -> None:
    assert actual() - described() == set(), "add a line for it to docs/architecture.md"
    assert described() - actual() == set(), "docs/architecture.md describes what is gone"


def test_a_folder_the_page_does_not_describe_fails(tmp_path: Path) -> None:
    # The same comparison, on a copy of the package with one more folder, must catch it.
    rooms = actual() | {"scratch/"}
    assert rooms - described() == {"scratch/"}


def test_the_import_layers_hold() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def test_the_layers_on_the_page_are_the_enforced_ones() -> None:
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    floors = re.findall(r"^\| (\d) \| (.+) \|$", PAGE.read_text(encoding="utf-8"), flags=re.M)
    on_page = [sorted(re.findall(r"`(\w+)`", rooms)) for _, rooms in floors]
    enforced = [sorted(r.strip().removeprefix("kgraph.") for r in f.split("|")) for f in layers]
    assert on_page == enforced
    rooms = {r for floor in enforced for r in floor} | {"__init__"}
    assert {r.removesuffix("/").removesuffix(".py") for r in actual()} == rooms


def test_no_import_loop() -> None:
    graph = grimp.build_graph("kgraph")
    imports = nx.DiGraph()
    for module in graph.modules:
        for target in graph.find_modules_directly_imported_by(module):
            if target.startswith("kgraph"):
                imports.add_edge(module, target)
    cycle = next(nx.simple_cycles(imports), None)
    assert cycle is None, " -> ".join(cycle or [])


def test_every_module_says_what_it_owns() -> None:
    missing = [
        str(p.relative_to(REPO))
        for p in sorted((REPO / "kgraph").rglob("*.py"))
        if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))
    ]
    assert missing == []


def test_the_public_names_still_work() -> None:
    import kgraph
    from kgraph.audit import run_audit

    report = kgraph.check(REPO / "claims")
    assert report.ok(strict=True)
    graph = kgraph.build_graph(kgraph.load(REPO / "claims"))
    assert graph.number_of_nodes() == kgraph.load_graph(REPO).number_of_nodes() > 0
    assert run_audit(report.corpus).findings
