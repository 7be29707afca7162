"""Reviewing a claim: `kgraph review` writes only the review block, and `kgraph check` tells when
the review went stale or was the author's own (in a real git repository)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

import kgraph
from kgraph.cli import main
from kgraph.corpus.review import content_sha256, review_hashes
from tests.conftest import CorpusBuilder

CLAIM_ID = "ketamine-acts-on-glutamate"
CLAIM = f"claims/{CLAIM_ID}.yaml"


def review(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["review", CLAIM_ID, "--root", str(root), *args])


def review_findings(root: Path) -> list[kgraph.Finding]:
    return [f for f in kgraph.check(root).findings if f.code in ("KG901", "KG902", "KG903")]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_review_rewrites_only_the_review_block(corpus: CorpusBuilder) -> None:
    path = corpus.root / CLAIM
    # A comment and a field after the review block, which must survive byte for byte.
    edit(path, "review:\n  status: draft\n", "review:  # who read it\n  status: draft\n\n")
    path.write_text(path.read_text(encoding="utf-8") + "# kept\ntags: [one]\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    done = review(corpus.root, "--by", "Ada Lovelace", "--date", "2026-01-02", "--notes", "ok")
    assert done.exit_code == 0, done.output
    after = path.read_text(encoding="utf-8")
    head = before.split("review:", 1)[0]
    assert after.startswith(head)
    assert after.endswith("\n\n# kept\ntags: [one]\n")
    record = yaml.safe_load(after)
    loaded = kgraph.load(corpus.root)
    hashes = review_hashes(loaded, loaded.claims[CLAIM_ID])
    assert str(record["review"].pop("date")) == "2026-01-02"
    assert record["review"] == {
        "status": "reviewed",
        "reviewer": "Ada Lovelace",
        "notes": "ok",
        "hashes": {
            "claim": hashes.claim,
            "sources": hashes.sources,
            "snapshots": hashes.snapshots,
        },
    }
    assert set(hashes.sources) == {"article-a", "smith-2020-trial"}
    assert set(hashes.snapshots) == {"article-a", "smith-2020-trial"}
    # Everything but the review block is the record as it was.
    assert {k: v for k, v in record.items() if k != "review"} == {
        k: v for k, v in yaml.safe_load(before).items() if k != "review"
    }
    assert review_findings(corpus.root) == []
    assert kgraph.check(corpus.root).ok(strict=True)


def test_the_claim_hash_ignores_layout_and_comments(corpus: CorpusBuilder) -> None:
    assert review(corpus.root, "--by", "Ada").exit_code == 0
    path = corpus.root / CLAIM
    edit(path, "kind: mechanism\n", "# a comment\nkind: 'mechanism'\n")
    assert review_findings(corpus.root) == []
    assert content_sha256({"a": 1, "b": [2]}) == content_sha256({"b": [2], "a": 1})


@pytest.mark.parametrize(
    ("rel", "old", "new", "named"),
    [
        (CLAIM, "rationale: Trials agree.", "rationale: Trials disagree.", "the claim"),
        ("sources/article-a.yaml", "title: A clinic page", "title: A page", "source 'article-a'"),
        (
            "snapshots/smith-2020-trial-abstract.txt",
            "of 20 adults",
            "of 21 adults",
            "the snapshot of 'smith-2020-trial'",
        ),
    ],
)
def test_a_change_after_the_review_makes_it_stale_and_says_what(
    corpus: CorpusBuilder, rel: str, old: str, new: str, named: str
) -> None:
    assert review(corpus.root, "--by", "Ada").exit_code == 0
    edit(corpus.root / rel, old, new)
    (found,) = review_findings(corpus.root)
    assert found.code == "KG901" and found.severity == "warning"
    assert Path(found.path).resolve() == (corpus.root / CLAIM).resolve()
    assert found.line == 23
    assert found.message.endswith(f"changed since: {named}")


def test_a_warm_cached_check_still_sees_a_changed_source_and_snapshot(
    corpus: CorpusBuilder, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert review(corpus.root, "--by", "Ada").exit_code == 0
    assert kgraph.check(corpus.root, cache=cache).warnings == 0
    edit(corpus.root / "sources/smith-2020-trial.yaml", "n: 20", "n: 30")
    edit(corpus.root / "snapshots/article.txt", "in some people", "in many people")
    kgraph.check(corpus.root, cache=cache)  # warms the cache with the edited files
    found = [f for f in kgraph.check(corpus.root, cache=cache).findings if f.code == "KG901"]
    assert [f.message.split("changed since: ")[1] for f in found] == [
        "source 'smith-2020-trial', the snapshot of 'article-a'"
    ]


def test_reviewed_without_hashes_says_to_run_kgraph_review(corpus: CorpusBuilder) -> None:
    edit(corpus.root / CLAIM, "status: draft", "status: reviewed\n  reviewer: Ada")
    (found,) = review_findings(corpus.root)
    assert (found.code, found.line) == ("KG902", 23)
    assert f"kgraph review {CLAIM_ID} --by NAME" in found.hint


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--by", "  "], "the reviewer's name is empty"),
        (["--by", "Ada", "--date", "2026-13-01"], "Invalid value for '--date'"),
    ],
)
def test_review_refuses_bad_options(corpus: CorpusBuilder, args: list[str], says: str) -> None:
    before = (corpus.root / CLAIM).read_bytes()
    done = review(corpus.root, *args)
    assert done.exit_code == 2 and says in done.output
    assert "Traceback" not in done.output
    assert (corpus.root / CLAIM).read_bytes() == before


def test_review_refuses_an_unknown_id(corpus: CorpusBuilder) -> None:
    done = CliRunner().invoke(
        main, ["review", "ketamine-acts-on-glutamat", "--by", "Ada", "--root", str(corpus.root)]
    )
    assert done.exit_code == 2
    assert done.output.strip().splitlines() == [
        f"Error: no claim 'ketamine-acts-on-glutamat' in {corpus.root}: did you mean {CLAIM_ID!r}?"
    ]


def test_review_refuses_a_claim_with_check_errors(corpus: CorpusBuilder) -> None:
    edit(corpus.root / "sources/article-a.yaml", "kind: marketing", "kind: advert")
    before = (corpus.root / CLAIM).read_bytes()
    done = review(corpus.root, "--by", "Ada")
    assert done.exit_code == 2
    (line,) = done.output.strip().splitlines()
    assert "check error(s)" in line and "article-a.yaml:3: KG203" in line
    assert (corpus.root / CLAIM).read_bytes() == before


def test_review_appends_a_block_the_claim_lacks_and_keeps_crlf(corpus: CorpusBuilder) -> None:
    path = corpus.root / CLAIM
    text = path.read_text(encoding="utf-8").replace("review:\n  status: draft\n", "")
    path.write_bytes(text.replace("\n", "\r\n").encode())
    assert review(corpus.root, "--by", "Ada").exit_code == 0
    raw = path.read_bytes()
    assert raw.startswith(text.replace("\n", "\r\n").encode())
    assert b"\r\nreview:\r\n  status: reviewed\r\n" in raw and b"\n" not in raw.replace(
        b"\r\n", b""
    )
    assert review_findings(corpus.root) == []


# --- self-review, in a real git repository -------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str, author: str = "Ada Lovelace") -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": f"{author.split()[0].lower()}@example.org",
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": "ci@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def commit_all(repo: Path, author: str, message: str) -> None:
    git(repo, "add", "-A", author=author)
    git(repo, "commit", "-qm", message, author=author)


@pytest.fixture
def repo(corpus: CorpusBuilder) -> Path:
    """The minimal corpus as a git repository whose first commit Ada Lovelace wrote."""
    git(corpus.root, "init", "-q", "-b", "main")
    commit_all(corpus.root, "Ada Lovelace", "the claim")
    return corpus.root


@needs_git
def test_a_second_reader_is_no_self_review(repo: Path) -> None:
    assert review(repo, "--by", "Grace Hopper").exit_code == 0
    commit_all(repo, "Grace Hopper", "review")  # committing the review changes no content
    assert review_findings(repo) == []


@needs_git
def test_the_author_reviewing_their_own_change_is_reported(repo: Path) -> None:
    assert review(repo, "--by", "ada lovelace").exit_code == 0
    commit_all(repo, "Ada Lovelace", "review")
    (found,) = review_findings(repo)
    assert (found.code, found.severity, found.line) == ("KG903", "warning", 24)
    assert Path(found.path).resolve() == (repo / CLAIM).resolve()
    assert "ada lovelace reviewed claim" in found.message


@needs_git
def test_the_last_content_change_decides_not_the_first(repo: Path) -> None:
    edit(repo / CLAIM, "rationale: Trials agree.", "rationale: Two trials agree.")
    commit_all(repo, "Grace Hopper", "reword")
    assert review(repo, "--by", "Grace Hopper").exit_code == 0
    assert [f.code for f in review_findings(repo)] == ["KG903"]
    # Ada reviewing Grace's change is a second reader's review.
    assert review(repo, "--by", "Ada Lovelace").exit_code == 0
    commit_all(repo, "Ada Lovelace", "review")
    assert review_findings(repo) == []


@needs_git
def test_outside_git_and_without_git_self_review_is_quiet(
    corpus: CorpusBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert review(corpus.root, "--by", "Ada Lovelace").exit_code == 0
    assert review_findings(corpus.root) == []  # no repository
    git(corpus.root, "init", "-q", "-b", "main")
    commit_all(corpus.root, "Ada Lovelace", "all")
    assert [f.code for f in review_findings(corpus.root)] == ["KG903"]
    monkeypatch.setenv("PATH", "")
    assert review_findings(corpus.root) == []
