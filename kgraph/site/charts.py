"""The audit's charts as plain SVG text: the echo chart and an article's evidence profile.

Output stage beside the audit: `Corpus` -> SVG string, no JavaScript, every corpus text escaped,
colours from `kgraph.vocab.EVIDENCE_LEVELS`. Same corpus, same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from xml.sax.saxutils import escape

from kgraph import vocab
from kgraph.audit.articles import asserting_articles
from kgraph.audit.run import LEVEL_KEYS, level_key
from kgraph.audit.terms import plural
from kgraph.corpus.model import Claim, Corpus

_FONT = 'font-family="sans-serif" font-size="12"'
_COLOUR = {lv.value: lv.colour for lv in vocab.EVIDENCE_LEVELS}
_NAME = {lv.value: lv.name for lv in vocab.EVIDENCE_LEVELS}


def _attr(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _colour(key: str) -> str:
    return _COLOUR.get(key, vocab.NO_LEVEL_COLOUR)


def _row_label(key: str) -> str:
    return f"{key} {_NAME[key]}" if key in _NAME else f"{key} (no level)"


def _n(x: float) -> str:
    """Coordinates with one decimal, so output does not depend on float printing."""
    return f"{x:.1f}"


def _at_most(key: str, rank: int) -> bool:
    level = vocab.level_rank(key)
    return level is not None and level <= rank


def _open(width: int, height: int, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_attr(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def echo_chart_svg(corpus: Corpus, href: Callable[[str], str] | None = None) -> str:
    """One mark per claim: x, how many articles assert it; y, its evidence level.

    Marks in the shaded corner (two or more articles, evidence at vocab.ECHO_MAX_RANK or lower)
    are echoes. `href(claim_id)`, if given, makes each mark a link (for the site).
    """
    cells: dict[tuple[int, str], list[Claim]] = {}
    for cid in sorted(corpus.claims):
        claim = corpus.claims[cid]
        n = len(asserting_articles(corpus, claim))
        cells.setdefault((n, level_key(claim)), []).append(claim)
    max_n = max([4, *(n for n, _ in cells)])
    # Every level always has a row; a claim that fails the check (no level) still gets a mark.
    rows = [*LEVEL_KEYS, *sorted({k for _, k in cells} - set(LEVEL_KEYS))]
    left, top, cw, rh = 190, 40, 90, 48
    width, height = left + cw * (max_n + 1) + 20, top + rh * len(rows) + 60
    title = f"Echo chart: {len(corpus.claims)} claims by articles asserting and evidence level"
    out = _open(width, height, title)
    out.append(f"<g {_FONT}>")
    out.append(
        '<text x="12" y="24" font-size="14">How many articles assert each claim, '
        "against the strength of its evidence</text>"
    )
    # The echo zone: two or more articles, weak evidence.
    echo_rows = [i for i, k in enumerate(rows) if _at_most(k, vocab.ECHO_MAX_RANK)]
    if echo_rows:
        y0, y1 = top + rh * min(echo_rows), top + rh * (max(echo_rows) + 1)
        x0 = left + cw * 2
        out.append(
            f'<rect class="echo-zone" x="{x0}" y="{y0}" width="{cw * (max_n - 1)}" '
            f'height="{y1 - y0}" fill="#fde2e2"/>'
        )
        out.append(
            f'<text x="{x0 + cw * (max_n - 1) - 6}" y="{y1 - 6}" text-anchor="end" '
            'fill="#5a001b">echo zone: repetition, not evidence</text>'
        )
    for i, key in enumerate(rows):
        y = top + rh * i
        out.append(f'<line x1="{left}" y1="{y}" x2="{width - 20}" y2="{y}" stroke="#dddddd"/>')
        out.append(
            f'<text x="{left - 8}" y="{y + rh / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(_row_label(key))}</text>"
        )
    base = top + rh * len(rows)
    out.append(f'<line x1="{left}" y1="{base}" x2="{width - 20}" y2="{base}" stroke="#333333"/>')
    for n in range(max_n + 1):
        x = left + cw * n + cw / 2
        out.append(f'<text x="{_n(x)}" y="{base + 18}" text-anchor="middle">{n}</text>')
    out.append(
        f'<text x="{left + cw * (max_n + 1) / 2:.1f}" y="{base + 42}" text-anchor="middle">'
        "number of articles asserting the claim</text>"
    )
    out.append("</g>")
    for (n, key), claims in sorted(cells.items()):
        out += _cell_marks(claims, n, left + cw * n, top + rh * rows.index(key), cw, rh, href)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _cell_marks(
    claims: list[Claim],
    n_articles: int,
    x0: float,
    y0: float,
    cw: float,
    rh: float,
    href: Callable[[str], str] | None,
) -> list[str]:
    """Lay a cell's claims out in a grid, shrinking the marks when many share the cell."""
    per_line = max(1, int((cw - 8) // 12))
    lines = math.ceil(len(claims) / per_line)
    step = min(12.0, (rh - 8) / lines)
    r = max(1.5, min(5.0, step / 2 - 0.5))
    used = min(per_line, len(claims))
    left = x0 + (cw - used * 12) / 2 + 6  # centre the grid in its column
    out = []
    for i, claim in enumerate(claims):
        cx = left + (i % per_line) * 12
        cy = y0 + 4 + step / 2 + (i // per_line) * step
        level = claim.level or "no level"
        tip = f"{claim.id}: {claim.statement} ({level}; {plural(n_articles, 'article')})"
        mark = (
            f'<circle class="claim-mark" data-claim="{_attr(claim.id)}" cx="{_n(cx)}" '
            f'cy="{_n(cy)}" r="{_n(r)}" fill="{_colour(level_key(claim))}" stroke="#333333" '
            f'stroke-width="0.5"><title>{escape(tip)}</title></circle>'
        )
        if href is not None:
            mark = f'<a href="{_attr(href(claim.id))}">{mark}</a>'
        out.append(mark)
    return out


def evidence_profile_svg(
    corpus: Corpus, source_id: str, claim_ids: Iterable[str] | None = None
) -> str:
    """Bar chart of one article's claims per evidence level, plus its rhetoric.

    `claim_ids`, the claims the source asserts, saves a scan of the corpus per chart when a
    caller draws one for every article (the site).
    """
    source = corpus.sources.get(source_id)
    if source is None:
        raise KeyError(f"no source {source_id!r} in the corpus")
    if claim_ids is None:
        claim_ids = [
            cid for cid, c in corpus.claims.items() if any(a.source == source_id for a in c.sources)
        ]
    by_key: dict[str, list[str]] = {k: [] for k in LEVEL_KEYS}
    for cid in sorted(set(claim_ids)):
        by_key.setdefault(level_key(corpus.claims[cid]), []).append(cid)
    keys = list(by_key)
    top_count = max([1, *(len(v) for v in by_key.values())])
    left, top, bw, gap, plot_h = 40, 40, 56, 14, 180
    width = left + (bw + gap) * len(keys) + 20
    height = top + plot_h + 50
    total = sum(len(v) for v in by_key.values())
    title = f"Evidence profile of {source.display}: {plural(total, 'claim')} by evidence level"
    out = _open(width, height, title)
    out.append(f"<g {_FONT}>")
    out.append(f'<text x="{left}" y="20" font-size="14">{escape(source.display)}</text>')
    base = top + plot_h
    out.append(f'<line x1="{left}" y1="{base}" x2="{width - 20}" y2="{base}" stroke="#333333"/>')
    for i, key in enumerate(keys):
        ids = by_key[key]
        x = left + i * (bw + gap)
        h = plot_h * len(ids) / top_count
        tip = f"{key}: {plural(len(ids), 'claim')}" + (": " + ", ".join(ids) if ids else "")
        out.append(
            f'<rect class="level-bar" data-level="{_attr(key)}" data-count="{len(ids)}" '
            f'x="{x}" y="{_n(base - h)}" width="{bw}" height="{_n(h)}" fill="{_colour(key)}">'
            f"<title>{escape(tip)}</title></rect>"
        )
        out.append(
            f'<text x="{_n(x + bw / 2)}" y="{_n(base - h - 4)}" text-anchor="middle">'
            f"{len(ids)}</text>"
        )
        out.append(
            f'<text x="{_n(x + bw / 2)}" y="{base + 16}" text-anchor="middle">{escape(key)}</text>'
        )
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
