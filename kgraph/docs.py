"""Reference pages generated from the code's own tables, so the docs cannot drift from them.

`scripts/gen_docs.py` writes them into docs/ and schema/; tests/test_docs.py keeps them current.
"""

from __future__ import annotations

import json

from kgraph import vocab
from kgraph.corpus.findings import codes_markdown
from kgraph.corpus.model import Corpus
from kgraph.corpus.schema import FORMATS, json_schema


def _terms_table(terms: tuple[vocab.Term, ...]) -> list[str]:
    rows = ["| value | meaning |", "|---|---|"]
    rows += [f"| `{t.value}` | {t.description} |" for t in terms]
    return rows


def vocabulary_markdown() -> str:
    lines = [
        "# Controlled vocabularies",
        "",
        "Generated from `kgraph/vocab.py`, the one place these values are defined; the checker,",
        "the JSON Schemas, the site's legend and the audit read them from there.",
        "",
        "## Evidence levels (ES)",
        "",
        "| level | name | definition | maps to | colour |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| `{lv.value}` | {lv.name} | {lv.description} | {lv.maps_to} | `{lv.colour}` |"
        for lv in vocab.EVIDENCE_LEVELS
    ]
    sections: list[tuple[str, tuple[vocab.Term, ...]]] = [
        ("Evidence direction (`evidence.direction`)", vocab.DIRECTIONS),
        ("Reference direction (`references[].direction`)", vocab.REFERENCE_DIRECTIONS),
        ("Source kinds, most to least reliable", vocab.SOURCE_KINDS),
        ("Claim kinds", vocab.CLAIM_KINDS),
        ("Predicates", vocab.PREDICATES),
        ("Entity types", vocab.ENTITY_TYPES),
        ("Review statuses", vocab.REVIEW_STATUSES),
        ("Qualifiers", vocab.QUALIFIER_KEYS),
    ]
    for title, terms in sections:
        lines += ["", f"## {title}", "", *_terms_table(terms)]
    lines += [
        "",
        "Sources of kind "
        + " and ".join(f"`{k}`" for k in sorted(vocab.NON_EVIDENCE_SOURCE_KINDS))
        + " can assert a claim but never be evidence for one.",
        "",
        "## Hedge and booster cues",
        "",
        "Regular expressions matched at word boundaries, case-insensitively, in a quote.",
        "",
        "| cue | family | kind |",
        "|---|---|---|",
    ]
    lines += [f"| `{t.value}` | {t.label} | hedge |" for t in vocab.HEDGE_CUES]
    lines += [f"| `{t.value}` | {t.label} | booster |" for t in vocab.BOOSTER_CUES]
    lines += _grounding_sections()
    return "\n".join(lines) + "\n"


def _grounding_sections() -> list[str]:
    """The vocabularies entities take identifiers from, by type (docs/grounding.md)."""
    lines = [
        "",
        "## Grounding vocabularies",
        "",
        "The vocabularies (or branches of one: MeSH tree numbers, GO namespaces) an entity's",
        "`grounding:` terms come from; [grounding.md](grounding.md) says how they are pinned.",
        "",
        "| name | prefix | what | branches |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{v.name}` | `{v.prefix}` | {v.label} | {', '.join(v.scope) or 'all'} |"
        for v in vocab.VOCABULARIES
    ]
    lines += [
        "",
        "## Vocabularies by entity type, the preferred first",
        "",
        "| entity type | vocabularies | Biolink category (KGX) |",
        "|---|---|---|",
    ]
    for t in vocab.ENTITY_TYPES:
        names = ", ".join(f"`{n}`" for n in vocab.ENTITY_VOCABULARIES[t.value]) or "none"
        lines.append(f"| `{t.value}` | {names} | `{vocab.BIOLINK_CATEGORIES[t.value]}` |")
    lines += [
        "",
        "## Mapping relations (`grounding[].match`)",
        "",
        *_terms_table(vocab.MAPPING_RELATIONS),
    ]
    lines += ["", "## Predicates in KGX", "", "| predicate | Biolink predicate |", "|---|---|"]
    lines += [f"| `{p}` | `{b}` |" for p, b in vocab.BIOLINK_PREDICATES.items()]
    return lines


def findings_markdown() -> str:
    return (
        "# `kgraph check` finding codes\n\n"
        "Generated from `kgraph/corpus/findings.py`. Each finding is printed as\n"
        "`path:line:col: CODE severity: message`, with a hint where one helps. Errors fail the\n"
        "check (exit 1); warnings fail it only with `--strict`.\n\n" + codes_markdown() + "\n"
    )


def schema_files() -> dict[str, str]:
    """File name -> content for schema/."""
    return {
        f"{t}.schema.json": json.dumps(json_schema(t), indent=2, ensure_ascii=False) + "\n"
        for t in FORMATS
    }


STATS_BEGIN = "<!-- stats:begin -->"
STATS_END = "<!-- stats:end -->"


def corpus_readme(current: str, stats_markdown: str) -> str:
    """claims/README.md with the block between the stats markers replaced by current tables."""
    head, rest = current.split(STATS_BEGIN, 1)
    _, tail = rest.split(STATS_END, 1)
    # The stats page's own title is the README's business; keep its sections only.
    body = (
        stats_markdown.split("\n", 1)[1].strip()
        if stats_markdown.startswith("# ")
        else (stats_markdown.strip())
    )
    body = body.replace("\n## ", "\n### ")
    if body.startswith("## "):
        body = "#" + body
    return f"{head}{STATS_BEGIN}\n{body}\n{STATS_END}{tail}"


def generated_docs(corpus: Corpus | None = None) -> dict[str, str]:
    """Path (relative to the repository) -> content, for every generated reference file; with
    `corpus`, docs/grading.md shows examples from it."""
    from kgraph.corpus.grade import domain_examples
    from kgraph.exports.docs import graph_markdown
    from kgraph.grading.doc import grading_markdown

    files = {
        "docs/vocabulary.md": vocabulary_markdown(),
        "docs/findings.md": findings_markdown(),
        "docs/graph.md": graph_markdown(),
        "docs/grading.md": grading_markdown(domain_examples(corpus) if corpus else None),
    }
    from kgraph.outputs import MARKER, marker_text

    files.update({f"schema/{name}": text for name, text in schema_files().items()})
    files[f"schema/{MARKER}"] = marker_text("schema")
    return files
