// Live budget meter for knapsack ballots; the server checks everything again.
(function () {
  "use strict";
  var form = document.getElementById("ballot");
  var meter = document.getElementById("meter");
  if (!form || !meter) { return; }
  var budget = parseInt(form.getAttribute("data-budget"), 10);
  var total = form.querySelector(".meter-total");
  // "€ 1.200,00 over budget": the page carries the translated sentence with {over} in it.
  var over = form.querySelector(".meter-over");
  var overText = over ? over.querySelector("strong") : null;
  // The same formats as the server's (Babel): Arabic with Latin digits.
  var locales = { nl: "nl-NL", en: "en-GB", tr: "tr-TR", ar: "ar-u-nu-latn" };
  var locale = locales[document.documentElement.lang] || "nl-NL";
  var money = new Intl.NumberFormat(locale, { style: "currency", currency: "EUR" });
  var boxes = form.querySelectorAll("input[type=checkbox][data-cost]");
  function update() {
    var sum = 0;
    boxes.forEach(function (box) {
      if (box.checked) { sum += parseInt(box.getAttribute("data-cost"), 10); }
      var card = box.closest(".ballot-item");
      if (card) { card.classList.toggle("chosen", box.checked); }
    });
    meter.value = Math.min(sum, budget);
    meter.classList.toggle("over", sum > budget);
    if (total) { total.textContent = money.format(sum / 100); }
    if (over && overText) {
      over.hidden = sum <= budget;
      overText.textContent = sum > budget
        ? over.getAttribute("data-text").replace("{over}", money.format((sum - budget) / 100))
        : "";
    }
  }
  form.addEventListener("change", update);
  update();
}());
