"""Search finds what the user may see, and nothing else."""

from tests.helpers import page_text


def test_search_finds_pairs_actions_visits_and_deliverables(client, login_as, make, scheme):
    plan = make.plan(scheme["pair"])
    make.action(plan, title="Supplier day with the chamber")
    make.visit(scheme["pair"], agenda="Tour of the chamber of commerce")
    make.deliverable(
        scheme["pair"].implementing_city, scheme["pair"], title="Chamber partnership note"
    )
    login_as(scheme["implementer"])
    page = page_text(client.get("/search?q=CHAMBER"))
    assert "Supplier day with the chamber" in page and "Chamber partnership note" in page
    assert "Visits" in page and "3 results" in page
    assert "Helsinki → Riga" in page_text(client.get("/search?q=helsin"))


def test_search_never_shows_other_cities_work(client, login_as, make, scheme):
    stranger = make.pair(
        make.theme(code="A"), mentor=make.city("Munich"), implementing=make.city("Dresden")
    )
    make.action(make.plan(stranger), title="Secret Dresden action")
    login_as(scheme["implementer"])
    page = page_text(client.get("/search?q=Dresden"))
    assert "Secret Dresden action" not in page and "Munich" not in page
    login_as(scheme["coordinator"])
    assert "Secret Dresden action" in page_text(client.get("/search?q=Dresden"))


def test_search_treats_wildcards_as_text_and_asks_for_two_letters(client, login_as, scheme):
    login_as(scheme["implementer"])
    assert "Type at least 2 letters." in page_text(client.get("/search?q=a"))
    assert "Nothing you can see matches" in page_text(client.get("/search?q=%25%25"))
    assert client.get("/search?q=" + "x" * 5000).status_code == 200
