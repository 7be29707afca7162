/* kgraph audit pages: filter the grouped findings by severity, code and words; expand or collapse
 * every group. Reads only data-* attributes, classes and text already in the page. */
(function () {
  "use strict";
  var form = document.querySelector("form.audit-filters");
  if (!form) return;
  var groups = Array.prototype.slice.call(document.querySelectorAll("details.finding-group"));
  var count = form.querySelector("output.shown-count");
  var total = document.querySelectorAll("li.finding").length;

  function severityOf(item) {
    var m = /(?:^|\s)sev-(\S+)/.exec(item.className);
    return m ? m[1] : "";
  }

  function apply() {
    var sevs = {};
    var boxes = form.querySelectorAll("input[name=sev]");
    Array.prototype.forEach.call(boxes, function (box) { sevs[box.value] = box.checked; });
    var codeBox = form.querySelector("select[name=code]");
    var code = codeBox ? codeBox.value : "";
    var words = form.querySelector("input[name=words]").value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    groups.forEach(function (group) {
      var title = group.querySelector("summary").textContent.toLowerCase();
      var visible = 0;
      Array.prototype.forEach.call(group.querySelectorAll("li.finding"), function (item) {
        var text = title + " " + item.textContent.toLowerCase();
        var ok = (boxes.length === 0 || sevs[severityOf(item)]) &&
          (!code || (" " + item.getAttribute("data-codes") + " ").indexOf(" " + code + " ") >= 0) &&
          words.every(function (w) { return text.indexOf(w) >= 0; });
        item.hidden = !ok;
        if (ok) visible += 1;
      });
      group.hidden = visible === 0;
      shown += visible;
    });
    count.textContent = shown === total ? total + (total === 1 ? " finding" : " findings")
      : shown + " of " + total + " findings shown";
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  Array.prototype.forEach.call(form.querySelectorAll("button[data-open]"), function (button) {
    button.addEventListener("click", function () {
      var open = button.getAttribute("data-open") === "1";
      groups.forEach(function (group) { if (!group.hidden) group.open = open; });
    });
  });
})();
