// Offers the localities of the postcode typed in the municipality field's list as soon as
// the four digits are there, instead of after the form is sent. An enhancement only: without
// this script, the server fills the same list once the form comes back.
(function () {
  "use strict";
  var script = document.currentScript;
  var template = script && script.dataset.localitiesUrl; // ends with /0000/localities.json
  if (!template) {
    return;
  }
  var known = {};

  function fetchLocalities(code) {
    if (!known[code]) {
      var url = template.replace("/0000/", "/" + code + "/");
      known[code] = fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
        return response.ok ? response.json().then(function (body) { return body.localities; }) : [];
      }).catch(function () {
        delete known[code];
        return null;
      });
    }
    return known[code];
  }

  function enhance(form) {
    var postcode = form.querySelector('input[name="postcode"]');
    var municipality = form.querySelector('input[name="municipality"]');
    if (!postcode || !municipality) {
      return;
    }
    var list = municipality.list;
    if (!list) {
      list = document.createElement("datalist");
      list.id = (municipality.id || "municipality") + "-localities";
      municipality.insertAdjacentElement("afterend", list);
      municipality.setAttribute("list", list.id);
    }
    function update() {
      var code = postcode.value.trim();
      if (!/^[1-9][0-9]{3}$/.test(code)) {
        return;
      }
      fetchLocalities(code).then(function (names) {
        if (names === null || postcode.value.trim() !== code) {
          return; // offline, or the postcode changed meanwhile: keep what is offered
        }
        list.replaceChildren.apply(list, names.map(function (name) {
          var option = document.createElement("option");
          option.value = name;
          return option;
        }));
      });
    }
    postcode.addEventListener("input", update);
    postcode.addEventListener("change", update);
  }

  document.querySelectorAll("form").forEach(enhance);
})();
