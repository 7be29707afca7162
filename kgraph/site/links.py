"""Links and labels every page shares: where a record's page lives, safe external links, safe
JSON in a page, and evidence levels' names and colours. Plain functions, no rendering."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlsplit

from markupsafe import Markup

from kgraph import vocab

# Page paths, relative to the site root, by kind of record.
FOLDERS = {
    "claim": "claim",
    "source": "source",
    "entity": "entity",
    "snapshot": "snapshot",
    "history": "history",
}
NEIGHBOURHOOD_FOLDER = "graph"
AUDIT_FOLDER = "audit"

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(value: Any) -> Markup:
    """JSON that is safe inside a <script type="application/json"> element, sorted for stable bytes.

    `</script>` cannot end the element early because no `<` survives; U+2028/9 are escaped too.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in _JSON_ESCAPES.items():
        text = text.replace(raw, escaped)
    return Markup(text)


def safe_href(url: str | None) -> str | None:
    """The url if it is an http(s) address, else None (a `javascript:` url renders as text)."""
    if not url:
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() in ("http", "https") and parts.netloc and url.isprintable():
        return url
    return None


def doi_url(doi: str | None) -> str | None:
    return f"https://doi.org/{quote(doi, safe='/:;()._-')}" if doi else None


def pmid_url(pmid: str | None) -> str | None:
    return f"https://pubmed.ncbi.nlm.nih.gov/{quote(pmid, safe='')}/" if pmid else None


def pmc_url(pmcid: str | None) -> str | None:
    return f"https://www.ncbi.nlm.nih.gov/pmc/articles/{quote(pmcid, safe='')}/" if pmcid else None


def page_path(kind: str, record_id: str) -> str:
    """Where a record's page lives, relative to the site root (ids are checked slugs)."""
    return f"{FOLDERS[kind]}/{record_id}.html"


def audit_article_path(source_id: str) -> str:
    """The audit page of one article (or of the findings about none, under a reserved name)."""
    return f"{AUDIT_FOLDER}/article/{source_id}.html"


def audit_code_path(code: str) -> str:
    return f"{AUDIT_FOLDER}/code/{code}.html"


def neighbourhood_path(record_id: str) -> str:
    """The shared graph viewer, asked for this record's neighbourhood (`kgraph.site.viewer`)."""
    return f"{NEIGHBOURHOOD_FOLDER}/index.html?id={record_id}"


def level_name(level: str | None) -> str:
    if level is None:
        return "no level"
    lv = vocab.LEVEL_BY_VALUE.get(level)
    return f"{level} {lv.name}" if lv else level


def level_colour(level: str | None) -> str:
    lv = vocab.LEVEL_BY_VALUE.get(level or "")
    return lv.colour if lv else vocab.NO_LEVEL_COLOUR
