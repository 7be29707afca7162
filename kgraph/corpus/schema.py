"""The record formats as data: one field table per record type, and the JSON Schema made from it.

The validator (`kgraph.corpus.validate`) and `kgraph schema` both read these tables, and the tables
read their allowed values from `kgraph.vocab`, so the formats are defined in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kgraph import vocab

RECORD_TYPES = ("claim", "source", "entity")
# A coverage map is no record with an id of its own: it accounts for one source's sentences.
COVERAGE = "coverage"
# Every format with a field table and a JSON Schema: the records, then the coverage maps.
FORMATS = (*RECORD_TYPES, COVERAGE)
# Folder inside a corpus, per format.
FOLDERS = {"claim": "claims", "source": "sources", "entity": "entities", COVERAGE: "coverage"}
# Where the kept text copies live (sources name them by a path relative to the corpus).
SNAPSHOT_FOLDER = "snapshots"


@dataclass(frozen=True)
class Field:
    """One field of a record format.

    `kind` is one of: text (a non-empty string), str (any string), int, year_or_text, date,
    id, ref, ref_list, text_list, authors, vocab, mapping, list (of mappings), str_map, int_or_null,
    doi, pmid, pmcid, sha256.
    """

    name: str
    kind: str
    description: str
    required: bool = False
    vocab: tuple[str, ...] = ()
    ref: str = ""  # for ref and ref_list: the record type referred to
    fields: tuple[Field, ...] = ()  # for mapping and list
    unknown_ok: bool = False  # "unknown" is an honest value here
    min_items: int = 0
    # The finding code for this field missing or empty, where a specific one exists.
    empty_code: str = "KG201"


def _vocab(name: str, terms: tuple[vocab.Term, ...], description: str, **kw: Any) -> Field:
    return Field(name, "vocab", description, vocab=vocab.values(terms), **kw)


SNAPSHOT_FIELDS = (
    Field("path", "text", "Path of the text copy, relative to the corpus folder.", required=True),
    Field("sha256", "sha256", "SHA-256 of the text copy, 64 hexadecimal digits.", required=True),
    _vocab("part", vocab.SNAPSHOT_PARTS, "What the copy holds: the full text, or the abstract."),
    Field("url", "text", "Where the text was seen, or unknown.", unknown_ok=True),
    Field("seen", "date", "When it was seen."),
)

RISK_OF_BIAS_FIELDS: tuple[Field, ...] = (
    _vocab("rating", vocab.RISK_OF_BIAS, "The rating a review gave.", required=True),
    Field("by", "ref", "Id of the review that rated it.", required=True, ref="source"),
    Field(
        "tool", "text", "The tool it used (RoB 2, Newcastle-Ottawa), or unknown.", unknown_ok=True
    ),
)

STUDY_FIELDS: tuple[Field, ...] = (
    Field(
        "design",
        "vocab",
        "Study design (docs/grading.md lists them), or unknown.",
        required=True,
        vocab=tuple(d.value for d in vocab.STUDY_DESIGNS),
        unknown_ok=True,
    ),
    _vocab(
        "review_of",
        vocab.REVIEW_OF,
        "For a systematic review: the designs it reviewed, or unknown.",
        unknown_ok=True,
    ),
    Field("n", "int_or_null", "Participants (or animals) analysed, or unknown.", unknown_ok=True),
    Field("population", "text", "Who or what was studied, or unknown.", unknown_ok=True),
    _vocab("drug", vocab.DRUG_FORMS, "Which ketamine it gave, or unknown.", unknown_ok=True),
    Field("intervention", "text", "What was given: form, route, dose, schedule.", unknown_ok=True),
    Field("comparator", "text", "What it was compared with, or unknown.", unknown_ok=True),
    Field("registration", "text", "Trial registration id, only if seen.", unknown_ok=True),
    Field(
        "risk_of_bias",
        "mapping",
        "Risk of bias as a review rated it.",
        fields=RISK_OF_BIAS_FIELDS,
        unknown_ok=True,
    ),
)

SOURCE_FIELDS: tuple[Field, ...] = (
    Field("id", "id", "Unique id; the file name without .yaml.", required=True),
    Field("title", "text", "The document's title, or unknown.", required=True, unknown_ok=True),
    Field("label", "text", "A short display name for the site."),
    _vocab("kind", vocab.SOURCE_KINDS, "Source type.", required=True),
    Field("authors", "authors", "Authors as seen, or unknown.", required=True, unknown_ok=True),
    Field(
        "published",
        "date",
        "Publication date: YYYY, YYYY-MM, YYYY-MM-DD, or unknown.",
        required=True,
        unknown_ok=True,
    ),
    Field("publisher", "text", "Publisher or site owner, or unknown.", unknown_ok=True),
    Field("url", "text", "Address of the document, or unknown.", unknown_ok=True),
    Field("accessed", "date", "Date the document was retrieved, or unknown.", unknown_ok=True),
    Field("journal", "text", "Journal or container title."),
    Field("volume", "year_or_text", "Volume."),
    Field("issue", "year_or_text", "Issue."),
    Field("pages", "year_or_text", "Pages or article number."),
    Field("doi", "doi", "DOI, only if seen in a retrieved page."),
    Field("pmid", "pmid", "PubMed id, only if seen in a retrieved page."),
    Field("pmcid", "pmcid", "PubMed Central id (PMC...), only if seen."),
    Field("snapshot", "mapping", "A kept text copy of the document.", fields=SNAPSHOT_FIELDS),
    Field("study", "mapping", "The study, described once for every claim.", fields=STUDY_FIELDS),
    Field(
        "cites",
        "text_list",
        "The authorities the document itself names or links ([] when it cites nothing); "
        "left out when not recorded.",
    ),
    Field("notes", "str", "Free notes."),
)

GROUNDING_FIELDS: tuple[Field, ...] = (
    Field("curie", "text", "The term's CURIE, PREFIX:ID (CHEBI:6121).", required=True),
    Field("label", "text", "The term's label, as the vocabulary spells it.", required=True),
    Field(
        "version", "text", "The pinned vocabulary version it was checked against.", required=True
    ),
    _vocab("match", vocab.MAPPING_RELATIONS, "How the entity relates to the term; default exact."),
)

ENTITY_FIELDS: tuple[Field, ...] = (
    Field("id", "id", "Unique id; the file name without .yaml.", required=True),
    Field("label", "text", "Display name.", required=True),
    _vocab("type", vocab.ENTITY_TYPES, "Entity type.", required=True),
    Field("synonyms", "text_list", "Other names, including the articles' own wording."),
    Field("description", "str", "One sentence on what it is."),
    Field("xrefs", "str_map", "Identifiers in other vocabularies, only if seen."),
    Field(
        "grounding",
        "list",
        "Terms of the pinned vocabularies the entity is (checked by `kgraph check`).",
        fields=GROUNDING_FIELDS,
    ),
    Field("ungrounded", "text", "Why no vocabulary term fits the entity (a metaphor, a framing)."),
)

ASSERTION_FIELDS: tuple[Field, ...] = (
    Field("source", "ref", "Id of the asserting source.", required=True, ref="source"),
    Field(
        "quote",
        "text",
        "Verbatim span of the source that makes the claim.",
        required=True,
        empty_code="KG302",
    ),
    Field("locator", "text", "Where in the source: section, paragraph.", required=True),
    Field(
        "reading",
        "vocab",
        "How the quote carries the claim: literal, or a reading of it; or unknown.",
        vocab=vocab.values(vocab.READINGS),
        unknown_ok=True,
    ),
    Field("reading_reason", "text", "Why the claim is a reading of the quote (not literal)."),
)

REFERENCE_FIELDS: tuple[Field, ...] = (
    Field("source", "ref", "Id of the study or document.", required=True, ref="source"),
    Field("finding", "text", "What it found, as it bears on the claim.", required=True),
    Field(
        "excerpt",
        "text",
        "Verbatim words of the study's abstract (its snapshot) behind the finding, or unknown.",
        unknown_ok=True,
    ),
    Field(
        "outcome", "text", "The outcome it measured for this claim, or unknown.", unknown_ok=True
    ),
    Field("timepoint", "text", "When the outcome was measured, or unknown.", unknown_ok=True),
    Field(
        "effect",
        "text",
        "The effect, with its interval where reported, or unknown.",
        unknown_ok=True,
    ),
    _vocab(
        "certainty",
        vocab.PRINTED_CERTAINTY,
        "The GRADE certainty the review printed for this outcome, or unknown.",
        unknown_ok=True,
    ),
    _vocab(
        "direction",
        vocab.REFERENCE_DIRECTIONS,
        "How this finding bears on the claim.",
        required=True,
    ),
)

DOMAIN_FIELDS: tuple[Field, ...] = (
    _vocab("rating", vocab.DOMAIN_RATINGS, "none, serious or very-serious.", required=True),
    Field("reason", "text", "Why, in a sentence a reader can check.", required=True),
)
UPGRADE_FIELDS: tuple[Field, ...] = (
    _vocab("rating", vocab.UPGRADE_RATINGS, "none, plus-one or plus-two.", required=True),
    Field("reason", "text", "Why, in a sentence a reader can check.", required=True),
)
CERTAINTY_FIELDS: tuple[Field, ...] = tuple(
    Field(t.value, "mapping", t.description, fields=DOMAIN_FIELDS, required=True, unknown_ok=True)
    for t in vocab.DOMAINS
)
UPGRADES_FIELDS: tuple[Field, ...] = tuple(
    Field(t.value, "mapping", t.description, fields=UPGRADE_FIELDS) for t in vocab.UPGRADES
)
EXCLUDED_FIELDS: tuple[Field, ...] = (
    Field("study", "text", "The study excluded, as cited (authors, year, journal).", required=True),
    Field("reason", "text", "Why it was excluded.", required=True),
    Field("source", "ref", "Its source record, where there is one.", ref="source"),
)
SEARCH_FIELDS: tuple[Field, ...] = (
    Field("date", "date", "When the search was run.", required=True),
    Field("where", "text_list", "Databases and sites searched.", required=True),
    Field("queries", "text_list", "The queries, as typed.", required=True),
    Field(
        "screened", "int_or_null", "Records screened, or unknown.", required=True, unknown_ok=True
    ),
    Field("included", "ref_list", "Sources included (cited as references).", ref="source"),
    Field(
        "excluded",
        "list",
        "Studies screened and left out, each with a reason.",
        fields=EXCLUDED_FIELDS,
    ),
    Field("notes", "str", "Anything else a reader of the search needs."),
)

EVIDENCE_FIELDS: tuple[Field, ...] = (
    Field(
        "level",
        "vocab",
        "ES level.",
        required=True,
        vocab=tuple(lv.value for lv in vocab.EVIDENCE_LEVELS),
    ),
    # Required at every level but ES-0, where nothing tests the claim and so nothing points.
    _vocab("direction", vocab.DIRECTIONS, "Direction of the evidence as a whole (not at ES-0)."),
    Field("indirectness", "str", "How the evidence differs from the claim, in words."),
    Field("rationale", "text", "Why this level, in two to five sentences.", required=True),
    Field("references", "list", "Studies behind the level.", fields=REFERENCE_FIELDS),
    Field(
        "certainty",
        "mapping",
        "GRADE's five domains, each rated with a reason (or unknown).",
        fields=CERTAINTY_FIELDS,
        unknown_ok=True,
    ),
    Field(
        "upgrades",
        "mapping",
        "GRADE's reasons to rate up, where any applies.",
        fields=UPGRADES_FIELDS,
    ),
    Field(
        "override",
        "text",
        "Why the stated level differs from the derived one (or unknown, pending a re-grade).",
        unknown_ok=True,
    ),
    Field(
        "search",
        "mapping",
        "The search behind the grade (PRISMA-S): when, where, queries, screened, in and out.",
        fields=SEARCH_FIELDS,
        unknown_ok=True,
    ),
)

QUALIFIER_FIELDS: tuple[Field, ...] = tuple(
    Field(t.value, "text", t.description) for t in vocab.QUALIFIER_KEYS
)

REVIEW_HASH_FIELDS: tuple[Field, ...] = (
    Field(
        "claim",
        "sha256",
        "SHA-256 of the claim's content (its review block aside) when it was reviewed.",
        required=True,
    ),
    Field("sources", "str_map", "SHA-256 of each source record it rests on, by source id."),
    Field("snapshots", "str_map", "SHA-256 of each of those sources' snapshots, by source id."),
)

REVIEW_FIELDS: tuple[Field, ...] = (
    _vocab("status", vocab.REVIEW_STATUSES, "Review status.", required=True),
    Field("reviewer", "text", "Who reviewed the record."),
    Field("date", "date", "When it was reviewed."),
    Field("notes", "str", "Reviewer's notes."),
    Field(
        "hashes",
        "mapping",
        "What the review saw, written by `kgraph review`: `kgraph check` reports a review "
        "whose record or sources changed since.",
        fields=REVIEW_HASH_FIELDS,
    ),
)

CLAIM_FIELDS: tuple[Field, ...] = (
    Field("id", "id", "Unique id; the file name without .yaml.", required=True),
    Field("statement", "text", "The claim in one plain sentence.", required=True),
    _vocab("kind", vocab.CLAIM_KINDS, "Claim kind.", required=True),
    Field("subject", "ref", "Entity id.", required=True, ref="entity"),
    _vocab("predicate", vocab.PREDICATES, "Relation.", required=True),
    Field("object", "ref", "Entity id.", required=True, ref="entity"),
    Field("qualifiers", "mapping", "Population, time frame, dose, route.", fields=QUALIFIER_FIELDS),
    Field(
        "sources",
        "list",
        "Asserting sources, each with a verbatim quote.",
        required=True,
        fields=ASSERTION_FIELDS,
        min_items=1,
        empty_code="KG301",
    ),
    Field(
        "evidence", "mapping", "Evidence grade (all kinds but rhetoric).", fields=EVIDENCE_FIELDS
    ),
    Field("depends_on", "ref_list", "Premises: other claim ids.", ref="claim"),
    Field("tags", "text_list", "Free tags."),
    Field("review", "mapping", "Review status.", fields=REVIEW_FIELDS),
)

# One entry of a coverage map says what one segment of the snapshot is: exactly one of these.
COVERAGE_VERDICTS = ("claims", "not_a_claim", "pending")

COVERAGE_ENTRY_FIELDS: tuple[Field, ...] = (
    Field(
        "text",
        "text",
        "The sentence, list item or heading, verbatim from the snapshot.",
        required=True,
    ),
    Field("locator", "text", "Where it stands, as `kgraph check` computes it."),
    Field("claims", "ref_list", "The claims whose quotes lie in it.", ref="claim", min_items=1),
    Field("not_a_claim", "text", "Why it asserts nothing checkable (a call to action, ...)."),
    Field("pending", "text", "The checkable claim it makes that no record quotes yet."),
)

COVERAGE_FIELDS: tuple[Field, ...] = (
    Field(
        "source",
        "ref",
        "Id of the article; the file name without .yaml.",
        required=True,
        ref="source",
    ),
    Field(
        "sentences",
        "list",
        "Every segment of the snapshot, in order, each with what it is.",
        required=True,
        fields=COVERAGE_ENTRY_FIELDS,
        min_items=1,
    ),
    Field("notes", "str", "Free notes."),
)

# Fields that moved: (the list or mapping they were in, the field) -> where they live now.
MOVED_FIELDS: dict[tuple[str, str], str] = {
    ("references", "design"): "`study.design` on the source record",
    ("references", "n"): "`study.n` on the source record",
    ("references", "population"): "`study.population` on the source record",
}

RECORD_FIELDS: dict[str, tuple[Field, ...]] = {
    "claim": CLAIM_FIELDS,
    "source": SOURCE_FIELDS,
    "entity": ENTITY_FIELDS,
    COVERAGE: COVERAGE_FIELDS,
}

# --- JSON Schema -------------------------------------------------------------------------------

# The exports declare integers as 64-bit (GraphML long, Neo4j int); the bounds apply to a YAML
# integer only, never to text.
_INT64 = {"minimum": -vocab.MAX_INT - 1, "maximum": vocab.MAX_INT}

_SIMPLE: dict[str, dict[str, Any]] = {
    "text": {"type": "string", "minLength": 1},
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "year_or_text": {"type": ["string", "integer"], **_INT64},
    "date": {
        "type": ["string", "integer"],
        "pattern": vocab.DATE_PATTERN.pattern,
    },
    "id": {"type": "string", "pattern": vocab.ID_PATTERN.pattern},
    "ref": {"type": "string", "pattern": vocab.ID_PATTERN.pattern},
    "ref_list": {
        "type": "array",
        "items": {"type": "string", "pattern": vocab.ID_PATTERN.pattern},
    },
    "text_list": {"type": "array", "items": {"type": "string", "minLength": 1}},
    "authors": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    "str_map": {
        "type": "object",
        "additionalProperties": {"type": ["string", "integer"], **_INT64},
    },
    "int_or_null": {"type": ["integer", "null"], "minimum": 0, "maximum": vocab.MAX_INT},
    "doi": {"type": "string", "pattern": vocab.DOI_PATTERN.pattern},
    "pmid": {"type": ["string", "integer"], "pattern": vocab.PMID_PATTERN.pattern},
    "pmcid": {"type": "string", "pattern": vocab.PMCID_PATTERN.pattern},
    "sha256": {"type": "string", "pattern": vocab.SHA256_PATTERN.pattern},
}


def _field_schema(f: Field) -> dict[str, Any]:
    if f.kind == "vocab":
        schema: dict[str, Any] = {"enum": list(f.vocab)}
    elif f.kind == "mapping":
        schema = _object_schema(f.fields)
    elif f.kind == "list":
        schema = {"type": "array", "items": _object_schema(f.fields)}
        if f.min_items:
            schema["minItems"] = f.min_items
    else:
        schema = dict(_SIMPLE[f.kind])
        if f.kind == "ref_list" and f.min_items:
            schema["minItems"] = f.min_items
    schema["description"] = f.description
    alternatives = [schema]
    if f.unknown_ok:
        alternatives.append({"const": vocab.UNKNOWN})
    if not f.required:
        # The checker reads an optional `field: null` as the field left out.
        alternatives.append({"type": "null"})
    if len(alternatives) == 1:
        return schema
    return {"description": f.description, "anyOf": alternatives}


def _object_schema(fields: tuple[Field, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {f.name: _field_schema(f) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def json_schema(record_type: str) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) for one record type (or the coverage maps)."""
    schema = _object_schema(RECORD_FIELDS[record_type])
    if record_type == COVERAGE:
        entry = schema["properties"]["sentences"]["items"]
        entry["oneOf"] = [{"required": [v]} for v in COVERAGE_VERDICTS]
    if record_type == "claim":
        evidence = schema["properties"]["evidence"]
        evidence["if"] = {"properties": {"level": {"const": vocab.NO_EVIDENCE_LEVEL}}}
        evidence["then"] = {"not": {"required": ["direction"]}}
        evidence["else"] = {"required": ["direction"]}
        # Rhetoric takes no evidence; every other kind needs it.
        schema["if"] = {"properties": {"kind": {"const": "rhetoric"}}}
        schema["then"] = {"not": {"required": ["evidence"]}}
        schema["else"] = {"required": ["evidence"]}
    if record_type == "source":
        schema["if"] = {
            "properties": {"kind": {"enum": sorted(vocab.WEB_SOURCE_KINDS)}},
        }
        schema["then"] = {"required": ["url", "publisher", "accessed"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"kgraph {record_type} map"
        if record_type == COVERAGE
        else f"kgraph {record_type} record",
        **schema,
    }
