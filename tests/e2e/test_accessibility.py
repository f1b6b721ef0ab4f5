"""Accessibility to WCAG 2.1 AA, in Chromium: two engines (axe-core and HTML_CodeSniffer) on every
main page as the role that uses it, at laptop and phone widths, in English, French and German;
keyboard-only use with a visible focus, form errors announced and tied to their fields, pages
that fit a 375-pixel-wide phone, meaning never carried by colour alone, and a confirmation
before a destructive change.

The pages are listed in tests/e2e/screens.py.
"""

from __future__ import annotations

import functools
import re

import pytest

from tests.e2e.conftest import AXE, HTMLCS, LANGUAGES, read_in, screenshot, sign_in
from tests.e2e.screens import ALL_SCREENS, DRESDEN_ROW, PHONE, SCREEN, Screen, by_name
from tracker.demo import DEMO_PASSWORD

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright").expect

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
MAX_TAB_STOPS = 300

# ---- 1. Two engines on every page: axe-core and HTML_CodeSniffer ----


@functools.cache
def axe_source() -> str:
    """axe-core's script, read once (skips the checks where npm could not install it)."""
    if not AXE.exists():
        pytest.skip(f"the accessibility checks need axe-core at {AXE}: make install (needs npm)")
    return AXE.read_text()


def blocking_violations(page) -> list[dict]:
    """What axe-core finds against WCAG 2.1 A and AA with a serious or critical impact; the lesser
    findings go to the test's output. (evaluate() is not bound by the page's CSP.)"""
    page.evaluate(axe_source())
    violations = page.evaluate(
        "async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        WCAG_21_AA,
    )
    print(described([found for found in violations if found["impact"] not in BLOCKING_IMPACTS]))
    return [found for found in violations if found["impact"] in BLOCKING_IMPACTS]


def described(violations: list[dict]) -> str:
    """One line per rule broken (id, impact, help) and one per element breaking it."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} [{violation['impact']}]: {violation['help']}")
        lines += [f"    {' '.join(map(str, node['target']))}" for node in violation["nodes"]]
    return "\n".join(lines)


# HTML_CodeSniffer, the engine of pa11y, is run in the page the way pa11y's own runner runs it
# (pa11y/lib/runners/htmlcs.js: HTMLCS.process on the document, standard WCAG2AA) and, as pa11y
# does by default, only its errors count: its warnings and notices ask for a human's judgement.
# Its findings that are wrong about this markup are listed here, each with the reason, as
# (message code, CSS selector of the element, why); anything else fails the test.
HTMLCS_STANDARD = "WCAG2AA"
HTMLCS_EXCEPTIONS = [
    (
        "WCAG2AA.Principle1.Guideline1_3.1_3_5.H98",
        "input[type=email][autocomplete=username]",
        "HTML_CodeSniffer checks autocomplete tokens against the table of W3C HTML 5.2 (2017), "
        "where 'username' is for text fields only. The WHATWG HTML standard gives 'username' a "
        "control group of its own that admits type=email, and axe-core follows it "
        "(dequelabs/axe-core#2896). The sign-in and password-reset fields are email addresses that "
        "password managers must fill in as the account name, so both the type and the token stay.",
    ),
]
HTMLCS_RUN = """([standard, exceptions]) => new Promise((resolve, reject) => {
  const excepted = message => exceptions.some(([code, selector]) =>
    message.code === code && message.element.matches && message.element.matches(selector));
  const describe = element => element.outerHTML
    ? element.outerHTML.replace(element.innerHTML, element.innerHTML.length > 40 ? "…" : element.innerHTML).slice(0, 200)
    : String(element);
  HTMLCS.process(standard, document, () => resolve(
    HTMLCS.getMessages()
      .filter(message => message.type === HTMLCS.ERROR && !excepted(message))
      .map(message => ({code: message.code, message: message.msg, element: describe(message.element)}))
  ), reject, "en");
})"""


@functools.cache
def htmlcs_source() -> str:
    """HTML_CodeSniffer's built script, read once (skips where npm could not install it)."""
    if not HTMLCS.exists():
        pytest.skip(f"the second engine needs HTML_CodeSniffer at {HTMLCS}: make install (npm)")
    return HTMLCS.read_text()


def html_codesniffer_errors(page) -> list[dict]:
    """The errors HTML_CodeSniffer finds against WCAG 2.1 AA, but for the documented exceptions."""
    page.evaluate(htmlcs_source())
    exceptions = [[code, selector] for code, selector, _why in HTMLCS_EXCEPTIONS]
    return page.evaluate(HTMLCS_RUN, [HTMLCS_STANDARD, exceptions])


def findings_of_both_engines(page) -> str:
    """What either engine holds against the page, described; empty when both pass it."""
    axe_found = blocking_violations(page)
    htmlcs_found = html_codesniffer_errors(page)
    parts = [f"axe-core:\n{described(axe_found)}"] if axe_found else []
    if htmlcs_found:
        parts.append(
            "HTML_CodeSniffer:\n"
            + "\n".join(f"{e['code']}: {e['message']}\n    {e['element']}" for e in htmlcs_found)
        )
    return "\n".join(parts)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("screen", ALL_SCREENS)
def test_axe_and_html_codesniffer_find_nothing_on_a_laptop(open_screen, page, screen, language):
    read_in(page, language)
    open_screen(screen)
    findings = findings_of_both_engines(page)
    screenshot(page, f"a11y-{screen.name}-{language}")
    assert not findings, f"{screen.name} in {language} ({page.url}):\n{findings}"


# ---- 2. The keyboard alone ----


def press_tab_until(page, selector: str) -> None:
    """Press Tab until the focused element matches the CSS selector."""
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"Tab never reached {selector!r} on {page.url}")


def test_a_city_officer_posts_progress_with_the_keyboard_alone(page, dresden_officer):
    page.goto("/sign-in")
    press_tab_until(page, "#email")
    page.keyboard.type(dresden_officer)
    press_tab_until(page, "#password")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/$"))

    press_tab_until(page, "main a[href^='/actions/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/actions/\d+$"))
    press_tab_until(page, "#status")
    page.keyboard.type("On")  # type-ahead picks "On track"
    expect(page.locator("#status")).to_have_value("on_track")
    press_tab_until(page, "#progress")
    page.keyboard.press("Control+A")
    page.keyboard.type("45")
    press_tab_until(page, "#note")
    page.keyboard.type("Kick-off workshop held with the job centre, by keyboard.")
    press_tab_until(page, "section[aria-labelledby='post-title'] button[type='submit']")
    page.keyboard.press("Enter")

    confirmation = page.locator(".flash-messages")
    expect(confirmation).to_contain_text("Your progress update is saved.")
    expect(confirmation).to_be_focused()  # read out at once, and Tab goes on from there
    latest = page.locator("main .timeline-item").first
    expect(latest).to_contain_text("45%")
    expect(latest).to_contain_text("On track")
    expect(latest).to_contain_text("Kick-off workshop held with the job centre, by keyboard.")


def test_the_first_tab_stop_skips_to_the_main_content(page):
    sign_in(page, "riga")
    page.goto("/pairs/")
    page.keyboard.press("Tab")
    skip_link = page.locator(":focus")
    expect(skip_link).to_have_text("Skip to main content")
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


FOCUS_RING = """() => {
  const element = document.activeElement;
  if (element === document.body || element === window.firstTabStop) return null;
  window.firstTabStop = window.firstTabStop || element;
  const style = getComputedStyle(element);
  const name = (element.innerText || element.value || element.getAttribute("aria-label") || "").trim();
  return {
    element: `${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""} "${name.slice(0, 40)}"`,
    // Focus inside a native control (a date field's calendar button) is drawn by the browser.
    innerPart: !element.matches(":focus"),
    outline: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor,
    shadow: style.boxShadow,
  };
}"""


def ring_is_visible(stop: dict) -> bool:
    """An outline at least 2px wide, or an opaque box-shadow: not Bootstrap's faint glow."""
    opaque = re.compile(r"rgb\(|rgba\([^)]*,\s*1\)")
    return (stop["outline"] >= 2 and bool(opaque.search(stop["outlineColor"]))) or (
        stop["shadow"] != "none" and bool(opaque.search(stop["shadow"]))
    )


@pytest.mark.parametrize("screen", by_name("dashboard-coordinator", "action", "assessment-form"))
def test_every_tab_stop_shows_where_the_focus_is(open_screen, screen):
    page = open_screen(screen)
    stops = []
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_RING)
        if stop is None:
            break
        stops.append(stop)
    kinds = {stop["element"].split(" ")[0].split("#")[0] for stop in stops}
    assert {"a", "button", "input"} <= kinds, f"too few kinds of tab stop: {kinds}"
    invisible = [stop for stop in stops if not stop["innerPart"] and not ring_is_visible(stop)]
    assert not invisible, f"no visible focus on {screen.name}: {invisible}"


# ---- 3. Form errors ----

FORMS_WITH_ERRORS = [
    pytest.param(
        SCREEN["action"], {"#progress": "150"}, "Post progress", ["progress"], id="progress"
    ),
    pytest.param(
        SCREEN["action-form"],
        {"#title": "Train the job centre's advisers"},
        "Save the action",
        ["factor_ids"],
        id="action-without-factors",
    ),
    pytest.param(
        Screen("new-user", "coordinator", "/users/new"),
        {"#email": "not an address"},
        "Save",
        ["name", "email"],
        id="new-user",
    ),
]

ERROR_TIES = """field => {
  const element = document.getElementById(field);
  const controls = element.matches("input, select, textarea") ? [element] : [...element.querySelectorAll("input, select, textarea")];
  const messages = (element.getAttribute("aria-describedby") || "").split(/\\s+/)
    .map(id => document.getElementById(id)).filter(message => message && message.matches(".invalid-feedback"));
  return {
    invalid: controls.length > 0 && controls.every(control => control.getAttribute("aria-invalid") === "true"),
    messages: messages.map(message => ({text: message.innerText.trim(), beside: message.parentElement.contains(element) || element.contains(message)})),
  };
}"""


@pytest.mark.parametrize(("screen", "entries", "button", "fields"), FORMS_WITH_ERRORS)
def test_form_errors_are_announced_and_tied_to_their_fields(
    open_screen, screen, entries, button, fields
):
    page = open_screen(screen)
    for selector, value in entries.items():
        page.fill(selector, value)
    page.get_by_role("button", name=button, exact=True).click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    links = summary.locator("a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    assert list(dict.fromkeys(links)) == [f"#{field}" for field in fields]
    for field in fields:
        ties = page.evaluate(ERROR_TIES, field)
        assert ties["invalid"], f"{field} is not marked aria-invalid"
        assert ties["messages"], f"{field} is not described by its error message"
        assert all(message["text"] and message["beside"] for message in ties["messages"]), ties
    findings = findings_of_both_engines(page)
    assert not findings, findings
    screenshot(page, f"a11y-errors-{screen.name}")

    page.keyboard.press("Tab")  # from the summary to its first link
    page.keyboard.press("Enter")
    assert page.evaluate(
        "field => document.getElementById(field).contains(document.activeElement)", fields[0]
    )


# ---- 4. Small screens ----

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = element => element.parentElement && element.parentElement.closest(".table-responsive, [style*='overflow']");
  const wide = [...document.querySelectorAll("body *")].filter(element => element.getBoundingClientRect().right > width + 1 && !clipped(element));
  const widest = wide.filter(element => !wide.some(other => other !== element && element.contains(other)));
  return {
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: width,
    culprits: widest.slice(0, 8).map(element => `${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""}.${[...element.classList].join(".")}`),
  };
}"""


# Data tables without a caption, and scrolling boxes of tables named otherwise than the caption
# of the table they hold (a screen reader announces the box's name on entering it).
TABLE_NAMES = """() => ({
  uncaptioned: [...document.querySelectorAll("main table")]
    .filter(table => !(table.caption && table.caption.textContent.trim()))
    .map(table => table.outerHTML.slice(0, 120)),
  misnamed: [...document.querySelectorAll(".table-responsive[role='region']")]
    .map(box => ({name: box.getAttribute("aria-label"), caption: box.querySelector("caption").textContent.trim()}))
    .filter(box => box.name !== box.caption),
  scrolling: document.querySelectorAll(".table-responsive[role='region']").length,
})"""


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("screen", ALL_SCREENS)
def test_on_a_phone_the_page_fits_the_screen_and_both_engines_pass(
    open_screen, page, screen, language
):
    page.set_viewport_size(PHONE)
    read_in(page, language)
    open_screen(screen)
    screenshot(page, f"a11y-{screen.name}-phone-{language}")
    widths = page.evaluate(OVERFLOW)
    assert widths["scrollWidth"] <= widths["clientWidth"] + 1, (screen.name, language, widths)
    tables = page.evaluate(TABLE_NAMES)
    assert not tables["uncaptioned"] and not tables["misnamed"], tables
    findings = findings_of_both_engines(page)  # a wide table's wrapper out of keyboard reach...
    assert not findings, f"{screen.name} in {language} ({page.url}) on a phone:\n{findings}"


def test_on_a_phone_a_wide_table_scrolls_in_a_box_named_after_it(open_screen, page):
    # The dashboard's pairs become cards on a phone (tests/e2e/test_phone.py); the visits
    # list is a wide table that scrolls.
    page.set_viewport_size(PHONE)
    open_screen(SCREEN["visits"])
    box = page.get_by_role("region", name="Visits", exact=True)
    expect(box).to_have_attribute("tabindex", "0")
    box.focus()
    page.keyboard.press("ArrowRight")
    expect(box).not_to_have_js_property("scrollLeft", 0)


def test_the_navigation_collapses_into_a_working_menu_button(page):
    page.set_viewport_size(PHONE)
    sign_in(page, "riga")
    menu_button = page.get_by_role("button", name="Show or hide the menu")
    pairs_link = page.locator("#main-nav").get_by_role("link", name="Pairs")
    expect(menu_button).to_be_visible()
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(pairs_link).to_be_hidden()

    menu_button.click()
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    expect(pairs_link).to_be_visible()
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))  # fully open
    screenshot(page, "a11y-menu-open-phone")
    pairs_link.click()
    page.wait_for_url(re.compile(r"/pairs/$"))


# ---- 5. Never colour alone ----

CHARTS = """() => [...document.querySelectorAll("main svg:not([aria-hidden='true'])")].map(chart => {
  const labels = (chart.getAttribute("aria-labelledby") || "").split(/\\s+/).map(id => document.getElementById(id));
  const section = chart.closest("section");
  return {
    role: chart.getAttribute("role"),
    name: labels.map(label => label ? label.textContent.trim() : "").join(" ").trim(),
    tableRows: section ? section.querySelectorAll("table tbody tr").length : 0,
  };
})"""


@pytest.mark.parametrize("screen", by_name("dashboard-coordinator", "plan", "assessment"))
def test_every_chart_has_a_text_alternative_and_a_table(open_screen, screen):
    charts = open_screen(screen).evaluate(CHARTS)
    assert charts, f"no chart on {screen.name}"
    for chart in charts:
        assert chart["role"] == "img" and chart["name"], chart
        assert chart["tableRows"], f"a chart on {screen.name} has no table of its figures"


@pytest.mark.parametrize(
    "screen", by_name("dashboard-coordinator", "dashboard-expert", "plan", "visits", "deliverables")
)
def test_status_and_health_badges_say_it_in_words(open_screen, screen):
    badges = open_screen(screen).locator("main .badge.status, main .badge.health")
    words = badges.evaluate_all("badges => badges.map(badge => badge.textContent.trim())")
    assert words, f"no badge on {screen.name}"
    assert all(words), words


# ---- 6. Destructive changes ask first ----


@pytest.mark.parametrize(
    ("screen", "status", "message"),
    [
        pytest.param(
            Screen("dresden-pair", "coordinator", "/", (f"{DRESDEN_ROW} a[href^='/pairs/']",)),
            "withdrawn",
            "Change the status of this pair?",
            id="withdraw-pair",
        ),
        pytest.param(
            Screen("confirmed-visit", "expert", "/visits/", ("main tr:has(.status-confirmed) a",)),
            "cancelled",
            "Cancel this visit?",
            id="cancel-visit",
        ),
    ],
)
def test_a_destructive_change_asks_first_and_dismissing_changes_nothing(
    open_screen, screen, status, message
):
    page = open_screen(screen)
    badge = page.locator("main .badge.status").first
    before, address = badge.inner_text(), page.url
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.locator("main form select[name='status']").select_option(status)
    page.get_by_role("button", name="Change status").click()
    assert questions and questions[0].startswith(message), questions
    assert page.url == address
    page.reload()
    expect(badge).to_have_text(before)
