"""The level colours, read by colour-blind readers too: every level tells apart from every other,
and every swatch stands out from the page (the vocabulary's colours are the site's)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from coloraide import Color

from kgraph import vocab

CSS = Path(__file__).resolve().parent.parent / "kgraph" / "site" / "static" / "site.css"
PALETTE = {lv.value: lv.colour for lv in vocab.EVIDENCE_LEVELS} | {
    "no level": vocab.NO_LEVEL_COLOUR
}
VISIONS = (None, "deutan", "protan", "tritan")
# WCAG 2.1 success criterion 1.4.11: graphical objects at least 3:1 against adjacent colours.
MIN_CONTRAST = 3.0
# CIEDE2000 distance; about 2 is a just-noticeable difference, 10 and more reads as another colour.
MIN_DELTA_E = 12.0


def backgrounds() -> dict[str, str]:
    """The page's own background colours, read from the stylesheet."""
    found = dict(re.findall(r"--(paper|tint):\s*(#[0-9a-fA-F]{6})", CSS.read_text("utf-8")))
    assert set(found) == {"paper", "tint"}
    return found


def seen(colour: str, vision: str | None) -> Color:
    c = Color(colour)
    return c if vision is None else c.filter(vision)


@pytest.mark.parametrize("vision", VISIONS, ids=lambda v: v or "normal")
def test_every_two_levels_are_told_apart(vision: str | None) -> None:
    close = [
        (a, b, round(seen(ca, vision).delta_e(seen(cb, vision), method="2000"), 1))
        for (a, ca), (b, cb) in itertools.combinations(PALETTE.items(), 2)
        if seen(ca, vision).delta_e(seen(cb, vision), method="2000") < MIN_DELTA_E
    ]
    assert close == [], f"too close in {vision or 'normal'} vision: {close}"


def test_es5_and_es4_are_far_apart_in_every_vision() -> None:
    """The pair readers confused: the two strongest levels, once two greens."""
    for vision in VISIONS:
        d = seen(PALETTE["ES-5"], vision).delta_e(seen(PALETTE["ES-4"], vision), method="2000")
        assert d >= MIN_DELTA_E, (vision, d)


def test_every_level_stands_out_from_the_page() -> None:
    weak = [
        (name, bg, round(Color(colour).contrast(Color(hex_bg)), 2))
        for name, colour in PALETTE.items()
        for bg, hex_bg in backgrounds().items()
        if Color(colour).contrast(Color(hex_bg)) < MIN_CONTRAST
    ]
    assert weak == []
