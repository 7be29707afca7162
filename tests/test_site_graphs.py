"""The graph pictures as a visitor sees them at 1400x900 in a real headless Chromium: every label
readable (at least 11 px), none overlapping another or under an edge, every node on the canvas;
the mechanism view's chains; the evidence map and the entity pages' own graphs.

Measured on the project's own corpus (claims/), where the pictures are crowded, and on the small
chain fixture.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from kgraph.site.browser import CHROMIUM, launch_chromium, legibility
from tests.conftest import CorpusBuilder, chain_corpus
from tests.test_site_browser import build

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
MIN_LABEL_PX = 11


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(ROOT, tmp_path_factory.mktemp("real") / "site")


@pytest.fixture(scope="module")
def chain_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("chain")
    b = chain_corpus(CorpusBuilder(base / "corpus"))
    return build(b.root, base / "site")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: run scripts/setup.sh --test")
    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    pg = context.new_page()
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert not errors


def open_graph(page: Page, path: Path, view: str = "", query: str = "") -> None:
    page.goto(path.as_uri() + query)
    page.wait_for_function("window.kgraph && window.kgraph.ready === true")
    if view:
        page.get_by_role("radio", name=view).check()


def assert_legible(figures: dict[str, Any]) -> None:
    assert figures["labels"] > 0
    assert figures["min_label_px"] >= MIN_LABEL_PX, figures["min_label_px"]
    assert figures["overlaps"] == [], figures["overlaps"][:5]
    assert figures["under_edges"] == [], figures["under_edges"][:5]
    assert figures["outside"] == [], figures["outside"][:5]


@pytest.mark.parametrize("view", ["", "Mechanism"])
def test_every_label_is_readable_and_clear_in_the_real_corpus(
    real_site: Path, page: Page, view: str
) -> None:
    open_graph(page, real_site / "index.html", view)
    figures = legibility(page)
    assert_legible(figures)
    # Every claim and source (who says what) or entity (mechanism) carries a label of its own.
    labelled = page.evaluate(
        "() => window.kgraph.nodes.get({filter: n => !n.owner && n.kind !== 'bend'})"
        ".filter(n => !n.label).length"
    )
    assert labelled == 0


@pytest.mark.parametrize("view", ["", "Mechanism"])
def test_every_label_is_readable_and_clear_in_a_small_corpus(
    chain_site: Path, page: Page, view: str
) -> None:
    open_graph(page, chain_site / "index.html", view)
    assert_legible(legibility(page))


def test_the_legibility_check_fails_on_overlapping_labels(chain_site: Path, page: Page) -> None:
    """The figures are not vacuous: move one claim onto another and the check sees it."""
    open_graph(page, chain_site / "index.html")
    page.evaluate(
        """() => { const net = window.kgraph.network;
        const ids = window.kgraph.nodes.getIds({filter: n => n.kind === 'claim'});
        const p = net.getPositions([ids[0]])[ids[0]];
        net.moveNode(ids[1], p.x + 20, p.y + 4); net.redraw(); }"""
    )
    figures = legibility(page)
    assert figures["overlaps"]


def test_who_says_what_keeps_an_articles_edges_together(real_site: Path, page: Page) -> None:
    """Crossing minimisation: the drawn order has far fewer crossings than the id order."""
    open_graph(page, real_site / "index.html")
    crossings = page.evaluate(CROSSINGS_JS)
    assert crossings["drawn"] < crossings["by_id"] * 0.8, crossings


def test_edges_fade_until_their_record_is_under_the_pointer(real_site: Path, page: Page) -> None:
    open_graph(page, real_site / "index.html")
    cid = "ketamine-blocks-nmda-receptors"
    colours = (
        "() => window.kgraph.edges.get().filter(e => e.ends[1] === '%s').map(e => e.color.color)"
    )
    assert all(c.startswith("rgba") for c in page.evaluate(colours % cid))
    box = page.evaluate(
        """(id) => { const net = window.kgraph.network; const p = net.getPositions([id])[id];
        const d = net.canvasToDOM(p); const r = document.querySelector('#graph canvas')
        .getBoundingClientRect(); return {x: r.left + d.x, y: r.top + d.y}; }""",
        cid,
    )
    page.evaluate("(y) => document.querySelector('.graph-canvas').scrollTo(0, y - 400)", box["y"])
    box = page.evaluate(
        """(id) => { const net = window.kgraph.network; const p = net.getPositions([id])[id];
        const d = net.canvasToDOM(p); const r = document.querySelector('#graph canvas')
        .getBoundingClientRect(); return {x: r.left + d.x, y: r.top + d.y}; }""",
        cid,
    )
    page.mouse.move(box["x"], box["y"])
    page.wait_for_function(
        "(id) => window.kgraph.edges.get().some(e => e.ends[1] === id && e.color.color[0] === '#')",
        arg=cid,
    )
    others = page.evaluate(
        "(id) => window.kgraph.edges.get().filter(e => e.ends[0] !== id && e.ends[1] !== id)"
        ".every(e => e.color.color.startsWith('rgba'))",
        cid,
    )
    assert others


def test_studies_are_shown_by_design(real_site: Path, page: Page) -> None:
    open_graph(page, real_site / "index.html")
    headings = page.evaluate("() => window.kgraph.current.spec.headings.map(h => h.text)")
    for design in ("trials", "reviews", "animal or in vitro", "labels and approvals"):
        assert design in headings


CROSSINGS_JS = """() => {
  const view = window.kgraph.current;
  const pos = window.kgraph.network.getPositions();
  const edges = view.edges.get().map(e => [e.ends[0], e.ends[1], e.kind]);
  const claimY = {}, byId = {};
  view.nodes.get({filter: n => n.kind === 'claim'}).forEach(n => { claimY[n.id] = pos[n.id].y; });
  // The same claims, each band in id order: the picture crossing minimisation started from.
  const bands = {};
  view.nodes.get({filter: n => n.kind === 'claim'}).forEach(n => {
    (bands[n.level] = bands[n.level] || []).push(n.id); });
  Object.values(bands).forEach(ids => {
    const ys = ids.map(id => claimY[id]).sort((a, b) => a - b);
    ids.slice().sort().forEach((id, i) => { byId[id] = ys[i]; });
  });
  function count(y) {
    // Articles (asserts) and studies (evidence) each face the claims from one side.
    let n = 0;
    ['asserts', 'evidence'].forEach(kind => {
      const pairs = edges.filter(e => e[2] === kind).map(([u, v]) => [pos[u].y, y[v]]);
      for (let i = 0; i < pairs.length; i++) for (let j = i + 1; j < pairs.length; j++) {
        if ((pairs[i][0] - pairs[j][0]) * (pairs[i][1] - pairs[j][1]) < 0) n++; }
    });
    return n;
  }
  return {drawn: count(claimY), by_id: count(byId)};
}"""


# A point on a claim's arrow that a click there would hit, for an arrow in a chain of claims.
CHAIN_POINT_JS = """() => {
  const net = window.kgraph.network;
  for (const e of window.kgraph.edges.get()) {
    if (!e.chain || e.chain.length < 3) continue;
    const p = net.body.edges[e.id].edgeType.getPoint(0.5);
    const d = net.canvasToDOM(p);
    if (net.getEdgeAt(d) !== e.id) continue;
    return {id: e.id, claim: e.claim, chain: e.chain, x: d.x, y: d.y};
  }
  return null;
}"""


def test_clicking_a_mechanism_claim_lights_its_premises_and_dependents(
    real_site: Path, page: Page
) -> None:
    open_graph(page, real_site / "index.html", "Mechanism")
    target = page.evaluate(CHAIN_POINT_JS)
    assert target, "no claim of the real corpus rests on another"
    canvas = page.locator("#graph canvas")
    page.evaluate(
        "(y) => document.querySelector('.graph-canvas').scrollTo(0, y - 300)", target["y"]
    )
    box = canvas.bounding_box()
    assert box
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    page.wait_for_function("() => window.kgraph.lit !== undefined")
    lit = page.evaluate(
        "() => window.kgraph.network.getSelectedEdges()"
        ".map(id => window.kgraph.edges.get(id).claim)"
    )
    assert set(lit) == set(target["chain"])
    listed = page.locator("#chain-note li a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert sorted(listed) == sorted(f"claim/{c}.html" for c in target["chain"])
    # A second click on the same arrow opens the claim.
    page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
    page.wait_for_url(f"**/claim/{target['claim']}.html")


def test_mechanism_steps_run_left_to_right_in_the_chains_order(real_site: Path, page: Page) -> None:
    open_graph(page, real_site / "index.html", "Mechanism")
    x = page.evaluate(
        "() => { const p = window.kgraph.network.getPositions(); return Object.fromEntries("
        "['ketamine', 'nmda-receptor', 'glutamate', 'bdnf', 'synaptogenesis',"
        " 'antidepressant-effect'].map(id => [id, p[id].x])); }"
    )
    order = ["ketamine", "nmda-receptor", "glutamate", "bdnf", "synaptogenesis"]
    assert [x[i] for i in order] == sorted(x[i] for i in order)
    assert x["antidepressant-effect"] > x["synaptogenesis"]
    # A node's style is its group's (one per style in the data file): read it as drawn.
    colours = page.evaluate(
        "() => new Set(window.kgraph.nodes.get({filter: n => n.kind === 'entity'})"
        ".map(n => window.kgraph.network.body.nodes[n.id].options.color.border)).size"
    )
    assert colours >= 5


# Every text of an SVG on the page: its box on screen and its font size; and the SVG's own box.
SVG_TEXTS_JS = """(selector) => {
  const svg = document.querySelector(selector);
  const frame = svg.getBoundingClientRect();
  const boxes = Array.from(svg.querySelectorAll('text')).map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, l: r.left, t: r.top, r: r.right, b: r.bottom,
            px: parseFloat(getComputedStyle(t).fontSize)};
  });
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const p = boxes[i], q = boxes[j];
    if (Math.min(p.r, q.r) - Math.max(p.l, q.l) > 0.5 && Math.min(p.b, q.b) - Math.max(p.t, q.t) > 0.5)
      overlaps.push([p.text, q.text]);
  }
  const outside = boxes.filter(b => b.l < frame.left - 0.5 || b.r > frame.right + 0.5 ||
    b.t < frame.top - 0.5 || b.b > frame.bottom + 0.5).map(b => b.text);
  return {n: boxes.length, min_px: Math.min(...boxes.map(b => b.px)), overlaps: overlaps,
          outside: outside};
}"""


@pytest.mark.parametrize("entity", ["ketamine", "nmda-receptor", "bdnf"])
def test_an_entity_page_draws_its_own_neighbourhood(
    real_site: Path, page: Page, entity: str
) -> None:
    page.goto((real_site / "entity" / f"{entity}.html").as_uri())
    figures = page.evaluate(SVG_TEXTS_JS, "svg.neighbourhood")
    assert figures["n"] > 1
    assert figures["min_px"] >= MIN_LABEL_PX
    assert figures["overlaps"] == [] and figures["outside"] == []
    lines = page.locator("svg.neighbourhood a.claim-line")
    claims = page.locator("#as-subject li, #as-object li")
    assert lines.count() == claims.count()
    # Click the last-drawn line on its own branch (the piece that reaches its entity's box).
    target = page.evaluate(
        """() => { const links = document.querySelectorAll('svg.neighbourhood a.claim-line');
        const a = links[links.length - 1]; const line = a.querySelector('polyline');
        const pts = line.points; const p = pts[pts.length - 2], q = pts[pts.length - 1];
        window.scrollTo(0, line.getBoundingClientRect().bottom + window.scrollY - 400);
        const m = line.getScreenCTM(); const x = (p.x + q.x) / 2, y = (p.y + q.y) / 2;
        return {x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f,
                href: a.getAttribute('href')}; }"""
    )
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url("**/claim/" + target["href"].split("/claim/")[1])


def test_the_evidence_map_marks_levels_echoes_and_gaps(real_site: Path, page: Page) -> None:
    page.goto((real_site / "index.html").as_uri())
    page.get_by_role("link", name="Evidence map").click()
    page.wait_for_url("**/map.html")
    topics = page.locator("#topic-map")
    # A column per article under audit, a row group per claim kind.
    assert topics.locator("thead th").count() == 1 + 4
    assert topics.locator("tr.group").count() >= 4
    marks = topics.locator("a.mark-link")
    assert marks.count() > 50
    # Bubbles sum to the claims the articles make: every assertion is on the map.
    counted = page.evaluate(
        "() => Array.from(document.querySelectorAll('#topic-map td'))"
        ".reduce((n, td) => n + Number(td.dataset.claims || 0), 0)"
    )
    assert counted >= 129
    assert topics.locator(".flag-over").count() > 0
    assert topics.locator(".flag-echo").count() > 0
    designs = page.locator("#design-map")
    gaps = designs.locator(".flag-gap").all_inner_texts()
    assert "no study" in gaps or "animal only" in gaps
    # A bubble of one claim opens it.
    one = topics.locator("a.mark-link[href^='claim/']").first
    href = one.get_attribute("href")
    one.click()
    page.wait_for_url(f"**/{href}")


@pytest.fixture(scope="module")
def overview_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("overview")
    b = chain_corpus(CorpusBuilder(base / "corpus"))
    return build(b.root, base / "site", max_graph_nodes=4)


@pytest.mark.parametrize(
    ("path", "view"),
    [("index.html", ""), ("index.html", "Mechanism"), ("graph/index.html?id=ketamine", "")],
)
def test_overview_and_neighbourhood_pages_are_legible(
    overview_site: Path, page: Page, path: str, view: str
) -> None:
    # A neighbourhood is the shared viewer page with the record's id in its address.
    file, _, query = path.partition("?")
    open_graph(page, overview_site / file, view, f"?{query}" if query else "")
    assert_legible(legibility(page))
