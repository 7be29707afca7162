"""Coverage maps: an article's snapshot as segments, every segment mapped, every rule located."""

from __future__ import annotations

import json
import os
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

import kgraph
from kgraph.cli import main
from kgraph.corpus.coverage import draft_map, is_article, segment_claims
from kgraph.corpus.findings import Severity
from kgraph.corpus.schema import json_schema
from kgraph.corpus.segment import segment
from kgraph.corpus.session import CheckSession
from tests.conftest import COVERAGE_YAML, REPO, CorpusBuilder
from tests.test_check import COVER, NOT_A_CLAIM, SCENARIOS, SOURCE, _cover, _edit
from tests.test_site import build_site
from tests.test_site_browser import Watched
from tests.test_site_browser import browser as _browser
from tests.test_site_browser import watched as _watched

# The browser tests' fixtures, shared with this file's one test in a browser.
browser, watched = _browser, _watched

SNAPSHOTS = REPO / "claims" / "snapshots"
COVERAGE_CODES = [s for s in SCENARIOS if s[0].startswith("KG8")]


def _segments(name: str) -> list[tuple[str, str, str]]:
    text = (SNAPSHOTS / name).read_text(encoding="utf-8")
    return [(s.block, s.locator, s.text) for s in segment(text)]


def _located(name: str) -> dict[str, str]:
    return {locator: text for _, locator, text in _segments(name)}


# -- segmentation of the real articles ------------------------------------------------------------


def test_a_paragraph_is_split_into_sentences_and_a_citation_stays_with_its_sentence() -> None:
    at = _located("000_01dd1830dbebb098.txt")
    section = "section “A “Reset” for Stuck Patterns”"
    assert at[f"{section}, paragraph 1, sentence 2"] == (
        "Instead of being stuck in a narrow, repetitive circuit of thoughts and emotions, the "
        "brain temporarily enters a more flexible state. (MAPS)"
    )
    assert f"{section}, paragraph 1, sentence 3" not in at
    assert at["title"] == "How does Ketamine work?"
    assert at["section “Neuroplasticity: Creating New Pathways”, heading"] == (
        "Neuroplasticity: Creating New Pathways"
    )


def test_unmarked_list_items_follow_the_paragraph_that_opens_them_with_a_colon() -> None:
    blocks = _segments("000_01dd1830dbebb098.txt")
    window = "section “The “Window of Opportunity””"
    assert [(b, loc, t) for b, loc, t in blocks if loc.startswith(window)] == [
        ("heading", f"{window}, heading", "The “Window of Opportunity”"),
        (
            "paragraph",
            f"{window}, paragraph 1, sentence 1",
            "After a ketamine session, the brain enters what many clinicians call a neuroplastic "
            "window, lasting days to weeks.",
        ),
        ("paragraph", f"{window}, paragraph 1, sentence 2", "During this time:"),
        ("list item", f"{window}, paragraph 1, list item 1", "New habits are easier to form"),
        (
            "list item",
            f"{window}, paragraph 1, list item 2",
            "Emotional learning is more effective",
        ),
        (
            "list item",
            f"{window}, paragraph 1, list item 3",
            "Therapy can go deeper and “stick” more easily",
        ),
        (
            "paragraph",
            f"{window}, paragraph 2, sentence 1",
            "This is why ketamine therapy is rarely just about the medication—it’s about what you "
            "do with the window it opens.",
        ),
        (
            "paragraph",
            f"{window}, paragraph 2, sentence 2",
            "Therapy, reflection, and intentional behavior change are what help solidify those "
            "new neural pathways.",
        ),
    ]


def test_a_bulleted_list_ends_at_the_first_line_without_a_bullet() -> None:
    at = _located("002_ed1d949cdbb0e902.txt")
    healing = "section “How Ketamine Supports Long-Term Healing”"
    assert (
        at[f"{healing}, paragraph 2, list item 6"]
        == "A renewed capacity for having self-compassion"
    )
    assert f"{healing}, paragraph 2, list item 7" not in at
    assert "section “Why Evidence-Based Support Matters”, heading" in at
    # No title: the article opens with a paragraph.
    assert _segments("002_ed1d949cdbb0e902.txt")[0][:2] == (
        "paragraph",
        "opening section, paragraph 1, sentence 1",
    )


def test_dateline_numbered_headings_and_short_questions() -> None:
    blocks = _segments("003_82bef126d7a3586a.txt")
    assert blocks[:2] == [
        ("title", "title", "What Ketamine Does to Your Brain"),
        ("dateline", "dateline", "April 7, 2025"),
    ]
    at = _located("003_82bef126d7a3586a.txt")
    assert "section “1. Glutamate Surge and NMDA Receptor Blockade”, heading" in at
    assert "section “Why Does This Matter?”, heading" in at
    overview = "section “A Quick Overview: What Is Ketamine?”"
    assert at[f"{overview}, paragraph 1, list item 4"] == "Chronic pain"
    assert at[f"{overview}, paragraph 2, sentence 1"].startswith("Unlike traditional")
    # A question inside a paragraph is a sentence, not a heading.
    assert at[
        "section “What Ketamine Does to Your Brain: Exploring the Science Behind the Healing”, "
        "paragraph 1, sentence 3"
    ] == ("But what exactly does ketamine do to your brain?")


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("000_01dd1830dbebb098.txt", 50),
        ("001_111315590cabddbf.txt", 26),
        ("002_ed1d949cdbb0e902.txt", 50),
        ("003_82bef126d7a3586a.txt", 52),
    ],
)
def test_segmentation_is_deterministic_and_covers_every_line(name: str, count: int) -> None:
    text = (SNAPSHOTS / name).read_text(encoding="utf-8")
    first, again = segment(text), segment(text)
    assert first == again and len(first) == count
    assert len({s.locator for s in first}) == count  # every locator names one segment
    lines = {n for n, line in enumerate(text.split("\n"), start=1) if line.strip()}
    assert {s.line for s in first} == lines
    for s in first:
        assert " ".join(text[s.start : s.end].split()) == s.text


# -- the rules ------------------------------------------------------------------------------------


def test_a_clean_map_checks_clean(corpus: CorpusBuilder) -> None:
    corpus.coverage()
    report = kgraph.check(corpus.root)
    assert [f.to_text() for f in report.findings if f.severity != "note"] == []
    assert report.ok(strict=True)
    [cov] = report.corpus.coverage.values()
    assert [len(e.claims or []) for e in cov.entries] == [1, 0, 0, 0]


def test_a_corpus_without_a_coverage_folder_is_not_held_to_maps(corpus: CorpusBuilder) -> None:
    assert not [f for f in kgraph.check(corpus.root).findings if f.code.startswith("KG8")]


@pytest.mark.parametrize(
    ("code", "mutate", "rel", "line"), COVERAGE_CODES, ids=[s[0] for s in COVERAGE_CODES]
)
def test_each_coverage_rule_fires_with_file_and_line_through_the_command(
    corpus: CorpusBuilder, code: str, mutate: object, rel: str, line: int
) -> None:
    mutate(corpus)  # type: ignore[operator]
    result = CliRunner().invoke(main, ["check", str(corpus.root), "--format", "json"])
    assert "Traceback" not in result.output
    found = [f for f in json.loads(result.output)["findings"] if f["code"] == code]
    assert found, result.output
    assert any(
        Path(f["path"]).resolve() == (corpus.root / rel).resolve() and f["line"] == line
        for f in found
    ), found
    assert result.exit_code == (1 if kgraph.CODES[code].severity == Severity.ERROR else 0)


def test_an_unmapped_sentence_names_its_locator_and_text(corpus: CorpusBuilder) -> None:
    _cover(corpus, '  - text: "Some', '  - textx: "Some')
    [missing] = [f for f in kgraph.check(corpus.root).findings if f.code == "KG801"]
    assert missing.path.endswith(SOURCE) and missing.line == 10
    assert "opening section, paragraph 4, sentence 1" in missing.message
    assert "“reset button” for the brain." in missing.message
    # The bad key is reported where it is, as for any record.
    [unknown] = [f for f in kgraph.check(corpus.root).findings if f.code == "KG204"]
    assert unknown.path.endswith(COVER) and unknown.line == 10


def test_a_claim_listed_where_it_quotes_nothing_and_an_unlisted_quote(
    corpus: CorpusBuilder,
) -> None:
    corpus.coverage(
        COVERAGE_YAML.replace(
            "claims: [ketamine-acts-on-glutamate]", 'not_a_claim: "no"', 1
        ).replace(
            '  - text: "It may promote dendritic growth in some people."\n'
            '    not_a_claim: "a sentence of the test article that no test claim needs"',
            '  - text: "It may promote dendritic growth in some people."\n'
            "    claims: [ketamine-acts-on-glutamate]",
        )
    )
    found = {(f.code, f.line) for f in kgraph.check(corpus.root).findings if f.code >= "KG8"}
    assert found == {("KG805", 3), ("KG804", 7)}


def test_a_quote_across_two_sentences_is_listed_in_both(corpus: CorpusBuilder) -> None:
    quote = "glutamate system.\nIt may promote"
    _edit(
        corpus,
        "claims/ketamine-acts-on-glutamate.yaml",
        "Ketamine works on the brain’s glutamate system.",
        quote.replace("\n", " "),
    )
    corpus.coverage()
    assert not [f for f in kgraph.check(corpus.root).findings if f.code.startswith("KG8")]
    [first, second, *_] = segment_claims(kgraph.load(corpus.root), "article-a")
    assert first.claims == second.claims == ["ketamine-acts-on-glutamate"]


def test_yaml_problems_in_a_map_are_located(corpus: CorpusBuilder) -> None:
    corpus.coverage("source: article-a\nsentences:\n  - text: [unclosed\n")
    [bad] = [f for f in kgraph.check(corpus.root).findings if f.code == "KG101"]
    assert bad.path.endswith(COVER) and bad.line == 4  # where the parser gave up
    corpus.coverage("source: article-a\nsentences:\n  - text: 12\n    claims: x\n")
    found = {(f.code, f.line) for f in kgraph.check(corpus.root).findings if f.path.endswith(COVER)}
    assert {("KG202", 3), ("KG202", 4)} <= found


def test_the_json_schema_takes_a_map_and_refuses_two_verdicts() -> None:
    validator = jsonschema.Draft202012Validator(json_schema("coverage"))
    good = yaml.safe_load(COVERAGE_YAML)
    assert list(validator.iter_errors(good)) == []
    good["sentences"][1]["pending"] = "also pending"
    assert list(validator.iter_errors(good)) != []
    assert list(validator.iter_errors({"source": "a", "sentences": [{"text": "x", "claims": []}]}))


def test_a_drafted_map_lists_the_quoting_claims_and_leaves_the_rest_pending(
    corpus: CorpusBuilder,
) -> None:
    (corpus.root / "coverage").mkdir()
    loaded = kgraph.load(corpus.root)
    assert is_article(loaded.sources["article-a"])
    corpus.coverage(draft_map(loaded, "article-a"))
    report = kgraph.check(corpus.root)
    # Only the pending entries are reported: a drafted map leaves them for a curator.
    assert not [f for f in report.findings if f.code.startswith("KG8") and f.code != "KG807"]
    assert [f.line for f in report.findings if f.code == "KG807"] == [8, 11, 14]


# -- the cache and the watching session -----------------------------------------------------------


def test_editing_a_map_invalidates_its_cache_entry(corpus: CorpusBuilder, tmp_path: Path) -> None:
    store = tmp_path / "cache"
    corpus.coverage()
    assert not [f for f in kgraph.check(corpus.root, cache=store).findings if f.code >= "KG8"]
    _edit(corpus, COVER, "It may promote", "It might promote")
    warm = kgraph.check(corpus.root, cache=store).findings
    assert warm == kgraph.check(corpus.root).findings
    assert sorted(f.code for f in warm if f.code >= "KG8") == ["KG801", "KG802"]


def test_a_watching_session_sees_a_map_change(corpus: CorpusBuilder) -> None:
    corpus.coverage()
    session = CheckSession(corpus.root)
    session.start()
    path = corpus.root / COVER
    _edit(corpus, COVER, "It may promote", "It might promote")
    run = session.refresh([path])
    assert run is not None
    assert run.report.findings == kgraph.check(corpus.root).findings
    assert "KG802" in {f.code for f in run.report.findings}
    path.unlink()
    run = session.refresh([path])
    assert run is not None and "KG806" in {f.code for f in run.report.findings}
    session.close()


# -- the real corpus ------------------------------------------------------------------------------


def test_every_article_of_the_corpus_is_mapped_completely() -> None:
    report = kgraph.check(REPO / "claims")
    articles = [sid for sid, s in report.corpus.sources.items() if is_article(s)]
    assert len(articles) == 4 and set(articles) == set(report.corpus.coverage)
    coverage = [f for f in report.findings if f.code.startswith("KG8")]
    assert [f.to_text() for f in coverage if f.severity != "note"] == []
    for sid in articles:
        entries = report.corpus.coverage[sid].entries
        text = report.corpus.snapshot_texts[sid]
        assert [e.text for e in entries] == [s.text for s in segment(text)]
        assert all(e.locator for e in entries)
        for e in entries:
            reason = e.not_a_claim or e.pending
            assert e.claims or (reason and reason != "unreviewed"), (sid, e.text)


# -- the site -------------------------------------------------------------------------------------


class _Sentences(HTMLParser):
    """The coverage list of a source page: (verdict class, quoted text, links, verdict text)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self._depth = 0  # inside ol.coverage
        self._field = ""
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "ol" and a.get("class") == "coverage":
            self._depth = 1
        elif self._depth and tag == "li" and (a.get("class") or "").startswith("coverage-"):
            self.rows.append({"class": a["class"], "text": "", "links": [], "verdict": ""})
        elif self._depth and tag == "q":
            self._field = "text"
        elif self._depth and tag == "p" and a.get("class") == "verdict":
            self._field = "verdict"
        elif self._depth and tag == "a" and self.rows:
            self.rows[-1]["links"].append(a.get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("q", "p"):
            self._field = ""
        elif tag == "ol" and self._depth:
            self._depth = 0

    def handle_data(self, data: str) -> None:
        if self._field and self.rows:
            self.rows[-1][self._field] += data


def test_an_articles_page_lists_its_sentences_with_their_claims(
    corpus: CorpusBuilder, tmp_path: Path
) -> None:
    corpus.coverage(COVERAGE_YAML.replace(NOT_A_CLAIM, 'pending: "claims dendritic growth"', 1))
    site = build_site(corpus.root, tmp_path / "site")
    page = (site / "source" / "article-a.html").read_text(encoding="utf-8")
    rows = _Sentences(page).rows
    assert [r["class"] for r in rows] == [
        "coverage-claims",
        "coverage-pending",
        "coverage-not-a-claim",
        "coverage-not-a-claim",
    ]
    assert rows[0]["text"] == "Ketamine works on the brain’s glutamate system."
    assert "../claim/ketamine-acts-on-glutamate.html" in rows[0]["links"]
    assert rows[1]["verdict"] == "pending: claims dendritic growth"
    assert rows[2]["verdict"].startswith("not a claim: a sentence of the test article")
    # A source without a map has no such list.
    assert _Sentences((site / "source" / "smith-2020-trial.html").read_text("utf-8")).rows == []


def test_a_map_named_after_another_source_is_located(corpus: CorpusBuilder) -> None:
    corpus.coverage(COVERAGE_YAML, source="article-b")
    found = {(f.code, Path(f.path).name, f.line) for f in kgraph.check(corpus.root).findings}
    assert ("KG206", "article-b.yaml", 1) in found  # the map's source is not its file name
    assert ("KG806", "article-a.yaml", 10) not in found  # it maps article-a all the same


def test_the_check_command_takes_a_map_file(corpus: CorpusBuilder) -> None:
    _cover(corpus, "It may promote", "It might promote")
    result = CliRunner().invoke(main, ["check", str(corpus.root / COVER)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{COVER}:6:" in result.output.replace("\\", "/")
    assert "KG801" not in result.output  # reported at the source record, not the map


def test_the_real_maps_pass_their_json_schema() -> None:
    schema = json.loads((REPO / "schema/coverage.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    maps = sorted((REPO / "claims" / "coverage").glob("*.yaml"))
    assert len(maps) == 4
    for path in maps:
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8"))))
        assert errors == [], (path.name, [e.message for e in errors])


def test_a_broken_map_is_not_taken_for_the_source_it_is_named_after(
    corpus: CorpusBuilder,
) -> None:
    corpus.coverage("source: article-a\nsentences: [unclosed\n")
    corpus.write("sources", "article-a.yaml", "id: article-a\ntitle: [unclosed\n")
    found = kgraph.check(corpus.root).findings
    [dangling] = [f for f in found if f.code == "KG303"]
    assert f"sources{os.sep}article-a.yaml" in dangling.message
    assert "coverage" not in dangling.message


@pytest.mark.browser
def test_the_sentence_list_reads_in_a_browser_and_links_to_its_claims(
    corpus: CorpusBuilder, tmp_path: Path, watched: Watched
) -> None:
    corpus.coverage(COVERAGE_YAML.replace(NOT_A_CLAIM, 'pending: "claims dendritic growth"', 1))
    site = build_site(corpus.root, tmp_path / "site")
    page = watched.open(site / "source" / "article-a.html")
    rows = page.locator("#sentences ol.coverage > li")
    assert rows.count() == 4
    assert page.locator("#sentences h2").inner_text() == "Sentence by sentence (4)"
    first, second = rows.nth(0), rows.nth(1)
    assert first.locator(".locator").inner_text() == "opening section, paragraph 1, sentence 1"
    assert second.locator("q").inner_text() == "It may promote dendritic growth in some people."
    assert second.locator(".verdict").inner_text() == "pending: claims dendritic growth"
    assert second.locator(".verdict").is_visible()
    first.locator("a.claim-link").click()
    page.wait_for_load_state()
    assert page.url.endswith("/claim/ketamine-acts-on-glutamate.html")
    assert watched.errors == [] and watched.external() == []
