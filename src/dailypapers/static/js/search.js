// Search as you type, on top of htmx: typesets math in swapped-in results, tells screen
// readers the new count, keeps typed text for the back button, and keeps empty filter
// fields out of submitted addresses.
// Without JavaScript (or without this file) the search form still submits normally.
(function () {
  "use strict";

  // The same delimiters as js/math.js, which only sees the page as first loaded.
  var mathOptions = {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "\\[", right: "\\]", display: true },
      { left: "\\(", right: "\\)", display: false },
      { left: "$", right: "$", display: false }
    ],
    throwOnError: false,
    ignoredTags: ["script", "noscript", "style", "textarea", "pre", "code", "option"]
  };

  function typesetMath(root) {
    if (typeof renderMathInElement !== "function") {
      return;
    }
    root.querySelectorAll("[data-math]").forEach(function (element) {
      renderMathInElement(element, mathOptions);
    });
  }

  function announceCount() {
    var status = document.getElementById("search-status");
    var count = document.getElementById("search-count");
    if (status) {
      status.textContent = count ? count.textContent.replace(/\s+/g, " ").trim() : "";
    }
  }

  document.body.addEventListener("htmx:afterSettle", function (event) {
    typesetMath(event.detail.elt);
    announceCount();
    if (event.detail.elt.id === "main") {
      // The header box put the search page in <main>: no other page is current any more.
      document.querySelectorAll(".main-nav [aria-current]").forEach(function (link) {
        link.removeAttribute("aria-current");
      });
    }
  });

  // After a header search the page has two boxes: keep the header's in step with the page's.
  document.addEventListener("input", function (event) {
    var header = document.getElementById("site-search-q");
    if (header && event.target.id === "search-q") {
      header.value = event.target.value;
    }
  });

  // htmx keeps a copy of the page's HTML for the back button, and HTML holds an input's first
  // value, not what was typed since: write the typed values into the HTML before it is kept.
  document.body.addEventListener("htmx:beforeHistorySave", function () {
    document.querySelectorAll(".search-form input, .site-search input").forEach(function (input) {
      input.setAttribute("value", input.value);
    });
  });

  // A plain submit sends every field; leave out the empty ones so addresses stay readable
  // and match the ones htmx pushes (the server sends HX-Push-Url without empty fields).
  document.addEventListener("formdata", function (event) {
    if (!event.target.matches(".search-form, .site-search")) {
      return;
    }
    var empty = [];
    event.formData.forEach(function (value, name) {
      if (value === "") {
        empty.push(name);
      }
    });
    empty.forEach(function (name) {
      event.formData.delete(name);
    });
  }, true);
})();
