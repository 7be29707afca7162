"""Cite the evidence behind a claim: BibTeX, CSL-JSON or Markdown for a writer's references.

A writers' tool over a loaded `Corpus` (`kgraph cite`, and the references the draft checker lists).
Only evidence-kind sources are cited, never news or marketing; unknown authors, dates and
identifiers are left out, never made up. BibTeX is written with bibtexparser, and non-ASCII text
is LaTeX-encoded with pylatexenc so classic BibTeX reads it too.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

import bibtexparser
from bibtexparser import model as bib
from pylatexenc.latexencode import unicode_to_latex

from kgraph import vocab
from kgraph.corpus.model import Claim, Corpus, Reference, Source

FORMATS = ("bibtex", "csl-json", "markdown")
# Authors listed before "et al." in the Markdown reference list (the ICMJE/Vancouver rule).
MAX_AUTHORS = 6
_ET_AL = frozenset({"et al", "et al.", "others"})
# "Lapidus KAB", "aan het Rot M", "Zarate CA Jr": family name, initials, optional suffix.
_VANCOUVER = re.compile(
    r"^(?P<family>.*[a-z].*?)\s+(?P<initials>[A-Z]{1,4})(?:\s+(?P<suffix>Jr|Sr|2nd|3rd|[IV]{2,3}))?$"
)
# Words that make a name a body's, never a person's ("Mylan Institutional LLC").
_ORGANISATION = re.compile(
    r"\b(?:LLC|Inc|Ltd|Limited|PLC|GmbH|Corp|Corporation|Company|Pharma\w*|Institutional|"
    r"Administration|Agency|Organi[sz]ation|Association|Society|Institute|University|"
    r"Department|Ministry|Council|Group|Laboratories|Labs|Collaboration|Network)\b"
)
_FAMILY_ONLY = re.compile(r"^[A-Z][a-z'’-]+(?:[ -][A-Z][a-z'’-]+)?$")


class CiteError(Exception):
    """A claim that cannot be cited as asked."""


class UnknownClaim(CiteError):
    """No claim with this id."""


class NothingToCite(CiteError):
    """The claim has no primary reference: nothing may be cited for it."""


def _kind_label(kind: str) -> str:
    return next((t.label for t in vocab.SOURCE_KINDS if t.value == kind), kind)


def primary_references(corpus: Corpus, claim: Claim) -> list[tuple[Reference, Source]]:
    """The claim's references that test it, whose source may be evidence (never news or
    marketing), in order. A `neutral` reference is background that does not test the claim:
    citing it for the claim would mislead, so it is left out."""
    out: list[tuple[Reference, Source]] = []
    seen: set[str] = set()
    for ref in claim.evidence.references if claim.evidence else []:
        src = corpus.sources.get(ref.source)
        if src is None or not src.is_evidence_kind or src.id in seen or ref.direction == "neutral":
            continue
        seen.add(src.id)
        out.append((ref, src))
    return out


def _claim(corpus: Corpus, claim_id: str) -> Claim:
    claim = corpus.claims.get(claim_id)
    if claim is None:
        close = difflib.get_close_matches(claim_id, sorted(corpus.claims), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise UnknownClaim(f"no claim {claim_id!r} in the corpus{hint}")
    return claim


def _nothing_message(corpus: Corpus, claim: Claim) -> str:
    level = f"{claim.level}, {vocab.LEVEL_BY_VALUE[claim.level].name}" if claim.level else "none"
    skipped = sorted(
        {
            f"{s.id} ({s.kind})"
            for ref in (claim.evidence.references if claim.evidence else [])
            if (s := corpus.sources.get(ref.source)) and not s.is_evidence_kind
        }
    )
    why = (
        "it is rhetoric, which no study can test"
        if claim.kind in vocab.UNGRADED_CLAIM_KINDS
        else f"its evidence level is {level}"
    )
    text = f"claim {claim.id!r} has no primary reference to cite ({why})"
    background = (
        [r.source for r in claim.evidence.references if r.direction == "neutral"]
        if (claim.evidence)
        else []
    )
    if background:
        text += f"; {', '.join(sorted(set(background)))}: background only, not a test of it"
    if skipped:
        text += f"; {', '.join(skipped)} cannot be cited as evidence"
    return text


def parse_author(name: str) -> dict[str, str]:
    """A recorded author as CSL name parts: family/given (initials), or literal for a body."""
    if _ORGANISATION.search(name):
        return {"literal": name.strip()}
    m = _VANCOUVER.match(name.strip())
    if m:
        parts = {"family": m["family"], "given": " ".join(f"{c}." for c in m["initials"])}
        if m["suffix"]:
            parts["suffix"] = m["suffix"]
        return parts
    if _FAMILY_ONLY.match(name.strip()):
        return {"family": name.strip()}
    return {"literal": name.strip()}


def _authors(source: Source) -> tuple[list[dict[str, str]], bool]:
    """(named authors, whether the record says there are more: 'et al.')."""
    named = [parse_author(a) for a in source.authors if a.strip().lower() not in _ET_AL]
    return named, len(named) < len(source.authors)


def _date_parts(value: str | None) -> list[int] | None:
    m = vocab.DATE_PATTERN.match(value or "")
    return [int(p) for p in m.groups() if p] if m else None


def _csl_type(source: Source) -> str:
    if source.journal:
        return "article-journal"
    if source.kind == "regulatory":
        return "report"
    return "document"


def csl_item(source: Source) -> dict[str, Any]:
    """One CSL-JSON item; fields the record does not know are left out."""
    item: dict[str, Any] = {"id": source.id, "type": _csl_type(source)}
    if source.title:
        item["title"] = source.title
    named, _ = _authors(source)
    if named:
        item["author"] = named
    issued = _date_parts(source.published)
    if issued:
        item["issued"] = {"date-parts": [issued]}
    for key, value in (
        ("container-title", source.journal),
        ("volume", source.volume),
        ("issue", source.issue),
        ("page", source.pages),
        ("publisher", source.publisher),
        ("DOI", source.doi),
        ("PMID", source.pmid),
        ("PMCID", source.pmcid),
        ("URL", source.url),
    ):
        if value:
            item[key] = value
    accessed = _date_parts(source.accessed)
    if accessed and source.url:
        item["accessed"] = {"date-parts": [accessed]}
    return item


def _latex(text: str) -> str:
    """LaTeX-encode text, then brace words with two capitals (PTSD, NMDA) so styles keep them."""
    encoded = unicode_to_latex(text, non_ascii_only=False, unknown_char_warning=False)
    return re.sub(r"(?<![\\{])\b([A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z-]*)\b", r"{\1}", encoded)


def _bibtex_name(parts: dict[str, str]) -> str:
    if "literal" in parts:
        return "{" + unicode_to_latex(parts["literal"], unknown_char_warning=False) + "}"
    family = unicode_to_latex(parts["family"], unknown_char_warning=False)
    if "suffix" in parts:
        family += ", " + parts["suffix"]
    return f"{family}, {parts['given']}" if "given" in parts else family


def bibtex_entry(source: Source) -> bib.Entry:
    fields: list[bib.Field] = []
    named, more = _authors(source)
    if named:
        names = [_bibtex_name(p) for p in named] + (["others"] if more else [])
        fields.append(bib.Field("author", " and ".join(names)))
    if source.title:
        fields.append(bib.Field("title", _latex(source.title)))
    if source.journal:
        fields.append(bib.Field("journal", _latex(source.journal)))
    date = _date_parts(source.published)
    if date:
        fields.append(bib.Field("year", str(date[0])))
        if len(date) > 1:
            fields.append(bib.Field("month", str(date[1])))
    for key, value in (("volume", source.volume), ("number", source.issue)):
        if value:
            fields.append(bib.Field(key, value))
    if source.pages:
        fields.append(bib.Field("pages", source.pages.replace("-", "--")))
    if source.publisher:
        key = "institution" if source.kind == "regulatory" and not source.journal else "publisher"
        fields.append(bib.Field(key, _latex(source.publisher)))
    # Identifiers and addresses are written verbatim: LaTeX escapes would break them.
    if source.doi:
        fields.append(bib.Field("doi", source.doi))
    if source.pmid:
        fields.append(bib.Field("eprint", source.pmid))
        fields.append(bib.Field("eprinttype", "pubmed"))
    if source.url:
        fields.append(bib.Field("url", source.url))
    entry_type = (
        "article" if source.journal else "techreport" if source.kind == "regulatory" else "misc"
    )
    return bib.Entry(entry_type, source.id, fields)


def _markdown_authors(source: Source) -> str:
    named, more = _authors(source)
    names = [
        p.get("literal")
        or " ".join(
            filter(
                None,
                (
                    p["family"],
                    p.get("given", "").replace(". ", "").replace(".", ""),
                    p.get("suffix"),
                ),
            )
        )
        for p in named
    ]
    if len(names) > MAX_AUTHORS:
        names, more = names[:MAX_AUTHORS], True
    if not names:
        return "Authors unknown"
    return ", ".join(names) + (", et al." if more else "")


def markdown_reference(source: Source) -> str:
    """A Vancouver-style reference line, with DOI and PubMed id where the record has them."""
    year = source.year or "n.d."
    parts = [
        f"{_markdown_authors(source)} ({year}).",
        f"{(source.title or 'Untitled').rstrip('.')}.",
    ]
    if source.journal:
        venue = f"*{source.journal}*"
        if source.volume:
            venue += f" {source.volume}"
            if source.issue:
                venue += f"({source.issue})"
        if source.pages:
            venue += f":{source.pages}"
        parts.append(venue + ".")
    elif source.publisher:
        parts.append(f"{source.publisher}.")
    if source.doi:
        parts.append(f"doi:[{source.doi}](https://doi.org/{source.doi})")
    if source.pmid:
        parts.append(f"PMID: {source.pmid}")
    if source.url and not source.doi:
        parts.append(f"<{source.url}>")
    return " ".join(parts)


def short_label(source: Source) -> str:
    """A short in-text label: the record's label, else 'Family et al. year'."""
    if source.label:
        return source.label
    named, more = _authors(source)
    if not named:
        return source.title or source.id
    first = named[0].get("family") or named[0].get("literal", "")
    tail = (
        " et al."
        if more or len(named) > 2
        else f" & {named[1].get('family') or named[1].get('literal')}"
        if len(named) == 2
        else ""
    )
    return f"{first}{tail} {source.year or 'n.d.'}"


def cite(corpus: Corpus, claim_id: str, fmt: str) -> str:
    """The claim's primary references in one format; raises NothingToCite when there are none."""
    if fmt not in FORMATS:
        raise CiteError(f"unknown citation format {fmt!r}: expected one of {', '.join(FORMATS)}")
    claim = _claim(corpus, claim_id)
    refs = primary_references(corpus, claim)
    if not refs:
        raise NothingToCite(_nothing_message(corpus, claim))
    if fmt == "csl-json":
        items = [csl_item(src) for _, src in refs]
        return json.dumps(items, indent=2, ensure_ascii=False) + "\n"
    if fmt == "bibtex":
        library = bibtexparser.Library([bibtex_entry(src) for _, src in refs])
        return bibtexparser.write_string(library)
    return _markdown(corpus, claim, refs)


def _markdown(corpus: Corpus, claim: Claim, refs: list[tuple[Reference, Source]]) -> str:
    level = f"{claim.level}, {claim.evidence.direction}" if claim.evidence else "no level"
    lines = [f"Evidence for `{claim.id}` ({level}): {claim.statement}", ""]
    for i, (ref, src) in enumerate(refs, start=1):
        lines.append(f"{i}. {markdown_reference(src)}")
        lines.append(f"   {_kind_label(src.kind)}, {ref.direction}: {ref.finding}")
    return "\n".join(lines) + "\n"
