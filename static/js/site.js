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
})();
