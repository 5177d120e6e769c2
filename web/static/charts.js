// xiaoneng charts: every JSON script element with a data-chart attribute
// holds the ECharts option of the element #ID. Options are data only (no
// functions), so imported names can never run as script. Charts are drawn
// as SVG without animation; window.__chartsReady turns true when all have
// finished drawing, which the PDF printer waits for. A data-height
// attribute on the element sets its height (the web's CSP forbids inline
// styles); window.xnCharts maps each element id to its chart, so page
// scripts can replace an option.
(function () {
  "use strict";
  var nodes = document.querySelectorAll('script[type="application/json"][data-chart]');
  var pending = nodes.length;
  window.__chartsReady = pending === 0;
  window.xnCharts = {};
  var font = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif';
  Array.prototype.forEach.call(nodes, function (node) {
    var el = document.getElementById(node.getAttribute("data-chart"));
    var done = false;
    function finish() {
      if (!done) {
        done = true;
        pending--;
        if (pending === 0) {
          window.__chartsReady = true;
        }
      }
    }
    if (!el || typeof echarts === "undefined") {
      finish();
      return;
    }
    var h = el.getAttribute("data-height");
    if (h) {
      el.style.height = h + "px";
    }
    var option = JSON.parse(node.textContent);
    option.animation = false;
    option.textStyle = Object.assign({ fontFamily: font }, option.textStyle || {});
    // one font weight: a bold CJK face costs the PDF printer a second a document
    [].concat(option.title || []).forEach(function (t) {
      t.textStyle = Object.assign({ fontWeight: "normal" }, t.textStyle || {});
    });
    // Tooltips are drawn inside the chart (richText): ECharts' HTML tooltip
    // writes inline style attributes, which the CSP (style-src 'self') refuses.
    [].concat(option.tooltip || []).forEach(function (t) {
      t.renderMode = "richText";
    });
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.on("finished", finish);
    chart.setOption(option);
    window.xnCharts[el.id] = chart;
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
