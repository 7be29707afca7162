"""Withdrawn evidence: the pinned retraction list (`retractions.yaml` in the corpus folder),
read with line numbers, and the check of every cited study against it (KG904-KG906).

Part of the check stage. The list is written by `kgraph retractions refresh`
(`kgraph.corpus.retraction_refresh`); it is read here and nowhere downloaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kgraph.corpus.findings import Finding
from kgraph.corpus.model import Corpus, Source
from kgraph.corpus.reader import LocDict, LocList, read_file

RETRACTIONS_FILE = "retractions.yaml"
# A notice's nature as the Retraction Watch data names it, and what kgraph calls each.
RETRACTED = "retraction"
NATURES = ("retraction", "correction", "expression of concern", "reinstatement")
_LIST_FIELDS = {"origin", "retrieved", "sha256", "rows", "checked", "entries"}
_ENTRY_FIELDS = {"doi", "pmid", "nature", "date", "record", "notice_doi", "title", "reason"}
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def normal_doi(doi: str | None) -> str:
    """A DOI as the list and the sources are matched: no resolver prefix, lower case."""
    return _DOI_PREFIX.sub("", (doi or "").strip()).strip().lower()


def normal_pmid(pmid: str | int | None) -> str:
    """A PubMed id as digits without leading zeros ("" for none, and for the data's "0")."""
    text = str(pmid or "").strip()
    return text.lstrip("0") if text.isdigit() else ""


@dataclass(frozen=True)
class Notice:
    """One notice about a paper: a retraction, a correction, an expression of concern."""

    nature: str
    date: str
    doi: str = ""  # of the paper the notice is about, normalised
    pmid: str = ""
    record: str = ""  # the Retraction Watch record id
    notice_doi: str = ""
    title: str = ""
    reason: str = ""
    line: int = 0  # in retractions.yaml

    @property
    def retracted(self) -> bool:
        return self.nature == RETRACTED

    def describe(self) -> str:
        """'retraction (2021-03-04, Retraction Watch record 1234)'."""
        said = [self.date or "date unknown"]
        if self.record:
            said.append(f"Retraction Watch record {self.record}")
        if self.notice_doi:
            said.append(f"notice doi:{self.notice_doi}")
        return f"{self.nature} ({', '.join(said)})"


@dataclass
class RetractionList:
    """The pinned list: where it came from and when, and its notices by DOI and PubMed id."""

    path: Path | None = None  # None: the corpus keeps no list
    origin: str = ""
    retrieved: str = ""
    sha256: str = ""
    rows: int = 0  # rows the download held
    checked: int = 0  # identifiers of the corpus it was compared with
    entries: list[Notice] = field(default_factory=list)
    _index: dict[int, int] = field(default_factory=dict, repr=False)
    _by_key: dict[str, list[Notice]] = field(default_factory=dict, repr=False)

    def for_source(self, source: Source) -> list[Notice]:
        """The notices about a source's paper, matched by DOI or PubMed id, in list order."""
        if len(self._index) != len(self.entries):
            self._index = {id(e): i for i, e in enumerate(self.entries)}
            self._by_key.clear()
            for e in self.entries:
                for key in (f"doi:{e.doi}" if e.doi else "", f"pmid:{e.pmid}" if e.pmid else ""):
                    if key:
                        self._by_key.setdefault(key, []).append(e)
        doi, pmid = normal_doi(source.doi), normal_pmid(source.pmid)
        found = [*self._by_key.get(f"doi:{doi}", []), *self._by_key.get(f"pmid:{pmid}", [])]
        unique = {id(e): e for e in found}
        return sorted(unique.values(), key=lambda e: self._index[id(e)])


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _entry(item: object, line: int, path: str, findings: list[Finding]) -> Notice | None:
    def bad(message: str) -> None:
        findings.append(Finding("KG906", path, line, 1, message, "see docs/retractions.md"))

    if not isinstance(item, LocDict):
        bad("an entry of the retraction list is not a mapping")
        return None
    unknown = sorted(set(item) - _ENTRY_FIELDS)
    if unknown:
        bad(f"unknown field(s) in a retraction entry: {', '.join(unknown)}")
    nature = _text(item.get("nature")).lower()
    if nature not in NATURES:
        bad(f"nature {nature!r} is none of: {', '.join(NATURES)}")
        return None
    notice = Notice(
        nature=nature,
        date=_text(item.get("date")),
        doi=normal_doi(_text(item.get("doi"))),
        pmid=normal_pmid(_text(item.get("pmid"))),
        record=_text(item.get("record")),
        notice_doi=normal_doi(_text(item.get("notice_doi"))),
        title=_text(item.get("title")),
        reason=_text(item.get("reason")),
        line=line,
    )
    if not (notice.doi or notice.pmid):
        bad("a retraction entry names neither a doi nor a pmid: nothing can match it")
        return None
    return notice


def load_retractions(corpus_root: Path) -> tuple[RetractionList, list[Finding]]:
    """The corpus's retraction list (an empty one when it keeps none) and its problems."""
    file = Path(corpus_root) / RETRACTIONS_FILE
    if not file.is_file():
        return RetractionList(), []
    path = str(file)
    root = Path(corpus_root).resolve()
    if not file.resolve().is_relative_to(root):
        message = "the retraction list links outside the corpus: keep the file itself in it"
        return RetractionList(path=file), [Finding("KG906", path, 1, 1, message)]
    result = read_file(path, path)
    findings = [f for f in result.findings]
    data = result.data
    if data is None:
        return RetractionList(path=file), findings
    if not isinstance(data, LocDict):
        findings.append(Finding("KG906", path, 1, 1, "the retraction list is not a mapping"))
        return RetractionList(path=file), findings
    for key in sorted(set(data) - _LIST_FIELDS):
        line, col = data.key_pos[key]
        findings.append(
            Finding("KG906", path, line, col, f"unknown field {key!r} in the retraction list")
        )
    listed = RetractionList(
        path=file,
        origin=_text(data.get("origin")),
        retrieved=_text(data.get("retrieved")),
        sha256=_text(data.get("sha256")),
    )
    for name in ("rows", "checked"):
        value = data.get(name, 0)
        if not isinstance(value, int) or isinstance(value, bool):
            line, col = data.value_pos[name]
            findings.append(Finding("KG906", path, line, col, f"{name} must be a whole number"))
        else:
            setattr(listed, name, value)
    entries = data.get("entries")
    if entries is None:
        return listed, findings
    if not isinstance(entries, LocList):
        line, col = data.value_pos["entries"]
        findings.append(Finding("KG906", path, line, col, "entries must be a list"))
        return listed, findings
    for i, item in enumerate(entries):
        notice = _entry(item, entries.item_pos[i][0], path, findings)
        if notice is not None:
            listed.entries.append(notice)
    return listed, findings


def _mentions(corpus: Corpus) -> Iterable[tuple[str, str, tuple[int, int], str]]:
    """(claim id, source id, where in the claim file, "cites" / "is asserted by") for each
    source a claim rests on."""
    for cid in sorted(corpus.claims):
        claim = corpus.claims[cid]
        for a in claim.sources:
            yield cid, a.source, claim.origin.at("sources", a.index, "source"), "is asserted by"
        if claim.evidence is not None:
            for r in claim.evidence.references:
                yield (
                    cid,
                    r.source,
                    claim.origin.at("evidence", "references", r.index, "source"),
                    ("cites"),
                )


def check_retractions(corpus: Corpus, listed: RetractionList | None = None) -> list[Finding]:
    """KG904 for each claim resting on a retracted study, KG905 for a corrected one (or one
    with an expression of concern), from the pinned list; plus the list's own problems."""
    findings: list[Finding] = []
    if listed is None:
        listed, findings = load_retractions(corpus.root)
    if not listed.entries:
        return findings
    seen: set[tuple[str, str]] = set()
    for cid, sid, (line, col), how in _mentions(corpus):
        source = corpus.sources.get(sid)
        if source is None or (cid, sid) in seen:
            continue
        seen.add((cid, sid))
        path = corpus.claims[cid].origin.path
        for notice in listed.for_source(source):
            if notice.nature == "reinstatement":
                continue
            code = "KG904" if notice.retracted else "KG905"
            findings.append(
                Finding(
                    code,
                    path,
                    line,
                    col,
                    f"claim {cid!r} {how} {sid!r}, which has a {notice.describe()}",
                    "re-grade the claim without it, or say in the rationale why it still counts"
                    if notice.retracted
                    else "read the notice and check that what the claim takes from it still holds",
                    related=(str(listed.path),),
                )
            )
    return findings
