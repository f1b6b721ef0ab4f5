"""The infographic's content on a known data set and with nothing yet; its files' sizes."""

import re
import struct
from datetime import date

import pytest

from tests.assessments import add_round
from tests.helpers import QueryCounter
from tests.infographics import (
    RIGA_BASELINE,
    RIGA_MIDTERM,
    SVG,
    all_text,
    known_scheme,
    parse,
    text_of,
)
from tracker.infographics.colours import contrast
from tracker.infographics.layout import PAGE_SIZES
from tracker.infographics.render import PNG_DPI
from tracker.infographics.text import shorten, wrap
from tracker.plans.queries import plan_for_pair
from tracker.visits.models import VisitKind, VisitStatus


@pytest.fixture
def known(make, session, scheme):
    return known_scheme(make, session, scheme)


def get(client, pair, kind="svg", **args):
    response = client.get(f"/pairs/{pair.id}/infographic.{kind}", query_string=args)
    assert response.status_code == 200, response.status_code
    return response


def test_the_svg_shows_who_and_the_exact_figures(client, login_as, known):
    login_as(known["mentor"])
    root = parse(get(client, known["pair"]).data)
    assert root.tag == f"{SVG}svg"
    assert text_of(root, "headline") == "Helsinki mentors Riga"
    assert text_of(root, "theme").startswith("Theme B · Migrant participation")
    assert text_of(root, "figure-visits-held") == "3"
    assert text_of(root, "figure-recommendations") == "6"
    # two actions from one recommendation count once; a dropped action's not at all
    assert text_of(root, "figure-adopted") == "2"
    assert text_of(root, "figure-progress") == "38%"  # 40, 100, 12, 0; the dropped one left out
    assert text_of(root, "plan-status") == "In implementation"
    assert text_of(root, "plan-progress") == "38% overall progress"
    text = all_text(root)
    for expected in (
        "MigrationWork",
        "1 more planned",
        "of 6 recommendations",
        "4 actions, 1 done",
        "Administrative endorsement: 5 Jan 2026",
        "Political endorsement: 3 Feb 2026",
        "Baseline, Oct 2025",
        "Mid-term, Feb 2026",
        "6 of 10 factors rated higher than at the baseline",
        "CITIES GROW",
        "Funded by European Union Asylum, Migration and Integration Fund (AMIF)",
        "Figures as of 2 Mar 2026",
    ):
        assert expected in text, expected
    assert "Strike" not in text and text.count("Online meeting") == 1  # the cancelled visit


def test_the_timeline_has_the_visits_in_order_with_month_and_status(client, login_as, known):
    login_as(known["coordinator"])
    root = parse(get(client, known["pair"]).data)
    visits = [
        " ".join(" ".join(group.itertext()).split())
        for group in root.iter(f"{SVG}g")
        if group.get("class") == "visit"
    ]
    assert visits == [
        "Nov 2025 Mentoring visit Reported",
        "Jan 2026 Study visit Reported",
        "Feb 2026 Online meeting Held",
        "May 2026 Final review Planned",
    ]


def test_the_chart_gives_each_factor_at_baseline_and_latest(client, login_as, known):
    login_as(known["implementer"])
    root = parse(get(client, known["pair"]).data)
    rows = [group for group in root.iter(f"{SVG}g") if group.get("class") == "factor"]
    titles = [factor.title for factor in known["theme"].factors]
    assert [row.find(f"{SVG}title").text for row in rows] == [
        f"{number}. {title}: {before} → {after}"
        for number, (title, before, after) in enumerate(
            zip(titles, RIGA_BASELINE, RIGA_MIDTERM, strict=True), 1
        )
    ]
    # Shapes, not only colour: a ring for the baseline, a diamond for the latest round.
    assert all(row.find(f"{SVG}circle") is not None for row in rows)
    assert all(row.find(f"{SVG}polygon") is not None for row in rows)


def test_the_svg_is_titled_and_described_in_words(client, login_as, known):
    login_as(known["coordinator"])
    root = parse(get(client, known["pair"]).data)
    assert root.get("aria-labelledby") == "infographic-title infographic-desc"
    assert root.find(f"{SVG}title").text == (
        "Helsinki mentors Riga: a CITIES GROW mentoring scheme on theme B"
    )
    description = root.find(f"{SVG}desc").text
    assert "Visits held: 3 of 4." in description
    assert "Recommendations: 6, of which 2 taken up as actions." in description
    assert "Action plan: In implementation, 38% overall progress." in description


def test_a_new_scheme_shows_its_empty_states(client, login_as, make, scheme):
    pair = make.pair(scheme["theme"])
    login_as(scheme["coordinator"])
    root = parse(get(client, pair).data)
    for key, value in (
        ("figure-visits-held", "0"),
        ("figure-recommendations", "0"),
        ("figure-adopted", "0"),
        ("figure-progress", "—"),
        ("plan-status", "Not started yet"),
    ):
        assert text_of(root, key) == value, key
    text = all_text(root)
    assert "No visits yet" in text
    assert f"{pair.implementing_city.name} has not completed a self-assessment yet" in text
    assert not [g for g in root.iter(f"{SVG}g") if g.get("class") in ("visit", "factor")]


def test_only_a_baseline_shows_the_baseline_alone(client, login_as, session, scheme):
    add_round(session, scheme["pair"].implementing_city, scheme["theme"], RIGA_BASELINE)
    login_as(scheme["coordinator"])
    root = parse(get(client, scheme["pair"]).data)
    rows = [group for group in root.iter(f"{SVG}g") if group.get("class") == "factor"]
    assert [row.find(f"{SVG}title").text.rsplit(": ", 1)[1] for row in rows] == [
        str(level) for level in RIGA_BASELINE
    ]
    assert not [row for row in rows if row.find(f"{SVG}polygon") is not None]
    assert "Levels from 0 (not in place) to 4 (fully in place)" in all_text(root)


def test_a_theme_without_a_benchmark_says_so(client, login_as, make, session, scheme):
    theme = make.theme(code="D")
    assert theme.factors == []
    pair = make.pair(theme)  # no round either: a round needs a published benchmark
    login_as(scheme["coordinator"])
    root = parse(get(client, pair).data)
    assert "The theme's benchmark has no key factors yet" in all_text(root)
    assert "No self-assessment completed yet." in root.find(f"{SVG}desc").text


@pytest.mark.parametrize(("size", "width", "height"), [("a4", 210, 297), ("a3", 297, 420)])
def test_the_svg_has_the_paper_size_in_millimetres(client, login_as, known, size, width, height):
    login_as(known["coordinator"])
    root = parse(get(client, known["pair"], size=size).data)
    assert (root.get("width"), root.get("height")) == (f"{width}mm", f"{height}mm")
    assert root.get("viewBox") == f"0 0 {width} {height}"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_the_png_is_an_a4_page_at_the_stated_resolution(client, login_as, known):
    login_as(known["coordinator"])
    response = get(client, known["pair"], "png")
    assert response.mimetype == "image/png"
    assert PNG_DPI == 200
    assert png_size(response.data) == (1654, 2339) == PAGE_SIZES["a4"].pixels(PNG_DPI)


def pdf_media_box(data: bytes) -> tuple[float, float]:
    assert data.startswith(b"%PDF")
    match = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    return float(match.group(1)), float(match.group(2))


@pytest.mark.parametrize(("size", "points"), [("a4", (595, 842)), ("a3", (842, 1191))])
def test_the_pdf_has_the_requested_page_size(client, login_as, known, size, points):
    login_as(known["coordinator"])
    response = get(client, known["pair"], "pdf", size=size)
    assert response.mimetype == "application/pdf"
    width, height = pdf_media_box(response.data)
    assert width == pytest.approx(points[0], abs=1)
    assert height == pytest.approx(points[1], abs=1)


def test_files_are_served_safely_and_downloads_as_attachments(client, login_as, known):
    login_as(known["coordinator"])
    pair = known["pair"]
    response = get(client, pair)
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'"
    )
    assert response.headers["Content-Disposition"].startswith("inline")
    download = get(client, pair, "pdf", size="a3", download=1)
    assert download.headers["Content-Disposition"] == (
        'attachment; filename="infographic-cities-grow-B-Helsinki-Riga-a3.pdf"; '
        "filename*=UTF-8''infographic-cities-grow-B-Helsinki-Riga-a3.pdf"
    )


def test_an_unknown_size_is_not_found(client, login_as, known):
    login_as(known["coordinator"])
    assert client.get(f"/pairs/{known['pair'].id}/infographic.svg?size=letter").status_code == 404
    assert client.get(f"/pairs/{known['pair'].id}/infographic.gif").status_code == 404


def test_names_are_escaped_in_the_svg(client, login_as, make, scheme):
    pair = make.pair(scheme["theme"], mentor=make.city("Saint-<Denis> & Co"))
    login_as(scheme["coordinator"])
    root = parse(get(client, pair).data)
    assert "Saint-<Denis> & Co" in text_of(root, "headline")


def test_a_light_primary_colour_gets_dark_text(client, login_as, app, monkeypatch, known):
    monkeypatch.setitem(app.config, "INFOGRAPHIC_PRIMARY", "#F2E8CF")
    login_as(known["coordinator"])
    root = parse(get(client, known["pair"]).data)
    header = root.find(".//*[@id='header']")
    assert header.find(f"{SVG}rect").get("fill") == "#f2e8cf"
    assert root.find(".//*[@id='headline']").get("fill") == "#1f2a37"
    assert contrast("#f2e8cf", "#1f2a37") >= 4.5


def test_the_svg_loads_in_a_fixed_number_of_queries(client, login_as, make, known):
    login_as(known["coordinator"])
    pair = known["pair"]
    with QueryCounter() as few:
        get(client, pair)
    plan = plan_for_pair(pair)
    for number in range(12):
        make.action(plan, known["theme"].factors[number % 4 : number % 4 + 3])
        make.visit(pair, VisitKind.ONLINE, VisitStatus.HELD, starts_on=date(2026, 2, number + 1))
    with QueryCounter() as many:
        get(client, pair)
    assert few.count == many.count, (few.statements, many.statements)


def test_shortening_cuts_at_a_clause_or_a_word():
    standard = (
        "Working with its partners, the city makes sure that the local labour market draws "
        "fully on the skills migrants bring"
    )
    assert shorten(standard, 200) == standard
    assert shorten(standard, 60) == "Working with its partners, the city makes sure that the…"
    assert shorten("One, two three four five six", 20) == "One, two three four…"
    assert len(shorten(standard, 60)) <= 60
    assert wrap("a b c d e f g h", 3, 2) == ["a b", "c…"]
