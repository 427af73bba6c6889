// Keeps the total under each table question (table[data-summed]) up to date as amounts are
// typed. An enhancement only: the server shows the same total when the page is loaded and
// computes the stored one on saving. Cells that are not amounts are left out of the sum.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "fr";
  var euros = new Intl.NumberFormat(lang === "en" ? "en-BE" : "fr-BE", { style: "currency", currency: "EUR" });

  // "1 250,50", "1.250,50", "1,250.50", "1250.5": the last separator followed by one or two
  // digits is the decimal one; other separators group thousands.
  function amount(text) {
    var cleaned = text.replace(/[\s\u00a0\u202f€]/g, "");
    if (!cleaned) {
      return 0;
    }
    var match = cleaned.match(/^(\d+(?:[.,]\d{3})*|\d+)(?:[.,](\d{1,2}))?$/);
    if (!match) {
      return null;
    }
    return parseFloat(match[1].replace(/[.,]/g, "") + "." + (match[2] || "0"));
  }

  document.querySelectorAll("table[data-summed]").forEach(function (table) {
    var output = document.getElementById(table.dataset.total);
    if (!output) {
      return;
    }
    function update() {
      var cents = 0;
      table.querySelectorAll("input[data-summed-cell]").forEach(function (input) {
        var value = amount(input.value);
        if (value !== null) {
          cents += Math.round(value * 100);
        }
      });
      output.textContent = euros.format(cents / 100);
    }
    table.addEventListener("input", update);
  });
})();
