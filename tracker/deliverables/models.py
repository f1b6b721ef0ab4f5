"""Deliverables the programme owes its funder, with their files and links."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.catalogue.models import Programme, Theme
from tracker.db import LabelledEnum, SearchText, TimestampMixin, Versioned, enum_column, utcnow
from tracker.extensions import db
from tracker.files.models import StoredFile
from tracker.organisations.models import Organisation
from tracker.pairs.models import Pair


class DeliverableKind(LabelledEnum):
    ACTION_PLAN = "action_plan", _l("Action plan")
    INFOGRAPHIC = "infographic", _l("Infographic")
    VIDEO = "video", _l("Video")
    TOOLKIT = "toolkit", _l("Toolkit")
    VISIT_REPORT = "visit_report", _l("Visit report")
    EVENT = "event", _l("Event")
    OTHER = "other", _l("Other")


class DeliverableStatus(LabelledEnum):
    PLANNED = "planned", _l("Planned")
    IN_PROGRESS = "in_progress", _l("In progress")
    SUBMITTED = "submitted", _l("Submitted")
    APPROVED = "approved", _l("Approved")


# The moves that review a submitted deliverable: approving it, or sending it back for more work.
REVIEW_MOVES = frozenset(
    {
        (DeliverableStatus.SUBMITTED, DeliverableStatus.APPROVED),
        (DeliverableStatus.SUBMITTED, DeliverableStatus.IN_PROGRESS),
    }
)


class Deliverable(SearchText, TimestampMixin, Versioned, db.Model):
    """Owed at programme level, or for one theme, or for one pair (then theme is the pair's)."""

    search_fields = ("title", "description")

    __table_args__ = (
        sa.CheckConstraint("pair_id IS NULL OR theme_id IS NOT NULL", name="pair_has_theme"),
        sa.CheckConstraint(
            "(status = 'approved') = (approved_at IS NOT NULL)", name="approval_recorded"
        ),
        sa.Index("ix_deliverable_programme_due", "programme_id", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"))
    theme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("theme.id", ondelete="CASCADE"), index=True
    )
    pair_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("pair.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[DeliverableKind] = enum_column(DeliverableKind, index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    responsible_organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    due_on: Mapped[date] = mapped_column(index=True)
    status: Mapped[DeliverableStatus] = enum_column(
        DeliverableStatus, default=DeliverableStatus.PLANNED, index=True
    )
    submitted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    # The programme's template a pair's deliverable was registered by (its due date then moves
    # with the pair's start while it is planned); None for one registered by hand.
    template_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("deliverable_template.id", ondelete="SET NULL"), index=True
    )
    # The coordinator's comment when sending a submitted deliverable back for more work.
    review_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    is_demo: Mapped[bool] = mapped_column(default=False)

    programme: Mapped[Programme] = relationship()
    theme: Mapped[Theme | None] = relationship()
    pair: Mapped[Pair | None] = relationship()
    responsible_organisation: Mapped[Organisation] = relationship()
    approved_by: Mapped[User | None] = relationship()
    files: Mapped[list[DeliverableFile]] = relationship(
        back_populates="deliverable",
        cascade="all, delete-orphan",
        order_by="DeliverableFile.id.desc()",
    )
    links: Mapped[list[DeliverableLink]] = relationship(
        back_populates="deliverable", cascade="all, delete-orphan", order_by="DeliverableLink.id"
    )


class DeliverableFile(StoredFile, db.Model):
    """A file of a deliverable; replacing it adds a row and marks the old one replaced."""

    id: Mapped[int] = mapped_column(primary_key=True)
    deliverable_id: Mapped[int] = mapped_column(
        sa.ForeignKey("deliverable.id", ondelete="CASCADE"), index=True
    )
    replaces_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("deliverable_file.id", ondelete="SET NULL")
    )
    replaced_at: Mapped[datetime | None]

    deliverable: Mapped[Deliverable] = relationship(back_populates="files")

    @property
    def is_current(self) -> bool:
        return self.replaced_at is None


class DeliverableLink(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    deliverable_id: Mapped[int] = mapped_column(
        sa.ForeignKey("deliverable.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(sa.String(1000))
    label: Mapped[str] = mapped_column(sa.String(200), default="")
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    deliverable: Mapped[Deliverable] = relationship(back_populates="links")
    added_by: Mapped[User | None] = relationship()
