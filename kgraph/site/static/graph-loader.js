/* kgraph graph pages: loads the graph's data file, then graph.js, which draws it. The home page
 * names its data file (data-src); the shared neighbourhood viewer takes the record id from the
 * address (?id=) and loads that record's file from data-dir. Both are <script> elements run in
 * order (async = false), so the page opens from file:// with no server. */
(function () {
  "use strict";

  performance.mark("kgraph:start");
  var container = document.getElementById("graph");
  var SLUG = /^[a-z0-9][a-z0-9-]*[a-z0-9]$/;

  function fail(text) {
    var note = document.getElementById("view-note");
    note.textContent = text;
    note.hidden = false;
    window.kgraph = { ready: false, failed: text };
    document.body.setAttribute("data-graph-ready", "0");
  }

  var src = container.getAttribute("data-src");
  if (!src) {
    var id = new URLSearchParams(window.location.search).get("id") || "";
    if (!SLUG.test(id)) {
      fail("Open this page from a source's or an entity's page: it draws that record's neighbourhood.");
      return;
    }
    src = container.getAttribute("data-dir") + id + ".js";
  }
  [src, container.getAttribute("data-viewer")].forEach(function (path) {
    var tag = document.createElement("script");
    tag.src = path;
    tag.async = false;
    if (path === src) tag.onerror = function () { fail("No graph here: " + src + " is missing."); };
    document.body.appendChild(tag);
  });
})();
