"""The docs a user reads: generated references are current, and every command is documented."""

from __future__ import annotations

import json

import click
import pytest
import yaml
from click.testing import CliRunner

from kgraph.cli import main
from kgraph.docs import generated_docs
from tests.conftest import REPO


class _AsAnEditorReads(yaml.SafeLoader):
    """YAML as the records' editors and kgraph read it: a date is a string, not a timestamp."""


_AsAnEditorReads.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@pytest.mark.parametrize("rel", sorted(generated_docs()))
def test_generated_reference_is_current(rel: str) -> None:
    from kgraph.graph.queries import open_corpus

    expected = generated_docs(open_corpus(REPO)[0])[rel]
    assert (REPO / rel).read_text(encoding="utf-8") == expected, (
        f"{rel} is stale: run `.venv/bin/python scripts/gen_docs.py`"
    )


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_help(name: str) -> None:
    command = main.commands[name]
    assert command.help and len(command.help.strip()) > 20, f"{name} has no help text"
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    first_words = " ".join(command.help.split()[:8])
    assert first_words in " ".join(result.output.split())
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"option {param.name} of {name} is undocumented"


def test_schema_command_prints_valid_json_schemas() -> None:
    import jsonschema

    result = CliRunner().invoke(main, ["schema"])
    schemas = json.loads(result.output)
    assert set(schemas) == {"claim", "source", "entity", "coverage"}
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_accepts_the_real_corpus_and_rejects_a_typo() -> None:
    """Every record validates against its JSON Schema as an editor's YAML server reads it:
    an unquoted date such as `date: 2026-12-03` is a string there, as it is to kgraph."""
    import jsonschema
    import yaml

    schema = json.loads((REPO / "schema/claim.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted((REPO / "claims/claims").glob("*.yaml"))
    for path in files:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_AsAnEditorReads)
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, (path.name, errors)
    data = yaml.safe_load(files[0].read_text(encoding="utf-8"))
    data["soruces"] = data.pop("sources")
    assert list(validator.iter_errors(data))


def test_readme_starts_with_the_two_commands() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("```sh", 1)[1].split("```", 1)[0]
    assert "bash scripts/build.sh" in block and "bash scripts/test.sh" in block
    assert "scripts/test.sh" in (REPO / ".ci/run").read_text(encoding="utf-8")


def test_corpus_readme_tables_are_current() -> None:
    from kgraph.docs import corpus_readme
    from kgraph.graph.queries import open_corpus
    from kgraph.graph.stats import render_stats, stats

    corpus, graph = open_corpus(REPO)
    current = (REPO / "claims/README.md").read_text(encoding="utf-8")
    expected = corpus_readme(current, render_stats(stats(corpus, graph), "markdown"))
    assert current == expected, "claims/README.md is stale: run scripts/gen_docs.py"
    # One row per article, each with its claim count, as a researcher reads it.
    for article in corpus.articles():
        n = sum(1 for c in corpus.claims.values() if any(a.source == article.id for a in c.sources))
        assert f"| `{article.id}` | {n} |" in current
