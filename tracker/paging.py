"""Counting for pages of lists, bounded so that lists stay fast as the years add rows."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tracker.extensions import db


def capped_count(query: sa.Select[Any], cap: int) -> int:
    """How many rows the query gives, counting no further than cap + 1, so that a count shown
    on every page stays as cheap with ten years of data as with one."""
    limited = query.limit(cap + 1).subquery()
    return db.session.execute(sa.select(sa.func.count()).select_from(limited)).scalar_one()
