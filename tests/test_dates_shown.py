"""Dates and times read as Europeans write them (3 Mar 2026, 14:05), in the reader's time zone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import pytest

from tracker.audit.models import AuditEntry
from tracker.notifications.models import Notification, OutboxEmail
from tracker.plans.models import ActionStatus, PlanStatus, ProgressUpdate
from tracker.visits.models import VisitStatus

LATE_EVENING = datetime(2026, 3, 1, 22, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("timezone", "shown"),
    [
        ("Europe/Helsinki", "2 Mar 2026, 00:30"),  # already the next day
        ("Europe/Brussels", "1 Mar 2026, 23:30"),
        ("Europe/Lisbon", "1 Mar 2026, 22:30"),
    ],
)
def test_a_notification_and_an_audit_entry_show_the_readers_local_time(
    client, login_as, make, session, timezone, shown
):
    member = make.city_member(timezone=timezone)
    coordinator = make.coordinator(timezone=timezone)
    session.add_all(
        [
            Notification(
                user=member, kind="comment", subject="Mikko commented", created_at=LATE_EVENING
            ),
            AuditEntry(
                at=LATE_EVENING, action="pair.created", subject_type="Pair", summary="Paired"
            ),
        ]
    )
    session.flush()
    for user, url in [(member, "/notifications/"), (coordinator, "/audit/")]:
        login_as(user)
        page = client.get(url).get_data(as_text=True)
        assert f'<time datetime="2026-03-01T22:30:00+00:00">{shown}</time>' in page


# Anything that reads as a date or a time in another convention than ours.
FOREIGN_FORMATS = {
    "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "numeric date": re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    "12-hour time": re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})? ?[AaPp]\.?[Mm]\b"),
    "month before day": re.compile(
        r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}\b"
    ),
}
# Markup nobody reads: form inputs, machine dates for <time>, addresses, option values.
UNREAD_MARKUP = re.compile(r'<input\b[^>]*>|\s(?:datetime|href|src|action|value)="[^"]*"')

PAGES = [
    ("coordinator", "/?programme=cities-grow"),
    ("implementer", "/"),
    ("expert", "/"),
    ("coordinator", "/pairs/"),
    ("coordinator", "/pairs/{pair}"),
    ("coordinator", "/visits/"),
    ("implementer", "/visits/{visit}"),
    ("implementer", "/visits/{visit}/briefing"),
    ("implementer", "/pairs/{pair}/plan"),
    ("implementer", "/actions/{action}"),
    ("implementer", "/pairs/{pair}/assessments"),
    ("coordinator", "/programmes/cities-grow/deliverables"),
    ("coordinator", "/deliverables/{deliverable}"),
    ("implementer", "/notifications/"),
    ("coordinator", "/audit/"),
    ("coordinator", "/admin/outbox"),
    ("coordinator", "/users/"),
    ("coordinator", "/search?q=Riga"),
    ("coordinator", "/pairs/{pair}/infographic"),
    ("coordinator", "/programmes/cities-grow/report"),
]


@pytest.fixture
def dated(client, login_as, make, session, scheme):
    """A scheme with a date or a time on everything, made partly through the forms so that the
    audit log holds what the services write. Everyone reads it from Helsinki."""
    pair, riga = scheme["pair"], scheme["pair"].implementing_city
    for person in ("implementer", "coordinator", "expert"):
        scheme[person].timezone = "Europe/Helsinki"
        scheme[person].last_sign_in_at = LATE_EVENING
    login_as(scheme["coordinator"])
    posted = client.post(
        f"/pairs/{pair.id}/visits/new",
        data={"kind": "mentoring", "starts_on": "2026-04-14", "ends_on": "2026-04-15"},
    )
    assert posted.status_code == 302
    posted = client.post(
        "/programmes/cities-grow/deliverables/new",
        data={
            "kind": "infographic",
            "title": "Infographic Riga",
            "pair_id": pair.id,
            "theme_id": "",
            "responsible_organisation_id": riga.id,
            "due_on": "2026-09-30",
        },
    )
    assert posted.status_code == 302
    login_as(scheme["implementer"])
    posted = client.post(
        f"/pairs/{pair.id}/assessments/new", data={"round": "baseline", "assessed_on": "2026-02-10"}
    )
    assert posted.status_code == 302
    visit = make.visit(
        pair,
        status=VisitStatus.HELD,
        starts_on=date(2026, 2, 18),
        days=2,
        starts_at_time=time(9, 30),
        ends_at_time=time(17, 0),
    )
    make.report(visit, recommendations=2)
    plan = make.plan(
        pair,
        status=PlanStatus.IN_IMPLEMENTATION,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    action = make.action(
        plan, status=ActionStatus.AT_RISK, starts_on=date(2026, 1, 5), ends_on=date(2026, 2, 27)
    )
    session.add_all(
        [
            ProgressUpdate(action=action, status=ActionStatus.AT_RISK, progress=40, note="Slow"),
            Notification(user=scheme["implementer"], kind="comment", subject="News", link="/"),
            OutboxEmail(
                key="dated",
                to_address="anna@example.org",
                subject="News",
                text_body="",
                html_body="",
            ),
        ]
    )
    session.flush()
    deliverable = make.deliverable(riga, pair, due_on=date(2026, 6, 30))
    return {"pair": pair.id, "visit": visit.id, "action": action.id, "deliverable": deliverable.id}


@pytest.mark.parametrize(("who", "url"), PAGES)
def test_no_page_shows_a_date_in_a_foreign_format(client, login_as, scheme, dated, who, url):
    login_as(scheme[who])
    response = client.get(url.format(**dated))
    assert response.status_code == 200
    read = UNREAD_MARKUP.sub(" ", response.get_data(as_text=True))
    found = {name: pattern.findall(read) for name, pattern in FOREIGN_FORMATS.items()}
    assert not any(found.values()), found


def test_a_visits_times_are_its_host_citys_and_on_a_24_hour_clock(client, login_as, scheme, dated):
    login_as(scheme["implementer"])
    page = client.get(f"/visits/{dated['visit']}").get_data(as_text=True)
    assert "18 Feb 2026 – 19 Feb 2026" in page and "09:30–17:00 local time" in page


def test_the_audit_log_words_dates_as_people_read_them(client, login_as, scheme, dated):
    login_as(scheme["coordinator"])
    page = client.get("/audit/").get_data(as_text=True)
    assert "Planned a mentoring visit for B · Helsinki → Riga on 14 Apr 2026" in page
    assert "(due 30 Sep 2026, Riga)" in page and "(10 Feb 2026)" in page
