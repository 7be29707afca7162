"""`kgraph diff`: a small git history built in tmp_path, commit by commit, and what a reviewer
reads of each change in text, Markdown and JSON; the CI rule firing and not; the errors."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kgraph.cli import main
from kgraph.history import RULES
from tests.conftest import REPO, CorpusBuilder, claim_yaml, tree


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, CorpusBuilder]:
    """A project with claims/ holding the minimal corpus, committed once."""
    proj = tmp_path / "proj"
    b = CorpusBuilder(proj / "claims").minimal()
    git(proj, "init", "-q")
    git(proj, "config", "user.email", "a@example.org")
    git(proj, "config", "user.name", "A")
    commit(proj, "the minimal corpus")
    return proj, b


def commit(proj: Path, message: str) -> str:
    git(proj, "add", "-A")
    git(proj, "commit", "-qm", message)
    return git(proj, "rev-parse", "--short", "HEAD")


def run(proj: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["diff", *args, "--root", str(proj)])
    assert "Traceback" not in result.output
    return result


def as_json(proj: Path, *args: str) -> dict:
    result = run(proj, *args, "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


ARTICLE_2 = "Ketamine blocks the NMDA receptor.\nKetamine lifts mood within hours.\n"


def second_claim(rid: str, quote: str, statement: str, predicate: str = "modulates") -> str:
    text = claim_yaml(rid, quote=quote).replace("Ketamine acts on the glutamate system.", statement)
    return text.replace("predicate: acts_on", f"predicate: {predicate}")


def test_an_added_claim_and_a_removed_one(repo: tuple[Path, CorpusBuilder]) -> None:
    proj, b = repo
    b.claim(
        "ketamine-changes-glutamate",
        second_claim(
            "ketamine-changes-glutamate",
            "It may promote dendritic growth in some people.",
            "Ketamine may promote dendritic growth.",
        ),
    )
    commit(proj, "a claim added")
    text = run(proj, "HEAD~1", "HEAD")
    assert text.exit_code == 0
    assert (
        "added    ketamine-changes-glutamate: ES-4 supports: Ketamine may promote dendritic growth."
        in text.output
    )
    assert "1 added, 0 changed (0 regraded)" in text.output
    (b.root / "claims/ketamine-changes-glutamate.yaml").unlink()
    commit(proj, "and removed")
    out = as_json(proj, "HEAD~1", "HEAD")
    assert out["removed"] == [
        {
            "id": "ketamine-changes-glutamate",
            "grade": "ES-4 supports",
            "statement": "Ketamine may promote dendritic growth.",
        }
    ]
    assert out["added"] == [] and out["counts"]["removed"] == 1
    md = run(proj, "HEAD~1", "HEAD", "--format", "markdown").output
    assert (
        "| removed | `ketamine-changes-glutamate` | ES-4 supports: Ketamine may promote dendritic growth. |  |"
        in md
    )
    # The working tree was never touched: the revisions were read with git archive.
    assert git(proj, "status", "--porcelain") == ""


def test_a_merge_and_a_split_are_followed_by_quotes(repo: tuple[Path, CorpusBuilder]) -> None:
    proj, b = repo
    growth = "It may promote dendritic growth in some people."
    b.claim(
        "ketamine-grows-dendrites",
        second_claim("ketamine-grows-dendrites", growth, "Ketamine grows dendrites."),
    )
    commit(proj, "two claims")
    # Merged: the second claim's record goes, its quote now sits in the first claim.
    first = claim_yaml().replace(
        "    locator: paragraph 1\n",
        f'    locator: paragraph 1\n  - source: article-a\n    quote: "{growth}"\n'
        "    locator: paragraph 2\n",
    )
    b.claim("ketamine-acts-on-glutamate", first)
    (b.root / "claims/ketamine-grows-dendrites.yaml").unlink()
    commit(proj, "merged")
    out = as_json(proj, "HEAD~1", "HEAD")
    assert out["merged"] == [
        {
            "from": "ketamine-grows-dendrites",
            "into": "ketamine-acts-on-glutamate",
            "quotes": 1,
            "of": 1,
        }
    ]
    assert out["removed"] == []
    text = run(proj, "HEAD~1", "HEAD").output
    assert (
        "merged   ketamine-grows-dendrites into ketamine-acts-on-glutamate (1 of 1 quote(s) followed)"
        in text
    )
    assert f'  quote of article-a added: "{growth}"' in text
    # Split: the merged claim's second quote goes to a new claim again, under a new id.
    b.claim("ketamine-acts-on-glutamate", claim_yaml())
    b.claim(
        "dendrites-grow",
        second_claim("dendrites-grow", growth, "Dendrites grow under ketamine."),
    )
    commit(proj, "split")
    out = as_json(proj, "HEAD~1", "HEAD")
    assert out["split"] == [
        {
            "from": "ketamine-acts-on-glutamate",
            "into": ["ketamine-acts-on-glutamate", "dendrites-grow"],
        }
    ]
    assert out["added"] == []
    md = run(proj, "HEAD~1", "HEAD", "--format", "markdown").output
    assert (
        "| split | `ketamine-acts-on-glutamate` |  | into `ketamine-acts-on-glutamate`, `dendrites-grow` |"
        in md
    )


def test_a_renamed_claim_is_one_claim(repo: tuple[Path, CorpusBuilder]) -> None:
    proj, b = repo
    (b.root / "claims/ketamine-acts-on-glutamate.yaml").unlink()
    b.claim("ketamine-works-on-glutamate", claim_yaml("ketamine-works-on-glutamate"))
    commit(proj, "renamed")
    out = as_json(proj, "HEAD~1", "HEAD")
    assert out["renamed"] == [
        {"from": "ketamine-acts-on-glutamate", "to": "ketamine-works-on-glutamate", "quotes": 1}
    ]
    assert out["added"] == out["removed"] == []


def test_a_level_change_with_its_reason_a_quote_and_a_source(
    repo: tuple[Path, CorpusBuilder],
) -> None:
    proj, b = repo
    b.study("jones-2021-trial")
    path = b.root / "claims/ketamine-acts-on-glutamate.yaml"
    text = claim_yaml().replace("level: ES-4", "level: ES-5")
    text = text.replace(
        "{rating: serious, reason: 20 people}", "{rating: none, reason: 400 people}"
    )
    text = text.replace("    - source: smith-2020-trial", "    - source: jones-2021-trial")
    text = text.replace(
        "Ketamine works on the brain’s glutamate system.", "Ketamine works on the brain’s glutamate"
    )
    path.write_text(text, encoding="utf-8")
    commit(proj, "regraded")
    result = run(proj, "HEAD~1", "HEAD")
    assert result.exit_code == 0, result.output  # a reference was added: the rise is supported
    lines = result.output.splitlines()
    at = lines.index("changed  ketamine-acts-on-glutamate")
    assert lines[at + 1 : at + 6] == [
        "  level ES-4 -> ES-5 (rises 1); changed: references, GRADE domains",
        "  references added: jones-2021-trial",
        "  references dropped: smith-2020-trial",
        "  GRADE imprecision: serious -> none",
        '  quote of article-a changed: "Ketamine works on the brain’s glutamate system." -> "Ketamine works on the brain’s glutamate"',
    ]
    assert "source records added: jones-2021-trial; dropped: none" in result.output
    out = as_json(proj, "HEAD~1", "HEAD")
    (change,) = out["changed"]
    assert change["level"] == {"old": "ES-4", "new": "ES-5", "rise": 1}
    assert change["reasons"] == ["references", "GRADE domains"]
    assert change["domains"] == [{"domain": "imprecision", "old": "serious", "new": "none"}]
    md = run(proj, "HEAD~1", "HEAD", "--format", "markdown").output
    assert "  - level ES-4 -> ES-5 (rises 1); changed: references, GRADE domains" in md
    assert "  - references added: `jones-2021-trial`" in md


def test_a_source_dropped_from_a_claim(repo: tuple[Path, CorpusBuilder]) -> None:
    proj, b = repo
    b.snapshot("article-2.txt", ARTICLE_2)
    b.article("article-b", snapshot="article-2.txt")
    extra = claim_yaml().replace(
        "    locator: paragraph 1\n",
        "    locator: paragraph 1\n  - source: article-b\n"
        '    quote: "Ketamine blocks the NMDA receptor."\n    locator: line 1\n',
    )
    b.claim("ketamine-acts-on-glutamate", extra)
    commit(proj, "two articles")
    b.claim("ketamine-acts-on-glutamate", claim_yaml())
    (b.root / "sources/article-b.yaml").unlink()
    commit(proj, "one article")
    text = run(proj, "HEAD~1", "HEAD").output
    assert "  sources dropped: article-b" in text
    assert "source records added: none; dropped: article-b" in text
    out = as_json(proj, "HEAD~1", "HEAD")
    assert out["changed"][0]["sources"] == {"added": [], "dropped": ["article-b"]}
    assert out["sources"]["dropped"] == ["article-b"]


def test_an_audit_finding_appearing(repo: tuple[Path, CorpusBuilder]) -> None:
    proj, b = repo
    # The article's own words now say "a fact" of an ES-3 claim: an overclaim, AU101.
    b.claim(
        "ketamine-acts-on-glutamate",
        claim_yaml(
            level="ES-3", quote="Ketamine primarily works by blocking the NMDA receptor—a fact."
        ),
    )
    commit(proj, "a boosted quote")
    out = as_json(proj, "HEAD~1", "HEAD")
    appeared = [a for a in out["audit"] if a["change"] == "appears"]
    assert any(
        a["claim"] == "ketamine-acts-on-glutamate" and a["code"] == "AU101" for a in appeared
    ), out["audit"]
    found = next(a for a in appeared if a["code"] == "AU101")
    assert found["where"].startswith("claims/ketamine-acts-on-glutamate.yaml:")
    text = run(proj, "HEAD~1", "HEAD").output
    assert f"  + AU101 {found['severity']} ketamine-acts-on-glutamate ({found['where']}): " in text
    md = run(proj, "HEAD~1", "HEAD", "--format", "markdown").output
    assert f"| appears | AU101 | {found['severity']} | `ketamine-acts-on-glutamate` |" in md
    # An error appearing breaks the audit-error rule, when asked for.
    assert run(proj, "HEAD~1", "HEAD", "--fail-on", "audit-error").exit_code == 1
    assert run(proj, "HEAD~1", "HEAD").exit_code == 0
    # Backwards, the same finding disappears.
    back = as_json(proj, "HEAD", "HEAD~1")
    assert any(a["code"] == "AU101" and a["change"] == "disappears" for a in back["audit"])


def test_the_rule_fires_on_a_level_raised_with_nothing_new(
    repo: tuple[Path, CorpusBuilder],
) -> None:
    proj, b = repo
    path = b.root / "claims/ketamine-acts-on-glutamate.yaml"
    path.write_text(
        claim_yaml()
        .replace("level: ES-4", "level: ES-5")
        .replace("{rating: serious, reason: 20 people}", "{rating: none, reason: enough}"),
        encoding="utf-8",
    )
    commit(proj, "raised")
    result = run(proj, "HEAD~1", "HEAD")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "rule broken: unsupported-rise: ketamine-acts-on-glutamate rises ES-4 -> ES-5 with no "
        "reference added and no search record added or re-run"
    )
    md = run(proj, "HEAD~1", "HEAD", "--format", "markdown")
    assert (
        md.exit_code == 1
        and "- **Rule broken: unsupported-rise**: ketamine-acts-on-glutamate" in md.output
    )
    assert run(proj, "HEAD~1", "HEAD", "--fail-on", "never").exit_code == 0
    assert run(proj, "HEAD~1", "HEAD", "--fail-on", "removed").exit_code == 0
    # Not fired: the search re-run (a new date) backs the rise; `rise` still fires on any rise.
    path.write_text(
        _with_search_date(path.read_text(encoding="utf-8"), "2020-01-01"),
        encoding="utf-8",
    )
    commit(proj, "search dated")
    path.write_text(
        _with_search_date(path.read_text(encoding="utf-8"), "2021-01-01").replace(
            "level: ES-5", "level: ES-4"
        ),
        encoding="utf-8",
    )
    commit(proj, "lowered")
    path.write_text(
        _with_search_date(path.read_text(encoding="utf-8"), "2022-01-01").replace(
            "level: ES-4", "level: ES-5"
        ),
        encoding="utf-8",
    )
    commit(proj, "re-searched and raised")
    kept = run(proj, "HEAD~1", "HEAD")
    assert kept.exit_code == 0, kept.output
    assert "  search record: re-run (2021-01-01 -> 2022-01-01)" in kept.output
    assert kept.output.splitlines()[-1] == "rules kept: unsupported-rise"
    assert run(proj, "HEAD~1", "HEAD", "--fail-on", "rise").exit_code == 1


def _with_search_date(text: str, date: str) -> str:
    head, rest = text.split("search: {date: ", 1)
    return head + f"search: {{date: {date}" + rest[rest.index(",") :]


def test_folders_and_the_working_corpus_are_sides_too(
    repo: tuple[Path, CorpusBuilder], tmp_path: Path
) -> None:
    proj, b = repo
    before = tree(proj)
    (b.root / "claims/ketamine-acts-on-glutamate.yaml").write_text(
        claim_yaml().replace("kind: mechanism", "kind: effect"), encoding="utf-8"
    )
    # NEW left out: the working corpus, uncommitted changes included.
    out = as_json(proj, "HEAD")
    assert out["changed"][0]["kind"] == {"old": "mechanism", "new": "effect"}
    assert out["new"]["label"].endswith("(working folder)")
    # Two folders, no git needed.
    copy = tmp_path / "copy"
    git(proj, "worktree", "add", "-q", str(copy))
    folder = as_json(proj, str(copy / "claims"), str(b.root))
    assert folder["changed"][0]["kind"] == {"old": "mechanism", "new": "effect"}
    assert {
        k: v for k, v in tree(proj).items() if "ketamine-acts" not in k and ".git" not in k
    } == {k: v for k, v in before.items() if "ketamine-acts" not in k and ".git" not in k}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-rev"], "'no-such-rev' is neither a folder nor a git revision of "),
        (["HEAD", "HEAD~5"], "'HEAD~5' is neither a folder nor a git revision of "),
    ],
)
def test_an_unknown_revision_is_one_line_exit_2(
    repo: tuple[Path, CorpusBuilder], args: list[str], message: str
) -> None:
    proj, _ = repo
    result = run(proj, *args)
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_a_folder_that_is_no_corpus_is_exit_2(
    repo: tuple[Path, CorpusBuilder], tmp_path: Path
) -> None:
    proj, _ = repo
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(proj, str(empty), "HEAD")
    assert result.exit_code == 2 and "holds no corpus" in result.output
    assert len(result.output.strip().splitlines()) == 1
    outside = tmp_path / "plain"
    CorpusBuilder(outside).minimal()
    result = CliRunner().invoke(main, ["diff", "HEAD", "--root", str(outside)])
    assert result.exit_code == 2 and "is in no git repository" in result.output


def test_a_revision_with_a_link_out_of_the_corpus_is_refused(
    repo: tuple[Path, CorpusBuilder],
) -> None:
    proj, b = repo
    (b.root / "snapshots" / "elsewhere.txt").symlink_to("/etc/hostname")
    commit(proj, "a link out")
    result = run(proj, "HEAD", "--fail-on", "never")
    assert result.exit_code == 2
    assert "cannot be read safely" in result.output and "elsewhere.txt" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_cli_offers_the_rules_the_library_has() -> None:
    option = next(p for p in main.commands["diff"].params if p.name == "fail_on")
    assert set(option.type.choices) == {*RULES, "never"}


def test_the_regrade_against_head_in_this_repository() -> None:
    """The re-grade's commit against HEAD: a real history, with levels that moved and why."""
    if subprocess.run(["git", "-C", str(REPO), "cat-file", "-e", "b3797a6^{commit}"]).returncode:
        pytest.skip("not a checkout holding the re-grade's history")
    result = CliRunner().invoke(
        main, ["diff", "b3797a6", "HEAD", "--root", str(REPO), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["old"]["claims"] == 110
    regraded = {c["id"]: c for c in out["changed"] if c["reasons"]}
    change = regraded["ketamine-administered-by-injection"]
    assert (change["level"]["old"], change["level"]["new"]) == ("ES-1", "ES-5")
    assert "references" in change["reasons"]
    assert any(s["from"] == "ketamine-rapid-shifts-mood-perception-emotion" for s in out["split"])
