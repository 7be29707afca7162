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

from kgraph.corpus.findings import Severity
from kgraph.corpus.load import has_key, load
from kgraph.corpus.model import Corpus, Entity
from kgraph.corpus.reader import read_bytes
from kgraph.corpus.review_write import replace_review_block
from kgraph.corpus.validate import validate_record
from kgraph.grounding import grounder, terms


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


def grounding_block(proposal: grounder.Proposal) -> str:
    """The `grounding:` block `kgraph ground --write` writes for one proposal."""
    q = json.dumps  # a JSON string is a YAML double-quoted scalar
    return (
        "grounding:\n"
        f"  - curie: {q(proposal.curie)}\n"
        f"    label: {q(proposal.label, ensure_ascii=False)}\n"
        f"    version: {q(proposal.version)}\n"
    )


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
        written.append(_write_block(entity, best))
    return written


def _write_block(entity: Entity, proposal: grounder.Proposal) -> Written:
    origin = entity.origin
    line = origin.key_at("grounding")[0] if has_key(origin, "grounding") else None
    file = Path(getattr(origin, "file", origin.path))
    text = file.read_bytes().decode("utf-8")
    new = replace_review_block(text, line, grounding_block(proposal))
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
    return Written(file, entity.id, proposal)


def ground(
    root: str | os.PathLike[str],
    only: Sequence[str] = (),
    *,
    fmt: str = "yaml",
    limit: int = 3,
    write: bool = False,
    min_score: float = 0.75,
) -> str:
    """What `kgraph ground` prints: the proposals (yaml or json), or with `write`, one line
    per entity file grounded (its best proposal recorded)."""
    if write:
        done = write_groundings(root, only, min_score)
        lines = [f"grounded {w.entity}: {w.proposal.curie} ({w.proposal.label})" for w in done]
        lines.append(
            f"wrote {len(done)} entity file(s); review them (git diff), then `kgraph check`"
        )
        return "\n".join(lines) + "\n"
    return render_proposals(ground_corpus(load(root), only, limit), fmt)
