"""The grounding rules of `kgraph check`: each entity's CURIEs against the Bioregistry's prefix
and pattern, the vocabularies its type allows, and the pinned term tables (existence, label,
version), with a did-you-mean.

Once any entity of a corpus is grounded, every entity is expected to be grounded or to say why
no vocabulary fits (`ungrounded:`); a corpus that grounds nothing gets no grounding findings.
"""

from __future__ import annotations

from kgraph import vocab
from kgraph.corpus.findings import Finding
from kgraph.corpus.model import Corpus, Entity, Grounding
from kgraph.grounding import registry, terms


def _suggest(entity: Entity, g: Grounding, by_entity: bool = False) -> str:
    """Did-you-mean: the allowed terms closest to the recorded label, or to the entity's own
    label when the recorded term is of the wrong kind (its label then misleads)."""
    allowed = terms.allowed(entity.type)
    texts = [entity.label] if by_entity else [g.label, entity.label]
    found: list[terms.VocabularyTerm] = []
    for text in texts:
        found = terms.closest(text, allowed) if text else []
        if found:
            break
    if not found:
        return "run `kgraph ground` for proposals"
    named = ", ".join(f"{t.curie} ({t.label})" for t in found)
    return f"did you mean {named}?"


def _check_one(entity: Entity, g: Grounding) -> Finding | None:
    path = entity.origin.path

    def finding(code: str, key: str, message: str, hint: str = "") -> Finding:
        line, col = entity.origin.at("grounding", g.index, key)
        return Finding(code, path, line, col, message, hint)

    spelling, sep, local = g.curie.partition(":")
    if not sep or not spelling or not local:
        return finding(
            "KG421", "curie", f"{g.curie!r} is not a CURIE (PREFIX:ID)", "write it as CHEBI:6121"
        )
    known = registry.prefix(spelling)
    if known is None:
        close = registry.similar_prefixes(spelling)
        hint = f"did you mean {', '.join(close)}?" if close else "see docs/grounding.md"
        return finding("KG420", "curie", f"prefix {spelling!r} is not in the Bioregistry", hint)
    if spelling != known.curie_prefix:
        return finding(
            "KG420",
            "curie",
            f"prefix {spelling!r} is spelled {known.curie_prefix!r} in a CURIE",
            f"write {known.curie_prefix}:{local}",
        )
    if known.pattern is not None and not known.pattern.match(local):
        return finding(
            "KG421",
            "curie",
            f"{local!r} does not fit the {known.curie_prefix} identifier pattern "
            f"{known.pattern.pattern}",
            _suggest(entity, g),
        )
    allowed = terms.allowed(entity.type)
    names = ", ".join(v.name for v in allowed) or "none"
    if not any(v.prefix == known.curie_prefix for v in allowed):
        return finding(
            "KG422",
            "curie",
            f"a {entity.type} takes no {known.curie_prefix} term (allowed: {names})",
            "pick a term of an allowed vocabulary, or say why none fits in `ungrounded:`",
        )
    if known.curie_prefix not in terms.pinned_prefixes():
        return finding("KG423", "curie", f"no {known.curie_prefix} vocabulary is pinned")
    term = terms.lookup(g.curie)
    if term is None:
        return finding(
            "KG423",
            "curie",
            f"{g.curie} is not in the pinned {terms.pinned(known.curie_prefix).name} "
            f"({terms.version(known.curie_prefix)})",
            _suggest(entity, g),
        )
    if not any(term.within(v) for v in allowed):
        return finding(
            "KG422",
            "curie",
            f"{g.curie} ({term.label}) is outside the branches a {entity.type} may use "
            f"(allowed: {names})",
            _suggest(entity, g, by_entity=True),
        )
    if g.label != term.label:
        return finding(
            "KG424",
            "label",
            f"{g.curie} is labelled {term.label!r} in the vocabulary, not {g.label!r}",
            f"write label: {term.label!r}",
        )
    pinned = terms.version(term.prefix)
    if g.version != pinned:
        # --record replaces the whole block: name every term the entity records.
        spec = " --record ".join(
            x.curie if x.match == vocab.EXACT_MATCH else f"{x.curie}={x.match}"
            for x in entity.grounding
        )
        return finding(
            "KG425",
            "version",
            f"{g.curie} was checked against {g.version!r}; the pinned version is {pinned!r}",
            f"check the term still fits, then record it again: "
            f"`kgraph ground {entity.id} --record {spec}`",
        )
    return None


def check_grounding(corpus: Corpus) -> list[Finding]:
    """Every grounding finding of the corpus's entities."""
    entities = corpus.entities.values()
    adopted = any(e.grounding for e in entities)
    findings: list[Finding] = []
    for entity in entities:
        if entity.grounding and entity.ungrounded:
            line, col = entity.origin.key_at("ungrounded")
            findings.append(
                Finding(
                    "KG427",
                    entity.origin.path,
                    line,
                    col,
                    f"entity {entity.id!r} is grounded and also says no term fits",
                    "keep `grounding:` or `ungrounded:`, not both",
                )
            )
        elif adopted and not entity.grounding and not entity.ungrounded:
            line, col = entity.origin.at("id")
            findings.append(
                Finding(
                    "KG426",
                    entity.origin.path,
                    line,
                    col,
                    f"entity {entity.id!r} has no grounding and no `ungrounded:` reason",
                    "run `kgraph ground` for proposals, or say why no vocabulary fits",
                )
            )
        seen: set[str] = set()
        for g in entity.grounding:
            if g.curie in seen:
                line, col = entity.origin.at("grounding", g.index, "curie")
                findings.append(
                    Finding(
                        "KG427",
                        entity.origin.path,
                        line,
                        col,
                        f"{g.curie} is listed twice for entity {entity.id!r}",
                    )
                )
                continue
            seen.add(g.curie)
            found = _check_one(entity, g)
            if found is not None:
                findings.append(found)
    return findings
