"""Using `kgraph serve` in a real headless Chromium: paste a draft, read each sentence's verdict
and evidence, copy a citation to the clipboard, upload a file; text made of HTML and script runs
nothing, and no page asks anything of a server but this one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from kgraph.corpus.check import checked_corpus
from kgraph.site.browser import CHROMIUM, launch_chromium
from kgraph.web import running_server
from kgraph.writers.cite import cite
from tests.conftest import CorpusBuilder, writers_corpus
from tests.test_site_browser import INJECTED, XSS, add_xss

pytestmark = pytest.mark.browser

DRAFT = """\
# Ketamine notes

Ketamine blocks NMDA receptors. Ketamine clearly boosts BDNF.

- Ketamine treats PTSD.
- Our clinic offers free parking.
"""


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    b = writers_corpus(CorpusBuilder(tmp_path_factory.mktemp("served") / "corpus"))
    add_xss(b)
    return b.root


@pytest.fixture(scope="module")
def url(root: Path) -> Iterator[str]:
    with running_server(root, watch=False) as base:
        yield base


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


class Session:
    """A page on the server that records requests elsewhere and every error it logs."""

    def __init__(self, context: BrowserContext, base: str) -> None:
        self.base = base
        self.page: Page = context.new_page()
        self.elsewhere: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", self._request)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog {d.message}"), d.dismiss()))

    def _request(self, request: object) -> None:
        url = str(getattr(request, "url", ""))
        if not url.startswith((self.base, "data:")):
            self.elsewhere.append(url)

    def check(self, text: str, fmt: str = "markdown") -> Page:
        page = self.page
        page.goto(f"{self.base}/draft.html")
        page.fill("#draft-text", text)
        page.select_option("#draft-format", fmt)
        page.click("#draft-check")
        page.wait_for_function(
            "() => /checked|limit|empty|Paste/.test(document.getElementById('draft-status').textContent)"
        )
        return page


@pytest.fixture
def session(browser: Browser, url: str) -> Iterator[Session]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, permissions=["clipboard-read", "clipboard-write"]
    )
    s = Session(context, url)
    yield s
    assert s.elsewhere == [], s.elsewhere
    assert s.errors == [], s.errors
    context.close()


def rows(page: Page) -> list[dict[str, str]]:
    out: list[dict[str, str]] = page.evaluate(
        """() => [...document.querySelectorAll('li.sentence')].map(li => ({
            text: li.querySelector('.said q').textContent,
            verdict: li.querySelector('.said .verdict').textContent,
            claim: (li.querySelector('.claim-link') || {}).textContent || '',
            level: (li.querySelector('.level') || {}).textContent || '',
            reason: li.querySelector('.reason').textContent,
            suggestion: (li.querySelector('.suggestion .wording') || {}).textContent || '',
        }))"""
    )
    return out


def test_pasting_a_draft_shows_each_sentence_with_its_verdict(session: Session) -> None:
    page = session.check(DRAFT)
    got = {r["text"]: r for r in rows(page)}
    assert got["Ketamine blocks NMDA receptors."]["verdict"] == "supported"
    assert got["Ketamine blocks NMDA receptors."]["level"].startswith("ES-5")
    assert got["Ketamine blocks NMDA receptors."]["claim"] == "Ketamine blocks NMDA receptors."
    hedge = got["Ketamine clearly boosts BDNF."]
    assert hedge["verdict"] == "hedge needed"
    assert hedge["reason"].startswith("ES-3") and "hedge it" in hedge["reason"]
    assert hedge["suggestion"] and "clearly" not in hedge["suggestion"]
    assert got["Ketamine treats PTSD."]["verdict"] == "contradicted"
    assert got["Our clinic offers free parking."]["verdict"] == "unchecked"
    assert got["Our clinic offers free parking."]["reason"] == "matches no claim in the corpus"
    status = page.text_content("#draft-status") or ""
    assert status == f"{len(got)} sentences checked"
    summary = page.text_content("#draft-summary") or ""
    assert "supported: 1" in summary and "contradicted: 1" in summary
    # The claim links to its page on the same server, which opens.
    page.click("li.sentence:has-text('Ketamine treats PTSD.') a.claim-link")
    page.wait_for_url("**/claim/ketamine-treats-ptsd.html")
    assert "Ketamine treats PTSD." in (page.text_content("h1") or "")


def test_a_citation_is_copied_as_bibtex_csl_json_or_markdown(session: Session, root: Path) -> None:
    page = session.check("Ketamine dampens overactivity of the amygdala.\n")
    item = page.locator("li.sentence").first
    assert item.locator(".reference").first.text_content().startswith("Duek et al. 2023")
    corpus = checked_corpus(root)
    for fmt in ("bibtex", "csl-json", "markdown"):
        item.locator("select.cite-format").select_option(fmt)
        box = item.locator("textarea.cite-text")
        assert box.input_value() == cite(corpus, "ketamine-dampens-amygdala", fmt)
        item.locator("button.cite-copy").click()
        item.locator(".cite-box .copied", has_text="copied").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == box.input_value()
    item.locator("select.cite-format").select_option("csl-json")
    assert json.loads(item.locator("textarea.cite-text").input_value())[0]["DOI"] == (
        "10.1038/s41386-023-01606-3"
    )


def test_uploading_a_markdown_file_fills_the_draft(session: Session, tmp_path: Path) -> None:
    draft = tmp_path / "post.md"
    draft.write_text(DRAFT, encoding="utf-8")
    page = session.page
    page.goto(f"{session.base}/draft.html")
    page.set_input_files("#draft-file", str(draft))
    page.wait_for_function("() => document.getElementById('draft-text').value.length > 0")
    assert page.input_value("#draft-text") == DRAFT
    assert page.input_value("#draft-format") == "markdown"
    page.click("#draft-check")
    page.wait_for_selector("li.sentence")
    assert "Ketamine treats PTSD." in [r["text"] for r in rows(page)]


def test_an_empty_draft_says_so_and_checks_nothing(session: Session) -> None:
    page = session.check("   \n")
    assert page.text_content("#draft-status") == "Paste or upload a draft first."
    assert page.locator("li.sentence").count() == 0


def test_html_and_script_in_a_draft_or_the_corpus_run_nothing(session: Session) -> None:
    sentence = f"Ketamine does {XSS} to the brain."
    page = session.check(f"{sentence}\n\n{XSS}\n", fmt="text")
    got = rows(page)
    # Shown as the text it is, and the claim whose every field is the payload, matched.
    assert [r["text"] for r in got if XSS in r["text"]], got
    assert any(r["claim"] == XSS for r in got), got
    assert page.evaluate("window.__xss") is None
    assert page.evaluate(INJECTED) == 0
    # The served site's own pages escape it too.
    page.goto(f"{session.base}/claim/evil-claim.html")
    assert page.evaluate("window.__xss") is None
    assert page.evaluate(INJECTED) == 0


def test_every_site_page_links_the_draft_page(session: Session) -> None:
    page = session.page
    page.goto(f"{session.base}/claims.html")
    page.click("header nav a:has-text('Check a draft')")
    page.wait_for_url("**/draft.html")
    assert page.locator("header nav a[aria-current=page]").text_content() == "Check a draft"
    assert page.locator(".verdict-legend dt").count() == 6
