/* Draw every [data-chart] element from its JSON island (no inline scripts), in both colour
   schemes, and redraw after HTMX swaps. On a chart with data-run-url, clicking a point opens
   its run. */
(function () {
  "use strict";

  function themed(layout) {
    var style = getComputedStyle(document.documentElement);
    var fg = style.getPropertyValue("--fg").trim() || "#1b1f24";
    var line = style.getPropertyValue("--line").trim() || "#d0d7de";
    layout.paper_bgcolor = "rgba(0,0,0,0)";
    layout.plot_bgcolor = "rgba(0,0,0,0)";
    layout.font = { color: fg, family: "system-ui, sans-serif" };
    ["xaxis", "yaxis"].forEach(function (axis) {
      layout[axis] = Object.assign({ gridcolor: line, zerolinecolor: line }, layout[axis] || {});
    });
    return layout;
  }

  /* On a phone a legend on the right leaves the plot a sliver and pushes the page wider
     than the screen: put it under the plot, and keep the margins small. */
  function narrow(layout, el) {
    if (el.clientWidth >= 600) return layout;
    layout.legend = Object.assign({ orientation: "h", x: 0, y: -0.3, yanchor: "top" }, layout.legend || {});
    layout.margin = { t: 60, r: 10, b: 80, l: 50 };
    if (layout.title && layout.title.text) layout.title.font = { size: 13 };
    return layout;
  }

  function draw(root) {
    if (!window.Plotly) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var island = document.getElementById(el.dataset.chart);
      if (!island) return;
      var figure = JSON.parse(island.textContent);
      window.Plotly.newPlot(el, figure.data, narrow(themed(figure.layout), el), {
        responsive: true,
        displaylogo: false,
      });
      /* data-run-url is the URL of run 0, from the URL configuration: the run id goes in
         place of that 0. */
      var runUrl = el.dataset.runUrl;
      el.on("plotly_click", function (event) {
        var point = event.points && event.points[0];
        if (runUrl && point && point.customdata) {
          window.location.href = runUrl.replace(/\/0\/$/, "/" + point.customdata + "/");
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (event) { draw(event.target); });
  window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function () {
    draw(document);
  });
})();
