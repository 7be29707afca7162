"""Shared fixtures: small corpora built in tmp_path by helpers, never copied folders."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

ARTICLE_TEXT = (
    "Ketamine works on the brain’s glutamate system.\n"
    "It may promote dendritic growth in some people.\n"
    "Ketamine primarily works by blocking the NMDA receptor—a fact.\n"
    "Some researchers describe ketamine as a kind of “reset button” for the brain.\n"
)


def tree(folder: Path) -> dict[str, str]:
    """Every entry under folder: files by content hash, symlinks by target, others by kind, so
    a test can assert that nothing changed."""
    import os

    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink():
            out[rel] = "-> " + os.readlink(p)
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            out[rel] = "dir" if p.is_dir() else "other"
    return out


class CorpusBuilder:
    """Writes a minimal valid corpus and lets a test add or break records."""

    def __init__(self, root: Path) -> None:
        self.root = root
        for folder in ("claims", "sources", "entities", "snapshots"):
            (root / folder).mkdir(parents=True, exist_ok=True)

    def write(self, folder: str, name: str, text: str) -> Path:
        path = self.root / folder / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def snapshot(self, name: str = "article.txt", text: str = ARTICLE_TEXT) -> str:
        (self.root / "snapshots" / name).write_text(text, encoding="utf-8")
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def article(self, rid: str = "article-a", snapshot: str = "article.txt", **extra: str) -> Path:
        digest = (
            self.snapshot(snapshot)
            if not (self.root / "snapshots" / snapshot).exists()
            else (hashlib.sha256((self.root / "snapshots" / snapshot).read_bytes()).hexdigest())
        )
        fields = {
            "title": "A clinic page",
            "kind": "marketing",
            "authors": "unknown",
            "publisher": "unknown",
            "url": "unknown",
            "published": "unknown",
            "accessed": "unknown",
        }
        fields.update(extra)
        body = "".join(f"{k}: {v}\n" for k, v in fields.items())
        body += f"snapshot:\n  path: snapshots/{snapshot}\n  sha256: {digest}\n"
        return self.write("sources", f"{rid}.yaml", f"id: {rid}\n{body}")

    def set_study(self, rid: str, design: str, population: str, drug: str = "") -> None:
        """Describe a source's study (once, on the source record), replacing any before."""
        path = self.root / "sources" / f"{rid}.yaml"
        text = path.read_text(encoding="utf-8").split("study:\n")[0]
        block = f"study:\n  design: {design}\n  n: 20\n  population: {json.dumps(population)}\n"
        if drug:
            block += f"  drug: {drug}\n"
        path.write_text(text + block, encoding="utf-8")

    def study(
        self, rid: str = "smith-2020-trial", kind: str = "rct", abstract: bool = True, **extra: str
    ) -> Path:
        """A study with its abstract kept (at the end of the record, so that lines above stay
        put), as every study of a re-graded corpus has."""
        fields = {"title": "A trial", "kind": kind, "authors": "[Smith J]", "published": "2020"}
        fields.update(extra)
        body = "".join(f"{k}: {v}\n" for k, v in fields.items())
        digest = self.snapshot(f"{rid}-abstract.txt", STUDY_ABSTRACT) if abstract else ""
        kept = (
            f"snapshot:\n  path: snapshots/{rid}-abstract.txt\n  sha256: {digest}\n"
            "  part: abstract\n"
        )
        text = f"id: {rid}\n{body}{STUDIES.get(kind, '')}"
        return self.write("sources", f"{rid}.yaml", text + (kept if abstract else ""))

    def entity(self, rid: str, label: str | None = None, synonyms: str = "[]") -> Path:
        return self.write(
            "entities",
            f"{rid}.yaml",
            f"id: {rid}\nlabel: {label or rid}\ntype: drug\nsynonyms: {synonyms}\n",
        )

    def claim(self, rid: str = "ketamine-acts-on-glutamate", text: str | None = None) -> Path:
        return self.write("claims", f"{rid}.yaml", text or claim_yaml(rid))

    def coverage(self, text: str | None = None, source: str = "article-a") -> Path:
        """A coverage map of the minimal corpus's article (every sentence accounted for)."""
        (self.root / "coverage").mkdir(exist_ok=True)
        return self.write("coverage", f"{source}.yaml", COVERAGE_YAML if text is None else text)

    def minimal(self) -> CorpusBuilder:
        """One article, one study, two entities and one claim: checks clean."""
        self.article()
        self.study()
        self.entity("ketamine")
        self.entity("glutamate-system")
        self.claim()
        return self


def claim_yaml(
    rid: str = "ketamine-acts-on-glutamate",
    quote: str = "Ketamine works on the brain’s glutamate system.",
    level: str = "ES-4",
    extra: str = "",
    source: str = "article-a",
    reference: str = "smith-2020-trial",
    kind: str = "mechanism",
) -> str:
    return f"""\
id: {rid}
statement: Ketamine acts on the glutamate system.
kind: {kind}
subject: ketamine
predicate: acts_on
object: glutamate-system
sources:
  - source: {source}
    quote: "{quote}"
    locator: paragraph 1
evidence:
  level: {level}
  direction: supports
  rationale: Trials agree. It is a test corpus.
  certainty: {DOMAINS_ES4}
  references:
    - source: {reference}
      finding: Found it.
      direction: supports
      excerpt: "{STUDY_EXCERPT}"
  search: {{date: {dt.date.today().isoformat()}, where: [a database], queries: [ketamine glutamate], screened: 3}}
review:
  status: draft
{extra}"""


# The minimal article's map: line 3 is the first entry, each entry two lines after the first's
# three (text 3, 6, 8, 10; locator 4; claims 5).
COVERAGE_YAML = """\
source: article-a
sentences:
  - text: "Ketamine works on the brain’s glutamate system."
    locator: "opening section, paragraph 1, sentence 1"
    claims: [ketamine-acts-on-glutamate]
  - text: "It may promote dendritic growth in some people."
    not_a_claim: "a sentence of the test article that no test claim needs"
  - text: "Ketamine primarily works by blocking the NMDA receptor—a fact."
    not_a_claim: "a sentence of the test article that no test claim needs"
  - text: "Some researchers describe ketamine as a kind of “reset button” for the brain."
    not_a_claim: "a sentence of the test article that no test claim needs"
"""


# The default claim's GRADE domains, on one line: an RCT (high) with two domains rated down
# (low), trials agreeing: ES-4, the level claim_yaml states by default.
DOMAINS_ES4 = (
    "{risk_of_bias: {rating: serious, reason: open label}, inconsistency: {rating: none, reason: "
    "one trial}, indirectness: {rating: none, reason: the claim's population}, imprecision: "
    "{rating: serious, reason: 20 people}, publication_bias: {rating: none, reason: none seen}}"
)
# Every study's kept abstract, and the words of it the default claim's reference quotes.
STUDY_EXCERPT = "ketamine acted on the glutamate system"
STUDY_ABSTRACT = f"Results: in this trial {STUDY_EXCERPT} of 20 adults.\n"

# The study block a source of each kind gets by default (a study is described on its source).
STUDIES = {
    "rct": "study:\n  design: randomised-parallel\n  n: 20\n  population: adults\n",
    "systematic-review": (
        "study:\n  design: meta-analysis\n  review_of: randomised\n  n: 400\n  population: adults\n"
    ),
    "preclinical": "study:\n  design: animal\n  n: unknown\n  population: rats\n",
}


@pytest.fixture
def corpus(tmp_path: Path) -> CorpusBuilder:
    return CorpusBuilder(tmp_path / "corpus").minimal()


@pytest.fixture
def empty_corpus(tmp_path: Path) -> CorpusBuilder:
    return CorpusBuilder(tmp_path / "corpus")


@pytest.fixture
def make_corpus(tmp_path: Path) -> Callable[[str], CorpusBuilder]:
    def make(name: str = "c") -> CorpusBuilder:
        return CorpusBuilder(tmp_path / name)

    return make


# A corpus with a mechanism chain, hedged and boosted quotes, a premise, a contradicted claim,
# a rhetoric claim and two articles: for the graph, its exports and the queries.
ARTICLE_B_TEXT = (
    "Ketamine blocks NMDA receptors in the brain.\n"
    "Blocking these receptors is thought to boost glutamate signalling.\n"
    "Ketamine cures depression for good.\n"
)

CHAIN_ENTITIES = {
    "ketamine": ("ketamine", "drug", "[racemic ketamine, Ketalar]"),
    "nmda-receptor": ("NMDA receptor", "receptor", "[NMDAR]"),
    "glutamate-system": ("glutamate system", "neurotransmitter", "[]"),
    "dendritic-growth": ("dendritic growth", "process", "[]"),
    "antidepressant-effect": ("antidepressant effect", "outcome", "[]"),
    "depression": ("depression", "condition", "[major depression]"),
    "reset-button": ("reset button", "concept", "[]"),
}


def _claim(
    rid: str,
    statement: str,
    kind: str,
    triple: tuple[str, str, str],
    sources: list[tuple[str, str]],
    evidence: str = "",
    extra: str = "",
) -> str:
    subject, predicate, obj = triple
    lines = [
        f"id: {rid}",
        f"statement: {statement}",
        f"kind: {kind}",
        f"subject: {subject}",
        f"predicate: {predicate}",
        f"object: {obj}",
        "sources:",
    ]
    for i, (source, quote) in enumerate(sources):
        lines += [
            f"  - source: {source}",
            f'    quote: "{quote}"',
            f"    locator: paragraph {i + 1}",
        ]
    return "\n".join(lines) + "\n" + evidence + extra


# GRADE domains, on one line, that derive each level from the fixtures' designs (an RCT or a
# review of RCTs starts high; animal work is ES-2 whatever the domains).
_ALL_NONE = (
    "{risk_of_bias: {rating: none, reason: r}, inconsistency: {rating: none, reason: r}, "
    "indirectness: {rating: none, reason: r}, imprecision: {rating: none, reason: r}, "
    "publication_bias: {rating: none, reason: r}}"
)


_THREE_SERIOUS = (
    "{risk_of_bias: {rating: serious, reason: r}, inconsistency: {rating: serious, reason: r}, "
    "indirectness: {rating: none, reason: r}, imprecision: {rating: serious, reason: r}, "
    "publication_bias: {rating: none, reason: r}}"
)


def _evidence(
    level: str,
    direction: str,
    refs: list[tuple[str, str, int | None]],
    *,
    background: str = "review-2019",
    rated: bool = True,
) -> str:
    """A graded evidence block as the re-graded corpus writes one: each reference with its
    excerpt of the study's kept abstract, the domains rated so that, on an RCT or a review of
    RCTs, the stated level is the derived one (`rated=False`: the domains still `unknown`, a
    warning), and a search. An ES-1 claim without studies cites `background` as background."""
    if level == "ES-1" and not refs:
        refs, direction = [(background, "neutral", None)], "untested"
    domains = {"ES-4": DOMAINS_ES4, "ES-3": _THREE_SERIOUS}.get(level, _ALL_NONE)
    domains = domains if rated else "unknown"
    text = (
        f"evidence:\n  level: {level}\n  direction: {direction}\n"
        f"  rationale: Graded {level} for the test corpus.\n"
        f"  certainty: {domains}\n"
        f"  search: {{date: {dt.date.today().isoformat()}, where: [a database], "
        "queries: [ketamine], screened: 4}\n"
    )
    if refs:
        text += "  references:\n"
        for source, ref_direction, _n in refs:
            text += (
                f"    - source: {source}\n      finding: Found it.\n"
                f"      direction: {ref_direction}\n      excerpt: {STUDY_EXCERPT}\n"
            )
    return text


def chain_corpus(b: CorpusBuilder) -> CorpusBuilder:
    """Seven claims over seven entities: ketamine -> NMDA -> glutamate -> growth -> effect."""
    b.article("article-a")
    b.snapshot("article-b.txt", ARTICLE_B_TEXT)
    b.article(
        "article-b",
        snapshot="article-b.txt",
        title="Ketamine news",
        kind="news",
        publisher="Daily Paper",
        url="https://news.test/ketamine",
        published="2021-05-01",
        accessed="2024-01-01",
    )
    b.study("review-2019", kind="systematic-review", doi="10.1000/review.2019", published="2019")
    b.study("trial-2020", kind="rct", pmid="12345678", published="2020")
    b.study("rat-2018", kind="preclinical", published="2018")
    for rid, (label, etype, synonyms) in CHAIN_ENTITIES.items():
        b.write(
            "entities",
            f"{rid}.yaml",
            f"id: {rid}\nlabel: {label}\ntype: {etype}\nsynonyms: {synonyms}\n"
            f"description: The {label}.\n",
        )
    claims = {
        "ketamine-blocks-nmda": _claim(
            "ketamine-blocks-nmda",
            "Ketamine blocks the NMDA receptor.",
            "mechanism",
            ("ketamine", "blocks", "nmda-receptor"),
            [
                ("article-a", "Ketamine primarily works by blocking the NMDA receptor—a fact."),
                ("article-b", "Ketamine blocks NMDA receptors in the brain."),
            ],
            _evidence("ES-5", "supports", [("review-2019", "supports", None)]),
            "qualifiers:\n  population: adults\n",
        ),
        "nmda-blockade-boosts-glutamate": _claim(
            "nmda-blockade-boosts-glutamate",
            "Blocking NMDA receptors boosts glutamate signalling.",
            "mechanism",
            ("nmda-receptor", "modulates", "glutamate-system"),
            [("article-b", "Blocking these receptors is thought to boost glutamate signalling.")],
            _evidence("ES-2", "supports", [("rat-2018", "supports", 40)]),
            "depends_on: [ketamine-blocks-nmda]\n",
        ),
        "ketamine-acts-on-glutamate": _claim(
            "ketamine-acts-on-glutamate",
            "Ketamine acts on the glutamate system.",
            "mechanism",
            ("ketamine", "acts_on", "glutamate-system"),
            [("article-a", "Ketamine works on the brain’s glutamate system.")],
            _evidence("ES-4", "supports", [("trial-2020", "supports", 20)]),
            "tags: [glutamate]\n",
        ),
        "glutamate-drives-dendritic-growth": _claim(
            "glutamate-drives-dendritic-growth",
            "A glutamate surge drives dendritic growth.",
            "mechanism",
            ("glutamate-system", "causes", "dendritic-growth"),
            [("article-a", "It may promote dendritic growth in some people.")],
            _evidence("ES-2", "mixed", [("rat-2018", "mixed", 40)]),
            "depends_on: [nmda-blockade-boosts-glutamate]\n",
        ),
        "growth-causes-antidepressant-effect": _claim(
            "growth-causes-antidepressant-effect",
            "Dendritic growth causes the antidepressant effect.",
            "mechanism",
            ("dendritic-growth", "causes", "antidepressant-effect"),
            [("article-a", "It may promote dendritic growth in some people.")],
            _evidence("ES-1", "supports", []),
            "depends_on: [glutamate-drives-dendritic-growth]\n",
        ),
        "ketamine-cures-depression": _claim(
            "ketamine-cures-depression",
            "Ketamine cures depression for good.",
            "effect",
            ("ketamine", "treats", "depression"),
            [("article-b", "Ketamine cures depression for good.")],
            _evidence("ES-4", "contradicts", [("trial-2020", "contradicts", 20)]),
        ),
        "ketamine-is-a-reset-button": _claim(
            "ketamine-is-a-reset-button",
            "Ketamine is a reset button for the brain.",
            "rhetoric",
            ("ketamine", "described_as", "reset-button"),
            [
                (
                    "article-a",
                    "Some researchers describe ketamine as a kind of “reset button” for the brain.",
                )
            ],
        ),
    }
    for rid, text in claims.items():
        b.write("claims", f"{rid}.yaml", text)
    return b


def add_ungraded_finding(b: CorpusBuilder) -> None:
    """An ES-0 claim: nothing found, so its evidence records no direction."""
    b.write(
        "claims",
        "ketamine-cures-everything.yaml",
        _claim(
            "ketamine-cures-everything",
            "Ketamine cures depression for good.",
            "effect",
            ("ketamine", "treats", "depression"),
            [("article-b", "Ketamine cures depression for good.")],
            "evidence:\n  level: ES-0\n  rationale: Nothing tests a permanent cure.\n"
            "  override: unknown\n",
        ),
    )


@pytest.fixture
def chain(tmp_path: Path) -> CorpusBuilder:
    return chain_corpus(CorpusBuilder(tmp_path / "chain"))


# A corpus for the writers' tools (find, draft, cite): synonyms that paraphrases use, claims at
# every verdict (ES-5, ES-3 mixed, contradicted, ES-1, rhetoric), and studies whose authors,
# dates and identifiers are partly unknown, for citation output.
WRITERS_ARTICLE = (
    "Ketamine seems to dial down this overactivation of the amygdala.\n"
    "Ketamine increases the release of BDNF.\n"
    "Ketamine primarily works by blocking the NMDA receptor.\n"
    "It is used in FDA-approved forms (like Spravato).\n"
    "Ketamine heals PTSD.\n"
    "After a session the brain enters a window of opportunity.\n"
    "Some researchers describe ketamine as a kind of reset button for the brain.\n"
)
WRITERS_ENTITIES = {
    "ketamine": ("ketamine", "drug", "[racemic ketamine, the medicine]"),
    "esketamine": ("esketamine", "drug", "[Spravato]"),
    "amygdala": ("amygdala", "brain_region", '[fear center, "brain\'s alarm system"]'),
    "bdnf": ("BDNF", "molecule", "[brain-derived neurotrophic factor]"),
    "nmda-receptor": ("NMDA receptor", "receptor", "[NMDA, NMDA receptors]"),
    "ptsd": ("PTSD", "condition", "[post-traumatic stress disorder]"),
    "treatment-resistant-depression": ("treatment-resistant depression", "condition", "[TRD]"),
    "neuroplastic-window": ("neuroplastic window", "concept", "[window of opportunity]"),
    "reset-button": ("reset button", "concept", "[reset]"),
}


def writers_corpus(b: CorpusBuilder) -> CorpusBuilder:
    """Seven claims, one marketing article, five studies: checks without errors."""
    b.snapshot("article.txt", WRITERS_ARTICLE)
    b.article("article-a")
    b.study(
        "duek-2023-amygdala",
        kind="rct",
        authors="[Duek O, Korem N, Krystal JH]",
        published="2023-05",
        journal="Neuropsychopharmacology",
        volume='"48"',
        pages='"1648-1658"',
        doi="10.1038/s41386-023-01606-3",
        title='"Ketamine and amygdala reactivity in PTSD"',
    )
    b.study(
        "haile-2014-bdnf",
        kind="clinical-study",
        authors='[Haile CN, "et al."]',
        published="2014",
        pmid='"24103202"',
        title='"Plasma BDNF and ketamine response"',
    )
    b.study(
        "zanos-2018-mechanisms",
        kind="narrative-review",
        authors="[Zanos P, Gould TD]",
        published="2018",
        journal="Molecular Psychiatry",
        doi="10.1038/mp.2017.255",
        title='"Mechanisms of ketamine action as an antidepressant"',
    )
    b.study(
        "fda-2019-approval",
        kind="regulatory",
        authors="[U.S. Food and Drug Administration]",
        published="2019-03-05",
        title='"FDA approves Spravato"',
    )
    b.study("anonymous-trial", kind="rct", authors="unknown", published="unknown")
    for rid, (label, etype, synonyms) in WRITERS_ENTITIES.items():
        b.write(
            "entities",
            f"{rid}.yaml",
            f"id: {rid}\nlabel: {label}\ntype: {etype}\nsynonyms: {synonyms}\n",
        )
    claims = {
        "ketamine-dampens-amygdala": _claim(
            "ketamine-dampens-amygdala",
            "Ketamine dampens overactivity of the amygdala.",
            "mechanism",
            ("ketamine", "decreases", "amygdala"),
            [("article-a", "Ketamine seems to dial down this overactivation of the amygdala.")],
            _evidence("ES-3", "mixed", [("duek-2023-amygdala", "mixed", 27)], rated=False),
        ),
        "ketamine-increases-bdnf": _claim(
            "ketamine-increases-bdnf",
            "Ketamine increases BDNF.",
            "mechanism",
            ("ketamine", "increases", "bdnf"),
            [("article-a", "Ketamine increases the release of BDNF.")],
            _evidence(
                "ES-3",
                "supports",
                [("haile-2014-bdnf", "supports", 22), ("anonymous-trial", "supports", None)],
                rated=False,
            ),
        ),
        "ketamine-blocks-nmda": _claim(
            "ketamine-blocks-nmda",
            "Ketamine blocks NMDA receptors.",
            "mechanism",
            ("ketamine", "blocks", "nmda-receptor"),
            [("article-a", "Ketamine primarily works by blocking the NMDA receptor.")],
            _evidence(
                "ES-5", "supports", [("zanos-2018-mechanisms", "supports", None)], rated=False
            ),
        ),
        "esketamine-approved-for-trd": _claim(
            "esketamine-approved-for-trd",
            "Esketamine (Spravato) is FDA-approved for treatment-resistant depression.",
            "regulatory",
            ("esketamine", "approved_for", "treatment-resistant-depression"),
            [("article-a", "FDA-approved forms (like Spravato)")],
            _evidence("ES-5", "supports", [("fda-2019-approval", "supports", None)], rated=False),
        ),
        "ketamine-treats-ptsd": _claim(
            "ketamine-treats-ptsd",
            "Ketamine treats PTSD.",
            "effect",
            ("ketamine", "treats", "ptsd"),
            [("article-a", "Ketamine heals PTSD.")],
            _evidence(
                "ES-4", "contradicts", [("duek-2023-amygdala", "contradicts", 27)], rated=False
            ),
        ),
        "ketamine-opens-window": _claim(
            "ketamine-opens-window",
            "After a ketamine session the brain enters a neuroplastic window.",
            "mechanism",
            ("ketamine", "causes", "neuroplastic-window"),
            [("article-a", "After a session the brain enters a window of opportunity.")],
            _evidence("ES-1", "supports", [], background="zanos-2018-mechanisms", rated=False),
        ),
        "ketamine-is-a-reset": _claim(
            "ketamine-is-a-reset",
            "Ketamine is described as a reset button for the brain.",
            "rhetoric",
            ("ketamine", "described_as", "reset-button"),
            [
                (
                    "article-a",
                    "Some researchers describe ketamine as a kind of reset button for the brain.",
                )
            ],
        ),
    }
    for rid, text in claims.items():
        b.write("claims", f"{rid}.yaml", text)
    return b


@pytest.fixture
def writers(tmp_path: Path) -> CorpusBuilder:
    return writers_corpus(CorpusBuilder(tmp_path / "writers"))


GRADED_ABSTRACT = (
    "Background: ketamine and glutamate.\n\n"
    "Results: ketamine raised prefrontal glutamate within minutes in 20 adults. "
    "No other change was seen.\n"
)


def graded_corpus(b: CorpusBuilder) -> CorpusBuilder:
    """The minimal corpus graded in full: the study's abstract kept with where and when it was
    seen, an excerpt of it with a `[...]`, the five domains rated (imprecision serious: GRADE
    moderate, ES-5), a search documented with one study left out."""
    digest = b.snapshot("smith-abstract.txt", GRADED_ABSTRACT)
    study = b.root / "sources/smith-2020-trial.yaml"
    record = study.read_text(encoding="utf-8").split("snapshot:\n")[0]
    study.write_text(
        record + f"snapshot:\n  path: snapshots/smith-abstract.txt\n  sha256: {digest}\n"
        "  part: abstract\n  url: https://example.org/smith\n  seen: 2026-12-01\n",
        encoding="utf-8",
    )
    # The abstract it replaces is no longer any source's (a snapshot nobody names is KG406).
    (b.root / "snapshots/smith-2020-trial-abstract.txt").unlink(missing_ok=True)
    claim = b.root / "claims/ketamine-acts-on-glutamate.yaml"
    lines = claim.read_text(encoding="utf-8").splitlines(keepends=True)
    domains = "".join(
        f"    {d}: {{rating: {'serious' if d == 'imprecision' else 'none'}, reason: r-{d}}}\n"
        for d in (
            "risk_of_bias",
            "inconsistency",
            "indirectness",
            "imprecision",
            "publication_bias",
        )
    )
    replaced = {
        "  level:": "  level: ES-5\n",
        "  certainty:": "  certainty:\n" + domains,
        "    locator:": "    locator: paragraph 1\n    reading: literal\n",
        "      excerpt:": "      excerpt: ketamine raised prefrontal glutamate [...] in 20 adults\n"
        "      outcome: prefrontal glutamate (MRS)\n      timepoint: minutes\n",
        "  search:": f"  search:\n    date: {dt.date.today().isoformat()}\n"
        "    where: [a database]\n    queries: [ketamine glutamate MRS]\n    screened: 12\n"
        "    included: [smith-2020-trial]\n    excluded:\n"
        "      - study: Jones 2019\n        reason: rats only\n",
    }
    out = []
    for line in lines:
        key = next((k for k in replaced if line.startswith(k)), None)
        out.append(replaced[key] if key else line)
    claim.write_text("".join(out), encoding="utf-8")
    return b
