// Behaviour shared by every page. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  // Ask before destructive actions: <form data-confirm="Really delete?">, or, on a form whose
  // select offers both harmless and destructive changes, <option data-confirm="..."> on the latter,
  // or <button data-confirm="..."> on the one button of a form that needs asking.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var chosen = form.querySelector("option:checked[data-confirm]");
    var button = event.submitter && event.submitter.getAttribute("data-confirm");
    var message = button || form.getAttribute("data-confirm") || (chosen && chosen.getAttribute("data-confirm"));
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // Print buttons: <button data-print>.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // A table wider than the screen scrolls inside its .table-responsive wrapper. The wrapper then
  // takes the focus, so that it can be scrolled from the keyboard (WCAG 2.1.1), and is named
  // after the table's caption for screen readers.
  function letWideTablesScroll() {
    document.querySelectorAll(".table-responsive").forEach(function (wrapper) {
      var caption = wrapper.querySelector("caption");
      if (wrapper.scrollWidth > wrapper.clientWidth) {
        wrapper.setAttribute("tabindex", "0");
        wrapper.setAttribute("role", "region");
        wrapper.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
      } else {
        ["tabindex", "role", "aria-label"].forEach(function (name) { wrapper.removeAttribute(name); });
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
