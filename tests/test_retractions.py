"""Withdrawn evidence: a small Retraction Watch CSV and retraction lists in tmp_path, the refresh
that pins the notices about the corpus's sources, the check's findings, and the site's marks."""

from __future__ import annotations

import datetime as dt
import hashlib
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from playwright.sync_api import Browser, sync_playwright

from kgraph.build import build
from kgraph.cli import main
from kgraph.corpus.check import check
from kgraph.corpus.retraction_refresh import RefreshFailed, refresh
from kgraph.corpus.retractions import load_retractions
from kgraph.site.browser import CHROMIUM, launch_chromium
from tests.conftest import REPO, CorpusBuilder

CLAIM = "claims/ketamine-acts-on-glutamate.yaml"
STUDY = "sources/smith-2020-trial.yaml"
# The columns of the Retraction Watch CSV (all of them, in its order); the rows are made up
# for the test, with DOIs under the 10.1000 test prefix.
HEADER = (
    "Record ID,Title,Subject,Institution,Journal,Publisher,Country,Author,URLS,ArticleType,"
    "RetractionDate,RetractionDOI,RetractionPubMedID,OriginalPaperDate,OriginalPaperDOI,"
    "OriginalPaperPubMedID,RetractionNature,Reason,Paywalled,Notes"
)
ROWS = [
    '7,"A trial, retracted",,,J,P,,Smith J,,Research,3/4/2021 0:00,10.1000/notice.7,0,'
    "1/1/2020 0:00,10.1000/T.1,0,Retraction,+Concerns about data;,No,",
    "9,Another paper,,,J,P,,Doe A,,Research,5/6/2022 0:00,10.1000/notice.9,0,1/1/2019 0:00,"
    "10.1000/other,0,Retraction,+Error;,No,",
    "8,The trial corrected,,,J,P,,Smith J,,Research,2/2/2021 0:00,10.1000/notice.8,0,"
    "1/1/2020 0:00,,00012345,Correction,+Error in table;,No,",
]


def write_csv(path: Path, rows: list[str] = ROWS) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def cited(corpus: CorpusBuilder) -> CorpusBuilder:
    """The minimal corpus whose study has a DOI (in another case than the data's) and a PMID."""
    edit(corpus.root / STUDY, "title: A trial", "title: A trial\ndoi: 10.1000/t.1\npmid: '12345'")
    return corpus


def refresh_cli(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["retractions", "refresh", "--root", str(root), *args])
    assert "Traceback" not in result.output
    return result


def test_refresh_pins_the_notices_about_the_corpus_sources(
    cited: CorpusBuilder, tmp_path: Path
) -> None:
    data = write_csv(tmp_path / "retraction_watch.csv")
    done = refresh(cited.root, csv_file=data, today=dt.date(2026, 12, 4))
    assert (done.rows, done.checked, done.kept) == (3, 2, 2)
    listed, problems = load_retractions(cited.root)
    assert problems == []
    assert listed.origin == "a copy of the Retraction Watch CSV read from retraction_watch.csv"
    assert listed.retrieved == "2026-12-04"
    assert listed.sha256 == hashlib.sha256(data.read_bytes()).hexdigest()
    assert (listed.rows, listed.checked) == (3, 2)
    # Record 9 is about no source of the corpus; the others in record order, dates made ISO.
    assert [(e.record, e.nature, e.date, e.doi, e.pmid) for e in listed.entries] == [
        ("7", "retraction", "2021-03-04", "10.1000/t.1", ""),
        ("8", "correction", "2021-02-02", "", "12345"),
    ]
    assert listed.entries[0].notice_doi == "10.1000/notice.7"
    assert listed.entries[0].reason == "+Concerns about data;"
    # The same data gives the same file.
    before = (cited.root / "retractions.yaml").read_bytes()
    refresh(cited.root, csv_file=data, today=dt.date(2026, 12, 4))
    assert (cited.root / "retractions.yaml").read_bytes() == before


def test_the_check_reports_a_retracted_and_a_corrected_study(
    cited: CorpusBuilder, tmp_path: Path
) -> None:
    refresh(cited.root, csv_file=write_csv(tmp_path / "rw.csv"))
    found = [f for f in check(cited.root).findings if f.code in ("KG904", "KG905")]
    assert [(f.code, f.severity.value, Path(f.path).name, f.line) for f in found] == [
        ("KG904", "warning", "ketamine-acts-on-glutamate.yaml", 17),
        ("KG905", "note", "ketamine-acts-on-glutamate.yaml", 17),
    ]
    assert found[0].message == (
        "claim 'ketamine-acts-on-glutamate' cites 'smith-2020-trial', which has a retraction "
        "(2021-03-04, Retraction Watch record 7, notice doi:10.1000/notice.7)"
    )
    result = CliRunner().invoke(main, ["check", "--strict", str(cited.root)])
    assert result.exit_code == 1 and "KG904" in result.output


def test_a_reinstatement_and_an_unmatched_notice_say_nothing(cited: CorpusBuilder) -> None:
    cited.root.joinpath("retractions.yaml").write_text(
        "entries:\n"
        '  - {doi: "https://doi.org/10.1000/T.1", nature: reinstatement}\n'
        '  - {doi: "10.1000/other", nature: retraction}\n',
        encoding="utf-8",
    )
    codes = {f.code for f in check(cited.root).findings}
    assert not codes & {"KG904", "KG905", "KG906"}


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("origin: x\nsource: y\n", 2, "unknown field 'source'"),
        ("entries:\n  - {doi: 10.1000/a, nature: withdrawn}\n", 2, "nature 'withdrawn' is none"),
        ("entries:\n  - nature: retraction\n    title: t\n", 2, "neither a doi nor a pmid"),
        ("origin: x\nentries: 3\n", 2, "entries must be a list"),
        ("rows: many\n", 1, "rows must be a whole number"),
        ("entries:\n  - just a string\n", 2, "is not a mapping"),
    ],
)
def test_a_bad_list_is_an_error_with_its_line(
    corpus: CorpusBuilder, tmp_path: Path, text: str, line: int, says: str
) -> None:
    corpus.root.joinpath("retractions.yaml").write_text(text, encoding="utf-8")
    (found,) = [f for f in check(corpus.root).findings if f.code == "KG906"]
    assert (Path(found.path).name, found.line) == ("retractions.yaml", line)
    assert says in found.message
    result = CliRunner().invoke(main, ["build", str(corpus.root), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "nothing was built" in result.output
    assert "Traceback" not in result.output


def test_a_list_linking_out_of_the_corpus_is_not_read(
    corpus: CorpusBuilder, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("entries: []\n", encoding="utf-8")
    corpus.root.joinpath("retractions.yaml").symlink_to(outside)
    (found,) = [f for f in check(corpus.root).findings if f.code == "KG906"]
    assert "links outside the corpus" in found.message


def test_a_list_that_is_no_yaml_is_reported_by_the_reader(corpus: CorpusBuilder) -> None:
    corpus.root.joinpath("retractions.yaml").write_text("entries: [a\n", encoding="utf-8")
    found = [f for f in check(corpus.root).findings if f.path.endswith("retractions.yaml")]
    assert [f.code for f in found] == ["KG101"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_refresh_offline_fails_in_one_line_and_keeps_the_list(cited: CorpusBuilder) -> None:
    pinned = cited.root / "retractions.yaml"
    pinned.write_text("origin: kept\nentries: []\n", encoding="utf-8")
    url = f"http://127.0.0.1:{_closed_port()}/retraction_watch.csv"
    with pytest.raises(RefreshFailed, match="cannot download the retraction data from"):
        refresh(cited.root, url=url)
    assert pinned.read_text(encoding="utf-8") == "origin: kept\nentries: []\n"
    with pytest.raises(RefreshFailed, match="no http"):
        refresh(cited.root, url="file:///etc/passwd")


def test_refresh_command_reads_a_copy_and_refuses_bad_data(
    cited: CorpusBuilder, tmp_path: Path
) -> None:
    result = refresh_cli(cited.root, "--csv", str(write_csv(tmp_path / "rw.csv")))
    assert result.exit_code == 0, result.output
    assert result.output.endswith(
        "retractions.yaml: 2 notice(s) about the corpus's sources, from 3 rows compared with "
        "2 identifiers\n"
    )
    before = (cited.root / "retractions.yaml").read_bytes()
    (tmp_path / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = refresh_cli(cited.root, "--csv", str(tmp_path / "other.csv"))
    assert result.exit_code == 1
    assert "not the Retraction Watch CSV: no column RetractionNature" in result.output
    result = refresh_cli(cited.root, "--csv", str(tmp_path / "missing.csv"))
    assert result.exit_code == 1 and "cannot read" in result.output
    result = refresh_cli(cited.root, "--url", f"http://127.0.0.1:{_closed_port()}/rw.csv")
    assert result.exit_code == 1 and "Error: cannot download the retraction data" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert (cited.root / "retractions.yaml").read_bytes() == before


def test_the_project_list_is_honest_about_where_it_came_from() -> None:
    listed, problems = load_retractions(REPO / "claims")
    assert problems == []
    assert listed.origin == "none: never refreshed" and listed.retrieved == "never"
    assert listed.entries == [] and listed.rows == 0


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.mark.browser
def test_the_site_marks_the_claim_and_the_source(
    cited: CorpusBuilder, tmp_path: Path, browser: Browser
) -> None:
    refresh(cited.root, csv_file=write_csv(tmp_path / "rw.csv"), today=dt.date(2026, 12, 4))
    out = tmp_path / "site"
    build(cited.root, out)
    page = browser.new_page()
    page.goto((out / "claim" / "ketamine-acts-on-glutamate.html").as_uri())
    box = page.locator(".withdrawn")
    assert box.locator(".withdrawn-title").inner_text().startswith("Withdrawn evidence")
    items = box.locator("li").all_inner_texts()
    assert items[0].startswith("smith-2020-trial: retraction on 2021-03-04 (Retraction Watch")
    assert items[1].startswith("smith-2020-trial: correction on 2021-02-02")
    assert "retrieved 2026-12-04" in box.locator(".provenance").inner_text()
    box.locator("a", has_text="smith-2020-trial").first.click()
    assert page.url.endswith("source/smith-2020-trial.html")
    assert page.locator(".withdrawn-title").inner_text() == (
        "Retracted: this paper has a retraction notice"
    )
    notices = page.locator(".withdrawn li").all_inner_texts()
    assert [n.split(" on ")[0] for n in notices] == ["retraction", "correction"]
    assert page.locator(".withdrawn a", has_text="the notice").first.get_attribute("href") == (
        "https://doi.org/10.1000/notice.7"
    )
    page.goto((out / "source" / "article-a.html").as_uri())
    assert page.locator(".withdrawn").count() == 0
    page.close()
