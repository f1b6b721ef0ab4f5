"""Mail in the recipient's language (issue 19, item 3), through a real SMTP server: whoever
causes an email, and whatever their browser speaks, each recipient reads it in their own
language. Expected words come from the catalogues (see tests/test_languages.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_babel import force_locale
from flask_babel import gettext as _

from tests.test_languages import translated
from tracker.dates import long_date
from tracker.notifications.jobs import send_outbox
from tracker.plans.models import PlanStatus
from tracker.reminders.jobs import run_reminders, weekly_digest

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def parts(message) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }


def test_a_coordinator_writing_in_english_mails_a_german_speaker_in_german(
    app, client, login_as, make, scheme, session, smtp_server
):
    coordinator, member = scheme["coordinator"], scheme["implementer"]
    coordinator.language, member.language = "en", "de"
    plan = make.plan(scheme["pair"], status=PlanStatus.UNDER_REVIEW)
    session.flush()
    login_as(coordinator)
    response = client.post(
        f"/pairs/{plan.pair_id}/plan/status",
        data={"status": PlanStatus.DRAFT.value},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 302
    with app.test_request_context():
        subject = translated(
            "de",
            "The action plan of %(pair)s is now %(status)s",
            pair=scheme["pair"].label,
            status=translated("de", "Draft"),
        )
        hello = translated("de", "Hello %(name)s,", name=member.name)
        heading = translated("de", "Mentoring tracker")
        assert send_outbox(NOW)["sent"] >= 1
    (message,) = [m for m in smtp_server.messages if m["X-Envelope-To"] == member.email]
    assert str(message["Subject"]).strip() == subject
    bodies = parts(message)
    assert subject in bodies["text/plain"] and hello in bodies["text/plain"]
    assert '<html lang="de">' in bodies["text/html"] and heading in bodies["text/html"]
    assert hello in bodies["text/html"]


def test_the_same_reminder_goes_out_in_each_recipients_language(
    app, make, scheme, session, smtp_server
):
    experts = scheme["theme"].expert_organisation
    french = make.expert(experts, name="Zoé Lefèvre", language="fr", timezone="Europe/Paris")
    german = make.expert(experts, name="Jürgen Groß", language="de", timezone="Europe/Berlin")
    scheme["expert"].language = "en"
    make.deliverable(
        experts, theme=scheme["theme"], due_on=date(2026, 3, 5), title="Toolkit „Łódź“"
    )
    session.flush()
    with app.test_request_context(headers={"Accept-Language": "de"}):  # nobody's browser counts
        run_reminders(NOW)
        assert send_outbox(NOW)["sent"] == 3
        expected = {}
        for person in (french, german, scheme["expert"]):
            with force_locale(person.language):
                expected[person.email] = _(
                    "Deliverable due on %(date)s: %(title)s",
                    date=long_date(date(2026, 3, 5)),
                    title="Toolkit „Łódź“",
                )
    # A subject header carries French's non-breaking spaces as plain ones: compare the words.
    subjects = {
        str(m["X-Envelope-To"]): " ".join(str(m["Subject"]).split()) for m in smtp_server.messages
    }
    assert subjects == {email: " ".join(subject.split()) for email, subject in expected.items()}
    assert len(set(subjects.values())) == 3  # three languages, three different subjects
    by_address = {str(m["X-Envelope-To"]): parts(m) for m in smtp_server.messages}
    assert '<html lang="fr">' in by_address[french.email]["text/html"]
    assert '<html lang="en">' in by_address[scheme["expert"].email]["text/html"]


def test_the_weekly_digest_is_written_in_each_coordinators_language(
    app, make, scheme, session, smtp_server
):
    english, german = scheme["coordinator"], make.coordinator(name="Jürgen Groß", language="de")
    english.language = "en"
    session.flush()
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        weekly_digest(NOW)
        assert send_outbox(NOW)["sent"] == 2
        subject = "Weekly digest: %(risk)d pairs at risk, %(attention)d need attention"
        german_subject = translated("de", subject, risk=0, attention=0)
        german_body = translated("de", "Every pair is on track.")
    by_address = {str(m["X-Envelope-To"]): m for m in smtp_server.messages}
    assert str(by_address[german.email]["Subject"]).strip() == german_subject
    assert german_body in parts(by_address[german.email])["text/plain"]
    assert str(by_address[english.email]["Subject"]).strip() == subject % {
        "risk": 0,
        "attention": 0,
    }
    assert "Every pair is on track." in parts(by_address[english.email])["text/plain"]
