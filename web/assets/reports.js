// 报告 page: shows only the fields the chosen report needs, and while the
// server generates (a month's full set takes a while) disables the button
// and shows "正在生成…". Without this script every field shows and the form
// posts all the same.
(function () {
  "use strict";
  var form = document.getElementById("rpt-form");
  if (!form) { return; }
  var kind = document.getElementById("rpt-kind");
  var button = document.getElementById("rpt-submit");

  function sync() {
    var k = kind.value;
    form.querySelectorAll(".rpt-field").forEach(function (f) {
      var show = (f.getAttribute("data-for") || "").split(" ").indexOf(k) >= 0;
      f.hidden = !show;
      f.querySelectorAll("input, select").forEach(function (i) { i.disabled = !show; });
    });
  }
  kind.addEventListener("change", sync);
  sync();

  form.addEventListener("submit", function () {
    // Disabled after the submission has been taken, so the form still posts.
    window.setTimeout(function () { button.disabled = true; }, 0);
    form.classList.add("rpt-busy");
  });
  // Coming back through the history shows the form ready again.
  window.addEventListener("pageshow", function () {
    button.disabled = false;
    form.classList.remove("rpt-busy");
  });
})();
