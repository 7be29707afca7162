/* kgraph graph page: draws one graph's data with vis-network. static/graph-loader.js has loaded
 * the graph's data file (window.kgraphData) before this script runs. Every tooltip is built as
 * DOM elements whose text is set with textContent, so no text from the corpus is ever parsed as
 * HTML. Positions are precomputed, physics is off. */
(function () {
  "use strict";

  // performance marks let scripts/bench_site.py say where the time to interactive goes.
  var data = window.kgraphData;
  if (!data) return; // the loader has said why there is no graph
  performance.mark("kgraph:parsed");
  var container = document.getElementById("graph");
  var root = container.getAttribute("data-root") || "";
  var state = { ready: false, readyAt: null, view: null, nodes: null, edges: null, views: {} };
  window.kgraph = state;
  start(data);

  function start(data) {
    function el(tag, cls, text) {
      var node = document.createElement(tag);
      if (cls) node.className = cls;
      if (text !== undefined) node.textContent = text;
      return node;
    }

    function tipElement(tip) {
      var box = el("div", "tip");
      box.appendChild(el("div", "tip-title", tip.title));
      tip.meta.forEach(function (line) { if (line) box.appendChild(el("div", "tip-meta", line)); });
      tip.quotes.forEach(function (q) {
        var quote = el("blockquote", "tip-quote");
        // A quote shown in several tooltips is kept once, in the file's strings.
        var text = typeof q[1] === "number" ? data.strings[q[1]] : q[1];
        if (q[0]) quote.appendChild(el("cite", "", q[0]));
        quote.appendChild(el("span", "", "\u201c" + text + "\u201d"));
        box.appendChild(quote);
      });
      return box;
    }

    // The records an edge joins: edges of boxes end at invisible ports on the boxes' sides.
    function ends(e) { return e.ends || [e.from, e.to]; }

    fillPanel(data);
    data.views.forEach(function (spec) {
      spec.nodes.forEach(function (n) { if (n.tip) n.title = tipElement(n.tip); });
      spec.edges.forEach(function (e, i) {
        // An edge's vis style is kept once in the data file's table; copied in, never shared.
        if (e.s !== undefined) spec.edges[i] = e = Object.assign({}, data.edgeStyles[e.s], e);
        if (e.tip) e.title = tipElement(e.tip);
      });
      var touching = {};
      var isClaim = {};
      var ports = [];
      spec.nodes.forEach(function (n) {
        if (n.kind === "claim") isClaim[n.id] = true;
        if (n.owner) ports.push(n);
      });
      spec.edges.forEach(function (e) {
        var two = ends(e);
        (touching[two[0]] = touching[two[0]] || []).push(e);
        (touching[two[1]] = touching[two[1]] || []).push(e);
      });
      state.views[spec.id] = {
        spec: spec,
        nodes: new vis.DataSet(spec.nodes),
        edges: new vis.DataSet(spec.edges),
        touching: touching,
        isClaim: isClaim,
        ports: ports,
      };
    });

    performance.mark("kgraph:datasets");
    var first = state.views[data.views[0].id];
    // The options every graph shares (graph/options.js), with this graph's node styles.
    var options = Object.assign({}, window.kgraphOptions[data.big ? "big" : "small"]);
    options.groups = data.groups;
    var network = new vis.Network(container, { nodes: first.nodes, edges: first.edges }, options);
    state.network = network;
    performance.mark("kgraph:network");

    network.once("afterDrawing", function () {
      performance.mark("kgraph:drawn");
      state.ready = true;
      state.readyAt = performance.now();
      document.body.setAttribute("data-graph-ready", "1");
    });

    var HEADING_FONT = "700 14px system-ui, sans-serif";
    var SUB_FONT = "400 12px system-ui, sans-serif";
    state.headingFonts = [HEADING_FONT, SUB_FONT];

    network.on("beforeDrawing", function (ctx) {
      if (!state.current) return;
      var headings = state.current.spec.headings;
      ctx.save();
      ctx.fillStyle = "#374151";
      ctx.textAlign = "center";
      headings.forEach(function (h) {
        ctx.font = HEADING_FONT;
        ctx.fillText(h.text, h.x, h.y);
        ctx.font = SUB_FONT;
        if (h.sub) ctx.fillText(h.sub, h.x, h.y + 16);
      });
      ctx.restore();
    });

    /* Edges rest faded; those of the record under the pointer are drawn in full. */
    function light(id, on) {
      var view = state.current;
      var changes = (view.touching[id] || []).map(function (e) {
        var c = e.color;
        return { id: e.id, color: { color: on ? c.hover : c.color, highlight: c.highlight,
          hover: c.hover, inherit: false } };
      });
      view.edges.update(changes);
    }
    function ownerOf(id) {
      var node = state.current.nodes.get(id);
      return node && node.owner ? node.owner : id;
    }
    network.on("hoverNode", function (p) { light(ownerOf(p.node), true); });
    network.on("blurNode", function (p) { light(ownerOf(p.node), false); });

    function go(href) { if (href) window.location.href = root + href; }

    /* Clicking a claim's arrow (mechanism view) lights it, the claims it rests on and those
     * resting on it, and names them in the panel; a second click on it opens the claim. */
    var chainNote = document.getElementById("chain-note");
    function lightChain(edge) {
      var view = state.current;
      var wanted = {};
      edge.chain.forEach(function (c) { wanted[c] = true; });
      var ids = view.edges.getIds({ filter: function (e) { return wanted[e.claim] === true; } });
      network.setSelection({ nodes: [], edges: ids }, { unselectAll: true, highlightEdges: false });
      state.lit = edge.claim;
      state.litEdges = ids;
      chainNote.textContent = "";
      chainNote.appendChild(el("strong", "", edge.chain.length > 1 ? "A chain of claims" :
        "This claim rests on no other"));
      var list = el("ol", "", undefined);
      var seen = {};
      view.edges.get({ filter: function (e) { return wanted[e.claim] === true; } }).forEach(function (e) {
        if (seen[e.claim]) return;
        seen[e.claim] = true;
        var li = el("li", e.claim === edge.claim ? "lit" : "", "");
        var a = el("a", "", e.tip.title);
        a.href = root + e.href;
        li.appendChild(a);
        list.appendChild(li);
      });
      chainNote.appendChild(list);
      chainNote.hidden = false;
    }
    state.lightChain = lightChain;

    network.on("click", function (params) {
      var view = state.current;
      var node = params.nodes.length ? view.nodes.get(params.nodes[0]) : null;
      if (node && node.href) {
        go(node.href);
      } else if (params.edges.length) {
        var edge = view.edges.get(params.edges[0]);
        if (!edge) return;
        if (edge.chain && state.lit !== edge.claim) lightChain(edge);
        else if (edge.href) go(edge.href);
      }
    });

    /* Filters: a claim (node, or relation edge in the mechanism view) passes when its level, kind
     * and article are all chosen; everything else shows when it touches a claim that passes. */
    var articleSelect = document.getElementById("article-filter");
    var levelBoxes = Array.prototype.slice.call(document.querySelectorAll("input[name=level]"));
    var kindBoxes = Array.prototype.slice.call(document.querySelectorAll("input[name=kind]"));

    function chosen(boxes) {
      var out = {};
      boxes.forEach(function (b) { if (b.checked) out[b.value] = true; });
      return out;
    }

    function filters() {
      var levels = chosen(levelBoxes);
      var kinds = chosen(kindBoxes);
      var article = articleSelect.value;
      var active = Boolean(article) ||
        Object.keys(levels).length < levelBoxes.length ||
        Object.keys(kinds).length < kindBoxes.length;
      return { levels: levels, kinds: kinds, article: article, active: active };
    }

    function passes(item, f) {
      return (f.levels[item.level] === true) && (f.kinds[item.claim_kind] === true) &&
        (!f.article || item.articles.indexOf(f.article) >= 0);
    }

    function applyFilters() {
      var view = state.current;
      var f = filters();
      var shownNode = {};
      var shownEdge = {};
      var nodes = view.nodes.get();
      var edges = view.edges.get();
      nodes.forEach(function (n) { if (n.kind === "claim") shownNode[n.id] = !f.active || passes(n, f); });
      edges.forEach(function (e) { if (e.kind === "relation") shownEdge[e.id] = !f.active || passes(e, f); });
      nodes.forEach(function (n) {
        if (n.kind === "claim" || n.owner) return;
        var around = view.touching[n.id] || [];
        shownNode[n.id] = !f.active || n.id === f.article || around.some(function (e) {
          if (e.kind === "relation") return shownEdge[e.id];
          var two = ends(e);
          var other = two[0] === n.id ? two[1] : two[0];
          return view.isClaim[other] === true && shownNode[other];
        });
      });
      view.ports.forEach(function (p) { shownNode[p.id] = shownNode[p.owner]; });
      edges.forEach(function (e) {
        if (e.kind !== "relation") shownEdge[e.id] = Boolean(shownNode[e.from] && shownNode[e.to]);
        else shownEdge[e.id] = shownEdge[e.id] && Boolean(shownNode[e.from] && shownNode[e.to]);
      });
      var nodeChanges = [];
      nodes.forEach(function (n) {
        var hidden = !shownNode[n.id];
        if (Boolean(n.hidden) !== hidden) nodeChanges.push({ id: n.id, hidden: hidden });
      });
      var edgeChanges = [];
      edges.forEach(function (e) {
        var hidden = !shownEdge[e.id];
        if (Boolean(e.hidden) !== hidden) edgeChanges.push({ id: e.id, hidden: hidden });
      });
      view.nodes.update(nodeChanges);
      view.edges.update(edgeChanges);
    }
    state.applyFilters = applyFilters;
    articleSelect.addEventListener("change", applyFilters);
    levelBoxes.concat(kindBoxes).forEach(function (b) { b.addEventListener("change", applyFilters); });

    /* Search: every word of the query must occur in an entry's text (statement, labels, synonyms). */
    var index = null;
    var searchBox = document.getElementById("search");
    var results = document.getElementById("search-results");
    var KIND_ORDER = { claim: 0, entity: 1, source: 2 };

    function fold(text) {
      return text.toLowerCase()
        .replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
        .replace(/[\u201c-\u201f\u2033]/g, "\"")
        .replace(/[\u2010-\u2015\u2212]/g, "-")
        .replace(/\s+/g, " ").trim();
    }

    /* The search index is one file for the whole site, loaded when the box is first used. A
     * neighbourhood shows only the hits it draws. */
    var pending = [];
    function loadIndex(then) {
      if (index !== null) return then();
      pending.push(then);
      if (pending.length > 1) return;
      window.kgraphSearchIndex = function (entries) {
        var drawn = null;
        if (data.searchWithin) {
          drawn = {};
          data.views.forEach(function (v) {
            v.nodes.forEach(function (n) { drawn[n.id] = true; });
            v.edges.forEach(function (e) { if (e.claim) drawn[e.claim] = true; });
          });
        }
        var names = {};
        entries.forEach(function (item) {
          item.own = fold(item.label) + " " + item.id + " " + item.text;
          if (item.k === "entity") names[item.id] = item.own;
        });
        entries.forEach(function (item) {
          // A claim is found by its entities' names and synonyms too; an entity by its description.
          item.words = item.own + " " + (item.e || []).map(function (id) { return names[id] || ""; })
            .join(" ") + " " + (item.more || "");
        });
        index = drawn ? entries.filter(function (item) { return drawn[item.id] === true; }) : entries;
        performance.mark("kgraph:search-index");
        pending.splice(0).forEach(function (f) { f(); });
      };
      var tag = document.createElement("script");
      tag.src = container.getAttribute("data-search");
      document.body.appendChild(tag);
    }

    function search(query) {
      if (index === null) return [];
      var words = fold(query).split(" ").filter(Boolean);
      if (!words.length) return [];
      var hits = index.filter(function (item) {
        return words.every(function (w) { return item.words.indexOf(w) >= 0; });
      });
      function inLabel(item) {
        var label = fold(item.label);
        return words.every(function (w) { return label.indexOf(w) >= 0; }) ? 0 : 1;
      }
      hits.sort(function (a, b) {
        return (inLabel(a) - inLabel(b)) || (KIND_ORDER[a.k] - KIND_ORDER[b.k]) ||
          (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
      });
      return hits;
    }
    state.search = search;

    function showResults() {
      var hits = search(searchBox.value);
      results.textContent = "";
      hits.slice(0, 30).forEach(function (item) {
        var li = el("li", "result result-" + item.k);
        var link = el("a", "", "");
        link.href = root + item.href;
        link.appendChild(el("span", "badge badge-" + item.k, item.k));
        link.appendChild(document.createTextNode(" " + item.label));
        li.appendChild(link);
        results.appendChild(li);
      });
      if (hits.length > 30) results.appendChild(el("li", "more", (hits.length - 30) + " more"));
      if (searchBox.value.trim() && !hits.length) results.appendChild(el("li", "none", "nothing found"));
      var view = state.current;
      var ids = {};
      hits.forEach(function (h) { ids[h.id] = true; });
      var nodeIds = view.nodes.getIds({ filter: function (n) { return ids[n.id] === true; } });
      var edgeIds = view.edges.getIds({ filter: function (e) { return e.claim && ids[e.claim] === true; } });
      network.setSelection({ nodes: nodeIds, edges: edgeIds }, { unselectAll: true, highlightEdges: false });
    }
    searchBox.addEventListener("input", function () { loadIndex(showResults); });
    searchBox.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      loadIndex(function () {
        var hits = search(searchBox.value);
        if (hits.length) go(hits[0].href);
      });
    });

    /* The drawing is laid out in pixels at zoom 1: the canvas takes the drawing's height (the
     * panel beside it scrolls the page), and the scale drops below 1 only on a narrow screen. */
    var PAD = 24;
    var MAX_CANVAS = 16000;
    function frame(f) {
      var width = f[2] - f[0], height = f[3] - f[1];
      var avail = container.parentNode.clientWidth;
      var scale = Math.min(1, (avail - 2 * PAD) / Math.max(width, 1));
      // A browser draws no canvas taller than about 32,000 px: a drawing longer than MAX_CANVAS
      // is shown smaller rather than blank (the home page switches to an overview long before).
      scale = Math.min(scale, (MAX_CANVAS - 2 * PAD) / Math.max(height, 1));
      var px = Math.ceil(height * scale + 2 * PAD);
      container.style.height = px + "px";
      network.setSize("100%", px + "px");
      network.redraw();
      network.moveTo({ position: { x: (f[0] + f[2]) / 2, y: (f[1] + f[3]) / 2 }, scale: scale,
        animation: false });
    }

    /* Views. */
    var note = document.getElementById("view-note");
    function showView(id) {
      var view = state.views[id];
      state.current = view;
      state.view = id;
      state.nodes = view.nodes;
      state.edges = view.edges;
      if (network.body.data.nodes !== view.nodes) {
        network.setData({ nodes: view.nodes, edges: view.edges });
      }
      note.textContent = view.spec.note;
      note.hidden = !view.spec.note;
      applyFilters();
      if (searchBox.value) loadIndex(showResults);
      frame(view.spec.frame);
    }
    state.showView = showView;
    Array.prototype.forEach.call(document.querySelectorAll("input[name=view]"), function (radio) {
      radio.addEventListener("change", function () { if (radio.checked) showView(radio.value); });
    });
    showView(first.spec.id);

    /* The panel's parts that differ from graph to graph: title, heading, the record's page,
     * the view switch and the articles to filter by. */
    function fillPanel(data) {
      document.title = data.heading + " \u00b7 kgraph";
      document.getElementById("graph-heading").textContent = data.heading;
      document.getElementById("graph-intro").textContent = data.intro;
      if (data.record) {
        var back = document.getElementById("graph-record");
        var link = back.querySelector("a");
        link.href = root + data.record.href;
        link.textContent = data.record.label + ": its page";
        back.hidden = false;
      }
      if (data.views.length > 1) {
        var box = document.getElementById("graph-views");
        data.views.forEach(function (v, i) {
          var label = el("label", "", "");
          var radio = el("input", "", undefined);
          radio.type = "radio";
          radio.name = "view";
          radio.value = v.id;
          radio.checked = i === 0;
          label.appendChild(radio);
          label.appendChild(document.createTextNode(" " + v.title));
          box.appendChild(label);
        });
        box.hidden = false;
      }
      var select = document.getElementById("article-filter");
      data.articles.forEach(function (a) {
        var option = el("option", "", a.label);
        option.value = a.id;
        select.appendChild(option);
      });
    }
  }
})();
