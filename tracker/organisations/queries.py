"""Reading organisations."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.auth.models import User
from tracker.extensions import db
from tracker.organisations.models import Organisation


def organisations_by_name() -> list[Organisation]:
    """Every organisation, by name (for choosing one)."""
    return list(db.session.execute(sa.select(Organisation).order_by(Organisation.name)).scalars())


def organisations_with_member_counts() -> list[tuple[Organisation, int]]:
    """Every organisation by kind and name, with how many accounts belong to it."""
    member_count = (
        sa.select(sa.func.count(User.id)).where(User.organisation_id == Organisation.id)
    ).scalar_subquery()
    rows = db.session.execute(
        sa.select(Organisation, member_count).order_by(Organisation.kind, Organisation.name)
    )
    return [(organisation, count) for organisation, count in rows]
