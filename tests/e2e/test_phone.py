"""The coordinator's dashboard on a 390-px phone: every pair's key figures, health included, on
the screen without scrolling sideways, in English, French and German (longer words), and every
chart label at least 11 px high (issue 18, item 7)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import LANGUAGES, read_in, screenshot, sign_in

pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright")

PHONE = {"width": 390, "height": 844}

# Each pair row's cells, as what is visible of them: their box and whether anything hides them.
CELLS = """() => [...document.querySelectorAll("main .dashboard-table tbody tr")].map(row =>
  [...row.querySelectorAll("td")].map(cell => {
    const box = cell.getBoundingClientRect();
    const style = getComputedStyle(cell);
    return {label: cell.dataset.label || "pair", left: box.left, right: box.right,
            width: box.width, shown: style.display !== "none" && style.visibility !== "hidden"};
  }))"""

# The height of every chart label a person can see: text in visible SVG charts and the labels
# and values of the phone's bar lists.
LABELS = """() => {
  const seen = element => element.getClientRects().length > 0;
  const svgText = [...document.querySelectorAll("main svg.chart-svg text")].filter(seen);
  const listed = [...document.querySelectorAll("main .bar-list .bar-label, main .bar-list .bar-value")].filter(seen);
  return [...svgText, ...listed].map(element => ({
    text: element.textContent.trim().slice(0, 40),
    height: element.tagName.toLowerCase() === "text"
      ? element.getBoundingClientRect().height
      : parseFloat(getComputedStyle(element).fontSize),
  }));
}"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_key_column_of_the_coordinator_dashboard_is_off_screen(page, language):
    page.set_viewport_size(PHONE)
    sign_in(page, "coordinator")
    read_in(page, language)
    page.goto("/")
    rows = page.evaluate(CELLS)
    screenshot(page, f"dashboard-coordinator-390px-{language}")
    assert rows, "the demo's pairs are on the dashboard"
    width = page.evaluate("document.documentElement.clientWidth")
    for cells in rows:
        labels = [cell["label"] for cell in cells]
        if language == "en":  # the cells' labels, translated in the other languages
            assert {"Health", "Progress", "Plan", "Overdue", "Next visit"} <= set(labels)
        for cell in cells:
            assert cell["shown"] and cell["width"] > 0, cell
            assert cell["left"] >= 0 and cell["right"] <= width + 1, (language, cell)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, language


def test_every_chart_label_is_readable_on_a_phone(page):
    page.set_viewport_size(PHONE)
    sign_in(page, "coordinator")
    for path in ("/", first_plan(page)):
        page.goto(path)
        labels = page.evaluate(LABELS)
        assert labels, f"{path}: a chart is shown"
        small = [label for label in labels if label["height"] < 11]
        assert not small, f"{path}: labels under 11 px: {small[:5]}"


def first_plan(page) -> str:
    """The address of the plan of the first pair on the dashboard that has one."""
    page.goto("/")
    return page.locator("main .dashboard-table a[href$='/plan']").first.get_attribute("href")
