"""CURIE rules from the Bioregistry's shipped registry file: is a prefix known, what is its
canonical spelling, does a local identifier fit its pattern, and the term's IRI.

The registry is read from the installed `bioregistry` distribution's data file, without
importing the package (whose import builds every record as a model and takes seconds); the rules
of the pinned vocabularies' prefixes are recorded beside their tables, so a clean check reads
none of it."""

from __future__ import annotations

import difflib
import importlib.metadata
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from kgraph.grounding import terms


@dataclass(frozen=True)
class Prefix:
    """A registry entry as a CURIE uses it."""

    key: str  # the registry's own key (lower case)
    curie_prefix: str  # how a CURIE spells it (CHEBI, MESH, GO)
    name: str
    pattern: re.Pattern[str] | None
    uri_format: str  # with $1 for the local identifier


@cache
def _registry() -> dict[str, Any]:
    dist = importlib.metadata.distribution("bioregistry")
    path = Path(str(dist.locate_file("bioregistry/data/bioregistry.json")))
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def registry_version() -> str:
    """The Bioregistry release the rules come from."""
    return f"bioregistry {importlib.metadata.version('bioregistry')}"


@cache
def _by_spelling() -> dict[str, str]:
    spellings: dict[str, str] = {}
    for key, record in _registry().items():
        for s in (key, record.get("preferred_prefix") or "", *record.get("synonyms", [])):
            if s:
                spellings.setdefault(s.casefold(), key)
    return spellings


def _curie_prefix(key: str, record: dict[str, Any]) -> str:
    # OBO ontologies spell CURIEs in upper case (CHEBI, GO); MeSH's CURIE prefix is MESH.
    preferred = record.get("preferred_prefix")
    if preferred:
        return str(preferred)
    return key.upper()


def rules(p: Prefix) -> dict[str, str]:
    """A prefix's rules as `scripts/build_terms.py` records them beside its pinned table."""
    return {
        "key": p.key,
        "curie_prefix": p.curie_prefix,
        "name": p.name,
        "pattern": p.pattern.pattern if p.pattern else "",
        "uri_format": p.uri_format,
    }


def _recorded(spelling: str) -> Prefix | None:
    """The rules recorded for a pinned prefix spelled as CURIEs spell it: a check of a corpus
    grounded in the pinned vocabularies then never reads the whole registry."""
    meta = terms.provenance().get(spelling)
    recorded = meta.get("registry") if meta else None
    if not recorded or recorded["curie_prefix"] != spelling:
        return None
    pattern = recorded["pattern"]
    return Prefix(
        recorded["key"],
        recorded["curie_prefix"],
        recorded["name"],
        re.compile(pattern) if pattern else None,
        recorded["uri_format"],
    )


@cache
def prefix(spelling: str) -> Prefix | None:
    """The registry entry a prefix names (any of its spellings), or None if unknown."""
    fast = _recorded(spelling)
    if fast is not None:
        return fast
    return registry_prefix(spelling)


@cache
def registry_prefix(spelling: str) -> Prefix | None:
    """As `prefix`, always read from the registry file itself."""
    key = _by_spelling().get(spelling.casefold())
    if key is None:
        return None
    record = _registry()[key]
    pattern = record.get("pattern")
    # The ontology IRI, not a web page: the registry's own format for an OBO ontology (its
    # PURL), the RDF format Wikidata records (MeSH's id.nlm.nih.gov), else the default.
    uri = ""
    if "obofoundry" not in record:
        uri = (record.get("wikidata.property") or {}).get("uri_format_rdf") or ""
    uri = uri or record.get("uri_format") or ""
    return Prefix(
        key,
        _curie_prefix(key, record),
        record.get("name") or key,
        re.compile(pattern) if pattern else None,
        uri,
    )


def similar_prefixes(spelling: str, n: int = 3) -> list[str]:
    """Known CURIE prefixes that read like an unknown one (for a did-you-mean)."""
    keys = difflib.get_close_matches(spelling.casefold(), list(_by_spelling()), n=n, cutoff=0.6)
    found = []
    for k in keys:
        p = prefix(k)
        if p and p.curie_prefix not in found:
            found.append(p.curie_prefix)
    return found


def iri(curie: str) -> str:
    """The term's IRI, as the Bioregistry formats it; '' if the prefix has no URI format."""
    spelling, _, local = curie.partition(":")
    p = prefix(spelling)
    if p is None or "$1" not in p.uri_format:
        return ""
    return p.uri_format.replace("$1", local)
