"""Who can reach what: pages are scoped to the user's role, city and expert organisation."""

import pytest

from tests.helpers import page_text
from tracker.auth.models import Role
from tracker.auth.policy.rules import Need, Relation, can, relations

COORDINATOR_PAGES = [
    "/organisations/",
    "/organisations/new",
    "/users/",
    "/users/new",
    "/catalogue/load",
]


@pytest.fixture
def world(make):
    """Two pairs in theme B (facilitated by MigrationWork) and the people around them."""
    theme = make.theme(code="B")
    riga, helsinki, munich, dresden = (
        make.city(name) for name in ("Riga", "Helsinki", "Munich", "Dresden")
    )
    ours = make.pair(theme, mentor=helsinki, implementing=riga)
    theirs = make.pair(theme, mentor=munich, implementing=dresden)
    other_theme = make.pair(make.theme(code="A"), mentor=munich, implementing=riga)
    return {
        "ours": ours,
        "theirs": theirs,
        "other_theme": other_theme,
        "implementer": make.city_member(riga),
        "mentor": make.city_member(helsinki),
        "outsider": make.city_member(dresden),
        "expert": make.expert(theme.expert_organisation),
        "other_expert": make.expert(make.expert_organisation()),
        "coordinator": make.coordinator(),
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("implementer", 200),
        ("mentor", 200),
        ("expert", 200),
        ("outsider", 404),
        ("other_expert", 404),
    ],
)
def test_a_pair_page_is_seen_only_by_those_involved(client, login_as, world, who, status):
    login_as(world[who])
    assert client.get(f"/pairs/{world['ours'].id}").status_code == status


def test_a_missing_pair_is_not_found(client, login_as, world):
    login_as(world["coordinator"])
    assert client.get("/pairs/999999").status_code == 404


@pytest.mark.parametrize("who", ["implementer", "mentor", "expert", "outsider"])
@pytest.mark.parametrize("url", COORDINATOR_PAGES)
def test_coordinator_pages_are_forbidden_to_others(client, login_as, world, who, url):
    login_as(world[who])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", COORDINATOR_PAGES)
def test_coordinator_pages_open_for_coordinators(client, login_as, world, url):
    login_as(world["coordinator"])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/", "/pairs/", "/catalogue/", "/users/", "/account/password"])
def test_anonymous_visitors_are_sent_to_sign_in(client, world, url):
    response = client.get(url)
    assert response.status_code == 302 and "/sign-in" in response.location


def test_a_city_member_can_not_post_to_coordinator_forms(client, login_as, world, session):
    login_as(world["implementer"])
    response = client.post(
        "/users/new", data={"name": "Mole", "email": "mole@example.org", "role": "coordinator"}
    )
    assert response.status_code == 403


def test_the_pair_list_shows_only_the_users_pairs(client, login_as, world):
    def listed(who):
        login_as(world[who])
        text = page_text(client.get("/pairs/"))
        return {name for name in ("Riga", "Dresden") if name in text}

    assert listed("implementer") == {"Riga"}
    assert listed("outsider") == {"Dresden"}
    assert listed("coordinator") == {"Riga", "Dresden"}


def test_experts_see_the_pairs_of_the_themes_their_organisation_facilitates(
    client, login_as, world
):
    login_as(world["expert"])
    response = client.get(f"/pairs/{world['other_theme'].id}")
    assert response.status_code == 404  # theme A is facilitated by another organisation
    assert client.get(f"/pairs/{world['theirs'].id}").status_code == 200


def test_relations_and_rights(world):
    pair = world["ours"]
    assert relations(world["implementer"], pair) == {Relation.SIGNED_IN, Relation.IMPLEMENTING}
    assert relations(world["mentor"], pair) == {Relation.SIGNED_IN, Relation.MENTOR}
    assert relations(world["expert"], pair) == {Relation.SIGNED_IN, Relation.EXPERT}
    assert relations(world["outsider"], pair) == {Relation.SIGNED_IN}
    assert relations(world["coordinator"], pair) == {Relation.SIGNED_IN, Relation.COORDINATOR}
    assert can(world["implementer"], Need.EDIT_PLAN, pair)
    assert not can(world["mentor"], Need.EDIT_PLAN, pair)
    assert can(world["mentor"], Need.COMMENT_PLAN, pair)
    assert can(world["expert"], Need.REPORT_VISIT, pair)
    assert not can(world["other_expert"], Need.REPORT_VISIT, pair)
    assert not can(world["implementer"], Need.MANAGE_VISITS, pair)
    assert world["coordinator"].role is Role.COORDINATOR and can(
        world["coordinator"], Need.MANAGE_PAIR, pair
    )
