// Renders the TeX in elements marked data-math with KaTeX; without JavaScript the TeX stays.
// Loaded with defer after katex.min.js and auto-render.min.js, so both are defined here.
(function () {
  "use strict";
  if (typeof renderMathInElement !== "function") {
    return;
  }
  var options = {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "\\[", right: "\\]", display: true },
      { left: "\\(", right: "\\)", display: false },
      { left: "$", right: "$", display: false }
    ],
    // A formula KaTeX cannot parse stays as its source text instead of breaking the page.
    throwOnError: false,
    ignoredTags: ["script", "noscript", "style", "textarea", "pre", "code", "option"],
    // A dollar sign that is no formula (papers/tex.py writes \$ so).
    ignoredClasses: ["no-math"]
  };
  document.querySelectorAll("[data-math]").forEach(function (element) {
    renderMathInElement(element, options);
  });
})();
