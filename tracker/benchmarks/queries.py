"""Reading a theme's versions and draft."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.benchmarks.models import BenchmarkDraft, BenchmarkVersion, DraftSource
from tracker.catalogue.models import Programme, Theme
from tracker.extensions import db


def latest_version(theme_id: int) -> BenchmarkVersion | None:
    """The theme's latest published version (what a new round is taken against)."""
    return db.session.execute(
        sa.select(BenchmarkVersion)
        .where(BenchmarkVersion.theme_id == theme_id)
        .order_by(BenchmarkVersion.number.desc())
        .limit(1)
    ).scalar_one_or_none()


def theme_versions(theme_id: int) -> list[BenchmarkVersion]:
    """The theme's published versions, the newest first."""
    return list(
        db.session.execute(
            sa.select(BenchmarkVersion)
            .where(BenchmarkVersion.theme_id == theme_id)
            .options(joinedload(BenchmarkVersion.published_by))
            .order_by(BenchmarkVersion.number.desc())
        ).scalars()
    )


def version_number(theme_id: int, number: int) -> BenchmarkVersion | None:
    return db.session.execute(
        sa.select(BenchmarkVersion).where(
            BenchmarkVersion.theme_id == theme_id, BenchmarkVersion.number == number
        )
    ).scalar_one_or_none()


def theme_draft(theme_id: int) -> BenchmarkDraft | None:
    return db.session.execute(
        sa.select(BenchmarkDraft).where(BenchmarkDraft.theme_id == theme_id)
    ).scalar_one_or_none()


def file_drafts(programme: Programme) -> list[BenchmarkDraft]:
    """The programme's drafts that a loaded file made, by theme code."""
    return list(
        db.session.execute(
            sa.select(BenchmarkDraft)
            .join(Theme, Theme.id == BenchmarkDraft.theme_id)
            .where(Theme.programme_id == programme.id, BenchmarkDraft.source == DraftSource.FILE)
            .options(joinedload(BenchmarkDraft.theme))
            .order_by(Theme.code)
        ).scalars()
    )
