"""Scaffolding a record with `kgraph new`: the corpus's style, what can be known filled in,
a taken id refused."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import yaml
from click.testing import CliRunner

import kgraph
from kgraph.cli import main
from kgraph.curate.scaffold import new_record
from tests.conftest import REPO, CorpusBuilder, tree

DAY = dt.date(2026, 12, 1)


def keys(path: Path) -> list[str]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_a_source_skeleton_records_its_snapshot_and_the_day(corpus: CorpusBuilder) -> None:
    corpus.snapshot("new-page.txt", "A new page.\n")
    path = new_record(
        corpus.root, "source", "article-b", snapshot="snapshots/new-page.txt", today=DAY
    )
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schema/source.schema.json"
    data = yaml.safe_load(text)
    assert data["snapshot"] == {
        "path": "snapshots/new-page.txt",
        "sha256": hashlib.sha256(b"A new page.\n").hexdigest(),
    }
    assert data["accessed"] == "2026-12-01"
    assert data["url"] == data["authors"] == data["published"] == "unknown"
    # The field order of the corpus's own article records (which add a label and citations).
    article = keys(REPO / "claims/sources/article-000-how-does-ketamine-work.yaml")
    assert keys(path) == [k for k in article if k not in ("label", "cites")]
    # Only the kind is left to fill: the check says so, at its line.
    found = [f for f in kgraph.check(corpus.root).findings if f.path == str(path)]
    assert [(f.code, f.line) for f in found if f.severity == "error"] == [("KG205", 4)]


def test_a_claim_skeleton_lists_the_values_and_is_ungraded(corpus: CorpusBuilder) -> None:
    path = new_record(corpus.root, "claim", "ketamine-does-x", source="article-a")
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert list(data) == [
        "id",
        "statement",
        "kind",
        "subject",
        "predicate",
        "object",
        "sources",
        "evidence",
        "depends_on",
        "review",
    ]
    assert data["sources"][0]["source"] == "article-a"
    assert data["evidence"] == {
        "level": "ES-0",
        "rationale": "Not graded yet: no search has been run for this claim.",
        "search": "unknown",
    }
    assert "# one of: increases, decreases, blocks" in text
    assert 'id: "ketamine-does-x"' in text


def test_a_taken_id_is_refused_and_nothing_is_written(corpus: CorpusBuilder) -> None:
    before = tree(corpus.root)
    for args in (
        ["new", "claim", "ketamine", "--root", str(corpus.root)],  # an entity has it
        ["new", "entity", "article-a", "--root", str(corpus.root)],  # a source has it
        ["new", "entity", "Not_An_Id", "--root", str(corpus.root)],
        ["new", "claim", "x-y", "--snapshot", "snapshots/article.txt", "--root", str(corpus.root)],
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert (
        "is taken"
        in CliRunner().invoke(main, ["new", "claim", "ketamine", "--root", str(corpus.root)]).output
    )
    assert tree(corpus.root) == before


def test_new_entity_from_the_command_line(corpus: CorpusBuilder) -> None:
    result = CliRunner().invoke(
        main, ["new", "entity", "nmda-receptor", "--root", str(corpus.root)]
    )
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((corpus.root / "entities/nmda-receptor.yaml").read_text(encoding="utf-8"))
    assert data == {
        "id": "nmda-receptor",
        "label": "nmda receptor",
        "type": "",
        "synonyms": [],
        "description": "",
    }
