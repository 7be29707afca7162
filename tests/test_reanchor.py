"""When an article changes: `kgraph reanchor SNAPSHOT NEWTEXT` says where each quote stands in
the new text (kept, moved, changed with the difference, orphaned), scored as Hypothesis scores
anchors, and re-pins the snapshot only when asked and only when no quote would break."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

import kgraph
from kgraph.cli import main
from kgraph.corpus.anchors import anchor_quote
from kgraph.corpus.load import load
from kgraph.corpus.reanchor import (
    CHANGED,
    KEPT,
    MOVED,
    ORPHANED,
    ReanchorError,
    match_quote,
    reanchor,
    repin,
    word_diff,
)
from tests.conftest import ARTICLE_TEXT, CorpusBuilder, claim_yaml

BLOCKING = "Ketamine primarily works by blocking the NMDA receptor—a fact."


@pytest.fixture
def two_quotes(corpus: CorpusBuilder) -> CorpusBuilder:
    """The minimal corpus with a second claim quoting the article's third line."""
    corpus.entity("nmda-receptor")
    corpus.claim(
        "ketamine-blocks-nmda",
        claim_yaml("ketamine-blocks-nmda", quote=BLOCKING).replace(
            "object: glutamate-system", "object: nmda-receptor"
        ),
    )
    assert kgraph.check(corpus.root).errors == 0
    return corpus


def _run(b: CorpusBuilder, new: str, *extra: str) -> tuple[int, str, Path]:
    path = b.root.parent / "new.txt"
    path.write_text(new, encoding="utf-8")
    snapshot = b.root / "snapshots" / "article.txt"
    result = CliRunner().invoke(
        main, ["reanchor", str(snapshot), str(path), "--root", str(b.root), *extra]
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.output, path


def _statuses(b: CorpusBuilder, new: str) -> dict[str, tuple[str, int | None, str]]:
    path = b.root.parent / "new.txt"
    path.write_text(new, encoding="utf-8")
    result = reanchor(load(b.root), b.root / "snapshots" / "article.txt", path)
    return {q.claim: (q.status, q.new.start if q.new else None, q.diff) for q in result.quotes}


def test_an_unchanged_article_keeps_every_quote(two_quotes: CorpusBuilder) -> None:
    code, output, _ = _run(two_quotes, ARTICLE_TEXT)
    assert code == 0
    assert output.splitlines()[-1] == (
        "2 quote(s) of article-a: 2 kept, 0 moved, 0 changed, 0 orphaned"
    )


def test_text_added_above_moves_the_quotes(two_quotes: CorpusBuilder) -> None:
    new = "A new first paragraph.\n" + ARTICLE_TEXT
    found = _statuses(two_quotes, new)
    assert found["ketamine-acts-on-glutamate"] == (MOVED, 23, "")
    assert found["ketamine-blocks-nmda"][:2] == (MOVED, new.index(BLOCKING))
    code, output, _ = _run(two_quotes, new)
    assert code == 0 and "moved    ketamine-acts-on-glutamate #0 (article-a) 0 -> 23" in output


def test_an_edited_quote_is_changed_with_the_difference(two_quotes: CorpusBuilder) -> None:
    new = ARTICLE_TEXT.replace("primarily works by blocking", "works mainly by blocking")
    found = _statuses(two_quotes, new)
    status, start, diff = found["ketamine-blocks-nmda"]
    assert (status, start) == (CHANGED, new.index("Ketamine works mainly"))
    assert diff == "Ketamine [-primarily-] works {+mainly+} by blocking the NMDA receptor—a fact."
    assert found["ketamine-acts-on-glutamate"][0] == KEPT
    # Hypothesis's score: quote 50, prefix 20, suffix 20 (both intact), position 2 (unmoved).
    from rapidfuzz.distance import Levenshtein

    errors = Levenshtein.distance(BLOCKING, BLOCKING.replace("primarily works", "works mainly"))
    expected = (50 * (1 - errors / len(BLOCKING)) + 20 + 20 + 2) / 92
    result = reanchor(
        load(two_quotes.root),
        two_quotes.root / "snapshots" / "article.txt",
        _run(two_quotes, new)[2],
    )
    assert result.quotes[1].score == round(expected, 4)
    code, output, _ = _run(two_quotes, new)
    assert code == 1
    assert f"changed  ketamine-blocks-nmda #0 (article-a) at 96, score {expected:.2f}" in output


def test_a_removed_passage_orphans_its_quote(two_quotes: CorpusBuilder) -> None:
    new = ARTICLE_TEXT.replace(BLOCKING + "\n", "")
    found = _statuses(two_quotes, new)
    assert found["ketamine-blocks-nmda"] == (ORPHANED, None, "")
    code, output, _ = _run(two_quotes, new)
    assert code == 1 and "not found: 'Ketamine primarily works" in output


def test_of_two_occurrences_the_one_in_its_old_context_wins() -> None:
    old = "Intro. The drug helps. Ketamine blocks NMDA receptors. Then more.\n"
    anchor = anchor_quote(old, "Ketamine blocks NMDA receptors.")
    assert anchor is not None
    # The same sentence now stands twice; the second keeps its old neighbours.
    new = "Ketamine blocks NMDA receptors. Other words here.\n" + old
    match = match_quote(new, anchor)
    assert match is not None and match.errors == 0
    assert match.start == new.index("Ketamine", 10)
    # Approximate too: both copies edited, the one with the old context is chosen.
    edited = new.replace("blocks NMDA", "blocks the NMDA")
    fuzzy = match_quote(edited, anchor)
    assert fuzzy is not None and fuzzy.errors == 4
    assert fuzzy.start == edited.index("Ketamine", 10)
    assert 0.9 < fuzzy.score < 1.0


def test_a_quote_too_far_gone_is_not_matched() -> None:
    anchor = anchor_quote("Ketamine blocks NMDA receptors.", "Ketamine blocks NMDA receptors.")
    assert anchor is not None
    assert match_quote("Something else entirely, about cats and dogs.", anchor) is None


def test_word_diff() -> None:
    assert word_diff("a b c d", "a x c d e") == "a [-b-] {+x+} c d {+e+}"


def test_write_repins_the_snapshot_and_its_hash_and_the_corpus_checks_clean(
    two_quotes: CorpusBuilder,
) -> None:
    record = two_quotes.root / "sources" / "article-a.yaml"
    before = record.read_text(encoding="utf-8")
    new = "A new first paragraph.\n" + ARTICLE_TEXT
    code, output, path = _run(two_quotes, new, "--write")
    assert code == 0, output
    snapshot = two_quotes.root / "snapshots" / "article.txt"
    assert snapshot.read_bytes() == path.read_bytes()
    old_hash = hashlib.sha256(ARTICLE_TEXT.encode()).hexdigest()
    new_hash = hashlib.sha256(new.encode()).hexdigest()
    assert record.read_text(encoding="utf-8") == before.replace(old_hash, new_hash)
    assert output.splitlines()[-1].startswith("re-pinned: ")
    assert kgraph.check(two_quotes.root).errors == 0


def test_write_is_refused_while_a_quote_would_break_and_nothing_is_touched(
    two_quotes: CorpusBuilder,
) -> None:
    files = {p: p.read_bytes() for p in two_quotes.root.rglob("*") if p.is_file()}
    new = ARTICLE_TEXT.replace(BLOCKING + "\n", "")
    code, output, _ = _run(two_quotes, new, "--write")
    assert code == 1
    assert output.splitlines()[-1] == (
        f"Error: {two_quotes.root / 'snapshots' / 'article.txt'}: not re-pinned: 1 quote(s) "
        "changed or orphaned; update those claims' quotes to the new text, then run again"
    )
    assert {p: p.read_bytes() for p in two_quotes.root.rglob("*") if p.is_file()} == files


def test_a_file_no_source_pins_and_a_new_text_that_is_not_utf8(
    two_quotes: CorpusBuilder, tmp_path: Path
) -> None:
    stray = tmp_path / "stray.txt"
    stray.write_text("x", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(
        main, ["reanchor", str(stray), str(stray), "--root", str(two_quotes.root)]
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {stray}: no source of the corpus at {two_quotes.root} pins this snapshot\n"
    )
    binary = tmp_path / "new.bin"
    binary.write_bytes(b"\xff\xfe")
    snapshot = two_quotes.root / "snapshots" / "article.txt"
    result = runner.invoke(
        main, ["reanchor", str(snapshot), str(binary), "--root", str(two_quotes.root)]
    )
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {binary}: the new text is not UTF-8 text")
    with pytest.raises(ReanchorError):
        repin(load(two_quotes.root), reanchor(load(two_quotes.root), snapshot, stray))
