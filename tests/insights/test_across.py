"""The benchmark across cities and the mentor suggestions, on a known data set, through the
pages as coordinators and experts use them."""

from datetime import date
from html.parser import HTMLParser
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.assessments import add_round
from tests.helpers import QueryCounter, page_text
from tracker.assessments.models import AssessmentRound, AssessmentStatus

RIGA_BASELINE = [0, 1, 2, 1, 0, 3, 1, 2, 0, 1]
RIGA_MIDTERM = [1, 2, 2, 1, 1, 3, 2, 2, 1, 2]
HELSINKI_BASELINE = [4, 3, 3, 4, 2, 4, 3, 3, 2, 4]
GDANSK_FINAL = [2, 2, 2, 2, 2, 2, 2, 2, 2, None]
MUNCHEN_BASELINE = [3, 0, 0, 4, 4, 0, 0, 0, 2, 0]


@pytest.fixture
def world(make, session, scheme):
    """Theme B: Helsinki mentors Riga; Gdańsk and München assessed themselves unpaired on B
    (München mentors Łódź on theme A); Łódź never assessed itself on B; factor 10 retired
    after the rounds were taken."""
    theme = scheme["theme"]
    riga, helsinki = scheme["pair"].implementing_city, scheme["pair"].mentor_city
    gdansk, munchen, lodz = make.city("Gdańsk"), make.city("München"), make.city("Łódź")
    make.pair(make.theme(code="A"), mentor=munchen, implementing=lodz)
    add_round(session, riga, theme, RIGA_BASELINE, on=date(2026, 1, 10))
    add_round(
        session, riga, theme, RIGA_MIDTERM, round=AssessmentRound.MIDTERM, on=date(2026, 2, 10)
    )
    add_round(session, helsinki, theme, HELSINKI_BASELINE, on=date(2026, 1, 12))
    add_round(
        session, gdansk, theme, GDANSK_FINAL, round=AssessmentRound.FINAL, on=date(2026, 2, 20)
    )
    add_round(session, munchen, theme, MUNCHEN_BASELINE, on=date(2026, 1, 15))
    add_round(session, lodz, theme, [4] * 10, status=AssessmentStatus.DRAFT)
    theme.factors[9].retired_in_version = 2
    session.flush()
    return {**scheme, "riga": riga, "gdansk": gdansk, "munchen": munchen, "lodz": lodz}


ACROSS = "/catalogue/cities-grow/themes/B/across"


class MatrixTable(HTMLParser):
    """The matrix table's cells by section (thead, tbody, tfoot), as text."""

    def __init__(self):
        super().__init__()
        self.inside, self.section, self.cell = False, None, None
        self.rows = {"thead": [], "tbody": [], "tfoot": []}

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "across-matrix" in (dict(attrs).get("class") or ""):
            self.inside = True
        elif self.inside and tag in self.rows:
            self.section = tag
        elif self.inside and tag == "tr":
            self.rows[self.section].append([])
        elif self.inside and tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("th", "td") and self.cell is not None:
            self.rows[self.section][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def rows_of(client, query=""):
    """The matrix as the page shows it: the heads, each body row's cells, the averages."""
    parser = MatrixTable()
    parser.feed(client.get(ACROSS + query).get_data(as_text=True))
    foot = parser.rows["tfoot"][0][1:] if parser.rows["tfoot"] else []
    head = parser.rows["thead"][0] if parser.rows["thead"] else []
    return head, parser.rows["tbody"], foot


def test_the_latest_rounds_of_every_city_with_levels_in_words_and_averages(client, login_as, world):
    login_as(world["coordinator"])
    head, body, foot = rows_of(client)
    assert [row[0] for row in body] == ["Gdańsk", "Helsinki", "München", "Riga"]
    assert len(head) == 2 + 10 + 1  # the retired factor 10 was rated by the rounds shown
    assert "Retired" in head[11]
    riga = body[3]
    assert riga[1] == "Mid-term 10 Feb 2026" or riga[1].startswith("Mid-term")
    assert riga[2] == "1 — Being discussed or planned"
    assert riga[7] == "3 — Largely in place"
    assert riga[-1].startswith("+0.60")  # 6 levels gained over 10 factors rated in both
    assert body[0][11] == "—"  # Gdańsk's final round left factor 10 unrated
    assert body[1][-1] == "This is the baseline"  # Helsinki has only its baseline
    assert body[0][-1] == "No baseline to compare"  # Gdańsk has only its final round
    assert foot[0] == "2.50"  # factor 1: (2 + 4 + 3 + 1) / 4
    assert foot[9] == "2.00"  # factor 10: (4 + 0 + 2) / 3, Gdańsk left it unrated


def test_filters_by_round_and_role_and_sorts_by_factor(client, login_as, world):
    login_as(world["expert"])
    _head, body, foot = rows_of(client, "?round=baseline")
    assert [row[0] for row in body] == ["Helsinki", "München", "Riga"]
    assert foot[0] == "2.33"  # (4 + 3 + 0) / 3
    head, body, _foot = rows_of(client, "?round=final")
    assert [row[0] for row in body] == ["Gdańsk"]
    assert len(head) == 2 + 9 + 1  # no shown round rated the retired factor
    _head, body, _foot = rows_of(client, "?role=implementing")
    assert [row[0] for row in body] == ["Riga"]
    _head, body, _foot = rows_of(client, "?role=mentor&round=latest")
    assert [row[0] for row in body] == ["Helsinki"]
    _head, body, _foot = rows_of(client, "?sort=appropriate-framework")
    assert [row[0] for row in body] == ["Helsinki", "München", "Gdańsk", "Riga"]
    text = page_text(client.get(ACROSS + "?round=latest&role=all&sort=city"))
    assert "There is no" not in text


def test_unknown_filters_fall_back_and_an_empty_matrix_says_what_to_do(client, login_as, scheme):
    login_as(scheme["coordinator"])
    response = client.get(ACROSS + "?round=%22%0A&role=x&sort=<b>")
    assert response.status_code == 200
    assert "<b>" not in response.get_data(as_text=True)
    text = page_text(response)
    assert "There is no round “\" ”: each city's latest completed round is shown." in text
    assert "There is no role “x”: every city is shown." in text
    assert "There is no factor “<b>” to order by: the cities are in name order." in text
    assert "No city has completed a self-assessment on this theme yet" in text
    text = page_text(client.get(ACROSS + "?round=final"))
    assert "No city matches these filters" in text


def test_the_export_holds_the_same_cells(client, login_as, world):
    login_as(world["coordinator"])
    response = client.get(ACROSS + ".xlsx?round=latest&sort=appropriate-framework")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:-1]] == ["Helsinki", "München", "Gdańsk", "Riga"]
    assert rows[1][3] == "4 — Fully in place"
    assert rows[4][-1] == 0.6
    assert rows[-1][0] == "Average" and rows[-1][3] == 2.5


def test_cities_and_other_experts_may_not_compare(client, login_as, world):
    for who in ("implementer", "mentor", "other_expert"):
        login_as(world[who])
        assert client.get(ACROSS).status_code == 403


SUGGESTIONS = "/catalogue/cities-grow/themes/B/suggestions"


def test_suggestions_for_riga_rank_the_unpaired_cities(client, login_as, world):
    login_as(world["coordinator"])
    text = page_text(client.get(f"{SUGGESTIONS}?city={world['riga'].id}"))
    assert "at most 4" in text  # the method is stated
    # Riga's weakest live factors are 1, 4, 5 and 9 (level 1 each); Helsinki already mentors it.
    munchen = text.index("München Strong on 3 of your 4 weakest factors: 1, 4, 5 1")
    gdansk = text.index("Gdańsk Strong on none of your 4 weakest factors. 0")
    assert munchen < gdansk
    assert "Helsinki Strong" not in text
    apart = text[text.index("Cities without a self-assessment on this theme") :]
    outsider = world["outsider"].organisation.name
    assert "Łódź" in apart and outsider in apart and "Riga" not in apart and "Helsinki" not in apart


def test_suggestions_without_any_round_say_so(client, login_as, scheme):
    login_as(scheme["coordinator"])
    text = page_text(client.get(f"{SUGGESTIONS}?city=abc"))
    assert "No city has completed a self-assessment on this theme" in text


@pytest.mark.parametrize("page", [ACROSS, ACROSS + ".xlsx", SUGGESTIONS + "?city={riga}"])
def test_pages_run_as_many_queries_at_10_and_300_cities(
    client, login_as, make, session, world, page
):
    login_as(world["coordinator"])
    target = page.format(riga=world["riga"].id)

    def grow(count):
        for number in range(count):
            city = make.city(f"Stadt {len(grow.made)}")
            grow.made.append(city)
            add_round(session, city, world["theme"], [number % 5] * 10)
        session.flush()

    grow.made = []

    def queries():
        with QueryCounter() as counter:
            response = client.get(target)
            assert response.status_code == 200
            response.get_data()
        return counter.count

    grow(10)
    small = queries()
    grow(290)
    assert queries() == small
