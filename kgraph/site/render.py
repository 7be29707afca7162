"""The site's Jinja2 environment (autoescape on) and the one writer every page goes through.

Every page module writes through `Renderer.page`, so escaping, encoding and link rules live here
once. Text from YAML only ever reaches a page through an escaping template or `script_json`.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from kgraph import vocab
from kgraph.audit import AUDIT_CODES
from kgraph.audit.terms import plural
from kgraph.site.fragments import FRAGMENTS
from kgraph.site.links import (
    doi_url,
    level_colour,
    level_name,
    neighbourhood_path,
    page_path,
    pmc_url,
    pmid_url,
    safe_href,
    script_json,
)


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
            drug_labels=_labels(vocab.DRUG_FORMS),
            entity_type_labels=_labels(vocab.ENTITY_TYPES),
            predicate_labels=_labels(vocab.PREDICATES),
            direction_labels=_labels(vocab.REFERENCE_DIRECTIONS),
            claim_kinds=vocab.CLAIM_KINDS,
            plural=plural,
            audit_codes=AUDIT_CODES,
        )
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
