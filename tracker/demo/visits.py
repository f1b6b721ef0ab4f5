"""A visit history for the active demo pairs, with reports, relative to the seeding day."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from tracker.auth.models import User
from tracker.demo.people import active_demo_pairs, demo_key, users_by_email
from tracker.extensions import db
from tracker.visits.models import (
    FollowUp,
    Observation,
    ObservationKind,
    Priority,
    Recommendation,
    Visit,
    VisitKind,
    VisitParticipant,
    VisitReport,
    VisitStatus,
)
from tracker.visits.service import host_city


def seed_visits(today: date) -> None:
    """A visit history for the active demo pairs, relative to today, for pairs without visits."""
    pairs = active_demo_pairs()
    users = users_by_email()
    coordinator = users.get("coordinator@demo.example")
    for pair in pairs:
        if db.session.execute(select(Visit.id).where(Visit.pair_id == pair.id)).first():
            continue
        people = [
            user
            for user in users.values()
            if user.organisation_id
            in (pair.mentor_city_id, pair.implementing_city_id, pair.theme.expert_organisation_id)
        ]
        if pair.implementing_city.demo_key == demo_key("Riga"):
            # An online kick-off with recommendations the city can take up in its plan...
            kickoff = _visit(
                pair,
                VisitKind.ONLINE,
                today - timedelta(days=45),
                VisitStatus.REPORTED,
                people,
                starts_at=time(10, 0),
                ends_at=time(12, 0),
                agenda=KICKOFF_AGENDA,
            )
            _report(kickoff, users.get("expert@demo.example"), today)
            # ...and a visit held ten days ago, not reported yet: the expert has a report to write.
            _visit(
                pair,
                VisitKind.MENTORING,
                today - timedelta(days=11),
                VisitStatus.HELD,
                people,
                days=2,
                agenda=RIGA_AGENDA,
            )
            _visit(
                pair,
                VisitKind.STUDY,
                today + timedelta(days=24),
                VisitStatus.CONFIRMED,
                people,
                days=2,
                starts_at=time(9, 30),
            )
        else:
            earlier = _visit(
                pair,
                VisitKind.MENTORING,
                today - timedelta(days=70),
                VisitStatus.REPORTED,
                people,
                days=2,
                agenda=MENTORING_AGENDA,
            )
            _report(earlier, coordinator, today)
            _visit(
                pair,
                VisitKind.ONLINE,
                today + timedelta(days=6),
                VisitStatus.PLANNED,
                people,
                starts_at=time(14, 0),
                ends_at=time(15, 30),
            )


RIGA_AGENDA = """Day 1: welcome by the Deputy Mayor; the city's employment partnership and who sits in it.
Day 1 afternoon: visit to the one-stop advice centre for newcomers.
Day 2: workshop on assessing and recognising migrants' skills, with employers and the job agency.
Day 2 afternoon: first conclusions and next steps."""

KICKOFF_AGENDA = """Introductions; what the city wants to change; how the mentoring scheme works;
dates for the first mentoring visit."""

MENTORING_AGENDA = """Day 1: introductions, the city's situation against the benchmark, site visits.
Day 2: peer workshop on the factors in focus; conclusions from the mentor city and the expert."""


def _visit(
    pair, kind, starts_on, status, people, days=1, agenda="", starts_at=None, ends_at=None
) -> Visit:
    visit = Visit(
        pair=pair,
        kind=kind,
        host_city=host_city(pair, kind),
        status=status,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=days - 1),
        starts_at_time=starts_at,
        ends_at_time=ends_at,
        agenda=agenda,
        location="" if kind is not VisitKind.ONLINE else "Video call (link sent by email)",
    )
    visit.participants = [VisitParticipant(user=user) for user in people]
    db.session.add(visit)
    db.session.flush()
    return visit


def _report(visit: Visit, author: User | None, today: date) -> None:
    factors = visit.pair.theme.factors
    if len(factors) < 3:
        return
    report = VisitReport(
        visit=visit,
        author=author,
        summary=(
            f"{visit.kind.label} with {visit.pair.implementing_city.name}, its mentor city "
            f"{visit.pair.mentor_city.name} and the expert partner. The city has committed staff "
            "and good contacts with its partners, but little data to plan with and no city-wide "
            "framework yet."
        ),
    )
    report.observations = [
        Observation(
            factor=factors[1],
            kind=ObservationKind.STRENGTH,
            text="Regular contact with the main partners outside the city administration.",
        ),
        Observation(
            factor=factors[0],
            kind=ObservationKind.GAP,
            text="No figures yet on the migrants the work is meant to reach.",
        ),
    ]
    report.recommendations = [
        Recommendation(
            position=1,
            factor=factors[0],
            priority=Priority.HIGH,
            text="Collect basic figures on the people the work is for, with the partners who hold them.",
        ),
        Recommendation(
            position=2,
            factor=factors[2],
            priority=Priority.MEDIUM,
            text="Ask the mayor's office to name a political sponsor for the plan.",
        ),
        Recommendation(
            position=3,
            factor=factors[1],
            priority=Priority.LOW,
            text="Hold a yearly meeting of all partners to review progress.",
        ),
    ]
    report.follow_ups = [
        FollowUp(
            text="Send the mentor city's data collection template.",
            owner_organisation=visit.pair.mentor_city,
            due_on=today - timedelta(days=20),
        ),
        FollowUp(
            text="Share a first draft of the action plan.",
            owner_organisation=visit.pair.implementing_city,
            due_on=today + timedelta(days=5),
        ),
    ]
    db.session.add(report)
