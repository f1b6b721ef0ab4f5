"""Demo data for CITIES GROW: the 16 partner cities, the network, pairs and one user per role.

Everything here is illustrative (marked is_demo); the pairings are not the project's real ones.
Seeding twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select

from tracker.auth.models import Role, User
from tracker.catalogue.loader import link_examples_to_cities
from tracker.catalogue.models import Programme, Theme
from tracker.extensions import db
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.pairs.models import Pair, PairStatus
from tracker.users.service import save_user
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

DEMO_PASSWORD = "demo-tracker-2026"  # noqa: S105 - printed for the demo, never used in production
NETWORK = "EUROCITIES"

CITIES: dict[str, tuple[str, str]] = {
    "Athens": ("Greece", "Europe/Athens"),
    "Barcelona": ("Spain", "Europe/Madrid"),
    "Birmingham": ("United Kingdom", "Europe/London"),
    "Brighton & Hove": ("United Kingdom", "Europe/London"),
    "Dresden": ("Germany", "Europe/Berlin"),
    "Gdansk": ("Poland", "Europe/Warsaw"),
    "Ghent": ("Belgium", "Europe/Brussels"),
    "Helsinki": ("Finland", "Europe/Helsinki"),
    "Lisbon": ("Portugal", "Europe/Lisbon"),
    "Munich": ("Germany", "Europe/Berlin"),
    "Nantes": ("France", "Europe/Paris"),
    "Nicosia": ("Cyprus", "Asia/Nicosia"),
    "Riga": ("Latvia", "Europe/Riga"),
    "Rotterdam": ("Netherlands", "Europe/Amsterdam"),
    "Tampere": ("Finland", "Europe/Helsinki"),
    "Utrecht": ("Netherlands", "Europe/Amsterdam"),
}

# (theme code, mentor city, implementing city, status)
PAIRS = [
    ("A", "Munich", "Dresden", PairStatus.ACTIVE),
    ("A", "Birmingham", "Gdansk", PairStatus.ACTIVE),
    ("B", "Helsinki", "Riga", PairStatus.ACTIVE),
    ("B", "Barcelona", "Nicosia", PairStatus.ACTIVE),
    ("C", "Rotterdam", "Lisbon", PairStatus.ACTIVE),
    ("C", "Utrecht", "Tampere", PairStatus.PLANNED),
    ("D", "Ghent", "Nantes", PairStatus.PLANNED),
    ("D", "Brighton & Hove", "Athens", PairStatus.PLANNED),
]


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: Role
    organisation: str
    job_title: str


USERS = [
    DemoUser(
        "coordinator@demo.example",
        "Claire Dubois",
        Role.COORDINATOR,
        NETWORK,
        "Project coordinator",
    ),
    DemoUser(
        "riga@demo.example",
        "Anna Ozola",
        Role.CITY,
        "Riga",
        "Integration policy officer, Riga City Council",
    ),
    DemoUser(
        "helsinki@demo.example",
        "Mikko Virtanen",
        Role.CITY,
        "Helsinki",
        "Employment services advisor, City of Helsinki",
    ),
    DemoUser(
        "expert@demo.example",
        "Jonathan Reed",
        Role.EXPERT,
        "MigrationWork",
        "Senior expert, MigrationWork",
    ),
]


class DemoError(RuntimeError):
    """The demo cannot be seeded (for example, the catalogue is not loaded)."""


def seed_demo(today: date | None = None) -> list[DemoUser]:
    """Create the demo organisations, pairs and users that do not exist yet."""
    programme = db.session.execute(
        select(Programme).where(Programme.key == "cities-grow")
    ).scalar_one_or_none()
    if programme is None:
        raise DemoError("Load the catalogue first: flask tracker load-catalogue")
    organisations = _seed_organisations()
    link_examples_to_cities()
    _seed_pairs(programme, organisations)
    _seed_users(organisations)
    db.session.flush()
    _seed_visits(today or date.today())
    db.session.flush()
    return USERS


def _seed_organisations() -> dict[str, Organisation]:
    existing = {org.name: org for org in db.session.execute(select(Organisation)).scalars()}
    for name, (country, timezone) in CITIES.items():
        if name not in existing:
            existing[name] = Organisation(
                name=name,
                kind=OrganisationKind.CITY,
                country=country,
                timezone=timezone,
                is_demo=True,
            )
            db.session.add(existing[name])
    if NETWORK not in existing:
        existing[NETWORK] = Organisation(
            name=NETWORK, kind=OrganisationKind.NETWORK, country="Belgium", is_demo=True
        )
        db.session.add(existing[NETWORK])
    db.session.flush()
    return existing


def _seed_pairs(programme: Programme, organisations: dict[str, Organisation]) -> None:
    themes = {theme.code: theme for theme in programme.themes}
    existing = {
        (pair.theme_id, pair.mentor_city_id, pair.implementing_city_id)
        for pair in db.session.execute(select(Pair)).scalars()
    }
    for code, mentor, implementing, status in PAIRS:
        theme: Theme = themes[code]
        key = (theme.id, organisations[mentor].id, organisations[implementing].id)
        if key not in existing:
            db.session.add(
                Pair(
                    theme=theme,
                    mentor_city=organisations[mentor],
                    implementing_city=organisations[implementing],
                    status=status,
                    starts_on=programme.period_start,
                    ends_on=programme.period_end,
                    is_demo=True,
                )
            )


def _seed_users(organisations: dict[str, Organisation]) -> None:
    existing = set(db.session.execute(select(User.email)).scalars())
    for demo in USERS:
        if demo.email not in existing:
            user = save_user(
                None,
                None,
                name=demo.name,
                email=demo.email,
                role=demo.role,
                organisation=organisations[demo.organisation],
                job_title=demo.job_title,
                timezone=organisations[demo.organisation].timezone,
                password=DEMO_PASSWORD,
            )
            user.is_demo = True


def _seed_visits(today: date) -> None:
    """A visit history for the active demo pairs, relative to today, for pairs without visits."""
    pairs = (
        db.session.execute(
            select(Pair).where(Pair.is_demo.is_(True), Pair.status == PairStatus.ACTIVE)
        )
        .scalars()
        .all()
    )
    users = {user.email: user for user in db.session.execute(select(User)).scalars()}
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
        if pair.implementing_city.name == "Riga":
            # Held ten days ago and not reported yet: the expert has a report to write.
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
            f"Two days in {visit.pair.implementing_city.name} with the mentor city and the expert "
            "partner. The city has committed staff and good contacts with business support "
            "organisations, but little data to plan with and no city-wide framework yet."
        ),
    )
    report.observations = [
        Observation(
            factor=factors[1],
            kind=ObservationKind.STRENGTH,
            text="Regular contact with chambers and business associations.",
        ),
        Observation(
            factor=factors[0],
            kind=ObservationKind.GAP,
            text="No figures yet on who the city's migrant entrepreneurs are.",
        ),
    ]
    report.recommendations = [
        Recommendation(
            position=1,
            factor=factors[0],
            priority=Priority.HIGH,
            text="Run a short survey of migrant-owned businesses with the chamber.",
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
            text="Send the survey questions from the mentor city.",
            owner_organisation=visit.pair.mentor_city,
            due_on=today - timedelta(days=20),
        ),
        FollowUp(
            text="Share a first draft of the action plan.",
            owner_organisation=visit.pair.implementing_city,
            due_on=today + timedelta(days=10),
        ),
    ]
    db.session.add(report)
