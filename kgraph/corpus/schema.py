"""The record formats as data: one field table per record type, and the JSON Schema made from it.

The validator (`kgraph.corpus.validate`) and `kgraph schema` both read these tables, and the tables
read their allowed values from `kgraph.vocab`, so the formats are defined in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kgraph import vocab

RECORD_TYPES = ("claim", "source", "entity")
# Record folder inside a corpus, per record type.
FOLDERS = {"claim": "claims", "source": "sources", "entity": "entities"}


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
    Field(
        "cites",
        "text_list",
        "The authorities the document itself names or links ([] when it cites nothing); "
        "left out when not recorded.",
    ),
    Field("notes", "str", "Free notes."),
)

ENTITY_FIELDS: tuple[Field, ...] = (
    Field("id", "id", "Unique id; the file name without .yaml.", required=True),
    Field("label", "text", "Display name.", required=True),
    _vocab("type", vocab.ENTITY_TYPES, "Entity type.", required=True),
    Field("synonyms", "text_list", "Other names, including the articles' own wording."),
    Field("description", "str", "One sentence on what it is."),
    Field("xrefs", "str_map", "Identifiers in other vocabularies, only if seen."),
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
)

REFERENCE_FIELDS: tuple[Field, ...] = (
    Field("source", "ref", "Id of the study or document.", required=True, ref="source"),
    Field("finding", "text", "What it found, as it bears on the claim.", required=True),
    Field("design", "text", "Study design in words.", required=True),
    Field("n", "int_or_null", "Number of participants or animals, or null."),
    Field("population", "text", "Who or what was studied."),
    _vocab(
        "direction",
        vocab.REFERENCE_DIRECTIONS,
        "How this finding bears on the claim.",
        required=True,
    ),
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
)

QUALIFIER_FIELDS: tuple[Field, ...] = tuple(
    Field(t.value, "text", t.description) for t in vocab.QUALIFIER_KEYS
)

REVIEW_FIELDS: tuple[Field, ...] = (
    _vocab("status", vocab.REVIEW_STATUSES, "Review status.", required=True),
    Field("reviewer", "text", "Who reviewed the record."),
    Field("date", "date", "When it was reviewed."),
    Field("notes", "str", "Reviewer's notes."),
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

RECORD_FIELDS: dict[str, tuple[Field, ...]] = {
    "claim": CLAIM_FIELDS,
    "source": SOURCE_FIELDS,
    "entity": ENTITY_FIELDS,
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
    """A JSON Schema (draft 2020-12) for one record type."""
    schema = _object_schema(RECORD_FIELDS[record_type])
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
        "title": f"kgraph {record_type} record",
        **schema,
    }
