"""How the project drives Debian's Chromium: browser tests, screenshots, the site benchmark.

Playwright with the system executable (nothing is downloaded), and the flags that keep a
headless Chromium from reaching for the network on a machine that has none.
"""

from __future__ import annotations

import os
from typing import Any

CHROMIUM = os.environ.get("KGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def launch_chromium(playwright: Any) -> Any:
    """A headless Chromium browser from a started `sync_playwright()`."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))


# Reads the graph page's drawing as vis-network holds it: every shown node's label box and
# font size on screen, every shown edge sampled along its path. Coordinates are the canvas's.
LEGIBILITY_JS = """() => {
  const net = window.kgraph.network;
  const view = window.kgraph.current;
  const canvas = document.querySelector('#graph canvas');
  const width = canvas.clientWidth, height = canvas.clientHeight;
  const scale = net.getScale();
  const dom = (x, y) => net.canvasToDOM({x: x, y: y});
  const boxes = [], outside = [];
  let minPx = null;
  view.nodes.get({filter: n => !n.hidden}).forEach(n => {
    const body = net.body.nodes[n.id];
    // A box holds its label; any other shape is its own extent joined with its label's.
    const s = body.shape, lm = body.labelModule.size;
    let l = body.x - s.width / 2, t = body.y - s.height / 2;
    let r = body.x + s.width / 2, btm = body.y + s.height / 2;
    if (body.options.shape !== 'box') {
      const rad = body.options.size || 0;
      l = body.x - rad; r = body.x + rad; t = body.y - rad; btm = body.y + rad;
      if (n.label && lm.width) {
        l = Math.min(l, lm.left); t = Math.min(t, lm.top);
        r = Math.max(r, lm.left + lm.width); btm = Math.max(btm, lm.top + lm.height);
      }
    }
    const a = dom(l, t), b = dom(r, btm);
    if (a.x < 0 || a.y < 0 || b.x > width || b.y > height) outside.push(n.id);
    if (!n.label) return;
    const px = body.labelModule.fontOptions.size * scale;
    minPx = minPx === null ? px : Math.min(minPx, px);
    boxes.push({id: n.id, l: a.x, t: a.y, r: b.x, b: b.y, px: px});
  });
  const ctx = canvas.getContext('2d');
  const fonts = window.kgraph.headingFonts;
  view.spec.headings.forEach(h => {
    [[h.text, fonts[0], 0], [h.sub, fonts[1], 16]].forEach(([text, font, dy]) => {
      if (!text) return;
      ctx.font = font;
      const w = ctx.measureText(text).width;
      const size = parseInt(font.split(' ')[1], 10);
      const a = dom(h.x - w / 2, h.y + dy - size), b = dom(h.x + w / 2, h.y + dy + 3);
      minPx = minPx === null ? size * scale : Math.min(minPx, size * scale);
      boxes.push({id: 'heading:' + text, l: a.x, t: a.y, r: b.x, b: b.y, px: size * scale});
    });
  });
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const p = boxes[i], q = boxes[j];
      const across = Math.min(p.r, q.r) - Math.max(p.l, q.l);
      const down = Math.min(p.b, q.b) - Math.max(p.t, q.t);
      if (across > 0.5 && down > 0.5) {
        overlaps.push([p.id, q.id]);
      }
    }
  }
  const under = [];
  view.edges.get({filter: e => !e.hidden}).forEach(e => {
    const edge = net.body.edges[e.id];
    if (!edge || !edge.connected) return;
    const hit = {};
    for (let k = 0; k <= 60; k++) {
      const p = edge.edgeType.getPoint(k / 60);
      const d = dom(p.x, p.y);
      boxes.forEach(bx => {
        const ends = e.ends || [e.from, e.to];
        if (bx.id === ends[0] || bx.id === ends[1] || hit[bx.id]) return;
        if (d.x > bx.l + 1 && d.x < bx.r - 1 && d.y > bx.t + 1 && d.y < bx.b - 1) hit[bx.id] = true;
      });
    }
    Object.keys(hit).forEach(id => under.push([e.id, id]));
  });
  return {labels: boxes.length, min_label_px: minPx, overlaps: overlaps, outside: outside,
          under_edges: under, scale: scale, nodes: view.nodes.length, edges: view.edges.length};
}"""


def legibility(page: Any) -> dict[str, Any]:
    """Figures of the drawn graph on an open graph page: labels, overlaps, nodes off canvas."""
    figures: dict[str, Any] = page.evaluate(LEGIBILITY_JS)
    return figures
