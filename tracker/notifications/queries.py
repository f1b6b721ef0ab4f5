"""Reading notifications."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.auth.models import User
from tracker.extensions import db
from tracker.notifications.models import EmailOptOut, Notification
from tracker.paging import capped_count

BELL_CAP = 99  # the bell shows "99+" beyond this


def unread_count(user: User) -> int:
    """The number on the bell: one small count per page, however many notifications pile up."""
    unread = sa.select(Notification.id).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    return capped_count(unread, BELL_CAP)


def user_notifications(user: User, *, only_unread: bool) -> sa.Select[tuple[Notification]]:
    """The user's notifications, newest first."""
    query = sa.select(Notification).where(Notification.user_id == user.id)
    if only_unread:
        query = query.where(Notification.read_at.is_(None))
    return query.order_by(Notification.created_at.desc(), Notification.id.desc())


def opted_out_kinds(user: User) -> set[str]:
    """The kinds of notification the user does not want emailed."""
    return set(
        db.session.execute(
            sa.select(EmailOptOut.kind).where(EmailOptOut.user_id == user.id)
        ).scalars()
    )
