"""Reminders become notifications once, and emails go out once, through a real SMTP server."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from freezegun import freeze_time

from tests.helpers import page_text
from tracker.auth.models import EmailFrequency
from tracker.notifications.jobs import daily_digests, send_outbox
from tracker.notifications.models import EmailOptOut, Notification, OutboxEmail, OutboxStatus
from tracker.reminders.jobs import run_reminders, weekly_digest
from tracker.visits.models import VisitStatus

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def in_request(app, today):
    with app.test_request_context(method="POST"):
        yield


@pytest.fixture
def overdue_report(make, scheme):
    """A visit held 9 days ago without a report: the expert is due a reminder."""
    return make.visit(scheme["pair"], status=VisitStatus.HELD, starts_on=date(2026, 2, 21))


def count(session, model, *where):
    return session.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar_one()


def test_running_the_rules_twice_creates_each_reminder_once(
    in_request, session, scheme, overdue_report
):
    first = run_reminders(NOW)
    second = run_reminders(NOW)
    assert first["reports_missing"] == 1 and second["reports_missing"] == 0
    assert count(session, Notification, Notification.kind == "report_missing") == 1
    assert count(session, OutboxEmail) == 1


def test_without_smtp_the_email_waits_in_the_outbox(in_request, session, scheme, overdue_report):
    run_reminders(NOW)
    email = session.execute(sa.select(OutboxEmail)).scalar_one()
    assert email.status is OutboxStatus.PENDING and email.to_address == scheme["expert"].email
    assert send_outbox(NOW) == {"held": 1}  # the sender has no mail server: it keeps it
    session.refresh(email)
    assert email.status is OutboxStatus.HELD


def test_mail_queued_where_no_server_is_set_goes_out_from_a_sender_with_one(
    app, in_request, session, scheme, overdue_report, smtp_server, monkeypatch
):
    """Only the scheduler has MAIL_SERVER: what the web workers queue is sent all the same."""
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)  # the web worker, writing the email
    run_reminders(NOW)
    assert send_outbox(NOW) == {"held": 1}  # a sender without a server, meanwhile
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")  # the scheduler, with one
    assert send_outbox(NOW) == {"sent": 1}
    email = session.execute(sa.select(OutboxEmail)).scalar_one()
    assert email.status is OutboxStatus.SENT and len(smtp_server.messages) == 1


def test_email_is_delivered_to_the_smtp_server(
    in_request, session, scheme, overdue_report, smtp_server
):
    run_reminders(NOW)
    assert send_outbox(NOW) == {"sent": 1}
    (message,) = smtp_server.messages
    assert message["X-Envelope-To"] == scheme["expert"].email
    assert (
        str(message["Subject"]).strip().startswith("The report of the visit of B · Helsinki → Riga")
    )
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }
    assert set(parts) == {"text/plain", "text/html"}
    assert f"http://tracker.test/visits/{overdue_report.id}" in parts["text/plain"]
    assert f'href="http://tracker.test/visits/{overdue_report.id}"' in parts["text/html"]
    assert "http://tracker.test/account/notifications" in parts["text/plain"]  # unsubscribe
    notification = session.execute(sa.select(Notification)).scalar_one()
    assert notification.emailed_at is not None
    assert send_outbox(NOW) == {"sent": 0}
    assert len(smtp_server.messages) == 1


def test_a_reminder_email_is_written_from_its_notification(
    app, client, login_as, session, scheme, overdue_report
):
    with app.test_request_context(method="POST"):
        run_reminders(NOW)
    email = session.execute(sa.select(OutboxEmail)).scalar_one()
    assert email.text_body == ""  # written when sent, not when thousands are queued at once
    login_as(scheme["coordinator"])
    page = page_text(client.get(f"/admin/outbox/{email.id}"))
    assert "Hello Jonathan Reed," in page and f"/visits/{overdue_report.id}" in page


def test_an_email_whose_notification_is_gone_fails_with_a_reason(
    app, in_request, session, scheme, overdue_report, smtp_server
):
    run_reminders(NOW)
    session.execute(sa.delete(Notification))
    assert send_outbox(NOW) == {"sent": 0}
    email = session.execute(sa.select(OutboxEmail)).scalar_one()
    assert "no longer exists" in email.last_error and smtp_server.messages == []


def test_a_failing_server_leads_to_retries_then_one_delivery(
    app, session, scheme, overdue_report, smtp_server
):
    smtp_server.fail_next(2)
    with freeze_time("2026-03-02 10:00:00"), app.test_request_context(method="POST"):
        run_reminders(NOW)
        assert send_outbox(NOW) == {"sent": 0}
        email = session.execute(sa.select(OutboxEmail)).scalar_one()
        assert (email.status, email.attempts) == (
            OutboxStatus.PENDING,
            1,
        ) and "451" in email.last_error
        assert send_outbox(NOW) == {"sent": 0}  # not due again yet: it backs off
    with freeze_time("2026-03-02 10:01:30"), app.test_request_context(method="POST"):
        assert send_outbox(datetime(2026, 3, 2, 10, 1, 30, tzinfo=UTC)) == {"sent": 0}
    with freeze_time("2026-03-02 10:10:00"), app.test_request_context(method="POST"):
        assert send_outbox(datetime(2026, 3, 2, 10, 10, tzinfo=UTC)) == {"sent": 1}
    session.refresh(email)
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 3)
    assert len(smtp_server.messages) == 1


def test_an_unreachable_server_gives_up_after_the_last_attempt(
    app, in_request, session, scheme, overdue_report, monkeypatch
):
    from tests.smtp import free_port

    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nobody listens there
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 2)
    run_reminders(NOW)
    send_outbox(NOW)
    send_outbox(NOW + timedelta(days=1))
    email = session.execute(sa.select(OutboxEmail)).scalar_one()
    assert (email.status, email.attempts) == (OutboxStatus.FAILED, 2)


def test_a_kind_turned_off_stays_in_the_app_only(in_request, session, scheme, overdue_report):
    session.add(EmailOptOut(user_id=scheme["expert"].id, kind="report_missing"))
    session.flush()
    run_reminders(NOW)
    assert count(session, Notification) == 1 and count(session, OutboxEmail) == 0


def test_a_daily_summary_replaces_immediate_emails(
    in_request, session, scheme, overdue_report, make
):
    scheme["expert"].email_frequency = EmailFrequency.DAILY
    make.deliverable(
        scheme["theme"].expert_organisation, theme=scheme["theme"], due_on=date(2026, 3, 5)
    )
    session.flush()
    run_reminders(NOW)
    assert count(session, Notification, Notification.user_id == scheme["expert"].id) == 2
    assert count(session, OutboxEmail) == 0
    assert daily_digests(NOW + timedelta(hours=1)) == {"created": 1}
    assert daily_digests(NOW + timedelta(hours=2)) == {"created": 0}
    email = session.execute(sa.select(OutboxEmail)).scalar_one()
    assert email.key == f"daily:{scheme['expert'].id}:2026-03-02" and "2 updates" in email.subject
    assert "Deliverable due on 5 Mar 2026" in email.text_body


def test_the_weekly_digest_lists_pairs_at_risk_once_a_week(
    in_request, session, scheme, overdue_report
):
    assert weekly_digest(NOW) == {"digest": 1}
    assert weekly_digest(NOW + timedelta(days=1)) == {"digest": 0}
    digest = session.execute(
        sa.select(Notification).where(Notification.kind == "digest")
    ).scalar_one()
    assert digest.user_id == scheme["coordinator"].id
    assert "Helsinki → Riga" in digest.body and "a visit report is missing" in digest.body
    assert weekly_digest(NOW + timedelta(days=7)) == {"digest": 1}
