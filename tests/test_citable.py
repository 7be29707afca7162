"""A citable site: the build is an RO-Crate that the rocrate library reads and that expands
offline against the RO-Crate context with no term lost, and each claim page shows a "cite this
claim" box with the version's content hash."""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from kgraph.build import build
from kgraph.corpus.load import load
from kgraph.corpus.review import content_sha256
from kgraph.exports.rocrate import METADATA, RO_CRATE
from tests.conftest import CorpusBuilder


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from tests.conftest import chain_corpus

    base = tmp_path_factory.mktemp("citable")
    b = chain_corpus(CorpusBuilder(base / "corpus"))
    out = base / "site"
    build(b.root, out, parallel=False)
    return b.root, out


def _crate(out: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((out / METADATA).read_text(encoding="utf-8"))
    return doc


def _loader(url: str, options: Any = None) -> dict[str, Any]:
    """The RO-Crate context as the rocrate library ships it; nothing else is served."""
    if url != f"{RO_CRATE}/context":
        raise AssertionError(f"the crate asked to fetch {url}")
    text = resources.files("rocrate").joinpath("data", "ro-crate.jsonld").read_text("utf-8")
    return {"contextUrl": None, "documentUrl": url, "document": json.loads(text)}


def test_the_rocrate_library_reads_the_site_as_a_crate(site: tuple[Path, Path]) -> None:
    from rocrate.rocrate import ROCrate

    _, out = site
    crate = ROCrate(out)
    assert crate.version == RO_CRATE.rsplit("/", 1)[1]
    root = crate.root_dataset
    assert root["name"].startswith("kgraph:")
    licence = root["license"]
    assert getattr(licence, "id", licence) == "https://spdx.org/licenses/MIT"
    assert root["datePublished"] == "2024-01-01"  # article-b's accessed day, the newest recorded
    ids = {e.id for e in crate.get_entities()}
    for rel in (
        "exports/graph.ttl",
        "exports/claims.jsonl",
        "exports/neo4j/",
        "index.html",
        "claim/",
    ):
        assert rel in ids, rel
    assert getattr(crate.mainEntity, "id", crate.mainEntity) == "index.html"


def test_every_file_the_crate_lists_is_there_with_its_size_and_hash(
    site: tuple[Path, Path],
) -> None:
    _, out = site
    files = [e for e in _crate(out)["@graph"] if e["@type"] == "File"]
    assert len(files) > 10
    for entity in files:
        data = (out / entity["@id"]).read_bytes()
        assert entity["contentSize"] == str(len(data))
        assert entity["sha256"] == hashlib.sha256(data).hexdigest()
    listed = {e["@id"] for e in files}
    shipped = {p.relative_to(out).as_posix() for p in (out / "exports").rglob("*") if p.is_file()}
    assert shipped <= listed  # every export is described


def test_the_crate_expands_offline_with_no_term_lost(site: tuple[Path, Path]) -> None:
    from pyld import jsonld

    _, out = site
    doc = _crate(out)
    # Relative ids resolve against a base of our own, and compact back to themselves.
    options = {"documentLoader": _loader, "base": "arcp://name,kgraph-site/"}
    expanded = jsonld.expand(doc, options)
    assert any("http://schema.org/Dataset" in n.get("@type", []) for n in expanded)
    back = jsonld.compact(expanded, doc["@context"], options)
    back["@context"] = doc["@context"]
    assert sorted(back["@graph"], key=lambda e: e["@id"]) == sorted(
        doc["@graph"], key=lambda e: e["@id"]
    )


def test_the_crate_is_reproducible(site: tuple[Path, Path], tmp_path: Path) -> None:
    root, out = site
    again = tmp_path / "again"
    build(root, again, parallel=False)
    assert (again / METADATA).read_bytes() == (out / METADATA).read_bytes()


@pytest.mark.browser
def test_each_claim_page_has_a_cite_box_with_the_versions_hash(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    from kgraph.site.browser import launch_chromium

    root, out = site
    claim = load(root).claims["ketamine-blocks-nmda"]
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 900, "height": 700})
        page.goto((out / "claim" / "ketamine-blocks-nmda.html").as_uri())
        box = page.locator("#cite")
        heading = box.locator("h2").inner_text()
        version = box.locator("code.version").inner_text()
        citation = box.locator(".citation").inner_text()
        box.scroll_into_view_if_needed()
        box.screenshot(path=str(tmp_path / "cite.png"))
        browser.close()
    assert heading == "Cite this claim"
    assert version == f"sha256:{content_sha256(claim.content)}"
    assert citation.startswith(
        "“Ketamine blocks the NMDA receptor.” kgraph claim ketamine-blocks-nmda"
    )
