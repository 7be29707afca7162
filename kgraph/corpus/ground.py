"""`kgraph ground`: proposed identifiers for a corpus's entities, from the pinned vocabularies
their types allow (`kgraph.grounding.grounder`), as YAML or JSON; written into the entity files
only when asked, and then only the `grounding:` block of entities that have none.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kgraph import vocab
from kgraph.corpus.findings import Severity
from kgraph.corpus.load import has_key, load
from kgraph.corpus.model import Corpus, Entity
from kgraph.corpus.reader import read_bytes
from kgraph.corpus.review_write import replace_review_block
from kgraph.corpus.validate import validate_record
from kgraph.grounding import grounder, registry, terms


class GroundRefused(ValueError):
    """The proposals cannot be made or written (an unknown entity id, a file that would not
    read back the same): a usage error."""


@dataclass
class EntityProposals:
    """What `kgraph ground` says of one entity."""

    entity: Entity
    vocabularies: tuple[str, ...]
    recorded: tuple[str, ...]
    proposals: list[grounder.Proposal] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": self.entity.origin.path,
            "type": self.entity.type,
            "label": self.entity.label,
            "vocabularies": list(self.vocabularies),
            "recorded": list(self.recorded),
        }
        if self.entity.ungrounded:
            out["ungrounded"] = self.entity.ungrounded
        out["proposals"] = [p.to_dict() for p in self.proposals]
        return out


def propose_for(entity: Entity, limit: int = 3) -> EntityProposals:
    """The proposals for one entity, by its label and synonyms."""
    names = [entity.label, *entity.synonyms]
    return EntityProposals(
        entity,
        tuple(v.name for v in terms.allowed(entity.type)),
        tuple(g.curie for g in entity.grounding),
        grounder.propose(entity.type, names, limit=limit),
    )


def ground_corpus(
    corpus: Corpus, only: Sequence[str] = (), limit: int = 3
) -> list[EntityProposals]:
    """Proposals for every entity (or the ids in `only`), in id order."""
    unknown = [rid for rid in only if rid not in corpus.entities]
    if unknown:
        raise GroundRefused(f"no entity {unknown[0]!r} in {corpus.root}")
    ids = sorted(only) if only else sorted(corpus.entities)
    return [propose_for(corpus.entities[rid], limit) for rid in ids]


def render_proposals(found: list[EntityProposals], fmt: str = "yaml") -> str:
    """The proposals as YAML (for people) or JSON (for tools); the same input, the same bytes."""
    data = {p.entity.id: p.to_dict() for p in found}
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    head = (
        "# kgraph ground: proposed terms of the pinned vocabularies, with gilda's scores.\n"
        "# Review each one by eye before recording it in the entity's `grounding:`.\n"
    )
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def grounding_block(entries: Sequence[tuple[terms.VocabularyTerm, str]]) -> str:
    """The `grounding:` block for terms and how the entity matches each (exact by default)."""
    q = json.dumps  # a JSON string is a YAML double-quoted scalar
    lines = ["grounding:"]
    for term, match in entries:
        lines += [
            f"  - curie: {q(term.curie)}",
            f"    label: {q(term.label, ensure_ascii=False)}",
            f"    version: {q(terms.version(term.prefix))}",
        ]
        if match != vocab.EXACT_MATCH:
            lines.append(f"    match: {match}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Written:
    """An entity file `--write` grounded, and with what."""

    path: Path
    entity: str
    proposal: grounder.Proposal


def write_groundings(
    root: str | os.PathLike[str],
    only: Sequence[str] = (),
    min_score: float = 0.75,
) -> list[Written]:
    """Record the best proposal of each entity that has neither a grounding nor an
    `ungrounded:` reason, where that proposal scores at least min_score. Writes only those
    entities' `grounding:` blocks (every other byte stays); returns what was written."""
    corpus = load(root)
    written = []
    for found in ground_corpus(corpus, only, limit=1):
        entity = found.entity
        if entity.grounding or entity.ungrounded or not found.proposals:
            continue
        best = found.proposals[0]
        if best.score < min_score:
            continue
        term = terms.lookup(best.curie)
        assert term is not None  # proposals are terms of the pinned tables
        path = _write_block(entity, grounding_block([(term, vocab.EXACT_MATCH)]))
        written.append(Written(path, entity.id, best))
    return written


def _write_block(entity: Entity, block: str) -> Path:
    """Write block in place of the entity's grounding block (or its `ungrounded:` line, or at
    the end); every other line stays. Refuses if the file would not read back as the entity."""
    origin = entity.origin
    key = next((k for k in ("grounding", "ungrounded") if has_key(origin, k)), None)
    line = origin.key_at(key)[0] if key else None
    file = Path(getattr(origin, "file", origin.path))
    text = file.read_bytes().decode("utf-8")
    new = replace_review_block(text, line, block)
    data = read_bytes(new.encode("utf-8"), origin.path).data
    cleaned, problems = validate_record("entity", data, origin.path) if data else ({}, [])
    if (
        data is None
        or any(p.severity == Severity.ERROR for p in problems)
        or cleaned.get("id") != entity.id
    ):
        raise GroundRefused(f"{origin.path}: its grounding block could not be written in place")
    fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".ground-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(new.encode("utf-8"))
    os.chmod(tmp, file.stat().st_mode & 0o7777)
    os.replace(tmp, file)
    return file


def _term_for(entity: Entity, spec: str) -> tuple[terms.VocabularyTerm, str]:
    """The pinned term and match a `--record CURIE[=MATCH]` names, or GroundRefused saying
    why it cannot be recorded for this entity."""
    curie, _, match = spec.partition("=")
    match = match or vocab.EXACT_MATCH
    if match not in vocab.values(vocab.MAPPING_RELATIONS):
        allowed = ", ".join(vocab.values(vocab.MAPPING_RELATIONS))
        raise GroundRefused(f"{spec}: match {match!r} is not one of {allowed}")
    spelling = curie.partition(":")[0]
    known = registry.prefix(spelling)
    if known is None or known.curie_prefix != spelling:
        fix = f"; write {known.curie_prefix}" if known else ""
        raise GroundRefused(f"{curie}: prefix {spelling!r} is not a Bioregistry CURIE prefix{fix}")
    term = terms.lookup(curie)
    if term is None:
        raise GroundRefused(f"{curie} is not in the pinned vocabularies")
    allowed_vocabularies = terms.allowed(entity.type)
    if not any(term.within(v) for v in allowed_vocabularies):
        names = ", ".join(v.name for v in allowed_vocabularies) or "none"
        raise GroundRefused(
            f"{curie} ({term.label}) is not a term a {entity.type} may use (allowed: {names})"
        )
    return term, match


def record_grounding(
    root: str | os.PathLike[str],
    entity_id: str,
    curies: Sequence[str] = (),
    ungrounded: str | None = None,
) -> Path:
    """Record the terms named (each `CURIE` or `CURIE=MATCH`) as the entity's grounding, with
    the pinned tables' labels and versions, or record why no term fits (`ungrounded`). Only a
    term of the pinned vocabularies the entity's type allows is written."""
    if bool(curies) == (ungrounded is not None):
        raise GroundRefused("give the terms to record or the reason none fits, not both")
    corpus = load(root)
    entity = corpus.entities.get(entity_id)
    if entity is None:
        raise GroundRefused(f"no entity {entity_id!r} in {corpus.root}")
    if ungrounded is not None:
        reason = ungrounded.strip()
        if not reason:
            raise GroundRefused("the reason is empty: say why no vocabulary term fits")
        block = f"ungrounded: {json.dumps(reason, ensure_ascii=False)}\n"
        if entity.grounding and has_key(entity.origin, "ungrounded"):
            raise GroundRefused(f"{entity.origin.path}: has both blocks; remove one by hand")
        return _write_block(entity, block)
    entries = [_term_for(entity, spec) for spec in curies]
    if len({t.curie for t, _ in entries}) != len(entries):
        raise GroundRefused("a term is named twice")
    if entity.ungrounded and has_key(entity.origin, "grounding"):
        raise GroundRefused(f"{entity.origin.path}: has both blocks; remove one by hand")
    return _write_block(entity, grounding_block(entries))


def ground(
    root: str | os.PathLike[str],
    only: Sequence[str] = (),
    *,
    fmt: str = "yaml",
    limit: int = 3,
    write: bool = False,
    min_score: float = 0.75,
    record: Sequence[str] = (),
    ungrounded: str | None = None,
) -> str:
    """What `kgraph ground` prints: the proposals (yaml or json); with `write`, one line per
    entity file grounded (its best proposal recorded); with `record` or `ungrounded`, the one
    entity named grounded to those terms, or marked as fitting none."""
    if record or ungrounded is not None:
        if len(only) != 1:
            raise GroundRefused("name exactly one entity to record its grounding")
        path = record_grounding(root, only[0], record, ungrounded)
        what = ", ".join(record) if record else "no term fits"
        return f"recorded for {only[0]}: {what} ({path})\n"
    if write:
        done = write_groundings(root, only, min_score)
        lines = [f"grounded {w.entity}: {w.proposal.curie} ({w.proposal.label})" for w in done]
        lines.append(
            f"wrote {len(done)} entity file(s); review them (git diff), then `kgraph check`"
        )
        return "\n".join(lines) + "\n"
    return render_proposals(ground_corpus(load(root), only, limit), fmt)
