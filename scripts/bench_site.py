#!/usr/bin/env python3
"""Benchmark: how soon the site's graph pages are interactive in headless Chromium (big corpora).

Generates a corpus (default 5,000 claims), builds the site, then loads pages from file:// and
times each until its graph has drawn and its handlers are attached (the page sets
`data-graph-ready` on its body once drawn). Baselines measured in the same browser, same run: a
minimal HTML page, and vis-network drawing a single node. The whole-graph page (WebGL) is timed
too: until drawn, until a zoom has been drawn (pan and zoom respond), and until a search's first
results show.

Usage: scripts/bench_site.py [--claims 5000] [--repeat 5] [--full] [--whole-only] [--keep DIR]
  --full also builds the site with no overview (every node on the home page), for comparison.
  --whole-only writes only the whole-graph page (for 100,000 claims, where a whole site is slow).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kgraph.audit import run_audit  # noqa: E402
from kgraph.corpus.check import check  # noqa: E402
from kgraph.generate import generate_corpus  # noqa: E402
from kgraph.graph import build_graph  # noqa: E402
from kgraph.site import MAX_GRAPH_NODES, write_site, write_whole_graph_only  # noqa: E402
from kgraph.site.browser import launch_chromium  # noqa: E402

MINIMAL = "<!doctype html><meta charset=utf-8><title>baseline</title><p>ready</p>\n"
ONE_NODE = """<!doctype html><meta charset=utf-8><title>one node</title>
<link rel="stylesheet" href="static/vis-network.css">
<div id="graph" style="width:1000px;height:800px"></div>
<script src="static/vis-network.min.js"></script>
<script src="one-node.js"></script>
"""
ONE_NODE_JS = """window.kgraph = {ready: false};
var net = new vis.Network(document.getElementById("graph"),
  {nodes: new vis.DataSet([{id: 1, label: "one", x: 0, y: 0}]), edges: new vis.DataSet([])},
  {physics: {enabled: false}});
net.once("afterDrawing", function () {
  window.kgraph.ready = true;
  document.body.setAttribute("data-graph-ready", "1");
});
"""
# Set on a graph page's body once its graph has drawn (a CSS selector: no script is evaluated,
# which the pages' Content-Security-Policy forbids).
READY = "body[data-graph-ready='1']"
# Until a zoom has been drawn: the camera is moved, and the next frame after its render.
ZOOM = """() => new Promise((done) => {
    const r = window.kgraphWhole.renderer, t0 = performance.now();
    r.once("afterRender", () => requestAnimationFrame(() => done(performance.now() - t0)));
    r.getCamera().setState({ratio: 0.5, x: 0.4, y: 0.6});
})"""
SEARCH_WORD = "ketamine"


def time_page(browser: Browser, path: Path, ready: str | None, query: str = "") -> float:
    """Seconds from navigation until `ready` is on the page (or the load event, for a plain
    page)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page: Page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    start = time.perf_counter()
    page.goto(path.as_uri() + query, wait_until="load")
    if ready:
        page.locator(ready).wait_for(state="attached", timeout=300_000)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def median_of(
    browser: Browser, path: Path, ready: str | None, repeat: int, query: str = ""
) -> float:
    time_page(browser, path, ready, query)  # warm the browser's caches once, like a second visit
    return statistics.median(time_page(browser, path, ready, query) for _ in range(repeat))


def time_whole(browser: Browser, path: Path) -> tuple[float, float, float, float, int]:
    """The whole-graph page: seconds until drawn, then until a zoom is drawn (from the
    navigation), the zoom's own seconds, seconds from typing a word to its first results, and
    the number of nodes."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page: Page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    start = time.perf_counter()
    page.goto(path.as_uri(), wait_until="load")
    page.locator(READY).wait_for(state="attached", timeout=300_000)
    drawn = time.perf_counter() - start
    zoom_ms: float = page.evaluate(ZOOM)
    zoomed = time.perf_counter() - start
    typed = time.perf_counter()
    page.get_by_label("Find claims, entities and sources").fill(SEARCH_WORD)
    page.locator("#search-results a").first.wait_for(timeout=300_000)
    first_results = time.perf_counter() - typed
    n: int = page.evaluate("() => window.kgraphWhole.graph.order")
    context.close()
    return drawn, zoomed, zoom_ms / 1000, first_results, n


def build_site(corpus_root: Path, out: Path, max_nodes: int) -> tuple[float, int]:
    report = check(corpus_root)
    corpus = report.corpus
    graph = build_graph(corpus)
    audit = run_audit(corpus)
    out.mkdir(parents=True)
    start = time.perf_counter()
    write_site(corpus, graph, out, audit, max_graph_nodes=max_nodes)
    return time.perf_counter() - start, sum(1 for p in out.rglob("*.html"))


def drawn_nodes(browser: Browser, path: Path, query: str = "") -> int:
    context = browser.new_context()
    page = context.new_page()
    page.goto(path.as_uri() + query)
    page.locator(READY).wait_for(state="attached", timeout=300_000)
    n: int = page.evaluate("() => window.kgraph.nodes.length")
    context.close()
    return n


def write_whole_only(corpus_root: Path, out: Path) -> float:
    report = check(corpus_root)
    corpus = report.corpus
    graph = build_graph(corpus)
    out.mkdir(parents=True)
    start = time.perf_counter()
    write_whole_graph_only(corpus, graph, out)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--full", action="store_true", help="also time a site with no overview")
    parser.add_argument(
        "--whole-only", action="store_true", help="write and time only the whole-graph page"
    )
    parser.add_argument("--keep", type=Path, default=None, help="build in DIR and keep it")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="kgraph-bench-site-"))
    corpus_root = work / "corpus"
    if not corpus_root.exists():
        print(f"generating {args.claims} claims into {corpus_root} ...", flush=True)
        generate_corpus(corpus_root, args.claims, seed=0)
    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)
    if args.whole_only:
        seconds = write_whole_only(corpus_root, site)
        print(f"whole-graph page written in {seconds:.1f} s", flush=True)
    else:
        seconds, n_pages = build_site(corpus_root, site, MAX_GRAPH_NODES)
        print(f"site written in {seconds:.1f} s: {n_pages} pages", flush=True)
    (site / "baseline.html").write_text(MINIMAL, encoding="utf-8")
    (site / "one-node.html").write_text(ONE_NODE, encoding="utf-8")
    (site / "one-node.js").write_text(ONE_NODE_JS, encoding="utf-8")
    data = site / "graph" / "data"
    hub = max(data.glob("*.js"), key=lambda p: p.stat().st_size, default=None)

    with sync_playwright() as p:
        browser = launch_chromium(p)
        base = median_of(browser, site / "baseline.html", None, args.repeat)
        vis_one = median_of(browser, site / "one-node.html", READY, args.repeat)
        rows: list[tuple[str, float, int | None]] = [
            ("minimal HTML page (baseline)", base, None),
            ("vis-network, one node", vis_one, None),
        ]
        if not args.whole_only:
            home = median_of(browser, site / "index.html", READY, args.repeat)
            rows.append(("home page (overview)", home, drawn_nodes(browser, site / "index.html")))
        if hub is not None:
            viewer, query = site / "graph" / "index.html", f"?id={hub.stem}"
            rows.append(
                (f"largest neighbourhood ({hub.stem[:20]})",
                 median_of(browser, viewer, READY, args.repeat, query),
                 drawn_nodes(browser, viewer, query))
            )  # fmt: skip
        time_whole(browser, site / "whole.html")  # warm-up, as for the others
        runs = [time_whole(browser, site / "whole.html") for _ in range(max(1, args.repeat // 2))]
        columns = zip(*runs, strict=True)
        drawn, zoomed, zoom_s, first, n = (statistics.median(col) for col in columns)
        rows += [
            ("whole graph (WebGL): drawn", drawn, int(n)),
            ("whole graph: drawn, then a zoom drawn", zoomed, int(n)),
            ("whole graph: the zoom alone", zoom_s, None),
            (f"whole graph: first search results ({SEARCH_WORD!r})", first, None),
        ]
        if args.full:
            full = work / "site-full"
            shutil.rmtree(full, ignore_errors=True)
            seconds, _ = build_site(corpus_root, full, 10**9)
            print(f"site without overview written in {seconds:.1f} s", flush=True)
            rows.append(
                ("home page, every node (no overview)",
                 median_of(browser, full / "index.html", READY, max(1, args.repeat // 2)),
                 drawn_nodes(browser, full / "index.html"))
            )  # fmt: skip
        browser.close()

    print(f"\n{args.claims} claims; median of {args.repeat} loads after one warm-up, file://")
    print(f"{'page':<46} {'seconds':>8} {'x baseline':>11} {'x vis 1 node':>13} {'nodes':>6}")
    for name, secs, nodes in rows:
        print(
            f"{name:<46} {secs:8.3f} {secs / base:11.1f} {secs / vis_one:13.2f} "
            f"{nodes if nodes is not None else '':>6}"
        )
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
