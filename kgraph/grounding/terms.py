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
    """One pinned table and the version it records. A look-up by identifier searches the
    table's text (a check asks for a few dozen terms, and splitting 150,000 rows would cost
    more than the check); iterating parses every row once."""

    def __init__(self, prefix: str, meta: dict[str, Any], text: str) -> None:
        self.prefix = prefix
        self.name: str = meta["name"]
        self.version: str = meta["version"]
        self.source: dict[str, str] = meta["source"]
        self.size: int = meta["terms"]
        self._text = text  # the table after its header line, each row ending in \n
        self._terms: dict[str, VocabularyTerm | None] = {}

    def __len__(self) -> int:
        return self.size

    def _term(self, row: str) -> VocabularyTerm:
        tid, label, synonyms, scope = row.split("\t")
        return VocabularyTerm(
            self.prefix,
            tid,
            label,
            tuple(synonyms.split("|")) if synonyms else (),
            tuple(scope.split("|")) if scope else (),
        )

    def get(self, local_id: str) -> VocabularyTerm | None:
        if local_id in self._terms:
            return self._terms[local_id]
        term = None
        if local_id and "\t" not in local_id and "\n" not in local_id:
            at = self._text.find(f"\n{local_id}\t")
            if at >= 0:
                end = self._text.index("\n", at + 1)
                term = self._term(self._text[at + 1 : end])
        self._terms[local_id] = term
        return term

    def __iter__(self) -> Iterator[VocabularyTerm]:
        for row in self._text.split("\n"):
            if row:
                yield self._term(row)


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
    text = raw.decode("utf-8")
    # From the header's line end: every row is then found as "\n" + id + "\t".
    return PinnedVocabulary(prefix, meta, text[text.index("\n") :])


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
