"""Coordinators pair cities; the rules are explained on the form and nothing is saved."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from tests.helpers import page_text
from tracker.audit.models import AuditEntry
from tracker.catalogue.models import Programme, Theme
from tracker.pairs.models import Pair, PairStatus


@pytest.fixture
def coordinator_client(client, login_as, make):
    login_as(make.coordinator())
    return client


def pair_form(theme, mentor, implementing, **extra):
    return {
        "theme_id": theme.id,
        "mentor_city_id": mentor.id,
        "implementing_city_id": implementing.id,
        **extra,
    }


def pair_count(session):
    return session.execute(sa.select(sa.func.count(Pair.id))).scalar_one()


def test_a_coordinator_pairs_two_cities(coordinator_client, make, session):
    theme, riga, helsinki = make.theme(code="B"), make.city("Riga"), make.city("Helsinki")
    response = coordinator_client.post("/pairs/new", data=pair_form(theme, helsinki, riga))
    assert response.status_code == 302
    pair = session.execute(sa.select(Pair)).scalars().one()
    assert (pair.mentor_city_id, pair.implementing_city_id) == (helsinki.id, riga.id)
    assert pair.status is PairStatus.PLANNED
    page = page_text(coordinator_client.get(response.location))
    assert "Helsinki" in page and "Riga" in page and "MigrationWork" in page
    audit = session.execute(
        sa.select(AuditEntry).where(AuditEntry.action == "pair.created")
    ).scalar_one()
    assert audit.pair_id == pair.id


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("same city", "A city cannot mentor itself"),
        ("duplicate", "are already paired in theme A"),
        ("swapped duplicate", "are already paired in theme A"),
        ("not a city", "only cities can be paired"),
    ],
)
def test_invalid_pairs_are_refused_with_a_clear_message(
    coordinator_client, make, session, case, message
):
    theme, first, second = make.theme(), make.city("Ghent"), make.city("Nantes")
    make.pair(theme, mentor=first, implementing=second)
    before = pair_count(session)
    data = {
        "same city": pair_form(theme, first, first),
        "duplicate": pair_form(theme, first, second),
        "swapped duplicate": pair_form(theme, second, first),
        "not a city": pair_form(theme, first, make.expert_organisation()),
    }[case]
    response = coordinator_client.post("/pairs/new", data=data)
    assert response.status_code == 200
    assert message in page_text(response)
    assert pair_count(session) == before


def test_the_end_cannot_come_before_the_start(coordinator_client, make):
    response = coordinator_client.post(
        "/pairs/new",
        data=pair_form(
            make.theme(), make.city(), make.city(), starts_on="2027-05-01", ends_on="2027-01-01"
        ),
    )
    assert "The end date is before the start date." in page_text(response)


def test_a_pair_can_be_edited_without_tripping_over_itself(coordinator_client, make, session):
    pair = make.pair(make.theme())
    response = coordinator_client.post(
        f"/pairs/{pair.id}/edit",
        data=pair_form(
            pair.theme, pair.mentor_city, pair.implementing_city, notes="Kick-off in May"
        ),
    )
    assert response.status_code == 302
    session.refresh(pair)
    assert pair.notes == "Kick-off in May"


def test_the_theme_of_a_pair_with_visits_cannot_change(coordinator_client, make):
    pair = make.pair(make.theme(code="A"))
    make.visit(pair)
    response = coordinator_client.post(
        f"/pairs/{pair.id}/edit",
        data=pair_form(make.theme(code="B"), pair.mentor_city, pair.implementing_city),
    )
    assert "its theme can no longer change" in page_text(response)


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        (PairStatus.PLANNED, PairStatus.ACTIVE, True),
        (PairStatus.PLANNED, PairStatus.WITHDRAWN, True),
        (PairStatus.PLANNED, PairStatus.COMPLETED, False),
        (PairStatus.ACTIVE, PairStatus.COMPLETED, True),
        (PairStatus.ACTIVE, PairStatus.WITHDRAWN, True),
        (PairStatus.ACTIVE, PairStatus.PLANNED, False),
        (PairStatus.COMPLETED, PairStatus.ACTIVE, True),
        (PairStatus.COMPLETED, PairStatus.WITHDRAWN, False),
        (PairStatus.WITHDRAWN, PairStatus.PLANNED, True),
        (PairStatus.WITHDRAWN, PairStatus.ACTIVE, False),
    ],
)
def test_pair_status_transitions(coordinator_client, make, session, start, target, allowed):
    pair = make.pair(status=start)
    coordinator_client.post(f"/pairs/{pair.id}/status", data={"status": target.value})
    session.refresh(pair)
    assert pair.status is (target if allowed else start)


def test_the_status_menu_preselects_nothing_and_an_empty_choice_changes_nothing(
    coordinator_client, make, session
):
    pair = make.pair(status=PairStatus.ACTIVE)
    page = coordinator_client.get(f"/pairs/{pair.id}").get_data(as_text=True)
    assert '<option value="" selected disabled>' in page
    response = coordinator_client.post(
        f"/pairs/{pair.id}/status", data={"status": ""}, follow_redirects=True
    )
    assert "Choose the pair&#39;s new status from the list." in response.get_data(as_text=True)
    session.refresh(pair)
    assert pair.status is PairStatus.ACTIVE


@pytest.mark.parametrize("who", ["city_member", "expert"])
def test_only_coordinators_pair_cities(client, login_as, make, session, who):
    theme = make.theme(code="B")
    user = make.city_member() if who == "city_member" else make.expert(theme.expert_organisation)
    login_as(user)
    assert client.get("/pairs/new").status_code == 403
    response = client.post("/pairs/new", data=pair_form(theme, make.city(), make.city()))
    assert response.status_code == 403
    assert pair_count(session) == 0


def test_a_city_member_cannot_edit_or_restatus_their_own_pair(client, login_as, make, session):
    pair = make.pair()
    login_as(make.city_member(pair.implementing_city))
    assert client.get(f"/pairs/{pair.id}/edit").status_code == 403
    assert client.post(f"/pairs/{pair.id}/status", data={"status": "withdrawn"}).status_code == 403
    session.refresh(pair)
    assert pair.status is PairStatus.ACTIVE


def test_the_theme_page_lists_its_pairs(coordinator_client, make):
    make.pair(make.theme(code="C"), mentor=make.city("Rotterdam"), implementing=make.city("Lisbon"))
    page = page_text(coordinator_client.get("/catalogue/cities-grow/themes/C"))
    assert "Pairs on this theme" in page and "Rotterdam" in page and "Lisbon" in page


def test_the_pair_page_shows_the_people_of_both_cities_and_the_expert(coordinator_client, make):
    theme = make.theme(code="B")
    pair = make.pair(theme)
    make.city_member(pair.mentor_city, name="Mentor Person")
    make.city_member(pair.implementing_city, name="Implementer Person")
    make.expert(theme.expert_organisation, name="Expert Person")
    make.city_member(make.city(), name="Unrelated Person")
    page = page_text(coordinator_client.get(f"/pairs/{pair.id}"))
    for name in ("Mentor Person", "Implementer Person", "Expert Person"):
        assert name in page
    assert "Unrelated Person" not in page


def test_programmes_starting_the_same_day_each_group_their_themes_once(coordinator_client, session):
    """Two networks launched on one day: each programme's themes stay together under its
    name in the theme select (they were interleaved, each programme repeated theme by theme)."""
    launch = date(2031, 3, 1)
    for key, name in (("gdansk-net", "Gdańsk network"), ("riga-net", "Rīga network")):
        programme = Programme(key=key, name=name, period_start=launch)
        programme.themes = [Theme(code=code, title=f"{name}, theme {code}") for code in "ABC"]
        session.add(programme)
    session.flush()
    page = coordinator_client.get("/pairs/new").get_data(as_text=True)
    groups = re.findall(r'<optgroup label="([^"]+)"', page)
    assert groups[:2] == ["Gdańsk network", "Rīga network"]  # the newest first, then by name
    assert len(groups) == len(set(groups))
