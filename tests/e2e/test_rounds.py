"""A self-assessment round started from the previous one, in a real browser: Helsinki (the
mentor city of the demo's CITIES GROW pair, theme B) completes a baseline, starts its final
round from it, is refused completion while answers are only carried over, confirms and changes
some with the sticky bar counting, saves and comes back where it was, jumps to a factor, then
confirms the rest at once and completes the round.

Other browser tests walk Riga through its first steps on the same server; Helsinki's own rounds
on theme B are touched by no other test.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import screenshot, sign_in

expect = pytest.importorskip(
    "playwright.sync_api", reason="browser tests need Playwright: make install"
).expect

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

BASELINE_LEVELS = [1, 2, 0, 1, 3, 2, 1, 0, 2, 1]
CONTEXT = "Labour market and other economic conditions"


@pytest.fixture
def helsinki(browser_context) -> Page:
    page = browser_context.new_page()
    page.emulate_media(reduced_motion="reduce")  # scrolls land at once, to be measured
    page.on("dialog", lambda dialog: dialog.accept())  # "Confirm all ... as still true?"
    expect.set_options(timeout=10_000)
    sign_in(page, "helsinki")
    yield page
    expect.set_options(timeout=5_000)


def test_the_final_round_starts_from_the_previous_one(helsinki: Page):
    page = helsinki
    open_the_rounds(page)
    start_round(page, "Baseline", date.today() - timedelta(days=100))
    for number, level in enumerate(BASELINE_LEVELS, 1):
        level_group(page, number).get_by_label(re.compile(rf"^{level} — ")).check()
    page.get_by_label("Evidence for factor 1", exact=True).fill(
        "Quarterly meetings with employers."
    )
    page.get_by_role("group", name=re.compile(r"^3\.1 ")).get_by_label("Partly").check()
    context = page.get_by_role("group", name=CONTEXT, exact=True)
    context.get_by_label("Enabling").check()
    page.get_by_label(f"Note on {CONTEXT}", exact=True).fill("Employers are short of staff.")
    page.get_by_role("button", name="Complete the round").click()
    expect(page.get_by_role("status")).to_contain_text("The round is completed and locked.")

    start_round(page, "Final", date.today())
    expect(page.get_by_role("status")).to_contain_text(
        "The round is started from your baseline round of"
    )
    bar = page.locator(".round-bar")
    count = page.locator("#round-count")
    expect(count).to_have_attribute("aria-live", "polite")
    expect(count).to_have_text(
        re.compile(r"0 of 10 factors done · 12 carried-over answers to check")
    )
    expect(level_group(page, 5).get_by_label(re.compile(r"^3 — "))).to_be_checked()
    expect(page.get_by_label("Evidence for factor 1", exact=True)).to_have_value(
        "Quarterly meetings with employers."
    )
    expect(page.get_by_label(f"Note on {CONTEXT}", exact=True)).to_have_value(
        "Employers are short of staff."
    )
    expect(factor_card(page, 1).locator(".carried-badge").first).to_have_text("Carried over")
    screenshot(page, "rounds-final-carried-over")

    # Completing is refused while anything is only carried over.
    page.get_by_role("button", name="Complete the round").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(
        "12 answers carried over from the baseline round are neither confirmed nor changed yet"
    )

    # One factor changed, one confirmed: the bar counts them as they happen.
    level_group(page, 1).get_by_label(re.compile(r"^2 — ")).check()
    factor_card(page, 2).get_by_label(re.compile("^Still true")).check()
    expect(count).to_have_text(
        re.compile(r"2 of 10 factors done · 10 carried-over answers to check")
    )
    expect(jump_state(page, 1)).to_have_text("done")
    expect(jump_state(page, 3)).to_have_text("to check")

    # Saving from the bar while working on factor 2 brings the reader back to factor 2.
    factor_card(page, 2).get_by_label(re.compile("^Still true")).focus()
    bar.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/assessments/\d+#factor-\d+$"))
    expect(bar.locator("[data-round-status]")).to_have_text("Your draft is saved.")
    expect(count).to_have_text(
        re.compile(r"2 of 10 factors done · 10 carried-over answers to check")
    )
    assert_clear_of_the_bar(page, factor_card(page, 2).locator("h3"))

    # A field reached with the keyboard is never hidden under the sticky bar.
    evidence = page.get_by_label("Evidence for factor 6", exact=True)
    page.evaluate(
        """field => {
          const bar = document.querySelector('.round-bar').getBoundingClientRect();
          window.scrollBy(0, field.getBoundingClientRect().top - bar.bottom + 8);
        }""",
        evidence.element_handle(),
    )
    level_group(page, 6).locator("input:checked").focus()
    page.keyboard.press("Tab")
    expect(evidence).to_be_focused()
    assert_clear_of_the_bar(page, evidence)

    # The jump list, from the keyboard, takes focus to the factor chosen, below the bar.
    bar.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(bar.locator("details")).to_have_attribute("open", "")
    page.keyboard.press("Escape")
    expect(bar.locator("details")).not_to_have_attribute("open", "")
    expect(bar.locator("summary")).to_be_focused()
    page.keyboard.press("Enter")
    bar.get_by_role("link", name=re.compile(r"^10\. ")).focus()
    page.keyboard.press("Enter")
    expect(factor_card(page, 10).locator("h3")).to_be_focused()
    expect(bar.locator("details")).not_to_have_attribute("open", "")
    assert_clear_of_the_bar(page, factor_card(page, 10).locator("h3"))

    # Everything else is confirmed at once (asked first), then the round completes.
    page.get_by_role("button", name="Confirm all carried-over answers").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Every carried-over answer is confirmed."
    )
    expect(count).to_have_text(re.compile(r"^\s*10 of 10 factors done\s*$"))
    page.get_by_role("button", name="Complete the round").click()
    expect(page.get_by_role("status")).to_contain_text("The round is completed and locked.")
    rounds = page.get_by_role("table", name="Self-assessment rounds of Helsinki")
    expect(rounds.get_by_role("row", name=re.compile("^Final"))).to_contain_text("Completed")
    screenshot(page, "rounds-final-completed")


def open_the_rounds(page: Page) -> None:
    page.goto("/pairs/")
    row = page.get_by_role("row").filter(has_text="CITIES GROW").filter(has_text="Riga")
    row.get_by_role("link").first.click()
    page.get_by_role("link", name="Results and rounds").click()


def start_round(page: Page, kind: str, day: date) -> None:
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Date of the round").fill(day.isoformat())
    page.get_by_role("button", name="Start the round").click()
    page.wait_for_url(re.compile(r"/assessments/\d+$"))


def level_group(page: Page, number: int) -> Locator:
    return page.get_by_role("group", name=f"Level of factor {number}", exact=True)


def factor_card(page: Page, number: int) -> Locator:
    return page.locator("section.assessment-factor").nth(number - 1)


def jump_state(page: Page, number: int) -> Locator:
    return page.locator(".round-jump-list li").nth(number - 1).locator(".round-state")


def assert_clear_of_the_bar(page: Page, element: Locator) -> None:
    """The element is in the window and below the sticky bar, not under it."""
    bar = page.locator(".round-bar").bounding_box()
    box = element.bounding_box()
    height = page.viewport_size["height"]
    assert box["y"] >= bar["y"] + bar["height"] - 1, (box, bar)
    assert box["y"] + min(box["height"], 40) <= height, (box, height)
