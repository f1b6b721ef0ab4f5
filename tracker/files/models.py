"""What every stored file records, and files attached as evidence to progress and reports."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from tracker.auth.models import User
from tracker.db import utcnow
from tracker.extensions import db


class StoredFile:
    """An uploaded file: kept under a generated name (tracker/files/storage.py); the name the
    person gave is kept only to show and download it under."""

    original_name: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(120))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    @declared_attr
    def uploaded_by(cls) -> Mapped[User | None]:
        return relationship(User)


class Attachment(StoredFile, db.Model):
    """Evidence attached to a progress update or to a visit report: minutes, photos, slides,
    a council decision. It belongs to exactly one of them and goes with it."""

    __table_args__ = (
        sa.CheckConstraint(
            "(progress_update_id IS NULL) <> (visit_report_id IS NULL)", name="one_owner"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    progress_update_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("progress_update.id", ondelete="CASCADE"), index=True
    )
    visit_report_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("visit_report.id", ondelete="CASCADE"), index=True
    )

    progress_update = relationship("ProgressUpdate", back_populates="attachments")
    visit_report = relationship("VisitReport", back_populates="attachments")


class StoredChunk(db.Model):
    """A piece of a stored file, when files are kept in the database (STORAGE=database), so
    that every web server reads the same files. Pieces are small, so neither storing nor
    sending a file ever holds all of it in memory."""

    stored_name: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    number: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
