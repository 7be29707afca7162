"""Building: refuses broken corpora, is atomic, and is reproducible to the byte."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import kgraph.site
from kgraph.build import BuildRefused, build
from kgraph.cli import main
from tests.conftest import CorpusBuilder


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_writes_site_and_exports(corpus: CorpusBuilder, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(corpus.root, out)
    assert (out / "index.html").is_file()
    exports = {p.name for p in (out / "exports").iterdir()}
    assert {"graph.json", "graph.graphml", "graph.gexf", "claims.jsonl", "graph.ttl"} <= exports
    assert result.files == len(tree_digest(out)) - 1  # every file but the marker
    assert not list(tmp_path.glob(".out.*")), "temporary folders left behind"


def test_two_builds_are_byte_identical(corpus: CorpusBuilder, tmp_path: Path) -> None:
    build(corpus.root, tmp_path / "a")
    build(corpus.root, tmp_path / "b")
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_build_does_not_depend_on_where_the_corpus_lives(
    corpus: CorpusBuilder, tmp_path: Path
) -> None:
    import shutil

    build(corpus.root, tmp_path / "a")
    moved = tmp_path / "elsewhere" / "deeper" / "corpus"
    shutil.copytree(corpus.root, moved)
    build(moved, tmp_path / "b")
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_build_refuses_a_corpus_with_errors(corpus: CorpusBuilder, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(corpus.root, out)
    before = tree_digest(out)
    claim = corpus.root / "claims/ketamine-acts-on-glutamate.yaml"
    claim.write_text(claim.read_text(encoding="utf-8").replace("acts_on", "quiets"), "utf-8")
    with pytest.raises(BuildRefused):
        build(corpus.root, out)
    assert tree_digest(out) == before
    result = CliRunner().invoke(main, ["build", str(corpus.root), "--out", str(out)])
    assert result.exit_code == 1
    assert "KG203" in result.output and "nothing was built" in result.output
    assert "Traceback" not in result.output


def test_failed_build_leaves_previous_output_intact(
    corpus: CorpusBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build(corpus.root, out)
    before = tree_digest(out)

    def half_then_fail(
        corpus: object, graph: object, out_dir: Path, audit: object = None, **_: object
    ) -> list[tuple[str, Callable[[], None]]]:
        def step() -> None:
            (out_dir / "index.html").write_text("half-written", encoding="utf-8")
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-build

        return [("record pages", step)]

    monkeypatch.setattr(kgraph.site, "site_steps", half_then_fail)
    with pytest.raises(KeyboardInterrupt):
        build(corpus.root, out)
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out"]


def test_cli_build_quiet_prints_nothing(corpus: CorpusBuilder, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", str(corpus.root), "--out", str(tmp_path / "o"), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert result.output == ""
    result = CliRunner().invoke(main, ["build", str(corpus.root), "--out", str(tmp_path / "o")])
    assert "built" in result.output and "1 claims" in result.output


def test_committed_site_is_current(tmp_path: Path) -> None:
    """CI rebuilds site_out/ from claims/ and fails if it differs from what is committed."""
    from tests.conftest import REPO

    build(REPO, tmp_path / "site")
    assert tree_digest(tmp_path / "site") == tree_digest(REPO / "site_out"), (
        "site_out/ is stale: run `bash scripts/build.sh` and commit it"
    )


def test_failed_export_worker_leaves_previous_output_intact(
    corpus: CorpusBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kgraph.exports
    from kgraph.build import BuildFailed

    out = tmp_path / "out"
    build(corpus.root, out)
    before = tree_digest(out)

    def broken(graph: object, corpus: object, out_dir: Path) -> list[Path]:
        out_dir.mkdir(parents=True)
        (out_dir / "graph.json").write_text("{half", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(kgraph.exports, "write_exports", broken)
    with pytest.raises(BuildFailed, match="exports step failed"):
        build(corpus.root, out)
    assert tree_digest(out) == before
    result = CliRunner().invoke(main, ["build", str(corpus.root), "--out", str(out)])
    assert result.exit_code == 1 and "exports step failed" in result.output
    assert "Traceback" not in result.output
    assert tree_digest(out) == before


def test_serial_and_parallel_builds_are_identical(corpus: CorpusBuilder, tmp_path: Path) -> None:
    build(corpus.root, tmp_path / "a", parallel=False)
    build(corpus.root, tmp_path / "b", parallel=True)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_overview_site_is_the_same_serial_or_parallel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A corpus in overview mode (neighbourhood pages, written by their own worker) builds to the
    same bytes either way, and the progress bar is told each step once."""
    from functools import partial

    from kgraph.build import STEP_NAMES
    from kgraph.generate import generate_corpus

    root = tmp_path / "corpus"
    generate_corpus(root, 60, seed=3)
    monkeypatch.setattr(
        kgraph.site, "site_steps", partial(kgraph.site.site_steps, max_graph_nodes=20)
    )
    steps: list[str] = []
    build(root, tmp_path / "a", parallel=False)
    build(root, tmp_path / "b", parallel=True, progress=steps.append)
    assert sorted(steps) == sorted(STEP_NAMES)
    assert any(p.startswith("graph/") for p in tree_digest(tmp_path / "b"))
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
