// xiaoneng what-if page: on every slider move (debounced) it asks
// /api/v1/whatif for the simulated ranking and redraws the table and the
// chart. Names are set with textContent only, never as HTML. Without
// JavaScript the form still works (GET /whatif re-renders on the server).
(function () {
  "use strict";
  var root = document.getElementById("whatif");
  var form = document.getElementById("whatif-form");
  if (!root || !form || !window.xn) { return; }
  var colors = JSON.parse(root.getAttribute("data-colors") || "{}");
  var rowsEl = document.getElementById("whatif-rows");
  var totalEl = document.getElementById("whatif-total");
  var msgsEl = document.getElementById("whatif-msgs");
  var errEl = document.getElementById("whatif-error");
  var catEl = document.getElementById("whatif-category");
  var timer = null;
  var seq = 0;
  var last = null;

  function query() {
    var q = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.name !== "category" && (el.tagName === "INPUT" || el.tagName === "SELECT")) {
        q.set(el.name, el.value);
      }
    });
    return q;
  }

  function showOutputs() {
    Array.prototype.forEach.call(form.querySelectorAll('input[type="range"]'), function (el) {
      var out = document.getElementById(el.id + "-out");
      if (out) { out.textContent = el.value; }
    });
  }

  function fmt2(v) { return v === null || v === undefined ? "—" : Number(v).toFixed(2); }
  // arrow words a rank change as the dashboard does: ↑2, ↓1 or —.
  function arrow(d) {
    if (d === null || d === undefined || d === 0) { return "—"; }
    return d > 0 ? "↑" + d : "↓" + (-d);
  }
  function txt(v) { return v === null || v === undefined ? "—" : String(v); }

  function cell(text, num) {
    var td = document.createElement("td");
    if (num) { td.className = "num"; }
    td.textContent = text;
    return td;
  }

  function drawTable(body) {
    var frag = document.createDocumentFragment();
    body.units.forEach(function (u) {
      var tr = document.createElement("tr");
      tr.appendChild(cell(u.category, false));
      tr.appendChild(cell(txt(u.rank), true));
      tr.appendChild(cell(u.name, false));
      tr.appendChild(cell(fmt2(u.score), true));
      tr.appendChild(cell(txt(u.tier), false));
      tr.appendChild(cell(txt(u.published_rank), true));
      tr.appendChild(cell(fmt2(u.published_score), true));
      tr.appendChild(cell(arrow(u.rank_change), true));
      tr.appendChild(cell(fmt2(u.score_change), true));
      frag.appendChild(tr);
    });
    rowsEl.textContent = "";
    rowsEl.appendChild(frag);
  }

  function drawChart(body) {
    var chart = window.xnCharts && window.xnCharts["whatif-chart"];
    if (!chart) { return; }
    var cat = catEl ? catEl.value : "";
    var names = [], sim = [], pub = [];
    body.units.forEach(function (u) {
      if (u.category !== cat || u.score === null) { return; }
      names.push(u.name);
      sim.push({ value: u.score, itemStyle: { color: colors[u.tier] || "#9a9a9a" } });
      pub.push(u.published_score);
    });
    chart.setOption({ yAxis: { data: names }, series: [{ data: sim }, { data: pub }] });
  }

  function draw(body) {
    last = body;
    totalEl.textContent = fmt2(body.total_points);
    msgsEl.textContent = "";
    (body.messages || []).forEach(function (m) {
      var li = document.createElement("li");
      li.textContent = m;
      msgsEl.appendChild(li);
    });
    errEl.hidden = true;
    drawTable(body);
    drawChart(body);
  }

  function run() {
    var q = query();
    var mine = ++seq;
    window.xn.fetchJSON("/api/v1/whatif?" + q.toString()).then(function (body) {
      if (mine !== seq) { return; }
      draw(body);
      if (catEl) { q.set("category", catEl.value); }
      window.history.replaceState(null, "", "/whatif?" + q.toString());
    }).catch(function (e) {
      if (mine !== seq) { return; }
      errEl.textContent = e.message;
      errEl.hidden = false;
    });
  }

  form.addEventListener("input", function (ev) {
    if (ev.target === catEl) { return; }
    if (ev.target.name === "round") {
      // Another round: start again from its published scheme.
      window.location.assign("/whatif?round=" + encodeURIComponent(ev.target.value));
      return;
    }
    showOutputs();
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 150);
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    run();
  });
  if (catEl) {
    catEl.addEventListener("change", function () {
      if (last) { drawChart(last); } else { run(); }
    });
  }
})();
