/* Small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  var announcer = function () { return document.getElementById("announcer"); };

  // One persistent live region per page: short summaries only, never a whole fragment.
  function announce(text) {
    var region = announcer();
    if (!region || !text) return;
    region.textContent = "";
    // A fresh text node after a tick makes screen readers speak a repeated message too.
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  // Show a range slider's value next to it while it moves.
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (el.type !== "range") return;
    var out = document.querySelector('output[for="' + el.id + '"]');
    if (out) out.textContent = el.value;
  });

  // Forms marked data-swap-errors show the server's answer to bad input (400) or a rate
  // limit (429) in place, as the page without JavaScript does; htmx skips 4xx by default.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if ((status === 400 || status === 429) && elt && elt.closest("[data-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // The language links carry the current address, filters included, also after swaps.
  function refreshLanguageLinks() {
    var here = window.location.pathname + window.location.search + window.location.hash;
    document.querySelectorAll(".lang-switch a").forEach(function (link) {
      var url = new URL(link.href, window.location.href);
      url.searchParams.set("next", here);
      link.href = url.pathname + url.search;
    });
  }
  document.addEventListener("DOMContentLoaded", refreshLanguageLinks);
  document.addEventListener("htmx:pushedIntoHistory", refreshLanguageLinks);
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".lang-switch a")) refreshLanguageLinks();
  }, true);

  // After a swap, the region says what it now shows: the page title and a short summary.
  var swapTarget = null;
  var focusAfterSwap = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    swapTarget = event.detail.target && event.detail.target.id;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var region = swapTarget && document.getElementById(swapTarget);
    swapTarget = null;
    if (!region || region.id === "claim-panel-body") return;
    if (region.dataset.title) document.title = region.dataset.title;
    announce(region.dataset.announce);
    if (focusAfterSwap) {
      var target = region.querySelector(focusAfterSwap) || region;
      focusAfterSwap = null;
      target.focus();
    }
  });

  // A table wider than the screen scrolls in its box: keyboard users need to reach that box
  // to scroll it, and a screen reader names it after the table's caption.
  function focusableScrollers() {
    document.querySelectorAll(".table-scroll:not([tabindex])").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth) return;
      box.tabIndex = 0;
      var caption = box.querySelector("caption");
      if (caption) {
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption.textContent.trim());
      }
    });
  }
  document.addEventListener("DOMContentLoaded", focusableScrollers);
  document.addEventListener("htmx:afterSettle", focusableScrollers);
  window.addEventListener("resize", focusableScrollers);
  document.addEventListener("toggle", focusableScrollers, true);  // a <details> opened

  // Compare page: "×" unticks its platform, so the form, the URL and the matrix stay one state.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-untick]");
    var box = link && document.getElementById(link.dataset.untick);
    if (!box || !window.htmx) return;
    event.preventDefault();
    box.checked = false;
    focusAfterSwap = ".matrix-scroll";
    box.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // Compare page: the claim panel is an overlay (a bottom sheet on phones) that takes focus
  // when a cell opens it and gives it back to that cell on close (button, Escape or a click
  // outside it).
  var opener = null;
  function panel() { return document.getElementById("claim-panel"); }
  function closePanel() {
    var p = panel();
    if (!p || p.hidden) return;
    p.hidden = true;
    if (opener && document.contains(opener)) opener.focus();
    else if (opener && opener.getAttribute("href")) {
      var again = document.querySelector('.cell-link[href="' + opener.getAttribute("href") + '"]');
      if (again) again.focus();
    }
    opener = null;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    if (target && target.id === "claim-panel-body") opener = event.detail.elt;
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "claim-panel-body") return;
    var p = panel();
    p.hidden = false;
    p.focus();
    var heading = p.querySelector("h2");
    if (heading) announce(heading.textContent);
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    if (event.target.closest("[data-close-panel]")) closePanel();
    // A tap outside closes it too (on a phone the sheet covers the lower part of the page);
    // a cell opens its own claim in it instead.
    else if (!event.target.closest("#claim-panel, .cell-link")) closePanel();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closePanel();
  });
})();
