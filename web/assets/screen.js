// xiaoneng meeting-room screen: rotates the slides (every data-interval ms;
// arrow keys step, space pauses), keeps the clock, fits each chart to its
// panel, and every data-refresh ms reloads the page for fresh data — only
// after checking the server answers, so a network hiccup or an expired
// login leaves the last data on the wall with a note instead of an error
// page. Runs after charts.js (window.xnCharts).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var box = document.getElementById("sc-slides");
  if (!box) { return; }
  var slides = Array.prototype.slice.call(box.querySelectorAll(".sc-slide"));
  var dots = document.getElementById("sc-dots");
  var status = document.getElementById("sc-status");
  var interval = parseInt(box.getAttribute("data-interval"), 10) || 15000;
  var refresh = parseInt(box.getAttribute("data-refresh"), 10) || 300000;
  var current = 0;
  var paused = false;

  function fitCharts() {
    Array.prototype.forEach.call(document.querySelectorAll(".sc-chart .chart"), function (el) {
      var panel = el.parentElement;
      var h = panel.clientHeight - 12;
      if (h > 100) {
        el.style.height = h + "px";
        var chart = window.xnCharts && window.xnCharts[el.id];
        if (chart) { chart.resize(); }
      }
    });
  }

  function show(i) {
    if (slides.length === 0) { return; }
    current = (i + slides.length) % slides.length;
    slides.forEach(function (s, j) { s.classList.toggle("active", j === current); });
    if (dots) {
      Array.prototype.forEach.call(dots.children, function (d, j) { d.classList.toggle("on", j === current); });
    }
  }

  slides.forEach(function () { dots && dots.appendChild(document.createElement("span")); });
  show(0);
  fitCharts();
  window.addEventListener("resize", fitCharts);
  setInterval(function () { if (!paused) { show(current + 1); } }, interval);
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowRight") { show(current + 1); }
    else if (ev.key === "ArrowLeft") { show(current - 1); }
    else if (ev.key === " ") { paused = !paused; ev.preventDefault(); }
  });

  var clock = document.getElementById("sc-clock");
  var week = ["日", "一", "二", "三", "四", "五", "六"];
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var d = new Date();
    if (clock) {
      clock.textContent = d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日 星期" +
        week[d.getDay()] + " " + pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
    }
  }
  tick();
  setInterval(tick, 1000);

  setInterval(function () {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      if (r.ok && !r.redirected) {
        window.location.reload();
      } else {
        throw new Error(String(r.status));
      }
    }).catch(function () {
      if (status) {
        status.classList.add("stale");
        status.textContent = status.textContent.replace(/(,.*)?$/, ",最新数据获取失败,稍后重试");
      }
    });
  }, refresh);
})();
