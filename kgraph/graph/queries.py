"""Questions a reader asks of a checked corpus's graph: show a record, find chains, count things.

After the graph in the flow: (corpus, graph) -> text. `show`, `paths` and `stats` are the
library behind `kgraph show`, `kgraph path` and `kgraph stats`; unknown names raise
`UnknownRecord` with a did-you-mean suggestion.
"""

from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rapidfuzz import fuzz, process

from kgraph import vocab
from kgraph.corpus.check import checked_corpus
from kgraph.corpus.model import Claim, Corpus, Entity, Source
from kgraph.graph.model import build_graph, entity_view, level_rank
from kgraph.graph.stats import render_stats, stats

WIDTH = 100
MAX_CHAINS = 50


class QueryError(Exception):
    """A question that cannot be answered as asked."""


class UnknownRecord(QueryError):
    """No record with the id (or label, or synonym) given."""


def open_corpus(root: str | os.PathLike[str]) -> tuple[Corpus, nx.MultiDiGraph]:
    """Check the corpus at root and build its graph; refuse a corpus with check errors."""
    corpus = checked_corpus(root)
    return corpus, build_graph(corpus)


def _names(graph: nx.MultiDiGraph, kinds: tuple[str, ...]) -> dict[str, set[str]]:
    """Lower-cased name -> node ids, over ids, labels and synonyms of nodes of these kinds."""
    names: dict[str, set[str]] = {}
    for node, data in graph.nodes(data=True):
        if data.get("kind") not in kinds:
            continue
        for name in (node, data.get("label") or "", *(data.get("synonyms") or [])):
            if name:
                names.setdefault(name.casefold(), set()).add(node)
    return names


def resolve(
    graph: nx.MultiDiGraph, name: str, kinds: tuple[str, ...] = ("claim", "source", "entity")
) -> str:
    """The node id a name stands for: an id, or a label or synonym naming exactly one record."""
    if name in graph and graph.nodes[name].get("kind") in kinds:
        return name
    names = _names(graph, kinds)
    found = names.get(name.casefold(), set())
    what = " or ".join(kinds) if len(kinds) < 3 else ", ".join(kinds[:-1]) + " or " + kinds[-1]
    if len(found) == 1:
        return next(iter(found))
    if len(found) > 1:
        raise UnknownRecord(
            f"{name!r} names several records: {', '.join(sorted(found))}; give an id"
        )
    match = process.extractOne(name.casefold(), list(names), scorer=fuzz.ratio, score_cutoff=60)
    if match is None:
        raise UnknownRecord(f"no {what} with id, label or synonym {name!r}")
    ids = sorted(names[match[0]])
    hint = ids[0] if match[0] in ids else f"{ids[0]} ({match[0]})"
    raise UnknownRecord(f"no {what} with id, label or synonym {name!r}; did you mean {hint}?")


# --- show ------------------------------------------------------------------------------------


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent) or [indent]


def _field(label: str, value: Any) -> list[str]:
    if value in (None, "", [], {}):
        return []
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return textwrap.wrap(
        text, WIDTH, initial_indent=f"  {label:<13}", subsequent_indent=" " * 15
    ) or [f"  {label}"]


def _level(level: str | None, direction: str | None = None) -> str:
    if level is None:
        return "no level (rhetoric)"
    lv = vocab.LEVEL_BY_VALUE[level]
    return f"{lv.value} {lv.name}" + (f", evidence {direction}" if direction else "")


def _label(graph: nx.MultiDiGraph, node: str) -> str:
    label = graph.nodes[node].get("label", node) if node in graph else node
    return node if label == node else f"{node} ({label})"


def _claim_line(graph: nx.MultiDiGraph, cid: str) -> list[str]:
    data = graph.nodes[cid]
    level = data.get("level") or "--"
    return [f"    [{level:>5}] {cid}", *_wrap(data.get("statement", ""), " " * 12)]


def _show_claim(corpus: Corpus, graph: nx.MultiDiGraph, c: Claim) -> list[str]:
    ev = c.evidence
    lines = [f"claim {c.id}   ({graph.nodes[c.id]['path']})", *_wrap(c.statement, "  "), ""]
    lines += _field("kind", c.kind)
    lines += _field(
        "says", f"{_label(graph, c.subject)} -{c.predicate}-> {_label(graph, c.object)}"
    )
    for key, value in sorted(c.qualifiers.items()):
        lines += _field(key.replace("_", " "), value)
    lines += _field("evidence", _level(c.level, ev.direction if ev else None))
    if ev is not None:
        lines += _field("rationale", ev.rationale)
        lines += _field("indirectness", ev.indirectness)
    review = c.review.status + (f" by {c.review.reviewer}" if c.review.reviewer else "")
    lines += _field("review", review + (f" on {c.review.date}" if c.review.date else ""))
    lines += _field("review notes", c.review.notes)
    lines += _field("tags", c.tags)
    lines += ["", f"asserted by ({len(c.sources)})"]
    for a in c.sources:
        s = corpus.sources.get(a.source)
        kind = f" [{s.kind}]" if s else ""
        lines += textwrap.wrap(
            f"{a.source}{kind}, {a.locator}", WIDTH, initial_indent="  ", subsequent_indent="      "
        )
        lines += _wrap(f'"{a.quote}"', "      ")
        edge = graph.get_edge_data(a.source, c.id, f"asserts:{a.index}") or {}
        cues = [f"hedges: {', '.join(edge.get('hedges') or ['none'])}"]
        cues.append(f"boosters: {', '.join(edge.get('boosters') or ['none'])}")
        lines.append("      " + "; ".join(cues))
    if ev is not None:
        lines += ["", f"evidence cited ({len(ev.references)})"]
        for r in ev.references:
            s = corpus.sources.get(r.source)
            kind = f" [{s.kind}]" if s else ""
            n, population = corpus.study_n(r.source), corpus.population(r.source)
            size = f", n={n}" if n is not None else ""
            lines.append(f"  {r.source}{kind}: {r.direction}{size}")
            lines += _wrap(
                f"design: {corpus.design_words(r.source)}"
                + (f"; population: {population}" if population else ""),
                "      ",
            )
            lines += _wrap(f"finding: {r.finding}", "      ")
    premises = [v for _, v, d in graph.out_edges(c.id, data=True) if d["kind"] == "depends_on"]
    dependents = [u for u, _, d in graph.in_edges(c.id, data=True) if d["kind"] == "depends_on"]
    if premises:
        lines += ["", "rests on"] + [x for p in sorted(premises) for x in _claim_line(graph, p)]
    if dependents:
        lines += ["", "claims resting on it"] + [
            x for d in sorted(dependents) for x in _claim_line(graph, d)
        ]
    return lines


def _show_source(corpus: Corpus, graph: nx.MultiDiGraph, s: Source) -> list[str]:
    lines = [
        f"source {s.id}   ({graph.nodes[s.id]['path']})",
        *_wrap(s.title or s.display, "  "),
        "",
    ]
    lines += _field("kind", s.kind + ("" if s.is_evidence_kind else " (cannot be evidence)"))
    lines += _field("label", s.label)
    lines += _field("authors", s.authors or "unknown")
    lines += _field("published", s.published or "unknown")
    where = ", ".join(
        x
        for x in (
            s.journal,
            s.volume and f"vol. {s.volume}",
            s.issue and f"no. {s.issue}",
            s.pages and f"pp. {s.pages}",
        )
        if x
    )
    lines += _field("in", where)
    lines += _field("publisher", s.publisher)
    lines += _field("url", s.url)
    lines += _field("accessed", s.accessed)
    lines += _field("doi", s.doi)
    lines += _field("pmid", s.pmid)
    lines += _field("pmcid", s.pmcid)
    lines += _field("snapshot", s.snapshot.path if s.snapshot else None)
    lines += _field("notes", s.notes)
    asserts = sorted(
        (v, d) for _, v, d in graph.out_edges(s.id, data=True) if d["kind"] == "asserts"
    )
    evidence = sorted(
        (v, d) for _, v, d in graph.out_edges(s.id, data=True) if d["kind"] == "evidence"
    )
    if asserts:
        lines += ["", f"asserts ({len(asserts)})"]
        for cid, d in asserts:
            lines += _claim_line(graph, cid)
            lines += _wrap(f'"{d["quote"]}"', "            ")
    if evidence:
        lines += ["", f"cited as evidence for ({len(evidence)})"]
        for cid, d in evidence:
            lines += _claim_line(graph, cid)
            lines += _wrap(f"{d['direction']}: {d['finding']}", "            ")
    return lines


def _show_entity(graph: nx.MultiDiGraph, e: Entity) -> list[str]:
    lines = [f"entity {e.id}   ({graph.nodes[e.id]['path']})", f"  {e.label}", ""]
    lines += _field("type", e.type)
    lines += _field("synonyms", e.synonyms)
    lines += _field("description", e.description)
    lines += _field("xrefs", [f"{k}: {v}" for k, v in sorted(e.xrefs.items())])
    relations = [(u, v, d) for u, v, d in graph.edges(data=True) if d["kind"] == "relation"]
    out = sorted((d["claim"], v, d) for u, v, d in relations if u == e.id)
    into = sorted((d["claim"], u, d) for u, v, d in relations if v == e.id)
    for title, rows, arrow in (("as subject", out, "->"), ("as object", into, "<-")):
        if rows:
            lines += ["", f"{title} ({len(rows)})"]
            for cid, other, d in rows:
                lines.append(
                    f"    [{d['level'] or '--':>5}] {arrow} {d['predicate']} {_label(graph, other)}"
                )
                lines += _wrap(f"{cid}: {d['statement']}", " " * 12)
    return lines


def show(corpus: Corpus, graph: nx.MultiDiGraph, record_id: str) -> str:
    """A claim, source or entity with everything attached to it, as terminal text."""
    rid = resolve(graph, record_id)
    if rid in corpus.claims:
        lines = _show_claim(corpus, graph, corpus.claims[rid])
    elif rid in corpus.sources:
        lines = _show_source(corpus, graph, corpus.sources[rid])
    else:
        lines = _show_entity(graph, corpus.entities[rid])
    return "\n".join(lines) + "\n"


# --- paths -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One claim on a chain: subject -predicate-> object, with the claim's ES level."""

    subject: str
    predicate: str
    object: str
    claim: str
    statement: str
    level: str | None

    @property
    def rank(self) -> int:
        """The level as a number, -1 for no level (rhetoric), so it sorts weakest."""
        return level_rank(self.level)


@dataclass(frozen=True)
class Chain:
    """Claims joined end to end: the first step's subject to the last step's object."""

    steps: tuple[Step, ...]

    @property
    def start(self) -> str:
        return self.steps[0].subject

    @property
    def end(self) -> str:
        return self.steps[-1].object

    @property
    def strength(self) -> int:
        """The rank of the weakest step: a chain is as strong as its weakest claim."""
        return min(s.rank for s in self.steps)

    @property
    def weakest(self) -> list[int]:
        """Positions of the weakest steps (all of them, when several tie)."""
        return [i for i, s in enumerate(self.steps) if s.rank == self.strength]


# How a chain's steps compose. A signed predicate passes the effect on with its sign
# (+1 raises, -1 lowers); an unsigned one (modulates, associated with, is a, ...) gives no
# direction, so the chain cannot be read as one effect of its first subject on its last object.
SIGNS = {
    "increases": 1,
    "activates": 1,
    "causes": 1,
    "enables": 1,
    "decreases": -1,
    "blocks": -1,
    "treats": -1,
}
# Where an entity stands on the way from a drug to the patient: agents act on biology, biology
# on the clinical picture. A step from a later stage back to an earlier one (a condition that
# raises amygdala activity) says what the condition does, not what the first subject does.
STAGES = {
    "drug": 0,
    "intervention": 0,
    "route": 0,
    "receptor": 1,
    "neurotransmitter": 1,
    "molecule": 1,
    "brain_region": 1,
    "network": 1,
    "process": 1,
    "condition": 2,
    "symptom": 2,
    "outcome": 2,
    "experience": 2,
}

HOW_TO_READ = (
    "How to read a chain: each step is one claim, with its own evidence level; a chain is only "
    "as strong as its weakest step. A chain reads as one effect of its first entity on its last "
    "only when marked so (=): every step then has a direction and keeps to the same subject's "
    "effect, and the net direction multiplies the steps' (lowering a thing that lowers X raises "
    "X). Other chains (~) are claims that merely touch end to end."
)


@dataclass(frozen=True)
class Reading:
    """Whether a chain reads as one effect, and in words why or why not."""

    one_effect: bool
    text: str


def _stage(graph: nx.MultiDiGraph, node: str) -> int | None:
    return STAGES.get(graph.nodes[node].get("entity_type", ""))


def read_chain(graph: nx.MultiDiGraph, chain: Chain) -> Reading:
    """How a chain reads: one effect with a net direction, or why it does not."""

    def name(node: str) -> str:
        return str(graph.nodes[node].get("label") or node)

    start_label, end_label = name(chain.start), name(chain.end)
    for n, step in enumerate(chain.steps, 1):
        if n == 1:
            continue
        before, after = _stage(graph, step.subject), _stage(graph, step.object)
        if before is not None and after is not None and after < before:
            kind = graph.nodes[step.subject].get("entity_type", "entity").replace("_", " ")
            return Reading(
                False,
                f"not one effect: step {n} says what {name(step.subject)} (a {kind}) does, "
                f"not what {start_label} does",
            )
    unsigned = [n for n, s in enumerate(chain.steps, 1) if s.predicate not in SIGNS]
    if len(chain.steps) == 1:
        return Reading(True, "one claim")
    if unsigned:
        which = ", ".join(
            f"{n} ({chain.steps[n - 1].predicate.replace('_', ' ')})" for n in unsigned
        )
        return Reading(False, f"no net direction: step(s) {which} give no direction")
    net = 1
    for step in chain.steps:
        net *= SIGNS[step.predicate]
    verb = "raises" if net > 0 else "lowers"
    return Reading(True, f"reads as one effect: {start_label} {verb} {end_label}")


def paths(
    graph: nx.MultiDiGraph, a: str, b: str, max_len: int = 6, limit: int | None = None
) -> list[Chain]:
    """Chains of claims from entity a to entity b in the entity view, shortest and strongest first.

    a and b may be entity ids, labels or synonyms. Each parallel claim makes its own chain.
    With a limit, the search stops once that many chains are found, after finishing the length
    it is on, so the chains returned are still the shortest ones.
    """
    view = entity_view(graph)
    start = resolve(graph, a, ("entity",))
    end = resolve(graph, b, ("entity",))
    if start == end:
        raise QueryError(f"{a!r} and {b!r} are the same entity ({start})")
    chains = []
    # Length by length, so a limit keeps the shortest chains rather than the first found.
    for length in range(1, max_len + 1):
        for edge_path in nx.all_simple_edge_paths(view, start, end, cutoff=length):
            if len(edge_path) != length:
                continue
            steps = []
            for u, v, key in edge_path:
                d = view.edges[u, v, key]
                steps.append(Step(u, d["predicate"], v, d["claim"], d["statement"], d["level"]))
            chains.append(Chain(tuple(steps)))
        if limit is not None and len(chains) >= limit:
            break
    chains.sort(key=lambda c: (len(c.steps), -c.strength, [s.claim for s in c.steps]))
    return chains


def render_chain(graph: nx.MultiDiGraph, chain: Chain) -> str:
    weakest = set(chain.weakest)
    lines = [f"  {_label(graph, chain.start)}"]
    for i, s in enumerate(chain.steps):
        mark = "   <- weakest" if i in weakest else ""
        lines.append(f"    [{s.level or '--':>5}] -{s.predicate}-> {_label(graph, s.object)}{mark}")
        lines += _wrap(f"{s.claim}: {s.statement}", " " * 12)
    return "\n".join(lines)


def path_report(graph: nx.MultiDiGraph, a: str, b: str, max_len: int = 6) -> str:
    """`kgraph path`: the chains from a to b (or, if none, from b to a), as terminal text."""
    chains = paths(graph, a, b, max_len, limit=MAX_CHAINS + 1)
    reverse = False
    if not chains:
        chains = paths(graph, b, a, max_len, limit=MAX_CHAINS + 1)
        reverse = bool(chains)
    start, end = resolve(graph, a, ("entity",)), resolve(graph, b, ("entity",))
    if reverse:
        start, end = end, start
    if not chains:
        return f"no chain of claims joins {start} and {end} in {max_len} steps or fewer\n"
    count = f"more than {MAX_CHAINS}" if len(chains) > MAX_CHAINS else str(len(chains))
    head = f"{count} chain(s) of claims from {start} to {end}"
    if reverse:
        head += f" (none run from {end} to {start})"
    lines = [head + ", shortest and strongest first:", *_wrap(HOW_TO_READ, "")]
    for n, chain in enumerate(chains[:MAX_CHAINS], 1):
        weakest = chain.steps[chain.weakest[0]].level or "no level"
        reading = read_chain(graph, chain)
        lines += [
            "",
            f"chain {n}: {len(chain.steps)} step(s), weakest {weakest}",
            f"  {'= ' if reading.one_effect else '~ '}{reading.text}",
            render_chain(graph, chain),
        ]
    if len(chains) > MAX_CHAINS:
        lines += ["", f"only the first {MAX_CHAINS} are shown; paths() returns them all"]
    return "\n".join(lines) + "\n"


__all__ = [
    "HOW_TO_READ",
    "Chain",
    "QueryError",
    "Reading",
    "Step",
    "UnknownRecord",
    "open_corpus",
    "path_report",
    "paths",
    "read_chain",
    "render_stats",
    "resolve",
    "show",
    "stats",
]
