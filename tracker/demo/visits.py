"""A visit history for the active demo pairs, with reports, relative to the seeding day."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class ReportContent:
    """What the demo's visits find on a theme: each observation and recommendation names the
    factor (by its catalogue key) it belongs to, so none sits under a factor it does not fit."""

    finding: str
    observations: tuple[tuple[str, ObservationKind, str], ...]
    recommendations: tuple[tuple[str, Priority, str], ...]


REPORTS = {
    "A": ReportContent(
        "The city buys a great deal from small firms but does not know how many are run by "
        "immigrants, and its tender documents put small bidders off.",
        (
            (
                "engagement-with-stakeholders",
                ObservationKind.STRENGTH,
                "The chamber of commerce and two business associations are keen to take part.",
            ),
            (
                "mapping-and-needs-assessment",
                ObservationKind.GAP,
                "No figures yet on immigrant-owned firms among the city's suppliers.",
            ),
        ),
        (
            (
                "mapping-and-needs-assessment",
                Priority.HIGH,
                "Match the supplier register with business registry data to count "
                "immigrant-owned suppliers.",
            ),
            (
                "political-leadership-and-senior-management-support",
                Priority.MEDIUM,
                "Ask the deputy mayor for finance to sponsor inclusive procurement.",
            ),
            (
                "procurement-reviewed-simplified-communicated",
                Priority.LOW,
                "Publish a plain-language guide to the city's tenders for small firms.",
            ),
        ),
    ),
    "B": ReportContent(
        "The city has committed staff and good contacts with its partners, but little data to "
        "plan with and no city-wide framework yet.",
        (
            (
                "coordination-of-service-providers",
                ObservationKind.STRENGTH,
                "Regular contact with the main partners outside the city administration.",
            ),
            (
                "baseline-information",
                ObservationKind.GAP,
                "No figures yet on the migrants the work is meant to reach.",
            ),
        ),
        (
            (
                "baseline-information",
                Priority.HIGH,
                "Collect basic figures on the people the work is for, with the partners who "
                "hold them.",
            ),
            (
                "appropriate-framework",
                Priority.MEDIUM,
                "Ask the mayor's office to name a political sponsor for the plan.",
            ),
            (
                "coordination-of-service-providers",
                Priority.LOW,
                "Hold a yearly meeting of all partners to review progress.",
            ),
        ),
    ),
    "C": ReportContent(
        "Start-up advice is good but reaches few immigrant entrepreneurs, and no one knows "
        "which organisations they turn to first.",
        (
            (
                "comprehensive-support",
                ObservationKind.STRENGTH,
                "The city's start-up centre offers advice, premises and training in one place.",
            ),
            (
                "stakeholder-mapping",
                ObservationKind.GAP,
                "The community organisations immigrant entrepreneurs turn to are not known.",
            ),
        ),
        (
            (
                "stakeholder-mapping",
                Priority.HIGH,
                "Map the organisations immigrant entrepreneurs go to for advice and money.",
            ),
            (
                "mainstream-services-inclusive-of-migrants",
                Priority.MEDIUM,
                "Offer the start-up centre's advice in the three most spoken languages.",
            ),
            (
                "access-to-finance",
                Priority.LOW,
                "Invite a microcredit lender to the start-up centre once a month.",
            ),
        ),
    ),
}


def _report(visit: Visit, author: User | None, today: date) -> None:
    content = REPORTS.get(visit.pair.theme.code)
    factors = {factor.key: factor for factor in visit.pair.theme.factors}
    if content is None or not all(
        key in factors for key, *_rest in (*content.observations, *content.recommendations)
    ):
        return  # a theme the demo has no findings for
    report = VisitReport(
        visit=visit,
        author=author,
        summary=(
            f"{visit.kind.label} with {visit.pair.implementing_city.name}, its mentor city "
            f"{visit.pair.mentor_city.name} and the expert partner. {content.finding}"
        ),
    )
    report.observations = [
        Observation(factor=factors[key], kind=kind, text=text)
        for key, kind, text in content.observations
    ]
    report.recommendations = [
        Recommendation(position=position, factor=factors[key], priority=priority, text=text)
        for position, (key, priority, text) in enumerate(content.recommendations, 1)
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
