// The HTML report's own script: draws each chart from its Vega-Lite spec with vega-embed
// (inlined above), and filters the reflections by the search box. No library of its own.
(function () {
  "use strict";

  var drawn = [];
  document.querySelectorAll("[data-chart]").forEach(function (box) {
    var spec = JSON.parse(document.getElementById(box.getAttribute("data-chart")).textContent);
    // ast: Vega's expression interpreter, so nothing is evaluated with eval (the page's CSP forbids it).
    drawn.push(vegaEmbed(box, spec, { mode: "vega-lite", actions: false, renderer: "svg", ast: true })
      .then(function () { box.setAttribute("data-rendered", "svg"); },
        function (error) {
          box.setAttribute("data-rendered", "error");
          box.textContent = "This chart could not be drawn (" + error.message + "); the table has its numbers.";
        }));
  });
  Promise.all(drawn).then(function () { document.documentElement.setAttribute("data-charts", "done"); });

  var search = document.getElementById("reflection-search");
  if (!search) { return; }
  var texts = Array.prototype.slice.call(document.querySelectorAll(".reflection .text"));
  var count = document.getElementById("reflection-count");

  function filter() {
    var words = search.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    texts.forEach(function (item) {
      var content = item.textContent.toLocaleLowerCase();
      var match = words.every(function (word) { return content.indexOf(word) !== -1; });
      item.hidden = !match;
      if (match) { shown += 1; }
    });
    document.querySelectorAll(".reflection").forEach(function (article) {
      var none = article.querySelector(".no-match");
      if (none) { none.hidden = article.querySelector(".text:not([hidden])") !== null; }
    });
    count.textContent = words.length ? shown + " of " + texts.length + " texts match." : texts.length + " texts.";
  }
  search.addEventListener("input", filter);
  filter();
}());
