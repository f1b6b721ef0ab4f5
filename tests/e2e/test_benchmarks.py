"""Theme D of CITIES GROW (anti-discrimination on the local job market) has no benchmark yet: the
coordinator writes it in a real browser, a scale question and an open one, puts the factors in
order with the keyboard alone, and publishes version 1, which the theme's page then shows.

No other browser test touches theme D.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot, sign_in
from tests.e2e.test_keyboard import press_tab_until

expect = pytest.importorskip(
    "playwright.sync_api", reason="browser tests need Playwright: make install"
).expect

THEME = "/catalogue/cities-grow/themes/D"
FACTORS = [
    (
        "complaints",
        "A place to report discrimination",
        "Is there a hotline for discrimination at work?",
        "scale",
    ),
    (
        "job-offers",
        "Information on job offers",
        "How do migrants learn what work is available?",
        "open",
    ),
]


def test_theme_d_is_written_reordered_with_the_keyboard_and_published(page):
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, "coordinator")
    page.goto(THEME)
    page.get_by_role("link", name="Write the benchmark").click()
    for key, title, question, kind in FACTORS:
        page.get_by_role("link", name="Add a factor").first.click()
        page.get_by_label("Key", exact=True).fill(key)
        page.get_by_label("Title", exact=True).fill(title)
        page.get_by_label("Statement", exact=True).fill(f"The city has {title.lower()}.")
        page.locator("#questions-0-text").fill(question)
        page.locator("#questions-0-kind").select_option(kind)
        page.get_by_role("button", name="Save in the draft").click()
        expect(page.locator("main")).to_contain_text("The factor is saved in the draft.")

    # The second factor belongs first: move it up with the keyboard alone.
    titles = page.locator("main article.factor h3")
    expect(titles).to_have_text([f"1 {FACTORS[0][1]}", f"2 {FACTORS[1][1]}"])
    page.locator("main h1").focus()
    press_tab_until(page, "form[action$='/factors/job-offers/move'] button")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(titles).to_have_text([f"1 {FACTORS[1][1]}", f"2 {FACTORS[0][1]}"])
    expect(page.locator("main")).to_contain_text("The factor is moved.")

    press_tab_until(page, "#note")
    page.keyboard.type("The first benchmark of theme D, written with the expert partner.")
    press_tab_until(page, "form[action$='/draft/publish'] button[type='submit']")
    expect(page.locator("form[action$='/draft/publish'] button")).to_have_text("Publish version 1")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Version 1 is published.")
    expect(page.locator("main h1")).to_contain_text("version 1")
    screenshot(page, "benchmark-theme-d-v1")

    page.goto(THEME)
    factors = page.locator("main article.factor h3")
    expect(factors).to_have_text([f"1 {FACTORS[1][1]}", f"2 {FACTORS[0][1]}"])
    expect(page.locator("main")).to_contain_text("open answer")
    expect(page.locator("main")).to_contain_text("Version 1, published on")
