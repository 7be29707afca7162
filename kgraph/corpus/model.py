"""Typed records of a loaded corpus: Source, Entity, Claim, Coverage, their parts, the Corpus.

Second stage of the flow: `kgraph.corpus.load` turns files into these; the checker, graph, audit,
site
and writers' tools read them. Each record keeps its `Origin`, so a finding can name file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgraph import vocab
from kgraph.corpus.reader import LocDict, LocList


@dataclass
class Origin:
    """Where a record came from: the file (as findings name it) and its located values."""

    path: str
    data: LocDict | None = None

    def at(self, *keys: str | int) -> tuple[int, int]:
        """(line, col) of the value at a key path, falling back to the nearest known parent."""
        node: Any = self.data
        best = (node.line, node.col) if isinstance(node, LocDict) else (1, 1)
        for key in keys:
            if isinstance(node, LocDict) and isinstance(key, str) and key in node:
                best = node.value_pos[key]
                node = node[key]
            elif isinstance(node, LocList) and isinstance(key, int) and 0 <= key < len(node):
                best = node.item_pos[key]
                node = node[key]
            else:
                break
        return best

    def key_at(self, *keys: str | int) -> tuple[int, int]:
        """(line, col) of the key itself (for 'this field is wrong' findings)."""
        if not keys:
            return self.at()
        parent: Any = self.data
        for key in keys[:-1]:
            if isinstance(parent, LocDict) and isinstance(key, str):
                parent = parent.get(key)
            elif isinstance(parent, LocList) and isinstance(key, int) and 0 <= key < len(parent):
                parent = parent[key]
            else:
                return self.at(*keys)
        last = keys[-1]
        if isinstance(parent, LocDict) and isinstance(last, str) and last in parent.key_pos:
            return parent.key_pos[last]
        return self.at(*keys)


@dataclass
class Snapshot:
    path: str
    sha256: str
    part: str = ""  # a SNAPSHOT_PARTS value; "" when not recorded
    url: str = ""
    seen: str = ""


@dataclass
class Study:
    """A study, described once on its source record; claims refer to it.

    Every field may be "unknown": an honest value, which `kgraph check` reports.
    """

    design: str
    review_of: str = ""
    n: int | str | None = None
    population: str = ""
    drug: str = ""
    intervention: str = ""
    comparator: str = ""
    registration: str = ""
    risk_of_bias: dict[str, str] | str | None = None


@dataclass
class Source:
    id: str
    title: str | None
    kind: str
    authors: list[str]  # empty when unknown
    published: str | None  # None when unknown
    origin: Origin
    label: str | None = None
    publisher: str | None = None
    url: str | None = None
    accessed: str | None = None
    journal: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    snapshot: Snapshot | None = None
    study: Study | None = None
    # What the document itself cites: None when not recorded, [] when it cites nothing.
    cites: list[str] | None = None
    notes: str = ""
    # The values as read: what a review's hash of this source is taken over.
    content: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def display(self) -> str:
        return self.label or self.title or self.id

    @property
    def year(self) -> str | None:
        return self.published[:4] if self.published else None

    @property
    def is_evidence_kind(self) -> bool:
        return self.kind not in vocab.NON_EVIDENCE_SOURCE_KINDS


@dataclass(frozen=True)
class Grounding:
    """A term of a pinned vocabulary recorded for an entity (`grounding:` item `index`)."""

    curie: str
    label: str
    version: str
    index: int
    match: str = "exact"  # a vocab.MAPPING_RELATIONS value


@dataclass
class Entity:
    id: str
    label: str
    type: str
    origin: Origin
    synonyms: list[str] = field(default_factory=list)
    description: str = ""
    xrefs: dict[str, str] = field(default_factory=dict)
    grounding: list[Grounding] = field(default_factory=list)
    ungrounded: str = ""  # why no vocabulary term fits


@dataclass
class Assertion:
    """A source asserting a claim, with the verbatim quote that does so."""

    source: str
    quote: str
    locator: str
    index: int  # position in the claim's `sources` list, for locating findings
    reading: str = ""  # a READINGS value, "unknown", or "" when not recorded
    reading_reason: str = ""

    @property
    def is_reading(self) -> bool:
        """The claim is a reading of the quote (implied, a heading, a list), not its statement."""
        return bool(self.reading) and self.reading not in (vocab.LITERAL, vocab.UNKNOWN)


@dataclass
class Reference:
    """A study cited as evidence for (or against) a claim."""

    source: str
    finding: str
    direction: str
    index: int
    excerpt: str = ""  # "unknown" until a reviewer copies it from the abstract
    outcome: str = ""
    timepoint: str = ""
    effect: str = ""
    certainty: str = ""  # what a review printed for this outcome


@dataclass
class Rating:
    """A GRADE domain or upgrade as rated for a claim."""

    rating: str
    reason: str = ""


@dataclass
class Excluded:
    study: str
    reason: str
    source: str = ""


@dataclass
class Search:
    """The search behind a grade, as PRISMA-S asks it be reported."""

    date: str
    where: list[str]
    queries: list[str]
    screened: int | str | None
    included: list[str] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)
    notes: str = ""


@dataclass
class Evidence:
    level: str
    direction: str
    rationale: str
    indirectness: str = ""
    references: list[Reference] = field(default_factory=list)
    # GRADE domains by name (None: the block is left out; "unknown": said to be unknown).
    certainty: dict[str, Rating | str] | str | None = None
    upgrades: dict[str, Rating] = field(default_factory=dict)
    override: str = ""
    search: Search | str | None = None

    @property
    def rank(self) -> int:
        return vocab.LEVEL_BY_VALUE[self.level].rank


@dataclass
class ReviewHashes:
    """What a review saw: SHA-256 of the claim's content and of each source record and snapshot
    it rests on, by source id (`kgraph.corpus.review` says exactly what goes in)."""

    claim: str
    sources: dict[str, str] = field(default_factory=dict)
    snapshots: dict[str, str] = field(default_factory=dict)


@dataclass
class Review:
    status: str = "draft"
    reviewer: str | None = None
    date: str | None = None
    notes: str = ""
    hashes: ReviewHashes | None = None  # None: never written by `kgraph review`


@dataclass
class Claim:
    id: str
    statement: str
    kind: str
    subject: str
    predicate: str
    object: str
    origin: Origin
    sources: list[Assertion] = field(default_factory=list)
    evidence: Evidence | None = None
    qualifiers: dict[str, str] = field(default_factory=dict)
    depends_on: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    review: Review = field(default_factory=Review)
    # The values as read, its review block aside: what a review's claim hash is taken over.
    content: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def level(self) -> str | None:
        return self.evidence.level if self.evidence else None

    @property
    def rank(self) -> int | None:
        return self.evidence.rank if self.evidence else None


@dataclass
class CoverageEntry:
    """One segment of an article as its coverage map accounts for it: the claims quoting it,
    or why it is not a claim, or the claim still to be recorded."""

    text: str
    index: int  # position in the map's `sentences` list, for locating findings
    locator: str = ""
    claims: list[str] | None = None  # None when the entry has no `claims`
    not_a_claim: str = ""
    pending: str = ""


@dataclass
class Coverage:
    """A source's sentence map (`coverage/<source>.yaml`): every segment of its snapshot."""

    source: str
    origin: Origin
    entries: list[CoverageEntry] = field(default_factory=list)
    notes: str = ""


@dataclass
class Corpus:
    """A loaded corpus: records by id, the snapshot texts, and what loading found."""

    root: Path
    claims: dict[str, Claim] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    # Snapshot text by source id, for sources whose snapshot could be read.
    snapshot_texts: dict[str, str] = field(default_factory=dict)
    findings: list[Any] = field(default_factory=list)
    # How many record files loading listed (read, or taken from the cache).
    record_files: int = 0
    # Coverage maps by source id; whether the corpus keeps them at all (a coverage/ folder).
    coverage: dict[str, Coverage] = field(default_factory=dict)
    keeps_coverage: bool = False

    def record(self, record_id: str) -> Claim | Source | Entity | None:
        return (
            self.claims.get(record_id)
            or self.sources.get(record_id)
            or self.entities.get(record_id)
        )

    def study(self, source_id: str) -> Study | None:
        source = self.sources.get(source_id)
        return source.study if source is not None else None

    def design_words(self, source_id: str) -> str:
        """The study design of a source in words ("randomised trial (crossover)"), or unknown."""
        study = self.study(source_id)
        design = vocab.DESIGN_BY_VALUE.get(study.design) if study is not None else None
        return design.label if design is not None else vocab.UNKNOWN

    def study_n(self, source_id: str) -> int | None:
        study = self.study(source_id)
        return study.n if study is not None and isinstance(study.n, int) else None

    def population(self, source_id: str) -> str:
        study = self.study(source_id)
        if study is None or study.population in ("", vocab.UNKNOWN):
            return ""
        return study.population

    def articles(self) -> list[Source]:
        """Sources that assert at least one claim, in id order."""
        asserting = {a.source for c in self.claims.values() for a in c.sources}
        return [s for sid, s in sorted(self.sources.items()) if sid in asserting]
