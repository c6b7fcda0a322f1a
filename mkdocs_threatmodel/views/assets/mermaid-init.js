/* mkdocs-threatmodel: keep Mermaid at securityLevel "strict" whoever initialises it, and,
   on themes without Mermaid support (data-tm-render="self"), draw the diagrams. */
(function () {
  "use strict";
  var script = document.currentScript;
  var mode = script ? script.getAttribute("data-tm-render") : "theme";
  var mermaid = window.mermaid;
  if (!mermaid || typeof mermaid.initialize !== "function") return;

  if (!mermaid.__tmStrict) {
    var initialize = mermaid.initialize;
    mermaid.initialize = function (config) {
      var settings = Object.assign({}, config || {}, {
        securityLevel: "strict",
        startOnLoad: false
      });
      return initialize.call(mermaid, settings);
    };
    mermaid.__tmStrict = true;
    mermaid.initialize({});
  }
  if (mode !== "self") return;

  var counter = 0;
  function draw() {
    mermaid.initialize({ theme: "default", fontFamily: "inherit" });
    var blocks = document.querySelectorAll("pre.mermaid");
    Array.prototype.forEach.call(blocks, function (pre) {
      var source = pre.textContent;
      var id = "tm-mermaid-" + counter++;
      mermaid.render(id, source).then(function (result) {
        var box = document.createElement("div");
        box.className = "tm-mermaid";
        box.innerHTML = result.svg;
        pre.replaceWith(box);
      }, function (error) {
        pre.classList.add("tm-mermaid-error");
        console.error("mkdocs-threatmodel: a diagram could not be drawn", error);
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
