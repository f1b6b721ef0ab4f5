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

  // Where the focus goes when a page loads after an action (WCAG 4.1.3, 2.4.3): to the error
  // summary after a refused form, so it is read out at once; else to the item the action changed
  // when the address names it (#notification-12); else to the message saying what was done.
  // Screen readers read the focused message; a status region alone on a new page is not read.
  var summary = document.querySelector(".error-summary");
  var changed = window.location.hash && document.getElementById(window.location.hash.slice(1));
  var flashed = document.querySelector(".flash-messages");
  if (summary) {
    summary.focus();
  } else if (changed && changed.matches("main [tabindex='-1']")) {
    changed.focus();
  } else if (flashed) {
    flashed.focus();
  }

  // A form marked data-in-place (post_form's `in_place`) posts in the background and changes the
  // page where it stands, so the keyboard focus stays where the person was: the form's item
  // (its closest element with tabindex="-1") takes the focus, and the view's message is
  // announced politely. Without script, or if the request fails, the form posts as usual.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.hasAttribute("data-in-place") || !window.fetch) {
      return;
    }
    event.preventDefault();
    var item = form.parentElement.closest("[tabindex='-1']");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: {"Accept": "application/json"},
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.statusText); }
      return response.json();
    }).then(function (answer) {
      changedInPlace(form, item, answer);
    }).catch(function () {
      form.submit();
    });
  });

  function changedInPlace(form, item, answer) {
    if (item) {
      item.classList.remove("is-unread");
      item.querySelectorAll(".new-badge").forEach(function (badge) { badge.remove(); });
      item.focus();
    }
    form.remove();
    var count = document.querySelector(".site-header .unread-count");
    if (count && typeof answer.unread === "number") {
      if (answer.unread > 0) {
        count.querySelector(".unread-number").textContent = answer.unread > 99 ? "99+" : String(answer.unread);
      } else {
        count.remove();
      }
    }
    var announcer = document.getElementById("announcer");
    if (announcer) {
      announcer.textContent = "";
      window.setTimeout(function () { announcer.textContent = answer.message; }, 100);
    }
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
