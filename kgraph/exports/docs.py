"""docs/graph.md: the graph model (from kgraph.graph) followed by the exports, from their tables.

Every table here is generated from the code that writes the files, so the page cannot drift.
"""

from __future__ import annotations

from kgraph import vocab
from kgraph.exports import FORMATS
from kgraph.exports.attributes import BOOL_ATTRIBUTES, INT_ATTRIBUTES, LIST_ATTRIBUTES
from kgraph.exports.claimreview import BEST, RATINGS, WORST, alternate_name, rating
from kgraph.exports.kgx import AGENT_TYPE, KNOWLEDGE_LEVEL
from kgraph.exports.neo4j import ARRAY_DELIMITER, NODE_FILES, import_command
from kgraph.exports.rdf import BASE, RECORD_NAMESPACES, TERMS, VOCABULARIES
from kgraph.graph.model import EDGE_KINDS, graph_model_markdown

# What each prefix of the Turtle is used for.
USES = {
    "kgc": "claims, and their `:asserts:<n>` and `:evidence:<n>` nodes",
    "kgs": "sources",
    "kge": "entities",
    "kgp": "predicates, as `rdf:Property` with `rdfs:label`",
    "kgl": "ES levels, as `skos:Concept`",
    "dcterms": "identifier, title, date, publisher, description",
    "prov": "provenance: derived from, attributed to, qualified derivation",
    "rdf": "reification: `rdf:Statement`, subject, predicate, object",
    "rdfs": "labels, comments, classes",
    "schema": "`Claim`, `CreativeWork`, text, author, url, sameAs, keywords",
    "skos": "the ES scale as a concept scheme; synonyms as `skos:altLabel`",
    "xsd": "typed dates and numbers",
}


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _code(names: frozenset[str]) -> str:
    return ", ".join(f"`{n}`" for n in sorted(names))


def _formats() -> list[str]:
    rows = [
        [f"`{f.name}`", f"`{f.filename}{'/' if f.renderer is None else ''}`", f.readers]
        for f in FORMATS.values()
    ]
    return [
        "## Exports",
        "",
        "`kgraph build` writes every format into `site_out/exports/`; `kgraph export --format F",
        "[-o FILE]` writes one (to standard output without `-o`; `neo4j` needs `-o FOLDER`). From",
        "Python: `kgraph.exports.write_exports(graph, corpus, out_dir)` and",
        "`kgraph.exports.export(graph, corpus, fmt)`.",
        "",
        *_table(["format", "file", "read by"], rows),
        "",
        "Every file is reproducible: the same corpus gives byte-identical files (nodes, edges,",
        "rows and keys sorted; no timestamps). GEXF's `lastmodifieddate` is written only when",
        "`SOURCE_DATE_EPOCH` is set, and then from it.",
    ]


def _xml() -> list[str]:
    return [
        "",
        "### GraphML and GEXF: no None, lists as JSON",
        "",
        "Neither format can hold a missing value or a list. An attribute whose value is None is",
        "left out of the element, and a list is written as a JSON string: list attributes are",
        f'{_code(LIST_ATTRIBUTES)} (e.g. `hedges` = `["may", "some people"]`). Integers',
        f"({_code(INT_ATTRIBUTES)}) and booleans ({_code(BOOL_ATTRIBUTES)}) keep their types.",
        "`kgraph.exports.networkx_files.read_graphml(path)` and `read_gexf(path)` read a file back",
        "into exactly the graph `build_graph` made: lists decoded, and every attribute the model",
        "declares for the node's or edge's kind but the file left out put back as None. GEXF edge",
        "ids are `source|target|key`; edge keys (`asserts:0`, `subject`, a claim id) are kept.",
        "A control character XML cannot hold (anything below U+0020 but tab and line breaks)",
        "is written as U+FFFD, the replacement character.",
        "",
        "### JSON Lines",
        "",
        "`claims.jsonl` holds one JSON object per claim, in id order: the claim's fields,",
        "`sources` (each with the source's id, label, kind, url, DOI, PubMed id, the `quote`,",
        "`locator`, `hedges` and `boosters`), `evidence` (level, rank, level name, direction,",
        "indirectness, rationale and `references`, each with its source, finding, design,",
        "direction, n and population; null for rhetoric) and `review`.",
    ]


def _neo4j() -> list[str]:
    files = {name: "" for name in NODE_FILES.values()}
    files.update({f"{kind}.csv": "" for kind in EDGE_KINDS})
    return [
        "",
        "### Neo4j",
        "",
        "`neo4j/` holds one CSV file per node kind and per edge kind, with headers in the format",
        "of `neo4j-admin database import full`: `id:ID` and `:LABEL` (`Claim`, `Source`,",
        "`Entity`) for nodes; `:START_ID`, `:END_ID` and `:TYPE` for relationships (the edge kind",
        "in capitals, and for the entity view the claim's predicate, e.g. `ACTS_ON`). Typed",
        "columns: `:int` for "
        + _code(INT_ATTRIBUTES)
        + ", `:boolean` for "
        + _code(BOOL_ATTRIBUTES)
        + f", `:string[]` (joined with the default array delimiter `{ARRAY_DELIMITER}`) for lists.",
        'An empty field is no value; a quoted `""` is an empty string. `neo4j/README.txt`',
        "repeats this. To import, stop the database and run from the `neo4j/` folder:",
        "",
        "```sh",
        import_command(files),
        "```",
    ]


def _rdf() -> list[str]:
    prefixes = [["`kg:`", f"`{BASE}`", "the project's own terms (below)"]]
    prefixes += [[f"`{p}:`", f"`{ns}`", USES[p]] for p, ns in RECORD_NAMESPACES.items()]
    prefixes += [[f"`{p}:`", f"`{ns}`", USES[p]] for p, ns in VOCABULARIES.items()]
    terms = [[f"`kg:{n}`", kind, text] for n, (kind, text) in TERMS.items()]
    return [
        "",
        "### RDF (Turtle)",
        "",
        f"The project namespace is `{BASE}` (one constant, `kgraph.exports.rdf.BASE`); records",
        "hang below it by type. Well-known vocabularies are used wherever they have a term:",
        "",
        *_table(["prefix", "namespace", "used for"], prefixes),
        "",
        "A claim is reified, never asserted as a bare triple (the corpus records that sources say",
        "it, not that it is true): `kgc:<id> a rdf:Statement, kg:Claim, schema:Claim, prov:Entity`",
        "with `rdf:subject`, `rdf:predicate` (a `kgp:` property) and `rdf:object` (`kge:`",
        "entities), `schema:text` (the statement), `dcterms:identifier`, `kg:claimKind`,",
        "`kg:evidenceLevel` (a `kgl:ES-n` `skos:Concept` in `kg:EvidenceScale`, with",
        "`skos:notation`, `skos:prefLabel` and `kg:rank`), `kg:evidenceDirection`, `kg:rationale`",
        "and `kg:dependsOn`.",
        "Provenance is PROV-O: each asserting source gives `prov:wasDerivedFrom` and",
        "`prov:wasAttributedTo` (an article is typed `prov:Agent` as well as `prov:Entity` and",
        "`schema:CreativeWork`), and a `prov:qualifiedDerivation` node `kgc:<id>:asserts:<n>`",
        "(`prov:Derivation`) carries `prov:entity`, the `kg:quote` literal, `kg:locator` and the",
        "`kg:hedgeCue` / `kg:boosterCue` found in it. Each cited study is a `kg:EvidenceReference`",
        "node `kgc:<id>:evidence:<n>` with `prov:entity`, `kg:direction`, `kg:finding`,",
        "`kg:design` and `kg:sampleSize`. No blank nodes are used, so the file is byte-stable.",
        "Sources carry `dcterms:title`, `dcterms:date` (typed `xsd:gYear`, `xsd:gYearMonth` or",
        "`xsd:date`), `schema:author`, `schema:url` and `schema:sameAs` (the DOI as a URL);",
        "entities carry `rdfs:label`, `skos:altLabel` (synonyms) and `kg:entityType`.",
        "",
        "Project terms (declared in the file with `rdfs:comment`):",
        "",
        *_table(["term", "kind", "meaning"], terms),
    ]


def _claimreview() -> list[str]:
    scale = [[str(r.value), r.verdict, r.meaning] for r in RATINGS]
    grid = []
    for lv in vocab.EVIDENCE_LEVELS:
        row = [f"`{lv.value}`"]
        row += [str(rating(lv.value, d.value).value) for d in vocab.DIRECTIONS]
        grid.append(row)
    example = alternate_name("ES-2", "supports")
    return [
        "",
        "### ClaimReview (JSON-LD)",
        "",
        "`claimreview.jsonld` is one JSON-LD document whose `@graph` holds a schema.org",
        "`ClaimReview` for every graded claim (rhetoric takes no level, so no review). Its",
        '`@context` is `{"@vocab": "https://schema.org/"}`, so it expands without fetching',
        "anything. Each review has `claimReviewed` (the statement), `author` (the project,",
        "`kgraph`), `reviewBody` (the rationale), `isBasedOn` (the studies cited),",
        "`itemReviewed`, a `Claim` whose `appearance` lists every asserting article as a",
        "`CreativeWork` (with `url` when known, and always `name`) and whose `firstAppearance` is",
        "the earliest dated one (left out when no date is known), and `reviewRating`, a `Rating`",
        f"from {WORST} (worst) to {BEST} (best) with `alternateName` in words, e.g.",
        f"`{example}`.",
        "",
        "The rating is derived from the ES level and the direction (`rating()` in",
        "`kgraph/exports/claimreview.py`): contradicted evidence is lowest whatever its level;",
        "below ES-3 nothing has been tested in humans, so ES-2, ES-1 and ES-0 share one rating;",
        "mixed evidence is one step below supporting evidence at the same level. ES-0 records",
        "no direction (nothing was found) and is rated like ES-1 and ES-2.",
        "",
        *_table(["rating", "verdict", "when"], scale),
        "",
        *_table(["level", *[f"`{d.value}`" for d in vocab.DIRECTIONS]], grid),
    ]


def _kgx() -> list[str]:
    return [
        "",
        "### KGX (Biolink nodes and edges)",
        "",
        "`kgx/` holds `nodes.jsonl` and `edges.jsonl`, KGX's JSON Lines format (one object a line,",
        "keys sorted; read with `kgx transform --input-format jsonl`). A node is a grounded",
        "entity, identified by the term it matches exactly (`CHEBI:6121`) or, failing one,",
        "closely, with its Biolink `category` (by entity type, docs/vocabulary.md), `name`,",
        "`description`, `synonym` and every grounded term as `xref`. An edge is a claim between",
        "two such entities: `id` (`kgc:` + the claim id), `subject`, `object`, the Biolink",
        "`predicate` for its predicate and kgraph's as `original_predicate` (`kg:`), `category`",
        f"`biolink:Association`, `knowledge_level` `{KNOWLEDGE_LEVEL}` and `agent_type`",
        f"`{AGENT_TYPE}` (every claim is curated by hand), the sources' DOIs and PubMed ids as",
        "`publications`, the quotes as `supporting_text`, and `evidence_level`. Entities no term",
        "identifies (metaphors, experiences, terms only broader or narrower) are left out with",
        "their claims: KGX names nodes by CURIEs of the Biolink model's prefixes. The other",
        "exports carry every entity, with its terms' ontology IRIs (`grounding_iris`;",
        "`skos:exactMatch` and its siblings in the Turtle).",
    ]


def exports_markdown() -> str:
    """The exports section of docs/graph.md."""
    parts = [*_formats(), *_xml(), *_neo4j(), *_rdf(), *_claimreview(), *_kgx()]
    return "\n".join(parts) + "\n"


def graph_markdown() -> str:
    """docs/graph.md: the graph model, then the exports."""
    return graph_model_markdown() + "\n" + exports_markdown()
