"""Creating notifications for events; each also goes to the outbox for those who want email."""

from __future__ import annotations

from collections.abc import Iterable

from tracker.auth.models import User
from tracker.extensions import db
from tracker.notifications.delivery import email_new_notifications
from tracker.notifications.models import Notification


def notify(
    users: Iterable[User],
    kind: str,
    subject: str,
    link: str,
    body: str = "",
    *,
    actor: User | None = None,
) -> list[Notification]:
    """Add one notification per user (never to the actor about their own doing)."""
    notifications = []
    seen: set[int] = set()
    for user in users:
        if user.id in seen or (actor is not None and user.id == actor.id) or not user.is_active:
            continue
        seen.add(user.id)
        notification = Notification(
            user=user, kind=kind, subject=subject[:300], body=body, link=link[:500]
        )
        db.session.add(notification)
        notifications.append(notification)
    email_new_notifications(notifications)
    return notifications
