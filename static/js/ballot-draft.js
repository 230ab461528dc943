// Unfinished ballots survive on this device: the choices are kept in localStorage (never sent
// anywhere) until the vote is confirmed; the thank-you page removes them. On a kiosk the page
// carries no draft key, and everything stored is removed.
(function () {
  "use strict";
  var clear = document.querySelectorAll("[data-clear-draft]");
  clear.forEach(function (el) {
    try { localStorage.removeItem(el.getAttribute("data-clear-draft")); } catch (e) { /* storage off */ }
  });
  if (document.querySelector("[data-kiosk]")) {
    try {
      Object.keys(localStorage).forEach(function (key) {
        if (key.indexOf("ballot-draft:") === 0) { localStorage.removeItem(key); }
      });
    } catch (e) { /* storage off */ }
    return;
  }
  var form = document.querySelector("form[data-draft-key]");
  if (!form) { return; }
  var key = form.getAttribute("data-draft-key");
  var boxes = form.querySelectorAll("input[type=checkbox][name=item]");
  var points = form.querySelectorAll("input.points");
  function read() {
    var draft = {};
    boxes.forEach(function (box) { if (box.checked) { draft[box.value] = 1; } });
    points.forEach(function (input) {
      var n = parseInt(input.value, 10);
      if (n > 0) { draft[input.id.replace("points-", "")] = n; }
    });
    return draft;
  }
  function save() {
    try { localStorage.setItem(key, JSON.stringify(read())); } catch (e) { /* storage off */ }
  }
  var stored = null;
  try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
  // The server's choices (this session) win; the device's are used when the page has none.
  if (stored && Object.keys(read()).length === 0 && Object.keys(stored).length > 0) {
    boxes.forEach(function (box) { box.checked = stored.hasOwnProperty(box.value); });
    points.forEach(function (input) {
      var id = input.id.replace("points-", "");
      if (stored.hasOwnProperty(id)) { input.value = stored[id]; }
    });
    var notice = document.getElementById("draft-restored");
    if (notice) { notice.hidden = false; }
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }
  form.addEventListener("change", save);
  form.addEventListener("input", save);
}());
