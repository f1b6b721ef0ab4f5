"""Users and their roles."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import LabelledEnum, TimestampMixin, enum_column
from tracker.extensions import db
from tracker.organisations.models import Organisation, OrganisationKind


class Role(LabelledEnum):
    COORDINATOR = "coordinator", _l("Coordinator")
    CITY = "city", _l("City member")
    EXPERT = "expert", _l("Expert")

    @property
    def organisation_kind(self) -> OrganisationKind:
        """The kind of organisation a user with this role belongs to."""
        return ROLE_ORGANISATION_KIND[self]


ROLE_ORGANISATION_KIND = {
    Role.COORDINATOR: OrganisationKind.NETWORK,
    Role.CITY: OrganisationKind.CITY,
    Role.EXPERT: OrganisationKind.EXPERT,
}


class EmailFrequency(LabelledEnum):
    IMMEDIATE = "immediate", _l("As they happen")
    DAILY = "daily", _l("One summary a day")


class User(UserMixin, TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[Role] = enum_column(Role, index=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    job_title: Mapped[str | None] = mapped_column(sa.String(200))
    timezone: Mapped[str] = mapped_column(sa.String(64), default="Europe/Brussels")
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the session id: bumping it signs the user out everywhere.
    session_version: Mapped[int] = mapped_column(default=1)
    calendar_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    last_sign_in_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]
    email_frequency: Mapped[EmailFrequency] = enum_column(
        EmailFrequency, default=EmailFrequency.IMMEDIATE, server_default="immediate"
    )
    is_demo: Mapped[bool] = mapped_column(default=False)

    organisation: Mapped[Organisation] = relationship(back_populates="members")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active and self.erased_at is None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __str__(self) -> str:
        return self.name
