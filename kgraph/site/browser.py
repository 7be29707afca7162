"""How the project drives Debian's Chromium: browser tests, screenshots, the site benchmark.

Playwright with the system executable (nothing is downloaded), and the flags that keep a
headless Chromium from reaching for the network on a machine that has none.
"""

from __future__ import annotations

import os
from typing import Any

CHROMIUM = os.environ.get("KGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def launch_chromium(playwright: Any) -> Any:
    """A headless Chromium browser from a started `sync_playwright()`."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
