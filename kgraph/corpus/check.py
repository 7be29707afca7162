"""The check gate: cross-record rules over a loaded corpus, and the Report `kgraph check` prints.

Third stage of the flow: `Corpus` -> findings. Field-level problems come from loading; here are
the rules that need the whole corpus: references, cycles, quotes against snapshots, evidence.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import time
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kgraph import vocab
from kgraph.corpus.coverage import check_coverage
from kgraph.corpus.findings import Finding, Severity, count, render, sort_findings
from kgraph.corpus.grading_rules import check_grading
from kgraph.corpus.grounding import check_grounding
from kgraph.corpus.load import CorpusNotFound, gc_paused, has_key, load, one_root
from kgraph.corpus.model import Claim, Corpus, Search
from kgraph.corpus.quotes import FoldedText, fold
from kgraph.corpus.retractions import check_retractions
from kgraph.corpus.review import check_reviews
from kgraph.corpus.schema import COVERAGE, FOLDERS, SNAPSHOT_FOLDER
from kgraph.corpus.validate import date_range


@dataclass
class Report:
    """The outcome of a check: the corpus as loaded and every finding, sorted."""

    corpus: Corpus
    findings: list[Finding] = field(default_factory=list)
    # How long loading and checking took (set by `check`; 0 for a corpus checked as given).
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return count(self.findings)[0]

    @property
    def warnings(self) -> int:
        return count(self.findings)[1]

    def ok(self, strict: bool = False) -> bool:
        return self.errors == 0 and (not strict or self.warnings == 0)

    def checked(self) -> dict[str, int | float]:
        """What the check covered: records by type, snapshot files read, files, seconds."""
        corpus = self.corpus
        snapshots = len(
            {
                source.snapshot.path
                for sid in corpus.snapshot_texts
                if (source := corpus.sources.get(sid)) is not None and source.snapshot
            }
        )
        return {
            "claims": len(corpus.claims),
            "sources": len(corpus.sources),
            "entities": len(corpus.entities),
            "snapshots": snapshots,
            "coverage_maps": len(corpus.coverage),
            "files": corpus.record_files + snapshots,
            "seconds": round(self.seconds, 3),
        }

    def summary(self) -> str:
        """`checked 110 claims, 56 sources, 40 entities, 4 snapshots (214 files) in 0.41s`."""
        n = self.checked()
        records = ", ".join(
            _plural(int(n[key]), noun)
            for key, noun in (
                ("claims", "claim"),
                ("sources", "source"),
                ("entities", "entity"),
                ("snapshots", "snapshot"),
            )
        )
        if n["coverage_maps"]:
            records += ", " + _plural(int(n["coverage_maps"]), "coverage map")
        return f"checked {records} ({_plural(int(n['files']), 'file')}) in {self.seconds:.2f}s"

    def render(self, fmt: str) -> str:
        """The report as `kgraph check` prints it: findings, what was checked, the totals."""
        return render(self.findings, fmt, summary=self.summary(), checked=self.checked())


def _plural(n: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{n:,} {noun if n == 1 else plural}"


# The reading findings after which a file gives no record.
_UNREAD_CODES = frozenset(("KG101", "KG102", "KG103", "KG104", "KG105", "KG106", "KG111", "KG112"))


def _unread_files(corpus: Corpus) -> dict[str, Finding]:
    """The first reading finding of each record file that gave no record, by the file's stem:
    records are named <id>.yaml, so the stem is the id the file was meant to define."""
    given = {
        r.origin.path
        for table in (corpus.claims, corpus.sources, corpus.entities)
        for r in table.values()
    }
    out: dict[str, Finding] = {}
    maps = FOLDERS[COVERAGE]  # a map is named after the source it maps: it defines no id
    for f in sort_findings(f for f in corpus.findings if f.code in _UNREAD_CODES):
        if f.path not in given and os.path.basename(os.path.dirname(f.path)) != maps:
            out.setdefault(os.path.splitext(os.path.basename(f.path))[0], f)
    return out


# How close an entity id must be to a missing one to be offered as its spelling (difflib's
# ratio): a typo or a plural, not another thing that shares a word.
ENTITY_TYPO_RATIO = 0.85


def _missing_entity_hint(corpus: Corpus, ref: str) -> str:
    """Which file to create for a missing entity; a close id only when it looks like a typo."""
    create = (
        f"create {FOLDERS['entity']}/{ref}.yaml (`kgraph new entity {ref}`)"
        if vocab.ID_PATTERN.match(ref)
        else "use an entity's id (lower-case letters, digits and hyphens)"
    )
    close = difflib.get_close_matches(ref, list(corpus.entities), n=1, cutoff=ENTITY_TYPO_RATIO)
    return f"did you mean {close[0]!r}? else {create}" if close else create


def _ref_finding(
    corpus: Corpus,
    claim: Claim,
    ref: str,
    expected: str,
    keys: tuple[str | int, ...],
    what: str,
    unread: Callable[[], dict[str, Finding]] = lambda: {},
) -> Finding | None:
    tables: dict[str, Mapping[str, object]] = {
        "entity": corpus.entities,
        "source": corpus.sources,
        "claim": corpus.claims,
    }
    if not ref or ref in tables[expected]:
        return None
    line, col = claim.origin.at(*keys)
    other = next((t for t, table in tables.items() if ref in table), None)
    if other:
        return Finding(
            "KG306",
            claim.origin.path,
            line,
            col,
            f"{what} {ref!r} is a {other}, not a {expected}",
        )
    broken = unread().get(ref)
    if broken is not None:
        return Finding(
            "KG303",
            claim.origin.path,
            line,
            col,
            f"{what} {ref!r} is defined in a file that could not be read: "
            f"{broken.path}:{broken.line}",
            "fix that file first: this reference then resolves",
            related=(broken.path,),
        )
    if expected == "entity":
        return Finding(
            "KG303",
            claim.origin.path,
            line,
            col,
            f"{what} {ref!r} does not exist",
            _missing_entity_hint(corpus, ref),
        )
    close = difflib.get_close_matches(ref, list(tables[expected]), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else f"add {expected} {ref!r} or fix the id"
    return Finding("KG303", claim.origin.path, line, col, f"{what} {ref!r} does not exist", hint)


def _check_references(corpus: Corpus) -> list[Finding]:
    out: list[Finding | None] = []
    entities, sources, claims = corpus.entities, corpus.sources, corpus.claims
    found: list[dict[str, Finding]] = []

    def unread() -> dict[str, Finding]:  # worked out at the first dangling reference only
        if not found:
            found.append(_unread_files(corpus))
        return found[0]

    def ref(
        claim: Claim, r: str, expected: str, keys: tuple[str | int, ...], what: str
    ) -> Finding | None:
        return _ref_finding(corpus, claim, r, expected, keys, what, unread)

    # Each _ref_finding call is guarded by the membership test it starts with: most refs resolve.
    for claim in claims.values():
        if claim.subject not in entities:
            out.append(ref(claim, claim.subject, "entity", ("subject",), "subject"))
        if claim.object not in entities:
            out.append(ref(claim, claim.object, "entity", ("object",), "object"))
        for i, dep in enumerate(claim.depends_on):
            if dep not in claims:
                out.append(ref(claim, dep, "claim", ("depends_on", i), "premise"))
            if dep == claim.id:
                line, col = claim.origin.at("depends_on", i)
                out.append(
                    Finding(
                        "KG305",
                        claim.origin.path,
                        line,
                        col,
                        f"claim {claim.id!r} depends on itself",
                    )
                )
        # A source may make a claim in several places (two passages of one article), but one
        # passage is one assertion: a quote that repeats or contains another of the same
        # source asserts the claim twice.
        quoted: dict[str, list[str]] = {}
        for a in claim.sources:
            keys: tuple[str | int, ...] = ("sources", a.index, "source")
            if a.source not in sources:
                out.append(ref(claim, a.source, "source", keys, "source"))
            mine = fold(a.quote)
            earlier = quoted.setdefault(a.source, [])
            if mine and any(mine in q or q in mine for q in earlier):
                line, col = claim.origin.at(*keys)
                out.append(
                    Finding(
                        "KG307",
                        claim.origin.path,
                        line,
                        col,
                        f"source {a.source!r} asserts this claim twice with the same passage",
                        "keep one entry per passage, with the clearest quote; another passage "
                        "of the source that makes the claim again may have its own entry",
                    )
                )
            earlier.append(mine)
        if claim.evidence:
            for r in claim.evidence.references:
                if r.source not in sources:
                    keys = ("evidence", "references", r.index, "source")
                    out.append(ref(claim, r.source, "source", keys, "reference"))
            search = claim.evidence.search
            if isinstance(search, Search):
                for i, sid in enumerate(search.included):
                    if sid not in sources:
                        keys = ("evidence", "search", "included", i)
                        out.append(ref(claim, sid, "source", keys, "included study"))
                for i, e in enumerate(search.excluded):
                    if e.source and e.source not in sources:
                        keys = ("evidence", "search", "excluded", i, "source")
                        out.append(ref(claim, e.source, "source", keys, "excluded study"))
    return [f for f in out if f is not None]


def _check_cycles(corpus: Corpus) -> list[Finding]:
    """Report each depends_on cycle once, at the first claim (by id) on it."""
    findings: list[Finding] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    reported: set[frozenset[str]] = set()

    # A claim with no premise is on no cycle: searching from it finds nothing.
    for start in sorted(cid for cid, c in corpus.claims.items() if c.depends_on):
        if state.get(start):
            continue
        # Iterative depth-first search, so a long chain cannot exhaust the stack.
        path: list[str] = []
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            node, i = stack.pop()
            if i == 0:
                state[node] = 1
                path.append(node)
            deps = [d for d in corpus.claims[node].depends_on if d in corpus.claims and d != node]
            if i < len(deps):
                stack.append((node, i + 1))
                nxt = deps[i]
                if state.get(nxt) == 1:
                    cycle = path[path.index(nxt) :]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        first = min(cycle)
                        claim = corpus.claims[first]
                        k = cycle.index(first)
                        ordered = cycle[k:] + cycle[:k] + [first]
                        idx = claim.depends_on.index(ordered[1])
                        line, col = claim.origin.at("depends_on", idx)
                        findings.append(
                            Finding(
                                "KG305",
                                claim.origin.path,
                                line,
                                col,
                                "depends_on cycle: " + " -> ".join(ordered),
                                "a premise cannot rest on its own conclusion; remove one link",
                                related=tuple(corpus.claims[c].origin.path for c in cycle),
                            )
                        )
                elif not state.get(nxt):
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                path.pop()
    return findings


class QuoteMemo:
    """The quotes found in their snapshots at the last check, kept by a session that checks the
    same corpus again (watch mode): a quote is searched for again only when the quote or the
    snapshot's text (a new string once the file is read again) has changed."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, str], str] = {}


def _check_quotes(corpus: Corpus, memo: QuoteMemo | None = None) -> list[Finding]:
    findings: list[Finding] = []
    folded: dict[str, FoldedText] = {}
    folded_text: dict[str, str] = {}
    before = memo.found if memo is not None else {}
    # Only what this check found is kept: nothing stale outlives an edit.
    found: dict[tuple[str, str], str] = {}
    for claim in corpus.claims.values():
        for a in claim.sources:
            source = corpus.sources.get(a.source)
            if source is None or not a.quote.strip():
                continue
            text = corpus.snapshot_texts.get(source.id)
            if text is None:
                if source.snapshot is None:
                    line, col = claim.origin.at("sources", a.index, "quote")
                    findings.append(
                        Finding(
                            "KG405",
                            claim.origin.path,
                            line,
                            col,
                            f"the quote cannot be verified: source {source.id!r} has no snapshot",
                            "keep a text copy of the source with its SHA-256",
                        )
                    )
                continue
            key = (source.id, a.quote)
            if before.get(key) is text:
                found[key] = text
                continue
            # Most quotes are copied verbatim; folding (and its offsets) is only for the rest.
            # A verbatim match is also a folded one, so this changes no result.
            if a.quote in text:
                if memo is not None:
                    found[key] = text
                continue
            flat = folded_text.get(source.id)
            if flat is None:
                flat = folded_text[source.id] = fold(text)
            needle = fold(a.quote)
            if needle and needle in flat:
                if memo is not None:
                    found[key] = text
                continue
            ft = folded.get(source.id)
            if ft is None:
                ft = folded[source.id] = FoldedText.of(text)
            closest = ft.closest(a.quote)
            line, col = claim.origin.at("sources", a.index, "quote")
            findings.append(
                Finding(
                    "KG401",
                    claim.origin.path,
                    line,
                    col,
                    f"the quote does not occur in the snapshot of {source.id!r}",
                    f"closest text in the source: {closest!r}"
                    if closest
                    else "copy the quote from the snapshot verbatim",
                )
            )
    if memo is not None:
        memo.found = found
    return findings


def _check_evidence(corpus: Corpus) -> list[Finding]:
    findings: list[Finding] = []
    for claim in corpus.claims.values():
        origin = claim.origin
        has_block = claim.evidence is not None or has_key(origin, "evidence")
        if claim.kind in vocab.UNGRADED_CLAIM_KINDS:
            if has_block:
                findings.append(
                    Finding(
                        "KG208",
                        origin.path,
                        *origin.key_at("evidence"),
                        "a rhetoric claim takes no evidence level: no study can test a metaphor",
                        "remove the evidence block, or change the kind",
                    )
                )
            continue
        if claim.kind and not has_block:
            findings.append(
                Finding(
                    "KG209",
                    origin.path,
                    origin.data.line if origin.data else 1,
                    1,
                    f"a {claim.kind} claim needs an `evidence` block (level, direction, rationale)",
                    "grade it ES-0 ('none found') if nothing tests it",
                )
            )
            continue
        ev = claim.evidence
        if ev is None:
            continue
        has_direction = bool(ev.direction) or has_key(origin, "evidence", "direction")
        if ev.level == vocab.NO_EVIDENCE_LEVEL and has_direction:
            findings.append(
                Finding(
                    "KG210",
                    origin.path,
                    *origin.key_at("evidence", "direction"),
                    f"{ev.level} means nothing tests the claim, so the evidence has no direction",
                    "remove `direction`, or grade the studies that do bear on the claim",
                )
            )
        elif ev.level != vocab.NO_EVIDENCE_LEVEL and not has_direction:
            findings.append(
                Finding(
                    "KG201",
                    origin.path,
                    *origin.key_at("evidence"),
                    "missing required field `direction` in `evidence`",
                    "supports, mixed or contradicts: the evidence as a whole",
                )
            )
        if ev.rank > vocab.MAX_LEVEL_WITHOUT_REFERENCE and not ev.references:
            findings.append(
                Finding(
                    "KG501",
                    origin.path,
                    *origin.at("evidence", "level"),
                    f"evidence level {ev.level} has no reference",
                    f"cite the studies behind it, or grade it ES-"
                    f"{vocab.MAX_LEVEL_WITHOUT_REFERENCE} or lower",
                )
            )
        for r in ev.references:
            source = corpus.sources.get(r.source)
            if source is not None and not source.is_evidence_kind:
                findings.append(
                    Finding(
                        "KG502",
                        origin.path,
                        *origin.at("evidence", "references", r.index, "source"),
                        f"{r.source!r} is a {source.kind} source: it can assert a claim but "
                        "cannot be evidence for one",
                        "cite the primary study, review or label instead",
                    )
                )
    return findings


def _check_sources(corpus: Corpus) -> list[Finding]:
    findings: list[Finding] = []
    for source in corpus.sources.values():
        origin = source.origin
        if source.kind in vocab.WEB_SOURCE_KINDS:
            for name in ("url", "publisher", "accessed"):
                if not has_key(origin, name) and origin.data is not None:
                    findings.append(
                        Finding(
                            "KG201",
                            origin.path,
                            origin.data.line,
                            origin.data.col,
                            f"missing field `{name}`: a {source.kind} page records it, "
                            "or says unknown",
                        )
                    )
        if source.published and source.accessed:
            published = date_range(source.published)
            accessed = date_range(source.accessed)
            if published and accessed and accessed[1] < published[0]:
                findings.append(
                    Finding(
                        "KG506",
                        origin.path,
                        *origin.at("accessed"),
                        f"accessed {source.accessed} is before published {source.published}",
                    )
                )
    return findings


def _check_identifiers(corpus: Corpus) -> list[Finding]:
    """One document, one source record: a DOI or PubMed id seen twice means a duplicate."""
    findings: list[Finding] = []
    first: dict[tuple[str, str], str] = {}
    for sid in sorted(corpus.sources):
        source = corpus.sources[sid]
        for name in ("doi", "pmid", "pmcid"):
            value = getattr(source, name)
            if not value:
                continue
            key = (name, value.lower())
            if key in first:
                other = corpus.sources[first[key]]
                findings.append(
                    Finding(
                        "KG308",
                        source.origin.path,
                        *source.origin.at(name),
                        f"{name} {value} is also the {name} of source {other.id!r}",
                        "keep one record per document and point every reference at it",
                        related=(other.origin.path,),
                    )
                )
            else:
                first[key] = sid
    return findings


_NOT_WORD = re.compile(r"[^\w\s]+")


def normal_statement(text: str) -> str:
    """A statement as compared for duplicates: case, white space and punctuation folded away."""
    text = _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(text.split())


def _where(claim: Claim, *keys: str | int) -> str:
    line, _ = claim.origin.at(*keys)
    return f"{claim.origin.path}:{line}"


def _check_duplicates(corpus: Corpus) -> list[Finding]:
    """Claims that say the same thing twice, each reported at the later file (in path order)
    and naming the earlier one: the same statement once case, white space and punctuation are
    folded (KG310), the same source and quote carrying the same triple (KG311), and the same
    subject, predicate, object and qualifiers (KG309), which says the same thing in two records
    whatever the words."""
    findings: list[Finding] = []
    triples: dict[tuple[object, ...], Claim] = {}
    statements: dict[str, Claim] = {}
    quotes: dict[tuple[str, ...], Claim] = {}
    for claim in sorted(corpus.claims.values(), key=lambda c: (c.origin.path, c.id)):
        path = claim.origin.path
        triple = (claim.subject, claim.predicate, claim.object)
        statement = normal_statement(claim.statement)
        if statement:
            first = statements.setdefault(statement, claim)
            if first is not claim:
                findings.append(
                    Finding(
                        "KG310",
                        path,
                        *claim.origin.at("statement"),
                        f"the statement of claim {claim.id!r} is that of claim {first.id!r} "
                        f"({_where(first, 'statement')})",
                        "merge the two claims, or word each statement to say what its own "
                        "triple and qualifiers say",
                        related=(first.origin.path,),
                    )
                )
        if not all(triple):
            continue
        qualifiers = tuple(sorted((k, fold(str(v))) for k, v in claim.qualifiers.items()))
        first = triples.setdefault((*triple, qualifiers), claim)
        if first is not claim:
            said = "and qualifiers" if qualifiers else "and no qualifiers"
            findings.append(
                Finding(
                    "KG309",
                    path,
                    *claim.origin.at("object"),
                    f"claim {claim.id!r} has the subject, predicate, object {said} of claim "
                    f"{first.id!r} ({_where(first, 'object')}): one fact, two records",
                    "merge the two claims (their sources and references together), or give "
                    "each the object or qualifiers that say what sets it apart",
                    related=(first.origin.path,),
                )
            )
        for a in claim.sources:
            quote = fold(a.quote)
            if not a.source or not quote:
                continue
            first = quotes.setdefault((a.source, quote, *triple), claim)
            if first is claim:
                continue
            index = next(
                b.index for b in first.sources if b.source == a.source and fold(b.quote) == quote
            )
            findings.append(
                Finding(
                    "KG311",
                    path,
                    *claim.origin.at("sources", a.index, "quote"),
                    f"this quote of source {a.source!r} already asserts the same subject, "
                    f"predicate and object in claim {first.id!r} "
                    f"({_where(first, 'sources', index, 'quote')})",
                    "one quote makes one claim: merge the two, or quote the passage that makes "
                    "this one",
                    related=(first.origin.path,),
                )
            )
    return findings


def _check_unused(corpus: Corpus) -> list[Finding]:
    used_entities: set[str] = set()
    used_sources: set[str] = set()
    use_entity, use_source = used_entities.add, used_sources.add
    for claim in corpus.claims.values():
        use_entity(claim.subject)
        use_entity(claim.object)
        for a in claim.sources:
            use_source(a.source)
        if claim.evidence:
            for r in claim.evidence.references:
                use_source(r.source)
            # A study the search screened and left out is part of the record of the grade.
            search = claim.evidence.search
            if isinstance(search, Search):
                for e in search.excluded:
                    if e.source:
                        use_source(e.source)
    findings = []
    for table, used, what in (
        (corpus.entities, used_entities, "entity"),
        (corpus.sources, used_sources, "source"),
    ):
        for rid, record in table.items():
            if rid not in used:
                line, col = record.origin.at("id")
                findings.append(
                    Finding("KG509", record.origin.path, line, col, f"no claim uses {what} {rid!r}")
                )
    return findings


def _check_snapshot_files(corpus: Corpus) -> list[Finding]:
    """KG406: a file under snapshots/ that no source names: a copy nobody can check against."""
    folder = corpus.root / SNAPSHOT_FOLDER
    if not folder.is_dir():
        return []
    named = set()
    for source in corpus.sources.values():
        if source.snapshot is not None:
            named.add(os.path.normpath(corpus.root / source.snapshot.path))
    findings = []
    for file in sorted(folder.rglob("*")):
        rel = file.relative_to(corpus.root).as_posix()
        if any(part.startswith(".") for part in file.relative_to(folder).parts):
            continue
        if file.is_file() and os.path.normpath(file) not in named:
            findings.append(
                Finding(
                    "KG406",
                    str(file),
                    1,
                    1,
                    f"no source refers to the snapshot {rel}",
                    f"write its source record (`kgraph new source ID --snapshot {rel}`), or "
                    "remove the file",
                )
            )
    return findings


def check_corpus(corpus: Corpus, *, quotes: QuoteMemo | None = None) -> Report:
    """Run every cross-record rule over a loaded corpus.

    `quotes` carries the quotes found by the last check of the same corpus (watch mode), so
    that only new quotes and quotes of changed snapshots are searched for; same findings.
    """
    findings = list(corpus.findings)
    findings.extend(_check_references(corpus))
    findings.extend(_check_cycles(corpus))
    findings.extend(_check_quotes(corpus, quotes))
    findings.extend(check_grading(corpus))
    findings.extend(check_coverage(corpus))
    findings.extend(check_reviews(corpus))
    findings.extend(check_grounding(corpus))
    findings.extend(check_retractions(corpus))
    for rule in (
        _check_evidence,
        _check_sources,
        _check_identifiers,
        _check_duplicates,
        _check_unused,
        _check_snapshot_files,
    ):
        findings.extend(rule(corpus))
    return Report(corpus, sort_findings(findings))


def check(
    root: str | os.PathLike[str] | Corpus,
    *,
    today: dt.date | None = None,
    workers: int | None = None,
    cache: bool | str | os.PathLike[str] = False,
) -> Report:
    """Load (unless given a Corpus) and check a corpus; never raises on bad records.

    `cache` is passed to `load`: unchanged files are then not read again (same findings).
    """
    started = time.perf_counter()
    if isinstance(root, Corpus):
        report = check_corpus(root)
    else:
        # As in `load`: the records outlive the check, so collecting garbage while the rules
        # run would only walk them all again (a tenth of a warm check at 10,000 claims).
        with gc_paused():
            corpus = load(root, today=today, workers=workers, cache=cache)
            report = check_corpus(corpus)
    report.seconds = time.perf_counter() - started
    return report


class CorpusHasErrors(Exception):
    """The corpus has check errors: the stages after the check refuse to work on it."""

    # What the refusing stage did not do, where the message should say ("nothing was built").
    not_done = ""

    def __init__(self, report: Report) -> None:
        self.report = report
        problem = f"the corpus has {report.errors} check error(s)"
        if self.not_done:
            super().__init__(f"{problem}; {self.not_done} (run `kgraph check` to see them)")
        else:
            super().__init__(f"{problem}: run `kgraph check` to see them")


def checked_report(
    root: str | os.PathLike[str], *, refusal: type[CorpusHasErrors] = CorpusHasErrors
) -> Report:
    """Check a corpus folder and raise `refusal` if it has errors: the gate every later stage
    (graph, exports, site, audit, writers' tools) passes through, so none guesses around a
    broken record."""
    report = check(root)
    if report.errors:
        raise refusal(report)
    return report


def checked_corpus(root: str | os.PathLike[str], *, allow_errors: bool = False) -> Corpus:
    """The checked corpus at root; raises CorpusHasErrors on check errors unless allow_errors."""
    return check(root).corpus if allow_errors else checked_report(root).corpus


__all__ = [
    "CorpusHasErrors",
    "QuoteMemo",
    "Report",
    "Severity",
    "check",
    "check_corpus",
    "checked_corpus",
    "checked_report",
]


def only_files(report: Report, files: list[Path]) -> Report:
    """The report cut to the findings about FILES (the whole corpus was still loaded, so
    references across records are judged as in a full check): for pre-commit and editors."""
    wanted = {os.path.realpath(f) for f in files}
    kept = [f for f in report.findings if os.path.realpath(f.path) in wanted]
    return Report(report.corpus, kept, report.seconds)


class BadCheckPaths(ValueError):
    """PATHS that name neither one corpus folder nor record files of one corpus (a usage error)."""


@dataclass(frozen=True)
class CheckTarget:
    """What `kgraph check PATHS` was asked about: the corpus root, and the record files whose
    findings to show (none: the whole corpus)."""

    root: Path
    files: tuple[Path, ...] = ()


def check_target(paths: Sequence[Path], root: Path | None = None) -> CheckTarget:
    """Sort PATHS into a corpus folder or record files, and the root they belong to.

    A record file is a file, or the name of one (.yaml, .yml); anything else names the corpus.
    Record files are checked as part of the corpus of their folder (or of ROOT). Raises
    BadCheckPaths for several folders or folders mixed with files, CorpusNotFound for a named
    record file that does not exist, RootConflict when a folder and ROOT differ.
    """
    files = [p for p in paths if p.is_file() or (not p.is_dir() and p.suffix in (".yaml", ".yml"))]
    folders = [p for p in paths if p not in files]
    if len(folders) > 1 or (folders and files):
        raise BadCheckPaths("give one corpus folder, or record files of one corpus")
    missing = [str(p) for p in files if not p.exists()]
    if missing:
        raise CorpusNotFound(f"no such file: {', '.join(missing)}")
    if folders:
        return CheckTarget(one_root(folders[0], root))
    if root is None and files:
        root = files[0].parent
    return CheckTarget(one_root(root), tuple(files))
