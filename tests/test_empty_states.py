"""A list with nothing in it says what that means and what to do next, never an empty table."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from tracker.catalogue.models import Programme

EMPTY_STATE = re.compile(r'<div class="empty-state">(.*?)</div>', re.S)


@dataclass
class EmptyState:
    text: str
    links: list[str]


def empty_states(response) -> list[EmptyState]:
    """The page's empty-state messages, each with the addresses it links to."""
    assert response.status_code == 200
    states = []
    for inner in EMPTY_STATE.findall(response.get_data(as_text=True)):
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", inner)).split())
        links = [html.unescape(link) for link in re.findall(r'href="([^"]*)"', inner)]
        states.append(EmptyState(text, links))
    return states


def empty_state(response) -> EmptyState:
    """The page's one empty-state message; fails if it has none."""
    (state,) = empty_states(response)
    return state


def viewer(make, role: str):
    """Someone of the role, with nothing around them but the shipped catalogue."""
    makers = {"coordinator": make.coordinator, "city": make.city_member, "expert": make.expert}
    return makers[role]()


# (who, page, what the message says, where it leads: None when it is someone else's move)
EMPTY_LISTS = [
    ("coordinator", "/pairs/", "No pairs yet. Pair a mentor city", "/pairs/new"),
    ("city", "/pairs/", "A coordinator pairs the cities", None),
    ("coordinator", "/visits/", "planned from its pair's page", "/pairs/"),
    ("coordinator", "/visits/?theme=&status=&from=&to=", "No visits yet", "/pairs/"),  # blank form
    ("expert", "/visits/", "planned from its pair's page", "/pairs/"),
    ("city", "/visits/", "The expert partner plans", None),
    (
        "coordinator",
        "/programmes/cities-grow/deliverables",
        "No deliverables registered yet",
        "/programmes/cities-grow/deliverables/new",
    ),
    ("city", "/programmes/cities-grow/deliverables", "The coordinators register", None),
    ("city", "/notifications/", "Reminders (a visit coming up", None),
    ("coordinator", "/audit/", "Nothing recorded yet", None),
    ("coordinator", "/admin/outbox", "No emails yet", None),
    ("city", "/search?q=nowhere", "Check the spelling", None),
    ("expert", "/", "A coordinator pairs the cities on the themes", None),
]


@pytest.mark.parametrize(("who", "url", "message", "next_step"), EMPTY_LISTS)
def test_an_empty_list_says_what_it_means_and_what_to_do(
    client, login_as, make, who, url, message, next_step
):
    login_as(viewer(make, who))
    response = client.get(url)
    state = empty_state(response)
    assert message in state.text
    assert state.links == ([next_step] if next_step else [])
    assert "<table" not in response.get_data(as_text=True)


FILTERED_LISTS = [
    ("coordinator", "/pairs/?status=withdrawn", "No pairs match these filters.", "/pairs/"),
    ("coordinator", "/visits/?awaiting_report=1", "No visits match these filters.", "/visits/"),
    (
        "city",
        "/programmes/cities-grow/deliverables?overdue=1",
        "No deliverables match these filters.",
        "/programmes/cities-grow/deliverables",
    ),
    ("city", "/notifications/?unread=1", "No unread notifications", "/notifications/"),
    ("coordinator", "/audit/?q=nothing", "No entries match these filters.", "/audit/"),
    ("coordinator", "/admin/outbox?status=failed", "No emails with this status.", "/admin/outbox"),
]


@pytest.mark.parametrize(("who", "url", "message", "whole_list"), FILTERED_LISTS)
def test_a_list_its_filters_empty_offers_the_whole_list_back(
    client, login_as, make, who, url, message, whole_list
):
    login_as(viewer(make, who))
    state = empty_state(client.get(url))
    assert message in state.text and state.links == [whole_list]


def test_a_coordinator_alone_is_asked_to_add_people_and_cities(client, login_as, make):
    login_as(make.coordinator())
    users = empty_state(client.get("/users/"))
    assert "You are the only person with an account" in users.text
    assert users.links == ["/users/new"]
    organisations = empty_state(client.get("/organisations/"))
    assert "No cities yet" in organisations.text and organisations.links == ["/organisations/new"]
    make.city("Riga")
    assert not EMPTY_STATE.search(client.get("/organisations/").get_data(as_text=True))


def test_a_plan_not_started_says_who_starts_it(client, login_as, scheme):
    login_as(scheme["mentor"])
    state = empty_state(client.get(f"/pairs/{scheme['pair'].id}/plan"))
    assert "Riga has not started its action plan yet. The city's officers start it" in state.text
    assert state.links == []


@pytest.mark.parametrize(("who", "next_step"), [("implementer", True), ("mentor", False)])
def test_a_plan_without_actions_says_who_adds_them(client, login_as, make, scheme, who, next_step):
    pair = scheme["pair"]
    make.plan(pair)
    login_as(scheme[who])
    actions, recommendations = empty_states(client.get(f"/pairs/{pair.id}/plan"))
    assert "No actions yet" in actions.text
    assert actions.links == ([f"/pairs/{pair.id}/plan/actions/new"] if next_step else [])
    assert "its recommendations appear here" in recommendations.text


@pytest.mark.parametrize(("who", "next_step"), [("implementer", True), ("mentor", False)])
def test_a_pair_without_self_assessment_says_how_to_start(client, login_as, scheme, who, next_step):
    login_as(scheme[who])
    state = empty_state(client.get(f"/pairs/{scheme['pair'].id}/assessments"))
    assert "Riga has not completed a self-assessment round on this theme yet" in state.text
    assert state.links == (["#start-title"] if next_step else [])


def test_a_theme_without_a_benchmark_says_how_to_add_one(client, login_as, make):
    login_as(make.coordinator())
    pairs, factors = empty_states(client.get("/catalogue/cities-grow/themes/D"))
    assert "A coordinator pairs a mentor city" in pairs.text and pairs.links == ["/pairs/new"]
    assert "no benchmark factors yet" in factors.text
    assert factors.links == ["/catalogue/cities-grow/themes/D/draft"]


@pytest.mark.parametrize(("who", "next_step"), [("coordinator", True), ("city", False)])
@pytest.mark.parametrize("url", ["/catalogue/", "/deliverables/"])
def test_without_a_programme_the_catalogue_is_loaded_first(
    client, login_as, make, session, url, who, next_step
):
    session.execute(sa.delete(Programme))  # rolled back with the test
    login_as(viewer(make, who))
    state = empty_state(client.get(url))
    assert "No programme yet" in state.text
    assert state.links == (["/catalogue/load"] if next_step else [])
