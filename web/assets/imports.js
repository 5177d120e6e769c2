// 数据导入 page: sends the upload with XMLHttpRequest so that large files show
// their upload progress, then "正在校验和导入…" until the server answers, then
// the validation report (built with textContent: file names and problems come
// from the files and are never parsed as HTML). The CSRF token goes in the
// X-CSRF-Token header, the only place the server looks for it on an upload.
// Without this script the form still posts from a browser that sends
// Sec-Fetch-Site (every current one), which the server's CSRF check accepts
// on its own, and the server renders the same report.
(function () {
  "use strict";
  var form = document.getElementById("imp-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  var box = document.getElementById("imp-progress");
  var bar = document.getElementById("imp-bar");
  var status = document.getElementById("imp-status");
  var results = document.getElementById("imp-results");
  var button = document.getElementById("imp-submit");

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function mb(n) { return (n / 1048576).toFixed(1) + " MB"; }

  function badge(st) {
    if (st === "imported") { return el("span", "badge imp-ok", "已导入"); }
    if (st === "refused") { return el("span", "badge imp-bad", "已拒绝"); }
    return el("span", "badge", "未导入");
  }

  function showReport(rep) {
    results.textContent = "";
    results.appendChild(el("h2", "", "导入结果"));
    if (rep.error) {
      results.appendChild(el("p", "error", rep.error));
      return;
    }
    results.appendChild(rep.ok ? el("p", "notice", "全部文件已导入。")
      : el("p", "error", "有文件被拒绝:被拒绝的文件没有写入任何数据。"));
    (rep.files || []).forEach(function (f) {
      var d = el("div", "imp-file imp-" + f.status);
      var h = el("h3", "", f.file + (f.kind_label ? " · " + f.kind_label : "") + " ");
      h.appendChild(badge(f.status));
      d.appendChild(h);
      if (f.status === "imported") {
        d.appendChild(el("p", "", f.rows + " 行:新增 " + f.new + ",替换 " + f.replaced + ",未变 " + f.unchanged));
      } else {
        d.appendChild(el("p", "", f.reason));
      }
      (f.warnings || []).forEach(function (w) { d.appendChild(el("p", "warning", w)); });
      if (f.problems && f.problems.length) {
        var lines = f.problems.slice();
        if (f.more) { lines.push(f.more); }
        d.appendChild(el("pre", "imp-problems", lines.join("\n")));
      }
      results.appendChild(d);
    });
  }

  // refreshLog replaces the import log with the server's current one.
  function refreshLog() {
    fetch("/admin/imports", { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.getElementById("imp-log");
      var old = document.getElementById("imp-log");
      if (fresh && old) { old.replaceWith(document.importNode(fresh, true)); }
    }).catch(function () {});
  }

  function done() {
    button.disabled = false;
    box.hidden = true;
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var data = new FormData(form);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action"));
    xhr.setRequestHeader("Accept", "application/json");
    var meta = document.querySelector('meta[name="csrf-token"]');
    xhr.setRequestHeader("X-CSRF-Token", meta ? meta.getAttribute("content") : "");
    button.disabled = true;
    box.hidden = false;
    bar.max = 100;
    bar.value = 0;
    status.textContent = "正在上传…";
    results.textContent = "";
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        bar.value = Math.round(e.loaded / e.total * 100);
        status.textContent = "正在上传 " + bar.value + "%(" + mb(e.loaded) + " / " + mb(e.total) + ")";
      }
    });
    xhr.upload.addEventListener("load", function () {
      bar.removeAttribute("value"); // indeterminate while the server checks
      status.textContent = "正在校验和导入…";
    });
    xhr.addEventListener("load", function () {
      done();
      var rep = null;
      try { rep = JSON.parse(xhr.responseText); } catch (e) { rep = null; }
      if (xhr.status === 413) {
        showReport({ error: "上传内容超过上限 " + form.getAttribute("data-limit") + ",请分批上传。" });
      } else if (rep && (rep.files || rep.error)) {
        showReport(rep);
      } else {
        showReport({ error: "导入失败(HTTP " + xhr.status + "),请刷新页面后重试。" });
      }
      refreshLog();
    });
    xhr.addEventListener("error", function () {
      done();
      showReport({ error: "上传中断,请检查网络后重试。" });
    });
    xhr.send(data);
  });
})();
