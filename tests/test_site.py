"""Building the site: every page is written, links resolve, output is reproducible and safe.

What a browser does with the pages is tested in test_site_browser.py; these tests read the
written files as parsed HTML and JSON.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from kgraph.audit import run_audit
from kgraph.corpus.check import check
from kgraph.graph import build_graph
from kgraph.site import SiteError, write_site
from kgraph.site.render import script_json
from kgraph.site.viewer import read_data_script
from tests.conftest import CorpusBuilder


def build_site(root: Path, out: Path, *, audit: bool = True, **kw: int) -> Path:
    report = check(root)
    assert report.errors == 0, [str(f) for f in report.findings]
    corpus = report.corpus
    out.mkdir(parents=True)
    write_site(corpus, build_graph(corpus), out, run_audit(corpus) if audit else None, **kw)
    return out


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class Page(HTMLParser):
    """The parts of a page the tests look at: links, resources, ids, embedded JSON, text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.resources: list[str] = []
        self.ids: set[str] = set()
        self.json: dict[str, object] = {}
        self.scripts_inline: list[str] = []
        self._json_id: str | None = None
        self._in_script = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "a" and a.get("href") is not None:
            self.links.append(a["href"] or "")
        if tag in ("script", "img", "iframe") and a.get("src"):
            self.resources.append(a["src"] or "")
        if tag == "link" and a.get("href"):
            self.resources.append(a["href"] or "")
        if tag == "script":
            self._in_script = True
            self._json_id = a.get("id") if a.get("type") == "application/json" else None
            if a.get("type") != "application/json" and not a.get("src"):
                self.scripts_inline.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
            self._json_id = None

    def handle_data(self, data: str) -> None:
        if self._in_script and self._json_id:
            self.json[self._json_id] = json.loads(data)


def graph_data(site: Path, path: str = "graph/home.js") -> dict[str, Any]:
    """A graph's data file, its styles put back on each node and edge as the viewer does."""
    data = read_data_script((site / path).read_text("utf-8"))
    groups = data["groups"]
    for view in data["views"]:
        view["nodes"] = [{**groups[n["group"]], **n} for n in view["nodes"]]
        view["edges"] = [
            {**data["edgeStyles"][e["s"]], **e} if "s" in e else e for e in view["edges"]
        ]
    return data


def pages(site: Path) -> dict[str, Page]:
    return {
        p.relative_to(site).as_posix(): Page(p.read_text(encoding="utf-8"))
        for p in sorted(site.rglob("*.html"))
    }


def test_every_page_is_written(chain: CorpusBuilder, tmp_path: Path) -> None:
    site = build_site(chain.root, tmp_path / "site")
    corpus = check(chain.root).corpus
    written = set(tree_digest(site))
    expected = {"index.html", "claims.html", "sources.html", "entities.html", "audit.html"}
    expected.add("grading.html")  # the grading rules, as docs/grading.md gives them
    expected.add("whole.html")  # the whole graph, drawn with WebGL
    expected.add("map.html")  # the evidence gap map
    expected |= {f"claim/{c}.html" for c in corpus.claims}
    expected |= {f"source/{s}.html" for s in corpus.sources}
    expected |= {f"entity/{e}.html" for e in corpus.entities}
    expected |= {f"snapshot/{s}.html" for s in corpus.snapshot_texts}
    # The audit: a page per article audited and per code that has findings.
    report = run_audit(corpus)
    expected |= {f"audit/article/{s}.html" for s in report.scorecards}
    placed = {id(f) for s in report.scorecards for f in report.for_source(s)}
    if any(id(f) not in placed for f in report.findings):
        expected.add("audit/article/_other.html")
    expected |= {f"audit/code/{code}.html" for code in report.by_code()}
    expected |= {
        f"static/{n}"
        for n in (
            "vis-network.min.js",
            "vis-network.css",
            "site.css",
            "graph.js",
            "table.js",
            "audit.js",
            "colours.css",
            "whole.js",
            "vendor/sigma.min.js",
            "vendor/sigma.LICENSE.txt",
            "vendor/graphology.umd.min.js",
            "vendor/graphology.LICENSE.txt",
            "vendor/minisearch.umd.js",
            "vendor/minisearch.LICENSE.txt",
        )
    }
    assert expected <= written
    assert {p for p in written if p.endswith(".html")} == {
        p for p in expected if p.endswith(".html")
    }


def test_every_link_and_anchor_resolves(chain: CorpusBuilder, tmp_path: Path) -> None:
    site = build_site(chain.root, tmp_path / "site")
    parsed = pages(site)
    for name, page in parsed.items():
        for ref in page.links + page.resources:
            parts = urlsplit(ref)
            if parts.scheme:
                assert parts.scheme in ("http", "https"), f"{name}: {ref}"
                continue
            target = (site / name).parent / unquote(parts.path) if parts.path else site / name
            target = target.resolve()
            assert target.is_file(), f"{name}: broken link {ref}"
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target.relative_to(site.resolve()).as_posix()].ids
                assert parts.fragment in ids, f"{name}: no anchor for {ref}"
        assert not page.scripts_inline, f"{name} has an inline script"
        for ref in page.resources:
            assert not urlsplit(ref).scheme, f"{name} loads {ref} from elsewhere"


def test_two_builds_from_different_folders_are_byte_identical(
    chain: CorpusBuilder, tmp_path: Path
) -> None:
    other = tmp_path / "elsewhere" / "deeper" / "copy"
    shutil.copytree(chain.root, other)
    a = build_site(chain.root, tmp_path / "a")
    b = build_site(other, tmp_path / "b")
    assert tree_digest(a) == tree_digest(b)
    assert str(tmp_path) not in (a / "claim" / "ketamine-blocks-nmda.html").read_text("utf-8")


def test_output_does_not_depend_on_dict_order(chain: CorpusBuilder, tmp_path: Path) -> None:
    corpus = check(chain.root).corpus
    first = tmp_path / "first"
    first.mkdir()
    write_site(corpus, build_graph(corpus), first, run_audit(corpus))
    for table in (corpus.claims, corpus.sources, corpus.entities, corpus.snapshot_texts):
        items = list(table.items())[::-1]
        table.clear()
        table.update(items)  # type: ignore[arg-type]
    second = tmp_path / "second"
    second.mkdir()
    write_site(corpus, build_graph(corpus), second, run_audit(corpus))
    assert tree_digest(first) == tree_digest(second)


def test_home_graph_holds_every_node(chain: CorpusBuilder, tmp_path: Path) -> None:
    site = build_site(chain.root, tmp_path / "site")
    corpus = check(chain.root).corpus
    data = graph_data(site)
    views = {v["id"]: v for v in data["views"]}
    # Edges end at ports on the boxes' sides and bend through the chain's columns: invisible
    # points that belong to a record ("owner"); an entity drawn twice is a copy with an owner.
    who = {n["id"] for n in views["who"]["nodes"] if "owner" not in n}
    assert who == set(corpus.claims) | set(corpus.sources)
    mech = {n["id"] for n in views["mechanism"]["nodes"] if "owner" not in n}
    assert mech == set(corpus.entities)
    options = (site / "graph" / "options.js").read_text("utf-8")
    assert options.startswith("window.kgraphOptions = ") and options.endswith(";\n")
    shared = json.loads(options[len("window.kgraphOptions = ") : -2])
    assert shared["small"]["physics"]["enabled"] is False
    assert shared["big"]["physics"]["enabled"] is False
    for view in views.values():
        assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in view["nodes"])


def test_contradicted_evidence_is_drawn_dashed_and_red(
    chain: CorpusBuilder, tmp_path: Path
) -> None:
    site = build_site(chain.root, tmp_path / "site")
    data = graph_data(site)
    who = next(v for v in data["views"] if v["id"] == "who")
    contradicting = [e for e in who["edges"] if e.get("direction") == "contradicts"]
    assert contradicting and all(e["dashes"] for e in contradicting)
    claim = next(n for n in who["nodes"] if n["id"] == "ketamine-cures-depression")
    assert claim["shapeProperties"]["borderDashes"]
    mech = next(v for v in data["views"] if v["id"] == "mechanism")
    edge = next(e for e in mech["edges"] if e["claim"] == "ketamine-cures-depression")
    assert edge["dashes"] and "(contradicted)" in edge["tip"]["meta"][0]


def test_large_corpus_gets_overview_and_neighbourhood_pages(
    chain: CorpusBuilder, tmp_path: Path
) -> None:
    site = build_site(chain.root, tmp_path / "site", max_graph_nodes=4)
    corpus = check(chain.root).corpus
    data = graph_data(site)
    for view in data["views"]:
        records = [n for n in view["nodes"] if "owner" not in n]
        assert 0 < len(records) <= 4
        assert view["note"].startswith("Overview")
    for rid in [*corpus.sources, *corpus.entities]:
        views = graph_data(site, f"graph/data/{rid}.js")["views"]
        assert any(rid in {n["id"] for n in v["nodes"]} for v in views)
    # One shared viewer page draws every neighbourhood; the record pages link to it.
    assert [p.name for p in (site / "graph").glob("*.html")] == ["index.html"]
    entity_page = Page((site / "entity" / "ketamine.html").read_text("utf-8"))
    assert "../graph/index.html?id=ketamine" in entity_page.links


def test_snapshot_marks_each_quote_and_links_it_to_its_claim(
    chain: CorpusBuilder, tmp_path: Path
) -> None:
    site = build_site(chain.root, tmp_path / "site")
    snap = Page((site / "snapshot" / "article-a.html").read_text("utf-8"))
    assert "q-ketamine-acts-on-glutamate-0" in snap.ids
    assert "../claim/ketamine-acts-on-glutamate.html" in snap.links
    claim = Page((site / "claim" / "ketamine-acts-on-glutamate.html").read_text("utf-8"))
    assert "../snapshot/article-a.html#q-ketamine-acts-on-glutamate-0" in claim.links


def test_claim_page_links_studies_by_doi_and_pubmed(chain: CorpusBuilder, tmp_path: Path) -> None:
    site = build_site(chain.root, tmp_path / "site")
    nmda = Page((site / "claim" / "ketamine-blocks-nmda.html").read_text("utf-8"))
    assert "https://doi.org/10.1000/review.2019" in nmda.links
    glu = Page((site / "claim" / "ketamine-acts-on-glutamate.html").read_text("utf-8"))
    assert "https://pubmed.ncbi.nlm.nih.gov/12345678/" in glu.links


def test_site_without_audit_says_so(chain: CorpusBuilder, tmp_path: Path) -> None:
    site = build_site(chain.root, tmp_path / "site", audit=False)
    assert "No audit was run" in (site / "audit.html").read_text("utf-8")


def test_javascript_url_in_a_record_is_not_a_link(chain: CorpusBuilder, tmp_path: Path) -> None:
    chain.study("evil-2021", url='"javascript:alert(1)"', title='"<b>bold</b> & co"')
    site = build_site(chain.root, tmp_path / "site")
    text = (site / "source" / "evil-2021.html").read_text("utf-8")
    page = Page(text)
    assert not [link for link in page.links if "javascript" in link.lower()]
    assert "javascript:alert(1)" in text
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in text


def test_script_json_cannot_close_its_script_element() -> None:
    text = str(script_json({"s": "</script><script>alert(1)</script>\u2028&"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"s": "</script><script>alert(1)</script>\u2028&"}


def test_an_id_that_is_not_a_slug_is_refused(chain: CorpusBuilder, tmp_path: Path) -> None:
    corpus = check(chain.root).corpus
    claim = corpus.claims.pop("ketamine-acts-on-glutamate")
    claim.id = "../escape"
    corpus.claims[claim.id] = claim
    out = tmp_path / "site"
    out.mkdir()
    with pytest.raises(SiteError, match=r"not a lower-case slug"):
        write_site(corpus, build_graph(corpus), out)
    assert not (tmp_path / "escape.html").exists()


def test_building_leaves_the_graph_and_working_folder_alone(
    chain: CorpusBuilder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = check(chain.root).corpus
    graph = build_graph(corpus)
    before = (
        sorted(graph.nodes(data=True), key=lambda n: n[0]),
        sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])),
    )
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    out = tmp_path / "site"
    out.mkdir()
    write_site(corpus, graph, out, run_audit(corpus))
    after = (
        sorted(graph.nodes(data=True), key=lambda n: n[0]),
        sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])),
    )
    assert after == before
    assert list(cwd.iterdir()) == [], "the site build wrote into the working folder"


def test_audit_page_summary_reads_as_the_cli_audit(tmp_path: Path) -> None:
    import re

    from click.testing import CliRunner

    from kgraph.audit import also
    from kgraph.cli import main
    from tests.test_audit import Scene

    scene = Scene(tmp_path / "corpus")
    # A weak claim stated flatly against mixed evidence: one overclaim that folds in AU105.
    scene.add(
        "quiets",
        [("article-b", "Ketamine clearly quiets the alarm system.")],
        level="ES-3",
        direction="mixed",
    )
    site = build_site(scene.root, tmp_path / "site")
    text = (site / "audit.html").read_text("utf-8")
    done = CliRunner().invoke(main, ["audit", "--root", str(scene.root), "--severity", "info"])
    assert done.exit_code == 0, done.output
    cli_summary = done.output.splitlines()[0].removeprefix("kgraph audit: ")
    [page_summary] = re.findall(r'<p class="summary">(.*?)</p>', text)
    assert page_summary == f"{cli_summary}. Each finding links to its claim."
    # Real plurals ("1 article", "0 warnings") and "info" as the CLI counts it, not "note(s)".
    assert re.fullmatch(r"1 article, 1 claim: 1 error, 0 warnings, \d+ info", cli_summary)
    assert "(s)" not in text and "note(s)" not in text
    report = run_audit(check(scene.root).corpus)
    [folded] = [f for f in report.findings if f.also]
    assert also(folded).startswith("(also AU105 ") and also(folded) in done.output
    # Once on its article's audit page, once on its code's; the overview links both.
    shown = f'<span class="also">{also(folded)}</span>'
    article_page = (site / "audit" / "article" / "article-b.html").read_text("utf-8")
    code_page = (site / "audit" / "code" / f"{folded.code}.html").read_text("utf-8")
    assert article_page.count(shown) == 1 and code_page.count(shown) == 1
    assert shown not in text
    assert 'href="audit/article/article-b.html"' in text
    assert f'href="audit/code/{folded.code}.html"' in text


def test_a_badge_names_the_direction_and_a_study_its_year_once(
    chain: CorpusBuilder, tmp_path: Path
) -> None:
    """An entity page's claim list shows "ES-2 … · mixed", never the level alone; a study whose
    label already gives its year is not followed by the year again."""
    label = chain.root / "sources" / "trial-2020.yaml"
    label.write_text(
        label.read_text("utf-8").replace(
            "published: 2020\n", "published: 2020\nlabel: Smith 2020\n"
        ),
        "utf-8",
    )
    site = build_site(chain.root, tmp_path / "site")
    entity = (site / "entity" / "dendritic-growth.html").read_text("utf-8")
    assert 'preclinical only <span class="dir-word dir-mixed">· mixed</span>' in entity
    claim = (site / "claim" / "ketamine-acts-on-glutamate.html").read_text("utf-8")
    assert ">Smith 2020</a></td>" in claim and "Smith 2020</a> (2020)" not in claim


def test_a_study_page_describes_the_study_once(tmp_path: Path) -> None:
    """The study's design, n and population stand once at the top of its page, not on every
    row of the claims it bears on; the link names the kept abstract."""
    from tests.conftest import CorpusBuilder, graded_corpus

    b = graded_corpus(CorpusBuilder(tmp_path / "corpus").minimal())
    site = build_site(b.root, tmp_path / "site")
    page = (site / "source" / "smith-2020-trial.html").read_text("utf-8")
    study = page.split('<section id="study">', 1)[1].split("</section>", 1)[0]
    assert "<dt>design</dt><dd>randomised trial (parallel)</dd>" in study
    assert "<dt>n</dt><dd>20</dd>" in study
    rows = page.split('<section id="bears-on">', 1)[1]
    assert "randomised trial (parallel)" not in rows
    assert "Read the kept abstract, with every excerpt marked" in page
