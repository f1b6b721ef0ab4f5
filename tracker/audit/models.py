"""The audit log: who changed what, and when. Rows are only ever added."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import utcnow
from tracker.extensions import db
from tracker.messages import text_or


class AuditEntry(db.Model):
    __table_args__ = (
        sa.Index("ix_audit_entry_subject", "subject_type", "subject_id"),
        sa.Index("ix_audit_entry_pair_at", "pair_id", "at"),
        # The newest first, ties by id: "latest activity" reads the first few from this index
        # and stops, however long the log has grown.
        sa.Index("ix_audit_entry_at_id", "at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(64))
    subject_type: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[int | None]
    pair_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("pair.id", ondelete="SET NULL"), index=True
    )
    # The sentence as a message id and parameters, written in each reader's language
    # (tracker/messages.py); `summary` keeps its English words for search and exports, and is
    # all that entries written before there were message ids (and not recognised) have.
    summary: Mapped[str] = mapped_column(sa.String(500))
    msgid: Mapped[str | None] = mapped_column(sa.String(500))
    params: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    actor = relationship("User")

    @property
    def text(self) -> str:
        """What happened, in the reader's language."""
        return text_or(self.msgid, self.params, self.summary)


@sa.event.listens_for(AuditEntry, "before_update")
def _audit_log_is_append_only(mapper, connection, target) -> None:  # noqa: ARG001
    raise ValueError("The audit log is append-only.")
