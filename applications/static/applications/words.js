// Counts the words of each long answer with a limit (textarea[data-max-words]) as it is
// typed, in a polite live region under it, and marks it when over. An enhancement only:
// the server checks the limit on saving and counts words the same way (runs of non-spaces).
(function () {
  "use strict";
  var script = document.currentScript;
  var pattern = (script && script.dataset.counter) || "{count} / {limit} words";
  var over = (script && script.dataset.over) || "too many words";
  var format = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function words(text) {
    var runs = text.trim().split(/\s+/);
    return runs[0] === "" ? 0 : runs.length;
  }

  document.querySelectorAll("textarea[data-max-words]").forEach(function (area) {
    var limit = parseInt(area.dataset.maxWords, 10);
    if (!limit) {
      return;
    }
    var counter = document.createElement("p");
    counter.className = "word-counter";
    counter.id = (area.id || area.name) + "-words";
    counter.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", counter);
    var described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);

    function update() {
      var count = words(area.value);
      var text = pattern.replace("{count}", format.format(count)).replace("{limit}", format.format(limit));
      var isOver = count > limit;
      counter.textContent = isOver ? text + " — " + over : text;
      counter.classList.toggle("is-over", isOver);
    }
    area.addEventListener("input", update);
    update();
  });
})();
