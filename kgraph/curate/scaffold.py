"""`kgraph new claim|source|entity ID`: a record skeleton in the corpus's own style.

Fills what can be known (a snapshot's SHA-256, today's date as the day the record was made),
leaves the rest empty or `unknown` with the values each field may take, and refuses an id the
corpus holds. Writes one new file, never over an existing one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from kgraph import vocab
from kgraph.corpus.load import find_corpus
from kgraph.corpus.schema import FOLDERS
from kgraph.curate.records import claim_text, entity_text, source_text

RECORD_TYPES = ("claim", "source", "entity")


class ScaffoldRefused(ValueError):
    """The skeleton cannot be written: a bad or taken id, a snapshot outside the corpus."""


def existing_record(root: Path, record_id: str) -> Path | None:
    """The file of a record with this id, of any type (ids are unique across the corpus)."""
    for folder in (FOLDERS[t] for t in RECORD_TYPES):
        path = root / folder / f"{record_id}.yaml"
        if path.exists() or path.is_symlink():
            return path
    return None


def snapshot_ref(root: Path, snapshot: str | os.PathLike[str]) -> tuple[str, str]:
    """(path relative to the corpus, SHA-256) of a snapshot file inside the corpus."""
    file = Path(snapshot)
    if not file.is_absolute() and not file.exists():
        file = root / file
    if not file.is_file():
        raise ScaffoldRefused(f"no snapshot file {snapshot}")
    real, base = file.resolve(), root.resolve()
    if not real.is_relative_to(base):
        raise ScaffoldRefused(f"the snapshot {snapshot} lies outside the corpus {root}")
    return real.relative_to(base).as_posix(), hashlib.sha256(real.read_bytes()).hexdigest()


def skeleton(
    root: Path,
    record_type: str,
    record_id: str,
    *,
    snapshot: str | os.PathLike[str] | None = None,
    source: str = "",
    today: dt.date | None = None,
) -> str:
    """The skeleton's text (what `new_record` writes)."""
    if record_type == "claim":
        return claim_text(record_id, source=source, comments=True)
    if record_type == "entity":
        return entity_text(record_id, label=record_id.replace("-", " "), comments=True)
    ref = snapshot_ref(root, snapshot) if snapshot is not None else None
    made = (today or dt.date.today()).isoformat()
    return source_text(
        record_id,
        snapshot=ref,
        accessed=made,
        notes=f"Record made on {made} with `kgraph new source`; `accessed` is that day: "
        "write the day the document was retrieved if it was another.",
        comments=True,
    )


def new_record(
    root: str | os.PathLike[str],
    record_type: str,
    record_id: str,
    *,
    snapshot: str | os.PathLike[str] | None = None,
    source: str = "",
    today: dt.date | None = None,
) -> Path:
    """Write the skeleton of a new record; returns its file.

    Raises ScaffoldRefused for an unknown type, an id that is no slug or is taken, a snapshot
    outside the corpus (or given for a record that keeps none); CorpusNotFound as loading does.
    """
    base = find_corpus(root)
    if record_type not in RECORD_TYPES:
        raise ScaffoldRefused(f"no record type {record_type!r}: one of {', '.join(RECORD_TYPES)}")
    if not vocab.ID_PATTERN.match(record_id):
        raise ScaffoldRefused(
            f"{record_id!r} is no id: lower-case letters, digits and hyphens (docs/formats.md)"
        )
    taken = existing_record(base, record_id)
    if taken is not None:
        raise ScaffoldRefused(f"the id {record_id!r} is taken: {taken}")
    if snapshot is not None and record_type != "source":
        raise ScaffoldRefused("--snapshot is for a source record")
    if source and record_type != "claim":
        raise ScaffoldRefused("--source is for a claim record")
    text = skeleton(base, record_type, record_id, snapshot=snapshot, source=source, today=today)
    path = base / FOLDERS[record_type] / f"{record_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    # "x": never over a file that appeared since the check above.
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except FileExistsError as err:
        raise ScaffoldRefused(f"the id {record_id!r} is taken: {path}") from err
    return path
