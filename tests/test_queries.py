"""Asking the graph questions: show a record, follow chains of claims, count the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kgraph.cli import main
from kgraph.corpus.model import Corpus
from kgraph.graph.queries import (
    Chain,
    QueryError,
    Reading,
    Step,
    UnknownRecord,
    open_corpus,
    path_report,
    paths,
    read_chain,
    resolve,
    show,
)
from kgraph.graph.stats import STATS_FORMATS, render_stats, stats
from tests.conftest import CorpusBuilder, add_ungraded_finding


@pytest.fixture
def opened(chain: CorpusBuilder) -> tuple[Corpus, nx.MultiDiGraph]:
    return open_corpus(chain.root)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


# --- finding a record by name ----------------------------------------------------------------


def test_names_resolve_by_id_label_and_synonym(opened: tuple[Corpus, nx.MultiDiGraph]) -> None:
    _, graph = opened
    assert resolve(graph, "nmda-receptor") == "nmda-receptor"
    assert resolve(graph, "NMDA receptor") == "nmda-receptor"
    assert resolve(graph, "nmdar") == "nmda-receptor"
    assert resolve(graph, "Ketalar", ("entity",)) == "ketamine"


def test_an_unknown_name_gets_a_did_you_mean(opened: tuple[Corpus, nx.MultiDiGraph]) -> None:
    _, graph = opened
    with pytest.raises(UnknownRecord, match="did you mean ketamine-blocks-nmda"):
        resolve(graph, "ketamine-blocks-nmd")
    with pytest.raises(UnknownRecord, match="did you mean ketamine"):
        resolve(graph, "ketamin", ("entity",))
    with pytest.raises(UnknownRecord, match=r"no entity with id, label or synonym 'qqqq'$"):
        resolve(graph, "qqqq", ("entity",))
    # A claim id is not an entity, even though it exists.
    with pytest.raises(UnknownRecord):
        resolve(graph, "ketamine-blocks-nmda", ("entity",))


def test_a_name_shared_by_two_records_asks_for_an_id(chain: CorpusBuilder) -> None:
    chain.write(
        "entities",
        "esketamine.yaml",
        "id: esketamine\nlabel: esketamine\ntype: drug\nsynonyms: [Ketalar]\n",
    )
    from kgraph.corpus.load import load
    from kgraph.graph import build_graph

    graph = build_graph(load(chain.root))
    with pytest.raises(UnknownRecord, match="several records: esketamine, ketamine"):
        resolve(graph, "ketalar")


# --- show ------------------------------------------------------------------------------------


def test_show_a_claim_with_everything_attached(opened: tuple[Corpus, nx.MultiDiGraph]) -> None:
    text = show(*opened, "ketamine-blocks-nmda")
    lines = text.splitlines()
    assert lines[0].startswith("claim ketamine-blocks-nmda")
    assert "Ketamine blocks the NMDA receptor." in text
    assert "ketamine -blocks-> nmda-receptor (NMDA receptor)" in text
    assert "ES-5 established, evidence supports" in text
    assert "  population   adults" in text
    assert "asserted by (2)" in text and "article-a [marketing], paragraph 1" in text
    assert '"Ketamine blocks NMDA receptors in the brain."' in text
    assert "boosters: primarily works" in text
    assert "review-2019 [systematic-review]: supports" in text
    assert "claims resting on it" in text and "nmda-blockade-boosts-glutamate" in text
    assert all(len(line) <= 100 for line in lines)  # wrapped for a terminal


def test_show_a_source_lists_what_it_asserts_and_supports(
    opened: tuple[Corpus, nx.MultiDiGraph],
) -> None:
    text = show(*opened, "article-b")
    assert text.startswith("source article-b")
    assert "news (cannot be evidence)" in text and "https://news.test/ketamine" in text
    assert "asserts (3)" in text and "[ ES-4] ketamine-cures-depression" in text
    study = show(*opened, "trial-2020")
    assert "cited as evidence for (2)" in study and "contradicts: Found it." in study
    assert "pmid         12345678" in study


def test_show_an_entity_lists_claims_about_it(opened: tuple[Corpus, nx.MultiDiGraph]) -> None:
    text = show(*opened, "NMDAR")
    assert text.startswith("entity nmda-receptor")
    assert "as subject (1)" in text and "-> modulates glutamate-system" in text
    assert "as object (1)" in text and "<- blocks ketamine" in text


def test_show_a_rhetoric_claim_says_it_has_no_level(
    opened: tuple[Corpus, nx.MultiDiGraph],
) -> None:
    text = show(*opened, "ketamine-is-a-reset-button")
    assert "no level (rhetoric)" in text and "evidence cited" not in text
    assert "hedges: Some researchers" in text


# --- paths -----------------------------------------------------------------------------------


def test_paths_find_every_chain_shortest_first(opened: tuple[Corpus, nx.MultiDiGraph]) -> None:
    _, graph = opened
    chains = paths(graph, "ketamine", "antidepressant effect")
    assert [[s.claim for s in c.steps] for c in chains] == [
        [
            "ketamine-acts-on-glutamate",
            "glutamate-drives-dendritic-growth",
            "growth-causes-antidepressant-effect",
        ],
        [
            "ketamine-blocks-nmda",
            "nmda-blockade-boosts-glutamate",
            "glutamate-drives-dendritic-growth",
            "growth-causes-antidepressant-effect",
        ],
    ]
    assert [s.level for s in chains[1].steps] == ["ES-5", "ES-2", "ES-2", "ES-1"]
    assert chains[1].strength == 1 and chains[1].weakest == [3]
    assert chains[0].start == "ketamine" and chains[0].end == "antidepressant-effect"


def test_paths_respect_the_length_limit(opened: tuple[Corpus, nx.MultiDiGraph]) -> None:
    _, graph = opened
    assert len(paths(graph, "ketamine", "antidepressant-effect", max_len=3)) == 1
    assert paths(graph, "ketamine", "antidepressant-effect", max_len=2) == []


def test_a_limit_keeps_the_shortest_chains(
    opened: tuple[Corpus, nx.MultiDiGraph], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, graph = opened
    (chain,) = paths(graph, "ketamine", "antidepressant-effect", limit=1)
    assert len(chain.steps) == 3
    monkeypatch.setattr("kgraph.graph.queries.MAX_CHAINS", 1)
    report = path_report(graph, "ketamine", "antidepressant-effect")
    assert report.startswith("more than 1 chain(s)") and report.count("\nchain ") == 1
    assert "only the first 1 are shown" in report


def test_weakest_steps_are_all_marked_when_they_tie(
    opened: tuple[Corpus, nx.MultiDiGraph],
) -> None:
    _, graph = opened
    (chain,) = paths(graph, "nmda-receptor", "dendritic-growth")
    assert [s.level for s in chain.steps] == ["ES-2", "ES-2"]
    assert chain.weakest == [0, 1]
    report = path_report(graph, "nmda-receptor", "dendritic-growth")
    assert report.count("<- weakest") == 2


def test_path_report_marks_the_weakest_step(opened: tuple[Corpus, nx.MultiDiGraph]) -> None:
    _, graph = opened
    report = path_report(graph, "ketamine", "antidepressant-effect")
    assert report.startswith("2 chain(s) of claims from ketamine to antidepressant-effect")
    marked = [line for line in report.splitlines() if "<- weakest" in line]
    assert len(marked) == 2 and all("[ ES-1] -causes-> antidepressant-effect" in m for m in marked)


def test_path_report_looks_the_other_way_and_says_when_nothing_joins(
    opened: tuple[Corpus, nx.MultiDiGraph],
) -> None:
    _, graph = opened
    report = path_report(graph, "dendritic growth", "ketamine")
    assert (
        "from ketamine to dendritic-growth (none run from dendritic-growth to ketamine)" in report
    )
    assert path_report(graph, "depression", "reset-button").startswith(
        "no chain of claims joins depression and reset-button"
    )
    with pytest.raises(QueryError, match="same entity"):
        paths(graph, "ketamine", "Ketalar")


# --- stats -----------------------------------------------------------------------------------


def test_stats_count_by_kind_level_source_and_article(
    opened: tuple[Corpus, nx.MultiDiGraph],
) -> None:
    s = stats(*opened)
    assert s["nodes"] == {"claim": 7, "source": 5, "entity": 7}
    assert s["edges"]["asserts"] == 8 and s["edges"]["relation"] == 7
    assert s["claims"]["by_kind"]["mechanism"] == 5 and s["claims"]["by_kind"]["rhetoric"] == 1
    assert s["claims"]["by_kind"]["dosing"] == 0  # every vocabulary value is counted
    assert s["claims"]["by_level"] == {
        "ES-5": 1,
        "ES-4": 2,
        "ES-3": 0,
        "ES-2": 2,
        "ES-1": 1,
        "ES-0": 0,
        "ungraded": 1,
    }
    assert s["claims"]["by_direction"] == {
        "supports": 3,
        "mixed": 1,
        "contradicts": 1,
        "untested": 1,
        "none": 0,
    }
    assert s["sources"]["by_kind"]["marketing"] == 1 and s["sources"]["articles"] == 2
    articles = {a["id"]: a for a in s["articles"]}
    assert articles["article-a"]["total"] == 5 and articles["article-b"]["total"] == 3
    assert articles["article-b"]["by_kind"]["effect"] == 1
    assert articles["article-a"]["by_level"]["ungraded"] == 1


def test_stats_count_es0_claims_as_having_no_direction(chain: CorpusBuilder) -> None:
    add_ungraded_finding(chain)
    s = stats(*open_corpus(chain.root))
    assert s["claims"]["by_direction"] == {
        "supports": 3,
        "mixed": 1,
        "contradicts": 1,
        "untested": 1,
        "none": 1,
    }
    assert s["claims"]["by_level"]["ES-0"] == 1


def test_stats_markdown_has_per_article_tables(opened: tuple[Corpus, nx.MultiDiGraph]) -> None:
    text = render_stats(stats(*opened), "markdown")
    sections = text.split("\n## ")
    by_kind = next(s for s in sections if s.startswith("Claims per article, by kind"))
    rows = [line for line in by_kind.splitlines() if line.startswith("| ")]
    header = [c.strip() for c in rows[0].strip("|").split("|")]
    assert header[:4] == ["article", "id", "claims", "`mechanism`"]
    row_a = [c.strip() for c in rows[1].strip("|").split("|")]
    assert row_a[:3] == ["A clinic page", "`article-a`", "5"]
    assert row_a[header.index("`rhetoric`")] == "1"
    by_level = next(s for s in sections if s.startswith("Claims per article, by evidence level"))
    level_rows = [line for line in by_level.splitlines() if line.startswith("| ")]
    level_header = [c.strip() for c in level_rows[0].strip("|").split("|")]
    assert level_header[3:] == [
        "`ES-5`",
        "`ES-4`",
        "`ES-3`",
        "`ES-2`",
        "`ES-1`",
        "`ES-0`",
        "`ungraded`",
    ]
    row_b = [c.strip() for c in level_rows[2].strip("|").split("|")]
    assert row_b[:4] == ["Ketamine news", "`article-b`", "3", "1"]


def test_stats_json_and_text(opened: tuple[Corpus, nx.MultiDiGraph]) -> None:
    s = stats(*opened)
    assert json.loads(render_stats(s, "json")) == s
    text = render_stats(s, "text")
    assert text.startswith("7 claims, 5 sources (2 asserting), 7 entities")
    assert "article article-a (A clinic page): 5 claims" in text
    with pytest.raises(ValueError, match="unknown stats format"):
        render_stats(s, "csv")


# --- the commands ----------------------------------------------------------------------------


def test_show_command(chain: CorpusBuilder) -> None:
    code, output = run("show", "ketamine-cures-depression", "--root", str(chain.root))
    assert code == 0 and "ES-4 supported, evidence contradicts" in output


def test_show_command_with_a_bad_id(chain: CorpusBuilder) -> None:
    code, output = run("show", "ketamine-cure-depression", "--root", str(chain.root))
    assert code == 1
    assert "Error: no claim, source or entity with id, label or synonym" in output
    assert "did you mean ketamine-cures-depression?" in output
    assert "Traceback" not in output


def test_path_command(chain: CorpusBuilder) -> None:
    code, output = run("path", "ketamine", "antidepressant effect", "--root", str(chain.root))
    assert code == 0 and output.count("<- weakest") == 2
    code, output = run("path", "ketamine", "dendritic-growht", "--root", str(chain.root))
    assert code == 1 and "did you mean dendritic-growth?" in output


def test_stats_command_formats(chain: CorpusBuilder) -> None:
    code, output = run("stats", str(chain.root), "--format", "json")
    assert code == 0 and json.loads(output)["nodes"]["claim"] == 7
    code, output = run("stats", str(chain.root), "--format", "markdown")
    assert code == 0 and "## Claims per article, by evidence level" in output
    code, output = run("stats", str(chain.root))
    assert code == 0 and output.startswith("7 claims")
    stats_command = main.commands["stats"]
    choices = next(p for p in stats_command.params if p.name == "fmt").type.choices  # type: ignore[attr-defined]
    assert tuple(choices) == STATS_FORMATS


@pytest.mark.parametrize(
    "args",
    [
        ["stats", "{root}"],
        ["show", "ketamine", "--root", "{root}"],
        ["path", "ketamine", "depression", "--root", "{root}"],
    ],
)
def test_commands_refuse_a_corpus_with_check_errors(chain: CorpusBuilder, args: list[str]) -> None:
    path = chain.root / "claims" / "ketamine-blocks-nmda.yaml"
    path.write_text(path.read_text().replace("subject: ketamine", "subject: ketamin"))
    code, output = run(*[a.format(root=chain.root) for a in args])
    assert code == 1
    assert "1 check error(s): run `kgraph check` to see them" in output
    assert "Traceback" not in output


def test_commands_reject_a_folder_without_a_corpus(tmp_path: Path) -> None:
    code, output = run("stats", str(tmp_path))
    assert code == 2 and "holds no corpus" in output
    code, output = run("show", "x", "--root", str(tmp_path))
    assert code == 2


@pytest.mark.parametrize("name", ["export", "show", "path", "stats"])
def test_help(name: str) -> None:
    code, output = run(name, "--help")
    assert code == 0 and output.startswith("Usage: ")
    first_line = (main.commands[name].help or "").strip().splitlines()[0]
    assert first_line and first_line in " ".join(output.split())


def _toy_graph(types: dict[str, str]) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for node, kind in types.items():
        g.add_node(node, kind="entity", label=node.upper(), entity_type=kind)
    return g


def _toy_chain(*steps: tuple[str, str, str]) -> Chain:
    return Chain(
        tuple(Step(s, p, o, f"c{i}", "statement", "ES-3") for i, (s, p, o) in enumerate(steps))
    )


def test_a_chain_through_a_condition_is_not_read_as_one_effect() -> None:
    g = _toy_graph({"ketamine": "drug", "ptsd": "condition", "amygdala": "brain_region"})
    reading = read_chain(
        g, _toy_chain(("ketamine", "treats", "ptsd"), ("ptsd", "increases", "amygdala"))
    )
    assert not reading.one_effect
    assert (
        reading.text
        == "not one effect: step 2 says what PTSD (a condition) does, not what KETAMINE does"
    )


def test_a_signed_mechanism_chain_reads_as_one_effect_with_its_net_direction() -> None:
    g = _toy_graph(
        {
            "ketamine": "drug",
            "nmda": "receptor",
            "glutamate": "neurotransmitter",
            "bdnf": "molecule",
        }
    )
    two_lows = _toy_chain(("ketamine", "blocks", "nmda"), ("nmda", "decreases", "glutamate"))
    assert read_chain(g, two_lows) == Reading(
        True, "reads as one effect: KETAMINE raises GLUTAMATE"
    )
    mixed = _toy_chain(("ketamine", "blocks", "nmda"), ("nmda", "increases", "bdnf"))
    assert read_chain(g, mixed) == Reading(True, "reads as one effect: KETAMINE lowers BDNF")
    open_step = _toy_chain(("ketamine", "modulates", "nmda"), ("nmda", "increases", "bdnf"))
    assert read_chain(g, open_step) == Reading(
        False, "no net direction: step(s) 1 (modulates) give no direction"
    )


def test_path_marks_the_chain_that_changes_subject(tmp_path: Path) -> None:
    """ketamine -treats-> depression -decreases-> dendritic growth reads as if ketamine lowered
    growth: the chain is marked as claims that merely touch, and the output says how to read."""
    from tests.conftest import CorpusBuilder, _claim, _evidence, chain_corpus

    b = chain_corpus(CorpusBuilder(tmp_path / "corpus"))
    b.write(
        "claims",
        "depression-shrinks-dendrites.yaml",
        _claim(
            "depression-shrinks-dendrites",
            "Depression shrinks dendrites.",
            "mechanism",
            ("depression", "decreases", "dendritic-growth"),
            [("article-b", "Ketamine cures depression for good.")],
            _evidence("ES-2", "supports", [("rat-2018", "supports", 40)]),
        ),
    )
    code, output = run("path", "ketamine", "dendritic-growth", "--root", str(b.root))
    assert code == 0, output
    assert output.splitlines()[1].startswith("How to read a chain:")
    assert (
        "~ not one effect: step 2 says what depression (a condition) does, not what ketamine does"
        in output
    )
