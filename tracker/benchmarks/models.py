"""A theme's benchmark as published versions (never changed) and the one draft being written."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.catalogue.models import Theme
from tracker.db import LabelledEnum, TimestampMixin, Versioned, enum_column, utcnow
from tracker.extensions import db


class BenchmarkVersion(db.Model):
    """Version `number` of a theme's benchmark: the whole text as published (content.py's
    Benchmark as JSON), so a round always shows what it was taken against."""

    __table_args__ = (sa.UniqueConstraint("theme_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("theme.id", ondelete="CASCADE"))
    number: Mapped[int]
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str] = mapped_column(sa.Text, default="")
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)

    theme: Mapped[Theme] = relationship()
    published_by: Mapped[User | None] = relationship()


class DraftSource(LabelledEnum):
    WEB = "web", _l("Written in the tracker")
    FILE = "file", _l("Loaded from a file")


class BenchmarkDraft(TimestampMixin, Versioned, db.Model):
    """The next version of a theme's benchmark while it is being written: at most one per
    theme, shared by everyone who may edit it (its version_id refuses a stale save)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("theme.id", ondelete="CASCADE"), unique=True
    )
    based_on: Mapped[int | None]  # the version number it started from
    content: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    source: Mapped[DraftSource] = enum_column(DraftSource, default=DraftSource.WEB)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )

    theme: Mapped[Theme] = relationship()
    updated_by: Mapped[User | None] = relationship()
