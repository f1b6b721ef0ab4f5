"""Demo data for CITIES GROW: cities, the network, illustrative pairs, one user per role, and
their visits, self-assessments and action plans, dated relative to the day of seeding.

Everything here is illustrative (marked is_demo); the pairings are not the project's real ones.
Seeding twice changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tracker.catalogue.loader import link_examples_to_cities
from tracker.catalogue.models import Programme
from tracker.demo.deliverables import seed_deliverables
from tracker.demo.people import (
    CITIES,
    DEMO_PASSWORD,
    NETWORK,
    PAIRS,
    USERS,
    DemoUser,
    seed_organisations,
    seed_pairs,
    seed_users,
)
from tracker.demo.plans import seed_assessments_and_plans
from tracker.demo.visits import seed_visits
from tracker.extensions import db
from tracker.pairs.models import Pair

# The demo runs its programme as if under way now: its pairs started four months ago and end in
# twenty (tracker/demo/people.py), inside this span around the seeding day.
PROGRAMME_BEGAN = timedelta(days=180)
PROGRAMME_ENDS = timedelta(days=720)

__all__ = ["CITIES", "DEMO_PASSWORD", "PAIRS", "USERS", "DemoError", "DemoUser", "seed_demo"]


class DemoError(RuntimeError):
    """The demo cannot be seeded (for example, the catalogue is not loaded)."""


def seed_demo(today: date | None = None) -> list[DemoUser]:
    """Create the demo records that do not exist yet."""
    today = today or date.today()
    programme = db.session.execute(
        select(Programme).where(Programme.key == "cities-grow")
    ).scalar_one_or_none()
    if programme is None:
        raise DemoError("Load the catalogue first: flask tracker load-catalogue")
    organisations = seed_organisations()
    link_examples_to_cities()
    seed_pairs(programme, organisations, today)
    date_programme_as_now(programme, today)
    seed_users(organisations)
    db.session.flush()
    seed_visits(today)
    db.session.flush()
    seed_assessments_and_plans(today)
    seed_deliverables(programme, organisations[NETWORK], today)
    db.session.flush()
    return USERS


def date_programme_as_now(programme: Programme, today: date) -> None:
    """Give the programme the demo's dates, so its period holds the demo's activity (the
    catalogue dates it as the real one, years ago). A programme with pairs of its own, not the
    demo's, keeps its dates."""
    real_pairs = db.session.execute(
        select(Pair.id).where(
            Pair.theme_id.in_([theme.id for theme in programme.themes]), Pair.is_demo.is_(False)
        )
    ).first()
    if real_pairs is None:
        programme.period_start = today - PROGRAMME_BEGAN
        programme.period_end = today + PROGRAMME_ENDS
