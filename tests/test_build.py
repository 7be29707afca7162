"""Building: refuses broken corpora, is atomic, and is reproducible to the byte."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
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


def test_build_watch_rebuilds_each_edit_as_a_cold_build_would(tmp_path: Path) -> None:
    """A sequence of edits, each rebuilt by the watching build: the output equals a cold build
    of the same corpus to the byte; an edit the check refuses leaves the last output alone."""
    from kgraph.build import WatchedBuild, watch_build
    from kgraph.generate import generate_corpus

    root = tmp_path / "corpus"
    generate_corpus(root, 40, seed=3)
    out = tmp_path / "site"
    claims = sorted((root / "claims").glob("*.yaml"))
    entity = sorted((root / "entities").glob("*.yaml"))[0]
    source = sorted((root / "sources").glob("*.yaml"))[0]
    kept_source = source.read_bytes()

    def edit_quote() -> Path:
        text = claims[0].read_text("utf-8")
        start = text.index('    quote: "') + len('    quote: "')
        first_word = text[start:].split(" ", 1)[0]
        claims[0].write_text(text[:start] + text[start + len(first_word) + 1 :], "utf-8")
        return claims[0]

    def edit_level() -> Path:
        text = claims[1].read_text("utf-8")
        level = text.split("  level: ", 1)[1].split("\n", 1)[0]
        other = "ES-5" if level != "ES-5" else "ES-1"
        claims[1].write_text(text.replace(f"  level: {level}", f"  level: {other}", 1), "utf-8")
        return claims[1]

    original_level = claims[1].read_bytes()

    def edit_level_back() -> Path:
        claims[1].write_bytes(original_level)
        return claims[1]

    def new_claim() -> Path:
        text = claims[2].read_text("utf-8")
        old_id = text.split("\nid: ", 1)[1].split("\n", 1)[0]
        added = root / "claims" / "a-new-claim.yaml"
        added.write_text(text.replace(f"id: {old_id}", "id: a-new-claim", 1), "utf-8")
        return added

    def delete_source() -> Path:
        source.unlink()
        return source

    def restore_source() -> Path:
        source.write_bytes(kept_source)
        return source

    def rename_entity() -> Path:
        text = entity.read_text("utf-8")
        label = text.split("\nlabel: ", 1)[1].split("\n", 1)[0]
        entity.write_text(text.replace(f"label: {label}", 'label: "A renamed entity"', 1), "utf-8")
        return entity

    steps = [edit_quote, edit_level, edit_level_back, new_claim, delete_source, restore_source]
    steps.append(rename_entity)
    runs: list[WatchedBuild] = []
    digests: list[dict[str, str]] = []

    def changes() -> Iterator[list[str]]:
        for step in steps:
            digests.append(tree_digest(out))
            yield [str(step())]
        digests.append(tree_digest(out))

    watch_build(root, out, runs.append, parallel=False, changes=changes())
    assert len(runs) == len(steps) + 1
    refused = [run.refused is not None for run in runs]
    # The level no longer derives, the deleted source is still cited: those two are refused.
    assert refused == [False, False, True, False, False, True, False, False]
    for i, run in enumerate(runs):
        if run.refused is not None:
            assert digests[i] == digests[i - 1], "a refused build changed the output"
    cold = tmp_path / "cold"
    build(root, cold, parallel=False)
    assert tree_digest(out) == tree_digest(cold)
    assert "A renamed entity" in (out / "entity" / f"{entity.stem}.html").read_text("utf-8")
    assert (out / "claim" / "a-new-claim.html").is_file()


def test_build_watch_ignores_what_it_writes_and_what_it_does_not_read(
    corpus: CorpusBuilder, tmp_path: Path
) -> None:
    from kgraph.build import WatchedBuild, is_input, watch_build

    root = corpus.root.absolute()
    assert is_input(root, root / "claims" / "x.yaml")
    assert is_input(root, root / "snapshots" / "a.txt")
    assert not is_input(root, root / "site_out" / "index.html")
    assert not is_input(root, root / ".kgraph-cache" / "x")
    assert not is_input(root, tmp_path / "elsewhere.yaml")
    runs: list[WatchedBuild] = []
    batches = [[str(root / "site_out" / "index.html")], [str(root / ".kgraph-cache" / "x")]]
    watch_build(root, tmp_path / "out", runs.append, parallel=False, changes=batches)
    assert len(runs) == 1  # the first build only
