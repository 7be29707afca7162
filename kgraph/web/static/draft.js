// The "Check a draft" page of `kgraph serve`: send the draft to /api/v1/draft and show each
// sentence beside its verdict and evidence. Every text from the draft or the corpus is set with
// textContent, never parsed as HTML.
(function () {
  "use strict";
  var API = "/api/v1";
  var form = document.getElementById("draft-form");
  var area = document.getElementById("draft-text");
  var file = document.getElementById("draft-file");
  var format = document.getElementById("draft-format");
  var status = document.getElementById("draft-status");
  var summary = document.getElementById("draft-summary");
  var results = document.getElementById("draft-results");
  var maxBytes = Number(form.getAttribute("data-max-bytes")) || 1000000;
  var CITE_FORMATS = [["bibtex", "BibTeX"], ["csl-json", "CSL-JSON"], ["markdown", "Markdown"]];

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function slug(verdict) { return String(verdict).replace(/[^a-z]+/gi, "-"); }

  function say(message, isError) {
    status.textContent = message;
    status.className = "draft-status" + (isError ? " error" : "");
  }

  // A Markdown reference line as plain text: links as their words, no emphasis marks.
  function plain(markdown) {
    return String(markdown).replace(/\[([^\]]+)\]\([^)]*\)/g, "$1").replace(/\*([^*]+)\*/g, "$1")
      .replace(/<([^>]+)>/g, "$1");
  }

  function badge(verdict) { return el("span", "verdict verdict-" + slug(verdict), verdict); }

  function levelBadge(level, name) {
    var span = el("span", "level lv-" + (level || "none"));
    span.appendChild(el("span", "swatch"));
    span.appendChild(document.createTextNode(name || "no level"));
    return span;
  }

  async function getJSON(url, options) {
    var response = await fetch(url, options);
    var body;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) {
      var message = body && body.error ? body.error.message : "the server answered " + response.status;
      throw new Error(message);
    }
    return body;
  }

  async function copy(text, box, note) {
    try {
      await navigator.clipboard.writeText(text);
      note.textContent = "copied";
    } catch (e) {
      box.focus();
      box.select();
      note.textContent = document.execCommand && document.execCommand("copy")
        ? "copied" : "select the text and copy it";
    }
  }

  function citeBox(claim, citations) {
    var box = el("div", "cite-box");
    var row = el("div", "cite-row");
    var label = el("label", null, "Cite as ");
    var select = el("select", "cite-format");
    CITE_FORMATS.forEach(function (f) {
      var option = el("option", null, f[1]);
      option.value = f[0];
      select.appendChild(option);
    });
    label.appendChild(select);
    var button = el("button", "cite-copy", "Copy");
    button.type = "button";
    var note = el("span", "copied");
    note.setAttribute("role", "status");
    row.appendChild(label);
    row.appendChild(button);
    row.appendChild(note);
    var text = el("textarea", "cite-text");
    text.readOnly = true;
    text.rows = 4;
    text.setAttribute("aria-label", "references to copy");
    box.appendChild(row);
    box.appendChild(text);
    function load() {
      note.textContent = "";
      text.value = (citations[claim] || {})[select.value] || "";
    }
    select.addEventListener("change", load);
    button.addEventListener("click", function () { copy(text.value, text, note); });
    load();
    return box;
  }

  function sentenceItem(s, citations) {
    var li = el("li", "sentence verdict-row-" + slug(s.verdict));
    var said = el("div", "said");
    said.appendChild(el("span", "line", "line " + s.line));
    said.appendChild(badge(s.verdict));
    said.appendChild(el("q", "text", s.text));
    li.appendChild(said);
    var ev = el("div", "evidence");
    if (s.claim) {
      var claim = el("p", "claim");
      var link = el("a", "claim-link", s.statement);
      link.href = s.claim_url;
      claim.appendChild(link);
      ev.appendChild(claim);
      var badges = el("p", "badges");
      badges.appendChild(levelBadge(s.level, s.level_name));
      if (s.direction) badges.appendChild(el("span", "direction dir-" + slug(s.direction), s.direction));
      badges.appendChild(el("span", "score", "match " + Math.round(s.score)));
      ev.appendChild(badges);
    }
    ev.appendChild(el("p", "reason", s.reason));
    if (s.why && s.why.length) {
      var why = el("details", "why");
      why.appendChild(el("summary", null, "why it matched"));
      var list = el("ul");
      s.why.forEach(function (w) { list.appendChild(el("li", null, w)); });
      why.appendChild(list);
      ev.appendChild(why);
    }
    if (s.suggestion) {
      var sug = el("div", "suggestion");
      sug.appendChild(el("span", null, "Suggested wording: "));
      sug.appendChild(el("span", "wording", s.suggestion));
      var useIt = el("button", "copy-suggestion", "Copy");
      useIt.type = "button";
      var done = el("span", "copied");
      useIt.addEventListener("click", function () { copy(s.suggestion, useIt, done); });
      sug.appendChild(document.createTextNode(" "));
      sug.appendChild(useIt);
      sug.appendChild(done);
      ev.appendChild(sug);
    }
    if (s.references && s.references.length) {
      ev.appendChild(el("p", "refs-title", "References to cite:"));
      var refs = el("ul", "references");
      s.references.forEach(function (r) {
        var item = el("li", "reference");
        item.appendChild(el("strong", null, r.label));
        item.appendChild(document.createTextNode(" (" + r.direction + "): " + plain(r.reference)));
        refs.appendChild(item);
      });
      ev.appendChild(refs);
      if (citations[s.claim]) ev.appendChild(citeBox(s.claim, citations));
    }
    li.appendChild(ev);
    return li;
  }

  function show(report) {
    results.textContent = "";
    summary.textContent = "";
    var counts = report.summary;
    Object.keys(counts).forEach(function (key) {
      if (key === "sentences" || !counts[key]) return;
      var b = badge(key);
      b.textContent = key + ": " + counts[key];
      summary.appendChild(b);
    });
    summary.hidden = false;
    report.sentences.forEach(function (s) { results.appendChild(sentenceItem(s, report.citations || {})); });
    say(counts.sentences + " sentence" + (counts.sentences === 1 ? "" : "s") + " checked", false);
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    var text = area.value;
    if (!text.trim()) { say("Paste or upload a draft first.", true); return; }
    if (new Blob([text]).size > maxBytes) {
      say("The draft is over the server's limit of " + maxBytes + " bytes.", true);
      return;
    }
    say("Checking…", false);
    try {
      var report = await getJSON(API + "/draft", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text: text, format: format.value })
      });
      show(report);
    } catch (e) {
      results.textContent = "";
      summary.hidden = true;
      say(e.message, true);
    }
  });

  file.addEventListener("change", function () {
    var chosen = file.files && file.files[0];
    if (!chosen) return;
    if (chosen.size > maxBytes) { say(chosen.name + " is over " + maxBytes + " bytes.", true); return; }
    var reader = new FileReader();
    reader.onload = function () {
      area.value = String(reader.result);
      format.value = /\.(md|markdown)$/i.test(chosen.name) ? "markdown" : "text";
      say("Read " + chosen.name + ": press Check the draft.", false);
    };
    reader.onerror = function () { say("Could not read " + chosen.name + ".", true); };
    reader.readAsText(chosen);
  });
}());
