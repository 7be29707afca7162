"""Using the site in a real headless Chromium, from file:// with no server and no network.

The graph draws every node, a click opens the claim, filters and search work, no page fetches
anything from elsewhere or logs an error, and text made of HTML and script runs nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Dialog,
    Page,
    Request,
    Route,
    sync_playwright,
)

from kgraph.audit import run_audit
from kgraph.corpus.check import check
from kgraph.graph import build_graph
from kgraph.site import write_site, write_whole_graph_only
from kgraph.site.browser import CHROMIUM, launch_chromium
from tests.conftest import CorpusBuilder, chain_corpus, graded_corpus

pytestmark = pytest.mark.browser


# Text that would run script if any page put it into HTML unescaped.
XSS = (
    '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'
    '<a href="javascript:window.__xss = 3">click me</a>'
)
XSS_URL = "javascript:window.__xss = 4"
# Elements the payload would create if it were parsed as HTML anywhere in the page.
INJECTED = """() => document.querySelectorAll(
    'img[src="x"], a[href^="javascript" i], script:not([src]):not([type="application/json"])'
).length"""


def build(root: Path, out: Path, **kw: int) -> Path:
    report = check(root)
    assert report.errors == 0, [str(f) for f in report.findings]
    corpus = report.corpus
    out.mkdir()
    write_site(corpus, build_graph(corpus), out, run_audit(corpus), **kw)
    return out


def add_xss(b: CorpusBuilder) -> None:
    """A source, an entity and a claim whose every text field is an XSS payload."""
    sentence = f"Ketamine does {XSS} to the brain."
    b.snapshot("evil.txt", f"An evil page.\n{sentence}\nThe end.\n")
    b.article(
        "evil-page",
        snapshot="evil.txt",
        title=f"'{XSS}'",
        label=f"'Evil {XSS}'",
        url=f"'{XSS_URL}'",
    )
    b.write(
        "entities",
        "evil-entity.yaml",
        f"id: evil-entity\nlabel: '{XSS}'\ntype: concept\nsynonyms: ['{XSS}']\n"
        f"description: '{XSS}'\n",
    )
    b.write(
        "claims",
        "evil-claim.yaml",
        f"""\
id: evil-claim
statement: '{XSS}'
kind: mechanism
subject: ketamine
predicate: acts_on
object: evil-entity
sources:
  - source: evil-page
    quote: '{sentence}'
    locator: '{XSS}'
evidence:
  level: ES-1
  direction: untested
  rationale: '{XSS}'
  indirectness: '{XSS}'
  override: '{XSS}'
tags: ['{XSS}']
review:
  status: draft
""",
    )


@pytest.fixture(scope="module")
def chain_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("chain")
    b = chain_corpus(CorpusBuilder(base / "corpus"))
    return build(b.root, base / "site")


@pytest.fixture(scope="module")
def overview_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("overview")
    b = chain_corpus(CorpusBuilder(base / "corpus"))
    return build(b.root, base / "site", max_graph_nodes=4)


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("xss")
    b = chain_corpus(CorpusBuilder(base / "corpus"))
    add_xss(b)
    return build(b.root, base / "site")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: run scripts/setup.sh --test (or set KGRAPH_CHROMIUM)"
        )
    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


class Watched:
    """A browser page that records every request, console error, page error and dialog."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.route("**/*", self._route)
        page.on("request", self._request)
        page.on("console", self._console)
        page.on("pageerror", lambda err: self.errors.append(f"page error: {err}"))
        page.on("dialog", self._dialog)

    def _route(self, route: Route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.errors.append(f"console: {msg.text}")

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path, query: str = "") -> Page:
        self.page.goto(path.as_uri() + query)
        if path.name in ("index.html", "whole.html"):
            # Set when the graph has drawn ("1"), or when the address names no graph ("0").
            self.page.locator("body[data-graph-ready]").wait_for(state="attached")
        return self.page

    def external(self) -> list[str]:
        return self.blocked + [u for u in self.requests if not u.startswith(("file:", "data:"))]


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    yield Watched(context.new_page())
    context.close()


def node_point(page: Page, node_id: str) -> dict[str, float]:
    """Where a node is drawn, in page coordinates (from the network's own positions)."""
    point: dict[str, float] = page.evaluate(
        """(id) => {
            const net = window.kgraph.network;
            const dom = net.canvasToDOM(net.getPositions([id])[id]);
            const box = document.querySelector('#graph canvas').getBoundingClientRect();
            return {x: box.left + dom.x, y: box.top + dom.y};
        }""",
        node_id,
    )
    return point


def view_nodes(page: Page) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = page.evaluate(
        "() => window.kgraph.nodes.get({filter: n => !n.owner && n.kind !== 'bend'})"
        ".map(n => ({id: n.id, kind: n.kind, level: n.level,"
        " claim_kind: n.claim_kind, articles: n.articles || [], hidden: Boolean(n.hidden)}))"
    )
    return nodes


def test_graph_draws_every_node_in_both_views(chain_site: Path, watched: Watched) -> None:
    corpus = check(chain_site.parent / "corpus").corpus
    page = watched.open(chain_site / "index.html")
    who = {n["id"] for n in view_nodes(page)}
    assert who == set(corpus.claims) | set(corpus.sources)
    drawn = page.evaluate("() => Object.keys(window.kgraph.network.getPositions())")
    assert who <= set(drawn)
    page.get_by_role("radio", name="Mechanism").check()
    assert {n["id"] for n in view_nodes(page)} == set(corpus.entities)
    assert page.evaluate("() => window.kgraph.view") == "mechanism"


def test_clicking_a_node_opens_its_page(chain_site: Path, watched: Watched) -> None:
    page = watched.open(chain_site / "index.html")
    point = node_point(page, "ketamine-blocks-nmda")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/claim/ketamine-blocks-nmda.html")
    assert page.locator("h1").inner_text() == "Ketamine blocks the NMDA receptor."
    page.go_back()
    page.wait_for_function("window.kgraph && window.kgraph.ready === true")
    page.get_by_role("radio", name="Mechanism").check()
    point = node_point(page, "nmda-receptor")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/entity/nmda-receptor.html")
    assert page.locator("h1").inner_text() == "NMDA receptor"


def test_hovering_a_claim_shows_its_statement_and_quotes(
    chain_site: Path, watched: Watched
) -> None:
    page = watched.open(chain_site / "index.html")
    point = node_point(page, "ketamine-blocks-nmda")
    page.mouse.move(point["x"], point["y"])
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible")
    text = tip.inner_text()
    assert "Ketamine blocks the NMDA receptor." in text
    assert "Ketamine primarily works by blocking the NMDA receptor" in text
    assert "ES-5 established" in text


def test_filters_hide_what_they_should(chain_site: Path, watched: Watched) -> None:
    page = watched.open(chain_site / "index.html")
    page.locator("input[name=level][value='ES-4']").uncheck()
    claims = [n for n in view_nodes(page) if n["kind"] == "claim"]
    assert {n["id"] for n in claims if n["hidden"]} == {
        n["id"] for n in claims if n["level"] == "ES-4"
    }
    assert any(not n["hidden"] for n in claims)
    page.locator("input[name=level][value='ES-4']").check()
    page.locator("input[name=kind][value='rhetoric']").uncheck()
    hidden = {n["id"] for n in view_nodes(page) if n["hidden"]}
    assert hidden == {"ketamine-is-a-reset-button"}
    page.locator("input[name=kind][value='rhetoric']").check()
    page.select_option("#article-filter", "article-b")
    nodes = view_nodes(page)
    for n in nodes:
        if n["kind"] == "claim":
            assert n["hidden"] == ("article-b" not in n["articles"]), n
    assert not next(n for n in nodes if n["id"] == "article-b")["hidden"]
    # The mechanism view filters its claim edges (and the entities they leave alone) too.
    page.get_by_role("radio", name="Mechanism").check()
    edges = page.evaluate(
        "() => window.kgraph.edges.get().map(e => [e.claim, Boolean(e.hidden), e.articles])"
    )
    assert edges and all(hidden == ("article-b" not in arts) for _, hidden, arts in edges)
    entities = {n["id"]: n["hidden"] for n in view_nodes(page)}
    assert entities["depression"] is False and entities["dendritic-growth"] is True


def test_search_finds_a_claim_by_a_synonym(chain_site: Path, watched: Watched) -> None:
    page = watched.open(chain_site / "index.html")
    # "major depression" is a synonym of the entity depression, not in any statement.
    page.get_by_label("Find claims and entities").fill("major depression")
    results = page.locator("#search-results a")
    results.first.wait_for()
    hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "claim/ketamine-cures-depression.html" in hrefs
    assert "entity/depression.html" in hrefs
    selected = page.evaluate("() => window.kgraph.network.getSelectedNodes()")
    assert "ketamine-cures-depression" in selected
    page.get_by_label("Find claims and entities").fill("NMDAR")
    page.locator("#search-results a[href='claim/ketamine-blocks-nmda.html']").wait_for()
    page.get_by_label("Find claims and entities").press("Enter")
    page.wait_for_url("**/*.html")
    assert "/claim/" in page.url or "/entity/" in page.url


def test_the_whole_graph_draws_filters_searches_and_clicks_through(
    chain_site: Path, watched: Watched
) -> None:
    corpus = check(chain_site.parent / "corpus").corpus
    page = watched.open(chain_site / "whole.html")
    ids = page.evaluate(
        "() => window.kgraphWhole.graph.mapNodes((k) => window.kgraphWhole.href(+k))"
    )
    expected = {f"claim/{c}.html" for c in corpus.claims}
    expected |= {f"source/{s}.html" for s in corpus.sources}
    expected |= {f"entity/{e}.html" for e in corpus.entities}
    assert sorted(ids) == sorted(expected)
    # WebGL drew them: every node has a place on the screen.
    drawn = page.evaluate(
        "() => window.kgraphWhole.graph.filterNodes((k) =>"
        " window.kgraphWhole.renderer.getNodeDisplayData(k) !== undefined).length"
    )
    assert drawn == len(expected)
    hidden_of = """() => { const w = window.kgraphWhole, out = {};
        w.graph.forEachNode((k) => { out[w.href(+k)] = Boolean(w.hidden[+k]); }); return out; }"""
    page.locator("input[name=level][value='ES-4']").uncheck()
    hidden = page.evaluate(hidden_of)
    es4 = {f"claim/{c.id}.html" for c in corpus.claims.values() if c.level == "ES-4"}
    claims = {h for h in hidden if h.startswith("claim/")}
    assert es4 and {h for h in claims if hidden[h]} == es4
    page.locator("input[name=level][value='ES-4']").check()
    page.select_option("#article-filter", label=corpus.sources["article-b"].display)
    hidden = page.evaluate(hidden_of)
    for c in corpus.claims.values():
        asserted = any(a.source == "article-b" for a in c.sources)
        assert hidden[f"claim/{c.id}.html"] == (not asserted), c.id
    assert hidden["source/article-b.html"] is False
    page.select_option("#article-filter", "")
    # Search by a synonym ("NMDAR"), through the sharded index.
    page.get_by_label("Find claims, entities and sources").fill("NMDAR")
    page.locator("#search-results a[href='claim/ketamine-blocks-nmda.html']").wait_for()
    assert page.evaluate("() => window.kgraphWhole.firstResultsAt") is not None
    # Clicking a node opens its page.
    point = page.evaluate(
        """() => { const w = window.kgraphWhole;
            const key = w.graph.findNode((k) => w.href(+k) === "claim/ketamine-blocks-nmda.html");
            const p = w.renderer.graphToViewport(w.graph.getNodeAttributes(key));
            const box = document.querySelector('#graph').getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y}; }"""
    )
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/claim/ketamine-blocks-nmda.html")
    assert watched.errors == [] and watched.external() == []


def test_the_whole_graph_draws_edges_by_zoom_when_there_are_many(
    tmp_path: Path, watched: Watched
) -> None:
    b = chain_corpus(CorpusBuilder(tmp_path / "corpus"))
    corpus = check(b.root).corpus
    site = tmp_path / "site"
    site.mkdir()
    # As if the corpus had more edges than are drawn before zooming in.
    graph = build_graph(corpus)
    write_whole_graph_only(corpus, graph, site, edges_at_any_zoom=0)
    drawn_kinds = {"asserts", "evidence", "depends_on", "subject", "object"}
    edges = [(u, v) for u, v, d in graph.edges(data=True) if d["kind"] in drawn_kinds]
    claim = "ketamine-blocks-nmda"
    its_edges = sum(1 for u, v in edges if claim in (u, v))
    page = watched.open(site / "whole.html")
    size = "() => window.kgraphWhole.graph.size"
    assert page.evaluate(size) == 0
    # The node under the mouse brings its own edges, and takes them away again.
    key = page.evaluate(
        """(href) => { const w = window.kgraphWhole;
            return w.graph.findNode((k) => w.href(+k) === href); }""",
        f"claim/{claim}.html",
    )
    point = page.evaluate(
        """(key) => { const w = window.kgraphWhole;
            const p = w.renderer.graphToViewport(w.graph.getNodeAttributes(key));
            const box = document.querySelector('#graph').getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y}; }""",
        key,
    )
    page.mouse.move(point["x"], point["y"])
    page.wait_for_function(f"() => window.kgraphWhole.graph.size === {its_edges}")
    assert its_edges > 0
    page.mouse.move(5, 5)
    page.wait_for_function("() => window.kgraphWhole.graph.size === 0")
    # Zoomed in, every edge is drawn.
    page.evaluate("() => window.kgraphWhole.renderer.getCamera().setState({ratio: 0.1})")
    page.wait_for_function(f"() => window.kgraphWhole.graph.size === {len(edges)}")
    assert watched.errors == [] and watched.external() == []


def test_claims_table_sorts_and_filters(chain_site: Path, watched: Watched) -> None:
    page = watched.open(chain_site / "claims.html")
    # Before any click the rows are in the order the header claims: by statement, ascending.
    assert page.locator("#claims-table thead th").first.get_attribute("aria-sort") == "ascending"
    shown = page.locator("#claims-table tbody tr td:first-child").all_inner_texts()
    assert shown == sorted(shown, key=str.casefold)
    # The words filter finds claims by an entity's synonym, as the home page's search does.
    page.get_by_placeholder("filter by words").fill("NMDAR")
    assert page.locator("#claims-table tbody tr:visible").count() == 2
    page.get_by_placeholder("filter by words").fill("")
    page.get_by_role("button", name="level").click()
    ranks = page.locator("#claims-table tbody tr td:nth-child(2)").evaluate_all(
        "cells => cells.map(c => Number(c.dataset.value))"
    )
    assert ranks == sorted(ranks)
    page.get_by_role("button", name="level").click()
    ranks = page.locator("#claims-table tbody tr td:nth-child(2)").evaluate_all(
        "cells => cells.map(c => Number(c.dataset.value))"
    )
    assert ranks == sorted(ranks, reverse=True)
    page.get_by_placeholder("filter by words").fill("ketamine")
    visible = page.locator("#claims-table tbody tr:visible")
    assert visible.count() == 4
    page.select_option("#filter-level", "ES-5")
    assert visible.count() == 1
    assert page.locator("#shown-count").inner_text() == "1 shown"


def every_page_type(site: Path) -> list[Path]:
    return [
        site / "index.html",
        site / "claims.html",
        site / "sources.html",
        site / "entities.html",
        site / "audit.html",
        site / "claim" / "ketamine-cures-depression.html",
        site / "source" / "article-a.html",
        site / "source" / "review-2019.html",
        site / "entity" / "ketamine.html",
        site / "snapshot" / "article-a.html",
    ]


def test_no_page_requests_anything_external_or_logs_an_error(
    chain_site: Path, overview_site: Path, watched: Watched
) -> None:
    pages = [(p, "") for p in [*every_page_type(chain_site), overview_site / "index.html"]]
    viewer = overview_site / "graph" / "index.html"
    pages += [(viewer, "?id=ketamine"), (viewer, "?id=article-a")]
    for path, query in pages:
        page = watched.open(path, query)
        if path.name == "index.html":
            first = page.evaluate("() => window.kgraph.nodes.getIds()[0]")
            point = node_point(page, first)
            page.mouse.move(point["x"], point["y"])
            for radio in page.locator("input[name=view]").all():
                radio.check()
    assert watched.external() == []
    assert watched.errors == []
    assert len({u for u in watched.requests if u.split("?")[0].endswith(".html")}) == len(pages)


def test_the_shared_viewer_draws_the_neighbourhood_its_address_names(
    overview_site: Path, watched: Watched
) -> None:
    viewer = overview_site / "graph" / "index.html"
    page = watched.open(viewer, "?id=ketamine")
    assert page.locator("h1").inner_text() == "Around ketamine"
    assert page.title() == "Around ketamine · kgraph"
    back = page.locator("#graph-record a")
    assert back.get_attribute("href") == "../entity/ketamine.html"
    assert page.locator("input[name=view]").count() == 2
    assert "ketamine" in page.evaluate("() => window.kgraph.nodes.getIds()")
    page.get_by_role("radio", name="Who says what").check()
    claims = [n for n in view_nodes(page) if n["kind"] == "claim"]
    assert claims and all(n["level"] is not None for n in claims)
    # A source's neighbourhood is one view: no switch.
    page = watched.open(viewer, "?id=article-a")
    assert page.locator("h1").inner_text().startswith("Around ")
    assert page.locator("#graph-views").is_hidden()
    drawn = set(page.evaluate("() => window.kgraph.nodes.getIds()"))
    assert "article-a" in drawn
    # Its search finds only what it draws: every hit is a node of this graph.
    page.get_by_label("Find claims and entities").fill("ketamine")
    page.locator("#search-results a").first.wait_for()
    hrefs = page.locator("#search-results a").evaluate_all("els => els.map(a => a.href)")
    hit_ids = {h.rsplit("/", 1)[1].removesuffix(".html") for h in hrefs}
    assert hit_ids and hit_ids <= drawn
    # An address that names no record (or tries to leave the folder) loads nothing.
    for query in ("", "?id=../../static/graph"):
        page = watched.open(viewer, query)
        page.locator("#view-note").wait_for(state="visible")
        assert "source's or an entity's page" in page.locator("#view-note").inner_text()
        assert page.evaluate("() => window.kgraph.ready") is False
    assert watched.errors == [] and watched.external() == []


def test_html_and_script_in_the_records_run_nothing(xss_site: Path, watched: Watched) -> None:
    for path in sorted(xss_site.rglob("*.html")):
        page = watched.open(path)
        assert page.evaluate("() => window.__xss") is None, path
        assert page.evaluate(INJECTED) == 0, path
    page = watched.open(xss_site / "claim" / "evil-claim.html")
    assert page.locator("h1").inner_text() == XSS
    assert XSS in page.locator("#evidence .rationale").inner_text()
    page = watched.open(xss_site / "source" / "evil-page.html")
    assert page.locator("h1").inner_text() == XSS
    assert page.get_by_text(XSS_URL).count() == 1
    page = watched.open(xss_site / "entity" / "evil-entity.html")
    assert page.locator("h1").inner_text() == XSS
    # Tooltips and search results are built in the browser: they must stay text too.
    page = watched.open(xss_site / "index.html")
    point = node_point(page, "evil-claim")
    page.mouse.move(point["x"], point["y"])
    page.locator("div.vis-tooltip").wait_for(state="visible")
    assert page.locator("div.vis-tooltip .tip-title").inner_text() == XSS
    page.get_by_label("Find claims and entities").fill("onerror")
    page.locator("#search-results a").first.wait_for()
    assert XSS in page.locator("#search-results").inner_text()
    assert page.evaluate(INJECTED) == 0
    page.get_by_role("radio", name="Mechanism").check()
    point = node_point(page, "evil-entity")
    page.mouse.move(point["x"] + 1, point["y"] + 1)
    page.locator("div.vis-tooltip").wait_for(state="visible")
    assert page.locator("div.vis-tooltip .tip-title").inner_text() == XSS
    assert page.evaluate(INJECTED) == 0
    assert page.evaluate("() => window.__xss") is None
    assert watched.dialogs == []
    assert watched.external() == []


@pytest.fixture(scope="module")
def graded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("graded")
    b = graded_corpus(CorpusBuilder(base / "corpus").minimal())
    return build(b.root, base / "site")


def test_a_claim_shows_its_summary_of_findings_derivation_and_search(
    graded_site: Path, watched: Watched
) -> None:
    page = watched.open(graded_site / "claim/ketamine-acts-on-glutamate.html")
    # The GRADE summary-of-findings row, with a footnote for the domain rated down.
    cells = page.locator(".grade-sof tbody td").all_inner_texts()
    assert cells[0] == "prefrontal glutamate (MRS)"
    assert cells[1] == "20 (1 study)"
    assert cells[3].startswith("⊕⊕⊕◯ moderate") and cells[3].endswith("a")
    page.click(".grade-sof sup.fn a")
    assert page.locator("#fn-a").inner_text() == "a. Imprecision: serious (-1). r-imprecision"
    row = page.locator("#ref-0")
    assert row.locator("td").nth(4).inner_text().startswith("prefrontal glutamate (MRS)")
    assert row.locator("td").nth(5).inner_text() == "minutes"
    excerpt = page.locator(".sof blockquote.excerpt").inner_text()
    assert "ketamine raised prefrontal glutamate [...] in 20 adults" in excerpt
    # The derivation, step by step as GRADE prints it: start high, imprecision -1, moderate.
    steps = page.locator("#derivation .grade-table tbody tr")
    rows = [steps.nth(i).inner_text().split("\t") for i in range(steps.count())]
    assert rows[0][:2] == ["start: randomised trial (parallel)", "high"]
    assert ["imprecision", "serious", "-1", "r-imprecision"] in rows
    assert rows[-1][1].endswith("moderate") and "⊕⊕⊕◯" in rows[-1][1]
    assert "ES-5" in rows[-1][3]
    search = page.locator("#search").inner_text()
    assert "ketamine glutamate MRS" in search and "12" in search
    assert "Jones 2019: rats only" in search
    assert watched.errors == [] and watched.external() == []


def test_an_excerpt_links_to_its_words_marked_in_the_kept_abstract(
    graded_site: Path, watched: Watched
) -> None:
    page = watched.open(graded_site / "claim/ketamine-acts-on-glutamate.html")
    page.click("text=in the abstract")
    page.wait_for_url("**/snapshot/smith-2020-trial.html#x-ketamine-acts-on-glutamate-0-0")
    marked = page.locator(".snapshot-text mark.excerpt")
    assert [marked.nth(i).inner_text() for i in range(marked.count())] == [
        "ketamine raised prefrontal glutamate",
        "in 20 adults",
    ]
    # The words left out by `[...]` are not marked; the page says what it is and where seen.
    assert "within minutes" not in " ".join(marked.all_inner_texts())
    assert "abstract as kept" in page.locator(".kicker").inner_text().lower()
    assert "https://example.org/smith" in page.locator(".seen").inner_text()
    # The number after the excerpt leads back to the claim's row in the summary of findings.
    page.click(".snapshot-text sup.qref a")
    page.wait_for_url("**/claim/ketamine-acts-on-glutamate.html#ref-0")
    assert watched.errors == [] and watched.external() == []


def test_sources_list_separates_articles_from_studies_and_sorts(
    chain_site: Path, watched: Watched
) -> None:
    page = watched.open(chain_site / "sources.html")
    articles = page.locator("#articles-table tbody tr td:first-child").all_inner_texts()
    studies = page.locator("#studies-table tbody tr td:first-child").all_inner_texts()
    assert len(articles) == 2 and len(studies) == 3
    assert studies == sorted(studies, key=str.casefold)
    page.locator("#studies-table thead th:nth-child(3) button").click()
    sizes = page.locator("#studies-table tbody tr td:nth-child(3)").evaluate_all(
        "cells => cells.map(c => Number(c.dataset.value))"
    )
    assert sizes == sorted(sizes) and sizes[-1] == 400
    page.locator("#studies-table thead th:nth-child(3) button").click()
    assert page.locator("#studies-table thead th").nth(2).get_attribute("aria-sort") == "descending"
    assert watched.errors == []
