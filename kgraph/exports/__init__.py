"""Exports: the graph and its claims in the formats other tools read, written reproducibly.

Stage after the graph: (graph, corpus) -> files. `FORMATS` lists every format with its file name
and the tools that read it; `write_exports` writes them all, `export` renders one.
"""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from kgraph.corpus.model import Corpus


@dataclass(frozen=True)
class Format:
    name: str  # as given to `kgraph export --format`
    filename: str  # in the exports folder; a folder for neo4j
    readers: str  # which tools read it
    # "module:function" under kgraph.exports, imported only when used (the CLI starts fast);
    # None for neo4j, a folder of files.
    renderer: str | None
    needs_corpus: bool = False
    # For a folder of files (neo4j, kgx): "module:function" giving {file name: text}.
    folder: str | None = None

    def pieces(self, graph: nx.MultiDiGraph, corpus: Corpus) -> Iterable[str]:
        """The export as text, whole or in pieces to write one after another."""
        if self.renderer is None:
            raise ExportError(f"the {self.name} export is a folder of files: give an output folder")
        module, function = self.renderer.split(":")
        render = getattr(importlib.import_module(f"kgraph.exports.{module}"), function)
        text: str | Iterable[str] = render(graph, corpus) if self.needs_corpus else render(graph)
        return [text] if isinstance(text, str) else text

    def render(self, graph: nx.MultiDiGraph, corpus: Corpus) -> str:
        return "".join(self.pieces(graph, corpus))

    def files(self, graph: nx.MultiDiGraph, corpus: Corpus) -> dict[str, str]:
        """A folder format's files: name -> text."""
        assert self.folder is not None
        module, function = self.folder.split(":")
        make = getattr(importlib.import_module(f"kgraph.exports.{module}"), function)
        files: dict[str, str] = make(graph, corpus) if self.needs_corpus else make(graph)
        return files


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "node-link",
            "graph.json",
            "networkx (`node_link_graph`), D3 and any JSON reader",
            "networkx_files:node_link_json",
        ),
        Format(
            "graphml",
            "graph.graphml",
            "Cytoscape, Gephi, yEd, igraph, networkx",
            "networkx_files:graphml",
        ),
        Format("gexf", "graph.gexf", "Gephi, networkx", "networkx_files:gexf"),
        Format(
            "jsonl",
            "claims.jsonl",
            "jq, pandas (`read_json(lines=True)`), any program",
            "jsonl:claims_jsonl",
            needs_corpus=True,
        ),
        Format(
            "neo4j",
            "neo4j",
            "Neo4j (`neo4j-admin database import full`)",
            None,
            folder="neo4j:neo4j_files",
        ),
        Format(
            "turtle",
            "graph.ttl",
            "rdflib, Apache Jena, GraphDB, Virtuoso, any RDF store",
            "rdf:turtle",
            needs_corpus=True,
        ),
        Format(
            "claimreview",
            "claimreview.jsonld",
            "fact-check aggregators and search engines (schema.org ClaimReview), pyld",
            "claimreview:claimreview_jsonld",
            needs_corpus=True,
        ),
        Format(
            "kgx",
            "kgx",
            "KGX (`kgx transform --input-format jsonl`), Biolink-model knowledge graphs",
            None,
            needs_corpus=True,
            folder="kgx:kgx_files",
        ),
    )
}


class ExportError(Exception):
    """An export that cannot be made as asked (an unknown format, a folder format to a stream)."""


def _format(fmt: str) -> Format:
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    return FORMATS[fmt]


def export(graph: nx.MultiDiGraph, corpus: Corpus, fmt: str) -> str:
    """One format as text.

    `neo4j` and `kgx` are folders of files: use `write_format`, or `FORMATS[fmt].files`.
    """
    return _format(fmt).render(graph, corpus)


def _write_text(path: Path, pieces: Iterable[str]) -> None:
    # newline="": the text's own line ends, on every platform; pieces are written as they
    # come, so a large export is never held whole.
    with path.open("w", encoding="utf-8", newline="") as out:
        out.writelines(pieces)


def _render_into(graph: nx.MultiDiGraph, corpus: Corpus, fmt: Format, target: Path) -> list[Path]:
    if fmt.renderer is not None:
        _write_text(target, fmt.pieces(graph, corpus))
        return [target]
    target.mkdir()
    written = []
    for name, text in fmt.files(graph, corpus).items():
        _write_text(target / name, [text])
        written.append(target / name)
    return written


def write_exports(graph: nx.MultiDiGraph, corpus: Corpus, out_dir: Path) -> list[Path]:
    """Write every format into out_dir (created if missing); returns the files written, sorted.

    out_dir is expected to be a fresh folder (`kgraph build` passes one inside its temporary
    build folder): files already there under the same names are replaced.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for fmt in FORMATS.values():
        target = out_dir / fmt.filename
        if target.is_dir():
            shutil.rmtree(target)
        written += _render_into(graph, corpus, fmt, target)
    return sorted(written)


def write_format(graph: nx.MultiDiGraph, corpus: Corpus, fmt: str, out: Path) -> list[Path]:
    """Write one format to out (a file, or a folder for neo4j), atomically.

    Everything is written beside out first and moved into place only when complete, so a
    failure leaves whatever out held before. The target is judged by `kgraph.outputs` first:
    a folder kgraph did not write, or a path inside the corpus's records, is refused
    (`OutputRefused`) with nothing touched.
    """
    from kgraph.outputs import replace_file, replacing_folder

    spec = _format(fmt)
    what = f"the {fmt} export"
    if spec.renderer is not None:
        target = replace_file(
            out,
            lambda staged: _write_text(staged, spec.pieces(graph, corpus)),
            what=what,
            corpus_root=corpus.root,
        )
        return [target]
    with replacing_folder(out, f"{fmt} export", corpus_root=corpus.root) as staged:
        names = []
        for name, text in spec.files(graph, corpus).items():
            _write_text(staged / name, [text])
            names.append(name)
    real = Path(out).expanduser().resolve()
    return sorted(real / name for name in names)


__all__ = [
    "FORMATS",
    "ExportError",
    "Format",
    "export",
    "write_exports",
    "write_format",
]
