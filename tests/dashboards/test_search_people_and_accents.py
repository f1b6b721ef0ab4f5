"""Search finds people within what the user may see, ignores case and accents on SQLite and
PostgreSQL, reads reports, recommendations and comments, groups by kind with counts and marks
the match (issue 18, item 5)."""

import pytest

from tests.helpers import page_text
from tracker.folding import find, fold
from tracker.plans.models import PlanComment
from tracker.visits.models import VisitStatus


@pytest.mark.parametrize(
    "text,folded",
    [
        ("Rīga", "riga"),
        ("ŁÓDŹ", "lodz"),
        ("München", "munchen"),
        ("Straße", "strasse"),
        ("  Gdańsk\n harbour ", "gdansk harbour"),
        ("İstanbul", "istanbul"),
        ("تل أبيب", "تل ابيب"),
    ],
)
def test_folding_drops_case_and_accents(text, folded):
    assert fold(text) == folded


def test_a_match_is_found_in_the_original_text():
    assert find("Visit to Łódź in May", "lodz") == (9, 13)
    assert find("Die Straße", "STRASSE") == (4, 10)
    assert find("Rīga", "x") is None


def test_a_person_is_found_within_what_the_user_may_see(client, login_as, make, scheme):
    make.city_member(make.city("Dresden"), name="Mikko Unseen")
    login_as(scheme["implementer"])
    page = page_text(client.get("/search?q=mikko"))
    assert "People 1" in page and "Mikko Virtanen" in page and "Unseen" not in page
    assert "Helsinki" in page  # the person's organisation
    login_as(scheme["outsider"])
    assert "Mikko Virtanen" not in page_text(client.get("/search?q=Mikko"))
    login_as(scheme["coordinator"])
    page = client.get("/search?q=MIKKO").get_data(as_text=True)
    assert "<mark>Mikko</mark> Virtanen" in page and "<mark>Mikko</mark> Unseen" in page


@pytest.mark.parametrize("query", ["Riga", "Rīga", "rīga", "RIGA", "rIgA"])
def test_riga_is_found_with_or_without_the_macron(client, login_as, make, session, scheme, query):
    riga = scheme["pair"].implementing_city
    riga.name = "Rīga"
    session.flush()
    make.visit(scheme["pair"], agenda="Walk along the Daugava")
    login_as(scheme["implementer"])
    response = client.get("/search", query_string={"q": query})
    page = page_text(response)
    assert "Cities 1" in page and "Pairs 1" in page and "Visits 1" in page
    assert "<mark>Rīga</mark>" in response.get_data(as_text=True)


def test_reports_recommendations_and_comments_are_searched(client, login_as, make, session, scheme):
    pair = scheme["pair"]
    visit = make.visit(pair, status=VisitStatus.HELD)
    report = make.report(visit, recommendations=2)
    report.summary = "The job centre of Rīga met the “Łódź” delegation.\nA long day."
    report.recommendations[0].text = "Open a one-stop shop for employers near the LODZ model"
    plan = make.plan(pair)
    session.add(PlanComment(plan=plan, author=scheme["mentor"], body="Ask Łódź for their budget"))
    session.flush()
    login_as(scheme["expert"])
    response = client.get("/search?q=lodz")
    page = page_text(response)
    assert "3 results" in page
    assert "Visit reports 1" in page and "Recommendations 1" in page and "Comments 1" in page
    html = response.get_data(as_text=True)
    assert "“<mark>Łódź</mark>” delegation" in html
    assert "near the <mark>LODZ</mark> model" in html and "Ask <mark>Łódź</mark> for" in html
    login_as(scheme["outsider"])
    assert "Nothing you can see matches" in page_text(client.get("/search?q=lodz"))


def test_counts_say_how_many_match_beyond_the_first_ten(client, login_as, make, scheme):
    plan = make.plan(scheme["pair"])
    for number in range(12):
        make.action(plan, title=f"Fair number {number} in Gdańsk")
    login_as(scheme["implementer"])
    page = page_text(client.get("/search?q=gdansk"))
    assert "Actions 12" in page and "The first 10 of 12" in page
    assert page.count("Fair number") == 10


def test_an_edited_text_is_found_by_its_new_words(client, login_as, make, session, scheme):
    plan = make.plan(scheme["pair"])
    action = make.action(plan, title="Supplier day")
    action.title = "Käufer und Lieferanten"
    session.flush()
    login_as(scheme["implementer"])
    assert "Käufer und Lieferanten" in page_text(client.get("/search?q=kaufer"))
    assert "Nothing you can see matches" in page_text(client.get("/search?q=supplier"))
