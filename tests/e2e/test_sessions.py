"""Sessions that end, in real browsers (issue 15, item 1): two browsers signed in as the same
person; signing out of one leaves the other signed in and makes a copy of the first one's
cookies worthless; "End all other sessions" then signs the second one out."""

import re

import pytest

from tests.e2e.conftest import screenshot, sign_in

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright").expect
WHO = "helsinki"
SIGN_IN_PAGE = re.compile(r"/sign-in")


def open_browser(chromium, live_server):
    context = chromium.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    return context


def use_account_menu(page, item: str) -> None:
    page.locator("nav .dropdown-toggle").click()
    page.locator(".dropdown-menu").get_by_role(
        "button" if item == "Sign out" else "link", name=item
    ).click()


def end_other_sessions(page) -> None:
    """End every other session of the person (there may be none)."""
    use_account_menu(page, "Where you are signed in")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="End all other sessions").click()
    expect(page.locator("main")).to_contain_text(
        re.compile("Every other session has ended|You were not signed in anywhere else")
    )


def is_signed_in(page) -> bool:
    page.goto("/")
    return not SIGN_IN_PAGE.search(page.url)


def test_signing_out_ends_only_that_browsers_session_for_good(chromium, live_server):
    first, second, thief = (open_browser(chromium, live_server) for _ in range(3))
    try:
        first_page, second_page = first.new_page(), second.new_page()
        sign_in(first_page, WHO)
        end_other_sessions(first_page)  # from any earlier test signed in as the same person
        sign_in(second_page, WHO)
        copied = first.cookies()
        assert any(cookie["name"] == "session" for cookie in copied)

        use_account_menu(first_page, "Sign out")
        expect(first_page.locator("main")).to_contain_text("You have signed out.")
        assert is_signed_in(second_page)  # the other browser is still signed in

        thief.add_cookies(copied)  # the first browser's cookies, copied before signing out
        thief_page = thief.new_page()
        thief_page.goto("/")
        expect(thief_page).to_have_url(SIGN_IN_PAGE)

        # Signed in again in the first browser: its list shows both sessions, and it ends the other.
        sign_in(first_page, WHO)
        use_account_menu(first_page, "Where you are signed in")
        rows = first_page.locator("main tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.filter(has_text="This browser")).to_have_count(1)
        screenshot(first_page, "sessions")
        end_other_sessions(first_page)
        expect(rows).to_have_count(1)

        second_page.reload()
        expect(second_page).to_have_url(SIGN_IN_PAGE)
        assert is_signed_in(first_page)
    finally:
        for context in (first, second, thief):
            context.close()
