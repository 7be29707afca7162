"""An entity's own neighbourhood graph, drawn as SVG on its page: what acts on it on the left,
the entity in the middle, what it acts on at the right; one line per claim, coloured by level.

Plain SVG (no script): every box links to its entity, every line to its claim. Every corpus text
is escaped here, so the SVG goes into the page as markup.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from kgraph.corpus.model import Claim, Corpus
from kgraph.site.links import level_colour, level_name, page_path
from kgraph.site.styles import ENTITY_TYPE_COLOURS, LABEL_PX, fit_label, tint

BOX_W = 210
BOX_H = 22
ROW = 30
GAP = 110  # the room between columns where the lines run
TOP = 28
BUS_STEP = 11  # between the trunks of neighbouring levels


def _box(root: str, corpus: Corpus, eid: str, x: int, y: int, *, own: bool = False) -> str:
    entity = corpus.entities.get(eid)
    label = entity.label if entity else eid
    colour = ENTITY_TYPE_COLOURS.get(entity.type, "#8c8c8c") if entity else "#8c8c8c"
    text = escape(fit_label(label, BOX_W - (24 if own else 0)))
    weight = ' font-weight="700"' if own else ""
    rect = (
        f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="4" '
        f'fill="{tint(colour, 0.18)}" stroke="{colour}" stroke-width="{3 if own else 2}"/>'
        f'<text x="{x + 7}" y="{y + 15}" font-size="{LABEL_PX}"{weight}>{text}</text>'
    )
    title = f"<title>{escape(label)}</title>"
    if own or entity is None:
        return f'<g class="box">{title}{rect}</g>'
    href = escape(root + page_path("entity", eid))
    return f'<a class="box" href="{href}">{title}{rect}</a>'


def _path(root: str, c: Claim, points: list[tuple[int, int]]) -> str:
    rank = c.rank if c.rank is not None else 0
    dash = ' stroke-dasharray="7 4"' if c.evidence and c.evidence.direction == "contradicts" else ""
    title = escape(f"{c.statement} ({level_name(c.level)})")
    href = escape(root + page_path("claim", c.id))
    coords = " ".join(f"{x},{y}" for x, y in points)
    return (
        f'<a class="claim-line" href="{href}"><title>{title}</title>'
        f'<polyline points="{coords}" fill="none" stroke="{level_colour(c.level)}" '
        f'stroke-width="{1.5 + 0.6 * rank:.1f}"{dash}/></a>'
    )


def _bus(c: Claim) -> int:
    """Lines run in a trunk per level (strongest nearest the entity), then branch off."""
    return 5 - (c.rank if c.rank is not None else -1)


def neighbourhood_svg(root: str, corpus: Corpus, eid: str, claims: list[Claim]) -> Markup:
    """The SVG of the entity's claims, or nothing when no claim links it to another entity."""
    acting = [c for c in claims if c.object == eid and c.subject != eid]
    acted = [c for c in claims if c.subject == eid and c.object != eid]
    if not acting and not acted:
        return Markup("")

    # Strongest first, so each level's trunk stays short.
    def by_strength(claims: list[Claim], end: str) -> list[str]:
        best: dict[str, int] = {}
        for c in claims:
            e = getattr(c, end)
            best[e] = min(best.get(e, 9), _bus(c))
        return sorted(best, key=lambda e: (best[e], e))

    lefts = by_strength(acting, "subject")
    rights = by_strength(acted, "object")
    rows = max(len(lefts), len(rights), 1)
    height = TOP + rows * ROW + 10
    # Centred beside a short column; near the top of a long one, where its trunks start.
    mid_y = TOP + (min(rows, 9) - 1) * ROW // 2
    xl, xm, xr = 0, BOX_W + GAP, 2 * (BOX_W + GAP)

    def y_of(items: list[str], i: int) -> int:
        return TOP + (rows - len(items)) * ROW // 2 + i * ROW

    parts: list[str] = []
    heads = ((xl, "acts on it", lefts), (xr, "what it acts on", rights))
    for x, text, items in heads:
        if items:
            parts.append(
                f'<text x="{x + BOX_W // 2}" y="16" font-size="{LABEL_PX}" '
                f'text-anchor="middle" class="head">{escape(text)}</text>'
            )
    left_y = {e: y_of(lefts, i) for i, e in enumerate(lefts)}
    right_y = {e: y_of(rights, i) for i, e in enumerate(rights)}
    centre = mid_y + BOX_H // 2
    for k, c in enumerate(sorted(acting, key=lambda c: (c.subject, c.id))):
        y = left_y[c.subject] + BOX_H // 2 + (k % 3 - 1) * 3
        trunk = xm - 16 - BUS_STEP * _bus(c)
        points = [(xl + BOX_W, y), (trunk, y), (trunk, centre), (xm, centre)]
        parts.append(_path(root, c, points))
    for k, c in enumerate(sorted(acted, key=lambda c: (c.object, c.id))):
        y = right_y[c.object] + BOX_H // 2 + (k % 3 - 1) * 3
        trunk = xm + BOX_W + 16 + BUS_STEP * _bus(c)
        points = [(xm + BOX_W, centre), (trunk, centre), (trunk, y), (xr, y)]
        parts.append(_path(root, c, points))
    for e, y in left_y.items():
        parts.append(_box(root, corpus, e, xl, y))
    for e, y in right_y.items():
        parts.append(_box(root, corpus, e, xr, y))
    parts.append(_box(root, corpus, eid, xm, mid_y, own=True))
    width = xr + BOX_W + 2
    label = corpus.entities[eid].label if eid in corpus.entities else eid
    return Markup(
        f'<svg class="neighbourhood" viewBox="-1 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape("Claims around " + label)}">'
        + "".join(parts)
        + "</svg>"
    )
