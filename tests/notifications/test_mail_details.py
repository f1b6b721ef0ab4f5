"""What every email carries (one-line subject, Message-ID, one-click unsubscribe), and failed
emails shown to coordinators with their reason; through a real SMTP server."""

from datetime import UTC, date, datetime
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from config import Config
from tests.helpers import page_text
from tracker.auth.service import send_password_link
from tracker.notifications.jobs import send_outbox
from tracker.notifications.kinds import KINDS
from tracker.notifications.models import EmailOptOut, OutboxEmail, OutboxStatus
from tracker.notifications.unsubscribe import unsubscribe_link
from tracker.reminders.jobs import run_reminders

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def in_request(app, today):
    with app.test_request_context(method="POST"):
        yield


@pytest.fixture
def deliverable_due(make, scheme):
    """A deliverable of the expert's organisation due in three days: one reminder, one email."""

    def with_title(title: str):
        return make.deliverable(
            scheme["theme"].expert_organisation,
            theme=scheme["theme"],
            due_on=date(2026, 3, 5),
            title=title,
        )

    return with_title


def test_a_line_break_in_a_title_no_longer_stops_its_email(
    in_request, session, scheme, deliverable_due, smtp_server
):
    deliverable_due("Toolkit\r\nsecond part\tdraft")
    run_reminders(NOW)
    assert send_outbox(NOW) == {"sent": 1}
    (message,) = smtp_server.messages
    assert str(message["Subject"]) == "Deliverable due on 5 Mar 2026: Toolkit second part draft"
    email = session.execute(sa.select(OutboxEmail)).scalar_one()
    assert (email.status, email.last_error) == (OutboxStatus.SENT, "")


def test_an_email_queued_with_a_line_break_before_the_fix_goes_out_too(
    in_request, session, scheme, smtp_server
):
    expert = scheme["expert"]
    session.add(
        OutboxEmail(
            key="old",
            user_id=expert.id,
            to_address=expert.email,
            subject="Plan\nreview",
            text_body="Hello",
            html_body="<p>Hello</p>",
        )
    )
    session.flush()
    assert send_outbox(NOW) == {"sent": 1}
    assert str(smtp_server.messages[0]["Subject"]) == "Plan review"


def test_failed_emails_are_counted_and_explained_on_the_outbox(
    app, client, login_as, session, scheme, deliverable_due, smtp_server, monkeypatch, today
):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 1)
    smtp_server.fail_next(1)
    deliverable_due("Toolkit")
    with app.test_request_context(method="POST"):
        run_reminders(NOW)
        assert send_outbox(NOW) == {"sent": 0}
    login_as(scheme["coordinator"])
    page = page_text(client.get("/admin/outbox"))
    assert "1 email could not be sent and will not be tried again." in page
    assert "Deliverable due on 5 Mar 2026: Toolkit" in page
    assert "451 4.3.0 Temporary failure" in page and "Show the failed emails" in page
    failed_only = page_text(client.get("/admin/outbox?status=failed"))
    assert "Failed (1)" in failed_only and "Toolkit" in failed_only


def test_an_outbox_without_failures_shows_no_alarm(client, login_as, scheme):
    login_as(scheme["coordinator"])
    assert "could not be sent" not in page_text(client.get("/admin/outbox"))


def test_optional_emails_offer_one_click_unsubscribe_and_a_message_id_of_the_site(
    in_request, session, scheme, deliverable_due, smtp_server
):
    deliverable_due("Toolkit")
    run_reminders(NOW)
    send_password_link(scheme["mentor"], new_account=False)
    session.flush()
    assert send_outbox(NOW) == {"sent": 2}
    reminder, password = sorted(smtp_server.messages, key=lambda m: m["X-Tracker-Email"])
    assert reminder["X-Tracker-Email"].startswith("notification:")
    unsubscribe = str(reminder["List-Unsubscribe"]).strip()  # folded: a long line
    assert unsubscribe.startswith("<http://tracker.test/unsubscribe/")
    assert str(reminder["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    # The account's own emails come whatever the preferences: nothing to unsubscribe from.
    assert password["List-Unsubscribe"] is None and password["List-Unsubscribe-Post"] is None
    stored = dict(session.execute(sa.select(OutboxEmail.key, OutboxEmail.message_id)).all())
    for message in (reminder, password):
        assert str(message["Message-ID"]).strip().endswith("@tracker.test>")
        assert str(message["Message-ID"]).strip() == stored[message["X-Tracker-Email"]]


def test_one_click_unsubscribe_turns_off_optional_email_and_a_visit_only_asks(
    app, in_request, session, scheme, deliverable_due, smtp_server
):
    deliverable_due("Toolkit")
    run_reminders(NOW)
    send_outbox(NOW)
    address = str(smtp_server.messages[0]["List-Unsubscribe"]).strip().strip("<>")
    expert = scheme["expert"]
    opted_out = sa.select(EmailOptOut.kind).where(EmailOptOut.user_id == expert.id)
    url = urlsplit(address).path
    client = app.test_client()  # a mail client: no session, no CSRF token

    page = client.get(url)  # a browser, or a link checker: asks, changes nothing
    assert page.status_code == 200 and "Stop every email to" in page_text(page)
    assert session.execute(opted_out).scalars().all() == []

    one_click = client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200 and "Done" in page_text(one_click)  # no redirect
    assert set(session.execute(opted_out).scalars()) == set(KINDS)


def test_a_person_confirming_in_a_browser_is_unsubscribed_too(
    app, session, scheme, client, in_request
):
    expert = scheme["expert"]
    url = urlsplit(unsubscribe_link(expert.id)).path
    answer = client.post(url, follow_redirects=True)  # the page's button
    assert "You are unsubscribed." in page_text(answer) and "Done" in page_text(answer)
    opted_out = sa.select(EmailOptOut.kind).where(EmailOptOut.user_id == expert.id)
    assert set(session.execute(opted_out).scalars()) == set(KINDS)


@pytest.mark.parametrize("token", ["forged", "eyJ1c2VyIjoxfQ.abc", "eyJ1c2VyIjoiMSJ9.x"])
def test_an_unsubscribe_link_that_is_not_genuine_changes_nothing(app, session, scheme, token):
    response = app.test_client().post(f"/unsubscribe/{token}")
    assert response.status_code == 400 and "not valid" in page_text(response)
    assert session.execute(sa.select(sa.func.count()).select_from(EmailOptOut)).scalar_one() == 0


def test_a_claim_that_could_expire_during_one_smtp_exchange_is_refused():
    class ShortClaims(Config):
        MAIL_TIMEOUT = 20
        MAIL_CLAIM_TIMEOUT_SECONDS = 60  # a slow server could hold one message for longer

    with pytest.raises(RuntimeError, match="MAIL_CLAIM_TIMEOUT_SECONDS"):
        ShortClaims.check()
    Config.check()  # the defaults: 600 s claims, 20 s timeouts
