"""Planning visits and moving them through their statuses."""

from datetime import date, time

import pytest
import sqlalchemy as sa

from tests.helpers import page_text
from tracker.audit.models import AuditEntry
from tracker.visits.models import Visit, VisitKind, VisitStatus


def visit_form(**values):
    return {
        "kind": "mentoring",
        "starts_on": "2026-04-14",
        "ends_on": "2026-04-15",
        "agenda": "Day 1: welcome",
        **values,
    }


def visits(session):
    return session.execute(sa.select(Visit)).scalars().all()


@pytest.mark.parametrize("who", ["coordinator", "expert"])
def test_coordinator_and_facilitating_expert_plan_a_visit(client, login_as, scheme, session, who):
    login_as(scheme[who])
    pair = scheme["pair"]
    response = client.post(
        f"/pairs/{pair.id}/visits/new",
        data=visit_form(
            participant_ids=[scheme["implementer"].id, scheme["expert"].id],
            guests="Ilze Berzina, Riga Chamber of Commerce\nJohn Guest",
        ),
    )
    assert response.status_code == 302
    (visit,) = visits(session)
    assert visit.status is VisitStatus.PLANNED
    assert visit.host_city_id == pair.implementing_city_id
    assert (visit.starts_on, visit.ends_on) == (date(2026, 4, 14), date(2026, 4, 15))
    users = {p.user_id for p in visit.participants if p.user_id}
    guests = {(p.guest_name, p.guest_affiliation) for p in visit.participants if p.guest_name}
    assert users == {scheme["implementer"].id, scheme["expert"].id}
    assert guests == {("Ilze Berzina", "Riga Chamber of Commerce"), ("John Guest", None)}
    assert session.execute(
        sa.select(AuditEntry).where(AuditEntry.action == "visit.planned")
    ).scalar_one()


@pytest.mark.parametrize(
    ("kind", "host"),
    [
        ("mentoring", "implementing"),
        ("study", "mentor"),
        ("online", None),
        ("final_review", "implementing"),
    ],
)
def test_the_host_city_follows_from_the_kind(client, login_as, scheme, session, kind, host):
    login_as(scheme["expert"])
    client.post(f"/pairs/{scheme['pair'].id}/visits/new", data=visit_form(kind=kind))
    (visit,) = visits(session)
    expected = getattr(scheme["pair"], f"{host}_city_id") if host else None
    assert visit.host_city_id == expected


@pytest.mark.parametrize(
    "who,status", [("implementer", 403), ("mentor", 403), ("other_expert", 404), ("outsider", 404)]
)
def test_others_cannot_plan_visits(client, login_as, scheme, session, who, status):
    login_as(scheme[who])
    url = f"/pairs/{scheme['pair'].id}/visits/new"
    assert client.get(url).status_code == status
    assert client.post(url, data=visit_form()).status_code == status
    assert visits(session) == []


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"starts_on": "2026-03-01", "ends_on": "2026-03-01"},
            "This date is in the past. If the visit has already taken place, tick",
        ),
        (
            {"starts_on": "2026-04-15", "ends_on": "2026-04-14"},
            "The visit cannot end before it starts.",
        ),
        (
            {
                "starts_on": "2026-04-14",
                "ends_on": "2026-04-14",
                "starts_at_time": "14:00",
                "ends_at_time": "13:00",
            },
            "The visit cannot end before it starts.",
        ),
        ({"ends_at_time": "13:00"}, "Give a start time as well as an end time."),
        ({"starts_on": "not a date"}, "Give a date: day, month and year."),
    ],
)
def test_bad_dates_are_refused_and_nothing_is_saved(
    client, login_as, scheme, session, values, message
):
    login_as(scheme["expert"])
    response = client.post(f"/pairs/{scheme['pair'].id}/visits/new", data=visit_form(**values))
    assert response.status_code == 200
    assert message in page_text(response)
    assert visits(session) == []


def test_today_is_not_in_the_past(client, login_as, scheme, session):
    login_as(scheme["expert"])
    client.post(
        f"/pairs/{scheme['pair'].id}/visits/new",
        data=visit_form(starts_on="2026-03-02", ends_on=""),
    )
    (visit,) = visits(session)
    assert visit.ends_on == date(2026, 3, 2)


def test_participants_must_belong_to_the_pair(client, login_as, scheme, session):
    login_as(scheme["expert"])
    response = client.post(
        f"/pairs/{scheme['pair'].id}/visits/new",
        data=visit_form(participant_ids=[scheme["outsider"].id]),
    )
    assert "Participants must be members of the two cities" in page_text(response)
    assert visits(session) == []


def test_no_visits_for_a_withdrawn_pair(client, login_as, make, scheme, session):
    from tracker.pairs.models import PairStatus

    scheme["pair"].status = PairStatus.WITHDRAWN
    session.flush()
    login_as(scheme["coordinator"])
    response = client.post(f"/pairs/{scheme['pair'].id}/visits/new", data=visit_form())
    assert "no new visits can be planned" in page_text(response)


S = VisitStatus
TRANSITIONS = [
    (S.PLANNED, S.CONFIRMED, True),
    (S.PLANNED, S.CANCELLED, True),
    (S.PLANNED, S.HELD, False),
    (S.PLANNED, S.REPORTED, False),
    (S.CONFIRMED, S.HELD, True),
    (S.CONFIRMED, S.CANCELLED, True),
    (S.CONFIRMED, S.PLANNED, False),
    (S.CONFIRMED, S.REPORTED, False),
    (S.HELD, S.REPORTED, False),  # only by saving the report
    (S.HELD, S.CANCELLED, False),
    (S.HELD, S.CONFIRMED, False),
    (S.REPORTED, S.HELD, False),
    (S.REPORTED, S.CANCELLED, False),
    (S.CANCELLED, S.PLANNED, False),
    (S.CANCELLED, S.CONFIRMED, False),
]


@pytest.mark.parametrize(("start", "target", "allowed"), TRANSITIONS)
def test_visit_status_transitions(
    client, login_as, make, scheme, session, today, start, target, allowed
):
    visit = make.visit(scheme["pair"], status=start, starts_on=date(2026, 2, 20))
    login_as(scheme["expert"])
    response = client.post(
        f"/visits/{visit.id}/status",
        data={"status": target.value, "reason": "Strike at the airport"},
    )
    assert response.status_code == 302
    session.refresh(visit)
    assert visit.status is (target if allowed else start)
    if allowed and target is S.CANCELLED:
        assert visit.cancellation_reason == "Strike at the airport"


def test_a_future_visit_cannot_be_marked_held(client, login_as, make, scheme, session):
    visit = make.visit(scheme["pair"], status=S.CONFIRMED, starts_on=date(2026, 3, 20))
    login_as(scheme["expert"])
    response = client.post(
        f"/visits/{visit.id}/status", data={"status": "held"}, follow_redirects=True
    )
    assert "cannot be marked as held before it starts" in page_text(response)
    session.refresh(visit)
    assert visit.status is S.CONFIRMED


@pytest.mark.parametrize(
    "who,status", [("implementer", 403), ("mentor", 403), ("other_expert", 404)]
)
def test_others_cannot_change_a_visit(client, login_as, make, scheme, session, who, status):
    visit = make.visit(scheme["pair"])
    login_as(scheme[who])
    assert (
        client.post(f"/visits/{visit.id}/status", data={"status": "cancelled"}).status_code
        == status
    )
    assert client.get(f"/visits/{visit.id}/edit").status_code == status
    session.refresh(visit)
    assert visit.status is S.PLANNED


def test_a_visit_is_edited_and_a_stale_form_is_refused(client, login_as, make, scheme, session):
    visit = make.visit(scheme["pair"], starts_on=date(2026, 4, 14))
    login_as(scheme["expert"])
    first = client.post(
        f"/visits/{visit.id}/edit",
        data=visit_form(version=visit.version_id, agenda="New agenda", starts_at_time="09:30"),
    )
    assert first.status_code == 302
    session.refresh(visit)
    assert visit.agenda == "New agenda" and visit.starts_at_time == time(9, 30)
    stale = client.post(
        f"/visits/{visit.id}/edit",
        data=visit_form(version=visit.version_id - 1, agenda="Overwrite"),
    )
    assert stale.status_code == 200
    assert "Someone else saved changes" in page_text(stale) and "Overwrite" in stale.get_data(
        as_text=True
    )
    session.refresh(visit)
    assert visit.agenda == "New agenda"


def test_a_held_visit_can_no_longer_be_edited(client, login_as, make, scheme, session):
    visit = make.visit(scheme["pair"], status=S.HELD, starts_on=date(2026, 2, 20))
    login_as(scheme["expert"])
    response = client.post(
        f"/visits/{visit.id}/edit",
        data=visit_form(version=visit.version_id, agenda="Rewrite history"),
    )
    assert "can no longer be changed" in page_text(response)


def test_the_pair_page_shows_the_visit_timeline(client, login_as, make, scheme):
    make.visit(scheme["pair"], kind=VisitKind.STUDY, starts_on=date(2026, 5, 4))
    login_as(scheme["implementer"])
    page = page_text(client.get(f"/pairs/{scheme['pair'].id}"))
    assert "Study visit — 4 May 2026 in Helsinki" in page


def test_every_problem_of_a_visit_form_is_shown_at_once(client, login_as, scheme, session, make):
    outsider = make.city_member(make.city("Łódź"))
    login_as(scheme["expert"])
    response = client.post(
        f"/pairs/{scheme['pair'].id}/visits/new",
        data=visit_form(
            starts_on="2026-03-01",
            ends_on="2026-03-01",
            ends_at_time="13:00",
            participant_ids=[str(outsider.id)],
        ),
    )
    text = page_text(response)
    assert response.status_code == 200
    assert "This date is in the past" in text
    assert "Give a start time as well as an end time." in text
    assert "Participants must be members of the two cities" in text
    assert visits(session) == []
