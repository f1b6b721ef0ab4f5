"""Visits of a pair, and the outcome the expert logs after one is held."""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.catalogue.models import Factor
from tracker.db import LabelledEnum, SearchText, TimestampMixin, Versioned, enum_column
from tracker.extensions import db
from tracker.files.models import Attachment
from tracker.organisations.models import Organisation
from tracker.pairs.models import Pair


class VisitKind(LabelledEnum):
    MENTORING = "mentoring", _l("Mentoring visit")  # at the implementing city
    STUDY = "study", _l("Study visit")  # at the mentor city
    ONLINE = "online", _l("Online meeting")
    FINAL_REVIEW = "final_review", _l("Final review")


class VisitStatus(LabelledEnum):
    PLANNED = "planned", _l("Planned")
    CONFIRMED = "confirmed", _l("Confirmed")
    HELD = "held", _l("Held")
    REPORTED = "reported", _l("Reported")
    CANCELLED = "cancelled", _l("Cancelled")

    @property
    def confirm(self) -> str | None:
        """The question asked before moving a visit into this status, when there is no way back."""
        if self is VisitStatus.CANCELLED:
            return _l("Cancel this visit? A cancelled visit cannot be confirmed or held again.")
        return None


visit_focus_factor = sa.Table(
    "visit_focus_factor",
    db.metadata,
    sa.Column("visit_id", sa.ForeignKey("visit.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("factor_id", sa.ForeignKey("factor.id", ondelete="CASCADE"), primary_key=True),
)


class Visit(SearchText, TimestampMixin, Versioned, db.Model):
    search_fields = ("agenda", "location")

    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        sa.CheckConstraint(
            "ends_at_time IS NULL OR starts_at_time IS NOT NULL", name="end_time_needs_start_time"
        ),
        sa.Index("ix_visit_pair_starts_on", "pair_id", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("pair.id", ondelete="CASCADE"))
    kind: Mapped[VisitKind] = enum_column(VisitKind)
    host_city_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[VisitStatus] = enum_column(VisitStatus, default=VisitStatus.PLANNED, index=True)
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date]
    starts_at_time: Mapped[time | None]
    ends_at_time: Mapped[time | None]
    location: Mapped[str] = mapped_column(sa.String(300), default="")
    agenda: Mapped[str] = mapped_column(sa.Text, default="")
    cancellation_reason: Mapped[str] = mapped_column(sa.Text, default="")
    held_at: Mapped[datetime | None]
    # The day a visit that had already taken place was entered, directly as held: its report
    # is due from then (not from its last day), and nothing already past is reminded of.
    recorded_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    pair: Mapped[Pair] = relationship()
    host_city: Mapped[Organisation | None] = relationship()
    participants: Mapped[list[VisitParticipant]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="VisitParticipant.id"
    )
    focus_factors: Mapped[list[Factor]] = relationship(
        secondary=visit_focus_factor, order_by=Factor.position
    )
    report: Mapped[VisitReport | None] = relationship(
        back_populates="visit", cascade="all, delete-orphan"
    )

    @property
    def recorded_afterwards(self) -> bool:
        return self.recorded_on is not None

    @property
    def report_due_from(self) -> date:
        """The day the report's clock starts: the visit's last day, or the day it was
        recorded afterwards."""
        return self.recorded_on or self.ends_on


class VisitParticipant(db.Model):
    """A user of the pair's cities or expert organisation, or a named external guest."""

    __table_args__ = (
        sa.CheckConstraint("(user_id IS NULL) <> (guest_name IS NULL)", name="user_or_guest"),
        sa.UniqueConstraint("visit_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visit.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    guest_name: Mapped[str | None] = mapped_column(sa.String(200))
    guest_affiliation: Mapped[str | None] = mapped_column(sa.String(200))

    visit: Mapped[Visit] = relationship(back_populates="participants")
    user: Mapped[User | None] = relationship()


class VisitReport(SearchText, TimestampMixin, Versioned, db.Model):
    search_fields = ("summary",)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("visit.id", ondelete="CASCADE"), unique=True
    )
    summary: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    visit: Mapped[Visit] = relationship(back_populates="report")
    author: Mapped[User | None] = relationship()
    observations: Mapped[list[Observation]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Observation.id"
    )
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Recommendation.position"
    )
    follow_ups: Mapped[list[FollowUp]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="FollowUp.due_on"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="visit_report",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Attachment.id",
    )


class ObservationKind(LabelledEnum):
    STRENGTH = "strength", _l("Strength")
    GAP = "gap", _l("Gap")

    @property
    def tone(self) -> str:
        """The colour of its badge: a strength reads as done, a gap as at risk."""
        return "done" if self is ObservationKind.STRENGTH else "at_risk"


class Observation(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("visit_report.id", ondelete="CASCADE"), index=True
    )
    factor_id: Mapped[int] = mapped_column(sa.ForeignKey("factor.id", ondelete="RESTRICT"))
    kind: Mapped[ObservationKind] = enum_column(ObservationKind)
    text: Mapped[str] = mapped_column(sa.Text)

    report: Mapped[VisitReport] = relationship(back_populates="observations")
    factor: Mapped[Factor] = relationship()


class Priority(LabelledEnum):
    HIGH = "high", _l("High")
    MEDIUM = "medium", _l("Medium")
    LOW = "low", _l("Low")


class Recommendation(SearchText, db.Model):
    search_fields = ("text",)

    __table_args__ = (sa.UniqueConstraint("report_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("visit_report.id", ondelete="CASCADE"))
    position: Mapped[int]
    factor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("factor.id", ondelete="RESTRICT"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text)
    priority: Mapped[Priority] = enum_column(Priority, default=Priority.MEDIUM)

    report: Mapped[VisitReport] = relationship(back_populates="recommendations")
    factor: Mapped[Factor] = relationship()


class FollowUp(db.Model):
    """Something to do after a visit, owned by a user or by an organisation."""

    __table_args__ = (
        sa.CheckConstraint(
            "(owner_user_id IS NULL) <> (owner_organisation_id IS NULL)", name="one_owner"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("visit_report.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text)
    owner_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="RESTRICT"), index=True
    )
    owner_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    due_on: Mapped[date] = mapped_column(index=True)
    done_at: Mapped[datetime | None]

    report: Mapped[VisitReport] = relationship(back_populates="follow_ups")
    owner_user: Mapped[User | None] = relationship()
    owner_organisation: Mapped[Organisation | None] = relationship()
