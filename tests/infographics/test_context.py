"""The infographic's context band: the two or three strongest enablers and limits of the
implementing city's latest completed round, in its data and its drawing, always fitting the
page; and the page's sections never overlapping."""

from datetime import date

import pytest

from tests.assessments import add_round
from tests.assessments.test_context import notes
from tests.infographics import RIGA_BASELINE, SVG, all_text, known_scheme, parse, text_of
from tracker.assessments.models import ContextEffect
from tracker.infographics.data import ContextPoint, FactorLevels, infographic_data
from tracker.infographics.layout import (
    CHART_TOP,
    CONTEXT_COLUMN,
    CONTEXT_MARKER,
    CONTEXT_SIZE,
    FOOTER_TOP,
    HEADER_HEIGHT,
    HEIGHT,
    PARTIES_TOP,
    ROWS_BOTTOM,
    SECTION_HEIGHTS,
    SECTION_TOPS,
    TWO_LINE_ROW,
    _chart_rows,
)
from tracker.infographics.text import BOLD_EM, text_width

E, L = ContextEffect.ENABLING, ContextEffect.LIMITING


@pytest.fixture
def known(make, session, scheme):
    return known_scheme(make, session, scheme)


def svg(client, pair):
    response = client.get(f"/pairs/{pair.id}/infographic.svg")
    assert response.status_code == 200
    return parse(response.data)


def column(root, effect):
    """The heading and the lines of a column of the context band."""
    group = root.find(f".//*[@id='context-{effect}']")
    texts = [" ".join("".join(text.itertext()).split()) for text in group.iter(f"{SVG}text")]
    return texts[0], texts[1:], len(group.findall(f"{SVG}polygon"))


def test_the_data_has_the_strongest_enablers_and_limits(session, known, today):
    data = infographic_data(known["pair"], today)
    assert data.context_round.assessed_on == date(2026, 2, 20)
    assert data.enablers == [
        ContextPoint("Labour market and other economic conditions", "Employers are short of staff.", 2),
        ContextPoint("Civil society in the city", "", 2),
        ContextPoint("EU and international funding availability", "An AMIF grant pays two advisers.", 1),
    ]  # fmt: skip
    assert data.limits == [
        ContextPoint("National legislation and policy", "Residence permits still take a year.", 2),
        ContextPoint("Political situation", "Elections in May 2026.", 1),
        ContextPoint("Data availability", "", 1),
    ]  # fmt: skip


def test_the_drawing_lists_them_under_headings_that_name_them(client, login_as, known):
    login_as(known["coordinator"])
    root = svg(client, known["pair"])
    assert column(root, "enabling") == (
        "Enabling the change in Riga",
        [
            "Labour market and other economic conditions",
            "Civil society in the city",
            "EU and international funding availability",
        ],
        3,  # a triangle before each line: the shape says it too, not only the colour
    )
    assert column(root, "limiting") == (
        "Limiting the change",
        ["National legislation and policy", "Political situation", "Data availability"],
        3,
    )
    sentence = (
        "Enabling the change in Riga, in its latest self-assessment: Labour market and other "
        "economic conditions; Civil society in the city; EU and international funding "
        "availability. Limiting it: National legislation and policy; Political situation; "
        "Data availability."
    )
    assert sentence in root.find(f"{SVG}desc").text
    page = client.get(f"/pairs/{known['pair'].id}/infographic")
    assert sentence in page.get_data(as_text=True)


def test_long_titles_and_names_are_shortened_to_their_column(
    client, login_as, make, session, scheme
):
    theme = scheme["theme"]
    factor = theme.programme.context_factors[0]
    factor.title = (
        "National legislation, regional rules and the way powers are shared between "
        "the state, the regions and the city"
    )
    city = make.city("Reggio nell'Emilia-Gdańsk-Rīga-Saint-Denis")
    pair = make.pair(theme, implementing=city)
    add_round(session, city, theme, RIGA_BASELINE, context=notes(theme, [(factor.key, E, "")]))
    login_as(scheme["coordinator"])
    heading, lines, _marks = column(svg(client, pair), "enabling")
    assert heading.endswith("…") and heading.startswith("Enabling the change in Reggio")
    assert text_width(heading, 3.6, BOLD_EM) <= CONTEXT_COLUMN
    (line,) = lines
    assert line.startswith("National legislation, regional rules") and line.endswith("…")
    assert text_width(line, CONTEXT_SIZE) <= CONTEXT_COLUMN - CONTEXT_MARKER


def test_a_column_with_nothing_named_says_so(client, login_as, session, scheme):
    theme = scheme["theme"]
    add_round(
        session, scheme["pair"].implementing_city, theme, RIGA_BASELINE,
        context=notes(theme, [("labour-market", E, "")]),
    )  # fmt: skip
    login_as(scheme["coordinator"])
    root = svg(client, scheme["pair"])
    assert column(root, "enabling")[1] == ["Labour market and other economic conditions"]
    assert column(root, "limiting") == (
        "Limiting the change",
        ["Nothing named in the latest round"],
        0,
    )


def test_without_a_completed_round_or_anything_named_the_band_says_why(
    client, login_as, make, session, scheme
):
    login_as(scheme["coordinator"])
    root = svg(client, scheme["pair"])
    assert text_of(root, "context") == (
        "What enables or limits the change in Riga appears here with its first completed "
        "self-assessment."
    )
    add_round(
        session, scheme["pair"].implementing_city, scheme["theme"], RIGA_BASELINE,
        context=notes(scheme["theme"], [("labour-market", ContextEffect.NEUTRAL, "")]),
    )  # fmt: skip
    root = svg(client, scheme["pair"])
    assert text_of(root, "context") == (
        "Riga has not named anything enabling or limiting the change in its latest self-assessment."
    )
    assert "Enabling the change" not in all_text(root)


def test_the_sections_follow_each_other_without_overlapping():
    assert HEADER_HEIGHT <= PARTIES_TOP
    order = ["parties", "figures", "visits", "context", "chart", "footer"]
    for section, following in zip(order, order[1:], strict=False):
        bottom = SECTION_TOPS[section] + SECTION_HEIGHTS[section]
        assert bottom <= SECTION_TOPS[following], (section, bottom, following)
    assert CHART_TOP + ROWS_BOTTOM <= FOOTER_TOP
    assert FOOTER_TOP + SECTION_HEIGHTS["footer"] <= HEIGHT


def levels(count):
    return [FactorLevels(n, f"Factor {n} " + "with a long title " * 6, 1, 2) for n in range(count)]


@pytest.mark.parametrize(("count", "lines"), [(7, 2), (10, 2), (12, 1), (16, 1)])
def test_factor_labels_take_two_lines_only_where_rows_have_room(count, lines):
    rows = _chart_rows(levels(count))
    assert {len(row.label_lines) for row in rows} == {lines}
    assert (rows[0].height >= TWO_LINE_ROW) is (lines == 2)
    assert rows[-1].top + rows[-1].height <= ROWS_BOTTOM + 0.01
