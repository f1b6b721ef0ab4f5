"""Reading the catalogue for the benchmark browser."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.catalogue.models import Factor, Programme, Theme
from tracker.extensions import db


def programmes_with_counts() -> list[tuple[Programme, int, int]]:
    """Every programme with its number of themes and of factors."""
    theme_count = (
        sa.select(sa.func.count(Theme.id)).where(Theme.programme_id == Programme.id)
    ).scalar_subquery()
    factor_count = (
        sa.select(sa.func.count(Factor.id))
        .join(Theme, Factor.theme_id == Theme.id)
        .where(Theme.programme_id == Programme.id, Factor.is_live)
    ).scalar_subquery()
    rows = db.session.execute(
        sa.select(Programme, theme_count, factor_count).order_by(Programme.period_start.desc())
    )
    return [tuple(row) for row in rows]


def newest_programmes_first() -> list[Programme]:
    """Every programme, the most recent first."""
    return list(
        db.session.execute(sa.select(Programme).order_by(Programme.period_start.desc())).scalars()
    )
