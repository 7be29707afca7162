"""A nanopublication per claim (TriG), with its trusty URI computed offline by `nanopub`.

Assertion: the claim's triple over the entities' IRIs. Provenance: the sources that assert it,
each quote as a Web Annotation with its selectors, and the evidence (level, direction, each
study's finding). Publication info: the claim record's content hash as its version (the hash
`kgraph review` records), the licence, and the claim's page. The trusty URI is the nanopub
library's hash of the whole; with a key the library signs it too. Nothing is ever published.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgraph.corpus.anchors import anchor_quote
from kgraph.corpus.model import Claim, Corpus
from kgraph.corpus.quotes import FoldedText
from kgraph.corpus.review import content_sha256
from kgraph.exports.annotations import snapshot_iri
from kgraph.exports.rdf import BASE, KGC, KGE, KGL, KGP, KGS

if TYPE_CHECKING:
    from nanopub import Nanopub

# The project's licence (pyproject.toml: MIT), as its SPDX identifier.
LICENCE = "https://spdx.org/licenses/MIT"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
PAV = "http://purl.org/pav/"
DCTERMS = "http://purl.org/dc/terms/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


class NanopubError(Exception):
    """A nanopublication cannot be made as asked (one line)."""


@dataclass(frozen=True)
class Signer:
    """Who signs: an RSA private key (the nanopub tools' base64 `id_rsa` format), an ORCID
    iD and a name, as the nanopub library's profile holds them."""

    key: Path
    orcid: str
    name: str


def claim_version(claim: Claim) -> str:
    """The claim record's version: SHA-256 of its content in canonical form (the hash that
    `kgraph review` records, so a review and a citation name the same version)."""
    return content_sha256(claim.content)


def _graphs(corpus: Corpus, claim: Claim, site_url: str) -> tuple[Any, Any, Any]:
    from nanopub.definitions import DUMMY_NAMESPACE
    from rdflib import Graph, Literal, Namespace, URIRef

    sub = Namespace(str(DUMMY_NAMESPACE))
    kg = Namespace(BASE)
    oa, prov, pav, dct = Namespace(OA), Namespace(PROV), Namespace(PAV), Namespace(DCTERMS)
    a = URIRef(RDF_TYPE)
    assertion, provenance, pubinfo = Graph(), Graph(), Graph()
    for g in (assertion, provenance, pubinfo):
        g.bind("kg", kg)
        g.bind("kgc", Namespace(KGC))
        g.bind("kge", Namespace(KGE))
        g.bind("kgp", Namespace(KGP))
        g.bind("kgs", Namespace(KGS))
        g.bind("oa", oa)
    subject, obj = URIRef(KGE + claim.subject), URIRef(KGE + claim.object)
    assertion.add((subject, URIRef(KGP + claim.predicate), obj))

    this_assertion = sub["assertion"]
    folded: dict[str, FoldedText] = {}
    for q in claim.sources:
        provenance.add((this_assertion, prov.wasDerivedFrom, URIRef(KGS + q.source)))
        node = sub[f"quote-{q.index}"]
        provenance.add((node, a, oa.Annotation))
        provenance.add((node, oa.hasBody, this_assertion))
        provenance.add((node, oa.motivatedBy, oa.describing))
        source = corpus.sources.get(q.source)
        text = corpus.snapshot_texts.get(q.source)
        target = sub[f"quote-{q.index}-target"]
        provenance.add((node, oa.hasTarget, target))
        quote_sel = sub[f"quote-{q.index}-quote"]
        provenance.add((target, oa.hasSelector, quote_sel))
        provenance.add((quote_sel, a, oa.TextQuoteSelector))
        if source is None or source.snapshot is None or text is None:
            provenance.add((target, oa.hasSource, URIRef(KGS + q.source)))
            provenance.add((quote_sel, oa.exact, Literal(q.quote)))
            continue
        url = source.snapshot.url or source.url or snapshot_iri(source.snapshot.sha256)
        provenance.add((target, oa.hasSource, URIRef(url)))
        ft = folded.get(q.source)
        if ft is None:
            ft = folded[q.source] = FoldedText.of(text)
        anchor = anchor_quote(ft, q.quote)
        if anchor is None:
            provenance.add((quote_sel, oa.exact, Literal(q.quote)))
            continue
        provenance.add((quote_sel, oa.exact, Literal(anchor.exact)))
        provenance.add((quote_sel, oa.prefix, Literal(anchor.prefix)))
        provenance.add((quote_sel, oa.suffix, Literal(anchor.suffix)))
        position = sub[f"quote-{q.index}-position"]
        provenance.add((target, oa.hasSelector, position))
        provenance.add((position, a, oa.TextPositionSelector))
        provenance.add((position, oa.start, Literal(anchor.start)))
        provenance.add((position, oa.end, Literal(anchor.end)))
        provenance.add((position, kg.offsetUnit, Literal("unicode-code-point")))
        state = sub[f"quote-{q.index}-state"]
        provenance.add((target, oa.hasState, state))
        provenance.add((state, a, oa.TimeState))
        provenance.add((state, oa.cachedSource, URIRef(snapshot_iri(source.snapshot.sha256))))
    if claim.evidence is not None:
        ev = claim.evidence
        provenance.add((this_assertion, kg.evidenceLevel, URIRef(KGL + ev.level)))
        provenance.add((this_assertion, kg.evidenceDirection, Literal(ev.direction)))
        for r in ev.references:
            ref = sub[f"evidence-{r.index}"]
            provenance.add((this_assertion, kg.evidence, ref))
            provenance.add((ref, a, kg.EvidenceReference))
            provenance.add((ref, prov.wasDerivedFrom, URIRef(KGS + r.source)))
            provenance.add((ref, kg.direction, Literal(r.direction)))
            if r.finding:
                provenance.add((ref, kg.finding, Literal(r.finding)))

    this = DUMMY_NAMESPACE[""]  # the nanopublication itself, before its hash is known
    pubinfo.add((this, dct.license, URIRef(LICENCE)))
    pubinfo.add((this, pav.version, Literal(f"sha256:{claim_version(claim)}")))
    pubinfo.add((this, URIRef(RDFS + "label"), Literal(claim.statement)))
    pubinfo.add((this, dct.subject, URIRef(KGC + claim.id)))
    if site_url:
        page = f"{site_url.rstrip('/')}/claim/{claim.id}.html"
        pubinfo.add((this, URIRef(RDFS + "seeAlso"), URIRef(page)))
    return assertion, provenance, pubinfo


def claim_nanopub(
    corpus: Corpus, claim_id: str, signer: Signer | None = None, site_url: str = ""
) -> Nanopub:
    """The claim's nanopublication with its trusty URI (signed when a signer is given)."""
    from nanopub import Nanopub, NanopubConf, Profile
    from nanopub.profile import ProfileError
    from nanopub.sign_utils import replace_trusty_in_graph
    from nanopub.trustyuri.rdf import RdfHasher, RdfUtils

    claim = corpus.claims.get(claim_id)
    if claim is None:
        raise NanopubError(f"no claim {claim_id!r}")
    assertion, provenance, pubinfo = _graphs(corpus, claim, site_url)
    profile = None
    if signer is not None:
        try:
            profile = Profile(signer.orcid, signer.name, private_key=signer.key)
        except (ProfileError, ValueError, IndexError, TypeError) as err:
            raise NanopubError(f"{signer.key}: not a usable RSA private key ({err})") from err
    conf = NanopubConf(profile=profile)  # no generated times: the same claim, the same bytes
    np = Nanopub(assertion=assertion, provenance=provenance, pubinfo=pubinfo, conf=conf)
    if profile is not None:
        np.sign()
        return np
    namespace = str(np.metadata.namespace)
    artefact = RdfHasher.make_hash(RdfUtils.get_quads(np.rdf), baseuri=namespace, hashstr=" ")
    np.update_from_signed(replace_trusty_in_graph(artefact, namespace, np.rdf))
    return np


def nanopub_trig(np: Nanopub) -> str:
    text: str = np.rdf.serialize(format="trig")
    return text if text.endswith("\n") else text + "\n"


def write_nanopubs(
    corpus: Corpus,
    out: Path,
    claim_ids: list[str] | None = None,
    signer: Signer | None = None,
    site_url: str = "",
) -> list[Path]:
    """One TriG file per claim, `CLAIM-ID.trig`, in a folder kgraph may write (replaced whole)."""
    from kgraph.outputs import replacing_folder

    ids = claim_ids or sorted(corpus.claims)
    texts = {cid: nanopub_trig(claim_nanopub(corpus, cid, signer, site_url)) for cid in ids}
    with replacing_folder(out, "nanopubs", corpus_root=corpus.root) as staged:
        for cid, text in texts.items():
            (staged / f"{cid}.trig").write_text(text, encoding="utf-8")
    target = Path(out)
    return [target / f"{cid}.trig" for cid in texts]
