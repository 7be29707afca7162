"""The derivation of a level from designs and GRADE domains, over every combination."""

from __future__ import annotations

import itertools

import pytest

from kgraph import vocab
from kgraph.grading import RefInput, derive, derive_direction, direction_problem
from tests.conftest import REPO

RATINGS = tuple(vocab.DOMAIN_STEPS)
DOMAIN_NAMES = tuple(t.value for t in vocab.DOMAINS)
UPGRADE_NAMES = tuple(t.value for t in vocab.UPGRADES)
RANK = {lv.value: lv.rank for lv in vocab.EVIDENCE_LEVELS}
# The GRADE start each design gives, as docs/grading.md's table says (reviews by what they review).
START = {"randomised": 4, "observational": 2, "uncontrolled": 1}
REVIEW_START = {"randomised": 4, "mixed": 4, "observational": 2}


def expected(start: int, domains: dict[str, str], up: int) -> str:
    """The mapping, written out from the page rather than from the code."""
    rank = max(1, min(4, start - sum(vocab.DOMAIN_STEPS[r] for r in domains.values()) + up))
    if rank >= 3:
        return "ES-5"
    if rank == 2 and start == 4 and domains["inconsistency"] == "none":
        return "ES-4"
    return "ES-3"


def _designs() -> list[tuple[str, str, int | None]]:
    out: list[tuple[str, str, int | None]] = []
    for d in vocab.STUDY_DESIGNS:
        if d.basis == "review":
            for of in vocab.values(vocab.REVIEW_OF):
                out.append((d.value, of, REVIEW_START.get(of)))
        else:
            out.append((d.value, "", START.get(d.basis)))
    return out


@pytest.mark.parametrize(("design", "review_of", "start"), _designs())
def test_every_design_and_domain_combination(
    design: str, review_of: str, start: int | None
) -> None:
    basis = vocab.DESIGN_BY_VALUE[design].basis
    for ratings in itertools.product(RATINGS, repeat=len(DOMAIN_NAMES)):
        domains = dict(zip(DOMAIN_NAMES, ratings, strict=True))
        for large, dose in itertools.product(
            ("none", "plus-one", "plus-two"), ("none", "plus-one")
        ):
            upgrades = {"large_effect": (large, "r"), "dose_response": (dose, "r")}
            up = vocab.UPGRADE_STEPS[large] + vocab.UPGRADE_STEPS[dose]
            for kind in ("effect", "mechanism"):
                d = derive(
                    kind,
                    [RefInput(design, "supports", review_of, "study")],
                    {k: (v, "reason") for k, v in domains.items()},
                    upgrades,
                )
                if start is not None:
                    assert d.level == expected(start, domains, up), (design, domains, upgrades)
                    assert d.certainty in vocab.CERTAINTY_RANK
                elif basis == "preclinical" or review_of == "preclinical":
                    assert d.level == "ES-2"
                else:  # opinion, or a document for a claim that is not about a fact
                    assert d.level == "ES-1"
                assert d.direction == "supports"


def test_worse_domains_never_raise_the_level() -> None:
    ref = [RefInput("randomised-parallel", "supports")]
    for ratings in itertools.product(RATINGS, repeat=len(DOMAIN_NAMES)):
        base = derive(
            "effect", ref, {k: (v, "") for k, v in zip(DOMAIN_NAMES, ratings, strict=True)}
        )
        for i, rating in enumerate(ratings):
            if rating == "very-serious":
                continue
            worse = list(ratings)
            worse[i] = RATINGS[RATINGS.index(rating) + 1]
            d = derive(
                "effect", ref, {k: (v, "") for k, v in zip(DOMAIN_NAMES, worse, strict=True)}
            )
            assert RANK[d.level or ""] <= RANK[base.level or ""]


def test_no_reference_is_es0_and_background_only_is_es1_untested() -> None:
    assert derive("effect", []).level == "ES-0"
    d = derive("effect", [RefInput("randomised-parallel", "neutral")])
    assert (d.level, d.direction) == ("ES-1", "untested")


def test_a_fact_in_a_primary_document_is_es5_without_domains() -> None:
    assert derive("regulatory", [RefInput("label", "supports")]).level == "ES-5"
    assert derive("definition", [RefInput("narrative-review", "supports")]).level == "ES-5"
    # A label does not make an effect claim established: that needs the trials.
    assert derive("effect", [RefInput("label", "supports")]).level == "ES-1"


def test_an_unknown_input_derives_nothing_and_says_what_is_missing() -> None:
    d = derive("effect", [RefInput("unknown", "supports", label="zarate-2006")])
    assert d.level is None and "zarate-2006" in d.missing[0]
    d = derive("effect", [RefInput("randomised-crossover", "supports")], {})
    assert d.level is None and "the risk of bias rating" in d.missing


@pytest.mark.parametrize(
    ("directions", "derived"),
    [
        ([], "untested"),
        (["neutral"], "untested"),
        (["supports", "neutral"], "supports"),
        (["contradicts"], "contradicts"),
        (["supports", "contradicts"], "mixed"),
        (["mixed"], "mixed"),
    ],
)
def test_direction_follows_the_references(directions: list[str], derived: str) -> None:
    assert derive_direction(directions) == derived
    assert direction_problem(derived, directions) is None


def test_a_direction_the_references_do_not_give_is_a_problem() -> None:
    assert direction_problem("supports", ["neutral", "neutral"])
    assert direction_problem("mixed", ["supports"])
    assert direction_problem("contradicts", ["supports"])
    assert direction_problem("untested", ["supports"])


def test_the_grading_page_example_is_a_valid_source_and_evidence_block() -> None:
    """The example docs/grading.md shows passes the JSON Schemas a curator's editor uses."""
    import json

    import jsonschema
    import yaml

    from kgraph.grading.doc import _EXAMPLE

    source_text, claim_text = _EXAMPLE.split("# claims/", 1)
    source = yaml.safe_load(source_text)
    schemas = {
        t: json.loads((REPO / f"schema/{t}.schema.json").read_text(encoding="utf-8"))
        for t in ("source", "claim")
    }
    assert list(jsonschema.Draft202012Validator(schemas["source"]).iter_errors(source)) == []
    claim = {
        "id": "example",
        "statement": "Ketamine increases synaptic density in people.",
        "kind": "mechanism",
        "subject": "ketamine",
        "predicate": "increases",
        "object": "synaptic-density",
        "sources": [{"source": "article-a", "quote": "q", "locator": "p1", "reading": "literal"}],
        **yaml.safe_load(claim_text.split("\n", 1)[1]),
    }
    errors = [
        e.message for e in jsonschema.Draft202012Validator(schemas["claim"]).iter_errors(claim)
    ]
    assert errors == []
