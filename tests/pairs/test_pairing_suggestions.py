"""The "pair two cities" form shows the ranked mentor suggestions once a theme and an
implementing city are chosen: by a GET that keeps what was typed (no script needed), each
with a link that picks the mentor."""

from html import unescape

import pytest
import sqlalchemy as sa

from tests.assessments import add_round
from tests.helpers import page_text
from tracker.pairs.models import Pair

NEW = "/pairs/new"


@pytest.fixture
def world(make, session, scheme):
    """Theme B: Łódź is weak on factors 1-4; München is strong there, Gdańsk on two of them,
    Helsinki on none; Rīga mentors Łódź already, so it is left out; Malmö never assessed."""
    theme = scheme["theme"]
    lodz, munchen, gdansk = make.city("Łódź"), make.city("München"), make.city("Gdańsk")
    riga = make.city("Rīga")
    make.city("Malmö")
    make.pair(theme, mentor=riga, implementing=lodz)
    add_round(session, lodz, theme, [0, 0, 1, 1, 3, 3, 3, 3, 3, 3])
    add_round(session, munchen, theme, [4, 4, 3, 3, 0, 0, 0, 0, 0, 0])
    add_round(session, gdansk, theme, [3, 0, 0, 3, 4, 4, 4, 4, 4, 4])
    add_round(session, riga, theme, [4] * 10)
    add_round(session, scheme["pair"].mentor_city, theme, [1] * 10)
    session.flush()
    return {**scheme, "lodz": lodz, "munchen": munchen, "gdansk": gdansk, "riga": riga}


def asked(world, **extra):
    return {
        "theme_id": world["theme"].id,
        "implementing_city_id": world["lodz"].id,
        "mentor_city_id": "",
        "starts_on": "2026-03-01",
        "ends_on": "",
        "notes": 'Kick-off in "Manufaktura"\nthen visits',
        "suggest": "1",
        **extra,
    }


def test_the_form_ranks_the_mentors_and_keeps_what_was_typed(client, login_as, world, session):
    login_as(world["coordinator"])
    before = session.execute(sa.select(sa.func.count(Pair.id))).scalar_one()
    response = client.get(NEW, query_string=asked(world))
    assert response.status_code == 200
    text = page_text(response)
    assert "3 candidate mentors for Łódź, the strongest where it is weakest first." in text
    munchen = text.index("1 München Strong on 4 of your 4 weakest factors: 1, 2, 3, 4")
    gdansk = text.index("2 Gdańsk Strong on 2 of your 4 weakest factors: 1, 4")
    helsinki = text.index("3 Helsinki Strong on none of your 4 weakest factors.")
    assert munchen < gdansk < helsinki
    assert "Rīga Strong" not in text  # already mentors Łódź on this theme
    assert "cities have no self-assessment on this theme and cannot be compared" in text
    html = unescape(response.get_data(as_text=True))
    assert 'value="2026-03-01"' in html
    assert 'Kick-off in "Manufaktura"\nthen visits</textarea>' in html
    assert session.execute(sa.select(sa.func.count(Pair.id))).scalar_one() == before


def test_choosing_a_suggestion_picks_the_mentor_and_keeps_the_rest(client, login_as, world):
    login_as(world["coordinator"])
    html = client.get(NEW, query_string=asked(world)).get_data(as_text=True)
    start = html.index(f'data-pick-mentor="{world["munchen"].id}" href="') + len(
        f'data-pick-mentor="{world["munchen"].id}" href="'
    )
    link = unescape(html[start : html.index('"', start)])
    assert link.endswith("#mentor_city_id")
    response = client.get(link)
    page = response.get_data(as_text=True)
    assert f'<option selected value="{world["munchen"].id}">München</option>' in page
    assert 'value="2026-03-01"' in page
    assert "Chosen" in page_text(response)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"theme_id": ""}, "Choose a theme and an implementing city, then show the"),
        ({"implementing_city_id": "abc"}, "Choose a theme and an implementing city, then show"),
        ({"theme_id": "99999999999999"}, "Choose a theme and an implementing city, then show"),
    ],
)
def test_without_a_theme_and_city_the_form_says_what_to_choose(
    client, login_as, world, extra, message
):
    login_as(world["coordinator"])
    response = client.get(NEW, query_string=asked(world, **extra))
    assert response.status_code == 200
    assert message in page_text(response)


def test_a_city_without_a_round_gets_no_ranking_but_a_way_on(client, login_as, world, make):
    login_as(world["coordinator"])
    tampere = make.city("Tampere")
    text = page_text(client.get(NEW, query_string=asked(world, implementing_city_id=tampere.id)))
    assert "Tampere has completed no self-assessment on this theme" in text
    assert "Strong on" not in text


def test_the_form_without_asking_shows_no_suggestions(client, login_as, world):
    login_as(world["coordinator"])
    text = page_text(client.get(NEW))
    assert "Show mentor suggestions" in text
    assert "candidate mentor" not in text


@pytest.mark.parametrize("who", ["implementer", "mentor", "expert"])
def test_only_coordinators_see_suggestions_on_the_form(client, login_as, world, who):
    login_as(world[who])
    assert client.get(NEW, query_string=asked(world)).status_code == 403


def test_the_suggestion_script_is_served_by_the_app(client, login_as, world):
    login_as(world["coordinator"])
    html = client.get(NEW).get_data(as_text=True)
    assert 'src="/static/js/pair_suggestions.js?v=' in html
    response = client.get("/static/js/pair_suggestions.js")
    assert response.status_code == 200
    assert b"data-pick-mentor" in response.data
    response.close()


def test_the_csrf_token_the_button_sends_is_kept_out_of_the_address(client, login_as, world):
    login_as(world["coordinator"])
    response = client.get(NEW, query_string=asked(world, csrf_token="secret-token"))
    assert response.status_code == 303
    assert "csrf_token" not in response.location and "secret-token" not in response.location
    text = page_text(client.get(response.location))
    assert "3 candidate mentors for Łódź" in text
    html = unescape(client.get(response.location).get_data(as_text=True))
    assert 'Kick-off in "Manufaktura"\nthen visits</textarea>' in html
