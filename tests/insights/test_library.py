"""The practice library: where each example travelled, as each reader may see it, with peer
reading off and on; a city's practices; the practice transfer on the programme report."""

from datetime import date

import pytest
from markupsafe import escape

from tests.helpers import QueryCounter, page_text
from tracker.catalogue.models import Example, Factor, Programme, Theme
from tracker.plans.models import PlanStatus
from tracker.sharing.models import PeerReading

LIBRARY = "/practices"


@pytest.fixture
def world(make, session, scheme):
    """Two live examples of theme B's first factor cited: the first by Riga's submitted plan
    (Helsinki → Riga) and by Gdańsk's (Helsinki → Gdańsk, in implementation), and by Łódź's
    draft plan; nobody cites the second."""
    theme = scheme["theme"]
    factor = theme.factors[0]
    first, second = factor.examples[0], factor.examples[1]
    helsinki = scheme["pair"].mentor_city
    gdansk_pair = make.pair(theme, mentor=helsinki, implementing=make.city("Gdańsk"))
    lodz_pair = make.pair(theme, mentor=make.city("Porto"), implementing=make.city("Łódź"))
    for pair, status, title in (
        (scheme["pair"], PlanStatus.UNDER_REVIEW, 'Riga\'s "one-stop" desk'),
        (gdansk_pair, PlanStatus.IN_IMPLEMENTATION, "Gdańsk welcome desk"),
        (lodz_pair, PlanStatus.DRAFT, "Łódź draft idea"),
    ):
        make.action(make.plan(pair, status=status), [factor], title=title, example=first)
    session.flush()
    return {**scheme, "first": first, "second": second, "gdansk_pair": gdansk_pair}


def travel_line(client, example):
    """What the library says of where the example travelled (searched by its whole title)."""
    text = page_text(client.get(LIBRARY, query_string={"q": example.title}))
    assert "1 practice " in text
    start = min(text.find(mark) % len(text) for mark in ("This practice", "No action you"))
    return " " + text[start : text.index("City-to-city mentoring tracker")].strip()


def test_coordinators_see_every_city_it_travelled_to(client, login_as, world):
    login_as(world["coordinator"])
    line = travel_line(client, world["first"])
    # every pair is the coordinators' own scope, the draft plan's too
    assert line.startswith(" This practice travelled to Gdańsk, Łódź, Riga. 3 actions cite it.")
    assert "more action" not in line
    assert travel_line(client, world["second"]).startswith(" No action you can see cites it yet.")


def test_a_city_sees_its_own_and_counts_the_rest_peer_reading_off(client, login_as, world):
    login_as(world["implementer"])  # Riga
    line = travel_line(client, world["first"])
    assert line.startswith(" This practice travelled to Riga. 1 action cites it.")
    # Gdańsk's plan counted, Łódź's draft not even counted
    assert "1 more action in pairs you do not follow cites it." in line


def test_with_peer_reading_a_city_sees_the_programme_s_plans_past_draft(
    client, login_as, session, world
):
    session.add(PeerReading(programme_id=world["theme"].programme_id))
    session.flush()
    login_as(world["implementer"])
    line = travel_line(client, world["first"])
    assert line.startswith(" This practice travelled to Gdańsk and Riga. 2 actions cite it.")
    assert "more action" not in line


def test_filters_and_an_empty_result(client, login_as, world):
    login_as(world["outsider"])
    factor = world["theme"].factors[0]
    text = page_text(client.get(f"{LIBRARY}?theme={world['theme'].id}&factor={factor.id}"))
    count = len(factor.examples)
    assert f"{count} practice" in text
    text = page_text(client.get(f"{LIBRARY}?q=%22nothing%22%0Aat all"))
    assert "No practice matches these filters." in text
    text = page_text(client.get(f"{LIBRARY}?city={world['first'].city_name}"))
    assert world["first"].title in text


def test_a_city_s_practices_adopted_and_the_programme_report(client, login_as, world):
    login_as(world["coordinator"])
    riga = world["pair"].implementing_city
    text = page_text(client.get(f"/practices/cities/{riga.id}"))
    assert world["first"].title in text and 'Riga\'s "one-stop" desk' in text
    report = page_text(client.get("/programmes/cities-grow/report"))
    transfer = report[report.index("Practice transfer") :]
    assert "cited by actions of Gdańsk, Riga" in transfer
    assert "Łódź" not in transfer


def test_the_library_runs_as_many_queries_with_more_citing_pairs(
    client, login_as, make, session, world
):
    login_as(world["implementer"])
    factor = world["theme"].factors[0]

    def grow(count):
        for _number in range(count):
            pair = make.pair(world["theme"], mentor=make.city(), implementing=make.city())
            make.action(
                make.plan(pair, status=PlanStatus.UNDER_REVIEW), [factor], example=world["first"]
            )
        session.flush()

    def queries():
        with QueryCounter() as counter:
            assert client.get(LIBRARY).status_code == 200
        return counter.count

    grow(10)
    small = queries()
    grow(290)
    assert queries() == small


@pytest.mark.parametrize(
    ("typed", "found"),
    [("Gdansk", "Gdańsk"), ("lodz", "Łódź"), ("munchen", "München"), ("RIGA", "Rīga")],
)
def test_the_search_ignores_case_and_accents(client, login_as, session, world, typed, found):
    factor = world["theme"].factors[1]
    session.add(
        Example(
            factor=factor,
            position=9,
            city_name=found,
            country=None,
            title=f"The one-stop shop of {found}",
            summary='Opened in 2019;\nit serves "everyone".',
        )
    )
    session.flush()
    login_as(world["outsider"])
    text = page_text(client.get(LIBRARY, query_string={"q": f" {typed}  "}))
    assert f"The one-stop shop of {found}" in text
    assert world["second"].title not in text


def test_a_search_with_like_wildcards_matches_them_literally(client, login_as, world):
    login_as(world["outsider"])
    text = page_text(client.get(LIBRARY, query_string={"q": "%_"}))
    assert "No practice matches these filters." in text


def factor_option(theme, factor, selected=False):
    chosen = " selected" if selected else ""
    label = escape(f"{theme.code}{factor.number}. {factor.title}")
    return f'<option value="{factor.id}"{chosen}>{label}</option>'


def test_the_factor_filter_offers_the_chosen_theme_s_factors_only(client, login_as, make, world):
    login_as(world["outsider"])
    theme, other = world["theme"], make.theme(code="A")
    html = client.get(LIBRARY).get_data(as_text=True)
    # The themes under their programme's name; no factor until a theme is chosen.
    assert f'<optgroup label="{theme.programme.name}">' in html
    assert f'<option value="{theme.id}">{theme.label}</option>' in html
    assert '<select class="form-select" id="factor" name="factor" disabled' in html
    assert "Choose a theme and press Filter to see its factors." in page_text(client.get(LIBRARY))
    assert factor_option(theme, theme.factors[0]) not in html
    html = client.get(LIBRARY, query_string={"theme": theme.id}).get_data(as_text=True)
    assert all(factor_option(theme, factor) in html for factor in theme.factors)
    assert factor_option(other, other.factors[0]) not in html
    assert "Choose a theme and press" not in html


def test_a_factor_given_without_its_theme_chooses_its_theme(client, login_as, world):
    login_as(world["outsider"])
    theme, factor = world["theme"], world["theme"].factors[1]
    response = client.get(LIBRARY, query_string={"factor": factor.id})
    html = response.get_data(as_text=True)
    assert f'<option value="{theme.id}" selected>{theme.label}</option>' in html
    assert factor_option(theme, factor, selected=True) in html
    text = page_text(response)
    assert f"{len(factor.examples)} practice" in text and "not in the" not in text
    assert world["first"].title not in text


@pytest.mark.parametrize("factor", ["factor-1", "999999999", "-3", "1e3"])
def test_an_unknown_factor_or_theme_is_dropped_with_a_message(client, login_as, world, factor):
    login_as(world["outsider"])
    response = client.get(LIBRARY, query_string={"factor": factor, "theme": "nope"})
    assert response.status_code == 200
    text = page_text(response)
    assert "The factor chosen is not in the current benchmarks: every factor is shown." in text
    assert "The theme chosen is not in the benchmarks: every theme is shown." in text
    assert world["first"].title in text


def test_a_factor_of_another_theme_than_the_chosen_one_is_dropped(client, login_as, make, world):
    login_as(world["outsider"])
    other = make.theme(code="A").factors[0]
    text = page_text(
        client.get(LIBRARY, query_string={"theme": world["theme"].id, "factor": other.id})
    )
    assert (
        "The factor chosen is not in the theme chosen: every factor of that theme is shown." in text
    )
    assert world["first"].title in text and world["second"].title in text


def test_the_library_pages_its_count_and_keys_together(client, login_as, world, session):
    """The count comes with the page's keys: right on every page, and a page past the end
    gives the last one."""
    factor = world["theme"].factors[1]
    for number in range(25):
        session.add(
            Example(
                factor=factor,
                position=10 + number,
                city_name="Gdańsk",
                title=f"Harbour «desk» {number:02d}",
                summary="Kept open\non Sundays.",
            )
        )
    session.flush()
    login_as(world["coordinator"])
    total = session.query(Example).filter(Example.is_live).count()
    first = page_text(client.get(LIBRARY))
    assert f"{total} practices" in first
    last_number = -(-total // 20)
    last = page_text(client.get(LIBRARY, query_string={"page": last_number}))
    beyond = page_text(client.get(LIBRARY, query_string={"page": 99}))
    assert f"{total} practices" in last and last == beyond and last != first
    harbour = page_text(client.get(LIBRARY, query_string={"q": "harbour", "page": 2}))
    assert "25 practices" in harbour and "Harbour «desk» 24" in harbour
    assert "Harbour «desk» 19" not in harbour
    nothing = page_text(client.get(LIBRARY, query_string={"q": "nowhere at all", "page": 3}))
    assert "No practice matches these filters." in nothing


@pytest.fixture
def running(session, world, today):
    """A network under way on the frozen day (the bundled programmes ended years ago), with one
    live example of its own."""
    programme = Programme(
        key="baltic-ports",
        name="Baltic ports «2026»",
        period_start=date(2025, 9, 1),
        period_end=date(2027, 8, 31),
    )
    theme = Theme(code="A", title="Harbours and jobs", programme=programme)
    factor = Factor(key="quays", position=1, title="Open quays", statement="", theme=theme)
    example = Example(
        factor=factor,
        position=1,
        city_name="Gdańsk",
        country="Poland",
        title='The "Motława" quay desk',
        summary="Open on Sundays.\nאפשר לשאול בעברית.",
    )
    session.add(example)
    session.flush()
    return {**world, "programme": programme, "theme": theme, "example": example}


def test_the_library_opens_on_the_programmes_under_way(client, login_as, running):
    login_as(running["coordinator"])
    response = client.get(LIBRARY)
    page, text = response.get_data(as_text=True), page_text(response)
    assert "1 practice " in text and 'The "Motława" quay desk' in text
    assert running["first"].title not in text
    assert f'<option value="{running["theme"].id}">A. Harbours and jobs</option>' in page
    assert f'<option value="{running["first"].factor.theme_id}"' not in page
    every = page_text(client.get(LIBRARY, query_string={"programme": "*"}))
    assert running["first"].title in every and 'The "Motława" quay desk' in every
    ended = page_text(client.get(LIBRARY, query_string={"programme": "cities-grow"}))
    assert running["first"].title in ended and "Motława" not in ended


def test_a_theme_of_an_ended_programme_shows_its_own_programme(client, login_as, running):
    """An old link to a theme: its programme is shown, chosen in the programme filter."""
    login_as(running["coordinator"])
    theme = running["first"].factor.theme
    response = client.get(LIBRARY, query_string={"theme": theme.id})
    assert running["first"].title in page_text(response)
    page = response.get_data(as_text=True)
    assert '<option value="cities-grow" selected>' in page


def test_a_programme_changed_after_a_theme_was_chosen_drops_the_theme(client, login_as, running):
    login_as(running["coordinator"])
    theme = running["first"].factor.theme
    text = page_text(
        client.get(LIBRARY, query_string={"programme": "baltic-ports", "theme": theme.id})
    )
    assert "The theme chosen is not in the programme chosen: every theme of it is shown." in text
    assert 'The "Motława" quay desk' in text and running["first"].title not in text


def test_an_unknown_programme_is_dropped_with_a_message(client, login_as, running):
    login_as(running["coordinator"])
    text = page_text(client.get(LIBRARY, query_string={"programme": "<script>"}))
    assert "The programme chosen is not in the tracker: the default is shown." in text
    assert 'The "Motława" quay desk' in text
