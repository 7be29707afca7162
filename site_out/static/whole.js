/* kgraph whole-graph page: every node of a large corpus, drawn with WebGL by sigma.js.
 * Positions come from Python (kgraph/site/whole.py); the data file is a script calling
 * kgraphWholeData(data), so the page opens from file:// with no server. Level of detail: edges
 * are drawn only once zoomed in (or around the hovered node), labels only when there is room.
 * Search: MiniSearch indexes the shards of the search index as they arrive, and answers from
 * those already in. No text of the corpus is ever parsed as HTML (textContent only). */
(function () {
  "use strict";

  performance.mark("kgraph:start");
  var container = document.getElementById("graph");
  var root = container.getAttribute("data-root") || "";
  var state = { ready: false, readyAt: null, renderer: null, graph: null };
  window.kgraphWhole = state;
  // Zoomed out further than this (the camera's ratio; 1 shows the whole graph), edges are hidden.
  var EDGE_RATIO = 0.25;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  window.kgraphWholeData = function (data) {
    performance.mark("kgraph:parsed");
    start(data);
  };
  var script = document.createElement("script");
  script.src = container.getAttribute("data-src");
  document.body.appendChild(script);

  function start(data) {
    var n = data.ids.length;
    var graph = new graphology.Graph({ multi: true, type: "directed" });
    var CLAIM = 0;
    for (var i = 0; i < n; i++) {
      var t = data.types[i];
      graph.addNode(String(i), {
        x: data.x[i],
        y: -data.y[i],
        size: data.sizes[i],
        label: data.labels[i],
        color: t === CLAIM ? data.levelColours[data.levels[i]] : data.nodeTypes[t].colour,
      });
    }
    // Which claims each article asserts (the article filter), each node's claim neighbours,
    // each node's edges and each edge's colour. Edges go into the drawn graph only when needed
    // (level of detail): all of them once zoomed in, a node's own while it is hovered.
    var articleOf = {};
    var claimNeighbours = new Array(n);
    var edgesOf = new Array(n);
    var m = data.edges.length / 3;
    var edgeColour = new Array(m);
    var ev = 0;
    for (var k = 0; k < m; k++) {
      var u = data.edges[3 * k], v = data.edges[3 * k + 1], kind = data.edges[3 * k + 2];
      edgeColour[k] = data.edgeKinds[kind] === "evidence" ?
        data.directionColours[data.evidence[ev++]] : data.edgeColours[kind];
      (edgesOf[u] = edgesOf[u] || []).push(k);
      (edgesOf[v] = edgesOf[v] || []).push(k);
      if (data.edgeKinds[kind] === "asserts") (articleOf[v] = articleOf[v] || []).push(u);
      if (data.types[u] === CLAIM && data.types[v] !== CLAIM) (claimNeighbours[v] = claimNeighbours[v] || []).push(u);
      if (data.types[v] === CLAIM && data.types[u] !== CLAIM) (claimNeighbours[u] = claimNeighbours[u] || []).push(v);
    }
    var allEdges = false;
    function addEdge(k) {
      var key = "e" + k;
      if (!graph.hasEdge(key)) {
        graph.addEdgeWithKey(key, String(data.edges[3 * k]), String(data.edges[3 * k + 1]),
          { color: edgeColour[k], size: 0.5 });
      }
    }
    function addAllEdges() {
      if (allEdges) return;
      allEdges = true;
      for (var k = 0; k < m; k++) addEdge(k);
    }
    performance.mark("kgraph:graph");

    var hidden = new Uint8Array(n);
    var found = null;
    var hovered = null;
    // A small graph shows its edges at every zoom.
    var fewEdges = m <= data.edgesAtAnyZoom;
    var showEdges = fewEdges;
    if (fewEdges) addAllEdges();

    var renderer = new Sigma(graph, container, {
      hideEdgesOnMove: true,
      labelRenderedSizeThreshold: 7,
      labelDensity: 0.5,
      defaultEdgeType: "line",
      zIndex: true,
      nodeReducer: function (node, attrs) {
        var i = +node;
        if (hidden[i]) return Object.assign({}, attrs, { hidden: true });
        if (found !== null) {
          if (found[i]) return Object.assign({}, attrs, { highlighted: true, zIndex: 1 });
          return Object.assign({}, attrs, { color: "#e5e7eb", label: "" });
        }
        return attrs;
      },
      edgeReducer: function (edge, attrs) {
        var ends = graph.extremities(edge);
        var near = hovered !== null && (ends[0] === hovered || ends[1] === hovered);
        if ((!showEdges && !near) || hidden[+ends[0]] || hidden[+ends[1]]) {
          return Object.assign({}, attrs, { hidden: true });
        }
        return near ? Object.assign({}, attrs, { size: 1.5 }) : attrs;
      },
    });
    state.renderer = renderer;
    state.graph = graph;
    performance.mark("kgraph:renderer");

    // Sigma draws in its constructor; the next frame shows it.
    window.requestAnimationFrame(function () {
      performance.mark("kgraph:drawn");
      state.ready = true;
      state.readyAt = performance.now();
      document.body.setAttribute("data-graph-ready", "1");
    });

    var camera = renderer.getCamera();
    camera.on("updated", function (s) {
      var wanted = fewEdges || s.ratio <= EDGE_RATIO;
      if (wanted !== showEdges) {
        showEdges = wanted;
        if (wanted && !allEdges) {
          addAllEdges();
          return; // adding edges refreshes
        }
        renderer.refresh({ skipIndexation: true });
      }
    });
    var hoverEdges = [];
    renderer.on("enterNode", function (e) {
      hovered = e.node;
      if (!allEdges) {
        (edgesOf[+e.node] || []).forEach(function (k) { addEdge(k); hoverEdges.push("e" + k); });
      } else {
        renderer.refresh({ skipIndexation: true });
      }
    });
    renderer.on("leaveNode", function () {
      hovered = null;
      if (!allEdges) {
        hoverEdges.splice(0).forEach(function (key) { if (graph.hasEdge(key)) graph.dropEdge(key); });
      } else {
        renderer.refresh({ skipIndexation: true });
      }
    });

    function href(i) { return data.nodeTypes[data.types[i]].folder + data.ids[i] + ".html"; }
    state.href = href;
    renderer.on("clickNode", function (e) { window.location.href = root + href(+e.node); });

    /* Filters: a claim shows when its level, kind and article are chosen; any other node when
     * it touches a claim that shows (or is the chosen article). */
    var articleSelect = document.getElementById("article-filter");
    var levelBoxes = Array.prototype.slice.call(document.querySelectorAll("input[name=level]"));
    var kindBoxes = Array.prototype.slice.call(document.querySelectorAll("input[name=kind]"));
    var articles = [];
    for (var a = 0; a < n; a++) if (data.types[a] === 1) articles.push(a);
    articles.sort(function (p, q) { return data.labels[p] < data.labels[q] ? -1 : data.labels[p] > data.labels[q] ? 1 : 0; });
    articles.forEach(function (i) {
      var option = el("option", "", data.labels[i]);
      option.value = String(i);
      articleSelect.appendChild(option);
    });

    function chosen(boxes) {
      var out = {};
      boxes.forEach(function (b) { if (b.checked) out[b.value] = true; });
      return out;
    }

    function applyFilters() {
      var levels = chosen(levelBoxes), kinds = chosen(kindBoxes);
      var article = articleSelect.value === "" ? -1 : +articleSelect.value;
      var active = article >= 0 || Object.keys(levels).length < levelBoxes.length ||
        Object.keys(kinds).length < kindBoxes.length;
      for (var i = 0; i < n; i++) {
        if (data.types[i] !== CLAIM) continue;
        var ok = !active || (levels[data.levelValues[data.levels[i]]] === true &&
          kinds[data.claimKindValues[data.claimKinds[i]]] === true &&
          (article < 0 || (articleOf[i] || []).indexOf(article) >= 0));
        hidden[i] = ok ? 0 : 1;
      }
      for (var j = 0; j < n; j++) {
        if (data.types[j] === CLAIM) continue;
        var around = claimNeighbours[j] || [];
        hidden[j] = !active || j === article || around.some(function (c) { return !hidden[c]; }) ? 0 : 1;
      }
      renderer.refresh({ skipIndexation: true });
    }
    state.applyFilters = applyFilters;
    state.hidden = hidden;
    articleSelect.addEventListener("change", applyFilters);
    levelBoxes.concat(kindBoxes).forEach(function (b) { b.addEventListener("change", applyFilters); });

    /* Search over the shards, each indexed by MiniSearch when it arrives. */
    // A search entry's key is its record kind and id, as the shards name it.
    var position = {};
    for (var p = 0; p < n; p++) {
      var record = data.nodeTypes[data.types[p]].folder.replace("/", "");
      position[record + ":" + data.ids[p]] = p;
    }
    var shards = [];
    var asked = false;
    var searchBox = document.getElementById("search");
    var results = document.getElementById("search-results");
    var shardDir = container.getAttribute("data-shards");
    var loaded = 0;

    window.kgraphSearchShard = function (k, docs) {
      var index = new MiniSearch({
        idField: "key",
        fields: ["label", "text", "more"],
        storeFields: ["k", "label", "href"],
        searchOptions: { prefix: true, combineWith: "AND", boost: { label: 2 } },
      });
      index.addAll(docs);
      shards[k] = index;
      loaded += 1;
      showResults();
      if (loaded === data.shards) performance.mark("kgraph:search-complete");
    };

    function loadShard(k) {
      var tag = document.createElement("script");
      tag.src = shardDir + k + ".js";
      document.body.appendChild(tag);
    }

    function search(query) {
      if (!query.trim()) return [];
      var hits = [];
      shards.forEach(function (index) { if (index) hits = hits.concat(index.search(query)); });
      hits.sort(function (x, y) { return (y.score - x.score) || (x.label < y.label ? -1 : x.label > y.label ? 1 : 0); });
      return hits;
    }
    state.search = search;

    function showResults() {
      var query = searchBox.value;
      var hits = search(query);
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
      if (query.trim() && !hits.length && loaded === data.shards) results.appendChild(el("li", "none", "nothing found"));
      if (query.trim() && loaded < data.shards) results.appendChild(el("li", "more", "searching " + loaded + " of " + data.shards + " parts of the index…"));
      if (hits.length && !state.firstResultsAt) {
        state.firstResultsAt = performance.now();
        performance.mark("kgraph:first-results");
      }
      // Redrawing every node is what costs in a big graph: the list above follows each shard,
      // the graph's highlight only the first hits and the complete ones.
      var complete = loaded === data.shards;
      var shown = hits.length > 0;
      if (!complete && shown === highlighted && !(query.trim() === "" && found !== null)) return;
      highlighted = shown;
      found = null;
      if (query.trim()) {
        found = new Uint8Array(n);
        hits.forEach(function (h) { var i = position[h.id]; if (i !== undefined) found[i] = 1; });
      }
      renderer.refresh({ skipIndexation: true });
    }
    var highlighted = false;

    searchBox.addEventListener("input", function () {
      if (!asked) {
        // Every shard at once: each is indexed as it arrives, and answers from then on.
        asked = true;
        for (var k = 0; k < data.shards; k++) loadShard(k);
      }
      showResults();
    });
    searchBox.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var hits = search(searchBox.value);
      if (hits.length) window.location.href = root + hits[0].href;
    });
  }
})();
