// Kiosk: after a while without input (two minutes; 30 seconds on the thank-you page) go to the
// restart address, which ends the voter's session. A page restored from the back/forward cache
// is loaded again, so it never shows the previous voter's choices.
(function () {
  "use strict";
  var body = document.body;
  var target = body.getAttribute("data-kiosk");
  if (!target) { return; }
  var seconds = parseInt(body.getAttribute("data-kiosk-seconds"), 10) || 120;
  var timer = null;
  function restart() { window.location.replace(target); }
  function arm() {
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(restart, seconds * 1000);
  }
  ["pointerdown", "keydown", "input", "touchstart", "scroll"].forEach(function (name) {
    window.addEventListener(name, arm, { passive: true });
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { window.location.reload(); }
  });
  arm();
}());
