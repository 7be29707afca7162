"""The JSON API, version 1: check a draft, find the claims a text makes, read and cite a claim.

Each endpoint parses and checks its input here, calls one writers' function
(`kgraph.writers.draft.check_draft`, `ClaimIndex.find`, `kgraph.writers.cite.cite`) and answers
JSON. Bad input is an `ApiError`: a status and a one-line message, never a traceback.
"""

from __future__ import annotations

import difflib
import json
import math
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from kgraph import vocab
from kgraph.corpus.model import Claim, Corpus
from kgraph.site.links import level_name, page_path
from kgraph.text.prose import FORMATS as DRAFT_FORMATS
from kgraph.text.prose import split_sentences
from kgraph.web.state import ServedCorpus
from kgraph.writers import cite as citing
from kgraph.writers.draft import check_draft
from kgraph.writers.find import DEFAULT_THRESHOLD

PREFIX = "/api/v1"
# The longest text /find takes: a sentence or a paragraph, not a draft (that is /draft's).
MAX_FIND_CHARS = 2000
MAX_FIND_LIMIT = 50
# Body types /draft takes as the draft itself, and the format each means.
RAW_TYPES = {"text/markdown": "markdown", "text/x-markdown": "markdown", "text/plain": "text"}


class ApiError(Exception):
    """Input the API refuses: an HTTP status and what to do about it, in one line."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _text(raw: bytes, what: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ApiError(
            400, f"{what} is not UTF-8 text (byte {err.start}: {err.reason}); send UTF-8"
        ) from err
    if "\x00" in text:
        raise ApiError(400, f"{what} holds a NUL character: binary data, not text")
    return text


def _json_object(raw: bytes) -> dict[str, Any]:
    text = _text(raw, "the request body")
    if not text.strip():
        raise ApiError(400, "the request body is empty: send a JSON object")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise ApiError(
            400, f"the request body is not JSON: {err.msg} at line {err.lineno}, column {err.colno}"
        ) from err
    if not isinstance(value, dict):
        raise ApiError(400, "the request body must be a JSON object")
    return value


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _threshold(value: Any) -> float:
    if value is None:
        return DEFAULT_THRESHOLD
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError as err:
            raise ApiError(400, f"threshold {value!r} is not a number") from err
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ApiError(400, "threshold must be a number from 0 to 100")
    if not 0 <= value <= 100:
        raise ApiError(400, f"threshold {value:g} is outside 0 to 100")
    return float(value)


def _limit(value: Any) -> int:
    if value is None:
        return 5
    try:
        limit = int(value)
    except (TypeError, ValueError) as err:
        raise ApiError(400, f"limit {value!r} is not a whole number") from err
    if isinstance(value, bool) or not 1 <= limit <= MAX_FIND_LIMIT:
        raise ApiError(400, f"limit must be from 1 to {MAX_FIND_LIMIT}")
    return limit


def _string(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if value is None:
        raise ApiError(400, f'the request needs "{key}", a string')
    if not isinstance(value, str):
        raise ApiError(400, f'"{key}" must be a string, not {type(value).__name__}')
    if "\x00" in value:
        raise ApiError(400, f'"{key}" holds a NUL character: binary data, not text')
    return value


def _citations(corpus: Corpus, claim_ids: list[str | None]) -> dict[str, dict[str, str]]:
    """Each matched claim's references in every citation format, for the page's copy boxes
    (claims with nothing to cite are left out)."""
    out: dict[str, dict[str, str]] = {}
    for claim_id in claim_ids:
        if claim_id is None or claim_id in out:
            continue
        claim = corpus.claims[claim_id]
        if citing.primary_references(corpus, claim):
            out[claim_id] = {fmt: citing.cite(corpus, claim_id, fmt) for fmt in citing.FORMATS}
    return out


def _strict_query(request: Request) -> None:
    """Refuse a query string that is not UTF-8 once decoded (Starlette would replace the
    bad bytes and look up something the client did not send)."""
    for part in request.scope.get("query_string", b"").split(b"&"):
        try:
            unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError as err:
            raise ApiError(400, "the query string is not UTF-8 text once decoded") from err


def _claim_url(claim_id: str) -> str:
    return "/" + page_path("claim", claim_id)


class Api:
    """The endpoints, answering from a `ServedCorpus`'s current build."""

    def __init__(self, served: ServedCorpus, max_sentences: int) -> None:
        self.served = served
        self.max_sentences = max_sentences

    async def draft(self, request: Request) -> JSONResponse:
        raw = await request.body()
        media = _media_type(request)
        threshold = _threshold(request.query_params.get("threshold"))
        fmt = request.query_params.get("format")
        if media == "application/json":
            body = _json_object(raw)
            text = _string(body, "text")
            fmt = body.get("format", fmt)
            if "threshold" in body:
                threshold = _threshold(body["threshold"])
        elif media in RAW_TYPES:
            text = _text(raw, "the draft")
            fmt = fmt or RAW_TYPES[media]
        else:
            raise ApiError(
                415,
                f"send the draft as application/json, text/markdown or text/plain, "
                f"not {media or 'no content type'}",
            )
        fmt = fmt or "markdown"
        if fmt not in DRAFT_FORMATS:
            raise ApiError(400, f"format {fmt!r}: expected one of {', '.join(DRAFT_FORMATS)}")
        if not text.strip():
            raise ApiError(400, "the draft is empty: paste or upload some text")
        sentences = len(split_sentences(text, fmt))
        if sentences > self.max_sentences:
            raise ApiError(
                413,
                f"the draft has {sentences:,} sentences, over the limit of "
                f"{self.max_sentences:,}: check it in parts",
            )
        gen = self.served.current
        report = await run_in_threadpool(
            check_draft, gen.corpus, text, fmt, path="<draft>", threshold=threshold, index=gen.index
        )
        out = report.to_dict()
        for sentence in out["sentences"]:
            claim = sentence["claim"]
            sentence["level_name"] = level_name(sentence["level"]) if claim else None
            sentence["claim_url"] = _claim_url(claim) if claim else None
        out["citations"] = _citations(gen.corpus, [s["claim"] for s in out["sentences"]])
        out["verdicts"] = [
            {"value": t.value, "description": t.description} for t in vocab.DRAFT_VERDICTS
        ]
        return JSONResponse(out)

    async def find(self, request: Request) -> JSONResponse:
        if request.method == "POST":
            if _media_type(request) != "application/json":
                raise ApiError(415, "send the text as a JSON object (application/json)")
            body = _json_object(await request.body())
            text, limit, threshold = (
                _string(body, "text"),
                _limit(body.get("limit")),
                _threshold(body.get("threshold")),
            )
        else:
            params = request.query_params
            _strict_query(request)
            if "text" not in params:
                raise ApiError(400, "the request needs ?text=, the sentence to look up")
            text, limit, threshold = (
                params["text"],
                _limit(params.get("limit")),
                _threshold(params.get("threshold")),
            )
            if "\x00" in text:
                raise ApiError(400, "text holds a NUL character: binary data, not text")
        if not text.strip():
            raise ApiError(400, "the text is empty: give a sentence to look up")
        if len(text) > MAX_FIND_CHARS:
            raise ApiError(
                400, f"the text is over {MAX_FIND_CHARS} characters: check a draft with /draft"
            )
        gen = self.served.current
        matches = await run_in_threadpool(gen.index.find, text, limit, threshold)
        return JSONResponse(
            {
                "text": text,
                "threshold": threshold,
                "matches": [
                    {
                        **m.to_dict(),
                        "level_name": level_name(m.level),
                        "claim_url": _claim_url(m.claim_id),
                    }
                    for m in matches
                ],
            }
        )

    def _claim(self, request: Request) -> Claim:
        claim_id = str(request.path_params["claim_id"])
        claims = self.served.current.corpus.claims
        if claim_id in claims:
            return claims[claim_id]
        if not vocab.ID_PATTERN.match(claim_id):
            raise ApiError(404, f"no claim {claim_id!r}: ids are lower-case words joined by -")
        close = difflib.get_close_matches(claim_id, sorted(claims), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise ApiError(404, f"no claim {claim_id!r} in the corpus{hint}")

    async def claim(self, request: Request) -> JSONResponse:
        claim = self._claim(request)
        corpus = self.served.current.corpus
        ev = claim.evidence
        return JSONResponse(
            {
                "id": claim.id,
                "statement": claim.statement,
                "kind": claim.kind,
                "subject": claim.subject,
                "predicate": claim.predicate,
                "object": claim.object,
                "level": claim.level,
                "level_name": level_name(claim.level),
                "direction": ev.direction if ev else None,
                "rationale": ev.rationale if ev else None,
                "url": _claim_url(claim.id),
                "asserted_by": sorted({a.source for a in claim.sources}),
                "references": [
                    {
                        "source": src.id,
                        "label": citing.short_label(src),
                        "kind": src.kind,
                        "direction": ref.direction,
                        "finding": ref.finding,
                        "reference": citing.markdown_reference(src),
                    }
                    for ref, src in citing.primary_references(corpus, claim)
                ],
            }
        )

    async def cite(self, request: Request) -> JSONResponse:
        claim = self._claim(request)
        fmt = request.query_params.get("format", "markdown")
        if fmt not in citing.FORMATS:
            raise ApiError(400, f"format {fmt!r}: expected one of {', '.join(citing.FORMATS)}")
        try:
            text = citing.cite(self.served.current.corpus, claim.id, fmt)
        except citing.NothingToCite as err:
            raise ApiError(409, str(err)) from err
        return JSONResponse({"claim": claim.id, "format": fmt, "text": text})

    async def status(self, request: Request) -> JSONResponse:
        gen = self.served.current
        return JSONResponse(
            {
                "claims": len(gen.corpus.claims),
                "sources": len(gen.corpus.sources),
                "build": gen.number,
                "error": self.served.error,
            }
        )
