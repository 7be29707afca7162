"""A claim's evidence handed to the derivation: its references' studies and its GRADE ratings.

`derivation(claim, corpus)` is what the check, the audit, the site and the exports all call, so
that every stage shows the same derived level.
"""

from __future__ import annotations

from typing import Any

from kgraph import vocab
from kgraph.corpus.model import Claim, Corpus, Rating, Search
from kgraph.grading import Derivation, RefInput, derive


def ref_inputs(claim: Claim, corpus: Corpus) -> list[RefInput]:
    """What the derivation needs of each reference: its study's design, and its direction."""
    out: list[RefInput] = []
    if claim.evidence is None:
        return out
    for r in claim.evidence.references:
        source = corpus.sources.get(r.source)
        study = source.study if source is not None else None
        out.append(
            RefInput(
                design=study.design if study is not None else vocab.UNKNOWN,
                direction=r.direction,
                review_of=(study.review_of or vocab.UNKNOWN) if study is not None else "",
                label=r.source,
            )
        )
    return out


def ratings(claim: Claim) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """(domains, upgrades) as (rating, reason) by name; an unknown domain is left out."""
    ev = claim.evidence
    domains: dict[str, tuple[str, str]] = {}
    if ev is not None and isinstance(ev.certainty, dict):
        for name, value in ev.certainty.items():
            if isinstance(value, Rating):
                domains[name] = (value.rating, value.reason)
    upgrades = {n: (u.rating, u.reason) for n, u in ev.upgrades.items()} if ev else {}
    return domains, upgrades


def derivation(claim: Claim, corpus: Corpus) -> Derivation | None:
    """The derived level of a graded claim; None for a claim that takes no grade (rhetoric)."""
    if claim.evidence is None:
        return None
    domains, upgrades = ratings(claim)
    return derive(claim.kind, ref_inputs(claim, corpus), domains, upgrades)


def grading_record(claim: Claim, corpus: Corpus) -> dict[str, Any] | None:
    """The grade as data, for the exports: the derivation, the domains and upgrades as rated,
    the override, and the search (each "unknown" where the record says so)."""
    ev = claim.evidence
    d = derivation(claim, corpus)
    if ev is None or d is None:
        return None
    certainty: dict[str, Any] | str | None
    if isinstance(ev.certainty, dict):
        certainty = {
            name: {"rating": v.rating, "reason": v.reason} if isinstance(v, Rating) else v
            for name, v in sorted(ev.certainty.items())
        }
    else:
        certainty = ev.certainty
    search: dict[str, Any] | str | None
    if isinstance(ev.search, Search):
        s = ev.search
        search = {
            "date": s.date,
            "where": list(s.where),
            "queries": list(s.queries),
            "screened": s.screened,
            "included": list(s.included),
            "excluded": [
                {"study": e.study, "reason": e.reason, "source": e.source or None}
                for e in s.excluded
            ],
            "notes": s.notes,
        }
    else:
        search = ev.search
    return {
        "derived": {
            "level": d.level,
            "direction": d.direction,
            "track": d.track,
            "start": d.start,
            "certainty": d.certainty,
            "best_design": d.best or None,
            "explanation": d.explanation,
            "missing": list(d.missing),
        },
        "certainty": certainty,
        "upgrades": {n: {"rating": u.rating, "reason": u.reason} for n, u in ev.upgrades.items()},
        "override": ev.override or None,
        "search": search,
    }


def domain_examples(corpus: Corpus, per_domain: int = 2) -> dict[str, list[tuple[str, str, str]]]:
    """By GRADE domain: the first claims (by id) rated `very-serious`, then `serious`, for it,
    as (claim id, rating, reason), for the docs to show how each domain is used."""
    found: dict[str, list[tuple[int, str, str, str]]] = {}
    for cid in sorted(corpus.claims):
        ev = corpus.claims[cid].evidence
        if ev is None or not isinstance(ev.certainty, dict):
            continue
        for name, value in ev.certainty.items():
            if isinstance(value, Rating) and value.rating in ("serious", "very-serious"):
                order = 0 if value.rating == "very-serious" else 1
                found.setdefault(name, []).append((order, cid, value.rating, value.reason))
    return {
        name: [(cid, rating, reason) for _, cid, rating, reason in sorted(rows)[:per_domain]]
        for name, rows in found.items()
    }
