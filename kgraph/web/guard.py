"""Safe by default: the request size limit, the rate limit, security headers, the host check.

Plain ASGI middleware around the app (`kgraph.web.app`): a body over the limit or a client over
its rate is answered here, as JSON, before any endpoint reads a byte of it.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Hosts a loopback server answers to: a page elsewhere that rebinds its own name to 127.0.0.1
# (DNS rebinding) still sends its own name, and is refused.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
# Clients the rate limit remembers before it forgets the quiet ones.
MAX_CLIENTS = 4096
# The most of a refused body the server reads (and drops) so the client gets the refusal.
DRAIN_MAX = 32_000_000
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-resource-policy", b"same-origin"),
)


@dataclass(frozen=True)
class Limits:
    """How much a client may send: bytes per request body, sentences per draft, API requests
    per window."""

    max_body: int = 1_000_000
    max_sentences: int = 2_000  # a draft's sentences: about 6 ms each (scripts/bench_serve.py)
    rate: int = 120  # API requests per client per window
    window: float = 60.0  # seconds


DEFAULT_LIMITS = Limits()


def error_body(status: int, message: str) -> bytes:
    """The one shape of every error the server sends: {"error": {"status", "message"}}."""
    return json.dumps({"error": {"status": status, "message": message}}).encode("utf-8")


async def send_error(
    send: Send, status: int, message: str, headers: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    body = error_body(status, message)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS,
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value)
    return None


class BodyLimit:
    """Refuses (413) a body over `max_body` bytes; the app sees only bodies within it, read in
    full. A body up to `drain` bytes is read to its end (and dropped) before the refusal, so
    the client, still sending, reads the answer instead of a reset connection; one larger, or
    one that waits for `100 Continue`, is refused at once."""

    def __init__(self, app: ASGIApp, max_body: int, drain: int = DRAIN_MAX) -> None:
        self.app = app
        self.max_body = max_body
        self.drain = max(drain, max_body)

    async def _drain(self, receive: Receive, size: int) -> None:
        while size <= self.drain:
            message = await receive()
            if message["type"] != "http.request":
                return
            size += len(message.get("body", b""))
            if not message.get("more_body", False):
                return

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_big = f"the request body is over the limit of {self.max_body:,} bytes"
        length = _header(scope, b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                await send_error(send, 400, "the Content-Length header is not a number")
                return
            if declared > self.max_body:
                waits = (_header(scope, b"expect") or b"").lower() == b"100-continue"
                if not waits and declared <= self.drain:
                    await self._drain(receive, 0)
                await send_error(send, 413, too_big)
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            more = message.get("more_body", False)
            if size > self.max_body:
                if more:
                    await self._drain(receive, size)
                await send_error(send, 413, too_big)
                return
            chunks.append(chunk)
            if not more:
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


class RateLimit:
    """At most `rate` requests to /api/ per client address in any `window` seconds (429)."""

    def __init__(self, app: ASGIApp, rate: int, window: float) -> None:
        self.app = app
        self.rate = rate
        self.window = window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str, now: float) -> float | None:
        """None when the request may go on, else the seconds until it may."""
        with self._lock:
            if len(self._seen) > MAX_CLIENTS:  # forget clients quiet for a whole window
                quiet = [c for c, t in self._seen.items() if not t or now - t[-1] >= self.window]
                for c in quiet:
                    del self._seen[c]
            times = self._seen.setdefault(client, deque())
            while times and now - times[0] >= self.window:
                times.popleft()
            if len(times) >= self.rate:
                return self.window - (now - times[0])
            times.append(now)
            return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith("/api/"):
            client = (scope.get("client") or ("unknown", 0))[0]
            wait = self.allow(str(client), time.monotonic())
            if wait is not None:
                seconds = max(1, round(wait))
                await send_error(
                    send,
                    429,
                    f"too many requests: at most {self.rate} in {self.window:g} seconds; "
                    f"try again in {seconds} s",
                    ((b"retry-after", str(seconds).encode()),),
                )
                return
        await self.app(scope, receive, send)


class HostCheck:
    """Answers only requests whose Host names this server (421 otherwise)."""

    def __init__(self, app: ASGIApp, hosts: tuple[str, ...]) -> None:
        self.app = app
        self.hosts = frozenset(h.lower() for h in hosts)

    def _allowed(self, host: str) -> bool:
        if "*" in self.hosts:
            return True
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name.lower() in self.hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = (_header(scope, b"host") or b"").decode("latin-1")
            if not self._allowed(host):
                await send_error(send, 421, f"this server does not answer for host {host!r}")
                return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """Adds nosniff, no-referrer and no-framing headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


def guarded(app: ASGIApp, limits: Limits, hosts: tuple[str, ...]) -> ASGIApp:
    """The app inside every guard: host check, then rate limit, then size limit."""
    return SecurityHeaders(
        HostCheck(RateLimit(BodyLimit(app, limits.max_body), limits.rate, limits.window), hosts)
    )
