"""Every quote as a W3C Web Annotation (JSON-LD), and the same as Hypothesis API records.

Stage after the corpus: each assertion whose quote is found in its source's pinned snapshot
becomes an annotation of the article's URL, anchored by `kgraph.corpus.anchors` (quote with
context, code-point position, the day the snapshot was seen), whose body is the claim with its
evidence level and direction. The W3C context is shipped in `contexts/` and served to pyld
offline by `document_loader`, so expanding the export never touches the network.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from kgraph import vocab
from kgraph.corpus.anchors import Anchor, anchor_quote, fragment_url
from kgraph.corpus.model import Assertion, Claim, Corpus, Source
from kgraph.corpus.quotes import FoldedText
from kgraph.exports.rdf import BASE, KGC

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# The W3C context as published (its licence is in the file), keyed by the IRIs it is known by.
_SHIPPED = {
    ANNO_CONTEXT: "anno.jsonld",
    "https://www.w3.org/ns/anno.jsonld": "anno.jsonld",
}
# The model has no word for the unit of a TextPositionSelector's offsets; kgraph's are Unicode
# code points of the snapshot text (Python string indices), said so with a term of its own.
KG_CONTEXT = {"kg": BASE, "offsetUnit": "kg:offsetUnit"}
OFFSET_UNIT = "unicode-code-point"
CREATOR = {"type": "Software", "name": "kgraph"}
ANNOTATION_FORMATS = ("w3c", "hypothesis")


class AnnotationError(Exception):
    """The export cannot be made as asked (one line)."""


def shipped_context(url: str) -> dict[str, Any]:
    """The W3C Web Annotation context as a JSON-LD document, read from the package."""
    name = _SHIPPED[url]
    text = resources.files("kgraph.exports").joinpath("contexts", name).read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def document_loader(url: str, options: Any = None) -> dict[str, Any]:
    """A pyld document loader that serves the shipped context and refuses anything else, so
    expanding an annotation is checked against the model's own context with no network."""
    if url not in _SHIPPED:
        raise AnnotationError(f"the JSON-LD asked for {url}, which is not shipped with kgraph")
    return {"contextUrl": None, "documentUrl": url, "document": shipped_context(url)}


@dataclass(frozen=True)
class Quoted:
    """One assertion located in its source's snapshot: what every annotation format is made of."""

    claim: Claim
    assertion: Assertion
    source: Source
    anchor: Anchor
    text: str  # the snapshot text the anchor's offsets count in
    url: str  # the live page annotated ("" when the source records none)


def quoted(corpus: Corpus) -> list[Quoted]:
    """Every assertion whose quote is found in its source's snapshot, by claim id and order."""
    folded: dict[str, FoldedText] = {}
    out = []
    for cid in sorted(corpus.claims):
        claim = corpus.claims[cid]
        for a in claim.sources:
            text = corpus.snapshot_texts.get(a.source)
            source = corpus.sources.get(a.source)
            if text is None or source is None or source.snapshot is None:
                continue
            ft = folded.get(a.source)
            if ft is None:
                ft = folded[a.source] = FoldedText.of(text)
            anchor = anchor_quote(ft, a.quote)
            if anchor is None:
                continue
            url = source.snapshot.url or source.url or ""
            out.append(Quoted(claim, a, source, anchor, text, url))
    return out


def snapshot_iri(sha256: str) -> str:
    """The pinned snapshot's bytes named by their hash (RFC 6920 `ni:` URI, SHA-256)."""
    digest = base64.urlsafe_b64encode(bytes.fromhex(sha256)).decode("ascii").rstrip("=")
    return f"ni:///sha-256;{digest}"


def _page(site_url: str, kind: str, record_id: str) -> str:
    return f"{site_url.rstrip('/')}/{kind}/{record_id}.html"


def _summary(claim: Claim) -> str:
    level = claim.level or "no level"
    direction = claim.evidence.direction if claim.evidence else ""
    evidence = f"{level}, evidence {direction}" if direction else level
    return f"{claim.statement} ({evidence})"


def w3c_annotation(q: Quoted, site_url: str = "") -> dict[str, Any]:
    """One quote as a Web Annotation: the article's passage described by the claim it asserts."""
    claim, snap = q.claim, q.source.snapshot
    assert snap is not None
    body: list[dict[str, Any]] = [
        {
            "type": "TextualBody",
            "purpose": "describing",
            "format": "text/plain",
            "value": _summary(claim),
        },
        {"type": "SpecificResource", "purpose": "identifying", "source": KGC + claim.id},
    ]
    if claim.level:
        body.append({"type": "TextualBody", "purpose": "classifying", "value": claim.level})
    if claim.evidence and claim.evidence.direction:
        body.append(
            {"type": "TextualBody", "purpose": "classifying", "value": claim.evidence.direction}
        )
    if site_url:
        body.append(
            {
                "type": "SpecificResource",
                "purpose": "linking",
                "source": _page(site_url, "claim", claim.id),
                "format": "text/html",
            }
        )
    state: dict[str, Any] = {"type": "TimeState", "cached": snapshot_iri(snap.sha256)}
    if vocab.DATE_PATTERN.match(snap.seen or "") and len(snap.seen) == 10:
        # Only the day is recorded: the state is that whole day, not an invented time.
        state["sourceDateStart"] = f"{snap.seen}T00:00:00Z"
        state["sourceDateEnd"] = f"{snap.seen}T23:59:59Z"
    if site_url:
        state["cached"] = [state["cached"], _page(site_url, "snapshot", q.source.id)]
    a = q.anchor
    return {
        "id": f"{BASE}annotation:{claim.id}:{q.assertion.index}",
        "type": "Annotation",
        "motivation": "describing",
        "creator": CREATOR,
        "body": body,
        "target": {
            "source": q.url or snapshot_iri(snap.sha256),
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": a.exact,
                    "prefix": a.prefix,
                    "suffix": a.suffix,
                },
                {
                    "type": "TextPositionSelector",
                    "start": a.start,
                    "end": a.end,
                    "offsetUnit": OFFSET_UNIT,
                },
            ],
            "state": state,
        },
    }


def w3c_collection(corpus: Corpus, site_url: str = "") -> dict[str, Any]:
    """Every quote's annotation, as one AnnotationCollection with a single page."""
    items = [w3c_annotation(q, site_url) for q in quoted(corpus)]
    return {
        "@context": [ANNO_CONTEXT, KG_CONTEXT],
        "id": f"{BASE}annotations",
        "type": "AnnotationCollection",
        "label": "kgraph: every quote of the corpus, anchored in its pinned snapshot",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def hypothesis_annotation(q: Quoted, site_url: str = "") -> dict[str, Any]:
    """One quote as the Hypothesis API's create-annotation record. Where it differs from the
    W3C model: the page is `uri`, the body is Markdown `text` and `tags`, selectors sit in a
    list under `target`, and there is no TimeState (the snapshot's day goes into the text)."""
    claim, snap = q.claim, q.source.snapshot
    assert snap is not None
    a = q.anchor
    lines = [f"**Claim:** {_summary(claim)}"]
    if site_url:
        lines.append(f"[The claim in kgraph]({_page(site_url, 'claim', claim.id)})")
    seen = f" seen {snap.seen}" if snap.seen else ""
    lines.append(f"Quote anchored in the snapshot{seen} (SHA-256 {snap.sha256[:12]}...).")
    tags = ["kgraph", *(t for t in (claim.level, claim.evidence and claim.evidence.direction) if t)]
    return {
        "uri": q.url,
        "document": {"title": [q.source.title]} if q.source.title else {},
        "text": "\n\n".join(lines),
        "tags": tags,
        "target": [
            {
                "source": q.url,
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": a.exact,
                        "prefix": a.prefix,
                        "suffix": a.suffix,
                    },
                    # Hypothesis counts in its own page text, in UTF-16 units: these offsets are
                    # the snapshot's code points, a hint it checks against the quote.
                    {"type": "TextPositionSelector", "start": a.start, "end": a.end},
                ],
            }
        ],
    }


def hypothesis_records(corpus: Corpus, site_url: str = "") -> list[dict[str, Any]]:
    """The quotes whose article has an http(s) address, as Hypothesis records (one to POST
    each); a quote of a source with no address cannot be shown on a page and is left out."""
    return [
        hypothesis_annotation(q, site_url)
        for q in quoted(corpus)
        if q.url.startswith(("http://", "https://"))
    ]


def annotations_json(corpus: Corpus, fmt: str = "w3c", site_url: str = "") -> str:
    """The export as text: the W3C collection, or the list of Hypothesis records."""
    if site_url and not site_url.startswith(("http://", "https://")):
        raise AnnotationError(f"--site-url {site_url!r}: not an http(s) address")
    if fmt == "w3c":
        doc: Any = w3c_collection(corpus, site_url)
    elif fmt == "hypothesis":
        doc = hypothesis_records(corpus, site_url)
    else:
        raise AnnotationError(f"unknown annotation format {fmt!r}: one of w3c, hypothesis")
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def live_link(q: Quoted) -> str | None:
    """The live page scrolled to the quote (a URL text fragment), when the page is http(s)."""
    if not q.url.startswith(("http://", "https://")):
        return None
    return fragment_url(q.url, q.text, q.anchor)


def write_annotations(corpus: Corpus, out: Path, fmt: str = "w3c", site_url: str = "") -> Path:
    """Write the export to a file, whole or not at all (a file inside the corpus's records, or
    a folder, is refused by `kgraph.outputs` with nothing touched)."""
    from kgraph.outputs import replace_file

    text = annotations_json(corpus, fmt, site_url)

    def write(staged: Path) -> None:
        staged.write_text(text, encoding="utf-8")

    return replace_file(
        out,
        write,
        what=f"the {fmt} annotations",
        corpus_root=corpus.root,
    )
