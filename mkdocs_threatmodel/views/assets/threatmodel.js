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

  /* Run setup(document) on every page: each instant navigation of Material, else once. */
  function onPage(setup) {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(function () { setup(document); });
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { setup(document); });
    } else {
      setup(document);
    }
  }
  window.threatmodelOnPage = onPage;
  onPage(setup);
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

/* == the register as a tool =============================================================
   Filters (model, owner, status, STRIDE letter, risk band) hide rows; "Download CSV"
   saves the rows shown, as shown. Sorting is the sortable table's, above. */
(function () {
  "use strict";

  function text(cell) {
    return (cell.innerText || cell.textContent || "").replace(/\s+/g, " ").trim();
  }

  function csvField(value) {
    if (/^[=+\-@\t\r]/.test(value)) value = "'" + value; // never a spreadsheet formula
    return /[",\r\n]/.test(value) ? '"' + value.replace(/"/g, '""') + '"' : value;
  }

  function csv(table) {
    var lines = [Array.prototype.map.call(table.tHead.rows[0].cells, text)];
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      if (!row.hidden) lines.push(Array.prototype.map.call(row.cells, text));
    });
    return lines.map(function (cells) { return cells.map(csvField).join(","); })
      .join("\r\n") + "\r\n";
  }

  function setup(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-tm-register]"), function (tools) {
      var next = tools.nextElementSibling;
      var table = next && next.querySelector("table");
      if (tools.getAttribute("data-tm-ready") || !table || !table.tBodies.length) return;
      tools.setAttribute("data-tm-ready", "1");
      tools.hidden = false;
      var selects = tools.querySelectorAll("select[data-tm-filter]");
      var shown = tools.querySelector(".tm-register-shown");
      function apply() {
        var rows = table.tBodies[0].rows;
        var count = 0;
        Array.prototype.forEach.call(rows, function (row) {
          var keep = Array.prototype.every.call(selects, function (select) {
            var want = select.value;
            var have = row.getAttribute("data-" + select.getAttribute("data-tm-filter")) || "";
            return !want || (select.getAttribute("data-tm-filter") === "stride"
              ? have.split(" ").indexOf(want) >= 0 : have === want);
          });
          row.hidden = !keep;
          if (keep) count += 1;
        });
        shown.textContent = count + " of " + rows.length + " rows";
      }
      Array.prototype.forEach.call(selects, function (select) {
        select.addEventListener("change", apply);
      });
      tools.querySelector(".tm-register-csv").addEventListener("click", function () {
        var blob = new Blob([csv(table)], {type: "text/csv;charset=utf-8"});
        var link = document.createElement("a");
        link.href = URL.createObjectURL(blob);
        link.download = "threat-register.csv";
        document.body.appendChild(link);
        link.click();
        setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
      });
      apply();
    });
  }

  window.threatmodelOnPage(setup);
})();
