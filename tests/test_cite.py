"""Citing the evidence behind a claim: BibTeX and CSL-JSON that reference managers import."""

from __future__ import annotations

import json

import bibtexparser
import jsonschema
import pytest
from click.testing import CliRunner

import kgraph
from kgraph.cli import main
from kgraph.writers.cite import NothingToCite, UnknownClaim, cite, parse_author
from tests.conftest import CorpusBuilder

# The parts of the CSL-JSON item schema (citation-style-language/schema, csl-data.json) that
# these tools rely on, made stricter where the project promises more: a title always, names as
# family/given (or a literal for a body), dates as integer date-parts.
CSL_ITEMS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "type", "title"],
        "properties": {
            "id": {"type": "string"},
            "type": {"enum": ["article-journal", "report", "document"]},
            "title": {"type": "string", "minLength": 1},
            "author": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "oneOf": [
                        {
                            "type": "object",
                            "required": ["family"],
                            "properties": {
                                "family": {"type": "string"},
                                "given": {"type": "string"},
                                "suffix": {"type": "string"},
                            },
                            "additionalProperties": False,
                        },
                        {
                            "type": "object",
                            "required": ["literal"],
                            "properties": {"literal": {"type": "string"}},
                            "additionalProperties": False,
                        },
                    ]
                },
            },
            "issued": {
                "type": "object",
                "required": ["date-parts"],
                "properties": {
                    "date-parts": {
                        "type": "array",
                        "items": {
                            "type": "array",
                            "items": {"type": "integer"},
                            "minItems": 1,
                            "maxItems": 3,
                        },
                    }
                },
            },
            "DOI": {"type": "string", "pattern": "^10\\."},
            "PMID": {"type": "string", "pattern": "^[0-9]+$"},
        },
    },
}


def corpus_of(b: CorpusBuilder) -> kgraph.Corpus:
    return kgraph.load(b.root)


def test_bibtex_parses_back_with_one_entry_per_primary_reference(writers: CorpusBuilder) -> None:
    text = cite(corpus_of(writers), "ketamine-increases-bdnf", "bibtex")
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == ["haile-2014-bdnf", "anonymous-trial"]
    haile = library.entries[0]
    assert haile["author"] == "Haile, C. N. and others"
    assert haile["year"] == "2014"
    assert (haile["eprint"], haile["eprinttype"]) == ("24103202", "pubmed")


def test_bibtex_keeps_identifiers_verbatim_and_protects_acronyms(writers: CorpusBuilder) -> None:
    library = bibtexparser.parse_string(cite(corpus_of(writers), "ketamine-treats-ptsd", "bibtex"))
    (duek,) = library.entries
    assert duek.entry_type == "article"
    assert duek["doi"] == "10.1038/s41386-023-01606-3"
    assert duek["title"] == "Ketamine and amygdala reactivity in {PTSD}"
    assert duek["author"] == "Duek, O. and Korem, N. and Krystal, J. H."
    assert (duek["year"], duek["month"], duek["pages"]) == ("2023", "5", "1648--1658")


def test_an_agency_author_stays_one_name(writers: CorpusBuilder) -> None:
    text = cite(corpus_of(writers), "esketamine-approved-for-trd", "bibtex")
    (entry,) = bibtexparser.parse_string(text).entries
    assert entry["author"] == "{U.S. Food and Drug Administration}"
    item = json.loads(cite(corpus_of(writers), "esketamine-approved-for-trd", "csl-json"))[0]
    assert item["author"] == [{"literal": "U.S. Food and Drug Administration"}]
    assert item["issued"] == {"date-parts": [[2019, 3, 5]]}
    assert item["type"] == "report"


@pytest.mark.parametrize(
    "claim", ["ketamine-dampens-amygdala", "ketamine-increases-bdnf", "ketamine-blocks-nmda"]
)
def test_csl_json_is_valid_and_has_only_known_fields(writers: CorpusBuilder, claim: str) -> None:
    corpus = corpus_of(writers)
    items = json.loads(cite(corpus, claim, "csl-json"))
    jsonschema.validate(items, CSL_ITEMS)
    for item in items:
        source = corpus.sources[item["id"]]
        assert ("DOI" in item) == bool(source.doi)
        assert ("PMID" in item) == bool(source.pmid)


def test_csl_json_names_are_family_and_given(writers: CorpusBuilder) -> None:
    items = json.loads(cite(corpus_of(writers), "ketamine-dampens-amygdala", "csl-json"))
    assert items[0]["author"][2] == {"family": "Krystal", "given": "J. H."}
    assert items[0]["issued"] == {"date-parts": [[2023, 5]]}
    assert items[0]["container-title"] == "Neuropsychopharmacology"


def test_unknown_authors_and_dates_are_not_invented(writers: CorpusBuilder) -> None:
    corpus = corpus_of(writers)
    items = {i["id"]: i for i in json.loads(cite(corpus, "ketamine-increases-bdnf", "csl-json"))}
    anonymous = items["anonymous-trial"]
    assert "author" not in anonymous
    assert "issued" not in anonymous
    entry = bibtexparser.parse_string(cite(corpus, "ketamine-increases-bdnf", "bibtex")).entries[1]
    assert "author" not in entry.fields_dict
    assert "year" not in entry.fields_dict
    markdown = cite(corpus, "ketamine-increases-bdnf", "markdown")
    assert "2. Authors unknown (n.d.). A trial." in markdown


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Lapidus KAB", {"family": "Lapidus", "given": "K. A. B."}),
        ("aan het Rot M", {"family": "aan het Rot", "given": "M."}),
        ("Zarate CA Jr", {"family": "Zarate", "given": "C. A.", "suffix": "Jr"}),
        ("Wilkinson", {"family": "Wilkinson"}),
        ("Mylan Institutional LLC", {"literal": "Mylan Institutional LLC"}),
        ("Janssen Pharmaceuticals, Inc.", {"literal": "Janssen Pharmaceuticals, Inc."}),
    ],
)
def test_recorded_author_names_become_name_parts(name: str, parts: dict[str, str]) -> None:
    assert parse_author(name) == parts


def test_markdown_lists_references_with_findings(writers: CorpusBuilder) -> None:
    text = cite(corpus_of(writers), "ketamine-dampens-amygdala", "markdown")
    lines = text.splitlines()
    assert lines[0] == (
        "Evidence for `ketamine-dampens-amygdala` (ES-3, mixed): "
        "Ketamine dampens overactivity of the amygdala."
    )
    assert lines[2].startswith("1. Duek O, Korem N, Krystal JH (2023). Ketamine and amygdala")
    assert "doi:[10.1038/s41386-023-01606-3](https://doi.org/10.1038/s41386-023-01606-3)" in text
    assert lines[3] == "   RCT, mixed: Found it."


def test_a_marketing_source_is_never_cited(writers: CorpusBuilder) -> None:
    # A broken record lists the marketing article as its only evidence: nothing may be cited.
    path = writers.root / "claims" / "ketamine-blocks-nmda.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("source: zanos-2018-mechanisms", "source: article-a"), "utf-8")
    corpus = corpus_of(writers)
    for fmt in ("bibtex", "csl-json", "markdown"):
        with pytest.raises(NothingToCite, match=r"article-a \(marketing\) cannot be cited"):
            cite(corpus, "ketamine-blocks-nmda", fmt)


def test_a_claim_without_references_says_so(writers: CorpusBuilder) -> None:
    corpus = corpus_of(writers)
    # Its one reference is background (neutral): citing it for the claim would mislead.
    with pytest.raises(NothingToCite, match=r"ES-1, speculative.*background only"):
        cite(corpus, "ketamine-opens-window", "bibtex")
    with pytest.raises(NothingToCite, match="rhetoric"):
        cite(corpus, "ketamine-is-a-reset", "csl-json")


def test_an_unknown_claim_gets_a_suggestion(writers: CorpusBuilder) -> None:
    with pytest.raises(UnknownClaim, match="did you mean ketamine-blocks-nmda"):
        cite(corpus_of(writers), "ketamine-block-nmda", "bibtex")


def test_output_is_the_same_every_run(writers: CorpusBuilder) -> None:
    for fmt in ("bibtex", "csl-json", "markdown"):
        outputs = {cite(corpus_of(writers), "ketamine-increases-bdnf", fmt) for _ in range(2)}
        assert len(outputs) == 1


# --- the command line -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["bibtex", "csl-json", "markdown"])
def test_cli_cite_prints_each_format(writers: CorpusBuilder, fmt: str) -> None:
    result = CliRunner().invoke(
        main, ["cite", "ketamine-dampens-amygdala", "--root", str(writers.root), "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    assert "duek-2023-amygdala" in result.output or "Duek O" in result.output
    assert "article-a" not in result.output


def test_cli_cite_without_references_fails_with_a_reason(writers: CorpusBuilder) -> None:
    result = CliRunner().invoke(
        main, ["cite", "ketamine-opens-window", "--root", str(writers.root), "--format", "bibtex"]
    )
    assert result.exit_code == 1
    assert "has no primary reference to cite" in result.output
    assert "Traceback" not in result.output


def test_cli_cite_prints_markdown_without_a_format(writers: CorpusBuilder) -> None:
    args = ["cite", "ketamine-dampens-amygdala", "--root", str(writers.root)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output == cite(corpus_of(writers), "ketamine-dampens-amygdala", "markdown")
    assert result.output == CliRunner().invoke(main, [*args, "--format", "markdown"]).output
    assert result.output != CliRunner().invoke(main, [*args, "--format", "bibtex"]).output


@pytest.mark.parametrize("command", ["find", "draft", "cite"])
def test_writers_commands_are_documented(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert main.commands[command].help
    assert "--root" in result.output
