/* Codes from e-mail links: the link carries the code after "#", which browsers never
   send to a server (so it is in no access log). Move it into the form field and take
   it out of the address bar. Without this script the resident types the code. */
(function () {
  "use strict";
  var input = document.querySelector("input[data-from-fragment]");
  var hash = window.location.hash.replace(/^#/, "");
  if (!input || !hash) { return; }
  try { hash = decodeURIComponent(hash); } catch (e) { return; }
  input.value = hash;
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  } else {
    window.location.hash = "";
  }
  var wrapper = input.closest("[data-fragment-field]");
  if (wrapper) { wrapper.hidden = true; }
})();
