"""Rendering helpers for the site: the Jinja2 environment (autoescape on), safe links, safe JSON.

Every page module writes through `Renderer.page`, so escaping, encoding and link rules live here
once. Text from YAML only ever reaches a page through an escaping template or `script_json`.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from kgraph import vocab

# Page paths, relative to the site root, by kind of record.
FOLDERS = {"claim": "claim", "source": "source", "entity": "entity", "snapshot": "snapshot"}
NEIGHBOURHOOD_FOLDER = "graph"

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


def neighbourhood_path(record_id: str) -> str:
    return f"{NEIGHBOURHOOD_FOLDER}/{record_id}.html"


def level_name(level: str | None) -> str:
    if level is None:
        return "no level"
    lv = vocab.LEVEL_BY_VALUE.get(level)
    return f"{level} {lv.name}" if lv else level


def level_colour(level: str | None) -> str:
    lv = vocab.LEVEL_BY_VALUE.get(level or "")
    return lv.colour if lv else vocab.NO_LEVEL_COLOUR


def _labels(terms: tuple[vocab.Term, ...]) -> dict[str, str]:
    return {t.value: t.label for t in terms}


class Renderer:
    """Renders templates into files under the site folder, UTF-8 and with '\\n' line ends."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.env = Environment(
            loader=PackageLoader("kgraph.site", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(
            safe_href=safe_href,
            level_name=level_name,
            level_colour=level_colour,
            script_json=script_json,
        )
        self.env.globals.update(
            page_path=page_path,
            neighbourhood_path=neighbourhood_path,
            doi_url=doi_url,
            pmid_url=pmid_url,
            pmc_url=pmc_url,
            levels=vocab.EVIDENCE_LEVELS,
            no_level_colour=vocab.NO_LEVEL_COLOUR,
            claim_kind_labels=_labels(vocab.CLAIM_KINDS),
            source_kind_labels=_labels(vocab.SOURCE_KINDS),
            entity_type_labels=_labels(vocab.ENTITY_TYPES),
            predicate_labels=_labels(vocab.PREDICATES),
            direction_labels=_labels(vocab.REFERENCE_DIRECTIONS),
            claim_kinds=vocab.CLAIM_KINDS,
        )
        # Here, not at the top: the fragments use this module's link and level helpers.
        from kgraph.site.fragments import FRAGMENTS

        self.env.globals.update(FRAGMENTS)
        self.written: list[str] = []

    def page(self, path: str, template: str, **context: Any) -> None:
        """Render `template` into `path` (relative to the site root, '/'-separated)."""
        depth = path.count("/")
        root = "../" * depth
        html = self.env.get_template(template).render(root=root, here=path, **context)
        self.write_text(path, html)

    def write_text(self, path: str, text: str) -> None:
        target = self.out_dir / Path(*posixpath.normpath(path).split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        # newline="\n": the same bytes on every platform.
        with target.open("w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        self.written.append(path)

    def write_bytes(self, path: str, data: bytes) -> None:
        target = self.out_dir / Path(*posixpath.normpath(path).split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.written.append(path)
