"""Contrast measured from the rendered pixels, where engines reading the CSS cannot see it: the
boundary of every kind of form control against the page in every state (WCAG 1.4.11, at least
3:1), and the text of the charts against whatever it is drawn on (1.4.3, at least 4.5:1; no chart
text here is large). The pages are rendered at twice the pixel density, so that the measured
pixels are the colours drawn and not their anti-aliased edges.

The infographic, drawn with the network's configurable colours, is measured the same way in
tests/infographics/test_infographic_contrast.py, with the default and with light brand colours.
"""

from __future__ import annotations

import pytest

from tests.contrast import boundary_contrast, image, parse_colour, text_on_ground
from tests.e2e.screens import SCREEN, Screen, by_name

pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright")

SCALE = 2  # device pixels per CSS pixel
MARGIN = 14  # CSS pixels of page around a control: more than its focus ring (outline and offset)
EDGE = 2  # CSS pixels: the control's border, and the edge of its fill
NEW_USER = Screen("new-user", "coordinator", "/users/new")


@pytest.fixture
def browser_context(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}, device_scale_factor=SCALE
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


def boundary(page, control) -> tuple[float, str]:
    """The control's boundary contrast against the page around it, and how it was measured."""
    control.scroll_into_view_if_needed()
    page.mouse.move(0, 0)  # no hover
    box = control.bounding_box()
    clip = {
        "x": box["x"] - MARGIN,
        "y": box["y"] - MARGIN,
        "width": box["width"] + 2 * MARGIN,
        "height": box["height"] + 2 * MARGIN,
    }
    picture = image(page.screenshot(clip=clip))
    ratio, edge, ground = boundary_contrast(picture, MARGIN * SCALE, EDGE * SCALE)
    return ratio, f"{ratio:.2f}:1 (#{bytes(edge).hex()} on #{bytes(ground).hex()})"


# (screen, control, how to put it in its other states: "check" a radio or checkbox, "type" in a
# field; every control is also measured with the focus on it)
CONTROLS = [
    pytest.param(SCREEN["assessment-form"], "main input[type=radio]", "check", id="radio"),
    pytest.param(SCREEN["action-form"], "main input[type=checkbox]", "check", id="checkbox"),
    pytest.param(SCREEN["action-form"], "#title", "type", id="text-field"),
    pytest.param(SCREEN["action-form"], "#description", "type", id="text-area"),
    pytest.param(SCREEN["action-form"], "#owner_user_id", None, id="select"),
    pytest.param(SCREEN["action-form"], "#starts_on", None, id="date-field"),
    pytest.param(SCREEN["dashboard-city"], "#nav-search", "type", id="header-search"),
]


@pytest.mark.parametrize(("screen", "selector", "change"), CONTROLS)
def test_form_controls_stand_out_from_the_page_in_every_state(
    open_screen, screen, selector, change
):
    page = open_screen(screen)
    control = page.locator(selector).first
    figures = {"at rest": boundary(page, control)}
    if change == "check":
        control.check()
        control.blur()  # measured without the focus ring, which has its own state below
        figures["chosen"] = boundary(page, control)
    elif change == "type":
        control.fill("Vilnius")
        control.blur()
        figures["filled in"] = boundary(page, control)
    control.focus()
    figures["focused"] = boundary(page, control)
    print(screen.name, selector, {state: text for state, (_r, text) in figures.items()})
    weak = {state: text for state, (ratio, text) in figures.items() if ratio < 3}
    assert not weak, f"{selector} on {screen.name} fades into the page: {weak}"


@pytest.mark.parametrize(
    ("screen", "button", "selector"),
    [
        pytest.param(NEW_USER, "Save", "#email.is-invalid", id="field"),
        # Completing a round with nothing rated marks every factor's level.
        pytest.param(
            SCREEN["assessment-form"],
            "Complete the round",
            "main input[type=radio].is-invalid",
            id="radio",
        ),
    ],
)
def test_a_control_marked_wrong_stands_out_from_the_page(open_screen, screen, button, selector):
    page = open_screen(screen)
    if screen is NEW_USER:
        page.fill("#email", "not an address")
    else:  # levels carried over from the previous round are taken off: nothing is rated
        page.evaluate("document.querySelectorAll('main input[type=radio]:checked')"
                      ".forEach(radio => { radio.checked = false; })")  # fmt: skip
    page.get_by_role("button", name=button, exact=True).click()
    ratio, text = boundary(page, page.locator(selector).first)
    print("marked wrong", selector, text)
    assert ratio >= 3, f"{selector} marked wrong fades into the page: {text}"


HIDE_TEXT = """(chart, hide) => {
  const texts = [...chart.querySelectorAll("text")];
  texts.forEach(text => { text.style.visibility = hide ? "hidden" : ""; });
  return [...new Set(texts.map(text => getComputedStyle(text).fill))];
}"""


@pytest.mark.parametrize("screen", by_name("plan", "dashboard-coordinator", "assessment"))
def test_chart_text_stands_out_from_what_it_is_drawn_on(open_screen, screen):
    page = open_screen(screen)
    charts = page.locator("main svg[role='img']")
    assert charts.count(), f"no chart on {screen.name}"
    measured = []
    for chart in charts.all():
        chart.scroll_into_view_if_needed()
        fills = {parse_colour(fill) for fill in chart.evaluate(HIDE_TEXT, False)}
        shown = image(chart.screenshot())
        chart.evaluate(HIDE_TEXT, True)
        hidden = image(chart.screenshot())
        chart.evaluate(HIDE_TEXT, False)
        measured += text_on_ground(shown, hidden, fills)
    assert measured, f"no chart text measured on {screen.name}"
    print(screen.name, "\n".join(map(str, measured)))
    weak = [str(pair) for pair in measured if pair.ratio < 4.5]
    assert not weak, f"chart text on {screen.name} is hard to read: {weak}"
