"""Creating notifications for events; each also goes to the outbox for those who want email."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from tracker.auth.models import EmailFrequency, User
from tracker.db import utcnow
from tracker.extensions import db
from tracker.messages import Message
from tracker.notifications.delivery import email_new_notifications
from tracker.notifications.kinds import KINDS
from tracker.notifications.models import EmailOptOut, Notification, subject_columns


def notify(
    users: Iterable[User],
    kind: str,
    subject: Message,
    link: str,
    body: str = "",
    *,
    actor: User | None = None,
) -> list[Notification]:
    """Add one notification per user (never to the actor about their own doing); the subject
    is a message (`N_(...)`), written in each reader's language."""
    notifications = []
    seen: set[int] = set()
    for user in users:
        if user.id in seen or (actor is not None and user.id == actor.id) or not user.is_active:
            continue
        seen.add(user.id)
        notification = Notification(
            user=user, kind=kind, body=body, link=link[:500], **subject_columns(subject)
        )
        db.session.add(notification)
        notifications.append(notification)
    email_new_notifications(notifications)
    return notifications


def mark_read(notification: Notification) -> None:
    """Mark one notification read (it stays read if it already was)."""
    notification.read_at = notification.read_at or utcnow()


def mark_all_read(user: User) -> None:
    """Mark every unread notification of the user read."""
    db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


def save_email_preferences(user: User, frequency: EmailFrequency, wanted: set[str]) -> None:
    """How often the user gets email, and which kinds of notification they want emailed."""
    user.email_frequency = frequency
    db.session.execute(sa.delete(EmailOptOut).where(EmailOptOut.user_id == user.id))
    db.session.add_all(
        EmailOptOut(user_id=user.id, kind=kind) for kind in KINDS if kind not in wanted
    )
