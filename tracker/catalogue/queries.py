"""Reading the catalogue for the benchmark browser."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload, selectinload

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
        .where(Theme.programme_id == Programme.id)
    ).scalar_subquery()
    rows = db.session.execute(
        sa.select(Programme, theme_count, factor_count).order_by(Programme.period_start.desc())
    )
    return [tuple(row) for row in rows]


def get_programme_or_404(key: str) -> Programme:
    programme = db.session.execute(
        sa.select(Programme)
        .where(Programme.key == key)
        .options(
            selectinload(Programme.themes).selectinload(Theme.factors),
            selectinload(Programme.themes).joinedload(Theme.expert_organisation),
            selectinload(Programme.context_factors),
        )
    ).scalar_one_or_none()
    if programme is None:
        abort(404)
    return programme


def get_theme_or_404(programme_key: str, code: str) -> Theme:
    theme = db.session.execute(
        sa.select(Theme)
        .join(Theme.programme)
        .where(Programme.key == programme_key, Theme.code == code)
        .options(
            joinedload(Theme.programme),
            joinedload(Theme.expert_organisation),
            selectinload(Theme.factors).selectinload(Factor.guide_questions),
            selectinload(Theme.factors).selectinload(Factor.examples),
        )
    ).scalar_one_or_none()
    if theme is None:
        abort(404)
    return theme
