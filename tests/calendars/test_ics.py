"""Calendar files: each visit as .ics, and each user's private feed."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tracker.visits.models import FollowUp, VisitKind, VisitStatus


def events(response):
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    return list(calendar.walk("VEVENT"))


def feed_path(client):
    client.post("/account/calendar/reset")
    html = client.get("/account/calendar").get_data(as_text=True)
    return re.search(r'value="http://tracker\.test(/calendar/feed/[^"]+\.ics)"', html).group(1)


def test_a_timed_visit_has_its_city_time_zone_and_a_link_back(client, login_as, make, scheme):
    visit = make.visit(
        scheme["pair"],
        kind=VisitKind.STUDY,
        starts_on=date(2026, 7, 6),
        days=2,
        starts_at_time=time(9, 30),
        ends_at_time=time(16, 0),
        agenda="Study day",
    )
    login_as(scheme["implementer"])
    first, second = events(client.get(f"/calendar/visits/{visit.id}.ics"))
    helsinki = ZoneInfo("Europe/Helsinki")
    # One event per day, from the start to the end time: the night between stays free.
    assert (first.decoded("dtstart"), first.decoded("dtend")) == (
        datetime(2026, 7, 6, 9, 30, tzinfo=helsinki),
        datetime(2026, 7, 6, 16, 0, tzinfo=helsinki),
    )
    assert (second.decoded("dtstart"), second.decoded("dtend")) == (
        datetime(2026, 7, 7, 9, 30, tzinfo=helsinki),
        datetime(2026, 7, 7, 16, 0, tzinfo=helsinki),
    )
    assert first.decoded("dtstart").astimezone(ZoneInfo("UTC")).hour == 6  # summer: UTC+3
    assert str(first["uid"]) == f"visit-{visit.id}@tracker.test"
    assert str(second["uid"]) == f"visit-{visit.id}-day-2@tracker.test"
    assert str(first["summary"]).endswith("1/2") and str(second["summary"]).endswith("2/2")
    for event in (first, second):
        assert str(event["url"]).endswith(f"/visits/{visit.id}")
        assert f"/visits/{visit.id}" in str(event["description"])
        assert "Study visit" in str(event["summary"]) and str(event["location"]) == "Helsinki"
    again = events(client.get(f"/calendar/visits/{visit.id}.ics"))
    assert [str(event["uid"]) for event in again] == [str(first["uid"]), str(second["uid"])]


def test_a_visit_without_times_is_an_all_day_event(client, login_as, make, scheme):
    visit = make.visit(scheme["pair"], starts_on=date(2026, 5, 4), days=2)
    login_as(scheme["expert"])
    (event,) = events(client.get(f"/calendar/visits/{visit.id}.ics"))
    assert event.decoded("dtstart") == date(2026, 5, 4)
    assert event.decoded("dtend") == date(2026, 5, 6)  # exclusive end


def test_a_cancelled_visit_says_so(client, login_as, make, scheme):
    visit = make.visit(scheme["pair"], status=VisitStatus.CANCELLED)
    login_as(scheme["expert"])
    (event,) = events(client.get(f"/calendar/visits/{visit.id}.ics"))
    assert str(event["status"]) == "CANCELLED"


def test_a_visit_file_is_for_those_who_may_see_the_visit(client, login_as, make, scheme):
    visit = make.visit(scheme["pair"])
    login_as(scheme["outsider"])
    assert client.get(f"/calendar/visits/{visit.id}.ics").status_code == 404


def test_the_feed_holds_my_visits_and_follow_ups_only(app, client, login_as, make, scheme, session):
    mine = make.visit(scheme["pair"], starts_on=date.today() + timedelta(days=5))
    other_pair = make.pair(scheme["theme"])
    make.visit(other_pair, starts_on=date.today() + timedelta(days=6))
    held = make.visit(
        scheme["pair"], status=VisitStatus.HELD, starts_on=date.today() - timedelta(days=3)
    )
    report = make.report(held)
    report.follow_ups = [
        FollowUp(
            text="Riga sends the survey",
            owner_organisation=scheme["pair"].implementing_city,
            due_on=date.today() + timedelta(days=9),
        ),
        FollowUp(
            text="Helsinki shares slides",
            owner_organisation=scheme["pair"].mentor_city,
            due_on=date.today() + timedelta(days=9),
        ),
    ]
    session.flush()
    login_as(scheme["implementer"])
    path = feed_path(client)
    anonymous = app.test_client()
    found = events(anonymous.get(path))
    uids = {str(event["uid"]).split("@")[0] for event in found}
    follow_up_id = next(f.id for f in report.follow_ups if f.text == "Riga sends the survey")
    assert uids == {f"visit-{mine.id}", f"visit-{held.id}", f"follow-up-{follow_up_id}"}


def test_a_wrong_or_reset_token_gives_not_found(app, client, login_as, scheme):
    login_as(scheme["implementer"])
    old = feed_path(client)
    anonymous = app.test_client()
    assert anonymous.get(old).status_code == 200
    new = feed_path(client)
    assert new != old
    assert anonymous.get(old).status_code == 404
    assert anonymous.get("/calendar/feed/not-a-token.ics").status_code == 404


def test_another_users_token_shows_their_calendar_not_mine(app, client, login_as, make, scheme):
    make.visit(scheme["pair"])
    login_as(scheme["outsider"])
    path = feed_path(client)
    assert events(app.test_client().get(path)) == []


@pytest.mark.parametrize(
    "status,expected", [(VisitStatus.PLANNED, "TENTATIVE"), (VisitStatus.CONFIRMED, "CONFIRMED")]
)
def test_the_event_status_follows_the_visit(client, login_as, make, scheme, status, expected):
    visit = make.visit(scheme["pair"], status=status)
    login_as(scheme["expert"])
    (event,) = events(client.get(f"/calendar/visits/{visit.id}.ics"))
    assert str(event["status"]) == expected
