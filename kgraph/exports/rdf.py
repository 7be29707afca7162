"""The graph as RDF Turtle: claims as reified statements with PROV-O provenance and ES levels.

A claim is an `rdf:Statement` (and a `schema:Claim`), never a bare triple: the corpus records
that sources say it, not that it is true. Namespaces and project terms are declared here once.
"""

from __future__ import annotations

import re
from typing import Any

import networkx as nx
from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SDO

from kgraph import vocab
from kgraph.model import Claim, Corpus, Source

# The project's namespace. Record IRIs hang below it by record type; terms sit directly in it.
BASE = "urn:kgraph:"
KG = Namespace(BASE)
RECORD_NAMESPACES = {
    "kgc": Namespace(BASE + "claim:"),
    "kgs": Namespace(BASE + "source:"),
    "kge": Namespace(BASE + "entity:"),
    "kgp": Namespace(BASE + "predicate:"),
    "kgl": Namespace(BASE + "level:"),
}
KGC, KGS, KGE, KGP, KGL = RECORD_NAMESPACES.values()

# The project's own terms, where no well-known vocabulary has one: name -> (kind, meaning).
TERMS: dict[str, tuple[str, str]] = {
    "Claim": ("class", "A claim recorded from the literature; a subclass of rdf:Statement."),
    "Entity": ("class", "A thing claims are about: a drug, receptor, region, condition..."),
    "EvidenceLevel": ("class", "A step of the ES evidence-strength scale."),
    "EvidenceReference": ("class", "A study cited as evidence for or against a claim."),
    "EvidenceScale": ("scheme", "The ES scale (ES-0 to ES-5), a skos:ConceptScheme."),
    "claimKind": ("property", "mechanism, effect, regulatory, ... (a claim kind)."),
    "evidenceLevel": ("property", "The claim's ES level (a kg:EvidenceLevel)."),
    "evidenceDirection": ("property", "supports, mixed or contradicts: the evidence as a whole."),
    "rationale": ("property", "Why the claim has its level, in words."),
    "indirectness": ("property", "How the evidence differs from the claim."),
    "reviewStatus": ("property", "draft, reviewed or disputed."),
    "dependsOn": ("property", "A premise the claim rests on (another claim)."),
    "evidence": ("property", "A kg:EvidenceReference for the claim."),
    "quote": ("property", "The verbatim quote with which a source asserts the claim."),
    "locator": ("property", "Where in the source the quote stands."),
    "hedgeCue": ("property", "A hedge cue found in the quote (may, suggests, ...)."),
    "boosterCue": ("property", "A booster cue found in the quote (clearly, proven, ...)."),
    "direction": ("property", "supports, contradicts, mixed or neutral: one study's finding."),
    "finding": ("property", "What the study found."),
    "design": ("property", "The study's design."),
    "sampleSize": ("property", "Participants or animals in the study."),
    "population": ("property", "Who or what was studied, or who the claim is about."),
    "timeFrame": ("property", "When the claimed effect is to appear."),
    "dose": ("property", "The dose a claim is about."),
    "route": ("property", "How the drug is given, for a claim."),
    "sourceKind": ("property", "regulatory, rct, preclinical, marketing, ... (a source kind)."),
    "entityType": ("property", "drug, receptor, brain_region, ... (an entity type)."),
    "rank": ("property", "An ES level as a number, 0 to 5."),
    "doi": ("property", "A DOI, as recorded."),
    "pmid": ("property", "A PubMed id."),
    "pmcid": ("property", "A PubMed Central id."),
}
# Claim qualifier key -> term.
QUALIFIER_TERMS = {
    "population": "population",
    "time_frame": "timeFrame",
    "dose": "dose",
    "route": "route",
}

# Well-known vocabularies used, with their prefixes in the Turtle.
VOCABULARIES: dict[str, Any] = {
    "dcterms": DCTERMS,
    "prov": PROV,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "schema": SDO,
    "skos": Namespace(str(SKOS)),
    "xsd": Namespace(str(XSD)),
}
_SAFE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


def _date(value: str) -> Literal:
    m = vocab.DATE_PATTERN.match(value)
    if m is None:
        return Literal(value)
    if m.group(3):
        return Literal(value, datatype=XSD.date)
    return Literal(value, datatype=XSD.gYearMonth if m.group(2) else XSD.gYear)


def _declare_terms(rdf: Graph) -> None:
    types = {"class": RDFS.Class, "property": RDF.Property, "scheme": SKOS.ConceptScheme}
    for name, (kind, comment) in TERMS.items():
        rdf.add((KG[name], RDF.type, types[kind]))
        rdf.add((KG[name], RDFS.comment, Literal(comment)))
    rdf.add((KG.Claim, RDFS.subClassOf, RDF.Statement))
    for lv in vocab.EVIDENCE_LEVELS:
        node = KGL[lv.value]
        rdf.add((node, RDF.type, KG.EvidenceLevel))
        rdf.add((node, RDF.type, SKOS.Concept))
        rdf.add((node, SKOS.inScheme, KG.EvidenceScale))
        rdf.add((node, SKOS.notation, Literal(lv.value)))
        rdf.add((node, SKOS.prefLabel, Literal(lv.name)))
        rdf.add((node, SKOS.definition, Literal(lv.description)))
        rdf.add((node, KG.rank, Literal(lv.rank)))
    for term in vocab.PREDICATES:
        node = KGP[term.value]
        rdf.add((node, RDF.type, RDF.Property))
        rdf.add((node, RDFS.label, Literal(term.label)))
        rdf.add((node, RDFS.comment, Literal(term.description)))


def _add_source(rdf: Graph, s: Source, asserting: bool) -> None:
    node = KGS[s.id]
    rdf.add((node, RDF.type, PROV.Entity))
    rdf.add((node, RDF.type, SDO.CreativeWork))
    if asserting:
        # An article is the agent that asserts its claims (PROV allows an entity to be an agent).
        rdf.add((node, RDF.type, PROV.Agent))
    rdf.add((node, DCTERMS.identifier, Literal(s.id)))
    rdf.add((node, RDFS.label, Literal(s.display)))
    rdf.add((node, KG.sourceKind, Literal(s.kind)))
    if s.title:
        rdf.add((node, DCTERMS.title, Literal(s.title)))
    for author in s.authors:
        rdf.add((node, SDO.author, Literal(author)))
    if s.published:
        rdf.add((node, DCTERMS.date, _date(s.published)))
    if s.publisher:
        rdf.add((node, DCTERMS.publisher, Literal(s.publisher)))
    if s.journal:
        rdf.add((node, SDO.isPartOf, Literal(s.journal)))
    if s.url:
        url = URIRef(s.url) if _SAFE_IRI.match(s.url) else Literal(s.url)
        rdf.add((node, SDO.url, url))
    if s.doi:
        rdf.add((node, KG.doi, Literal(s.doi)))
        rdf.add((node, SDO.sameAs, URIRef("https://doi.org/" + s.doi)))
    if s.pmid:
        rdf.add((node, KG.pmid, Literal(s.pmid)))
    if s.pmcid:
        rdf.add((node, KG.pmcid, Literal(s.pmcid)))


def _add_claim(rdf: Graph, graph: nx.MultiDiGraph, c: Claim) -> None:
    node = KGC[c.id]
    for cls in (RDF.Statement, KG.Claim, SDO.Claim, PROV.Entity):
        rdf.add((node, RDF.type, cls))
    rdf.add((node, RDF.subject, KGE[c.subject]))
    rdf.add((node, RDF.predicate, KGP[c.predicate]))
    rdf.add((node, RDF.object, KGE[c.object]))
    rdf.add((node, DCTERMS.identifier, Literal(c.id)))
    rdf.add((node, SDO.text, Literal(c.statement)))
    rdf.add((node, KG.claimKind, Literal(c.kind)))
    rdf.add((node, KG.reviewStatus, Literal(c.review.status)))
    for key, value in sorted(c.qualifiers.items()):
        rdf.add((node, KG[QUALIFIER_TERMS.get(key, key)], Literal(value)))
    for tag in c.tags:
        rdf.add((node, SDO.keywords, Literal(tag)))
    for dep in c.depends_on:
        rdf.add((node, KG.dependsOn, KGC[dep]))
    for a in c.sources:
        derivation = KGC[f"{c.id}:asserts:{a.index}"]
        rdf.add((node, PROV.wasDerivedFrom, KGS[a.source]))
        rdf.add((node, PROV.wasAttributedTo, KGS[a.source]))
        rdf.add((node, PROV.qualifiedDerivation, derivation))
        rdf.add((derivation, RDF.type, PROV.Derivation))
        rdf.add((derivation, PROV.entity, KGS[a.source]))
        rdf.add((derivation, KG.quote, Literal(a.quote)))
        rdf.add((derivation, KG.locator, Literal(a.locator)))
        edge = graph.get_edge_data(a.source, c.id, f"asserts:{a.index}") or {}
        for cue in edge.get("hedges", []):
            rdf.add((derivation, KG.hedgeCue, Literal(cue)))
        for cue in edge.get("boosters", []):
            rdf.add((derivation, KG.boosterCue, Literal(cue)))
    ev = c.evidence
    if ev is None:
        return
    rdf.add((node, KG.evidenceLevel, KGL[ev.level]))
    if ev.direction:  # ES-0 has none
        rdf.add((node, KG.evidenceDirection, Literal(ev.direction)))
    rdf.add((node, KG.rationale, Literal(ev.rationale)))
    if ev.indirectness:
        rdf.add((node, KG.indirectness, Literal(ev.indirectness)))
    for r in ev.references:
        ref = KGC[f"{c.id}:evidence:{r.index}"]
        rdf.add((node, KG.evidence, ref))
        rdf.add((ref, RDF.type, KG.EvidenceReference))
        rdf.add((ref, PROV.entity, KGS[r.source]))
        rdf.add((ref, KG.direction, Literal(r.direction)))
        rdf.add((ref, KG.finding, Literal(r.finding)))
        rdf.add((ref, KG.design, Literal(r.design)))
        if r.n is not None:
            rdf.add((ref, KG.sampleSize, Literal(r.n)))
        if r.population:
            rdf.add((ref, KG.population, Literal(r.population)))


def rdf_graph(graph: nx.MultiDiGraph, corpus: Corpus) -> Graph:
    """The corpus as an rdflib Graph, for a notebook or a SPARQL query."""
    rdf = Graph(bind_namespaces="none")
    rdf.bind("kg", KG)
    for prefix, ns in (*RECORD_NAMESPACES.items(), *VOCABULARIES.items()):
        rdf.bind(prefix, ns)
    _declare_terms(rdf)
    asserting = {a.source for c in corpus.claims.values() for a in c.sources}
    for sid in sorted(corpus.sources):
        _add_source(rdf, corpus.sources[sid], sid in asserting)
    for eid in sorted(corpus.entities):
        e = corpus.entities[eid]
        node = KGE[eid]
        rdf.add((node, RDF.type, KG.Entity))
        rdf.add((node, DCTERMS.identifier, Literal(eid)))
        rdf.add((node, RDFS.label, Literal(e.label)))
        rdf.add((node, KG.entityType, Literal(e.type)))
        for synonym in e.synonyms:
            rdf.add((node, SKOS.altLabel, Literal(synonym)))
        if e.description:
            rdf.add((node, DCTERMS.description, Literal(e.description)))
    for cid in sorted(corpus.claims):
        _add_claim(rdf, graph, corpus.claims[cid])
    return rdf


# A local name safe to write as prefix:local (a conservative subset of Turtle's PN_LOCAL).
_LOCAL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class _TurtleWriter:
    """Writes an rdflib Graph as sorted Turtle, subject by subject.

    rdflib's own Turtle serializer computes a qualified name per term through its namespace
    manager, which took most of a build's time at a thousand claims; terms are escaped by
    rdflib here (`n3()`), and only the prefix compaction and the layout are done in place.
    """

    def __init__(self, rdf: Graph) -> None:
        self.rdf = rdf
        # Longest namespace first, so kgc: wins over kg: for a claim IRI.
        self.prefixes = sorted(
            ((p, str(ns)) for p, ns in rdf.namespaces()), key=lambda x: (-len(x[1]), x[0])
        )
        self._cache: dict[Any, str] = {}

    def term(self, t: Any) -> str:
        cached = self._cache.get(t)
        if cached is not None:
            return cached
        if isinstance(t, URIRef):
            text = t.n3()
            iri = str(t)
            for prefix, ns in self.prefixes:
                if iri.startswith(ns) and _LOCAL_NAME.match(iri[len(ns) :]):
                    text = f"{prefix}:{iri[len(ns) :]}"
                    break
        elif isinstance(t, Literal) and t.datatype is not None:
            text = f"{Literal(str(t)).n3()}^^{self.term(t.datatype)}"
        else:
            text = t.n3()
        if isinstance(t, URIRef):
            self._cache[t] = text
        return text

    def write(self) -> str:
        lines = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(self.prefixes)]
        by_subject: dict[str, dict[str, set[str]]] = {}
        for s, p, o in self.rdf:
            preds = by_subject.setdefault(self.term(s), {})
            preds.setdefault(self.term(p), set()).add(self.term(o))
        a = self.term(RDF.type)
        for subject in sorted(by_subject):
            preds = by_subject[subject]
            order = sorted(preds, key=lambda p: (p != a, p))
            parts = [
                f"{'a' if p == a else p} " + " ,\n        ".join(sorted(preds[p])) for p in order
            ]
            lines.append("")
            lines.append(f"{subject} " + " ;\n    ".join(parts) + " .")
        return "\n".join(lines) + "\n"


def turtle(graph: nx.MultiDiGraph, corpus: Corpus) -> str:
    """RDF Turtle of the corpus: subjects, predicates and objects sorted, byte-stable."""
    return _TurtleWriter(rdf_graph(graph, corpus)).write()
