"""The notification centre, preferences, event notifications, account emails, admin pages."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from tests.helpers import page_text
from tracker.auth.models import EmailFrequency, User
from tracker.notifications.models import EmailOptOut, JobRun, Notification, OutboxEmail
from tracker.visits.models import VisitStatus


def notification(session, user, subject="Something happened", link="/pairs/"):
    item = Notification(user=user, kind="comment", subject=subject, link=link)
    session.add(item)
    session.flush()
    return item


def test_the_bell_counts_unread_and_opening_marks_read(client, login_as, scheme, session):
    first = notification(
        session, scheme["implementer"], "First news", f"/pairs/{scheme['pair'].id}"
    )
    notification(session, scheme["implementer"], "Second news")
    notification(session, scheme["mentor"], "Not for Riga")
    login_as(scheme["implementer"])
    page = page_text(client.get("/"))
    assert "Notifications 2 unread" in page
    listing = page_text(client.get("/notifications/"))
    assert "First news" in listing and "Second news" in listing and "Not for Riga" not in listing
    response = client.post(f"/notifications/{first.id}/open")
    assert response.location == f"/pairs/{scheme['pair'].id}"
    session.refresh(first)
    assert first.read_at is not None
    assert "Notifications 1 unread" in page_text(client.get("/"))
    client.post("/notifications/read-all")
    assert "unread" not in page_text(client.get("/"))


def test_marking_read_from_the_page_script_answers_what_to_announce(
    client, login_as, scheme, session
):
    first = notification(session, scheme["implementer"], "First news")
    notification(session, scheme["implementer"], "Second news")
    login_as(scheme["implementer"])
    response = client.post(
        f"/notifications/{first.id}/read", headers={"Accept": "application/json"}
    )
    assert response.status_code == 200
    assert response.get_json() == {"message": "Marked as read: First news", "unread": 1}
    session.refresh(first)
    assert first.read_at is not None


def test_marking_read_without_script_comes_back_to_the_item_on_its_page(
    client, login_as, scheme, session
):
    item = notification(session, scheme["implementer"], "First news")
    login_as(scheme["implementer"])
    response = client.post(f"/notifications/{item.id}/read?unread=1&page=2")
    assert response.status_code == 302
    assert response.location == f"/notifications/?unread=1&page=2#notification-{item.id}"
    assert "Marked as read: First news" in page_text(client.get("/notifications/"))


def test_another_users_notification_is_not_found(client, login_as, scheme, session):
    theirs = notification(session, scheme["mentor"])
    login_as(scheme["implementer"])
    assert client.post(f"/notifications/{theirs.id}/open").status_code == 404
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404


def test_a_notification_link_cannot_lead_off_site(client, login_as, scheme, session):
    evil = notification(session, scheme["implementer"], link="https://evil.example/")
    login_as(scheme["implementer"])
    assert client.post(f"/notifications/{evil.id}/open").location == "/notifications/"


def test_preferences_are_saved(client, login_as, scheme, session):
    login_as(scheme["implementer"])
    response = client.post(
        "/account/notifications",
        data={"frequency": "daily", "kind_comment": "y", "kind_visit_soon": "y"},
    )
    assert response.status_code == 302
    session.refresh(scheme["implementer"])
    assert scheme["implementer"].email_frequency is EmailFrequency.DAILY
    off = set(
        session.execute(
            sa.select(EmailOptOut.kind).where(EmailOptOut.user_id == scheme["implementer"].id)
        ).scalars()
    )
    assert "comment" not in off and "visit_soon" not in off and "report_missing" in off


def test_a_logged_report_notifies_both_cities(client, login_as, make, scheme, session):
    visit = make.visit(scheme["pair"], status=VisitStatus.HELD, starts_on=date(2026, 2, 20))
    factor = scheme["theme"].factors[0]
    login_as(scheme["expert"])
    client.post(
        f"/visits/{visit.id}/report",
        data={
            "summary": "Good visit",
            "recommendations-0-factor_id": factor.id,
            "recommendations-0-priority": "high",
            "recommendations-0-text": "Do the thing",
        },
    )
    recipients = set(
        session.execute(
            sa.select(Notification.user_id).where(Notification.kind == "visit_report")
        ).scalars()
    )
    assert recipients == {scheme["implementer"].id, scheme["mentor"].id}


def test_a_new_account_gets_a_set_password_link_that_works_once(
    app, client, login_as, scheme, session
):
    login_as(scheme["coordinator"])
    client.post(
        "/users/new",
        data={
            "name": "New Person",
            "email": "new@riga.example",
            "role": "city",
            "organisation_id": scheme["pair"].implementing_city_id,
            "timezone": "Europe/Riga",
            "active": "y",
        },
    )
    email = session.execute(
        sa.select(OutboxEmail).where(OutboxEmail.to_address == "new@riga.example")
    ).scalar_one()
    assert email.sensitive
    link = re.search(r"http://tracker.test(/account/set-password/\S+)", email.text_body).group(1)
    assert "set-password" not in page_text(
        client.get(f"/admin/outbox/{email.id}")
    )  # not shown to coordinators
    newcomer = app.test_client()
    assert newcomer.get(link).status_code == 200
    response = newcomer.post(
        link,
        data={"new_password": "a fresh long password", "confirm_password": "a fresh long password"},
    )
    assert response.status_code == 302
    assert newcomer.get("/").status_code == 200
    assert app.test_client().get(link).status_code == 410  # used once, gone


def test_an_expired_or_forged_link_does_not_work(app, scheme, session, monkeypatch):
    from freezegun import freeze_time

    from tracker.auth.tokens import password_token

    with app.test_request_context():
        token = password_token(scheme["implementer"])
    client = app.test_client()
    assert client.get(f"/account/set-password/{token}x").status_code == 410
    with freeze_time("2026-03-10"):  # 8 days later, over the 72 hours
        assert client.get(f"/account/set-password/{token}").status_code == 410


def test_forgotten_password_answers_the_same_for_unknown_addresses(client, scheme, session):
    known = client.post(
        "/account/forgot-password",
        data={"email": scheme["implementer"].email},
        follow_redirects=True,
    )
    unknown = client.post(
        "/account/forgot-password", data={"email": "nobody@nowhere.example"}, follow_redirects=True
    )
    assert page_text(known) == page_text(unknown)
    assert session.execute(sa.select(sa.func.count(OutboxEmail.id))).scalar_one() == 1


@pytest.mark.parametrize("url", ["/admin/outbox", "/admin/jobs"])
def test_admin_pages_are_for_coordinators(client, login_as, scheme, url):
    login_as(scheme["expert"])
    assert client.get(url).status_code == 403
    login_as(scheme["coordinator"])
    assert client.get(url).status_code == 200


def test_a_coordinator_runs_a_rule_now_and_sees_the_last_run(
    client, login_as, make, scheme, session
):
    make.visit(scheme["pair"], status=VisitStatus.HELD, starts_on=date(2026, 2, 20))
    login_as(scheme["coordinator"])
    response = client.post("/admin/jobs/reminders/run", follow_redirects=True)
    assert "reminders ran: 1 created, 0 sent." in page_text(response)
    run = session.execute(sa.select(JobRun).where(JobRun.job_id == "reminders")).scalar_one()
    assert (
        run.created == 1
        and run.finished_at is not None
        and run.triggered_by.startswith("Claire Dubois@")
    )
    page = page_text(client.get("/admin/jobs"))
    assert "1 created, 0 sent" in page
    assert session.execute(sa.select(User).where(User.id == scheme["expert"].id)).scalar_one()
