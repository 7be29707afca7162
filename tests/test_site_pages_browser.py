"""The audit, article and snapshot pages of the real corpus, read in headless Chromium as a
reviewer reads them: the audit split by article and code with working filters, an article's
claims in its own order or by level, its snapshot's headings as headings, and charts and
scorecards that line up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from kgraph.audit import run_audit
from kgraph.corpus.check import check
from kgraph.corpus.segment import segment
from kgraph.graph import build_graph
from kgraph.site import write_site
from kgraph.site.browser import launch_chromium
from kgraph.vocab import level_rank
from tests.conftest import REPO

pytestmark = pytest.mark.browser

ARTICLE = "article-000-how-does-ketamine-work"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = check(REPO / "claims").corpus
    out = tmp_path_factory.mktemp("real") / "site"
    out.mkdir()
    write_site(corpus, build_graph(corpus), out, run_audit(corpus))
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    p = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p
    p.close()
    assert errors == []


def snapshot_text() -> str:
    corpus = check(REPO / "claims").corpus
    return corpus.snapshot_texts[ARTICLE]


def shown(page: Page, selector: str) -> int:
    return page.locator(selector).evaluate_all("els => els.filter(e => e.checkVisibility()).length")


def test_the_audit_overview_is_short_and_links_every_article_and_code(
    site: Path, page: Page
) -> None:
    page.goto((site / "audit.html").as_uri())
    report = run_audit(check(REPO / "claims").corpus)
    rows = page.locator("#audit-articles tbody tr")
    assert rows.count() == len(report.scorecards)
    assert page.locator("#audit-codes tbody tr").count() == len(report.by_code())
    for href in page.locator("#audit-articles a, #audit-codes a").evaluate_all(
        "as => as.map(a => a.getAttribute('href'))"
    ):
        assert (site / href).is_file(), href
    # Was 17,300 px of findings; now the overview fits a few screens.
    assert page.evaluate("document.body.scrollHeight") < 4000
    page.get_by_role("button", name="error").click()
    errors = rows.locator("td:nth-child(3)").evaluate_all(
        "cells => cells.map(c => Number(c.dataset.value))"
    )
    assert errors == sorted(errors)


def test_an_articles_audit_groups_by_claim_and_filters(site: Path, page: Page) -> None:
    page.goto((site / "audit" / "article" / f"{ARTICLE}.html").as_uri())
    total = page.locator("li.finding").count()
    groups = page.locator("details.finding-group")
    assert total > 20 and groups.count() < total
    # Collapsed: no finding is visible until a group is opened.
    assert shown(page, "li.finding") == 0
    page.get_by_role("button", name="expand all").click()
    assert shown(page, "li.finding") == total
    errors = page.locator("li.finding.sev-error").count()
    page.get_by_label("error").uncheck()
    assert shown(page, "li.finding") == total - errors
    assert page.locator("output.shown-count").inner_text() == (
        f"{total - errors} of {total} findings shown"
    )
    page.get_by_label("error").check()
    page.select_option("select[name=code]", "AU110")
    codes = page.locator("li.finding").evaluate_all(
        "els => els.filter(e => e.checkVisibility()).map(e => e.dataset.codes)"
    )
    assert codes and all("AU110" in c.split() for c in codes)
    # A group left with no finding shown is hidden, with its summary.
    assert shown(page, "details.finding-group") < groups.count()
    page.select_option("select[name=code]", "")
    page.get_by_placeholder("filter by words").fill("self-compassion")
    assert 0 < shown(page, "li.finding") < total
    page.get_by_role("button", name="collapse all").click()
    assert shown(page, "li.finding") == 0


def test_a_code_page_groups_its_findings_by_article(site: Path, page: Page) -> None:
    page.goto((site / "audit" / "code" / "AU101.html").as_uri())
    titles = page.locator("details.finding-group .group-title").all_inner_texts()
    assert titles and len(titles) == len(set(titles))
    codes = page.locator("li.finding").evaluate_all("els => els.map(e => e.dataset.codes)")
    assert all(c.split()[0] == "AU101" for c in codes)


def test_an_article_lists_its_claims_in_its_own_order_or_by_level(site: Path, page: Page) -> None:
    page.goto((site / "source" / f"{ARTICLE}.html").as_uri())
    text = snapshot_text()
    headings = [g.text for g in segment(text) if g.block == "heading"]
    toc = page.locator("nav.toc.sections li a").all_inner_texts()
    assert [t for t in toc if t in headings] == [h for h in headings if h in toc]
    assert len(toc) >= 4
    in_text = page.locator(".claims-in-text-order .claim-link")
    by_level = page.locator(".claims-by-level .claim-link")
    assert shown(page, ".claims-by-level .claim-link") == 0
    # In the text's order: each claim's earliest quote ("in context" link into the snapshot)
    # comes later in the snapshot than the one before.
    anchors = page.locator(".claims-in-text-order ul.claim-list > li").evaluate_all(
        """items => items.map(li => Array.from(li.querySelectorAll('a.passage'))
            .map(a => decodeURIComponent(new URL(a.href).hash.slice(1))))"""
    )
    n = in_text.count()
    located = [a for a in anchors if a]
    assert len(located) >= n - 3
    page.goto((site / "snapshot" / f"{ARTICLE}.html").as_uri())
    # Where each anchor stands in the text: the length of the text before it.
    at = page.evaluate(
        """() => {
            const box = document.querySelector('.snapshot-text'), out = {};
            for (const a of box.querySelectorAll('span.anchor')) {
                const r = document.createRange();
                r.setStart(box, 0); r.setEndBefore(a);
                out[a.id] = r.toString().length;
            }
            return out;
        }"""
    )
    firsts = [min(at[x] for x in a) for a in located]
    assert firsts == sorted(firsts)
    page.go_back()
    page.locator("label[for=order-level]").click()
    assert shown(page, ".claims-in-text-order .claim-link") == 0
    assert shown(page, ".claims-by-level .claim-link") == n
    levels = page.locator(".claims-by-level > ul > li > .level").all_inner_texts()
    ranks = [level_rank(t.split()[0]) for t in levels]
    ranks = [-1 if r is None else r for r in ranks]
    assert ranks == sorted(ranks, reverse=True)
    page.locator("label[for=order-text]").click()
    assert shown(page, ".claims-in-text-order .claim-link") == n
    assert by_level.count() == n


def test_a_snapshot_shows_the_articles_headings_as_headings(site: Path, page: Page) -> None:
    page.goto((site / "snapshot" / f"{ARTICLE}.html").as_uri())
    text = snapshot_text()
    headings = [g.text for g in segment(text) if g.block == "heading"]
    assert page.locator(".snapshot-text h3.snap-heading").all_inner_texts() == headings
    body = page.evaluate("getComputedStyle(document.querySelector('.snapshot-text')).fontSize")
    heading = page.evaluate(
        "getComputedStyle(document.querySelector('.snapshot-text h3')).fontSize"
    )
    assert float(heading.removesuffix("px")) > float(body.removesuffix("px"))
    # Every quote is still marked and linked, as before the headings were set apart.
    assert page.locator(".snapshot-text mark.quote").count() > 40


def test_scorecards_line_up_and_charts_use_the_pages_font(site: Path, page: Page) -> None:
    page.goto((site / "audit" / "article" / f"{ARTICLE}.html").as_uri())
    offsets = page.locator(".scorecard tr").evaluate_all(
        """rows => rows.map(r => {
            const th = r.querySelector('th'), td = r.querySelector('td');
            const inner = th.querySelector('.level') || th;
            const a = inner.getBoundingClientRect(), b = td.getBoundingClientRect();
            return Math.abs((a.top + a.bottom) / 2 - (b.top + b.bottom) / 2);
        })"""
    )
    assert offsets and max(offsets) <= 2, offsets
    assert "rhetoric" in page.locator(".scorecard .lv-none").inner_text()
    fonts = page.evaluate(
        """() => [getComputedStyle(document.body).fontFamily,
                  getComputedStyle(document.querySelector('figure.profile svg text')).fontFamily]"""
    )
    assert fonts[0] == fonts[1]


def test_the_hover_box_uses_the_sites_font_and_stays_on_screen(site: Path, page: Page) -> None:
    """The graph's tooltip near the right edge: inside the window, in the pages' own font."""
    page.goto((site / "index.html").as_uri())
    page.wait_for_function("window.kgraph && window.kgraph.ready")
    # The drawn node furthest right on the first screen.
    node = page.evaluate(
        """(() => { const n = window.kgraph.network, p = n.getPositions(); let best = null;
            for (const id in p) { const d = n.canvasToDOM(p[id]);
              if (d.y > 100 && d.y < 800 && (!best || d.x > best[1])) best = [id, d.x, d.y]; }
            return best; })()"""
    )
    box = page.locator("#graph canvas").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + node[1], box["y"] + node[2])
    page.wait_for_selector("div.vis-tooltip", state="visible")
    tip = page.evaluate(
        """(() => { const t = document.querySelector('div.vis-tooltip');
            const r = t.getBoundingClientRect();
            return {left: r.left, right: r.right, width: window.innerWidth,
                    font: getComputedStyle(t).fontFamily,
                    body: getComputedStyle(document.body).fontFamily}; })()"""
    )
    assert tip["left"] >= 0 and tip["right"] <= tip["width"], tip
    assert tip["font"] == tip["body"]
