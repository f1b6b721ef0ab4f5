"""Demo data for CITIES GROW: cities, the network, illustrative pairs, one user per role, and
their visits, self-assessments and action plans, dated relative to the day of seeding.

Everything here is illustrative (marked is_demo); the pairings are not the project's real ones.
Seeding twice changes nothing.
"""

from __future__ import annotations

from datetime import date

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
    seed_users(organisations)
    db.session.flush()
    seed_visits(today)
    db.session.flush()
    seed_assessments_and_plans(today)
    seed_deliverables(programme, organisations[NETWORK], today)
    db.session.flush()
    return USERS
