"""The site's review state, last change and history pages, from a small git history built in
tmp_path commit by commit: what each revision records, that a fresh clone builds the same
bytes, and what a reader sees in a real headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, sync_playwright

from kgraph.build import build
from kgraph.cli import main
from kgraph.corpus.revisions import NOT_IN_GIT
from kgraph.history.log import corpus_history
from kgraph.site.browser import CHROMIUM, launch_chromium
from tests.conftest import CorpusBuilder
from tests.test_build import tree_digest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CLAIM = "claims/ketamine-acts-on-glutamate.yaml"
CID = "ketamine-acts-on-glutamate"


def git(repo: Path, *args: str, author: str = "Ada Lovelace", day: str = "2026-01-01") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": f"{author.split()[0].lower()}@example.org",
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": "ci@example.org",
        "GIT_AUTHOR_DATE": f"{day}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env
    )
    return done.stdout.strip()


def commit_all(repo: Path, message: str, author: str = "Ada Lovelace", day: str = "") -> str:
    git(repo, "add", "-A", author=author)
    git(repo, "commit", "-qm", message, author=author, day=day or "2026-01-01")
    return git(repo, "rev-parse", "HEAD")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def history_repo(corpus: CorpusBuilder) -> tuple[Path, list[str]]:
    """The minimal corpus in git: added by Ada (ES-4), a second study added and the level
    lowered by Grace, then reviewed by Ada (a commit of the review block only)."""
    root = corpus.root
    git(root, "init", "-q", "-b", "main")
    shas = [commit_all(root, "the claim", day="2026-01-01")]
    corpus.study("jones-2021-trial")
    edit(
        root / CLAIM,
        "      excerpt:",
        '      excerpt: "ketamine acted on the glutamate system"\n'
        "    - source: jones-2021-trial\n      finding: Found it too.\n      direction: supports\n"
        "      excerpt:",
    )
    edit(root / CLAIM, "level: ES-4", "level: ES-3")
    edit(
        root / CLAIM,
        "{rating: none, reason: one trial}",
        "{rating: serious, reason: effect sizes differ}",
    )
    edit(root / CLAIM, "rationale: Trials agree.", "rationale: Two trials agree, one is small.")
    shas.append(commit_all(root, "a second trial; level lowered", "Grace Hopper", "2026-02-02"))
    result = CliRunner().invoke(
        main, ["review", CID, "--by", "Ada Lovelace", "--date", "2026-03-03", "--root", str(root)]
    )
    assert result.exit_code == 0, result.output
    shas.append(commit_all(root, "review", "Ada Lovelace", "2026-03-03"))
    return root, shas


def test_each_revision_records_level_direction_sources_and_commit(
    history_repo: tuple[Path, list[str]],
) -> None:
    root, shas = history_repo
    history = corpus_history(root)
    assert history.missing is None
    revs = history.of(CID)
    assert [r.commit.sha for r in revs] == shas[::-1]
    assert [r.change for r in revs] == ["changed", "changed", "added"]
    assert [r.level for r in revs] == ["ES-3", "ES-3", "ES-4"]
    assert [r.commit.author for r in revs] == ["Ada Lovelace", "Grace Hopper", "Ada Lovelace"]
    assert [r.commit.day for r in revs] == ["2026-03-03", "2026-02-02", "2026-01-01"]
    assert revs[0].review == "reviewed" and revs[1].review == "draft"
    assert revs[1].references == ("smith-2020-trial", "jones-2021-trial")
    assert revs[2].references == ("smith-2020-trial",)
    assert revs[0].sources == ("article-a",)
    # The review commit changed no content: the last change is Grace's.
    last = history.last_change(CID)
    assert last is not None and last.commit.sha == shas[1]
    assert last.commit.subject == "a second trial; level lowered"


def test_a_renamed_file_keeps_its_history_and_a_deleted_claim_is_recorded(
    history_repo: tuple[Path, list[str]],
) -> None:
    root, shas = history_repo
    git(root, "mv", CLAIM, "claims/moved.yaml")
    shas.append(commit_all(root, "moved", day="2026-04-04"))
    revs = corpus_history(root).of(CID)
    assert [r.commit.sha for r in revs] == shas[::-1]
    assert revs[0].path == "claims/moved.yaml" and revs[0].change == "added"
    (root / "claims/moved.yaml").unlink()
    gone = commit_all(root, "removed", day="2026-05-05")
    revs = corpus_history(root).of(CID)
    assert revs[0].commit.sha == gone and revs[0].change == "deleted"


def test_the_history_comes_from_commits_only(history_repo: tuple[Path, list[str]]) -> None:
    """An uncommitted edit changes no revision; a folder inside the corpus finds it."""
    root, _ = history_repo
    before = corpus_history(root)
    edit(root / CLAIM, "level: ES-3", "level: ES-2")
    after = corpus_history(root)
    assert after.revisions == before.revisions
    assert corpus_history(root / "claims").revisions == before.revisions


def test_outside_git_the_history_says_so(corpus: CorpusBuilder, tmp_path: Path) -> None:
    history = corpus_history(corpus.root)
    assert history.missing == NOT_IN_GIT and history.revisions == {}
    out = tmp_path / "site"
    build(corpus.root, out)
    page = (out / "claim" / f"{CID}.html").read_text(encoding="utf-8")
    assert "not in git" in page
    assert not (out / "history").exists()


def test_a_fresh_clone_builds_the_same_site(
    history_repo: tuple[Path, list[str]], tmp_path: Path
) -> None:
    root, _ = history_repo
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(root), str(clone)], check=True)
    build(root, tmp_path / "a")
    build(clone, tmp_path / "b")
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert (tmp_path / "a" / "history" / f"{CID}.html").is_file()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.mark.browser
def test_a_reader_sees_the_review_and_follows_the_history(
    history_repo: tuple[Path, list[str]], tmp_path: Path, browser: Browser
) -> None:
    root, shas = history_repo
    out = tmp_path / "site"
    build(root, out)
    page = browser.new_page()
    page.goto((out / "claim" / f"{CID}.html").as_uri())
    box = page.locator("#review-history")
    state = box.locator(".review-state")
    assert state.inner_text() == (
        "reviewed by Ada Lovelace on 2026-03-03; current: the claim and the 3 source(s) it "
        "rests on are as reviewed"
    )
    assert "state-current" in (state.get_attribute("class") or "")
    assert box.locator(".last-change").inner_text() == (
        f"2026-02-02 by Grace Hopper, commit {shas[1][:12]}: a second trial; level lowered"
    )
    box.locator("a.history-link").click()
    assert page.url.endswith(f"history/{CID}.html")
    rows = page.locator("table.history-table tbody tr")
    assert rows.count() == 3
    cells = [[c.strip() for c in rows.nth(i).locator("td").all_inner_texts()] for i in range(3)]
    assert [c[0] for c in cells] == [s[:12] for s in shas[::-1]]
    assert [c[4] for c in cells] == ["ES-3", "ES-3", "ES-4"]
    assert cells[0][3] == "changed (review block only)"
    assert cells[1][2] == "Grace Hopper" and cells[1][8] == "a second trial; level lowered"
    assert "added: jones-2021-trial" in cells[1][6]
    assert rows.nth(1).locator("td.moved").inner_text() == "ES-3"
    page.locator("a", has_text="Back to the claim").click()
    assert page.url.endswith(f"claim/{CID}.html")
    page.close()


@pytest.mark.browser
def test_a_stale_review_reads_as_stale(
    history_repo: tuple[Path, list[str]], tmp_path: Path, browser: Browser
) -> None:
    root, _ = history_repo
    edit(root / CLAIM, "rationale: Two trials agree", "rationale: Two trials agree well")
    commit_all(root, "reworded", "Ada Lovelace", "2026-04-04")
    out = tmp_path / "site"
    build(root, out)
    page = browser.new_page()
    page.goto((out / "claim" / f"{CID}.html").as_uri())
    state = page.locator("#review-history .review-state")
    assert state.inner_text() == (
        "reviewed by Ada Lovelace on 2026-03-03; stale: changed since: the claim"
    )
    assert "state-stale" in (state.get_attribute("class") or "")
    assert (
        page.locator("#review-history .last-change")
        .inner_text()
        .startswith("2026-04-04 by Ada Lovelace")
    )
    page.close()
