/* kgraph tables: any table.sortable sorts by a column (click its heading); the claims table also
 * filters by words, level, kind and article. Works on the rows already in the page; reads only
 * data-* attributes and text. */
(function () {
  "use strict";

  /* Every table.sortable sorts by a column when its heading's button is clicked. */
  function sortable(table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    function value(row, col, numeric) {
      var raw = row.cells[col].getAttribute("data-value") || "";
      return numeric ? Number(raw) : raw.toLowerCase();
    }
    function sortBy(col) {
      var head = heads[col];
      var numeric = head.getAttribute("data-sort") === "number";
      var ascending = head.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      head.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var order = rows.map(function (row, i) { return [value(row, col, numeric), i, row]; });
      order.sort(function (a, b) {
        var cmp = a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1];
        return ascending ? cmp : -cmp;
      });
      order.forEach(function (item) { body.appendChild(item[2]); });
    }
    heads.forEach(function (head, col) {
      var button = head.querySelector("button");
      if (button) button.addEventListener("click", function () { sortBy(col); });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), sortable);

  /* The claims table's filters. */
  var table = document.getElementById("claims-table");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById("filter-text");
  var level = document.getElementById("filter-level");
  var kind = document.getElementById("filter-kind");
  var article = document.getElementById("filter-article");
  var count = document.getElementById("shown-count");

  // A row's words: its text, and the names and synonyms of the entities it is about.
  rows.forEach(function (row) {
    var words = row.textContent + " " + (row.getAttribute("data-words") || "");
    row.setAttribute("data-text", words.toLowerCase());
  });

  function applyFilters() {
    var words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var ok = words.every(function (w) { return row.getAttribute("data-text").indexOf(w) >= 0; }) &&
        (!level.value || row.getAttribute("data-level") === level.value) &&
        (!kind.value || row.getAttribute("data-kind") === kind.value) &&
        (!article.value || row.getAttribute("data-articles").split(" ").indexOf(article.value) >= 0);
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown + " shown";
  }

  [text, level, kind, article].forEach(function (input) {
    input.addEventListener("input", applyFilters);
    input.addEventListener("change", applyFilters);
  });
  document.getElementById("table-filters").addEventListener("submit", function (event) {
    event.preventDefault();
  });
})();
