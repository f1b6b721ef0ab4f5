"""The infographic's text against what it is drawn on, measured from its pixels as CairoSVG
renders it (the PNG download is that rendering): at least 4.5:1 everywhere (WCAG 1.4.3), with
the default colours and with light brand colours, which the text must adapt to."""

import re

import cairosvg
import pytest

from tests.contrast import image, parse_colour, text_on_ground
from tests.infographics import known_scheme
from tracker.infographics.render import PNG_DPI

A4_WIDTH_PX = round(210 / 25.4 * PNG_DPI)  # as the PNG download renders it
TEXT_FILL = re.compile(r'<text\b[^>]*?\bfill="(#[0-9a-f]{6})"')
COLOURS = {
    "default": {},
    # A pale blue and a lemon yellow, as a network might choose to match its logo.
    "light-blue": {"INFOGRAPHIC_PRIMARY": "#9fd3f7", "INFOGRAPHIC_HIGHLIGHT": "#ffe066"},
    "yellow": {"INFOGRAPHIC_PRIMARY": "#ffcc00", "INFOGRAPHIC_HIGHLIGHT": "#fff3b0"},
}


@pytest.mark.parametrize("colours", COLOURS.values(), ids=COLOURS.keys())
def test_every_text_reads_at_4_5_to_1_on_its_ground(
    client, login_as, app, monkeypatch, make, session, scheme, colours
):
    for name, value in colours.items():
        monkeypatch.setitem(app.config, name, value)
    known = known_scheme(make, session, scheme)
    login_as(known["coordinator"])
    svg = client.get(f"/pairs/{known['pair'].id}/infographic.svg").get_data(as_text=True)
    fills = {parse_colour(fill) for fill in TEXT_FILL.findall(svg)}
    assert len(fills) >= 4, fills  # ink, muted, the primary's text, the highlight's text...
    without_text = svg.replace("<text ", '<text visibility="hidden" ')
    shown, hidden = (
        image(cairosvg.svg2png(bytestring=drawing.encode(), output_width=A4_WIDTH_PX))
        for drawing in (svg, without_text)
    )
    measured = text_on_ground(shown, hidden, fills)
    measured_fills = {pair.text for pair in measured}
    assert measured_fills == fills, f"text never found in the pixels: {fills - measured_fills}"
    print("\n".join(map(str, measured)))
    weak = [str(pair) for pair in measured if pair.ratio < 4.5]
    assert not weak, f"infographic text that is hard to read: {weak}"
