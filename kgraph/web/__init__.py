"""The local web app (`kgraph serve`): the corpus's site, a "Check a draft" page and a JSON API.

Floor 2, beside `build`: it builds the site into a folder of its own and serves it, and answers
the writers' tools (`kgraph.writers`) over HTTP. `serve` runs it; `running_server` runs it in a
thread for tests, scripts and notebooks.
"""

from __future__ import annotations

from kgraph.web.guard import Limits
from kgraph.web.server import DEFAULT_PORT, ServeError, running_server, serve

__all__ = ["DEFAULT_PORT", "Limits", "ServeError", "running_server", "serve"]
