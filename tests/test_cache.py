"""Re-checking a corpus: the load cache makes it fast and never changes what check finds."""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import kgraph
from kgraph.cli import main
from kgraph.corpus import cache as cache_mod
from kgraph.corpus.load import LazyOrigin
from kgraph.generate import generate_corpus
from tests.conftest import CorpusBuilder, claim_yaml


def texts(report: kgraph.Report) -> list[str]:
    """The findings a user reads (notes, values still unknown, are listed apart)."""
    return [f.to_text() for f in report.findings if f.severity.value != "note"]


@pytest.fixture
def messy(tmp_path: Path) -> CorpusBuilder:
    """A corpus with problems of every stage: YAML, fields, references, quotes, evidence."""
    b = CorpusBuilder(tmp_path / "corpus").minimal()
    b.claim("broken-yaml", "id: broken-yaml\nkind: [mechanism\n")
    b.claim("bad-quote", claim_yaml("bad-quote", quote="Ketamine cures everything."))
    b.claim("dangling", claim_yaml("dangling", reference="nobody-2020", extra="tags: [x]\n"))
    b.claim("no-evidence", claim_yaml("no-evidence").split("evidence:")[0])
    b.claim("typo", claim_yaml("typo").replace("sources:", "soruces:"))
    b.entity("unused-thing")
    return b


@pytest.fixture
def trust_stat(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written a moment ago count as unchanged by their stat alone, as older files do."""
    monkeypatch.setattr(cache_mod, "RACY_NS", 0)


def test_cached_check_gives_the_same_findings(messy: CorpusBuilder, tmp_path: Path) -> None:
    plain = texts(kgraph.check(messy.root))
    assert len(plain) >= 6
    store = tmp_path / "cache"
    cold = texts(kgraph.check(messy.root, cache=store))
    assert any(store.glob("load-*.bin"))
    warm = texts(kgraph.check(messy.root, cache=store))
    assert plain == cold == warm


def test_cached_check_trusting_stat_gives_the_same_findings(
    messy: CorpusBuilder, tmp_path: Path, trust_stat: None
) -> None:
    plain = texts(kgraph.check(messy.root))
    kgraph.check(messy.root, cache=tmp_path / "cache")
    warm = kgraph.check(messy.root, cache=tmp_path / "cache")
    assert texts(warm) == plain
    # Line numbers of cached records are still there for whoever asks (the site, the audit).
    claim = warm.corpus.claims["ketamine-acts-on-glutamate"]
    assert isinstance(claim.origin, LazyOrigin)  # taken from the cache, not read again
    assert claim.origin.at("sources", 0, "quote") == (9, 12)


@pytest.mark.parametrize("stat", [False, True])
def test_editing_a_file_invalidates_its_entry(
    messy: CorpusBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stat: bool
) -> None:
    if stat:
        monkeypatch.setattr(cache_mod, "RACY_NS", 0)
    store = tmp_path / "cache"
    kgraph.check(messy.root, cache=store)
    fixed = claim_yaml("bad-quote", quote="It may promote dendritic growth in some people.")
    fixed = fixed.replace("acts on the glutamate system.", "acts on glutamate in some people.")
    messy.claim("bad-quote", fixed + "qualifiers:\n  population: some people\n")  # fixed
    messy.claim("typo", claim_yaml("typo").replace("level: ES-4", "level: ES-9"))  # broken anew
    (messy.root / "entities" / "unused-thing.yaml").unlink()
    warm = texts(kgraph.check(messy.root, cache=store))
    assert warm == texts(kgraph.check(messy.root))
    assert not any("bad-quote" in t for t in warm)
    assert any("typo.yaml:12:10: KG203" in t for t in warm)
    assert not any("unused-thing" in t for t in warm)


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],
        lambda raw: b"\x00" * len(raw),
        lambda raw: raw[:40] + b"junk" + raw[44:],
        lambda raw: b"",
    ],
    ids=["truncated", "zeroed", "flipped", "empty"],
)
def test_a_corrupt_cache_is_ignored(
    messy: CorpusBuilder, tmp_path: Path, trust_stat: None, damage: object
) -> None:
    store = tmp_path / "cache"
    expected = texts(kgraph.check(messy.root, cache=store))
    for shard in store.glob("load-*.bin"):
        shard.write_bytes(damage(shard.read_bytes()))  # type: ignore[operator]
    assert texts(kgraph.check(messy.root, cache=store)) == expected
    assert texts(kgraph.check(messy.root, cache=store)) == expected


def test_a_cache_of_the_wrong_shape_is_ignored(
    messy: CorpusBuilder, tmp_path: Path, trust_stat: None
) -> None:
    store = tmp_path / "cache"
    expected = texts(kgraph.check(messy.root, cache=store))
    for shard in store.glob("load-*.bin"):
        _, entries = marshal.loads(shard.read_bytes()[32:])
        bogus = {path: ("nonsense", 1) for path in entries}
        payload = marshal.dumps((0, bogus))
        check = hashlib.blake2b(payload, digest_size=16).hexdigest().encode()
        shard.write_bytes(check + payload)
    assert texts(kgraph.check(messy.root, cache=store)) == expected


def test_check_command_caches_beside_the_corpus_and_never_inside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KGRAPH_CACHE_DIR", raising=False)
    generate_corpus(tmp_path / "corpus", 40)
    before = {p: p.read_bytes() for p in (tmp_path / "corpus").rglob("*") if p.is_file()}
    runner = CliRunner()
    assert runner.invoke(main, ["check", str(tmp_path / "corpus"), "--no-cache"]).exit_code == 0
    assert not (tmp_path / ".kgraph-cache").exists()
    first = runner.invoke(main, ["check", str(tmp_path / "corpus")])
    second = runner.invoke(main, ["check", str(tmp_path / "corpus")])
    assert first.exit_code == second.exit_code == 0
    # The same findings and counts; only the time taken may differ.
    timing = re.compile(r" in \d+\.\d+s$", re.M)
    assert timing.sub("", first.output) == timing.sub("", second.output)
    cache_dir = tmp_path / ".kgraph-cache"
    assert any(cache_dir.glob("load-*.bin"))
    assert (cache_dir / ".gitignore").read_text().splitlines()[-1] == "*"
    after = {p: p.read_bytes() for p in (tmp_path / "corpus").rglob("*") if p.is_file()}
    assert after == before


def test_cache_folder_can_be_chosen_by_environment(
    corpus: CorpusBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KGRAPH_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert CliRunner().invoke(main, ["check", str(corpus.root)]).exit_code == 0
    assert any((tmp_path / "elsewhere").glob("load-*.bin"))


def test_loading_on_all_cores_gives_the_same_findings_and_lines(messy: CorpusBuilder) -> None:
    serial = kgraph.check(messy.root, workers=1)
    parallel = kgraph.check(messy.root, workers=2)
    assert texts(parallel) == texts(serial)
    for cid, claim in serial.corpus.claims.items():
        other = parallel.corpus.claims[cid].origin
        assert other.at("sources", 0, "quote") == claim.origin.at("sources", 0, "quote")
        assert other.key_at("id") == claim.origin.key_at("id")
        assert other.data == claim.origin.data


def test_a_new_day_replaces_the_cache_rather_than_adding_to_it(
    messy: CorpusBuilder, tmp_path: Path
) -> None:
    store = tmp_path / "cache"
    first = texts(kgraph.check(messy.root, cache=store, today=dt.date(2026, 1, 1)))
    files = sorted(p.name for p in store.glob("load-*.bin"))
    later = texts(kgraph.check(messy.root, cache=store, today=dt.date(2026, 1, 2)))
    assert later == first
    now = sorted(p.name for p in store.glob("load-*.bin"))
    assert len(now) == len(files) and not set(now) & set(files)
