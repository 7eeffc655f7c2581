// Draws one small bar chart per table row from the numbers already in the page's data table.
// Our own ~80 lines instead of a charting library: bars from a table need no more, and the page
// stays light for slow connections and works offline. Without JavaScript the table is the chart.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var W = 220, H = 110, PAD_BOTTOM = 18, PAD_TOP = 6;
  var format = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function panel(label, years, values, unit) {
    var figure = document.createElement("figure");
    figure.className = "panel";
    var caption = document.createElement("figcaption");
    caption.textContent = label;
    figure.appendChild(caption);
    var max = Math.max.apply(null, values.map(function (v) { return v === null ? 0 : v; }));
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, width: "100%", "aria-hidden": "true" });
    var slot = W / years.length;
    years.forEach(function (year, i) {
      var value = values[i];
      var x = i * slot + slot * 0.15;
      if (value !== null && max > 0) {
        var h = (H - PAD_BOTTOM - PAD_TOP) * value / max;
        var bar = el("rect", { x: x, y: H - PAD_BOTTOM - h, width: slot * 0.7, height: Math.max(h, 0.5), "class": "bar" });
        bar.appendChild(el("title", {}, year + ": " + format.format(value) + " " + unit));
        svg.appendChild(bar);
      } else if (value === null) {
        svg.appendChild(el("text", { x: x + slot * 0.35, y: H - PAD_BOTTOM - 4, "class": "gap" }, "n.r."));
      }
      svg.appendChild(el("text", { x: x + slot * 0.35, y: H - 4, "class": "year" }, String(year)));
    });
    figure.appendChild(svg);
    var peak = document.createElement("p");
    peak.className = "peak";
    peak.textContent = "max " + format.format(max) + " " + unit;
    figure.appendChild(peak);
    return figure;
  }

  document.querySelectorAll(".chart[data-table]").forEach(function (chart) {
    var table = document.getElementById(chart.getAttribute("data-table"));
    if (!table) return;
    var unit = table.getAttribute("data-unit") || "";
    var years = Array.prototype.map.call(table.querySelectorAll("thead th.num"), function (th) { return th.textContent.trim(); });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var values = Array.prototype.map.call(row.querySelectorAll("td"), function (td) {
        var raw = td.getAttribute("data-value");
        return raw === "" || raw === null ? null : Number(raw);
      });
      chart.appendChild(panel(row.querySelector("th").textContent.trim(), years, values, unit));
    });
    var details = table.closest("details");
    if (details) details.open = false;
    chart.classList.add("drawn");
  });
})();
