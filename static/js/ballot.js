// Live budget meter for knapsack ballots; the server checks everything again.
(function () {
  "use strict";
  var form = document.getElementById("ballot");
  var meter = document.getElementById("meter");
  if (!form || !meter) { return; }
  var budget = parseInt(form.getAttribute("data-budget"), 10);
  var total = form.querySelector(".meter-total");
  var locale = document.documentElement.lang === "en" ? "en-GB" : "nl-NL";
  var money = new Intl.NumberFormat(locale, { style: "currency", currency: "EUR" });
  function update() {
    var sum = 0;
    form.querySelectorAll("input[type=checkbox][data-cost]").forEach(function (box) {
      if (box.checked) { sum += parseInt(box.getAttribute("data-cost"), 10); }
    });
    meter.value = Math.min(sum, budget);
    meter.classList.toggle("over", sum > budget);
    if (total) { total.textContent = money.format(sum / 100); }
  }
  form.addEventListener("change", update);
  update();
}());
