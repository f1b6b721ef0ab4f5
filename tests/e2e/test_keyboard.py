"""With the keyboard alone: every problem of a form is reported at once and leads to its field,
and after an action the focus lands where the person can hear what happened: on the message
after a page load, on the changed item when the action was done in place.

(Posting progress, with the focus on the confirmation afterwards, is walked through in
tests/e2e/test_accessibility.py: test_a_city_officer_posts_progress_with_the_keyboard_alone.)
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import screenshot
from tests.e2e.screens import DRESDEN_ROW, OFFICER, SCREEN, Screen, follow

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright").expect

MAX_TAB_STOPS = 400

FOCUSED = """() => {
  const element = document.activeElement;
  return {id: element.id, tag: element.tagName.toLowerCase(), text: (element.innerText || "").trim().slice(0, 80)};
}"""

FIELD_ERROR = """field => {
  const element = document.getElementById(field);
  const message = (element.getAttribute("aria-describedby") || "").split(/\\s+/)
    .map(id => document.getElementById(id)).find(found => found && found.matches(".invalid-feedback"));
  return {
    invalid: element.getAttribute("aria-invalid"),
    message: message ? message.textContent.replace(/\\s+/g, " ").trim() : null,
  };
}"""


def press_tab_until(page, selector: str, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches the CSS selector."""
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"Tab never reached {selector!r} on {page.url}")


def test_a_report_with_two_wrong_rows_names_both_and_each_link_leads_to_its_field(open_screen):
    page = open_screen(SCREEN["visit-report-form"])
    press_tab_until(page, "#summary")
    page.keyboard.type("Two days in the city; the officers met the mentor city's team.")
    # Two observations written without choosing their factor.
    for row in (0, 1):
        press_tab_until(page, f"#observations-{row}-text")
        page.keyboard.type(f"Observation number {row + 1}, typed by keyboard.")
    press_tab_until(page, "button[type='submit']")
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    links = summary.locator("a")
    expect(links).to_have_count(2)
    fields = ["observations-0-factor_id", "observations-1-factor_id"]
    assert links.evaluate_all("links => links.map(link => link.getAttribute('href'))") == [
        f"#{field}" for field in fields
    ]
    expect(links.nth(1)).to_have_text(
        "Observation 2 — Factor: Tie this observation to a factor of this pair's theme."
    )
    for field in fields:
        assert page.evaluate(FIELD_ERROR, field) == {
            "invalid": "true",
            "message": "Error: Tie this observation to a factor of this pair's theme.",
        }
    # What was typed is still there.
    expect(page.locator("#observations-1-text")).to_have_value(
        "Observation number 2, typed by keyboard."
    )
    screenshot(page, "keyboard-report-errors")

    for number, field in enumerate(fields, 1):
        summary.focus()
        for _ in range(number):
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.locator(f"#{field}")).to_be_focused()


OFFICER_NOTIFICATIONS = Screen("officer-notifications", OFFICER, "/notifications/")


@pytest.fixture(scope="module")
def officer_has_news(chromium, live_server, signed_in_cookies):
    """Notifications for Dresden's officer: the coordinators comment on Dresden's plan twice
    (the demo has no notification, which reminders and events create)."""
    context = chromium.new_context(base_url=live_server)
    context.add_cookies(signed_in_cookies("coordinator"))
    page = context.new_page()
    page.goto("/")
    follow(page, f"{DRESDEN_ROW} a[href$='/plan']")
    for number in (1, 2):
        page.fill("#comment-body", f"Comment number {number} from the coordinators.")
        page.get_by_role("button", name="Post comment").click()
        expect(page.locator("main")).to_contain_text(f"Comment number {number}")
    context.close()


def mark_first_unread_as_read(page) -> str:
    """Tab to the first "Mark as read" button and press it; the id of its notification."""
    press_tab_until(page, "li.notification form[data-in-place] button")
    item = page.evaluate("document.activeElement.closest('li.notification').id")
    page.keyboard.press("Enter")
    return item


def test_marking_a_notification_read_keeps_the_focus_on_it_and_says_so(
    open_screen, officer_has_news
):
    page = open_screen(OFFICER_NOTIFICATIONS)
    unread_before = page.locator(".notification.is-unread").count()
    assert unread_before, "no unread notification to mark"
    subject = page.locator(".notification.is-unread .notification-subject").first.inner_text()
    item = mark_first_unread_as_read(page)

    notification = page.locator(f"#{item}")
    expect(notification).to_be_focused()
    expect(page.locator("#announcer")).to_have_text(f"Marked as read: {subject}")
    expect(notification).not_to_have_class(re.compile(r"\bis-unread\b"))
    expect(notification.locator(".new-badge")).to_have_count(0)
    assert page.evaluate("window.scrollY") > 0 or notification.is_visible()
    # The next Tab goes on from the item, to what follows it.
    page.keyboard.press("Tab")
    assert page.evaluate(
        "item => document.getElementById(item).compareDocumentPosition(document.activeElement)"
        " & Node.DOCUMENT_POSITION_FOLLOWING",
        item,
    )
    page.reload()
    expect(page.locator(".notification.is-unread")).to_have_count(unread_before - 1)


def test_without_script_marking_read_comes_back_to_the_same_item(
    chromium, live_server, signed_in_cookies, officer_has_news
):
    context = chromium.new_context(base_url=live_server, java_script_enabled=False)
    context.add_cookies(signed_in_cookies(OFFICER))
    page = context.new_page()
    try:
        page.goto("/notifications/")
        item = mark_first_unread_as_read(page)
        page.wait_for_url(re.compile(rf"/notifications/\?*#{item}$"))
        expect(page.locator(".flash-messages")).to_contain_text("Marked as read:")
        expect(page.locator(f"#{item}")).not_to_have_class(re.compile(r"\bis-unread\b"))
        expect(page.locator(f"#{item}")).to_be_in_viewport()
    finally:
        context.close()
