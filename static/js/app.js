// Behaviour shared by every page. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  // Ask before destructive actions: <form data-confirm="Really delete?">, or, on a form whose
  // select offers both harmless and destructive changes, <option data-confirm="..."> on the latter.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var chosen = form.querySelector("option:checked[data-confirm]");
    var message = form.getAttribute("data-confirm") || (chosen && chosen.getAttribute("data-confirm"));
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // Print buttons: <button data-print>.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // A table wider than the screen scrolls inside its .table-responsive wrapper. The wrapper then
  // takes the focus, so that it can be scrolled from the keyboard (WCAG 2.1.1), and is a region
  // named after the table's caption, so that screen readers say which table it holds. Every
  // table has a caption (the scroll_table macro asks for one).
  function letWideTablesScroll() {
    document.querySelectorAll(".table-responsive").forEach(function (wrapper) {
      var caption = wrapper.querySelector("caption");
      var name = caption && caption.textContent.trim();
      if (wrapper.scrollWidth > wrapper.clientWidth) {
        wrapper.setAttribute("tabindex", "0");
        if (name) {
          wrapper.setAttribute("role", "region");
          wrapper.setAttribute("aria-label", name);
        }
      } else {
        ["tabindex", "role", "aria-label"].forEach(function (attribute) { wrapper.removeAttribute(attribute); });
      }
    });
  }
  letWideTablesScroll();
  window.addEventListener("resize", letWideTablesScroll);
  document.addEventListener("toggle", letWideTablesScroll, true);  // a table in a <details> opens

  // Move focus to the error summary so screen readers announce it after a failed submit.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }

  // A link of the error summary puts focus in its field (the first choice of a group), so the
  // person can correct it at once; following the bare #id would only scroll.
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".error-summary a[href^='#']");
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    var control = target && (target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea"));
    if (control) {
      event.preventDefault();
      control.focus();
    }
  });
})();
