"""Visits that already happened: recorded directly as held, with their report, and reminding of
nothing that was already past when they were entered."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.helpers import page_text
from tests.visits.test_reports import report_form
from tracker.audit.models import AuditEntry
from tracker.reminders import rules
from tracker.visits.models import FollowUp, Visit, VisitStatus

LAST_WEEK = "2026-02-23"  # the tests' today is Monday 2 March 2026


def visit_form(**values):
    return {
        "kind": "mentoring",
        "starts_on": LAST_WEEK,
        "ends_on": "2026-02-24",
        "agenda": 'Workshop with the "Rīga works" team\nand the employers',
        **values,
    }


def only_visit(session) -> Visit:
    return session.execute(sa.select(Visit)).scalar_one()


@pytest.mark.parametrize("who", ["expert", "coordinator"])
def test_last_weeks_visit_is_recorded_as_held_and_its_report_written(
    client, login_as, scheme, session, today, who
):
    login_as(scheme[who])
    pair = scheme["pair"]
    response = client.post(f"/pairs/{pair.id}/visits/new", data=visit_form(already_held="y"))
    visit = only_visit(session)
    assert response.headers["Location"].endswith(f"/visits/{visit.id}/report")
    assert (visit.status, visit.recorded_on, visit.starts_on) == (
        VisitStatus.HELD,
        today,
        date(2026, 2, 23),
    )
    entry = session.execute(
        sa.select(AuditEntry).where(AuditEntry.action == "visit.recorded_afterwards")
    ).scalar_one()
    assert entry.actor_id == scheme[who].id and entry.subject_id == visit.id
    assert "Recorded afterwards, on 2 Mar 2026" in page_text(client.get(f"/visits/{visit.id}"))

    written = client.post(f"/visits/{visit.id}/report", data=report_form(scheme["theme"].factors))
    assert written.status_code == 302
    session.refresh(visit)
    assert visit.status is VisitStatus.REPORTED
    assert len(visit.report.recommendations) == 3


def test_a_past_date_asks_whether_the_visit_took_place(client, login_as, scheme, session):
    login_as(scheme["expert"])
    response = client.post(f"/pairs/{scheme['pair'].id}/visits/new", data=visit_form())
    assert response.status_code == 200
    assert "If the visit has already taken place, tick" in page_text(response)
    assert session.execute(sa.select(Visit)).first() is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"starts_on": "2017-01-10", "ends_on": "2017-01-11", "already_held": "y"},
            "The programme began on 1 Feb 2017: a visit of this pair cannot be earlier.",
        ),
        (
            {"starts_on": "2026-03-10", "ends_on": "2026-03-11", "already_held": "y"},
            "A visit that has not started yet cannot be recorded as held.",
        ),
        (
            {"starts_on": LAST_WEEK, "ends_on": "2026-02-20", "already_held": "y"},
            "The visit cannot end before it starts.",
        ),
    ],
)
def test_only_the_impossible_is_refused(client, login_as, scheme, session, values, message):
    login_as(scheme["coordinator"])
    response = client.post(f"/pairs/{scheme['pair'].id}/visits/new", data=visit_form(**values))
    assert message in page_text(response)
    assert session.execute(sa.select(Visit)).first() is None


def test_a_planned_visit_moved_into_the_past_asks_then_becomes_held(
    client, login_as, make, scheme, session, today
):
    visit = make.visit(scheme["pair"], starts_on=date(2026, 3, 9))
    login_as(scheme["expert"])
    moved = visit_form(version=visit.version_id)
    refused = client.post(f"/visits/{visit.id}/edit", data=moved)
    assert "If the visit has already taken place, tick" in page_text(refused)
    session.refresh(visit)
    assert (visit.starts_on, visit.status) == (date(2026, 3, 9), VisitStatus.PLANNED)

    client.post(f"/visits/{visit.id}/edit", data={**moved, "already_held": "y"})
    session.refresh(visit)
    assert (visit.starts_on, visit.status, visit.recorded_on) == (
        date(2026, 2, 23),
        VisitStatus.HELD,
        today,
    )


def test_a_visit_recorded_afterwards_reminds_of_nothing_already_past(app, make, scheme, session):
    """Held three weeks ago, entered today with its report's follow-ups: the report is due five
    days from today, not overdue at once, and a follow-up already past is not reminded of."""
    visit = make.visit(
        scheme["pair"],
        status=VisitStatus.HELD,
        starts_on=date(2026, 2, 9),
        recorded_on=date(2026, 3, 2),
    )
    late = make.visit(scheme["pair"], status=VisitStatus.HELD, starts_on=date(2026, 2, 9))
    report = make.report(make.visit(scheme["pair"], status=VisitStatus.HELD,
                                    starts_on=date(2026, 2, 9), recorded_on=date(2026, 3, 2)))  # fmt: skip
    report.follow_ups = [
        FollowUp(text="Send the list of employers", owner_user=scheme["mentor"],
                 due_on=date(2026, 2, 20)),
        FollowUp(text="Share the survey", owner_user=scheme["mentor"], due_on=date(2026, 3, 6)),
    ]  # fmt: skip
    session.flush()

    def keys(rule, day):
        now = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=10)
        return {reminder.key for reminder in rule(now)}

    today = date(2026, 3, 2)
    assert keys(rules.reports_missing, today) == {
        f"visit:{late.id}:report-missing",
        f"visit:{late.id}:report-escalated",
    }
    assert f"visit:{visit.id}:report-missing" in keys(rules.reports_missing, date(2026, 3, 7))
    follow_ups = keys(rules.follow_ups_due, today)
    past, coming = report.follow_ups
    assert follow_ups == {f"follow_up:{coming.id}:due:2026-03-06"}
