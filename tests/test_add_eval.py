"""The leave-one-article-out evaluation of `kgraph add` on the project's corpus: its rank-1
merge proposals stay precise (README, "Adding an article"; scripts/eval_add.py prints the table)."""

from __future__ import annotations

import kgraph
from kgraph.curate.evaluate import corpus_without, evaluate, total
from kgraph.curate.propose import propose
from tests.conftest import REPO

ARTICLE = "article-001-science-behind-neuroplasticity"


def test_rank_1_merge_proposals_are_precise() -> None:
    scores = evaluate(kgraph.load(REPO / "claims"))
    assert [s.source for s in scores] == sorted(
        sid for sid in kgraph.load(REPO / "claims").coverage
    )
    all_articles = total(scores)
    assert all_articles.merges >= 10, "too few merge proposals to measure"
    assert all_articles.precision >= 0.85, all_articles.wrong
    # Every segment gets the locator the sentence maps record.
    assert all_articles.locators_map == all_articles.mapped == all_articles.segments


def test_the_article_left_out_is_really_out() -> None:
    corpus = kgraph.load(REPO / "claims")
    reduced = corpus_without(corpus, ARTICLE)
    assert not any(a.source == ARTICLE for c in reduced.claims.values() for a in c.sources)
    only_it = [
        cid for cid, c in corpus.claims.items() if {a.source for a in c.sources} == {ARTICLE}
    ]
    assert only_it and not set(only_it) & set(reduced.claims)
    # The loaded corpus itself is untouched.
    assert corpus.claims[only_it[0]].sources


def test_proposals_are_the_same_for_the_same_input() -> None:
    corpus = kgraph.load(REPO / "claims")
    reduced = corpus_without(corpus, ARTICLE)
    text = corpus.snapshot_texts[ARTICLE]
    first = [(p.action, p.claim, [m.claim_id for m in p.matches]) for p in propose(reduced, text)]
    again = [(p.action, p.claim, [m.claim_id for m in p.matches]) for p in propose(reduced, text)]
    assert first == again
