"""The OpenAPI 3.1 document of the JSON API (`/api/v1/openapi.json`), written out by hand.

Its schemas are JSON Schema 2020-12, so a client (or a test) can validate every answer against
them; `tests/test_serve_api.py` checks that it describes each route of the app and no other.
"""

from __future__ import annotations

from typing import Any

from kgraph import vocab
from kgraph.text.prose import FORMATS as DRAFT_FORMATS
from kgraph.writers.cite import FORMATS as CITE_FORMATS

VERSION = "1"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(kind: str) -> dict[str, Any]:
    return {"type": [kind, "null"]}


def _obj(required: list[str], **props: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": props}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    words = {
        400: "bad input: the message says what is wrong",
        404: "no such claim",
        409: "the claim has nothing to cite (the message says why)",
        413: "the request body is over the size limit, or the draft has too many sentences",
        415: "the body's content type is not one the endpoint takes",
        429: "too many requests: see Retry-After",
    }
    return {str(c): _json(_ref("Error"), words[c]) for c in (*codes, 429)}


_LEVELS = [lv.value for lv in vocab.EVIDENCE_LEVELS]
_STR = {"type": "string"}
_STRS = {"type": "array", "items": _STR}

SCHEMAS: dict[str, Any] = {
    "Error": _obj(
        ["error"],
        error=_obj(["status", "message"], status={"type": "integer"}, message=_STR),
    ),
    "DraftRequest": _obj(
        ["text"],
        text={**_STR, "description": "the draft, Markdown or plain text"},
        format={"enum": list(DRAFT_FORMATS), "default": "markdown"},
        threshold={"type": "number", "minimum": 0, "maximum": 100},
    ),
    "Reference": _obj(
        ["source", "label", "kind", "direction", "finding", "reference"],
        source=_STR,
        label=_STR,
        kind=_STR,
        direction=_STR,
        finding=_STR,
        reference={**_STR, "description": "a Vancouver-style reference line, in Markdown"},
    ),
    "Sentence": _obj(
        ["line", "text", "block", "verdict", "reason", "claim", "references", "suggestion"],
        line={"type": "integer", "minimum": 1},
        text=_STR,
        block=_STR,
        verdict={"enum": list(vocab.values(vocab.DRAFT_VERDICTS))},
        reason={**_STR, "description": "why the verdict, in words"},
        claim=_nullable("string"),
        claim_url=_nullable("string"),
        statement=_nullable("string"),
        claim_kind=_nullable("string"),
        level={"enum": [*_LEVELS, None]},
        level_name=_nullable("string"),
        direction=_nullable("string"),
        score=_nullable("number"),
        why=_STRS,
        also={"type": "array", "items": {"type": "object"}},
        hedges=_STRS,
        boosters=_STRS,
        references={"type": "array", "items": _ref("Reference")},
        suggestion={**_nullable("string"), "description": "hedged wording, where one is due"},
    ),
    "DraftReport": _obj(
        ["threshold", "summary", "sentences"],
        path=_STR,
        threshold={"type": "number"},
        summary={"type": "object", "additionalProperties": {"type": "integer"}},
        sentences={"type": "array", "items": _ref("Sentence")},
        verdicts={"type": "array", "items": {"type": "object"}},
        citations={
            "type": "object",
            "description": "each matched claim's references, by claim id, in each format",
            "additionalProperties": {
                "type": "object",
                "properties": {f: _STR for f in CITE_FORMATS},
                "required": list(CITE_FORMATS),
            },
        },
    ),
    "FindRequest": _obj(
        ["text"],
        text=_STR,
        limit={"type": "integer", "minimum": 1, "maximum": 50, "default": 5},
        threshold={"type": "number", "minimum": 0, "maximum": 100},
    ),
    "Match": _obj(
        ["claim", "score", "statement", "kind", "level", "direction", "why", "references"],
        claim=_STR,
        claim_url=_STR,
        score={"type": "number"},
        statement=_STR,
        kind=_STR,
        level={"enum": [*_LEVELS, None]},
        level_name=_STR,
        direction=_nullable("string"),
        why=_STRS,
        references=_STRS,
    ),
    "FindResult": _obj(
        ["text", "threshold", "matches"],
        text=_STR,
        threshold={"type": "number"},
        matches={"type": "array", "items": _ref("Match")},
    ),
    "Claim": _obj(
        ["id", "statement", "kind", "level", "direction", "url", "references"],
        id=_STR,
        statement=_STR,
        kind=_STR,
        subject=_STR,
        predicate=_STR,
        object=_STR,
        level={"enum": [*_LEVELS, None]},
        level_name=_STR,
        direction=_nullable("string"),
        rationale=_nullable("string"),
        url=_STR,
        asserted_by=_STRS,
        references={"type": "array", "items": _ref("Reference")},
    ),
    "Citation": _obj(
        ["claim", "format", "text"],
        claim=_STR,
        format={"enum": list(CITE_FORMATS)},
        text=_STR,
    ),
    "Status": _obj(
        ["claims", "sources", "build", "error"],
        claims={"type": "integer"},
        sources={"type": "integer"},
        build={"type": "integer", "description": "how many times the site was built"},
        error={**_nullable("string"), "description": "why the last rebuild was not served"},
    ),
}

_CLAIM_ID = {
    "name": "claim_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": vocab.ID_PATTERN.pattern},
}
_THRESHOLD = {
    "name": "threshold",
    "in": "query",
    "schema": {"type": "number", "minimum": 0, "maximum": 100},
}

PATHS: dict[str, Any] = {
    "/api/v1/draft": {
        "post": {
            "summary": "Check a draft sentence by sentence",
            "description": "Each sentence with its verdict, the claim it matches (level, "
            "direction, the reason in words), the references to cite and hedged wording.",
            "parameters": [
                _THRESHOLD,
                {"name": "format", "in": "query", "schema": {"enum": list(DRAFT_FORMATS)}},
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": _ref("DraftRequest")},
                    "text/markdown": {"schema": _STR},
                    "text/plain": {"schema": _STR},
                },
            },
            "responses": {
                "200": _json(_ref("DraftReport"), "the verdict on each sentence"),
                **_errors(400, 413, 415),
            },
        }
    },
    "/api/v1/find": {
        "get": {
            "summary": "Find the claims a text makes",
            "parameters": [
                {"name": "text", "in": "query", "required": True, "schema": _STR},
                {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                _THRESHOLD,
            ],
            "responses": {
                "200": _json(_ref("FindResult"), "matching claims, best first"),
                **_errors(400, 413),
            },
        },
        "post": {
            "summary": "Find the claims a text makes (the text in a JSON body)",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("FindRequest")}},
            },
            "responses": {
                "200": _json(_ref("FindResult"), "matching claims, best first"),
                **_errors(400, 413, 415),
            },
        },
    },
    "/api/v1/claims/{claim_id}": {
        "get": {
            "summary": "A claim: statement, evidence level, direction and primary references",
            "parameters": [_CLAIM_ID],
            "responses": {"200": _json(_ref("Claim"), "the claim"), **_errors(404)},
        }
    },
    "/api/v1/claims/{claim_id}/cite": {
        "get": {
            "summary": "The claim's primary references as BibTeX, CSL-JSON or Markdown",
            "parameters": [
                _CLAIM_ID,
                {
                    "name": "format",
                    "in": "query",
                    "schema": {"enum": list(CITE_FORMATS), "default": "markdown"},
                },
            ],
            "responses": {
                "200": _json(_ref("Citation"), "the references, ready to paste"),
                **_errors(400, 404, 409),
            },
        }
    },
    "/api/v1/status": {
        "get": {
            "summary": "What the server answers from: counts, build number, last rebuild error",
            "responses": {"200": _json(_ref("Status"), "the served build")},
        }
    },
    "/api/v1/openapi.json": {
        "get": {
            "summary": "This document",
            "responses": {"200": {"description": "the OpenAPI document"}},
        }
    },
}


def openapi_document() -> dict[str, Any]:
    """The whole document, as served."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "kgraph",
            "version": VERSION,
            "description": "Check a draft against a literature-claims corpus, find the claims a "
            "text makes, read and cite a claim. Served by `kgraph serve`.",
        },
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }
