"""Two cities paired on two themes: wherever a pair is named away from its own page, its theme
says which of the two it is (issue 18, item 3)."""

import sqlalchemy as sa
from icalendar import Calendar

from tests.helpers import page_text
from tracker.notifications.models import Notification, OutboxEmail
from tracker.plans.models import PlanStatus
from tracker.visits.models import VisitStatus


def second_pair(make, scheme):
    """Helsinki also mentors Riga on theme A."""
    pair = scheme["pair"]
    return make.pair(
        make.theme(code="A"), mentor=pair.mentor_city, implementing=pair.implementing_city
    )


def test_a_comment_notification_and_its_email_name_the_theme(
    client, login_as, make, session, scheme
):
    other = second_pair(make, scheme)
    make.plan(other, status=PlanStatus.UNDER_REVIEW)
    make.plan(scheme["pair"], status=PlanStatus.UNDER_REVIEW)
    login_as(scheme["mentor"])
    response = client.post(f"/pairs/{other.id}/plan/comments", data={"body": "A budget line?"})
    assert response.status_code == 302
    notification = session.execute(
        sa.select(Notification).where(Notification.user_id == scheme["implementer"].id)
    ).scalar_one()
    assert notification.subject == (
        "Mikko Virtanen commented on the action plan of A · Helsinki → Riga"
    )
    email = session.execute(
        sa.select(OutboxEmail).where(OutboxEmail.to_address == scheme["implementer"].email)
    ).scalar_one()
    assert "A · Helsinki → Riga" in email.subject
    login_as(scheme["implementer"])
    bell = page_text(client.get("/notifications/"))
    assert "A · Helsinki → Riga" in bell and "B · Helsinki → Riga" not in bell


def test_the_dashboard_and_the_calendar_tell_the_two_pairs_apart(
    client, login_as, make, scheme, today
):
    other = second_pair(make, scheme)
    visit = make.visit(other, status=VisitStatus.CONFIRMED)
    login_as(scheme["implementer"])
    assert "Next visit: Mentoring visit A · Helsinki → Riga" in page_text(client.get("/"))
    ics = Calendar.from_ical(client.get(f"/calendar/visits/{visit.id}.ics").data)
    (event,) = ics.walk("VEVENT")
    assert "A · Helsinki → Riga" in str(event["SUMMARY"])


def test_the_pair_label_starts_with_its_theme(make, scheme):
    assert scheme["pair"].label == "B · Helsinki → Riga"
    assert scheme["pair"].cities == "Helsinki → Riga"
