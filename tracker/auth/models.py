"""Users and their roles."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import LabelledEnum, SearchText, TimestampMixin, enum_column, utcnow
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


class User(SearchText, UserMixin, TimestampMixin, db.Model):
    search_fields = ("name", "email")

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
    # The interface's language chosen by the person (a code of LANGUAGES); None follows the
    # browser, and emails to them are then in DEFAULT_LANGUAGE (tracker/languages.py).
    language: Mapped[str | None] = mapped_column(sa.String(8))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped when the password or the account's rights change: a set-password link made
    # before then no longer works (sessions themselves are the UserSession rows).
    session_version: Mapped[int] = mapped_column(default=1)
    calendar_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # The kinds of event the person switched off in their feed (FeedKind values, commas).
    calendar_hidden: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
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

    # The token of the session this browser is signed in with (set by tracker.auth.session):
    # it, not the user's id, is what Flask-Login keeps in the cookies.
    session_token = None  # a str once set; not a column

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and remember-me cookies."""
        if self.session_token is None:
            raise RuntimeError("sign in through tracker.auth.session.sign_in_browser")
        return self.session_token

    def __eq__(self, other: object) -> bool:  # by account (UserMixin compares get_id)
        if isinstance(other, User):
            return self is other or (self.id is not None and self.id == other.id)
        return NotImplemented

    __hash__ = UserMixin.__hash__

    def __str__(self) -> str:
        return self.name


class SessionEnd(LabelledEnum):
    SIGNED_OUT = "signed_out", _l("Signed out")
    ENDED_BY_USER = "ended_by_user", _l("Ended from the list of sessions")
    PASSWORD_CHANGED = "password_changed", _l("Password changed")
    ACCOUNT_CHANGED = "account_changed", _l("Role, organisation or access changed")


class UserSession(db.Model):
    """One signed-in browser. Its cookies carry a random token; only the token's SHA-256 is
    kept here, so neither a copy of the database nor a backup can sign anyone in."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    address: Mapped[str] = mapped_column(sa.String(45), default="")
    browser: Mapped[str] = mapped_column(sa.String(200), default="")
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[SessionEnd | None] = enum_column(SessionEnd, nullable=True)

    user: Mapped[User] = relationship()

    @property
    def device(self) -> str:
        """The browser and system named by the user agent, for people: "Firefox on Windows"."""
        browser = next((name for mark, name in BROWSERS if mark in self.browser), "")
        system = next((name for mark, name in SYSTEMS if mark in self.browser), "")
        if browser and system:
            return f"{browser} · {system}"
        return browser or system or self.browser[:60]


# What a user agent string contains, in the order to look for it (Edge and Opera also say
# "Chrome", Chrome also says "Safari", Android also says "Linux", iOS also says "Mac OS X").
BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("Windows", "Windows"),
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)
