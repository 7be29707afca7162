"""Citable claims: a nanopublication per claim with a trusty URI the nanopub library computes
and verifies offline, signed when a key is given, and never published."""

from __future__ import annotations

import base64
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kgraph.cli import main
from kgraph.corpus.load import load
from kgraph.exports.nanopubs import (
    LICENCE,
    NanopubError,
    Signer,
    claim_nanopub,
    claim_version,
    nanopub_trig,
)
from tests.conftest import CorpusBuilder

NP = "http://www.nanopub.org/nschema#"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test here runs with the network cut: a connection attempt fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"a network connection was attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _graphs(trig: str) -> dict[str, Any]:
    from rdflib import Dataset, URIRef

    ds = Dataset()
    ds.parse(data=trig, format="trig")
    head = next(g for g in ds.graphs() if str(g.identifier).endswith("Head"))
    (np_uri,) = set(head.subjects(URIRef(NP + "hasAssertion")))
    parts = {
        name: ds.graph(next(iter(head.objects(np_uri, URIRef(NP + prop)))))
        for name, prop in (
            ("assertion", "hasAssertion"),
            ("provenance", "hasProvenance"),
            ("pubinfo", "hasPublicationInfo"),
        )
    }
    return {"uri": str(np_uri), **parts}


def test_a_claim_becomes_a_nanopublication_with_a_verified_trusty_uri(
    chain: CorpusBuilder,
) -> None:
    from rdflib import Literal, URIRef

    corpus = load(chain.root)
    np = claim_nanopub(corpus, "ketamine-blocks-nmda")
    assert np.source_uri.startswith("http://purl.org/np/RA")
    assert np.has_valid_trusty  # the library recomputes the hash and compares
    parts = _graphs(nanopub_trig(np))
    assert parts["uri"] == np.source_uri
    assert set(parts["assertion"]) == {
        (
            URIRef("urn:kgraph:entity:ketamine"),
            URIRef("urn:kgraph:predicate:blocks"),
            URIRef("urn:kgraph:entity:nmda-receptor"),
        )
    }
    this = URIRef(np.source_uri)
    pubinfo = parts["pubinfo"]
    version = claim_version(corpus.claims["ketamine-blocks-nmda"])
    assert (this, URIRef("http://purl.org/pav/version"), Literal(f"sha256:{version}")) in pubinfo
    assert (this, URIRef("http://purl.org/dc/terms/license"), URIRef(LICENCE)) in pubinfo
    prov = parts["provenance"]
    oa = "http://www.w3.org/ns/oa#"
    exacts = {str(o) for o in prov.objects(None, URIRef(oa + "exact"))}
    assert exacts == {
        "Ketamine primarily works by blocking the NMDA receptor—a fact.",
        "Ketamine blocks NMDA receptors in the brain.",
    }
    assert len(set(prov.subjects(None, URIRef(oa + "TextPositionSelector")))) == 2
    sources = {str(o) for o in prov.objects(None, URIRef(oa + "hasSource"))}
    assert "https://news.test/ketamine" in sources  # article-b's address
    level = URIRef("urn:kgraph:evidenceLevel")
    assert {str(o) for o in prov.objects(None, level)} == {"urn:kgraph:level:ES-5"}


def test_the_same_claim_gives_the_same_bytes_and_a_change_a_new_uri(
    chain: CorpusBuilder,
) -> None:
    first = nanopub_trig(claim_nanopub(load(chain.root), "ketamine-blocks-nmda"))
    assert nanopub_trig(claim_nanopub(load(chain.root), "ketamine-blocks-nmda")) == first
    path = chain.root / "claims" / "ketamine-blocks-nmda.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Ketamine blocks the NMDA receptor.", "Ketamine blocks NMDA receptors."
        ),
        encoding="utf-8",
    )
    changed = claim_nanopub(load(chain.root), "ketamine-blocks-nmda")
    assert changed.has_valid_trusty
    assert _graphs(first)["uri"] != changed.source_uri


def _key(tmp_path: Path) -> Path:
    from Crypto.PublicKey import RSA

    key = RSA.generate(2048)
    path = tmp_path / "id_rsa"
    # The nanopub tools' format: the DER key, base64, no PEM armour.
    path.write_text(base64.b64encode(key.export_key("DER")).decode("ascii"), encoding="utf-8")
    return path


def test_with_a_key_the_library_signs_it(chain: CorpusBuilder, tmp_path: Path) -> None:
    signer = Signer(_key(tmp_path), "https://orcid.org/0000-0000-0000-0000", "A Tester")
    np = claim_nanopub(load(chain.root), "ketamine-blocks-nmda", signer)
    assert np.has_valid_signature and np.has_valid_trusty
    assert "npx:hasSignature" in nanopub_trig(np) or "hasSignature" in nanopub_trig(np)
    unsigned = claim_nanopub(load(chain.root), "ketamine-blocks-nmda")
    assert np.source_uri != unsigned.source_uri  # the signature is part of what is hashed


def test_a_bad_key_and_an_unknown_claim_are_one_line(chain: CorpusBuilder, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.write_text("not a key", encoding="utf-8")
    runner = CliRunner()
    base = ["nanopub", "ketamine-blocks-nmda", "--root", str(chain.root)]
    result = runner.invoke(main, [*base, "--key", str(bad), "--orcid", "x", "--name", "y"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {bad}: not a usable RSA private key")
    assert "Traceback" not in result.output
    missing = runner.invoke(main, [*base, "--key", str(bad)])
    assert missing.exit_code == 2 and "--key needs --orcid and --name" in missing.output
    unknown = runner.invoke(main, ["nanopub", "nope", "--root", str(chain.root)])
    assert unknown.exit_code == 1 and unknown.output == "Error: no claim 'nope'\n"
    with pytest.raises(NanopubError):
        claim_nanopub(load(chain.root), "nope")


def test_kgraph_nanopub_writes_one_trig_per_claim(chain: CorpusBuilder, tmp_path: Path) -> None:
    out = tmp_path / "nanopubs"
    result = CliRunner().invoke(main, ["nanopub", "--root", str(chain.root), "-o", str(out)])
    assert result.exit_code == 0, result.output
    corpus = load(chain.root)
    files = sorted(p.name for p in out.glob("*.trig"))
    assert files == sorted(f"{cid}.trig" for cid in corpus.claims)
    for path in out.glob("*.trig"):
        assert _graphs(path.read_text(encoding="utf-8"))["uri"].startswith("http://purl.org/np/RA")
