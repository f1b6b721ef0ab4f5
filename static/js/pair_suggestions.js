// The "pair two cities" form (templates/pairs/edit.html): once a theme and an implementing
// city are chosen, the mentor suggestions are fetched from the form's own page (the same GET
// that its "Show mentor suggestions" button sends without script) and put in place; "Choose"
// sets the mentor city instead of reloading. The status line, a live region, says what changed.
(function () {
  "use strict";

  var region = document.querySelector("[data-suggestions]");
  var form = region && region.closest("form");
  var status = form && form.querySelector("[data-suggestions-status]");
  if (!form || !status) {
    return;
  }
  var theme = form.elements.namedItem("theme_id");
  var implementing = form.elements.namedItem("implementing_city_id");
  var mentor = form.elements.namedItem("mentor_city_id");
  var asked = 0;

  function address() {
    var values = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token") {
        values.append(name, value);
      }
    });
    values.set("suggest", "1");
    return form.querySelector("[formaction]").getAttribute("formaction") + "?" + values.toString();
  }

  function refresh() {
    if (!theme.value || !implementing.value) {
      return;
    }
    var ticket = ++asked;
    fetch(address(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response); })
      .then(function (html) {
        if (ticket !== asked) {
          return; // a later choice is on its way
        }
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.querySelector("[data-suggestions]");
        if (!fresh) {
          return;
        }
        region.innerHTML = fresh.innerHTML;
        var summary = region.querySelector("[data-suggestions-summary]");
        status.textContent = summary ? summary.textContent.trim() : "";
      })
      .catch(function () { /* the button still works */ });
  }

  theme.addEventListener("change", refresh);
  implementing.addEventListener("change", refresh);

  region.addEventListener("click", function (event) {
    var link = event.target.closest("[data-pick-mentor]");
    if (!link) {
      return;
    }
    event.preventDefault();
    mentor.value = link.getAttribute("data-pick-mentor");
    var chosen = mentor.options[mentor.selectedIndex];
    status.textContent = chosen ? chosen.textContent : "";
    mentor.focus();
  });
})();
