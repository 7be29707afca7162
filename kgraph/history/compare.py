"""Two loaded states of a corpus compared: claims followed by id and by quotes (added, removed,
renamed, merged, split), what changed in each kept claim and why its grade moved, the audit
findings that appear or disappear, and the rules a change must keep (`RULES`)."""

from __future__ import annotations

import contextlib
import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kgraph import vocab
from kgraph.audit import AuditFinding, AuditReport
from kgraph.corpus.model import Claim, Corpus, Rating, Search

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

# The rules `kgraph diff --fail-on` can apply; the default is the one a reviewer needs most.
RULES: dict[str, str] = {
    "unsupported-rise": "a claim's level rises, yet no reference was added to it and no search "
    "record was added or re-run (a new date)",
    "rise": "a claim's level rises",
    "removed": "a claim is removed and its quotes are in no claim now (not renamed, merged or "
    "split)",
    "audit-error": "an audit finding of severity error appears",
}
DEFAULT_RULES: tuple[str, ...] = ("unsupported-rise",)

QuoteKey = tuple[str, str]  # (source, quote with its whitespace collapsed)


def _quotes(claim: Claim) -> list[QuoteKey]:
    return list(dict.fromkeys((a.source, " ".join(a.quote.split())) for a in claim.sources))


def _grade(claim: Claim | None) -> str:
    if claim is None or claim.evidence is None:
        return "ungraded"
    return f"{claim.evidence.level} {claim.evidence.direction}".strip()


def _rating(value: Rating | str | None) -> str:
    if value is None:
        return "not rated"
    return value.rating if isinstance(value, Rating) else value


@dataclass
class Side:
    """One state of the corpus: what the user named, as loaded, checked and audited."""

    label: str  # "HEAD~1 (5bc0655)" or the folder as given
    corpus: Corpus
    check_errors: int
    audit: AuditReport

    def summary(self) -> dict[str, object]:
        return {
            "label": self.label,
            "claims": len(self.corpus.claims),
            "sources": len(self.corpus.sources),
            "check_errors": self.check_errors,
        }


@dataclass
class ClaimChange:
    """What changed in one claim kept by id (or renamed): each list empty when nothing did."""

    id: str
    old_id: str
    level: tuple[str | None, str | None]
    direction: tuple[str, str]
    statement: tuple[str, str] | None = None
    kind: tuple[str, str] | None = None
    references_added: list[str] = field(default_factory=list)
    references_dropped: list[str] = field(default_factory=list)
    reference_directions: list[tuple[str, str, str]] = field(default_factory=list)
    designs: list[tuple[str, str, str]] = field(default_factory=list)
    domains: list[tuple[str, str, str]] = field(default_factory=list)
    search: str = ""  # "added", "removed", "re-run (old -> new)", "edited", or ""
    override: tuple[str, str] | None = None
    sources_added: list[str] = field(default_factory=list)
    sources_dropped: list[str] = field(default_factory=list)
    quotes: list[tuple[str, str, str]] = field(default_factory=list)  # source, old, new ("")

    @property
    def rise(self) -> int:
        """How many levels the claim rose (negative: fell; 0 also when either is ungraded)."""
        old, new = self.level
        if old is None or new is None:
            return 0
        return vocab.LEVEL_BY_VALUE[new].rank - vocab.LEVEL_BY_VALUE[old].rank

    @property
    def regraded(self) -> bool:
        return self.level[0] != self.level[1] or self.direction[0] != self.direction[1]

    def reasons(self) -> list[str]:
        """Which parts of the record that a grade rests on changed, in words."""
        found = [
            ("references", bool(self.references_added or self.references_dropped)),
            ("reference directions", bool(self.reference_directions)),
            ("study designs", bool(self.designs)),
            ("GRADE domains", bool(self.domains)),
            ("search", bool(self.search)),
            ("override", self.override is not None),
            ("statement", self.statement is not None),
            ("kind", self.kind is not None),
        ]
        return [name for name, changed in found if changed]

    @property
    def empty(self) -> bool:
        return not (
            self.regraded
            or self.reasons()
            or self.sources_added
            or self.sources_dropped
            or self.quotes
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "old_id": self.old_id,
            "level": {"old": self.level[0], "new": self.level[1], "rise": self.rise},
            "direction": {"old": self.direction[0], "new": self.direction[1]},
            "reasons": self.reasons() if self.regraded else [],
            "statement": _pair(self.statement),
            "kind": _pair(self.kind),
            "references": {"added": self.references_added, "dropped": self.references_dropped},
            "reference_directions": [
                {"source": s, "old": o, "new": n} for s, o, n in self.reference_directions
            ],
            "designs": [{"source": s, "old": o, "new": n} for s, o, n in self.designs],
            "domains": [{"domain": d, "old": o, "new": n} for d, o, n in self.domains],
            "search": self.search,
            "override": _pair(self.override),
            "sources": {"added": self.sources_added, "dropped": self.sources_dropped},
            "quotes": [{"source": s, "old": o, "new": n} for s, o, n in self.quotes],
        }


def _pair(pair: tuple[str, str] | None) -> dict[str, str] | None:
    return None if pair is None else {"old": pair[0], "new": pair[1]}


@dataclass(frozen=True)
class AuditChange:
    """An audit finding (one of its codes) that appears on the new side or disappears from it."""

    change: str  # "appears" or "disappears"
    claim: str | None
    code: str
    severity: str
    source: str | None
    message: str
    where: str  # file (relative to the corpus) and line, on the side where the finding is

    def to_dict(self) -> dict[str, object]:
        return {
            "change": self.change,
            "claim": self.claim,
            "code": self.code,
            "severity": self.severity,
            "source": self.source,
            "message": self.message,
            "where": self.where,
        }


@dataclass(frozen=True)
class Broken:
    rule: str
    claim: str
    message: str


@dataclass
class CorpusDiff:
    """Everything `kgraph diff` reports, in id order."""

    old: dict[str, object]
    new: dict[str, object]
    added: list[tuple[str, str, str]] = field(default_factory=list)  # id, grade, statement
    removed: list[tuple[str, str, str]] = field(default_factory=list)
    renamed: list[tuple[str, str, int]] = field(default_factory=list)  # old, new, quotes
    merged: list[tuple[str, str, int, int]] = field(default_factory=list)  # into, followed, of
    split: list[tuple[str, list[str]]] = field(default_factory=list)
    changed: list[ClaimChange] = field(default_factory=list)
    sources_added: list[str] = field(default_factory=list)
    sources_dropped: list[str] = field(default_factory=list)
    audit: list[AuditChange] = field(default_factory=list)
    rules: tuple[str, ...] = ()
    broken: list[Broken] = field(default_factory=list)

    @property
    def fails(self) -> bool:
        return bool(self.broken)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "renamed": len(self.renamed),
            "merged": len(self.merged),
            "split": len(self.split),
            "changed": len(self.changed),
            "regraded": sum(1 for c in self.changed if c.regraded),
            "audit_appears": sum(1 for a in self.audit if a.change == "appears"),
            "audit_disappears": sum(1 for a in self.audit if a.change == "disappears"),
        }

    def to_dict(self) -> dict[str, object]:
        return {
            "old": self.old,
            "new": self.new,
            "counts": self.counts(),
            "added": [{"id": i, "grade": g, "statement": s} for i, g, s in self.added],
            "removed": [{"id": i, "grade": g, "statement": s} for i, g, s in self.removed],
            "renamed": [{"from": o, "to": n, "quotes": q} for o, n, q in self.renamed],
            "merged": [{"from": o, "into": t, "quotes": q, "of": n} for o, t, q, n in self.merged],
            "split": [{"from": o, "into": into} for o, into in self.split],
            "changed": [c.to_dict() for c in self.changed],
            "sources": {"added": self.sources_added, "dropped": self.sources_dropped},
            "audit": [a.to_dict() for a in self.audit],
            "rules": {
                "checked": list(self.rules),
                "broken": [
                    {"rule": b.rule, "claim": b.claim, "message": b.message} for b in self.broken
                ],
            },
        }


def claim_change(a: Claim, b: Claim, old: Corpus, new: Corpus) -> ClaimChange:
    """What changed from claim `a` of corpus `old` to claim `b` of corpus `new`."""
    ea, eb = a.evidence, b.evidence
    change = ClaimChange(
        id=b.id,
        old_id=a.id,
        level=(a.level, b.level),
        direction=(ea.direction if ea else "", eb.direction if eb else ""),
    )
    if " ".join(a.statement.split()) != " ".join(b.statement.split()):
        change.statement = (a.statement, b.statement)
    if a.kind != b.kind:
        change.kind = (a.kind, b.kind)
    ra = {r.source: r for r in (ea.references if ea else [])}
    rb = {r.source: r for r in (eb.references if eb else [])}
    change.references_added = sorted(set(rb) - set(ra))
    change.references_dropped = sorted(set(ra) - set(rb))
    for s in sorted(set(ra) & set(rb)):
        if ra[s].direction != rb[s].direction:
            change.reference_directions.append((s, ra[s].direction, rb[s].direction))
        da, db = old.study(s), new.study(s)
        design_a, design_b = (da.design if da else "none"), (db.design if db else "none")
        if design_a != design_b:
            change.designs.append((s, design_a, design_b))
    change.domains = _domains(a, b)
    change.search = _search(ea.search if ea else None, eb.search if eb else None)
    if (ea.override if ea else "") != (eb.override if eb else ""):
        change.override = (ea.override if ea else "", eb.override if eb else "")
    sa = list(dict.fromkeys(x.source for x in a.sources))
    sb = list(dict.fromkeys(x.source for x in b.sources))
    change.sources_added = sorted(set(sb) - set(sa))
    change.sources_dropped = sorted(set(sa) - set(sb))
    change.quotes = _quote_changes(a, b)
    return change


def _domains(a: Claim, b: Claim) -> list[tuple[str, str, str]]:
    def rated(claim: Claim) -> dict[str, str]:
        ev = claim.evidence
        if ev is None:
            return {}
        out: dict[str, str] = {}
        if isinstance(ev.certainty, dict):
            out.update({d: _rating(r) for d, r in ev.certainty.items()})
        elif isinstance(ev.certainty, str):
            out.update(dict.fromkeys((d.value for d in vocab.DOMAINS), ev.certainty))
        out.update({u: _rating(r) for u, r in ev.upgrades.items()})
        return out

    da, db = rated(a), rated(b)
    order = [d.value for d in vocab.DOMAINS]  # the handbook's order, then the upgrades
    names = sorted(set(da) | set(db), key=lambda d: (order.index(d) if d in order else 9, d))
    return [
        (d, da.get(d, "not rated"), db.get(d, "not rated"))
        for d in names
        if da.get(d, "not rated") != db.get(d, "not rated")
    ]


def _search(a: Search | str | None, b: Search | str | None) -> str:
    if not isinstance(b, Search):
        return "removed" if isinstance(a, Search) else ""
    if not isinstance(a, Search):
        return "added"
    if a.date != b.date:
        return f"re-run ({a.date} -> {b.date})"
    return "edited" if a != b else ""


def _quote_changes(a: Claim, b: Claim) -> list[tuple[str, str, str]]:
    """Per source, each quote of the old record not in the new one paired with a new quote of
    the same source (a quote changed), else alone (dropped: new ""; added: old "")."""
    qa, qb = _quotes(a), _quotes(b)
    gone = [q for q in qa if q not in qb]
    came = [q for q in qb if q not in qa]
    out: list[tuple[str, str, str]] = []
    for source in dict.fromkeys(s for s, _ in gone + came):
        olds = [q for s, q in gone if s == source]
        news = [q for s, q in came if s == source]
        for i in range(max(len(olds), len(news))):
            out.append((source, olds[i] if i < len(olds) else "", news[i] if i < len(news) else ""))
    return out


def _where(finding: AuditFinding, corpus: Corpus) -> str:
    path = finding.path
    with contextlib.suppress(ValueError):  # another drive, on Windows
        path = os.path.relpath(os.path.realpath(path), os.path.realpath(corpus.root))
    return f"{path}:{finding.line}"


def _audit_changes(before: Side, after: Side, renamed: dict[str, str]) -> list[AuditChange]:
    """Per claim (a renamed claim under its new id) and code, the findings on one side only."""

    def keyed(side: Side, rename: dict[str, str]) -> dict[tuple[str, str, str], AuditFinding]:
        out: dict[tuple[str, str, str], AuditFinding] = {}
        for f in side.audit.findings:
            claim = rename.get(f.claim, f.claim) if f.claim else ""
            place = f.source or ("" if f.claim else _where(f, side.corpus).split(":")[0])
            for code in f.codes:
                out.setdefault((claim, code, place), f)
        return out

    ka, kb = keyed(before, renamed), keyed(after, {})
    out = []
    for change, mine, other, side in (
        ("appears", kb, ka, after),
        ("disappears", ka, kb, before),
    ):
        for key in sorted(set(mine) - set(other)):
            f = mine[key]
            out.append(
                AuditChange(
                    change=change,
                    claim=key[0] or None,
                    code=key[1],
                    severity=f.severity,
                    source=f.source,
                    message=f.message,
                    where=_where(f, side.corpus),
                )
            )
    out.sort(key=lambda a: (a.claim or "~", a.code, a.change, a.source or ""))
    return out


def _follow(
    old: Corpus, new: Corpus
) -> tuple[dict[str, set[str]], dict[str, list[QuoteKey]], Callable[[QuoteKey], set[str]]]:
    """For each old claim, the other new claims now holding one of its quotes (or a part)."""
    by_source: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for cid, claim in new.claims.items():
        for source, text in _quotes(claim):
            by_source[source].append((text, cid))

    def holders(key: QuoteKey) -> set[str]:
        # The same words, or a part of them (a split quotes part of the old passage each).
        source, text = key
        return {cid for t, cid in by_source.get(source, []) if t in text or text in t}

    dest: dict[str, set[str]] = {}
    moved_quotes: dict[str, list[QuoteKey]] = {}
    for cid, claim in old.claims.items():
        kept = set(_quotes(new.claims[cid])) if cid in new.claims else set()
        moved = [q for q in _quotes(claim) if q not in kept]
        moved_quotes[cid] = moved
        # Every quote counts: a split keeps a passage under the old id and quotes it anew.
        dest[cid] = {n for q in _quotes(claim) for n in holders(q)} - {cid}
    return dest, moved_quotes, holders


def diff_corpora(before: Side, after: Side, *, rules: Sequence[str] = DEFAULT_RULES) -> CorpusDiff:
    """Compare two sides: the claims followed by id, then by quotes; rules applied."""
    old, new = before.corpus, after.corpus
    result = CorpusDiff(old=before.summary(), new=after.summary(), rules=tuple(rules))
    added_ids = set(new.claims) - set(old.claims)
    removed_ids = set(old.claims) - set(new.claims)
    dest, moved, holders = _follow(old, new)
    origins: dict[str, set[str]] = defaultdict(set)
    for cid, targets in dest.items():
        for n in targets & added_ids:
            origins[n].add(cid)
    accounted: set[str] = set()  # new ids explained by a rename, merge or split
    renamed: dict[str, str] = {}
    for cid in sorted(removed_ids):
        targets = dest[cid]
        claim = old.claims[cid]
        if not targets:
            result.removed.append((cid, _grade(claim), claim.statement))
            continue
        if len(targets) > 1:
            result.split.append((cid, sorted(targets)))
            accounted |= targets & added_ids
            continue
        (target,) = targets
        followed = sum(1 for q in moved[cid] if target in holders(q))
        if target in added_ids and origins[target] == {cid}:
            renamed[cid] = target
            result.renamed.append((cid, target, followed))
        else:
            result.merged.append((cid, target, followed, len(_quotes(claim))))
        accounted.add(target)
    for cid in sorted(set(old.claims) & set(new.claims)):
        pieces = dest[cid] & added_ids
        if pieces:
            result.split.append((cid, [cid, *sorted(pieces)]))
            accounted |= pieces
    result.split.sort()
    for cid in sorted(added_ids - accounted):
        claim = new.claims[cid]
        result.added.append((cid, _grade(claim), claim.statement))
    pairs = [(cid, cid) for cid in sorted(set(old.claims) & set(new.claims))]
    pairs += sorted(renamed.items())
    for a, b in pairs:
        change = claim_change(old.claims[a], new.claims[b], old, new)
        if not change.empty or a != b:
            result.changed.append(change)
    result.changed.sort(key=lambda c: c.id)
    result.sources_added = sorted(set(new.sources) - set(old.sources))
    result.sources_dropped = sorted(set(old.sources) - set(new.sources))
    result.audit = _audit_changes(before, after, renamed)
    result.broken = _broken(result, rules)
    return result


def _broken(result: CorpusDiff, rules: Sequence[str]) -> list[Broken]:
    out: list[Broken] = []
    for change in result.changed:
        grade = f"{change.level[0]} -> {change.level[1]}"
        if "rise" in rules and change.rise > 0:
            out.append(Broken("rise", change.id, f"{change.id} rises {grade}"))
        search_new = change.search == "added" or change.search.startswith("re-run")
        if (
            "unsupported-rise" in rules
            and change.rise > 0
            and not change.references_added
            and not search_new
        ):
            out.append(
                Broken(
                    "unsupported-rise",
                    change.id,
                    f"{change.id} rises {grade} with no reference added and no search record "
                    "added or re-run",
                )
            )
    if "removed" in rules:
        for cid, grade, _ in result.removed:
            out.append(
                Broken("removed", cid, f"{cid} ({grade}) is removed, its quotes in no claim")
            )
    if "audit-error" in rules:
        for a in result.audit:
            if a.change == "appears" and a.severity == "error":
                out.append(
                    Broken("audit-error", a.claim or a.where, f"{a.code} appears: {a.message}")
                )
    return out
