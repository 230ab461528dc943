/* Cheques: add code fields without reloading, and check each code as it is typed.
   Everything works without this script; it only saves round trips. */
(function () {
  "use strict";
  var form = document.querySelector("form.redeem-form");
  if (!form) { return; }
  var list = form.querySelector("#code-list");
  var addButton = form.querySelector("button.add-code");
  var checkUrl = form.getAttribute("data-check-url");
  var tokenInput = form.querySelector("input[name=csrf_token]");
  var ideaInput = form.querySelector("input[name=idea_id]");
  var MAX = 500;
  var timers = new WeakMap();
  var lastChecked = new WeakMap();

  function compact(text) {
    return text.toUpperCase().replace(/[\s\-_.]/g, "")
      .replace(/O/g, "0").replace(/[IL]/g, "1").replace(/U/g, "V");
  }

  function statusOf(input) {
    return document.getElementById(input.id + "-status");
  }

  function show(input, ok, message) {
    var status = statusOf(input);
    if (!status) { return; }
    status.textContent = message || "";
    status.classList.toggle("error", ok === false);
    status.classList.toggle("ok", ok === true);
    var field = input.closest(".code-field");
    if (field) { field.classList.toggle("has-error", ok === false); }
    if (ok === false) { input.setAttribute("aria-invalid", "true"); }
    else { input.removeAttribute("aria-invalid"); }
  }

  function check(input) {
    var value = input.value.trim();
    if (!value) { show(input, null, ""); return; }
    if (lastChecked.get(input) === compact(value)) { return; }
    lastChecked.set(input, compact(value));
    var body = new FormData();
    body.append("code", value);
    if (ideaInput) { body.append("idee", ideaInput.value); }
    fetch(checkUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "", "Accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data && input.value.trim() === value) { show(input, data.ok, data.message); }
    }).catch(function () { /* the server checks again when the form is sent */ });
  }

  function schedule(input) {
    clearTimeout(timers.get(input));
    if (compact(input.value).length >= 13) {
      timers.set(input, setTimeout(function () { check(input); }, 250));
    } else {
      show(input, null, "");
      lastChecked.delete(input);
    }
  }

  function inputs() {
    return list.querySelectorAll("input.code-input");
  }

  function addField() {
    var all = inputs();
    for (var i = 0; i < all.length; i++) {
      if (!all[i].value.trim()) { all[i].focus(); return; }
    }
    if (all.length >= MAX) { return; }
    var last = list.lastElementChild;
    var item = last.cloneNode(true);
    var index = all.length;
    var input = item.querySelector("input");
    var label = item.querySelector("label");
    var status = item.querySelector(".code-status");
    input.id = "codes-" + index;
    input.name = "codes-" + index;
    input.value = "";
    input.removeAttribute("autofocus");
    input.removeAttribute("aria-invalid");
    status.id = input.id + "-status";
    status.textContent = "";
    status.className = "code-status";
    input.setAttribute("aria-describedby", "code-hint " + status.id);
    label.setAttribute("for", input.id);
    label.textContent = list.getAttribute("data-label").replace("__N__", String(index + 1));
    item.classList.remove("has-error");
    list.appendChild(item);
    bind(input);
    input.focus();
  }

  function bind(input) {
    input.addEventListener("input", function () { schedule(input); });
    input.addEventListener("blur", function () { if (input.value.trim()) { check(input); } });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        if (input.value.trim()) { check(input); }
        addField();
      }
    });
  }

  Array.prototype.forEach.call(inputs(), bind);
  if (addButton) {
    addButton.addEventListener("click", function (event) {
      event.preventDefault();
      addField();
    });
  }
})();
