"""docs/grading.md: how a claim is graded, written out from the derivation's own tables.

The rules' prose is the module docstring of `kgraph.grading.derive`; the tables come from
`MAPPING` and `kgraph.vocab`, so the page cannot say one thing while the code does another.
"""

from __future__ import annotations

import importlib

from kgraph import vocab

# The module, not the function `kgraph.grading.derive` that the package exports under its name.
derive_mod = importlib.import_module("kgraph.grading.derive")

_START = {"randomised": "high", "observational": "low", "uncontrolled": "very low"}

_EXAMPLE = """\
# sources/holmes-2022-sv2a-pet-ketamine.yaml: a study is described once, on its source
id: holmes-2022-sv2a-pet-ketamine
title: "Imaging the effect of ketamine on synaptic density (SV2A) in the living brain"
kind: human-mechanistic
authors: [Holmes, et al.]             # as seen; the rest cut to et al.
published: "2022"
journal: Molecular Psychiatry
doi: 10.1038/s41380-022-01465-2       # seen on the page the abstract came from
snapshot:                             # the abstract, kept so the excerpt can be checked
  path: snapshots/abstracts/holmes-2022-sv2a-pet-ketamine.txt
  sha256: 50d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6545c  # sha256sum of the file
  part: abstract
  url: https://doi.org/10.1038/s41380-022-01465-2
  seen: "2026-12-03"
study:
  design: single-arm                  # docs/grading.md, designs (unknown if not stated)
  n: unknown                          # the abstract does not give it
  population: "non-human primates, healthy controls, and adults with MDD and/or PTSD"
  drug: racemic-ketamine
  intervention: "a single ketamine administration; PET with [11C]UCB-J before and 24 h after"
  comparator: "none (before and after)"

# claims/<id>.yaml: the evidence block of a claim
evidence:
  level: ES-3                         # must equal the derived level, or carry `override`
  direction: contradicts              # must follow the references' directions
  rationale: "Two to five sentences a reader can check."
  references:
    - source: holmes-2022-sv2a-pet-ketamine
      finding: "No measurable change in SV2A density 24 h after one dose."
      excerpt: "we did not find evidence of a measurable effect on SV2A density 24 h after \\
a single administration of ketamine [...] despite a robust reduction in symptoms"
      outcome: "SV2A density (PET)"
      timepoint: "24 h"
      direction: contradicts
  certainty:                          # the five GRADE domains, each rated with a reason
    risk_of_bias: {rating: serious, reason: "no control group; before and after only"}
    inconsistency: {rating: none, reason: "one study"}
    indirectness: {rating: none, reason: "human brain, the claim's outcome"}
    imprecision: {rating: serious, reason: "a small sample"}
    publication_bias: {rating: none, reason: "none suspected"}
  upgrades: {}                        # large_effect, dose_response, plausible_confounding
  search:                             # PRISMA-S: enough to run it again
    date: "2026-12-03"
    where: ["the project's search tool: stored web pages", "journal pages it found"]
    queries: ["ketamine synaptic density PET human", "ketamine SV2A"]
    screened: 14
    included: [holmes-2022-sv2a-pet-ketamine]
    excluded:
      - study: "A trial registry entry of the same study"
        reason: "no results"
    notes: "Looked for a study that would refute the claim as well as support it."
"""


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


Example = tuple[str, str, str]  # (claim id, rating, reason)


def grading_markdown(examples: dict[str, list[Example]] | None = None) -> str:
    """The page; `examples` gives, by domain, claims of the corpus rated down for it."""
    rules = (derive_mod.__doc__ or "").split("\n", 2)[2].split("\n\nWhere an input")[0]
    missing = (derive_mod.__doc__ or "").split("\n\nWhere an input", 1)[1].strip()
    lines = [
        "# How a claim is graded",
        "",
        "Generated from `kgraph/grading/derive.py` and `kgraph/vocab.py` by",
        "`scripts/gen_docs.py`; a test fails when it is stale. A claim's level is derived from",
        "its references, the designs of their studies and the GRADE domains; `kgraph check`",
        "compares the level a record states with the derived one (KG706) and the direction with",
        "the references' directions (KG708). The site, the audit and the exports show the",
        "derivation step by step.",
        "",
        "## The rules",
        "",
        rules.strip(),
        "",
        "Where an input" + " " + missing,
        "",
        "## From GRADE certainty to the ES scale",
        "",
        *_table(("evidence", "GRADE certainty", "level", "why"), list(derive_mod.MAPPING)),
        "",
        "## Study designs (`study.design` on the source)",
        "",
        "The design sets where GRADE starts. A systematic review starts where the designs it",
        "reviewed start (`study.review_of`).",
        "",
        *_table(
            ("design", "name", "basis", "GRADE starts", "meaning"),
            [
                (f"`{d.value}`", d.label, f"`{d.basis}`", _START.get(d.basis, "-"), d.description)
                for d in vocab.STUDY_DESIGNS
            ],
        ),
        "",
        *_table(
            ("basis", "meaning"), [(f"`{t.value}`", t.description) for t in vocab.DESIGN_BASES]
        ),
        "",
        *_table(
            ("`review_of`", "meaning"), [(f"`{t.value}`", t.description) for t in vocab.REVIEW_OF]
        ),
        "",
        "## The GRADE domains (`evidence.certainty`)",
        "",
        "Each domain is rated, with a reason a reader can check, or the whole block is",
        "`unknown` until it is rated. A domain rated `serious` takes one level off, `very-serious`",
        "two.",
        "",
        *_table(("domain", "meaning"), [(f"`{t.value}`", t.description) for t in vocab.DOMAINS]),
        "",
        *_examples(examples or {}),
        *_table(
            ("rating", "levels off"),
            [(f"`{k}`", str(v)) for k, v in vocab.DOMAIN_STEPS.items()],
        ),
        "",
        "## Reasons to rate up (`evidence.upgrades`)",
        "",
        *_table(("upgrade", "meaning"), [(f"`{t.value}`", t.description) for t in vocab.UPGRADES]),
        "",
        *_table(
            ("rating", "meaning"), [(f"`{t.value}`", t.description) for t in vocab.UPGRADE_RATINGS]
        ),
        "",
        "## How a quote carries its claim (`sources[].reading`)",
        "",
        "A claim read into an article (a heading, a list, an implication) says so, with",
        "`reading_reason`; the audit lists claims that rest only on readings (AU110), and the",
        "ClaimReview export names no article as stating them. Left out, `reading` is `literal`;",
        "`unknown` says it is still open (KG709).",
        "",
        *_table(("reading", "meaning"), [(f"`{t.value}`", t.description) for t in vocab.READINGS]),
        "",
        "## Which ketamine (`study.drug`)",
        "",
        *_table(("drug", "meaning"), [(f"`{t.value}`", t.description) for t in vocab.DRUG_FORMS]),
        "",
        "## An example",
        "",
        "```yaml",
        _EXAMPLE.rstrip(),
        "```",
        "",
        "## How the curators grade",
        "",
        "1. **Search, on both sides.** Systematic reviews and meta-analyses first (with the GRADE",
        "   ratings they print), then the large randomised trials, then direct human tests of a",
        "   mechanism (imaging, spectroscopy, PET, biomarkers), then animal work. Look for the",
        "   study that would refute the claim. Record the search as run: when, where, the queries",
        "   as typed, how many records were screened, what was included and what was left out",
        "   and why.",
        f"   A search older than {vocab.SEARCH_MAX_AGE_DAYS} days is reported (KG704).",
        "2. **Describe each study once**, on its source record, from its abstract: design, n,",
        "   population, which ketamine, intervention, comparator, registration. Keep the",
        "   abstract as a snapshot (`part: abstract`) with its SHA-256. Write `unknown` for what",
        "   the abstract does not say.",
        "3. **Quote the abstract** behind each finding as `excerpt`: verbatim, with `[...]` for",
        "   words left out and `[word]` for words put in; `kgraph check` finds every piece in the",
        "   snapshot, in order (KG701).",
        "4. **Rate the five domains** with reasons, and any upgrade. The level follows; an",
        "   `override` is rare, and argues in words why the derived level is wrong for this",
        "   claim.",
        "",
        "A value the grade needs that is still `unknown` (an excerpt, a domain, the search, a",
        "reading) is a warning, which `kgraph check --strict` fails: the corpus is re-graded, and",
        "a new record is graded in full before it lands.",
    ]
    return "\n".join(lines) + "\n"


def _examples(examples: dict[str, list[Example]]) -> list[str]:
    """For each domain, claims of the corpus rated down for it, with the reason given."""
    if not examples:
        return []
    out = ["Examples from the corpus, each a claim rated down for the domain, with its reason:", ""]
    for term in vocab.DOMAINS:
        for cid, rating, reason in examples.get(term.value, []):
            out.append(f"- `{term.value}` {rating}, `{cid}`: {reason}")
    return [*out, ""]
