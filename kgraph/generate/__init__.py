"""A deterministic generator of realistic synthetic corpora, for benchmarks and scale tests.

Outside the flow: it writes a corpus folder (claims, sources, entities, snapshots) that
`kgraph check` passes, at any size; the same size and seed give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

from kgraph import vocab
from kgraph.generate.words import (
    ARTICLE_CLAIMS,
    CHAIN_LAYERS,
    DEFAULT_USES,
    DESIGNS,
    DOSES,
    ENDPOINTS,
    ENTITY_BASES,
    FILLER,
    HUB_SHARE,
    LEVELS_BY_KIND,
    POPULATIONS,
    PREDICATES_TO,
    REVIEW_OF,
    ROUTES,
    SERIOUS_REASONS,
    SOURCE_KIND,
    STANDALONE,
    STUDIES_PER_SLOT,
    STUDY_DESIGNS,
    STUDY_KINDS_FOR,
    SURNAMES,
    TIME_FRAMES,
    TOPICS,
    USES_PER_ENTITY,
    VERBS,
)
from kgraph.grading import Derivation, RefInput, derive

# How a clinic page words a claim: flatly, with a hedge cue, or with a booster.
FLAT, HEDGED, BOOSTED = "flat", "hedged", "boosted"


@dataclass
class _Assertion:
    article: int
    sentence: str
    quote: str
    paragraph: int = 0


@dataclass
class _Claim:
    kind: str
    subject_type: str
    predicate: str
    object_type: str
    level: str | None
    premises: list[int] = field(default_factory=list)
    subject_from: int = -1  # a chain step's subject is its premise's object
    subject: int = -1
    object: int = -1
    assertions: list[_Assertion] = field(default_factory=list)
    ref_kinds: list[str] = field(default_factory=list)
    refs: list[int] = field(default_factory=list)

    @property
    def triple(self) -> tuple[str, int, str, str, int]:
        return (self.subject_type, self.subject, self.predicate, self.object_type, self.object)


# Draws of GRADE ratings looking for ones that derive a claim's planned level.
RATING_DRAWS = 12
# Draws of an object before a claim whose triple is taken gets a new entity instead.
TRIPLE_DRAWS = 8


class _Pool:
    """Hands out indexes 0..size-1: each once in order first (so every record is used), then
    at random, with a share going to index 0 (the hub)."""

    def __init__(self, size: int, rng: random.Random, hub: float = 0.0) -> None:
        self.size, self.rng, self.hub, self.next = size, rng, hub, 0

    def draw(self, avoid: tuple[int, ...] = ()) -> int:
        if self.next < self.size:
            self.next += 1
            return self.next - 1
        if self.hub and 0 not in avoid and self.rng.random() < self.hub:
            return 0
        while True:
            pick = self.rng.randrange(self.size)
            if pick not in avoid or len(avoid) >= self.size:
                return pick


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in table], [w for _, w in table])[0]


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _cap(text: str) -> str:
    """Sentence case that leaves names like mTOR and NMDA as they are."""
    return text if text[:2] != text[:2].lower() else text[0].upper() + text[1:]


def _wrap(text: str, width: int, indent: str) -> str:
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(indent + x for x in lines)


class _Generator:
    """Plans the claims (kinds, chains, levels), fills their slots with entities, articles and
    studies so that every record is used, lays out the articles' texts, then writes the files."""

    def __init__(self, n_claims: int, seed: int, searched: dt.date) -> None:
        self.rng = random.Random(seed)
        self.searched = searched
        # The sentences of each study's abstract, one per claim that cites it (its excerpt).
        self.abstracts: dict[str, list[str]] = {}
        self.n = n_claims
        self.claims: list[_Claim] = []
        self.entities: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
        self.studies: dict[str, list[tuple[str, str, str]]] = {}
        self._study_ids: set[str] = set()
        self.n_articles = 0
        self.pmids = 0
        self.statements: dict[str, int] = {}
        self.width = len(str(max(n_claims - 1, 0)))

    # -- the shape of the corpus: claim kinds, chains, levels -------------------------------
    def plan(self) -> None:
        rng = self.rng
        weights = [s[4] for s in STANDALONE]
        while len(self.claims) < self.n:
            left = self.n - len(self.claims)
            if rng.random() < 0.6:
                self._chain(min(left, rng.randint(1, len(CHAIN_LAYERS))))
            else:
                kind, st, pred, ot, _ = rng.choices(STANDALONE, weights)[0]
                self._add(_Claim(kind, st, pred, ot, self._level(kind)))

    def _level(self, kind: str) -> str | None:
        return None if kind == "rhetoric" else _weighted(self.rng, LEVELS_BY_KIND[kind])

    def _chain(self, length: int) -> None:
        rng = self.rng
        prev = -1
        for step in range(length):
            last = step == length - 1
            st = "drug" if step == 0 else self.claims[prev].object_type
            ot = rng.choice(ENDPOINTS if last else CHAIN_LAYERS[step + 1])
            kind = "effect" if last else "mechanism"
            # Only a drug treats a condition; a brain change is said to reduce one.
            preds = ("decreases",) if ot == "condition" and st != "drug" else PREDICATES_TO[ot]
            claim = _Claim(kind, st, rng.choice(preds), ot, self._level(kind))
            if prev >= 0:
                claim.premises.append(prev)
                claim.subject_from = prev
                if prev > 0 and rng.random() < 0.1:  # a second premise from an earlier claim
                    extra = rng.randrange(prev)
                    if extra not in claim.premises:
                        claim.premises.append(extra)
            prev = self._add(claim)

    def _add(self, claim: _Claim) -> int:
        rng = self.rng
        n_assert = 1 + (rng.random() < 0.3) + (rng.random() < 0.1)
        claim.assertions = [_Assertion(-1, "", "") for _ in range(n_assert)]
        level = claim.level
        if level is not None and level != "ES-0":
            n_refs = rng.randint(1, 3) if level != "ES-1" else 1
            kinds = ("regulatory",) if claim.kind == "regulatory" else STUDY_KINDS_FOR[level]
            if claim.kind == "historical":
                kinds = ("historical-report",)
            claim.ref_kinds = [rng.choice(kinds) for _ in range(n_refs)]
        self.claims.append(claim)
        return len(self.claims) - 1

    # -- filling the slots: entities, articles, studies -------------------------------------
    def assign(self) -> None:
        rng = self.rng
        demand: dict[str, int] = {}
        for c in self.claims:
            if c.subject_from < 0:
                demand[c.subject_type] = demand.get(c.subject_type, 0) + 1
            demand[c.object_type] = demand.get(c.object_type, 0) + 1
        pools: dict[str, _Pool] = {}
        for etype in ENTITY_BASES:
            if etype not in demand:
                continue
            uses = USES_PER_ENTITY.get(etype, DEFAULT_USES)
            size = max(1, math.ceil(demand[etype] / uses))
            self.entities[etype] = [self._new_entity(etype, i) for i in range(size)]
            pools[etype] = _Pool(size, rng, HUB_SHARE)
        # One fact, one record: no two claims share subject, predicate and object (the
        # checker's KG309). A taken triple draws again; when the draws keep hitting taken
        # triples the object's pool grows by one entity, which no claim has used yet.
        triples: set[tuple[str, int, str, str, int]] = set()
        for c in self.claims:
            c.subject = (
                self.claims[c.subject_from].object
                if c.subject_from >= 0
                else pools[c.subject_type].draw()
            )
            pool = pools[c.object_type]
            for _ in range(TRIPLE_DRAWS):
                c.object = pool.draw((c.subject,) if c.subject_type == c.object_type else ())
                if c.triple not in triples:
                    break
            else:
                c.object = pool.size
                self.entities[c.object_type].append(self._new_entity(c.object_type, pool.size))
                pool.size += 1
                pool.next = pool.size
            triples.add(c.triple)

        slots = sum(len(c.assertions) for c in self.claims)
        widest = max(len(c.assertions) for c in self.claims)
        self.n_articles = max(widest, math.ceil(slots / ARTICLE_CLAIMS))
        articles = _Pool(self.n_articles, rng)
        kind_demand: dict[str, int] = {}
        for c in self.claims:
            for k in c.ref_kinds:
                kind_demand[k] = kind_demand.get(k, 0) + 1
        study_pools: dict[str, _Pool] = {}
        for skind in DESIGNS:
            if skind in kind_demand:
                size = max(1, math.ceil(kind_demand[skind] * STUDIES_PER_SLOT))
                self.studies[skind] = [self._study(skind, i) for i in range(size)]
                study_pools[skind] = _Pool(size, rng)
        for c in self.claims:
            chosen: tuple[int, ...] = ()
            for a in c.assertions:
                a.article = articles.draw(chosen)
                chosen += (a.article,)
            taken: dict[str, tuple[int, ...]] = {}
            for k in c.ref_kinds:
                pick = study_pools[k].draw(taken.get(k, ()))
                taken[k] = (*taken.get(k, ()), pick)
                c.refs.append(pick)
            self._sentences(c)

    def _new_entity(self, etype: str, i: int) -> tuple[str, str, tuple[str, ...]]:
        """Entity i of a type: the i-th base name, numbered once the bases run out."""
        bases = ENTITY_BASES[etype]
        base = bases[i % len(bases)]
        if i < len(bases):
            return base
        return (f"{base[0]}-{i // len(bases) + 1}", f"{base[1]} {i // len(bases) + 1}", base[2])

    def _study(self, skind: str, i: int) -> tuple[str, str, str]:
        """(id, first author's surname, year) of a new study."""
        rng = self.rng
        year = str(rng.randint(1995, 2025))
        if skind == "regulatory":
            drug = rng.choice(("ketalar", "spravato", "ketamine-injection"))
            return f"label-{year}-{drug}-{i}", "", year
        surname = rng.choice(SURNAMES)
        sid = f"{surname}-{year}-{rng.choice(TOPICS)}-{i}"
        # Pools of different designs number their studies alike: two may draw the same id.
        while sid in self._study_ids:
            sid += "-b"
        self._study_ids.add(sid)
        return sid, surname, year

    def _label(self, etype: str, index: int) -> str:
        return self.entities[etype][index][1]

    def _sentences(self, c: _Claim) -> None:
        rng = self.rng
        s = self._label(c.subject_type, c.subject)
        o = self._label(c.object_type, c.object)
        v3, vb = VERBS[c.predicate]
        tail = rng.choice(
            (
                "",
                "",
                " within hours",
                " in the brain’s emotional circuits",
                " for some patients",
                " after a single infusion",
            )
        )
        for a in c.assertions:
            if c.kind == "rhetoric":
                sentence = rng.choice(
                    (
                        f"Some people describe {s} as a kind of “{o}” for the brain.",
                        f"Think of {s} as a “{o}” for stuck patterns of thought.",
                    )
                )
            else:
                style = rng.choices((FLAT, HEDGED, BOOSTED), (4, 4, 2))[0]
                sentence = {
                    FLAT: f"{_cap(s)} {v3} {o}{tail}.",
                    HEDGED: rng.choice(
                        (
                            f"Research suggests that {s} may {vb} {o}{tail}.",
                            f"{_cap(s)} appears to {vb} {o}{tail}.",
                            f"Some researchers believe {s} could {vb} {o}{tail}.",
                        )
                    ),
                    BOOSTED: rng.choice(
                        (
                            f"{_cap(s)} clearly {v3} {o}{tail}.",
                            f"It is proven that {s} {v3} {o}{tail}.",
                        )
                    ),
                }[style]
            a.sentence = sentence
            a.quote = sentence if rng.random() < 0.5 else sentence[:-1]

    # -- laying out the articles' texts ----------------------------------------------------
    def snapshots(self) -> list[str]:
        rng = self.rng
        by_article: list[list[_Assertion]] = [[] for _ in range(self.n_articles)]
        for c in self.claims:
            for a in c.assertions:
                by_article[a.article].append(a)
        texts = []
        for i, assertions in enumerate(by_article):
            paragraphs: list[list[str]] = [[]]
            for a in assertions:
                if len(paragraphs[-1]) >= rng.randint(3, 6):
                    paragraphs.append([])
                if rng.random() < 0.4:
                    paragraphs[-1].append(rng.choice(FILLER))
                paragraphs[-1].append(a.sentence)
                a.paragraph = len(paragraphs)
            # A quarter of the articles keep their line breaks as saved, mid-sentence.
            wrapped = i % 4 == 3
            body = "\n\n".join(
                _wrap(" ".join(p), 96, "") if wrapped else " ".join(p) for p in paragraphs
            )
            texts.append(f"{self._article_title(i)}\n\n{body}\n")
        return texts

    def _article_title(self, i: int) -> str:
        return (
            "How ketamine works",
            "Ketamine for trauma",
            "The science of neuroplasticity",
            "What ketamine does in the brain",
            "Is ketamine therapy right for you?",
        )[i % 5]

    # -- writing ---------------------------------------------------------------------------
    def write(self, root: Path) -> None:
        for folder in ("claims", "sources", "entities", "snapshots"):
            (root / folder).mkdir(parents=True, exist_ok=True)
        texts = self.snapshots()
        for etype, items in self.entities.items():
            for eid, label, synonyms in items:
                _put(root / "entities" / f"{eid}.yaml", self._entity(eid, label, etype, synonyms))
        claim_texts = [self._claim(i, c) for i, c in enumerate(self.claims)]
        (root / "snapshots" / "studies").mkdir(exist_ok=True)
        for skind, ids in self.studies.items():
            for sid, surname, year in ids:
                raw = self._abstract(sid, skind).encode("utf-8")
                with open(root / "snapshots" / "studies" / f"{sid}.txt", "wb") as fh:
                    fh.write(raw)
                digest = hashlib.sha256(raw).hexdigest()
                text = self._study_text(sid, skind, surname, year, digest)
                _put(root / "sources" / f"{sid}.yaml", text)
        for i, text in enumerate(texts):
            raw = text.encode("utf-8")
            name = f"{i:0{len(str(self.n_articles))}d}_{hashlib.sha1(raw).hexdigest()[:16]}.txt"
            with open(root / "snapshots" / name, "wb") as fh:
                fh.write(raw)
            digest = hashlib.sha256(raw).hexdigest()
            _put(root / "sources" / f"{self._article_id(i)}.yaml", self._article(i, name, digest))
        for i, text in enumerate(claim_texts):
            _put(root / "claims" / f"{self._claim_id(i)}.yaml", text)
        _record_reviews(root)

    def _article_id(self, i: int) -> str:
        return f"article-{i:0{len(str(self.n_articles))}d}-clinic-page"

    def _claim_id(self, i: int) -> str:
        c = self.claims[i]
        s = self.entities[c.subject_type][c.subject][0]
        o = self.entities[c.object_type][c.object][0]
        return f"{s}-{c.predicate.replace('_', '-')}-{o}-{i:0{self.width}d}"

    def _entity(self, eid: str, label: str, etype: str, synonyms: tuple[str, ...]) -> str:
        syn = ", ".join(_q(s) for s in synonyms)
        description = f"A {etype.replace('_', ' ')} in the ketamine literature."
        return (
            "# yaml-language-server: $schema=../../schema/entity.schema.json\n"
            f"id: {eid}\nlabel: {_q(label)}\ntype: {etype}\nsynonyms: [{syn}]\n"
            f"description: {_q(description)}\n"
        )

    def _abstract(self, sid: str, skind: str) -> str:
        """The study's abstract (a label's section): what each citing claim excerpts."""
        heading = "Clinical studies" if skind == "regulatory" else "Results"
        findings = " ".join(self.abstracts.get(sid, ["No finding is reported."]))
        return f"A {DESIGNS[skind][0]} of ketamine ({sid}).\n\n{heading}: {findings}\n"

    def _study_text(self, sid: str, skind: str, surname: str, year: str, digest: str) -> str:
        rng = self.rng
        self.pmids += 7  # one document, one PubMed id (KG308)
        lines = [
            "# yaml-language-server: $schema=../../schema/source.schema.json",
            f"id: {sid}",
            f"title: {_q(f'A {DESIGNS[skind][0]} of ketamine ({sid})')}",
            f"kind: {SOURCE_KIND.get(skind, skind)}",
        ]
        part = "section" if skind == "regulatory" else "abstract"
        snapshot = [
            "snapshot:",
            f"  path: snapshots/studies/{sid}.txt",
            f"  sha256: {digest}",
            f"  part: {part}",
            f"  seen: {self.searched.isoformat()}",
        ]
        if skind == "regulatory":
            lines += [
                "authors: [U.S. Food and Drug Administration]",
                f"published: {_q(year)}",
                f"url: {_q(f'https://labels.example/{sid}')}",
                "publisher: U.S. Food and Drug Administration",
                "accessed: 2026-01-15",
                f"label: {_q(f'Label {year}')}",
                *snapshot,
                "study:",
                f"  design: {STUDY_DESIGNS[skind]}",
            ]
            return "\n".join(lines) + "\n"
        name = surname.replace("-", " ").title()
        authors = ", ".join(_q(f"{rng.choice(SURNAMES).title()} {chr(66 + j)}") for j in range(3))
        lines += [
            f"authors: [{_q(name + ' A')}, {authors}]",
            f"published: {_q(year)}",
            f"journal: {rng.choice(('JAMA Psychiatry', 'Biological Psychiatry', 'Nature'))}",
            f"volume: {_q(str(rng.randint(10, 90)))}",
            f"pages: {_q(f'{rng.randint(100, 800)}-{rng.randint(801, 900)}')}",
            f"doi: {_q(f'10.5555/kgraph.{sid}')}",
            f"pmid: {_q(str(10_000_000 + self.pmids))}",
            f"label: {_q(f'{name} et al. {year}')}",
            *snapshot,
            "study:",
            f"  design: {STUDY_DESIGNS[skind]}",
        ]
        if skind in REVIEW_OF:
            lines.append(f"  review_of: {REVIEW_OF[skind]}")
        _, n_range = DESIGNS[skind]
        if n_range:
            lines.append(f"  n: {rng.randint(*n_range)}")
        lines.append(f"  population: {rng.choice(POPULATIONS)}")
        return "\n".join(lines) + "\n"

    def _article(self, i: int, name: str, digest: str) -> str:
        rng = self.rng
        kind = "news" if i % 7 == 6 else "marketing"
        published = f"20{rng.randint(19, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        return (
            "# yaml-language-server: $schema=../../schema/source.schema.json\n"
            f"id: {self._article_id(i)}\n"
            f"title: {_q(self._article_title(i))}\n"
            f"label: {_q(f'{self._article_title(i)} (clinic {i})')}\n"
            f"kind: {kind}\n"
            "authors: unknown\n"
            f"publisher: {_q(f'Clinic {i} Wellness')}\n"
            f"url: {_q(f'https://clinic-{i}.example/ketamine')}\n"
            f"published: {published if rng.random() < 0.6 else 'unknown'}\n"
            "accessed: 2025-11-02\n"
            f"snapshot:\n  path: snapshots/{name}\n  sha256: {digest}\n"
            "notes: A generated clinic page.\n"
        )

    def _claim(self, i: int, c: _Claim) -> str:
        rng = self.rng
        s_id, s_label, _ = self.entities[c.subject_type][c.subject]
        o_id, o_label, _ = self.entities[c.object_type][c.object]
        statement = f"{_cap(s_label)} {VERBS[c.predicate][0]} {o_label}"
        # A triple drawn again is another report of it: worded apart, as check requires.
        seen = self.statements[statement] = self.statements.get(statement, 0) + 1
        statement += f" (report {seen})." if seen > 1 else "."
        out = [
            "# yaml-language-server: $schema=../../schema/claim.schema.json",
            f"id: {self._claim_id(i)}",
            f"statement: {_q(statement)}",
            f"kind: {c.kind}",
            f"subject: {s_id}",
            f"predicate: {c.predicate}",
            f"object: {o_id}",
        ]
        if rng.random() < 0.4:
            out += [
                "qualifiers:",
                f"  population: {rng.choice(POPULATIONS)}",
                f"  time_frame: {rng.choice(TIME_FRAMES)}",
                f"  dose: {_q(rng.choice(DOSES))}",
                f"  route: {rng.choice(ROUTES)}",
            ]
        out.append("sources:")
        for a in c.assertions:
            out += [
                f"  - source: {self._article_id(a.article)}",
                f"    quote: {_q(a.quote)}",
                f"    locator: paragraph {a.paragraph}",
                "    reading: literal",
            ]
        if c.level is not None:
            out += self._evidence(c, s_label, o_label)
        if c.premises:
            out.append(f"depends_on: [{', '.join(self._claim_id(p) for p in c.premises)}]")
        out.append(f"tags: [{c.kind}, {c.subject_type.replace('_', '-')}]")
        status = rng.choices(("draft", "reviewed", "disputed"), (14, 5, 1))[0]
        out += ["review:", f"  status: {status}"]
        if status != "draft":
            out += [
                "  reviewer: A. Reviewer",
                f"  date: 2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
            ]
        if status == "disputed":
            out.append("  notes: The second reader thinks the level is one step too high.")
        return "\n".join(out) + "\n"

    def _evidence(self, c: _Claim, s: str, o: str) -> list[str]:
        """A graded evidence block whose level is the one the derivation gives: references with
        excerpts of their studies' abstracts, the five GRADE domains rated, and the search."""
        rng = self.rng
        assert c.level is not None
        sids = [self.studies[kind][r][0] for kind, r in zip(c.ref_kinds, c.refs, strict=True)]
        directions = ["supports"] * len(sids)
        if c.level == "ES-3" and len(sids) > 1 and rng.random() < 0.3:
            directions[-1] = "contradicts"
        elif c.level == "ES-1" and rng.random() < 0.3:
            directions = ["neutral"] * len(sids)  # background only: untested
        refs = [
            RefInput(STUDY_DESIGNS[kind], d, REVIEW_OF.get(kind, ""), sid)
            for kind, d, sid in zip(c.ref_kinds, directions, sids, strict=True)
        ]
        domains, upgrades, got = self._ratings(c, refs, directions)
        level = got.level or c.level
        verb = VERBS[c.predicate][0]
        out = ["evidence:", f"  level: {level}"]
        if level != "ES-0":  # nothing tests the claim, so the evidence has no direction
            out.append(f"  direction: {got.direction}")
        moved = [n.replace("_", " ") for n, (rating, _) in domains.items() if rating != "none"]
        rationale = (
            f"{len(sids) or 'No'} cited stud{'y' if len(sids) == 1 else 'ies'} "
            f"bear{'s' if len(sids) == 1 else ''} on whether {s} {verb} {o}. "
            + (f"GRADE starts {got.start} on the best design ({got.best}). " if got.start else "")
            + (f"Rated down for {', '.join(moved)}. " if moved and got.start else "")
            + f"The derived level is {level}."
        )
        out += ["  rationale: >-", _wrap(rationale, 88, "    ")]
        if not sids:
            out.append("  references: []")
        else:
            out.append("  references:")
        for sid, d in zip(sids, directions, strict=True):
            excerpt = (
                f"{_cap(s)} {verb} {o} ({sid})."
                if d == "supports"
                else f"No difference in whether {s} {verb} {o} was found ({sid})."
                if d == "contradicts"
                else f"The background to whether {s} {verb} {o} is reviewed ({sid})."
            )
            self.abstracts.setdefault(sid, []).append(excerpt)
            out += [
                f"    - source: {sid}",
                f"      finding: {_q(f'Reports whether {s} {verb} {o}.')}",
                f"      excerpt: {_q(excerpt)}",
                f"      direction: {d}",
            ]
        if got.start:  # the GRADE track: the domains and upgrades behind the level
            out.append("  certainty:")
            for name, (rating, reason) in domains.items():
                out.append(f"    {name}: {{rating: {rating}, reason: {_q(reason)}}}")
            if upgrades:
                out.append("  upgrades:")
                for name, (rating, reason) in upgrades.items():
                    out.append(f"    {name}: {{rating: {rating}, reason: {_q(reason)}}}")
        out += [
            "  search:",
            f"    date: {self.searched.isoformat()}",
            "    where: [the generated study pool]",
            f"    queries: [{_q(f'{s} {o}')}]",
            f"    screened: {len(sids) * 3 + rng.randint(0, 9)}",
            f"    included: [{', '.join(sids)}]",
        ]
        return out

    def _ratings(
        self, c: _Claim, refs: list[RefInput], directions: list[str]
    ) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]], Derivation]:
        """GRADE ratings that derive the planned level, where some do within a few draws;
        otherwise the last draw's, and the level is what they derive."""
        rng = self.rng
        names = [t.value for t in vocab.DOMAINS]
        mixed = "contradicts" in directions
        for _ in range(RATING_DRAWS):
            serious = set(rng.sample(names, rng.choice((0, 0, 1, 1, 2, 3))))
            if mixed:
                serious.add("inconsistency")
            domains = {
                n: ("serious", rng.choice(SERIOUS_REASONS[n]))
                if n in serious
                else ("none", "no serious concern")
                for n in names
            }
            upgrades = (
                {"large_effect": ("plus-one", "a large effect in every trial")}
                if rng.random() < 0.1
                else {}
            )
            got = derive(c.kind, refs, domains, upgrades)
            if got.level == c.level:
                break
        return domains, upgrades, got


def _record_reviews(root: Path) -> None:
    """Give each reviewed claim the hashes `kgraph review` records, so that its review is a
    current one: they are taken over the records as written, so the corpus is loaded first."""
    from kgraph.corpus.load import load
    from kgraph.corpus.review import REVIEWED, review_hashes
    from kgraph.corpus.review_write import replace_review_block, review_block

    corpus = load(root)
    for claim in corpus.claims.values():
        review = claim.review
        if review.status != REVIEWED:
            continue
        path = root / "claims" / f"{claim.id}.yaml"
        text = path.read_text(encoding="utf-8")
        block = review_block(
            review.reviewer or "", str(review.date), review.notes, review_hashes(corpus, claim)
        )
        _put(path, replace_review_block(text, claim.origin.key_at("review")[0], block))


def _put(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


class CorpusExists(Exception):
    """The target folder already holds files: the generator never writes over anything."""


def generate_corpus(
    root: Path, n_claims: int, seed: int = 0, searched: dt.date | None = None
) -> None:
    """Write a corpus of `n_claims` claims into `root` (which must be absent or empty).

    `searched` is the date the claims' searches and study snapshots carry (today by default, so
    that the check's search-age rule holds); the same seed and date give the same bytes."""
    if n_claims < 1:
        raise ValueError("n_claims must be at least 1")
    root = Path(root)
    if root.exists() and (not root.is_dir() or any(os.scandir(root))):
        raise CorpusExists(f"{root} already exists and is not empty; choose a new folder")
    gen = _Generator(n_claims, seed, searched or dt.date.today())
    gen.plan()
    gen.assign()
    gen.write(root)
    from kgraph.outputs import write_marker

    write_marker(root, "generated corpus")
