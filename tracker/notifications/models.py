"""Notifications to users, their email copies in the outbox, preferences, and job runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.db import LabelledEnum, enum_column, utcnow
from tracker.extensions import db
from tracker.messages import Message, text_or


class Notification(db.Model):
    __table_args__ = (
        # A reminder is keyed by (rule, object, occasion); the key makes sending idempotent.
        sa.UniqueConstraint("user_id", "key"),
        sa.Index("ix_notification_user_unread", "user_id", "read_at", "created_at"),
        sa.Index("ix_notification_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    key: Mapped[str | None] = mapped_column(sa.String(200))
    # The subject as a message id and parameters, written in the reader's language
    # (tracker/messages.py); `subject` keeps its English words (all older rows have).
    subject: Mapped[str] = mapped_column(sa.String(300))
    subject_msgid: Mapped[str | None] = mapped_column(sa.String(500))
    subject_params: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    body: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def title(self) -> str:
        """The subject in the reader's language."""
        return text_or(self.subject_msgid, self.subject_params, self.subject)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


def subject_columns(subject: Message) -> dict[str, Any]:
    """A notification's subject as its columns: English words, message id, parameters."""
    return {
        "subject": subject.english()[:300],
        "subject_msgid": subject.msgid,
        "subject_params": dict(subject.params),
    }


class EmailOptOut(db.Model):
    """A kind of notification the user does not want by email (they still see it in the app)."""

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(sa.String(40), primary_key=True)


class OutboxStatus(LabelledEnum):
    PENDING = "pending", _l("Waiting to be sent")
    SENDING = "sending", _l("Being sent")
    SENT = "sent", _l("Sent")
    FAILED = "failed", _l("Failed")
    # Set by a sender that runs without a mail server; a sender with one sends it later.
    HELD = "held", _l("Kept in the outbox (no mail server)")


class OutboxEmail(db.Model):
    """Every email the tracker writes: sent by the scheduler, or kept here without SMTP."""

    __table_args__ = (sa.Index("ix_outbox_email_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    notification_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("notification.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str] = mapped_column(sa.Text)
    # Holds a personal sign-in link: the outbox page does not show its body.
    sensitive: Mapped[bool] = mapped_column(default=False)
    status: Mapped[OutboxStatus] = enum_column(OutboxStatus, default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The sender holding the email (a claim per batch) and when it last said so; a claim left
    # unrenewed past MAIL_CLAIM_TIMEOUT_SECONDS was abandoned and is taken over.
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    claimed_at: Mapped[datetime | None]
    # Set just before the SMTP exchange, cleared with its outcome: still set when a claim is
    # taken over means the sender stopped mid-send, maybe after the server accepted it.
    handed_over_at: Mapped[datetime | None]
    interrupted_send: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Given on the first claim and kept, so a resend is recognised (and folded) by mail clients.
    message_id: Mapped[str | None] = mapped_column(sa.String(250))
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(sa.Text, default="")

    user: Mapped[User | None] = relationship()
    notification: Mapped[Notification | None] = relationship()


class JobRun(db.Model):
    """One run of a scheduled job: when, where, what it did, and its last sign of life."""

    __table_args__ = (sa.Index("ix_job_run_job_started", "job_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(sa.String(60))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    created: Mapped[int] = mapped_column(default=0)
    sent: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    triggered_by: Mapped[str] = mapped_column(sa.String(200), default="scheduler")
