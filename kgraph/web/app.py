"""The ASGI app: the built site's files, the "Check a draft" page and the JSON API, guarded.

Routes in, responses out: files come only from the server's own site folder (never a path
outside it, a hidden file or a link leading out), the draft page is rendered with the site's
templates, and every error is JSON with a status and a message.
"""

from __future__ import annotations

import mimetypes
import os
from importlib import resources
from pathlib import Path, PurePosixPath

from jinja2 import ChoiceLoader, PackageLoader
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from kgraph import vocab
from kgraph.site.render import Renderer
from kgraph.web.api import PREFIX, Api, ApiError
from kgraph.web.guard import DEFAULT_LIMITS, LOOPBACK_HOSTS, ASGIApp, Limits, guarded
from kgraph.web.openapi import openapi_document
from kgraph.web.state import ServedCorpus

DRAFT_PAGE = "draft.html"
# The web app's own files, beside the site's static/ (which the build writes).
WEB_STATIC = {"draft.js": "text/javascript", "draft.css": "text/css"}
# The draft page talks to the API (connect-src), and runs only its own script.
DRAFT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# Every built page links the draft page from its navigation when served.
NAV_LINK = b'<a href="/draft.html">Check a draft</a>\n</nav>'


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": {"status": status, "message": message}}, status_code=status, headers=headers
    )


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _error(exc.status, exc.message)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    allowed = {k.lower(): v for k, v in (exc.headers or {}).items()}.get("allow", "")
    messages = {
        404: f"nothing at {request.url.path}",
        405: f"{request.method} is not allowed on {request.url.path} (allowed: {allowed})",
    }
    message = messages.get(exc.status_code, str(exc.detail))
    return _error(exc.status_code, message, dict(exc.headers) if exc.headers else None)


async def _server_error(request: Request, exc: Exception) -> Response:
    # The traceback goes to the server's log, never to the client.
    return _error(500, f"the server failed on this request ({type(exc).__name__})")


async def _no_icon(request: Request) -> Response:
    return Response(status_code=204)


def site_file(site_dir: Path, path: str) -> Path | None:
    """The file of the site at URL path `path`, or None: a hidden name, a `..`, a backslash or
    a link that leads out of the site folder is never served."""
    if "\x00" in path or "\\" in path:
        return None
    parts = PurePosixPath(path.lstrip("/")).parts
    if any(p in ("..", ".") or p.startswith(".") for p in parts):
        return None
    target = site_dir.joinpath(*parts) if parts else site_dir
    if target.is_dir():
        target = target / "index.html"
    root = os.path.realpath(site_dir)
    real = os.path.realpath(target)
    if os.path.commonpath([root, real]) != root or not os.path.isfile(real):
        return None
    return Path(real)


class WebApp:
    """The routes over one `ServedCorpus`."""

    def __init__(self, served: ServedCorpus, limits: Limits) -> None:
        self.served = served
        self.limits = limits
        self.api = Api(served, limits.max_sentences)
        renderer = Renderer(served.site_dir)
        loader = renderer.env.loader
        assert loader is not None
        renderer.env.loader = ChoiceLoader([PackageLoader("kgraph.web", "templates"), loader])
        self.env = renderer.env

    async def site(self, request: Request) -> Response:
        path = str(request.path_params.get("path", ""))
        found = site_file(self.served.site_dir, path)
        if found is None:
            raise HTTPException(404)
        if found.suffix == ".html":
            html = found.read_bytes().replace(b"</nav>", NAV_LINK, 1)
            return Response(html, media_type="text/html; charset=utf-8")
        media = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return FileResponse(found, media_type=media)

    async def draft_page(self, request: Request) -> Response:
        html = self.env.get_template(DRAFT_PAGE).render(
            root="/",
            here=DRAFT_PAGE,
            title="Check a draft",
            verdicts=vocab.DRAFT_VERDICTS,
            error=self.served.error,
            claims=len(self.served.current.corpus.claims),
            max_body=self.limits.max_body,
        )
        return Response(
            html,
            media_type="text/html; charset=utf-8",
            headers={"content-security-policy": DRAFT_CSP},
        )

    async def web_static(self, request: Request) -> Response:
        name = str(request.path_params["name"])
        if name not in WEB_STATIC:
            raise HTTPException(404)
        data = resources.files("kgraph.web").joinpath("static", name).read_bytes()
        return Response(data, media_type=WEB_STATIC[name])

    async def openapi(self, request: Request) -> Response:
        return JSONResponse(openapi_document())

    def routes(self) -> list[BaseRoute]:
        api = self.api
        # A mount of its own, so that a wrong method on an API path is a 405, not a site page.
        api_routes = [
            Route("/draft", api.draft, methods=["POST"]),
            Route("/find", api.find, methods=["GET", "POST"]),
            Route("/claims/{claim_id}", api.claim, methods=["GET"]),
            Route("/claims/{claim_id}/cite", api.cite, methods=["GET"]),
            Route("/status", api.status, methods=["GET"]),
            Route("/openapi.json", self.openapi, methods=["GET"]),
        ]
        return [
            Mount(PREFIX, routes=api_routes),
            Route(f"/{DRAFT_PAGE}", self.draft_page, methods=["GET", "HEAD"]),
            Route("/web/{name}", self.web_static, methods=["GET", "HEAD"]),
            # Browsers ask for one; the site has none, and a 404 would be logged as an error.
            Route("/favicon.ico", _no_icon, methods=["GET", "HEAD"]),
            Route("/{path:path}", self.site, methods=["GET", "HEAD"]),
        ]


def api_routes(app: Starlette) -> list[tuple[str, str]]:
    """(path, method) of every API route of an app made by `create_app`, for checking the
    OpenAPI document against."""
    out: list[tuple[str, str]] = []
    for mount in app.router.routes:
        if isinstance(mount, Mount) and mount.path == PREFIX:
            for route in mount.routes:
                if isinstance(route, Route):
                    methods = sorted(m for m in route.methods or () if m != "HEAD")
                    out.extend((PREFIX + route.path, m.lower()) for m in methods)
    return out


def create_app(
    served: ServedCorpus, limits: Limits = DEFAULT_LIMITS, hosts: tuple[str, ...] = LOOPBACK_HOSTS
) -> tuple[Starlette, ASGIApp]:
    """The Starlette app and the same app inside its guards (what a server should run);
    `hosts` are the names it answers to ("*": any)."""
    web = WebApp(served, limits)
    app = Starlette(
        routes=web.routes(),
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            Exception: _server_error,
        },
    )
    return app, guarded(app, limits, hosts)
