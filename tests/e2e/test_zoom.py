"""Text alone enlarged to 200 % (WCAG 1.4.4), as a browser's text-size setting does, on a laptop
and on the narrowest phone: no page scrolls sideways, the header's links, search and menus
stay on the screen, and the search box keeps room to type in.

Text-only zoom is emulated by setting the root font size to 200 %: Bootstrap and the house
styles size text, spacing and fields in rem, so everything sized for reading grows, while the
viewport (and so the breakpoints, in px) stays as it was.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot
from tests.e2e.screens import ALL_SCREENS, SCREEN

pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright")

WIDTHS = [pytest.param(1280, id="laptop"), pytest.param(320, id="narrow-phone")]

# What reaches past the right edge of the screen: elements, and text running out of its element
# (a long word in a narrow column), but for what is inside a box that scrolls on its own (wide
# tables scroll in theirs, which WCAG 1.4.10 allows for data tables) or hidden for screen
# readers only. Text is named by its
# element; of nested elements, the innermost.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = node => node.parentElement && node.parentElement.closest(
    ".table-responsive, .visually-hidden, .visually-hidden-focusable:not(:focus-within)");
  const beyond = box => box.width > 0 && box.right > width + 1;
  const wide = new Set([...document.querySelectorAll("body *")].filter(
    element => beyond(element.getBoundingClientRect()) && !scrolls(element)));
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    range.selectNodeContents(walker.currentNode);
    if (beyond(range.getBoundingClientRect()) && !scrolls(walker.currentNode)) wide.add(walker.currentNode.parentElement);
  }
  const innermost = [...wide].filter(element => ![...wide].some(other => other !== element && element.contains(other)));
  return {
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: width,
    culprits: innermost.slice(0, 8).map(element => `${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""}.${[...element.classList].join(".")} "${(element.textContent || "").trim().slice(0, 30)}"`),
  };
}"""


def zoom_text(page, percent: int) -> None:
    page.evaluate(
        "percent => { document.documentElement.style.fontSize = percent + '%'; }", percent
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("screen", ALL_SCREENS)
def test_at_200_percent_text_no_page_scrolls_sideways(open_screen, page, screen, width):
    page.set_viewport_size({"width": width, "height": 800})
    open_screen(screen)
    zoom_text(page, 200)
    widths = page.evaluate(OVERFLOW)
    if widths["scrollWidth"] > widths["clientWidth"] + 1 or widths["culprits"]:
        screenshot(page, f"zoom-{screen.name}-{width}")
    assert widths["scrollWidth"] <= widths["clientWidth"] + 1, widths
    assert not widths["culprits"], widths


@pytest.mark.parametrize("width", WIDTHS)
def test_at_200_percent_text_the_header_keeps_its_search_bell_and_menu_on_the_screen(
    open_screen, page, width
):
    page.set_viewport_size({"width": width, "height": 800})
    open_screen(SCREEN["dashboard-coordinator"])  # the longest menu
    zoom_text(page, 200)
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        page.locator("#main-nav.show").wait_for()
    screenshot(page, f"zoom-header-{width}")
    search = page.locator("#nav-search").bounding_box()
    assert search["width"] >= 160, f"the search box shrank to {search['width']:.0f}px"
    for item in ("#nav-search", ".nav-search button", ".bell", "#main-nav .dropdown-toggle"):
        box = page.locator(item).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{item} is off the screen"
