"""Generating a synthetic corpus for benchmarks: deterministic, clean under check, realistic."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

import kgraph
from kgraph.generate import CorpusExists, generate_corpus
from tests.conftest import REPO


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> kgraph.Report:
    root = tmp_path_factory.mktemp("gen") / "corpus"
    generate_corpus(root, 400, seed=3)
    return kgraph.check(root)


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "a", 150, seed=7)
    generate_corpus(tmp_path / "b", 150, seed=7)
    generate_corpus(tmp_path / "c", 150, seed=8)
    a, b, c = (tree_digest(tmp_path / x) for x in "abc")
    assert a == b
    assert a != c
    assert len([p for p in a if p.startswith("claims/")]) == 150


def test_generated_corpus_checks_clean(generated: kgraph.Report) -> None:
    assert [f.to_text() for f in generated.findings if f.severity != "note"] == []
    assert len(generated.corpus.claims) == 400


@pytest.mark.parametrize("n", [1, 2, 7])
def test_tiny_corpora_check_clean(tmp_path: Path, n: int) -> None:
    generate_corpus(tmp_path / "c", n)
    report = kgraph.check(tmp_path / "c")
    assert [f.to_text() for f in report.findings if f.severity != "note"] == []
    assert len(report.corpus.claims) == n


def test_depends_on_chains_are_acyclic_and_lead_from_a_drug(generated: kgraph.Report) -> None:
    claims = generated.corpus.claims
    g = nx.DiGraph()
    g.add_nodes_from(claims)
    g.add_edges_from((cid, dep) for cid, c in claims.items() for dep in c.depends_on)
    assert nx.is_directed_acyclic_graph(g)
    assert nx.dag_longest_path_length(g) >= 3  # chains drug -> receptor -> ... -> outcome
    # A chain step starts where its premise ended.
    for cid, c in claims.items():
        if c.depends_on:
            assert c.subject == claims[c.depends_on[0]].object, cid
    assert any(
        c.subject == "ketamine" and c.depends_on == [] and g.in_degree(cid) > 0
        for cid, c in claims.items()
    )


def test_corpus_mixes_kinds_levels_sources_and_synonyms(generated: kgraph.Report) -> None:
    corpus = generated.corpus
    kinds = Counter(c.kind for c in corpus.claims.values())
    assert set(kinds) == {
        "mechanism",
        "effect",
        "regulatory",
        "historical",
        "dosing",
        "experience",
        "definition",
        "rhetoric",
    }
    assert all(c.evidence is None for c in corpus.claims.values() if c.kind == "rhetoric")
    levels = {c.level for c in corpus.claims.values() if c.level}
    assert levels == {"ES-0", "ES-1", "ES-2", "ES-3", "ES-4", "ES-5"}
    graded = [c.evidence for c in corpus.claims.values() if c.evidence]
    assert {e.direction for e in graded} >= {"supports", "mixed", "untested"}
    # Levels come out of GRADE ratings that take levels off, not only clean ones.
    assert any(
        isinstance(e.certainty, dict)
        and any(getattr(r, "rating", "") == "serious" for r in e.certainty.values())
        for e in graded
    )
    assert any(len(c.sources) >= 2 for c in corpus.claims.values())
    articles = [s for s in corpus.sources.values() if s.kind in ("news", "marketing")]
    assert articles and all(s.id in corpus.snapshot_texts for s in articles)
    # Every study keeps its abstract (a label its section), so every excerpt is checked.
    assert all(s.id in corpus.snapshot_texts for s in corpus.sources.values())
    studies = {s.kind for s in corpus.sources.values() if s not in articles}
    assert {"rct", "preclinical", "systematic-review", "regulatory"} <= studies
    assert all(e.synonyms for e in corpus.entities.values() if e.id in ("ketamine", "amygdala"))


def test_claim_files_are_the_size_of_real_ones(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "c", 300)
    lines = [len(p.read_text().splitlines()) for p in (tmp_path / "c" / "claims").iterdir()]
    assert 25 <= sum(lines) / len(lines) <= 50


def test_generator_never_writes_into_a_folder_with_files(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "mine.txt").write_text("keep me")
    with pytest.raises(CorpusExists):
        generate_corpus(tmp_path / "c", 10)
    assert [p.name for p in (tmp_path / "c").iterdir()] == ["mine.txt"]


def test_script_writes_a_corpus_and_refuses_to_overwrite(tmp_path: Path) -> None:
    script = [sys.executable, str(REPO / "scripts" / "generate_corpus.py")]
    ok = subprocess.run([*script, "25", str(tmp_path / "c"), "--seed", "2"], capture_output=True)
    assert ok.returncode == 0, ok.stderr
    assert len(list((tmp_path / "c" / "claims").iterdir())) == 25
    again = subprocess.run([*script, "25", str(tmp_path / "c")], capture_output=True, text=True)
    assert again.returncode == 2
    assert "already exists" in again.stderr
    assert "Traceback" not in again.stderr


def test_no_two_claims_state_one_fact(tmp_path: Path) -> None:
    """The generator never repeats a subject, predicate and object (the checker's KG309), even
    where a type's entities are few for its claims."""
    generate_corpus(tmp_path / "c", 3000, seed=5)
    report = kgraph.check(tmp_path / "c")
    triples = Counter((c.subject, c.predicate, c.object) for c in report.corpus.claims.values())
    assert triples.most_common(1)[0][1] == 1
    assert len(report.corpus.claims) == 3000
    assert [f.to_text() for f in report.findings] == []
