"""Run the web app: build the site into a temporary folder the server owns, serve it with
uvicorn, rebuild it as records change, and remove the folder on the way out.

`serve` is `kgraph serve` (blocks until interrupted); `running_server` runs the same in a
thread and yields its address, for tests, the screenshot script and notebooks.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from kgraph.web.app import create_app
from kgraph.web.guard import DEFAULT_LIMITS, LOOPBACK_HOSTS, Limits
from kgraph.web.state import ServedCorpus

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


class ServeError(Exception):
    """The server cannot start (a port in use, a host that is not this machine's)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as err:
        sock.close()
        if err.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise ServeError(
                f"port {port} on {host} is in use: try --port 0 for a free one"
            ) from err
        raise ServeError(f"cannot listen on {host}:{port}: {err.strerror or err}") from err
    sock.listen(128)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class _Running:
    """A built site, a bound socket and a uvicorn server, not yet started."""

    def __init__(self, root: str | os.PathLike[str], host: str, port: int, limits: Limits) -> None:
        import uvicorn

        # The port first: a port in use is said at once, not after a build.
        self.sock = _bind(host, port)
        self.workdir = Path(tempfile.mkdtemp(prefix="kgraph-serve-"))
        try:
            self.served = ServedCorpus(root, self.workdir / "site")
            self.served.rebuild(first=True)
        except BaseException:
            self.sock.close()
            shutil.rmtree(self.workdir, ignore_errors=True)
            raise
        self.url = url_of(self.sock)
        hosts = (*LOOPBACK_HOSTS, host) if is_loopback(host) else ("*",)
        _, app = create_app(self.served, limits, hosts)
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.stop_watching = threading.Event()
        self.watcher: threading.Thread | None = None

    def watch_in_thread(self) -> None:
        self.watcher = threading.Thread(
            target=self.served.watch, args=(self.stop_watching,), name="kgraph-watch", daemon=True
        )
        self.watcher.start()

    def close(self) -> None:
        self.stop_watching.set()
        if self.watcher is not None:
            self.watcher.join(timeout=30)  # a rebuild under way finishes before its folder goes
        self.sock.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def serve(
    root: str | os.PathLike[str],
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    limits: Limits = DEFAULT_LIMITS,
    watch: bool = True,
    announce: Callable[[str], None] = print,
) -> None:
    """Build the site of the corpus at ROOT and serve it, with the draft page and the API,
    until interrupted (Ctrl-C). Port 0 picks a free port; the address is announced.

    Raises `CorpusHasErrors` when the corpus does not check, `ServeError` when the port cannot
    be had."""
    running = _Running(root, host, port, limits)
    try:
        if not is_loopback(host):
            announce(
                f"warning: listening on {host}, not only this machine: anyone who can reach it "
                "can read the site and use the API (there is no login)"
            )
        announce(f"serving {running.served.corpus_dir.absolute()} at {running.url}/")
        announce(
            f"check a draft: {running.url}/draft.html   API: {running.url}/api/v1/openapi.json"
        )
        if watch:
            running.watch_in_thread()
            announce("rebuilding the site when a record changes; Ctrl-C to stop")
        # uvicorn shuts down on Ctrl-C, then raises it again: stopping was what was asked.
        with suppress(KeyboardInterrupt):
            running.server.run(sockets=[running.sock])
        announce("stopped")
    finally:
        running.close()


@contextmanager
def running_server(
    root: str | os.PathLike[str],
    host: str = DEFAULT_HOST,
    port: int = 0,
    *,
    limits: Limits = DEFAULT_LIMITS,
    watch: bool = True,
) -> Iterator[str]:
    """Serve the corpus at ROOT in a thread (a free port by default); yields the base URL."""
    running = _Running(root, host, port, limits)
    thread = threading.Thread(
        target=running.server.run, kwargs={"sockets": [running.sock]}, name="kgraph-serve"
    )
    try:
        if watch:
            running.watch_in_thread()
        thread.start()
        while not running.server.started:
            if not thread.is_alive():
                raise ServeError("the server stopped while starting")
            threading.Event().wait(0.02)
        yield running.url
    finally:
        running.server.should_exit = True
        if thread.is_alive():
            thread.join(timeout=10)
        running.close()
