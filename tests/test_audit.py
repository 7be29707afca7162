"""Auditing a corpus: every finding code fires where it should and stays quiet where it should not,
the scorecards, the charts, the CLI, and the audit of the real corpus in claims/."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import kgraph
from kgraph import vocab
from kgraph.audit import (
    AUDIT_CODES,
    LEVEL_KEYS,
    AuditFinding,
    AuditReport,
    codes_markdown,
    load_audit,
    render_audit,
    run_audit,
)
from kgraph.audit.chains import chain_by_search, weakest_chains
from kgraph.audit.codes import refresh_codes_table
from kgraph.cli import main
from kgraph.site.charts import echo_chart_svg, evidence_profile_svg
from kgraph.text.hedges import find_cues
from tests.conftest import REPO, CorpusBuilder

SVG = "{http://www.w3.org/2000/svg}"

TEXT_A = (
    "Ketamine works on the brain’s glutamate system.\n"
    "It may promote dendritic growth in some people.\n"
    "Ketamine seems to quiet the alarm system.\n"
    "Some researchers describe ketamine as a kind of “reset button” for the brain.\n"
    "Ketamine may treat PTSD.\n"
)
TEXT_B = (
    "Ketamine promotes dendritic growth.\n"
    "Ketamine clearly quiets the alarm system.\n"
    "Scientifically, ketamine is a reset button for the brain.\n"
    "Ketamine works on the glutamate system.\n"
    "Ketamine treats PTSD.\n"
    "Ketamine <b>*heals*</b> | everything.\n"
)
TEXT_C = (
    "Ketamine promotes dendritic growth.\n"
    "Ketamine might promote dendritic growth.\n"
    "Ketamine treats PTSD.\n"
)

Ref = tuple[str, str, str, str]  # source, population, design, direction
# The design words the scenes use, as the design vocabulary (set on the source's study).
DESIGNS = {
    "RCT": "randomised-parallel",
    "animal study": "animal",
    "crossover": "randomised-crossover",
    "esketamine RCT": "randomised-parallel",
}
RCT_REF: Ref = ("smith-2020-trial", "adults with depression", "RCT", "supports")

# How messages name a claim added with the default statement, and the levels they quote.
GROWS = "claim grows (“Ketamine acts on the glutamate system”)"
ES2 = "ES-2 (preclinical only: animal or in-vitro results, not tested in humans)"
ES3 = (
    "ES-3 (preliminary or mixed: pilot, open-label or crossover trials; imaging or biomarker "
    "stand-ins; RCTs that disagree)"
)
ES5 = (
    "ES-5 (established: two or more consistent RCTs or a systematic review at GRADE "
    "high/moderate; or a regulatory or historical fact confirmed in a primary document (a label, "
    "an approval, a textbook pharmacology fact))"
)


class Scene(CorpusBuilder):
    """Three articles, two studies and a few entities; claims are added per test."""

    def __init__(self, root: Path, cites: str | None = "[]") -> None:
        super().__init__(root)
        for rid, name, text in (
            ("article-a", "a.txt", TEXT_A),
            ("article-b", "b.txt", TEXT_B),
            ("article-c", "c.txt", TEXT_C),
        ):
            self.snapshot(name, text)
            extra = {} if cites is None else {"cites": cites}
            self.article(rid, snapshot=name, title=f"Page {rid[-1].upper()}", **extra)
        self.study("smith-2020-trial")
        self.study("rat-2019", kind="preclinical", title="Ketamine in rats")
        self.study("esk-2019", kind="rct", title="Esketamine trial")
        self.entity("ketamine")
        self.entity("glutamate-system")
        self.entity("esketamine")
        for rid, label in (("ptsd", "PTSD"), ("trd", "treatment-resistant depression")):
            self.write("entities", f"{rid}.yaml", f"id: {rid}\nlabel: {label}\ntype: condition\n")

    def add(
        self,
        rid: str,
        sources: Iterable[tuple[str, str]],
        *,
        level: str = "ES-2",
        direction: str = "supports",
        kind: str = "mechanism",
        refs: Iterable[Ref] = (RCT_REF,),
        depends_on: Iterable[str] = (),
        indirectness: str = "",
        population: str = "",
        reviewer: str | None = None,
        subject: str = "ketamine",
        obj: str = "glutamate-system",
        statement: str = "Ketamine acts on the glutamate system.",
        override: str = "unknown",
        reading: str = "",
        domains: str = "",
    ) -> Path:
        q = json.dumps
        lines = [
            f"id: {rid}",
            f"statement: {q(statement)}",
            f"kind: {kind}",
            f"subject: {subject}",
            "predicate: acts_on",
            f"object: {obj}",
        ]
        if population:
            lines += ["qualifiers:", f"  population: {q(population)}"]
        lines.append("sources:")
        for sid, quote in sources:
            lines += [f"  - source: {sid}", f"    quote: {q(quote)}", "    locator: paragraph 1"]
            if reading:
                lines += [f"    reading: {reading}", "    reading_reason: the test says so"]
        if kind != "rhetoric":
            lines += [
                "evidence:",
                f"  level: {level}",
                f"  direction: {direction}",
                f"  indirectness: {q(indirectness)}",
                "  rationale: A test rationale.",
                *([f"  override: {q(override)}"] if override else []),
                *(
                    ["  certainty:"]
                    + [
                        f"    {d}: {{rating: {domains}, reason: rated}}"
                        for d in (
                            "risk_of_bias",
                            "inconsistency",
                            "indirectness",
                            "imprecision",
                            "publication_bias",
                        )
                    ]
                    if domains
                    else []
                ),
                "  references:" + ("" if refs else " []"),
            ]
            for src, pop, design, d in refs:
                lines += [
                    f"    - source: {src}",
                    "      finding: Found it.",
                    f"      direction: {d}",
                ]
                if (self.root / "sources" / f"{src}.yaml").exists():
                    self.set_study(src, DESIGNS[design], pop, "esketamine" * ("esk" in design))
        lines.append(f"depends_on: [{', '.join(depends_on)}]")
        lines += ["review:", f"  status: {'reviewed' if reviewer else 'draft'}"]
        lines.append(f"  reviewer: {q(reviewer) if reviewer else 'null'}")
        return self.write("claims", f"{rid}.yaml", "\n".join(lines) + "\n")


@pytest.fixture
def scene(tmp_path: Path) -> Scene:
    return Scene(tmp_path / "corpus")


def audited(b: CorpusBuilder) -> tuple[kgraph.Corpus, AuditReport]:
    """Audit a fixture corpus, first making sure it passes the check (the audit's precondition)."""
    report = kgraph.check(b.root)
    assert report.errors == 0, [f.to_text() for f in report.findings]
    return report.corpus, run_audit(report.corpus)


def codes_for(report: AuditReport, claim: str) -> list[str]:
    return [f.code for f in report.for_claim(claim)]


def line_of(path: Path, text: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return i
    raise AssertionError(f"{text!r} not in {path}")


# --- the code table -------------------------------------------------------------------------


def test_every_code_has_a_severity_a_name_and_a_meaning() -> None:
    for code, spec in AUDIT_CODES.items():
        assert re.fullmatch(r"AU[12]\d\d", code)
        assert spec.severity in ("error", "warning", "info")
        assert spec.name and spec.meaning.endswith(".")


def test_thresholds_in_the_table_come_from_vocab() -> None:
    over = next(lv.value for lv in vocab.EVIDENCE_LEVELS if lv.rank == vocab.OVERCLAIM_MAX_RANK)
    echo = next(lv.value for lv in vocab.EVIDENCE_LEVELS if lv.rank == vocab.ECHO_MAX_RANK)
    assert f"{over} or lower" in AUDIT_CODES["AU101"].meaning
    assert f"{echo} or lower" in AUDIT_CODES["AU103"].meaning


def test_docs_audit_table_is_current() -> None:
    doc = (REPO / "docs/audit.md").read_text(encoding="utf-8")
    assert refresh_codes_table(doc) == doc, (
        "docs/audit.md's code table is stale: run `.venv/bin/python scripts/gen_docs.py`"
    )
    assert codes_markdown() in doc
    for code in AUDIT_CODES:
        assert f"**{code}" in doc, f"docs/audit.md does not explain how {code} is decided"


# --- AU101 overclaim --------------------------------------------------------------------------


def test_overclaim_fires_on_a_flat_quote_of_weak_evidence(scene: Scene) -> None:
    path = scene.add("grows", [("article-b", "Ketamine promotes dendritic growth.")])
    _, report = audited(scene)
    [f] = [f for f in report.for_claim("grows") if f.code == "AU101"]
    assert (f.severity, f.source, f.quote, f.cues) == (
        "error",
        "article-b",
        "Ketamine promotes dendritic growth.",
        (),
    )
    assert f.path.endswith("claims/grows.yaml")
    assert f.line == line_of(path, "quote: ")
    assert f.message == (
        f"“Page B” writes “Ketamine promotes dendritic growth” as fact, with no hedge, for {GROWS}, "
        f"whose evidence is only {ES2}."
    )


def test_overclaim_fires_on_a_booster_and_shows_the_cue(scene: Scene) -> None:
    scene.add("quiets", [("article-b", "Ketamine clearly quiets the alarm system.")], level="ES-3")
    _, report = audited(scene)
    [f] = [f for f in report.for_claim("quiets") if f.code == "AU101"]
    assert (f.cues, f.also) == (("clearly",), ())
    assert f.message == (
        "“Page B” writes “Ketamine clearly quiets the alarm system” as fact, even boosting it "
        "(“clearly”), for claim quiets (“Ketamine acts on the glutamate system”), whose evidence "
        f"is only {ES3}."
    )


@pytest.mark.parametrize(
    ("quote", "level"),
    [
        ("It may promote dendritic growth in some people.", "ES-2"),  # hedged
        ("Ketamine promotes dendritic growth.", "ES-4"),  # strong enough to state flatly
    ],
)
def test_overclaim_is_quiet_on_a_hedge_or_strong_evidence(
    scene: Scene, quote: str, level: str
) -> None:
    source = "article-a" if quote.startswith("It may") else "article-b"
    scene.add("grows", [(source, quote)], level=level)
    _, report = audited(scene)
    assert "AU101" not in codes_for(report, "grows")


# --- AU102 dropped hedge ----------------------------------------------------------------------


def test_dropped_hedge_is_one_finding_with_the_overclaim(scene: Scene) -> None:
    path = scene.add(
        "grows",
        [
            ("article-a", "It may promote dendritic growth in some people."),
            ("article-b", "Ketamine promotes dendritic growth."),
        ],
    )
    _, report = audited(scene)
    [f] = [f for f in report.for_claim("grows") if f.source == "article-b" and f.code != "AU201"]
    assert (f.code, f.also, f.codes, f.severity) == (
        "AU101",
        ("AU102",),
        ("AU101", "AU102"),
        "error",
    )
    assert f.line == line_of(path, 'quote: "Ketamine promotes')
    assert f.message == (
        f"“Page B” writes “Ketamine promotes dendritic growth” as fact, with no hedge, for {GROWS}, "
        f"whose evidence is only {ES2}. “Page A” hedges the same claim (“may”, “some people”); this "
        "wording drops that hedge."
    )
    assert report.scorecards["article-b"].overclaims == 1
    assert report.scorecards["article-b"].dropped_hedges == 1


def test_dropped_hedge_counts_the_other_articles_that_kept_it(scene: Scene) -> None:
    scene.add(
        "grows",
        [
            ("article-a", "It may promote dendritic growth in some people."),
            ("article-b", "Ketamine promotes dendritic growth."),
            ("article-c", "Ketamine might promote dendritic growth."),
        ],
    )
    _, report = audited(scene)
    [f] = [f for f in report.for_claim("grows") if "AU102" in f.codes]
    assert f.message.endswith(
        f"whose evidence is only {ES2}. “Page A” and 1 other article hedge the same claim "
        "(“may”, “some people”); this wording drops that hedge."
    )


@pytest.mark.parametrize(
    ("level", "b_quote"),
    [
        ("ES-4", "Ketamine promotes dendritic growth."),  # a hedge was optional
        ("ES-2", None),  # only the hedging source
    ],
)
def test_dropped_hedge_is_quiet_when_the_hedge_was_optional_or_kept(
    scene: Scene, level: str, b_quote: str | None
) -> None:
    sources = [("article-a", "It may promote dendritic growth in some people.")]
    if b_quote:
        sources.append(("article-b", b_quote))
    scene.add("grows", sources, level=level)
    _, report = audited(scene)
    assert "AU102" not in codes_for(report, "grows")


# --- AU103 echo -------------------------------------------------------------------------------


def test_echo_fires_on_two_articles_and_says_they_cite_nothing(scene: Scene) -> None:
    path = scene.add(
        "grows",
        [
            ("article-b", "Ketamine promotes dendritic growth."),
            ("article-c", "Ketamine promotes dendritic growth."),
        ],
    )
    _, report = audited(scene)
    [f] = [f for f in report.for_claim("grows") if f.code == "AU103"]
    assert (f.severity, f.source, f.quote) == ("warning", None, None)
    assert f.line == line_of(path, "- source: article-b")
    assert "2 articles" in f.message and "not independent" in f.message
    assert "cite nothing" in f.message
    assert f in report.for_source("article-b") and f in report.for_source("article-c")
    assert f not in report.for_source("article-a")


@pytest.mark.parametrize(
    ("articles", "expected"),
    [
        (
            ["article-b", "article-c"],
            "2 articles (“Page B”, “Page C”) assert “Ketamine acts on the glutamate system”, but "
            "the evidence is only ES-2 (preclinical only): repetition is not confirmation. They "
            "are not independent: “Page B” and “Page C” both cite MAPS.",
        ),
        (
            ["article-a", "article-b", "article-c"],
            "3 articles (“Page A”, “Page B”, “Page C”) assert “Ketamine acts on the glutamate "
            "system”, but the evidence is only ES-2 (preclinical only): repetition is not "
            "confirmation. They are not independent: “Page A”, “Page B” and “Page C” all cite "
            "MAPS.",
        ),
    ],
)
def test_echo_names_a_shared_cited_organisation(
    tmp_path: Path, articles: list[str], expected: str
) -> None:
    scene = Scene(tmp_path / "c", cites="[MAPS]")
    quotes = {
        "article-a": "It may promote dendritic growth in some people.",
        "article-b": "Ketamine promotes dendritic growth.",
        "article-c": "Ketamine promotes dendritic growth.",
    }
    scene.add("grows", [(sid, quotes[sid]) for sid in articles])
    _, report = audited(scene)
    [f] = [f for f in report.for_claim("grows") if f.code == "AU103"]
    assert f.message == expected


def test_echo_claims_no_shared_origin_when_the_records_are_silent(tmp_path: Path) -> None:
    scene = Scene(tmp_path / "c", cites=None)
    scene.add(
        "grows",
        [
            ("article-b", "Ketamine promotes dendritic growth."),
            ("article-c", "Ketamine promotes dendritic growth."),
        ],
    )
    _, report = audited(scene)
    [f] = [f for f in report.for_claim("grows") if f.code == "AU103"]
    assert "independent" not in f.message


@pytest.mark.parametrize(
    ("level", "sources"),
    [
        ("ES-3", ["article-b", "article-c"]),  # evidence above the echo threshold
        ("ES-2", ["article-b"]),  # one article
    ],
)
def test_echo_is_quiet_above_es2_or_with_one_article(
    scene: Scene, level: str, sources: list[str]
) -> None:
    scene.add("grows", [(s, "Ketamine promotes dendritic growth.") for s in sources], level=level)
    _, report = audited(scene)
    assert "AU103" not in codes_for(report, "grows")


# --- AU104 weak link --------------------------------------------------------------------------


def _chain(scene: Scene, top: str, middle: str, bottom: str) -> None:
    quote = [("article-a", "Ketamine works on the brain’s glutamate system.")]
    scene.add("top", quote, level=top, depends_on=["middle"])
    scene.add("middle", quote, level=middle, depends_on=["bottom"])
    scene.add("bottom", quote, level=bottom, refs=[] if bottom in ("ES-0", "ES-1") else [RCT_REF])


def test_weak_link_shows_the_chain_to_the_weakest_premise(scene: Scene) -> None:
    _chain(scene, "ES-4", "ES-3", "ES-1")
    _, report = audited(scene)
    [top] = [f for f in report.for_claim("top") if f.code == "AU104"]
    assert top.chain == ("top", "middle", "bottom")
    assert "ES-4" in top.message and "ES-1" in top.message
    [middle] = [f for f in report.for_claim("middle") if f.code == "AU104"]
    assert middle.chain == ("middle", "bottom")
    assert "AU104" not in codes_for(report, "bottom")


def test_weak_link_is_quiet_when_premises_are_as_strong(scene: Scene) -> None:
    _chain(scene, "ES-2", "ES-3", "ES-3")
    _, report = audited(scene)
    assert [f for f in report.findings if f.code == "AU104"] == []


def test_weak_link_prefers_the_nearest_of_equally_weak_premises(scene: Scene) -> None:
    quote = [("article-a", "Ketamine works on the brain’s glutamate system.")]
    scene.add("top", quote, level="ES-4", depends_on=["far-1", "near"])
    scene.add("far-1", quote, level="ES-3", depends_on=["far-2"])
    scene.add("far-2", quote, level="ES-1", refs=[])
    scene.add("near", quote, level="ES-1", refs=[])
    _, report = audited(scene)
    [f] = [f for f in report.for_claim("top") if f.code == "AU104"]
    assert f.chain == ("top", "near")


def test_weak_link_survives_a_dependency_cycle(scene: Scene) -> None:
    quote = [("article-a", "Ketamine works on the brain’s glutamate system.")]
    scene.add("one", quote, level="ES-4", depends_on=["two"])
    scene.add("two", quote, level="ES-3", depends_on=["one"])
    corpus = kgraph.load(scene.root)  # fails the check (KG305), so the audit is called directly
    report = run_audit(corpus)
    [f] = [f for f in report.for_claim("one") if f.code == "AU104"]
    assert f.chain == ("one", "two")


# --- AU105 contradicted or mixed --------------------------------------------------------------


QUIETS = (
    "“Page B” writes “Ketamine clearly quiets the alarm system” as fact, even boosting it "
    "(“clearly”), for claim quiets (“Ketamine acts on the glutamate system”), whose evidence"
)


@pytest.mark.parametrize(
    ("direction", "ending"),
    [
        ("mixed", " (ES-4) is mixed: studies disagree, or support only part of the claim."),
        ("contradicts", " (ES-4) goes against it as a whole."),
    ],
)
def test_contradicted_or_mixed_fires_on_a_flat_quote(
    scene: Scene, direction: str, ending: str
) -> None:
    scene.add(
        "quiets",
        [("article-b", "Ketamine clearly quiets the alarm system.")],
        level="ES-4",
        direction=direction,
    )
    _, report = audited(scene)
    [f] = [f for f in report.for_claim("quiets") if f.source == "article-b" and f.code != "AU201"]
    assert (f.code, f.also, f.severity) == ("AU105", (), "error")
    assert f.message == QUIETS + ending


@pytest.mark.parametrize(
    ("direction", "ending"),
    [
        ("mixed", "is mixed: studies disagree, or support only part of the claim."),
        ("contradicts", "goes against it as a whole."),
    ],
)
def test_a_weak_and_contradicted_quote_is_one_finding(
    scene: Scene, direction: str, ending: str
) -> None:
    scene.add(
        "quiets",
        [("article-b", "Ketamine clearly quiets the alarm system.")],
        level="ES-3",
        direction=direction,
    )
    _, report = audited(scene)
    [f] = [f for f in report.for_claim("quiets") if f.source == "article-b" and f.code != "AU201"]
    assert (f.code, f.also) == ("AU101", ("AU105",))
    assert f.message == f"{QUIETS} is only {ES3} and {ending}"


@pytest.mark.parametrize(
    ("direction", "source", "quote"),
    [
        ("mixed", "article-a", "Ketamine seems to quiet the alarm system."),
        ("supports", "article-b", "Ketamine clearly quiets the alarm system."),
    ],
)
def test_contradicted_or_mixed_is_quiet_on_a_hedge_or_supporting_evidence(
    scene: Scene, direction: str, source: str, quote: str
) -> None:
    scene.add("quiets", [(source, quote)], level="ES-4", direction=direction)
    _, report = audited(scene)
    assert "AU105" not in codes_for(report, "quiets")


# --- AU106 extrapolated -----------------------------------------------------------------------

PTSD_QUOTE = [("article-b", "Ketamine treats PTSD.")]


@pytest.mark.parametrize(
    ("refs", "extra", "gap"),
    [
        ([("rat-2019", "not applicable", "animal study", "supports")], {}, "animals"),
        ([("smith-2020-trial", "healthy volunteers", "crossover", "supports")], {}, "healthy"),
        ([("esk-2019", "adults with PTSD", "esketamine RCT", "supports")], {}, "drug form"),
        (
            [("smith-2020-trial", "adults with treatment-resistant depression", "RCT", "mixed")],
            {},
            "another condition",
        ),
        ([], {"indirectness": "Only rats were studied.", "level": "ES-1"}, "animals"),
    ],
)
def test_extrapolated_fires_when_no_evidence_is_in_patients(
    scene: Scene, refs: list[Ref], extra: dict[str, str], gap: str
) -> None:
    scene.add(
        "treats",
        PTSD_QUOTE,
        kind="effect",
        obj="ptsd",
        refs=refs,
        level=extra.get("level", "ES-3"),
        indirectness=extra.get("indirectness", ""),
    )
    _, report = audited(scene)
    [f] = [f for f in report.for_claim("treats") if f.code == "AU106"]
    assert gap in f.message and "patients" in f.message


@pytest.mark.parametrize(
    ("refs", "extra"),
    [
        # one reference in patients is enough
        (
            [
                ("rat-2019", "rats", "animal study", "supports"),
                ("smith-2020-trial", "adults with PTSD", "RCT", "supports"),
            ],
            {},
        ),
        # patients and healthy controls: a study in patients
        ([("smith-2020-trial", "adults with PTSD and 20 healthy controls", "RCT", "supports")], {}),
        # a claim about the drug form the evidence used
        (
            [("esk-2019", "adults with PTSD", "esketamine RCT", "supports")],
            {"subject": "esketamine"},
        ),
        # a fact, not a claim about patients
        ([("rat-2019", "rats", "animal study", "supports")], {"kind": "historical"}),
        # established for humans by the level's definition
        ([("rat-2019", "rats", "animal study", "supports")], {"level": "ES-5"}),
        # the claim itself is about animals
        ([("rat-2019", "rats", "animal study", "supports")], {"population": "rats"}),
    ],
)
def test_extrapolated_is_quiet_when_evidence_matches_the_claim(
    scene: Scene, refs: list[Ref], extra: dict[str, str]
) -> None:
    scene.add(
        "treats",
        PTSD_QUOTE,
        kind=extra.get("kind", "effect"),
        obj="ptsd",
        refs=refs,
        level=extra.get("level", "ES-3"),
        subject=extra.get("subject", "ketamine"),
        population=extra.get("population", ""),
    )
    _, report = audited(scene)
    assert "AU106" not in codes_for(report, "treats")


# --- AU107 rhetoric and AU108 underclaim ------------------------------------------------------


def test_rhetoric_is_reported_for_every_article_using_it(scene: Scene) -> None:
    scene.add(
        "reset",
        [
            (
                "article-a",
                "Some researchers describe ketamine as a kind of “reset button” for the brain.",
            ),
            ("article-b", "Scientifically, ketamine is a reset button for the brain."),
        ],
        kind="rhetoric",
    )
    _, report = audited(scene)
    found = {f.source: f for f in report.for_claim("reset") if f.code == "AU107"}
    assert set(found) == {"article-a", "article-b"}
    assert "reset button" in (found["article-a"].quote or "")
    assert "Page A" in found["article-a"].message
    assert "dressed as science" in found["article-b"].message
    assert found["article-b"].cues == ("Scientifically",)


def test_rhetoric_is_quiet_for_graded_claims(scene: Scene) -> None:
    scene.add("grows", [("article-b", "Ketamine promotes dendritic growth.")])
    _, report = audited(scene)
    assert [f for f in report.findings if f.code == "AU107"] == []


@pytest.mark.parametrize(
    ("source", "quote", "fires"),
    [
        ("article-a", "Ketamine may treat PTSD.", True),
        ("article-b", "Ketamine treats PTSD.", False),
    ],
)
def test_underclaim_notes_a_hedged_established_fact(
    scene: Scene, source: str, quote: str, fires: bool
) -> None:
    scene.add("treats", [(source, quote)], level="ES-5", kind="effect", obj="ptsd")
    _, report = audited(scene)
    found = [f.message for f in report.for_claim("treats") if f.code == "AU108"]
    expected = (
        "“Page A” writes “Ketamine may treat PTSD” with a hedge (“may”), for claim treats "
        f"(“Ketamine acts on the glutamate system”), whose evidence is {ES5}: it could be stated "
        "plainly."
    )
    assert found == ([expected] if fires else [])


# --- AU2xx bookkeeping ------------------------------------------------------------------------


def test_bookkeeping_fires_and_stays_quiet(scene: Scene) -> None:
    scene.add("single", [("article-b", "Ketamine promotes dendritic growth.")], reviewer=None)
    scene.add(
        "double",
        [
            ("article-b", "Ketamine treats PTSD."),
            ("article-c", "Ketamine treats PTSD."),
        ],
        reviewer="A. Reviewer",
        obj="ptsd",
    )
    _, report = audited(scene)
    assert "AU201" in codes_for(report, "single") and "AU201" not in codes_for(report, "double")
    assert "AU204" in codes_for(report, "single") and "AU204" not in codes_for(report, "double")
    unused_entities = {f.path.rsplit("/", 1)[-1] for f in report.by_code()["AU202"]}
    assert unused_entities == {"esketamine.yaml", "trd.yaml"}  # ketamine, glutamate, ptsd used
    unused_sources = {f.source for f in report.by_code()["AU203"]}
    # article-a asserts nothing; the two unused studies; smith-2020-trial is cited.
    assert unused_sources == {"article-a", "rat-2019", "esk-2019"}
    assert all(
        f.severity == "info"
        for c in ("AU201", "AU202", "AU203", "AU204")
        for f in report.by_code()[c]
    )


# --- scorecards and the report ----------------------------------------------------------------


def test_scorecard_counts_levels_overclaims_and_weakest(scene: Scene) -> None:
    scene.add(
        "grows",
        [
            ("article-a", "It may promote dendritic growth in some people."),
            ("article-b", "Ketamine promotes dendritic growth."),
        ],
        level="ES-2",
    )
    scene.add("acts", [("article-b", "Ketamine works on the glutamate system.")], level="ES-5")
    scene.add("quiets", [("article-b", "Ketamine clearly quiets the alarm system.")], level="ES-3")
    scene.add(
        "treats",
        [("article-b", "Ketamine treats PTSD.")],
        level="ES-1",
        refs=[],
        kind="effect",
        obj="ptsd",
    )
    scene.add(
        "reset",
        [("article-b", "Scientifically, ketamine is a reset button for the brain.")],
        kind="rhetoric",
    )
    _, report = audited(scene)
    assert set(report.scorecards) == {"article-a", "article-b"}  # article-c asserts nothing
    card = report.scorecards["article-b"]
    assert card.n_claims == 5
    assert list(card.by_level) == list(LEVEL_KEYS)
    assert card.by_level["ES-5"] == card.by_level["ES-3"] == card.by_level["ES-2"] == 1
    assert card.by_level["ES-1"] == card.by_level["rhetoric"] == 1
    assert card.by_level["ES-4"] == card.by_level["ES-0"] == 0
    assert card.share("ES-5") == pytest.approx(0.2)
    assert card.overclaims == 3  # grows, quiets, treats
    assert card.dropped_hedges == 1  # grows
    assert card.weakest == ["treats", "grows", "quiets"]
    assert report.scorecards["article-a"].overclaims == 0


def test_scorecard_puts_flat_claims_first_among_equally_weak(scene: Scene) -> None:
    scene.add("a-hedged", [("article-c", "Ketamine might promote dendritic growth.")])
    scene.add("b-flat", [("article-c", "Ketamine promotes dendritic growth.")])
    _, report = audited(scene)
    assert report.scorecards["article-c"].weakest == ["b-flat", "a-hedged"]


def test_findings_are_sorted_and_grouped(scene: Scene) -> None:
    scene.add(
        "grows",
        [
            ("article-b", "Ketamine promotes dendritic growth."),
            ("article-c", "Ketamine promotes dendritic growth."),
        ],
    )
    _, report = audited(scene)
    assert report.findings == sorted(report.findings, key=AuditFinding.sort_key)
    groups = report.by_code()
    assert list(groups) == [c for c in AUDIT_CODES if c in groups]
    assert sum(len(v) for v in groups.values()) == len(report.findings)


# --- rendering and the command line -----------------------------------------------------------


@pytest.fixture
def flagged(scene: Scene) -> Scene:
    """A corpus with an error (overclaim), warnings (echo) and info findings."""
    scene.add(
        "grows",
        [
            ("article-b", "Ketamine promotes dendritic growth."),
            ("article-c", "Ketamine promotes dendritic growth."),
        ],
    )
    scene.add(
        "heals",
        [("article-b", "Ketamine <b>*heals*</b> | everything.")],
        level="ES-1",
        refs=[],
        kind="effect",
        statement="Ketamine heals <everything> & more.",
    )
    return scene


def test_text_output_shows_scorecards_and_located_findings(flagged: Scene) -> None:
    result = CliRunner().invoke(main, ["audit", str(flagged.root)])
    assert result.exit_code == 0, result.output
    assert "Scorecards" in result.output and "weakest: heals (ES-1), grows (ES-2)" in result.output
    line = line_of(flagged.root / "claims/grows.yaml", "quote: ")
    assert re.search(
        rf"claims/grows\.yaml:{line}: AU101 error overclaim \[grows, article-b\]", result.output
    )
    assert "Traceback" not in result.output


def finding_lines(output: str) -> list[str]:
    """'AU101 error [grows, article-b]' for each finding line of the text output, in order."""
    found = re.findall(r"^\S+:\d+: (AU\d{3}) (\w+) [^\[]*(\[[^\]]*\])", output, re.M)
    return [" ".join(parts) for parts in found]


def audit_cli(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["audit", str(root), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("claims", "summary"),
    [
        (
            "flagged",
            "kgraph audit: 2 articles, 2 claims: 3 errors, 1 warning (9 info not shown: list them "
            "with --severity info)",
        ),
        (
            "single",
            "kgraph audit: 1 article, 1 claim: 1 error, 0 warnings (9 info not shown: list them "
            "with --severity info)",
        ),
    ],
)
def test_text_summary_counts_in_words(
    request: pytest.FixtureRequest, scene: Scene, claims: str, summary: str
) -> None:
    if claims == "flagged":
        request.getfixturevalue("flagged")
    else:
        scene.add("grows", [("article-b", "Ketamine promotes dendritic growth.")])
    code, out = audit_cli(scene.root)
    assert code == 0
    assert out.splitlines()[0] == summary


def test_text_output_lists_errors_then_warnings_and_counts_info(flagged: Scene) -> None:
    _, out = audit_cli(flagged.root)
    # the echo's line (grows.yaml:8) comes before the overclaims' in the file, after them here
    assert finding_lines(out) == [
        "AU101 error [grows, article-b]",
        "AU101 error [grows, article-c]",
        "AU101 error [heals, article-b]",
        "AU103 warning [grows]",
    ]
    _, everything = audit_cli(flagged.root, "--severity", "info")
    assert everything.splitlines()[0] == (
        "kgraph audit: 2 articles, 2 claims: 3 errors, 1 warning, 9 info"
    )
    lines = finding_lines(everything)
    assert lines[:4] == finding_lines(out) and len(lines) == 13
    assert all(" info " in line for line in lines[4:])


def test_severity_error_shows_errors_and_counts_the_rest(flagged: Scene) -> None:
    _, out = audit_cli(flagged.root, "--severity", "error")
    assert out.splitlines()[0] == (
        "kgraph audit: 2 articles, 2 claims: 3 errors (1 warning, 9 info not shown: list them "
        "with --severity info)"
    )
    assert [line.split()[1] for line in finding_lines(out)] == ["error"] * 3


def test_code_filter_is_repeatable_and_ignores_case(flagged: Scene) -> None:
    _, out = audit_cli(flagged.root, "--code", "AU103", "--code", "au201", "--severity", "info")
    assert finding_lines(out) == ["AU103 warning [grows]", "AU201 info [heals, article-b]"]
    assert out.splitlines()[0] == "kgraph audit: 2 articles, 2 claims: 0 errors, 1 warning, 1 info"


def test_code_filter_finds_a_dropped_hedge_inside_its_overclaim(scene: Scene) -> None:
    scene.add(
        "grows",
        [
            ("article-a", "It may promote dendritic growth in some people."),
            ("article-b", "Ketamine promotes dendritic growth."),
        ],
    )
    _, out = audit_cli(scene.root, "--code", "AU102")
    assert finding_lines(out) == ["AU101 error [grows, article-b]"]
    assert re.search(
        r"AU101 error overclaim \(also AU102 dropped-hedge\) \[grows, article-b\]: “Page B” writes",
        out,
    )
    assert "AU102 dropped-hedge          warning  1" in out


def test_article_filter_shows_its_scorecard_and_findings(flagged: Scene) -> None:
    _, out = audit_cli(flagged.root, "--article", "article-c", "--severity", "info")
    assert out.splitlines()[0] == "kgraph audit: 1 article, 2 claims: 1 error, 1 warning, 1 info"
    assert "Page C (article-c)" in out and "Page B (article-b)" not in out
    assert finding_lines(out) == [
        "AU101 error [grows, article-c]",
        "AU103 warning [grows]",  # about a claim article-c asserts
        "AU204 info [grows]",
    ]
    _, both = audit_cli(flagged.root, "--article", "article-c", "--article", "article-b")
    assert "Page C (article-c)" in both and "Page B (article-b)" in both
    assert len(finding_lines(both)) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--article", "article-z"],
            "Error: Invalid value for '--article': no source 'article-z' in the corpus",
        ),
        (
            ["--code", "AU999"],
            "Error: Invalid value for '--code': no audit code 'AU999': choose from "
            + ", ".join(AUDIT_CODES),
        ),
        (
            ["--severity", "note"],
            "Error: Invalid value for '--severity': 'note' is not one of 'error', 'warning', "
            "'info'.",
        ),
    ],
)
def test_audit_filters_refuse_unknown_values(flagged: Scene, args: list[str], message: str) -> None:
    code, out = audit_cli(flagged.root, *args)
    assert code == 2
    assert out.splitlines()[-1] == message


def test_fail_on_counts_only_the_findings_shown(flagged: Scene) -> None:
    assert audit_cli(flagged.root, "--fail-on", "error")[0] == 1
    assert audit_cli(flagged.root, "--fail-on", "error", "--code", "AU103")[0] == 0
    assert audit_cli(flagged.root, "--fail-on", "warning", "--code", "AU103")[0] == 1


def test_markdown_output_escapes_corpus_text(flagged: Scene) -> None:
    result = CliRunner().invoke(main, ["audit", str(flagged.root), "--format", "markdown"])
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("# Audit\n")
    assert "| article | claims | " + " | ".join(LEVEL_KEYS) in out
    assert "### AU101 overclaim (error)" in out
    assert r"Ketamine \<b\>\*heals\*\</b\> \| everything." in out
    assert "<b>" not in out


def test_json_output_matches_the_report(flagged: Scene) -> None:
    corpus, report = audited(flagged)
    result = CliRunner().invoke(main, ["audit", str(flagged.root), "--format", "json"])
    data = json.loads(result.output)
    assert len(data["findings"]) == len(report.findings)
    assert data["summary"]["error"] == report.counts()["error"]
    assert set(data["codes"]) == set(AUDIT_CODES)
    assert {c["source"] for c in data["scorecards"]} == set(report.scorecards)
    first = data["findings"][0]
    assert set(first) >= {
        "code",
        "severity",
        "message",
        "claim",
        "source",
        "quote",
        "cues",
        "chain",
        "path",
        "line",
    }
    assert json.loads(render_audit(report, corpus, "json")) == data


@pytest.mark.parametrize(
    ("fixture", "fail_on", "exit_code"),
    [
        ("flagged", "never", 0),
        ("flagged", "error", 1),
        ("flagged", "warning", 1),
        ("quiet", "error", 0),  # warnings and info only
        ("quiet", "warning", 1),
        ("info_only", "warning", 0),
    ],
)
def test_fail_on_sets_the_exit_code(
    request: pytest.FixtureRequest, scene: Scene, fixture: str, fail_on: str, exit_code: int
) -> None:
    if fixture == "flagged":
        request.getfixturevalue("flagged")
    elif fixture == "quiet":  # two articles hedge an ES-2 claim: an echo, and no error
        scene.add(
            "grows",
            [
                ("article-a", "It may promote dendritic growth in some people."),
                ("article-c", "Ketamine might promote dendritic growth."),
            ],
        )
    else:
        scene.add("acts", [("article-b", "Ketamine works on the glutamate system.")], level="ES-5")
    _, report = audited(scene)
    result = CliRunner().invoke(main, ["audit", str(scene.root), "--fail-on", fail_on])
    assert result.exit_code == exit_code, (report.counts(), result.output[-500:])


def test_audit_refuses_a_corpus_with_check_errors(scene: Scene) -> None:
    path = scene.add(
        "grows", [("article-b", "Ketamine promotes dendritic growth.")], obj="glutamate-sistem"
    )
    result = CliRunner().invoke(main, ["audit", str(scene.root)])
    assert result.exit_code == 1
    assert f"grows.yaml:{line_of(path, 'object:')}:" in result.stderr and "KG303" in result.stderr
    assert "check error" in result.stderr and "not audited" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_audit_of_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["audit", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "is not a folder" in result.output
    assert "Traceback" not in result.output


def test_render_rejects_an_unknown_format(flagged: Scene) -> None:
    corpus, report = audited(flagged)
    with pytest.raises(ValueError, match="unknown audit format"):
        render_audit(report, corpus, "html")


# --- charts -----------------------------------------------------------------------------------


def marks(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [c for c in root.iter(f"{SVG}circle") if c.get("class") == "claim-mark"]


def test_echo_chart_has_one_titled_mark_per_claim(flagged: Scene) -> None:
    flagged.add(
        "reset",
        [("article-b", "Scientifically, ketamine is a reset button for the brain.")],
        kind="rhetoric",
    )
    corpus, _ = audited(flagged)
    svg = echo_chart_svg(corpus)
    found = {m.get("data-claim"): m for m in marks(svg)}
    assert len(marks(svg)) == len(corpus.claims) == 3
    assert set(found) == set(corpus.claims)
    colour = {lv.value: lv.colour for lv in vocab.EVIDENCE_LEVELS}
    assert found["grows"].get("fill") == colour["ES-2"]
    assert found["reset"].get("fill") == vocab.NO_LEVEL_COLOUR
    title = found["heals"].find(f"{SVG}title")
    assert title is not None and "Ketamine heals <everything> & more." in (title.text or "")
    assert "<everything>" not in svg  # escaped in the file, restored by the parser
    # two articles sit to the right of one
    assert float(found["grows"].get("cx", 0)) > float(found["heals"].get("cx", 0))
    assert echo_chart_svg(corpus) == svg


def test_echo_chart_links_marks_when_asked(flagged: Scene) -> None:
    corpus, _ = audited(flagged)
    root = ET.fromstring(echo_chart_svg(corpus, href=lambda cid: f"claims/{cid}.html?a=1&b=2"))
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert sorted(links) == ["claims/grows.html?a=1&b=2", "claims/heals.html?a=1&b=2"]


def test_evidence_profile_counts_an_articles_claims_per_level(flagged: Scene) -> None:
    corpus, _ = audited(flagged)
    root = ET.fromstring(evidence_profile_svg(corpus, "article-b"))
    bars = {
        r.get("data-level"): int(r.get("data-count", -1))
        for r in root.iter(f"{SVG}rect")
        if r.get("class") == "level-bar"
    }
    assert list(bars) == list(LEVEL_KEYS)
    assert bars["ES-2"] == 1 and bars["ES-1"] == 1 and sum(bars.values()) == 2
    assert evidence_profile_svg(corpus, "article-b") == evidence_profile_svg(corpus, "article-b")
    with pytest.raises(KeyError, match="no-such"):
        evidence_profile_svg(corpus, "no-such")


# --- the real corpus --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> tuple[kgraph.Corpus, AuditReport]:
    corpus = kgraph.load(REPO / "claims")
    if not corpus.claims:
        pytest.fail("claims/claims holds no claims")
    return corpus, run_audit(corpus)


def _articles(corpus: kgraph.Corpus, claim: kgraph.Claim) -> set[str]:
    return {
        a.source
        for a in claim.sources
        if a.source in corpus.sources and corpus.sources[a.source].kind in ("marketing", "news")
    }


def _rank(claim: kgraph.Claim) -> int | None:
    return vocab.LEVEL_BY_VALUE[claim.level].rank if claim.level in vocab.LEVEL_BY_VALUE else None


def _flat(quote: str) -> bool:
    cues = find_cues(quote)
    return not any(c.kind == "hedge" for c in cues) or any(c.kind == "booster" for c in cues)


def test_real_echoes_are_the_weak_claims_two_articles_repeat(real: tuple) -> None:
    corpus, report = real
    expected = {
        cid
        for cid, c in corpus.claims.items()
        if (r := _rank(c)) is not None and r <= 2 and len(_articles(corpus, c)) >= 2
    }
    assert {f.claim for f in report.findings if f.code == "AU103"} == expected
    assert len([f for f in report.findings if f.code == "AU103"]) == len(expected)


def test_real_overclaims_are_the_flat_quotes_of_weak_claims(real: tuple) -> None:
    corpus, report = real
    expected = {
        (cid, a.source)
        for cid, c in corpus.claims.items()
        if (r := _rank(c)) is not None and r <= 3
        for a in c.sources
        if _flat(a.quote)
    }
    assert {(f.claim, f.source) for f in report.findings if f.code == "AU101"} == expected


def test_real_weak_links_follow_the_dependency_graph(real: tuple) -> None:
    corpus, report = real
    g = nx.DiGraph()
    for cid, c in corpus.claims.items():
        g.add_node(cid)
        g.add_edges_from((cid, d) for d in c.depends_on if d in corpus.claims)
    expected = set()
    for cid, c in corpus.claims.items():
        ranks = [r for d in nx.descendants(g, cid) if (r := _rank(corpus.claims[d])) is not None]
        if _rank(c) is not None and ranks and min(ranks) < _rank(c):  # type: ignore[operator]
            expected.add(cid)
    weak = [f for f in report.findings if f.code == "AU104"]
    assert {f.claim for f in weak} == expected
    for f in weak:
        assert f.chain[0] == f.claim and nx.is_path(g, list(f.chain))
        premise_ranks = [_rank(corpus.claims[d]) for d in nx.descendants(g, f.claim)]
        assert _rank(corpus.claims[f.chain[-1]]) == min(r for r in premise_ranks if r is not None)


def test_real_chains_agree_with_a_search_from_each_claim(real: tuple) -> None:
    corpus, _ = real
    chains = weakest_chains(corpus)
    for cid in corpus.claims:
        assert chains.get(cid) == chain_by_search(corpus, cid), cid


def test_real_rhetoric_and_bookkeeping_counts(real: tuple) -> None:
    corpus, report = real
    groups = report.by_code()
    rhetoric = [
        (cid, a.source)
        for cid, c in corpus.claims.items()
        if c.kind == "rhetoric"
        for a in c.sources
    ]
    assert sorted((f.claim, f.source) for f in groups.get("AU107", [])) == sorted(rhetoric)
    single = [c for c in corpus.claims.values() if len({a.source for a in c.sources}) == 1]
    assert len(groups.get("AU201", [])) == len(single)
    unreviewed = [c for c in corpus.claims.values() if not c.review.reviewer]
    assert len(groups.get("AU204", [])) == len(unreviewed)


def test_real_scorecards_add_up(real: tuple) -> None:
    corpus, report = real
    articles = {s for c in corpus.claims.values() for s in _articles(corpus, c)}
    assert set(report.scorecards) == articles
    for sid, card in report.scorecards.items():
        mine = [c for c in corpus.claims.values() if any(a.source == sid for a in c.sources)]
        assert card.n_claims == len(mine) == sum(card.by_level.values())
        assert card.overclaims == sum(1 for f in report.for_source(sid) if f.code == "AU101")
        assert len(card.weakest) == min(3, len([c for c in mine if c.level]))


def test_real_audit_flags_what_a_careful_reader_would(real: tuple) -> None:
    corpus, report = real
    # Each of the four marketing pages states something as fact that the evidence does not bear.
    for sid in report.scorecards:
        assert report.scorecards[sid].overclaims > 0, sid
    # The "reset button" metaphor is reported as rhetoric, with the article's words.
    reset = [f for f in report.findings if f.code == "AU107" and "reset" in (f.quote or "")]
    assert any("reset button" in (f.quote or "") for f in reset)
    # The amygdala story or the "neuroplastic window" is flagged as more than bookkeeping.
    suspects = [
        cid
        for cid, c in corpus.claims.items()
        if "amygdala" in (c.subject, c.object) or "neuroplastic-window" in cid
    ]
    assert suspects, "expected claims about the amygdala or the neuroplastic window"
    assert any(
        f.code.startswith("AU1") and f.severity != "info"
        for cid in suspects
        for f in report.for_claim(cid)
    )
    # Echoes of articles that all cite nothing say they are not independent.
    nothing = {sid for sid, s in corpus.sources.items() if s.cites == []}
    for f in report.findings:
        if (
            f.code == "AU103"
            and f.claim
            and len(_articles(corpus, corpus.claims[f.claim]) & nothing) >= 2
        ):
            assert "cite nothing" in f.message


def test_real_echo_chart_has_a_mark_per_claim(real: tuple) -> None:
    corpus, _ = real
    assert len(marks(echo_chart_svg(corpus))) == len(corpus.claims)
    for sid in corpus.sources:
        if corpus.sources[sid].kind == "marketing":
            ET.fromstring(evidence_profile_svg(corpus, sid))


def test_load_audit_is_the_notebook_entry_point() -> None:
    corpus, report = load_audit(REPO / "claims", allow_errors=True)
    assert report.findings == run_audit(corpus).findings


def test_real_audit_output_is_reproducible(real: tuple) -> None:
    corpus, report = real
    again = kgraph.load(REPO / "claims")
    for fmt in ("text", "markdown", "json"):
        assert render_audit(run_audit(again), again, fmt) == render_audit(report, corpus, fmt)
    assert echo_chart_svg(again) == echo_chart_svg(corpus)


def test_a_level_kept_by_an_override_is_shown_with_the_derived_one(scene: Scene) -> None:
    """AU109: the rules derive ES-5 from an RCT with no domain rated down; the record keeps
    ES-3 by an argued override, which a researcher auditing the grade needs to see."""
    quote = [("article-a", "Ketamine works on the brain’s glutamate system.")]
    scene.add("kept", quote, level="ES-3", domains="none", override="tiny")
    _, report = audited(scene)
    [f] = [f for f in report.for_claim("kept") if f.code == "AU109"]
    assert "stated ES-3, but the grading rules derive ES-5 (GRADE high" in f.message
    assert f.message.endswith("The override argues: tiny")
    scene.add("kept", quote, level="ES-5", domains="none", override="")
    _, report = audited(scene)
    assert not [f for f in report.for_claim("kept") if f.code == "AU109"]


def test_a_claim_every_source_only_implies_is_read_into(scene: Scene) -> None:
    """AU110: each quote carries the claim only as a reading; one literal quote clears it."""
    quotes = [
        ("article-a", "Ketamine works on the brain’s glutamate system."),
        ("article-b", "Ketamine works on the glutamate system."),
    ]
    scene.add("read", quotes, reading="heading")
    _, report = audited(scene)
    [f] = [f for f in report.for_claim("read") if f.code == "AU110"]
    assert "in so many words: each quote is a heading" in f.message
    scene.add("read", quotes[:1], reading="literal")
    _, report = audited(scene)
    assert not [f for f in report.for_claim("read") if f.code == "AU110"]
