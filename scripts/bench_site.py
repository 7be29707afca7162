#!/usr/bin/env python3
"""Benchmark: how soon the site's home page is interactive in headless Chromium, for a big corpus.

Generates a corpus (default 5,000 claims), builds the site, then loads pages from file:// and
times each until its graph has drawn and its handlers are attached (the page sets
`window.kgraph.ready` on vis-network's first `afterDrawing`). Baselines measured in the same
browser, same run: a minimal HTML page, and vis-network drawing a single node.

Usage: scripts/bench_site.py [--claims 5000] [--repeat 5] [--full] [--keep DIR]
  --full also builds the site with no overview (every node on the home page), for comparison.
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
from kgraph.site import MAX_GRAPH_NODES, write_site  # noqa: E402
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
net.once("afterDrawing", function () { window.kgraph.ready = true; });
"""


def time_page(browser: Browser, path: Path, ready: str | None) -> float:
    """Seconds from navigation until `ready` holds (or the load event, for a plain page)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page: Page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    start = time.perf_counter()
    page.goto(path.as_uri(), wait_until="load")
    if ready:
        page.wait_for_function(ready, timeout=120_000, polling="raf")
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def median_of(browser: Browser, path: Path, ready: str | None, repeat: int) -> float:
    time_page(browser, path, ready)  # warm the browser's caches once, like a second visit
    return statistics.median(time_page(browser, path, ready) for _ in range(repeat))


def build_site(corpus_root: Path, out: Path, max_nodes: int) -> tuple[float, int]:
    report = check(corpus_root)
    corpus = report.corpus
    graph = build_graph(corpus)
    audit = run_audit(corpus)
    out.mkdir(parents=True)
    start = time.perf_counter()
    write_site(corpus, graph, out, audit, max_graph_nodes=max_nodes)
    return time.perf_counter() - start, sum(1 for p in out.rglob("*.html"))


def drawn_nodes(browser: Browser, path: Path) -> int:
    context = browser.new_context()
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_function("window.kgraph && window.kgraph.ready === true", timeout=120_000)
    n: int = page.evaluate("() => window.kgraph.nodes.length")
    context.close()
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--full", action="store_true", help="also time a site with no overview")
    parser.add_argument("--keep", type=Path, default=None, help="build in DIR and keep it")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="kgraph-bench-site-"))
    corpus_root = work / "corpus"
    if not corpus_root.exists():
        print(f"generating {args.claims} claims into {corpus_root} ...", flush=True)
        generate_corpus(corpus_root, args.claims, seed=0)
    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)
    seconds, n_pages = build_site(corpus_root, site, MAX_GRAPH_NODES)
    print(f"site written in {seconds:.1f} s: {n_pages} pages", flush=True)
    (site / "baseline.html").write_text(MINIMAL, encoding="utf-8")
    (site / "one-node.html").write_text(ONE_NODE, encoding="utf-8")
    (site / "one-node.js").write_text(ONE_NODE_JS, encoding="utf-8")
    ready = "window.kgraph && window.kgraph.ready === true"
    hub = max((site / "graph").glob("*.html"), key=lambda p: p.stat().st_size, default=None)

    with sync_playwright() as p:
        browser = launch_chromium(p)
        base = median_of(browser, site / "baseline.html", None, args.repeat)
        vis_one = median_of(browser, site / "one-node.html", ready, args.repeat)
        home = median_of(browser, site / "index.html", ready, args.repeat)
        rows = [
            ("minimal HTML page (baseline)", base, None),
            ("vis-network, one node", vis_one, None),
            ("home page (overview)", home, drawn_nodes(browser, site / "index.html")),
        ]
        if hub is not None:
            rows.append(
                (f"largest neighbourhood page ({hub.name})",
                 median_of(browser, hub, ready, args.repeat), drawn_nodes(browser, hub))
            )  # fmt: skip
        if args.full:
            full = work / "site-full"
            shutil.rmtree(full, ignore_errors=True)
            seconds, _ = build_site(corpus_root, full, 10**9)
            print(f"site without overview written in {seconds:.1f} s", flush=True)
            rows.append(
                ("home page, every node (no overview)",
                 median_of(browser, full / "index.html", ready, max(1, args.repeat // 2)),
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
