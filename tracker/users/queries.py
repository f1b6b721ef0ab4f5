"""Reading user accounts."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.auth.models import User
from tracker.extensions import db


def users_by_name() -> list[User]:
    """Every account by name, with its organisation."""
    return list(
        db.session.execute(
            sa.select(User).options(joinedload(User.organisation)).order_by(User.name)
        ).scalars()
    )


def names_by_id() -> list[tuple[int, str]]:
    """Every account's id and name, by name (for choosing a person in a filter)."""
    rows = db.session.execute(sa.select(User.id, User.name).order_by(User.name))
    return [(user_id, name) for user_id, name in rows]
