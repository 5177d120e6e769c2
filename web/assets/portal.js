// Evaluator portal: live progress ("已完成 n / m") as scores are typed, the
// comment marked as required when a score falls below the scheme's
// threshold, and a confirmation before submitting. The server checks
// everything again; this only helps on the way.
(function () {
  "use strict";
  var form = document.getElementById("portal-form");
  if (!form) { return; }
  var below = parseFloat(form.getAttribute("data-comment-below"));
  var count = document.getElementById("portal-count");
  var bar = document.getElementById("portal-bar");
  var total = count ? parseInt(count.getAttribute("data-total"), 10) : 0;

  function scoreOf(input) {
    var v = input.value.trim();
    if (v === "") { return null; }
    var x = Number(v);
    return isNaN(x) ? NaN : x;
  }

  function checkRow(item) {
    var input = item.querySelector(".portal-score-input");
    var comment = item.querySelector(".portal-comment-input");
    if (!input || !comment) { return; }
    var x = scoreOf(input);
    var bad = x !== null && (isNaN(x) || x < 0 || x > 100);
    var need = x !== null && !bad && x < below;
    item.classList.toggle("portal-needs-comment", need);
    item.classList.toggle("portal-missing-comment", need && comment.value.trim() === "");
    input.setAttribute("aria-invalid", bad ? "true" : "false");
    comment.required = need;
  }

  function update() {
    var done = 0;
    var items = form.querySelectorAll(".portal-item");
    for (var i = 0; i < items.length; i++) {
      var input = items[i].querySelector(".portal-score-input");
      var x = input ? scoreOf(input) : null;
      if (x !== null && !isNaN(x) && x >= 0 && x <= 100) { done++; }
      checkRow(items[i]);
    }
    if (count) { count.textContent = "已完成 " + done + " / " + total; }
    if (bar) { bar.value = done; }
  }

  form.addEventListener("input", update);
  form.addEventListener("submit", function (ev) {
    var b = ev.submitter;
    var msg = b && b.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); }
  });
  update();
})();
