"""Reading the catalogue for the benchmark browser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from tracker.catalogue.models import Factor, Programme, Theme
from tracker.extensions import db
from tracker.organisations.models import Organisation


@dataclass(frozen=True)
class ThemeChoice:
    """A theme as a select offers it: plain values, not a model (the selects offer every theme
    of every programme, a hundred and more in a network's tenth year)."""

    id: int
    code: str
    title: str
    programme: str
    expert_partner: str | None
    programme_key: str

    @property
    def label(self) -> str:
        return Theme.label_of(self.code, self.title)


def theme_choices(*order_by: Any, where: sa.ColumnElement[bool] | None = None) -> list[ThemeChoice]:
    """Every theme (or those `where` keeps) with its programme's and expert partner's names,
    in the order given (by programme name and theme code when none is)."""
    expert = aliased(Organisation)
    rows = db.session.execute(
        sa.select(Theme.id, Theme.code, Theme.title, Programme.name, expert.name, Programme.key)
        .join(Theme.programme)
        .outerjoin(expert, expert.id == Theme.expert_organisation_id)
        .where(where if where is not None else sa.true())
        .order_by(*(order_by or (Programme.name, Theme.code)))
    )
    return [ThemeChoice(*row) for row in rows]


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
        sa.select(Programme, theme_count, factor_count).order_by(*Programme.newest_first())
    )
    return [tuple(row) for row in rows]


def newest_programmes_first() -> list[Programme]:
    """Every programme, the most recent first."""
    return list(
        db.session.execute(sa.select(Programme).order_by(*Programme.newest_first())).scalars()
    )
