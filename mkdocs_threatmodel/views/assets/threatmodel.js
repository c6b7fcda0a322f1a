/* mkdocs-threatmodel: sortable tables. Select a column heading to sort by it. */
(function () {
  "use strict";

  function key(cell) {
    if (!cell) return "";
    var value = cell.getAttribute("data-sort");
    if (value === null) value = cell.textContent.trim();
    var number = Number(value);
    return value !== "" && !isNaN(number) ? number : value.toLowerCase();
  }

  function setup(root) {
    var tables = root.querySelectorAll("table[data-tm-sortable]");
    Array.prototype.forEach.call(tables, function (table) {
      if (table.getAttribute("data-tm-ready") || !table.tHead || !table.tBodies.length) return;
      table.setAttribute("data-tm-ready", "1");
      var heads = table.tHead.rows[0].cells;
      Array.prototype.forEach.call(heads, function (th, column) {
        th.classList.add("tm-sortable");
        th.setAttribute("tabindex", "0");
        th.setAttribute("aria-sort", "none");
        function sort() {
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          Array.prototype.forEach.call(heads, function (other) {
            other.setAttribute("aria-sort", "none");
          });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = key(a.cells[column]);
            var y = key(b.cells[column]);
            if (typeof x !== typeof y) {
              x = String(x);
              y = String(y);
            }
            return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
          });
          rows.forEach(function (row) { body.appendChild(row); });
        }
        th.addEventListener("click", sort);
        th.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            sort();
          }
        });
      });
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { setup(document); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setup(document); });
  } else {
    setup(document);
  }
})();

/* print: folded sections (the elements and flows) are printed open, then folded again. */
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details.tm-items"),
                                         function (el) { return !el.open; });
    opened.forEach(function (el) { el.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (el) { el.open = false; });
    opened = [];
  });
})();
