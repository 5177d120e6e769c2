// xiaoneng page script (loaded on every page; no inline scripts anywhere):
// confirmation prompts, selects that submit their form, and xn.fetchJSON,
// which sends the page's CSRF token with state-changing calls.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute("content") : "";
  window.xn = {
    csrf: csrf,
    fetchJSON: function (url, opts) {
      opts = opts || {};
      opts.headers = Object.assign({ "Accept": "application/json" }, opts.headers || {});
      if (opts.method && opts.method !== "GET") {
        opts.headers["X-CSRF-Token"] = csrf;
      }
      opts.credentials = "same-origin";
      return fetch(url, opts).then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) { throw new Error(body.error || r.statusText); }
          return body;
        });
      });
    }
  };
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { ev.preventDefault(); }
  });
  document.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t.hasAttribute && t.hasAttribute("data-autosubmit") && t.form) { t.form.submit(); }
  });
})();
