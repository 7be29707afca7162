#!/usr/bin/env python3
"""Screenshots for the README: the home page's two graph views, the evidence map, an entity's
neighbourhood graph and one claim page of the real corpus.

Builds the site from claims/ into a temporary folder (as `kgraph build` does), opens it from
file:// in headless Chromium, and writes docs/img/home.png, mechanism.png, map.png, entity.png
and claim.png, printing the legibility figures of each graph view (kgraph.site.browser); then
serves the corpus (`kgraph serve`, on a free loopback port), checks a short draft on its "Check a
draft" page, and writes docs/img/serve-draft.png.

Usage: scripts/screenshots.py [--claim ID] [--out docs/img]
  --claim defaults to the graded claim most articles repeat, on the weakest evidence.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kgraph.build import build  # noqa: E402
from kgraph.corpus.model import Corpus  # noqa: E402
from kgraph.site.browser import launch_chromium, legibility  # noqa: E402
from kgraph.web import running_server  # noqa: E402

# The draft the screenshot of the draft page checks: one sentence of each kind of verdict.
SHOWCASE_DRAFT = """\
Ketamine blocks NMDA receptors. Ketamine quiets the fear center of the brain.
Ketamine's dissociative state separates a person from their trauma narrative.
Ketamine rewires the brain. Ketamine is a reset button for the brain.
Our clinic offers free parking.
"""

SHOTS = ("home.png", "mechanism.png", "map.png", "entity.png", "claim.png", "serve-draft.png")
ENTITY = "nmda-receptor"


def showcase_claim(corpus: Corpus) -> str:
    """The graded claim most articles repeat on the weakest evidence: what the site is for."""

    def weight(cid: str) -> tuple[int, int, int, str]:
        c = corpus.claims[cid]
        refs = len(c.evidence.references) if c.evidence else 0
        return (-len({a.source for a in c.sources}), c.rank or 0, -refs, cid)

    graded = [cid for cid, c in corpus.claims.items() if c.rank is not None]
    return min(graded or corpus.claims, key=weight)


def shoot_draft_page(browser: Any, out: Path) -> None:
    """The draft page of a server on this corpus, with SHOWCASE_DRAFT checked."""
    with running_server(REPO, watch=False) as url:
        page = browser.new_page(viewport={"width": 1200, "height": 2000})
        page.goto(f"{url}/draft.html")
        page.fill("#draft-text", SHOWCASE_DRAFT)
        page.click("#draft-check")
        page.wait_for_selector("li.sentence")
        page.screenshot(path=str(out))
        page.close()


def _figures(f: dict[str, object]) -> str:
    counts = {k: len(v) if isinstance(v, list) else v for k, v in f.items()}
    return (
        f"{counts['labels']} labels, smallest {counts['min_label_px']:.1f} px, "
        f"{counts['overlaps']} overlaps, {counts['under_edges']} under edges, "
        f"{counts['outside']} nodes outside the canvas"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claim", default=None, help="id of the claim page to show")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "img")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kgraph-shots-") as tmp:
        site = Path(tmp) / "site"
        result = build(REPO, site)
        corpus = result.report.corpus
        claim = args.claim or showcase_claim(corpus)
        if claim not in corpus.claims:
            raise SystemExit(f"no claim {claim!r} in the corpus")
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.route(
                "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
            )
            page.goto((site / "index.html").as_uri())
            page.wait_for_function("window.kgraph && window.kgraph.ready === true")
            page.screenshot(path=str(args.out / "home.png"))
            print("who says what:", _figures(legibility(page)))
            page.get_by_role("radio", name="Mechanism").check()
            page.screenshot(path=str(args.out / "mechanism.png"))
            print("mechanism:", _figures(legibility(page)))
            page.goto((site / "map.html").as_uri())
            page.screenshot(path=str(args.out / "map.png"))
            entity = ENTITY if ENTITY in corpus.entities else min(corpus.entities)
            page.goto((site / "entity" / f"{entity}.html").as_uri())
            page.screenshot(path=str(args.out / "entity.png"))
            page.set_viewport_size({"width": 1100, "height": 1400})
            page.goto((site / "claim" / f"{claim}.html").as_uri())
            page.screenshot(path=str(args.out / "claim.png"))
            shoot_draft_page(browser, args.out / "serve-draft.png")
            browser.close()
    for name in SHOTS:
        print(f"wrote {args.out / name}")
    print(f"claim page: {claim}")


if __name__ == "__main__":
    main()
