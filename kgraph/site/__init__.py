"""The static site: an interactive graph and a page per claim, source, entity and snapshot.

Output stage: (corpus, graph, audit) -> HTML files in a folder, opened from disk with no server
and no network. `write_site` is the one entry point; `kgraph build` calls it.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

import networkx as nx
from markdown_it import MarkdownIt
from markupsafe import Markup

from kgraph import vocab
from kgraph.audit import AuditReport
from kgraph.corpus.grade import domain_examples
from kgraph.corpus.model import Claim, Corpus, Entity, Source
from kgraph.corpus.revisions import CorpusHistory
from kgraph.grading.doc import grading_markdown
from kgraph.site.audit_page import write_audit_page
from kgraph.site.claim_pages import write_claim_pages, write_claims_table
from kgraph.site.context import Site
from kgraph.site.entity_pages import write_entities_list, write_entity_pages
from kgraph.site.evidence_map import write_evidence_map
from kgraph.site.home import GraphPages
from kgraph.site.render import Renderer
from kgraph.site.review_pages import install, write_history_pages
from kgraph.site.source_pages import write_snapshot_pages, write_source_pages, write_sources_list
from kgraph.site.styles import colours_css

__all__ = ["MAX_GRAPH_NODES", "SiteError", "site_steps", "write_site", "write_whole_graph_only"]

# Above this many nodes in a view, the home page shows an overview plus neighbourhood pages.
MAX_GRAPH_NODES = 1500
# vis-network as bundled inside the pyvis package (copied, so pages load nothing from a CDN).
VIS_DIR = ("lib", "vis-9.1.2")
VIS_FILES = ("vis-network.min.js", "vis-network.css")
OWN_STATIC = ("site.css", "graph.js", "graph-loader.js", "table.js", "audit.js", "whole.js")


class SiteError(Exception):
    """The site cannot be written from this corpus (a one-line reason)."""


def _check_ids(corpus: Corpus) -> None:
    # Ids become file names; the check gate enforces the slug form, a notebook may not have run it.
    records: list[Claim | Source | Entity] = [
        *corpus.claims.values(),
        *corpus.sources.values(),
        *corpus.entities.values(),
    ]
    for record in sorted(records, key=lambda r: r.id):
        if not vocab.ID_PATTERN.match(record.id):
            line, _ = record.origin.at("id")
            raise SiteError(
                f"{record.origin.path}:{line}: id {record.id!r} is not a lower-case slug; "
                "run `kgraph check` and fix it before building the site"
            )


def _write_static(r: Renderer) -> None:
    vis = resources.files("pyvis").joinpath(*VIS_DIR)
    for name in VIS_FILES:
        item = vis.joinpath(name)
        if not item.is_file():
            raise SiteError(f"pyvis does not bundle {'/'.join(VIS_DIR)}/{name}; reinstall pyvis")
        r.write_bytes(f"static/{name}", item.read_bytes())
    own = resources.files("kgraph.site").joinpath("static")
    for name in OWN_STATIC:
        r.write_bytes(f"static/{name}", own.joinpath(name).read_bytes())
    # The whole-graph page's libraries, as vendored (static/vendor/README.md), with licences.
    for item in sorted(own.joinpath("vendor").iterdir(), key=lambda i: i.name):
        if item.name.endswith((".js", ".txt")):
            r.write_bytes(f"static/vendor/{item.name}", item.read_bytes())
    r.write_text("static/colours.css", colours_css())


# A part of the site that can be written on its own (in its own process), and its name.
SiteStep = tuple[str, Callable[[], None]]
# The audit, or how to run it: only the record pages show it, so `kgraph build` has it run in
# their process, beside the graph pages and the exports, rather than before all of them.
AuditInput = AuditReport | Callable[[], AuditReport] | None
# Each claim's git history, or how to read it (in the record pages' process, like the audit).
HistoryInput = CorpusHistory | Callable[[], CorpusHistory] | None


def site_steps(
    corpus: Corpus,
    graph: nx.MultiDiGraph,
    out_dir: Path,
    audit: AuditInput = None,
    *,
    max_graph_nodes: int = MAX_GRAPH_NODES,
    history: HistoryInput = None,
) -> list[SiteStep]:
    """Plan the site and write its static files; return the parts still to write.

    The parts write separate pages into `out_dir` and share nothing but what is planned here,
    so `kgraph build` runs them side by side on both cores.
    """
    _check_ids(corpus)
    r = Renderer(Path(out_dir))
    # A study is described once, on its source record: pages look its facts up there.
    r.env.globals.update(
        study_design=corpus.design_words,
        study_n=corpus.study_n,
        study_population=corpus.population,
    )
    graph_pages = GraphPages.plan(corpus, graph, max_graph_nodes)
    neighbourhoods = graph_pages.neighbourhoods()
    _write_static(r)

    def record_pages() -> None:
        report = audit() if callable(audit) else audit
        site = Site.of(corpus, graph, report)
        site.neighbourhoods = neighbourhoods
        site.history = history() if callable(history) else history
        install(r, site)
        _write_record_pages(r, site)

    return [("graph pages", lambda: graph_pages.write(r)), ("record pages", record_pages)]


def _write_record_pages(r: Renderer, site: Site) -> None:
    write_claim_pages(r, site)
    write_claims_table(r, site)
    write_source_pages(r, site)
    write_sources_list(r, site)
    write_snapshot_pages(r, site)
    write_entity_pages(r, site)
    write_entities_list(r, site)
    write_audit_page(r, site)
    write_evidence_map(r, site)
    write_grading_page(r, site.corpus)
    write_history_pages(r, site)


def write_grading_page(r: Renderer, corpus: Corpus) -> None:
    """The grading rules (docs/grading.md, from the derivation's own tables, with examples from
    the corpus) as a page."""
    # html=False: the page's own text is escaped like every corpus text.
    body = (
        MarkdownIt("commonmark", {"html": False})
        .enable("table")
        .render(grading_markdown(domain_examples(corpus)))
    )
    r.page("grading.html", "grading.html", title="How a claim is graded", body=Markup(body))


def write_site(
    corpus: Corpus,
    graph: nx.MultiDiGraph,
    out_dir: Path,
    audit: AuditInput = None,
    *,
    max_graph_nodes: int = MAX_GRAPH_NODES,
    history: HistoryInput = None,
) -> None:
    """Write every page of the site into `out_dir` (which must exist; build.py makes it fresh)."""
    steps = site_steps(
        corpus, graph, out_dir, audit, max_graph_nodes=max_graph_nodes, history=history
    )
    for _, step in steps:
        step()


def write_whole_graph_only(
    corpus: Corpus, graph: nx.MultiDiGraph, out_dir: Path, *, edges_at_any_zoom: int | None = None
) -> None:
    """Write only the whole-graph page (whole.html, its data, search shards and the static
    files): for looking at, or timing, the WebGL viewer of a corpus without the rest.
    `edges_at_any_zoom`: up to how many edges are drawn before zooming in."""
    from kgraph.site.search import search_index
    from kgraph.site.whole import EDGES_AT_ANY_ZOOM, write_whole_graph

    _check_ids(corpus)
    r = Renderer(Path(out_dir))
    _write_static(r)
    limit = EDGES_AT_ANY_ZOOM if edges_at_any_zoom is None else edges_at_any_zoom
    write_whole_graph(r, graph, search_index(corpus), edges_at_any_zoom=limit)
