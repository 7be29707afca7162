"""Serving a corpus (`kgraph serve`): the JSON API over a real server on a free loopback port,
bad input of every kind at every endpoint, the OpenAPI document, the site's files and only them,
the limits, rebuilding as records change, and the command's start and refusals."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jsonschema
import pytest
from click.testing import CliRunner

from kgraph.cli import main
from kgraph.corpus.check import checked_corpus
from kgraph.web import Limits, running_server
from kgraph.web.app import api_routes, create_app, site_file
from kgraph.web.guard import MAX_CLIENTS, RateLimit
from kgraph.web.openapi import openapi_document
from kgraph.web.state import ServedCorpus
from kgraph.writers.draft import check_draft
from kgraph.writers.find import ClaimIndex
from tests.conftest import CorpusBuilder, writers_corpus

TEN_MB = 10 * 1024 * 1024
BINARY = bytes(range(256)) * 64
INVALID_UTF8 = b"Ketamine \xff\xfe works \xc3\x28 fast."


class Client:
    """A plain HTTP client: any method, any bytes, any headers; never raises on a status."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def json(
        self, method: str, path: str, body: Any = None, content_type: str = "application/json"
    ) -> tuple[int, Any]:
        data = (
            None if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
        )
        status, headers, raw = self.request(method, path, data, {"Content-Type": content_type})
        assert headers["content-type"].startswith("application/json"), (status, raw[:200])
        return status, json.loads(raw)


def assert_error(status: int, body: Any, expected: int, words: str = "") -> None:
    """An error as the API promises it: JSON with the status and a one-line message."""
    assert status == expected, body
    assert set(body) == {"error"} and body["error"]["status"] == expected
    message = body["error"]["message"]
    assert message and "\n" not in message and "Traceback" not in message
    assert words.lower() in message.lower(), message


@pytest.fixture(scope="module")
def writers_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return writers_corpus(CorpusBuilder(tmp_path_factory.mktemp("serve") / "corpus")).root


@pytest.fixture(scope="module")
def server(writers_root: Path) -> Iterator[str]:
    with running_server(writers_root, watch=False) as url:
        yield url


@pytest.fixture
def client(server: str) -> Client:
    return Client(server)


def validate(body: Any, schema_name: str) -> None:
    doc = openapi_document()
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": doc["components"]}
    jsonschema.Draft202012Validator(schema).validate(body)


# --- the API answers what a writer asks ------------------------------------------------------


def test_draft_gives_each_sentence_its_verdict_claim_and_references(client: Client) -> None:
    draft = (
        "# Notes\n\nKetamine blocks NMDA receptors. Ketamine clearly boosts BDNF.\n"
        "Ketamine treats PTSD. Our clinic offers free parking.\n"
    )
    status, report = client.json("POST", "/api/v1/draft", {"text": draft, "format": "markdown"})
    assert status == 200
    validate(report, "DraftReport")
    got = {s["text"]: (s["verdict"], s["claim"], s["level"]) for s in report["sentences"]}
    assert got["Ketamine blocks NMDA receptors."] == ("supported", "ketamine-blocks-nmda", "ES-5")
    assert got["Ketamine clearly boosts BDNF."] == (
        "hedge needed",
        "ketamine-increases-bdnf",
        "ES-3",
    )
    assert got["Ketamine treats PTSD."] == ("contradicted", "ketamine-treats-ptsd", "ES-4")
    assert got["Our clinic offers free parking."][0] == "unchecked"
    hedge = next(s for s in report["sentences"] if s["verdict"] == "hedge needed")
    assert hedge["suggestion"] and "clearly" not in hedge["suggestion"]
    assert hedge["reason"].startswith("ES-3")
    nmda = next(s for s in report["sentences"] if s["claim"] == "ketamine-blocks-nmda")
    assert [r["source"] for r in nmda["references"]] == ["zanos-2018-mechanisms"]
    assert nmda["claim_url"] == "/claim/ketamine-blocks-nmda.html"
    bib = report["citations"]["ketamine-blocks-nmda"]["bibtex"]
    assert bib.startswith("@article{zanos-2018-mechanisms,")
    assert report["summary"]["sentences"] == len(report["sentences"])


def test_a_raw_markdown_or_text_body_is_the_draft(client: Client) -> None:
    for media in ("text/markdown", "text/plain; charset=utf-8"):
        status, report = client.json("POST", "/api/v1/draft", b"Ketamine treats PTSD.\n", media)
        assert status == 200, report
        assert [s["verdict"] for s in report["sentences"]] == ["contradicted"]


def test_find_ranks_claims_by_get_and_by_post(client: Client) -> None:
    status, got = client.json("GET", "/api/v1/find?text=" + quote("ketamine blocks NMDA receptors"))
    assert status == 200
    validate(got, "FindResult")
    assert got["matches"][0]["claim"] == "ketamine-blocks-nmda"
    status, posted = client.json("POST", "/api/v1/find", {"text": "ketamine blocks NMDA receptors"})
    assert status == 200 and posted == got
    status, none = client.json("GET", "/api/v1/find?text=" + quote("the weather is nice"))
    assert status == 200 and none["matches"] == []


def test_a_claim_and_its_citation_in_every_format(client: Client) -> None:
    status, claim = client.json("GET", "/api/v1/claims/ketamine-dampens-amygdala")
    assert status == 200
    validate(claim, "Claim")
    assert (claim["level"], claim["direction"]) == ("ES-3", "mixed")
    assert [r["source"] for r in claim["references"]] == ["duek-2023-amygdala"]
    for fmt in ("bibtex", "csl-json", "markdown"):
        status, cited = client.json(
            "GET", f"/api/v1/claims/ketamine-dampens-amygdala/cite?format={fmt}"
        )
        assert status == 200
        validate(cited, "Citation")
    status, cited = client.json(
        "GET", "/api/v1/claims/ketamine-dampens-amygdala/cite?format=csl-json"
    )
    assert json.loads(cited["text"])[0]["DOI"] == "10.1038/s41386-023-01606-3"


def test_unknown_claims_and_nothing_to_cite_are_errors_that_say_why(client: Client) -> None:
    assert_error(
        *client.json("GET", "/api/v1/claims/ketamine-blocks-nmdaa"),
        404,
        "did you mean ketamine-blocks-nmda",
    )
    assert_error(*client.json("GET", "/api/v1/claims/%3Cscript%3E"), 404, "no claim")
    assert_error(*client.json("GET", "/api/v1/claims/ketamine-is-a-reset/cite"), 409, "rhetoric")
    assert_error(
        *client.json("GET", "/api/v1/claims/ketamine-blocks-nmda/cite?format=ris"),
        400,
        "expected one of",
    )


# --- bad input, at every endpoint ------------------------------------------------------------

# Every endpoint: (method, path). The OpenAPI test below checks this list is the app's.
ENDPOINTS = [
    ("POST", "/api/v1/draft"),
    ("GET", "/api/v1/find?text=ketamine"),
    ("POST", "/api/v1/find"),
    ("GET", "/api/v1/claims/ketamine-blocks-nmda"),
    ("GET", "/api/v1/claims/ketamine-blocks-nmda/cite"),
    ("GET", "/api/v1/status"),
    ("GET", "/api/v1/openapi.json"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_ten_megabytes_are_refused_at_every_endpoint(
    client: Client, method: str, path: str
) -> None:
    status, body = client.json(method, path, b"x" * TEN_MB, "text/plain")
    assert_error(status, body, 413, "over the limit")


def test_a_streamed_body_over_the_limit_is_refused(client: Client) -> None:
    conn = http.client.HTTPConnection(client.host, client.port, timeout=60)
    try:
        chunks = (b"Ketamine works. " * 4096 for _ in range(200))  # ~13 MB, no Content-Length
        conn.request(
            "POST",
            "/api/v1/draft",
            body=chunks,
            headers={"Content-Type": "text/plain"},
            encode_chunked=True,
        )
        resp = conn.getresponse()
        assert_error(resp.status, json.loads(resp.read()), 413, "over the limit")
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("body", "media", "status", "words"),
    [
        (b"", "application/json", 400, "empty"),
        (b"", "text/plain", 400, "empty"),
        (b"   \n", "text/markdown", 400, "empty"),
        (b'{"text": ""}', "application/json", 400, "empty"),
        (b'{"text": "  "}', "application/json", 400, "empty"),
        (BINARY, "application/octet-stream", 415, "application/json, text/markdown or text/plain"),
        (BINARY, "text/plain", 400, "not UTF-8"),
        (BINARY, "application/json", 400, "not UTF-8"),
        (b"Ketamine\x00works.", "text/plain", 400, "NUL"),
        (INVALID_UTF8, "text/plain", 400, "not UTF-8"),
        (b'{"text": "Ketamine \xff works."}', "application/json", 400, "not UTF-8"),
        (b"{not json", "application/json", 400, "not JSON: Expecting property name"),
        (b'["Ketamine works."]', "application/json", 400, "JSON object"),
        (b'{"draft": "Ketamine works."}', "application/json", 400, '"text"'),
        (b'{"text": 42}', "application/json", 400, "must be a string"),
        (
            b'{"text": "Ketamine works.", "format": "html"}',
            "application/json",
            400,
            "expected one of",
        ),
        (
            b'{"text": "Ketamine works.", "threshold": 500}',
            "application/json",
            400,
            "outside 0 to 100",
        ),
        (
            b'{"text": "Ketamine works.", "threshold": "high"}',
            "application/json",
            400,
            "not a number",
        ),
        (b"Ketamine works.", "", 415, "no content type"),
    ],
)
def test_bad_drafts_are_refused_in_one_line(
    client: Client, body: bytes, media: str, status: int, words: str
) -> None:
    headers = {"Content-Type": media} if media else {}
    code, resp_headers, raw = client.request("POST", "/api/v1/draft", body, headers)
    assert resp_headers["content-type"] == "application/json"
    assert_error(code, json.loads(raw), status, words)


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "words"),
    [
        ("GET", "/api/v1/find", None, 400, "?text="),
        ("GET", "/api/v1/find?text=", None, 400, "empty"),
        ("GET", "/api/v1/find?text=%20%20", None, 400, "empty"),
        ("GET", "/api/v1/find?text=Ketamine%FF%FEworks", None, 400, "not UTF-8"),
        ("GET", "/api/v1/find?text=a%00b", None, 400, "NUL"),
        ("GET", "/api/v1/find?text=ketamine&limit=0", None, 400, "limit"),
        ("GET", "/api/v1/find?text=ketamine&limit=many", None, 400, "whole number"),
        ("GET", "/api/v1/find?text=ketamine&threshold=nan", None, 400, "number"),
        ("GET", "/api/v1/find?text=" + "a" * 3000, None, 400, "over 2000 characters"),
        ("POST", "/api/v1/find", b"", 400, "empty"),
        ("POST", "/api/v1/find", BINARY, 400, "not UTF-8"),
        ("POST", "/api/v1/find", INVALID_UTF8, 400, "not UTF-8"),
        ("POST", "/api/v1/find", b'{"text": ""}', 400, "empty"),
        ("POST", "/api/v1/find", b'{"text": "ketamine", "limit": true}', 400, "limit"),
        ("GET", "/api/v1/claims/", None, 404, "nothing at"),
        ("GET", "/api/v1/claims/%FF%FE", None, 404, "no claim"),
        ("GET", "/api/v1/claims/Ketamine%20Blocks", None, 404, "lower-case"),
        ("GET", "/api/v1/claims/ketamine-blocks-nmda/cite?format=", None, 400, "expected one of"),
        ("DELETE", "/api/v1/claims/ketamine-blocks-nmda", None, 405, "not allowed"),
        ("GET", "/api/v1/draft", None, 405, "GET is not allowed on /api/v1/draft (allowed: POST)"),
        ("PUT", "/api/v1/status", b"{}", 405, "not allowed"),
        ("GET", "/api/v2/draft", None, 404, "nothing at"),
    ],
)
def test_bad_requests_elsewhere_are_refused_in_one_line(
    client: Client, method: str, path: str, body: bytes | None, status: int, words: str
) -> None:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    code, resp_headers, raw = client.request(method, path, body, headers)
    assert resp_headers["content-type"] == "application/json"
    assert_error(code, json.loads(raw), status, words)


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
@pytest.mark.parametrize(
    ("body", "media"),
    [
        (b"", "application/json"),
        (b"", "text/plain"),
        (BINARY, "application/octet-stream"),
        (BINARY, "application/json"),
        (INVALID_UTF8, "text/plain"),
        (INVALID_UTF8, "application/json"),
    ],
    ids=[
        "empty-json",
        "empty-text",
        "binary",
        "binary-as-json",
        "invalid-utf8",
        "invalid-utf8-json",
    ],
)
def test_every_endpoint_answers_bad_bodies_in_json_and_never_fails(
    client: Client, method: str, path: str, body: bytes, media: str
) -> None:
    code, headers, raw = client.request(method, path, body, {"Content-Type": media})
    assert headers["content-type"] == "application/json"
    answer = json.loads(raw)
    if method == "POST":  # the endpoints that read a body refuse it, saying why
        assert code in (400, 415), answer
        assert_error(code, answer, 415 if media == "application/octet-stream" else code)
    else:  # the others read no body: they answer as if none were sent
        assert code == 200, answer


def test_a_draft_over_the_sentence_limit_is_refused(writers_root: Path) -> None:
    with running_server(writers_root, watch=False, limits=Limits(max_sentences=3)) as url:
        client = Client(url)
        status, body = client.json("POST", "/api/v1/draft", {"text": "Ketamine works. " * 4})
        assert_error(status, body, 413, "the draft has 4 sentences, over the limit of 3")
        assert client.json("POST", "/api/v1/draft", {"text": "Ketamine works. " * 3})[0] == 200


def test_the_server_checks_drafts_with_the_index_of_its_build(writers_root: Path) -> None:
    corpus = checked_corpus(writers_root)
    draft = "Ketamine blocks NMDA receptors. Ketamine clearly boosts BDNF. Parking is free.\n"
    kept = check_draft(corpus, draft, "text", index=ClaimIndex(corpus))
    assert kept.to_dict() == check_draft(corpus, draft, "text").to_dict()


def test_a_failure_inside_is_a_json_500_without_traceback(
    writers_root: Path, tmp_path: Path
) -> None:
    import uvicorn

    # Never built: every answer that needs the corpus fails inside the app.
    _, app = create_app(ServedCorpus(writers_root, tmp_path / "site"))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    server = uvicorn.Server(uvicorn.Config(app, log_level="critical", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    try:
        while not server.started:
            time.sleep(0.02)
        client = Client(f"http://127.0.0.1:{sock.getsockname()[1]}")
        status, body = client.json("GET", "/api/v1/status")
        assert_error(status, body, 500, "the server failed on this request (RuntimeError)")
        assert "rebuild" not in json.dumps(body)
        status, body = client.json("POST", "/api/v1/draft", {"text": "Ketamine works."})
        assert_error(status, body, 500, "failed")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def test_post_find_takes_json_only(client: Client) -> None:
    assert_error(*client.json("POST", "/api/v1/find", b"ketamine", "text/plain"), 415, "JSON")


# --- the OpenAPI document --------------------------------------------------------------------


def test_openapi_describes_every_endpoint_and_no_other(
    client: Client, writers_root: Path, tmp_path: Path
) -> None:
    status, doc = client.json("GET", "/api/v1/openapi.json")
    assert status == 200 and doc == openapi_document()
    assert doc["openapi"].startswith("3.1") and doc["info"]["version"] == "1"
    described = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    app, _ = create_app(ServedCorpus(writers_root, tmp_path / "site"))
    routed = set(api_routes(app))
    assert described == routed
    # ...and the endpoints every bad-input test above hits are all of them.
    hit = {
        (p.split("?")[0].replace("ketamine-blocks-nmda", "{claim_id}"), m.lower())
        for m, p in ENDPOINTS
    }
    assert hit == routed
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op["summary"] and "200" in op["responses"], (path, method)
    # Every schema it names is there, and each is valid JSON Schema.
    text = json.dumps(doc)
    for name in set(re.findall(r"#/components/schemas/(\w+)", text)):
        assert name in doc["components"]["schemas"]
        jsonschema.Draft202012Validator.check_schema(doc["components"]["schemas"][name])


def test_errors_match_the_documented_error_schema(client: Client) -> None:
    status, body = client.json("GET", "/api/v1/claims/nope")
    assert status == 404
    validate(body, "Error")
    status, body = client.json("GET", "/api/v1/status")
    assert status == 200
    validate(body, "Status")


# --- the site's files, and only them ---------------------------------------------------------


def test_the_site_is_served_with_a_link_to_the_draft_page(client: Client) -> None:
    status, headers, html = client.request("GET", "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b'<a href="/draft.html">Check a draft</a>' in html
    for page in ("/claims.html", "/claim/ketamine-blocks-nmda.html", "/static/site.css"):
        status, headers, _ = client.request("GET", page)
        assert status == 200, page
        assert headers["x-content-type-options"] == "nosniff"
    status, headers, page = client.request("GET", "/draft.html")
    assert status == 200 and b"Check a draft" in page
    assert "connect-src 'self'" in headers["content-security-policy"]


TRAVERSALS = [
    "/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%2f..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/..%5c..%5c..%5cetc%5cpasswd",
    "/static/../../corpus/claims/ketamine-blocks-nmda.yaml",
    "//etc/passwd",
    "/%2Fetc%2Fpasswd",
    "/.kgraph-output",
    "/static/%00site.css",
    "/web/../app.py",
    "/web/app.py",
    "/web/__init__.py",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_file_outside_the_site_is_served(client: Client, path: str) -> None:
    status, headers, body = client.request("GET", path)
    assert status in (400, 404), (path, status, body[:200])
    assert b"root:" not in body and b"statement:" not in body and b"import " not in body
    assert headers["content-type"] == "application/json"


def test_a_link_out_of_the_site_folder_is_not_followed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "static").mkdir(parents=True)
    (site / "index.html").write_text("home", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    (site / "static" / "leak.txt").symlink_to(secret)
    (site / "static" / "up").symlink_to(tmp_path)
    assert site_file(site, "index.html") == (site / "index.html").resolve()
    assert site_file(site, "") == (site / "index.html").resolve()
    assert site_file(site, "static/leak.txt") is None
    assert site_file(site, "static/up/secret.txt") is None
    assert site_file(site, "../secret.txt") is None


# --- limits and guards -----------------------------------------------------------------------


def test_the_rate_limit_answers_429_with_retry_after(writers_root: Path) -> None:
    with running_server(writers_root, watch=False, limits=Limits(rate=3, window=60)) as url:
        client = Client(url)
        for _ in range(3):
            assert client.json("GET", "/api/v1/status")[0] == 200
        status, headers, raw = client.request("GET", "/api/v1/status")
        assert_error(status, json.loads(raw), 429, "too many requests")
        assert 1 <= int(headers["retry-after"]) <= 60
        # The site's pages are not API calls: they stay open.
        assert client.request("GET", "/claims.html")[0] == 200


def test_the_rate_limit_counts_each_client_in_its_own_window() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        return None

    limit = RateLimit(app, rate=2, window=10)
    assert limit.allow("a", 0.0) is None and limit.allow("a", 1.0) is None
    assert limit.allow("a", 2.0) == pytest.approx(8.0)
    assert limit.allow("b", 2.0) is None  # another client has its own count
    assert limit.allow("a", 10.5) is None  # the first request has left the window
    for i in range(MAX_CLIENTS + 1):
        limit.allow(f"client-{i}", 20.0)
    limit.allow("late", 40.0)  # every client quiet for a window is forgotten
    assert set(limit._seen) == {"late"}


def test_a_small_body_limit_is_kept(writers_root: Path) -> None:
    with running_server(writers_root, watch=False, limits=Limits(max_body=100)) as url:
        client = Client(url)
        status, body = client.json("POST", "/api/v1/draft", {"text": "Ketamine treats PTSD. " * 10})
        assert_error(status, body, 413, "limit of 100 bytes")
        assert client.json("POST", "/api/v1/draft", {"text": "Ketamine treats PTSD."})[0] == 200


def test_a_request_for_another_host_name_is_refused(client: Client) -> None:
    status, _, raw = client.request("GET", "/api/v1/status", headers={"Host": "attacker.example"})
    assert_error(status, json.loads(raw), 421, "attacker.example")
    assert client.request("GET", "/api/v1/status", headers={"Host": "localhost:1"})[0] == 200


# --- rebuilding as records change ------------------------------------------------------------


def _status(client: Client) -> dict[str, Any]:
    return client.json("GET", "/api/v1/status")[1]


def _wait(client: Client, done: Any, timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = _status(client)
        if done(status):
            return status
        time.sleep(0.2)
    raise AssertionError(f"the server did not rebuild in {timeout} s: {_status(client)}")


def test_the_site_and_api_follow_the_records(tmp_path: Path) -> None:
    b = writers_corpus(CorpusBuilder(tmp_path / "corpus"))
    path = b.root / "claims" / "ketamine-blocks-nmda.yaml"
    original = path.read_text(encoding="utf-8")
    with running_server(b.root) as url:
        client = Client(url)
        assert _status(client) == {"claims": 7, "sources": 6, "build": 1, "error": None}
        path.write_text(
            original.replace(
                "Ketamine blocks NMDA receptors.", "Ketamine blocks NMDA receptors well."
            ),
            encoding="utf-8",
        )
        _wait(client, lambda s: s["build"] == 2)
        status, claim = client.json("GET", "/api/v1/claims/ketamine-blocks-nmda")
        assert status == 200 and claim["statement"] == "Ketamine blocks NMDA receptors well."
        page = client.request("GET", "/claim/ketamine-blocks-nmda.html")[2]
        assert b"Ketamine blocks NMDA receptors well." in page
        # A broken record: the last good build stays served, and the status says why.
        path.write_text(original.replace("kind: mechanism", "kind: nonsense"), encoding="utf-8")
        broken = _wait(client, lambda s: s["error"] is not None)
        assert broken["build"] == 2 and "check error" in broken["error"]
        assert client.json("GET", "/api/v1/claims/ketamine-blocks-nmda")[1]["statement"].endswith(
            "well."
        )
        assert b"check error" in client.request("GET", "/draft.html")[2]
        path.write_text(original, encoding="utf-8")
        fixed = _wait(client, lambda s: s["error"] is None)
        assert fixed["build"] == 3


def test_the_built_site_lives_outside_the_corpus_and_goes_away(writers_root: Path) -> None:
    before = sorted(p.relative_to(writers_root) for p in writers_root.rglob("*"))
    with running_server(writers_root, watch=False) as url:
        client = Client(url)
        assert client.request("GET", "/index.html")[0] == 200
    after = sorted(p.relative_to(writers_root) for p in writers_root.rglob("*"))
    assert before == after


# --- the command -----------------------------------------------------------------------------


def _start(args: list[str]) -> tuple[subprocess.Popen[str], list[str]]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", "from kgraph.cli import main; main()", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: list[str] = []
    assert proc.stderr is not None
    while not any("check a draft:" in line for line in lines):
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
    return proc, lines


def _stop(proc: subprocess.Popen[str]) -> tuple[int, str]:
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    return proc.returncode, err


def test_kgraph_serve_starts_on_loopback_answers_and_stops_cleanly(writers_root: Path) -> None:
    proc, lines = _start([str(writers_root), "--port", "0", "--no-watch"])
    try:
        found = re.search(r"at (http://127\.0\.0\.1:(\d+))/", "".join(lines))
        assert found, lines
        assert "warning" not in "".join(lines)
        status, body = Client(found.group(1)).json("GET", "/api/v1/status")
        assert status == 200 and body["claims"] == 7
    finally:
        code, err = _stop(proc)
    assert code == 0, err
    assert "Traceback" not in err


def test_kgraph_serve_warns_when_it_listens_beyond_this_machine(writers_root: Path) -> None:
    proc, lines = _start(
        ["--root", str(writers_root), "--host", "0.0.0.0", "--port", "0", "--no-watch"]
    )
    try:
        text = "".join(lines)
        assert "warning: listening on 0.0.0.0, not only this machine" in text
        port = re.search(r":(\d+)/", text)
        assert port, text
        # Elsewhere, any host name is answered: the warning is the safeguard.
        status, _, _ = Client(f"http://127.0.0.1:{port.group(1)}").request(
            "GET", "/api/v1/status", headers={"Host": "kgraph.lan"}
        )
        assert status == 200
    finally:
        _stop(proc)


def test_kgraph_serve_refuses_a_broken_corpus_and_a_port_in_use(
    tmp_path: Path, writers_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    b = writers_corpus(CorpusBuilder(tmp_path / "broken"))
    path = b.root / "claims" / "ketamine-blocks-nmda.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("kind: mechanism", "kind: nonsense"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["serve", str(b.root), "--port", "0"])
    assert result.exit_code == 1
    assert "check error" in result.output and "Traceback" not in result.output
    with running_server(writers_root, watch=False) as url:
        port = str(urlsplit(url).port)
        result = CliRunner().invoke(main, ["serve", str(writers_root), "--port", port])
    assert result.exit_code == 1
    assert f"port {port} on 127.0.0.1 is in use" in result.output
    assert "Traceback" not in result.output
    # Neither refusal leaves a build folder behind, nor does the server that ran.
    assert list(temp.iterdir()) == []
