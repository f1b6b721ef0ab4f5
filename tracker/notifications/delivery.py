"""From notifications to emails, respecting each user's preferences."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from tracker.auth.models import EmailFrequency, User
from tracker.extensions import db
from tracker.mail import queue_notification_emails
from tracker.notifications.kinds import ESSENTIAL
from tracker.notifications.models import EmailOptOut, Notification


def wants_email_now(user: User, kind: str, opted_out: set[tuple[int, str]]) -> bool:
    """Immediate email for this kind, unless the user turned it off or reads a daily summary."""
    if kind in ESSENTIAL:
        return True
    return user.email_frequency is EmailFrequency.IMMEDIATE and (user.id, kind) not in opted_out


def opt_outs(user_ids: Iterable[int]) -> set[tuple[int, str]]:
    ids = set(user_ids)
    if not ids:
        return set()
    return set(
        db.session.execute(
            sa.select(EmailOptOut.user_id, EmailOptOut.kind).where(EmailOptOut.user_id.in_(ids))
        ).all()
    )


def email_new_notifications(notifications: list[Notification]) -> int:
    """Queue an email for each new notification its user wants by email now. Returns the count."""
    if not notifications:
        return 0
    db.session.flush()
    users = {
        user.id: user
        for user in db.session.execute(
            sa.select(User).where(User.id.in_({n.user_id for n in notifications}))
        ).scalars()
    }
    opted_out = opt_outs(users)
    recipients = [
        (notification, users[notification.user_id])
        for notification in notifications
        if users[notification.user_id].is_active
        and wants_email_now(users[notification.user_id], notification.kind, opted_out)
    ]
    queue_notification_emails(recipients)
    return len(recipients)
