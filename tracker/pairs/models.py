"""Pairs: one mentoring scheme, a mentor city supporting an implementing city on a theme."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.catalogue.models import Theme
from tracker.db import LabelledEnum, TimestampMixin, enum_column
from tracker.extensions import db
from tracker.organisations.models import Organisation


class PairStatus(LabelledEnum):
    PLANNED = "planned", _l("Planned")
    ACTIVE = "active", _l("Active")
    COMPLETED = "completed", _l("Completed")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


# Pairs whose mentoring is under way or about to start: the ones people act on and are reminded of.
LIVE_PAIR_STATUSES = (PairStatus.PLANNED, PairStatus.ACTIVE)


# A pair's name is its theme's code, this mark, then the mentor city, the arrow and the
# implementing city; `tracker.reminders.rules.common.pair_label` writes the same in SQL.
THEME_MARK = " · "
ARROW = " → "


class Pair(TimestampMixin, db.Model):
    __table_args__ = (
        sa.CheckConstraint("mentor_city_id <> implementing_city_id", name="two_different_cities"),
        sa.CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates_in_order"
        ),
        # The same two cities are paired at most once per theme, whichever of them mentors.
        sa.Index(
            "uq_pair_theme_partners",
            "theme_id",
            sa.text(
                "(CASE WHEN (mentor_city_id < implementing_city_id) "
                "THEN mentor_city_id ELSE implementing_city_id END)"
            ),
            sa.text(
                "(CASE WHEN (mentor_city_id < implementing_city_id) "
                "THEN implementing_city_id ELSE mentor_city_id END)"
            ),
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("theme.id", ondelete="RESTRICT"), index=True
    )
    mentor_city_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    implementing_city_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[PairStatus] = enum_column(PairStatus, default=PairStatus.PLANNED)
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    is_demo: Mapped[bool] = mapped_column(default=False)
    # When the pair was last completed (None while it is not): the check-ins count from it.
    completed_at: Mapped[datetime | None]

    theme: Mapped[Theme] = relationship()
    mentor_city: Mapped[Organisation] = relationship(foreign_keys=[mentor_city_id])
    implementing_city: Mapped[Organisation] = relationship(foreign_keys=[implementing_city_id])

    @property
    def city_ids(self) -> set[int]:
        return {self.mentor_city_id, self.implementing_city_id}

    @property
    def cities(self) -> str:
        """The two cities, "Helsinki → Riga": enough on the pair's own pages."""
        return f"{self.mentor_city.name}{ARROW}{self.implementing_city.name}"

    @property
    def label(self) -> str:
        """The pair's name wherever it appears away from its own pages, "B · Helsinki → Riga":
        two cities can be paired on several themes, and only the theme tells those pairs apart."""
        return f"{self.theme.code}{THEME_MARK}{self.cities}"

    def __str__(self) -> str:
        return self.label
