"""Demo cities, the network, illustrative pairs and one user per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from tracker.auth.models import Role, User
from tracker.catalogue.models import Programme, Theme
from tracker.extensions import db
from tracker.organisations.models import Organisation, OrganisationKind
from tracker.pairs.models import Pair, PairStatus
from tracker.users.service import save_user

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


def demo_key(name: str) -> str:
    """The demo's lasting key for one of its organisations ("Brighton & Hove" is
    "brighton-hove"): names can change in the tracker, keys do not."""
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


def seed_organisations() -> dict[str, Organisation]:
    """Every organisation by name, the demo's by their demo names: found by their keys (a
    coordinator may have renamed them) and created where missing. Organisations seeded before
    keys existed are adopted by their name."""
    by_key = {
        organisation.demo_key: organisation
        for organisation in db.session.execute(
            select(Organisation).where(Organisation.demo_key.is_not(None))
        ).scalars()
    }
    unkeyed = {
        organisation.name: organisation
        for organisation in db.session.execute(
            select(Organisation).where(Organisation.demo_key.is_(None))
        ).scalars()
    }
    wanted = {
        **{
            name: (OrganisationKind.CITY, country, zone) for name, (country, zone) in CITIES.items()
        },
        NETWORK: (OrganisationKind.NETWORK, "Belgium", "Europe/Brussels"),
    }
    found = {**unkeyed}
    for name, (kind, country, timezone) in wanted.items():
        key = demo_key(name)
        organisation = by_key.get(key) or unkeyed.get(name)
        if organisation is None:
            organisation = Organisation(
                name=name, kind=kind, country=country, timezone=timezone, is_demo=True
            )
            db.session.add(organisation)
        organisation.demo_key = key
        found[name] = organisation
    db.session.flush()
    return found


def seed_pairs(programme: Programme, organisations: dict[str, Organisation], today: date) -> None:
    """The demo runs the schemes as if they were under way now: they started four months ago."""
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
                    starts_on=today - timedelta(days=120),
                    ends_on=today + timedelta(days=600),
                    is_demo=True,
                )
            )


def seed_users(organisations: dict[str, Organisation]) -> None:
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


def active_demo_pairs() -> list[Pair]:
    """The demo's pairs under way, which get a history of visits, rounds and plans."""
    return list(
        db.session.execute(
            select(Pair).where(Pair.is_demo.is_(True), Pair.status == PairStatus.ACTIVE)
        ).scalars()
    )


def users_by_email() -> dict[str, User]:
    """Every account by its email address."""
    return {user.email: user for user in db.session.execute(select(User)).scalars()}
