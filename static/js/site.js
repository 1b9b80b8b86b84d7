/* Small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
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
})();
