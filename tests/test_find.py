"""Finding the claim a sentence makes: paraphrases match, near misses do not, precision holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import kgraph
from kgraph import vocab
from kgraph.cli import main
from kgraph.text import lexicon
from kgraph.writers.find import DEFAULT_THRESHOLD, ClaimIndex, find
from kgraph.writers.matcher_eval import evaluate, load_labels, unknown_ids
from tests.conftest import REPO, CorpusBuilder

LABELS = REPO / "tests" / "data" / "draft_sentences.yaml"
HELDOUT = REPO / "tests" / "data" / "draft_sentences_heldout.yaml"
HELDOUT_2 = REPO / "tests" / "data" / "draft_sentences_heldout2.yaml"
HELDOUT_3 = REPO / "tests" / "data" / "draft_sentences_heldout3.yaml"
SETS = {"dev": LABELS, "heldout": HELDOUT, "heldout-2": HELDOUT_2, "heldout-3": HELDOUT_3}


def top(b: CorpusBuilder, text: str) -> str | None:
    matches = find(kgraph.load(b.root), text)
    return matches[0].claim_id if matches else None


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("Ketamine quiets the fear center.", "ketamine-dampens-amygdala"),
        ("Ketamine calms the brain's alarm system.", "ketamine-dampens-amygdala"),
        ("It dials down an overactive amygdala.", "ketamine-dampens-amygdala"),
        ("The medicine boosts brain-derived neurotrophic factor.", "ketamine-increases-bdnf"),
        ("Ketamine works by blocking NMDA receptors.", "ketamine-blocks-nmda"),
        ("Spravato is approved by the FDA for TRD.", "esketamine-approved-for-trd"),
        ("Ketamine relieves post-traumatic stress disorder.", "ketamine-treats-ptsd"),
        ("Some call ketamine a reset button for the brain.", "ketamine-is-a-reset"),
    ],
)
def test_a_paraphrase_finds_its_claim_through_synonyms(
    writers: CorpusBuilder, text: str, claim: str
) -> None:
    assert top(writers, text) == claim


@pytest.mark.parametrize(
    "text",
    [
        "Ketamine increases amygdala activity.",  # opposite direction
        "Ketamine lowers BDNF.",
        "Ketamine activates NMDA receptors.",
        "Ketamine does not block NMDA receptors.",  # negated
        "Esketamine blocks NMDA receptors.",  # another drug than the claim's
        "Ketamine is FDA-approved for PTSD.",  # an approval no claim records
        "Esketamine treats treatment-resistant depression.",  # effect, not the approval
        "Ketamine is approved for treatment-resistant depression.",  # ketamine is not esketamine
        "Ketamine worsens PTSD.",
        "Exercise increases BDNF.",  # a subject the corpus does not name
        "Ketamine shrinks the amygdala.",  # size, not activity
        "Our clinic offers free parking.",
        "Subscribe to our newsletter.",
    ],
)
def test_a_near_miss_or_unrelated_sentence_matches_nothing(
    writers: CorpusBuilder, text: str
) -> None:
    assert find(kgraph.load(writers.root), text) == []


def test_a_match_says_why_and_gives_level_and_primary_references(writers: CorpusBuilder) -> None:
    (match,) = find(kgraph.load(writers.root), "Ketamine quiets the fear center.", limit=1)
    assert match.level == "ES-3"
    assert match.direction == "mixed"
    assert match.references == ("duek-2023-amygdala",)
    why = " ".join(match.why)
    assert "'fear center'" in why
    assert "'quiets'" in why
    assert DEFAULT_THRESHOLD <= match.score <= 100


def test_limit_and_threshold_bound_the_list(writers: CorpusBuilder) -> None:
    index = ClaimIndex(kgraph.load(writers.root))
    text = "By blocking NMDA receptors, ketamine boosts BDNF."
    everything = index.find(text, limit=10, threshold=0)
    assert len(everything) >= 2
    assert [m.score for m in everything] == sorted((m.score for m in everything), reverse=True)
    assert len(index.find(text, limit=1, threshold=0)) == 1
    assert index.find(text, threshold=101) == []


def test_every_predicate_has_cue_words() -> None:
    assert lexicon.covered_predicates() == set(vocab.values(vocab.PREDICATES))


def test_stems_join_word_forms() -> None:
    assert {lexicon.stem(w) for w in ("blocks", "blocked", "blocking", "block")} == {"block"}
    assert lexicon.stem("increases") == lexicon.stem("increasing") == lexicon.stem("increase")
    assert lexicon.is_negated("Ketamine doesn't block NMDA receptors.")
    assert not lexicon.is_negated("Ketamine doesn't just numb symptoms.")


# --- the labelled set against the real corpus -------------------------------------------------


@pytest.fixture(scope="module")
def real_index() -> ClaimIndex:
    return ClaimIndex(kgraph.load(REPO / "claims"))


@pytest.mark.parametrize("labels", SETS.values(), ids=SETS.keys())
def test_labelled_set_is_large_and_names_real_claims(real_index: ClaimIndex, labels: Path) -> None:
    items = load_labels(labels)
    assert len(items) >= 50
    assert {it.group for it in items} == {"paraphrase", "near-miss", "unrelated"}
    assert unknown_ids(real_index, items) == [], "a labelled claim id is not in claims/"


@pytest.mark.parametrize("labels", SETS.values(), ids=SETS.keys())
def test_matcher_precision_on_the_real_corpus(real_index: ClaimIndex, labels: Path) -> None:
    ev = evaluate(real_index, load_labels(labels))
    wrong = [(o.item.text, o.predicted) for o in ev.outcomes if o.verdict == "fp"]
    assert ev.precision >= 0.9, f"precision {ev.precision:.3f}; wrong matches: {wrong}"
    # Matching nothing would be precise; the matcher must also find most paraphrases.
    assert ev.recall >= 0.6, f"recall {ev.recall:.3f}"


# --- the command line -------------------------------------------------------------------------


def test_cli_find_prints_ranked_claims_with_level_and_citations(writers: CorpusBuilder) -> None:
    result = CliRunner().invoke(
        main, ["find", "Ketamine quiets the fear center", "--root", str(writers.root)]
    )
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("1. ketamine-dampens-amygdala")
    assert "[ES-3 mixed]" in first
    assert "cite: Duek et al. 2023" in result.output


def test_cli_find_json(writers: CorpusBuilder) -> None:
    result = CliRunner().invoke(
        main,
        ["find", "Ketamine boosts BDNF", "--root", str(writers.root), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["text"] == "Ketamine boosts BDNF"
    assert payload["matches"][0]["claim"] == "ketamine-increases-bdnf"
    assert payload["matches"][0]["references"] == ["haile-2014-bdnf", "anonymous-trial"]


def test_cli_find_says_when_nothing_matches(writers: CorpusBuilder) -> None:
    result = CliRunner().invoke(main, ["find", "Free parking", "--root", str(writers.root)])
    assert result.exit_code == 0
    assert "no claim matches" in result.output


def test_cli_find_refuses_a_corpus_with_errors(writers: CorpusBuilder) -> None:
    (writers.root / "claims" / "ketamine-increases-bdnf.yaml").write_text(
        "id: ketamine-increases-bdnf\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["find", "Ketamine boosts BDNF", "--root", str(writers.root)])
    assert result.exit_code == 1
    assert "check error" in result.output
    assert "Traceback" not in result.output


def test_cli_find_without_a_corpus_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["find", "x", "--root", str(tmp_path)])
    assert result.exit_code == 2
    assert "holds no corpus" in result.output


# --- --explain: what nearly matched, and why not ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "claim", "reason"),
    [
        ("Ketamine increases amygdala activity.", "ketamine-dampens-amygdala",
         "'increases' (up) goes against the claim's decreases"),
        ("Ketamine does not block NMDA receptors.", "ketamine-blocks-nmda",
         "the sentence denies what the claim says"),
        ("Esketamine blocks NMDA receptors.", "ketamine-blocks-nmda",
         "the sentence is about 'esketamine', which the claim does not name"),
        ("Exercise increases BDNF.", "ketamine-increases-bdnf",
         "the subject is 'exercise', not ketamine"),
        ("Ketamine is FDA-approved for PTSD.", "ketamine-treats-ptsd",
         "the sentence speaks of an approval; the claim is treats"),
    ],
)  # fmt: skip
def test_explain_says_why_a_near_miss_was_refused(
    writers: CorpusBuilder, text: str, claim: str, reason: str
) -> None:
    index = ClaimIndex(kgraph.load(writers.root))
    assert index.find(text) == []
    rejected = {r.claim_id: r.reason for r in index.explain(text)}
    assert rejected.get(claim) == reason, rejected


def test_explain_lists_a_claim_below_the_threshold_with_its_score(writers: CorpusBuilder) -> None:
    index = ClaimIndex(kgraph.load(writers.root))
    text = "By blocking NMDA receptors, ketamine boosts BDNF."
    everything = index.find(text, limit=10, threshold=0)
    top = everything[0]
    rejected = index.explain(text, threshold=top.score + 1)
    assert rejected[0].claim_id == top.claim_id
    assert rejected[0].score == top.score
    assert rejected[0].reason == f"score {top.score:g} is below the threshold {top.score + 1:g}"


def test_cli_find_explain(writers: CorpusBuilder) -> None:
    args = ["find", "Ketamine increases amygdala activity", "--root", str(writers.root)]
    result = CliRunner().invoke(main, [*args, "--explain"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("no claim matches")
    assert lines[1] == "nearly matched, but not reported:"
    assert lines[2] == (
        "- ketamine-dampens-amygdala: 'increases' (up) goes against the claim's decreases"
    )
    payload = json.loads(CliRunner().invoke(main, [*args, "--explain", "--format", "json"]).output)
    assert payload["matches"] == []
    assert payload["rejected"][0]["claim"] == "ketamine-dampens-amygdala"
    assert "rejected" not in json.loads(
        CliRunner().invoke(main, [*args, "--format", "json"]).output
    )


def test_cli_draft_explain(writers: CorpusBuilder, tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_text("Ketamine increases amygdala activity.\n", encoding="utf-8")
    args = ["draft", str(path), "--root", str(writers.root)]
    result = CliRunner().invoke(main, [*args, "--explain"])
    assert result.exit_code == 0, result.output
    assert (
        "    not matched: ketamine-dampens-amygdala: 'increases' (up) goes against the claim's "
        "decreases"
    ) in result.output.splitlines()
    assert "not matched" not in CliRunner().invoke(main, args).output


def test_draft_explain_in_markdown_and_json(writers: CorpusBuilder) -> None:
    from kgraph.writers.draft import check_draft
    from kgraph.writers.draft_render import render_draft

    corpus = kgraph.load(writers.root)
    text = "Ketamine increases amygdala activity.\n\nOur clinic offers free parking.\n"
    report = check_draft(corpus, text, "text", "d.txt", explain=True)
    markdown = render_draft(report, "markdown").splitlines()
    at = markdown.index("## Nearly matched")
    assert markdown[at + 2 : at + 4] == [
        "- line 1: Ketamine increases amygdala activity.",
        "  - `ketamine-dampens-amygdala`: 'increases' (up) goes against the claim's decreases",
    ]
    payload = json.loads(render_draft(report, "json"))
    assert payload["sentences"][0]["rejected"][0]["claim"] == "ketamine-dampens-amygdala"
    assert payload["sentences"][1]["rejected"] == []
    plain = check_draft(corpus, text, "text", "d.txt")
    assert all(s.rejected == [] for s in plain.sentences)
    assert "## Nearly matched" not in render_draft(plain, "markdown")
