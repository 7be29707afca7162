"""The graph as RDF Turtle: claims as reified statements with PROV-O provenance and ES levels.

A claim is an `rdf:Statement` (and a `schema:Claim`), never a bare triple: the corpus records
that sources say it, not that it is true. Namespaces and project terms are declared here once.
The Turtle is written term by term as the corpus is walked (no RDF library in between: building
an rdflib graph first took most of a large build's time); `rdf_graph` reads it back for a notebook.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import networkx as nx

from kgraph import vocab
from kgraph.corpus.grade import grading_record
from kgraph.corpus.model import Claim, Corpus, Source
from kgraph.grounding import registry

if TYPE_CHECKING:
    from rdflib import Graph

# The project's namespace. Record IRIs hang below it by record type; terms sit directly in it.
BASE = "urn:kgraph:"
RECORD_NAMESPACES = {
    "kgc": BASE + "claim:",
    "kgs": BASE + "source:",
    "kge": BASE + "entity:",
    "kgp": BASE + "predicate:",
    "kgl": BASE + "level:",
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
    "ungrounded": ("property", "Why no vocabulary term fits the entity."),
    "rank": ("property", "An ES level as a number, 0 to 5."),
    "doi": ("property", "A DOI, as recorded."),
    "pmid": ("property", "A PubMed id."),
    "pmcid": ("property", "A PubMed Central id."),
    "excerpt": ("property", "The words of the study's abstract behind a finding, verbatim."),
    "outcome": ("property", "What a study measured, for a finding."),
    "timepoint": ("property", "When a study measured it."),
    "effect": ("property", "The effect a study reports, as printed."),
    "printedCertainty": ("property", "The GRADE certainty a review printed for an outcome."),
    "GradeRating": ("class", "One GRADE domain (or upgrade) as rated for a claim."),
    "Search": ("class", "The documented search behind a claim's grade (PRISMA-S)."),
    "derivedLevel": ("property", "The ES level the grading rules derive (docs/grading.md)."),
    "gradeCertainty": ("property", "GRADE certainty: high, moderate, low or very-low."),
    "gradeExplanation": ("property", "How the level was derived, step by step, in words."),
    "gradeRating": ("property", "A kg:GradeRating of the claim's evidence."),
    "domain": ("property", "Which GRADE domain or upgrade a rating is for."),
    "rating": ("property", "none, serious, very-serious (domains); plus-one, plus-two (upgrades)."),
    "reason": ("property", "Why it was rated so, in words."),
    "override": ("property", "Why the stated level differs from the derived one."),
    "search": ("property", "The kg:Search behind the claim's grade."),
    "searchDate": ("property", "When the search was run."),
    "searchedIn": ("property", "A database or site searched."),
    "searchQuery": ("property", "A query, as typed."),
    "screened": ("property", "How many records the search screened."),
    "included": ("property", "A source the search included as evidence."),
    "excludedStudy": ("property", "A study the search screened and left out, with why."),
}
# Claim qualifier key -> term.
QUALIFIER_TERMS = {
    "population": "population",
    "time_frame": "timeFrame",
    "dose": "dose",
    "route": "route",
}

# Well-known vocabularies used, with their prefixes in the Turtle.
VOCABULARIES: dict[str, str] = {
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_SAFE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
# A local name safe to write as prefix:local (a conservative subset of Turtle's PN_LOCAL).
_LOCAL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
# Every prefix the Turtle declares; longest namespace first, so kgc: wins over kg: for a claim.
PREFIXES: dict[str, str] = {"kg": BASE, **RECORD_NAMESPACES, **VOCABULARIES}
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda x: (-len(x[1]), x[0]))


# How an entity matches a grounded term (vocab.MAPPING_RELATIONS), as SKOS says it.
SKOS_MATCH: dict[str, str] = {
    "exact": "skos:exactMatch",
    "close": "skos:closeMatch",
    "broad": "skos:broadMatch",
    "narrow": "skos:narrowMatch",
    "related": "skos:relatedMatch",
}


@lru_cache(maxsize=65536)
def iri(full: str) -> str:
    """An IRI as Turtle: prefix:local where a declared namespace and a safe local name allow."""
    for prefix, ns in _BY_LENGTH:
        if full.startswith(ns) and _LOCAL_NAME.match(full[len(ns) :]):
            return f"{prefix}:{full[len(ns) :]}"
    return f"<{full}>"


def literal(value: str) -> str:
    """A string literal as Turtle, escaped as rdflib escapes it (long quotes for a multi-line
    value), so that any Turtle reader reads back exactly `value`."""
    if "\n" in value:
        encoded = value.replace("\\", "\\\\")
        if '"""' in value:
            encoded = encoded.replace('"""', '\\"\\"\\"')
        if encoded[-1] == '"' and encoded[-2] != "\\":
            encoded = encoded[:-1] + '\\"'
        return '"""' + encoded.replace("\r", "\\r") + '"""'
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
    return '"' + escaped + '"'


def typed(lexical: str, datatype: str) -> str:
    return f"{literal(lexical)}^^xsd:{datatype}"


def _date(value: str) -> str:
    m = vocab.DATE_PATTERN.match(value)
    if m is None:
        return literal(value)
    if m.group(3):
        return typed(value, "date")
    return typed(value, "gYearMonth" if m.group(2) else "gYear")


def _integer(value: int) -> str:
    return typed(str(value), "integer")


class _Triples:
    """The triples of the export, already written as Turtle terms, grouped by subject."""

    def __init__(self) -> None:
        self.subjects: dict[str, dict[str, set[str]]] = {}

    def about(self, subject: str) -> dict[str, set[str]]:
        return self.subjects.setdefault(subject, {})

    def lines(self) -> Iterator[str]:
        """The Turtle, one subject (with all it says) at a time, subjects sorted."""
        yield "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))
        for subject in sorted(self.subjects):
            preds = self.subjects[subject]
            order = sorted(preds, key=lambda p: (p != "rdf:type", p))
            parts = [
                f"{'a' if p == 'rdf:type' else p} " + " ,\n        ".join(sorted(preds[p]))
                for p in order
            ]
            yield f"\n{subject} " + " ;\n    ".join(parts) + " .\n"


def _add(about: dict[str, set[str]], predicate: str, obj: str) -> None:
    objects = about.get(predicate)
    if objects is None:
        about[predicate] = {obj}
    else:
        objects.add(obj)


def _declare_terms(t: _Triples) -> None:
    types = {"class": "rdfs:Class", "property": "rdf:Property", "scheme": "skos:ConceptScheme"}
    for name, (kind, comment) in TERMS.items():
        node = t.about(iri(BASE + name))
        _add(node, "rdf:type", types[kind])
        _add(node, "rdfs:comment", literal(comment))
    _add(t.about("kg:Claim"), "rdfs:subClassOf", "rdf:Statement")
    for lv in vocab.EVIDENCE_LEVELS:
        node = t.about(iri(KGL + lv.value))
        _add(node, "rdf:type", "kg:EvidenceLevel")
        _add(node, "rdf:type", "skos:Concept")
        _add(node, "skos:inScheme", "kg:EvidenceScale")
        _add(node, "skos:notation", literal(lv.value))
        _add(node, "skos:prefLabel", literal(lv.name))
        _add(node, "skos:definition", literal(lv.description))
        _add(node, "kg:rank", _integer(lv.rank))
    for term in vocab.PREDICATES:
        node = t.about(iri(KGP + term.value))
        _add(node, "rdf:type", "rdf:Property")
        _add(node, "rdfs:label", literal(term.label))
        _add(node, "rdfs:comment", literal(term.description))


def _add_source(t: _Triples, s: Source, asserting: bool) -> None:
    node = t.about(iri(KGS + s.id))
    _add(node, "rdf:type", "prov:Entity")
    _add(node, "rdf:type", "schema:CreativeWork")
    if asserting:
        # An article is the agent that asserts its claims (PROV allows an entity to be an agent).
        _add(node, "rdf:type", "prov:Agent")
    _add(node, "dcterms:identifier", literal(s.id))
    _add(node, "rdfs:label", literal(s.display))
    _add(node, "kg:sourceKind", literal(s.kind))
    if s.title:
        _add(node, "dcterms:title", literal(s.title))
    for author in s.authors:
        _add(node, "schema:author", literal(author))
    if s.published:
        _add(node, "dcterms:date", _date(s.published))
    if s.publisher:
        _add(node, "dcterms:publisher", literal(s.publisher))
    if s.journal:
        _add(node, "schema:isPartOf", literal(s.journal))
    if s.url:
        _add(node, "schema:url", iri(s.url) if _SAFE_IRI.match(s.url) else literal(s.url))
    if s.doi:
        _add(node, "kg:doi", literal(s.doi))
        _add(node, "schema:sameAs", iri("https://doi.org/" + s.doi))
    if s.pmid:
        _add(node, "kg:pmid", literal(s.pmid))
    if s.pmcid:
        _add(node, "kg:pmcid", literal(s.pmcid))
    st = s.study
    if st is not None:
        # A study is described once, on its source: design, size, population, drug.
        _add(node, "kg:design", literal(st.design))
        if isinstance(st.n, int):
            _add(node, "kg:sampleSize", _integer(st.n))
        for name, value in (
            ("population", st.population),
            ("drugForm", st.drug),
            ("intervention", st.intervention),
            ("comparator", st.comparator),
            ("registration", st.registration),
            ("reviewOf", st.review_of),
        ):
            if value and value != "unknown":
                _add(node, f"kg:{name}", literal(value))


def _add_entity(t: _Triples, corpus: Corpus, eid: str) -> None:
    e = corpus.entities[eid]
    node = t.about(iri(KGE + eid))
    _add(node, "rdf:type", "kg:Entity")
    _add(node, "dcterms:identifier", literal(eid))
    _add(node, "rdfs:label", literal(e.label))
    _add(node, "kg:entityType", literal(e.type))
    for synonym in e.synonyms:
        _add(node, "skos:altLabel", literal(synonym))
    if e.description:
        _add(node, "dcterms:description", literal(e.description))
    # Each grounded term by its ontology IRI, through SKOS's mapping property for the match.
    for g in e.grounding:
        term = registry.iri(g.curie)
        if term:
            _add(node, SKOS_MATCH[g.match], iri(term))
    if e.ungrounded:
        _add(node, "kg:ungrounded", literal(e.ungrounded))


def _add_claim(t: _Triples, graph: nx.MultiDiGraph, corpus: Corpus, c: Claim) -> None:
    me = iri(KGC + c.id)
    node = t.about(me)
    for cls in ("rdf:Statement", "kg:Claim", "schema:Claim", "prov:Entity"):
        _add(node, "rdf:type", cls)
    _add(node, "rdf:subject", iri(KGE + c.subject))
    _add(node, "rdf:predicate", iri(KGP + c.predicate))
    _add(node, "rdf:object", iri(KGE + c.object))
    _add(node, "dcterms:identifier", literal(c.id))
    _add(node, "schema:text", literal(c.statement))
    _add(node, "kg:claimKind", literal(c.kind))
    _add(node, "kg:reviewStatus", literal(c.review.status))
    for key, value in sorted(c.qualifiers.items()):
        _add(node, iri(BASE + QUALIFIER_TERMS.get(key, key)), literal(value))
    for tag in c.tags:
        _add(node, "schema:keywords", literal(tag))
    for dep in c.depends_on:
        _add(node, "kg:dependsOn", iri(KGC + dep))
    for a in c.sources:
        source = iri(KGS + a.source)
        derivation = f"<{KGC}{c.id}:asserts:{a.index}>"
        _add(node, "prov:wasDerivedFrom", source)
        _add(node, "prov:wasAttributedTo", source)
        _add(node, "prov:qualifiedDerivation", derivation)
        d = t.about(derivation)
        _add(d, "rdf:type", "prov:Derivation")
        _add(d, "prov:entity", source)
        _add(d, "kg:quote", literal(a.quote))
        _add(d, "kg:locator", literal(a.locator))
        edge = graph.get_edge_data(a.source, c.id, f"asserts:{a.index}") or {}
        for cue in edge.get("hedges", []):
            _add(d, "kg:hedgeCue", literal(cue))
        for cue in edge.get("boosters", []):
            _add(d, "kg:boosterCue", literal(cue))
    ev = c.evidence
    if ev is None:
        return
    _add(node, "kg:evidenceLevel", iri(KGL + ev.level))
    if ev.direction:  # ES-0 has none
        _add(node, "kg:evidenceDirection", literal(ev.direction))
    _add(node, "kg:rationale", literal(ev.rationale))
    if ev.indirectness:
        _add(node, "kg:indirectness", literal(ev.indirectness))
    for r in ev.references:
        ref = f"<{KGC}{c.id}:evidence:{r.index}>"
        _add(node, "kg:evidence", ref)
        d = t.about(ref)
        _add(d, "rdf:type", "kg:EvidenceReference")
        _add(d, "prov:entity", iri(KGS + r.source))
        _add(d, "kg:direction", literal(r.direction))
        _add(d, "kg:finding", literal(r.finding))
        for name, value in (
            ("excerpt", r.excerpt),
            ("outcome", r.outcome),
            ("timepoint", r.timepoint),
            ("effect", r.effect),
            ("printedCertainty", r.certainty),
        ):
            if value and value != "unknown":
                _add(d, f"kg:{name}", literal(value))
    _add_grading(t, node, c, grading_record(c, corpus))


def _add_grading(
    t: _Triples, node: dict[str, set[str]], c: Claim, g: dict[str, Any] | None
) -> None:
    """The derivation, each GRADE rating, the override and the search, on the claim."""
    if g is None:
        return
    derived = g["derived"]
    if derived["level"]:
        _add(node, "kg:derivedLevel", iri(KGL + derived["level"]))
    if derived["certainty"]:
        _add(node, "kg:gradeCertainty", literal(derived["certainty"]))
    _add(node, "kg:gradeExplanation", literal(derived["explanation"]))
    if g["override"] and g["override"] != vocab.UNKNOWN:
        _add(node, "kg:override", literal(g["override"]))
    ratings = dict(g["certainty"]) if isinstance(g["certainty"], dict) else {}
    ratings.update(g["upgrades"])
    for name in sorted(ratings):
        value = ratings[name]
        if not isinstance(value, dict):
            continue
        rnode = f"<{KGC}{c.id}:grade:{name}>"
        _add(node, "kg:gradeRating", rnode)
        r = t.about(rnode)
        _add(r, "rdf:type", "kg:GradeRating")
        _add(r, "kg:domain", literal(name))
        _add(r, "kg:rating", literal(value["rating"]))
        if value["reason"]:
            _add(r, "kg:reason", literal(value["reason"]))
    search = g["search"]
    if not isinstance(search, dict):
        return
    snode = f"<{KGC}{c.id}:search>"
    _add(node, "kg:search", snode)
    s = t.about(snode)
    _add(s, "rdf:type", "kg:Search")
    _add(s, "kg:searchDate", literal(str(search["date"])))
    for where in search["where"]:
        _add(s, "kg:searchedIn", literal(where))
    for q in search["queries"]:
        _add(s, "kg:searchQuery", literal(q))
    if isinstance(search["screened"], int):
        _add(s, "kg:screened", literal(str(search["screened"])))
    for sid in search["included"]:
        _add(s, "kg:included", iri(KGS + sid))
    for e in search["excluded"]:
        _add(s, "kg:excludedStudy", literal(f"{e['study']}: {e['reason']}"))


def turtle(graph: nx.MultiDiGraph, corpus: Corpus) -> Iterator[str]:
    """RDF Turtle of the corpus, in pieces to write one after another: subjects, predicates
    and objects sorted, byte-stable."""
    t = _Triples()
    _declare_terms(t)
    asserting = {a.source for c in corpus.claims.values() for a in c.sources}
    for sid in sorted(corpus.sources):
        _add_source(t, corpus.sources[sid], sid in asserting)
    for eid in sorted(corpus.entities):
        _add_entity(t, corpus, eid)
    for cid in sorted(corpus.claims):
        _add_claim(t, graph, corpus, corpus.claims[cid])
    yield from t.lines()


def rdf_graph(graph: nx.MultiDiGraph, corpus: Corpus) -> Graph:
    """The corpus as an rdflib Graph, for a notebook or a SPARQL query: the Turtle, read back."""
    from rdflib import Graph

    rdf = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        rdf.bind(prefix, ns)
    return rdf.parse(data="".join(turtle(graph, corpus)), format="turtle")
