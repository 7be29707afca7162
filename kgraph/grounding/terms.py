"""The pinned term tables (`data/*.tsv.gz`, built by `scripts/build_terms.py` from files that
packages ship) and look-ups in them: by identifier, by label, and the closest labels."""

from __future__ import annotations

import difflib
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from kgraph import vocab


@dataclass(frozen=True)
class VocabularyTerm:
    """One term of a pinned vocabulary: its identifier, label, synonyms and where it sits."""

    prefix: str
    id: str
    label: str
    synonyms: tuple[str, ...]
    # MeSH tree numbers or the GO namespace: what `vocab.Vocabulary.scope` is matched against.
    scope: tuple[str, ...]

    @property
    def curie(self) -> str:
        return f"{self.prefix}:{self.id}"

    def within(self, v: vocab.Vocabulary) -> bool:
        """Is the term in the vocabulary (or its branch)?"""
        if v.prefix != self.prefix:
            return False
        return not v.scope or any(s.startswith(p) for s in self.scope for p in v.scope)


class PinnedVocabulary:
    """One pinned table: its terms by identifier (each row parsed when first asked for), and
    the version it records."""

    def __init__(self, prefix: str, meta: dict[str, Any], rows: dict[str, str]) -> None:
        self.prefix = prefix
        self.name: str = meta["name"]
        self.version: str = meta["version"]
        self.source: dict[str, str] = meta["source"]
        self._rows = rows
        self._terms: dict[str, VocabularyTerm] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def get(self, local_id: str) -> VocabularyTerm | None:
        term = self._terms.get(local_id)
        if term is None and local_id in self._rows:
            tid, label, synonyms, scope = self._rows[local_id].split("\t")
            term = VocabularyTerm(
                self.prefix,
                tid,
                label,
                tuple(synonyms.split("|")) if synonyms else (),
                tuple(scope.split("|")) if scope else (),
            )
            self._terms[local_id] = term
        return term

    def __iter__(self) -> Iterator[VocabularyTerm]:
        for local_id in self._rows:
            term = self.get(local_id)
            assert term is not None
            yield term


def _data() -> Any:
    return resources.files("kgraph.grounding").joinpath("data")


@cache
def provenance() -> dict[str, dict[str, Any]]:
    """What `scripts/build_terms.py` recorded: each table's version, source file and hashes."""
    text = _data().joinpath("terms.json").read_text(encoding="utf-8")
    meta: dict[str, dict[str, Any]] = json.loads(text)
    return meta


def pinned_prefixes() -> tuple[str, ...]:
    """The prefixes that have a pinned table."""
    return tuple(sorted(provenance()))


def version(prefix: str) -> str:
    """The version string an entity records for a term of this prefix's table."""
    return str(provenance()[prefix]["version"])


@cache
def pinned(prefix: str) -> PinnedVocabulary:
    """The pinned table of a prefix (read once per process); KeyError if none is pinned."""
    meta = provenance()[prefix]
    raw = gzip.decompress(_data().joinpath(f"{prefix.lower()}.tsv.gz").read_bytes())
    lines = raw.decode("utf-8").split("\n")
    rows = {line.partition("\t")[0]: line for line in lines[1:] if line}
    return PinnedVocabulary(prefix, meta, rows)


def lookup(curie: str) -> VocabularyTerm | None:
    """The pinned term a CURIE names, or None (no table for the prefix, or no such id)."""
    prefix, _, local = curie.partition(":")
    if prefix not in provenance():
        return None
    return pinned(prefix).get(local)


def allowed(entity_type: str) -> tuple[vocab.Vocabulary, ...]:
    """The vocabularies an entity type may take identifiers from, the preferred first."""
    names = vocab.ENTITY_VOCABULARIES.get(entity_type, ())
    return tuple(vocab.VOCABULARY_BY_NAME[n] for n in names)


def terms_in(vocabularies: tuple[vocab.Vocabulary, ...]) -> Iterator[VocabularyTerm]:
    """Every pinned term within any of the vocabularies, each once, in table order."""
    for prefix in dict.fromkeys(v.prefix for v in vocabularies):
        if prefix not in provenance():
            continue
        mine = tuple(v for v in vocabularies if v.prefix == prefix)
        for term in pinned(prefix):
            if any(term.within(v) for v in mine):
                yield term


def closest(
    text: str, vocabularies: tuple[vocab.Vocabulary, ...], n: int = 3
) -> list[VocabularyTerm]:
    """The terms whose label or synonym reads closest to `text` (exact matches first)."""
    wanted = text.casefold()
    names: dict[str, VocabularyTerm] = {}
    for term in terms_in(vocabularies):
        for name in (term.label, *term.synonyms):
            names.setdefault(name.casefold(), term)
    if wanted in names:
        return [names[wanted]]
    found: list[VocabularyTerm] = []
    for name in difflib.get_close_matches(wanted, list(names), n=n * 3, cutoff=0.75):
        term = names[name]
        if term not in found:
            found.append(term)
    return found[:n]
