/* Follows a running job: asks its status every second and moves the progress bar.
   Without this script the page refreshes itself (a meta refresh inside <noscript>).
   When the job has ended, the page is loaded again to show the result or the reason. */
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("progress");
  var label = box.querySelector("label[for=job-progress]");
  var count = box.querySelector(".job-count");
  // Arabic with Latin digits, as the server writes numbers (Babel).
  var lang = document.documentElement.lang || "nl";
  var numbers = new Intl.NumberFormat(lang === "ar" ? "ar-u-nu-latn" : lang);

  function show(status) {
    if (status.total > 0) {
      bar.max = status.total;
      bar.value = status.done;
      count.textContent = numbers.format(status.done) + " / " + numbers.format(status.total) + " (" + status.percent + "%)";
    }
    bar.textContent = status.percent + "%";
    if (status.message) { label.textContent = status.message; }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) { return; }
        show(status);
        if (status.finished) { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
}());
