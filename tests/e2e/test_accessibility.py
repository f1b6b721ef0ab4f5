"""Accessibility to WCAG 2.1 AA, in Chromium: axe-core on every main page as the role that uses
it, keyboard-only use with a visible focus, form errors announced and tied to their fields, pages
that fit a 375-pixel-wide phone, meaning never carried by colour alone, and a confirmation before
a destructive change.

The demo's own city member (Riga) has neither a self-assessment nor a plan yet, and other browser
tests walk Riga through its first steps on the same server, so what these tests change happens in
Dresden, through an officer the coordinator adds for them.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

import pytest

from tests.e2e.conftest import AXE, screenshot, sign_in
from tracker.demo import DEMO_PASSWORD

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright").expect

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
PHONE = {"width": 375, "height": 740}
OFFICER = "dresden.officer@demo.example"
# The row of the Munich → Dresden pair on the coordinator's dashboard: links to its pages.
DRESDEN_ROW = "main tr:has-text('Munich → Dresden')"
MAX_TAB_STOPS = 300


@dataclass(frozen=True)
class Screen:
    """A page to check: who looks at it, where they start and the links they follow to reach it
    (CSS selectors, first match), so that no test depends on the demo's database ids."""

    name: str
    who: str | None
    start: str
    follow: tuple[str, ...] = ()
    status: int = 200


SCREENS = [
    Screen("sign-in", None, "/sign-in"),
    Screen("forgot-password", None, "/account/forgot-password"),
    Screen("not-found", None, "/no-such-page", status=404),
    Screen("not-found-signed-in", "riga", "/pairs/999999", status=404),
    Screen("dashboard-coordinator", "coordinator", "/"),
    Screen("dashboard-city", "riga", "/"),
    Screen("dashboard-expert", "expert", "/"),
    Screen("about", "riga", "/about"),
    Screen("pairs", "coordinator", "/pairs/"),
    Screen("pair", "riga", "/", ("main td a[href^='/pairs/']",)),
    Screen("pair-form", "coordinator", "/pairs/new"),
    Screen("plan-not-started", "riga", "/", ("main a[href$='/plan']",)),
    Screen("plan", OFFICER, "/", ("main a[href$='/plan']",)),
    Screen(
        "plan-print",
        "coordinator",
        "/",
        (f"{DRESDEN_ROW} a[href$='/plan']", "main a[href$='/print']"),
    ),
    Screen("action", OFFICER, "/", ("main a[href^='/actions/']",)),
    Screen("action-form", OFFICER, "/", ("main a[href$='/plan']", "main a[href$='/actions/new']")),
    Screen("assessment", "coordinator", "/", (f"{DRESDEN_ROW} a[href$='/assessments']",)),
    Screen("assessment-form", OFFICER, "/", ("main a[href^='/assessments/']",)),
    Screen("visits", "coordinator", "/visits/"),
    Screen("visit", "riga", "/visits/", ("main tr:has(.status-reported) a",)),
    Screen(
        "visit-form",
        "expert",
        "/visits/",
        ("main tr:has(.status-confirmed) a", "main a[href$='/edit']"),
    ),
    Screen(
        "visit-briefing",
        "expert",
        "/visits/",
        ("main tr:has(.status-confirmed) a", "main a[href$='/briefing']"),
    ),
    Screen("visit-report-form", "expert", "/", ("main a[href$='/report']",)),
    Screen("deliverables", "coordinator", "/programmes/cities-grow/deliverables"),
    Screen(
        "deliverable",
        "riga",
        "/",
        (
            "main td a[href^='/pairs/']",
            "main a[href^='/deliverables/']:has-text('Local action plan')",
        ),
    ),
    Screen("deliverable-form", "coordinator", "/programmes/cities-grow/deliverables/new"),
    Screen(
        "infographic", "riga", "/", ("main td a[href^='/pairs/']", "main a[href$='/infographic']")
    ),
    Screen("programme-report", "coordinator", "/programmes/cities-grow/report"),
    Screen("notifications", "expert", "/notifications/"),
    Screen("notification-preferences", "riga", "/account/notifications"),
    Screen("catalogue", "riga", "/catalogue/"),
    Screen("programme", "riga", "/catalogue/cities-grow"),
    Screen("theme", "expert", "/catalogue/cities-grow/themes/B"),
    Screen("catalogue-load", "coordinator", "/catalogue/load"),
    Screen("search", "coordinator", "/search?q=Riga"),
    Screen("users", "coordinator", "/users/"),
    Screen("user-form", "coordinator", "/users/", ("main td a[href$='/edit']",)),
    Screen("organisations", "coordinator", "/organisations/"),
    Screen("organisation-form", "coordinator", "/organisations/new"),
    Screen("audit-log", "coordinator", "/audit/"),
    Screen("outbox", "coordinator", "/admin/outbox"),
    Screen("jobs", "coordinator", "/admin/jobs"),
    Screen("change-password", "riga", "/account/password"),
    Screen("sessions", "riga", "/account/sessions"),
    Screen("calendar-feed", "riga", "/account/calendar"),
    Screen("personal-data", "riga", "/account/data"),
]
SCREEN = {screen.name: screen for screen in SCREENS}


def by_name(*names: str) -> list:
    """Some of the screens, as test parameters named after them."""
    return [pytest.param(SCREEN[name], id=name) for name in names]


ALL_SCREENS = by_name(*SCREEN)


@pytest.fixture(scope="module")
def dresden_officer(chromium, live_server) -> str:
    """An officer of Dresden (implementing city of a plan under way), added by the coordinator,
    who has started Dresden's final self-assessment round: the email address to sign in with."""
    context = chromium.new_context(base_url=live_server)
    page = context.new_page()
    sign_in(page, "coordinator")
    page.goto("/users/new")
    page.get_by_label("Full name").fill("Katrin Vogel")
    page.get_by_label("Email address").fill(OFFICER)
    page.get_by_label("Role", exact=True).select_option("city")
    page.get_by_label("Organisation", exact=True).select_option(label="Dresden")
    page.get_by_label("Initial password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("main")).to_contain_text("Katrin Vogel")
    context.clear_cookies()

    sign_in(page, OFFICER)
    follow(page, "main td a[href^='/pairs/']", "main a[href$='/assessments']")
    page.get_by_label("Final", exact=True).check()
    page.get_by_label("Date of the round").fill(date.today().isoformat())
    page.get_by_role("button", name="Start the round").click()
    page.wait_for_url(re.compile(r"/assessments/\d+$"))
    context.close()
    return OFFICER


def follow(page, *selectors: str):
    """Go where the first link matching each selector leads, in turn; the last response."""
    response = None
    for selector in selectors:
        link = page.locator(selector).first
        assert link.count(), f"no link {selector!r} on {page.url}"
        response = page.goto(link.get_attribute("href"))
    return response


@pytest.fixture(scope="module")
def signed_in_cookies(chromium, live_server, dresden_officer):
    """The session cookies of each user, who signs in through the form once for the module."""
    cookies = {}

    def of(who: str) -> list[dict]:
        if who not in cookies:
            context = chromium.new_context(base_url=live_server)
            sign_in(context.new_page(), who)
            cookies[who] = context.cookies()
            context.close()
        return cookies[who]

    return of


@pytest.fixture
def open_screen(page, signed_in_cookies):
    """Open a screen as its user; check the page answered as expected."""

    def open_(screen: Screen):
        if screen.who:
            page.context.add_cookies(signed_in_cookies(screen.who))
        response = page.goto(screen.start)
        response = follow(page, *screen.follow) or response
        assert response.status == screen.status, (
            f"{screen.name}: {page.url} answered {response.status}"
        )
        return page

    return open_


# ---- 1. axe-core on every page ----


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


@pytest.mark.parametrize("screen", ALL_SCREENS)
def test_axe_finds_no_serious_violation(open_screen, screen):
    page = open_screen(screen)
    blocking = blocking_violations(page)
    screenshot(page, f"a11y-{screen.name}")
    assert not blocking, f"{screen.name} ({page.url}):\n{described(blocking)}"


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

    expect(page.locator(".flash-messages")).to_contain_text("Your progress update is saved.")
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
    blocking = blocking_violations(page)
    assert not blocking, described(blocking)
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


@pytest.mark.parametrize("screen", ALL_SCREENS)
def test_on_a_phone_the_page_fits_the_screen_and_passes_axe(open_screen, page, screen):
    page.set_viewport_size(PHONE)
    open_screen(screen)
    screenshot(page, f"a11y-{screen.name}-phone")
    widths = page.evaluate(OVERFLOW)
    assert widths["scrollWidth"] <= widths["clientWidth"] + 1, widths
    blocking = blocking_violations(page)  # for example a wide table's wrapper out of keyboard reach
    assert not blocking, f"{screen.name} ({page.url}) on a phone:\n{described(blocking)}"


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
