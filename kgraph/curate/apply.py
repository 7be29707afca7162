"""`kgraph add --apply PROPOSALS`: the curator's decisions written into the corpus.

Each `merge` adds its quote to the claim's `sources:` (the rest of the file untouched), each
`new` writes a claim (evidence the explicit ungraded block) and the entities it introduces, and
the article's sentence map (`coverage/<source>.yaml`) records every segment. Everything is
checked before anything is written; a file changed since the proposals were made, or a quote
not in its sentence, refuses the whole run; after writing, `kgraph check` must find no error
in what was written, or every file is put back as it was.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgraph import vocab
from kgraph.corpus.check import check
from kgraph.corpus.coverage import segment_claims
from kgraph.corpus.findings import Finding, Severity
from kgraph.corpus.load import find_corpus, has_key, load
from kgraph.corpus.model import Claim, Corpus
from kgraph.corpus.quotes import fold
from kgraph.corpus.reader import LocDict, LocList, read_file
from kgraph.corpus.schema import COVERAGE, FOLDERS
from kgraph.corpus.segment import Segment, segment
from kgraph.curate.propose import ACTIONS, MERGE, NOT_A_CLAIM, PENDING
from kgraph.curate.records import assertion_lines, claim_text, entity_text, modeline, quoted

CLAIM_KINDS = frozenset(t.value for t in vocab.CLAIM_KINDS)
PREDICATES = frozenset(t.value for t in vocab.PREDICATES)
ENTITY_TYPES = frozenset(t.value for t in vocab.ENTITY_TYPES)


class ApplyRefused(ValueError):
    """The proposals cannot be applied; `problems` lists every one, each with file and line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        first = problems[0] if problems else "nothing to apply"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{first}{more}")


@dataclass
class Applied:
    """What `apply_proposals` wrote, and the check of the corpus after it."""

    written: list[Path]
    merged: int
    created: int
    entities: int
    findings: list[Finding] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


@dataclass
class _Plan:
    """The files to write: path -> (bytes before or None, bytes after)."""

    files: dict[Path, tuple[bytes | None, bytes]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    merged: int = 0
    created: int = 0
    entities: int = 0


def _at(path: str, node: Any, key: str | None = None) -> str:
    """`file:line` of a key of a mapping read with positions (or of the mapping itself)."""
    line = getattr(node, "line", 0)
    if key is not None and isinstance(node, LocDict) and key in node:
        line = node.key_pos[key][0]
    return f"{path}:{line}"


def _file(claim: Claim) -> Path:
    return Path(getattr(claim.origin, "file", claim.origin.path))


def _text(entry: LocDict, key: str) -> str:
    value = entry.get(key)
    return value.strip() if isinstance(value, str) else ""


def apply_proposals(root: str | os.PathLike[str], proposals: str | os.PathLike[str]) -> Applied:
    """Apply an edited proposals file to the corpus at `root`; ApplyRefused lists every
    problem (nothing is written then)."""
    base = find_corpus(root)
    path = str(proposals)
    read = read_file(path, path)
    errors = [f"{f.path}:{f.line}: {f.message}" for f in read.findings if f.severity == "error"]
    if errors or not isinstance(read.data, LocDict):
        raise ApplyRefused(errors or [f"{path}:1: not a proposals file (a mapping)"])
    data: LocDict = read.data
    corpus = load(base)
    sid = data.get("article")
    source = corpus.sources.get(sid) if isinstance(sid, str) else None
    if source is None or source.snapshot is None or sid not in corpus.snapshot_texts:
        raise ApplyRefused(
            [f"{_at(path, data, 'article')}: the article {sid!r} is no source with a snapshot"]
        )
    if data.get("sha256") != source.snapshot.sha256:
        raise ApplyRefused(
            [f"{_at(path, data, 'sha256')}: the snapshot of {sid!r} is not the one proposed on"]
        )
    entries = data.get("proposals")
    segments = segment(corpus.snapshot_texts[sid])
    if not isinstance(entries, LocList) or len(entries) != len(segments):
        n = len(entries) if isinstance(entries, list) else 0
        raise ApplyRefused(
            [
                f"{_at(path, data, 'proposals')}: {n} proposals for {len(segments)} segments of "
                f"{sid!r}: keep one entry per segment, in order"
            ]
        )
    plan = _Plan()
    covered = _plan_records(base, corpus, path, sid, data, entries, segments, plan)
    coverage = _coverage_text(corpus, sid, entries, segments, covered)
    cov_path = base / FOLDERS[COVERAGE] / f"{sid}.yaml"
    _plan_new(plan, cov_path, coverage, "the article's sentence map")
    if plan.problems:
        raise ApplyRefused(plan.problems)
    written = _write(plan)
    report = check(base)
    touched = {str(p) for p in written} | {os.path.realpath(p) for p in written}
    mine = [
        f
        for f in report.findings
        if f.severity is Severity.ERROR
        and (f.path in touched or os.path.realpath(f.path) in touched)
    ]
    if mine:
        _restore(plan, written)
        raise ApplyRefused(
            [f"{f.path}:{f.line}: {f.code} {f.message} (nothing was written)" for f in mine]
        )
    return Applied(written, plan.merged, plan.created, plan.entities, report.findings)


def _plan_new(plan: _Plan, path: Path, text: str, what: str) -> bool:
    """A file to create (True when it will be): refused when one is there with other bytes
    (never overwritten), left alone when it holds these."""
    data = text.encode("utf-8")
    if path in plan.files:
        plan.problems.append(f"{path}: written twice by these proposals ({what})")
        return False
    if path.exists():
        if path.read_bytes() != data:
            plan.problems.append(
                f"{path} exists and differs ({what}): kgraph add never overwrites a file; "
                "move it away to write it again"
            )
        return False
    plan.files[path] = (None, data)
    return True


def _plan_records(
    base: Path,
    corpus: Corpus,
    path: str,
    sid: str,
    data: LocDict,
    entries: LocList,
    segments: list[Segment],
    plan: _Plan,
) -> dict[int, list[str]]:
    """Plan every merge and new record; return the claims each segment gains."""
    hashes = data.get("claim_files") if isinstance(data.get("claim_files"), dict) else {}
    new_ids: set[str] = set()
    additions: dict[str, list[tuple[str, str]]] = {}
    covered: dict[int, list[str]] = {}
    new_entities: dict[str, LocDict] = {}
    planned_claims: list[tuple[int, LocDict, LocDict]] = []
    for i, (entry, seg) in enumerate(zip(entries, segments, strict=True)):
        where = _at(path, entry)
        if not isinstance(entry, LocDict):
            plan.problems.append(f"{where}: an entry is a mapping with text, locator, action")
            continue
        if fold(_text(entry, "text")) != fold(seg.text):
            plan.problems.append(
                f"{_at(path, entry, 'text')}: the entry's text is not segment {i + 1} of the "
                f"snapshot ({seg.text!r}): keep the texts as proposed"
            )
            continue
        action = entry.get("action")
        if action not in ACTIONS:
            plan.problems.append(
                f"{_at(path, entry, 'action')}: action {action!r}: one of {', '.join(ACTIONS)}"
            )
            continue
        if action in (NOT_A_CLAIM, PENDING):
            if action == NOT_A_CLAIM and not _text(entry, "reason"):
                plan.problems.append(f"{where}: not_a_claim needs a `reason`")
            continue
        quote = _text(entry, "quote")
        if not quote or fold(quote) not in fold(seg.text):
            plan.problems.append(
                f"{_at(path, entry, 'quote')}: the quote is not in this sentence of the "
                f"snapshot: copy it verbatim from {seg.text!r}"
            )
            continue
        if action == MERGE:
            cid = entry.get("claim")
            if not isinstance(cid, str) or (cid not in corpus.claims and cid not in new_ids):
                plan.problems.append(f"{_at(path, entry, 'claim')}: no claim {cid!r} to merge into")
                continue
            additions.setdefault(cid, []).append((quote, seg.locator))
            covered.setdefault(i, []).append(cid)
            continue
        new = entry.get("new_claim")
        if not isinstance(new, LocDict):
            plan.problems.append(f"{where}: action new needs a `new_claim`")
            continue
        cid = new.get("id")
        if not isinstance(cid, str) or not vocab.ID_PATTERN.match(cid):
            plan.problems.append(f"{_at(path, new, 'id')}: {cid!r} is no claim id")
            continue
        if (
            corpus.record(cid) is not None
            and not (base / FOLDERS["claim"] / f"{cid}.yaml").exists()
        ):
            plan.problems.append(f"{_at(path, new, 'id')}: the id {cid!r} is taken")
            continue
        new_ids.add(cid)
        for e in new.get("new_entities") or []:
            if isinstance(e, LocDict) and isinstance(e.get("id"), str):
                new_entities[e["id"]] = e
        planned_claims.append((i, entry, new))
        covered.setdefault(i, []).append(cid)
    for i, entry, new in planned_claims:
        _plan_claim(base, corpus, path, sid, entry, new, segments[i], new_entities, plan)
    for eid in sorted(new_entities):
        _plan_entity(base, corpus, path, new_entities[eid], plan)
    for cid, quotes in sorted(additions.items()):
        if cid in corpus.claims:
            _plan_merge(corpus.claims[cid], sid, quotes, hashes, path, data, plan)
        else:
            plan.problems.append(
                f"{path}: claim {cid!r} is new in these proposals: give its quote in its own "
                "entry (action new), not as a merge"
            )
    return covered


def _plan_claim(
    base: Path,
    corpus: Corpus,
    path: str,
    sid: str,
    entry: LocDict,
    new: LocDict,
    seg: Segment,
    new_entities: dict[str, LocDict],
    plan: _Plan,
) -> None:
    fields = {
        k: _text(new, k) for k in ("id", "statement", "kind", "subject", "predicate", "object")
    }
    bad = [
        f"{_at(path, new, k)}: `{k}` {fields[k]!r} is not one of the allowed values"
        for k, allowed in (("kind", CLAIM_KINDS), ("predicate", PREDICATES))
        if fields[k] not in allowed
    ]
    if not fields["statement"]:
        bad.append(f"{_at(path, new, 'statement')}: the new claim's statement is empty")
    for role in ("subject", "object"):
        eid = fields[role]
        if eid not in corpus.entities and eid not in new_entities:
            bad.append(
                f"{_at(path, new, role)}: entity {eid!r} does not exist: use an entity's id, or "
                "list it under `new_entities` with id, label and type"
            )
    if bad:
        plan.problems.extend(bad)
        return
    text = claim_text(
        fields["id"],
        statement=fields["statement"],
        kind=fields["kind"],
        subject=fields["subject"],
        predicate=fields["predicate"],
        obj=fields["object"],
        source=sid,
        quote=_text(entry, "quote"),
        locator=seg.locator,
    )
    if _plan_new(plan, base / FOLDERS["claim"] / f"{fields['id']}.yaml", text, "a new claim"):
        plan.created += 1


def _plan_entity(base: Path, corpus: Corpus, path: str, e: LocDict, plan: _Plan) -> None:
    eid, label, type_ = e["id"], _text(e, "label"), _text(e, "type")
    if corpus.record(eid) is not None:
        return  # it exists already: nothing to write
    if not vocab.ID_PATTERN.match(eid) or not label or type_ not in ENTITY_TYPES:
        plan.problems.append(
            f"{_at(path, e)}: a new entity needs an id, a label and a type, one of "
            f"{', '.join(sorted(ENTITY_TYPES))}"
        )
        return
    text = entity_text(eid, label=label, type_=type_)
    if _plan_new(plan, base / FOLDERS["entity"] / f"{eid}.yaml", text, "a new entity"):
        plan.entities += 1


def _plan_merge(
    claim: Claim,
    sid: str,
    quotes: list[tuple[str, str]],
    hashes: Any,
    path: str,
    data: LocDict,
    plan: _Plan,
) -> None:
    held = {fold(a.quote) for a in claim.sources if a.source == sid}
    todo = [(q, loc) for q, loc in quotes if fold(q) not in held]
    if not todo:
        return  # applied before: the claim already holds these quotes
    file = _file(claim)
    before = file.read_bytes()
    digest = hashes.get(claim.id) if isinstance(hashes, dict) else None
    if digest is not None and hashlib.sha256(before).hexdigest() != digest:
        plan.problems.append(
            f"{file}: changed since the proposals were made ({_at(path, data, 'claim_files')}): "
            "run kgraph add again for fresh proposals"
        )
        return
    if not has_key(claim.origin, "sources"):
        plan.problems.append(f"{file}: the claim has no `sources:` to add to")
        return
    text = before.decode("utf-8")
    new = insert_assertions(text, claim.origin.key_at("sources")[0], sid, todo)
    plan.files[file] = (before, new.encode("utf-8"))
    plan.merged += len(todo)


def insert_assertions(text: str, line: int, sid: str, quotes: list[tuple[str, str]]) -> str:
    """text with entries added at the end of the top-level `sources:` list that starts at
    1-based `line`, indented as its entries are; every other line as it was."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    end = line  # index of the first line after `sources:`
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t-"):
        end += 1
    while end > line and not lines[end - 1].strip():
        end -= 1
    items = [x for x in lines[line:end] if x.lstrip(" ").startswith("- ")]
    indent = items[0][: len(items[0]) - len(items[0].lstrip(" "))] if items else "  "
    if not lines[end - 1].endswith("\n"):
        lines[end - 1] += newline
    block = "".join(
        row + newline for q, loc in quotes for row in assertion_lines(sid, q, loc, indent=indent)
    )
    return "".join(lines[:end]) + block + "".join(lines[end:])


def _coverage_text(
    corpus: Corpus,
    sid: str,
    entries: LocList,
    segments: list[Segment],
    covered: dict[int, list[str]],
) -> str:
    """The article's sentence map after the proposals: each segment's claims (those quoting it
    already and those the proposals add), or the reason it is not one, or pending."""
    quoting = segment_claims(corpus, sid)
    lines = [modeline(COVERAGE), f"source: {sid}", "sentences:"]
    for i, (entry, seg) in enumerate(zip(entries, segments, strict=True)):
        lines += [f"  - text: {quoted(seg.text)}", f"    locator: {quoted(seg.locator)}"]
        claims = sorted(set(quoting[i].claims) | set(covered.get(i, [])))
        action = entry.get("action") if isinstance(entry, dict) else PENDING
        reason = _text(entry, "reason") if isinstance(entry, LocDict) else ""
        if claims:
            lines.append(f"    claims: [{', '.join(claims)}]")
        elif action == NOT_A_CLAIM:
            lines.append(f"    not_a_claim: {quoted(reason)}")
        else:
            lines.append(f"    pending: {quoted(reason or 'a claim still to be recorded')}")
    return "\n".join(lines) + "\n"


def _write(plan: _Plan) -> list[Path]:
    """Write each planned file in one step (a temporary file renamed over it)."""
    written: list[Path] = []
    try:
        for path, (_, data) in sorted(plan.files.items()):
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".kgraph-add-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            if path.exists():
                os.chmod(tmp, path.stat().st_mode & 0o7777)
            else:
                os.chmod(tmp, 0o644)
            os.replace(tmp, path)
            written.append(path)
    except OSError:
        _restore(plan, written)
        raise
    return written


def _restore(plan: _Plan, written: list[Path]) -> None:
    for path in written:
        before = plan.files[path][0]
        if before is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(before)
