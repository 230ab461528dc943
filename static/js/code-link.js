/* The QR code on a letter links to /stem#CODE. The fragment never reaches the server, so
   the code stays out of access logs: this script takes it from the address bar at once,
   puts it in the form and posts it. Without the script, the voter types the code. */
(function () {
  "use strict";
  var form = document.querySelector("form.code-link-form");
  var code = window.location.hash.replace(/^#/, "");
  if (!form || !code) { return; }
  try { code = decodeURIComponent(code); } catch (e) { return; }
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname);
  }
  var input = form.querySelector("input[name=code]");
  if (!input || input.value || !/^[A-Za-z0-9 \-]{8,40}$/.test(code)) { return; }
  input.value = code;
  form.submit();
}());
