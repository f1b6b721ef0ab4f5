"""Delivery jobs: sending the outbox, and the daily summary for those who chose one."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker.auth.models import EmailFrequency, User
from tracker.clock import scheduler_today
from tracker.dates import long_date
from tracker.extensions import db
from tracker.mail import claim_due, queue_email, send_claimed, smtp_configured
from tracker.notifications.delivery import opt_outs
from tracker.notifications.models import Notification

DIGEST_WINDOW = timedelta(days=7)  # older unsent notifications are left to the app


def send_outbox(now: datetime) -> dict[str, int]:
    """Send what is due in the outbox (nothing without a mail server: it stays readable)."""
    if not smtp_configured():
        return {"sent": 0}
    sent = 0
    while batch := claim_due(now):
        sent += send_claimed(batch)
    return {"sent": sent}


def daily_digests(now: datetime) -> dict[str, int]:
    """For users who chose a daily summary: one email with what came in since the last one."""
    day = scheduler_today(now)
    rows = db.session.execute(
        sa.select(Notification, User)
        .join(User, User.id == Notification.user_id)
        .where(
            User.email_frequency == EmailFrequency.DAILY,
            User.active.is_(True),
            Notification.emailed_at.is_(None),
            Notification.created_at >= now - DIGEST_WINDOW,
            Notification.created_at <= now,
        )
        .order_by(Notification.user_id, Notification.created_at)
    ).all()
    opted_out = opt_outs({user.id for _n, user in rows})
    by_user: dict[int, tuple[User, list[Notification]]] = {}
    for notification, user in rows:
        if (user.id, notification.kind) not in opted_out:
            by_user.setdefault(user.id, (user, []))[1].append(notification)
    for user, notifications in by_user.values():
        queue_email(
            f"daily:{user.id}:{day.isoformat()}",
            user,
            _(
                "Your summary of %(date)s: %(count)d updates",
                date=long_date(day),
                count=len(notifications),
            ),
            "digest",
            notifications=notifications,
        )
        for notification in notifications:
            notification.emailed_at = now
    db.session.commit()
    return {"created": len(by_user)}
