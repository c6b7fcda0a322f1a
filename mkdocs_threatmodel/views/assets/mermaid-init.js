/* mkdocs-threatmodel: keep Mermaid at securityLevel "strict" whoever initialises it, and,
   on themes without Mermaid support (data-tm-render="self"), draw the diagrams.

   Colours follow the page's palette: our diagrams' class definitions name colours for
   renderers that know nothing of this file; here those colours are taken out and the
   nodes are painted by CSS that reads the page's custom properties (--tm-dfd-*, set per
   Material colour scheme in threatmodel.css). Custom properties reach into the diagram's
   shadow root, so a palette toggle repaints it at once. Diagrams we draw ourselves are
   drawn again, with Mermaid's dark or default theme, when the scheme changes.

   Each diagram gets an "Enlarge" button (a <dialog> to zoom and pan) and an SVG download. */
(function () {
  "use strict";
  var script = document.currentScript;
  var mode = script ? script.getAttribute("data-tm-render") : "theme";
  var mermaid = window.mermaid;
  if (!mermaid || typeof mermaid.initialize !== "function") return;

  var KINDS = ["External", "Process", "Store", "OutOfScope"];
  var THEME_CSS = KINDS.map(function (kind) {
    var key = kind === "OutOfScope" ? "aside" : kind.toLowerCase();
    var fallback = { external: ["#eceff1", "#455a64", "#1c2529"],
                     process: ["#e3f2fd", "#1565c0", "#0d2a4d"],
                     store: ["#fff8e1", "#a86b00", "#3d2a00"],
                     aside: ["#fafafa", "#9e9e9e", "#616161"] }[key];
    var node = ".node.tm" + kind;
    return node + " .label-container, " + node + " .label-container path {" +
      "fill: var(--tm-dfd-" + key + "-bg, " + fallback[0] + ") !important;" +
      "stroke: var(--tm-dfd-" + key + "-line, " + fallback[1] + ") !important; }" +
      node + " .nodeLabel, " + node + " .nodeLabel p, " + node + " .label {" +
      "color: var(--tm-dfd-" + key + "-fg, " + fallback[2] + ") !important; }";
  }).join("\n") +
    "\n.node.tmHot .label-container, .node.tmHot .label-container path {" +
    "stroke: var(--tm-dfd-hot, #c62828) !important; }" +
    "\n.cluster.tmBoundary rect { fill: transparent !important;" +
    "stroke: var(--tm-dfd-boundary-line, #7b1fa2) !important; }" +
    "\n.cluster.tmBoundary .nodeLabel, .cluster.tmBoundary .nodeLabel p {" +
    "color: var(--tm-dfd-boundary-fg, #4a148c) !important; }";
  var OUR_CLASS = /^(\s*classDef\s+tm(?:External|Process|Store|Hot|OutOfScope|Boundary)\s+)(.*)$/;
  var KEEP = /^(stroke-width|stroke-dasharray)$/;

  /* The source with the colours of our class definitions taken out (CSS paints them). */
  function themed(source) {
    return source.split("\n").map(function (line) {
      var match = OUR_CLASS.exec(line);
      if (!match) return line;
      var kept = match[2].split(",").filter(function (part) {
        return KEEP.test(part.split(":")[0].trim());
      });
      return match[1] + (kept.length ? kept.join(",") : "stroke-width:1.5px");
    }).join("\n");
  }

  if (!mermaid.__tmStrict) {
    var initialize = mermaid.initialize;
    mermaid.initialize = function (config) {
      var given = config || {};
      var settings = Object.assign({}, given, {
        securityLevel: "strict",
        startOnLoad: false,
        themeCSS: (given.themeCSS || "") + "\n" + THEME_CSS
      });
      return initialize.call(mermaid, settings);
    };
    var render = mermaid.render;
    mermaid.render = function (id, source) {
      var rest = Array.prototype.slice.call(arguments, 2);
      var figure = claim(source);
      return render.apply(mermaid, [id, themed(source)].concat(rest)).then(function (result) {
        if (figure) equip(figure, result.svg);
        return result;
      });
    };
    mermaid.__tmStrict = true;
    mermaid.initialize({});
  }

  /* The .tm-diagram whose (still unrendered) block holds this source, if any. */
  function claim(source) {
    var figures = document.querySelectorAll(".tm-diagram:not([data-tm-claimed])");
    for (var i = 0; i < figures.length; i++) {
      var pre = figures[i].querySelector("pre.mermaid");
      if (pre && pre.textContent === source) {
        figures[i].setAttribute("data-tm-claimed", "");
        return figures[i];
      }
    }
    return null;
  }

  /* The SVG as a file of its own: the custom properties it reads, resolved on the page. */
  function standalone(figure, svg) {
    var style = getComputedStyle(figure);
    var names = {};
    svg.replace(/var\((--[\w-]+)/g, function (_, name) { names[name] = true; return _; });
    var values = Object.keys(names).map(function (name) {
      return name + ":" + style.getPropertyValue(name).trim();
    }).filter(function (pair) { return !/:$/.test(pair); });
    var background = "";
    for (var el = figure; el; el = el.parentElement) {
      var bg = getComputedStyle(el).backgroundColor;
      if (bg && bg !== "transparent" && !/rgba\(.*,\s*0\)$/.test(bg)) { background = bg; break; }
    }
    values.push("background:" + (background || "#fff"));
    var text = svg.replace(/<svg\b([^>]*?)\sstyle="([^"]*)"/, function (_, attrs, css) {
      return "<svg" + attrs + ' style="' + css + ";" + values.join(";") + '"';
    });
    if (!/^<\?xml/.test(text)) text = '<?xml version="1.0" encoding="UTF-8"?>\n' + text;
    return text;
  }

  function equip(figure, svg) {
    var tools = figure.nextElementSibling;
    if (!tools || !tools.classList.contains("tm-diagram-tools")) {
      tools = document.createElement("div");
      tools.className = "tm-diagram-tools";
      var open = document.createElement("button");
      open.type = "button";
      open.className = "tm-diagram-enlarge";
      open.textContent = "Enlarge diagram";
      var save = document.createElement("a");
      save.className = "tm-diagram-download";
      save.textContent = "Download SVG";
      save.download = (figure.getAttribute("data-tm-name") || "diagram") + "-data-flow.svg";
      tools.appendChild(open);
      tools.appendChild(save);
      figure.insertAdjacentElement("afterend", tools);
      open.addEventListener("click", function () { enlarge(figure.__tmSvg, open); });
    }
    figure.__tmSvg = svg;
    var link = tools.querySelector(".tm-diagram-download");
    link.onclick = function () {  /* resolved when clicked: the palette may have changed */
      var old = link.getAttribute("href");
      if (old) URL.revokeObjectURL(old);
      link.href = URL.createObjectURL(new Blob([standalone(figure, figure.__tmSvg)],
                                               { type: "image/svg+xml" }));
    };
    link.href = URL.createObjectURL(new Blob([standalone(figure, svg)],
                                             { type: "image/svg+xml" }));
  }

  /* One dialog for the page: the diagram at its natural size times a zoom, panned by
     scrolling or dragging. */
  var dialog = null;
  var zoom = 1;
  function enlarge(svg, opener) {
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "tm-zoom";
      dialog.setAttribute("aria-label", "Data flow diagram, enlarged");
      dialog.innerHTML = '<div class="tm-zoom-bar">' +
        '<button type="button" data-tm-zoom="in">Zoom in</button>' +
        '<button type="button" data-tm-zoom="out">Zoom out</button>' +
        '<button type="button" data-tm-zoom="fit">Fit</button>' +
        '<button type="button" data-tm-zoom="close">Close</button></div>' +
        '<div class="tm-zoom-view" tabindex="0"></div>';
      document.body.appendChild(dialog);
      dialog.addEventListener("click", function (event) {
        var action = event.target.getAttribute && event.target.getAttribute("data-tm-zoom");
        if (action === "close" || event.target === dialog) dialog.close();
        else if (action === "in") scale(zoom * 1.4);
        else if (action === "out") scale(zoom / 1.4);
        else if (action === "fit") scale(0);
      });
      dialog.addEventListener("close", function () {
        if (dialog.__tmOpener) dialog.__tmOpener.focus();
      });
      pan(dialog.querySelector(".tm-zoom-view"));
    }
    dialog.__tmOpener = opener;
    dialog.querySelector(".tm-zoom-view").innerHTML = svg;
    dialog.showModal();
    var view = dialog.querySelector(".tm-zoom-view");
    scale(1);
    view.scrollLeft = (view.scrollWidth - view.clientWidth) / 2;
    view.scrollTop = 0;
  }

  function scale(factor) {
    var view = dialog.querySelector(".tm-zoom-view");
    var svg = view.querySelector("svg");
    if (!svg) return;
    var box = svg.viewBox && svg.viewBox.baseVal;
    var natural = box && box.width ? box.width : svg.getBoundingClientRect().width;
    if (!factor) factor = Math.min(1, (view.clientWidth - 16) / natural);
    /* keep the point at the middle of the view where it is */
    var x = (view.scrollLeft + view.clientWidth / 2) / Math.max(1, view.scrollWidth);
    var y = (view.scrollTop + view.clientHeight / 2) / Math.max(1, view.scrollHeight);
    zoom = Math.max(0.2, Math.min(6, factor));
    svg.style.maxWidth = "none";
    svg.setAttribute("width", String(Math.round(natural * zoom)));
    if (box && box.height) svg.setAttribute("height", String(Math.round(box.height * zoom)));
    view.scrollLeft = x * view.scrollWidth - view.clientWidth / 2;
    view.scrollTop = y * view.scrollHeight - view.clientHeight / 2;
  }

  function pan(view) {
    var start = null;
    view.addEventListener("pointerdown", function (event) {
      start = { x: event.clientX, y: event.clientY, left: view.scrollLeft, top: view.scrollTop };
      view.setPointerCapture(event.pointerId);
    });
    view.addEventListener("pointermove", function (event) {
      if (!start) return;
      view.scrollLeft = start.left - (event.clientX - start.x);
      view.scrollTop = start.top - (event.clientY - start.y);
    });
    view.addEventListener("pointerup", function () { start = null; });
    view.addEventListener("pointercancel", function () { start = null; });
  }

  if (mode !== "self") return;

  function scheme() {
    var body = document.body;
    return body && body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "default";
  }

  var counter = 0;
  var drawn = [];
  function drawOne(box, source) {
    var id = "tm-mermaid-" + counter++;
    return mermaid.render(id, source).then(function (result) {
      box.innerHTML = result.svg;
    }, function (error) {
      box.classList.add("tm-mermaid-error");
      console.error("mkdocs-threatmodel: a diagram could not be drawn", error);
    });
  }
  function draw() {
    mermaid.initialize({ theme: scheme(), fontFamily: "inherit" });
    var blocks = document.querySelectorAll("pre.mermaid");
    Array.prototype.forEach.call(blocks, function (pre) {
      var source = pre.textContent;
      var box = document.createElement("div");
      box.className = "tm-mermaid";
      drawn.push({ box: box, source: source });
      drawOne(box, source).then(function () {
        if (box.firstChild) pre.replaceWith(box);
        else pre.classList.add("tm-mermaid-error");
      });
    });
    if (window.MutationObserver && document.body) {
      var current = scheme();
      new MutationObserver(function () {
        if (scheme() === current) return;
        current = scheme();
        mermaid.initialize({ theme: current, fontFamily: "inherit" });
        drawn.forEach(function (item) {
          var figure = item.box.closest(".tm-diagram");
          if (figure) figure.removeAttribute("data-tm-claimed");
          redraw(item, figure);
        });
      }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    }
  }
  /* Drawn again in the current theme: claim() finds the figure by its source, so a
     stand-in block holds the source while Mermaid draws. */
  function redraw(item, figure) {
    var pre = document.createElement("pre");
    pre.className = "mermaid";
    pre.hidden = true;
    pre.textContent = item.source;
    if (figure) figure.appendChild(pre);
    drawOne(item.box, item.source).then(function () { pre.remove(); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
