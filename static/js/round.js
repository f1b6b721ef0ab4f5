// The self-assessment round form (templates/assessments/edit.html): the sticky bar's count of
// factors done and of carried-over answers still to check, kept current as the person works;
// the jump list; and the part of the page to come back to after saving. The server counts the
// same way (tracker/assessments/forms.py round_progress): a factor is done when it has a level
// and nothing in it is only carried over; a carried-over answer is settled once it is changed
// or its factor's "Still true" box is ticked.
(function () {
  "use strict";

  var form = document.querySelector("form[data-round-form]");
  var bar = form && form.querySelector("[data-round-bar]");
  if (!bar) {
    return;
  }
  var returnTo = form.querySelector("input[name='return_to']");
  var cards = Array.prototype.slice.call(form.querySelectorAll("[data-factor], [data-context]"));
  var initial = new Map();

  function controls(item) {
    return Array.prototype.filter.call(
      item.querySelectorAll("input, textarea, select"),
      function (control) { return !control.closest(".carried-confirm"); }
    );
  }

  function valuesOf(item) {
    return controls(item).map(function (control) {
      if (control.type === "radio" || control.type === "checkbox") {
        return control.checked ? "1" : "0";
      }
      return control.value.replace(/\r\n?/g, "\n").trim();
    }).join("\u0000");
  }

  // The carried-over answers of a factor's card, or a context factor's one answer.
  function itemsOf(card) {
    return card.matches("[data-carried]") ? [card] : Array.prototype.slice.call(card.querySelectorAll("[data-carried]"));
  }

  function confirmed(card) {
    var box = card.querySelector(".carried-confirm input[type='checkbox']");
    return Boolean(box && box.checked);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }

  function update() {
    var done = 0;
    var factors = 0;
    var carried = 0;
    cards.forEach(function (card) {
      var left = 0;
      itemsOf(card).forEach(function (item) {
        var settled = confirmed(card) || valuesOf(item) !== initial.get(item);
        item.classList.toggle("is-settled", settled);
        if (!settled) {
          left += 1;
        }
      });
      carried += left;
      if (!card.hasAttribute("data-factor")) {
        return;
      }
      factors += 1;
      var rated = card.querySelector("input[name^='level_']:checked");
      var state = left ? "carried" : (rated ? "done" : "unrated");
      if (state === "done") {
        done += 1;
      }
      card.classList.toggle("is-carried", state === "carried");
      var label = bar.querySelector("[data-state-of='" + card.getAttribute("data-factor") + "']");
      if (label && label.getAttribute("data-state") !== state) {
        label.setAttribute("data-state", state);
        label.className = "round-state round-state-" + state;
        label.textContent = bar.getAttribute("data-label-" + state);
      }
    });
    setText(bar.querySelector("[data-round-done]"), fill(bar.getAttribute("data-text-done"), { done: done, total: factors }));
    var carriedText = carried ? " · " + fill(bar.getAttribute(carried === 1 ? "data-text-carried-one" : "data-text-carried-other"), { num: carried }) : "";
    setText(bar.querySelector("[data-round-carried]"), carriedText);
  }

  // Only a real change is written, so the live region speaks only when the count moves.
  function setText(element, text) {
    if (element && element.textContent !== text) {
      element.textContent = text;
    }
  }

  form.querySelectorAll("[data-carried]").forEach(function (item) {
    initial.set(item, valuesOf(item));
  });
  form.addEventListener("input", update);
  form.addEventListener("change", update);

  // Saving brings the person back to the factor (or section) they were working in.
  form.addEventListener("focusin", function (event) {
    var part = event.target.closest("[data-anchor]");
    if (part && returnTo) {
      returnTo.value = part.id;
    }
  });

  // The jump list: following a link closes it and puts focus on the factor's heading, which
  // the sticky bar does not cover (scroll-padding-top, kept to the bar's height below).
  var jump = bar.querySelector("[data-round-jump]");
  bar.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-jump]");
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!target) {
      return;
    }
    event.preventDefault();
    jump.open = false;
    var heading = target.matches("h2, h3") ? target : target.querySelector("h3, button");
    history.replaceState(null, "", link.getAttribute("href"));
    (heading || target).focus({ preventScroll: true });
    target.scrollIntoView({ block: "start" });
    if (returnTo && target.hasAttribute("data-anchor")) {
      returnTo.value = target.id;
    }
  });
  jump.addEventListener("focusout", function (event) {
    if (!jump.contains(event.relatedTarget)) {
      jump.open = false;
    }
  });
  jump.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && jump.open) {
      jump.open = false;
      jump.querySelector("summary").focus();
    }
  });

  function keepFocusedFieldsClear() {
    document.documentElement.style.scrollPaddingTop = (bar.offsetHeight + 16) + "px";
  }
  keepFocusedFieldsClear();
  window.addEventListener("resize", keepFocusedFieldsClear);

  // After a save the page opens where the person was, below the flash message at the top:
  // the bar repeats it, and its live region reads it out.
  var saved = document.querySelector(".flash-messages .alert-success");
  var status = bar.querySelector("[data-round-status]");
  if (saved && status && window.location.hash) {
    window.setTimeout(function () { status.textContent = saved.textContent.trim(); }, 400);
  }
  update();
}());
