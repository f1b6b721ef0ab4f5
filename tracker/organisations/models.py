"""Organisations: cities, expert partners and the coordinating network."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import LabelledEnum, SearchText, TimestampMixin, enum_column
from tracker.extensions import db

if TYPE_CHECKING:
    from tracker.auth.models import User


class OrganisationKind(LabelledEnum):
    CITY = "city", _l("City")
    EXPERT = "expert", _l("Expert partner")
    NETWORK = "network", _l("Coordinating network")


class Organisation(SearchText, TimestampMixin, db.Model):
    search_fields = ("name", "country")

    __table_args__ = (
        sa.CheckConstraint("kind <> 'city' OR country IS NOT NULL", name="city_has_country"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[OrganisationKind] = enum_column(OrganisationKind, index=True)
    country: Mapped[str | None] = mapped_column(sa.String(100))
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Brussels")
    website: Mapped[str | None] = mapped_column(sa.String(500))
    is_demo: Mapped[bool] = mapped_column(default=False)
    # The demo's own name for its organisations, which stays when a coordinator renames one:
    # seeding again finds them by it (tracker/demo/people.py).
    demo_key: Mapped[str | None] = mapped_column(sa.String(60), unique=True)

    members: Mapped[list[User]] = relationship(back_populates="organisation")

    @property
    def is_city(self) -> bool:
        return self.kind is OrganisationKind.CITY

    def __str__(self) -> str:
        return self.name
