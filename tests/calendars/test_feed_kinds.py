"""The personal feed holds action end dates, deliverable due dates, follow-ups and endorsements
still to record, each kind switchable; coordinators get a feed of a programme's visits
(issue 18, item 4)."""

import re
from datetime import date, timedelta

from icalendar import Calendar

from tests.calendars.test_ics import events, feed_path
from tests.helpers import page_text
from tracker.plans.models import ActionStatus, PlanStatus
from tracker.visits.models import VisitStatus


def uids(found) -> set[str]:
    return {str(event["uid"]).split("@")[0] for event in found}


def test_the_feed_holds_my_actions_deliverables_and_endorsements(
    app, client, login_as, make, scheme
):
    pair = scheme["pair"]
    plan = make.plan(pair, status=PlanStatus.UNDER_REVIEW)
    ends = date.today() + timedelta(days=20)
    mine = make.action(plan, title="Job fair in Rīga", ends_on=ends)
    someone_elses = make.action(plan, owner_user=scheme["outsider"], ends_on=ends)
    done = make.action(plan, status=ActionStatus.DONE, progress=100, ends_on=ends)
    due = date.today() + timedelta(days=40)
    report = make.deliverable(
        pair.implementing_city, pair=pair, title="Baseline «study»", due_on=due
    )
    make.deliverable(pair.mentor_city, pair=pair, due_on=due)  # Helsinki's, not Riga's
    visit = make.visit(pair, starts_on=date.today() + timedelta(days=3), days=2)
    login_as(scheme["implementer"])
    found = events(app.test_client().get(feed_path(client)))
    assert uids(found) == {
        f"visit-{visit.id}",
        f"action-{mine.id}",
        f"deliverable-{report.id}",
        f"endorsement-{plan.id}-under_review",
    }
    assert f"action-{someone_elses.id}" not in uids(found) and done.id != mine.id
    by_uid = {str(event["uid"]).split("@")[0]: event for event in found}
    action = by_uid[f"action-{mine.id}"]
    assert action.decoded("dtstart") == ends and action.decoded("dtend") == ends + timedelta(1)
    assert str(action["summary"]) == "Action ends: Job fair in Rīga"
    assert str(action["url"]) == f"http://tracker.test/actions/{mine.id}"
    assert "B · Helsinki → Riga" in str(action["description"])
    deliverable = by_uid[f"deliverable-{report.id}"]
    assert deliverable.decoded("dtstart") == due
    assert str(deliverable["summary"]) == "Deliverable due: Baseline «study»"
    endorsement = by_uid[f"endorsement-{plan.id}-under_review"]
    assert str(endorsement["url"]) == f"http://tracker.test/pairs/{pair.id}/plan"
    assert str(endorsement["transp"]) == "TRANSPARENT"


def test_each_kind_can_be_switched_off(app, client, login_as, make, scheme):
    pair = scheme["pair"]
    plan = make.plan(pair)
    action = make.action(plan, ends_on=date.today() + timedelta(days=20))
    visit = make.visit(pair, starts_on=date.today() + timedelta(days=3))
    login_as(scheme["implementer"])
    path = feed_path(client)
    response = client.post("/account/calendar", data={"kinds": ["actions", "deliverables"]})
    assert response.status_code == 302
    assert uids(events(app.test_client().get(path))) == {f"action-{action.id}"}
    page = client.get("/account/calendar").get_data(as_text=True)
    checked = set(re.findall(r'<input checked [^>]*value="(\w+)"', page))
    assert checked == {"actions", "deliverables"}
    client.post("/account/calendar", data={"kinds": ["visits"]})
    assert uids(events(app.test_client().get(path))) == {f"visit-{visit.id}"}
    assert client.post("/account/calendar", data={"kinds": ["birthdays"]}).status_code == 200
    assert uids(events(app.test_client().get(path))) == {f"visit-{visit.id}"}  # unchanged


def test_a_coordinator_has_a_feed_of_every_visit_of_a_programme(
    app, client, login_as, make, scheme
):
    ours = make.visit(scheme["pair"], status=VisitStatus.CONFIRMED)
    theirs = make.visit(make.pair(scheme["theme"]), starts_on=date.today() + timedelta(days=9))
    login_as(scheme["coordinator"])
    feed_path(client)
    page = client.get("/account/calendar").get_data(as_text=True)
    key = scheme["theme"].programme.key
    assert "Programme feeds" in page_text(client.get("/account/calendar"))
    token = page.split("/calendar/feed/")[1].split(".ics")[0]
    path = f"/calendar/feed/{token}/programmes/{key}.ics"
    assert f"http://tracker.test{path}" in page
    calendar = Calendar.from_ical(app.test_client().get(path).data)
    assert uids(calendar.walk("VEVENT")) == {f"visit-{ours.id}", f"visit-{theirs.id}"}
    # A city officer's token opens no programme feed.
    login_as(scheme["implementer"])
    officer = feed_path(client).removeprefix("/calendar/feed/").removesuffix(".ics")
    assert "Programme feeds" not in page_text(client.get("/account/calendar"))
    officer_path = f"/calendar/feed/{officer}/programmes/{key}.ics"
    assert app.test_client().get(officer_path).status_code == 404
    assert app.test_client().get(f"/calendar/feed/{token}/programmes/none.ics").status_code == 404
