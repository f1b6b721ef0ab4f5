"""The programme report's context factors: what each implementing city's latest completed round
names as enabling or limiting (per pair), and across the cities with the changes since their
baseline, on the page, in the workbook and in the PDF's source."""

import io
from datetime import date

import pytest
from flask import render_template
from openpyxl import load_workbook

from tests.assessments import add_round
from tests.assessments.test_context import notes
from tests.helpers import QueryCounter, page_text
from tests.infographics import (
    RIGA_BASELINE,
    RIGA_BASELINE_CONTEXT,
    RIGA_MIDTERM,
    RIGA_MIDTERM_CONTEXT,
)
from tracker.assessments.models import AssessmentRound, AssessmentStatus, ContextEffect
from tracker.catalogue.models import Programme
from tracker.reports.exports import deliverable_level
from tracker.reports.queries import programme_report

E, N, L = ContextEffect.ENABLING, ContextEffect.NEUTRAL, ContextEffect.LIMITING


@pytest.fixture
def known(make, session, scheme):
    """Theme B: Riga (baseline and mid-term) and Gdańsk (a baseline only) implement; Helsinki,
    a mentor, and a draft round say otherwise and must not count. Theme A: Dresden, no round."""
    theme = scheme["theme"]
    riga = scheme["pair"].implementing_city
    add_round(session, riga, theme, RIGA_BASELINE, on=date(2025, 10, 1),
              context=notes(theme, RIGA_BASELINE_CONTEXT))  # fmt: skip
    add_round(session, riga, theme, RIGA_MIDTERM, round=AssessmentRound.MIDTERM,
              on=date(2026, 2, 20), context=notes(theme, RIGA_MIDTERM_CONTEXT))  # fmt: skip
    add_round(session, riga, theme, [4] * 10, round=AssessmentRound.FINAL, on=date(2026, 2, 27),
              status=AssessmentStatus.DRAFT,
              context=notes(theme, [("demography", L, "Draft")]))  # fmt: skip
    gdansk_pair = make.pair(theme, mentor=make.city("Barcelona"), implementing=make.city("Gdańsk"))
    add_round(session, gdansk_pair.implementing_city, theme, [2] * 10, on=date(2025, 11, 3),
              context=notes(theme, [("national-legislation", E, "The 2024 law helps."),
                                    ("demography", L, "")]))  # fmt: skip
    add_round(session, scheme["pair"].mentor_city, theme, [3] * 10,
              context=notes(theme, [("demography", E, "Helsinki")]))  # fmt: skip
    make.pair(make.theme(code="A"), mentor=make.city("Munich"), implementing=make.city("Dresden"))
    return {**scheme, "gdansk_pair": gdansk_pair}


def programme(session):
    return session.query(Programme).filter_by(key="cities-grow").one()


def test_the_figures_count_each_citys_latest_round_and_its_changes(session, known, today):
    report = programme_report(programme(session), today)
    assert (report.cities_assessed, report.cities_compared) == (2, 1)
    counts = {count.context_factor.key: count.cells for count in report.context}
    # enabling, neutral, limiting, not described; more enabling, more limiting since baseline
    assert counts["national-legislation"] == [1, 0, 1, 0, 0, 0]
    assert counts["demography"] == [0, 0, 1, 1, 0, 0]
    assert counts["city-resources"] == [0, 1, 0, 1, 1, 0]
    assert counts["public-perception"] == [1, 0, 0, 1, 1, 0]
    assert counts["institutional-presence"] == [0, 0, 0, 2, 0, 0]
    riga, gdansk = report.themes[1].pairs
    assert riga.enabling == [
        "Labour market and other economic conditions",
        "Civil society in the city",
        "EU and international funding availability",
        "Public perception (of host community towards migrant communities)",
    ]
    assert riga.limiting == [
        "National legislation and policy",
        "Data availability",
        "Political situation",
    ]
    assert (gdansk.enabling, gdansk.limiting) == (
        ["National legislation and policy"],
        ["Demography and migrant population"],
    )
    (dresden,) = report.themes[0].pairs
    assert (dresden.enabling, dresden.limiting) == ([], [])


def test_the_page_shows_them_per_pair_and_across_the_cities(client, login_as, known):
    login_as(known["coordinator"])
    text = page_text(client.get("/programmes/cities-grow/report"))
    assert (
        "Enabling: Labour market and other economic conditions; Civil society in the city; "
        "EU and international funding availability; Public perception (of host community "
        "towards migrant communities) Limiting: National legislation and policy; "
        "Data availability; Political situation"
    ) in text
    assert (
        "Enabling: National legislation and policy Limiting: Demography and migrant population"
    ) in text
    assert "How the 2 implementing cities with a completed self-assessment describe" in text
    assert "1 of them has completed a round since its baseline" in text
    assert "City resources 0 1 0 1 1 0" in text
    assert "Not described" in text  # Dresden's row


def test_the_workbook_has_a_context_sheet_and_the_pairs_context(client, login_as, known):
    login_as(known["coordinator"])
    workbook = load_workbook(io.BytesIO(client.get("/programmes/cities-grow/report.xlsx").data))
    rows = list(workbook["Context"].iter_rows(values_only=True))
    assert rows[0] == (
        "Context factor",
        "Enabling",
        "Neutral",
        "Limiting",
        "Not described",
        "More enabling since the baseline",
        "More limiting since the baseline",
    )
    by_title = {row[0]: row[1:] for row in rows[1:]}
    assert len(by_title) == 10
    assert by_title["City resources"] == (0, 1, 0, 1, 1, 0)
    assert by_title["National legislation and policy"] == (1, 0, 1, 0, 0, 0)
    pairs = list(workbook["Pairs"].iter_rows(values_only=True))
    gdansk = dict(zip(pairs[0], next(row for row in pairs if row[2] == "Gdańsk"), strict=True))
    assert gdansk["Enabling context"] == "National legislation and policy"
    assert gdansk["Limiting context"] == "Demography and migrant population"


def test_the_pdf_prints_the_context_too(app, session, known, today):
    report = programme_report(programme(session), today)
    with app.test_request_context():
        html = render_template(
            "reports/print.html", report=report, deliverable_level=deliverable_level
        )
    assert "What enables and what limits the change" in html
    assert "Context in the latest round" in html
    assert '<th scope="row">City resources</th>' in html


def test_without_a_completed_round_the_report_says_so(client, login_as, scheme):
    login_as(scheme["coordinator"])
    text = page_text(client.get("/programmes/cities-grow/report"))
    assert "No implementing city has completed a self-assessment round yet" in text


def rounds_for(session, make, count):
    theme = make.theme(code="C")
    for _number in range(count):
        pair = make.pair(theme)
        add_round(session, pair.implementing_city, theme, [1] * len(theme.factors),
                  context=notes(theme, [("labour-market", L, "Slow")]))  # fmt: skip
        add_round(session, pair.implementing_city, theme, [2] * len(theme.factors),
                  round=AssessmentRound.MIDTERM, on=date(2026, 2, 1),
                  context=notes(theme, [("labour-market", E, "")]))  # fmt: skip


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_the_context_is_read_in_the_same_number_of_queries_for_2_and_8_cities(
    client, login_as, make, session, scheme, suffix
):
    rounds_for(session, make, 2)
    login_as(scheme["coordinator"])
    url = f"/programmes/cities-grow/report{suffix}"
    with QueryCounter() as two:
        assert client.get(url).status_code == 200
    rounds_for(session, make, 6)
    with QueryCounter() as eight:
        response = client.get(url)
    assert two.count == eight.count, (two.statements, eight.statements)
    if not suffix:
        assert "Labour market and other economic conditions 8 0 0 0 8 0" in page_text(response)
