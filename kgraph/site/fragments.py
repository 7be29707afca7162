"""The small pieces of HTML every page repeats (level badges, record links, audit findings).

Written in Python rather than as Jinja macros: a page of a large corpus calls them thousands of
times, and a macro call costs many times a function call. Every text goes through `escape`, as
the autoescaping templates would do; the templates call these as globals (see render.py).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from kgraph.audit import also
from kgraph.corpus.model import Claim, Entity, Source
from kgraph.site.links import level_name, page_path


def level_badge(level: str | None, said: str = "") -> Markup:
    """An ES level as a coloured badge; `said` is markup (already escaped) shown inside it."""
    cls = f"lv-{level}" if level else "lv-none"
    return Markup(
        f'<span class="level {escape(cls)}"><span class="swatch"></span>'
        f"{escape(level_name(level))}{said}</span>"
    )


def claim_badge(claim: Claim) -> Markup:
    """A claim's level and the direction of its evidence, together: "ES-5" alone would hide
    that the evidence is mixed or goes against the claim."""
    direction = claim.evidence.direction if claim.evidence else ""
    said = (
        Markup(f' <span class="dir-word dir-{escape(direction)}">· {escape(direction)}</span>')
        if direction
        else Markup("")
    )
    return level_badge(claim.level, said)


def claim_link(root: str, claim: Claim) -> Markup:
    href = escape(root + page_path("claim", claim.id))
    return Markup(f'<a class="claim-link" href="{href}">{escape(claim.statement)}</a>')


def source_link(root: str, source: Source) -> Markup:
    href = escape(root + page_path("source", source.id))
    return Markup(f'<a href="{href}">{escape(source.display)}</a>')


def entity_link(root: str, entity: Entity | None, fallback: str) -> Markup:
    if entity is None:
        return escape(fallback)
    href = escape(root + page_path("entity", entity.id))
    return Markup(f'<a href="{href}">{escape(entity.label)}</a>')


def finding(root: str, item: dict[str, Any], show_claim: bool = True) -> Markup:
    """An audit finding as a list item (`Site.finding_item` gives the item)."""
    f = item["f"]
    sev = escape(f.severity)
    out = [
        f'<li class="finding sev-{sev}" data-codes="{escape(" ".join(f.codes))}">\n'
        f'<span class="code">{escape(f.code)}</span> <span class="sev">{sev}</span>\n'
    ]
    if item["spec"]:
        out.append(f'<span class="code-name">{escape(item["spec"].name)}</span>')
    if f.also:
        out.append(f' <span class="also">{escape(also(f))}</span>')
    if show_claim and item["claim"]:
        out.append(f"· {claim_link(root, item['claim'])}")
    if item["source"]:
        out.append(f"· {source_link(root, item['source'])}")
    out.append(f'<p class="message">{escape(f.message)}</p>\n')
    if f.quote:
        out.append(f'<blockquote class="finding-quote">“{escape(f.quote)}”</blockquote>')
    if f.cues:
        out.append(f'<p class="cues">cues: {escape(", ".join(f.cues))}</p>')
    if item["chain"]:
        links = " → ".join(
            f'<a href="{escape(root + page_path("claim", c.id))}">{escape(c.id)}</a> '
            f"({escape(level_name(c.level))})"
            for c in item["chain"]
        )
        out.append(f'<p class="chain">chain: {links}</p>')
    out.append(f'<p class="where">{escape(item["where"])}</p>\n</li>')
    return Markup("".join(out))


FRAGMENTS = {
    "level_badge": level_badge,
    "claim_badge": claim_badge,
    "claim_link": claim_link,
    "source_link": source_link,
    "entity_link": entity_link,
    "finding": finding,
}
